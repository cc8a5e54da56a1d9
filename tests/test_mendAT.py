"""False positives of the review's word checks on legitimate goal tables (red team 23c, mendAT):

* F01 review.vague_target: 促进 推进 优化 强化 are vague as a verb saying nothing checkable (持续优化, 有效促进, 强化),
  not inside a name: 完成促进就业专项资金拨付, 《就业促进法》, 健康促进县, 推进会, 优化营商环境专项行动, 强化训练营.
* F02 上年/去年 count only in a comparison (不低于上年, 较上年增长, 高于上年), not naming last year's things
  (上年度审计发现问题, 去年立项项目).
* F04 同比 同期 环比 持续 预期 inside other words (同比例, 同期投入使用, 环比发布, 可持续, 预期寿命) are not vague.
* F06 review.cost_qualitative passes a cost target citing a standard or procedure, or holding a figure.
* F08 review.satisfaction_low leaves a top-box share (非常满意度, 很满意率) alone.
* F11 one problem per cell: review.cost_qualitative defers to rule.placeholder and review.vague_target.
"""

from __future__ import annotations

import json

import pytest

from xlgoals import fill, validate_document

from .conftest import cli
from .helpers import ind_cell


def _q(name, text, level1="产出目标", level2="质量"):
    return {"level1": level1, "level2": level2, "name": name, "comparator": "qualitative", "text": text}


def _add(doc, row):
    doc["indicators"].append(row)
    return len(doc["indicators"]) - 1


def _at(doc, i, **kw):
    """The codes standing at indicator `i`'s cells (validate --review)."""
    return sorted(p.code for p in validate_document(doc, review=True, **kw)
                  if p.path.startswith(f"/indicators/{i}/"))


def _vague(doc, text, **kw):
    i = _add(doc, _q("工作任务完成情况", text))
    return f"/indicators/{i}/text" in [p.path for p in validate_document(doc, review=True, **kw)
                                       if p.code == "review.vague_target"]


# F01 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["完成促进就业专项资金拨付", "严格执行《就业促进法》", "建成国家级健康促进县",
                                  "项目推进会按季度召开", "完成优化营商环境专项行动年度任务", "完成强化训练营组织实施",
                                  "《持续改进工作方案》印发执行"])
def test_a_verb_inside_a_name_or_title_is_not_vague(doc, text):
    assert not _vague(doc, text)


@pytest.mark.parametrize("text", ["持续优化", "积极推进", "有效促进", "得到优化", "强化", "促进就业创业",
                                  "营商环境不断优化", "服务流程优化", "推进，落实", "大力推进产业发展"])
def test_the_verb_saying_nothing_checkable_is_still_vague(doc, text):
    assert _vague(doc, text)


# F02 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["按时完成上年度项目绩效自评", "上年度审计发现问题全部整改到位", "去年立项项目年内全部竣工",
                                  "专项用于上年度欠款清偿", "截至上年底累计建成的站点全部运行"])
def test_last_year_named_as_a_thing_is_not_vague(doc, text):
    assert not _vague(doc, text)


@pytest.mark.parametrize("text", ["不低于上年", "与上年持平", "较上年增长", "高于上年", "低于去年", "比去年增加",
                                  "达到上年水平", "上年同期水平", "较上年度提升"])
def test_a_comparison_with_last_year_is_still_vague(doc, text):
    assert _vague(doc, text)


# F04 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["区级财政按同比例配套资金到位", "建立项目可持续运营长效机制", "人均预期寿命指标纳入考核",
                                  "环保设施与主体工程同时设计、同时施工、同期投入使用", "统计数据按月环比发布"])
def test_a_vague_word_inside_another_word_is_not_vague(doc, text):
    assert not _vague(doc, text)


@pytest.mark.parametrize("text", ["同比增长", "环比下降", "高于同期", "持续改善", "达到预期"])
def test_the_words_used_as_such_are_still_vague(doc, text):
    assert _vague(doc, text)


def test_the_comparison_words_are_the_review_settings(doc, tmp_path):
    """A bureau's --review-config emptying the words that make 上年 a comparison leaves 高于上年 alone."""
    assert _vague(doc, "高于上年")
    config = tmp_path / "审核.json"
    config.write_text(json.dumps({"checks": {"review_vague": {"relative_before": []}}}), encoding="utf-8")
    assert not _vague(doc, "高于上年", review_config=config)


# F06 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["符合本市会议费开支标准", "严格执行《中央和国家机关培训费管理办法》", "按政府采购程序执行",
                                  "控制在预算范围内，节约率≥5%", "按差旅费规定执行"])
def test_a_cost_target_citing_a_standard_or_holding_a_figure_passes(doc, text):
    i = _add(doc, _q("项目成本", text, level2="成本"))
    assert "review.cost_qualitative" not in _at(doc, i)


@pytest.mark.parametrize("text", ["控制在预算范围内", "合理", "节约", "严格控制"])
def test_a_cost_target_with_nothing_to_check_is_still_noticed(doc, text):
    i = _add(doc, _q("项目成本", text, level2="成本"))
    assert _at(doc, i) == ["review.cost_qualitative"]


def test_the_cited_words_are_the_review_settings(doc, tmp_path):
    i = _add(doc, _q("项目成本", "符合本市会议费开支标准", level2="成本"))
    assert _at(doc, i) == []
    config = tmp_path / "审核.json"
    config.write_text(json.dumps({"checks": {"review_cost_qualitative": {"cited": []}}}), encoding="utf-8")
    assert _at(doc, i, review_config=config) == ["review.cost_qualitative"]


# F08 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["非常满意度", "“非常满意”占比满意度", "很满意率"])
def test_a_top_box_share_is_not_held_to_the_floor(doc, name):
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "学员满意度")
    doc["indicators"][i].update(name=name, comparator=">=", value=60, unit="%")
    doc["indicators"][i].pop("text", None)
    assert [p for p in validate_document(doc, review=True) if p.code == "review.satisfaction_low"] == []


def test_an_ordinary_satisfaction_below_the_floor_is_still_noticed(doc):
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "学员满意度")
    doc["indicators"][i].update(comparator=">=", value=60, unit="%")
    doc["indicators"][i].pop("text", None)
    assert [p.path for p in validate_document(doc, review=True) if p.code == "review.satisfaction_low"] \
        == [f"/indicators/{i}/value"]


# F11 ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, code", [("不涉及", "rule.placeholder"), ("无", "rule.placeholder"),
                                        ("/", "rule.placeholder"), ("低于上年", "review.vague_target"),
                                        ("持续优化", "review.vague_target")])
def test_one_problem_per_cost_cell(doc, tmp_path, text, code):
    """Through the command line and the workbook: the one problem at the cell is the placeholder's (delete the row)
    or the vague word's (give the figure), not also review.cost_qualitative's opposite advice (fill an amount)."""
    i = _add(doc, _q("单位成本", text, level2="成本"))
    path = fill(doc, tmp_path / "r.xlsx", force=True)
    result = cli("validate", path, "--review", "--format", "json")
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    out = json.loads(result.output)
    problems = [p for f in out["files"] for p in f["problems"]]
    assert [p["code"] for p in problems if (p["sheet"], p["cell"]) == ind_cell(i, "text")] == [code]
