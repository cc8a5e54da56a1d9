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
from functools import lru_cache
from pathlib import Path

import xlsxwriter

from .._atomic import Outputs, stage_dir
from .._check._report import neutralise
from .._form import col_letter
from .._read._screen import OUTPUT_PROPERTY
from ._tables import Table
from ._xlsxrows import rows_xml, splice_rows

FONT = "宋体"
FONT_SIZE = 10
MIN_SCALE = 80  # printed text no smaller than 8 pt
_MARGIN = 0.4  # inches, left and right
_MM_PER_WIDTH, _MM_PER_COLUMN = 2.24, 1.5  # a column's printed width (LibreOffice, 10 pt), generously


def _fit(table: Table) -> int:
    """The print scale (per cent) at which the printed columns fill one A4 page wide, a little room left:
    clients measure differently."""
    page = (297 if table.landscape else 210) - 2 * _MARGIN * 25.4
    return int(97 * page / sum(_MM_PER_WIDTH * c.width + _MM_PER_COLUMN for c in table.columns if c.printed))


def print_scale(table: Table) -> int:
    """The print scale that fits the printed columns to one A4 page wide, never below MIN_SCALE: a table
    wider than that goes on to a second page across rather than print smaller than 8 pt."""
    return max(MIN_SCALE, min(100, _fit(table)))


def spills(table: Table) -> bool:
    """Whether the printed columns are wider than one page even at MIN_SCALE (they go on to a page across)."""
    return _fit(table) < MIN_SCALE


@lru_cache(maxsize=1)
def _key_titles() -> frozenset:
    """The headings that say which row it is: 序号, the unit, the project (every form's)."""
    from .._form import FORMS

    return frozenset(t for form in FORMS.values() for t in (form.field("/unit").heading,
                                                            form.field("/project/name").heading,
                                                            form.column_label("seq")))


def key_columns(table: Table) -> int:
    """How many leading columns say which row it is (序号, the unit, the project): repeated on the pages across
    of a table that spills, so that a row's further columns can be told apart on paper."""
    n = 0
    while n < len(table.columns) and table.columns[n].title in _key_titles():
        n += 1
    return n


def _last_printed(table: Table) -> int:
    printed = [c.printed for c in table.columns]
    last = max((i for i, p in enumerate(printed) if p), default=len(printed) - 1)
    assert not any(printed[last + 1:]) and all(printed[:last + 1]), "unprinted columns come last"
    return last


def render_xlsx(tables: list[Table], totals: dict, out, outputs: Outputs) -> None:
    """The summary workbook: one sheet per table; large tables' rows are spliced in after xlsxwriter."""
    final_tmp = outputs.path(out)
    with stage_dir(final_tmp.parent) as work:
        stage = Path(work) / "stage.xlsx"
        wb = xlsxwriter.Workbook(str(stage), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            # every cell wraps (rows spliced in carry no style of their own): long names print whole
            "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE, "text_wrap": True,
                                          "valign": "top"},
        })
        wb.set_properties({"title": "绩效目标汇总", "author": "xlgoals", "created": dt.datetime(2000, 1, 1)})
        wb.set_custom_property(OUTPUT_PROPERTY, "summary")  # so a later scan never reads it as a return
        f = {
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "align": "center", "font_name": FONT}),
            "money": wb.add_format({"num_format": "#,##0.00", "font_name": FONT, "valign": "top"}),
            "money_bold": wb.add_format({"num_format": "#,##0.00", "bold": True, "top": 1, "font_name": FONT}),
            "bold": wb.add_format({"bold": True, "top": 1, "font_name": FONT}),
            "pct": wb.add_format({"num_format": "0.0%", "font_name": FONT, "valign": "top"}),
            "text": wb.add_format({"font_name": FONT, "text_wrap": True, "valign": "top"}),
            "title": wb.add_format({"font_name": FONT, "font_size": 14, "bold": True, "align": "center",
                                    "valign": "vcenter"}),
            "dateline": wb.add_format({"font_name": FONT, "align": "right", "valign": "vcenter"}),
            "note": wb.add_format({"font_name": FONT, "text_wrap": False}),
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
            last_col, printed = len(table.columns) - 1, _last_printed(table)
            head = len(table.heading)  # the header row, below the heading lines
            for r, line in enumerate(table.heading):
                ws.merge_range(r, 0, r, printed, line, f["title"] if r == 0 else f["dateline"])
                ws.set_row(r, 26 if r == 0 else 18)
            for c, col in enumerate(table.columns):
                ws.write_string(head, c, col.title, f["head"])
                ws.set_column(c, c, col.width)
            ws.set_row(head, 30)
            ws.freeze_panes(head + 1, 0)
            ws.set_paper(9)
            if table.landscape:
                ws.set_landscape()
            ws.set_margins(left=_MARGIN, right=_MARGIN, top=0.6, bottom=0.6)
            ws.set_print_scale(print_scale(table))
            if printed < last_col:  # paths and digests stay in the workbook, off the page (only spliced tables have them)
                ws.print_area(0, 0, head + max(table.count, 1), printed)
            ws.repeat_rows(head)
            keys = key_columns(table) if spills(table) else 0
            if keys:
                ws.repeat_columns(0, keys - 1)
            ws.set_footer("&C第 &P 页，共 &N 页")
            _conditional(wb, ws, table, head)
            if table.splice:  # rows go in after close (see _xlsxrows)
                ws.autofilter(head, 0, head + max(table.count, 1), last_col)
                spliced.append((table, head, f"xl/worksheets/sheet{len(wb.worksheets())}.xml"))
                continue
            formats = [f[col.fmt] if col.fmt else None for col in table.columns]
            last = head
            for last, row in enumerate(table.rows(), start=head + 1):
                for c, v in enumerate(row):
                    put(ws, last, c, v, formats[c])
            if table.totals:
                _totals(ws, f, table, totals, head, last)
                if last > head:
                    ws.autofilter(head, 0, last, last_col)
                    _chart(wb, ws, table, head, last)
            else:
                ws.autofilter(head, 0, max(last, head + 1), last_col)
        wb.close()
        splice_rows(str(stage), final_tmp, {
            part: (table.rendered() if table.rendered else rows_xml(table.rows(), _styles(table, f),
                                                                    [c.width for c in table.columns if c.printed]),
                   table.count + head + 1, len(table.columns) - 1)
            for table, head, part in spliced}, patch={"xl/styles.xml": _wrap_by_default})


