"""mendEC: the monitoring report's loose ends (session 29).

1. A project's report of another round than the one counted, failing, is said with its own count on the terminal
   and under 监控汇总: never 重复申报 0 个（未计入，其中 1 个未通过校验）, nor a later month's failing report as replaced.
2. validate's rounds pass (monitor.cumulative_fell) chooses the report a summary counts by consolidate's own decision
   (decide_duplicates): a workbook before a JSON document of one month, the latest file among equal 填报日期.
3. A later month's report that fails for another reason while an earlier one counts is still told its cumulative
   figure fell, in validate and in consolidate alike.
4. 项目进度's 说明 says monitor.initial_budget_changed, from the warning's values.
6. frames()' indicator rows and 指标完成 say which target 重算得分 is scored against (scored_target), added
   after the columns there were, the return's key still last.
"""

from __future__ import annotations

import copy
import json
import os

import openpyxl
import pytest

from xlgoals import consolidate, fill, frames, validate

from .conftest import EXAMPLES, load
from xlgoals._problems import PROBLEM_TITLES

from .helpers import monitoring_report, ooxml_errors, summary_note

CODE, MESSAGE = PROBLEM_TITLES["code"][0], PROBLEM_TITLES["message"][0]

_GOAL = EXAMPLES / "json" / "02_促进就业专项资金.json"
_SELF = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json"
FELL = "monitor.cumulative_fell"



def _write(folder, name: str, doc: dict, mtime: int | None = None):
    folder.mkdir(exist_ok=True)
    path = folder / name
    if name.endswith(".json"):
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    else:
        fill(doc, path, force=True)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def _summary(inbox, out, **kw):
    """consolidate's result, its JSON and 校验结果 rows (as dicts) and the summary's sheets."""
    result = consolidate([inbox], out / "s.xlsx", json_path=out / "s.json", **kw)
    assert ooxml_errors(out / "s.xlsx") == []
    data = json.loads((out / "s.json").read_text(encoding="utf-8"))
    rows = [dict(zip(data["validation"]["columns"], r)) for r in data["validation"]["rows"]]
    return result, data, rows, openpyxl.load_workbook(out / "s.xlsx")


def _fell_in_summary(rows) -> set:
    return {os.path.basename(r["文件路径"]) for r in rows if r.get(CODE) == FELL}


def _counted(data) -> set:
    return {os.path.basename(p["文件路径"]) for p in (dict(zip(data["projects"]["columns"], r))
                                                   for r in data["projects"]["rows"]) if p["计入汇总"] == "是"}


def _fell_in_validate(report) -> set:
    return {os.path.basename(f.path) for f in report.files for p in f.problems if p.code == FELL}


