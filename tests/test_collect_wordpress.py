"""Collecting a WordPress site: the fake site on loopback serves the corpus's real posts."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from wpserver import CORPUS, FakeWordPress, corpus_posts

from linkgraph.collect import CollectOptions, collect_sources, reextract
from linkgraph.collect.errors import SourceError
from linkgraph.collect.wordpress import WordPressCrawl
from linkgraph.store import Store
from linkgraph.web.config import WebConfig
from linkgraph.web.fetch import Fetcher, FetchError
from linkgraph.web.identity import DEFAULT_USER_AGENT
from linkgraph.web.politeness import HostLimits

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/wp is absent")

FAST = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.1",), retries=0,
                 read_timeout=5.0)


def crawl(site: FakeWordPress, db: Path, **kwargs: Any) -> WordPressCrawl:
    store = Store(db)
    on_progress = kwargs.pop("on_progress", None)
    job = WordPressCrawl(site.url, store, kwargs.pop("web", FAST), **kwargs)
    try:
        job.run(on_progress)
    finally:
        store.close()
    return job


def rows(db: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Articles (without run times) and citations, as stored."""
    with sqlite3.connect(db) as con:
        articles = con.execute(
            "SELECT id, url, title, published, modified, origin_record, html, warnings"
            " FROM articles ORDER BY id").fetchall()
        citations = con.execute("SELECT * FROM citations ORDER BY article_id, position").fetchall()
    return articles, citations


def listing_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return [r[0] for r in con.execute("SELECT id FROM articles ORDER BY id")]


def test_full_crawl_stores_every_post_with_provenance(tmp_path: Path) -> None:
    posts = corpus_posts()
    with FakeWordPress(posts) as site:
        job = crawl(site, tmp_path / "a.db")
        listings = [r for r in site.requests if r.startswith("/wp-json/wp/v2/posts")]
    assert job.stats.articles == len(posts) == 373
    assert job.stats.total == 373
    assert len(listings) == 4  # 100 a page
    assert "per_page=100" in listings[0] and "orderby=id" in listings[0]
    assert "_fields=id%2Cdate" in listings[0]
    # robots.txt, the home page, the API index and four listings
    assert job.stats.requests == 7
    with Store(tmp_path / "a.db") as store:
        extractions = list(store.extractions())
        assert {e.article.id for e in extractions} == {
            f"wp:izquierdahispanica.org:{p['id']}" for p in posts}
        origin = extractions[0].article.origin
        assert origin.path.startswith(site.url + "wp-json/wp/v2/posts?")
        assert origin.fetched_at is not None
        assert sum(len(e.citations) for e in extractions) > 500
        bodies = list(store.fetched_bodies(site.url))
        assert len(bodies) == 4 and bodies[0].body.startswith(b"[")


