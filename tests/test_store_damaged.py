"""Damaged and foreign database files given to --db (issue 16 item 8).

Each file is real (made with sqlite3, then damaged on disk); each command that opens a store
is run on it.  Every run must end with one clear ``error:`` line naming the file and the
runtime exit code (3): no traceback, and nothing written into a file that is not linkgraph's
(its bytes stay as they were, no journal beside it).
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store import make_extraction

from linkgraph.cli import main
from linkgraph.errors import StoreError
from linkgraph.store import SCHEMA_VERSION, Store
from linkgraph.store.file import APPLICATION_ID

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ukraine-arms.json"
PAGE = 4096


def _linkgraph_store(path: Path, articles: int = 300) -> None:
    with Store(path) as store:
        store.put_extractions(
            make_extraction(f"a{i}", [f"https://s{i % 40}.example/{i}"] * 5, title="T" * 500)
            for i in range(articles)
        )
    with sqlite3.connect(path) as con:  # fold the WAL into the file: damage what is read
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode = DELETE")


def _sqlite(path: Path, script: str) -> None:
    con = sqlite3.connect(path)
    con.executescript(script)
    con.close()


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"name,url\nagency,https://agency.example/\n" * 200)


def empty_header(path: Path) -> None:
    _linkgraph_store(path)
    data = bytearray(path.read_bytes())
    data[:100] = bytes(100)
    path.write_bytes(bytes(data))


def truncated(path: Path) -> None:
    _linkgraph_store(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def corrupted_pages(path: Path) -> None:
    _linkgraph_store(path)
    data = bytearray(path.read_bytes())
    for page in range(2, len(data) // PAGE):  # every page but the first (schema) one
        start = page * PAGE
        data[start : start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def other_program(path: Path) -> None:
    _sqlite(path, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);"
                  "INSERT INTO users (email) VALUES ('a@example.org');")


def other_program_with_id(path: Path) -> None:
    _sqlite(path, "CREATE TABLE notes (body TEXT); PRAGMA application_id = 1234567;")


def other_program_same_table_names(path: Path) -> None:
    _sqlite(path, "CREATE TABLE articles (id INTEGER, headline TEXT);"
                  "CREATE TABLE citations (x TEXT); PRAGMA user_version = 1;")


def negative_version(path: Path) -> None:
    _linkgraph_store(path, articles=3)
    _sqlite(path, "PRAGMA user_version = -7;")


def newer_version(path: Path) -> None:
    _linkgraph_store(path, articles=3)
    _sqlite(path, f"PRAGMA user_version = {SCHEMA_VERSION + 1};")


def wrong_schema(path: Path) -> None:
    _linkgraph_store(path, articles=3)
    _sqlite(path, "ALTER TABLE citations DROP COLUMN context;")


def missing_table(path: Path) -> None:
    _linkgraph_store(path, articles=3)
    _sqlite(path, "DROP TABLE checks;")


Damage = Callable[[Path], None]
# (how the file is made, whether it is someone else's file that must stay untouched)
FILES: list[tuple[Damage, bool]] = [
    (not_sqlite, True),
    (empty_header, False),
    (truncated, False),
    (corrupted_pages, False),
    (other_program, True),
    (other_program_with_id, True),
    (other_program_same_table_names, True),
    (negative_version, False),
    (newer_version, False),
    (wrong_schema, False),
    (missing_table, False),
]
COMMANDS: dict[str, Callable[[Path, Path], list[str]]] = {
    "ingest": lambda db, tmp: ["ingest", str(EXAMPLE), "--db", str(db)],
    "check": lambda db, tmp: ["check", "--db", str(db), "--no-archive"],
    "report": lambda db, tmp: ["report", "--db", str(db), "--out", str(tmp / "out")],
    "graph": lambda db, tmp: ["graph", "--db", str(db), "--export", str(tmp / "g.gexf")],
}


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("damaged")
    files = {}
    for damage, _ in FILES:
        path = folder / f"{damage.__name__}.db"
        damage(path)
        files[damage.__name__] = path
    return files


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("damage", "foreign"), FILES, ids=[d.__name__ for d, _ in FILES])
def test_each_command_refuses_a_damaged_or_foreign_store(
    tmp_path: Path, made: dict[str, Path], damage: Damage, foreign: bool, command: str
) -> None:
    db = tmp_path / made[damage.__name__].name
    shutil.copyfile(made[damage.__name__], db)
    before = _digest(db)
    result = CliRunner().invoke(main, COMMANDS[command](db, tmp_path))
    assert result.exit_code == 3, (result.output, result.exception)
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert db.name in errors[0]
    assert "Traceback" not in result.output
    if foreign:
        assert _digest(db) == before
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(db.name)) == [
            db.name
        ]


@pytest.mark.parametrize(
    ("damage", "words"),
    [
        (not_sqlite, "not an SQLite database"),
        (corrupted_pages, "damaged"),
        (other_program, "not a linkgraph store"),
        (other_program_with_id, "another program"),
        (negative_version, "negative"),
        (newer_version, "newer"),
        (wrong_schema, "citations"),
        (missing_table, "checks"),
    ],
)
def test_the_message_says_what_is_wrong(
    made: dict[str, Path], tmp_path: Path, damage: Damage, words: str
) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(made[damage.__name__], db)

    def use() -> None:
        with Store(db) as store:
            store.counts()
            list(store.extractions())

    with pytest.raises(StoreError, match=words):
        use()


def test_a_new_store_is_marked_and_an_old_one_is_recognised(tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    Store(new).close()
    con = sqlite3.connect(new)
    assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # A store written before the application id was set (0) is recognised by its tables.
    con.execute("PRAGMA application_id = 0")
    con.close()
    with Store(new) as store:
        assert store.counts()["articles"] == 0
    assert sqlite3.connect(new).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
