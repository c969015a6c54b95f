"""The reproducibility block: what produced a report, from what, with which options."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from linkgraph import __version__
from linkgraph.analysis.records import Analysis
from linkgraph.readers.sniff import printable_name
from linkgraph.urls import psl_snapshot


@dataclass(frozen=True, slots=True)
class ReportMeta:
    """Everything needed to reproduce a report (printed in each format)."""

    linkgraph_version: str
    inputs: tuple[str, ...]  # input paths as given, or the store path
    counts: tuple[tuple[str, int], ...]  # ("articles", 1), ("read failures", 0), ...
    options: tuple[tuple[str, str], ...]  # ("base", "https://..."), ("all_links", "false"), ...
    psl_snapshot: str  # linkgraph.urls.psl_snapshot()
    registry_version: str  # outlet registry version, "none" when there is no registry
    check_dates: tuple[datetime, datetime] | None  # earliest and latest check, if any
    generated_at: datetime  # timezone-aware
    # What the reader must know before trusting the figures (e.g. links that could not be
    # verified because the resolver did not answer); shown near the top of every format.
    notes: tuple[str, ...] = ()

    @classmethod
    def collect(
        cls,
        analysis: Analysis,
        *,
        inputs: Sequence[str],
        options: Iterable[tuple[str, str]] = (),
        counts: Iterable[tuple[str, int]] = (),
        now: datetime | None = None,
        notes: Iterable[str] = (),
    ) -> ReportMeta:
        """The block for *analysis*: versions, input counts and check dates filled in.

        >>> meta = ReportMeta.collect(analysis, inputs=["post.json"])  # doctest: +SKIP
        """
        base = [
            ("articles", len(analysis.articles)),
            ("citations", len(analysis.citations)),
            ("outlets", len(analysis.outlets)),
            ("checked URLs", len(analysis.link_status)),
        ]
        dates = [s.latest.checked_at for s in analysis.link_status.values()]
        dates += [s.first_failure for s in analysis.link_status.values() if s.first_failure]
        return cls(
            linkgraph_version=__version__,
            inputs=tuple(printable_name(path) for path in inputs),  # safe to print
            counts=tuple(base + list(counts)),
            options=tuple(options),
            psl_snapshot=psl_snapshot(),
            registry_version=analysis.summary.registry_version,
            check_dates=(min(dates), max(dates)) if dates else None,
            generated_at=now or datetime.now(UTC),
            notes=tuple(notes),
        )

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) pairs for display, in a fixed order."""
        checks = (
            f"{self.check_dates[0]:%Y-%m-%d %H:%M} to {self.check_dates[1]:%Y-%m-%d %H:%M} UTC"
            if self.check_dates
            else "no link checks"
        )
        return [
            ("linkgraph version", self.linkgraph_version),
            ("generated", self.generated_at.isoformat(timespec="seconds")),
            ("inputs", ", ".join(self.inputs) or "none"),
            ("counts", ", ".join(f"{k}: {v:,}" for k, v in self.counts)),
            ("options", ", ".join(f"{k}={v}" for k, v in self.options) or "defaults"),
            ("Public Suffix List snapshot", self.psl_snapshot),
            ("outlet registry version", self.registry_version),
            ("link checks", checks),
        ]

