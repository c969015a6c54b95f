"""linkgraph.repair: sources inferred for lost links and unlinked attributions, provenance kept
from extraction through the store, the analysis, the report and the graph."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.analysis import AnalysisOptions, analyse
from linkgraph.cli import main
from linkgraph.extract.extractor import extract
from linkgraph.pipeline import extract_file
from linkgraph.records import (
    Article,
    BodyKind,
    BodySentence,
    CitationKind,
    Extraction,
    Origin,
    Provenance,
    ProvenanceKind,
)
from linkgraph.repair import infer_sources, without_inference
from linkgraph.repair.infer import InferenceContext, infer_attribution, infer_lost
from linkgraph.repair.laws import dominant_country, find_laws, law_cited, law_country
from linkgraph.report import ReportMeta, write_report
from linkgraph.sources import default_registry
from linkgraph.store import MIGRATIONS, SCHEMA_VERSION, Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
SEED = CORPUS / "seed" / "koreapro-2200266.json"
needs_seed = pytest.mark.skipif(not SEED.is_file(), reason="shared corpus not present")
KR = InferenceContext(default_registry(), site_country="KR")


def _article(html: str, url: str = "https://desk.example/1") -> Article:
    return Article("a1", url, "desk.example", "T", None, None, Origin("x.json"), html,
                   BodyKind.FRAGMENT, site_domains=("desk.example",))


@needs_seed
def test_seed_gets_its_attributed_sources_and_leaves_the_mentions_alone() -> None:
    (extraction,) = extract_file(str(SEED))
    assert isinstance(extraction, Extraction)
    got = {c.text: c.provenance for c in extraction.citations}
    assert len(extraction.citations) == 8  # the sentences' attributions are the lost links'
    assert got["urged"].source_key == "ukrinform.net"
    assert got["urged"].rule == "outlet-attributed"
    assert "Ukrinform" in got["urged"].evidence
    assert got["Gallup Korea"].source_key == "gallup.co.kr"
    law = got["Foreign Trade Act"]
    assert (law.kind, law.source_key, law.rule) == (ProvenanceKind.INFERRED, "law.go.kr",
                                                    "law-named-in-anchor")
    assert "jurisdiction KR" in law.note
    # NATO's chief making a remark during a visit: NATO is mentioned, not credited.
    assert got["made"].kind is ProvenanceKind.MISSING
    assert "NATO" in got["made"].note
    for text in ("citing", "adding", "offering", "Furthermore"):
        assert got[text].kind is ProvenanceKind.MISSING and got[text].note
    assert all(0 < (p.confidence or 0) <= 1 for p in got.values()
               if p.kind is ProvenanceKind.INFERRED)


@needs_seed
def test_no_infer_leaves_every_lost_link_missing() -> None:
    (extraction,) = extract_file(str(SEED), infer=False)
    assert isinstance(extraction, Extraction)
    assert {c.provenance.kind for c in extraction.citations} == {ProvenanceKind.MISSING}


def test_unlinked_attribution_becomes_an_inferred_citation_after_the_links() -> None:
    html = ('<p>Seoul <a href="https://gov.example/x">said</a> no.</p>'
            "<p>The launch failed, Yonhap reported. It rained.</p>")
    base = extract(_article(html))
    sentences = [BodySentence("Seoul said no.", linked=True),
                 BodySentence("The launch failed, Yonhap reported.", linked=False),
                 BodySentence("It rained.", linked=False)]
    fixed = infer_sources(base, sentences)
    added = fixed.citations[len(base.citations):]
    assert [(c.kind, c.position, c.paragraph, c.text, c.provenance.source_key)
            for c in added] == [(CitationKind.UNLINKED, 1, -1, "Yonhap", "yna.co.kr")]
    assert added[0].provenance.rule == "attribution-names-outlet"
    assert without_inference(fixed).citations == base.citations


def test_the_own_outlet_is_never_inferred() -> None:
    html = "<p>The launch failed, Yonhap reported.</p>"
    base = extract(_article(html, url="https://www.yna.co.kr/view/1"))
    fixed = infer_sources(base, [BodySentence("The launch failed, Yonhap reported.", False)])
    assert fixed.citations == ()


@pytest.mark.parametrize(("anchor", "sentence", "key"), [
    # Organisations only where the sentence credits them.
    ("said", "NATO said the drills would go on.", "nato.int"),
    ("visit", "Stoltenberg made a visit to NATO headquarters.", None),
    ("made", "a remark made by NATO chief Jens Stoltenberg", None),
    ("said", "White House press secretary Josh Earnest said it was wrong.", "whitehouse.gov"),
    # Outlets named by the anchor, ambiguous names left alone.
    ("a Reuters poll", "A Reuters poll shows it.", "reuters.com"),
    ("Time", "Time is short.", None),
    # Several credited sources: no guess.
    ("x", "According to Reuters and the BBC, it rained.", None),
    # An address as the anchor, a reference identifier, a publisher after a title.
    ("www.koreaherald.com", "See www.koreaherald.com for more.", "koreaherald.com"),
    ("2676011", "JSTOR 2676011.", "jstor.org"),
    ('"Groundhog Day"', '"Groundhog Day" . the Guardian.', "theguardian.com"),
    # A bare name in a list is an entity link.
    ("New York Times", "New York Times.", None),
    # Laws: the anchor is the law; a law merely named beside the link is not its target.
    ("Foreign Trade Act", "violating the Foreign Trade Act", "law.go.kr"),
    ("hammered", "he implemented the Affordable Care Act and hammered Bevin", None),
])
def test_lost_link_rules(anchor: str, sentence: str, key: str | None) -> None:
    assert infer_lost(anchor, sentence, KR).source_key == key


@pytest.mark.parametrize(("sentence", "keys"), [
    ("Exports are banned under the Foreign Trade Act.", ["law.go.kr"]),
    ("He wants to amend the Foreign Trade Act.", []),  # a mention, not a claim resting on it
    ("Under Japan's Foreign Exchange Act, it is banned.", ["e-gov.go.jp"]),
    ("según el Financial Times, la empresa negociaba.", ["ft.com"]),
    ("한국갤럽에 따르면 지지율은 20%였다.", ["gallup.co.kr"]),
    ("The Tennis Podcast team of David Law gave their view.", []),
    ("said Robert Danin, a senior fellow at the Council on Foreign Relations.", []),
])
def test_attribution_rules(sentence: str, keys: list[str]) -> None:
    assert [i.source_key for i in infer_attribution(sentence, KR)] == keys


@pytest.mark.parametrize(("text", "name", "country"), [
    ("under South Korea's National Security Law", "National Security Law", "KR"),
    ("under North Korea's Criminal Code", "Criminal Code", "KP"),
    ("la Ley de Medios de Argentina", "Ley de Medios de Argentina", "AR"),
    ("대외무역법에 따르면", "대외무역법", "KR"),
    ("Decree No. 117 of the cabinet", "Decree No. 117", None),
])
def test_laws_and_their_country(text: str, name: str, country: str | None) -> None:
    (law,) = find_laws(text)
    assert (law.name, law_country(text, law)) == (name, country)


def test_an_acronym_in_capitals_is_a_word() -> None:
    from linkgraph.sources.names import names_in  # noqa: PLC0415

    registry = default_registry()
    assert names_in("THE GIRL WHO LEAPT THROUGH TIME", registry) == []
    assert names_in("Plague is rare, says WHO.", registry) == ["WHO"]


@pytest.mark.parametrize("text", ["under martial law", "the Source Code of Firefox",
                                  "a 방법 and 方法", "The Act said so"])
def test_not_laws(text: str) -> None:
    assert find_laws(text) == []


def test_law_cue() -> None:
    text = "Exports are banned under the Foreign Trade Act."
    (law,) = find_laws(text)
    assert law_cited(text, law)


def test_dominant_country_needs_a_clear_lead() -> None:
    assert dominant_country(["Seoul said no.", "South Korea sent aid to Ukraine.",
                             "South Korea's public disagrees."]) == "KR"
    assert dominant_country(["Seoul said no.", "Kyiv said yes.", "Ukraine waits."]) is None


def _seedlike() -> Extraction:
    html = ("<p>Zelenskyy <span>urged</span></a> it, according to Ukrinform. "
            '<a href="https://www.yna.co.kr/view/1">Yonhap</a> and a '
            '<a href="https://gallup.co.kr/r">poll</a>.</p>')
    base = extract(_article(html))
    sentences = [BodySentence("Zelenskyy urged it, according to Ukrinform.", linked=False)]
    return infer_sources(base, sentences)


def test_inferred_sources_are_counted_only_when_asked() -> None:
    extraction = _seedlike()
    default = analyse([extraction])
    assert {o.source.key for o in default.outlets} == {"yna.co.kr", "gallup.co.kr"}
    assert [(o.source.key, o.citations, o.inferred) for o in default.inferred_outlets] == [
        ("ukrinform.net", 1, 1)]
    assert default.summary is not None
    assert (default.summary.inferred, default.summary.counted) == (1, "linked + recovered")
    assert "s:ukrinform.net" not in default.graph
    assert default.article_stats[0].sources == 2
    counted = analyse([extraction], options=AnalysisOptions(count_inferred=True))
    assert {o.source.key for o in counted.outlets} == {"yna.co.kr", "gallup.co.kr",
                                                       "ukrinform.net"}
    edge = counted.graph.edges["a:a1", "s:ukrinform.net"]
    assert (edge["provenance"], edge["inferred"], edge["urls"]) == ("inferred", 1, [])
    assert counted.graph.nodes["s:ukrinform.net"]["pagerank"] > 0
    assert counted.article_stats[0].sources == 3
    # The linked numbers are the same either way.
    assert default.summary.citations == counted.summary.citations == 3  # type: ignore[union-attr]


def test_recovered_links_count_like_linked_ones_and_say_so() -> None:
    extraction = _seedlike()
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    recovered = replace(extraction.citations[1], provenance=Provenance(
        ProvenanceKind.RECOVERED, recovered_from="https://desk.example/wp-json/wp/v2/posts/1",
        recovered_at=when))
    citations = list(extraction.citations)
    citations[1] = recovered
    result = analyse([replace(extraction, citations=tuple(citations))])
    yonhap = next(o for o in result.outlets if o.source.key == "yna.co.kr")
    assert (yonhap.linked, yonhap.recovered) == (0, 1)
    assert result.graph.edges["a:a1", "s:yna.co.kr"]["provenance"] == "recovered"


def test_store_keeps_provenance(tmp_path: Path) -> None:
    extraction = _seedlike()
    when = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
    citations = list(extraction.citations)
    citations[1] = replace(citations[1], provenance=Provenance(
        ProvenanceKind.RECOVERED, recovered_from="https://web.archive.example/1",
        recovered_at=when))
    extraction = replace(extraction, citations=tuple(citations))
    db = tmp_path / "p.db"
    with Store(db) as store:
        store.put_extraction(extraction)
    with Store(db) as store:
        (back,) = list(store.extractions())
    assert back.citations == extraction.citations
    assert back.citations[0].provenance.source_key == "ukrinform.net"
    assert back.citations[1].provenance.recovered_at == when


def test_store_migrates_a_version_1_file(tmp_path: Path) -> None:
    db = tmp_path / "v1.db"
    raw = sqlite3.connect(db)
    raw.executescript(MIGRATIONS[0] + "PRAGMA user_version = 1;")
    raw.execute("INSERT INTO articles VALUES ('a', NULL, NULL, 'T', NULL, NULL, 'x', NULL,"
                " 'fragment', NULL, NULL, '[]', '[]', '[]', ?, 'now')",
                (__import__("zlib").compress(b"<p>x</p>"),))
    raw.execute("INSERT INTO citations VALUES ('a', 0, 0, NULL, NULL, NULL, NULL, 'made',"
                " 'a remark made.', 'lost', '')")  # a lost link, stored before provenance
    raw.commit()
    raw.close()
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        (back,) = list(store.extractions())
    assert back.citations[0].provenance.kind is ProvenanceKind.MISSING


@needs_seed
def test_report_lists_what_became_of_each_lost_link(tmp_path: Path) -> None:
    extractions = [x for x in extract_file(str(SEED)) if isinstance(x, Extraction)]
    analysis = analyse(extractions)
    write_report(analysis, tmp_path, meta=ReportMeta.collect(analysis, inputs=[str(SEED)]))
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert data["counted"] == "linked + recovered"
    assert data["outlets"] == []
    assert [o["source"]["key"] for o in data["inferred_outlets"]] == [
        "gallup.co.kr", "law.go.kr", "ukrinform.net"]
    outcomes = {row["text"]: row["outcome"] for row in data["lost_links"]}
    assert outcomes["urged"] == "inferred" and outcomes["made"] == "missing"
    assert all(c["provenance"]["kind"] in {"inferred", "missing"} for c in data["citations"])
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "Lost links: what became of each" in markdown
    assert "inferred (outlet-attributed" in markdown
    assert "names NATO, but the sentence credits nothing to it" in markdown
    png = (tmp_path / "graph.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000


@needs_seed
def test_cli_infer_switches(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "r"
    result = runner.invoke(main, ["report", str(SEED), "--out", str(out), "--no-infer"])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["inferred_outlets"] == [] and data["headline"]["inferred"] == 0
    graph = tmp_path / "g.json"
    result = runner.invoke(main, ["graph", str(SEED), "--count-inferred", "--export",
                                  str(graph)])
    assert result.exit_code == 0, result.output
    exported = json.loads(graph.read_text(encoding="utf-8"))
    edges = exported.get("links") or exported.get("edges")
    assert {e["provenance"] for e in edges} == {"inferred"} and len(edges) == 3
    result = runner.invoke(main, ["extract", str(SEED)])
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["provenance_source_key"] for r in rows if r["provenance_kind"] == "inferred"] == [
        "ukrinform.net", "gallup.co.kr", "law.go.kr"]
