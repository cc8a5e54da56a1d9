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
