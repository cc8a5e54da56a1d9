"""mendEU: counts and limits the analyst can rely on (session 31).

1. consolidate's JSON ``counts`` holds every figure its terminal line says, equal: the failing duplicates counted among
   the failed (``failed_duplicates``: 另有重复申报 N 个), a project's reports of another round (``duplicates_replaced``,
   ``failed_replaced``, ``duplicates_later_failing``, ``failed_later``), the units; counted + failed_not_counted +
   duplicates = files still.
2. --limits FILE on every command that reads a department's file (read, template --prefill/--targets/--library),
   bounding its reading child as validate's workers are.
"""

from __future__ import annotations

import json
import re

import pytest

from .conftest import EXAMPLES, ROOT, cli, load
from .helpers import monitoring_report

_GOAL = EXAMPLES / "json" / "02_促进就业专项资金.json"


def _put(folder, name: str, doc: dict):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def _failing_goal(overview: str) -> dict:
    doc = load(_GOAL)
    doc["project"]["overview"] = overview  # two versions of one project that differ
    doc["budget"]["total"] = None  # an error: it fails
    return doc


def _inbox(folder, case: str):
    if case == "goal":  # two failing versions of one project: one failed, the other a failing duplicate
        _put(folder, "v1.json", _failing_goal("第一稿"))
        _put(folder, "v2.json", _failing_goal("第二稿"))
        _put(folder, "ok.json", load(EXAMPLES / "json" / "01_筹办第46届世界技能大赛.json"))
    else:  # a 1-6月 and a 1-12月 report of one project, one of them failing
        failing = case.split("-")[1]
        _put(folder, "m06.json", monitoring_report(6, 72325192.86, "2020-07-10", failing=failing == "06"))
        _put(folder, "m12.json", monitoring_report(12, 130000000, "2020-12-28", failing=failing == "12"))


# case, --include-invalid, the counts the line says (files, counted, failed_not_counted and duplicates among them)
_CASES = [
    ("goal", False, {"files": 3, "counted": 1, "failed_not_counted": 2, "duplicates": 0, "units": 1,
                     "failed_duplicates": 1, "duplicates_same_round": 0, "failed_replaced": 0, "failed_later": 0}),
    ("monitoring-06", False, {"files": 2, "counted": 1, "failed_not_counted": 1, "duplicates": 0, "units": 1,
                              "failed_replaced": 1, "duplicates_replaced": 0, "failed_duplicates": 0,
                              "failed_later": 0}),
    ("monitoring-12", False, {"files": 2, "counted": 1, "failed_not_counted": 1, "duplicates": 0, "units": 1,
                              "failed_later": 1, "duplicates_later_failing": 0, "failed_duplicates": 0,
                              "failed_replaced": 0}),
    ("monitoring-06", True, {"files": 2, "counted": 1, "failed_not_counted": 0, "duplicates": 1, "units": 1,
                             "duplicates_replaced": 1, "duplicates_replaced_failing": 1, "failed_replaced": 0,
                             "duplicates_same_round": 0, "failed_duplicates": 0, "failed_later": 0}),
    ("goal", True, {"files": 3, "counted": 2, "failed_not_counted": 0, "duplicates": 1, "units": 1,
                    "duplicates_same_round": 1, "duplicates_same_round_failing": 1, "failed_duplicates": 0,
                    "failed_replaced": 0, "failed_later": 0}),
]


@pytest.mark.parametrize("case, include, expected", _CASES,
                         ids=["goal-failing-duplicate", "replaced-failing", "later-failing", "replaced-included", "goal-included"])
def test_every_count_of_consolidate_s_line_is_in_its_json_equal(tmp_path, case, include, expected):
    inbox = tmp_path / "in"
    _inbox(inbox, case)
    args = ["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json", "--jobs", "1"]
    r = cli(*args, *(["--include-invalid"] if include else []))
    assert r.exit_code == 0, r.output
    c = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["counts"]
    assert {k: c.get(k) for k in expected} == expected, c
    line = r.stdout.splitlines()[1]
    # each figure the line says, at its words, is the JSON's
    said = {"files": rf"共 (\d+) 个文件", "units": rf"(\d+) 个单位", "counted": r"计入 (\d+) 个项目",
            "failed_not_counted": r"未通过或无法读取(?:而未计入)? (\d+) 个", "duplicates_same_round": r"，重复申报 (\d+) 个",
            "duplicates_same_round_failing": r"，重复申报 \d+ 个（未计入，其中 (\d+) 个未通过校验）",
            "failed_duplicates": r"另有重复申报 (\d+) 个", "duplicates_replaced": r"，已由较晚月份的报告取代的报告 (\d+) 个",
            "failed_replaced": r"另有已由较晚月份的报告取代的报告 (\d+) 个",
            "duplicates_replaced_failing": r"已由较晚月份的报告取代的报告 \d+ 个（未计入，(?:均)?未通过校验",
            "duplicates_later_failing": r"，未通过校验的较晚月份报告 (\d+) 个", "failed_later": r"另有未通过校验的较晚月份报告 (\d+) 个",
            "skipped": r"未检查的文件 (\d+) 个", "ignored": r"忽略的锁定文件和系统文件 (\d+) 个"}
    for key, pattern in said.items():
        m = re.search(pattern, line)
        if key == "duplicates_replaced_failing":
            assert bool(m) == bool(c[key]), (key, line, c)  # (said as 均未通过校验 / 未通过校验 when all fail)
            continue
        assert (int(m.group(1)) if m else 0) == c[key], (key, line, c)
    assert c["counted"] + c["failed_not_counted"] + c["duplicates"] == c["files"], c
    assert c["duplicates_same_round"] + c["duplicates_replaced"] + c["duplicates_later_failing"] == c["duplicates"], c


