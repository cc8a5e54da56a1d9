"""Read, stage 2: locate.  Which form and layout this workbook is, and whether its shape holds.

The template stamp names the form, its layout version, the framework and the year; the
first layout's stamps (no form) are goal tables.  A workbook whose stamp is missing, moved
or unknown, whose sheets were deleted or renamed, or whose labels no longer stand where the
form puts them is reported as such instead of being misread.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field, replace
from decimal import Decimal
from weakref import WeakKeyDictionary

from .._form import FORMS, GOAL_TABLE, LAYOUTS, Form, a1, layouts_of, parse_stamp
from .._form._kinds import format_number
from .._form._lists import dropdown_lists
from .._form._locked import COUNT_PROPERTY, ROWS_PROPERTY, path_of, recorded_rows, records_of
from .._record import record
from ._grid import Grid, at
from ._safety import FileProblem, reading_annotated_now
from ._screen import ANNOTATION_SHEET, DISPIMG, libreoffice_percents, libreoffice_shows


#: The sheets the reader may read: each form's and layout's info, table and lists sheets (the guide is never read).
READ_SHEETS = frozenset(name for f in LAYOUTS.values() for name in (f.info.name, f.table.name, f.lists_sheet))


class Abort(Exception):
    """The workbook cannot be read as a return; the reason is already among the problems."""


@record
class Located:
    """A workbook matched to a form's layout: the form, the framework and where each part of it is."""

    form: Form
    fw: object  # Framework
    stamp: dict
    info: list[list]
    table: list[list]
    info_facts: object = None  # SheetFacts of the two sheets (None where not made out): formulas, errors, hidden rows
    table_facts: object = None
    locked: dict = field(default_factory=dict)  # JSON pointer -> what the template locked there (``_form._locked``)
    #: JSON pointer -> (codepage, codec, text) of a locked value kept in a codepage without Chinese, its ``?`` lost characters
    #: or real ones (``_form._locked.lossy_match``)
    lossy: dict = field(default_factory=dict)
    grid: Grid | None = None  # the workbook, for what is measured on demand (a row's height, a cell's font)


_SPACES = re.compile(r"\s+")


def _label(value) -> str:
    return _SPACES.sub("", str(value or ""))


def _params_said(form: Form, stamp: dict) -> list[tuple[str, str]]:
    """What is wrong with the parameters a stamp gives `form` (a monitoring report's month), in words (zh, en), one
    per parameter missing or out of its range: 报告月份“13”不在 1–12 之间, 没有报告月份."""
    given = (stamp or {}).get("params") or {}
    said = []
    for p in form.params:
        zh, en = p.label or p.name, (p.label_en or p.name).lower()
        value = given.get(p.name)
        if value is None or (isinstance(value, str) and not value.strip()):
            said.append((f"没有{zh}", f"no {en}"))
        elif p.parse(value) is None:
            said.append((f"{zh}“{value}”不在 {p.minimum}–{p.maximum} 之间",
                         f"{en} '{value}' is not within {p.minimum}–{p.maximum}"))
    return said or [("参数不符", "parameters do not fit")]


def _candidates(grid: Grid) -> list[Form]:
    """Forms this workbook may be: the one its properties name first, then any whose sheets it has.  The properties
    are as untrusted as the rest of the file: a form they name whose sheets are not there goes after those whose
    sheets are (a goal table whose property said self-evaluation was told its sheets were missing)."""
    named = FORMS.get(grid.custom_properties().get("xlgoals_form", ""))
    having = [f for f in FORMS.values() if f.info.name in grid.sheet_names]
    if named is None:
        return having
    return [named, *(f for f in having if f is not named)] if named in having or not having else [*having, named]


