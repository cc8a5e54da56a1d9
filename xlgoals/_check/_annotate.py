"""Annotated copies for departments: offending cells highlighted, a comment on each, and a problem list.

The received file is only read; the copy is written atomically to another folder, marked as an
xlgoals output so that a later scan never reads it as a return.  One copy that cannot be made
never stops the others.
"""

from __future__ import annotations

import collections
import copy
import io
import itertools
import math
import os
import posixpath
import re
import warnings
import zipfile
from xml.etree import ElementTree
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from .._atomic import atomic_path, disk_full
from .._errors import XlgoalsError, os_reason
from .._consolidate._xlsxrows import row_height
from .._form import FORMS, GOAL_TABLE
from .._form._model import _ESCAPE_LIKE
from .._form._paper import LEGIBLE_HEIGHT
from .._problems import ERROR, PROBLEM_COLUMNS, WARNING, FileReport, severity_label
from .._read._grid import _related_part
from .._read._safety import FileProblem, open_verified, reading_annotated
from .._paths import ANNOTATED_SUFFIX
from .._read._screen import (ANNOTATION_SHEET, CONTENT_PLACEHOLDER, CONTENT_PROPERTY, OUTPUT_PROPERTY, SOURCE_PROPERTY,
                             annotated_source, own_copy_of, stamp_content)
from .._text import Bilingual, escape_controls, in_lang, readable_name, reason_of

PROBLEM_SHEET = ANNOTATION_SHEET
SUFFIX = ANNOTATED_SUFFIX  # (_paths: a run skips a copy named beside its original)
_FILL = {ERROR: PatternFill("solid", fgColor="FFC7CE"), WARNING: PatternFill("solid", fgColor="FFEB9C")}
#: A marked cell's border, with its fill: on a black-and-white print the fill is a grey hardly darker than a label
#: cell's, the comment does not print; a thick black frame does (an error's solid, a warning's dashed)
_BORDER = {severity: Border(**dict.fromkeys(("left", "right", "top", "bottom"), Side(style, color="FF000000")))
           for severity, style in ((ERROR, "thick"), (WARNING, "mediumDashed"))}
#: The border styles of the marks (_BORDER), each on every side
_MARK_STYLES = frozenset(border.left.style for border in _BORDER.values())
#: The border the forms give a cell, a marked one given back when a later run takes the mark off (_unmark)
_PLAIN_BORDER = Border(**dict.fromkeys(("left", "right", "top", "bottom"), Side("thin")))
#: No border, each side written empty as the template writes it (<left/>): what a bare cell gets back (_unmark)
_NO_BORDER = Border(**dict.fromkeys(("left", "right", "top", "bottom"), Side()))
_HEADERS = [GOAL_TABLE.column_label("seq"), *(zh for _, zh, _ in PROBLEM_COLUMNS)]
_WIDTHS = {"severity": 6, "sheet": 8, "cell": 6, "field": 14, "value": 14, "expected": 14, "message": 36, "code": 20}
_FONT_SIZE = 11  # the received workbook's default (the template's)
_NAME_BYTES = 200  # a file name's limit is 255 bytes; leave room for the suffix


def _print_scale(widths) -> int:
    """One A4 landscape page wide (a column of width w prints about 2.5 w mm at 11 pt), never below 80 %."""
    needed = sum(2.5 * w + 1.5 for w in widths)
    return max(80, min(100, int(97 * (297 - 2 * 0.4 * 25.4) / needed)))


def annotated_name(path: str, stem: str | None = None, n: int = 1) -> str:
    """``<stem>_问题标注.xlsx`` (``<stem>_<n>_问题标注.xlsx`` for n > 1): a name every system accepts, the stem
    shortened (by bytes) so that the name, with its number, stays within file-system limits."""
    from .._paths import cut_middle, safe_filename

    number = f"_{n}" if n > 1 else ""
    stem = safe_filename(readable_name(Path(path).stem) if stem is None else stem, limit=10 * _NAME_BYTES)
    return f"{cut_middle(stem, _NAME_BYTES - len((number + SUFFIX).encode()))}{number}{SUFFIX}.xlsx"


def _unmarked_stem(path: str) -> str:
    """The stem a copy of `path` is named from: an annotated copy's (``X_问题标注``, ``X_2_问题标注``, a department's
    corrected copy marked again) without its suffix, so that its copy is ``X_问题标注.xlsx`` again (or numbered on
    where that name is taken: annotate_all), never ``X_问题标注_问题标注.xlsx``.  A number before the suffix stays:
    it may be the department's own (``附件_2``, ``绩效目标表_2025``)."""
    stem = readable_name(Path(path).stem)
    if stem.lower().endswith(SUFFIX.lower()) and len(stem) > len(SUFFIX):
        stem = stem[:-len(SUFFIX)]  # only the suffix: a number before it may be the department's own (附件_2)
    return stem


def _marked_copy(path) -> bool:
    """Whether `path` is an annotated copy (by its name, or the digest only a copy records)."""
    name = readable_name(Path(path).name).lower()
    return name.endswith((SUFFIX + ".xlsx").lower()) or annotated_source(path) is not None


def annotated_names(paths: list[str]) -> list[str]:
    """The copies' names for files annotated together into one folder, one name each: files of one name from
    different folders (each department's 绩效目标表.xlsx) are told apart by as many of their folders' names as it
    takes (甲_报送_绩效目标表, 乙_报送_绩效目标表); files the folders do not tell apart (绩效.xls beside 绩效.xlsx)
    by _2, _3.  Names are compared without case, as Windows and macOS compare them; no name holds a folder."""
    from collections import defaultdict

    stems = [_unmarked_stem(p) for p in paths]  # a GBK name (a Windows zip's) as the report shows it
    groups = defaultdict(list)
    for i, stem in enumerate(stems):
        groups[stem.lower()].append(i)
    for members in (m for m in groups.values() if len(m) > 1):
        # the folders' own names, never the root, a drive or "..": a name is a name, not a path
        folders = {i: [readable_name(f) for f in Path(paths[i]).parent.parts
                       if f not in (Path(paths[i]).anchor, ".", "..")]
                   for i in members}
        for depth in range(1, max(len(f) for f in folders.values()) + 1):
            named = {i: "_".join([*folders[i][-depth:], stems[i]]) for i in members}
            if len({n.lower() for n in named.values()}) == len(members):
                for i in members:
                    stems[i] = named[i]
                break
    used: set = set()
    next_number: dict = {}
    out = []
    for path, stem in zip(paths, stems):
        base = annotated_name(path, stem)
        name, n = base, next_number.get(base.lower(), 1)
        while name.lower() in used:  # counted on from the last number given this name: linear, not quadratic
            n += 1
            name = annotated_name(path, stem, n)
        next_number[base.lower()] = n
        used.add(name.lower())
        out.append(name)
    return out


