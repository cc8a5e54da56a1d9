"""Consolidate, stage 3: renderers.  The same tables as an xlsx workbook, CSV files or JSON.

``RENDERERS`` maps an output format to a function ``render(tables, totals, target)``; a new
output format is a new entry here and needs no change to collecting or to the tables.
Every output is written atomically, strings always as text (never formulas), and the same
inputs give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from .._atomic import Outputs, stage_dir
from .._check._report import neutralise
from .._form import col_letter
from .._read._safety import OUTPUT_PROPERTY
from ._tables import Table
from ._xlsxrows import rows_xml, splice_rows

FONT = "宋体"


def render_xlsx(tables: list[Table], totals: dict, out, outputs: Outputs) -> None:
    """The summary workbook: one sheet per table; large tables' rows are spliced in after xlsxwriter."""
    final_tmp = outputs.path(out)
    with stage_dir(final_tmp.parent) as work:
        stage = Path(work) / "stage.xlsx"
        wb = xlsxwriter.Workbook(str(stage), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        })
        wb.set_properties({"title": "绩效目标汇总", "author": "xlgoals", "created": dt.datetime(2000, 1, 1)})
        wb.set_custom_property(OUTPUT_PROPERTY, "summary")  # so a later scan never reads it as a return
        f = {
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "align": "center", "font_name": FONT}),
            "money": wb.add_format({"num_format": "#,##0.00", "font_name": FONT}),
            "money_bold": wb.add_format({"num_format": "#,##0.00", "bold": True, "top": 1, "font_name": FONT}),
            "bold": wb.add_format({"bold": True, "top": 1, "font_name": FONT}),
            "pct": wb.add_format({"num_format": "0.0%", "font_name": FONT}),
            "text": wb.add_format({"font_name": FONT}),
        }

        def put(ws, r, c, v, fmt=None):
            if v is None or v == "":
                return
            if isinstance(v, str):
                ws.write_string(r, c, v, fmt or f["text"])  # always text: no formulas from returns
            else:
                ws.write_number(r, c, float(v) if isinstance(v, Decimal) else v, fmt)

        spliced = []
        for table in tables:
            ws = wb.add_worksheet(table.name)
            for c, col in enumerate(table.columns):
                ws.write_string(0, c, col.title, f["head"])
                ws.set_column(c, c, col.width)
            ws.set_row(0, 30)
            ws.freeze_panes(1, 0)
            ws.set_paper(9)
            if table.landscape:
                ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            ws.set_footer("&C第 &P 页，共 &N 页")
            last_col = len(table.columns) - 1
            _conditional(wb, ws, table)
            if table.splice:  # rows go in after close (see _xlsxrows)
                ws.autofilter(0, 0, max(table.count, 1), last_col)
                spliced.append((table, f"xl/worksheets/sheet{len(wb.worksheets())}.xml"))
                continue
            formats = [f[col.fmt] if col.fmt else None for col in table.columns]
            last = 0
            for last, row in enumerate(table.rows(), start=1):
                for c, v in enumerate(row):
                    put(ws, last, c, v, formats[c])
            if table.totals:
                _totals(ws, f, table, totals, last)
                if last >= 1:
                    ws.autofilter(0, 0, last, last_col)
                    _chart(wb, ws, table, last)
            else:
                ws.autofilter(0, 0, max(last, 1), last_col)
        wb.close()
        splice_rows(str(stage), final_tmp, {
            part: (table.rendered() if table.rendered else rows_xml(table.rows(), _styles(table, f)),
                   table.count + 1, len(table.columns) - 1)
            for table, part in spliced})


def _conditional(wb, ws, table: Table) -> None:
    """Conditional formats of a column: a cell equal to a text gets that text's fill and font colour
    (a ``cellIs`` rule, shown alike by Excel, WPS and LibreOffice)."""
    for col, rules in table.conditional:
        for text, fill, font in rules:
            ws.conditional_format(1, col, max(table.count, 1), col, {
                "type": "cell", "criteria": "==", "value": '"' + text.replace('"', '""') + '"',
                "format": wb.add_format({"bg_color": fill, "font_color": font, "bold": True})})


def _styles(table: Table, f: dict) -> dict[int, int]:
    """Cell style ids of a spliced table's formatted columns (xlsxwriter assigns them on first use)."""
    return {c: f[col.fmt].xf_index for c, col in enumerate(table.columns) if col.fmt}


def _totals(ws, f, table: Table, totals: dict, last: int) -> None:
    """A 合计 row of SUM formulas that carry their computed values, and a note below it."""
    total_row = last + 1
    ws.write_string(total_row, 1, "合计", f["bold"])
    for c, key, fmt in table.totals:
        col = col_letter(c)
        formula = f"=SUM({col}2:{col}{last + 1})" if last >= 1 else "=0"
        # the cached value is the exact sum (a Decimal is written as its digits), not a float's rounding
        ws.write_formula(total_row, c, formula, f["money_bold" if fmt == "money" else "bold"], totals[key])
    if table.note:
        ws.write_string(total_row + 2, 1, table.note)


def _chart(wb, ws, table: Table, last: int) -> None:
    spec = table.chart
    if not spec:
        return
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": spec["name"], "categories": [table.name, 1, spec["categories"], last, spec["categories"]],
                      "values": [table.name, 1, spec["values"], last, spec["values"]], "fill": {"color": "#4472C4"}})
    chart.set_title({"name": spec["title"], "name_font": {"name": FONT, "size": 12}})
    chart.set_x_axis({"num_format": "#,##0", "num_font": {"name": FONT}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": max(300, 26 * min(last, 40) + 120)})
    ws.insert_chart(last + 1 + 4, 1, chart)


def render_csv(tables: list[Table], totals: dict, out_dir, outputs: Outputs) -> None:
    """One CSV per table (UTF-8 with BOM, formula-like cells neutralised, amounts exact)."""
    out_dir = Path(out_dir)
    for table in tables:
        with open(outputs.path(out_dir / f"{table.name}.csv"), "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")  # BOM: Excel/WPS read Chinese right
            w.writerow(table.titles)
            for row in table.rows():
                w.writerow([neutralise(v) if isinstance(v, str) else ("" if v is None else v) for v in row])


def _json_row(row) -> str:
    """A JSON array; Decimal amounts are written as their exact digits."""
    return "[" + ", ".join(str(v) if isinstance(v, Decimal) else json.dumps(v, ensure_ascii=False)
                           for v in row) + "]"


def render_json(tables: list[Table], totals: dict, path, outputs: Outputs) -> None:
    """One JSON file: each table under its key, with its title, columns and rows (streamed)."""
    with open(outputs.path(path), "w", encoding="utf-8") as fh:
        fh.write("{\n")
        for t, table in enumerate(tables):
            fh.write(f'  {json.dumps(table.key)}: {{"title": {json.dumps(table.name, ensure_ascii=False)}, '
                     f'"columns": {json.dumps(table.titles, ensure_ascii=False)}, "rows": [')
            first = True
            for row in table.rows():
                fh.write(("\n    " if first else ",\n    ") + _json_row(row))
                first = False
            fh.write("\n  ]}" + (",\n" if t < len(tables) - 1 else "\n"))
        fh.write("}\n")


#: Output format -> renderer(tables, totals, target, outputs).
RENDERERS = {"xlsx": render_xlsx, "csv": render_csv, "json": render_json}
