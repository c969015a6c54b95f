"""A corpus from inputs or from a store: the one place that makes that choice.

Every command that reads articles either reads INPUT files and folders or, when none are
given, an existing store.  ``load_corpus`` makes the choice, ``InputCounts`` counts what the
inputs gave (and hands each failure and warning on), ``ingest`` stores inputs.

>>> with load_corpus(["examples/ukraine-arms.json"], None) as corpus:  # doctest: +SKIP
...     analysis = analyse(corpus.extractions)
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from linkgraph.errors import NoInputError, NoReadableInput
from linkgraph.pipeline import Prepared, extract_inputs, fill_sentences
from linkgraph.readers import InputSurvey, printable_name, survey_inputs
from linkgraph.records import CheckResult, Extraction, ReadFailure
from linkgraph.repair import without_inference
from linkgraph.repair.recover import RecoverOptions
from linkgraph.sources import Registry
from linkgraph.store import DEFAULT_DB, PreparedArticle, Store, prepare_rows
from linkgraph.workflow.recover import recover_extractions

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How inputs are read and extracted (``--base``, ``--manifest``, ``--all-links``,
    ``--jobs``, ``--no-infer``, ``--recover``)."""

    base: str | None = None  # page URL for saved HTML pages
    manifest: str | None = None  # a file of saved pages' URLs (linkgraph.readers.manifest)
    all_links: bool = False  # keep every link of a full page, not only the body's
    jobs: int = 1  # worker processes
    sentences: bool = True  # the body's sentences, for analysis (printing citations skips them)
    # Infer the sources of lost links and unlinked attributions (linkgraph.repair); off, a
    # store's inferred citations are left out too.
    infer: bool = True
    # Recover damaged articles from their originals (network; ``--recover``): None, never.
    recover: RecoverOptions | None = None


DEFAULT_READ: Final = ReadOptions()


class InputCounts:
    """Counts what came out of the inputs.  Each failure and warning goes to ``tell_failure``
    and ``tell_warning``, which log here and which the command line overrides to print them
    as they come."""

    def __init__(self) -> None:
        self.articles = 0
        self.citations = 0
        self.failures = 0

    def watch(self, items: Iterable[Extraction | ReadFailure]) -> Iterator[Extraction]:
        """Pass extractions through, counting them and handing on failures and warnings."""
        for item in items:
            if isinstance(item, ReadFailure):
                self.failed(item)
                continue
            self.articles += 1
            self.citations += len(item.citations)
            self.warn(str(item.article.origin), (*item.article.warnings, *item.warnings))
            yield item

    def watch_prepared(
        self, items: Iterable[PreparedArticle | Extraction | ReadFailure]
    ) -> Iterator[PreparedArticle]:
        """``watch`` for articles whose store rows were made where they were extracted
        (``extract_inputs(prepare=prepare_rows)``; an extraction given is prepared here)."""
        for item in items:
            if isinstance(item, ReadFailure):
                self.failed(item)
                continue
            prepared = prepare_rows(item) if isinstance(item, Extraction) else item
            self.articles += 1
            self.citations += prepared.citations
            self.warn(prepared.origin, prepared.warnings)
            yield prepared

    def failed(self, item: ReadFailure) -> None:
        """Count one input that could not be read, and tell of it."""
        self.failures += 1
        self.tell_failure(item)

    def warn(self, origin: str, warnings: Iterable[str]) -> None:
        """Tell the warnings about one input."""
        for warning in warnings:
            self.tell_warning(origin, warning)

    def tell_failure(self, item: ReadFailure) -> None:
        log.warning("%s", named(str(item.origin), item.message))

    def tell_warning(self, origin: str, warning: str) -> None:
        log.warning("%s", named(origin, warning))

    def tell_note(self, origin: str, note: str) -> None:
        """What recovery did for one damaged input (``--recover``)."""
        log.info("%s", named(origin, note))


def named(origin: str, message: str) -> str:
    """*message* led by the input it is about, unless it already names it."""
    return message if message.startswith(origin) else f"{origin}: {message}"


