"""Boilerplate and body-marker rules, one row per decision (add a row with each fix)."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from linkgraph.extract.body import find_body
from linkgraph.extract.boilerplate import (
    BOILER,
    EXPLICIT,
    PAGE_BOILER,
    element_flags,
    link_is_boilerplate,
)
from linkgraph.extract.extractor import extract
from linkgraph.extract.link_rules import is_follow_link, is_promo_anchor, is_share_link
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article, BodyKind, Origin

ROWS = [
    ('<div class="entry-content">', EXPLICIT),
    ('<div itemprop="articleBody" class="share-wrapper">', EXPLICIT),
    ('<section id="article-body">', EXPLICIT),
    ('<div class="share-bar">', BOILER),
    ('<div class="byline">', BOILER),
    ('<div class="ad">', BOILER),
    ('<div class="hst-resgallery-container">', BOILER),
    ('<div aria-hidden="true">', BOILER),
    ("<header>", BOILER),
    ("<nav>", PAGE_BOILER | BOILER),
    ('<div id="comments">', PAGE_BOILER | BOILER),
    ('<div role="navigation">', PAGE_BOILER | BOILER),
    ('<ul class="related-posts">', PAGE_BOILER | BOILER),
    ('<ul class="latest-news-box-row">', BOILER),
    ('<div class="m video-player">', BOILER),
    ('<div class="featured featured-video video-ct">', BOILER),
    # Embedded social posts are quoted sources, whatever their wrapper says.
    ('<div class="social-media-embed">', 0),
    ('<blockquote class="twitter-tweet">', 0),
    ('<blockquote class="instagram-media">', 0),
    ('<div class="social-links">', BOILER),
    ('<article class="post has-post-thumbnail no-comments">', 0),  # state flags, not roles
    ('<div class="story">', 0),
    ("<p>", 0),
    # A body marker outweighs a page word in another class of the same element (Vox Chorus).
    ('<div class="l-sidebar-fixed l-segment l-article-body-segment">', EXPLICIT),
    ('<div class="l-sidebar-fixed l-segment">', PAGE_BOILER | BOILER),
    ('<div class="l-col__sidebar">', PAGE_BOILER | BOILER),
    # A column layout's name is not a sidebar: the ACLU blog's story sits in this panel.
    ('<div class="panel-display panel-two-col-sidebar-right-mix">', 0),
    ('<div class="sidebar two-col">', PAGE_BOILER | BOILER),  # the sidebar itself
    # What a reader with scripts on never sees: ad fallbacks, tracking links.
    ("<noscript>", BOILER),
    # Not shown at all: never the article, and its text weighs nothing (a hidden cookie notice
    # kept BuzzFeed's list article from winning).
    ('<div id="cookie_notice" class="cookie_notice hidden">', PAGE_BOILER | BOILER),
    ('<div style="display: none">', PAGE_BOILER | BOILER),
    ("<div hidden>", PAGE_BOILER | BOILER),
    ('<div class="hidden-xs">', 0),  # a responsive class, shown on larger screens
    # Moved off screen: link spam after India Post's text, screen-reader-only text.
    ('<div style="position:absolute; top:0; left:-9999px;">', PAGE_BOILER | BOILER),
    ('<span style="text-indent: -10000px">', PAGE_BOILER | BOILER),
    ('<div style="margin-left: -1000px; left: -20px">', 0),  # a layout offset, still shown
    ('<div class="mw-references-wrap">', 0),  # the reference list is the sources
    # A cookie or privacy consent banner is page furniture (SB Nation's outweighed the story).
    ('<div class="m-privacy-consent">', PAGE_BOILER | BOILER),
    ('<div id="gdpr-banner">', PAGE_BOILER | BOILER),
    # Most-read and trending lists are furniture: their teasers weigh nothing (CityLab).
    ('<section class="c-article-most-popular">', PAGE_BOILER | BOILER),
    ('<div id="trending-now">', PAGE_BOILER | BOILER),
    # A call-to-action box is not the text ("nrplus-cta", HubSpot's "hs-cta-wrapper").
    ('<div class="nrplus-cta">', BOILER),
    ('<span class="hs-cta-wrapper">', BOILER),
    ('<div class="cta">', BOILER),
    ('<div class="factual">', 0),
    ('<div class="author-hovercard">', BOILER),
    ('<div class="popover">', BOILER),
    # A tweet embedded in a widget wrapper is still a quoted source (Sky News).
    ('<div class="sdc-article-widget sdc-article-tweet">', 0),
    # MediaWiki: "[edit]" links are editing tools, navigation boxes are navigation (tables
    # too); a gallery of captioned figures is text; a footnote's id is slugged from its name.
    ('<span class="mw-editsection">', BOILER),
    ('<div class="navbox authority-control">', BOILER),
    ('<ul class="gallery mw-gallery-packed">', 0),
    ('<li class="gallerybox">', 0),
    ('<div class="gallery">', BOILER),  # a news site's picture gallery
    ('<li id="cite_note-2013religiouscommentary-294">', 0),
    ('<li id="comment-294">', PAGE_BOILER | BOILER),
    # Widgets, not text: tab strips and tool bars; a licensing box; the rows under a story.
    ('<ul role="tablist">', BOILER),
    ('<div role="toolbar">', BOILER),
    ('<li class="syndication__item">', BOILER),
    ('<div class="submeta">', BOILER),
]


# A link's own attributes: a narrower table than for containers.
LINK_ROWS = [
    ('<a class="visually-hidden skip-to-text-link" href="#next">Continue</a>', True),
    ('<a class="skip-link" href="#content">Skip to content</a>', True),
    ('<a class="indepth-module__thumbnail" href="/x"><img src="x.jpg"></a>', True),
    ('<a class="th-topic" href="/products/x/">X</a>', True),
    ('<a class="byline" href="/writer/kim/">More Kim.</a>', True),
    ('<a class="share-twitter" href="https://twitter.com/intent">Tweet</a>', True),
    ('<a aria-hidden="true" href="/story"><img src="x.jpg"></a>', True),
    ('<a id="promo-link" href="/subscribe">Offer</a>', True),
    # A "read more" card in the text is recirculation ("Also on rt.com" + a headline).
    ('<a class="read-more-big" href="/news/1-other/"><span>Also on</span> x</a>', True),
    ('<a class="readmore" href="/news/2-other/">More</a>', True),
    # In-text links carry classes too: a glossary link is still in the sentence.
    ('<a class="keywords" href="/articles/1.php">neuroscience</a>', False),
    ('<a class="external-link" href="https://gov.example/r">the report</a>', False),
    ('<a href="https://gov.example/r">the report</a>', False),
    # The link's own campaign parameter names a related-stories slot.
    ('<a href="https://w.example/story/x/?itm_campaign=BottomRelatedStories">x</a>', True),
    ('<a href="https://w.example/x?utm_source=tw&utm_campaign=recirc-module">x</a>', True),
    ('<a href="https://w.example/x?utm_campaign=budget-2019">the budget</a>', False),
    ('<a href="https://w.example/2018/x.html?action=click&module=RelatedLinks">x</a>', True),
]


@pytest.mark.parametrize(("tag", "dropped"), LINK_ROWS)
def test_link_is_boilerplate(tag: str, dropped: bool) -> None:
    node = LexborHTMLParser(f"<html><body>{tag}</body></html>").css_first("a")
    assert node is not None
    assert link_is_boilerplate(node.attributes) is dropped


@pytest.mark.parametrize(("tag", "flags"), ROWS)
def test_element_flags(tag: str, flags: int) -> None:
    node = LexborHTMLParser(f"<html><body>{tag}x</body></html>").body
    assert node is not None and node.child is not None
    assert element_flags(node.child) == flags


TEXT = "This paragraph is long enough to count as article text for the body detector. " * 3


def _page_article(html: str) -> Article:
    return Article(
        id="t", url="https://news.example/2024/a", site="news.example", title="",
        published=None, modified=None, origin=Origin("t.html"), html=html,
        body_kind=BodyKind.PAGE, site_domains=("news.example",),
    )


def test_body_class_never_makes_the_whole_page_furniture() -> None:
    html = f'<body class="one-sidebar"><div id="main"><p>{TEXT}</p><p>{TEXT}</p></div></body>'
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("id") == "main"


def test_teaser_list_loses_to_the_story() -> None:
    teasers = "".join(f"<article><p>Teaser {i}: {TEXT[:120]}</p></article>" for i in range(12))
    html = (
        f'<body><section><article id="story"><div class="content"><p>{TEXT}</p><p>{TEXT}</p>'
        f"<p>{TEXT}</p></div></article></section><section>{teasers}</section></body>"
    )
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("class") == "content"


def test_split_body_is_kept_whole() -> None:
    sections = "".join(f'<section class="part"><p>{TEXT}</p></section>' for _ in range(3))
    html = f'<body><div id="post">{sections}</div><footer><p>{TEXT}</p></footer></body>'
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("id") == "post"


def test_body_marked_in_chunks_is_kept_whole() -> None:
    """One article split into several ``article__body`` chunks, each in its own wrapper (a CMS
    that interleaves ads): every chunk's links are kept, the rail beside them is not."""
    chunk = (
        '<div class="wrap"><div class="body__container article__body"><p>{0}'
        ' <a href="https://src.example/{1}">source {1}</a></p></div></div>'
    )
    # The last chunk holds most of the text: alone it would pass for the whole body.
    chunks = "".join(chunk.format(TEXT * (1 if i < 2 else 6), i) for i in range(3))
    html = (
        f'<body><main><article id="story">{chunks}<div class="ad-slot">'
        '<a href="https://ads.example/">ad</a></div></article>'
        '<aside><a href="https://rail.example/">rail</a></aside></main></body>'
    )
    kept = [c.href for c in extract(_page_article(html)).citations]
    assert kept == [f"https://src.example/{i}" for i in range(3)]


