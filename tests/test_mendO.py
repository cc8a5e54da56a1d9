"""mendO: an annotated copy marked again shows only this run's marks; a JSON document under an .xlsx name is told
to be renamed, not to be validated (which is what was just done)."""

from __future__ import annotations

import shutil

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Color, PatternFill

from xlgoals import validate
from xlgoals._check._annotate import annotate

from .conftest import EXAMPLE_JSON, ROOT, cli
from .helpers import ooxml_errors

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)
RED = "FFC7CE"


def _marks(path, sheet: str, ref: str):
    ws = openpyxl.load_workbook(path)[sheet]
    c = ws[ref]
    return (c.comment.text if c.comment is not None else None), c.fill.fgColor.rgb if c.fill.fill_type else None


def test_a_corrected_copy_marked_again_keeps_no_mark_of_the_cell_the_department_fixed(tmp_path):
    received = tmp_path / "received.xlsx"
    shutil.copy(RECEIVED, received)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = annotate(validate([received], jobs=1).files[0], tmp_path / "a")
    comment, fill = _marks(first, "绩效指标", "C16")
    assert "满意度" in comment and fill.endswith(RED)
    # the department corrects C16 in the copy it was sent (its other cells, marks and all, as they were)
    wb = openpyxl.load_workbook(first)
    fixed = wb["绩效指标"]["C16"]
    fixed.value = "质量"
    # its mark as LibreOffice saves it again (opaque alpha, its own background colour)
    fixed.fill = PatternFill("solid", fgColor="FFFFC7CE", bgColor=Color(indexed=64))
    wb["项目信息"]["B12"].comment = Comment("已与财务科核对", "张三")  # the department's own note
    wb.save(first)
    report = validate([first], jobs=1).files[0]
    assert sorted((p.code, p.cell) for p in report.problems) == [("cell.amount_wan", "B10")]
    second = annotate(report, tmp_path / "b")
    # the fixed cell is no longer marked; the cell still wrong is, with this run's comment only
    # C16 without comment, in the tint the template gives an input cell (as in the file first received)
    assert _marks(second, "绩效指标", "C16") == (None, _marks(RECEIVED, "绩效指标", "C16")[1]) == (None, "FFFFFFF0")
    assert _marks(second, "项目信息", "B12")[0] == "已与财务科核对"  # the department's comment stays
    comment, fill = _marks(second, "项目信息", "B10")
    assert comment.count("[错误]") == 1 and "6280万元" in comment and fill.endswith(RED)
    problems = openpyxl.load_workbook(second)["问题清单"]
    assert problems.max_row == 2 and problems["I2"].value == "cell.amount_wan"
    assert ooxml_errors(second) == []


def test_a_json_document_under_an_xlsx_name_is_told_to_be_renamed(tmp_path):
    misnamed = tmp_path / "项目.xlsx"
    shutil.copy(EXAMPLE_JSON[0], misnamed)
    zh = cli("validate", misnamed)
    assert zh.exit_code == 1
    assert "（识别为：JSON 文档（文件名应以 .json 结尾，改名后即可校验））" in zh.stdout
    assert "xlgoals validate" not in zh.stdout  # what was just run is no advice
    en = cli("validate", misnamed, "--lang", "en")
    # whole, not cut at the 60 characters a {found} is given
    assert "(looks like: a JSON document (rename it to end in .json to check it));" in en.stdout
    assert "xlgoals validate" not in en.stdout
    # renamed as told, it is checked as the JSON it is
    renamed = misnamed.with_suffix(".json")
    misnamed.rename(renamed)
    assert validate([renamed], jobs=1).files[0].form


def test_the_totals_line_counts_projects_whose_amount_was_not_read_in_the_singular_and_the_plural():
    """The English words of the line on the totals (simplified: the plural said where only a plural is)."""
    from decimal import Decimal

    from xlgoals._consolidate._tables import GoalTableSummary

    totals = {"total": Decimal("100"), "current_year": Decimal("50"), "amounts_missing": {"total": 2, "current_year": 1}}
    assert GoalTableSummary.amounts_line(totals, "en") == (
        "; total budget 100.00 yuan (2 counted projects' amount could not be read: not in it), current year's budget "
        "50.00 yuan (1 counted project's amount could not be read: not in it)")
    assert GoalTableSummary.amounts_line(totals) == (
        "；项目总预算合计 100.00 元（2 个计入的项目未能读出该金额，未加入合计），当年预算合计 50.00 元"
        "（1 个计入的项目未能读出该金额，未加入合计）")
