"""Lay out a form with xlsxwriter: blank templates, prefilled templates and filled returns.

One function, ``build_workbook``, lays out any form from its declaration (``_form``) and
optionally writes a document's values into it; the template, prefill and fill commands are
thin wrappers.  Nothing here knows a label or a position: they all come from the form.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import zipfile

import xlsxwriter
from xlsxwriter.utility import xl_range

from .._form import COMPARATOR_DISPLAY, GOAL_TABLE, KINDS, Form, col_letter, column_ref, target_in_words
from .._frameworks import Framework, made_params
from .._form._cells import runs
from .._form._ids import ids_properties
from .._form._model import MADE_WITH, made_with_of
from .._form._lists import dropdown_lists
from .._form._locked import COUNT_PROPERTY as LOCK_COUNT, locked_keys, property_name as locked_property, rows_properties, \
    stored as locked_value
from .._form._paper import BOLD, FONT_SIZE, MAX_ROW_HEIGHT, fitted_size, needed_height
from .._pointers import get
from ._formats import CAPTION_SIZE, FONT, _Formats  # noqa: F401 (FONT is part of this module's interface)


def legacy_password_hash(password: str) -> str:
    """The 16-bit hash Excel uses for sheet and workbook protection passwords."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password)
    digest ^= 0xCE4B
    return f"{digest:X}"


def _text_height(text: str | None, width: float, minimum: float = 150, size: float = FONT_SIZE) -> float:
    """A row height (points) that shows all of a wrapped text when printed, within Excel's limit."""
    if not text:
        return minimum
    return min(MAX_ROW_HEIGHT, max(minimum, needed_height(text, width, size)))


def _fitted(text: str | None, width: float, minimum: float) -> tuple[float, float]:
    """The row height and font size that print all of a wrapped text: the normal size while the row it needs
    stays within Excel's limit (409 pt), else the largest smaller size (in half points) at which it does."""
    if not text:
        return minimum, FONT_SIZE
    size, needed = fitted_size(text, width)
    return min(MAX_ROW_HEIGHT, max(minimum, needed)), size


def _protect(ws, password: str | None, rows: bool = False):
    """Protect a sheet: only input cells editable; with `rows`, inserting and deleting rows allowed."""
    ws.protect(password or "", {"select_locked_cells": True, "select_unlocked_cells": True,
                                "format_rows": True, "format_columns": True, "insert_rows": rows,
                                "delete_rows": rows})


def _print_setup(ws, setup, landscape: bool | None = None):
    ws.set_paper(setup.paper)
    if setup.landscape if landscape is None else landscape:
        ws.set_landscape()
    ws.fit_to_pages(setup.fit_width, 0)  # one page wide, as many tall as needed
    left, right, top, bottom = setup.margins
    ws.set_margins(left=left, right=right, top=top, bottom=bottom)
    if setup.center:
        ws.center_horizontally()
    ws.set_footer(setup.footer)
    if setup.repeat_rows:
        ws.repeat_rows(*setup.repeat_rows)


def _print_header(ws, setup, values: dict) -> None:
    """The page header `setup` declares, naming the values of its header_fields the template locks (the unit, the
    project): every printed page, the stamped one too, says what return it belongs to.  No header where the
    template locks none of them (a blank template: the department types them, which a header cannot follow)."""
    header = setup.header_text(values)
    if header:
        ws.set_header(header)


def _write_lists_sheet(wb, form: Form, fw: Framework, password, library=None):
    ws = wb.add_worksheet(form.lists_sheet)
    lists = dropdown_lists(form, fw, library)
    for col, (name, items) in enumerate(lists.items()):
        ws.write_string(0, col, name)
        for row, item in enumerate(items, start=1):
            ws.write_string(row, col, item)
        letter = col_letter(col)
        last = max(len(items), 1) + 1
        wb.define_name(name, f"='{form.lists_sheet}'!${letter}$2:${letter}${last}")
        ws.set_column(col, col, 18)
    ws.very_hidden()
    _protect(ws, password)
    return ws


def _guide_labels(form: Form, fw: Framework) -> dict[str, str]:
    """Names the guide may use: {info}, {table}, {stamp}, {first_row} (the row number of the table's first item
    row, as the sheet shows it) and each column's key, the column as the framework's sheet heads it (a custom
    framework's 一级类别, national-2021's 指标值); {name_named}, the name column's with 名称 (三级指标名称), once
    where its label says it already (a bureau's 指标名称: not 指标名称名称)."""
    names = {c.key: c.label for c in form.table.columns}
    names.update({c.key: c.label for c in form.columns(fw)})
    if "name" in names:
        names["name_named"] = names["name"] if names["name"].endswith("名称") else names["name"] + "名称"
    return {**names, **_comparator_words(fw), "info": form.info.name, "table": form.table.name,
            "stamp": form.info.stamp_label, "first_row": str(form.table.first_row + 1)}


def _comparator_words(fw: Framework) -> dict[str, str]:
    """{quantitative}: the framework's comparators for a number (＝、≥、≤ where it offers those only), as the
    guide and the comparator column's prompt list them; {qualitative}: its word for a text target, or ""."""
    offered = [c for c in (getattr(fw, "comparators", None) or COMPARATOR_DISPLAY) if c in COMPARATOR_DISPLAY]
    return {"quantitative": "、".join(COMPARATOR_DISPLAY[c] for c in offered if c != "qualitative"),
            "qualitative": COMPARATOR_DISPLAY["qualitative"] if "qualitative" in offered else ""}


_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五")
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _guide_lines(guide, names: dict) -> list[str]:
    """The guide's lines as written: each formatted; one the rules in force leave empty (its rule off: a monitoring
    report's budget cap) left out, and the lines after it renumbered (一、二、… in order)."""
    lines = [text.format(**names) for text in guide.lines]
    if all(lines):
        return lines
    kept = [line for line in lines if line]
    return [_NUMBERED.sub(_NUMERALS[k] + "、", line, count=1) if k < len(_NUMERALS) else line
            for k, line in enumerate(kept)]


