"""Red-team session 24 (the bureau's mid-year and year-end rounds): a project approved twice (原 + 调整) under
--targets, returns matching no goal table in consolidate's terminal summary, goal tables and another round's
reports among the returns, and a goal table beside its own ``xlgoals read`` JSON."""
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, fill, read, validate
from xlgoals._selfeval._targets import targets_sha256

from .conftest import EXAMPLE_JSON, EXAMPLES, cli
from .helpers import ooxml_errors

SE = FORMS["self-evaluation"]
MON = FORMS["monitoring"]
SE_01 = EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx"
MON_01 = EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx"


def _two_approvals(tmp_path):
    """批复/ holding goal table 01 as approved first and its revision (调整: one target changed), and goal table 02."""
    folder = tmp_path / "批复"
    folder.mkdir()
    original = folder / "01_原.json"
    shutil.copy(EXAMPLE_JSON[0], original)
    shutil.copy(EXAMPLE_JSON[1], folder / "02.json")
    goal = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    row = next(i for i in goal["indicators"] if i.get("comparator") not in (None, "qualitative"))
    row["value"] = row["value"] * 2
    revised = folder / "01_调整.json"
    revised.write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    return folder, original, revised


# f03 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form, path", [(SE, SE_01), (MON, MON_01)])
def test_a_return_of_a_project_approved_twice_is_told_which_approvals_compete(tmp_path, form, path):
    folder, original, revised = _two_approvals(tmp_path)
    report = validate([path], targets=[folder])
    found = [p for p in report.problems() if p.code.endswith(".targets_competing")]
    prefix = "self" if form is SE else "monitor"
    assert [(p.code, p.severity, p.sheet, p.cell) for p in found] == \
        [(f"{prefix}.targets_competing", "warning", form.info.name, form.field("/targets_sha256").cell)], found
    p = found[0]
    # both approvals named, the one it was compared with (its digest: the original), and what to do
    assert str(original) in p.message and str(revised) in p.message and "2 份内容不同的批复" in p.message
    assert f"本表按 {original} 核对（本表的目标表摘要与之一致）" in p.message, p.message
    assert "只保留那一份" in p.message and "final approval" in p.message_en and str(revised) in p.message_en
    # the project approved once is not told so; a goal table alone is one approval
    assert not any(q.code.endswith("targets_competing") for q in validate([path], targets=[original]).problems())


def test_a_goal_table_and_its_read_json_are_one_approval_for_validate(tmp_path):
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(EXAMPLE_JSON[0], folder / "01.json")
    wb = folder / "01.xlsx"
    assert cli("fill", EXAMPLE_JSON[0], "-o", wb).exit_code == 0
    assert not any(q.code.endswith("targets_competing") for q in validate([SE_01], targets=[folder]).problems())


# f07 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", [["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]])
def test_template_takes_a_goal_table_and_its_read_json_as_one_approval_made_from_the_workbook(tmp_path, form):
    folder = tmp_path / "批复"
    folder.mkdir()
    wb = folder / "01.xlsx"
    assert cli("fill", EXAMPLE_JSON[0], "-o", wb).exit_code == 0
    assert cli("read", wb, "-o", folder / "01.json").exit_code == 0  # sorts before the workbook
    result = cli("template", *form, "--targets", folder, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 0, result.stderr
    assert "请只保留批复的一份" not in result.stderr
    assert f"（来自 {wb}）" in result.stdout and "01.json（来自" not in result.stdout, result.stdout
    assert f"未使用：{folder / '01.json'}（与 {wb} 为同一份绩效目标表（内容相同），已按 {wb} 生成）" in result.stderr
    assert "共生成 1 个" in result.stderr and "0 个绩效目标表出错，1 个文件未使用" in result.stderr
    written = list((tmp_path / "下发").iterdir())
    assert len(written) == 1
    made = read(written[0]).document  # the template issued, made from the approval
    assert made["targets_sha256"] == targets_sha256(json.loads((folder / "01.json").read_text(encoding="utf-8")))
    assert made["project"]["name"] == json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))["project"]["name"]


def test_template_still_reports_two_differing_approvals(tmp_path):
    """The form is made from the approval the duplicate rule keeps (the same 填报日期: the file modified last, the
    revision), not the first listed (01_原 sorts first): the other is reported naming it (exit 1)."""
    import os

    folder, original, revised = _two_approvals(tmp_path)
    os.utime(original, ns=(1_600_000_000 * 10**9,) * 2)
    os.utime(revised, ns=(1_700_000_000 * 10**9,) * 2)
    result = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 1 and f"{original}：与 {revised} 为同一项目" in result.stderr, result.stderr
    assert f"（来自 {revised}）" in result.stdout, result.stdout


