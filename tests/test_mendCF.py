"""Red team (m)'s mid-year monitoring round trip (session 26), mended: a percent typed into an amount cell whose
format LibreOffice keeps, 万元 in 1-N月执行数 on a project behind schedule, a later month's report against an
earlier one, the 项目进度 heading, the placeholder reason said with the missing category, a changed unit located at
its cell, and month 1 said as 1月."""

from decimal import Decimal
import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS, consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import monitoring_short_row, ooxml_errors

MON = EXAMPLES / "monitoring"
RETURN = MON / "03_职业培训基础能力建设资助.xlsx"


def _with(tmp_path, src, sheet, ref, value, name="r.xlsx", fmt=None):
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    ws[ref].value = value
    if fmt:
        ws[ref].number_format = fmt
    wb.save(tmp_path / name)
    return tmp_path / name


# 1. "50%" typed into an amount cell whose #,##0.00 LibreOffice keeps: 0.5 under #,##0.00 ------------------------
@pytest.mark.parametrize("value, percent", [(0.5, "50%"), (0.4988, "49.88%"), (0.05, "5%")])
def test_a_percent_typed_into_the_executed_amount_is_warned_at_its_cell(tmp_path, value, percent):
    path = _with(tmp_path, RETURN, "监控信息", "D7", value, fmt="#,##0.00")
    report = validate_file(path)
    codes = [p.code for p in report.problems]
    (p,) = [p for p in report.problems if p.code == "cell.amount_fraction"]
    assert (p.sheet, p.cell, p.severity, p.path) == ("监控信息", "D7", "warning", "/funds/executed_to_date")
    assert percent in p.message and "百分数" in p.message and percent in p.text("en")
    if value == 0.4988:  # a fraction of a fen too: the error 5.125 gets (session 31, mendFB), the amount not taken
        assert [q.code for q in report.problems if q.severity == "error"] == ["cell.amount_decimals"], report.problems
        return
    # a warning (a real 0.30 元 is read as fill wrote it), the amount kept
    assert "cell.amount_decimals" not in codes and "monitor.behind_schedule" in codes, report.problems
    assert not [q for q in report.problems if q.severity == "error"], report.problems


def test_a_percent_typed_into_the_executed_amount_is_not_also_in_wan_with_targets(tmp_path):
    path = _with(tmp_path, RETURN, "监控信息", "D7", 0.5, fmt="#,##0.00")
    codes = [p.code for p in xlgoals.validate([path], targets=[EXAMPLES / "returns"]).problems()]
    assert "cell.amount_fraction" in codes and "monitor.amount_scale" not in codes, codes


def test_a_percent_typed_into_a_goal_tables_amount_is_the_same_error(tmp_path):
    form = FORMS["goal-table"]
    field = next(f for f in form.fields if f.path == "/budget/current_year")
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    path = _with(tmp_path, src, form.info.name, openpyxl.utils.get_column_letter(field.col + 1) + str(field.row + 1),
                 0.5)
    (p,) = [p for p in validate_file(path).problems if p.code == "cell.amount_fraction"]
    assert p.path == "/budget/current_year" and "50%" in p.message


def test_the_summary_counts_a_fraction_of_a_yuan_as_read_and_warns(tmp_path):
    (tmp_path / "in").mkdir()
    _with(tmp_path / "in", RETURN, "监控信息", "D7", 0.5, fmt="#,##0.00")
    summary = consolidate([tmp_path / "in"], tmp_path / "s.xlsx")
    assert summary.totals["invalid"] == 0 and summary.totals["executed_to_date"] == Decimal("0.5"), summary.totals
    assert not ooxml_errors(tmp_path / "s.xlsx")


