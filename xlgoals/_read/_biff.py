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

from .._form._paper import LEGIBLE_HEIGHT, LEGIBLE_WIDTH
from ._safety import MAX_SHEET_COLS, MAX_SHEET_ROWS

_BOF, _EOF, _BOUNDSHEET, _PROTECT, _ROW = 0x0809, 0x000A, 0x0085, 0x0012, 0x0208
_FORMAT, _XF, _CODEPAGE, _FONT = 0x041E, 0x00E0, 0x0042, 0x0031
_FORMULA, _BOOLERR, _NUMBER, _RK, _MULRK = 0x0006, 0x0205, 0x0203, 0x027E, 0x00BD
_MERGEDCELLS, _COLINFO = 0x00E5, 0x007D
_FILEPASS = 0x002F  # the workbook is encrypted: every record after it is ciphertext
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



#: The error values of a BIFF FORMULA result or BOOLERR record, by their code
_ERROR_CODES = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
                0x2A: "#N/A"}

def _records(stream: bytes, pos: int):
    end = len(stream)
    while pos + 4 <= end:
        rid, length = struct.unpack_from("<HH", stream, pos)
        yield rid, stream[pos + 4:pos + 4 + length]
        pos += 4 + length


class Encrypted(Exception):
    """A workbook saved with a password to open: its globals hold a FILEPASS record (BIFF8 RC4 or CryptoAPI, BIFF5
    XOR), or its compound file an "Encryption" stream (CryptoAPI's encrypted document properties).  Every record after
    it is ciphertext: read as plain, it gives garbage sheet names and ranges (red team 28z F2)."""


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


def compound_streams(data: bytes) -> tuple[bytes, bytes | None, str | None]:
    """The Workbook (BIFF8) or Book (BIFF5) stream of the .xls `data`, as calamine picks it, its user-defined
    document properties' stream (None when it has none, or it cannot be read: see _xlsprops) and the application
    its SummaryInformation names as the writer (None when none), the compound file opened once.  Ambiguous when
    the first entry of the directory that could be taken for the workbook stream (a name differing only in case, an
    entry out of olefile's tree) is not the one olefile opens: the screen and calamine would read two streams.  (An embedded workbook's own stream, further down the directory, is passed
    over by both.)"""
    import olefile

    from ._xlsprops import properties_stream, summary_app_name, summary_stream

    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        names = _stream_names(ole)
        if "Encryption" in names:
            raise Encrypted()
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
            try:
                summary = summary_stream(ole)
                app = summary_app_name(summary) if summary else None
            except Exception:  # a damaged summary stream: the writer is not known
                app = None
            return workbook, properties, app
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


_NAME = 0x0018
_PRINT_AREA = 0x06  # the built-in name Print_Area


def _print_area(body: bytes) -> tuple[int, tuple] | None:
    """(the sheet's position, its ranges as (first row, first col, last row, last col), 0-based) of a BIFF8 NAME
    record defining a sheet's built-in Print_Area, as Excel, WPS and LibreOffice write it (its formula areas of the
    sheet, tArea3d or tRef3d, joined by tUnion inside a tMemFunc); None for any other name or a formula not made out."""
    if len(body) < 16 or not body[0] & 0x20 or body[3] != 1:  # fBuiltin, one character
        return None
    cce, itab = struct.unpack_from("<H", body, 4)[0], struct.unpack_from("<H", body, 8)[0]
    wide = body[14] & 1
    code = struct.unpack_from("<H", body, 15)[0] if wide else body[15]
    if code != _PRINT_AREA or itab < 1:
        return None
    rgce = body[16 + wide:16 + wide + cce]
    boxes, pos = [], 0
    while pos < len(rgce):
        token = rgce[pos]
        if token in (0x3B, 0x5B, 0x7B) and pos + 11 <= len(rgce):  # tArea3d: ixti, rows, columns
            r0, r1, c0, c1 = struct.unpack_from("<HHHH", rgce, pos + 3)
            boxes.append((r0, c0 & 0x3FFF, r1, c1 & 0x3FFF))
            pos += 11
        elif token in (0x3A, 0x5A, 0x7A) and pos + 7 <= len(rgce):  # tRef3d: ixti, row, column
            r, c = struct.unpack_from("<HH", rgce, pos + 3)
            boxes.append((r, c & 0x3FFF, r, c & 0x3FFF))
            pos += 7
        elif token in (0x29, 0x49, 0x69):  # tMemFunc: the size of the areas that follow
            pos += 3
        elif token == 0x10:  # tUnion
            pos += 1
        else:
            return None
    return (itab - 1, tuple((min(a, b), min(c, d), max(a, b), max(c, d)) for a, c, b, d in boxes)) if boxes else None