def _clean(value) -> str:
    """A text for a comment or a cell of the copy: a control character (ESC, NUL, a bidi override; a return's cell
    may hold one, and a message may quote it) written as its escape (``\\u001b``), as the terminal, JSON and CSV
    show it (dropped, a locked 项目名称 typed over with an ESC read “现为“促进就业专项资金””, as issued).  What XML
    cannot hold is then dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", escape_controls("" if value is None else str(value)))


def _cell(ws, ref: str):
    """The cell to mark: a merged range's top-left cell when `ref` lies inside it."""
    c = ws[ref]
    if isinstance(c, MergedCell):
        for rng in ws.merged_cells.ranges:
            if ref in rng:
                return ws.cell(rng.min_row, rng.min_col)
    return c


_STRICT_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"  # the namespace of a Strict Open XML workbook


#: Problems the bureau acts on and the department cannot (the points file the bureau forgot to give, --weights): said in
#: the bureau's report, kept out of the copy sent back to the department
BUREAU_ONLY = frozenset({"self.points_source", "template.other_rules", "template.other_framework"})


#: Why a file gets an annotated copy (``to_annotate``): it fails; or, with the review on, it passes with warnings or
#: review notices, which only reach the department in its copy
FAILED, PASSED_WITH_PROBLEMS = "failed", "passed_with_problems"


def to_annotate(report) -> list[tuple]:
    """The files of a ValidationReport that ``--annotate`` makes a copy of, each with why (FAILED or
    PASSED_WITH_PROBLEMS), in the report's order.  Without the review: the failing files.  With it (``report.review``):
    any file with a problem its copy lists (an error, a warning or a review notice; not one kept for the bureau,
    BUREAU_ONLY), so that the review's notices reach a department whose return passes.  JSON documents have no
    workbook to mark: they are left to the caller to say."""
    chosen = []
    for f in report.files:
        if not f.passes(report.strict):
            chosen.append((f, FAILED))
        elif report.review and any(p.code not in BUREAU_ONLY for p in f.problems):
            chosen.append((f, PASSED_WITH_PROBLEMS))
    return chosen


class Unannotatable(Exception):
    """The received file cannot safely be opened whole to make its copy; the text says why, in Chinese."""


def annotate(report: FileReport, out_dir: str | Path, name: str | None = None) -> Path | None:
    """Write `<name>_问题标注.xlsx` (or `name`) into `out_dir`; None when the file cannot be opened at all."""
    data = copy_bytes(report)
    return None if data is None else write_copy(report, out_dir, name, data)


