"""Annotated copies for departments: offending cells highlighted, a comment on each, and a problem list.

The received file is only read; the copy is written atomically to another folder.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .._atomic import atomic_path
from .._form import GOAL_TABLE
from .._problems import ERROR, PROBLEM_COLUMNS, WARNING, FileReport, severity_label

PROBLEM_SHEET = "问题清单"
_FILL = {ERROR: PatternFill("solid", fgColor="FFC7CE"), WARNING: PatternFill("solid", fgColor="FFEB9C")}
_HEADERS = [GOAL_TABLE.column_label("seq"), *(zh for _, zh, _ in PROBLEM_COLUMNS)]
_WIDTHS = {"severity": 9, "sheet": 10, "cell": 8, "field": 22, "value": 24, "expected": 24, "message": 60, "code": 24}


def annotated_name(path: str) -> str:
    p = Path(path)
    return f"{p.stem}_问题标注.xlsx"


def annotate(report: FileReport, out_dir: str | Path) -> Path | None:
    """Write `<name>_问题标注.xlsx` into `out_dir`; None when the file cannot be opened at all."""
    if report.document is None and any(p.code.startswith("file.") for p in report.problems):
        return None  # unsafe or unreadable: it never goes near a spreadsheet library
    try:
        data = Path(report.path).read_bytes()
        wb = openpyxl.load_workbook(io.BytesIO(data), keep_vba=False, keep_links=False)
    except Exception:  # unreadable files were already reported; there is nothing to annotate
        return None
    by_cell: dict[tuple[str, str], list] = {}
    for p in report.problems:
        if p.sheet in wb.sheetnames and p.cell:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    for (sheet, cell), items in by_cell.items():
        c = wb[sheet][cell]
        severity = ERROR if any(p.severity == ERROR for p in items) else WARNING
        c.fill = _FILL[severity]
        text = "\n".join(f"[{severity_label(p.severity)}] {p.message}" for p in items)
        comment = Comment(text, "xlgoals")
        comment.width, comment.height = 320, 40 + 30 * len(items)
        c.comment = comment
    if PROBLEM_SHEET in wb.sheetnames:
        del wb[PROBLEM_SHEET]
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    ws.append(_HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for i, p in enumerate(report.problems, start=1):
        shown = {"severity": severity_label(p.severity), "value": "" if p.value is None else str(p.value)}
        ws.append([i, *(shown.get(attr, getattr(p, attr)) for attr, _, _ in PROBLEM_COLUMNS)])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "="
    widths = [6, *(_WIDTHS[attr] for attr, _, _ in PROBLEM_COLUMNS)]
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    target = Path(out_dir) / annotated_name(report.path)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
