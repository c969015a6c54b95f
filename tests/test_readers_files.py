"""Files and folders: expansion, formats, and bad input that must never stop a batch."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from linkgraph.readers import MAX_INPUT_BYTES, iter_input_files, read_file, read_inputs
from linkgraph.readers.sniff import Gunzipped, gunzip
from linkgraph.records import Article, Origin, ReadFailure

POST = {"id": 9, "link": "https://example.org/p/", "content": {"rendered": "<p>x</p>"}}
PAGE = b"<html><head><title>Page</title></head><body><p>Hello</p></body></html>"


def only(items: list[Article | ReadFailure]) -> Article | ReadFailure:
    (item,) = items
    return item


def failure_message(path: Path, **kwargs: int) -> str:
    item = only(list(read_file(str(path), **kwargs)))  # type: ignore[arg-type]
    assert isinstance(item, ReadFailure), item
    assert item.origin == Origin(str(path))
    assert item.message.startswith(f"{path}: ")
    return item.message.removeprefix(f"{path}: ")


def test_folders_expand_recursively_sorted_known_suffixes_only(tmp_path: Path) -> None:
    for name in ("b.json", "a.html", "sub/c.htm.gz", "sub/d.ndjson", "notes.txt", ".hidden.json",
                 ".git/e.json", "sub/Z.XHTML", "img.png"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"")
    given = f"{tmp_path}{os.sep}"  # spelled with a trailing separator, as a shell completes it
    members = list(iter_input_files([given, "loose.txt"]))
    rel = [m.removeprefix(given) for m in members[:-1]]
    assert rel == ["a.html", "b.json", "sub/Z.XHTML", "sub/c.htm.gz", "sub/d.ndjson"]
    assert all(m.startswith(given) for m in members[:-1])
    assert members[-1] == "loose.txt"  # files are kept as given, whatever their name


def test_missing_path_is_a_failure_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.json").write_text(json.dumps(POST))
    items = list(read_inputs(["nope/missing.json", str(tmp_path / "ok.json")]))
    assert isinstance(items[0], ReadFailure)
    assert items[0].message == "nope/missing.json: no such file"
    assert isinstance(items[1], Article)


def test_empty_files(tmp_path: Path) -> None:
    for name in ("e.json", "e.html", "e.jsonl"):
        (tmp_path / name).write_bytes(b"")
        assert failure_message(tmp_path / name).startswith("empty file")
    (tmp_path / "e.html.gz").write_bytes(gzip.compress(b"   "))
    assert failure_message(tmp_path / "e.html.gz") == "empty file once decompressed"


def test_binary_files_named_as_inputs(tmp_path: Path) -> None:
    (tmp_path / "img.html").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    assert failure_message(tmp_path / "img.html") == (
        "not a JSON or HTML input: the bytes are a PNG image"
    )
    (tmp_path / "blob.json").write_bytes(b"\x00\x01\x02garbage\x00" * 50)
    assert "binary data" in failure_message(tmp_path / "blob.json")


def test_json_file_that_is_html(tmp_path: Path) -> None:
    (tmp_path / "posts.json").write_bytes(b"<!DOCTYPE html>\n<html><body>403 Forbidden</body>")
    assert failure_message(tmp_path / "posts.json") == (
        "not JSON: expected '{' or '[' at byte 0, found '<' (it looks like HTML)"
    )


def test_corrupt_gzip(tmp_path: Path) -> None:
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\xde\xad\xbe\xef" * 20)
    assert failure_message(tmp_path / "bad.html.gz").startswith("corrupt gzip data")


def test_truncated_gzip_reads_what_it_holds_with_a_warning(tmp_path: Path) -> None:
    packed = gzip.compress(PAGE * 200)
    (tmp_path / "cut.html.gz").write_bytes(packed[: len(packed) - 20])
    article = only(list(read_file(str(tmp_path / "cut.html.gz"))))
    assert isinstance(article, Article)
    assert article.title == "Page"
    assert article.warnings[0].startswith(f"{tmp_path / 'cut.html.gz'}: gzip stream truncated")


def test_file_over_the_cap_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "big.html").write_bytes(PAGE + b"<p>" + b"x" * 5000 + b"</p>")
    message = failure_message(tmp_path / "big.html", max_bytes=1024)
    assert message.endswith("is over the input cap of 1024 bytes; not read")
    assert MAX_INPUT_BYTES == 64 * 1024 * 1024


def test_gzip_that_expands_over_the_cap_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bomb.json.gz").write_bytes(gzip.compress(b"[" + b" " * 5_000_000 + b"]"))
    message = failure_message(tmp_path / "bomb.json.gz", max_bytes=1_000_000)
    assert message == "over the input cap of 1000000 bytes once decompressed"


def test_unknown_suffix_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "post.txt").write_text(json.dumps(POST))
    (tmp_path / "page.dat").write_bytes(PAGE)
    (tmp_path / "notes.md").write_text("# just notes\n")
    items = list(read_inputs([str(tmp_path / n) for n in ("post.txt", "page.dat", "notes.md")]))
    assert isinstance(items[0], Article) and items[0].id == "wp:example.org:9"
    assert isinstance(items[1], Article) and items[1].title == "Page"
    assert isinstance(items[2], ReadFailure)
    assert "unknown input format" in items[2].message


def test_folder_with_good_and_bad_files_reads_every_good_one(tmp_path: Path) -> None:
    (tmp_path / "1-good.json").write_text(json.dumps([POST, {**POST, "id": 10}]))
    (tmp_path / "2-empty.html").write_bytes(b"")
    (tmp_path / "3-png.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "4-corrupt.json.gz").write_bytes(b"\x1f\x8b\x08\x00nonsense")
    (tmp_path / "5-good.html").write_bytes(PAGE)
    (tmp_path / "6-truncated.json").write_text(json.dumps(POST)[:-5])
    (tmp_path / "7-list-with-bad-record.json").write_text(json.dumps([POST, 42, POST]))
    items = list(read_inputs([str(tmp_path)]))
    summary = [(Path(i.origin.path).name, i.origin.record, type(i).__name__) for i in items]
    assert summary == [
        ("1-good.json", 0, "Article"),
        ("1-good.json", 1, "Article"),
        ("2-empty.html", None, "ReadFailure"),
        ("3-png.html", None, "ReadFailure"),
        ("4-corrupt.json.gz", None, "ReadFailure"),
        ("5-good.html", None, "Article"),
        ("6-truncated.json", None, "Article"),
        ("7-list-with-bad-record.json", 0, "Article"),
        ("7-list-with-bad-record.json", 1, "ReadFailure"),
        ("7-list-with-bad-record.json", 2, "Article"),
    ]
    for item in items:
        texts = [item.message] if isinstance(item, ReadFailure) else list(item.warnings)
        assert all(t.startswith(str(item.origin)) for t in texts)


def test_folder_without_inputs_is_reported(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("nothing to read")
    (item,) = read_inputs([str(tmp_path)])
    assert isinstance(item, ReadFailure)
    assert item.message.startswith(f"{tmp_path}: folder holds no input files")


def test_a_folder_passed_to_read_file_is_a_failure(tmp_path: Path) -> None:
    assert failure_message(tmp_path) == "is a folder, not a file"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    target = tmp_path / "locked.json"
    target.write_text(json.dumps(POST))
    target.chmod(0)
    assert failure_message(target) == "permission denied"


@pytest.mark.corpus
def test_the_whole_corpus_reads_without_exception(corpus: Path) -> None:
    folders = [corpus / name for name in ("seed", "wp", "linkchecker", "readability",
                                          "scrapinghub-aeb")]
    items = list(read_inputs([str(f) for f in folders]))
    bad = [i for i in items if isinstance(i, ReadFailure)]
    # the only failures: two empty linkchecker fixtures (scrapinghub's urls.json is a manifest)
    assert sorted(Path(f.origin.path).name for f in bad) == ["empty.html", "http_empty.html"]
    assert sum(isinstance(i, Article) for i in items) == 1 + 20 + 373 + 39 + 130 + 181


def test_multi_member_gzip_is_read_whole(tmp_path: Path) -> None:
    posts = [json.dumps({**POST, "id": i}) for i in range(3)]
    members = b"".join(gzip.compress((p + "\n").encode()) for p in posts)
    (tmp_path / "posts.jsonl.gz").write_bytes(members)
    items = list(read_file(str(tmp_path / "posts.jsonl.gz")))
    assert [i.id for i in items if isinstance(i, Article)] == [
        "wp:example.org:0", "wp:example.org:1", "wp:example.org:2"
    ]


def test_reading_streams_one_file_at_a_time(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(POST))
    (tmp_path / "b.json").write_text(json.dumps(POST))
    stream = read_inputs([str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert isinstance(next(stream), Article)
    (tmp_path / "b.json").unlink()  # not read yet: the stream has not got there
    (later,) = list(stream)
    assert isinstance(later, ReadFailure) and later.message.endswith("no such file")


@pytest.mark.parametrize("members", [1, 2, 3, 700])
@pytest.mark.parametrize("padding", [b"", b"\x00" * 5])
def test_gzip_members_across_slices_are_read_whole(members: int, padding: bytes) -> None:
    """Members larger and smaller than the slice zlib is fed, with NUL padding between them."""
    parts = [(f"<p>{i}</p>" * (1 + (i * 7919) % 20_000)).encode() for i in range(members)]
    data = b"".join(gzip.compress(part) + padding for part in parts)
    assert gunzip(data, 1 << 30) == Gunzipped(b"".join(parts))


def test_gzip_cut_inside_a_later_member_keeps_the_earlier_ones() -> None:
    first, second = b"<p>a</p>" * 40_000, b"<p>b</p>" * 40_000
    data = gzip.compress(first) + gzip.compress(second, compresslevel=0)[:-20_000]
    result = gunzip(data, 1 << 30)
    assert result.data.startswith(first) and len(result.data) > len(first)
    assert result.warning and result.warning.startswith("gzip stream truncated: read ")


def test_gzip_exactly_at_the_cap_is_read_and_one_byte_more_is_refused() -> None:
    body = b"x" * 200_000
    assert gunzip(gzip.compress(body), len(body)).data == body
    assert gunzip(gzip.compress(body + b"x"), len(body)).error is not None
