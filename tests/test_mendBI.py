"""mendBI: format-conflict messages quote the cell as its format prints it; the annotated copy shows a hidden sheet a
mark is on; a 项目信息 or table column too narrow to print (below _paper.LEGIBLE_WIDTH) counts as hidden."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from xlgoals import validate_file

from .conftest import ROOT, cli
from .test_mendBE import _annotated  # the annotated copy of examples/received with an edit


# 2. a mark on a hidden sheet ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_mark_on_a_hidden_sheet_shows_the_sheet_and_says_so(tmp_path, state):
    def hide(wb):
        wb["绩效指标"].sheet_state = state  # C16 holds rule.level2_mismatch
        wb["绩效指标"].row_dimensions[16].hidden = True
    copy = _annotated(tmp_path, hide)
    wb = openpyxl.load_workbook(copy)
    ws = wb["绩效指标"]
    assert ws.sheet_state == "visible"
    assert not ws.row_dimensions[16].hidden
    assert "（本单元格所在的工作表和行原为隐藏，已在本副本中取消隐藏）" in ws["C16"].comment.text
    # a sheet with a mark that was visible says nothing of hiding
    assert "原为隐藏" not in wb["项目信息"]["B10"].comment.text
    assert wb["项目信息"].sheet_state == "visible"


def test_a_hidden_sheet_alone_is_said_as_the_sheet(tmp_path):
    copy = _annotated(tmp_path, lambda wb: setattr(wb["绩效指标"], "sheet_state", "hidden"))
    ws = openpyxl.load_workbook(copy)["绩效指标"]
    assert ws.sheet_state == "visible"
    assert "（本单元格所在的工作表原为隐藏，已在本副本中取消隐藏）" in ws["C16"].comment.text


# 3. a column too narrow to print ------------------------------------------------------------------------------------

GOAL_TABLE = sorted((ROOT / "examples" / "returns").glob("01_*.xlsx"))[0]
_INFO_COL_B = b'<col min="2" max="2" width="56.7109375"'


def _copy(src, dst, name, edit):
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    changed = edit(parts[name])
    assert changed != parts[name]
    parts[name] = changed
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for n, data in parts.items():
            out.writestr(n, data)
    return dst


def _info_col_b(width: bytes, parsed: bool):
    """项目信息's column B (the filled values) given the width `width`; `parsed`: with a comment in the part, so
    that the screen's parser reads it (not its fast path over canonical parts)."""
    def edit(b):
        assert _INFO_COL_B in b
        b = b.replace(_INFO_COL_B, b'<col min="2" max="2" width="' + width + b'"')
        return b.replace(b"<sheetData>", b"<!-- x --><sheetData>", 1) if parsed else b
    return edit


def _hidden_columns(path):
    return [(p.sheet, p.cell, p.severity) for p in validate_file(path).problems if p.code == "cell.hidden_column"]


@pytest.mark.parametrize("parsed", [False, True], ids=["fast path", "parser"])
@pytest.mark.parametrize("width", [b"0", b"+0", b"-0", b"0.0e0", b"1e-9", b" 0.1 ", b"0.5", b"0.99", b"-5"])
def test_an_information_column_too_narrow_to_print_is_a_hidden_column(tmp_path, width, parsed):
    """A filled 项目信息 column was cell.hidden_column only for a width written 0, 0.0 or .0: +0, 1e-9 (zero to Excel)
    or a width no character prints in (0.1) passed.  Compared as a number with _paper.LEGIBLE_WIDTH (characters)."""
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", "xl/worksheets/sheet2.xml", _info_col_b(width, parsed))
    found = _hidden_columns(bad)
    assert found and {(s, c[0], sev) for s, c, sev in found} == {("项目信息", "B", "warning")}


@pytest.mark.parametrize("parsed", [False, True], ids=["fast path", "parser"])
@pytest.mark.parametrize("width", [b"1", b"1.0", b"12.75", b"1e1", b"NaN", b"x"])
def test_an_information_column_of_a_legible_width_is_not(tmp_path, width, parsed):
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", "xl/worksheets/sheet2.xml", _info_col_b(width, parsed))
    assert _hidden_columns(bad) == []


