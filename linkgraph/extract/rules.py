"""Is this link a citation?  One ordered table, :data:`RULES`, decides every link of a body.

Each rule is a name, the :class:`DropReason` it gives, and a small test of one link; the first
rule whose test holds drops the link, and a link no rule drops is a citation.  Both
:func:`linkgraph.extract.extract` and ``linkgraph extract --explain`` run this table through
:meth:`linkgraph.extract.page_links.PageLinks.judge_all`, so the reason ``--explain`` prints is
the rule that ``extract`` applied.  Links outside the body root are never judged: ``extract``
reads only the root's links and ``--explain`` reports the others as ``OUTSIDE_BODY``.

The rules run in stages, each reading facts the one before it did not need (cheap first):

* ``ELEMENT``: the link's own attributes and the elements around it (a ``#`` script hook,
  ``rel=tag``, a share-bar ancestor);
* ``URL``: the link's kind and absolute URL (a share endpoint, the site's front page, another
  story's headline);
* ``TEXT``: the text a reader sees (a call to action, a follow button);
* ``CONTEXT``: the sentence around the link (a contact line, a byline);
* ``PAGE``: after the page's last link (a teaser's picture once its headline was dropped).

A rule's scope says on which pages it runs: every link (``FRAGMENT``: a WordPress post's
content, ``--all-links``), full pages (``PAGE``), or full pages whose body was found by
paragraph weight (``BODY``: the element rules read those weights); its kinds say which links
it judges (``INTERNAL``: links to the site itself; ``LOST``: anchor text whose ``<a href>`` was
stripped).  A link is judged only by the rules of its page's scope and its kind, in order.
Word tables are in :mod:`linkgraph.extract.boilerplate` and :mod:`linkgraph.extract.link_rules`,
numbers in :mod:`linkgraph.extract.settings`, the facts a rule reads (``Stage``, ``Scope``,
``PageFacts``, ``Link``) in :mod:`linkgraph.extract.link_facts`.  Add a rule where it belongs
in the order, with a test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from linkgraph.extract.body_selection import in_running_text, is_card
from linkgraph.extract.body_weights import outside_running_text, whole_block
from linkgraph.extract.boilerplate import LINK_BOILERPLATE_RELS, DropReason, link_is_boilerplate
from linkgraph.extract.link_facts import Link, PageFacts, Scope, Stage, is_self_url
from linkgraph.extract.link_rules import (
    is_ad_link,
    is_boilerplate_line,
    is_follow_link,
    is_legal_link,
    is_promo_anchor,
    is_share_link,
    is_skip_link,
)
from linkgraph.records import Citation, CitationKind
from linkgraph.urls import is_homepage

# Link, PageFacts, Scope, Stage and is_self_url live in link_facts; they stay importable here.
__all__ = [
    "RULES", "Link", "PageFacts", "Rule", "Scope", "Stage", "is_self_url", "rules_for",
]


# --- ELEMENT: the link's attributes and the elements around it --------------------------------

_CONTROL_ROLES: Final = frozenset({"tab", "button", "menuitem", "switch"})


def _hash_only(link: Link) -> bool:
    """``href="#"`` alone: never a citation on a full page."""
    href = link.href
    return href is not None and href.strip() == "#"


def _tab_control(link: Link) -> bool:
    """An in-page link with a control's role: a tab or a "Next" button that shows a panel."""
    role = link.attrs.get("role")
    return (
        role is not None and role.lower() in _CONTROL_ROLES
        and (link.href or "").strip()[:1] == "#"
    )


def _rel_author_or_tag(link: Link) -> bool:
    """``rel=author``, or ``rel=tag`` outside a sentence (inside one it is a link in the text)."""
    rel = link.attrs.get("rel")
    if not rel:
        return False
    rels = LINK_BOILERPLATE_RELS.intersection(rel.lower().split())
    return bool(rels) and (rels != {"tag"} or not in_running_text(link.node))


def _link_attributes(link: Link) -> bool:
    """Furniture by the link's own class, id, aria-hidden, carousel or campaign attributes."""
    return link_is_boilerplate(link.attrs)


