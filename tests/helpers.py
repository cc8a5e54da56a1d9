"""Build test workbooks from code; every position comes from the form's declaration."""

from pathlib import Path

import openpyxl

from xlgoals import FORMS, fill
from xlgoals._form import a1

F = FORMS["goal-table"]


def edited(src: Path, dst: Path, edits: dict) -> Path:
    """Copy `src` to `dst` with cells changed: {(sheet, "B3"): value}; strings are set as text."""
    wb = openpyxl.load_workbook(src)
    for (sheet, ref), value in edits.items():
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    wb.save(dst)
    return dst


def info_cell(path: str) -> tuple[str, str]:
    f = F.field(path)
    return f.sheet, f.cell


def ind_cell(index: int, column: str, fw=None) -> tuple[str, str]:
    """The cell of indicator `index` (0-based) in `column` (a column key, or an item key such as value)."""
    return F.table.name, a1(F.table.first_row + index, F.column(column, fw).index)


def filled(doc: dict, path: Path) -> Path:
    return fill(doc, path)