def _write_guide_sheet(wb, fmt: _Formats, form: Form, fw: Framework, year: int, password, rules=None):
    guide = form.guide
    ws = wb.add_worksheet(guide.name)
    ws.set_column(0, 0, guide.width)
    names = _guide_labels(form, fw)
    if guide.values is not None:  # the rules' numbers (min_rate …), as the table in force gives them
        if rules is None:
            from .._check._ruletable import RuleTable

            rules = RuleTable.default()
        names.update(guide.values(rules, fw))  # (the framework's own scoring table's words)
    ws.write_string(0, 0, guide.title.format(year=year, framework=fw.title), fmt.guide_title)
    ws.set_row(0, 28)
    framework_line = guide.framework_line.format(framework=fw.title)
    ws.write_string(1, 0, framework_line, fmt.guide)
    ws.set_row(1, _text_height(framework_line, guide.width, 18))
    row = 2
    for line in _guide_lines(guide, names):
        ws.write_string(row, 0, line, fmt.guide)
        ws.set_row(row, _text_height(line, guide.width, 18))
        row += 1
    row += 1
    ws.write_string(row, 0, guide.categories_title.format(**fw.labels), fmt.guide_title)
    ws.set_row(row, 22)
    for cat in fw.level1:
        row += 1
        mark = guide.required_mark if cat.get("required") else ""
        level2 = [f"{n}（{'、'.join(fw.level3_groups[n])}）" if n in fw.level3_groups else n for n in cat["level2"]]
        line = f"{cat['name']}{mark}：{'、'.join(level2)}"
        ws.write_string(row, 0, line, fmt.guide)
        ws.set_row(row, _text_height(line, guide.width, 18))
    _print_setup(ws, guide.print)
    _protect(ws, password)
    return ws


def _validation(v, **names) -> dict:
    """xlsxwriter data-validation options from a declared Validation."""
    out = {}
    for key in ("input_title", "input_message", "error_title", "error_message"):
        text = getattr(v, key)
        if text:
            out[key] = text.format(**names)
    if v.error_type != "stop":
        out["error_type"] = v.error_type
    return out


def _cell(ws, r, c, kind: str, value, cell_fmt):
    how, v = KINDS[kind].cell(value)
    if how == "blank":
        ws.write_blank(r, c, None, cell_fmt)
    elif how == "number":
        ws.write_number(r, c, v, cell_fmt)
    elif how == "date":
        ws.write_datetime(r, c, dt.date.fromisoformat(v), cell_fmt)
    else:
        ws.write_string(r, c, v, cell_fmt)  # always text, never a formula


def _write_grid_titles(ws, fmt: _Formats, sheet, grid, set_row) -> None:
    """A FieldGrid's header row and line titles; its fields are written as any field."""
    ws.write_string(grid.row, sheet.label_col, grid.corner, fmt.header)
    for j, title in enumerate(grid.headers):
        ws.write_string(grid.row, sheet.value_col + j, title, fmt.header)
    set_row(grid.row, max([_text_height(grid.corner, sheet.label_width * BOLD, 30)]
                          + [_text_height(t, w * BOLD, 30) for t, w in zip(grid.headers, sheet.value_widths)]))
    for i, (title, line) in enumerate(grid.lines, start=1):
        ws.write_string(grid.row + i, sheet.label_col, title, fmt.label)
        for j, f in enumerate(line):
            if f is None:
                ws.write_blank(grid.row + i, sheet.value_col + j, None, fmt.fixed)
        set_row(grid.row + i, _text_height(title, sheet.label_width * BOLD, 24))


_PAPER = {9: (595.3, 841.9)}  # points (width, height), portrait: A4


#: Pixels a character of column width takes, as the applications that print the forms draw it: the default font
#: is 宋体 11 pt, 8 pixels a digit in Excel and WPS (their default column, 8.38 characters, is 72 pixels), 8.15 in
#: LibreOffice with Chinese fonts, up to 9.4 where LibreOffice substitutes a wider Latin font (DejaVu Sans).
_CHARACTER_PIXELS = (8, 8.15, 8.75, 9.4)
_STRETCH = (0.97, 1.0, 1.03)  # page heights a few per cent off: applications round row heights differently


def _columns_width(widths, pixels: float) -> float:
    """The printed width (points) of columns `widths` characters wide, `pixels` a character plus 5 of padding."""
    return sum((w * pixels + 5) * 0.75 for w in widths)


def _pages(rows: range, heights: dict, capacity: float, repeated: float) -> tuple[dict[int, int], float]:
    """The page each row prints on, rows filling pages of `capacity` points in order (`repeated` points of
    rows repeated at the top of every page after the first); and the points the last page's rows take."""
    out, fill, _ = _paged(rows, heights, capacity, repeated, ())
    return out, fill[-1]


def _printable(setup, landscape: bool, heights: dict) -> tuple[float, float, float]:
    """A page's printable width and height (points) as `setup` gives them, and the height of the rows repeated at
    the top of every page after the first."""
    paper_w, paper_h = _PAPER.get(setup.paper, _PAPER[9])
    if landscape:
        paper_w, paper_h = paper_h, paper_w
    left, right, top, bottom = setup.margins
    first, last = setup.repeat_rows or (0, -1)
    return (paper_w - 72 * (left + right), paper_h - 72 * (top + bottom),
            sum(heights.get(r, 15) for r in range(first, last + 1)))


