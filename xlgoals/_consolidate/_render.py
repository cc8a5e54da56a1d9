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
import math
import os
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import xlsxwriter

from .._atomic import Outputs, stage_dir
from .._check._report import neutralise
from .._form import col_letter
from .._paths import TABLES_RECORD
from .._read._safety import file_sha256
from .._read._screen import OUTPUT_PROPERTY
from .._form import _paper
from ._table import CHART_LABELS, YEAR_UNKNOWN, beyond_shown, digits_note, heading_words
from ._tables import Table
from ._xlsxrows import DAY, MONEY, RUN_FONT, Day, Money, Paged, RowSpool, Widest, row_height, rows_xml, splice_rows, text_row, text_units

FONT = RUN_FONT  # 宋体
FONT_SIZE = 10
MIN_SCALE = 80  # printed text no smaller than 8 pt
DITTO = "〃"  # on paper, the same as the row above (_ditto)
FOOTER = "&C第 &P 页，共 &N 页"  # each page of a summary: its number, and the summary's pages (render_xlsx)
_MARGIN = 0.4  # inches, left and right
_TOP_BOTTOM = 0.6  # inches, top and bottom
_MM_PER_WIDTH, _MM_PER_COLUMN = 2.24, 1.5  # a column's printed width (LibreOffice, 10 pt), generously


def _page(table: Table) -> float:
    """The width of the page between its margins (mm)."""
    return (297 if table.landscape else 210) - 2 * _MARGIN * 25.4


def _printed_mm(table: Table, widths) -> float:
    return sum(_MM_PER_WIDTH * w + _MM_PER_COLUMN for c, w in zip(table.columns, widths) if c.printed)


def _declared(table: Table) -> list[float]:
    return [c.width for c in table.columns]


def _fit(table: Table, widths=None) -> int:
    """The print scale (per cent) at which the printed columns (`widths`, the declared by default) fill one A4
    page wide, a little room left: clients measure differently."""
    return int(97 * _page(table) / _printed_mm(table, widths or _declared(table)))


def print_scale(table: Table, widths=None) -> int:
    """The print scale that fits the printed columns to one A4 page wide, never below MIN_SCALE: a table
    wider than that goes on to a second page across rather than print smaller than 8 pt."""
    return max(MIN_SCALE, min(100, _fit(table, widths)))


def spills(table: Table, widths=None) -> bool:
    """Whether the printed columns are wider than one page even at MIN_SCALE (they go on to a page across)."""
    return _fit(table, widths) < MIN_SCALE


def column_widths(table: Table, widest: Widest) -> list[float]:
    """Each column's width, derived from its declaration and the widest values written in it (Col.fitted): wider
    where a number needs it.  What the numbers take, the text columns give back, as far as they can: a table
    prints as wide as declared (or as fits one page at MIN_SCALE, if wider), on as many pages across as before.
    Text wraps (its rows are made as tall as it needs), so a text column gives first the room its text does not
    use, then down to half its width, never narrower than its heading on two lines.  Not in a table whose rows
    the workers rendered: their heights count on the declared widths."""
    numbers = list(widest.numbers) + [0] * (len(table.columns) - len(widest.numbers))
    widths = [col.fitted(n) for col, n in zip(table.columns, numbers)]
    if table.rendered is None:
        allowed = max(_printed_mm(table, _declared(table)), 97 * _page(table) / MIN_SCALE)  # as _fit counts
        excess = (_printed_mm(table, widths) - allowed) / _MM_PER_WIDTH
        if excess > 0:
            _make_room(table, widths, excess + 0.1, numbers, widest.texts or [])
    return widths


def _make_room(table: Table, widths: list[float], excess: float, numbers, texts) -> None:
    """Narrow the printed columns without numbers of `widths` (in place) by `excess` character widths in all, or as
    far as they go (column_widths)."""
    text = [i for i, c in enumerate(table.columns) if c.printed and not numbers[i]]
    least = {i: max(_holding(math.ceil(text_units(table.columns[i].title) / 2)), table.columns[i].width / 2)
             for i in text}  # the heading on two lines; lines at least half as long as declared
    unwrapped = {i: max(least[i], _holding(texts[i]) if i < len(texts) else 0) for i in text}  # no new line
    for floor in (unwrapped, least):
        room = {i: widths[i] - floor[i] for i in text if widths[i] > floor[i]}
        total = sum(room.values())
        if not total:
            continue
        take = min(excess, total)
        for i, r in room.items():
            widths[i] = math.floor((widths[i] - take * r / total) * 10) / 10
        excess -= take
        if excess <= 0:
            return


