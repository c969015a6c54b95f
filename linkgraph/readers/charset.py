"""Decoding the bytes of a saved page whose charset nobody promised.

Order, as a browser would, with one twist for lying declarations:

1. a byte order mark (UTF-8, UTF-16 LE/BE) wins;
2. bytes that are valid UTF-8 are UTF-8: the common case, decoded without any scanning (a legacy
   single- or multi-byte text that happens to be valid UTF-8 is vanishingly rare); the one
   exception is a 7-bit ISO-2022-JP page, recognised by its escape sequences;
3. otherwise the declared charset (``<meta charset>``, ``<meta http-equiv=Content-Type>``, an XML
   declaration), mapped through the WHATWG label table (``iso-8859-1`` means windows-1252,
   ``euc-kr`` means windows-949, ...), if the bytes decode cleanly with it;
4. otherwise detection (charset-normalizer) over the page's text with the markup, scripts and
   styles cut away, since markup is ASCII and dilutes the signal; a declaration that did not fit
   is reported;
5. whatever is left undecodable is replaced with U+FFFD and reported: never an exception.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

log = logging.getLogger(__name__)

PRESCAN_BYTES: Final = 65536  # how far to look for a charset declaration
DETECT_SAMPLE_BYTES: Final = 65536  # how much stripped text detection looks at

_BOMS: Final = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_META_CHARSET: Final = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_DECL: Final = re.compile(
    rb"""^\s*<\?xml\b[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_NON_TEXT: Final = re.compile(
    rb"<script\b.*?</script\s*>|<style\b.*?</style\s*>|<!--.*?-->|<[^>]*>",
    re.IGNORECASE | re.DOTALL,
)

_ASCII: Final = bytes(range(128))

# WHATWG Encoding Standard labels whose Python codec differs (or is a superset browsers use).
WHATWG_LABELS: Final = {
    **dict.fromkeys(
        ("ascii", "us-ascii", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1",
         "l1", "cp819", "windows-1252", "x-cp1252", "ansi_x3.4-1968"),
        "cp1252",
    ),
    **dict.fromkeys(
        ("euc-kr", "euckr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601",
         "korean", "csksc56011987", "iso-ir-149", "windows-949", "cp949"),
        "cp949",
    ),
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j",
         "csshiftjis", "cp932"),
        "cp932",
    ),
    **dict.fromkeys(
        ("gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312-80", "iso-ir-58", "cp936",
         "gb18030"),
        "gb18030",
    ),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "x-x-big5", "csbig5"), "big5hkscs"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874", "dos-874"), "cp874"),
    # A meta element cannot declare UTF-16 (the bytes that carry it would be unreadable).
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16be", "unicode", "ucs-2"), "utf-8"),
    **dict.fromkeys(("utf8", "unicode-1-1-utf-8", "x-unicode20utf8"), "utf-8"),
}


class CharsetSource(StrEnum):
    """What decided the encoding."""

    BOM = "bom"
    UTF8 = "utf-8"  # the bytes were valid UTF-8
    DECLARED = "declared"  # meta charset / http-equiv / XML declaration
    DETECTED = "detected"
    FALLBACK = "fallback"  # nothing fitted: UTF-8 (or the declaration) with replacements


