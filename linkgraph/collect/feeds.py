"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: entry URLs, dates, and the entry's HTML when it has it.

A feed often carries each article whole (``content:encoded`` in RSS, ``<content>`` in Atom):
``entry_article`` makes it an ``Article`` so that it is read from the feed itself, without
fetching the page.  Links resolve against ``xml:base`` and the feed's own URL.

>>> feed = parse_feed(b'''<rss version="2.0"><channel><title>N</title><item>
... <link>/a</link><pubDate>Wed, 01 May 2024 10:00:00 GMT</pubDate></item></channel></rss>''',
...                   "https://news.example/feed")
>>> feed.kind.value, [(e.url, e.published.isoformat()) for e in feed.entries]
('rss2', [('https://news.example/a', '2024-05-01T10:00:00+00:00')])
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from xml.etree.ElementTree import Element, tostring

from linkgraph.collect.xmldoc import child, children, local, parse_date, parse_xml, text
from linkgraph.errors import InputError
from linkgraph.records import Article, BodyKind, Origin
from linkgraph.sources.shared_hosts import url_site
from linkgraph.urls import HTTP_SCHEMES, resolve_href, scheme_of, strip_credentials

__all__ = ["Feed", "FeedEntry", "FeedKind", "entry_article", "parse_feed"]

XML_BASE: Final = "{http://www.w3.org/XML/1998/namespace}base"
TAG: Final = re.compile(r"<[^>]*>")


class FeedKind(StrEnum):
    """The feed format."""

    RSS2 = "rss2"
    RSS1 = "rss1"  # RDF Site Summary
    ATOM = "atom"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item or entry: its page URL, dates (timezone-aware), and HTML when the feed has it."""

    url: str
    title: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    content_html: str | None = None  # content:encoded / Atom content: the article itself
    summary_html: str | None = None  # description / Atom summary: often an excerpt
    index: int = 0  # 0-based position in the feed

    @property
    def date(self) -> datetime | None:
        return self.published or self.updated


@dataclass(frozen=True, slots=True)
class Feed:
    """One parsed feed: where it came from, its entries, and the entries it had to drop."""

    source: str
    kind: FeedKind
    title: str
    entries: tuple[FeedEntry, ...]
    problems: tuple[str, ...] = ()


def parse_feed(data: bytes, source: str) -> Feed:
    """Parse the feed fetched from *source*; ``InputError`` when it is not RSS or Atom."""
    root = parse_xml(data, source)
    kind = local(root)
    if kind == "rss":
        channel = child(root, "channel")
        if channel is None:
            raise InputError(f"{source}: RSS without a <channel>")
        return _entries(FeedKind.RSS2, text(channel, "title"), children(channel, "item"), source)
    if kind == "RDF":
        channel = child(root, "channel")
        title = text(channel, "title") if channel is not None else ""
        return _entries(FeedKind.RSS1, title, children(root, "item"), source)
    if kind == "feed":
        return _entries(FeedKind.ATOM, text(root, "title"), children(root, "entry"), source,
                        _base(root, source))
    raise InputError(f"{source}: not an RSS or Atom feed: the root element is <{kind}>")


def entry_article(
    entry: FeedEntry, feed: Feed, fetched_at: datetime | None = None
) -> Article | None:
    """The article an entry carries whole (its ``content_html``), or ``None`` when it has none.

    The article is a fragment (the body only, like a WordPress post's ``content.rendered``),
    named by its URL as a page read from that URL is.
    """
    if not entry.content_html:
        return None
    domain = url_site(entry.url)
    return Article(
        id="url:" + hashlib.sha1(entry.url.encode("utf-8")).hexdigest()[:16],
        url=entry.url,
        site=domain,
        title=entry.title,
        published=entry.published,
        modified=entry.updated,
        origin=Origin(feed.source, entry.index, fetched_at=fetched_at),
        html=entry.content_html,
        body_kind=BodyKind.FRAGMENT,
        site_domains=(domain,) if domain else (),
    )


def _entries(
    kind: FeedKind, title: str, items: list[Element], source: str, base: str | None = None
) -> Feed:
    base = base or source
    entries: list[FeedEntry] = []
    problems: list[str] = []
    for index, item in enumerate(items):
        link = _atom_link(item) if kind is FeedKind.ATOM else _rss_link(item)
        item_base = _base(item, base)
        url = resolve_href(link, item_base) if link else None
        if url is None or scheme_of(url) not in HTTP_SCHEMES:
            what = f"link {link!r} is not an http(s) URL" if link else "no link"
            problems.append(f"{source}: entry {index + 1}: {what}; dropped")
            continue
        if kind is FeedKind.ATOM:
            published = parse_date(text(item, "published") or text(item, "issued"))
            updated = parse_date(text(item, "updated") or text(item, "modified"))
            content = _atom_html(child(item, "content"))
            summary = _atom_html(child(item, "summary"))
        else:
            published = parse_date(text(item, "pubDate") or text(item, "date"))
            updated = parse_date(text(item, "updated") or text(item, "modified"))
            content = text(item, "encoded") or None
            summary = text(item, "description") or None
        entries.append(FeedEntry(strip_credentials(url), _plain(item, kind),
                                 published, updated, content, summary, index))
    return Feed(source, kind, title, tuple(entries), tuple(problems))


def _plain(item: Element, kind: FeedKind) -> str:
    title = child(item, "title")
    if title is None:
        return ""
    if kind is FeedKind.ATOM and title.get("type") == "xhtml":
        return " ".join("".join(title.itertext()).split())
    plain = title.text or ""
    if kind is FeedKind.ATOM and title.get("type") == "html":
        plain = html.unescape(TAG.sub("", plain))  # escaped markup: drop the tags
    return " ".join(plain.split())


def _rss_link(item: Element) -> str:
    link = text(item, "link")
    if link:
        return link
    guid = child(item, "guid")
    if guid is not None and guid.get("isPermaLink", "true").lower() != "false":
        return text(guid)
    about = item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about", "")
    return about.strip()


def _atom_link(entry: Element) -> str:
    links = children(entry, "link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("type", "text/html") in {
            "text/html", "application/xhtml+xml"
        }:
            return link.get("href", "").strip()
    alternate = next((lk for lk in links if lk.get("rel", "alternate") == "alternate"), None)
    return alternate.get("href", "").strip() if alternate is not None else ""


def _atom_html(element: Element | None) -> str | None:
    """Atom text construct as HTML: ``html`` is HTML, ``xhtml`` is markup, ``text`` is text."""
    if element is None:
        return None
    kind = element.get("type", "text")
    if kind == "xhtml":
        inner = next(iter(element), None)
        if inner is None:
            return None
        parts = [html.escape(inner.text or "")]
        for node in inner:
            _strip_namespaces(node)
            parts.append(tostring(node, encoding="unicode", method="html"))
        return "".join(parts).strip() or None
    body = (element.text or "").strip()
    if not body:
        return None
    return body if kind == "html" else f"<p>{html.escape(body)}</p>"


def _strip_namespaces(element: Element) -> None:
    for node in element.iter():
        if isinstance(node.tag, str):
            node.tag = node.tag.rsplit("}", 1)[-1]


def _base(element: Element, base: str) -> str:
    declared = element.get(XML_BASE)
    if not declared:
        return base
    return resolve_href(declared.strip(), base) or base
