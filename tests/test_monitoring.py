"""The monitoring report (绩效运行监控表): templates from targets, the month in the labels, read/fill/validate,
one test per check, locked targets, the summary with its red/amber/green marks, LibreOffice."""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, Config, consolidate, fill, load_schema, monitoring_templates, read, validate, validate_file
from xlgoals._form import a1, parse_stamp
from xlgoals._monitor._targets import TargetSet, monitoring_document
from xlgoals._selfeval._targets import targets_sha256

from .conftest import EXAMPLE_JSON, EXAMPLES, cli, load
from .helpers import bureau_rules, edited, lo_cell as at, note_typed_below, templates_from_sample_targets

MON = FORMS["monitoring"]
M6 = MON.bind(month=6)
CFG = Config.load()
MON_JSON = sorted((EXAMPLES / "monitoring").glob("*.json"))
MON_XLSX = [p.with_suffix(".xlsx") for p in MON_JSON]


def cell(index: int, key: str) -> tuple[str, str]:
    return M6.table.name, a1(M6.table.first_row + index, M6.column(key).index)


def info(path: str) -> tuple[str, str]:
    f = M6.field(path)
    return f.sheet, f.cell


def found(path: Path) -> set:
    return {(p.code, p.sheet, p.cell) for p in validate_file(path).problems}


def _edited(tmp_path, edits, n=1, name="r.xlsx"):
    return edited(MON_XLSX[n], tmp_path / name, edits)


# The form and its month ------------------------------------------------------------------------------
def test_month_is_a_parameter_of_the_declaration():
    assert MON.params[0].name == "month" and not MON.bound
    assert MON.column_label("progress") == "1-{month}月执行情况"
    assert M6.column_label("progress") == "1-6月执行情况" and M6.bound == (("month", 6),)
    assert MON.bind(month=3).field("/funds/executed_to_date").label == "1-3月执行数（元）"
    assert MON.bind(month=13).title_of("/funds/executed_to_date") == "1-N月执行数（元）"  # unknown month: N
    assert MON.bind(month=6) is M6  # bound once per month
    stamp = parse_stamp(M6.make_stamp("shanghai-2020", 2020))
    assert stamp["form"] == "monitoring" and stamp["params"] == {"month": "6"}
    assert MON.for_stamp(stamp) is M6
    assert MON.for_stamp({"params": {"month": "13"}}) is None
    assert parse_stamp("XLGOALS|monitoring|1|shanghai-2020|2020|x|month") is None


def test_schema_has_the_agreed_field_names():
    schema = load_schema("monitoring")
    assert schema["properties"]["form"]["const"] == "monitoring"
    assert schema["properties"]["month"] == {**schema["properties"]["month"], "type": "integer", "minimum": 1,
                                             "maximum": 12}
    assert {"form", "month", "framework", "year", "unit", "project", "targets_sha256", "funds",
            "indicators"} <= set(schema["required"])
    assert set(schema["properties"]["funds"]["properties"]) == {"initial_budget", "full_year_budget",
                                                                "executed_to_date", "expected_full_year"}
    item = schema["$defs"]["indicator"]["properties"]
    assert set(item) == {"id", "level1", "level2", "name", "comparator", "value", "unit", "text", "progress",
                         "expected", "deviation_category", "deviation", "likelihood", "note"}
    assert item["likelihood"]["enum"][:3] == ["certain", "possible", "impossible"]
    assert item["deviation_category"]["enum"][:5] == ["funding", "policy", "staffing", "facilities", "other"]
    printed = cli("schema", "--form", "monitoring")
    assert printed.exit_code == 0 and json.loads(printed.output) == schema


# Templates from approved targets ------------------------------------------------------------------------
def test_templates_from_targets_lock_targets_and_open_inputs(tmp_path):
    result, path, goal = templates_from_sample_targets(tmp_path, monitoring_templates, month=6)
    wb = openpyxl.load_workbook(path)
    ws, infos = wb[M6.table.name], wb[M6.info.name]
    assert ws.protection.sheet and infos.protection.sheet
    for i in range(len(goal["indicators"])):
        for key in ("id", "level1", "level2", "name", "comparator", "target", "unit"):
            assert ws[cell(i, key)[1]].protection.locked, (i, key)
        for key in ("progress", "expected", "deviation_category", "deviation", "likelihood", "note"):
            assert not ws[cell(i, key)[1]].protection.locked, (i, key)
    assert ws[cell(0, "id")[1]].value == "I001" and ws[cell(0, "name")[1]].value == goal["indicators"][0]["name"]
    # the month is in the labels, the title and the stamp
    assert ws.cell(M6.table.header_row + 1, M6.column("progress").index + 1).value == "1-6月执行情况"
    assert "1-6月" in infos.cell(1, 1).value
    assert infos[a1(*M6.info.stamp_cell)].value.endswith("|month=6")
    for p in ("/unit", "/project/name", "/targets_sha256"):
        assert infos[M6.field(p).cell].protection.locked, p
    for p in ("/funds/full_year_budget", "/funds/executed_to_date", "/funds/expected_full_year", "/contact/name"):
        assert not infos[M6.field(p).cell].protection.locked, p
    assert infos[M6.field("/funds/initial_budget").cell].value == goal["budget"]["current_year"]
    # dropdowns for the deviation category and the likelihood
    lists = {d.formula1 for d in ws.data_validations.dataValidation}
    assert {"xl_deviation_categories", "xl_likelihoods"} <= lists
    names = wb.defined_names
    assert names["xl_likelihoods"].value.startswith("'下拉选项'!")
    back = read(path)
    assert back.form == "monitoring" and back.problems == []
    assert back.document["month"] == 6 and back.document["targets_sha256"] == targets_sha256(goal)


