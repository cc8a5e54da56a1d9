"""The self-evaluation workbook as written: what the reader pays for per byte is written once (one 完成等级
dropdown over every qualitative row), and a department's Excel or LibreOffice still offers and checks it."""

import json

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from xlgoals import FORMS
from xlgoals._form import a1
from xlgoals._selfeval._targets import self_evaluation_templates

from .helpers import templates_from_sample_targets

SE = FORMS["self-evaluation"]


def _grade_cell(i: int) -> str:
    return a1(SE.table.first_row + i, SE.column("grade").index)


def _cells(sqref) -> set[str]:
    out = set()
    for rng in sqref.ranges:
        c1, r1, c2, r2 = range_boundaries(str(rng))
        out |= {f"{openpyxl.utils.get_column_letter(c)}{r}" for c in range(c1, c2 + 1) for r in range(r1, r2 + 1)}
    return out


def _template(tmp_path):
    _, path, goal = templates_from_sample_targets(tmp_path, self_evaluation_templates)
    qual = [i for i, ind in enumerate(goal["indicators"]) if ind["comparator"] == "qualitative"]
    assert len(qual) >= 2 and qual[-1] - qual[0] >= len(qual), "the sample needs qualitative rows apart"
    return path, qual


def test_the_grade_dropdown_is_one_validation_over_every_qualitative_row(tmp_path):
    path, qual = _template(tmp_path)
    ws = openpyxl.load_workbook(path)[SE.table.name]
    grades = [d for d in ws.data_validations.dataValidation if d.formula1 == "xl_grades"]
    assert len(grades) == 1, [str(d.sqref) for d in grades]
    assert _cells(grades[0].sqref) == {_grade_cell(i) for i in qual}
    assert grades[0].type == "list" and grades[0].showErrorMessage and grades[0].prompt and grades[0].error


@pytest.mark.soffice
def test_libreoffice_checks_the_grade_on_every_qualitative_row(tmp_path, lo_edit):
    """A wrong grade pasted on the last qualitative row (not the validation's first range) is circled by Tools ›
    Detective › Mark Invalid Data; a right one on the first is not; a quantitative row has no grade to check."""
    path, qual = _template(tmp_path)
    report = tmp_path / "invalid.json"
    lo_edit(path, tmp_path / "checked.xlsx", [
        {"sheet": SE.table.name, "cell": _grade_cell(qual[-1]), "string": "达成年度指"},
        {"sheet": SE.table.name, "cell": _grade_cell(qual[1]), "string": "不算数"},
        {"sheet": SE.table.name, "cell": _grade_cell(qual[0]), "string": "达成年度指标"},
        {"sheet": SE.table.name, "show_invalid": True}], report=report)
    found = json.loads(report.read_text(encoding="utf-8"))["invalid"][SE.table.name]
    assert found == sorted([_grade_cell(qual[1]), _grade_cell(qual[-1])])
