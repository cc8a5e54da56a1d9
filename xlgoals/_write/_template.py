"""Issuing templates: one blank workbook, or one per row of a projects CSV (bulk prefill)."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .._atomic import write_bytes
from .._config import Config, config_of
from .._args import flag, password as checked_password, rows as checked_rows, year as checked_year
from .._defaults import DEFAULT_FRAMEWORK
from .._errors import OutputError, UsageError, XlgoalsError, add_force, given_as
from .._form import GOAL_TABLE, Form, Unreadable
from .._form._kinds import MULTIPLIERS, choices_as_listed, clean_text, number_text, parse_field
from .._paths import (folder_listing, guard_out_dir, guard_single_output, holds_a_workbook,  # noqa: F401 (re-exported)
                      other_inputs, refuse_existing_outputs, refuse_outputs_over_inputs, safe_filename, same_name_in,
                      text_path)
from .._pointers import get, put
from .._resources import header_index, read_csv_rows
from .._text import Bilingual, at, canonical, display_path, line_of, reason_of
from ._limits import limit_problems


def build_workbook(*args, **kwargs) -> bytes:
    """``_workbook.build_workbook``, imported when a workbook is built: xlsxwriter is not loaded by what only
    imports this module (``validate --targets``: the self-evaluation's names of files, PrefillResult)."""
    from ._workbook import build_workbook as build

    return build(*args, **kwargs)


def write_template(out: str | os.PathLike, *, framework: str = DEFAULT_FRAMEWORK, year: int = 2020,
                   rows: int | None = None, password: str | None = None, frameworks=None,
                   config: Config | None = None, library: str | os.PathLike | None = None,
                   force: bool = False) -> Path:
    """Write a blank, protected template to `out` (a name ending in .xlsx; UsageError otherwise).

    `library` (an indicator library, CSV or xlsx) offers its 三级 names for each row's 二级 as
    a dropdown that still accepts free text.  A file already at `out` (a template, a department's return) is
    not replaced unless `force`: UsageError before anything is written, as ``consolidate`` refuses.  An input
    (the library, the rule table) is never replaced, `force` or not.
    """
    out, library = text_path(out), text_path(library)  # b"..." names the same file
    year, rows = checked_year(year), checked_rows(rows, GOAL_TABLE.table.max_rows)  # before anything is written
    force, password = flag(force, "force"), checked_password(password)
    cfg = config_of(config, frameworks=frameworks)
    guard_single_output(out, [library, *cfg.sources])  # an .xlsx name, a regular file, not an input
    refuse_existing_outputs([out], force)
    fw = cfg.frameworks.get(framework)
    write_bytes(out, build_workbook(fw, year, None, rows=rows, password=password, library=_library(library, cfg),
                                    rules=cfg.rules))
    return Path(out)


def _library(path, cfg: Config):
    if path is None:
        return None
    from .._review._library import Library

    return Library.load(path, cfg.limits)


# Bulk prefill ----------------------------------------------------------------------------
def _column_aliases(form: Form) -> dict[str, str]:
    """_header_key(CSV header) -> JSON pointer: the form's Chinese labels and short labels, the pointers, and dotted
    names."""
    aliases = {}
    for f in form.fields:
        if f.kind == "year":
            continue
        dotted = f.path.strip("/").replace("/", ".")
        for key in (f.label, f.label.replace("（元）", ""), f.short, f.path, dotted, dotted.split(".")[-1]):
            if key:
                aliases.setdefault(_header_key(key), f.path)
    return aliases


def _header_key(header: str) -> str:
    """A column name (or a cell's 合计) as it is matched: 项目总预算(元) with ASCII brackets, 项目 名称 with a space
    (ASCII or full width) name the column 项目总预算（元）, 项目名称 name."""
    return "".join(canonical(header).split())


_NAME_SEPARATORS = re.compile(r"[,，、;；]")


def _ignored_keys(names) -> dict[str, str]:
    """The column names to leave out (given one by one, or several in one text separated by , ， 、 or ;), by the
    key a header is matched with, each with the name as given."""
    if isinstance(names, str):
        names = [names]
    out: dict[str, str] = {}
    for text in names or ():
        for name in _NAME_SEPARATORS.split(str(text)):
            if name.strip():
                out.setdefault(_header_key(name), name.strip())
    return out


#: What a total row of a list says in one of its cells (spaces left out), its unit or project left blank.
_TOTALS = frozenset({"合计", "总计", "小计", "共计", "总合计"})

_EXAMPLE_COLUMNS = ("/unit", "/project/name", "/project/category", "/budget/total", "/budget/current_year")


@dataclass
class PrefillResult:
    """What ``prefill_templates()`` returns: the files written, and one line per bad CSV row."""

    written: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # one line each (Bilingual), naming the CSV line
    # each written file's source (Bilingual: the CSV line, or the goal table it was made from), for the listing:
    # two rows whose names make one file name (a/b and a:b) give 甲_a_b.xlsx and 甲_a_b_2.xlsx
    sources: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)  # files of the --targets folders not used: path -> (zh, en)
    ignored_columns: list = field(default_factory=list)  # the list's columns left out as asked (ignore_columns)
    not_columns: list = field(default_factory=list)  # names asked to be ignored that are no column of the list
    # what the bureau should know of a workbook written (Bilingual, one line each, naming the source): a goal
    # table whose 分值 take all 100 leaves the self-evaluation's funds block 0 points
    notices: list = field(default_factory=list)
    # --targets: the warnings of the goal tables the workbooks written were made from (Problems, `file` the goal
    # table, at its cell or JSON pointer: an amount below one 元), for the bureau to see before it issues them
    warnings: list = field(default_factory=list)
    # the workbooks the output refused (a full disk, a folder that cannot take them), each also a line of `errors`:
    # the run did not write what it was asked (the command line exits 2, not 1, a row's or a goal table's fault)
    unwritten: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def unique_filename(text: str, used: set[str]) -> str:
    """safe_filename(text), with _2, _3 … added when a name already in `used` (compared without case, as
    Windows and macOS compare file names) would be taken twice; the name returned is added to `used`."""
    base = safe_filename(text)
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base}_{n}"
    used.add(name.lower())
    return name


