"""Messages on the check side whose words must be true of every value that triggers them.

* ``monitor.expected_short`` said 全年预计完成情况“10000”达不到年度指标值“＝100%”: a ＝ target missed upward is
  not 达不到, nor is a ≤ limit gone over.  It says 高于 / 低于 a ＝ target, 超过 a ≤ limit, 达不到 a ≥ level.
* 10000 on a ＝100 % row was said twice: ``monitor.percent_hundredfold`` (is it 100?) and ``monitor.expected_short``
  (a reason is missing) at the deviation cell.  Where the value meant (100) meets the target and no reason is
  given, the error says it once and asks whether 100 was meant (10000 must not pass into the summary unexplained).
* ``self.deviation_missing`` said 实际完成值 100.001% 未达到目标值 ＝100%: above a ＝ target, over a ≤ limit.
* ``cell.target_format_conflict`` on a target whose format shows a unit (≥3天) while the row's 计量单位 is empty
  asks for the unit too (else ``review.unit_missing`` comes back next round); with a unit given it does not.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import fill, read, validate_document, validate_file

from .conftest import EXAMPLE_JSON, load
from .helpers import edited_return, example_return, row_cell


def _monitoring(**rows):
    doc = read(example_return("monitoring")).document
    for i, changes in rows.items():
        doc["indicators"][int(i.lstrip("r"))].update(changes)
    return doc


@pytest.mark.parametrize("changes, words, words_en", [
    ({"expected": 120}, "高于", "is above"),  # ＝100 %
    ({"expected": 80}, "低于", "is below"),
    ({"comparator": "<=", "value": 5, "expected": 8}, "超过", "exceeds"),
    # (equal to a ＜ or ＞ target is met as the year end scores it, lt_at_target, gt_at_target: test_mendDD)
    ({"comparator": "<", "value": 5, "expected": 5.5}, "未低于", "is not below"),
    ({"comparator": ">=", "value": 85, "expected": 80}, "达不到", "falls short of"),
    ({"comparator": ">", "value": 85, "expected": 84.5}, "达不到", "falls short of"),
])
def test_an_expected_shortfall_says_which_way_the_target_is_missed(changes, words, words_en):
    doc = _monitoring(r12=changes)
    # (two: the row's 偏差原因类别 and reason are both blank, each asked for at its cell since mendCL)
    short = [p for p in validate_document(doc) if p.code == "monitor.expected_short"]
    assert [p.path for p in short] == ["/indicators/12/deviation_category", "/indicators/12/deviation"], short
    found = changes["expected"]
    for p in short:
        assert f"全年预计完成情况“{found}”{words}年度指标值" in p.message, p.message
        assert words_en in p.message_en, p.message_en
        if words != "达不到":
            assert "达不到" not in p.message, p.message


def test_a_hundredfold_slip_on_an_equal_target_is_said_once_as_an_error(tmp_path):
    """10000 on ＝100 % in the workbook with no reason: one error (10000 stands in the summary unless it is mended or
    explained), at the deviation cell, saying 10000 高于 ＝100 % (never 达不到) and asking whether 100 was meant; no
    separate hundredfold warning for the row.  As the reader's cell.percent_hundredfold_rules is an error."""
    row = 12
    path = edited_return(tmp_path, "monitoring", {(row, "expected"): 10000})
    report = validate_file(path)
    on_row = [p for p in report.problems if p.path.startswith(f"/indicators/{row}/")]
    # (the 偏差原因类别 and the reason, both blank: each at its cell since mendCL, each asking whether 100 was meant)
    assert [(p.code, p.severity, p.cell) for p in on_row] == [
        ("monitor.expected_short", "error", row_cell("monitoring", row, key)[1])
        for key in ("deviation_category", "deviation")], [(p.code, p.cell, p.message) for p in on_row]
    for p, field in zip(on_row, ("偏差原因类别”", "偏差原因分析"), strict=True):
        assert "全年预计完成情况“10000”高于年度指标值“＝100%”" in p.message and "达不到" not in p.message, p.message
        assert "，如应为 100，请改为 100；如确为 10000，请填写“" in p.message and field in p.message, p.message
        assert "if 100 is meant, enter 100; if 10000 is meant, fill in" in p.message_en, p.message_en
    assert not report.passes()  # before: passed, 10000 standing in the summary


def test_a_hundredfold_slip_that_misses_either_way_keeps_its_shortfall():
    """8000 on ≤50 %: 80 meant is over the limit too, so the reason is missing either way (the error stays, and
    the hundredfold warning does not repeat it)."""
    doc = _monitoring(r12={"comparator": "<=", "value": 50, "expected": 8000})
    found = {p.code: p for p in validate_document(doc) if p.path.startswith("/indicators/12/")}
    assert set(found) == {"monitor.percent_hundredfold", "monitor.expected_short"}, found
    assert "超过年度指标值" in found["monitor.expected_short"].message
    assert "如确为" not in found["monitor.percent_hundredfold"].message


