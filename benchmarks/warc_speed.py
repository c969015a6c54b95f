"""Reading web archives: warcio against FastWARC, and pages from a WARC against the same files.

Writes a WARC (gzip per record, as crawlers write them) from the corpus's 311 full pages: a
request and a response record per page, the response with the page's real address as its
target URI (the readability pages at ``http://fakehost/test/page.html?name``, the
scrapinghub-aeb pages at their URLs from ``urls.json``, sent ``Content-Encoding: gzip`` as the
saved bytes are).  Then prints, each the best of ``--rounds`` runs in this same process:

1. reading every response record's decoded payload with warcio and with FastWARC (baseline:
   warcio, the reference library);
2. ``read_file`` + ``extract`` on the WARC against ``read_file`` + ``extract`` on the same
   pages as files, each with its own URL (baseline: the files; goal: at most 1.1x).

3. with ``--jobs N`` (default 2), the same through the process pool the CLI uses
   (``extract_inputs``): the files named by a manifest, the WARC cut into spans of pages.

    python benchmarks/warc_speed.py [--corpus ../shared/corpus] [--rounds 3] [--pages N] [--jobs N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from fastwarc.warc import ArchiveIterator as FastIterator
from fastwarc.warc import WarcRecordType
from warcio.archiveiterator import ArchiveIterator as WarcioIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from linkgraph.extract.extractor import extract
from linkgraph.pipeline import extract_inputs
from linkgraph.readers import read_file
from linkgraph.records import Article, Extraction

READABILITY_BASE = "http://fakehost/test/page.html"


def corpus_pages(corpus: Path) -> list[tuple[Path, str, bool]]:
    """(file, URL, gzipped) of the 311 full pages."""
    pages = [(p, READABILITY_BASE, False) for p in sorted((corpus / "readability").glob("*.html"))]
    aeb = corpus / "scrapinghub-aeb"
    urls = json.loads((aeb / "urls.json").read_text("utf-8"))
    pages += [(p, urls[p.name], True) for p in sorted((aeb / "html").glob("*.html.gz"))]
    return pages


def write_warc(pages: list[tuple[Path, str, bool]], out: Path) -> None:
    """A request and a response record per page, each record its own gzip member."""
    with out.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for path, url, gzipped in pages:
            body = path.read_bytes()
            headers = [("Content-Type", "text/html; charset=utf-8" if not gzipped else "text/html")]
            if gzipped:
                headers.append(("Content-Encoding", "gzip"))
            headers.append(("Content-Length", str(len(body))))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            response = writer.create_warc_record(
                url, "response", payload=BytesIO(body), http_headers=http
            )
            request = writer.create_warc_record(
                url, "request", payload=BytesIO(b""),
                http_headers=StatusAndHeaders(
                    f"GET {url} HTTP/1.1", [("Host", "example")], is_http_request=True
                ),
            )
            writer.write_record(response)
            writer.write_record(request)


def read_warcio(path: Path) -> int:
    size = 0
    with path.open("rb") as handle:
        for record in WarcioIterator(handle):
            if record.rec_type == "response":
                size += len(record.content_stream().read())
    return size


def read_fastwarc(path: Path) -> int:
    size = 0
    with path.open("rb") as handle:
        for record in FastIterator(handle, record_types=WarcRecordType.response,
                                   auto_decode="all"):
            size += len(record.reader.read())
    return size


def extract_files(pages: list[tuple[Path, str, bool]]) -> int:
    count = 0
    for path, url, _ in pages:
        for item in read_file(str(path), base=url):
            if isinstance(item, Article):
                count += len(extract(item).citations)
    return count


def extract_warc(path: Path) -> int:
    count = 0
    for item in read_file(str(path)):
        if isinstance(item, Article):
            count += len(extract(item).citations)
    return count


def pooled(inputs: list[str], jobs: int) -> int:
    return sum(len(item.citations) for item in extract_inputs(inputs, jobs=jobs)
               if isinstance(item, Extraction))


def best_of(rounds: int, run: Callable[[], int]) -> tuple[float, int]:
    """The least CPU time of *rounds* runs (steadier than wall time on a loaded machine)."""
    best, result = float("inf"), 0
    for _ in range(rounds):
        start = time.process_time()
        result = run()
        best = min(best, time.process_time() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus"
    parser.add_argument("--corpus", type=Path, default=default)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the pooled run (1: none)")
    args = parser.parse_args()
    pages = corpus_pages(args.corpus)
    if args.pages:
        pages = pages[: args.pages]
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "corpus.warc.gz"
        write_warc(pages, warc)
        plain = Path(tmp) / "corpus.warc"
        plain.write_bytes(gzip.decompress(warc.read_bytes()))
        print(f"pages: {len(pages)}; WARC {warc.stat().st_size / 1e6:.1f} MB gzipped, "
              f"{plain.stat().st_size / 1e6:.1f} MB plain")
        for label, file in (("warc.gz", warc), ("warc", plain)):
            t_warcio, n_warcio = best_of(args.rounds, lambda f=file: read_warcio(f))
            t_fast, n_fast = best_of(args.rounds, lambda f=file: read_fastwarc(f))
            assert n_warcio == n_fast, (n_warcio, n_fast)
            print(f"read {label:8s} (CPU) warcio {t_warcio * 1000:7.1f} ms   FastWARC "
                  f"{t_fast * 1000:7.1f} ms   FastWARC/warcio {t_fast / t_warcio:.2f}x "
                  f"({n_fast / 1e6:.1f} MB of payload)")
        # Interleaved, so that load from other processes falls on both sides alike; CPU time
        # (this process) beside wall time, as a shared machine's load inflates the wall clock.
        best: dict[str, tuple[float, float, int]] = {}
        runs = (("files", lambda: extract_files(pages)),
                ("WARC .warc.gz", lambda: extract_warc(warc)),
                ("WARC .warc", lambda: extract_warc(plain)))
        for _ in range(args.rounds):
            for label, run in runs:
                wall, cpu = time.perf_counter(), time.process_time()
                count = run()
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                old = best.get(label, (float("inf"), float("inf"), 0))
                best[label] = (min(old[0], wall), min(old[1], cpu), count)
        base_wall, base_cpu, base_count = best["files"]
        for label, (wall, cpu, count) in best.items():
            assert count == base_count, (label, count, base_count)
            print(f"extract from {label:14s} wall {wall:5.2f} s  CPU {cpu:5.2f} s"
                  f"  {len(pages) / cpu:5.0f} pages/CPU-s  {count} citations"
                  + ("" if label == "files" else f"  ratio to files: wall {wall / base_wall:.3f},"
                     f" CPU {cpu / base_cpu:.3f} (goal <= 1.1)"))
        if args.jobs > 1:
            # The CLI's path: extract_inputs over a process pool; the files get their URLs from
            # a manifest, the WARC is cut into spans of pages.  CPU: this process plus its
            # workers (each run's pool has exited, so its CPU time is counted).
            manifest = Path(tmp) / "urls.json"
            manifest.write_text(json.dumps({str(path): url for path, url, _ in pages}))
            pooled_best: dict[str, tuple[float, float]] = {}
            for _ in range(args.rounds):
                for label, source in (("files", manifest), ("WARC", warc)):
                    wall, cpu = time.perf_counter(), all_cpu()
                    count = pooled([str(source)], args.jobs)
                    wall, cpu = time.perf_counter() - wall, all_cpu() - cpu
                    assert count == base_count, (label, count, base_count)
                    old = pooled_best.get(label, (float("inf"), float("inf")))
                    pooled_best[label] = (min(old[0], wall), min(old[1], cpu))
            (f_wall, f_cpu), (w_wall, w_cpu) = pooled_best["files"], pooled_best["WARC"]
            print(f"with {args.jobs} workers: files wall {f_wall:.2f} s CPU {f_cpu:.2f} s;"
                  f" WARC (spans) wall {w_wall:.2f} s CPU {w_cpu:.2f} s; ratio WARC/files:"
                  f" wall {w_wall / f_wall:.3f}, CPU {w_cpu / f_cpu:.3f}")


def all_cpu() -> float:
    """CPU seconds of this process and of its children that have exited."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
