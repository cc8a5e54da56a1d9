"""目标审核 (validate --review): one test per review check on a crafted table, the seed's notices, the
all-faults example, scores, injection of thresholds, --previous, --library and the 审核 summary sheets."""

import copy
import csv
import os
import io
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import ConfigError, fill, read, validate, validate_file
from xlgoals._review import load_review

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli
from .helpers import F, bureau_rules, ind_cell, info_cell, ooxml_errors, packaged_rule

LIBRARY = EXAMPLES / "library.csv"
ALL_FAULTS = EXAMPLES / "review" / "全部问题.xlsx"
PREVIOUS = EXAMPLES / "review" / "上年"


def _review(doc, tmp_path, **kw):
    path = fill(doc, tmp_path / "r.xlsx", force=True)  # each call writes the return again
    return validate_file(path, review=True, **kw)


def _found(doc, tmp_path, code, **kw):
    report = _review(doc, tmp_path, **kw)
    return [(p.sheet, p.cell) for p in report.problems if p.code == code], report


def _index(doc, name):
    return next(i for i, it in enumerate(doc["indicators"]) if it["name"] == name)


def _last_year(doc):
    """The same project's return of the year before (what --previous is given)."""
    last = copy.deepcopy(doc)
    last["year"] = doc["year"] - 1
    return last


def _prev_file(tmp_path, doc):
    folder = tmp_path / "上年"
    folder.mkdir(exist_ok=True)
    (folder / "prev.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


# One test per check -----------------------------------------------------------------------------
def test_vague_target(doc, tmp_path):
    i = _index(doc, "调查有效性")
    doc["indicators"][i]["text"] = "进一步加强"
    found, report = _found(doc, tmp_path, "review.vague_target")
    assert ind_cell(i, "text") in found
    p = next(p for p in report.problems if p.code == "review.vague_target" and p.cell == ind_cell(i, "text")[1])
    assert p.severity == "notice" and "进一步" in p.message and "可衡量" in p.message
    assert "vague" in p.message_en and "measurable" in p.message_en


def test_a_target_in_words_with_its_figure_is_not_vague(doc, tmp_path):
    """较上年提高5个百分点 says how much: it can be checked, so it is no 模糊用语 (提高 alone still is)."""
    i, j = _index(doc, "调查有效性"), _index(doc, "信息公开实现率")
    doc["indicators"][i]["text"] = "较上年提高5个百分点"
    doc["indicators"][j]["text"] = "明显提高"
    found, _ = _found(doc, tmp_path, "review.vague_target")
    assert ind_cell(i, "text") not in found and ind_cell(j, "text") in found


def test_rate_qualitative_passes_over_the_frameworks_prefilled_row_until_the_department_changes_it(doc, tmp_path):
    """信息公开实现率 → 规范 is one of the rows shanghai-2020 prefills in every template: the bureau's, not the
    department's, so it was flagged in every return and lowered every score alike.  Changed, it is reviewed."""
    i = _index(doc, "信息公开实现率")
    assert doc["indicators"][i].get("text") == "规范"
    found, _ = _found(doc, tmp_path, "review.rate_qualitative")
    assert found == []
    doc["indicators"][i]["text"] = "按规定公开"  # the department's own target now
    found, report = _found(doc, tmp_path, "review.rate_qualitative")
    assert found == [ind_cell(i, "text")]
    assert "信息公开实现率" in next(p.message for p in report.problems if p.code == "review.rate_qualitative")
    doc["indicators"][i]["text"] = "规范"
    doc["indicators"].append({"level1": "产出目标", "level2": "质量", "name": "培训合格率", "comparator": "qualitative",
                              "text": "较高"})  # a rate of the department's own
    found, _ = _found(doc, tmp_path, "review.rate_qualitative")
    assert found == [ind_cell(len(doc["indicators"]) - 1, "text")]


def test_rate_qualitative_ignores_quality_names(doc, tmp_path):
    # 公共实训基地运维质量 ends in 量 but is a quality, not a quantity
    found, _ = _found(doc, tmp_path, "review.rate_qualitative")
    assert ind_cell(_index(doc, "公共实训基地运维质量"), "text") not in found


def test_placeholder_row(doc, tmp_path):
    i = _index(doc, "调查及时性")
    doc["indicators"][i]["name"] = "不涉及"
    found, _ = _found(doc, tmp_path, "review.placeholder_row")
    assert found == [ind_cell(i, "name")]


def test_low_quantified_share(doc, tmp_path):
    for it in doc["indicators"]:
        if it["level1"] in ("产出目标", "效果目标") and it["comparator"] != "qualitative":
            it.update(comparator="qualitative", text="达标")
            it.pop("value", None), it.pop("unit", None)
    found, report = _found(doc, tmp_path, "review.low_quantified_share")
    first = next(i for i, it in enumerate(doc["indicators"]) if it["level1"] == "产出目标")
    assert found == [ind_cell(first, "text")]
    assert "0/15" in next(p.message for p in report.problems if p.code == "review.low_quantified_share")


def test_near_duplicate_name(doc, tmp_path):
    i = _index(doc, "保养的覆盖率")
    doc["indicators"][i]["name"] = "耗材验收 合格率（%）"  # 耗材验收合格率, with a space and a unit
    found, report = _found(doc, tmp_path, "review.duplicate_name")
    assert found == [ind_cell(i, "name")]
    assert not [p for p in report.problems if p.code == "rule.duplicate_name"]


def test_too_many_rows(doc, tmp_path):
    extra = ["设备完好率", "课程开发合格率", "师资培训合格率", "台账规范率", "档案完整率"]  # 质量 has 6 rows
    at = _index(doc, "补贴发放准确情况") + 1
    for k, name in enumerate(extra):
        doc["indicators"].insert(at + k, {"level1": "产出目标", "level2": "质量", "name": name, "comparator": "=",
                                          "value": 100, "unit": "%"})
    found, report = _found(doc, tmp_path, "review.too_many_rows")
    eleventh = [i for i, it in enumerate(doc["indicators"]) if it["level2"] == "质量"][10]
    assert found == [ind_cell(eleventh, "level2")]
    assert "11" in next(p.message for p in report.problems if p.code == "review.too_many_rows")


def test_misplaced_satisfaction(doc, tmp_path):
    i = _index(doc, "学员满意度")
    doc["indicators"][i]["level2"] = "社会效益"
    found, report = _found(doc, tmp_path, "review.misplaced_satisfaction")
    assert found == [ind_cell(i, "name")]  # the cell whose value it quotes
    assert "效果目标/满意度" in next(p.message for p in report.problems if p.code == "review.misplaced_satisfaction")


def test_cost_over_budget(doc, tmp_path):
    doc["indicators"].insert(17, {"level1": "产出目标", "level2": "成本", "name": "培训成本", "comparator": "<=",
                                  "value": 20000, "unit": "万元"})  # 200,000,000 元 > 146,407,273 元
    found, report = _found(doc, tmp_path, "review.cost_over_budget")
    assert found == [ind_cell(17, "value")]
    msg = next(p.message for p in report.problems if p.code == "review.cost_over_budget")
    assert "合计 200,000,000.00 元，超过项目当年预算 146,407,273.00 元" in msg  # amounts read as money
    en = next(p.message_en for p in report.problems if p.code == "review.cost_over_budget")
    assert "add up to 200,000,000.00 yuan, more than this year's budget of 146,407,273.00 yuan" in en
    doc["indicators"][17]["value"] = 10000  # 100,000,000 元: within the budget
    assert _found(doc, tmp_path, "review.cost_over_budget")[0] == []


def test_cost_over_budget_is_summed_exactly(doc, tmp_path):
    """Cost targets in 万元 are added as decimals: 0.01 万元 + 0.07 万元 is 800.00 元, not a float's
    800.0000000000001 (which exceeded a budget of exactly 800.00 元)."""
    doc["budget"]["current_year"] = 800
    doc["budget"]["total"] = 800
    for i, v in ((17, 0.01), (18, 0.07)):
        doc["indicators"].insert(i, {"level1": "产出目标", "level2": "成本", "name": f"成本{i}", "comparator": "<=",
                                     "value": v, "unit": "万元"})
    assert _found(doc, tmp_path, "review.cost_over_budget")[0] == []


def test_target_below_last_year(doc, tmp_path):
    last = _last_year(doc)
    last["year"] = 2019
    last["unit"] = " 上海市就业促进中心 "  # matched canonically
    i = _index(doc, "政策知晓率")  # >= 85 % this year
    last["indicators"][i]["value"] = 90
    j = _index(doc, "学员满意度")  # > 90 % both years: not weaker
    found, report = _found(doc, tmp_path, "review.target_below_last_year", previous=[_prev_file(tmp_path, last)])
    assert found == [ind_cell(i, "value")]
    assert ind_cell(j, "value") not in found
    p = next(p for p in report.problems if p.code == "review.target_below_last_year")
    assert "≥90%" in p.message and "prev.json" in p.message


def test_target_below_last_year_for_an_upper_bound(doc, tmp_path):
    doc["indicators"].append({"level1": "效果目标", "level2": "社会效益", "name": "投诉处理天数", "comparator": "<=",
                              "value": 10, "unit": "天"})
    last = _last_year(doc)
    last["indicators"][-1]["value"] = 7  # last year: within 7 days; this year 10 is weaker
    found, _ = _found(doc, tmp_path, "review.target_below_last_year", previous=[_prev_file(tmp_path, last)])
    assert found == [ind_cell(len(doc["indicators"]) - 1, "value")]


def test_narrative_copied(doc, tmp_path):
    last = _last_year(doc)
    last["project"]["plan"] = "上年的实施计划，与本年不同：一季度完成招标，二季度起组织实施，四季度总结。"
    last["project"]["goals"] = "上年的总目标与本年不同，因此不应被提示为照抄上年的内容。"
    last["project"]["necessity"] = "上年写的必要性，与本年不同，因此也不应被提示为照抄。"
    found, _ = _found(doc, tmp_path, "review.narrative_copied", previous=[_prev_file(tmp_path, last)])
    assert found == [info_cell("/project/overview")]  # basis and safeguards may stay the same


def test_narrative_short(doc, tmp_path):
    doc["project"]["plan"] = "按计划执行。"
    found, report = _found(doc, tmp_path, "review.narrative_short")
    assert found == [info_cell("/project/plan")]
    assert "6 个字" in next(p.message for p in report.problems if p.code == "review.narrative_short")


def test_not_in_library_suggests_the_closest_name(doc, tmp_path):
    i = _index(doc, "政策知晓率")
    doc["indicators"][i]["name"] = "政策知晓度"
    found, report = _found(doc, tmp_path, "review.not_in_library", library=LIBRARY)
    assert found == [ind_cell(i, "name")]
    p = next(p for p in report.problems if p.code == "review.not_in_library")
    assert p.expected == "政策知晓率" and "“政策知晓率”" in p.message and "'政策知晓率'" in p.message_en


def test_not_in_library_without_a_close_name_says_so_in_a_sentence(doc, tmp_path):
    """With no close name it read "最接近的名称是（指标库中没有相近的名称）；如适用请改用库中的名称"."""
    i = _index(doc, "政策知晓率")
    doc["indicators"][i]["name"] = "鲸鱼迁徙观测站"
    _, report = _found(doc, tmp_path, "review.not_in_library", library=LIBRARY)
    p = next(p for p in report.problems if p.code == "review.not_in_library" and "鲸鱼" in p.message)
    assert "最接近的名称是" not in p.message and "没有相近的名称" in p.message, p.message
    assert "closest" not in p.message_en and "no similar name" in p.message_en, p.message_en


# Notices, severities, scores --------------------------------------------------------------------
def test_review_runs_only_when_asked_and_never_fails_a_file():
    plain = validate(EXAMPLE_XLSX)
    assert not [p for p in plain.problems() if p.severity == "notice"]
    assert all(f.review_score is None for f in plain.files)
    reviewed = validate(EXAMPLE_XLSX, review=True, strict=True)
    assert all(f.notices for f in reviewed.files)
    assert [f.passes(strict=True) for f in reviewed.files] == [f.passes(strict=True) for f in plain.files]
    assert [f.review_score for f in reviewed.files] == [64, 89, 75, 87, 79]


def test_a_bureau_raises_a_notice_to_an_error(tmp_path):
    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("review.rate_qualitative", severity="error"))
    report = validate(EXAMPLE_XLSX[2], review=True, rules=rules)  # 项目的社会满意度 → 高
    assert not report.valid and {p.code for p in report.files[0].errors} == {"review.rate_qualitative"}
    # a rule table that configures a review code turns the review on (mendAN); an explicit review=False wins
    assert not validate(EXAMPLE_XLSX[2], rules=rules).valid
    assert validate(EXAMPLE_XLSX[2], rules=rules, review=False).valid