# 1. reports of another round, failing, said apart --------------------------------------------------------------------
@pytest.fixture(scope="module")
def three_rounds(tmp_path_factory):
    """1-3月 passing, 1-6月 failing, 1-12月 failing, 1-9月 passing (counted), with --include-invalid: 1-3月 and 1-6月
    replaced (one passing, one failing), 1-12月 a later month's report that fails (1-9月 counts)."""
    tmp = tmp_path_factory.mktemp("rounds")
    inbox = tmp / "in"
    _write(inbox, "m03.json", monitoring_report(3, 30000000, "2020-04-10"))
    _write(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10", failing=True))
    _write(inbox, "m09.json", monitoring_report(9, 100000000, "2020-10-10"))
    _write(inbox, "m12.json", monitoring_report(12, 130000000, "2020-12-28", failing=True))
    return _summary(inbox, tmp, include_invalid=True)


def test_replaced_and_later_failing_reports_are_each_said_with_their_own_count(three_rounds):
    result, data, _, wb = three_rounds
    line, line_en = result.describe(), result.describe("en")
    assert "重复申报 0 个（未计入），" in line, line
    assert "已由较晚月份的报告取代的报告 2 个（未计入；通过校验 1 个，未通过校验 1 个）" in line, line
    assert "未通过校验的较晚月份报告 1 个（未计入，计入的是较早月份的报告）" in line, line
    assert "其中" not in line.split("重复申报")[1].split("未检查")[0], line
    assert "0 duplicates (not counted), 2 replaced by a later month's report (not counted: 1 passing, 1 failing), " \
           "1 later month's report failing (not counted: the earlier month's report counts)" in line_en, line_en
    # the sentence under 监控汇总 says it as the terminal does; the JSON's counts add up as before
    assert "重复申报 0 个（未计入），已由较晚月份的报告取代的报告 2 个（未计入；通过校验 1 个，未通过校验 1 个），" \
           "未通过校验的较晚月份报告 1 个（未计入，计入的是较早月份的报告）" in summary_note(wb), summary_note(wb)
    c = data["counts"]
    assert (c["counted"], c["failed_not_counted"], c["duplicates"]) == (1, 0, 3), c


@pytest.mark.parametrize("failing, said, said_en", [
    ("06", "已由较晚月份的报告取代的报告 1 个（未计入，未通过校验）", "1 replaced by a later month's report (not counted, failing)"),
    ("12", "未通过校验的较晚月份报告 1 个（未计入，计入的是较早月份的报告）",
     "1 later month's report failing (not counted: the earlier month's report counts)")])
def test_one_failing_report_of_two_rounds_is_not_a_failing_duplicate(tmp_path, failing, said, said_en):
    inbox = tmp_path / "in"
    _write(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10", failing=failing == "06"))
    _write(inbox, "m12.json", monitoring_report(12, 130000000, "2020-12-28", failing=failing == "12"))
    result, _, _, wb = _summary(inbox, tmp_path, include_invalid=True)
    line = result.describe()
    assert f"重复申报 0 个（未计入），{said}，未检查" in line, line
    assert said in summary_note(wb)
    assert f"0 duplicates (not counted), {said_en}, 0 files" in result.describe("en"), result.describe("en")


# 2. validate chooses the report counted as consolidate does ------------------------------------------------------------
def test_of_one_month_the_workbook_failing_gives_way_as_in_consolidate(tmp_path):
    """1-12月 as a failing workbook and its passing JSON document, beside a passing 1-6月 report: consolidate counts
    1-6月 (of one month the workbook is the return; it fails, so the earlier passing report counts); validate chose
    the passing JSON as "the latest passing" and compared it alone."""
    inbox = tmp_path / "in"
    _write(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10"))
    _write(inbox, "m12.xlsx", monitoring_report(12, 60000000, "2020-12-28", failing=True))
    _write(inbox, "m12.json", monitoring_report(12, 60000000, "2020-12-28"))
    report = validate([inbox])
    _, data, rows, _ = _summary(inbox, tmp_path)
    assert _counted(data) == {"m06.json"}, rows
    # both later reports are told (item 3), by validate and consolidate alike, nothing said of the report counted
    assert _fell_in_validate(report) == _fell_in_summary(rows) == {"m12.xlsx", "m12.json"}, \
        (_fell_in_validate(report), rows)
    dup = {os.path.basename(f.path): p.message for f in report.files for p in f.problems if p.code == "return.duplicate"}
    assert set(dup) == {"m12.xlsx", "m12.json"} and all("m06.json" in m for m in dup.values()), dup


def test_of_one_month_at_one_date_the_last_file_counts_as_in_consolidate(tmp_path):
    """Two passing 1-12月 reports filled on one date, modified at one time: consolidate counts the last path
    (m12b.json, whose figure rose); validate compared the first it listed (m12a.json, whose figure fell)."""
    inbox = tmp_path / "in"
    _write(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10"))
    _write(inbox, "m12a.json", monitoring_report(12, 60000000, "2020-12-28"), mtime=1609000000)
    _write(inbox, "m12b.json", monitoring_report(12, 130000000, "2020-12-28"), mtime=1609000000)
    report = validate([inbox])
    _, data, rows, _ = _summary(inbox, tmp_path)
    assert _counted(data) == {"m12b.json"}, rows
    assert _fell_in_validate(report) == _fell_in_summary(rows) == set(), (_fell_in_validate(report), rows)
    dup = {os.path.basename(f.path): p.message for f in report.files for p in f.problems if p.code == "return.duplicate"}
    assert set(dup) == {"m12a.json", "m06.json"} and all("m12b.json" in m for m in dup.values()), dup


# 3. a later report failing for another reason is still told its figure fell -------------------------------------------
def test_a_failing_later_report_whose_cumulative_figure_fell_is_told_in_validate_and_consolidate(tmp_path):
    inbox = tmp_path / "in"
    _write(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10"))
    _write(inbox, "m12.json", monitoring_report(12, 60000000, "2020-12-28", failing=True))
    report = validate([inbox])
    _, data, rows, _ = _summary(inbox, tmp_path)
    assert _fell_in_validate(report) == _fell_in_summary(rows) == {"m12.json"}, (_fell_in_validate(report), rows)
    (p,) = [p for f in report.files for p in f.problems if p.code == FELL]
    assert p.severity == "warning" and p.path == "/funds/executed_to_date", p
    assert "比同一项目较早的 1-6月报告（" in p.message and "“72,325,192.86 元”" in p.message, p.message
    # the earlier passing report counts, and is compared with nothing
    assert _counted(data) == {"m06.json"}


# 4. 项目进度's 说明 says a 年初预算数 typed over ------------------------------------------------------------------------
def test_project_progress_note_says_the_initial_budget_changed(tmp_path):
    inbox = tmp_path / "in"
    doc = monitoring_report(6, 72325192.86, "2020-07-10")
    doc["funds"]["initial_budget"] = 150000000
    _write(inbox, "m06.json", doc)
    _, data, rows, wb = _summary(inbox, tmp_path, targets=[_GOAL])
    (w,) = [r for r in rows if r.get(CODE) == "monitor.initial_budget_changed"]
    ws = wb["项目进度"]
    head = [c.value for c in ws[1]]
    (row,) = [[c.value for c in r] for r in ws.iter_rows(min_row=2) if r[0].value == 1]
    note = row[head.index("说明")]
    assert note == "年初预算数为 150,000,000.00 元，与批复的当年预算 146,407,273.00 元不同（monitor.initial_budget_changed）", note
    assert "150,000,000.00 元" in w[MESSAGE] and "146,407,273.00 元" in w[MESSAGE], w
    (p,) = [dict(zip(data["projects"]["columns"], r)) for r in data["projects"]["rows"]]
    assert p["说明"] == note


# 6. the target 重算得分 is scored against, beside the one typed -----------------------------------------------------
def test_frames_and_the_indicator_sheet_say_the_target_scored_against(tmp_path):
    goal = load(_GOAL)
    next(i for i in goal["indicators"] if i["name"] == "享受职业技能补贴人数")["value"] = 80  # revised since
    (tmp_path / "goal.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    se = load(_SELF)
    row = next(i for i in se["indicators"] if i["id"] == "I010")  # ≥90% on the form, 70 done
    row["actual"], row["score"] = 70, 3.0
    inbox = tmp_path / "in"
    _write(inbox, "se.json", se)
    fr = frames([inbox], targets=[tmp_path / "goal.json"], jobs=1)
    item = fr.indicators[fr.indicators["name"] == "享受职业技能补贴人数"].iloc[0]
    assert (item["value"], item["recomputed_score"], item["scored_target"]) == (90, 3.89, "≥80%"), item
    columns = list(fr.indicators.columns)  # added after recomputed_score: the return's key still last
    assert columns[columns.index("recomputed_score") + 1] == "scored_target", columns
    assert columns[-4:] == ["summary_unit", "year", "sha256", "path_bytes"], columns
    other = fr.indicators[fr.indicators["name"] == "职业技能鉴定合格率"].iloc[0]
    assert other["scored_target"] == "≥85%", other
    _, data, _, wb = _summary(inbox, tmp_path, targets=[tmp_path / "goal.json"], include_invalid=True)
    ws = wb["指标完成"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    i = next(i for i, r in enumerate(rows) if "三级指标" in r)
    head = rows[i]
    title = "重算得分所依据的年度指标值"
    # off paper, after the columns there were; 预算年度 and SHA-256 still end the sheet
    assert head[-3:] == [title, "预算年度", "SHA-256"], head
    (r,) = [r for r in rows[i + 1:] if r[head.index("三级指标")] == "享受职业技能补贴人数"]
    assert (r[head.index("重算得分")], r[head.index(title)]) == (3.89, "≥80%"), dict(zip(head, r))
    table = data["indicators"]
    (j,) = [dict(zip(table["columns"], x)) for x in table["rows"] if "享受职业技能补贴人数" in x]
    assert j[title] == "≥80%" and table["columns"][-3:] == [title, "预算年度", "SHA-256"], table["columns"]
