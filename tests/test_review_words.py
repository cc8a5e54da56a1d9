"""目标审核 reading targets as departments write them: a remark in brackets beside a figure, a time limit in months
(≤6月) against a date (12月底前), a unit that is no unit, and a count or rate given without its 计量单位."""

import copy
import json

import openpyxl
import pytest

from xlgoals import read, validate, validate_document, validate_file
from xlgoals import fill

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, cli
from .helpers import F, ind_cell


def _index(doc, name):
    return next(i for i, it in enumerate(doc["indicators"]) if it["name"] == name)


def _qualitative(doc, name, text):
    """The row `name` made a 定性 row whose target is `text` (its number and unit gone)."""
    i = _index(doc, name)
    doc["indicators"][i].update(comparator="qualitative", text=text)
    doc["indicators"][i].pop("value", None), doc["indicators"][i].pop("unit", None)
    return i


def _notices(doc, code):
    return [p for p in validate_document(doc, review=True) if p.code == code]


# 1. A remark in brackets beside a figure ------------------------------------------------------
@pytest.mark.parametrize("text", ["≥90%（抽查）", "≥90%(抽查)", "≥90%（以实际为准）", "≥90%(暂定)", "≥ 90 %（抽查）。",
                                  "≥90% （抽查）", "90%以上（抽查）", "90%（抽查）以上", "≥90%【暂定】", "（暂定）≥90%",
                                  "≥90%（抽查）左右", "不低于90%（含）（抽查）"])
def test_a_figure_with_a_remark_in_brackets_is_a_figure(doc, text):
    """≥90%（抽查）: the remark says how the figure is checked, not another figure; the target is ≥ 90 %, typed
    as words on a 定性 row.  Only （含…） was set aside before, so these were read as no figure at all."""
    i = _qualitative(doc, "调查有效性", text)
    (p,) = _notices(doc, "review.figure_qualitative")
    assert p.path == f"/indicators/{i}/text"
    assert p.message.endswith("目标值填 90，计量单位填“%”"), p.message
    assert p.message_en.endswith("give 90 as the target and '%' as its unit"), p.message_en


@pytest.mark.parametrize("text", ["≥90%（其中A类≥95%）", "≥90%（A类95%）", "≥90%(2021年为85%)", "（2021年85%）≥90%"])
def test_a_bracket_holding_a_second_figure_is_not_set_aside(doc, text):
    """≥90%（其中A类≥95%） holds two targets: moving 90 % into the number columns would lose the second, so the
    review does not call it one figure (the bracket is set aside only when it holds no figure, or says 含…)."""
    i = _qualitative(doc, "调查有效性", text)
    assert _notices(doc, "review.figure_qualitative") == []
    assert [p for p in _notices(doc, "review.vague_target") if p.path == f"/indicators/{i}/text"] == []


# 2. A time limit in months, days, years is a figure; a date is not ------------------------------
@pytest.mark.parametrize("text, number, unit", [("≤6月", "6", "月"), ("6月以内", "6", "月"), ("≤18月", "18", "月"),
                                                ("6个月内", "6", "个月"), ("≤3年", "3", "年"), ("≤30天", "30", "天"),
                                                ("≤15个工作日", "15", "个工作日"), ("30日内", "30", "日"),
                                                ("不超过6月", "6", "月"), ("≥6月（暂定）", "6", "月")])
def test_a_time_limit_is_a_figure(doc, text, number, unit):
    """≤6月 is “within six months”, as ≤6个月 and ≤30天 are: a time limit typed as words on a 定性 row.  It was
    read as a date (a unit opening with 月 was one), so the row was passed over."""
    _qualitative(doc, "就业补贴及时性", text)
    (p,) = _notices(doc, "review.figure_qualitative")
    assert p.message.endswith(f"目标值填 {number}，计量单位填“{unit}”"), p.message


@pytest.mark.parametrize("text", ["12月底前", "≤12月底", "2020年12月31日前", "6月前", "6月前完成", "≤12月份", "12月末",
                                  "≤6月上旬", "不晚于6月底", "2021年6月", "≤2021年", "≤2020.12.31", "2020.12.31前",
                                  "≤15日前", "≤5号"])
def test_a_date_is_not_a_figure(doc, text):
    """12月底前, 2020年12月31日前, 6月前 say when, not how much: not a figure to move into the number columns."""
    _qualitative(doc, "就业补贴及时性", text)
    assert _notices(doc, "review.figure_qualitative") == []