def test_cli_template(tmp_path):
    result = cli("template", "--form", "monitoring", "--month", "3", "--targets", EXAMPLE_JSON[0], EXAMPLE_JSON[4],
                 "--out-dir", tmp_path / "o")
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "o").glob("*.xlsx"))
    assert len(made) == 2 and read(made[0]).document["month"] == 3
    assert cli("template", "--form", "monitoring", "--targets", EXAMPLE_JSON[0], "--out-dir", tmp_path).exit_code == 2
    assert cli("template", "--form", "monitoring", "--month", "13", "--targets", EXAMPLE_JSON[0],
               "--out-dir", tmp_path).exit_code == 2
    bad = tmp_path / "坏.json"
    bad.write_text("{", encoding="utf-8")
    result = cli("template", "--form", "monitoring", "--month", "6", "--targets", bad, EXAMPLE_JSON[0],
                 "--out-dir", tmp_path / "p")
    assert result.exit_code == 1 and "坏.json" in result.output and "已生成" in result.output


def test_month_must_be_valid():
    from xlgoals import XlgoalsError

    with pytest.raises(XlgoalsError, match="月份"):
        monitoring_templates([EXAMPLE_JSON[0]], "/nonexistent", month=0)


# The document: read, fill, validate ------------------------------------------------------------------------
@pytest.mark.parametrize("json_path", MON_JSON, ids=lambda p: p.stem)
def test_examples_are_valid_and_byte_identical_to_fill(json_path, tmp_path):
    doc = load(json_path)
    assert doc["form"] == "monitoring" and doc["month"] == 6
    xlsx = json_path.with_suffix(".xlsx")
    assert xlsx.read_bytes() == fill(doc, tmp_path / "again.xlsx").read_bytes(), \
        "examples/monitoring is stale: run python examples/make_monitoring.py"
    assert read(xlsx).document == doc
    report = validate_file(xlsx)
    assert report.passes() and not report.errors


def test_round_trip_other_month(tmp_path):
    doc = load(MON_JSON[0])
    doc["month"] = 9
    path = fill(doc, tmp_path / "九月.xlsx")
    back = read(path)
    assert back.document == doc and back.template["params"] == {"month": "9"}
    wb = openpyxl.load_workbook(path)
    assert wb[M6.info.name][M6.field("/funds/executed_to_date").cell].value is not None
    assert wb[M6.info.name].cell(M6.info.grids[0].row + 1, M6.field("/funds/executed_to_date").col + 1).value == \
        "1-9月执行数（元）"


def test_fill_refuses_a_bad_month(tmp_path):
    doc = load(MON_JSON[0])
    doc["month"] = 13
    result = cli("fill", _write_json(tmp_path, doc), "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "/month" in result.output and not (tmp_path / "x.xlsx").exists()


def _write_json(tmp_path, doc) -> Path:
    p = tmp_path / "doc.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def test_computed_cells_show_the_rate_and_the_schedule():
    doc = load(MON_JSON[2])
    wb = openpyxl.load_workbook(MON_XLSX[2])
    ws = wb[M6.info.name]
    grid = M6.info.grids[0]
    (r1, c1, rate), (r2, c2, schedule) = grid.computed
    assert ws.cell(r1 + 1, c1 + 1).value.startswith("=IF(") and ws.cell(r2 + 1, c2 + 1).value == "=6/12"
    wb = openpyxl.load_workbook(MON_XLSX[2], data_only=True)
    cached = wb[M6.info.name].cell(r1 + 1, c1 + 1).value
    assert cached == pytest.approx(doc["funds"]["executed_to_date"] / doc["funds"]["full_year_budget"])
    assert wb[M6.info.name].cell(r2 + 1, c2 + 1).value == 0.5


# Checks: one test each, located at its cell -----------------------------------------------------------------
def test_behind_schedule_is_a_warning_at_the_executed_amount(tmp_path):
    assert ("monitor.behind_schedule", *info("/funds/executed_to_date")) in found(MON_XLSX[2])
    doc = load(MON_JSON[1])
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    # exactly 10 points behind (40 % against 50 %) is not "more than 10"; a cent less is
    at_limit = _edited(tmp_path, {info("/funds/executed_to_date"): float(budget * Decimal("0.4"))}, name="a.xlsx")
    assert not {c for c in found(at_limit) if c[0] == "monitor.behind_schedule"}
    below = _edited(tmp_path, {info("/funds/executed_to_date"): float(budget * Decimal("0.4") - Decimal("0.01"))},
                    name="b.xlsx")
    report = validate_file(below)
    p = next(p for p in report.problems if p.code == "monitor.behind_schedule")
    assert p.severity == "warning" and report.passes() and "50%" in p.message and "10 个百分点" in p.message


def test_behind_schedule_threshold_is_data(tmp_path):
    rules = bureau_rules(tmp_path / "本局规则.csv", [
        "monitor.behind_schedule", "warning", "behind_schedule", '{"gap": 0.25}', "执行率低于序时进度", "Behind", "",
        "执行率 {rate} 低于序时进度 {schedule}", "rate {rate} below {schedule}"])
    assert "monitor.behind_schedule" not in {p.code for p in validate_file(MON_XLSX[2], rules=rules).problems}
    out = tmp_path / "s.xlsx"
    consolidate([MON_XLSX[2]], out, jobs=1, rules=rules)
    ws = openpyxl.load_workbook(out)["项目进度"]
    assert ws.cell(2, 11).value == "黄"  # 19 points behind: red at 10, amber at 25


def test_expected_short_needs_a_category_and_a_reason(tmp_path):
    doc = load(MON_JSON[0])
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind["comparator"] == "=" and ind["value"] == 200)
    path = _edited(tmp_path, {cell(i, "expected"): 150}, n=0)
    assert ("monitor.expected_short", *cell(i, "deviation_category")) in found(path)
    path = _edited(tmp_path, {cell(i, "expected"): 150, cell(i, "deviation_category"): "经费保障"}, n=0, name="b.xlsx")
    assert ("monitor.expected_short", *cell(i, "deviation")) in found(path)
    path = _edited(tmp_path, {cell(i, "expected"): 150, cell(i, "deviation_category"): "经费保障",
                              cell(i, "deviation"): "资金未到位。"}, n=0, name="c.xlsx")
    assert not {c for c in found(path) if c[0] == "monitor.expected_short"}
    message = next(p.message for p in validate_file(_edited(tmp_path, {cell(i, "expected"): 150}, n=0, name="d.xlsx"))
                   .problems if p.code == "monitor.expected_short")
    assert "＝200" in message and "150" in message and "偏差原因类别" in message


