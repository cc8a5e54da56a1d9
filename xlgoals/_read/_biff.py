"""What calamine does not tell of a legacy .xls: each sheet's protection, visibility, hidden rows and columns,
merged ranges, and the cells the .xlsx screen notes (formulas, error values, numbers shown as a percent).

The workbook stream's BOUNDSHEET records name the sheets, their visibility and where their substreams start;
its FORMAT and XF records give each cell style's number format.  A sheet's PROTECT record says whether it is
protected, its ROW records which rows are hidden (fDyZero, or a height of 0), its COLINFO records which
columns, its MERGEDCELLS records its merged ranges, and its cell records (FORMULA, BOOLERR, NUMBER, RK, MULRK)
which cells hold a formula or an error value, and in which style.  Only those records are looked at; anything
unexpected means "unknown" (None), never an exception.
"""

from __future__ import annotations

import codecs
import io
import struct

from ._safety import MAX_SHEET_COLS, MAX_SHEET_ROWS

_BOF, _EOF, _BOUNDSHEET, _PROTECT, _ROW = 0x0809, 0x000A, 0x0085, 0x0012, 0x0208
_FORMAT, _XF, _CODEPAGE = 0x041E, 0x00E0, 0x0042
_FORMULA, _BOOLERR, _NUMBER, _RK, _MULRK = 0x0006, 0x0205, 0x0203, 0x027E, 0x00BD
_MERGEDCELLS, _COLINFO = 0x00E5, 0x007D
_BIFF5 = 0x0500
MAX_HIDDEN_ROWS = 100_000  # a form has a few; beyond, a hostile file
MAX_NOTED = 100_000  # formula, error and percent cells noted in a sheet (as for an .ods: beyond, a hostile file)
MAX_MERGED = 10_000  # merged ranges noted in a sheet (as for an .xlsx)
#: Records read of all the sheets together: a return has a few thousand.  Sheets may share a substream (their
#: BOUNDSHEET records give one offset): read again for each, hundreds of thousands of them would take hours.
MAX_RECORDS = 2_000_000
_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}
_PERCENT_BUILTIN = {9, 10}  # 0% and 0.00%


class TooManyRecords(Exception):
    """Sheets of more records than MAX_RECORDS together: their facts are not known (the reader refuses the file)."""


class TooLarge(Exception):
    """A sheet whose DIMENSIONS record declares more than BIFF8 holds (it aborted the process inside calamine), or
    sheets whose cells, as calamine lays out each sheet of an .xls when it opens it, are more than MAX_CELLS
    together (a cell at row 65536 of a sheet took a gigabyte): refused before calamine sees the file (`sheet` ""
    for the cells of all sheets)."""

    def __init__(self, sheet: str, rows: int, cols: int):
        super().__init__(sheet)
        self.sheet, self.rows, self.cols = sheet, rows, cols


# The records that give a cell (row, col first) calamine lays out, of every BIFF version; a BLANK is no value.
_VALUE_CELLS = frozenset((0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0206, 0x0406, 0x0203, 0x0204, 0x0205, 0x027E,
                          0x00BD, 0x00FD, 0x00D6))
_DIMENSIONS = 0x0200
_BIFF8_ROWS, _BIFF8_COLS = 65536, 256
MAX_CELLS = MAX_SHEET_ROWS * MAX_SHEET_COLS  # of all sheets together, each as calamine lays it out (as for an .ods)


def _records(stream: bytes, pos: int):
    end = len(stream)
    while pos + 4 <= end:
        rid, length = struct.unpack_from("<HH", stream, pos)
        yield rid, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


class Ambiguous(Exception):
    """The compound file names its workbook stream in more than one way: the screen and calamine could read two."""


