"""``analyse`` time per saved page against extraction time per page, in one process.

Usage: python benchmarks/analyse_speed.py [CORPUS_DIR] [--rounds N]

CORPUS_DIR defaults to ../shared/corpus next to the repo.  The 311 full pages (readability and
scrapinghub-aeb) are read into memory first; then, each measured N times (best kept: the
machine is shared and noisy):

* extraction: ``read_html_page`` + ``extract`` of every page (the baseline);
* analyse: ``analyse`` of those extractions with the packaged registry, unlinked attributions
  on (the default), projections off (they are corpus-wide, not per page).

Prints milliseconds per page for both and the ratio analyse / extraction.  ``analyse`` reads
the body sentences extraction produced; before that it parsed every page again, so the ratio
is the figure to compare across versions.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from linkgraph.analysis import AnalysisOptions, analyse
from linkgraph.extract.extractor import extract
from linkgraph.readers.html import read_html_page
from linkgraph.readers.parsed import ParsedPage
from linkgraph.records import Extraction
from linkgraph.sources import default_registry

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_speed import load_pages  # the benchmarks folder is not a package


def best_of(rounds: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared" / "corpus")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    pages = load_pages(args.corpus)
    registry = default_registry()
    options = AnalysisOptions(projections=False)
    extractions: list[Extraction] = []

    def extract_all() -> None:
        extractions.clear()
        for path, data, base in pages:
            page = read_html_page(data, path, base=base)
            assert isinstance(page, ParsedPage)
            extractions.append(extract(page))

    def analyse_all() -> None:
        analyse(extractions, registry=registry, options=options)

    extracting = best_of(args.rounds, extract_all)
    analysing = best_of(args.rounds, analyse_all)
    count = len(pages)
    print(f"{count} pages, best of {args.rounds}")
    print(f"extraction (read + extract): {1000 * extracting / count:7.2f} ms/page")
    print(f"analyse:                     {1000 * analysing / count:7.2f} ms/page")
    print(f"analyse / extraction:        {analysing / extracting:7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