def test_body_chunks_numbered_apart_are_kept_whole() -> None:
    """"story-body story-body-1" and "story-body story-body-2" (an ad break between them) are
    chunks of one story."""
    html = (
        f'<body><div class="story"><div class="story-body story-body-1"><p>{TEXT}'
        ' <a href="https://src.example/1">one</a></p></div><div class="ad">x</div>'
        f'<div class="story-body story-body-2"><p>{TEXT * 4}'
        ' <a href="https://src.example/2">two</a></p></div></div></body>'
    )
    kept = [c.href for c in extract(_page_article(html)).citations]
    assert kept == ["https://src.example/1", "https://src.example/2"]


def test_title_block_that_is_one_link_is_another_story_with_its_picture() -> None:
    element = (
        "<div class='storyelement'><div class='teaseimage'><a href='/2024/other'>"
        "<img src='x.jpg' alt='The other story'></a></div><div class='media__caption title'>"
        "<span><a href='/2024/other'>The other story, told at headline length</a></span></div>"
        "</div>"
    )
    html = (
        f"<body><div id='story'><p>{TEXT} A <a href='/2024/other'>muddled view</a> of it.</p>"
        f"{element}<p>{TEXT}</p></div></body>"
    )
    assert [c.text for c in extract(_page_article(html)).citations] == ["muddled view"]


