"""mendCL (session 27): readings and counts that told a clerk the wrong thing: a goal table refused said as one
not found, amounts below one 元 in a JSON document not warned, an output that cannot be written counted as a row
in error, and a blank indicator category said alone."""

import errno
import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, cli
from .helpers import approvals_one_refused, files_under, monitoring_short_row, ooxml_errors

PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


def _second_write_fails(monkeypatch):
    """The disk full at the second workbook written (the first and the others written)."""
    import xlgoals._atomic as atomic

    real, calls = atomic.temp_beside, []

    def full(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)
    return calls


# 3. an output that cannot be written is no row in error --------------------------------------------------------
def test_a_prefilled_template_that_cannot_be_written_is_counted_as_such(tmp_path, monkeypatch):
    calls = _second_write_fails(monkeypatch)
    out = tmp_path / "模板"
    zh = cli("template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", out)
    assert zh.exit_code == 2, zh.output
    written = files_under(out)
    assert len(written) == 4, written
    last = zh.stderr.strip().splitlines()[-1]
    assert last.startswith("共生成 4 个模板，0 行出错；1 个模板未能写入（") and last.endswith("，原因见上）。"), last
    assert str(out) in last and "磁盘空间不足" in zh.stderr
    calls.clear()
    en = cli("template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", tmp_path / "en", "--lang", "en")
    last = en.stderr.strip().splitlines()[-1]
    assert last.startswith("4 templates written, 0 rows failed; 1 template could not be written ("), last
    assert last.endswith("; the reason above)."), last


def test_a_self_evaluation_that_cannot_be_written_is_no_goal_table_in_error(tmp_path, monkeypatch):
    _second_write_fails(monkeypatch)
    out = tmp_path / "自评"
    zh = cli("template", "--form", "self-evaluation", "--targets", EXAMPLES / "json", "--out-dir", out)
    assert zh.exit_code == 2, zh.output
    last = zh.stderr.strip().splitlines()[-1]
    assert last.startswith("共生成 4 个自评表，0 个绩效目标表出错；1 个自评表未能写入（"), last
    assert len(files_under(out)) == 4


# 2. an amount below one 元 in a JSON document is warned as the same amount typed in a workbook is ---------------
GOAL_JSON = EXAMPLES / "json" / "01_筹办第46届世界技能大赛.json"


