"""Extraction speed against a bare Lexbor parse of the same pages, in one process.

Usage: python benchmarks/extract_speed.py [CORPUS_DIR] [--rounds N] [--profile] [--floor]

CORPUS_DIR defaults to ../shared/corpus next to the repo.  Every page is read into memory
first (gzipped pages decompressed), then each measurement runs N rounds and keeps the best
(the machine is shared and noisy):

* pages: baseline = ``LexborHTMLParser(text)`` of each page (text decoded beforehand);
  linkgraph = ``read_html_page(bytes, path, base=...)`` (decode + parse + metadata) then
  ``extract(page)``.
* WordPress: baseline = ``json.loads`` of each file plus a Lexbor parse of every post's
  ``content.rendered``; linkgraph = ``parse_wordpress`` then ``extract`` of every post.

Prints pages (posts) per second for both and the ratio linkgraph / baseline (goal >= 0.45).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from linkgraph.extract.extractor import extract
from linkgraph.readers.html import parse_html_page, read_html_page
from linkgraph.readers.parsed import ParsedPage
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, Citation

READABILITY_BASE = "http://fakehost/test/page.html"


def load_pages(corpus: Path) -> list[tuple[str, bytes, str]]:
    """(path, raw bytes, base URL) of the 311 full pages, decompressed, in memory."""
    pages = [
        (f"readability/{p.name}", p.read_bytes(), READABILITY_BASE)
        for p in sorted((corpus / "readability").glob("*.html"))
    ]
    aeb = corpus / "scrapinghub-aeb"
    urls = json.loads((aeb / "urls.json").read_text("utf-8"))
    for p in sorted((aeb / "html").glob("*.html.gz")):
        pages.append((f"scrapinghub-aeb/{p.name}", gzip.decompress(p.read_bytes()), urls[p.name]))
    return pages


def load_wordpress(corpus: Path) -> list[tuple[str, bytes]]:
    """(path, raw bytes) of every WordPress JSON file under wp/."""
    files = sorted((corpus / "wp").rglob("*.json"))
    return [(str(p.relative_to(corpus)), p.read_bytes()) for p in files]


def best_of(rounds: int, run: Callable[[], int]) -> tuple[float, int]:
    """Best wall time over *rounds* runs of *run*, and the item count it reports."""
    best = float("inf")
    count = 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = run()
        best = min(best, time.perf_counter() - start)
    return best, count


def _floor(rounds: int, full: Callable[[], int], t_bare: float) -> None:
    """Ratios with parts of the extraction switched off (monkeypatched, then restored)."""
    from unittest import mock  # noqa: PLC0415 - only this diagnostic needs it

    import linkgraph.extract.extractor as extract_module  # noqa: PLC0415
    from linkgraph.extract.page_links import PageLinks  # noqa: PLC0415

    def skip(*_args: object) -> list[Citation]:
        return []  # no link judged

    with mock.patch.object(PageLinks, "judge_all", skip):
        t_links, _ = best_of(rounds, full)
        with mock.patch.object(extract_module, "may_have_lost_links", lambda _markup: False):
            t_lost, _ = best_of(rounds, full)
    print(f"  ratio without per-link work              {t_bare / t_links:8.2f}")
    print(f"  ratio without per-link work and lost scan {t_bare / t_lost:7.2f}")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    parser.add_argument("corpus", nargs="?", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile the full extraction")
    parser.add_argument(
        "--floor", action="store_true",
        help="also time the pages with the per-link work switched off, then with the lost-link"
        " scan off too: the ratios the rest of the pipeline allows (diagnostic, not output)",
    )
    args = parser.parse_args(argv)
    _pages(args)
    _wordpress(args)
    return 0


def _pages(args: argparse.Namespace) -> None:
    """The 311 full pages: bare parse, full extraction, reader alone."""
    pages = load_pages(args.corpus)
    texts = [data.decode("utf-8", "replace") for _, data, _ in pages]

    def bare() -> int:
        for text in texts:
            LexborHTMLParser(text)
        return len(texts)

    def full() -> int:
        for path, data, base in pages:
            page = read_html_page(data, path, base=base)
            if isinstance(page, ParsedPage):
                extract(page)
        return len(pages)

    def reader_only() -> int:
        for path, data, base in pages:
            parse_html_page(data, path, base=base)
        return len(pages)

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(full)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    t_bare, n = best_of(args.rounds, bare)
    t_full, _ = best_of(args.rounds, full)
    t_reader, _ = best_of(args.rounds, reader_only)
    size = sum(len(d) for _, d, _ in pages) / 1e6
    print(f"pages: {n} full pages, {size:.1f} MB, best of {args.rounds}")
    print(f"  bare Lexbor parse     {n / t_bare:8.0f} pages/s")
    print(f"  linkgraph extraction  {n / t_full:8.0f} pages/s")
    print(f"  ratio                 {t_bare / t_full:8.2f}  (goal >= 0.45)")
    share = (t_full - t_reader) / t_full
    print(f"  of which reader only  {n / t_reader:8.0f} pages/s (extract: {share:.0%} of time)")
    if args.floor:
        _floor(args.rounds, full, t_bare)


def _wordpress(args: argparse.Namespace) -> None:
    """The WordPress posts: bare JSON decoding plus a parse of the content, full extraction."""
    files = load_wordpress(args.corpus)

    def wp_bare() -> int:
        count = 0
        for _, data in files:
            doc = json.loads(data)
            for post in doc if isinstance(doc, list) else [doc]:
                LexborHTMLParser(post["content"]["rendered"])
                count += 1
        return count

    def wp_full() -> int:
        count = 0
        for path, data in files:
            for article in parse_wordpress(data, path):
                if isinstance(article, Article):
                    extract(article)
                    count += 1
        return count

    t_wp_bare, posts = best_of(args.rounds, wp_bare)
    t_wp_full, _ = best_of(args.rounds, wp_full)
    print(f"WordPress: {posts} posts in {len(files)} files, best of {args.rounds}")
    print(f"  bare json + Lexbor    {posts / t_wp_bare:8.0f} posts/s")
    print(f"  linkgraph extraction  {posts / t_wp_full:8.0f} posts/s")
    print(f"  ratio                 {t_wp_bare / t_wp_full:8.2f}  (goal >= 0.45)")


if __name__ == "__main__":
    sys.exit(main())
