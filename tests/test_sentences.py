"""Sentence segmenter: a table of texts and the sentence an anchor sits in."""

from __future__ import annotations

import pytest

from linkgraph.extract.sentences import BlockSentences, sentence_at, sentence_spans

SPLITS = [
    ("Dr. Kim met U.S. officials. They left.", ["Dr. Kim met U.S. officials.", "They left."]),
    ("It cost 3.5 million. Then it fell.", ["It cost 3.5 million.", "Then it fell."]),
    ("See No. 5 on the list. Done.", ["See No. 5 on the list.", "Done."]),
    ("On Jan. 5 he spoke. Later too.", ["On Jan. 5 he spoke.", "Later too."]),
    ("J. R. R. Tolkien wrote it. Yes.", ["J. R. R. Tolkien wrote it.", "Yes."]),
    ('He said "stop." Then he left.', ['He said "stop."', "Then he left."]),
    ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
    ("今日は晴れ。明日は雨！本当？", ["今日は晴れ。", "明日は雨！", "本当？"]),
    ("정부는 발표했다. 그는 반대했다.", ["정부는 발표했다.", "그는 반대했다."]),
    ("Wait... and then etc. things happened.", ["Wait... and then etc. things happened."]),
    (
        "Mr. Smith of Acme Inc. agreed. Ms. Lee did not.",
        ["Mr. Smith of Acme Inc. agreed.", "Ms. Lee did not."],
    ),
    (
        "Found in 1616.[12][13] In 1645 it was renamed.",
        ["Found in 1616.[12][13]", "In 1645 it was renamed."],
    ),
    ("", []),
]


@pytest.mark.parametrize(("text", "expected"), SPLITS)
def test_sentence_spans(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_sentence_at_finds_the_anchor_sentence() -> None:
    text = "First one. The U.S. report said so. Last."
    start = text.index("report")
    assert sentence_at(text, start, start + 6) == "The U.S. report said so."


def test_anchor_across_two_sentences_gives_both() -> None:
    text = "One two. Three four."
    assert sentence_at(text, 4, 14) == "One two. Three four."


def test_huge_sentence_is_capped_around_the_anchor() -> None:
    words = " ".join(f"w{i}" for i in range(400))
    text = words + " ANCHOR " + words + "."
    start = text.index("ANCHOR")
    context = sentence_at(text, start, start + 6, cap=300)
    assert "ANCHOR" in context
    assert context.startswith("…")
    assert context.endswith("…")
    assert len(context) <= 310


@pytest.mark.parametrize(("text", "_expected"), SPLITS)
def test_lazy_spans_give_the_same_sentence_as_whole_segmentation(
    text: str, _expected: list[str]
) -> None:
    # Every anchor position, including empty anchors on boundaries and in white space.
    padded = f"  {text}  Then one more. {text} "
    whole = sentence_spans(padded)
    lazy = BlockSentences(padded)
    for start in range(len(padded) + 1):
        for end in range(start, min(len(padded), start + 12) + 1):
            assert sentence_at(padded, start, end, spans=lazy.spans_around(start, end)) == (
                sentence_at(padded, start, end, spans=whole)
            ), (start, end)
