"""speedB (issue #10 point 4, #11 point 9): the paper pass (_interpret._paper_shows) takes a cell's look and font
size by the style index paper_cells read from its tag where the tag writes it plainly, not by searching the
sheet's cell tags for it again (Grid.cell_look, Grid.font_size: the second cell asked of a sheet placed every cell
tag of it); it says the same."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from xlgoals import read
from xlgoals._read import _grid

from .conftest import EXAMPLES

RETURN = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
SELF_EVALUATION = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
INFO, TABLE = "项目信息", "绩效指标"
PAPER = {"cell.text_unwrapped", "cell.number_rounded", "cell.number_hashes", "cell.font_hidden"}


def _goal_table_edit(wb):
    """A white font (hidden), a value its format rounds, one too wide for its column, a long text wrap is off for."""
    ws = wb[TABLE]
    f = ws["F13"].font
    ws["F13"].font = Font(name=f.name, sz=f.sz, color="FFFFFFFF")
    ws["F14"].value, ws["F14"].number_format = 0.846, "0%"
    ws["F15"].value, ws["F15"].number_format = 89.6, "0"
    wb[INFO]["B10"].value, wb[INFO]["B10"].number_format = 1e308, "#,##0.00"
    for sheet, ref in ((INFO, "B14"), (TABLE, "D30")):
        al = copy.copy(wb[sheet][ref].alignment)
        al.wrap_text = False
        wb[sheet][ref].alignment = al


def _self_evaluation_edit(wb):
    """The budget's column narrowed: its amounts print ###."""
    ws = wb["自评信息"]
    for key, dim in list(ws.column_dimensions.items()):  # (a <col> spanning C split around it first)
        if key != "C" and dim.min is not None and dim.min <= 3 <= dim.max:
            last, dim.max = dim.max, 2
            for k in range(4, last + 1):
                ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width = dim.width
    ws.column_dimensions["C"].width = 7


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("speedB")
    out = []
    for src, edit, name in ((RETURN, _goal_table_edit, "goal.xlsx"), (SELF_EVALUATION, _self_evaluation_edit,
                                                                      "self.xlsx")):
        wb = openpyxl.load_workbook(src)
        edit(wb)
        wb.save(folder / name)
        out.append(folder / name)
    return out


def _said(path: Path) -> list[tuple]:
    return sorted((p.code, p.sheet, p.cell, str(p.value), p.expected, p.message, p.message_en)
                  for p in read(path, isolated=False).problems if p.code in PAPER)


def test_a_plainly_styled_cell_is_not_searched_for_again(monkeypatch, edited):
    """Every warning of the paper pass is said with neither cell_look nor font_size asked of a plainly styled cell
    (on the code before, the budget's amounts and the scores were each looked up by their tag twice)."""
    goal, self_eval = edited
    before = {p: _said(p) for p in edited}
    assert {c for c, *_ in before[goal]} == PAPER  # (each kind said: the pass went through every branch)
    assert {c for c, *_ in before[self_eval]} == {"cell.number_hashes"}

    def refusing(real):
        def refused(self, *args):  # (font_size is asked elsewhere too: a field's text measured as typed)
            if sys._getframe(1).f_code.co_name == "_paper_shows":
                raise AssertionError(f"looked up by its tag: {args}")
            return real(self, *args)
        return refused

    monkeypatch.setattr(_grid.Grid, "cell_look", refusing(_grid.Grid.cell_look))
    monkeypatch.setattr(_grid.Grid, "font_size", refusing(_grid.Grid.font_size))
    for p in edited:
        assert _said(p) == before[p]


def test_the_look_by_index_is_the_look_of_the_tag(monkeypatch, edited):
    """The same warnings, messages and all, as where every cell's style is read from its tag (paper_cells made to
    say no style was written plainly: cell_look and font_size asked of each, as before)."""
    by_index = {p: _said(p) for p in edited}
    real = _grid.Grid.paper_cells

    def unplain(self, name):
        found = real(self, name)
        return None if found is None else dict.fromkeys(found)

    monkeypatch.setattr(_grid.Grid, "paper_cells", unplain)
    looked = []
    real_look = _grid.Grid.cell_look
    monkeypatch.setattr(_grid.Grid, "cell_look", lambda self, *a: looked.append(a) or real_look(self, *a))
    for p in edited:
        assert _said(p) == by_index[p]
    assert looked  # (the tag path taken)