def test_a_mistyped_deviation_category_is_one_problem_not_also_asked_for(tmp_path):
    """经费 typed for a 偏差原因类别 (none of the choices) on a row short of its target: the reader says it cannot take
    it, and expected_short said “请填写偏差原因类别” at the same, filled, cell."""
    doc = load(MON_JSON[0])
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind["comparator"] == "=" and ind["value"] == 200)
    path = _edited(tmp_path, {cell(i, "expected"): 150, cell(i, "deviation_category"): "经费",
                              cell(i, "deviation"): "资金未到位。"}, n=0)
    at_cell = [p for p in validate_file(path).problems if (p.sheet, p.cell) == cell(i, "deviation_category")]
    assert [p.code for p in at_cell] == ["cell.choice"], [(p.code, p.message) for p in at_cell]
    assert "经费" in at_cell[0].message


def test_unlikely_without_reason(tmp_path):
    doc = load(MON_JSON[2])
    i = next(n for n, ind in enumerate(doc["indicators"]) if ind.get("likelihood") == "impossible")
    path = _edited(tmp_path, {cell(i, "deviation"): None}, n=2)
    codes = found(path)
    assert ("monitor.unlikely_without_reason", *cell(i, "deviation")) in codes
    j = next(n for n, ind in enumerate(doc["indicators"]) if ind.get("likelihood") == "certain")
    path = _edited(tmp_path, {cell(j, "likelihood"): "完全不可能"}, n=2, name="b.xlsx")
    assert ("monitor.unlikely_without_reason", *cell(j, "deviation")) in found(path)


def test_expected_over_budget(tmp_path):
    doc = load(MON_JSON[1])
    path = _edited(tmp_path, {info("/funds/expected_full_year"): doc["funds"]["full_year_budget"] + 0.01})
    report = validate_file(path)
    p = next(p for p in report.problems if p.code == "monitor.expected_over_budget")
    assert (p.sheet, p.cell) == info("/funds/expected_full_year") and p.severity == "error" and not report.passes()


def test_amounts_in_monitoring_messages_read_as_money(tmp_path):
    """全年预计执行数（139086910.35）超过全年预算数（139086909.35）: the amounts are written as the summaries write
    them, 139,086,910.35 元 (yuan in English), in the message and in what is expected; the value stays the number."""
    path = _edited(tmp_path, {info("/funds/full_year_budget"): 62800000, info("/funds/expected_full_year"): 62800000.5})
    p = next(p for p in validate_file(path).problems if p.code == "monitor.expected_over_budget")
    assert p.message == "全年预计执行数（62,800,000.50 元）超过全年预算数（62,800,000.00 元），请核对金额", p.message
    assert p.message_en == ("The amount expected to be executed in the year (62,800,000.50 yuan) exceeds the "
                            "full-year budget (62,800,000.00 yuan); check the amounts"), p.message_en
    assert (p.value, p.expected_text(), p.expected_text("en")) == (62800000.5, "≤ 62,800,000.00 元",
                                                                   "≤ 62,800,000.00 yuan")
    english = cli("validate", path, "--lang", "en")
    assert "(62,800,000.50 yuan) exceeds the full-year budget (62,800,000.00 yuan)" in english.output, english.output


def test_rows_must_be_filled_and_numbers_where_quantitative(tmp_path):
    doc = load(MON_JSON[1])
    q = next(n for n, ind in enumerate(doc["indicators"]) if ind["comparator"] != "qualitative")
    path = _edited(tmp_path, {cell(0, "progress"): None, cell(1, "likelihood"): None, cell(q, "expected"): "基本完成"})
    codes = found(path)
    assert ("monitor.row_missing", *cell(0, "progress")) in codes
    assert ("monitor.row_missing", *cell(1, "likelihood")) in codes
    assert ("monitor.not_number", *cell(q, "expected")) in codes