def _wrap_by_default(styles: bytes) -> bytes:
    """Apply the default cell format's alignment (wrapped, top), which xlsxwriter writes without
    ``applyAlignment``: spliced rows carry no style of their own, and clients would not wrap them."""
    head, sep, tail = styles.partition(b"<cellXfs")
    first = tail.index(b"<xf ")
    end = tail.index(b">", first)
    xf = tail[first:end]
    if b"applyAlignment" not in xf:
        xf += b' applyAlignment="1"'
    return head + sep + tail[:first] + xf + tail[end:]


def _conditional(wb, ws, table: Table, head: int) -> None:
    """Conditional formats of a column's rows (below the header row `head`): a cell equal to a text gets that
    text's fill and font colour (a ``cellIs`` rule, shown alike by Excel, WPS and LibreOffice)."""
    for col, rules in table.conditional:
        for text, fill, font in rules:
            ws.conditional_format(head + 1, col, head + max(table.count, 1), col, {
                "type": "cell", "criteria": "==", "value": '"' + text.replace('"', '""') + '"',
                "format": wb.add_format({"bg_color": fill, "font_color": font, "bold": True})})


def _styles(table: Table, f: dict) -> dict[int, int]:
    """Cell style ids of a spliced table's formatted columns (xlsxwriter assigns them on first use)."""
    return {c: f[col.fmt].xf_index for c, col in enumerate(table.columns) if col.fmt}


def _totals(ws, f, table: Table, totals: dict, head: int, last: int) -> None:
    """A 合计 row of SUM formulas that carry their computed values, and a note below it."""
    total_row = last + 1
    ws.write_string(total_row, 1, "合计", f["bold"])
    for c, key, fmt in table.totals:
        col = col_letter(c)
        formula = f"=SUM({col}{head + 2}:{col}{last + 1})" if last > head else "=0"
        # the cached value is the exact sum (a Decimal is written as its digits), not a float's rounding
        ws.write_formula(total_row, c, formula, f["money_bold" if fmt == "money" else "bold"], totals[key])
    if table.note:  # across the printed columns, wrapped, so that it prints whole
        printed = _last_printed(table)
        ws.merge_range(total_row + 2, 0, total_row + 2, printed, table.note, f["text"])
        width = sum(c.width for c in table.columns[:printed + 1])
        ws.set_row(total_row + 2, 14 * (1 + 2 * len(table.note) // max(int(width), 1)) + 4)


def _chart(wb, ws, table: Table, head: int, last: int) -> None:
    spec = table.chart
    if not spec:
        return
    chart = wb.add_chart({"type": "bar"})
    first = head + 1
    chart.add_series({"name": spec["name"],
                      "categories": [table.name, first, spec["categories"], last, spec["categories"]],
                      "values": [table.name, first, spec["values"], last, spec["values"]], "fill": {"color": "#4472C4"}})
    chart.set_title({"name": spec["title"], "name_font": {"name": FONT, "size": 12}})
    chart.set_x_axis({"num_format": "#,##0", "num_font": {"name": FONT}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    chart.set_legend({"none": True})
    # as wide as the printed columns, so that it prints within the page
    width = sum(int(c.width * 7 + 5) for c in table.columns[:_last_printed(table) + 1])
    chart.set_size({"width": width, "height": max(300, 26 * min(last - head, 40) + 120)})
    ws.insert_chart(last + 1 + 4, 0, chart)


def render_csv(tables: list[Table], totals: dict, out_dir, outputs: Outputs) -> None:
    """One CSV per table (UTF-8 with BOM, formula-like cells neutralised, amounts exact)."""
    out_dir = Path(out_dir)
    for table in tables:
        with open(outputs.path(out_dir / f"{table.name}.csv"), "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")  # BOM: Excel/WPS read Chinese right
            w.writerow(table.titles)
            for row in table.rows():
                w.writerow([neutralise(v) if isinstance(v, str) else "" if v is None
                            else exact_digits(v) if isinstance(v, Decimal) else v for v in row])


def exact_digits(d: Decimal) -> str:
    """A Decimal's exact digits, written as the inputs were: no exponent, no trailing zeros after the point
    (230504344, 527450432.35, 0.437), so that CSV and JSON give one amount one way."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def _json_row(row) -> str:
    """A JSON array; Decimal amounts are written as their exact digits."""
    return "[" + ", ".join(exact_digits(v) if isinstance(v, Decimal) else json.dumps(v, ensure_ascii=False)
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
