"""Recovery from the original: damaged copies of every linked WordPress post of the corpus
against their originals served on loopback (REST, page and archive shapes, some edited since).

``python -m pytest tests/test_repair_recover.py -s`` prints precision and recall of the
restored hrefs against the originals.
"""

from __future__ import annotations

import html
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from originserver import (
    CORPUS,
    OriginServer,
    corpus_posts,
    damage,
    edit,
    iter_linked,
    on_loopback,
    page_of,
)

from linkgraph.extract.extractor import extract
from linkgraph.extract.lost import orphan_ends
from linkgraph.readers import read_pages
from linkgraph.readers.wordpress import post_to_article
from linkgraph.records import Article, Origin, ProvenanceKind, ReadFailure
from linkgraph.repair.recover import RecoverOptions, recover_articles, repair_markup
from linkgraph.web import HostLimits, WebConfig

pytestmark = pytest.mark.skipif(not (CORPUS / "wp").is_dir(), reason="corpus absent")

# WordPress's own key order (the seed's): a file cut inside content.rendered keeps what comes
# before it (the id, dates, guid, link) and loses what follows (_links).
WP_ORDER = ("id", "date", "date_gmt", "guid", "modified", "modified_gmt", "slug", "status",
            "type", "link", "title", "content")


def loopback_web() -> WebConfig:
    return WebConfig(allow=("127.0.0.1",), per_host=HostLimits(concurrency=1, interval=0.0),
                     retries=0, deadline=20.0)


