"""mendBI: format-conflict messages quote the cell as its format prints it; the annotated copy shows a hidden sheet a
mark is on; a 项目信息 or table column too narrow to print (below _paper.LEGIBLE_WIDTH) counts as hidden."""

from __future__ import annotations

import openpyxl
import pytest

from .conftest import ROOT, cli
from .helpers import ooxml_errors

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def _annotated(tmp_path, edit, name="r.xlsx", out="ann"):
    wb = openpyxl.load_workbook(RECEIVED)
    edit(wb)
    src = tmp_path / name
    wb.save(src)
    r = cli("validate", str(src), "--annotate", str(tmp_path / out))
    assert r.exit_code == 1, r.output
    copy = tmp_path / out / f"{src.stem}_问题标注.xlsx"
    assert ooxml_errors(copy) == []
    return copy


# 2. a mark on a hidden sheet ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_mark_on_a_hidden_sheet_shows_the_sheet_and_says_so(tmp_path, state):
    def hide(wb):
        wb["绩效指标"].sheet_state = state  # C16 holds rule.level2_mismatch
        wb["绩效指标"].row_dimensions[16].hidden = True
    copy = _annotated(tmp_path, hide)
    wb = openpyxl.load_workbook(copy)
    ws = wb["绩效指标"]
    assert ws.sheet_state == "visible"
    assert not ws.row_dimensions[16].hidden
    assert "（本单元格所在的工作表和行原为隐藏，已在本副本中取消隐藏）" in ws["C16"].comment.text
    # a sheet with a mark that was visible says nothing of hiding
    assert "原为隐藏" not in wb["项目信息"]["B10"].comment.text
    assert wb["项目信息"].sheet_state == "visible"


def test_a_hidden_sheet_alone_is_said_as_the_sheet(tmp_path):
    copy = _annotated(tmp_path, lambda wb: setattr(wb["绩效指标"], "sheet_state", "hidden"))
    ws = openpyxl.load_workbook(copy)["绩效指标"]
    assert ws.sheet_state == "visible"
    assert "（本单元格所在的工作表原为隐藏，已在本副本中取消隐藏）" in ws["C16"].comment.text
