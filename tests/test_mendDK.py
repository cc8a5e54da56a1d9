"""Red team ab (session 28), the monitoring and --previous mends:

* 1: monitor.cumulative_fell compares only running totals between rounds: 1-N月执行数 and the indicators whose unit
  counts things or money (the rule's ``units`` in rules.csv), not a rate (%), a 满意度 or a ≤ target.
* 2: --previous pairs a renamed indicator with last year's only when the names nearly coincide under the same 二级指标,
  unit and comparator family (创业培训合格率 is not last year's 就业培训合格率).
* 3: validate's folder mode says monitor.cumulative_fell as consolidate does.
* 4: likelihood_contradicts and 风险清单's 说明 say that a forecast equal to a ＞ target meets it by the scoring rule,
  and quote the target as its cell prints it.
"""

from __future__ import annotations

import copy
import json

from pathlib import Path

from .conftest import cli
from .helpers import json_review

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"

MON_02 = EXAMPLES_DIR / "monitoring" / "02_促进就业专项资金.json"


def _seed():
    return json.loads(MON_02.read_text(encoding="utf-8"))


def _two_rounds(tmp_path, change):
    """Seed 02's report as a 1-3月 round (changed by `change`) and its 1-6月 round, JSON files in one folder."""
    jun = _seed()
    mar = copy.deepcopy(jun)
    mar["month"] = 3
    mar["contact"]["date"] = f"{jun['year']}-03-28"
    mar["funds"]["executed_to_date"] = 30000000
    change(mar, jun)
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name, doc in (("02_3月.json", mar), ("02_6月.json", jun)):
        (inbox / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return inbox


def _fell_in_consolidate(tmp_path, inbox):
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    data = json.loads(js.read_text(encoding="utf-8"))
    rows = [dict(zip(data["validation"]["columns"], r)) for r in data["validation"]["rows"]]
    return [r["说明"] for r in rows if "累计数不会随月份减少" in (r.get("说明") or "")]


def _ind(doc, id_):
    return next(x for x in doc["indicators"] if x["id"] == id_)


# 1 -----------------------------------------------------------------------------------------------------------
def test_a_rate_or_a_satisfaction_that_dips_between_rounds_is_no_fallen_total(tmp_path):
    def change(mar, jun):
        _ind(mar, "I011")["progress"] = 88  # 职业技能鉴定合格率 ≥85%: 88 in Q1, 85 by H1
        _ind(mar, "I022")["progress"] = 95  # 学员满意度 ＞90%: 95 in Q1, 91 by H1

    assert _fell_in_consolidate(tmp_path, _two_rounds(tmp_path, change)) == []


def test_a_count_and_the_money_that_fall_between_rounds_are_said(tmp_path):
    def change(mar, jun):
        for doc in (mar, jun):
            _ind(doc, "I010")["unit"] = "人次"  # 享受职业技能补贴人数: a count
        _ind(mar, "I010")["progress"] = 120
        mar["funds"]["executed_to_date"] = 80000000  # above H1's 72,325,192.86

    said = _fell_in_consolidate(tmp_path, _two_rounds(tmp_path, change))
    assert len(said) == 2, said
    assert any("享受职业技能补贴人数" in s and "“120”" in s for s in said), said
    assert any("1-6月执行数" in s and "80,000,000.00 元" in s for s in said), said


def test_a_count_with_a_ceiling_target_may_fall(tmp_path):
    """≤ 50 人次 (fewer is the aim, e.g. complaints): a figure that is lower later is no fallen running total."""
    def change(mar, jun):
        for doc in (mar, jun):
            _ind(doc, "I010").update(unit="人次", comparator="<=", value=50)
        _ind(mar, "I010")["progress"] = 20
        _ind(jun, "I010")["progress"] = 10

    assert _fell_in_consolidate(tmp_path, _two_rounds(tmp_path, change)) == []


def test_the_units_compared_are_the_rule_tables_parameter():
    from xlgoals._monitor._summary import cumulative_units

    units = cumulative_units()
    assert {"人", "人次", "万元", "元", "个"} <= units and not units & {"%", "‰", "分", "天", "小时"}


# 4 -----------------------------------------------------------------------------------------------------------
def _contradicted(tmp_path, expected):
    import csv

    doc = json.loads((EXAMPLES_DIR / "monitoring" / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))
    x = next(i for i in doc["indicators"] if i["id"] == "I002")
    x.update(comparator=">", value=90, progress=90, expected=expected, likelihood="impossible",
             deviation_category="staffing", deviation="人员调整，下半年加快推进。")
    path = tmp_path / "01.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    said = {}
    for lang in ("zh", "en"):
        result = cli("validate", path, "--lang", lang, "--format", "json")
        said[lang] = [p["message"] for f in json.loads(result.output)["files"] for p in f["problems"]
                      if p["code"] == "monitor.likelihood_contradicts"]
    result = cli("consolidate", path, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "csv")
    assert result.exit_code == 0, result.output
    with open(tmp_path / "csv" / "风险清单.csv", encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["指标编号"] == "I002")
    return said, row


def test_a_forecast_equal_to_a_strict_target_is_said_to_meet_it_by_the_scoring_rules(tmp_path):
    said, row = _contradicted(tmp_path, 90)
    assert len(said["zh"]) == 1 and "“90”按评分规则视为达到年度指标值“＞90%”" in said["zh"][0], said
    assert "by the scoring rules, as meeting the target" in said["en"][0], said
    # 风险清单's 说明 quotes the target as its 年度指标值 cell beside prints it
    assert row["年度指标值／全年预算数（元）"] == ">90%", row
    assert "预计“90”按评分规则视为达到年度指标值“>90%”" in row["说明"], row["说明"]


def test_a_forecast_above_a_strict_target_simply_meets_it(tmp_path):
    said, row = _contradicted(tmp_path, 95)
    assert "“95”符合年度指标值“＞90%”" in said["zh"][0] and "评分" not in said["zh"][0], said
    assert "预计“95”符合年度指标值“>90%”" in row["说明"], row["说明"]


# 2 -----------------------------------------------------------------------------------------------------------
def _last_year(doc, tmp_path):
    prev = copy.deepcopy(doc)
    prev["year"] = doc["year"] - 1
    (tmp_path / "prev.json").write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "prev.json"


def _row(name, value, unit="%", level2="质量", comparator=">="):
    return {"level1": "产出目标", "level2": level2, "name": name, "comparator": comparator, "value": value, "unit": unit}


def _said(problems, code):
    return [p for p in problems if p["code"] == code]


def test_a_name_one_character_replaced_is_another_indicator_than_last_years(doc, tmp_path):
    """城镇登记失业人员创业培训合格率 this year, 就业培训合格率 last year (difflib 0.93): two indicators, not a rename."""
    doc["indicators"].append(_row("城镇登记失业人员就业培训合格率", 90))
    prev = _last_year(doc, tmp_path)
    doc["indicators"][-1].update(name="城镇登记失业人员创业培训合格率", value=80)
    problems = json_review(doc, tmp_path, "--previous", prev)
    assert not _said(problems, "review.target_below_last_year"), _said(problems, "review.target_below_last_year")
    dropped = _said(problems, "review.indicator_dropped")
    assert len(dropped) == 1 and "“城镇登记失业人员就业培训合格率”" in dropped[0]["message"], dropped


def test_a_character_added_to_a_name_is_still_last_years_indicator_renamed(doc, tmp_path):
    """享受见习补贴人数 → 享受见习补贴的人数 (mendDE's rename): compared with last year's, not dropped."""
    doc["indicators"].append(_row("享受见习补贴人数", 100, unit="人", level2="数量"))
    prev = _last_year(doc, tmp_path)
    doc["indicators"][-1].update(name="享受见习补贴的人数", value=60)
    problems = json_review(doc, tmp_path, "--previous", prev)
    below = _said(problems, "review.target_below_last_year")
    assert len(below) == 1 and "上年名称为“享受见习补贴人数”" in below[0]["message"], below
    assert not _said(problems, "review.indicator_dropped")


def test_a_near_name_under_another_second_level_or_unit_is_not_last_years(doc, tmp_path):
    doc["indicators"].append(_row("享受见习补贴人数", 100, unit="人", level2="数量"))
    prev = _last_year(doc, tmp_path)
    doc["indicators"][-1].update(name="享受见习补贴的人数", value=60, unit="人次")  # 人 last year: another measure
    problems = json_review(doc, tmp_path, "--previous", prev)
    assert not _said(problems, "review.target_below_last_year")
    assert len(_said(problems, "review.indicator_dropped")) == 1


# 3 -----------------------------------------------------------------------------------------------------------
def _validated(folder, *args):
    result = cli("validate", folder, "--strict", "--format", "json", *args)
    assert "Traceback" not in result.output, result.output
    files = {Path(f["path"]).name: f for f in json.loads(result.output)["files"]}
    return result, {n: [p for p in f["problems"] if p["code"] == "monitor.cumulative_fell"] for n, f in files.items()}


def _fallen_money(mar, jun):
    mar["funds"]["executed_to_date"] = 80000000  # 1-3月 above 1-6月's 72,325,192.86: one of them is wrong


def test_validate_on_a_folder_says_a_cumulative_figure_fallen_as_consolidate_does(tmp_path):
    inbox = _two_rounds(tmp_path, _fallen_money)
    result, fell = _validated(inbox)
    assert fell["02_3月.json"] == [] and len(fell["02_6月.json"]) == 1, fell
    p = fell["02_6月.json"][0]
    assert p["severity"] == "warning" and p["path"] == "/funds/executed_to_date", p
    assert "“72,325,192.86 元”" in p["message"] and "1-3月报告（" in p["message"] and "02_3月.json" in p["message"], p
    assert result.exit_code == 1  # --strict: the gate before consolidate holds
    # consolidate says the same of the same file
    said = _fell_in_consolidate(tmp_path, inbox)
    assert len(said) == 1 and "“72,325,192.86 元”" in said[0], said


def test_validate_on_a_folder_of_workbooks_says_it_at_the_later_reports_cell(tmp_path):
    from xlgoals import fill

    inbox = _two_rounds(tmp_path, _fallen_money)
    books = tmp_path / "books"
    books.mkdir()
    for src in inbox.iterdir():
        fill(json.loads(src.read_text(encoding="utf-8")), books / (src.stem + ".xlsx"), force=True)
    _, fell = _validated(books)
    assert fell["02_3月.xlsx"] == [] and len(fell["02_6月.xlsx"]) == 1, fell
    p = fell["02_6月.xlsx"][0]
    assert p["sheet"] and p["cell"], p


def test_rounds_that_rise_or_are_of_one_month_say_nothing_in_validate(tmp_path):
    _, fell = _validated(_two_rounds(tmp_path, lambda mar, jun: None))  # 30,000,000 then 72,325,192.86
    assert fell == {"02_3月.json": [], "02_6月.json": []}, fell

    def same_month(mar, jun):
        _fallen_money(mar, jun)
        mar["month"] = 6  # two reports of one month: duplicates (consolidate's to say), not rounds

    (tmp_path / "b").mkdir()
    _, fell = _validated(_two_rounds(tmp_path / "b", same_month))
    assert not any(fell.values()), fell


def _fell_with_rules(tmp_path, inbox, rules):
    result = cli("validate", inbox, "--rules", rules, "--format", "json")
    assert "Traceback" not in result.output, result.output
    return [p for f in json.loads(result.output)["files"] for p in f["problems"] if p["code"] == "monitor.cumulative_fell"]


def test_a_bureaus_table_decides_the_units_and_one_without_them_keeps_the_packaged(tmp_path):
    from .helpers import bureau_rules_file

    def change(mar, jun):
        _ind(mar, "I011")["progress"] = 88  # 合格率 ≥85%: 88 in Q1, 85 by H1
        for doc in (mar, jun):
            _ind(doc, "I010")["unit"] = "人次"  # a count: 120 in Q1, 90 by H1
        _ind(mar, "I010")["progress"] = 120

    inbox = _two_rounds(tmp_path, change)
    with_rates = bureau_rules_file(tmp_path, {"monitor.cumulative_fell": {"params": '{"units": ["%", "元"]}'}},
                                   name="rates.csv")
    said = _fell_with_rules(tmp_path, inbox, with_rates)
    assert len(said) == 1 and "职业技能鉴定合格率" in said[0]["message"], said
    # a table whose row gives no units (written before the parameter): the packaged units, the count not the rate
    without = bureau_rules_file(tmp_path, {"monitor.cumulative_fell": {"params": ""}}, name="bare.csv")
    said = _fell_with_rules(tmp_path, inbox, without)
    assert len(said) == 1 and "享受职业技能补贴人数" in said[0]["message"], said
