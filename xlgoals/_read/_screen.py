"""Screening the XML parts of a received file before calamine sees them.

What a sheet holds is found by parsing its XML (or, for sheets written the canonical way, by
regular expressions that give the same facts): its extent, formula and error cells, hidden rows
and cells shown as a percent.  Also here: whether xlgoals itself wrote the workbook.
"""

from __future__ import annotations

import colorsys
import math
import re
from dataclasses import field
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from xml.parsers import expat

from .._form._cells import col_letter
from .._form._kinds import MULTIPLIERS
from .._form._paper import CHARACTER_POINTS, LEGIBLE_HEIGHT, LEGIBLE_WIDTH
from .._record import record
from ._safety import MAX_ENTRIES, MAX_SHEET_COLS, MAX_SHEET_ROWS, FileProblem, _after, cached_parts


#: The custom document property xlgoals sets on the files it writes that are not returns.
OUTPUT_PROPERTY = "xlgoals_output"
_OUTPUT_NAMES = {"summary": ("汇总工作簿", "a summary workbook"), "annotated": ("问题标注副本", "an annotated copy")}
ANNOTATED = _OUTPUT_NAMES["annotated"]  # read as a return when named (_safety.reading_annotated)
#: The sheet an annotated copy adds (listing the problems), first: not the form's, passed over when the copy is read.
ANNOTATION_SHEET = "问题清单"
#: The custom document property an annotated copy keeps the SHA-256 of the file it marks in: a run that names the
#: copy as written together with that file (the same bytes, wherever it lies) skips the copy; one the department
#: edited is read, the duplicate rule settling the two (_paths.Scan.original_of).
SOURCE_PROPERTY = "xlgoals_source_sha256"
#: The custom document property an annotated copy keeps the SHA-256 of its own content in (content_digest: its XML
#: parts but the document properties, as xlgoals wrote them).  A copy whose content no longer gives it was edited
#: after xlgoals wrote it (a department's corrected copy, saved in Excel, WPS, LibreOffice): a return, checked and
#: counted where a folder gives it, not passed over as xlgoals's output.  Until the copy is written, the property
#: holds CONTENT_PLACEHOLDER (stamp_content puts the digest in its place).
CONTENT_PROPERTY = "xlgoals_content_sha256"
CONTENT_PLACEHOLDER = "0" * 64
#: What file.xlgoals_output finds of an annotated copy edited since xlgoals wrote it (read as a return, named or found).
EDITED = ("问题标注副本（写出后已被修改）", "an annotated copy edited after xlgoals wrote it")


def _text_property(name: str, value: bytes) -> re.Pattern:
    """A custom document property's text value (`value`, a group) in docProps/custom.xml, its element as xlsxwriter
    writes it (<vt:lpwstr>) and as openpyxl does (<vt:lpwstr xmlns:vt="…">: the annotated copies)."""
    return re.compile(rb'name="' + name.encode() + rb'"[^>]*>\s*<vt:lpwstr(?:\s[^>]*)?>(' + value + rb')<')


_SOURCE = _text_property(SOURCE_PROPERTY, rb"[0-9a-f]{64}")
_SOURCE_BYTES = 1 << 20  # a copy's docProps/custom.xml is well under 1 KB


def annotated_source(path) -> str | None:
    """The SHA-256 an annotated copy records of the file it marks; None when it records none (a copy written before
    the property existed) or the file cannot be read (said when it is read as a return)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            info = next((i for i in z.infolist() if i.filename.lower() == "docprops/custom.xml"), None)
            if info is None or info.file_size > _SOURCE_BYTES:
                return None
            with z.open(info) as fh:
                m = _SOURCE.search(fh.read(_SOURCE_BYTES + 1))
    except Exception:  # not a zip, gone, a lying header: nothing recorded that can be trusted
        return None
    return m.group(1).decode() if m else None


_CONTENT = _text_property(CONTENT_PROPERTY, rb"[0-9a-f]{64}")


def content_digest(names, get) -> str:
    """The SHA-256 of a workbook's content: its XML parts (``_safety._is_xml_part``) but the document properties
    (docProps/, which every application rewrites on saving and where the digest itself is kept), by name, each
    part's name and length before its bytes.  `names`: the zip's part names; `get(name)`: the part's bytes."""
    import hashlib

    from ._safety import _is_xml_part

    h = hashlib.sha256()
    for name in sorted(n for n in names if _is_xml_part(n) and not n.lower().startswith("docprops/")):
        data = get(name) or b""
        h.update(name.encode() + b"\0" + str(len(data)).encode() + b"\0")
        h.update(data)
    return h.hexdigest()


def stamp_content(xlsx: bytes) -> bytes:
    """`xlsx` (an annotated copy as written, whose CONTENT_PROPERTY holds CONTENT_PLACEHOLDER) with the digest of its
    content in the property's place: the other parts' bytes as they were."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        parts = {n: zin.read(n) for n in names}
        digest = content_digest(names, parts.get).encode()
        custom = next(n for n in names if n.lower() == "docprops/custom.xml")
        stamped = _text_property(CONTENT_PROPERTY, CONTENT_PLACEHOLDER.encode())
        parts[custom], n = stamped.subn(lambda m: m.group(0).replace(CONTENT_PLACEHOLDER.encode(), digest), parts[custom])
        assert n == 1, "the annotated copy's content property is written once"
        for name in names:
            zout.writestr(zin.getinfo(name), parts[name])
    return out.getvalue()


def edited_since_written(parts) -> bool:
    """Whether an annotated copy's content (`parts`, screened) is no longer what xlgoals wrote: its recorded digest
    (CONTENT_PROPERTY) differs from its content's.  False for a copy that records none (written before the property
    existed: not known, passed over as before)."""
    m = _CONTENT.search(parts.get("docProps/custom.xml", b"") or b"")
    return m is not None and m.group(1).decode() != content_digest(list(parts), parts.get)


def own_copy_of(path, sha256: str) -> bool:
    """Whether `path` is an annotated copy xlgoals wrote of the file whose SHA-256 is `sha256` (SOURCE_PROPERTY), its
    content as written (CONTENT_PROPERTY gives it): an earlier run's copy of that same file, which a run annotating
    it again replaces.  False for a copy of another file (a department's corrected copy records the return it marked,
    not itself), for one edited since it was written (a department's), one that records no content digest (not
    known), and for anything else there."""
    from ._safety import FileProblem, open_container, reading_annotated

    if not sha256 or annotated_source(path) != sha256:  # (cheap: the small properties part alone)
        return False
    try:
        with reading_annotated():  # screened as any file, and an annotated copy passed (not refused as ours)
            parts = open_container(path).parts
    except (FileProblem, OSError, ValueError):
        return False
    m = _CONTENT.search(parts.get("docProps/custom.xml", b"") or b"")
    try:
        return (xlgoals_output(parts) == _OUTPUT_NAMES["annotated"] and m is not None
                and m.group(1).decode() == content_digest(list(parts), parts.get))
    except FileProblem:  # a part that cannot be inflated: not as we wrote it
        return False


_OUTPUT_KIND = _text_property(OUTPUT_PROPERTY, rb"\w+")  # a copy known by it, not only by the fallbacks below


def xlgoals_output(parts: dict) -> tuple[str, str] | None:
    """(zh, en) of the kind of output when xlgoals wrote this workbook as a summary or annotated copy."""
    custom = parts.get("docProps/custom.xml", b"")
    m = _OUTPUT_KIND.search(custom)
    if m:
        return _OUTPUT_NAMES.get(m.group(1).decode(), ("xlgoals 输出文件", "an xlgoals output"))
    core = parts.get("docProps/core.xml", b"")
    if b"<dc:creator>xlgoals</dc:creator>" in core and "<dc:title>绩效目标汇总</dc:title>".encode() in core:
        return _OUTPUT_NAMES["summary"]  # summaries written before the property existed
    if ANNOTATION_SHEET.encode() in parts.get("xl/workbook.xml", b"") and b"XLGOALS|" in core:
        return _OUTPUT_NAMES["annotated"]
    return None


@record
class SheetFacts:
    """What the screen learnt of a sheet part: its extent, its formula cells and its hidden rows (0-based)."""

    max_row: int | None = 0  # the extent the parser measured; None when the fast path proved it within the limits
    max_col: int | None = 0
    formulas: set = field(default_factory=set)  # (row, col)
    errors: set = field(default_factory=set)  # (row, col) of error values (#DIV/0!, #REF! …)
    #: (row, col) -> the error value the cell shows (#N/A), of those in `errors` whose file keeps it
    error_texts: dict = field(default_factory=dict)
    hidden_rows: set = field(default_factory=set)
    percent: set = field(default_factory=set)  # (row, col) of cells shown as a percent (number format 0%)
    #: (row, col) -> ShownSections of the % signs each section of its format shows (percent_sections), of the cells of
    #: `percent` whose format shows a number with another count than one % in some section ([<1]0%;0, 0%%)
    percent_sections: dict = field(default_factory=dict)
    #: (row, col) -> (text before, text after) the number, of cells whose number format shows text with a number
    #: ("≤"0"天": ≤, 天), where a style of the workbook's has such a format (format_texts); FormatSections where
    #: the format's sections show different texts (read with shown_for, which takes the cell's number)
    format_text: dict = field(default_factory=dict)
    #: (row, col) -> ("scaled", MoneyScale or ShownSections, …) or ("blank", texts too, the code, …) of cells whose number
    #: format shows a number otherwise than it is read: scaled as money (#,##0.00"万元", #,##0.00,) or not at all (;;;,
    #: "详见附件") (format_shows_otherwise); otherwise_at gives what it shows for the number read, by its section
    shown_otherwise: dict = field(default_factory=dict)
    protected: bool | None = None  # sheet protection, where the screen sees it (ods)
    merged: list = field(default_factory=list)  # (first row, first col, last row, last col) of merged ranges
    hidden_cols: set = field(default_factory=set)  # columns hidden or too narrow to print, within the sheet limits
    #: (row, col) of formulas giving a text whose file keeps no text as their result (an .xls LibreOffice saved
    #: keeps 0): what the cell shows is not in the file
    text_results: set = field(default_factory=set)
    text_unsure: set = field(default_factory=set)  # of text_results, those an .xls's writer may have kept as 0
    #: (row, col) of an .xls's formulas kept as an error constant alone (=#N/A): how LibreOffice's .xls keeps a
    #: function BIFF has no record of (WPS's DISPIMG), its result kept as 0
    unkept_formulas: set = field(default_factory=set)
    print_ranges: str | None = None  # an .ods table's print ranges (table:print-ranges), as written
    #: row -> (height in points, fixed) of an .xls's ROW records or an .ods's row styles (an .xlsx's: its row tags)
    heights: dict = field(default_factory=dict)
    #: (row, col) -> font size (points) of a text cell whose style gives one (an .xls's XF and FONT records, an
    #: .ods's automatic cell style); an .xlsx's: its styles.xml
    font_sizes: dict = field(default_factory=dict)
    #: (row, col) of an .ods's cells that show a date or a time (office:value-type "date" or "time", or a number in a
    #: cell whose style's data style is a date or time style); the .ods's other cells show a number as a number
    #: (its value type is LibreOffice's format: a date typed or formatted so is saved as a date), ``Grid.shows_date``
    dates: set = field(default_factory=set)
    #: An .xlsx sheet part the parser read (one not written canonically: _screen_canonical): each row's and each
    #: cell's tag, as its attributes (their names as written: a prefixed one, x:ht, is no row height), row (0-based)
    #: -> attributes and (row, col) -> attributes.  Grid reads rows' heights and cells' styles from them there, not
    #: from the part's bytes (where a tag inside a comment, or one written otherwise, would be taken for the row's).
    #: None for a canonical part: Grid finds its tags in the part itself (red team 29ah F3).
    row_tags: dict | None = None
    cell_tags: dict | None = None  # (the first MAX_KEPT_TAGS cells' only: a cell beyond them has no tag known)
    #: The same of the worksheet's own SHEET_TAGS (sheetProtection, pageSetup …, pageSetUpPr in its sheetPr): local
    #: name -> the first such element's attributes, as the parser read it (one in a comment, a processing
    #: instruction, a CDATA section, a custom view or an extLst is none of the sheet's); None for a canonical part
    sheet_tags: dict | None = None
    #: (a class attribute, no field) whether `formulas` lists every formula cell: False for an .xls sheet whose BIFF
    #: records were not made out (_grid.Unscreened), whose formulas are not known
    formulas_known = True


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")

#: The formula WPS writes into a cell a picture was put into (嵌入单元格图片, its picture in xl/cellimages.xml under
#: that ID), as it keeps it as the cell's text (=DISPIMG("ID_…",1)); ``_xlfn.`` and any case as other writers keep
#: it.  One pattern for a picture in a field (_interpret) and WPS's picture sheet (_locate).
DISPIMG = re.compile(r'=(?:_xlfn\.)?DISPIMG\(\s*"[^"]*"\s*,\s*[0-9]+\s*\)', re.IGNORECASE)


def _too_large(rows: int, cols: int, sheet: str) -> FileProblem:
    return FileProblem("file.sheet_too_large", found=(f"{rows} 行 × {cols} 列", f"{rows} rows × {cols} columns"),
                       expected=f"{MAX_SHEET_ROWS} 行 × {MAX_SHEET_COLS} 列", sheet=sheet)


# The fast path: sheets written the way Excel, WPS, LibreOffice and xlsxwriter write them (every <c and <row
# tag proved so by _OTHER_C and _OTHER_ROW below, or the part goes to the parser).  A cell's place:
_C_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
# The attributes before the one sought, whole (the fast path has checked that every cell and row tag is written
# ` name="value"` after its r, with no ">" in a value).
_SKIP_ATTRS = rb'(?: [^\s="<>]+="[^"<>]*")*?'
# A row is hidden by hidden="1" (an XML boolean: white space around it is collapsed) or by a height lower than any
# text prints legibly in (LEGIBLE_HEIGHT, as a number: 0, +0, 1e-9, 0.1, 1): nothing on paper either.
_HIDDEN_ROWS = re.compile(rb'<row r="([0-9]{1,7})"' + _SKIP_ATTRS + rb' hidden="\s*(?:1|true)\s*"')
_ROW_HEIGHTS = re.compile(rb'<row r="([0-9]{1,7})"' + _SKIP_ATTRS + rb' ht="([^"<>]*)"')
assert LEGIBLE_HEIGHT == int(LEGIBLE_HEIGHT) and 1 <= LEGIBLE_HEIGHT <= 9  # (its digit in the pattern below)
# hidden=, or a height not written as a plain decimal of LEGIBLE_HEIGHT or more (searched without the space before
# it: faster): a sheet whose rows are all of a legible height, written so, is not searched row by row
_MAY_HIDE = re.compile(rb'hidden=|ht="(?!(?:[%d-9]|[1-9][0-9]+)(?:\.[0-9]*)?")' % int(LEGIBLE_HEIGHT))


def _may_hide(xml: bytes) -> bool:
    """Whether a row _HIDDEN_ROWS or _ROW_HEIGHTS (too low) finds may be there (most sheets have none): told by one
    search for both, and the byte before ht= (customHeight="0" is no height)."""
    for m in _MAY_HIDE.finditer(xml):
        if xml[m.start() + 1] == 0x69 or xml[m.start() - 1] in b" \t\r\n":  # hidden=, or ht= after white space
            return True
    return False


def _too_low(height, least=LEGIBLE_HEIGHT) -> bool:
    """Whether a row's height (its ht text, str or bytes) is a number below LEGIBLE_HEIGHT (a column's width, below
    `least`, LEGIBLE_WIDTH): a row that prints no text legibly (0 however written, a fraction of a point).  No number
    (NaN, a word): no height, as before."""
    if height is None or "_" in (height if isinstance(height, str) else height.decode("latin-1")):
        return False  # (Python reads 1_0 as 10; no spreadsheet does)
    try:
        return float(height) < least
    except ValueError:
        return False


def _hidden_rows(xml: bytes) -> set:
    """The rows (0-based) a canonical sheet part hides: hidden="1", or too low to print (_too_low)."""
    return {int(r) - 1 for r in _HIDDEN_ROWS.findall(xml)} | \
        {int(r) - 1 for r, height in _ROW_HEIGHTS.findall(xml) if _too_low(height)}


def _flagged(attrs: dict) -> bool:
    """Whether a row's or column's attributes say hidden="1" or "true"."""
    return (attrs.get("hidden") or "").strip() in ("1", "true")


def _hides(attrs: dict) -> bool:
    """Whether a column's attributes (by local name) hide it: hidden="1"/"true", or a width below LEGIBLE_WIDTH
    (0 however written, 0.1), which prints nothing either."""
    return _flagged(attrs) or _too_low(attrs.get("width"), LEGIBLE_WIDTH)


def _hidden(attrs: dict) -> bool:
    """Whether a row's attributes (as expat gives them) hide it: what _hidden_rows finds in canonical rows."""
    return _flagged(attrs) or _too_low(attrs.get("ht"))
_ERROR_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _SKIP_ATTRS + rb' t="e"')
# an error cell with the error value it shows: <c r="F5" s="3" t="e"><f>NA()</f><v>#N/A</v></c>
_ERROR_TEXTS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _SKIP_ATTRS + rb' t="e"' + _SKIP_ATTRS
                          + rb'>(?:<f\b[^<>]*/>|<f\b[^<>]*>[^<]*</f>)?<v>([^<]{1,40})</v>')
#: What an error value's text may be (Excel's and WPS's #N/A, #DIV/0! …, LibreOffice's Err:502): nothing else is shown
ERROR_TEXT = re.compile(r"#(?:N/A|DIV/0!|REF!|VALUE!|NAME\?|NUM!|NULL!|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|"
                        r"CONNECT!|BUSY!|UNKNOWN!|PYTHON!)|Err:[0-9]{3}")


def _col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _cells(matches) -> set:
    return {(int(r) - 1, _col(letters) - 1) for letters, r, *_ in matches}


def _numbers_upto(n: int) -> str:
    """A pattern for the decimal numbers 1..n, written without leading zeros."""
    digits, alts = str(n), []
    if len(digits) > 1:
        alts.append(f"[1-9][0-9]{{0,{len(digits) - 2}}}+")  # (possessive: a digit follows no number's digits)
    for i, d in enumerate(digits):
        low = 1 if i == 0 else 0
        if int(d) > low:
            alts.append(f"{digits[:i]}[{low}-{int(d) - 1}][0-9]{{{len(digits) - i - 1}}}")
    return "|".join(alts + [digits])


def _letters_upto(n: int) -> str:
    """A pattern for the column letters of columns 1..n (A … Z, AA …)."""
    letters = col_letter(n - 1)
    alts = [f"[A-Z]{{1,{len(letters) - 1}}}+"] if len(letters) > 1 else []  # (possessive: digits follow)
    for i, ch in enumerate(letters):
        if ch > "A":
            alts.append(f"{letters[:i]}[A-{chr(ord(ch) - 1)}][A-Z]{{{len(letters) - i - 1}}}")
    return "|".join(alts + [letters])


_ROW_IN_RANGE = _numbers_upto(MAX_SHEET_ROWS)
# Any <c or <row tag that is not a cell or row written `<c r="B4" s="3">` / `<row r="4" …>` with its place within
# the limits (other elements starting so, <col, <cfRule, <rowBreaks, are let through).  One search each proves
# every cell and row tag of the part canonical and in range; a match sends the part to the parser.
# One attribute after the place, as the writers put them: ` name="value"`, never a second r (calamine reads
# the last r of a tag, expat refuses the duplicate) and no `>` in a value (the patterns for hidden rows, error
# and percent cells read a tag up to its `>`).  Whatever else a tag holds sends the part to the parser.
# (Possessive: a tag is matched one way only, so nothing is tried again; a name other than "r" without a lookahead.)
# (\w and \s of a bytes pattern, spelt out as ranges: sre tests a range faster than a category)
_ATTRS = rb'(?: (?:[A-Za-qs-z_][A-Za-z0-9_:.-]*+|r[A-Za-z0-9_:.-]++)="[^"<>]*+")*+[ \t\n\r\f\v]*+/?>'
_CELL_PLACE = rf' r="(?:{_letters_upto(MAX_SHEET_COLS)})(?:{_ROW_IN_RANGE})"'.encode()
# (first the cell tag most writers write, ` s="3" t="s"` or fewer: tried at C speed; any other canonical one next)
# A cell's style index written with more than its digits (`` s=" 16"``, ``s="+16"``: style 16 for Excel and the
# print checks) sends the part to the parser too, which reads it so (style_index): the fast path's searches for
# `` s="16"`` would pass it over.  (``s="016"`` is not told here, tag by tag: that cost 5 % more of the search, 33,000
# instructions a goal table; _zero_led_style sends such a part to the parser where a percent, text or otherwise shown
# style is looked for: one find of the part, where no s="0 is written)
_PLAIN_S = rb' s="[0-9]++"'
_CELL_ATTRS = (rb'(?:' + _PLAIN_S + rb'| (?:[A-Za-qt-z_][A-Za-z0-9_:.-]*+|[rs][A-Za-z0-9_:.-]++)="[^"<>]*+")*+'
               rb'[ \t\n\r\f\v]*+/?>')  # _ATTRS, its s plain
