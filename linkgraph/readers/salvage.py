"""A tolerant JSON parser that salvages what a damaged document still holds.

Real exports arrive damaged: cut off mid-string when a download or a copy stopped, or with raw
control characters inside strings.  ``json.loads(text, strict=False)`` accepts the control
characters; this module handles the rest with a small recursive-descent parser that

* decodes every complete value exactly as ``json`` does (complete sub-values go through the C
  decoder, so salvaging a large list stays fast),
* keeps a string cut off by the end of the text up to the cut (an escape sequence cut in half is
  dropped), and keeps containers cut off by the end with every member completed before the cut,
* drops a number, literal or object key cut in half (its value cannot be trusted),
* stops at the first real syntax error (a character that cannot be there), returning what was
  complete before it, with the error's position and a short description.

It never raises for bad input.  ``parse_tolerant`` is pure and knows nothing about WordPress.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

MAX_DEPTH: Final = 200  # deeper nesting is refused (and would exhaust Python's recursion)

_DECODER: Final = json.JSONDecoder(strict=False)
_WS: Final = re.compile(r"[ \t\n\r]*")
_CHUNK: Final = re.compile(r'[^"\\]*')
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_HEX4: Final = re.compile(r"[0-9a-fA-F]{4}")
_ESCAPES: Final = {
    '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"
}
_LITERALS: Final = {"true": True, "false": False, "null": None}

PathPart = str | int


class ParseState(StrEnum):
    """How far a value (or the whole document) got."""

    COMPLETE = "complete"  # the value ended where JSON says it ends
    CUT = "cut"  # the text ended inside it; what is kept is every part completed before the cut
    DROPPED = "dropped"  # the text ended inside a scalar or key that cannot be kept
    ERROR = "error"  # a syntax error (not the end of the text) stopped the parse


@dataclass(frozen=True, slots=True)
class TolerantParse:
    """The result of ``parse_tolerant``.

    ``value`` is the (possibly partial) top-level value, ``None`` when nothing could be kept.
    ``cut_path`` names the innermost value that the end of the text cut off (``("content",
    "rendered")``), ``error_at`` / ``error`` the character offset and description of a syntax
    error, and ``end`` where the top-level value ended (text after it is ``trailing``).
    """

    value: Any
    state: ParseState
    end: int
    cut_path: tuple[PathPart, ...] | None = None
    error_at: int | None = None
    error: str | None = None
    trailing: bool = False


class _Parser:
    __slots__ = ("cut_path", "error", "error_at", "n", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.cut_path: tuple[PathPart, ...] | None = None
        self.error_at: int | None = None
        self.error: str | None = None

    def _ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def fail(self, i: int, message: str) -> tuple[Any, int, ParseState]:
        if self.error_at is None:
            self.error_at, self.error = i, message
        return None, i, ParseState.ERROR

    def cut(self, path: tuple[PathPart, ...]) -> None:
        if self.cut_path is None:  # the innermost value cut is recorded first
            self.cut_path = path

    def value(self, i: int, path: tuple[PathPart, ...]) -> tuple[Any, int, ParseState]:
        if len(path) > MAX_DEPTH:
            return self.fail(i, f"nested deeper than {MAX_DEPTH} levels")
        if i >= self.n:
            return None, i, ParseState.DROPPED
        try:
            val, end = _DECODER.raw_decode(self.text, i)
        except (json.JSONDecodeError, RecursionError):
            pass
        else:
            if end == self.n and isinstance(val, int | float) and not isinstance(val, bool):
                return None, end, ParseState.DROPPED  # a number at the very end may be cut
            return val, end, ParseState.COMPLETE
        c = self.text[i]
        if c == "{":
            return self.obj(i, path)
        if c == "[":
            return self.array(i, path)
        if c == '"':
            s, end, state = self.string(i)
            if state is ParseState.CUT:
                self.cut(path)
            return s, end, state
        return self.scalar(i)

    def scalar(self, i: int) -> tuple[Any, int, ParseState]:
        rest = self.text[i : i + 5]
        for word in _LITERALS:
            if rest.startswith(word):  # raw_decode would have taken a complete literal
                return self.fail(i + len(word), "unexpected character after a literal")
            if word.startswith(rest) and i + len(rest) == self.n:
                return None, self.n, ParseState.DROPPED
        m = _NUMBER.match(self.text, i)
        if m and m.end() == self.n:
            return None, self.n, ParseState.DROPPED  # a number at the very end may be cut
        if self.text.startswith("-", i) and i + 1 == self.n:
            return None, self.n, ParseState.DROPPED
        return self.fail(i, f"unexpected character {self.text[i]!r}")

    def string(self, i: int) -> tuple[Any, int, ParseState]:
        text, n = self.text, self.n
        parts: list[str] = []
        i += 1
        while True:
            m = _CHUNK.match(text, i)
            if m:
                parts.append(m.group())
                i = m.end()
            if i >= n:
                return "".join(parts), n, ParseState.CUT
            if text[i] == '"':
                return "".join(parts), i + 1, ParseState.COMPLETE
            if i + 1 >= n:  # a backslash cut off: drop it
                return "".join(parts), n, ParseState.CUT
            esc = text[i + 1]
            if esc in _ESCAPES:
                parts.append(_ESCAPES[esc])
                i += 2
                continue
            if esc != "u":
                return self.fail(i, f"invalid escape '\\{esc}'")
            digits = text[i + 2 : i + 6]
            if not _HEX4.fullmatch(digits):
                if i + 2 + len(digits) == n and all(d in "0123456789abcdefABCDEF" for d in digits):
                    return "".join(parts), n, ParseState.CUT  # \\uXX cut off: drop it
                return self.fail(i, "invalid \\u escape")
            code = int(digits, 16)
            i += 6
            if 0xD800 <= code < 0xDC00 and text.startswith("\\u", i):
                low = text[i + 2 : i + 6]
                if _HEX4.fullmatch(low) and 0xDC00 <= int(low, 16) < 0xE000:
                    code = 0x10000 + ((code - 0xD800) << 10) + (int(low, 16) - 0xDC00)
                    i += 6
            parts.append("\ufffd" if 0xD800 <= code < 0xE000 else chr(code))

    def _next_member(
        self, i: int, state: ParseState, path: tuple[PathPart, ...], closer: str, member: PathPart
    ) -> tuple[int, ParseState | None]:
        """After the value of *member* (a key, or an item's index) ending at *i*: the start of
        the next member and ``None``, or where the container ends and how (closed by *closer*,
        cut off by the end of the text, or a syntax error)."""
        if state is ParseState.COMPLETE:
            i = self._ws(i)
            if i < self.n:
                if self.text[i] == closer:
                    return i + 1, ParseState.COMPLETE
                if self.text[i] != ",":
                    after = f"item {member}" if closer == "]" else f"the value of {member!r}"
                    self.fail(i, f"expected ',' or '{closer}' after {after}")
                    return i, ParseState.ERROR
                i = self._ws(i + 1)
                if i < self.n:
                    return i, None
        self.cut(path)
        return i, ParseState.CUT

    def obj(self, i: int, path: tuple[PathPart, ...]) -> tuple[Any, int, ParseState]:
        out: dict[str, Any] = {}
        i = self._ws(i + 1)
        if i >= self.n:
            self.cut(path)
            return out, i, ParseState.CUT
        if self.text[i] == "}":
            return out, i + 1, ParseState.COMPLETE
        while True:
            if self.text[i] != '"':
                self.fail(i, f"expected a quoted key, found {self.text[i]!r}")
                return out, i, ParseState.ERROR
            key, i, state = self.string(i)
            if state is ParseState.ERROR:
                return out, i, state
            i = self._ws(i)
            if state is ParseState.CUT or i >= self.n:
                self.cut(path)
                return out, i, ParseState.CUT
            if self.text[i] != ":":
                self.fail(i, f"expected ':' after key {key!r}")
                return out, i, ParseState.ERROR
            val, i, state = self.value(self._ws(i + 1), (*path, key))
            if state is ParseState.ERROR:
                return out, i, state
            if state is not ParseState.DROPPED:
                out[key] = val
            i, end = self._next_member(i, state, path, "}", key)
            if end is not None:
                return out, i, end

    def array(self, i: int, path: tuple[PathPart, ...]) -> tuple[Any, int, ParseState]:
        out: list[Any] = []
        i = self._ws(i + 1)
        if i >= self.n:
            self.cut(path)
            return out, i, ParseState.CUT
        if self.text[i] == "]":
            return out, i + 1, ParseState.COMPLETE
        while True:
            val, i, state = self.value(i, (*path, len(out)))
            if state is ParseState.ERROR:
                return out, i, state
            if state is not ParseState.DROPPED:
                out.append(val)
            i, end = self._next_member(i, state, path, "]", len(out) - 1)
            if end is not None:
                return out, i, end


def parse_tolerant(text: str, start: int = 0) -> TolerantParse:
    """Parse the JSON value at *start* of *text*, salvaging what a cut or damaged text holds.

    >>> p = parse_tolerant('{"id": 7, "content": {"rendered": "<p>Hello, wor')
    >>> p.state.value, p.cut_path
    ('cut', ('content', 'rendered'))
    >>> p.value
    {'id': 7, 'content': {'rendered': '<p>Hello, wor'}}
    """
    parser = _Parser(text)
    i = parser._ws(start)
    value, end, state = parser.value(i, ())
    if state is ParseState.ERROR:
        return TolerantParse(
            value, state, end, parser.cut_path, parser.error_at, parser.error
        )
    if state is ParseState.DROPPED:
        value = None
    trailing = state is ParseState.COMPLETE and parser._ws(end) < len(text)
    return TolerantParse(value, state, end, parser.cut_path, trailing=trailing)
