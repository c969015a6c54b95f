"""Rule tables for body detection: what marks an article body, what marks boilerplate.

Each element is classified once by tag, role, class, id and itemprop into flags:
``PAGE_BOILER`` (page furniture: navigation, footers, comments, sidebars, related lists),
``BOILER`` (boilerplate inside a body: share bars, bylines, tag lists, ads, galleries, ...) and
``EXPLICIT`` (a CMS marker of the article body).  Add a word to a table to teach a new site.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache
from typing import Final

from selectolax.lexbor import LexborNode

# Explicit markers of the article body (class tokens, ids, itemprop tokens; lower case).
BODY_CLASSES: Final = frozenset(
    {
        "entry-content", "post-content", "post-body", "postbody", "article-body", "articlebody",
        "article__body", "article-body-text", "article-content", "article__content",
        "article-text", "articletext", "story-body", "story-content", "story-text",
        "storybodycompanioncolumn", "content-body", "body-content", "body-text",
        "c-entry-content", "td-post-content", "field-name-body", "news-body", "post-entry",
        "entry-body", "richtextarticlebody", "article-fulltext", "storybody",
        "l-article-body-segment",  # Vox Media Chorus (Vox, The Verge, SB Nation sites)
    }
)
BODY_IDS: Final = frozenset(
    {"article-body", "articlebody", "story-body", "storytext", "content-body", "postbody"}
)
BODY_ITEMPROPS: Final = frozenset({"articlebody", "reviewbody"})

# Page furniture: paragraphs inside these never count towards the body.  A cookie or privacy
# consent banner is furniture too: its long notice must not outweigh a short article; so are
# most-read and trending lists: their teasers must not keep the descent out of the story.
PAGE_BOILERPLATE_TAGS: Final = frozenset({"nav", "aside", "footer", "form", "menu"})
PAGE_BOILERPLATE_WORDS: Final = (
    "comment", "disqus", "related", "sidebar", "footer", "cookie", "consent", "gdpr",
    "most-popular", "mostpopular", "most-read", "mostread", "trending",
)
# Boilerplate inside the body: links under these are not citations.
# (<noscript> holds what a reader with scripts on never sees: tracking pixels, ad fallbacks.)
BOILERPLATE_TAGS: Final = PAGE_BOILERPLATE_TAGS | {"header", "noscript"}
BOILERPLATE_ROLES: Final = frozenset(
    {"navigation", "complementary", "contentinfo", "banner", "tablist", "toolbar", "menubar",
     "menu"}
)
BOILERPLATE_TOKENS: Final = frozenset({"ad", "ads", "advert", "advertisement", "hidden", "cta"})
BOILERPLATE_WORDS: Final = (
    *PAGE_BOILERPLATE_WORDS,
    "share", "sharing", "social", "byline", "author", "breadcrumb", "pagination", "pager",
    "newsletter", "subscribe", "signup", "promo", "advert", "sponsor", "recommend", "most-read",
    "mostread", "most-popular", "popular", "trending", "read-more", "readmore", "more-stories",
    "tag-list", "taglist", "post-tags", "entry-tags", "article-tags", "tags-", "-tags",
    "topics", "keywords", "masthead", "navbar", "menu", "outbrain", "taboola", "print-",
    "toolbar", "widget", "paywall-prompt", "jp-relatedposts", "post-meta",
    "entry-meta", "article-meta", "meta-data", "nav-", "-nav", "next-prev", "prev-next",
    "see-also", "sig-line", "follow", "credit", "story-ad", "ad-slot", "adslot",
    "ad-container", "ad-wrapper", "continue-reading", "gallery", "thumbnail", "disclaimer",
    "livefyre", "nextarticle", "next-article", "prev-article", "featuredmedia", "featured-media",
    "featured-image", "post-thumbnail", "latest-news", "latest-stories", "video-player",
    "videoplayer", "featured-video", "-cta", "cta-",  # a call-to-action box ("nrplus-cta")
    "hovercard", "popover", "rollover-block",  # a card shown on hovering a name in the text
    "product-callout",  # a shopping card in the text (image, price, "Buy Now", commission)
    "reviewedby", "reviewed-by", "reviewed_by",  # "Reviewed by X, MD": a byline (WebMD)
    "editsection",  # MediaWiki's "[edit]" links: editing tools, not text
    "navbox",  # MediaWiki navigation boxes, tables included
    "syndication",  # "Reuse this content" (a licensing box)
    "submeta",  # the tag and section rows under a story (The Guardian's "submeta")
)
# Embedded social posts are quoted sources inside the body (their links are citations), even
# when their wrapper's class says "social": these words cancel the boilerplate words.
EMBED_WORDS: Final = (
    "twitter-tweet", "instagram-media", "tiktok-embed", "social-media-embed", "social-embed",
    "embed-social", "embedded-tweet", "tweet-embed", "article-tweet", "fb-post",
)
# A heading that opens a list of links after the text rather than more text: what follows it,
# up to the next heading of its level, is a link list (Wikipedia's "See also" and "External
# links", a blog's "You may also like:").  The whole heading must say it ("[edit]" may follow).
LINK_SECTION_HEADING: Final = re.compile(
    r"(?:see also|external links|further reading|related (?:articles|posts|stories|links|reading)"
    r"|you (?:may|might) also (?:like|enjoy)"
    r"|recommended (?:for you|reading|stories)|voir aussi|liens externes|siehe auch|weblinks"
    r"|véase también|enlaces externos|ver também|ligações externas|関連項目|外部リンク|같이 보기"
    r"|외부 링크|см\. также|ссылки)\s*:?\s*(?:\[\s*edit\s*\])?",
    re.IGNORECASE,
)
# Elements whose text counts as sitting directly in the body (see _directness).
PARAGRAPH_TAGS: Final = frozenset(
    {
        "p", "pre", "blockquote", "ul", "ol", "dl", "table", "figure", "h1", "h2", "h3", "h4",
        "h5", "h6", "span", "b", "i", "em", "strong", "font", "center", "-text", "br",
    }
)
LINK_BOILERPLATE_RELS: Final = frozenset({"author", "tag"})
# The path of a tag, topic or category page: a list of links to such pages is a tag list.
TAG_PATH: Final = re.compile(
    r"^(?:https?:)?(?://[^/]*)?/(?:[^?#]*/)?(?:tags?|topics?|category|categories|keywords?|subjects?|sections?)/",
    re.IGNORECASE,
)
# A tag or category page named by a query parameter ("/noticias.php?tag=x", "?cat=19").
TAG_QUERY: Final = re.compile(r"[?&](?:tags?|cat|categor(?:y|ies)|topics?)=[^&#]", re.IGNORECASE)
# A link's own class or id: a narrower table than for containers, since links inside the text
# carry classes too ("keywords" on a glossary link is still a link in the sentence).
LINK_BOILERPLATE_WORDS: Final = (
    "skip", "visually-hidden", "sr-only", "screen-reader", "thumbnail", "thumb", "share",
    "social", "author", "byline", "topic", "promo", "sponsor", "subscribe", "newsletter",
    "comment", "read-more", "readmore",  # a recirculation card ("read-more-big")
)


def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for a word table; "share" never matches the adjective "shared" (a section
    id slugged from a heading such as "amend-a-shared-changeset", a "shared-drive" box)."""
    return re.compile("|".join("share(?!d)" if w == "share" else re.escape(w) for w in words))