#: File names are cut to this many bytes (safe_filename's limit); a unit keeps at least this many of them.
_NAME_BYTES, _UNIT_BYTES = 150, 48


def unit_project_name(unit: str, project: str) -> str:
    """The text a template's file name is made of, 单位_项目, within _NAME_BYTES: where it is too long for a file
    name the unit is shortened first (to 16 Chinese characters at least), so that the project's name, which tells a
    unit's templates apart, stays whole as far as it can; a project's name still too long keeps its head and its
    tail (head…tail: its （一期）/（二期） at the end tells phases apart), its middle left out."""
    from .._paths import cut_middle, cut_to_bytes

    text = f"{unit}_{project}"
    if len(safe_filename(text, 10 ** 6).encode("utf-8", "surrogateescape")) <= _NAME_BYTES:
        return text
    project = safe_filename(project, 10 ** 6)
    room = _NAME_BYTES - 1 - len(project.encode("utf-8", "surrogateescape"))
    unit = cut_to_bytes(safe_filename(unit, 10 ** 6), max(room, _UNIT_BYTES)).rstrip()
    return f"{unit}_{cut_middle(project, _NAME_BYTES - 1 - len(unit.encode('utf-8', 'surrogateescape')))}"


def _row_document(row: dict[str, str], columns: dict[str, str], fw_id: str, year: int,
                  form: Form, rules=None) -> tuple[dict, set]:
    doc: dict = {"schema_version": "1", "framework": fw_id, "year": year}
    locked = set()
    for header, path in columns.items():
        raw = clean_text(row.get(header))
        if raw is None:
            continue
        f = form.field(path)
        if f.kind == "amount" and _SCIENTIFIC.match(raw):
            raise XlgoalsError(Bilingual(
                f"列“{header}”的金额“{raw}”是科学计数法：Excel 把“常规”格式的长数字这样显示，另存为 CSV 时也这样保存，"
                "后面的位数已丢失；请把该列设为数值格式（如 #,##0.00）后重新另存为 CSV，或直接使用 .xlsx 清单",
                f"the amount '{raw}' of the column '{header}' is in scientific notation: Excel shows a long number of a "
                "column formatted General so and saves it so in a CSV, its last digits lost; format the column as a "
                "number (such as #,##0.00) and save the CSV again, or give the .xlsx list"))
        try:
            value = parse_field(f.kind, _list_date(raw) if f.kind == "date" else raw)
        except Unreadable as exc:
            if rules is not None and rules.get(exc.code) is not None:  # the reader's message: why, what to write
                p = rules.problem(exc.code, field=f.label, field_en=f.label_en, value=raw, expected=exc.expected,
                                  **exc.extra)
                if header == f.label:  # the message names the column already
                    raise XlgoalsError(Bilingual(p.message, p.message_en)) from None
                raise XlgoalsError(Bilingual(f"列“{header}”：{p.message}", f"column '{header}': {p.message_en}")) \
                    from None
            raise XlgoalsError(Bilingual(f"列“{header}”的值“{raw}”无法识别（{f.label}）",
                                         f"the value '{raw}' of the column '{header}' cannot be read "
                                         f"({f.label_en})")) from None
        put(doc, path, value)
        locked.add(path)
    return doc, locked


