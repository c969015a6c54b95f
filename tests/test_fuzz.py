"""Fuzzing: generated malformed inputs against the readers, the extractor, the URL layer and the
report renderers.  Zero tracebacks, zero hangs, every failure a named value or error.

Inputs are mutations of real seeds (the shipped examples, a sample of corpus pages and posts
when ``../shared/corpus`` is there, and the hostile shapes of issue 16: deep nesting, many
attributes, gzip members, control characters) and structure-aware HTML and URL strategies.
Each input runs under a time budget (``BUDGET_S``, enforced with a real-time alarm, so that a
hang fails instead of stalling CI).

The number of inputs per target scales with ``LINKGRAPH_FUZZ_SCALE`` (default 1: about 10,000
inputs in all, a minute or two on two cores).  The long run:

    LINKGRAPH_FUZZ_SCALE=50 python -m pytest tests/test_fuzz.py -p no:cacheprovider

Coverage-guided fuzzing of the same targets: ``python tests/fuzz_atheris.py --help``.
"""

from __future__ import annotations

import gzip
import os
import random
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Final

import pytest
from ada_url import URL
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from linkgraph.analysis import analyse
from linkgraph.collect import SourceError, classify_source, is_web_source
from linkgraph.collect.sources import clean_source
from linkgraph.extract import extract
from linkgraph.readers import read_file
from linkgraph.records import Article, BodyKind, Extraction, Origin, ReadFailure
from linkgraph.report.html import render_html
from linkgraph.report.jsonout import report_data
from linkgraph.report.markdown import render_markdown
from linkgraph.report.meta import ReportMeta
from linkgraph.report.tables import headline, outlet_index, problems
from linkgraph.urls import (
    canonical_url,
    grouping_key,
    hostname,
    registered_domain,
    resolve_href,
    strip_credentials,
)

ROOT: Final = Path(__file__).resolve().parents[1]
CORPUS: Final = ROOT.parent / "shared" / "corpus"
SCALE: Final = max(1, int(os.environ.get("LINKGRAPH_FUZZ_SCALE", "1")))
BUDGET_S: Final = 5.0  # per input: far above any normal input's cost, far below a hang's
SUFFIXES: Final = (".json", ".jsonl", ".html", ".htm", ".xhtml", ".json.gz", ".html.gz", ".txt")


class Hang(Exception):
    """An input ran past the time budget."""


@contextmanager
def budget(seconds: float = BUDGET_S) -> Iterator[None]:
    """Raise ``Hang`` in the main thread if the block runs longer than *seconds*."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"input took over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def has_credentials(url: str) -> bool:
    """True when an absolute URL carries a user name or a password (by a full WHATWG parse)."""
    try:
        parsed = URL(url)
    except ValueError:
        return False
    return bool(parsed.username or parsed.password)


def _seeds() -> list[bytes]:
    seeds = [path.read_bytes() for path in sorted((ROOT / "examples").glob("*.json"))]
    if CORPUS.is_dir():
        rng = random.Random(16)
        pages = sorted((CORPUS / "readability").glob("*.html"))
        seeds += [p.read_bytes()[:60_000] for p in rng.sample(pages, min(12, len(pages)))]
        posts = sorted((CORPUS / "wp").rglob("*.json"))
        seeds += [p.read_bytes()[:60_000] for p in posts[:4]]
        seeds.append((CORPUS / "seed" / "koreapro-2200266.json").read_bytes())
    seeds += [
        b"<div>" * 3000 + b"<a href='https://x.example/'>deep</a>" + b"</div>" * 10,
        b"<p " + b" ".join(b"a%d=x" % i for i in range(3000)) + b">many attributes</p>",
        b'{"id": 1, "content": {"rendered": "<p>cut \x01\x02 off <a href=\\"ht',
        b"<html><head><base href='javascript:alert(1)'></head><body><article><p>"
        b"<a href='http://user:secret@example.org/a'>creds</a> "
        b"<a href='http://http://typo.example/x'>typo</a> <a href='//[::1]:80/'>v6</a>"
        b"</p></article></body></html>",
        b"<p>lost</span></a> anchors</a> and <a href=\x00>nul</a></p>",
    ]
    return seeds


SEEDS: Final = _seeds()


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """A seed with a few random edits: cuts, splices, byte flips, control characters, gzip."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.sampled_from(["cut", "flip", "insert", "dup", "delete"]))
        at = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "cut":
            del data[at:]
        elif op == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(
                [b"\x00", b"\x1b[31m", b"\xff\xfe", b"</a>", b"<a href='", b'"', b"{", b"]",
                 b"\\u", b"<!--", b"<script>", b"\r\n", b"\xe2\x80", b"<p " * 50]
            ))
        elif op == "dup":
            end = min(len(data), at + draw(st.integers(1, 2000)))
            data[at:at] = data[at:end] * draw(st.integers(1, 5))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 500))]
    out = bytes(data)
    if draw(st.booleans()) and draw(st.booleans()):
        out = gzip.compress(out)
        if draw(st.booleans()):
            out = out[: draw(st.integers(0, len(out)))]
    return out


