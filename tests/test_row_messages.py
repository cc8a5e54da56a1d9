"""Messages of the reader's problems on indicator rows: each names its indicator (第N条指标, 'indicator N') as the
rules' messages do, in every output; a number written with 万 is no unit; one slip (a percent typed as a fraction)
is one problem."""

import csv
import json

import openpyxl
import pytest

from xlgoals import FORMS, read, validate_file
from xlgoals._check._annotate import annotate
from xlgoals._form import a1
from xlgoals._form._paper import capacity

from .conftest import EXAMPLES, cli
from .helpers import EXAMPLE_FORMS as FORM, edited_return as _edited, example_return as _src, lo_cell as at
from .helpers import row_cell as _cell

_LONG_NOTE = "说明" * (capacity(FORMS["self-evaluation"].column("deviation").width) // 2 + 20)

# (form, row index, the cells changed, the code, the key of the cell it is at)
CASES = [
    ("goal-table", 4, {(4, "comparator"): "约"}, "cell.comparator", "comparator"),
    ("goal-table", 4, {(4, "comparator"): "≥", (4, "target"): "≥85%以上"}, "cell.target", "target"),
    ("goal-table", 4, {(4, "comparator"): "≥", (4, "target"): "一百"}, "cell.target_chinese_number", "target"),
    ("goal-table", 4, {(4, "comparator"): "≤", (4, "target"): "≥85", (4, "unit"): "%"}, "cell.comparator_conflict",
     "comparator"),
    ("goal-table", 4, {(4, "comparator"): "≥", (4, "target"): "5人", (4, "unit"): "件"}, "cell.unit_conflict", "unit"),
    ("goal-table", 4, {(4, "comparator"): "≥", (4, "target"): "1.2万", (4, "unit"): "平方米"},
     "cell.number_multiplier", "target"),
    ("goal-table", 4, {(4, "comparator"): "≥", (4, "target"): "12345678901234567890"}, "cell.number_precision",
     "target"),
    ("goal-table", 4, {(4, "name"): "指" * 400}, "cell.too_long", "name"),
    ("goal-table", 4, {(4, "name"): "=\"指标\"&\"名称\""}, "cell.formula", "name"),
    ("goal-table", 4, {(4, "name"): "#REF!"}, "cell.error_value", "name"),
    ("self-evaluation", 10, {(10, "score"): "4.44分"}, "cell.number", "score"),
    ("self-evaluation", 10, {(10, "score"): (0.97, "0%")}, "cell.number_percent", "score"),
    ("self-evaluation", 10, {(10, "actual"): "81人"}, "cell.actual_unit", "actual"),
    ("self-evaluation", 9, {(9, "actual"): 0.5}, "cell.percent_fraction", "actual"),
    ("self-evaluation", 10, {(10, "deviation"): _LONG_NOTE}, "cell.print_cut", "deviation"),
    ("self-evaluation", 2, {(2, "grade"): "好"}, "cell.grade", "grade"),
    ("monitoring", 1, {(1, "likelihood"): "可能"}, "cell.choice", "likelihood"),
    ("monitoring", 9, {(9, "expected"): 0.5}, "cell.percent_fraction", "expected"),
]


@pytest.mark.parametrize("form_id, i, edits, code, key", CASES, ids=[f"{c[0]}-{c[3]}" for c in CASES])
def test_a_cell_problem_on_an_indicator_row_names_its_indicator_in_every_output(tmp_path, form_id, i, edits, code,
                                                                                key):
    """A reader's problem on an indicator row's cell named the column only (“得分”应为数字，实际为“4.44分”; 比较符无法
    识别：“约”): in a list of a return's problems, or the 校验结果 sheet, nothing said which row.  The rules' messages
    say “第N条指标的…” (the 序号 printed), and the English ones already did: every reader's message on a row does
    now, in both languages, in the report, JSON and CSV records, and the annotated copy's comment."""
    path = _edited(tmp_path, form_id, edits)
    assert read(path).numbers[i] == i + 1  # the example's rows print 序号 1, 2, …
    report = validate_file(path)
    sheet, ref = _cell(form_id, i, key)
    found = [p for p in report.problems if p.code == code and (p.sheet, p.cell) == (sheet, ref)]
    assert len(found) == 1, [(p.code, p.cell, p.message) for p in report.problems]
    p = found[0]
    zh, en = f"第{i + 1}条指标", f"indicator {i + 1}"
    assert p.field.startswith(zh + "的"), p.field
    assert zh in p.message, p.message
    assert en in p.message_en and "第" not in p.message_en.split("'")[1], p.message_en
    assert p.to_dict()["field"].startswith(zh) and en in p.to_dict("en")["message"]
    copy = annotate(report, tmp_path / "annotated")
    comment = openpyxl.load_workbook(copy)[sheet][ref].comment
    assert comment is not None and zh in comment.text, comment and comment.text


def test_a_hidden_row_names_its_indicator(tmp_path):
    path = _edited(tmp_path, "goal-table", {}, hide=4)
    (p,) = [p for p in validate_file(path).problems if p.code == "cell.hidden_row"]
    assert "第5条指标" in p.message and "indicator 5" in p.message_en, (p.message, p.message_en)


def test_cli_csv_and_json_name_the_indicator_of_a_cell_problem(tmp_path):
    """The CSV report's field and message, and the JSON report's field and message, name the row as the rules'
    messages do."""
    path = _edited(tmp_path, "self-evaluation", {(10, "score"): "4.44分"})
    cli("validate", path, "--format", "csv", "-o", tmp_path / "r.csv")
    with open(tmp_path / "r.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["code"] == "cell.number"]
    assert len(rows) == 1 and rows[0]["field"] == "第11条指标的得分", rows
    assert "“第11条指标的得分”应为数字" in rows[0]["message"], rows
    cli("validate", path, "--format", "json", "--lang", "en", "-o", tmp_path / "r.json")
    text = (tmp_path / "r.json").read_text(encoding="utf-8")
    assert "'indicator 11 score' must be a number" in text and "第11条指标的得分" in text, text[:3000]


def test_a_number_written_with_wan_is_no_unit(tmp_path, lo_edit):
    """A target typed as 1.2万 on a row in 平方米 read 万 as the target's unit: “计量单位“平方米”与目标值中写的单位“万”
    不一致”, which tells the department nothing it can do.  万 (亿, 千) is a multiplier: one error at the target
    saying to write the number itself, 12000, in the row's unit; 3万人 typed as the 实际完成值 of a row in 人 too.
    A unit that begins with 万 (万元) or 千 (千米) is still a unit where the row's is the same."""
    src = _src("goal-table")
    gt = lo_edit(src, tmp_path / "目标表.xlsx", [
        {**at(_cell("goal-table", 4, "comparator")), "input": "≥"},
        {**at(_cell("goal-table", 4, "target")), "input": "1.2万"},
        {**at(_cell("goal-table", 4, "unit")), "input": "平方米"},
        {**at(_cell("goal-table", 5, "comparator")), "input": "≥"},
        {**at(_cell("goal-table", 5, "target")), "input": "1.2万元"},
        {**at(_cell("goal-table", 5, "unit")), "input": "万元"},
        {**at(_cell("goal-table", 6, "comparator")), "input": "≤"},
        {**at(_cell("goal-table", 6, "target")), "input": "5千米"},
        {**at(_cell("goal-table", 6, "unit")), "input": "米"}])
    report = validate_file(gt)
    on_rows = [p for p in report.problems if p.path.startswith(("/indicators/4/", "/indicators/5/", "/indicators/6/"))]
    assert sorted((p.code, p.cell) for p in on_rows) == sorted([
        ("cell.number_multiplier", _cell("goal-table", 4, "target")[1]),
        ("cell.number_multiplier", _cell("goal-table", 6, "target")[1])]), [(p.code, p.message) for p in on_rows]
    wan, qian = sorted((p for p in on_rows), key=lambda p: p.path)
    assert wan.is_error and "“万”是倍数" in wan.message and "12000平方米" in wan.message, wan.message
    assert "'万' is a multiplier" in wan.message_en and "12000平方米" in wan.message_en, wan.message_en
    assert "5000米" in qian.message, qian.message
    assert read(gt).document["indicators"][5]["unit"] == "万元"

    se = lo_edit(_src("self-evaluation"), tmp_path / "自评表.xlsx",
                 [{**at(_cell("self-evaluation", 10, "actual")), "input": "3万"}])
    (p,) = [p for p in validate_file(se).problems if p.path.startswith("/indicators/10/")]
    assert (p.code, p.cell) == ("cell.number_multiplier", _cell("self-evaluation", 10, "actual")[1]), p
    assert "30000%" in p.message and "第11条指标的实际完成值" in p.message, p.message


@pytest.mark.parametrize("form_id, i, key, typed", [("monitoring", 10, "expected", "0.88"),
                                                    ("self-evaluation", 10, "actual", "0.95")])
def test_a_percent_typed_as_a_fraction_is_one_problem(tmp_path, lo_edit, form_id, i, key, typed):
    """0.88 typed as the 全年预计完成情况 of a row of ≥85 % gave the warning “是否应为 88？” and also the error that 0.88
    misses 85 with no reason given; 0.95 typed as the 实际完成值 of a self-evaluation gave the warning, a score
    mismatch and a missing reason: three problems for one slip, two of them wrong if 95 was meant.  What the rules
    find only as typed, and not as the warning reads it (88), is said once, at the cell, with the warning: an error
    (cell.percent_fraction_rules), since the return must change either way."""
    src = _src(form_id)
    out = lo_edit(src, tmp_path / "r.xlsx", [{**at(_cell(form_id, i, key)), "input": typed}])
    report = validate_file(out)
    on_row = [p for p in report.problems if p.path.startswith(f"/indicators/{i}/")]
    assert [(p.code, p.cell) for p in on_row] == [("cell.percent_fraction_rules", _cell(form_id, i, key)[1])], \
        [(p.code, p.message) for p in on_row]
    (p,) = on_row
    assert p.is_error and f"是否应为 {round(float(typed) * 100)}" in p.message, p.message
    assert f"如确为 {typed}%" in p.message and f"If {typed}% is meant" in p.message_en, (p.message, p.message_en)
    rule = "达不到年度指标值" if form_id == "monitoring" else "按计分规则重算"
    assert rule in p.message, p.message


def test_a_fraction_the_rules_fault_either_way_leaves_the_rules_standing(tmp_path):
    """0.5 on a row of ≥90 %: 50 misses the target too, so the rule's error stands, and the warning stays one."""
    out = _edited(tmp_path, "monitoring", {(9, "expected"): "0.5"})
    on_row = sorted(p.code for p in validate_file(out).problems if p.path.startswith("/indicators/9/"))
    # (monitor.expected_short twice: the row's 偏差原因类别 and reason, both blank, each at its cell since mendCL)
    # (and 确定能 beside a forecast missing the target either way: monitor.likelihood_contradicts at its cell, mendDE)
    assert on_row == ["cell.percent_fraction", "monitor.expected_short", "monitor.expected_short",
                      "monitor.likelihood_contradicts"], on_row


def test_a_weight_not_read_names_its_indicator(tmp_path):
    """分值 (national-2021's optional column) typed as 十分: “分值无法识别” named no row; it names its indicator."""
    from xlgoals import Config

    fw = Config.load().frameworks.find("national-2021")
    form = FORMS["goal-table"]
    col = form.column("weight", fw)
    wb = openpyxl.load_workbook(EXAMPLES / "national-2021" / "目标表.xlsx")
    c = wb[form.table.name].cell(form.table.first_row + 3, col.index + 1)
    c.value, c.data_type = "十分", "s"
    wb.save(tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(tmp_path / "r.xlsx").problems if p.code == "cell.weight"]
    assert p.cell == a1(form.table.first_row + 2, col.index), p.cell
    assert "“第3条指标的分值”无法识别：“十分”" in p.message and "'indicator 3 weight'" in p.message_en, \
        (p.message, p.message_en)


@pytest.mark.parametrize("form_id, key", [("self-evaluation", "actual"), ("monitoring", "expected")])
def test_a_hundred_percent_pasted_as_1_is_asked_about_on_a_row_of_100_percent(tmp_path, form_id, key):
    """预算执行率 ＝100 %: a cell copied from another workbook with Paste Values gives 1 for 100 %.  Only numbers below 1
    were asked about, so 1 was read as 1 % with no word of the slip: a score recomputed as 0.02 and a missing reason
    (two errors, both wrong if 100 was meant).  Held to the row's own target, as 0.98 is: asked, one problem."""
    out = _edited(tmp_path, form_id, {(1, key): 1})
    on_row = [p for p in validate_file(out).problems if p.path.startswith("/indicators/1/")]
    assert [(p.code, p.cell) for p in on_row] in ([("cell.percent_fraction", _cell(form_id, 1, key)[1])],
                                                  [("cell.percent_fraction_rules", _cell(form_id, 1, key)[1])]), \
        [(p.code, p.message) for p in on_row]
    assert "是否应为 100？" in on_row[0].message, on_row[0].message


def test_1_on_a_row_whose_target_it_fits_is_not_asked_about(tmp_path):
    """1 on a row of ≤5 % (or with no number to hold it to) is 1 %: not a fraction to ask about."""
    out = _edited(tmp_path, "self-evaluation", {(1, "comparator"): "≤", (1, "target"): 5, (1, "actual"): 1})
    assert "cell.percent_fraction" not in [p.code for p in read(out).problems]
