"""The self-evaluation (绩效自评表): points, scoring, templates from targets, read/fill/validate, summary."""

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import FORMS, Config, ConfigError, consolidate, fill, load_schema, read, validate, validate_file
from xlgoals._form import a1
from xlgoals._decimals import number
from xlgoals._selfeval._scoring import ScoringTable, evaluate, score_funds, score_indicator
from xlgoals._selfeval._targets import (
    TargetsIndex, indicator_id, self_evaluation_document, self_evaluation_templates, targets_sha256,
)
from xlgoals._selfeval._weights import allocate, load_weights, parse_weights
from xlgoals._write._workbook import build_workbook

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, cli, load
from .helpers import edited, note_typed_below, templates_from_sample_targets

SE = FORMS["self-evaluation"]
CFG = Config.load()
TABLE = ScoringTable.load()
SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))
NATIONAL = EXAMPLES / "national-2021"
BAD = EXAMPLES / "received-self-evaluation" / "02_促进就业专项资金_有误.xlsx"


def se_cell(index: int, key: str) -> str:
    return a1(SE.table.first_row + index, SE.column(key).index)


def info(path: str) -> tuple[str, str]:
    f = SE.field(path)
    return f.sheet, f.cell


def score(comp, target, actual, points=10):
    s = score_indicator({"comparator": comp, "value": target, "actual": actual, "points": points}, TABLE)
    return None if s.score is None else float(s.score)


# Scoring: one test per row of the issue's table ---------------------------------------------------
def test_funds_score_is_points_times_rate_capped_at_one():
    def funds(executed, budget):
        return float(score_funds({"points": 10, "full_year_budget": budget, "executed": executed}, TABLE).score)
    assert funds(95, 100) == 9.5
    assert funds(120, 100) == 10
    # exact decimals: 0.1 + 0.2 style sums do not drift; 1/3 rounds half up to two decimals
    assert funds(1, 3) == 3.33 and funds(2, 3) == 6.67
    assert funds(6_424_663.005 - 0.005, 6_424_663) == 10


@pytest.mark.parametrize("comp", [">=", ">"])
def test_ge_met_gives_points(comp):
    assert score(comp, 85, 85) == 10 and score(comp, 85, 99) == 10


@pytest.mark.parametrize("comp", [">=", ">"])
def test_ge_short_is_proportional_not_below_zero(comp):
    assert score(comp, 80, 60) == 7.5
    assert score(comp, 80, -5) == 0


@pytest.mark.parametrize("comp", ["<=", "<"])
def test_le_met_gives_points(comp):
    assert score(comp, 600, 550) == 10 and score(comp, 600, 600) == 10


@pytest.mark.parametrize("comp", ["<=", "<"])
def test_le_above_but_below_twice_loses_the_excess_share(comp):
    assert score(comp, 600, 660) == 9  # 10 × (1 − 60/600)
    assert score(comp, 600, 1199) == 0.02


@pytest.mark.parametrize("comp", ["<=", "<"])
def test_le_at_twice_or_more_is_zero(comp):
    assert score(comp, 600, 1200) == 0 and score(comp, 600, 5000) == 0


def test_eq_equal_gives_points():
    assert score("=", 100, 100) == 10


def test_eq_below_is_scored_as_ge():
    assert score("=", 100, 90) == score(">=", 100, 90) == 9


def test_eq_above_loses_the_excess_share():
    assert score("=", 100, 110) == 9 and score("=", 100, 250) == 0


def test_target_zero_ge_gt():
    assert score(">=", 0, 0) == 10 and score(">=", 0, -1) == 0
    assert score(">", 0, 1) == 10 and score(">", 0, 0) == 0


def test_target_zero_le_lt():
    assert score("<=", 0, 0) == 10 and score("<=", 0, 1) == 0
    assert score("<", 0, -1) == 10 and score("<", 0, 0) == 0


@pytest.mark.parametrize("grade, inside, outside", [
    ("achieved", [8, 9.5, 10], [7.99]), ("partly", [6, 7.99], [8, 5.99]), ("not_achieved", [0, 5.99], [6]),
])
def test_qualitative_bands(grade, inside, outside):
    for reported in inside + outside:
        s = score_indicator({"comparator": "qualitative", "text": "合理", "grade": grade, "points": 10,
                             "score": reported}, TABLE)
        assert s.rule.band.holds(Decimal(str(reported)), Decimal(10)) == (reported in inside), (grade, reported)


def test_total_and_its_grade():
    doc = load(SE_JSON[1])
    ev = evaluate(doc, TABLE)
    assert ev.total == ev.funds.score + sum(s.score for s in ev.indicators)
    for total, grade in ((Decimal(90), "优"), (Decimal("89.99"), "良"), (Decimal(80), "良"), (Decimal(60), "中"),
                         (Decimal("59.99"), "差")):
        from xlgoals._selfeval._scoring import grade_of
        assert grade_of(total, TABLE) == grade


numbers = st.decimals(min_value=-10**6, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
points_st = st.decimals(min_value=0, max_value=100, places=2)


@settings(max_examples=300, deadline=None)
@given(comp=st.sampled_from(["=", ">=", ">", "<=", "<"]), target=numbers, actual=numbers, points=points_st)
def test_score_never_exceeds_points_nor_falls_below_zero(comp, target, actual, points):
    s = score_indicator({"comparator": comp, "value": float(target), "actual": float(actual),
                         "points": float(points)}, TABLE)
    assert s.score is not None and Decimal(0) <= s.score <= points
    assert s.score == s.score.quantize(Decimal("0.01"))


@settings(max_examples=300, deadline=None)
@given(comp=st.sampled_from(["=", ">=", ">", "<=", "<"]), target=numbers, points=points_st,
       delta=st.decimals(min_value=0, max_value=1000, places=2))
def test_meeting_the_target_gives_full_points(comp, target, points, delta):
    actual = target if comp == "=" else (target + delta if comp in (">=", ">") else target - delta)
    if comp in (">", "<") and target == 0:
        actual = target + (delta or 1) if comp == ">" else target - (delta or 1)
    s = score_indicator({"comparator": comp, "value": float(target), "actual": float(actual),
                         "points": float(points)}, TABLE)
    assert s.score == points


@settings(max_examples=200, deadline=None)
@given(executed=st.decimals(min_value=0, max_value=10**10, places=2),
       budget=st.decimals(min_value=Decimal("0.01"), max_value=10**10, places=2), points=points_st)
def test_funds_score_within_points(executed, budget, points):
    s = score_funds({"points": float(points), "executed": float(executed), "full_year_budget": float(budget)}, TABLE)
    assert Decimal(0) <= s.score <= points


# Points ---------------------------------------------------------------------------------------------
def test_national_points_share_output_and_cost():
    goal = load(NATIONAL / "目标表.json")
    doc = self_evaluation_document(goal, CFG)
    pts = {i["id"]: i["points"] for i in doc["indicators"]}
    assert doc["funds"]["points"] == 10
    assert pts["C1"] + pts["P1"] + pts["P2"] + pts["P3"] == 50  # 成本指标 shares 产出指标's 50
    assert pts["E1"] + pts["E2"] == 30 and pts["S1"] == 10
    assert pts == {"C1": 12.5, "P1": 12.5, "P2": 12.5, "P3": 12.5, "E1": 15, "E2": 15, "S1": 10}


def test_points_rounded_with_the_remainder_to_the_last_row():
    inds = [{"level1": "A"}] * 3 + [{"level1": "B"}]
    w = parse_weights({"funds": 10, "level1": [{"names": ["A"], "points": 50}, {"names": ["B"], "points": 40}]}, "w")
    funds, pts = allocate(inds, w)
    assert pts[:3] == [Decimal("16.67"), Decimal("16.67"), Decimal("16.66")] and funds + sum(pts) == 100


def test_every_seed_table_totals_100():
    for path in EXAMPLE_JSON:
        doc = self_evaluation_document(load(path), CFG)
        assert Decimal(str(doc["funds"]["points"])) + sum(Decimal(str(i["points"])) for i in doc["indicators"]) == 100


def test_goal_table_weights_are_the_points():
    goal = load(NATIONAL / "目标表.json")
    for ind, w in zip(goal["indicators"], (10, 15, 15, 10, 20, 10, 10)):
        ind["weight"] = w
    doc = self_evaluation_document(goal, CFG)
    assert [i["points"] for i in doc["indicators"]] == [10, 15, 15, 10, 20, 10, 10] and doc["funds"]["points"] == 10


def test_weights_file_overrides_and_must_total_100(tmp_path):
    good = tmp_path / "w.json"
    good.write_text(json.dumps({"funds": 20, "level1": [{"names": ["投入与管理", "产出目标"], "points": 50},
                                                        {"names": ["效果目标", "影响力目标"], "points": 30}]}),
                    encoding="utf-8")
    doc = self_evaluation_document(load(EXAMPLE_JSON[0]), CFG, load_weights(good))
    assert doc["funds"]["points"] == 20
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"funds": 20, "level1": [{"names": ["投入与管理"], "points": 50}]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json.*100"):
        load_weights(bad)
    result = cli("template", "--form", "self-evaluation", "--targets", EXAMPLE_JSON[0], "--out-dir", tmp_path / "o",
                 "--weights", bad)
    assert result.exit_code == 2 and "bad.json" in result.output and "100" in result.output


def test_framework_weights_are_checked_strictly(tmp_path):
    from xlgoals._frameworks import parse_framework
    from xlgoals._resources import data_dir

    spec = json.loads((data_dir("templates") / "national-2021.json").read_text(encoding="utf-8"))
    spec["self_evaluation"]["funds"] = 15
    with pytest.raises(ConfigError, match="100"):
        parse_framework(spec, "x.json")
    spec["self_evaluation"]["funds"] = 10
    spec["self_evaluation"]["level1"][0]["names"] = ["产出指标"]  # 成本指标 left without points
    with pytest.raises(ConfigError, match="成本指标"):
        parse_framework(spec, "x.json")


# Templates from approved targets --------------------------------------------------------------------
def test_templates_from_targets_lock_targets_and_open_inputs(tmp_path):
    result, path, goal = templates_from_sample_targets(tmp_path, self_evaluation_templates)
    wb = openpyxl.load_workbook(path)
    ws, infos = wb[SE.table.name], wb[SE.info.name]
    assert ws.protection.sheet and infos.protection.sheet
    for i, ind in enumerate(goal["indicators"]):
        for key in ("id", "level1", "level2", "name", "comparator", "target", "unit", "points"):
            assert ws[se_cell(i, key)].protection.locked, (i, key)
        for key in ("actual", "score", "deviation"):
            assert not ws[se_cell(i, key)].protection.locked, (i, key)
        # 完成等级 is asked only on qualitative rows
        assert ws[se_cell(i, "grade")].protection.locked == (ind["comparator"] != "qualitative")
    assert ws[se_cell(0, "id")].value == "I001"
    for path_ in ("/unit", "/project/name", "/targets_sha256", "/funds/points", "/overall/target"):
        assert infos[SE.field(path_).cell].protection.locked, path_
    for path_ in ("/funds/executed", "/funds/score", "/overall/achieved", "/contact/name"):
        assert not infos[SE.field(path_).cell].protection.locked, path_
    dv = {str(d.sqref): d.formula1 for d in ws.data_validations.dataValidation}
    assert "xl_grades" in dv.values()
    back = read(path)
    assert back.form == "self-evaluation" and [p.code for p in back.problems] == []
    assert back.document["targets_sha256"] == targets_sha256(goal)


def test_a_goal_table_json_with_nan_is_named_once_with_its_json_path(tmp_path):
    """Goal tables given as --targets are read by load_document as every JSON document is: NaN is refused where it
    stands, and the file is named once (the loader's message is not prefixed with the file again)."""
    bad = tmp_path / "坏.json"
    bad.write_text(json.dumps(load(EXAMPLE_JSON[0]), ensure_ascii=False).replace('"year": 2020', '"year": NaN'),
                   encoding="utf-8")
    broken = tmp_path / "断.json"
    broken.write_text("{", encoding="utf-8")
    result = self_evaluation_templates([bad, broken], tmp_path / "out")
    assert result.errors == [f"{bad}：/year：JSON 中不允许 NaN（不是有效的数字）",
                             f"{broken}：不是有效的 JSON（第 1 行第 2 列：此处应为英文双引号括起的名称，可能多了逗号或用了单引号、中文引号）"]


def test_ids_from_the_goal_table_or_its_rows():
    assert indicator_id({"id": "P1"}, 4) == "P1" and indicator_id({}, 4) == "I005"
    doc = self_evaluation_document(load(NATIONAL / "目标表.json"), CFG)
    assert [i["id"] for i in doc["indicators"]][:2] == ["C1", "P1"]


def test_cli_template_reports_bad_inputs_and_writes_the_rest(tmp_path):
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    result = cli("template", "--form", "self-evaluation", "--targets", EXAMPLE_JSON[0], bad, "--out-dir", tmp_path)
    assert result.exit_code == 1
    assert "坏.json" in result.output and "已生成" in result.output
    assert f"（来自 {EXAMPLE_JSON[0]}）" in result.output  # each workbook names the goal table it was made from
    assert cli("template", "--form", "self-evaluation", "-o", tmp_path / "x.xlsx").exit_code == 2


# The document -------------------------------------------------------------------------------------
def test_schema_has_the_agreed_field_names():
    schema = load_schema("self-evaluation")
    assert set(schema["properties"]) >= {"form", "framework", "year", "unit", "project", "targets_sha256", "contact",
                                         "funds", "overall", "indicators"}
    funds = schema["properties"]["funds"]["properties"]
    assert set(funds) >= {"initial_budget", "full_year_budget", "executed", "points", "score", "sources"}
    assert set(funds["sources"]["properties"]) == {"fiscal", "carryover", "other"}
    assert set(schema["properties"]["overall"]["properties"]) == {"target", "achieved"}
    item = schema["$defs"]["indicator"]["properties"]
    assert set(item) == {"id", "level1", "level2", "name", "comparator", "value", "unit", "text", "actual", "grade",
                         "points", "score", "deviation"}
    assert item["grade"]["enum"][:3] == ["achieved", "partly", "not_achieved"]
    printed = cli("schema", "--form", "self-evaluation")
    assert printed.exit_code == 0 and json.loads(printed.output) == schema


@pytest.mark.parametrize("json_path", SE_JSON, ids=lambda p: p.stem)
def test_examples_are_valid_and_byte_identical_to_fill(json_path, tmp_path):
    doc = load(json_path)
    assert doc["form"] == "self-evaluation"
    xlsx = json_path.with_suffix(".xlsx")
    assert xlsx.read_bytes() == fill(doc, tmp_path / "again.xlsx").read_bytes(), \
        "examples/self-evaluation is stale: run python examples/make_self_evaluation.py"
    assert read(xlsx).document == doc
    assert validate_file(xlsx).passes()


def test_national_example_pair():
    goal, se = load(NATIONAL / "目标表.json"), load(NATIONAL / "自评表.json")
    assert goal["framework"] == se["framework"] == "national-2021"
    assert se["targets_sha256"] == targets_sha256(goal)
    assert (NATIONAL / "自评表.xlsx").read_bytes() == build_workbook(
        "national-2021", se["year"], se, rows=len(se["indicators"]), form=SE)
    report = validate([NATIONAL], targets=[NATIONAL / "目标表.json"])
    assert report.valid and not report.problems()


def test_bad_example_is_reported_at_its_cells():
    report = validate_file(BAD)
    found = {(p.code, p.sheet, p.cell) for p in report.problems}
    doc = load(SE_JSON[1])
    wrong = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] != "qualitative"
                 and ind["actual"] == ind["value"])
    short = next(i for i, ind in enumerate(doc["indicators"]) if ind.get("deviation"))
    assert found == {("self.score_mismatch", SE.table.name, se_cell(wrong, "score")),
                     ("self.deviation_missing", SE.table.name, se_cell(short, "deviation"))}
    mismatch = next(p for p in report.problems if p.code == "self.score_mismatch")
    assert "2.22" in mismatch.message and "1.11" in mismatch.message and "分值" in mismatch.message