# 3./4. one project's 1-6月 and 1-12月 reports: the later month counts, said as the earlier one replaced ----------
def _two_rounds(tmp_path, later_as="xlsx", later_fails=False):
    """A folder with example 03's 1-6月 report (a workbook) and a 1-12月 report of the same project."""
    doc = json.loads((MON / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    xlgoals.fill(doc, inbox / "职业培训_1-6月.xlsx")
    d12 = json.loads(json.dumps(doc))
    d12["month"] = 12
    d12["contact"]["date"] = "2021-01-10"
    d12["funds"].update(executed_to_date=100000000, expected_full_year=110000000)
    if later_fails:  # 全年预计执行数 below 1-12月执行数: monitor.expected_below_executed
        d12["funds"]["expected_full_year"] = 1
    later = inbox / f"职业培训_1-12月.{later_as}"
    if later_as == "json":
        later.write_text(json.dumps(d12, ensure_ascii=False), encoding="utf-8")
    else:
        xlgoals.fill(d12, later)
    return inbox


def _notes(result):
    return {Path(r.path).name: (r.included, r.note) for r in result.records}


@pytest.mark.parametrize("later_as", ["json", "xlsx"])
def test_the_later_months_report_counts_over_the_earlier_one(tmp_path, later_as):
    result = consolidate([_two_rounds(tmp_path, later_as)], tmp_path / "s.xlsx", json_path=tmp_path / "s.json")
    assert result.totals["months"] == [12] and result.totals["executed_to_date"] == 100000000, result.totals
    notes = _notes(result)
    included, note = notes["职业培训_1-6月.xlsx"]
    assert not included and notes[f"职业培训_1-12月.{later_as}"][0]
    # a note that the later round replaces the earlier, not a conflict to check
    assert "1-6月报告已由 1-12月报告取代" in note and "请核对" not in note and "不同" not in note, note
    (line,) = result.duplicate_lines()
    assert "职业培训_1-6月.xlsx" in line and "已由 1-12月报告取代" in line and "请核对" not in line, line
    (en,) = result.duplicate_lines("en")
    assert "replaced by the months 1-12 report" in en and "check" not in en, en
    assert not ooxml_errors(tmp_path / "s.xlsx")


def test_a_failing_later_report_says_the_earlier_one_counts_instead(tmp_path):
    result = consolidate([_two_rounds(tmp_path, later_fails=True)], tmp_path / "s.xlsx")
    assert result.totals["months"] == [6], result.totals
    notes = _notes(result)
    assert notes["职业培训_1-6月.xlsx"][0] and not notes["职业培训_1-12月.xlsx"][0]
    note = notes["职业培训_1-12月.xlsx"][1]
    assert "1-12月报告未通过校验" in note and "计入的是较早的 1-6月报告" in note and "请核对" not in note, note
    (en,) = result.duplicate_lines("en")
    assert "fails validation: the earlier months 1-6 report" in en and "counts instead" in en, en


def test_a_workbook_and_its_own_json_of_one_month_keep_the_workbook_first(tmp_path):
    """The workbook-before-JSON rule holds among the reports of one month (a tampered workbook is not passed by
    the JSON read from it)."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    doc = json.loads((MON / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    xlgoals.fill(doc, inbox / "a.xlsx")
    (inbox / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    notes = _notes(consolidate([inbox], tmp_path / "s.xlsx"))
    assert notes["a.xlsx"][0] and not notes["a.json"][0] and "JSON 文档与工作簿读出的内容相同" in notes["a.json"][1]


# 2. 1-N月执行数 in 万元 on a project behind schedule: held to its budget by a factor of about 10,000 ----------------
def _monitoring_doc(**funds):
    doc = json.loads((MON / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    doc["funds"].update(funds)
    return doc


def _scale(tmp_path, doc, name="r.json"):
    return [p for p in xlgoals.validate_document(doc) if p.code == "monitor.amount_scale"]


@pytest.mark.parametrize("executed", [3542.64, 571.39, 35.43])  # 31 %, 5 %, 0.3 % executed, typed in 万元
def test_executed_in_wan_is_asked_about_however_low_the_execution(tmp_path, executed):
    (p,) = _scale(tmp_path, _monitoring_doc(executed_to_date=executed))
    assert p.path == "/funds/executed_to_date" and "万元" in p.message, p.message


def test_executed_in_wan_in_a_workbook_is_asked_about_at_its_cell(tmp_path):
    xlgoals.fill(_monitoring_doc(executed_to_date=3542.64), tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(tmp_path / "r.xlsx").problems if p.code == "monitor.amount_scale"]
    assert (p.sheet, p.cell) == ("监控信息", "D7") and "35,426,400.00" in p.message, p.message


@pytest.mark.parametrize("executed", [571394.3, 114278.86, 22855.77])  # 0.5 %, 0.1 %, 0.02 % executed, in 元
def test_genuinely_low_execution_is_no_slip(tmp_path, executed):
    assert _scale(tmp_path, _monitoring_doc(executed_to_date=executed)) == []


def test_no_example_return_is_said_to_be_in_wan(tmp_path):
    for path in sorted(MON.glob("*.xlsx")) + sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")):
        assert not [p for p in validate_file(path).problems if p.code.endswith("amount_scale")], path


# 6. 全年预计完成情况 short of its target, 偏差原因类别 empty and the reason a placeholder: both said in one round ------
_short_row = monitoring_short_row  # (tests.helpers)


@pytest.mark.parametrize("reason", ["略", "无"])
def test_a_missing_category_and_a_placeholder_reason_are_said_at_once(reason):
    doc, i = _short_row(reason)
    short = {p.path: p for p in xlgoals.validate_document(doc) if p.code == "monitor.expected_short"}
    assert set(short) == {f"/indicators/{i}/deviation_category", f"/indicators/{i}/deviation"}, short
    assert f"“{reason}”是占位符" in short[f"/indicators/{i}/deviation"].message
    assert "偏差原因类别" in short[f"/indicators/{i}/deviation_category"].message


def test_a_missing_category_and_no_reason_are_both_said_at_once():
    # (one problem at the category until mendCL: the blank reason was said only once the category was given)
    doc, i = _short_row(None)
    short = [p.path for p in xlgoals.validate_document(doc) if p.code == "monitor.expected_short"]
    assert short == [f"/indicators/{i}/deviation_category", f"/indicators/{i}/deviation"]


def test_a_missing_category_with_a_reason_given_is_one_problem():
    doc, i = _short_row("培训场地改造推迟，下半年加快实施。")
    short = [p.path for p in xlgoals.validate_document(doc) if p.code == "monitor.expected_short"]
    assert short == [f"/indicators/{i}/deviation_category"]


# 7. a changed 计量单位 said at its own cell (H), not at 年度指标值 (G) ------------------------------------------------
@pytest.mark.parametrize("form, folder", [("monitoring", "monitoring"), ("self-evaluation", "self-evaluation")])
def test_a_changed_unit_is_located_at_the_unit_cell(tmp_path, form, folder):
    from xlgoals._form import a1

    f = FORMS[form].bind(month=6) if form == "monitoring" else FORMS[form]
    src = EXAMPLES / folder / "03_职业培训基础能力建设资助.xlsx"
    doc = xlgoals.read(src).document
    k = next(j for j, ind in enumerate(doc["indicators"]) if ind.get("unit") == "%")
    unit_at = a1(f.table.first_row + k, f.column("unit").index)
    target_at = a1(f.table.first_row + k, f.column("target").index)
    path = _with(tmp_path, src, f.table.name, unit_at, "人")
    changed = [p for p in xlgoals.validate([path], targets=[EXAMPLES / "returns"]).problems()
               if p.code.endswith(".target_changed")]
    assert [(p.sheet, p.cell) for p in changed] == [(f.table.name, unit_at)], [(p.cell, p.message) for p in changed]
    assert "计量单位" in changed[0].message and "“人”" in changed[0].message and "“%”" in changed[0].message
    assert target_at != unit_at


def test_a_changed_target_value_is_still_located_at_the_target(tmp_path):
    from xlgoals._form import a1

    f = FORMS["monitoring"].bind(month=6)
    src = RETURN
    doc = xlgoals.read(src).document
    k = next(j for j, ind in enumerate(doc["indicators"]) if ind.get("unit") == "%")
    target_at = a1(f.table.first_row + k, f.column("target").index)
    wb = openpyxl.load_workbook(src)
    wb[f.table.name][target_at].value = 12.5
    wb.save(tmp_path / "r.xlsx")
    changed = [p.cell for p in xlgoals.validate([tmp_path / "r.xlsx"], targets=[EXAMPLES / "returns"]).problems()
               if p.code == "monitor.target_changed"]
    assert changed == [target_at]


# 5. 项目进度 lists a failing month-12 report beside counted month-6 ones: its heading names no month it is not -------
def _projects_sheet(path):
    ws = openpyxl.load_workbook(path)["项目进度"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[0] is not None]
    return head, rows


def test_the_project_sheet_heads_no_month_a_listed_report_is_not_of(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    doc = json.loads((MON / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    xlgoals.fill(doc, inbox / "a.xlsx")
    d = json.loads((MON / "05_促进就业专项业务费.json").read_text(encoding="utf-8"))
    d["month"], d["contact"]["date"] = 12, "2021-01-10"
    d["funds"].update(executed_to_date=d["funds"]["full_year_budget"], expected_full_year=1)  # fails
    xlgoals.fill(d, inbox / "b.xlsx")
    result = consolidate([inbox], tmp_path / "s.xlsx")
    assert result.totals["months"] == [6]
    head, rows = _projects_sheet(tmp_path / "s.xlsx")
    assert "1-N月执行数（元）" in head and "1-6月执行数（元）" not in head, head
    assert sorted(r["报告月份"] for r in rows) == [6, 12]
    # the sheet people print says the counted month where it is theirs (监控汇总's title and heading)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["监控汇总"]
    assert "1-6月执行数（元）" in [c.value for row in ws.iter_rows(max_row=6) for c in row]
    assert not ooxml_errors(tmp_path / "s.xlsx")


def test_the_project_sheet_keeps_the_month_when_every_listed_report_is_of_it(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in sorted(MON.glob("*.xlsx"))[:2]:
        (inbox / p.name).write_bytes(p.read_bytes())
    consolidate([inbox], tmp_path / "s.xlsx")
    head, _ = _projects_sheet(tmp_path / "s.xlsx")
    assert "1-6月执行数（元）" in head, head
