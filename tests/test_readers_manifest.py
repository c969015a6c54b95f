"""Saved pages with their addresses: manifests recognised by shape, applied to what they name."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from linkgraph.cli import main
from linkgraph.errors import InputError
from linkgraph.readers import plan_inputs, read_inputs, read_manifest
from linkgraph.readers.manifest import looks_like_manifest, parse_manifest
from linkgraph.records import Article, ReadFailure

# (file name, bytes, [(name, url)] or None when it is not a manifest, problems)
SHAPES = [
    ("urls.json", b'{"a.html.gz": "https://n.example/a", "b.htm": "http://n.example/b"}',
     [("a.html.gz", "https://n.example/a"), ("b.htm", "http://n.example/b")], 0),
    ("list.json", b'[{"file": "x/a.html", "url": "https://n.example/a"},'
                  b' {"path": "b.html", "url": "https://n.example/b", "title": "B"}]',
     [("x/a.html", "https://n.example/a"), ("b.html", "https://n.example/b")], 0),
    ("pages.csv", b"filename,url,title\na.html,https://n.example/a,A\n\nb.html,ftp://n/b,B\n",
     [("a.html", "https://n.example/a")], 1),
    ("bad-urls.json", b'{"a.html": "not a url", "b.html": "https://n.example/b"}',
     [("b.html", "https://n.example/b")], 1),
    # Not manifests: a WordPress post, a list of posts, a CSV of other columns, other maps.
    ("post.json", b'{"id": 9, "link": "https://n.example/p/", "content": {"rendered": ""}}',
     None, 0),
    ("posts.json", b'[{"id": 9, "link": "https://n.example/p/"}]', None, 0),
    ("other.csv", b"name,count\na,1\n", None, 0),
    ("labels.json", b'{"en": "English", "fr": "French"}', None, 0),
    ("broken.json", b'{"a.html": "https://n.example/a", ', None, 0),
]


@pytest.mark.parametrize(("name", "data", "entries", "problems"), SHAPES)
def test_manifest_shapes(
    name: str, data: bytes, entries: list[tuple[str, str]] | None, problems: int
) -> None:
    manifest = parse_manifest(data, name)
    if entries is None:
        assert manifest is None
        return
    assert manifest is not None
    assert [(e.name, e.url) for e in manifest.entries] == entries
    assert len(manifest.problems) == problems
    assert all(p.startswith(f"{name}: entry ") for p in manifest.problems)


@pytest.mark.parametrize(("name", "data", "entries", "problems"), SHAPES[:3])
def test_the_head_check_lets_every_manifest_through(
    name: str, data: bytes, entries: list[tuple[str, str]], problems: int
) -> None:
    assert looks_like_manifest(data[:4096], name)


@pytest.mark.corpus
def test_the_real_urls_json_is_a_manifest_for_its_folder(corpus: Path) -> None:
    folder = corpus / "scrapinghub-aeb"
    urls = json.loads((folder / "urls.json").read_text("utf-8"))
    planned = list(plan_inputs([str(folder)]))
    assert len(planned) == len(urls) == 181
    assert all(Path(p.path).parent.name == "html" for p in planned)  # urls.json is not read
    assert {Path(p.path).name: p.base for p in planned} == urls
    # Given as an input, it stands for the pages it names; given as --manifest, it applies.
    assert list(plan_inputs([str(folder / "urls.json")])) == planned
    assert list(plan_inputs([str(folder / "html")], manifest=str(folder / "urls.json"))) == planned


@pytest.mark.corpus
def test_extract_reads_the_folder_with_its_urls(corpus: Path) -> None:
    folder = corpus / "scrapinghub-aeb"
    urls = json.loads((folder / "urls.json").read_text("utf-8"))
    result = CliRunner().invoke(main, ["extract", str(folder), "--format", "jsonl", "-j", "2"])
    assert result.exit_code == 0, result.stderr  # urls.json is no longer a broken post
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows and all(row["article_url"] == urls[Path(row["origin"]).name] for row in rows)
    assert "urls.json" not in result.stderr
    assert "no page URL" not in result.stderr  # every page has its address now


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


PAGE = "<html><body><article><p>See <a href='/src'>the source</a>.</p></article></body></html>"


def test_missing_and_ambiguous_entries_are_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path / "pages" / "a.html", PAGE)
    write(tmp_path / "pages" / "x" / "b.html", PAGE)
    write(tmp_path / "pages" / "y" / "b.html", PAGE)
    manifest = write(tmp_path / "pages" / "urls.json", json.dumps(
        {"a.html": "https://n.example/a", "b.html": "https://n.example/b",
         "gone.html": "https://n.example/gone"}))
    with caplog.at_level(logging.WARNING, logger="linkgraph"):
        planned = list(plan_inputs([str(tmp_path / "pages")]))
    assert [(Path(p.path).relative_to(tmp_path).as_posix(), p.base) for p in planned] == [
        ("pages/a.html", "https://n.example/a"), ("pages/x/b.html", None),
        ("pages/y/b.html", None)]
    assert [r.getMessage() for r in caplog.records] == [
        f"{manifest}: entry 2 ('b.html') matches 2 files by name under {manifest.parent};"
        " not applied",
        f"{manifest}: entry 3 ('gone.html'): no such page file under {manifest.parent};"
        " its URL https://n.example/gone is unused",
    ]


def test_a_csv_manifest_at_the_top_of_a_folder(tmp_path: Path) -> None:
    write(tmp_path / "saved" / "story.html", PAGE)
    write(tmp_path / "saved" / "index.csv", "file,url\nstory.html,https://paper.example/news/1\n")
    (article,) = read_inputs([str(tmp_path / "saved")])
    assert isinstance(article, Article)
    assert article.url == "https://paper.example/news/1"


def test_manifest_wins_over_base_for_the_pages_it_names(tmp_path: Path) -> None:
    write(tmp_path / "a.html", PAGE)
    write(tmp_path / "b.html", PAGE)
    manifest = write(tmp_path / "m.csv", "path,url\na.html,https://one.example/a\n")
    planned = plan_inputs([str(tmp_path / "a.html"), str(tmp_path / "b.html")],
                          base="https://base.example/", manifest=str(manifest))
    assert [p.base for p in planned] == ["https://one.example/a", "https://base.example/"]


def test_a_file_that_is_not_a_manifest_is_refused(tmp_path: Path) -> None:
    post = write(tmp_path / "post.json", '{"id": 1, "content": {"rendered": "<p>x</p>"}}')
    with pytest.raises(InputError, match="not a manifest"):
        read_manifest(str(post))
    result = CliRunner().invoke(main, ["extract", str(post), "--manifest", str(post)])
    assert result.exit_code == 2
    assert "not a manifest" in result.stderr


def test_cli_manifest_option_sets_page_urls(tmp_path: Path) -> None:
    page = write(tmp_path / "saved" / "p.html", PAGE)
    manifest = write(tmp_path / "urls.json", json.dumps({"saved/p.html": "https://s.example/n/1"}))
    result = CliRunner().invoke(
        main, ["extract", str(page), "--manifest", str(manifest), "--format", "jsonl", "-j", "1"])
    assert result.exit_code == 0, result.stderr
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (row["article_url"], row["url"]) == ("https://s.example/n/1", "https://s.example/src")
    without = CliRunner().invoke(main, ["extract", str(page), "--format", "jsonl", "-j", "1"])
    (row,) = [json.loads(line) for line in without.stdout.splitlines()]
    assert row["url"] is None  # the manifest is what resolved it


def test_read_failures_still_come_through(tmp_path: Path) -> None:
    write(tmp_path / "urls.json", json.dumps({"a.html": "https://s.example/a"}))
    write(tmp_path / "a.html", b"")
    (failure,) = read_inputs([str(tmp_path)])
    assert isinstance(failure, ReadFailure)
    assert failure.message.endswith("empty file")


@pytest.mark.parametrize("spelling", ["../secret/page.html", "ABSOLUTE"])
def test_a_manifest_among_the_inputs_cannot_pull_in_outside_files(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, spelling: str
) -> None:
    """Entries outside the manifest's folder (``../``, absolute) used to be read as inputs."""
    secret = write(tmp_path / "secret" / "page.html", PAGE)
    write(tmp_path / "saved" / "a.html", PAGE)
    name = str(secret) if spelling == "ABSOLUTE" else spelling
    manifest = write(tmp_path / "saved" / "urls.json", json.dumps(
        {"a.html": "https://n.example/a", name: "https://n.example/secret"}))
    for inputs in ([str(manifest)], [str(tmp_path / "saved")]):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="linkgraph"):
            planned = list(plan_inputs(inputs))
        assert [(Path(p.path).name, p.base) for p in planned] == [
            ("a.html", "https://n.example/a")]
        assert [r.getMessage() for r in caplog.records] == [
            f"{manifest}: entry 2 ({name!r}) names a file outside the manifest's folder;"
            " refused (name the manifest with --manifest to read it)"]
    # Named with --manifest, the user asked for it: read, with a warning per outside file.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="linkgraph"):
        planned = list(plan_inputs([str(secret)], manifest=str(manifest)))
    assert [p.base for p in planned] == ["https://n.example/secret"]
    (warning,) = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"{manifest}: entry 2 reads ") and "outside the manifest's" \
        in warning
