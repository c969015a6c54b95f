"""Rules for one link by its URL and text: share and follow buttons, ad-network links, calls
to action, skip links, legal pages, the standard lines (contact address, the site's credit
to itself) that a link closes, and footnote marks pasted from an editor.

Element rules (what an element of the page is) are in :mod:`linkgraph.extract.boilerplate`; these
judge a link that sits in the body.
"""

from __future__ import annotations

import re
from typing import Final

from linkgraph.sources.platforms import is_account_page, platform_named

# Calls to action: a link whose text starts like this (or says "buy now") is a promotion.
PROMO_ANCHOR: Final = re.compile(
    r"^(?:subscribe(?: (?:to|now|for)|$)|sign up (?:for|to|now)"
    r"|click here to (?:get|subscribe|download)"
    r"|(?:download|get) (?:the|our) (?:\w+ ){0,4}app\b)"
    r"|\b(?:buy|shop) now\b"  # affiliate buttons, also as "Product (Buy Now)"
    r"|^follow (?:us|@?\w+) on\b"  # "Follow us on Twitter"
    r"|^read next\b"  # "Read next FOUND: Sharks ..." (a recirculation card)
    r"|\btell us what you think\b"  # a feedback form: "We're interested in your feedback ..."
    r"|^get\b[^.!?]{0,60}\bin your inbox\b|(?:^|[.!?]\s+)get a (?:\w+ )?subscription\b"
    r"|\bclick (?:here )?to subscribe\b"
    r"|^reuse this content$"
    r"|^(?-i:Get) (?:full |unlimited |instant |exclusive )?access to\b"  # a capitalised offer
    r"|\bsign up for (?:our|the) (?:[\w-]+ ){0,3}newsletters?\b"  # "... Sign up for our Email News"
    # comment counters and prompts: "Comments (5 posted)", "12 comments", "Leave a comment"
    r"|^(?:comments? \(\d+|\d+ comments?$|(?:leave|add|post|view|read|see) (?:a |all |the )?"
    r"(?:\d+ )?comments?\b)"
    # The same calls in the corpus's other languages: Spanish, Portuguese, French, German,
    # Korean, Japanese ("Suscríbete", "Assine já", "Abonnez-vous", "Jetzt abonnieren", "구독하기",
    # "メルマガ登録").
    r"|^(?:suscr[ií]bete|suscribirse|reg[ií]strate|ass?ine (?:já|agora|a )|inscreva-se"
    r"|abonnez-vous|inscrivez-vous|jetzt (?:abonnieren|anmelden)|newsletter abonnieren)"
    r"|^(?:구독하기|뉴스레터 구독|購読する|メルマガ登録|ニュースレター登録)",
    re.IGNORECASE,
)

# In-body boilerplate lines, matched on the sentence up to the link: the closing contact line
# of a column or a wire story ("Write to Al Root at ...", "Contact Dear Abby at
# www.DearAbby.com ...") and the site's credit to itself ("Originally published on Live
# Science.").  A credit naming another site ("This article originally appeared in The
# Atlantic") links the text's source: a citation.
_LINE_STARTS: Final = ("write to", "contact", "email", "e-mail", "reach", "originally", "this ")
CONTACT_LINE: Final = re.compile(
    r"^(?i:write to|contact|e-?mail|reach) (?:[A-Z][\w.'’-]*\s+){1,4}at\s*$"
)
CREDIT_LINE: Final = re.compile(
    r"^(?:this (?:article|story|post) (?:was )?)?originally (?:published|posted|appeared)"
    r" (?:on|in|at|by)\s*$",
    re.IGNORECASE,
)
# Where share buttons point: "share this" endpoints of social networks, messenger deep links,
# and e-mail with no address ("mailto:?subject=...").
SHARE_URL: Final = re.compile(
    r"(?:https?://(?:(?:www|m|mobile|api|web)\.)?(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed|send))"
    r"|(?:twitter|x)\.com/(?:intent/|share\b)|linkedin\.com/(?:shareArticle|sharing/|cws/share)"
    r"|pinterest\.[a-z.]+/pin/create|reddit\.com/submit|tumblr\.com/(?:share|widgets/share)"
    r"|whatsapp\.com/send|wa\.me/\?|t\.me/share|telegram\.me/share|vk\.com/share\.php"
    r"|line\.me/R/msg|social-plugins\.line\.me|news\.ycombinator\.com/submitlink"
    r"|getpocket\.com/(?:save|edit)|flipboard\.com/bookmarklet|plus\.google\.com/share"
    r"|b\.hatena\.ne\.jp/(?:add|entry)|share\.naver\.com|story\.kakao\.com/share"
    r"|addthis\.com/bookmark\.php|addtoany\.com/(?:share|add_to/)))"  # share widgets
    r"|whatsapp:|fb-messenger:|viber:|sms:|mailto:\?",
    re.IGNORECASE,
)

# Ad networks' click and "about this ad" endpoints: the link is an ad, whatever it says.
AD_URL: Final = re.compile(
    r"https?://(?:[\w-]+\.)*(?:doubleclick\.net|googleadservices\.com|googlesyndication\.com"
    r"|google\.com/(?:adsense|aclk)|adclick\.g\.doubleclick|ads\.yahoo\.com/clk|bing\.com/aclk)",
    re.IGNORECASE,
)
# The site's own legal pages, linked by their names alone.
LEGAL_ANCHOR: Final = re.compile(
    r"(?:disclaimer|terms (?:of|and) (?:use|service|conditions)|privacy (?:policy|notice)"
    r"|cookie policy|corrections? policy|legal notice|impressum|aviso legal)",
    re.IGNORECASE,
)
# A skip link: an in-page link that jumps past an ad, a menu or the header.
SKIP_ANCHOR: Final = re.compile(
    r"^(?:skip (?:to |over |past )?(?:the )?(?:main )?(?:content|article|story|advertisement|ad"
    r"|navigation|menu|header)\b|continue reading the main story$)",
    re.IGNORECASE,
)