def copy_bytes(report: FileReport) -> bytes | None:
    """The annotated copy of `report`'s file, as the bytes to write (the work of a copy: the received file screened
    again, opened, marked and saved; no file written, so that a worker process can make them, ``annotate_all``);
    None when the file cannot be opened at all."""
    if report.document is None and any(p.code.startswith(("file.", "folder.")) for p in report.problems):
        return None  # unsafe or unreadable (a folder that cannot be listed): it never goes near a spreadsheet library
    try:
        # screened again, every part inflated and checked: the reader left unread parts alone, openpyxl reads
        # them all without bounding a part whose header lies; and these are the bytes openpyxl gets
        with reading_annotated():  # a copy of ours sent back corrected, read as a return (a summary never gets here)
            container = open_verified(report.path)
        data = container.data
    except FileProblem as fp:
        # said in the catalog's words, as the report says it: its message places the found, the expected (a
        # limit) and the detail (file.external_link's begins with its own punctuation) where they belong
        from ._ruletable import RuleTable

        said = RuleTable.default().problem(fp.code, value=fp.found or None, value_en=fp.found_en or None,
                                           expected=fp.expected, detail=fp.detail, detail_en=fp.detail_en)
        raise Unannotatable(Bilingual(f"文件中有无法安全读取的内容（{fp.code}）：{said.message}",
                                      f"the file has content that cannot be read safely ({fp.code}): "
                                      f"{said.message_en}")) from None
    if report.sha256 and container.sha256 != report.sha256:  # re-sent or replaced while the run was reading
        raise Unannotatable(Bilingual("文件在校验之后被改动（可能是单位重新报送），报告所列问题属于改动前的文件，未生成标注副本；请重新校验",
                                      "the file changed after it was checked (sent again?): the problems reported are "
                                      "those of the file before; no annotated copy made. Validate it again"))
    if container.kind != "xlsx":  # an .ods or .xls return: openpyxl writes .xlsx only, over an .xlsx
        kind = ".ods" if container.kind == "ods" else ".xls"
        raise Unannotatable(Bilingual(f"标注副本只能为 .xlsx 文件生成，这是 {kind} 文件；问题见报告，另存为 .xlsx 后再校验即可标注",
                                      f"annotated copies are made of .xlsx files only, and this is an {kind} file; "
                                      "its problems are in the report: save it as .xlsx and validate again to have "
                                      "them marked"))
    if _STRICT_MAIN in (container.parts.get("xl/workbook.xml") or b""):  # openpyxl reads no cell of it
        raise Unannotatable(Bilingual("标注副本只能为普通 .xlsx 文件生成，这是 Excel“Strict Open XML 电子表格”格式的文件；"
                                      "问题见报告，在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再校验即可标注",
                                      "annotated copies are made of ordinary .xlsx files only, and this one is saved as "
                                      "Excel's 'Strict Open XML Spreadsheet'; its problems are in the report: save it "
                                      "as 'Excel Workbook (*.xlsx)' and validate again to have them marked"))
    try:
        with warnings.catch_warnings():  # openpyxl's remarks on what it drops (an extension's dropdowns) are
            warnings.simplefilter("ignore")  # not for the bureau's terminal
            wb = openpyxl.load_workbook(io.BytesIO(_as_named(data, container.parts)), keep_vba=False,
                                        keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl's refusal of a file the reader read: the reason said
        raise Unannotatable(Bilingual(
            f"生成标注副本的程序无法打开此文件（{_openpyxl_reason(exc, container.parts, report)}）；问题见报告，"
            "在 Excel 或 WPS 中打开后另存为 .xlsx 再校验即可标注",
            f"the program that makes annotated copies cannot open this file ({exc.__class__.__name__}: "
            f"{' '.join(str(exc).split())[:120]}); its problems are in the report: open it in Excel or WPS, save it "
            "as .xlsx and validate again to have them marked")) from None
    wb.template = False  # a return saved as a template (.xltx): its copy is an .xlsx, which Excel opens as one
    again = OUTPUT_PROPERTY in wb.custom_doc_props.names  # a copy of ours, sent back corrected and marked again
    if again:
        _unmark(wb, FORMS.get(report.form, GOAL_TABLE))  # only this run's marks stand: a cell the department fixed is no longer shown wrong
    problems = [p for p in report.problems if p.code not in BUREAU_ONLY]
    by_cell: dict[tuple[str, str], list] = {}
    for p in problems:
        if p.sheet in wb.sheetnames and p.cell:
            by_cell.setdefault((p.sheet, p.cell), []).append(p)
    # what each marked cell's row or column hid, or how narrow its column was, before any is shown or widened (two
    # marks on one hidden row both say so)
    cells = {key: _cell(wb[key[0]], key[1]) for key in by_cell}
    hidden = {key: _hidden(wb[key[0]], c) for key, c in cells.items()}
    narrow = {key: _narrow(wb[key[0]], c) for key, c in cells.items()}
    low = {key: _low(wb[key[0]], c) for key, c in cells.items()}
    changed: dict = collections.defaultdict(_Changes)  # sheet -> what the copy changed there to show its marks, for the 问题清单 to say
    for (sheet, ref), items in by_cell.items():
        c = cells[sheet, ref]
        severity = ERROR if any(p.severity == ERROR for p in items) else WARNING
        c.fill = _FILL[severity]
        c.border = _BORDER[severity]
        lines = [f"[{severity_label(p.severity)}] {_clean(p.message)}" for p in items]
        if hidden[sheet, ref]:
            _show(wb[sheet], c, changed[sheet])
            lines.append(f"（本单元格所在的{hidden[sheet, ref]}原为隐藏，已在本副本中取消隐藏）")
        if narrow[sheet, ref] is not None:
            _widen(wb[sheet], c, changed[sheet])
            lines.append("（本单元格所在的列原来过窄，已在本副本中加宽）")
        if low[sheet, ref] is not None:
            _heighten(wb[sheet], c, changed[sheet])
            lines.append("（本单元格所在的行原来过低，已在本副本中加高）")
        c.comment = _comment(c.comment, "\n".join(lines), len(lines))
    _as_issued_lists(wb, FORMS.get(report.form, GOAL_TABLE))
    if PROBLEM_SHEET in wb.sheetnames:
        del wb[PROBLEM_SHEET]
    ws = wb.create_sheet(PROBLEM_SHEET, 0)
    ws.append(_HEADERS)
    bold = _bold(wb)
    for cell in ws[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [5, *(_WIDTHS[attr] for attr, _, _ in PROBLEM_COLUMNS)]
    # a label wrapped in its column (严重程度), bold; measured as the forms' rows are, at the workbook's font
    header = row_height(_HEADERS, widths, bold=True, size=_FONT_SIZE)
    ws.row_dimensions[1].height = max(30, math.ceil(header)) if header else 30
    for i, p in enumerate(problems, start=1):
        shown = {"severity": severity_label(p.severity), "value": "" if p.value is None else p.value}
        values = [i, *(_clean(shown.get(attr, getattr(p, attr))) for attr, _, _ in PROBLEM_COLUMNS)]
        ws.append(values)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "="
            cell.alignment = wrap
        height = row_height(values, widths, size=_FONT_SIZE)  # each problem prints whole, on the lines it needs
        if height:
            ws.row_dimensions[ws.max_row].height = math.ceil(height)
    _say_changes(ws, [sheet for sheet in wb.sheetnames if sheet in changed], changed, widths)
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    # printed with the form: A4 landscape, one page wide at no less than 80 %, the header on every page
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.scale = _print_scale(widths)
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    _print_header(ws, wb, report)
    ws.print_title_rows = "1:1"
    wb.active = 0
    for prop in (OUTPUT_PROPERTY, SOURCE_PROPERTY, CONTENT_PROPERTY):
        if prop in wb.custom_doc_props.names:
            del wb.custom_doc_props[prop]
    wb.custom_doc_props.append(StringProperty(name=OUTPUT_PROPERTY, value="annotated"))
    # the bytes it marks: a run naming the copy with that very file skips the copy, and no other file of its name
    wb.custom_doc_props.append(StringProperty(name=SOURCE_PROPERTY, value=container.sha256))
    # the digest of the copy's content as written (stamp_content): a copy edited since is a department's corrected
    # return, checked where a folder gives it; an untouched one stays ours, passed over
    wb.custom_doc_props.append(StringProperty(name=CONTENT_PROPERTY, value=CONTENT_PLACEHOLDER))
    buf = io.BytesIO()
    try:
        wb.save(buf)
    except OSError:
        raise
    except Exception as exc:  # openpyxl writes each sheet through a temporary file, with lxml: a full disk there
        raise _as_os_error(exc) or exc  # is SerialisationError('IO_ENOSPC'), said as the OSError it is
    return stamp_content(as_excel_keeps(buf.getvalue()))


def write_copy(report: FileReport, out_dir: str | Path, name: str | None, data: bytes) -> Path:
    """Write the copy's bytes (``copy_bytes``) atomically to `name` (or the copy's own name) in `out_dir`: never
    half-written, never over the received file, never anywhere but in `out_dir`."""
    target = Path(out_dir) / (name or annotated_name(report.path))
    if target.parent != Path(out_dir):  # a name is never a path: the copy stays in its folder
        raise Unannotatable(Bilingual(f"副本名称 {name} 无效", f"the copy's name {name} is not valid"))
    if os.path.exists(target) and os.path.samefile(target, report.path):
        raise ValueError("the annotated copy would replace the received file")
    with atomic_path(target) as tmp:
        Path(tmp).write_bytes(data)
    return target


#: A department's own comment (批注) on a cell the copy marks is kept, first and marked as theirs, with ours below
#: (one comment: a cell holds one, and Excel, WPS and LibreOffice all show its text whole).  The comment keeps the
#: department's author; _unmark cuts at OURS, and takes off THEIRS, to give the department's comment back as it was.
THEIRS = "【单位批注{by}】"
OURS = "【审核标注（xlgoals）】"
_THEIRS = re.compile(r"【单位批注(?:（[^\n]*）)?】\n")


def _comment(theirs, text: str, lines: int) -> Comment:
    """The comment a marked cell gets: ours (`text`, of `lines` lines), below the department's own (`theirs`, a
    Comment or None) when it had one."""
    if theirs is None or theirs.author == "xlgoals" or not (theirs.text or "").strip():
        comment = Comment(text, "xlgoals")
        comment.width, comment.height = 320, 40 + 30 * lines
        return comment
    by = f"（{' '.join(theirs.author.split())}）" if (theirs.author or "").strip() else ""
    own = theirs.text.rstrip("\n")
    comment = Comment(f"{THEIRS.format(by=by)}\n{own}\n{OURS}\n{text}", theirs.author or "")
    comment.width = max(320, theirs.width if isinstance(theirs.width, (int, float)) else 0)
    comment.height = 40 + 30 * lines + 20 * (2 + own.count("\n"))
    return comment


def _theirs(comment) -> Comment | None:
    """A comment of the copy with our part taken off: the department's own as it was, or None (ours alone)."""
    if comment is None or comment.author == "xlgoals":
        return None
    text = comment.text or ""
    head = _THEIRS.match(text)
    if head is None or f"\n{OURS}\n" not in text:
        return comment  # the department's alone
    own = Comment(text[head.end():].rpartition(f"\n{OURS}\n")[0], comment.author)
    own.width, own.height = comment.width, comment.height
    return own


def _hidden(ws, c) -> str:
    """What hides cell `c`: "" (nothing), or 工作表, 行 and 列 joined by 和 (行和列, 工作表和行: the sheet the
    department hid, veryHidden too, and its row or column), for its comment to say once _show has shown it."""
    row = ws.row_dimensions.get(c.row)
    column = _column_dimension(ws, c.column, hidden=True) is not None
    return "和".join(what for what, hides in (("工作表", ws.sheet_state != "visible"),
                                               ("行", row is not None and row.hidden), ("列", column)) if hides)


class _Changes:
    """What the copy changed on one sheet so that its marks can be seen: the sheet shown, rows and columns shown,
    columns widened (with the width each had), for the 问题清单 to tell the department (``_say_changes``)."""

    def __init__(self):
        self.sheet = False
        self.rows: set = set()
        self.columns: set = set()
        self.widened: dict = {}  # column number -> its width in the received file
        self.heightened: dict = {}  # row number -> its height in the received file


#: A column narrower than this (in characters) keeps a mark out of sight, as a hidden one does: it is widened to
#: _WIDENED in the copy.  The forms' own columns are 4.7 wide at the least.
_NARROW, _WIDENED = 3, 10


def _narrow(ws, c) -> float | None:
    """The width of the column of cell `c` when it is too narrow to see a mark in (below _NARROW), else None."""
    dim = _column_dimension(ws, c.column)
    if dim is None or dim.width is None:  # (a <col> giving no width is read as openpyxl's default, 13)
        return None
    return dim.width if dim.width < _NARROW else None


def _low(ws, c) -> float | None:
    """The height of the row of cell `c` when it is too low to see a mark in (below LEGIBLE_HEIGHT, as the reader
    takes a row for hidden: cell.hidden_row), hidden or not, else None."""
    row = ws.row_dimensions.get(c.row)
    if row is None or row.height is None:
        return None
    return row.height if row.height < LEGIBLE_HEIGHT else None


def _default_height(ws) -> float:
    """The sheet's default row height (its sheetFormatPr), where it is one to see text in; else Excel's, 15."""
    default = ws.sheet_format.defaultRowHeight
    return default if default is not None and default >= LEGIBLE_HEIGHT else 15


def _heighten(ws, c, changes: _Changes) -> None:
    """Make the too low row of a cell the copy marks (its mark out of sight, as on a hidden row) the sheet's default
    height.  What was heightened is noted in `changes`."""
    height = _low(ws, c)
    if height is None:  # heightened already (two marks in the row)
        return
    changes.heightened.setdefault(c.row, height)
    ws.row_dimensions[c.row].height = _default_height(ws)


def _column_dimension(ws, column: int, hidden: bool = False):
    """The column dimension covering `column` (a group's, min..max), or None; with `hidden`, a hidden one (as _hidden
    finds it, should two cover the column)."""
    return next((d for d in ws.column_dimensions.values() if (d.min or 0) <= column <= (d.max or 0)
                 and (d.hidden or not hidden)), None)


def _own_dimension(ws, column: int, dim=None):
    """The dimension covering `column` (or `dim`, one that does) alone: a group of columns (min..max, read as one) is
    split, the columns before and after kept as they were; None when no dimension covers it."""
    from openpyxl.utils import get_column_letter

    dim = dim if dim is not None else _column_dimension(ws, column)
    if dim is None:
        return None
    key = next(k for k, d in ws.column_dimensions.items() if d is dim)
    low, high = dim.min or 0, dim.max or 0
    if low < column:
        before = copy.copy(dim)
        before.min, before.max = low, column - 1
        ws.column_dimensions[get_column_letter(low)] = before
    if column < high:
        after = copy.copy(dim)
        after.min, after.max = column + 1, high
        ws.column_dimensions[get_column_letter(column + 1)] = after
    dim.min = dim.max = column
    dim.index = get_column_letter(column)
    if key != dim.index:
        ws.column_dimensions[dim.index] = dim
    return dim


def _as_issued_lists(wb, form) -> None:
    """The form's 下拉选项 very hidden again, as the template issues it, where the return holds it merely hidden: a
    program that has no very hidden sheet (LibreOffice) saves it so, and the copy goes back to the department as the
    form it fills in.  A sheet shown (by the department, or by this copy for a mark on it) stays as it is."""
    ws = wb[form.lists_sheet] if form.lists_sheet in wb.sheetnames else None
    if ws is not None and ws.sheet_state == "hidden":
        ws.sheet_state = "veryHidden"


def _show(ws, c, changes: _Changes) -> None:
    """Unhide the sheet, the row and the column of a cell the copy marks (a mark on a hidden row cannot be seen); a
    hidden group of columns is split, only the marked one shown.  What was shown is noted in `changes`."""
    if ws.sheet_state != "visible":  # a sheet hidden (or very hidden): its marks are out of sight, tab and all
        ws.sheet_state = "visible"
        changes.sheet = True
    row = ws.row_dimensions.get(c.row)
    if row is not None and row.hidden:
        row.hidden = False
        changes.rows.add(c.row)
    dim = _column_dimension(ws, c.column, hidden=True)
    if dim is not None:
        _own_dimension(ws, c.column, dim).hidden = False
        changes.columns.add(c.column)


def _widen(ws, c, changes: _Changes) -> None:
    """Widen the too narrow column of a cell the copy marks (its mark out of sight, as in a hidden column) to
    _WIDENED; a group of columns is split, only the marked one widened.  What was widened is noted in `changes`."""
    width = _narrow(ws, c)
    if width is None:  # widened already (two marks in the column)
        return
    changes.widened.setdefault(c.column, width)
    _own_dimension(ws, c.column).width = _WIDENED


def _say_changes(ws, sheets: list, changed: dict, widths) -> None:
    """Below the problems on the 问题清单 (`ws`), a blank row, then what the copy changed to show its marks, a line a
    sheet (in the workbook's order), so the department knows where the copy differs from its file; nothing when the
    copy changed nothing.  Each line is merged across the list's columns and as tall as its text."""
    from openpyxl.utils import get_column_letter

    lines = []
    for sheet in sheets:
        ch = changed[sheet]
        parts = ["工作表原为隐藏，已取消隐藏"] if ch.sheet else []
        if ch.rows:
            parts.append(f"第 {'、'.join(str(r) for r in sorted(ch.rows))} 行原为隐藏，已取消隐藏")
        if ch.columns:
            parts.append(f"{'、'.join(get_column_letter(n) for n in sorted(ch.columns))} 列原为隐藏，已取消隐藏")
        for n, width in sorted(ch.widened.items()):
            parts.append(f"{get_column_letter(n)} 列原来过窄（列宽 {width:g}），已加宽")
        for n, height in sorted(ch.heightened.items()):
            parts.append(f"第 {n} 行原来过低（行高 {height:g}），已加高")
        if parts:
            lines.append(f"工作表“{_clean(sheet)}”：{'；'.join(parts)}")
    if not lines:
        return
    what, done = ("隐藏、过窄或过低", "取消隐藏、加宽或加高") if any(changed[s].heightened for s in sheets) else \
        ("隐藏或过窄", "取消隐藏或加宽")
    lines.insert(0, f"本副本与原文件的不同之处：为使标注的单元格可见，以下{what}的行、列和工作表已在本副本中{done}（原文件未改动）：")
    last = get_column_letter(len(widths))
    row = ws.max_row + 1  # a blank row between the problems and these lines
    for i, line in enumerate(lines):
        row += 1
        cell = ws.cell(row, 1, line)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 0:
            cell.font = _bold(ws.parent)
        ws.merge_cells(f"A{row}:{last}{row}")
        height = row_height([line], [sum(widths)], bold=i == 0, size=_FONT_SIZE)
        if height:
            ws.row_dimensions[row].height = math.ceil(height)


def _bold(wb) -> Font:
    """The workbook's default font (the rows' own: 宋体 in a template), bold.  A Font of no name printed in the
    client's default face (LibreOffice: a serif one), unlike the rows below it."""
    default = wb._fonts[0]
    return Font(name=default.name, sz=default.sz, family=default.family, charset=default.charset, bold=True)


def _print_header(ws, wb, report: FileReport) -> None:
    """The problem list's page header: the one the form's sheets print (its info sheet's PrintSetup: the unit, the
    project), naming them as the return holds them (read from their cells, each found beside its label), and the
    received file's name, so that the loose page, printed first, says what return it lists the problems of."""
    from openpyxl.utils.escape import unescape
    from openpyxl.worksheet.header_footer import HeaderFooterItem, _HeaderFooterPart, _split_string

    form = FORMS.get(report.form, GOAL_TABLE)
    setup = form.info.print
    values = {}
    for path in setup.header_fields:
        f = form.find_field(path)
        if f is None or f.sheet not in wb.sheetnames:
            continue
        sheet = wb[f.sheet]
        label, value = sheet.cell(f.row + 1, f.col).value, sheet.cell(f.row + 1, f.col + 1).value
        if isinstance(label, str) and f.label in label and isinstance(value, (str, int, float)) \
                and not isinstance(value, bool):
            # (openpyxl gives a control character of the cell as the file spells it, _x001B_: as the reader shows it)
            values[path] = _clean(unescape(value) if isinstance(value, str) else value)
    header = setup.header_text(values, more=(f"文件：{_clean(readable_name(Path(report.path).name))}",))
    if header:
        # its codes (&C&9) read as Excel reads them (as from_tree does, without taking _x001B_ for a character); the
        # size code header_text put in a literal _x001B_ (_&9x001B_) is read as one too: put back in the part's text
        parts = {where: _HeaderFooterPart.from_str(part) for where, part in _split_string(header).items() if part}
        for part in parts.values():
            part.text = _literal_escapes(part.text, part.size)
        ws.HeaderFooter.oddHeader = HeaderFooterItem(**parts)


def _literal_escapes(text: str, size) -> str:
    """A header part's `text` with each literal ``_xHHHH_`` kept as written: its ``_`` followed by the part's own
    font size code (``_&9x001B_``), which prints nothing and leaves no escape for Excel to read, while LibreOffice,
    which reads none, prints the same; a part of no size takes Excel's escape of the ``_`` (``_x005F_x001B_``)."""
    return _ESCAPE_LIKE.sub(f"_&{size}" if size else "_x005F_", text) if text else text


_MARKS = {fill.fgColor.rgb[-6:].upper() for fill in _FILL.values()}


def _ours(fill) -> bool:
    """Whether a cell's fill is one of our marks, as openpyxl wrote it or as Excel, WPS or LibreOffice saved it
    again (``FFFFC7CE`` for ``00FFC7CE``, another background colour)."""
    rgb = fill.fgColor.rgb if fill.fill_type == "solid" and fill.fgColor.type == "rgb" else None
    return isinstance(rgb, str) and rgb[-6:].upper() in _MARKS


def _our_border(border, rng=None) -> bool:
    """Whether a cell's border is a mark's (_BORDER: each side thick, or medium dashed).  For the first cell of a
    merged range `rng`, the frame may be split over the merge as LibreOffice saves it (the first cell keeps the
    sides on the range's outline, left and top, and right or bottom only where the range is one column or one row
    wide): the sides it has are all one mark's, and those on the outline are there."""
    sides = {side: getattr(getattr(border, side), "style", None) for side in ("left", "right", "top", "bottom")}
    one_col = rng is None or rng.min_col == rng.max_col
    one_row = rng is None or rng.min_row == rng.max_row
    outline = {"left", "top"} | ({"right"} if one_col else set()) | ({"bottom"} if one_row else set())
    styles = {style for style in sides.values() if style is not None}
    return len(styles) == 1 and styles <= _MARK_STYLES and all(sides[s] for s in outline)


def _bare_cells(form) -> set[tuple[str, int, int]]:
    """(sheet, row, column), 1-based, of the cells a form's template gives no fill and no border: its table's title
    and caption (申报单位：…　　项目名称：…), a mark taken off them leaves them bare again."""
    table = getattr(form, "table", None)
    if table is None:
        return set()
    return {(table.name, table.title_row + 1, 1), (table.name, table.caption_row + 1, 1)}


def _unmark(wb, form) -> None:
    """An earlier run's marks taken off an annotated copy: its comments (ours only, never the department's) and
    its fills, each cell given back what the template gave it: an input cell's tint, a locked value's, or none (the
    table's title and caption, `form`'s _bare_cells); a mark's frame (over the whole merge of a merged cell, also
    as LibreOffice split it among the merged cells) the form's thin box, or none for a bare cell."""
    from .._write._formats import _INPUT, _LOCKED_VALUE  # the template's tints: plain constants, no writer loaded

    tint = {False: PatternFill("solid", fgColor="FF" + _INPUT.lstrip("#")),
            True: PatternFill("solid", fgColor="FF" + _LOCKED_VALUE.lstrip("#"))}
    bare = _bare_cells(form)
    for ws in wb.worksheets:
        if ws.title == PROBLEM_SHEET:
            continue  # replaced whole
        merges = {(rng.min_row, rng.min_col): rng for rng in ws.merged_cells.ranges}
        for row in ws.iter_rows():
            for c in row:
                if c.comment is not None:
                    c.comment = _theirs(c.comment)
                if isinstance(c, MergedCell) or not (c.has_style and _ours(c.fill)):
                    continue
                plain = (ws.title, c.row, c.column) not in bare
                c.fill = tint[bool(c.protection.locked)] if plain else PatternFill()
                rng = merges.get((c.row, c.column))
                if not _our_border(c.border, rng):
                    continue
                c.border = _PLAIN_BORDER if plain else _NO_BORDER
                if rng is not None:  # the frame's sides on the other merged cells: as the first cell's box gives them
                    for coord in rng.cells:
                        other = ws._cells.get(coord)
                        if other is not None and other is not c:
                            other.border = _NO_BORDER
                    rng.format()


def _as_os_error(exc: Exception) -> OSError | None:
    """lxml's report of a failed write (``SerialisationError('IO_ENOSPC')``) as the OSError it stands for."""
    import errno

    m = re.fullmatch(r"IO_(E[A-Z0-9]+)", str(exc))
    code = getattr(errno, m.group(1), None) if m else None
    return OSError(code, os.strerror(code)) if isinstance(code, int) else None


def _referenced(parts) -> set[str]:
    """The part names as [Content_Types].xml and the relationships spell them (resolved from each source part's
    folder), with the relationship parts of those parts: what a reader that matches names exactly looks for."""
    found, todo = {"[Content_Types].xml", "_rels/.rels"}, [""]  # "": the package, whose relationships are _rels/.rels
    for override in _elements(parts.get("[Content_Types].xml"), "Override"):
        name = override.get("PartName", "").lstrip("/")
        if name:
            found.add(name)
    seen = set()
    while todo:
        source = todo.pop()
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels in seen:
            continue
        seen.add(rels)
        found.add(rels)
        for rel in _elements(parts.get(rels), "Relationship"):
            target = rel.get("Target", "")
            if not target or rel.get("TargetMode", "") == "External" or "://" in target:
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            if not name.startswith(".."):
                found.add(name)
                todo.append(name)
    return found


def _elements(xml: bytes | None, local: str):
    """The elements of an XML part (already screened: no DTD) whose local name is `local`; none if it is unreadable."""
    if not xml:
        return []
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return []
    return [e for e in root.iter() if isinstance(e.tag, str) and e.tag.rpartition("}")[2] == local]


#: openpyxl's (and datetime's) errors on a date cell it cannot convert: its from_ISO8601, datetime's ranges
_OPENPYXL_DATE = re.compile(r"^(?:Invalid datetime value |day is out of range for month$|month must be in 1\.\.12$|"
                            r"year -?\d+ is out of range$)")


def _openpyxl_reason(exc: Exception, parts, report) -> str:
    """Why openpyxl could not open a return the reader read, in Chinese (never its English text)."""
    if "xl/styles.xml" not in parts:
        return "样式部件不在通常的位置 xl/styles.xml"
    dates = [p for p in report.problems if p.code == "cell.date_no_such_day"]
    # the reader's finding, or openpyxl's own words on a date (not any text holding "day": a sheet named Monthly)
    if dates or _OPENPYXL_DATE.search(str(exc)):
        where = f"：{dates[0].sheet}!{dates[0].cell}" if dates else ""
        return f"单元格中保存了不存在的日期{where}"
    return "文件的结构与 Excel 的通常写法不同"


def _as_named(data: bytes, parts) -> bytes:
    """The zip with each entry named as the package refers to it.  Part names are case-insensitive (Excel and
    calamine find xl/Workbook.xml for xl/workbook.xml) but openpyxl matches them exactly: it could not open such a
    return to make its copy.  `data` itself when no name differs."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        names = zin.namelist()
        spelled = {name.lower(): name for name in _referenced(parts)}
        renamed = {n: spelled[n.lower()] for n in names if spelled.get(n.lower(), n) != n}
        # a styles part the workbook's relationships name otherwise (xl/Styles1.xml: the reader finds it so,
        # _grid._related_part; openpyxl reads xl/styles.xml only): given its usual name in this copy, the
        # relationship and content type with it (the received file itself is never touched)
        edits: dict = {}
        styles = _related_part(parts, parts.get("xl/_rels/workbook.xml.rels"), "styles", "xl/styles.xml")
        if styles != "xl/styles.xml" and styles in names and "xl/styles.xml" not in {n.lower() for n in names}:
            renamed[styles] = "xl/styles.xml"
            old = posixpath.relpath(styles, "xl").encode()
            edits["xl/_rels/workbook.xml.rels"] = (b'Target="%s"' % old, b'Target="styles.xml"')
            edits["[Content_Types].xml"] = (b'"/%s"' % styles.encode(), b'"/xl/styles.xml"')
        if not renamed or len({renamed.get(n, n).lower() for n in names}) != len(names):
            return data
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                body = zin.read(info)
                if info.filename in edits:
                    body = body.replace(*edits[info.filename])
                zout.writestr(renamed.get(info.filename, info.filename), body)
    return out.getvalue()


# A font's children in the order of the Open XML schema (CT_Font as Excel and the Open XML SDK read it); openpyxl
# writes name, family, b, color, sz …, which the SDK's check refuses.
_FONT_ORDER = {name: i for i, name in enumerate(
    ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz", "color", "name",
     "family", "charset", "scheme"))}
_FONT = re.compile(r"<font>((?:<[A-Za-z]+(?: [A-Za-z:]+=\"[^\"<>]*\")*/>)+)</font>")
_FONT_CHILD = re.compile(r"<([A-Za-z]+)[^<>]*/>")


def _font_in_order(m) -> str:
    children = _FONT_CHILD.finditer(m.group(1))
    ordered = sorted(children, key=lambda c: _FONT_ORDER.get(c.group(1), len(_FONT_ORDER)))  # stable
    return "<font>" + "".join(c.group(0) for c in ordered) + "</font>"


def fonts_in_order(styles: str) -> str:
    """styles.xml with each font's children (as openpyxl writes them: empty elements) in the schema's order."""
    return _FONT.sub(_font_in_order, styles)


_INLINE = re.compile(r'<c ([^>]*?) ?t="inlineStr"([^>]*)><is>(<t(?: xml:space="preserve")?>.*?</t>)</is></c>', re.DOTALL)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def as_excel_keeps(xlsx: bytes) -> bytes:
    """openpyxl's output as Excel keeps a workbook (Excel would rewrite it on its next save; the OOXML check
    reports it): the inline strings moved into a shared-strings part (the text copied as written, escaped), and
    each font's children in the schema's order."""
    table: dict[str, int] = {}

    def shared(m) -> str:
        index = table.setdefault(m.group(3), len(table))
        return f'<c {m.group(1)} t="s"{m.group(2)}><v>{index}</v></c>'.replace("  ", " ")

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        names = zin.namelist()
        parts = {n: zin.read(n) for n in names}
        if "xl/styles.xml" in parts:
            parts["xl/styles.xml"] = fonts_in_order(parts["xl/styles.xml"].decode("utf-8")).encode("utf-8")
        if "xl/sharedStrings.xml" not in parts:
            for n in names:
                if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                    parts[n] = _INLINE.sub(shared, parts[n].decode("utf-8")).encode("utf-8")
        if table:
            items = "".join(f"<si>{t}</si>" for t in table)
            parts["xl/sharedStrings.xml"] = (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
                f'spreadsheetml/2006/main" count="{len(table)}" uniqueCount="{len(table)}">{items}</sst>').encode()
            names.append("xl/sharedStrings.xml")
            types = parts["[Content_Types].xml"].decode("utf-8")
            parts["[Content_Types].xml"] = types.replace(
                "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_TYPE}"/></Types>').encode()
            rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
            parts["xl/_rels/workbook.xml.rels"] = rels.replace(
                "</Relationships>", f'<Relationship Type="{_SST_REL}" Target="sharedStrings.xml" Id="rIdXlgoalsSst"/>'
                "</Relationships>").encode()
        for n in names:
            zout.writestr(n, parts[n])
    return out.getvalue()


class Unwritten(Bilingual):
    """Why a copy was not written when the output is at fault, not the file (a folder that refuses it, a full disk,
    an input at the copy's name): the run did not do what it was asked, and validate exits 2 (cli)."""

    def __reduce__(self):
        return Unwritten, (str(self), self.en)


def _stopped(rest: int) -> list:
    """After a copy found the disk full: one (None, None, why) saying how many copies were not tried (`rest`), if
    any."""
    if not rest:
        return []
    return [(None, None, Unwritten(f"磁盘空间不足，已停止生成标注副本：其余 {rest} 个未通过的文件未生成标注副本（未留下不完整的文件）；"
                                   "请腾出空间后重新运行",
                                   f"the disk is full, so no more annotated copies were made: {rest} more failing "
                                   f"file{'s' * (rest != 1)} got none (no incomplete file was left); free some space "
                                   "and run again"))]


def _failure(exc: Exception) -> tuple:
    """What became of a copy whose making or writing raised `exc`, as a value (``_made``'s): the file cannot be
    annotated ("refused", why), the output cannot take it ("unwritten", why, whether the disk is full), or another
    fault ("failed", the exception named)."""
    if isinstance(exc, Unannotatable):
        return "refused", reason_of(exc)
    if isinstance(exc, XlgoalsError):  # the copy cannot be written (a full disk): said as any output is
        why = reason_of(exc)
        return "unwritten", Unwritten(why, in_lang(why, "en")), disk_full(exc)
    if isinstance(exc, OSError):
        return ("unwritten", Unwritten(f"无法写入（{os_reason(exc)}）", f"cannot write it ({os_reason(exc, 'en')})"),
                disk_full(exc))
    return "failed", f"{exc.__class__.__name__}: {exc}"[:120]  # a workbook openpyxl cannot write back …


def _made(report: FileReport) -> tuple:
    """``copy_bytes(report)`` as a value a worker process sends back whatever happened: ("copy", the bytes), ("copy",
    None) when the file cannot be opened, or ``_failure``'s."""
    try:
        return "copy", copy_bytes(report)
    except Exception as exc:  # noqa: BLE001 - each kind said as the serial run said it (_failure)
        return _failure(exc)


def _made_in(folder: str, report: FileReport) -> tuple:
    """``_made`` in a worker process, whose temporary files (openpyxl saves each sheet through one) go to `folder`,
    the run's own, removed whole when the copies are made: a worker ended mid-save (the run interrupted, or stopped
    at a full disk) leaves none in the system's temporary folder."""
    import tempfile

    tempfile.tempdir = folder
    return _made(report)


def _crashed(report, reason) -> tuple:
    """pmap's on_crash for a worker that died making a copy: that copy not made, said; the others go on."""
    from .._parallel import crash_reason

    return "failed", Bilingual(f"生成标注副本时{crash_reason(reason)}", f"making the copy: {crash_reason(reason, 'en')}")


def _copies(reports: list, jobs: int | None, limits: dict | None = None):
    """``_made`` of each report, in order: in this process for one job (or a single copy), else in `jobs` worker
    processes (the opening, marking and saving of each copy is its work; the copies are written by the caller, in
    order, each atomically), each copy's bytes the same either way.  With `limits` (schema/limits.json's, as the
    run's --limits gives them), every copy is made in a worker bounded in time and memory as reading a return is,
    one job or many: the file is the department's, opened again by another library (openpyxl) than the one that
    read it, and one it cannot mark within the bounds is that copy not made, said (``_crashed``), not the run
    ended or the machine's memory taken."""
    import functools
    import shutil
    import tempfile

    from .._parallel import default_jobs, pmap

    jobs = jobs or default_jobs()
    if limits is None and (jobs == 1 or len(reports) < 2):
        yield from map(_made, reports)
        return
    folder = tempfile.mkdtemp(prefix="xlgoals-annotate-")
    bounds = {} if limits is None else {"timeout": limits["file_seconds"], "memory_mb": limits["worker_memory_mb"]}
    made = pmap(functools.partial(_made_in, folder), reports, jobs, on_crash=_crashed, **bounds)
    try:
        yield from made
    finally:
        made.close()  # the workers end (a full disk, Ctrl-C: no copy made for nothing), then their temporary files go
        shutil.rmtree(folder, ignore_errors=True)


def annotate_all(reports, out_dir, inputs=(), jobs: int | None = 1, limits: dict | None = None):
    """Annotate each failing file; yield (report, path or None, why not).  One failure never stops the rest but
    a full disk: after the first copy that finds it full, one (None, None, why) says how many were not tried.
    No copy replaces another (``annotated_names``), nor one of the run's `inputs` (the files found: a return,
    or an annotated copy a department corrected and sent back, at a copy's name in the folder).  A corrected copy
    marked again into its own folder, whose copy's name is its own, gets the next number (``X_2_问题标注.xlsx``),
    and its `why` (on success, else "") says so; an earlier run's own copy of that same file (``own_copy_of``: it
    records the file's digest, its content as written) is replaced, as a plain return's is, not numbered past.
    With `jobs` other than 1 (None or 0: all cores), the copies are made in that many worker processes and written
    here, in order, as they come: the same copies, each yielded once it is written.  With `limits` (a Config's:
    ``validate --annotate`` gives the run's), each copy is made in a worker bounded by them (``_copies``)."""
    reports = list(reports)
    plan = list(_plan(reports, out_dir, inputs))
    made = _copies([report for report, _, _, refused in plan if refused is None], jobs, limits)
    try:
        for i, (report, name, kept, refused) in enumerate(plan):
            if refused is not None:
                yield report, None, refused
                continue
            outcome = next(made)
            if outcome[0] == "copy" and outcome[1] is not None:
                try:
                    outcome = "written", write_copy(report, out_dir, name, outcome[1])
                except Exception as exc:  # noqa: BLE001 - a full disk, a folder made read-only: said (_failure)
                    outcome = _failure(exc)
            kind = outcome[0]
            if kind == "written":
                yield report, outcome[1], kept
            elif kind == "copy":  # None: the file cannot be opened
                yield report, None, Bilingual("文件无法打开", "the file cannot be opened")
            elif kind == "unwritten":
                yield report, None, outcome[1]
                if outcome[2]:  # every copy after it would find the disk full too
                    yield from _stopped(len(reports) - 1 - i)
                    return
            else:
                yield report, None, outcome[1]
    finally:
        made.close()  # the workers end with the copies (_copies)


def _plan(reports: list, out_dir, inputs):
    """(report, the copy's name, why that name (a corrected copy's next number) or "", why no copy is tried (an
    input of the run at its name) or None) for each report, in order: the names are all chosen before any copy is
    made, as they were chosen one after another, so that the copies can be made in parallel."""
    from .._paths import identity

    taken = {identity(p) for p in inputs} - {None}
    # names only for the files that can get a copy: an .ods or .xls of the same name takes none from them
    copied = [r for r in reports if not str(r.path).lower().endswith((".ods", ".xls", ".et"))]
    names = dict(zip(map(id, copied), annotated_names([r.path for r in copied])))
    given = {n.lower() for n in names.values()}
    for report in reports:
        name = names.get(id(report)) or annotated_names([report.path])[0]
        kept = ""
        own = identity(report.path)
        itself = own is not None and identity(Path(out_dir) / name) == own
        if itself or (os.path.lexists(Path(out_dir) / name) and _marked_copy(report.path)
                      and not own_copy_of(Path(out_dir) / name, report.sha256)):
            # a department's corrected copy X_问题标注.xlsx marked again: X_2_问题标注.xlsx, a name no file in the
            # folder and no other copy has, said (X_2_问题标注.xlsx of ours: X_3_问题标注.xlsx, the next round of X).
            # Neither the file itself nor another file of the name (an earlier round's copy the department sent
            # back, lying there unnamed) is written over
            wanted, stem = name, name[:-len(SUFFIX + ".xlsx")]
            first = 2
            # a copy of ours (it records the digest it marks) named X_2_问题标注 is round 2 of X: its copy is X_3.
            # A file recording none keeps its number as its own (附件_2_问题标注 of a department's 附件_2: 附件_2_2)
            if (m := re.fullmatch(r"(.+)_([0-9]{1,6})", stem)) and int(m[2]) >= 2 \
                    and annotated_source(report.path) is not None:
                stem, first = m[1], int(m[2]) + 1
            for n in itertools.count(first):
                name = annotated_name(report.path, stem, n)
                if name.lower() not in given and (not os.path.lexists(Path(out_dir) / name)
                                                  or own_copy_of(Path(out_dir) / name, report.sha256)):
                    break  # a free name, or the last run's copy of this same file there (replaced, as any)
            given.add(name.lower())
            kept = Bilingual(f"{wanted} 是所标注的文件本身（单位修改后报回的副本），未覆盖",
                             f"{wanted} is the file marked itself (a copy a department corrected and sent back); "
                             "not overwritten") if itself else Bilingual(
                f"文件夹中已有 {wanted}（可能是单位之前报回的副本），未覆盖",
                f"{wanted} is already in the folder (perhaps a copy a department sent back earlier); not overwritten")
        refused = None
        if identity(Path(out_dir) / name) in taken:
            from .._errors import given_as

            named = given_as("--annotate", "out_dir")
            refused = Unwritten(f"文件夹中已有 {name}，是本次运行的输入（如上次的标注副本，或单位修改后报回的副本），"
                                f"未覆盖；请换一个 {named} 文件夹",
                                f"{name} is already there and is an input of this run (an earlier annotated "
                                "copy, or one a department corrected and sent back); not overwritten. "
                                f"Choose another {named} folder")
        yield report, name, kept, refused