_LINK_WORDS = _words(LINK_BOILERPLATE_WORDS)
# A link whose own campaign or module parameter names a recirculation slot ("?itm_campaign=
# BottomRelatedStories", "?module=RelatedLinks") is a related-stories link, even when it sits
# in a sentence.
RELATED_CAMPAIGN: Final = re.compile(
    r"[?&](?:(?:itm|utm)_(?:campaign|content)|module)=[^&#]*(?:related|recirc|more-?stories"
    r"|read-?next)",
    re.IGNORECASE,
)

# Utility classes that hide an element: "hidden", and "invisible" (visibility: hidden in
# Bootstrap and Tailwind; rfcmarkup's whitespace-only page anchors).
_HIDDEN_CLASSES: Final = frozenset({"hidden", "invisible"})
# A carousel control's attributes (Bootstrap: '<a href="#gallery" data-slide="next">').
_SLIDE_HOOKS: Final = frozenset(
    {"data-slide", "data-slide-to", "data-bs-slide", "data-bs-slide-to"}
)
# A log-in page that sends the reader back afterwards ("/account/user/login?next=/article/x"):
# the target of a like, vote or comment button.
LOGIN_REDIRECT: Final = re.compile(
    r"/(?:log-?in|sign-?in)/?\?(?:[^#]*&)?(?:next|redirect(?:_to|_uri|url)?|return(?:_?to|url)?)=",
    re.IGNORECASE,
)
_STATE_PREFIXES: Final = ("has-", "with-", "no-", "is-")
# Ids generated for footnotes and their marks (MediaWiki): words in them come from the text.
_FOOTNOTE_IDS: Final = ("cite_note", "cite_ref")
_MEDIAWIKI_GALLERY = re.compile(r"(?:^|\s)(?:mw-gallery-\w+|gallerybox|gallerytext)(?:\s|$)")
_COLUMN_LAYOUT = re.compile(r"(?:^|[-_])(?:one|two|three|four|[1-4])[-_]?col(?:umn)?s?(?:[-_]|$)")
# A box laid out beside a sidebar ("contentWithSidebar", "page-has-sidebar", "with_sidebar"):
# it holds the story and the sidebar, so the name is not the sidebar's.
_WITH_SIDEBAR = re.compile(r"(?:with|has)[-_]?(?:(?:left|right)[-_]?)?sidebar")
# Not shown: display:none, visibility:hidden, or moved off screen (left:-9999px, a hiding place
# for link spam and screen-reader-only text).
_DISPLAY_NONE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden"
    r"|(?<![\w-])(?:left|top|text-indent)\s*:\s*-\d{4,}(?:\.\d+)?(?:px|em|rem)?\b",
    re.IGNORECASE,
)
_PAGE_WORDS = _words(PAGE_BOILERPLATE_WORDS)
_ALL_WORDS = _words(BOILERPLATE_WORDS)
_EMBED_WORDS = re.compile("|".join(map(re.escape, EMBED_WORDS)))
class DropReason(StrEnum):
    """Why a link of a full page is not a citation (``linkgraph extract --explain``)."""

    OUTSIDE_BODY = "outside the article body"
    BOILERPLATE = "inside boilerplate"
    LINK_ATTRIBUTES = "boilerplate by its own class, id or aria-hidden"
    REL = "rel=author or rel=tag"
    SCRIPT_HOOK = "script hook (javascript:, #, tab or button)"
    SCRIPT_ONLY = "wraps only a script or style"
    EMPTY = "an empty element: nothing to see"
    BOILERPLATE_LINE = "a standard line: syndication credit or contact address"
    SHARE = "share button"
    FOLLOW = "follow button"
    CALL_TO_ACTION = "call to action"
    OWN_PAGE = "the page itself"
    FRONT_PAGE = "the site's own front page"
    HEADLINE_LIST = "headline of another story on the site"
    AD = "an ad network's link"
    LEGAL = "the site's legal notice (disclaimer, terms, privacy)"
    BYLINE = "the author's name (a byline)"
    SKIP_LINK = "a skip link (jumps past an ad or a menu)"
    TAG_RUN = "one of a run of tag or category links"
    NO_HREF = "no href"


