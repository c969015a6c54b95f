"""One link of a page's body as a citation, or the rule that drops it (``PageLinks``).

The link's kind and absolute URL come from the href alone (string fast paths for serialised
URLs, a WHATWG parse otherwise); the text around it comes from
:mod:`linkgraph.extract.context`; in between, the rules of :mod:`linkgraph.extract.rules` judge
it in their order, stage by stage.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Final

from selectolax.lexbor import LexborNode

from linkgraph.extract.body import BodySelection
from linkgraph.extract.context import BlockText, Paragraphs, anchor_text, block_of, visible_text
from linkgraph.extract.link_facts import Link, PageFacts, Stage, is_self_url
from linkgraph.extract.link_rules import pasted_note_anchor
from linkgraph.extract.lost import (
    LOST_TAG,
    LOST_TEXT_ATTR,
    RECOVERED_AT_ATTR,
    RECOVERED_FROM_ATTR,
)
from linkgraph.extract.pictures import is_picture_only, links_to_own_picture
from linkgraph.extract.rules import Rule, rules_for
from linkgraph.records import (
    LINKED,
    Article,
    Citation,
    CitationKind,
    Provenance,
    ProvenanceKind,
)
from linkgraph.sources.shared_hosts import own_sites as own_sites_of
from linkgraph.sources.shared_hosts import site_of
from linkgraph.sources.site_families import is_sister_site
from linkgraph.urls import (
    HTTP_SCHEMES,
    SCHEME_HOSTS,
    grouping_key,
    grouping_key_of_parts,
    hostname,
    join_plain,
    plain_http_parts,
    registered_domain,
    resolve_href,
    scrub_userinfo,
    split_userinfo,
    strip_credentials,
    url_domain,
)

__all__ = ["PageLinks"]

_SCHEME = re.compile(r"\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SCHEME_KINDS: Final = {"mailto": CitationKind.MAILTO, "tel": CitationKind.TEL}  # others: OTHER
# Kinds of link that become ``picture`` when a picture alone links to an image file.
_PICTURE_TARGETS: Final = frozenset({CitationKind.EXTERNAL, CitationKind.INTERNAL})


def _same_document(url: str, article: Article) -> bool:
    """A link to a place in the page itself: "#notes", or the page's own URL with a fragment
    (resolved against ``<base>``, "#notes" may name another document)."""
    return "#" in url and is_self_url(url, article)


def _classify(
    href: str, base: str | None, article: Article
) -> tuple[CitationKind, str | None, str | None, str | None]:
    """The kind of a link, its absolute URL (credentials removed), its registered domain and
    its grouping key."""
    if "#_" in href:
        note = pasted_note_anchor(href)
        if note is not None:
            return _pasted_note(note, base, article)
    stripped = href.strip()
    url: str | None = stripped
    parts = plain_http_parts(stripped)
    if parts is None and base is not None and stripped[:1] in ("/", "#"):
        joined = join_plain(stripped, base)  # "/path" and "#id" join by string operations
        if joined is not None:
            url, parts = joined
        else:
            url = resolve_href(stripped, base)
            parts = plain_http_parts(url) if url is not None else None
    if parts is not None and url is not None:
        # The common case, a URL as a serialiser writes it: read from the string.
        domain = registered_domain(parts[1])
        if domain in SCHEME_HOSTS:
            return CitationKind.INVALID, None, None, None  # "http://http/..."
        kind = _http_kind(url, site_of(parts[1]), article)
        return kind, url, domain, grouping_key_of_parts(parts)
    kind, url, domain = _classify_parsed(stripped, base, article)
    return kind, url, domain, grouping_key(url) if url else None


def _pasted_note(
    anchor: str, base: str | None, article: Article
) -> tuple[CitationKind, str | None, str | None, str | None]:
    """A footnote mark pasted from an editor (``blogger.com/blogger.g?blogID=1#_ftn1``) is a
    mark of the page it sits on: an in-page link to ``#_ftn1``, not a citation of Blogger."""
    page = article.url or base
    url = resolve_href("#" + anchor, page) if page else None
    if url is None:
        return CitationKind.FRAGMENT, None, None, None
    return CitationKind.FRAGMENT, url, url_domain(url), grouping_key(url)


def _classify_parsed(
    stripped: str, base: str | None, article: Article
) -> tuple[CitationKind, str | None, str | None]:
    scheme_match = _SCHEME.match(stripped)
    scheme = scheme_match.group(1).lower() if scheme_match else ""
    if scheme == "javascript":
        return CitationKind.JAVASCRIPT, None, None
    if not scheme and base is None:
        return CitationKind.UNRESOLVABLE, None, None
    url = resolve_href(stripped, base if not scheme else None)
    if url is None:
        return CitationKind.INVALID, None, None
    real_scheme = url.split(":", 1)[0]
    if real_scheme not in HTTP_SCHEMES:
        url = strip_credentials(url)
        return _SCHEME_KINDS.get(real_scheme, CitationKind.OTHER), url, url_domain(url)
    if "@" in url[len(real_scheme) + 3 :].split("/", 1)[0]:
        url = strip_credentials(url)
    host = hostname(url)
    domain = registered_domain(host)
    if domain in SCHEME_HOSTS:
        return CitationKind.INVALID, None, None  # "http://http://site/": a doubled scheme
    return _http_kind(url, site_of(host), article), url, domain


def _http_kind(url: str, site: str | None, article: Article) -> CitationKind:
    """An http(s) link's kind: a place in the page itself, the article's own site, or out.
    *site* is the link's site (:func:`~linkgraph.sources.shared_hosts.site_of`: a blog on
    ``wordpress.com`` is a site of its own)."""
    if _same_document(url, article):
        return CitationKind.FRAGMENT
    if site is not None:
        own = own_sites(article)
        if site in own or is_sister_site(site, own):
            return CitationKind.INTERNAL  # the site itself, or a domain of its family (bbc.co.uk)
    return CitationKind.EXTERNAL


def own_sites(article: Article) -> tuple[str, ...]:
    """The sites that are *article*'s own (:func:`linkgraph.sources.shared_hosts.own_sites`:
    a stored article naming ``wordpress.com`` has the blog of its URL as its site)."""
    domains = article.site_domains or ((article.site,) if article.site else ())
    return own_sites_of(article.url, domains)


class PageLinks(PageFacts):
    """Citations of one page's links, with the per-page caches they share: each link is
    judged by the rules of :data:`linkgraph.extract.rules.RULES`, in their order."""

    __slots__ = (
        "base", "blocks", "candidates", "element_rules", "kinds", "paragraphs", "plans", "secrets",
    )

    def __init__(
        self,
        article: Article,
        root: LexborNode,
        base: str | None,
        selection: BodySelection | None,
        authors: Sequence[str] = (),
    ) -> None:
        super().__init__(article, root, selection, authors)
        self.base = base
        self.paragraphs = Paragraphs(root)
        self.blocks: dict[int, BlockText] = {}
        # Links repeat (a source cited twice, a page's own sections): classify each href once.
        self.kinds: dict[str, tuple[CitationKind, str | None, str | None, str | None]] = {}
        # The rules for this page's scope, by kind of link; the element rules run before the
        # kind is known (but a lost link's).
        self.plans = {kind: rules_for(self.scope, kind) for kind in CitationKind}
        self.element_rules = (
            self.plans[CitationKind.EXTERNAL][Stage.ELEMENT],
            self.plans[CitationKind.LOST][Stage.ELEMENT],
        )
        # Kept links that a PAGE rule may drop once the page is judged, by position.
        self.candidates: dict[int, Rule] = {}
        # User names and passwords found in hrefs: scrubbed from everything that leaves
        # extraction (see ``linkgraph.extract.extractor.without_credentials``).
        self.secrets: set[str] = set()

    def _kind(self, href: str) -> tuple[CitationKind, str | None, str | None, str | None]:
        """Kind, URL, registered domain and grouping key of *href* (cached per page)."""
        known = self.kinds.get(href)
        if known is None:
            known = self.kinds[href] = _classify(href, self.base, self.article)
        return known

    def judge_all(self, nodes: Sequence[LexborNode]) -> list[Citation | Rule]:
        """The verdict on each link node of *nodes* (the body root's, in document order): its
        citation, numbered among the kept ones, or the rule that dropped it."""
        verdicts: list[Citation | Rule] = []
        kept = 0
        for node in nodes:
            verdict = self.judge(node, kept, node.attributes)
            if isinstance(verdict, Citation):
                kept += 1
            verdicts.append(verdict)
        return self._after_page(verdicts) if self.candidates else verdicts

    def judge(
        self, node: LexborNode, position: int, attrs: dict[str, str | None]
    ) -> Citation | Rule:
        """The citation of one link node with attributes *attrs*, or the rule that drops it.
        ``PAGE`` rules are left to :meth:`judge_all`."""
        lost = node.tag == LOST_TAG
        link = Link(self, node, attrs, lost)
        for test, rule in self.element_rules[lost]:
            if test(link):
                return rule
        href = link.href
        if href is not None:  # always, but for a lost link: the no_href rule ran
            link.kind, link.url, link.domain, link.key = self._kind(href)
        else:
            link.kind, link.url, link.domain, link.key = CitationKind.LOST, None, None, None
        _, by_url, by_text, by_context, page_rules = self.plans[link.kind]
        for test, rule in by_url:
            if test(link):
                return rule
        if lost:
            link.raw_text, link.script, link.text = "", False, attrs.get(LOST_TEXT_ATTR) or ""
        else:
            link.raw_text, link.script = visible_text(node)
            link.text = anchor_text(node, link.raw_text)
        for test, rule in by_text:
            if test(link):
                return rule
        root_id = self.root_id
        block = block_of(node, root_id)
        block_id = block.mem_id
        block_text = self.blocks.get(block_id)
        if block_text is None:
            block_text = self.blocks[block_id] = BlockText(block)
        link.block_text = block_text
        link.context = block_text.context(node, link.text, len(link.raw_text), lost)
        for test, rule in by_context:
            if test(link):
                return rule
        for test, rule in page_rules:
            if test(link):
                self.candidates[position] = rule
                break
        kind = link.kind
        if kind in _PICTURE_TARGETS and link.url is not None and \
                is_picture_only(node, link.raw_text) and \
                links_to_own_picture(node, link.url, self.base):
            kind = CitationKind.PICTURE  # kept in the body, not counted as a source
        text, context, secret = link.text, link.context, None
        if href is not None:
            href, secret = split_userinfo(href)
            if secret is not None:
                self.secrets.add(secret)
                text = scrub_userinfo(text, (secret,))
                context = scrub_userinfo(context, (secret,))
        return Citation(
            article_id=self.article.id,
            position=position,
            paragraph=(
                block_text.breaks.get(node.mem_id, 0)
                if block_id == root_id
                else self.paragraphs.of(block)
            ),
            href=href,
            url=link.url,
            key=link.key,
            domain=link.domain,
            text=text,
            context=context,
            kind=kind,
            rel=tuple((attrs.get("rel") or "").lower().split()) if not lost else (),
            credentials=secret is not None,
            provenance=_recovered(attrs) if RECOVERED_FROM_ATTR in attrs else LINKED,
        )

    def _after_page(self, verdicts: list[Citation | Rule]) -> list[Citation | Rule]:
        """*verdicts* with the candidates of ``PAGE`` rules dropped where the rule says so
        (a teaser's picture, once its headline was dropped: a picture comes before its
        headline), and the kept citations numbered again."""
        out: list[Citation | Rule] = []
        kept = 0
        for verdict in verdicts:
            if isinstance(verdict, Citation):
                rule = self.candidates.get(verdict.position)
                if rule is not None and rule.after is not None and rule.after(verdict, self):
                    out.append(rule)
                    continue
                if verdict.position != kept:
                    verdict = replace(verdict, position=kept)  # noqa: PLW2901 - renumbered
                kept += 1
            out.append(verdict)
        return out


def _recovered(attrs: dict[str, str | None]) -> Provenance:
    """The provenance of an ``<a href>`` that linkgraph.repair put back: where from, when."""
    at = attrs.get(RECOVERED_AT_ATTR)
    try:
        when = datetime.fromisoformat(at) if at else None
    except ValueError:
        when = None
    return Provenance(ProvenanceKind.RECOVERED, recovered_from=attrs.get(RECOVERED_FROM_ATTR),
                      recovered_at=when)