def _holding(units: float) -> float:
    """The width of a column that holds `units` character widths on one line (as row_height counts them: _paper)."""
    return math.ceil((units + 0.5) / 0.95 * 10) / 10


@lru_cache(maxsize=1)
def _key_titles() -> frozenset:
    """The headings that say which row it is: 序号, the unit, the project (every form's)."""
    from .._form import FORMS

    return frozenset(t for form in FORMS.values() for t in (form.field("/unit").heading,
                                                            form.field("/project/name").heading,
                                                            form.column_label("seq")))


def key_columns(table: Table) -> int:
    """How many leading columns say which row it is (序号, the unit, the project): repeated on the pages across
    of a table that spills, so that a row's further columns can be told apart on paper; as the table declares them
    (Table.keys: 审核's 排名 before the unit and the project)."""
    if table.keys is not None:
        return table.keys
    n = 0
    while n < len(table.columns) and table.columns[n].title in _key_titles():
        n += 1
    return n


def _last_printed(table: Table) -> int:
    printed = [c.printed for c in table.columns]
    last = max((i for i, p in enumerate(printed) if p), default=len(printed) - 1)
    assert not any(printed[last + 1:]) and all(printed[:last + 1]), "unprinted columns come last"
    return last


def render_xlsx(tables: list[Table], totals: dict, out, outputs: Outputs, threads: int = 1,
                exact_in: tuple[str, ...] = ()) -> None:
    """The summary workbook: one sheet per table; large tables' rows are spliced in after xlsxwriter, their sheets
    compressed on up to `threads` threads (the bytes do not depend on their number).  `exact_in`: the outputs
    written with it ("CSV", "JSON"), where a note on amounts beyond 15 digits (digits_note) sends the reader."""
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
            "day": wb.add_format({"num_format": "yyyy-mm-dd", "font_name": FONT, "valign": "top"}),
            "text": wb.add_format({"font_name": FONT, "text_wrap": True, "valign": "top"}),
            "title": wb.add_format({"font_name": FONT, "font_size": 14, "bold": True, "align": "center",
                                    "valign": "vcenter"}),
            "dateline": wb.add_format({"font_name": FONT, "align": "right", "valign": "vcenter"}),
            "note": wb.add_format({"font_name": FONT, "text_wrap": False}),
            "ditto": wb.add_format({"num_format": f';;;"{DITTO}"'}),  # a text shown as 〃 (_ditto)
        }
        f["money"]._get_xf_index()  # a style id now, for Money values spliced into any column (_styles)
        f["day"]._get_xf_index()  # and for dates (Day)
        f["text"]._get_xf_index()  # and for a note spliced below a table's rows (_with_note)

        def put(ws, r, c, v, fmt=None):
            if v is None or v == "":
                return
            if type(v) is Day:  # a date the reader understood: a date cell
                ws.write_number(r, c, v.serial, f["day"])
            elif isinstance(v, str):
                ws.write_string(r, c, v, fmt or f["text"])  # always text: no formulas from returns
            elif type(v) is Money:  # an amount among other numbers: money, as every amount is
                ws.write_number(r, c, float(v), f["money"])
            else:
                ws.write_number(r, c, float(v) if isinstance(v, Decimal) else v, fmt)

        spliced, spools = [], []
        charts = []  # the chart sheets, added after every table's sheet (_chart)
        paged = {}  # sheet part -> its manual page breaks (_paged)
        named = next((t.heading[0] for t in tables if t.heading), "")  # the summary's title: its year, its forms
        try:
            for table in tables:
                # the rows stream once: measured as they are spooled, written once their columns' widths are known
                money = [c for c, col in enumerate(table.columns) if col.fmt == "money"]
                beyond = [0]  # the rows with an amount no spreadsheet shows exactly, counted as they are spooled
                rows = None if table.rendered else RowSpool(_counted(table.rows(), money, beyond),
                                                            [c.fmt for c in table.columns])
                if rows is not None:
                    spools.append(rows)
                    extra = digits_note(table, totals, exact_in, beyond[0])  # such amounts: said below the rows
                    if extra:
                        table = replace(table, note=f"{table.note}\n{extra}" if table.note else extra)
                ws = wb.add_worksheet(table.name)
                last_col, printed = len(table.columns) - 1, _last_printed(table)
                head = len(table.heading)  # the header row, below the heading lines
                widths = column_widths(table, _widest(table, rows, totals))
                titles = 0  # the heading lines' height (_paged: the first page's room less them)
                for r, line in enumerate(table.heading):
                    ws.merge_range(r, 0, r, printed, line, f["title"] if r == 0 else f["dateline"])
                    h = 26 if r == 0 else 18
                    ws.set_row(r, h)
                    titles += h
                headings = [printed_heading(col, w) if table.break_headings else col.title
                            for col, w in zip(table.columns, widths)]
                for c, col in enumerate(table.columns):
                    ws.write_string(head, c, headings[c], f["head"])
                    ws.set_column(c, c, widths[c])
                # two lines, or as many as a heading wraps to in a narrow column (a fixed 30 cut a third line), bold
                head_height = max(30, row_height(headings[:printed + 1], widths[:printed + 1], bold=True) or 0)
                ws.set_row(head, head_height)
                ws.freeze_panes(head + 1, 0)
                ws.set_paper(9)
                if table.landscape:
                    ws.set_landscape()
                ws.set_margins(left=_MARGIN, right=_MARGIN, top=_TOP_BOTTOM, bottom=_TOP_BOTTOM)
                if table.fit_width:
                    ws.fit_to_pages(table.pages_across, 0)  # one page wide (or pages_across), as many down as it takes
                else:
                    ws.set_print_scale(print_scale(table, widths))
                if printed < last_col:  # paths and digests stay in the workbook, off the page: every row printed, the
                    # 合计 row and the note below included (the print area ended at the last row once: the note of
                    # 审核 did not print)
                    ws.print_area(0, 0, _last_row(table, head), printed)
                ws.repeat_rows(head)
                keys = key_columns(table) if (spills(table, widths) and not table.fit_width) or \
                    (table.fit_width and table.pages_across > 1) else 0
                if keys:
                    ws.repeat_columns(0, keys - 1)
                # each sheet's pages name the sheet and the summary (a loose page of 绩效指标 said neither) and say
                # which page of the summary's pages they are: numbered on through the workbook, as &N counts the
                # workbook's pages in Excel and LibreOffice alike (no header code counts a sheet's own; numbered from
                # 1 on each sheet, its first page said 第 1 页，共 19 页), so that a bureau filing the printed summary
                # sees that no page is missing.  A sheet printed alone is numbered 1 to its pages by Excel
                ws.set_footer(FOOTER)
                ws.set_header(page_header(named, table.name))
                _conditional(wb, ws, table, head)
                # an indicator sheet's pages broken by us, each starting with its names (_paged); one that needs
                # more breaks than Excel keeps prints the names on every row, 〃 on none (a page the client breaks
                # would start with 〃); every row is as tall as its names need either way (a filter hiding the row
                # above shows them again, SUBTOTAL(103))
                pages = _paged(table, head, widths, titles, head_height) \
                    if table.splice and table.ditto and table.count >= 2 else None
                if pages is not None and pages.over(table.rendered() if table.rendered else (), table.count):
                    pages = None
                ditto = _ditto(ws, table, head, f["ditto"]) if pages is not None or not table.splice else None
                if table.splice:  # rows go in after close (see _xlsxrows)
                    ws.autofilter(head, 0, head + max(table.count, 1), last_col)
                    part = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"
                    spliced.append((table, head, part, rows, widths))
                    if ditto:  # its pages broken by us: each starts with its names
                        pages.ditto = ditto
                        paged[part] = pages
                    continue
                formats = [f[col.fmt] if col.fmt else None for col in table.columns]
                on_paper = widths[:printed + 1]
                last = head
                labels = []  # the chart's categories, row by row (a year unknown among them is labelled so)
                for last, row in enumerate(rows, start=head + 1):
                    if table.chart:
                        labels.append(row[table.chart["categories"][0]:table.chart["categories"][1] + 1])
                    for c, v in enumerate(row):
                        put(ws, last, c, v, formats[c])
                    height = row_height(row, on_paper)  # wrapped text prints whole
                    if height:
                        ws.set_row(last, height)
                if table.totals:
                    _totals(ws, f, table, totals, head, last, widths)
                    if last > head:  # the filter over the chart's labels too, where it has its own (_chart)
                        ws.autofilter(head, 0, last, _chart(wb, ws, table, head, last, widths, labels, f["text"],
                                                                   named, charts)
                                      or last_col)
                else:
                    ws.autofilter(head, 0, max(last, head + 1), last_col)
                    _note(ws, f, table, max(last, head + 1) + 2, widths)
            for add in charts:  # after the data sheets: each keeps its position (项目清单 second), alike in every form
                add()
            wb.close()
            splice_rows(str(stage), final_tmp, {
                part: (_with_note(table.rendered() if table.rendered
                                  else rows_xml(rows, _styles(table, f), widths[:_last_printed(table) + 1]),
                                  table, f["text"].xf_index, widths),
                       table.count + head + 1 + _note_rows(table), len(table.columns) - 1,
                       [f"A{table.count + head + 3}:{col_letter(_last_printed(table))}{table.count + head + 3}"]
                       if table.note and _last_printed(table) else [])
                for table, head, part, rows, widths in spliced}, patch={"xl/styles.xml": _wrap_by_default},
                threads=threads, paged=paged)
        finally:
            for rows in spools:
                rows.close()