def test_a_hundredfold_slip_with_a_reason_given_adds_nothing():
    doc = _monitoring(r12={"expected": 10000, "deviation_category": "other", "deviation": "统计口径调整，已核实。"})
    (p,) = [p for p in validate_document(doc) if p.path.startswith("/indicators/12/")]
    assert p.code == "monitor.percent_hundredfold" and "如确为" not in p.message, p.message


@pytest.mark.parametrize("changes, words, words_en", [
    ({"actual": 100.001}, "高于目标值 ＝100%", "is above the target"),  # scores 4.44 in cents: missed by a hair
    ({"actual": 99.999}, "低于目标值 ＝100%", "is below the target"),
    ({"comparator": "<=", "value": 5, "actual": 5.0001}, "超过目标值 ≤5%", "exceeds the target"),
    ({"comparator": ">=", "value": 85, "actual": 84.9999}, "未达到目标值 ≥85%", "misses the target"),
])
def test_a_target_missed_by_a_hair_says_which_way(changes, words, words_en):
    doc = read(example_return("self-evaluation")).document
    doc["indicators"][12].update(changes)
    (p,) = [p for p in validate_document(doc) if p.code == "self.deviation_missing"]
    assert words in p.message, p.message
    assert words_en in p.message_en, p.message_en
    if not words.startswith("未达到"):
        assert "未达到" not in p.message, p.message


@pytest.mark.parametrize("unit, advised", [(None, True), ("人", False)])
def test_a_target_format_showing_a_unit_asks_for_the_unit_where_none_is_given(tmp_path, unit, advised):
    from .helpers import ind_cell

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=3, unit=unit)
    src = fill(doc, tmp_path / "填好.xlsx")
    wb = openpyxl.load_workbook(src)
    sheet, ref = ind_cell(9, "target")
    wb[sheet][ref].value = 3
    wb[sheet][ref].number_format = '"≥"0"天"'
    wb.save(tmp_path / "天.xlsx")
    found = [p for p in validate_file(tmp_path / "天.xlsx").problems if p.code == "cell.target_format_conflict"]
    assert [(p.sheet, p.cell) for p in found] == [(sheet, ref)], found
    (p,) = found
    asked = "请在“计量单位”中填写“天”" in p.message
    assert asked == advised, p.message
    assert ("give '天' under '计量单位'" in p.message_en) == advised, p.message_en
    assert "数字格式改为文本后重新填写" in p.message


def test_a_percent_cell_shown_a_hundredfold_still_asks_for_the_reason_if_meant(tmp_path):
    """100 typed into a percent cell of 全年预计完成情况 on ＝100 % (shown 10000 %): the reader's question becomes an
    error saying that 10000 %, if meant, is above the target and needs a reason (the rules' shortfall as read is
    said there, once); the hundredfold slip is not left to a warning that says 可不修改."""
    row = 12
    path = edited_return(tmp_path, "monitoring", {(row, "expected"): (100, "0%")})
    on_row = [p for p in validate_file(path).problems if p.path.startswith(f"/indicators/{row}/")]
    assert [(p.code, p.severity, p.cell) for p in on_row] == [
        ("cell.percent_hundredfold_rules", "error", row_cell("monitoring", row, "expected")[1])], \
        [(p.code, p.cell, p.message) for p in on_row]
    assert "高于年度指标值" in on_row[0].message and "达不到" not in on_row[0].message, on_row[0].message


def test_the_execution_rate_limit_said_is_the_rules(tmp_path):
    """self.execution_unexplained said 低于 90% whatever the rule's min_rate: a bureau's 0.8 asked about 75 % as
    “低于 90%”.  The limit said is the one applied."""
    from decimal import Decimal

    from .helpers import bureau_rules, packaged_rule

    doc = read(example_return("self-evaluation")).document
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    doc["funds"].update(executed=float((budget * Decimal("0.75")).quantize(Decimal("0.01"))), deviation=None)
    (p,) = [p for p in validate_document(doc) if p.code == "self.execution_unexplained"]
    assert "低于 90%" in p.message and "below 90%" in p.message_en, p.message
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("self.execution_unexplained",
                                                              params='{"min_rate": 0.8}'))
    (p,) = [p for p in validate_document(doc, rules=rules) if p.code == "self.execution_unexplained"]
    assert "低于 80%" in p.message and "90" not in p.message, p.message
    assert "below 80%" in p.message_en and "90" not in p.message_en, p.message_en


def test_the_monitoring_spending_above_a_zero_budget_claims_no_rate():
    """截至本期的执行数 above a 全年预算数 of 0 has no 执行率: “执行率超过 100%” was said of it."""
    doc = _monitoring()
    doc["funds"].update(full_year_budget=0)
    found = validate_document(doc)
    assert not [p for p in found if p.code == "monitor.executed_over_budget"]  # the budget's own error: budget_zero
    (p,) = [p for p in found if p.code == "monitor.budget_zero"]
    assert "超过 100%" not in p.message and "100 %" not in p.message_en, p.message
    doc["funds"].update(full_year_budget=1000, executed_to_date=1200, expected_full_year=1200)
    (p,) = [p for p in validate_document(doc) if p.code == "monitor.executed_over_budget"]
    assert "超过全年预算数" in p.message, p.message