#: An amount as Excel shows a long number in a column formatted 常规 (General), and saves it in a CSV: 1.23457E+11.
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d*)?[eE][+-]?\d+$")


def _list_date(raw: str):
    """A date of the list as Excel writes it where it is not formatted as one: the serial number (43835, five
    digits: 1927 to 2173); anything else as it is, for the date parser every date cell is read with (which reads a
    budget system's 20200105 too, as it does in a return)."""
    if raw.isascii() and raw.isdigit() and len(raw) == 5:
        return int(raw)
    return raw


def _locked_faults(doc: dict, locked: set, cfg: Config, form: Form) -> list:
    """The rule table's errors that lie wholly in prefilled (locked) fields: a template with them could never
    pass, as the department cannot change those cells (当年预算 above 总预算, a date outside the year); and a
    prefilled value outside the framework's list of allowed values (项目类别 not in national-2021's list), whatever
    the rule's severity: each return would carry it at a cell the department is told to fix and cannot."""
    from .._check._validate import rule_problems

    out = []
    for p in rule_problems(doc, cfg, form):
        rd = cfg.rules[p.code]
        others = [cfg.rules.params_of(p.code).get("right")] if rd.check == "compare" else []
        if (p.is_error or rd.check == "in_list") and p.path in locked and all(o in locked for o in others):
            out.append(p)
    return out


