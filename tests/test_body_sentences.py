"""Body sentences: produced by extraction, stored with it, read by analysis (which never parses).

A WordPress post of 40,000 nested <div>s was refused by extraction and parsed again by
``analyse`` (3.4 s, quadratic), which then reported an unlinked attribution on a page
extraction said it could not read.  Now the one nesting guard flattens it for extraction, and
analysis reads the sentences extraction produced.
"""

from __future__ import annotations

import ast
import json
import sqlite3
import sys
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from unittest.mock import patch

import pytest
from click.testing import CliRunner
from graph_factories import article
from selectolax.lexbor import LexborHTMLParser

from linkgraph.analysis import FindingKind, analyse
from linkgraph.cli import main
from linkgraph.extract.extractor import extract
from linkgraph.pipeline import extract_inputs, fill_sentences
from linkgraph.records import Article, BodyKind, BodySentence, Extraction, Origin
from linkgraph.store import MIGRATIONS, SCHEMA_VERSION, Store

ROOT = Path(__file__).resolve().parents[1]
ATTRIBUTION = "According to a Gallup Korea poll, 15% support arms supplies."


def _attributions(extractions: list[Extraction]) -> list[str]:
    result = analyse(extractions)
    return [f.context for f in result.findings if f.kind is FindingKind.UNLINKED_ATTRIBUTION]


def _deep_post(tmp_path: Path, depth: int = 40_000) -> Path:
    content = (
        "<div>" * depth + f"<p>Intro. {ATTRIBUTION} See"
        ' <a href="https://gov.example/r">the report</a>.</p>' + "</div>" * depth
    )
    post = {
        "id": 7, "link": "https://desk.example/2024/deep/", "title": {"rendered": "Deep"},
        "date_gmt": "2024-01-02T03:04:05", "content": {"rendered": content},
    }
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(post), encoding="utf-8")
    return path


@contextmanager
def _no_parsing() -> Iterator[None]:
    """Every module's ``LexborHTMLParser`` (wherever it was imported) raises while active."""
    with ExitStack() as stack:
        for name, module in list(sys.modules.items()):
            if getattr(module, "LexborHTMLParser", None) is LexborHTMLParser:
                stack.enter_context(patch.object(
                    module, "LexborHTMLParser", side_effect=AssertionError(f"{name} parsed")))
        yield


def test_analyse_never_parses_html() -> None:
    extraction = extract(article("a", f"<p>Intro. {ATTRIBUTION}</p>"))
    with _no_parsing():
        assert _attributions([extraction]) == [ATTRIBUTION]