def test_score_is_computed_from_the_weights(tmp_path):
    settings = load_review().settings
    report = validate(EXAMPLE_XLSX[1], review=True).files[0]  # 2 × vague (4), a count in % (3)
    assert [p.code for p in report.notices] == ["review.vague_target"] * 2 + ["review.unit_mismatch"]
    assert report.review_score == 100 - 2 * settings.weight("review.vague_target") \
        - settings.weight("review.unit_mismatch") == 89
    overlay = tmp_path / "review.json"
    overlay.write_text(json.dumps({"weights": {"review.vague_target": 20}}), encoding="utf-8")
    assert validate(EXAMPLE_XLSX[1], review=True, review_config=overlay).files[0].review_score == 57
    capped = tmp_path / "capped.json"  # (settings are cached by path, like rule tables)
    capped.write_text(json.dumps({"score": {"max_count": 1}, "weights": {"review.vague_target": 20}}),
                      encoding="utf-8")
    assert validate(EXAMPLE_XLSX[1], review=True, review_config=capped).files[0].review_score == 77


def test_thresholds_are_data_injectable_by_rules_params_and_review_config(doc, tmp_path):
    doc["project"]["plan"] = "年初启动招标，全年实施。"  # 12 characters
    assert _found(doc, tmp_path, "review.narrative_short")[0]
    overlay = tmp_path / "review.json"
    overlay.write_text(json.dumps({"checks": {"review_narrative_short": {"min_chars": 10}}}), encoding="utf-8")
    assert not _found(doc, tmp_path, "review.narrative_short", review_config=overlay)[0]
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("review.too_many_rows", params='{"max": 5}'))
    found, _ = _found(doc, tmp_path, "review.too_many_rows", rules=rules)  # 质量 has 6 rows
    assert found == [ind_cell([i for i, it in enumerate(doc["indicators"]) if it["level2"] == "质量"][5], "level2")]


@pytest.mark.parametrize("content, says", [
    ("{oops", "不是有效的 JSON"),
    ('{"checks": {"review_vague": {"words": "提高"}}}', "“checks.review_vague.words”应为文本的列表"),
    ('{"checks": {"required": {}}}', "不是审核检查类型"),
    ('{"weights": {"review.vague_target": -1}}', "“weights.review.vague_target”应为 0 至 100 之间的数字，实际为 -1"),
    ('{"thresholds": {}}', "未知的键 thresholds"),
    ('{"checks": {"review_quantified_share": {"min_share": 50}}}',
     "“checks.review_quantified_share.min_share”应为 0 至 1 之间的数字，实际为 50"),
    # values that make the review meaningless: every return scores 100; every row, every pair of names flagged;
    # a notice that raises the score
    ('{"score": {"max_count": 0}}', "“score.max_count”应为大于或等于 1 的整数，实际为 0"),
    ('{"score": {"default_weight": -3}}', "“score.default_weight”应为 0 至 100 之间的数字，实际为 -3"),
    ('{"score": {"default_weight": 500}}', "“score.default_weight”应为 0 至 100 之间的数字，实际为 500"),
    ('{"checks": {"review_rows_per_level2": {"max": 0}}}',
     "“checks.review_rows_per_level2.max”应为大于或等于 1 的整数，实际为 0"),
    ('{"checks": {"review_near_duplicate": {"similarity": 0}}}',
     "“checks.review_near_duplicate.similarity”应为大于 0、不超过 1 的数字，实际为 0"),
    ('{"checks": {"review_narrative_copied": {"similarity": 0}}}',
     "“checks.review_narrative_copied.similarity”应为大于 0、不超过 1 的数字，实际为 0"),
    ('{"checks": {"review_rows_per_level2": {"max": "十"}}}',
     "“checks.review_rows_per_level2.max”应为大于或等于 1 的整数，实际为 文本“十”"),
    # a word with a space at either end matches nothing (values are read stripped); a blank one everything
    ('{"checks": {"review_vague": {"words": ["提高 "]}}}', "“checks.review_vague.words”应为文本的列表（每项非空、首尾无空格）"),
    ('{"checks": {"review_vague": {"words": [""]}}}', "“checks.review_vague.words”应为文本的列表（每项非空、首尾无空格）"),
    # a mistyped code: its weight would be dropped unseen and the score stay as it was
    ('{"weights": {"review.vage_target": 8}}', "weights 中的“review.vage_target”不是审核问题的代码"),
    # a business rule's code: only a required field left empty counts in the score besides the review (mendAN)
    ('{"weights": {"rule.current_le_total": 8}}', "weights 中的“rule.current_le_total”不是审核问题的代码"),
])
def test_a_bad_review_config_is_a_one_line_usage_error(tmp_path, content, says):
    path = tmp_path / "审核配置.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(says)):
        load_review(review_config=path)
    result = cli("validate", EXAMPLE_XLSX[0], "--review", "--review-config", path)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output
    assert str(path) in result.output


def test_a_review_config_limit_of_zero_is_refused_in_english_at_its_key(tmp_path):
    path = tmp_path / "review.json"
    path.write_text('{"score": {"max_count": 0}}', encoding="utf-8")
    result = cli("validate", EXAMPLE_XLSX[0], "--review", "--review-config", path, "--lang", "en")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}: 'score.max_count' should be a whole number of 1 or more, not 0" in result.output


def test_a_rule_row_cannot_set_a_limit_of_zero_either(tmp_path):
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("review.too_many_rows", params='{"max": 0}'))
    result = cli("validate", EXAMPLE_XLSX[0], "--review", "--rules", rules)
    assert result.exit_code == 2 and "“max”应为大于或等于 1 的整数" in result.output