# (a place of one letter and fewer digits than the last row's, a form's every cell, tried first without the
# alternatives of _CELL_PLACE: a fifth fewer instructions for the search; the places it takes, _CELL_PLACE takes)
assert MAX_SHEET_COLS >= 26 and MAX_SHEET_ROWS >= 10
_SHORT_PLACE = rb' r="[A-Z][1-9][0-9]{0,%d}+"' % (len(str(MAX_SHEET_ROWS)) - 2)
_OTHER_C = re.compile(rb"<c(?!" + _SHORT_PLACE + rb'(?: s="[0-9]++")?+(?: t="[a-z]++")?+/?>|' + _CELL_PLACE
                      + rb'(?: s="[0-9]++")?+(?: t="[a-z]++")?+/?>|' + _CELL_PLACE + _CELL_ATTRS + rb"|o|f)")
_OTHER_ROW = re.compile(rf'<row(?! r="(?:{_ROW_IN_RANGE})"'.encode() + _ATTRS + rb"|B)")


_COL_TAG = re.compile(rb"<(?:[\w.-]+:)?col\s([^<>]*?)/?>")
assert LEGIBLE_WIDTH == int(LEGIBLE_WIDTH) and 1 <= LEGIBLE_WIDTH <= 9  # (its digit in the pattern below)
# a width not written as a plain decimal of LEGIBLE_WIDTH or more: one that may be too narrow (_col_hides decides)
_NO_WIDTH = re.compile(rb"""width\s*=\s*["'](?!(?:[%d-9]|[1-9][0-9]+)(?:\.[0-9]*)?["'])""" % int(LEGIBLE_WIDTH))


def _col_hides(attrs: dict) -> range:
    """The columns (0-based, within the sheet limits) a <col> element hides: hidden, or too narrow (_hides)."""
    if not _hides(attrs):
        return range(0)
    try:
        first, last = int(attrs.get("min", "")), int(attrs.get("max", ""))
    except ValueError:
        return range(0)
    return range(max(first, 1) - 1, min(last, MAX_SHEET_COLS))


def _hidden_cols(xml: bytes) -> set:
    """The hidden columns of a sheet part, from its <col> elements (what the parser takes from them too)."""
    out: set = set()
    start = xml.find(b"cols")
    if start < 0:
        return out
    end = xml.find(b"cols>", start + 4)  # the end of the <cols> element (<x:cols> too): the search stops there
    end = end if end > 0 else len(xml)
    region = xml[start:end]
    if b"hidden" not in region and _NO_WIDTH.search(region) is None:
        return out  # no column hidden nor too narrow (the usual case, told without reading each <col>)
    for m in _COL_TAG.finditer(xml, start, end):
        out.update(_col_hides(tag_attributes(m.group(1))))
    return out


#: `=` and a single quote after it (white space between): an attribute's value in single quotes, past the few looked at
_SINGLE_QUOTE_AFTER_EQUALS = re.compile(rb"=[ \t\n\r]*+'")
_FEW_QUOTES = 32  # single quotes looked at one by one (a return's formulas quote a sheet's name: '项目信息'!$B$3)


def _single_quoted(xml: bytes) -> bool:
    """Whether a value in the part may be an attribute's in single quotes (a ' after = and white space).  No writer
    quotes so (Excel, WPS, LibreOffice and xlsxwriter write "…"); inside such a value a raw < and a whole tag in double
    quotes may stand (no XML: expat and Excel refuse it, LibreOffice reads the sheet up to it), which calamine passes
    over but the fast path's searches would take for a tag.  The few quotes of a return's formulas are looked at alone
    (a find each), more by one search."""
    i, seen = xml.find(b"'"), -1
    for _ in range(_FEW_QUOTES):
        if i < 0:
            return False
        j = i - 1
        while j > 0 and xml[j] in b" \t\n\r":
            j -= 1
        if j >= 0 and xml[j] == 0x3D:  # =
            return True
        seen, i = i, xml.find(b"'", i + 1)
    return i >= 0 and _SINGLE_QUOTE_AFTER_EQUALS.search(xml, seen + 1) is not None  # (none before `seen` quoted so)


_FEW_ZERO_STYLES = 8  # s="0 looked at one by one (style 0 written out); more, by one search
_ZERO_LED_STYLE = re.compile(rb' s="0[0-9]')


def _zero_led_style(xml: bytes) -> bool:
    """Whether a tag gives a style index led by a 0 (``s="09"``): style 9 for Excel, LibreOffice and style_index, a
    percent (text, otherwise shown) cell the fast path's searches for `` s="9"`` pass over (its 0.85 read where 85.00 %
    is shown).  A part writing style 0 (``s="0"``) a few times is looked at tag by tag, more by one search."""
    i = xml.find(b' s="0')
    for _ in range(_FEW_ZERO_STYLES):
        if i < 0:
            return False
        if 0x30 <= xml[i + 5] <= 0x39 if i + 5 < len(xml) else False:
            return True
        i = xml.find(b' s="0', i + 5)
    return _ZERO_LED_STYLE.search(xml, i) is not None


def _screen_canonical(xml: bytes, sheet: str, percent_styles: frozenset, texts: tuple = (),
                      otherwise: tuple = ()) -> SheetFacts | None:
    """The screen at C speed for a canonically written sheet; None when the part needs the parser.

    Text cannot hold a raw ``<`` and comments and CDATA (``<!``) never reach the searches, so every ``<c``
    and ``<row`` they see is a tag."""
    if xml[:1] != b"<" or _after(xml, b"#", 0x26) or _after(xml, b"!", 0x3C) or _after(xml, b"?", 0x3C, 2) \
            or _single_quoted(xml):
        return None  # character references (&#), DTDs/comments/CDATA (<!), processing instructions after the
        # declaration (<?, which may hold a "<c r=" or "<f " that is no element), an attribute in single quotes (which
        # may hold a raw < and a whole tag: <sheetPr codeName='<row r="5" hidden="1">'>, no XML, read by calamine)
    prefixed_f = False
    # (one pass of the pattern: half the instructions of first asking for ":c", ":f" and ":row" in three)
    for m in _PREFIXED.finditer(xml):
        if m[0][1] != 0x66:  # f
            return None  # prefixed cells or rows
        prefixed_f = True  # an <x:f>: Excel's <xm:f> of a validation, or a cell's formula
    if b"\x00" in xml or _OTHER_C.search(xml) or _OTHER_ROW.search(xml) or _ODD_INDEX_CANONICAL.search(xml) \
            or (percent_styles or texts or otherwise) and _zero_led_style(xml) or _entity_in_value(xml) \
            or _xmlns_in_cells(xml):
        return None  # UTF-16, or a cell or row written otherwise or placed beyond the limits, or a shared-string
        # index that is no plain number, or a style index led by a 0 (s="09") where a style is looked for, or an
        # entity in a cell's value (14640&amp;7273), or a namespace declared among the cells: the parser decides.
        # (Where no style is looked for, a form's dates: Grid reads a cell's style as style_index does, s="016" as 16)
    facts = SheetFacts(max_row=None, max_col=None)  # within the limits; the extent itself is not measured
    if _may_hide(xml):
        facts.hidden_rows = _hidden_rows(xml)
    if prefixed_f or b"<f" in xml:
        facts.formulas = _formula_cells(xml, prefixed_f)
        if facts.formulas is None:
            return None
    if b't="e"' in xml:
        facts.errors = _cells(_ERROR_CELLS.findall(xml))
        facts.error_texts = {(int(r) - 1, _col(letters) - 1): text.decode("ascii") for letters, r, text
                             in _ERROR_TEXTS.findall(xml) if ERROR_TEXT.fullmatch(text.decode("latin-1"))}
    if percent_styles:
        found = _styled_cells(xml, percent_styles)  # one scan: the section styles are among percent_styles
        facts.percent = set(found)
        by_sections = getattr(percent_styles, "sections", None)
        if by_sections:
            facts.percent_sections = {cell: by_sections[s] for cell, s in found.items() if s in by_sections}
    if texts or otherwise:  # both kinds of style in one scan of the sheet
        by_text, by_other = dict(texts), dict(otherwise)
        found = _styled_cells(xml, frozenset(by_text) | frozenset(by_other))
        if texts:
            facts.format_text = {cell: by_text[s] for cell, s in found.items() if s in by_text}
        if otherwise:
            facts.shown_otherwise = {cell: by_other[s] for cell, s in found.items() if s in by_other}
    if b"<mergeCell " in xml:
        facts.merged = _merged(_MERGED.findall(xml, xml.find(b"<mergeCell ")))  # (none starts before it)
    facts.hidden_cols = _hidden_cols(xml)
    return facts


_MERGED = re.compile(rb'<mergeCell' + _SKIP_ATTRS + rb' ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')
# a mergeCell's ref, as the parser gets it
_MERGE_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})")
MAX_MERGED = 10_000  # merged ranges looked at in a sheet (a form has a few; beyond, a hostile file)


def _box(r1: int, c1: int, r2: int, c2: int) -> tuple | None:
    """A merged range (0-based, inclusive) when it is one and lies within the sheet limits, else None."""
    if r1 <= r2 < MAX_SHEET_ROWS and c1 <= c2 < MAX_SHEET_COLS:
        return r1, c1, r2, c2
    return None


def _merged(found) -> list:
    """Merged ranges (0-based, inclusive) from the refs' parts (bytes), within the sheet limits, at most
    MAX_MERGED."""
    boxes = (_box(int(r1) - 1, _col(c1) - 1, int(r2) - 1, _col(c2) - 1) for c1, r1, c2, r2 in found[:MAX_MERGED])
    return [b for b in boxes if b]


# The canonical cells with a style (``s``, the first in the tag): their place and style.  One pattern, whatever
# the styles (one alternative per percent style took seconds to compile for a styles.xml of 200,000)
_STYLED_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _SKIP_ATTRS + rb' s="([^"<>]*)"')


_FEW_STYLES = 8  # styles looked for one by one (a form has one or two percent styles); more take the one pattern


def _styled_cells(xml: bytes, styles: frozenset) -> dict:
    """(row, col) -> style (``s``) of each cell whose style is one of `styles`."""
    if len(styles) > _FEW_STYLES:
        found = ((letters, r, s.decode("utf-8", "replace")) for letters, r, s in _STYLED_CELLS.findall(xml))
        return {(int(r) - 1, _col(letters) - 1): s for letters, r, s in found if s in styles}
    # each ` s="9"` found in C, then taken only where it is the first s of the cell tag before it (what the one
    # pattern reads): a row's s, or a second s in a tag, is passed over.  The pattern crosses no < from the cell's
    # tag to its s, so that tag is the last < before it, looked for back to the s found before only: with none
    # between, both are in one tag (the later not its first s) or one text.  Looked for back to a cell tag, the
    # search crossed every formatted row since the last cell, again for each (40,000 rows: 4 s)
    out = {}
    for style in styles:
        needle = b' s="' + style.encode("utf-8") + b'"'
        pos, last = xml.find(needle), 0
        while pos >= 0:
            at = xml.rfind(b"<", last, pos)
            m = _STYLED_CELLS.match(xml, at) if at >= 0 else None
            if m is not None and m.end() == pos + len(needle):
                out[(int(m[2]) - 1, _col(m[1]) - 1)] = style
            last, pos = pos, xml.find(needle, pos + 1)
    return out


def _text_cells(xml: bytes, texts: tuple) -> dict:
    """(row, col) -> what its format shows (format_text) for the cells of the styles `texts` gives ((style, that),
    ...)."""
    by_style = dict(texts)
    return {cell: by_style[s] for cell, s in _styled_cells(xml, frozenset(by_style)).items()}


# (and prefixed values, <x:v>: the fast path's searches for t="s"><v> and an error's <v> would pass them over)
_PREFIXED = re.compile(rb":(?:c|row|f[\s/>]|v[\s>])")  # one search for four (each alone is slower)
_SPACE_OR_END = frozenset(b" \t\n\r\f\v/>")
_PREFIX = re.compile(rb"[^\s<>/!?]+")  # a prefix, or several: the parser takes the last part of a name


_F_TAG = re.compile(rb"<f(?=[ \t\n\r\f\v/>])")  # an <f> tag, not <formula1> (a validation's, in most forms)


def _f_tags(xml: bytes, prefixed: bool):
    """Where the ``<f`` and (when `prefixed`) ``<x:f`` tags start (the parser takes either for a formula)."""
    found = [m.start() for m in _F_TAG.finditer(xml)]  # one search: a form's many <formula1> are passed over in C
    if prefixed:
        pos = xml.find(b":f")
        while pos >= 0:
            if xml[pos + 2:pos + 3] and xml[pos + 2] in _SPACE_OR_END:
                lt = xml.rfind(b"<", 0, pos)
                if lt >= 0 and _PREFIX.fullmatch(xml, lt + 1, pos):
                    found.append(lt)
            pos = xml.find(b":f", pos + 2)
        found.sort()
    return found


def _formula_cells(xml: bytes, prefixed: bool) -> set | None:
    """The cells holding an ``<f>`` element (with or without a prefix), found from the few ``<f`` back to the
    cell they follow, as the parser attributes them (the fast path has already checked that every cell tag
    is canonical); None when an ``<f`` may stand outside its cell, which only the parser can tell.

    An ``<f`` stands inside the cell before it when no ``/>`` or ``</c`` (the end of that cell, ``</c >`` too)
    comes between; outside it when the ``</sheetData>`` of the sheetData holding that cell does (Excel's
    ``<xm:f>`` of a validation, in the extLst after the cells)."""
    out, data_end = set(), None
    for pos in _f_tags(xml, prefixed):
        at = xml.rfind(b'<c r="', 0, pos)
        m = _C_CELLS.match(xml, at) if at >= 0 else None
        if m:
            if xml.find(b"/>", m.end(), pos) >= 0 or xml.find(b"</c", m.end(), pos) >= 0:
                if data_end is None:
                    data_end = xml.find(b"</sheetData>")
                    data_start = xml.rfind(b"<sheetData", 0, data_end) if data_end >= 0 else -1  # none after it
                if 0 <= data_start < at < data_end < pos:
                    continue  # the sheetData that holds the cell ended before the <f: no formula of a cell
                return None  # the <f may not be inside its cell: the parser decides
            out.add((int(m[2]) - 1, _col(m[1]) - 1))
    return out


def screen_sheet(xml: bytes, sheet: str, percent_styles: frozenset = frozenset(), texts: tuple = (),
                 otherwise: tuple = ()) -> SheetFacts:
    """Parse a worksheet part (expat, no DTD) before calamine sees it; refuse an absurd range.

    The XML is parsed, not matched as bytes, so white space, character references, namespace
    prefixes and UTF-16 hide nothing.  Cells without a reference take the next position, as
    calamine gives them.  A part written in the canonical form takes a regular-expression path
    that gives the same facts (the tests hold the two to the same results).
    """
    fast = _screen_canonical(xml, sheet, percent_styles, texts, otherwise)
    if fast is not None:
        return fast
    return _screen_parsed(xml, sheet, percent_styles, texts, otherwise)


#: A shared-string cell whose index is no plain number (`` 20 ``, 20.0, +20): calamine reads string 0 for it, another
#: text than the file holds (red team 28z F5).  The canonical cell tag's, found at C speed from its literal; any other.
_ODD_INDEX_CANONICAL = re.compile(rb't="s"><v>(?![0-9]{1,10}</v>|</v>)')
#: What may stand between a cell's start tag, its formula and its value, that no client reads as either: white space,
#: comments, processing instructions and CDATA sections (LibreOffice reads <c t="s"><!--x--><v>+67</v> as string 67)
_BETWEEN = (rb"""(?:\s++|<!--(?:[^-]++|-(?!->))*+-->|<\?(?:[^?]++|\?(?!>))*+\?>"""
            rb"""|<!\[CDATA\[(?:[^\]]++|\](?!\]>))*+\]\]>)*+""")
#: A cell's formula element, as _ODD_VALUE and _ODD_INDEX pass over it to its value
_FORMULA = rb"""<(?:[\w.-]+:)?f\b(?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+(?:/>|>[^<]*+</(?:[\w.-]+:)?f\s*>)"""
_ODD_INDEX = re.compile(rb"""<(?:[\w.-]+:)?c\b([^<>]*?\bt\s*=\s*(?:"\s*s\s*"|'\s*s\s*')[^<>]*)>""" + _BETWEEN
                        + rb"(?:" + _FORMULA + _BETWEEN + rb")?"
                        + rb"""<(?:[\w.-]+:)?v\s*>(?![0-9]{1,10}</|</)([^<]{0,40})""")


#: A cell's <v> (after its <f>, if any) whose text an entity, a character reference, a CDATA section, a comment or a
#: processing instruction interrupts (``<v>&#49;46407273</v>``, ``<v><![CDATA[146407273]]></v>``): calamine reads the
#: text before it (14640 of ``14640&#55;273``, nothing of ``&#49;46…``) where Excel and LibreOffice read the whole value
#: (146407273); a named entity (``14640&amp;7273``, ``&lt;146407273``) makes no number, date or index in any client
#: (LibreOffice reads 14640 of it, as calamine does: an amount read silently short).  The cell's tag (its attributes, a
#: quoted value holding a > too) and what its <v> holds up to it.
_ODD_VALUE = re.compile(rb"""<(?:[\w.-]+:)?c\b((?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+)>""" + _BETWEEN
                        + rb"(?:" + _FORMULA + _BETWEEN + rb")?"
                        + rb"""<(?:[\w.-]+:)?v\s*>([^<&]*+(?:&[^<&]{0,12}|<(?!/)[^<>]{0,12}))""")
#: The cell types whose <v> may hold an entity or a character reference: a text's (calamine reads it whole, A&amp;B
#: as A&B, &#x4e2d; as 中, as Excel and LibreOffice do)
_TEXT_TYPES = ("str", "inlineStr")
#: A value's start tag (``<v>``, ``<x:v >``), and one with an & in its text before any tag
_VALUE_TAG = re.compile(rb"<(?:[\w.-]+:)?v\s*>")
_VALUE_AMPERSAND = re.compile(rb"<(?:[\w.-]+:)?v\s*>[^<&]*+&")
_FEW_AMPERSANDS = 32  # & looked at one by one (a return's: its header formulas' "申报单位："&amp;'项目信息'!$B$3)


def _entity_in_value(xml: bytes) -> bool:
    """Whether some & of the part's cells (before its last ``sheetData>``: a footer's &amp;P, a validation's formula
    come after) stands in a value (<v>): each of the few looked at alone (is the tag it follows a <v>?), past those one
    search.  A return's parts hold a few & in their cells, in formulas (none in most): a find, a reverse find and a
    match each, no search of the part's cells."""
    i = xml.find(b"&")
    if i < 0:
        return False
    end = xml.rfind(b"sheetData>")
    tag = xml.rfind(b"<", 0, end) if end > 0 else -1
    if tag < 0 or xml[tag + 1:tag + 2] != b"/":  # (no closing tag: the cells may run to the part's end)
        end = len(xml)
    for _ in range(_FEW_AMPERSANDS):
        if i < 0 or i >= end:
            return False
        at = xml.rfind(b"<", 0, i)
        if _VALUE_TAG.match(xml, at) and b' t="e"' not in xml[xml.rfind(b"<c ", 0, at) + 1:at]:
            return True  # (an error value's entity, &lt;b&gt;: no number to misread; the screen keeps it unshown)
        seen, i = i, xml.find(b"&", i + 1)
    return 0 <= i < end and _VALUE_AMPERSAND.search(xml, xml.rfind(b"<", 0, seen), end) is not None