def test_tag_link_inside_a_sentence_is_kept_but_not_a_tag_list() -> None:
    html = (
        f'<body><div class="entry-content"><p>{TEXT} Bears and <a rel="tag"'
        f' href="/tags/hibernation/">hibernation</a> in space.</p><p>{TEXT}</p>'
        '<div class="meta"><p><a rel="tag" href="/tags/space/">space</a></p></div></div></body>'
    )
    kept = [c.href for c in extract(_page_article(html)).citations]
    assert kept == ["/tags/hibernation/"]


SHARE_ROWS = [
    ("https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fnews.example%2Fa", True),
    ("https://twitter.com/intent/tweet?text=Read", True),
    ("https://twitter.com/share?text=A+quote", True),
    ("https://www.linkedin.com/shareArticle?mini=true&url=x", True),
    ("https://www.pinterest.com/pin/create/button/?url=x", True),
    ("https://api.whatsapp.com/send?text=x", True),
    ("whatsapp://send?text=x", True),
    ("mailto:?subject=Read%20this&body=x", True),
    ("https://twitter.com/NASA/status/1197040181657784320", False),  # a tweet: a source
    ("https://www.facebook.com/nytopinion", False),
    ("https://twitter.com/shareholders", False),
    ("mailto:press@agency.example", False),
    ("https://www.reddit.com/r/science/comments/abc/", False),
]


@pytest.mark.parametrize(("url", "share"), SHARE_ROWS)
def test_share_link(url: str, share: bool) -> None:
    assert is_share_link(url) is share


FOLLOW_ROWS = [
    ("Facebook", "https://www.facebook.com/nytopinion", "facebook.com", True),
    ("Twitter (@NYTopinion)", "http://twitter.com/NYTOpinion", "twitter.com", True),
    ("Instagram", "https://www.instagram.com/nytopinion/", "instagram.com", True),
    ("YouTube", "https://www.youtube.com/channel/UC123", "youtube.com", True),
    ("Facebook", "http://www.facebook.com/pages/Spacecom/17610706465", "facebook.com", True),
    ("Twitter", "https://twitter.com/NASA/status/1197040181657784320", "twitter.com", False),
    ("Facebook", "https://www.facebook.com/nasa/posts/101", "facebook.com", False),
    ("YouTube", "https://www.youtube.com/watch?v=fgPqJgZepxM", "youtube.com", False),
    ("YouTube", "https://www.youtube.com/shorts", "youtube.com", False),
    ("a statement", "https://www.facebook.com/nytopinion", "facebook.com", False),
    # threads.com is the registry's Threads too (issue 14: it was missing here)
    ("Threads", "https://www.threads.com/@nytimes", "threads.com", True),
    ("X", "https://twitter.com/NASA", "twitter.com", True),
    ("Reddit", "https://www.reddit.com/r/korea/", "reddit.com", True),
    ("Facebook", "https://www.facebook.com/photo/?fbid=1", "facebook.com", False),
    ("Facebook", "https://www.facebook.com/groups/", "facebook.com", False),
    ("Twitter", "https://example.org/twitter", "example.org", False),
]