def test_repeated_words_in_a_review_word_list_are_harmless(tmp_path):
    """A word given twice (a bureau's list pasted together) counts once: accepted quietly, same notices."""
    path = tmp_path / "审核配置.json"
    words = load_review().settings.checks["review_vague"]["words"]
    path.write_text(json.dumps({"checks": {"review_vague": {"words": words + words}}}, ensure_ascii=False),
                    encoding="utf-8")
    plain, doubled = validate(EXAMPLE_XLSX[1], review=True), validate(EXAMPLE_XLSX[1], review=True, review_config=path)
    assert [(p.code, p.cell) for p in doubled.files[0].problems] == [(p.code, p.cell) for p in plain.files[0].problems]
    assert doubled.files[0].review_score == plain.files[0].review_score


# --previous --------------------------------------------------------------------------------------
def test_previous_accepts_workbooks_and_read_trace_json(doc, tmp_path):
    last = _last_year(doc)
    last["indicators"][_index(doc, "政策知晓率")]["value"] = 95
    folder = tmp_path / "上年"
    folder.mkdir()
    fill(last, folder / "上年.xlsx")
    found, _ = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    assert found == [ind_cell(_index(doc, "政策知晓率"), "value")]
    trace = tmp_path / "trace.json"
    trace.write_text(json.dumps({"document": last, "sources": {}}, ensure_ascii=False), encoding="utf-8")
    assert _found(doc, tmp_path, "review.target_below_last_year", previous=[trace])[0] == found


def test_previous_reads_last_years_returns_saved_by_libreoffice_as_ods(doc, tmp_path, lo_convert):
    last = _last_year(doc)
    last["indicators"][_index(doc, "政策知晓率")]["value"] = 95
    fill(last, tmp_path / "上年.xlsx")
    (ods,) = lo_convert(tmp_path / "上年.xlsx", fmt="ods")
    folder = tmp_path / "上年"
    folder.mkdir()
    ods.rename(folder / "上年.ods")
    found, _ = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    assert found == [ind_cell(_index(doc, "政策知晓率"), "value")]


def test_a_bad_previous_file_is_a_located_notice_and_a_missing_path_a_usage_error(tmp_path):
    folder = tmp_path / "上年"
    folder.mkdir()
    (folder / "坏的.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "坏的.json").write_text("[1, 2", encoding="utf-8")
    (folder / "空的.json").write_text("{}", encoding="utf-8")
    report = validate(EXAMPLE_XLSX[0], review=True, previous=[folder])
    assert report.valid
    assert sorted(Path(p.file).name for p in report.previous_problems) == ["坏的.json", "坏的.xlsx", "空的.json"]
    assert all(p.code == "review.previous_unreadable" for p in report.previous_problems)
    result = cli("validate", EXAMPLE_XLSX[0], "--previous", folder, "--format", "json")
    assert result.exit_code == 0
    assert len(json.loads(result.output)["previous_problems"]) == 3
    text = cli("validate", EXAMPLE_XLSX[0], "--previous", folder)
    assert "上年申报中无法使用的文件：3 个" in text.output
    missing = cli("validate", EXAMPLE_XLSX[0], "--previous", tmp_path / "没有")
    assert missing.exit_code == 2 and "找不到上年申报文件或文件夹" in missing.output
    assert "Traceback" not in missing.output


@pytest.mark.parametrize("literal, says", [("NaN", "JSON 中不允许 NaN"), ("Infinity", "JSON 中不允许 Infinity"),
                                           ("-Infinity", "JSON 中不允许 -Infinity"), ("1e400", "数字 1e400 超出范围")])
def test_last_years_json_with_nan_or_infinity_is_refused_as_fill_refuses_it(doc, tmp_path, literal, says):
    """Last year's JSON documents are read by the shared load_document: a number that is not one (valid to Python's
    json module, not to JSON) is a notice locating it, rather than a target of ≥inf% or a silent NaN."""
    i = _index(doc, "政策知晓率")
    last = _last_year(doc)
    last["indicators"][i]["value"] = 12345.5
    folder = tmp_path / "上年"
    folder.mkdir()
    prev = folder / "prev.json"
    prev.write_text(json.dumps(last, ensure_ascii=False).replace("12345.5", literal), encoding="utf-8")
    assert _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])[0] == []
    (p,) = validate(tmp_path / "r.xlsx", review=True, previous=[folder]).previous_problems
    assert p.code == "review.previous_unreadable" and Path(p.file) == prev
    assert f"/indicators/{i}/value：{says}" in p.message and p.value == str(prev)
    result = cli("validate", tmp_path / "r.xlsx", "--review", "--previous", folder, "--format", "json")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert [q["code"] for q in json.loads(result.output)["previous_problems"]] == ["review.previous_unreadable"]
    refused = cli("fill", prev, "-o", tmp_path / "o.xlsx")  # the same file, the same fault, from fill
    assert refused.exit_code == 1 and f"{prev}：/indicators/{i}/value：{says}" in refused.output


def test_last_years_json_that_breaks_the_parser_is_a_notice_not_a_crash(tmp_path):
    folder = tmp_path / "上年"
    folder.mkdir()
    (folder / "深.json").write_text("[" * 200_000, encoding="utf-8")
    (folder / "长.json").write_text('{"year": ' + "9" * 5000 + "}", encoding="utf-8")
    report = validate(EXAMPLE_XLSX[0], review=True, previous=[folder])
    details = {Path(p.file).name: p.message for p in report.previous_problems}
    assert "嵌套层数过多" in details["深.json"] and "/year：数字 99999" in details["长.json"]


def test_last_years_files_with_names_that_are_not_utf8_are_reported_in_every_format(tmp_path):
    """A file name that is not UTF-8 (an archive unpacked with GBK names) among last year's returns: named safely in
    the JSON and CSV reports, which are then written, rather than failing on the name."""
    folder = tmp_path / "上年"
    folder.mkdir()
    with open(os.path.join(os.fsencode(folder), "上年".encode("gbk") + b".json"), "w", encoding="utf-8") as fh:
        fh.write("{}")
    for fmt in ("json", "csv"):
        out = tmp_path / f"report.{fmt}"
        result = cli("validate", EXAMPLE_XLSX[0], "--previous", folder, "--format", fmt, "-o", out)
        assert result.exit_code == 0 and "Traceback" not in result.output, result.output
        text = out.read_text(encoding="utf-8")
        assert "review.previous_unreadable" in text and "上年/上年.json" in text, text[-300:]


# --library ---------------------------------------------------------------------------------------
def test_seed_returns_are_all_in_the_example_library():
    report = validate(EXAMPLE_XLSX, review=True, library=LIBRARY)
    assert not [p for p in report.problems() if p.code == "review.not_in_library"]


