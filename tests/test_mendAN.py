"""mendAN: how the review (审核) reaches the departments, and its score.

1. ``validate --review --annotate DIR``: a return that passes but has review notices or warnings gets its annotated
   copy too (without --review, failing files only, as before); the report says how many copies were made and why.
2. A rule table that raises a review code's severity (or configures a review row) turns the review on, as
   --previous, --library and --review-config do.
3. The score: a required field left empty costs at least what a weak entry costs, so an incomplete return never
   scores above the same return filled in weakly; 审核 lists it accordingly.
"""

from __future__ import annotations

import json
import shutil

import openpyxl

from .conftest import EXAMPLES, cli
from .helpers import ooxml_errors

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # 2 errors, 3 notices
WEAK = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"  # passes: 0 errors, 0 warnings, 9 notices
WARNED = EXAMPLES / "returns" / "03_职业培训基础能力建设资助.xlsx"  # passes: 1 warning, 5 notices


def _inbox(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "fail.xlsx")
    shutil.copy(WEAK, inbox / "weak.xlsx")
    shutil.copy(WARNED, inbox / "warned.xlsx")
    return inbox


def _listed(path) -> list[str]:
    ws = openpyxl.load_workbook(path)["问题清单"]
    return [r[-1] for r in ws.iter_rows(min_row=2, values_only=True)]


# 1 ---------------------------------------------------------------------------------------------------------------
def test_with_the_review_a_passing_return_with_notices_gets_its_annotated_copy(tmp_path):
    inbox, marks = _inbox(tmp_path), tmp_path / "标注"
    result = cli("validate", "--review", inbox, "--annotate", marks, "--jobs", "1")
    assert result.exit_code == 1, result.output  # fail.xlsx fails: the run's exit is unchanged
    names = sorted(p.name for p in marks.iterdir())
    assert names == ["fail_问题标注.xlsx", "warned_问题标注.xlsx", "weak_问题标注.xlsx"], (names, result.stderr)
    weak = marks / "weak_问题标注.xlsx"
    listed = _listed(weak)
    assert len(listed) == 10 and all(c.startswith("review.") for c in listed), listed  # 按照要求完成 is one (mendDE)
    assert ooxml_errors(weak) == []
    # the report says how many copies and why
    assert "标注副本：已生成 3 个（未通过的文件 1 个；通过但有审核提示或警告的文件 2 个，供退回单位参考）。" in result.stdout, \
        result.stdout
    assert "已生成标注副本：" in result.stderr and str(weak) in result.stderr, result.stderr


def test_the_json_report_counts_the_annotated_copies_and_why(tmp_path):
    inbox, marks = _inbox(tmp_path), tmp_path / "标注"
    result = cli("validate", "--review", inbox, "--annotate", marks, "--format", "json", "--jobs", "1")
    data = json.loads(result.stdout)
    assert data["summary"]["annotated"] == {"written": 3, "failed": 1, "passed_with_problems": 2, "not_written": 0}, \
        data["summary"]
    en = cli("--lang", "en", "validate", "--review", inbox, "--annotate", tmp_path / "en", "--jobs", "1")
    assert ("Annotated copies: 3 written (1 of files that fail; 2 of files that pass with review notices or "
            "warnings, for the departments)." in en.stdout), en.stdout


def test_without_the_review_only_failing_files_get_a_copy_as_before(tmp_path):
    inbox, marks = _inbox(tmp_path), tmp_path / "标注"
    result = cli("validate", inbox, "--annotate", marks, "--jobs", "1")
    assert sorted(p.name for p in marks.iterdir()) == ["fail_问题标注.xlsx"]
    # counted without the review too (mendBM), of the failing files only
    assert "标注副本：已生成 1 个，均为未通过的文件。" in result.stdout, result.stdout
    data = json.loads(cli("validate", inbox, "--annotate", tmp_path / "j", "--format", "json", "--jobs", "1").stdout)
    # the JSON report counts the copies whenever --annotate is given (mendBE: a script mails each its copy)
    assert data["summary"]["annotated"] == {"written": 1, "failed": 1, "passed_with_problems": 0, "not_written": 0}, \
        data["summary"]


def test_the_annotate_option_says_the_rule_in_its_help():
    zh = cli("validate", "--help").output
    assert "--review" in zh.split("--annotate", 1)[1].split("--jobs", 1)[0], zh