def test_an_indicator_column_too_narrow_to_print_is_a_hidden_column(tmp_path):
    """The indicator table's columns by the same measure: 绩效指标's D (the indicators' names) at 0.1 character."""
    def edit(b):
        b, n = re.subn(rb'(<col min="4" max="4") width="[^"]*"', rb'\1 width="0.1"', b, count=1)
        assert n
        return b
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", "xl/worksheets/sheet3.xml", edit)
    assert [(s, c[0]) for s, c, _ in _hidden_columns(bad)] == [("绩效指标", "D")]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_an_information_column_made_narrow_in_libreoffice_is_said_in_every_format(tmp_path, lo_edit, fmt):
    """As LibreOffice saves it (Format › Columns › Width 2 pt on 项目信息's values), in .xlsx, .ods and .xls:
    cell.hidden_column on 项目信息's B, the budget still read."""
    from xlgoals import FORMS, read

    form = FORMS["goal-table"]
    edits = [{"sheet": form.info.name, "unprotect": True}, {"sheet": form.info.name, "cell": "B10", "col_width": 2}]
    out = lo_edit(GOAL_TABLE, tmp_path / f"narrow.{fmt}", edits, fmt=fmt)
    r = read(out)
    assert r.document["budget"] == read(GOAL_TABLE).document["budget"]
    found = [(p.sheet, p.cell[0]) for p in r.problems if p.code == "cell.hidden_column"]
    assert found == [(form.info.name, "B")]


# 1. a format conflict quotes the cell as its format prints it ----------------------------------------------------

def _problem(path, code):
    import json

    result = cli("validate", path, "--format", "json", "--jobs", "1")
    (p,) = [p for p in json.loads(result.stdout)["files"][0]["problems"] if p["code"] == code]
    return p


@pytest.mark.parametrize("fmt, value, printed", [('"≥"0.00"天"', 3, "≥3.00天"), ('"≤"#,##0"天"', 12345, "≤12,345天"),
                                                 ('"≤"0"天"', 3.4, "≤3天"), ('"≤"0"天"', 3, "≤3天"),
                                                 ('"≤"0.0"天";"≥"0.0"天"', -3, "≥3.0天")])
def test_target_format_conflict_quotes_the_printed_number(tmp_path, fmt, value, printed):
    from .helpers import ind_cell
    from .test_config_load import _goal_table_with_format

    src = _goal_table_with_format(tmp_path, fmt, value=value)
    p = _problem(src, "cell.target_format_conflict")
    assert (p["sheet"], p["cell"]) == ind_cell(9, "target")
    assert f"“{printed}”" in p["message_zh"] and f"'{printed}'" in p["message_en"], p


@pytest.mark.parametrize("fmt, value, printed", [('0.00"人"', 95, "95.00人"), ('#,##0"人"', 1234.5, "1,235人"),
                                                 ('0"人"', 95, "95人")])
def test_actual_format_conflict_quotes_the_printed_number(tmp_path, fmt, value, printed):
    from .test_actual_formats import SE, _with_actual

    _, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", value, fmt)
    p = _problem(tmp_path / "se.xlsx", "cell.actual_format_conflict")
    assert p["cell"] == ref
    assert f"“{printed}”" in p["message_zh"] and f"'{printed}'" in p["message_en"], p


def test_libreoffice_prints_what_the_format_conflict_quotes(tmp_path, soffice):
    """The quoted text is on the paper: LibreOffice prints the target cell as the message quotes it."""
    from .conftest import lo_printed
    from .helpers import ind_cell
    from .test_config_load import _goal_table_with_format

    src = _goal_table_with_format(tmp_path, '"≥"0.00"天"', value=3)
    assert "“≥3.00天”" in _problem(src, "cell.target_format_conflict")["message_zh"]
    (_, sheets), = lo_printed([src], tmp_path / "lo", needed=False).values()
    sheet, ref = ind_cell(9, "target")
    assert dict(sheets[sheet]["cells"]).get(ref) == "≥3.00天"


def test_an_xls_keeps_the_format_code_to_quote(tmp_path, lo_convert):
    """An .xls's FORMAT records give the same code (format_text): the quote is as printed there too."""
    from .test_config_load import _goal_table_with_format

    src = _goal_table_with_format(tmp_path, '"≥"0.00"天"', value=3)
    (xls,) = lo_convert(src, fmt="xls")
    assert "“≥3.00天”" in _problem(xls, "cell.target_format_conflict")["message_zh"]
