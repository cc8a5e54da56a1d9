"""Fast bulk rows for one xlsxwriter sheet.

Writing hundreds of thousands of rows cell by cell through xlsxwriter costs ~5 µs a cell.
Here rows are rendered to SpreadsheetML once (in worker processes, in parallel) and spliced
into the sheet xlsxwriter wrote, after its header rows.  Strings are inline strings, always
text (never formulas), with characters XML 1.0 forbids escaped the OOXML way (``_x000B_``).
"""

from __future__ import annotations

import datetime as _dt
import math
import pickle
import re
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from decimal import Decimal

from .._form import col_letter
from .._form import _paper
from .._form._paper import text_units  # noqa: F401  (a text's width: Latin 1, Chinese and wide symbols 2)

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)")
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def _escape_ooxml(s: str) -> str:
    def repl(m):
        ch = m.group(0)
        return "_x005F_" if ch == "_" else f"_x{ord(ch):04X}_"

    s = _ILLEGAL.sub(repl, s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


ROW = "\x00"  # stands for the row number until splice_rows knows it


def _text_cell(ref: str, s: str) -> str:
    if _SPECIAL.search(s):
        s = _escape_ooxml(s)
    if s[0].isspace() or s[-1].isspace():
        return f'<c r="{ref}{ROW}" t="inlineStr"><is><t xml:space="preserve">{s}</t></is></c>'
    return f'<c r="{ref}{ROW}" t="inlineStr"><is><t>{s}</t></is></c>'


class Money(Decimal):
    """An amount in a column whose other rows hold other numbers (风险清单's 指标值／全年预算数): written, measured and
    shown in the money format (#,##0.00), as a column of amounts is; its digits exact, as a Decimal's."""

    __slots__ = ()


MONEY = "money"  # the key of the money format's style id in render_cells' `styles`


class Day(str):
    """A date the reader understood (its ISO text, 2020-01-01): a date cell in the workbook (its serial number in the
    date format, yyyy-mm-dd), which an analyst sorts and filters as dates; in CSV and JSON the text it is."""

    __slots__ = ()

    @property
    def serial(self) -> int:
        """The day as a spreadsheet counts it (1900 date system: 2020-01-01 is 43831)."""
        return (_dt.date.fromisoformat(self) - _EPOCH).days


DAY = "day"  # the key of the date format's style id in render_cells' `styles`
_EPOCH = _dt.date(1899, 12, 30)  # day 0 as the serials count from 1900-03-01 on
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def day_of(value):
    """`value` as a Day where it is a date the reader understood (an ISO date, 1900-03-01 or after: the serials
    before it are off by Lotus's 29 February 1900), else `value` as it is (a text not understood stays text)."""
    if type(value) is str and _ISO_DAY.fullmatch(value):
        try:
            if _dt.date.fromisoformat(value) >= _dt.date(1900, 3, 1):
                return Day(value)
        except ValueError:
            pass
    return value


def text_row(text: str, style: int, height: float | None = None) -> str:
    """A ``<row>`` of one text cell in column A in the cell style `style`, `height` points tall (None: one line): a
    note below a spliced table's rows, merged across the printed columns by splice_rows."""
    head = "<row>" if height is None else f'<row ht="{height:g}" customHeight="1">'
    return head + _text_cell("A", text).replace(f'r="A{ROW}"', f'r="A{ROW}" s="{style}"', 1) + "</row>"


#: What follows <mergeCells> in a worksheet (ECMA-376's order): a mergeCells element is put before the first of these.
_AFTER_MERGES = ("<phoneticPr", "<conditionalFormatting", "<dataValidations", "<hyperlinks", "<printOptions",
                 "<pageMargins", "<pageSetup", "<headerFooter", "<rowBreaks", "<colBreaks", "<drawing")


def _with_merges(tail: str, merges) -> str:
    """The sheet's XML after </sheetData> with the cell ranges `merges` (A7:N7) merged too."""
    if not merges:
        return tail
    cells = "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
    if "</mergeCells>" in tail:
        count = int(re.search(r'<mergeCells count="(\d+)"', tail)[1]) + len(merges)
        tail = re.sub(r'<mergeCells count="\d+"', f'<mergeCells count="{count}"', tail, count=1)
        return tail.replace("</mergeCells>", cells + "</mergeCells>", 1)
    at = min((i for i in (tail.find(tag) for tag in _AFTER_MERGES) if i >= 0), default=tail.rindex("</worksheet>"))
    return f'{tail[:at]}<mergeCells count="{len(merges)}">{cells}</mergeCells>{tail[at:]}'


def render_cells(values: Iterable, styles: dict | None = None) -> str:
    """One row's cells (no row element): str -> inline string, int/float/Decimal -> number, None -> no cell.

    Cell references carry a placeholder for the row number, filled in by splice_rows.
    `styles` maps a column index to a cell style id (an xlsxwriter Format's ``xf_index``, which
    xlsxwriter assigns only to formats some cell uses), and MONEY to the money format's, for Money values.
    """
    out = []
    for i, v in enumerate(values):
        t = type(v)
        ref = col_letter(i)
        if t is str:
            if v:
                out.append(_text_cell(ref, v))
        elif t is _Sized:
            # one run of the text at its size (sz before rFont: the order Excel writes and the Open XML SDK checks)
            run = f'<is><r><rPr><sz val="{v.size:g}"/><rFont val="{RUN_FONT}"/></rPr><t'
            out.append(_text_cell(ref, v).replace("<is><t", run, 1).replace("</t></is>", "</t></r></is>", 1))
        elif v is None:
            continue
        elif t is int or t is float:
            if t is float and (v != v or v in (float("inf"), float("-inf"))):
                continue
            style = f' s="{styles[i]}"' if styles and styles.get(i) is not None else ""
            out.append(f'<c r="{ref}{ROW}"{style}><v>{v!r}</v></c>')
        elif t is Decimal:
            if v.is_finite():
                style = f' s="{styles[i]}"' if styles and styles.get(i) is not None else ""
                out.append(f'<c r="{ref}{ROW}"{style}><v>{v}</v></c>')  # the exact digits
        elif t is Money:
            if v.is_finite():
                out.append(f'<c r="{ref}{ROW}" s="{styles[MONEY]}"><v>{v}</v></c>')
        elif t is Day:  # a date cell (its text where no date style is given)
            out.append(f'<c r="{ref}{ROW}" s="{styles[DAY]}"><v>{v.serial}</v></c>' if styles and DAY in styles
                       else _text_cell(ref, str(v)))
        elif t is bool:
            out.append(_text_cell(ref, "是" if v else "否"))
        else:
            out.append(_text_cell(ref, str(v)))
    return "".join(out)




def shown_number(v, fmt: str | None = None) -> str:
    """A number as its cell shows it: ``money`` as ``#,##0.00`` (12,345,678,901.23), ``pct`` as ``0.0%``, otherwise as
    the General format does (at most 11 significant digits, as Excel shows them)."""
    if fmt == "money":
        return format(v, ",.2f")
    if fmt == "pct":
        return format(v, ".1%")
    if type(v) is int:
        return str(v)
    return format(v, ".11g")


BOLD = 1.1  # a bold digit is about a tenth wider (宋体 has no bold face: clients embolden it)


class Widest:
    """The widest cell of each column, in character widths (a digit, a comma or a point 1, as 宋体 draws them; a
    Chinese character 2): numbers as their format shows them, text on one line.  Fed as the rows stream past (in
    the workers, or as the renderer spools them), so that columns are sized without holding the rows.

    `fmts` are the columns' formats (Col.fmt); `texts` False measures numbers only (the workers' item rows, whose
    text columns keep their declared widths)."""

    __slots__ = ("fmts", "numbers", "texts", "_below")

    def __init__(self, fmts=(), texts: bool = True):
        self.fmts = tuple(fmts)
        self.numbers: list[float] = [0] * len(self.fmts)
        self.texts: list[int] | None = [0] * len(self.fmts) if texts else None
        # per column, the largest number measured whose shown width grows with it (an amount, a share, an integer):
        # one between 0 and it is no wider, and is not formatted again
        self._below: list = [-1] * len(self.fmts)

    def _grow(self, i: int) -> None:
        while len(self.numbers) <= i:
            self.numbers.append(0)
            self._below.append(-1)
            if self.texts is not None:
                self.texts.append(0)

    def number(self, i: int, v, bold: bool = False) -> None:
        """Take the number `v` of column `i` into account (`bold`: in a bold cell, such as the totals row)."""
        if i >= len(self.numbers):
            self._grow(i)
        if v != v or v in (float("inf"), float("-inf")):
            return  # never written
        fmt = MONEY if type(v) is Money else self.fmts[i] if i < len(self.fmts) else None
        w = len(shown_number(v, fmt))
        if bold:
            w *= BOLD
        if w > self.numbers[i]:
            self.numbers[i] = w
        if (fmt or type(v) is int) and v > self._below[i]:
            self._below[i] = v

    def see(self, row) -> None:
        """Take one row into account (the cells as render_cells writes them: str, int, float, Decimal; None blank)."""
        texts, below, fmts = self.texts, self._below, self.fmts
        for i, v in enumerate(row):
            t = type(v)
            if t is str or t is Day:  # (a date: as wide as its text, yyyy-mm-dd)
                if texts is not None and v:
                    if i >= len(texts):
                        self._grow(i)
                    if 2 * len(v) > texts[i]:  # else it cannot be wider than the widest so far
                        u = max(text_units(line) for line in v.split("\n")) if "\n" in v else text_units(v)
                        if u > texts[i]:
                            texts[i] = u
            elif t is int or t is float or t is Decimal or t is Money:
                if (t is Decimal or t is Money) and not v.is_finite():
                    continue  # never written
                if i < len(below) and (t is int or (i < len(fmts) and fmts[i])) and 0 <= v <= below[i]:
                    continue
                self.number(i, v)

    def update(self, numbers) -> None:
        """Take the numbers' widths measured elsewhere (another Widest's ``numbers``) into account."""
        for i, w in enumerate(numbers):
            if i >= len(self.numbers):
                self._grow(i)
            if w > self.numbers[i]:
                self.numbers[i] = w


def widest_numbers(rows) -> tuple:
    """The widest number of each column of `rows` in the General format (a worker's item rows), as a tuple."""
    widest = Widest(texts=False)
    for row in rows:
        widest.see(row)
    return tuple(widest.numbers)


class RowSpool:
    """Rows streamed once, measured as they pass (Widest) and kept on disk, to be read back when the widths they
    decide are known: a summary of tens of thousands of returns is neither held in memory nor made twice."""

    def __init__(self, rows, fmts, chunk: int = 1000):
        self.widest = Widest(fmts)
        self.count = 0
        self._file = tempfile.TemporaryFile(prefix="xlgoals-rows-")
        buf = []
        for row in rows:
            self.widest.see(row)
            buf.append(row)
            if len(buf) >= chunk:
                pickle.dump(buf, self._file, protocol=pickle.HIGHEST_PROTOCOL)
                self.count += len(buf)
                buf = []
        if buf:
            pickle.dump(buf, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self.count += len(buf)

    def __iter__(self) -> Iterator:
        self._file.seek(0)
        while True:
            try:
                chunk = pickle.load(self._file)
            except EOFError:
                return
            yield from chunk

    def close(self) -> None:
        self._file.close()


FONT_SIZE = 10  # points: the summaries' text, and their default font (whose '0' a column's width counts)
MAX_ROW_HEIGHT = _paper.MAX_ROW_HEIGHT


def row_height(values, widths, bold: bool = False, size: float = FONT_SIZE) -> float | None:
    """The height (points) a row needs to show its wrapped text whole, or None for one line (a row of no height:
    clients make it one line high).

    Measured as the forms' rows are (_paper: a column of width w holds about 0.95 w units of a line, a Latin
    character one, a Chinese one or a wide symbol two: text_units), at `size` in a workbook whose default font is
    that size; `bold` text (a header row) gets _paper.BOLD of each column's width."""
    lines = 1
    share = _paper.BOLD if bold else 1
    for v, w in zip(values, widths):
        if type(v) is not str:
            continue
        per = _paper._per_line(w * share, size, size)
        if len(v) * 2 <= per and "\n" not in v:
            continue  # one line, told without measuring it
        n = _paper.needed_lines(v, w * share, size, size)
        if n > lines:
            lines = n
    if lines == 1:
        return None
    # in whole pixels (¾ pt), rounded up: xlsxwriter rounds a row's height to the nearest, which may be lower
    return _pixels(_paper.lines_height(lines, size))


def render_row(values, widths=None, styles: dict | None = None) -> str:
    """One ``<row>`` element, as tall as its wrapped text needs when `widths` (the columns') are given.  A text
    that needs more than a row's 409 pt prints in a smaller font, as the forms print it (down to 7 pt, _shrunk);
    one too long even then prints what 7 pt holds and says so at its end (_SHOWN_CUT)."""
    height = row_height(values, widths) if widths else None
    if height == MAX_ROW_HEIGHT:
        shrunk = _shrunk(values, widths)
        if shrunk:
            values = list(values)
            for i, (size, text) in shrunk.items():
                values[i] = _Sized(text, size)
            plain = row_height([None if type(v) is _Sized else v for v in values], widths) or 0
            height = _pixels(max([plain, *(_paper.needed_height(v, widths[i], v.size, FONT_SIZE)
                                           for i, v in enumerate(values) if type(v) is _Sized)]))
    head = "<row>" if height is None else f'<row ht="{height:g}" customHeight="1">'
    return f"{head}{render_cells(values, styles)}</row>"


#: What ends a text too long to print whole in a summary's row even at 7 pt, where the row's 409 pt end (its
#: length: the summary's JSON and CSV, and the return itself, hold it whole)
_SHOWN_CUT = "……（未完，全文共 {n} 字，见原表）"


#: The font of a run of a text printed smaller (_Sized): the summaries' (_render.FONT), which a run without one
#: does not take in LibreOffice (it printed in its default serif face)
RUN_FONT = "宋体"


class _Sized(str):
    """A text to print at `size` points (an inline string's run of that size; its value the same text)."""

    __slots__ = ("size",)

    def __new__(cls, text: str, size: float):
        out = super().__new__(cls, text)
        out.size = size
        return out


def _pixels(height: float) -> float:
    """`height` in whole pixels (¾ pt) rounded up, at most a row's 409 pt (as row_height gives it)."""
    return min(MAX_ROW_HEIGHT, math.ceil(height / 0.75 - 1e-9) * 0.75)


def _shrunk(values, widths) -> dict[int, tuple[float, str]]:
    """{column: (size, text shown)} of the texts of a row that need more than 409 pt at the summaries' 10 pt: the
    largest size, in half points down to _paper.SMALLEST_FONT, at which each prints whole in its column; past that,
    at 7 pt, the start of the text that fits with _SHOWN_CUT after it."""
    out = {}
    for i, v in enumerate(values):
        if type(v) is not str or i >= len(widths):
            continue
        size, needed = _paper.fitted_size(v, widths[i], FONT_SIZE)
        if size == FONT_SIZE:  # whole at 10 pt
            continue
        text = v
        if needed > MAX_ROW_HEIGHT:
            mark = _SHOWN_CUT.format(n=len(v))
            low, high = 0, len(v)  # the longest start of the text that fits with the mark after it
            while low < high:
                mid = (low + high + 1) // 2
                if _paper.needed_height(v[:mid] + mark, widths[i], size, FONT_SIZE) <= MAX_ROW_HEIGHT:
                    low = mid
                else:
                    high = mid - 1
            text = v[:low] + mark
        out[i] = (size, text)
    return out


def rows_xml(rows: Iterable, styles: dict | None = None, widths=None) -> Iterator[bytes]:
    """Render rows in chunks of ``<row>`` elements."""
    buf = []
    for row in rows:
        buf.append(render_row(row, widths, styles))
        if len(buf) >= 1000:
            yield "".join(buf).encode("utf-8")
            buf.clear()
    if buf:
        yield "".join(buf).encode("utf-8")


class Paged:
    """Manual page breaks a spliced sheet's rows get as they land (splice_rows): `rooms` (points) the first page's
    and each further page's room for rows; a row of no height of its own is `default` high; rows from `first` on
    (1-based) are laid on pages, a page broken before the row that would not fit.  `ditto`: the sqref of the
    sheet's 〃 rule (render._ditto), rewritten to leave each further page's first row out, so that a page starts
    with its return's names (every row is as tall as its names need: a filter hiding the row above shows them on
    any row).  A sheet that would need more breaks than Excel keeps is told beforehand (over): render_xlsx then
    prints its names on every row, without a Paged."""

    def __init__(self, rooms: tuple[float, float], default: float, first: int, ditto: str | None):
        self.rooms, self.default, self.first, self.ditto = rooms, default, first, ditto
        self.room, self.used, self.breaks = rooms[0], 0.0, []

    def row(self, number: int, piece: bytes) -> None:
        """Lay row `number` (`piece`: its element after ``<row``) on the pages."""
        if number < self.first:
            return
        m = _HT.match(piece)
        h = float(m[1]) if m else self.default
        if self.used and self.used + h > self.room:
            self.breaks.append(number - 1)
            self.room, self.used = self.rooms[1], 0.0
        self.used += h

    def over(self, chunks, count: int) -> bool:
        """Whether the `count` rows of `chunks` (rendered, from this sheet's first row on) need more page breaks
        than Excel keeps (MAX_BREAKS), laid as splice_rows lays them; counted afresh, this Paged left as it was.
        Told from `count` alone where it must be so, or cannot: a page holds at most its room or one row of
        MAX_ROW_HEIGHT, and each row is `default` high at least."""
        if count - 1 <= MAX_BREAKS:  # a break before each row but the first is not too many
            return False
        if math.ceil(count * self.default / max(self.rooms[1], MAX_ROW_HEIGHT)) - 1 > MAX_BREAKS:
            return True
        probe = Paged(self.rooms, self.default, self.first, None)
        number = self.first - 1
        for chunk in chunks:
            for piece in chunk.split(b"<row")[1:]:
                number += 1
                probe.row(number, piece)
            if len(probe.breaks) > MAX_BREAKS:
                return True
        return False

    def tail(self, tail: str) -> str:
        """The sheet's XML after its rows, with the breaks and the 〃 rule's rows; as it was where the breaks are
        more than Excel keeps (MAX_BREAKS; render_xlsx pages no such sheet: over)."""
        if not self.breaks or len(self.breaks) > MAX_BREAKS:
            return tail
        brks = "".join(f'<brk id="{b}" max="16383" man="1"/>' for b in self.breaks)
        breaks = f'<rowBreaks count="{len(self.breaks)}" manualBreakCount="{len(self.breaks)}">{brks}</rowBreaks>'
        at = tail.find("</headerFooter>")
        at = at + len("</headerFooter>") if at >= 0 else tail.find("<headerFooter/>") + len("<headerFooter/>")
        tail = tail[:at] + breaks + tail[at:]
        if self.ditto:
            first, lo, last, hi = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)", self.ditto).groups()
            cols, lo, hi = (first, last), int(lo), int(hi)
            parts, start = [], lo
            for b in self.breaks:
                top = b + 1  # a further page's first row
                if start <= top <= hi:
                    if top > start:
                        parts.append((start, top - 1))
                    start = top + 1
            if start <= hi:
                parts.append((start, hi))
            if not parts:  # every row starts a page (each taller than half of one): the rule covers none
                return re.sub(f'<conditionalFormatting sqref="{self.ditto}">.*?</conditionalFormatting>', "", tail,
                              count=1, flags=re.S)
            sqref = " ".join(f"{cols[0]}{a}:{cols[1]}{z}" for a, z in parts)
            tail = tail.replace(f'sqref="{self.ditto}"', f'sqref="{sqref}"', 1)
        return tail


_HT = re.compile(rb' ht="([0-9.]+)"')
#: The manual page breaks Excel keeps on a sheet (its specifications: 1,026)
MAX_BREAKS = 1026


def splice_rows(src: str, dst, sheets: dict[str, tuple[Iterator[bytes], int, int]], patch=None,
                threads: int = 1, paged: dict | None = None) -> None:
    """Copy the xlsx `src` to `dst`, appending pre-rendered ``<row>`` elements to some sheets.

    `sheets` maps a sheet part (``xl/worksheets/sheet3.xml``) to (chunks of rendered rows,
    the sheet's total row count with them, its last column index) — the last two for
    ``<dimension>`` — and optionally the cell ranges to merge among the rows (a note's, A7:N7).  Rows are rendered as bare ``<row>`` elements with a placeholder for
    the row number in each cell reference, so workers can render them before their final
    position is known; the numbers are filled in here.  `patch` maps other parts to a function that
    rewrites their bytes.  A long sheet is compressed a megabyte at a time on up to `threads` threads (see
    _ChunkedDeflate): the file's bytes are the same whatever their number.
    """
    patch = patch or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename not in sheets:
                zout.writestr(info, patch[info.filename](data) if info.filename in patch else data)
                continue
            chunks, total_rows, last_col, *merges = sheets[info.filename]  # and the cells merged below the rows
            pages = (paged or {}).get(info.filename)
            text = data.decode("utf-8")
            text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="A1:{col_letter(last_col)}{total_rows}"/>',
                          text, count=1)
            if "</sheetData>" in text:
                head, tail = text.split("</sheetData>", 1)
            else:  # an empty <sheetData/>
                head, tail = text.split("<sheetData/>", 1)
                head += "<sheetData>"
            out_info = zipfile.ZipInfo(info.filename, info.date_time)
            out_info.compress_type = zipfile.ZIP_DEFLATED
            row = len(re.findall(r"<row[ >]", head))  # rows xlsxwriter wrote (the header)
            with zout.open(out_info, "w", force_zip64=True) as part, _ChunkedDeflate(part, threads), \
                    _Behind(part) as fh:
                fh.write(head.encode("utf-8"))
                for chunk in chunks:
                    # number the rows as they land: r is optional, but Excel-made files always carry it
                    pieces = chunk.split(b"<row")  # text is escaped: "<row" only starts a row element
                    numbered = [pieces[0]]
                    for piece in pieces[1:]:
                        row += 1
                        if pages is not None:
                            pages.row(row, piece)
                        number = b"%d" % row
                        numbered.append(b'<row r="' + number + b'"' + piece.replace(b"\x00", number))
                    fh.write(b"".join(numbered))
                tail = _with_merges(tail, merges[0] if merges else ())
                fh.write(("</sheetData>" + (pages.tail(tail) if pages is not None else tail)).encode("utf-8"))


