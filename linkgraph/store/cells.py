"""Records to and from the store's rows: the row shapes of each table (columns from the
records' fields, :mod:`linkgraph.rows`), body sentences as a zlib'd JSON cell, dates as ISO text,
and a stored check read back."""

from __future__ import annotations

import json
import zlib
from dataclasses import replace
from datetime import UTC, datetime
from typing import Final

from linkgraph.records import (
    Article,
    BodySentence,
    CheckResult,
    Citation,
    ErrorKind,
    ReadFailure,
    Verdict,
)
from linkgraph.rows import ZLIB_LEVEL, RowShape

ARTICLE: Final = RowShape(Article)
CITATION: Final = RowShape(Citation)
CHECK: Final = RowShape(CheckResult)
SENTENCE: Final = RowShape(BodySentence)
FAILURE: Final = RowShape(ReadFailure)
# An article row: the Article's columns, then what its extraction adds.
ARTICLE_COLUMNS: Final = ", ".join(
    (*ARTICLE.names, "extraction_warnings", "sentences", "ingested_at")
)
CITATION_COLUMNS: Final = ", ".join(CITATION.names)
CHECK_COLUMNS: Final = ", ".join(CHECK.names)


def marks(count: int) -> str:
    return ", ".join("?" * count)


def sentences_cell(sentences: tuple[BodySentence, ...] | None) -> bytes | None:
    if sentences is None:
        return None
    rows = [SENTENCE.row(s) for s in sentences]
    return zlib.compress(json.dumps(rows, ensure_ascii=False).encode("utf-8"), ZLIB_LEVEL)


def sentences_from_cell(cell: bytes | None) -> tuple[BodySentence, ...] | None:
    if cell is None:
        return None
    return tuple(SENTENCE.record(row) for row in json.loads(zlib.decompress(cell)))


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def now() -> str:
    return datetime.now(UTC).isoformat()



def read_check(row: tuple[object, ...]) -> CheckResult:
    """A stored check; "dead" with the old ``dns`` kind reads back as an error: it was stored
    before a dead resolver was told from a missing name (an offline run stored every link so),
    and was never verified."""
    result = CHECK.record(row)
    if result.error is ErrorKind.DNS and result.verdict is Verdict.DEAD:
        return replace(result, verdict=Verdict.ERROR)
    return result