def test_cell_problems_of_the_goal_table_are_caught(tmp_path):
    path = _edited(tmp_path, {info("/funds/executed_to_date"): "6280万元", cell(0, "likelihood"): "大概能",
                              cell(1, "progress"): "=1/0", info("/contact/date"): "明年春天"})
    codes = found(path)
    assert ("cell.amount_wan", *info("/funds/executed_to_date")) in codes
    assert ("cell.choice", *cell(0, "likelihood")) in codes
    assert ("cell.date", *info("/contact/date")) in codes
    choice = next(p for p in validate_file(path).problems if p.code == "cell.choice")
    assert "确定能、有可能、完全不可能" in choice.message
    # the English message lists the choices as English lists do (it read "choose one of: 确定能、有可能、完全不可能")
    assert "choose one of: 确定能, 有可能, 完全不可能" in choice.message_en and "、" not in choice.message_en


def test_validate_targets_finds_changed_locked_cells(tmp_path):
    path = _edited(tmp_path, {cell(3, "target"): 50, cell(4, "name"): "改过的指标", info("/project/name"): "促进就业专项资金（改）"})
    assert "monitor.target_changed" not in {c[0] for c in found(path)}
    report = validate([path], targets=[EXAMPLES / "json"])
    codes = {(p.code, p.cell) for p in report.problems()}
    assert ("monitor.target_changed", cell(3, "target")[1]) in codes
    assert ("monitor.target_changed", cell(4, "name")[1]) in codes
    # matched by digest; the project name is locked in the template, which says so itself (one error there)
    assert ("template.locked_changed", M6.field("/project/name").cell) in codes
    assert ("monitor.target_changed", M6.field("/project/name").cell) not in codes
    assert ("monitor.targets_unmatched", M6.info.name, M6.field("/targets_sha256").cell) in \
        {(p.code, p.sheet, p.cell) for p in validate([path], targets=[EXAMPLE_JSON[0]]).problems()}
    clean = validate(MON_XLSX, targets=[EXAMPLES / "json"])
    assert clean.valid and not [p for p in clean.problems() if p.code.startswith("monitor.target")]
    result = cli("validate", path, "--targets", EXAMPLES / "returns")
    assert result.exit_code == 1 and "monitor.target_changed" in result.output


def test_target_set_serves_both_forms():
    targets = TargetSet.load([EXAMPLES / "json"], CFG)
    se = load(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[1])
    assert targets.problems(se, CFG.rules) == [] and targets.problems(load(MON_JSON[1]), CFG.rules) == []
    se["indicators"][0]["points"] = 99
    assert [p.code for p in targets.problems(se, CFG.rules)] == ["self.target_changed"]


def test_hostile_values_never_raise(tmp_path):
    path = _edited(tmp_path, {cell(0, "note"): '=HYPERLINK("http://x")', cell(1, "deviation_category"): "①",
                              info("/funds/full_year_budget"): -1, info("/funds/executed_to_date"): "∞",
                              cell(2, "expected"): "1e400", info("/contact/phone"): "=1+1"})
    report = validate_file(path)
    assert report.document is None or isinstance(report.document, dict)
    assert {"cell.amount", "cell.choice"} <= {p.code for p in report.problems}
    # a stamp with a month out of range is refused as an unknown template, not read with a wrong month
    tampered = edited(MON_XLSX[0], tmp_path / "t.xlsx",
                      {(M6.info.name, a1(*M6.info.stamp_cell)): M6.make_stamp("shanghai-2020", 2020).replace(
                          "month=6", "month=13")})
    result = read(tampered)
    assert result.document is None and [p.code for p in result.problems] == ["template.unknown"]


