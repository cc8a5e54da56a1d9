"""Every return is read with the number-format rule of the application that saved it, whatever the file format.

A two-section format whose first section has a condition shows some numbers differently in LibreOffice and in Excel
(tests/test_format_apps.py).  Measured with LibreOffice 7.4.7 (the cell's text as shown, XCell.getString, on opening
the saved file again): ``[<-5]"≤"0"天";"≥"0"天"`` with -3 typed shows ≥3天 in the .xlsx, the .xls and the .ods it saves;
Excel shows -≥3天.  An .xlsx names the application that saved it in docProps/app.xml; an .xls LibreOffice saved names
none (its SummaryInformation no application, its WRITEACCESS user "Calc"); an .ods names it in meta.xml's
meta:generator (LibreOffice/7.4.7.2$Linux…, Excel: MicrosoftOffice/16.0 MicrosoftExcel/CalculationVersion-…).
"""

import re
import struct
import zipfile

import olefile
import openpyxl
import pytest

from xlgoals import fill, validate_file
from xlgoals._read._screen import libreoffice_shows

from .conftest import EXAMPLE_JSON, load
from .helpers import ind_cell
from .test_xls import rewrite_records, summary_information

FORMAT = '[<-5]"≤"0"天";"≥"0"天"'  # -3 falls in the second section: Excel -≥3天, LibreOffice ≥3天
EXCEL_ODS = "MicrosoftOffice/16.0 MicrosoftExcel/CalculationVersion-10911"


def _row(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=5, unit="人")
    return fill(doc, tmp_path / "填好.xlsx", force=True), ind_cell(9, "target")


def _quoted(path, sheet, ref) -> list[str]:
    """The texts cell.target_format_conflict quotes as the paper's at (sheet, ref)."""
    found = [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict" and
             (p.sheet, p.cell) == (sheet, ref)]
    return [m[1] for p in found for m in [re.search(r"打印件上显示的是“([^”]*)”", p.message)] if m]


def _lo_saved(tmp_path, lo_edit, fmt):
    src, (sheet, ref) = _row(tmp_path)
    out = lo_edit(src, tmp_path / f"lo.{fmt}", [{"sheet": sheet, "cell": ref, "paste": 1, "format": FORMAT},
                                                {"sheet": sheet, "cell": ref, "input": "-3"}], fmt=fmt)
    return out, sheet, ref


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_return_libreoffice_saved_as_xls_or_ods_is_quoted_as_libreoffice_shows_it(tmp_path, lo_edit, fmt):
    """(Read by Excel's rule before: -≥3天, which the department's paper does not show.)"""
    out, sheet, ref = _lo_saved(tmp_path, lo_edit, fmt)
    assert _quoted(out, sheet, ref) == ["≥3天"]


def _as_excel_xls(src, dst):
    """The .xls LibreOffice saved, its SummaryInformation naming Microsoft Excel and its WRITEACCESS another user: as
    Excel writes it."""
    def edit(records):
        for k, (rid, body) in enumerate(records):
            if rid == 0x005C:  # WRITEACCESS: the user name, padded to 112 bytes
                records[k][1] = (struct.pack("<HB", 9, 0) + b"Zhang San").ljust(len(body), b" ")
        return records

    rewrite_records(src, dst, edit)
    with olefile.OleFileIO(str(dst), write_mode=True) as ole:
        size = ole.get_size("\x05SummaryInformation")
        stream = summary_information("Microsoft Excel")
        assert len(stream) <= size
        ole.write_stream("\x05SummaryInformation", stream.ljust(size, b"\0"))
    return dst


