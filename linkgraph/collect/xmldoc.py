"""Safe XML for sitemaps and feeds: no DTD, no entity expansion, a size cap, names without
namespaces, and the date formats these documents use.

``defusedxml`` refuses any DTD (so no entity can be declared, let alone expanded: no billion
laughs, no external entity reaching for files or the network); a sitemap or feed never needs
one.  gzip is undone here, within the cap, whatever the file's name says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Final
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from linkgraph.errors import InputError
from linkgraph.readers.sniff import GZIP_MAGIC, gunzip, size_label

__all__ = ["MAX_DOCUMENT_BYTES", "child", "children", "local", "parse_date", "parse_xml", "text"]

# sitemaps.org: at most 50 MB uncompressed per sitemap; feeds are smaller.
MAX_DOCUMENT_BYTES: Final = 50 * 1024 * 1024


def parse_xml(data: bytes, source: str, *, max_bytes: int = MAX_DOCUMENT_BYTES) -> Element:
    """The root element of *data* (gzip undone), or ``InputError`` saying why not."""
    damage = ""
    if data.startswith(GZIP_MAGIC):
        unzipped = gunzip(data, max_bytes)
        if unzipped.error is not None:
            raise InputError(f"{source}: {unzipped.error}")
        data = unzipped.data
        damage = f"; {unzipped.warning}" if unzipped.warning else ""
    if len(data) > max_bytes:
        raise InputError(f"{source}: over the document cap of {size_label(max_bytes)}; not read")
    try:
        root: Element = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise InputError(f"{source}: refused: the XML declares a DTD or entities ({exc})") from exc
    except ParseError as exc:
        raise InputError(f"{source}: not well-formed XML ({exc}{damage})") from exc
    return root


def local(element: Element) -> str:
    """The tag without its namespace: ``{http://...}loc`` -> ``loc``."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> list[Element]:
    """Direct children called *name* (any namespace)."""
    return [c for c in element if local(c) == name]


def child(element: Element, name: str) -> Element | None:
    """The first direct child called *name* (any namespace)."""
    return next((c for c in element if local(c) == name), None)


def text(element: Element | None, name: str | None = None) -> str:
    """The stripped text of *element* (or of its first child called *name*); "" when absent."""
    if element is not None and name is not None:
        element = child(element, name)
    return (element.text or "").strip() if element is not None else ""


def parse_date(value: str) -> datetime | None:
    """A W3C datetime (``2024-05-01``, ``2024-05-01T10:00:00+02:00``, ``...Z``) or an RFC 822
    date (``Wed, 01 May 2024 10:00:00 GMT``), timezone-aware (UTC when none is said), else None.

    >>> parse_date("2024-05-01").isoformat()
    '2024-05-01T00:00:00+00:00'
    >>> parse_date("Wed, 01 May 2024 10:00:00 +0200").isoformat()
    '2024-05-01T10:00:00+02:00'
    >>> parse_date("last Tuesday") is None
    True
    """
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