def test_the_line_s_progress_marks_and_last_year_s_comparison_are_in_the_json(tmp_path):
    inbox = tmp_path / "m"
    _inbox(inbox, "monitoring-none")
    r = cli("consolidate", inbox, "-o", tmp_path / "m.xlsx", "--json", tmp_path / "m.json", "--jobs", "1")
    assert r.exit_code == 0, r.output
    summary = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["summary"]
    for words, key in (("单位进度标识", "marks"), ("项目进度标识", "project_marks")):
        said = re.search(rf"{words}：([^；]+)；", r.stdout).group(1)
        assert dict(re.findall(r"([^ ，]+) (\d+) 个", said)) == {m: str(n) for m, n in summary[key].items()}, (said, summary)
    assert sum(summary["project_marks"].values()) == 1, summary
    # --previous: the goal tables that found last year's return, and those that found none
    last = load(_GOAL)
    last["year"] -= 1
    _put(tmp_path / "last", "02.json", last)
    _put(tmp_path / "g", "01.json", load(EXAMPLES / "json" / "01_筹办第46届世界技能大赛.json"))
    _put(tmp_path / "g", "02.json", load(_GOAL))
    r = cli("consolidate", tmp_path / "g", "-o", tmp_path / "g.xlsx", "--json", tmp_path / "g.json", "--jobs", "1",
            "--previous", tmp_path / "last")
    assert r.exit_code == 0, r.output
    c = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["counts"]
    found, missing = map(int, re.search(r"与上年比较：(\d+) 个绩效目标表找到上年申报，(\d+) 个未找到", r.stdout).groups())
    assert (c["previous_found"], c["previous_missing"]) == (found, missing) == (1, 1), (c, r.stdout)


# 2. --limits on every command that reads a department's file ---------------------------------------------------------
def _as_workbook(csv_path, out):
    """A bureau's CSV as the first sheet of a workbook (read in a bounded child, as a return is)."""
    import csv

    import openpyxl

    wb = openpyxl.Workbook()
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            wb.active.append(row)
    wb.save(out)
    return out