def locate(grid: Grid, config, problems: list) -> Located:
    """The form, framework and stamp of a workbook, with its two sheets' values; Abort when it is none."""
    table = config.rules
    names = grid.sheet_names
    candidates = _candidates(grid)
    form = candidates[0] if candidates else GOAL_TABLE
    missing = [s for s in (form.info.name, form.table.name) if s not in names]
    renames: list = []  # template.sheet_renamed, said once the stamp is found and the sheets are read
    if missing and _signed(grid):
        # a sheet of the form renamed (指标监控 → 指标监控表): named, and read under the form's name, so that the
        # department hears of the rename and of all else in one round; looked for only in a workbook that bears our
        # signature (any other's sheets are not all read, once per form, for it)
        form, missing = _read_renamed(grid, form, candidates, missing, table, renames)
    if missing:
        hint = grid.custom_properties().get("xlgoals_template_id")
        if not hint and not any(s in names for s in form.sheets):
            problems.append(table.problem("template.missing", field=form.info.stamp_label, field_en=form.info.stamp_label_en))
        else:
            for s in missing:
                problems.append(table.problem("template.sheet_missing", expected=s, sheet=s))
        raise Abort
    info = grid.values(form.info.name)
    stamp = None
    first_match = None
    for candidate in [layout for c in candidates or [form] for layout in layouts_of(c)]:  # older layouts too
        found = parse_stamp(at(info, *candidate.info.stamp_cell))
        if found and found["form"] == candidate.id:
            if found["layout_version"] == candidate.layout_version:
                first_match = (candidate, found)
                break
            first_match = first_match or (candidate, found)
        stamp = stamp or found
    if first_match:
        form, stamp = first_match
    stamp_cell = a1(*form.info.stamp_cell)
    if stamp is None:  # (an .xls or .ods keeps the document properties as an .xlsx does)
        props = grid.custom_properties()
        moved_from = config.frameworks.find(props.get("xlgoals_framework"))
        if moved_from is not None:
            # made from our template, but the stamp is not where it belongs: say what moved
            form = form.for_stamp({"params": {k[8:]: v for k, v in props.items() if k.startswith("xlgoals_")}}) \
                or form.bind()
            check_structure(form, moved_from, info, grid.values(form.table.name), table, problems)
            there = at(info, *form.info.stamp_cell)
            problems.append(table.problem(
                "template.altered", sheet=form.info.name, cell=stamp_cell, field=form.info.stamp_label,
                field_en=form.info.stamp_label_en, value=there or EMPTY[0], value_en=None if there else EMPTY[1],
                expected=form.make_stamp(props["xlgoals_framework"], int(props.get("xlgoals_year") or 0))))
            raise Abort
    if stamp is None:
        problems.append(table.problem("template.missing", sheet=form.info.name, cell=stamp_cell,
                                      field=form.info.stamp_label, field_en=form.info.stamp_label_en))
        raise Abort
    stamp = _issued_stamp(grid, config, form, stamp, info, table, problems)
    stamped_form = LAYOUTS.get((stamp["form"], stamp["layout_version"]))
    fw = config.frameworks.find(stamp["framework"])
    if stamped_form is not form or fw is None:
        known = [(f.title, f.title_en, f.layout_version) for f in FORMS.values()]
        named = next((f for f in FORMS.values() if f.id == stamp["form"]), None)  # as the department knows it
        stamped = (named.title, named.title_en) if named is not None else (stamp["form"], stamp["form"])
        frameworks = ", ".join(config.frameworks.ids())
        hint, framework = ("", ""), stamped_form is form and fw is None
        if framework:  # our form, a framework not loaded: a bureau's own, most likely
            from .._errors import given_as

            named = given_as("--frameworks")
            hint = (f"；指标体系 {stamp['framework']} 若是本局自定义的，请用 {named} 给出其文件夹",
                    f"; if {stamp['framework']} is the bureau's own framework, give its folder with {named}")
        problems.append(table.problem(
            "template.unknown", sheet=form.info.name, cell=stamp_cell, field=form.info.stamp_label, field_en=form.info.stamp_label_en,
            value=f"{stamped[0]} 版本 {stamp['layout_version']} / {stamp['framework']}",
            value_en=f"{stamped[1]} version {stamp['layout_version']} / {stamp['framework']}",
            expected=f"{'、'.join(f'{t} 版本 {v}' for t, _, v in known)} / {frameworks}{hint[0]}",
            expected_en=f"{', '.join(f'{t} version {v}' for _, t, v in known)} / {frameworks}{hint[1]}",
            # the framework is what is wrong: said as a document's /framework is (the review says why it gives no
            # score, review.framework_unknown), the stamp kept for it
            path="/framework" if framework else ""))
        raise Abort(stamp if framework else None)
    bound = form.for_stamp(stamp)  # a form with parameters (a monitoring report's month) reads bound to them
    if bound is None:
        said = _params_said(form, stamp)
        problems.append(table.problem(
            "template.unknown", sheet=form.info.name, cell=stamp_cell, field=form.info.stamp_label, field_en=form.info.stamp_label_en,
            value=f"{form.title}（{'；'.join(w for w, _ in said)}）",
            value_en="; ".join(w for _, w in said),  # (a value said in English is cut at some 60 characters)
            expected="、".join(f"{p.label or p.name} {p.minimum}–{p.maximum}" for p in form.params),
            expected_en=", ".join(f"{(p.label_en or p.name).lower()} {p.minimum}–{p.maximum}" for p in form.params)))
        raise Abort
    rows = grid.values(bound.table.name)
    # month 1's heads say 1月 now, 1-1月 in the templates issued before: read with the labels the sheet holds
    variants = form.label_variants(bound)
    form = bound if len(variants) == 1 else next((v for v in variants if _heads_hold(v, fw, info, rows)), bound)
    problems.extend(renames)  # (said only now: a run that stopped before would say a reading that was not made)
    check_structure(form, fw, info, rows, table, problems)
    for name in (form.info.name, form.table.name):
        if grid.protected(name) is False:
            problems.append(table.problem("template.unprotected", sheet=name))
    check_sheets(grid, form, fw, table, problems)
    locked = _locked_values(grid, form)
    lossy = _locked_lossy(grid, form)
    _locked_record(grid, form, len(locked) + len(lossy), table, problems)
    _record_lost(grid, form, table, problems)
    info_raw, table_raw = (grid.facts.get(grid.real_name(name)) for name in (form.info.name, form.table.name))
    info_facts, table_facts = _as_shown_by(grid, info_raw), _as_shown_by(grid, table_raw)
    _percents_differ(form, fw, table, problems, table_raw, table_facts, rows)
    if info_facts is not info_raw:  # (_as_shown_by gives the facts back unless they have percent sections)
        _info_percents_differ(form, table, problems, info_raw, info_facts, grid.values(form.info.name))
    return Located(form, fw, stamp, info, rows, info_facts, table_facts, locked, lossy, grid)