def _budget_of(tmp_path, value, name="目标.json"):
    doc = json.loads(GOAL_JSON.read_text(encoding="utf-8"))
    doc["budget"]["prior_year_budget"] = value
    (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return tmp_path / name


def test_an_amount_below_one_yuan_in_a_json_document_is_warned_at_its_pointer(tmp_path):
    from xlgoals import validate, validate_document

    path = _budget_of(tmp_path, 0.3)
    (p,) = [p for p in validate([path]).files[0].problems if p.code == "cell.amount_fraction"]
    assert (p.severity, p.path, p.cell or "") == ("warning", "/budget/prior_year_budget", ""), p
    assert "同名项目上年预算额（元）" in p.message and "“0.3”" in p.message and "30%" in p.message, p.message
    assert "30%" in p.message_en and "yuan" in p.message_en
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert [p.path for p in validate_document(doc) if p.code == "cell.amount_fraction"] == ["/budget/prior_year_budget"]
    # the amount is kept, as the workbook's reader keeps it: a warning, the file passes
    assert validate([path]).files[0].errors == []
    for fine in (0, 1, 12.5):
        assert not [p for p in validate([_budget_of(tmp_path, fine, f"{fine}.json")]).files[0].problems
                    if p.code == "cell.amount_fraction"]
    zh = cli("validate", path)
    assert zh.exit_code == 0 and "不足 1 元" in zh.stdout + zh.stderr, zh.output


def test_fill_warns_of_an_amount_below_one_yuan_and_writes_it(tmp_path):
    import openpyxl

    from xlgoals import validate_file

    path = _budget_of(tmp_path, 0.3)
    zh = cli("fill", path, "-o", tmp_path / "填.xlsx")
    assert zh.exit_code == 0, zh.output
    assert "警告" in zh.stderr and "不足 1 元" in zh.stderr and "/budget/prior_year_budget" in zh.stderr, zh.stderr
    en = cli("fill", path, "-o", tmp_path / "en.xlsx", "--lang", "en")
    assert "less than one yuan" in en.stderr, en.stderr
    # the workbook holds the amount, and its reader says the same of it at its cell
    (p,) = [p for p in validate_file(tmp_path / "填.xlsx").problems if p.code == "cell.amount_fraction"]
    assert p.path == "/budget/prior_year_budget" and p.cell
    wb = openpyxl.load_workbook(tmp_path / "填.xlsx")
    assert 0.3 in [c.value for row in wb[p.sheet].iter_rows() for c in row]
    assert ooxml_errors(tmp_path / "填.xlsx") == []


# 1. a goal table refused is no goal table not found -------------------------------------------------------------
@pytest.mark.parametrize("folder, prefix", [("self-evaluation", "self"), ("monitoring", "monitor")])
def test_validate_says_a_refused_goal_table_apart_from_one_not_found(tmp_path, folder, prefix):
    from xlgoals import validate

    goals = approvals_one_refused(tmp_path, unreadable_01=True)
    returns = sorted((EXAMPLES / folder).glob("*.xlsx"))
    found = {Path(p.file).name[:2]: p for p in validate(returns, targets=[goals], jobs=1).problems()
             if ".targets_" in p.code}
    assert sorted(found) == ["01", "02"], found
    refused, unread = found["02"], found["01"]
    assert refused.code == f"{prefix}.targets_refused" and refused.severity == "warning", refused
    assert "找不到" not in refused.message and "无法使用" in refused.message and "当年预算" in refused.message
    assert "02_促进就业专项资金.json" in refused.message and "could not be used" in refused.message_en
    # nothing of 01's goal table was read: not said to be absent, but that one given could not be read
    assert unread.code == f"{prefix}.targets_unmatched", unread
    assert "01_筹办第46届世界技能大赛.xlsx" in unread.message and "无法读取" in unread.message, unread.message
    assert "01_筹办第46届世界技能大赛.xlsx" in unread.message_en and "could not be read" in unread.message_en
    # a return matched by none while every goal table given was read: 找不到, as before
    only = tmp_path / "只有03"
    only.mkdir()
    shutil.copy(sorted((EXAMPLES / "returns").glob("03*.xlsx"))[0], only)
    (alone,) = [p for p in validate(returns[:1], targets=[only], jobs=1).problems() if ".targets_" in p.code]
    assert alone.code == f"{prefix}.targets_unmatched" and "无法读取" not in alone.message, alone.message


def test_consolidate_counts_the_returns_of_a_refused_goal_table_apart(tmp_path):
    import openpyxl

    goals = approvals_one_refused(tmp_path, unreadable_01=True)
    out, js = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    result = cli("consolidate", EXAMPLES / "self-evaluation", "-o", out, "--json", js, "--targets", goals)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(js.read_text(encoding="utf-8"))["counts"]
    assert {k: counts[k] for k in ("targets_unmatched", "targets_unmatched_counted", "targets_refused",
                                   "targets_refused_counted")} == \
        {"targets_unmatched": 1, "targets_unmatched_counted": 1, "targets_refused": 1, "targets_refused_counted": 1}
    err = result.stderr
    assert ("注意：1 个申报（其中 1 个计入合计）对应的绩效目标表在 --targets 中找到了，但无法使用（原因见上），锁定的目标未经核对；"
            "请更正该绩效目标表或让单位重新报送后重新汇总；清单见汇总的“校验结果”，代码 self.targets_refused") in err, err
    line = next(x for x in err.splitlines() if "找不到对应的项目" in x)
    assert line.startswith("注意：1 个申报（其中 1 个计入合计）在 --targets 给出的绩效目标表中找不到对应的项目") and \
        "另有 1 个绩效目标表无法读取" in line and "给错了年度" not in line, line
    ws = openpyxl.load_workbook(out)["校验结果"]
    headers = [c.value for c in ws[1]]
    rows = [dict(zip(headers, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    codes = {Path(r["文件路径"]).name[:2]: r["代码"] for r in rows if "targets_" in (r["代码"] or "")}
    assert codes == {"01": "self.targets_unmatched", "02": "self.targets_refused"}, codes
    assert ooxml_errors(out) == []
    en = cli("consolidate", EXAMPLES / "self-evaluation", "-o", tmp_path / "en.xlsx", "--targets", goals,
             "--lang", "en")
    assert "Note: 1 return (1 counted) belongs to a project whose goal table given with --targets could not be used" \
        in en.stderr, en.stderr


# 4. 偏差原因类别 and 偏差原因 both blank on a row expected to miss its target: both asked for, in one round ----------------
MON = EXAMPLES / "monitoring"


def _short_row_both_blank():
    return monitoring_short_row(None)  # (tests.helpers)


def test_a_blank_category_and_a_blank_reason_are_both_asked_for_at_once():
    """Only the category was asked for: the department chose one, sent the report again, and only then was told the
    reason was blank too (the same row, a second round).  Each is said at its own cell at once."""
    import xlgoals

    doc, i = _short_row_both_blank()
    short = {p.path: p for p in xlgoals.validate_document(doc) if p.code == "monitor.expected_short"}
    assert set(short) == {f"/indicators/{i}/deviation_category", f"/indicators/{i}/deviation"}, short
    assert "偏差原因类别" in short[f"/indicators/{i}/deviation_category"].message
    assert "偏差原因分析" in short[f"/indicators/{i}/deviation"].message
    # the second round the old one-problem report led to: the category chosen, the reason still blank
    doc["indicators"][i]["deviation_category"] = "staffing"
    again = [p.path for p in xlgoals.validate_document(doc) if p.code == "monitor.expected_short"]
    assert again == [f"/indicators/{i}/deviation"]


def test_both_blank_are_located_at_their_cells_in_a_workbook(tmp_path):
    from xlgoals import FORMS, fill, validate_file

    doc, i = _short_row_both_blank()
    fill(doc, tmp_path / "r.xlsx")
    found = sorted((p.sheet, p.cell, p.path) for p in validate_file(tmp_path / "r.xlsx").problems
                   if p.code == "monitor.expected_short")
    assert {x[2] for x in found} == {f"/indicators/{i}/deviation", f"/indicators/{i}/deviation_category"}, found
    assert found[0][1] != found[1][1] and all(x[1] for x in found), found
