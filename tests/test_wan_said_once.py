"""One slip, one problem: an amount typed in 万元 into a cell in 元.

The scale rule warns of it (self.amount_scale, monitor.amount_scale), and the other rules computed with it as typed
and said so too: 执行率 0 %, 资金得分 and 总分 not as recomputed, no 预算执行偏差原因, 1-6月 spending behind the
time run.  Five messages for one figure, four of them telling the department to change the wrong cells.  As for a
percent written as a fraction, the rules now run again with the amount read in 万元; what they find only as typed is
said in the warning, which becomes ``*.amount_scale_rules`` (an error where any of it is).  A bureau whose table makes
that code a warning gets the rules' problems as before."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

from xlgoals import FORMS, consolidate, read, validate, validate_document, validate_file

from .conftest import EXAMPLES
from .helpers import bureau_rules_file, edited, example_return

SE = FORMS["self-evaluation"]
MON = FORMS["monitoring"].bind(month=6)
GOAL_02 = EXAMPLES / "json" / "02_促进就业专项资金.json"


def _cell(form, path: str) -> tuple[str, str]:
    f = form.field(path)
    return f.sheet, f.cell


def _executed_in_wan(tmp_path, name: str = "r.xlsx"):
    """The example self-evaluation (executed 142,015,054.81 元, scored 9.7 on it) with its 全年执行数 typed in 万元 on
    the total line and the 财政拨款 line alike, its scores left as the department worked them out."""
    return edited(example_return("self-evaluation"), tmp_path / name, {
        _cell(SE, "/funds/executed"): 14201.51, _cell(SE, "/funds/sources/fiscal/executed"): 14201.51})


def _one_problem(problems, cell: str):
    assert [(p.code, p.severity, p.cell) for p in problems] == [("self.amount_scale_rules", "error", cell)], \
        [(p.code, p.cell, p.message) for p in problems]
    return problems[0]


def test_an_executed_amount_in_wan_is_one_error_at_its_cell_saying_what_follows_as_typed(tmp_path):
    path = _executed_in_wan(tmp_path)
    sheet, cell = _cell(SE, "/funds/executed")
    p = _one_problem(validate_file(path).problems, cell)
    assert p.sheet == sheet and p.path == "/funds/executed"
    # the suspicion first, with the figure meant; then what the rules find if 14,201.51 元 is meant
    assert p.message.startswith("“年度资金总额全年执行数（元）”为 14,201.51 元，约为"), p.message
    assert "疑按万元填写" in p.message and "应填写 142,015,100.00 元" in p.message, p.message
    assert "。如确为 14,201.51 元，则：" in p.message, p.message
    then = p.message.split("则：", 1)[1]
    assert "“资金得分”填写为 9.7，按计分规则重算应为 0" in then and "“总分”" in then and "预算执行偏差原因" in then, then
    assert "If 14,201.51 yuan is meant: " in p.message_en and "enter 142,015,100.00 yuan" in p.message_en, p.message_en


def test_the_json_document_says_the_same_once(tmp_path):
    path = _executed_in_wan(tmp_path)
    doc = read(path).document
    found = [(p.code, p.severity, p.path) for p in validate_document(doc)]
    assert found == [("self.amount_scale_rules", "error", "/funds/executed")], found
    js = tmp_path / "r.json"
    js.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = [(p.code, p.path) for p in validate([js]).problems()]
    assert found == [("self.amount_scale_rules", "/funds/executed")], found


def test_under_targets_it_is_still_said_once(tmp_path):
    """The goal table's comparison finds the same amount 1/10,000 of its 当年预算: not said a second time beside it."""
    path = _executed_in_wan(tmp_path)
    _one_problem(validate([path], targets=[GOAL_02]).problems(), _cell(SE, "/funds/executed")[1])
    js = tmp_path / "r.json"
    js.write_text(json.dumps(read(path).document, ensure_ascii=False), encoding="utf-8")
    found = [(p.code, p.path) for p in validate([js], targets=[GOAL_02]).problems()]
    assert found == [("self.amount_scale_rules", "/funds/executed")], found


def test_the_amount_is_still_held_out_of_the_summary(tmp_path):
    inbox = tmp_path / "收到"
    inbox.mkdir()
    _executed_in_wan(inbox, "02.xlsx")
    shutil.copy(EXAMPLES / "self-evaluation" / "03_职业培训基础能力建设资助.xlsx", inbox)
    # (an error: counted under --include-invalid, its amount held out all the same)
    result = consolidate([inbox], tmp_path / "汇总.xlsx", include_invalid=True)
    assert result.totals["amounts_held_out"] == {"executed": 1}, result.totals
    kept = read(EXAMPLES / "self-evaluation" / "03_职业培训基础能力建设资助.xlsx").document["funds"]["executed"]
    assert result.totals["executed"] == Decimal(str(kept)), result.totals


def test_a_bureau_that_makes_the_merged_code_a_warning_gets_each_problem_as_before(tmp_path):
    """Said in one only while that one is an error: lowered to a warning by a bureau's table, it would let a return
    pass whose scores do not follow from its numbers; the rules' own errors then stand, each at its cell."""
    from xlgoals import Config

    path = _executed_in_wan(tmp_path)
    rules = bureau_rules_file(tmp_path, {"self.amount_scale_rules": {"severity": "warning"}})
    codes = sorted(p.code for p in validate_file(path, config=Config.load(rules=rules)).problems)
    assert codes == ["self.amount_scale", "self.execution_unexplained", "self.score_mismatch",
                     "self.total_mismatch"], codes


def test_a_monitoring_reports_spending_in_wan_is_one_warning_saying_the_time_run(tmp_path):
    """7,232.52 spent by June of 146,407,273 元 (72,325,200 in 万元: 49 %): behind the time run only as typed."""
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {_cell(MON, "/funds/executed_to_date"): 7232.52})
    problems = validate_file(path).problems
    assert [(p.code, p.cell) for p in problems] == [("monitor.amount_scale_rules", _cell(MON, "/funds/executed_to_date")[1])], \
        [(p.code, p.cell, p.message) for p in problems]
    assert "如确为 7,232.52 元，则：" in problems[0].message and "序时进度" in problems[0].message, problems[0].message


def test_a_figure_rounded_in_wan_is_not_said_again_for_its_rounding(tmp_path):
    """13,908.69 万元 is any amount from 139,086,850 to 139,086,950 元: a 全年预计执行数 of 139,086,909.35 is above it
    only for the rounding (red team h36).  What the rules find at one end of that span and not at the other is the
    slip's, said in it, not a second error beside it; the message still says the 元 it would be at the middle."""
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {_cell(MON, "/funds/full_year_budget"): 13908.69})
    problems = validate_file(path).problems
    cell = _cell(MON, "/funds/full_year_budget")[1]
    assert [(p.code, p.cell) for p in problems] == [("monitor.amount_scale_rules", cell)], \
        [(p.code, p.cell, p.message) for p in problems]
    assert "应填写 139,086,900.00 元" in problems[0].message and "全年预计执行数（139,086,909.35 元）超过全年预算数" \
        in problems[0].message, problems[0].message


def test_the_last_digit_a_figure_is_written_to_bounds_its_rounding():
    from xlgoals._check._validate import _half_last_digit

    assert [_half_last_digit(v) for v in (13908.69, 14201.5, 6280, 12000.0, 7232.5193)] == \
        [Decimal("0.005"), Decimal("0.05"), Decimal("0.5"), Decimal("0.5"), Decimal("0.00005")]
