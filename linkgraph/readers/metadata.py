"""Page metadata from an already parsed page: title, canonical URL, site, times, language,
authors.

One CSS pass collects the head's ``<title>``, ``<meta>``, ``<link>``, ``<base>`` and JSON-LD
``<script>`` elements (plus ``<h1>`` as the last title fallback), and in the same traversal the
``<p>``/``<pre>``/``<br>`` elements body detection weighs; ``<time datetime>`` is looked at
only when no meta tag or JSON-LD gave a date.  Everything here is pure: a tree in, a record out.

Priorities (first found wins), as tables at the top so they can grow:

* title: ``og:title``, ``twitter:title``, JSON-LD ``headline``, ``<title>``, first ``<h1>``;
* canonical URL: ``<link rel=canonical>``, ``og:url`` (as declared: may be relative);
* site name: ``og:site_name``, JSON-LD ``publisher.name``, ``application-name``;
* published / modified: the meta names below, then JSON-LD ``datePublished`` /
  ``dateModified``, then ``<time datetime>`` (one marked as the publication time first);
* language: ``<html lang>``, ``og:locale``, ``Content-Language``, JSON-LD ``inLanguage``;
* authors: the author meta tags below (names only), else JSON-LD ``author``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

# One traversal; the attribute filters keep the Python side small (few nodes come back).
_LD_QUERY: Final = 'script[type="application/ld+json"]'
_HEAD_QUERY: Final = (
    f'meta[content], link[rel~="canonical" i][href], {_LD_QUERY}, title, base[href]'
)
# The same traversal also collects the paragraph elements body detection weighs: one
# whole-document query instead of two (each costs about a fifth of a parse).
# The elements weighed as paragraphs by body detection (a <br> stands for its parent's direct
# text); the reader collects them in its metadata query so that extraction need not.
PARAGRAPH_SELECTOR: Final = "p, pre, br"
_PAGE_QUERY: Final = f"{_HEAD_QUERY}, {PARAGRAPH_SELECTOR}"
_PARAGRAPH_TAGS: Final = frozenset(PARAGRAPH_SELECTOR.split(", "))
_META_NAME_ATTRS: Final = ("property", "name", "itemprop", "http-equiv")
TITLE_KEYS: Final = ("og:title", "twitter:title")
SITE_NAME_KEYS: Final = ("og:site_name",)
PUBLISHED_KEYS: Final = (
    "article:published_time", "og:article:published_time", "og:published_time",
    "datepublished", "parsely-pub-date", "sailthru.date", "pubdate", "publishdate",
    "publish-date", "article.published", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "citation_publication_date", "date",
)
# The article's author(s), by name (a value that is a URL, as article:author often is, is not
# a name).
AUTHOR_KEYS: Final = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator")
MODIFIED_KEYS: Final = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "datemodified",
    "last-modified", "dcterms.modified", "article.updated",
)
ARTICLE_TYPES: Final = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "socialmediaposting",
        "scholarlyarticle", "techarticle", "liveblogposting", "posting", "report",
    }
)
_SPACE: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What a page says about itself.

    ``published`` and ``modified`` are timezone-aware; a time written without a zone is taken
    as UTC.  ``canonical_url`` is as the page declares it (it may be relative).
    ``ld_article_body`` is the JSON-LD ``articleBody`` text, a body signal for extraction.
    """

    title: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    published: datetime | None = None
    modified: datetime | None = None
    language: str | None = None
    ld_article_body: str | None = None
    base_href: str | None = None  # the first <base href> as declared (stripped; may be "")
    authors: tuple[str, ...] = ()  # names from the meta tags, else from JSON-LD
    # The page's <p>, <pre> and <br> elements in document order (for body detection).
    paragraph_nodes: tuple[LexborNode, ...] = field(default=(), compare=False, repr=False)