def page_header(title: str, sheet: str) -> str:
    """A summary sheet's page header: the sheet's name and the summary's title (项目清单　2020年度项目支出绩效目标汇总),
    centred, 10 pt as the sheet's text (printed at the sheet's scale, no smaller than its smallest: 8 pt), a
    header's & written &&; a space after the size code where the text starts with a digit, which the code would take
    as its own (&102020 is no size)."""
    text = "　".join(t for t in (sheet, " ".join(title.split())) if t).replace("&", "&&")
    return f"&C&10{' ' if text[:1].isdigit() else ''}{text}" if text else ""


def printed_heading(col, width: float) -> str:
    """A column's heading as its header cell prints it (bold) in a column `width` wide, in a table that breaks its
    headings (Table.break_headings): the title where it fits on one line; else its words (heading_words) on as few
    lines as hold them, each line broken between two words (a word longer than a line wraps where the client fills
    the line)."""
    per = _paper._per_line(width * _paper.BOLD, FONT_SIZE, FONT_SIZE)
    if text_units(col.title) <= per:
        return col.title
    lines, line = [], ""
    for word in heading_words(col):
        if line and text_units(line + word) > per:
            lines.append(line)
            line = word
        else:
            line += word
    return "\n".join([*lines, line])


def _last_row(table: Table, head: int) -> int:
    """The last row (0-based) a table's sheet writes: its rows' (one blank row at least; a spliced table's, as many as
    it has), then the 合计 row, then the note two rows below (as render_xlsx, _totals, _note and _with_note place
    them)."""
    last = head + max(table.count, 1)
    if table.totals and not table.splice:
        last += 1
    return last + _note_rows(table)


