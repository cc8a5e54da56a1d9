"""mendT: implausible figures typed in the self-evaluation and the monitoring report.

1. Funds typed in 万元 (14,640.73 for 146,407,273 元) passed: an amount about 10,000 times below its reference (the
   goal table's 当年预算 under --targets, else the form's own 年初预算数 / 全年预算数) is now a located warning naming
   both figures and the likely cause (self.amount_scale, monitor.amount_scale; the factor and band are the rule's
   parameters).  A self-evaluation made from goal tables has its 年初预算数 prefilled, as the monitoring report has.
2. "1" typed on a ＝100% row (100 % as a fraction) is asked about as 0.98 is (cell.percent_fraction).
3. Actual percentages outside 0–100 on a row whose target is within it (满意度 120 %) warn as targets do
   (self.actual_percent_range, monitor.actual_percent_range); a negative actual where the target is not negative
   (a ≤600 元 cost at −100, full points) is said (self.actual_negative, monitor.actual_negative).
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from xlgoals import FORMS, fill, self_evaluation_templates, validate, validate_file

from .conftest import EXAMPLES, load
from .helpers import bureau_rules, edited, example_return, ooxml_errors, row_cell

SE = FORMS["self-evaluation"]
MON = FORMS["monitoring"].bind(month=6)
GOALS = EXAMPLES / "json"
SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))[1]  # 促进就业专项资金, as example_return's
MON_JSON = sorted((EXAMPLES / "monitoring").glob("*.json"))[1]


def info(form, path: str) -> tuple[str, str]:
    f = form.field(path)
    return f.sheet, f.cell


def probs(report, code: str) -> dict:
    """{cell: problem} of `code` in a validate report (or a file report); of a scale rule's code, its warning said
    with what the rules find of the amount as typed (``*_rules``) too: one problem per amount either way."""
    items = report.problems() if callable(report.problems) else report.problems
    return {p.cell: p for p in items if p.code in (code, f"{code}_rules")}


# 1. amounts in 万元 ----------------------------------------------------------------------------------------------
def test_self_evaluation_in_wan_is_warned_against_the_goal_tables_budget(tmp_path):
    # the whole funds block typed in 万元, consistently: only the goal table (146,407,273 元) can tell
    path = edited(example_return("self-evaluation"), tmp_path / "se.xlsx", {
        info(SE, "/funds/initial_budget"): 14640.73, info(SE, "/funds/full_year_budget"): 14640.73,
        info(SE, "/funds/executed"): 14201.5, info(SE, "/funds/sources/fiscal/initial_budget"): 14640.73,
        info(SE, "/funds/sources/fiscal/full_year_budget"): 14640.73,
        info(SE, "/funds/sources/fiscal/executed"): 14201.5})
    report = validate([path], targets=[GOALS])
    found = probs(report, "self.amount_scale")
    cells = {info(SE, p)[1] for p in ("/funds/initial_budget", "/funds/full_year_budget", "/funds/executed")}
    assert set(found) == cells, [p.message for p in report.problems()]
    # nothing the rules find changes with the amounts read in 万元 (the 执行率 is the same): the plain warnings, each
    # alone (tests/test_wan_said_once.py: where the rules do find something only as typed)
    assert sorted(p.code for p in report.problems()) == ["self.amount_scale"] * 3, [p.code for p in report.problems()]
    p = found[info(SE, "/funds/initial_budget")[1]]
    assert p.severity == "warning" and p.sheet == SE.info.name
    assert "14,640.73 元" in p.message and "146,407,273.00 元" in p.message and "万元" in p.message, p.message
    assert "146,407,300.00 元" in p.message, p.message  # what it is in 元 if 万元 was meant
    assert "wan" in p.message_en.lower() or "10,000" in p.message_en, p.message_en
    # consolidate's budgets would be 万元 added to 元: the return still passes (a warning), but it is said
    assert report.valid


def test_monitoring_full_year_budget_in_wan_beside_the_prefilled_initial_budget(tmp_path):
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {
        info(MON, "/funds/full_year_budget"): 13908.69, info(MON, "/funds/executed_to_date"): 7232.52,
        info(MON, "/funds/expected_full_year"): 13908.69})
    found = probs(validate_file(path), "monitor.amount_scale")  # no --targets: the form's own 年初预算数
    assert set(found) == {info(MON, p)[1] for p in ("/funds/full_year_budget", "/funds/executed_to_date",
                                                    "/funds/expected_full_year")}, found
    p = found[info(MON, "/funds/full_year_budget")[1]]
    assert "13,908.69 元" in p.message and "146,407,273.00 元" in p.message and "年初预算数" in p.message, p.message
    # with --targets: said once per cell (the goal table's 当年预算 the reference), not twice
    with_targets = [q for q in validate([path], targets=[GOALS]).problems() if q.code.startswith("monitor.amount_scale")]
    assert sorted(q.cell for q in with_targets) == sorted(found), [q.message for q in with_targets]


def test_monitoring_prefilled_initial_budget_overwritten_in_wan(tmp_path):
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {info(MON, "/funds/initial_budget"): 14640.73})
    cell = info(MON, "/funds/initial_budget")[1]
    assert set(probs(validate_file(path), "monitor.amount_scale")) == {cell}  # beside its 全年预算数
    [p] = [q for q in validate([path], targets=[GOALS]).problems() if q.code.startswith("monitor.amount_scale")]
    assert p.cell == cell and "146,407,273.00 元" in p.message and "绩效目标表" in p.message, p.message


def test_a_json_document_in_wan_is_warned_once_per_amount(tmp_path):
    doc = load(MON_JSON)
    doc["funds"].update(full_year_budget=13908.69, executed_to_date=7232.52, expected_full_year=13908.69)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = [p for p in validate([path], targets=[GOALS]).problems() if p.code.startswith("monitor.amount_scale")]
    assert sorted(p.path for p in found) == ["/funds/executed_to_date", "/funds/expected_full_year",
                                             "/funds/full_year_budget"], [p.message for p in found]
    assert all("绩效目标表" in p.message for p in found)  # the goal table's figure, not also the form's own


def test_the_factor_is_the_bureaus_data(tmp_path):
    path = edited(example_return("self-evaluation"), tmp_path / "se.xlsx", {
        info(SE, "/funds/full_year_budget"): 146407.27, info(SE, "/funds/executed"): 142015.05,
        info(SE, "/funds/sources/fiscal/full_year_budget"): 146407.27,
        info(SE, "/funds/sources/fiscal/executed"): 142015.05})  # in 千元
    assert not probs(validate_file(path), "self.amount_scale")
    rules = bureau_rules(tmp_path / "rules.csv", [
        "self.amount_scale", "warning", "funds_scale", json.dumps({"factors": {"千元": 1000}, "band": 3}),
        "金额单位疑误", "Amount in another unit", "",
        "“{field}”为 {found}，是{reference}（{other}）的约 1/{factor}，疑按{unit}填写；如是，应为 {expected}",
        "'{field}' is {found}, about 1/{factor} of {reference} ({other}); in {unit}? then {expected}"])
    found = probs(validate_file(path, rules=rules), "self.amount_scale")
    assert set(found) == {info(SE, "/funds/full_year_budget")[1], info(SE, "/funds/executed")[1]}
    assert "千元" in found[info(SE, "/funds/full_year_budget")[1]].message


def test_examples_and_an_adjusted_budget_are_not_warned(tmp_path):
    returns = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")) + sorted((EXAMPLES / "monitoring").glob("*.xlsx"))
    report = validate(returns, targets=[GOALS])
    assert not [p for p in report.problems() if ".amount_scale" in p.code]
    # a budget cut to a tenth, a small amount executed by June: not 万元 (20,000,000 元 would exceed the budget),
    # against the form's own budget (the goal table's 146,407,273 元 under --targets would hide it: 1/73,000)
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {
        info(MON, "/funds/initial_budget"): 14640727.3, info(MON, "/funds/full_year_budget"): 14640727.3,
        info(MON, "/funds/executed_to_date"): 2000, info(MON, "/funds/expected_full_year"): 14640727.3})
    assert not probs(validate_file(path), "monitor.amount_scale")
    assert not probs(validate([path]), "monitor.amount_scale")


def test_self_evaluation_templates_prefill_the_initial_budget(tmp_path):
    result = self_evaluation_templates([GOALS / "02_促进就业专项资金.json"], tmp_path / "out")
    [path] = result.written
    sheet, ref = info(SE, "/funds/initial_budget")
    assert openpyxl.load_workbook(path)[sheet][ref].value == 146407273
    assert ooxml_errors(path) == []
    # the department may still type it (not locked): the cell is an input cell
    assert not openpyxl.load_workbook(path)[sheet][ref].protection.locked


# 2. "1" for 100 % ------------------------------------------------------------------------------------------------
def test_one_typed_on_a_hundred_percent_row_is_asked_about(tmp_path):
    sheet, ref = row_cell("self-evaluation", 12, "actual")  # 耗材验收合格率 ＝100%
    path = edited(example_return("self-evaluation"), tmp_path / "se.xlsx", {(sheet, ref): "1"})
    [p] = [q for q in validate_file(path).problems if q.cell == ref and q.code.startswith("cell.percent_fraction")]
    assert "是否应为 100" in p.message, p.message
    mon_sheet, mon_ref = row_cell("monitoring", 12, "expected")
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", {(mon_sheet, mon_ref): "1"})
    [p] = [q for q in validate_file(path).problems if q.cell == mon_ref and q.code.startswith("cell.percent_fraction")]
    assert "是否应为 100" in p.message, p.message


def test_one_is_not_asked_where_it_is_a_plausible_small_figure(tmp_path):
    doc = load(SE_JSON)
    doc["indicators"][12].update(comparator=">=", value=1, actual=1)  # a ≥1 % growth: 1 is 1 %
    path = fill(doc, tmp_path / "se.xlsx")
    sheet, ref = row_cell("self-evaluation", 12, "actual")
    path = edited(path, tmp_path / "se2.xlsx", {(sheet, ref): "1"})
    assert not [q for q in validate_file(path).problems if q.cell == ref], validate_file(path).problems


# 3. actuals outside 0–100 % and negative -------------------------------------------------------------------------
def test_actual_percentages_above_100_on_rates_are_warned(tmp_path):
    cells = {row_cell("self-evaluation", 12, "actual"): "150", row_cell("self-evaluation", 21, "actual"): "120"}
    path = edited(example_return("self-evaluation"), tmp_path / "se.xlsx", cells)
    found = probs(validate_file(path), "self.actual_percent_range")
    assert set(found) == {ref for _, ref in cells}, found
    p = found[row_cell("self-evaluation", 21, "actual")[1]]
    assert p.severity == "warning" and "120" in p.message and "0–100" in p.message, p.message
    mon = {row_cell("monitoring", 10, "expected"): "150", row_cell("monitoring", 10, "progress"): "120"}
    path = edited(example_return("monitoring"), tmp_path / "m.xlsx", mon)
    assert set(probs(validate_file(path), "monitor.actual_percent_range")) == {ref for _, ref in mon}


def test_a_growth_target_above_100_lets_its_actual_be(tmp_path):
    doc = load(SE_JSON)
    doc["indicators"][9].update(comparator=">=", value=150, actual=160)  # 增长 ≥150 %: the target says it may exceed
    path = fill(doc, tmp_path / "se.xlsx")
    assert not probs(validate_file(path), "self.actual_percent_range")


def test_a_negative_actual_on_a_cost_row_is_said(tmp_path):
    doc = load(SE_JSON)
    doc["indicators"][9].update(comparator="<=", value=600, unit="元", actual=-100, score=4.44)  # ≤600 元 per head
    path = fill(doc, tmp_path / "se.xlsx")
    report = validate_file(path)
    found = probs(report, "self.actual_negative")
    assert set(found) == {row_cell("self-evaluation", 9, "actual")[1]}, [p.message for p in report.problems]
    assert "-100" in found[row_cell("self-evaluation", 9, "actual")[1]].message
    mon = load(MON_JSON)
    mon["indicators"][9].update(comparator="<=", value=600, unit="元", progress=-5, expected=300)
    path = fill(mon, tmp_path / "m.xlsx")
    assert set(probs(validate_file(path), "monitor.actual_negative")) == {row_cell("monitoring", 9, "progress")[1]}


def test_monitoring_budget_typed_in_wan_in_libreoffice_is_warned(tmp_path, lo_edit):
    """The real client: 全年预算数 typed as 13908.69 (万元) into the monitoring report through LibreOffice's own input
    (.uno:EnterString), beside the prefilled 年初预算数 146,407,273."""
    src = EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx"
    sheet, cell = info(MON, "/funds/full_year_budget")
    path = lo_edit(src, tmp_path / "lo.xlsx", [{"sheet": sheet, "cell": cell, "input": "13908.69"}])
    found = probs(validate_file(path), "monitor.amount_scale")
    assert cell in found, found
    assert "13,908.69 元" in found[cell].message and "146,407,273.00 元" in found[cell].message, found[cell].message
