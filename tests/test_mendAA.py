"""mendAA: a reviewer's findings on mendT (implausible figures) and mendU (reading).

1. A small real amount spent early in the year was said to be in 万元 (12,000 元 of 62,800,000 by March): spending is
   now said so only where, read in 万元, it stays within its reference × the rule's ``spent_over``.
3. The amount-scale message gives the real ratio (1/5,200), not always 1/10,000.
"""

from __future__ import annotations

import json

from xlgoals import FORMS, fill, validate, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES, load
from .helpers import bureau_rules, edited, example_return

GOALS = EXAMPLES / "json"
MON_JSON = EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json"  # 62,800,000 元 budget
SE_JSON = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json"
SE_XLSX = SE_JSON.with_suffix(".xlsx")


def monitoring(tmp_path, month: int = 3, **funds):
    doc = json.loads(MON_JSON.read_text(encoding="utf-8"))
    doc["month"] = month
    doc["funds"].update(funds)
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def scale(report) -> dict:
    items = report.problems() if callable(report.problems) else report.problems
    return {p.path: p for p in items if p.code.startswith("monitor.amount_scale")}


# 1. small real spending -----------------------------------------------------------------------------------------
def test_small_spending_in_march_is_not_said_to_be_in_wan(tmp_path):
    path = monitoring(tmp_path, executed_to_date=12000)  # 12,000 万元 would be 191 % of the budget
    assert not scale(validate([path]))
    assert not scale(validate([path], targets=[GOALS]))


def test_spending_that_fits_the_budget_in_wan_is_still_warned(tmp_path):
    path = monitoring(tmp_path, executed_to_date=3000)  # 3,000 万元: 48 % of 62,800,000 元
    found = scale(validate([path]))
    assert set(found) == {"/funds/executed_to_date"}
    assert set(scale(validate([path], targets=[GOALS]))) == {"/funds/executed_to_date"}


def test_a_budget_below_its_reference_is_warned_whatever_spending_would_be(tmp_path):
    # a budget is no spending: 12,000 for a 62,800,000 元 初始 budget is 万元 typed (the cap is spending's only)
    path = monitoring(tmp_path, full_year_budget=12000)
    assert "/funds/full_year_budget" in scale(validate([path]))


# 3. the ratio said ----------------------------------------------------------------------------------------------
def test_the_message_gives_the_real_ratio(tmp_path):
    path = monitoring(tmp_path, full_year_budget=12000)  # 62,800,000 ÷ 12,000 = 5,233
    p = scale(validate([path]))["/funds/full_year_budget"]
    assert "1/5,200" in p.message and "1/10,000" not in p.message, p.message
    assert "1/5,200" in p.message_en, p.message_en
    assert "120,000,000.00 元" in p.message, p.message  # what it is in 元 if 万元 was meant


# 2. over-fulfilment on ≥/> rows --------------------------------------------------------------------------------
SE = FORMS["self-evaluation"]


# (mendAG: a percentage may exceed 100 only where its name says so — the rule's `may_exceed` words, 完成率 …; the
# example's 享受职业技能补贴人数 is a share, capped, so the over-fulfilment tests name the row a 完成率)
COMPLETION = "享受职业技能补贴人数完成率"


def se_actual(tmp_path, row: int, actual, name: str | None = None) -> dict:
    cell = a1(SE.table.first_row + row, SE.column("actual").index)
    edits = {(SE.table.name, cell): actual}
    if name is not None:
        edits[(SE.table.name, a1(SE.table.first_row + row, SE.column("name").index))] = name
    path = edited(example_return("self-evaluation"), tmp_path / f"se{row}.xlsx", edits)
    report = validate_file(path)
    return report, {p.path: p for p in report.problems if p.code == "self.actual_percent_range"}


def test_ordinary_over_fulfilment_is_not_out_of_range(tmp_path):
    report, found = se_actual(tmp_path, 9, "110", COMPLETION)  # ≥90 %: full points, below 90 × 1.3
    ind = report.document["indicators"][9]
    assert ind["name"] == COMPLETION
    assert (ind["comparator"], ind["value"], ind["unit"], ind["actual"]) == (">=", 90, "%", 110)
    assert not found, [p.message for p in found.values()]


def test_over_fulfilment_beyond_the_deviation_rules_over_is_warned(tmp_path):
    report, found = se_actual(tmp_path, 9, "125", COMPLETION)  # above 90 × 1.3 = 117
    p = found["/indicators/9/actual"]
    assert "0–117%" in p.message and "125%" in p.message, p.message
    assert report.document["indicators"][9]["deviation"]  # a reason given does not make 125 % of people plausible


def test_a_bureau_over_moves_the_bound(tmp_path):
    rules = bureau_rules(tmp_path / "rules.csv", [
        "self.deviation_missing", "error", "deviation_required", json.dumps({"over": 1.5}), "未填写偏差原因",
        "Reason for deviation missing", "", "{reason}，{placeholder}请填写“{field}”",
        "{reason_en}; {placeholder_en}fill in '{field}'"])
    cell = a1(SE.table.first_row + 9, SE.column("actual").index)
    name = a1(SE.table.first_row + 9, SE.column("name").index)
    path = edited(example_return("self-evaluation"), tmp_path / "se.xlsx",
                  {(SE.table.name, cell): "125", (SE.table.name, name): COMPLETION})
    assert not [p for p in validate_file(path, rules=rules).problems if p.code == "self.actual_percent_range"]