# Validate ----------------------------------------------------------------------------------------------
def _edited_example(tmp_path, edits, name="r.xlsx"):
    return edited(SE_JSON[1].with_suffix(".xlsx"), tmp_path / name, edits)


def test_each_check_is_located(tmp_path):
    doc = load(SE_JSON[1])
    qual, qual2 = [i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative"][:2]
    quant = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind["value"] > 0
                 and not ind.get("deviation"))
    t = SE.table.name
    path = _edited_example(tmp_path, {
        (t, se_cell(qual, "grade")): None,                                 # missing grade
        (t, se_cell(qual2, "score")): doc["indicators"][qual2]["points"] * 0.5,  # outside its band
        (t, se_cell(quant, "actual")): doc["indicators"][quant]["value"] * 2,         # 2× target, no reason
        (t, se_cell(quant + 1, "actual")): None,                           # missing actual
        (t, se_cell(quant + 2, "score")): 99,                              # above its points
        (*info("/funds/executed"), ): 1000,                                # rate far below 90 %, no reason
        info("/funds/sources/fiscal/full_year_budget"): 1,                 # sources do not add up
        info("/funds/initial_budget"): "6280万元",                          # 万元
    })
    found = {(p.code, p.cell) for p in validate_file(path).problems}
    assert ("self.grade_missing", se_cell(qual, "grade")) in found
    assert ("self.grade_band", se_cell(qual2, "score")) in found
    assert ("self.deviation_missing", se_cell(quant, "deviation")) in found
    assert ("self.actual_missing", se_cell(quant + 1, "actual")) in found
    assert ("self.score_above_points", se_cell(quant + 2, "score")) in found
    assert ("self.execution_unexplained", SE.field("/funds/deviation").cell) in found
    assert ("self.funds_breakdown", SE.field("/funds/full_year_budget").cell) in found
    breakdown = next(p for p in validate_file(path).problems if p.code == "self.funds_breakdown")
    assert re.search(r"为 [\d,]+\.\d\d 元，而财政拨款、上年结转、其他资金合计为 [\d,]+\.\d\d 元", breakdown.message), \
        breakdown.message
    assert breakdown.expected.endswith(" 元") and breakdown.expected_en.endswith(" yuan"), breakdown
    assert ("cell.amount_wan", SE.field("/funds/initial_budget").cell) in found
    assert ("self.score_mismatch", SE.field("/funds/score").cell) in found


def test_validate_targets_finds_changed_locked_cells(tmp_path):
    t = SE.table.name
    path = _edited_example(tmp_path, {(t, se_cell(3, "target")): 50, (t, se_cell(4, "points")): 9,
                                      info("/project/name"): "促进就业专项资金（改）"})
    plain = {p.code for p in validate_file(path).problems}
    assert "self.target_changed" not in plain
    report = validate([path], targets=[EXAMPLES / "json"])
    found = {(p.code, p.cell) for p in report.problems()}
    assert ("self.target_changed", se_cell(3, "target")) in found
    assert ("self.target_changed", se_cell(4, "points")) in found
    # matched by digest; the project name is locked in the template, which says so itself (one error there)
    assert ("template.locked_changed", SE.field("/project/name").cell) in found
    assert ("self.target_changed", SE.field("/project/name").cell) not in found
    unmatched = validate([path], targets=[EXAMPLE_JSON[0]])
    # at the digest it was sought by, so that an annotated copy marks it (it stood at no cell)
    assert ("self.targets_unmatched", SE.info.name, SE.field("/targets_sha256").cell) in \
        {(p.code, p.sheet, p.cell) for p in unmatched.problems()}
    result = cli("validate", path, "--targets", EXAMPLES / "json", EXAMPLES / "projects.csv")
    assert result.exit_code == 1 and "self.target_changed" in result.output


def test_hostile_values_never_raise(tmp_path):
    t = SE.table.name
    path = _edited_example(tmp_path, {(t, se_cell(0, "grade")): "=HYPERLINK(\"x\")", (t, se_cell(1, "actual")): "≥92%",
                                      (t, se_cell(2, "score")): "满分", info("/funds/score"): "①",
                                      info("/contact/date"): "明年春天", (t, se_cell(5, "points")): -1})
    codes = {p.code for p in validate_file(path).problems}
    assert {"cell.grade", "cell.number", "cell.date"} <= codes


# Consolidate ------------------------------------------------------------------------------------------
def test_consolidate_self_evaluations(tmp_path):
    out = tmp_path / "自评汇总.xlsx"
    result = consolidate([EXAMPLES / "self-evaluation", BAD], out, jobs=1, csv_dir=tmp_path / "csv",
                         json_path=tmp_path / "s.json")
    assert result.form == "self-evaluation"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["自评汇总", "项目得分", "指标完成", "偏差清单", "校验结果"]
    ws = wb["自评汇总"]
    total_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "合计")
    assert ws.cell(total_row, 4).value.startswith("=SUM(")
    assert result.totals["projects"] == 5
    budgets = sum(Decimal(str(load(p)["funds"]["full_year_budget"])) for p in SE_JSON)
    assert Decimal(str(result.totals["full_year_budget"])) == budgets
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert len(data["indicators"]["rows"]) == sum(len(load(p)["indicators"]) for p in SE_JSON)
    assert all(r[8] in ("失分", "超额完成30%及以上") for r in data["deviations"]["rows"])
    assert any(r[8] == "超额完成30%及以上" for r in data["deviations"]["rows"])
    assert (tmp_path / "csv" / "偏差清单.csv").exists()
    again = tmp_path / "again.xlsx"
    consolidate([EXAMPLES / "self-evaluation", BAD], again, jobs=2)
    assert again.read_bytes() == out.read_bytes()


def test_mixed_folder_is_refused_with_how_to_split(tmp_path):
    out = tmp_path / "mixed.xlsx"
    result = cli("consolidate", EXAMPLES / "returns", EXAMPLES / "self-evaluation", "-o", out)
    assert result.exit_code == 2 and not out.exists()  # a usage error: the folder must be split
    assert "绩效自评表 10 个" in result.output and "分别运行" in result.output  # (5 workbooks, their 5 JSON)


# Workbooks written pass the OOXML check ----------------------------------------------------------------
def test_workbooks_pass_ooxml_check(tmp_path):
    audit = pytest.importorskip("openxml_audit")
    paths = [*(p.with_suffix(".xlsx") for p in SE_JSON), NATIONAL / "自评表.xlsx", BAD]
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "self-evaluation"], out, jobs=1)
    for p in [*paths, out]:
        result = audit.OpenXmlValidator().validate(str(p))
        assert result.is_valid, (p, [str(e) for e in list(result.errors)[:3]])


def test_targets_index_matches_by_name_when_digest_differs():
    index = TargetsIndex.load([EXAMPLES / "json"], CFG)
    doc = load(SE_JSON[0])
    doc["targets_sha256"] = "0" * 64
    assert index.match(doc)["project"]["name"] == doc["project"]["name"]
    assert index.problems(doc, CFG.rules) == []


def test_examples_readme_mentions_invented_actuals():
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "self-evaluation/" in text and "invented" in text
    assert Path(EXAMPLES / "make_self_evaluation.py").exists()


# Computed cells: 执行率 in the funds block, 总分 below the indicator rows ---------------------------------------
def _rate_cell():
    ((r, c, comp),) = SE.info.grids[0].computed
    return SE.info.name, r, c, comp


def _total_cell(n: int):
    return SE.table.name, SE.table.first_row + n, SE.column(SE.table.total.column).index


def test_rate_and_total_are_locked_formulas_with_exact_cached_values():
    json_path = SE_JSON[1]
    doc, xlsx = load(json_path), json_path.with_suffix(".xlsx")
    wb, cached = openpyxl.load_workbook(xlsx), openpyxl.load_workbook(xlsx, data_only=True)
    budget, executed, funds_score = (SE.field(p) for p in ("/funds/full_year_budget", "/funds/executed",
                                                           "/funds/score"))
    sheet, r, c, _ = _rate_cell()
    assert SE.info.grids[0].headers[c - SE.info.value_col] == "执行率" and (budget.row, executed.row) == (r, r)
    rate = wb[sheet].cell(r + 1, c + 1)
    b, e = f"${budget.cell[0]}${r + 1}", f"${executed.cell[0]}${r + 1}"
    assert rate.value == f'=IF(AND(ISNUMBER({b}),ISNUMBER({e}),N({b})>0),{e}/{b},"")'
    assert rate.protection.locked and rate.number_format == "0.00%"
    expected_rate = Decimal(str(doc["funds"]["executed"])) / Decimal(str(doc["funds"]["full_year_budget"]))
    assert cached[sheet].cell(r + 1, c + 1).value == float(expected_rate)

    n = len(doc["indicators"])
    sheet, r, c = _total_cell(n)
    ws = wb[sheet]
    assert ws.cell(r + 1, 1).value == "总分" and f"A{r + 1}:{a1(r, c - 1)}" in {str(m) for m in ws.merged_cells.ranges}
    total = ws.cell(r + 1, c + 1)
    letter, first = a1(0, c)[:-1], SE.table.first_row + 1
    fs = f"'{SE.info.name}'!${funds_score.cell[0]}${funds_score.row + 1}"
    assert total.value == (f'=IF(COUNT({fs},${letter}${first}:${letter}${r})=0,"",'
                           f'ROUND(N({fs})+SUM(${letter}${first}:${letter}${r}),2))')
    assert total.protection.locked and total.number_format == "0.00"
    # both sheets protected; on the table, inserting rows is one of the protected actions (insertRows=1)
    assert wb[SE.info.name].protection.sheet and ws.protection.sheet and ws.protection.insertRows
    scores = [Decimal(str(ind["score"])) for ind in doc["indicators"]]
    expected_total = (Decimal(str(doc["funds"]["score"])) + sum(scores)).quantize(Decimal("0.01"))
    assert cached[sheet].cell(r + 1, c + 1).value == float(expected_total)
    assert ws.max_row == r + 1  # 总分 ends the table
    result = read(xlsx)  # neither cell is read: the document comes back as it was, with no formula problem
    assert result.document == doc and result.problems == []


def test_total_is_exact_and_blank_until_a_score_is_entered(tmp_path):
    doc = load(SE_JSON[0])
    for ind in doc["indicators"]:
        ind.pop("score", None)
    doc["funds"]["score"] = None
    _, r, c = _total_cell(len(doc["indicators"]))
    blank = openpyxl.load_workbook(fill(doc, tmp_path / "blank.xlsx"), data_only=True)
    assert blank[SE.table.name].cell(r + 1, c + 1).value in ("", None)
    doc["funds"]["score"] = 0.1
    doc["indicators"][0]["score"] = 0.2  # 0.1 + 0.2 in binary floats is 0.30000000000000004
    wb = openpyxl.load_workbook(fill(doc, tmp_path / "some.xlsx"), data_only=True)
    assert wb[SE.table.name].cell(r + 1, c + 1).value == 0.3
    value = SE.table.total.cell.value  # text and blanks count for nothing, as SUM and N() take them
    assert value([0.1, [0.2, "十分", None]], {}) == 0.3 and value(["x", [None]], {}) is None


def test_template_from_targets_has_blank_computed_cells(tmp_path):
    made = self_evaluation_templates([EXAMPLE_JSON[1]], tmp_path / "t")
    (path,) = made.written
    doc = read(path).document
    sheet, r, c, _ = _rate_cell()
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb[sheet].cell(r + 1, c + 1).value in ("", None)
    sheet, r, c = _total_cell(len(doc["indicators"]))
    assert wb[sheet].cell(r + 1, 1).value == "总分" and wb[sheet].cell(r + 1, c + 1).value in ("", None)
    assert openpyxl.load_workbook(path)[sheet].cell(r + 1, c + 1).value.startswith("=IF(COUNT(")


def test_input_typed_beside_the_total_line_is_read_not_dropped(tmp_path):
    doc = load(SE_JSON[2])
    n = len(doc["indicators"])
    path = edited(SE_JSON[2].with_suffix(".xlsx"), tmp_path / "x.xlsx",
                  {(SE.table.name, a1(SE.table.first_row + n, SE.column("deviation").index)): "补充说明"})
    result = read(path)
    assert len(result.document["indicators"]) == n + 1
    assert result.document["indicators"][-1]["deviation"] == "补充说明"


def test_layout_1_returns_without_computed_cells_still_read(tmp_path):
    from xlgoals._form import LAYOUTS, layouts_of

    old = LAYOUTS[("self-evaluation", 1)]
    assert SE.layout_version == 3 and layouts_of(SE) == [SE, LAYOUTS[("self-evaluation", 2)], old]
    assert old.table.total is None and not old.info.grids[0].computed and "执行率" not in old.info.grids[0].headers
    assert old.field("/funds/score").col == SE.field("/funds/score").col - 1  # 执行率 took a column before it
    doc = load(SE_JSON[3])
    doc["contact"].pop("head")  # no 单位负责人 before layout 3
    xlsx = tmp_path / "layout1.xlsx"
    xlsx.write_bytes(build_workbook(doc["framework"], doc["year"], doc, form=old))
    result = read(xlsx)
    assert result.document == doc and result.problems == []


@pytest.mark.parametrize("value, shown", [("10", "文本“10”"), (True, "true"), (float("inf"), "Infinity"),
                                          (None, "空"), (10.555, "10.555")])
def test_a_weights_error_shows_the_value_as_written_in_the_file(value, shown):
    with pytest.raises(ConfigError) as exc:
        parse_weights({"funds": value, "level1": [{"names": ["A"], "points": 90}]}, "w.json")
    assert str(exc.value).endswith(f"实际为 {shown}")


