"""The review's word checks, as a bureau reviewer meets them (red team, session 23):

* f07: review.duplicate_name no longer calls two rows the same that differ in a number, an ordinal, a year or a
  level word (一类/二类, 第一/第二季度, 市级/区级, 2020年/2021年); a name typed twice with a stray space is still caught.
* f03: review.vague_target passes over the fixed names of programmes (基本公共卫生服务, 基本医疗保险 …: ``terms``),
  reads a vague word with end punctuation or a degree word (高。, 很好, 较大), knows the common boilerplate (持续优化,
  保持稳定, 积极推进) and a target relative to something not in the cell (不低于上年水平, 与上年持平, 符合要求).
* f08: review.misplaced_satisfaction leaves an 产出 row measuring the survey itself (满意度调查覆盖率, 满意度测评完成率,
  问卷回收数量) alone; f06: it stands at the 三级 name it quotes.
* f15: one placeholder list (rule.placeholder's, the rule table's) and one problem per cell.
"""

from __future__ import annotations

import json

import pytest

from xlgoals import fill, validate_file

from .conftest import cli
from .helpers import bureau_rules, ind_cell, packaged_rule


def _row(name, text=None, level1="产出目标", level2="质量", value=None, unit="%", comparator=">="):
    if text is not None:
        return {"level1": level1, "level2": level2, "name": name, "comparator": "qualitative", "text": text}
    return {"level1": level1, "level2": level2, "name": name, "comparator": comparator, "value": value, "unit": unit}


def _with(doc, rows):
    at = len(doc["indicators"])
    doc["indicators"].extend(rows)
    return list(range(at, at + len(rows)))


def _review(doc, tmp_path, *args):
    """The return filled as a workbook and validated with --review through the command line, as JSON."""
    path = fill(doc, tmp_path / "r.xlsx", force=True)
    result = cli("validate", path, "--review", "--format", "json", *args)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    out = json.loads(result.output)
    files = out["files"] if "files" in out else [out]
    return [p for f in files for p in f["problems"]]


def _at(problems, code, rows=None):
    """Where `code` stands; with `rows`, only in the rows added (the seed has notices of its own)."""
    cells = None if rows is None else {ind_cell(i, c) for i in rows for c in ("name", "text", "value", "level2")}
    return [(p["sheet"], p["cell"]) for p in problems if p["code"] == code and (cells is None or (p["sheet"], p["cell"]) in cells)]


# f07 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("a, b", [
    ("高技能人才培养基地一类项目资助完成率", "高技能人才培养基地二类项目资助完成率"),
    ("第一季度预算执行进度达标率", "第二季度预算执行进度达标率"),
    ("市级公共实训基地开放率", "区级公共实训基地开放率"),
    ("2020年新增就业岗位数量", "2021年新增就业岗位数量"),
    ("A类企业培训补贴发放率", "B类企业培训补贴发放率"),
])
def test_names_differing_in_a_number_ordinal_year_or_level_are_distinct(doc, tmp_path, a, b):
    _with(doc, [_row(a, value=90), _row(b, value=90)])
    assert _at(_review(doc, tmp_path), "review.duplicate_name") == []


@pytest.mark.parametrize("a, b", [
    ("高技能人才培养基地资助完成率", "高技能人才培养基地 资助完成率"),
    ("高技能人才培养基地资助完成率", "高技能人才培养基地资助完成率。"),
    ("高技能人才培养基地资助完成率", "高技能人材培养基地资助完成率"),  # a typo is no second indicator
])
def test_true_near_duplicates_are_still_caught(doc, tmp_path, a, b):
    rows = _with(doc, [_row(a, value=90), _row(b, value=90)])
    problems = _review(doc, tmp_path)
    # the reader may take a stray space out of the name, and rule.duplicate_name speak (names the same as read)
    found = _at(problems, "review.duplicate_name") + _at(problems, "rule.duplicate_name")
    assert found == [ind_cell(rows[1], "name")]


def test_the_words_that_tell_rows_apart_are_the_review_settings(doc, tmp_path):
    rows = _with(doc, [_row("市级公共实训基地开放率", value=90), _row("区级公共实训基地开放率", value=90)])
    config = tmp_path / "审核.json"
    config.write_text(json.dumps({"checks": {"review_near_duplicate": {"markers": ["类"]}}}), encoding="utf-8")
    found = _at(_review(doc, tmp_path, "--review-config", config), "review.duplicate_name")
    assert found == [ind_cell(rows[1], "name")]


# f03 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["完成国家基本公共卫生服务项目", "开展基本医疗保险政策宣传", "实现基本公共服务均等化清单全覆盖"])
def test_a_programmes_fixed_name_is_not_vague(doc, tmp_path, text):
    rows = _with(doc, [_row("工作任务完成情况", text)])
    assert _at(_review(doc, tmp_path), "review.vague_target", rows) == []


def test_basic_as_a_judgement_is_still_vague(doc, tmp_path):
    rows = _with(doc, [_row("工作任务完成情况", "基本完成"), _row("宣传工作开展情况", "基本公共服务基本覆盖")])
    assert _at(_review(doc, tmp_path), "review.vague_target", rows) == [ind_cell(i, "text") for i in rows]