def _note_rows(table: Table) -> int:
    """The rows a table's note takes below its rows: a blank row, then the note (_note, _with_note)."""
    return 2 if table.note else 0


def _counted(rows, money: list[int], beyond: list[int]):
    """`rows` as they are, each with an amount (in a `money` column) no spreadsheet shows exactly counted in
    ``beyond[0]``."""
    if not money:
        yield from rows
        return
    for row in rows:
        if beyond_shown(row, money):
            beyond[0] += 1
        yield row


def _with_note(chunks, table: Table, style: int, widths: list[float]):
    """A spliced table's rendered rows, then its note two rows below them (a blank row between), as _note writes a
    table's note: wrapped (`style`), across the printed columns (merged by splice_rows), as tall as it needs."""
    yield from chunks
    if table.note:
        printed = _last_printed(table)
        height = row_height([table.note], [sum(widths[:printed + 1])]) or 18
        yield ("<row></row>" + text_row(table.note, style, height)).encode("utf-8")


def _widest(table: Table, rows: RowSpool | None, totals: dict) -> Widest:
    """The widest value of each column: of the rows as spooled (or as the workers measured them) and of the
    totals row, in bold."""
    widest = rows.widest if rows is not None else Widest([c.fmt for c in table.columns], texts=False)
    widest.update(table.measured)
    for c, key, _ in table.totals:
        widest.number(c, totals[key], bold=True)
    return widest


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


def _ditto(ws, table: Table, head: int, fmt) -> str | None:
    """A table's Table.ditto columns (its unit and project, on an indicator sheet) printed once a block: below the
    first row (after the header row `head`), a cell whose row has the key of the row above shows 〃 by a conditional
    number format (its text section), which Excel, WPS and LibreOffice apply alike; the cell keeps its value, so a
    filter, a sort or a copy sees every row's.  Evaluated on the rows as they stand: sorted otherwise, each block
    that comes together is again named once.  Only below a row that shows: ``SUBTOTAL(103, …)`` of the row above
    counts it only where no filter (nor hand) hides it, in Excel, WPS and LibreOffice alike, so that a row whose
    row above a filter hides names its return (filtered on 三级指标, every printed row showed 〃, the page naming no
    project, or a project's first row 〃 right under another project's row).  A spliced sheet's pages are broken by
    us (_paged), each further page's first row left out of the rule: a page read apart names its return.  The
    rule's range (A1, as _paged takes it), None when the table has none."""
    if not table.ditto or table.count < 2:
        return None
    (c0, c1), key = table.ditto
    k, first = col_letter(key), head + 2  # 0-based: the table's second row
    this, above = f"${k}{first + 1}", f"${k}{first}"
    ws.conditional_format(first, c0, head + table.count, c1, {
        "type": "formula", "criteria": f'=AND({this}<>"",{this}={above},SUBTOTAL(103,{above})=1)', "format": fmt})
    return f"{col_letter(c0)}{first + 1}:{col_letter(c1)}{head + table.count + 1}"


