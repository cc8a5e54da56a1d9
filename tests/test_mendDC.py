"""mendDC: the summary workbook on paper: an indicator sheet's 〃 rows as tall as what they show, a sheet past Excel's
manual page breaks, 项目进度's heights."""

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


# 1. a row under a long project name kept its height (three lines) though it prints 〃 ------------------------------
@pytest.mark.parametrize("folder", list(_ITEMS))
def test_a_ditto_row_is_as_tall_as_its_other_cells_and_a_pages_first_row_as_its_names(tmp_path, folder):
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
    shorter = 0
    for r in range(3, ws.max_row + 1):
        values = [c.value for c in ws[r]][:len(widths)]
        full = row_height(values, widths)
        shows_ditto = r in ditto and ws.cell(r, key).value == ws.cell(r - 1, key).value
        expected = row_height([None, None, *values[2:]], widths) if shows_ditto else full
        assert ws.row_dimensions[r].height == expected, (r, values[:3], ws.row_dimensions[r].height, expected)
        shorter += expected != full
    assert shorter >= 5  # rows under a long project name print 〃 on fewer lines than the name took


# 3. an indicator sheet past the 1,026 manual page breaks Excel keeps ----------------------------------------------------
def _synthetic(tmp_path, returns: int):
    """A summary of one indicator sheet of `returns` returns of two rows each: the first row 246 pt tall (its long
    names), the second 34.5 pt under 〃, 246 pt with its names shown; a page (406 pt) holds one return."""
    from xlgoals._atomic import Outputs
    from xlgoals._consolidate._render import render_xlsx
    from xlgoals._consolidate._table import Col, Table
    from xlgoals._consolidate._xlsxrows import render_row

    cols = [Col("申报单位", 10), Col("项目名称", 10), Col("三级指标", 10), Col("SHA-256", 20, printed=False)]
    widths = [10, 10, 10]
    rows = [("单位" * 10, "项目" * 40, f"指标{n}" * (1 + n % 2), f"{k:064x}") for k in range(returns) for n in range(2)]

    def rendered():
        yield "".join(render_row(row, widths, ditto=() if i % 2 == 0 else (0, 1))
                      for i, row in enumerate(rows)).encode("utf-8")

    table = Table("绩效指标", "indicators", cols, lambda: iter(rows), len(rows), rendered=rendered, splice=True,
                  ditto=((0, 1), 3))
    out = tmp_path / f"s{returns}.xlsx"
    with Outputs() as outputs:
        render_xlsx([table], {}, out, outputs)
    return out, rows, widths


def test_a_sheet_needing_more_page_breaks_than_excel_keeps_names_every_row():
    """At 1,027 returns (1,026 breaks, as many as Excel keeps) the sheet's pages are ours, each starting with its names,
    the rows below a return's first printing 〃 at the height of their other cells; at 1,028 (1,027 breaks) the pages
    are the client's: no row prints 〃 (a page of the client's started with 〃 〃) and every row is as tall as its names
    need."""
    import tempfile
    import zipfile
    from pathlib import Path

    from xlgoals._consolidate._xlsxrows import MAX_BREAKS, row_height

    with tempfile.TemporaryDirectory() as tmp:
        for returns, ours in ((MAX_BREAKS + 1, True), (MAX_BREAKS + 2, False)):
            out, rows, widths = _synthetic(Path(tmp), returns)
            if not ours:  # (the audit takes seconds a file this long: the breaks and the rule of ours are as the
                # examples' summaries have them, audited above)
                assert ooxml_errors(out) == [], returns
            with zipfile.ZipFile(out) as z:  # the names' heights carried to splice_rows are in no sheet
                assert b"\x01" not in z.read("xl/worksheets/sheet1.xml")
            wb = openpyxl.load_workbook(out)
            ws = wb["绩效指标"]
            full, short = row_height(rows[1], widths), row_height([None, None, *rows[1][2:]], widths)
            assert full == 246 and short < 40  # (the synthetic rows are as the docstring says)
            heights = [ws.row_dimensions[r].height for r in range(2, 2 + len(rows))]
            assert heights[0::2] == [row_height(rows[0], widths)] * returns
            if ours:
                assert [b.id for b in ws.row_breaks.brk] == list(range(3, 2 * returns, 2))
                assert len(ws.row_breaks.brk) == MAX_BREAKS
                assert _ditto_rows(ws) == set(range(3, 2 + len(rows), 2))
                assert heights[1::2] == [short] * returns
            else:
                assert not ws.row_breaks.brk and not _ditto_rows(ws)
                assert heights[1::2] == [full] * returns