def test_analysis_imports_no_html_parser() -> None:
    for module in sorted((ROOT / "linkgraph" / "analysis").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                names = {node.module or "", *(a.name for a in node.names)}
            elif isinstance(node, ast.Import):
                names = {a.name for a in node.names}
            else:
                continue
            assert not any(
                n.startswith(("selectolax", "linkgraph.extract"))
                or n in {"LexborHTMLParser", "find_body"}
                for n in names
            ), (module.name, names)


def test_attributions_come_from_what_extraction_read_not_from_the_html() -> None:
    # An extraction that read no sentence (no body found, say) gives analysis none to report,
    # whatever the stored HTML holds: analysis reads extraction's output, not the page again.
    extraction = extract(article("a", f"<p>Intro. {ATTRIBUTION}</p>"))
    assert _attributions([replace(extraction, sentences=())]) == []
    assert _attributions([replace(extraction, sentences=None)]) == []  # unknown: no guess


def test_forty_thousand_nested_divs_are_read_by_extraction_and_analysis_alike(
    tmp_path: Path,
) -> None:
    (extraction,) = extract_inputs([str(_deep_post(tmp_path))])
    assert isinstance(extraction, Extraction)
    # Extraction reads the post (flattened below 1,000 levels), it does not refuse it...
    assert [c.url for c in extraction.citations] == ["https://gov.example/r"]
    assert any(w.startswith("elements nested deeper than 1000 levels") for w in extraction.warnings)
    assert extraction.sentences is not None
    assert BodySentence(ATTRIBUTION, linked=False) in extraction.sentences
    # ...and analysis reports what extraction read, without parsing anything.
    with _no_parsing():
        assert _attributions([extraction]) == [ATTRIBUTION]


def test_sentences_round_trip_through_the_store(tmp_path: Path) -> None:
    html = (f'<p>Intro. {ATTRIBUTION}</p>'
            '<p>A <a href="https://x.example/">link</a> here. 한국어.</p>')
    extraction = extract(article("a", html))
    assert extraction.sentences == (
        BodySentence("Intro.", False), BodySentence(ATTRIBUTION, False),
        BodySentence("A link here.", True), BodySentence("한국어.", False),
    )
    empty = extract(article("b", "<p></p>"))
    assert empty.sentences == ()
    db = tmp_path / "s.db"
    with Store(db) as store:
        store.put_extractions([extraction, empty])
    with Store(db) as store:
        assert list(store.extractions()) == [extraction, empty]


def _old_store(path: Path, html: str) -> None:
    """A schema-1 store as the linkgraph before schema 2 wrote it: one article, no sentences."""
    db = sqlite3.connect(path)
    db.executescript(f"BEGIN; {MIGRATIONS[0]} PRAGMA user_version = 1; COMMIT;")
    db.execute(
        "INSERT INTO articles (id, url, site, title, published, modified, origin_path,"
        " origin_record, body_kind, language, site_name, site_domains, warnings,"
        " extraction_warnings, html, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
        " ?, ?, ?)",
        ("wp:koreapro.org:1", "https://koreapro.org/2023/02/a/", "koreapro.org", "Old", None,
         None, "old.json", 0, "fragment", None, None, '["koreapro.org"]', "[]", "[]",
         zlib.compress(html.encode("utf-8")), "2025-01-01T00:00:00+00:00"),
    )
    db.commit()
    db.close()


def test_an_old_store_migrates_and_gets_its_sentences_once(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_store(db, f"<p>Intro. {ATTRIBUTION}</p>")
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        (stored,) = store.extractions()
        assert stored.sentences is None  # unknown, not "none"
        complete, filled = fill_sentences([stored])
        assert filled == complete and complete[0].sentences is not None
        assert store.put_sentences(filled) == 1
    with Store(db) as store:
        (again,) = store.extractions()
    assert again.sentences == complete[0].sentences
    assert again.article.title == "Old" and again.citations == ()


def test_report_from_an_old_store_finds_the_unlinked_attribution(tmp_path: Path) -> None:
    db = tmp_path / "old.db"
    _old_store(db, f"<p>Intro. {ATTRIBUTION}</p>")
    out = tmp_path / "report"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["problem_counts"].get("unlinked_attribution") == 1
    with Store(db) as store:
        (stored,) = store.extractions()
    assert stored.sentences is not None  # written back: the next report does not parse


@pytest.mark.parametrize("depth", [6_000])
def test_a_small_deep_fragment_is_flattened_too(depth: int) -> None:
    # 6,000 unclosed <div>s fit in 30 kB: the run sign catches markup the size sign misses.
    html = "<div>" * depth + '<p>Deep <a href="https://deep.example/">x</a>.</p>'
    result = extract(article("d", html))
    assert [c.url for c in result.citations] == ["https://deep.example/"]
    assert any(w.startswith("elements nested deeper than 1000 levels") for w in result.warnings)


def test_sentences_can_be_skipped_where_nothing_analyses() -> None:
    """Segmenting the prose is most of a WordPress post's extraction cost; `linkgraph extract`
    and `check` never read it, so they skip it ("not read" is None, never an empty tuple)."""
    post = Article("p", "https://news.example/a", "news.example", "T", None, None,
                   Origin("p.json"), "<p>Yonhap said so. <a href='https://x.example/'>X</a>.</p>",
                   BodyKind.FRAGMENT)
    assert extract(post, sentences=False).sentences is None
    assert extract(post).sentences
    skipped = list(extract_inputs([str(ROOT / "examples")], sentences=False))
    assert skipped and all(isinstance(x, Extraction) and x.sentences is None for x in skipped)