#: The share of a page's room the rows a page break lays on it may fill: clients measure rows and pages a little
#: differently, and a page of ours must never run over into a break of the client's own (which would start a page
#: with 〃 again, and leave a few rows on a page of their own)
_PAGE_FILL = 0.9


def _paged(table: Table, head: int, widths, titles: float, header: float) -> Paged:
    """The manual page breaks of `table`'s indicator sheet (Table.ditto): the rows (their heights as written) laid
    on pages of the room an A4 page has at the sheet's scale (less `titles`, the heading lines, on the first page,
    and the `header` row repeated atop each), a page broken before the row that would not fit, each further page's
    first row left out of the 〃 rule (_ditto): a page read apart from the others names the return its rows are
    of.  Filled to _PAGE_FILL of the room, so that a client breaks the pages where we do."""
    body = _page_pixels(table, widths) * 3 / 4 * _PAGE_FILL
    return Paged((body - titles - header, body - header), 15.0, head + 2, None)


def _styles(table: Table, f: dict) -> dict[int, int]:
    """Cell style ids of a spliced table's formatted columns (xlsxwriter assigns them on first use)."""
    return {c: f[col.fmt].xf_index for c, col in enumerate(table.columns) if col.fmt} | {MONEY: f["money"].xf_index,
                                                                                      DAY: f["day"].xf_index}


def _totals(ws, f, table: Table, totals: dict, head: int, last: int, widths: list[float]) -> None:
    """A 合计 row of SUM formulas that carry their computed values, and a note below it."""
    total_row = last + 1
    ws.write_string(total_row, 1, "合计", f["bold"])
    for c, key, fmt in table.totals:
        col = col_letter(c)
        formula = f"=SUM({col}{head + 2}:{col}{last + 1})" if last > head else "=0"
        # the cached value is the exact sum (a Decimal is written as its digits), not a float's rounding
        ws.write_formula(total_row, c, formula, f["money_bold" if fmt == "money" else "bold"], totals[key])
    _note(ws, f, table, total_row + 2, widths)


def _note(ws, f, table: Table, r: int, widths: list[float]) -> None:
    """The table's note at row `r`: across the printed columns, wrapped, so that it prints whole."""
    if table.note:
        printed = _last_printed(table)
        ws.merge_range(r, 0, r, printed, table.note, f["text"])
        ws.set_row(r, row_height([table.note], [sum(widths[:printed + 1])]) or 18)


def chart_sheet(table: Table) -> str:
    """The name of the sheet of `table`'s chart (汇总图)."""
    return f"{table.name}图"