@dataclass(frozen=True, slots=True)
class DecodedHTML:
    """A page's text, the Python codec that decoded it, and what went wrong doing so."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()
    source: CharsetSource = CharsetSource.UTF8


def normalise_label(label: str) -> str | None:
    """The Python codec for a charset label (WHATWG mapping first); ``None`` if unknown.

    >>> normalise_label("EUC-KR"), normalise_label("ISO-8859-1"), normalise_label("bogus")
    ('cp949', 'cp1252', None)
    """
    key = label.strip().lower()
    for candidate in (key, key.replace("_", "-")):
        if candidate in WHATWG_LABELS:
            return WHATWG_LABELS[candidate]
    try:
        return codecs.lookup(key).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """The charset label a page declares in its first bytes (meta or XML declaration)."""
    head = data[:PRESCAN_BYTES]
    m = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii") if m else None


def decode_html(data: bytes) -> DecodedHTML:
    """Decode a saved page's bytes to text (see the module docstring for the order).

    >>> decode_html("<p>Привет</p>".encode("utf-8")).encoding
    'utf-8'
    >>> d = decode_html(b'<meta charset="euc-kr"><p>' + "한국어".encode("euc-kr"))
    >>> d.text[-3:], d.encoding, d.source.value
    ('한국어', 'cp949', 'declared')
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _lenient(data[len(bom) :], codec, CharsetSource.BOM, [])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        if b"\x1b" in data:  # 7-bit ISO-2022-JP is valid ASCII: follow its declaration
            label = declared_charset(data)
            declared = normalise_label(label) if label else None
            if declared and declared.startswith("iso2022"):
                return _lenient(data, declared, CharsetSource.DECLARED, [])
        return DecodedHTML(text, "utf-8")
    return _slow_path(data, first_bad)


def _slow_path(data: bytes, first_bad: int) -> DecodedHTML:
    warnings: list[str] = []
    label = declared_charset(data)
    declared = normalise_label(label) if label else None
    if label and declared is None:
        warnings.append(f"unknown charset label {label!r} declared; ignored")
    if declared and declared != "utf-8":
        try:
            return DecodedHTML(data.decode(declared), declared, (), CharsetSource.DECLARED)
        except UnicodeDecodeError as exc:
            first_bad = exc.start
    utf16 = _utf16_without_bom(data)
    detected = utf16 or _detect(data)
    if detected and detected != declared:
        try:
            text = data.decode(detected)
        except UnicodeDecodeError:
            pass
        else:
            if label:
                warnings.append(
                    f"declared charset {label!r} does not fit the bytes (invalid at byte"
                    f" {first_bad}); decoded as {detected} (detected)"
                )
            return DecodedHTML(text, detected, tuple(warnings), CharsetSource.DETECTED)
    # Nothing decodes cleanly: the declaration (or UTF-8) with replacement characters.
    return _lenient(data, declared or "utf-8", CharsetSource.FALLBACK, warnings)


def _lenient(data: bytes, codec: str, source: CharsetSource, warnings: list[str]) -> DecodedHTML:
    """Decode with U+FFFD for bad bytes, saying how many and where the first one was."""
    try:
        return DecodedHTML(data.decode(codec), codec, tuple(warnings), source)
    except UnicodeDecodeError as exc:
        first = exc.start
    text = data.decode(codec, "replace")
    bad = text.count("\ufffd") - (data.count(b"\xef\xbf\xbd") if codec == "utf-8" else 0)
    warnings.append(
        f"{max(bad, 1)} undecodable byte sequence(s) replaced with U+FFFD (first at byte"
        f" {first}), decoded as {codec}"
    )
    return DecodedHTML(text, codec, tuple(warnings), source)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM shows as a NUL in every other byte of ASCII markup."""
    head = data[:1024]
    if len(head) < 16 or head.count(0) < len(head) // 3:
        return None
    if head[1::2].count(0) > len(head) // 3:
        return "utf-16-le"
    if head[0::2].count(0) > len(head) // 3:
        return "utf-16-be"
    return None


def _detect(data: bytes) -> str | None:
    """charset-normalizer's best guess over the page's text (markup stripped)."""
    try:
        from charset_normalizer import from_bytes  # noqa: PLC0415 - slow path only; keeps imports light
    except ImportError:  # pragma: no cover - a declared dependency
        log.warning("charset-normalizer is not installed: no charset detection")
        return None
    sample = _NON_TEXT.sub(b" ", data)
    if len(sample[:DETECT_SAMPLE_BYTES].translate(None, _ASCII)) < 16:
        sample = data  # too little text outside markup: let detection see everything
    best = from_bytes(sample[:DETECT_SAMPLE_BYTES]).best()
    if best is None:
        return None
    return normalise_label(best.encoding)
