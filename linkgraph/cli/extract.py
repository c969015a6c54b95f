"""``linkgraph extract``: print citations, touching no store."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from typing import Any, Final

import click
from rich.console import Console
from rich.table import Table

from linkgraph.cli.common import (
    EXIT_CODES_HELP,
    InputTally,
    extraction_options,
    inputs_argument,
    read_extractions,
)
from linkgraph.records import Extraction

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
)


def citation_rows(extractions: Iterator[Extraction]) -> Iterator[dict[str, Any]]:
    """One flat row per citation, with the stable field names above."""
    for extraction in extractions:
        article = extraction.article
        for c in extraction.citations:
            yield {
                "origin": str(article.origin),
                "article_id": article.id,
                "article_url": article.url,
                "href": c.href,
                "url": c.url,
                "kind": c.kind.value,
                "text": c.text,
                "context": c.context,
                "domain": c.domain,
                "paragraph": c.paragraph,
                "position": c.position,
                "rel": " ".join(c.rel),
            }


def _shorten(text: str, limit: int) -> str:
    """*text* cut at a word boundary to about *limit* characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


@click.command("extract", epilog=EXIT_CODES_HELP)
@inputs_argument
@extraction_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default="jsonl",
    show_default=True,
    help="jsonl and csv for scripts (one row per citation), table for people.",
)
def command(
    inputs: tuple[str, ...], base: str | None, all_links: bool, jobs: int, fmt: str
) -> None:
    """Print the citations of INPUT... (files or folders) without storing anything.

    Each row is one link in an article body: where it came from (`origin`, `path#N` for
    the N-th record of a multi-record file), the raw `href`, the absolute `url` (null when
    it cannot be resolved), its `kind` (external, internal, fragment, mailto, tel,
    javascript, other, invalid, unresolvable, lost), anchor `text`, the `context` sentence,
    the registered `domain`, and its `paragraph` and `position` in the article.

    \b
    Examples:
      linkgraph extract examples/ukraine-arms.json --format table
      linkgraph extract saved/page.html --base https://example.com/news/1 > links.jsonl
      linkgraph extract exports/ -j 4 --format csv > citations.csv
    """
    if not inputs:
        raise click.UsageError("give at least one INPUT file or folder")
    tally = InputTally()
    rows = citation_rows(
        read_extractions(inputs, base=base, all_links=all_links, jobs=jobs, tally=tally)
    )
    if fmt == "jsonl":
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table(show_lines=False)
        table.add_column("#", justify="right")
        table.add_column("kind", no_wrap=True)
        table.add_column("text", ratio=1)
        table.add_column("domain", no_wrap=True)
        table.add_column("url / href", overflow="fold", ratio=2)
        table.add_column("context", ratio=2)
        for row in rows:
            table.add_row(
                str(row["position"]),
                row["kind"],
                row["text"],
                row["domain"] or "",
                row["url"] or row["href"] or "",
                _shorten(row["context"], 160),
            )
        Console().print(table)
    sys.exit(tally.exit_code)