def test_monitoring_validation_sheet_has_the_shared_columns(tmp_path):
    """校验结果 is the same table for every form: each value under its own heading, the digest under SHA-256."""
    import hashlib

    out = tmp_path / "监控汇总.xlsx"
    consolidate([EXAMPLES / "monitoring"], out, jobs=1, json_path=tmp_path / "s.json")
    goal = tmp_path / "目标汇总.xlsx"
    consolidate([EXAMPLES / "returns"], goal, jobs=1)
    ws = openpyxl.load_workbook(out)["校验结果"]
    headers = [c.value for c in ws[1]]
    assert headers == [c.value for c in openpyxl.load_workbook(goal)["校验结果"][1]]
    assert headers[-3:] == ["文件路径", "SHA-256", "文件路径字节"]
    rows = [dict(zip(headers, (c.value for c in r))) for r in ws.iter_rows(min_row=2)]
    assert {Path(row["文件路径"]).name for row in rows} == {p.name for p in MON_XLSX + MON_JSON}  # a row per problem
    for row in rows:
        path = Path(row["文件路径"])
        assert path.name == row["文件"]
        if path.suffix != ".xlsx":  # the JSON documents beside them are listed, not checked
            continue
        assert row["状态"] == "通过"
        assert row["SHA-256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["validation"]
    assert len(data["columns"] if "columns" in data else data["rows"][0]) == len(headers)


def test_a_goal_table_document_is_not_a_monitoring_report():
    doc = monitoring_document(load(EXAMPLE_JSON[0]), CFG, 6)
    assert doc["form"] == "monitoring" and all(i["id"].startswith("I") for i in doc["indicators"])


# Consolidation --------------------------------------------------------------------------------------------
def test_consolidate_monitoring_reports(tmp_path):
    out = tmp_path / "监控汇总.xlsx"
    result = consolidate([EXAMPLES / "monitoring"], out, jobs=1, csv_dir=tmp_path / "csv",
                         json_path=tmp_path / "s.json")
    assert result.form == "monitoring"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["监控汇总", "项目进度", "指标监控", "风险清单", "校验结果"]
    ws = wb["监控汇总"]
    assert [ws["A1"].value, ws["A2"].value[:5]] == ["2020年度1-6月项目支出绩效运行监控汇总", "制表日期："]
    headers = [c.value for c in ws[3]]
    assert headers[:9] == ["序号", "申报单位", "项目数", "全年预算数（元）", "1-6月执行数（元）", "执行率", "序时进度",
                           "差距（百分点）", "进度标识"]
    docs = [load(p) for p in MON_JSON]
    budget = sum(Decimal(str(d["funds"]["full_year_budget"])) for d in docs)
    executed = sum(Decimal(str(d["funds"]["executed_to_date"])) for d in docs)
    assert result.totals["full_year_budget"] == budget and result.totals["executed_to_date"] == executed
    row = [c.value for c in ws[4]]
    assert row[1] == "上海市就业促进中心" and row[2] == 5
    assert row[5] == float((executed / budget).quantize(Decimal("0.0001"))) and row[6] == 0.5
    assert row[7] == float(((executed / budget - Decimal("0.5")) * 100).quantize(Decimal("0.01")))
    assert row[8] == "黄"  # 43.7 % against 50 %: behind, by less than 10 points
    total_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "合计")
    assert ws.cell(total_row, 4).value.startswith("=SUM(")
    # the marks' colours come from conditional formatting, on the summary and on the projects
    for name, cell in (("监控汇总", "I4"), ("项目进度", "K2")):
        rules = [(str(rng.sqref), r) for rng in wb[name].conditional_formatting for r in rng.rules]
        assert len(rules) == 3 and all(sq.startswith(cell) for sq, _ in rules), name
        assert {r.formula[0] for _, r in rules} == {'"红"', '"黄"', '"绿"'}
        assert all(r.type == "cellIs" and r.dxf.fill is not None for _, r in rules)
    projects = {r[2].value: r[10].value for r in wb["项目进度"].iter_rows(min_row=2)}
    assert projects["职业培训基础能力建设资助"] == "红" and projects["促进就业专项业务费"] == "绿"
    risks = [[c.value for c in r] for r in wb["风险清单"].iter_rows(min_row=2)]
    kinds = {(r[1], r[2]) for r in risks}
    assert ("职业培训基础能力建设资助", "预算执行进度滞后") in kinds
    assert ("职业培训基础能力建设资助", "完全不可能完成") in kinds
    assert any(k == "预计达不到年度指标值" for _, k in kinds)
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert set(data) == {"summary", "projects", "indicators", "risks", "validation", "counts", "form"} and data["form"] == "monitoring"
    assert len(data["indicators"]["rows"]) == sum(len(d["indicators"]) for d in docs)
    assert (tmp_path / "csv" / "风险清单.csv").exists() and (tmp_path / "csv" / "监控汇总.csv").exists()
    again = tmp_path / "again.xlsx"
    consolidate([EXAMPLES / "monitoring"], again, jobs=2)
    assert again.read_bytes() == out.read_bytes()
    line = cli("consolidate", EXAMPLES / "monitoring", "-o", tmp_path / "c.xlsx").output
    assert "1-6月" in line and "风险项目" in line


def test_monitoring_summary_lists_units_and_projects_in_pinyin_order(tmp_path):
    """Every per-report table orders its rows as the goal table's and the self-evaluation's summaries do: by unit in
    pinyin order (安徽, 北京, 上海; code points would give 上, 北, 安), then project."""
    units = ("上海市某局", "北京市某局", "安徽省某局")
    folder = tmp_path / "监控收到"
    folder.mkdir()
    for i, unit in enumerate(units):
        for j in (2, 3):  # 03 has indicators and funds at risk: rows in 风险清单 too
            doc = load(MON_JSON[j])
            doc["unit"] = unit
            fill(doc, folder / f"{i}{j}.xlsx")  # file names in code-point order of the units
    out = tmp_path / "监控汇总.xlsx"
    result = consolidate([folder], out, jobs=1, json_path=tmp_path / "s.json")
    assert result.form == "monitoring" and result.totals["projects"] == 6
    pinyin = ["安徽省某局", "北京市某局", "上海市某局"]
    wb = openpyxl.load_workbook(out)

    def column(sheet, col):
        values = [r[col] for r in wb[sheet].iter_rows(min_row=2, values_only=True) if r[col] in units]
        return list(dict.fromkeys(values)), values

    assert column("监控汇总", 1)[0] == pinyin
    for sheet, col in (("项目进度", 1), ("指标监控", 0), ("风险清单", 0)):
        order, values = column(sheet, col)
        assert order == pinyin, sheet
        assert values == sorted(values, key=pinyin.index), sheet  # each unit's rows together
    projects = [(r[1], r[2]) for r in wb["项目进度"].iter_rows(min_row=2, values_only=True)]
    # within a unit: by project, in pinyin order as the units are (gāo before zhí; the files hold them the other way)
    names = ["高技能人才培养基地建设资助", "职业培训基础能力建设资助"]
    assert sorted(load(MON_JSON[j])["project"]["name"] for j in (2, 3)) != names  # (code-point order would fail it)
    assert projects == [(u, n) for u in pinyin for n in names]
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert [r[1] for r in data["projects"]["rows"]] == [u for u in pinyin for _ in names]