def test_the_summary_counts_duplicates_and_gives_rates_to_a_hundredth_of_a_percent(tmp_path):
    src = tmp_path / "收到"
    src.mkdir()
    for p in sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "再次报送.xlsx").write_bytes(sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1].read_bytes())
    third = load(SE_JSON[2])  # executed two thirds of the budget: 执行率 0.666… carried as 0.6667
    third["funds"]["executed"] = number(Decimal(str(third["funds"]["full_year_budget"])) * 2 / 3)
    third["funds"]["score"] = number(score_funds(third["funds"], TABLE).score)
    third["funds"]["deviation"] = "部分资金下年度拨付"  # below 90 %: explained
    third["funds"].pop("sources", None)  # the breakdown is optional
    fill(third, src / "三分之二.xlsx")
    result = cli("consolidate", src, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json")
    assert result.exit_code == 0, result.output
    assert "计入 3 个项目" in result.output and "重复申报 1 个（未计入）" in result.output
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    rates = {row[2]: row[3] for row in data["projects"]["rows"]}
    assert rates[third["project"]["name"]] == 0.6667 and all(round(r, 4) == r for r in rates.values())
    unit_rate = data["summary"]["rows"][0][data["summary"]["columns"].index("执行率")]
    assert round(unit_rate, 4) == unit_rate and unit_rate not in (0.96, 0.97)


def _computed_rate_cell(form_id):
    form = FORMS[form_id].bind(month=6) if FORMS[form_id].params else FORMS[form_id]
    (r, c, _), *_ = form.info.grids[0].computed
    return form, r, c


def _rate_of(doc, form_id):
    executed = doc["funds"]["executed" if form_id == "self-evaluation" else "executed_to_date"]
    return Decimal(str(executed)) / Decimal(str(doc["funds"]["full_year_budget"]))


@pytest.mark.parametrize("form_id, folder", [("self-evaluation", "self-evaluation"), ("monitoring", "monitoring")])
def test_a_computed_cell_typed_over_with_its_value_is_a_warning_at_it(tmp_path, form_id, folder):
    """执行率 (and 序时进度) are formulas the sheet computes; typed over (the sheet unprotected) with the figure the
    formula gives, the printed form is right but the formula is gone: a warning at the cell."""
    form, r, c = _computed_rate_cell(form_id)
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[0]
    assert not [p for p in validate_file(src).problems if p.code.startswith("cell.computed")]
    rate = _rate_of(read(src).document, form_id)
    typed = float(rate.quantize(Decimal("0.0001")))  # as the cell shows it: 0.00%
    path = edited(src, tmp_path / "o.xlsx", {(form.info.name, a1(r, c)): typed})
    found = [p for p in validate_file(path).problems if p.code.startswith("cell.computed")]
    assert [(p.code, p.sheet, p.cell, p.severity) for p in found] == \
        [("cell.computed_overwritten", form.info.name, a1(r, c), "warning")], [p.message for p in found]
    assert f"“{(rate * 100).quantize(Decimal('0.01')).normalize():f}%”" in found[0].message, found[0].message


def test_a_rate_typed_over_with_a_number_too_large_for_decimals_is_the_error_not_a_traceback(tmp_path):
    """1e308 over 执行率: compared with the quotient at the 0.00% shown, it overflowed Decimal's quantize.  The error,
    and, as Excel shows it in 0.00% (311 characters in a column under 11 wide), that it prints ###."""
    form, r, c = _computed_rate_cell("self-evaluation")
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
    path = edited(src, tmp_path / "o.xlsx", {(form.info.name, a1(r, c)): 1e308})
    found = [p for p in validate_file(path).problems if (p.sheet, p.cell) == (form.info.name, a1(r, c))]
    assert [p.code for p in found] == ["cell.computed_not_formula", "cell.number_hashes"], [p.message for p in found]
    assert found[0].severity == "error"


@pytest.mark.parametrize("form_id, folder", [("self-evaluation", "self-evaluation"), ("monitoring", "monitoring")])
def test_a_rate_typed_over_in_libreoffice_with_another_figure_is_an_error(tmp_path, lo_edit, form_id, folder):
    """执行率 typed over in LibreOffice (protection off) with a figure that is not 全年执行数 ÷ 全年预算数: it was
    only the warning that the formula is gone, so a return printing and stamping a rate its own amounts do not
    give passed.  An error at the cell with both figures; the quotient typed to the precision shown stays the
    warning."""
    form, r, c = _computed_rate_cell(form_id)
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[0]
    rate = _rate_of(read(src).document, form_id)
    wrong = rate.quantize(Decimal("0.01")) + Decimal("0.05")  # what someone meant to show: 5 points more
    sheet, cell = form.info.name, a1(r, c)
    path = lo_edit(src, tmp_path / "rate.xlsx", [{"sheet": sheet, "unprotect": True},
                                                 {"sheet": sheet, "cell": cell, "input": f"{wrong * 100:f}%"}])
    found = [p for p in validate_file(path).problems if (p.sheet, p.cell) == (sheet, cell)]
    assert [(p.code, p.severity) for p in found] == [("cell.computed_not_formula", "error")], \
        [p.message for p in found]
    shown = f"{(rate * 100).quantize(Decimal('0.01')):f}%"
    assert f"“{(wrong * 100).normalize():f}%”" in found[0].message and shown in found[0].message, found[0].message
    assert shown in found[0].message_en, found[0].message_en
    right = rate.quantize(Decimal("0.0001"))
    path = lo_edit(src, tmp_path / "right.xlsx", [{"sheet": sheet, "unprotect": True},
                                                  {"sheet": sheet, "cell": cell, "input": f"{right * 100:f}%"}])
    found = [p for p in validate_file(path).problems if (p.sheet, p.cell) == (sheet, cell)]
    assert [(p.code, p.severity) for p in found] == [("cell.computed_overwritten", "warning")], \
        [p.message for p in found]


def _codes_at(path):
    return sorted((p.code, p.sheet, p.cell) for p in validate_file(path).problems if p.severity == "error")


def test_a_self_evaluation_without_its_funds_amounts_fails_at_each_cell(tmp_path):
    """年初预算数, 全年预算数 and 全年执行数 of 年度资金总额 left blank with a 资金得分 typed: it passed, and the
    summary counted it with no funds score (the typed 10 silently dropped).  Each blank amount is an error at
    its cell, as in the monitoring report."""
    doc = load(SE_JSON[1])
    doc["funds"] = {**doc["funds"], "initial_budget": None, "full_year_budget": None, "executed": None,
                    "score": 10}
    doc["funds"].pop("sources")
    fill(doc, tmp_path / "blank.xlsx")
    form = FORMS["self-evaluation"]
    expected = sorted(("rule.required_field", form.info.name, form.field(f"/funds/{key}").cell)
                      for key in ("initial_budget", "full_year_budget", "executed"))
    assert [c for c in _codes_at(tmp_path / "blank.xlsx") if c[0] == "rule.required_field"] == expected
    assert not validate(tmp_path / "blank.xlsx").valid


def test_a_budget_of_zero_that_was_spent_fails(tmp_path):
    """全年预算数 0 with 1,100,000.10 spent: no 执行率 and no funds score can be computed (the summary showed an
    empty score and a 总分 10 points below the form's own).  An error at the budget, naming the amount spent."""
    doc = load(SE_JSON[1])
    doc["funds"] = {**doc["funds"], "full_year_budget": 0, "executed": 1100000.10, "score": 10}
    doc["funds"].pop("sources")
    fill(doc, tmp_path / "zero.xlsx")
    form = FORMS["self-evaluation"]
    found = [p for p in validate_file(tmp_path / "zero.xlsx").problems if p.code == "self.budget_zero"]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("error", form.info.name,
                                                               form.field("/funds/full_year_budget").cell)]
    assert "为 0.00 元，而全年执行数为 1,100,000.10 元" in found[0].message and "执行率" in found[0].message, found[0].message
    assert "is 0.00 yuan while 1,100,000.10 yuan was spent" in found[0].message_en, found[0].message_en
    doc["funds"]["executed"] = 0  # nothing spent of nothing: no contradiction to report here
    fill(doc, tmp_path / "nothing.xlsx")
    assert not [p for p in validate_file(tmp_path / "nothing.xlsx").problems if p.code == "self.budget_zero"]


