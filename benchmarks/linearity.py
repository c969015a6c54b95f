"""Hostile input shapes at four sizes: is every reading command linear in its input?

Each shape (issue 16) is written at sizes s, 2s, 4s and 8s and run through the real command
line in a fresh subprocess (``linkgraph extract``, or ``linkgraph report`` for the host name);
the child's CPU time (user + system: steadier than wall time on a shared machine) and peak
resident memory are read from ``os.wait4``'s rusage.  The
baseline, measured in the same run, is the same command on a one-article input: its time
and memory (the interpreter and the imports) are subtracted before dividing by the input's
size (for the gzip shapes, the size before compression).  Printed per size: CPU seconds and
MB of memory per MB of input, and the growth of time and memory from the size before (2x
input; the goal is at most about 2.2x; "-" where the cost above the baseline is too small to
divide: under 0.2 s or 8 MB).

    python benchmarks/linearity.py [--scale 1.0] [--shapes p_flood,attributes,...]

Shapes: p_flood (a truncated .html.gz of <p>), bad_jsonl (JSON Lines, every record broken),
gzip_members (a .html.gz of one small member per 100 bytes), attributes (one element with
ever more attributes), host_labels (a link whose host has ever more labels, in report),
nesting (ever deeper <div>).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, str(ROOT / "cli.py")]
MB = 1 << 20
HEAD = b"<html><head><title>Shape</title></head><body>"
LINK = b'<p>Officials said so, <a href="https://agency.example/r">the agency said</a>.</p>'


def p_flood(path: Path, size: int) -> Path:
    """*size* bytes of <p> inflated, gzip'd, and the gzip cut short."""
    out = path.with_suffix(".html.gz")
    packed = gzip.compress(HEAD + LINK + b"<p>" * (size // 3), 6)
    out.write_bytes(packed[:-12])
    return out


def bad_jsonl(path: Path, size: int) -> Path:
    out = path.with_suffix(".jsonl")
    line = b'{"id": 1, "title": {"rendered": "broken \xc3\xa9"}, "content": {"rendered": \n'
    good = json.dumps({"id": 0, "link": "https://news.example/0", "title": {"rendered": "T"},
                       "content": {"rendered": LINK.decode()}}).encode() + b"\n"
    out.write_bytes(good + line * (size // len(line)))
    return out


def gzip_members(path: Path, size: int) -> Path:
    out = path.with_suffix(".html.gz")
    member = gzip.compress(b"The council met again. " * 4, 6)
    with out.open("wb") as handle:
        handle.write(gzip.compress(HEAD + LINK))
        for _ in range(size // len(member)):
            handle.write(member)
    return out


def attributes(path: Path, size: int) -> Path:
    out = path.with_suffix(".html")
    count = size // 8
    tag = b"<div " + b" ".join(b"a%06d" % i for i in range(count)) + b">"
    out.write_bytes(HEAD + tag + LINK + b"</div></body></html>")
    return out


def host_labels(path: Path, size: int) -> Path:
    out = path.with_suffix(".json")
    labels = ".".join("a" for _ in range(size // 2))
    body = f'<p>See <a href="http://{labels}.example/x">this</a>.</p>' + LINK.decode()
    post = {"id": 1, "link": "https://news.example/1", "title": {"rendered": "T"},
            "content": {"rendered": body}}
    out.write_text(json.dumps(post), encoding="utf-8")
    return out


def nesting(path: Path, size: int) -> Path:
    out = path.with_suffix(".html")
    depth = size // 11
    out.write_bytes(HEAD + b"<div>" * depth + LINK + b"</div>" * depth)
    return out


Shape = Callable[[Path, int], Path]
# (writer, command, smallest size in bytes)
SHAPES: dict[str, tuple[Shape, str, int]] = {
    "p_flood": (p_flood, "extract", MB // 2),  # 1.5 MB of <p> is the 500,000-tag cap
    "bad_jsonl": (bad_jsonl, "extract", 1 * MB),
    "gzip_members": (gzip_members, "extract", 2 * MB),
    "attributes": (attributes, "extract", 2 * MB),
    "host_labels": (host_labels, "report", MB // 8),
    # 2.5 MB of <div> is the 500,000-tag cap: beyond it, the cut bounds the work.
    "nesting": (nesting, "extract", MB // 4),
}


def write(name: str, path: Path, size: int) -> Path:
    """Write a shape in a child process: a child started with vfork takes its parent's peak
    memory as its own starting peak, so the measuring process must stay small."""
    done = subprocess.run(
        [sys.executable, __file__, "--write", name, str(size), str(path)],
        check=True, capture_output=True, text=True,
    )
    return Path(done.stdout.strip())


def run(command: str, path: Path, work: Path) -> tuple[float, float]:
    """CPU seconds and peak resident MB of one command in a fresh process."""
    if command == "report":
        args = ["report", str(path), "--out", str(work / "report"), "-j", "1"]
    else:
        args = ["extract", str(path), "--format", "jsonl", "-j", "1"]
    child = subprocess.Popen([*CLI, *args], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = usage.ru_utime + usage.ru_stime
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode not in (0, 4):
        raise SystemExit(f"{' '.join(args)}: exit {child.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply every size (0.25 for a quick look)")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--write", nargs=3, metavar=("SHAPE", "SIZE", "PATH"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        name, size, path = args.write
        print(SHAPES[name][0](Path(path), int(size)))
        return
    print("| shape | input MB | CPU s | peak MB | s per MB | MB per MB | time x | memory x |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for name in args.shapes.split(","):
            _, command, smallest = SHAPES[name]
            base_time, base_mem = run(command, write(name, work / "base", 64), work)
            print(f"| {name} (baseline) | 0 | {base_time:.2f} | {base_mem:.0f} | | | | |")
            before: tuple[float, float] | None = None
            for step in range(4):
                size = int(smallest * args.scale) << step
                path = write(name, work / f"{name}{step}", size)
                megabytes = size / MB  # before compression, for the gzip shapes
                elapsed, peak = run(command, path, work)
                path.unlink()
                extra_time = max(elapsed - base_time, 0.0)
                extra_mem = max(peak - base_mem, 0.0)
                grow = ["", ""]
                if before is not None:
                    for i, (now, then, floor) in enumerate(
                        ((extra_time, before[0], 0.2), (extra_mem, before[1], 8.0))
                    ):
                        if max(now, then) < floor:
                            grow[i] = "-"
                            continue
                        ratio = now / max(then, floor / 2)
                        worst[name] = max(worst.get(name, 0.0), ratio)
                        grow[i] = f"{ratio:.2f}"
                before = (extra_time, extra_mem)
                print(f"| {name} | {megabytes:.2f} | {elapsed:.2f} | {peak:.0f} | "
                      f"{extra_time / megabytes:.2f} | {extra_mem / megabytes:.1f} | "
                      f"{grow[0]} | {grow[1]} |", flush=True)
    for name, ratio in worst.items():
        print(f"{name}: largest growth for 2x input {ratio:.2f}x"
              + ("" if ratio <= 2.2 else "  (over 2.2x)"))


if __name__ == "__main__":
    main()