def _chart(wb, ws, table: Table, head: int, last: int, widths: list[float], labels: list,
           text_format, named: str, charts: list) -> int | None:
    """The summary's bar chart, on a sheet of its own (chart_sheet), of the table's cells: appended to `charts` as a
    function that adds that sheet, which render_xlsx calls after every table's sheet (second, it shifted every data
    sheet's position, in the goal summary only: a script's ``sheet_name=1`` read the chart's empty sheet);
    the last column of its own labels where it has them (the filter covers them), else None.  On the table's sheet
    the chart printed on a page of its own, but under the table's header row, which a sheet repeats atop every page
    (print titles): its own sheet repeats none.  It is as wide as the table's printed columns and no taller than
    the page holds (a chart of 40 units once ran over a page break, its second half on the next page, no axis);
    `named`: the summary's title, for its page header."""
    spec = table.chart
    if not spec:
        return None
    chart = wb.add_chart({"type": "bar"})
    first = head + 1
    labelled = False
    c0, c1 = spec["categories"]
    if c1 > c0 and any(label[-1] is None for label in labels):
        # a bar of no year (年度不明, its 预算年度 cell left blank as the note says) had the unit and no year under
        # it: the chart's categories are then labels of their own, in the columns right beside the table, on the
        # same rows, the year unknown named.  They are in the filter's range (the caller widens it): a filter hides
        # a row's label with its bar, and a sort from its dropdown moves them together (a column apart, outside the
        # range, a sort left the labels on the wrong bars).  The columns are not hidden: a chart shows visible cells
        # only (plotVisOnly, which makes it follow the filter), and a label in a hidden column would be dropped; the
        # print area keeps them off the page (the table printed)
        at = len(table.columns)
        for c in range(c0, c1 + 1):
            ws.set_column(at + c - c0, at + c - c0, widths[c])
        ws.write_string(head, at, CHART_LABELS, text_format)
        for c in range(c0 + 1, c1 + 1):  # each further level (预算年度) headed by its column's heading, from the form
            ws.write_string(head, at + c - c0, f"{CHART_LABELS}（{table.columns[c].title}）", text_format)
        for r, label in enumerate(labels, start=first):
            for c, v in enumerate(label):
                shown = YEAR_UNKNOWN if v is None and c == len(label) - 1 else v
                if shown is not None:
                    ws.write_string(r, at + c, str(shown), text_format)
        c0, c1 = at, at + c1 - c0
        labelled = True
    chart.add_series({"name": spec["name"],  # columns c0..c1: categories of several levels (unit, then year)
                      "categories": [table.name, first, c0, last, c1],
                      "values": [table.name, first, spec["values"], last, spec["values"]], "fill": {"color": "#4472C4"}})
    chart.set_title({"name": spec["title"], "name_font": {"name": FONT, "size": 12}})
    # the value axis starts at 0 (budgets are never negative): clients left to choose (LibreOffice; Excel when
    # the amounts are close) start it near the smallest bar, which makes small differences look large
    chart.set_x_axis({"num_format": "#,##0", "num_font": {"name": FONT}, "min": 0})
    chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
    chart.set_legend({"none": True})
    # as wide as the printed columns, so that it prints within the page
    width = sum(int(w * 7 + 5) for w in widths[:_last_printed(table) + 1])
    height = min(max(300, 26 * min(last - head, 40) + 120), _page_pixels(table, widths))
    chart.set_size({"width": width, "height": height})
    scale = _scale(table, widths)  # the table's: the chart prints as wide as its printed columns

    def add() -> None:
        cs = wb.add_worksheet(chart_sheet(table))
        cs.set_paper(9)
        if table.landscape:
            cs.set_landscape()
        cs.set_margins(left=_MARGIN, right=_MARGIN, top=_TOP_BOTTOM, bottom=_TOP_BOTTOM)
        cs.set_print_scale(scale)
        cs.set_footer(FOOTER)
        cs.set_header(page_header(named, chart_sheet(table)))
        cs.insert_chart(0, 0, chart)
        cs.print_area(0, 0, -(-height // 20), -(-width // 64))  # the chart, in default rows (20 px) and columns (64 px)

    charts.append(add)
    if labelled:  # the printed columns of the table, its 合计 row and note: the labels stay off the page
        ws.print_area(0, 0, _last_row(table, head), _last_printed(table))
        return c1
    return None


def _scale(table: Table, widths) -> int:
    """The print scale (per cent) `table` prints at (render_xlsx): fitted to the page's width, or print_scale."""
    return min(100, _fit(table, widths)) if table.fit_width else print_scale(table, widths)


def _page_pixels(table: Table, widths) -> int:
    """The height (pixels, in the sheet's points at `table`'s print scale) of an A4 page of `table` between its top
    and bottom margins (0.6 in), less a little room: clients measure differently."""
    body = (210 if table.landscape else 297) / 25.4 * 72 - 2 * _TOP_BOTTOM * 72
    return int((body / (_scale(table, widths) / 100) - 24) * 4 / 3)


def render_csv(tables: list[Table], totals: dict, out_dir, outputs: Outputs, form: str | None = None) -> None:
    """One CSV per table (UTF-8 with BOM, formula-like cells neutralised, amounts exact).  A table an earlier run of
    this form (`form`) wrote to the folder and this one does not (its 审核 tables, a table renamed) is removed with the
    commit, so that the folder holds this form's tables of one run; the record in the folder (TABLES_RECORD) says
    which they are.  Another form's tables stay (goal tables and self-evaluations summarised into one folder), and
    so does a table saved again since (its bytes no longer those written), and any file xlgoals did not record."""
    out_dir = Path(out_dir)
    form = form or ""
    names = {f"{table.name}.csv" for table in tables}
    record = _read_record(out_dir)
    _retire_other_tables(out_dir, names, outputs, record, form)
    written = {}
    for table in (t.as_data for t in tables):  # the layout a script reads, fixed (Table.data)
        tmp = outputs.path(out_dir / f"{table.name}.csv")
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh, lineterminator="\r\n")  # BOM: Excel/WPS read Chinese right
            # the titles too: a column per 一级指标 name met is titled by what a department typed
            w.writerow([neutralise(t) for t in table.titles])
            for row in table.rows():
                w.writerow([neutralise(v) if isinstance(v, str) else "" if v is None
                            else exact_digits(v) if isinstance(v, Decimal) else _whole(v) for v in row])
        written[f"{table.name}.csv"] = {"form": form, "sha256": file_sha256(tmp)}
    folded = {name.casefold() for name in names}
    kept = {name: entry for name, entry in record.items()  # another form's, still there; this form's are this run's
            if entry.get("form") != form and name.casefold() not in folded and os.path.isfile(out_dir / name)}
    entries = {**kept, **written}
    body = ",\n".join(f"    {json.dumps(name, ensure_ascii=False)}: {json.dumps(entries[name], sort_keys=True)}"
                      for name in sorted(entries))
    # the record is never written through a link (one there is replaced: the name is xlgoals's own, and a link was
    # never read as the record either, _read_record), so that what a link there points to is left as it is
    with open(outputs.path(out_dir / TABLES_RECORD), "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{\n  "xlgoals_csv_tables": 1,\n  "tables": {\n' + body + "\n  }\n}\n")


