"""Recovery on the way in: ``linkgraph repair`` (repaired copies in a folder) and
``--recover`` on ``ingest`` and ``report`` (the same, on the fly).

A damaged article (lost links, text cut off) is fetched again from where it came from
(``linkgraph.repair.recover``), repaired, and extracted again: restored links have the
provenance ``recovered``; inference then runs only for what could not be recovered.  Offline,
or when nothing matches, the article stays as it was and each lost link keeps the reason.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from linkgraph.errors import NoInputError, NoReadableInput, OutputError
from linkgraph.pipeline import extract_page
from linkgraph.readers import InputSurvey, iter_input_files, read_pages, survey_inputs
from linkgraph.records import (
    Article,
    BodyKind,
    CitationKind,
    Extraction,
    Provenance,
    ProvenanceKind,
    ReadFailure,
)
from linkgraph.repair import infer_sources
from linkgraph.repair.recover import RecoverOptions, Recovery, needs_repair, recover_articles
from linkgraph.sources import Registry

__all__ = ["RepairRun", "recover_extractions", "repair_inputs"]

_BATCH: Final = 50  # articles recovered per event loop (streamed between batches)
_POST_ID: Final = re.compile(r"^wp:[^:]+:(\d+)$")


def _missing_because(extraction: Extraction, note: str) -> Extraction:
    """Lost links of *extraction* that stayed lost say why (the recovery's note)."""
    return replace(extraction, citations=tuple(
        replace(c, provenance=Provenance(ProvenanceKind.MISSING, note=f"not recovered: {note}"))
        if c.kind is CitationKind.LOST and c.provenance.kind is ProvenanceKind.MISSING else c
        for c in extraction.citations
    ))


def _reextract(recovery: Recovery, *, all_links: bool, sentences: bool, infer: bool,
               registry: Registry | None) -> Extraction:
    base = extract_page(recovery.article, all_links=all_links, sentences=sentences or infer,
                        infer=False)
    base = _missing_because(base, recovery.note)
    if infer:
        base = infer_sources(base, base.sentences or (), registry)
    return base if sentences else replace(base, sentences=None)


def recover_extractions(
    extractions: Iterable[Extraction],
    options: RecoverOptions,
    *,
    all_links: bool = False,
    sentences: bool = True,
    infer: bool = True,
    registry: Registry | None = None,
    on_note: Callable[[str, str], None] | None = None,
) -> Iterator[Extraction]:
    """*extractions* with each damaged article recovered from its original and extracted
    again (undamaged ones pass through as they are).  *on_note* hears ``(origin, note)`` for
    each damaged article: what was restored from where, or why nothing was."""
    batch: list[Extraction] = []

    def flush() -> Iterator[Extraction]:
        damaged = [e for e in batch if needs_repair(e.article)]
        recoveries = iter(recover_articles([e.article for e in damaged], options)
                          if damaged else [])
        for extraction in batch:
            if not needs_repair(extraction.article):
                yield extraction
                continue
            recovery = next(recoveries)
            if on_note is not None:
                on_note(str(extraction.article.origin), recovery.note)
            yield _reextract(recovery, all_links=all_links, sentences=sentences, infer=infer,
                             registry=registry)
        batch.clear()

    for extraction in extractions:
        batch.append(extraction)
        if len(batch) >= _BATCH:
            yield from flush()
    yield from flush()


@dataclass(frozen=True, slots=True)
class RepairRun:
    """What ``repair_inputs`` wrote: each input record's recovery and its repaired file."""

    written: tuple[tuple[Recovery, Path], ...]
    failures: tuple[ReadFailure, ...]


def _post_of(article: Article) -> dict[str, Any]:
    """A WordPress post object that linkgraph reads back as *article* (the repaired body)."""
    post: dict[str, Any] = {}
    number = _POST_ID.match(article.id)
    if number is not None:
        post["id"] = int(number.group(1))
    if article.published is not None:
        post["date_gmt"] = article.published.strftime("%Y-%m-%dT%H:%M:%S")
    if article.modified is not None:
        post["modified_gmt"] = article.modified.strftime("%Y-%m-%dT%H:%M:%S")
    if article.guid:
        post["guid"] = {"rendered": article.guid}
    if article.url:
        post["link"] = article.url
    post["title"] = {"rendered": html.escape(article.title, quote=False)}
    post["content"] = {"rendered": article.html}
    if article.rest_url:
        post["_links"] = {"self": [{"href": article.rest_url}]}
    return post


def _check_out(inputs: Sequence[str], out: Path) -> None:
    """Refuse an --out folder that holds (or is) an input: an input is never overwritten."""
    target = out.resolve()
    for raw in inputs:
        path = Path(raw).resolve()
        folder = path if path.is_dir() else path.parent
        inside = path.is_dir() and folder in target.parents  # read again with that folder
        if target == folder or inside:
            raise OutputError(f"--out {out} is the folder of the input {raw}: choose another"
                              " folder (repair never overwrites an input)")


def _paths(found: InputSurvey, failures: list[ReadFailure]) -> Iterator[str]:
    """The input files of *found* in order; an input that holds nothing is a failure."""
    for item in found.inputs():
        if isinstance(item, ReadFailure):
            failures.append(item)
        else:
            yield from iter_input_files([item])


def _make(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {out}: {exc.strerror or exc}") from exc


def repair_inputs(inputs: Sequence[str], out: Path, options: RecoverOptions) -> RepairRun:
    """Write a repaired copy of every article of *inputs* into *out*: WordPress posts as post
    JSON, pages as HTML, named after their input (``-<record>`` for many in one file).

    *out* is created with the first article written: when the inputs hold no article, the
    run's ``written`` is empty and nothing was created.  ``NoReadableInput`` (what was found
    and skipped) when they hold no input file at all."""
    if not inputs:
        raise NoInputError("give at least one INPUT file or folder")
    found = survey_inputs(inputs)
    if not found.files:  # no input file at all: said, and *out* is not created
        raise NoReadableInput(f"{found.describe()}; nothing read, nothing written")
    _check_out(inputs, out)
    written: list[tuple[Recovery, Path]] = []
    failures: list[ReadFailure] = []
    protected = {Path(p).resolve() for p in iter_input_files(inputs)}
    for path in _paths(found, failures):
        articles: list[Article] = []
        for item in read_pages(path):
            if isinstance(item, ReadFailure):
                failures.append(item)
            else:
                articles.append(item.article)
        recoveries = recover_articles(articles, options)
        stem = Path(path).name
        for suffix in (".gz", ".json", ".jsonl", ".html", ".htm"):
            stem = stem.removesuffix(suffix)
        for recovery in recoveries:
            article = recovery.article
            record = article.origin.record
            name = stem if record is None else f"{stem}-{record}"
            if article.body_kind is BodyKind.FRAGMENT:
                target = out / f"{name}.json"
                text = json.dumps(_post_of(article), ensure_ascii=False, indent=1)
            else:
                target = out / f"{name}.html"
                text = article.html
            if target.resolve() in protected:
                raise OutputError(f"{target} is an input: repair never overwrites an input")
            if not written:  # created for the first article only: nothing found, no folder
                _make(out)
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from exc
            written.append((recovery, target))
    return RepairRun(tuple(written), tuple(failures))
