"""speedA: the reader's front half, fewer instructions for the same answers.

- A row's or cell's tag (Grid._tag_text) is placed as it is asked for, by ``bytes.find`` from where the last question
  stopped (_grid._first_place), not by a regular expression run over the whole part at the first question: one row
  asked of a sheet reads the part up to that row only.  Whatever the order of the questions, the tag found is the
  first that ``xml.find`` finds from the start of the part.
"""

from __future__ import annotations


from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals._read import _grid

from .conftest import examples


def _first_tag(xml: bytes, start: bytes):
    """_tag_text as it was first written: the first tag that starts so, found from the start of the part."""
    i = xml.find(start) if xml else -1
    end = xml.find(b">", i) if i >= 0 else -1
    return xml[i + len(start):end] if end >= 0 else None


def _grid_of(xml: bytes) -> _grid.Grid:
    grid = _grid.Grid.__new__(_grid.Grid)  # only what _tag_text reads
    grid.kind, grid._parts, grid._row_tags, grid._cell_tags, grid._renamed = "xlsx", {"s": "p"}, {}, {}, {}
    grid.container = type("C", (), {"parts": {"p": xml}})()
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
            assert grid._tag_text("s", start, r) == _first_tag(xml, start), (xml, start)
        else:
            r = _CELLS[k]
            start = b'<c r="' + r + b'"'
            assert grid._tag_text("s", start, None, r) == _first_tag(xml, start), (xml, start)


class _Counted(bytes):
    """A sheet's part that counts the bytes its finds pass over."""

    scanned = 0

    def find(self, sub, start=0, *rest):
        i = super().find(sub, start, *rest)
        _Counted.scanned += (len(self) if i < 0 else i) - start
        return i


class _CountedRe:
    """A pattern (the old code's row and cell tags' one, where there is one) counting the part its finditer reads."""

    def __init__(self, pattern):
        self.pattern = pattern

    def finditer(self, xml, *rest):
        _Counted.scanned += len(xml)
        return self.pattern.finditer(xml, *rest)


def test_one_row_asked_reads_the_part_up_to_that_row_only(monkeypatch):
    for old in ("_ROW_TAG", "_CELL_TAG"):
        if hasattr(_grid, old):
            monkeypatch.setattr(_grid, old, _CountedRe(getattr(_grid, old)))
    rows = b"".join(b'<row r="%d" ht="20"><c r="A%d" s="3" t="s"><v>%d</v></c></row>' % (r, r, r)
                    for r in range(1, 2001))
    xml = _Counted(b'<worksheet><sheetData>' + rows + b'</sheetData></worksheet>')
    grid = _grid_of(xml)
    _Counted.scanned = 0
    assert grid._tag_text("s", b'<row r="3"', b"3") == b' ht="20"'
    assert _Counted.scanned < 300, _Counted.scanned  # the first three rows' bytes, not the 2,000 rows'
    assert grid._tag_text("s", b'<row r="2"', b"2") == b' ht="20"'  # (passed over: found without a search)
    assert grid._tag_text("s", b'<row r="5"', b"5") == b' ht="20"'
    assert _Counted.scanned < 400, _Counted.scanned
    assert grid._tag_text("s", b'<row r="2001"', b"2001") is None  # none: the part read to its end, once
    whole = _Counted.scanned
    assert whole < 2 * len(xml), (whole, len(xml))
    assert grid._tag_text("s", b'<row r="2002"', b"2002") is None
    assert grid._tag_text("s", b'<row r="1999"', b"1999") == b' ht="20"'
    assert _Counted.scanned < whole + 100, (whole, _Counted.scanned)  # nothing read again (its ">" found)
    # cells alike, from the second cell asked (the first is one find of its own)
    _Counted.scanned = 0
    assert grid._tag_text("s", b'<c r="A2"', None, b"A2") == b' s="3" t="s"'
    assert grid._tag_text("s", b'<c r="A4"', None, b"A4") == b' s="3" t="s"'
    assert _Counted.scanned < 600, _Counted.scanned
