"""Red-team session 24 (redteam24g 01, 06): --targets approvals told apart by content, not by file digest.

A goal table as JSON and the workbook filled from it (a framework without an id column: the workbook's indicators
are I001, I002, …, so the two digests differ) are one approval; the mixed-forms note does not count the approvals
checked beside the returns (validate 批复/ --targets 批复/)."""
import json
import shutil

import openpyxl

from xlgoals import validate

from .conftest import EXAMPLES, cli

NATIONAL = EXAMPLES / "national-2021"
GOAL_JSON, GOAL_WB = NATIONAL / "目标表.json", NATIONAL / "目标表.xlsx"
SELF = NATIONAL / "自评表.xlsx"


def _codes(report) -> list[str]:
    return [p.code for p in report.problems()]


# 01 ------------------------------------------------------------------------------------------------------
def test_a_goal_table_json_and_the_workbook_filled_from_it_are_one_approval_for_a_self_evaluation():
    report = validate([SELF, NATIONAL / "自评表.json"], targets=[GOAL_JSON, GOAL_WB])
    assert "self.targets_competing" not in _codes(report), _codes(report)
    assert report.valid
    result = cli("validate", SELF, "--targets", GOAL_JSON, GOAL_WB)
    assert result.exit_code == 0 and "targets_competing" not in result.stdout, result.stdout


def test_a_goal_table_json_and_its_workbook_are_one_approval_for_a_monitoring_report(tmp_path):
    made = cli("template", "--form", "monitoring", "--month", "6", "--targets", GOAL_JSON, "--out-dir",
               tmp_path / "下发")
    assert made.exit_code == 0, made.stderr
    (monitoring,) = (tmp_path / "下发").iterdir()
    report = validate([monitoring], targets=[GOAL_WB, GOAL_JSON])
    assert "monitor.targets_competing" not in _codes(report), _codes(report)


def test_consolidate_takes_a_goal_table_json_and_its_workbook_as_one_approval(tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", SELF, "-o", out, "--targets", NATIONAL)
    assert result.exit_code == 0, result.stderr
    assert "内容不同的批复" not in result.stderr, result.stderr
    ws = openpyxl.load_workbook(out)["校验结果"]
    codes = [r[[c.value for c in ws[1]].index("代码")] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert "self.targets_competing" not in codes, codes


def test_template_makes_one_form_of_a_goal_table_json_and_its_workbook_without_ids(tmp_path):
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(GOAL_JSON, folder / "目标表.json")
    shutil.copy(GOAL_WB, folder / "目标表.xlsx")
    result = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 0, result.stderr
    assert "为同一项目" not in result.stderr, result.stderr
    assert (f"未使用：{folder / '目标表.json'}（与 {folder / '目标表.xlsx'} 为同一份绩效目标表（内容相同），"
            f"已按 {folder / '目标表.xlsx'} 生成）") in result.stderr, result.stderr
    assert len(list((tmp_path / "下发").iterdir())) == 1


def test_a_revision_beside_a_goal_table_json_and_its_workbook_is_the_one_other_approval(tmp_path):
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(GOAL_JSON, folder / "目标表.json")
    shutil.copy(GOAL_WB, folder / "目标表.xlsx")
    goal = json.loads(GOAL_JSON.read_text(encoding="utf-8"))
    goal["indicators"][1]["value"] = 9999
    (folder / "目标表_调整.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    report = validate([SELF], targets=[folder])
    (found,) = [p for p in report.problems() if p.code == "self.targets_competing"]
    assert found.expected == f"{folder / '目标表.json'}、{folder / '目标表_调整.json'}", found.expected
    assert "有 2 份内容不同的批复" in found.message, found.message


# 06 ------------------------------------------------------------------------------------------------------
def test_the_mixed_forms_note_leaves_out_the_approvals_given_with_targets():
    result = cli("validate", NATIONAL, "--targets", NATIONAL)
    assert result.exit_code == 0, result.stdout
    assert "混有" not in result.stdout and "交错了表单" not in result.stdout, result.stdout
    en = cli("validate", NATIONAL, "--targets", NATIONAL, "--lang", "en")
    assert "mix" not in en.stdout, en.stdout


def test_the_mixed_forms_note_still_names_a_goal_table_sent_back(tmp_path):
    inbox = tmp_path / "收到"
    inbox.mkdir()
    shutil.copy(SELF, inbox)
    shutil.copy(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", inbox)
    result = cli("validate", inbox, "--targets", GOAL_JSON)
    assert "注意：所检查的文件混有 2 种表单" in result.stdout, result.stdout
