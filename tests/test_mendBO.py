"""A bureau's own rules (red team (i), mendBO): where a rule runs, the thresholds a rules or review file can carry,
the count a min_count rule gives, fill's word on a framework not loaded, and turning a rule off."""

from __future__ import annotations

import json

import pytest

from xlgoals import validate_document

from .conftest import EXAMPLES, cli
from .helpers import bureau_rules, packaged_rule

NATIONAL = EXAMPLES / "national-2021"


def _goal_doc() -> dict:
    return json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))


def _row(code, kind, params, zh="本局：请填写“{field}”", en="Bureau: fill in '{field}'", severity="error"):
    return [code, severity, kind, params, "本局规则", "Bureau rule", "", zh, en]


# 4. min_count's {found}: the count there is

def test_min_count_gives_the_count_found(tmp_path):
    rules = bureau_rules(tmp_path / "r.csv", _row(
        "bureau.few_indicators", "min_count", '{"path": "/indicators", "min": 8}',
        "绩效指标只有 {found} 条，至少 {expected} 条", "Only {found} indicators; at least {expected}"))
    doc = _goal_doc()
    n = len(doc["indicators"])
    assert n < 8
    (p,) = [p for p in validate_document(doc, rules=rules) if p.code == "bureau.few_indicators"]
    assert p.message == f"绩效指标只有 {n} 条，至少 8 条", p.message
    assert p.message_en == f"Only {n} indicators; at least 8", p.message_en
    assert p.value == n


# 5. fill of a document whose framework is not loaded: the file, and --frameworks

def test_fill_names_the_file_and_frameworks_for_an_unknown_framework(tmp_path):
    doc = _goal_doc()
    doc["framework"] = "city-2026"
    src = tmp_path / "本局目标表.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = cli("fill", src, "-o", tmp_path / "out.xlsx")
    assert done.exit_code == 1, done.output
    assert "本局目标表.json" in done.output and "--frameworks" in done.output and "city-2026" in done.output, \
        done.output
    assert not (tmp_path / "out.xlsx").exists()
    en = cli("fill", src, "-o", tmp_path / "out.xlsx", "--lang", "en")
    assert "本局目标表.json" in en.output and "--frameworks" in en.output, en.output


# 2. every threshold a rule row can carry, refused outside its sensible range, at its file and line

def _load_refused(tmp_path, row):
    from xlgoals import RuleTable
    from xlgoals._errors import ConfigError

    path = bureau_rules(tmp_path / "本局规则.csv", row)
    with pytest.raises(ConfigError) as caught:
        RuleTable.load(path)
    return str(caught.value.args[0]), caught.value.args[0].en


@pytest.mark.parametrize("code, name, bad", [
    ("self.execution_unexplained", "min_rate", 90),        # 90 for 90 %: "低于 9000%"
    ("self.execution_unexplained", "min_rate", -0.1),
    ("self.deviation_missing", "over", 0.3),               # 0.3 for "30 % over": every row on target asked
    ("self.deviation_missing", "over", 1),
    ("self.deviation_missing", "over", 30),                # 30 for "30 %"
    ("self.deviation_missing", "over", 130),
    ("self.score_mismatch", "tolerance", -0.01),           # every score differs by more than a negative tolerance
    ("self.total_mismatch", "tolerance", -1),
    ("self.points_total", "total", 0),
    ("rule.weight_total", "total", -100),
    ("rule.weight_no_funds", "total", 0),
    ("monitor.percent_hundredfold", "factor", 0.01),
    ("monitor.percent_hundredfold", "min_target", -5),
    ("self.amount_scale", "band", 0.5),                    # a band below 1: no amount within it, never fires
    ("self.amount_scale", "spent_over", 0),
    ("monitor.amount_scale", "spent_over", 120),           # 120 for 120 %
    ("rule.no_indicators", "min", 0),                      # at least 0 rows: never fires
    ("rule.report_date", "years_after", -1),
])
def test_a_threshold_outside_its_range_is_refused_at_its_line(tmp_path, code, name, bad):
    import csv

    from xlgoals._resources import data_dir

    with open(data_dir("schema") / "rules.csv", encoding="utf-8") as fh:
        packaged = {r[0]: r for r in csv.reader(fh)}
    if code not in packaged:
        pytest.skip(f"{code} not packaged")
    params = json.loads(packaged[code][3])
    params[name] = bad
    zh, en = _load_refused(tmp_path, packaged_rule(code, params=json.dumps(params)))
    assert zh.startswith("本局规则.csv 第 2 行：") or "本局规则.csv" in zh.split("：")[0], zh
    assert "第 2 行" in zh and "params" in zh and f"“{name}”" in zh and f"实际为 {json.dumps(bad)}" in zh, zh
    assert f"'{name}'" in en and f"not {json.dumps(bad)}" in en and "line 2" in en, en