def store_to_read(inputs: Sequence[str], db: str | None) -> str | None:
    """The store to read: ``None`` when there are inputs, else *db* (or the default store),
    which must exist: reading never creates a store.  ``NoInputError`` otherwise."""
    if inputs:
        return None
    path = db or DEFAULT_DB
    if not Path(path).is_file():
        raise NoInputError(
            f"give INPUT files or folders, or an existing store with --db ({path} does not exist)"
        )
    return path


def no_articles(inputs: Sequence[str], counts: InputCounts, *,
                done: str = "nothing written") -> NoReadableInput:
    """The error of a run whose *inputs* gave no article at all (exit 4, *done* says what was
    left alone): none could be read (each failure was told as it came), or they hold none
    (an empty list of posts, an empty JSON Lines file, a web archive without an HTML page)."""
    if counts.failures:
        return NoReadableInput(f"no input could be read; {done}")
    names = [printable_name(i) if i != "-" else "stdin" for i in inputs]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return NoReadableInput(f"no articles found in {shown} (an empty list of posts, or no post,"
                           f" page or capture in it); {done}")


def empty_store(path: str) -> NoReadableInput:
    """The error of reading a store that holds no article (exit 4): nothing to work on."""
    return NoReadableInput(f"{printable_name(path)}: the store holds no articles; nothing"
                           " written (add some: linkgraph ingest INPUT... --db"
                           f" {printable_name(path)})")


def open_store_to_read(path: str) -> Store:
    """The store at *path* (an existing one: ``store_to_read``), open; ``empty_store`` when
    it holds no article."""
    store = Store(path)
    try:
        if store.article_count() == 0:
            raise empty_store(path)
    except BaseException:
        store.close()
        raise
    return store


def survey(inputs: Sequence[str]) -> InputSurvey:
    """What *inputs* hold, before anything is read or created: ``NoReadableInput`` (with what
    was found and skipped) when they hold no input file at all."""
    found = survey_inputs(inputs)
    if not found.files:
        raise NoReadableInput(f"{found.describe()}; nothing read, nothing written")
    for folder in found.folders:
        if folder.files and folder.skipped:
            log.info("%s", folder.describe())
    return found


def _extract(
    found: InputSurvey, read: ReadOptions, registry: Registry | None = None,
    prepare: Callable[[Extraction], Prepared] | None = None,
) -> Iterator[Extraction | Prepared | ReadFailure]:
    """Extractions of the surveyed inputs in input order (each passed through *prepare* where
    it was made, when given), with a failure for each input that holds nothing (a missing
    path, a folder without input files) where it was given."""
    def extracted(paths: list[str]) -> Iterator[Extraction | Prepared | ReadFailure]:
        return extract_inputs(paths, base=read.base, all_links=read.all_links, jobs=read.jobs,
                              sentences=read.sentences, manifest=read.manifest, infer=read.infer,
                              registry=registry, prepare=prepare)

    paths: list[str] = []
    for item in found.inputs():
        if isinstance(item, ReadFailure):
            yield from extracted(paths)
            paths = []
            yield item
        else:
            paths.append(item)
    yield from extracted(paths)


def read_inputs(
    inputs: Sequence[str], read: ReadOptions, counts: InputCounts,
    registry: Registry | None = None,
) -> Iterator[Extraction]:
    """Extractions of *inputs* in input order, failures and warnings through *counts*;
    sources are inferred with *registry* (the packaged one by default).

    Raises ``NoReadableInput`` at once when the inputs hold no input file at all."""
    return recovered(counts.watch(_extract(survey(inputs), read, registry)), read, counts,
                     registry)


def recovered(extractions: Iterable[Extraction], read: ReadOptions, counts: InputCounts,
              registry: Registry | None = None) -> Iterator[Extraction]:
    """*extractions*, damaged articles recovered from their originals when *read* says so."""
    if read.recover is None:
        return iter(extractions)
    return recover_extractions(extractions, read.recover, all_links=read.all_links,
                               sentences=read.sentences, infer=read.infer, registry=registry,
                               on_note=counts.tell_note)


