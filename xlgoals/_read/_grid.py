"""Read, stage 1: the grid.  The safety screen, then calamine: cells with their addresses.

A ``Grid`` is made from a screened ``Container``: no spreadsheet library sees bytes the safety screen has not passed
(``_safety``); a sheet's range is screened before calamine allocates it.  Workbook-level
facts (custom properties, sheet protection) come from the zip's XML parts, so openpyxl is
never needed on this path.
"""

from __future__ import annotations

import contextlib
import functools
import io
import itertools
import math
import struct
import types
import os
import posixpath
import re
import xml.etree.ElementTree as ET
import zlib

try:  # (here, so that a worker forked from this process has it; one that fails is each file's file.reader_failed
    import python_calamine  # noqa: F401  (at its read, _calamine(), not an ImportError at ``import xlgoals``)
except ImportError:
    pass

from .._decimals import as_shown
from .._form._cells import col_letter, parse_a1
from .._form._paper import MAX_ROW_HEIGHT

from ._safety import MAX_SHEET_COLS, MAX_SHEET_ROWS, Container, FileProblem, cached_parts, is_wps, wps_problem
from ._screen import (_COL_TAG, SheetFacts, _written_twice, cell_looks, date_styles, paper_cells, paper_looks, font_sizes, format_texts, otherwise_styles, percent_styles,
                      theme_part,
                      screen_ods, screen_sheet, style_index, tag_attributes)

# Transitional (what Excel, WPS and LibreOffice write by default) and Strict ("Strict Open XML Spreadsheet" in
# Excel's Save As): the same parts, under other namespaces.  calamine reads both.
_NS_MAIN = ("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}", "{http://purl.oclc.org/ooxml/spreadsheetml/main}")
_NS_REL = ("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}",
           "{http://purl.oclc.org/ooxml/officeDocument/relationships}")
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _xml(data: bytes | None, name: str):
    """Parse a small XML part (`name` for the message).  open_container has refused any part with a DOCTYPE
    or entity declaration, so expat has nothing to expand or fetch here."""
    if data is None:
        return None
    try:
        return ET.fromstring(data)
    except MemoryError:  # the worker's memory limit (file.crashed, 内存超过上限), not the file's fault
        raise
    except Exception as exc:  # malformed XML, forbidden constructs
        raise FileProblem("file.corrupt", detail=f"{name}: {exc.__class__.__name__}") from None