@pytest.mark.parametrize("code, name, good", [
    ("self.execution_unexplained", "min_rate", 0.85), ("self.execution_unexplained", "min_rate", 1),
    ("self.deviation_missing", "over", 1.5), ("self.deviation_missing", "over", 2),
    ("self.score_mismatch", "tolerance", 0), ("self.amount_scale", "band", 3),
])
def test_a_threshold_in_range_loads(tmp_path, code, name, good):
    from xlgoals import RuleTable

    params = json.loads(packaged_rule(code)[3])
    params[name] = good
    table = RuleTable.load(bureau_rules(tmp_path / "r.csv", packaged_rule(code, params=json.dumps(params))))
    assert table.params_of(code)[name] == good


def test_cli_refuses_min_rate_90_with_file_line_and_value(tmp_path):
    params = json.dumps({"min_rate": 90})
    rules = bureau_rules(tmp_path / "rate.csv", packaged_rule("self.execution_unexplained", params=params))
    done = cli("validate", NATIONAL / "自评表.xlsx", "--rules", rules)
    assert done.exit_code == 2, done.output
    assert "rate.csv 第 2 行" in done.output and "min_rate" in done.output and "实际为 90" in done.output, done.output
    assert "0.9" in done.output, done.output  # how 90 % is written


# 3. review.json's floor is a percent: 0.9 (a fraction) is refused, not a check silently off

