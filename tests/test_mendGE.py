"""mendGE: red-team findings on consolidating folders of monitoring returns (绩效运行监控表), as a bureau does.

1. Two returns of one project, a clean one and a later one whose amounts are typed in 万元 (monitor.amount_scale on
   a strong suspicion: the amounts held out of the totals): the later one won the duplicate rule, and the project's
   money dropped out of the totals.  As a goal table's amount in 万元 (cell.amount_wan, an error) loses to a clean
   return, a monitoring report's amounts held out as in 万元 rank below a clean report of the same round, and the
   note says which file counts and why.
2. 监控汇总's marks (红/黄/绿) did not add up to the units and projects counted: a counted report with no mark (no
   budget above zero, no month …) was not told.  It is 未标记, in the JSON's ``marks``/``project_marks``, the
   terminal's line, the 进度标识 column (workbook, CSV, JSON) and the sheet's note.
3. An amount in 万元 typed with more than two decimals (7232.5193 for 72,325,193 元) got only cell.amount_decimals;
   it now gets the 万元 hint (monitor.amount_scale) beside it, which says what it is meant to be.
4. A workbook named as Excel's lock file (``~$单位A.xlsx``, a real workbook copy) won over ``单位A.xlsx``: Excel hides
   such files, so a ``~$`` name ranks as a hidden file's (``.申报.xlsx``) does, after the file shown in its folder.
5. The annotated copy of a return whose 下拉选项 had been saved ``hidden`` (LibreOffice keeps no veryHidden) has it
   ``veryHidden`` again, as the template has it.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path

import openpyxl

import xlgoals
from xlgoals import FORMS

from .conftest import EXAMPLES
from .helpers import edited

M6 = FORMS["monitoring"].bind(month=6)
SRC = EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx"  # 全年预算数 139,086,909.35, 1-6月执行数 72,325,192.86


def _cell(path: str) -> tuple[str, str]:
    f = M6.field(path)
    return f.sheet, f.cell


def _summary(folder: Path, tmp_path: Path, **kw):
    out, js = tmp_path / "监控汇总.xlsx", tmp_path / "监控汇总.json"
    result = xlgoals.consolidate([folder], out, jobs=1, json_path=js, csv_dir=tmp_path / "csv", **kw)
    return result, openpyxl.load_workbook(out), json.loads(js.read_text(encoding="utf-8"))


def _rows(table: dict) -> list[dict]:
    return [dict(zip(table["columns"], row)) for row in table["rows"]]


# 1. A clean report before one whose amounts are held out as typed in 万元 ------------------------------------------
def _in_wan(dst: Path, day: int = 20) -> Path:
    return edited(SRC, dst, {_cell("/funds/full_year_budget"): 13908.69, _cell("/funds/executed_to_date"): 7232.52,
                             _cell("/funds/expected_full_year"): 13908.69,
                             _cell("/contact/date"): datetime.datetime(2020, 7, day)})


def test_a_clean_report_counts_before_a_later_one_in_wan_and_the_note_says_why(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(SRC, inbox / "甲.xlsx")  # filled on 2020-07-10
    _in_wan(inbox / "乙.xlsx")  # filled later, on 2020-07-20: as the date goes, it would count
    result, wb, js = _summary(inbox, tmp_path)
    projects = {Path(r["文件路径"]).name: r for r in _rows(js["projects"])}
    assert projects["甲.xlsx"]["计入汇总"] == "是" and projects["乙.xlsx"]["计入汇总"] == "否", projects
    totals = js["summary"]["totals"]
    assert totals["全年预算数（元）"] == 139086909.35 and totals["1-N月执行数（元）"] == 72325192.86, totals
    note = projects["乙.xlsx"]["说明"]
    assert note.startswith("重复申报，以 甲.xlsx 为准，本文件的金额疑按万元填写"), note
    assert "amounts_held_out" not in result.totals, result.totals
    # validate of the folder names the same file as the one not counted, in the same words
    report = xlgoals.validate([inbox])
    said = {Path(f.path).name: [p for p in f.problems if p.code == "return.duplicate"] for f in report.files}
    assert not said["甲.xlsx"] and len(said["乙.xlsx"]) == 1, said
    assert "甲.xlsx 为准，本文件的金额疑按万元填写" in said["乙.xlsx"][0].message, said["乙.xlsx"][0].message


def test_of_two_reports_in_wan_the_latest_still_counts(tmp_path):
    # the rank only sets a clean report before one held out: among reports alike the rule is as before
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    _in_wan(inbox / "甲.xlsx", 15)
    _in_wan(inbox / "乙.xlsx", 20)
    _, _, js = _summary(inbox, tmp_path)
    projects = {Path(r["文件路径"]).name: r for r in _rows(js["projects"])}
    assert projects["乙.xlsx"]["计入汇总"] == "是" and projects["甲.xlsx"]["计入汇总"] == "否", projects
    assert projects["甲.xlsx"]["说明"].startswith("重复申报，以 乙.xlsx 为准，两份内容不同，请核对"), projects["甲.xlsx"]


# 2. A counted report with no mark is told: 未标记 -------------------------------------------------------------------
def test_marks_add_up_to_the_units_and_projects_counted(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(SRC, inbox / "甲.xlsx")
    # another unit's report (a JSON document) with no budget above zero (nothing spent): counted, no 执行率, no mark
    doc = json.loads((EXAMPLES / "monitoring" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    doc["unit"] = "某某区就业促进中心"
    doc["funds"].update(full_year_budget=0, executed_to_date=0, expected_full_year=0)
    (inbox / "乙.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result, wb, js = _summary(inbox, tmp_path)
    s = js["summary"]
    assert js["counts"]["counted"] == 2, js["counts"]
    assert s["project_marks"] == {"红": 0, "黄": 0, "绿": 1, "未标记": 1}, s["project_marks"]
    assert s["marks"] == {"红": 0, "黄": 0, "绿": 1, "未标记": 1}, s["marks"]
    assert sum(s["marks"].values()) == len(s["rows"]) and sum(s["project_marks"].values()) == 2
    # the column says it: a count of its values adds up, in the JSON, the CSV and the workbook
    assert sorted(r["进度标识"] for r in _rows(js["projects"])) == ["未标记", "绿"]
    assert sorted(r["进度标识"] for r in _rows(s)) == ["未标记", "绿"]
    csv_text = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "csv").glob("*.csv"))
    assert "未标记" in csv_text
    ws = wb["项目进度"]
    head = [c.value for c in ws[1]]
    shown = [r[head.index("进度标识")] for r in ws.iter_rows(min_row=2, values_only=True) if r[1]]
    assert sorted(shown) == ["未标记", "绿"], shown
    note = next(c.value for r in wb["监控汇总"].iter_rows() for c in r
                if isinstance(c.value, str) and "进度标识：" in c.value)
    assert "未标记" in note, note
    from xlgoals._monitor._summary import MonitoringSummary

    assert "项目进度标识：红 0 个，黄 0 个，绿 1 个，未标记 1 个" in MonitoringSummary.headline(result.totals)
    assert "unmarked 1" in MonitoringSummary.headline(result.totals, "en")


# 3. An amount in 万元 with more than two decimals gets the 万元 hint beside the decimals error -----------------------
def test_an_amount_in_wan_with_four_decimals_gets_the_wan_hint_too(tmp_path):
    path = edited(SRC, tmp_path / "r.xlsx", {_cell("/funds/executed_to_date"): 7232.5193})
    found = {(p.code, p.cell): p for p in xlgoals.validate_file(path).problems}
    cell = _cell("/funds/executed_to_date")[1]
    assert ("cell.amount_decimals", cell) in found, found
    hint = found.get(("monitor.amount_scale", cell))
    assert hint is not None, sorted(found)
    assert "万元" in hint.message and "72,325,193.00" in hint.message, hint.message
    assert "合计" not in hint.message  # (refused, it is in no total anyway: nothing said of holding it out)
    # nor is it held out as in 万元 by a summary (it is unread, blank): the duplicate rule ranks it as it did
    assert "held_out" not in xlgoals.validate([path]).files[0].duplicate_values
    # a real amount with a third decimal (a fen's fraction of a figure near the budget) is no 万元 slip
    path = edited(SRC, tmp_path / "s.xlsx", {_cell("/funds/executed_to_date"): 72325192.865})
    codes = {p.code for p in xlgoals.validate_file(path).problems}
    assert "cell.amount_decimals" in codes and "monitor.amount_scale" not in codes, codes


def test_a_json_report_in_wan_with_four_decimals_gets_the_hint_too(tmp_path):
    doc = json.loads((EXAMPLES / "monitoring" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["funds"]["executed_to_date"] = 7232.5193
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = {(p.code, p.path) for p in xlgoals.validate([path]).files[0].problems}
    assert ("cell.amount_decimals", "/funds/executed_to_date") in found, found
    assert ("monitor.amount_scale", "/funds/executed_to_date") in found, found


# 4. A workbook named as Excel's lock file ranks as a hidden file -----------------------------------------------------
def test_a_lock_named_workbook_copy_does_not_win_over_the_real_file(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(SRC, inbox / "单位A.xlsx")
    edited(SRC, inbox / "~$单位A.xlsx", {_cell("/contact/head"): "某某"})  # a copy, saved after it
    later = os.stat(inbox / "单位A.xlsx").st_mtime_ns + 10 ** 10
    os.utime(inbox / "~$单位A.xlsx", ns=(later, later))
    _, _, js = _summary(inbox, tmp_path)
    projects = {Path(r["文件路径"]).name: r for r in _rows(js["projects"])}
    assert projects["单位A.xlsx"]["计入汇总"] == "是" and projects["~$单位A.xlsx"]["计入汇总"] == "否", projects
    assert "以 单位A.xlsx 为准" in projects["~$单位A.xlsx"]["说明"]
    report = xlgoals.validate([inbox])
    said = {Path(f.path).name: {p.code for p in f.problems} for f in report.files}
    assert "return.duplicate" in said["~$单位A.xlsx"] and "return.duplicate" not in said["单位A.xlsx"], said


# 5. The annotated copy keeps 下拉选项 very hidden, as the template has it ---------------------------------------------
def test_the_annotated_copy_keeps_the_lists_sheet_very_hidden(tmp_path):
    from xlgoals._check._annotate import annotate

    wb = openpyxl.load_workbook(SRC)
    assert wb[M6.lists_sheet].sheet_state == "veryHidden"
    wb[M6.lists_sheet].sheet_state = "hidden"  # as LibreOffice saves it: it has no veryHidden
    sheet, ref = _cell("/funds/executed_to_date")
    wb[sheet][ref].value = "7232.52万元"
    wb.save(tmp_path / "r.xlsx")
    report = xlgoals.validate([tmp_path / "r.xlsx"])
    assert not report.valid
    copy = annotate(report.files[0], tmp_path / "标注")
    states = {ws.title: ws.sheet_state for ws in openpyxl.load_workbook(copy)}
    assert states[M6.lists_sheet] == "veryHidden", states
    assert states[M6.info.name] == "visible" and states[M6.table.name] == "visible"
    # the copy is read again as the form it marks, the dropdowns working
    again = {p.code for p in xlgoals.validate_file(copy).problems}
    assert "template.extra_sheet" not in again, again