# 2 ---------------------------------------------------------------------------------------------------------------
def test_a_rule_table_raising_a_review_code_turns_the_review_on(tmp_path):
    """README: a bureau that wants a notice to fail a return raises its severity in --rules.  Its usual
    `validate --rules 本局规则.csv` (no --review) reviews: the return with vague targets fails, exit 1."""
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("review.vague_target", severity="error"))
    result = cli("validate", "--rules", rules, WEAK, "--jobs", "1")
    assert result.exit_code == 1, result.output
    assert "review.vague_target" in result.stdout and "审核得分 64" in result.stdout, result.stdout
    data = json.loads(cli("validate", "--rules", rules, WEAK, "--format", "json", "--jobs", "1").stdout)
    assert data["summary"]["review"] is True and data["files"][0]["review_score"] == 64, data["summary"]
    # in the library as on the command line; an explicit review=False still wins
    import xlgoals

    assert xlgoals.validate([WEAK], rules=rules, jobs=1).files[0].review_score == 64
    assert not xlgoals.validate([WEAK], rules=rules, review=False, jobs=1).review


def test_a_rule_table_that_leaves_the_review_rows_as_packaged_does_not_review(tmp_path):
    """A bureau's full copy of the rule table, review rows unchanged, or one changing business rules only: no
    review (the review is asked for by configuring it, not by copying the packaged rows)."""
    from xlgoals._resources import data_dir

    from .helpers import bureau_rules, packaged_rule

    copy = tmp_path / "全表.csv"
    shutil.copy(data_dir("schema") / "rules.csv", copy)
    business = bureau_rules(tmp_path / "业务.csv", packaged_rule("rule.required_field", severity="warning"))
    for rules in (copy, business):
        result = cli("validate", "--rules", rules, WEAK, "--jobs", "1")
        assert result.exit_code == 0 and "审核" not in result.stdout, result.stdout


def test_consolidate_reviews_with_a_rule_table_that_configures_the_review(tmp_path):
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("review.narrative_short", severity="warning"))
    result = cli("consolidate", "--rules", rules, WEAK, "-o", tmp_path / "汇总.xlsx", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "审核" in openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames


# 3 ---------------------------------------------------------------------------------------------------------------
_NARRATIVES = ("overview", "basis", "necessity", "safeguards", "plan", "goals")


def _doc(name: str, narrative: str | None) -> dict:
    """examples/json/03 with its six narratives left empty (None) or each `narrative`."""
    doc = json.loads((EXAMPLES / "json" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    doc["project"]["name"] = name
    for key in _NARRATIVES:
        if narrative is None:
            doc["project"].pop(key, None)
        else:
            doc["project"][key] = narrative
    return doc


def test_empty_narratives_cost_at_least_what_short_ones_do(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name, text in (("空", None), ("短", "本项目用于促进就业工作。")):
        (inbox / f"{name}.json").write_text(json.dumps(_doc(name, text), ensure_ascii=False), encoding="utf-8")
    data = json.loads(cli("validate", "--review", inbox, "--format", "json", "--jobs", "1").stdout)
    scores = {f["path"].rsplit("/", 1)[-1]: f["review_score"] for f in data["files"]}
    assert scores["空.json"] < scores["短.json"], scores
    # the weights are data: the packaged ones make six empty narratives (five counted) cost 5 each
    assert scores["空.json"] == scores["短.json"] - 5 * 5 + 5 * 3, scores


def test_a_blanked_name_does_not_raise_a_workbooks_score(tmp_path):
    """examples/returns/01 scores 64; its 国内展品 row (no unit: review.unit_missing) with the name blanked lost that
    notice and scored 67.  A required cell left empty costs at least what the weak entry did."""
    import xlgoals

    wb = openpyxl.load_workbook(WEAK)
    wb["绩效指标"]["D13"] = None
    wb.save(tmp_path / "blank.xlsx")
    (f,) = xlgoals.validate([tmp_path / "blank.xlsx"], review=True, jobs=1).files
    assert f.review_score is not None and f.review_score <= 64, (f.review_score, [p.code for p in f.problems])
    assert "schema.required" in [p.code for p in f.problems]


def test_the_review_sheet_lists_an_incomplete_return_before_a_complete_one(tmp_path):
    """consolidate --review --include-invalid: 审核 ranks weakest first; the return with its narratives empty comes
    before the complete one even where its score would be higher, and its 主要提示 says what is missing."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    doc = json.loads((EXAMPLES / "json" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    doc["project"]["name"] = "空白项目"
    del doc["project"]["overview"]  # one narrative empty: scores 75 - 5 = 70, above the complete one's 64
    (inbox / "空.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copy(WEAK, inbox / "weak.xlsx")  # complete, score 64
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", "--review", inbox, "-o", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["审核"]
    header = [c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
    projects = [r[header[2]] for r in rows]
    assert projects[0] == "空白项目" and rows[0]["审核得分"] == 70 and rows[1]["审核得分"] == 64, rows
    assert "rule.required_field" in (rows[0]["主要提示一"] or ""), rows[0]
    notes = [c.value for r in ws.iter_rows() for c in r if isinstance(c.value, str) and "必填项未填写的申报" in c.value]
    assert notes == ["有必填项未填写的申报 1 个排在填写完整的申报之前（不论得分），各按得分从低到高排列；"
                     "未填写的必填项在得分中与薄弱的填写一样扣分。"], notes
