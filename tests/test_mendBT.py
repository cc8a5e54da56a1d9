"""What the paper shows against what is read (red team 25j): a cell's style that prints a value otherwise than the
reader reads it, warned at the cell (``_interpret._paper_shows``).

- 08: wrap text (自动换行) turned off on a long text: one line prints, cut at the cell's edge: cell.text_unwrapped.
  A text that fits its cell, or runs on into empty cells of the form to its right, prints whole: nothing said.
- 03: a format showing fewer decimals than the value (89.6 under ``0`` prints 90, 0.846 under ``0%`` 85%,
  146,407,273.40 under ``#,##0`` 146,407,273): cell.number_rounded, quoting both; the amount read stays exact.
- 07: a column narrowed below the width of the number its format shows (全年预算数, 总分): ### on paper:
  cell.number_hashes.
- 10: a font the colour of its background (white): cell.font_hidden, as cell.format_blank says of ;;;.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from xlgoals import read

from .conftest import EXAMPLES, cli

RETURN = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
SELF_EVALUATION = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
INFO, TABLE = "项目信息", "绩效指标"
NEW = {"cell.text_unwrapped", "cell.number_rounded", "cell.number_hashes", "cell.font_hidden"}


def _problems(path: Path, lang: str = "zh") -> list[dict]:
    r = cli("validate", path, "--format", "json", "--lang", lang)
    return [p for p in json.loads(r.output)["files"][0]["problems"] if p["code"] in NEW]


def _found(path: Path) -> list[tuple]:
    return sorted((p["code"], p["severity"], p["sheet"], p["cell"]) for p in _problems(path))


def _edited(tmp_path: Path, src: Path, edit, name: str = "r.xlsx") -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(tmp_path / name)
    return tmp_path / name


def _no_wrap(*cells):
    def edit(wb):
        for sheet, ref in cells:
            al = copy.copy(wb[sheet][ref].alignment)
            al.wrap_text = False
            wb[sheet][ref].alignment = al
    return edit


# 08 ----------------------------------------------------------------------------------------------------------------
def test_wrap_off_on_a_long_text_is_said_cut_on_paper(tmp_path):
    path = _edited(tmp_path, RETURN, _no_wrap((INFO, "B14"), (TABLE, "D30")))
    assert _found(path) == [("cell.text_unwrapped", "warning", TABLE, "D30"),
                            ("cell.text_unwrapped", "warning", INFO, "B14")]
    zh = {p["cell"]: p["message"] for p in _problems(path)}
    assert "项目概况" in zh["B14"] and "自动换行" in zh["B14"] and "截断" in zh["B14"] and "加宽" in zh["B14"]
    assert "第27条指标" in zh["D30"], zh["D30"]
    en = {p["cell"]: p["message"] for p in _problems(path, "en")}
    assert "Wrap Text" in en["B14"]
    assert read(path).document["project"]["overview"] == read(RETURN).document["project"]["overview"]  # read whole


def test_wrap_off_on_a_text_that_fits_or_runs_into_empty_cells_is_no_problem(tmp_path):
    def edit(wb):
        _no_wrap((INFO, "B14"), (TABLE, "D30"), (TABLE, "D13"))(wb)
        wb[INFO]["B14"].value = "促进就业"  # fits its cell on one line
        ws = wb[TABLE]
        for ref in ("E30", "F30", "G30"):  # the cells to its right left empty: the name runs on over them
            ws[ref].value = None
    path = _edited(tmp_path, RETURN, edit)
    assert _found(path) == []


def test_wrap_off_saved_by_libreoffice_is_said(tmp_path, lo_edit):
    """The repro's route: the format changed, then the workbook opened and saved by LibreOffice (its own styles)."""
    src = _edited(tmp_path, RETURN, _no_wrap((INFO, "B14"), (TABLE, "D30")), "nowrap.xlsx")
    out = lo_edit(src, tmp_path / "ret.xlsx", [])
    assert _found(out) == [("cell.text_unwrapped", "warning", TABLE, "D30"),
                           ("cell.text_unwrapped", "warning", INFO, "B14")]


# 03 ----------------------------------------------------------------------------------------------------------------
def _formats(cells: dict):
    def edit(wb):
        for (sheet, ref), (value, fmt) in cells.items():
            wb[sheet][ref].value = value
            wb[sheet][ref].number_format = fmt
    return edit


def test_a_format_rounding_the_value_is_said_with_both_figures(tmp_path):
    path = _edited(tmp_path, RETURN, _formats({(TABLE, "F13"): (89.6, "0"), (TABLE, "F14"): (0.846, "0%"),
                                               (INFO, "B10"): (146407273.4, "#,##0")}))
    assert _found(path) == [("cell.number_rounded", "warning", TABLE, "F13"),
                            ("cell.number_rounded", "warning", TABLE, "F14"),
                            ("cell.number_rounded", "warning", INFO, "B10")]
    zh = {p["cell"]: p["message"] for p in _problems(path)}
    assert "“90”" in zh["F13"] and "89.6" in zh["F13"] and "常规" in zh["F13"]
    assert "“85%”" in zh["F14"] and "84.6%" in zh["F14"]
    assert "“146,407,273”" in zh["B10"] and "146,407,273.4" in zh["B10"]
    doc = read(path).document
    assert str(doc["budget"]["total"]) == "146407273.4"  # the exact value read, not the printed one
    assert doc["indicators"][9]["value"] == 89.6 and doc["indicators"][10]["value"] == 84.6


