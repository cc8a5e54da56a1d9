"""Session 23 red-team findings on the review's cost, year-on-year and satisfaction checks (mendAL):

* f11 review.cost_over_budget summed every cost row: a total cost with a unit cost (人均培训成本 ≤1500元) or with its
  breakdown was “over budget”.  Unit costs are never summed; a total cost row is compared alone; a breakdown is
  summed only where there is no total.
* f01 a 定性 cost target (控制在预算范围内, 合理, 节约) got no notice (review.cost_qualitative); a cost in 亿, 万,
  万元人民币 or （万元） was left out of review.cost_over_budget.
* f02 review.target_below_last_year was skipped where the unit changed by an exact scale (2万人次 → 15000人次) or this
  year's comparator was ＝ (≥95% → ＝80%).
* f04 a 满意度 target below a floor (≥1 %) got nothing (review.satisfaction_low).
"""

import copy
import json

import pytest

from xlgoals import fill, validate_document

from .conftest import cli
from .helpers import ind_cell

BUDGET = 146407273  # the seed's 当年预算 (促进就业专项资金)


def _codes(doc, code, **kw):
    return [p for p in validate_document(doc, review=True, **kw) if p.code == code]


def _cost(name, value, unit="元", comparator="<=", level1="产出目标", level2="成本"):
    return {"level1": level1, "level2": level2, "name": name, "comparator": comparator, "value": value, "unit": unit}


def _cli_json(doc, tmp_path, *args):
    path = fill(doc, tmp_path / "r.xlsx", force=True)
    res = cli("validate", "--review", "--format", "json", *args, path)
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    return [p for f in out["files"] for p in f["problems"]]


# f11 ----------------------------------------------------------------------------------------------------------------
def test_a_total_cost_with_a_unit_cost_is_not_over_budget_through_the_cli(doc, tmp_path):
    doc["budget"]["current_year"] = BUDGET
    doc["indicators"][17:17] = [_cost("项目总成本", BUDGET), _cost("人均培训成本", 1500)]
    found = [p for p in _cli_json(doc, tmp_path) if p["code"] == "review.cost_over_budget"]
    assert found == []
    doc["indicators"][17]["value"] = BUDGET + 1  # the total alone above the budget still is
    found = [p for p in _cli_json(doc, tmp_path) if p["code"] == "review.cost_over_budget"]
    assert [(p["sheet"], p["cell"]) for p in found] == [ind_cell(17, "value")]
    assert "项目总成本" in found[0]["message"] and "人均培训成本" not in found[0]["message"]