def _inside_boilerplate(link: Link) -> bool:
    """An element between the link and the body root is boilerplate (a share bar, a byline
    box, a link section after "See also")."""
    return link.page.body.inside_boilerplate(link.node)


def _no_href(link: Link) -> bool:
    return link.href is None


# --- URL: the link's kind and absolute URL ----------------------------------------------------

def _always(link: Link) -> bool:
    """The rule's kinds decide (``javascript:``: "×", "Share")."""
    return True


def _share(link: Link) -> bool:
    return link.url is not None and is_share_link(link.url)


def _ad(link: Link) -> bool:
    return link.url is not None and is_ad_link(link.url)


def _own_page(link: Link) -> bool:
    return is_self_url(link.url, link.page.article)


def _front_page(link: Link) -> bool:
    """The site's own front page: a logo, "More on Site.com!"."""
    url = link.url
    return url is not None and "#" not in url and is_homepage(url)


def _headline_list(link: Link) -> bool:
    """A link to the site's own story in a list of headlines or a teaser card.  Its URL is
    remembered: the teaser's other parts go with it (``teaser_part``)."""
    node = link.node
    if not (link.page.body.in_headline_list(node) or is_card(node)):
        return False
    if link.url is not None:
        link.page.headline_urls.add(link.url)
    return True


def _tag_run(link: Link) -> bool:
    url = link.url
    return url is not None and link.page.body.in_tag_run(link.node, url)


# --- TEXT: what a reader sees -----------------------------------------------------------------

def _script_only(link: Link) -> bool:
    return link.script and not link.text  # nothing a reader sees


def _empty(link: Link) -> bool:
    """``<a href=...></a>``: nothing to see or click (IGN's heading anchors, a tweet embed's
    original-post anchor); a heading's in-page anchor stays (the rule's kinds)."""
    return link.node.first_child is None


def _call_to_action(link: Link) -> bool:
    return is_promo_anchor(link.text)  # "Subscribe to our newsletter", "Get the app"


def _skip_link(link: Link) -> bool:
    return is_skip_link(link.text)  # an in-page link: "Skip to content"


def _promo_figure(link: Link) -> bool:
    """The cover and caption of a promotion: a figure whose caption is a call to action."""
    return link.href in link.page.figure_promos(link.node)


def _follow(link: Link) -> bool:
    url = link.url
    return url is not None and is_follow_link(link.text, url, link.domain)  # "Instagram"


# --- CONTEXT: the sentence and the block around the link --------------------------------------

def _boilerplate_line(link: Link) -> bool:
    """A contact line ("Write to Al Root at ...") or the site's credit to itself."""
    return is_boilerplate_line(
        link.context, link.text, internal=link.kind is CitationKind.INTERNAL
    )


def _byline(link: Link) -> bool:
    """A line that is mostly this link, to the site itself, named after the page's author:
    "By <a>Jane Doe</a>"."""
    authors = link.page.authors
    return (
        bool(authors) and link.text.lower().removeprefix("by ") in authors
        and outside_running_text(link.block_text.text, link.text)
    )


def _legal(link: Link) -> bool:
    """A line that is mostly this link, to the site itself, naming a legal page ("Disclaimer"
    closing a market story)."""
    return is_legal_link(link.text) and outside_running_text(link.block_text.text, link.text)


# --- PAGE: after the page's last link ---------------------------------------------------------

def _teaser_like(link: Link) -> bool:
    """A kept link (to the site itself) that is a picture or the whole text of its block."""
    return not link.raw_text.strip() or whole_block(link.block_text.text, link.text)


def _of_dropped_headline(citation: Citation, page: PageFacts) -> bool:
    return citation.url in page.headline_urls


