"""mendBV: a template's page header prints a literal ``_xHHHH_`` of a prefilled unit or project name as written; the
annotated copy makes a marked row of near-zero height tall enough and says so; a LibreOffice-saved file's percent
count."""
from __future__ import annotations

import html
import re
import shutil
import zipfile

import pytest

from .conftest import cli, lo_printed
from .helpers import ooxml_errors

_UNIT, _PROJECT = "甲_x001B_乙单位", "丙_x0041_丁项目"


def _prefilled(tmp_path, form_args=()):
    src = tmp_path / "p.csv"
    src.write_text(f"申报单位名称,项目名称,项目总预算（元）\n{_UNIT},{_PROJECT},100\n", encoding="utf-8")
    result = cli("template", "--prefill", src, "--out-dir", tmp_path / "out", "--year", "2020", *form_args)
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "out").iterdir()
    return made


def _headers(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [html.unescape(m.group(1)) for n in sorted(z.namelist()) if n.startswith("xl/worksheets/sheet")
                for m in re.finditer(r"<oddHeader>(.*?)</oddHeader>", z.read(n).decode("utf-8"))]


# 1 --------------------------------------------------------------------------------------------------------
def test_a_literal_escape_in_a_prefilled_name_is_kept_as_written_in_the_templates_page_header(tmp_path):
    """xlsxwriter wrote 甲_x005F_x001B_乙 (Excel's escape of the _), which LibreOffice prints as written: the header's
    own size code now breaks it (甲_&9x001B_乙), printing nothing in either application."""
    made = _prefilled(tmp_path)
    assert ooxml_errors(made) == []
    headers = _headers(made)
    assert len(headers) >= 3, headers
    for text in headers:
        assert not re.search("_x[0-9A-Fa-f]{4}_", text), text  # nothing Excel reads as an escaped character
        assert "甲_&9x001B_乙单位" in text and "丙_&9x0041_丁项目" in text, text


def test_the_header_text_breaks_an_escape_by_the_size_code_in_effect():
    from xlgoals._form._model import PrintSetup

    values = {"/unit": "a_x001B_b", "/project/name": "c&_x00e9_d"}
    assert PrintSetup().header_text(values) == "&C&9a_&9x001B_b　c&&_&9x00e9_d"
    assert PrintSetup(header="&L&12{names}").header_text(values) == "&L&12a_&12x001B_b　c&&_&12x00e9_d"
    # no size code: left as written (xlsxwriter escapes the _ as Excel does)
    assert PrintSetup(header="&C{names}").header_text(values) == "&Ca_x001B_b　c&&_x00e9_d"
    # && before a digit is an ampersand, not a size
    assert PrintSetup(header="&C&&9{names}").header_text(values) == "&C&&9a_x001B_b　c&&_x00e9_d"


@pytest.mark.soffice
def test_libreoffice_prints_a_literal_escape_of_the_templates_header_as_written(tmp_path, soffice):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    made = _prefilled(tmp_path)
    printed, _ = lo_printed([made], tmp_path / "pdf", needed=False)[made]
    for n in range(printed.pages):
        text = "".join(w.text for w in printed.words if w.page == n)
        assert _UNIT in text and _PROJECT in text, (n, text[:200])
        assert "x005F" not in text and "&9" not in text, (n, text[:200])


# 2 --------------------------------------------------------------------------------------------------------
def _annotated(tmp_path, edit, name="r.xlsx"):
    import openpyxl

    from .test_mendBM import RECEIVED

    wb = openpyxl.load_workbook(RECEIVED)
    edit(wb)
    src = tmp_path / name
    wb.save(src)
    r = cli("validate", str(src), "--annotate", str(tmp_path / "ann"))
    assert r.exit_code == 1, r.output
    copy = tmp_path / "ann" / f"{src.stem}_问题标注.xlsx"
    assert ooxml_errors(copy) == []
    return copy


def _low_rows(wb):
    table = wb["绩效指标"]
    table.row_dimensions[16].height = 0.5  # C16 holds rule.level2_mismatch: too low to see, not hidden
    table.row_dimensions[60].height = 0.5  # nothing marked there (no value below the table): as the department left it
    wb["项目信息"].row_dimensions[10].height = 3  # B10 holds cell.amount_wan


def test_a_marked_row_too_low_to_see_is_made_tall_enough_and_the_problem_list_says_so(tmp_path):
    import openpyxl

    from .test_mendBM import _notes

    copy = _annotated(tmp_path, _low_rows)
    wb = openpyxl.load_workbook(copy)
    info, table = wb["项目信息"], wb["绩效指标"]
    default = table.sheet_format.defaultRowHeight
    assert default >= 7
    assert table.row_dimensions[16].height == default and not table.row_dimensions[16].hidden
    assert info.row_dimensions[10].height == info.sheet_format.defaultRowHeight
    assert table.row_dimensions[60].height == 0.5  # unmarked: as the department left it
    assert "（本单元格所在的行原来过低，已在本副本中加高）" in table["C16"].comment.text
    assert "（本单元格所在的行原来过低，已在本副本中加高）" in info["B10"].comment.text
    assert _notes(wb["问题清单"]) == [
        "本副本与原文件的不同之处：为使标注的单元格可见，以下隐藏、过窄或过低的行、列和工作表已在本副本中取消隐藏、加宽或加高"
        "（原文件未改动）：",
        "工作表“项目信息”：第 10 行原来过低（行高 3），已加高",
        "工作表“绩效指标”：第 16 行原来过低（行高 0.5），已加高",
    ]


def test_a_marked_row_hidden_and_of_no_height_is_shown_tall_enough(tmp_path):
    """A row both hidden and a quarter point high: unhidden alone it stayed out of sight."""
    import openpyxl

    from .test_mendBM import _notes

    def hide(wb):
        wb["绩效指标"].row_dimensions[16].hidden = True
        wb["绩效指标"].row_dimensions[16].height = 0.25

    copy = _annotated(tmp_path, hide)
    wb = openpyxl.load_workbook(copy)
    table = wb["绩效指标"]
    assert not table.row_dimensions[16].hidden
    assert table.row_dimensions[16].height == table.sheet_format.defaultRowHeight
    assert "工作表“绩效指标”：第 16 行原为隐藏，已取消隐藏；第 16 行原来过低（行高 0.25），已加高" in _notes(wb["问题清单"])


# 3 --------------------------------------------------------------------------------------------------------
@pytest.mark.soffice
def test_a_libreoffice_saved_file_under_two_percent_signs_is_read_as_libreoffice_shows_it(tmp_path, lo_convert):
    """0%% in an .xlsx: LibreOffice shows (and prints) 0.85 as 85%% and 5 as 500%% (measured: its formatter scales
    once, whatever the count of %), Excel 8500%% and 50000%% (each sign ×100), and LibreOffice keeps the code 0%% when
    it saves the file.  The file LibreOffice saved is read as the department saw it there, as its format sections are
    (libreoffice_shows); the one Excel (or a script) saved, as before, as Excel shows it."""
    import zipfile

    from xlgoals import read, validate_file

    from .test_actual_formats import SE, _with_actual

    k, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 0.85, "0%%")
    assert read(tmp_path / "se.xlsx").document["indicators"][k]["actual"] == 8500
    (saved,) = lo_convert(tmp_path / "se.xlsx")
    with zipfile.ZipFile(saved) as z:
        assert 'formatCode="0%%"' in z.read("xl/styles.xml").decode("utf-8")  # the code kept as it was
        assert b"<Application>LibreOffice" in z.read("docProps/app.xml")
    assert read(saved).document["indicators"][k]["actual"] == 85
    # the bureau opening the same file in Excel sees 8500%%: said, at the cell, both quoted
    said = [p for p in validate_file(saved).problems if p.code == "cell.percent_app_differs"]
    assert [(p.cell, p.value, p.expected, p.severity) for p in said] == [(ref, "85%%", "8500%%", "warning")], said
    assert "LibreOffice" in said[0].message and "Excel" in said[0].message and "8500%%" in said[0].message
    assert "8500%%" in said[0].message_en and "{" not in said[0].message + said[0].message_en, said[0].message_en
    assert not [p for p in validate_file(tmp_path / "se.xlsx").problems if p.code == "cell.percent_app_differs"]

    # 5 under 0%%: 500%% in LibreOffice, read so and quoted so by the range check (50000 as Excel shows it)
    k, ref = _with_actual(SE, tmp_path / "se5.xlsx", "self-evaluation", "actual", 5, "0%%")
    found = [(p.cell, p.value) for p in validate_file(tmp_path / "se5.xlsx").problems
             if p.code == "self.actual_percent_range"]
    assert found == [(ref, "50000")], found
    (saved,) = lo_convert(tmp_path / "se5.xlsx")
    report = validate_file(saved)
    assert report.document["indicators"][k]["actual"] == 500
    found = [(p.cell, p.value) for p in report.problems if p.code == "self.actual_percent_range"]
    assert found == [(ref, "500")], report.problems
