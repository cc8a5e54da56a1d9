"""Department messages that still showed document keys or ASCII (msgs5).

* ``schema.enum`` listed the schema's keys to departments (“取值不在允许范围内：certain、possible、impossible、None”)
  where the cell's dropdown shows 确定能/有可能/完全不可能: the zh message lists what the dropdown shows, never None.
* Messages quoting a target wrote format_target's ASCII comparator (>85%) where the goal table shows ＞85%.
* ``monitor.budget_zero`` / ``self.budget_zero`` were titled 为 0 while they fire on any budget not above 0.
"""

from __future__ import annotations

import copy
import json

import pytest

from xlgoals import validate_document

from .conftest import EXAMPLES, EXAMPLE_JSON


def _doc(folder: str) -> dict:
    return json.loads(sorted((EXAMPLES / folder).glob("*.json"))[0].read_text(encoding="utf-8"))


def _enum_problem(doc: dict, key: str, bad):
    doc = copy.deepcopy(doc)
    doc["indicators"][0][key] = bad
    (p,) = [p for p in validate_document(doc) if p.code == "schema.enum"]
    return p


@pytest.mark.parametrize("folder, key, shown", [
    ("monitoring", "likelihood", "确定能、有可能、完全不可能"),
    ("monitoring", "deviation_category", "经费保障、制度保障、人员保障、硬件条件保障、其他"),
    ("monitoring", "comparator", "＝、≥、＞、≤、＜、定性"),
    ("json", "comparator", "＝、≥、＞、≤、＜、定性"),
    ("self-evaluation", "comparator", "＝、≥、＞、≤、＜、定性"),
])
def test_an_enum_message_lists_what_the_dropdown_shows(folder, key, shown):
    p = _enum_problem(_doc(folder), key, "大概")
    assert p.message.endswith(f"的取值“大概”不在允许范围内：{shown}"), p.message
    assert "None" not in p.message and "None" not in p.message_en, (p.message, p.message_en)
    assert p.expected == shown, p.expected


def test_a_grade_enum_message_lists_the_grades_as_the_dropdown_shows_them():
    doc = _doc("self-evaluation")
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind.get("comparator") == "qualitative")
    doc["indicators"][i]["grade"] = "good"
    (p,) = [p for p in validate_document(doc) if p.code == "schema.enum"]
    assert "达成年度指标、部分达成年度指标并具有一定效果" in p.message, p.message
    assert "achieved" not in p.message and "None" not in p.message and "None" not in p.message_en, p.message
    assert "“good”" in p.message, p.message


def test_the_english_enum_message_keeps_the_keys_without_none():
    p = _enum_problem(_doc("monitoring"), "likelihood", "maybe")
    assert p.message_en.endswith("'maybe' is not one of certain, possible, impossible"), p.message_en


@pytest.mark.parametrize("folder, code, spent", [("monitoring", "monitor.budget_zero", "executed_to_date"),
                                                 ("self-evaluation", "self.budget_zero", "executed")])
def test_the_budget_zero_title_is_true_of_a_negative_budget(folder, code, spent):
    """The check tests value <= 0: its title, which grouped reports show, must say what it tests.  A negative
    budget is the schema's minimum 0 (schema.range), said once: the rules see it blank and this check does not
    fire on it again (test_silent5); a budget of 0 with money spent it does."""
    from xlgoals._check._ruletable import RuleTable

    doc = _doc(folder)
    doc["funds"]["full_year_budget"], doc["funds"][spent] = -5, 100
    assert [p.code for p in validate_document(doc) if p.path == "/funds/full_year_budget"] == ["schema.range"]
    doc["funds"]["full_year_budget"] = 0
    (p,) = [p for p in validate_document(doc) if p.code == code]
    assert "0.00 元" in p.message, p.message
    rd = RuleTable.default().rules[code]
    assert rd.title_zh == "全年预算数不大于 0 而有执行数", rd.title_zh
    assert rd.title_en == "A full-year budget not above 0 with money spent", rd.title_en


def test_review_unit_mismatch_quotes_the_target_as_the_goal_table_shows_it():
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind.get("comparator") != "qualitative")
    doc["indicators"][i].update(name="培训人数", comparator=">", value=85, unit="%")
    (p,) = [p for p in validate_document(doc, review=True) if p.code == "review.unit_mismatch"]
    assert "目标值“＞85%”" in p.message, p.message
    assert "'＞85%'" in p.message_en, p.message_en


def test_monitor_expected_short_quotes_the_target_as_the_report_shows_it():
    doc = _doc("monitoring")
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind.get("comparator") == "=" and not ind.get("unit"))
    doc["indicators"][i].update(comparator=">", value=800, unit="件", expected=680, likelihood="possible",
                                deviation_category=None, deviation=None)
    found = [p for p in validate_document(doc) if p.code == "monitor.expected_short"]
    assert found, [p.message for p in validate_document(doc)]
    p = found[0]
    assert "年度指标值“＞800件”" in p.message and ">800" not in p.message, p.message
    assert p.expected == "＞800件", p.expected


def test_self_target_changed_quotes_both_targets_as_the_forms_show_them(tmp_path):
    from xlgoals import self_evaluation_templates, validate

    doc = json.loads(EXAMPLE_JSON[1].read_text(encoding="utf-8"))
    i = next(k for k, ind in enumerate(doc["indicators"]) if ind.get("comparator") == ">=" and ind["value"] < 99)
    doc["indicators"][i]["comparator"] = ">"
    (tmp_path / "issued").mkdir()
    (tmp_path / "issued" / "g.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (made,) = self_evaluation_templates([tmp_path / "issued"], tmp_path / "made").written
    changed = copy.deepcopy(doc)
    changed["indicators"][i]["value"] += 1
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "g.json").write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    (p,) = [p for p in validate([made], targets=[tmp_path / "other"]).problems() if p.code == "self.target_changed"]
    unit = doc["indicators"][i].get("unit") or ""
    v = doc["indicators"][i]["value"]
    assert f"填写为“＞{v}{unit}”" in p.message and f"应为“＞{v + 1}{unit}”" in p.message, p.message


def test_the_compare_head_does_not_run_a_right_positive_check_on_a_budget_of_0():
    """self.executed_over_budget (right_positive) says nothing where the budget is 0 (self.budget_zero does): its
    sweep head must not run it there, and must still run it on money spent above a budget above 0."""
    from .test_check_sweep import _may

    doc = _doc("self-evaluation")
    doc["funds"].update(full_year_budget=0, executed=5)
    may = _may(doc)
    assert "self.budget_zero" in may and "self.executed_over_budget" not in may, may
    doc["funds"].update(full_year_budget=4)
    assert "self.executed_over_budget" in _may(doc)
    mon = _doc("monitoring")
    mon["funds"].update(full_year_budget=0, executed_to_date=5)
    assert "monitor.executed_over_budget" not in _may(mon)
    assert [p.code for p in validate_document(mon) if p.code.endswith("executed_over_budget")] == []
