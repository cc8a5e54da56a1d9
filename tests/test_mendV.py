"""Session 22, mendV: the bureau's words and units.

* f07: a placeholder ("无", "/", "略" …) typed where a reason is required (偏差原因 where points were lost,
  预算执行偏差原因 under the execution limit, the monitoring reason for a target expected to be missed) passed as a
  reason.  The bureau's placeholder list (the rule table's ``placeholder`` rule, rule.placeholder) now applies to
  every required reason: a placeholder counts as missing, and the message says the text is a placeholder.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from xlgoals import read, validate_document, validate_file

from .helpers import bureau_rules, edited_return, example_return, ind_cell, packaged_rule, row_cell


def _self_evaluation(**changes):
    doc = read(example_return("self-evaluation")).document
    doc["indicators"][12].update(actual=99.999, **changes)  # ＝100 % missed by a hair: a reason is required
    return doc


def _monitoring(**changes):
    doc = read(example_return("monitoring")).document
    doc["indicators"][12].update({"expected": 80, "deviation_category": "other", **changes})  # ＝100 % expected missed
    return doc


def _low_execution(reason):
    doc = read(example_return("self-evaluation")).document
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    doc["funds"].update(executed=float((budget * Decimal("0.7")).quantize(Decimal("0.01"))), deviation=reason)
    return doc


_CASES = [
    (lambda r: _self_evaluation(deviation=r), "self.deviation_missing", "/indicators/12/deviation"),
    (_low_execution, "self.execution_unexplained", "/funds/deviation"),
    (lambda r: _monitoring(deviation=r), "monitor.expected_short", "/indicators/12/deviation"),
    (lambda r: _monitoring(expected=100, likelihood="impossible", deviation=r), "monitor.unlikely_without_reason",
     "/indicators/12/deviation"),
]


@pytest.mark.parametrize("make, code, path", _CASES)
@pytest.mark.parametrize("reason", ["无", "/", "略", " 无 ", "暂无"])
def test_a_placeholder_is_no_reason(make, code, path, reason):
    found = [p for p in validate_document(make(reason)) if p.code == code]
    assert [(p.path, p.severity) for p in found] == [(path, "error")], found
    (p,) = found
    assert f"“{reason.strip()}”是占位符，不是原因" in p.message, p.message
    assert f"'{reason.strip()}' is a placeholder, not a reason" in p.message_en, p.message_en


@pytest.mark.parametrize("make, code, path", _CASES)
def test_a_real_reason_or_a_blank_is_said_as_before(make, code, path):
    assert not [p for p in validate_document(make("受疫情影响，部分培训延至下年度举办，已调整计划。")) if p.code == code]
    (p,) = [p for p in validate_document(make(None)) if p.code == code]
    assert "占位符" not in p.message and "placeholder" not in p.message_en, p.message


@pytest.mark.parametrize("make, code, path", _CASES)
def test_the_placeholder_list_is_the_bureaus(tmp_path, make, code, path):
    """One list, the rule table's: a bureau's rule.placeholder with its own words is the list the reasons get."""
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule(
        "rule.placeholder", params='{"texts": ["见附件"]}'))
    assert [p.path for p in validate_document(make("见附件"), rules=rules) if p.code == code] == [path]
    assert not [p for p in validate_document(make("无"), rules=rules) if p.code == code]


def test_a_placeholder_reason_in_a_workbook_fails_it(tmp_path):
    """From the workbook, as the department sends it: 偏差原因 “无” where points were lost fails the return."""
    sheet, cell = row_cell("self-evaluation", 12, "deviation")
    path = edited_return(tmp_path, "self-evaluation", {(12, "actual"): 99.999, (12, "deviation"): "无"})
    report = validate_file(path)
    found = [p for p in report.problems if p.code == "self.deviation_missing"]
    assert [(p.sheet, p.cell, p.value) for p in found] == [(sheet, cell, "无")], found
    assert not report.passes()


@pytest.mark.parametrize("make, code, path", _CASES)
def test_the_sweep_finds_a_placeholder_reason_as_the_check_does(make, code, path):
    """The one sweep over the rows (which checks may find something) tests a reason as the check does."""
    from .test_check_sweep import _found

    doc = make("无")
    swept = _found(doc, swept=True)
    assert swept == _found(doc, swept=False) and code in {c for c, *_ in swept}, swept


# f11: template.unknown showed a Python dict repr and the forms' ids to departments ("monitoring {'month': '13'}",
# "monitoring {}", "goal-table 版本 2").  It says it in words: the form's title, the month and what it must be.

_STAMP = "XLGOALS|monitoring|2|shanghai-2020|2020|xlgoals-monitoring-L2-shanghai-2020-2020-month6"


@pytest.mark.parametrize("stamp, words, words_en", [
    (_STAMP + "|month=13", "报告月份“13”不在 1–12 之间", "reporting month '13' is not within 1–12"),
    (_STAMP + "|month=六", "报告月份“六”不在 1–12 之间", "reporting month '六' is not within 1–12"),
    (_STAMP, "没有报告月份", "no reporting month"),
])
def test_a_bad_month_in_the_stamp_is_said_in_words(tmp_path, stamp, words, words_en):
    path = edited_return(tmp_path, "monitoring", {}, info={"B14": stamp})
    (p,) = [p for p in validate_file(path).problems if p.code == "template.unknown"]
    assert p.cell == "B14" and f"项目支出绩效运行监控表（{words}）" in p.message, p.message
    assert "报告月份 1–12" in p.message and words_en in p.message_en, (p.message, p.message_en)
    for text in (p.message, p.message_en):
        assert not any(c in text for c in "{}[]"), text
    assert "month" not in p.message and "monitoring" not in p.message, p.message


def test_an_unknown_form_version_is_said_with_the_forms_titles(tmp_path):
    path = edited_return(tmp_path, "monitoring", {}, info={"B14": _STAMP.replace("|monitoring|2|", "|monitoring|9|")
                                                           + "|month=6"})
    (p,) = [p for p in validate_file(path).problems if p.code == "template.unknown"]
    assert "项目支出绩效运行监控表 版本 9" in p.message and "财政项目支出绩效目标表 版本 2" in p.message, p.message
    assert not any(i in p.message for i in ("goal-table", "self-evaluation", "monitoring")), p.message


# f12: review.cost_over_budget converted 万元 to 元 but no other unit of money: ≤200000 千元 (200,000,000 元) on a
# 146,407,273 元 budget got no notice.  Every 元 with a Chinese multiplier (千元, 百万元, 亿元 …) is converted, by the
# one table of multipliers the reader knows (cell.number_multiplier's).

@pytest.mark.parametrize("value, unit", [(200000, "千元"), (2000, "十万元"), (200, "百万元"), (20, "千万元"),
                                         (2, "亿元"), (20000, "万元"), (200000000, "元")])
def test_cost_over_budget_in_every_unit_of_money(doc, tmp_path, value, unit):
    from .test_review import _found

    doc["indicators"].insert(17, {"level1": "产出目标", "level2": "成本", "name": "培训成本", "comparator": "<=",
                                  "value": value, "unit": unit})  # 200,000,000 元 > 146,407,273 元
    found, report = _found(doc, tmp_path, "review.cost_over_budget")
    assert found == [ind_cell(17, "value")], found
    msg = next(p.message for p in report.problems if p.code == "review.cost_over_budget")
    assert "合计 200,000,000.00 元，超过项目当年预算 146,407,273.00 元" in msg, msg
    doc["indicators"][17]["value"] = value / 2  # 100,000,000 元: within the budget
    assert _found(doc, tmp_path, "review.cost_over_budget")[0] == []


@pytest.mark.parametrize("word", ["千", "万亿"])
def test_the_review_counts_every_multiplier_of_the_reader_unless_the_bureau_lists_its_units(doc, tmp_path, word):
    """The review's units of money are the reader's multipliers (cell.number_multiplier's table, MULTIPLIERS) after
    元, by default: a cost in one of them is converted; a bureau's `units` (review.json) replace them."""
    import json

    from xlgoals._form._kinds import MULTIPLIERS

    from .test_review import _found

    power = dict(MULTIPLIERS)[word]
    doc["indicators"].insert(17, {"level1": "产出目标", "level2": "成本", "name": "培训成本", "comparator": "<=",
                                  "value": 200000000 // power or 1, "unit": f"{word}元"})  # ≥ 200,000,000 元
    assert _found(doc, tmp_path, "review.cost_over_budget")[0] == [ind_cell(17, "value")]
    own = tmp_path / "review.json"
    own.write_text(json.dumps({"checks": {"review_cost_budget": {"units": {"元": 1, "万元": 10000}}}}), encoding="utf-8")
    assert _found(doc, tmp_path, "review.cost_over_budget", review_config=own)[0] == []


# f13: a goal table with 分值 on some rows only was told 自评将按指标体系分配各指标分值 — untrue where the framework
# gives no self-evaluation points (shanghai-2025): at year end the template refused the approved table.  The warning
# says what happens under the framework in force, and the year end names the rows left without 分值.

def _partial(framework):
    from .conftest import EXAMPLES, load

    doc = load(EXAMPLES / "national-2021" / "目标表.json")
    doc["framework"] = framework
    for i, it in enumerate(doc["indicators"]):
        it["weight"] = None if i == 2 else 5
    return doc


def test_partial_points_under_a_framework_without_points_must_be_filled_now():
    (p,) = [p for p in validate_document(_partial("shanghai-2025")) if p.code == "rule.weight_partial"]
    assert p.path == "/indicators/2/weight", p.path
    assert "指标体系没有给出自评分值" in p.message and "请现在为每条指标填写分值" in p.message, p.message
    assert "按指标体系分配" not in p.message, p.message
    assert "the framework gives no self-evaluation points" in p.message_en, p.message_en


def test_partial_points_under_a_framework_with_points_say_so_as_before():
    (p,) = [p for p in validate_document(_partial("national-2021")) if p.code == "rule.weight_partial"]
    assert "自评将按指标体系分配各指标分值，已填的分值不被采用" in p.message, p.message
    assert "没有给出自评分值" not in p.message, p.message


def test_the_year_end_names_the_rows_without_points(tmp_path):
    from xlgoals import fill
    from xlgoals._errors import XlgoalsError
    from xlgoals._selfeval._weights import allocate

    doc = _partial("shanghai-2025")
    with pytest.raises(XlgoalsError) as caught:
        allocate(doc["indicators"], None)
    text = str(caught.value)
    assert "第3条指标未填分值" in text and "weights" in text, text
