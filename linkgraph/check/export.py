"""Check results for people and tools: flat rows with stable field names and the run summary
(JSON, JSONL, CSV), Markdown for pull-request comments, JUnit XML and SARIF for CI systems.

Field names are stable: other tools read them.  Add fields at the end; never rename.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

from linkgraph.records import FAILING_VERDICTS, CheckResult, LinkStatus, Verdict
from linkgraph.urls import HTTP_SCHEMES, hostname, scheme_of, strip_credentials
from linkgraph.web.identity import PROJECT_URL, VERSION

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


def detail(result: CheckResult, status: LinkStatus | None) -> str:
    """One line on what a result means: its error kind, where it moved, its standing over
    its history, the archive's capture.

    >>> from datetime import datetime, UTC
    >>> detail(CheckResult("http://a.test/", datetime.now(UTC), Verdict.REDIRECTED,
    ...                    final_url="http://b.test/", permanent_redirect=True), None)
    'moved to http://b.test/'
    """
    parts = [result.error.value if result.error else ""]
    if result.verdict is Verdict.REDIRECTED and result.final_url:
        parts.append(("moved to " if result.permanent_redirect else "-> ") + result.final_url)
    if status is not None and status.confirmed_dead:
        parts.append(f"confirmed dead ({status.failures} failures)")
    elif status is not None and result.verdict in FAILING_VERDICTS:
        parts.append(f"failing ({status.failures} of {status.checks} checks)")
    if result.archive_url:
        parts.append("archive: " + result.archive_url)
    return "; ".join(p for p in parts if p)


def problems(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results that need a look (everything not alive), by verdict then URL."""
    return sorted(
        (r for r in results if r.verdict is not Verdict.ALIVE),
        key=lambda r: (r.verdict.value, r.url),
    )


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_text(
    results: list[CheckResult],
    statuses: Mapping[str, LinkStatus],
    *,
    failing: frozenset[Verdict] = FAILING_VERDICTS,
) -> str:
    """A Markdown summary for a pull-request comment: a headline, the counts, the problems."""
    summary = summarize(results, statuses)
    failed = sum(1 for r in results if r.verdict in failing)
    headline = (f"{failed} failing of {summary['checked']} links" if failed
                else f"all {summary['checked']} links pass")
    lines = [f"## Link check: {headline}", "", "| verdict | links |", "| --- | ---: |"]
    lines += [f"| {v} | {n} |" for v, n in summary["by_verdict"].items() if n]
    lines += [f"| confirmed dead | {summary['confirmed_dead']} |", ""]
    shown = problems(results)
    if shown:
        lines += ["### Links that need a look", "", "| verdict | status | URL | detail |",
                  "| --- | ---: | --- | --- |"]
        for r in shown:
            mark = "**" if r.verdict in failing else ""
            lines.append(
                f"| {mark}{r.verdict.value}{mark} | {r.status or ''} | <{_cell(r.url)}> "
                f"| {_cell(detail(r, statuses.get(r.url)))} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def junit_text(
    results: list[CheckResult],
    statuses: Mapping[str, LinkStatus],
    *,
    failing: frozenset[Verdict] = FAILING_VERDICTS,
) -> str:
    """JUnit XML: one test case per URL (class: its host); failing verdicts are failures,
    other unverifiable ones (blocked, timeout, ...) skipped with the reason."""
    suite = ET.Element("testsuite", name="linkgraph check")
    failures = skipped = 0
    for r in results:
        case = ET.SubElement(suite, "testcase", classname=hostname(r.url) or "", name=r.url)
        message = f"{r.verdict.value}" + (f" ({r.status})" if r.status else "")
        text = detail(r, statuses.get(r.url))
        if r.verdict in failing:
            failures += 1
            ET.SubElement(case, "failure", message=message, type=r.verdict.value).text = text
        elif r.verdict not in {Verdict.ALIVE, Verdict.REDIRECTED}:
            skipped += 1
            ET.SubElement(case, "skipped", message=f"{message}: {text}" if text else message)
        elif text:
            ET.SubElement(case, "system-out").text = text
    suite.set("tests", str(len(results)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suite.set("skipped", str(skipped))
    root = ET.Element("testsuites", name="linkgraph", tests=str(len(results)),
                      failures=str(failures))
    root.append(suite)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


_SARIF_SCHEMA: Final = "https://json.schemastore.org/sarif-2.1.0.json"
_VERDICT_HELP: Final = {
    Verdict.DEAD: "The link is dead (404/410, a missing host, a refused connection).",
    Verdict.SOFT_404: "The page answers 200 but is a missing-page or homepage stand-in.",
    Verdict.REDIRECTED: "The link redirects elsewhere: update it to its final URL.",
    Verdict.BLOCKED: "A bot wall or a forbidden answer: unverifiable, not dead.",
    Verdict.RATE_LIMITED: "The host asked to slow down: unverifiable now.",
    Verdict.TIMEOUT: "No answer in time: unverifiable now.",
    Verdict.ERROR: "TLS, protocol or other failure: unverifiable now.",
    Verdict.SKIPPED: "Not checked (scheme, address policy or an exclude pattern).",
}


def article_location(origin_path: str, article_url: str | None = None,
                     base: Path | None = None) -> str:
    """Where a citing article is, as a SARIF artifact URI: its file relative to *base* (the
    current folder: a repository's root in CI), a ``file:`` URI outside it, or its URL when
    it was read from the web (or from standard input).

    >>> article_location("posts/a b.html", base=Path("/repo").resolve())
    'posts/a%20b.html'
    >>> article_location("https://news.example/p", "https://news.example/p")
    'https://news.example/p'
    """
    if scheme_of(origin_path) in HTTP_SCHEMES:
        return strip_credentials(origin_path)
    if origin_path == "-":
        return strip_credentials(article_url) if article_url else "-"
    base = base or Path.cwd()
    path = Path(origin_path)
    absolute = path if path.is_absolute() else base / path
    try:
        return quote(absolute.resolve().relative_to(base.resolve()).as_posix())
    except ValueError:
        return absolute.resolve().as_uri()


def sarif_text(
    results: list[CheckResult],
    statuses: Mapping[str, LinkStatus],
    *,
    failing: frozenset[Verdict] = FAILING_VERDICTS,
    cited_in: Mapping[str, str] | None = None,
) -> str:
    """SARIF 2.1.0 (code-scanning dashboards): one result per link that needs a look, its
    rule the verdict; failing verdicts are errors, the rest warnings or notes.

    The location is where the link appears: ``cited_in`` maps each checked URL to its
    citing article (``article_location``); the checked URL is in the message and properties
    (``url``).  A URL missing from ``cited_in`` is located at itself.
    """
    shown = problems(results)
    rules = sorted({r.verdict for r in shown}, key=lambda v: v.value)
    sarif_results = []
    for r in shown:
        level = ("error" if r.verdict in failing
                 else "note" if r.verdict in {Verdict.REDIRECTED, Verdict.SKIPPED} else "warning")
        text = detail(r, statuses.get(r.url))
        where = (cited_in or {}).get(r.url, r.url)
        sarif_results.append({
            "ruleId": r.verdict.value,
            "level": level,
            "message": {"text": f"{r.verdict.value}: {r.url}" + (f" ({text})" if text else "")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": where}}}],
            "properties": result_row(r, statuses.get(r.url)) | {"cited_in": where},
        })
    document = {
        "$schema": _SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "linkgraph", "version": VERSION, "informationUri": PROJECT_URL,
                "rules": [{"id": v.value, "shortDescription": {"text": _VERDICT_HELP[v]}}
                          for v in rules],
            }},
            "results": sarif_results,
        }],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