def _codepage(body: bytes) -> str:
    """The codec of a BIFF5 file's byte strings (its CODEPAGE record: 936 in a Chinese Windows)."""
    cp = struct.unpack_from("<H", body)[0] if len(body) >= 2 else 1252
    try:
        return codecs.lookup(f"cp{cp}").name
    except LookupError:
        return "latin-1"


#: Who wrote an .xls, for a formula's result kept as the number 0 where the expression may give a text (a lookup):
#: Excel keeps a text result (a STRING record follows the FORMULA), so its 0 is the number 0; LibreOffice keeps
#: every text result as 0 (its SummaryInformation names no application; its WRITEACCESS user is "Calc"), so the
#: cell shows what the file does not keep; of any other writer it cannot be told (asked, cell.formula_text_unsure).
KEEPS_TEXT, LOSES_TEXT = "keeps_text", "loses_text"
_WRITEACCESS = 0x005C


def writer_of(app: str | None, stream: bytes) -> str | None:
    """KEEPS_TEXT (Excel, by its SummaryInformation's application name), LOSES_TEXT (LibreOffice: no application
    named, its WRITEACCESS user "Calc") or None (not known)."""
    if app is not None:
        folded = app.casefold()
        return KEEPS_TEXT if folded.startswith("microsoft") and "excel" in folded else None
    try:
        for n, (rid, body) in enumerate(_records(stream, 0)):
            if rid == _WRITEACCESS:
                return LOSES_TEXT if body.startswith(b"\x04\x00\x00Calc") and not body[7:].strip(b" \0") else None
            if rid == _EOF or rid == _BOUNDSHEET or n > 64:
                return None
    except Exception:
        return None
    return None


