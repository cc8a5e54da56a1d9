"""mendAU: review switching, comparisons and wording found by red team 23c.

F03. A bureau's unchanged copy of an earlier release's packaged rules.csv (``--rules``) does not turn the review on
     because a packaged review message changed since: only a review row's severity or parameters changed, or a
     review row added, configure the review (``RuleTable.review_configured``); wording does not.
F05. review.target_below_last_year compares ＝ with last year's ≥/≤ only for a rate (%, ‰): a count or a date as ＝ is
     the year's plan.
F07. review.cost_over_budget compares a total-cost row with 项目总预算 (where given), and says which budget.
F09. template.locked_record_lost in a clerk's words.
F10. Our annotated copy saved by LibreOffice as .ods or .xls: its 问题清单 (known by its header row) is no added
     sheet; a department's sheet of that name still is (a copy of the table: copied_sheet_rows).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from xlgoals import validate_file

from .conftest import EXAMPLES, cli

FIXTURES = Path(__file__).parent / "fixtures"
OLD_RULES = FIXTURES / "rules-196313d.csv"  # `git show 196313d:schema/rules.csv`: the previous release's table
PASSING = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"  # passes; 3 notices when reviewed


def _old_rules_with(tmp_path, code: str, **changes) -> Path:
    """The 196313d table with `code`'s columns changed by name."""
    with open(OLD_RULES, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    for row in rows:
        if row[0] == code:
            for name, value in changes.items():
                row[rows[0].index(name)] = value
    path = tmp_path / "本局规则.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


# F03 -------------------------------------------------------------------------------------------------------------
def test_an_unchanged_copy_of_the_previous_releases_rules_does_not_turn_the_review_on():
    from xlgoals._check._ruletable import RuleTable

    assert RuleTable.load(OLD_RULES).review_configured() == []
    result = cli("validate", "--rules", OLD_RULES, PASSING, "--jobs", "1")
    assert result.exit_code == 0 and "提示" not in result.stdout and "审核" not in result.stdout, result.stdout
    data = json.loads(cli("validate", "--rules", OLD_RULES, PASSING, "--format", "json", "--jobs", "1").stdout)
    assert not data["summary"].get("review") and "review_score" not in data["files"][0], data


def test_a_reworded_review_message_alone_does_not_turn_the_review_on(tmp_path):
    from xlgoals._check._ruletable import RuleTable

    rules = _old_rules_with(tmp_path, "review.vague_target", message_zh="目标值“{found}”用语模糊，请改为可衡量的数值")
    assert RuleTable.load(rules).review_configured() == []
    assert "审核" not in cli("validate", "--rules", rules, PASSING, "--jobs", "1").stdout


def test_the_previous_releases_rules_with_a_review_severity_raised_turn_the_review_on(tmp_path):
    from xlgoals._check._ruletable import RuleTable

    rules = _old_rules_with(tmp_path, "review.cost_over_budget", severity="warning")
    assert RuleTable.load(rules).review_configured() == ["review.cost_over_budget"]
    result = cli("validate", "--rules", rules, PASSING, "--jobs", "1")
    assert "审核得分" in result.stdout, result.stdout


# F05 -------------------------------------------------------------------------------------------------------------
def _pair(tmp_path, pairs):
    """Last year's and this year's goal tables (examples/json/03) with `pairs` of (last year, this year) rows."""
    base = json.loads((EXAMPLES / "json" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    row = lambda l2, name, comp, value, unit: dict(level1="产出指标", level2=l2, name=name, comparator=comp,
                                                   value=value, unit=unit)
    last, now = json.loads(json.dumps(base)), json.loads(json.dumps(base))
    last["year"] = base["year"] - 1
    last["indicators"] = base["indicators"] + [row(*p[0]) for p in pairs]
    now["indicators"] = base["indicators"] + [row(*p[1]) for p in pairs]
    (tmp_path / "prev").mkdir()
    (tmp_path / "prev" / "last.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "now.json").write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
    data = json.loads(cli("validate", "--format", "json", "--previous", tmp_path / "prev" / "last.json",
                          tmp_path / "now.json", "--jobs", "1").stdout)
    found = {}
    for p in data["files"][0]["problems"]:
        if p["code"] == "review.target_below_last_year":
            found[now["indicators"][int(p["path"].split("/")[2])]["name"]] = p["message"]
    return found


def test_an_exact_plan_for_a_count_or_a_date_is_not_held_to_last_years_floor_or_ceiling(tmp_path):
    found = _pair(tmp_path, [
        (("数量", "当年改造学校数", ">=", 20, "所"), ("数量", "当年改造学校数", "=", 18, "所")),
        (("时效", "项目完工时间", "<=", 10, "月"), ("时效", "项目完工时间", "=", 12, "月")),
        (("数量", "新增学位数", "=", 3000, "个"), ("数量", "新增学位数", ">=", 2400, "个")),
        # a rate as ＝ below last year's floor is a weaker target; a floor lowered still is, in any unit
        (("质量", "工程验收合格率", ">=", 98, "%"), ("质量", "工程验收合格率", "=", 90, "%")),
        (("数量", "培训教师人次", ">=", 1.2, "万人次"), ("数量", "培训教师人次", ">=", 10000, "人次")),
    ])
    assert set(found) == {"工程验收合格率", "培训教师人次"}, found
    assert "还要宽松" in found["工程验收合格率"], found


# F07 -------------------------------------------------------------------------------------------------------------
def _cost_notices(doc, *rows, total=120_000_000, current=45_000_000):
    """review.cost_over_budget on the seed table (促进就业专项资金) of a multi-year project with cost `rows`."""
    from xlgoals import validate_document

    doc["budget"]["current_year"] = current
    if total is not None:
        doc["budget"]["total"] = total
    doc["indicators"] = [it for it in doc["indicators"] if "成本" not in (it.get("level2") or "")]
    for name, value, unit in rows:
        doc["indicators"].insert(0, {"level1": "产出目标", "level2": "成本", "name": name, "comparator": "<=",
                                     "value": value, "unit": unit})
    return [p for p in validate_document(doc, review=True) if p.code == "review.cost_over_budget"]


def test_a_total_cost_equal_to_the_projects_total_budget_is_no_overrun(doc):
    import copy

    assert _cost_notices(copy.deepcopy(doc), ("项目总投资", 1.2, "亿元")) == []
    assert _cost_notices(copy.deepcopy(doc), ("项目总成本", 12000, "万元")) == []
    # more than the total budget: said against 项目总预算, in both languages
    over = _cost_notices(copy.deepcopy(doc), ("项目总投资", 1.5, "亿元"))
    assert len(over) == 1 and "超过项目总预算 120,000,000.00 元" in over[0].message, over
    assert "more than the project's total budget of 120,000,000.00 yuan" in over[0].message_en, over[0].message_en
    assert over[0].expected == "≤ 120,000,000.00 元", over[0].expected


def test_a_years_total_and_a_breakdown_are_still_held_to_this_years_budget(doc):
    import copy

    year = _cost_notices(copy.deepcopy(doc), ("当年总成本", 5000, "万元"))
    assert len(year) == 1 and "超过项目当年预算 45,000,000.00 元" in year[0].message, year
    parts = _cost_notices(copy.deepcopy(doc), ("设备购置费", 3000, "万元"), ("人员培训费", 2000, "万元"))
    assert len(parts) == 1 and "合计 50,000,000.00 元，超过项目当年预算 45,000,000.00 元" in parts[0].message, parts
    # a total where the table gives no 项目总预算: this year's budget, as before
    d = copy.deepcopy(doc)
    d["budget"].pop("total", None)
    assert "超过项目当年预算" in _cost_notices(d, ("项目总投资", 1.2, "亿元"), total=None)[0].message


# F09 -------------------------------------------------------------------------------------------------------------
def test_the_lost_template_record_is_said_to_a_clerk_without_program_names_or_office_jargon():
    """template.locked_record_lost, as a department reads it: no English, no xlgoals_* property names, no 自定义属性 or
    文档属性; it says the table was not filled in the template as issued, why that happens, what could not be
    checked and what to do.  The English message says the same."""
    from xlgoals._check._ruletable import RuleTable

    from xlgoals._read._locate import RECORD_LOST_UNCHECKED

    table = RuleTable.default()
    # as the reader makes it (its {checked} is what validate --targets rewords: test_mendAS)
    p = table.problem("template.locked_record_lost", detail="；工作表“填表说明”也已不在",
                      detail_en="; sheet '填表说明' is gone too",
                      checked=RECORD_LOST_UNCHECKED[0], checked_en=RECORD_LOST_UNCHECKED[1])
    zh = p.message
    assert not re.search(r"[A-Za-z]", zh) and "属性" not in zh and "已全部不在" not in zh, zh
    assert zh.startswith("本表不是在下发的模板文件中填写的"), zh
    for said in ("核对记录已丢失", "复制到新工作簿", "“检查文档”", "工作表“填表说明”也已不在",
                 "锁定的单位、项目、预算和指标", "无法核对", "请在下发的原模板中填写后报送"):
        assert said in zh, (said, zh)
    title = table.rules["template.locked_record_lost"].title_zh
    assert p.field == "模板核对记录" and "属性" not in title, (p.field, title)
    en = p.message_en
    assert "xlgoals" not in en and "custom properties" not in en, en
    for said in ("not filled in from the template file as issued", "copied into a new workbook", "Document Inspector",
                 "sheet '填表说明' is gone too", "could not be checked", "fill in the original template"):
        assert said in en, (said, en)


# F10 -------------------------------------------------------------------------------------------------------------
@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_our_annotated_copy_saved_by_libreoffice_as_ods_or_xls_is_no_added_sheet(tmp_path, lo_convert, fmt):
    """A department opens the annotated copy (validate --review --annotate) in LibreOffice, fixes it and saves it as
    .ods or .xls: our 问题清单 sheet is not template.extra_sheet (--strict passed the .xlsx save, failed these)."""
    marks = tmp_path / "标注"
    cli("validate", "--review", "--annotate", marks, EXAMPLES / "review" / "全部问题.xlsx", "--jobs", "1")
    (copy,) = marks.iterdir()
    (saved,) = lo_convert(copy, fmt=fmt)
    data = json.loads(cli("validate", "--strict", "--format", "json", saved, "--jobs", "1").stdout)
    problems = data["files"][0]["problems"]
    assert not [p for p in problems if p["code"] == "template.extra_sheet" or p["sheet"] == "问题清单"], problems
    assert data["files"][0]["valid"], problems


@pytest.mark.soffice
def test_a_sheet_of_the_departments_named_like_ours_is_still_said(tmp_path, lo_edit):
    """Only our problem list (its header row) is passed over: a copy of 绩效指标 named 问题清单 with a row typed on it
    is template.copied_sheet_rows (its rows would be lost), any other sheet of that name template.extra_sheet."""
    from .conftest import EXAMPLE_XLSX
    from .helpers import F, ind_cell

    sheet, cell = ind_cell(0, "name")
    copied = lo_edit(EXAMPLE_XLSX[1], tmp_path / "copied.ods",
                     [{"copy_sheet": F.table.name, "to": "问题清单"},
                      {"sheet": "问题清单", "cell": cell, "input": "续表中新增的指标"}], fmt="ods")
    said = [(p.code, p.sheet, p.cell) for p in validate_file(copied).problems if p.sheet == "问题清单"]
    assert said == [("template.copied_sheet_rows", "问题清单", cell)], said
    other = lo_edit(EXAMPLE_XLSX[1], tmp_path / "other.xls",
                    [{"insert_sheet": "问题清单"}, {"sheet": "问题清单", "cell": "A1", "input": "序号"},
                     {"sheet": "问题清单", "cell": "B1", "input": "备注"}], fmt="xls")
    said = [(p.code, p.sheet) for p in validate_file(other).problems if p.sheet == "问题清单"]
    assert said == [("template.extra_sheet", "问题清单")], said


@pytest.mark.parametrize("code", ["template.locked_record_missing", "template.locked_unreadable"])
def test_the_other_record_messages_speak_to_a_clerk_too(code):
    """The record's other two messages, as a department reads them: no property names (xlgoals_locked.*), no
    自定义属性/文档属性 (Office jargon), the field named as template.locked_record_lost names it."""
    from xlgoals._check._ruletable import RuleTable

    rule = RuleTable.default().rules[code]
    zh = rule.message_zh
    assert "xlgoals" not in zh and "属性" not in zh, zh
    words = re.sub(r"\{\w+\}", "", zh).replace(".xlsx", "").replace(".xls", "").replace("Excel", "")  # placeholders
    assert not re.search(r"[A-Za-z]", words), zh
    assert rule.field_zh == RuleTable.default().rules["template.locked_record_lost"].field_zh == "模板核对记录"
    assert "请财政部门重新下发模板" in zh and "无法核对" in zh