def _issued_stamp(grid: Grid, config, form: Form, stamp: dict, info: list, table, problems: list) -> dict:
    """The stamp as issued: the stamp cell's, unless the document properties the template wrote with it (its
    framework, year, form, layout and parameters, and the template id these make) say otherwise.  The stamp cell is
    locked, but a sheet without a password is unprotected in two clicks and its stamp typed over (the year, the
    framework, a monitoring report's month), while the properties are left as issued: the stamp cell is then an error
    at itself (template.locked_changed, the issued stamp expected) and the return is judged by the issued values (its
    预算年度 held to the issued year, its labels to the issued month).  Where the properties are not all there, or do
    not make the template id they keep, or do not name the stamp's form and layout, or the stamp names what is not
    ours (template.unknown, as before), the stamp cell is the only witness and is believed: a copy into a new book
    (Move or Copy), a Google Sheets round trip keep no custom properties; Excel, WPS and LibreOffice keep them in an
    .xlsx, .xls and .ods."""
    props = grid.custom_properties()
    framework, year, layout = props.get("xlgoals_framework"), props.get("xlgoals_year"), props.get("xlgoals_layout_version")
    if not (isinstance(year, str) and year.isdigit() and len(year) == 4 and isinstance(layout, str) and layout.isdigit()):
        return stamp
    if props.get("xlgoals_form") != stamp["form"] or int(layout) != stamp["layout_version"]:
        return stamp
    if LAYOUTS.get((stamp["form"], stamp["layout_version"])) is not form:
        return stamp
    if config.frameworks.find(framework) is None or config.frameworks.find(stamp["framework"]) is None:
        return stamp
    as_stamped = form.for_stamp(stamp)
    names = [p.name for p in form.params]
    issued_params = {n: props[f"xlgoals_{n}"] for n in names if isinstance(props.get(f"xlgoals_{n}"), str)}
    as_issued = form.for_stamp({"params": issued_params})
    if as_stamped is None or as_issued is None or props.get("xlgoals_template_id") != as_issued.template_id(framework, int(year)):
        return stamp
    if (stamp["framework"], stamp["year"], as_stamped.bound) == (framework, int(year), as_issued.bound):
        return stamp
    extra = tuple((n, v) for n, v in (stamp.get("params") or {}).items() if n not in names)
    issued = {**stamp, "framework": framework, "year": int(year), "template_id": props["xlgoals_template_id"]}
    params = {**(stamp.get("params") or {}), **issued_params}
    if params:
        issued["params"] = params
    expected = as_issued.make_stamp(framework, int(year), extra)
    comments = grid.comments()
    said = parse_stamp(comments)  # the stamp as the template wrote it in the document's comments, when it agrees
    if said is not None and {k: said.get(k) for k in issued} == issued:
        expected = comments.strip()
    there = str(at(info, *form.info.stamp_cell)).strip()  # (a stamp: parse_stamp took it, a text of one line)
    problems.append(table.problem(
        "template.locked_changed", sheet=form.info.name, cell=a1(*form.info.stamp_cell), field=form.info.stamp_label,
        field_en=form.info.stamp_label_en, value=there, expected=expected,
        shown=there, shown_en=there))  # (whole: what was changed is at its end, where a value quoted is cut)
    return issued


def _percents_differ(form: Form, fw, table, problems: list, excel, shown, rows) -> None:
    """A warning at each number of the table whose format's % signs LibreOffice, which saved the file, scales by
    otherwise than Excel does (0%%: 500%% there, 50000%% in Excel, ``cell.percent_app_differs``): the department
    saw and printed the first, which is read; the bureau opening the same file in Excel sees the second."""
    if excel is None or shown is excel:
        return
    columns = {col.index: col for col in form.columns(fw)}
    for (r, c), sections in sorted(shown.percent_sections.items()):
        texts = _app_percent_texts(excel, sections, r, c, at(rows, r, c))
        if texts is None:
            continue
        col = columns.get(c)
        problems.append(table.problem(
            "cell.percent_app_differs", sheet=form.table.name, cell=a1(r, c),
            field=col.label if col is not None else "", field_en=col.label_en if col is not None else "",
            value=texts[0], expected=texts[1]))