def xls_sheets(stream: bytes | None, app: str | None = None) -> dict[str, dict] | None:
    """Of an .xls's workbook stream: sheet name -> {"protected": bool, "state": "visible" | "hidden" | "veryHidden", "hidden_rows": set of
    0-based rows, "hidden_cols": set of 0-based columns, "merged": [(first row, first col, last row, last col)],
    "formulas", "errors", "percent", "text_results" (formulas of a text result kept as a number), "dates" (numbers
    shown as a date): sets of (row, col), "heights": row -> (its height in points, whether fixed: fUnsynced), "format_text": (row, col) -> the text its format shows with a number (as
    SheetFacts.format_text), "extent": (rows, columns) of the cells calamine lays out},
    or None when the records cannot be made out.  TooManyRecords for sheets of more records together than anybody
    writes, TooLarge for cells beyond what calamine is let lay out (see there).  `stream`: the workbook stream
    (compound_streams), None where it could not be read; `app`: the application its SummaryInformation names
    (compound_streams), which tells whether a formula kept as 0 may be a text not kept ("text_unsure", see
    writer_of)."""
    if stream is None:
        return None
    try:
        biff5, codepage = False, "latin-1"
        sheets, formats, xf_formats, fonts, xf_fonts = [], {}, [], [], []
        print_areas: dict = {}  # a sheet's position -> its print area's ranges (_print_area)
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
                xf_fonts.append(struct.unpack_from("<H", body)[0])
                xf_formats.append(struct.unpack_from("<H", body, 2)[0])
            elif rid == _FONT and len(body) >= 2:
                fonts.append(struct.unpack_from("<H", body)[0] / 20)  # its height in twips
            elif rid == _NAME and not biff5:
                found = _print_area(body)
                if found is not None:
                    print_areas[found[0]] = found[1]
            elif rid == _FILEPASS:
                raise Encrypted()
            elif rid == _EOF:
                break
        from ._screen import (DATE_BUILTIN, PercentStyles, format_shows_otherwise, format_text, percent_sections,
                              shows_date, shows_percent)

        used = set(xf_formats)  # the formats a cell style (XF) uses: only those are parsed (red team 24d F03)
        formats = {i: code for i, code in formats.items() if i in used}
        percent_ids = _PERCENT_BUILTIN | {i for i, code in formats.items() if shows_percent(code)}
        percent_by = {i: p for i, p in ((i, percent_sections(code)) for i, code in formats.items()) if p}
        percent_xfs = PercentStyles((i for i, fmt in enumerate(xf_formats) if fmt in percent_ids),
                                    {i: percent_by[fmt] for i, fmt in enumerate(xf_formats) if fmt in percent_by})
        date_ids = (DATE_BUILTIN - formats.keys()) | {i for i, code in formats.items() if shows_date(code)}
        date_xfs = frozenset(i for i, fmt in enumerate(xf_formats) if fmt in date_ids)
        shown_texts = {i: t for i, t in ((i, format_text(code)) for i, code in formats.items()) if t}
        text_xfs = {i: shown_texts[fmt] for i, fmt in enumerate(xf_formats) if fmt in shown_texts}
        otherwise = {i: o for i, o in ((i, format_shows_otherwise(code)) for i, code in formats.items()) if o}
        otherwise_xfs = {i: otherwise[fmt] for i, fmt in enumerate(xf_formats) if fmt in otherwise}
        # an XF's font: the FONT records' index, which skips 4 (no font 4 is written)
        xf_sizes = [fonts[f - (f > 4)] if f != 4 and f - (f > 4) < len(fonts) else None for f in xf_fonts]
        out, budget, cells = {}, [MAX_RECORDS], 0
        writer = writer_of(app, stream)
        for name, offset, state in sheets:
            out[name] = _sheet(stream, offset, state, percent_xfs, budget, date_xfs, text_xfs, xf_sizes, writer,
                               otherwise_xfs)
            if out[name]["declared"]:
                raise TooLarge(name, *out[name]["declared"])
            rows, cols = out[name]["extent"]
            cells += rows * cols
            if cells > MAX_CELLS:
                raise TooLarge("", cells, 0)
        for i, (name, _, _) in enumerate(sheets):
            out[name]["print_area"] = print_areas.get(i)  # (a name twice: calamine's, the last)
        return out
    except (TooManyRecords, TooLarge, Encrypted):
        raise
    except Exception:  # a damaged file: calamine reports it, we only cannot tell
        return None


_TEXT, _NUMBER_KIND, _UNKNOWN = "text", "number", "unknown"
#: Built-in functions (BIFF8 index) that give a text, and the number of arguments of those of a fixed count
_TEXT_FUNCS = frozenset((13, 14, 30, 31, 48, 111, 112, 113, 114, 115, 116, 118, 119, 120, 125, 130, 162, 207, 208,
                         209, 210, 214, 215, 219, 336, 368))
_FIXED_ARGS = {1: 3, 2: 1, 3: 1, 10: 0, 13: 2, 15: 1, 16: 1, 17: 1, 18: 1, 19: 0, 20: 1, 21: 1, 22: 1, 24: 1, 25: 1,
               26: 1, 27: 2, 30: 2, 31: 3, 32: 1, 33: 1, 34: 0, 35: 0, 38: 1, 39: 2, 48: 2, 63: 0, 65: 3, 66: 3,
               67: 1, 68: 1, 69: 1, 71: 1, 72: 1, 73: 1, 74: 0, 111: 1, 112: 1, 113: 1, 114: 1, 117: 2, 118: 1,
               119: 4, 121: 1, 126: 1, 127: 1, 128: 1, 129: 1, 130: 1, 140: 1, 141: 1, 162: 1, 190: 1, 197: 1,
               198: 1, 207: 4, 210: 3, 212: 2, 213: 2, 214: 1, 215: 1, 221: 0, 368: 1}