# 3. What is said after a figure must be a unit to be called one ------------------------------------
@pytest.mark.parametrize("text", ["≥90%，抽查", "达到90%满意", "≥90%/年度"])
def test_words_after_a_figure_are_not_named_as_its_unit(doc, text):
    """≥90%，抽查 was read as 90 with the unit “%,抽查” (four characters), and the notice told the department to
    type “%,抽查” into 计量单位.  A unit is % or ‰, or letters and ideographs (人, 万元, km/h), never punctuation
    nor % with words after it."""
    _qualitative(doc, "调查有效性", text)
    for p in _notices(doc, "review.figure_qualitative"):
        assert "抽查" not in p.message.split("目标值填", 1)[1] and "满意”" not in p.message, p.message
        assert "年度”" not in p.message, p.message


# 4. A count or a rate without its unit ------------------------------------------------------------
def test_the_seeds_counts_without_a_unit_are_noticed_at_the_unit_cell():
    """国内展品 =800 and 国外展品 =200 (the seed's 01, under 产出目标/数量): 800 of what? The 计量单位 cell is
    empty, so the target cannot be compared or summed with anyone's.  A notice at that cell, in Chinese."""
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    found = _notices(doc, "review.unit_missing")
    rows = [_index(doc, "国内展品"), _index(doc, "国外展品")]
    assert [p.path for p in found] == [f"/indicators/{i}/unit" for i in rows]
    p = found[0]
    assert p.severity == "notice" and "国内展品" in p.message and "800" in p.message and "计量单位" in p.message
    assert "数量" in p.message and "unit" in p.message_en and "800" in p.message_en


def test_a_rate_without_a_unit_is_noticed_and_one_with_its_unit_is_not(doc):
    """政策知晓率 ≥ 85 with no unit: 85 what? (a rate's unit is %).  With its %, nothing; a 定性 row, a row with
    a unit, a name that is no quantity (…情况, under 质量) and the framework's prefilled rows are left alone."""
    assert _notices(doc, "review.unit_missing") == []  # the seed's 02: every quantitative row has its unit
    i = _index(doc, "政策知晓率")
    doc["indicators"][i].pop("unit")
    j = _index(doc, "补贴发放准确情况")
    doc["indicators"][j].pop("unit")
    (p,) = _notices(doc, "review.unit_missing")
    assert p.path == f"/indicators/{i}/unit" and "政策知晓率" in p.message and "“率”" in p.message, p.message


@pytest.mark.parametrize("name", ["综合系数", "价格指数", "增长倍数"])
def test_a_ratio_or_index_needs_no_unit(doc, name):
    """A 系数, 指数 or 倍数 is a pure number: no unit is missing."""
    i = _index(doc, "政策知晓率")
    doc["indicators"][i].update(name=name)
    doc["indicators"][i].pop("unit")
    assert _notices(doc, "review.unit_missing") == []


@pytest.mark.parametrize("name, noticed", [("综合系数", False), ("价格指数", False), ("示范基地", True)])
def test_a_ratio_or_index_under_a_count_category_needs_no_unit(doc, name, noticed):
    """Under 数量 a row names a count (示范基地 =3: 3 of what?), but a 系数 or 指数 there is still a pure number."""
    doc["indicators"].append({"level1": "产出目标", "level2": "数量", "name": name, "comparator": ">=", "value": 3})
    i = len(doc["indicators"]) - 1
    assert [p.path for p in _notices(doc, "review.unit_missing")] == ([f"/indicators/{i}/unit"] if noticed else [])


def test_unit_missing_words_are_data(doc, tmp_path):
    """The name endings and the 二级 categories are review.json's: a bureau's overlay changes them."""
    i = _index(doc, "政策知晓率")
    doc["indicators"][i].pop("unit")
    overlay = tmp_path / "审核.json"
    overlay.write_text(json.dumps({"checks": {"review_unit_missing": {"suffixes": ["人数"]}}}), encoding="utf-8")
    assert [p.code for p in validate_document(doc, review=True, review_config=overlay)
            if p.code == "review.unit_missing"] == []


