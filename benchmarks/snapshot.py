"""Snapshot every citation of the shared corpus and every number of its report, to compare.

A refactoring must not change what linkgraph finds.  Run this before and after a change and
compare the two files:

    python benchmarks/snapshot.py --out /tmp/before.jsonl
    ... change the code ...
    python benchmarks/snapshot.py --out /tmp/after.jsonl --compare /tmp/before.jsonl

Each line is one citation (origin, position and every field ``linkgraph extract`` prints) or
one report figure (``report:<input set>:<json path>``).  ``--compare`` prints the lines that
differ and exits 1 when any do.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
READABILITY_BASE = "http://fakehost/test/page.html"
# (name, inputs, extra extract options): one report per name.
INPUT_SETS = (
    ("seed", ["seed/koreapro-2200266.json"], []),
    ("wp", ["wp"], []),
    ("readability", ["readability"], ["--base", READABILITY_BASE]),
    ("aeb", ["scrapinghub-aeb/html"], []),
)


def _run(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, str(ROOT / "cli.py"), *args],
        capture_output=True, text=True, check=False,
    )
    if done.returncode not in (0, 4):
        sys.exit(f"snapshot: linkgraph {' '.join(args)} failed ({done.returncode}):\n"
                 f"{done.stderr[-2000:]}")
    return done.stdout


def _flatten(prefix: str, value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key in sorted(value):
            yield from _flatten(f"{prefix}.{key}", value[key])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _flatten(f"{prefix}[{index}]", item)
    else:
        if isinstance(value, float):  # sums in another order differ in the last bits
            value = float(f"{value:.9g}")
        yield f"{prefix} = {json.dumps(value, ensure_ascii=False, sort_keys=True)}"


# report.json fields that change from run to run on their own.
VOLATILE = ("generated", "elapsed", "version", "duration", "took")


def snapshot() -> Iterator[str]:
    """Every citation and report figure of the corpus, as sorted-key lines."""
    for name, inputs, options in INPUT_SETS:
        paths = [str(CORPUS / item) for item in inputs]
        out = _run(["extract", *paths, *options, "--format", "jsonl", "-j", "1"])
        for line in out.splitlines():
            row = json.loads(line)
            row["origin"] = str(row.get("origin", "")).replace(str(CORPUS), "corpus")
            yield f"cite:{name}:{json.dumps(row, ensure_ascii=False, sort_keys=True)}"
        with tempfile.TemporaryDirectory() as folder:
            _run(["-q", "report", *paths, "--out", folder])
            data = json.loads((Path(folder) / "report.json").read_text(encoding="utf-8"))
        for line in _flatten(f"report:{name}", data):
            if not any(word in line.split(" = ")[0].lower() for word in VOLATILE):
                yield line.replace(str(CORPUS), "corpus")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="where to write the snapshot")
    parser.add_argument("--compare", help="an earlier snapshot to compare with")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"snapshot: no shared corpus at {CORPUS}")
    lines = list(snapshot())
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"snapshot: {len(lines):,} lines -> {args.out}")
    if not args.compare:
        return 0
    before = Path(args.compare).read_text(encoding="utf-8").splitlines()
    gone = sorted(set(before) - set(lines))
    new = sorted(set(lines) - set(before))
    for line in gone[:50]:
        print(f"- {line[:300]}")
    for line in new[:50]:
        print(f"+ {line[:300]}")
    print(f"snapshot: {len(gone)} lines gone, {len(new)} new")
    return 1 if gone or new else 0


if __name__ == "__main__":
    sys.exit(main())