def _stream_names(ole) -> list[str | None]:
    """The name of each entry of the compound file's directory (None but for streams), read entry by entry as a
    reader that scans it (calamine) finds them, not only those olefile reaches through the directory's tree."""
    raw = ole._open(ole.first_dir_sector).read()
    names: list[str | None] = []
    for k in range(len(raw) // 128):
        entry = raw[k * 128:(k + 1) * 128]
        size = struct.unpack_from("<H", entry, 64)[0]
        names.append(entry[:size - 2].decode("utf-16-le", "replace") if entry[66] == 2 and 2 <= size <= 64 else None)
    return names


def compound_streams(data: bytes) -> tuple[bytes, bytes | None]:
    """The Workbook (BIFF8) or Book (BIFF5) stream of the .xls `data`, as calamine picks it, and its user-defined
    document properties' stream (None when it has none, or it cannot be read: see _xlsprops), the compound file
    opened once.  Ambiguous when the first entry of the directory that could be taken for the workbook stream (a
    name differing only in case, an entry out of olefile's tree) is not the one olefile opens: the screen and
    calamine would read two streams.  (An embedded workbook's own stream, further down the directory, is passed
    over by both.)"""
    import olefile

    from ._xlsprops import properties_stream

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        names = _stream_names(ole)
        for wanted in ("Workbook", "Book"):
            first = next((i for i, n in enumerate(names) if n is not None and n.casefold() == wanted.casefold()), None)
            if first is None:
                continue
            if names[first] != wanted or ole._find(wanted) != first:
                raise Ambiguous(wanted)
            workbook = ole.openstream(wanted).read()
            try:
                properties = properties_stream(ole)
            except Exception:  # a damaged properties stream: no properties, the workbook read as it is
                properties = None
            return workbook, properties
        raise Ambiguous("Workbook")


def _string(body: bytes, pos: int, biff5: bool, codepage: str, wide_count: bool = True) -> str:
    """A BIFF8 XLUnicodeString (a count, a flags byte, the characters) or a BIFF5 byte string, at `pos`."""
    if biff5:
        cch = body[pos] if not wide_count else struct.unpack_from("<H", body, pos)[0]
        start = pos + (2 if wide_count else 1)
        return body[start:start + cch].decode(codepage, "replace")
    cch = struct.unpack_from("<H", body, pos)[0] if wide_count else body[pos]
    pos += 2 if wide_count else 1
    flags = body[pos]
    raw = body[pos + 1:pos + 1 + (cch * 2 if flags & 1 else cch)]
    return raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")


def _codepage(body: bytes) -> str:
    """The codec of a BIFF5 file's byte strings (its CODEPAGE record: 936 in a Chinese Windows)."""
    cp = struct.unpack_from("<H", body)[0] if len(body) >= 2 else 1252
    try:
        return codecs.lookup(f"cp{cp}").name
    except LookupError:
        return "latin-1"


def xls_sheets(stream: bytes | None) -> dict[str, dict] | None:
    """Of an .xls's workbook stream: sheet name -> {"protected": bool, "state": "visible" | "hidden" | "veryHidden", "hidden_rows": set of
    0-based rows, "hidden_cols": set of 0-based columns, "merged": [(first row, first col, last row, last col)],
    "formulas", "errors", "percent", "text_results" (formulas of a text result kept as a number), "dates" (numbers
    shown as a date): sets of (row, col), "format_text": (row, col) -> the text its format shows with a number (as
    SheetFacts.format_text), "extent": (rows, columns) of the cells calamine lays out},
    or None when the records cannot be made out.  TooManyRecords for sheets of more records together than anybody
    writes, TooLarge for cells beyond what calamine is let lay out (see there).  `stream`: the workbook stream
    (compound_streams), None where it could not be read."""
    if stream is None:
        return None
    try:
        biff5, codepage = False, "latin-1"
        sheets, formats, xf_formats = [], {}, []
        for n, (rid, body) in enumerate(_records(stream, 0)):
            if n == 0:  # (a first record that is no BOF: calamine reads on, as BIFF8)
                biff5 = rid == _BOF and len(body) >= 2 and struct.unpack_from("<H", body)[0] == _BIFF5
            elif rid == _CODEPAGE:
                codepage = _codepage(body)
            elif rid == _BOUNDSHEET and len(body) >= 8:
                offset, state = struct.unpack_from("<IB", body, 0)
                name = _string(body, 6, biff5, codepage, wide_count=False)
                sheets.append((name, offset, state & 3))
            elif rid in (_FORMAT, 0x001E) and len(body) >= 4:
                formats[struct.unpack_from("<H", body)[0]] = _string(body, 2, biff5, codepage, wide_count=not biff5)
            elif rid == _XF and len(body) >= 4:
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif rid == _EOF:
                break
        from ._screen import DATE_BUILTIN, format_text, shows_date, shows_percent

        percent_ids = _PERCENT_BUILTIN | {i for i, code in formats.items() if shows_percent(code)}
        percent_xfs = frozenset(i for i, fmt in enumerate(xf_formats) if fmt in percent_ids)
        date_ids = (DATE_BUILTIN - formats.keys()) | {i for i, code in formats.items() if shows_date(code)}
        date_xfs = frozenset(i for i, fmt in enumerate(xf_formats) if fmt in date_ids)
        shown_texts = {i: t for i, t in ((i, format_text(code)) for i, code in formats.items()) if t}
        text_xfs = {i: shown_texts[fmt] for i, fmt in enumerate(xf_formats) if fmt in shown_texts}
        out, budget, cells = {}, [MAX_RECORDS], 0
        for name, offset, state in sheets:
            out[name] = _sheet(stream, offset, state, percent_xfs, budget, date_xfs, text_xfs)
            if out[name]["declared"]:
                raise TooLarge(name, *out[name]["declared"])
            rows, cols = out[name]["extent"]
            cells += rows * cols
            if cells > MAX_CELLS:
                raise TooLarge("", cells, 0)
        return out
    except (TooManyRecords, TooLarge):
        raise
    except Exception:  # a damaged file: calamine reports it, we only cannot tell
        return None


_PTG_STR, _PTG_CONCAT = 0x17, 0x08


def _text_formula(body: bytes) -> bool:
    """Whether a BIFF8 FORMULA record's expression gives a text: its last operation joins texts (``&``) or it is
    one string constant (="甲").  Excel keeps a text result in a STRING record after the FORMULA; LibreOffice
    saves such a formula's result as the number 0, which the cell does not show."""
    if len(body) < 22:
        return False
    rgce = body[22:22 + struct.unpack_from("<H", body, 20)[0]]
    if rgce[-1:] == bytes([_PTG_CONCAT]):
        return True
    if len(rgce) >= 3 and rgce[0] == _PTG_STR:
        return len(rgce) == 3 + rgce[1] * (2 if rgce[2] & 1 else 1)
    return False


def _sheet(stream: bytes, offset: int, state: int, percent_xfs: frozenset, budget: list,
           date_xfs: frozenset = frozenset(), text_xfs: dict | None = None) -> dict:
    """One sheet's facts, from its substream at `offset`; `budget`: the records still to be read, all sheets
    together (TooManyRecords beyond).  `text_xfs`: XF index -> (text before, text after) a number its format shows
    (format_text)."""
    text_xfs = text_xfs or {}
    protected, hidden, hidden_cols, merged = False, set(), set(), []
    formulas, errors, percent, text_results, dates = set(), set(), set(), set(), set()
    format_text: dict = {}
    noted = [0]

    def note(cells: set, cell: tuple) -> None:
        if noted[0] < MAX_NOTED:
            noted[0] += 1
            cells.add(cell)

    def note_text(cell: tuple, xf: int) -> None:
        if xf in text_xfs and noted[0] < MAX_NOTED:
            noted[0] += 1
            format_text[cell] = text_xfs[xf]

    depth, rows, cols, declared = 0, 0, 0, None
    for rid, body in _records(stream, offset):
        budget[0] -= 1
        if budget[0] < 0:
            raise TooManyRecords
        if rid in _VALUE_CELLS and len(body) >= 4:  # at any depth: what calamine may lay out
            row, col = struct.unpack_from("<HH", body)
            if rid == _MULRK:
                col += max(0, (len(body) - 6) // 6 - 1)
            rows, cols = max(rows, row + 1), max(cols, col + 1)
        elif rid == _DIMENSIONS and len(body) >= 8:
            last_row, last_col = struct.unpack_from("<4xI2xH", body) if len(body) >= 14 else \
                struct.unpack_from("<2xH2xH", body)  # BIFF8's rows in 32 bits, BIFF5's in 16
            if last_row > _BIFF8_ROWS or last_col > _BIFF8_COLS:  # none of it can be a cell
                declared = (last_row, last_col)
        if rid == _BOF:
            depth += 1  # the sheet's own, and a chart's embedded in it (ended by its own EOF)
        elif rid == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth > 1:
            continue
        elif rid == _FORMULA and len(body) >= 20:
            row, col, xf = struct.unpack_from("<HHH", body)
            note(formulas, (row, col))
            if body[12:14] == b"\xff\xff" and body[6] == 2:  # a result that is no number: an error value
                note(errors, (row, col))
            elif body[12:14] != b"\xff\xff" and _text_formula(body):  # LibreOffice's 0 for a text result
                note(text_results, (row, col))
            elif xf in percent_xfs and body[12:14] != b"\xff\xff":
                note(percent, (row, col))
            note_text((row, col), xf)
        elif rid == _BOOLERR and len(body) >= 8:
            row, col = struct.unpack_from("<HH", body)
            if body[7] == 1:
                note(errors, (row, col))
        elif rid in (_NUMBER, _RK) and len(body) >= 10:
            row, col, xf = struct.unpack_from("<HHH", body)
            if xf in percent_xfs:
                note(percent, (row, col))
            elif xf in date_xfs:
                note(dates, (row, col))
            note_text((row, col), xf)
        elif rid == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                xf = struct.unpack_from("<H", body, 4 + 6 * i)[0]
                if xf in percent_xfs:
                    note(percent, (row, first + i))
                elif xf in date_xfs:
                    note(dates, (row, first + i))
                note_text((row, first + i), xf)
        elif rid == _PROTECT and len(body) >= 2:
            protected = struct.unpack_from("<H", body)[0] == 1
        elif rid == _ROW and len(body) >= 16 and len(hidden) < MAX_HIDDEN_ROWS:
            row, height, grbit = struct.unpack_from("<H4xH4xH", body)
            if grbit & 0x20 or height & 0x7FFF == 0:
                hidden.add(row)
        elif rid == _COLINFO and len(body) >= 10:
            first, last, width, _, flags = struct.unpack_from("<HHHHH", body)
            if flags & 1 or width == 0:
                hidden_cols.update(range(first, min(last + 1, MAX_SHEET_COLS)))
        elif rid == _MERGEDCELLS and len(body) >= 2:
            count = struct.unpack_from("<H", body)[0]
            for i in range(min(count, (len(body) - 2) // 8, MAX_MERGED - len(merged))):
                r1, r2, c1, c2 = struct.unpack_from("<HHHH", body, 2 + 8 * i)
                if r1 <= r2 and c1 <= c2:
                    merged.append((r1, c1, r2, c2))
    return {"protected": protected, "state": _STATES.get(state, "visible"), "hidden_rows": hidden,
            "hidden_cols": hidden_cols, "merged": merged, "formulas": formulas, "errors": errors, "percent": percent,
            "text_results": text_results, "dates": dates,
            "format_text": format_text, "extent": (rows, cols), "declared": declared}
