"""Annotated copies for departments: offending cells highlighted, a comment on each, and a problem list.

The received file is only read; the copy is written atomically to another folder.
"""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from .atomic import atomic_path
from .problems import ERROR, FileReport

PROBLEM_SHEET = "问题清单"
_FILL = {ERROR: PatternFill("solid", fgColor="FFC7CE"), "warning": PatternFill("solid", fgColor="FFEB9C")}
_HEADERS = ["序号", "严重程度", "工作表", "单元格", "项目", "填写内容", "应为", "说明", "代码"]


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
        severity = ERROR if any(p.severity == ERROR for p in items) else "warning"
        c.fill = _FILL[severity]
        text = "\n".join(f"[{'错误' if p.severity == ERROR else '警告'}] {p.message}" for p in items)
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
        value = "" if p.value is None else str(p.value)
        row = [i, "错误" if p.severity == ERROR else "警告", p.sheet, p.cell, p.field, value, p.expected,
               p.message, p.code]
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "="
    for letter, width in zip("ABCDEFGHI", (6, 9, 10, 8, 22, 24, 24, 60, 24), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    wb.active = 0
    target = Path(out_dir) / annotated_name(report.path)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