def test_a_total_cost_with_its_breakdown_is_compared_alone(doc):
    doc["indicators"][17:17] = [_cost("项目总成本", BUDGET), _cost("培训费", BUDGET // 2),
                                _cost("补贴支出", BUDGET - BUDGET // 2)]
    assert _codes(doc, "review.cost_over_budget") == []
    del doc["indicators"][17]  # no total: the breakdown is summed, and within the budget
    assert _codes(doc, "review.cost_over_budget") == []
    doc["indicators"][17]["value"] = BUDGET  # breakdown summed above the budget
    (p,) = _codes(doc, "review.cost_over_budget")
    assert p.path == "/indicators/17/value" and "培训费" in p.message and "补贴支出" in p.message
    assert "合计" in p.message


@pytest.mark.parametrize("name, unit", [("人均培训成本", "元"), ("单位培训成本（人均）", "元"), ("培训成本", "元/人"),
                                        ("每次检测费用", "元"), ("生均补助", "万元")])
def test_a_unit_cost_is_never_summed_against_the_budget(doc, name, unit):
    doc["indicators"][17:17] = [_cost("培训费", BUDGET - 100), _cost(name, 1000, unit)]
    # no total: 培训费 is a breakdown row, summed with the other breakdowns; a unit cost never is
    assert _codes(doc, "review.cost_over_budget") == []


def test_shanghai_2025_total_and_unit_cost_pass():
    from .conftest import EXAMPLE_JSON
    d = json.loads(EXAMPLE_JSON[2].read_text(encoding="utf-8"))
    d["framework"] = "shanghai-2025"
    b = d["budget"]["current_year"]
    cc = lambda nm, v: {"level1": "成本指标", "level2": "经济成本指标", "name": nm, "comparator": "<=", "value": v,
                        "unit": "元"}
    d["indicators"] = [cc("项目总成本", b), cc("单位培训成本（人均）", 1500),
                       {"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "comparator": ">=",
                        "value": 5000, "unit": "人"}]
    assert _codes(d, "review.cost_over_budget") == []


def test_the_cost_words_are_the_review_settings(doc, tmp_path):
    doc["indicators"][17:17] = [_cost("项目总成本", BUDGET), _cost("人均培训成本", 1500)]
    own = tmp_path / "review.json"
    own.write_text(json.dumps({"checks": {"review_cost_budget": {"unit_words": []}}}), encoding="utf-8")
    # without its unit words, 人均培训成本 is a breakdown row; the total is still compared alone
    assert _codes(doc, "review.cost_over_budget", review_config=own) == []
    own = tmp_path / "review2.json"  # (settings are loaded once per file)
    own.write_text(json.dumps({"checks": {"review_cost_budget": {"unit_words": [], "total_words": []}}}),
                   encoding="utf-8")
    assert len(_codes(doc, "review.cost_over_budget", review_config=own)) == 1


# f01 ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["控制在预算范围内", "合理", "节约"])
def test_a_qualitative_cost_target_is_noticed(doc, tmp_path, text):
    doc["indicators"].insert(17, {"level1": "产出目标", "level2": "成本", "name": "项目成本", "comparator": "qualitative",
                                  "text": text})
    found = [p for p in _cli_json(doc, tmp_path) if p["code"] == "review.cost_qualitative"]
    assert [(p["sheet"], p["cell"]) for p in found] == [ind_cell(17, "text")]
    assert text in found[0]["message"] and "项目成本" in found[0]["message"] and "金额" in found[0]["message"]
    (p,) = _codes(doc, "review.cost_qualitative")
    assert "cost" in p.message_en and p.severity == "notice"


def test_a_figure_typed_as_a_qualitative_cost_is_that_checks_notice_alone(doc):
    doc["indicators"].insert(17, {"level1": "产出目标", "level2": "成本", "name": "项目成本", "comparator": "qualitative",
                                  "text": "≤1500元"})
    assert _codes(doc, "review.cost_qualitative") == []
    assert len(_codes(doc, "review.figure_qualitative")) == 1


def test_a_social_cost_in_words_is_not_a_money_target():
    from .conftest import EXAMPLE_JSON
    d = json.loads(EXAMPLE_JSON[2].read_text(encoding="utf-8"))
    d["framework"] = "national-2021"
    q = lambda l2, nm, t: {"level1": "成本指标", "level2": l2, "name": nm, "comparator": "qualitative", "text": t}
    d["indicators"] = [q("社会成本指标", "对周边居民生活的影响", "无明显不良影响"),
                       q("经济成本指标", "项目成本", "控制在预算范围内"),
                       {"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "comparator": ">=",
                        "value": 5000, "unit": "人"}]
    assert [p.path for p in _codes(d, "review.cost_qualitative")] == ["/indicators/1/text"]


@pytest.mark.parametrize("value, unit", [(2, "亿"), (20000, "万"), (20000, "万元人民币"), (20000, "（万元）"),
                                         (20000, "(万元)"), (200000000, "元人民币"), (2, "亿元")])
def test_costs_in_every_written_unit_of_money_are_compared(doc, value, unit):
    doc["indicators"].insert(17, _cost("项目总成本", value, unit))
    (p,) = _codes(doc, "review.cost_over_budget")
    assert "200,000,000.00 元" in p.message and "146,407,273.00 元" in p.message, p.message
    doc["indicators"][17]["value"] = value / 2
    assert _codes(doc, "review.cost_over_budget") == []


# f02 ----------------------------------------------------------------------------------------------------------------
def _with_previous(doc, tmp_path, this, last):
    """`doc` with one extra row `this`, last year's return with `last` in its place."""
    doc["indicators"].insert(17, this)
    prev = copy.deepcopy(doc)
    prev["year"] = doc["year"] - 1
    prev["indicators"][17] = last
    folder = tmp_path / "上年"
    folder.mkdir(exist_ok=True)
    (folder / "prev.json").write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    return folder


def _row(cmp, value, unit, name="培训人次"):
    return {"level1": "产出目标", "level2": "数量", "name": name, "comparator": cmp, "value": value, "unit": unit}


@pytest.mark.parametrize("this, last, expected", [
    (_row(">=", 15000, "人次"), _row(">=", 2, "万人次"), "≥ 20000人次"),
    (_row(">=", 1.5, "万人次"), _row(">=", 20000, "人次"), "≥ 2万人次"),
    (_row("<=", 1500000, "元", "人均成本"), _row("<=", 100, "万元", "人均成本"), "≤ 1000000元"),
    (_row("<=", 160, "万元人民币", "人均成本"), _row("<=", 1500000, "元", "人均成本"), "≤ 150万元人民币"),
    (_row("=", 80, "%", "合格率"), _row(">=", 95, "%", "合格率"), "≥ 95%"),
    (_row(">=", 90, "%", "合格率"), _row("=", 100, "%", "合格率"), "≥ 100%"),
])
def test_below_last_year_across_exact_units_and_an_equal_comparator(doc, tmp_path, this, last, expected):
    folder = _with_previous(doc, tmp_path, this, last)
    found = [p for p in _cli_json(doc, tmp_path, "--previous", folder) if p["code"] == "review.target_below_last_year"]
    assert [(p["sheet"], p["cell"]) for p in found] == [ind_cell(17, "value")]
    assert found[0]["expected"] == expected, found[0]


@pytest.mark.parametrize("this, last", [
    (_row(">=", 25000, "人次"), _row(">=", 2, "万人次")),  # higher: not weaker
    (_row("<=", 900000, "元", "人均成本"), _row("<=", 100, "万元", "人均成本")),  # lower ceiling: not weaker
    (_row("<=", 2, "月", "办结时限"), _row("<=", 30, "天", "办结时限")),  # 月 and 天 are no exact scale of each other
    (_row("=", 80, "%", "合格率"), _row("=", 100, "%", "合格率")),  # ＝ against ＝: neither says which way is better
    (_row(">=", 10, "天", "办结时限"), _row("<=", 30, "天", "办结时限")),  # a floor against a ceiling: not comparable
    # ＝ against a floor or a ceiling only for a rate (mendAU): a count or a time as ＝ is the year's plan
    (_row("=", 12, "天", "办结时限"), _row("<=", 10, "天", "办结时限")),
])
def test_targets_not_comparable_or_not_weaker_are_left_alone(doc, tmp_path, this, last):
    folder = _with_previous(doc, tmp_path, this, last)
    found = [p for p in validate_document(doc, review=True, previous=[folder])
             if p.code == "review.target_below_last_year"]
    assert found == []


# f04 ----------------------------------------------------------------------------------------------------------------
def _satisfaction(doc, name, cmp, value, unit="%"):
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "学员满意度")
    doc["indicators"][i].update(name=name, comparator=cmp, value=value, unit=unit)
    doc["indicators"][i].pop("text", None)
    return i


@pytest.mark.parametrize("cmp, value", [(">=", 1), (">", 50), ("=", 79), ("<=", 95)])
def test_a_satisfaction_target_below_the_floor_is_noticed(doc, tmp_path, cmp, value):
    i = _satisfaction(doc, "学员满意度", cmp, value)
    found = [p for p in _cli_json(doc, tmp_path) if p["code"] == "review.satisfaction_low"]
    assert [(p["sheet"], p["cell"]) for p in found] == [ind_cell(i, "value")]
    assert "学员满意度" in found[0]["message"] and "80%" in found[0]["message"]


@pytest.mark.parametrize("name, cmp, value", [("学员满意度", ">=", 80), ("学员满意度", ">", 90),
                                              ("满意度调查覆盖率", ">=", 50), ("学员不满意率", "<=", 5)])
def test_a_satisfaction_target_at_the_floor_or_not_a_satisfaction_target_passes(doc, name, cmp, value):
    _satisfaction(doc, name, cmp, value)
    assert _codes(doc, "review.satisfaction_low") == []


def test_the_satisfaction_floor_is_the_bureaus(doc, tmp_path):
    i = _satisfaction(doc, "学员满意度", ">=", 85)
    assert _codes(doc, "review.satisfaction_low") == []
    own = tmp_path / "review.json"
    own.write_text(json.dumps({"checks": {"review_satisfaction_floor": {"floor": 90}}}), encoding="utf-8")
    found = _codes(doc, "review.satisfaction_low", review_config=own)
    # 学员满意度 ≥85 %, and the seed's ＞80 % rows, are below the bureau's 90 %
    assert [p.path for p in found] == [f"/indicators/{k}/value" for k in (i, i + 1, i + 2)]
    assert "90%" in found[0].message and "below 90%" in found[0].message_en