@pytest.mark.parametrize(("text", "url", "domain", "follow"), FOLLOW_ROWS)
def test_follow_link(text: str, url: str, domain: str, follow: bool) -> None:
    assert is_follow_link(text, url, domain) is follow


def test_body_marker_inside_a_wrapper_named_like_furniture_is_the_body() -> None:
    """A CMS body class inside a sticky "sidebar" column wrapper still marks the body."""
    html = (
        f'<body><div class="theiaStickySidebar"><div class="entry-content"><p>{TEXT}</p>'
        f'<p>{TEXT}</p></div></div><div id="cookie"><p>{TEXT[:90]}</p></div></body>'
    )
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("class") == "entry-content"


def test_consent_banner_never_outweighs_a_short_article() -> None:
    """A long cookie notice must not win over a story told mostly in lists and tweets."""
    items = "".join(f"<li><a href='/players/{i}'>Player {i}</a>: 40 snaps</li>" for i in range(9))
    html = (
        f'<body><div class="m-privacy-consent"><p>{TEXT}</p><p>{TEXT[:100]}</p></div>'
        f'<div class="l-root"><article><div class="c-entry-content"><p>{TEXT[:130]}</p>'
        f"<ul>{items}</ul><p>{TEXT[:60]}</p></div></article></div></body>"
    )
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("class") == "c-entry-content"


def test_most_read_teasers_do_not_keep_the_body_out_of_the_story() -> None:
    """A most-popular list beside the story, in the same wrapper as its promos, is furniture:
    the body is the story, not the wrapper (whose promo links would all be kept)."""
    teasers = "".join(f"<li><p>Teaser {i}: {TEXT[:140]}</p></li>" for i in range(4))
    html = (
        f'<body><main id="main"><article class="l-article"><section><p>{TEXT}</p></section>'
        f"<section><p>{TEXT}</p><p>{TEXT}</p></section></article>"
        f'<section class="c-article-most-popular"><ol>{teasers}</ol></section>'
        '<div class="c-ballyhoo"><a href="/newsletters/">Click Here</a></div></main></body>'
    )
    selection = find_body(LexborHTMLParser(html))
    assert selection is not None
    assert selection.root.attributes.get("class") == "l-article"


def _kept_texts(html: str) -> list[str]:
    article = _page_article(html)
    return [c.text for c in extract(article).citations]


def test_hover_card_on_a_name_in_the_text_is_not_citations() -> None:
    """The Hill: a name in the text links the person's page (kept); the card a reader sees only
    on hovering it (bio link, three headlines, "MORE") is not part of the text."""
    card = (
        '<span class="rollover-people-block"><span class="rollover-block"><span>'
        "<a class='name' href='/people/kristi-noem'>Kristi Lynn Noem</a>"
        "<a href='/homenews/1-governor-doubles-down'>Governor doubles down on campaign</a>"
        "<a class='more' href='/people/kristi-noem'>MORE</a></span></span></span>"
    )
    html = (
        f"<body><div id='post'><p>{TEXT}</p><p>South Dakota Gov. <span class='rollover-people'>"
        f"<a href='/people/kristi-noem'>Kristi Noem</a>{card}</span> said so, "
        f"<a href='https://argus.example/story'>the Argus Leader</a> reported. {TEXT}</p></div>"
        "</body>"
    )
    assert _kept_texts(html) == ["Kristi Noem", "the Argus Leader"]


def test_row_of_tag_links_is_not_citations_but_a_tag_link_in_a_sentence_is() -> None:
    html = (
        f"<body><div id='post'><p>{TEXT} See <a href='/tag/space/'>our space coverage</a>"
        f" and <a href='https://esa.example/r'>the report</a>.</p><p>{TEXT}</p>"
        "<p><small>Categoria: <a href='/noticias.php?cat=19'>Saúde</a> - Tags:"
        " <a href='/noticias.php?tag=sad'>sad</a> <a href='/noticias.php?tag=x'>x</a></small></p>"
        "</div></body>"
    )
    assert _kept_texts(html) == ["our space coverage", "the report"]


def test_headline_with_a_kicker_is_another_story_but_a_ranked_entry_is_not() -> None:
    html = (
        f"<body><div id='post'><p>{TEXT}</p>"
        "<h3><span>Updated</span> <a href='/news/other-story'>Police identify the driver</a></h3>"
        f"<p>{TEXT}</p><h3>21) <a href='/film/arrival'>Arrival</a></h3><p>{TEXT}</p></div></body>"
    )
    assert _kept_texts(html) == ["Arrival"]