@pytest.mark.parametrize("text", ["高。", "很好", "好的", "较大", "非常好！", "持续优化", "保持稳定", "积极推进", "逐渐完善",
                                  "有效促进", "得到优化", "强化"])
def test_vague_words_with_punctuation_a_degree_word_or_boilerplate(doc, tmp_path, text):
    rows = _with(doc, [_row("服务工作情况", text)])
    problems = _review(doc, tmp_path)
    assert _at(problems, "review.vague_target", rows) == [ind_cell(rows[0], "text")]


@pytest.mark.parametrize("text", ["不低于上年水平", "与上年持平", "同比增长", "符合要求", "按计划完成", "达到预期"])
def test_a_target_relative_to_what_the_cell_does_not_say_is_vague(doc, tmp_path, text):
    rows = _with(doc, [_row("培训工作成效", text, "效果目标", "社会效益")])
    problems = _review(doc, tmp_path)
    assert _at(problems, "review.vague_target", rows) == [ind_cell(rows[0], "text")]
    p = next(p for p in problems if p["code"] == "review.vague_target" and p["value"] == text)
    assert "可衡量" in p["message"]


@pytest.mark.parametrize("text", ["较上年提高5个百分点", "达到国家标准", "出台《见习管理办法》并印发执行", "是", "完成",
                                  "完成上年结转项目建设"])
def test_concrete_targets_stay_unflagged(doc, tmp_path, text):
    rows = _with(doc, [_row("培训工作成效", text, "效果目标", "社会效益")])
    assert _at(_review(doc, tmp_path), "review.vague_target", rows) == []


# f08, f06 ----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, value, unit", [("满意度调查覆盖率", 90, "%"), ("满意度测评完成率", 100, "%"),
                                               ("满意度调查问卷回收数量", 500, "份"), ("满意度调查样本量", 300, "份")])
def test_a_row_measuring_the_survey_is_an_output(doc, tmp_path, name, value, unit):
    _with(doc, [_row(name, value=value, unit=unit)])
    assert _at(_review(doc, tmp_path), "review.misplaced_satisfaction") == []


def test_misplaced_satisfaction_stands_at_the_name_it_quotes(doc, tmp_path):
    rows = _with(doc, [_row("参训企业满意度", value=90, level1="影响力目标", level2="其它")])
    problems = _review(doc, tmp_path)
    assert _at(problems, "review.misplaced_satisfaction") == [ind_cell(rows[0], "name")]
    p = next(p for p in problems if p["code"] == "review.misplaced_satisfaction")
    assert p["value"] == "参训企业满意度" and "影响力目标/其它" in p["message"]


# f15 ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["无", "/", "略", "不涉及", "N/A", "0", "不适用"])
def test_one_problem_per_placeholder_target(doc, tmp_path, text):
    rows = _with(doc, [_row("培训质量", text)])
    problems = _review(doc, tmp_path)
    cell = ind_cell(rows[0], "text")
    at_cell = [p["code"] for p in problems if (p["sheet"], p["cell"]) == cell]
    assert at_cell == ["rule.placeholder"], at_cell  # a warning (fails --strict), said once
    p = next(p for p in problems if (p["sheet"], p["cell"]) == cell)
    assert "不涉及的指标请删除该行" in p["message"], p["message"]  # the notice's advice, in the one message


def test_a_placeholder_name_is_the_reviews(doc, tmp_path):
    rows = _with(doc, [_row("不涉及", "无")])
    problems = _review(doc, tmp_path)
    assert _at(problems, "review.placeholder_row") == [ind_cell(rows[0], "name")]
    assert _at(problems, "rule.placeholder") == [ind_cell(rows[0], "text")]


def test_the_placeholder_list_is_the_rule_tables(doc, tmp_path):
    """A bureau's rule.placeholder with its own words is the list the review's rows are judged by too."""
    rows = _with(doc, [_row("见附件", "待补充")])
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("rule.placeholder", params='{"texts": ["见附件"]}'))
    problems = _review(doc, tmp_path, "--rules", rules)
    assert _at(problems, "review.placeholder_row") == [ind_cell(rows[0], "name")]
    assert _at(problems, "rule.placeholder") == []


@pytest.mark.parametrize("kind, key, row, code", [
    ("review_vague", "terms", _row("工作任务完成情况", "完成国家基本公共卫生服务项目"), "review.vague_target"),
    ("review_satisfaction_place", "conduct", _row("满意度调查覆盖率", value=90), "review.misplaced_satisfaction"),
])
def test_the_exceptions_are_the_review_settings(doc, tmp_path, kind, key, row, code):
    """The fixed terms and the survey's words are data: a bureau's --review-config emptying them brings the notice
    back."""
    rows = _with(doc, [row])
    assert _at(_review(doc, tmp_path), code, rows) == []
    config = tmp_path / "审核.json"
    config.write_text(json.dumps({"checks": {kind: {key: []}}}), encoding="utf-8")
    assert len(_at(_review(doc, tmp_path, "--review-config", config), code, rows)) == 1
