"""Body versus boilerplate: precision and recall of body links on hand-labelled corpus pages.

``tests/fixtures/extract/body_labels.json`` lists, for real pages of the shared corpus, the
links a reader sees in the article body (raw href and anchor text), labelled by reading each
page; doubtful choices are written in each entry's ``notes``.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from linkgraph.extract.extractor import extract
from linkgraph.readers.html import parse_html_page
from linkgraph.records import Article

READABILITY_BASE = "http://fakehost/test/page.html"
# The floor this suite must stay above, measured on the current labels: raise it with each fix;
# when pages are added (labelled before tuning, so harder), re-measure it on the larger set.
# On the 34 pages labelled first: precision 0.968, recall 1.000.  With the 16 pages added after
# them (50 pages, 614 links): precision 0.926, recall 0.984; after the rules those pages taught
# (and in-page links, share buttons, own front page and script hooks dropped on full pages):
# precision 0.933, recall 1.000; with follow buttons, other stories' headlines and hidden
# elements (no weight, no links) out: precision 0.961, recall 0.997.  With 20 more pages labelled
# before running linkgraph on them (70 pages, 680 links): 0.940 / 0.993 (the new pages alone
# 0.778 / 0.955); after the rules they taught (a body marker inside a "sidebar" wrapper, rows of
# tag links, kicker + headline, two calls to action): 0.960 / 0.994.  With 20 more (90 pages,
# 886 links): 0.948 / 0.958 (the new pages alone 0.901 / 0.840); after the rules they taught
# (consent banners and most-popular boxes are page furniture, call-to-action boxes, read-more
# cards, hover cards): 0.966 / 0.994.  With 20 more (110 pages, 1021 links): 0.951 / 0.969 (the
# new pages alone 0.844 / 0.800); after the rules they taught (off-screen elements are hidden, a
# column-layout class is not a sidebar, empty links, promo figures, contact and self-credit
# lines, teaser cards): 0.976 / 0.990.  With 20 more (130 pages): 0.923 / 0.944 (the new pages
# alone 0.571 / 0.618); after the rules they taught (a box named after the sidebar it sits
# beside is not one, product call-out boxes, "Get access to ..."), and with dropbox-blog's
# side-nav contents list judged outside the content (policy v2): 0.972 / 0.990.  With 20 more
# (150 pages, 1536 links): 0.949 / 0.990 (the new pages alone 0.886 / 0.990); after the rules
# they taught ("shared" is not "share", class "invisible", share-widget endpoints, carousel
# controls, "reviewed by" bylines, closed modal dialogs, log-in-and-return links): 0.965 / 0.992.
# Session 3: 20 more (batch 7, picked at random from the unlabelled pages, see held-out 3;
# 170 pages, 4441 links): 0.954 / 0.993 (the new pages alone 0.947 / 0.990, or 0.780 / 0.916
# without their two Wikipedia pages); after the rules they taught (MediaWiki edit links and
# navboxes are furniture, its galleries are text, footnote ids are not class words; what follows
# a "See also" / "External links" / "You may also like" heading is a link list; the picture and
# summary of a dropped teaser go with its headline; ad-network and skip links): 0.984 / 0.996.
# With 20 more (batch 8, random as well; 190 pages, 4583 links): 0.983 / 0.995 (the new pages
# alone 0.912 / 0.944); after the rules they taught (body chunks whose classes differ by a
# number, a title block that is one link to the site is another story's headline, a bare
# "Subscribe", a feedback prompt, old Facebook page URLs are accounts): 0.984 / 0.995.
# With 22 more (batch 9, the last unlabelled real pages; 212 pages, 4655 links): 0.980 / 0.995
# (the new pages alone 0.784 / 0.958).  Policy settled then: a closing list of the site's own
# headlines at the end of the body is a related list (Live Science twice, Space.com: 9 links
# out of the labels): 0.980 / 0.997; after the rules batch 9 taught (tab and button controls,
# tab lists and tool bars, a link around a headline and a date, module=RelatedLinks, more calls
# to action, the site's own legal pages, licensing boxes): 0.983 / 0.997.
MIN_PRECISION = 0.98
MIN_RECALL = 0.99


def _page(corpus: Path, rel: str) -> Article:
    path = corpus / rel
    if rel.startswith("scrapinghub-aeb/"):
        urls = json.loads((corpus / "scrapinghub-aeb" / "urls.json").read_text("utf-8"))
        data = gzip.decompress(path.read_bytes())
        base = urls[path.name]
    else:
        data = path.read_bytes()
        base = READABILITY_BASE
    article = parse_html_page(data, rel, base=base)
    assert isinstance(article, Article)
    return article


def _score(corpus: Path, labels: list[dict[str, Any]]) -> tuple[float, float, str, list[str]]:
    """Precision, recall, a one-line summary and a line per page for *labels*."""
    true_pos = found = expected = 0
    report: list[str] = []
    for entry in labels:
        got = Counter(
            (c.href, c.text) for c in extract(_page(corpus, entry["page"])).citations
        )
        want = Counter((link["href"], link["text"]) for link in entry["body"])
        hits = sum((got & want).values())
        true_pos += hits
        found += sum(got.values())
        expected += sum(want.values())
        report.append(
            f"{entry['page']}: {hits}/{sum(want.values())} found, {sum(got.values())} given"
        )
    precision = true_pos / found if found else 0.0
    recall = true_pos / expected if expected else 0.0
    summary = (
        f"precision {precision:.3f} recall {recall:.3f} "
        f"({len(labels)} pages, {expected} labelled links, {found} given)"
    )
    return precision, recall, summary, report


def _check_labels(
    corpus: Path, fixtures: Path, name: str, title: str, floors: tuple[float, float]
) -> None:
    """Score the label file *name*, print the figures, and hold them above *floors*
    (precision, recall)."""
    labels = json.loads((fixtures / "extract" / name).read_text("utf-8"))
    precision, recall, summary, report = _score(corpus, labels)
    print(f"\n{title}: {summary}")
    print("\n".join(report))
    assert precision >= floors[0], [summary, *report]
    assert recall >= floors[1], [summary, *report]


def test_body_links_precision_and_recall(corpus: Path, fixtures: Path) -> None:
    _check_labels(corpus, fixtures, "body_labels.json", "body links",
                  (MIN_PRECISION, MIN_RECALL))


@pytest.mark.parametrize("name", ["all_links"])
def test_all_links_gives_every_link(corpus: Path, name: str) -> None:
    article = _page(corpus, "readability/bbc-1.html")
    every = extract(article, all_links=True).citations
    body = extract(article).citations
    assert len(every) == 268
    assert {c.href for c in body} < {c.href for c in every}, name


# Held-out set: pages picked by a fixed rule (not by how linkgraph does on them) and labelled
# before linkgraph was run on them; see each entry's ``notes``.  The rule: readability pages with
# at least 5 '<a href' plus all scrapinghub-aeb pages, minus pages of body_labels.json and of its
# sites; split by <html lang> into 'en', undeclared and other; in sorted path order every k-th
# page (k = group size // n) for n = 7, 6, 7, skipping to the next page when its site is already
# picked or is a labelled site under another name.  It measures out of sample:
# DO NOT use tests/fixtures/extract/body_labels_heldout.json for tuning rules (do not look at its
# errors to write rules, do not add its pages to body_labels.json).  Only re-measure the floor
# after a change made for other reasons.  Measured when the set was made: precision 0.593,
# recall 0.993 (20 pages, 448 labelled links, 751 given; Wikipedia alone holds 274 of the links).
# Spent once, knowingly: the error causes of that first measurement that are general (in-page
# "#" links, share endpoints, <noscript> ads, MediaWiki edit/hatnote/magnify furniture, a tweet
# wrapper named "widget") were fixed in one pass, giving precision 0.918, recall 1.000.  The set
# is now partly in-sample: the next honest out-of-sample figure needs fresh pages.  Then the
# labelling policy changed (v2, see README "What counts as a citation"): in-page links inside
# the content are body links (Readability keeps them, and a reader sees them in the text), so
# the in-page and MediaWiki edit/hatnote rules were undone and 238 links added to Wikipedia's
# entry from its HTML: precision 0.931, recall 1.000 (686 labelled links, 737 given).  Session 3:
# Wikipedia's 36 "[edit]" links left its data, as its notes always said (two later labellers
# agree): 0.890 / 0.998; after the batch 7 rules (written from tuning pages only): 0.952 / 0.998.
HELDOUT_MIN_PRECISION = 0.94
HELDOUT_MIN_RECALL = 0.99


def test_heldout_precision_recall(corpus: Path, fixtures: Path) -> None:
    _check_labels(corpus, fixtures, "body_labels_heldout.json", "held-out body links",
                  (HELDOUT_MIN_PRECISION, HELDOUT_MIN_RECALL))


# Second held-out set, made 2026-11-28 after the first one was partly spent: NOT FOR TUNING (do
# not look at its errors to write rules, do not move its pages into body_labels.json; only
# re-measure the floor after a change made for other reasons).  Every page was labelled by hand
# from its HTML before linkgraph was run on it; doubtful choices are in each entry's ``notes``.
# The picking rule: readability and scrapinghub-aeb pages with at least 20 '<a href', minus the
# pages of body_labels.json and body_labels_heldout.json and every page of their sites; split by
# the primary subtag of <html lang> into 'en', undeclared and other; in sorted path order, with
# k = group size // n for n = 12, 6, 3, the pages at positions k//2 + i*k (half a step after the
# first set's positions), skipping to the next page when its site is already picked ('other'
# holds three pages of two sites, so it gives two).  A page's site: the registered domain of its
# URL (urls.json; for readability pages their canonical or og:url) and its readability file
# name without the '-N' suffix.  Measured when the set was made: precision
# 0.592, recall 1.000 (20 pages, 100 labelled links, 169 given); the floors sit a little under.
# Under labelling policy v2 (in-page links in the content count; 10 links added to
# google-sre-book-1 from its HTML): precision 0.615, recall 1.000 (110 labelled, 179 given).
# Session 3, after rules written from tuning pages only: 0.738 / 1.000 (149 given).
HELDOUT2_MIN_PRECISION = 0.70
HELDOUT2_MIN_RECALL = 0.98


def test_heldout2_precision_recall(corpus: Path, fixtures: Path) -> None:
    _check_labels(corpus, fixtures, "body_labels_heldout2.json", "held-out 2 body links",
                  (HELDOUT2_MIN_PRECISION, HELDOUT2_MIN_RECALL))


# Third held-out set, made 2026-11-28 (session 3) from the last unlabelled real pages: NOT FOR
# TUNING (same rules as above).  Picking rule: the real pages not in any earlier label file
# (readability feature tests left out: 23 readability and 59 scrapinghub-aeb pages), shuffled
# with random.Random(20261128); the first 20 are this set, the next 20 became tuning batch 7.
# Every page was labelled by hand from its HTML by someone who never ran linkgraph on it.
# Measured when the set was made, before this session's rules, as an aggregate only (its
# per-page errors were not read): precision 0.798, recall 0.934 (20 pages, 182 labelled links,
# 213 given).  With its Wikipedia page's 3 hatnote links added (one policy across the Wikipedia
# labels): 0.812 / 0.935.  At the end of session 3, after the rules of tuning batches 7, 8 and 9
# and a review (aggregate only, as before): 0.920 / 0.935 (185 labelled, 188 given).
HELDOUT3_MIN_PRECISION = 0.89
HELDOUT3_MIN_RECALL = 0.91


def test_heldout3_precision_recall(corpus: Path, fixtures: Path) -> None:
    _check_labels(corpus, fixtures, "body_labels_heldout3.json", "held-out 3 body links",
                  (HELDOUT3_MIN_PRECISION, HELDOUT3_MIN_RECALL))
