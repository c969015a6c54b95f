"""The library workflow the commands call: inputs or the store, ingest, report, graph."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from linkgraph.errors import NoInputError, NoReadableInput
from linkgraph.records import RepeatedArticle
from linkgraph.store import Store
from linkgraph.workflow import (
    GraphKind,
    GraphRequest,
    InputCounts,
    ReportRequest,
    export_corpus_graph,
    ingest,
    load_corpus,
    run_report,
)

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = str(REPO / "examples" / "ukraine-arms.json")
DAMAGED = str(REPO / "examples" / "ukraine-arms-damaged.json")


def _bad(tmp_path: Path) -> str:
    bad = tmp_path / "bad.json"
    bad.write_text("not JSON at all", encoding="utf-8")
    return str(bad)


def test_inputs_or_an_existing_store_never_a_new_one(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with pytest.raises(NoInputError, match=r"news\.db does not exist"), load_corpus([], str(db)):
        pass
    assert not db.exists()
    counts = InputCounts()
    with load_corpus([EXAMPLE, _bad(tmp_path)], str(db), counts=counts) as corpus:
        assert corpus.store is None
        assert len(list(corpus.extractions)) == 1
    assert (counts.articles, counts.failures) == (1, 1)
    assert not db.exists()  # inputs given: the store is not read, nor created


def test_ingest_then_the_store_is_the_corpus(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    done = ingest([EXAMPLE, _bad(tmp_path)], db)
    assert (done.stored, done.totals["articles"], done.totals["read_failures"]) == (1, 1, 1)
    with load_corpus([], db) as corpus:
        assert corpus.store == db
        assert [x.article.origin.path for x in corpus.extractions] == [EXAMPLE]
    with pytest.raises(NoInputError):
        ingest([], db)


def test_warnings_name_their_input_once(caplog: pytest.LogCaptureFixture) -> None:
    counts = InputCounts()
    with caplog.at_level(logging.WARNING, logger="linkgraph"), load_corpus([DAMAGED], None,
                                                                         counts=counts) as c:
        list(c.extractions)
    assert caplog.messages
    for message in caplog.messages:
        assert message.startswith(DAMAGED) and not message.startswith(f"{DAMAGED}: {DAMAGED}")


def test_run_report_states_the_registry_it_used(tmp_path: Path) -> None:
    config = tmp_path / "linkgraph.toml"
    config.write_text('[[outlets]]\nkey = "desk"\nname = "Desk"\nkind = "newspaper"\n'
                      'prefixes = ["desk.example"]\n', encoding="utf-8")
    run = run_report(ReportRequest(inputs=(EXAMPLE, DAMAGED, _bad(tmp_path)),
                                   out=tmp_path / "out", config=config))
    assert run.analysis.summary.registry_version.endswith("(with 1 from linkgraph.toml)")
    assert run.read_failures == 1
    assert [r.origin for r in run.repeats] == [DAMAGED]  # the same post, saved twice
    assert {p.name for p in run.paths} >= {"index.html", "report.json"}


@pytest.mark.parametrize(("copies", "repeats"), [
    ([], []),
    ([("a", "x.json"), ("b", "y.json")], []),
    ([("a", "x.json"), ("a", "y.json")], [("y.json", "x.json", "a")]),
    # every later copy names the first one, not the copy just before it
    ([("a", "x.json"), ("b", "y.json"), ("a", "z.json"), ("a", "w.json#2")],
     [("z.json", "x.json", "a"), ("w.json#2", "x.json", "a")]),
])
def test_repeated_articles_name_the_first_copy(
    copies: list[tuple[str, str]], repeats: list[tuple[str, str, str]]
) -> None:
    assert RepeatedArticle.among(copies) == tuple(RepeatedArticle(*r) for r in repeats)


def test_one_repeat_record_on_one_machine_and_on_a_cluster() -> None:
    # The single-machine report and the cluster's map step tell repeats with the same record;
    # the names each package gave it before stay importable.
    from linkgraph.cluster import RepeatedArticle as on_cluster  # noqa: PLC0415
    from linkgraph.workflow import Repeat  # noqa: PLC0415

    assert on_cluster is RepeatedArticle
    assert Repeat is RepeatedArticle


def test_run_report_writes_nothing_when_no_input_could_be_read(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(NoReadableInput):
        run_report(ReportRequest(inputs=(_bad(tmp_path),), out=out))
    assert not out.exists()


def test_export_corpus_graph_from_the_store(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    ingest([EXAMPLE], db)
    target = tmp_path / "outlets.gexf"
    graph = export_corpus_graph(GraphRequest(export=target, db=db, kind=GraphKind.COCITATION))
    assert target.is_file() and graph.number_of_nodes() > 0
    with Store(db) as store:
        assert store.counts()["articles"] == 1