def test_library_as_xlsx_and_bad_libraries(tmp_path, doc):
    wb = openpyxl.Workbook()
    ws = wb.active
    with open(LIBRARY, encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            ws.append(row)
    wb.save(tmp_path / "lib.xlsx")
    i = _index(doc, "政策知晓率")
    doc["indicators"][i]["name"] = "政策知晓度"
    assert _found(doc, tmp_path, "review.not_in_library", library=tmp_path / "lib.xlsx")[0] == [ind_cell(i, "name")]
    (tmp_path / "bad.csv").write_text("名称,单位\n政策知晓率,%\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="指标库缺少列 一级、二级、三级"):
        validate(EXAMPLE_XLSX[0], review=True, library=tmp_path / "bad.csv")
    (tmp_path / "blank.csv").write_text("一级,二级,三级\n产出目标,,培训人次\n", encoding="utf-8")
    result = cli("validate", EXAMPLE_XLSX[0], "--library", tmp_path / "blank.csv")
    assert result.exit_code == 2 and "第 2 行" in result.output and "Traceback" not in result.output
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    result = cli("template", "-o", tmp_path / "t.xlsx", "--library", tmp_path / "junk.xlsx")
    assert result.exit_code == 2 and "指标库工作簿无法读取" in result.output


def _openxml_audit(path: Path):
    """The Open XML SDK schema check finds nothing wrong (in this interpreter, as tests/helpers.py runs it: an
    `openxml-audit` found first on PATH may belong to another Python)."""
    assert ooxml_errors(path) == []


def test_template_with_library_offers_a_dropdown_that_accepts_free_text(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = cli("template", "-o", out, "--library", LIBRARY)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb[F.table.name]
    name_col = ind_cell(0, "name")[1].rstrip("0123456789")
    dv = next(d for d in ws.data_validations.dataValidation if str(d.sqref).startswith(name_col))
    assert dv.type == "list" and dv.errorStyle in ("information", "warning")
    assert "xl_lib_level2" in dv.formula1 and ind_cell(0, "level2")[1].rstrip("0123456789") in dv.formula1
    lists = wb[F.lists_sheet]
    columns = {col[0].value: [c.value for c in col[1:] if c.value] for col in lists.iter_cols()}
    level2 = columns["xl_lib_level2"]
    assert "满意度" in level2
    assert "学员满意度" in columns[f"xl_lib_{level2.index('满意度') + 1}"]
    assert xlgoals.read(out).template["framework"] == "shanghai-2020"  # still a template the reader knows
    _openxml_audit(out)


def test_prefilled_templates_with_library(tmp_path):
    result = xlgoals.prefill_templates(EXAMPLES / "projects.csv", tmp_path / "下发", library=LIBRARY)
    assert result.ok and result.written
    ws = openpyxl.load_workbook(result.written[0])[F.table.name]
    assert any("xl_lib_" in (d.formula1 or "") for d in ws.data_validations.dataValidation)


# Reports -----------------------------------------------------------------------------------------
def test_json_csv_and_text_reports_carry_notices_and_scores(tmp_path):
    result = cli("validate", *EXAMPLE_XLSX[:2], "--review", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert [f["review_score"] for f in data["files"]] == [64, 89]
    assert data["summary"]["notices"] == sum(f["notices"] for f in data["files"]) == 13
    notice = next(p for p in data["files"][1]["problems"] if p["code"] == "review.vague_target")
    assert (notice["severity"], notice["sheet"], notice["cell"], notice["path"]) == (
        "notice", F.table.name, ind_cell(11, "text")[1], "/indicators/11/text")
    en = json.loads(cli("validate", EXAMPLE_XLSX[2], "--review", "--format", "json", "--lang", "en").output)
    assert "qualitative" in next(p["message"] for p in en["files"][0]["problems"]
                                 if p["code"] == "review.rate_qualitative")
    rows = list(csv.DictReader(io.StringIO(cli("validate", EXAMPLE_XLSX[1], "--review", "--format", "csv")
                                           .output.lstrip("\ufeff"))))
    assert {r["code"] for r in rows if r["severity"] == "notice"} == {"review.vague_target", "review.unit_mismatch"}
    assert {r["review_score"] for r in rows} == {"89"}
    text = cli("validate", *EXAMPLE_XLSX[:2], "--review").output
    assert "【提示】" in text and "审核得分 64" in text and "审核得分 89" in text and "平均得分 76.5" in text
    assert "提示" not in cli("validate", *EXAMPLE_XLSX[:2]).output  # unchanged without --review


# The seed and the all-faults example -------------------------------------------------------------
def _readme_seed_table():
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    section = text.split("## What the review says about the seed", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (0\d) \| (\S+) \| (review\.\w+) \|", section, re.MULTILINE)
    return sorted((int(t), cell, code) for t, cell, code in rows)


def test_seed_notices_are_exactly_those_listed_in_examples_readme():
    report = validate(EXAMPLE_XLSX, review=True)
    found = sorted((k, f"{p.sheet}!{p.cell}", p.code) for k, f in enumerate(report.files, start=1)
                   for p in f.notices)
    assert found == _readme_seed_table()
    # 信息公开实现率 → 规范: the framework's prefilled row, the bureau's own, in every table and never flagged
    assert not [n for n in found if n[1] == f"{F.table.name}!{ind_cell(8, 'text')[1]}"]


def test_the_all_faults_example_gives_its_expected_notices():
    expected = json.loads((EXAMPLES / "review" / "expected.json").read_text(encoding="utf-8"))
    report = validate(ALL_FAULTS, review=True, previous=[PREVIOUS], library=LIBRARY)
    f = report.files[0]
    assert f.passes(strict=True) and not report.previous_problems
    assert [(p.code, f"{p.sheet}!{p.cell}") for p in f.notices] == [(n["code"], n["cell"]) for n in expected["notices"]]
    assert f.review_score == expected["review_score"]
    # every review check is shown (but review.no_previous, which says last year's return was not found: it is; and
    # review.unfilled and review.unreadable, a return with nothing filled in or nothing readable, then its only
    # notice; review.no_indicators, a goal table with no indicator (tests/test_mendGD.py); and review.framework_unknown, a return whose framework is not loaded, which no review check reaches;
    # and review.copied_between_projects, which needs another project's return in the run: tests/test_mendAR.py;
    # and review.indicator_dropped: the example keeps every indicator of its 上年 return, tests/test_mendDE.py; and
    # review.previous_superseded, last year's return given beside its corrected annotated copy: tests/test_mendEW.py;
    # and review.previous_competing, which needs two differing versions of last year's return: tests/test_mendEY.py)
    codes = {c for c in xlgoals.RuleTable.default().rules if c.startswith("review.")
             and c not in ("review.previous_unreadable", "review.previous_superseded", "review.no_previous",
                           "review.unfilled", "review.unreadable", "review.framework_unknown", "review.no_indicators",
                           "review.copied_between_projects", "review.indicator_dropped", "review.previous_competing")}
    assert {p.code for p in f.notices} == codes
    doc = json.loads((EXAMPLES / "review" / "全部问题.json").read_text(encoding="utf-8"))
    by_doc = xlgoals.validate_document(doc, review=True, previous=[PREVIOUS], library=LIBRARY)
    assert sorted((p.code, p.path) for p in by_doc) == sorted((p.code, p.path) for p in f.notices)


def test_all_faults_workbook_is_what_fill_makes(tmp_path):
    doc = json.loads((EXAMPLES / "review" / "全部问题.json").read_text(encoding="utf-8"))
    assert fill(doc, tmp_path / "x.xlsx").read_bytes() == ALL_FAULTS.read_bytes()


# Consolidate -------------------------------------------------------------------------------------
def test_consolidate_review_sheets_weakest_first(tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", *EXAMPLE_XLSX, ALL_FAULTS, "-o", out, "--review", "--previous", PREVIOUS,
                 "--library", LIBRARY, "--json", tmp_path / "s.json", "--jobs", "2")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb["审核"]
    below = list(ws.iter_rows(min_row=2, values_only=True))
    rows = [r for r in below if isinstance(r[0], int)]
    scores = [r[3] for r in rows]
    assert scores == sorted(scores) and scores[0] == 4 and len(rows) == 6
    # --previous: below the returns, how many found last year's (the note; nothing else below them)
    said = re.search(r"与上年比较：(\d+) 个绩效目标表找到上年申报，(\d+) 个未找到（review.no_previous）。", result.output)
    assert said and int(said[1]) + int(said[2]) == 6, result.output
    assert [r[0] for r in below[len(rows):] if any(v is not None for v in r)] == [said[0]]
    assert rows[0][2] == "职业技能提升行动" and rows[0][5].startswith(f"{F.table.name}!")
    assert "review.low_quantified_share" in rows[0][5] or "review.cost_over_budget" in rows[0][5]
    assert all(isinstance(r[5], str) for r in rows)  # text, never formulas
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    units = wb["审核（按单位）"]
    unit_rows = [r for r in units.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert [r[1] for r in unit_rows] == ["某区就业促进中心", "上海市就业促进中心"]
    assert unit_rows[1][2:5] == (5, 5, 0) and unit_rows[1][6] == round((64 + 89 + 75 + 87 + 79) / 5, 1)
    assert units.auto_filter.ref
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["review"]["rows"][0][3] == 4
    _openxml_audit(out)
    plain = tmp_path / "plain.xlsx"
    xlgoals.consolidate(EXAMPLE_XLSX, plain, jobs=1)
    assert "审核" not in openpyxl.load_workbook(plain).sheetnames


def test_review_sheet_prints_its_note_and_keeps_paths_off_the_page(tmp_path):
    """审核 gives each return's exact name (文件路径字节) last, as every table that names a file; the paths stay off
    the printed page, and the print area that keeps them off still holds the note below the returns (an unprinted
    column once gave the sheet a print area that ended at the last return, and the note did not print)."""
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", *EXAMPLE_XLSX, ALL_FAULTS, "-o", out, "--review", "--previous", PREVIOUS,
                 "--jobs", "1")
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["审核"]
    headers = [c.value for c in ws[1]]
    assert headers[-3:] == ["来源文件", "文件路径", "文件路径字节"]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert {bytes.fromhex(r[-1]) for r in rows} == {os.fsencode(p) for p in [*EXAMPLE_XLSX, ALL_FAULTS]}
    note_row = max(c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "与上年比较" in c.value)
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    first, last = area.split("!")[-1].replace("$", "").split(":")
    last_col = openpyxl.utils.column_index_from_string(last.rstrip("0123456789"))
    assert first == "A1" and headers[last_col - 1] == "来源文件"  # 文件路径 and 文件路径字节 off the page
    assert int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) >= note_row  # the note on it
    _openxml_audit(out)


# Frameworks ------------------------------------------------------------------------------------
def test_shanghai_2025_framework():
    fw = xlgoals.load_framework("shanghai-2025")
    assert fw.level1_names[0] == "成本指标" and "成本指标" in fw.required_level1
    assert fw.level2_of["成本指标"] == ("经济成本指标", "社会成本指标", "生态环境成本指标")
    assert fw.level3_groups["经济成本指标"] == ("总成本指标", "单位成本指标", "分项成本指标")
    assert fw.notes["level1:成本指标"]["status"] == "confirmed"
    assert "level1:产出指标" in fw.assumptions


def test_every_framework_marks_its_assumptions_in_the_file_and_the_readme():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for fw in xlgoals.list_frameworks():
        assert fw.notes and fw.assumptions, fw.id
        for entry in fw.assumptions:
            assert f"`{fw.id}` `{entry}`" in readme, (fw.id, entry)


@pytest.mark.parametrize("change, says", [
    (lambda s: s.update(notes={"level1:没有": {"status": "assumption"}}), "不对应指标体系中的任何条目"),
    (lambda s: s.update(notes={"units": {"status": "maybe"}}), "notes 中“units”应为"),
    (lambda s: s.update(review={"satisfaction": [{"level1": "满意度"}]}), "review.satisfaction"),
    (lambda s: s.update(review={"quantified_level1": ["产出"]}), "review.quantified_level1"),
    (lambda s: s.update(level3_groups={"总成本": ["a"]}), "level3_groups"),
    (lambda s: s.update(extra=1), "未知的键 extra"),
])
def test_framework_notes_and_review_sections_are_checked(tmp_path, change, says):
    spec = json.loads((xlgoals._resources.data_dir("templates") / "shanghai-2025.json").read_text(encoding="utf-8"))
    change(spec)
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "shanghai-2025.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=re.escape(says)):
        xlgoals.FrameworkSet.load(folder)


def test_a_shanghai_2025_return_without_cost_targets_is_an_error(tmp_path):
    doc = json.loads((EXAMPLES / "review" / "全部问题.json").read_text(encoding="utf-8"))
    doc.update(framework="shanghai-2025", year=2025, indicators=[
        {"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "comparator": ">=", "value": 1000, "unit": "人次"},
        {"level1": "效益指标", "level2": "社会效益指标", "name": "就业率", "comparator": ">=", "value": 80, "unit": "%"},
        {"level1": "满意度指标", "level2": "服务对象满意度指标", "name": "学员满意度", "comparator": ">=", "value": 90,
         "unit": "%"}])
    for d in ("start_date", "end_date"):
        doc["project"][d] = doc["project"][d].replace("2021", "2025")
    report = validate_file(fill(doc, tmp_path / "r.xlsx"), review=True)
    assert [p.expected for p in report.errors if p.code == "rule.level1_required"] == ["成本指标"]


def test_library_template_survives_a_libreoffice_round_trip(tmp_path, lo_convert):
    out = xlgoals.write_template(tmp_path / "模板.xlsx", library=LIBRARY)
    (saved,) = lo_convert(out)
    assert xlgoals.read(saved).template["framework"] == "shanghai-2020"
    ws = openpyxl.load_workbook(saved)[F.table.name]
    assert any("xl_lib_" in (d.formula1 or "") for d in ws.data_validations.dataValidation)


# Near-duplicate names: the cheap bounds give difflib's verdict --------------------------------------
from difflib import SequenceMatcher  # noqa: E402

from hypothesis import given, settings, strategies as st  # noqa: E402

from xlgoals._review._text import indicator_key, similar  # noqa: E402

_TEXT = st.text(alphabet="培训人次合格率满意度验收ab （）%", max_size=10)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(_TEXT, _TEXT, st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.75, 0.9, 0.95, 1.0]) | st.floats(0, 1))
def test_similar_is_difflibs_verdict(a, b, threshold):
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    assert similar(a, b, threshold) == (ratio >= threshold)


def _near_duplicates_by_difflib(names, threshold=0.9):
    """Which rows the check flags, by difflib over every earlier row (first match; identical text is not its)."""
    flagged, seen = [], []
    for i, name in enumerate(names):
        key = indicator_key(name)
        for other, other_key in seen:
            if other == name:
                break
            if key == other_key or (key and other_key
                                    and SequenceMatcher(None, key, other_key, autojunk=False).ratio() >= threshold):
                flagged.append(i)
                break
        seen.append((name, key))
    return flagged


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["耗材验收合格率", "耗材验收 合格率（%）", "耗材验收合格率a", "耗材合格率", "培训人次",
                                 "培训人次数", "培训人数", "满意度", "服务对象满意度", "服务对象满意率", "设备验收合格率"])
                | st.text(alphabet="培训人次合格率满意度验收a （%", min_size=1, max_size=9).filter(str.strip),
                min_size=2, max_size=12))
