"""Drive LibreOffice through UNO as a department does: open a workbook, type into cells, save.

Run with the Python that has the ``uno`` module (Debian's /usr/bin/python3 with python3-uno):

    python3 lo_edit.py JOB.json

JOB: {"src": path, "dst": path, "format": "xlsx" | "xls" | "ods",
      "password": optional open password for the saved file,
      "locale": "zh_CN.UTF-8" (default; the process locale LibreOffice parses typed input with),
      "edits": [...]}

Edits, applied in order:
  {"sheet", "cell", "input": "≥85%"}   typed: the cell is selected and the text entered through
                                       LibreOffice's own input parsing (.uno:EnterString), as the
                                       keyboard does; the cell's number format and the locale apply
  {"sheet", "cell", "paste": 0.85, "format": "0%"}
                                       a paste from another workbook: value and number format set
  {"sheet", "cell", "string": "…"}     a paste of text (setString): only where a test means a paste
  {"sheet", "cell", "value": 1.5}      a paste of a number
  {"sheet", "cell", "clear": true}     Delete on the cell
  {"sheet", "unprotect": true}         Tools › Protect Sheet off (no password)
  {"sheet", "cell", "insert_rows": n}  n rows inserted above the cell (.uno:InsertRowsBefore)
  {"insert_sheet": "name"}             Insert Sheet
  {"show_sheet": "name"}               Format › Sheet › Show
  {"rename_sheet": "old", "to": "new"} Format › Sheet › Rename (the workbook structure is not enforced)
  {"copy_sheet": "name", "to": "new"}  Sheet › Duplicate Sheet, the copy named `new`, placed last (copyByName)
  {"sheet", "cell", "delete_rows": n}  n rows deleted from the cell's row down (.uno:DeleteRows)
  {"sheet", "cell": "B4:B9", "fill_down": true}
                                       the top cell dragged down with the fill handle over the range
                                       (.uno:FillDown on the selection)
  {"sheet", "cell": "B8:B9", "hide_rows": true}
                                       Format › Rows › Hide on the range's rows (the sheet unprotected first)
  {"sheet", "cell": "B9", "row_height": 30}
                                       Format › Rows › Height on the cell's row (points): a fixed height, which
                                       no text typed later makes taller
  {"sheet", "cell": "B9", "col_width": 3}
                                       the cell's column's width set (points), through the API: no row's
                                       height changes
  {"sheet", "cell": "B9", "col_width": 3, "dialog": true}
                                       Format › Columns › Width on the cell's column (points), through the
                                       dispatcher as the menu does it
  {"sheet", "cell": "B4:B6", "merge": true}
                                       Format › Merge Cells on the range (the sheet unprotected first)
  {"sheet", "show_invalid": true}    Tools › Detective › Mark Invalid Data: the cells LibreOffice circles (their
                                       value breaks their validation, as LibreOffice evaluates it on that cell) are
                                       written to the job's "report" file, {"invalid": {sheet: ["C5", ...]}}; the
                                       marks are removed again (Remove All Traces) before the save
  {"sheet", "cell": "A4:I9", "sort": 3, "descending": false}
                                       Data › Sort on the range by its column `sort` (0-based within the
                                       range), no header row (the sheet unprotected first)
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


FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "xls": "MS Excel 97", "ods": "calc8"}


def prepared(job_path):
    """The job of JOB.json as lo_office.run takes it: (job, what, env)."""
    with open(job_path, encoding="utf-8") as fh:
        job = json.load(fh)
    locale = job.get("locale", "zh_CN.UTF-8")
    env = {**os.environ, "LC_ALL": locale, "LANG": locale}
    return (lambda office, work: _edit(job, office, work)), f"lo_edit {job_path}", env


def main(job_path):
    lo_office.run(*prepared(job_path))


def _edit(job, office, work):
    """The job's edits in `office`; its outputs written once the workbook is saved."""
    src = os.path.join(work, "in" + os.path.splitext(job["src"])[1])  # ASCII paths: some locales need them
    shutil.copy(job["src"], src)
    out = os.path.join(work, "out." + job.get("format", "xlsx"))
    ctx, desktop = office.ctx, office.desktop
    smgr = ctx.ServiceManager
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
    controller = doc.getCurrentController()
    frame = controller.getFrame()

    def dispatch(command, *args):
        dispatcher.executeDispatch(frame, command, "", 0, tuple(args))

    def select(sheet, cell):
        controller.setActiveSheet(doc.Sheets.getByName(sheet))
        dispatch(".uno:GoToCell", prop("ToPoint", cell))

    report = {}
    for e in job.get("edits", []):
        if "insert_sheet" in e:
            doc.Sheets.insertNewByName(e["insert_sheet"], doc.Sheets.getCount())
            continue
        if "show_sheet" in e:
            doc.Sheets.getByName(e["show_sheet"]).IsVisible = True
            continue
        if "copy_sheet" in e:
            doc.Sheets.copyByName(e["copy_sheet"], e["to"], doc.Sheets.getCount())
            continue
        if "rename_sheet" in e:
            doc.Sheets.getByName(e["rename_sheet"]).setName(e["to"])
            continue
        sheet = doc.Sheets.getByName(e["sheet"])
        if e.get("unprotect"):
            controller.setActiveSheet(sheet)
            dispatch(".uno:Protect", prop("Protect", False))
            continue
        if e.get("show_invalid"):
            controller.setActiveSheet(sheet)
            dispatch(".uno:ShowInvalid")
            shapes = sheet.DrawPage
            circled = [shapes.getByIndex(i).Anchor.CellAddress for i in range(shapes.getCount())]
            report.setdefault("invalid", {})[e["sheet"]] = sorted(f"{lo_office.column_letters(a.Column)}{a.Row + 1}" for a in circled)
            dispatch(".uno:ClearArrows")
            continue
        cell = sheet.getCellRangeByName(e["cell"])
        if "input" in e:
            select(e["sheet"], e["cell"])
            dispatch(".uno:EnterString", prop("StringName", e["input"]))
        elif "paste" in e:
            cell.setValue(e["paste"])
            formats = doc.getNumberFormats()
            # format codes are written in en-US syntax: under zh_CN an empty locale took "General" for a
            # date code (ge\ner"al") rather than the General format
            lang = uno.createUnoStruct("com.sun.star.lang.Locale", "en", "US", "")
            key = formats.queryKey(e["format"], lang, False)
            if key == -1:
                key = formats.addNew(e["format"], lang)
            cell.NumberFormat = key
        elif "string" in e:
            cell.setString(e["string"])
        elif "value" in e:
            cell.setValue(e["value"])
        elif e.get("clear"):
            select(e["sheet"], e["cell"])
            dispatch(".uno:ClearContents", prop("Flags", 1 | 2 | 4 | 16))  # values, dates, text, formulas
        elif e.get("fill_down"):
            select(e["sheet"], e["cell"])
            dispatch(".uno:FillDown")
        elif "hide_rows" in e:
            rows = sheet.getCellRangeByName(e["cell"]).getRows()  # Format › Rows › Hide
            rows.IsVisible = not e["hide_rows"]
        elif "sort" in e:  # Data › Sort: the range's rows reordered by one of its columns
            field = uno.createUnoStruct("com.sun.star.table.TableSortField")
            field.Field = int(e["sort"])
            field.IsAscending = not e.get("descending", False)
            descriptor = list(cell.createSortDescriptor())
            for p in descriptor:
                if p.Name == "SortFields":
                    p.Value = uno.Any("[]com.sun.star.table.TableSortField", (field,))
                elif p.Name == "ContainsHeader":
                    p.Value = False
            uno.invoke(cell, "sort", (tuple(descriptor),))
        elif "row_height" in e:
            cell.getRows().Height = round(e["row_height"] * 2540 / 72)  # 1/100 mm; no longer the optimal height
        elif "col_width" in e and e.get("dialog"):  # Format › Columns › Width, as a person does it
            select(e["sheet"], e["cell"])
            dispatch(".uno:ColumnWidth", prop("ColumnWidth", round(e["col_width"] * 2540 / 72)))
        elif "col_width" in e:
            cell.getColumns().Width = round(e["col_width"] * 2540 / 72)  # points, as 1/100 mm
        elif e.get("merge"):
            cell.merge(True)  # Format › Merge Cells (the range's lower cells emptied first, as people do)
        elif "insert_rows" in e:
            for _ in range(int(e["insert_rows"])):
                select(e["sheet"], e["cell"])
                dispatch(".uno:InsertRowsBefore")
        elif "delete_rows" in e:
            for _ in range(int(e["delete_rows"])):
                select(e["sheet"], e["cell"])
                dispatch(".uno:DeleteRows")
    args = [prop("FilterName", FILTERS[job.get("format", "xlsx")])]
    if job.get("password"):
        args.append(prop("Password", job["password"]))
    doc.storeToURL(uno.systemPathToFileUrl(out), tuple(args))  # save first: closing may end soffice
    shutil.copy(out, job["dst"])
    if job.get("report"):
        with open(job["report"], "w", encoding="utf-8") as fh:
            json.dump(report, fh, ensure_ascii=False)
    try:
        doc.close(True)
    except Exception:
        pass  # a crash at close is harmless once the file is saved


if __name__ == "__main__":
    main(sys.argv[1])