def test_limits_bound_every_command_that_reads_a_department_s_file(tmp_path, monkeypatch):
    import xlgoals._check._validate as v
    import xlgoals._parallel as par

    limits = tmp_path / "限额.json"
    limits.write_text('{"worker_memory_mb": 4096, "file_seconds": 90}', encoding="utf-8")
    seen = []

    def recording(real):
        def pmap(*args, **kwargs):
            seen.append((kwargs.get("memory_mb"), kwargs.get("timeout")))
            return real(*args, **kwargs)
        return pmap

    monkeypatch.setattr(par, "pmap", recording(par.pmap))  # `bounded`'s child (read, a project list, a library)
    monkeypatch.setattr(v, "pmap", recording(v.pmap))  # the goal tables' workers (template --targets)
    r = cli("read", EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", "--limits", limits, "-o", tmp_path / "02.json")
    assert r.exit_code == 0 and seen == [(4096, 90)], (r.output, seen)
    assert load(tmp_path / "02.json")["project"]["name"] == "促进就业专项资金"
    seen.clear()
    r = cli("template", "--prefill", _as_workbook(EXAMPLES / "projects.csv", tmp_path / "项目清单.xlsx"),
            "--library", _as_workbook(EXAMPLES / "library.csv", tmp_path / "指标库.xlsx"), "--out-dir", tmp_path / "t",
            "--year", "2020", "--limits", limits)
    assert r.exit_code == 0 and len(seen) == 2 and set(seen) == {(4096, 90)}, (r.output, seen)
    seen.clear()
    r = cli("template", "--form", "self-evaluation", "--targets", _GOAL, "--out-dir", tmp_path / "s", "--limits", limits)
    assert r.exit_code == 0 and seen and set(seen) == {(4096, 90)}, (r.output, seen)
    seen.clear()
    r = cli("fill", _GOAL, "-o", tmp_path / "f.xlsx", "--limits", limits)  # a JSON document, read in a bounded child
    assert r.exit_code == 0 and seen == [(4096, 90)], (r.output, seen)
    # without it, the packaged limits, as before
    seen.clear()
    r = cli("read", EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", "-o", tmp_path / "02b.json")
    packaged = json.loads((ROOT / "schema" / "limits.json").read_text(encoding="utf-8"))
    assert (packaged["worker_memory_mb"], packaged["file_seconds"]) != (4096, 90)  # (the file above sets others)
    assert r.exit_code == 0 and seen == [(packaged["worker_memory_mb"], packaged["file_seconds"])], (r.output, seen)


def test_fill_reads_its_document_within_the_limits_and_says_which_it_passed(tmp_path):
    """A JSON document beyond worker_memory_mb is said, located, with the limit and how to raise it; nothing is
    written, and the process that ran fill goes on (it read the document in a bounded child)."""
    doc = load(_GOAL)
    doc["project"]["overview"] = "很长的概况" * 2_000_000  # some 30 MB of JSON
    big = tmp_path / "大.json"
    _put(tmp_path, big.name, doc)
    limits = tmp_path / "限额.json"
    limits.write_text('{"worker_memory_mb": 8}', encoding="utf-8")
    r = cli("fill", big, "-o", tmp_path / "f.xlsx", "--limits", limits)
    assert r.exit_code == 1 and not (tmp_path / "f.xlsx").exists(), r.output
    assert str(big) in r.output and "读取所需的内存超过上限（约 8 MB：限额文件的 worker_memory_mb，可用 --limits 文件提高）" \
        in r.output, r.output
    r = cli("--lang", "en", "fill", big, "-o", tmp_path / "f.xlsx", "--limits", limits)
    assert r.exit_code == 1 and "about 8 MB: worker_memory_mb of the limits, which --limits FILE can raise" in r.output
    # within the packaged limits it is read, and refused for what it holds (a text beyond its length)
    r = cli("fill", big, "-o", tmp_path / "f.xlsx")
    assert r.exit_code == 1 and "内存" not in r.output and not (tmp_path / "f.xlsx").exists(), r.output


# 3. validate: every count of the text report in --format json --------------------------------------------------------
def test_every_count_of_validate_s_text_report_is_in_its_json_summary(tmp_path):
    inbox = tmp_path / "收件箱"
    _put(inbox, "01.json", load(EXAMPLES / "json" / "01_筹办第46届世界技能大赛.json"))
    _put(inbox, "自评.json", load(EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json"))  # another form
    from xlgoals import write_template

    write_template(inbox / "空白.xlsx", year=2020)  # nothing filled in: not scored
    (inbox / "说明.txt").write_text("附件", encoding="utf-8")  # not checked
    (inbox / "~$01.xlsx").write_bytes(b"")  # a lock file: ignored
    assert cli("validate", inbox / "01.json", "--format", "json", "-o", inbox / "报告.json").exit_code == 0  # ours
    args = ["validate", inbox, "--review", "--jobs", "1"]
    text = cli(*args).stdout
    data = json.loads(cli(*args, "--format", "json").stdout)["summary"]
    said = {"skipped": r"文件夹中未检查的文件：(\d+) 个", "skipped_outputs": r"其中 xlgoals 的输出，已跳过：(\d+) 个",
            "ignored": r"已忽略编辑器锁定文件和系统文件 (\d+) 个"}
    for key, pattern in said.items():
        m = re.search(pattern, text)
        assert m and int(m.group(1)) == data[key] > 0, (key, text, data)
    mean = re.search(r"平均得分 ([\d.]+)", text).group(1)
    assert f"{data['review_mean']:.1f}" == mean, (text, data)
    unscored = re.findall(r"另有 (\d+) 个文件(未填写|填写的内容无法读取|的指标体系未加载)", text)
    words = {"未填写": "unfilled", "填写的内容无法读取": "unreadable", "的指标体系未加载": "framework_unknown"}
    assert {words[w]: int(n) for n, w in unscored} == data["review_unscored"] and unscored, (text, data)
    forms = dict(re.findall(r"([^ ；]+) (\d+) 个", re.search(r"混有 2 种表单：([^。]+)", text).group(1)))
    assert {"财政项目支出绩效目标表": 2, "项目支出绩效自评表": 1} == {k: int(v) for k, v in forms.items()}, text
    assert data["forms"] == {"goal-table": 2, "self-evaluation": 1}, data
