"""Print workbooks to PDF with LibreOffice (UNO) and list the text each printed cell shows.

Run with the Python that has the ``uno`` module (Debian's /usr/bin/python3 with python3-uno):

    python3 lo_print.py JOB.json

JOB: {"files": [path, ...], "outdir": path, "needed": true (default) | false}.  For each workbook it writes ``<outdir>/<stem>.pdf``
(every sheet LibreOffice prints) and ``<outdir>/<stem>.json``: {sheet: {"cells": [[ref, text], ...],
"heights": {row number: points}, "columns": n}} with the text LibreOffice shows in every non-empty cell that is on
the page — visible sheets, inside the print ranges (or the used area), rows and columns not hidden — and the height
each of their rows prints at (LibreOffice lays a row out at the height the file gives it; it grows none to fit its
text when it opens or prints a file), and "needed": {row number: points}, the height LibreOffice gives each of those
rows when asked to fit it to its printed text (Format › Rows › Optimal Height, after printing, the cells right of a
print area cleared and the autofilter's buttons removed first), which a cell merged across rows does not count in (left out, with the
time it takes, for a job of "needed": false).
The text is the cell's shown string (number formats and formula results applied), so a test can
look for it, whole, in the PDF's text.
"""

import json
import os
import shutil
import sys

import uno
from com.sun.star.beans import PropertyValue

import lo_office  # this folder: the script's own, on its path


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _cells(sheet):
    cur = sheet.createCursor()
    cur.gotoStartOfUsedArea(False)
    cur.gotoEndOfUsedArea(True)
    used = cur.RangeAddress
    areas = []
    for a in list(sheet.getPrintAreas()) or [used]:  # a print area of whole columns: within the used rows
        a.EndRow = min(a.EndRow, used.EndRow)
        a.EndColumn = min(a.EndColumn, used.EndColumn)
        areas.append(a)
    rows, cols = sheet.Rows, sheet.Columns
    out, heights = [], {}
    for a in areas:
        hidden_cols = {c for c in range(a.StartColumn, a.EndColumn + 1) if not cols.getByIndex(c).IsVisible}
        rng = sheet.getCellRangeByPosition(a.StartColumn, a.StartRow, a.EndColumn, a.EndRow)
        strings = rng.getDataArray()
        for i, line in enumerate(strings):
            r = a.StartRow + i
            if not rows.getByIndex(r).IsVisible:
                continue
            for j, _ in enumerate(line):
                c = a.StartColumn + j
                if c in hidden_cols:
                    continue
                cell = sheet.getCellByPosition(c, r)
                text = cell.getString()
                if text:
                    out.append([cell.AbsoluteName.split(".")[-1].replace("$", ""), text])
                    heights[str(r + 1)] = round(rows.getByIndex(r).Height * 72 / 2540, 2)  # 1/100 mm to points
    return out, heights, max(a.EndColumn for a in areas) + 1


def _as_printed(doc, sheet):
    """The sheet as printed, for the height LibreOffice fits a row to: its autofilter off (LibreOffice leaves room for
    a filter's buttons in a fitted header row, which the printed page does not show: a header printed whole on two
    lines was fitted to four) and the cells right of its print areas cleared (columns kept off the page: paths,
    digests)."""
    index = list(doc.Sheets.ElementNames).index(sheet.Name)
    unnamed = doc.getPropertyValue("UnnamedDatabaseRanges")
    if unnamed.hasByTable(index):
        unnamed.getByTable(index).AutoFilter = False
    areas = list(sheet.getPrintAreas())
    if not areas:
        return
    cur = sheet.createCursor()
    cur.gotoEndOfUsedArea(False)
    last_col, last_row = cur.RangeAddress.EndColumn, cur.RangeAddress.EndRow
    end = max(a.EndColumn for a in areas)
    if end < last_col:
        sheet.getCellRangeByPosition(end + 1, 0, last_col, last_row).clearContents(1 | 2 | 4 | 16)  # values, dates, text, formulas


def prepared(job_path):
    """The job of JOB.json as lo_office.run takes it: (job, what, env)."""
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    os.makedirs(job["outdir"], exist_ok=True)
    return (lambda office, work: _print(job, office, work)), f"lo_print {job_path}", None


def main(job_path):
    lo_office.run(*prepared(job_path))


def _print(job, office, work):
    """Each workbook printed from a private copy (ASCII path; no lock file beside the original); its PDF and JSON
    written to the job's folder once LibreOffice has done both."""
    desktop = office.desktop
    for i, src in enumerate(job["files"]):
        stem = os.path.splitext(os.path.basename(src))[0]
        mine = os.path.join(work, f"in{i}" + os.path.splitext(src)[1])
        shutil.copy(src, mine)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(mine), "_blank", 0, (prop("Hidden", True),))
        if doc is None:
            raise SystemExit(f"LibreOffice could not open {src}")
        sheets = {}
        for sheet in doc.Sheets:
            if not sheet.IsVisible:
                continue
            cells, heights, ncols = _cells(sheet)
            sheets[sheet.Name] = {"cells": cells, "heights": heights, "columns": ncols}
        pdf = os.path.join(work, f"out{i}.pdf")
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (prop("FilterName", "calc_pdf_Export"),))
        # printed: now the height LibreOffice would give each row (unless the job asks for none)
        for name, info in (sheets.items() if job.get("needed", True) else ()):
            sheet = doc.Sheets.getByName(name)
            _as_printed(doc, sheet)  # the text on the page (a path or digest off it wraps too), no filter buttons
            rows = sheet.Rows
            info["needed"] = {}
            for r in info["heights"]:
                row = rows.getByIndex(int(r) - 1)
                row.OptimalHeight = True
                info["needed"][r] = round(row.Height * 72 / 2540, 2)
        doc.close(True)
        shutil.copy(pdf, os.path.join(job["outdir"], stem + ".pdf"))
        with open(os.path.join(job["outdir"], stem + ".json"), "w", encoding="utf-8") as fh:
            json.dump(sheets, fh, ensure_ascii=False)

if __name__ == "__main__":
    main(sys.argv[1])