def page_metadata(tree: LexborHTMLParser) -> PageMetadata:
    """Read a parsed page's metadata (see the module docstring for the priorities).

    >>> page = LexborHTMLParser('<html lang="en"><title>T</title>'
    ...     '<meta property="article:published_time" content="2024-05-01T10:00:00Z"></html>')
    >>> m = page_metadata(page)
    >>> m.title, m.language, m.published.isoformat()
    ('T', 'en', '2024-05-01T10:00:00+00:00')
    """
    metas: dict[str, str] = {}
    title_tag = canonical = base_href = None
    ld_blocks: list[str] = []
    paragraphs: list[LexborNode] = []
    for node in tree.css(_PAGE_QUERY):
        tag = node.tag
        if tag in _PARAGRAPH_TAGS:
            paragraphs.append(node)
        elif tag == "meta":
            _collect_meta(node.attributes, metas)
        elif tag == "link":
            if canonical is None:
                canonical = (node.attributes.get("href") or "").strip() or None
        elif tag == "script":
            ld_blocks.append(node.text(deep=True))
        elif tag == "title":
            if title_tag is None and node.parent is not None and node.parent.tag == "head":
                title_tag = _clean(node.text(deep=True))
        elif tag == "base" and base_href is None:
            # The first <base href> is the document's base, even when its href is empty.
            base_href = (node.attributes.get("href") or "").strip()
    ld = _LinkedData.from_blocks(ld_blocks)
    published = _first_time(metas, PUBLISHED_KEYS) or parse_time(ld.published)
    modified = _first_time(metas, MODIFIED_KEYS) or parse_time(ld.modified)
    if published is None:
        published, time_modified = _time_elements(tree)
        modified = modified or time_modified
    return PageMetadata(
        title=_first(metas, TITLE_KEYS) or ld.headline or title_tag or _first_h1(tree),
        canonical_url=canonical or _clean(metas.get("og:url")),
        site_name=_first(metas, SITE_NAME_KEYS) or ld.publisher
        or _clean(metas.get("application-name")),
        published=published,
        modified=modified,
        language=_language(tree, metas) or _clean(ld.language),
        ld_article_body=ld.article_body,
        base_href=base_href,
        authors=_authors(metas) or ld.authors,
        paragraph_nodes=tuple(paragraphs),
    )


def ld_article_body(tree: LexborHTMLParser) -> str | None:
    """The JSON-LD ``articleBody`` of the page's article, read as ``page_metadata`` reads it
    (for callers that have a tree but not its metadata)."""
    blocks = [script.text(deep=True) for script in tree.css(_LD_QUERY)]
    return _LinkedData.from_blocks(blocks).article_body


def _authors(metas: dict[str, str]) -> tuple[str, ...]:
    names = (_clean(metas.get(key)) for key in AUTHOR_KEYS)
    return tuple(dict.fromkeys(n for n in names if n and "://" not in n))


def _first_h1(tree: LexborHTMLParser) -> str | None:
    node = tree.css_first("h1")
    return _clean(node.text(deep=True)) if node is not None else None


def _collect_meta(attrs: dict[str, str | None], metas: dict[str, str]) -> None:
    content = attrs.get("content")
    if content is None:
        return
    for key in _META_NAME_ATTRS:
        value = attrs.get(key)
        if value:
            for name in value.lower().split():  # "og:title twitter:title" declares both
                metas.setdefault(name, content)