def test_empty_link_is_not_a_citation_but_an_empty_in_page_anchor_is() -> None:
    """IGN deals: an empty <a> after each heading shows nothing; a heading's empty in-page
    anchor stays (kind fragment), and so does an image link with no alt text."""
    html = (
        f"<body><div id='post'><p>{TEXT}</p>"
        "<h2>Controller for $39.99<a href='https://r.example/u/4o3t' rel='nofollow'></a></h2>"
        "<p><a href='https://r.example/u/bdum'><img src='pad.jpg'></a></p>"
        f"<h2 id='s1'><a href='#s1'></a>Monitors</h2><p>{TEXT}</p></div></body>"
    )
    assert [(c.href, c.text) for c in extract(_page_article(html)).citations] == [
        ("https://r.example/u/bdum", ""), ("#s1", ""),
    ]


def test_figure_whose_caption_is_a_call_to_action_is_a_promotion() -> None:
    """Live Science: a magazine cover in the text, its caption "Need more space? Subscribe to
    our sister title ...": cover, caption and call are one promotion.  A photo whose caption
    links a source stays."""
    offer = "https://shop.example/space-magazine/?utm_medium=affiliates"
    html = (
        f"<body><div id='post'><p>{TEXT}</p><figure><a href='{offer}'><img alt='Holiday issue'"
        f" src='c.jpg'></a><figcaption><a href='{offer}'>Need more space?</a> <a href='{offer}'>"
        "Subscribe to our sister title</a></figcaption></figure><figure><img src='p.jpg'>"
        "<figcaption>(Image: <a href='https://nasa.example/p'>NASA</a>)</figcaption></figure>"
        f"<p>{TEXT}</p></div></body>"
    )
    assert _kept_texts(html) == ["NASA"]


def test_contact_line_and_own_credit_line_are_boilerplate_but_a_source_credit_is_not() -> None:
    html = (
        f"<body><div id='post'><p>{TEXT} Contact tracing at <a href='https://cdc.example/r'>"
        f"the clinic</a> began.</p><p>{TEXT}</p><p><i>Write to Al Root at "
        "<a href='mailto:al.root@dj.example'>al.root@dj.example</a></i></p><p>Originally "
        "published on <a href='https://news.example/2019/other-story.html'>News</a>.</p>"
        "<p>This article originally appeared in <a href='https://monthly.example/a/1'>The "
        "Monthly</a>.</p></div></body>"
    )
    assert _kept_texts(html) == ["the clinic", "The Monthly"]


def test_card_link_wrapping_a_headline_is_another_story_but_a_photo_link_is_not() -> None:
    """eHow's "Featured" cards (image, "Read Article", div.title) are other stories; a photo
    whose lightbox link wraps its caption (Aktuálně) and an image link stay."""
    card = (
        "<section><a href='/how_2056495_make-ballet-tutu.html'><img src='t.jpg' alt=''>"
        "<span class='subtitle'>Read Article</span><div class='title headline6'>How to Make a"
        " Ballet Tutu</div></a></section>"
    )
    photo = (
        "<a href='/photo/r~1/'><div class='article__photo__image'><img src='p.jpg'></div>"
        "<div class='article__photo__description'>Declan Rice after the win.</div></a>"
    )
    html = f"<body><div id='post'><p>{TEXT}</p>{card}{photo}<p>{TEXT}</p></div></body>"
    assert _kept_texts(html) == ["Declan Rice after the win."]


PROMO_ROWS = [
    ("Subscribe to NJ.com’s newsletters", True),
    ("Subscribe to 9to5Mac on YouTube for more Apple news:", True),
    ("CLICK HERE TO GET THE FOX NEWS APP", True),
    ("Sign up for our morning briefing", True),
    ("Download the BBC News app", True),
    ("Buy Now", True),
    ("Subscribe", True),  # a bare button in a call-out box
    ("We’re interested in your feedback on this page. Tell us what you think.", True),
    ("Subscribers say", False),
    ("Get New York Today in your inbox", True),
    ("Want more science? Get a subscription of our sister publication", True),
    ("THE POINT -- NOW ON YOUTUBE! ... Click to subscribe!", True),
    ("Reuse this content", True),
    ("scam texts landing in your inbox", False),  # a link in a sentence
    ("Suscríbete a nuestro boletín", True),
    ("Abonnez-vous à la newsletter", True),
    ("Jetzt abonnieren", True),
    ("Inscreva-se", True),
    ("구독하기", True),
    ("la suscripción del gobierno", False),
    ("subscription prices went up", False),
    ("MacBook Pro (Buy Now)", True),
    ("the subscription figures", False),
    ("shoppers who buy nowhere else", False),
    ("readers who subscribe to the print edition", False),
    ("Get the report", False),
    ("Comments (5 posted)", True),
    ("12 comments", True),
    ("Leave a comment", True),
    ("View all 40 comments", True),
    ("comments from the minister", False),
    ("Follow us on Twitter", True),
    ("Read next FOUND: Sharks Hanging Out in a Volcano", True),
    ("Stay on top of the latest news. Sign up for our Email Newsletters here", True),
    ("read the next chapter", False),
    ("Follow @Spacedotcom on Facebook", True),
    ("follow the money", False),
    ("the comments section", False),
]


