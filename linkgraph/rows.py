"""Records into rows, once: a record's dataclass fields drive its columns.

The store's tables, the CSV and JSON Lines rows of ``linkgraph extract`` and ``report.json``
all take their column names and cell values from here, so a field added to a record reaches
every writer (and a writer cannot spell a field its own way).  A cell is what a flat row holds
(``str``, ``int``, ``float``, ``bytes`` or ``None``); how a field becomes one follows from its
type, or from its ``metadata["cell"]`` where the type alone does not say:

* ``str``, ``int``, ``float`` and ``None``: as they are; ``bool``: 0 or 1;
* a ``StrEnum``: its value; a ``datetime``: ISO 8601;
* a tuple: JSON text, or the items joined by one space with ``metadata={"cell": WORDS}``
  (rel tokens, which never hold white space);
* text with ``metadata={"cell": ZLIB}``: UTF-8 compressed with zlib (an article's body);
* a nested record (``Article.origin``): one column per field, ``origin_path``,
  ``origin_record``, ``origin_fetched_at``.

Fields with ``metadata={"report": False}`` are left out of report rows (``report_fields``).

>>> from linkgraph.records import Origin, ReadFailure
>>> shape = RowShape(ReadFailure)
>>> shape.names
('origin_path', 'origin_record', 'origin_fetched_at', 'message')
>>> shape.row(ReadFailure(Origin("a.json", 3), "bad"))
('a.json', 3, None, 'bad')
>>> shape.record(("a.json", 3, None, "bad")) == ReadFailure(Origin("a.json", 3), "bad")
True
"""

from __future__ import annotations

import dataclasses
import json
import typing
import zlib
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import Enum
from operator import attrgetter
from types import NoneType, UnionType
from typing import Any, Final, Generic, TypeVar

__all__ = ["WORDS", "ZLIB", "ZLIB_LEVEL", "RowShape", "cells", "report_fields"]

WORDS: Final = "words"
ZLIB: Final = "zlib"
# Level 1: on the corpus pages 2.4x faster than level 6 for 16% more bytes (ratio 4.2 vs 5.0);
# compressing is on the hot path of every ingest, reading back does not depend on the level.
ZLIB_LEVEL: Final = 1
R = TypeVar("R")
_Codec = tuple[Callable[[Any], Any], Callable[[Any], Any]]


def _same(value: Any) -> Any:
    return value


def _optional(codec: _Codec) -> _Codec:
    encode, decode = codec
    if encode is _same and decode is _same:  # None passes through as it is
        return codec
    return (
        (lambda v: None if v is None else encode(v)),
        (lambda v: None if v is None else decode(v)),
    )


def _json_tuple(inner: Any) -> _Codec:
    """A tuple as JSON text; tuples of pairs (``extras``) come back as tuples of str."""
    if typing.get_origin(inner) is tuple:
        return (
            lambda v: json.dumps([list(item) for item in v], ensure_ascii=False),
            lambda v: tuple(tuple(str(x) for x in item) for item in json.loads(v)),
        )
    return (lambda v: json.dumps(list(v), ensure_ascii=False)), (lambda v: tuple(json.loads(v)))


def _codec(hint: Any, how: str | None) -> _Codec:
    """How one field's value becomes a cell and back."""
    args = typing.get_args(hint)
    if isinstance(hint, UnionType) or typing.get_origin(hint) is typing.Union:
        (inner,) = (a for a in args if a is not NoneType)
        return _optional(_codec(inner, how))
    if how == ZLIB:
        return (
            lambda v: zlib.compress(v.encode("utf-8"), ZLIB_LEVEL),
            lambda v: zlib.decompress(v).decode("utf-8"),
        )
    if typing.get_origin(hint) is tuple:
        if how == WORDS:
            return (" ".join), (lambda v: tuple(v.split()))
        return _json_tuple(args[0])
    if hint is bool:
        return int, bool
    if hint is datetime:
        return (lambda v: v.isoformat()), datetime.fromisoformat
    if isinstance(hint, type) and issubclass(hint, Enum):
        return (lambda v: v.value), hint
    return _same, _same


@dataclasses.dataclass(frozen=True, slots=True)
class _Column:
    name: str
    field: str
    sub: str | None  # the nested record's field, for a nested record's column
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


def _cell_getter(column: _Column) -> Callable[[Any], Any]:
    get = attrgetter(column.field if column.sub is None else f"{column.field}.{column.sub}")
    if column.encode is _same:
        return get
    encode = column.encode
    return lambda record: encode(get(record))


class RowShape(Generic[R]):
    """The columns of one record class, and its records to rows and back."""

    __slots__ = ("_cells", "_columns", "_nested", "cls", "names")

    def __init__(self, cls: type[R], *, skip: Sequence[str] = ()) -> None:
        self.cls = cls
        columns: list[_Column] = []
        self._nested: dict[str, type] = {}
        hints = typing.get_type_hints(cls)
        for f in dataclasses.fields(cls):  # type: ignore[arg-type]
            if f.name in skip:
                continue
            hint = hints[f.name]
            if dataclasses.is_dataclass(hint):
                self._nested[f.name] = hint  # type: ignore[assignment]
                sub_hints = typing.get_type_hints(hint)
                for sub in dataclasses.fields(hint):
                    encode, decode = _codec(sub_hints[sub.name], sub.metadata.get("cell"))
                    columns.append(
                        _Column(f"{f.name}_{sub.name}", f.name, sub.name, encode, decode)
                    )
            else:
                encode, decode = _codec(hint, f.metadata.get("cell"))
                columns.append(_Column(f.name, f.name, None, encode, decode))
        self._columns = tuple(columns)
        self.names = tuple(c.name for c in columns)
        # One callable per column, record -> cell (plain fields need no encoding call): rows
        # are made for every article and citation stored.
        self._cells = tuple(_cell_getter(c) for c in columns)

    def row(self, record: R) -> tuple[Any, ...]:
        """The record's cells, in ``names`` order."""
        return tuple([cell(record) for cell in self._cells])

    def cells(self, record: R) -> dict[str, Any]:
        """The record's cells by column name."""
        return dict(zip(self.names, self.row(record), strict=True))

    def record(self, row: Sequence[Any], **fields: Any) -> R:
        """The record a row of ``names`` cells holds; *fields* supply columns left out."""
        values: dict[str, Any] = dict(fields)
        nested: dict[str, dict[str, Any]] = {}
        for column, cell in zip(self._columns, row, strict=True):
            if column.sub is None:
                values[column.field] = column.decode(cell)
            else:
                nested.setdefault(column.field, {})[column.sub] = column.decode(cell)
        for name, parts in nested.items():
            values[name] = self._nested[name](**parts)
        return self.cls(**values)


_SHAPES: dict[type, RowShape[Any]] = {}
_REPORT_FIELDS: dict[type, tuple[str, ...]] = {}


def cells(record: Any) -> dict[str, Any]:
    """*record*'s cells by column name (one ``RowShape`` per class, made on first use)."""
    cls = type(record)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = RowShape(cls)
    return shape.cells(record)


def report_fields(cls: type) -> tuple[str, ...]:
    """The fields of a record class that reports show: all but ``metadata={"report": False}``."""
    names = _REPORT_FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls)
        names = tuple(f.name for f in fields if f.metadata.get("report", True))
        _REPORT_FIELDS[cls] = names
    return names
