"""speedA: the reader's front half, fewer instructions for the same answers.

- A row's or cell's tag (Grid._tag_text) is placed as it is asked for, by ``bytes.find`` from where the last question
  stopped (_grid._first_place), not by a regular expression run over the whole part at the first question: one row
  asked of a sheet reads the part up to that row only.  Whatever the order of the questions, the tag found is the
  first that ``xml.find`` finds from the start of the part.
- _grid._as_shown picks a sheet's floats out in C and walks the rows cell by cell only when a number is shown
  otherwise than read (or is no number): a sheet of texts and whole numbers costs no Python step per cell.  Its
  answers are those of the cell-by-cell walk it was.
"""

from __future__ import annotations

import math
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals._decimals import as_shown
from xlgoals._read import _grid, _screen
from xlgoals._read._safety import FileProblem

from .conftest import examples
from .helpers import Counted, CountedRe, written_twice


def _first_tag(xml: bytes, start: bytes):
    """_tag_text as it was first written: the first tag that starts so, found from the start of the part."""
    i = xml.find(start) if xml else -1
    end = xml.find(b">", i) if i >= 0 else -1
    return xml[i + len(start):end] if end >= 0 else None


def _grid_of(xml: bytes) -> _grid.Grid:
    grid = _grid.Grid.__new__(_grid.Grid)  # only what _tag_text reads
    grid.kind, grid._parts, grid._row_tags, grid._cell_tags, grid._renamed = "xlsx", {"s": "p"}, {}, {}, {}
    grid.container = type("C", (), {"parts": {"p": xml}})()
    grid.facts = {"s": _screen.SheetFacts(max_row=None, max_col=None)}  # screened, canonical (no parsed tags)
    return grid


_ROWS = [b"1", b"2", b"12", b"012", b"", b"3"]
_CELLS = [b"A1", b"A2", b"B12", b"A012", b"", b"C3"]


@settings(max_examples=examples(150, 1000), deadline=None)
@given(st.lists(st.sampled_from([b'<row r="1"', b'<row r="12"', b'<row r="2"', b'<row r="<row r="2"', b' ht="9">',
                                 b'<c r="A1"', b'<c r="B12"', b'<c r="A2"', b'<c r="<c r="A2"', b' s="3">', b'<row r="3">',
                                 b'<c r="C3"/>', b'"', b">", b"<", b"1", b"2", b'<row r=""', b'<c r=""', b"/>"]),
                max_size=16),
       st.lists(st.tuples(st.booleans(), st.integers(0, 5)), max_size=14))
def test_tags_asked_in_any_order_are_those_find_finds_from_the_start(pieces, asks):
    xml = b"".join(pieces)
    grid = _grid_of(xml)
    for is_row, k in asks:
        if is_row:
            r = _ROWS[k]
            start = b'<row r="' + r + b'"'
            prefix, args = b'<row r="', (r,)
        else:
            r = _CELLS[k]
            start = b'<c r="' + r + b'"'
            prefix, args = b'<c r="', (None, r)
        try:
            found = grid._tag_text("s", start, *args)
        except FileProblem:  # a row or cell written twice (red team 29ah F1): only where the part holds one
            assert written_twice(xml, prefix), (xml, start)
            return
        assert found == _first_tag(xml, start), (xml, start)