def _first(metas: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = _clean(metas.get(key))
        if value:
            return value
    return None


def _first_time(metas: dict[str, str], keys: tuple[str, ...]) -> datetime | None:
    for key in keys:
        value = parse_time(metas.get(key))
        if value is not None:
            return value
    return None


def _time_elements(tree: LexborHTMLParser) -> tuple[datetime | None, datetime | None]:
    """Published and modified from ``<time datetime>``: marked ones first, else the first."""
    published = modified = first = None
    for node in tree.css("time[datetime]"):
        attrs = node.attributes
        when = parse_time(attrs.get("datetime"))
        if when is None:
            continue
        marks = f"{attrs.get('itemprop') or ''} {attrs.get('class') or ''}".lower()
        if modified is None and ("modified" in marks or "updated" in marks):
            modified = when
        elif published is None and ("publish" in marks or "pubdate" in attrs):
            published = when
        first = first or when
    return published or first, modified


def _language(tree: LexborHTMLParser, metas: dict[str, str]) -> str | None:
    root = tree.root
    if root is not None:
        attrs = root.attributes
        lang = _clean(attrs.get("lang") or attrs.get("xml:lang"))
        if lang:
            return lang
    locale = _clean(metas.get("og:locale"))
    if locale:
        return locale.replace("_", "-")
    header = _clean(metas.get("content-language") or metas.get("language"))
    return header.split(",")[0].strip() or None if header else None


def parse_time(raw: str | None) -> datetime | None:
    """A timezone-aware datetime from ISO 8601 or RFC 2822 text; no zone means UTC.

    >>> parse_time("2017-12-01T03:00:00-0800").isoformat()
    '2017-12-01T03:00:00-08:00'
    >>> parse_time("Tue, 19 Nov 2019 12:00:00 GMT").isoformat()
    '2019-11-19T12:00:00+00:00'
    >>> parse_time("yesterday") is None
    True
    """
    if not raw:
        return None
    text = raw.strip()
    if not text or (not text[:1].isdigit() and "," not in text[:5]):
        return None
    value: datetime | None
    try:
        value = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if value.year < 1900:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if "&" in value:
        value = html.unescape(value)
    value = _SPACE.sub(" ", value).strip()
    return value or None


@dataclass(frozen=True, slots=True)
class _LinkedData:
    """The article-like JSON-LD node's fields (first found across the page's blocks)."""

    headline: str | None = None
    publisher: str | None = None
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    article_body: str | None = None
    authors: tuple[str, ...] = ()

    @classmethod
    def from_blocks(cls, blocks: list[str]) -> _LinkedData:
        if not blocks:
            return cls()
        nodes = [node for block in blocks for node in _ld_nodes(block)]
        article = next((n for n in nodes if _types(n) & ARTICLE_TYPES), None)
        if article is None:
            article = next((n for n in nodes if "datePublished" in n or "headline" in n), {})
        publisher = _name(article.get("publisher"))
        if publisher is None:
            org = next((n for n in nodes if _types(n) & {"newsmediaorganization",
                                                         "organization", "website"}), {})
            publisher = _name(org)
        body = article.get("articleBody")
        return cls(
            headline=_clean(article.get("headline") or article.get("name")),
            publisher=publisher,
            published=_text(article.get("datePublished")),
            modified=_text(article.get("dateModified")),
            language=_text(article.get("inLanguage")),
            article_body=body.strip() or None if isinstance(body, str) else None,
            authors=_names(article.get("author")),
        )


def _ld_nodes(block: str) -> Iterator[dict[str, Any]]:
    """Every object in a JSON-LD block, top level and ``@graph`` members, in order."""
    try:
        data = json.loads(block.strip().removeprefix("<!--").removesuffix("-->"), strict=False)
    except (ValueError, RecursionError):
        return
    stack = data if isinstance(data, list) else [data]
    for item in stack:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph if isinstance(g, dict))


def _types(node: dict[str, Any]) -> set[str]:
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {v.lower().rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _names(node: Any) -> tuple[str, ...]:
    """The names of a JSON-LD ``author``: a name, a Person, or a list of either."""
    items = node if isinstance(node, list) else [node]
    names = (_name(item) for item in items[:10])
    return tuple(dict.fromkeys(n for n in names if n and "://" not in n))


def _name(node: Any) -> str | None:
    if isinstance(node, list):
        node = node[0] if node else None
    if isinstance(node, dict):
        return _clean(node.get("name"))
    return _clean(node)


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None