def _odd_value(xml: bytes, sheet: str) -> None:
    """A located refusal of the first cell of sheet `sheet`'s part whose value (<v>) an entity, a character
    reference, CDATA, a comment or a processing instruction interrupts, as calamine would read another value than Excel
    and LibreOffice show, or the value is none (a text's entities and character references excepted: calamine reads
    them as they do)."""
    if xml.find(b"&#") < 0 and b"<!" not in xml and xml.find(b"<?", 2) < 0 and not _entity_in_value(xml):
        return
    for m in _ODD_VALUE.finditer(xml):
        attrs = tag_attributes(m[1])
        if attrs.get("t") in _TEXT_TYPES and b"<" not in m[2]:
            continue
        if attrs.get("t") == "e" and b"<" not in m[2] and b"&#" not in m[2]:
            continue  # an error value's named entity (&lt;b&gt;): no number to misread, the error said as the cell shows
        ref = attrs.get("r", "").strip()[:20] or "?"
        found = m[2].decode("utf-8", "replace")
        raise FileProblem("file.corrupt", sheet=sheet, detail=(
            f"工作表“{sheet}”单元格 {ref} 的值“{found}”中含实体或字符引用、CDATA 或注释，Excel 显示的值无法确定",
            f"cell {ref} of sheet '{sheet}' writes its value '{found}' with an entity or character reference, CDATA or "
            f"a comment: "
            f"the value Excel shows is not known"))


def _odd_index(xml: bytes, sheet: str) -> None:
    """A located refusal of the first shared-string cell of sheet `sheet`'s part whose index is no plain number."""
    m = _ODD_INDEX.search(xml)
    if m is None:
        return
    ref = tag_attributes(m[1]).get("r", "").strip()[:20] or "?"
    found = m[2].decode("utf-8", "replace")
    raise FileProblem("file.corrupt", sheet=sheet, detail=(
        f"工作表“{sheet}”单元格 {ref} 的共享文本编号“{found}”不是整数，无法确定其内容",
        f"cell {ref} of sheet '{sheet}' gives its shared text's index as '{found}', not a whole number: its text is not known"))


#: The cell tags of a parsed part kept (SheetFacts.cell_tags): far more than a form's; a hostile part's millions of
#: cells (each tag's attributes some 400 bytes: 20 MB for these) are not all kept: memory stays bounded
MAX_KEPT_TAGS = 50_000


def _written_twice(sheet: str, cell: str | None, written: str | None, row: int = 0) -> FileProblem:
    """A located refusal of a sheet part holding two tags of one cell (`cell`, D5; `written`: its r as written, D05)
    or of one row (`row`): Excel repairs such a file (dropping one of them), calamine reads the last cell tag's value
    where other readings took the first tag's: which one the department meant is not known (red team 29ah F1)."""
    if cell is not None:
        as_written = f"（写作“{written[:20]}”）" if written is not None and written.strip() != cell else ""
        as_written_en = f" (written '{written[:20]}')" if as_written else ""
        return FileProblem("file.corrupt", sheet=sheet, detail=(
            f"工作表“{sheet}”中单元格 {cell}{as_written} 写了两次，无法确定它的内容",
            f"cell {cell}{as_written_en} of sheet '{sheet}' is written twice: its content is not known"))
    return FileProblem("file.corrupt", sheet=sheet, detail=(
        f"工作表“{sheet}”中第 {row} 行写了两次，无法确定它的行高",
        f"row {row} of sheet '{sheet}' is written twice: its height is not known"))


#: SpreadsheetML's namespaces, Transitional and Strict: the only ones whose cells Excel and LibreOffice read
_MAIN_URIS = frozenset({"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                        "http://purl.oclc.org/ooxml/spreadsheetml/main"})
#: A prefixed element of the cells (<x:c>, <x:v>): where its prefix is bound is looked at (_foreign_cells)
_PREFIXED_CELLS = re.compile(rb"<[^\s<>/!?:]++:(?:c|v|f|is|t|row|sheetData)[\s/>]")


#: The elements among the cells whose content calamine reads as a cell's (by their local name, whatever their
#: namespace): a row, a cell, its value, an inline text; a formula in another namespace is said as a formula, its
#: value read as every client reads it
_READ_IN_CELLS = frozenset({"row", "c", "v", "is", "t"})
_READ_IN_CELLS_BYTES = frozenset(n.encode() for n in _READ_IN_CELLS)
_TAG_NAME = re.compile(rb"<([^\s<>/!?]+)")


def _xmlns_in_cells(xml: bytes) -> bool:
    """Whether a namespace is declared within the part's <sheetData> (<v xmlns="…">, no writer's: an extLst's
    declarations after it are passed over).  Its x's looked for (memchr: a writer's cells hold few, Excel's rows
    one each, x14ac:dyDescent), each taken for an xmlns only where it is one."""
    start = xml.find(b"<sheetData")
    if start < 0:
        return False
    end = xml.rfind(b"</sheetData")  # (looked for from the part's end: its few elements after the cells)
    end = len(xml) if end < start else end
    find, i = xml.find, xml.find(b"x", start, end)
    while i >= 0:
        if xml.startswith(b"xmlns", i):
            return True
        i = find(b"x", i + 1, end)
    return False


def _foreign_cells(xml: bytes, sheet: str) -> None:
    """A located refusal of sheet `sheet`'s part where a row, a cell, a value or an inline text (_READ_IN_CELLS) within
    its <sheetData> is in another namespace than SpreadsheetML's (<x:v> with x bound elsewhere, <v xmlns="urn:…">) or under a prefix never
    declared: calamine reads it by its local name (100), LibreOffice passes it over (the cell shows nothing), Excel
    refuses the file: what the cell holds is not known.  A second parse, with namespaces, of the parts that may hold
    one only (_PREFIXED_CELLS, _xmlns_in_cells): none of a writer's."""
    parser = expat.ParserCreate(namespace_separator=" ")
    state = {"depth": 0, "cell": None}  # depth: within the main sheetData (> 0); the cell being read, its r

    def refused(zh: str, en: str):
        ref = (state["cell"] or "?")[:20]
        return FileProblem("file.corrupt", sheet=sheet, detail=(
            f"工作表“{sheet}”单元格 {ref} 的内容{zh}，Excel 和 LibreOffice 不读取它，无法确定它的内容",
            f"cell {ref} of sheet '{sheet}' writes its content {en}, which neither Excel nor LibreOffice reads: "
            f"its content is not known"))

    def start(name, attrs):
        uri, _, local = name.rpartition(" ")
        if state["depth"]:
            if uri not in _MAIN_URIS and local in _READ_IN_CELLS:
                raise refused(f"写在其他命名空间（{uri[:60] or '无'}）的元素 {local[:20]} 中",
                              f"in an element {local[:20]} of another namespace ({uri[:60] or 'none'})")
            state["depth"] += 1
            if local == "c":
                state["cell"] = attrs.get("r") or "?"
        elif local == "sheetData" and uri in _MAIN_URIS:
            state["depth"] = 1

    def end(name):
        if state["depth"]:
            state["depth"] -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        at = _TAG_NAME.match(xml, max(parser.ErrorByteIndex, 0))
        if state["depth"] and exc.code == expat.errors.codes[expat.errors.XML_ERROR_UNBOUND_PREFIX] and at \
                and at[1].rpartition(b":")[2] in _READ_IN_CELLS_BYTES:
            raise refused("写在未声明的命名空间前缀下", "under a namespace prefix never declared") from None
        # (an error outside the cells, or any other: the screen's own parse has said it, or the cells are read)


#: The worksheet's elements Grid reads whole (its page setup, protection, default row height, extent): children of
#: the part's root element; a pageSetUpPr, a child of its sheetPr (SheetFacts.sheet_tags)
SHEET_TAGS = frozenset({"sheetFormatPr", "pageSetup", "pageMargins", "dimension", "sheetProtection"})


def _screen_parsed(xml: bytes, sheet: str, percent_styles: frozenset = frozenset(), texts: tuple = (),
                   otherwise: tuple = ()) -> SheetFacts:
    _odd_index(xml, sheet)
    _odd_value(xml, sheet)
    facts = SheetFacts()
    row_tags = facts.row_tags = {}
    cell_tags = facts.cell_tags = {}
    sheet_tags = facts.sheet_tags = {}
    opened: list = []  # the local names of the elements being read, the root's first (where a SHEET_TAGS one is)
    twice: list = []  # the first row or cell written twice: refused once the part is read (a refusal of its size first)
    text_of = dict(texts)
    otherwise_of = dict(otherwise)
    percent_sections_of = getattr(percent_styles, "sections", {})
    # Where calamine puts a cell without an r: its row count is set by a row's r and moves on at each row's end
    # (<row/> too), never at a row's start; its column goes back to the first at a row's end only.  Rows nested
    # in rows (well-formed XML) so carry it past any r, and a row inside a row keeps the outer row's column.
    state = {"row": 1, "col": 0, "cell": None, "open": [], "far": 0}  # open: the rows being read (0, or r when
    # beyond the limits); far: how many of them are beyond the limits
    error_value: list = []  # the text of an error cell's <v> while it is read: [cell, text…]

    def start(name, attrs):
        local = name.rpartition(":")[2]
        depth = len(opened)
        opened.append(local)
        if local == "c":
            ref = attrs.get("r")
            if ref is None:
                row, col = state["row"], state["col"] + 1
            else:
                m = _REF.match(ref.strip())
                if not m:
                    raise FileProblem("file.corrupt", detail=(f"工作表“{sheet}”中的单元格位置 {ref[:20]!r} 无效",
                                                                  f"invalid cell reference {ref[:20]!r} in sheet '{sheet}'"))
                col = _col(m[1].encode())
                row = int(m[2])
            state["col"], state["cell"] = col, (row - 1, col - 1)
            if attrs.get("t") == "e":
                facts.errors.add((row - 1, col - 1))
            error_value.clear()
            s = attrs.get("s")
            if s is not None and not (s.isascii() and s.isdigit() and (s[0] != "0" or s == "0")):
                s = str(style_index(s))  # (" 16", +16, 016: style 16, as Excel and the print checks read it)
            if percent_styles and s in percent_styles:
                facts.percent.add((row - 1, col - 1))
                if s in percent_sections_of:
                    facts.percent_sections[(row - 1, col - 1)] = percent_sections_of[s]
            if text_of and s in text_of:
                facts.format_text[(row - 1, col - 1)] = text_of[s]
            if otherwise_of and s in otherwise_of:
                facts.shown_otherwise[(row - 1, col - 1)] = otherwise_of[s]
            if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLS:
                raise _too_large(max(row, facts.max_row), max(col, facts.max_col), sheet)
            if state["far"]:  # a cell in a row beyond the limits, wherever its r places it
                raise _too_large(max(state["open"]), max(col, facts.max_col), sheet)
            facts.max_row, facts.max_col = max(facts.max_row, row), max(facts.max_col, col)
            if (row - 1, col - 1) in cell_tags:
                if not twice:
                    twice.append(_written_twice(sheet, f"{col_letter(col - 1)}{row}", ref))
            elif len(cell_tags) < MAX_KEPT_TAGS:
                cell_tags[(row - 1, col - 1)] = attrs
        elif local == "row":
            r = attrs.get("r")
            try:
                row = int(r) if r is not None else state["row"]
            except ValueError:
                raise FileProblem("file.corrupt", detail=(f"工作表“{sheet}”中的行号 {r[:20]!r} 无效",
                                                              f"invalid row number {r[:20]!r} in sheet '{sheet}'")) from None
            if row < 1:
                raise _too_large(row, facts.max_col, sheet)
            # A row beyond the limits that holds no cell is nothing calamine lays out: LibreOffice writes one at
            # row 1048576 (its height) when a row of the form is deleted. A cell in it is refused, above.
            state["open"].append(row if row > MAX_SHEET_ROWS else 0)
            state["far"] += row > MAX_SHEET_ROWS
            state["row"] = row
            if row <= MAX_SHEET_ROWS:
                if row - 1 in row_tags and not twice:
                    twice.append(_written_twice(sheet, None, r, row))
                row_tags[row - 1] = attrs
                if _hidden(attrs):
                    facts.hidden_rows.add(row - 1)
        elif local == "f" and state["cell"] is not None:
            facts.formulas.add(state["cell"])
        elif local == "v" and state["cell"] in facts.errors:
            error_value[:] = [state["cell"]]
        elif local == "col":
            facts.hidden_cols.update(_col_hides({k.rpartition(":")[2]: v for k, v in attrs.items()}))
        elif local == "mergeCell" and len(facts.merged) < MAX_MERGED:
            m = _MERGE_REF.fullmatch((attrs.get("ref") or "").strip())
            box = m and _box(int(m[2]) - 1, _col(m[1].encode()) - 1, int(m[4]) - 1, _col(m[3].encode()) - 1)
            if box:
                facts.merged.append(box)
        elif depth == 1 and local in SHEET_TAGS or depth == 2 and local == "pageSetUpPr" and opened[1] == "sheetPr":
            sheet_tags.setdefault(local, attrs)

    def text(data):
        if error_value:
            error_value.append(data)

    def end(name):
        local = opened.pop()
        if local == "v" and error_value:
            shown = "".join(error_value[1:])
            if ERROR_TEXT.fullmatch(shown):
                facts.error_texts[error_value[0]] = shown
            error_value.clear()
        if local == "c":  # an <f> after the cell (Excel's <xm:f> of a validation) is not its formula
            state["cell"] = None
        elif local == "row":
            state["row"], state["col"] = state["row"] + 1, 0
            if state["open"]:
                state["far"] -= state["open"].pop() > 0

    # a Python call for every text node only where an error cell may be (t="e", however quoted): most sheets hold none
    maybe_errors = b'"e"' in xml or b"'e'" in xml
    _parse_refusing_dtd(xml, start, part=sheet, end=end, text=text if maybe_errors else None,
                        what=(f"工作表“{sheet}”的 XML", f"the XML of sheet '{sheet}'"), sheet=sheet)
    if _PREFIXED_CELLS.search(xml) or _xmlns_in_cells(xml):  # (no writer's part: a second parse, with namespaces)
        _foreign_cells(xml, sheet)
    if twice:
        raise twice[0]
    return facts


def _parse_refusing_dtd(data: bytes, start, *, part: str, what: tuple[str, str], end=None, text=None,
                        final: bool = True, sheet: str = "") -> None:
    """Run expat over untrusted XML with `start` for each element (`end` and `text`, for character data, if
    given); a DTD or entity declaration (the way to billion-laughs and external entities) is refused, broken XML
    is a located problem (`what`: the part, in Chinese and English).  `final` False: `data` is the beginning of
    the part only; `sheet`: the sheet whose part it is, that its refusal names."""
    parser = expat.ParserCreate()
    if text is not None:
        parser.CharacterDataHandler = text

    def refuse_dtd(*_):
        raise FileProblem("file.unsafe_xml", found=part)

    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(data, final)
    except expat.ExpatError as exc:
        where, where_en = what
        raise FileProblem("file.corrupt", detail=(f"{where}无法解析（第 {exc.lineno} 行第 {exc.offset} 列）",
                                                  f"{where_en} cannot be parsed ({expat.ErrorString(exc.code)}, "
                                                  f"line {exc.lineno}, column {exc.offset})"), sheet=sheet) from None


_PERCENT_BUILTIN = {"9", "10"}  # 0% and 0.00%
#: a <numFmt>'s attributes up to its end: a quoted value may hold a raw > (legal XML: [>=1000000]0.0,,"M"), which a
#: [^>]* cut short, judging the code "" (red team 28z F4).  No < is in a tag (nor in a value): each try stops at the
#: next tag, a hostile file's unbalanced quotes are read in one pass
_NUMFMT = re.compile(rb"""<(?:[\w.-]+:)?numFmt\b((?:[^<>"']++|"[^<"]*+"|'[^<']*+')*+)>""")
_CELL_XFS = re.compile(rb"<(?:[\w.-]+:)?cellXfs\b[^>]*>(.*?)</(?:[\w.-]+:)?cellXfs\s*>", re.DOTALL)
_XF = re.compile(rb"<(?:[\w.-]+:)?xf\b([^>]*)>")
_ATTR = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|quot|apos|amp|lt|gt);")
_ENTITIES = {"quot": '"', "apos": "'", "amp": "&", "lt": "<", "gt": ">"}
# What a number format shows as it is, not as a percent: quoted text ("%"), an escaped character (\%), the room
# of a character (_%) or a character repeated to fill (*%), and a colour, condition or currency in brackets
_SHOWN_AS_IS = re.compile(r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]', re.DOTALL)


def style_index(value: str | None) -> int:
    """The cell style index a cell tag's s attribute gives (`value`, as the parser reads it; None: no s), as Excel
    and LibreOffice read it (XML Schema's unsignedInt: white space around it collapsed, a + sign and leading zeros
    allowed: ``" 16"``, ``+16`` and ``016`` are 16, as LibreOffice shows them); 0 where there is none or it is no
    such number.  (calamine reads ``" 16"`` and ``+16`` as no style: a date so styled is given as its serial, which
    the reader takes as the date that cell shows.)"""
    if value is None:
        return 0
    value = value.strip(" \t\r\n")
    digits = value[1:] if value[:1] == "+" else value
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits.lstrip("0")) <= 9 else 0


def tag_attributes(tag: bytes) -> dict[str, str]:
    """A tag's attributes by their local name, their values with XML's character references resolved (a
    quote in a format code is written &quot;).  `tag` is what follows the tag's name, up to its ``>``, as the
    screen's patterns capture it.  Public: Grid reads a row's and a cell's tag with it (row heights, styles)."""
    out = {}
    for name, double, single in _ATTR.findall(tag):
        out[name.rpartition(b":")[2].decode("utf-8", "replace")] = _attr_value(double, single)
    return out


def _attr_value(double: bytes, single: bytes) -> str:
    """An attribute's value as a pattern captured it (in double or single quotes), its character references
    resolved (tag_attributes, _unordered_cell)."""
    value = (double or single).decode("utf-8", "replace")
    if "&" in value:
        value = _ENTITY.sub(lambda m: _ENTITIES.get(m[1]) or _char(m[1]), value)
    return value


def _char(ref: str) -> str:
    code = int(ref[2:], 16) if ref[1] == "x" else int(ref[1:])
    return chr(code) if code < 0x110000 else ""


def shows_percent(code: str) -> bool:
    """Whether a number format shows a number as its percent (a ``%`` outside what the format shows as it is) in a
    section numbers are shown with (parse_format)."""
    parsed = parse_format(code)
    return bool(parsed) and not parsed.text_first and any(s.percents for s in parsed.number_sections)


def _styles_showing(styles_xml: bytes | None, builtin, shows, *, builtin_fixed: bool) -> frozenset:
    """The cell style indices (``s``) of an xlsx styles.xml whose number format `shows` (a predicate on a format
    code): a built-in format of `builtin` (numFmtId), or one the file defines.  `builtin_fixed`: a format the
    file defines under a built-in's id leaves the built-in as it is (percent); else the file's code decides
    (date).  The one walk behind percent_styles and date_styles (_biff reads an .xls's formats the same way)."""
    if not styles_xml:
        return frozenset()
    ids = {str(i) for i in builtin}
    for attrs in _used_formats(styles_xml):
        if shows(attrs.get("formatCode", "")):
            ids.add(attrs["numFmtId"].strip())
        elif not builtin_fixed:
            ids.discard(attrs["numFmtId"].strip())
    return frozenset(str(i) for i, xf in enumerate(_cell_styles(styles_xml))
                     if xf.get("numFmtId", "").strip() in ids)


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def percent_styles(styles_xml: bytes | None) -> frozenset:
    """The cell style indices (``s``) whose number format shows a percent (xlsx styles.xml): a PercentStyles, whose
    ``sections`` give those of them whose % depends on the section a number is shown with (percent_sections)."""
    styles = _styles_showing(styles_xml, _PERCENT_BUILTIN, shows_percent, builtin_fixed=True)
    if not styles:
        return styles
    by_style = dict(_styles_saying(styles_xml, percent_sections))
    return PercentStyles(styles, {s: by_style[s] for s in styles if s in by_style})