def test_near_duplicate_check_flags_what_difflib_would(names):
    from xlgoals import validate_document

    from .conftest import EXAMPLE_JSON, load

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"] = doc["indicators"][:len(names)]
    for it, name in zip(doc["indicators"], names):
        it["name"] = name
    found = [p.path for p in validate_document(doc, review=True) if p.code == "review.duplicate_name"]
    assert found == [f"/indicators/{i}/name" for i in _near_duplicates_by_difflib(names)]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_TEXT, max_size=25), _TEXT,
       st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.8, 1.0]) | st.floats(0, 1))
def test_the_library_suggests_what_get_close_matches_would(names, word, cutoff):
    """The indexed search gives difflib's answer: same best name, or none, for any names, word and cutoff."""
    from difflib import get_close_matches

    from xlgoals._review._library import _Matcher
    from xlgoals._review._text import canon

    by_key = {canon(n): n for n in names}
    found = get_close_matches(canon(word), list(by_key), n=1, cutoff=cutoff)
    assert _Matcher(names).best(canon(word), cutoff) == (by_key[found[0]] if found else None)


def test_a_library_workbook_whose_table_starts_lower_right_reads_alike(tmp_path):
    """The library's first sheet is read through the returns' screen, from its first filled row and column, as
    calamine's plain read gave it."""
    from xlgoals._review._library import Library

    wb = openpyxl.Workbook()
    ws = wb.active
    with open(LIBRARY, encoding="utf-8-sig") as fh:
        for r, row in enumerate(csv.reader(fh), start=3):
            for c, v in enumerate(row, start=2):
                ws.cell(r, c, v or None)
    wb.save(tmp_path / "lib.xlsx")
    from_csv, from_xlsx = Library.load(LIBRARY), Library.load(tmp_path / "lib.xlsx")
    assert [(e.level1, e.level2, e.name) for e in from_xlsx.entries] == \
        [(e.level1, e.level2, e.name) for e in from_csv.entries]


def test_a_review_sent_to_a_spawned_worker_carries_what_was_loaded():
    """Off Linux, workers are spawned and get the review pickled: what was loaded (last year's returns, read with
    the run's rule table and frameworks; the library; the settings), not paths to load again with the packaged
    ones."""
    import pickle

    review = load_review(previous=[PREVIOUS], library=LIBRARY)
    again = pickle.loads(pickle.dumps(review))
    assert again.previous.docs == review.previous.docs and again.previous.docs
    assert again.library.entries == review.library.entries and again.settings == review.settings