def _with_generator(src, dst, generator):
    """The .ods `src` with meta.xml's meta:generator `generator`, its parts otherwise as they were (mimetype first,
    stored)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "meta.xml":
                data, n = re.subn(rb"<meta:generator>[^<]*</meta:generator>",
                                  f"<meta:generator>{generator}</meta:generator>".encode(), data)
                assert n == 1
            zout.writestr(info, data)
    return dst


@pytest.mark.soffice
def test_the_files_of_other_writers_are_read_by_excels_rule(tmp_path, lo_edit):
    """The same .xls naming Excel as its writer, and the same .ods naming Excel as its generator: as Excel shows it."""
    xls, sheet, ref = _lo_saved(tmp_path, lo_edit, "xls")
    assert _quoted(_as_excel_xls(xls, tmp_path / "excel.xls"), sheet, ref) == ["-≥3天"]
    ods, _, _ = _lo_saved(tmp_path, lo_edit, "ods")
    assert _quoted(_with_generator(ods, tmp_path / "excel.ods", EXCEL_ODS), sheet, ref) == ["-≥3天"]
    # an .ods of another ODF application (or none named): LibreOffice's rule, the rule of ODF's own application
    assert _quoted(_with_generator(ods, tmp_path / "other.ods", "OpenOffice/4.1.14$Win32"), sheet, ref) == ["≥3天"]


def test_scripts_name_excel_and_are_read_by_excels_rule(tmp_path):
    """XlsxWriter (xlgoals' own writer: the template, fill) names "Microsoft Excel" in docProps/app.xml, as Excel
    does, and openpyxl "Microsoft Excel Compatible / Openpyxl 3.1.5": a return a script wrote, nobody having looked at it in LibreOffice, is read by Excel's rule, on
    purpose."""
    from xlgoals._read import Grid
    from xlgoals._read._safety import open_container

    src, (sheet, ref) = _row(tmp_path)  # written by XlsxWriter
    wb = openpyxl.load_workbook(src)
    wb[sheet][ref].value, wb[sheet][ref].number_format = -3, FORMAT
    wb.save(tmp_path / "openpyxl.xlsx")
    for path, app in ((src, "Microsoft Excel"), (tmp_path / "openpyxl.xlsx", "Microsoft Excel Compatible / Openpyxl")):
        grid = Grid(open_container(path))
        assert grid.saved_by().startswith(app) and not libreoffice_shows(grid.kind, grid.saved_by()), path
    assert _quoted(tmp_path / "openpyxl.xlsx", sheet, ref) == ["-≥3天"]


@pytest.mark.parametrize("kind, saved_by, libreoffice", [
    ("xlsx", "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", True),
    ("xlsx", "Microsoft Excel", False),
    ("xlsx", "", False),  # no docProps/app.xml: a script's
    ("xlsx", "WPS Office", False),
    ("xls", "LibreOffice", True),  # no application named, WRITEACCESS "Calc" (Grid.saved_by)
    ("xls", "Microsoft Excel", False),
    ("xls", "", False),
    ("ods", "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2", True),
    ("ods", "", True),
    ("ods", "OpenOffice/4.1.14$Win32 OpenOffice.org_project/4114m1$Build-9811", True),
    ("ods", EXCEL_ODS, False),
    ("ods", "Microsoft Excel Online", False),
    ("ods", "WPS Office/11.1", False),
])
def test_which_applications_show_formats_as_libreoffice_does(kind, saved_by, libreoffice):
    assert libreoffice_shows(kind, saved_by) is libreoffice


# What LibreOffice shows, measured (LibreOffice 7.4.7, XCell.getString of a number under each format; tests' numbers
# whole, so that no rounding is at stake).  LibreOffice shows a minus only in a format's first section, and there not
# where its condition is [<0] or [<=0] (svl's SvNumberformat: the sign is written for the first subformat alone); its
# second and third sections show a negative number without it, whatever their conditions.
MEASURED = [
    ('[>=100]"大"0;[>=10]"中"0;"小"0', -5, "小5"), ('[>=100]"大"0;[>=10]"中"0;"小"0', 5, "小5"),
    ('[>=100]"大"0;[>=10]"中"0;"小"0', 50, "中50"),
    ('[>1]0"人";[<-1]0"天";0"个"', -3, "3天"), ('[>1]0"人";[<-1]0"天";0"个"', 3, "3人"),
    ('[<0]"减"0;"增"0', -5, "减5"), ('[<0]"减"0;"增"0', 0, "增0"),
    ('[>=0]"增"0;"减"0', -5, "减5"), ('[>=0]"增"0;"减"0', 0, "增0"),
    ('[<5]"低"0;"高"0', -5, "-低5"), ('[<5]"低"0;"高"0', 3, "低3"), ('[<5]"低"0;"高"0', 7, "高7"),
    ('[>5]"高"0;"低"0', -5, "低5"),
    ('[<-5]"≤"0"天";"≥"0"天"', -3, "≥3天"), ('[<-5]"≤"0"天";"≥"0"天"', -7, "-≤7天"),
    ('[=0]"零"0;"非"0', -2, "非2"), ('[<>0]"非"0;"零"0', -2, "-非2"), ('[<>0]"非"0;"零"0', 0, "零0"),
    ('[>0]"正"0;[<0]"负"0;"零"0', -2, "负2"), ('[>0]"正"0;[<0]"负"0;"零"0', 0, "零0"),
    ('"正"0;"负"0;"零"0', -2, "负2"), ('"正"0;"负"0', -2, "负2"), ('"正"0;"负"0', 0, "正0"),
    ('[<=0]"非正"0;"正"0', -3, "非正3"), ('[<=0]"非正"0;"正"0', 0, "非正0"),
    ('[<=-1]0"天";[>=1]0"人"', -3, "-3天"), ('[<=-1]0"天";[>=1]0"人"', 3, "3人"),
]


@pytest.mark.parametrize("code, value, shown", MEASURED)
def test_libreoffices_sections_as_measured(code, value, shown):
    from xlgoals._read._screen import as_libreoffice, format_text, shown_for

    before, after, unsigned = shown_for(as_libreoffice(format_text(code)), value)
    assert ("-" if value < 0 and not unsigned else "") + f"{before}{abs(value)}{after}" == shown


THREE = '[>=100]"≥"0"天";[>=10]"≥"0"天";"≥"0"天"'  # -3 in the third section: Excel -≥3天, LibreOffice ≥3天


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_negative_number_in_a_later_section_libreoffice_saved_is_quoted_without_its_minus(tmp_path, lo_edit, fmt):
    src, (sheet, ref) = _row(tmp_path)
    out = lo_edit(src, tmp_path / f"lo.{fmt}", [{"sheet": sheet, "cell": ref, "paste": 1, "format": THREE},
                                                {"sheet": sheet, "cell": ref, "input": "-3"}], fmt=fmt)
    assert _quoted(out, sheet, ref) == ["≥3天"]


@pytest.mark.parametrize("code, value, shown", [
    ('"≥"0"天";"≥"0"天"', -3, "≥3天"),  # the negative section: no minus (LibreOffice measured: "正"0;"负"0 -2 → 负2)
    ('"≥"0"天";"≥"0"天"', 3, "≥3天"),
    ('"≥"0"天";"≥"0"天";"≥"0"天"', -3, "≥3天"),
    ('"≥"0"天"', -3, "-≥3天"),  # one section: the number keeps its minus
])
def test_sections_of_one_text_still_show_a_negative_number_without_its_minus(code, value, shown):
    """format_text made sections showing the same text one text, losing which section shows a negative number: -3
    under "≥"0"天";"≥"0"天" was quoted as -≥3天 (either application shows ≥3天); an .ods's style:map parts as well."""
    from xlgoals._read._screen import as_libreoffice, format_text, shown_for

    for entry in (format_text(code), as_libreoffice(format_text(code))):
        before, after, unsigned = shown_for(entry, value)
        assert ("-" if value < 0 and not unsigned else "") + f"{before}{abs(value)}{after}" == shown


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_percent_date_and_text_cells_libreoffice_saved_read_as_it_shows_them(tmp_path, lo_edit, fmt):
    """Beyond a format's sections, nothing else is read as Excel would show it where LibreOffice saved the return
    (checked, no change needed): a date typed as 2024-3-5, 85% typed into a target (a text cell), a number pasted
    with its 0% format into a target (shown 86%: read as its percent, exact), 00123 typed into a text cell (@) read
    alike from the .xlsx, .xls and .ods LibreOffice saves (what it shows, measured: 85%, 86%, 00123)."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "填好.xlsx")
    (info, start), (sheet, typed), (_, pasted), (_, name) = (
        ("项目信息", "B6"), ind_cell(10, "target"), ind_cell(9, "target"), ind_cell(0, "name"))
    out = lo_edit(src, tmp_path / f"lo.{fmt}", [
        {"sheet": info, "cell": start, "input": "2020-3-5"}, {"sheet": sheet, "cell": typed, "input": "85%"},
        {"sheet": sheet, "cell": pasted, "paste": 0.857, "format": "0%"}, {"sheet": sheet, "cell": name, "input": "00123"}],
        fmt=fmt)
    report = validate_file(out)
    items = report.document["indicators"]
    assert report.document["project"]["start_date"] == "2020-03-05"
    assert (items[10]["value"], items[10]["unit"]) == (85, "%")
    assert (items[9]["value"], items[9]["unit"]) == (85.7, "%")
    assert items[0]["name"] == "00123"
    assert not [p for p in report.problems if p.code.startswith("cell.percent") or p.code.startswith("cell.date")]