def _check_article(article: Article) -> None:
    extraction = extract(article)
    assert isinstance(extraction, Extraction)
    for citation in extraction.citations:
        if citation.url is not None:
            assert not has_credentials(citation.url), citation.url


def fuzz(examples: int) -> settings:
    """Settings for one target: *examples* inputs (times the scale), the alarm as the budget
    (hypothesis' own deadline would also flag slow shrinking), no example database written
    into the checkout."""
    return settings(
        max_examples=examples * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


@fuzz(4000)
@given(data=mutated(), suffix=st.sampled_from(SUFFIXES))
def test_readers_and_extraction_never_raise(data: bytes, suffix: str) -> None:
    with tempfile.NamedTemporaryFile(suffix=suffix, delete=False) as handle:
        handle.write(data)
        name = handle.name
    try:
        with budget():
            for item in read_file(name):
                assert isinstance(item, Article | ReadFailure)
                if isinstance(item, ReadFailure):
                    assert item.message.startswith(name), item.message
                else:
                    _check_article(item)
    finally:
        Path(name).unlink()


# Structure-aware HTML: tags, attributes and links of every shape, nested at random.
_TAGS = st.sampled_from(["p", "div", "a", "span", "article", "li", "ul", "nav", "footer", "td",
                         "table", "h2", "blockquote", "script", "style", "noscript", "br"])
_HREFS = st.one_of(
    st.sampled_from(["https://ok.example/a", "/rel", "#frag", "javascript:void(0)", "mailto:x@y",
                     "http://u:p@creds.example/", "http://http://x/", "//x.example", "", " ",
                     "http://[::1]/", "http://127.0.0.1:8080/x", "tel:+1", "data:text/html,x"]),
    st.text(max_size=40),
)
_ATTRS = st.lists(st.tuples(st.sampled_from(["href", "class", "id", "rel", "style", "hidden",
                                             "role", "itemprop"]),
                            st.one_of(_HREFS, st.text(max_size=20))), max_size=4)


@st.composite
def html_tree(draw: st.DrawFn, depth: int = 0) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 4 if depth < 4 else 0))):
        if draw(st.booleans()):
            parts.append(draw(st.text(max_size=60)).replace("<", "&lt;"))
            continue
        tag = draw(_TAGS)
        attrs = "".join(f' {name}="{value.replace(chr(34), "&quot;")}"'
                        for name, value in draw(_ATTRS))
        inner = draw(html_tree(depth + 1))
        close = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes unclosed
        parts.append(f"<{tag}{attrs}>{inner}{close}")
    return "".join(parts)


@fuzz(3000)
@given(body=html_tree(), kind=st.sampled_from(list(BodyKind)),
       url=st.sampled_from([None, "https://news.example/2024/a", "not a url", "http://[bad/"]))