def test_a_negative_percentage_is_worded_for_its_side(tmp_path):
    report, found = se_actual(tmp_path, 9, "-3")
    p = found["/indicators/9/actual"]
    assert "低于 0" in p.message and "below 0" in p.message_en, p.message


def test_a_share_of_a_whole_stays_within_100_on_a_greater_than_row(tmp_path):
    report, found = se_actual(tmp_path, 21, "110")  # 学员满意度 >90 %: 110 % of people satisfied is a slip
    assert report.document["indicators"][21]["comparator"] == ">"
    assert "0–100%" in found["/indicators/21/actual"].message


# 5. units that may be below zero -------------------------------------------------------------------------------
def test_a_fall_in_percentage_points_is_not_said_to_be_negative(tmp_path):
    doc = load(SE_JSON)
    doc["indicators"][9].update(comparator=">=", value=0, unit="个百分点", actual=-0.5)  # a change: it may fall
    doc["indicators"][10].update(comparator="<=", value=600, unit="元", actual=-100)  # a cost: still said
    report = validate_file(fill(doc, tmp_path / "se.xlsx"))
    found = {p.path for p in report.problems if p.code == "self.actual_negative"}
    assert found == {"/indicators/10/actual"}, [p.message for p in report.problems]
    mon = load(MON_JSON)
    mon["indicators"][9].update(comparator=">=", value=1, unit="百分点", progress=-0.2, expected=-0.1)
    report = validate_file(fill(mon, tmp_path / "m.xlsx"))
    assert not [p for p in report.problems if p.code == "monitor.actual_negative"]


# 7. a bureau's own scale rule, by its check kind ----------------------------------------------------------------
def test_a_bureaus_own_scale_rule_is_compared_with_the_goal_table(tmp_path):
    rules = bureau_rules(tmp_path / "rules.csv", [
        "bureau.wan", "warning", "monitor_funds_scale", json.dumps({"factors": {"万元": 10000}, "band": 3}),
        "金额单位疑误", "Amount in another unit", "", "“{field}”为 {found}，是{reference}（{other}）的约 1/{factor}",
        "'{field}' is {found}, about 1/{factor} of {reference} ({other})"])
    doc = json.loads(MON_JSON.read_text(encoding="utf-8"))
    doc["month"] = 6
    doc["funds"] = {"initial_budget": 6280, "full_year_budget": 6280, "executed_to_date": 2888.8,
                    "expected_full_year": 6154.4}  # all in 万元: only the goal table's 62,800,000 元 tells
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = [p for p in validate([path], targets=[GOALS], rules=rules).problems() if p.code == "bureau.wan"]
    assert sorted(p.path for p in found) == ["/funds/executed_to_date", "/funds/expected_full_year",
                                             "/funds/full_year_budget", "/funds/initial_budget"], found
    assert all("绩效目标表" in p.message for p in found), [p.message for p in found]
    # one amount only in 万元: said once, against the goal table, not again against the form's own budget
    doc["funds"] = {"initial_budget": 62800000, "full_year_budget": 62800000, "executed_to_date": 2888.8,
                    "expected_full_year": 61544000}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = [p for p in validate([path], targets=[GOALS], rules=rules).problems() if p.code == "bureau.wan"]
    assert [p.path for p in found] == ["/funds/executed_to_date"] and "绩效目标表" in found[0].message, \
        [p.message for p in found]


# 6. rows of a vertical merge the file gives no height: at the sheet's default height ------------------------------
def test_rows_of_a_merge_with_no_height_count_at_the_sheets_default(tmp_path):
    import openpyxl

    from xlgoals._form._paper import needed_height

    form = FORMS["self-evaluation"]
    col, r = form.column("deviation").index, form.table.first_row + 2  # 0-based
    text = "受疫情影响，样本不足，下年改进。" * 4
    assert 17.15 + 2 * 15 < needed_height(text, form.column("deviation").width, 11) < 17.15 + 2 * 40

    def short(default: float) -> list:
        wb = openpyxl.load_workbook(SE_XLSX)
        ws = wb[form.table.name]
        ws.sheet_format.defaultRowHeight = default  # the height the sheet shows a row of none of its own at
        for i, h in enumerate((17.15, None, None)):
            ws.cell(r + 1 + i, col + 1).value = None
            ws.row_dimensions[r + 1 + i].height = h
        ws.cell(r + 1, col + 1).value = text
        ws.merge_cells(f"{a1(r, col)}:{a1(r + 2, col)}")
        path = tmp_path / f"d{default:g}.xlsx"
        wb.save(path)
        return [p for p in validate_file(path).problems if p.code == "cell.row_too_short"]

    assert short(40) == []  # 17.15 + 2 × 40 = 97.15 pt holds it
    found = short(15)
    assert [p.cell for p in found] == [a1(r, col)] and "47.15 磅" in found[0].message, [p.message for p in found]
