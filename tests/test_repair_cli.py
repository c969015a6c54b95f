"""``linkgraph repair`` and ``--recover`` on the founding article, its original served on
loopback.  The original is a test fixture (tests/fixtures/repair/koreapro-2200266-original.json):
the seed's own text with plausible links on its 8 stripped anchors and a closing paragraph
written for the test, served as the capture of a Wayback-style archive.  The seed's own site
is never asked: the injected resolver knows no name, so its REST endpoint and page fail at once.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner
from originserver import OriginServer, page_of

from linkgraph.cli import common, main
from linkgraph.extract.extractor import extract
from linkgraph.readers import read_pages
from linkgraph.records import ProvenanceKind, ReadFailure
from linkgraph.web import StaticResolver

SEED = (Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "seed"
        / "koreapro-2200266.json")
ORIGINAL = Path(__file__).parent / "fixtures" / "repair" / "koreapro-2200266-original.json"
pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="corpus absent")


@pytest.fixture
def archive() -> Iterator[OriginServer]:
    post = json.loads(ORIGINAL.read_text(encoding="utf-8"))
    server = OriginServer()
    server.captures[post["link"]] = ("20230406000000", page_of(post))
    common.RESOLVER_HOOK = StaticResolver({})
    try:
        with server:
            yield server
    finally:
        common.RESOLVER_HOOK = None


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def _loopback(server: OriginServer) -> list[str]:
    return ["--allow", "127.0.0.1", "--archive-base", f"{server.base}/wayback/available"]


def test_report_restored_links_replace_inferences(tmp_path: Path, archive: OriginServer) -> None:
    offline = tmp_path / "offline"
    code, _ = _run("report", str(SEED), "--out", str(offline))
    assert code == 0
    before = json.loads((offline / "report.json").read_text())
    assert before["headline"]["inferred"] > 0 and before["headline"]["recovered"] == 0
    assert all(row["outcome"] != "recovered" for row in before["lost_links"])

    out = tmp_path / "recovered"
    code, output = _run("report", str(SEED), "--recover", "--out", str(out), *_loopback(archive))
    assert code == 0, output
    assert "8 of 8 lost link(s) restored" in output and "text cut off filled in" in output
    after = json.loads((out / "report.json").read_text())
    rows = after["lost_links"]
    assert [r["outcome"] for r in rows] == ["recovered"] * 9  # 8 lost, 1 in the text cut off
    assert all("recovered from http://127.0.0.1:" in r["detail"] for r in rows)
    assert after["headline"]["recovered"] == 9 and after["headline"]["lost"] == 0
    # The inferred Ukrinform of the offline report is now a recovered link to it; nothing
    # is inferred where an original answered.
    assert after["headline"]["inferred"] == 0
    ukrinform = [r for r in rows if r["text"] == "urged"]
    assert ukrinform[0]["source"].endswith("(ukrinform.net)")
    # The seed's own site was never asked: only the loopback archive was.
    assert all(p.startswith(("/wayback/", "/web/", "/robots.txt")) for p in archive.requests)
    # The archive is asked for the damaged copy's version, to the second.
    asked = [parse_qs(urlsplit(p).query) for p in archive.requests
             if p.startswith("/wayback/available")]
    assert asked and all(re.fullmatch(r"\d{14}", q["timestamp"][0]) for q in asked)


def test_repair_writes_copies_that_read_back_recovered(tmp_path: Path,
                                                       archive: OriginServer) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    seed = inputs / "seed.json"
    shutil.copy(SEED, seed)
    code, output = _run("repair", str(seed), "--out", str(inputs), *_loopback(archive))
    assert code == 3 and "never overwrites" in output  # an input's folder is refused
    out = tmp_path / "out"
    code, output = _run("repair", str(seed), "--out", str(out), *_loopback(archive))
    assert code == 0, output
    assert seed.read_bytes() == SEED.read_bytes()
    (copy,) = list(read_pages(str(out / "seed.json")))
    assert not isinstance(copy, ReadFailure)
    citations = extract(copy).citations
    recovered = [c for c in citations if c.provenance.kind is ProvenanceKind.RECOVERED]
    assert len(recovered) == 9 and len(citations) == 9
    assert recovered[0].text == "urged" and recovered[0].domain == "ukrinform.net"
    assert recovered[0].provenance.recovered_at is not None


def test_offline_repair_keeps_the_reason(tmp_path: Path, archive: OriginServer) -> None:
    """Without --allow the loopback archive is refused: nothing is restored, none invented."""
    out = tmp_path / "out"
    code, output = _run("repair", str(SEED), "--out", str(out),
                        "--archive-base", f"{archive.base}/wayback/available")
    assert code == 0, output
    assert "no original could be had" in output and "loopback" in output
    assert archive.requests == []
    (copy,) = list(read_pages(str(out / "koreapro-2200266.json")))
    assert not isinstance(copy, ReadFailure)
    assert all(c.provenance.kind is ProvenanceKind.MISSING for c in extract(copy).citations)


def test_ingest_recover_stores_the_provenance(tmp_path: Path, archive: OriginServer) -> None:
    db = tmp_path / "news.db"
    code, output = _run("ingest", str(SEED), "--recover", "--db", str(db), *_loopback(archive))
    assert code == 0, output
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT provenance_kind, provenance_recovered_from FROM citations"
                            " WHERE text = 'urged'").fetchall()
    assert rows and rows[0][0] == "recovered" and rows[0][1].startswith(archive.base)
