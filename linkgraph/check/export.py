"""Check results as flat rows with stable field names, and the run summary (JSON, JSONL, CSV).

Field names are stable: other tools read them.  Add fields at the end; never rename.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, Final

from linkgraph.records import FAILING_VERDICTS, CheckResult, LinkStatus, Verdict

FIELDS: Final = (
    "url", "verdict", "status", "final_url", "redirects", "error", "attempts", "checked_at",
    "archive_url", "permanent_redirect", "failures", "confirmed_dead",
)


def result_row(result: CheckResult, status: LinkStatus | None = None) -> dict[str, Any]:
    """One result as a JSON-ready dict (``status`` is the HTTP status code)."""
    return {
        "url": result.url,
        "verdict": result.verdict.value,
        "status": result.status,
        "final_url": result.final_url,
        "redirects": list(result.redirects),
        "error": result.error,
        "attempts": result.attempts,
        "checked_at": result.checked_at.isoformat(),
        "archive_url": result.archive_url,
        "permanent_redirect": result.permanent_redirect,
        "failures": status.failures if status else None,
        "confirmed_dead": status.confirmed_dead if status else False,
    }


def summarize(
    results: Iterable[CheckResult], statuses: Mapping[str, LinkStatus]
) -> dict[str, Any]:
    """Counts per verdict (every verdict listed), failing and confirmed-dead links."""
    counts = Counter(r.verdict for r in results)
    return {
        "checked": sum(counts.values()),
        "by_verdict": {v.value: counts.get(v, 0) for v in Verdict},
        "failing": sum(counts[v] for v in FAILING_VERDICTS),
        "confirmed_dead": sum(1 for s in statuses.values() if s.confirmed_dead),
    }


def json_text(
    results: list[CheckResult],
    statuses: Mapping[str, LinkStatus],
    *,
    extra_summary: Mapping[str, Any] | None = None,
) -> str:
    """``{"results": [...], "summary": {...}}`` as indented JSON text."""
    summary = summarize(results, statuses) | dict(extra_summary or {})
    document = {"results": [result_row(r, statuses.get(r.url)) for r in results],
                "summary": summary}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def jsonl_text(results: list[CheckResult], statuses: Mapping[str, LinkStatus]) -> str:
    """One JSON object per result and line."""
    return "".join(
        json.dumps(result_row(r, statuses.get(r.url)), ensure_ascii=False) + "\n" for r in results
    )


def csv_text(results: list[CheckResult], statuses: Mapping[str, LinkStatus]) -> str:
    """CSV with a header row; redirects are joined with spaces."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in results:
        row = result_row(r, statuses.get(r.url))
        row["redirects"] = " ".join(row["redirects"])
        writer.writerow(row)
    return buffer.getvalue()