@dataclass(frozen=True, slots=True)
class Corpus:
    """The articles to analyse and the stored link checks (none when read from inputs)."""

    extractions: Iterable[Extraction]  # streamed: read it once
    histories: Mapping[str, list[CheckResult]] = field(default_factory=dict)
    store: str | None = None  # the store read, None when read from inputs


@contextmanager
def load_corpus(
    inputs: Sequence[str],
    db: str | None,
    *,
    read: ReadOptions = DEFAULT_READ,
    counts: InputCounts | None = None,
    sentences: bool = False,
    registry: Registry | None = None,
) -> Iterator[Corpus]:
    """The corpus of *inputs*, or of the store *db* when there are none (it stays open for
    the ``with`` block, while its extractions are streamed).

    With *sentences*, articles stored before the store's schema 2 get their body sentences
    (for the attribution findings), extracted again once and stored back.
    """
    path = store_to_read(inputs, db)
    if path is None:
        yield Corpus(read_inputs(inputs, read, counts or InputCounts(), registry))
        return
    with open_store_to_read(path) as store:
        extractions: Iterable[Extraction] = store.extractions()
        if sentences:
            extractions, filled = fill_sentences(extractions)
            store.put_sentences(filled)
        if not read.infer:
            extractions = (without_inference(e) for e in extractions)
        extractions = recovered(extractions, read, counts or InputCounts(), registry)
        yield Corpus(extractions, store.check_histories(), path)


@dataclass(frozen=True, slots=True)
class Ingested:
    """What an ingest stored, and the store's totals afterwards."""

    store: str
    stored: int  # articles stored (or replaced) by this run
    totals: Mapping[str, int]  # ``Store.counts()``: articles, citations, ... in the store
    before: int = 0  # articles the store held before this run

    @property
    def new(self) -> int:
        """Articles the store did not hold before (the rest replaced one: the same post or
        canonical URL, stored before or read earlier in this run)."""
        return self.totals["articles"] - self.before

    @property
    def replaced(self) -> int:
        """Articles stored that replaced one already there (see ``new``)."""
        return self.stored - self.new


def ingest(
    inputs: Sequence[str],
    db: str | None,
    *,
    read: ReadOptions = DEFAULT_READ,
    counts: InputCounts | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> Ingested:
    """Store the articles and citations of *inputs* in *db* (the default store if ``None``);
    inputs that cannot be read are recorded in the store too.  *on_progress* hears the
    article count every 100 articles.

    The store is opened (and created) only once an article has been read: when the inputs
    give none (``no_articles``: none readable, or all empty), nothing is written and no store
    is created."""
    if not inputs:
        raise NoInputError("give at least one INPUT file or folder")
    found = survey(inputs)  # before the store is opened: no input, no store created
    tally = counts or InputCounts()
    path = db or DEFAULT_DB
    failures: list[ReadFailure] = []  # read failures not yet recorded in the store

    def kept(items: Iterable[T | ReadFailure]) -> Iterator[T | ReadFailure]:
        for item in items:
            if isinstance(item, ReadFailure):
                failures.append(item)
            yield item

    def read_articles() -> Iterator[Extraction | PreparedArticle]:
        if read.recover is None:
            # Rows are made where each article is extracted (the worker processes with
            # --jobs); this process only writes them.
            yield from tally.watch_prepared(kept(_extract(found, read, prepare=prepare_rows)))
        else:  # damaged articles are recovered here, and replace their extractions
            yield from recovered(tally.watch(kept(_extract(found, read))), read, tally)

    articles = read_articles()
    try:
        first: Extraction | PreparedArticle = next(articles)
    except StopIteration:
        raise no_articles(inputs, tally, done="nothing stored" + (
            "" if Path(path).exists() else ", no store created")) from None
    with Store(path) as store:
        before = store.article_count()

        def record_failures() -> None:
            for failure in failures:
                store.put_failure(failure)
            failures.clear()

        def counted() -> Iterator[Extraction | PreparedArticle]:
            for item in itertools.chain((first,), articles):
                record_failures()
                yield item
                if on_progress is not None and tally.articles % 100 == 0:
                    on_progress(tally.articles)

        stored = store.put_extractions(counted())
        record_failures()
        return Ingested(path, stored, store.counts(), before)
