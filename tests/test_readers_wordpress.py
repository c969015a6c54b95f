"""WordPress REST API posts: the seed, the real lists in the corpus, and damaged documents."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from linkgraph.readers import read_file, read_inputs
from linkgraph.readers.wordpress import parse_wordpress
from linkgraph.records import Article, BodyKind, Origin, ReadFailure

SEED = "seed/koreapro-2200266.json"


def post(post_id: int = 1, **fields: Any) -> dict[str, Any]:
    """A minimal post in the REST API's shape."""
    base: dict[str, Any] = {
        "id": post_id,
        "date": "2024-03-01T10:00:00",
        "date_gmt": "2024-03-01T01:00:00",
        "modified": "2024-03-02T10:00:00",
        "modified_gmt": "2024-03-02T01:00:00",
        "guid": {"rendered": f"https://www.example.org/?p={post_id}"},
        "link": f"https://www.example.org/2024/03/post-{post_id}/",
        "title": {"rendered": f"Post {post_id}"},
        "content": {"rendered": f"<p>Body of post {post_id}</p>"},
    }
    base.update(fields)
    return base


def articles(items: list[Article | ReadFailure]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def failures(items: list[Article | ReadFailure]) -> list[ReadFailure]:
    return [item for item in items if isinstance(item, ReadFailure)]


@pytest.mark.corpus
def test_seed_is_salvaged_with_a_warning_that_names_file_byte_and_fields(corpus: Path) -> None:
    path = str(corpus / SEED)
    data = (corpus / SEED).read_bytes()
    (article,) = parse_wordpress(data, path)
    assert isinstance(article, Article)
    assert article.id == "wp:koreapro.org:2200266"
    assert article.url is not None and article.url.startswith("https://koreapro.org/2023/02/")
    assert article.site == "koreapro.org"
    assert article.site_domains == ("koreapro.org", "nknews.org")  # link and guid
    assert article.title.startswith("Marking one year since Russian invasion")
    assert article.published == datetime(2023, 2, 27, 2, 41, 20, tzinfo=UTC)
    assert article.modified == datetime(2023, 4, 5, 7, 9, 37, tzinfo=UTC)  # modified_gmt
    assert article.body_kind is BodyKind.FRAGMENT
    assert article.origin == Origin(path)
    # the cut string is kept up to the cut: the last paragraph's end is the file's end
    assert article.html.rstrip().endswith("retaliation from Moscow and its allies.\xa0</span></p>")
    assert "Gallup Korea" in article.html and "\n" in article.html  # raw newline accepted
    (warning,) = article.warnings
    assert warning.startswith(f"{path}: truncated JSON at byte {len(data)}: salvaged id, date,")
    assert warning.endswith("link, title, content.rendered (cut)")


@pytest.mark.corpus
def test_design_lab_list_and_singles_read_fully(corpus: Path) -> None:
    folder = corpus / "wp" / "design-lab.tuqulore.com"
    listed = list(read_file(str(folder / "posts.json")))
    assert len(listed) == 10 and not failures(listed)
    assert [a.origin.record for a in articles(listed)] == list(range(10))
    singles = list(read_inputs([str(folder / "posts")]))
    assert len(singles) == 10 and not failures(singles)
    assert {a.id for a in articles(singles)} == {a.id for a in articles(listed)}
    for article in articles(listed):
        raw = json.loads((folder / "posts" / f"{article.id.rsplit(':', 1)[1]}.json").read_text())
        assert article.html == raw["content"]["rendered"]
        assert article.url == raw["link"]
        assert article.published is not None and article.published.tzinfo is not None
        assert article.warnings == ()
        assert article.site == "tuqulore.com"


@pytest.mark.corpus
def test_izquierdahispanica_reads_all_373_posts(corpus: Path) -> None:
    path = corpus / "wp" / "izquierdahispanica.org" / "posts.json"
    items = list(read_file(str(path)))
    assert len(items) == 373 and not failures(items)
    raw = json.loads(path.read_text())
    for article, record in zip(articles(items), raw, strict=True):
        assert article.id == f"wp:izquierdahispanica.org:{record['id']}"
        assert article.html == record["content"]["rendered"]
        assert "&#" not in article.title and "<" not in article.title
        assert article.site_domains == ("izquierdahispanica.org",)


@pytest.mark.corpus
def test_truncated_list_keeps_complete_records_and_salvages_the_cut_one(corpus: Path) -> None:
    data = (corpus / "wp" / "izquierdahispanica.org" / "posts.json").read_bytes()
    cut = data[: len(data) // 2]
    items = list(parse_wordpress(cut, "half.json"))
    good = articles(items)
    assert len(good) > 100
    assert all(a.warnings == () for a in good[:-1])
    last = items[-1]
    assert isinstance(last, Article | ReadFailure)
    text = last.warnings[0] if isinstance(last, Article) else last.message
    assert text.startswith(f"half.json#{len(items) - 1}: truncated JSON at byte {len(cut)}")


def test_title_is_unescaped_and_stripped_of_tags() -> None:
    doc = json.dumps(post(title={"rendered": "Caf&eacute; <em>&amp;</em> &#8220;bar&#8221;"}))
    (article,) = parse_wordpress(doc, "p.json")
    assert isinstance(article, Article)
    assert article.title == "Café & “bar”"


def test_missing_gmt_dates_fall_back_to_local_time_as_utc_with_a_warning() -> None:
    doc = json.dumps(post(date_gmt=None, modified_gmt="0000-00-00T00:00:00"))
    (article,) = parse_wordpress(doc, "p.json")
    assert isinstance(article, Article)
    assert article.published == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    assert article.modified == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert len(article.warnings) == 2
    assert article.warnings[0].startswith("p.json: no date_gmt; date '2024-03-01T10:00:00'")
    assert "taken as UTC" in article.warnings[0]


def test_zoned_dates_are_converted_to_utc() -> None:
    doc = json.dumps(post(date_gmt=None, date="2024-03-01T10:00:00+09:00"))
    (article,) = parse_wordpress(doc, "p.json")
    assert isinstance(article, Article)
    assert article.published == datetime(2024, 3, 1, 1, 0, tzinfo=UTC)
    assert article.warnings == ()


def test_id_without_link_is_a_file_hash_and_site_is_unknown() -> None:
    doc = json.dumps(post(link=None, guid=None))
    (article,) = parse_wordpress(doc, "p.json")
    assert isinstance(article, Article)
    assert article.id.startswith("file:") and len(article.id) == 5 + 16
    assert article.url is None and article.site is None and article.site_domains == ()


def test_list_with_bad_records_fails_only_those_records() -> None:
    doc = json.dumps([post(1), "oops", {"id": 3, "slug": "no-content"}, post(4)])
    items = list(parse_wordpress(doc, "list.json"))
    assert [type(i).__name__ for i in items] == ["Article", "ReadFailure", "ReadFailure", "Article"]
    bad = failures(items)
    assert bad[0].origin == Origin("list.json", 1)
    assert bad[0].message.startswith("list.json#1: not a WordPress post: a JSON str")
    assert bad[1].message.startswith("list.json#2: not a WordPress post: no content.rendered")
    assert articles(items)[1].origin == Origin("list.json", 3)


def test_syntax_error_mid_list_keeps_the_records_before_it() -> None:
    doc = "[" + json.dumps(post(1)) + "," + json.dumps(post(2)) + ", {oops}, " + json.dumps(post(4))
    items = list(parse_wordpress(doc.encode(), "broken.json"))
    assert len(articles(items)) == 2
    (fail,) = failures(items)
    assert fail.origin == Origin("broken.json", 2)
    at = doc.index("{oops}") + 1
    assert fail.message.startswith(f"broken.json#2: invalid JSON at byte {at}: expected a quoted")


def test_not_json_at_all_names_the_file_and_what_is_wrong() -> None:
    (fail,) = parse_wordpress(b"<!DOCTYPE html><html><body>Forbidden</body></html>", "x.json")
    assert isinstance(fail, ReadFailure)
    assert fail.message == (
        "x.json: not JSON: expected '{' or '[' at byte 0, found '<' (it looks like HTML)"
    )
    (fail,) = parse_wordpress(b"  \n", "empty.json")
    assert isinstance(fail, ReadFailure) and "empty" in fail.message


def test_api_error_response_is_named_as_such() -> None:
    doc = json.dumps({"code": "rest_post_invalid_id", "message": "Invalid post ID.", "data": {}})
    (fail,) = parse_wordpress(doc, "p.json")
    assert isinstance(fail, ReadFailure)
    assert "WordPress API error response" in fail.message and "rest_post_invalid_id" in fail.message


def test_json_lines_each_line_is_a_record_and_a_bad_line_fails_alone(tmp_path: Path) -> None:
    lines = [json.dumps(post(1)), "", "{not json", json.dumps(post(3))]
    cut = json.dumps(post(4))[:-8]  # inside content.rendered
    target = tmp_path / "posts.jsonl"
    target.write_text("\n".join([*lines, cut]) + "\n", encoding="utf-8")
    items = list(read_file(str(target)))
    assert [i.origin.record for i in items] == [0, 1, 2, 3]
    assert isinstance(items[1], ReadFailure)
    assert items[1].message.startswith(f"{target}#1: invalid JSON on line 3")
    assert isinstance(items[3], Article)  # the last line, cut: salvaged
    assert "content.rendered (cut)" in items[3].warnings[0]
    assert items[3].html == "<p>Body of post "
    # a .json file holding several documents is read as JSON Lines too
    (tmp_path / "posts.json").write_text(lines[0] + "\n" + lines[3] + "\n", encoding="utf-8")
    assert len(articles(list(read_file(str(tmp_path / "posts.json"))))) == 2


def test_gzip_and_bom_and_invalid_utf8(tmp_path: Path) -> None:
    body = json.dumps([post(1), post(2)]).encode()
    (tmp_path / "a.json.gz").write_bytes(gzip.compress(body))
    (tmp_path / "b.json").write_bytes(b"\xef\xbb\xbf" + body)
    doc = json.dumps(post(3, title={"rendered": "caf\u00e9"}), ensure_ascii=False)
    broken = doc.encode().replace(b"caf\xc3\xa9", b"caf\xe9")
    (tmp_path / "c.json").write_bytes(broken)
    items = list(read_inputs([str(tmp_path)]))
    assert len(articles(items)) == 5 and not failures(items)
    last = articles(items)[-1]
    assert last.title == "caf\ufffd"
    assert last.warnings[0].startswith(f"{tmp_path / 'c.json'}: invalid UTF-8 at byte")


def test_lone_surrogate_escapes_are_replaced_with_a_warning() -> None:
    (article,) = parse_wordpress('{"id": 1, "content": {"rendered": "a\\ud800b"}}', "s.json")
    assert isinstance(article, Article)
    assert article.html == "a\ufffdb"
    assert "lone surrogates" in article.warnings[0]


def test_empty_content_is_read_with_a_warning() -> None:
    doc = json.dumps(post(content={"rendered": "", "protected": True}))
    (article,) = parse_wordpress(doc, "p.json")
    assert isinstance(article, Article)
    assert article.html == ""
    (warning,) = article.warnings
    assert warning == "p.json: content.rendered is empty (the post is password-protected)"


def test_bad_json_lines_name_the_byte_of_the_error_after_non_ascii_lines() -> None:
    """The byte offset is counted line by line (it was the whole prefix re-encoded per bad
    line, quadratic in the file); multi-byte lines before the bad one shift it correctly."""
    good = '{"id": 1, "title": {"rendered": "한국어 ünïcode"}, "content": {"rendered": ""}}'
    lines = [good, "{oops", good, '{"id": 2, "title": x}']
    data = ("\n".join(lines) + "\n").encode("utf-8")
    items = parse_wordpress(data, "m.jsonl", lines=True)
    failures = [x for x in items if isinstance(x, ReadFailure)]
    starts = [data.index(b"{oops"), data.index(b'{"id": 2')]
    assert [f.message.split(" (byte ")[1].split(")")[0] for f in failures] == [
        str(starts[0] + 1), str(starts[1] + len('{"id": 2, "title": '))
    ]
