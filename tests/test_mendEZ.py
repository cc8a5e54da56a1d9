"""Red-team session 31 (mender M7): a return matched to another version or year of its approval is told so, once,
not blamed for edits its department never made; files of two budget years are said; a project's monitoring report
and self-evaluation carry the same 指标编号 whether their goal table was given as a workbook or as JSON."""
import json

import pytest

from xlgoals import FORMS, validate

from .conftest import EXAMPLE_JSON, EXAMPLES, cli, load
from .helpers import edited_return, example_return

MON = FORMS["monitoring"].bind(month=6)
SE = FORMS["self-evaluation"]
RAISED = 9  # 享受职业技能补贴人数 ≥90 in goal table 02, the example returns' approval


def _approval(tmp_path, name: str, change):
    """Goal table 02 (the example returns' approval) as the bureau changed it after the forms were issued."""
    goal = load(EXAMPLE_JSON[1])
    change(goal)
    folder = tmp_path / name
    folder.mkdir()
    path = folder / "02.json"
    path.write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    return path


def _raised(goal):
    goal["indicators"][RAISED]["value"] = 95


def _inserted(goal):
    goal["indicators"].insert(RAISED, {"level1": "产出目标", "level2": "数量", "name": "新增补贴发放人次",
                                       "comparator": ">=", "value": 1000, "unit": "人次"})


def _next_year(goal):
    goal["year"] = 2021
    for key in ("start_date", "end_date"):
        goal["project"][key] = goal["project"][key].replace("2020", "2021")


def _targets_codes(report) -> list[str]:
    return sorted(p.code for p in report.problems() if ".target" in p.code or p.code.endswith(
        ("expected_short", "likelihood_contradicts", "score_mismatch")))


# 1 ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("change, said", [(_raised, "第10条指标的年度指标值：本表为“≥90%”，该版本为“≥95%”"),
                                          (_inserted, "该版本的第10条指标（指标编号 I010，三级目标“新增补贴发放人次”）本表没有")])
def test_a_return_made_before_its_goal_table_was_corrected_is_said_made_from_another_version(tmp_path, change, said):
    corrected = _approval(tmp_path, "更正", change)
    report = validate([example_return("monitoring")], targets=[corrected])
    assert _targets_codes(report) == ["monitor.targets_other_version"], [p.message for p in report.problems()]
    (p,) = [p for p in report.problems() if p.code == "monitor.targets_other_version"]
    assert (p.severity, p.sheet, p.cell) == ("warning", MON.info.name, MON.field("/targets_sha256").cell)
    assert said in p.message, p.message
    assert f"--targets 给出的批复“{corrected}”" in p.message and "不是单位的改动" in p.message, p.message
    assert "made from another version of the approved goal table" in p.message_en, p.message_en
    assert report.files[0].passes(False)
    # its department did type over a locked target: that is still its edit, said as before
    typed = edited_return(tmp_path, "monitoring", {(RAISED, "target"): "≥80"})
    codes = _targets_codes(validate([typed], targets=[corrected]))
    assert "monitor.target_changed" in codes and "monitor.targets_other_version" not in codes, codes


# 2 ---------------------------------------------------------------------------------------------------------------
def test_last_years_self_evaluation_is_said_of_another_year_and_not_scored_against_this_years_targets(tmp_path):
    approval = _approval(tmp_path, "2021", lambda g: (_next_year(g), _raised(g)))
    report = validate([example_return("self-evaluation")], targets=[approval])
    assert _targets_codes(report) == ["self.targets_other_year"], [p.message for p in report.problems()]
    (p,) = report.problems()
    assert (p.severity, p.sheet, p.cell) == ("error", SE.info.name, SE.field("/targets_sha256").cell)
    assert p.message.startswith("本表是 2020 年度的表，而 --targets 给出的本项目批复") and "是 2021 年度的" in p.message
    assert p.message_en.startswith("This is the 2020 form"), p.message_en


def test_validate_names_the_budget_years_of_files_of_two_years(tmp_path):
    approval = _approval(tmp_path, "2021", _next_year)
    made = cli("template", "--form", "self-evaluation", "--targets", approval, "--out-dir", tmp_path / "下发")
    assert made.exit_code == 0, made.stderr
    (this_year,) = (tmp_path / "下发").iterdir()
    last_year = example_return("self-evaluation")
    result = cli("validate", last_year, this_year)
    assert "注意：所检查的文件涉及 2 个预算年度：2020 年度 1 个；2021 年度 1 个" in result.stdout, result.stdout
    assert f"{last_year}  (2020 年度：" in result.stdout and f"{this_year}  (2021 年度：" in result.stdout
    en = cli("validate", last_year, this_year, "--lang", "en").stdout
    assert "Note: the files checked cover 2 budget years: 1 of 2020; 1 of 2021" in en, en
    assert "预算年度" not in cli("validate", last_year).stdout


# 3 ---------------------------------------------------------------------------------------------------------------
def test_a_projects_forms_carry_the_ids_of_the_goal_table_source_they_were_made_from(tmp_path):
    """Issue #11's rule: a goal table's JSON `id` (C1, P1 … in national-2021) is every form's 指标编号; a workbook of
    the goal table keeps them in its document properties (mendGA: it carried none, and forms made from it numbered
    rows by position, I001 …), so the monitoring report made from the JSON and the self-evaluation made from the
    workbook list the same indicators in the same order under the same 指标编号 (README, Indicator ids)."""
    from xlgoals import read

    national = EXAMPLES / "national-2021"
    for form, given, extra in (("monitoring", "目标表.json", ["--month", "6"]),
                               ("self-evaluation", "目标表.xlsx", [])):
        made = cli("template", "--form", form, *extra, "--targets", national / given, "--out-dir", tmp_path / form)
        assert made.exit_code == 0, made.stderr
    (monitoring,) = (tmp_path / "monitoring").iterdir()
    (self_evaluation,) = (tmp_path / "self-evaluation").iterdir()
    rows = {form: [(i["id"], i["name"]) for i in read(path).document["indicators"]]
            for form, path in (("monitoring", monitoring), ("self-evaluation", self_evaluation))}
    inds = load(national / "目标表.json")["indicators"]
    assert rows["monitoring"] == [(i["id"], i["name"]) for i in inds], rows
    assert rows["monitoring"][:2] == [("C1", inds[0]["name"]), ("P1", inds[1]["name"])]
    assert rows["self-evaluation"] == rows["monitoring"], rows  # (were I001 … before mendGA)
