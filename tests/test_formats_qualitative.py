"""A 定性 target is read as the text its cell shows, also where the cell holds a number whose format shows it otherwise.

A paste from another workbook leaves a number with its format in a 定性 row's target: 0.85 in a 0% format prints as 85%,
3 in ``"≥"0"天"`` as ≥3天 (LibreOffice 7.4.7, measured: XCell.getString gives 85% and ≥3天 in the .xlsx, .xls and .ods
it saves).  The target of a 定性 row is its text as written: that is the paper's text, not the number's digits (it was
read "0.85", "3")."""

import openpyxl
import pytest

from xlgoals import fill, read

from .conftest import EXAMPLE_JSON, load
from .helpers import ind_cell

PERCENT, TEXT = 8, 7  # 定性 rows of the seed table (信息公开实现率 规范, 资格审核（含复审）规范性 规范)


def _filled(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    assert doc["indicators"][PERCENT]["comparator"] == doc["indicators"][TEXT]["comparator"] == "qualitative"
    return fill(doc, tmp_path / "填好.xlsx")


def _texts(path):
    items = read(path).document["indicators"]
    return items[PERCENT].get("text"), items[TEXT].get("text")


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_number_pasted_into_a_qualitative_target_reads_as_libreoffice_shows_it(tmp_path, lo_edit, fmt):
    (sheet, pct), (_, txt) = ind_cell(PERCENT, "target"), ind_cell(TEXT, "target")
    out = lo_edit(_filled(tmp_path), tmp_path / f"lo.{fmt}", [
        {"sheet": sheet, "cell": pct, "paste": 0.85, "format": "0%"},
        {"sheet": sheet, "cell": txt, "paste": 3, "format": '"≥"0"天"'}], fmt=fmt)
    assert _texts(out) == ("85%", "≥3天")


def test_a_number_in_a_qualitative_target_reads_as_excel_shows_it(tmp_path):
    (sheet, pct), (_, txt) = ind_cell(PERCENT, "target"), ind_cell(TEXT, "target")
    src = _filled(tmp_path)
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    ws[pct].value, ws[pct].number_format = 0.857, "0.0%"
    ws[txt].value, ws[txt].number_format = -3, '"≥"0"天";"≤"0"天"'  # the negative section: ≤3天, no minus
    wb.save(tmp_path / "excel.xlsx")
    assert _texts(tmp_path / "excel.xlsx") == ("85.7%", "≤3天")