def test_mixed_forms_are_refused(tmp_path):
    result = cli("consolidate", EXAMPLES / "monitoring", EXAMPLES / "self-evaluation", "-o", tmp_path / "m.xlsx")
    # the folder's five workbooks and the five JSON documents read from them: returns alike
    assert result.exit_code == 2 and "绩效运行监控表 10 个" in result.output


# LibreOffice ----------------------------------------------------------------------------------------------
def _ppm_pixels(path: Path) -> bytes:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)  # P6, width, height, maxval, pixels
    assert parts[0] == b"P6"
    return parts[4]


def test_libreoffice_shows_the_marks_and_prints_the_example(tmp_path, lo_convert):
    """LibreOffice renders the conditional formats' fills (the marks), and prints a filled report on its pages."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) not installed")
    out = tmp_path / "汇总.xlsx"
    consolidate([EXAMPLES / "monitoring"], out, jobs=1)
    pdf, printed = lo_convert(out, MON_XLSX[2], fmt="pdf")  # one LibreOffice session for both
    subprocess.run(["pdftoppm", "-r", "40", str(pdf), str(tmp_path / "p")], check=True)
    pixels = b"".join(_ppm_pixels(p) for p in sorted(tmp_path.glob("p-*.ppm")))
    for colour in ("FFEB9C", "FFC7CE", "C6EFCE"):  # amber on 监控汇总; red and green on 项目进度
        assert bytes.fromhex(colour) in pixels, colour
    text = subprocess.run(["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True).stdout
    assert "1-6月执行情况" in text and "绩效运行监控表（2020年1-6月）" in text
    assert "“模板标识”请勿修改" in text  # the guide's last line is on the page, not cut off


def test_saved_as_xls_by_libreoffice_reads_the_same(lo_convert):
    """The month travels in the stamp cell, so a legacy .xls (no custom properties) reads with its labels."""
    (saved,) = lo_convert(MON_XLSX[1], fmt="xls")
    result = read(saved)
    assert result.form == "monitoring" and result.problems == [] and result.document == load(MON_JSON[1])


def test_department_fills_monitoring_in_libreoffice(tmp_path, lo_edit):
    """A monitoring template made from a goal table, typed into in LibreOffice, reads back and passes."""
    made = monitoring_templates([EXAMPLE_JSON[4]], tmp_path / "templates", month=6)
    (src,) = made.written
    template = read(src).document

    edits = [
        {**at(info("/funds/full_year_budget")), "input": "6424663"},
        # typed, not set as a string: an amount kept as text is left out of 执行率 (cell.number_as_text)
        {**at(info("/funds/executed_to_date")), "input": "3,000,000.50"},
        {**at(info("/funds/expected_full_year")), "input": "6400000"},
        {**at(info("/contact/name")), "string": "王某"},
        {**at(info("/contact/phone")), "string": "02112345678"},
        {**at(info("/contact/date")), "input": "2020-07-10"},
        {**at(info("/contact/head")), "string": "李某"},
    ]
    expected = []
    for i, ind in enumerate(template["indicators"]):
        if ind["comparator"] == "qualitative":
            edits += [{**at(cell(i, "progress")), "string": "按计划推进"}, {**at(cell(i, "expected")), "string": "预计完成"},
                      {**at(cell(i, "likelihood")), "string": "确定能"}]
            expected.append(("按计划推进", "预计完成", "certain", None))
            continue
        short = i == len(template["indicators"]) - 1
        value = ind["value"] - 10 if short else ind["value"]
        edits += [{**at(cell(i, "progress")), "input": f"{value}"}, {**at(cell(i, "expected")), "input": f"{value}"},
                  {**at(cell(i, "likelihood")), "string": "有可能" if short else "确定能"}]
        if short:
            edits += [{**at(cell(i, "deviation_category")), "string": "制度保障"},
                      {**at(cell(i, "deviation")), "string": "制度修订延后；下半年完成修订。"}]
        expected.append((value, value, "possible" if short else "certain", "policy" if short else None))
    out = lo_edit(src, tmp_path / "监控.xlsx", edits)
    result = read(out)
    assert [p.code for p in result.problems] == []
    doc = result.document
    assert doc["form"] == "monitoring" and doc["month"] == 6
    assert doc["funds"] == {"initial_budget": 6424663, "full_year_budget": 6424663, "executed_to_date": 3000000.5,
                            "expected_full_year": 6400000}
    assert doc["contact"] == {"name": "王某", "phone": "02112345678", "date": "2020-07-10", "head": "李某"}
    for ind, (progress, exp, likelihood, category) in zip(doc["indicators"], expected, strict=True):
        assert (ind["progress"], ind["expected"], ind["likelihood"], ind.get("deviation_category")) == \
            (progress, exp, likelihood, category), ind
    report = validate_file(out)
    assert report.passes() and not report.errors, [p.message for p in report.problems]
    assert validate([out], targets=[EXAMPLE_JSON[4]]).valid


# Every workbook written passes the OOXML check ------------------------------------------------------------
def test_workbooks_pass_ooxml_check(tmp_path):
    audit = pytest.importorskip("openxml_audit")
    made = monitoring_templates([EXAMPLE_JSON[0], EXAMPLE_JSON[3]], tmp_path / "t", month=6).written
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "monitoring"], out, jobs=1)
    for p in [*MON_XLSX, *made, out]:
        result = audit.OpenXmlValidator().validate(str(p))
        assert result.is_valid, (p, [str(e) for e in list(result.errors)[:3]])


def test_examples_readme_mentions_invented_progress():
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert "monitoring/" in text and "invented" in text
    assert (EXAMPLES / "make_monitoring.py").exists()


def test_the_summary_line_counts_duplicates(tmp_path):
    src = tmp_path / "收到"
    src.mkdir()
    reports = sorted((EXAMPLES / "monitoring").glob("*.xlsx"))
    for p in reports[:2]:
        (src / p.name).write_bytes(p.read_bytes())
    (src / "再次报送.xlsx").write_bytes(reports[1].read_bytes())
    result = cli("consolidate", src, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0 and "计入 2 个项目" in result.output and "重复申报 1 个（未计入）" in result.output


def test_a_message_never_rounds_a_figure_onto_its_limit(tmp_path):
    """39.9999 % executed by June: 执行率 rounded to 40 % and 10 points behind read "低于序时进度…10 个百分点，超过 10
    个百分点".  Each figure is rounded toward its side of the limit: 39.99 %, 10.01 points."""
    doc = load(MON_JSON[1])
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    path = _edited(tmp_path, {info("/funds/executed_to_date"): float((budget * Decimal("0.399999")).quantize(Decimal("0.01")))})
    p = next(p for p in validate_file(path).problems if p.code == "monitor.behind_schedule")
    assert "39.99%" in p.message and "10.01 个百分点" in p.message, p.message