#: Functions of a variable count of arguments that give a number: COUNT, SUM, AVERAGE, MIN, MAX, NPV, AND, OR,
#: COUNTA, PRODUCT, MEDIAN, SUMPRODUCT, SUMIF, COUNTIF, ROUND's kin ...
_NUMBER_FUNCS = frozenset((0, 4, 5, 6, 7, 11, 36, 37, 169, 183, 227, 228, 344, 345, 346, 347))
_IF, _CHOOSE = 1, 100
#: Operand tokens (by base ptg, the class bits cleared) and their size after the token byte
_T_ERR = 0x1C  # an error constant token (tErr), of one byte: the error code
_OPERANDS = {0x1C: 1, 0x1D: 1, 0x1E: 2, 0x1F: 8, 0x20: 7, 0x23: 4, 0x24: 4, 0x25: 8, 0x2A: 4, 0x2B: 8, 0x2C: 4,
             0x2D: 8, 0x39: 6, 0x3A: 6, 0x3B: 10, 0x3C: 6, 0x3D: 10}
_REF, _PTG_EXP, _SHRFMLA = 0x24, 0x01, 0x04BC
_TEXT_CELLS = frozenset((0x00FD, 0x0204, 0x00D6))  # LABELSST, LABEL, RSTRING
_MAX_DEPTH = 8  # references followed from a formula to a formula (a longer chain: its kind unknown)


def _union(kinds) -> str:
    kinds = set(kinds)
    return kinds.pop() if len(kinds) == 1 else _UNKNOWN


def _formula_kind(rgce: bytes, cell_kind) -> str:
    """What a BIFF8 formula's expression gives: _TEXT, _NUMBER_KIND (a number, a truth value or an error), or
    _UNKNOWN (a lookup, another sheet, a function not known here, an IF of a text or a number ...).  The tokens are
    played on a stack of kinds; `cell_kind(row, col)` gives a same-sheet cell's (a reference to it).  Anything not
    made out is _UNKNOWN."""
    stack: list[str] = []
    pos, end = 0, len(rgce)
    try:
        while pos < end:
            ptg = rgce[pos]
            pos += 1
            base = (ptg & 0x1F) | 0x20 if ptg & 0x60 else ptg
            if 0x03 <= ptg <= 0x11:  # + - * / ^ & < <= = >= > <>, and the reference operators
                if len(stack) < 2:
                    return _UNKNOWN
                stack[-2:] = [_TEXT if ptg == 0x08 else _UNKNOWN if ptg >= 0x0F else _NUMBER_KIND]
            elif 0x12 <= ptg <= 0x14:  # unary +, -, % (a + keeps its operand)
                stack[-1] = stack[-1] if ptg == 0x12 else _NUMBER_KIND
            elif ptg == 0x15:  # parentheses
                continue
            elif ptg == 0x16:  # a missing argument
                stack.append(_NUMBER_KIND)
            elif ptg == 0x17:  # a string constant
                cch, flags = rgce[pos], rgce[pos + 1]
                pos += 2 + cch * (2 if flags & 1 else 1)
                stack.append(_TEXT)
            elif ptg == 0x19:  # attributes: a jump, a SUM of one argument, spaces; CHOOSE's jump table
                grbit, w = rgce[pos], struct.unpack_from("<H", rgce, pos + 1)[0]
                pos += 3 + (2 * (w + 1) if grbit & 0x04 else 0)
                if grbit & 0x10:  # SUM(one argument)
                    stack[-1] = _NUMBER_KIND
            elif base in (0x21, 0x22):  # a function, of fixed or variable arguments
                if base == 0x21:
                    index = struct.unpack_from("<H", rgce, pos)[0]
                    argc = _FIXED_ARGS.get(index)
                    pos += 2
                    if argc is None:
                        return _UNKNOWN
                else:
                    argc, index = rgce[pos] & 0x7F, struct.unpack_from("<H", rgce, pos + 1)[0] & 0x7FFF
                    pos += 3
                args = stack[len(stack) - argc:] if argc else []
                if len(args) != argc:
                    return _UNKNOWN
                del stack[len(stack) - argc:]
                if index == _IF:
                    kind = _union(args[1:] if argc == 3 else [args[1], _NUMBER_KIND]) if argc >= 2 else _UNKNOWN
                elif index == _CHOOSE:
                    kind = _union(args[1:]) if argc >= 2 else _UNKNOWN
                elif index in _TEXT_FUNCS:
                    kind = _TEXT
                elif index in _FIXED_ARGS or index in _NUMBER_FUNCS:
                    kind = _NUMBER_KIND
                else:
                    kind = _UNKNOWN
                stack.append(kind)
            elif base == _REF:
                row, col = struct.unpack_from("<HH", rgce, pos)
                pos += 4
                stack.append(cell_kind(row, col & 0x00FF))
            elif base in (0x1C, 0x1D, 0x1E, 0x1F):  # an error, a truth value, an integer, a number
                pos += _OPERANDS[base]
                stack.append(_NUMBER_KIND)
            elif base in _OPERANDS:  # a range, a name, another sheet, an array: not followed
                pos += _OPERANDS[base]
                stack.append(_UNKNOWN)
            else:  # shared formulas, tables, memory areas, extended tokens: not made out
                return _UNKNOWN
    except (IndexError, struct.error):
        return _UNKNOWN
    return stack[0] if len(stack) == 1 else _UNKNOWN


