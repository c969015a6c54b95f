"""Inputs to extractions: read every input, extract every article, in input order.

Each reader hands extraction a parsed page (``linkgraph.readers.read_pages``); the page and
its tree never leave the process that parsed it.  With ``jobs > 1`` the files are spread over
a process pool and each worker returns ``Extraction`` records (plain data: they pickle); results
still come back in input order, and only a bounded window of files is in flight, so memory
stays flat however many inputs there are.

>>> from linkgraph.pipeline import extract_inputs
>>> for item in extract_inputs(["examples/"]):   # doctest: +SKIP
...     print(item)
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import Final, TypeVar

from linkgraph.extract.extractor import extract
from linkgraph.readers import (
    MAX_INPUT_BYTES,
    STDIN,
    plan_inputs,
    read_pages,
    web_archive_spans,
)
from linkgraph.readers.parsed import ParsedPage
from linkgraph.readers.warc import Span
from linkgraph.records import Article, Extraction, ReadFailure
from linkgraph.repair import infer_sources
from linkgraph.sources import Registry

ARCHIVE_SPAN_PAGES: Final = 8  # pages of a WARC file per worker task (small: even load)
# What *prepare* makes of an extraction where it was made (ingest: the store's rows).
Prepared = TypeVar("Prepared")


def default_jobs() -> int:
    """The default worker count: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def extract_page(
    page: ParsedPage | Article,
    *,
    all_links: bool = False,
    sentences: bool = True,
    infer: bool = True,
    registry: Registry | None = None,
) -> Extraction:
    """Extract one parsed page (or a bare article); with *infer*, infer the sources of its
    lost links and unlinked attributions (``linkgraph.repair``)."""
    # Inference reads the body's sentences (unlinked attributions, the country the text is
    # about): made for it even where the caller does not keep them.
    extraction = extract(page, all_links=all_links, sentences=sentences or infer)
    if infer:
        extraction = infer_sources(extraction, extraction.sentences or (), registry)
        if not sentences:
            extraction = replace(extraction, sentences=None)
    return extraction


def extract_file(
    path: str,
    *,
    base: str | None = None,
    all_links: bool = False,
    max_bytes: int = MAX_INPUT_BYTES,
    sentences: bool = True,
    span: Span | None = None,
    infer: bool = True,
    registry: Registry | None = None,
    prepare: Callable[[Extraction], Prepared] | None = None,
) -> list[Extraction | Prepared | ReadFailure]:
    """Read and extract every article of one input file (or of one *span* of a WARC file),
    each passed through *prepare*, when given, where it was extracted."""
    results: list[Extraction | Prepared | ReadFailure] = []
    for item in read_pages(path, base=base, max_bytes=max_bytes, span=span):
        if isinstance(item, ReadFailure):
            results.append(item)
            continue
        extraction = extract_page(item, all_links=all_links, sentences=sentences, infer=infer,
                                  registry=registry)
        results.append(prepare(extraction) if prepare is not None else extraction)
    return results


def extract_inputs(
    paths: Iterable[str],
    *,
    base: str | None = None,
    all_links: bool = False,
    jobs: int = 1,
    max_bytes: int = MAX_INPUT_BYTES,
    sentences: bool = True,
    manifest: str | None = None,
    infer: bool = True,
    registry: Registry | None = None,
    prepare: Callable[[Extraction], Prepared] | None = None,
) -> Iterator[Extraction | Prepared | ReadFailure]:
    """Read and extract every input (files or folders), yielding results in input order.

    Files that cannot be read come back as ``ReadFailure`` values and the batch goes on.
    ``sentences=False`` skips the body's sentences (only analysis reads them).  Each page
    resolves against its URL from a manifest (``linkgraph.readers.plan_inputs``), else *base*.
    With *infer*, the sources of lost links and unlinked attributions are inferred.
    ``-`` is standard input, read in this process.  *prepare* (a module-level function: it
    is sent to the worker processes) runs on each extraction in the process that made it and
    its result comes back instead, e.g. ``linkgraph.store.prepare_rows`` for ingest (the
    store's rows: cheaper to send back than the records).
    """
    files = plan_inputs(paths, base=base, manifest=manifest)
    if jobs <= 1:
        for planned in files:
            yield from extract_file(
                planned.path, base=planned.base, all_links=all_links, max_bytes=max_bytes,
                sentences=sentences, infer=infer, registry=registry, prepare=prepare,
            )
        return
    window = jobs * 4
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[Extraction | Prepared | ReadFailure]]] = deque()
        for planned in files:
            if planned.path == STDIN:  # standard input is the parent's: workers have none
                while pending:
                    yield from pending.popleft().result()
                yield from extract_file(planned.path, base=planned.base, all_links=all_links,
                                        max_bytes=max_bytes, sentences=sentences, infer=infer,
                                        registry=registry, prepare=prepare)
                continue
            # A WARC file is cut into spans of pages, so that one archive keeps every worker
            # busy and no worker holds a whole archive's extractions.
            spans: Iterable[Span | None] = [None]
            if (found := web_archive_spans(planned.path, ARCHIVE_SPAN_PAGES)) is not None:
                spans = found
            for span in spans:
                pending.append(
                    pool.submit(
                        extract_file, planned.path, base=planned.base, all_links=all_links,
                        max_bytes=max_bytes, sentences=sentences, span=span, infer=infer,
                        registry=registry, prepare=prepare,
                    )
                )
                if len(pending) >= window:
                    yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def fill_sentences(
    extractions: Iterable[Extraction],
) -> tuple[list[Extraction], list[Extraction]]:
    """Every extraction with its body sentences, and those that had to get them.

    Extractions stored before the store's schema 2 come back with ``sentences=None``: their
    stored HTML is extracted again for its sentences (the stored citations are kept as they
    are).  Store the second list back (``Store.put_sentences``) so that this happens once.
    """
    complete: list[Extraction] = []
    filled: list[Extraction] = []
    for stored in extractions:
        extraction = stored
        if stored.sentences is None:
            extraction = replace(stored, sentences=extract(stored.article).sentences)
            filled.append(extraction)
        complete.append(extraction)
    return complete, filled