@pytest.mark.parametrize(("text", "promo"), PROMO_ROWS)
def test_promo_anchor(text: str, promo: bool) -> None:
    assert is_promo_anchor(text) is promo


def test_box_laid_out_beside_a_sidebar_is_not_the_sidebar() -> None:
    """ebb.org: the post sits in div#contentWithSidebar, beside div#sidebar; the layout box's
    name says what it sits beside, not what it is.  The sidebar itself stays furniture."""
    html = (
        "<body><div id='site'><div id='sidebar'><p>Tag cloud and menus, long enough to weigh as "
        "text if it were not a sidebar at all, really.</p><a href='/tags'>tags</a></div>"
        f"<div id='contentWithSidebar'><div id='post'><p>{TEXT} <a href='https://fsf.example/n'>"
        f"his resignation</a></p><p>{TEXT}</p></div></div><hr><p><a href='https://cc.example/'>"
        "Licence</a> This website and all documents on it are licensed under a licence.</p>"
        "<p>Both previously and presently, I have worked for organisations with views.</p>"
        "</div></body>"
    )
    assert _kept_texts(html) == ["his resignation"]
    assert element_flags(LexborHTMLParser("<div class='page has-left-sidebar'>").css_first(
        "div")) == 0


def test_shopping_card_in_the_text_is_not_citations() -> None:
    """BGR deals: each product named in the text links to the shop (kept); the product callout
    boxes after it (image, title, price, Prime logo, "BGR may receive a commission") are a
    shopping widget."""
    shop = "https://shop.example/dp/B07PXGQC1Q"
    html = (
        f"<body><div class='entry-content'><p>{TEXT} <a href='{shop}?tag=x'>AirPods 2</a></p>"
        f"<div class='amazon-product-callout product-callout'><a href='{shop}'><img src='a.jpg'>"
        f"</a><div class='product-inner'><a href='{shop}'>Apple AirPods with Charging Case</a>"
        f"<a href='{shop}'>$139.00</a><a href='https://shop.example/tryprimefree/'><img "
        f"src='prime.png'></a><a href='{shop}'>BGR may receive a commission</a></div></div>"
        f"<p>{TEXT}</p></div></body>"
    )
    assert _kept_texts(html) == ["AirPods 2"]


def test_get_access_to_is_a_call_to_action() -> None:
    """Moneycontrol: "Get access to India's fastest growing financial subscriptions service"
    closes the story; a sentence about access keeps its link."""
    html = (
        f"<body><div class='entry-content'><p>{TEXT} Residents <a href='https://un.example/w'>"
        f"get access to clean water</a> later.</p><p>{TEXT}</p><p><a href='/promos/pro.php'>"
        "Get access to India's fastest growing financial subscriptions service</a></p>"
        "</div></body>"
    )
    assert _kept_texts(html) == ["get access to clean water"]



def test_shared_in_a_section_id_is_not_a_share_bar() -> None:
    # Sphinx slugs a heading into its section's id: "Example 1: Amend a shared changeset".
    def flags(tag: str) -> int:
        node = LexborHTMLParser(f"<html><body>{tag}x</body></html>").body
        assert node is not None and node.child is not None
        return element_flags(node.child)

    assert flags('<div class="section" id="example-1-amend-a-shared-changeset">') == 0
    assert flags('<div class="shared-drive">') == 0
    assert flags('<div id="share-buttons">') == BOILER
    assert flags('<div class="sharebar">') == BOILER


def test_invisible_class_is_not_shown() -> None:
    # rfcmarkup's page anchors: '<a class="invisible" href="#page-2"> </a>' (Bootstrap and
    # Tailwind's "invisible" is visibility: hidden).
    page = LexborHTMLParser('<a class="invisible" href="#page-2"> </a><a href="#s-1">1</a>')
    first, second = page.css("a")
    assert link_is_boilerplate(first.attributes)
    assert not link_is_boilerplate(second.attributes)
    node = LexborHTMLParser('<html><body><div class="invisible">x</div></body></html>').body
    assert node is not None and node.child is not None
    assert element_flags(node.child) == PAGE_BOILER | BOILER


def test_share_widget_endpoints_are_share_buttons() -> None:
    # The Space Review's "Bookmark and Share" button; AddToAny's equivalent.
    assert is_share_link("http://www.addthis.com/bookmark.php?v=250&pub=spacereview")
    assert is_share_link("https://www.addtoany.com/share#url=https%3A%2F%2Fx.example%2F")
    assert is_share_link("https://www.addtoany.com/add_to/twitter?linkurl=x")
    assert not is_share_link("https://www.addthis.com/blog/2019/01/01/report/")