def test_the_quantified_share_said_is_the_settings(tmp_path):
    """review.low_quantified_share said 不足一半 whatever its min_share: 9 of 15 (60 %) under a bureau's 0.7 is
    short of 70 %, not of half."""
    import json

    doc = load(EXAMPLE_JSON[1])
    rows = [it for it in doc["indicators"] if it["level1"] in ("产出目标", "效果目标") and it["comparator"] != "qualitative"]
    assert len(rows) >= 9
    for it in rows[9:]:
        it.update(comparator="qualitative", text="达标")
        it.pop("value", None), it.pop("unit", None)
    path = fill(doc, tmp_path / "r.xlsx")
    overlay = tmp_path / "review.json"
    overlay.write_text(json.dumps({"checks": {"review_quantified_share": {"min_share": 0.7}}}), encoding="utf-8")
    found = [p for p in validate_file(path, review_config=overlay).problems if p.code == "review.low_quantified_share"]
    assert len(found) == 1, found
    (p,) = found
    assert "不足一半" not in p.message and "70%" in p.message and "less than half" not in p.message_en, p.message


def test_a_target_equal_to_last_years_is_not_called_weaker(tmp_path):
    """review.target_below_last_year with flag_equal (a bureau's rule parameter) flags a target equal to last year's:
    it said ≥85% 比上年同一指标的“≥85%”还要宽松, untrue; it says the target is the same, not raised."""
    import copy
    import json

    from .helpers import bureau_rules, packaged_rule

    doc = load(EXAMPLE_JSON[1])
    last = copy.deepcopy(doc)
    last["year"] = doc["year"] - 1
    folder = tmp_path / "上年"
    folder.mkdir()
    (folder / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "政策知晓率")  # ≥85 % both years
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("review.target_below_last_year",
                                                              params='{"flag_equal": true}'))
    path = fill(doc, tmp_path / "r.xlsx")
    found = [p for p in validate_file(path, rules=rules, previous=[folder]).problems
             if p.code == "review.target_below_last_year"]
    assert found, "flag_equal flags equal targets"
    for p in found:
        assert "宽松" not in p.message and "weaker" not in p.message_en, p.message
        assert "相同" in p.message and "the same as" in p.message_en, p.message
    last["indicators"][i]["value"] = 90
    (folder / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    weaker = [p for p in validate_file(path, rules=rules, previous=[folder]).problems
              if p.code == "review.target_below_last_year" and p.path == f"/indicators/{i}/value"]
    assert len(weaker) == 1 and "还要宽松" in weaker[0].message and "weaker" in weaker[0].message_en, weaker
    last["indicators"][i]["value"] = 85
    last["indicators"][i]["comparator"] = ">"  # ＞85% last year, ≥85% now: weaker, not the same
    (folder / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    looser = [p for p in validate_file(path, rules=rules, previous=[folder]).problems
              if p.code == "review.target_below_last_year" and p.path == f"/indicators/{i}/value"]
    assert len(looser) == 1 and "还要宽松" in looser[0].message and "相同" not in looser[0].message, looser
    assert "weaker" in looser[0].message_en and "the same as" not in looser[0].message_en, looser
    doc["indicators"][i]["comparator"] = ">"  # ＞85% now, ≥85% last year: stricter, neither the same nor weaker
    last["indicators"][i]["comparator"] = ">="
    (folder / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    path = fill(doc, tmp_path / "r2.xlsx")
    assert not [p for p in validate_file(path, rules=rules, previous=[folder]).problems
                if p.code == "review.target_below_last_year" and p.path == f"/indicators/{i}/value"]


def test_the_hundredfold_message_says_the_rules_factor_and_the_rows_unit(tmp_path):
    """monitor.percent_hundredfold wrote “计量单位为 %，是…的 100 倍以上” whatever its units and factor: a bureau's
    table holding ‰ rows to a thousandfold was told 100 倍 and %."""
    import json

    from .helpers import bureau_rules, packaged_rule

    row = packaged_rule("monitor.percent_hundredfold", params=json.dumps(
        {"units": ["%", "‰"], "keys": ["progress", "expected"], "factor": 1000, "min_target": 10}))
    rules = bureau_rules(tmp_path / "rules.csv", row)
    doc = _monitoring(r12={"unit": "‰", "comparator": ">=", "value": 20, "progress": 20000})
    (p,) = [p for p in validate_document(doc, rules=rules) if p.code == "monitor.percent_hundredfold"]
    assert "计量单位为 ‰" in p.message and "1000 倍以上" in p.message and "100 倍" not in p.message, p.message
    assert "unit ‰" in p.message_en and "a thousandfold" not in p.message_en and "1000 times" in p.message_en, \
        p.message_en
    doc = _monitoring(r12={"expected": 10000, "deviation_category": "other", "deviation": "统计口径调整，已核实。"})
    (p,) = [p for p in validate_document(doc) if p.code == "monitor.percent_hundredfold"]
    assert "计量单位为 %，是年度指标值“＝100%”的 100 倍以上" in p.message, p.message
