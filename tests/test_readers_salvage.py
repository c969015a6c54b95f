"""The tolerant JSON parser: what a cut or damaged document still gives."""

from __future__ import annotations

import json

import pytest

from linkgraph.readers.salvage import MAX_DEPTH, ParseState, parse_tolerant

COMPLETE_CASES = [
    '{"a": 1, "b": [true, false, null], "c": {"d": "e"}}',
    '[1, -2.5e3, "x\\u00e9\\ud83d\\ude00", {}]',
    '  {"nested": [[[]]], "esc": "\\"\\\\\\/\\b\\f\\n\\r\\t"}  ',
]


@pytest.mark.parametrize("text", COMPLETE_CASES)
def test_complete_documents_decode_exactly_like_json(text: str) -> None:
    parsed = parse_tolerant(text)
    assert parsed.state is ParseState.COMPLETE
    assert parsed.value == json.loads(text)
    assert parsed.cut_path is None


# (text, kept value, innermost cut path)
CUT_CASES = [
    (
        '{"id": 7, "content": {"rendered": "<p>Hello, wor',
        {"id": 7, "content": {"rendered": "<p>Hello, wor"}},
        ("content", "rendered"),
    ),
    ('{"a": "x\\u00', {"a": "x"}, ("a",)),  # an escape cut in half is dropped
    ('{"a": "x\\', {"a": "x"}, ("a",)),
    ('{"a": 12', {}, ()),  # a number at the end may be cut: dropped
    ('{"a": tr', {}, ()),  # so is a literal
    ('{"a": 1, "lon', {"a": 1}, ()),  # and a key
    ('{"a": 1,', {"a": 1}, ()),
    ('[{"a": 1}, {"b": "two', [{"a": 1}, {"b": "two"}], (1, "b")),
    ('[{"a": 1}, ', [{"a": 1}], ()),
    ('{"a": [1, 2, {"b": "c"', {"a": [1, 2, {"b": "c"}]}, ("a", 2)),
    ('{"s": "line one\nline two', {"s": "line one\nline two"}, ("s",)),  # raw control chars
    ('{"s": "\\ud83d\\ude00 ok', {"s": "\U0001f600 ok"}, ("s",)),
]


@pytest.mark.parametrize(("text", "value", "cut_path"), CUT_CASES)
def test_cut_documents_keep_every_complete_part(
    text: str, value: object, cut_path: tuple[object, ...]
) -> None:
    parsed = parse_tolerant(text)
    assert parsed.state is ParseState.CUT
    assert parsed.value == value
    assert parsed.cut_path == cut_path


# (text, value kept before the error, error offset)
ERROR_CASES = [
    ("[1, 2 3]", [1, 2], 6),
    ('{"a": 1 "b": 2}', {"a": 1}, 8),
    ('[{"a": 1}, {"b": ]', [{"a": 1}], 17),
    ('{"a": "bad \\q escape"}', {}, 11),
    ("<html>", None, 0),
]


@pytest.mark.parametrize(("text", "value", "at"), ERROR_CASES)
def test_syntax_errors_stop_with_the_position(text: str, value: object, at: int) -> None:
    parsed = parse_tolerant(text)
    assert parsed.state is ParseState.ERROR
    assert parsed.value == value
    assert parsed.error_at == at
    assert parsed.error


def test_lone_surrogate_escapes_in_a_cut_string_become_replacement_characters() -> None:
    parsed = parse_tolerant('{"s": "a\\ud800b')
    assert parsed.value == {"s": "a\ufffdb"}
    parsed.value["s"].encode("utf-8")  # encodable: no lone surrogate survives


def test_deep_nesting_is_refused_not_a_crash() -> None:
    parsed = parse_tolerant("[" * 100_000)
    assert parsed.state is ParseState.ERROR
    assert f"{MAX_DEPTH}" in (parsed.error or "")


def test_trailing_data_after_a_complete_value_is_flagged() -> None:
    parsed = parse_tolerant('{"a": 1}\n{"b": 2}\n')
    assert parsed.state is ParseState.COMPLETE
    assert parsed.trailing
    assert parsed.value == {"a": 1}
