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
look for it, whole, in the PDF's text.  The cells, rows and fitted heights are read by a few lines of LibreOffice
Basic (BASIC_SOURCE) run inside the office, one call a sheet, rather than by a UNO call a cell from this process.
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


#: LibreOffice Basic run inside the office (its own interpreter, no bridge between): the text each cell of an area shows
#: and each of its rows' visibility and height, in one call, and the height of each of some rows once fitted
#: (OptimalHeight set, then read, row after row).  A workbook's cells read one UNO call at a time from this process
#: were most of a print job's time (a summary's 2,000 cells: about 2 s, against 0.06 s here); the texts, visibilities
#: and heights are the same calls' answers, made in the office.
BASIC_LIBRARY, BASIC_MODULE = "Standard", "XlgoalsPrint"
BASIC_SOURCE = """
Function XlgArea(sheet, sc, sr, ec, er)
    Dim texts(), visible(), heights()
    Dim r, c, n, row
    ReDim texts((er - sr + 1) * (ec - sc + 1) - 1)
    ReDim visible(er - sr)
    ReDim heights(er - sr)
    n = 0
    For r = sr To er
        row = sheet.Rows.getByIndex(r)
        visible(r - sr) = row.IsVisible
        heights(r - sr) = row.Height
        For c = sc To ec
            texts(n) = sheet.getCellByPosition(c, r).getString()
            n = n + 1
        Next c
    Next r
    XlgArea = Array(texts, visible, heights)
End Function

Function XlgFitted(sheet, rows)
    Dim heights(), i, row
    ReDim heights(UBound(rows))
    For i = 0 To UBound(rows)
        row = sheet.Rows.getByIndex(rows(i))
        row.OptimalHeight = True
        heights(i) = row.Height
    Next i
    XlgFitted = heights
End Function
"""


def _basic(office, name):
    """The module's function `name` (BASIC_SOURCE), put into the office's application Basic once, to invoke."""
    ctx = office.ctx
    libraries = ctx.ServiceManager.createInstanceWithContext("com.sun.star.script.ApplicationScriptLibraryContainer",
                                                             ctx)
    libraries.loadLibrary(BASIC_LIBRARY)  # (a library is loaded when first used: a no-op once it is)
    lib = libraries.getByName(BASIC_LIBRARY)
    if not lib.hasByName(BASIC_MODULE):
        lib.insertByName(BASIC_MODULE, BASIC_SOURCE)
    provider = ctx.ServiceManager.createInstanceWithContext(
        "com.sun.star.script.provider.MasterScriptProviderFactory", ctx).createScriptProvider("")
    return provider.getScript(f"vnd.sun.star.script:{BASIC_LIBRARY}.{BASIC_MODULE}.{name}?language=Basic"
                              "&location=application")


def _cells(sheet, area):
    """The sheet's printed cells' texts [[ref, text], ...], their rows' heights {row number: points} and the printed
    columns' count.  `area(sheet, a)`: (the text of each cell of range address `a`, row by row, each row's
    visibility, each row's height in 1/100 mm), as BASIC_SOURCE's XlgArea gives them."""
    cur = sheet.createCursor()
    cur.gotoStartOfUsedArea(False)
    cur.gotoEndOfUsedArea(True)
    used = cur.RangeAddress
    areas = []
    for a in list(sheet.getPrintAreas()) or [used]:  # a print area of whole columns: within the used rows
        a.EndRow = min(a.EndRow, used.EndRow)
        a.EndColumn = min(a.EndColumn, used.EndColumn)
        areas.append(a)
    cols = sheet.Columns
    out, heights = [], {}
    for a in areas:
        hidden_cols = {c for c in range(a.StartColumn, a.EndColumn + 1) if not cols.getByIndex(c).IsVisible}
        sheet.getCellRangeByPosition(a.StartColumn, a.StartRow, a.EndColumn, a.EndRow)  # refused as before if no range
        texts, visible, row_heights = area(sheet, a)
        width = a.EndColumn - a.StartColumn + 1
        for i in range(a.EndRow - a.StartRow + 1):
            r = a.StartRow + i
            if not visible[i]:
                continue
            for j in range(width):
                c = a.StartColumn + j
                if c in hidden_cols:
                    continue
                text = texts[i * width + j]
                if text:
                    out.append([f"{lo_office.column_letters(c)}{r + 1}", text])
                    heights[str(r + 1)] = round(row_heights[i] * 72 / 2540, 2)  # 1/100 mm to points
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
    area_script, fitted_script = _basic(office, "XlgArea"), _basic(office, "XlgFitted")

    def area(sheet, a):
        return area_script.invoke((sheet, a.StartColumn, a.StartRow, a.EndColumn, a.EndRow), (), ())[0]

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
            cells, heights, ncols = _cells(sheet, area)
            sheets[sheet.Name] = {"cells": cells, "heights": heights, "columns": ncols}
        pdf = os.path.join(work, f"out{i}.pdf")
        doc.storeToURL(uno.systemPathToFileUrl(pdf), (prop("FilterName", "calc_pdf_Export"),))
        # printed: now the height LibreOffice would give each row (unless the job asks for none)
        for name, info in (sheets.items() if job.get("needed", True) else ()):
            sheet = doc.Sheets.getByName(name)
            _as_printed(doc, sheet)  # the text on the page (a path or digest off it wraps too), no filter buttons
            fitted = fitted_script.invoke((sheet, tuple(int(r) - 1 for r in info["heights"])), (), ())[0] \
                if info["heights"] else ()  # each row set to its optimal height and read, in this order
            info["needed"] = {r: round(h * 72 / 2540, 2) for r, h in zip(info["heights"], fitted)}
        doc.close(True)
        shutil.copy(pdf, os.path.join(job["outdir"], stem + ".pdf"))
        with open(os.path.join(job["outdir"], stem + ".json"), "w", encoding="utf-8") as fh:
            json.dump(sheets, fh, ensure_ascii=False)

if __name__ == "__main__":
    main(sys.argv[1])
