"""mendBX: four regressions from the day's new checks (red team 25k): two numbered indicators sharing merged cells
joined as one (cell.split_row), an empty field under a merge warned as hidden (cell.merged_hidden), approved goal
tables with 100左右 refused as targets (cell.target_approximate), the funds-rest rule ignoring a bureau's points."""

import openpyxl
import pytest

from xlgoals import read, validate_file

from .conftest import EXAMPLES


def _merged(src, out, sheet, refs, edits=None):
    """`src` with cells edited and the ranges `refs` merged on `sheet` (openpyxl: the covered cells emptied)."""
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    for k, v in (edits or {}).items():
        ws[k].value = v
    for ref in refs:
        ws.merge_cells(ref)
    wb.save(out)
    return out


# 1. two numbered indicators sharing merged 一级/二级/比较符/目标值/单位 are two indicators ----------------------------
def test_numbered_rows_sharing_merged_cells_are_not_joined(tmp_path):
    """examples/returns/01 with rows 5-6 (序号 2 and 3: 预算执行率, 预算资金到位率, both ＝100%) formatted with the
    shared cells merged down: read as two rows (the second's covered cells missing: schema.required), never joined."""
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    path = _merged(src, tmp_path / "two.xlsx", "绩效指标", ["B5:B6", "C5:C6", "E5:E6", "F5:F6", "G5:G6"])
    names = [i.get("name") for i in read(path).document["indicators"]]
    assert len(names) == len(read(src).document["indicators"])
    assert names[1:3] == ["预算执行率", "预算资金到位率"], names[:4]
    problems = validate_file(path).problems
    codes = {p.code for p in problems}
    assert "cell.split_row" not in codes
    assert any(p.severity == "error" for p in problems)
    assert {("schema.required", "E6"), ("schema.required", "F6")} <= {(p.code, p.cell) for p in problems}, problems


# 2. an empty field under a merge: nothing hidden, no cell.merged_hidden ---------------------------------------------
@pytest.mark.parametrize("ref", ["B12:B13", "B19:B20"])
def test_an_empty_field_under_a_merge_is_not_said_hidden(tmp_path, ref):
    """B13 (上年预算执行数) under B12, B20 (填报人) under 总目标, both optional and empty (Excel empties the covered cells
    when merging): nothing is hidden, nothing read: no problem beyond the example's own."""
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    path = _merged(src, tmp_path / "m.xlsx", "项目信息", [ref])
    before = {(p.code, p.cell) for p in validate_file(src).problems}
    assert [(p.code, p.cell) for p in validate_file(path).problems if (p.code, p.cell) not in before] == []


def test_a_required_field_emptied_under_a_merge_is_the_required_problem(tmp_path):
    """立项依据 (B15, required) under 项目概况 merged down over it, emptied as Excel does: the required-field error at
    B15 (the covered cell) speaks, no cell.merged_hidden quoting an empty text."""
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    path = _merged(src, tmp_path / "m.xlsx", "项目信息", ["B14:B15"])
    new = [p for p in validate_file(path).problems if p.cell == "B15"]
    assert [(p.code, p.sheet, p.severity) for p in new] == [("rule.required_field", "项目信息", "error")], new
