"""The SQLite store, on real files: schema, replace-on-reingest, history, interruption."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from linkgraph.errors import StoreError
from linkgraph.records import (
    Article,
    BodyKind,
    CheckResult,
    Citation,
    CitationKind,
    Extraction,
    Origin,
    ReadFailure,
    Verdict,
)
from linkgraph.store import SCHEMA_VERSION, Store

PUBLISHED = datetime(2023, 2, 27, 2, 41, 20, tzinfo=UTC)


def make_extraction(article_id: str, urls: list[str], title: str = "T") -> Extraction:
    article = Article(
        id=article_id,
        url=f"https://desk.example/{article_id}",
        site="desk.example",
        title=title,
        published=PUBLISHED,
        modified=None,
        origin=Origin("in.json", 0),
        html="<p>한국어 본문 " + " ".join(f'<a href="{u}">x</a>' for u in urls) + "</p>",
        body_kind=BodyKind.FRAGMENT,
        site_domains=("desk.example",),
        warnings=("truncated JSON at byte 10",),
    )
    citations = tuple(
        Citation(
            article_id=article_id,
            position=i,
            paragraph=0,
            href=u,
            url=u,
            key=u.split("//", 1)[1],
            domain=u.split("/")[2],
            text="x",
            context="한국어 본문 x.",
            kind=CitationKind.EXTERNAL,
            rel=("nofollow",),
        )
        for i, u in enumerate(urls)
    )
    return Extraction(article=article, citations=citations, warnings=("1 lost link(s)",))


def test_round_trip_on_a_real_file(tmp_path: Path) -> None:
    db = tmp_path / "lg.db"
    original = make_extraction("wp:desk.example:1", ["https://a.example/1", "https://b.example/2"])
    with Store(db) as store:
        store.put_extraction(original)
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        (back,) = list(store.extractions())
    assert back == original
    assert back.article.published == PUBLISHED
    mode = sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_reingest_replaces_instead_of_duplicating(tmp_path: Path) -> None:
    with Store(tmp_path / "lg.db") as store:
        store.put_extraction(make_extraction("a1", ["https://a.example/1", "https://b.example/2"]))
        store.put_extraction(make_extraction("a1", ["https://c.example/3"], title="New"))
        assert store.counts()["articles"] == 1
        assert store.counts()["citations"] == 1
        (back,) = list(store.extractions())
    assert back.article.title == "New"
    assert [c.url for c in back.citations] == ["https://c.example/3"]


def test_interrupted_batch_keeps_what_was_committed(tmp_path: Path) -> None:
    db = tmp_path / "lg.db"

    def items() -> Iterator[Extraction]:
        for i in range(5):
            yield make_extraction(f"a{i}", [f"https://s{i}.example/"])
        raise KeyboardInterrupt

    with Store(db) as store, pytest.raises(KeyboardInterrupt):
        store.put_extractions(items(), batch=2)
    with Store(db) as store:
        assert store.counts()["articles"] == 5


def test_check_history_and_external_urls(tmp_path: Path) -> None:
    with Store(tmp_path / "lg.db") as store:
        store.put_extraction(make_extraction("a1", ["https://a.example/1"]))
        store.put_extraction(make_extraction("a2", ["https://a.example/1", "https://b.example/"]))
        assert store.external_urls() == [
            ("https://a.example/1", PUBLISHED),
            ("https://b.example/", PUBLISHED),
        ]
        t0 = datetime(2026, 1, 1, tzinfo=UTC)
        for day in range(3):
            store.add_check(
                CheckResult(
                    url="https://a.example/1",
                    checked_at=t0 + timedelta(days=day),
                    verdict=Verdict.DEAD,
                    status=404,
                    redirects=("https://a.example/x",),
                    extras=(("note", "v"),),
                )
            )
        history = store.check_history("https://a.example/1")
        assert [r.checked_at for r in history] == [t0 + timedelta(days=d) for d in range(3)]
        assert history[0].redirects == ("https://a.example/x",)
        assert store.last_checked() == {"https://a.example/1": t0 + timedelta(days=2)}
        assert list(store.check_histories()) == ["https://a.example/1"]
        store.put_failure(ReadFailure(Origin("bad.json"), "not JSON"))
        assert store.counts()["read_failures"] == 1


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    con.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        Store(bad)


def test_a_failing_article_keeps_the_rest_of_its_batch_before_it(tmp_path: Path) -> None:
    """A batch is one transaction; when it fails, the articles before the one at fault are
    still stored (one by one), and the error is raised."""
    db = tmp_path / "lg.db"
    good = [make_extraction(f"a{i}", [f"https://s{i}.example/"]) for i in range(3)]
    bad = make_extraction("bad", ["https://x.example/1", "https://x.example/2"])
    # Two citations at the same position break the (article_id, position) key.
    bad = Extraction(bad.article, (bad.citations[0], bad.citations[0]), bad.warnings)
    after = make_extraction("after", ["https://y.example/"])
    with Store(db) as store, pytest.raises(StoreError, match="UNIQUE constraint"):
        store.put_extractions([*good, bad, after], batch=10)
    with Store(db) as store:
        ids = [x.article.id for x in store.extractions()]
    assert ids == ["a0", "a1", "a2"]


def test_the_same_article_twice_in_one_batch_is_stored_once_as_its_last_copy(
    tmp_path: Path,
) -> None:
    db = tmp_path / "lg.db"
    first = make_extraction("a1", ["https://old.example/"], title="old")
    second = make_extraction("a1", ["https://new.example/", "https://new.example/2"],
                             title="new")
    with Store(db) as store:
        assert store.put_extractions([first, make_extraction("a2", []), second]) == 3
        stored = {x.article.id: x for x in store.extractions()}
        assert store.counts()["citations"] == 2
    assert stored["a1"].article.title == "new"
    assert [c.url for c in stored["a1"].citations] == ["https://new.example/",
                                                      "https://new.example/2"]


def test_rows_prepared_in_a_worker_are_stored_as_the_extraction(tmp_path: Path) -> None:
    """extract_inputs(prepare=prepare_rows) makes the rows in the worker processes: storing
    them gives back the same article, page, sentences and citations as storing the
    extraction itself."""
    from linkgraph.pipeline import extract_inputs  # noqa: PLC0415
    from linkgraph.store import PreparedArticle, prepare_rows  # noqa: PLC0415

    post = Path(__file__).parent.parent / "examples" / "ukraine-arms.json"
    direct = [x for x in extract_inputs([str(post)]) if isinstance(x, Extraction)]
    prepared = [x for x in extract_inputs([str(post), str(post)], jobs=2, prepare=prepare_rows)
                if not isinstance(x, ReadFailure)]
    assert len(prepared) == 2 and all(isinstance(x, PreparedArticle) for x in prepared)
    assert all(x.citations == len(direct[0].citations) for x in prepared)  # type: ignore[union-attr]
    with Store(tmp_path / "a.db") as store:
        store.put_extractions(direct)
        want = list(store.extractions())
    with Store(tmp_path / "b.db") as store:
        store.put_extractions(prepared)
        got = list(store.extractions())
    assert got == want
    assert want[0].article.html and want[0].sentences and want[0].citations
