"""mendEA (session 29): a workbook and a JSON document of one project in one folder, compared by what the form's
workbook can hold, alike in validate and consolidate; the re-choice after review.copied_between_projects raised to
an error.

* 1: two documents of one project differ only where a field the form declares differs (``held_content``, one digest
  for both commands): national-2021's goal-table JSON, with indicator ids its workbook has no column for, reads the
  same as its workbook (consolidate said 内容不同); a JSON document that does differ is said by validate as
  consolidate says it (return.duplicate, …JSON 文档与工作簿内容不同); amounts compare as exact Decimals to the
  digits they carry (1234.50 is 1234.5, 1234.51 is not 1234.5; mendEG: a 16th digit counts too).
* 2: consolidate compares every version of a project with the other projects' returns, as validate compares every
  file: a report newly kept after the re-choice is flagged in its turn, and a return the same as only another
  project's version not counted is flagged (in both, with the rule raised to an error, it fails); the re-choice
  under review.copied_between_projects raised to an error, in both commands.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from xlgoals import fill

from .conftest import cli, load
from .helpers import bureau_rules, ooxml_errors, packaged_rule

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
NATIONAL = EXAMPLES_DIR / "national-2021"
JSON_02 = EXAMPLES_DIR / "json" / "02_促进就业专项资金.json"
JSON_03 = EXAMPLES_DIR / "json" / "03_职业培训基础能力建设资助.json"
DIFFER = "JSON 文档与工作簿内容不同，请核对"
SAME = "JSON 文档与工作簿读出的内容相同（同一份申报）"


def _consolidate(inbox, tmp_path, *more):
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", out, "--json", js, "--force", *more)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return json.loads(js.read_text(encoding="utf-8")), _short(result.output, inbox), out


def _short(text: str, inbox) -> str:
    """`text` with the files of `inbox` named by their names alone."""
    return text.replace(f"{inbox}{os.sep}", "")


def _validate(inbox, *more):
    result = cli("validate", inbox, "--format", "json", *more)
    assert "Traceback" not in result.output, result.output
    return {Path(f["path"]).name: f for f in json.loads(_short(result.output, inbox))["files"]}


def _duplicates(files):
    return {name: [p for p in f["problems"] if p["code"] == "return.duplicate"] for name, f in files.items()}


# 1 -----------------------------------------------------------------------------------------------------------
def test_the_national_goal_table_pair_reads_the_same_in_both_commands(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("目标表.xlsx", "目标表.json"):
        shutil.copy(NATIONAL / name, inbox / name)
    assert all("id" in it for it in load(NATIONAL / "目标表.json")["indicators"])  # (what its workbook cannot hold)
    data, out, _ = _consolidate(inbox, tmp_path)
    assert data["counts"]["counted"] == 1 and data["counts"]["duplicates"] == 1
    assert SAME in out and DIFFER not in out  # (it said the JSON document and the workbook differ)
    files = _validate(inbox)
    assert not [p for f in files.values() for p in f["problems"]], files


def test_a_differing_json_beside_a_failing_workbook_is_said_in_both_commands_alike(tmp_path):
    """Red team ac's wb_json.py: the workbook fails (a 二级 not of its 一级), the corrected JSON beside it differs
    and passes; consolidate counts neither and names the JSON a duplicate; validate said nothing of it."""
    import openpyxl

    inbox = tmp_path / "in"
    inbox.mkdir()
    fill(load(JSON_02), inbox / "02_促进就业专项资金.xlsx")
    wb = openpyxl.load_workbook(inbox / "02_促进就业专项资金.xlsx")
    ws = wb["绩效指标"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "质量")
    ws.cell(row, 3).value = "满意度"  # rule.level2_mismatch: the workbook fails
    wb.save(inbox / "02_促进就业专项资金.xlsx")
    shutil.copy(JSON_02, inbox / "02_促进就业专项资金_更正.json")

    data, out, _ = _consolidate(inbox, tmp_path)
    said = f"以 02_促进就业专项资金.xlsx 为准，{DIFFER}"
    assert data["counts"]["duplicates"] == 1 and said in out, out
    files = _validate(inbox)
    dup = _duplicates(files)
    assert not dup["02_促进就业专项资金.xlsx"]
    assert len(dup["02_促进就业专项资金_更正.json"]) == 1, files
    p = dup["02_促进就业专项资金_更正.json"][0]
    assert p["severity"] == "warning" and said in p["message"] and p["message"].startswith("重复申报（汇总时不计入）")


def _pair(tmp_path, total, executed, cell):
    """Seed 02's goal table (上年预算数 3000.3, 上年执行数 1234.5) as a JSON document whose 项目总预算 and 上年执行数 are
    written `total` and `executed` (its text, as another program wrote it), and beside it as a workbook whose
    上年预算数 cell holds the double `cell` (as Excel saves a sum: 3000.1 + 0.2 is 3000.2999999999997)."""
    import openpyxl

    from xlgoals._form import GOAL_TABLE

    inbox = tmp_path / "in"
    inbox.mkdir()
    doc = load(JSON_02)
    doc["budget"]["prior_year_budget"], doc["budget"]["prior_year_executed"] = 3000.3, 1234.5
    fill(doc, inbox / "02.xlsx")
    f = GOAL_TABLE.field("/budget/prior_year_budget")
    wb = openpyxl.load_workbook(inbox / "02.xlsx")
    wb[f.sheet][f.cell].value = cell
    wb.save(inbox / "02.xlsx")
    text = json.dumps(doc, ensure_ascii=False)
    old = (f'"total": {doc["budget"]["total"]},', '"prior_year_executed": 1234.5')
    assert all(text.count(o) == 1 for o in old)
    text = text.replace(old[0], f'"total": {total},').replace(old[1], f'"prior_year_executed": {executed}')
    (inbox / "02.json").write_text(text, encoding="utf-8")
    return inbox


@pytest.mark.parametrize("total, executed, cell, differ", [
    # two decimals written (an int read from the workbook), a trailing zero, a double's noise: the same amounts
    ("146407273.00", "1234.50", 3000.1 + 0.2, False),
    ("146407273", "1234.51", 3000.3, True),  # a cent apart
    ("146407273.01", "1234.5", 3000.3, True),  # a cent in 11 digits
])
def test_amounts_compare_exactly_as_a_cell_holds_them(tmp_path, total, executed, cell, differ):
    assert repr(3000.1 + 0.2) == "3000.2999999999997"
    inbox = _pair(tmp_path, total, executed, cell)
    _, out, _ = _consolidate(inbox, tmp_path)
    assert (DIFFER if differ else SAME) in out, out
    dup = _duplicates(_validate(inbox))
    assert not dup["02.xlsx"]
    assert [DIFFER in p["message"] for p in dup["02.json"]] == ([True] if differ else []), dup


def test_held_numbers_are_exact_decimals():
    from xlgoals._decimals import held_number

    assert held_number(0.3) == Decimal("0.3") != held_number(0.1 + 0.2)  # all its digits (mendEG: 17, schema.range)
    assert held_number(1234.5) == held_number(Decimal("1234.50")) == Decimal("1234.5")
    assert held_number(146407273) == held_number(146407273.0)
    assert held_number(1234.51) != held_number(1234.5)
    assert held_number(Decimal("12345678901234.5")) != held_number(Decimal("12345678901234.6"))
    assert held_number(True) is held_number("1") is held_number(float("nan")) is None


def test_the_digest_is_of_what_the_form_holds():
    from xlgoals._check._validate import content_digest, duplicate_values
    from xlgoals._form import held_content

    doc = load(JSON_02)
    same = copy.deepcopy(doc)
    for it in same["indicators"]:
        it["id"] = "X"  # no column for it in a goal table
    same["schema_version"] = "1"
    same["budget"]["total"] = float(doc["budget"]["total"])  # 3000000 and 3000000.0
    same["budget"]["prior_year_budget"] = ""  # a blank cell, however written
    same["project"]["name"] = f" {doc['project']['name']}\n"  # a cell's text is read without them
    assert content_digest(doc) == content_digest(same) == duplicate_values(same)["content"]
    for change in (lambda d: d["indicators"][0].update(name=d["indicators"][0]["name"] + "甲"),
                   lambda d: d["project"].update(name=str(d["project"]["name"]) + "项目"),
                   lambda d: d["budget"].update(total=str(doc["budget"]["total"])),  # a text, not the number
                   lambda d: d["indicators"].pop(),
                   lambda d: d.update(framework="national-2021")):
        other = copy.deepcopy(doc)
        change(other)
        assert content_digest(other) != content_digest(doc)
    assert held_content(doc)["fields"]["/budget/total"] == Decimal(doc["budget"]["total"])
    se = load(NATIONAL / "自评表.json")  # a self-evaluation's id column is the form's: it counts there
    other = copy.deepcopy(se)
    other["indicators"][0]["id"] = "Z9"
    assert content_digest(se, "self-evaluation") != content_digest(other, "self-evaluation")


# 2 -----------------------------------------------------------------------------------------------------------
def _copy_raised(tmp_path):
    """A bureau's rules.csv raising review.copied_between_projects to an error."""
    return bureau_rules(tmp_path / "rules.csv", packaged_rule("review.copied_between_projects", severity="error"))


