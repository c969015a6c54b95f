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

from linkgraph.analysis import Analysis, Finding
from linkgraph.report.meta import ReportMeta
from linkgraph.report.tables import Headline, problem_counts

# Article fields left out of the JSON: the body (large, and in the inputs) and the parse tree.
_ARTICLE_SKIP = frozenset({"html", "tree"})


def plain(value: Any) -> Any:
    """*value* as JSON-ready data: dataclasses to dicts, datetimes to ISO, enums to values."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _ARTICLE_SKIP or not hasattr(value, "body_kind")
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):  # NaN and inf are not JSON
        return None
    return value


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
        "citations": plain(analysis.citations),
        "link_status": plain(analysis.link_status),
    }


def write_json(path: Path, data: Mapping[str, Any]) -> Path:
    """Write *data* as UTF-8 JSON (indented when small, compact when large)."""
    compact = len(data.get("citations", ())) > 5_000
    text = json.dumps(
        data, ensure_ascii=False, indent=None if compact else 2, allow_nan=False,
        separators=(",", ":") if compact else None,
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path