class PercentStyles(frozenset):
    """Cell styles shown as a percent, and (``sections``: style -> ShownSections) the % signs each section of a style's
    format shows, where they are not one % in every section."""

    def __new__(cls, styles=(), sections=None):
        out = super().__new__(cls, styles)
        out.sections = sections or {}
        return out


class Percents(int):
    """The % signs a format section scales a number by (each ×100: the int itself), and ``shown``, the % signs it
    prints: ``0%%`` scales 5 by two and prints 50000%%; ``0%"%"`` (a quoted %, or LibreOffice's percentage style of
    %%, which scales once) by one and prints 500%%."""

    def __new__(cls, signs: int, shown: int | None = None):
        out = super().__new__(cls, signs)
        out.shown = signs if shown is None else shown
        return out

    def __getnewargs__(self):
        return int(self), self.shown

    def __repr__(self):
        return f"Percents({int(self)}, shown={self.shown})"


def libreoffice_percents(sections):
    """A cell's percent_sections (ShownSections of Percents) as LibreOffice shows numbers with them: its formatter
    scales a section of any count of % signs once, and prints them all (measured, 7.4, an .xlsx it saved keeping the
    code: 0%% shows 5 as 500%%, 0%%% as 500%%%, where Excel shows 50000%% and 5000000%%%); the same ShownSections where
    no section has more than one."""
    if all(count <= 1 for _, count in sections):
        return sections
    return ShownSections((cond, Percents(min(count, 1), count.shown)) for cond, count in sections)


def _percents(section: Section) -> Percents:
    """The % signs a section scales by and prints (a % quoted or escaped prints, and does not scale)."""
    return Percents(section.percents, section.literal.count("%"))


def percent_sections(code: str):
    """The % signs (each ×100) each number section of a format shows, as ShownSections (its ``at`` gives a number's
    Percents), where they differ from one % in every section: ``[<1]0%;0`` shows 0.5 as 50% and 5 as 5 (no %), ``0%%``
    shows 5 as 50000%% (red team 24d F09), ``0%"%"`` as 500%%; None for a format showing every number with one % (0%,
    0.00%) or none."""
    parsed = parse_format(code)
    if not parsed or parsed.text_first:
        return None
    sections = parsed.chosen(_percents)
    if not any(count for _, count in sections) or (not sections.conditional and all(
            count == 1 and count.shown == 1 for _, count in sections)):
        return None
    return sections


#: The built-in number formats (numFmtId) that show a date or a time
DATE_BUILTIN = frozenset((*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)))
_DATE_TIME_CODES = re.compile(r"[yYmMdDhHsS]")  # not E: 0.00E+00 is a number's


def shows_date(code: str) -> bool:
    """Whether a number format shows a number as a date or time (yyyy-mm-dd; not General, nor 0.00E+00); a code
    longer than MAX_FORMAT_CODE is opaque (no)."""
    return len(code) <= MAX_FORMAT_CODE and bool(_DATE_TIME_CODES.search(_SHOWN_AS_IS.sub("", code)))


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def date_styles(styles_xml: bytes | None) -> frozenset:
    """The cell style indices (``s``) whose number format shows a date or time (xlsx styles.xml)."""
    return _styles_showing(styles_xml, DATE_BUILTIN, shows_date, builtin_fixed=False)


_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|;', re.DOTALL)
_PLACEHOLDERS = frozenset("0#?")
_DATE_CODES = re.compile(r"[yYmMdDhHsSeEbBgG]")  # a date or time format (or General, or a scientific one)
MAX_FORMAT_TEXT = 40  # the text a format shows with a number, as far as it is looked at


_CONDITION = re.compile(r"\[\s*(<=|>=|<>|=|<|>)\s*([-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*\]")
_COMPARE = {"<": float.__lt__, "<=": float.__le__, ">": float.__gt__, ">=": float.__ge__, "=": float.__eq__,
            "<>": float.__ne__}


class FormatSections(tuple):
    """The sections of a number format that show numbers, where they show different texts: ((condition, text),
    ...), a condition ("<", 0.0) or None, a text (before, after) or None; `conditional` when any section has a
    condition (then the first two are taken by their conditions, the third as the else, not as
    positive;negative;zero: _condition).  `for_value` chooses the one Excel shows a number with.  `code`: the
    format code they were read from (format_text), for shown_number to print a number with; None where none is
    kept (an .ods's number styles, LibreOfficeSections)."""

    code: str | None = None  # (set on the instance by format_text)

    @property
    def conditional(self) -> bool:
        return any(cond for cond, _ in self)

    def for_value(self, value: float) -> tuple[str, str, bool] | None:
        """(text before, text after, the number shown without its sign) for `value`; None when the section that
        shows it shows no text (or none shows it: Excel's ###, and a NaN a hostile file stores: no section of
        Excel's or LibreOffice's shows it)."""
        v = float(value)
        if v != v:
            return None
        i = self._section(v)
        text = self[i][1] if i is not None else None
        if not text:
            return None
        return (*text, v < 0 and self._unsigned(i))

    def _unsigned(self, i: int) -> bool:
        """Whether section `i`, showing a negative number, shows it without its sign (its own text gives the minus):
        the second of positive;negative;zero, else as _negative_section says."""
        if not self.conditional:
            return i == 1
        return _negative_section(self._condition(i, self[i][0]), [self._condition(j, self[j][0]) for j in range(i)])

    def _section(self, v: float) -> int | None:
        """The index of the section Excel shows `v` (a number, not NaN: for_value) with; None for none (Excel's ###)."""
        if not self.conditional:  # positive;negative;zero (or positive and zero;negative), as Excel takes them
            n = len(self)
            return 0 if v > 0 or n == 1 or (v == 0 and n == 2) else 1 if v < 0 else 2
        for i, (cond, _) in enumerate(self):  # [<0]…;…: the first two by their conditions, then the third (the else)
            cond = self._condition(i, cond)
            if cond is None or _COMPARE[cond[0]](v, cond[1]):
                return i
        return None

    def _condition(self, i: int, cond):
        """The condition of section `i` of a conditional format, as Excel and LibreOffice take it (ECMA-376 §18.8.31;
        Microsoft KB Q67469): the first two sections are the ones with conditions, an omitted one [>0] for the first
        and [<0] for the second (when a third section follows: of two, the second is the else); the third is the
        else, whatever it says.  [>100]"大"0;"中"0;"零"0 shows 5 as 零5 and -5 as 中5 (LibreOffice writes that
        [<0] into the files it saves)."""
        if i >= 2:
            return None
        if cond is None:
            if i == 0:
                return (">", 0.0)
            if len(self) > 2:
                return ("<", 0.0)
        return cond


class LibreOfficeSections(FormatSections):
    """A format's sections as LibreOffice (7.4, measured: the cells' texts as shown) shows a number with them, where it
    differs from Excel:

    - the minus: LibreOffice writes it in a format's first section alone, and there not where that section's
      condition is [<0] or [<=0] (svl's SvNumberformat: the sign is the first subformat's; its "real negative"
      subformats drop it).  A negative number its second or third section shows is shown without it, whatever their
      conditions: [>=100]"大"0;[>=10]"中"0;"小"0 shows -5 as 小5 (Excel -小5), [<-1]0"天";0"人" -0.5 as 1人 (Excel -1人),
      [>1]0"人";[<-1]0"天";0"个" -3 as 3天;
    - a format of two sections, the first with a condition and the second without, takes [>0] or [>=0] as no condition
      at all, zero in the first section ([>0]0"天";0"人" shows 0 as 0天, Excel 0人; LibreOffice saves that code as
      0\\天;0\\人).

    Which section shows a number is otherwise chosen as Excel chooses it (FormatSections)."""

    __slots__ = ()

    def _unsigned(self, i: int) -> bool:
        """LibreOffice writes the minus in the first section alone, and not where its condition is [<0] or [<=0]."""
        first = self[0][0]
        return i != 0 or (first is not None and first[0] in ("<", "<=") and first[1] == 0)

    def _section(self, v: float) -> int | None:
        """The index of the section LibreOffice shows `v` with; None for none (it shows the number as General)."""
        if len(self) == 2 and self[1][0] is None and self[0][0] in ((">", 0.0), (">=", 0.0)):
            return 0 if v >= 0 else 1
        return super()._section(v)


def as_libreoffice(entry):
    """A format_text entry as LibreOffice shows numbers with it (LibreOfficeSections); one text for every number
    is the same in both."""
    return LibreOfficeSections(entry) if isinstance(entry, FormatSections) else entry


#: Applications whose .ods is read by Excel's rule (as meta:generator names them): Excel (MicrosoftOffice/16.0
#: MicrosoftExcel/CalculationVersion-…, Microsoft Excel Online) shows an .ods it saved as it shows an .xlsx; WPS as
#: everywhere else (libreoffice_shows).
_EXCEL_ODS = ("microsoft", "wps", "kingsoft")


def libreoffice_shows(kind: str, saved_by: str) -> bool:
    """Whether the application that saved a workbook of `kind` (xlsx, xls, ods), as Grid.saved_by names it, shows a
    number format's sections as LibreOffice does (LibreOfficeSections), not as Excel does.  The department looked at
    the return, and printed it, in that application: its cells are read as it showed them.

    - .xlsx and .xls: LibreOffice where it is named (an .xls LibreOffice saved names no application: Grid.saved_by
      says "LibreOffice" by its WRITEACCESS user "Calc"); Excel, WPS, a script (openpyxl and XlsxWriter name
      "Microsoft Excel"; nobody looked at what a script wrote) or none named: Excel's rule.
    - .ods: LibreOffice's rule unless Excel or WPS is named: ODF is LibreOffice's own format, and Apache OpenOffice
      (or any other application of its number formatter) shows it alike; a file naming none is LibreOffice's too.
    - WPS is read as Excel: no documentation reachable here says how WPS shows a two-section format whose first
      section has a condition ([<-1]0"天";0"人" with -0.5), and WPS follows Excel's format codes where they are
      documented (the same sections, conditions and built-in formats); should it be measured to show such a format
      as LibreOffice does, this is the one place to say so."""
    if kind == "ods":
        folded = saved_by.casefold()
        return not any(name in folded for name in _EXCEL_ODS)
    return saved_by.startswith("LibreOffice")


def _negative_section(cond, passed: list) -> bool:
    """Whether a negative number chosen by a section of these conditions is shown without its sign, as the
    section's own text gives its minus: a section for the negatives ([<0], [<=0]), or the one taken when no
    number below 0 could pass the conditions before it ([>=0], [>0]: LibreOffice keeps positive;negative in an
    .ods so, the negative part its style's own, "-" written as its text), as LibreOffice and Excel show them."""
    if cond is not None:
        return cond[0] in ("<", "<=") and cond[1] == 0
    return any(c[0] in (">", ">=") and c[1] == 0 for c in passed)


def shown_for(entry, value) -> tuple[str, str, bool] | None:
    """What a cell's number format shows with the number `value` (an entry of SheetFacts.format_text): (text
    before, text after, the number shown without its sign), or None."""
    if isinstance(entry, FormatSections):
        return entry.for_value(value)
    return (*entry, False) if entry else None


def _split_sections(code: str) -> list[list]:
    """The sections of a format code (split at ; outside quotes and brackets), each as [(start, end, token)]: the
    plain text between tokens, and the token (a quoted text, an escaped character, a [bracket]) that ends it."""
    sections, current, pos = [], [], 0
    for m in _SECTION.finditer(code):
        if m[0] == ";":
            current.append((pos, m.start(), None))
            sections.append(current)
            current, pos = [], m.end()
            continue
        current.append((pos, m.start(), m[0]))
        pos = m.end()
    current.append((pos, len(code), None))
    sections.append(current)
    return sections


_TEXT_SECTION = object()  # a section of @: it shows texts, not numbers


def _section_text(code: str, section: list):
    """(before, after) a number one section shows; None for none; _TEXT_SECTION for a text section (@); False
    when it is no plain number format (a date, General)."""
    parts: list[tuple[str, str]] = []  # ("lit", text) | ("num", "") in order
    for start, end, token in section:
        plain = code[start:end]
        if "@" in plain:
            return _TEXT_SECTION
        if _DATE_CODES.search(plain):
            return False
        i = 0
        while i < len(plain):
            ch = plain[i]
            if ch in ("_", "*"):  # a character's room, or a fill: nothing shown as text
                i += 2
                continue
            if ch in _PLACEHOLDERS:
                parts.append(("num", ""))
            elif ch in "-()":  # a minus, or brackets, the section writes (0"天";-0"天" shows -3 as -3天,
                parts.append(("sign", ch))  # 0"天";(0"天") as (3天)): shown beside its text
            elif ch not in ".,%+ $/:":  # what a number format shows of itself, or no text of note
                parts.append(("lit", ch))
            i += 1
        if token:
            if token.startswith('"'):
                parts.append(("lit", token[1:-1]))
            elif token.startswith("\\"):
                parts.append(("lit", token[1:]))
    nums = [i for i, (kind, _) in enumerate(parts) if kind == "num"]
    if not nums:
        return None
    if not any(kind == "lit" and t.strip() for kind, t in parts[:nums[0]] + parts[nums[-1] + 1:]):
        return None  # no text beside the number (0;-0: its minus is all a plain number shows)
    before = "".join(t for kind, t in parts[:nums[0]] if kind != "num").strip()
    after = "".join(t for kind, t in parts[nums[-1] + 1:] if kind != "num").strip()
    return before[:MAX_FORMAT_TEXT], after[:MAX_FORMAT_TEXT]


class ShownText(tuple):
    """(text before, text after) the number, the one text a format shows with every number (format_text), with the
    format `code` it was read from: messages quote the number as the code prints it (shown_number: 3.00 for 0.00)."""

    def __new__(cls, texts, code: str | None = None):
        out = super().__new__(cls, texts)
        out.code = code
        return out

    def __getnewargs__(self):
        return tuple(self), self.code


def format_text(code: str):
    """The text a number format shows before and after a number (``"≤"0"天"``: ("≤", "天")); None when it shows
    none, or is no plain number format (a date, a text format @, General).  A format of several sections
    (positive;negative;zero, or [<0]… conditions) whose sections show different texts gives its FormatSections,
    the section chosen by the number (shown_for); the same code for an .xlsx's styles and an .xls's FORMAT
    records.  Read from the code's parsed view (parse_format)."""
    parsed = parse_format(code)
    if parsed is None or parsed.text_first:
        return None  # @ first: a text format (or a code too long to be read: opaque)
    sections = []
    for section in parsed.number_sections:
        if section.texts is False:
            return None
        sections.append((section.cond, section.texts))
    if not any(text for _, text in sections):
        return None
    out = FormatSections(sections)
    if len(sections) == 1 and not out.conditional:
        return ShownText(sections[0][1], code)  # one text for every number
    out.code = code
    # (sections showing the same text stay sections: "≥"0"天";"≥"0"天" shows -3 as ≥3天, its negative section's, in
    # Excel and LibreOffice alike; one text would keep the minus)
    return out


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def format_texts(styles_xml: bytes | None) -> tuple:
    """(style index ``s``, what its format shows: format_text) of each cell style whose number format shows text
    with a number (xlsx styles.xml): a paste from another workbook may bring ``"≤"0"天"`` with its number."""
    if not styles_xml:
        return ()
    return _styles_saying(styles_xml, format_text)


def _styles_saying(styles_xml: bytes, judge) -> tuple:
    """(style index ``s``, what `judge` says of its number format) of each cell style of a styles.xml whose format
    (one the file defines) `judge` says something of: the one walk behind format_texts and otherwise_styles
    (_styles_showing is the yes/no walk of percent and date styles)."""
    shown = {}
    for attrs in _used_formats(styles_xml):
        found = judge(attrs.get("formatCode", ""))
        if found:
            shown[attrs["numFmtId"].strip()] = found
    if not shown:
        return ()
    return tuple((str(i), shown[xf["numFmtId"].strip()]) for i, xf in enumerate(_cell_styles(styles_xml))
                 if xf.get("numFmtId", "").strip() in shown)


# --- number formats that show a cell otherwise than its value is read (an amount in 万元, nothing at all) ---

#: The units of money a number format may show beside an amount, and what one of each is in 元: the form's
#: multipliers but 万亿 and 百 (longest first, for the pattern: 千万 before 千 and 万); a unit written without 元
#: (“万”) is the same unit.
MONEY_UNITS = tuple(sorted(((word, power) for word, power in MULTIPLIERS if word not in ("万亿", "百")),
                           key=lambda unit: -len(unit[0])))
_MONEY_UNIT = re.compile("(" + "|".join(unit for unit, _ in MONEY_UNITS) + ")(元?)")
_UNIT_FACTOR = dict(MONEY_UNITS)
# a format code's tokens: a quoted text, an escaped character, a character's room or a fill, a [bracket], General,
# or one character
_FORMAT_TOKEN = re.compile(r'"[^"]*"?|\\.|[_*].|\[[^\]]*\]?|(?i:general)|.', re.DOTALL)
_DATE_LETTERS = frozenset("yYmMdDhHsSeEbBgGaA")  # (A: AM/PM) a date's, a time's or a scientific number's


class MoneyScale(tuple):
    """How a number format shows an amount: (shown_unit, factor).  `shown_unit` the unit it shows beside the number
    (万元, 亿, 千元; "" for none: the thousands-scaling comma of ``#,##0.00,`` shows 62,800.00 for 62,800,000 and no
    unit); `factor` (a Decimal) what the value read is multiplied by to give the amount, in 元, the cell shows:
    10000 for ``#,##0.00"万元"`` (6280 shows 6,280.00万元, 62,800,000 元), 0.001 for ``#,##0.00,``."""

    __slots__ = ()

    def __new__(cls, shown_unit: str, factor):
        return super().__new__(cls, (shown_unit, factor))

    @property
    def shown_unit(self) -> str:
        return self[0]

    @property
    def factor(self):
        return self[1]

    @property
    def divisor(self):
        """What the number read is divided by to give the number the cell shows (1000 for ``#,##0.00,``; 1 for
        ``#,##0.00"万元"``, which shows the number read and a unit beside it)."""
        return Decimal(_UNIT_FACTOR.get(self.shown_unit.rstrip("元"), 1)) / self.factor

    def shown(self, value) -> str:
        """The number the cell shows for `value` (exact, before the format rounds it), with the unit shown."""
        return _plain(Decimal(repr(value)) / self.divisor) + self.shown_unit

    def in_yuan(self, value) -> str:
        """The amount in 元 the cell shows for `value`: value × factor, exact."""
        return _plain(Decimal(repr(value)) * self.factor)


def _plain(d) -> str:
    """A Decimal written plainly (62800000, 0.628), never in E notation."""
    return format(d.normalize(), "f")


#: The longest number format code read (Excel keeps one to 255 characters, LibreOffice's dialog about as many): a longer
#: code, which only a hand-made file holds, is opaque: nothing is judged of it (no unit, percent, text or blank said),
#: and its cells are read as their values.  Parsing it would cost time for nothing (red team 24d F03).
MAX_FORMAT_CODE = 1000
_DASHES = frozenset("-‐–—－ ")  # a zero shown as a dash (accounting formats' zero section): the zero it stands for


class Section(tuple):
    """One section of a number format code, parsed (parse_format): what every check of a format reads.

    - ``cond``: its condition (("<", 1000000.0)) or None;
    - ``kind``: "number" (shows a number, or no number: ``"详见附件"``), "text" (``@``: the text section), "other" (a
      date, a time, a scientific number: no plain number);
    - ``digits``: whether it shows a number (a digit placeholder 0 # ?, or General);
    - ``commas``: the thousands-scaling commas (each divides by 1,000: ``#,##0.00,``);
    - ``percents``: the % signs it shows (each multiplies by 100: ``0%%`` shows 5 as 50000%%);
    - ``literal``: the text it shows of its own, in order (quoted, escaped, as it is, a currency bracket's symbol);
    - ``texts``: (before, after) the number, as format_text gives them (None: none; False: no plain number)."""

    __slots__ = ()
    cond = property(lambda self: self[0])
    kind = property(lambda self: self[1])
    digits = property(lambda self: self[2])
    commas = property(lambda self: self[3])
    percents = property(lambda self: self[4])
    literal = property(lambda self: self[5])
    texts = property(lambda self: self[6])

    def money(self):
        """The MoneyScale this section shows an amount with (a unit, scaling commas); None: the amount read."""
        if self.kind != "number" or not self.digits:
            return None
        return _money_in(self.literal, Decimal(1000) ** min(self.commas, 10))

    @property
    def no_number(self) -> bool:
        """Whether a number this section shows is not shown at all: no digit placeholder (``"详见附件"``, ``""``)."""
        return self.kind == "number" and not self.digits


