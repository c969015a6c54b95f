"""Why each link of a page is, or is not, a citation (``linkgraph extract --explain``).

The same steps as :func:`linkgraph.extract.extract`: one parse, the same body, and the body's
links judged by the same call (``PageLinks.judge_all``, which runs the rule table of
:mod:`linkgraph.extract.rules`); the links outside the body are listed too.  Each link gets the
citation it became, or the rule that dropped it and, where one is to blame, the element
(``div.share-bar``, ``nav``).  An editor who disagrees knows which rule, and which word table
in :mod:`linkgraph.extract.boilerplate` or :mod:`linkgraph.extract.link_rules`, to teach.

>>> from linkgraph.records import Article, BodyKind, Origin
>>> text = "A paragraph long enough to count as article text for the body detector. " * 3
>>> html = (f'<body><nav><a href="/">Home</a></nav><div id="story"><p>{text} As'
...     f' <a href="https://gov.example/r">the report</a> said.</p><p>{text}</p>'
...     '<div class="share-bar"><a href="https://x.example/share">Share</a></div></div></body>')
>>> art = Article(id="x", url="https://news.example/a", site="news.example", title="",
...     published=None, modified=None, origin=Origin("x.html"), html=html,
...     body_kind=BodyKind.PAGE, site_domains=("news.example",))
>>> result = explain_links(art)
>>> result.body
'div#story'
>>> for d in result.links:
...     print(d.text, "|", d.reason.value if d.reason else "citation", "|", d.element)
Home | outside the article body | nav
the report | citation | None
Share | inside boilerplate | div.share-bar
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from selectolax.lexbor import LexborNode

from linkgraph.extract.boilerplate import BOILER, DropReason, element_flags
from linkgraph.extract.context import anchor_text, visible_text
from linkgraph.extract.extractor import LINK_SELECTOR, prepare_page
from linkgraph.extract.link_facts import Stage
from linkgraph.extract.lost import LOST_TAG, LOST_TEXT_ATTR
from linkgraph.extract.page_links import PageLinks
from linkgraph.extract.pictures import is_picture_only
from linkgraph.extract.rules import Rule
from linkgraph.extract.settings import MAX_DEPTH
from linkgraph.readers.parsed import ParsedPage
from linkgraph.records import Article, Citation, CitationKind
from linkgraph.urls import scrub_userinfo, split_userinfo

__all__ = ["Explanation", "LinkDecision", "describe", "explain_links"]


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """One link of the page: the citation it became, or why it did not."""

    index: int  # 0-based, in document order over every link of the page
    href: str | None
    text: str  # the link's text, white space collapsed
    citation: Citation | None
    reason: DropReason | None
    element: str | None = None  # the element to blame, when there is one ("div.share-bar")
    rule: str | None = None  # the name of the rule that dropped it (see linkgraph.extract.rules)
    # A picture with no text of its own: its citation's kind is ``picture`` when it links to an
    # image file (not counted as a source); to a web page it is a citation like any other.
    picture: bool = False


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every link of one article with its decision, and where the body was found."""

    article: Article
    body: str | None  # the body root ("div#story.entry-content"); None when there is none
    method: str | None  # how it was found: density, jsonld, whole, "+explicit"...
    links: tuple[LinkDecision, ...]
    warnings: tuple[str, ...]


def describe(node: LexborNode) -> str:
    """An element as a short CSS-like name: ``tag#id.class1.class2`` (two classes at most)."""
    attrs = node.attributes
    name = node.tag or "?"
    ident = (attrs.get("id") or "").strip()
    if ident:
        name += "#" + ident.split()[0]
    classes = (attrs.get("class") or "").split()
    return name + "".join("." + c for c in classes[:2])


def _furniture(node: LexborNode) -> str | None:
    """The nearest ancestor of a link outside the body that is boilerplate, described."""
    current = node.parent
    for _ in range(MAX_DEPTH):
        if current is None or current.tag in {"body", "html"}:
            return None
        if element_flags(current) & BOILER:
            return describe(current)
        current = current.parent
    return None


def explain_links(page: ParsedPage | Article) -> Explanation:
    """The decision on every link of an article (a reader's ``ParsedPage``, or a bare
    ``Article``, parsed here), in document order (see the module doc)."""
    prepared = prepare_page(page)
    article = prepared.page.article
    root, selection = prepared.root, prepared.selection
    document = prepared.tree.root
    nodes = document.css(LINK_SELECTOR) if document is not None else []
    verdicts: dict[int, Citation | Rule] = {}
    if root is not None:
        metadata = prepared.page.metadata
        authors = metadata.authors if metadata is not None else ()
        inside = root.css(LINK_SELECTOR)  # what extract judges, judged by the same call
        links = PageLinks(article, root, prepared.base, selection, authors)
        judged = links.judge_all(inside)
        verdicts = {node.mem_id: verdict for node, verdict in zip(inside, judged, strict=True)}
    decisions: list[LinkDecision] = []
    for index, node in enumerate(nodes):
        attrs = node.attributes
        href = None if node.tag == LOST_TAG else attrs.get("href")
        text = " ".join(node.text().split()) or (attrs.get(LOST_TEXT_ATTR) or "")
        verdict = verdicts.get(node.mem_id)
        if verdict is None:
            decision = LinkDecision(
                index, href, text, None, DropReason.OUTSIDE_BODY, _furniture(node)
            )
        elif isinstance(verdict, Citation):
            decision = LinkDecision(index, href, verdict.text, verdict, None, picture=(
                verdict.kind is CitationKind.PICTURE
                or is_picture_only(node, visible_text(node)[0])
            ))
        else:
            element: str | None = None
            if verdict.reason is DropReason.BOILERPLATE and selection is not None:
                blamed = selection.boilerplate_ancestor(node)
                element = describe(blamed) if blamed is not None else None
            elif verdict.reason is DropReason.LINK_ATTRIBUTES:
                element = describe(node)
            elif verdict.stage is Stage.PAGE:
                text = anchor_text(node, visible_text(node)[0])  # its text as a citation
            decision = LinkDecision(index, href, text, None, verdict.reason, element, verdict.name)
        if href is not None and "@" in href:  # an explain row never shows credentials
            clean, secret = split_userinfo(href)
            if secret is not None:
                decision = replace(decision, href=clean,
                                   text=scrub_userinfo(decision.text, (secret,)))
        decisions.append(decision)
    body = describe(root) if root is not None else None
    method = selection.method if selection is not None else ("all links" if root else None)
    return Explanation(article, body, method, tuple(decisions), prepared.warnings)

