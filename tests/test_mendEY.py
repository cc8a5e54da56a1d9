"""Mender M8 (session 31): options silently ignored, silent choices, bare codes.

`template --form self-evaluation|monitoring` refusing the goal table's options it has no use for; --previous with
two differing versions of last year's goal table of one project; a framework change between years (the bureau's
prefilled rows of last year are not the department's drop); and the minor ones: a --library error's reason, a
consolidate given only a summary, a text file named .xlsx as --prefill, --previous given self-evaluations, and a
summary passed to --prefill/--targets."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

import xlgoals

from .conftest import EXAMPLE_XLSX, EXAMPLES, ROOT, cli, load

README = (ROOT / "README.md").read_text(encoding="utf-8")


# 1. template --form self-evaluation|monitoring: the goal table's options refused, not passed over -------------------
def test_a_self_evaluation_or_monitoring_report_refuses_the_goal_tables_options(tmp_path):
    shutil.copytree(EXAMPLES / "returns", tmp_path / "批复")
    made = {"self-evaluation": [], "monitoring": ["--month", "6"]}
    for form, extra in made.items():
        base = ["template", "--form", form, *extra, "--targets", tmp_path / "批复", "--out-dir", tmp_path / form]
        result = cli(*base, "--year", "2021")  # the goal tables' year is 2020: the forms were 2020's, silently
        assert result.exit_code == 2, result.output
        assert result.stderr == ("错误：--year 只用于 --form goal-table（空白或预填的绩效目标表的年度；自评表、监控表的年度"
                                 "取自其批复的绩效目标表）\n")
        result = cli(*base, "--rows", "5", "--framework", "national-2021", "-o", tmp_path / "z.xlsx",
                     "--prefill", EXAMPLES / "projects.csv", "--library", EXAMPLES / "library.csv", "--lang", "en")
        assert result.exit_code == 2, result.output
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"Error: --form {form} takes no -o, --framework, --rows, --prefill, --library: "), first
        assert "--rows goes only with --form goal-table (the indicator rows of a blank" in first
        assert not (tmp_path / form).exists() and not (tmp_path / "z.xlsx").exists()
        # what each form does take still works: --password, --force
        result = cli(*base, "--password", "pw", "--force")
        assert result.exit_code == 0, result.output
    assert "--year`, `--framework`, `--rows`, `--library`, `--prefill`, `--ignore-columns` and `-o` are refused" in README


# 3. a framework change between years: last year's bureau-prefilled rows are not the department's drop --------------
_TO_2025 = {"数量": ("产出指标", "数量指标"), "质量": ("产出指标", "质量指标"), "时效": ("产出指标", "时效指标"),
            "社会效益": ("效益指标", "社会效益指标"), "满意度": ("满意度指标", "服务对象满意度指标")}


def _dropped(result) -> list[str]:
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return sorted(p["value"] if p.get("value") else p["expected"] for f in report["files"] for p in f["problems"]
                  if p["code"] == "review.indicator_dropped")


def test_last_years_prefilled_rows_a_new_framework_lacks_are_not_dropped(tmp_path):
    last = load(EXAMPLES / "json" / "02_促进就业专项资金.json")  # shanghai-2020, 2020: 9 投入与管理 rows prefilled
    prefilled = [it["name"] for it in last["indicators"] if it["level1"] == "投入与管理"]
    assert len(prefilled) == 9
    (tmp_path / "上年").mkdir()
    (tmp_path / "上年" / "02.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    new = copy.deepcopy(last)  # this year under shanghai-2025, which prefills none of them
    new.update(framework="shanghai-2025", year=2021)
    new["project"].update(start_date="2021-01-01", end_date="2021-12-31")
    new["indicators"] = [{**it, "level1": _TO_2025[it["level2"]][0], "level2": _TO_2025[it["level2"]][1]}
                         for it in last["indicators"] if it["level2"] in _TO_2025]
    kept = copy.deepcopy(last)  # this year under shanghai-2020 still: a prefilled row deleted is the department's
    kept.update(year=2021)
    kept["project"].update(start_date="2021-01-01", end_date="2021-12-31")
    kept["indicators"] = [it for it in kept["indicators"] if it["name"] != "预算执行率"]
    for name, doc in (("新体系.json", new), ("原体系.json", kept)):
        (tmp_path / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    found = _dropped(cli("validate", tmp_path / "新体系.json", "--previous", tmp_path / "上年", "--format", "json"))
    assert not any(n in x for x in found for n in prefilled), found
    assert any("长效管理制度建设" in x for x in found), found  # the department's own row dropped: still said
    found = _dropped(cli("validate", tmp_path / "原体系.json", "--previous", tmp_path / "上年", "--format", "json"))
    assert [x for x in found if any(n in x for n in prefilled)] == ["预算执行率（＝100%）"], found


# 2. --previous with two differing versions of last year's goal table of one project --------------------------------
def _previous_codes(report) -> tuple[list, list]:
    (f,) = report.files
    return [p.code for p in f.problems], [p for p in f.problems if p.code == "review.previous_competing"]


def test_two_differing_versions_of_last_years_goal_table_are_said_and_not_settled_by_name(tmp_path):
    last = load(EXAMPLES / "json" / "02_促进就业专项资金.json")  # ≥90% 享受职业技能补贴人数
    adjusted = copy.deepcopy(last)
    adjusted["indicators"][9]["value"] = 80
    now = copy.deepcopy(last)
    now.update(year=2021)
    now["indicators"][9]["value"] = 85  # below the original's 90, above the adjusted 80
    (tmp_path / "本年.json").write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
    for first, second in (("02_原.json", "02_调整.json"), ("03_原.json", "02_调整.json")):  # either name order
        folder = tmp_path / f"上年{first[:2]}"
        folder.mkdir()
        (folder / first).write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
        (folder / second).write_text(json.dumps(adjusted, ensure_ascii=False), encoding="utf-8")
        report = xlgoals.validate([tmp_path / "本年.json"], previous=[folder])
        codes, (notice,) = _previous_codes(report)
        # compared with neither (was: the last name's, silently), and not said to have no return of last year
        assert not {"review.target_below_last_year", "review.no_previous", "review.narrative_copied"} & set(codes)
        assert notice.severity == "notice" and notice.path == "/project/name"
        assert sorted(notice.message.split("：")[1].split("；")[0].split("、")) == \
            sorted(str(folder / n) for n in (first, second)), notice.message
        assert "无法确定以哪一份为准，未与上年比较" in notice.message
        assert "which of them is final cannot be told" in notice.message_en
    # the same content twice (a workbook's JSON beside it, filed twice): one version, compared
    same = tmp_path / "同一份"
    same.mkdir()
    for n in ("a.json", "b.json"):
        (same / n).write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    codes, competing = _previous_codes(xlgoals.validate([tmp_path / "本年.json"], previous=[same]))
    assert competing == [] and "review.target_below_last_year" in codes


# 4. the minor ones: a bureau's own files said to the bureau, a summary consolidated alone, --previous's goal tables --
@pytest.fixture(scope="module")
def summary(tmp_path_factory) -> Path:
    """Last year's 汇总.xlsx (consolidate's output), and a text file named .xlsx, beside it."""
    root = tmp_path_factory.mktemp("mendEY")
    assert cli("consolidate", EXAMPLE_XLSX[0], "-o", root / "汇总.xlsx").exit_code == 0
    (root / "文本.xlsx").write_text("hello\n", encoding="utf-8")
    return root


def test_a_summary_or_a_text_file_given_as_the_bureaus_own_file_is_said_as_what_it_is(summary, tmp_path):
    said = {  # what is said to the bureau (was: the bare code, or a department's 请报送由模板填写的申报文件)
        ("validate", EXAMPLE_XLSX[0], "--library", summary / "汇总.xlsx"):
            ("指标库工作簿无法读取：这是 xlgoals 生成的汇总工作簿，不是指标库",
             "the indicator library workbook cannot be read: it is a summary workbook written by xlgoals, not an "
             "indicator library"),
        ("validate", EXAMPLE_XLSX[0], "--library", summary / "文本.xlsx"):
            ("指标库工作簿无法读取：不是工作簿（识别为：", "cannot be read: it is no workbook (it looks like: "),
        ("template", "--prefill", summary / "汇总.xlsx", "--out-dir", tmp_path / "a", "--year", "2021"):
            ("项目清单工作簿无法读取：这是 xlgoals 生成的汇总工作簿，不是项目清单", "not a project list"),
        ("template", "--prefill", summary / "文本.xlsx", "--out-dir", tmp_path / "b", "--year", "2021"):
            ("项目清单工作簿无法读取：扩展名为 .xlsx，但不是工作簿（识别为：", "if it is CSV text, rename it to .csv"),
        ("template", "--form", "self-evaluation", "--targets", summary / "汇总.xlsx", "--out-dir", tmp_path / "c"):
            ("绩效目标表无法使用（这是 xlgoals 生成的汇总工作簿，不是绩效目标表）",
             "the goal table cannot be used (it is a summary workbook written by xlgoals, not a goal table)"),
    }
    for args, (zh, en) in said.items():
        result = cli(*args)
        assert result.exit_code != 0 and zh in result.stderr, (args, result.stderr)
        assert "file." not in result.stderr and "请报送" not in result.stderr, result.stderr
        result = cli(*args, "--lang", "en")
        assert en in result.stderr and "file." not in result.stderr and "submit" not in result.stderr, result.stderr
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]  # the text file was not read as a one-row CSV


def test_consolidating_only_last_years_summary_says_no_return_was_found(summary, tmp_path):
    result = cli("consolidate", summary / "汇总.xlsx", "-o", tmp_path / "新汇总.xlsx")
    assert result.exit_code == 1, result.output  # as for no return found (README's 退出码): was 0
    assert (f"注意：所给的路径中没有申报：其中的 1 个文件是 xlgoals 生成的汇总或报告（{summary / '汇总.xlsx'}），不是申报，"
            "汇总为空") in result.stderr, result.stderr


def test_previous_with_no_goal_table_among_the_files_says_it_compares_goal_tables(tmp_path):
    result = cli("validate", EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx", "--previous",
                 EXAMPLES / "returns")
    assert "与上年比较：未进行。--previous 只用于绩效目标表" in result.stdout, result.stdout
    assert "0 个绩效目标表找到上年申报" not in result.stdout