# Classification flags of one element.
PAGE_BOILER: Final = 1
BOILER: Final = 2
EXPLICIT: Final = 4


def _closed_dialog(names: str) -> bool:
    """A Bootstrap modal dialog not opened ("modal fade"; an open one adds "show" or "in"):
    display: none until a button opens it."""
    tokens = names.split()
    return "modal" in tokens and "show" not in tokens and "in" not in tokens


@lru_cache(maxsize=8192)
def _name_flags(names: str, is_id: bool) -> int:
    """Flags from one class attribute (lower case) or one id: class names repeat across
    elements and pages, so each distinct value is matched against the word tables once."""
    if not is_id and ("has-" in names or "with-" in names or "no-" in names or "col" in names):
        # State flags ("has-post-thumbnail", "no-comments") say what a box contains or lacks,
        # not what it is; so does a column layout's name ("panel-two-col-sidebar-right"): the
        # box holds the columns, the story among them.
        names = " ".join(
            t for t in names.split()
            if not t.startswith(_STATE_PREFIXES) and not _COLUMN_LAYOUT.search(t)
        )
    if is_id and names.startswith(_FOOTNOTE_IDS):
        return 0  # slugged from a reference's name: "cite_note-religiouscommentary-29"
    if "gallery" in names and _MEDIAWIKI_GALLERY.search(names):
        return 0  # a MediaWiki gallery: figures with captions in the text, not a carousel
    if "sidebar" in names:
        names = _WITH_SIDEBAR.sub(" ", names)
    if not names.strip():
        return 0
    # A body marker among the classes outweighs a page word in another class of the same
    # element: "l-sidebar-fixed l-article-body-segment" is a body laid out beside a sidebar.
    if (names in BODY_IDS) if is_id else not BODY_CLASSES.isdisjoint(names.split()):
        return EXPLICIT
    if not is_id and (not _HIDDEN_CLASSES.isdisjoint(names.split()) or _closed_dialog(names)):
        return PAGE_BOILER | BOILER  # text a reader does not see is never the article
    if _PAGE_WORDS.search(names):
        return PAGE_BOILER | BOILER
    if _EMBED_WORDS.search(names):
        return 0
    if _ALL_WORDS.search(names) or (not is_id and not BOILERPLATE_TOKENS.isdisjoint(names.split())):
        return BOILER
    return 0