@pytest.mark.parametrize("form", [["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]])
def test_of_two_approvals_the_latest_filled_serves_whatever_their_names_and_times(tmp_path, form):
    """An older approval that sorts first and was copied last (its file the newest) still loses to the one whose
    填报日期 is later, as validate and consolidate keep the latest of a project's returns."""
    import os

    folder, original, revised = _two_approvals(tmp_path)
    for path, day in ((original, "2020-01-05"), (revised, "2020-03-01")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.setdefault("contact", {})["date"] = day
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    os.utime(revised, ns=(1_600_000_000 * 10**9,) * 2)
    os.utime(original, ns=(1_700_000_000 * 10**9,) * 2)
    result = cli("template", *form, "--targets", folder, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 1 and f"{original}：与 {revised} 为同一项目" in result.stderr, result.stderr
    made = [read(p).document for p in (tmp_path / "下发").iterdir()]
    doubled = json.loads(revised.read_text(encoding="utf-8"))
    assert targets_sha256(doubled) in [d["targets_sha256"] for d in made], made


def _validation_rows(summary) -> list[dict]:
    ws = openpyxl.load_workbook(summary)["校验结果"]
    headers = [c.value for c in ws[1]]
    return [dict(zip(headers, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]


# f03, consolidate: the terminal says it, 校验结果 lists it ---------------------------------------------------
@pytest.mark.parametrize("form, folder, prefix", [(SE, "self-evaluation", "self"), (MON, "monitoring", "monitor")])
def test_consolidate_says_which_returns_have_competing_approvals(tmp_path, form, folder, prefix):
    approvals, original, revised = _two_approvals(tmp_path)
    inbox = tmp_path / "收到"
    inbox.mkdir()
    for name in ("01_筹办第46届世界技能大赛.xlsx", "02_促进就业专项资金.xlsx"):
        shutil.copy(EXAMPLES / folder / name, inbox)
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", inbox, "-o", out, "--targets", approvals)
    assert result.exit_code == 0, result.stderr
    assert (f"注意：1 个申报（其中 1 个计入合计）所属项目在 --targets 给出的绩效目标表中有多份内容不同的批复（如原批复和调整后的批复），"
            f"请只保留最终批复的一份后重新汇总；清单见汇总的“校验结果”，代码 {prefix}.targets_competing") in result.stderr
    rows = [r for r in _validation_rows(out) if r["代码"] == f"{prefix}.targets_competing"]
    assert [Path(r["文件路径"]).name for r in rows] == ["01_筹办第46届世界技能大赛.xlsx"], rows
    assert str(revised) in rows[0]["说明"] and rows[0]["严重程度"] == "警告", rows
    assert ooxml_errors(out) == []


# f06 ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_consolidate_says_how_many_returns_matched_no_goal_table(tmp_path, lang):
    approvals = tmp_path / "批复"
    approvals.mkdir()
    shutil.copy(EXAMPLE_JSON[1], approvals)  # 02 only: the other four goal tables not filed yet
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", *sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")), "-o", out, "--targets",
                 approvals, *(["--lang", "en"] if lang == "en" else []))
    assert result.exit_code == 0, result.stderr
    unmatched = [r for r in _validation_rows(out) if r["代码"] == "self.targets_unmatched"]
    assert len(unmatched) == 4
    if lang == "zh":
        assert ("注意：4 个申报（其中 4 个计入合计）在 --targets 给出的绩效目标表中找不到对应的项目，锁定的目标未经核对（绩效目标表未放入该文件夹，"
                "或给错了年度的文件夹）；清单见汇总的“校验结果”，代码 self.targets_unmatched") in result.stderr, result.stderr
    else:
        assert ("Note: 4 returns (4 counted) matched none of the goal tables given with --targets: their locked targets "
                "were not checked") in result.stderr and "code self.targets_unmatched" in result.stderr, result.stderr
    # all matched: nothing said
    quiet = cli("consolidate", *sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")), "-o", tmp_path / "b.xlsx",
                "--targets", EXAMPLES / "json")
    assert quiet.exit_code == 0 and "targets_unmatched" not in quiet.stderr and "注意" not in quiet.stderr, quiet.stderr


# f05 ------------------------------------------------------------------------------------------------------
def _year_end_inbox(tmp_path):
    """The year-end inbox: self-evaluations 01-03, goal tables 04 and 05 sent back instead, and June's
    monitoring report of 02 sent as a self-evaluation."""
    inbox = tmp_path / "自评收到"
    inbox.mkdir()
    se = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))
    for f in se[:3]:
        shutil.copy(f, inbox)
    goals = sorted((EXAMPLES / "returns").glob("*.xlsx"))[3:5]
    for f in goals:
        shutil.copy(f, inbox / f"{f.stem}_自评.xlsx")
    shutil.copy(EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx", inbox / "02_促进就业专项资金_自评表.xlsx")
    return inbox, [inbox / f"{f.stem}_自评.xlsx" for f in goals], inbox / "02_促进就业专项资金_自评表.xlsx"


def test_validate_targets_fails_a_goal_table_sent_back_and_names_each_files_form(tmp_path):
    inbox, goals, june = _year_end_inbox(tmp_path)
    result = cli("validate", inbox, "--targets", EXAMPLES / "json")
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "注意：所检查的文件混有 3 种表单：项目支出绩效自评表 3 个；财政项目支出绩效目标表 2 个；项目支出绩效运行监控表 1 个；" in out, out
    assert "【错误】交来的是绩效目标表：2 处，涉及 2 个文件（targets.goal_table_returned）" in out
    for g in goals:
        assert f"  ✗ 未通过  {g}  (财政项目支出绩效目标表：1 个错误，0 个警告)" in out, out
    assert f"  ✓ 通过  {june}  (项目支出绩效运行监控表：0 个错误" in out, out
    assert "  ✓ 通过  " in out and "(项目支出绩效自评表：0 个错误" in out
    report = validate([inbox], targets=[EXAMPLES / "json"])
    found = [p for p in report.problems() if p.code == "targets.goal_table_returned"]
    assert sorted(p.file for p in found) == sorted(map(str, goals)) and all(p.is_error for p in found)
    assert "绩效目标表不是本轮的申报" in found[0].message and "not a self-evaluation" in found[0].message_en
    en = cli("validate", inbox, "--targets", EXAMPLES / "json", "--lang", "en").stdout
    assert "Note: the files checked mix 3 forms: 3 " in en and "each file's form is under Per file" in en, en


def test_validate_targets_takes_a_goal_table_given_with_targets_as_the_approval(tmp_path):
    """validate 批复/ 收到/ --targets 批复/: the goal tables checked are the approvals themselves, not sent back."""
    report = validate([EXAMPLES / "json", SE_01], targets=[EXAMPLES / "json"])
    assert not any(p.code == "targets.goal_table_returned" for p in report.problems())
    # a goal table's workbook kept beside the JSON given is that approval too
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(EXAMPLE_JSON[0], folder / "01.json")
    assert cli("fill", EXAMPLE_JSON[0], "-o", folder / "01.xlsx").exit_code == 0
    report = validate([folder, SE_01], targets=[folder / "01.json"])
    assert report.valid and not any(p.code == "targets.goal_table_returned" for p in report.problems())
    # without --targets a goal table is no return of any round: nothing said
    assert not any(p.code == "targets.goal_table_returned" for p in validate([EXAMPLE_JSON[0]]).problems())


def test_consolidate_names_every_file_of_the_forms_it_refuses(tmp_path):
    inbox, goals, june = _year_end_inbox(tmp_path)
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", inbox, "-o", out, "--targets", EXAMPLES / "json")
    assert result.exit_code == 2 and not out.exists()
    # (each form on a line of its own since mendEE: the most numerous with up to three of its files, the others all)
    assert f"  财政项目支出绩效目标表 2 个：{goals[0]}、{goals[1]}\n" in result.stderr, result.stderr
    assert f"  项目支出绩效运行监控表 1 个：{june}\n" in result.stderr, result.stderr
    assert "  项目支出绩效自评表 3 个，如 " in result.stderr


@pytest.mark.parametrize("later", ["B_调整.json", ".B_调整.xlsx", "~$B_调整.xlsx"])
def test_a_workbook_shown_in_its_folder_serves_before_a_later_json_or_hidden_approval(tmp_path, later):
    """As validate and consolidate keep a project's returns: a workbook before a JSON document, a file shown in its
    folder before a hidden one, whatever their 填报日期 say (red team h36: the later-dated JSON or hidden copy was
    issued while validate and consolidate kept the workbook)."""
    folder = tmp_path / "批复"
    folder.mkdir()
    goal = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    goal.setdefault("contact", {})["date"] = "2020-01-10"
    original = folder / "A_原.xlsx"
    fill(goal, original)
    goal["contact"]["date"] = "2020-03-01"
    row = next(i for i in goal["indicators"] if i.get("comparator") not in (None, "qualitative"))
    row["value"] = row["value"] * 2
    revised = folder / later
    if later.endswith(".json"):
        revised.write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    else:
        fill(goal, revised)
    result = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 1 and f"{revised}：与 {original} 为同一项目" in result.stderr, result.stderr
    assert f"以 {original} 为准" in result.stderr and f"（来自 {original}）" in result.stdout, result.stdout
    kept = [f for f in validate([folder]).files if not [p for p in f.problems if p.code == "return.duplicate"]]
    assert [Path(f.path).name for f in kept] == [original.name]
