"""``report.json``: every number of the report, as plain JSON (no graph object)."""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from linkgraph.analysis.records import Analysis, Finding
from linkgraph.report.meta import ReportMeta
from linkgraph.report.tables import Headline, problem_counts
from linkgraph.rows import report_fields

# Beyond this many citations report.json leaves them out (they are in the store and in
# `linkgraph extract --format jsonl`); every count and every problem stays in.
MAX_JSON_CITATIONS = 200_000
_SCALARS = frozenset({str, int, bool})


def plain(value: Any) -> Any:
    """*value* as JSON-ready data: dataclasses to dicts (the fields reports show, see
    ``linkgraph.rows.report_fields``: an article's body is left out), datetimes to ISO, enums
    to values."""
    if value is None or isinstance(value, str | bool | int):
        return value  # a StrEnum is a str: json writes its value
    if isinstance(value, float):
        return value if math.isfinite(value) else None  # NaN and inf are not JSON
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for name in report_fields(type(value)):
            item = getattr(value, name)
            # Most fields are plain str/int/None: skip the call (hundreds of thousands of rows).
            out[name] = item if item is None or type(item) in _SCALARS else plain(item)
        return out
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return str(value)


def report_data(
    analysis: Analysis,
    *,
    meta: ReportMeta,
    headline: Headline,
    found: tuple[Finding, ...],
    files: list[str],
) -> dict[str, Any]:
    """The JSON document: meta, headline, problems, outlets, articles, citations, checks."""
    return {
        "meta": plain(meta),
        "headline": plain(headline),
        "files": files,
        "problem_counts": {str(kind): n for kind, n in problem_counts(found)},
        "problems": plain(found),
        "outlets": plain(analysis.outlets),
        "article_stats": plain(analysis.article_stats),
        "periods": plain(analysis.periods),
        "articles": plain(analysis.articles),
        "citations": plain(analysis.citations)
        if len(analysis.citations) <= MAX_JSON_CITATIONS
        else [],
        "citations_omitted": 0
        if len(analysis.citations) <= MAX_JSON_CITATIONS
        else len(analysis.citations),
        "link_status": plain(analysis.link_status),
        "summary": plain(analysis.summary),
        "cocitation": plain(analysis.cocitation),
        "coupling": plain(analysis.coupling),
    }


def write_json(path: Path, data: Mapping[str, Any], *, compact: bool = False) -> Path:
    """Write *data* as UTF-8 JSON: indented for people, or *compact* (much faster: the
    indenting encoder is pure Python) for large corpora."""
    text = json.dumps(
        data, ensure_ascii=False, indent=None if compact else 2, allow_nan=False,
        separators=(",", ":") if compact else None,
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path
