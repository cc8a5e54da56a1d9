"""Red team x (session 28), findings 4, 5, 6, 8 — between rounds and the review's words:

* 5: with --previous, a target lowered behind a one-character rename is compared with last year's (names matched as
  review.duplicate_name matches them), and an indicator of last year's no row names any more is a notice.
* 6: monitor.likelihood_contradicts: 完全不可能 beside a forecast meeting the target, 确定能 beside one missing it;
  风险清单's 说明 says so.
* 8: review.vague_target covers the seed's own variants of its boilerplate (按照要求完成, 更加完善, a bare 稳定) as it
  covers 按要求完成, 逐步完善, 保持稳定, and still passes the seeds' concrete targets.
"""

from __future__ import annotations

import json

import pytest

from xlgoals import validate_file

from .conftest import cli
from .helpers import ind_cell, json_review


def _row(name, text=None, level1="产出目标", level2="质量", value=None, unit="%", comparator=">="):
    if text is not None:
        return {"level1": level1, "level2": level2, "name": name, "comparator": "qualitative", "text": text}
    return {"level1": level1, "level2": level2, "name": name, "comparator": comparator, "value": value, "unit": unit}


# 8 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["按照要求完成", "更加完善", "稳定", "稳定。", "按照计划完成", "更为完善"])
def test_seed_variants_of_vague_boilerplate_are_vague(doc, tmp_path, text):
    at = len(doc["indicators"])
    doc["indicators"].append(_row("服务工作情况", text))
    problems = json_review(doc, tmp_path)
    hits = [p for p in problems if p["code"] == "review.vague_target" and p["value"] == text]
    assert len(hits) == 1, [(p["code"], p["value"]) for p in problems]
    assert hits[0]["path"] == f"/indicators/{at}/text"


@pytest.mark.parametrize("text", ["完善", "运行稳定", "通过专家论证", "安全运抵上海", "按照规定程序审批", "健全"])
def test_concrete_or_plain_targets_near_the_new_words_stay_unflagged(doc, tmp_path, text):
    doc["indicators"].append(_row("服务工作情况", text))
    problems = json_review(doc, tmp_path)
    assert [p for p in problems if p["code"] == "review.vague_target" and p["value"] == text] == []


# 5 -----------------------------------------------------------------------------------------------------------
def _previous_pair(doc, tmp_path):
    """Last year's goal table of the same project (seed 02 as 2019's), and this year's `doc` as a workbook."""
    import copy

    from xlgoals import fill

    prev = copy.deepcopy(doc)
    prev["year"] = doc["year"] - 1
    (tmp_path / "prev.json").write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "prev.json"


def _row_named(doc, name):
    return next(i for i, it in enumerate(doc["indicators"]) if it.get("name") == name)


def test_a_lowered_target_behind_a_one_character_rename_is_below_last_year(doc, tmp_path):
    prev = _previous_pair(doc, tmp_path)
    i = _row_named(doc, "职业技能鉴定合格率")  # ≥85%
    name = "职业技能鉴定合格率"
    doc["indicators"][i].update(name="职业技能鉴定的合格率", value=80)  # one character added, the target lowered
    problems = json_review(doc, tmp_path, "--previous", prev)
    hits = [p for p in problems if p["code"] == "review.target_below_last_year"]
    assert [p["path"] for p in hits] == [f"/indicators/{i}/value"], [(p["code"], p["message"]) for p in problems]
    assert f"上年名称为“{name}”" in hits[0]["message"] and f"named '{name}'" in hits[0]["message_en"]
    # renamed, not dropped: last year's row is this one
    assert not [p for p in problems if p["code"] == "review.indicator_dropped"]


def test_names_told_apart_by_a_number_are_not_matched_with_last_year(doc, tmp_path):
    """一类 / 二类 are two indicators to review.duplicate_name, and so to the comparison with last year."""
    doc["indicators"].append(_row("一类补贴发放人数", value=100, unit="人"))
    prev = _previous_pair(doc, tmp_path)
    doc["indicators"][-1].update(name="二类补贴发放人数", value=50)
    problems = json_review(doc, tmp_path, "--previous", prev)
    assert not [p for p in problems if p["code"] == "review.target_below_last_year"]
    dropped = [p for p in problems if p["code"] == "review.indicator_dropped"]
    assert len(dropped) == 1 and "“一类补贴发放人数”（目标“≥100人”）" in dropped[0]["message"], dropped


