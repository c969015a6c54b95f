"""Sitemaps (sitemaps.org 0.9, Google News), sitemap indexes, and robots.txt ``Sitemap:`` lines.

``parse_sitemap`` reads one document (XML or ``.xml.gz``; a plain-text sitemap of one URL per
line too); ``walk_sitemaps`` follows indexes breadth-first through a *fetch* function the caller
supplies (``linkgraph.web`` in ``collect``, a dict in tests), never the same sitemap twice, at
most *max_depth* indexes deep and *max_sitemaps* documents in all: an endless or recursive
index ends at the cap with a problem that says so.

>>> doc = b'''<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
... <url><loc>https://news.example/a</loc><lastmod>2024-05-01</lastmod></url></urlset>'''
>>> sitemap = parse_sitemap(doc, "https://news.example/sitemap.xml")
>>> [(e.url, e.date.isoformat()) for e in sitemap.entries]
[('https://news.example/a', '2024-05-01T00:00:00+00:00')]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Final
from xml.etree.ElementTree import Element

from linkgraph.collect.xmldoc import child, children, local, parse_date, parse_xml, text
from linkgraph.errors import InputError
from linkgraph.urls import HTTP_SCHEMES, resolve_href, scheme_of

__all__ = [
    "Sitemap",
    "SitemapEntry",
    "SitemapKind",
    "SitemapProblem",
    "SitemapWalk",
    "parse_sitemap",
    "robots_sitemaps",
    "walk_sitemaps",
]

MAX_DEPTH: Final = 4  # an index of indexes of indexes of sitemaps is already rare
MAX_SITEMAPS: Final = 1000  # documents fetched by one walk


class SitemapKind(StrEnum):
    """What a sitemap document lists."""

    URLSET = "urlset"  # pages
    INDEX = "sitemapindex"  # other sitemaps
    TEXT = "text"  # pages, one URL per line


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    """One page a sitemap lists, with the dates it gives (timezone-aware)."""

    url: str
    lastmod: datetime | None = None
    published: datetime | None = None  # Google News <news:publication_date>
    title: str | None = None  # Google News <news:title>
    sitemap: str = ""  # the sitemap that listed it

    @property
    def date(self) -> datetime | None:
        """The publication date when known, else the last modification."""
        return self.published or self.lastmod


@dataclass(frozen=True, slots=True)
class SitemapProblem:
    """A sitemap that could not be used, or an entry of one that was dropped."""

    source: str
    message: str  # starts with the source (and entry number)


@dataclass(frozen=True, slots=True)
class Sitemap:
    """One parsed sitemap document."""

    kind: SitemapKind
    entries: tuple[SitemapEntry, ...] = ()
    sitemaps: tuple[str, ...] = ()  # for an index: the sitemaps it lists
    problems: tuple[str, ...] = ()


def parse_sitemap(data: bytes, source: str) -> Sitemap:
    """Parse one sitemap, sitemap index or plain-text sitemap fetched from *source*.

    Relative ``<loc>`` values resolve against *source*; ones that are not http(s) are dropped
    with a problem.  Raises ``InputError`` when the document is neither.
    """
    head = data[:512].lstrip()
    if head and not head.startswith(b"<") and not head.startswith(b"\x1f\x8b"):
        return _text_sitemap(data, source)
    root = parse_xml(data, source)
    kind = local(root)
    if kind == "sitemapindex":
        urls, problems = _locs(children(root, "sitemap"), source)
        return Sitemap(SitemapKind.INDEX, sitemaps=tuple(u for u, _ in urls),
                       problems=tuple(problems))
    if kind != "urlset":
        raise InputError(f"{source}: not a sitemap: the root element is <{kind}>, not <urlset>"
                         " or <sitemapindex>")
    urls, problems = _locs(children(root, "url"), source)
    entries = tuple(_entry(url, element, source) for url, element in urls)
    return Sitemap(SitemapKind.URLSET, entries=entries, problems=tuple(problems))


def robots_sitemaps(robots_txt: str, source: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (any case, anywhere in the file), in order, once.

    >>> robots_sitemaps("User-agent: *\\nDisallow: /x\\nsitemap: /s.xml # main\\n",
    ...                 "https://a.example/robots.txt")
    ['https://a.example/s.xml']
    """
    found: list[str] = []
    for line in robots_txt.splitlines():
        name, sep, value = line.partition(":")
        if not sep or name.strip().lower() != "sitemap":
            continue
        url = resolve_href(value.split("#", 1)[0].strip(), source)
        if url and scheme_of(url) in HTTP_SCHEMES and url not in found:
            found.append(url)
    return found