class ParsedFormat(tuple):
    """A number format code's sections (Section), as Excel, WPS and LibreOffice split it at ``;`` outside quotes and
    brackets; ``number_sections`` the ones numbers are shown with (up to three, the text section @ passed over)."""

    __slots__ = ()

    @property
    def text_first(self) -> bool:
        return bool(self) and self[0].kind == "text"

    @property
    def number_sections(self) -> tuple:
        return tuple(s for s in self[:4] if s.kind != "text")[:3]

    @property
    def text_section(self):
        """The fourth section (the one a text is shown with), or None."""
        return self[3] if len(self) > 3 else None

    def chosen(self, what) -> "FormatSections":
        """FormatSections of (condition, what(section)) of the number sections: the one a number is shown with is
        chosen as Excel chooses it (FormatSections._section)."""
        return ShownSections((s.cond, what(s)) for s in self.number_sections)


def _tokens_by_section(code: str) -> list[list[str]]:
    sections: list[list[str]] = [[]]
    for m in _FORMAT_TOKEN.finditer(code):
        if m[0] == ";":
            sections.append([])
        else:
            sections[-1].append(m[0])
    return sections


def _parse_section(tokens: list[str], texts) -> Section:
    literal: list[str] = []
    commas = pending = percents = 0
    digits = False
    kind = "number"
    cond = None
    for token in tokens:
        if token[0] in '"\\':
            literal.append(_literal(token))
        elif token[0] in "_*":
            pass
        elif token[0] == "[":
            if token.startswith("[$"):  # a currency: its symbol shown ([$¥-804], [$万元-804])
                literal.append(_literal(token))
            elif cond is None and (m := _CONDITION.fullmatch(token)):
                cond = (m[1], float(m[2]))
        elif token.lower() == "general" or token in ("0", "#", "?"):
            digits = True
            pending = 0  # commas between placeholders: the thousands separator
        elif token == ",":
            if digits:
                pending += 1
        else:
            if token == "@":
                kind = "text"
            elif token in _DATE_LETTERS:
                kind = "other" if kind == "number" else kind
            commas += pending
            pending = 0
            if token == "%":
                percents += 1
            if token != ".":
                literal.append(token)
    commas += pending
    return Section((cond, kind, digits, commas, percents, "".join(literal), texts))


_FORMATS_PARSED: dict = {}
_MAX_FORMATS_KEPT = 4096


def parse_format(code: str) -> ParsedFormat | None:
    """A number format code parsed once (kept for the codes seen: the styles of a batch's returns share theirs):
    its Sections, or None for a code of more than MAX_FORMAT_CODE characters (opaque).  Only the codes cell styles
    use are parsed (_styles_saying, _biff)."""
    if code is None or len(code) > MAX_FORMAT_CODE:
        return None
    found = _FORMATS_PARSED.get(code)
    if found is None:
        split = _split_sections(code)
        texts = [_section_text(code, section) for section in split[:4]]
        found = ParsedFormat(_parse_section(tokens, texts[i] if i < len(texts) else None)
                             for i, tokens in enumerate(_tokens_by_section(code)[:4]))
        if len(_FORMATS_PARSED) >= _MAX_FORMATS_KEPT:
            _FORMATS_PARSED.clear()
        _FORMATS_PARSED[code] = found
    return found


def _money_in(texts: str, divisor):
    """The MoneyScale of a section showing `texts` beside its number and dividing it by `divisor` (1000 ** its
    trailing commas, an .ods's display factor); None where what it shows is the amount read (no unit, no division; or
    千元 with one comma: 62,800.00千元 for 62,800,000)."""
    m = _MONEY_UNIT.search(texts)
    unit = m[0] if m else ""
    factor = Decimal(_UNIT_FACTOR[m[1]] if m else 1) / divisor
    return MoneyScale(unit, factor) if factor != 1 else None


class NoNumber(str):
    """What a format section shows instead of a number it has no digit placeholder for: its own text (``详见附件``)
    or "" (nothing)."""

    __slots__ = ()


class ShownSections(FormatSections):
    """A format's number sections, each (condition, what it shows otherwise than the number read: a MoneyScale, a
    NoNumber, or None); ``at`` gives the one for a number, chosen as Excel chooses the section (FormatSections)."""

    __slots__ = ()

    def at(self, value):
        v = float(value)
        if v != v:
            return None
        i = self._section(v)
        if i is None:
            return None
        what = self[i][1]
        if v == 0 and isinstance(what, NoNumber) and set(what) <= _DASHES and self._zero_alone(i):
            return None  # a zero section showing nothing or a dash for 0 (#,##0;-#,##0;"-"): the 0 it stands for
        return what

    def _zero_alone(self, i: int) -> bool:
        """Whether section `i` shows 0 and no other number: the third of positive;negative;zero; a section whose
        condition is [=0]; or the else of a conditional format whose first two take every other number ([>0];[<0],
        as LibreOffice keeps #,##0;-#,##0;"-" in an .ods: red team 24g 03)."""
        if not self.conditional:
            return i == 2
        if i < 2:
            return self._condition(i, self[i][0]) == ("=", 0.0)
        taken = {self._condition(j, self[j][0]) for j in range(min(i, 2))}
        return {(">", 0.0), ("<", 0.0)} <= taken or ("<>", 0.0) in taken


def _one(sections: ShownSections):
    """The one thing every section of `sections` shows (a MoneyScale, a NoNumber, None), or the sections themselves
    where they differ or a condition chooses."""
    whats = {what for _, what in sections}
    if len(whats) == 1 and not sections.conditional:
        return next(iter(whats))
    return sections


def scaled_money_format(code: str):
    """How a number format (an .xlsx's or an .xls's format code) scales an amount: (shown_unit, factor), a MoneyScale,
    where every section showing a number does so alike; ShownSections (its ``at`` gives a number's MoneyScale, or
    None) where a condition or a sign chooses a section that scales otherwise (``[<1000000]#,##0.00;#,##0.00"万元"``
    shows 62,800,000 as 62,800,000.00万元); None where the cell shows the amount read, in 元 (General, #,##0.00, a
    date, a text format @).

    A unit of money shown beside the number, quoted (``#,##0.00"万元"``), escaped (``0.00\\万``) or as it is
    (``0.00万``, as LibreOffice keeps it), or in a currency bracket (``[$万元-804]0.00``), multiplies: 万 and 万元
    10,000, 亿 100,000,000, 千 1,000 (千万, 百万, 十万 alike).  Each comma after the last digit placeholder (or before
    the decimal point: ``#,##0.00,``, ``0,,``) divides by 1,000, as Excel, WPS and LibreOffice show it; a comma between
    placeholders (``#,##0``) is the thousands separator.  Conditions and colours in brackets ([Red], [>100]) show no
    text."""
    parsed = parse_format(code)
    if not parsed or parsed.text_first:
        return None
    sections = parsed.chosen(Section.money)
    if not any(what for _, what in sections):
        return None
    return _one(sections)


def money_scale_of_texts(texts) -> MoneyScale | None:
    """The MoneyScale of a format that shows (before, after) a number (format_text's one text, an .ods's number style),
    no comma scaling known; None for sections (FormatSections) or none."""
    if not texts or isinstance(texts, FormatSections):
        return None
    return _money_in("".join(texts), Decimal(1))


def _shows_nothing(section: Section) -> bool:
    return section.no_number and not section.literal.strip()


def format_blanks(code: str) -> tuple[bool, bool] | None:
    """(numbers, texts) a number format shows as nothing (``;;;``: both; ``;;``: numbers, a text shown as it is);
    None where it shows what the cell holds.  A section shows nothing when it has no digit placeholder, General,
    ``@`` or text of its own (a colour, a condition, a character's room or a fill show none); a format of one
    section shows a text as it is."""
    parsed = parse_format(code)
    if not parsed or parsed.text_first:
        return None
    numbers = all(_shows_nothing(s) for s in parsed[:3])
    texts = parsed.text_section is not None and _shows_nothing(parsed.text_section)
    return (numbers, texts) if numbers else None


def _otherwise(section: Section):
    """What a number section shows otherwise than the number read: its MoneyScale, a NoNumber, or None."""
    if section.no_number:
        return NoNumber(section.literal.strip()[:MAX_FORMAT_TEXT])
    return section.money()


def format_shows_otherwise(code: str):
    """What a format code shows otherwise than the value (SheetFacts.shown_otherwise's entry, read with otherwise_at):
    ("scaled", a MoneyScale or ShownSections, the code), where a section scales an amount; ("blank", whether a text is shown as
    nothing too, the code, a NoNumber or ShownSections) where a section shows no number (``;;;``, ``"详见附件"``);
    or None."""
    parsed = parse_format(code)
    if not parsed or parsed.text_first:
        return None
    blanks = format_blanks(code)
    return _otherwise_entry(parsed.chosen(_otherwise), code, code[:MAX_FORMAT_TEXT], bool(blanks and blanks[1]))


def _otherwise_entry(sections: ShownSections, code: str | None, blank_code: str, texts_blank: bool):
    """The shown_otherwise entry of a format whose `sections` say what each shows otherwise than the number read
    (_otherwise, _ods_part_otherwise): None where none does; ("scaled", a MoneyScale or the sections, the code cut
    short, the whole `code` shown_number renders with), or ("scaled", …) alone where no code is known, where a section
    scales an amount; else ("blank", `texts_blank`, `blank_code` quoted, a NoNumber or the sections).  The one tail of
    format_shows_otherwise (an .xlsx's, an .xls's code) and _ods_otherwise (an .ods's data style)."""
    whats = [what for _, what in sections]
    if all(what is None for what in whats):
        return None
    one = _one(sections)
    if any(isinstance(what, MoneyScale) for what in whats):
        return ("scaled", one, code[:MAX_FORMAT_TEXT], code) if code else ("scaled", one)
    return ("blank", texts_blank, blank_code, one)


def otherwise_at(entry, value):
    """What a cell's entry of SheetFacts.shown_otherwise shows for the number `value`: ("scaled", MoneyScale),
    ("blank", NoNumber: the text shown instead, "" for nothing), or None where it shows the number read.  A
    MoneyScale of 0 shows 0 (0万元 is 0 元: nothing disagrees, red team 24d F07)."""
    what = entry[1] if entry[0] == "scaled" else (entry[3] if len(entry) > 3 else NoNumber(""))
    if isinstance(what, ShownSections):
        what = what.at(value)
    if isinstance(what, MoneyScale):
        return None if value == 0 else ("scaled", what)
    if isinstance(what, NoNumber):
        return ("blank", what)
    return None


def shown_number(code: str, value) -> str | None:
    """The text a number format code shows for the number `value`, as Excel prints it: the section chosen as Excel
    chooses it (FormatSections), the number scaled by its percent signs and trailing commas, rounded half away from
    zero to the placeholders after its decimal point, grouped by thousands where a comma stands between its digit
    placeholders, with the section's literal text in place (quoted, escaped, as it is, a currency bracket's symbol)
    and a minus where the section shows one (the first section of positive;negative).  ``#,##0.00"万元"`` shows
    146407273 as 146,407,273.00万元, ``#,##0.00,`` 100 as 0.10.  None where it shows no plain number (a date, a
    scientific number, a fraction, a text section, no digit placeholder, a code too long to be read).  A ``?`` is
    rendered as ``#`` (the space it pads with is left out: ``0.0?`` prints 0.5 as "0.5 ", quoted 0.5); the quote is the
    printed text but for those spaces (LibreOffice 7.4, measured, also prints a space for a ? between the point and a
    later 0: 0.?0 shows 5 as "5. 0", where Excel's rule, and this quote, give 5.00)."""
    found = _shown_section(code, value)
    if found is None:
        return None
    sign, tokens, scaled, _ = found
    rendered = _render_section(tokens, scaled)
    return None if rendered is None else sign + rendered  # (a fraction, # ?/8: no plain number, as a date)


def _shown_section(code: str, value, figures: bool = False):
    """(the minus shown, the tokens of the section Excel shows `value` with, the number scaled by its percent signs
    and trailing commas, the exact value) where that section shows a number (a plain one; with `figures` a scientific
    one too); else None."""
    parsed = parse_format(code)
    if not parsed or parsed.text_first or isinstance(value, bool):
        return None
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite():
        return None
    tokens = [t for t, s in zip(_tokens_by_section(code)[:4], parsed) if s.kind != "text"][:3]
    sections = FormatSections((s.cond, ()) for s in parsed.number_sections)
    i = sections._section(float(number))
    if i is None:
        return None
    section = parsed.number_sections[i]
    if not section.digits or section.kind != "number" and not (figures and _scientific_at(tokens[i]) is not None):
        return None
    sign = "-" if number < 0 and not sections._unsigned(i) else ""
    scaled = abs(number) * Decimal(100) ** min(section.percents, 10) / Decimal(1000) ** min(section.commas, 10)
    return sign, tokens[i], scaled, number


def shown_figure(code: str, value) -> str | None:
    """What the number format `code` shows for `value` (shown_number), a fraction (``# ?/8``: 0.3 as 2/8) and a
    scientific number (``0.0E+00``: 12345 as 1.2E+04) too, as Excel renders them; None where it shows no number
    (a date, a text section) or one not rendered here (an engineering exponent, ``##0.0E+0``)."""
    shown = shown_number(code, value)  # (a plain number's: no fraction work for it)
    if shown is not None:
        return shown
    figure = _figure_shown(code, value)
    return None if figure is None else figure[0]


#: The relative difference below which the number a fraction or scientific text stands for is the value (about 15
#: significant digits: a double's, 1/3 typed as 0.333333333333333).
_FLOAT_TAIL = Fraction(5, 10 ** 15)


def _figure_away(code: str, value) -> tuple[str, str] | None:
    """rounded_away of a fraction or scientific format (_figure_shown): (what it shows, the value's plain digits)
    where the number the text stands for is not the value (``# ?/8`` shows 0.3 as 2/8, ``0.0E+00`` 12345 as
    1.2E+04); None where it is (0.25 as 2/8), where the format shows no such number, and where it is but for a
    float's tail: the two equal to about 15 significant digits (0.333333333333333, Excel's 1/3 typed as 0 1/3, under
    ``# ?/3``; under ``# ?/8`` it shows 3/8, which is warned)."""
    figure = _figure_shown(code, value)
    if figure is None:
        return None
    text, stands, scaled = figure
    exact = Fraction(scaled)
    if abs(stands - exact) <= abs(exact) * _FLOAT_TAIL:
        return None  # (equal, or equal but for a float's tail)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return text, ("-" if number < 0 else "") + _plain(abs(number))


def _figure_shown(code: str, value) -> tuple[str, Fraction, Decimal] | None:
    """(what a fraction or scientific format `code` shows for `value`, the number that text stands for, exactly, the
    number it was made from: both signed and scaled by the section's percent signs and commas), or None where `code` shows
    `value` with no such section (shown_figure)."""
    found = _shown_section(code, value, figures=True)
    if found is None:
        return None
    sign, tokens, scaled, number = found
    if "/" in tokens:
        rendered = _render_fraction(tokens, scaled)
    elif (at := _scientific_at(tokens)) is not None:
        rendered = _render_scientific(tokens, scaled, at)
    else:
        return None
    if rendered is None:
        return None
    text, figure = rendered
    return sign + text, -figure if number < 0 else figure, -scaled if number < 0 else scaled