def test_previous_compares_with_the_latest_earlier_year_only(doc, tmp_path):
    """--previous was matched on unit and project alone: this year's own return given again (or next year's in the
    same folder) was taken for last year's, and among several years the file sorting last won.  A return is
    compared with its project's latest year before its own; none of its own year or later."""
    i = _index(doc, "政策知晓率")  # >= 85 this year
    folder = tmp_path / "往年"
    folder.mkdir()
    for year, value, name in ((doc["year"] - 2, 99, "a.json"), (doc["year"] - 1, 90, "z.json"),
                              (doc["year"], 99, "b.json"), (doc["year"] + 1, 99, "c.json")):
        other = copy.deepcopy(doc)
        other["year"] = year
        other["indicators"][i]["value"] = value
        (folder / name).write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    found, report = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    assert found == [ind_cell(i, "value")]
    message = next(p.message for p in report.problems if p.code == "review.target_below_last_year")
    message = message.replace(str(tmp_path), "")  # pytest's folder (pytest-99N/) may hold a 99 too
    assert "90" in message and "99" not in message and "z.json" in message, message
    same = tmp_path / "本年"
    same.mkdir()
    (same / "x.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _, report = _found(doc, tmp_path, "review.narrative_copied", previous=[same])
    assert not [p for p in report.problems if p.code in ("review.narrative_copied", "review.target_below_last_year")]


def test_a_target_the_reader_could_not_take_gets_no_review_notice_too(tmp_path):
    """A rate's target typed as '85%左右' is the reader's warning (cell.target_approximate: a rough figure, read as 85 %);
    the review then flagged the same cell again as a rate with a word for a target (review.rate_qualitative).  One
    problem there: the reader's."""
    from .helpers import edited

    doc = read(EXAMPLE_XLSX[1]).document
    i = _index(doc, "政策知晓率")
    path = edited(EXAMPLE_XLSX[1], tmp_path / "r.xlsx", {ind_cell(i, "target"): "85%左右"})
    report = validate([path], review=True)
    at_cell = [p.code for p in report.problems() if (p.sheet, p.cell) == ind_cell(i, "target")]
    assert at_cell == ["cell.target_approximate"], at_cell


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_review_of_a_self_evaluation_or_monitoring_report_leaves_the_approved_targets_alone(folder):
    """`validate --review` on a self-evaluation or a monitoring report reviewed the approved targets again, locked
    in the form: “请将比较符选为 ＝ ≥ ＞ ≤ ＜ 之一…” at a cell the department cannot change at year end, and a
    review score lowered for targets the bureau itself approved.  Only what the department fills in is
    reviewed (the narrative it writes, 总体目标实际完成情况)."""
    from xlgoals import FORMS, validate

    path = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    report = validate([path], review=True)
    (f,) = report.files
    locked = {form.column(c.key).index for c in form.table.columns if c.locked}
    from xlgoals._form import a1
    locked_cells = {a1(form.table.first_row + i, col) for i in range(200) for col in locked}
    on_locked = [(p.code, p.cell) for p in f.notices if p.sheet == form.table.name and p.cell in locked_cells]
    assert on_locked == [], on_locked
    assert all(not p.code.startswith(("review.vague_target", "review.rate_qualitative")) for p in f.notices)
    if folder == "self-evaluation":
        assert [p.code for p in f.notices] == ["review.narrative_short"], [(p.code, p.cell) for p in f.notices]
        assert f.review_score == 100 - 3
    else:
        assert f.notices == [] and f.review_score == 100


def test_last_years_self_evaluation_beside_its_goal_table_is_not_taken_for_the_goal_table(doc, tmp_path):
    """A bureau points --previous at last year's archive, which holds each project's goal table and its year-end
    self-evaluation (same unit, project and year).  The file sorting last was compared: 自评/ after 目标表/, so the
    self-evaluation's locked targets and its lack of 项目概况 stood for last year's goal table, and the copied
    narrative and the lowered target went unsaid.  Only goal tables are compared; the self-evaluation is listed as
    not used, saying what it is."""
    i = _index(doc, "政策知晓率")
    last = _last_year(doc)
    last["indicators"][i]["value"] = 95
    folder = tmp_path / "上年"
    (folder / "目标表").mkdir(parents=True)
    (folder / "自评").mkdir()
    (folder / "目标表" / "项目.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    evaluation = read(EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx").document
    evaluation.update(year=last["year"], unit=last["unit"], project={"name": last["project"]["name"]})
    (folder / "自评" / "项目.json").write_text(json.dumps(evaluation, ensure_ascii=False), encoding="utf-8")
    found, report = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    assert found == [ind_cell(i, "value")]
    assert [p for p in report.problems if p.code == "review.narrative_copied"]
    review = load_review(previous=[folder])
    (unused,) = review.previous.problems
    assert Path(unused.file).parent.name == "自评"
    assert "是项目支出绩效自评表，与上年比较只用绩效目标表" in unused.message, unused.message


def test_a_library_csv_in_gbk_under_a_title_line_is_read_from_its_header(doc, tmp_path):
    """A bureau's library exported from its own system in GBK, with a title line (and a blank one) above the header:
    it was refused as "指标库缺少列 一级、二级、三级" at line 1, though the columns were all there on line 3.  The
    header is found as a project list's is (the first of the first six lines that names a column, below one-cell
    titles); a line of several cells above it is refused, at its line, as no title."""
    from xlgoals._review._library import Library

    body = LIBRARY.read_text(encoding="utf-8-sig")
    titled = tmp_path / "指标库.csv"
    titled.write_bytes(("某市财政局项目支出绩效指标库（2020年版）,,,,\n,,,,\n" + body).encode("gbk"))
    library = Library.load(titled)
    assert library.entries == Library.load(LIBRARY).entries
    i = _index(doc, "政策知晓率")
    doc["indicators"][i]["name"] = "政策知晓度"
    found, report = _found(doc, tmp_path, "review.not_in_library", library=titled)
    assert found == [ind_cell(i, "name")]
    assert next(p for p in report.problems if p.code == "review.not_in_library").expected == "政策知晓率"
    (tmp_path / "行.csv").write_bytes(("产出目标,数量,培训人次\n" + body).encode("gbk"))
    result = cli("validate", EXAMPLE_XLSX[0], "--review", "--library", tmp_path / "行.csv")
    assert result.exit_code == 2 and "第 1 行" in result.output and "不像标题" in result.output, result.output
    assert "Traceback" not in result.output


def test_last_years_validate_report_or_consolidate_json_given_as_previous_says_what_it_is_not(tmp_path):
    """An IT person points --previous at last year's machine-readable archive: the `validate --format json` report
    and the `consolidate --json` summary.  Each was "缺少申报单位名称或项目名称", as if a return had lost its
    names.  They are said to be no return's JSON document, and what is wanted instead."""
    folder = tmp_path / "上年"
    folder.mkdir()
    assert cli("validate", EXAMPLE_XLSX[0], "--format", "json", "-o", folder / "报告.json").exit_code == 0
    assert cli("consolidate", EXAMPLE_XLSX[0], "-o", tmp_path / "汇总.xlsx", "--json", folder / "汇总.json",
               "--no-progress").exit_code == 0
    problems = load_review(previous=[folder]).previous.problems
    assert sorted(Path(p.file).name for p in problems) == ["报告.json", "汇总.json"]
    for p in problems:
        assert "不是一份申报的 JSON 文档（应为 xlgoals read 的输出" in p.message, p.message
        assert "缺少申报单位名称" not in p.message


def test_a_comparison_with_a_return_two_years_back_names_its_year_not_last_year(doc, tmp_path):
    """Last year's return is missing and the one of two years back is compared (the latest earlier year given): the
    notices said "比上年同一指标" and "与上年申报的内容完全相同" of a file two years old.  They name its year; with
    last year's return they still say 上年."""
    i = _index(doc, "政策知晓率")
    older = copy.deepcopy(doc)
    older["year"] = doc["year"] - 2
    older["indicators"][i]["value"] = 95
    folder = _prev_file(tmp_path, older)
    _, report = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    year = doc["year"] - 2
    below = next(p for p in report.problems if p.code == "review.target_below_last_year")
    assert f"比{year}年同一指标的" in below.message and "上年同一" not in below.message, below.message
    assert f"{year}'s" in below.message_en and "last year" not in below.message_en, below.message_en
    copied = next(p for p in report.problems if p.code == "review.narrative_copied")
    assert f"与{year}年申报的内容完全相同" in copied.message, copied.message
    older["year"] = doc["year"] - 1
    folder = _prev_file(tmp_path, older)
    _, report = _found(doc, tmp_path, "review.target_below_last_year", previous=[folder])
    below = next(p for p in report.problems if p.code == "review.target_below_last_year")
    assert "比上年同一指标的" in below.message and "last year's" in below.message_en


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_consolidate_review_of_self_evaluations_and_monitoring_reports_has_its_sheets(tmp_path, folder):
    # the review scores these forms' narratives (validate --review gives each a score): consolidate --review must not
    # drop the scores from the summary, as it did (no 审核 sheet, table or JSON key for these forms)
    returns = sorted((EXAMPLES / folder).glob("*.xlsx"))
    report = validate(returns, review=True, jobs=1)
    scores = {str(f.path): f.review_score for f in report.files}
    assert all(s is not None for s in scores.values())
    out = tmp_path / "s.xlsx"
    xlgoals.consolidate(returns, out, review=True, jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    wb = openpyxl.load_workbook(out)
    assert "审核" in wb.sheetnames and "审核（按单位）" in wb.sheetnames, wb.sheetnames
    rows = [r for r in wb["审核"].iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert {r[11]: r[3] for r in rows} == scores
    assert [r[3] for r in rows] == sorted(scores.values())
    assert rows[0][1] == "上海市就业促进中心" and rows[0][2]  # unit and project named
    unit_rows = list(wb["审核（按单位）"].iter_rows(min_row=2, values_only=True))
    assert unit_rows[0][1] == "上海市就业促进中心" and unit_rows[0][2] == len(returns)
    assert (tmp_path / "csv" / "审核.csv").exists()
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert sorted(r[3] for r in data["review"]["rows"]) == sorted(scores.values())
    _openxml_audit(out)
    plain = tmp_path / "plain.xlsx"
    xlgoals.consolidate(returns, plain, jobs=1)
    assert "审核" not in openpyxl.load_workbook(plain).sheetnames


def test_review_gives_every_form_its_review_sheets_even_with_no_return_scored(tmp_path):
    # consolidate --review of returns none of which could be scored (all unreadable): the goal-table summary had no
    # 审核 sheets (nor 审核.csv, so yesterday's was removed) where the self-evaluation's and monitoring's had them
    bad = tmp_path / "in" / "坏.xlsx"
    bad.parent.mkdir()
    bad.write_bytes(b"not a workbook")
    out = tmp_path / "s.xlsx"
    xlgoals.consolidate([bad.parent], out, jobs=1, csv_dir=tmp_path / "csv", review=True)
    assert {"审核", "审核（按单位）"} <= set(openpyxl.load_workbook(out).sheetnames)
    assert (tmp_path / "csv" / "审核.csv").exists()


# An explicit review=False wins over the review's inputs -----------------------------------------
def test_explicit_review_false_wins_over_inputs(tmp_path):
    """review=False said outright is obeyed though previous= / library= are given (the default, None, lets an
    input given turn the review on); through the public API, for validate, validate_file, validate_document and
    consolidate."""
    folder = tmp_path / "上年"
    folder.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], folder / "上年.xlsx")
    off = xlgoals.validate(EXAMPLE_XLSX[0], review=False, previous=[folder], library=LIBRARY)
    assert off.review is False and off.files[0].review_score is None and not off.files[0].notices
    on = xlgoals.validate(EXAMPLE_XLSX[0], previous=[folder], library=LIBRARY)  # not said: the inputs turn it on
    assert on.review is True and on.files[0].review_score is not None
    f = xlgoals.validate_file(EXAMPLE_XLSX[0], review=False, library=LIBRARY)
    assert f.review_score is None and not f.notices
    assert xlgoals.validate_file(EXAMPLE_XLSX[0], library=LIBRARY).review_score is not None
    doc = xlgoals.read(EXAMPLE_XLSX[0]).document
    assert not [p for p in xlgoals.validate_document(doc, review=False, library=LIBRARY) if p.severity == "notice"]
    assert [p for p in xlgoals.validate_document(doc, library=LIBRARY) if p.severity == "notice"]
    res = xlgoals.consolidate([EXAMPLE_XLSX[0]], tmp_path / "汇总.xlsx", jobs=1, review=False, library=LIBRARY)
    assert "审核" not in openpyxl.load_workbook(res.path if hasattr(res, "path") else tmp_path / "汇总.xlsx").sheetnames


# A blank return is not scored ------------------------------------------------------------------
def _blank_returns(tmp_path):
    """A blank goal table template, and a self-evaluation and a monitoring report as issued (nothing filled)."""
    gt = xlgoals.write_template(tmp_path / "空白目标表.xlsx")
    (se,) = xlgoals.self_evaluation_templates([EXAMPLE_XLSX[0]], tmp_path / "自评").written
    (mon,) = xlgoals.monitoring_templates([EXAMPLE_XLSX[0]], tmp_path / "监控", month=6).written
    return [Path(gt), Path(se), Path(mon)]


def test_blank_return_is_not_scored(tmp_path):
    """A return with nothing the review reads filled in (indicators' entries, narratives) is not rated 100: its
    review_score is None and its one review notice, review.unfilled, says so (weight 0; other review notices,
    such as review.no_previous on its blank name, are not given); said alike on the terminal and in JSON; a
    filled monitoring report and self-evaluation are still scored."""
    blanks = _blank_returns(tmp_path)
    report = xlgoals.validate(blanks, review=True)
    for f in report.files:
        assert f.review_score is None, (f.form, f.review_score)
        assert [p.code for p in f.notices] == ["review.unfilled"], (f.form, [p.code for p in f.notices])
        (p,) = f.notices
        assert "未评分" in p.message and p.sheet and p.cell
        assert "not scored" in p.message_en
    assert {f.form for f in report.files} == {"goal-table", "self-evaluation", "monitoring"}
    filled = xlgoals.validate([EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx",
                               next((EXAMPLES / "self-evaluation").glob("01_*.xlsx"))], review=True)
    assert all(isinstance(f.review_score, int) for f in filled.files)
    text = cli("validate", "--review", *blanks).stdout
    assert text.count("审核未评分（未填写）") == 3 and "审核得分 100" not in text
    data = json.loads(cli("validate", "--review", "--format", "json", *blanks).stdout)
    assert [f["review_score"] for f in data["files"]] == [None, None, None]
    assert [f["review_unscored"] for f in data["files"]] == ["unfilled"] * 3  # why, for a script
    assert all([p["code"] for p in f["problems"] if p["severity"] == "notice"] == ["review.unfilled"]
               for f in data["files"])


def test_blank_return_in_review_sheet(tmp_path):
    """consolidate --review lists a blank return in 审核 first (weakest), its score empty and 主要提示一 saying it was
    not filled in and not scored; it counts in no unit's mean."""
    (tmp_path / "收到").mkdir()
    gt = xlgoals.write_template(tmp_path / "收到" / "空白目标表.xlsx")
    shutil.copy(EXAMPLE_XLSX[0], tmp_path / "收到" / "01.xlsx")
    out = tmp_path / "汇总.xlsx"
    xlgoals.consolidate([tmp_path / "收到"], out, jobs=1, review=True)
    ws = openpyxl.load_workbook(out)["审核"]
    rows = [[c.value for c in r] for r in ws.iter_rows() if isinstance(r[0].value, int)]
    assert len(rows) == 2
    head = [c.value for c in next(r for r in ws.iter_rows() if r[0].value and str(r[0].value).startswith("排名"))]
    first = dict(zip(head, rows[0]))
    assert first["来源文件"] == Path(gt).name and first["审核得分"] is None
    assert "未评分" in first["主要提示一"] and "review.unfilled" in first["主要提示一"]
    assert isinstance(dict(zip(head, rows[1]))["审核得分"], int)


# A figure typed as a qualitative target --------------------------------------------------------
@pytest.mark.parametrize("text, number, unit", [("≥90%", "90", "%"), ("≥ 90 %", "90", "%"), ("不低于95%", "95", "%"),
                                                ("90%以上", "90", "%"), ("达到 3 个", "3", "个"), ("95%", "95", "%"),
                                                ("≤5个工作日", "5", "个工作日"), (">=98", "98", ""),
                                                ("≤30日内", "30", "日"), ("3天内", "3", "天"),
                                                # approximate, end punctuation, 以上（含）, thousands separators
                                                ("≥90%左右", "90", "%"), ("90%。", "90", "%"), ("≥85%；", "85", "%"),
                                                ("95%以上（含）", "95", "%"), ("95%以上(含本数)", "95", "%"),
                                                ("≥1,000人", "1000", "人"), ("不少于1，200人次", "1200", "人次"),
                                                ("≥12,500.5万元", "12500.5", "万元"),
                                                # the seed's and the examples' own: =100%, 100%, ≥85%
                                                ("=100%", "100", "%"), ("100%", "100", "%"), ("＞90％", "90", "%"),
                                                ("不低于90%（含90%）", "90", "%"), ("90%（含）以上", "90", "%"),
                                                ("1000人以上", "1000", "人"), ("达到95%左右。", "95", "%")])
def test_figure_as_qualitative_target(doc, tmp_path, text, number, unit):
    """A 定性 row whose target is a figure (≥ 90 %, 不低于 95 %, 90 % 以上, a bare 95 %) cannot be assessed as a
    number: review.figure_qualitative at its target, saying the number and the unit to move into their columns;
    on a row named as a quantity (…率) the same slip is that one notice, not review.rate_qualitative too."""
    i = _index(doc, "调查有效性")
    doc["indicators"][i].update(comparator="qualitative", text=text)
    doc["indicators"][i].pop("value", None), doc["indicators"][i].pop("unit", None)
    found, report = _found(doc, tmp_path, "review.figure_qualitative")
    assert found == [ind_cell(i, "text")]
    (p,) = [p for p in report.problems if p.code == "review.figure_qualitative"]
    assert f"目标值填 {number}" in p.message and (f"“{unit}”" in p.message if unit else "计量单位" not in p.message)
    assert not [q for q in report.problems if q.code in ("review.vague_target", "review.rate_qualitative")
                and q.cell == p.cell]
    doc["indicators"][i]["name"] = "调查有效率"  # a quantity's name: still one notice for one slip
    found, report = _found(doc, tmp_path, "review.figure_qualitative")
    assert found == [ind_cell(i, "text")]
    assert not [q for q in report.problems if q.code == "review.rate_qualitative" and q.cell == p.cell]


@pytest.mark.parametrize("text", ["2021年12月底前完成", "12月底前", "安全运抵上海", "1次", "2021年", "全年无重大事故",
                                  "较上年提高5个百分点",
                                  # a year, a month or a day is a date, not a figure with a unit (年底, 月底)
                                  "达到2021年底", "达到2021年", "2021年底前", "不晚于2021年底", "达到12月底",
                                  "6月底前完成", "9月底前完成", "圆满举办2次交接仪式，国外举办2次展台，宣传媒体上线运行",
                                  "1,000", "2021年内", "2021年以前完成"])
def test_figure_as_qualitative_leaves_qualitative_targets(doc, tmp_path, text):
    """A date, a count said without a comparator, a text with a figure in it: not a figure to move."""
    i = _index(doc, "调查有效性")
    doc["indicators"][i].update(comparator="qualitative", text=text)
    doc["indicators"][i].pop("value", None), doc["indicators"][i].pop("unit", None)
    assert _found(doc, tmp_path, "review.figure_qualitative")[0] == []


def test_figure_as_qualitative_words_are_data(doc, tmp_path):
    """The comparator words and the units said alone are review.json's (a bureau's overlay changes them)."""
    i = _index(doc, "调查有效性")
    doc["indicators"][i].update(comparator="qualitative", text="争取95%")
    doc["indicators"][i].pop("value", None), doc["indicators"][i].pop("unit", None)
    assert _found(doc, tmp_path, "review.figure_qualitative")[0] == []
    overlay = tmp_path / "审核.json"
    overlay.write_text(json.dumps({"checks": {"review_figure_qualitative": {"prefixes": ["争取"]}}}), encoding="utf-8")
    assert _found(doc, tmp_path, "review.figure_qualitative", review_config=overlay)[0] == [ind_cell(i, "text")]


def test_figure_as_qualitative_unit_hint_is_data_in_both_languages(doc, tmp_path):
    """The words saying which unit to move into 计量单位 are review.json's (unit_hint, unit_hint_en, {unit} standing
    for the unit found), so a bureau rewords them with --review-config or a rule row's params, in Chinese and in
    English; a figure without a unit gets no hint at all, and a hint without {unit} is written as given."""
    i = _index(doc, "调查有效性")
    doc["indicators"][i].update(comparator="qualitative", text="≥90%")
    doc["indicators"][i].pop("value", None), doc["indicators"][i].pop("unit", None)

    def said(**kw):
        (p,) = [p for p in _review(doc, tmp_path, **kw).problems if p.code == "review.figure_qualitative"]
        return p.message, p.message_en

    zh, en = said()
    assert zh.endswith("目标值填 90，计量单位填“%”") and en.endswith("give 90 as the target and '%' as its unit")
    overlay = tmp_path / "审核.json"
    overlay.write_text(json.dumps({"checks": {"review_figure_qualitative": {
        "unit_hint": "，单位栏填写 {unit}", "unit_hint_en": ", with {unit} in the unit column"}}}), encoding="utf-8")
    zh, en = said(review_config=overlay)
    assert zh.endswith("目标值填 90，单位栏填写 %") and en.endswith("give 90 as the target, with % in the unit column")
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule(
        "review.figure_qualitative", params=json.dumps({"unit_hint": "（单位 {unit}）", "unit_hint_en": " (unit {unit})"},
                                                       ensure_ascii=False)))
    zh, en = said(rules=rules)
    assert zh.endswith("目标值填 90（单位 %）") and en.endswith("give 90 as the target (unit %)")
    doc["indicators"][i]["text"] = ">=98"
    zh, en = said(rules=rules)
    assert zh.endswith("目标值填 98") and en.endswith("give 98 as the target")