def test_validate_targets_holds_the_year_to_the_goal_tables(tmp_path):
    """Last year's self-evaluation held to this year's goal tables (or the other way round) passed silently, as
    the monitoring report does not: the year is compared too.  (A year typed over against the template's own
    stamp is template.locked_changed, with or without --targets.)"""
    goal = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    text = json.dumps({**goal, "year": goal["year"] + 1}, ensure_ascii=False).replace(f'"{goal["year"]}-', f'"{goal["year"] + 1}-')
    (tmp_path / "next.json").write_text(text, encoding="utf-8")
    path = SE_JSON[1].with_suffix(".xlsx")
    report = validate([path], targets=[tmp_path / "next.json"])
    assert not report.target_problems, [p.message for p in report.target_problems]
    # (its locked cells as issued: said to be a 2020 form, at its digest, since red team 31, not its year "changed")
    changed = [p for p in report.problems() if p.code.startswith("self.target")]
    assert [(p.code, p.sheet, p.cell, p.severity) for p in changed] == \
        [("self.targets_other_year", *info("/targets_sha256"), "error")]
    assert "本表是 2020 年度的表" in changed[0].message and "2021 年度" in changed[0].message
    same = validate([path], targets=[EXAMPLES / "json"])
    assert not [p for p in same.problems() if p.code == "self.target_changed"]
    typed = _edited_example(tmp_path, {info("/year"): 2021})
    assert [p.code for p in validate_file(typed).problems if p.cell == info("/year")[1]] == ["template.locked_changed"]


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_targets_holding_returns_only_stop_the_run(tmp_path, folder):
    """`validate 收到/ --targets 收到/` (the returns given twice, the goal tables forgotten) passed every return with
    a warning, exit 0; `template --targets` of returns made nothing and exited 0.  Both stop: exit 2, saying
    what the files are, and nothing is written."""
    returns = EXAMPLES / folder
    result = cli("validate", returns, "--targets", returns)
    assert result.exit_code == 2 and "--targets 中没有绩效目标表" in result.output, result.output
    assert "是项目支出" in result.output
    english = cli("validate", returns, "--targets", returns, "--lang", "en")
    assert english.exit_code == 2 and "no goal table in --targets" in english.output, english.output
    for form in (["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]):
        made = cli("template", *form, "--targets", returns, "--out-dir", tmp_path / "out")
        assert made.exit_code == 2 and "--targets 中没有绩效目标表" in made.output + made.stderr, made.output
        assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    mixed = cli("validate", returns, "--targets", returns, EXAMPLES / "json")  # goal tables among them: runs
    assert mixed.exit_code == 0, mixed.output


@pytest.mark.parametrize("form_id, folder, keys", [("self-evaluation", "self-evaluation", ("actual",)),
                                                   ("monitoring", "monitoring", ("progress", "expected"))])
def test_an_actual_pasted_as_a_percent_is_read_as_the_percent_it_shows(tmp_path, form_id, folder, keys):
    """An 实际完成值 (1-N月执行情况, 全年预计完成情况) pasted from another workbook arrives as 0.9 shown as 90 %: it was
    read as 0.9 and scored (or judged) against a target of 80 %.  It is read as the 90 it shows, as the goal
    table's target is; a bare 0.85 where the unit is % is read as typed, with a warning at its cell."""
    form = FORMS[form_id].bind(month=6) if FORMS[form_id].params else FORMS[form_id]
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    doc = read(src).document
    pct = [i for i, ind in enumerate(doc["indicators"]) if ind.get("unit") == "%" and ind["comparator"] != "qualitative"]
    assert len(pct) >= 2
    wb = openpyxl.load_workbook(src)
    ws = wb[form.table.name]
    shown, bare = pct[0], pct[1]
    for key in keys:
        col = form.column(key).index + 1
        ws.cell(form.table.first_row + shown + 1, col).value = 0.9
        ws.cell(form.table.first_row + shown + 1, col).number_format = "0%"
        ws.cell(form.table.first_row + bare + 1, col).value = 0.85
    wb.save(tmp_path / "pasted.xlsx")
    result = validate_file(tmp_path / "pasted.xlsx")
    items = result.document["indicators"]
    for key in keys:
        assert items[shown][key] == 90 and items[bare][key] == 0.85, (key, items[shown], items[bare])
    warned = sorted((p.code, p.cell) for p in result.problems if p.code == "cell.percent_fraction")
    assert warned == sorted(("cell.percent_fraction", a1(form.table.first_row + bare, form.column(k).index))
                            for k in keys)
    assert all("85" in p.message for p in result.problems if p.code == "cell.percent_fraction")


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_consolidate_targets_leaves_out_a_return_whose_locked_target_was_changed(tmp_path, folder):
    """A department unprotects the sheet and lowers a target (claiming full points): `validate --targets` finds it,
    but `consolidate` had no --targets and counted the return with its inflated score.  With --targets it fails
    there too (self.target_changed / monitor.target_changed in 校验结果) and is not counted."""
    form = FORMS[folder].bind(month=6) if FORMS[folder].params else FORMS[folder]
    src = tmp_path / "收到"
    src.mkdir()
    for p in sorted((EXAMPLES / folder).glob("*.xlsx")):
        (src / p.name).write_bytes(p.read_bytes())
    tampered = sorted(src.glob("*.xlsx"))[1]
    edited(tampered, tampered, {(form.table.name, a1(form.table.first_row + 3, form.column("target").index)): 50})
    # without --targets the template's own record of its rows finds the row changed (it was counted, with its
    # inflated score); --targets says which value and what it was
    plain = cli("consolidate", src, "-o", tmp_path / "a.xlsx", "--json", tmp_path / "a.json")
    assert plain.exit_code == 0 and "计入 4 个项目" in plain.output, plain.output
    data = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    cols = data["validation"]["columns"]
    assert (tampered.name, "template.locked_row_changed") in {
        (row[cols.index("文件")], row[cols.index("代码")]) for row in data["validation"]["rows"]}
    checked = cli("consolidate", src, "-o", tmp_path / "b.xlsx", "--targets", EXAMPLES / "json",
                  "--json", tmp_path / "b.json")
    assert checked.exit_code == 0 and "计入 4 个项目" in checked.output, checked.output
    data = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    cols = data["validation"]["columns"]
    codes = {(row[cols.index("文件")], row[cols.index("代码")]) for row in data["validation"]["rows"]}
    assert (tampered.name, f"{'self' if folder == 'self-evaluation' else 'monitor'}.target_changed") in codes
    wrong = cli("consolidate", src, "-o", tmp_path / "c.xlsx", "--targets", src)
    assert wrong.exit_code == 2 and "--targets 中没有绩效目标表" in wrong.output and not (tmp_path / "c.xlsx").exists()


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_goal_table_consolidate_could_not_use_is_listed_in_the_summary(tmp_path, folder):
    """A goal table given with --targets that could not be read was said on the terminal only: the summary, read
    later, did not show that its returns were not held to it.  It is a row of 校验结果 (and of the JSON), its
    returns still counted as before."""
    targets = tmp_path / "批复"
    targets.mkdir()
    for p in sorted((EXAMPLES / "json").glob("*.json")):
        (targets / p.name).write_bytes(p.read_bytes())
    (targets / "坏的目标表.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    result = cli("consolidate", EXAMPLES / folder, "-o", tmp_path / "汇总.xlsx", "--targets", targets,
                 "--json", tmp_path / "汇总.json")
    assert result.exit_code == 0 and "计入 5 个项目" in result.output, result.output
    assert "坏的目标表.xlsx" in result.output  # on the terminal, as before
    data = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    cols, rows = data["validation"]["columns"], data["validation"]["rows"]
    (row,) = [r for r in rows if r[cols.index("文件")] == "坏的目标表.xlsx"]
    assert row[cols.index("状态")] == "未用于核对" and row[cols.index("代码")] == "targets.unusable"
    assert "无法使用" in row[cols.index("说明")] and row[cols.index("文件路径")].endswith("坏的目标表.xlsx")
    assert row[0] == max(r[0] for r in rows)  # numbered on, last
    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["校验结果"]
    shown = [[c.value for c in r] for r in ws.iter_rows()]
    assert any(r[1] == "坏的目标表.xlsx" and r[2] == "未用于核对" for r in shown), shown[-3:]


def test_a_negative_amount_is_reported_once_where_it_stands(tmp_path):
    """全年执行数 typed as -10000: cell.amount_negative at the cell, and no rule computing with it (the rate and the
    funds score came out of it: 执行率 -0.01 % unexplained, 资金得分 differing from the recomputed one)."""
    path = _edited_example(tmp_path, {info("/funds/executed"): -10000,
                                      info("/funds/sources/fiscal/executed"): None})
    problems = validate_file(path).problems
    cell = info("/funds/executed")
    assert [(p.code, p.sheet, p.cell) for p in problems if p.code == "cell.amount_negative"] == [("cell.amount_negative", *cell)]
    computed = {p.code for p in problems} & {"self.execution_unexplained", "self.score_mismatch", "self.budget_zero",
                                             "self.funds_breakdown"}
    assert not computed, [(p.code, p.message) for p in problems]


def test_a_total_typed_over_is_a_warning_at_it(tmp_path):
    """总分 is the sheet's formula; typed over with 100 (the sheet unprotected), the printed and stamped form showed
    100 against a real 61.94, without a word.  A warning at the cell, as for 执行率."""
    src = SE_JSON[1].with_suffix(".xlsx")
    wb = openpyxl.load_workbook(src)
    ws = wb[SE.table.name]
    row = next(r for r in range(1, ws.max_row + 1) if "".join(str(ws.cell(r, 1).value or "").split()) == "总分")
    col = SE.column("score").index + 1
    assert str(ws.cell(row, col).value).startswith("=")
    assert not [p for p in validate_file(src).problems if p.code == "cell.computed_overwritten"]
    ws.cell(row, col).value = 98.93  # the scores' sum typed as a number (100 is cell.total_not_sum, an error)
    wb.save(tmp_path / "t.xlsx")
    found = [p for p in validate_file(tmp_path / "t.xlsx").problems if p.code == "cell.computed_overwritten"]
    assert [(p.sheet, p.cell, p.severity) for p in found] == [(SE.table.name, a1(row - 1, col - 1), "warning")]
    assert "总分" in found[0].message and "98.93" in found[0].message


def test_an_execution_rate_just_below_the_limit_is_not_shown_at_it(tmp_path):
    """89.99999 % executed read "预算执行率为 90%，低于 90%": shown rounded down, 89.99 %."""
    doc = load(SE_JSON[1])
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    path = _edited_example(tmp_path, {info("/funds/executed"): float((budget * Decimal("0.8999999")).quantize(Decimal("0.01"))),
                                      info("/funds/sources/fiscal/executed"): None, info("/funds/deviation"): None})
    p = next(p for p in validate_file(path).problems if p.code == "self.execution_unexplained")
    assert "89.99%" in p.message and "为 90%" not in p.message, p.message


@pytest.mark.parametrize("comp, target, actual, points", [
    (">=", -5, -3, 10), (">=", -5, -10, 0),     # "decline no more than 5": met, missed (scored backwards before)
    (">", -5, -4, 10), (">", -5, -5, 10), (">", -5, -6, 0),  # at the target: full points (gt_at_target), as for any
    # target but 0
    ("<=", -10, -12, 10), ("<=", -10, -8, 0),   # 2 short of a target of -10 scored 0 by "twice the target" before
    ("<", -10, -11, 10), ("<", -10, -10, 10), ("<", -10, -9, 0),
    ("=", -3, -3, 10), ("=", -3, -2, 0),
])
def test_a_negative_target_scores_full_points_when_met_else_0(comp, target, actual, points):
    """A proportional score means nothing for a negative target (actual ÷ target flips its sign): the scoring
    table's rows for target < 0 give full points when it is met, else 0."""
    assert score(comp, target, actual) == points


def test_a_rate_of_one_is_written_1_in_csv_and_json(tmp_path):
    """All spent: 执行率 1 came out as 1.0 in 项目得分 and 自评汇总 (CSV and JSON), beside exact amounts."""
    import re

    doc = load(SE_JSON[1])
    doc["funds"] = {**doc["funds"], "executed": doc["funds"]["full_year_budget"], "score": 10}
    doc["funds"].pop("sources")
    src = tmp_path / "收到"
    src.mkdir()
    fill(doc, src / "a.xlsx")
    consolidate([src], tmp_path / "s.xlsx", csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    rows = {p.name: p.read_text(encoding="utf-8-sig").splitlines()[1] for p in (tmp_path / "csv").glob("*.csv")
            if p.name in ("项目得分.csv", "自评汇总.csv")}
    assert len(rows) == 2 and all(",1," in row and not re.search(r"(^|,)-?\d+\.0(,|$)", row) for row in rows.values())
    assert not re.search(r"[\[ ,]-?\d+\.0[,\]]", (tmp_path / "s.json").read_text(encoding="utf-8"))


def test_consolidate_names_a_goal_table_it_could_not_use_in_either_language(tmp_path):
    import re
    import shutil

    goals = tmp_path / "批复"
    shutil.copytree(EXAMPLES / "json", goals)
    (goals / "坏.json").write_text("[1]", encoding="utf-8")
    for lang, line in (("zh", "未使用的绩效目标表："), ("en", "Goal table not used: ")):
        result = cli("consolidate", EXAMPLES / "self-evaluation", "-o", tmp_path / f"{lang}.xlsx", "--targets", goals,
                     "--lang", lang)
        assert result.exit_code == 0, result.output
        shown = [l for l in result.output.splitlines() if l.startswith(line)]
        assert len(shown) == 1 and "坏.json" in shown[0], result.output
        if lang == "en":
            assert not re.search(r"[\u4e00-\u9fff]", shown[0].replace(str(goals / "坏.json"), "")), shown[0]


def test_a_locked_cell_changed_is_one_error_with_targets_too(tmp_path):
    """The self-evaluation template locks its header (单位, 项目 …) and keeps what it locked: a changed project name
    is template.locked_changed at the cell; with --targets it was a second error there, self.target_changed."""
    from xlgoals import self_evaluation_templates

    made = self_evaluation_templates([EXAMPLES / "json" / "02_促进就业专项资金.json"], tmp_path / "下发")
    (src,) = made.written
    path = edited(src, tmp_path / "r.xlsx", {info("/project/name"): "促进就业专项资金（改）"})
    cell = info("/project/name")
    plain = [(p.code, p.sheet, p.cell) for p in validate_file(path).problems if p.cell == cell[1]]
    assert plain == [("template.locked_changed", *cell)], plain
    report = validate([path], targets=[EXAMPLES / "json"])
    at_cell = [p.code for p in report.problems() if (p.sheet, p.cell) == cell]
    assert at_cell == ["template.locked_changed"], at_cell


def test_a_file_whose_name_differs_only_in_case_is_kept_not_written_beside(tmp_path):
    """A filled self-evaluation saved as 单位_项目.XLSX is the same file on a department's Windows PC as the
    单位_项目.xlsx a new run would write: it is kept and reported, not written beside (and lost on copying)."""
    from xlgoals import self_evaluation_templates

    out = tmp_path / "下发"
    out.mkdir()
    filled = out / "上海市就业促进中心_促进就业专项资金.XLSX"
    filled.write_bytes(b"a department's filled return")
    made = self_evaluation_templates([EXAMPLES / "json" / "02_促进就业专项资金.json"], out)
    assert not made.written and "已存在同名文件" in str(made.errors[0])
    assert [p.name for p in out.iterdir()] == [filled.name] and filled.read_bytes() == b"a department's filled return"


def test_the_output_folder_is_listed_once_for_a_batch_of_goal_tables(tmp_path, monkeypatch):
    """Each goal table's workbook name was looked up by listing the whole output folder again: a folder of n
    templates was read n times (n² names: minutes for ten thousand projects).  It is listed once, as --prefill
    does, and a name differing only in case is still found."""
    import os

    from xlgoals import self_evaluation_templates

    out = tmp_path / "下发"
    out.mkdir()
    filled = out / "上海市就业促进中心_促进就业专项资金.XLSX"
    filled.write_bytes(b"a department's filled return")
    listed = []
    real = os.listdir

    def listdir(path="."):
        listed.append(Path(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    made = self_evaluation_templates(sorted((EXAMPLES / "json").glob("0[1-4]_*.json")), out)
    assert len(made.written) == 3 and len(made.errors) == 1 and "已存在同名文件" in str(made.errors[0])
    assert filled.read_bytes() == b"a department's filled return"
    # once for the names taken, once (the first output written into it) for what dead runs left there (_atomic)
    assert listed.count(out) == 2, listed


NARRATIVE = "本项目全年完成各项就业促进工作，推动重点群体就业，开展职业培训与公共就业服务，资金使用规范，绩效目标基本实现。"


def test_a_merged_text_its_row_is_too_short_for_is_a_warning_at_its_cell(tmp_path):
    """Excel and WPS never make a row taller for a merged cell: a 700-character 总体目标实际完成情况 typed there stays
    in the template's 150 pt row, and the paper lacks most of it.  The file (saved as Excel saves it, the row as it
    was) gets a warning at the cell, with the height the text needs; the row made taller by hand gets none.  A goal
    table's narrative is not merged, so its row grows as it is typed: warned only where the row kept its height."""
    achieved = SE.field("/overall/achieved")
    text = (NARRATIVE * 20)[:700]
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    path = edited(src, tmp_path / "excel.xlsx", {(SE.info.name, achieved.cell): text})
    report = validate_file(path)
    short = [p for p in report.problems if p.code == "cell.row_too_short"]
    assert [(p.sheet, p.cell, p.severity, p.path, p.field) for p in short] == \
        [(SE.info.name, achieved.cell, "warning", "/overall/achieved", "总体目标实际完成情况")]
    assert "约需 269 磅行高" in short[0].message and "只有 150 磅" in short[0].message
    assert report.passes() and report.document["overall"]["achieved"] == text  # kept whole
    wb = openpyxl.load_workbook(path)
    wb[SE.info.name].row_dimensions[achieved.row + 1].height = 280  # made taller by hand
    wb.save(tmp_path / "taller.xlsx")
    assert not [p for p in validate_file(tmp_path / "taller.xlsx").problems if p.code == "cell.row_too_short"]
    fit = edited(src, tmp_path / "fits.xlsx", {(SE.info.name, achieved.cell): text[:300]})  # 300 fit in 150 pt
    assert not [p for p in validate_file(fit).problems if p.code == "cell.row_too_short"]
    from .helpers import info_cell

    # a goal table's narrative is not merged: Excel grows its row as the text is typed, but a row left as it was
    # (a script's edit) prints at its 150 pt, cut off, as LibreOffice prints it (tests/test_print.py)
    goal = edited(EXAMPLE_XLSX[0], tmp_path / "goal.xlsx", {info_cell("/project/plan"): text})
    assert [p.path for p in validate_file(goal).problems if p.code == "cell.row_too_short"] == ["/project/plan"]
    wb = openpyxl.load_workbook(goal)
    plan = FORMS["goal-table"].field("/project/plan")
    wb[plan.sheet].row_dimensions[plan.row + 1].height = 409  # as Excel grows it, typed
    wb.save(tmp_path / "grown.xlsx")
    assert not [p for p in validate_file(tmp_path / "grown.xlsx").problems if p.code == "cell.row_too_short"]


def test_the_row_check_reads_the_cells_font_size(tmp_path):
    """A text in a smaller font needs a lower row: the check takes the size from the cell's style (a file xlsxwriter
    wrote at 8 pt holds in its row what 11 pt would not)."""
    achieved = SE.field("/overall/achieved")
    text = (NARRATIVE * 20)[:700]
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    wb = openpyxl.load_workbook(src)
    cell = wb[SE.info.name][achieved.cell]
    cell.value = text
    cell.font = openpyxl.styles.Font(name=cell.font.name, sz=8)  # 700 characters at 8 pt need 145 pt
    wb.save(tmp_path / "small.xlsx")
    assert not [p for p in validate_file(tmp_path / "small.xlsx").problems if p.code == "cell.row_too_short"]
    cell.font = openpyxl.styles.Font(name=cell.font.name, sz=14)
    wb.save(tmp_path / "large.xlsx")
    (short,) = [p for p in validate_file(tmp_path / "large.xlsx").problems if p.code == "cell.row_too_short"]
    assert "约需 432 磅" in short.message  # beyond a row's 409 pt: the message says a smaller font will do


def test_font_sizes_of_styles_are_read_by_style_index_and_bounded():
    from xlgoals._read._screen import font_sizes

    styles = (b'<styleSheet><fonts count="3"><font><sz val="11"/><name val="x"/></font><font/>'
              b'<font><b/><sz val="8.5"/></font><font><sz val="9999"/></font></fonts>'
              b'<cellXfs count="5"><xf fontId="0"/><xf fontId="2" numFmtId="0"/><xf fontId="1"/>'
              b'<xf fontId="7"/><xf fontId="x"/><xf fontId="3"/></cellXfs></styleSheet>')
    assert font_sizes(styles) == (11.0, 8.5, None, None, None, None)
    assert font_sizes(None) == () and font_sizes(b"<styleSheet/>") == ()


def test_a_reason_beyond_what_its_row_shows_in_excel_is_a_warning_at_its_cell(tmp_path):
    """偏差原因分析及改进措施 is 30 characters wide: 600 characters typed in Excel need about 630 pt, and Excel stops the
    row at 409.  A warning at the cell (print_cut counts on 7 pt and said nothing); 200 characters, none."""
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    cell = a1(SE.table.first_row + 2, SE.column("deviation").index)
    found = {}
    for n in (600, 200):
        wb = openpyxl.load_workbook(src)
        wb[SE.table.name][cell] = (NARRATIVE * 20)[:n]
        wb[SE.table.name].row_dimensions[SE.table.first_row + 3].height = 409
        wb.save(tmp_path / f"r{n}.xlsx")
        found[n] = [(p.sheet, p.cell, p.path) for p in validate_file(tmp_path / f"r{n}.xlsx").problems
                    if p.code == "cell.row_too_short"]
    assert found == {600: [(SE.table.name, cell, "/indicators/2/deviation")], 200: []}


# Red-team of the year cycle (redteam-cycle) -------------------------------------------------------------
@pytest.mark.parametrize("folder, key, typo", [("self-evaluation", "grade", "达成年度指"),
                                               ("monitoring", "likelihood", "确定")])
def test_a_dropdown_typo_is_one_error_not_also_left_empty(tmp_path, folder, key, typo):
    """A grade (完成等级) or likelihood (完成目标可能性) pasted with a typo was reported twice at its cell: as
    unreadable (cell.grade / cell.choice) and as not chosen (“未选择”, “未填写”), which the clerk who did fill it
    in reads as a false alarm.  One error, saying what was found and the choices."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    wb = openpyxl.load_workbook(src)
    ws = wb[form.table.name]
    doc = read(src).document
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative")
    ref = a1(form.table.first_row + i, form.column(key).index)
    ws[ref].value = typo
    wb.save(tmp_path / "typo.xlsx")
    at = [p for p in validate_file(tmp_path / "typo.xlsx").problems if p.cell == ref]
    assert len(at) == 1, [(p.code, p.message) for p in at]
    assert at[0].code in ("cell.grade", "cell.choice") and f"“{typo}”" in at[0].message, at[0].message
    assert "未选择" not in at[0].message and "未填写" not in at[0].message


@pytest.mark.parametrize("folder, key", [("self-evaluation", "executed"), ("monitoring", "executed_to_date")])
def test_more_spent_than_the_full_year_budget_is_warned_at_the_amount(tmp_path, folder, key):
    """全年执行数 (or 1-N月执行数) above 全年预算数 (an 执行率 of 102 %) passed silently; the funds score is capped
    at its points, so nothing else showed it.  A warning at the amount spent, with both amounts in 元."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    doc = read(src).document
    budget = doc["funds"]["full_year_budget"]
    cell = form.field(f"/funds/{key}")
    wb = openpyxl.load_workbook(src)
    wb[cell.sheet][cell.cell].value = budget + 3_592_727.5
    wb.save(tmp_path / "over.xlsx")
    report = validate_file(tmp_path / "over.xlsx")
    over = [p for p in report.problems if p.cell == cell.cell and p.sheet == cell.sheet and "预算" in p.message]
    assert [p.severity for p in over] == ["warning"], [(p.code, p.message) for p in report.problems]
    assert "执行数" in over[0].field, over[0].field
    assert f"{budget + 3_592_727.5:,.2f} 元" in over[0].message and f"{budget:,.2f} 元" in over[0].message, over[0].message
    assert "yuan" in over[0].message_en
    # exactly the budget spent is no problem
    wb[cell.sheet][cell.cell].value = budget
    wb.save(tmp_path / "exact.xlsx")
    assert not [p for p in validate_file(tmp_path / "exact.xlsx").problems if p.code == over[0].code]


def _rows_saved_from_openpyxl(src, dst, change):
    wb = openpyxl.load_workbook(src)
    change(wb)
    wb.save(dst)
    return dst


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_row_deleted_or_moved_is_named_once_by_its_id_not_every_row_after_it(tmp_path, folder):
    """Rows deleted or swapped despite protection (a workbook saved again from openpyxl) were compared with the
    approved goal table position by position: one deleted row gave 83 errors (“第5条指标的三级指标 … 应为 …”, for
    every row below it), and a deleted last row was located at the table's header (指标自评!C3), saying
    “填写为（空）” five times.  The rows carry their 指标编号: a deleted row is one error naming its number and
    name, at the row where it stood (the last row for the last one); a swap is one error naming the moved rows."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    doc = read(src).document
    first, n = form.table.first_row + 1, len(doc["indicators"])  # 1-based row of the first indicator

    def deleting(row):
        return lambda wb: wb[form.table.name].delete_rows(row, 1)

    def swapping(wb):
        ws = wb[form.table.name]
        for c in range(1, ws.max_column + 1):
            ws.cell(first + 9, c).value, ws.cell(first + 10, c).value = ws.cell(first + 10, c).value, \
                ws.cell(first + 9, c).value

    def found(path):
        report = validate([path], targets=[EXAMPLES / "json"])
        return [p for p in report.problems() if p.code.endswith(("target_changed", "target_row_missing"))]

    mid = found(_rows_saved_from_openpyxl(src, tmp_path / "mid.xlsx", deleting(first + 4)))
    gone = doc["indicators"][4]
    assert [(p.code.split(".")[1], p.sheet, p.cell) for p in mid] == [
        ("target_row_missing", form.table.name, a1(form.table.first_row + 4, form.column("id").index))], \
        [(p.code, p.cell, p.message) for p in mid]
    assert gone["id"] in mid[0].message and gone["name"] in mid[0].message and "第5条" in mid[0].message, mid[0].message
    assert gone["id"] in mid[0].message_en and "deleted" in mid[0].message_en, mid[0].message_en

    last = found(_rows_saved_from_openpyxl(src, tmp_path / "last.xlsx", deleting(first + n - 1)))
    assert [(p.code.split(".")[1], p.cell) for p in last] == [
        ("target_row_missing", a1(form.table.first_row + n - 2, form.column("id").index))], \
        [(p.code, p.cell, p.message) for p in last]
    assert f"第{n}条" in last[0].message and doc["indicators"][-1]["id"] in last[0].message

    swap = _rows_saved_from_openpyxl(src, tmp_path / "swap.xlsx", swapping)
    assert not found(swap), [(p.code, p.cell, p.message) for p in found(swap)]
    (swapped,) = [p for p in validate([swap], targets=[EXAMPLES / "json"]).problems() if "target" in p.code]
    assert (swapped.code.split(".")[1], swapped.cell) == (
        "target_rows_moved", a1(form.table.first_row + 9, form.column("id").index)), swapped.message
    assert "第11条指标、第10条指标" in swapped.message


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_two_goal_tables_of_one_project_give_one_form_and_name_both(tmp_path, form_id):
    """Two approved goal tables of one project in --targets (a return sent twice, the second as received: 03 and
    职业培训基础能力建设资助.xlsx in examples) gave the department two forms for one project, the second
    silently named …_2.xlsx, as if it were another project.  As with a repeated --prefill row: one is written, the
    one the duplicate rule keeps (here, of one 填报日期, the last path), the other is an error naming it (exit 1);
    the same project of another year is no repeat."""
    src = tmp_path / "批复"
    src.mkdir()
    doc = load(EXAMPLE_JSON[2])
    fill(doc, src / "a.xlsx")
    fill(doc, src / "b.xlsx")
    fill(json.loads(json.dumps({**doc, "year": doc["year"] + 1}).replace(f'"{doc["year"]}-', f'"{doc["year"] + 1}-')),
         src / "c.xlsx")
    args = ["template", "--form", form_id, "--targets", src, "--out-dir", tmp_path / "out"]
    result = cli(*args, *(["--month", "6"] if form_id == "monitoring" else []))
    assert result.exit_code == 1, result.output
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert sorted(read(tmp_path / "out" / n).document["year"] for n in written) == [doc["year"], doc["year"] + 1]
    line = next(ln for ln in result.output.splitlines() if "a.xlsx：" in ln)
    assert "b.xlsx" in line and "同一项目" in line and "未生成" in line, result.output


def test_a_score_typed_with_three_decimals_is_quoted_as_typed(tmp_path):
    """A 得分 typed as 3.333 on a row worth 3.33 was quoted rounded: “得分为 3.33，超过分值 3.33” and “为 3.33，…
    应在 [2.66, 3.33] 之间”, which contradict themselves on the clerk's screen.  What was typed is quoted as typed."""
    doc = load(SE_JSON[1])
    qual = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative"
                and ind["points"] == 3.33)
    quant = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind["points"] == 3.33
                 and ind["actual"] >= ind["value"])
    path = _edited_example(tmp_path, {(SE.table.name, se_cell(qual, "score")): 3.333,
                                      (SE.table.name, se_cell(quant, "score")): 3.336})
    found = {(p.code, p.cell): p for p in validate_file(path).problems}
    above = found[("self.score_above_points", se_cell(qual, "score"))]
    assert "为 3.333，超过分值 3.33" in above.message and above.value == "3.333", above.message
    assert ("self.grade_band", se_cell(qual, "score")) not in found  # one cause, one message: the band is in it
    assert "应在 [2.664, 3.33] 之间" in above.message, above.message
    above = found[("self.score_above_points", se_cell(quant, "score"))]
    assert "为 3.336，超过分值 3.33" in above.message, above.message
    assert "is 3.336, above the points (3.33)" in above.message_en, above.message_en


@pytest.mark.parametrize("folder, key", [("self-evaluation", "actual"), ("monitoring", "expected")])
def test_an_actual_typed_with_another_unit_is_not_read_as_the_rows_unit(tmp_path, folder, key):
    """实际完成值 typed with a unit other than the row's (“81人” on a row in %, “0.05万元” on a row in 元) was read as
    the bare number in the row's unit: “0.05万元” against ≤ 600 元 scored full points, a factor of 10,000 unseen.
    A number is read only in the row's unit; another unit is an error at the cell naming both, and the rules do
    not compute with it.  The row's own unit, and none, still read."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    doc = read(src).document
    pct = next(i for i, ind in enumerate(doc["indicators"]) if ind.get("unit") == "%")
    wb = openpyxl.load_workbook(src)
    ws = wb[form.table.name]

    def at(i):
        return a1(form.table.first_row + i, form.column(key).index)
    ws[at(pct)].value = "81人"
    ws[at(pct + 1)].value = f"{doc['indicators'][pct + 1]['value']} ％"  # its own unit, full width: fine
    wb.save(tmp_path / "units.xlsx")
    report = validate_file(tmp_path / "units.xlsx")
    bad = [p for p in report.problems if p.cell == at(pct)]
    assert [(p.code, p.severity) for p in bad] == [("cell.actual_unit", "error")], [(p.code, p.message) for p in bad]
    assert "“81人”" in bad[0].message and "“%”" in bad[0].message, bad[0].message
    assert not [p for p in report.problems if p.cell == at(pct + 1)]
    assert read(tmp_path / "units.xlsx").document["indicators"][pct + 1][key] == doc["indicators"][pct + 1]["value"]


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_row_added_despite_protection_is_named_once_not_every_row_after_it(tmp_path, folder):
    """An indicator row added in the middle of the table (inserted and filled, saved from openpyxl) was compared
    position by position with the approved goal table: 82 “locked target changed” errors for the rows below it.
    It has no 指标编号: one error at it, naming it as not in the approved goal table; the rows below still match."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    at = form.table.first_row + 6  # 0-based row of the added indicator

    def adding(wb):
        ws = wb[form.table.name]
        ws.insert_rows(at + 1, 1)
        for merged in ws.merged_cells.ranges:  # moved down with their rows, as Excel moves them (openpyxl does not:
            if merged.min_row >= at + 1:  # the 总分 line's merge left behind would cover an indicator row)
                merged.shift(0, 1)
        for key, value in (("level1", "产出目标"), ("level2", "数量"), ("name", "新增指标"), ("comparator", "≥"),
                           ("target", "100"), ("unit", "人")):
            ws.cell(at + 1, form.column(key).index + 1).value = value
    path = _rows_saved_from_openpyxl(src, tmp_path / "added.xlsx", adding)
    report = validate([path], targets=[EXAMPLES / "json"])
    found = [p for p in report.problems() if p.code.startswith(("self.target", "monitor.target"))]
    assert [(p.code.split(".")[1], p.cell) for p in found] == [
        ("target_row_extra", a1(at, form.column("name").index))], [(p.code, p.cell, p.message) for p in found]
    # named by the row Excel shows: it prints no 序号, and “第7条指标” is the row below it, printed 7
    assert "新增指标" in found[0].message and f"第{at + 1}行指标" in found[0].message, found[0].message
    assert "not in the approved goal table" in found[0].message_en, found[0].message_en


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_warning_on_an_approved_target_is_not_the_departments(tmp_path, folder):
    """Goal table 03's approved target “0” (warned of as a placeholder when the goal table came in) was warned of
    again in its self-evaluation and monitoring report, at a cell the form locks: `validate --strict` failed the
    department's year-end return for the bureau's own approved target.  A rule's warning on a value the form
    locks is left to the goal table; errors there (a locked value typed over) are still reported."""
    path = sorted((EXAMPLES / folder).glob("*.xlsx"))[2]
    form = FORMS[folder]
    report = validate([path], strict=True)
    (f,) = report.files
    assert not [(p.code, p.cell) for p in f.problems if p.sheet == form.table.name], \
        [(p.code, p.cell, p.message) for p in f.problems]
    if folder == "self-evaluation":  # (the monitoring report is behind schedule: its own warning, rightly)
        assert report.valid, [(p.code, p.message) for p in f.problems]
    # the goal table itself still gets the warning
    goal = validate([EXAMPLES / "returns" / path.name])
    assert "rule.placeholder" in {p.code for p in goal.problems()}
    # an error on a locked cell (a level-2 typed over, no --targets given) is still there
    wb = openpyxl.load_workbook(path)
    ws = wb[form.table.name]
    ref = a1(form.table.first_row, form.column("level2").index)
    ws[ref].value = "数量"
    wb.save(tmp_path / "typed_over.xlsx")
    assert ("rule.level2_mismatch", ref) in {(p.code, p.cell) for p in validate_file(tmp_path / "typed_over.xlsx").problems}


def test_a_goal_tables_points_that_could_not_serve_a_self_evaluation_are_said_when_it_comes_in(tmp_path):
    """分值 (weights) in a national-2021 goal table totalling 120 passed validation, and the year-end
    self-evaluation template for it was refused months later (“分值合计为 120，超过 100”); 分值 given for 6 of 7
    indicators passed too, and the self-evaluation silently replaced them all with the framework's split.  Both are
    said when the goal table is validated: over 100 an error, a partial column a warning at the first blank."""
    nat = load(NATIONAL / "目标表.json")
    form = FORMS["goal-table"]
    fw = CFG.frameworks.get("national-2021")
    col = form.column("weight", fw).index

    def cell(i):
        return a1(form.table.first_row + i, col)
    over = json.loads(json.dumps(nat))
    for ind in over["indicators"]:
        ind["weight"] = 20 if ind["comparator"] != "qualitative" else 10
    fill(over, tmp_path / "over.xlsx")
    found = [p for p in validate_file(tmp_path / "over.xlsx").problems if "weight" in (p.path or "")]
    total = sum(ind["weight"] for ind in over["indicators"])
    assert [(p.severity, p.cell) for p in found] == [("error", cell(0))], [(p.code, p.message) for p in found]
    assert f"{total}" in found[0].message and "100" in found[0].message, found[0].message
    some = json.loads(json.dumps(nat))
    for k, ind in enumerate(some["indicators"]):
        if k != 1:
            ind["weight"] = 10
    fill(some, tmp_path / "some.xlsx")
    found = [p for p in validate_file(tmp_path / "some.xlsx").problems if "weight" in (p.path or "")]
    assert [(p.severity, p.cell) for p in found] == [("warning", cell(1))], [(p.code, p.message) for p in found]
    assert "分值" in found[0].message and "全部" in found[0].message, found[0].message
    full = json.loads(json.dumps(nat))
    for ind in full["indicators"]:
        ind["weight"] = 10
    full["indicators"][-1]["weight"] = full["indicators"][-2]["weight"] = 20  # 90: the funds' 10 left (mendBQ)
    fill(full, tmp_path / "full.xlsx")
    assert not [p for p in validate_file(tmp_path / "full.xlsx").problems if "weight" in (p.path or "")]
    assert not [p for p in validate_file(NATIONAL / "目标表.xlsx").problems if "weight" in (p.path or "")]


@pytest.mark.parametrize("folder, sheet_path", [("self-evaluation", "/contact/date"), ("monitoring", "/contact/date")])
def test_a_report_dated_outside_its_period_is_warned_at_the_date(tmp_path, folder, sheet_path):
    """填报日期 typed with a wrong year (2012-01-05 for 2021-01-05) passed: a 2020 self-evaluation dated 2019, a
    1-6月 monitoring report dated before June.  A warning at the date naming the period it should fall in: a
    self-evaluation's from the budget year's December to the end of June after it, a monitoring report's from its
    month to three months past the budget year's end (mendFA, mendFF)."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    f = form.field(sheet_path)
    doc = read(src).document
    year = doc["year"]

    def problems_for(value):
        wb = openpyxl.load_workbook(src)
        wb[f.sheet][f.cell].value = value
        wb[f.sheet][f.cell].data_type = "s"
        wb.save(tmp_path / "d.xlsx")
        return [p for p in validate_file(tmp_path / "d.xlsx").problems if p.cell == f.cell and p.sheet == f.sheet]
    monitoring = folder == "monitoring"
    first = f"{year}-{doc['month']:02d}-01" if monitoring else f"{year}-12-01"
    last = f"{year + 1}-03-31" if monitoring else f"{year + 1}-06-30"  # (months_after 3 mendFF, 6 mendGD)
    for bad in (f"{year - 1}-05-01", f"{year + 2}-01-05", f"{year + 1}-04-05" if monitoring else f"{year}-11-30"):
        found = problems_for(bad)
        assert [p.severity for p in found] == ["warning"], (bad, [(p.code, p.message) for p in found])
        assert bad in found[0].message and first in found[0].message and last in found[0].message
    if monitoring:
        assert [p.severity for p in problems_for(f"{year}-{doc['month'] - 1:02d}-28")] == ["warning"]
    for good in (first, last, *((f"{year + 1}-01-05",) if not monitoring else ())):
        assert problems_for(good) == [], good


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_row_deleted_in_libreoffice_is_the_row_not_a_sheet_too_large(tmp_path, lo_edit, folder):
    """A department that switches protection off and deletes an indicator row in LibreOffice saves an empty
    <row r="1048576"> (the last row's height) and a dimension A1:M1048576: the whole return failed as
    file.sheet_too_large (“范围过大（1048576 行 × 13 列）”), telling the department nothing of the row.  A row
    beyond the limits that holds no cell is read as the empty row it is; the deleted row is named."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    doc = read(src).document
    sheet = form.table.name
    out = lo_edit(src, tmp_path / "deleted.xlsx", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": a1(form.table.first_row + 4, 0), "delete_rows": 1}])
    import zipfile
    with zipfile.ZipFile(out) as z:  # what LibreOffice writes: the case this test is about
        assert any(b'<row r="1048576"' in z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    report = validate([out], targets=[EXAMPLES / "json"])
    problems = report.problems()
    codes = [p.code for p in problems]
    assert "file.sheet_too_large" not in codes, [p.message for p in problems]
    missing = [p for p in problems if p.code.endswith("target_row_missing")]
    assert [(p.sheet, p.cell) for p in missing] == [(sheet, a1(form.table.first_row + 4, form.column("id").index))]
    assert doc["indicators"][4]["id"] in missing[0].message
    # without --targets the locked points no longer total 100: the row deleted is that one cause, said once (the
    # rows counted below), not again as self.points_total at 自评信息 (test_silent5)
    assert not [p for p in validate([out]).problems() if p.code == "self.points_total"]
    # without --targets the template's record of its rows counts one row fewer, said at the row that moved up; with
    # --targets that gives way to the goal table's comparison (the row, by its id)
    counted = [p for p in validate([out]).problems() if p.code.startswith("template.locked_row")]
    n = len(doc["indicators"])
    assert [(p.code, p.sheet, p.cell) for p in counted] == [
        ("template.locked_rows_count", sheet, a1(form.table.first_row + 4, form.column("name").index))], counted
    assert f"有 {n - 1} 条指标，下发的模板为 {n} 条" in counted[0].message
    assert not [p for p in problems if p.code.startswith("template.locked_row")]


@pytest.mark.parametrize("folder, index, edits, wrong_codes", [
    # 分值 4.44 raised to 10 and the target ≥85% lowered to ≥80%: “得分 4.44 … 重算应为 10” and 分值合计 105.56
    ("self-evaluation", 10, {"value": "80", "points": 10}, {"self.score_mismatch", "self.points_total"}),
    # a target ≥90% raised to ≥95%: the expected 90 “misses” a target never approved
    ("monitoring", 9, {"value": "95"}, {"monitor.expected_short"}),
])
def test_a_target_typed_over_is_checked_against_the_approved_one(tmp_path, folder, index, edits, wrong_codes):
    """With --targets, a locked target or 分值 typed over (protection off) was reported as changed, and the
    return's scores and expectations were then checked against the changed values: the department was told its
    得分 “应为 10” (the 分值 it had raised) and that the points no longer totalled 100, or that its expectation
    missed a target it had typed itself.  The checks now run against the approved values; each changed cell is
    one target_changed error."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    column = {"value": "target", "points": "points"}
    changed = edited(src, tmp_path / "changed.xlsx", {
        (form.table.name, a1(form.table.first_row + index, form.column(column[k]).index)): v
        for k, v in edits.items()})
    before = validate([src], targets=[EXAMPLES / "json"])
    assert before.valid, [p.message for p in before.problems()]
    problems = validate([changed], targets=[EXAMPLES / "json"]).problems()
    got = {(p.code, p.cell) for p in problems}
    prefix = "self" if folder == "self-evaluation" else "monitor"
    assert got == {(f"{prefix}.target_changed", a1(form.table.first_row + index, form.column(column[k]).index))
                   for k in edits}, [(p.code, p.cell, p.message) for p in problems]
    assert not wrong_codes & {p.code for p in problems}
    # against the approved target, the same return that met the changed one is scored as it should be
    if folder == "self-evaluation":
        short = edited(src, tmp_path / "short.xlsx", {
            (form.table.name, a1(form.table.first_row + index, form.column("target").index)): "80",
            (form.table.name, a1(form.table.first_row + index, form.column("actual").index)): "80"})
        mismatch = [p for p in validate([short], targets=[EXAMPLES / "json"]).problems()
                    if p.code == "self.score_mismatch"]
        assert len(mismatch) == 1 and "4.18" in mismatch[0].message and "≥85" in mismatch[0].message, \
            [p.message for p in mismatch]
    # without --targets the template's own record of its rows says that row was typed over (and only that row)
    assert not [p for p in validate([src]).problems() if p.code.startswith("template.locked_row")]
    plain = [p for p in validate([changed]).problems() if p.code.startswith("template.locked_row")]
    name_cell = a1(form.table.first_row + index, form.column("name").index)
    assert [(p.code, p.sheet, p.cell) for p in plain] == [("template.locked_row_changed", form.table.name, name_cell)]
    assert f"第{index + 1}条指标" in plain[0].message and "年度指标值" in plain[0].message and "--targets" in plain[0].message


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_a_row_inserted_in_libreoffice_is_one_error_to_delete_it(tmp_path, lo_edit, folder):
    """A row inserted in LibreOffice (protection off) with a name and a value typed: with --targets it is
    target_row_extra (“请删除该行”), and was also six “必填项…未填写” errors asking the department to fill the
    new row's 指标编号, 一级/二级指标, 比较符, 年度指标值 and 分值, and “得分未填写”: a row it must delete."""
    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[1]
    form = FORMS[folder]
    sheet, at = form.table.name, form.table.first_row + 6
    first_open = "actual" if folder == "self-evaluation" else "progress"
    out = lo_edit(src, tmp_path / "inserted.xlsx", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": a1(at, 0), "insert_rows": 1},
        {"sheet": sheet, "cell": a1(at, form.column("name").index), "input": "新增指标"},
        {"sheet": sheet, "cell": a1(at, form.column(first_open).index), "input": "5"}])
    problems = validate([out], targets=[EXAMPLES / "json"]).problems()
    errors = [p for p in problems if p.severity == "error"]
    prefix = "self" if folder == "self-evaluation" else "monitor"
    assert [(p.code, p.cell) for p in errors] == [(f"{prefix}.target_row_extra", a1(at, form.column("name").index))], \
        [(p.code, p.cell, p.message) for p in problems]
    assert "请删除该行" in errors[0].message and "新增指标" in errors[0].message


def test_a_row_without_its_level1_gets_a_named_column_in_the_summary(tmp_path):
    """A return with a row whose 一级指标 is blank (a row inserted despite protection) gave 项目得分 a column headed
    with nothing, in the workbook, the CSV and the JSON alike."""
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    inbox = tmp_path / "in"
    inbox.mkdir()
    edited(src, inbox / "r.xlsx", {(SE.table.name, se_cell(3, "level1")): None})
    out = consolidate([inbox], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.json")
    ws = openpyxl.load_workbook(out.output)["项目得分"]
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "序号")
    assert "（一级指标未填写）" in header and all(h not in ("", None) for h in header), header
    assert "" not in load(tmp_path / "s.json")["projects"]["columns"]


def test_the_templates_record_of_its_rows_is_read_as_untrusted_and_holds_numbers_by_value():
    """The record is a document property, as untrusted as any cell: one that cannot be read (edited, cut, absurd)
    is no record, never an error or a crash; a whole number read back as 85.0 is the 85 recorded."""
    from xlgoals._form._locked import recorded_rows, rows_properties, rows_unchanged, row_crcs

    keys = ("id", "name", "value", "unit")
    items = [{"id": f"I{i:03d}", "name": f"指标{i}", "value": 85, "unit": "%"} for i in range(60)]
    props = dict(rows_properties(items, keys))
    assert all(len(v) <= 240 for v in props.values()) and len(props) == 1 + 3  # 26 rows to a property
    recorded = recorded_rows(props)
    assert recorded is not None and rows_unchanged(recorded, items, keys)
    as_floats = [{**it, "value": 85.0} for it in items]
    assert row_crcs(as_floats, keys) == row_crcs(items, keys)  # the slower check holds them equal
    changed = [dict(it) for it in items]
    changed[7]["value"] = 80
    assert not rows_unchanged(recorded, changed, keys)
    assert [i for i, (a, b) in enumerate(zip(row_crcs(changed, keys), recorded[2])) if f"{a:08x}" != b] == [7]
    for bad in ({"xlgoals_rows": "60"}, {"xlgoals_rows": "x:12345678"}, {"xlgoals_rows": "99999999:12345678"},
                {**props, "xlgoals_rows.2": "zz"}, {"xlgoals_rows": "60:" + "f" * 300}, {}):
        assert recorded_rows(bad) is None, bad


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_goal_table_given_as_json_with_stray_spaces_makes_returns_that_match_it(tmp_path, form_id):
    """A goal table given as JSON whose texts carry the spaces a budget system leaves (“ 带空格的名称　”, a unit “ % ”):
    the workbook reads them trimmed, so the template made from it, untouched, was “与批复的绩效目标表不一致” with
    --targets (and differed from its own record of its rows).  The JSON is taken as a workbook reads it."""
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][10]["name"] = " 带空格的名称　"
    i = next(n for n, it in enumerate(doc["indicators"]) if it.get("unit") == "%")
    doc["indicators"][i]["unit"] = " % "
    goals = tmp_path / "批复"
    goals.mkdir()
    (goals / "t.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "下发"
    args = ["template", "--form", form_id, "--targets", goals, "--out-dir", out] + (
        ["--month", "6"] if form_id == "monitoring" else [])
    assert cli(*args).exit_code == 0
    (made,) = sorted(out.glob("*.xlsx"))
    for targets in (None, [goals]):
        codes = {p.code for p in validate([made], targets=targets).problems()}
        assert not {c for c in codes if c.endswith(("target_changed", "targets_unmatched")) or "locked" in c}, codes
    got = read(made).document["indicators"]
    assert got[10]["name"] == "带空格的名称" and got[i]["unit"] == "%"


def test_an_absurd_points_value_in_a_json_document_is_a_problem_not_a_crash():
    """A 分值 of 1e26 in a self-evaluation's JSON (found by the property test): rounding a band to cents passed the
    default decimal context's 28 digits and raised InvalidOperation from inside a rule."""
    from xlgoals import validate_document

    doc = load(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[1])
    i = next(n for n, it in enumerate(doc["indicators"]) if it.get("grade"))
    doc["indicators"][i]["points"] = 1e26
    problems = validate_document(doc, form="self-evaluation")
    assert any(p.path == f"/indicators/{i}/points" for p in problems), [(p.code, p.path) for p in problems]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_target_typed_over_in_libreoffice_is_found_without_targets(tmp_path, lo_edit, fmt):
    """As a department does it: protection off, a locked 年度指标值 typed over in LibreOffice (.uno:EnterString).
    Without --targets the template's record of its rows finds that row, and only that row.  Saved as .xls the
    change passed: the record, in the .xls's DocumentSummaryInformation stream, was not read."""
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    form = FORMS["self-evaluation"]
    sheet = form.table.name
    out = lo_edit(src, tmp_path / f"typed.{fmt}", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": a1(form.table.first_row + 10, form.column("target").index), "input": "80"}], fmt=fmt)
    found = [(p.code, p.cell) for p in validate([out]).problems() if p.code.startswith("template.locked_row")]
    assert found == [("template.locked_row_changed", a1(form.table.first_row + 10, form.column("name").index))]


# 分值 taking all of 100 in the goal table: the funds block would have none --------------------------
def _weighted_goal(tmp_path, weights, frameworks=None):
    goal = load(NATIONAL / "目标表.json")
    for ind, w in zip(goal["indicators"], weights, strict=True):
        ind["weight"] = w
    return fill(goal, tmp_path / "目标表.xlsx", frameworks=frameworks, force=True)  # written again in a test


def test_goal_table_points_taking_all_100_warn_that_the_funds_will_score_nothing(tmp_path):
    path = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 20, 10))  # 100: the self-evaluation's funds get 0
    report = validate_file(path)
    (p,) = [p for p in report.problems if p.code == "rule.weight_no_funds"]
    assert p.severity == "warning" and f"{p.sheet}!{p.cell}" == read(path).sources["/indicators/0/weight"]
    assert "各指标分值合计为 100" in p.message and "资金 10 分" in p.message and "一般为 90" in p.message
    assert "the funds block (budget execution) gets 0 points" in p.message_en
    assert report.passes()  # a warning: a framework of the bureau's may mean it
    ok = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 10, 10))  # 90: funds 10
    assert not [p for p in validate_file(ok).problems if p.code == "rule.weight_no_funds"]


def test_no_funds_warning_where_the_framework_gives_the_funds_no_points(tmp_path):
    from xlgoals._resources import data_dir

    spec = json.loads((data_dir("templates") / "national-2021.json").read_text(encoding="utf-8"))
    spec["self_evaluation"]["funds"] = 0
    spec["self_evaluation"]["level1"][0]["points"] = 60
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "national-2021.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    path = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 20, 10), frameworks=folder)
    assert not [p for p in validate_file(path, frameworks=folder).problems if p.code == "rule.weight_no_funds"]


# “>” and “<” at their target: strictly not met, yet the not-met formula gives full points ----------------
@pytest.mark.parametrize("comp, target, case", [(">", 95, "gt_at_target"), (">", -5, "gt_at_target"),
                                                ("<", 600, "lt_at_target"), ("<", -10, "lt_at_target")])
def test_a_strict_comparator_at_its_target_is_not_called_met_and_scores_full_points(comp, target, case):
    """“> 95%” with 95%: not met (95 is not above 95), but points × actual ÷ target, the issue's not-met formula,
    is then points × 1. Full points, as before; the formula shown no longer says the target was met."""
    s = score_indicator({"comparator": comp, "value": target, "actual": target, "points": 10}, TABLE)
    assert s.score == 10 and s.rule.case == case
    assert "严格说未达到" in s.rule.formula_zh and "strictly not met" in s.rule.formula_en
    weak = score_indicator({"comparator": comp[0] + "=", "value": target, "actual": target, "points": 10}, TABLE)
    assert weak.score == 10 and "严格说未达到" not in weak.rule.formula_zh  # ≥ 95% with 95%: met


def test_a_score_disputed_at_a_strict_target_is_explained_with_the_strict_formula(tmp_path):
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind["value"])
    doc["indicators"][i].update(comparator=">", actual=doc["indicators"][i]["value"], score=1)
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path).problems if p.code == "self.score_mismatch"]
    assert p.cell == se_cell(i, "score") and "重算应为 " in p.message and "严格说未达到" in p.message, p.message