def test_a_format_showing_the_value_whole_is_no_problem(tmp_path):
    path = _edited(tmp_path, RETURN, _formats({(TABLE, "F13"): (90, "0"), (TABLE, "F14"): (0.85, "0%"),
                                               (INFO, "B10"): (146407273.4, "#,##0.00"),
                                               (INFO, "B11"): (146407273.4, "General")}))
    assert _found(path) == []


def test_rounded_away():
    from xlgoals._read._screen import rounded_away

    assert rounded_away("[$-409]0%", 0.846) == ("85%", "84.6%")
    assert rounded_away("#,##0", 146407273.4) == ("146,407,273", "146,407,273.4")
    assert rounded_away('0.0"人"', 3.25) == ("3.3人", "3.25人")
    assert rounded_away("0.00", 0.1 + 0.2) is None  # a float's tail, no digit typed
    assert rounded_away("#,##0.00", 1234.5) is None and rounded_away("General", 1.23456) is None


def test_a_rounding_format_pasted_in_libreoffice_is_said(tmp_path, lo_edit):
    out = lo_edit(RETURN, tmp_path / "ret.xlsx", [
        {"sheet": TABLE, "cell": "F13", "paste": 89.6, "format": "0"},
        {"sheet": TABLE, "cell": "F14", "paste": 0.846, "format": "0%"},
        {"sheet": INFO, "cell": "B10", "paste": 146407273.4, "format": "#,##0"}])
    assert _found(out) == [("cell.number_rounded", "warning", TABLE, "F13"),
                           ("cell.number_rounded", "warning", TABLE, "F14"),
                           ("cell.number_rounded", "warning", INFO, "B10")]


def test_a_number_too_large_for_its_format_is_no_traceback(tmp_path):
    """1e308 under 0.00 (rounding it overflowed Decimal's precision): read, no crash; shown as Excel shows it, 309
    digits and more in a column some ten wide, it prints ### (mendDG's rounding keeps every digit: it was said
    nothing of)."""
    path = _edited(tmp_path, RETURN, _formats({(INFO, "B10"): (1e308, "#,##0.00"), (TABLE, "F13"): (1e308, "0")}))
    assert sorted(_found(path)) == [("cell.number_hashes", "warning", TABLE, "F13"),
                                    ("cell.number_hashes", "warning", INFO, "B10")]


# 07 ----------------------------------------------------------------------------------------------------------------
def _widths(widths: dict):
    """Columns set to a width, as dragging a column's border does (a <col> spanning it first split around it)."""
    from openpyxl.utils import column_index_from_string, get_column_letter

    def edit(wb):
        for (sheet, letter), width in widths.items():
            dims, i = wb[sheet].column_dimensions, column_index_from_string(letter)
            for key, dim in list(dims.items()):
                if key != letter and dim.min is not None and dim.min <= i <= dim.max:
                    last, dim.max = dim.max, i - 1
                    for k in range(i + 1, last + 1):
                        dims[get_column_letter(k)].width = dim.width
            dims[letter].width = width
    return edit


def test_a_number_wider_than_its_column_is_said_printed_as_hashes(tmp_path):
    path = _edited(tmp_path, SELF_EVALUATION, _widths({("自评信息", "C"): 7}))
    assert _found(path) == [("cell.number_hashes", "warning", "自评信息", "C7"),
                            ("cell.number_hashes", "warning", "自评信息", "C8")]
    zh = next(p["message"] for p in _problems(path) if p["cell"] == "C7")
    assert "###" in zh and "146,407,273.00" in zh and "加宽" in zh


def test_columns_narrowed_in_libreoffice_print_the_budget_and_the_total_as_hashes(tmp_path, lo_edit):
    """The repro's route: the columns dragged narrower in LibreOffice (widths in points), which keeps 总分's result."""
    out = lo_edit(SELF_EVALUATION, tmp_path / "ret.xlsx", [{"sheet": "自评信息", "cell": "C7", "col_width": 45},
                                                           {"sheet": "指标自评", "cell": "L5", "col_width": 14}])
    assert _found(out) == [("cell.number_hashes", "warning", "指标自评", "L31"),  # 总分
                           ("cell.number_hashes", "warning", "自评信息", "C7"),
                           ("cell.number_hashes", "warning", "自评信息", "C8")]


def test_a_number_that_fits_its_column_is_no_problem(tmp_path):
    path = _edited(tmp_path, SELF_EVALUATION, _widths({("自评信息", "C"): 16}))
    assert _found(path) == []


# 10 ----------------------------------------------------------------------------------------------------------------
def test_a_font_the_colour_of_its_background_is_said(tmp_path):
    def edit(wb):
        ws = wb[TABLE]
        f = ws["F13"].font
        ws["F13"].font = Font(name=f.name, sz=f.sz, color="FFFFFFFF")  # white on the pale input fill
        ws["F15"].font = Font(name=f.name, sz=f.sz, color="FF336699")
        ws["F15"].fill = PatternFill("solid", fgColor="FF336699")  # the fill's own colour
        ws["F16"].font = Font(name=f.name, sz=f.sz, color="FF0000FF")  # blue: seen
    path = _edited(tmp_path, RETURN, edit)
    assert _found(path) == [("cell.font_hidden", "warning", TABLE, "F13"),
                            ("cell.font_hidden", "warning", TABLE, "F15")]
    zh = next(p["message"] for p in _problems(path) if p["cell"] == "F13")
    assert "FFFFFF" in zh and "看不到" in zh and "自动" in zh
    from xlgoals._read._screen import contrast

    assert contrast("FFFFFF", "000000") == pytest.approx(21)