def test_carousel_control_is_a_script_hook() -> None:
    # SimplyFound's image carousel: '<a href="#snippet-326-image-carousel" data-slide="prev">'.
    page = LexborHTMLParser(
        '<a href="#gallery" data-slide="prev" class="left"><span></span></a>'
        '<a href="#gallery" data-bs-slide-to="2">3</a><a href="#note-1">1</a>'
    )
    prev, to, note = page.css("a")
    assert link_is_boilerplate(prev.attributes)
    assert link_is_boilerplate(to.attributes)
    assert not link_is_boilerplate(note.attributes)


def test_reviewed_by_line_is_a_byline() -> None:
    # WebMD: "Reviewed by Hansa D. Bhargava, MD" under the story's byline.
    def flags(tag: str) -> int:
        node = LexborHTMLParser(f"<html><body>{tag}x</body></html>").body
        assert node is not None and node.child is not None
        return element_flags(node.child)

    assert flags('<div class="reviewedBy_fmt">') == BOILER
    assert flags('<p class="medically-reviewed-by">') == BOILER
    assert flags('<div class="review-body">') == 0


def test_closed_modal_dialog_is_not_shown() -> None:
    # SimplyFound's "Become an approved writer" dialog ('Send Your Request'), closed.
    def flags(tag: str) -> int:
        node = LexborHTMLParser(f"<html><body>{tag}x</body></html>").body
        assert node is not None and node.child is not None
        return element_flags(node.child)

    assert flags('<div class="col-lg-12 modal fade">') == PAGE_BOILER | BOILER
    assert flags('<div class="modal fade show">') == 0
    assert flags('<div class="modal-body">') == 0


def test_log_in_and_come_back_link_is_a_button() -> None:
    # SimplyFound's like count ("1"), Medium's bookmark button: log in, then back to the story.
    page = LexborHTMLParser(
        '<a href="/account/user/login?next=/article/eb9a5e137034/x">1</a>'
        '<a href="https://medium.com/m/signin?operation=register&redirect=https%3A%2F%2Fm">b</a>'
        '<a href="https://example.org/how-to-login/">how to log in</a>'
    )
    like, bookmark, guide = page.css("a")
    assert link_is_boilerplate(like.attributes)
    assert link_is_boilerplate(bookmark.attributes)
    assert not link_is_boilerplate(guide.attributes)


def test_link_list_after_a_see_also_heading_is_not_citations() -> None:
    html = (
        f"<body><div id='story'><p>{TEXT} As <a href='https://gov.example/r'>the report</a>"
        f" said.</p><p>{TEXT}</p>"
        "<div class='mw-heading'><h2 id='See_also'>See also</h2><span>[edit]</span></div>"
        "<ul><li><a href='/wiki/A'>A</a></li><li><a href='/wiki/B'>B</a></li></ul>"
        "<h2>External links:</h2><ul><li><a href='https://site.example/'>Site</a></li></ul>"
        f"<h2>Notes</h2><p>{TEXT} See also <a href='https://law.example/act'>the act</a>.</p>"
        "</div></body>"
    )
    urls = [c.url for c in extract(_page_article(html)).citations]
    assert urls == ["https://gov.example/r", "https://law.example/act"]


def test_parts_of_a_dropped_teaser_go_with_its_headline() -> None:
    # A teaser card: picture link, headline link, summary link, all to one story of the site.
    card = (
        "<div class='c'><a href='/2024/other'><img src='x.jpg' alt=''></a>"
        "<h3><a href='/2024/other'>The other story that the site wants you to read next</a></h3>"
        "<p><a href='/2024/other'>A summary of the other story</a></p></div>"
    )
    html = (
        f"<body><div id='story'><p>{TEXT} As <a href='/2024/other'>we reported</a>,"
        f" it went on.</p><p>{TEXT}</p>{card}</div></body>"
    )
    citations = extract(_page_article(html)).citations
    assert [(c.text, c.position) for c in citations] == [("we reported", 0)]


def test_ad_network_and_skip_links_are_not_citations() -> None:
    html = (
        f"<body><div id='story'><p>{TEXT} As <a href='https://gov.example/r'>the report</a>"
        " said.</p><h2><a href='https://www.google.com/adsense/support/bin/request.py?c=1'>"
        f"Related Searches</a></h2><p>{TEXT}</p><div id='mid1-wrapper'>"
        "<a href='#after-mid1'>Continue reading the main story</a></div><div id='after-mid1'>"
        f"</div><p>{TEXT} See <a href='#notes'>the notes</a>.</p></div></body>"
    )
    texts = [c.text for c in extract(_page_article(html)).citations]
    assert texts == ["the report", "the notes"]