def test_rerun_fetches_only_what_changed(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(corpus_posts()) as site:
        crawl(site, db)
        site.requests.clear()
        edited = site.posts[10]
        edited["modified"] = "2099-01-01T00:00:00"
        edited["title"] = {"rendered": "Edited title"}
        again = crawl(site, db)
        listings = [r for r in site.requests if r.startswith("/wp-json/wp/v2/posts")]
    assert again.stats.articles == 1
    assert len(listings) == 1 and "modified_after=" in listings[0]
    with Store(db) as store:
        titles = {e.article.id: e.article.title for e in store.extractions()}
    assert titles[f"wp:izquierdahispanica.org:{edited['id']}"] == "Edited title"
    assert len(titles) == 373


class Interrupt(Exception):
    pass


def test_interrupted_crawl_resumes_to_the_same_rows(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()) as site:
        crawl(site, tmp_path / "whole.db")

        def stop_after_two(stats: Any) -> None:
            if stats.pages == 2:
                raise Interrupt

        with pytest.raises(Interrupt):
            crawl(site, tmp_path / "cut.db", on_progress=stop_after_two)
        assert len(listing_ids(tmp_path / "cut.db")) == 199  # pages overlap by one post
        site.requests.clear()
        resumed = crawl(site, tmp_path / "cut.db")
        listings = [r for r in site.requests if r.startswith("/wp-json/wp/v2/posts")]
    assert resumed.stats.resumed
    assert "offset=198" in listings[0]  # one post of overlap, not a restart
    assert rows(tmp_path / "cut.db") == rows(tmp_path / "whole.db")


def test_posts_added_and_removed_mid_crawl_give_no_duplicates_and_no_gaps(
    tmp_path: Path,
) -> None:
    posts = corpus_posts()
    ids = sorted(p["id"] for p in posts)
    removed = {ids[5], ids[6], ids[150]}  # list moves left under the cursor
    template = posts[0]

    def churn(site: FakeWordPress, listing: int) -> None:
        if listing == 3:
            site.posts = [p for p in site.posts if p["id"] not in removed]
            for n in range(1, 31):  # new posts: new, higher ids
                site.posts.append(template | {"id": ids[-1] + n,
                                              "link": f"http://izquierdahispanica.org/new-{n}/"})

    with FakeWordPress(posts, on_listing=churn) as site:
        job = crawl(site, tmp_path / "a.db")
    stored = listing_ids(tmp_path / "a.db")
    assert len(stored) == len(set(stored))
    expected = {f"wp:izquierdahispanica.org:{i}" for i in ids} | {
        f"wp:izquierdahispanica.org:{ids[-1] + n}" for n in range(1, 31)}
    # Removed posts were stored before they went; nothing that stayed is missing.
    assert set(stored) == expected
    assert job.stats.articles == len(stored)


def test_plain_permalinks_use_rest_route(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()[:30], pretty=False) as site:
        job = crawl(site, tmp_path / "a.db")
        assert any(r.startswith("/?rest_route=%2Fwp%2Fv2%2Fposts") for r in site.requests)
    assert job.stats.articles == 30


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("closed401", ["closed", "401", "rest_cannot_access", "sitemap"]),
        ("closed403", ["closed", "403", "rest_forbidden", "sitemap"]),
        ("closed404", ["closed", "404", "rest_no_route", "sitemap"]),
        ("html", ["HTML page instead of JSON", "Wordfence"]),
        ("shape", ["another shape", "posts, total"]),
        ("ignore_offset", ["same posts whatever the offset", "sitemap"]),
    ],
)
def test_a_broken_api_gets_a_clear_message(tmp_path: Path, mode: str, words: list[str]) -> None:
    with FakeWordPress(corpus_posts(), mode=mode) as site, pytest.raises(SourceError) as err:
        crawl(site, tmp_path / "a.db")
    for word in words:
        assert word in str(err.value)


def test_unknown_post_type_names_the_types(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts()[:5]) as site, pytest.raises(SourceError) as err:
        crawl(site, tmp_path / "a.db", post_type="recipes")
    assert "'recipes'" in str(err.value) and "posts" in str(err.value)


def test_robots_txt_disallow_is_obeyed_unless_ignored(tmp_path: Path) -> None:
    robots = "User-agent: linkgraph\nDisallow: /wp-json/\n"
    with FakeWordPress(corpus_posts()[:5], robots=robots) as site:
        with pytest.raises(SourceError) as err:
            crawl(site, tmp_path / "a.db")
        assert "robots" in str(err.value)
        assert not any(r.startswith("/wp-json/wp/v2") for r in site.requests)
        ignoring = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.1",), robots=False)
        job = crawl(site, tmp_path / "b.db", web=ignoring)
    assert job.stats.articles == 5


def fetch_one(url: str, config: WebConfig) -> Any:
    async def go() -> Any:
        async with Fetcher(config) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def test_a_redirect_to_a_private_address_is_refused() -> None:
    with FakeWordPress([]) as site:
        result = fetch_one(site.url + "go-private", FAST)
    assert result.error is FetchError.POLICY_PRIVATE
    assert "10.0.0.1" in result.detail and result.redirects == ("http://10.0.0.1/",)


def test_loopback_is_refused_without_allow() -> None:
    with FakeWordPress([]) as site:
        result = fetch_one(site.url, WebConfig(per_host=HostLimits(1, 0.0)))
        assert site.requests == []
    assert result.error is FetchError.POLICY_LOOPBACK and "loopback" in result.detail


def test_a_response_over_the_cap_and_a_bomb_are_refused() -> None:
    config = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.1",),
                       max_body_bytes=1_000_000)
    with FakeWordPress([]) as site:
        huge = fetch_one(site.url + "huge", config)
        bomb = fetch_one(site.url + "bomb", config)
    assert huge.error is FetchError.TOO_LARGE and huge.body == b""
    assert bomb.error is FetchError.BOMB and bomb.body == b""