def test_the_summary_line_with_no_report_counted_names_no_months(tmp_path):
    """With no report counted the line read "计入 0 个项目（（无））"; it names the months only when there are some."""
    src = tmp_path / "收到"
    src.mkdir()
    wb = openpyxl.load_workbook(MON_XLSX[1])
    wb[M6.info.name][M6.field("/unit").cell].value = None
    wb.save(src / "x.xlsx")
    result = cli("consolidate", src, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0 and "计入 0 个项目；" in result.output and "（（" not in result.output, result.output
    english = cli("consolidate", src, "-o", tmp_path / "s.xlsx", "--lang", "en")
    assert english.exit_code == 0 and "()" not in english.output and "none)" not in english.output, english.output
    counted = cli("consolidate", EXAMPLES / "monitoring", "-o", tmp_path / "t.xlsx")
    assert "计入 5 个项目（1-6月）；" in counted.output, counted.output


def test_csv_and_json_write_a_whole_number_without_a_point(tmp_path):
    """A rate of 1 and a gap of -20 points came out as 1.0 and -20.0 in CSV and JSON, beside amounts written as
    exact digits: one number, one way."""
    import csv as csvlib

    src = tmp_path / "收到"
    src.mkdir()
    _edited(tmp_path, {info("/funds/full_year_budget"): 1000000, info("/funds/executed_to_date"): 300000,
                       info("/funds/expected_full_year"): 1000000}, name="收到/a.xlsx")  # 30 % in June: -20 points
    _edited(tmp_path, {info("/funds/full_year_budget"): 1000000, info("/funds/executed_to_date"): 1000000,
                       info("/funds/expected_full_year"): 1000000}, n=2, name="收到/b.xlsx")  # all spent: a rate of 1
    result = consolidate([src], tmp_path / "s.xlsx", csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    assert result.totals["projects"] == 2
    cells = []
    for path in (tmp_path / "csv").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            cells += [c for row in csvlib.reader(fh) for c in row]
    assert cells and not [c for c in cells if re.fullmatch(r"-?\d+\.0", c)]
    text = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert not re.search(r"[\[ ,]-?\d+\.0[,\]]", text)


def test_a_comparison_message_writes_its_comparator_as_the_form_does(tmp_path):
    doc = load(MON_JSON[1])
    budget = Decimal(str(doc["funds"]["full_year_budget"]))
    path = _edited(tmp_path, {info("/funds/expected_full_year"): float(budget + 1)})
    p = next(p for p in validate_file(path).problems if p.code == "monitor.expected_over_budget")
    assert p.expected.startswith("≤ ") and "<=" not in p.expected, p.expected


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_fraction_typed_or_a_percent_pasted_in_libreoffice_reads_as_people_mean(tmp_path, lo_edit, fmt):
    """In LibreOffice, 1-N月执行情况 typed as "0.85" where the unit is % (the cell is text) and 全年预计完成情况 pasted
    as 0.9 shown as 90 %: the paste reads as the 90 it shows, the typed fraction as typed with a warning at it,
    whether saved as .xlsx or .ods (the .ods paste was read as 0.9)."""
    made = monitoring_templates([EXAMPLE_JSON[1]], tmp_path / "templates", month=6)
    (src,) = made.written
    items = read(src).document["indicators"]
    i = next(k for k, ind in enumerate(items) if ind.get("unit") == "%" and ind["comparator"] != "qualitative")
    out = lo_edit(src, tmp_path / f"监控.{fmt}", [{**at(cell(i, "progress")), "input": "0.85"},
                                                 {**at(cell(i, "expected")), "paste": 0.9, "format": "0%"}], fmt=fmt)
    result = read(out)
    ind = result.document["indicators"][i]
    assert (ind["progress"], ind["expected"]) == (0.85, 90), ind
    warned = [(p.code, p.cell) for p in result.problems if p.code == "cell.percent_fraction"]
    assert warned == [("cell.percent_fraction", cell(i, "progress")[1])], result.problems


def test_an_expected_full_year_amount_below_what_was_spent_fails_at_it(tmp_path):
    """全年预计执行数 typed below 1-N月执行数 (the year expected to spend less than is already spent: a digit
    dropped, or the month's figure typed in the wrong cell) passed silently, and the summary's 风险清单 took the
    figure as it was.  An error at 全年预计执行数 naming both amounts in 元; equal amounts pass."""
    import openpyxl
    from xlgoals import FORMS, validate_file

    src = sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[1]
    form = FORMS["monitoring"]
    expected, executed = form.field("/funds/expected_full_year"), form.field("/funds/executed_to_date")
    wb = openpyxl.load_workbook(src)
    ws = wb[expected.sheet]
    spent = ws[executed.cell].value
    ws[expected.cell].value = spent - 1_000_000
    wb.save(tmp_path / "low.xlsx")
    found = [p for p in validate_file(tmp_path / "low.xlsx").problems if p.cell == expected.cell]
    assert [(p.severity, p.sheet) for p in found] == [("error", expected.sheet)], [(p.code, p.message) for p in found]
    assert f"{spent - 1_000_000:,.2f} 元" in found[0].message and f"{spent:,.2f} 元" in found[0].message, found[0].message
    ws[expected.cell].value = spent
    wb.save(tmp_path / "equal.xlsx")
    assert not [p for p in validate_file(tmp_path / "equal.xlsx").problems if p.code == found[0].code]


def test_rows_swapped_are_one_error_against_the_goal_table_not_one_per_row(tmp_path):
    """Two approved rows of a monitoring report swapped (the protection off, cut and paste): --targets gave a
    monitor.target_changed on each one's 指标编号; now one error at the first row out of place, naming both by
    their printed 序号, and nothing else (their contents are the approved ones)."""
    ws = openpyxl.load_workbook(MON_XLSX[1])[M6.table.name]
    last = max(c.index for c in M6.columns())

    def row(i):
        return [ws.cell(M6.table.first_row + 1 + i, c + 1).value for c in range(last + 1)]

    one, two = row(1), row(2)
    edits = {(M6.table.name, a1(M6.table.first_row + i, c)): v
             for i, values in ((1, two), (2, one)) for c, v in enumerate(values)}
    path = _edited(tmp_path, edits)
    problems = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert not [p for p in problems if p.code == "monitor.target_changed"], [p.message for p in problems]
    (moved,) = [p for p in problems if p.code == "monitor.target_rows_moved"]
    assert (moved.sheet, moved.cell) == cell(1, "id") and moved.severity == "error"
    assert "2 条指标" in moved.message and "第3条指标、第2条指标" in moved.message
    assert "indicator 3, indicator 2" in moved.message_en


def test_a_note_typed_below_the_rows_is_located_where_it_was_typed(tmp_path):
    """A clerk types a note right below the indicators (in the 一级指标 column): with --targets it was
    “第32行指标（三级指标“（空）”）不在批复的绩效目标表中” at the empty 三级指标 cell beside it.  Now at the cell typed
    in, naming its column and what it holds.  (After a blank row, a note is below the table: cell.below.)"""
    n = len(read(MON_XLSX[1]).document["indicators"])
    note = (M6.table.name, a1(M6.table.first_row + n, M6.column("level1").index))
    path = _edited(tmp_path, {note: "备注：数据截至6月30日"})
    (extra,) = [p for p in validate([path], targets=[EXAMPLES / "json"]).problems()
                if p.code == "monitor.target_row_extra"]
    assert (extra.sheet, extra.cell) == note
    assert "一级目标“备注：数据截至6月30日”" in extra.message and "（空）" not in extra.message  # (the column as the shanghai-2020 sheet heads it)
    assert "备注：数据截至6月30日" in extra.message_en and "(empty)" not in extra.message_en
    # without --targets: the rows counted are one more than issued, said at the note too (not at an empty cell)
    (count,) = [p for p in validate([path]).problems() if p.code == "template.locked_rows_count"]
    assert (count.sheet, count.cell) == note


def test_a_note_typed_below_the_rows_after_a_blank_row_is_one_warning(tmp_path, lo_edit):
    """A clerk leaves a line and types a note and the head's signature below the indicators (in LibreOffice, the
    sheet unprotected): each was read as an indicator row (“增加了批复以外的指标行” with --targets, the rows
    counted one more than issued without).  The form declares the rows issued, one per target, with no blank row
    among them: a blank row ends the table, what is below it is not read, and one warning (cell.below) says so,
    as below a self-evaluation's 总分."""
    n = len(read(MON_XLSX[1]).document["indicators"])
    end = M6.table.first_row + n  # 0-based: the first line below the rows, left blank
    path, result, below = note_typed_below(lo_edit, MON_XLSX[1], tmp_path / "备注.xlsx", M6, end + 1,
                                           "备注：数据截至6月30日", "单位负责人签字：张三")
    assert len(result.document["indicators"]) == n
    assert f"第 {end} 行以后" in below.message, below.message  # the last indicator's row
    for report in (validate([path], targets=[EXAMPLES / "json"]), validate([path])):
        assert report.valid and not [p for p in report.problems() if p.is_error], \
            [p.message for p in report.problems() if p.is_error]