def _info_percents_differ(form: Form, table, problems: list, excel, shown, rows) -> None:
    """The information sheet's _percents_differ.  Its forms have no percent field; an amount under a percent format
    is an error (cell.amount_percent) and kept as the percent LibreOffice showed (500%%): where Excel shows another
    (50000%%), a warning at the cell quotes both, as on the table.  (A number field under one, 分值 or 得分, is not
    read at all, cell.number_percent: no figure is read that depends on the application.)"""
    fields = {(f.row, f.col): f for f in form.info.fields if f.kind == "amount"}
    for (r, c), sections in sorted(shown.percent_sections.items()):
        f = fields.get((r, c))
        texts = _app_percent_texts(excel, sections, r, c, at(rows, r, c)) if f is not None else None
        if texts is None:
            continue
        problems.append(table.problem(
            "cell.percent_app_differs", sheet=form.info.name, cell=a1(r, c), field=f.label, field_en=f.label_en,
            value=texts[0], expected=texts[1]))


def _app_percent_texts(excel, sections, r, c, raw) -> list | None:
    """[as LibreOffice shows it, as Excel does] of the number `raw` at (r, c) under the percent format `sections`,
    where the two scale it by different % signs (_percents_differ); None where they agree, or `raw` is no number."""
    if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw != raw:
        return None
    theirs, ours = excel.percent_sections[r, c].at(raw), sections.at(raw)
    if not theirs or not ours or int(theirs) == int(ours):
        return None
    return [f"{format_number(Decimal(repr(float(raw))) * 100 ** min(int(n), 20))}{'%' * n.shown}"
            for n in (ours, theirs)]


def _as_shown_by(grid: Grid, facts):
    """A sheet's facts as the application that saved the workbook showed its cells, where that differs from Excel's
    codes the screen read: an .xlsx or .xls LibreOffice saved (libreoffice_shows) keeps Excel's code 0%%, which
    LibreOffice shows 5 with as 500%% (Excel: 50000%%); the department saw it so, and printed it so.  (An .ods's
    percentage style already gives LibreOffice's count; the format sections' other differences are applied where
    they are read, as_libreoffice.)  A copy: the grid's own facts are left as they are."""
    if facts is None or not facts.percent_sections or grid.kind == "ods" \
            or not libreoffice_shows(grid.kind, grid.saved_by()):
        return facts
    return replace(facts, percent_sections={cell: libreoffice_percents(sections)
                                            for cell, sections in facts.percent_sections.items()})


def _locked_record(grid: Grid, form: Form, kept: int, table, problems: list) -> None:
    """A warning at the workbook when the template's record of what it locked is not whole, so that a locked value
    typed over would pass unseen: the template said how many locked values it keeps (``xlgoals_lock_count``) and
    fewer (`kept`) are there (their properties deleted); a record every template of the form carries
    (``records_of``: the count, a self-evaluation's or monitoring report's approved rows) gone while the template's
    other properties stay (template.locked_record_missing), or there but not readable: overwritten, or the whole
    properties part damaged (template.locked_record_unreadable)."""
    if grid.props_damaged:  # (the sheets are read as usual; no property at all: not also said as lost)
        problems.append(table.problem(
            "template.locked_record_unreadable", value=grid.props_damaged,
            shown="该部分的 XML 不完整或含非法字符", shown_en="its XML is cut short or holds an illegal character",
            detail=f"记录（文档属性部分 {grid.props_damaged}）",
            detail_en=f"record (the document properties part, {grid.props_damaged})",
            checked=RECORD_LOST_UNCHECKED[0], checked_en=RECORD_LOST_UNCHECKED[1]))
        return
    props = grid.custom_properties()
    if not any(name.startswith("xlgoals_") for name in props):
        return  # none of the template's properties left: template.locked_record_lost (_record_lost)
    # (a return of an older layout: its template may predate the records, written since this layout; not required.
    # A template of the current layout made before the records were (self-evaluation layout 3, monitoring report
    # layout 2, early releases) is warned as one whose records were deleted: nothing in the file tells the two apart,
    # neither the stamp nor the other properties, written alike then and now.  A self-evaluation's stamp naming its
    # points (points=…, stamp_params) marks a template made with the records, but none there marks no old one: fill
    # of a document without points_source, and the templates made between the records and points=, carry none.)
    needed = records_of(form) if form.layout_version == FORMS[form.id].layout_version else ()
    count = props.get(COUNT_PROPERTY)
    if count is None and COUNT_PROPERTY in needed:
        problems.append(table.problem(
            "template.locked_record_missing", value=kept, expected=COUNT_PROPERTY,
            detail=f"记录了所锁定内容的项数（{COUNT_PROPERTY}），该记录已不在，现存的 {kept} 项锁定的内容是否完整无法确认",
            detail_en=f"recorded how many values it locked ({COUNT_PROPERTY}) and that record is gone: whether the "
                      f"{kept} locked values that remain are all of them cannot be told"))
    elif count is not None and not (count.isdigit() and len(count) < 4):
        problems.append(table.problem(
            "template.locked_record_unreadable", value=count, expected=COUNT_PROPERTY,
            detail=f"锁定内容项数的记录（{COUNT_PROPERTY}）", detail_en=f"record of how many values it locked ({COUNT_PROPERTY})",
            checked=f"现存的 {kept} 项锁定的内容是否完整无法确认，被删除的锁定内容被改动也无法核对",
            checked_en=f"whether the {kept} locked values that remain are all of them cannot be told, and one whose "
                       "record was deleted could not be checked if typed over"))
    elif count is not None and kept < int(count):
        problems.append(table.problem(
            "template.locked_record_missing", value=kept, expected=count,
            detail=f"记录了 {count} 项锁定的内容以供核对，现只剩 {kept} 项",
            detail_en=f"recorded {count} locked values for checking and {kept} remain"))
    if ROWS_PROPERTY not in needed:
        return
    rows = props.get(ROWS_PROPERTY)
    if rows is None:
        problems.append(table.problem(
            "template.locked_record_missing", value="", expected=ROWS_PROPERTY,
            detail=f"记录了已批复的指标行以供核对（{ROWS_PROPERTY}），该记录已不在",
            detail_en=f"recorded the approved indicator rows for checking ({ROWS_PROPERTY}) and that record is gone"))
    elif recorded_rows(props) is None:
        problems.append(table.problem(
            "template.locked_record_unreadable", value=rows, expected=ROWS_PROPERTY,
            detail=f"已批复指标行的记录（{ROWS_PROPERTY}）", detail_en=f"record of the approved indicator rows ({ROWS_PROPERTY})",
            checked="已批复的指标行被改动、删除或增加无法核对",
            checked_en="an approved indicator row typed over, deleted or added could not be checked"))


