"""The hand-off from reading to extraction: an article with its parsed page.

A reader parses each page once (Lexbor) and reads its metadata in the same pass; extraction
starts from the ``ParsedPage`` it is handed and never looks for parse state on the ``Article``
(records know nothing of trees).  A ``ParsedPage`` lives inside one process: the tree cannot
be pickled, so the pipeline's workers return ``Extraction`` records, never pages.

Every parse goes through :func:`parse_markup`, which applies the one nesting guard
(:mod:`linkgraph.readers.nesting`): markup nested deeper than ``MAX_NESTING`` levels is
flattened below that depth, its text kept, with a warning; nothing is refused.

>>> from linkgraph.records import Article, BodyKind, Origin
>>> art = Article(id="x", url=None, site=None, title="", published=None, modified=None,
...     origin=Origin("x.json"), html="<p>Hi</p>", body_kind=BodyKind.FRAGMENT)
>>> page = parse_page(art)
>>> page.tree.css_first("p").text(), page.metadata, page.warnings
('Hi', None, ())
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from selectolax.lexbor import LexborHTMLParser

from linkgraph.readers.metadata import PageMetadata, page_metadata
from linkgraph.readers.nesting import MAX_NESTING, flatten_deep_nesting, may_be_deep
from linkgraph.records import Article, BodyKind

__all__ = ["ParsedPage", "flattened_warning", "guard_nesting", "parse_markup", "parse_page"]


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """An article, its parsed markup and (for full pages) what the page says about itself.

    ``metadata`` is ``None`` for body fragments (WordPress ``content.rendered``): they have no
    head.  ``warnings`` are the parse's own (the nesting guard's), for the extraction to carry.
    """

    article: Article
    tree: LexborHTMLParser
    metadata: PageMetadata | None = None
    warnings: tuple[str, ...] = ()

    def with_article(self, article: Article) -> ParsedPage:
        """The same parse for an amended article (a reader adding a warning)."""
        return replace(self, article=article)


def flattened_warning(dropped: int) -> str:
    """The nesting guard's warning for *dropped* unwrapped elements."""
    return (
        f"elements nested deeper than {MAX_NESTING} levels: {dropped} elements below that depth"
        " were unwrapped (their text is kept)"
    )


def guard_nesting(text: str, probe: str | bytes | None = None) -> tuple[str, int]:
    """*text* flattened below ``MAX_NESTING`` levels when it may nest that deep, and how many
    elements were unwrapped (0: *text* comes back as it is).  *probe* is what the cheap test
    looks at (the raw bytes a reader holds), *text* by default."""
    if not may_be_deep(text if probe is None else probe):
        return text, 0
    return flatten_deep_nesting(text)


def parse_markup(markup: str) -> tuple[LexborHTMLParser, tuple[str, ...]]:
    """Parse *markup* behind the nesting guard: the tree and the guard's warnings."""
    text, dropped = guard_nesting(markup)
    return LexborHTMLParser(text), (flattened_warning(dropped),) if dropped else ()


def parse_page(article: Article) -> ParsedPage:
    """Parse a bare *article* (one no reader handed over parsed): its ``html`` behind the
    nesting guard, and a full page's metadata, as the HTML reader reads them."""
    tree, warnings = parse_markup(article.html)
    metadata = page_metadata(tree) if article.body_kind is BodyKind.PAGE else None
    return ParsedPage(article, tree, metadata, warnings)
