"""mendCM: the monitoring form's items left alone.

1. Month 1 is issued as 1月 (1月执行数（元）, 1月执行情况, the titles), not 1-1月; the templates issued before (1-1月)
   still read and validate identically (a fixture made by main of session 27, its problems and document recorded
   then), and a head naming the months otherwise (1月份, 截至1月, １－６月, 1至6月, 截至6月末) is no altered template.
2. An amount of a monitoring report warned of as typed in 万元 (monitor.amount_scale) is held out of the summary's
   totals (and of frames(), the analyst's sum the summary's), shown blank, said in the warning, the summary's note,
   the terminal's line and 项目进度's 说明: as the goal table's 万元 (cell.amount_wan) is in no total.  The warning is a
   suspicion, so nothing is converted.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS, consolidate, fill, validate_file

from .conftest import EXAMPLES
from .helpers import bureau_rules, edited, example_return, ooxml_errors, source_row

FIXTURES = Path(__file__).parent / "fixtures"
OLD = {name: FIXTURES / name for name in ("monitoring-month1-template-main27.xlsx", "monitoring-month1-main27.xlsx",
                                          "monitoring-month1-problems-main27.xlsx")}
MON_JSON = EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json"


def _doc(month: int) -> dict:
    doc = json.loads(MON_JSON.read_text(encoding="utf-8"))
    doc["month"], doc["contact"]["date"] = month, "2020-02-05" if month == 1 else "2020-07-05"
    if month == 1:
        doc["funds"]["executed_to_date"] = 5000000
    return doc


def _heads(form, path) -> dict:
    """{what: (sheet, cell)} of the two heads naming the months: 1-N月执行数（元） and 1-N月执行情况."""
    grid = form.info.grids[0]
    executed = grid.headers.index(form.field("/funds/executed_to_date").label)
    return {"executed": (form.info.name, openpyxl.utils.get_column_letter(form.info.value_col + executed + 1)
                         + str(grid.row + 1)),
            "progress": (form.table.name, openpyxl.utils.get_column_letter(form.column("progress").index + 1)
                         + str(form.table.header_row + 1))}


# 1. month 1 says 1月; templates issued with 1-1月 still read ------------------------------------------------------
def test_a_month_one_template_is_issued_saying_1yue(tmp_path):
    out = fill(_doc(1), tmp_path / "m1.xlsx")
    assert not ooxml_errors(out)
    wb = openpyxl.load_workbook(out)
    texts = [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "1-1月" in t], [t for t in texts if "1-1月" in t]
    assert "1月执行数（元）" in texts and "1月执行情况" in texts
    assert wb["监控信息"]["A1"].value.endswith("（2020年1月）")
    report = validate_file(out)
    assert report.document["month"] == 1 and not report.errors, report.errors
    assert report.document == validate_file(out, isolated=False).document


def test_templates_issued_before_with_1_1yue_read_and_validate_identically():
    """Made by main (session 27) before this change, their problems (messages too: they name the columns as the
    sheet heads them, 1-1月执行情况) and documents recorded then."""
    recorded = json.loads((FIXTURES / "monitoring-month1-main27.json").read_text(encoding="utf-8"))
    for name, path in OLD.items():
        assert "1-1月执行数（元）" in [c.value for c in openpyxl.load_workbook(path)["监控信息"][6]]
        for isolated in (True, False):
            result = validate_file(path, isolated=isolated)
            got = [[p.code, p.severity, p.sheet, p.cell, p.message, p.message_en] for p in result.problems]
            assert got == recorded[name]["problems"], (name, got)
            assert json.loads(json.dumps(result.document, default=str)) == recorded[name]["document"], name
    assert any("的1-1月执行情况”未填写" in p[4] for p in recorded["monitoring-month1-problems-main27.xlsx"]["problems"])


@pytest.mark.parametrize("month, executed, progress", [
    (1, "1月份执行数（元）", "截至1月执行情况"),
    (1, "１－１月执行数（元）", "1月份执行情况"),
    (1, "截至１月末执行数（元）", "1-1月执行情况"),
    (6, "截至6月执行数（元）", "1至6月执行情况"),
    (6, "１－６月执行数（元）", "1-6月份执行情况"),
    (6, "1~6月执行数（元）", "截止6月底执行情况"),
])
def test_heads_naming_the_months_otherwise_are_read(tmp_path, month, executed, progress):
    form = FORMS["monitoring"].bind(month=month)
    src = fill(_doc(month), tmp_path / "m.xlsx")
    want = validate_file(src, isolated=False)
    wb = openpyxl.load_workbook(src)
    heads = _heads(form, src)
    for (sheet, cell), text in ((heads["executed"], executed), (heads["progress"], progress)):
        wb[sheet][cell].value = text
    wb.save(tmp_path / "h.xlsx")
    got = validate_file(tmp_path / "h.xlsx", isolated=False)
    assert not [p for p in got.problems if p.code == "template.altered"], got.problems
    assert got.document == want.document


@pytest.mark.parametrize("month, head", [(6, "6月执行情况"), (6, "1-5月执行情况"), (1, "2月执行情况"),
                                         (6, "截至5月执行情况")])
def test_a_head_naming_other_months_is_still_an_altered_template(tmp_path, month, head):
    """A bare 6月 is June alone, not months 1-6; another month than the stamp's is another report's head."""
    form = FORMS["monitoring"].bind(month=month)
    src = fill(_doc(month), tmp_path / "m.xlsx")
    wb = openpyxl.load_workbook(src)
    sheet, cell = _heads(form, src)["progress"]
    wb[sheet][cell].value = head
    wb.save(tmp_path / "h.xlsx")
    codes = [(p.code, p.cell) for p in validate_file(tmp_path / "h.xlsx", isolated=False).problems]
    assert ("template.altered", cell) in codes, codes


def test_the_summary_and_the_schedule_message_say_1yue(tmp_path):
    doc = _doc(1)
    doc["funds"]["executed_to_date"] = 100000  # behind the schedule of 1/12 (8.3 %) by more than 5 points
    fill(doc, tmp_path / "inbox" / "r.xlsx")
    with open(Path(xlgoals.__file__).parent.parent / "schema" / "rules.csv", encoding="utf-8", newline="") as fh:
        row = next(r for r in csv.reader(fh) if r[0] == "monitor.behind_schedule")
    row[3] = '{"gap": 0.05}'  # (the packaged gap of 10 points is never passed in month 1)
    rules = bureau_rules(tmp_path / "本局规则.csv", row)
    (behind,) = [p for p in validate_file(tmp_path / "inbox" / "r.xlsx", rules=rules).problems
                 if p.code == "monitor.behind_schedule"]
    assert behind.message.startswith("1月预算执行率") and behind.message_en.startswith("The execution rate for month 1")
    result = consolidate([tmp_path / "inbox"], tmp_path / "s.xlsx")
    assert "（1月）" in result.describe() and "1-1月" not in result.describe()
    heads = [c.value for row in openpyxl.load_workbook(tmp_path / "s.xlsx")["监控汇总"].iter_rows(max_row=6)
             for c in row if isinstance(c.value, str)]
    assert "1月执行数（元）" in heads and not [h for h in heads if "1-1月" in h], heads


# 2. an amount warned of as 万元 is held out of the monitoring summary's totals ---------------------------------------
def test_an_amount_warned_of_as_wan_is_held_out_of_the_summary(tmp_path):
    from decimal import Decimal

    from xlgoals import frames

    form = FORMS["monitoring"].bind(month=6)
    f = form.field("/funds/executed_to_date")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    examples = sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[:3]
    wan = edited(examples[1], inbox / "万元.xlsx", {(f.sheet, f.cell): 7232.52})  # 72,325,192.86 元 in 万元
    for src in (examples[0], examples[2]):
        edited(src, inbox / src.name, {})
    (warned,) = [p for p in validate_file(wan).problems if p.code.startswith("monitor.amount_scale")]
    assert warned.cell == f.cell and "核对前汇总不将此金额计入合计" in warned.message, warned.message
    assert "leaves it out of its totals" in warned.message_en
    others = sum(Decimal(str(json.loads(src.with_suffix(".json").read_text(encoding="utf-8"))["funds"]
                             ["executed_to_date"])) for src in (examples[0], examples[2]))
    result = consolidate([inbox], tmp_path / "s.xlsx", json_path=tmp_path / "s.json")
    assert result.totals["executed_to_date"] == others, (result.totals["executed_to_date"], others)
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["summary"]
    assert summary["totals_held_out"] == {"1-N月执行数（元）": 1}, summary
    assert result.totals["amounts_held_out"] == {"executed_to_date": 1}
    assert "amounts_missing" not in result.totals  # read, not unreadable: said apart
    assert "1 个计入的项目的执行数疑按万元填写（monitor.amount_scale），未加入合计" in result.describe()
    assert not ooxml_errors(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    texts = [c.value for row in wb["监控汇总"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("疑按万元填写" in t and "未加入合计" in t for t in texts), texts
    head, row = source_row(wb["项目进度"], "万元.xlsx")
    assert row[head.index(f.heading)] is None and "执行数疑按万元填写，未计入合计" in row[head.index("说明")]
    assert row[head.index("执行率")] is None  # its rate is not worked out from 7,232.52 元
    # frames(): the analyst's sum is the summary's
    projects = frames([inbox]).projects
    executed = list(projects["funds.executed_to_date"])
    assert executed.count(None) == 0 and Decimal("7232.52") in executed, executed  # kept as typed (mendCR)
    kept = projects.loc[projects["held_out"].isna(), "funds.executed_to_date"]
    assert sum(kept, Decimal(0)) == others and list(projects["held_out"]).count("funds.executed_to_date") == 1
