"""The numbers that tune extraction, named, in one place (like trafilatura's ``settings``).

Word tables (what a class name or a link text means) live beside their rules in
:mod:`linkgraph.extract.boilerplate` and :mod:`linkgraph.extract.link_rules`; the order in
which the link rules apply is :data:`linkgraph.extract.rules.RULES`.  Lengths are in
characters of text, weights in characters of paragraph text, depths in elements.
"""

from __future__ import annotations

from typing import Final

# --- Walks up and down the tree --------------------------------------------------------------

MAX_DEPTH: Final = 400  # ancestor walks and the descent stop here (pathologically nested pages)

# --- Body detection: paragraph weight (linkgraph.extract.body) ------------------------------

MIN_PARAGRAPH: Final = 30  # characters of text for a <p> to count as body text
MIN_JSONLD: Final = 200  # characters of JSON-LD articleBody for it to count as a body signal
JSONLD_PREFIX: Final = 80  # characters of a paragraph looked up in the JSON-LD articleBody
# Below this weight in <body>, text directly inside <div>s and <td>s counts too (pages
# without <p>).
MIN_BODY_WEIGHT: Final = 200

# --- Body detection: the descent (linkgraph.extract.body) -----------------------------------

DOMINANT: Final = 0.7  # share of the weight a child needs for the descent to step into it
MAX_LEFT_BEHIND: Final = 400  # characters of paragraph text the descent may leave outside
# When no child holds the text outright, one child still wins when at least MIN_DIRECTNESS
# of its text sits directly in paragraphs and it holds MIN_DIRECT_SHARE of the weight ...
MIN_DIRECTNESS: Final = 0.5
MIN_DIRECT_SHARE: Final = 0.3
# ... and its rivals with text at least LEFT_BEHIND_DIRECTNESS direct weigh at most
# LEFT_BEHIND_SHARE of it (and MAX_LEFT_BEHIND).
LEFT_BEHIND_DIRECTNESS: Final = 0.25
LEFT_BEHIND_SHARE: Final = 0.25
# An explicit body marker below where the descent stopped wins when it holds this share of
# that element's weight.
EXPLICIT_MIN_SHARE: Final = 0.6

# --- Boilerplate inside the body (linkgraph.extract.body_weights, body_selection) -----------

# A boilerplate match that holds this share of the body's paragraph weight is a false alarm.
BOILERPLATE_MAX_SHARE: Final = 0.25
# A list of at least HEADLINE_LIST_MIN items, each one link of at least HEADLINE_MIN
# characters and nothing else, is a list of related headlines, not citations.
HEADLINE_LIST_MIN: Final = 3
HEADLINE_MIN: Final = 25
TAG_LABEL_MAX: Final = 30  # characters of a link-less label item ("More about:") in a tag list
# A row of links is a tag run when at least TAG_RUN_MIN_LINKS of its links, and
# TAG_RUN_SHARE (numerator, denominator) of them, go to tag, topic or category pages.
TAG_RUN_MIN_LINKS: Final = 2
TAG_RUN_SHARE: Final = (2, 3)
# Text is "mostly link text" when it is under LINK_TEXT_RATIO times its link text plus
# LINK_TEXT_SLACK characters (room for a short label): a row of links, a line that is one link.
LINK_TEXT_RATIO: Final = 3
LINK_TEXT_SLACK: Final = 40
# Link sections ("See also", "External links").
SECTION_HEADING_MAX: Final = 60  # a longer heading is a headline, not a section title
PROSE_MIN: Final = 200  # characters of a paragraph that ends a link section ...
PROSE_MAX_LINK_SHARE: Final = 0.5  # ... when under this share of its text is link text
HEADING_WRAPPER_SLACK: Final = 20  # characters besides its heading in a heading's own wrapper
KICKER_MAX: Final = 20  # characters of a kicker beside a headline link ("Updated", "Watch")
# How many elements up from a link each look goes.
INLINE_DEPTH: Final = 8  # inline elements around a link inside a sentence (<b><i><a>)
HEADING_DEPTH: Final = 3  # inline elements between a headline link and its heading
HEADLINE_LIST_DEPTH: Final = 4  # elements between a link and its list (li > h3 > a)
TAG_RUN_DEPTH: Final = 3  # inline elements between a link and the row holding the others

# --- One link (linkgraph.extract.rules) ------------------------------------------------------

FIGURE_DEPTH: Final = 4  # how far up from a link to look for its <figure>
# A teaser's summary line: the link text is all of its block's text, which is under
# WHOLE_BLOCK_RATIO times the link text plus WHOLE_BLOCK_SLACK characters.
WHOLE_BLOCK_RATIO: Final = 4
WHOLE_BLOCK_SLACK: Final = 40
# A block over this many times too long for "mostly this link" is not worth joining its
# white space to look again (indented markup).
OUTSIDE_TEXT_JOIN_MAX: Final = 8