def test_goal_table_points_not_in_cents_are_reported_at_their_own_cells(tmp_path):
    """9.995 and 10.005 (total 90): the error said “total 90, more than 100 or not in cents” at the first row's 分值,
    which is neither above 100 nor the cell to change."""
    path = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 9.995, 10.005))
    doc_sources = read(path).sources
    found = [(p.code, f"{p.sheet}!{p.cell}", p.value) for p in validate_file(path).problems if "weight" in p.code]
    assert found == [("rule.weight_cents", doc_sources["/indicators/5/weight"], "9.995"),
                     ("rule.weight_cents", doc_sources["/indicators/6/weight"], "10.005")], found
    p = next(p for p in validate_file(path).problems if p.code == "rule.weight_cents")
    assert "9.995" in p.message and "两位小数" in p.message and "合计" not in p.message, p.message
    over = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 20, 11))  # 101: still the total's error
    assert [p.code for p in validate_file(over).problems if "weight" in p.code] == ["rule.weight_total"]


def test_a_qualitative_band_is_shown_as_it_is_checked_not_rounded_into_a_contradiction(tmp_path):
    """60 % of 2.22 is 1.332: 1.33 typed for 部分达成 was refused “应在 [1.33, 1.78) 之间”, and 1.33 for 未达成 accepted
    beside a band shown as [0, 1.33). The band is shown exactly, as it is checked."""
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative"
             and ind["points"] == 2.22)
    doc["indicators"][i].update(grade="partly", score=1.33, deviation="部分完成")
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "a.xlsx")).problems if p.code == "self.grade_band"]
    assert p.cell == se_cell(i, "score") and "为 1.33，" in p.message and "[1.332, 1.776)" in p.message, p.message
    doc["indicators"][i].update(grade="not_achieved")
    assert not [p for p in validate_file(fill(doc, tmp_path / "b.xlsx")).problems if p.code == "self.grade_band"]
    doc["indicators"][i].update(grade="achieved", score=1.77)
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "c.xlsx")).problems if p.code == "self.grade_band"]
    assert "[1.776, 2.22]" in p.message, p.message


