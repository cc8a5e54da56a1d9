"""mendDC: the summary workbook on paper: an indicator sheet's pages each starting with its names, every row as tall as
its names (mendDI: a filter shows them on a 〃 row), a sheet past Excel's manual page breaks, 项目进度's heights."""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import consolidate

from .conftest import EXAMPLES
from .helpers import ooxml_errors

_ITEMS = {"returns": "绩效指标", "monitoring": "指标监控", "self-evaluation": "指标完成"}
_DECLARED = {"returns": "xlgoals._consolidate._tables", "monitoring": "xlgoals._monitor._summary",
             "self-evaluation": "xlgoals._selfeval._summary"}  # each form's indicator table (INDICATORS)


def _ditto_rows(ws) -> set[int]:
    """The rows the sheet's 〃 rule covers (its conditional number format's range)."""
    from openpyxl.utils.cell import range_boundaries

    rules = [cf for cf in ws.conditional_formatting if any(r.dxf and r.dxf.numFmt for r in cf.rules)]
    return {r for cf in rules for rng in str(cf.sqref).split()
            for r in range(range_boundaries(rng)[1], range_boundaries(rng)[3] + 1)}


# 1. each page starts with its names; every row as tall as its names (mendDI: under a filter a row printing 〃 unfiltered
# shows them, SUBTOTAL(103) of the row above: sized from its other cells it printed a long project name cut) ---------
@pytest.mark.parametrize("folder", list(_ITEMS))
def test_every_row_is_as_tall_as_its_names_and_each_page_starts_with_them(tmp_path, folder):
    import importlib

    from xlgoals._consolidate._xlsxrows import row_height

    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / folder], out, jobs=1)
    assert ooxml_errors(out) == []
    ws = openpyxl.load_workbook(out)[_ITEMS[folder]]
    # the printed columns' widths the rows are measured in
    widths = list(importlib.import_module(_DECLARED[folder]).INDICATORS.widths)
    ditto = _ditto_rows(ws)
    tops = {b.id + 1 for b in ws.row_breaks.brk}  # each further page's first row
    assert len(tops) >= 3 and ditto and not ditto & tops
    key = [c.value for c in ws[1]].index("SHA-256") + 1  # the rule's key: the return's
    taller = 0
    for r in range(3, ws.max_row + 1):
        values = [c.value for c in ws[r]][:len(widths)]
        full = row_height(values, widths)
        shows_ditto = r in ditto and ws.cell(r, key).value == ws.cell(r - 1, key).value
        assert ws.row_dimensions[r].height == full, (r, values[:3], ws.row_dimensions[r].height, full)
        taller += shows_ditto and full != row_height([None, None, *values[2:]], widths)
    assert taller >= 5  # rows printing 〃 unfiltered under a long project name: as tall as the name, for a filter


# 3. an indicator sheet past the 1,026 manual page breaks Excel keeps ----------------------------------------------------
def _synthetic(tmp_path, count: int):
    """A summary of one indicator sheet of `count` rows, two a return, every row 246 pt tall (its long names; 34.5 pt
    its other cells): a page (406 pt) holds one row."""
    from xlgoals._atomic import Outputs
    from xlgoals._consolidate._render import render_xlsx
    from xlgoals._consolidate._table import Col, Table
    from xlgoals._consolidate._xlsxrows import render_row

    cols = [Col("申报单位", 10), Col("项目名称", 10), Col("三级指标", 10), Col("SHA-256", 20, printed=False)]
    widths = [10, 10, 10]
    rows = [("单位" * 10, "项目" * 40, f"指标{i % 2}" * (1 + i % 2), f"{i // 2:064x}") for i in range(count)]

    def rendered():
        yield "".join(render_row(row, widths) for row in rows).encode("utf-8")

    table = Table("绩效指标", "indicators", cols, lambda: iter(rows), len(rows), rendered=rendered, splice=True,
                  ditto=((0, 1), 3))
    out = tmp_path / f"s{count}.xlsx"
    with Outputs() as outputs:
        render_xlsx([table], {}, out, outputs)
    return out, rows, widths


def test_a_sheet_needing_more_page_breaks_than_excel_keeps_names_every_row():
    """At 1,027 rows a page each (1,026 breaks, as many as Excel keeps) the sheet's pages are ours, each starting with
    its names (every row starts one: the 〃 rule covers none, and is left out); at 1,028 (1,027 breaks) the pages are
    the client's: no row prints 〃 (a page of the client's started with 〃 〃).  Every row as tall as its names need."""
    import tempfile
    from pathlib import Path

    from xlgoals._consolidate._xlsxrows import MAX_BREAKS, row_height

    with tempfile.TemporaryDirectory() as tmp:
        for count, ours in ((MAX_BREAKS + 1, True), (MAX_BREAKS + 2, False)):
            out, rows, widths = _synthetic(Path(tmp), count)
            assert ooxml_errors(out) == [], count
            ws = openpyxl.load_workbook(out)["绩效指标"]
            full, short = row_height(rows[1], widths), row_height([None, None, *rows[1][2:]], widths)
            assert full == 246 and short < 40  # (the synthetic rows are as the docstring says)
            assert [ws.row_dimensions[r].height for r in range(2, 2 + count)] == [full] * count
            assert not _ditto_rows(ws)
            if ours:
                assert [b.id for b in ws.row_breaks.brk] == list(range(2, count + 1))
                assert len(ws.row_breaks.brk) == MAX_BREAKS
            else:
                assert not ws.row_breaks.brk