def _review_refused(tmp_path, checks):
    from xlgoals._errors import ConfigError
    from xlgoals._review._settings import ReviewSettings

    path = tmp_path / "审核配置.json"
    path.write_text(json.dumps({"checks": checks}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        ReviewSettings.load(path)
    return str(caught.value.args[0])


@pytest.mark.parametrize("floor", [0.9, 0.5, 0, 101])
def test_review_floor_as_a_fraction_is_refused(tmp_path, floor):
    said = _review_refused(tmp_path, {"review_satisfaction_floor": {"floor": floor}})
    assert "审核配置.json" in said and "floor" in said and f"实际为 {json.dumps(floor)}" in said, said
    assert "80" in said, said  # how a percent is written there


def test_review_floor_90_still_flags_a_50_percent_target(tmp_path):
    from xlgoals._review._settings import ReviewSettings

    path = tmp_path / "审核配置.json"
    path.write_text(json.dumps({"checks": {"review_satisfaction_floor": {"floor": 90}}}), encoding="utf-8")
    assert ReviewSettings.load(path).checks["review_satisfaction_floor"]["floor"] == 90
    doc = _goal_doc()
    for it in doc["indicators"]:
        if it["level1"] == "满意度指标":
            it["value"] = 50
    codes = [p.code for p in validate_document(doc, review_config=path)]
    assert "review.satisfaction_low" in codes, codes


def test_cli_refuses_a_floor_of_0_9(tmp_path):
    cfg = tmp_path / "frac.json"
    cfg.write_text(json.dumps({"checks": {"review_satisfaction_floor": {"floor": 0.9}}}), encoding="utf-8")
    done = cli("validate", NATIONAL / "目标表.json", "--review", "--review-config", cfg)
    assert done.exit_code == 2 and "frac.json" in done.output and "floor" in done.output, done.output


# 1. a bureau's rule runs on the forms that have its fields (or those its row names), titled and at its cell

MONITORING = EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx"
_CATEGORY = _row("bureau.category_required", "required",
                 '{"paths": ["/project/category", "/project/performance_type"]}',
                 "请填写“{field}”", "Fill in '{field}'")


def test_a_required_rule_of_goal_table_fields_leaves_other_forms_alone(tmp_path):
    from xlgoals import validate

    rules = bureau_rules(tmp_path / "r.csv", _CATEGORY)
    report = validate([NATIONAL / "目标表.xlsx", NATIONAL / "自评表.xlsx", MONITORING], rules=rules)
    found = [(f.path, p.message) for f in report.files for p in f.problems if p.code == "bureau.category_required"]
    assert found == [], found


def test_the_goal_table_is_still_held_to_it_titled_at_its_cell(tmp_path):
    from xlgoals import validate_file
    from xlgoals._form import GOAL_TABLE

    from .helpers import edited

    rules = bureau_rules(tmp_path / "r.csv", _CATEGORY)
    field = GOAL_TABLE.field("/project/category")
    blank = edited(NATIONAL / "目标表.xlsx", tmp_path / "g.xlsx", {(field.sheet, field.cell): None})
    (p,) = [p for p in validate_file(blank, rules=rules).problems if p.code == "bureau.category_required"]
    assert (p.sheet, p.cell) == (field.sheet, field.cell)
    assert p.message == f"请填写“{field.label}”" and "/project" not in p.message, p.message


def test_a_required_rule_over_two_forms_checks_on_each_the_fields_it_has(tmp_path):
    rules = bureau_rules(tmp_path / "r.csv", _row(
        "bureau.both", "required", '{"paths": ["/project/category", "/funds/deviation"]}', "请填写“{field}”",
        "Fill in '{field}'"))
    goal = _goal_doc()
    goal["project"].pop("category", None)
    said = [p.path for p in validate_document(goal, rules=rules) if p.code == "bureau.both"]
    assert said == ["/project/category"], said
    se = json.loads((NATIONAL / "自评表.json").read_text(encoding="utf-8"))
    se["funds"]["deviation"] = ""
    said = [(p.path, p.field) for p in validate_document(se, rules=rules) if p.code == "bureau.both"]
    assert [p for p, _ in said] == ["/funds/deviation"] and not said[0][1].startswith("/"), said


def test_a_rows_forms_scope_a_min_count_rule(tmp_path):
    se = json.loads((NATIONAL / "自评表.json").read_text(encoding="utf-8"))
    assert len(se["indicators"]) < 8
    unscoped = bureau_rules(tmp_path / "u.csv", _row("bureau.few", "min_count", '{"path": "/indicators", "min": 8}'))
    assert "bureau.few" in [p.code for p in validate_document(se, rules=unscoped)]
    scoped = bureau_rules(tmp_path / "s.csv", _row(
        "bureau.few", "min_count", '{"path": "/indicators", "min": 8, "forms": ["goal-table"]}'))
    assert "bureau.few" not in [p.code for p in validate_document(se, rules=scoped)]
    assert "bureau.few" in [p.code for p in validate_document(_goal_doc(), rules=scoped)]


@pytest.mark.parametrize("row", [
    _row("bureau.few", "min_count", '{"path": "/indicators", "min": 8, "forms": ["goal"]}'),
    _row("bureau.few", "min_count", '{"path": "/indicators", "min": 8, "forms": "goal-table"}'),
    _row("bureau.few", "min_count", '{"path": "/indicators", "min": 8, "forms": []}'),
    packaged_rule("rule.weight_total", params='{"total": 100, "forms": ["self-evaluation"]}'),
])
def test_a_forms_scope_naming_no_form_the_check_runs_on_is_refused(tmp_path, row):
    zh, en = _load_refused(tmp_path, row)
    assert "第 2 行" in zh and "forms" in zh and "goal-table" in zh, zh
    assert "'forms'" in en, en


# 6. a rule turned off (severity off): run nowhere, said of no return

def _over_total(tmp_path):
    """The national-2021 goal table with 当年预算 above 项目总预算 (rule.current_le_total's error, its only one)."""
    from xlgoals._form import GOAL_TABLE

    from .helpers import edited

    total, current = GOAL_TABLE.field("/budget/total"), GOAL_TABLE.field("/budget/current_year")
    from openpyxl import load_workbook

    amount = load_workbook(NATIONAL / "目标表.xlsx")[total.sheet][total.cell].value
    folder = tmp_path / "收到"
    folder.mkdir()
    return edited(NATIONAL / "目标表.xlsx", folder / "目标表.xlsx", {(current.sheet, current.cell): amount + 1})


def test_off_turns_a_rule_off_in_validate_annotate_and_the_summary(tmp_path):
    from xlgoals import consolidate, validate

    bad = _over_total(tmp_path)
    assert [p.code for p in validate([bad]).files[0].problems if p.is_error] == ["rule.current_le_total"]
    rules = bureau_rules(tmp_path / "r.csv", packaged_rule("rule.current_le_total", severity="off"))
    report = validate([bad], rules=rules)
    assert report.files[0].problems == [] and report.files[0].passes(), report.files[0].problems
    marked = tmp_path / "标注"
    done = cli("validate", bad, "--rules", rules, "--annotate", marked)
    assert done.exit_code == 0 and "rule.current_le_total" not in done.output, done.output
    assert not marked.exists() or not list(marked.glob("*.xlsx"))
    on = cli("validate", bad, "--annotate", tmp_path / "标注2")
    assert on.exit_code == 1 and list((tmp_path / "标注2").glob("*.xlsx")), on.output  # the same run, rule on
    result = consolidate([bad.parent], tmp_path / "汇总.xlsx", rules=rules, jobs=1)
    assert result.invalid == [] and result.counts.get("counted_failing", 0) == 0, result.counts
    failing = consolidate([bad.parent], tmp_path / "汇总2.xlsx", jobs=1)
    assert len(failing.invalid) == 1


def test_off_in_validate_document_and_json(tmp_path):
    doc = _goal_doc()
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    assert "rule.current_le_total" in [p.code for p in validate_document(doc)]
    rules = bureau_rules(tmp_path / "r.csv", packaged_rule("rule.current_le_total", severity="off"))
    assert "rule.current_le_total" not in [p.code for p in validate_document(doc, rules=rules)]


def test_a_review_check_off_is_not_said_and_asks_for_no_review(tmp_path):
    from xlgoals import RuleTable

    rules = bureau_rules(tmp_path / "r.csv", packaged_rule("review.satisfaction_low", severity="off"))
    assert RuleTable.load(rules).review_configured() == []
    doc = _goal_doc()
    for it in doc["indicators"]:
        if it["level1"] == "满意度指标":
            it["value"] = 50
    assert "review.satisfaction_low" in [p.code for p in validate_document(doc, review=True)]
    assert "review.satisfaction_low" not in [p.code for p in validate_document(doc, review=True, rules=rules)]


def test_the_guide_leaves_out_a_rule_turned_off(tmp_path):
    import openpyxl

    from .conftest import EXAMPLE_JSON
    from .helpers import ooxml_errors

    def guide(*rows):
        out = tmp_path / f"out{len(list(tmp_path.iterdir()))}"
        args = ["template", "--form", "self-evaluation", "--targets", EXAMPLE_JSON[1], "--out-dir", out]
        if rows:
            args += ["--rules", bureau_rules(tmp_path / f"r{len(list(tmp_path.iterdir()))}.csv", *rows)]
        done = cli(*args)
        assert done.exit_code == 0, done.output
        (made,) = sorted(out.glob("*.xlsx"))
        assert ooxml_errors(made) == []
        ws = openpyxl.load_workbook(made)["填表说明"]
        return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)

    plain = guide()
    assert "实际完成值超过目标 30% 及以上的，须填写偏差原因" in plain and "低于 90%" in plain, plain
    off = guide(packaged_rule("self.execution_unexplained", severity="off"),
                packaged_rule("self.deviation_missing", severity="off"))
    assert "实际完成值超过目标" not in off and "（非必填）" in off, off
    assert "低于 90%" not in off, off


@pytest.mark.parametrize("code", ["cell.date", "schema.required", "file.missing"])
def test_a_code_the_program_gives_cannot_be_turned_off(tmp_path, code):
    zh, en = _load_refused(tmp_path, packaged_rule(code, severity="off"))
    assert "第 2 行" in zh and code in zh and "off" in zh and "warning" in zh, zh
    assert "turned off" in en, en


def test_an_unknown_severity_names_off(tmp_path):
    zh, en = _load_refused(tmp_path, packaged_rule("rule.current_le_total", severity="disabled"))
    assert "off" in zh and "disabled" in zh, zh
