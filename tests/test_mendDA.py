"""Readings and targets left alone last session (session 28, mendDA): 不可能 read as 完全不可能, invalid returns'
indicator rows in consolidate, integer-valued floats of a JSON goal table, targets_refused under a bureau's rules,
template --targets warnings, 年度总体目标 too short, and self.amount_scale lowered to notice."""

from decimal import Decimal
import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import approvals_one_refused, ooxml_errors, wan_self_evaluation

MON = EXAMPLES / "monitoring"
MON_RETURN = MON / "03_职业培训基础能力建设资助.xlsx"


def _with(tmp_path, src, sheet, ref, value, name="r.xlsx"):
    wb = openpyxl.load_workbook(src)
    wb[sheet][ref].value = value
    wb.save(tmp_path / name)
    return tmp_path / name


# 1. 不可能 typed for 完全不可能 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["不可能", "不可能。", " 不可能 "])
def test_bu_ke_neng_reads_as_impossible(tmp_path, typed):
    path = _with(tmp_path, MON_RETURN, "指标监控", "M23", typed)
    result = xlgoals.read(path, isolated=False)
    assert [p for p in result.problems if p.code == "cell.choice"] == []
    (i,) = [k for k, v in result.sources.items() if v == "指标监控!M23"]
    assert i.endswith("/likelihood")
    idx = int(i.split("/")[2])
    assert result.document["indicators"][idx]["likelihood"] == "impossible"
    # the same as 完全不可能 typed: validation says the same things of the return
    same = _with(tmp_path, MON_RETURN, "指标监控", "M23", "完全不可能", name="same.xlsx")
    assert sorted(p.code for p in validate_file(path).problems) == sorted(p.code for p in validate_file(same).problems)


@pytest.mark.parametrize("typed", ["可能", "不确定", "不能"])
def test_other_partial_likelihoods_are_still_refused(tmp_path, typed):
    path = _with(tmp_path, MON_RETURN, "指标监控", "M23", typed)
    (p,) = [p for p in xlgoals.read(path, isolated=False).problems if p.code == "cell.choice"]
    assert p.cell == "M23" and "完全不可能" in p.message


# 3. integer fields of a JSON document given as whole floats (2020.0, 6.0) -------------------------------------------
def _sheet_rows(path, sheet):
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    wb.close()
    return rows


def _record(rows, title_cell="序号"):
    head = next(i for i, r in enumerate(rows) if r and r[0] == title_cell)
    return dict(zip(rows[head], rows[head + 1]))


def test_a_json_goal_tables_year_given_as_2020_0_is_its_budget_year(tmp_path):
    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["year"] = float(doc["year"])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "g.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = consolidate([tmp_path / "in"], out)
    assert result.totals["invalid"] == 0
    row = _record(_sheet_rows(out, "项目清单"))
    assert row["预算年度"] == 2020 and type(row["预算年度"]) is int, row
    assert "2020年度" in _sheet_rows(out, "汇总")[0][0]
    assert not ooxml_errors(out)