def prefill_templates(csv_path: str | os.PathLike, out_dir: str | os.PathLike, *,
                      framework: str = DEFAULT_FRAMEWORK, year: int = 2020, rows: int | None = None,
                      password: str | None = None, frameworks=None, config: Config | None = None,
                      force: bool = False, library: str | os.PathLike | None = None,
                      ignore_columns=()) -> PrefillResult:
    """One template per CSV row, with the row's header and budget fields filled in and locked.

    A bad row is reported with its line number; the other rows are still written.  Files that
    already exist in `out_dir` are not overwritten unless `force`: the run stops first, naming them.
    A column the form does not know stops the run (a misspelt 项目总预算 would be lost unseen), unless it is
    named in `ignore_columns` (names, or texts of names separated by commas or 、: a finance system's 项目编码,
    备注): those columns are not read, whatever they are, and are listed in the result.
    """
    csv_path, out_dir = Path(text_path(csv_path)), Path(text_path(out_dir))  # b"..." names the same file
    library = text_path(library)
    year, rows = checked_year(year), checked_rows(rows, GOAL_TABLE.table.max_rows)  # before anything is read
    force, password = flag(force, "force"), checked_password(password)
    form = GOAL_TABLE
    cfg = config_of(config, frameworks=frameworks)
    fw = cfg.frameworks.get(framework)
    lib = _library(library, cfg)
    if not csv_path.is_file():
        raise XlgoalsError(Bilingual(f"找不到 CSV 文件：{csv_path}", f"CSV file not found: {csv_path}"))
    guard_out_dir(out_dir)
    # UTF-8 or GBK, as every configuration CSV; each row with the line it starts on
    # a row of empty cells (",,,,": Excel saves the rows it once formatted) is no project: passed over
    list_rows, merged, cell_notes = _list_rows(csv_path, cfg)
    lines = [(line, row) for line, row in list_rows if any(cell.strip() for cell in row)]
    if not lines:
        raise XlgoalsError(at(csv_path, "项目清单是空的（没有表头，也没有项目）", "the project list is empty (no header, no project)"))
    aliases = _column_aliases(form)
    lines = _below_title(csv_path, lines, aliases)
    header_line = lines[0][0] if lines else 1
    _fill_merged(lines, merged)
    headers = [h.strip() for h in lines[0][1]] if lines else []
    # as csv.DictReader gives them: None for a missing cell, the cells beyond the header under None
    records = [(line, {**dict(zip(headers, row + [None] * (len(headers) - len(row)))),
                       **({None: row[len(headers):]} if len(row) > len(headers) else {})})
               for line, row in lines[1:]]  # each with the line it starts on (a quoted cell may span lines)
    unnamed = [i for i, h in enumerate(headers) if not h]
    lost = next(((line, i) for line, row in lines[1:] for i in unnamed if i < len(row) and row[i].strip()), None)
    if lost:  # a column without a name is not read: its contents would be lost unseen
        raise XlgoalsError(at(csv_path, f"第 {header_line} 行第 {lost[1] + 1} 列没有列名，但第 {lost[0]} 行在该列有内容，"
                                        "请填写列名（如 项目总预算）或删除该列",
                              f"column {lost[1] + 1} of line {header_line} has no name, but line {lost[0]} has something in "
                              "it: give it a name (such as '项目总预算') or delete the column"))
    ignored = _ignored_keys(ignore_columns)
    result = PrefillResult()
    result.ignored_columns = [h for h in headers if h and _header_key(h) in ignored]
    present_keys = {_header_key(h) for h in headers if h}
    result.not_columns = [name for key, name in ignored.items() if key not in present_keys]
    headers_read = [h for h in headers if _header_key(h) not in ignored]
    columns = {h: aliases[_header_key(h)] for h in headers_read if _header_key(h) in aliases}
    # a column of row numbers (序号, as the form's table names its own): no field, nothing a template could lose
    row_numbers = {_header_key(c.label) for c in form.table.columns if c.kind == "seq"}
    unknown = [h for h in headers_read if h and _header_key(h) not in aliases and _header_key(h) not in row_numbers]
    parts = unknown[0].split(";") if len(unknown) == 1 else []
    if len(parts) > 1 and all(_header_key(p) in aliases for p in parts if p.strip()):  # Excel's CSV in another locale
        raise XlgoalsError(at(csv_path, f"第 {header_line} 行的各列以分号分隔（{unknown[0][:60]}），应以英文逗号分隔；"
                                        "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”",
                              f"the columns of line {header_line} are separated by semicolons ({unknown[0][:60]}), not "
                              "commas; save it in Excel or WPS as 'CSV UTF-8 (Comma delimited)'"))
    if unknown:
        examples = [form.field(p).label.replace("（元）", "") for p in _EXAMPLE_COLUMNS]
        raise XlgoalsError(at(csv_path, f"第 {header_line} 行有无法识别的列：{'、'.join(unknown)}（可用列名如：{'、'.join(examples)}）；"
                                        f"请改为可用的列名，或删除这些列，或用 {given_as('--ignore-columns')} 忽略它们（其内容不会进入模板）",
                              f"line {header_line} has columns that are not known: {', '.join(map(repr, unknown))} (known "
                              f"columns are such as {', '.join(map(repr, examples))}); rename them to known columns, "
                              f"delete them, or leave them out with {given_as('--ignore-columns')} (what they hold goes into no "
                              "template)"))
    by_field: dict = {}
    for h in headers:  # two columns for one field (项目名称 twice, or 项目名称 and project.name): which one counts?
        if h in columns:
            by_field.setdefault(columns[h], []).append(h)
    twice = next((hs for hs in by_field.values() if len(hs) > 1), None)
    if twice:
        label = form.field(columns[twice[0]]).label
        raise XlgoalsError(at(csv_path, f"第 {header_line} 行的列“{'”和“'.join(twice)}”都对应“{label}”，请只保留一列",
                              f"the columns {' and '.join(map(repr, twice))} of line {header_line} are both '{label}': keep "
                              "one"))
    needed = [form.field(p) for p in ("/unit", "/project/name")]
    if any(f.path not in columns.values() for f in needed):
        raise XlgoalsError(at(csv_path, f"缺少“{needed[0].label}”或“{needed[1].label}”列",
                              f"the column '{needed[0].label}' or '{needed[1].label}' is missing"))
    if len(lines) < 2:
        raise XlgoalsError(at(csv_path, f"项目清单中没有项目：表头（第 {header_line} 行）之下没有内容",
                              f"the project list holds no project: nothing below its header (line {header_line})"))
    _refuse_wan_notes(csv_path, lines[1:])
    present = folder_listing(out_dir)  # a file there whose name differs only in case is the same file on Windows
    used: set[str] = set()
    read_columns = {i: (h, columns[h]) for i, h in enumerate(headers) if h in columns}
    projects: dict = {}  # (unit, project) -> the line that gave it first
    planned = []
    both = (needed[0].label, needed[1].label, needed[0].label_en, needed[1].label_en)
    for line, row in records:
        try:
            extra = [c for c in row.pop(None, []) if c.strip()][:5]  # empty cells beyond the header are nothing
            if extra:
                shown = "、".join(f"“{c}”" for c in extra)
                raise XlgoalsError(Bilingual(
                    f"列数多于表头（多出 {shown}）：单元格中的逗号（如金额的千分位 62,800,000）须在引号之内，"
                    "用 Excel 另存为 CSV 即是如此",
                    f"more cells than the header has columns ({', '.join(map(repr, extra))} beyond it): a comma in a "
                    "cell (an amount's thousands separators, 62,800,000) must be within quotes, as Excel saves it"))
            _refuse_cell_notes(cell_notes, line, read_columns, form)
            doc, locked = _row_document(row, columns, fw.id, year, form, cfg.rules)
            choices_as_listed(form, fw, doc)  # 其它类 / 培训类。 as the framework's list writes it, as a return's is read
            unit, project = get(doc, "/unit"), get(doc, "/project/name")
            total = next((c for c in row.values() if c and _header_key(c) in _TOTALS), None)
            if total and not (unit and project):
                raise XlgoalsError(Bilingual(f"这是合计行（“{total}”），不是项目，未生成；可从清单中删除该行",
                                             f"a total row ('{total}'), not a project: not written; it may be deleted "
                                             "from the list"))
            if not unit or not project:
                raise XlgoalsError(Bilingual(f"{both[0]}和{both[1]}不能为空", f"{both[2]} and {both[3]} cannot be blank"))
            key = (canonical(unit), canonical(project))
            if key in projects:
                raise XlgoalsError(Bilingual(f"与第 {projects[key]} 行的{both[0]}和{both[1]}相同（重复的行），未生成",
                                             f"the same {both[2]} and {both[3]} as line {projects[key]} (a repeated "
                                             "row); not written"))
            projects[key] = line
            beyond = limit_problems(doc, cfg, form)  # a text the template could not hold or give back
            if beyond:
                raise XlgoalsError(Bilingual("；".join(p.message for p in beyond), "; ".join(p.message_en for p in beyond)))
            locked_faults = _locked_faults(doc, locked, cfg, form)
            if locked_faults:
                raise XlgoalsError(Bilingual(
                    f"预填的内容有误，单位无法修改锁定的单元格：{'；'.join(p.message for p in locked_faults)}",
                    "the prefilled values are wrong, and the department cannot change the locked cells: "
                    f"{'; '.join(p.message_en for p in locked_faults)}"))
            name = unique_filename(unit_project_name(unit, project), used)
            planned.append((line, doc, locked, same_name_in(out_dir, f"{name}.xlsx", present)))
        except XlgoalsError as exc:
            result.errors.append(_row_fault(csv_path, line, exc))
    # the list itself (a workbook), the library, a rule table: an input is never written over, --force or not
    refuse_outputs_over_inputs(other_inputs([csv_path, library, *cfg.sources]), [t for _, _, _, t in planned])
    existing = [t for _, _, _, t in planned if t.exists() or t.is_symlink()]
    if existing and not force:
        names = [display_path(t.name) for t in existing[:10]]
        shown = "、".join(names) + ("等" if len(existing) > 10 else "")
        zh, en = add_force()
        raise UsageError(Bilingual(f"{display_path(out_dir)} 中已有 {len(existing)} 个同名文件（{shown}），未覆盖；"
                                   f"确认要覆盖请{zh}",
                                   f"{display_path(out_dir)} holds {len(existing)} file{'s' * (len(existing) != 1)} "
                                   f"of the same name ({', '.join(names)}{', …' if len(existing) > 10 else ''}), not "
                                   f"written over; {en} to write over them"))
    for line, doc, locked, target in planned:
        try:
            data = build_workbook(fw, year, doc, rows=rows, password=password, locked=frozenset(locked), library=lib,
                                  rules=cfg.rules)
            write_bytes(target, data)
            result.written.append(target)
            result.sources[target] = line_of(csv_path, line)
        except XlgoalsError as exc:
            result.errors.append(_row_fault(csv_path, line, exc))
            if isinstance(exc, OutputError):
                result.unwritten.append(target)
    return result


