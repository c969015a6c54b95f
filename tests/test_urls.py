"""URL rules, table-driven (each bug fix adds a row), and the WHATWG conformance suite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ada_url import URL, join_url

from linkgraph.urls import (
    canonical_url,
    grouping_key,
    grouping_key_reference,
    hostname,
    is_homepage,
    join_plain,
    plain_http_parts,
    registered_domain,
    resolve_href,
    strip_credentials,
    tracking_params,
)


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("../d?x#y", "http://a/b/c", "http://a/d?x#y"),
        ("/law/1", "https://www.law.go.kr/x", "https://www.law.go.kr/law/1"),
        ("//cdn.example/x", "https://a.example/", "https://cdn.example/x"),
        ("https://ukrinform.net/a", None, "https://ukrinform.net/a"),
        ("/relative", None, None),
        ("http://[::1", None, None),
        ("  https://EXAMPLE.com/a b  ", None, "https://example.com/a%20b"),
    ],
)
def test_resolve_href(href: str, base: str | None, expected: str | None) -> None:
    assert resolve_href(href, base) == expected


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://WWW.Example.com:80/a/?utm_source=x&id=3#top", "example.com/a?id=3"),
        ("https://example.com/a", "example.com/a"),
        ("https://example.com/", "example.com"),
        ("https://example.com:8443/a", "example.com:8443/a"),
        ("https://x.com/p?fbclid=1&gclid=2", "x.com/p"),
        ("https://x.com/p?b=2&a=1", "x.com/p?b=2&a=1"),
        ("mailto:desk@example.com", "mailto:desk@example.com"),
        ("not a url", None),
    ],
)
def test_grouping_key(url: str, key: str | None) -> None:
    assert grouping_key(url) == key


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("www.law.go.kr", "law.go.kr"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.ukrinform.net", "ukrinform.net"),
        ("user.github.io", "user.github.io"),
        ("127.0.0.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("localhost", "localhost"),
        ("co.uk", "co.uk"),
        ("", None),
        (None, None),
    ],
)
def test_registered_domain(host: str | None, domain: str | None) -> None:
    assert registered_domain(host) == domain


def test_credentials_are_removed() -> None:
    url = "https://editor:s3cret@cms.example.com/wp-admin/?p=1"
    assert strip_credentials(url) == "https://cms.example.com/wp-admin/?p=1"
    assert "s3cret" not in canonical_url(url)


def test_tracking_and_homepage() -> None:
    url = "https://a.com/x?utm_source=tw&id=1&fbclid=z"
    assert tracking_params(url) == ["utm_source", "fbclid"]
    assert is_homepage("https://www.yonhapnews.co.kr/")
    assert not is_homepage("https://www.yonhapnews.co.kr/view/AKR2023")


def test_whatwg_conformance(corpus: Path) -> None:
    data = json.loads((corpus / "url" / "urltestdata.json").read_text(encoding="utf-8"))
    cases = [c for c in data if isinstance(c, dict)]
    passed = 0
    failures = []
    for case in cases:
        got = resolve_href(case["input"], case["base"])
        want = None if case.get("failure") else case["href"]
        if got == want:
            passed += 1
        else:
            failures.append((case["input"], case["base"], want, got))
    ratio = passed / len(cases)
    assert ratio >= 0.99, f"{passed}/{len(cases)} passed; first failures: {failures[:5]}"


def test_string_fast_paths_agree_with_a_full_parse(corpus: Path) -> None:
    """hostname and grouping_key read plain serialised URLs from the string; on every WHATWG
    input and output they must give what a full parse gives."""
    def parsed_host(url: str) -> str | None:
        try:
            return str(URL(url).hostname).strip("[]") or None
        except ValueError:
            return None

    data = json.loads((corpus / "url" / "urltestdata.json").read_text(encoding="utf-8"))
    cases = [c for c in data if isinstance(c, dict)]
    urls = [c["input"] for c in cases] + [c["href"] for c in cases if "href" in c]
    urls += ["http://a.com./x", "http://1.2.3/", "http://xn--a/", "http://a.com:080/",
             "http://a.com/a/../b", "http://host/?'", "http://foo/p??e#f"]
    assert [hostname(u) for u in urls] == [parsed_host(u) for u in urls]
    assert [grouping_key(u) for u in urls] == [grouping_key_reference(u) for u in urls]

    def parsed_href(url: str) -> str | None:
        try:
            return str(URL(url).href)
        except ValueError:
            return None

    # plain_http_parts promises that resolving such a URL gives it back unchanged.
    plain = [u for u in urls if plain_http_parts(u) is not None]
    assert len(plain) > 100
    assert [parsed_href(u) for u in plain] == plain
    assert [resolve_href(u, None) for u in urls] == [parsed_href(u) for u in urls]

    def parsed_homepage(url: str) -> bool:
        try:
            parsed = URL(url)
        except ValueError:
            return False
        return str(parsed.pathname) in {"", "/"} and not str(parsed.search)

    homes = [*urls, "http://a.example/?", "http://a.example/#x", "http://a.example/?#x"]
    assert [is_homepage(u) for u in homes] == [parsed_homepage(u) for u in homes]


def test_relative_fast_path_agrees_with_a_full_join(corpus: Path) -> None:
    """resolve_href joins plain "/path" and "#fragment" references by string operations; on
    every WHATWG (input, base) pair, and on each input against several bases, it must give
    what ada's join gives."""
    def joined(href: str, base: str) -> str | None:
        try:
            return join_url(base, href)
        except ValueError:
            return None

    data = json.loads((corpus / "url" / "urltestdata.json").read_text(encoding="utf-8"))
    cases = [c for c in data if isinstance(c, dict) and c.get("base")]
    bases = ["https://news.example/a/b?q=1#top", "http://h.example:8080/", "https://x.example/"]
    pairs = [(c["input"], c["base"]) for c in cases]
    pairs += [(c["input"], b) for c in cases for b in bases]
    pairs += [("/wiki/A_(b)", bases[0]), ("#cite_note-1", bases[0]), ("/a/./b", bases[1]),
              ("/%2e%2E/x", bases[2]), ("/a b", bases[2]), ("#a b", bases[0]), ("/é", bases[2])]
    fast = [(h, b) for h, b in pairs if h[:1] in ("/", "#") and not h.startswith("//")]
    assert len(fast) > 150
    assert sum(join_plain(h, b) is not None for h, b in fast) > 50  # the fast path ran
    # The parts join_plain hands back are those of the joined URL.
    split = [j for h, b in fast if (j := join_plain(h, b)) is not None]
    assert all(plain_http_parts(url) == parts for url, parts in split)
    assert [resolve_href(h, b) for h, b in pairs] == [joined(h, b) for h, b in pairs]