def test_a_json_monitoring_reports_month_given_as_6_0_is_its_month(tmp_path):
    doc = json.loads((MON / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["year"], doc["month"] = float(doc["year"]), float(doc["month"])
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "m.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "s.xlsx"
    result = consolidate([tmp_path / "in"], out)
    assert "amounts_unrated" not in result.totals and result.totals["months"] == [6], result.totals
    row = _record(_sheet_rows(out, "项目进度"))
    assert row["报告月份"] == 6 and row["预算年度"] == 2020 and row["执行率"] is not None, row


def test_a_year_with_a_fraction_is_still_refused(tmp_path):
    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["year"] = 2020.5
    (tmp_path / "g.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (p,) = [p for p in xlgoals.validate([tmp_path / "g.json"]).problems() if p.path == "/year"]
    assert p.is_error


# 4. a bureau's table lowering *.targets_unmatched lowers *.targets_refused with it ----------------------------------
@pytest.mark.parametrize("folder, prefix", [("self-evaluation", "self"), ("monitoring", "monitor")])
def test_lowering_targets_unmatched_lowers_targets_refused(tmp_path, folder, prefix):
    from .helpers import bureau_rules_file

    goals = approvals_one_refused(tmp_path)
    rules = bureau_rules_file(tmp_path, {f"{prefix}.targets_unmatched": {"severity": "notice"}})
    ret = sorted((EXAMPLES / folder).glob("02*.xlsx"))
    (p,) = [p for p in xlgoals.validate(ret, targets=[goals], rules=rules, jobs=1).problems() if ".targets_" in p.code]
    assert p.code == f"{prefix}.targets_refused" and p.severity == "notice", p
    # a row of its own for it, at another severity, decides it apart
    own = bureau_rules_file(tmp_path, {f"{prefix}.targets_unmatched": {"severity": "notice"},
                                       f"{prefix}.targets_refused": {"severity": "error"}}, name="own.csv")
    (p,) = [p for p in xlgoals.validate(ret, targets=[goals], rules=own, jobs=1).problems() if ".targets_" in p.code]
    assert p.severity == "error", p


def test_the_rule_table_says_targets_refused_follows_and_defaults_writes_it(tmp_path):
    import csv

    from xlgoals import RuleTable, write_defaults
    from .helpers import bureau_rules_file

    write_defaults(tmp_path / "d")
    rows = {r["code"]: r for r in csv.DictReader(open(tmp_path / "d" / "rules.csv", encoding="utf-8-sig"))}
    for prefix in ("self", "monitor"):
        assert json.loads(rows[f"{prefix}.targets_refused"]["params"]) == {"severity_of": f"{prefix}.targets_unmatched"}
    # a defaults copy with the one row lowered; a copy made before the parameter (the row without it) alike
    for name, extra in (("copy.csv", {}), ("old.csv", {"self.targets_refused": {"params": ""}})):
        path = bureau_rules_file(tmp_path, {"self.targets_unmatched": {"severity": "notice"}, **extra}, name=name,
                                 every=True)
        table = RuleTable.load(path)
        assert table.get("self.targets_refused").severity == "notice"
        assert table.get("monitor.targets_refused").severity == "warning"
    # kept apart on purpose: severity_of naming its own code
    apart = bureau_rules_file(tmp_path, {"self.targets_unmatched": {"severity": "notice"}, "self.targets_refused":
                                         {"params": '{"severity_of": "self.targets_refused"}'}}, name="apart.csv")
    assert RuleTable.load(apart).get("self.targets_refused").severity == "warning"
    # an unchanged copy decides nothing otherwise, with or without the parameter
    for name, extra in (("same.csv", {}), ("same_old.csv", {"self.targets_refused": {"params": ""}})):
        assert not RuleTable.load(bureau_rules_file(tmp_path, extra, name=name, every=True)).decides_otherwise()


def test_severity_of_naming_no_rule_is_refused(tmp_path):
    from xlgoals import ConfigError, RuleTable
    from .helpers import bureau_rules_file

    bad = bureau_rules_file(tmp_path, {"self.targets_refused": {"params": '{"severity_of": "self.nothing"}'}})
    with pytest.raises(ConfigError, match="severity_of 应为规则表中另一条"):
        RuleTable.load(bad)


# 5. template --targets says the goal tables' warnings ---------------------------------------------------------------
def _goal_tables_with_a_fraction(tmp_path, as_json):
    """A goal table (workbook or JSON) whose 同名项目上年预算额 is 0.3 元: a warning (cell.amount_fraction), usable."""
    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["budget"]["prior_year_budget"] = 0.3
    goals = tmp_path / "批复"
    goals.mkdir()
    if as_json:
        (goals / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    else:
        xlgoals.fill(doc, goals / "02.xlsx")
    return goals, goals / ("02.json" if as_json else "02.xlsx")


@pytest.mark.parametrize("as_json", [False, True])
@pytest.mark.parametrize("form, extra", [("self-evaluation", ()), ("monitoring", ("--month", "6"))])
def test_template_targets_says_the_goal_tables_warnings(tmp_path, as_json, form, extra):
    from .conftest import cli

    goals, source = _goal_tables_with_a_fraction(tmp_path, as_json)
    out = tmp_path / "下发"
    result = cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", out)
    assert result.exit_code == 0, result.stderr  # written all the same: a warning
    line = next((x for x in result.stderr.splitlines() if x.startswith("警告：")), None)
    assert line is not None, result.stderr
    assert source.name in line and "不足 1 元" in line and "0.3" in line, line
    assert len(list(out.glob("*.xlsx"))) == 1
    en = cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", tmp_path / "en", "--lang", "en")
    assert any(x.startswith("Warning: ") and source.name in x and "yuan" in x for x in en.stderr.splitlines()), \
        en.stderr


def test_template_targets_warnings_in_the_library_result(tmp_path):
    goals, source = _goal_tables_with_a_fraction(tmp_path, False)
    result = xlgoals.self_evaluation_templates([goals], tmp_path / "下发")
    assert result.written and result.ok
    (w,) = result.warnings
    assert w.code == "cell.amount_fraction" and w.severity == "warning" and Path(w.file).name == source.name, w


# 7. self.amount_scale lowered to notice: the hold-out is the summary's, whatever the severity; off sums as typed ---
def _scores_row(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = [list(r) for r in wb["项目得分"].iter_rows(values_only=True)]
    wb.close()
    return _record(rows)


def test_a_scale_warning_lowered_to_notice_still_holds_the_amount_out(tmp_path):
    from .helpers import bureau_rules_file

    inbox, _ = wan_self_evaluation(tmp_path)
    rules = bureau_rules_file(tmp_path, {"self.amount_scale": {"severity": "notice"}})
    result = consolidate([inbox], tmp_path / "s.xlsx", rules=rules)
    said = [p for p in validate_file(inbox / "a_wan.xlsx", rules=rules).problems if p.code == "self.amount_scale"]
    assert said and {p.severity for p in said} == {"notice"}, said
    assert result.totals["scores_held_out"] == 1 and result.totals["amounts_held_out"], result.totals
    row = _scores_row(tmp_path / "s.xlsx")
    assert row["总分"] is None and "未计入合计" in row["说明"], row
    # the 汇总 sheet's note says the hold-out follows no severity
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)
    texts = [c for r in wb["自评汇总"].iter_rows(values_only=True) for c in r if isinstance(c, str)]
    assert any("self.amount_scale" in t and "提示" in t and "off" in t for t in texts), texts
    # turned off, the rule runs nowhere: the amount is summed as typed and the return graded
    off = bureau_rules_file(tmp_path, {"self.amount_scale": {"severity": "off"}}, name="off.csv")
    result = consolidate([inbox], tmp_path / "off.xlsx", rules=off)
    assert not result.totals.get("scores_held_out") and not result.totals.get("amounts_held_out"), result.totals
    assert Decimal(str(result.totals["executed"])) == Decimal("6028.8")  # summed as typed
    assert _scores_row(tmp_path / "off.xlsx")["总分"] is not None


# 2. (not a bug) a failing return's indicators are in no indicator sheet without --include-invalid, as its totals ---
def _failing_goal_table(inbox):
    import shutil

    from xlgoals import FORMS

    form = FORMS["goal-table"]
    field = next(f for f in form.fields if f.path == "/budget/current_year")
    shutil.copy(sorted((EXAMPLES / "returns").glob("01*.xlsx"))[0], inbox)
    wb = openpyxl.load_workbook(sorted((EXAMPLES / "returns").glob("04*.xlsx"))[0])
    wb[form.info.name].cell(field.row + 1, field.col + 1).value = "abc"
    wb.save(inbox / "04_bad.xlsx")


@pytest.mark.parametrize("include_invalid", [False, True])
def test_a_failing_returns_indicators_follow_its_totals(tmp_path, include_invalid):
    inbox = tmp_path / "in"
    inbox.mkdir()
    _failing_goal_table(inbox)
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, include_invalid=include_invalid)
    assert result.totals["invalid"] == 1
    projects = [r[2] for r in _sheet_rows(out, "项目清单")[1:]]
    assert "高技能人才培养基地建设资助" in projects  # listed, either way
    listed = {r[1] for r in _sheet_rows(out, "绩效指标")[1:]}
    assert ("高技能人才培养基地建设资助" in listed) is include_invalid, listed
    categories = [r for r in _sheet_rows(out, "分类统计")[1:] if r[0] == "全部" and r[2] and "计" not in str(r[2])]
    assert sum(r[3] for r in categories) == len(_sheet_rows(out, "绩效指标")) - 1, categories
