"""Per-page weights and verdicts for body detection (see :mod:`linkgraph.extract.body`).

``PageWeights`` holds, for one page, each element's classification flags and paragraph weight
(keyed by ``mem_id``), memoised ancestor chains, and memoised "no boilerplate up to the body
root" verdicts, so that paragraphs and links sharing ancestors walk them once.
"""

from __future__ import annotations

from selectolax.lexbor import LexborNode

from linkgraph.extract.boilerplate import (
    BOILER,
    EXPLICIT,
    PAGE_BOILER,
    TAG_PATH,
    TAG_QUERY,
    element_flags,
)
from linkgraph.extract.settings import (
    BOILERPLATE_MAX_SHARE,
    HEADLINE_LIST_MIN,
    HEADLINE_MIN,
    LINK_TEXT_RATIO,
    LINK_TEXT_SLACK,
    MAX_DEPTH,
    OUTSIDE_TEXT_JOIN_MAX,
    TAG_LABEL_MAX,
    TAG_RUN_MIN_LINKS,
    TAG_RUN_SHARE,
    WHOLE_BLOCK_RATIO,
    WHOLE_BLOCK_SLACK,
)


class PageWeights:
    """Per-page cache of element flags and paragraph weights, keyed by ``mem_id``."""

    __slots__ = (
        "chains", "clear", "flags", "headlines", "kids", "nodes", "pending", "plain_chains",
        "tag_runs", "weight",
    )

    def __init__(self) -> None:
        self.flags: dict[int, int] = {}
        self.weight: dict[int, int] = {}
        self.nodes: dict[int, LexborNode] = {}
        # Ancestor chains up to the stop element (None: inside furniture), by element.
        self.chains: dict[int, tuple[int, ...] | None] = {}
        self.plain_chains: dict[int, tuple[int, ...] | None] = {}  # furniture ignored
        # Whether no boilerplate sits between an element and the body root, by element.
        self.clear: dict[int, bool] = {}
        self.pending: dict[int, tuple[LexborNode, int]] = {}
        self.kids: dict[int, list[tuple[int, LexborNode]]] = {}  # see _children
        self.tag_runs: dict[int, bool] = {}  # see tag_run
        self.headlines: dict[int, bool] = {}  # see headline_list

    def flags_of(self, node: LexborNode) -> int:
        key = node.mem_id
        value = self.flags.get(key)
        if value is None:
            value = self.flags[key] = element_flags(node)
            self.nodes[key] = node
        return value

    def chain(self, node: LexborNode, stop_id: int, furniture: bool) -> tuple[int, ...] | None:
        """Ids of *node* and its ancestors up to *stop_id*; ``None`` inside page furniture.

        Memoised by element, so paragraphs that share ancestors walk them once.  The stop
        element (``<body>``) is never furniture, whatever its classes say, and neither is any
        wrapper of an explicit body marker (``entry-content`` inside a ``theiaStickySidebar``
        column): the CMS knows its own body.
        """
        chains = self.chains if furniture else self.plain_chains
        walked: list[tuple[int, bool]] = []  # (id, is furniture) from node upwards
        tail: tuple[int, ...] | None = ()
        current: LexborNode | None = node
        for _ in range(MAX_DEPTH):
            if current is None:
                break
            key = current.mem_id
            if key in chains:
                tail = chains[key]
                break
            if key == stop_id:
                tail = chains[key] = (key,)
                break
            flags = self.flags_of(current)
            if furniture and flags & EXPLICIT and current.parent is not None:
                walked.append((key, False))
                tail = self.chain(current.parent, stop_id, False)
                break
            walked.append((key, furniture and bool(flags & PAGE_BOILER)))
            current = current.parent
        for key, is_furniture in reversed(walked):
            tail = None if tail is None or is_furniture else (key, *tail)
            chains[key] = tail
        return tail

    def add_paragraph(
        self, node: LexborNode, size: int, stop_id: int, furniture: bool = True
    ) -> None:
        """Add *size* to every ancestor of *node* up to *stop_id*, unless it is furniture.

        The ancestors' share is only noted here (summed by parent); ``settle`` adds it, so
        that the paragraphs of one container walk its ancestors once.
        """
        key = node.mem_id
        parent = node.parent
        if key != stop_id and parent is not None:
            if furniture and self.flags_of(node) & PAGE_BOILER:
                return
            pending = self.pending.get(parent.mem_id)
            self.pending[parent.mem_id] = (parent, size + (pending[1] if pending else 0))
        self.weight[key] = self.weight.get(key, 0) + size

    def settle(self, stop_id: int, furniture: bool = True) -> None:
        """Add the noted paragraph sizes to the ancestors of their containers."""
        weight = self.weight
        for parent, size in self.pending.values():
            chain = self.chain(parent, stop_id, furniture)
            if chain is not None:
                for key in chain:
                    weight[key] = weight.get(key, 0) + size
        self.pending.clear()

    def of(self, node: LexborNode) -> int:
        return self.weight.get(node.mem_id, 0)

    def mark_boilerplate(self, node: LexborNode) -> None:
        """Flag *node* as boilerplate inside the body, whatever its own names say (a list
        after a "See also" heading); only before any link has been judged."""
        self.flags[node.mem_id] = self.flags_of(node) | BOILER

    def headline_list(self, node: LexborNode) -> bool:
        """True for a list of headlines: each item is one link and nothing else ("Read more")."""
        key = node.mem_id
        known = self.headlines.get(key)
        if known is None:
            known = self.headlines[key] = is_headline_list(node)
        return known

    def tag_run(self, node: LexborNode) -> bool:
        """True for an element that holds a run of tag links (see ``is_tag_run``), memoised."""
        key = node.mem_id
        known = self.tag_runs.get(key)
        if known is None:
            known = self.tag_runs[key] = is_tag_run(node)
        return known