def test_link_named_after_the_author_outside_the_text_is_a_byline() -> None:
    page = (
        '<html><head><meta name="author" content="Jane Doe"></head><body><div id="story">'
        "<div><a href='/@jane'><img src='j.jpg' alt='Jane Doe'></a></div>"
        "<div><span><a href='/@jane'>Jane Doe</a></span> <span>Follow</span></div>"
        f"<p>{TEXT} As <a href='/@jane'>Jane Doe</a> wrote in <a href='https://gov.example/r'>"
        f"the report</a>, it went on.</p><p>{TEXT}</p></div></body></html>"
    )
    article = parse_html_page(page.encode(), "a.html", base="https://news.example/2024/a")
    assert isinstance(article, Article)
    texts = [c.text for c in extract(article).citations]
    assert texts == ["Jane Doe", "the report"]  # the name in a sentence stays


def test_tab_and_next_controls_are_script_hooks_but_a_contents_link_is_not() -> None:
    html = (
        f"<body><div id='story'><p>{TEXT} See <a href='#notes'>the notes</a>.</p>"
        "<div><a role='tab' href='#themes'>Themes</a>"
        "<a class='next' role='button' href='#add-ons'>Next</a></div>"
        f"<p>{TEXT}</p><p id='notes'>{TEXT}</p></div></body>"
    )
    assert [c.text for c in extract(_page_article(html)).citations] == ["the notes"]


def test_link_around_a_headline_and_its_date_is_a_teaser() -> None:
    card = (
        "<a href='/2018/07/30/other.html'><div><div>Another story the site wrote last week</div>"
        "<time datetime='2018-07-30'>July 30, 2018</time></div></a>"
    )
    html = (
        f"<body><div id='story'><p>{TEXT} Read <a href='https://gov.example/r'>the report</a>."
        f"</p><div class='rel'>{card}</div><p>{TEXT}</p></div></body>"
    )
    assert [c.text for c in extract(_page_article(html)).citations] == ["the report"]


def test_the_sites_own_legal_page_is_not_a_citation_but_anothers_policy_is() -> None:
    html = (
        f"<body><div id='story'><p>{TEXT} It changed <a href='https://social.example/privacy'>"
        f"Privacy Policy</a> again.</p><p>{TEXT}</p><p><a href='/id/23596635'>Disclaimer</a></p>"
        "</div></body>"
    )
    assert [c.text for c in extract(_page_article(html)).citations] == ["Privacy Policy"]


def test_see_also_box_in_the_middle_keeps_the_text_after_it() -> None:
    # Long enough that one paragraph is a small share of the body (a boilerplate mark on a
    # large share of it is ignored as a false alarm).
    html = (
        f"<body><div id='story'>{f'<p>{TEXT}</p>' * 6}"
        f"<p>{TEXT} See <a href='https://gov.example/1'>first report</a>."
        "</p><div class='box'><h4>See also</h4><a href='/2024/x'>Floods</a></div>"
        f"<p>{TEXT} As <a href='https://gov.example/2'>the ministry said</a>.</p>"
        "<h2>More on the vaccine trial</h2>"
        f"<p>{TEXT} And <a href='https://un.example/3'>the UN added</a>.</p></div></body>"
    )
    texts = [c.text for c in extract(_page_article(html)).citations]
    assert texts == ["first report", "Floods", "the ministry said", "the UN added"]


def test_author_named_source_and_sentence_words_like_privacy_stay_citations() -> None:
    page = (
        '<html><head><meta name="author" content="Reuters"></head><body><div id="story">'
        f"<p>{TEXT} Critics raised concerns about <a href='/tag/privacy'>privacy</a> and the"
        f" deal's <a href='/2024/deal-terms'>terms</a>.</p><p>{TEXT}</p>"
        "<ul><li><a href='https://www.reuters.com/world/x'>Reuters</a></li></ul>"
        "</div></body></html>"
    )
    article = parse_html_page(page.encode(), "a.html", base="https://news.example/2024/a")
    assert isinstance(article, Article)
    assert [c.text for c in extract(article).citations] == ["privacy", "terms", "Reuters"]


def test_link_in_a_short_sentence_stays_when_the_story_is_also_a_teaser() -> None:
    html = (
        f"<body><div id='story'><p>{TEXT}</p>"
        "<p>The <a href='/2024/council-vote'>city council voted</a> on Monday.</p>"
        f"<p>{TEXT}</p><div><h3><a href='/2024/council-vote'>Council votes to close the bridge"
        " for the winter</a></h3></div></div></body>"
    )
    assert [c.text for c in extract(_page_article(html)).citations] == ["city council voted"]