def _cached_number(body: bytes) -> float | None:
    """A FORMULA record's result when the file keeps a number as it (None: a text, a truth value, an error)."""
    return None if body[12:14] == b"\xff\xff" else struct.unpack_from("<d", body, 6)[0]


def _text_results(formulas: dict, texts: set, shared: dict | None = None, writer: str | None = LOSES_TEXT
                  ) -> tuple[set, set]:
    """The formula cells whose result the file keeps as a number but is, or may be, a text: LibreOffice's .xls
    keeps the number 0 for a formula's text result (no STRING record follows the FORMULA; Excel keeps one).  A
    formula that gives a text is one; one that may (a lookup, an IF of a text or a number, a reference to another
    sheet) is one where the number kept is 0 — what the cell shows is then not known.  `formulas`: (row, col) ->
    (expression, the number kept or None, whether a text is kept); `texts`: the sheet's cells of a text;
    `shared`: (first row, first column) -> expression of the sheet's shared formulas (SHRFMLA: a formula filled
    down is one, each cell's FORMULA naming it by its first cell, ptgExp).  `writer` (writer_of): of Excel's file
    (KEEPS_TEXT), a formula that may give a text and is kept as 0 gives the number 0; of a writer not known (None),
    it is one, and also in the second set returned (the cells where it is not known, asked about).  Returns
    (the cells, those of them not known)."""
    shared = shared or {}

    def expression(rgce: bytes) -> bytes:
        if len(rgce) == 5 and rgce[0] == _PTG_EXP:
            return shared.get(struct.unpack_from("<HH", rgce, 1), rgce)
        return rgce

    known: dict = {}

    def cell_kind(row: int, col: int, depth: int = 0) -> str:
        cell = (row, col)
        if cell in known:
            return known[cell]
        if cell not in formulas:
            return _TEXT if cell in texts else _NUMBER_KIND  # a number, a truth value; an empty cell gives 0
        if depth >= _MAX_DEPTH:
            return _UNKNOWN
        known[cell] = _UNKNOWN  # a loop of references: unknown
        number = formulas[cell][1]
        kind = _formula_kind(expression(formulas[cell][0]), lambda r, c: cell_kind(r, c, depth + 1))
        if kind == _UNKNOWN and number is not None and (number != 0 or writer == KEEPS_TEXT):
            kind = _NUMBER_KIND  # LibreOffice keeps a text as 0 only; Excel keeps a text as a text
        if number is None:  # Excel's STRING record, or an error, or a truth value: as the file says
            kind = _TEXT if formulas[cell][2] else _NUMBER_KIND
        known[cell] = kind
        return kind

    found = {cell for cell, (_, number, _) in formulas.items()
             if number is not None and cell_kind(*cell) != _NUMBER_KIND}
    unsure = {cell for cell in found if known.get(cell) == _UNKNOWN} if writer is None else set()
    return found, unsure


