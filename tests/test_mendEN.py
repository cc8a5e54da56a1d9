"""mendEN: what session 29's note left alone about counts, units and two files of one project (session 30).

1. consolidate's line and the summary's sentence never say 重复申报 0 个（未计入） while a failing duplicate is listed
   below it: the duplicates counted as failed are said apart, as more of their kind counted among the failed, and
   counted + failed + duplicates still add up to the files.
2. The rows by unit (汇总, 自评汇总, 监控汇总) carry 单位键 in the CSV and JSON, last: two runs join on it.
3. Two files of one project: -0 is 0, and a qualitative row's unit (which a workbook does not hold) is not compared.
4. --limits FILE: a bureau's worker_memory_mb and file_seconds over the packaged ones, a bad file said where it is.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from xlgoals import consolidate

from .conftest import EXAMPLES, load
from .helpers import monitoring_report, ooxml_errors, summary_note

_GOAL = EXAMPLES / "json" / "02_促进就业专项资金.json"
_MONITORING = EXAMPLES / "monitoring" / "02_促进就业专项资金.json"  # a 1-6月 report


def _put(folder, name: str, doc: dict):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _sums(data) -> None:
    c = data["counts"]
    assert c["counted"] + c["failed_not_counted"] + c["duplicates"] == c["files"], c


# 1. counts that contradict -------------------------------------------------------------------------------------------
def _failing_goal(overview: str, failing: bool = True) -> dict:
    """Seed 02's goal table, its overview `overview` (two versions of one project differ); `failing`: its total
    budget left empty (an error)."""
    doc = load(_GOAL)
    doc["project"]["overview"] = overview
    if failing:
        doc["budget"]["total"] = None
    return doc


@pytest.fixture(scope="module")
def failing_twice(tmp_path_factory):
    """Two failing versions of one project, failing returns not counted: one is counted as failed, the other as a
    failing duplicate (listed 重复申报（未通过校验，未计入）), counted as failed too."""
    tmp = tmp_path_factory.mktemp("twice")
    _put(tmp / "in", "v1.json", _failing_goal("第一稿"))
    _put(tmp / "in", "v2.json", _failing_goal("第二稿"))
    result = consolidate([tmp / "in"], tmp / "s.xlsx", json_path=tmp / "s.json", jobs=1)
    assert ooxml_errors(tmp / "s.xlsx") == []
    return result, json.loads((tmp / "s.json").read_text(encoding="utf-8")), openpyxl.load_workbook(tmp / "s.xlsx")


def test_a_failing_duplicate_is_said_apart_not_as_none(failing_twice):
    result, data, wb = failing_twice
    assert any(x.startswith("重复申报（未通过校验，未计入）：") for x in result.duplicate_lines()), result.duplicate_lines()
    said = "未通过或无法读取 2 个，重复申报 0 个（未计入），另有重复申报 1 个（未通过校验，已计入前面未通过的 2 个），未检查"
    assert said in result.describe(), result.describe()
    assert ("2 failed or unreadable, 0 duplicates (not counted), 1 more duplicate (failing, counted among the 2 "
            "failed above), 0 files not checked") in result.describe("en"), result.describe("en")
    assert ("未通过校验或无法读取 2 个，重复申报 0 个（未计入），另有重复申报 1 个（未通过校验，已计入前面未通过的 2 个）；"
            in summary_note(wb, "汇总")), summary_note(wb, "汇总")
    c = data["counts"]
    assert (c["counted"], c["failed_not_counted"], c["duplicates"]) == (0, 2, 0), c
    _sums(data)


def test_with_failing_returns_counted_a_failing_duplicate_is_a_duplicate_as_before(tmp_path):
    _put(tmp_path / "in", "v1.json", _failing_goal("第一稿"))
    _put(tmp_path / "in", "v2.json", _failing_goal("第二稿"))
    result = consolidate([tmp_path / "in"], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert "重复申报 1 个（未计入，其中 1 个未通过校验），未检查" in result.describe(), result.describe()
    assert "另有" not in result.describe().split("未检查")[0], result.describe()



@pytest.mark.parametrize("failing, said, said_en", [
    ("06", "另有已由较晚月份的报告取代的报告 1 个（未通过校验，已计入前面未通过的 1 个）",
     "1 more replaced by a later month's report (failing, counted among the 1 failed above)"),
    ("12", "另有未通过校验的较晚月份报告 1 个（已计入前面未通过的 1 个）",
     "1 more later month's report (counted among the 1 failed above)")], ids=["replaced", "later"])
def test_a_failing_report_of_another_round_counted_as_failed_is_said(tmp_path, failing, said, said_en):
    inbox = tmp_path / "in"
    _put(inbox, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10", failing=failing == "06"))
    _put(inbox, "m12.json", monitoring_report(12, 130000000, "2020-12-28", failing=failing == "12"))
    result = consolidate([inbox], tmp_path / "s.xlsx", json_path=tmp_path / "s.json", jobs=1)
    listed = [x for x in result.duplicate_lines() if "未通过校验，未计入" in x]
    assert len(listed) == 1, result.duplicate_lines()
    assert f"重复申报 0 个（未计入），{said}，未检查" in result.describe(), result.describe()
    assert f"0 duplicates (not counted), {said_en}, 0 files" in result.describe("en"), result.describe("en")
    assert said in summary_note(openpyxl.load_workbook(tmp_path / "s.xlsx"))
    _sums(load(tmp_path / "s.json"))


# 2. 单位键 in the rows by unit ----------------------------------------------------------------------------------------
_SELF = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json"


def _summary_data(folder, out):
    """consolidate's first sheet (a row per unit) as the JSON and the CSV carry it, and its workbook's cells."""
    import csv

    consolidate([folder], out / "s.xlsx", json_path=out / "s.json", csv_dir=out / "csv", jobs=1)  # (the workbook as
    # before: its sheet keeps its columns, audited where its tests write it)
    data = json.loads((out / "s.json").read_text(encoding="utf-8"))["summary"]
    tables = [list(csv.reader(p.open(encoding="utf-8-sig", newline=""))) for p in (out / "csv").glob("*.csv")]
    [rows] = [t for t in tables if t and t[0] == data["columns"]]
    ws = openpyxl.load_workbook(out / "s.xlsx").worksheets[0]
    return data, rows, [c.value for r in ws.iter_rows() for c in r]


@pytest.mark.parametrize("example", [_GOAL, _MONITORING, _SELF], ids=["goal", "monitoring", "self"])
def test_rows_by_unit_carry_the_unit_key_after_their_columns_joining_two_runs(tmp_path, example):
    """Two runs, the unit spelt two ways (each run's majority): their rows by unit join on 单位键, the CSV's and the
    JSON's last column; every column before it where it was; the printed sheet as it was."""
    doc = load(example)
    runs = []
    for i, spelt in enumerate(("上海市就业促进中心(浦东)", "上海市就业促进中心（浦东）")):  # (shown as typed: mendFD)
        doc["unit"] = spelt
        (tmp_path / f"run{i}").mkdir()
        _put(tmp_path / f"run{i}" / "in", "r.json", doc)
        runs.append(_summary_data(tmp_path / f"run{i}" / "in", tmp_path / f"run{i}"))
    (one, csv_one, cells), (two, csv_two, _) = runs
    assert one["columns"][-1] == "单位键" and one["columns"][:3] == ["序号", one["columns"][1], "预算年度"], one["columns"]
    assert one["columns"][1] in ("申报单位", "单位名称") or "单位" in one["columns"][1]
    assert [r[1] for r in one["rows"]] == ["上海市就业促进中心(浦东)"]
    assert [r[1] for r in two["rows"]] == ["上海市就业促进中心（浦东）"]
    assert [r[-1] for r in one["rows"]] == [r[-1] for r in two["rows"]] == ["上海市就业促进中心(浦东)"]
    assert csv_one[0] == one["columns"] and csv_one[1][-1] == csv_two[1][-1] == "上海市就业促进中心(浦东)", (csv_one, csv_two)
    assert "单位键" not in cells  # the workbook's sheet keeps its columns


# 3. two files of one project: no false differences ------------------------------------------------------------------
def _with(doc: dict, **budget) -> dict:
    doc = json.loads(json.dumps(doc))
    doc["budget"].update(budget)
    return doc


@pytest.mark.parametrize("form, example", [("goal-table", _GOAL), ("self-evaluation", _SELF),
                                           ("monitoring", _MONITORING)])
def test_a_unit_on_a_qualitative_row_is_not_held_as_a_workbook_does_not_hold_it(form, example):
    from xlgoals._check._validate import content_digest

    doc = load(example)
    i = next(i for i, row in enumerate(doc["indicators"]) if row.get("comparator") == "qualitative" and row.get("text"))
    other = json.loads(json.dumps(doc))
    other["indicators"][i]["unit"] = "次"
    assert content_digest(other, form) == content_digest(doc, form)
    # a unit beside a number is held; so is one on a qualitative row without a target (the reader keeps it there)
    j = next(j for j, row in enumerate(doc["indicators"]) if row.get("comparator") != "qualitative")
    other = json.loads(json.dumps(doc))
    other["indicators"][j]["unit"] = "某单位"
    assert content_digest(other, form) != content_digest(doc, form)
    other = json.loads(json.dumps(doc))
    other["indicators"][i].update(text=None, unit="次")
    blank = json.loads(json.dumps(doc))
    blank["indicators"][i].update(text=None)
    assert content_digest(other, form) != content_digest(blank, form)


def test_minus_zero_is_the_amount_zero_and_a_tiny_amount_is_not():
    from xlgoals._check._validate import content_digest

    doc = load(_GOAL)
    zero = content_digest(_with(doc, prior_year_executed=0), "goal-table")
    assert content_digest(_with(doc, prior_year_executed=-0.0), "goal-table") == zero
    assert content_digest(_with(doc, prior_year_executed=0.0), "goal-table") == zero
    assert content_digest(_with(doc, prior_year_executed=1e-20), "goal-table") != zero
    assert content_digest(_with(doc, prior_year_executed=-1e-20), "goal-table") != zero


def test_a_json_from_another_system_reads_as_its_workbook_in_consolidate(tmp_path):
    """The workbook filled from a goal table, beside a JSON of the same return from another system: a unit on a
    qualitative row, -0 for a 0: one return, not two versions to check."""
    from xlgoals import fill

    doc = _with(load(_GOAL), prior_year_executed=0)
    i = next(i for i, row in enumerate(doc["indicators"]) if row.get("comparator") == "qualitative")
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill(doc, inbox / "02.xlsx")
    other = _with(doc, prior_year_executed=-0.0)
    other["indicators"][i]["unit"] = "次"
    _put(inbox, "02.json", other)
    result = consolidate([inbox], tmp_path / "s.xlsx", jobs=1)
    [line] = result.duplicate_lines()
    assert "JSON 文档与工作簿读出的内容相同（同一份申报）" in line, line


# 4. a bureau's limits file (--limits) --------------------------------------------------------------------------------
@pytest.mark.parametrize("text, said, said_en", [
    ('{\n  "worker_memory_mb": "2048"\n}', "第 2 行：worker_memory_mb 应为大于 0 的整数（兆字节），而不是 \"2048\"",
     'line 2: worker_memory_mb must be a whole number above 0 (MB), not "2048"'),
    ('{"file_seconds": 60,\n "worker_memory_mb": 0}', "第 2 行：worker_memory_mb 应为大于 0 的整数（兆字节），而不是 0",
     "line 2: worker_memory_mb must be a whole number above 0 (MB), not 0"),
    ('{"file_seconds": -5}', "第 1 行：file_seconds 应为大于 0 的整数（秒），而不是 -5",
     "line 1: file_seconds must be a whole number above 0 (seconds), not -5"),
    ('{"worker_memory_mb": 1.5}', "worker_memory_mb 应为大于 0 的整数", "worker_memory_mb must be a whole number"),
    ('{"memory_mb": 2048}', "未知的键 memory_mb（可用：worker_memory_mb, file_seconds, description）",
     "unknown key 'memory_mb' (known: worker_memory_mb, file_seconds, description)"),
    ("[2048]", "限额文件应为 JSON 对象", "a limits file is a JSON object"),
], ids=["text", "zero", "negative", "fraction", "unknown", "list"])
def test_a_bad_limits_file_stops_the_run_at_its_place_writing_nothing(tmp_path, text, said, said_en):
    from .conftest import cli

    limits = tmp_path / "限额.json"
    limits.write_text(text, encoding="utf-8")
    r = cli("consolidate", _GOAL, "--limits", limits, "-o", tmp_path / "s.xlsx")
    assert r.exit_code == 2 and f"{limits}" in r.output and said in r.output, r.output
    assert not (tmp_path / "s.xlsx").exists()
    r = cli("--lang", "en", "validate", _GOAL, "--limits", limits)
    assert r.exit_code == 2 and said_en in r.output, r.output


def test_a_limits_file_bounds_every_worker_and_the_memory_message_says_how_to_raise_it(tmp_path, monkeypatch):
    import xlgoals._check._validate as v
    from xlgoals._config import Config
    from xlgoals._read import unread

    from .conftest import cli

    limits = tmp_path / "限额.json"
    limits.write_text('{"description": "本局服务器", "worker_memory_mb": 4096, "file_seconds": 90}', encoding="utf-8")
    seen, real = [], v.pmap

    def recording(*args, **kwargs):
        seen.append((kwargs["memory_mb"], kwargs["timeout"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(v, "pmap", recording)
    r = cli("validate", _GOAL, _SELF, "--limits", limits, "--jobs", "2")
    assert r.exit_code == 0 and seen == [(4096, 90)], (r.output, seen)
    seen.clear()
    r = cli("consolidate", EXAMPLES / "json", "--limits", limits, "-o", tmp_path / "s.xlsx", "--jobs", "2")
    assert r.exit_code == 0 and seen and set(seen) == {(4096, 90)}, (r.output, seen)
    # the worker's own copy of the configuration (pickled) holds them too; the packaged ones otherwise
    import pickle

    cfg = Config.load(limits=limits)
    assert pickle.loads(pickle.dumps(cfg)).limits["worker_memory_mb"] == 4096
    assert Config.load().limits["worker_memory_mb"] == 1024 and str(limits) in cfg.sources
    [p] = unread(str(tmp_path / "大.xlsx"), "memory", cfg).problems
    assert "约 4096 MB" in p.message and '--limits 文件，内容如 {"worker_memory_mb": 8192}' in p.message, p.message
    assert '(--limits FILE, holding such as {"worker_memory_mb": 8192})' in p.message_en, p.message_en