def _read_record(out_dir: Path) -> dict:
    """The tables an earlier run recorded in `out_dir` (TABLES_RECORD): file name -> {"form", "sha256"}; none when
    there is no record, or one that is not a regular file or cannot be read as written."""
    path = out_dir / TABLES_RECORD
    try:
        if not os.path.isfile(path) or os.path.islink(path):
            return {}
        with open(path, encoding="utf-8") as fh:
            tables = json.load(fh).get("tables")
    except (OSError, ValueError, AttributeError, RecursionError):  # RecursionError: nested beyond the parser's depth
        return {}
    if not isinstance(tables, dict):
        return {}
    return {name: entry for name, entry in tables.items() if isinstance(name, str) and isinstance(entry, dict)
            and isinstance(entry.get("form"), str) and isinstance(entry.get("sha256"), str)
            and _plain_name(name)}  # a run writes its tables in the folder itself: a name with a folder is none of them


def _plain_name(name: str) -> bool:
    """Whether `name` is a file's name in a folder (no folder in it: not ../x.csv, sub/x.csv nor a whole path)."""
    return name not in ("", ".", "..") and "/" not in name and "\\" not in name and "\0" not in name


def _retire_other_tables(out_dir: Path, names: set, outputs: Outputs, record: dict, form: str) -> None:
    """Retire (Outputs.retire) each regular file directly in `out_dir` that an earlier run of this `form` recorded
    writing (`record`) and that is still as written (its SHA-256), when this run does not write it (`names`, compared
    as a disk that ignores case would: 汇总.CSV there is this run's 汇总.csv).  The record only narrows what goes: a
    file must also be one of xlgoals's CSV tables by its name and header (written_as_csv_table, what an output path
    replaces without --force), so that a record edited by hand or made elsewhere, naming a return, a note or a
    department's CSV with its SHA-256 (`--csv 收件箱`), removes none of them."""
    from .._paths import written_as_csv_table

    try:
        listed = sorted(os.scandir(out_dir), key=lambda e: e.name)
    except OSError:  # not there yet: nothing earlier
        return
    folded = {name.casefold() for name in names}
    for entry in listed:
        mine = record.get(entry.name)
        if entry.name.casefold() in folded or not mine or mine["form"] != form:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            with open(entry.path, "rb") as fh:  # its header first: a recorded name is hashed only when a table's
                if not written_as_csv_table(entry.name, fh.read(8192)):
                    continue
            if file_sha256(entry.path) != mine["sha256"]:  # "" when unreadable: it stays
                continue
        except OSError:
            continue
        outputs.retire(entry.path)


