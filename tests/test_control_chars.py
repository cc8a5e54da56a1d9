"""Control characters (schema.control_char) are one list (``_text.CONTROL_CHAR``): what ``fill`` refuses, what the
reader finds in a cell, and the reader's whole-sheet search over ``repr`` (``CONTROL_SHOWN``) agree."""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals._read import _interpret
from xlgoals._write import _fill



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