class _Behind:
    """A part's writes done by a thread, a megabyte at a time, while the rows that follow are numbered: its CRC and
    file writes, and its compression too when _ChunkedDeflate has one thread (with more, the chunks go to its pool).
    zlib lets go of the GIL as it compresses (and crc32 as it sums), so this runs on another core.  The bytes written,
    and so the file, are the same: _ChunkedDeflate cuts the member at fixed places, however the writes come."""

    BATCH = 1 << 20

    def __init__(self, part):
        import queue
        import threading

        self._part, self._queue, self._error = part, queue.Queue(maxsize=4), None
        self._batch: list[bytes] = []
        self._size = 0
        self._thread = threading.Thread(target=self._run, name="xlgoals-deflate", daemon=True)

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._part.write(data)
                except BaseException as exc:  # said by the thread that writes next, or at the end
                    self._error = exc

    def write(self, data: bytes) -> None:
        self._batch.append(data)
        self._size += len(data)
        if self._size >= self.BATCH:
            self._send()

    def _send(self) -> None:
        if self._error is not None:
            raise self._error
        if self._batch:
            self._queue.put(b"".join(self._batch))
            self._batch, self._size = [], 0

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, kind, exc, tb):
        try:
            if kind is None:
                self._send()
        finally:
            self._queue.put(None)  # the thread ends, whatever happened here
            self._thread.join()
        if kind is None and self._error is not None:
            raise self._error
        return False


