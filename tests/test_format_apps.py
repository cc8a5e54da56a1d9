"""Number formats that Excel and LibreOffice show differently, and which one the reader follows.

Measured with LibreOffice 7.4 (its CSV export of the cells as shown) against Excel's rule (ECMA-376 §18.8.31,
Microsoft KB Q67469; the reader's FormatSections):

    format                  value   Excel   LibreOffice
    [>0]0"天";0"人"            0      0人      0天      (LibreOffice saves the code as 0\\天;0\\人: what it showed)
    [<-1]0"天";0"人"        -0.5     -1人      1人      (saved as it is: the second section drops the minus)
    [>100]0"天";0"人"         -3     -3人      3人

A two-section format whose first section has a condition: LibreOffice takes its second section as the negative
numbers' one, shown without the minus, and [>0] / [>=0] as no condition at all (positive and zero; negative).  A file
says which application saved it (docProps/app.xml's Application): the department looked at it, and printed it, in
that one.  So a return LibreOffice saved is read with LibreOffice's sections, any other (Excel, WPS, a script) with
Excel's.  What changes is the text the reader quotes as the paper's (cell.target_format_conflict,
cell.actual_format_conflict) and whether it conflicts with the row; the number read is the same either way."""

import openpyxl
import pytest

from xlgoals import validate_file
from xlgoals._read._screen import as_libreoffice, format_text, shown_for

from .conftest import EXAMPLE_JSON, load
from .helpers import ind_cell


@pytest.mark.parametrize("code, value, excel, libreoffice", [
    ('[>0]0"天";0"人"', 0, ("", "人", False), ("", "天", False)),
    ('[>0]0"天";0"人"', 5, ("", "天", False), ("", "天", False)),
    ('[>0]0"天";0"人"', -3, ("", "人", True), ("", "人", True)),
    ('[<-1]0"天";0"人"', -0.5, ("", "人", False), ("", "人", True)),
    ('[<-1]0"天";0"人"', -3, ("", "天", False), ("", "天", False)),
    ('[<-1]0"天";0"人"', 5, ("", "人", False), ("", "人", False)),
    ('[>100]0"天";0"人"', -3, ("", "人", False), ("", "人", True)),
    ('[>=0]0"天";0"人"', 0, ("", "天", False), ("", "天", False)),
    ('[<0]0"天";0"人"', -0.5, ("", "天", True), ("", "天", True)),
    ('[<0]0"天";0"人"', 0, ("", "人", False), ("", "人", False)),
    # three sections: both applications alike (tests/test_shown_digits.py)
    ('[>100]"大"0;"中"0;"零"0', 5, ("零", "", False), ("零", "", False)),
    ('[>100]"大"0;"中"0;"零"0', -5, ("中", "", True), ("中", "", True)),
])
def test_the_section_excel_and_libreoffice_show_a_number_with(code, value, excel, libreoffice):
    entry = format_text(code)
    assert shown_for(entry, value) == excel
    assert shown_for(as_libreoffice(entry), value) == libreoffice


def test_a_format_of_one_text_is_the_same_in_both():
    entry = format_text('"≥"0"人"')
    assert as_libreoffice(entry) == entry and shown_for(as_libreoffice(entry), -3) == ("≥", "人", False)


def _row(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=5, unit="人")
    from xlgoals import fill

    return fill(doc, tmp_path / "填好.xlsx"), ind_cell(9, "target")


FORMAT = '[<-5]"≤"0"天";"≥"0"天"'  # -3 falls in the second section: Excel -≥3天, LibreOffice ≥3天


def _conflicts(path, sheet, ref):
    return [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict" and
            (p.sheet, p.cell) == (sheet, ref)]


def test_a_return_libreoffice_saved_is_quoted_as_libreoffice_shows_it(tmp_path, lo_edit):
    src, (sheet, ref) = _row(tmp_path)
    out = lo_edit(src, tmp_path / "lo.xlsx", [{"sheet": sheet, "cell": ref, "paste": 1, "format": FORMAT},
                                              {"sheet": sheet, "cell": ref, "input": "-3"}])
    found = _conflicts(out, sheet, ref)
    assert len(found) == 1 and "“≥3天”" in found[0].message and "-≥3天" not in found[0].message, found


def test_a_return_excel_saved_is_quoted_as_excel_shows_it(tmp_path):
    src, (sheet, ref) = _row(tmp_path)
    wb = openpyxl.load_workbook(src)  # openpyxl names Microsoft Excel as the application, as Excel does
    wb[sheet][ref].value, wb[sheet][ref].number_format = -3, FORMAT
    wb.save(tmp_path / "excel.xlsx")
    found = _conflicts(tmp_path / "excel.xlsx", sheet, ref)
    assert len(found) == 1 and "“-≥3天”" in found[0].message, found


def test_zero_under_a_greater_than_zero_format_as_each_application_saved_it(tmp_path, lo_edit):
    """[>0]"≥"0"天";"≥"0"人" on a ≥0人 row holding 0: Excel shows ≥0人 (the row's: nothing said); LibreOffice shows
    ≥0天, and saves the code as "≥"0"天";"≥"0"人" (no condition: zero in the first section), read as ≥0天 by
    either rule: the conflict is said."""
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=1, unit="人")
    from xlgoals import fill

    src, (sheet, ref) = fill(doc, tmp_path / "填好.xlsx"), ind_cell(9, "target")
    code = '[>0]"≥"0"天";"≥"0"人"'
    wb = openpyxl.load_workbook(src)
    wb[sheet][ref].value, wb[sheet][ref].number_format = 0, code
    wb.save(tmp_path / "excel.xlsx")
    assert not _conflicts(tmp_path / "excel.xlsx", sheet, ref)
    out = lo_edit(src, tmp_path / "lo.xlsx", [{"sheet": sheet, "cell": ref, "paste": 1, "format": code},
                                              {"sheet": sheet, "cell": ref, "input": "0"}])
    found = _conflicts(out, sheet, ref)
    assert len(found) == 1 and "“≥0天”" in found[0].message, found