def test_a_recomputed_score_quotes_target_and_actual_with_the_rows_unit(tmp_path):
    """“目标值 ≥85，实际完成值 85” on a row in %: the unit the clerk is to type in was left out of the formula."""
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind.get("unit") == "%")
    doc["indicators"][i].update(actual=doc["indicators"][i]["value"], score=1)
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "r.xlsx")).problems if p.code == "self.score_mismatch"]
    v = number(Decimal(str(doc["indicators"][i]["value"])))
    assert f"目标值 ≥{v}%，实际完成值 {v}%" in p.message, p.message
    assert f"target ≥{v}%, actual {v}%" in p.message_en, p.message_en


# One cause, one message; a target missed by a hair still asks for its reason --------------------------------
def test_a_score_above_its_points_is_one_error_at_its_cell_saying_what_it_should_be(tmp_path):
    """资金得分 12 on 10 points was two errors at one cell (above the points, and differs from the recomputed 9.7);
    a qualitative 得分 above its points was two as well (above the points, outside its grade's band)."""
    doc = load(SE_JSON[1])
    qual = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative")
    quant = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=")
    doc["funds"]["score"] = 12
    doc["indicators"][qual]["score"] = doc["indicators"][qual]["points"] + 1
    doc["indicators"][quant]["score"] = doc["indicators"][quant]["points"] + 1
    problems = validate_file(fill(doc, tmp_path / "r.xlsx")).problems
    at = {}
    for p in problems:
        at.setdefault(p.cell, []).append(p)
    (funds,) = at[SE.field("/funds/score").cell]
    assert funds.code == "self.score_above_points", [(p.code, p.message) for p in at[funds.cell]]
    assert "为 12，超过分值 10；按计分规则重算应为 9.7（" in funds.message and "执行率" in funds.message, funds.message
    assert "the scoring rules give 9.7 (" in funds.message_en, funds.message_en
    (q,) = at[se_cell(qual, "score")]
    assert q.code == "self.score_above_points" and "应在 [" in q.message, q.message
    (n,) = at[se_cell(quant, "score")]
    assert n.code == "self.score_above_points" and "重算应为" in n.message, n.message


