"""The packaged data tables (``linkgraph/data/*.csv``): what linkgraph knows about outlets,
social platforms, site families and names, kept as data beside the code that reads it.

Every table is a CSV file with a header row; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
from importlib import resources

from linkgraph.errors import ConfigError


def read_text(name: str) -> str:
    """The text of the packaged data file *name* (``outlets.csv``)."""
    return resources.files("linkgraph").joinpath("data", name).read_text(encoding="utf-8")


def parse_rows(text: str, origin: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """The rows of a CSV table, comment lines skipped, every cell stripped (empty for a
    missing cell); a :class:`ConfigError` names *origin* when a *required* column is absent."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines)
    missing = [column for column in required if column not in (reader.fieldnames or ())]
    if missing:
        raise ConfigError(f"{origin}: missing column(s) {', '.join(missing)}")
    return [{key: (value or "").strip() for key, value in row.items() if key is not None}
            for row in reader]


def read_rows(name: str, required: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """The rows of the packaged table *name*."""
    return parse_rows(read_text(name), name, required)