def test_extraction_of_generated_markup(body: str, kind: BodyKind, url: str | None) -> None:
    html = body if kind is BodyKind.FRAGMENT else f"<html><body>{body}</body></html>"
    article = Article("fuzz", url, "news.example", "T", None, None, Origin("fuzz.html"), html,
                      kind)
    with budget():
        _check_article(article)


_URLISH = st.one_of(
    st.text(max_size=80),
    st.builds(lambda scheme, auth, host, rest: f"{scheme}{auth}{host}{rest}",
              st.sampled_from(["http://", "https://", "HTTP://", "//", "ftp://", "http:", ""]),
              st.sampled_from(["", "user:pw@", "@", "a@b@"]),
              st.one_of(st.sampled_from(["example.org", "xn--bcher-kva.example", "[::1]", "[::1",
                                         "[not-an-address]",
                                         "127.0.0.1", "a." * 60 + "com", "b\u00fccher.de",
                                         "EXAMPLE.COM.", "%41.com", "0x7f.1"]),
                        st.text(max_size=30)),
              st.text(max_size=40)),
)


@fuzz(2500)
@given(href=_URLISH, base=st.one_of(st.none(), _URLISH))
def test_url_layer_total_functions(href: str, base: str | None) -> None:
    with budget():
        url = resolve_href(href, base)
        if url is None:
            return
        assert not has_credentials(strip_credentials(url))
        canonical_url(url)
        key = grouping_key(url)
        assert key is None or isinstance(key, str)
        registered_domain(hostname(url))


@fuzz(1000)
@given(source=_URLISH)
def test_collect_sources_are_classified_or_refused(source: str) -> None:
    """A SOURCE of ``collect`` or ``report`` is a kind or a SourceError (never a ValueError
    such as urlsplit's 'Invalid IPv6 URL'), and carries no credentials once cleaned."""
    try:
        clean = clean_source(source)
        classify_source(clean)
    except SourceError:
        return
    if is_web_source(clean):
        assert not has_credentials(clean), clean


def _fuzz_extractions(bodies: list[str]) -> list[Extraction]:
    out = []
    for index, body in enumerate(bodies):
        article = Article(f"fuzz:{index}", f"https://site{index % 3}.example/{index}",
                          f"site{index % 3}.example", body[:40], None, None,
                          Origin("fuzz.json", index), body, BodyKind.FRAGMENT)
        out.append(extract(article))
    return out


@fuzz(500)
@given(bodies=st.lists(html_tree(), min_size=1, max_size=4))
def test_report_renderers_escape_and_never_raise(bodies: list[str]) -> None:
    with budget(BUDGET_S * 2):
        analysis = analyse(_fuzz_extractions(bodies))
        index = outlet_index(analysis)
        found = problems(analysis)
        head = headline(analysis, found)
        meta = ReportMeta.collect(analysis, inputs=["fuzz.json"])
        page = render_html(analysis, meta=meta, head=head, found=found, images={}, index=index)
        render_markdown(analysis, meta=meta, head=head, found=found, images=[], index=index)
        report_data(analysis, meta=meta, headline=head, found=found, files=[])
    _assert_inert(page)


def _assert_inert(page: str) -> None:
    """Nothing from an article can run in the page: no script element, no event handler
    attribute, no link or image that is a script or data URL."""
    tree = LexborHTMLParser(page)
    assert not tree.css("script, iframe, object, embed")
    for node in tree.css("*"):
        for name, value in node.attributes.items():
            assert not name.lower().startswith("on"), (node.tag, name)
            if name in ("href", "src") and value:
                scheme = value.strip().split(":", 1)[0].lower()
                assert scheme not in ("javascript", "vbscript") and not (
                    scheme == "data" and not value.startswith("data:image/png;base64,")
                ), value


@pytest.mark.parametrize("seed", range(len(SEEDS)))
def test_every_seed_reads_cleanly(seed: int, tmp_path: Path) -> None:
    """The seeds themselves, unmutated, under the same budget."""
    path = tmp_path / "seed.html"
    path.write_bytes(SEEDS[seed])
    with budget():
        for item in read_file(str(path)):
            if isinstance(item, Article):
                _check_article(item)
