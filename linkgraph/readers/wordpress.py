"""WordPress REST API posts (``/wp-json/wp/v2/posts``) as ``Article`` records.

Accepts a single post object, a list response, JSON Lines of posts, gzip of any of these (the
caller decompresses), and damaged documents: raw control characters inside strings, a document
cut off at the end (salvaged, see ``linkgraph.readers.salvage``), a syntax error in the middle of
a list (the records before it are kept).  A record that is not a post is a ``ReadFailure`` for
that record; the others go on.

Every warning and failure message starts with the file and record (``path#N: ...``), so it can
be printed as it is.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Final

from ada_url import URL

from linkgraph.readers.salvage import ParseState, PathPart, TolerantParse, parse_tolerant
from linkgraph.records import Article, BodyKind, Origin, ReadFailure
from linkgraph.sources.shared_hosts import site_of
from linkgraph.urls import (
    HTTP_SCHEMES,
    plain_http_parts,
    scheme_of,
    split_userinfo,
    without_www,
)

_TAG: Final = re.compile(r"<[^>]*>")
_SPACE: Final = re.compile(r"\s+")
_UTF8_BOM: Final = b"\xef\xbb\xbf"
_NOT_SPACE: Final = re.compile(r"\S")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")


def parse_wordpress(
    data: bytes | str, path: str, *, lines: bool | None = None
) -> Iterator[Article | ReadFailure]:
    """Yield one ``Article`` (or ``ReadFailure``) per post in a WordPress REST API document.

    *lines* forces JSON Lines (``True``) or one document (``False``); by default a document
    with several top-level values is read as JSON Lines.  Never raises for bad content.

    >>> doc = '{"id": 5, "link": "https://www.example.org/a/", "title": {"rendered": "A &amp; B"},'
    >>> doc += ' "date_gmt": "2024-01-02T03:04:05", "content": {"rendered": "<p>Hi</p>"}}'
    >>> [(a.id, a.title, a.site) for a in parse_wordpress(doc, "post.json")]
    [('wp:example.org:5', 'A & B', 'example.org')]
    """
    text, bom, warnings = _json_text(data, path)
    nbytes = len(data) if isinstance(data, bytes) else len(text.encode("utf-8", "replace"))
    first_value = _NOT_SPACE.search(text)  # (text.lstrip() would copy the whole file)
    start = first_value.start() if first_value is not None else len(text)
    if start == len(text):
        yield ReadFailure(Origin(path), f"{path}: empty file, no JSON in it")
        return
    first = text[start]
    if first not in "{[":
        hint = " (it looks like HTML)" if first == "<" else ""
        yield ReadFailure(
            Origin(path),
            f"{path}: not JSON: expected '{{' or '[' at byte {_byte_at(text, start, bom)},"
            f" found {first!r}{hint}",
        )
        return
    if lines:
        yield from _json_lines(text, path, bom, warnings)
        return
    try:
        parsed = TolerantParse(json.loads(text, strict=False), ParseState.COMPLETE, len(text))
    except (json.JSONDecodeError, RecursionError):
        parsed = parse_tolerant(text, start)
    if parsed.trailing and lines is None:
        yield from _json_lines(text, path, bom, warnings)
        return
    if parsed.trailing:
        at = _byte_at(text, parsed.end, bom)
        parsed = TolerantParse(
            parsed.value, ParseState.ERROR, parsed.end, error_at=parsed.end,
            error=f"unexpected data after the JSON value at byte {at}",
        )
    yield from _document(parsed, text, path=path, bom=bom, nbytes=nbytes, warnings=warnings)


def _document(
    parsed: TolerantParse, text: str, *, path: str, bom: int, nbytes: int, warnings: list[str]
) -> Iterator[Article | ReadFailure]:
    value = parsed.value
    cut = parsed.cut_path if parsed.state is ParseState.CUT else None
    error = None
    if parsed.state is ParseState.ERROR:
        at = _byte_at(text, parsed.error_at or 0, bom)
        error = f"invalid JSON at byte {at}: {parsed.error}"
    if not isinstance(value, list):
        origin = Origin(path)
        if error is not None:
            yield ReadFailure(origin, f"{origin}: {error}")
            return
        extra = list(warnings)
        if cut is not None:
            extra.append(f"{origin}: {_truncation(nbytes, value, cut)}")
        yield post_to_article(value, origin, extra)
        return
    for index, record in enumerate(value):
        origin = Origin(path, index)
        extra = list(warnings)
        if cut and cut[0] == index:
            extra.append(f"{origin}: {_truncation(nbytes, record, cut[1:])}")
        yield post_to_article(record, origin, extra)
    if error is not None:
        origin = Origin(path, len(value))
        yield ReadFailure(
            origin, f"{origin}: {error}; {len(value)} records before it were read, the rest of"
            " the file is skipped",
        )
    elif cut == ():
        origin = Origin(path, len(value))
        yield ReadFailure(
            origin, f"{origin}: truncated JSON at byte {nbytes}: the list ends after"
            f" {len(value)} complete records",
        )


def _json_lines(
    text: str, path: str, bom: int, warnings: list[str]
) -> Iterator[Article | ReadFailure]:
    """JSON Lines: one post per non-blank line; a bad line fails alone."""
    index = 0
    offset = bom  # byte offset of the line's start in the file, kept as the lines go by:
    lines = text.split("\n")  # re-encoding the text before each bad line was quadratic
    for lineno, line in enumerate(lines, start=1):
        line_start = offset
        offset += (len(line) if line.isascii() else _utf8_len(line)) + 1
        if not line.strip():
            continue
        origin = Origin(path, index)
        index += 1
        try:
            record = json.loads(line, strict=False)
        except (json.JSONDecodeError, RecursionError):
            parsed = parse_tolerant(line)
            last = lineno == len(lines) or (lineno == len(lines) - 1 and not lines[-1].strip())
            if parsed.state is ParseState.CUT and last:
                nbytes = _byte_at(text, len(text.rstrip("\n")), bom)
                note = f"{origin}: {_truncation(nbytes, parsed.value, parsed.cut_path or ())}"
                yield post_to_article(parsed.value, origin, [*warnings, note])
                continue
            at = parsed.error_at if parsed.error_at is not None else len(line)
            where = line_start + (at if line.isascii() else _utf8_len(line[:at]))
            what = parsed.error or "the line ends inside a value"
            yield ReadFailure(
                origin, f"{origin}: invalid JSON on line {lineno} (byte {where}): {what}"
            )
            continue
        yield post_to_article(record, origin, list(warnings))


def post_to_article(post: Any, origin: Origin, warnings: list[str]) -> Article | ReadFailure:
    """Turn one decoded post object into an ``Article``, or a ``ReadFailure`` if it is no post."""
    if not isinstance(post, dict):
        kind = type(post).__name__ if post is not None else "null"
        return ReadFailure(origin, f"{origin}: not a WordPress post: a JSON {kind}, not an object")
    content = _rendered(post.get("content"))
    if content is None:
        if isinstance(post.get("code"), str) and isinstance(post.get("message"), str):
            return ReadFailure(
                origin, f"{origin}: a WordPress API error response, not a post:"
                f" {post['code']}: {post['message']}",
            )
        names = [k if len(k) <= 30 else k[:29] + "…" for k in map(str, list(post)[:5])]
        keys = ", ".join(names) + (", ..." if len(post) > 5 else "") if names else "none"
        damage = "; ".join(w.removeprefix(f"{origin}: ") for w in warnings)
        return ReadFailure(
            origin, f"{origin}: not a WordPress post: no content.rendered (keys: {keys})"
            + (f"; {damage}" if damage else ""),
        )
    content = _encodable(content, "content.rendered", origin, warnings)
    if not content.strip():
        protected = isinstance(post.get("content"), dict) and post["content"].get("protected")
        why = " (the post is password-protected)" if protected else ""
        warnings.append(f"{origin}: content.rendered is empty{why}")
    link = post.get("link")
    url = link.strip() if isinstance(link, str) and link.strip() else None
    host = None
    if url is not None:
        url, _ = split_userinfo(url)  # credentials in a post's link are never kept or shown
        parsed = _href_and_host(url)
        if parsed is None or scheme_of(parsed[0]) not in HTTP_SCHEMES:
            warnings.append(f"{origin}: link {url!r} is not an absolute http(s) URL; ignored")
            url = None
        else:
            host = parsed[1]
    site = site_of(host)
    domains: list[str] = [site] if site else []
    guid = _rendered(post.get("guid"))
    parsed_guid = _href_and_host(guid) if guid else None
    guid_site = site_of(parsed_guid[1]) if parsed_guid else None
    if guid_site and guid_site not in domains:
        domains.append(guid_site)
    published = _post_time(post, "date_gmt", "date", origin, warnings)
    modified = _post_time(post, "modified_gmt", "modified", origin, warnings)
    return Article(
        id=_post_id(post.get("id"), url, host, origin),
        url=url,
        site=site or (domains[0] if domains else None),
        title=_encodable(_plain(_rendered(post.get("title")) or ""), "title", origin, warnings),
        published=published,
        modified=modified,
        origin=origin,
        html=content,
        body_kind=BodyKind.FRAGMENT,
        site_domains=tuple(domains),
        warnings=tuple(warnings),
        rest_url=_self_link(post.get("_links")),
        guid=parsed_guid[0] if parsed_guid and scheme_of(parsed_guid[0]) in HTTP_SCHEMES
        else None,
    )


def _self_link(links: Any) -> str | None:
    """The post's REST self link (``_links.self[0].href``) when it is an http(s) URL."""
    try:
        href = links["self"][0]["href"]
    except (KeyError, IndexError, TypeError):
        return None
    parsed = _href_and_host(href) if isinstance(href, str) else None
    return parsed[0] if parsed and scheme_of(parsed[0]) in HTTP_SCHEMES else None