def _keep_areas_with_their_fields(ws, form: Form, heights: dict, setup, widths, growing=frozenset()) -> None:
    """A page break before an Area's signature block (the area and its `keep_with` fields) wherever the rows
    above could leave it split across pages or the area alone on a page.

    Every printed row's height is set by the writer, so the rows' pages follow from the page size, the margins
    and the scale that fits the columns to the page's width ("fit to one page wide"; Excel and LibreOffice both
    honour a row break then, as the height is not fitted).  The scale depends on the application's font, so the
    pages are laid out for each width a character may take (and pages a little shorter or longer); the block
    starts a new page when any of them would split it.  A break is harmless where it was not needed: the block
    then starts the next page whole.

    The rows the department types into (`growing`) grow with their text after the writer is done, so the block is
    planned for each of them grown to a row's limit too: where that could split it, the page breaks before the
    last such row above the block (its text then prints with the block and the seal, on a page they fill at
    most), or before the block itself where even that page could overflow."""
    sheet = form.info
    heights = _as_written(heights)  # as Excel and LibreOffice lay the rows out: in whole pixels
    width, height, repeated = _printable(setup, setup.landscape, heights)
    rows = range(sheet.title_row, sheet.end_row)
    breaks = []
    for area in sheet.areas:
        if not area.keep_with:
            continue
        start = min([area.row, *(form.field(p).row for p in area.keep_with)])
        above = [r for r in growing if r < start]
        grown = {**heights, **dict.fromkeys(above, MAX_ROW_HEIGHT)}  # each row typed into, at its tallest
        for pixels in _CHARACTER_PIXELS:
            capacity = height / min(1.0, width / _columns_width(widths, pixels))
            now = _placed(rows, heights, capacity, repeated, start, area.row)
            # The block split as the rows stand, or text typed above moves it down by any amount up to `grown`'s:
            # past a page's foot at some length wherever it ends up on another page (or split) at the longest
            if any(a != b for a, b in now) or (above and now != _placed(rows, grown, capacity, repeated, start,
                                                                        area.row)):
                # from the last row typed into, the block and its seal on one page even at the row's limit: the
                # seal then shares its page with a text of the form (a page of the block alone was printed where
                # the rows stood to split it: the seal on a page of no content)
                tail = range(max(above), area.row + 1) if above else None
                own = tail and _placed(tail, grown, capacity - repeated, 0, tail[0], area.row)  # after a break
                breaks.append(max(above) if own and all(a == b for a, b in own) else start)
                break
    if breaks:
        ws.set_h_pagebreaks(breaks)


def _as_written(heights: dict) -> dict:
    """Each row's height as the workbook holds it: xlsxwriter writes a row's height in whole pixels (37 points are
    written 36.75, 32 are 32.25), which is what Excel and LibreOffice lay out: the heights as asked are up to 0.375
    point a row off, 22 over 60 rows."""
    return {r: int(h * 4 / 3 + 0.5) * 0.75 for r, h in heights.items()}


_BLANK_ROW = 15  # points: a blank item row, of no height set (the sheet's default)
_TOTAL_ROW = 24  # points: the total line's (总分) height


