"""Reader overhead on the corpus's 311 full pages: ``parse_html_page`` against a bare Lexbor parse.

Baseline: ``LexborHTMLParser(text)`` over each page's already decoded text.  Measured:
``parse_html_page(bytes)``: charset decoding, the deep-nesting guard, the same Lexbor parse,
page metadata and the Article record.  Pages are timed interleaved (baseline, reader, baseline,
...) and each page keeps its fastest of ``--rounds`` runs, so noise from other processes on a
shared machine cancels out as far as it can.  Prints throughputs and their ratio, plus the
decode and metadata costs on their own.

    python benchmarks/read_speed.py [--corpus ../shared/corpus] [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extract_speed import load_pages  # the same 311 pages, read the same way
from selectolax.lexbor import LexborHTMLParser

from linkgraph.readers.charset import decode_html
from linkgraph.readers.html import parse_html_page
from linkgraph.readers.metadata import page_metadata

FAKEHOST = "http://fakehost/test/page.html"


def best_of(fn: Callable[[Any], object], arg: Any, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn(arg)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    pages = [data for _, data, _ in load_pages(args.corpus)]
    texts = [decode_html(page).text for page in pages]
    bare = full = decode = meta = 0.0
    for page, text in zip(pages, texts, strict=True):
        tree = LexborHTMLParser(text)
        bare += best_of(LexborHTMLParser, text, args.rounds)
        full += best_of(lambda b: parse_html_page(b, "page.html", base=FAKEHOST), page, args.rounds)
        decode += best_of(decode_html, page, args.rounds)
        meta += best_of(page_metadata, tree, args.rounds)
    n = len(pages)
    print(f"pages: {n} ({sum(map(len, pages)) / 1e6:.1f} MB)")
    print(f"bare Lexbor parse:   {n / bare:8.0f} pages/s  ({bare / n * 1000:.3f} ms/page)")
    print(f"parse_html_page:     {n / full:8.0f} pages/s  ({full / n * 1000:.3f} ms/page)")
    print(f"ratio (reader/bare): {bare / full:.3f}")
    print(f"  decode_html: {decode / n * 1000:.3f} ms/page")
    print(f"  page_metadata (tree already touched): {meta / n * 1000:.3f} ms/page")


if __name__ == "__main__":
    main()