def _encodable(text: str, name: str, origin: Origin, warnings: list[str]) -> str:
    """*text* with lone surrogates (from ``\\ud800``-style escapes) replaced by U+FFFD."""
    if text.isascii():
        return text  # no surrogates in ASCII: spares encoding the whole text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        warnings.append(f"{origin}: {name} has invalid \\u escapes (lone surrogates); replaced")
        return _SURROGATE.sub("\ufffd", text)
    return text


def _rendered(field: Any) -> str | None:
    """``field.rendered`` of a WordPress object, or the field itself when it is a string."""
    if isinstance(field, dict):
        field = field.get("rendered")
    return field if isinstance(field, str) else None


def _plain(rendered: str) -> str:
    """Rendered title HTML to plain text: tags stripped, entities unescaped, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub("", rendered))).strip()


def _href_and_host(url: str) -> tuple[str, str | None] | None:
    """WHATWG serialisation and host name of an absolute URL from one parse; ``None`` if invalid.

    Same values as ``urls.resolve_href(url, None)`` and ``urls.hostname(url)``.
    """
    plain = plain_http_parts(url)
    if plain is not None:
        return url, plain[1]  # already serialised: no parse needed
    try:
        parsed = URL(url)
    except ValueError:
        return None
    return str(parsed.href), str(parsed.hostname).strip("[]") or None


def _post_id(raw: Any, url: str | None, host: str | None, origin: Origin) -> str:
    numeric = (isinstance(raw, int) and not isinstance(raw, bool)) or (
        isinstance(raw, str) and raw.isdigit()
    )
    if host and numeric:
        return f"wp:{without_www(host.lower())}:{raw}"
    if url:
        return "url:" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]
    return "file:" + hashlib.sha1(str(origin).encode("utf-8")).hexdigest()[:16]


def _post_time(
    post: dict[str, Any], gmt_key: str, local_key: str, origin: Origin, warnings: list[str]
) -> datetime | None:
    """A post time in UTC: the ``*_gmt`` field, else the local one taken as UTC (with a warning)."""
    gmt = _parse_time(post.get(gmt_key))
    if gmt is not None:
        return gmt if gmt.tzinfo else gmt.replace(tzinfo=UTC)
    local_raw = post.get(local_key)
    local = _parse_time(local_raw)
    if local is None:
        if local_raw not in (None, ""):
            warnings.append(f"{origin}: {local_key} {local_raw!r} is not a date; ignored")
        return None
    if local.tzinfo is None:
        warnings.append(
            f"{origin}: no {gmt_key}; {local_key} {local_raw!r} (site local time) taken as UTC"
        )
        return local.replace(tzinfo=UTC)
    return local


def _parse_time(raw: Any) -> datetime | None:
    if not isinstance(raw, str) or not raw.strip() or raw.startswith("0000"):
        return None
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError:
        return None
    return value.astimezone(UTC) if value.tzinfo else value


def _truncation(nbytes: int, record: Any, cut: tuple[PathPart, ...]) -> str:
    """'truncated JSON at byte N: salvaged a, b, content.rendered (cut)'."""
    if not isinstance(record, dict) or not record:
        return f"truncated JSON at byte {nbytes}: salvaged nothing"
    names = []
    for key in record:
        if cut and key == cut[0]:
            names.append(".".join(map(str, cut)) + " (cut)")
        else:
            names.append(str(key))
    return f"truncated JSON at byte {nbytes}: salvaged {', '.join(names)}"


def _json_text(data: bytes | str, path: str) -> tuple[str, int, list[str]]:
    """Decode JSON bytes (UTF-8, optional BOM); bad bytes are replaced, with a warning."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff"), 0, []
    bom = 3 if data.startswith(_UTF8_BOM) else 0
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", "replace"), 0, []
    try:
        return data[bom:].decode("utf-8"), bom, []
    except UnicodeDecodeError as exc:
        bad = exc.start + bom
        text = data[bom:].decode("utf-8", "replace")
        return text, bom, [f"{path}: invalid UTF-8 at byte {bad}; bad bytes replaced with U+FFFD"]


def _utf8_len(text: str) -> int:
    """Bytes of *text* in UTF-8 (a lone surrogate counts as the one byte it replaced)."""
    return len(text.encode("utf-8", "replace"))


def _byte_at(text: str, pos: int, bom: int) -> int:
    """Byte offset in the file of character offset *pos* of the decoded text."""
    return len(text[:pos].encode("utf-8", "replace")) + bom