class _ChunkedDeflate:
    """The deflate stream of one zip member made chunk by chunk, as pigz makes it: each megabyte of the member is
    compressed on its own, primed with the 32 KB before it, and ends on a byte boundary (a sync flush), so the
    pieces join into one valid stream; an empty final block closes it.  Chunks are compressed on up to `threads`
    threads (zlib lets go of the GIL) and written in order, at most two per thread waiting.

    The chunks are cut at fixed places in the member's bytes, so the file is the same however the writes come
    and for any number of threads.  It takes the place of the member's own compressor (zipfile's
    ``_compressor``: the member still counts the sizes, sums the CRC and writes); a zipfile without that
    attribute keeps its own, and the member is then one stream."""

    CHUNK = 1 << 20
    WINDOW = 32 * 1024  # deflate's window: what a chunk may refer back to
    LEVEL = 1  # as the rest of the summary (splice_rows' compresslevel)

    def __init__(self, part, threads: int = 1):
        self._part, self._threads = part, max(1, threads)
        self._pool = None
        self._pending: deque = deque()
        self._buffer = bytearray()
        self._window = b""
        self._active = getattr(part, "_compressor", None) is not None

    def __enter__(self):
        if self._active:
            self._part._compressor = self
        return self

    def __exit__(self, kind, exc, tb):
        # before the member closes (its close flushes this): on success the flush collects the chunks and ends the
        # pool; on a failure the chunks are dropped here (the staged file is not kept) and the flush adds nothing
        if kind is not None:
            self._pending.clear()
            self._buffer.clear()
            self._end()
        return False

    def _end(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _deflate(self, data: bytes, window: bytes) -> bytes:
        c = zlib.compressobj(self.LEVEL, zlib.DEFLATED, -15, zdict=window) if window else \
            zlib.compressobj(self.LEVEL, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_SYNC_FLUSH)

    def _chunk(self, data: bytes) -> bytes | None:
        """Compress one chunk: at once on one thread, else handed to the pool (None)."""
        window, self._window = self._window, data[-self.WINDOW:]
        if self._threads == 1:
            return self._deflate(data, window)
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="xlgoals-deflate")
        self._pending.append(self._pool.submit(self._deflate, data, window))
        return None

    def compress(self, data) -> bytes:
        self._buffer += data
        out = []
        while len(self._buffer) >= self.CHUNK:
            done = self._chunk(bytes(self._buffer[:self.CHUNK]))
            del self._buffer[:self.CHUNK]
            if done is not None:
                out.append(done)
        while self._pending and (self._pending[0].done() or len(self._pending) > 2 * self._threads):
            out.append(self._pending.popleft().result())
        return b"".join(out)

    def flush(self) -> bytes:
        last = self._chunk(bytes(self._buffer)) if self._buffer else None
        self._buffer.clear()
        try:
            out = [self._pending.popleft().result() for _ in range(len(self._pending))]
        finally:
            self._end()
        if last is not None:
            out.append(last)
        return b"".join(out) + zlib.compressobj(self.LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)  # final block