def mostly_link_text(text_len: int, link_len: int) -> bool:
    """True when text of *text_len* characters is mostly its *link_len* characters of link
    text (under ``LINK_TEXT_RATIO`` times as long, plus ``LINK_TEXT_SLACK`` for a short label):
    a row of links or a line that is one link, not running text."""
    return text_len < LINK_TEXT_RATIO * link_len + LINK_TEXT_SLACK


def whole_block(block: str, text: str) -> bool:
    """True when the link text *text* is all of its block's text *block* (white space aside):
    a teaser's summary line, never a link in a sentence."""
    if len(block) >= WHOLE_BLOCK_RATIO * len(text) + WHOLE_BLOCK_SLACK:
        return False
    return " ".join(block.split()) == text


def outside_running_text(block: str, text: str) -> bool:
    """True when the link text *text* is most of its block's text *block* (white space
    aside): a byline, a teaser's line, not a link inside a paragraph."""
    if mostly_link_text(len(block), len(text)):
        return True
    # White space aside (indented markup); a block far too long is not worth joining.
    return mostly_link_text(len(block) // OUTSIDE_TEXT_JOIN_MAX, len(text)) and mostly_link_text(
        len(" ".join(block.split())), len(text)
    )


def is_tag_link(href: str) -> bool:
    """True for a link to a tag, topic or category page (by path or query parameter)."""
    return TAG_PATH.search(href) is not None or TAG_QUERY.search(href) is not None


def is_tag_run(node: LexborNode) -> bool:
    """An element whose text is mostly links, at least two of them and two thirds of them to tag,
    topic or category pages: a tag list written as a row of links, not as a list
    ("Categoria: Saúde - Tags: sad arrombamento", a row of tag buttons)."""
    links = node.css("a[href]")
    if len(links) < TAG_RUN_MIN_LINKS:
        return False
    tags = sum(1 for a in links if is_tag_link(a.attributes.get("href") or ""))
    share, whole = TAG_RUN_SHARE
    if tags < TAG_RUN_MIN_LINKS or whole * tags < share * len(links):
        return False
    link_text = sum(len(" ".join(a.text().split())) for a in links)
    return mostly_link_text(len(" ".join(node.text().split())), link_text)


def is_headline_list(node: LexborNode) -> bool:
    """Each item one link and nothing else: headlines (at least ``HEADLINE_LIST_MIN`` items of
    ``HEADLINE_MIN`` characters), or tags (every link to a tag, topic or category page)."""
    items = 0
    short = False
    tags = True
    child = node.first_child
    while child is not None:
        if child.tag == "li":
            links = child.css("a")
            text = " ".join(child.text().split())
            if not links and len(text) <= TAG_LABEL_MAX:
                short = True  # a label item ("More about:") is allowed in a tag list only
                child = child.next
                continue
            if len(links) != 1 or " ".join(links[0].text().split()) != text:
                return False
            short = short or len(text) < HEADLINE_MIN
            tags = tags and TAG_PATH.search(links[0].attributes.get("href") or "") is not None
            items += 1
        child = child.next
    if items and tags:
        return True
    return not short and items >= HEADLINE_LIST_MIN


def clear_path(classifier: PageWeights, node: LexborNode | None, root: LexborNode) -> bool:
    """True when no boilerplate element sits between *node* (included) and *root*.

    Verdicts are memoised by element: the links of one list or paragraph walk up once.
    """
    clear = classifier.clear
    root_id = root.mem_id
    limit = BOILERPLATE_MAX_SHARE * max(classifier.of(root), 1)
    walked: list[int] = []
    verdict = True
    current = node
    for _ in range(MAX_DEPTH):
        if current is None:
            break
        key = current.mem_id
        if key == root_id:
            break
        known = clear.get(key)
        if known is not None:
            verdict = known
            break
        walked.append(key)
        if classifier.flags_of(current) & BOILER and classifier.weight.get(key, 0) <= limit:
            verdict = False
            break
        current = current.parent
    for key in walked:
        clear[key] = verdict
    return verdict