def _rows_left_on_page(heights: dict, last_row: int, setup, landscape: bool, widths) -> int:
    """How many blank item rows print below `last_row` on the page it ends, the sheet's rows from the top laid out
    as _keep_areas_with_their_fields lays them (each width a character may take, pages a little shorter or
    longer): the fewest of any layout, so that none of them starts a page of empty grid."""
    heights = _as_written(heights)
    width, height, repeated = _printable(setup, landscape, heights)
    fewest = None
    for pixels in _CHARACTER_PIXELS:
        scale = min(1.0, width / _columns_width(widths, pixels))
        for stretch in _STRETCH:
            capacity = height / scale * stretch
            _, used = _pages(range(last_row + 1), heights, capacity, repeated)
            room = int((capacity - used) // _BLANK_ROW)
            fewest = room if fewest is None else min(fewest, room)
    return max(0, fewest)


#: The item rows the table's last page prints with its total line (总分) at least: a page of 总分 alone, or of one
#: row and 总分, was printed where the rows above filled the page before.
LAST_PAGE_ROWS = 2
#: The share of a page, in every layout, that the rows of a page a break ends fill at least.  A break before a 一级
#: group keeps its heading off a page's last line, but where the group did not fit below the rows above, it left
#: the page half empty: the self-evaluation's first page printed 9 of 27 rows, the rest of the page blank.  Every
#: row prints its 一级 and the header repeats on every page, so a group going on overleaf loses nothing; a page
#: left half blank is what a reader sees.  A break leaving more room than this is made only where nothing else
#: keeps 总分 with its rows; otherwise the rows fill each page, as the monitoring report's do (and go on doing,
#: whatever the department types, where no break stands).
MIN_BREAK_FILL = 0.75
#: The pages (of the tallest layout's) a stretch of the table between two page breaks may span where a break could
#: stand before: past them, a page plan breaks at a group boundary again (_segments).
_SEGMENT_PAGES = 4


def _paged(rows: range, heights: dict, capacity: float, repeated: float,
           breaks) -> tuple[dict[int, int], list, int]:
    """The page each row prints on, as _pages says, with a page break before each row of `breaks`; the points each
    page's rows take, and how many pages start where the rows above filled one (not at a break)."""
    page, used, out, fill, overflows = 0, 0.0, {}, [], 0
    for r in rows:
        h = heights.get(r, 15)
        if r in breaks:
            fill.append(used)
            page, used = page + 1, repeated
        elif used + h > capacity and used > (repeated if page else 0):
            fill.append(used)
            page, used, overflows = page + 1, repeated, overflows + 1
        used += h
        out[r] = page
    fill.append(used)
    return out, fill, overflows


def _table_faults(pages: dict, first: int, total_row: int, held_starts: list[int]) -> tuple[int, int]:
    """What a layout of the table's pages prints badly: (1 where 总分 is on a page of fewer than LAST_PAGE_ROWS item
    rows (or than the table has), else 0; the other faults: the first item row off the header's page, and each
    一级 group whose first row ends a page with the group's other rows overleaf, its heading widowed).
    `held_starts`: the first rows of the groups of two rows or more."""
    alone = sum(1 for r in range(first, total_row) if pages[r] == pages[total_row]) < min(LAST_PAGE_ROWS,
                                                                                          total_row - first)
    return int(alone), (pages[first] != pages[first - 1]) + sum(pages[g] != pages[g + 1] for g in held_starts)


def _segments(rows: range, heights: dict, capacities: list, repeated: float, first: int, total_row: int,
              held: frozenset, ends: list) -> dict:
    """What the table's rows from each of `ends` but the last (a page break before it, or the sheet's first row)
    to later ones print, laid out in every one of `capacities` (a page of each height) as _paged lays them:
    (start, end) -> (faults, pages, pages started where the rows above filled one, least room left on the last
    page, layouts with 总分 on a page of too few item rows, layouts whose page the break at `end` ends is less than
    MIN_BREAK_FILL full); `ends`' last is the row after 总分, a segment to it ending the table.  The faults are _table_faults' other ones: the first item row off the header's page, and
    each group of `held` (their first rows) whose first row ends a page with the group's next row overleaf.

    A page break starts a page whatever the rows above it left, so a plan's layout is its segments' (the rows
    between two breaks) laid out one after another: each segment is laid out once per start and layout, its
    figures read at every later end as the rows reach it.  A segment ends at the next end, or at a later one
    within _SEGMENT_PAGES of the tallest page's rows: a table of thousands of one-row groups is planned in time
    linear in its rows (its plans then break at least every few pages)."""
    out = {}
    reach = _SEGMENT_PAGES * max(capacities)
    for i, a in enumerate(ends[:-1]):
        j, total = i + 1, sum(heights.get(r, 15) for r in range(a, ends[i + 1]))  # to the next end, at least
        while j + 1 < len(ends):  # and to each later one within reach
            total += sum(heights.get(r, 15) for r in range(ends[j], ends[j + 1]))
            if total > reach:
                break
            j += 1
        last, marks = ends[j], set(ends[i + 1:j + 1])
        figures = {}
        for capacity in capacities:
            page, used = (0, 0.0) if a == rows.start else (1, repeated)  # after a break: a page of its own
            overflows = faults = on_page = 0
            before = page  # the page of the row above, within the segment
            for r in range(a, last + 1):
                if r in marks:  # the segment ending before row r (the table's end: after 总分)
                    alone = int(on_page < min(LAST_PAGE_ROWS, total_row - first)) if r > total_row else 0
                    sparse = int(used < MIN_BREAK_FILL * capacity) if r <= total_row else 0
                    prior = figures.get(r, (0, 0, 0, float("inf"), 0, 0))
                    figures[r] = (prior[0] + faults, prior[1] + page + (a == rows.start), prior[2] + overflows,
                                  min(prior[3], capacity - used), prior[4] + alone, prior[5] + sparse)
                    if r == last:
                        break
                h = heights.get(r, 15)
                if used + h > capacity and used > (repeated if page else 0):
                    page, used, overflows, on_page = page + 1, repeated, overflows + 1, 0
                used += h
                if page != before and r != a and (r == first or r - 1 in held):
                    faults += 1
                before = page
                if first <= r < total_row:
                    on_page += 1
        for b, figure in figures.items():
            out[a, b] = figure
    return out


def _plan_table_pages(ws, heights: dict, setup, landscape: bool, widths, first: int, total_row: int,
                      levels: list) -> list[int]:
    """Page breaks for the indicator table, at 一级 group boundaries only (TableSheet.page_groups: the first row
    of 产出目标, 效果目标 ..., whichever groups the rows hold), chosen so that in every layout of the rows (each
    width a character may take, pages a little shorter or longer, as _keep_areas_with_their_fields plans them) no
    page ends with a group's first row alone (its heading widowed), 总分 prints with LAST_PAGE_ROWS item rows at
    least, and no page more is printed than the faults need.  The header rows repeat on every page (the table's
    print titles).  Before all but 总分's company: no break leaves a page less than MIN_BREAK_FILL full in any
    layout (a break before a group that did not fit below the rows above left the first page half blank).

    Where it prints no page more, each page starts at a boundary, its last with the whole last group and 总分,
    whatever a department types into the rows above and however they grow (a break planned between any two rows
    at fill time, the previous planner's, went stale as the rows grew, and the page the rows happened to fill
    left 总分 alone in some layouts; a page that starts where the rows above filled one can hold a group's last
    rows alone).  Of the sets of boundaries with the fewest faults, then the fewest pages, then the fewest pages
    not started at a boundary, then the fewest breaks, the one that leaves the most room on the pages its
    breaks end (and on the last page) is chosen: the rows there can grow the most before a page overflows.  Every
    set is weighed, however many groups the table has: the rows between two breaks print alike whatever the other
    breaks are (_segments), so the best set ending the table from each boundary is found once, from the last
    boundary up (adding breaks one at a time, past six boundaries, left faults and pages a full search did not, in
    half of 60-row tables of 9 to 15 groups).

    Where no set of boundaries keeps 总分 with its rows in every layout (a last group of one row after a group
    longer than a page), one break between two rows is added: the one that leaves 总分 alone in the fewest
    layouts, then judged as above.  `levels`: each item row's 一级 (None where blank).  Returns the breaks
    (0-based rows a break comes before), written to `ws`."""
    heights = _as_written(heights)
    width, height, repeated = _printable(setup, landscape, heights)
    capacities = [height / min(1.0, width / _columns_width(widths, pixels)) * stretch
                  for pixels in _CHARACTER_PIXELS for stretch in _STRETCH]
    rows = range(min(heights), total_row + 1)
    starts = [first + i for i, level in enumerate(levels) if level and (i == 0 or level != levels[i - 1])]
    held = [s for s, e in zip(starts, [*starts[1:], first + len(levels)]) if e - s >= 2]
    candidates = starts[1:]

    def judged(plan):
        alone = faults = pages = loose = sparse = 0
        room = float("inf")
        for capacity in capacities:
            out, fill, overflows = _paged(rows, heights, capacity, repeated, plan)
            a, f = _table_faults(out, first, total_row, held)
            alone, faults, pages, loose = alone + a, faults + f, pages + len(fill), loose + overflows
            sparse += sum(fill[out[b] - 1] < MIN_BREAK_FILL * capacity for b in plan)
            ended = {out[b] - 1 for b in plan} | {len(fill) - 1}  # the pages a break ends, and the last
            room = min(room, *(capacity - fill[p] for p in ended))
        return (alone, sparse, faults, pages, loose, len(plan), -room), plan

    # the best set of breaks from each boundary (a break before it) to the end, from the last boundary up: a
    # segment's figures added to the best from its end on (the least room the smaller of the two)
    ends = [rows.start, *candidates, total_row + 1]
    segments = _segments(rows, heights, capacities, repeated, first, total_row, frozenset(held), ends)
    best = {total_row + 1: ((0, 0, 0, 0, 0, 0, -float("inf")), ())}
    for i in reversed(range(len(ends) - 1)):
        a, options = ends[i], []
        for b in itertools.takewhile(lambda b: (a, b) in segments, itertools.islice(ends, i + 1, None)):
            (faults, pages, loose, room, alone, sparse), (after, plan) = segments[a, b], best[b]
            judgement = (alone + after[0], sparse + after[1], faults + after[2], pages + after[3], loose + after[4],
                         after[5] + (a != rows.start), max(-room, after[6]))
            options.append((judgement, (b, *plan) if b <= total_row else ()))
        best[a] = min(options)
    # ... or no break at all, or one: the segments reach _SEGMENT_PAGES pages, so a longer table's plans above break
    # every few pages, and a break many pages down stands at a different place of its page in each layout (the
    # layouts' pages differ by a fifth): some page it ends is left mostly blank.  One boundary among the last
    # _SEGMENT_PAGES pages' rows (of the tallest layout) may keep 总分 with its rows, the rows above filling their pages
    best = min(best[rows.start], judged(()))

    def within(pages):
        lowest, near = total_row, 0.0
        while lowest > first + 1 and near + heights.get(lowest - 1, 15) <= pages * max(capacities):
            lowest -= 1
            near += heights.get(lowest, 15)
        return range(lowest, total_row)

    if best[0][0] or best[0][1]:
        near = within(_SEGMENT_PAGES)
        best = min([best, *(judged((s,)) for s in candidates if s in near)])
    if best[0][0]:  # 总分 left with too few rows in some layout whatever the boundaries: one break between rows
        # more (a last group of one row after a group longer than a page), where it leaves fewer faults; among the
        # rows of the last two pages (of the tallest layout): no break above them keeps 总分 with its rows
        plan = best[1]
        for r in within(2):
            if r not in plan:
                judgement = judged(tuple(sorted((*plan, r))))
                if judgement[0] < best[0]:
                    best = judgement
    plan = list(best[1])
    if plan:
        ws.set_h_pagebreaks(plan)
    return plan


def _placed(rows: range, heights: dict, capacity: float, repeated: float, start: int, end: int) -> list:
    """The pages rows `start` and `end` print on, laid out from the first of `rows`, for each page height
    _STRETCH allows."""
    out = []
    for stretch in _STRETCH:
        pages, _ = _pages(rows, heights, capacity * stretch, repeated)
        out.append((pages[start], pages[end]))
    return out


def _write_info_sheet(wb, fmt: _Formats, form: Form, fw: Framework, year: int, doc, locked: frozenset, password,
                      growing: set[int], stamp_params: tuple = ()):
    """The form's fields sheet; the rows the department types into are added to `growing` (0-based)."""
    sheet = form.info
    ws = wb.add_worksheet(sheet.name)
    ws.set_column(sheet.label_col, sheet.label_col, sheet.label_width)
    spanned = sheet.value_span > 1
    for i, width in enumerate(sheet.value_widths):
        ws.set_column(sheet.value_col + i, sheet.value_col + i, width)
    value_width = sheet.printed_value_width
    heights = {}

    def set_row(r, height):  # every printed row's height, for the page breaks
        heights[r] = height
        ws.set_row(r, height)

    ws.merge_range(sheet.title_row, sheet.label_col, sheet.title_row, sheet.last_col,
                   sheet.title.format(title=form.title, year=year), fmt.title)
    set_row(sheet.title_row, 36)
    for grid in sheet.grids:
        _write_grid_titles(ws, fmt, sheet, grid, set_row)
    label_width = sheet.label_width * BOLD
    for f in sheet.fields:
        value = year if f.kind == "year" else get(doc, f.path)
        style = f.style or KINDS[f.kind].style
        is_locked = f.path in locked or f.kind == "year" or f.locked
        r, c = f.row, f.col
        cell_fmt = fmt.of(style, is_locked)
        if not f.in_grid:  # a text too long for one row prints whole in a smaller font; it reads back the same
            if f.kind == "longtext":
                height, size = _fitted(value, value_width, 150)
            elif f.kind == "text" and value:
                height, size = _fitted(value, value_width, 24)
            else:
                height, size = 24, FONT_SIZE
            cell_fmt = fmt.sized(cell_fmt, size)
            set_row(r, max(height, _text_height(f.label, label_width, 24)))
            if not is_locked:
                growing.add(r)  # what the department types there makes the row taller
            ws.write_string(f.row, sheet.label_col, f.label, fmt.label)
            if spanned:
                ws.merge_range(r, c, r, sheet.last_col, "", cell_fmt)
        _cell(ws, r, c, f.kind, value, cell_fmt)
        v = sheet.validations.get(f.kind)
        if f.kind == "date":
            ws.data_validation(r, c, r, c, {"validate": "date", "criteria": "between", "minimum": v.minimum,
                                            "maximum": v.maximum, **_validation(v, label=f.label)})
        elif f.kind == "amount":
            ws.data_validation(r, c, r, c, {"validate": "decimal", "criteria": ">=", "value": v.minimum,
                                            **_validation(v, label=f.label)})
        elif f.kind == "bool":
            ws.data_validation(r, c, r, c, {"validate": "list", "source": "=xl_yesno", **_validation(v)})
        elif f.kind == "choice":
            ws.data_validation(r, c, r, c, {"validate": "list", "source": f"=xl_{f.list}", **_validation(v)})
        elif f.kind == "number" and v is not None and not is_locked:
            ws.data_validation(r, c, r, c, {"validate": "decimal", "criteria": "between", "minimum": v.minimum,
                                            "maximum": v.maximum, **_validation(v, label=f.label)})
    for grid in sheet.grids:  # computed cells (e.g. 执行率): a formula, its value cached, never read back
        for r, c, comp in grid.computed:
            cells = [f"${col_letter(form.field(p).col)}${form.field(p).row + 1}" for p in comp.refs]
            value = comp.value([get(doc, p) for p in comp.refs], dict(form.bound)) if comp.value else None
            ws.write_formula(r, c, comp.formula.format(*cells), fmt.of(comp.style, True),
                             "" if value is None else value)
    for area in sheet.areas:  # left empty, for the seal or a signature on paper
        ws.write_string(area.row, sheet.label_col, area.label, fmt.label)
        if spanned:
            ws.merge_range(area.row, sheet.value_col, area.row, sheet.last_col, "", fmt.area)
        else:
            ws.write_blank(area.row, sheet.value_col, None, fmt.area)
        set_row(area.row, max(area.height, _text_height(area.label, label_width, 24)))
    ws.write_string(sheet.stamp_row, sheet.label_col, sheet.stamp_label, fmt.stamp)
    ws.write_string(sheet.stamp_row, sheet.value_col, form.make_stamp(fw.id, year, stamp_params), fmt.stamp)
    ws.freeze_panes(sheet.first_row, 0)
    _print_setup(ws, sheet.print)
    widths = [sheet.label_width, *sheet.value_widths]
    _keep_areas_with_their_fields(ws, form, heights, sheet.print, widths, growing)
    ws.print_area(sheet.title_row, sheet.label_col, sheet.end_row - 1, sheet.last_col)  # the stamp stays off paper
    _protect(ws, password)
    return ws


#: Characters XML 1.0 cannot hold (a cell's string is escaped, _x0000_, by xlsxwriter; a formula's cached value is not).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _write_table_sheet(wb, fmt: _Formats, form: Form, fw: Framework, year: int, doc, rows: int, password,
                       growing: set[int], library=None, to_page: bool = False):
    """The table sheet, of `rows` item rows or as many as the document holds; with `to_page`, of the document's
    rows and the blank rows that fit below them on the page they end on (at most `rows` in all)."""
    table = form.table
    ws = wb.add_worksheet(table.name)
    cols = form.columns(fw)
    last_col = cols[-1].index
    landscape = len(cols) > 7  # as the table prints: a framework's added columns across the page
    ws.merge_range(table.title_row, 0, table.title_row, last_col, table.title.format(year=year), fmt.title)
    ws.set_row(table.title_row, 32)
    heights = {table.title_row: 32}  # each printed row's height, for the rows that fit the last page
    formula, shown = [], []
    for text, path in table.caption:
        f = form.field(path)
        formula.append(f'"{text}"&\'{f.sheet}\'!${col_letter(f.col)}${f.row + 1}')
        shown.append(f"{text}{get(doc, path) or ''}")
    ws.merge_range(table.caption_row, 0, table.caption_row, last_col, "", fmt.caption)
    # the cached value goes into the sheet's XML as it is (xlsxwriter escapes the cells' strings, not it): a control
    # character from a name (甲\x00, a CSV's or a JSON's) would make the part unreadable; the formula shows it anyway
    ws.write_formula(table.caption_row, 0, "=" + "&".join(formula), fmt.caption,
                     _NOT_XML.sub("", "".join(shown)))
    # the names as written now (a template's are blank): the row grows with them, as a wrapped text does
    heights[table.caption_row] = _text_height("".join(shown), sum(c.width for c in cols), 30, size=CAPTION_SIZE)
    ws.set_row(table.caption_row, heights[table.caption_row])
    for col in cols:
        ws.write_string(table.header_row, col.index, col.label, fmt.header)
        ws.set_column(col.index, col.index, col.width)
    heights[table.header_row] = max(_text_height(c.label, c.width * BOLD, 30) for c in cols)
    ws.set_row(table.header_row, heights[table.header_row])

    if doc is not None and table.item_path.strip("/") in doc:
        indicators = list(get(doc, table.item_path) or [])
    else:  # a template: the framework's standard rows, ready to adjust
        indicators = [dict(r) for r in fw.prefilled_rows]
    n = max(rows, len(indicators))
    first = table.first_row
    styles = [fmt.of(col.style or KINDS[col.kind].style, col.locked) for col in cols]
    closed = [fmt.of(col.style or KINDS[col.kind].style, True) for col in cols]
    wrapped = ("text", "longtext", "actual", "target")

    def write_row(i: int) -> None:
        r = first + i
        ind = indicators[i] if i < len(indicators) else {}
        height = 18
        for col, cell_fmt, closed_fmt in zip(cols, styles, closed):
            if col.rows and not _row_is(col.rows, ind if i < len(indicators) else None):
                ws.write_blank(r, col.index, None, closed_fmt)  # not asked on this row: locked and blank
                continue
            if col.kind == "seq":
                value = i + 1
            elif col.kind == "target":
                value = ind.get("text") if target_in_words(ind) else ind.get("value")
            else:
                value = ind.get(col.key)
            if KINDS[col.kind].write_as in ("grade", "coded"):  # a choice: the row holds the text it shows
                shown = KINDS[col.kind].cell(value)[1]
            else:
                shown = value if col.kind in wrapped else None
            if table.fit_rows and isinstance(shown, str):
                cell_height, size = _fitted(shown, col.width, 18)  # too long for one row: a smaller font
                cell_fmt, height = fmt.sized(cell_fmt, size), max(height, cell_height)
            _cell(ws, r, col.index, col.kind, value, cell_fmt)
        if table.fit_rows and ind:
            ws.set_row(r, height)
            growing.add(r)  # a row the department types into grows with its text, as a blank row does
        heights[r] = height if table.fit_rows and ind else _BLANK_ROW

    for i in range(len(indicators)):
        write_row(i)
    if to_page:  # no page of empty grid: the blank rows the last page holds below the document's rows
        last_row = first + len(indicators) - 1 if indicators else table.header_row
        n = min(n, len(indicators) + _rows_left_on_page(heights, last_row, table.print, landscape,
                                                        [c.width for c in cols]))
        n = max(n, 1)
    for i in range(len(indicators), n):
        write_row(i)
    last = first + n - 1
    open_rows = {col.key: [i for i in range(n) if _row_is(col.rows, indicators[i] if i < len(indicators) else None)]
                 for col in cols if col.rows}

    if table.total is not None:
        _write_total(ws, fmt, form, fw, cols, first + n, doc, indicators)
        heights[first + n] = _TOTAL_ROW
        key = table.page_groups
        levels = [ind.get(key) if key else None for ind in indicators] + [None] * (n - len(indicators))
        _plan_table_pages(ws, heights, table.print, landscape, [c.width for c in cols], first, first + n, levels)

    names = {**{c.key: c.label for c in cols}, **_comparator_words(fw)}
    level1 = next((c for c in cols if c.list == "level1"), None)
    for col in cols:
        v = col.validation
        if v is None:
            continue
        if col.list == "level2_of_row":
            source = f'=INDIRECT("xl_l2_"&MATCH({_on_own_row(level1.index)},xl_level1,0))'
            options = {"validate": "list", "source": source}
        elif col.list:
            options = {"validate": "list", "source": f"=xl_{col.list}"}
        elif v.minimum is None and v.maximum is None:
            options = {"validate": "any"}  # a prompt only: the cell takes numbers and text
        else:
            options = {"validate": "decimal", "criteria": "between", "minimum": v.minimum, "maximum": v.maximum}
        spans = [(run[0], run[-1]) for run in runs(open_rows[col.key])] if col.rows else [(0, n - 1)]
        if len(spans) > 1:  # one validation over every run of the rows it is asked on (J4 J7:J12 J14 …), not one each
            options["multi_range"] = " ".join(xl_range(first + a, col.index, first + b, col.index) for a, b in spans)
        if spans:
            a, b = spans[0]
            ws.data_validation(first + a, col.index, first + b, col.index, {**options, **_validation(v, **names)})
    if library is not None:  # the 三级 column offers the library's names for the row's 二级, free text allowed
        from .._review._library import DROPDOWN

        level2 = next(c for c in cols if c.list == "level2_of_row")
        name = form.column("name", fw)
        source = f'=INDIRECT("xl_lib_"&MATCH({_on_own_row(level2.index)},xl_lib_level2,0))'
        ws.data_validation(first, name.index, last, name.index,
                           {"validate": "list", "source": source, **_validation(DROPDOWN, **names)})
    ws.freeze_panes(table.first_row, 0)
    _print_setup(ws, table.print, landscape=landscape)
    _protect(ws, password, rows=table.insert_rows)
    return ws


