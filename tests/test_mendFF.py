"""mendFF: re-reading findings in the checks (mender FF1, session 31).

1. Last year's JSON with an unhashable indicator value ([90]) given to --previous was "无法读取（TypeError: …）":
   the review's row keys are hashable whatever a value is, and no Python exception is shown as a reason.
2. A goal table whose last year's return came in differing versions (review.previous_competing) was counted as having
   found it; it is counted apart, as not compared (the line, validate's JSON, consolidate's totals).
3. Clean files and a link out of the folder: "没有发现问题" was replaced by the link line; both are said.
4. *.targets_other_version read "0 处不同（）" for a version differing by row order: moved and renumbered rows (and
   年初预算数) are listed.
5. rule.monitor_report_date's window runs `months_after` (3) past the budget year: a 1-12月 report is filled in
   January.
6. 联系电话 of numbers apart by spaces, or with a note in brackets, is valid.
7. previous_competing counts distinct contents; a bad area_codes gets an area-code example; openpyxl's refusal names
   a date only where there is one.
"""

from __future__ import annotations

import copy
import os
import shutil
import json

import pytest

import xlgoals

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli, load


# 1. --previous with a list as an indicator's value ------------------------------------------------------------------
def test_previous_json_with_a_list_value_is_read_not_a_python_error(tmp_path):
    last = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    odd = copy.deepcopy(last)
    odd["indicators"][9]["value"] = [90]
    other = copy.deepcopy(odd)  # a second version differing by that list: compared by content, not crashed
    other["indicators"][9]["value"] = [80]
    now = copy.deepcopy(last)
    now.update(year=2021)
    (tmp_path / "本年.json").write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
    for docs in ((odd,), (odd, other)):
        folder = tmp_path / f"上年{len(docs)}"
        folder.mkdir()
        for i, d in enumerate(docs):
            (folder / f"{i}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        report = xlgoals.validate([tmp_path / "本年.json"], previous=[folder])
        said = [(p.code, p.message, p.message_en) for f in report.files for p in f.problems]
        said += [(p.code, p.message, p.message_en) for p in getattr(report, "previous_problems", ()) or ()]
        text = json.dumps(report.to_dict() if hasattr(report, "to_dict") else said, ensure_ascii=False, default=str)
        assert "TypeError" not in text and "unhashable" not in text and "无法读取" not in text, text[:2000]
        codes = [c for c, _, _ in said]
        assert "review.no_previous" not in codes, said
        if len(docs) == 2:
            assert "review.previous_competing" in codes, said


# 2. a goal table whose last year's return came in differing versions is not counted as compared -------------------
def _versions_of_last_year(tmp_path, names):
    """This year's return of project 02 (本年.json) and a folder 上年 of last year's: each of `names` last year's
    document as approved (原…) or adjusted (调整…: one target ≥80 for ≥90)."""
    last = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    adjusted = copy.deepcopy(last)
    adjusted["indicators"][9]["value"] = 80
    now = copy.deepcopy(last)
    now.update(year=2021)
    (tmp_path / "本年.json").write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
    folder = tmp_path / "上年"
    folder.mkdir()
    for name in names:
        doc = adjusted if name.startswith("调整") else last
        (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


def test_competing_versions_of_last_year_are_counted_as_not_compared(tmp_path):
    folder = _versions_of_last_year(tmp_path, ("原.json", "调整.json"))
    text = cli("validate", tmp_path / "本年.json", "--previous", folder).stdout
    line = next(x for x in text.splitlines() if x.startswith("与上年比较"))
    assert "0 个绩效目标表找到上年申报" in line and "1 个上年有多份不同版本，未比较（review.previous_competing）" in line, line
    data = json.loads(cli("validate", tmp_path / "本年.json", "--previous", folder, "--format", "json").stdout)
    s = data["summary"]
    assert (s["previous_found"], s["previous_missing"], s["previous_competing"]) == (0, 0, 1), s
    en = cli("validate", tmp_path / "本年.json", "--previous", folder, "--lang", "en").stdout
    assert "0 goal tables found last year's return, 0 goal tables found none (review.no_previous), 1 goal table " \
           "found it in differing versions and was not compared (review.previous_competing)." in en, en
    summary = xlgoals.consolidate([tmp_path / "本年.json"], tmp_path / "汇总.xlsx", previous=[folder])
    assert "0 个绩效目标表找到上年申报，0 个未找到（review.no_previous），1 个上年有多份不同版本" in summary.describe()
    assert (summary.totals["previous_found"], summary.totals["previous_competing"]) == (0, 1), summary.totals


# 3. clean files and a link out of the folder: both said --------------------------------------------------------------
def test_no_problems_is_said_beside_a_link_not_followed(tmp_path):
    now = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    inbox, store = tmp_path / "收件箱", tmp_path / "别处"
    inbox.mkdir()
    store.mkdir()
    (inbox / "a.json").write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
    shutil.copy(EXAMPLE_XLSX[0], store / EXAMPLE_XLSX[0].name)
    os.symlink(store / EXAMPLE_XLSX[0].name, inbox / EXAMPLE_XLSX[0].name)
    report = xlgoals.validate([inbox])
    assert [f.problems for f in report.files] == [[]], [p.code for f in report.files for p in f.problems]
    zh, en = cli("validate", inbox).stdout, cli("validate", inbox, "--lang", "en").stdout
    assert "没有发现问题。" in zh and "指向所给文件夹之外的链接" in zh, zh
    assert "No problems found." in en and "outside the folder" in en, en


# 4. another version differing by row order only: what differs is listed ----------------------------------------------
def test_another_version_differing_by_row_order_names_it(tmp_path):
    goal = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    for i, row in enumerate(goal["indicators"]):
        row["id"] = f"P02-{i + 1:02d}"  # a JSON goal table's ids of its own, carried into the form
    (tmp_path / "02.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    (form,) = xlgoals.monitoring_templates([tmp_path / "02.json"], tmp_path / "表格", month=6).written
    rows = goal["indicators"]  # the bureau's corrected version lists two rows the other way round
    rows[9], rows[10] = rows[10], rows[9]
    (tmp_path / "更正").mkdir()
    (tmp_path / "更正" / "02.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    report = xlgoals.validate([form], targets=[tmp_path / "更正" / "02.json"])
    (p,) = [p for p in report.problems() if p.code == "monitor.targets_other_version"]
    assert "与该版本的 1 处不同（第10条指标等 2 条指标的行序不同）不是单位的改动" in p.message, p.message
    assert "its 1 difference(s) from that version (2 indicators from indicator 10 in another order) are no edit" \
        in p.message_en, p.message_en


# 5. a monitoring report's window runs past the budget year's end by the rule's months_after -------------------------
def test_a_year_end_monitoring_report_dated_next_january_is_not_warned(tmp_path):
    from .helpers import monitoring_report

    def warned(month, date):
        path = tmp_path / f"{month}_{date}.json"
        path.write_text(json.dumps(monitoring_report(month, 100000, date), ensure_ascii=False), encoding="utf-8")
        return [p for p in xlgoals.validate([path]).problems() if p.code == "rule.monitor_report_date"]

    assert warned(12, "2021-01-15") == []  # the 1-12月 2020 report, filled in January as it normally is
    assert warned(12, "2021-03-31") == []
    (p,) = warned(6, "2022-01-15")  # a 1-6月 report dated two years later
    assert "2020-06-01 至 2021-03-31" in p.message and "2020-06-01 to 2021-03-31" in p.message_en, p.message
    (p,) = warned(12, "2021-04-01")
    assert p.severity == "warning"


# 6. 联系电话: two numbers apart by a space, a note in brackets after one ------------------------------------------------
def test_phone_numbers_apart_by_spaces_and_with_a_note_are_valid(tmp_path):
    from xlgoals._check._rules import _phone_fault
    from xlgoals._check._ruletable import RuleTable

    params = RuleTable.default().params_of("rule.phone")
    for good in ("13812345678 13912345678", "021-12345678 13812345678", "13812345678（办）", "13812345678 (手机)",
                 "021 12345678", "021 12345678 13812345678", "021-12345678（办） 13812345678（手机）",
                 "021-12345678/13812345678（手机）"):
        assert _phone_fault(good, params) is None, good
    for bad in ("1381234567 13912345678", "13812345678 123", "（办）", "13812345678（1）", "13812345678 办公室"):
        assert _phone_fault(bad, params) is not None, bad
    # and as a department sees it: a return whose 联系电话 holds two numbers apart by a space is not warned
    doc = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    doc["contact"] = {"phone": "021-12345678 13812345678（手机）"}
    (tmp_path / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert not [p for p in xlgoals.validate([tmp_path / "a.json"]).problems() if p.code == "rule.phone"]


# 7. distinct contents counted; a fitting example for area_codes ------------------------------------------------------
def test_competing_versions_are_counted_by_content_not_by_file(tmp_path):
    folder = _versions_of_last_year(tmp_path, ("原.json", "原_副本.json", "调整.json"))  # 3 files, 2 contents
    (p,) = [p for p in xlgoals.validate([tmp_path / "本年.json"], previous=[folder]).problems()
            if p.code == "review.previous_competing"]
    assert "本项目有 2 份内容不同的绩效目标表" in p.message and "hold 2 differing goal tables" in p.message_en, p.message


def test_a_bad_area_codes_is_answered_with_an_example_of_area_codes(tmp_path):
    from xlgoals._check._ruletable import RuleTable
    from xlgoals._errors import XlgoalsError

    from .helpers import bureau_rules, packaged_rule

    params = json.loads(packaged_rule("rule.phone")[3])
    params["area_codes"] = {"区号": 3}
    path = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("rule.phone", params=json.dumps(params, ensure_ascii=False)))
    with pytest.raises(XlgoalsError) as e:
        RuleTable.load(path)
    zh = str(e.value)
    assert "万元" not in zh and '"010": 3' in zh and "area_codes" in zh, zh


def test_openpyxl_refusal_names_a_date_only_where_the_report_found_one():
    from types import SimpleNamespace

    from xlgoals._check._annotate import _openpyxl_reason

    parts = {"xl/styles.xml": b""}
    for text in ("Unable to read workbook: could not read stylesheet from None", "invalid literal for int(): 'Today'",
                 "'NoneType' object has no attribute 'iso'", "max_row out of range for sheet 'Monthly'"):
        assert _openpyxl_reason(ValueError(text), parts, SimpleNamespace(problems=[])) == "文件的结构与 Excel 的通常写法不同"
    found = SimpleNamespace(code="cell.date_no_such_day", sheet="项目信息", cell="B10")
    assert _openpyxl_reason(ValueError("year 0 is out of range"), parts, SimpleNamespace(problems=[found])) \
        == "单元格中保存了不存在的日期：项目信息!B10"
    assert _openpyxl_reason(ValueError("Invalid datetime value 2020-13-45"), parts, SimpleNamespace(problems=[])) \
        == "单元格中保存了不存在的日期"
