"""mendFA: what the printed form hides, and dates people type (red team 31, round 3).

1. A font shrunk to 1 pt hides amounts, scores and targets on the stamped form, as a white font does: a warning,
   cell.font_tiny, below the size the rule's parameter (points) gives.
2. "2020.12" typed into a date cell (LibreOffice under zh_CN keeps the number 2020.12: 1905-07-12 02:52:48) was told
   to "enter 1905-07-12": it is said as a year and month typed, asking for a whole date (cell.date_year_month).
3. The goal table's 填报日期 was never checked (rule.goal_report_date: from the year before the budget year to its end).
4. A 1-6月 monitoring report dated after its budget year, and a self-evaluation dated before the budget year's last
   month, are warned (rule.monitor_report_date, rule.report_date).
5. A hidden column of the information sheet is named by its field (全年执行数（元）), not by the sheet's name.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
from openpyxl.styles import Font

from xlgoals import FORMS, validate_file

from .helpers import bureau_rules, example_return, packaged_rule

GOAL, SELF, MONITOR = (example_return(f) for f in ("goal-table", "self-evaluation", "monitoring"))


def _saved(tmp_path, src, edit, name="r.xlsx"):
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(tmp_path / name)
    return tmp_path / name


def _of(path, codes, **kw):
    return [p for p in validate_file(path, isolated=False, **kw).problems if p.code in codes]


def _field(form_id, path):
    f = FORMS[form_id].field(path)
    return f.sheet, f.cell


# 1 -----------------------------------------------------------------------------------------------------------------
def test_a_font_too_small_to_read_is_warned_at_each_cell_and_its_size_is_the_rules(tmp_path):
    def tiny(wb):
        for sheet, ref, size in (("自评信息", "D7", 1), ("自评信息", "G7", 1), ("指标自评", "I27", 1),
                                 ("指标自评", "L27", 5), ("指标自评", "I28", 6), ("指标自评", "D27", 1)):
            f = wb[sheet][ref].font
            wb[sheet][ref].font = Font(name=f.name, sz=size, bold=f.bold)
    path = _saved(tmp_path, SELF, tiny)
    found = _of(path, {"cell.font_tiny"})
    # 6 pt (I28) is at the rule's size, not below it; the 三级指标 text (D27, wrapped) is said as an amount is
    assert sorted((p.sheet, p.cell, p.severity) for p in found) == [
        ("指标自评", "D27", "warning"), ("指标自评", "I27", "warning"), ("指标自评", "L27", "warning"),
        ("自评信息", "D7", "warning"), ("自评信息", "G7", "warning")], [(p.sheet, p.cell) for p in found]
    by_cell = {p.cell: p for p in found}
    assert "1 磅" in by_cell["D7"].message and "全年执行数" in by_cell["D7"].message \
        and "看不清" in by_cell["D7"].message, by_cell["D7"].message
    assert "5 磅" in by_cell["L27"].message and "得分" in by_cell["L27"].message
    assert "1 pt" in by_cell["G7"].message_en and "Funds score" in by_cell["G7"].message_en
    # the size is the rule's parameter: a bureau's 2 pt leaves the 5 pt score unsaid
    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("cell.font_tiny", params='{"points": 2}'))
    assert sorted(p.cell for p in _of(path, {"cell.font_tiny"}, rules=rules)) == ["D27", "D7", "G7", "I27"]


def test_a_tiny_font_on_the_goal_tables_target_and_budget_is_warned(tmp_path):
    def tiny(wb):
        wb["绩效指标"]["F5"].font = Font(sz=1)
        wb["项目信息"]["B11"].font = Font(sz=1)
    found = _of(_saved(tmp_path, GOAL, tiny), {"cell.font_tiny"})
    assert sorted((p.sheet, p.cell) for p in found) == [("绩效指标", "F5"), ("项目信息", "B11")]


# 2 -----------------------------------------------------------------------------------------------------------------
def test_a_year_and_month_typed_into_a_date_cell_asks_for_a_whole_date(tmp_path):
    sheet, cell = _field("goal-table", "/project/end_date")

    def typed(wb):
        wb[sheet][cell].value = 2020.12  # what LibreOffice keeps of 2020.12 typed into the date cell (zh_CN)
        wb[sheet][cell].number_format = "yyyy\\-mm\\-dd"
        wb[sheet]["B6"].value, wb[sheet]["B6"].number_format = 2020.5, "yyyy\\-mm\\-dd"
    path = _saved(tmp_path, GOAL, typed)
    problems = validate_file(path, isolated=False).problems
    at = {p.cell: p for p in problems if p.sheet == sheet and p.cell in (cell, "B6")}
    assert {c: p.code for c, p in at.items()} == {cell: "cell.date_year_month", "B6": "cell.date_year_month"}
    p = at[cell]
    assert p.severity == "error" and "2020.12" in p.message and "2020-12-31" in p.message \
        and "填写 1905" not in p.message, p.message
    assert "2020.12" in p.message_en and "2020-12-31" in p.message_en and "remove the time" not in p.message_en
    assert "2020.5" in at["B6"].message and "2020-05-31" in at["B6"].message, at["B6"].message
    # a date with a time of day in a real year is still one (cell.date_time)
    path = _saved(tmp_path, GOAL, lambda wb: setattr(wb[sheet][cell], "value", dt.datetime(2020, 12, 31, 9, 30)))
    assert [p.code for p in validate_file(path, isolated=False).problems if p.cell == cell] == ["cell.date_time"]


# 3, 4 --------------------------------------------------------------------------------------------------------------
def _dated(tmp_path, src, form_id, value):
    sheet, cell = _field(form_id, "/contact/date")
    path = _saved(tmp_path, src, lambda wb: setattr(wb[sheet][cell], "value", value))
    return [p for p in validate_file(path, isolated=False).problems if (p.sheet, p.cell) == (sheet, cell)]


def test_each_forms_report_date_is_checked_against_its_own_window(tmp_path):
    d = dt.datetime
    # the goal table of budget year 2020: filled from 2019 on, to the end of 2020
    bad = _dated(tmp_path, GOAL, "goal-table", d(2026, 12, 31))
    assert [(p.code, p.severity) for p in bad] == [("rule.goal_report_date", "warning")], bad
    assert "2026-12-31" in bad[0].message and "2019-01-01" in bad[0].message and "2020-12-31" in bad[0].message
    assert [p.code for p in _dated(tmp_path, GOAL, "goal-table", d(2018, 12, 31))] == ["rule.goal_report_date"]
    for good in (d(2019, 1, 1), d(2019, 10, 15), d(2020, 12, 31)):
        assert _dated(tmp_path, GOAL, "goal-table", good) == [], good
    # a 1-6月 2020 monitoring report: from June to three months after the budget year (mendFF)
    bad = _dated(tmp_path, MONITOR, "monitoring", d(2021, 12, 31))
    assert [(p.code, p.severity) for p in bad] == [("rule.monitor_report_date", "warning")], bad
    assert "2020-06-01" in bad[0].message and "2021-03-31" in bad[0].message
    assert _dated(tmp_path, MONITOR, "monitoring", d(2020, 12, 31)) == []
    # a 2020 self-evaluation: from December 2020 to the end of June 2021 (mendGD)
    bad = _dated(tmp_path, SELF, "self-evaluation", d(2020, 6, 30))
    assert [(p.code, p.severity) for p in bad] == [("rule.report_date", "warning")], bad
    assert "2020-12-01" in bad[0].message and "2021-06-30" in bad[0].message
    assert _dated(tmp_path, SELF, "self-evaluation", d(2020, 12, 1)) == []


def test_an_earlier_releases_report_date_row_keeps_off_the_goal_table(tmp_path):
    """A bureau's copy of rule.report_date from before these windows (no forms) runs where it ran: not on the goal
    table, which has its own row."""
    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule(
        "rule.report_date", params='{"path": "/contact/date", "years_after": 1}'))
    sheet, cell = _field("goal-table", "/contact/date")
    path = _saved(tmp_path, GOAL, lambda wb: setattr(wb[sheet][cell], "value", dt.datetime(2019, 10, 15)))
    assert [p for p in validate_file(path, isolated=False, rules=rules).problems if p.cell == cell] == []


# 5 -----------------------------------------------------------------------------------------------------------------
def test_a_hidden_column_of_the_information_sheet_is_named_by_its_field(tmp_path):
    def hide(wb):
        wb["自评信息"].column_dimensions["D"].width = 0.5
    found = _of(_saved(tmp_path, SELF, hide), {"cell.hidden_column"})
    assert [(p.sheet, p.cell) for p in found] == [("自评信息", "D6")], found
    assert "“全年执行数（元）”所在的 D 列" in found[0].message, found[0].message
    assert "executed (yuan)" in found[0].message_en and "自评信息" not in found[0].message_en, found[0].message_en
