"""A row's tag (``Grid.row_height``, ``Grid.row_fixed``) is found among the sheet's row tags, placed once by one search
per sheet: it was found by ``xml.find`` from the start of the part for each row asked, and a table of thousands of rows
of multi-line texts (each row's height asked) was read in time quadratic in its size."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import fill, read
from xlgoals._read import _grid, _screen
from xlgoals._read._safety import FileProblem

from .conftest import EXAMPLES, examples
from .helpers import Counted, CountedRe, written_twice


def _first_tag(xml: bytes, start: bytes):
    """_tag_text as it was written: the first tag that starts so, found from the start of the part."""
    i = xml.find(start) if xml else -1
    end = xml.find(b">", i) if i >= 0 else -1
    return xml[i + len(start):end] if end >= 0 else None


@settings(max_examples=examples(200, 500), deadline=None)
@given(st.lists(st.sampled_from([b'<row r="1"', b'<row r="12"', b'<row r="2"', b'<row r="<row r="2"', b' ht="9">',
                                 b'<row r="012"', b'"', b">", b"<", b"1", b"2", b'<row r=""', b"/>"]), max_size=12))
def test_a_row_tag_is_found_as_find_finds_it(pieces):
    xml = b"".join(pieces)
    grid = _grid.Grid.__new__(_grid.Grid)  # only what _tag_text reads
    grid.kind, grid._parts, grid._row_tags, grid._renamed = "xlsx", {"s": "p"}, {}, {}
    grid.container = type("C", (), {"parts": {"p": xml}})()
    grid.facts = {"s": _screen.SheetFacts(max_row=None, max_col=None)}  # screened, canonical
    if written_twice(xml, b'<row r="'):  # two tags of a row (red team 29ah F1): refused where one is read past
        return
    for r in (b"1", b"2", b"12", b"012", b""):
        start = b'<row r="' + r + b'"'
        assert grid._tag_text("s", start, r) == _first_tag(xml, start)


_TAG_TEXT, _ROW_TAG = _grid.Grid._tag_text, getattr(_grid, "_ROW_TAG", None)  # as read before any is counted


def _work(tmp_path, monkeypatch, rows: int) -> tuple[int, int]:
    """(bytes searched for row tags, rows asked) reading a goal table of `rows` indicators of two-line texts."""
    doc = json.loads((EXAMPLES / "national-2021" / "目标表.json").read_text(encoding="utf-8"))  # (a 依据 column)
    first = doc["indicators"][0]
    doc["indicators"] = [{**first, "name": f"指标{i}", "basis": f"依据{i}第一行\n第二行"} for i in range(rows)]
    path = fill(doc, tmp_path / f"r{rows}.xlsx")
    original, asked = _TAG_TEXT, []

    def counted(self, name, start, *rest):
        part = self._parts.get(name, "")
        xml = self.container.parts.get(part)
        if isinstance(xml, bytes) and not isinstance(xml, Counted) and start.startswith(b"<row "):
            parts = self.container.parts  # (its inflated parts, as get gives them)
            parts._out[parts._named(part)] = Counted(xml)
        asked.append(start)
        return original(self, name, start, *rest)

    monkeypatch.setattr(_grid.Grid, "_tag_text", counted)
    if _ROW_TAG is not None:
        monkeypatch.setattr(_grid, "_ROW_TAG", CountedRe(_ROW_TAG))
    Counted.scanned = 0
    result = read(path, isolated=False)
    assert result.document is not None and len(result.document["indicators"]) == rows
    return Counted.scanned, sum(1 for s in asked if s.startswith(b"<row "))


def test_the_rows_of_a_long_table_are_found_in_work_linear_in_its_size(tmp_path, monkeypatch):
    small, small_asked = _work(tmp_path, monkeypatch, 1000)
    large, large_asked = _work(tmp_path, monkeypatch, 3000)
    assert small_asked >= 1000 and large_asked >= 3000, (small_asked, large_asked)  # each row's height is asked
    print("bytes searched for row tags, 1,000 and 3,000 rows:", small, large)
    assert large < 4.5 * small, (small, large)  # three times the rows: three times the work, not nine


# A cell's tag (``Grid.font_size``, ``Grid.shows_date``) alike: it was found from the start of the part for each cell
# asked, and a table of thousands of rows of long texts (each cell's font size asked) was read in quadratic time.

@settings(max_examples=examples(200, 500), deadline=None)
@given(st.lists(st.sampled_from([b'<c r="A1"', b'<c r="B12"', b'<c r="A2"', b'<c r="<c r="A2"', b' s="3">',
                                 b'<c r="A012"', b'<row r="1">', b'"', b">", b"<", b"A", b"1", b'<c r=""', b"/>"]),
                max_size=12))
def test_a_cell_tag_is_found_as_find_finds_it(pieces):
    xml = b"".join(pieces)
    grid = _grid.Grid.__new__(_grid.Grid)  # only what _tag_text reads
    grid.kind, grid._parts, grid._row_tags, grid._cell_tags, grid._renamed = "xlsx", {"s": "p"}, {}, {}, {}
    grid.container = type("C", (), {"parts": {"p": xml}})()
    grid.facts = {"s": _screen.SheetFacts(max_row=None, max_col=None)}  # screened, canonical
    if written_twice(xml, b'<c r="'):  # two tags of a cell (red team 29ah F1): test_speedA's property
        return
    for _ in range(2):  # the first cell asked is looked for alone, those after among the cell tags placed once
        for r in (b"A1", b"A2", b"B12", b"A012", b""):
            start = b'<c r="' + r + b'"'
            assert grid._tag_text("s", start, None, r) == _first_tag(xml, start)


def test_the_cells_of_a_long_table_are_found_in_work_linear_in_its_size(tmp_path, monkeypatch):
    """Every cell's font size asked of a table of 1,000 and of 3,000 rows: three times the work, not nine."""
    from xlgoals._read._safety import open_container

    counted_re = getattr(_grid, "_CELL_TAG", None)
    if counted_re is not None:
        monkeypatch.setattr(_grid, "_CELL_TAG", CountedRe(counted_re))
    doc = json.loads((EXAMPLES / "national-2021" / "目标表.json").read_text(encoding="utf-8"))
    first = doc["indicators"][0]
    work = []
    for rows in (1000, 3000):
        doc["indicators"] = [{**first, "name": f"指标{i}"} for i in range(rows)]
        path = fill(doc, tmp_path / f"c{rows}.xlsx")
        grid = _grid.Grid(open_container(path))
        sheet = max(grid.sheet_names, key=lambda n: len(grid.values(n)))  # the table
        part = grid._parts[sheet]
        grid.container.parts._out[grid.container.parts._named(part)] = Counted(grid.container.parts.get(part))
        Counted.scanned = 0
        sizes = [grid.font_size(sheet, r, 1) for r in range(len(grid.values(sheet)))]
        assert len(sizes) >= rows and all(s is None or s > 0 for s in sizes)
        work.append(Counted.scanned)
    print("bytes searched for cell tags, 1,000 and 3,000 rows:", work)
    assert work[1] < 4.5 * work[0], work