def _on_own_row(col: int) -> str:
    """The cell of column `col` on the row a validation formula is evaluated for (INDEX($B:$B,ROW())), as a
    dependent list looks up its row's 一级: a relative reference ($B4) would be relative to the validation's first
    cell, which LibreOffice moves without the formula when a row is inserted above the first indicator row (most
    of its saves then wrote $B4 for a validation starting on row 5: every row's list looked at the row above)."""
    letter = col_letter(col)
    return f"INDEX(${letter}:${letter},ROW())"


def _write_total(ws, fmt: _Formats, form: Form, fw: Framework, cols, r: int, doc, indicators: list) -> None:
    """The line right below the item rows (总分): its label across the columns before its cell, the Computed
    cell (a formula over the item rows' range and header fields, its value cached), locked blanks after."""
    total, table = form.table.total, form.table
    at = form.column(total.column, fw).index
    refs, values = [], []
    for ref in total.cell.refs:
        key = column_ref(ref, table.item_path)
        if key is not None:  # every item row of the column: rows inserted among them stay inside the range
            letter = col_letter(form.column(key, fw).index)
            refs.append(f"${letter}${table.first_row + 1}:${letter}${r}")
            values.append([ind.get(key) for ind in indicators] if doc is not None else [])
        else:
            f = form.field(ref)
            refs.append(f"'{f.sheet}'!${col_letter(f.col)}${f.row + 1}")
            values.append(get(doc, ref) if doc is not None else None)
    if at > 0:
        ws.merge_range(r, 0, r, at - 1, total.label, fmt.header)
    else:
        ws.write_string(r, 0, total.label, fmt.header)
    value = total.cell.value(values, dict(form.bound)) if total.cell.value else None
    ws.write_formula(r, at, total.cell.formula.format(*refs), fmt.of(total.cell.style, True),
                     "" if value is None else value)
    for c in cols[at + 1:]:
        ws.write_blank(r, c.index, None, fmt.fixed)
    ws.set_row(r, _TOTAL_ROW)


