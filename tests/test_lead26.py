"""The lead's mends of session 26 (red team n)."""
import json
from pathlib import Path

import openpyxl

from xlgoals import fill, validate_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_an_amount_typed_with_zheng_is_told_to_drop_the_word(tmp_path):
    """28888000整 in a monitoring amount (its 执行率 a formula that leaves text out) is a number stored as text; the
    message said only to drop a leading apostrophe or change the format, which the cell has not: it names 元/整 now."""
    doc = json.loads((EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))
    filled = tmp_path / "m.xlsx"
    fill(doc, filled)
    wb = openpyxl.load_workbook(filled)
    wb["监控信息"]["D7"].value = "28888000整"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    hit = [p for p in validate_file(typed, isolated=False).problems if p.cell == "D7"]
    assert [p.code for p in hit] == ["cell.number_as_text"]
    assert "“整”" in hit[0].message and "28888000整" in hit[0].message
    assert "unit words" in hit[0].message_en


def _monitoring_doc():
    return json.loads((EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))


def test_a_month_one_report_keeps_the_heads_templates_were_issued_with(tmp_path):
    """Month-1 templates already issued say 1-1月执行数（元）: a return filled in one is valid (red team n: a branch
    saying 1月 refused every such return as template.altered).  Since mendCM month 1 is issued as 1月: the return
    is one fill made on main of session 27, in such a template (tests/test_mendCM.py holds the rest)."""
    path = Path(__file__).parent / "fixtures" / "monitoring-month1-main27.xlsx"
    heads = [c.value for c in openpyxl.load_workbook(path)["监控信息"][6] if isinstance(c.value, str)]
    assert "1-1月执行数（元）" in heads
    problems = validate_file(path, isolated=False).problems
    assert not [p for p in problems if p.code == "template.altered" or p.severity == "error"]


def test_a_fraction_of_a_yuan_in_an_amount_is_a_warning_that_keeps_the_amount(tmp_path):
    """0.3 元 in 1-6月执行数 (a percent typed where the cell keeps #,##0.00, or a real 0.30 元): warned at its cell,
    read as 0.3 and seen by the rules, as validate_document sees the document fill wrote it from."""
    from xlgoals import validate_document
    doc = _monitoring_doc()
    doc["funds"]["executed_to_date"] = 0.3
    path = tmp_path / "m.xlsx"
    fill(doc, path)
    result = validate_file(path, isolated=False)
    hit = [p for p in result.problems if p.cell == "D7"]
    assert ("cell.amount_fraction", "warning") in [(p.code, p.severity) for p in hit]
    assert "monitor.behind_schedule" in [p.code for p in hit]  # the rules saw the amount
    assert not [p for p in result.problems if p.severity == "error"]
    assert {p.code for p in validate_document(doc)} <= {p.code for p in result.problems}


def test_a_tiny_spending_is_not_asked_about_as_wan_yuan():
    """1 元 spent of 62,800,000: read in 万元 it would be 0.016 % of the budget, below SPENT_FLOOR's 0.1 %: not asked;
    50 元 (0.8 % in 万元) and 628 元 (10 %) are."""
    from xlgoals import validate_document
    asked = {}
    for spent in (1, 50, 628):
        doc = _monitoring_doc()
        doc["funds"]["executed_to_date"] = spent
        asked[spent] = any(p.code == "monitor.amount_scale" for p in validate_document(doc))
    assert asked == {1: False, 50: True, 628: True}


def test_a_prefill_lists_category_pasted_with_qita_or_punctuation_is_the_frameworks_value(tmp_path):
    """A project list giving 项目类别 其它运转类项目 (national-2021's list says 其他运转类项目) and 绩效类型 培训类。: read
    as the list's values, as a return's cells are (mendCD), and issued locked so; it was refused as outside the list."""
    from xlgoals import prefill_templates, read
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("申报单位名称,项目名称,项目类别,绩效类型,项目总预算\n甲单位,项目一,其它运转类项目,培训类。,100\n",
                        encoding="utf-8")
    result = prefill_templates(csv_path, tmp_path / "out", framework="national-2021", year=2021)
    assert result.ok and len(result.written) == 1, result
    doc = read(result.written[0]).document
    assert (doc["project"]["category"], doc["project"]["performance_type"]) == ("其他运转类项目", "培训类")