def element_flags(node: LexborNode) -> int:
    """Classify one element by tag, role, class, id and itemprop (see the rule tables)."""
    tag = node.tag or ""
    if tag in PAGE_BOILERPLATE_TAGS:
        return PAGE_BOILER | BOILER
    attrs = node.attributes
    if not attrs:
        return BOILER if tag in BOILERPLATE_TAGS else 0
    classes = attrs.get("class")
    ident = attrs.get("id")
    class_flags = _name_flags(classes.lower(), False) if classes else 0
    id_flags = _name_flags(ident.lower(), True) if ident else 0
    names_flags = class_flags | id_flags
    if names_flags & PAGE_BOILER:
        return PAGE_BOILER | BOILER
    # An explicit body marker in the class or the id outweighs a boilerplate word in the other.
    flags = EXPLICIT if names_flags & EXPLICIT else names_flags
    itemprop = attrs.get("itemprop")
    if itemprop and not BODY_ITEMPROPS.isdisjoint(itemprop.lower().split()):
        flags = (flags | EXPLICIT) & ~BOILER
    style = attrs.get("style")
    if "hidden" in attrs or (style and _DISPLAY_NONE.search(style)):
        return PAGE_BOILER | BOILER  # not shown: cookie notices, pop-ups, templates
    role = attrs.get("role")
    if (
        tag in BOILERPLATE_TAGS
        or (role and role.lower() in BOILERPLATE_ROLES)
        or attrs.get("aria-hidden") == "true"
    ):
        flags |= BOILER
    if role and role.lower() in {"navigation", "complementary"}:
        flags |= PAGE_BOILER
    return flags


@lru_cache(maxsize=4096)
def _link_names_match(names: str) -> bool:
    return _LINK_WORDS.search(names.lower()) is not None


@lru_cache(maxsize=4096)
def _link_classes_match(classes: str) -> bool:
    """A link's class attribute: a boilerplate word, or a class that hides it ("invisible":
    rfcmarkup's page anchors).  Class strings repeat: each is judged once."""
    if not _HIDDEN_CLASSES.isdisjoint(classes.lower().split()):
        return True
    return _link_names_match(classes)


def link_is_boilerplate(attrs: dict[str, str | None]) -> bool:
    """True for a link that is page furniture by its own attributes: a skip link, a thumbnail,
    a share or author link (class or id words), one hidden from assistive technology, or one
    whose campaign parameter names a related-stories slot."""
    if attrs.get("aria-hidden") == "true":
        return True
    if not _SLIDE_HOOKS.isdisjoint(attrs):
        return True  # a carousel's previous/next control: a script hook
    href = attrs.get("href")
    if href and "=" in href and (  # both need a query parameter: most links have none
        (("_campaign=" in href or "_content=" in href or "module=" in href)
         and RELATED_CAMPAIGN.search(href))
        or LOGIN_REDIRECT.search(href)  # "log in to like this": a button, not a source
    ):
        return True
    classes = attrs.get("class")
    ident = attrs.get("id")
    return bool(
        (classes and _link_classes_match(classes)) or (ident and _link_names_match(ident))
    )