def _row_is(which: str | None, ind: dict | None) -> bool:
    """Whether a row is of the kind a per-row column asks on; rows without an indicator are open."""
    if which is None or ind is None:
        return True
    qualitative = ind.get("comparator") == "qualitative"
    return qualitative if which == "qualitative" else not qualitative


def build_workbook(framework: str | Framework, year: int, doc: dict | None = None, *,
                   rows: int | None = None, password: str | None = None,
                   locked: frozenset[str] = frozenset(), form: Form = GOAL_TABLE, frameworks=None,
                   library=None, rules=None, stamp_params: tuple = ()) -> bytes:
    """Lay out the form and return the .xlsx bytes.

    ``doc`` (a schema-valid document) fills it in; ``locked`` lists JSON pointers of header
    fields to lock after filling (bulk prefill).  Without ``doc`` the framework's pre-filled
    indicator rows are written.  ``frameworks`` is a FrameworkSet (default: the packaged ones).
    ``library`` (an indicator Library) adds a dropdown of its names to the 三级 column.  ``rules`` (the RuleTable
    in force; default the packaged one) gives the numbers the guide says (a form's ``GuideSheet.values``).
    ``stamp_params`` ((name, value) pairs) the stamp records besides (Form.make_stamp): a self-evaluation's points
    file, when its 分值 came from one (_selfeval._weights.stamp_params).
    """
    if not stamp_params:  # a document's own record of how it was made (a self-evaluation's points_source)
        stamp_params = form.recorded_params(doc)
    if form.params:  # a form with parameters (a monitoring report's month) is laid out bound to the document's
        form = form.for_document(doc)
        if not form.bound:
            raise ValueError(f"{form.id}: the document gives no valid {', '.join(p.name for p in form.params)}")
    if isinstance(framework, Framework):
        fw = framework
    else:
        from .._frameworks import FrameworkSet

        fw = (frameworks or FrameworkSet.default()).get(framework)
    # a document's rows (a template's: the framework's prefilled ones), and the blank rows (to the template's
    # number) that fit the page below them: a template's 50 took two pages where the framework's columns turn the
    # page (landscape), the second an empty grid; a department that needs more rows inserts them (the guide says how)
    to_page = rows is None
    if rows is None and doc is not None and not form.table.insert_rows:
        rows = max(1, len(get(doc, form.table.item_path) or []))  # one row per approved target, exactly
    elif rows is None:
        rows = form.table.default_rows
    if not 1 <= rows <= form.table.max_rows:
        from .._errors import UsageError
        from .._text import Bilingual

        raise UsageError(Bilingual(f"指标行数应在 1 至 {form.table.max_rows} 之间，实际为 {rows}",
                                   f"the number of indicator rows should be from 1 to {form.table.max_rows}, not "
                                   f"{rows}"))
    # the bureau's own rule table and framework version it was made from (their digests), for validate to compare:
    # those of this run, whose 填表说明 and layout state them.  A document's made_with (read from a bureau's
    # template) is so written back only where this run's own are the same: a department's fill without the bureau's
    # table writes the packaged table's guide, and a stamp claiming the bureau's would keep template.other_rules
    # silent where the guide and the bureau's table disagree (made_with stays in the document, for what it says)
    # A document whose made_with records a bureau's table (or framework version) laid out under the packaged one (a
    # department's fill without the bureau's --rules, --frameworks): its stamp records the packaged one's digest, so
    # that validate under the bureau's says template.other_rules (other_framework), its guide (its dropdowns) being
    # the packaged one's; validate under the packaged ones says nothing.  A template made from no such document
    # records nothing of the packaged ones, as before (a bureau validating the packaged templates under its own
    # table is told nothing per return).
    made = dict(made_params(fw, rules, made_with_of(doc.get(MADE_WITH[0])) if isinstance(doc, dict) else None))
    stamp_params = (*tuple(stamp_params), *((name, made[name]) for name in MADE_WITH[1] if name in made))
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": 11},
    })
    wb.set_properties({
        "title": form.info.title.format(title=form.title, year=year),
        "subject": fw.title,
        "author": "xlgoals",
        "company": "",
        "comments": form.make_stamp(fw.id, year, stamp_params),
        "created": dt.datetime(year, 1, 1),
    })
    for name, value in (("xlgoals_template_id", form.template_id(fw.id, year)),
                        ("xlgoals_layout_version", str(form.layout_version)),
                        ("xlgoals_framework", fw.id), ("xlgoals_year", str(year)), ("xlgoals_form", form.id),
                        *((f"xlgoals_{name}", str(value)) for name, value in form.bound)):
        wb.set_custom_property(name, value)
    kept = 0
    for f in form.fields:  # each value the template locks, so that a return is held to it (``_form._locked``)
        value = get(doc, f.path) if doc is not None else None
        if value is not None and (f.path in locked or f.locked) and f.kind != "year":  # the year: in the stamp
            wb.set_custom_property(locked_property(f.path), locked_value(value))
            kept += 1
    if kept:  # how many: a return whose locked values' properties were deleted is told from one that had none
        wb.set_custom_property(LOCK_COUNT, str(kept))
    keys = locked_keys(form)
    items = get(doc, form.table.item_path) if doc is not None else None
    if keys and not form.table.insert_rows and isinstance(items, list) and items:
        for name, value in rows_properties(items, keys):  # the approved rows, for a return to be held to
            wb.set_custom_property(name, value)
    if form.table.ids_kept:  # the indicators' own ids, which no column holds (none given: nothing written)
        for name, value in ids_properties(items):
            wb.set_custom_property(name, value)
    fmt = _Formats(wb)
    _write_guide_sheet(wb, fmt, form, fw, year, password, rules)
    growing: dict[str, set[int]] = {form.info.name: set(), form.table.name: set()}  # by sheet: rows typed into
    info = _write_info_sheet(wb, fmt, form, fw, year, doc, locked, password, growing[form.info.name],
                             stamp_params=stamp_params)
    _write_table_sheet(wb, fmt, form, fw, year, doc, rows, password, growing[form.table.name], library,
                       to_page=to_page and form.table.insert_rows)
    _write_lists_sheet(wb, form, fw, password, library)
    locked_values = {f.path: value for f in form.fields
                     if (f.path in locked or f.locked) and (value := get(doc, f.path)) is not None} \
        if doc is not None else {}
    for sheet in (form.guide, form.info, form.table):  # (the lists sheet is never shown nor printed)
        _print_header(wb.get_worksheet_by_name(sheet.name), sheet.print, locked_values)
    info.activate()
    wb.close()
    parts = {f"xl/worksheets/sheet{n}.xml": growing[ws.name] for n, ws in enumerate(wb.worksheets(), start=1)
             if growing.get(ws.name)}
    return _lock_structure(buf.getvalue(), password, parts)


def _let_rows_grow(data: bytes, rows: set[int]) -> bytes:
    """The sheet XML with `rows` (0-based) no longer of a fixed height: their height is kept as written, and
    Excel, WPS and LibreOffice make the row taller when a text typed into it wraps past it (a row of a custom
    height keeps its height, and what it cannot show is cut off on paper)."""
    def free(m):
        return m.group(0).replace(b' customHeight="1"', b"") if int(m.group(1)) - 1 in rows else m.group(0)

    return re.sub(rb'<row r="(\d+)"[^>]*>', free, data)


def _lock_structure(xlsx: bytes, password: str | None, growing: dict | None = None) -> bytes:
    """Add workbook structure protection (xlsxwriter has none), keeping every zip entry's metadata; let the
    rows of `growing` ({sheet part: 0-based rows}) grow with their text."""
    attrs = 'lockStructure="1"'
    if password:
        attrs = f'workbookPassword="{legacy_password_hash(password)}" ' + attrs
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"(<bookViews)", f"<workbookProtection {attrs}/>".encode() + rb"\1", data, count=1)
            elif growing and info.filename in growing:
                data = _let_rows_grow(data, growing[info.filename])
            zout.writestr(info, data)
    return out.getvalue()