# A return whose only entries could not be read is not called unfilled ----------------------------
def _unread_returns(tmp_path):
    """A blank goal table whose department filled in one thing the reader could not take: 项目概况 showing an error
    value (#REF!), or one target typed in Chinese numerals, “一百” (“85%左右” was one, until a rough figure became a
    warning read as the number: mendBX)."""
    gt = xlgoals.write_template(tmp_path / "空白目标表.xlsx")
    n = len(read(gt).document["indicators"])  # the rows the framework prefills
    wb = openpyxl.load_workbook(gt)
    sheet, ref = info_cell("/project/overview")
    wb[sheet][ref].value, wb[sheet][ref].data_type = "#REF!", "e"
    wb.save(tmp_path / "错误值.xlsx")
    from .helpers import edited

    target = edited(gt, tmp_path / "目标值.xlsx", {ind_cell(n, "target"): "一百"})
    return [tmp_path / "错误值.xlsx", target], [info_cell("/project/overview"), ind_cell(n, "target")]


def test_a_return_whose_only_entries_could_not_be_read_is_not_reviewed_nor_called_unfilled(tmp_path):
    """What the department filled in was all unreadable (read errors): the review has nothing to rate, yet the return
    is not blank.  Not review.unfilled (“未填写” beside the read error at the very cell), nor a perfect 100 from a row
    whose one target could not be read: review.unreadable, at the first such cell, saying the review could not be
    made because of the read errors; not scored; said alike on the terminal and in JSON."""
    paths, cells = _unread_returns(tmp_path)
    report = xlgoals.validate(paths, review=True)
    at = {path.name: cell for path, cell in zip(paths, cells)}
    assert sorted(Path(f.path).name for f in report.files) == sorted(at)
    for f in report.files:
        cell = at[Path(f.path).name]
        assert f.review_score is None, (f.path, f.review_score)
        assert [p.code for p in f.notices] == ["review.unreadable"], [p.code for p in f.notices]
        (p,) = f.notices
        assert (p.sheet, p.cell) == cell
        assert any(q.is_error and (q.sheet, q.cell) == cell for q in f.problems)  # the read error it points to
        assert "无法读取" in p.message and "未评分" in p.message and "未填写" not in p.message
        assert "could not be read" in p.message_en and "not scored" in p.message_en
    text = cli("validate", "--review", *paths).stdout
    assert text.count("审核未评分（填写的内容无法读取）") == 2 and "（未填写）" not in text and "审核得分 100" not in text
    assert "另有 2 个文件填写的内容无法读取，未评分" in text
    data = json.loads(cli("validate", "--review", "--format", "json", *paths).stdout)
    assert [f["review_score"] for f in data["files"]] == [None, None]
    assert [f["review_unscored"] for f in data["files"]] == ["unreadable", "unreadable"]
    # a return with something read besides an unreadable cell is reviewed and scored as before
    doc = read(EXAMPLE_XLSX[1]).document
    from .helpers import edited

    mixed = edited(EXAMPLE_XLSX[1], tmp_path / "部分.xlsx", {ind_cell(_index(doc, "政策知晓率"), "target"): "85%左右"})
    (f,) = xlgoals.validate([mixed], review=True).files
    assert isinstance(f.review_score, int) and not [p for p in f.notices if p.code in ("review.unreadable",
                                                                                       "review.unfilled")]