class SitemapWalk:
    """The walk over sitemaps and their indexes, without I/O: ask ``next_sitemap`` what to
    fetch, hand the bytes (or the failure) to ``add``, which returns the pages and problems
    that document gives; repeat until ``next_sitemap`` returns ``None``.  A sync or an async
    fetcher drives it alike (``walk_sitemaps`` is the sync one).

    Breadth-first, never the same sitemap twice, at most *max_depth* indexes deep and
    *max_sitemaps* documents in all; a page listed by several sitemaps comes once.
    """

    def __init__(
        self, roots: list[str], *, max_depth: int = MAX_DEPTH, max_sitemaps: int = MAX_SITEMAPS
    ) -> None:
        self.max_depth = max_depth
        self.max_sitemaps = max_sitemaps
        self.fetched = 0
        self._queue: deque[tuple[str, int]] = deque((root, 0) for root in roots)
        self._depth: dict[str, int] = {}
        self._seen: set[str] = set()
        self._pages: set[str] = set()
        self.capped: SitemapProblem | None = None  # set when the document cap stopped the walk

    def next_sitemap(self) -> str | None:
        """The next sitemap to fetch, or ``None`` when the walk is over (or capped)."""
        while self._queue:
            url, depth = self._queue.popleft()
            if url in self._seen:
                continue
            self._seen.add(url)
            if self.fetched >= self.max_sitemaps:
                left = 1 + sum(1 for u, _ in self._queue if u not in self._seen)
                self.capped = SitemapProblem(url, f"{url}: sitemap cap of {self.max_sitemaps}"
                                             f" documents reached; {left} more sitemaps not read")
                self._queue.clear()
                return None
            self.fetched += 1
            self._depth[url] = depth
            return url
        return None

    def add(self, url: str, data: bytes | Exception) -> list[SitemapEntry | SitemapProblem]:
        """What the document fetched from *url* gives (its fetch failure, when *data* is one)."""
        depth = self._depth.get(url, 0)
        if isinstance(data, Exception):
            return [SitemapProblem(url, str(data) if str(data).startswith(url)
                                   else f"{url}: {data}")]
        try:
            sitemap = parse_sitemap(data, url)
        except InputError as exc:
            return [SitemapProblem(url, str(exc))]
        out: list[SitemapEntry | SitemapProblem] = [
            SitemapProblem(url, problem) for problem in sitemap.problems
        ]
        if sitemap.kind is SitemapKind.INDEX:
            if depth >= self.max_depth:
                out.append(SitemapProblem(url, f"{url}: sitemap index nested deeper than"
                                          f" {self.max_depth} levels; its"
                                          f" {len(sitemap.sitemaps)} sitemaps not read"))
            else:
                self._queue.extend((child_url, depth + 1) for child_url in sitemap.sitemaps)
            return out
        for entry in sitemap.entries:
            if entry.url not in self._pages:
                self._pages.add(entry.url)
                out.append(entry)
        return out


def walk_sitemaps(
    roots: list[str],
    fetch: Callable[[str], bytes],
    *,
    max_depth: int = MAX_DEPTH,
    max_sitemaps: int = MAX_SITEMAPS,
) -> Iterator[SitemapEntry | SitemapProblem]:
    """Every page of the sitemaps at *roots*, following indexes; problems as values.

    *fetch* returns a document's bytes or raises (``InputError`` or ``OSError``: a problem for
    that sitemap, the walk goes on).
    """
    walk = SitemapWalk(roots, max_depth=max_depth, max_sitemaps=max_sitemaps)
    while (url := walk.next_sitemap()) is not None:
        try:
            data: bytes | Exception = fetch(url)
        except (InputError, OSError) as exc:
            data = exc
        yield from walk.add(url, data)
    if walk.capped is not None:
        yield walk.capped


def _locs(elements: list[Element], source: str) -> tuple[list[tuple[str, Element]], list[str]]:
    urls: list[tuple[str, Element]] = []
    problems: list[str] = []
    for number, element in enumerate(elements, 1):
        loc = text(element, "loc")
        url = resolve_href(loc, source) if loc else None
        if url is None or scheme_of(url) not in HTTP_SCHEMES:
            what = f"<loc> {loc!r} is not an http(s) URL" if loc else "no <loc>"
            problems.append(f"{source}: entry {number}: {what}; dropped")
            continue
        urls.append((url, element))
    return urls, problems


def _entry(url: str, element: Element, source: str) -> SitemapEntry:
    news = child(element, "news")
    published = title = None
    if news is not None:
        published = parse_date(text(news, "publication_date"))
        title = text(news, "title") or None
    return SitemapEntry(url, parse_date(text(element, "lastmod")), published, title, source)


def _text_sitemap(data: bytes, source: str) -> Sitemap:
    entries: list[SitemapEntry] = []
    problems: list[str] = []
    for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        value = line.strip()
        if not value:
            continue
        if scheme_of(value) not in HTTP_SCHEMES:
            problems.append(f"{source}: line {number}: {value[:80]!r} is not an http(s) URL")
            continue
        entries.append(SitemapEntry(value, sitemap=source))
    if problems and not entries:  # an error page or some other document, not a sitemap
        raise InputError(f"{source}: not a sitemap (neither XML nor a list of URLs)")
    return Sitemap(SitemapKind.TEXT, entries=tuple(entries), problems=tuple(problems))
