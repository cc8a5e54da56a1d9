"""Build test workbooks from code."""

from pathlib import Path

import openpyxl

from xlgoals import fill
from xlgoals import layout as L


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
    return L.INFO_SHEET, L.FIELD_BY_PATH[path].cell


def ind_cell(index: int, column: str) -> tuple[str, str]:
    letters = {"level1": "B", "level2": "C", "name": "D", "comparator": "E", "target": "F", "unit": "G"}
    return L.INDICATOR_SHEET, f"{letters[column]}{L.IND_FIRST_ROW + 1 + index}"


def filled(doc: dict, path: Path) -> Path:
    return fill(doc, path)