_A_TAGS = re.compile(r"<!--.*?(?:-->|\Z)|<(script|style)\b.*?(?:</\1\s*>|\Z)|<(/?)a\b([^>]*)>",
                     re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def true_hrefs(content: str) -> list[str | None]:
    """The href each ``</a>`` of *content* closes, in order (``None``: an anchor without one),
    read from the original before any damage: what the k-th lost anchor of a copy had."""
    out: list[str | None] = []
    open_href: str | None = None
    is_open = False
    for m in _A_TAGS.finditer(content):
        if m.group(2) is None:
            continue
        if m.group(2) == "":
            found = _HREF.search(m.group(3))
            open_href = html.unescape(next(g for g in found.groups() if g is not None)) \
                if found else None
            is_open = True
        else:
            out.append(open_href if is_open else None)
            is_open, open_href = False, None
    return out


def _bump(post: dict[str, Any], days: int) -> None:
    when = datetime.fromisoformat(post["modified_gmt"]).replace(tzinfo=UTC)
    post["modified_gmt"] = post["modified"] = (when + timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M:%S")


@dataclass
class Case:
    group: str
    original: Article  # as the damaged copy's version was (the truth)
    path: Path


def build(tmp: Path, server: OriginServer, posts: list[dict[str, Any]]) -> list[Case]:
    """Damaged files in *tmp* and their originals on *server*.  Groups by post: ``rest``
    (the REST post as it was), ``edited`` (the live post edited since: a sentence added and a
    link changed; the archive holds the version the copy had), ``archive`` (REST and page
    gone, only the archive), ``sentence`` (the live post has a sentence more; no capture)."""
    rng = random.Random(12)
    cases: list[Case] = []
    for index, raw in enumerate(posts):
        post = on_loopback(raw, server.base)
        group = ("rest", "rest", "rest", "rest", "rest", "edited", "edited", "archive",
                 "sentence", "sentence")[index % 10]
        page_path = "/" + post["link"].split("/", 3)[3]
        capture_page = page_of(post)
        # Archived after publication (some posts were last modified before it: scheduled).
        stamp = max(post["modified_gmt"], post["date_gmt"]).replace("-", "").replace(
            ":", "").replace("T", "")
        if group == "rest":
            server.rest[post["id"]] = post
        elif group in ("edited", "sentence"):
            live = json.loads(json.dumps(post))
            live["content"]["rendered"] = edit(post["content"]["rendered"], rng,
                                               change_link=group == "edited")
            _bump(live, 30)
            server.rest[post["id"]] = live
            server.pages[page_path] = page_of(live)
            if group == "edited":
                server.captures[post["link"]] = (stamp, capture_page)
        else:
            server.captures[post["link"]] = (stamp, capture_page)
        damaged = dict(post)
        damaged["content"] = {"rendered": damage(post["content"]["rendered"], rng)}
        path = tmp / f"post-{post['id']}.json"
        if index % 3 == 0:  # cut off inside content.rendered, like the seed
            ordered = {k: damaged[k] for k in WP_ORDER if k in damaged}
            text = json.dumps(ordered, ensure_ascii=False)
            path.write_text(text[: text.rfind('"')], encoding="utf-8")
        else:
            path.write_text(json.dumps(damaged, ensure_ascii=False), encoding="utf-8")
        original = post_to_article(post, Origin("original"), [])
        assert not isinstance(original, ReadFailure)
        cases.append(Case(group, original, path))
    return cases


def read_one(path: Path) -> Article:
    (page,) = list(read_pages(str(path)))
    assert not isinstance(page, ReadFailure), page
    return page.article


def test_restored_hrefs_precision_and_recall(tmp_path: Path) -> None:
    posts = list(iter_linked(corpus_posts()))
    assert len(posts) > 100
    with OriginServer() as server:
        cases = build(tmp_path, server, posts)
        damaged = [read_one(c.path) for c in cases]
        options = RecoverOptions(web=loopback_web(),
                                 archive_base=f"{server.base}/wayback/available")
        recoveries = recover_articles(damaged, options)
    by_group: dict[str, Counter[str]] = {}
    for case, article, recovery in zip(cases, damaged, recoveries, strict=True):
        truth = true_hrefs(case.original.html)
        lost = len(orphan_ends(article.html))
        assert len(recovery.hrefs) in (0, lost)
        tally = by_group.setdefault(case.group, Counter())
        for k, got in enumerate(recovery.hrefs):
            tally["restored"] += got is not None
            tally["right"] += got is not None and got == truth[k]
        tally["truth"] += sum(h is not None for h in truth)  # before and after the cut
        tail_truth = Counter(h for h in truth[lost:] if h is not None)
        tally["restored"] += len(recovery.tail_hrefs)
        tally["right"] += sum((Counter(recovery.tail_hrefs) & tail_truth).values())
        # The repaired copy reads back with each restored link marked as recovered.
        marked = [c for c in extract(recovery.article, sentences=False).citations
                  if c.provenance.kind is ProvenanceKind.RECOVERED]
        assert all(c.provenance.recovered_from == recovery.source for c in marked)
    total: Counter[str] = Counter()
    for group, tally in sorted(by_group.items()):
        total.update(tally)
        print(f"\n{group:9} {tally['restored']:5} restored, {tally['right']:5} right,"
              f" {tally['truth']:5} in the originals")
    precision = total["right"] / total["restored"]
    recall = total["right"] / total["truth"]
    print(f"\nrecovery over {len(cases)} damaged posts: precision {precision:.4f},"
          f" recall {recall:.4f} ({total['right']} of {total['truth']} hrefs;"
          f" {total['restored']} restored)")
    assert precision >= 0.99
    assert recall >= 0.95


def test_offline_nothing_is_invented(tmp_path: Path) -> None:
    """No server answers (a closed port): every lost link stays lost, with the reason."""
    posts = list(iter_linked(corpus_posts()))[:5]
    with OriginServer() as server:
        cases = build(tmp_path, server, posts)
        base = server.base
    damaged = [read_one(c.path) for c in cases]  # the server is gone now
    recoveries = recover_articles(damaged, RecoverOptions(
        web=loopback_web(), archive_base=f"{base}/wayback/available"))
    for article, recovery in zip(damaged, recoveries, strict=True):
        assert recovery.article == article
        assert recovery.restored == 0
        assert recovery.note.startswith("no original could be had:")
        assert "127.0.0.1" in recovery.note


def test_loopback_refused_without_allow(tmp_path: Path) -> None:
    posts = list(iter_linked(corpus_posts()))[:2]
    with OriginServer() as server:
        cases = build(tmp_path, server, posts)
        recoveries = recover_articles([read_one(c.path) for c in cases], RecoverOptions(
            web=WebConfig(retries=0), archive_base=f"{server.base}/wayback/available"))
        assert server.requests == []
    assert all(r.restored == 0 and "loopback" in r.note for r in recoveries)


def test_two_lost_anchors_never_take_one_link() -> None:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    # The original links "report" once; the copy has two lost anchors reading "report".
    fixed = repair_markup(
        "A </a>report said so. Another report</a> said so too.",
        '<p>A <a href="https://a.test/1">report</a> said so. Another report said so too.</p>',
        "https://site.test/x", at, truncated=False)
    assert fixed.restored == 1
    assert fixed.markup.count("https://a.test/1") == 1
    # Repeated in the original: each lost anchor gets its own.
    fixed = repair_markup(
        "A report</a> said so. Another report</a> said so too.",
        '<p>A <a href="https://a.test/1">report</a> said so. Another'
        ' <a href="https://a.test/1">report</a> said so too.</p>',
        "https://site.test/x", at, truncated=False)
    assert fixed.restored == 2


def test_unmatched_anchor_stays_lost() -> None:
    fixed = repair_markup(
        "The ministry </a>announced it on Monday.",
        '<p>Something else entirely <a href="https://a.test/">here</a>.</p>',
        "https://site.test/x", datetime(2024, 1, 1, tzinfo=UTC), truncated=False)
    assert fixed.restored == 0 and "href" not in fixed.markup


def test_many_anchors_align_in_order() -> None:
    """3,000 lost anchors against 3,000 links (the candidate pairs are few: each anchor's
    text ends differently), every one back in place."""
    words = [f"w{k}" for k in range(3000)]
    original = "".join(f'<p>Paragraph {k} cites <a href="https://s.test/{k}">{w}</a> here.</p>'
                       for k, w in enumerate(words))
    damaged = "".join(f"Paragraph {k} cites {w}</a> here.</p>" for k, w in enumerate(words))
    fixed = repair_markup(damaged, original, "https://site.test/x",
                          datetime(2024, 1, 1, tzinfo=UTC), truncated=False)
    assert fixed.restored == 3000
    assert list(fixed.hrefs) == [f"https://s.test/{k}" for k in range(3000)]