def _record_lost(grid: Grid, form: Form, table, problems: list) -> None:
    """A warning at the workbook when the stamp says the workbook is ours but none of the template's custom document
    properties is left: the sheets were copied or moved into a new book (Move or Copy › new book), or the
    properties removed (Excel's Document Inspector, a Google Sheets round trip).  The record of the locked values
    (xlgoals_locked.*, xlgoals_lock_count, a self-evaluation's xlgoals_rows) went with them, so a locked value
    typed over could not be found; the form's other sheets missing too (填表说明, 下拉选项) are named, as the sign
    of a copy."""
    if grid.props_damaged or any(name.startswith("xlgoals_") for name in grid.custom_properties()):
        return  # (a damaged properties part: template.locked_record_unreadable, _locked_record)
    gone = [s for s in form.sheets if s not in grid.sheet_names and s not in grid.renamed]
    detail = ("；工作表“" + "”“".join(gone) + "”也已不在", "; sheets '" + "', '".join(gone) + "' are gone too") \
        if gone else ("", "")
    problems.append(table.problem("template.locked_record_lost", detail=detail[0], detail_en=detail[1],
                                  checked=RECORD_LOST_UNCHECKED[0], checked_en=RECORD_LOST_UNCHECKED[1]))


#: What template.locked_record_lost says of the locked values ({checked}) where nothing else holds them to what was
#: issued; validate --targets says instead which its comparison with the approved goal tables still checked
#: (_check._validate._record_lost_checked)
RECORD_LOST_UNCHECKED = ("下发时锁定的单位、项目、预算和指标被改动也无法核对",
                         "a locked unit, project, budget or indicator that was changed could not be checked")


def _locked_lossy(grid: Grid, form: Form) -> dict:
    """The locked values of this form whose properties the file keeps in a codepage without Chinese (an .xls saved
    by Excel on a Western Windows: Chinese as ``?``): JSON pointer -> (codepage, codec, text), held to the cell by what that
    codepage could keep of it (the interpreter's _locked_changed)."""
    paths = {f.path for f in form.fields}
    return {path_of(name): kept for name, kept in grid.lost_properties().items() if path_of(name) in paths}


def _locked_values(grid: Grid, form: Form) -> dict:
    """The header values the template locked, as its document properties keep them (none in an .xls): fields of
    this form only, so at most one per field however many properties an untrusted file carries."""
    paths = {f.path for f in form.fields}
    return {path: kept for path, kept in ((path_of(name), kept) for name, kept in grid.custom_properties().items())
            if path in paths}


def _signed(grid: Grid) -> bool:
    """Whether the workbook bears our signature: the template's ``xlgoals_template_id`` (or ``xlgoals_form``) custom
    property, or a stamp in its document comments (docProps/core.xml, as the template writes them)."""
    props = grid.custom_properties()
    if props.get("xlgoals_template_id") or props.get("xlgoals_form"):
        return True
    return parse_stamp(grid.comments()) is not None


#: At most this many sheets that are none of the form's are looked into for one of its sheets renamed.
_RENAMED_LOOKS = 8