def test_unit_missing_is_located_and_annotated_in_the_workbook(doc, tmp_path):
    """In a return: the notice stands at the 计量单位 cell, and the annotated copy (validate --review --annotate,
    for a return failing on another cell) carries it there as a comment, in Chinese, beside a remark-bracketed
    figure's notice at its target."""
    i = _index(doc, "政策知晓率")
    doc["indicators"][i].pop("unit")
    k = _qualitative(doc, "调查有效性", "≥90%（抽查）")
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1  # an error elsewhere: the copy is made for failing files
    path = fill(doc, tmp_path / "r.xlsx", force=True)
    report = validate_file(path, review=True)
    at = {(p.code, p.sheet, p.cell) for p in report.problems}
    assert ("review.unit_missing", *ind_cell(i, "unit")) in at
    assert ("review.figure_qualitative", *ind_cell(k, "text")) in at
    out = tmp_path / "标注"
    result = cli("validate", path, "--review", "--annotate", out)
    assert result.exit_code == 1, result.output
    (copy_,) = list(out.iterdir())
    wb = openpyxl.load_workbook(copy_)
    sheet, ref = ind_cell(i, "unit")
    comment = wb[sheet][ref].comment
    assert comment is not None and "[提示]" in comment.text and "政策知晓率" in comment.text and "计量单位" in comment.text
    sheet, ref = ind_cell(k, "text")
    assert "目标值填 90，计量单位填“%”" in wb[sheet][ref].comment.text
    listing = [[c.value for c in row] for row in wb["问题清单"].iter_rows(min_row=2)]
    (row,) = [r for r in listing if r[8] == "review.unit_missing"]
    assert (row[1], row[2], row[3]) == ("提示", *ind_cell(i, "unit")), row


# 3. A count measured in percent ---------------------------------------------------------------------
def test_a_count_in_percent_is_noticed_at_its_unit(doc):
    """The seed's 02: 享受职业技能补贴人数 ≥ 90 %.  A number of people cannot be 90 %: either a share is meant (and
    the name should say so: …比例, …覆盖率) or a count (in 人).  The review said nothing of it."""
    i = _index(doc, "享受职业技能补贴人数")
    found = _notices(doc, "review.unit_mismatch")
    assert [p.path for p in found] == [f"/indicators/{i}/unit"]
    (p,) = found
    assert p.severity == "notice" and p.value == "%"
    assert "享受职业技能补贴人数" in p.message and "“人数”" in p.message and "≥90%" in p.message, p.message
    assert "'人数'" in p.message_en and "share" in p.message_en, p.message_en


@pytest.mark.parametrize("name, unit", [("享受职业技能补贴人数", "人"), ("享受职业技能补贴人数比例", "%"),
                                        ("享受职业技能补贴人数覆盖率", "%"), ("享受职业技能补贴人次", "人次")])
def test_a_count_in_its_unit_or_a_share_named_as_one_is_not_noticed(doc, name, unit):
    i = _index(doc, "享受职业技能补贴人数")
    doc["indicators"][i].update(name=name, unit=unit)
    assert _notices(doc, "review.unit_mismatch") == []


def test_unit_mismatch_words_are_data(doc, tmp_path):
    overlay = tmp_path / "审核.json"
    overlay.write_text(json.dumps({"checks": {"review_unit_mismatch": {"counts": ["次数"]}}}), encoding="utf-8")
    assert [p for p in validate_document(doc, review=True, review_config=overlay)
            if p.code == "review.unit_mismatch"] == []


@pytest.mark.parametrize("level1, level2, name", [("产出目标", "成本", "培训成本"), ("产出目标", "成本", "人均培训费用"),
                                                  ("产出目标", "成本", "场地租赁")])
def test_a_cost_without_its_unit_is_noticed(doc, level1, level2, name):
    """A cost target with no unit (培训成本 ≤ 500: 元 or 万元?) is left out of review.cost_over_budget's sum, unsaid;
    a row under 成本, or named …成本/…费用, needs its unit."""
    doc["indicators"].append({"level1": level1, "level2": level2, "name": name, "comparator": "<=", "value": 500})
    i = len(doc["indicators"]) - 1
    assert [p.path for p in _notices(doc, "review.unit_missing")] == [f"/indicators/{i}/unit"]


@pytest.mark.parametrize("text, figure", [("不低于90%（含90%）", True), ("≥90%（含90.0%）", True), ("90%（含本数）以上", True),
                                          ("≥90%（含A类≥95%）", False), ("≥90%（包括重点人群95%）", False)])
def test_a_bracket_opening_with_han_is_set_aside_only_when_it_restates_the_figure(doc, text, figure):
    """（含90%） restates the bound (inclusive); （含A类≥95%） says what it includes, with a second figure: the text is
    then no one figure to move into the number columns."""
    _qualitative(doc, "调查有效性", text)
    assert bool(_notices(doc, "review.figure_qualitative")) is figure