def exact_digits(d: Decimal) -> str:
    """A Decimal's exact digits, written as the inputs were: no exponent, no trailing zeros after the point
    (230504344, 527450432.35, 0.437), so that CSV and JSON give one amount one way."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("", "-0") else s


def _whole(v):
    """A whole float as the integer it is (a rate of 1, a gap of -20 points: not 1.0, -20.0), as amounts are; any
    other finite float (a target of 0.00001) as its plain digits, as typed, never with an exponent (1e-05), as
    amounts are written (exact_digits of its shortest repr)."""
    if isinstance(v, float) and math.isfinite(v):
        return int(v) if v.is_integer() else exact_digits(Decimal(repr(float(v))))
    return v


def _json_row(row) -> str:
    """A JSON array; Decimal amounts are written as their exact digits, whole numbers without a point."""
    return "[" + ", ".join(map(_json_value, row)) + "]"


def _json_value(v) -> str:
    """One value of a JSON row: a number as its plain digits (a Decimal's exact ones, a float's shortest: 0.00001,
    never 1e-05), whole numbers without a point, anything else as json writes it."""
    if isinstance(v, Decimal):
        return exact_digits(v)
    if isinstance(v, float) and math.isfinite(v):
        return str(_whole(v))  # (the digits of a number: a JSON number, unquoted)
    return json.dumps(v, ensure_ascii=False)


def render_json(tables: list[Table], totals: dict, path, outputs: Outputs, form: str | None = None) -> None:
    """One JSON file: each table under its key, with its title, columns and rows (streamed), and for a table with a
    合计 row its ``totals`` by column, as exact as the rows (a script need not add the amounts up itself; the counted
    returns whose amount is not in them by column: ``totals_missing``, not read, ``totals_held_out``, a monitoring
    report's warned of as in 万元; ``scores_left_out``, the self-evaluations not graded, their funds score not
    recomputable from an amount held out); then
    ``counts``, what became of the files (counted, failing counted all the same, failed not counted, duplicates:
    these add up to ``files``; not checked and ignored apart); last, the ``form`` of the returns (``goal-table``, ``self-evaluation``, ``monitoring``), when given."""
    with open(outputs.path(path), "w", encoding="utf-8") as fh:
        fh.write("{\n")
        for t, table in enumerate(t.as_data for t in tables):  # the layout a script reads, fixed (Table.data)
            fh.write(f'  {json.dumps(table.key)}: {{"title": {json.dumps(table.name, ensure_ascii=False)}, '
                     f'"columns": {json.dumps(table.titles, ensure_ascii=False)}, "rows": [')
            first = True
            for row in table.rows():
                fh.write(("\n    " if first else ",\n    ") + _json_row(row))
                first = False
            fh.write("\n  ]")
            if table.totals:
                sums = ", ".join(f"{json.dumps(table.titles[c], ensure_ascii=False)}: {_json_row([totals[key]])[1:-1]}"
                                 for c, key, _ in table.totals)
                fh.write(f', "totals": {{{sums}}}')
                missing = totals.get("amounts_missing") or {}  # counted, their amounts not read: not in those sums
                unread = {table.titles[c]: missing[key] for c, key, _ in table.totals if missing.get(key)}
                if unread:
                    fh.write(f', "totals_missing": {json.dumps(unread, ensure_ascii=False)}')
                held = totals.get("amounts_held_out") or {}  # counted, their amounts warned of as in 万元: not in them
                held = {table.titles[c]: held[key] for c, key, _ in table.totals if held.get(key)}
                if held:
                    fh.write(f', "totals_held_out": {json.dumps(held, ensure_ascii=False)}')
                unrated = totals.get("amounts_unrated")  # counted, their amounts in those sums, not in the rates
                if unrated and table.key == "summary":
                    fh.write(f', "rates_left_out": {json.dumps(unrated)}')
                unscored = totals.get("scores_held_out")  # counted, not graded: a funds score not recomputable
                if unscored and table.key == "summary":
                    fh.write(f', "scores_left_out": {json.dumps(unscored)}')
            if table.key == "summary" and "months" in totals:  # the reports' months (monitoring), which no title names
                fh.write(f', "months": {json.dumps(totals["months"])}')
            for key in ("marks", "project_marks"):  # monitoring: the units' and projects' progress marks, as counted
                if table.key == "summary" and key in totals:  # on the terminal's line (红 0 个，黄 1 个，绿 0 个)
                    fh.write(f', {json.dumps(key)}: {json.dumps(totals[key], ensure_ascii=False)}')
            fh.write("}" + (",\n" if t < len(tables) - 1 or form or "files" in totals else "\n"))
        if "files" in totals:  # what became of the files, each counted once: they add up as the terminal's line
            from ._table import UnitProjectSummary

            fh.write(f'  "counts": {json.dumps(UnitProjectSummary.counts(totals))}' + (",\n" if form else "\n"))
        if form:  # last: the file's first lines are how a day-old output in the inbox is known (_paths)
            fh.write(f'  "form": {json.dumps(form)}\n')
        fh.write("}\n")


#: Output format -> renderer(tables, totals, target, outputs).
RENDERERS = {"xlsx": render_xlsx, "csv": render_csv, "json": render_json}