def test_a_target_missed_by_a_hundredth_of_a_percent_asks_for_its_reason(tmp_path):
    """≥ 90 % with 89.99 %: 4.44 × 89.99 ÷ 90 = 4.4395…, 4.44 in cents, so no 偏差原因 was asked although the target
    was missed.  The reason follows the target, not the rounded score; a target met asks nothing."""
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind["value"] == 90)
    doc["indicators"][i].update(actual=89.99, score=doc["indicators"][i]["points"], deviation=None)
    found = [p for p in validate_file(fill(doc, tmp_path / "r.xlsx")).problems if p.cell == se_cell(i, "deviation")]
    assert [p.code for p in found] == ["self.deviation_missing"], [(p.code, p.message) for p in found]
    assert "实际完成值 89.99% 未达到目标值 ≥90%" in found[0].message, found[0].message
    assert "misses the target ≥90%" in found[0].message_en, found[0].message_en
    doc["indicators"][i].update(actual=90)
    assert not [p for p in validate_file(fill(doc, tmp_path / "s.xlsx")).problems
                if p.cell == se_cell(i, "deviation")]


# 总分: held to its scores, and to the recomputed total ----------------------------------------------------
def _cents_off(doc):
    """Each quantitative 得分 and the 资金得分 one cent below its recomputed score: each within the tolerance."""
    table = ScoringTable.load()
    n = 0
    for ind in doc["indicators"]:
        if ind["comparator"] != "qualitative":
            ind["score"] = float(score_indicator(ind, table).score - Decimal("0.01"))
            n += 1
    doc["funds"]["score"] = float(score_funds(doc["funds"], table).score - Decimal("0.01"))
    return n + 1


def test_scores_each_a_cent_off_add_up_to_one_error_at_the_total(tmp_path):
    """Each 得分 may be 0.01 from its recomputed score unreported; 14 of them printed a 总分 0.14 below the bureau's,
    unsaid.  One error at the 总分 cell, with both totals and the scores that differ, and none at the rows."""
    doc = load(SE_JSON[1])
    off = _cents_off(doc)
    path = fill(doc, tmp_path / "r.xlsx")
    problems = validate_file(path).problems
    sheet, r, c = _total_cell(len(doc["indicators"]))
    (p,) = [p for p in problems if p.code == "self.total_mismatch"]
    assert (p.sheet, p.cell, p.severity) == (sheet, a1(r, c), "error")
    ev = evaluate(read(path).document, TABLE)
    printed = ev.total - Decimal("0.01") * off
    assert f"“总分”按填写的得分合计为 {number(printed)}，按计分规则重算应为 {number(ev.total)}" in p.message, p.message
    assert f"合计相差 {number(Decimal('0.01') * off)}" in p.message and "第2条指标的得分 2.21（重算 2.22）" in p.message
    assert "等 14 处" in p.message and "the scoring rules give" in p.message_en, p.message
    assert not [p for p in problems if p.code == "self.score_mismatch"]
    assert [p.code for p in problems if p.cell == a1(r, c) and p.sheet == sheet] == ["self.total_mismatch"]


def test_one_score_a_cent_off_is_no_error(tmp_path):
    doc = load(SE_JSON[1])
    doc["funds"]["score"] = float(Decimal(str(doc["funds"]["score"])) - Decimal("0.01"))
    assert not [p for p in validate_file(fill(doc, tmp_path / "r.xlsx")).problems if "total" in p.code]


def test_a_total_typed_over_with_another_number_than_its_scores_is_an_error(tmp_path):
    """总分 typed over with 100 where the scores add up to 97.82: the stamped total is not the sum printed above it.
    An error at the cell with both numbers; typed over with the sum itself, the warning that the formula is gone."""
    src = SE_JSON[1].with_suffix(".xlsx")
    sheet, r, c = _total_cell(len(load(SE_JSON[1])["indicators"]))
    for typed, code, severity in ((100, "cell.total_not_sum", "error"),
                                  (98.93, "cell.computed_overwritten", "warning"),
                                  (98.925, "cell.computed_overwritten", "warning")):  # cents as ROUND makes them
        wb = openpyxl.load_workbook(src)
        wb[sheet].cell(r + 1, c + 1).value = typed
        wb.save(tmp_path / "t.xlsx")
        found = [p for p in validate_file(tmp_path / "t.xlsx").problems if p.cell == a1(r, c) and p.sheet == sheet]
        assert [(p.code, p.severity) for p in found] == [(code, severity)], [(p.code, p.message) for p in found]
        assert f"{typed}" in found[0].message, found[0].message
    wb = openpyxl.load_workbook(src)
    wb[sheet].cell(r + 1, c + 1).value = 100
    wb.save(tmp_path / "t.xlsx")
    (p,) = [p for p in validate_file(tmp_path / "t.xlsx").problems if p.code == "cell.total_not_sum"]
    assert "被改写为 100，而资金得分与各指标得分合计为 98.93" in p.message, p.message
    assert "add up to 98.93" in p.message_en, p.message_en


@pytest.mark.parametrize("lang, said", [("zh", "目标表.xlsx：各指标分值合计为 100：自评时资金（预算执行率）的分值将为 0"),
                                        ("en", "目标表.xlsx: The indicators' points total 100: at the self-evaluation "
                                               "the funds block (budget execution) gets 0 points")])
def test_a_template_run_says_when_the_goal_tables_points_leave_the_funds_none(tmp_path, lang, said):
    """分值 taking all 100 in a national-2021 goal table: template --targets gave the funds block 0 points without a
    word (the goal table's warning is not shown by a template run).  A note naming the goal table; the workbook
    is written, and the run succeeds."""
    path = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 20, 10))
    result = cli("template", "--form", "self-evaluation", "--targets", path, "--out-dir", tmp_path / "o",
                 "--lang", lang)
    assert result.exit_code == 0, result.output
    (line,) = [ln for ln in result.output.splitlines() if said in ln]
    assert line.startswith("注意：" if lang == "zh" else "Note: "), line
    assert ("资金 10 分" in line and "一般为 90" in line) if lang == "zh" else "indicators usually 90" in line, line
    written = self_evaluation_templates([path], tmp_path / "q")  # the library says it too
    assert len(written.notices) == 1 and "目标表.xlsx" in written.notices[0]
    ok = _weighted_goal(tmp_path, (10, 15, 15, 10, 20, 10, 10))  # 90 (written over the first): the funds get 10
    result = cli("template", "--form", "self-evaluation", "--targets", ok, "--out-dir", tmp_path / "p")
    assert result.exit_code == 0 and "注意" not in result.output, result.output


def test_a_target_beaten_by_far_is_said_in_the_rows_unit(tmp_path):
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind.get("unit") == "%")
    doc["indicators"][i].update(actual=doc["indicators"][i]["value"] * 2, score=doc["indicators"][i]["points"],
                                deviation=None)
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "r.xlsx")).problems if p.code == "self.deviation_missing"]
    v = doc["indicators"][i]["value"]
    assert f"实际完成值 {v * 2}% 超过目标值 {v}% 的 30% 及以上" in p.message, p.message
    assert f"actual {v * 2}% exceeds the target {v}%" in p.message_en, p.message_en


def test_a_goal_tables_points_typed_as_a_percent_are_not_read_as_a_fraction(tmp_path):
    """分值 “10%” typed in a goal table was read as 0.1 point, which the self-evaluation would then use."""
    path = fill(load(NATIONAL / "目标表.json"), tmp_path / "g.xlsx")
    from xlgoals import FORMS as forms
    gt = forms["goal-table"]
    wb = openpyxl.load_workbook(path)
    col = next(c for c in gt.columns(CFG.frameworks.get("national-2021")) if c.key == "weight")
    cell = wb[gt.table.name].cell(gt.table.first_row + 1, col.index + 1)
    cell.value, cell.number_format = 0.1, "0%"
    wb.save(tmp_path / "h.xlsx")
    report = validate_file(tmp_path / "h.xlsx")
    found = [p for p in report.problems if p.cell == a1(gt.table.first_row, col.index)]
    assert [p.code for p in found] == ["cell.number_percent"], [(p.code, p.message) for p in found]
    assert report.document["indicators"][0].get("weight") is None


def test_a_note_typed_below_the_total_is_not_read_as_an_indicator(tmp_path, lo_edit):
    """A clerk types a note and the head's signature line below 总分 (in LibreOffice, the sheet unprotected):
    they were read as two indicator rows (每行“必填项未填写”, 分值 missing, rows “增加” with --targets).  The table
    ends at 总分, as the form declares: what is below is not read, and one warning (cell.below) says so."""
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    n = len(read(src).document["indicators"])
    total_row = SE.table.first_row + n  # 0-based: the line right below the item rows
    path, result, below = note_typed_below(lo_edit, src, tmp_path / "备注.xlsx", SE, total_row + 2,
                                           "备注：部分指标因疫情顺延", "单位负责人签字：王某")
    assert len(result.document["indicators"]) == n
    assert str(total_row + 1) in below.message  # the table's last row: 总分's
    report = validate([path], targets=[EXAMPLES / "json"])
    assert report.valid and not [p for p in report.problems() if p.is_error], \
        [p.message for p in report.problems() if p.is_error]


def test_a_note_typed_below_a_layout_1_returns_rows_after_a_blank_row_is_one_warning(tmp_path, lo_edit):
    """Layout 1 (before 总分) has no line to end its table: a note and a signature typed below the rows, after a
    blank line, were read as two indicator rows.  Its rows are issued one per target, one after another, as the
    monitoring report's: a blank row ends the table, what is below it is not read, and one warning says so."""
    from xlgoals._form import LAYOUTS

    old = LAYOUTS[("self-evaluation", 1)]
    assert old.table.total is None
    doc = load(SE_JSON[1])
    doc["contact"].pop("head", None)
    src = tmp_path / "layout1.xlsx"
    src.write_bytes(build_workbook(doc["framework"], doc["year"], doc, form=old))
    n = len(doc["indicators"])
    assert len(read(src).document["indicators"]) == n
    end = old.table.first_row + n  # 0-based: the first line below the rows, left blank
    _, result, _ = note_typed_below(lo_edit, src, tmp_path / "备注.xlsx", old, end + 1, "备注：部分指标因疫情顺延",
                                    "单位负责人签字：王某")
    assert result.template["layout_version"] == 1
    assert len(result.document["indicators"]) == n, [i.get("level1") for i in result.document["indicators"][n:]]