def test_an_indicator_dropped_since_last_year_is_noticed_at_the_table(doc, tmp_path):
    from xlgoals import fill

    prev = _previous_pair(doc, tmp_path)
    gone = doc["indicators"].pop(_row_named(doc, "调查有效性"))
    path = fill(doc, tmp_path / "今年.xlsx", force=True)
    result = cli("validate", path, "--review", "--previous", prev, "--format", "json")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    problems = json.loads(result.output)["files"][0]["problems"]
    dropped = [p for p in problems if p["code"] == "review.indicator_dropped"]
    assert len(dropped) == 1, [(p["code"], p["message"]) for p in problems]
    p = dropped[0]
    assert p["severity"] == "notice" and p["path"] == "/indicators" and p["sheet"] == "绩效指标" and p["cell"], p
    assert f"上年申报的指标“{gone['name']}”（目标“{gone['text']}”）" in p["message"], p["message"]
    assert f"indicator '{gone['name']}'" in p["message_en"]
    # nothing dropped: nothing said
    back = json_review(json.loads((tmp_path / "prev.json").read_text(encoding="utf-8")) | {"year": doc["year"]},
                        tmp_path, "--previous", prev, name="same.json")
    assert not [p for p in back if p["code"] == "review.indicator_dropped"]


# 6 -----------------------------------------------------------------------------------------------------------
EXAMPLES_DIR = __import__("pathlib").Path(__file__).resolve().parent.parent / "examples"
GOAL_02 = EXAMPLES_DIR / "json" / "02_促进就业专项资金.json"
REASON = "受疫情影响停工三个月，下半年将加大补贴发放力度，按月通报进度。"