def _render_fraction(tokens: list[str], number: Decimal):
    """(the text, the Fraction it stands for) that a fraction section (``# ?/8``, ``# ??/??``, ``?/?``) shows for
    `number` (not negative, scaled), as Excel does: a denominator written (``/8``, ``/100``) takes the numerator
    nearest (half away from zero), not reduced (0.25 as 2/8); one of N placeholders the nearest fraction whose
    denominator has at most N digits (0.3 under ``# ?/?`` as 2/7); with a whole part (``#`` before the numerator)
    the whole number before it, and a fraction of 0 shown as the whole number alone (3 for 3.01 under # ?/8); a
    fraction rounding to 1 carries into it.  None for a section not so written (a point, an exponent in it)."""
    slash = tokens.index("/")
    if "." in tokens or any(t in ("E", "e") for t in tokens):
        return None
    k = slash
    while k > 0 and tokens[k - 1] in _PLACEHOLDERS:
        k -= 1
    numerator_places = tokens[k:slash]
    whole_places = [t for t in tokens[:k] if t in _PLACEHOLDERS]
    j = slash + 1
    while j < len(tokens) and (tokens[j] in _PLACEHOLDERS or tokens[j].isdigit()):
        j += 1
    below = tokens[slash + 1:j]
    if not numerator_places or not below or len(below) > 5:
        return None
    exact = Fraction(number)
    whole, part = (int(exact), exact - int(exact)) if whole_places else (0, exact)
    placed = below[0] in _PLACEHOLDERS  # (a denominator of placeholders, not one written: /8, /100)
    if placed:
        if not all(t in _PLACEHOLDERS for t in below):
            return None
        near = part.limit_denominator(10 ** len(below) - 1)
        top, bottom = near.numerator, near.denominator
    else:
        if not all(t.isdigit() for t in below):
            return None
        bottom = int("".join(below))
        top = int((part * bottom + Fraction(1, 2)) // 1)  # half away from zero (the number is not negative)
    if whole_places and top >= bottom:  # (0.97 under # ?/8: 8/8, shown as 1)
        whole, top = whole + top // bottom, top % bottom
    figure = whole + Fraction(top, bottom)
    if top == 0 and whole_places:
        fraction_text = ""  # (Excel leaves the fraction's room blank)
    else:
        digits = str(top)
        fraction_text = digits.rjust(sum(t == "0" for t in numerator_places), "0") + "/" + \
            (str(bottom) if placed else "".join(below))
    if whole_places:
        zeros = sum(t == "0" for t in whole_places)
        whole_text = str(whole) if whole or zeros or not top else ""
    else:
        whole_text = ""
    out = []
    first_whole = next((n for n, t in enumerate(tokens[:k]) if t in _PLACEHOLDERS), None)
    for n, t in enumerate(tokens):
        if n == first_whole:
            out.append(whole_text)
        elif n == k:
            out.append(fraction_text)
        elif t in _PLACEHOLDERS and (n < k or k <= n < j) or slash <= n < j or t == ",":
            continue
        else:
            out.append(_literal(t))
    text = "".join(out).strip()
    return (text, figure) if text else None


def _scientific_at(tokens: list[str]) -> int | None:
    """The index of a scientific section's E (``0.00E+00``: E then + or -) in its tokens, where the section is
    otherwise a plain number's (placeholders, a point, texts); None for any other section (a date, General)."""
    at = None
    for n, t in enumerate(tokens):
        if t in ("E", "e"):
            if at is not None or n + 1 >= len(tokens) or tokens[n + 1] not in ("+", "-"):
                return None
            at = n
        elif t.lower() == "general" or t.isalpha() and t not in _PLACEHOLDERS:
            return None  # (a date's letters)
    return at


def _render_scientific(tokens: list[str], number: Decimal, at: int):
    """(the text, the Fraction it stands for) that a scientific section (``0.00E+00``, ``0.0E+0``) shows for `number`
    (not negative, scaled), as Excel does: one digit before the point, the mantissa rounded half away from zero to
    the section's decimals, the exponent's sign (+ shows both, - only a minus) and at least as many digits as its
    0s (`at`: its E's index, _scientific_at).  None for a section of several digits before the point (an engineering
    ``##0.0E+0``, not rendered here)."""
    mantissa, exponent_tokens = tokens[:at], tokens[at + 2:]
    point = mantissa.index(".") if "." in mantissa else len(mantissa)
    before = [t for t in mantissa[:point] if t in _PLACEHOLDERS]
    after = [t for t in mantissa[point + 1:] if t in _PLACEHOLDERS]
    places = [t for t in exponent_tokens if t in _PLACEHOLDERS]
    if len(before) != 1 or not places or "," in tokens:
        return None  # (a comma: Excel's rendering of one in a scientific section, as a scaling or a text, is not known)
    if number == 0:
        exponent, digits = 0, _rounded(Decimal(0), len(after))
    else:
        exponent = number.adjusted()
        digits = _rounded(number.scaleb(-exponent), len(after))
        if digits >= 10:
            exponent += 1
            digits = _rounded(number.scaleb(-exponent), len(after))
    whole, _, fraction = format(digits, "f").partition(".")
    needed = len(after) - next((n for n, t in enumerate(reversed(after)) if t == "0"), len(after))
    while len(fraction) > needed and fraction.endswith("0"):
        fraction = fraction[:-1]
    if whole == "0" and before[0] == "#" and number != 0:
        whole = ""
    sign = "-" if exponent < 0 else ("+" if tokens[at + 1] == "+" else "")
    out = []
    first = next(m for m, u in enumerate(mantissa) if u in _PLACEHOLDERS)
    for n, t in enumerate(mantissa):
        if n == first:
            out.append(whole)
        elif t == ".":
            out.append("." + fraction if after else "")
        elif t not in _PLACEHOLDERS:
            out.append(_literal(t))
    out.append(tokens[at] + sign + str(abs(exponent)).rjust(sum(t == "0" for t in places), "0"))
    out.extend(_literal(t) for t in exponent_tokens if t not in _PLACEHOLDERS)
    return "".join(out).strip(), Fraction(digits.scaleb(exponent))


def _rounded(number: Decimal, places: int) -> Decimal:
    """`number` rounded half away from zero to `places` decimals, every digit kept: the default context's 28 digits
    made quantize raise for a number of more (1e300 under 0.00, a hostile file's; red team 28z F1's fuzz)."""
    context = Context(prec=max(28, number.adjusted() + places + 3), rounding=ROUND_HALF_UP)
    return number.quantize(Decimal(1).scaleb(-places), context=context)


def _render_section(tokens: list[str], number: Decimal) -> str | None:
    """The text one number section (its tokens) shows for `number` (not negative, already scaled)."""
    if any(t.lower() == "general" for t in tokens):
        return "".join(_plain(number) if t.lower() == "general" else _literal(t) for t in tokens)
    point = tokens.index(".") if "." in tokens else len(tokens)
    before = [t for t in tokens[:point] if t in ("0", "#", "?")]
    after = [t for t in tokens[point + 1:] if t in ("0", "#", "?")]
    if any(t in ("/", "E", "e") for t in tokens):
        return None  # a fraction, a scientific number: no plain number
    places = len(after)
    rounded = _rounded(number, places)
    whole, _, fraction = format(rounded, "f").partition(".")
    first = next(j for j, t in enumerate(tokens) if t in ("0", "#", "?"))
    last = max(j for j, t in enumerate(tokens[:point]) if t in ("0", "#", "?")) if before else first
    grouped = any(t == "," for t in tokens[first:last])
    zeros = sum(t == "0" for t in before)
    whole = whole.lstrip("0").rjust(zeros, "0") if whole != "0" or zeros else ""
    if grouped and whole:
        whole = f"{int(whole):,}"
    needed = len(after) - next((k for k, t in enumerate(reversed(after)) if t == "0"), len(after))
    while len(fraction) > needed and fraction.endswith("0"):  # a # after the point shows no trailing zero
        fraction = fraction[:-1]
    if _literal_between(tokens, point):  # (0"/"0, 000-00-0000: the digits fill the placeholders, the text between)
        return None if grouped else _render_spread(tokens, point, whole, fraction)
    at = first if before else point  # (.00 has no placeholder before its point: the whole part is shown there)
    out = []
    for j, t in enumerate(tokens):
        if j == at:
            out.append(whole)
        if j == point:
            out.append("." + fraction)
        elif t not in ("0", "#", "?", ","):  # (a comma groups or scales: it shows nothing of its own)
            out.append(_literal(t))
    return "".join(out)


def _literal_between(tokens: list[str], point: int) -> bool:
    """Whether a number section shows a text of its own between two digit placeholders of its whole part or two of
    its decimals (``0"/"0``, ``0"E+"0``, ``000-00-0000``, ``0.0" "0``)."""
    for part in (tokens[:point], tokens[point + 1:]):
        at = [j for j, t in enumerate(part) if t in _PLACEHOLDERS]
        if at and any(t not in ("0", "#", "?", ",") for t in part[at[0]:at[-1]]):
            return True
    return False


def _render_spread(tokens: list[str], point: int, whole: str, fraction: str) -> str:
    """The text of a number section with texts between its digit placeholders, as Excel shows it: the whole part's
    digits fill its placeholders from the right, the first one taking those left over (``0"/"0`` shows 4.44 as
    0/4, 444 as 44/4), a 0 with no digit left shows 0, a # or ? nothing; the decimals (`fraction`, the trailing
    zeros a # drops already dropped) fill theirs from the left; every other token shows its text."""
    whole_at = [j for j, t in enumerate(tokens[:point]) if t in _PLACEHOLDERS]
    after_at = [j for j, t in enumerate(tokens) if j > point and t in _PLACEHOLDERS]
    shown = {}
    digits = whole.lstrip("0")
    for n, j in enumerate(reversed(whole_at)):
        if n == len(whole_at) - 1:
            shown[j] = digits
        else:
            shown[j], digits = digits[-1:], digits[:-1]
        if not shown[j] and tokens[j] == "0":
            shown[j] = "0"
    for n, j in enumerate(after_at):
        shown[j] = fraction[n] if n < len(fraction) else ""
    out = []
    for j, t in enumerate(tokens):
        if j in shown:
            out.append(shown[j])
        elif j == point:
            out.append(".")
        elif t != ",":
            out.append(_literal(t))
    return "".join(out)


def _literal(token: str) -> str:
    """What a token of a number section shows of its own: a quoted or escaped text, a currency's symbol, a
    character's room as a space; nothing for a colour, a condition or a fill."""
    if token[0] == '"':
        return token[1:-1] if token.endswith('"') and len(token) > 1 else token[1:]
    if token[0] == "\\":
        return token[1:]
    if token[0] == "_":
        return " "
    if token[0] == "*":
        return ""
    if token[0] == "[":
        return token[2:].rstrip("]").split("-")[0] if token.startswith("[$") else ""
    return token


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def otherwise_styles(styles_xml: bytes | None) -> tuple:
    """(style index ``s``, format_shows_otherwise's entry) of each cell style of an xlsx styles.xml whose number format (one
    the file defines: no built-in scales or hides) shows a number scaled as money, or nothing."""
    if not styles_xml or b"formatCode" not in styles_xml:
        return ()
    return _styles_saying(styles_xml, format_shows_otherwise)


_NUMFMT_ID = re.compile(rb"""\bnumFmtId\s*=\s*(?:"\s*([^"]*?)\s*"|'\s*([^']*?)\s*')""")
_NUMFMT_AT = re.compile(rb"<(?:[\w.-]+:)?numFmt\b")
_MAX_USED_PATTERN = 256  # used format ids sought by one pattern (at C speed); more: each tag looked at
_USED_LAST: list = [None, ()]  # the last styles.xml too large to be cached (kept until the next), and its formats


def _used_formats(styles_xml: bytes) -> tuple:
    """The attributes of each <numFmt> of a styles.xml whose numFmtId a cell style (cellXfs) uses: only those are
    decoded and parsed (a hostile file may define 60,000 formats no cell uses, or codes of 12,000 characters: red
    team 24d F03).  One walk for the percent, date, text and otherwise judges of a part."""
    if _USED_LAST[0] is styles_xml:
        return _USED_LAST[1]
    found = _used_formats_cached(styles_xml)
    _USED_LAST[:] = [styles_xml, found]
    return found


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def _used_formats_cached(styles_xml: bytes) -> tuple:
    used = {xf.get("numFmtId", "").strip() for xf in _cell_styles(styles_xml)} - {""}
    if not used:
        return ()
    if len(used) <= _MAX_USED_PATTERN:
        # the used ids' numFmtId attributes found by the regex engine (a literal it skips to), each one's tag
        # looked at: the formats no cell style uses are never decoded nor parsed
        ids = b"|".join(re.escape(i.encode("utf-8")) for i in sorted(used))
        tags = []
        for m in re.finditer(rb"numFmtId\s*=\s*[\"']\s*(?:" + ids + rb")\s*[\"']", styles_xml):
            start = styles_xml.rfind(b"<", 0, m.start())
            tag = _NUMFMT.match(styles_xml, start) if start >= 0 and _NUMFMT_AT.match(styles_xml, start) else None
            if tag is not None and tag.end() > m.end():
                tags.append(tag)
    else:
        tags = _NUMFMT.finditer(styles_xml)
    out = []
    for m in tags:
        at = _NUMFMT_ID.search(m[1])
        if at is None or (at[1] if at[1] is not None else at[2]).decode("utf-8", "replace") not in used:
            continue  # (an id written with a character reference is no id Excel writes: passed over too)
        attrs = tag_attributes(m[1])
        if "numFmtId" in attrs:
            out.append(attrs)
    return tuple(out)


def _cell_styles(styles_xml: bytes) -> list[dict[str, str]]:
    """The attributes of each cell style (the ``<xf>`` of ``<cellXfs>``), by style index (``s``)."""
    m = _CELL_XFS.search(styles_xml)
    return [tag_attributes(xf.group(1)) for xf in _XF.finditer(m.group(1))] if m else []


_FONTS = re.compile(rb"<(?:[\w.-]+:)?fonts\b[^>]*>(.*?)</(?:[\w.-]+:)?fonts\s*>", re.DOTALL)
_FONT = re.compile(rb"<(?:[\w.-]+:)?font\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?font\s*>)", re.DOTALL)
_SZ = re.compile(rb"<(?:[\w.-]+:)?sz\b([^>]*)>")


def _size(text: str | None) -> float | None:
    try:
        size = float(text or "")
    except ValueError:
        return None
    return size if 1 <= size <= 409 else None  # a font size Excel takes (1-409 pt); another is no size


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def font_sizes(styles_xml: bytes | None) -> tuple:
    """The font size (points, None where the file gives none) of each cell style index (``s``), from styles.xml."""
    if not styles_xml:
        return ()
    fonts = _FONTS.search(styles_xml)
    sizes = []
    for font in _FONT.finditer(fonts.group(1) if fonts else b""):
        sz = _SZ.search(font.group(1) or b"")
        sizes.append(_size(tag_attributes(sz[1]).get("val")) if sz else None)
    out = []
    for xf in _cell_styles(styles_xml):
        font_id = xf.get("fontId", "0").strip()
        out.append(sizes[int(font_id)] if font_id.isdigit() and int(font_id) < len(sizes) else None)
    return tuple(out)


#: Cells an .ods file may have the screen note (percent and formula cells, hidden rows with content), all its
#: tables together: repeated cells multiply from a few bytes (a form has a few dozen; beyond, a hostile file).
MAX_NOTED_CELLS = 100_000
#: Tables in an .ods file (an .xlsx can have no more sheets than zip entries).
MAX_ODS_TABLES = MAX_ENTRIES
#: Cells of all an .ods file's tables together, each table's as calamine lays it out (its extent).
MAX_ODS_CELLS = MAX_SHEET_ROWS * MAX_SHEET_COLS
# What makes calamine read a cell as holding something (a value, a text, a formula): the screen counts each
_ODS_CONTENT = ("office:value-type", "table:formula", "office:value", "office:string-value", "office:date-value",
                "office:time-value", "office:boolean-value")
_ODS_CELLS = ("table:table-cell", "table:covered-table-cell")
_REPEAT = re.compile(r"[0-9]{1,9}")  # a repeat count as calamine parses it, within reason


def _ods_corrupt(zh: str, en: str) -> FileProblem:
    return FileProblem("file.corrupt", detail=(f"content.xml 中{zh}", f"{en} in content.xml"))


def _repeat(attrs: dict, name: str, what: tuple[str, str]) -> int:
    """A row or column repeat count: a whole number from 1 (calamine reads 0 as no row or cell at all, and places
    the cells after it elsewhere than the count says; a sign or a space it refuses)."""
    text = attrs.get(name)
    if text is None:
        return 1
    if not _REPEAT.fullmatch(text) or int(text) == 0:
        raise _ods_corrupt(f"的{what[0]} {text[:20]!r} 无效", f"invalid {what[1]} {text[:20]!r}")
    return int(text)


#: the condition of a part of an .ods number style (value()>0, value()<0, value()>=100)
_ODS_CONDITION = re.compile(r"value\(\)\s*(<=|>=|!=|<>|=|<|>)\s*([-+]?[0-9]+(?:[.,][0-9]*)?)\s*$")
_ODS_NUMBER_STYLES = ("number:number-style", "number:percentage-style", "number:currency-style")
_ODS_DATE_STYLES = ("number:date-style", "number:time-style")
_ODS_NUMBERS = ("number:number", "number:fraction", "number:scientific-number")
#: the value types of a cell holding a number a number style shows (¥1,234,567.0千元: LibreOffice's "currency")
_ODS_NUMBER_TYPES = ("float", "percentage", "currency")


def _ods_styles(xml: bytes, part: str, final: bool = True) -> tuple[dict, dict]:
    """The table-cell styles of an OpenDocument part (cell style name -> (its data style, its parent style)) and the
    texts its number and percentage styles show with a number (data style name -> (before, after) or None; a
    style whose numbers other styles show by a condition, its style:map elements, as ("->", style) -> ((condition,
    that style), ...), in order; a number style whose number:number divides the number shown by a display factor,
    LibreOffice's trailing comma of #,##0.00, (1000), as ("factor", style) -> that factor; a number style that shows
    nothing, no number and no text, as ("empty", style) -> True; a text style, as ("text", style) -> (whether it shows
    the text, (the styles its style:map elements give numbers, ...)): LibreOffice keeps ;;; so, a text style of no
    text whose maps give every number an empty number style).  Parsed (expat, no DTD); `final` False for the
    beginning of a part (content.xml up to its body)."""
    cells: dict = {}
    numbers: dict = {}
    state: dict = {"style": None, "texts": None, "seen": False, "in_text": False, "factor": None,
                   "text_style": None, "number": None}

    def start(name, attrs):
        if name == "style:style" and attrs.get("style:family") == "table-cell" and attrs.get("style:name"):
            cells[attrs["style:name"]] = (attrs.get("style:data-style-name"), attrs.get("style:parent-style-name"))
        elif name in _ODS_DATE_STYLES and attrs.get("style:name"):
            numbers[("date", attrs["style:name"])] = True  # a date or time style: a number shown as a date
        elif name == "number:text-style" and attrs.get("style:name"):
            state["text_style"] = (attrs["style:name"], [False, []])
        elif state["text_style"] is not None:
            found = state["text_style"][1]
            if name == "number:text-content":
                found[0] = True
            elif name == "number:text":
                state["in_text"] = True
            elif name == "style:map" and attrs.get("style:apply-style-name") and len(found[1]) < 3:
                found[1].append(attrs["style:apply-style-name"])
        elif name in _ODS_NUMBER_STYLES and attrs.get("style:name"):
            state.update(style=(attrs["style:name"], name), texts=([], []), seen=False, in_text=False, factor=None,
                         number=None)
        elif state["style"] is None:
            return
        elif name in _ODS_NUMBERS:
            state["number"] = dict(attrs) if name == "number:number" and not state["seen"] else False
            state["seen"] = True
            if name == "number:number" and attrs.get("number:display-factor"):
                state["factor"] = attrs["number:display-factor"][:40]
        elif name == "number:embedded-text":  # a text inside the number's digits: no code of ours prints it
            state["number"] = False
        elif name == "number:text":
            state["in_text"] = True
        elif name == "number:currency-symbol":  # its symbol (¥, [$万元-804]'s 万元) is a text shown with the number
            state["in_text"], state["symbol"] = True, ""
        elif name == "style:map" and attrs.get("style:apply-style-name"):
            m = _ODS_CONDITION.match(attrs.get("style:condition", ""))
            if m:  # value()>0, value()<0 …: taken in order, the style's own part where none holds
                maps = numbers.setdefault(("->", state["style"][0]), [])
                if len(maps) < 3:
                    op = {"!=": "<>"}.get(m[1], m[1])
                    maps.append(((op, float(m[2].replace(",", "."))), attrs["style:apply-style-name"]))

    def end(name):
        if name == "number:text":
            state["in_text"] = False
        elif name == "number:currency-symbol" and state["style"] is not None:
            state["in_text"] = False
            if not state.pop("symbol", "").strip():  # the locale's symbol, written by none: no code prints it
                state["number"] = False
        elif name == "number:text-style" and state["text_style"] is not None:
            style, (shows, maps) = state["text_style"]
            numbers[("text", style)] = (shows, tuple(maps))
            state["text_style"] = None
        elif name in _ODS_NUMBER_STYLES and state["style"] is not None:
            (style, kind), (before, after) = state["style"], state["texts"]
            if state["number"]:
                code = _ods_part_code(kind == "number:percentage-style", "".join(before), state["number"],
                                      "".join(after))
                if code is not None:
                    numbers[("code", style)] = code
            b, a = "".join(before).strip(), "".join(after).strip()
            if kind == "number:percentage-style":  # its % is the percent the number is shown as
                b, a = b.replace("%", "").strip(), a.replace("%", "").strip()
            numbers[style] = (b[:MAX_FORMAT_TEXT], a[:MAX_FORMAT_TEXT]) if state["seen"] and (b or a) else None
            if state["factor"] is not None and kind != "number:percentage-style":
                numbers[("factor", style)] = state["factor"]
            if not state["seen"] and not (b or a):
                numbers[("empty", style)] = True
            elif not state["seen"]:  # a text in place of the number ("详见附件"): no number shown
                numbers[("no-number", style)] = (b + a)[:MAX_FORMAT_TEXT]
            state["style"] = None

    def text(data):
        if state["in_text"] and state["text_style"] is not None:
            if data.strip():  # a text of its own shown with the cell's
                state["text_style"][1][0] = True
        elif state["in_text"] and state["style"] is not None:
            if "symbol" in state:
                state["symbol"] += data
            shown = state["texts"][1 if state["seen"] else 0]
            if sum(map(len, shown)) < MAX_FORMAT_TEXT:
                shown.append(data)

    _parse_refusing_dtd(xml, start, part=part, end=end, what=(f"{part} ", part), text=text, final=final)
    return cells, {key: tuple(v) if isinstance(key, tuple) and key[0] == "->" else v for key, v in numbers.items()}


def _ods_part_code(percent: bool, before: str, number: dict, after: str) -> str | None:
    """The format code of an .xlsx that shows a number as one number style of an .ods shows it (`before` and `after`
    its texts, `number` its number:number's attributes; `percent` for a percentage style), for the checks and
    quotes an .xlsx's code gets (parse_format, shown_number): ``#,##0.00"万元"`` for LibreOffice's 6,280.00万元 style,
    ``#,##0.00,`` for a display factor of 1000.  A percentage style multiplies by 100 once, whatever % signs its text
    shows (LibreOffice prints 5 under its 0%% as 500%%): the first % of its text is the one that scales, any other
    is quoted.  None where no code says it: a text too long to be kept whole (MAX_FORMAT_TEXT), a quote in it, a
    display factor other than a power of 1,000, a percentage style with no % (then the number is read as before)."""
    if len(before) + len(after) >= MAX_FORMAT_TEXT or '"' in before + after:
        return None
    try:
        places = int(number.get("number:decimal-places", "0"))
        least = int(number.get("number:min-decimal-places", places))
        whole = int(number.get("number:min-integer-digits", "1"))
    except ValueError:
        return None
    if not (0 <= least <= places <= 30 and 0 <= whole <= 30):
        return None
    factor, commas = _display_factor(number.get("number:display-factor")), 0
    while factor > 1 and factor % 1000 == 0 and commas < 10:
        factor, commas = factor / 1000, commas + 1
    if factor != 1:
        return None
    if number.get("number:grouping") == "true":
        digits = "#," + "#" * max(0, 3 - whole) + "0" * whole
    else:
        digits = "0" * whole or "#"
    if places:
        digits += "." + "0" * least + "#" * (places - least)
    digits += "," * commas

    def quoted(text: str) -> str:
        return f'"{text}"' if text else ""

    if not percent:
        return quoted(before) + digits + quoted(after)
    if "%" in before:
        i = before.index("%")
        return quoted(before[:i]) + "%" + quoted(before[i + 1:]) + digits + quoted(after)
    if "%" in after:
        i = after.index("%")
        return quoted(before) + digits + quoted(after[:i]) + "%" + quoted(after[i + 1:])
    return None


def _ods_code(numbers: dict, data) -> str | None:
    """The format code of an .xlsx that shows numbers as an .ods's data style `data` shows them (_ods_part_code): its
    style:map parts as sections of their conditions, in order, its own part last (the else); None where a part has
    no code or more than two maps give numbers to other styles (a code has room for two conditions)."""
    maps = numbers.get(("->", data)) or ()
    if len(maps) > 2:
        return None
    parts = []
    for cond, style in (*maps, (None, data)):
        code = numbers.get(("code", style))
        if code is None or cond and not math.isfinite(cond[1]):  # (a condition past any double: none a code holds)
            return None
        parts.append(f"[{cond[0]}{_plain(Decimal(repr(cond[1])))}]{code}" if cond else code)
    return ";".join(parts)


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def ods_format_texts(styles_xml: bytes | None) -> tuple:
    """The table-cell styles and number styles of an .ods's styles.xml (see _ods_styles), for ods_cell_formats."""
    if not styles_xml:
        return (), ()
    try:
        cells, numbers = _ods_styles(styles_xml, "styles.xml")
    except FileProblem as problem:  # broken XML there (a DTD was refused as the part was inflated): no formats known
        if problem.code != "file.corrupt":
            raise
        return (), ()
    return tuple(cells.items()), tuple(numbers.items())


def _ods_shown(numbers: dict, data):
    """What data style `data` shows with a number: its own texts, or, where its style:map parts show others
    (value()>0 → one style, value()<0 → another, the zero part its own), FormatSections chosen by the number."""
    maps = numbers.get(("->", data))
    if not maps:
        return numbers.get(data)
    sections = FormatSections([*((cond, numbers.get(style)) for cond, style in maps), (None, numbers.get(data))])
    if not any(text for _, text in sections):
        return None
    # kept as sections even where each shows the same text: which one shows a negative number decides whether its
    # minus is shown (LibreOffice's "≥"0"天";"≥"0"天" shows -3 as ≥3天, its second section's)
    return sections


def ods_cell_formats(content: bytes, styles_xml: bytes | None) -> tuple[dict, dict, frozenset]:
    """(cell style name -> (text before, text after) a number, of the cell styles (content.xml's automatic ones,
    styles.xml's named ones) whose number format shows text with a number; cell style name -> ("scaled",
    MoneyScale or ShownSections) of the cell styles whose number style (or a style its style:map gives numbers to)
    shows an amount scaled: a unit of money in its text (6280 shown as 6,280.00万元), a display factor (62,800,000
    shown as 62,800.00), or both; ("blank", whether texts too, the code, …) of those that show nothing or a text with
    no number (LibreOffice's ;;;, "详见附件"): as SheetFacts.shown_otherwise has them (_ods_otherwise)); the
    names of the cell styles whose data style shows a date or a time; and cell style name -> the % signs each
    section shows (percent_sections, None for one % in every section) of the cell styles whose data style shows a
    percent in some section (a percentage style, or a style:map giving some numbers one: [<1]0%;0), read from the
    code that shows numbers as the data style does (_ods_code), which the texts and scaled entries keep as an
    .xlsx's keep theirs (the number quoted as printed: shown_number)."""
    named_cells, named_numbers = ods_format_texts(styles_xml)
    body = content.find(b"<office:body")
    cells, numbers = dict(named_cells), dict(named_numbers)
    if body > 0:  # the automatic styles, before the body
        own_cells, own_numbers = _ods_styles(content[:body], "content.xml", final=False)
        cells.update(own_cells)
        numbers.update(own_numbers)
    out, scaled, dates, percent = {}, {}, set(), {}
    for name, (data, parent) in cells.items():
        if data is None and parent in cells:  # an automatic style takes its named parent's number format
            data = cells[parent][0]
        if numbers.get(("date", data)):
            dates.add(name)
        code = _ods_code(numbers, data) if data is not None else None
        shown = _ods_shown(numbers, data)
        if shown:
            if isinstance(shown, FormatSections):
                shown.code = code
            else:
                shown = ShownText(shown, code)
            out[name] = shown
        entry = _ods_otherwise(numbers, data, code)
        if entry is not None:
            scaled[name] = entry
        if code is not None and shows_percent(code):
            percent[name] = percent_sections(code)
        shows_text, maps = numbers.get(("text", data), (True, ()))
        if maps and all(numbers.get(("empty", style)) for style in maps):  # ;;; (;; where the text is shown)
            scaled[name] = ("blank", not shows_text, ";;" if shows_text else ";;;")
    return out, scaled, frozenset(dates), percent


def _ods_part_otherwise(numbers: dict, style):
    """What one number style (a part of an .ods's data style) shows otherwise than the number read, as parse_format's
    sections say it of a format code's section (_otherwise): a MoneyScale (a unit of money in its text, a display
    factor), a NoNumber (no number:number: its text, or nothing), or None."""
    if numbers.get(("empty", style)):
        return NoNumber("")
    text = numbers.get(("no-number", style))
    if text is not None:
        return NoNumber(text)
    texts, factor = numbers.get(style), numbers.get(("factor", style))
    if texts or factor is not None:
        return _money_in("".join(texts or ()), _display_factor(factor))
    return None


def _ods_otherwise(numbers: dict, data, code: str | None = None):
    """The shown_otherwise entry of an .ods's data style `data` (format_shows_otherwise's, of an .xlsx's code): its
    own part and, where its style:map elements give numbers to other styles (positive;negative as LibreOffice keeps
    it: N144 with value()>=0 → N144P0), each of theirs, the one a number is shown with chosen by its condition; `code`
    the one that shows numbers as the style does (_ods_code), where one does."""
    if data is None:
        return None
    maps = numbers.get(("->", data)) or ()
    sections = ShownSections([*((cond, _ods_part_otherwise(numbers, style)) for cond, style in maps),
                              (None, _ods_part_otherwise(numbers, data))])  # (no map: its one section's)
    blank_code = next((f'"{what}"' for _, what in sections if what), ";;")
    return _otherwise_entry(sections, code, blank_code, False)


def _display_factor(text: str | None):
    """An .ods number's display factor (1000: shown a thousandth) as a Decimal; 1 for none or one that is no number
    above 0."""
    try:
        factor = Decimal((text or "1").strip())
    except InvalidOperation:
        return Decimal(1)
    return factor if factor.is_finite() and 0 < factor < Decimal(10) ** 30 else Decimal(1)


_LENGTH = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(in|cm|mm|pt|pc)\s*")
_POINTS = {"in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "pt": 1.0, "pc": 12.0}
_MAX_ROW_REPEAT_HEIGHTS = 1000  # rows of one repeated row whose height is noted (more: empty rows below the form)


def _ods_length(text: str) -> float | None:
    """An OpenDocument length (0.4165in, 1.058cm, 30pt) in points, to the twip (1/20 pt: LibreOffice keeps 30 pt
    as 0.4165in); None for none."""
    m = _LENGTH.fullmatch(text)
    return round(float(m[1]) * _POINTS[m[2]] * 20) / 20 if m else None


def screen_ods(content: bytes, styles_xml: bytes | None = None) -> dict[str, SheetFacts]:
    """Parse an OpenDocument spreadsheet's content.xml before calamine sees it: each table's extent
    (repeated rows and cells with content count in full), protection, hidden rows, merged ranges, formula cells, error
    values (LibreOffice's calcext:value-type="error") and
    cells shown as a percent (``office:value-type="percentage"``).

    Cells are placed as calamine places them: a cell holds something when calamine reads a value or a formula
    from it (``office:value`` without a value type too), a cell inside a cell or outside a row is no cell of the
    table, and a table inside a table, two tables of one name or a repeat count calamine does not read as this
    screen does make the file corrupt.  What repeated cells multiply is bounded for the whole file: its tables,
    their cells and the cells noted."""
    tables: dict[str, SheetFacts] = {}
    row_styles: dict[str, tuple[float, bool]] = {}  # automatic row style -> (height in points, fixed)
    cell_fonts: dict[str, float] = {}  # automatic cell style -> its font size (points)
    narrow_styles: set[str] = set()  # automatic column styles too narrow to print a character (LEGIBLE_WIDTH)
    text_styles, scaled_styles, date_styles, percent_styles = ods_cell_formats(content, styles_xml)
    state = {"facts": None, "name": "", "tables": 0, "row": 0, "start": 0, "rep": 1, "col": 0, "in_row": False,
             "cell_depth": 0, "row_content": False, "hidden": False, "cells": 0, "noted": 0}
    error_value: list = []  # an error cell's place and the text read in it (#N/A), while it is read

    def note(n: int) -> None:
        state["noted"] += n
        if state["noted"] > MAX_NOTED_CELLS:
            raise FileProblem("file.too_large", found=(f"content.xml 中百分比、公式单元格和隐藏行超过 {MAX_NOTED_CELLS} 个",
                                                       f"more than {MAX_NOTED_CELLS} percent cells, formula cells and "
                                                       "hidden rows in content.xml"),
                              expected=f"{MAX_NOTED_CELLS}")

    def start(name, attrs):
        if state["cell_depth"]:  # inside a cell: calamine reads none of it as cells (a cell's text, a nested cell)
            if error_value and name == "office:annotation":  # a comment's text is not the cell's (until it ends)
                error_value.append(None)
            if name in _ODS_CELLS:
                state["cell_depth"] += 1
            elif name == "table:table":
                raise _ods_corrupt("有嵌套在单元格中的表格", "a table inside a cell")
            return
        if name == "table:table":
            if state["tables"]:
                raise _ods_corrupt("有嵌套在表格中的表格", "a table inside a table")
            state["tables"] = 1
            table_name = attrs.get("table:name")
            if table_name is None:  # calamine reads no table without a name
                state["facts"] = None
                return
            if table_name in tables:  # calamine would read the last, and list the sheet twice
                raise _ods_corrupt(f"工作表名“{table_name[:40]}”重复", f"sheet name '{table_name[:40]}' repeated")
            if len(tables) >= MAX_ODS_TABLES:
                raise FileProblem("file.too_large", found=(f"逾 {MAX_ODS_TABLES} 个工作表", f"over {MAX_ODS_TABLES} sheets"),
                                  expected=f"{MAX_ODS_TABLES}")
            state["name"] = table_name
            state["facts"] = tables[table_name] = SheetFacts()
            state["facts"].protected = attrs.get("table:protected") == "true"
            state["facts"].print_ranges = (attrs.get("table:print-ranges") or "")[:1000] or None
            state["row"], state["in_row"], state["columns"], state["column_texts"] = 0, False, 0, []
            state["column_dates"] = []
        elif name == "style:style":  # an automatic row style (before the tables): its height, fixed or not
            state["row_style"] = attrs.get("style:name") if attrs.get("style:family") == "table-row" else None
            state["cell_style"] = attrs.get("style:name") if attrs.get("style:family") == "table-cell" else None
            state["column_style"] = attrs.get("style:name") if attrs.get("style:family") == "table-column" else None
        elif name == "style:text-properties" and state.get("cell_style") and len(cell_fonts) < MAX_MERGED:
            size = _ods_length(attrs.get("fo:font-size", ""))
            if size is not None:  # a cell style's font size (a long text the writer made smaller)
                cell_fonts[state["cell_style"]] = size
        elif name == "style:table-row-properties" and state.get("row_style") and len(row_styles) < MAX_MERGED:
            height = _ods_length(attrs.get("style:row-height", ""))
            if height is not None:
                row_styles[state["row_style"]] = (height, attrs.get("style:use-optimal-row-height") == "false")
        elif name == "style:table-column-properties" and state.get("column_style") and \
                len(narrow_styles) < MAX_MERGED:
            width = _ods_length(attrs.get("style:column-width", ""))  # (points; in characters as in an .xlsx)
            if width is not None and width < LEGIBLE_WIDTH * CHARACTER_POINTS:
                narrow_styles.add(state["column_style"])
        elif state["facts"] is None:
            return
        elif name == "table:table-column":  # the columns' declarations, in order: a collapsed one is hidden
            first = state.get("columns", 0)
            if first < MAX_SHEET_COLS:  # beyond, nothing the form reads; a huge repeat is counted, not walked
                rep = _repeat(attrs, "table:number-columns-repeated", ("列重复数", "column repeat count"))
                state["columns"] = first + rep
                shown = text_styles.get(attrs.get("table:default-cell-style-name"))
                if shown:  # the cells of these columns that name no style of their own are shown so, and
                    # scaled so (the texts alone: 万元), worked out once for the columns, not for each such cell
                    scale = money_scale_of_texts(shown)
                    state.setdefault("column_texts", []).append(
                        (first, first + rep, shown, ("scaled", scale) if scale is not None else None))
                if attrs.get("table:default-cell-style-name") in date_styles:  # (and as dates: a date style's)
                    state.setdefault("column_dates", []).append((first, first + rep))
                if attrs.get("table:visibility") in ("collapse", "filter") or \
                        attrs.get("table:style-name") in narrow_styles:  # (too narrow: hidden as in an .xlsx)
                    state["facts"].hidden_cols.update(range(first, min(first + rep, MAX_SHEET_COLS)))
        elif name == "table:table-row":
            if state["in_row"]:
                raise _ods_corrupt("有嵌套在行中的行", "a row inside a row")
            rep = _repeat(attrs, "table:number-rows-repeated", ("行重复数", "row repeat count"))
            state["start"], state["rep"], state["col"], state["in_row"] = state["row"], rep, 0, True
            state["row"] += rep
            state["row_content"] = False
            height = row_styles.get(attrs.get("table:style-name"))
            # (a row too low to print any text legibly: hidden as well, as in an .xlsx)
            state["hidden"] = attrs.get("table:visibility") in ("collapse", "filter") or \
                (height is not None and height[0] < LEGIBLE_HEIGHT)
            if height is not None and rep <= _MAX_ROW_REPEAT_HEIGHTS:  # (a long repeat: empty rows below the form)
                note(rep)
                state["facts"].heights.update(dict.fromkeys(range(state["start"], state["row"]), height))
        elif name in _ODS_CELLS:
            state["cell_depth"] = 1
            if not state["in_row"]:
                return  # a cell outside a row: calamine does not read it
            rep = _repeat(attrs, "table:number-columns-repeated", ("列重复数", "column repeat count"))
            col = state["col"]
            state["col"] += rep
            facts = state["facts"]
            down, across = attrs.get("table:number-rows-spanned", "1"), attrs.get("table:number-columns-spanned", "1")
            if (down != "1" or across != "1") and len(facts.merged) < MAX_MERGED:
                try:
                    box = _box(state["start"], col, state["start"] + int(down) - 1, col + int(across) - 1)
                except ValueError:
                    box = None
                if box:
                    facts.merged.append(box)  # a merged range, as an .xlsx gives it
            if any(a in attrs for a in _ODS_CONTENT):
                rows, cols = state["start"] + state["rep"], col + rep
                if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLS:
                    raise _too_large(rows, cols, state["name"])
                facts.max_row, facts.max_col = max(facts.max_row, rows), max(facts.max_col, cols)
                state["row_content"] = True
                kind = attrs.get("office:value-type")
                style = attrs.get("table:style-name")
                # a number of a style showing a percent in some section (a float under [<1]0%;0 too: 0.5 shows 50%)
                by_style = style is not None and kind in ("float", "percentage") and style in percent_styles
                # a formula's error value (#DIV/0!): LibreOffice's calcext:value-type, its value an empty string
                marks = [s for s, on in ((facts.formulas, "table:formula" in attrs),
                                         (facts.percent, kind == "percentage" or by_style),
                                         (facts.errors, attrs.get("calcext:value-type") == "error")) if on]
                if by_style and percent_styles[style] is not None:  # the % signs of the section showing it
                    note(state["rep"] * rep)
                    facts.percent_sections.update(dict.fromkeys(
                        ((r, c) for r in range(state["start"], rows) for c in range(col, cols)), percent_styles[style]))
                if style in cell_fonts and kind == "string" and state["rep"] * rep == 1:
                    note(1)
                    facts.font_sizes[(state["start"], col)] = cell_fonts[style]
                if style is not None:
                    shown, column_scaled = text_styles.get(style), None
                else:
                    shown, column_scaled = next(((t, k) for a, b, t, k in state["column_texts"] if a <= col < b),
                                                (None, None))
                if shown and kind in _ODS_NUMBER_TYPES:
                    note(state["rep"] * rep)
                    for r in range(state["start"], rows):
                        for c in range(col, cols):
                            facts.format_text[(r, c)] = shown
                # an amount shown scaled (its style's, or, of a cell of no style, its column's: the texts alone)
                scaled = scaled_styles.get(style) if style is not None else column_scaled
                if scaled and (kind in ("float", "currency") or scaled[0] == "blank" and scaled[1]
                               and kind == "string"):
                    note(state["rep"] * rep)
                    for r in range(state["start"], rows):
                        for c in range(col, cols):
                            facts.shown_otherwise[(r, c)] = scaled
                # a cell showing a date: a date or a time (its value type), or a number of a date style (few cells)
                if kind in ("date", "time") or kind == "float" and (
                        style in date_styles if style is not None
                        else any(a <= col < b for a, b in state.get("column_dates", ()))):
                    note(state["rep"] * rep)
                    facts.dates.update((r, c) for r in range(state["start"], rows) for c in range(col, cols))
                if attrs.get("calcext:value-type") == "error" and state["rep"] * rep == 1:  # the error value's text
                    error_value[:] = [(state["start"], col)]
                if marks:  # every repeated place: calamine gives each the value (a formula's too)
                    note(state["rep"] * rep * len(marks))
                    cells = [(r, c) for r in range(state["start"], rows) for c in range(col, cols)]
                    for s in marks:
                        s.update(cells)

    def text(data):
        if error_value and None not in error_value and len(error_value) < 20:
            error_value.append(data)

    def end(name):
        if state["cell_depth"]:
            if name == "office:annotation" and None in error_value:  # the comment ended: the cell's text again
                error_value.remove(None)
            if name in _ODS_CELLS:
                state["cell_depth"] -= 1
                if not state["cell_depth"] and error_value:
                    shown = "".join(t for t in error_value[1:] if t is not None).strip()
                    if ERROR_TEXT.fullmatch(shown) and state["facts"] is not None:
                        state["facts"].error_texts[error_value[0]] = shown
                    error_value.clear()
            return
        if name == "table:table":
            facts = state["facts"]
            if facts is not None:
                state["cells"] += facts.max_row * facts.max_col  # calamine lays out each table's extent whole
                if state["cells"] > MAX_ODS_CELLS:
                    raise FileProblem("file.too_large", found=(f"各工作表合计逾 {MAX_ODS_CELLS} 个单元格",
                                                               f"over {MAX_ODS_CELLS} cells in all sheets"),
                                      expected=f"{MAX_ODS_CELLS}")
            state["facts"], state["tables"], state["in_row"] = None, 0, False
        elif name == "table:table-row" and state["facts"] is not None and state["in_row"]:
            state["in_row"] = False
            if state["hidden"] and state["row_content"]:  # a hidden row that is read (one without content is not)
                rows = range(state["start"], min(state["row"], MAX_SHEET_ROWS))
                note(len(rows))
                state["facts"].hidden_rows.update(rows)

    # a Python call for every text node only where an error value may be (calcext:value-type="error", however quoted)
    maybe_errors = b'"error"' in content or b"'error'" in content
    _parse_refusing_dtd(content, start, part="content.xml", end=end, text=text if maybe_errors else None,
                        what=("content.xml ", "content.xml"))
    return tables



# --- how a cell's style prints what it holds (red team 25j): wrap, a rounding format, a font the colour of its fill ---

#: The built-in number formats (numFmtId) that show a number with a fixed count of decimals, as Excel and WPS show
#: them (LibreOffice writes its own codes, [$-409]0, as formats the file defines), or as a scientific number or a
#: fraction (设置单元格格式 › 分数 › 分母为一位数 is 12, # ?/?: 0.3 shown 2/7)
FIXED_BUILTIN = {"1": "0", "2": "0.00", "3": "#,##0", "4": "#,##0.00", "9": "0%", "10": "0.00%", "11": "0.00E+00",
                 "12": "# ?/?", "13": "# ??/??"}
#: A font whose colour's contrast with its cell's background is below this (WCAG's ratio: 1 is none, black on white
#: 21) prints nothing one can read: white on white, white on the templates' pale input fill (1.1), grey on grey
HIDDEN_CONTRAST = 1.5
_THEME_RGB = {"0": "FFFFFF", "1": "000000"}  # Background 1 and Text 1 (lt1, dk1: the others' colours are the theme's)
_INDEXED_RGB = {"0": "000000", "1": "FFFFFF", "8": "000000", "9": "FFFFFF"}
_XF_WHOLE = re.compile(rb"<(?:[\w.-]+:)?xf\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?xf\s*>)", re.DOTALL)
_ALIGNMENT = re.compile(rb"<(?:[\w.-]+:)?alignment\b([^>]*?)/?>")
_COLOR = re.compile(rb"<(?:[\w.-]+:)?color\b([^>]*?)/?>")
_FILLS = re.compile(rb"<(?:[\w.-]+:)?fills\b[^>]*>(.*?)</(?:[\w.-]+:)?fills\s*>", re.DOTALL)
_FILL = re.compile(rb"<(?:[\w.-]+:)?fill\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?fill\s*>)", re.DOTALL)
_PATTERN = re.compile(rb"<(?:[\w.-]+:)?patternFill\b([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?patternFill\s*>)", re.DOTALL)
_FG_COLOR = re.compile(rb"<(?:[\w.-]+:)?fgColor\b([^>]*?)/?>")


class CellLook(tuple):
    """How a cell style prints a value: (code, wrap, shrink, hidden).  `code`: the number format that shows a number
    with a fixed count of decimals (``0``, ``#,##0.00``, ``0%``; None for General, text, a date, or a format that
    scales or hides a number: cell.amount_scaled and cell.format_blank say those); `wrap`: the text wraps (自动换行);
    `shrink`: it shrinks to fit (缩小字体填充: never cut, never ###); `hidden`: (font colour, background) where the
    font's colour cannot be told from the cell's background (white on white), else None."""

    __slots__ = ()

    code = property(lambda self: self[0])
    wrap = property(lambda self: self[1])
    shrink = property(lambda self: self[2])
    hidden = property(lambda self: self[3])


def _rgb(attrs: dict, theme: tuple = ()) -> str | None:
    """The colour (RRGGBB) a <color>/<fgColor> element's attributes give, where it is told: rgb, a theme's colour
    (`theme`: the file's own, theme_colours; without it the first two, white and black), the legacy palette's black
    and white, each lightened or darkened by its tint; None for automatic or a colour not told."""
    rgb = attrs.get("rgb", "").strip().upper()
    if re.fullmatch(r"[0-9A-F]{6}|[0-9A-F]{8}", rgb):
        rgb = rgb[-6:]
    elif "theme" in attrs:
        index = attrs["theme"].strip()
        rgb = (theme[int(index)] if index.isdigit() and int(index) < len(theme) else None) or _THEME_RGB.get(index)
    else:
        rgb = _INDEXED_RGB.get(attrs.get("indexed", "").strip())
    tint = attrs.get("tint", "").strip()
    return _tinted(rgb, tint) if rgb and tint not in ("", "0") else rgb


def _tinted(rgb: str, tint: str) -> str | None:
    """`rgb` lightened (a tint above 0) or darkened (below) as Excel does (ECMA-376 CT_Color's tint: the colour's
    luminance, in HLS, moved toward white or black by that share); None for a tint that is no number."""
    try:
        t = float(tint)
    except ValueError:
        return None
    if not -1 <= t <= 1:
        return None
    h, lum, sat = colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    lum = lum * (1 + t) if t < 0 else lum * (1 - t) + t
    return "".join(f"{round(v * 255):02X}" for v in colorsys.hls_to_rgb(h, lum, sat))


#: A theme's colours in the order a colour's theme="N" counts them (lt1 first: Excel swaps the scheme's first two
#: pairs), each a <a:srgbClr val> or a <a:sysClr lastClr> (the system colour as the file last saw it)
_THEME_SLOTS = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")
_SYSTEM_RGB = {"window": "FFFFFF", "windowText": "000000"}  # a system colour given without lastClr
_CLR_SCHEME = re.compile(rb"<(?:[\w.-]+:)?clrScheme\b[^>]*>(.*?)</(?:[\w.-]+:)?clrScheme\s*>", re.DOTALL)
_THEME_SLOT = re.compile(rb"<(?:[\w.-]+:)?(lt1|dk1|lt2|dk2|accent[1-6]|hlink|folHlink)\s*>\s*"
                         rb"<(?:[\w.-]+:)?(srgbClr|sysClr)\b([^>]*?)/?>")


def theme_part(parts, styles_xml: bytes | None, name: str = "xl/theme/theme1.xml") -> bytes | None:
    """An xlsx's theme part (xl/theme/theme1.xml) where its styles give a colour of the theme's; None where they give
    none (the part is then never inflated), the file has none, or it cannot be read (a broken theme refuses no
    return: its colours stay untold, white and black taken for the first two)."""
    if not styles_xml or b'theme="' not in styles_xml:
        return None
    try:
        return parts.get(name)  # (`name`: the part the workbook's relationships name, Grid.looks)
    except FileProblem:
        return None


@cached_parts  # (one template's theme part, parsed once in a batch)
def theme_colours(theme_xml: bytes | None) -> tuple:
    """The colours (RRGGBB, None where not told) of an xlsx theme part (xl/theme/theme1.xml), in the order of
    _THEME_SLOTS; () where the file has none, or none of them is told."""
    scheme = _CLR_SCHEME.search(theme_xml) if theme_xml else None
    if scheme is None:
        return ()
    found = {}
    for m in _THEME_SLOT.finditer(scheme[1]):
        attrs = tag_attributes(m[3])
        value = (attrs.get("val", "") if m[2] == b"srgbClr" else
                 attrs.get("lastClr") or _SYSTEM_RGB.get(attrs.get("val", "").strip(), "")).strip().upper()
        if re.fullmatch(r"[0-9A-F]{6}", value):
            found.setdefault(m[1].decode(), value)
    return tuple(found.get(slot) for slot in _THEME_SLOTS) if found else ()


def _luminance(rgb: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(one: str, other: str) -> float:
    """WCAG's contrast ratio of two colours (RRGGBB): 1 (the same) to 21 (black on white)."""
    a, b = sorted((_luminance(one), _luminance(other)))
    return (b + 0.05) / (a + 0.05)


def _fixed_code(code: str) -> str | None:
    """`code` where it shows a number with a fixed count of decimals or as a fraction the reader can render
    (shown_figure), scaling
    nothing and hiding nothing; else None."""
    if not code or "general" in code.lower() or shows_date(code) or format_shows_otherwise(code) is not None:
        return None
    # (a fraction, # ?/8, and a scientific number, 0.00E+00, too: they show another number than some values hold;
    # and a grouped one with texts between its digits, not rendered, whose decimals a value may have beyond its own)
    return code if shown_figure(code, 1.5) is not None or not_rendered(code, 1.5) else None


@cached_parts  # returns from one template share their styles.xml: parsed once in a batch
def cell_looks(styles_xml: bytes | None, theme_xml: bytes | None = None) -> tuple:
    """The CellLook of each cell style index (``s``) of an xlsx styles.xml, its theme colours those of `theme_xml`
    (xl/theme/theme1.xml; white and black for the first two where it is not given)."""
    if not styles_xml:
        return ()
    theme = theme_colours(theme_xml)
    codes = dict(FIXED_BUILTIN)
    for attrs in _used_formats(styles_xml):
        codes[attrs["numFmtId"].strip()] = attrs.get("formatCode", "")
    fonts = _FONTS.search(styles_xml)
    colours = []
    for font in _FONT.finditer(fonts.group(1) if fonts else b""):
        colour = _COLOR.search(font.group(1) or b"")
        colours.append(_rgb(tag_attributes(colour[1]), theme) if colour else None)
    fills = _FILLS.search(styles_xml)
    backgrounds = []
    for fill in _FILL.finditer(fills.group(1) if fills else b""):
        pattern = _PATTERN.search(fill.group(1) or b"")
        solid = pattern is not None and tag_attributes(pattern[1]).get("patternType", "").strip() == "solid"
        fg = _FG_COLOR.search(pattern[2] or b"") if solid else None
        backgrounds.append((_rgb(tag_attributes(fg[1]), theme) if fg else None) if solid else "FFFFFF")
    m = _CELL_XFS.search(styles_xml)
    out = []
    for xf in _XF_WHOLE.finditer(m.group(1) if m else b""):
        attrs = tag_attributes(xf[1])
        align = _ALIGNMENT.search(xf[2] or b"")
        align = tag_attributes(align[1]) if align else {}
        yes = ("1", "true")
        code = _fixed_code(codes.get(attrs.get("numFmtId", "0").strip(), ""))
        font, fill = attrs.get("fontId", "0").strip(), attrs.get("fillId", "0").strip()
        colour = colours[int(font)] if font.isdigit() and int(font) < len(colours) else None
        background = backgrounds[int(fill)] if fill.isdigit() and int(fill) < len(backgrounds) else "FFFFFF"
        hidden = (colour, background) if colour and background and contrast(colour, background) < HIDDEN_CONTRAST \
            else None
        # (justified or distributed text wraps too, in Excel, WPS and LibreOffice)
        wrap = align.get("wrapText", "").strip().lower() in yes or any(
            align.get(k, "").strip() in ("justify", "distributed") for k in ("horizontal", "vertical"))
        out.append(CellLook((code, wrap,
                             align.get("shrinkToFit", "").strip().lower() in yes, hidden)))
    return tuple(out)


@cached_parts  # (parsed once a template, as cell_looks)
def paper_styles(styles_xml: bytes | None, theme_xml: bytes | None = None) -> frozenset:
    """The style indexes (``s``, as a sheet writes them: ``"9"``) of an xlsx styles.xml whose CellLook can make the
    paper show a value otherwise than it is read (_interpret._paper_shows): a font hiding against its fill, a number
    format with fixed decimals (### or rounded), a text that does not wrap; a cell of any other style is not looked
    at.  Empty where the file has no cell styles."""
    return paper_looks(cell_looks(styles_xml, theme_xml))


def paper_looks(looks: tuple) -> frozenset:
    """paper_styles of the CellLooks a file's styles give (Grid.looks, cell_looks)."""
    return frozenset(str(i) for i, look in enumerate(looks)
                     if look.hidden or not look.shrink and (look.code is not None or not look.wrap))


#: a cell tag that _STYLED_CELLS does not read a plain style index from (no s: style 0; ``s='9'``, ``s="09"``,
#: ``s = "9"``, an attribute out of its pattern): its style is known only as Grid.cell_look reads it
_ODD_STYLED = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?!' + _SKIP_ATTRS + rb' s="(?:0|[1-9][0-9]{0,8})")')
# a cell tag whose first attribute is not its place written ` r="…"` (``<c t="s" r="B4" s="9">``, as some writers
# order them; ``xmlns:x`` first; a tab after <c): read whole by _unordered_cell.  None in a part the screen's fast
# path took (_OTHER_C sends any to the parser): looked for in the others only (`<c` is a shorter literal for the
# search to start from than `<c r="`: a third more instructions over a part)
_UNORDERED = rb'|(?! r=")[ \t\n\r])'
#: _ODD_STYLED, or (no group matched) such a tag
_ODD_OR_UNORDERED = re.compile(rb'<c(?: r="([A-Z]{1,3})([0-9]{1,7})"(?!' + _SKIP_ATTRS
                               + rb' s="(?:0|[1-9][0-9]{0,8})")' + _UNORDERED)
#: a cell tag's attributes as the parser reads them, in any order and quoted either way (its names exact: ``x:s``
#: and ``cs`` are no ``s``), up to its end (a quoted value holds no ``<``)
_UNORDERED_TAG = re.compile(rb"""<c((?:[ \t\n\r]+[^ \t\n\r=<>/]+[ \t\n\r]*=[ \t\n\r]*(?:"[^"<]*"|'[^'<]*'))*)[ \t\n\r]*/?>""")
_UNORDERED_ATTR = re.compile(rb"""([^ \t\n\r=<>/]+)[ \t\n\r]*=[ \t\n\r]*(?:"([^"<]*)"|'([^'<]*)')""")
_PLAIN_PLACE = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")


def _unordered_cell(xml: bytes, at: int) -> tuple | None:
    """((row, col), style) of the cell tag at `at` whose attributes are not in the order the patterns above read
    (_UNORDERED): its r and s by their exact names, wherever they stand in the tag, their character
    references resolved (as the parser reads them: _screen_parsed); its style as Grid.cell_look reads an index
    (``s=" 09"``: "9"; no s, or no number: "0").  None where the tag is no well-formed cell tag, or has no place
    (r) written plainly: a cell the parser places by its order alone is not looked at."""
    m = _UNORDERED_TAG.match(xml, at)
    if m is None:
        return None
    place = style = None
    for name, double, single in _UNORDERED_ATTR.findall(m[1]):
        if name == b"r" or name == b"s":
            value = _attr_value(double, single)
            if name == b"r":
                place = value
            else:
                style = value
    p = _PLAIN_PLACE.fullmatch(place.strip()) if place is not None else None
    if p is None:
        return None
    index = str(style_index(style))
    return (int(p[2]) - 1, _col(p[1].encode()) - 1), index


@lru_cache(maxsize=64)
def _paper_pattern(styles: frozenset, unordered: bool = False):
    """One search for paper_cells: each cell tag whose first attribute after its place is ` s="…"` of one of the
    `styles` (group 3), or is not a plain ` s="…"` (a candidate: _ODD_STYLED and _STYLED_CELLS say); a cell tag
    written `<c r="B4" s="6"` of any other style is passed over in C.  `unordered`: also (no group matched) each
    cell tag whose first attribute is not its place (_UNORDERED)."""
    alts = b"|".join(re.escape(s.encode("utf-8")) for s in sorted(styles, key=len, reverse=True))
    head = rb'r="([A-Z]{1,3}+)([0-9]{1,7}+)"(?:( s="(?:' + alts + rb')")|(?! s="(?:0|[1-9][0-9]{0,8}+)"))'
    return re.compile(rb'<c(?: ' + head + _UNORDERED if unordered else rb'<c ' + head)


def paper_cells(xml: bytes, styles: frozenset, canonical: bool = False) -> dict:
    """(row, col) -> style (``s``) of each cell of a sheet's part `xml` that may be of one of the `styles`
    (paper_styles): those written with one of them, and (style None) those whose style is not written plainly
    (_ODD_STYLED: cell_look reads it).

    A form's few styles (at most _FEW_STYLES; none plain-less) take one search over the cell tags (_paper_pattern):
    a tag of one of them is a cell found; a tag whose first attribute is no plain style (no s: style 0, ``t="n"``
    before it, ``s='9'``) is looked at as the two patterns below read it (_ODD_STYLED; else its first s,
    _STYLED_CELLS, one of them); every other tag is of another style.  (Half the instructions of a search per style
    and one for the odd tags.)

    A cell tag whose first attribute is not its place (``<c t="s" r="B4" s="9">``) is read whole, its r and s by
    their exact names wherever they stand (_unordered_cell); `canonical`: the screen's fast path took the part (no
    such tag in it: not looked for)."""
    if styles and len(styles) <= _FEW_STYLES and all(s.isdigit() and s.isascii() for s in styles):
        found, odd, styled = {}, _ODD_STYLED.match, _STYLED_CELLS.match
        for m in _paper_pattern(styles, not canonical).finditer(xml):
            if m[3] is not None:
                style = m[3][4:-1].decode("ascii")  # ( s="6")
            elif odd(xml, m.start()) is not None:  # (a candidate: its style is not written plainly first)
                style = None
            else:
                o = styled(xml, m.start())
                if o is None:  # (neither reads a tag whose first attribute is not its place: <c t="s" r="B4" s="6">)
                    cell = _unordered_cell(xml, m.start()) if m.lastindex is None else None
                    if cell is not None and cell[1] in styles:
                        found[cell[0]] = cell[1]
                    continue
                style = o[3].decode("utf-8", "replace")
                if style not in styles:
                    continue
            found[(int(m[2]) - 1, _col(m[1]) - 1)] = style
        return found
    found = _styled_cells(xml, styles) if styles else {}
    for m in (_ODD_STYLED if canonical else _ODD_OR_UNORDERED).finditer(xml):
        if m[1] is not None:
            found[(int(m[2]) - 1, _col(m[1]) - 1)] = None
        else:  # (its attributes in another order)
            cell = _unordered_cell(xml, m.start())
            if cell is not None and cell[1] in styles:
                found[cell[0]] = cell[1]
    return found


def _unrendered_section(code: str, value):
    """(tokens, the point's index, the scaled number, the exact value) of the plain number section `code` shows `value`
    with where _render_section does not render it (a grouped one with texts between its digit placeholders:
    ``#,##0"元"0"角"``, ``#,##0" "000``); None for any other."""
    found = _shown_section(code, value)
    if found is None:
        return None
    _, tokens, scaled, number = found
    if any(t in ("/", "E", "e") or t.lower() == "general" for t in tokens):
        return None
    point = tokens.index(".") if "." in tokens else len(tokens)
    if not _literal_between(tokens, point) or _render_section(tokens, scaled) is not None:
        return None
    return tokens, point, scaled, number


def not_rendered(code: str, value) -> bool:
    """Whether `code` shows the number `value` with a plain number section whose print-out is not worked out here
    (_unrendered_section: ``#,##0"元"0"角"``): a message says what is known of it, quoting no text."""
    return _unrendered_section(code, value) is not None


def rounded_away(code: str, value) -> tuple[str, str] | None:
    """(what the number format `code` shows for `value`, the value as that section would show every digit of it)
    where the format shows fewer decimals than the value has: ``0`` shows 89.6 as 90 (89.6), ``0%`` 0.846 as 85%
    (84.6%), ``#,##0`` 146407273.4 as 146,407,273 (146,407,273.4); None where it shows the value whole, or shows
    no plain number (shown_number).  (None, the value's digits) for a plain section not rendered (not_rendered: a
    grouped one with texts between its digit placeholders, ``#,##0"元"0"角"``) that shows fewer decimals than the
    value has (1234567.89 under it loses its cents), as such a format was warned before it was left unrendered: its
    print-out is not worked out."""
    shown = shown_number(code, value)
    if shown is None:
        away = _figure_away(code, value)
        if away is not None or not not_rendered(code, value):
            return away
    parsed = parse_format(code)
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    tokens = [t for t, s in zip(_tokens_by_section(code)[:4], parsed) if s.kind != "text"][:3]
    sections = FormatSections((s.cond, ()) for s in parsed.number_sections)
    i = sections._section(float(number))
    section, tokens = parsed.number_sections[i], tokens[i]
    if not any(t in ("0", "#", "?") for t in tokens):
        return None  # (General: it shows what digits fit, no fixed count)
    scaled = abs(number) * Decimal(100) ** min(section.percents, 10) / Decimal(1000) ** min(section.commas, 10)
    if "." in tokens:
        point = tokens.index(".")
    else:  # (no decimals: the point they would stand after is the last digit placeholder's)
        point = max(j for j, t in enumerate(tokens) if t in ("0", "#", "?")) + 1
        tokens = tokens[:point] + ["."] + tokens[point:]
    places = sum(t in ("0", "#", "?") for t in tokens[point + 1:])
    if scaled == _rounded(scaled, places):
        return None
    digits = -scaled.normalize().as_tuple().exponent
    if digits > 12:
        return None  # a float's binary tail (0.1 + 0.2), no digit anyone typed
    if _literal_between(tokens, point):  # (0"/"0 shows 4.44 as 0/4: the value read is 4.44, no text spliced in)
        return shown, ("-" if number < 0 else "") + _plain(abs(number))
    widened = tokens[:point] + ["."] + ["0"] * digits + [t for t in tokens[point + 1:] if t not in ("0", "#", "?")]
    sign = "-" if number < 0 and not sections._unsigned(i) else ""
    return shown, sign + (_render_section(widened, scaled) or _plain(scaled))