def _below_title(path, lines: list, aliases: dict) -> list:
    """`lines` from the header on: the first of the first few lines that names a column (申报单位名称, 项目名称 …);
    the lines above it name none and are each one cell (a title, 单位：元).  A title that gives the amounts in 万元 raises: the
    list's amounts read as 元 would be issued, locked, 10 000 times too small."""
    def names(row):
        return bool({aliases.get(_header_key(c)) for c in row if c.strip()} - {None})

    start = header_index(path, lines, names, lambda header: Bilingual(
        f"在表头（第 {header} 行）之上，且不止一个单元格有内容，不像标题：如是项目，请移到表头之下；否则请删除该行",
        f"above the header (line {header}), and more than one cell holds something, so it is no title: if it is a "
        "project, move it below the header; else delete the line"), XlgoalsError)
    wan = next(((line, c.strip()) for line, row in lines[:start] for c in row if "万元" in c), None)
    if wan:
        raise XlgoalsError(at(line_of(path, wan[0]), f"“{wan[1]}”：清单的金额以万元为单位，而模板的金额以元为单位，"
                                                     "请换算为元后再生成",
                              f"'{wan[1]}': the list gives its amounts in 万元 (10 000 yuan), the template in 元 "
                              "(yuan): convert them to yuan first"))
    return lines[start:]


