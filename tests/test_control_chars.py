"""Control characters (schema.control_char) are one list (``_text.CONTROL_CHAR``): what ``fill`` refuses and what the
reader finds in a cell agree; a JSON document holding one is said so by validate_document, at the JSON pointer."""

from __future__ import annotations

import json

import pytest

from xlgoals import validate_document
from xlgoals import _text
from xlgoals._write import _limits

from .conftest import EXAMPLE_JSON


def test_the_reader_and_fill_use_one_list():
    assert _text.CONTROL_CHAR is _limits._CONTROL_CHAR


def test_one_escaper_writes_each_control_as_its_escape_and_keeps_line_breaks():
    """``_text.escape_controls``: what the CSV report, the annotated copy and the reader's schema.control_char quote."""
    from xlgoals._check._annotate import _clean
    from xlgoals._check._report import neutralise

    text = "甲\x1b[31m乙\u202e丙\n丁\t戊\x00"
    assert _text.escape_controls(text) == "甲\\u001b[31m乙\\u202e丙\n丁\t戊\\u0000"
    assert _text.escape_controls("促进就业 100%") == "促进就业 100%"
    assert neutralise(text) == _text.escape_controls(text)
    assert _clean(text) == _text.escape_controls(text)


def test_the_list_holds_the_controls_and_not_the_line_breaks():
    control = _text.CONTROL_CHAR
    for c in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), *range(0x7f, 0xa0), *range(0x202a, 0x202f),
              *range(0x2066, 0x206a)]:
        assert control.search(chr(c)), hex(c)
    assert not control.search("\t\n\r 甲\u00a0\u2028\u200b\u200f\u2065\u206a")


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