def _monitoring(**row):
    doc = json.loads((EXAMPLES_DIR / "monitoring" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    i = next(i for i, it in enumerate(doc["indicators"]) if it["id"] == "I010")  # 享受职业技能补贴人数 ≥90%
    doc["indicators"][i].update(row)
    return doc, i


def _validate_json(doc, tmp_path, *args, name="m.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", path, "--targets", GOAL_02, "--format", "json", *args)
    assert "Traceback" not in result.output, result.output
    return [p for f in json.loads(result.output)["files"] for p in f["problems"]]


@pytest.mark.parametrize("expected, likelihood, how", [(95, "impossible", "符合"), (90, "impossible", "符合"),
                                                       (85, "certain", "达不到")])
def test_likelihood_contradicting_the_forecast_is_a_warning_at_the_likelihood_cell(tmp_path, expected, likelihood, how):
    doc, i = _monitoring(expected=expected, likelihood=likelihood, deviation_category="other", deviation=REASON)
    problems = _validate_json(doc, tmp_path)
    hits = [p for p in problems if p["code"] == "monitor.likelihood_contradicts"]
    assert len(hits) == 1, [(p["code"], p["message"]) for p in problems]
    p = hits[0]
    label = {"impossible": "完全不可能", "certain": "确定能"}[likelihood]
    assert p["severity"] == "warning" and p["path"] == f"/indicators/{i}/likelihood" and p["value"] == label
    assert f"完成目标可能性为“{label}”，但全年预计完成情况“{expected}”{how}年度指标值“≥90%”" in p["message"], p["message"]
    assert f"('{expected}')" in p["message_en"]


@pytest.mark.parametrize("expected, likelihood", [(95, "certain"), (85, "impossible"), (85, "possible"), (95, "possible")])
def test_likelihood_agreeing_with_the_forecast_says_nothing(tmp_path, expected, likelihood):
    doc, _ = _monitoring(expected=expected, likelihood=likelihood, deviation_category="other", deviation=REASON)
    assert not [p for p in _validate_json(doc, tmp_path) if p["code"] == "monitor.likelihood_contradicts"]


def test_risk_list_says_the_contradiction_in_its_note(tmp_path):
    from xlgoals import fill
    import openpyxl

    inbox = tmp_path / "in"
    inbox.mkdir()
    doc, _ = _monitoring(expected=95, likelihood="impossible", deviation_category="other", deviation=REASON)
    fill(doc, inbox / "m.xlsx", force=True)
    out = tmp_path / "s.xlsx"
    result = cli("consolidate", inbox, "-o", out, "--targets", GOAL_02)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["风险清单"]
    header = [c.value.replace("\n", "") if isinstance(c.value, str) else c.value for c in ws[1]]
    rows = [dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True) if r[2]]
    row = next(r for r in rows if r["三级指标"] == "享受职业技能补贴人数")
    assert row["风险"] == "完全不可能完成" and row["完成目标可能性"] == "完全不可能"
    assert row["说明"] == ("完成目标可能性“完全不可能”与全年预计完成情况矛盾：预计“95”符合年度指标值“≥90%”"
                         "（monitor.likelihood_contradicts）"), row
    assert all(r["说明"] is None for r in rows if r is not row)
    from .helpers import ooxml_errors

    assert ooxml_errors(out) == []


# 4 -----------------------------------------------------------------------------------------------------------
def _rounds(tmp_path, executed_12, progress_06, progress_12):
    """Seed 02's 1-6月 and 1-12月 monitoring reports as workbooks in one folder."""
    import copy

    from xlgoals import fill

    inbox = tmp_path / "in"
    inbox.mkdir()
    jun, i = _monitoring(progress=progress_06)
    # a count, in the goal table too (the seed's % on a 人数 is a rate to monitor.cumulative_fell: mendDK)
    jun["indicators"][i]["unit"] = "人"
    goal = json.loads(GOAL_02.read_text(encoding="utf-8"))
    next(x for x in goal["indicators"] if x["name"] == jun["indicators"][i]["name"])["unit"] = "人"
    (tmp_path / "goal.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    dec_ = copy.deepcopy(jun)
    dec_.update(month=12)
    dec_["contact"]["date"] = f"{jun['year']}-12-28"
    dec_["funds"]["executed_to_date"] = executed_12
    dec_["indicators"][i].update(progress=progress_12, expected=90)
    fill(jun, inbox / "m06.xlsx", force=True)
    fill(dec_, inbox / "m12.xlsx", force=True)
    return inbox, jun, i


def _consolidated(tmp_path, inbox):
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", out, "--json", js, "--targets", tmp_path / "goal.json")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    rows = [dict(zip(data["validation"]["columns"], r)) for r in data["validation"]["rows"]]
    return result, out, rows


def test_a_cumulative_figure_falling_between_rounds_is_a_warning_on_the_later_report(tmp_path):
    import openpyxl

    inbox, jun, i = _rounds(tmp_path, 60000000, 90, 40)
    result, out, rows = _consolidated(tmp_path, inbox)
    fell = [r for r in rows if "累计数不会随月份减少" in (r.get("说明") or "")]
    assert len(fell) == 2, rows
    assert all("m12.xlsx" in str(r.values()) for r in fell)
    funds, indicator = fell
    assert "1-12月执行数（元）为“60,000,000.00 元”" in funds["说明"] and "“72,325,192.86 元”" in funds["说明"], funds
    assert "1-6月报告（" in funds["说明"] and "m06.xlsx" in funds["说明"]
    assert "“享受职业技能补贴人数”的1-12月执行情况为“40”" in indicator["说明"] and "“90”" in indicator["说明"], indicator
    # located at the later report's cells, in the workbook's 校验结果 too
    ws = openpyxl.load_workbook(out)["校验结果"]
    listed = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    said = [r for r in listed if any(isinstance(v, str) and "累计数不会随月份减少" in v for v in r)]
    assert len(said) == 2 and all(any(v == "monitor.cumulative_fell" for v in r) for r in said), said
    assert all(any(isinstance(v, str) and v.startswith(("E", "F", "G", "H", "I", "B", "C", "D")) and v[1:].isdigit()
                   for v in r) for r in said), said
    # the line on the terminal counts the June report as replaced, not as a duplicate (README)
    assert "已由较晚月份的报告取代的报告 1 个（未计入）" in result.output and "重复申报 0 个" in result.output, result.output
    from .helpers import ooxml_errors

    assert ooxml_errors(out) == []


def test_cumulative_figures_that_rise_between_rounds_say_nothing(tmp_path):
    inbox, _, _ = _rounds(tmp_path, 130000000, 40, 90)
    result, _, rows = _consolidated(tmp_path, inbox)
    assert not [r for r in rows if "累计数不会随月份减少" in (r.get("说明") or "")], rows
    assert "已由较晚月份的报告取代的报告 1 个（未计入）" in result.output


def test_a_hundredfold_slip_in_the_forecast_is_not_also_a_contradiction(tmp_path):
    """10000 on ≥90 % (90 meant?) with 确定能: the hundredfold question says it; one mistake, one message."""
    doc, i = _monitoring(expected=9500, likelihood="impossible", deviation_category="other", deviation=REASON)
    problems = _validate_json(doc, tmp_path)
    assert not [p for p in problems if p["code"] == "monitor.likelihood_contradicts"], \
        [(p["code"], p["message"]) for p in problems]


@pytest.mark.parametrize("likelihood, said", [("certain", False), ("impossible", True)])
def test_a_forecast_equal_to_a_strict_target_meets_it_for_the_likelihood_too(tmp_path, likelihood, said):
    """90 on ＞90 % is met, as the year-end scoring table scores it (gt_at_target) and monitor.expected_short reads it
    (mendDD): 确定能 beside it is no contradiction, 完全不可能 is one, in validate and in 风险清单's 说明."""
    doc, i = _monitoring(expected=90, likelihood=likelihood, deviation_category="other", deviation=REASON)
    doc["indicators"][i]["comparator"] = ">"
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", path, "--format", "json")
    problems = [p for f in json.loads(result.output)["files"] for p in f["problems"]]
    assert not [p for p in problems if p["code"] == "monitor.expected_short"], problems
    assert bool([p for p in problems if p["code"] == "monitor.likelihood_contradicts"]) is said, problems
    from xlgoals._monitor._summary import risk_note
    from xlgoals._selfeval._scoring import scoring_of

    assert (risk_note(doc["indicators"][i], scoring_of(None)) is not None) is said