def _project(name, texts=None, indicators_own=None):
    doc = load(JSON_03)
    doc["project"]["name"] = name
    if texts is not None:
        for f in ("overview", "basis", "necessity", "safeguards", "plan", "goals"):
            if doc["project"].get(f):
                doc["project"][f] = f"{texts}的{f}：本项目自行撰写的内容，与其他项目不同。" * 2
    if indicators_own is not None:
        doc["indicators"] = doc["indicators"][:9] + [{**it, "name": f"{indicators_own}{it['name']}"}
                                                     for it in doc["indicators"][9:]]
    return doc


def _write(folder, name, doc, age):
    fill(doc, folder / name)
    os.utime(folder / name, ns=(age, age))  # the most recently modified counts among equals


def _summary_rows(summary):
    import openpyxl

    ws = openpyxl.load_workbook(summary, read_only=True)["项目清单"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(r for r in rows if "来源文件" in r)
    at = rows.index(head)
    return {r[head.index("来源文件")]: r[head.index("计入汇总")] for r in rows[at + 1:] if r[head.index("来源文件")]}


def test_copying_raised_to_an_error_the_other_version_counts_in_both_commands(tmp_path):
    """甲's later version copies 乙's return (an error, as the bureau raised it): it gives way to 甲's earlier version,
    which is its own; 乙 fails; validate says the later version of 甲 is the one not counted."""
    rules = _copy_raised(tmp_path)
    inbox = tmp_path / "in"
    inbox.mkdir()
    _write(inbox, "甲_新.xlsx", _project("见习补贴项目"), 3 * 10**18)  # kept first: the latest
    _write(inbox, "甲_旧.xlsx", _project("见习补贴项目", texts="见习", indicators_own="见习"), 2 * 10**18)
    _write(inbox, "乙.xlsx", _project("远程培训项目"), 2 * 10**18)
    data, out, summary = _consolidate(inbox, tmp_path, "--review", "--rules", rules)
    assert _summary_rows(summary) == {"甲_新.xlsx": "否", "甲_旧.xlsx": "是", "乙.xlsx": "否"}, out
    assert "以 甲_旧.xlsx 为准" in out
    files = _validate(inbox, "--review", "--rules", rules)
    assert [p["severity"] for p in files["甲_新.xlsx"]["problems"] if p["code"] == "review.copied_between_projects"] \
        == ["error", "error"]
    assert not files["甲_旧.xlsx"]["problems"] or all(p["code"] != "review.copied_between_projects"
                                                     for p in files["甲_旧.xlsx"]["problems"])
    dup = _duplicates(files)
    assert not dup["甲_旧.xlsx"] and not dup["乙.xlsx"]
    assert len(dup["甲_新.xlsx"]) == 1 and "以 甲_旧.xlsx 为准" in dup["甲_新.xlsx"][0]["message"]
    assert ooxml_errors(summary) == []


def test_a_version_newly_kept_is_compared_with_the_other_projects_too(tmp_path):
    """甲's two versions both copy 乙's indicators (the later its texts too): the later fails and gives way to the
    earlier, which was never compared (a duplicate when the returns were compared) and was counted though it copies
    乙 as well; validate fails both and says the earlier is the one not counted.  Now consolidate compares it too:
    both of 甲's fail, the later is kept (not counted), as validate says."""
    rules = _copy_raised(tmp_path)
    inbox = tmp_path / "in"
    inbox.mkdir()
    _write(inbox, "甲_新.xlsx", _project("见习补贴项目"), 3 * 10**18)
    _write(inbox, "甲_旧.xlsx", _project("见习补贴项目", texts="见习"), 2 * 10**18)  # its own texts, 乙's indicators
    _write(inbox, "乙.xlsx", _project("远程培训项目"), 2 * 10**18)
    files = _validate(inbox, "--review", "--rules", rules)
    assert all(any(p["code"] == "review.copied_between_projects" and p["severity"] == "error"
                   for p in files[n]["problems"]) for n in files)
    dup = _duplicates(files)
    assert len(dup["甲_旧.xlsx"]) == 1 and "以 甲_新.xlsx 为准" in dup["甲_旧.xlsx"][0]["message"]
    data, out, summary = _consolidate(inbox, tmp_path, "--review", "--rules", rules)
    assert _summary_rows(summary) == {"甲_新.xlsx": "否", "甲_旧.xlsx": "否", "乙.xlsx": "否"}, out
    assert "甲_旧.xlsx：以 甲_新.xlsx 为准" in out
    assert data["counts"]["counted"] == 0


def test_a_return_the_same_as_another_project_s_version_not_counted_fails_in_both_commands(tmp_path):
    """乙's earlier version (not counted: 乙's later one is) has 甲's indicators and texts: validate, comparing every
    file, fails 甲 (the bureau raised copying to an error); consolidate compared only the returns it counts and
    counted 甲.  Now it compares every version too: 甲 fails, naming 乙's earlier version; that one, not counted,
    is not flagged in the summary."""
    rules = _copy_raised(tmp_path)
    inbox = tmp_path / "in"
    inbox.mkdir()
    _write(inbox, "乙_新.xlsx", _project("远程培训项目", texts="远程", indicators_own="远程"), 3 * 10**18)
    _write(inbox, "乙_旧.xlsx", _project("远程培训项目"), 2 * 10**18)
    _write(inbox, "甲.xlsx", _project("见习补贴项目"), 2 * 10**18)
    files = _validate(inbox, "--review", "--rules", rules)
    copied = [p for p in files["甲.xlsx"]["problems"] if p["code"] == "review.copied_between_projects"]
    assert [p["severity"] for p in copied] == ["error", "error"] and "（乙_旧.xlsx）" in copied[0]["message"]
    assert not [p for p in files["乙_新.xlsx"]["problems"] if p["code"] == "review.copied_between_projects"]
    data, out, summary = _consolidate(inbox, tmp_path, "--review", "--rules", rules)
    assert _summary_rows(summary) == {"甲.xlsx": "否", "乙_新.xlsx": "是", "乙_旧.xlsx": "否"}, out
    import openpyxl

    said = [r for r in openpyxl.load_workbook(summary, read_only=True)["校验结果"].iter_rows(values_only=True)
            if "review.copied_between_projects" in [str(v) for v in r]]
    assert sorted(r[1] for r in said) == ["甲.xlsx", "甲.xlsx"]  # none for 乙's version not counted
    assert all("（乙_旧.xlsx）" in " ".join(str(v) for v in r) for r in said)