# 审核（按单位） counts every return received -----------------------------------------------------------
def test_review_by_unit_counts_every_return_received_and_says_why_some_are_not_scored(tmp_path):
    """审核（按单位）'s 申报数 is every return received from the unit: those scored, and apart, those not scored and why
    (未填写, 填写的内容无法读取, 重复申报, 文件无法读取), so that the column adds up to the files received, which the
    note below says; the averages are of the scored returns only; a unit with none scored comes last, its average
    empty.  Checked in the workbook, in the JSON and in the CSV alike."""
    received = tmp_path / "收到"
    received.mkdir()
    unit = "上海市就业促进中心"
    shutil.copy(EXAMPLE_XLSX[0], received / "01.xlsx")
    shutil.copy(EXAMPLE_XLSX[1], received / "02.xlsx")
    shutil.copy(EXAMPLE_XLSX[0], received / "01副本.xlsx")  # the same return twice: one is a superseded duplicate
    paths, _ = _unread_returns(tmp_path)
    blank = xlgoals.write_template(tmp_path / "空白.xlsx")
    for src, name, project in ((blank, "空白.xlsx", "项目甲"), (paths[0], "错误值.xlsx", "项目乙")):
        wb = openpyxl.load_workbook(src)
        for path, value in (("/unit", unit), ("/project/name", project)):
            sheet, ref = info_cell(path)
            wb[sheet][ref].value = value
        wb.save(received / name)
    (received / "坏.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "汇总.xlsx"
    result = xlgoals.consolidate([received], out, jobs=1, review=True, json_path=tmp_path / "s.json",
                                 csv_dir=tmp_path / "csv")
    assert len(result.records) == 6
    ws = openpyxl.load_workbook(out)["审核（按单位）"]
    head = [c.value for c in ws[1]]
    assert head[:6] == ["排名（平均分从低到高）", "申报单位", "申报数", "已评分", "未评分", "未评分原因"]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    by_unit = {r["申报单位"]: r for r in rows}
    assert sum(r["申报数"] for r in rows) == 6
    assert all(r["申报数"] == r["已评分"] + r["未评分"] for r in rows)
    ours = by_unit[unit]
    assert (ours["申报数"], ours["已评分"], ours["未评分"]) == (5, 2, 3)
    assert ours["未评分原因"] == "未填写 1；填写的内容无法读取 1；重复申报 1"
    scores = [xlgoals.validate_file(p, review=True).review_score for p in EXAMPLE_XLSX[:2]]
    assert ours["平均得分"] == round(sum(scores) / 2, 1) and ours["最低得分"] == min(scores)
    assert rows[-1]["未评分原因"] == "文件无法读取 1" and rows[-1]["平均得分"] is None and rows[-1]["申报数"] == 1
    note = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("共收到")]
    assert note == ["共收到 6 个文件：已评分 2 个，未评分 4 个（未填写 1 个，填写的内容无法读取 1 个，重复申报 1 个，"
                    "文件无法读取 1 个）。"]
    returns = openpyxl.load_workbook(out)["审核"]
    listed = [r for r in returns.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert any("review.unreadable" in (r[5] or "") for r in listed)
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert sum(r[2] for r in data["review_units"]["rows"]) == 6
    with open(tmp_path / "csv" / "审核（按单位）.csv", encoding="utf-8-sig") as fh:
        assert sum(int(r["申报数"]) for r in csv.DictReader(fh)) == 6
    _openxml_audit(out)


def test_the_json_report_says_why_a_return_has_no_review_score(tmp_path):
    """validate --review --format json: review_unscored is null for a return scored, and "not_reviewed" for one the
    review could not run on (a file that is no workbook), beside "unfilled" and "unreadable" above."""
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a zip")
    data = json.loads(cli("validate", "--review", "--format", "json", str(EXAMPLE_XLSX[0]), str(broken)).stdout)
    got = {Path(f["path"]).name: (f["review_score"], f["review_unscored"]) for f in data["files"]}
    assert isinstance(got[EXAMPLE_XLSX[0].name][0], int) and got[EXAMPLE_XLSX[0].name][1] is None
    assert got["坏.xlsx"] == (None, "not_reviewed")
    plain = json.loads(cli("validate", "--format", "json", str(EXAMPLE_XLSX[0])).stdout)
    assert "review_unscored" not in plain["files"][0]  # without --review, no review fields at all


@pytest.mark.parametrize("example", sorted((Path(__file__).parent.parent / "examples" / "self-evaluation").glob("0*.json")),
                         ids=lambda p: p.name[:2])
def test_a_self_evaluation_document_is_reviewed_as_its_workbook(example):
    """validate_document reviews what the department fills in, as validate_file of the same return does: the
    approved targets the form locks are not the department's to improve now (no review.vague_target on them)."""
    import json

    from xlgoals import FORMS, validate_document, validate_file

    doc = json.loads(example.read_text(encoding="utf-8"))
    form = FORMS[doc["form"]]
    from_doc = validate_document(doc, review=True)
    from_file = validate_file(example.with_suffix(".xlsx"), review=True).problems
    assert not [(p.code, p.path) for p in from_doc if p.code.startswith("review.") and form.locked_at(p.path)]
    assert sorted((p.code, p.path) for p in from_doc if p.code.startswith("review.")) == \
        sorted((p.code, p.path) for p in from_file if p.code.startswith("review."))