# Follow buttons: a link named after a social network ("Twitter (@NYTopinion)") pointing at an
# account's page on it; the networks, their names and account paths are in data/platforms.csv.
_HANDLE = re.compile(r"\s*\(@?[\w.]+\)\s*$")  # "Twitter (@NYTopinion)"


def is_follow_link(text: str, url: str, domain: str | None) -> bool:
    """True for a follow button: a link named after a social network ("Facebook", "Twitter
    (@NYTopinion)") that points at an account's page on that network, not at a post.

    >>> is_follow_link("Instagram", "https://www.instagram.com/nytopinion/", "instagram.com")
    True
    >>> is_follow_link("Twitter", "https://twitter.com/NASA/status/1", "twitter.com")
    False
    """
    network = platform_named(_HANDLE.sub("", text))
    if network is None or domain not in network.domains:
        return False
    rest = url.split("://", 1)[-1].split("#", 1)[0]
    if "?" in rest:
        return False  # "/watch?v=...", "/permalink.php?story_fbid=...": a post, not an account
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return is_account_page(network, path)


def is_share_link(url: str) -> bool:
    """True for a share button's target: a social network's "share this" endpoint, a
    messenger deep link, or a mailto with no address.

    >>> is_share_link("https://www.facebook.com/sharer/sharer.php?u=x")
    True
    >>> is_share_link("https://twitter.com/NASA/status/1")
    False
    """
    return SHARE_URL.match(url) is not None


def is_promo_anchor(text: str) -> bool:
    """True when a link's text is a call to action ("Subscribe to ...", "Get the ... app").

    >>> is_promo_anchor("CLICK HERE TO GET THE FOX NEWS APP"), is_promo_anchor("the report")
    (True, False)
    """
    return PROMO_ANCHOR.search(text) is not None


def is_boilerplate_line(sentence: str, text: str, *, internal: bool) -> bool:
    """True when the link *text* closes a standard line of *sentence*: a contact address, or
    (for a link to the site itself, *internal*) a syndication credit.

    >>> is_boilerplate_line("Write to Al Root at al@dj.example", "al@dj.example", internal=False)
    True
    >>> is_boilerplate_line("Contact tracing at the clinic began", "the clinic", internal=False)
    False
    """
    if not sentence[:12].lower().startswith(_LINE_STARTS):
        return False  # every standard line starts with one of these words
    at = sentence.find(text) if text else -1
    if at <= 0:
        return False
    head = sentence[:at]
    return CONTACT_LINE.match(head) is not None or (
        internal and CREDIT_LINE.match(head) is not None
    )


def is_ad_link(url: str) -> bool:
    """True for a link to an ad network's click or "about this ad" endpoint.

    >>> is_ad_link("https://www.google.com/adsense/support/bin/request.py?contact=abg_afc")
    True
    >>> is_ad_link("https://www.google.com/search?q=adsense")
    False
    """
    return AD_URL.match(url) is not None


def is_skip_link(text: str) -> bool:
    """True when an in-page link's text says it skips something ("Skip to content",
    "Continue reading the main story" past an ad).

    >>> is_skip_link("Continue reading the main story"), is_skip_link("Skip Advertisement")
    (True, True)
    >>> is_skip_link("Skipping school")
    False
    """
    return SKIP_ANCHOR.search(text) is not None


def is_legal_link(text: str) -> bool:
    """True when a link's whole text names a legal page ("Disclaimer", "Terms of Use"); the
    caller asks only for links to the site itself outside running text (an article may cite
    another site's privacy policy).

    >>> is_legal_link("Disclaimer"), is_legal_link("its new privacy policy")
    (True, False)
    """
    return LEGAL_ANCHOR.fullmatch(text) is not None


# Word's footnote and endnote anchors ("_ftn1" on the mark, "_ftnref1" on the note's way
# back; "_edn1", "_ednref1" for endnotes): a text pasted from Word keeps them.
_NOTE_ANCHOR = re.compile(r"_(?:ftn|edn)(?:ref)?\d{1,4}", re.ASCII)
# Pages a text was pasted into or from: a footnote mark's href then names the editor (or the
# writer's own file) instead of the page.  Blogger's editor, WordPress's admin screens.
_EDITOR_PAGE = re.compile(
    r"file:|https?://(?:www\.)?blogger\.com/(?:blogger|post-edit|post-create)\.g\b"
    r"|https?://[^/?#]+/(?:[^?#]*/)?wp-admin/",
    re.IGNORECASE | re.ASCII,
)


def pasted_note_anchor(href: str) -> str | None:
    """The anchor of a footnote mark pasted from an editor, or ``None``: in
    ``blogger.com/blogger.g?blogID=...#_ftn1`` (or a ``file:`` or ``wp-admin`` URL ending in a
    Word note anchor) the mark points at the page it sits on, ``#_ftn1``."""
    document, hash_, anchor = href.strip().partition("#")
    if not hash_ or not _NOTE_ANCHOR.fullmatch(anchor):
        return None
    return anchor if _EDITOR_PAGE.match(document) else None