def test_one_row_asked_reads_the_part_up_to_that_row_only(monkeypatch):
    for old in ("_ROW_TAG", "_CELL_TAG"):
        if hasattr(_grid, old):
            monkeypatch.setattr(_grid, old, CountedRe(getattr(_grid, old)))
    rows = b"".join(b'<row r="%d" ht="20"><c r="A%d" s="3" t="s"><v>%d</v></c></row>' % (r, r, r)
                    for r in range(1, 2001))
    xml = Counted(b'<worksheet><sheetData>' + rows + b'</sheetData></worksheet>')
    grid = _grid_of(xml)
    Counted.scanned = 0
    assert grid._tag_text("s", b'<row r="3"', b"3") == b' ht="20"'
    assert Counted.scanned < 300, Counted.scanned  # the first three rows' bytes, not the 2,000 rows'
    assert grid._tag_text("s", b'<row r="2"', b"2") == b' ht="20"'  # (passed over: found without a search)
    assert grid._tag_text("s", b'<row r="5"', b"5") == b' ht="20"'
    assert Counted.scanned < 500, Counted.scanned  # (and up to the next row tag of each found: not the same row)
    assert grid._tag_text("s", b'<row r="2001"', b"2001") is None  # none: the part read to its end, once
    whole = Counted.scanned
    assert whole < 2 * len(xml), (whole, len(xml))
    assert grid._tag_text("s", b'<row r="2002"', b"2002") is None
    assert grid._tag_text("s", b'<row r="1999"', b"1999") == b' ht="20"'
    assert Counted.scanned < whole + 100, (whole, Counted.scanned)  # nothing read again (its ">" found)
    # cells alike, from the second cell asked (the first is one find of its own)
    Counted.scanned = 0
    assert grid._tag_text("s", b'<c r="A2"', None, b"A2") == b' s="3" t="s"'
    assert grid._tag_text("s", b'<c r="A4"', None, b"A4") == b' s="3" t="s"'
    assert Counted.scanned < 600, Counted.scanned


def _as_shown_before(rows: list[list], no_number: set) -> list[list]:
    """_as_shown as it was: every cell looked at in Python."""
    for r, row in enumerate(rows):
        for i, v in enumerate(row):
            if type(v) is float and not (v.is_integer() and -1e15 < v < 1e15):
                if not math.isfinite(v):
                    no_number.add((r, i))
                    continue
                shown = as_shown(v)
                if shown != v:
                    row[i] = shown
    return rows


_CELL_VALUES = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**16, 10**16), st.text(max_size=3),
                         st.booleans(), st.sampled_from([0.30000000000000004, 1234567.8900000001, 2.22, 1e15, -1e15,
                                                         1e16, 0.1, 1.500000000000001, float("nan"), -0.0]))


@settings(max_examples=examples(100, 1000), deadline=None)
@given(st.lists(st.lists(_CELL_VALUES, max_size=6), max_size=6))
def test_as_shown_gives_what_the_cell_by_cell_walk_gave(rows):
    expected_missing, got_missing = set(), set()
    expected = _as_shown_before([list(r) for r in rows], expected_missing)
    got = _grid._as_shown([list(r) for r in rows], got_missing)
    assert got_missing == expected_missing
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert len(g) == len(e)
        for a, b in zip(g, e):
            assert type(a) is type(b)
            assert a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)), (a, b)


def _lines_run(fn, *args) -> int:
    """How many lines of `fn`'s own code run for the call."""
    code, count = fn.__code__, [0]

    def tracer(frame, event, arg):
        if frame.f_code is code:
            def local(frame, event, arg):
                if event == "line":
                    count[0] += 1
                return local
            return local
        return None

    sys.settrace(tracer)
    try:
        fn(*args)
    finally:
        sys.settrace(None)
    return count[0]


def test_a_sheet_of_texts_and_whole_numbers_costs_no_python_step_per_cell():
    rows = [["指标%d" % r, float(r), "", "个", 100.0, 2.5] for r in range(500)]  # 3,000 cells, 1,500 numbers
    # (the 500 numbers 2.5 each looked at: below one Python line a cell)
    assert _lines_run(_grid._as_shown, rows, set()) < 1200
    rows = [["指标%d" % r, float(r), "", "个", 100.0, 1e14] for r in range(500)]
    assert _lines_run(_grid._as_shown, rows, set()) < 20
    assert rows[7] == ["指标7", 7.0, "", "个", 100.0, 1e14]
    # a number shown otherwise: the rows walked, the number as shown
    rows[300][5] = 0.30000000000000004
    missing: set = set()
    _grid._as_shown(rows, missing)
    assert rows[300][5] == 0.3 and not missing
    rows[300][5] = 1234567890123456.0  # (a whole number of 16 digits: shown to 15)
    _grid._as_shown(rows, missing)
    assert rows[300][5] == 1234567890123460.0 and not missing