def _read_renamed(grid: Grid, form: Form, candidates: list, missing: list, table, problems: list) -> tuple:
    """(form, its sheets still missing): when each missing sheet of the form (or of another form, when none of the
    workbook's sheets named one: its information sheet renamed) is found renamed (renamed_sheets), it is read under
    the form's name (Grid.read_as) and the rename is an error at the sheet (template.sheet_renamed); else as given."""
    tries = [form]
    if len(missing) == 2:  # neither of the form's sheets stands: the information sheet renamed, of any form
        tries += [f for f in dict.fromkeys([*candidates, *FORMS.values()]) if f is not form]
    for f in tries:
        lacking = [s for s in (f.info.name, f.table.name) if s not in grid.sheet_names]
        found = renamed_sheets(grid, f, lacking) if lacking else None
        if not found:
            continue
        for expected, actual in found.items():
            grid.read_as(expected, actual)
            problems.append(table.problem("template.sheet_renamed", sheet=actual, value=actual, expected=expected))
        return f, []
    return form, missing


def renamed_sheets(grid: Grid, form: Form, missing: list) -> dict[str, str] | None:
    """The form's sheets `missing` the department renamed: the form's name -> the name given, each the one sheet
    that is none of the form's and has that sheet's contents (the information sheet its stamp, of this form; the
    table half of its column titles at least, those every framework heads it with); None unless each is found so,
    a sheet of its own."""
    others = [n for n in grid.sheet_names if n not in form.sheets and n != ANNOTATION_SHEET]
    if not others or len(others) > _RENAMED_LOOKS:
        return None
    found: dict[str, str] = {}
    for expected in missing:
        fits = [n for n in others if _has_contents_of(grid, form, expected, n)]
        if len(fits) != 1 or fits[0] in found.values():
            return None
        found[expected] = fits[0]
    return found


def _has_contents_of(grid: Grid, form: Form, expected: str, name: str) -> bool:
    """Whether sheet `name` holds what the form's sheet `expected` holds (renamed_sheets)."""
    try:
        rows = grid.values(name)
    except FileProblem:  # a sheet that cannot be read is none of the form's
        return False
    for layout in layouts_of(form):
        if expected == layout.info.name:
            stamp = parse_stamp(at(rows, *layout.info.stamp_cell))
            if stamp is not None and stamp["form"] == form.id:
                return True
        elif expected == layout.table.name:
            # (the titles a framework may rename, 一级指标 → 一级目标, and a month's, left out)
            titles = {_label(c.label) for c in layout.table.columns
                      if "{" not in c.label and not getattr(c, "framework_label", None)}
            head = {_label(v) for r in (layout.table.header_row - 1, layout.table.header_row)
                    for v in (rows[r] if 0 <= r < len(rows) else ())}
            if len(titles) >= 2 and 2 * len(titles & head) >= len(titles):
                return True
    return False


#: How a department or an older template says the months a report covers in a head: 1-6月, 1至6月, １－６月 (full
#: width), 1-6月份, 截至6月(末), and, for month 1 only, 1月 or 1月份 (a bare 6月 is June alone, not months 1-6).
_MONTHS = re.compile(r"(截至到?|截止到?)?(?:1(?:-|~|—|–|―|‐|至|到)(\d+)|(\d+))月份?(?:末|底)?")


def _months_key(value) -> str:
    """A head with the months it names said one way (1-N月), its spaces gone and its characters NFKC-normalised
    (full-width digits and dashes): two heads of a form with parameters that name the same months compare equal."""
    def said(m):
        upto, last, bare = m.groups()
        if last is not None:
            return f"1-{last}月"
        return f"1-{bare}月" if upto or bare == "1" else m.group(0)

    return _MONTHS.sub(said, _label(unicodedata.normalize("NFKC", str(value or ""))))


def _misplaced(form: Form, fw, info, rows, months: bool) -> tuple | None:
    """The first label not standing where `form` puts it, as it says it, as (sheet, row, column, expected, found);
    None where every one does.  `months`: a head naming the months said otherwise (_months_key) stands as said."""
    for sheet, r, c, expected, label, in_table in _structure(form, fw)[0]:
        found = at(rows if in_table else info, r, c)
        if found != expected and _label(found) != label and not (
                months and isinstance(found, str) and _months_key(found) == _months_key(expected)):
            return sheet, r, c, expected, found
    return None


def _heads_hold(form: Form, fw, info, rows) -> bool:
    """Whether every label stands where `form` puts it, as it says it (check_structure's test, no variant)."""
    return _misplaced(form, fw, info, rows, months=False) is None


def check_structure(form: Form, fw, info, rows, table, problems: list) -> None:
    """Every label must stand where the form puts it; otherwise we would misread.  A form with parameters (a
    monitoring report's month) takes the months a head names said otherwise (_months_key: 1月份, 截至1月, １－６月)."""
    wrong = _misplaced(form, fw, info, rows, months=bool(form.params))
    if wrong is not None:
        sheet, r, c, expected, found = wrong
        problems.append(table.problem("template.altered", sheet=sheet, cell=a1(r, c),
                                      value=found if found is not None else EMPTY[0],
                                      value_en=None if found is not None else EMPTY[1], expected=expected))
        raise Abort
    next_col = _structure(form, fw)[1]
    extra = at(rows, form.table.header_row, next_col)
    if extra is not None:
        problems.append(table.problem("template.altered", sheet=form.table.name,
                                      cell=a1(form.table.header_row, next_col), value=extra, expected=EMPTY[0],
                                      expected_en=EMPTY[1]))
        raise Abort