def _fill_merged(lines: list, merged: list) -> None:
    """A merged cell's value put into each row it spans below the header, down its first column: a unit merged
    over its projects is each project's unit, as the sheet shows it.  Rows that hold nothing else (passed over
    as blank already) and a merge that starts in the header or above it are left as they are."""
    if not lines or not merged:
        return
    header = lines[0][0]
    by_line = {line: row for line, row in lines[1:]}
    for first, col, last in merged:
        top = by_line.get(first)
        if first <= header or top is None or col >= len(top) or not top[col].strip():
            continue
        for line in range(first + 1, last + 1):
            row = by_line.get(line)
            if row is not None and col < len(row) and not row[col].strip():
                row[col] = top[col]


def _refuse_wan_notes(path, records: list) -> None:
    """A note below the list (one cell, as a title is: 注：金额单位为万元) that gives the amounts in 万元 stops the
    run, as the same note above the header does: read as 元 they would be issued, locked, 10 000 times too small."""
    for line, row in records:
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) == 1 and "万元" in cells[0]:
            raise XlgoalsError(at(line_of(path, line), f"“{cells[0]}”：清单的金额以万元为单位，而模板的金额以元为单位，"
                                                       "请换算为元后再生成",
                                  f"'{cells[0]}': the list gives its amounts in 万元 (10 000 yuan), the template in "
                                  "元 (yuan): convert them to yuan first"))


