"""Control characters (schema.control_char) are one list (``_text.CONTROL_CHAR``): what ``fill`` refuses, what the
reader finds in a cell, and the reader's whole-sheet search over ``repr`` (``CONTROL_SHOWN``) agree; a JSON document
holding one is said so by validate_document, at the JSON pointer."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import validate_document
from xlgoals._read import _interpret
from xlgoals._write import _fill

from .conftest import EXAMPLE_JSON


def test_the_reader_and_fill_use_one_list():
    assert _interpret._CONTROL is _fill._CONTROL_CHAR


def test_the_search_over_repr_finds_exactly_the_control_characters_of_each_code_point():
    shown, control = _interpret._CONTROL_SHOWN, _interpret._CONTROL
    for c in range(0x3000):
        ch = chr(c)
        if 0xD800 <= c < 0xE000:
            continue
        assert bool(shown.search(repr(ch))) == bool(control.search(ch)), hex(c)
        assert bool(shown.search(repr([["甲", ch + "乙\n"], [None, 1.5]]))) == bool(control.search(ch)), hex(c)
    assert control.search("\x1b") and control.search("\u202e") and control.search("\x9b")
    assert not control.search("\t\n\r 甲\u00a0\u2028\u200b")


_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.one_of(_TEXT, st.none(), st.floats(allow_nan=False)), max_size=4), max_size=4))
def test_the_search_over_repr_agrees_with_the_search_of_each_cell(rows):
    shown, control = _interpret._CONTROL_SHOWN, _interpret._CONTROL
    has = any(isinstance(v, str) and control.search(v) for row in rows for v in row)
    if has:  # never missed
        assert shown.search(repr(rows))
    if not any(isinstance(v, str) and "\\" in v for row in rows for v in row):  # (a typed \x1b is a hint only)
        assert bool(shown.search(repr(rows))) == has


def _doc_with(where: str, ch: str) -> tuple[dict, str]:
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    if where == "project name":
        doc["project"]["name"] += ch
        return doc, "/project/name"
    for i, ind in enumerate(doc["indicators"]):
        if where == "indicator name" and isinstance(ind.get("name"), str):
            ind["name"] += ch
            return doc, f"/indicators/{i}/name"
        if where == "target" and isinstance(ind.get("text"), str):
            ind["text"] = ind["text"][:1] + ch + ind["text"][1:]
            return doc, f"/indicators/{i}/text"
    raise AssertionError(where)


@pytest.mark.parametrize("ch", ["\x1b[31m", "\x00", "\x7f", "\x9b", "\u202e", "\u2066"])
@pytest.mark.parametrize("where", ["project name", "indicator name", "target"])
def test_a_document_with_a_control_character_is_said_at_its_pointer(where, ch):
    """validate_document said nothing of an ESC, NUL or bidi override in a document's text,
    which fill refuses and the reader reports in a cell: an error at the JSON pointer, once."""
    doc, path = _doc_with(where, ch)
    said = [p for p in validate_document(doc) if p.code == "schema.control_char"]
    assert [(p.severity, p.path) for p in said] == [("error", path)], said
    assert f"\\u{ord(ch[0]):04x}" in said[0].message and "控制字符" in said[0].message, said[0].message


def test_a_document_without_control_characters_has_none_said():
    for src in EXAMPLE_JSON:
        doc = json.loads(src.read_text(encoding="utf-8"))
        assert not [p for p in validate_document(doc) if p.code == "schema.control_char"]