ANY: Final = frozenset(CitationKind)
LINKED: Final = ANY - {CitationKind.LOST}  # every link with an href


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule of the table: a link of one of *kinds* is dropped with *reason* when *test*
    holds.

    A ``PAGE`` rule's *test* picks a kept link as a candidate; ``after`` drops a candidate
    once every link of the page is judged.
    """

    name: str
    reason: DropReason
    stage: Stage
    scope: Scope
    kinds: frozenset[CitationKind]
    test: Callable[[Link], bool]
    after: Callable[[Citation, PageFacts], bool] | None = None


_E, _U, _T, _C, _P = Stage.ELEMENT, Stage.URL, Stage.TEXT, Stage.CONTEXT, Stage.PAGE
_R = DropReason
_K = CitationKind
_INTERNAL: Final = frozenset({_K.INTERNAL})

RULES: Final[tuple[Rule, ...]] = (
    Rule("hash_only", _R.SCRIPT_HOOK, _E, Scope.BODY, ANY, _hash_only),
    Rule("tab_control", _R.SCRIPT_HOOK, _E, Scope.BODY, ANY, _tab_control),
    Rule("rel_author_or_tag", _R.REL, _E, Scope.BODY, ANY, _rel_author_or_tag),
    Rule("link_attributes", _R.LINK_ATTRIBUTES, _E, Scope.BODY, ANY, _link_attributes),
    Rule("inside_boilerplate", _R.BOILERPLATE, _E, Scope.BODY, ANY, _inside_boilerplate),
    Rule("no_href", _R.NO_HREF, _E, Scope.FRAGMENT, LINKED, _no_href),
    Rule("javascript", _R.SCRIPT_HOOK, _U, Scope.PAGE, frozenset({_K.JAVASCRIPT}), _always),
    Rule("share", _R.SHARE, _U, Scope.PAGE, LINKED, _share),
    Rule("ad", _R.AD, _U, Scope.PAGE, frozenset({_K.EXTERNAL}), _ad),
    Rule("own_page", _R.OWN_PAGE, _U, Scope.PAGE, _INTERNAL, _own_page),
    Rule("front_page", _R.FRONT_PAGE, _U, Scope.PAGE, _INTERNAL, _front_page),
    Rule("headline_list", _R.HEADLINE_LIST, _U, Scope.PAGE, _INTERNAL, _headline_list),
    Rule("tag_run", _R.TAG_RUN, _U, Scope.PAGE, _INTERNAL, _tag_run),
    Rule("script_only", _R.SCRIPT_ONLY, _T, Scope.FRAGMENT, LINKED, _script_only),
    Rule("empty", _R.EMPTY, _T, Scope.PAGE, LINKED - {_K.FRAGMENT}, _empty),
    Rule("call_to_action", _R.CALL_TO_ACTION, _T, Scope.PAGE, LINKED, _call_to_action),
    Rule("skip_link", _R.SKIP_LINK, _T, Scope.PAGE, frozenset({_K.FRAGMENT}), _skip_link),
    Rule("promo_figure", _R.CALL_TO_ACTION, _T, Scope.PAGE, LINKED, _promo_figure),
    Rule("follow", _R.FOLLOW, _T, Scope.PAGE, LINKED, _follow),
    Rule("boilerplate_line", _R.BOILERPLATE_LINE, _C, Scope.PAGE, ANY, _boilerplate_line),
    Rule("byline", _R.BYLINE, _C, Scope.PAGE, _INTERNAL, _byline),
    Rule("legal", _R.LEGAL, _C, Scope.PAGE, _INTERNAL, _legal),
    Rule(
        "teaser_part", _R.HEADLINE_LIST, _P, Scope.PAGE, _INTERNAL, _teaser_like,
        after=_of_dropped_headline,
    ),
)

# The rules of each stage, in table order, each beside its test (read once, not per link).
Plan = tuple[tuple[tuple[Callable[[Link], bool], Rule], ...], ...]


def _plan(scope: Scope, kind: CitationKind) -> Plan:
    return tuple(
        tuple(
            (r.test, r) for r in RULES
            if r.stage is stage and r.scope <= scope and kind in r.kinds
        )
        for stage in Stage
    )


_PLANS: Final = {(scope, kind): _plan(scope, kind) for scope in Scope for kind in CitationKind}


def rules_for(scope: Scope, kind: CitationKind) -> Plan:
    """The rules that judge a link of *kind* on a page of *scope*, by stage, in table order.
    Rules of the ``ELEMENT`` stage run before the kind is known (a lost link's aside): they
    judge every linked kind alike."""
    return _PLANS[scope, kind]