def test_a_funds_score_above_its_points_over_a_budget_of_0_is_one_error(tmp_path):
    """全年预算数 0, nothing spent, 资金得分 typed above its 分值: the one cell had two errors, self.funds_unscorable
    and self.score_above_points, for one cause (a score typed where none can be computed).  One error, saying
    both: the budget of 0 and the points it exceeds."""
    doc = load(SE_JSON[1])
    points = doc["funds"]["points"]
    doc["funds"].update(initial_budget=0, full_year_budget=0, executed=0, score=points + 2)
    for source in (doc["funds"].get("sources") or {}).values():
        source.update(initial_budget=0, full_year_budget=0, executed=0)
    path = fill(doc, tmp_path / "r.xlsx")
    form = FORMS["self-evaluation"]
    cell = form.field("/funds/score").cell
    found = [p for p in validate_file(path).problems if (p.sheet, p.cell) == (form.info.name, cell)]
    assert [(p.code, p.severity) for p in found] == [("self.funds_unscorable", "error")], \
        [(p.code, p.message) for p in found]
    assert f"填写为 {points + 2}（超过分值 {points}），但全年预算数为 0" in found[0].message, found[0].message
    assert f"is {points + 2} (above the points, {points}) but the full-year budget is 0" in found[0].message_en
    doc["funds"]["score"] = points  # within its points: the message says nothing of them
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "w.xlsx")).problems
            if (p.sheet, p.cell) == (form.info.name, cell)]
    assert p.code == "self.funds_unscorable" and "超过分值" not in p.message, p.message


def _near_ninety(doc, rate):
    """Return 02 with its funds executed at `rate` (资金得分 10 × rate): its total brought near the 优 line at 90."""
    funds = doc["funds"]
    funds["executed"] = float((Decimal(str(funds["full_year_budget"])) * Decimal(rate)).quantize(Decimal("0.01")))
    funds.pop("sources", None)
    funds["deviation"] = "项目调整，资金未按计划支出"
    funds["score"] = float(score_funds(funds, TABLE).score)
    return doc


def test_a_total_mismatch_across_a_grade_says_both_grades(tmp_path):
    """14 scores each a cent below their recomputed ones print a 总分 of 89.91 (良) where the bureau's is 90.05
    (优): self.total_mismatch gave both totals but not that the grade it publishes is not the one the stamped total
    implies.  The message names both grades (zh and en)."""
    doc = _near_ninety(load(SE_JSON[1]), "0.082")
    off = _cents_off(doc)
    path = fill(doc, tmp_path / "r.xlsx")
    ev = evaluate(read(path).document, TABLE)
    printed = ev.total - Decimal("0.01") * off
    assert ev.grade == "优" and printed < 90, (ev.total, printed)
    (p,) = [p for p in validate_file(path).problems if p.code == "self.total_mismatch"]
    assert f"按填写的得分合计为 {number(printed)}，按计分规则重算应为 {number(ev.total)}" in p.message, p.message
    assert "按填写的得分评为“良”，重算为“优”" in p.message, p.message
    assert "graded good as printed, excellent recomputed" in p.message_en, p.message_en
    same = load(SE_JSON[1])
    _cents_off(same)  # 98.79 against 98.93: both 优, no grade said
    (q,) = [p for p in validate_file(fill(same, tmp_path / "s.xlsx")).problems if p.code == "self.total_mismatch"]
    assert "评为" not in q.message and "graded" not in q.message_en, q.message


def test_a_cent_off_that_crosses_a_grade_is_an_error_at_the_total(tmp_path):
    """资金得分 a cent below its recomputed score (within the tolerance, no error) with the recomputed 总分 exactly
    90.00: the stamped form prints 89.99 (良) and the bureau published 优 without a word.  One error at the 总分,
    naming both grades; a cent off that keeps the grade is still no error."""
    doc = _near_ninety(load(SE_JSON[1]), "0.077")
    assert evaluate(doc, TABLE).total == Decimal("90.00")
    doc["funds"]["score"] = float(Decimal(str(doc["funds"]["score"])) - Decimal("0.01"))
    problems = validate_file(fill(doc, tmp_path / "r.xlsx")).problems
    sheet, r, c = _total_cell(len(doc["indicators"]))
    found = [p for p in problems if (p.sheet, p.cell) == (sheet, a1(r, c))]
    assert [(p.code, p.severity) for p in found] == [("self.total_mismatch", "error")], \
        [(p.code, p.message) for p in problems]
    assert "合计为 89.99，按计分规则重算应为 90" in found[0].message and "评为“良”，重算为“优”" in found[0].message
    doc = _near_ninety(load(SE_JSON[1]), "0.08")
    doc["funds"]["score"] = float(Decimal(str(doc["funds"]["score"])) - Decimal("0.01"))
    assert not [p for p in validate_file(fill(doc, tmp_path / "s.xlsx")).problems if "total" in p.code]


def test_the_summary_lists_the_printed_total_and_grade_beside_the_recomputed(tmp_path):
    """项目得分 gave the recomputed 总分 and 等级 only: a return printing 89.99 (良) appeared as 90 优 with nothing to
    say the stamped paper reads otherwise.  填报总分 and 填报等级 are listed beside them; 自评汇总 counts the
    recomputed grade and its note says where the printed one is."""
    doc = _near_ninety(load(SE_JSON[1]), "0.077")
    doc["funds"]["score"] = float(Decimal(str(doc["funds"]["score"])) - Decimal("0.01"))
    fill(doc, tmp_path / "in" / "r.xlsx")
    consolidate([tmp_path / "in"], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.json")
    table = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["projects"]
    (row,) = table["rows"]
    at = {k: row[table["columns"].index(k)] for k in ("总分", "等级", "填报总分", "填报等级")}
    assert at == {"总分": 90, "等级": "优", "填报总分": 89.99, "填报等级": "良"}, at
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目得分"]
    header = next(r for r in ws.iter_rows(values_only=True) if "填报总分" in r)
    assert header.index("填报总分") == header.index("等级") + 1
    summary = openpyxl.load_workbook(tmp_path / "s.xlsx")["自评汇总"]
    notes = [v for r in summary.iter_rows(values_only=True) for v in r if isinstance(v, str) and "填报总分" in v]
    assert notes and "等级按重算的总分评定" in notes[0], notes


def test_90_percent_typed_as_a_score_in_libreoffice_is_one_error_at_each_cell(tmp_path, lo_edit):
    """“90%” typed into a 得分 cell (General format) in LibreOffice is stored as 0.9 shown 90%: each such cell is
    one cell.number_percent quoting what it shows, not also self.score_mismatch “填写为 0.9”, a band or
    points error, or a total_mismatch at the 总分 — on a quantitative row, a qualitative row and the 资金得分."""
    form = FORMS["self-evaluation"]
    src = SE_JSON[1].with_suffix(".xlsx")
    inds = load(SE_JSON[1])["indicators"]
    short = next(i for i, ind in enumerate(inds) if ind["comparator"] == ">=" and ind["actual"] < ind["value"])
    qual = next(i for i, ind in enumerate(inds) if ind["comparator"] == "qualitative")
    cells = [(form.info.name, form.field("/funds/score").cell)] + \
        [(form.table.name, se_cell(i, "score")) for i in (short, qual)]
    path = lo_edit(src, tmp_path / "typed.xlsx", [{"sheet": s, "cell": c, "input": "90%"} for s, c in cells])
    problems = validate_file(path).problems
    for where in cells:
        found = [p for p in problems if (p.sheet, p.cell) == where]
        assert [(p.code, p.severity) for p in found] == [("cell.number_percent", "error")], \
            (where, [(p.code, p.message) for p in found])
        assert "显示为 90%" in found[0].message and "0.9" not in found[0].message, found[0].message
    assert not [p for p in problems if p.code in ("self.score_mismatch", "self.total_mismatch", "self.grade_band",
                                                  "self.score_above_points")], [(p.code, p.message) for p in problems]


def _one_off(doc) -> int:
    """The first quantitative row scoring 2 or more typed 1 below its score (its own self.score_mismatch)."""
    k = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] != "qualitative"
             and score_indicator(ind, TABLE).score >= 2)
    doc["indicators"][k]["score"] = float(score_indicator(doc["indicators"][k], TABLE).score - 1)
    return k


def test_a_grade_changed_only_by_scores_with_their_own_errors_is_named_at_the_total(tmp_path):
    """A 得分 typed 1 below its recomputed score (its own self.score_mismatch) where the recomputed 总分 is 90.00:
    the stamped form prints 89 (良) and the bureau publishes 优.  The total was left to the row's error ("corrected,
    the total follows"), so nothing at the 总分 said the grade printed changes.  One error at the 总分 naming both
    grades and that the row errors explain it; the row keeps its own error.  The same mistake that keeps the grade
    says nothing at the 总分, nor does a crossing that a score the rules cannot recompute leaves open."""
    doc = _near_ninety(load(SE_JSON[1]), "0.077")
    assert evaluate(doc, TABLE).total == Decimal("90.00")
    k = _one_off(doc)
    problems = validate_file(fill(doc, tmp_path / "r.xlsx")).problems
    sheet, r, c = _total_cell(len(doc["indicators"]))
    found = [p for p in problems if (p.sheet, p.cell) == (sheet, a1(r, c))]
    assert [(p.code, p.severity) for p in found] == [("self.total_mismatch", "error")], \
        [(p.code, p.message) for p in problems]
    assert "评为“良”，重算为“优”" in found[0].message, found[0].message
    assert "1 处得分的错误" in found[0].message and "以下得分" not in found[0].message, found[0].message
    assert "graded good as printed, excellent recomputed" in found[0].message_en, found[0].message_en
    assert "1 score error(s)" in found[0].message_en, found[0].message_en
    assert [p.code for p in problems if (p.sheet, p.cell) == (sheet, se_cell(k, "score"))] == ["self.score_mismatch"]
    same = load(SE_JSON[1])  # 98.93 recomputed, 97.93 printed: both 优
    _one_off(same)
    assert not [p for p in validate_file(fill(same, tmp_path / "s.xlsx")).problems if "total" in p.code]
    open_ = _near_ninety(load(SE_JSON[1]), "0.077")  # a missing 实际完成值: the recomputed total is not known
    k = _one_off(open_)
    i = next(i for i, ind in enumerate(open_["indicators"]) if ind["comparator"] == ">=" and i != k)
    open_["indicators"][i]["actual"] = None
    assert not [p for p in validate_file(fill(open_, tmp_path / "t.xlsx")).problems if "total" in p.code]


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_two_goal_tables_of_one_project_in_other_brackets_give_one_form(tmp_path, form_id):
    """One project's goal table twice, the second saved with 【一期】 for （一期） and a space in the unit: the
    repeat was sought by the names' canonical form (brackets kept apart) while returns are matched to goal tables
    by name_key (brackets, spaces and widths folded), so the department got two forms for one project and
    validate --targets matched both to one goal table.  One key for both: the one the duplicate rule keeps (of one
    填报日期 and modification time, the last path) is written, the other is an error naming it and saying it was
    used (exit 1)."""
    import os

    src = tmp_path / "批复"
    src.mkdir()
    doc = load(EXAMPLE_JSON[2])
    name = doc["project"]["name"]
    fill({**doc, "project": {**doc["project"], "name": f"{name}（一期）"}}, src / "a.xlsx")
    fill({**doc, "unit": doc["unit"][:2] + " " + doc["unit"][2:], "project": {**doc["project"], "name": f"{name}【一期】"}},
         src / "b.xlsx")
    for f in ("a.xlsx", "b.xlsx"):
        os.utime(src / f, ns=(1_600_000_000 * 10**9,) * 2)
    args = ["template", "--form", form_id, "--targets", src, "--out-dir", tmp_path / "out"]
    result = cli(*args, *(["--month", "6"] if form_id == "monitoring" else []))
    assert result.exit_code == 1, result.output
    (written,) = (tmp_path / "out").iterdir()
    assert read(written).document["project"]["name"] == f"{name}【一期】", written
    line = next(ln for ln in result.output.splitlines() if "a.xlsx：" in ln)
    assert "b.xlsx" in line and "同一项目" in line and "未生成" in line and "以 " in line and "为准" in line, result.output


def test_a_return_matched_by_name_is_held_to_the_goal_table_of_its_year(tmp_path):
    """A recurring project's goal tables for 2020 and 2021 both in --targets, and a 2020 return found by unit and
    project (its digest matching neither: the goal table saved again since): it was held to whichever goal table
    was listed last, 2021's, and failed “预算年度 … 应为 2021”.  Matched by name, the goal table of the return's own
    year is used; the other year's only where none of its year is given."""
    goal = load(EXAMPLE_JSON[2])
    later = json.loads(json.dumps({**goal, "year": goal["year"] + 1}).replace(f'"{goal["year"]}-', f'"{goal["year"] + 1}-'))
    g = tmp_path / "批复"
    g.mkdir()
    fill(goal, g / "a2020.xlsx")
    fill(later, g / "b2021.xlsx")
    doc = self_evaluation_document(goal, CFG)
    doc["targets_sha256"] = "0" * 64
    path = fill(doc, tmp_path / "r.xlsx")
    problems = validate([path], targets=[g / "a2020.xlsx", g / "b2021.xlsx"]).problems()
    assert not [p for p in problems if p.code.startswith("self.target")], [p.message for p in problems]
    only_later = validate([path], targets=[g / "b2021.xlsx"]).problems()  # none of its year: the other's, said
    # (its locked cells as issued: a form of the other year, said so since red team 31, not its targets "changed")
    assert [p for p in only_later if p.code == "self.targets_other_year" and str(goal["year"] + 1) in p.message]


def test_the_deviation_lists_threshold_is_the_rule_tables(tmp_path):
    """偏差清单 listed rows beaten by 30 % from a constant of its own, while validate asks for their reason by
    self.deviation_missing's “over” in the rule table in force: a bureau that sets it to 1.5 had rows listed as
    “超额完成30%及以上” that validate no longer asked about.  The list follows the rule table, its wording too."""
    from .helpers import bureau_rules

    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == ">=" and ind["value"] == 90)
    doc["indicators"][i].update(actual=126, score=doc["indicators"][i]["points"], deviation="需求增加")  # 1.4 ×
    fill(doc, tmp_path / "in" / "r.xlsx")
    rules = bureau_rules(tmp_path / "本局规则.csv", [
        "self.deviation_missing", "error", "deviation_required", '{"over": 1.5}', "未填写偏差原因",
        "Reason for deviation missing", "", "{reason}，请填写“{field}”", "{reason_en}; fill in '{field}'"])

    def listed(**kw):
        consolidate([tmp_path / "in"], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.json", force=True, **kw)
        rows = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["deviations"]["rows"]
        return [r[8] for r in rows if r[2] == doc["indicators"][i]["id"]]
    assert listed() == ["超额完成30%及以上"]
    assert listed(rules=rules) == []
    doc["indicators"][i]["actual"] = 140  # 1.56 × the target
    fill(doc, tmp_path / "in" / "r.xlsx", force=True)
    assert listed(rules=rules) == ["超额完成50%及以上"]
