"""Charsets of saved pages: BOM, declaration, detection, lies and undecodable bytes.

Fixtures are made here by re-encoding real pages: the corpus's Korean, Russian, Japanese and
Chinese news pages, and two short articles written for this project
(tests/fixtures/readers/{korean,russian}-article.html).  Characters a legacy charset cannot hold
become numeric references, as a legacy CMS would write them.
"""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest

from linkgraph.readers.charset import CharsetSource, decode_html, normalise_label

META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.IGNORECASE)
SCRAPINGHUB_KO = "0ec95c7261d1"  # file name prefixes in scrapinghub-aeb/html
SCRAPINGHUB_RU = "c82b3d1d540b"
SCRAPINGHUB_JA = "85439e26c41c"


def without_meta(text: str) -> str:
    return META_CHARSET.sub("", text)


def with_meta(text: str, label: str) -> str:
    text = without_meta(text)
    head = re.search(r"<head[^>]*>", text)
    assert head is not None
    return text[: head.end()] + f'<meta charset="{label}">' + text[head.end() :]


def corpus_page(corpus: Path, name: str) -> str:
    if name.endswith(".html"):
        return (corpus / "readability" / name).read_text(encoding="utf-8")
    (path,) = (corpus / "scrapinghub-aeb" / "html").glob(f"{name}*.html.gz")
    return gzip.decompress(path.read_bytes()).decode("utf-8")


def check(text: str, label: str, codec: str, *, meta: bool) -> None:
    page = with_meta(text, label) if meta else without_meta(text)
    data = page.encode(codec, "xmlcharrefreplace")
    decoded = decode_html(data)
    assert decoded.text == data.decode(codec), (label, meta, decoded.encoding)
    assert decoded.warnings == ()
    assert decoded.source is (CharsetSource.DECLARED if meta else CharsetSource.DETECTED)


# (label written in the page, Python codec used to write the bytes)
OWN_TEXTS = [
    ("korean-article.html", "euc-kr", "euc-kr"),
    ("russian-article.html", "windows-1251", "cp1251"),
    ("russian-article.html", "koi8-r", "koi8-r"),
]


@pytest.mark.parametrize("meta", [True, False], ids=["meta", "no-meta"])
@pytest.mark.parametrize(("name", "label", "codec"), OWN_TEXTS)
def test_own_articles_in_legacy_charsets(
    fixtures: Path, name: str, label: str, codec: str, *, meta: bool
) -> None:
    check((fixtures / "readers" / name).read_text(encoding="utf-8"), label, codec, meta=meta)


CORPUS_PAGES = [
    (SCRAPINGHUB_KO, "euc-kr", "euc-kr"),
    (SCRAPINGHUB_RU, "windows-1251", "cp1251"),
    (SCRAPINGHUB_JA, "shift_jis", "cp932"),
    ("hukumusume.html", "shift_jis", "shift_jis"),
    ("yahoo-4.html", "shift_jis", "cp932"),
    ("hukumusume.html", "euc-jp", "euc-jp"),
    ("qq.html", "gb18030", "gb18030"),
    ("gmw.html", "gb2312", "gb18030"),
    ("youth.html", "gbk", "gbk"),
]


@pytest.mark.corpus
@pytest.mark.parametrize("meta", [True, False], ids=["meta", "no-meta"])
@pytest.mark.parametrize(("name", "label", "codec"), CORPUS_PAGES)
def test_corpus_pages_re_encoded(
    corpus: Path, name: str, label: str, codec: str, *, meta: bool
) -> None:
    check(corpus_page(corpus, name), label, codec, meta=meta)


@pytest.mark.parametrize(
    ("name", "codec"), [("russian-article.html", "cp1251"), ("korean-article.html", "euc-kr")]
)
def test_a_meta_that_lies_about_utf8_is_overruled_and_reported(
    fixtures: Path, name: str, codec: str
) -> None:
    page = with_meta((fixtures / "readers" / name).read_text(encoding="utf-8"), "utf-8")
    data = page.encode(codec)
    decoded = decode_html(data)
    assert decoded.text == page
    assert decoded.source is CharsetSource.DETECTED
    (warning,) = decoded.warnings
    assert warning.startswith("declared charset 'utf-8' does not fit the bytes (invalid at byte")


def test_valid_utf8_takes_the_fast_path_even_when_a_meta_says_otherwise() -> None:
    page = '<meta charset="windows-1251"><p>Привет, 世界</p>'
    decoded = decode_html(page.encode("utf-8"))
    assert decoded.text == page
    assert (decoded.encoding, decoded.source) == ("utf-8", CharsetSource.UTF8)


def test_byte_order_marks_win() -> None:
    page = "<p>Grüße, 世界</p>"
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xfe\xff", "utf-16-be")):
        decoded = decode_html(bom + page.encode(codec))
        assert decoded.text == page
        assert decoded.source is CharsetSource.BOM


def test_utf16_without_bom_is_recognised() -> None:
    page = "<html><head><title>Test</title></head><body><p>Grüße aus Köln</p></body></html>"
    decoded = decode_html(page.encode("utf-16-le"))
    assert decoded.text == page


def test_iso_2022_jp_is_7bit_and_follows_its_declaration() -> None:
    page = '<meta charset="iso-2022-jp"><p>日本語のテキストです。</p>'
    decoded = decode_html(page.encode("iso2022_jp"))
    assert decoded.text == page


def test_undecodable_bytes_give_a_warning_not_a_crash() -> None:
    data = b'<meta charset="utf-8"><p>ok</p>' + b"\xff\xfe\xfa" * 3 + b"<p>end</p>"
    decoded = decode_html(data)
    assert "<p>ok</p>" in decoded.text and "<p>end</p>" in decoded.text
    assert any("undecodable" in w or "does not fit" in w for w in decoded.warnings)


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    for _ in range(50):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000)))
        decoded = decode_html(blob)
        assert isinstance(decoded.text, str)
        decoded.text.encode("utf-8")  # no lone surrogates


@pytest.mark.parametrize(
    ("label", "codec"),
    [("EUC-KR", "cp949"), ("ks_c_5601-1987", "cp949"), ("Shift_JIS", "cp932"),
     ("GB2312", "gb18030"), ("ISO-8859-1", "cp1252"), ("utf-16", "utf-8"),
     ("windows-1251", "cp1251"), ("koi8-r", "koi8-r"), ("no-such-charset", None)],
)
def test_labels_follow_the_whatwg_table(label: str, codec: str | None) -> None:
    assert normalise_label(label) == codec


def test_unknown_declared_label_is_reported() -> None:
    data = '<meta charset="x-klingon"><p>Привет мир, как дела?</p>'.encode("cp1251")
    decoded = decode_html(data)
    assert any("unknown charset label 'x-klingon'" in w for w in decoded.warnings)


@pytest.mark.corpus
def test_linkchecker_charset_fixtures_decode_to_the_same_text(corpus: Path) -> None:
    folder = corpus / "linkchecker" / "charsets"
    anchors = set()
    for name, codec in (("cp1250.html", "cp1250"), ("iso8859-2.html", "iso8859-2"),
                        ("utf8.html", "utf-8")):
        decoded = decode_html((folder / name).read_bytes())
        assert decoded.encoding == codec and decoded.warnings == ()
        anchors.add(decoded.text.split("<a ", 1)[1].split("</a>", 1)[0])
    assert anchors == {'href="file.html">Žluťoučký kúň úpěl ďábelské ódy ůůůů'}