def test_a_site_that_caps_per_page_is_still_read_to_the_end(tmp_path: Path) -> None:
    with FakeWordPress(corpus_posts(), max_per_page=25) as site:
        job = crawl(site, tmp_path / "a.db")
    assert job.stats.articles == 373
    assert len(set(listing_ids(tmp_path / "a.db"))) == 373


def test_since_asks_for_posts_modified_since(tmp_path: Path) -> None:
    posts = corpus_posts()
    with FakeWordPress(posts) as site:
        job = crawl(site, tmp_path / "a.db", since=datetime(2015, 6, 1, tzinfo=UTC))
        listings = [r for r in site.requests if r.startswith("/wp-json/wp/v2/posts")]
    assert "modified_after=2015-06-01T00%3A00%3A00" in listings[0]
    expected = sum(1 for p in posts if p["modified"] > "2015-06-01T00:00:00")
    assert 0 < job.stats.articles == expected < 373


def test_throttled_requests_are_retried_after_retry_after(tmp_path: Path) -> None:
    config = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.1",), retries=3)
    with FakeWordPress(corpus_posts()[:20]) as site:
        site.throttle = 2  # the index answers 429 twice
        job = crawl(site, tmp_path / "a.db", web=config)
        index_requests = site.requests.count("/wp-json/")
    assert job.stats.articles == 20
    assert index_requests == 3


def test_user_agent_and_extra_headers_are_sent(tmp_path: Path) -> None:
    config = WebConfig(per_host=HostLimits(1, 0.0), allow=("127.0.0.1",),
                       headers=(("X-Project", "newsroom-audit"),))
    with FakeWordPress(corpus_posts()[:3]) as site:
        crawl(site, tmp_path / "a.db", web=config)
        seen = site.headers_seen
    assert {h["user-agent"] for h in seen} == {DEFAULT_USER_AGENT}
    assert DEFAULT_USER_AGENT.startswith("Mozilla/5.0 (compatible; linkgraph/")
    assert all(h["x-project"] == "newsroom-audit" for h in seen)


def test_crawl_delay_slows_the_host_gate(tmp_path: Path) -> None:
    async def go(site: FakeWordPress) -> float:
        async with Fetcher(FAST) as fetcher:
            result = await fetcher.fetch(site.url)
            assert result.ok
            return float(fetcher.gates["127.0.0.1"].limits.interval)

    with FakeWordPress([], robots="User-agent: *\nCrawl-delay: 7\n") as site:
        assert asyncio.run(go(site)) == 7.0


def test_robots_txt_server_error_disallows_everything() -> None:
    with FakeWordPress([], robots="") as site:
        site.app.router.routes.insert(0, Route(
            "/robots.txt", lambda r: PlainTextResponse("down", 503)))
        result = fetch_one(site.url, FAST)
    assert result.error is FetchError.ROBOTS and "503" in result.detail


def test_reextract_reads_the_kept_bodies_without_the_network(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(corpus_posts()) as site:
        crawl(site, db)
    before = rows(db)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM citations")
        con.execute("DELETE FROM articles")
    with Store(db) as store:
        assert reextract(store) == 373 + 3  # three posts sit in two overlapping answers
    after = rows(db)
    assert [a[:3] + a[4:5] + a[6:] for a in after[0]] == [
        a[:3] + a[4:5] + a[6:] for a in before[0]]  # same articles, origin index aside
    assert after[1] == before[1]


def test_article_urls_are_fetched_read_and_stored(tmp_path: Path) -> None:
    options = CollectOptions(web=FAST)
    with FakeWordPress([]) as site, Store(tmp_path / "a.db") as store:
        done = collect_sources([site.url + "article/exports", site.url + "missing-page"],
                               store, options)
        stored = list(store.extractions())
    # article URLs given together are collected together (one fetcher, one robots.txt)
    assert [(s.source, s.articles, s.failures) for s in done] == [("2 URLs", 1, 1)]
    assert stored[0].article.origin.fetched_at is not None
    assert [c.url for c in stored[0].citations] == ["https://agency.example/report"]
