"""Which way ``linkgraph report`` goes, and the options a way cannot honour.

A report is made in memory (charts, HTML), streamed over a store (``--streamed``, or by
itself above the streaming threshold: report.json, report.md and per-article files), or on
a Dask cluster (``--scheduler``: INPUT files read by the workers).  An option the chosen way
cannot honour is never dropped without a word: asked for together on the command line, the
two are a usage error (exit 2) saying what to do instead; when the way was chosen for the
user (the ``LINKGRAPH_SCHEDULER`` variable, a store above the threshold), a note says what
happens and the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

import click
from click.core import ParameterSource

from linkgraph.cli.common import tell

# Options (parameter name -> how the user spells it) each way cannot honour.
CLUSTER_CANNOT: Final = {"check": "--check", "svg": "--svg", "recover": "--recover"}
STREAMED_CANNOT: Final = {"check": "--check", "svg": "--svg", "recover": "--recover"}


def _given(ctx: click.Context, names: Mapping[str, str]) -> list[str]:
    """The options of *names* the user gave (on the command line, or by an environment
    variable), as spelled."""
    return [spelled for name, spelled in names.items()
            if ctx.params.get(name) and ctx.get_parameter_source(name) in (
                ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)]


def on_cluster(ctx: click.Context, *, scheduler: str | None, files: bool) -> bool:
    """True when the report runs on the cluster at *scheduler*: INPUT files (*files*) and no
    option the cluster cannot honour.  Otherwise a usage error when ``--scheduler`` was given,
    a note when it came from ``LINKGRAPH_SCHEDULER`` (the report then runs here)."""
    if not scheduler:
        return False
    from_env = ctx.get_parameter_source("scheduler") is ParameterSource.ENVIRONMENT
    clash = _given(ctx, CLUSTER_CANNOT)
    if not files:
        what = "only INPUT files are reported on a cluster (its workers read them)"
        here, hint = "the report of a store or a site's address", "or give the INPUT files"
    elif clash:
        what = (f"the cluster report cannot honour {', '.join(clash)} (it writes report.json,"
                " report.md and Parquet: no charts, link checks or recovery)")
        here, hint = "a report with those options", f"or {', '.join(clash)}"
    else:
        return True
    if from_env:
        tell(logging.WARNING, f"LINKGRAPH_SCHEDULER is set, but {what}: this report runs on"
                              " this machine", label="note")
        return False
    raise click.UsageError(f"--scheduler: {what}; {here} is made on this machine: drop"
                           f" --scheduler {hint}")


def check_streamed(ctx: click.Context, *, streamed: bool, files: bool) -> None:
    """``--streamed`` streams over a store (or what was collected from a site's address): a
    usage error with INPUT files, or with an option the streamed report cannot honour."""
    if not streamed:
        return
    if files:
        raise click.UsageError(
            "--streamed streams over a store: ingest the INPUT files first, then report the"
            " store (linkgraph ingest INPUT... --db news.db; linkgraph report --db news.db"
            " --streamed), or drop --streamed (INPUT files are reported in memory)")
    clash = _given(ctx, STREAMED_CANNOT)
    if clash:
        raise click.UsageError(
            f"--streamed cannot honour {', '.join(clash)}: a streamed report has no charts,"
            " checks no links and recovers nothing; check the links first (linkgraph check"
            " --db DB), then report --streamed, or drop --streamed")


def note_streamed(ctx: click.Context, *, articles: str) -> None:
    """A note for the options a streamed report chosen by itself (above the threshold)
    cannot honour."""
    clash = [spelled for spelled in _given(ctx, STREAMED_CANNOT) if spelled != "--check"]
    if clash:
        tell(logging.WARNING, f"{articles}: the report is streamed (report.json, report.md and"
                              f" per-article files), so {', '.join(clash)} does nothing",
             label="note")