#: form -> {id(fw): (fw, what check_structure looks at)}: the same for every return of a form and framework
_STRUCTURES: WeakKeyDictionary = WeakKeyDictionary()


def _structure(form: Form, fw) -> tuple:
    """((sheet, row, column, label, the label as compared, whether in the table) of every label the form puts on
    its sheets, the column right of the table's), made once per form and framework."""
    per_form = _STRUCTURES.get(form)
    if per_form is None:
        per_form = _STRUCTURES[form] = {}
    found = per_form.get(id(fw))
    if found is None or found[0] is not fw:
        label_col = form.info.label_col
        checks = [(form.info.name, f.row, label_col, f.label, False) for f in form.fields if not f.in_grid]
        for grid in form.info.grids:
            checks += [(form.info.name, grid.row, label_col, grid.corner, False)]
            checks += [(form.info.name, grid.row + 1 + i, label_col, title, False)
                       for i, (title, _) in enumerate(grid.lines)]
            checks += [(form.info.name, grid.row, form.info.value_col + j, h, False) for j, h in enumerate(grid.headers)]
        columns = form.columns(fw)
        checks += [(form.table.name, form.table.header_row, col.index, col.label, True) for col in columns]
        found = per_form[id(fw)] = (fw, (tuple((sheet, r, c, expected, _label(expected), in_table)
                                               for sheet, r, c, expected, in_table in checks), len(columns)))
    return found[1]


#: An empty cell, as messages show it: zh, en.
EMPTY = ("（空）", "(empty)")
_EXTRA = ("是新增的工作表", "was added")
_SHOWN = ("原为隐藏的下拉选项表，现已取消隐藏", "was hidden (the dropdown lists) and has been unhidden")
_EDITED = ("中的下拉选项被修改", "(the dropdown lists) was edited")


#: Hidden sheets a spreadsheet program adds of its own, no department's doing: passed over when hidden and holding
#: only what the program keeps there (_program_sheet), else said as any sheet added.
#: WpsReserved_CellImgList: WPS's store of the pictures placed in cells (单元格图片, DISPIMG), very hidden: the
#: pictures are drawings on it, its cells hold no value (at most the =DISPIMG("ID_…",1) references to them).
PROGRAM_SHEETS = frozenset({"WpsReserved_CellImgList"})


def _program_sheet(grid: Grid, name: str) -> bool:
    """Whether sheet `name` (one of PROGRAM_SHEETS, hidden) holds only what its program keeps there: no cell value
    but WPS's picture references.  A department's rows kept on a sheet of that name (rows the table lacks, a note)
    are not passed over unread: it is then checked as any other added sheet."""
    try:
        rows = grid.values(name)
    except FileProblem:
        return False
    # LibreOffice's .xls keeps the DISPIMG formula it cannot write as =#N/A with the result 0 (red team 24g 04)
    unkept = getattr(grid.facts.get(grid.real_name(name)), "unkept_formulas", ())
    return all(v in ("", None) or isinstance(v, str) and DISPIMG.fullmatch(v.strip()) or (r, c) in unkept
               for r, row in enumerate(rows) for c, v in enumerate(row))


def check_sheets(grid: Grid, form: Form, fw, table, problems: list) -> None:
    """Sheets added, a form's sheet hidden, or the lists sheet shown or edited: the workbook-structure lock only
    holds in Excel."""
    states, looks = None, _RENAMED_LOOKS  # (added sheets looked into for a copy of the table: at most so many)
    for name in grid.sheet_names:
        if name not in form.sheets and not (name == ANNOTATION_SHEET and reading_annotated_now()):
            if name in PROGRAM_SHEETS:
                states = grid.sheet_states() if states is None else states
                if states.get(name, "visible") != "visible" and _program_sheet(grid, name):
                    continue
            looks -= 1
            copied = _copied_rows(grid, form, fw, name, table) if looks >= 0 else None
            if copied is None and name == ANNOTATION_SHEET and _our_problem_list(grid, name):
                continue  # our annotated copy, saved by LibreOffice as .ods or .xls: its 问题清单 is not the form's
            problems.append(copied or _sheet_problem(table, name, _EXTRA))
    states = grid.sheet_states() if states is None else states
    _hidden_form_sheets(form, states, table, problems)
    if form.lists_sheet not in grid.sheet_names:
        return
    state = states.get(form.lists_sheet)
    if state == "visible":
        problems.append(_sheet_problem(table, form.lists_sheet, _SHOWN))
    if state == "veryHidden":  # as issued: no program shows it to a user, so nobody can have edited it
        return
    try:
        rows = grid.values(form.lists_sheet)
    except Exception:  # the lists are not needed to read the return
        return
    found = {}
    for c, head in enumerate(rows[0] if rows else []):
        if isinstance(head, str) and head:
            found[head] = [r[c] for r in rows[1:] if c < len(r) and r[c] != ""]
    expected = dropdown_lists(form, fw)
    if any(found.get(name) != items for name, items in expected.items()):
        problems.append(_sheet_problem(table, form.lists_sheet, _EDITED))


