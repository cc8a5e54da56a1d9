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


# 3. a rough figure (100左右) is a warning, read as the number; an approved goal table with one stays usable ---------
def _goal_rough(tmp_path, name="g.xlsx"):
    """examples/returns/01 as approved under 1f14401: 预算执行率 ＝“100左右”, 培训 ≥“1000人次上下”, the unit column empty."""
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    return _merged(src, tmp_path / name, "绩效指标", [],
                   {"E5": "＝", "F5": "100左右", "G5": None, "E8": "≥", "F8": "1000人次上下", "G8": None})


def test_a_rough_target_is_a_warning_read_as_before(tmp_path):
    path = _goal_rough(tmp_path)
    report = validate_file(path)
    rough = [(p.code, p.cell, p.severity) for p in report.problems if p.code == "cell.target_approximate"]
    assert rough == [("cell.target_approximate", "F5", "warning"), ("cell.target_approximate", "F8", "warning")]
    assert not report.errors, report.errors
    inds = report.document["indicators"]
    assert {k: inds[1].get(k) for k in ("value", "unit")} == {"value": 100, "unit": "左右"}  # as approved
    assert {k: inds[4].get(k) for k in ("comparator", "value", "unit")} == {"comparator": ">=", "value": 1000,
                                                                             "unit": "人次上下"}
    msg = next(p.message for p in report.problems if p.cell == "F5")
    assert "左右" in msg and "确定的数值" in msg and "100" in msg, msg


def test_a_rough_target_on_a_row_with_its_unit_reads_the_number(tmp_path):
    """85%左右 on a % row: 85 %, the warning (no unit conflict, no error)."""
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    path = _merged(src, tmp_path / "r.xlsx", "绩效指标", [], {"F5": "85%左右", "G5": "%"})
    report = validate_file(path)
    assert [(p.code, p.severity) for p in report.problems if p.cell in ("F5", "G5")] == \
        [("cell.target_approximate", "warning")]
    assert {k: report.document["indicators"][1].get(k) for k in ("value", "unit")} == {"value": 85, "unit": "%"}


def test_a_rough_word_in_the_unit_column_is_the_same_warning(tmp_path):
    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    path = _merged(src, tmp_path / "r.xlsx", "绩效指标", [], {"F5": 100, "G5": "左右"})
    got = [p for p in validate_file(path).problems if p.cell in ("F5", "G5")]
    assert [(p.code, p.cell, p.severity) for p in got] == [("cell.target_approximate", "G5", "warning")], got
    assert "左右" in got[0].message and "100" in got[0].message, got[0].message


@pytest.mark.parametrize("form", ["self-evaluation", "monitoring"])
def test_an_approved_goal_table_with_a_rough_target_makes_templates(tmp_path, form):
    """The approved table serves as --targets (it was refused: 绩效目标表无法使用): a template made, its target 100."""
    from xlgoals import monitoring_templates, self_evaluation_templates

    from .helpers import ooxml_errors

    goal = _goal_rough(tmp_path)
    out = tmp_path / "t"
    made = self_evaluation_templates(goal, out) if form == "self-evaluation" else monitoring_templates(goal, out, month=6)
    assert made.errors == [] and len(made.written) == 1, made.errors
    assert ooxml_errors(made.written[0]) == []
    inds = read(made.written[0]).document["indicators"]
    assert {k: inds[1].get(k) for k in ("value", "unit")} == {"value": 100, "unit": "左右"}


@pytest.mark.parametrize("form", ["self-evaluation", "monitoring"])
def test_a_rough_target_approved_and_locked_is_not_warned(tmp_path, form):
    """The self-evaluation / monitoring report made from the approved table shows 100 with the unit 左右 in locked
    cells: the department cannot change them, no warning there."""
    from xlgoals import monitoring_templates, self_evaluation_templates

    goal = _goal_rough(tmp_path)
    out = tmp_path / "t"
    made = self_evaluation_templates(goal, out) if form == "self-evaluation" else monitoring_templates(goal, out, month=6)
    assert "cell.target_approximate" not in {p.code for p in validate_file(made.written[0]).problems}


# 4. rule.weight_funds_rest knows only the framework's funds points: it says so, and how to turn it off --------------
def test_funds_rest_warning_says_it_assumes_the_framework_and_can_be_turned_off(tmp_path):
    """A goal table totalling 80 as a bureau's points file (--weights: funds 20) asks: goal-table validate takes no
    --weights (it goes with --targets only), so the warning says it compares with the framework's funds points and
    that a bureau with its own points file may turn it off (severity off in --rules); off, it is gone."""
    from xlgoals import validate

    src = EXAMPLES / "national-2021" / "目标表.xlsx"
    path = _merged(src, tmp_path / "g80.xlsx", "绩效指标", [],
                   {f"I{4 + i}": w for i, w in enumerate([10, 10, 10, 10, 10, 10, 20])})
    (p,) = [p for p in validate_file(path).problems if p.code == "rule.weight_funds_rest"]
    assert "指标体系" in p.message and "--weights" in p.message and "off" in p.message, p.message
    assert "framework" in p.message_en and "--weights" in p.message_en and "off" in p.message_en, p.message_en
    rules = tmp_path / "rules.csv"
    import csv

    from xlgoals._config import Config  # noqa: F401 (the packaged table's header)
    from pathlib import Path

    import xlgoals

    packaged = Path(xlgoals.__file__).parent.parent / "schema" / "rules.csv"
    rows = list(csv.reader(packaged.read_text(encoding="utf-8").splitlines()))
    row = next(r for r in rows if r and r[0] == "rule.weight_funds_rest")
    row[1] = "off"
    with rules.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], row])
    report = validate([path], rules=rules)
    assert not [q for q in report.problems() if q.code == "rule.weight_funds_rest"]
