"""The public surfaces of linkgraph.web and linkgraph.collect: deliberate and importable."""

from __future__ import annotations

import linkgraph.collect
import linkgraph.web
from linkgraph.collect import CollectKind, SourceError, classify_source
from linkgraph.errors import LinkgraphError

WEB = {"DEFAULT_USER_AGENT", "AddressPolicy", "FetchError", "FetchResult", "Fetcher",
       "HostLimits", "ResolutionError", "Resolver", "RobotsRules", "StaticResolver",
       "SystemResolver", "WebConfig", "address_class", "fetch"}
COLLECT = {"COLLECTORS", "CollectKind", "CollectOptions", "CollectStats", "SourceError",
           "WordPressCrawl", "classify_source", "collect_sources", "collected_from", "fetched_from",
           "is_web_source", "reextract"}


def test_surfaces_are_the_expected_ones() -> None:
    for module, expected in ((linkgraph.web, WEB), (linkgraph.collect, COLLECT)):
        assert set(module.__all__) == expected
        for name in module.__all__:
            assert hasattr(module, name), name


def test_source_error_is_a_linkgraph_error() -> None:
    assert issubclass(SourceError, LinkgraphError)


def test_every_source_kind_is_reachable_from_text() -> None:
    examples = {
        "https://news.example/": CollectKind.WORDPRESS,
        "https://news.example/wp-sitemap.xml": CollectKind.SITEMAP,
        "https://news.example/sitemap_index.xml.gz": CollectKind.SITEMAP,
        "https://news.example/robots.txt": CollectKind.SITEMAP,
        "https://news.example/feed/": CollectKind.FEED,
        "https://news.example/atom.xml": CollectKind.FEED,
        "https://news.example/2024/05/story/": CollectKind.ARTICLE,
        "https://news.example/?p=12": CollectKind.ARTICLE,
        "urls.txt": CollectKind.URL_LIST,
        "-": CollectKind.URL_LIST,
        "crawl.warc.gz": CollectKind.ARCHIVE,
        "site.wacz": CollectKind.ARCHIVE,
        "exports/": CollectKind.FILE,
    }
    assert {s: classify_source(s) for s in examples} == examples
    assert set(examples.values()) == set(CollectKind)
