"""Red team ac (session 28), validate and consolidate choosing the counted return:

* 1: a later monitoring report that fails only by the comparison between rounds (monitor.cumulative_fell raised to an
  error) gives way to an earlier one that passes, in consolidate and validate alike.
  (Item 2, validate naming a JSON document that differs from its workbook, was taken back: the bundled national-2021
  goal table's JSON carries indicator ids its workbook does not, so the example pair itself would warn.  mendEA
  compares what the form's workbook holds and says it again: tests/test_mendEA.py.)
"""

from __future__ import annotations

import json
import shutil

from pathlib import Path

import openpyxl

from .conftest import cli
from .helpers import bureau_rules, packaged_rule

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
WB_02 = EXAMPLES_DIR / "returns" / "02_促进就业专项资金.xlsx"
JSON_02 = EXAMPLES_DIR / "json" / "02_促进就业专项资金.json"


def _summary(tmp_path, inbox):
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return json.loads(js.read_text(encoding="utf-8")), result.output


def _validate_json(inbox):
    result = cli("validate", inbox, "--format", "json")
    assert "Traceback" not in result.output, result.output
    return json.loads(result.output)


def _problems_of(report, name):
    f = next(f for f in report["files"] if Path(f["path"]).name == name)
    return f["problems"]


# 1 -----------------------------------------------------------------------------------------------------------
MON_03 = EXAMPLES_DIR / "monitoring" / "03_职业培训基础能力建设资助.json"


def _fell_raised(tmp_path, reports=(("a_6月.json", 6, "2020-07-10", 1750), ("b_9月.json", 9, "2020-10-10", 1500)),
                 change=lambda name, doc: None):
    """A bureau's rules.csv raising monitor.cumulative_fell to an error; seed 03's 1-6月 report (passes) and its 1-9月
    report whose 享受见习补贴人数 fell 1750 -> 1500 人 (fails only against 1-6月)."""
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("monitor.cumulative_fell", severity="error"))
    src = json.loads(MON_03.read_text(encoding="utf-8"))
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name, month, date, progress in reports:
        doc = json.loads(json.dumps(src))
        doc["month"], doc["contact"]["date"] = month, date
        ind = next(i for i in doc["indicators"] if i["name"] == "享受见习补贴人数")
        ind["progress"] = progress
        change(name, doc)
        (inbox / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return inbox, rules


def test_consolidate_counts_the_earlier_round_when_the_later_fails_only_between_rounds(tmp_path):
    inbox, rules = _fell_raised(tmp_path)
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "--rules", rules, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["counts"]["counted"] == 1, data["counts"]
    assert data["summary"]["totals"]["项目数"] == 1 and data["summary"]["months"] == [6]
    assert "1-9月报告未通过校验，计入的是较早的 1-6月报告" in result.output, result.output
    assert "已由 1-9月报告取代" not in result.output
    # the workbook agrees: 校验结果 says the 1-9月 report fails with the fall, and is the one not counted
    rows = [dict(zip(data["validation"]["columns"], r)) for r in data["validation"]["rows"]]
    said = " ".join(str(r.get("说明") or "") for r in rows)
    assert "累计数不会随月份减少" in said and "计入的是较早的 1-6月报告" in said, rows
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)
    text = " ".join(str(c) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for c in r if c)
    wb.close()
    assert "计入的是较早的 1-6月报告" in text and "已由 1-9月报告取代" not in text


def test_validate_says_the_later_round_failing_between_rounds_is_the_one_not_counted(tmp_path):
    inbox, rules = _fell_raised(tmp_path)
    result = cli("validate", inbox, "--rules", rules, "--format", "json")
    assert "Traceback" not in result.output, result.output
    report = json.loads(result.output)
    jun = _problems_of(report, "a_6月.json")
    sep = _problems_of(report, "b_9月.json")
    assert not [p for p in jun if p["code"] == "return.duplicate"], jun
    assert [p for p in sep if p["code"] == "monitor.cumulative_fell" and p["severity"] == "error"], sep
    dup = [p for p in sep if p["code"] == "return.duplicate"]
    assert len(dup) == 1 and "计入的是较早的 1-6月报告" in json.dumps(dup[0], ensure_ascii=False), sep


THREE = (("a_3月.json", 3, "2020-04-10", 1800), ("a_6月.json", 6, "2020-07-10", 1750),
         ("b_9月.json", 9, "2020-10-10", 1500))


def test_three_rounds_each_later_falling_the_earliest_counts_in_both_commands(tmp_path):
    inbox, rules = _fell_raised(tmp_path, THREE)
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "--rules", rules, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["counts"]["counted"] == 1 and data["summary"]["months"] == [3], (data["counts"], result.output)
    report = json.loads(cli("validate", inbox, "--rules", rules, "--format", "json").output)
    said = {n: [p["code"] for p in _problems_of(report, n)] for n in ("a_3月.json", "a_6月.json", "b_9月.json")}
    assert "return.duplicate" not in said["a_3月.json"] and "monitor.cumulative_fell" not in said["a_3月.json"], said
    for n in ("a_6月.json", "b_9月.json"):  # each fell below an earlier round, each not counted
        assert said[n].count("monitor.cumulative_fell") >= 1 and "return.duplicate" in said[n], said


def test_no_earlier_round_passing_the_latest_is_kept_and_its_fall_said_once(tmp_path):
    def broken(name, doc):
        if name == "a_6月.json":
            doc["funds"]["executed_to_date"] = -5  # fails on its own
    inbox, rules = _fell_raised(tmp_path, change=broken)
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "--rules", rules, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["counts"]["counted"] == 0 and "已由 1-9月报告取代" in result.output, result.output
    rows = [dict(zip(data["validation"]["columns"], r)) for r in data["validation"]["rows"]]
    fell = [r for r in rows if "累计数不会随月份减少" in str(r.get("说明") or "")]
    assert len(fell) == 1 and "b_9月.json" in json.dumps(fell[0], ensure_ascii=False), rows
