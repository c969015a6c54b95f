"""``linkgraph extract``: print citations, touching no store."""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Final

import click
from rich.console import Console
from rich.table import Table

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    InputTally,
    extraction_options,
    infer_option,
    inputs_argument,
    library_errors,
    read_extractions,
)
from linkgraph.extract.boilerplate import DropReason
from linkgraph.extract.explain import Explanation, LinkDecision, explain_links
from linkgraph.readers import read_input_pages
from linkgraph.records import CitationKind, Extraction, ReadFailure
from linkgraph.rows import cells
from linkgraph.workflow.corpus import no_articles, survey

# Stable names: other tools read these.  Add fields at the end; never rename.
FIELDS: Final = (
    "origin",
    "article_id",
    "article_url",
    "href",
    "url",
    "kind",
    "text",
    "context",
    "domain",
    "paragraph",
    "position",
    "rel",
    # How the target is known (linkgraph.records.Provenance): linked, recovered (from where,
    # when), inferred (the source key, the rule, the evidence, a confidence) or missing (why).
    "provenance_kind",
    "provenance_source_key",
    "provenance_rule",
    "provenance_evidence",
    "provenance_confidence",
    "provenance_recovered_from",
    "provenance_recovered_at",
    "provenance_note",
    "credentials",
)


def citation_rows(extractions: Iterator[Extraction]) -> Iterator[dict[str, Any]]:
    """One flat row per citation, with the stable field names above: the article's origin
    and URL, then the citation's cells (``linkgraph.rows``: as the store holds them)."""
    for extraction in extractions:
        article = extraction.article
        head = {"origin": str(article.origin), "article_url": article.url}
        for c in extraction.citations:
            row = {**head, **cells(c)}
            yield {name: row[name] for name in FIELDS}


# With --explain: one row per link of the page, citation or not.
EXPLAIN_FIELDS: Final = (
    "origin", "article_id", "index", "citation", "kind", "reason", "element", "text", "href",
    "picture",
)


def explanation_rows(explanations: Iterable[Explanation]) -> Iterator[dict[str, Any]]:
    """One flat row per link: the citation position and kind it got, or why it got none."""
    for explanation in explanations:
        article = explanation.article
        for link in explanation.links:
            yield {
                "origin": str(article.origin),
                "article_id": article.id,
                "index": link.index,
                "citation": link.citation.position if link.citation else None,
                "kind": link.citation.kind.value if link.citation else None,
                "reason": link.reason.value if link.reason else None,
                "element": link.element,
                "text": link.text,
                "href": link.href,
                # A picture with no text: kind "picture" (to an image file) is not a source.
                "picture": link.picture,
            }


def _explained(
    inputs: tuple[str, ...], base: str | None, manifest: str | None, tally: InputTally
) -> Iterator[Explanation]:
    for item in read_input_pages(inputs, base=base, manifest=manifest):
        if isinstance(item, ReadFailure):
            tally.failed(item)
            continue
        explanation = explain_links(item)
        article = item.article
        tally.articles += 1
        tally.warn(str(article.origin), (*article.warnings, *explanation.warnings))
        yield explanation


def _print_explanations(explanations: Iterable[Explanation]) -> None:
    console = Console()
    for explanation in explanations:
        links = explanation.links
        cited = sum(1 for link in links if link.citation is not None)
        if explanation.method == "all links":
            where = "article content, every link counts"
        elif explanation.body:
            where = f"body {explanation.body} ({explanation.method})"
        else:
            where = "no body"
        console.print(
            f"[bold]{explanation.article.origin}[/bold]: {where}; {cited} of {len(links)} links"
            " are citations", soft_wrap=True, highlight=False,
        )
        outside = [link for link in links if link.reason is DropReason.OUTSIDE_BODY]
        if outside:
            where_counts = Counter(link.element or "elsewhere" for link in outside).most_common(6)
            console.print(
                f"{len(outside)} links outside the body, not listed ("
                + ", ".join(f"{element}: {n}" for element, n in where_counts)
                + (", ..." if len(where_counts) == 6 else "") + "); --format jsonl lists them",
                soft_wrap=True, highlight=False,
            )
        table = Table()
        table.add_column("#", justify="right")
        table.add_column("citation", no_wrap=True)
        table.add_column("why not", ratio=1)
        table.add_column("element", overflow="fold")
        table.add_column("text", ratio=1)
        table.add_column("href", overflow="fold", ratio=2)
        for link in links:
            if link.reason is DropReason.OUTSIDE_BODY:
                continue
            table.add_row(
                str(link.index),
                _citation_cell(link),
                link.reason.value if link.reason else "",
                link.element or "",
                _shorten(link.text, 80),
                (link.href or "")[:72] + ("…" if len(link.href or "") > 72 else ""),
                style=None if link.citation else "dim",
            )
        console.print(table)


