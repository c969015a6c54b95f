"""``linkgraph collect`` from sitemaps, feeds, URL lists and web archives, on a loopback site."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from wpserver import CORPUS, FakeWordPress, corpus_posts

from linkgraph.cli import main
from linkgraph.collect import CollectOptions, collect_sources
from linkgraph.store import Store
from linkgraph.web.config import WebConfig
from linkgraph.web.politeness import HostLimits

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/wp is absent")

LOOPBACK = ["--allow", "127.0.0.1", "--interval", "0"]
POSTS = 8


def posts() -> list[dict[str, Any]]:
    return corpus_posts()[:POSTS]


def collect(db: Path, *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, ["collect", *args, "--db", str(db), *LOOPBACK], input=stdin)


def stored_urls(db: Path) -> list[str]:
    with sqlite3.connect(db) as con:
        return sorted(r[0] for r in con.execute("SELECT url FROM articles"))


def citations(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as con:
        return sorted(con.execute(
            "SELECT a.url, c.url FROM citations c JOIN articles a ON a.id = c.article_id"
            " WHERE c.url IS NOT NULL").fetchall())


def page_requests(site: FakeWordPress) -> list[str]:
    return [r for r in site.requests if r.startswith("/p/")]


def test_sitemap_index_with_nested_and_gzipped_sitemaps(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        first = collect(db, site.url + "sitemap_index.xml")
        fetched = len(page_requests(site))
        again = collect(db, site.url + "sitemap_index.xml")
        refetched = len(page_requests(site)) - fetched
    assert first.exit_code == 0, first.output
    assert "/sitemap-1.xml" in site.requests and "/sitemap-2.xml.gz" in site.requests
    assert stored_urls(db) == sorted(site.page_url(p) for p in site.posts)
    assert fetched == POSTS
    assert citations(db)  # the real posts cite their sources
    assert again.exit_code == 0, again.output
    assert refetched == 0  # nothing changed since: every page is skipped
    assert f"{POSTS} listed URL(s) skipped" in again.output


def test_since_filters_sitemap_lastmod(tmp_path: Path) -> None:
    chosen = posts()
    dates = sorted(p["modified_gmt"] for p in chosen)
    since = dates[len(dates) // 2]
    wanted = [p for p in chosen if p["modified_gmt"] >= since]
    with FakeWordPress(chosen) as site:
        result = collect(tmp_path / "a.db", site.url + "sitemap_index.xml", "--since", since)
    assert result.exit_code == 0, result.output
    assert len(page_requests(site)) == len(wanted) < POSTS


def test_endless_sitemap_index_stops_at_the_depth_cap(tmp_path: Path) -> None:
    with FakeWordPress(posts()) as site:
        result = collect(tmp_path / "a.db", site.url + "loop/0.xml")
    assert result.exit_code == 4
    assert "nested deeper than 4 levels" in result.output
    assert len([r for r in site.requests if r.startswith("/loop/")]) == 5  # 0..4, once each


def test_wide_sitemap_walk_stops_at_the_document_cap(tmp_path: Path) -> None:
    with FakeWordPress(posts()) as site, Store(tmp_path / "a.db") as store:
        options = CollectOptions(web=_web(), max_sitemaps=3, max_sitemap_depth=100)
        [stats] = collect_sources([site.url + "loop/0.xml"], store, options)
    with sqlite3.connect(tmp_path / "a.db") as con:
        failures = [r[0] for r in con.execute("SELECT message FROM read_failures")]
    assert stats.failures == 1
    assert any("sitemap cap of 3 documents reached" in m for m in failures), failures
    assert len([r for r in site.requests if r.startswith("/loop/")]) == 3


def test_feed_entries_with_content_are_stored_without_fetching(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        result = collect(db, site.url + "feed/")
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == sorted(site.page_url(p) for p in site.posts)
    # every other entry carries content:encoded; only the others are fetched
    assert sorted(page_requests(site)) == sorted(
        f"/p/{p['id']}/" for p in site.posts[1::2])


def test_url_list_file_with_bad_lines_and_stdin(tmp_path: Path) -> None:
    listing, db, piped = tmp_path / "urls.txt", tmp_path / "a.db", tmp_path / "b.db"
    with FakeWordPress(posts()) as site:
        good = [site.page_url(p) for p in site.posts[:2]]
        listing.write_text(f"# two articles\n{good[0]}\nnot a url\n{good[1]}\nftp://x/\n",
                           encoding="utf-8")
        result = collect(db, "-i", str(listing))
        from_stdin = collect(piped, "-", stdin="\n".join(good) + "\n")
    assert result.exit_code == 4
    assert f"{listing}:3: 'not a url' is not an absolute http(s) URL" in result.output
    assert f"{listing}:5:" in result.output
    assert stored_urls(db) == sorted(good)
    assert from_stdin.exit_code == 0, from_stdin.output
    assert stored_urls(piped) == sorted(good)


def test_csv_url_list_as_source(tmp_path: Path) -> None:
    listing, db = tmp_path / "urls.csv", tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        good = [site.page_url(p) for p in site.posts[:3]]
        listing.write_text("title,url\n" + "".join(f"t{i},{u}\n" for i, u in enumerate(good)),
                           encoding="utf-8")
        result = collect(db, str(listing))
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == sorted(good)


def test_robots_disallow_is_obeyed_per_article(tmp_path: Path) -> None:
    chosen = posts()
    barred = {str(p["id"]) for p in chosen[:3]}
    robots = "User-agent: *\n" + "".join(f"Disallow: /p/{i}/\n" for i in sorted(barred))
    db = tmp_path / "a.db"
    with FakeWordPress(chosen, robots=robots) as site:
        result = collect(db, site.url + "sitemap_index.xml")
        asked = page_requests(site)
    assert result.exit_code == 4
    assert "disallowed by" in result.output
    assert not any(r.split("/")[2] in barred for r in asked)
    assert len(asked) == POSTS - len(barred)
    assert len(stored_urls(db)) == POSTS - len(barred)


def test_site_through_its_sitemaps_when_the_api_is_closed(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts(), mode="closed401",
                       robots="User-agent: *\nAllow: /\nSitemap: /sitemap_index.xml\n") as site:
        closed = collect(tmp_path / "closed.db", site.url)
        result = collect(db, site.url, "--sitemap")
    assert closed.exit_code == 4
    assert "--sitemap" in closed.output
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == sorted(site.page_url(p) for p in site.posts)


def test_site_sitemap_guessed_without_robots_lines(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        result = collect(db, site.url, "--sitemap")
    assert result.exit_code == 0, result.output
    assert "/sitemap_index.xml" in site.requests
    assert len(stored_urls(db)) == POSTS


def test_warc_out_then_extract_and_collect_give_the_stores_citations(tmp_path: Path) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "out.warc.gz"
    with FakeWordPress(posts()) as site:
        result = collect(db, site.url + "sitemap_index.xml", "--warc", str(warc))
    assert result.exit_code == 0, result.output
    extracted = CliRunner().invoke(main, ["extract", str(warc)])
    assert extracted.exit_code == 0, extracted.output
    rows = [json.loads(line) for line in extracted.output.splitlines()]
    # linkgraph extract OUT.warc.gz gives the citations the store holds
    assert sorted(row["url"] for row in rows if row["url"]) == sorted(u for _, u in citations(db))
    assert citations(db)
    # and a WARC SOURCE is read, not fetched: the same articles and citations
    again = tmp_path / "b.db"
    result = collect(again, str(warc))
    assert result.exit_code == 0, result.output
    assert citations(again) == citations(db)
    assert stored_urls(again) == stored_urls(db)


def test_warc_records_never_hold_the_users_credentials(tmp_path: Path) -> None:
    db, warc = tmp_path / "a.db", tmp_path / "out.warc"
    with FakeWordPress(posts()) as site:
        result = collect(db, site.url + "sitemap_index.xml", "--warc", str(warc),
                         "-H", "Authorization: Bearer s3cr3t-token",
                         "-H", "Cookie: session=s3cr3t-cookie", "-H", "X-Team: desk")
    assert result.exit_code == 0, result.output
    data = warc.read_bytes()
    assert b"WARC-Type: request" in data and b"X-Team: desk" in data
    assert b"s3cr3t" not in data


def test_reextract_reads_kept_bodies_without_network(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        assert collect(db, site.url + "feed/").exit_code == 0
        before = citations(db)
    with sqlite3.connect(db) as con:
        con.execute("DELETE FROM citations")
        con.execute("DELETE FROM articles")
    result = CliRunner().invoke(main, ["collect", "--reextract", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"re-extracted {POSTS} article(s)" in result.output
    assert citations(db) == before


def _web() -> WebConfig:
    return WebConfig(allow=("127.0.0.1",), per_host=HostLimits(concurrency=1, interval=0))


def test_loopback_sitemap_is_refused_unless_allowed(tmp_path: Path) -> None:
    with FakeWordPress(posts()) as site:
        result = CliRunner().invoke(main, ["collect", site.url + "sitemap_index.xml",
                                           "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 4
    assert "loopback" in result.output
    assert site.requests == []


def test_a_sitemap_address_answering_a_page_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts()) as site:
        result = collect(db, site.url + "article/sitemap.xml")
    assert result.exit_code == 4
    assert "neither a sitemap nor an RSS or Atom feed" in result.output
    assert stored_urls(db) == []


def test_article_urls_share_one_fetcher(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with FakeWordPress(posts(), robots="User-agent: *\nAllow: /\n") as site:
        urls = [site.page_url(p) for p in site.posts[:3]]
        result = collect(db, *urls)
    assert result.exit_code == 0, result.output
    assert stored_urls(db) == sorted(urls)
    assert site.requests.count("/robots.txt") == 1  # one fetcher: one robots.txt, one gate


def test_article_urls_have_one_collector() -> None:
    # collect.sources names the article-URL collector of collect.listed; it is no second copy.
    from linkgraph.collect import listed, sources  # noqa: PLC0415

    assert sources.collect_article_urls is listed.collect_urls