# Returns made from one template share these parts byte for byte: in a batch each is parsed once.  The
# keys are the parts' bytes (compared in full on a hit), the values immutable or copied.
@cached_parts
def _sheets_of(workbook: bytes | None, rels: bytes | None) -> tuple[tuple[tuple[str, str, str], ...],
                                                                    tuple[tuple[str, int, str], ...]]:
    """From workbook.xml and its rels, in one parse: (sheet name, its part name: ``xl/worksheets/sheet2.xml``, its
    state: "" or ``hidden``/``veryHidden``) of each sheet; and (the name, the sheet's position, the ranges) of each
    print area and print titles workbook.xml defines (``_xlnm.Print_Area``, ``_xlnm.Print_Titles``: names local to
    their sheet), in its order."""
    wb = _xml(workbook, "xl/workbook.xml")
    rels_root = _xml(rels, "xl/_rels/workbook.xml.rels")
    targets = {}
    if rels_root is not None:
        for rel in rels_root.iter(f"{_NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(target)
    out = {}
    for sh in _sheet_elements(wb):
        if sh.get("name") in out:  # calamine would read the first, the screen the last
            raise FileProblem("file.corrupt", detail=(f"xl/workbook.xml: 工作表名“{sh.get('name')}”重复", f"xl/workbook.xml: sheet name '{sh.get('name')}' repeated"))
        rid = next((sh.get(f"{ns}id") for ns in _NS_REL if sh.get(f"{ns}id") is not None), None)
        out[sh.get("name")] = (targets.get(rid, ""), (sh.get("state") or "").strip())
    printed = []
    if wb is not None and b"_xlnm.print_" in workbook.lower():  # (most files: neither, no walk for one)
        for ns in _NS_MAIN:
            for e in wb.iter(f"{ns}definedName"):
                sheet = (e.get("localSheetId") or "").strip()
                # defined names are case-insensitive: `_xlnm.print_area` is the print area as LibreOffice prints it
                name = _PRINTED_NAMES.get((e.get("name") or "").lower())
                if name is not None and sheet.isdigit():
                    printed.append((name, int(sheet), (e.text or "").strip()))
    return tuple((name, part, state) for name, (part, state) in out.items()), tuple(printed)


def _col_number(letters: bytes) -> int:
    """The 0-based column of letters (b"B": 1)."""
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _related_part(parts, rels: bytes | None, kind: str, usual: str) -> str:
    """The part the workbook's relationship of type `kind` (``styles``, ``theme``) names: `usual` (xl/styles.xml)
    where the file has that part (every client's name: no parse); else where the workbook's relationships point (a
    valid package may name it xl/Styles1.xml, as LibreOffice opens it); `usual` where they name none."""
    if usual in parts or not rels:
        return usual
    try:
        root = _xml(rels, "xl/_rels/workbook.xml.rels")
    except FileProblem:
        return usual
    if root is None:
        return usual
    for rel in root.iter(f"{_NS_PKG_REL}Relationship"):
        if rel.get("Type", "").rsplit("/", 1)[-1] == kind and rel.get("TargetMode", "") != "External":
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            return posixpath.normpath(target)
    return usual


#: The names local to a sheet workbook.xml defines its print area and print titles (the rows atop every page) by
_PRINT_AREA, _PRINT_TITLES = "_xlnm.Print_Area", "_xlnm.Print_Titles"
_PRINTED_NAMES = {n.lower(): n for n in (_PRINT_AREA, _PRINT_TITLES)}  # (names compared case-insensitively)


#: A sheet's name before a cell reference of a print area: .xlsx's ``'项目 信息'!`` / ``项目信息!``; .ods's
#: ``$项目信息.`` / ``.`` (the sheet of the range's first cell)
_AREA_SHEET = {"xlsx": re.compile(r"(?:'(?:[^']|'')*'|[^'!,]*)!"),
               "ods": re.compile(r"\$?(?:'(?:[^']|'')*'|[^'.\s:,]*)\.")}
_AREA_RANGE = re.compile(r"([A-Z]{1,3})?([0-9]{1,7})?(?::([A-Z]{1,3})?([0-9]{1,7})?)?")


#: The longest print area made out (characters): Excel keeps a defined name's formula to 8,192; a longer one (a
#: hand-made file's 200,000 references, red team 24d F03) is not made out, as a text not understood is not.
MAX_PRINT_AREA = 8192


#: what separates a print area's ranges
_AREA_SPLIT = re.compile(r"[,\s]+")


def print_area_boxes(text: str, kind: str) -> tuple[tuple[int, int, int, int], ...] | None:
    """The ranges of a print area (`kind`: how the file writes them: .xlsx ``项目信息!$A$1:$B$24,项目信息!$D:$E``,
    .ods ``项目信息.A1:项目信息.B24 …``) as (first row, first col, last row, last col), 0-based, inclusive (a whole
    column or row to the sheet's end); None for a text not made out (nothing is said of what it prints).
    The returns of one template write the same few texts: each is made out once (_area_boxes), the texts kept of
    at most MAX_PRINT_AREA characters."""
    if not isinstance(text, str) or not text or len(text) > MAX_PRINT_AREA:
        return None
    return _area_boxes(text, kind)


@functools.lru_cache(maxsize=256)
def _area_boxes(text: str, kind: str) -> tuple[tuple[int, int, int, int], ...] | None:
    """print_area_boxes of a text of at most MAX_PRINT_AREA characters."""
    pattern = _AREA_SHEET.get(kind)
    if pattern is None:
        return None
    boxes = []
    for piece in _AREA_SPLIT.split(pattern.sub("", text).replace("$", "").strip()):
        m = _AREA_RANGE.fullmatch(piece)
        if not piece or not m or not (m[1] or m[2]):
            return None
        c0, r0 = m[1], m[2]
        c1, r1 = (m[3], m[4]) if ":" in piece else (c0, r0)
        if bool(c0) != bool(c1) or bool(r0) != bool(r1):
            return None  # (A1:B, A:B2: no range Excel or LibreOffice writes)
        cols = (parse_a1(f"{c0}1")[1], parse_a1(f"{c1}1")[1]) if c0 else (0, MAX_SHEET_COLS)
        rows = (int(r0) - 1, int(r1) - 1) if r0 else (0, MAX_SHEET_ROWS)
        boxes.append((min(rows), min(cols), max(rows), max(cols)))
    return tuple(boxes) or None


def _sheet_elements(wb):
    """The <sheet> elements of a parsed workbook.xml, Transitional or Strict."""
    return () if wb is None else (e for ns in _NS_MAIN for e in wb.iter(f"{ns}sheet"))


# docProps/custom.xml as the writer of our templates writes it: the declaration, the root, and nothing but
# <property …><vt:lpwstr>text</vt:lpwstr></property> elements, each written one way; no entity or character
# reference (&), no control character but a tab or newline in a text (no \r, which expat makes a \n), none in a
# name (which expat would make a space), no > (nor ]]>) in a text.  Such a part is read by one split (each
# property's name and text, what the parser gives); any other, or one that is not UTF-8 throughout or holds
# U+FFFE/U+FFFF (not XML), by the parser (the parse of 14 properties cost some 0.4 M instructions a file).
_CUSTOM_HEAD = re.compile(rb'<\?xml version="1\.0" encoding="UTF-8" standalone="yes"\?>\r?\n?<Properties '
                          rb'xmlns="http://schemas\.openxmlformats\.org/officeDocument/2006/custom-properties" '
                          rb'xmlns:vt="http://schemas\.openxmlformats\.org/officeDocument/2006/docPropsVTypes">')
_CUSTOM_PROPERTY = re.compile(rb'<property fmtid="\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}" '
                              rb'pid="[0-9]{1,9}" name="([^"<>&\x00-\x1f]*+)"><vt:lpwstr>([^<>&\x00-\x08\x0b-\x1f]*+)'
                              rb'</vt:lpwstr></property>')
_CUSTOM_END = b"</Properties>"


def _canonical_properties(custom: bytes) -> tuple[tuple[str, str], ...] | None:
    """_custom_properties_of of a part written as _CUSTOM_HEAD and _CUSTOM_PROPERTY say; None for any other."""
    head = _CUSTOM_HEAD.match(custom)
    end = custom.rfind(_CUSTOM_END)
    if head is None or end < head.end() or custom[end + len(_CUSTOM_END):] not in (b"", b"\n", b"\r\n") \
            or b"\xef\xbf\xbe" in custom or b"\xef\xbf\xbf" in custom:
        return None
    pieces = _CUSTOM_PROPERTY.split(custom[head.end():end])  # between, before and after the properties: nothing
    if any(pieces[::3]):
        return None
    out = {}
    try:
        custom.decode("utf-8")  # (what the parser refuses is not read here)
        for name, text in zip(pieces[1::3], pieces[2::3]):
            if name:
                out[name.decode("utf-8")] = text.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    return tuple(out.items())


@cached_parts
def _custom_properties_of(custom: bytes | None) -> tuple[tuple[str, str], ...]:
    found = _canonical_properties(custom) if custom is not None else None
    return found if found is not None else _properties_parsed(custom)


def _properties_parsed(custom: bytes | None) -> tuple[tuple[str, str], ...]:
    """docProps/custom.xml's (name, text) by the XML parser: any part _canonical_properties does not read."""
    root = _xml(custom, "docProps/custom.xml")
    out = {}
    for prop in (root if root is not None else ()):
        name = prop.get("name")
        if name and len(prop):
            out[name] = (prop[0].text or "").strip()
    return tuple(out.items())


_NS_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"


def _user_defined_of(meta: bytes | None) -> tuple[tuple[str, str], ...]:
    """An OpenDocument's user-defined properties (meta.xml), name -> text."""
    root = _xml(meta, "meta.xml")
    out = {}
    for prop in (root.iter(f"{_NS_META}user-defined") if root is not None else ()):
        name = prop.get(f"{_NS_META}name")
        if name:
            out[name] = (prop.text or "").strip()
    return tuple(out.items())


_DEVNULL: list = []


@contextlib.contextmanager
def _quiet_stderr():
    """Keep a Rust panic's message and backtrace off the user's terminal (the panic itself is caught)."""
    try:
        if not _DEVNULL:
            _DEVNULL.append(os.open(os.devnull, os.O_WRONLY))
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        os.dup2(_DEVNULL[0], 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _calamine():
    """The python_calamine module; FileProblem file.reader_failed where it does not import (a broken installation:
    the module named, pip install --force-reinstall; the file not called damaged), as olefile's (Grid.xls_facts)."""
    try:
        import python_calamine as module
    except ImportError as exc:
        raise _reader_failed(exc, "python_calamine") from None
    return module


def _reader_failed(exc: ImportError, module: str) -> FileProblem:
    """file.reader_failed of a reader module that does not import (`module`, where the error names none)."""
    return FileProblem("file.reader_failed", found=f"{exc.__class__.__name__}: {exc}"[:200],
                       detail=(exc.name or module).partition(".")[0])


#: What calamine (or the screen) raising says nothing of the file: an interrupt, and the worker's memory limit
#: (MemoryError: the worker is held to schema/limits.json's worker_memory_mb), which pmap reports as file.crashed
#: ("内存超过上限").  Taken for the file's fault, an .et/.ett was told to be saved as .xlsx in WPS and an .xlsx was
#: called damaged, when it was the reader that ran short.
_NOT_THE_FILES = (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError)
_NOT_FOR_CALAMINE = ("docProps/", "xl/theme/")  # parts calamine never reads: not inflated for it


def _as_shown(rows: list[list], no_number: set) -> list[list]:
    """Each number to 15 significant digits (_decimals.as_shown), as Excel, WPS and LibreOffice show it and LibreOffice
    saves it in an .xlsx or .ods: an .xls keeps the double itself (0.1234567890123456, 1.500000000000001), and so
    does an .xlsx Excel wrote (0.30000000000000004 of a formula, 1234567.8900000001 pasted), which read otherwise
    than the cell shows them.  Every format is read through here.  A float no spreadsheet holds (NaN, an infinity:
    `<v>NaN</v>`, `<v>1e999</v>` in a hand-made file), which Excel shows as #NUM!, is put in `no_number` as (row,
    column): the grid records it as an error value of the sheet's facts, said at its cell before any parse.

    The floats are picked out of the cells in C (_IS_FLOAT), and those that are no whole number (float.is_integer)
    out of them: only these are looked at one by one, and only when one of them is shown otherwise, is no number, or
    a whole number has more than 15 digits are the rows walked cell by cell.  A sheet's texts, empty cells and whole
    numbers (序号, 100, amounts in yuan) cost no Python step each."""
    floats = list(filter(_IS_FLOAT, _chain(rows)))
    if not floats:
        return rows
    for v in _filterfalse(float.is_integer, floats):  # (NaN and the infinities are no whole number)
        if not math.isfinite(v) or _shown(v) != v:
            break
    else:
        if -1e15 < min(floats) and max(floats) < 1e15:  # (no NaN among them: each was looked at above)
            return rows  # every number shown as it is read (the usual case)
    for r, row in enumerate(rows):
        for i, v in enumerate(row):
            if type(v) is float and not (v.is_integer() and -1e15 < v < 1e15):
                if not math.isfinite(v):
                    no_number.add((r, i))
                    continue
                shown = _shown(v)
                if shown != v:
                    row[i] = shown
    return rows


_IS_FLOAT = float.__instancecheck__  # (isinstance(v, float) in C: calamine gives floats, never a subclass of float)
_chain, _filterfalse = itertools.chain.from_iterable, itertools.filterfalse
#: as_shown of a finite float (a function of its value alone), kept for the numbers returns repeat (a form's 分值
#: split equally over its rows, a rate, a score): bounded, and the same in every process
_shown = functools.lru_cache(maxsize=1024)(as_shown)


#: What calamine is given at the start of each sheet (see _merges_stopped).
_NO_MERGES = b"<mergeCells></mergeCells>"
_ROOT_TAG = re.compile(rb'<\?xml[^<>]*\?>[ \t\r\n]*<(?:[A-Za-z_][\w.-]*:)?worksheet(?:[ \t\r\n][^<>"\']*(?:"[^<>"]*"[^<>"\']*)*)?>')

# The whitespace after the empty <mergeCells> that keeps the part's CRC-32 (_merges_stopped): _FILL_BYTES bytes, each
# a space or a newline as a bit of a mask says (_fill).  CRC-32 is affine: over texts of one length, the CRCs of two
# differ by a linear function of their difference, whatever came before them; so the masks whose whitespace turns
# the CRC of what precedes them (s) into s ^ 2**j are fixed, one for each bit j (_NEUTRAL, as _neutral_masks makes
# them), and the mask of any wanted change is the XOR of those of its bits.
_FILL_BYTES = 32
_FILL = bytes.maketrans(b"01", b" \n")
_NEUTRAL = (0x884fbe8a, 0xa21d0764, 0x62a5c062, 0x36ceb7aa, 0xc0ec267c, 0x16b33e15, 0xb72a8358, 0x0980eb02,
            0x4427df45, 0x510e83b2, 0x3152e031, 0x1b675bd5, 0x6076133e, 0x893911d1, 0x5b9541ac, 0x04c07581,
            0xa0736179, 0x288741d9, 0x9ac9fec3, 0x8fd32331, 0x303b099f, 0xc6fc0633, 0x2dcaa0d6, 0x8000b41b,
            0xd2593e67, 0x96232e37, 0xcf0471ba, 0xc5891f43, 0x9a7d0a14, 0xe11e8dc2, 0x16e5506b, 0xc260d4d6)


def _nibbles() -> tuple[tuple[int, ...], ...]:
    """For each of the CRC's eight nibbles, the mask of each of its 16 values (the XOR of its bits' _NEUTRAL)."""
    out = []
    for k in range(0, 32, 4):
        row = [0]
        for i in range(4):
            row += [v ^ _NEUTRAL[k + i] for v in row]
        out.append(tuple(row))
    return tuple(out)


_N0, _N1, _N2, _N3, _N4, _N5, _N6, _N7 = _nibbles()


def _fill(mask: int) -> bytes:
    """_FILL_BYTES bytes of whitespace: the first a newline where the mask's highest bit is set, else a space, ..."""
    return format(mask, "032b").encode("ascii").translate(_FILL)


def _neutral_masks() -> tuple[int, ...]:
    """_NEUTRAL from the CRC itself (the test holds the two the same): for each bit j, the mask whose whitespace
    changes the CRC of what precedes it by 2**j, found by Gaussian elimination over GF(2)."""
    zero = zlib.crc32(_fill(0))
    basis: dict = {}  # pivot bit -> (the CRC's change, the mask making it)
    for i in range(_FILL_BYTES):
        change, mask = zlib.crc32(_fill(1 << i)) ^ zero, 1 << i
        for p in sorted(basis, reverse=True):
            if change >> p & 1:
                change, mask = change ^ basis[p][0], mask ^ basis[p][1]
        if change:
            basis[change.bit_length() - 1] = (change, mask)
    out = []
    for j in range(32):
        change, mask = 1 << j, 0
        for p in sorted(basis, reverse=True):
            if change >> p & 1:
                change, mask = change ^ basis[p][0], mask ^ basis[p][1]
        out.append(mask)
    return tuple(out)


def _merges_stopped(xml: bytes) -> bytes | None:
    """A sheet part as calamine is given it: an empty ``<mergeCells>`` first in its root element, and whitespace
    that keeps the part's CRC-32; or None where its root's start tag is not plainly written (the part is given as
    it is).

    When python-calamine gives a sheet it also reads the sheet's merged ranges: it parses the part a second time up
    to its ``<mergeCells>`` (after the cells), as many XML events again as the cells cost.  The reader takes an
    .xlsx's merged ranges from the screen (``SheetFacts.merged``), never from calamine, so calamine is given an
    empty list of them where it looks first: it stops there.  Nothing else changes: calamine's cell reader passes
    over what stands before ``<sheetData>``, and the cells it gives are the same.

    calamine checks a sheet's CRC-32, and the part's was checked when it was inflated: the whitespace after the
    empty list (_FILL_BYTES spaces and newlines, between two elements: no text of the sheet's) is chosen so that
    the CRC after it is the CRC before the list, so the part given has the CRC of the part read, and its bytes are
    not read a second time for a CRC of their own (a pass over the whole sheet, for a few bytes inserted)."""
    m = _ROOT_TAG.match(xml)
    if m is None or xml[m.end() - 2:m.end() - 1] == b"/":
        return None
    head = zlib.crc32(memoryview(xml)[:m.end()])
    c = head ^ zlib.crc32(_STOP_ZERO, head)  # the change wanted; its mask, the XOR of its bits', a nibble at a time
    mask = (_N0[c & 15] ^ _N1[c >> 4 & 15] ^ _N2[c >> 8 & 15] ^ _N3[c >> 12 & 15] ^ _N4[c >> 16 & 15]
            ^ _N5[c >> 20 & 15] ^ _N6[c >> 24 & 15] ^ _N7[c >> 28])
    return b"".join((xml[:m.end()], _NO_MERGES, _fill(mask), xml[m.end():]))


_STOP_ZERO = _NO_MERGES + _fill(0)  # the empty list and the whitespace of mask 0


_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # a stored entry's local header, its name after it
_CENTRAL_HEADER = struct.Struct("<4sHHHHHHIIIHHHHHII")  # its central directory entry, its name after it


def _stored(parts, left_out: frozenset = frozenset(), sheets=frozenset()) -> bytes:
    """The screened parts calamine reads, again as a zip without compression: calamine reads them without
    inflating them a second time (each file is inflated once, by the screen).  The parts `left_out` (sheets
    nobody asks for) are neither inflated nor given to calamine; the `sheets` (the parts of the sheets an
    .xlsx names) are given with their merged ranges stopped (_merges_stopped).  Built with one join: the
    parts' bytes are copied once, into the zip."""
    pieces, central = [], []
    offset = 0
    local, entry = _LOCAL_HEADER.pack, _CENTRAL_HEADER.pack
    for name in parts:
        if name.startswith(_NOT_FOR_CALAMINE) or name in left_out:
            continue
        data = parts[name]
        crc = parts.crc(name)  # checked against the bytes when the part was inflated
        if name in sheets:
            data = _merges_stopped(data) or data  # (of the same CRC)
        raw = name.encode("utf-8")
        size = len(data)
        pieces += (local(b"PK\x03\x04", 20, 0x800, 0, 0, 0x21, crc, size, size, len(raw), 0), raw, data)
        central += (entry(b"PK\x01\x02", 20, 20, 0x800, 0, 0, 0x21, crc, size, size, len(raw), 0, 0, 0, 0, 0, offset), raw)
        offset += 30 + len(raw) + size
    count = len(central) // 2
    directory = sum(map(len, central))
    pieces += central
    pieces.append(struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, directory, offset, 0))
    return b"".join(pieces)


def _place(cell: bytes) -> tuple[int, int]:
    """(row, col), 0-based, of a cell's place written b"D5"."""
    digits = cell.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    col = 0
    for ch in cell[:len(cell) - len(digits)]:
        col = col * 26 + ch - 64
    return int(digits) - 1, col - 1


def _twice(name: str, start: bytes, r: bytes) -> FileProblem:
    """The refusal of sheet `name`'s part holding two tags of the row or cell (`start`: _ROW_START or _CELL_START)
    placed `r`: a canonical part's tags are not all read (that would cost a search of every tag of every file), so
    a second tag is found where the tags asked for are read: among those passed over to find one (_first_place), or
    next to the one found (_tag_text: a tag written twice, as hand-made files write it); the parser finds every one."""
    place = r.decode("ascii", "replace")
    if start == _CELL_START:
        return _written_twice(name, place, place)
    return _written_twice(name, None, place, int(r) if r.isdigit() else 0)


def _written(attrs: dict) -> bytes:
    """A tag's attributes (as expat gives them) written canonically, as _tag_text gives a tag's text: ` name="value"`
    each, the unprefixed ones (a prefixed name, x:ht, is none of the row's or cell's own), escaped."""
    return b"".join(b' %s="%s"' % (k.encode("utf-8"), v.replace("&", "&amp;").replace('"', "&quot;")
                                   .replace("<", "&lt;").encode("utf-8")) for k, v in attrs.items() if ":" not in k)


_ROW_START = b'<row r="'  # a row tag's start as _tag_text looks for it, its r after it up to a '"'
_CELL_START = b'<c r="'  # a cell tag's start alike


#: A row's or a cell's tag in a part written canonically (_screen_canonical), its r
_PLACED = re.compile(rb'<(row|c) r="([^"<]*)"')
_blanks = functools.partial(map, list.count)  # (_blanks(rows, repeat("")): each row's empty cells, counted in C)


def _each_once(name: str, xml: bytes, rows: list) -> None:
    """Refuse sheet `name`'s part, written canonically, where a row or a cell is written twice (_twice, located), as
    the screen's parser refuses the part it reads: calamine (and LibreOffice) read the last of two <c r="F5">, Excel
    repairs the file dropping one; which the department meant is not known (red team 33).

    Told without reading every tag where no tag can be written twice (the usual case): as many values (<v>, <is>) as
    calamine gave cells (`rows`, its values) — a cell written twice with two values gives one cell for them — and
    no more row tags than the last row's number (in the writers' order, rows ascend).  Otherwise the part's tags are
    read, in order, and the first written twice is refused (a value that is an empty text, which calamine gives as
    "", passes that reading)."""
    kept = xml.count(b"<v>")
    filled = len(list(filter(None, _chain(rows))))  # (a cell of 0 or FALSE not among them: counted below)
    if filled != kept:
        filled = sum(map(len, rows)) - sum(_blanks(rows, itertools.repeat("")))
        if kept < filled:  # (inline texts: their cells hold an <is>, no <v>)
            kept += xml.count(b"<is>")
    if kept == filled:
        last = xml.rfind(_ROW_START)
        end = xml.find(b'"', last + len(_ROW_START)) if last >= 0 else -1
        number = xml[last + len(_ROW_START):end]
        if last < 0 or number.isdigit() and xml.count(_ROW_START) <= int(number):
            return
    seen: set = set()
    for m in _PLACED.finditer(xml):
        if m[0] in seen:
            raise _twice(name, _ROW_START if m[1] == b"row" else _CELL_START, m[2])
        seen.add(m[0])


def _first_place(found: dict, name: str, xml: bytes, start: bytes, r: bytes) -> int:
    """The place of the first tag of sheet `name` written `start` + `r` + '"' (an r holds no '"' nor '<'), as
    ``xml.find`` finds it; -1 where none.  The tags are placed as they are asked for: the part is read from where the
    last question stopped, up to the tag asked (each tag passed over is kept, r -> its first place, in `found`), so
    every question of a sheet together reads its part once at most, by ``bytes.find`` (a form asks for a few rows of
    a sheet, or every row of a long table: linear either way; a regular expression's search over the same bytes, and
    a match object for each tag, cost five times the instructions)."""
    state = found.get(name)
    if state is None:
        state = found[name] = [{}, 0]  # r -> its first place; where the part is read on from (-1: read to its end)
    places = state[0]
    i = places.get(r)
    if i is not None:
        return i
    pos = state[1]
    if pos < 0:
        return -1
    find, n, setdefault = xml.find, len(start), places.setdefault
    while True:
        i = find(start, pos)
        if i < 0:
            state[1] = -1
            return -1
        j = find(b'"', i + n)
        if j < 0:  # no tag after it ends its r either
            state[1] = -1
            return -1
        found_r = xml[i + n:j]
        if b"<" in found_r:  # no r (a '<' before its '"'): a tag may start within it
            pos = i + 1
            continue
        pos = j + 1
        if setdefault(found_r, i) != i:  # a second tag of a row or cell passed over (the first kept): refused
            raise _twice(name, start, found_r)
        if found_r == r:  # (its first: none of this r was passed over before)
            state[1] = pos
            return i


_PROTECTION = re.compile(rb"<(?:\w+:)?sheetProtection\b[^>]*>")
_SHEET_ON = re.compile(rb'\bsheet="(1|true)"')  # a sheetProtection tag's sheet="1": the sheet protected
_HEIGHT = re.compile(rb'\sht\s*=\s*["\']([^"\']*)["\']')  # a row tag's height
# a cell tag's style index, as style_index reads it (" 16", +16, 016: 16)
_STYLE = re.compile(rb"""\ss\s*=\s*["'][ \t\r\n]*+\+?0*+([0-9]{1,9})[ \t\r\n]*["']""")
#: characters: the width of a column the file gives none (Excel's and WPS's default, 8.43; 宋体 11 pt: 8.38)
DEFAULT_COLUMN_WIDTH = 8.43
#: The papers page_room knows (an .xlsx's paperSize): (width, height) in points, portrait
_PAPER_POINTS = {1: (612, 792), 5: (612, 1008), 8: (842, 1191), 9: (595, 842), 11: (420, 595)}
#: The pixels a column's character takes on paper, its padding 5 more, where a sheet fits its columns to the page's
#: width (page_room): Excel's, of Calibri 11 (LibreOffice, printing the forms in Noto Sans CJK, scales them a little
#: smaller: its pages hold a little more; a 519 pt row of the self-evaluation's 指标自评 still ran over its footer)
_PAGE_CHARACTER = 7
#: ... and LibreOffice's widest: a sheet fitted to the page's width prints at a scale LibreOffice works out from its
#: own columns' widths, counted in the '0' of the font it draws the workbook's 宋体 with (the fonts installed decide):
#: DejaVu Sans's (9.3 px at 11 pt) where no 宋体 is (指标监控 at ~73 %), 宋体's own (7.3 px) where it is (~88 %).  At
#: this, the smallest scale LibreOffice may print such a sheet at: its pages hold the most (page_room's `widest`)
_LO_PAGE_CHARACTER = 9.4
#: The rows among a sheet's print titles' ranges ($1:$2)
_TITLE_ROWS = re.compile(r"!\$?(\d+):\$?(\d+)")


def _cols_at(xml: bytes | None) -> tuple[int, int]:
    """Where a sheet part's <cols> element lies (start, end; end -1 where it has none)."""
    start = xml.find(b"cols") if xml else -1
    return start, xml.find(b"cols>", start + 4) if start >= 0 else -1


def _widths_in(xml: bytes | None, start: int, end: int) -> dict:
    """0-based column -> width (characters) of the <col> elements of `xml` between `start` and `end` (_cols_at)."""
    widths: dict = {}
    for m in (_COL_TAG.finditer(xml, start, end) if xml and end > 0 else ()):
        attrs = tag_attributes(m.group(1))
        try:
            first, last = int(attrs.get("min", "")), int(attrs.get("max", ""))
            width = float(attrs.get("width", "").strip() or "nan")
        except ValueError:
            continue
        if not 0 <= width <= 255 or last - first > MAX_SHEET_COLS:
            continue
        for i in range(max(first, 1) - 1, min(last, MAX_SHEET_COLS)):
            widths.setdefault(i, width)
    return widths


#: The longest <cols> element whose widths are kept (_widths_of): a template's few columns; a hand-made file's
#: many are read each time, never kept
_KEPT_COLS = 8192


@functools.lru_cache(maxsize=64)
def _widths_of(cols: bytes) -> types.MappingProxyType:
    """_widths_in of a sheet's <cols> element `cols` (at most _KEPT_COLS bytes), read-only: returns of one template
    share it byte for byte, so in a batch its <col> tags are read once (a dozen tags' attributes cost more than the
    rest of a column's questions)."""
    return types.MappingProxyType(_widths_in(cols, 0, len(cols)))


@functools.lru_cache(maxsize=64)
def _narrower(cols: bytes, widths: tuple) -> tuple:
    """Grid.narrower of a sheet whose <cols> element is `cols` (at most 8 KB: a template's few columns)."""
    found = _widths_of(cols)
    return tuple(c for c, width in widths if found.get(c, DEFAULT_COLUMN_WIDTH) < width)


def _protection_tag(xml: bytes):
    """The first ``sheetProtection`` element (what ``_PROTECTION.search`` finds), found from the word at
    C speed rather than by trying the pattern at every ``<`` of the part."""
    i = xml.find(b"sheetProtection")
    while i >= 0:
        start = xml.rfind(b"<", 0, i)
        m = _PROTECTION.match(xml, start) if start >= 0 else None
        if m:
            return m
        i = xml.find(b"sheetProtection", i + 1)
    return None


#: calamine's refusals said in Chinese (a department reads the zh message; the en one keeps calamine's own text):
#: (its text, zh, en) — {0} the sheet named
_CALAMINE_SAYS = (
    (re.compile(r"WorksheetNotFound: (.{0,40})", re.DOTALL), "找不到工作表“{0}”的内容（工作簿中指向它的路径无法解析）",
     "the content of sheet '{0}' is not found (the path the workbook gives it cannot be resolved)"),
    (re.compile(r"string index not found in shared strings", re.IGNORECASE),
     "单元格引用的文字不在文件中（共享文字部件缺失或名称不同）",
     "a cell refers to a shared string the file does not hold (the shared-strings part is missing or renamed)"),
)


def _calamine_detail(exc: BaseException) -> tuple[str, str]:
    """What calamine's refusal `exc` says, in Chinese (never its raw English text) and in English (its own)."""
    text = " ".join(str(exc).split())
    raw = f"{exc.__class__.__name__}: {text}"[:160]
    for pattern, zh, en in _CALAMINE_SAYS:
        m = pattern.search(raw)
        if m is not None:
            found = m.groups()[0].strip() if m.groups() else ""
            return zh.format(found), f"{en.format(found)}; {raw}"
    return "读取程序无法解析文件的内容", raw


#: calamine's refusal of a cell type it does not know (`` t=" n"``, ``t="s "``: no ST_CellType; LibreOffice shows such a
#: cell empty), and the cell tags of a part giving that type
_UNKNOWN_TYPE = re.compile(r"""Unknown cell 't' attribute: "(.{0,40}?)"$""", re.DOTALL)
_TYPED_CELL = re.compile(rb"""<(?:[\w.-]+:)?c\b((?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+)>""")


def _unknown_type(exc: BaseException, name: str, xml: bytes | None) -> FileProblem | None:
    """The located refusal of sheet `name`'s first cell whose type (t) is none calamine knows, as calamine's `exc`
    says; None for any other error (or a type not found in the part: _fault's general one)."""
    m = _UNKNOWN_TYPE.search(str(exc))
    if m is None or not xml:
        return None
    for tag in _TYPED_CELL.finditer(xml):
        attrs = tag_attributes(tag[1])
        if attrs.get("t") == m[1]:
            ref, t = (attrs.get("r") or "?").strip()[:20], m[1][:20]
            return FileProblem("file.corrupt", sheet=name, detail=(
                f"工作表“{name}”单元格 {ref} 的类型“{t}”无效（应为 n、s、str、inlineStr、b、e、d 之一），无法确定它的内容",
                f"cell {ref} of sheet '{name}' gives its type as '{t}', none of n, s, str, inlineStr, b, e, d: "
                f"its content is not known"))
    return None


class Unscreened(SheetFacts):  # (no @dataclass: SheetFacts' __init__, no dataclass code made on the validate path)
    """The facts of an .xls sheet whose BIFF records were not made out (no SheetFacts of its own): only the cells
    calamine gave a number no spreadsheet holds (NaN, an infinity), said as the error values they show, as every
    format's; its formulas are not known (``formulas_known``: no computed cell or 总分 is said typed over), its hidden
    rows none known and its merges calamine's, as for a sheet without facts."""

    formulas_known = False


class Grid:
    """One received workbook, screened: its sheets' cell values and its workbook-level facts."""

    def __init__(self, container: Container, sheets=None):
        """`sheets`: the names of the sheets the caller may read (None: any).  An .xlsx's other sheets, and those
        its workbook.xml declares very hidden, are left out of what calamine is given, never inflated; should one
        be asked for after all, calamine is given the workbook again with it."""
        self.container = container
        self._renamed: dict[str, str] = {}  # a form's sheet -> the name the department gave it (read_as)
        self.kind = container.kind
        parts = container.parts
        # the sheets, and the print areas and titles workbook.xml sets (print_area, page_room), from its one parse
        found, self._printed = _sheets_of(parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")) \
            if container.kind == "xlsx" else ((), ())
        self._parts = {name: part for name, part, _ in found}
        self._left_out: frozenset = frozenset()
        if sheets is not None and self._parts:  # a very hidden sheet (a template's lists) no program shows
            wanted = {part for name, part, state in found if name in sheets and state != "veryHidden"}
            self._left_out = frozenset(part for part in self._parts.values() if part not in wanted)
        self.facts: dict[str, SheetFacts] = {}
        if container.kind == "ods":  # one part holds every sheet: screened whole, before calamine
            container.parts.verify()  # calamine reads the .ods file itself: every part inflated and checked first
            self.facts = screen_ods(container.parts["content.xml"], container.parts.get("styles.xml"))
        # the styles part, found as the sheets are (through the workbook's relationships), resolved once
        self.styles_part = _related_part(parts, parts.get("xl/_rels/workbook.xml.rels"), "styles", "xl/styles.xml") \
            if container.kind == "xlsx" else "xl/styles.xml"
        styles = container.parts.get(self.styles_part) if container.kind == "xlsx" else None
        self._percent = percent_styles(styles) if container.kind == "xlsx" else frozenset()
        self._texts = format_texts(styles) if container.kind == "xlsx" else ()
        self._otherwise = otherwise_styles(styles) if container.kind == "xlsx" else ()
        self._xls: dict | None = None
        self._xls_properties: bytes | None = None  # the .xls's user-defined properties' stream (compound_streams)
        self._xls_app = ""  # the application that saved the .xls (saved_by)
        if container.kind == "xls":  # calamine lays out every sheet when it opens the file: each screened first
            self._xls_sheet("")
            if not self._xls:  # records the screen cannot make out: not handed to calamine unscreened
                raise wps_problem(container.path) if is_wps(container.path) else \
                    FileProblem("file.corrupt", detail=("工作簿的数据无法读取，文件可能已损坏",
                                                        "the workbook's records cannot be read; the file may be damaged"))
        self._wb = self._open()
        self.sheet_names: list[str] = list(self._wb.sheet_names)
        self._values: dict[str, list[list]] = {}
        self._props: dict[str, str] | None = None
        #: the document part holding the custom properties when it cannot be parsed (custom_properties: none read)
        self._props_damaged = ""
        self._props_lost: dict[str, tuple[int, str, str]] = {}
        # sheet -> [its first <row r="…" of each r passed over, where its part is read on from] (_first_place)
        self._row_tags: dict[str, list] = {}
        self._cell_tags: dict[str, list | None] = {}  # the same of its <c r="…"; None: one cell asked
        self._default_heights: dict[str, float | None] = {}  # sheet -> its default_row_height, once asked
        self._col_widths: dict[str, dict[int, float]] = {}  # sheet -> its <cols>' widths, once asked (column_width)
        self._looks: tuple | None = None  # the styles' CellLooks, once asked (looks)
        self._page_rooms: dict[tuple, tuple | None] = {}  # (sheet, widest) -> its page_room, once asked

    def read_as(self, expected: str, actual: str) -> None:
        """Sheet `actual` read as the form's sheet `expected` (the department renamed it: _locate.renamed_sheets):
        every question of `expected` is asked of `actual`, and the sheets are listed under the form's name."""
        self._renamed[expected] = actual
        self.sheet_names = [expected if n == actual else n for n in self.sheet_names]

    @property
    def renamed(self) -> dict[str, str]:
        """The form's sheets read under another name (read_as): the form's name -> the department's."""
        return dict(self._renamed)

    def real_name(self, name: str) -> str:
        """The name the workbook gives the form's sheet `name` (itself unless renamed).  The public methods take the
        form's name and resolve it here, once; the private ones (_rows, _merged, _tag_text, _tag, _row, _xls_sheet)
        take the name it resolves to.  (read_as maps a form's sheet to one that is none of the form's: resolving
        a resolved name again gives it unchanged.)"""
        return self._renamed.get(name, name)

    def _open(self):
        """calamine's workbook of the screened file (an .xlsx's parts as a stored zip, without those left out)."""
        container = self.container
        # an .ods as it is, unless a part of it was written in UTF-16: then its parts as the screen read them, in UTF-8
        stored = container.kind == "xlsx" or (container.kind == "ods" and container.parts.transcoded)
        data = _stored(container.parts, self._left_out, frozenset(self._parts.values())) if stored \
            else container.data  # may raise FileProblem
        calamine = _calamine()
        try:
            with _quiet_stderr():
                return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except BaseException as exc:  # calamine's own error types, and Rust panics (a BaseException)
            if isinstance(exc, _NOT_THE_FILES):
                raise
            raise self._fault(exc, opening=True) from None

    def values(self, name: str) -> list[list]:
        """The sheet's cells as rows of values ("" for an empty cell), screened for size first."""
        return self._rows(self.real_name(name))

    def _rows(self, name: str) -> list[list]:
        """values() of sheet `name` as the workbook names it (real_name)."""
        if name not in self._values:
            if self.kind == "xlsx":
                part = self._parts.get(name, "")
                if part not in self.container.parts:  # calamine would read a part we have not screened
                    raise FileProblem("file.corrupt", detail=(f"找不到工作表“{name}”的内容（{part[:60] or '无'}）",
                                                                f"the content of sheet '{name}' is missing ({part[:60] or 'none'})"))
                self.facts[name] = screen_sheet(self.container.parts[part], name, self._percent, self._texts,
                                                 self._otherwise)
                if part in self._left_out:  # a sheet left out, asked for after all (a lists sheet shown)
                    self._left_out = self._left_out - {part}
                    self._wb = self._open()
            elif self.kind == "xls":  # the BIFF records' facts, as the screen's of an .xlsx (None: not made out)
                info = self._xls_sheet(name)
                if info is not None:
                    self.facts[name] = SheetFacts(
                        max_row=None, max_col=None, formulas=info["formulas"], errors=info["errors"],
                        error_texts=info["error_texts"],
                        hidden_rows=info["hidden_rows"], percent=info["percent"], protected=info["protected"],
                        percent_sections=info["percent_sections"],
                        merged=info["merged"], hidden_cols=info["hidden_cols"],
                        text_results=info["text_results"], text_unsure=info["text_unsure"],
                        format_text=info["format_text"], shown_otherwise=info["shown_otherwise"],
                        heights=info["heights"], font_sizes=info["font_sizes"],
                        unkept_formulas=info["unkept_formulas"])
            try:
                with _quiet_stderr():  # once for both calls (each redirection costs four system calls)
                    sheet = self._wb.get_sheet_by_name(name)
                    if self.kind == "xls" and (sheet.total_height > MAX_SHEET_ROWS
                                                or sheet.total_width > MAX_SHEET_COLS):
                        raise FileProblem("file.sheet_too_large",
                                          found=f"{sheet.total_height} 行 × {sheet.total_width} 列",
                                          expected=f"{MAX_SHEET_ROWS} 行 × {MAX_SHEET_COLS} 列", sheet=name)
                    no_number: set = set()
                    self._values[name] = _as_shown(sheet.to_python(skip_empty_area=False), no_number)
                if self.kind == "xlsx" and self.facts[name].row_tags is None:  # (the parser refused any of its own)
                    _each_once(name, self.container.parts[self._parts[name]], self._values[name])
                if no_number:  # (a hand-made file) each an error value, as the screen's #NUM!
                    facts = self.facts.get(name)
                    if facts is None:
                        # (an .xls whose BIFF records were not made out: facts of its numbers no spreadsheet holds
                        # only, its formulas not known and its merges calamine's, as without facts)
                        facts = self.facts[name] = SheetFacts(max_row=None, max_col=None) if self.kind != "xls" \
                            else Unscreened(max_row=None, max_col=None, merged=self._merged(name))
                    facts.errors = facts.errors | no_number
                    facts.error_texts = {**facts.error_texts, **dict.fromkeys(no_number, "#NUM!")}
            except FileProblem:
                raise
            except BaseException as exc:  # calamine's errors, and Rust panics (a BaseException)
                if isinstance(exc, _NOT_THE_FILES):
                    raise
                raise (self.kind == "xlsx" and _unknown_type(exc, name, self.container.parts.get(
                    self._parts.get(name, "")))) or self._fault(exc) from None
        return self._values[name]

    def merged(self, name: str) -> list[tuple[int, int, int, int]]:
        """The merged ranges of sheet `name` as (first row, first column, last row, last column), 0-based, as
        ``values`` places them, as calamine reads them; [] where calamine does not tell (an .ods) or is not told (an
        .xlsx's sheets are given it with their merged ranges stopped: ``merges`` takes the screen's)."""
        return self._merged(self.real_name(name))

    def _merged(self, name: str) -> list[tuple[int, int, int, int]]:
        """merged() of sheet `name` as the workbook names it (real_name)."""
        self._rows(name)  # screened first
        try:
            with _quiet_stderr():
                ranges = self._wb.get_sheet_by_name(name).merged_cell_ranges or []
            return [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in ranges]
        except Exception:  # calamine's own errors: no merges known
            return []

    def _fault(self, exc: BaseException, opening: bool = False) -> FileProblem:
        """What calamine failing on the file says of it: a password (when `opening` it), WPS's own format under an
        .et/.ett name (not Excel 97 inside: WPS saves it as .xlsx), else a damaged file."""
        msg = str(exc).lower()
        if opening and ("password" in msg or "encrypt" in msg):
            return FileProblem("file.encrypted", detail=_calamine_detail(exc))
        if self.kind == "xls" and is_wps(self.container.path):
            return wps_problem(self.container.path)
        return FileProblem("file.corrupt", detail=_calamine_detail(exc))

    def _tag_text(self, name: str, start: bytes, row: bytes | None = None, cell: bytes | None = None) -> bytes | None:
        """What follows `start` in the first tag of sheet `name`'s part that starts so (``<row r="4"``), up to its
        ``>``, as written canonically (a part written otherwise gives None: what is measured from it is not known).
        A row's tag (`row`: its r, ``b"4"``) is found among the sheet's row tags, placed as they are asked for
        (_first_place: a form asks for several rows, each found from the start of the part); a cell's (`cell`:
        ``b"B4"``) among its cell tags alike, from the second cell asked of the sheet (one cell, as most files ask, is
        one search for it).  A part the screen sent to its parser (not written canonically: a comment, a prefix, a tag
        written otherwise, D05) gives its row's or cell's tag as the parser read it (SheetFacts.row_tags, cell_tags),
        written canonically (_written); a row or cell written twice is refused, located (_twice)."""
        xml = self.container.parts.get(self._parts.get(name, "")) if self.kind == "xlsx" else None
        if not xml:
            return None
        if row is None and cell is None:
            attrs = self._sheet_tag(name, start)
            if attrs is not False:  # a part the parser read: the worksheet's own element as it read it
                return _written(attrs) if attrs is not None else None
            # a part written canonically (_screen_canonical: no comment, CDATA, processing instruction or character
            # reference in it, where a tag's name may stand as no tag; text holds no raw <): the first tag found so is
            # the element.  (Not proved: an attribute value holding a raw <, which no well-formed part holds and
            # Excel refuses, calamine reads; telling it would take a parse of every part: 2.2 M instructions, 16 %
            # of a goal table)
            i = xml.find(start)
            end = xml.find(b">", i) if i >= 0 else -1
            return xml[i + len(start):end] if end >= 0 else None
        facts = self.facts.get(name)
        if facts is None or facts.row_tags is not None:
            tags = self._parsed_tags(name)
            if tags is not None:  # a part not written canonically: its tags as the parser read them
                attrs = tags[0].get(int(row) - 1) if row is not None else tags[1].get(_place(cell))
                return _written(attrs) if attrs is not None else None
        if row is not None:
            kind, r = _ROW_START, row
            i = _first_place(self._row_tags, name, xml, kind, row)
        else:
            kind, r = _CELL_START, cell
            if name in self._cell_tags:
                i = _first_place(self._cell_tags, name, xml, kind, cell)
            else:
                self._cell_tags[name] = None  # the next cell asked places them all
                i = xml.find(start)
        end = xml.find(b">", i) if i >= 0 else -1
        if end < 0:
            return None
        j = xml.find(kind, end)  # the next tag of a row (of a cell): a second tag of this one, refused
        if j >= 0 and xml.startswith(start, j):
            raise _twice(name, kind, r)
        return xml[i + len(start):end]

    def _parsed_tags(self, name: str) -> tuple[dict, dict] | None:
        """(row -> its tag's attributes, (row, col) -> its cell tag's) of sheet `name`'s part as the screen's parser
        read them (SheetFacts.row_tags, cell_tags); None for a part written canonically (its tags are found in it)."""
        facts = self.facts.get(name)
        if facts is None:
            self._rows(name)  # screened first
            facts = self.facts.get(name)
        rows = getattr(facts, "row_tags", None)
        return None if rows is None else (rows, facts.cell_tags)

    def _sheet_tag(self, name: str, start: bytes):
        """The attributes of the worksheet's own element of sheet `name` that `start` opens (``b"<pageSetup "``: one
        of _screen.SHEET_TAGS, or pageSetUpPr) as the screen's parser read it (SheetFacts.sheet_tags), None where it
        read none; False for a part written canonically (the parser did not read it: the element is found in it)."""
        if self._parsed_tags(name) is None:
            return False
        return self.facts[name].sheet_tags.get(start.strip(b"< ").decode("ascii"))

    def _tag(self, name: str, start: bytes, cell: bytes | None = None) -> dict[str, str] | None:
        """The attributes of that tag (see _tag_text)."""
        text = self._tag_text(name, start, None, cell)
        return tag_attributes(text) if text is not None else None

    def row_height(self, name: str, r: int) -> float | None:
        """The height (points) the file gives row `r` (0-based) of sheet `name`, as Excel and WPS show the row;
        None where the file gives none (an .xls's ROW record, an .ods's row style, an .xlsx's row tag)."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if self.kind != "xlsx":
            height = self._row(name, r)[0]
            return height if height is not None and 0 < height <= MAX_ROW_HEIGHT else None
        height = self._saved_height(name, r)
        return height if height is not None and height <= MAX_ROW_HEIGHT else None  # beyond it: none Excel shows

    def default_row_height(self, name: str) -> float | None:
        """The height (points) at which sheet `name` shows a row the file gives no height of its own (an .xlsx's
        ``<sheetFormatPr defaultRowHeight>``: 15 as xlsxwriter writes it); None where the file does not say.  Read
        once a sheet (asked for each cell merged down over rows)."""
        if self.kind != "xlsx":
            return None
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if name not in self._default_heights:
            self._default_heights[name] = self._default_height(name)
        return self._default_heights[name]

    def _default_height(self, name: str) -> float | None:
        """default_row_height() of sheet `name` as the workbook names it, read from its part."""
        attrs = self._tag(name, b"<sheetFormatPr")
        try:
            height = float((attrs or {}).get("defaultRowHeight", "").strip() or -1)
        except ValueError:
            return None
        return height if 0 < height <= MAX_ROW_HEIGHT else None

    def row_fixed(self, name: str, r: int) -> bool:
        """Whether the file gives row `r` (0-based) of sheet `name` a fixed height (customHeight): one a person or a
        program set, which no application changes as text is typed; a row of no fixed height is as tall as the
        application made it for its text."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if self.kind != "xlsx":
            return self._row(name, r)[1]
        text = self._tag_text(name, b'<row r="%d"' % (r + 1), b"%d" % (r + 1))
        attrs = tag_attributes(text) if text is not None else {}
        return attrs.get("customHeight", "").strip().lower() in ("1", "true")

    def _row(self, name: str, r: int) -> tuple[float | None, bool]:
        """(height in points or None, fixed) of row `r` of an .xls's or .ods's sheet `name`, as the screen noted it."""
        self._rows(name)  # screened first
        facts = self.facts.get(name)
        return (getattr(facts, "heights", None) or {}).get(r, (None, False))

    def _cell_attrs(self, name: str, r: int, c: int) -> dict | None:
        """The attributes of cell (r, c)'s <c> tag in an .xlsx's sheet `name` (its real name); None where it has none."""
        place = b"%s%d" % (col_letter(c).encode(), r + 1)
        return self._tag(name, b'<c r="%s"' % place, place)

    def iso_date_cells(self, name: str) -> frozenset:
        """The cells (r, c) of an .xlsx's sheet `name` stored as ISO dates (t="d": a program's, no client's; every
        client shows such a cell by its number format, a serial under General or @); empty where there are none (one
        search of the part: most files)."""
        xml = self.container.parts.get(self._parts.get(self.real_name(name), "")) if self.kind == "xlsx" else None
        if not xml or b't="d"' not in xml:
            return frozenset()
        found = set()
        for m in re.finditer(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^<>]*?\bt="d"', xml):
            found.add((int(m[2]) - 1, _col_number(m[1])))
        return frozenset(found)

    def formula_result_unkept(self, name: str, r: int, c: int) -> bool:
        """Whether cell (r, c) of an .xlsx's sheet `name` holds a formula saved without its result (an <f> and no
        <v>: a generated or "repaired" file; Excel, WPS and LibreOffice recompute it on opening and show a value the
        file does not keep).  Asked only of a formula cell read as empty (rare): the cell's element found in the
        part, not kept."""
        if self.kind != "xlsx":
            return False
        name = self.real_name(name)
        xml = self.container.parts.get(self._parts.get(name, ""))
        if not xml:
            return False
        place = b"%s%d" % (col_letter(c).encode(), r + 1)
        m = re.search(rb"<(?:[\w.-]+:)?c\b[^<>]*?\br\s*=\s*[\"']%s[\"'][^<>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?c\s*>)"
                      % place, xml, re.S)
        if m is None or m[1] is None:
            return False
        inner = m[1]
        return re.search(rb"<(?:[\w.-]+:)?f\b", inner) is not None and re.search(rb"<(?:[\w.-]+:)?v\b", inner) is None

    def font_size(self, name: str, r: int, c: int) -> float | None:
        """The font size (points) of cell (r, c) of sheet `name`, from its style; None where the file does not say."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if self.kind != "xlsx":
            self._rows(name)  # screened first
            facts = self.facts.get(name)
            return (getattr(facts, "font_sizes", None) or {}).get((r, c))
        # its style read from its tag as cell_look reads it (_STYLE: the attribute named s, never x:s; a tag's
        # attributes by their local names would take an x:s for it, and size the text by another style than its look)
        style = self._cell_style(name, r, c)
        if style is None:
            return None
        sizes = font_sizes(self.container.parts.get(self.styles_part))
        return sizes[style] if style < len(sizes) else None

    def cell_look(self, name: str, r: int, c: int):
        """How cell (r, c) of sheet `name` prints what it holds (_screen.CellLook: its number format's fixed
        decimals, wrap, shrink, a font the colour of its fill), from its style; None where the file does not say
        (an .xls, an .ods, a cell the file gives no tag of its own)."""
        if self.kind != "xlsx":
            return None
        looks = self.looks()
        if not looks:
            return None
        style = self._cell_style(self.real_name(name), r, c)
        if style is None:
            return None
        return looks[style] if style < len(looks) else None

    def _cell_style(self, name: str, r: int, c: int) -> int | None:
        """The style index (``s``) of cell (r, c)'s tag in sheet `name` as the workbook names it (its s alone, by
        _STYLE: the tag's other attributes are not parsed, for each of ~100 cells; no s: 0); None where the file
        gives the cell no tag of its own."""
        place = b"%s%d" % (col_letter(c).encode(), r + 1)
        text = self._tag_text(name, b'<c r="%s"' % place, None, place)
        if text is None:
            return None
        m = _STYLE.search(text)
        return int(m[1]) if m else 0

    def looks(self) -> tuple:
        """The CellLook of each cell style index (``s``) of an .xlsx's styles, its theme's colours applied
        (_screen.cell_looks), read once; () where there are none (not an .xlsx, no styles part)."""
        if self._looks is None:
            styles = self.container.parts.get(self.styles_part) if self.kind == "xlsx" else None
            theme = _related_part(self.container.parts, self.container.parts.get("xl/_rels/workbook.xml.rels"),
                                  "theme", "xl/theme/theme1.xml") if styles and b'theme="' in styles else ""
            self._looks = cell_looks(styles, theme_part(self.container.parts, styles, theme)) if styles else ()
        return self._looks

    def paper_cells(self, name: str, extra: frozenset = frozenset()) -> dict | None:
        """(row, col) -> style (``s``; None where not written plainly) of the cells of an .xlsx's sheet `name` whose cell_look may make the paper show a value
        otherwise than it is read (_screen.paper_styles; a style not written plainly is among them), or whose style
        is one of `extra` (the styles of a font too small to read: _interpret._paper_shows), found in the
        sheet's part at C speed; every other cell's cell_look says nothing to _interpret._paper_shows.  None where
        this is not known (not an .xlsx: each cell is asked)."""
        if self.kind != "xlsx":
            return None
        name = self.real_name(name)
        xml = self.container.parts.get(self._parts.get(name, ""))
        if not xml:
            return {}
        styles = paper_looks(self.looks())
        if extra:
            styles |= extra
        facts = self.facts.get(name)  # (max_row None: the screen's fast path took the part, every cell tag r first)
        tags = self._parsed_tags(name) if facts is None or facts.row_tags is not None else None
        if tags is None:
            return paper_cells(xml, styles, facts is not None and facts.max_row is None)
        found = {}  # a part not written canonically: its cells' styles as the parser read their tags
        for cell, attrs in tags[1].items():
            s = str(style_index(attrs.get("s")))  # (as cell_look reads it)
            if s in styles:
                found[cell] = s
        return found

    def column_width(self, name: str, c: int) -> float:
        """The width (characters) of column `c` (0-based) of an .xlsx's sheet `name`, as its <cols> gives it (Excel's
        default where it gives none, or gives a width no application shows).  Read once a sheet."""
        name = self.real_name(name)
        widths = self._col_widths.get(name)
        if widths is None:
            xml = self.container.parts.get(self._parts.get(name, "")) if self.kind == "xlsx" else None
            start, end = _cols_at(xml)
            if end <= 0:
                widths = {}
            elif end - start > _KEPT_COLS:
                widths = _widths_in(xml, start, end)
            else:
                widths = _widths_of(xml[start:end])
            self._col_widths[name] = widths
        return widths.get(c, DEFAULT_COLUMN_WIDTH)

    def narrower(self, name: str, widths: tuple) -> tuple:
        """The columns of `widths` ((0-based column, width in characters), ...) that an .xlsx's sheet `name` makes
        narrower than that (column_width), told from its <cols> element: the same bytes in every return of one
        template, worked out once for them (_narrower); () for another kind of file."""
        if self.kind != "xlsx":
            return ()
        name = self.real_name(name)
        xml = self.container.parts.get(self._parts.get(name, ""))
        start, end = _cols_at(xml)
        if end - start > _KEPT_COLS or name in self._col_widths:  # (a hand-made file's many columns: not kept)
            return tuple(c for c, width in widths if self.column_width(name, c) < width)
        return _narrower(xml[start:end] if end > 0 else b"", widths)

    def shows_date(self, name: str, r: int, c: int) -> bool | None:
        """Whether cell (r, c) of sheet `name` shows a number as a date (its number format a date's): the cell's
        style of an .xlsx, its XF record of an .xls, an .ods's value type and style (SheetFacts.dates); None where the
        file does not tell."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if self.kind == "xlsx":
            attrs = self._cell_attrs(name, r, c)
            if attrs is None:
                return None
            return str(style_index(attrs.get("s"))) in date_styles(self.container.parts.get(self.styles_part))
        if self.kind == "ods":  # its value type says: a number LibreOffice shows as a date is saved as a date
            facts = self.facts.get(name)
            return None if facts is None else (r, c) in facts.dates
        info = self._xls_sheet(name) if self.kind == "xls" else None
        return None if info is None else (r, c) in info["dates"]

    def saved_by(self) -> str:
        """The application that saved the workbook, as the file names it: an .xlsx's docProps/app.xml
        (``LibreOffice/7.4.7.2$Linux…``, ``Microsoft Excel``; what a script writes names Excel too), an .ods's meta.xml
        (meta:generator: ``LibreOffice/7.4.7.2$Linux…``, ``MicrosoftOffice/16.0 MicrosoftExcel/…``), an .xls's
        SummaryInformation (``Microsoft Excel``; LibreOffice names none: "LibreOffice" where its WRITEACCESS user is
        "Calc", _biff.writer_of); "" where the file does not say.  The department saw, and printed, the return in it:
        a number format that LibreOffice and Excel show differently is read as that one shows it
        (_screen.libreoffice_shows, _screen.as_libreoffice)."""
        if self.kind == "xls":
            self._xls_sheet("")  # the compound file is opened once
            return self._xls_app
        part, tag = {"xlsx": ("docProps/app.xml", "}Application"), "ods": ("meta.xml", "}generator")}.get(
            self.kind, (None, None))
        return self._part_text(part, tag, 200)

    def comments(self) -> str:
        """The workbook's document comments (an .xlsx's docProps/core.xml description, an .ods's meta.xml
        dc:description; the template keeps its stamp there), at most 1000 characters; "" where the file keeps none."""
        return self._part_text({"xlsx": "docProps/core.xml", "ods": "meta.xml"}.get(self.kind), "}description", 1000)

    def _part_text(self, part: str | None, tag: str, limit: int) -> str:
        """The text of the first element of document part `part` whose tag ends with `tag` (``}description``),
        stripped, at most `limit` characters; "" where the file has no such part or element, or the part is damaged
        (a part nobody needs: what it would say is not known)."""
        if part not in self.container.parts:
            return ""
        try:
            root = _xml(self.container.parts[part], part)
        except FileProblem:
            return ""
        found = next((e for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith(tag)), None)
        return (found.text or "").strip()[:limit] if found is not None else ""

    def custom_properties(self) -> dict[str, str]:
        """The workbook's custom document properties: docProps/custom.xml of an .xlsx, the user-defined ones of
        an .ods's meta.xml or of an .xls's DocumentSummaryInformation stream (LibreOffice keeps an .xlsx's there
        when it saves as .ods or .xls; Excel and WPS write an .xls's there too)."""
        if self._props is None:
            found = {"xlsx": ("docProps/custom.xml", _custom_properties_of),
                     "ods": ("meta.xml", _user_defined_of)}.get(self.kind)
            if found is not None:
                part, read_part = found
                # a damaged part (cut short, an XML-illegal &#x1;) loses the properties, not the sheets: read as
                # none, and said as the template's record damaged (_locate._locked_record)
                try:
                    self._props = dict(read_part(self.container.parts.get(part)))
                except FileProblem:
                    self._props, self._props_damaged = {}, part
            elif self.kind == "xls":
                from ._xlsprops import section_properties

                self._xls_sheet("")  # the compound file is opened once, for the sheets' records and the properties
                self._props = section_properties(self._xls_properties, self._props_lost) \
                    if self._xls_properties else {}
            else:
                self._props = {}
        return self._props

    @property
    def props_damaged(self) -> str:
        """The document-properties part that could not be parsed (docProps/custom.xml, an .ods's meta.xml), else ""."""
        self.custom_properties()
        return self._props_damaged

    def lost_properties(self) -> dict[str, tuple[int, str, str]]:
        """The custom properties whose text the file's codepage may not have held (an .xls Excel saved on a Western
        Windows keeps Chinese as ``?``): name -> (that codepage, its codec, the text read, with its ``?``); left out of
        custom_properties."""
        self.custom_properties()
        return self._props_lost

    def sheet_states(self) -> dict[str, str]:
        """sheet name -> "visible" | "hidden" | "veryHidden"."""
        names = {"Visible": "visible", "Hidden": "hidden", "VeryHidden": "veryHidden"}
        back = {actual: expected for expected, actual in self._renamed.items()}
        try:
            return {back.get(m.name, m.name): names.get(str(m.visible).rsplit(".", 1)[-1], "visible")
                    for m in self._wb.sheets_metadata}
        except Exception:
            return {}

    def _xls_sheet(self, name: str) -> dict | None:
        """What the .xls's BIFF records tell of sheet `name` (see _biff.xls_sheets); None when they do not."""
        if self._xls is None:
            from ._biff import LOSES_TEXT, MAX_CELLS, MAX_RECORDS, Encrypted, TooLarge, TooManyRecords, compound_streams, \
                writer_of, xls_sheets

            try:
                stream, self._xls_properties, app = compound_streams(self.container.data)
            except Encrypted:
                raise FileProblem("file.encrypted") from None
            except MemoryError:  # the worker's memory limit: the reader's failure (file.crashed), not the file's
                raise
            except ImportError as exc:  # a reader module that does not import (olefile): the installation's fault,
                # said as such (file.reader_failed: repair it), not the file's (damaged, save it again)
                raise _reader_failed(exc, "olefile") from None
            except Exception:  # a damaged or ambiguous compound file: its records cannot be made out
                stream, self._xls_properties, app = None, None, None
            if app:
                self._xls_app = app.strip()[:200]
            elif stream is not None and writer_of(app, stream) == LOSES_TEXT:
                self._xls_app = "LibreOffice"  # it names no application: its WRITEACCESS user "Calc"
            try:
                self._xls = xls_sheets(stream, app) or {}
            except Encrypted:
                raise FileProblem("file.encrypted") from None
            except TooManyRecords:
                raise FileProblem("file.too_large", found=(f"各工作表合计逾 {MAX_RECORDS} 条记录", f"over {MAX_RECORDS} records in all sheets"),
                                  expected=f"{MAX_RECORDS}") from None
            except TooLarge as big:
                if not big.sheet:  # the cells of all sheets together
                    raise FileProblem("file.too_large", found=(f"各工作表合计 {big.rows} 个单元格", f"{big.rows} cells in all sheets"),
                                      expected=f"{MAX_CELLS}") from None
                raise FileProblem("file.sheet_too_large", found=(f"{big.rows} 行 × {big.cols} 列", f"{big.rows} rows × {big.cols} columns"),
                                  expected=f"{MAX_SHEET_ROWS} 行 × {MAX_SHEET_COLS} 列", sheet=big.sheet) from None
        return self._xls.get(name)

    def hidden_rows(self, name: str) -> set:
        """The rows (0-based) of sheet `name` that are hidden: the screen's facts of an .xlsx or .ods, the BIFF row
        records of an .xls; empty where the file does not tell."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        facts = self.facts.get(name)
        if facts is not None:
            return facts.hidden_rows
        info = self._xls_sheet(name) if self.kind == "xls" else None
        return info["hidden_rows"] if info is not None else set()

    def merges(self, name: str) -> list[tuple[int, int, int, int]]:
        """Sheet `name`'s merged ranges (0-based, inclusive): the screen's facts of an .xlsx or .ods, the BIFF records'
        of an .xls (calamine's where those were not made out)."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        facts = self.facts.get(name)
        if facts is not None:
            return facts.merged
        return self._merged(name) if self.kind == "xls" else []

    def protected(self, name: str) -> bool | None:
        """Whether the sheet is protected; None where the file does not tell us."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        if self.kind == "ods":
            facts = self.facts.get(name)
            return None if facts is None else facts.protected
        if self.kind == "xls":
            info = self._xls_sheet(name)
            return None if info is None else info["protected"]
        xml = self.container.parts.get(self._parts.get(name, ""))
        if not xml:
            return False
        attrs = self._sheet_tag(name, b"<sheetProtection")
        if attrs is not False:  # a part the parser read: its own sheetProtection, as read (not one in a comment)
            return attrs is not None and attrs.get("sheet") in ("1", "true")
        m = _protection_tag(xml)  # a part written canonically: the first found is the element (_tag_text)
        return bool(m and _SHEET_ON.search(m.group(0)))

    def print_area(self, name: str) -> tuple[tuple[int, int, int, int], ...] | None:
        """The print area set on sheet `name` (print_area_boxes), of an .xlsx (its ``_xlnm.Print_Area`` name) or an
        .ods (its table's print ranges), an .xls (its built-in NAME Print_Area, BIFF8); None where none is set, or it
        is not made out."""
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        text = None
        if self.kind == "xlsx" and name in self._parts:
            at = list(self._parts).index(name)
            text = next((t for n, i, t in self._printed if n == _PRINT_AREA and i == at), None)
        elif self.kind == "ods":
            text = getattr(self.facts.get(name), "print_ranges", None)
        elif self.kind == "xls":
            info = self._xls_sheet(name)
            return (info or {}).get("print_area") or None
        return print_area_boxes(text, self.kind) if text else None

    def rich_value(self, name: str, r: int, c: int) -> bool:
        """Whether cell (r, c) of an .xlsx's sheet `name` holds a rich value (value metadata, ``vm``): a picture
        Excel 365 placed in the cell, kept as the error value #VALUE! for programs that know none."""
        if self.kind != "xlsx":
            return False
        name = self.real_name(name)  # a form's sheet the department renamed: its own name
        attrs = self._cell_attrs(name, r, c)
        return bool(attrs and (attrs.get("vm") or "").strip())

    def saved_row_height(self, name: str, r: int) -> float | None:
        """The height (points) an .xlsx saves for row `r` (0-based) of sheet `name`, whatever it is: LibreOffice grows
        a row past Excel's 409 pt as text is typed and saves that (row_height says None there); None where the file
        gives none, or is not an .xlsx."""
        if self.kind != "xlsx":
            return None
        return self._saved_height(self.real_name(name), r)

    def _saved_height(self, real_name: str, r: int) -> float | None:
        """The height an .xlsx's row tag gives row `r` of the sheet `real_name` (its own name: real_name), where it is
        one (above 0, below 1e5 pt); else None."""
        text = self._tag_text(real_name, b'<row r="%d"' % (r + 1), b"%d" % (r + 1))
        m = _HEIGHT.search(text) if text is not None else None
        try:
            height = float(m[1]) if m else -1
        except ValueError:
            return None
        return height if 0 < height < 1e5 else None

    def page_room(self, name: str, widest: bool = False) -> tuple[float, tuple[int, int] | None] | None:
        """(the height, in the sheet's points, of the rows one printed page of an .xlsx's sheet `name` holds, and its
        print titles' rows: (first, last), 0-based, or None), as the sheet's own page setup gives it: its paper and
        orientation, top and bottom margins, and its scale, or "fit to `fitToWidth` pages wide" at the scale Excel
        prints its columns at (_PAGE_CHARACTER).  None where that is not known: not an .xlsx, a paper not known,
        a sheet fitted to a number of pages tall (any row then fits), columns not made out.  Read once a sheet.
        `widest`: the most a page may hold in LibreOffice, the only application that makes a row taller than Excel's
        409 pt: a sheet fitted to the page's width at the smallest scale LibreOffice may print it at
        (_LO_PAGE_CHARACTER; the fonts installed decide), else as Excel's."""
        cache = self._page_rooms
        name = self.real_name(name)
        if (name, widest) not in cache:
            try:
                cache[name, widest] = self._page_room(name, _LO_PAGE_CHARACTER if widest else _PAGE_CHARACTER) \
                    if self.kind == "xlsx" else None
            except (ValueError, TypeError, ZeroDivisionError):
                cache[name, widest] = None  # a page setup not made out: nothing said
        return cache[name, widest]

    def _page_room(self, name: str, character: float = _PAGE_CHARACTER):
        setup = self._tag(name, b"<pageSetup ") or {}
        margins = self._tag(name, b"<pageMargins ") or {}
        fit = (self._tag(name, b"<pageSetUpPr ") or {}).get("fitToPage", "").strip().lower() in ("1", "true")
        paper = _PAPER_POINTS.get(int(setup.get("paperSize", "1").strip() or 1))
        if paper is None:
            return None
        height = paper[0] if setup.get("orientation", "").strip() == "landscape" else paper[1]
        width = sum(paper) - height
        body_h = height - 72 * (float(margins.get("top", "0.75")) + float(margins.get("bottom", "0.75")))
        body_w = width - 72 * (float(margins.get("left", "0.7")) + float(margins.get("right", "0.7")))
        if fit:
            tall, wide = int(setup.get("fitToHeight", "1") or 1), int(setup.get("fitToWidth", "1") or 1)
            if tall != 0:
                return None  # shrunk to a number of pages tall: the scale follows the rows
            scale = 1.0
            if wide > 0:
                columns = self._printed_columns(name)
                if columns is None:
                    return None
                printed = sum((self.column_width(name, c) * character + 5) * 0.75 for c in columns)
                scale = min(1.0, wide * body_w / printed) if printed > 0 else 1.0
        else:
            scale = int(setup.get("scale", "100") or 100) / 100
            if not 0.1 <= scale <= 4:
                return None
        return body_h / scale, self._print_titles(name)

    def _printed_columns(self, name: str):
        """The columns (0-based) of sheet `name` that print: its print area's, else those its <dimension> spans."""
        area = self.print_area(name)
        if area:
            return sorted({c for _, c0, _, c1 in area for c in range(c0, min(c1, MAX_SHEET_COLS - 1) + 1)})
        ref = (self._tag(name, b"<dimension ") or {}).get("ref", "")
        last = ref.split(":")[-1].strip()
        if not last:
            return None
        _, c1 = parse_a1(last.replace("$", ""))
        return range(c1 + 1)

    def _print_titles(self, name: str) -> tuple[int, int] | None:
        """The rows (first, last; 0-based) workbook.xml sets to print atop every page of sheet `name`."""
        if name not in self._parts:
            return None
        at = list(self._parts).index(name)
        text = next((t for n, i, t in self._printed if n == _PRINT_TITLES and i == at), None)
        rows = _TITLE_ROWS.search(text) if text is not None else None
        return (int(rows[1]) - 1, int(rows[2]) - 1) if rows else None


def at(rows: list[list], r: int, c: int):
    """The value at (r, c), None for an empty or absent cell."""
    if r < len(rows) and c < len(rows[r]):
        v = rows[r][c]
        return None if v == "" else v
    return None