def _citation_cell(link: LinkDecision) -> str:
    """The citation column of the --explain table: position and kind, "-" for none; a picture
    link to a web page says so (it counts as a citation; one to an image file does not)."""
    citation = link.citation
    if citation is None:
        return "-"
    cell = f"{citation.position} {citation.kind.value}"
    return cell + " (picture)" if link.picture and citation.kind is not CitationKind.PICTURE \
        else cell


def _shorten(text: str, limit: int) -> str:
    """*text* cut at a word boundary to about *limit* characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@click.command("extract", epilog=EXIT_CODES_HELP)
@inputs_argument
@extraction_options
@infer_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl and csv for scripts (one row per citation), table for people.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="One row per link of the page, citation or not, with the rule that dropped it and "
    "the element to blame (fields: " + ", ".join(EXPLAIN_FIELDS) + "). Reads inputs one by one.",
)
def command(
    *, inputs: tuple[str, ...], base: str | None, manifest: str | None, all_links: bool,
    jobs: int, fmt: str, explain: bool, no_infer: bool,
) -> None:
    """Print the citations of INPUT... (files or folders) without storing anything.

    Each row is one link in an article body: where it came from (`origin`, `path#N` for
    the N-th record of a multi-record file), the raw `href`, the absolute `url` (null when
    it cannot be resolved), its `kind` (external, internal, picture: a picture alone linked to
    its image file, kept as a body link but no source; fragment, mailto, tel, javascript,
    other, invalid, unresolvable, lost, unlinked), anchor `text` (a picture's alt text), the
    `context`
    sentence, the registered `domain`, its `paragraph` and `position` in the article, how
    its target is known, `provenance_kind`: linked, inferred (a lost link, or a sentence
    crediting a source with no link, "unlinked": `provenance_source_key` its words name, the
    `provenance_rule`, `provenance_evidence`, `provenance_confidence`), recovered, or
    missing (a lost link left alone: `provenance_note` says why), and `credentials` (1 when
    the href carried a user name or password: they are removed from every field, and from
    everything linkgraph prints, stores or writes).

    \b
    Examples:
      linkgraph extract examples/ukraine-arms.json --format table
      linkgraph extract saved/page.html --base https://example.com/news/1 > links.jsonl
      linkgraph extract exports/ -j 4 --format csv > citations.csv
      linkgraph extract saved/page.html --explain --format table   # why each link is in or out
      linkgraph extract crawl.warc.gz --format csv       # every HTML capture of a web archive
      linkgraph extract saved/ --manifest urls.csv       # saved pages with their addresses
    """
    if not inputs:
        raise click.UsageError("give at least one INPUT file or folder")
    if explain and all_links:
        raise click.UsageError("--explain shows why links are left out; --all-links keeps all")
    tally = InputTally()
    if explain:
        with library_errors():
            survey(inputs)  # no input file at all: say what was found, print nothing else
        explanations = _explained(inputs, base, manifest, tally)
        if fmt == "table":
            _print_explanations(explanations)
        else:
            _write_rows(explanation_rows(explanations), EXPLAIN_FIELDS, fmt)
        _exit(inputs, tally)
    with library_errors():
        extractions = read_extractions(
            inputs, base=base, all_links=all_links, jobs=jobs, tally=tally, manifest=manifest,
            infer=not no_infer,
        )
    rows = citation_rows(extractions)
    if fmt != "table":
        _write_rows(rows, FIELDS, fmt)
    else:
        table = Table(show_lines=False)
        table.add_column("#", justify="right")
        table.add_column("kind", no_wrap=True)
        table.add_column("text", ratio=1)
        table.add_column("domain", no_wrap=True)
        table.add_column("url / href", overflow="fold", ratio=2)
        table.add_column("context", ratio=2)
        for row in rows:
            target = row["url"] or row["href"] or ""
            if row["provenance_kind"] == "inferred":
                target = (f"inferred: {row['provenance_source_key']}"
                          f" ({row['provenance_rule']})")
            table.add_row(
                str(row["position"]),
                row["kind"],
                row["text"],
                row["domain"] or "",
                target,
                _shorten(row["context"], 160),
            )
        Console().print(table)
    _exit(inputs, tally)


def _exit(inputs: tuple[str, ...], tally: InputTally) -> None:
    """Exit with the tally's code; when the inputs were read but held no article, say so
    (exit 4; each input that could not be read was named as it came)."""
    if not tally.articles and not tally.failures:
        with library_errors():
            raise no_articles(inputs, tally, done="nothing printed")
    sys.exit(tally.exit_code)


def _write_rows(rows: Iterable[dict[str, Any]], fields: tuple[str, ...], fmt: str) -> None:
    """Rows as JSON Lines or CSV on stdout."""
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