#: What template.hidden_sheet says of a sheet hidden (Format › Sheet › Hide) and of one very hidden (only a macro or
#: the VBA editor hides or shows one: no menu lists it), zh and en.
_HIDDEN_STATES = {"hidden": ("", ""),
                  "veryHidden": ("（深度隐藏，“取消隐藏”中不列出；请改用原模板填报）",
                                 " (very hidden: no Unhide lists it; fill in the original template instead)")}


def _hidden_form_sheets(form: Form, states: dict, table, problems: list) -> None:
    """template.hidden_sheet (a warning) for each sheet of the form a department fills in (its information sheet
    and its table, as the form declares them) found hidden or very hidden: it is read, but the printed, stamped copy
    lacks it.  `states`: the grid's (sheet_states: .xlsx, .xls and .ods alike)."""
    for name in (form.info.name, form.table.name):
        said = _HIDDEN_STATES.get(states.get(name, "visible"))
        if said is not None:
            problems.append(table.problem("template.hidden_sheet", sheet=name, detail=said[0], detail_en=said[1]))


def _our_problem_list(grid: Grid, name: str) -> bool:
    """Whether sheet `name` (问题清单) is the problem list an annotated copy adds (validate --annotate): its header row
    as _check._annotate writes it (序号 and the problem columns).  An annotated .xlsx is known by its document
    properties and read within ``reading_annotated``; saved by LibreOffice as .ods or .xls (a department correcting
    the copy there) it is read as a return, and only this row tells our sheet from one a department added (a copy of
    the form's table under that name is template.copied_sheet_rows, looked for first)."""
    from .._problems import PROBLEM_COLUMNS
    try:
        rows = grid.values(name)
    except FileProblem:
        return False
    head = [v.strip() if isinstance(v, str) else v for v in (rows[0] if rows else [])]
    while head and head[-1] in ("", None):
        head.pop()
    return head == [GOAL_TABLE.column_label("seq"), *(zh for _, zh, _ in PROBLEM_COLUMNS)]


#: What to do with the rows of a copied table, by whether the form's table takes inserted rows: zh, en.
_MORE_ROWS = {True: ("行不够时在“{table}”中插入行，方法见“填表说明”", "where rows run out, insert rows in '{table}' as the guide sheet says"),
              False: ("“{table}”每条批复的指标一行，不能增加行；需增加指标请联系财政部门",
                      "'{table}' has one row per approved indicator and takes no added rows; ask the finance bureau "
                      "to add an indicator")}


def _copied_rows(grid: Grid, form: Form, fw, name: str, table):
    """template.copied_sheet_rows (error) when sheet `name`, one the department added, is a copy of the form's table
    (at least half its column titles where the form puts them: renamed_sheets' test) holding rows the table does not
    (the department, out of rows, went on there: LibreOffice's Sheet › Duplicate, the structure lock not enforced):
    those rows are not read, so the bureau would lose them.  None for any other sheet, or a copy holding only the
    table's own rows (nothing lost: the added sheet is template.extra_sheet)."""
    if not _has_contents_of(grid, form, form.table.name, name):
        return None
    try:
        rows, ours = grid.values(name), grid.values(form.table.name)
    except FileProblem:
        return None
    columns = [c.index for c in form.columns(fw) if c.key != "seq"]
    total = _label(form.table.total.label) if form.table.total else None

    def line(rs, r):
        return tuple("" if (v := at(rs, r, c)) is None else str(v).strip() for c in columns)

    have = {line(ours, r) for r in range(form.table.first_row, len(ours))}
    new = [r for r in range(form.table.first_row, len(rows))
           if any(got := line(rows, r)) and got not in have
           and not (total and any(_label(v) == total for v in rows[r]))]
    if not new:
        return None
    first = new[0]
    there = line(ours, first)  # (the cell said: the first that is not what the table holds on that row)
    found = [(c, v) for c, v, o in zip(columns, line(rows, first), there) if v and v != o]
    col = (found or [(c, v) for c, v in zip(columns, line(rows, first)) if v])[0][0]
    hint = _MORE_ROWS[bool(form.table.insert_rows)]
    return table.problem("template.copied_sheet_rows", sheet=name, cell=a1(first, col), value=len(new),
                         expected=form.table.name, detail=hint[0].format(table=form.table.name),
                         detail_en=hint[1].format(table=form.table.name))


def _sheet_problem(table, sheet: str, why: tuple[str, str]):
    return table.problem("template.extra_sheet", sheet=sheet, detail=why[0], detail_en=why[1])
