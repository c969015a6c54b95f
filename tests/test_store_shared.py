"""One store shared by two processes (issue 16 item 7): a ``check`` stores its results while
an ``ingest`` runs on the same real SQLite file.

Ingest once held its write transaction open while it parsed the next inputs, so a check's
write waited for SQLite's busy timeout and died with ``database is locked`` (a traceback, exit
1, the results lost).  Now inputs are parsed outside any transaction and each write is short.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

from checkserver import CheckServer

from linkgraph.records import CheckResult, Verdict
from linkgraph.store import Store

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, str(ROOT / "cli.py")]

# The ingesting process: stores one article, then (still inside put_extractions, as if parsing
# a slow input) waits until the test says go, then stores a second.
INGESTER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from test_store import make_extraction
    from linkgraph.store import Store

    waiting, go = Path({waiting!r}), Path({go!r})

    def items():
        yield make_extraction("a1", ["https://a.example/1"])
        waiting.touch()
        deadline = time.monotonic() + 60
        while not go.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        yield make_extraction("a2", ["https://b.example/2"])

    with Store({db!r}) as store:
        print(store.put_extractions(items()))
    """
)


def wait_for(path: Path, process: subprocess.Popen[str], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def test_a_check_result_is_stored_while_ingest_reads_its_next_input(tmp_path: Path) -> None:
    db, waiting, go = tmp_path / "shared.db", tmp_path / "waiting", tmp_path / "go"
    Store(db).close()
    script = INGESTER.format(tests=str(ROOT / "tests"), waiting=str(waiting), go=str(go),
                             db=str(db))
    ingester = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    try:
        wait_for(waiting, ingester)
        # The ingester has stored a1 and is "parsing" a2: the write lock must be free.
        result = CheckResult(url="https://a.example/1", checked_at=datetime.now(UTC),
                             verdict=Verdict.ALIVE, status=200)
        with Store(db) as store:
            store.add_check(result)
    finally:
        go.touch()
        out, err = ingester.communicate(timeout=60)
    assert ingester.returncode == 0, err
    assert out.strip() == "2"
    with Store(db) as store:
        counts = store.counts()
    assert (counts["articles"], counts["citations"], counts["checks"]) == (2, 2, 1)


def write_posts(folder: Path, count: int, server: CheckServer, start: int = 0) -> None:
    folder.mkdir()
    text = "The council approved the budget after a long debate about schools. " * 10
    for i in range(start, start + count):
        links = "".join(
            f'<p>{text} <a href="{server.url("127.0.0.2", f"/article/{i}-{j % 3}")}">s</a>.</p>'
            for j in range(40)
        )
        post = {"id": i, "link": f"https://news.example/{i}", "date_gmt": "2024-03-01T10:00:00",
                "title": {"rendered": f"Story {i}"}, "content": {"rendered": links}}
        (folder / f"post{i:05d}.json").write_text(json.dumps(post), encoding="utf-8")


def test_check_and_ingest_at_once_lose_nothing(tmp_path: Path) -> None:
    """Two real commands on one store: every result the check printed is stored, every input
    the ingest read is stored, neither fails."""
    db = tmp_path / "news.db"
    with CheckServer(("127.0.0.2",)) as server:
        write_posts(tmp_path / "first", 20, server)
        write_posts(tmp_path / "more", 600, server, start=20)
        first = subprocess.run(
            [*CLI, "ingest", str(tmp_path / "first"), "--db", str(db), "-j", "1"],
            check=False, capture_output=True, text=True, timeout=120,
        )
        assert first.returncode == 0, first.stderr
        ingest = subprocess.Popen(
            [*CLI, "ingest", str(tmp_path / "more"), "--db", str(db), "-j", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            check = subprocess.run(
                [*CLI, "check", "--db", str(db), "--allow", "127.0.0.0/8", "--interval", "0",
                 "--no-archive", "--format", "jsonl"],
                check=False, capture_output=True, text=True, timeout=300,
            )
            running_during_check = ingest.poll() is None
        finally:
            ingest_out, ingest_err = ingest.communicate(timeout=300)
    assert check.returncode == 0, check.stderr
    assert "Traceback" not in check.stderr
    assert ingest.returncode == 0, ingest_err
    assert "stored 600 article(s)" in ingest_out
    printed = {json.loads(line)["url"] for line in check.stdout.splitlines()}
    assert len(printed) >= 60
    with sqlite3.connect(db) as con:
        stored = {url for (url,) in con.execute("SELECT url FROM checks")}
        articles = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    assert stored == printed
    assert articles == 620
    # Not a timing assertion: it records whether the two really overlapped on this machine.
    print(f"ingest still running when the check ended: {running_during_check}")
