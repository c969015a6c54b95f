"""parse_target reads URLs exactly as httpx.URL does: its fast path, where it answers, gives
httpx's parts, and whatever it leaves to httpx fails or succeeds as httpx does."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linkgraph.web.target import Target, _simple, parse_target


def httpx_parts(url: str) -> Target:
    parsed = httpx.URL(url)
    return Target(parsed.scheme, parsed.raw_host.decode("ascii"), parsed.port, parsed.raw_path,
                  parsed.netloc)


URLS = [
    "http://127.0.0.10:49911/article/5",
    "https://example.org",
    "https://example.org:443/a/b.html?x=1&y=%2F#top",
    "http://example.org:80/",
    "http://example.org:080/a",
    "http://news.example:8080/a/./b/../c",
    "http://news.example/.well-known/x",
    "http://news.example/a?",
    "http://news.example/a?b?c=/d",
    "http://news.example/%zz",
    "http://news.example/a%2fb",
    "http://xn--bcher-kva.example/",
    "http://1.2.3/x",
    "http://[::1]:8080/x",
    "HTTP://Example.ORG/A",
    "http://a.example/|^{}",
    "http://a.example/a b",
    "http://user:pw@a.example/",
    "http://a.example#frag ment",
    "http://a.example:99999/",  # httpx takes it; the connection will fail
]
INVALID = ["http://999.1.1.1/", "http://127.000.0.1/", "http://[::1/"]


@pytest.mark.parametrize("url", URLS)
def test_parts_are_httpx_parts(url: str) -> None:
    assert parse_target(url) == httpx_parts(url)


@pytest.mark.parametrize("url", INVALID)
def test_what_httpx_refuses_is_refused(url: str) -> None:
    with pytest.raises(httpx.InvalidURL):
        httpx.URL(url)
    assert _simple(url) is None
    with pytest.raises(httpx.InvalidURL):
        parse_target(url)


def test_the_fast_path_reads_the_common_url() -> None:
    assert _simple("http://127.0.0.10:49911/article/5") is not None
    assert _simple("https://www.example.org/2024/01/story.html?utm=x#c") is not None


PIECES = st.sampled_from([
    "a", "Z", "0", "-", ".", "..", "/", "?", "#", "%", "%2F", "%zz", ":", "@", "~", "!", "'",
    "(", "*", "+", ",", ";", "=", "&", "$", "|", " ", "é", "[", "]", "\\", "`", "{", "^",
])


@settings(max_examples=400, deadline=None)
@given(
    scheme=st.sampled_from(["http", "https", "HTTP"]),
    host=st.sampled_from(["a.example", "127.0.0.1", "300.1.1.1", "Ab.example", "x-y.test",
                          "01.2.3.4", "a..b", "[::1]"]),
    port=st.sampled_from(["", ":80", ":443", ":8080", ":0", ":65536", ":"]),
    rest=st.lists(PIECES, max_size=12).map("".join),
)
def test_any_url_reads_as_httpx_reads_it(scheme: str, host: str, port: str, rest: str) -> None:
    url = f"{scheme}://{host}{port}/{rest}"
    try:
        expected: Target | type[Exception] = httpx_parts(url)
    except (httpx.InvalidURL, ValueError) as exc:
        expected = type(exc)
    fast = _simple(url)
    if fast is not None:
        assert fast == expected, url
    try:
        got: Target | type[Exception] = parse_target(url)
    except (httpx.InvalidURL, ValueError) as exc:
        got = type(exc)
    assert got == expected, url