def _sheet(stream: bytes, offset: int, state: int, percent_xfs: frozenset, budget: list,
           date_xfs: frozenset = frozenset(), text_xfs: dict | None = None, xf_sizes: list | None = None,
           writer: str | None = LOSES_TEXT, otherwise_xfs: dict | None = None) -> dict:
    """One sheet's facts, from its substream at `offset`; `budget`: the records still to be read, all sheets
    together (TooManyRecords beyond).  `text_xfs`: XF index -> (text before, text after) a number its format shows
    (format_text); `otherwise_xfs`: XF index -> what its format shows otherwise than the value (shown_otherwise)."""
    text_xfs = text_xfs or {}
    otherwise_xfs = otherwise_xfs or {}
    shown_otherwise: dict = {}
    protected, hidden, hidden_cols, merged = False, set(), set(), []
    formulas, errors, percent, dates, unkept = set(), set(), set(), set(), set()
    percent_by = getattr(percent_xfs, "sections", {})
    percent_at: dict = {}  # (row, col) -> the % signs of its format's sections (SheetFacts.percent_sections)
    error_texts: dict = {}  # (row, col) -> the error value shown (#N/A), of `errors`
    expressions: dict = {}  # (row, col) -> (expression, the number kept or None, a text kept): see _text_results
    heights: dict = {}  # row -> (points, fixed): the ROW records
    shared: dict = {}  # (first row, first column) -> expression: the SHRFMLA records
    font_sizes: dict = {}  # (row, col) -> the font size of a text cell
    texts: set = set()  # cells of a text (a reference to one gives a text)
    format_text: dict = {}
    noted = [0]

    def note(cells: set, cell: tuple) -> None:
        if noted[0] < MAX_NOTED:
            noted[0] += 1
            cells.add(cell)

    def note_percent(cell: tuple, xf: int) -> None:
        note(percent, cell)
        if xf in percent_by and cell in percent:
            percent_at[cell] = percent_by[xf]

    def note_text(cell: tuple, xf: int) -> None:
        if xf in text_xfs and noted[0] < MAX_NOTED:
            noted[0] += 1
            format_text[cell] = text_xfs[xf]
        if xf in otherwise_xfs and noted[0] < MAX_NOTED:
            noted[0] += 1
            shown_otherwise[cell] = otherwise_xfs[xf]

    def note_error(cell: tuple, code: int) -> None:
        """An error value at `cell`, with the text it shows (#N/A) where its code is one of _ERROR_CODES."""
        note(errors, cell)
        if cell in errors and code in _ERROR_CODES:
            error_texts[cell] = _ERROR_CODES[code]

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
                note_error((row, col), body[8])
            elif len(body) >= 22 and len(expressions) < MAX_NOTED:  # its result's kind, once the sheet is read
                expressions[(row, col)] = (body[22:22 + struct.unpack_from("<H", body, 20)[0]], _cached_number(body),
                                           body[12:14] == b"\xff\xff" and body[6] in (0, 3))
            if len(body) >= 24 and struct.unpack_from("<H", body, 20)[0] == 2 and body[22] == _T_ERR:
                note(unkept, (row, col))  # =#N/A alone: LibreOffice's .xls of a function BIFF has no record of
            if xf in percent_xfs and body[12:14] != b"\xff\xff":
                note_percent((row, col), xf)
            note_text((row, col), xf)
        elif rid == _BOOLERR and len(body) >= 8:
            row, col = struct.unpack_from("<HH", body)
            if body[7] == 1:
                note_error((row, col), body[6])
        elif rid in (_NUMBER, _RK) and len(body) >= 10:
            row, col, xf = struct.unpack_from("<HHH", body)
            if xf in percent_xfs:
                note_percent((row, col), xf)
            elif xf in date_xfs:
                note(dates, (row, col))
            note_text((row, col), xf)
        elif rid == _MULRK and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            for i in range((len(body) - 6) // 6):
                xf = struct.unpack_from("<H", body, 4 + 6 * i)[0]
                if xf in percent_xfs:
                    note_percent((row, first + i), xf)
                elif xf in date_xfs:
                    note(dates, (row, first + i))
                note_text((row, first + i), xf)
        elif rid == _SHRFMLA and len(body) >= 10 and len(shared) < MAX_NOTED:
            first_row, _, first_col = struct.unpack_from("<HHB", body)
            shared[(first_row, first_col)] = body[10:10 + struct.unpack_from("<H", body, 8)[0]]
        elif rid in _TEXT_CELLS and len(body) >= 6 and len(texts) < MAX_NOTED:
            row, col, xf = struct.unpack_from("<HHH", body)
            texts.add((row, col))
            if otherwise_xfs.get(xf, ("",))[0] == "blank":  # a text its format shows as nothing (;;;)
                note_text((row, col), xf)
            if xf_sizes and xf < len(xf_sizes) and xf_sizes[xf]:  # its font's size (a long text made smaller)
                font_sizes[(row, col)] = xf_sizes[xf]
        elif rid == _PROTECT and len(body) >= 2:
            protected = struct.unpack_from("<H", body)[0] == 1
        elif rid == _ROW and len(body) >= 16:
            row, height, grbit = struct.unpack_from("<H4xH4xH", body)
            # hidden (fDyZero), or too low to print any text legibly (in twips)
            if (grbit & 0x20 or (height & 0x7FFF) < LEGIBLE_HEIGHT * 20) and len(hidden) < MAX_HIDDEN_ROWS:
                hidden.add(row)
            elif len(heights) < MAX_HIDDEN_ROWS:  # its height in points, and whether it is fixed (fUnsynced)
                heights[row] = ((height & 0x7FFF) / 20, bool(grbit & 0x40))
        elif rid == _COLINFO and len(body) >= 10:
            first, last, width, _, flags = struct.unpack_from("<HHHHH", body)
            # hidden, or too narrow to print a character (its width in 1/256 of a character)
            if flags & 1 or width < LEGIBLE_WIDTH * 256:
                hidden_cols.update(range(first, min(last + 1, MAX_SHEET_COLS)))
        elif rid == _MERGEDCELLS and len(body) >= 2:
            count = struct.unpack_from("<H", body)[0]
            for i in range(min(count, (len(body) - 2) // 8, MAX_MERGED - len(merged))):
                r1, r2, c1, c2 = struct.unpack_from("<HHHH", body, 2 + 8 * i)
                if r1 <= r2 and c1 <= c2:
                    merged.append((r1, c1, r2, c2))
    text_results, text_unsure = _text_results(expressions, texts, shared, writer)
    percent -= text_results  # no number shown
    return {"protected": protected, "state": _STATES.get(state, "visible"), "hidden_rows": hidden,
            "hidden_cols": hidden_cols, "merged": merged, "formulas": formulas, "errors": errors,
            "error_texts": error_texts, "percent": percent,
            "text_results": text_results, "text_unsure": text_unsure, "dates": dates, "heights": heights,
            "font_sizes": font_sizes,
            "format_text": format_text, "shown_otherwise": shown_otherwise, "percent_sections": percent_at, "extent": (rows, cols),
            "declared": declared, "unkept_formulas": unkept}