def _first_sheet(path: Path) -> tuple[list, list, list, list, dict]:
    """The project list workbook's sheet names, its first sheet's values and merges spanning rows (as (first line,
    column, last line)), the other sheets that hold anything, and what its cells hold beside their values
    (_cell_notes): read in a bounded child (_list_rows)."""
    from .._read._grid import Grid
    from .._read._safety import open_container

    grid = Grid(open_container(path))
    names = grid.sheet_names
    if not names:
        return [], [], [], [], {}
    rows = grid.values(names[0])  # first: the merges are those of the sheet read
    merged = [(r0 + 1, c0, r1 + 1) for r0, c0, r1, _ in grid.merges(names[0]) if r1 > r0]
    others = [n for n in names[1:] if any(v != "" for r in grid.values(n) for v in r)]
    return names, rows, merged, others, _cell_notes(rows, grid.facts.get(names[0]))


def _cell_notes(rows: list, facts) -> dict:
    """(line, column) -> what a cell of the list holds that its value does not say: ("formula",) for a formula whose
    file keeps no value of it (a list a script wrote, never opened in Excel: calamine reads it blank), ("format",
    text before, text after, the number) for a number whose number format shows text with it (6280 shown
    6,280.00万元)."""
    from .._read._screen import shown_for

    if facts is None:
        return {}

    def value(r, c):
        return rows[r][c] if r < len(rows) and c < len(rows[r]) else ""

    notes = {}
    for r, c in facts.formulas:
        if value(r, c) == "":
            notes[(r + 1, c)] = ("formula",)
    for (r, c), entry in facts.format_text.items():
        v = value(r, c)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            shown = shown_for(entry, v)
            if shown and (shown[0] or shown[1]):
                notes[(r + 1, c)] = ("format", shown[0], shown[1], number_text(v))
    return notes


#: A number format's text that names a multiple of 元 (万元, 千元, 亿, a bare 万): the number is shown in that
#: unit, not in the template's 元.
_MULTIPLE_WORDS = tuple(word for word, _ in MULTIPLIERS)


def _refuse_cell_notes(notes: dict, line: int, read_columns: dict, form: Form) -> None:
    """A row of a workbook list whose cells, in the columns read, would be issued wrong: a formula with no value
    kept (issued blank and open, nothing said), an amount whose number format shows it in 万元, 千元 or 亿
    (issued locked in 元, 10 000 times too small: Excel's CSV of it holds 6,280.00万元, which the CSV path refuses).
    A format's text is display only, and the same 万 is shown by formats that divide a number kept in 元
    (``#,##0,,"百万"``): so the amount is refused, never multiplied on a guess."""
    if not notes:
        return
    from .._form._cells import col_letter

    for col, (header, path) in read_columns.items():
        note = notes.get((line, col))
        if note is None:
            continue
        cell = f"{col_letter(col)}{line}"
        if note[0] == "formula":
            raise XlgoalsError(Bilingual(
                f"列“{header}”（单元格 {cell}）是公式，但文件中没有它的计算结果（清单由程序生成、未在 Excel 或 WPS 中"
                "打开保存过，或公式结果为空），模板中将是空白：请在 Excel 或 WPS 中打开清单、保存后重新生成，或把公式换为数值",
                f"the column '{header}' (cell {cell}) holds a formula whose result the file does not keep (a list a "
                "program wrote, never opened and saved in Excel or WPS, or a formula giving nothing), so the template "
                "would be blank there: open the list in Excel or WPS and save it, then issue again, or replace the "
                "formula by its value"))
        _, before, after, number = note
        if form.field(path).kind != "amount" or not any(w in before + after for w in _MULTIPLE_WORDS):
            continue
        shown = f"{before}{number}{after}"
        raise XlgoalsError(Bilingual(
            f"列“{header}”（单元格 {cell}）的数 {number} 以数字格式显示为“{shown}”：格式带有“{(before + after).strip()}”，"
            "金额不是以元为单位显示的，而模板的金额以元为单位，未生成；请确认该列的数以元为单位保存（以万元等保存的，"
            "请换算为元），并把该列设为不带单位的数字格式（如 #,##0.00）后重新生成",
            f"the number {number} of the column '{header}' (cell {cell}) is shown by its number format as '{shown}': "
            f"the format adds '{(before + after).strip()}', so the amount is not shown in yuan, and the template's "
            "amounts are in yuan; not written: make sure the column holds yuan (convert amounts kept in 万元 and the "
            "like), give it a number format without a unit (such as #,##0.00) and issue again"))


def _list_rows(path: Path, cfg: Config) -> tuple[list[tuple[int, list[str]]], list[tuple[int, int, int]], dict]:
    """The project list's rows, each with its line: a CSV (UTF-8 or GBK), or the first sheet of a workbook
    (.xlsx, .xls, .ods, whatever its name) read as the CSV Excel would save of it; and the sheet's merged cells
    spanning rows, as (first line, column, last line)."""
    from .._paths import WORKBOOK_SUFFIXES

    # a list named as a workbook is read as one, whatever it holds: a text file named 项目.xlsx is no CSV to guess
    # at, and is refused as what it is (the workbook path's not_workbook), with the way to give it as a CSV
    if not holds_a_workbook(path) and Path(path).suffix.lower() not in WORKBOOK_SUFFIXES:
        return read_csv_rows(path, Bilingual("项目清单", "project list"), XlgoalsError), [], {}
    from .._parallel import ChildDied, bounded, crash_reason
    from .._read._safety import FileProblem, bureau_reason

    try:
        names, rows, merged, others, notes = bounded(_first_sheet, path, cfg.limits)  # calamine may abort its process
        if not names:
            raise XlgoalsError(at(path, "项目清单工作簿中没有工作表", "the project list workbook has no sheet"))
    except ChildDied as died:
        raise XlgoalsError(at(path, f"项目清单工作簿无法读取（{crash_reason(died.reason)}）",
                              f"the project list workbook cannot be read ({crash_reason(died.reason, 'en')})")) from None
    except FileProblem as fp:
        why = bureau_reason(fp.code, (fp.found, fp.found_en), (fp.detail, fp.detail_en), ("项目清单", "a project list"))
        if why is None:
            p = cfg.rules.problem(fp.code, value=fp.found or None, value_en=fp.found_en or None, expected=fp.expected,
                                  detail=fp.detail, detail_en=fp.detail_en, sheet=fp.sheet)
            why = Bilingual(p.message, p.message_en)
        elif fp.code == "file.not_workbook" and not holds_a_workbook(path):
            suffix = Path(path).suffix
            why = Bilingual(f"扩展名为 {suffix}，但{why}：若它是 CSV 文本，请把扩展名改为 .csv；否则请用 Excel 或 WPS 另存为 .xlsx",
                            f"it is named {suffix}, but {why.en}: if it is CSV text, rename it to .csv; else save "
                            "it as .xlsx in Excel or WPS")
        raise XlgoalsError(at(path, f"项目清单工作簿无法读取：{why}",
                              f"the project list workbook cannot be read: {why.en}")) from None
    except XlgoalsError:
        raise
    except Exception as exc:  # calamine's own errors: damaged, or not a workbook
        raise XlgoalsError(at(path, f"项目清单工作簿无法读取（{exc.__class__.__name__}）",
                              f"the project list workbook cannot be read ({exc.__class__.__name__})")) from None
    if others:  # only the first sheet is read: a second batch of projects there would be lost unseen
        raise XlgoalsError(at(path, f"只读取第一个工作表“{names[0]}”，但工作表“{'”“'.join(others)}”也有内容："
                                    "请把项目都放在第一个工作表中，或删除其他工作表",
                              f"only the first sheet ('{names[0]}') is read, but the sheet"
                              f"{'s' * (len(others) > 1)} {', '.join(map(repr, others))} also hold"
                              f"{'s' * (len(others) == 1)} something: put every project on the first sheet, or "
                              "delete the others"))
    return [(i + 1, [_as_csv_text(v) for v in row]) for i, row in enumerate(rows)], merged, notes


def _as_csv_text(value) -> str:
    """A cell as Excel writes it into a CSV: a number to 15 significant digits (a computed 123.45 * 10000 is
    1234500), a date as a date, a date-time at midnight as its date."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(value, ".15g") if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _row_fault(csv_path, line: int, exc: XlgoalsError) -> Bilingual:
    """A bad row of the project list, with its line."""
    why = reason_of(exc)
    return at(line_of(csv_path, line), why)
