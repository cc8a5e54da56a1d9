"""Read, stage 3: interpret.  The located sheets' cells become the document, plus problems.

Each header field and table column is parsed by its kind's codec (``_form._kinds``).  The
comparator, target and unit cells of a row are read together, since people write a whole
target (``≥85%``) in one cell as often as in three.  Nothing that cannot be read with
confidence is changed silently: it becomes a Problem on its cell, and the raw value stays in
the document where the schema will flag it too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice
from operator import itemgetter
from weakref import WeakKeyDictionary

from .._form import COMPARATOR_DISPLAY, KINDS, Unreadable, a1, col_letter
from .._form._cells import runs as _runs
from .._form._ids import PROPERTY as PROPERTY_IDS, kept_ids
from .._form._model import MADE_WITH, column_ref, made_with_of
from .._form._kinds import _EXCEL_EPOCH, MAX_DATE_SERIAL, MULTIPLIERS as _MULTIPLIERS  # (1.2万: a multiplier, not a unit)
from .._form._kinds import as_json_value, clean_name, clean_text, duration_text, format_number, number_out, parse_number
from .._form._kinds import letter_o_target, number_target, parser_of, split_target
from .._form._kinds import choices_as_listed, parse_actual, rough_figure, rough_meaning, rough_unit, rough_word_en, target_remarks
from .._form._locked import locked_keys, lossy_match, matches, recorded_rows, row_crcs, rows_unchanged
from .._form._locked import shown as locked_shown
from .._form._paper import DEFAULT_ROW_HEIGHT, FONT_SIZE, MAX_ROW_HEIGHT, capacity, needed_height, one_line
from .._form._paper import LEGIBLE_WIDTH, LINE, ROW_SLACK, _per_line, lines_height, prints_whole, row_holds, text_units
from .._decimals import _WIDE as WIDE, round2
from .._pointers import get, put
from .._problems import value_text
from .._text import control_free, escaped, first_listed
from ._grid import at
from ._locate import EMPTY, Located
from ._rowcode import info_reader, one_line_chars, row_reader
from ._safety import MAX_SHEET_COLS, MAX_SHEET_ROWS
from ._screen import DISPIMG, as_libreoffice, font_sizes, libreoffice_shows, otherwise_at, rounded_away, shown_for
from ._screen import not_rendered, shown_figure, shown_number


_LONG = ("longtext",)


def _picture_in(grid, facts, sheet: str, r: int, c: int, raw) -> tuple[str, str] | None:
    """How cell (r, c) holds a picture placed in it, (zh, en), or None: WPS's DISPIMG formula, or Excel 365's
    Place in Cell (an error value #VALUE! with value metadata, ``vm``, pointing at the rich value that holds the
    picture; a linked data type is kept alike, and is no text of a field either).  Either shows a picture where
    the form wants text, which neither the formula's text nor the error value says."""
    if (r, c) in facts.formulas and isinstance(raw, str) and DISPIMG.fullmatch(raw.strip()):
        return "一张图片（WPS“嵌入单元格图片”）", "a picture WPS placed in the cell"
    if (r, c) in facts.errors and grid is not None and grid.rich_value(sheet, r, c):
        return "一张图片（Excel“放置在单元格中”）", "a picture Excel placed in the cell (Place in Cell)"
    return None


#: The kinds of field whose value is a figure the totals and scores are made from: a picture there is an error even
#: where the form declares the field optional (the paper would show a figure the data lacks).
_FIGURE_KINDS = frozenset({"amount", "number"})


def _picture_code(f) -> str:
    """The problem of a picture placed in a cell: ``cell.picture`` (an error: nothing read where a value is needed),
    or, in a header field the form declares optional that holds no figure (a scanned signature in 单位负责人),
    ``cell.picture_optional``, a warning: the paper shows it, the data has the field empty, as it may.  A bureau
    whose rules require the field still has it said blank there (rule.required_field)."""
    optional = f is not None and not f.required and f.kind not in _FIGURE_KINDS
    return "cell.picture_optional" if optional else "cell.picture"


#: The problems saying a cell's text does not print whole for its row (_Cells.beyond_page says no more there)
_ROW_SAID = frozenset({"cell.print_cut", "cell.row_too_short"})
#: A row no printed page is too short for (points): a landscape A5's, of margins of 1 in, is taller
_PAGE_SURELY_HOLDS = 200


class _Cells:
    """Problems on cells, with the field titles of the form; text bounded by the limits."""

    def __init__(self, loc: Located, table, problems: list, limits: dict):
        self.form, self.table, self.problems, self.fw = loc.form, table, problems, loc.fw
        self.units_shown: set[str] = set()  # (Sources.units_shown)
        self.text_limit, self.long_limit = limits["text_chars"], limits["longtext_chars"]
        self._table_facts, self._down = loc.table_facts, None
        self._grid = loc.grid

    def merged_down(self, r: int, c: int) -> int:
        """How many rows below its own a cell of the indicator table is merged over (0: none), as the file merges it
        (its merged ranges made into a lookup once, the first time a text asks)."""
        if self._down is None:
            merged = getattr(self._table_facts, "merged", None) or ()
            self._down = {(r0, c0): r1 - r0 for r0, c0, r1, _ in merged if r1 > r0}
        return self._down.get((r, c), 0)

    def bounded(self, value, kind: str, sheet: str, r: int, c: int, path: str, field: str | None = None):
        """A text value cut to its limit, with a problem on its cell when it was longer."""
        if not isinstance(value, str):
            return value
        limit = self.long_limit if kind in _LONG else self.text_limit
        if len(value) <= limit:
            return value
        self.add("cell.too_long", sheet, r, c, path, field=field or self.form.title_of(path, fw=self.fw),
                 field_en=self.form.title_of(path, "en"), value=value[:limit], expected=str(limit),
                 detail=str(len(value)))
        return value[:limit]

    def printable(self, value: str, width: float, sheet: str, r: int, c: int, path: str, grid=None,
                  merged: bool = False, cut: bool = False, down: int = 0) -> None:
        """A warning on a text too long to print whole in its cell (`width`, as the form declares it): the paper
        the department stamps would lack its end.  With the `grid`, also one on a text its row, as the file gives
        it, is too short for.  Excel, WPS and LibreOffice print a row at the height the file gives it (none grows a
        row when it opens or prints a file): a row of no fixed height is as tall as the application made it as the
        text was typed (in Excel and WPS up to 409 pt), a row of a fixed height (customHeight: set by hand, or by a
        program) kept it, and so, in Excel and WPS, did the row of a `merged` cell.  A text `cut` to its limit
        (cell.too_long) is not held against its row: it is to be shortened first.  A cell merged `down` over the rows
        below its own prints over all of them: their heights together (a row the file gives none at
        the sheet's default height, else DEFAULT_ROW_HEIGHT), which no application grows for the merged cell's text."""
        if len(value) <= one_line_chars(width) and "\n" not in value:
            return  # surely one line, and so printed whole in a row of any height (most texts: told by their length)
        if not prints_whole(value, width):
            self.add("cell.print_cut", sheet, r, c, path, field=self.form.title_of(path, fw=self.fw),
                     field_en=self.form.title_of(path, "en"),
                     value=value[:20] + "…", expected=str(capacity(width)), detail=str(len(value)))
            return
        # told at the normal size first (a smaller one holds what it holds), the file looked at only when that may
        # not do; no height (a row taller than 409 pt, as LibreOffice grows one, or a file that gives none): nothing
        if grid is None or cut or one_line(value, width):
            return
        # the saved height first (one look at the row's tag): a row that holds the text at it holds it at whatever
        # height it may grow to; only a row that does not is asked whether its height is fixed
        height = _rows_height(grid, sheet, r, r + down)
        if height is None or row_holds(value, width, height):
            return
        fixed = merged or bool(down) or grid.row_fixed(sheet, r)
        shown = height if fixed else MAX_ROW_HEIGHT
        if row_holds(value, width, shown):
            return
        size = grid.font_size(sheet, r, c) or FONT_SIZE
        if not row_holds(value, width, shown, size):
            if down:
                why = (f"（第 {r + 1}–{r + down + 1} 行合并的单元格的行高合计，Excel、WPS 不会自动调高）",
                       f" (rows {r + 1}–{r + down + 1} of a merged cell together: Excel and WPS never make them "
                       "taller by themselves)")
            elif merged:
                why = ("（合并单元格的行，Excel、WPS 不会自动调高）", " (the row of a merged cell: Excel and WPS never make it "
                       "taller by themselves)")
            elif fixed and height < MAX_ROW_HEIGHT:
                why = ("（行高已固定，输入文字不会自动调高，打印时按此行高）", " (a fixed height: the row does not grow as text is "
                       "typed, and prints at that height)")
            else:
                why = ("（Excel、WPS 的一行最高 409 磅）", " (a row in Excel and WPS is at most 409 pt)")
            self.add("cell.row_too_short", sheet, r, c, path, field=self.form.title_of(path, fw=self.fw),
                     field_en=self.form.title_of(path, "en"), value=value[:20] + "…",
                     expected=f"{needed_height(value, width, size):.0f}", detail=f"{height:g} 磅{why[0]}",
                     detail_en=f"{height:g} pt{why[1]}")

    def beyond_page(self, sheet: str, r: int, c: int, path: str, grid, down: int = 0) -> None:
        """A warning on a text whose row (with the rows a cell merged `down` spans) the file saves taller than one
        printed page holds below the rows repeated atop every page (Grid.page_room: the sheet's own paper, margins,
        scale and print titles): LibreOffice grows a row past Excel's 409 pt as text is typed, and prints a row
        taller than the page cut at the page's foot, the rest of its text on no page.  Such a row (taller than 409
        pt: no other application makes it) on a sheet fitted to the page's width is judged at LibreOffice's scale,
        which the fonts installed decide: beyond what a page holds even at the smallest (Grid.page_room's
        `widest`), it is said so (that room quoted); beyond Excel's room only, it may print whole or cut
        (cell.row_may_pass_page: check the print preview), not said to be cut.  Not where the row's text is
        already said not to print whole (cell.print_cut, cell.row_too_short)."""
        if grid is None or any(p.code in _ROW_SAID and p.cell == a1(r, c) and p.sheet == sheet
                               for p in self.problems[-2:]):
            return
        height = grid.saved_row_height(sheet, r)
        if height is None or height <= _PAGE_SURELY_HOLDS:
            return  # (most rows: told without the page setup)
        hidden = grid.hidden_rows(sheet)
        if r in hidden:
            return  # a hidden row prints on no page at all (cell.hidden_row says so)
        room = grid.page_room(sheet)
        if room is None:
            return
        page, titles = room
        grown = height > MAX_ROW_HEIGHT  # a row only LibreOffice makes (Excel and WPS stop at 409 pt)
        default = grid.default_row_height(sheet) or DEFAULT_ROW_HEIGHT
        for i in range(r + 1, r + down + 1):
            if i not in hidden:  # (a hidden row of the merge takes no room on the page)
                height += grid.saved_row_height(sheet, i) or default
        repeated = 0.0
        if titles is not None and not titles[0] <= r <= titles[1]:
            repeated = sum(grid.saved_row_height(sheet, i) or default for i in range(titles[0], titles[1] + 1))
        if height <= page - repeated:
            return
        code = "cell.row_beyond_page"
        if grown:  # printed by LibreOffice, at its own scale: the page may hold more than at Excel's
            widest = grid.page_room(sheet, widest=True)
            if widest is not None and height <= widest[0] - repeated:
                code = "cell.row_may_pass_page"  # whole or cut, as the fonts installed make the scale: not known
            elif widest is not None:
                page = widest[0]  # beyond what any page holds in LibreOffice
        self.add(code, sheet, r, c, path, field=self.form.title_of(path, fw=self.fw),
                 field_en=self.form.title_of(path, "en"), value=None, detail=f"{height:g}",
                 expected=f"{page - repeated:.0f}")

    def screen(self, facts, sheet: str, r: int, c: int, raw, path: str, field: str | None = None) -> bool:
        """Report an error value or a formula in an input cell; True when the cell holds no value to read (an error
        value, a formula's text result the file does not keep)."""
        if facts is None:
            return False
        picture = _picture_in(self._grid, facts, sheet, r, c, raw)
        if picture is not None:
            self.add(_picture_code(self.form.find_field(path)), sheet, r, c, path,
                     field=field or self.form.title_of(path, fw=self.fw),
                     field_en=self.form.title_of(path, "en"), value="图片", value_en="a picture",
                     detail=picture[0], detail_en=picture[1])
            return True
        if (r, c) in facts.errors:
            shown = facts.error_texts.get((r, c))  # the value quoted where the file keeps it, else examples of one
            self.add("cell.error_value", sheet, r, c, path, field=field or self.form.title_of(path, fw=self.fw),
                     field_en=self.form.title_of(path, "en"), value=shown,
                     detail=f" {shown}" if shown else "（如 #DIV/0!、#REF!）",
                     detail_en=f" {shown}" if shown else " (such as #DIV/0! or #REF!)")
            return True
        if (r, c) in facts.text_results and not isinstance(raw, str):
            # LibreOffice's .xls keeps the number 0 for a formula's text result: what the cell shows is not in the
            # file, and that 0 is no value (not an amount of 0, not an indicator named "0")
            # (an .xls of a writer not known, a formula that may give a number or a text: asked, not said)
            code = "cell.formula_text_unsure" if (r, c) in facts.text_unsure else "cell.formula_text_unkept"
            self.add(code, sheet, r, c, path,
                     field=field or self.form.title_of(path, fw=self.fw), field_en=self.form.title_of(path, "en"),
                     value="公式，显示的文字未保存", value_en="a formula; the text it shows is not kept")
            return True
        if (r, c) in facts.formulas and raw in ("", None) and self._grid is not None \
                and self._grid.formula_result_unkept(sheet, r, c):
            # a formula saved without its result (<f> and no <v>): clients recompute it and show a value the file
            # does not keep; not “not filled”, and no value to read
            self.add("cell.formula_result_unkept", sheet, r, c, path,
                     field=field or self.form.title_of(path, fw=self.fw), field_en=self.form.title_of(path, "en"),
                     value="公式，计算结果未保存", value_en="a formula; its result is not kept")
            return True
        if (r, c) in facts.formulas:  # its cached value as the cell shows it: 2, not calamine's 2.0
            self.add("cell.formula", sheet, r, c, path, field=field or self.form.title_of(path, fw=self.fw),
                     field_en=self.form.title_of(path, "en"), value=_as_shown(raw, facts, r, c))
        return False

    def unreadable(self, exc: Unreadable, sheet: str, r: int, c: int, raw, path: str, code: str | None = None,
                   field: str | None = None):
        if exc.code in _OWN_CODES:  # (a rough figure in a number column: said as one, not as the column's code)
            code = None
        self.add(code or exc.code, sheet, r, c, path, field=field or self.form.title_of(path, fw=self.fw),
                 field_en=self.form.title_of(path, "en"), value=_as_typed(raw), expected=exc.expected, **exc.extra)

    def add(self, code: str, sheet: str, r: int, c: int, path: str, **kw):
        self._of_item(path, kw)
        self.problems.append(self.table.problem(code, sheet=sheet, cell=a1(r, c), path=path, **kw))

    def _of_item(self, path: str, kw: dict) -> None:
        """A problem on a cell of an indicator row names its indicator, as the rules' messages do: “第4条指标的得分”,
        'indicator 4 score' (``Form.item_label``: by the 序号 its row prints, else its sheet row), in every language,
        so a message read in a list of many (the terminal, a CSV, the 校验结果 sheet) says which row it is."""
        prefix = self.form.table.item_path + "/"
        if not path.startswith(prefix):
            return
        head, _, key = path[len(prefix):].partition("/")
        if not head.isdigit():
            return
        i = int(head)
        zh, en = self.form.item_label(i), self.form.item_label(i, "en")
        if not key:  # the row itself (a hidden row): the indicator
            kw["field"], kw["field_en"] = kw.get("field") or zh, kw.get("field_en") or en
            return
        field = kw.get("field") or self.form.title_of(path, fw=self.fw)
        if not field.startswith(zh):
            kw["field"] = f"{zh}的{field}"
        field_en = kw.get("field_en") or self.form.title_of(path, "en")
        if not field_en.startswith(en):
            field_en = f"{en} {field_en.lower()}"
        kw["field_en"] = field_en


#: What a column's own code for what it cannot read (a score's cell.number) does not replace: a cause of its own.
_OWN_CODES = frozenset({"cell.number_approximate"})


#: A date beyond year 9999, as an .ods keeps a number too large for a date (LibreOffice: 32767-12-31)
_BEYOND_DATES = re.compile(r"\s*[0-9]{5,}-[0-9]{2}-[0-9]{2}(?:T[0-9:.]*)?\s*")


def _as_typed(raw):
    """A cell's value as the department typed it, for a message: a whole number without calamine's ``.0``."""
    if isinstance(raw, float):
        return number_out(raw)  # (1e30 stays the float: int() would give its binary value, …19884624838656)
    if isinstance(raw, timedelta):
        return duration_text(raw)  # as [h]:mm:ss shows it, not Python's "62800000 days, 0:00:00"
    return raw


def _percent_at(facts, r: int, c: int, raw) -> int:
    """The % signs cell (r, c) shows its number `raw` with (each ×100): 0 where its format shows none, 1 for a percent
    format (0%), the count its format's section for that number shows (SheetFacts.percent_sections: [<1]0%;0 shows
    5 with none, 0%% with two); a value that is no number: 1 where the cell is a percent cell."""
    if facts is None or (r, c) not in facts.percent:
        return 0
    sections = facts.percent_sections.get((r, c))
    if sections is None or not isinstance(raw, (int, float)) or isinstance(raw, bool):
        return 1
    return sections.at(raw) or 0


def _signs_shown(signs: int) -> str:
    """The % signs a section that scales by `signs` prints (Percents.shown: 0%"%" scales once and prints two)."""
    return "%" * getattr(signs, "shown", signs)


def _shown_as_percent(raw, facts, r: int, c: int) -> bool:
    """Whether a number is shown as a percent (its cell formatted so, as typing 30% makes it, in the section that
    shows this number)."""
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and _percent_at(facts, r, c, raw) > 0


def _as_shown(raw, facts, r: int, c: int):
    """A cell's value as the department sees it, for a message: a number in a percent cell as its percent (1 is
    100%; 5 under 0%% is 50000%%), any other as typed (2, not 2.0)."""
    signs = _percent_at(facts, r, c, raw) if isinstance(raw, (int, float)) and not isinstance(raw, bool) else 0
    if signs:
        return f"{_percent_text(raw, signs)}{_signs_shown(signs)}"
    return _as_typed(raw)


def interpret(loc: Located, table, sources: dict, problems: list, limits: dict) -> dict:
    form, fw, stamp = loc.form, loc.fw, loc.stamp
    cells = _Cells(loc, table, problems, limits)
    sources.older_labels = form.older_labels
    doc: dict = {"schema_version": "1", "framework": fw.id, "year": stamp["year"]}
    if form.names_itself:
        doc["form"] = form.id
    doc.update(form.bound)  # the form's parameters (a monitoring report's month), from the stamp
    recorded = form.recorded_of(stamp.get("params"))  # what else the stamp says it was made from (points_source)
    if recorded is not None:
        doc[form.recorded[0]] = recorded
    made_with = made_with_of(stamp.get("params"))  # the bureau's rule table and framework version (rules=, fw=)
    if made_with is not None:
        doc[MADE_WITH[0]] = made_with
    info_sheet = form.info.name
    stamp_cell = f"{info_sheet}!{a1(*form.info.stamp_cell)}"  # where the framework, form and parameters were read
    for key in ("framework", *(["form"] if form.names_itself else []), *dict(form.bound),
                *(f"{form.recorded[0]}/{name}" for name in recorded or ()),
                *(f"{MADE_WITH[0]}/{name}" for name in made_with or ())):  # each value the stamp gave
        sources[f"/{key}"] = stamp_cell
    merged = form.info.value_span > 1  # each field's value merged across the span: its row grows in no Excel
    facts = loc.info_facts
    # the fields whose cells hold a formula, an error value, a percent format or one showing the value otherwise
    # (in 万元, or not at all) (none on most returns; a self-evaluation's 执行率 is a formula shown as a percent, but
    # no field): each read by _read_field, screened
    screened: frozenset = frozenset()
    if facts is not None and (facts.errors or facts.formulas or facts.text_results or facts.percent
                              or facts.shown_otherwise):
        found = facts.errors | facts.formulas | facts.text_results | facts.percent | facts.shown_otherwise.keys()
        screened = frozenset(i for i, f in enumerate(form.fields) if (f.row, f.col) in found)
    quiet = not screened  # (a cell not screened: _read_field's screens find nothing there, quiet or not)
    sources.fixed.update(_per_form(form)[1])
    value_width = form.info.printed_value_width
    # the fields read by the form's generated function, each unusual or screened one by _read_field
    info_reader(form)(loc.info, doc, cells.text_limit, cells.long_limit, lambda f, raw: _read_field(
        loc, cells, doc, f, raw, quiet, facts, merged, value_width), screened)
    _iso_dates_shown_as_serials(loc, cells, doc)
    choices_as_listed(form, fw, doc)
    _locked_changed(loc, cells, doc, problems)
    _drop_blank_groups(form, doc)
    _computed_overwritten(loc, cells, doc)
    _caption_overwritten(loc, cells, doc)
    _caption_fits(loc, cells, doc)
    _hidden_columns(loc, cells)
    _hidden_field_rows(loc, cells)
    _fields_under_merges(loc, cells, sources)
    _typed_outside(loc, cells, form.info.name, loc.info, form.info.last_col)
    _typed_below(loc, cells, form.info.name, loc.info, form.info.end_row, form.info.last_col, form.info.stamp_row)
    _typed_outside(loc, cells, form.table.name, loc.table, max(col.index for col in form.columns(fw)))
    items: list = []
    put(doc, form.table.item_path, items)
    _interpret_rows(loc, cells, sources, items)
    _rough_results(loc, cells, sources, items)
    _total_typed(loc, cells, sources, doc)
    _numbers_as_text(loc, cells, sources, doc, items)
    _seq_order(loc, cells, sources)
    _locked_rows_changed(loc, cells, sources, items)
    _locked_blanks_filled(loc, cells, sources, items)
    _control_chars(loc, cells, sources)
    _outside_print_area(loc, cells, sources)
    _paper_shows(loc, cells, sources)
    _narrowed_columns(loc, cells, sources)
    if problems:
        _paths_as_held(form, problems, items)
    if form.table.ids_kept and items:
        _ids_put_back(loc, items)
    sources.units_shown = frozenset(cells.units_shown)
    return doc


def _paths_as_held(form, problems: list, items: list) -> None:
    """A problem at a cell of a column that fills one of two keys (the target: `value` for a number, `text` for a
    word) points where the document holds what was read there: a target read as text (a logical value TRUE, a word
    in a quantitative row, a text cut or screened) at ``/indicators/i/text``, a number at ``/value``, so a script
    joining problems to the document finds the value the message quotes.  The cell's checks name the column's
    first key as they find it; the row's item says which it became."""
    prefix = form.table.item_path + "/"
    twofold = {k: col.item_keys for col in form.table.columns if len(col.item_keys) > 1 for k in col.item_keys}
    for p in problems:
        path = p.path
        if not path.startswith(prefix):
            continue
        head, _, key = path[len(prefix):].partition("/")
        keys = twofold.get(key)
        if keys is None or not head.isdigit() or int(head) >= len(items):
            continue
        item = items[int(head)]
        if isinstance(item, dict) and key not in item:
            held = [k for k in keys if k in item]
            if len(held) == 1:
                p.path = f"{prefix}{head}/{held[0]}"


def _ids_put_back(loc: Located, items: list) -> None:
    """The indicators' own ids the workbook keeps in its document properties (``_form._ids``), each put back on the
    row its names still match (first in the item, as a JSON document gives it); the other rows keep no id (their
    position's, I001 …), as every row of a workbook without the record (or with one that cannot be read)."""
    props = loc.grid.custom_properties()
    if PROPERTY_IDS not in props:  # (most workbooks: one lookup)
        return
    ids = kept_ids(props, items)
    for k, i in enumerate(ids or ()):
        if i is not None and isinstance(items[k], dict):
            items[k] = {"id": i, **{key: v for key, v in items[k].items() if key != "id"}}


#: Control characters no cell of a return should hold, as none is written into a template (``_text.CONTROL_CHAR``,
#: schema.control_char): a text is first told free of them by ``_text.control_free`` (most texts: the pattern is
#: neither compiled nor run); the pattern finds them in a text that may hold one.


def _control_chars(loc: Located, cells: _Cells, sources: Sources) -> None:
    """A control character inside a text the reader read (a name, an indicator, a target, a remark; ESC, NUL, DEL, a
    C1 control, a text-direction override): invisible on screen and paper, or shown as boxes, reordering the text
    around it, garbling a terminal, the summary and file names made from it.  An error at each such cell
    (schema.control_char, as ``fill`` and ``template`` refuse them), the character shown as an escape.  The texts of
    the fields and of the rows read are searched once, joined (one search in C: most files hold none); each cell
    only where that finds one.  A locked cell typed over with one (its value then not as issued) already has its
    error, for the one cause: ``template.locked_changed`` at the cell, ``template.locked_row_changed`` at the row
    (quoting the value found, its control characters escaped in every output); none is added there."""
    form = loc.form
    if loc.info is not None:
        raws = [at(loc.info, f.row, f.col) for f in form.fields]
        if not control_free("".join([v for v in raws if type(v) is str])):
            from .._text import CONTROL_CHAR as control

            sheet = form.info.name
            said = _locked_said(cells, "template.locked_changed")
            for f, raw in zip(form.fields, raws):
                found = control.search(raw) if isinstance(raw, str) else None
                if found and (sheet, a1(f.row, f.col)) not in said:
                    cells.add("schema.control_char", sheet, f.row, f.col, f.path, field=f.label,
                              field_en=form.title_of(f.path, "en"), value=escaped(found))
    table = loc.table
    if table is not None and sources.rows and not control_free(
            "".join([v for r in sources.rows for v in table[r - 1] if type(v) is str])):
        from .._text import CONTROL_CHAR as control

        sheet, base = form.table.name, form.table.item_path
        cols = [col for col in form.columns(loc.fw) if col.kind != "seq"]
        said = _locked_said(cells, "template.locked_row_changed", "template.locked_row_unread")
        name_col = form.column("name", loc.fw).index
        said_at = (name_col, *(col.index for col in cols if col.locked))  # where a row typed over is said
        for i, r in enumerate(sources.rows):
            row = table[r - 1]
            # the row typed over: its locked cells said there (at its 三级指标, or at a formula's or error value's cell)
            row_said = any((sheet, a1(r - 1, c)) in said for c in said_at)
            for col in cols:
                raw = row[col.index] if col.index < len(row) else None
                found = control.search(raw) if isinstance(raw, str) else None
                if found and not (row_said and col.locked):
                    cells.add("schema.control_char", sheet, r - 1, col.index, f"{base}/{i}/{col.item_keys[0]}",
                              field=col.label, field_en=col.label_en, value=escaped(found))


#: What a reader's problem at a cell already says of how it prints (nothing, a scaled amount, a hidden row or
#: column, a text cut by its row): _paper_shows says nothing more there
_PRINT_SAID = frozenset({"cell.format_blank", "cell.amount_scaled", "cell.number_scaled", "cell.print_cut",
                         "cell.row_beyond_page", "cell.row_may_pass_page",
                         "cell.row_too_short", "cell.hidden_row", "cell.amount_percent", "cell.number_percent",
                         "cell.error_value", "cell.amount_decimals", "template.locked_changed",
                         "template.locked_row_changed"})


@lru_cache(maxsize=4096)  # (the same scores and amounts under the same formats, return after return of a batch)
def _shown_rounded(code: str, number) -> tuple:
    """(shown_figure, rounded_away) of `number` under the format `code` (a fraction's, # ?/8, too: 2/8 for 0.3)."""
    return shown_figure(code, number), rounded_away(code, number)


_PLAIN_FIXED = re.compile(r"(#,##0|0)(?:\.(0{1,30}))?(%?)")  # 0, 0.00, #,##0.00, 0%, 0.00%: the templates' formats


@lru_cache(maxsize=256)
def _plain_fixed(code: str) -> tuple | None:
    """(decimal places, 1 where it shows a percent, 1 where it groups thousands) of a fixed-decimal format of one
    plain section (_PLAIN_FIXED); None for any other (shown_number and rounded_away tell those)."""
    m = _PLAIN_FIXED.fullmatch(code)
    return (len(m[2] or ""), 1 if m[3] else 0, 1 if m[1] != "0" else 0) if m else None


def _plain_units(code: str, number, typed: bool) -> int | None:
    """At least the units `number` shows in under the fixed-decimal format `code` (shown_number), told from its
    decimal digits without rendering it, where it surely shows every decimal it has (rounded_away None) or, not
    `typed`, the rounding is not warned: its sign, its integer digits (one more a rounding may carry), their
    thousands separators, the point and the decimals, the %.  None where not sure: shown_number and rounded_away
    say."""
    plain = _plain_fixed(code)
    if plain is None:
        return None
    places, percent, grouped = plain
    exact = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    exponent = exact.as_tuple().exponent
    if not isinstance(exponent, int):  # (inf, nan)
        return None
    whole = exponent + 2 * percent >= -places  # (no digit beyond the shown decimals: nothing rounded)
    if typed and not whole:
        return None  # (rounded_away tells whether the digits beyond are all zero)
    digits = max(exact.adjusted() + 2 * percent, 0) + (1 if whole else 2)
    return exact.is_signed() + digits + grouped * (digits - 1) // 3 + (places + 1 if places else 0) + percent


def _english(form, path, label_en):
    """A field's English title: `label_en` where one is known, else the form's title of `path` (made only where a
    problem is said)."""
    return form.title_of(path, "en") if label_en is None and path else label_en


def _paper_shows(loc: Located, cells: _Cells, sources: Sources) -> None:
    """Where the screen and the stamped paper show a value of the form otherwise than it is read, by the cell's
    style (an .xlsx's: _grid.Grid.cell_look), a warning at the cell (red team 25j), each at most once a cell:

    - ``cell.font_hidden``: a font the colour of its background (white on white, pasted or set to 'hide' it; a
      theme's colours read from the file's theme1.xml, tints applied: _screen.cell_looks): the value cannot be seen,
      as a ;;; format hides it (cell.format_blank);
    - ``cell.font_tiny``: a font smaller than the rule's ``points`` (a 1 pt font, set to 'hide' a figure or pasted
      with its format): nothing legible prints there, while the value is read.  Its size is the style's, from the
      sizes font_sizes read from styles.xml (a cell of such a style is looked at whatever else its style is);
    - ``cell.number_hashes``: a number its format shows (shown_number: 146,407,273.00) wider than its column (one
      narrowed to fit the page): Excel, WPS and LibreOffice print ### (a General format shows fewer decimals
      instead; cell.hidden_column says a column of no width);
    - ``cell.number_rounded``: an input whose format shows fewer decimals than its value has (89.6 pasted under
      ``0`` prints 90; 0.846 under ``0%`` 85%): the value read (kept exact) and the paper disagree.  Not of a
      computed cell, whose format rounds by design (执行率 0.00%);
    - ``cell.text_unwrapped``: a text wrap is off for (自动换行 toggled, a paste with its format) that is wider
      than its cell and the empty cells to its right within the form (into which Excel and LibreOffice let it run
      on): one line prints, cut at the cell's edge.  Measured as the forms' rows are (_paper: units per line at the
      cell's font size; a text is passed over unlooked-at only where it surely takes one line at its style's size).

    A wrapped text of a column the file narrows is _narrowed_columns'."""
    grid = loc.grid
    looks = grid.looks() if grid is not None else ()  # () where not an .xlsx or no styles part
    if not looks:
        return
    hiding = any(look.hidden for look in looks)  # (none in most files: a short text's style then never looked up)
    # (the font size of each style, parsed once a template; the largest a cell of the file may have: a line of a
    # column holds the fewest units at it)
    sizes = font_sizes(grid.container.parts.get(grid.styles_part))  # (there: the looks are read from it)
    biggest = _biggest_font(sizes)
    legible = cells.table.params_of("cell.font_tiny").get("points")  # (None: a table without the row)
    # the styles of a font too small to read (none in most files: no cell looked up for them)
    tiny = frozenset(str(i) for i, size in enumerate(sizes) if size is not None and size < legible) \
        if legible is not None else frozenset()
    form = loc.form
    said = {(p.sheet, p.cell) for p in cells.problems if p.code in _PRINT_SAID}
    spots = []  # (sheet, rows, r, c, path, label, label_en, typed, last column of the form)
    info = form.info
    # the cells whose style may print a value otherwise than it is read, at C speed (_screen.paper_styles: the
    # templates' few no-wrap, fixed-decimal and hiding styles, and any of a tiny font); every other cell's look says
    # nothing: not looked up
    maybe = (lambda name: grid.paper_cells(name, tiny)) if tiny else grid.paper_cells
    styled = {}  # sheet -> its suspect cells' styles (paper_cells)
    if loc.info is not None:
        suspect, info_last = maybe(info.name), info.last_col
        styled[info.name] = suspect
        for f in form.fields:
            if (f.row, f.col) in suspect:
                spots.append((info.name, loc.info, f.row, f.col, f.path, f.label, None, not f.locked, info_last))
        for g in info.grids:
            for r, c, cell in g.computed:
                if (r, c) in suspect:
                    spots.append((info.name, loc.info, r, c, "",
                                  f"{g.lines[r - g.row - 1][0]}{g.headers[c - info.value_col]}", cell.title_en or None,
                                  False, info_last))
    table = loc.table
    if table is not None:
        sheet, base = form.table.name, form.table.item_path
        columns = form.columns(loc.fw)
        last = max(col.index for col in columns)
        suspect = styled[sheet] = maybe(sheet)
        suspect_cols = {c for _, c in suspect}
        columns = [col for col in columns if col.kind != "seq" and col.index in suspect_cols]
        for i, r in enumerate(sources.rows):
            for col in columns:
                if (r - 1, col.index) in suspect:
                    spots.append((sheet, table, r - 1, col.index, f"{base}/{i}/{col.item_keys[0]}", col.label,
                                  col.label_en, not col.locked, last))
        total = sources.total_formula or sources.total_typed
        if total is not None and form.table.total is not None and tuple(total[:2]) in suspect:
            spots.append((sheet, table, total[0], total[1], form.table.total.path, form.table.total.label,
                          form.table.total.label_en, False, last))
    if not spots:
        return
    boxes: dict = {}
    hidden = {name: grid.hidden_rows(name) for name in {spot[0] for spot in spots}}  # (cell.hidden_row's)
    for sheet, rows, r, c, path, label, label_en, typed, last_col in spots:
        raw = at(rows, r, c)
        if raw is None or raw == "" or isinstance(raw, bool) or r in hidden[sheet] or (sheet, a1(r, c)) in said:
            continue
        number = isinstance(raw, (int, float))
        if not number and not (isinstance(raw, str) and raw.strip()):
            continue
        # the cell's style as paper_cells read it from its tag (written plainly, it is one of the file's paper styles:
        # an index of `looks`): its look and font size taken by that index, as cell_look and font_size read them
        # from the tag (each a search of the sheet's cell tags, all placed at once from the second cell asked); a
        # style not written plainly (None) is read from the tag as before
        s = styled[sheet].get((r, c))
        own = (sizes[int(s)] if s.isdigit() and int(s) < len(sizes) else None) if s is not None else None
        small = None  # the cell's font size where it is too small to read
        if tiny:
            small = own if s is not None else grid.font_size(sheet, r, c)
            small = small if small is not None and small < legible else None
        if not number and not hiding and small is None and "\n" not in raw:
            # surely one line in its own column at its style's font size (the largest of the file where its style
            # is not written plainly), and no font hides it: nothing to look up
            quick = own if s is not None else biggest
            if 2 * len(raw) <= _per_line(grid.column_width(sheet, c), quick or FONT_SIZE):
                continue
        look = looks[int(s)] if s is not None else grid.cell_look(sheet, r, c)
        if look is None:
            continue
        if look.hidden:
            label_en = _english(form, path, label_en)
            found = str(_as_typed(raw))
            cells.add("cell.font_hidden", sheet, r, c, path, field=label, field_en=label_en,
                      value=found if len(found) <= 40 else found[:40] + "…", detail=look.hidden[0],
                      printed=look.hidden[1], expected="字体颜色：自动", expected_en="font colour: Automatic")
            continue
        if small is not None:
            label_en = _english(form, path, label_en)
            found = str(_as_typed(raw))
            cells.add("cell.font_tiny", sheet, r, c, path, field=label, field_en=label_en,
                      value=found if len(found) <= 40 else found[:40] + "…", detail=format_number(small),
                      printed=format_number(legible), expected=f"{format_number(FONT_SIZE)} 磅",
                      expected_en=f"{format_number(FONT_SIZE)} pt")
            continue
        if look.shrink or (number and look.code is None) or (not number and look.wrap):
            continue
        if sheet not in boxes:
            boxes[sheet] = {(b[0], b[1]): b for b in grid.merges(sheet)}
        box = boxes[sheet].get((r, c))
        width = sum(grid.column_width(sheet, k) for k in range(c, (box[3] if box else c) + 1))
        if width < LEGIBLE_WIDTH:
            continue  # a column of no width: cell.hidden_column
        units = _plain_units(look.code, raw, typed) if number else None
        if units is not None and units <= _per_line(width, biggest):
            continue  # (no font size of the file makes it ###, and it shows every decimal it has)
        size = (own if s is not None else grid.font_size(sheet, r, c)) or FONT_SIZE
        if units is not None and units <= _per_line(width, size):
            continue
        if number:
            try:
                shown, rounded = _shown_rounded(look.code, raw)
            except ArithmeticError:  # 1e308 at 0.00 places: beyond Decimal's precision (no text to measure)
                continue
            rounded = rounded if typed else None
            if shown is None:
                if rounded is None or rounded[0] is not None:
                    continue
            elif text_units(shown) > _per_line(width, size):
                label_en = _english(form, path, label_en)
                cells.add("cell.number_hashes", sheet, r, c, path, field=label, field_en=label_en,
                          value=_as_typed(raw), detail=shown, expected=str(text_units(shown)),
                          area=col_letter(c) if not box else f"{col_letter(c)}–{col_letter(box[3])}",
                          printed=f"{width:.4g}")
                continue
            if rounded is not None:
                if shown is None:  # (not rendered: its decimals lost, the text unknown)
                    detail = "…"
                    shown_as = f"时舍入了小数：屏幕和打印件上不是 {rounded[1]}"
                    shown_as_en = (f" with fewer decimals than it has: the screen and the printed copy do not "
                                   f"say {rounded[1]}")
                else:
                    detail = rounded[0]
                    shown_as = f"为“{rounded[0]}”：屏幕和打印件上是“{rounded[0]}”"
                    shown_as_en = f" as '{rounded[0]}': the screen and the printed copy say '{rounded[0]}'"
                label_en = _english(form, path, label_en)
                cells.add("cell.number_rounded", sheet, r, c, path, field=label, field_en=label_en,
                          value=_as_typed(raw), shown=rounded[1], detail=detail, area=look.code,
                          shown_as=shown_as, shown_as_en=shown_as_en,
                          expected=f"显示 {rounded[1]}（数字格式为常规）", expected_en=f"{rounded[1]} shown (number format General)")
            continue
        text = raw.strip()
        room = width
        if not box:  # a text runs on into the empty cells to its right, up to the form's last column
            row = rows[r] if r < len(rows) else ()
            for k in range(c + 1, last_col + 1):
                if (k < len(row) and row[k] not in ("", None)) or (r, k) in boxes[sheet] or \
                        any(b[0] <= r <= b[2] and b[1] <= k <= b[3] for b in boxes[sheet].values()):
                    break
                room += grid.column_width(sheet, k)
        per_line = _per_line(room, size)
        if "\n" not in text and text_units(text) <= per_line:
            continue
        first = text.split("\n", 1)[0]
        shown, units = [], 0
        for ch in first:
            units += text_units(ch)
            if units > per_line:
                break
            shown.append(ch)
        label_en = _english(form, path, label_en)
        cells.add("cell.text_unwrapped", sheet, r, c, path, field=label, field_en=label_en,
                  value=text[:20] + "…", detail=("…" if len(shown) > 12 else "") + "".join(shown[-12:]), printed=str(len(text)),
                  expected=str(per_line // 2), expected_en=str(per_line // 2))


def _biggest_font(sizes) -> float:
    """The largest font size (points) among a file's styles' `sizes` (_screen.font_sizes; None where a style gives
    none), and at least FONT_SIZE: a line of a column holds the fewest units at it."""
    return max([size for size in sizes if size] + [FONT_SIZE])


def _rows_height(grid, sheet: str, r: int, last: int) -> float | None:
    """The height (points) the file gives row `r` (Grid.row_height: None where it gives none); with the rows below
    it to `last` (those a merged cell spans), their sum, a row of no height of its own at the sheet's default."""
    height = grid.row_height(sheet, r)
    if last > r:
        default = grid.default_row_height(sheet) or DEFAULT_ROW_HEIGHT  # (the sheet's, where the file gives it)
        height = sum(h if h is not None else default
                     for h in (height, *(grid.row_height(sheet, i) for i in range(r + 1, last + 1))))
    return height


def _narrowed_columns(loc: Located, cells: _Cells, sources: Sources) -> None:
    """``cell.row_too_short`` at a wrapped text of a column the file makes narrower than the form's (dragged
    narrower to fit the page, or to make room): its lines counted at the file's width, not the form's, at the cell's
    font size.  The rows were made for the form's width (the indicator table's rows one line, 18 pt, fixed); a text
    that fit there takes more lines in the narrowed column, and its row prints them cut at the height the file
    saved: a row of a fixed height (customHeight) or of a merged cell, and a row of no fixed height as well, which
    LibreOffice grows neither when the column is narrowed (Format › Columns › Width) nor when it prints (seen in
    test_mendCC: unlike a text typed into such a row, which printable takes the row as grown for).  A row the file
    gives no height is not judged.  Only the columns narrower than the form's are looked at (most files: none,
    told from the widths of the form's few columns), and in them only a text longer than one line at the largest
    font of the file; a cell whose text does not wrap is _paper_shows's (cell.text_unwrapped), one that shrinks to
    fit prints whole.  A text said cut already (printable at the form's width, or another print warning) is not
    said again."""
    grid, form = loc.grid, loc.form
    if grid is None or grid.kind != "xlsx":
        return
    spots = []  # (sheet, rows, r, c, path, label, label_en, the form's width)
    table = loc.table
    if table is not None:
        sheet, base = form.table.name, form.table.item_path
        columns = form.columns(loc.fw)
        narrowed = grid.narrower(sheet, tuple((col.index, col.width) for col in columns if col.kind != "seq"))
        narrowed = [col for col in columns if col.index in narrowed]
        for i, r in enumerate(sources.rows if narrowed else ()):
            for col in narrowed:
                spots.append((sheet, table, r - 1, col.index, f"{base}/{i}/{col.item_keys[0]}", col.label,
                              col.label_en, col.width))
    info = form.info
    declared = info.printed_value_width
    if loc.info is not None and grid.narrower(info.name, tuple(enumerate(info.value_widths, info.value_col))):
        for f in form.fields:
            if not f.in_grid:
                spots.append((info.name, loc.info, f.row, f.col, f.path, f.label, None, declared))
    if not spots:
        return
    said = {(p.sheet, p.cell) for p in cells.problems
            if p.code in _PRINT_SAID or p.code in ("cell.text_unwrapped", "cell.font_hidden", "cell.font_tiny",
                                                   "cell.hidden_column")}
    biggest = _biggest_font(font_sizes(grid.container.parts.get(grid.styles_part)))
    boxes: dict = {}
    hidden: dict = {}
    for sheet, rows, r, c, path, label, label_en, width_declared in spots:
        raw = at(rows, r, c)
        if not isinstance(raw, str) or (sheet, a1(r, c)) in said:
            continue
        text = raw.strip()
        if not text:
            continue
        if sheet not in boxes:
            boxes[sheet] = {(b[0], b[1]): b for b in grid.merges(sheet)}
            hidden[sheet] = grid.hidden_rows(sheet)
        box = boxes[sheet].get((r, c))
        width = sum(grid.column_width(sheet, k) for k in range(c, (box[3] if box else c) + 1))
        if width >= width_declared or width < LEGIBLE_WIDTH or r in hidden[sheet]:
            continue  # (as the form made it, or wider: printable's; of no width: cell.hidden_column)
        if "\n" not in text and 2 * len(text) <= _per_line(width, biggest):
            continue  # surely one line at any font size of the file
        look = grid.cell_look(sheet, r, c)
        if look is None or not look.wrap or look.shrink:
            continue
        size = grid.font_size(sheet, r, c) or FONT_SIZE
        per_line = max(2, _per_line(width, size))  # (a Chinese character takes a line of its own however narrow)
        lines = sum(max(1, -(-text_units(para) // per_line)) for para in text.split("\n"))
        if lines < 2:
            continue
        last = box[2] if box else r
        height = _rows_height(grid, sheet, r, last)
        if height is None:
            continue
        if lines <= height / (LINE * size / FONT_SIZE) * ROW_SLACK:
            continue
        if last > r:
            why = (f"第 {r + 1}–{last + 1} 行合并的单元格的行高合计，Excel、WPS 不会自动调高",
                   f"rows {r + 1}–{last + 1} of a merged cell together: Excel and WPS never make them taller by "
                   "themselves")
        elif box is not None:
            why = ("合并单元格的行，Excel、WPS 不会自动调高", "the row of a merged cell: Excel and WPS never make it taller "
                   "by themselves")
        elif grid.row_fixed(sheet, r):
            why = ("行高已固定，打印时按此行高", "a fixed height: it prints at that height")
        else:  # (LibreOffice narrowing a column grows no row, and prints each at the height saved)
            why = ("调窄列宽后此行未随之调高，打印时按此行高", "the row did not grow as the column was narrowed, and prints at "
                   "that height")
        cells.add("cell.row_too_short", sheet, r, c, path, field=label, field_en=_english(form, path, label_en),
                  value=text[:20] + "…" if len(text) > 20 else text, expected=f"{lines_height(lines, size):.0f}",
                  detail=f"{height:g} 磅（{why[0]}；该列已调窄为 {width:.3g} 个字符宽，窄于模板的 {width_declared:g}，"
                         f"文字自动换行后占 {lines} 行：也可加宽该列）",
                  detail_en=f"{height:g} pt ({why[1]}; the column is narrowed to {width:.3g} characters, narrower "
                            f"than the template's {width_declared:g}, and the text wraps to {lines} lines: or widen "
                            "the column)")


def _locked_said(cells: _Cells, *codes: str) -> set:
    """(sheet, cell) of each problem of `codes` (a locked value typed over) said so far."""
    return {(p.sheet, p.cell) for p in cells.problems if p.code in codes}


def _iso_dates_shown_as_serials(loc: Located, cells: _Cells, doc: dict) -> None:
    """A date field stored as an ISO date (t="d") in a cell of no date format (General, @): every client shows and
    prints its serial (43831), as a serial stored as a number there (cell.date_serial, as _read_field says of it).
    One search of the information sheet's part where no cell is stored so (most files)."""
    grid, sheet = loc.grid, loc.form.info.name
    if grid is None:
        return
    typed = grid.iso_date_cells(sheet)  # (none but in an .xlsx)
    if not typed:
        return
    for f in loc.form.fields:
        value = get(doc, f.path) if f.kind == "date" and (f.row, f.col) in typed else None
        if isinstance(value, str) and len(value) == 10 and grid.shows_date(sheet, f.row, f.col) is False:
            try:
                serial = (date.fromisoformat(value) - _EXCEL_EPOCH).days
            except ValueError:  # no such day (2020-13-45 kept as written): cell.date_no_such_day has said so
                continue
            cells.add("cell.date_serial", sheet, f.row, f.col, f.path, field=f.label,
                      field_en=loc.form.title_of(f.path, "en"), value=serial, expected=value)




def _read_field(loc: Located, cells: _Cells, doc: dict, f, raw, quiet: bool, facts, merged: bool,
                value_width: float) -> None:
    """One field of the information sheet (`raw`, its cell's value) read into `doc`, with every problem its cell may
    have.  `quiet`: the sheet has no formula, error value or percent format (nothing to screen)."""
    form, stamp, info_sheet = loc.form, loc.stamp, loc.form.info.name
    if not quiet and cells.screen(facts, info_sheet, f.row, f.col, raw, f.path, f.label):
        put(doc, f.path, None)
        return
    if isinstance(raw, bool):  # a native boolean (t="b"): Excel and WPS show and print it TRUE / FALSE
        raw = "TRUE" if raw else "FALSE"
        if f.kind == "bool":  # no 是/否 on the stamped paper: as LibreOffice's re-save of it (=TRUE()) reads
            cells.unreadable(Unreadable("cell.bool"), info_sheet, f.row, f.col, raw, f.path, field=f.label)
        else:  # no text or number typed (LibreOffice may show 1): kept as TRUE, said once, as in an indicator cell
            cells.add("cell.logical_value", info_sheet, f.row, f.col, f.path, field=f.label,
                      field_en=form.title_of(f.path, "en"), value=raw)
        put(doc, f.path, raw)
        return
    shown = None if quiet else _percent_shown(cells, facts, f.kind, info_sheet, f.row, f.col, raw, f.path,
                                              f.label, None)
    if shown is not None:
        put(doc, f.path, shown if _PERCENT_SHOWN[f.kind][1] else None)
        return
    otherwise = None if quiet else facts.shown_otherwise.get((f.row, f.col))
    if otherwise is not None and _shown_otherwise(cells, doc, f, info_sheet, raw, otherwise):
        return
    if f.kind == "amount" and _fraction_of_a_yuan(raw):
        # “50%” typed where the cell keeps its #,##0.00 (LibreOffice and Excel keep a number format set on the
        # cell): 0.5, no percent format left to tell it by, and no amount of a project is a fraction of one 元
        cells.add("cell.amount_fraction", info_sheet, f.row, f.col, f.path, field=f.label,
                  field_en=form.title_of(f.path, "en"), value=_as_typed(raw), detail=f"{_percent_text(raw)}%")
        try:  # 12.5% typed: 0.125, a fraction of a fen too, an error as 5.125 is (no amount beyond the fen is taken)
            parser_of(f)(raw)
        except Unreadable as exc:
            cells.unreadable(exc, info_sheet, f.row, f.col, raw, f.path, field=f.label)
        put(doc, f.path, as_json_value(raw))  # kept as read, a warning: the rules and the summary see it
        return
    try:
        value = stamp["year"] if f.kind == "year" and raw is None else parser_of(f)(raw)
    except Unreadable as exc:
        code = "cell.date_out_of_range" if f.kind == "date" and isinstance(raw, str) \
            and _BEYOND_DATES.fullmatch(raw) else None  # an .ods's 20200305 typed into the date cell
        cells.unreadable(exc, info_sheet, f.row, f.col, raw, f.path, field=f.label, code=code)
        value = as_json_value(raw)  # keep what was there (as JSON can hold it): the schema flags it too
    else:
        # 20200305 typed into the date cell: it shows ####, not the date (a cell of another format shows it)
        if f.kind == "date" and value is not None and isinstance(raw, (int, float)) and not isinstance(raw, bool) \
                and raw > MAX_DATE_SERIAL and (loc.grid is None or loc.grid.shows_date(info_sheet, f.row, f.col)
                                               is not False):
            cells.add("cell.date_digits", info_sheet, f.row, f.col, f.path, field=f.label,
                      field_en=form.title_of(f.path, "en"), value=_as_typed(raw), expected=value)
        # a date's serial (43831) in a cell of no date format (General, @: pasted so): it shows and prints 43831
        # (where its format shows nothing, ;;;, cell.format_blank has said so); 20200305 so shown reads as the
        # date it is, and is no serial (test_config_load)
        elif f.kind == "date" and value is not None and isinstance(raw, (int, float)) \
                and not isinstance(raw, bool) and raw <= MAX_DATE_SERIAL and loc.grid is not None \
                and (otherwise is None or otherwise[0] != "blank") \
                and loc.grid.shows_date(info_sheet, f.row, f.col) is False:
            cells.add("cell.date_serial", info_sheet, f.row, f.col, f.path, field=f.label,
                      field_en=form.title_of(f.path, "en"), value=_as_typed(raw), expected=value)
    whole = value
    value = cells.bounded(value, f.kind, info_sheet, f.row, f.col, f.path, f.label)
    if isinstance(value, str) and not f.in_grid:
        cells.printable(value, value_width, info_sheet, f.row, f.col, f.path, loc.grid, merged,
                        cut=value is not whole)
        cells.beyond_page(info_sheet, f.row, f.col, f.path, loc.grid)
    put(doc, f.path, value)


def _total_typed(loc: Located, cells: _Cells, sources: Sources, doc: dict) -> None:
    """A total line's cell (总分) typed over: the printed form shows the number typed, not its formula's.  Where that
    number is what the formula gives over the values read (资金得分 + every 得分, rounded to cents, as ROUND(N()+SUM())
    takes them), a warning (``cell.computed_overwritten``); where it is not, the stamped total is not the sum of the
    scores printed above it: an error (``cell.total_not_sum``) with both numbers.  A formula put in the template's
    place (``=100``) whose result is not the template's formula's over the cells as they stand: the same error of the
    form, said as a formula changed (``cell.computed_formula_changed``, _formula_changed)."""
    total, sheet = loc.form.table.total, loc.form.table.name
    if sources.total_formula is not None:  # a formula there: the template's, or one put in its place (=100)
        r, c, result = sources.total_formula
        changed = _formula_changed(loc, total.cell, result, range(loc.form.table.first_row, r))
        if changed is not None:
            cells.add("cell.computed_formula_changed", sheet, r, c, total.path, field=total.label,
                      field_en=total.label_en, value=changed[0], expected=changed[1])
    if sources.total_typed is None:
        return
    r, c, typed = sources.total_typed
    item_path = loc.form.table.item_path
    values = []
    for ref in total.cell.refs:
        key = column_ref(ref, item_path)
        values.append([it.get(key) for it in get(doc, item_path) or [] if isinstance(it, dict)] if key is not None
                      else get(doc, ref))
    expected = total.cell.value(values, dict(loc.form.bound)) if total.cell.value is not None else None
    found = typed if isinstance(typed, (int, float)) and not isinstance(typed, bool) else _score_in_text(typed)
    if found is not None and math.isfinite(found) and expected is not None \
            and round2(Decimal(repr(found))) != round2(Decimal(repr(expected))):  # as the formula's ROUND(…, 2)
        cells.add("cell.total_not_sum", sheet, r, c, total.path, field=total.label, field_en=total.label_en,
                  value=_as_typed(typed), expected=format_number(expected))
        return
    cells.add("cell.computed_overwritten", sheet, r, c, "", field=total.label,
              value=_as_typed(typed) if typed != "" else "")


def _score_in_text(typed) -> int | float | None:
    """The number a total typed over as text prints, where the text is one and nothing else, as a number field reads
    it (95, kept as text), or one followed by the unit 分 (95分, 95.5 分, full-width ９５ 分): the stamped total, compared
    with the scores as a number typed is; None for any other text (九十五, 优秀), said as typed over only."""
    if not isinstance(typed, str):
        return None
    text = unicodedata.normalize("NFKC", typed).strip()
    text = text[:-1].rstrip() if text.endswith("分") else text
    try:
        return parse_number(text) if text else None
    except Unreadable:
        return None


_SEQ_SHOWN = 30  # the 序号 a message lists, top to bottom, before “…”
_SEQ_NAMED = 10  # the 序号 out of order it names


def _seq_order(loc: Located, cells: _Cells, sources: Sources) -> None:
    """The 序号 printed on the indicator rows, read top to bottom, should rise: rows sorted, moved or copied once
    the protection was off print them scrambled (3, 1, 2) or twice, and the stamped paper no longer reads in
    order.  One warning (``cell.seq_order``), at the first 序号 out of place, listing them as printed.  A row
    left blank or deleted (a number skipped) and a row inserted (no number) are the department's to make."""
    seq = loc.form.find_column("seq", loc.fw)
    if seq is None:
        return
    printed = [(row, n) for row, n in zip(sources.rows, sources.printed) if n is not None]
    if len(printed) < 2:
        return
    numbers = [n for _, n in printed]
    if numbers[0] > 0 and numbers == sorted(set(numbers)):  # rising, none twice (most tables): told in C
        return
    if _seq_changed(loc, cells, seq, printed):
        return
    highest, seen, late, twice, first = 0, set(), [], [], None
    for row, n in printed:
        if n in seen:
            twice.append(n)
        elif n < highest:
            late.append(n)
        if n <= highest and first is None:
            first = row
        seen.add(n)
        highest = max(highest, n)
    if first is None:
        return
    shown = "、".join(map(str, numbers[:_SEQ_SHOWN])) + ("…" if len(numbers) > _SEQ_SHOWN else "")
    shown_en = ", ".join(map(str, numbers[:_SEQ_SHOWN])) + (" …" if len(numbers) > _SEQ_SHOWN else "")

    def listed(ns, sep):
        ns = list(dict.fromkeys(ns))
        return sep.join(map(str, ns[:_SEQ_NAMED])) + ("…" if len(ns) > _SEQ_NAMED else "")

    why = [f"序号 {listed(late, '、')} 排在比它大的序号之后"] if late else []
    why += [f"序号 {listed(twice, '、')} 重复出现"] if twice else []
    why_en = [f"{listed(late, ', ')} after a larger number"] if late else []
    why_en += [f"{listed(twice, ', ')} printed twice"] if twice else []
    cells.add("cell.seq_order", loc.form.table.name, first - 1, seq.index, "", field=seq.label, field_en=seq.label_en,
              value=shown, value_en=shown_en, detail="；".join(why), detail_en="; ".join(why_en))


def _seq_changed(loc: Located, cells: _Cells, seq, printed: list) -> bool:
    """One 序号 typed over (17 → 99) among numbers otherwise rising: a warning at that cell (``cell.seq_changed``),
    saying what its neighbours print and what it would read, rather than cell.seq_order's sort at the row below it
    (18 … 27 named “after a larger number”, the mistyped cell unnamed).  Told from a row moved by the gap: the
    number typed over leaves its own number missing, exactly where it stands (16, 99, 18: 17), and is printed by no
    other row; a row moved leaves its gap where it was, a row copied prints a number twice (cell.seq_order, as
    before).  True when said."""
    numbers = [n for _, n in printed]
    last = len(numbers) - 1
    for k, n in enumerate(numbers):
        rest = numbers[:k] + numbers[k + 1:]
        if not (rest[0] > 0 and all(a < b for a, b in zip(rest, rest[1:]))) or n in rest:
            continue
        prev, following = (numbers[k - 1] if k else None), (numbers[k + 1] if k < last else None)
        if prev is not None and following is not None:
            expected = prev + 1 if following - prev == 2 else None
        else:  # (the last row: one typed over lower prints a number another row prints too, or one skipped by a
            # row moved there, 1, 2, 4 … 27, 3: neither told from a sort)
            expected = 1 if prev is None and following == 2 else None
        if expected is None or expected == n:
            return False
        row = printed[k][0]
        around = numbers[max(k - 2, 0):k + 3]
        shown = ("…" if k > 2 else "") + "、".join(map(str, around)) + ("…" if k + 3 <= last else "")
        shown_en = ("… " if k > 2 else "") + ", ".join(map(str, around)) + (" …" if k + 3 <= last else "")
        cells.add("cell.seq_changed", loc.form.table.name, row - 1, seq.index, "", field=seq.label,
                  field_en=seq.label_en, value=n, expected=str(expected), detail=shown, detail_en=shown_en)
        return True
    return False


def _locked_blanks_filled(loc: Located, cells: _Cells, sources: Sources, items: list) -> None:
    """A column open on one kind of row only (完成等级: qualitative rows) is locked and blank on the others in a
    template made from approved rows; a value there (未达成年度指标且效果较差 beside a quantitative row's full points)
    was typed once the protection was off, and the stamped paper shows it.  An error at the cell
    (``template.locked_blank_filled``), as any locked cell changed is; the value is read as it stands.  Only rows as
    issued are judged (a row whose locked values changed has its own error, and its kind may be what changed)."""
    form = loc.form
    if form.table.insert_rows or loc.grid is None:
        return
    found = []  # (item, row, column) of a cell written on a row of the other kind (none on most returns)
    for col in form.columns(loc.fw):
        if col.rows is None:
            continue
        for i, (row, item) in enumerate(zip(sources.rows, items)):
            # the value the row's reading took screens the cell (none on most rows: nothing read again)
            if isinstance(item, dict) and item.get(col.key) is not None \
                    and (item.get("comparator") == "qualitative") != (col.rows == "qualitative"):
                raw = at(loc.table, row - 1, col.index)
                if raw is not None and _shows(raw):
                    found.append((i, row - 1, col, raw))
    if not found:
        return
    recorded = recorded_rows(loc.grid.custom_properties())  # (rows locked only in a template made from approved rows)
    if recorded is None:
        return
    issued = set(recorded[2])
    keys = locked_keys(form)
    rows = list(dict.fromkeys(i for i, *_ in found))  # the CRCs of the rows found only (one CRC is one row's)
    crcs = dict(zip(rows, (f"{c:08x}" for c in row_crcs([items[i] for i in rows], keys))))
    for i, r, col, raw in found:
        if crcs[i] not in issued:
            continue
        kind, other = ("定性", "定量") if col.rows == "qualitative" else ("定量", "定性")
        kind_en, other_en = ("qualitative", "quantitative") if col.rows == "qualitative" \
            else ("quantitative", "qualitative")
        path = f"{form.table.item_path}/{i}/{col.key}"
        cells.add("template.locked_blank_filled", form.table.name, r, col.index, path,
                  field=form.title_of(path, fw=loc.fw), value=_as_typed(raw),
                  detail=f"{col.label}只用于{kind}指标，本行是{other}指标",
                  detail_en=f"the {col.label_en.lower()} is for {kind_en} indicators only, and this row is {other_en}")


def _locked_rows_changed(loc: Located, cells: _Cells, sources: Sources, items: list) -> None:
    """The approved rows of a self-evaluation or monitoring report (ids, names, targets, 分值: locked) held to the
    template's record of them: a row typed over, deleted or added once the protection was off.  An error at the
    row; ``validate --targets`` says which value and what it was (this check then gives way to it)."""
    form = loc.form
    if form.table.insert_rows or loc.grid is None:  # a goal table: its rows are the department's
        return
    keys = locked_keys(form)
    if not keys:
        return
    recorded = recorded_rows(loc.grid.custom_properties())
    sources.rows_recorded = recorded is not None  # the rows can be held to what was issued (``issued_intact``)
    if recorded is None or rows_unchanged(recorded, items, keys):
        return
    count, _, crcs = recorded
    sheet, name_col = form.table.name, form.column("name", loc.fw).index
    found = [f"{c:08x}" for c in row_crcs(items, keys)]
    first = next((i for i, (a, b) in enumerate(zip(found, crcs)) if a != b), min(len(found), count))
    locked = [col for col in form.columns(loc.fw) if col.locked and col.kind != "seq"]
    labels = "、".join(dict.fromkeys(col.label for col in locked))
    labels_en = ", ".join(dict.fromkeys(col.label_en.lower() for col in locked))
    unread = _locked_cells_said(loc, cells, sources, _unread)
    if len(found) < count and _cleared_rows(loc, cells, sources, found, crcs, unread):
        # (each row read stands in its place: one not as recorded there has locked cells read as nothing)
        first_row = form.table.first_row
        for i, row in enumerate(sources.rows):
            if i in unread and found[i] != crcs[row - 1 - first_row]:
                _row_unread(cells, sources, locked, sheet, row - 1, unread[i], form.item_label(i),
                            form.item_label(i, "en"), _name_of(items[i]))
        return
    if len(found) != count:  # rows deleted or added: every row below moved, so the count is said, at the first
        row = sources.rows[first] - 1 if first < len(sources.rows) else form.table.first_row + len(items)
        # at the row's 三级指标, or where it holds one, the first cell typed in (a note typed below the rows)
        cells_of = loc.table[row] if row < len(loc.table) else []
        col = name_col if name_col < len(cells_of) and cells_of[name_col] != "" else next(
            (c.index for c in form.columns(loc.fw) if c.kind != "seq" and c.index < len(cells_of)
             and cells_of[c.index] != ""), name_col)
        # (no JSON pointer: the rules still see every row; a reader's path would be blanked for them)
        cells.add("template.locked_rows_count", sheet, row, col, "", field=form.table.name,
                  field_en=form.table.name_en or None, value=len(found),
                  expected=str(count))
        return
    if sorted(found) == sorted(crcs):  # every row as issued, in another order: sorted or moved, once, not each row
        moved = [i for i, (a, b) in enumerate(zip(found, crcs)) if a != b]
        rows, rows_en = first_listed(map(form.item_label, moved), (form.item_label(i, "en") for i in moved))
        cells.add("template.locked_rows_moved", sheet, sources.rows[moved[0]] - 1, name_col, "",
                  field=form.table.name, field_en=form.table.name_en or None, value=len(moved), value_en=len(moved),
                  detail=rows, detail_en=rows_en)
        return
    saved = _locked_cells_said(loc, cells, sources, _saved_formula)
    # (a row's 得分 is not checked against a 分值 or target that may be the one typed over: validate drops that advice)
    scored = ("；该行得分在恢复前也无法按计分规则核对", "; its score cannot be checked by the scoring rules until then") \
        if form.find_column("score", loc.fw) is not None else ("", "")
    for i, (a, b) in enumerate(zip(found, crcs)):
        if a != b:
            name = _name_of(items[i])
            field, field_en = form.item_label(i), form.item_label(i, "en")
            if i in unread:  # the row's change is there, and the rest of the row cannot be checked: one error
                _row_unread(cells, sources, locked, sheet, sources.rows[i] - 1, unread[i], field, field_en, name)
                continue
            at, path = name_col, ""
            if i in saved:  # said at the first formula's cell (to restore, not as a formula to replace by a value)
                first = saved[i][0][0]
                for said, _ in saved[i]:  # (another logical value in the row: another slip, still said)
                    if said is first or said.code != "cell.logical_value":
                        cells.problems.remove(said)
                at = saved[i][0][1].index
                # a logical value's path stays held from the rules, as its own error held it (a TRUE 一级指标 is
                # not also none of the framework's, a TRUE comparator does not judge the target)
                path = first.path if first.code == "cell.logical_value" else ""
            cells.add("template.locked_row_changed", sheet, sources.rows[i] - 1, at, path, field=field,
                      field_en=field_en, value=name, detail=labels, detail_en=labels_en, row=sources.rows[i],
                      checked=scored[0], checked_en=scored[1], **_row_named(name))


def _row_unread(cells: _Cells, sources: Sources, locked: list, sheet: str, r: int, here: list, field: str,
                field_en: str, name: str) -> None:
    """An approved row (sheet row `r`, 0-based) changed, with locked cells that cannot be read (`here`: (problem,
    column) of each, left to right: an error value, a formula whose result the file does not keep).  Their values
    are gone: to be restored, not typed in (what cell.error_value and cell.formula ask).  The row's record is one
    CRC of all its locked values, so whether its other locked cells are as issued cannot be told until then: a value
    typed over beside them is not to be passed over in silence.  One error (``template.locked_row_unread``) at the
    first such cell, naming them and the row's other locked cells; each such cell explained by it
    (``Sources.covered``: the schema's “未填写” is not said there)."""
    for said, _ in here:
        cells.problems.remove(said)
    cols = [col for _, col in here]
    gone = {col.index for col in cols}
    others = [col for col in locked if col.index not in gone]
    advice = ("", "")
    if others:  # (none where every locked cell of the row is read as nothing)
        advice = ("。恢复前无法核对该行其余锁定内容（" + "、".join(dict.fromkeys(col.label for col in others))
                  + "）是否与下发时相同：如有改动，请一并恢复",
                  ". Until then the row's other locked values (" + ", ".join(dict.fromkeys(
                      col.label_en.lower() for col in others)) + ") cannot be compared with the template as issued: "
                  "restore them too if they were changed")
    cells.add("template.locked_row_unread", sheet, r, cols[0].index, "", field=field, field_en=field_en,
              value=name, detail="、".join(dict.fromkeys(col.label for col in cols)),
              detail_en=", ".join(dict.fromkeys(col.label_en.lower() for col in cols)),
              advice=advice[0], advice_en=advice[1], **_row_named(name))
    sources.covered.update((sheet, a1(r, col.index)) for col in cols)
    # what each error value shows (#N/A), for validate --targets to say instead of （空）
    sources.unread.update((said.path, said.value) for said, _ in here if said.code == "cell.error_value" and said.path)


def _name_of(item) -> str:
    """An item's 三级指标 as read, or "" (none, or not a text)."""
    name = item.get("name") if isinstance(item, dict) else None
    return name if isinstance(name, str) else ""


def _row_named(name: str) -> dict:
    """A row's 三级指标 as a locked-row message quotes it after the row (第2条指标（“预算执行率”）), or nothing where
    the row's name is blank or read as nothing (not （“”）)."""
    if not name:
        return {"shown": "", "shown_en": ""}
    short = name if len(name) <= 60 else name[:59] + "…"
    return {"shown": f"（“{short}”）", "shown_en": f" ('{short}')"}


def _unread(p) -> bool:
    """A locked cell read as nothing: an error value (#N/A; a NaN's #NUM!), a formula showing nothing (its result
    not kept in the file: openpyxl's ``=100``)."""
    return p.code == "cell.error_value" or (p.code == "cell.formula" and p.value in (None, ""))


def _saved_formula(p) -> bool:
    """A locked cell holding something no template writes there that reads as a value: a formula whose result the
    file keeps (=200 showing 200), a logical value (TRUE).  Its row is said at it, to restore, not as a formula or
    a logical value to replace by a value typed."""
    return (p.code == "cell.formula" and p.value not in (None, "")) or p.code == "cell.logical_value"


def _locked_cells_said(loc: Located, cells: _Cells, sources: Sources, which) -> dict:
    """The rows read (indexes of `sources.rows`) with locked cells the reader has said a problem of that `which`
    accepts (``_unread``, ``_saved_formula``), each with the (problem, column) of every such cell, left to right."""
    sheet = loc.form.table.name
    said = {p.cell: p for p in cells.problems if p.sheet == sheet and which(p)}
    if not said:
        return {}
    locked = [col for col in loc.form.columns(loc.fw) if col.locked and col.kind != "seq"]
    found = {}
    for i, row in enumerate(sources.rows):
        here = [(said[a1(row - 1, col.index)], col) for col in locked if a1(row - 1, col.index) in said]
        if here:
            found[i] = here
    return found


def _cleared_rows(loc: Located, cells: _Cells, sources: Sources, found: list, crcs: list, unread: dict) -> bool:
    """Approved rows cleared where they stand (their entries deleted once the protection was off; a cleared first
    row of a monitoring report, a row of a self-evaluation): every row read stands where the template issued it and
    reads as its record there, and each row recorded but not read is blank in its place, above the last row read or,
    where the table still reaches the last place recorded (``_last_place_stands``), below it too (the last rows
    cleared).  One error, at the first row cleared, naming the rows and the indicators issued there; True when
    said."""
    form = loc.form
    first = form.table.first_row
    places = [row - 1 - first for row in sources.rows]
    # (`unread`: rows with a locked cell read as nothing, an error value or a formula showing nothing, said at it:
    # not as recorded, their place kept)
    if not places or any(not 0 <= p < len(crcs) or (f != crcs[p] and i not in unread)
                         for i, (p, f) in enumerate(zip(places, found))):
        return False
    placed = set(places)
    cleared = [p for p in range(max(places)) if p not in placed]
    if max(places) + 1 < len(crcs) and _last_place_stands(loc, len(crcs)):  # the last rows cleared too
        cleared += range(max(places) + 1, len(crcs))
    if len(cleared) != len(crcs) - len(found):
        return False
    table = loc.table
    blank = _blank_rows(table, first, [col.index for col in form.columns(loc.fw) if col.kind != "seq"])
    if any(first + p < len(table) and not blank[p] for p in cleared):
        return False  # (a row read in no place of its own: not this)
    rows = "、".join(_rows_span(run) for run in _runs([first + p for p in cleared]))
    items, items_en = first_listed((form.item_title[0].format(n=p + 1) for p in cleared),
                                   (form.item_title[1].format(n=p + 1) for p in cleared))
    sources.cleared = cleared  # for validate --targets: these rows were cleared, not deleted
    cells.add("template.locked_row_cleared", form.table.name, first + cleared[0], form.column("name", loc.fw).index,
              "", field=form.table.name, field_en=form.table.name_en or None, value=items, value_en=items_en,
              detail=rows, detail_en=rows.replace("、", ", "))
    return True


#: The characters of a target's text cell.target_remark quotes (the rest cut, with …).
_REMARK_QUOTED = 40


def _locked_changed(loc: Located, cells: _Cells, doc: dict, problems: list) -> None:
    """A value the template locked that reads otherwise: typed over once the sheet's protection was off (a
    prefilled 单位, 项目 or 预算; the 预算年度 against the template's stamp).  An error at the cell: the return is
    not the one that was issued.  A cell the reader could not take is already reported."""
    form, sheet = loc.form, loc.form.info.name
    unreadable = {p.path for p in problems if p.path}
    unchecked = []  # fields whose locked value the file's codepage could not keep whole: not checked
    for f in form.fields:
        if f.path in unreadable:
            unchecked += [f] if f.path in loc.lossy else []
            continue
        if f.kind == "year":
            value = get(doc, f.path)
            expected = loc.stamp.get("year")
            if value is None or value == expected:
                continue
            shown_expected = str(expected)
        elif f.path in loc.lossy:
            value = get(doc, f.path)
            _, codec, kept = loc.lossy[f.path]
            found = lossy_match(kept, value, codec)
            if found == "unknown":
                unchecked.append(f)
            if found != "changed":
                continue
            # a ? kept may be a lost character: the value issued is then not shown (as "????")
            shown_expected = locked_shown(kept) if "?" not in kept else None
        else:
            kept = loc.locked.get(f.path)
            if kept is None:
                continue  # (most fields: nothing locked there, nothing to look up)
            value = get(doc, f.path)
            if matches(kept, value):
                continue
            shown_expected = locked_shown(kept)
        cells.add("template.locked_changed", sheet, f.row, f.col, f.path, field=f.label, field_en=f.label_en,
                  value=_as_typed(value) if value is not None else EMPTY[0], value_en=None if value is not None else EMPTY[1],
                  expected=shown_expected if shown_expected is not None else "下发时的内容",
                  expected_en=shown_expected if shown_expected is not None else "the value issued")
    if unchecked:
        codepage = next(iter(loc.lossy.values()))[0]
        labels, labels_en = first_listed((f.label for f in unchecked), (f.label_en for f in unchecked))
        problems.append(cells.table.problem(
            "template.locked_unreadable", value=f"代码页 {codepage}", value_en=f"codepage {codepage}",
            expected=str(len(unchecked)), detail=labels,
            detail_en=labels_en))


def _hidden_columns(loc: Located, cells: _Cells) -> None:
    """A column of the form hidden (or too narrow to print: LEGIBLE_WIDTH) while cells in it are filled: read, but
    not on the printed form the department stamps.  One warning per such column, at its header (the table) or its
    first filled cell."""
    form = loc.form
    table_cols = [(col.index, col.label, col.label_en) for col in form.columns(loc.fw) if col.kind != "seq"]
    info = form.info
    info_cols = [(c, None, None) for c in range(info.value_col, info.last_col + 1)]  # (named by their fields)
    for facts, sheet, rows, first, end, columns in (
            (loc.table_facts, form.table.name, loc.table, form.table.first_row, len(loc.table), table_cols),
            (loc.info_facts, info.name, loc.info, 0, min(len(loc.info), info.end_row), info_cols)):  # not the stamp
        hidden = facts.hidden_cols if facts is not None else ()
        for c, label, label_en in (col for col in columns if col[0] in hidden):
            filled = [r for r in range(first, end) if c < len(rows[r]) and rows[r][c] != ""]
            if filled:
                at_row = form.table.header_row if sheet == form.table.name else filled[0]
                if label is None:
                    label, label_en = _info_column_titles(form, c, filled)
                cells.add("cell.hidden_column", sheet, at_row, c, "", field=label, field_en=label_en,
                          **_EXPECTED["cell.hidden_column"], area=col_letter(c), detail=str(len(filled)))


def _info_column_titles(form, c: int, filled: list) -> tuple[str, str]:
    """(zh, en) of what column `c` of the information sheet holds in its `filled` rows, as the form declares it, top
    to bottom: a grid's column by its header (全年执行数（元）; in English its fields' titles), another field by its
    title; the sheet's name where no field of the column is filled (only a header or a label there)."""
    info = form.info
    rows = set(filled)
    found = []  # (row, zh, en)
    for g in info.grids:
        if 0 <= c - info.value_col < len(g.headers):
            header = g.headers[c - info.value_col]
            found.extend((f.row, header, f.label_en) for f in g.fields if f.col == c and f.row in rows)
            found.extend((r, header, cell.title_en) for r, k, cell in g.computed if k == c and r in rows)
    found.extend((f.row, f.label, f.label_en) for f in form.fields if f.col == c and f.row in rows and not f.in_grid)
    found.sort(key=itemgetter(0))
    zh, en = list(dict.fromkeys(t[1] for t in found)), list(dict.fromkeys(t[2] for t in found if t[2]))
    if not zh:
        return info.name, info.name
    return first_listed(zh, en or zh, most=3)


def _fields_under_merges(loc: Located, cells: _Cells, sources: Sources) -> None:
    """A field of the information sheet whose cell a merged range covers, not as its first cell (立项依据 under 项目概况
    merged down over it for room): the paper and the screen show the merged cell's text only, while the file keeps
    the covered cell's (LibreOffice keeps it), which is read.  A warning at the covered cell, where it holds
    something, says the printed form lacks it (an indicator row's cells get cell.merged / cell.merged_across)."""
    info = loc.form.info
    if loc.info is None:
        return
    facts = loc.info_facts
    merges = _merges_of(loc, info.name, facts)
    merges = [m for m in merges if m[0] != m[2] or m[1] != m[3]]
    if not merges:
        return
    by_cell = {(f.row, f.col): f for f in loc.form.fields}
    for f in loc.form.fields:
        box = next((m for m in merges if m[0] <= f.row <= m[2] and m[1] <= f.col <= m[3]
                    and (m[0], m[1]) != (f.row, f.col)), None)
        if box is None:
            continue
        raw = at(loc.info, f.row, f.col)
        top = by_cell.get((box[0], box[1]))
        where = a1(box[0], box[1])
        detail, detail_en = (f"“{top.label}”（{where}）", f"'{loc.form.title_of(top.path, 'en')}' ({where})") \
            if top is not None else (where, where)
        if raw is None or not _shows(raw):
            # empty (Excel empties the cells a merge covers): nothing hidden; a required one's error says where it is
            if f.required:
                sources.merged_over[f.path] = (detail, detail_en)
            continue
        cells.add("cell.merged_hidden", info.name, f.row, f.col, f.path, field=f.label,
                  field_en=loc.form.title_of(f.path, "en"), value=_as_typed(raw), detail=detail, detail_en=detail_en)


def _hidden_rows_of(loc: Located, sheet: str, facts):
    """The rows of `sheet` hidden or too low to print: the grid's (which falls back on the screen's facts), or, read
    without a grid, the facts' alone."""
    return loc.grid.hidden_rows(sheet) if loc.grid is not None else facts.hidden_rows if facts is not None else ()


def _merges_of(loc: Located, sheet: str, facts) -> list:
    """The merged ranges of `sheet`: the grid's, or, read without a grid, the facts' alone."""
    return loc.grid.merges(sheet) if loc.grid is not None else facts.merged if facts is not None else []


#: The columns of results a rough figure is read in as its number (a monitoring report's 1-N月执行情况 and
#: 全年预计完成情况: progress to date and a forecast, from which no score is computed); a self-evaluation's 实际完成值
#: is scored from, and stays the text (self.actual_not_number says why: the word).
_ROUGH_READ = ("progress", "expected")


def _rough_results(loc: Located, cells: _Cells, sources: Sources, items: list) -> None:
    """A monitoring report's result on a quantitative row written as a rough figure (约80%, 85%左右, 大约1000人次):
    read as its number, as a target so written is, with a warning at its cell (cell.actual_approximate) saying the
    word makes it rough and to enter the figure; a qualitative row's text is a description, taken as written."""
    form = loc.form
    cols = [col for key in _ROUGH_READ if (col := form.find_column(key, loc.fw)) is not None]
    if not cols or len(sources.rows) != len(items):
        return
    for i, item in enumerate(items):
        for col in cols:
            v = item.get(col.key)
            if type(v) is not str or item.get("comparator") == "qualitative":
                continue
            exc = rough_figure(v, result=True)  # 约80%, 7500余人
            if exc is None:
                continue
            try:
                number = parse_actual(exc.expected)
            except Unreadable:
                continue
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                item[col.key] = number
                path = f"{form.table.item_path}/{i}/{col.key}"
                meaning, meaning_en = rough_meaning(exc.extra["detail"])  # 约数; 以上, 以下: a bound
                cells.add("cell.actual_approximate", form.table.name, sources.rows[i] - 1, col.index, path,
                          field=form.title_of(path, fw=loc.fw), field_en=form.title_of(path, "en"), value=v,
                          expected=exc.expected, meaning=meaning, meaning_en=meaning_en, **exc.extra)


def _hidden_field_rows(loc: Located, cells: _Cells) -> None:
    """A row of the information sheet hidden (or of no height) while a field the form declares on it is filled:
    read, but not on the printed form the department stamps (项目总预算, a narrative, a self-evaluation's funds
    line).  One warning per such row, cell.hidden_row as on the indicator table, at its first filled field.  The
    rows and cells are the form's declaration (its fields), so every form's information sheet is checked alike."""
    form, rows = loc.form, loc.info
    info = form.info
    hidden = _hidden_rows_of(loc, info.name, loc.info_facts)
    if not hidden or rows is None:
        return  # (most returns: no row hidden)
    errors = _errors_of(loc, info.name)
    by_row: dict = {}
    for f in form.fields:
        if f.row in hidden:
            by_row.setdefault(f.row, []).append(f)
    for r in sorted(by_row):
        filled = [f for f in sorted(by_row[r], key=lambda f: f.col)
                  if (r < len(rows) and f.col < len(rows[r]) and rows[r][f.col] != "") or (r, f.col) in errors]
        if filled:
            f = filled[0]
            cells.add("cell.hidden_row", info.name, r, f.col, f.path, field=form.title_of(f.path, fw=loc.fw),
                      field_en=form.title_of(f.path, "en"), value=r + 1)


def _outside_print_area(loc: Located, cells: _Cells, sources: Sources) -> None:
    """A print area set on a sheet of the form (Page Layout > Print Area, WPS 设置打印区域, LibreOffice's print
    ranges) that leaves filled cells off the paper: the fields of the information sheet, the cells of the rows read
    as items (not their 序号, which a blank row prints too).  They are read but the stamped paper lacks them: one
    warning per sheet at the first such cell, saying how many.  The template's own print area (项目信息 to the
    signature block, its stamp below) leaves no field off."""
    grid, form = loc.grid, loc.form
    if grid is None:
        return
    info, table = form.info, form.table
    for sheet, rows, places in (
            (info.name, loc.info, lambda: {(f.row, f.col): f.path for f in form.fields}),
            (table.name, loc.table, lambda: {(r - 1, col.index): f"{table.item_path}/{i}/{col.item_keys[0]}"
                                             for i, r in enumerate(sources.rows)
                                             for col in form.columns(loc.fw) if col.kind != "seq"})):
        boxes = grid.print_area(sheet) if rows else None
        if not boxes:
            continue  # (most returns: none, or the template's)
        errors = _errors_of(loc, sheet)
        paths = places()
        off = sorted((r, c) for r, c in paths if not any(r0 <= r <= r1 and c0 <= c <= c1 for r0, c0, r1, c1 in boxes)
                     and ((r < len(rows) and c < len(rows[r]) and _shows(rows[r][c])) or (r, c) in errors))
        if off:
            shown = ",".join(f"{r0 + 1}:{r1 + 1}" if c1 >= MAX_SHEET_COLS else
                             f"{col_letter(c0)}:{col_letter(c1)}" if r1 >= MAX_SHEET_ROWS else f"{a1(r0, c0)}:{a1(r1, c1)}"
                             for r0, c0, r1, c1 in boxes)
            # the first cell's field, as the form titles it (and its indicator, on the table); no path: the warning is
            # the sheet's, not its value's (which is read as usual)
            path = paths[off[0]]
            titled = {"field": form.title_of(path, fw=loc.fw), "field_en": form.title_of(path, "en")}
            cells._of_item(path, titled)
            _said_beyond(cells, "cell.outside_print_area", sheet, rows, off, [], shown, **titled)  # (off: its errors too)


def _shows(v) -> bool:
    """Whether a cell's value read shows something: not empty, nor only spaces (a space shows nothing)."""
    return v != "" and not (isinstance(v, str) and not v.strip())


def _errors_of(loc: Located, sheet: str) -> set:
    """The cells of `sheet` (the information sheet or the table) that show an error value (#REF!, #N/A …): the
    reader's rows hold "" there, as for an empty cell."""
    facts = loc.info_facts if sheet == loc.form.info.name else loc.table_facts
    return facts.errors if facts is not None else set()


def _said_beyond(cells: _Cells, code: str, sheet: str, rows: list, found: list, errors: list, area: str,
                 **titled) -> None:
    """One warning (`code`) at the first of the cells written (`found`) or showing an error (`errors`) where the
    form has none, with how many there are; an error value is quoted as such (its text is not read).  `area` is where
    the form (or the print area set) ends, for the message; ``expected``, what is expected (``_EXPECTED``)."""
    if errors:
        found = sorted(set(found) | set(errors))
    if found:
        r, c = found[0]
        raw = rows[r][c] if r < len(rows) and c < len(rows[r]) else ""
        value, value_en = (_as_typed(raw), None) if raw != "" else ("错误值", "an error value")
        cells.add(code, sheet, r, c, "", value=value, value_en=value_en, detail=str(len(found)), area=area,
                  **_EXPECTED.get(code, {}), **titled)


#: What some problems of how a cell prints expect (their ``expected``, zh and en): the fix, never what the cell prints
#: now nor where the form or print area ends (those are in the message: ``{printed}``, ``{area}``), as the annotated
#: copy's 问题清单 prints ``expected`` under 应为 (“项目总预算 应为 1464072730000” was read as the amount to enter).
_EXPECTED = {
    "cell.amount_scaled": {"expected": "按元显示：数字格式为常规或 #,##0.00（不带单位，末尾不带逗号）",
                           "expected_en": "shown in yuan: number format General or #,##0.00 (no unit, no trailing comma)"},
    "cell.number_scaled": {"expected": "按原数显示：数字格式为常规（末尾不带逗号）",
                           "expected_en": "shown as the number read: number format General (no trailing comma)"},
    "cell.outside_print_area": {"expected": "打印区域包含本表填写的全部内容（或取消打印区域）",
                                "expected_en": "a print area covering everything filled on the sheet (or none)"},
    # (what the cell shows instead, 详见附件 or nothing, is the message's {advice})
    "cell.target_format_conflict": {"expected": "单元格格式为文本，按本行的比较符和计量单位重新填写数字",
                                    "expected_en": "the cell formatted as text and the number entered again, as the "
                                                   "row's comparator and unit give it"},
    "cell.actual_format_conflict": {"expected": "单元格格式为文本，按本行的计量单位重新填写数字",
                                    "expected_en": "the cell formatted as text and the number entered again, in the "
                                                   "row's unit"},
    "cell.format_blank": {"expected": "显示单元格的值：数字格式为常规", "expected_en": "the value shown: number format General"},
    "cell.hidden_column": {"expected": "该列取消隐藏", "expected_en": "the column shown (not hidden)"},
    "cell.outside": {"expected": "写在表内相应栏目中", "expected_en": "written in the form's own fields"},
    "cell.below": {"expected": "写在表内相应栏目中", "expected_en": "written in the form's own fields"},
}


#: A text that reads as a note on the table, not an indicator: 注：…, 备注：无, 说明：…, 附：…, 以上指标经…审议
_NOTE = re.compile(r"(?:注|备注|说明|附注?|填表说明)\s*[:：、]|(?:备注|说明)$|以上")


def _note_rows(loc: Located, cells: _Cells, sheet: str, items: list, sources: Sources, input_cols: list) -> None:
    """The table's last rows read, where each holds one cell only, a text that reads as a note (注：以上指标经单位党组会
    审议通过, 备注：无): not indicators (each was read as one, an unknown 一级指标 and every other required cell
    missing: five errors for one note); each is taken off the items and one warning at its cell says it was not read."""
    while items and len(sources.rows) == len(items):
        r = sources.rows[-1] - 1
        row = loc.table[r]
        filled = [c for c in input_cols if c < len(row) and _shows(row[c])]
        if len(filled) != 1 or not isinstance(row[filled[0]], str) \
                or not _NOTE.match(unicodedata.normalize("NFKC", row[filled[0]]).strip()):
            return
        items.pop()
        sources.rows.pop(), sources.numbers.pop(), sources.printed.pop()
        gone = f"{loc.form.table.item_path}/{len(items)}"  # what reading it as an item said: said of no item now
        cells.problems[:] = [p for p in cells.problems if p.path != gone and not p.path.startswith(gone + "/")]
        cells.add("cell.note_row", sheet, r, filled[0], "", value=_as_typed(row[filled[0]]), detail=str(r + 1))


def _seq_text(cells: _Cells, sheet: str, rows: list, printed: dict, end: int, c: int, read: set) -> None:
    """Text in the 序号 column of the table's rows (above `end`) that are not read as items (`read`: their 0-based
    rows) and prints no 序号 (备注：无 typed over a blank row's number, the sheet unprotected): it prints, but it is no
    part of the return; one warning, at the first such cell, says so and how many there are (below the table it is
    ``cell.below``'s).  An item row's own numbering (一, 1-1, as text) is its 序号, however written: not said here."""
    found = [(r, c) for r, n in printed.items() if n is None and r < end and r not in read and c < len(rows[r])
             and isinstance(rows[r][c], str) and rows[r][c].strip()]
    _said_beyond(cells, "cell.seq_text", sheet, rows, found, [], "")


def _typed_outside(loc: Located, cells: _Cells, sheet: str, rows: list, last_col: int) -> None:
    """Anything written to the right of the form (a note beside a row, a sum in a spare column, an error value) is
    not part of the return and is not read; one warning, at the first such cell, says so and how many there are."""
    errors = [(r, c) for r, c in _errors_of(loc, sheet) if c > last_col]
    if not errors and (not rows or max(map(len, rows)) <= last_col + 1):
        return  # nothing stands beyond the form's columns (the usual case, found without looking at a cell)
    found = [(r, c) for r, row in enumerate(rows) for c in range(last_col + 1, len(row))
             if _shows(row[c])]
    _said_beyond(cells, "cell.outside", sheet, rows, found, errors, col_letter(last_col))


def _typed_below(loc: Located, cells: _Cells, sheet: str, rows: list, end_row: int, last_col: int,
                 stamp_row: int) -> None:
    """Anything written below the last printed row of the information sheet (a 备注 line, 附：预算明细表, an error
    value), but for the template's own stamp row, is not part of the return and is not read; one warning, at the
    first such cell, says so and how many there are (what stands to the right of the form is ``cell.outside``'s)."""
    found = [(r, c) for r in range(end_row, len(rows)) if r != stamp_row
             for c in range(min(len(rows[r]), last_col + 1))
             if _shows(rows[r][c])]
    errors = [(r, c) for r, c in _errors_of(loc, sheet) if r >= end_row and r != stamp_row and c <= last_col]
    _said_beyond(cells, "cell.below", sheet, rows, found, errors, str(end_row))


def _computed_overwritten(loc: Located, cells: _Cells, doc: dict) -> None:
    """A computed cell of the form (执行率 in a funds block) that no longer holds the template's formula.

    Typed over (the sheet unprotected): nothing is read from it, and the checks recompute it.  Where the number typed
    is what the formula gives over the values read (to the decimals its format shows: 85.23%), a warning that the
    formula is gone (``cell.computed_overwritten``); where it is not, the printed and stamped form shows a figure
    the amounts on it do not give: an error (``cell.computed_not_formula``) with both numbers.  A formula put in the
    template's place (``=1``, ``=7/12``) whose result shows another figure than the template's would: the same
    error of the form, said as a formula changed (``cell.computed_formula_changed``, _formula_changed)."""
    facts, info = loc.info_facts, loc.form.info
    if facts is None or not facts.formulas_known:  # (_grid.Unscreened)
        return  # an .xls whose records were not made out: its formulas are not known
    for grid in info.grids:
        for r, c, cell in grid.computed:
            field = f"{grid.lines[r - grid.row - 1][0]}{grid.headers[c - info.value_col]}"
            typed = at(loc.info, r, c)
            if (r, c) in facts.formulas:  # the template's formula, or one put in its place
                changed = _formula_changed(loc, cell, typed)
                if changed is not None:
                    cells.add("cell.computed_formula_changed", info.name, r, c, "", field=field,
                              field_en=cell.title_en or None, value=changed[0], expected=changed[1])
                continue
            shown = _as_shown(typed, facts, r, c) if typed is not None else ""  # 100%, not 1
            expected = cell.value([get(doc, ref) for ref in cell.refs], dict(loc.form.bound)) \
                if cell.value is not None else None
            if _typed_not_value(typed, expected, cell.places):
                cells.add("cell.computed_not_formula", info.name, r, c, "", field=field, field_en=cell.title_en or None,
                          value=shown, expected=_computed_shown(expected, cell.style))
                continue
            cells.add("cell.computed_overwritten", info.name, r, c, "", field=field, field_en=cell.title_en or None,
                      value=shown)


def _caption_overwritten(loc: Located, cells: _Cells, doc: dict) -> None:
    """The caption under the table's title (申报单位：…　　项目名称：…: a formula over the information sheet's cells)
    typed over, the sheet unprotected: the printed and stamped table names a unit or project the return does not
    give, and nothing is read from it.  A warning at it (``cell.caption_overwritten``) with what it shows and what
    the template's formula would show over the cells as read; none where the text is the same, spaces aside (pasted
    as values, it prints as the formula would), nor where the formula is kept (it shows what the cells hold)."""
    facts, table = loc.table_facts, loc.form.table
    r = table.caption_row
    if facts is None or not facts.formulas_known or (r, 0) in facts.errors or not table.caption:
        return
    typed = at(loc.table, r, 0)
    if (r, 0) in facts.formulas and (not isinstance(typed, str) or not typed or (r, 0) in facts.text_results):
        # a formula whose text result the file does not keep (a script wrote it; LibreOffice's .xls keeps 0 for
        # one): what it shows is not known, nothing is said
        return
    parts = [(text, get(doc, path)) for text, path in table.caption]
    expected = "".join(f"{text}{'' if v is None else value_text(v)}" for text, v in parts)
    shown = value_text(typed) or ""
    if shown == expected or _unspaced(shown) == _unspaced(expected):  # (the same text, as the formula kept shows
        return  # it: equal unspaced too, told without taking each character's category)
    info = loc.form.info.name
    labels = "、".join(text.strip(" \u3000：:") for text, _ in table.caption)  # 申报单位、项目名称
    labels_en = " and ".join(loc.form.title_of(path, "en").lower() for _, path in table.caption)
    cells.add("cell.caption_overwritten", table.name, r, 0, "", field=labels, field_en=labels_en,
              value=_as_typed(typed) if typed is not None else EMPTY[0], value_en=None if typed is not None else EMPTY[1],
              expected=expected, detail=info, detail_en=info)


#: The caption's font size (points), as the writer sets it (_write._formats.CAPTION_SIZE)
_CAPTION_SIZE = 10


def _caption_fits(loc: Located, cells: _Cells, doc: dict) -> None:
    """The caption under the table's title (申报单位：…　　项目名称：…, repeated atop every printed page of the table)
    in a row too short for the unit and project the return gives: a blank template's caption row is as tall as its
    empty names need (30 pt), and a department typing a long 项目名称 on the information sheet cannot make it grow
    (a merged cell's row, a formula: no application grows it), so every page of the table printed the names cut.  A
    warning at it (``cell.row_too_short``), saying to make the row taller; none where the row, as the file saves
    it, holds the text (a template made from the names, a row made taller by hand), nor where the caption was typed
    over (cell.caption_overwritten says so)."""
    table, grid = loc.form.table, loc.grid
    r = table.caption_row
    if grid is None or not table.caption or any(p.code == "cell.caption_overwritten" for p in cells.problems) \
            or r in grid.hidden_rows(table.name):  # a hidden row prints on no page (cell.hidden_row)
        return
    text = "".join(f"{label}{'' if v is None else value_text(v)}"
                   for label, v in ((label, get(doc, path)) for label, path in table.caption))
    columns = loc.form.columns(loc.fw)
    # at the widths the file gives its columns (a department may widen or narrow them), as the narrowed-column
    # check measures; the form's where the file does not say (an .ods, an .xls)
    width = sum(grid.column_width(table.name, k) for k in range(columns[-1].index + 1)) if grid.kind == "xlsx" else \
        sum(col.width for col in columns)
    height = grid.row_height(table.name, r) or grid.default_row_height(table.name) or DEFAULT_ROW_HEIGHT
    if row_holds(text, width, height, _CAPTION_SIZE):
        return
    labels = "、".join(label.strip(" \u3000：:") for label, _ in table.caption)  # 申报单位、项目名称
    labels_en = " and ".join(loc.form.title_of(path, "en").lower() for _, path in table.caption)
    cells.add("cell.row_too_short", table.name, r, 0, "", field=f"{table.name}表头的{labels}",
              field_en=f"the {labels_en} atop {table.name_en}", value=text[:20] + "…",
              expected=f"{needed_height(text, width, _CAPTION_SIZE):.0f}",
              detail=f"{height:g} 磅（合并单元格的行，Excel、WPS 不会自动调高；该行在每页顶端重复打印）",
              detail_en=f"{height:g} pt (the row of a merged cell: Excel and WPS never make it taller by themselves; "
                        "it prints atop every page)")

def _unspaced(text: str) -> str:
    """A text without its spaces (ASCII, full-width, line breaks) and invisible characters, as two captions are
    compared: the same words spaced otherwise print alike."""
    return "".join(ch for ch in text if not ch.isspace() and unicodedata.category(ch) != "Cf")


def _numbers_as_text(loc: Located, cells: _Cells, sources: Sources, doc: dict, items: list) -> None:
    """A number stored as text ('2.86 typed with its apostrophe, a figure pasted as text, a cell formatted as text
    before it was typed) in a cell a computed cell of the form takes (得分 under 总分, 全年预算数 and 执行数 under
    执行率): the reader reads the number, but the form's formula, as ISNUMBER, N() and SUM take it, leaves it out, so
    the printed and stamped 总分 or 执行率 is not what the data gives.  An error at the text cell
    (``cell.number_as_text``) naming the computed cell, however that cell stands (typed over: its own problem too)."""
    form = loc.form
    said: set = set()

    def check(sheet: str, r: int, c: int, raw, value, path: str, label: str, title: str, title_en: str) -> None:
        if isinstance(raw, str) and raw.strip() and (isinstance(value, Decimal) or _number(value) is not None) \
                and (sheet, r, c) not in said:
            said.add((sheet, r, c))
            cells.add("cell.number_as_text", sheet, r, c, path, field=label, value=raw, detail=title,
                      detail_en=title_en)

    def field(ref: str, title: str, title_en: str) -> None:
        f = form.field(ref)
        check(form.info.name, f.row, f.col, at(loc.info, f.row, f.col), get(doc, ref), ref, f.label, title, title_en)

    for grid in form.info.grids:
        for _, c, cell in grid.computed:
            for ref in cell.refs:
                field(ref, grid.headers[c - form.info.value_col], cell.title_en or "the computed cell")
    total = form.table.total
    if total is None:
        return
    for ref in total.cell.refs:
        key = column_ref(ref, form.table.item_path)
        if key is None:
            field(ref, total.label, total.label_en)
            continue
        col = form.column(key, loc.fw).index
        for i, (row, item) in enumerate(zip(sources.rows, items)):
            raw = at(loc.table, row - 1, col)
            if isinstance(raw, str) and isinstance(item, dict):  # (a number's cell: nothing to say, nothing built)
                path = f"{form.table.item_path}/{i}/{key}"
                check(form.table.name, row - 1, col, raw, item.get(key), path, form.title_of(path, fw=loc.fw),
                      total.label, total.label_en)


def _formula_changed(loc: Located, cell, result, rows: range = range(0)) -> tuple | None:
    """(the figure shown, the template's formula's) where the formula in a computed cell shows another figure than
    the template's formula gives over the cells as they stand, else None.  `result`: what the program that saved the
    file computed (none kept: nothing known, nothing said).  The template's formula is the form's (``Computed.value``)
    over the numbers in its cells only, as ISNUMBER, N() and SUM take them (a 得分 typed as text is not summed);
    `rows`: the item rows of a column it sums.  Figures shown alike (to the decimals the cell shows), or within half
    a unit of the last of them (the program's last bit is not the reader's, at a rounding boundary), are the same.
    The file keeps the formula's result, not what it was: another formula, or the template's not recalculated
    since (a program set to calculate by hand), are told apart by nobody, and the message says both."""
    if result is None or isinstance(result, bool):
        return None
    values = []
    for ref in cell.refs:
        key = column_ref(ref, loc.form.table.item_path)
        if key is not None:
            col, table = loc.form.column(key, loc.fw).index, loc.table
            # (at() inlined: a column of a few hundred rows; "" is no number to _number either)
            values.append([_number(table[i][col]) if i < len(table) and col < len(table[i]) else None for i in rows])
        else:
            f = loc.form.field(ref)
            values.append(_number(at(loc.info, f.row, f.col)))
    gives = cell.value(values, dict(loc.form.bound)) if cell.value is not None else None
    if gives is None:
        return None  # blank: the template's formula shows nothing (no budget); the amounts' checks say why
    if isinstance(result, (int, float)):
        if not math.isfinite(result):
            return None  # an error value: said as such at the cell
        quantum = Decimal(1).scaleb(-cell.places)
        if abs(Decimal(repr(float(result))) - Decimal(repr(float(gives)))) <= quantum / 2 \
                or not _typed_not_value(result, gives, cell.places):  # (the same figure shown, or a last bit)
            return None
        return _computed_shown(result, cell.style), _computed_shown(gives, cell.style)
    text = str(result)
    return (text, _computed_shown(gives, cell.style)) if text.strip() else None  # a text shown for a figure


def _number(value):
    """A cell's value where it holds a number (as a formula's ISNUMBER, N() and SUM take it), else None."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        else None


def _typed_not_value(typed, expected, places: int) -> bool:
    """Whether a number typed over a computed cell shows another figure than its formula's value would, at the
    decimals the cell's format shows.  Text typed there, or a formula that would show blank (no budget), is not
    compared: the cell's own checks and the funds checks say what is wrong with those."""
    if not isinstance(typed, (int, float)) or isinstance(typed, bool) or not math.isfinite(typed) \
            or not isinstance(expected, (int, float)):
        return False
    quantum = Decimal(1).scaleb(-places)
    return Decimal(repr(float(typed))).quantize(quantum, rounding=ROUND_HALF_UP, context=WIDE) != \
        Decimal(repr(float(expected))).quantize(quantum, rounding=ROUND_HALF_UP, context=WIDE)  # 1e308 typed too


def _computed_shown(value, style: str) -> str:
    """A computed cell's value as its format shows it, for a message: 执行率 as 85.23%, a score as 98.93."""
    d = Decimal(repr(float(value)))
    if style == "pct":
        return f"{(d * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP, context=WIDE)}%"
    return format_number(number_out(float(round2(d))))


# What interpret() takes from a form for every return, worked out once per form (a bound copy is a form of its own)
_PER_FORM: WeakKeyDictionary = WeakKeyDictionary()


def _per_form(form) -> tuple:
    """(the heads of the groups of optional fields only; JSON pointer -> source of every field, ``"项目信息!B3"``)."""
    found = _PER_FORM.get(form)
    if found is None:
        groups: dict[str, list] = {}
        for f in form.fields:
            head, _, rest = f.path.strip("/").partition("/")
            if rest:
                groups.setdefault(head, []).append(f)
        found = _PER_FORM[form] = (tuple(head for head, fields in groups.items() if not any(f.required for f in fields)),
                                   {f.path: f"{form.info.name}!{f.cell}" for f in form.fields})
    return found


def _drop_blank_groups(form, doc: dict) -> None:
    """A group of optional fields left blank (the signature block) is left out, as in documents without it."""
    for head in _per_form(form)[0]:
        if all(v is None for v in (doc.get(head) or {}).values()):
            doc.pop(head, None)



class Sources(Mapping):
    """JSON pointer -> ``"sheet!A1"``, for every value read: header fields kept as given, table cells
    computed on demand from each item's row (a return has hundreds; most are never asked for); and the cell of
    a total line (总分, at its TotalRow's path), which is no value of the document but has its problems."""

    def __init__(self):
        self.fixed: dict[str, str] = {}
        self.item_path = ""
        self.sheet = ""
        self.rows: list[int] = []  # 1-based row of each item
        self.numbers: list = []  # the 序号 each item's row prints (int), or its 1-based row (str) where none
        self.printed: list = []  # the 序号 each item's row prints as it is (int), printed twice or not; None where none
        self.letters: dict[str, str] = {}  # item key -> column letter
        self.name_letter = ""
        self.total_typed: tuple | None = None  # (row, column, value) of a total line's cell typed over
        self.total_formula: tuple | None = None  # (row, column, result) of a total line's formula with a result kept
        self.cleared: list[int] = []  # the approved rows (0-based, as recorded) cleared where they stand
        # the template's record of its approved rows was read (``_locked_rows_changed``): with no template.locked_…
        # error, the rows are as issued (``validate.issued_intact``)
        self.rows_recorded = False
        # (sheet, cell) of the cells a reader's error covers besides its own: the locked cells of an approved row read
        # as nothing (template.locked_row_unread, at the first), explained by it (no schema “未填写” there)
        self.covered: set[tuple[str, str]] = set()
        # JSON pointer -> the error value an approved row's locked cell shows instead of its value (#N/A; None where
        # the file does not keep which), read as nothing (template.locked_row_unread)
        self.unread: dict[str, str] = {}
        # the target paths (/indicators/9/value) whose number format shows a unit other than the row's (≥3天 where
        # the row gives 人 or none), said by cell.target_format_conflict: the review's “no unit” is that cause
        self.units_shown: frozenset = frozenset()
        # the required fields of the information sheet left empty under another field's merge (立项依据 under 项目概况
        # merged down over it): pointer -> the merged cell, as the required-field message names it (zh, en)
        self.merged_over: dict[str, tuple[str, str]] = {}
        # read with the labels of a template issued before they changed (a month-1 report's 1-1月 heads, now 1月):
        # the rules' messages name its columns as its sheet heads them (Form.bind(older_labels=True))
        self.older_labels = False

    def __setitem__(self, key: str, value: str) -> None:
        self.fixed[key] = value

    def _item(self, key: str):
        if not self.item_path or not key.startswith(self.item_path + "/"):
            return None
        rest = key[len(self.item_path) + 1:].split("/")
        if not rest[0].isdigit() or int(rest[0]) >= len(self.rows) or len(rest) > 2:
            return None
        row = self.rows[int(rest[0])]
        if len(rest) == 1:
            return f"{self.sheet}!{self.name_letter}{row}"
        letter = self.letters.get(rest[1])
        return None if letter is None else f"{self.sheet}!{letter}{row}"

    def __getitem__(self, key: str) -> str:
        value = self.fixed.get(key)
        if value is None:
            value = self._item(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key) -> bool:
        return key in self.fixed or (isinstance(key, str) and self._item(key) is not None)

    def get(self, key, default=None):
        value = self.fixed.get(key)
        if value is None and isinstance(key, str):
            value = self._item(key)
        return default if value is None else value

    def __iter__(self):
        yield from self.fixed
        for i in range(len(self.rows)):
            base = f"{self.item_path}/{i}"
            yield base
            for key in self.letters:
                yield f"{base}/{key}"

    def __len__(self) -> int:
        return len(self.fixed) + len(self.rows) * (1 + len(self.letters))


_SEQ_TYPED = re.compile(r"\(([0-9]{1,7})\)|([0-9]{1,7})[.、]?")  # a 序号 typed as text, NFKC'd, spaces removed


def _printed_number(raw) -> int | None:
    """The 序号 a cell prints: a whole number of 1 or more; else None (a row inserted by the department prints
    none)."""
    if type(raw) is float:  # as calamine gives a typed number (most rows): told at once
        return int(raw) if raw.is_integer() and 0 < raw < 1_000_000 else None
    if isinstance(raw, str):  # typed as text: 5, or with a Chinese IME ５ ５． （５） ５、
        m = _SEQ_TYPED.fullmatch("".join(unicodedata.normalize("NFKC", raw).split()))
        raw = int(m.group(1) or m.group(2)) if m else None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw < 1_000_000 else None


def _printed_numbers(table: list, first: int, c: int | None) -> tuple[dict, dict]:
    """Row -> the 序号 it prints (None where none), and row -> how messages name its item (``numbered_as_printed``):
    that 序号, or, where it prints none or one another row prints too (filled down, a row copied), its 1-based sheet
    row as text (“第12行指标”)."""
    if c is None:
        return {}, {}
    printed = {}
    for r in range(first, len(table)):
        row = table[r]
        raw = row[c] if c < len(row) else None
        if type(raw) is float:  # as calamine gives a typed number (most rows): _printed_number's first case, inline
            printed[r] = int(raw) if raw.is_integer() and 0 < raw < 1_000_000 else None
        else:
            printed[r] = _printed_number(raw)
    found = [n for n in printed.values() if n is not None]
    # the 序号 printed more than once (most tables: none, told by a set in C, not counted)
    twice = {n for n, k in Counter(found).items() if k > 1} if len(set(found)) != len(found) else ()
    return printed, {r: n if n is not None and n not in twice else str(r + 1) for r, n in printed.items()}


def _read_merged(loc: Located, cells: _Cells, cols: dict, merged: list, base_path: str, numbers: dict) -> None:
    """Cells merged down over item rows.  In a column people merge over the rows that share a value (一级指标,
    declared ``spans``), each row of the range holds the merged value, as the printed form shows it; a warning
    says so.  Elsewhere only the range's first cell holds anything: a warning says why the rows below read empty.
    A merge within one row (the 总分 line's label, a target merged across its unit) shows its first cell only: the
    cells it covers read empty, and a warning names what one of them held out of sight.

    The cells a merge covers are read as the printed form shows them, whatever they hold: LibreOffice keeps their
    contents when it merges (its "keep the contents of hidden cells"), out of sight on the screen and on paper, and
    a hidden 85 was read as the target of a row whose printed target was the merged 90."""
    form, sheet = loc.form, loc.form.table.name
    by_index = {col.index: col for col in cols.values() if col.kind != "seq"}
    first = form.table.first_row
    pasted = _split_rows(loc, cells, cols, by_index, merged, base_path, numbers) if form.table.insert_rows else ()
    for top_row, c1, r2, c2 in merged:
        if r2 < first or (top_row, c1, r2, c2) in pasted:
            continue
        if r2 == top_row:
            _merged_across(loc, cells, by_index, top_row, c1, c2, base_path, numbers)
            continue
        hit = [by_index[c] for c in range(c1, c2 + 1) if c in by_index]
        if not hit:
            continue
        r1 = max(top_row, first)
        top = loc.table[r1][c1] if r1 < len(loc.table) and c1 < len(loc.table[r1]) else ""
        rows = f"{r1 + 1}–{r2 + 1}" if r2 > r1 else str(r1 + 1)
        spans = c1 == c2 and hit[0].spans and top != ""
        others = [c for c in by_index if c < c1 or c > c2]
        for r in range(r1, min(r2, len(loc.table) - 1) + 1):
            row = loc.table[r]
            for c in (col.index for col in hit):
                if (r, c) == (top_row, c1) or c >= len(row):
                    continue  # the merged cell itself
                # only rows that are indicators take the merged value: a merge reaching past the last one makes
                # no row of its own
                shown = top if spans and any(row[o] != "" for o in others if o < len(row)) else ""
                if row[c] != shown:
                    row = loc.table[r] = list(row)  # calamine's rows may be shared: change a copy
                    row[c] = shown
        # the indicators the merge covers, as every message on a row names its indicator: the rows that are items
        items = [numbers[r] for r in range(r1, min(r2, len(loc.table) - 1) + 1) if r in numbers
                 and any(v != "" for i, v in enumerate(loc.table[r]) if i in by_index)]
        field, field_en = _of_items(form, items, "、".join(c.label for c in hit), ", ".join(c.label_en for c in hit))
        if spans:
            cells.add("cell.merged_read", sheet, r1, c1, base_path, field=field, field_en=field_en, value=top,
                      detail=rows)
        else:
            cells.add("cell.merged", sheet, r1, c1, base_path, field=field, field_en=field_en, detail=rows)


def _split_rows(loc: Located, cells: _Cells, cols: dict, by_index: dict, merged: list, base_path: str,
                numbers: dict) -> set:
    """One indicator split over rows by a paste of a Word table (its 三级 in two paragraphs: Excel gives each a row,
    and merges every other cell of the Word row over them): rows below an item row whose only filled cell is the
    三级, under merges of that row's cells down over them, its target among them.  On paper it is one indicator;
    it is read as one, its 三级 the texts joined (none lost), the rows below read as blank, and one warning at the
    first of them says to join the text into the first row and delete the rest.  The merges so read (none said
    otherwise)."""
    name_col, target_col = cols["name"].index, cols["target"].index
    seq_col = next((col.index for col in cols.values() if col.kind == "seq"), None)
    table, first = loc.table, loc.form.table.first_row
    groups: dict = {}
    for box in merged:
        top, c1, bottom, c2 = box
        if c1 == c2 and bottom > top >= first and (c1 in by_index or c1 == seq_col):
            groups.setdefault((top, bottom), []).append(box)
    done: set = set()
    for (top, bottom), boxes in groups.items():
        down = {box[1] for box in boxes}
        if target_col not in down or name_col in down or bottom >= len(table):
            continue
        head = table[top]
        if not _shows(at(table, top, name_col)) or any(
                _shows(head[c]) for c in by_index if c < len(head) and c != name_col and c not in down):
            continue  # a cell of the first row not shared by the rows below: each row its own
        below = [table[r] for r in range(top + 1, bottom + 1)]
        # A continuation holds its 三级 and nothing else of its own: a row with its own 序号 (not merged down from
        # the first) or any other filled cell is an indicator of its own (two rows sharing merged cells, as tables
        # are commonly formatted), never joined.
        seq_own = seq_col is not None and seq_col not in down
        if not all(isinstance(at(table, r, name_col), str) and _shows(at(table, r, name_col))
                   and not any(_shows(row[c]) for c in range(len(row))
                               if c != name_col and (c != seq_col or seq_own))
                   for r, row in zip(range(top + 1, bottom + 1), below)):
            continue
        parts = [str(at(table, r, name_col)) for r in range(top, bottom + 1)]
        joined = clean_name("\n".join(p.strip() for p in parts))
        head = table[top] = list(head)  # calamine's rows may be shared: change a copy
        head[name_col] = joined
        for r in range(top + 1, bottom + 1):
            row = table[r] = list(table[r])
            row[name_col] = ""
        done.update(boxes)
        rows = f"{top + 2}" if bottom == top + 1 else f"{top + 2}–{bottom + 1}"
        field, field_en = _of_items(loc.form, [numbers[top]] if top in numbers else [], cols["name"].label,
                                    cols["name"].label_en)
        continued = "、".join(p.strip() for p in parts[1:])
        cells.add("cell.split_row", loc.form.table.name, top + 1, name_col, base_path, field=field,
                  field_en=field_en, value=continued, expected=joined, detail=str(top + 1), area=rows)
    return done


def _of_items(form, numbers: list, label: str, label_en: str) -> tuple[str, str]:
    """A column's title on some item rows, as a message names it (zh, en): “第1至3条指标的一级指标”, 'indicator 1 to 3
    level-1 indicator', by the 序号 the rows print (or their sheet rows where they print none: ``_printed_numbers``);
    the title alone where the rows are no items."""
    if not numbers:
        return label, label_en
    zh_title, en_title = form.item_title
    if all(isinstance(n, int) for n in numbers) and numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        if len(numbers) == 1:
            zh, en = zh_title.format(n=numbers[0]), en_title.format(n=numbers[0])
        else:  # consecutive: a range
            zh, en = zh_title.format(n=f"{numbers[0]}至{numbers[-1]}"), en_title.format(n=f"{numbers[0]} to {numbers[-1]}")
    else:
        zh, en = first_listed(
            (zh_title.format(n=n) if isinstance(n, int) else form.row_title[0].format(row=n) for n in numbers),
            (en_title.format(n=n) if isinstance(n, int) else form.row_title[1].format(row=n) for n in numbers), 5)
    return f"{zh}的{label}", f"{en} {label_en.lower()}"


def _merged_across(loc: Located, cells: _Cells, by_index: dict, r: int, c1: int, c2: int, base_path: str,
                   numbers: dict) -> None:
    """A merge over columns c1..c2 of one item row: the cells it covers read empty, as printed; what the first of
    them held (out of sight: LibreOffice keeps it) is named in a warning at its cell."""
    row = loc.table[r] if r < len(loc.table) else []
    hidden = [c for c in range(c1 + 1, min(c2, len(row) - 1) + 1) if row[c] != ""]
    if not hidden:
        return  # nothing under the merge: it reads as it prints
    held = {c: row[c] for c in hidden}
    row = loc.table[r] = list(row)  # calamine's rows may be shared: change a copy
    for c in hidden:
        row[c] = ""
    c = next((c for c in hidden if c in by_index), None)
    if c is not None:  # (a note beyond the form's columns is cell.outside's)
        field, field_en = _of_items(loc.form, [numbers[r]] if r in numbers else [], by_index[c].label,
                                    by_index[c].label_en)
        cells.add("cell.merged_across", loc.form.table.name, r, c, base_path, field=field, field_en=field_en,
                  value=_as_typed(held[c]), detail=str(r + 1))


_BLANK = {"": None}  # an empty cell's value, and what it reads as (``_BLANK.get(v, v)``: any other value as it is)

#: The kinds of column whose values _interpret_rows looks at beyond bounding their text.
_LOOKED_AT = frozenset({"longtext", "actual", "number"})


# What _interpret_rows takes from a form and framework for every return, worked out once: form -> {id(fw): (fw, plan)}
_PLANS: WeakKeyDictionary = WeakKeyDictionary()


def _rows_plan(form, fw) -> tuple:
    """The rows' plan of `form` under framework `fw`, made once per process (a framework object replaced under the
    same id is planned for again)."""
    per_form = _PLANS.get(form)
    if per_form is None:
        per_form = _PLANS[form] = {}
    found = per_form.get(id(fw))
    if found is None or found[0] is not fw:
        found = per_form[id(fw)] = (fw, _make_rows_plan(form, fw))
    return found[1]


def _make_rows_plan(form, fw) -> tuple:
    sheet = form.table.name
    cols = {col.key: col for col in form.columns(fw)}
    item_source = f"{sheet}!{a1(form.table.header_row, cols['level1'].index)}"
    letters = {k: col_letter(col.index) for col in cols.values() if col.kind != "seq" for k in col.item_keys}
    input_cols = [col.index for col in cols.values() if col.kind != "seq"]
    index = [(key, col.index) for key, col in cols.items()]
    # a row's cells by key, taken in C where the row reaches every column (calamine gives every row the sheet's width)
    keys, last_index = tuple(key for key, _ in index), max(i for _, i in index)
    pick = itemgetter(*(i for _, i in index)) if len(index) > 1 else (lambda row: (row[index[0][1]],))
    # the comparator column stands for the comparator, target and unit cells, read together
    # (`plain`: a kind whose value is only bounded, as most columns' are: names, ids, choices)
    steps = [(col, parser_of(col), col.key, col.kind, col.kind not in _LOOKED_AT)
             for col in cols.values() if col.kind not in ("seq", "target", "unit")]
    seq_index = next((col.index for col in cols.values() if col.kind == "seq"), None)
    screened = [col for col in cols.values() if col.kind != "seq"]
    total = form.table.total
    total_label = total_col = others = None
    if total is not None:  # the computed line below the items (总分): not an item, its formula not input
        total_label = "".join(total.label.split())
        total_col = cols[total.column].index
        others = [i for i in input_cols if i != total_col]
    return (cols, item_source, col_letter(cols["name"].index), letters, input_cols, set(input_cols), index, keys,
            last_index, pick, steps, seq_index, screened, total_label, total_col, others,
            row_reader(form, fw, tuple(cols.values())))


def _interpret_rows(loc: Located, cells: _Cells, sources: Sources, items: list) -> None:
    form, fw = loc.form, loc.fw
    sheet = form.table.name
    (cols, item_source, name_letter, letters, input_cols, input_set, index, keys, last_index, pick, steps, seq_index,
     screened, total_label, total_col, others, fast) = _rows_plan(form, fw)
    sources[form.table.item_path] = item_source
    sources.item_path, sources.sheet = form.table.item_path, sheet
    sources.name_letter, sources.letters = name_letter, letters  # (the letters: read, never changed)
    comp_col, target_col, unit_col = cols["comparator"], cols["target"], cols["unit"]
    printed, numbers = _printed_numbers(loc.table, form.table.first_row, seq_index)
    base_path = form.table.item_path
    facts = loc.table_facts
    # rows holding an error value or a formula (few, usually none): only their cells are screened
    flagged_rows = {r for r, _ in (facts.errors | facts.formulas)} if facts is not None else set()
    # rows with an error value in an input column: the reader's table holds "" there, but the department's cell
    # shows #REF!, #N/A …: the row is not empty (read, each error said), nor is a 总分 line with one beside it
    error_rows = {r for r, c in facts.errors if c in input_set} if facts is not None and facts.errors else set()
    hidden = _hidden_rows_of(loc, sheet, facts)
    percent = facts.percent if facts is not None else ()
    format_text = facts.format_text if facts is not None else {}
    if format_text and loc.grid is not None and libreoffice_shows(loc.grid.kind, loc.grid.saved_by()):
        format_text = {cell: as_libreoffice(entry) for cell, entry in format_text.items()}  # as it showed them
    limit = cells.text_limit
    total = form.table.total  # the computed line below the items (总分): not an item, its formula not input
    merged = _merges_of(loc, sheet, facts)
    if merged:
        _read_merged(loc, cells, cols, merged, base_path, numbers)
    # the rows the generated function (`fast`, ``_rowcode``) may read: none of whose cells is screened, shown as a
    # percent or with format text, nor hidden
    # cells whose number format shows their value otherwise (scaled, or as nothing): the screen's, as for the header
    otherwise = facts.shown_otherwise if facts is not None else {}
    otherwise_rows = {r for r, _ in otherwise} if otherwise else ()
    special = flagged_rows.union(hidden, (r for r, _ in percent), (r for r, _ in format_text), otherwise_rows) \
        if flagged_rows or hidden or percent or format_text or otherwise_rows else flagged_rows
    fractions: list = []  # (column, value) of a row's numbers below 1 in columns of the target's unit
    hundredfold: list = []  # (column, number, percent shown) of a row's percent cells shown above 100 %
    blank_runs: list = []  # runs of blank rows inserted among the approved rows (0-based rows), each said once
    blank_run: list = []
    # the run of blank rows above the next row read: above the first row of a table a blank row ends, or (a table
    # `issued_one_each`) anywhere among its rows; inserted, if approved rows follow
    leading: list = []
    lead_ok = None  # whether the approved rows the template recorded follow them (``_rows_resume``), once asked
    record = _Record(loc, cells)  # the template's record of the rows and the rows' CRCs, each computed once
    cleared_to = -1  # where the places of a row cleared end (``_row_cleared``): the blank rows above, cleared too
    formula_runs: list = []  # runs of rows blank to the eye but for formulas showing nothing: [rows, cells]
    # a table of one row per approved target with its total line right below them (a self-evaluation's): no blank
    # row among them or above the total was issued; its runs of blank rows, said where every approved row was read
    issued_one_each = not form.table.insert_rows and not form.table.ends_at_blank and total is not None
    gaps: list = []
    # a table whose rows are the department's (a goal table's): its blank rows above the first row read, which print
    left_blank: list = []
    left_runs: list = []
    typed_units: list = []  # (column, text) of a row's numbers typed as text in columns of the target's unit
    # where a 合计 line may be typed (the rows are the department's): the cells its word may stand in, the others
    total_line = _total_line_cols(cols, seq_index)
    totals: list = []  # the 0-based rows of the 合计 lines said (cell.total_row): their 序号 no text of a note
    first_row = form.table.first_row
    blank = _blank_rows(loc.table, first_row, input_cols)
    end = len(loc.table)  # the row the table ends above (总分, a blank row ending it, the rows a template may have)

    def is_blank(j: int) -> bool:  # (j: a row of the table, first_row on)
        return blank[j - first_row] and j not in error_rows

    for r in range(first_row, len(loc.table)):
        row = loc.table[r]
        width = len(row)
        # the total line (总分), found by its label whether its cell shows a value or not (a workbook saved by a
        # script keeps no formula's value): not an item; its cell is where the total's problems are said
        if total is not None and _is_total_row(row, total_label) \
                and not any(row[i] != "" for i in others if i < width) \
                and not (r in error_rows and any((r, i) in facts.errors for i in others)):
            sources[total.path] = f"{sheet}!{a1(r, total_col)}"
            typed = row[total_col] if total_col < width else ""
            if facts is not None and (r, total_col) not in facts.formulas and typed != "" \
                    and facts.formulas_known:  # typed over (formulas known: not _grid.Unscreened)
                sources.total_typed = (r, total_col, typed)  # held to the scores once they are read
            elif facts is not None and typed != "" and facts.formulas_known:  # a formula: the template's, or not
                sources.total_formula = (r, total_col, typed)  # its result held to the template's formula's
            # 总分 ends the table, as the form declares: a note or a signature line typed below it is no
            # indicator; it is not read, and one warning says so (anything typed beside 总分 is read as a row,
            # so nothing typed is dropped unseen)
            _typed_below(loc, cells, sheet, loc.table, r + 1, max(input_cols), -1)
            if leading:  # blank rows right above 总分, inserted there too
                gaps.append(leading)
            end = r
            break
        if blank[r - first_row] and r not in error_rows:  # is_blank(r), inline (every row asks it)
            if seq_index is not None and seq_index < width and _total_word(row[seq_index]):
                # 合计 in 序号 alone (its totals left off): a total line, said as one (not a note below the table)
                _total_said(cells, form, sheet, r, seq_index, row[seq_index])
                totals.append(r)
                continue
            if r in flagged_rows:  # formulas showing nothing (""): a row blank to the eye and on paper, not read;
                _formula_row(formula_runs, facts, r, input_cols)  # ... but not left unsaid (cell.formula_blank_row)
            if issued_one_each:  # a run of blank rows among the approved rows, above them or above 总分
                leading.append(r)
                continue
            if form.table.insert_rows:  # above the first row read: said (not a formula row: said; nor a hidden one);
                if not items and r not in flagged_rows and r not in hidden:  # one among the rows is the department's
                    left_blank.append(r)  # (to group them: tests/test_real_clients.py)
                continue
            if not items and form.table.ends_at_blank:  # above the first row: inserted there, if the approved rows
                if lead_ok is None:  # follow (the same for every blank row above them: asked once)
                    lead_ok = _rows_resume(loc, r, 0, is_blank, record)
                if lead_ok:
                    leading.append(r)
                continue
            if items and form.table.ends_at_blank:  # a blank row after the issued rows ends the table, as declared
                if blank_run and blank_run[-1] == r - 1:
                    blank_run.append(r)  # the next of a run of inserted blank rows
                    continue
                if r < cleared_to:  # among the approved rows found in their places: cleared
                    continue
                if _rows_resume(loc, r, len(items), is_blank, record):  # ... unless the approved rows go on below it
                    blank_run = [r]
                    blank_runs.append(blank_run)
                    continue
                to = _row_cleared(loc, r, is_blank, record)  # ... or it was cleared there
                if to:
                    cleared_to = to
                    continue
                _typed_below(loc, cells, sheet, loc.table, r, max(input_cols), -1)
                end = r
                break
            continue
        if blank_run:
            blank_run = []  # the run ended: a later blank row starts another
        if leading:
            (gaps if issued_one_each else blank_runs).append(leading)  # approved rows follow the blank rows above them
            leading = []
        if left_blank:
            left_runs += _runs(left_blank)
            left_blank = []
        if _total_line(row, width, total_line):
            # a 合计 line typed below the indicators, as paper forms have: no indicator, its 分值 (得分) in no total;
            # said at its word (the 三级's or 一级's where it has one, else 序号's)
            c = next((c for c in total_line[0] if c < width and row[c] != ""), seq_index)
            _total_said(cells, form, sheet, r, c, row[c])
            totals.append(r)
            continue
        if len(items) >= form.table.max_rows:
            cells.add("template.too_many_rows", sheet, r, cols["name"].index, base_path, value=len(items) + 1,
                      expected=str(form.table.max_rows))
            end = r
            break
        if fast is not None and width > last_index and r not in special:  # plain cells (most rows): one straight path
            item = fast(row, limit)
            if item is not None:
                sources.rows.append(r + 1)
                sources.numbers.append(numbers.get(r, str(r + 1)))
                sources.printed.append(printed.get(r))
                items.append(item)
                continue
        if width > last_index:  # an empty cell ("") as None, in C
            picked = pick(row)
            try:
                values = dict(zip(keys, map(_BLANK.get, picked, picked)))
            except TypeError:  # a value no dict holds as a key (none calamine gives)
                values = {key: (v if v != "" else None) for key, v in zip(keys, picked)}
        else:
            values = {key: (row[i] if i < width and row[i] != "" else None) for key, i in index}
        base = f"{base_path}/{len(items)}"
        item: dict = {}
        sources.rows.append(r + 1)
        sources.numbers.append(numbers.get(r, str(r + 1)))
        sources.printed.append(printed.get(r))
        if r in hidden:
            cells.add("cell.hidden_row", sheet, r, cols["name"].index, base, value=r + 1)
        if r in flagged_rows:
            for col in screened:
                if cells.screen(facts, sheet, r, col.index, values[col.key], f"{base}/{col.item_keys[0]}",
                                col.label):
                    values[col.key] = None
        logical = _logical_values(cells, sheet, r, base, values, cols) \
            if bool in map(type, values.values()) else ()  # (a type compared by identity, in C)
        scaled_at = _rows_shown_otherwise(cells, sheet, r, base, values, screened, otherwise) \
            if r in otherwise_rows else ()
        for col, parse, key, kind, plain in steps:
            if col is comp_col:
                _target(cells, sheet, r, base, values, item, comp_col, target_col, unit_col,
                        _percent_at(facts, r, target_col.index, values.get(target_col.key)),
                        None if target_col.index in scaled_at else format_text.get((r, target_col.index)), logical)
                continue
            raw = values[key]
            if raw is None:
                continue
            if logical and key in logical:  # TRUE / FALSE: said (cell.logical_value), kept as the client prints it
                item[key] = raw
                continue
            try:
                v = parse(raw)
            except Unreadable as exc:
                cells.unreadable(exc, sheet, r, col.index, raw, f"{base}/{key}", col.unreadable, col.label)
                v = str(as_json_value(raw))  # kept as typed; the schema flags it too
            if v is None:
                continue
            if plain:
                if isinstance(v, str) and len(v) > limit:
                    v = cells.bounded(v, kind, sheet, r, col.index, f"{base}/{key}", col.label)
                item[key] = v
                continue
            whole = v
            if isinstance(v, str) and len(v) > limit:
                v = cells.bounded(v, kind, sheet, r, col.index, f"{base}/{key}", col.label)
            if kind == "longtext" and isinstance(v, str):
                cells.printable(v, col.width, sheet, r, col.index, f"{base}/{key}", loc.grid,
                                cut=v is not whole, down=cells.merged_down(r, col.index))
                cells.beyond_page(sheet, r, col.index, f"{base}/{key}", loc.grid, cells.merged_down(r, col.index))
            elif kind == "actual" and isinstance(raw, (int, float)) and not isinstance(raw, bool):
                # a number in a column of the target's unit
                signs = _percent_at(facts, r, col.index, raw)
                if signs:
                    try:  # pasted, shown as 85%: the percent people see, as for the target (0%%: 5 as 50000%%)
                        v = _as_percent(raw, signs)
                    except Unreadable as exc:  # a percent beyond any number (1e308 shown as a percent)
                        cells.unreadable(exc, sheet, r, col.index, _percent_text(raw, signs) + _signs_shown(signs),
                                         f"{base}/{key}", field=col.label)
                        item[key] = format_number(raw)  # kept as its digits; the schema flags it too
                        continue
                    if raw > 1:  # shown above 100 %: 95 typed in LibreOffice (9500%)? held to the row's target below
                        hundredfold.append((col, raw, v, signs))
                elif 0 < raw <= 1:  # 1: 100 % pasted as a value (Paste Values), asked only if the target says so
                    fractions.append((col, raw))
                shown = format_text.get((r, col.index)) if col.index not in scaled_at else None
                if shown:  # a paste bringing 0"人" to a row in %: the paper shows 95人, read as 95 %
                    _actual_shown_with_text(cells, sheet, r, f"{base}/{key}", item, col, raw, v, shown, signs)
            elif kind == "number" and percent and _percent_shown(
                    cells, facts, kind, sheet, r, col.index, raw, f"{base}/{key}", col.label,
                    col.label_en) is not None:  # (no cell of the sheet is shown as a percent: none to look at)
                continue  # 97% typed for a score of 9.7: not read as 0.97
            elif kind == "actual" and isinstance(v, (int, float)) and (0 < v < 1 and _BARE.fullmatch(raw)
                                                                    or v == 1 and _ONE.fullmatch(raw)):
                # typed into the text cell as "0.85", no % with it; or "1" (100 %), asked only if the target says so
                fractions.append((col, v))
            if kind == "actual" and isinstance(raw, str) and isinstance(v, (int, float)):
                typed_units.append((col, raw))  # "81人": its unit is held to the row's below
            item[key] = v
        for col, raw in fractions:  # 0.85 where the unit is %: most likely 85 % (a warning, as for the target)
            if item.get("unit") == "%" and _fraction_asked(raw, item.get("comparator"), item.get("value")):
                cells.add("cell.percent_fraction", sheet, r, col.index, f"{base}/{col.key}", field=col.label,
                          field_en=col.label_en, value=format_number(raw), expected=_percent_text(raw))
        fractions.clear()
        for col, raw, shown, signs in hundredfold:  # 95 in a 0.00% cell, shown 9500%: most likely 95 % (read as shown)
            if item.get("unit") in ("%", None) and _hundredfold_asked(raw, item.get("comparator"), item.get("value")):
                _said_hundredfold(cells, sheet, r, col, f"{base}/{col.key}", raw, shown, signs)
        hundredfold.clear()
        for col, raw in typed_units:  # a number typed with another unit than the row's: not read as the row's
            unit, want = _unit_typed(raw), item.get("unit")
            if _multiplied(cells, sheet, r, col, f"{base}/{col.key}", raw, item.get(col.key), unit,
                           want if isinstance(want, str) else None):
                item[col.key] = clean_text(raw)  # kept as typed; an error, so no rule computes with it
            elif unit and isinstance(want, str) and want.strip() and _unit_key(unit) != _unit_key(want):
                cells.add("cell.actual_unit", sheet, r, col.index, f"{base}/{col.key}", field=col.label,
                          field_en=col.label_en, value=str(raw), expected=want.strip())
                item[col.key] = clean_text(raw)  # kept as typed; an error, so no rule computes with it
        typed_units.clear()
        text = item.get("text")
        if isinstance(text, str) and len(text) > limit:
            item["text"] = cells.bounded(text, "text", sheet, r, target_col.index, f"{base}/text", target_col.label)
        items.append(item)
    if form.table.insert_rows and items:  # the rows are the department's: a note may end them
        _note_rows(loc, cells, sheet, items, sources, input_cols)
    if seq_index is not None and None in printed.values():  # (most tables: every row prints its 序号)
        _seq_text(cells, sheet, loc.table, printed, end, seq_index, {row - 1 for row in sources.rows}.union(totals))
    if gaps and items and loc.grid is not None:  # inserted, not rows cleared: as many rows read as were issued
        recorded = recorded_rows(loc.grid.custom_properties())
        if recorded is not None and recorded[0] == len(items):
            blank_runs += gaps
    for run in blank_runs:
        rows = _rows_span(run)
        cells.add("template.blank_row_inserted", sheet, run[0], cols["name"].index, "", field=sheet,
                  field_en=form.table.name_en or None,
                  value=len(run), detail=rows, detail_en=rows)
    for run in left_runs:  # a warning: the rows are the department's, a blank one among them a slip that prints
        rows = _rows_span(run)
        cells.add("cell.blank_rows_above", sheet, run[0], cols["name"].index, "", field=sheet,
                  field_en=form.table.name_en or None,
                  value=len(run), detail=rows, detail_en=rows)
    if formula_runs:
        by_index = {col.index: col for col in cols.values()}
        for run, at in formula_runs:
            rows = _rows_span(run)
            held = [by_index[c] for c in sorted({c for _, c in at})]
            cells.add("cell.formula_blank_row", sheet, *at[0], "", field="、".join(c.label for c in held),
                      field_en=", ".join(c.label_en for c in held), value=len(at), detail=rows,
                      detail_en=rows)


def _logical_values(cells: _Cells, sheet: str, r: int, base: str, values: dict, cols: dict) -> set:
    """The keys of row `r`'s cells holding a native boolean (t="b"), each said (cell.logical_value, an error: no text
    or number was typed; Excel and WPS print TRUE / FALSE, LibreOffice may print 1 / 0) and its value made TRUE or
    FALSE in `values`, as the info sheet's fields are (_read_field): never 是/否, Python's True, nor 1 / 0."""
    found = set()
    for key, v in values.items():
        if type(v) is bool:
            col, shown = cols[key], "TRUE" if v else "FALSE"
            cells.add("cell.logical_value", sheet, r, col.index, f"{base}/{col.item_keys[0]}", field=col.label,
                      field_en=col.label_en, value=shown)
            values[key] = shown
            found.add(key)
    return found


def _blank_rows(table: list, first: int, input_cols: list) -> list:
    """Whether each row of `table` from `first` on holds nothing in the form's input columns (0-based `input_cols`):
    one bool per row, taken in C where every row reaches the last input column (calamine gives every
    row the sheet's width), else row by row."""
    rows = table[first:]
    last = max(input_cols)
    if rows and min(map(len, rows)) > last:
        empty = ("",) * len(input_cols)
        cells = itemgetter(*input_cols) if len(input_cols) > 1 else (lambda row: (row[last],))
        return list(map(empty.__eq__, map(cells, rows)))
    return [not any(row[i] != "" for i in input_cols if i < len(row)) for row in rows]


def _rows_span(run: list) -> str:
    """A run of rows (0-based, consecutive) as a message names them: 7, or 7–9."""
    return f"{run[0] + 1}" if len(run) == 1 else f"{run[0] + 1}–{run[-1] + 1}"


def _formula_row(runs: list, facts, r: int, input_cols: list) -> None:
    """Note row `r` (0-based), blank to the eye, where its input cells hold formulas showing nothing: in the run of
    such rows it continues (the row right below the run's last), else a new run; a run is [rows, (row, col) cells]."""
    at = [(r, c) for c in input_cols if (r, c) in facts.formulas]
    if not at:
        return
    if runs and runs[-1][0][-1] == r - 1:
        runs[-1][0].append(r)
        runs[-1][1].extend(at)
    else:
        runs.append([[r], at])


def _shown_otherwise(cells: _Cells, doc: dict, f, sheet: str, raw, otherwise: tuple) -> bool:
    """A field whose cell's number format shows its value otherwise than it is read (SheetFacts.shown_otherwise):

    - an amount scaled as money (#,##0.00"万元" shows 6280 as 6,280.00万元, 62,800,000 元; #,##0.00, shows 62,800,000
      as 62,800.00 under the label 元): an error, ``cell.amount_scaled``, quoting what the cell shows, that amount in
      元 and the number read; the number read is kept, never multiplied (which the department meant is theirs to say:
      the printed copy and the data disagree).  True: the field is read (no other advice, as “round to the fen” for
      0.628 shown as 0.6280亿元);
    - a value its format shows as nothing (;;;, none of our templates' formats): a warning, ``cell.format_blank``, the
      value read as usual (False)."""
    number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    field_en = cells.form.title_of(f.path, "en")
    at = otherwise_at(otherwise, raw) if number else None  # the section that shows this number
    if at is not None and at[0] == "scaled":
        if f.kind != "amount":
            return False
        try:
            value = KINDS[f.kind].parse(raw)
        except Unreadable:  # 0.628 shown as 0.6280亿元: no “round to the fen”, the unit is what is wrong
            value = as_json_value(raw)
        scale = at[1]
        cells.add("cell.amount_scaled", sheet, f.row, f.col, f.path, field=f.label, field_en=field_en,
                  value=_as_typed(raw), **_EXPECTED["cell.amount_scaled"], detail=_printed(otherwise, raw, scale),
                  printed=scale.in_yuan(raw))
        put(doc, f.path, value)
        return True
    if raw is None or raw == "":
        return False
    _say_format_blank(cells, sheet, f.row, f.col, f.path, f.label, field_en, raw, otherwise, at)
    return False


def _printed(entry, raw, scale) -> str:
    """What a cell whose number format scales it (a "scaled" entry of SheetFacts.shown_otherwise) prints for `raw`,
    as Excel renders it from the entry's code (146,407,273.00万元, 0.10: shown_number); where the entry keeps no code
    (an .ods's number style) or the code shows no plain number, the number scaled, exact, with its unit."""
    code = entry[3] if entry[0] == "scaled" and len(entry) > 3 else None
    return (shown_number(code, raw) if code else None) or scale.shown(raw)


def _say_format_blank(cells: _Cells, sheet: str, r: int, c: int, path: str, field: str, field_en: str, raw,
                      entry: tuple, at) -> None:
    """``cell.format_blank`` at a cell whose format (its shown_otherwise `entry`) shows its value `raw` as nothing or
    as a text of its own: a number the section showing it (`at`, otherwise_at's: ("blank", the text shown, "" for
    nothing)) shows so, or a text where the format shows texts as nothing too (;;;); else nothing said.  The value is
    quoted to its first 40 characters, with the format code the entry keeps third (;;;, ;;, "详见附件"; "" for an
    .ods's scaled entry that keeps none), as the header's fields and the table's cells say it alike."""
    number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
    if at is not None:
        shown = at[1]
    elif not number and entry[0] == "blank" and entry[1]:
        shown = ""
    else:
        return  # a number its section shows as it is, a text the format shows as it is
    code = entry[2] if len(entry) > 2 else ""
    found = str(_as_typed(raw))
    advice = (f"显示为“{shown}”", f"shows '{shown}'") if shown else ("为空白", "is blank")
    cells.add("cell.format_blank", sheet, r, c, path, field=field, field_en=field_en,
              value=found if len(found) <= 40 else found[:40] + "…", detail=code, **_EXPECTED["cell.format_blank"],
              advice=advice[0], advice_en=advice[1])


#: The table's columns whose number a format may show scaled (cell.number_scaled): the target, the results, 分值/得分
_SCALED_KINDS = frozenset({"target", "actual", "number"})


def _rows_shown_otherwise(cells: _Cells, sheet: str, r: int, base: str, values: dict, cols, otherwise: dict) -> set:
    """The cells of indicator row `r` whose number format shows their value otherwise than it is read (the screen's
    SheetFacts.shown_otherwise, as for the header's fields; `cols`: the table's input columns, as the form declares
    them), each said at its cell, the value read as usual:

    - a number in a column of numbers (年度指标值, 实际完成值, 1-N月执行情况, 全年预计完成情况, 分值, 得分) the format
      divides (``#,##0.00,`` prints 62,800 for 62,800,000; ``0.00,"万元"``): an error, ``cell.number_scaled``, the
      paper and the data disagree.  A format that only shows a unit beside the number read (``0.00"万元"``) is the
      row's unit's to judge (cell.target_format_conflict, cell.actual_format_conflict), not this;
    - a value its format shows as nothing (;;;): a warning, ``cell.format_blank``, in any column.

    Returns the columns said scaled: what their format's text shows is not said again (one problem per cell)."""
    scaled: set = set()
    for col in cols:
        entry = otherwise.get((r, col.index))
        raw = values.get(col.key) if entry is not None else None
        if raw is None or raw == "":
            continue
        number = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        path = f"{base}/{col.item_keys[0]}"
        at = otherwise_at(entry, raw) if number else None  # the section that shows this number
        if at is not None and at[0] == "scaled":
            if col.kind in _SCALED_KINDS and at[1].divisor != 1:
                cells.add("cell.number_scaled", sheet, r, col.index, path, field=col.label, field_en=col.label_en,
                          value=_as_typed(raw), **_EXPECTED["cell.number_scaled"],
                          printed=_printed(entry, raw, at[1]))
                scaled.add(col.index)
            continue
        _say_format_blank(cells, sheet, r, col.index, path, col.label, col.label_en, raw, entry, at)
    return scaled


#: A number shown as a percent in a cell of these kinds (typed as 97%, or pasted with its 0% format) is not the
#: number meant: kind -> the problem said at the cell, quoting what it shows, and whether the value is kept as shown.
#: A 得分 or 分值 (number): “97%” typed for a score of 9.7 is 0.97 to the reader and 97% on the printed form, and is
#: not read (no score is recomputed against 0.97).  An amount: 0.3 shown as 30% is no amount in yuan; the field
#: keeps “30%”, as the department sees it (the schema flags it too, no rule computes with 0.30 元).
_PERCENT_SHOWN = {"number": ("cell.number_percent", False), "amount": ("cell.amount_percent", True)}


def _percent_shown(cells: _Cells, facts, kind: str, sheet: str, r: int, c: int, raw, path: str, label: str,
                   label_en: str) -> str | None:
    """What a number of a `kind` of ``_PERCENT_SHOWN`` shows where its cell shows it as a percent (“97%”), its
    problem added; else None."""
    said = _PERCENT_SHOWN.get(kind)
    if said is None or not _shown_as_percent(raw, facts, r, c):
        return None
    shown = _as_shown(raw, facts, r, c)
    cells.add(said[0], sheet, r, c, path, field=label, field_en=label_en or cells.form.title_of(path, "en"),
              value=shown)
    return shown


def _fraction_of_a_yuan(raw) -> bool:
    """Whether a number in an amount cell is above 0 and below 1 元: a percent typed into it (50% is 0.5 to every
    spreadsheet; where the cell keeps its #,##0.00 the format no longer tells it, cell.amount_fraction), never a
    project's amount."""
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw) and 0 < raw < 1


def _fraction_asked(typed, comp, target) -> bool:
    """Whether a number below 1 (or 1) typed on a row in % (a 实际完成值, a 全年预计完成情况) is asked about as a percent
    typed as a fraction, held to the row's own target: only where reading it as the percent (0.88 as 88) fits the
    target better than the number typed.  A limit (≤, <): where the percent also keeps within it (≤80 %: 0.5 or
    50); a 0.3 on a row of ≤5 % or ≤0.5 % keeps within it as typed, and 30 would break it, so it is real.  A level
    to reach or to equal (≥, >, =): where the target is nearer the percent than the number typed (by ratio:
    above ten times it), as 85 is to 88 and not to 0.88; a 0.3 on a row of ≥0.5 % is as typed.  A row with no
    number to hold it to (no target, 定性: which has no unit) is asked, as ever; a 1 (100 % pasted as a value) only
    where the target says so: on a row of ＝100 %, not where it has no number to hold it to."""
    if comp not in ("<=", "<", ">=", ">", "=") or not isinstance(target, (int, float)) or isinstance(target, bool) \
            or not math.isfinite(target):
        return typed < 1
    x, t = Decimal(repr(float(typed))), Decimal(repr(float(target)))
    if comp == "<=":
        return x * 100 <= t
    if comp == "<":
        return x * 100 < t
    return t > x * 10


class _Record:
    """The template's record of a table's approved rows (``recorded_rows``), read when first asked, and each row's
    CRC (``row_crcs``) once computed: one per file, kept by ``_interpret_rows`` for ``_rows_resume`` and
    ``_row_cleared``, so that a blank row after every row costs one reading of each row, not one per blank row
    above it."""

    __slots__ = ("_loc", "_cells", "_recorded", "_read", "_crcs")

    def __init__(self, loc: Located, cells: _Cells) -> None:
        self._loc, self._cells = loc, cells
        self._recorded, self._read = None, False
        self._crcs: dict = {}  # row (0-based) -> its CRC, as the record writes it

    @property
    def recorded(self):
        """``recorded_rows``: (count, ..., CRCs), or None (no record, or no workbook to hold one)."""
        if not self._read:
            grid = self._loc.grid
            self._recorded, self._read = (recorded_rows(grid.custom_properties()) if grid is not None else None), True
        return self._recorded

    def crcs(self, rows: list) -> list:
        """The CRCs of table rows `rows` (0-based), each computed once."""
        todo = [j for j in rows if j not in self._crcs]
        if todo:
            loc, cells = self._loc, self._cells
            # the rows are read quietly: any problem with them is said when the row is read, not here
            quiet = _Cells(loc, cells.table, [], {"text_chars": cells.text_limit, "longtext_chars": cells.long_limit})
            self._crcs.update(zip(todo, (f"{c:08x}" for c in row_crcs([_locked_item(loc, quiet, j) for j in todo],
                                                                       locked_keys(loc.form)))))
        return [self._crcs[j] for j in rows]


def _rows_resume(loc: Located, r: int, have: int, is_blank, record: _Record) -> bool:
    """Whether blank row `r` (0-based), after `have` rows of a table that a blank row ends (a monitoring report's),
    was inserted among the approved rows rather than ending them: the template recorded more rows than `have`,
    exactly as many as are missing stand below it (blank rows among them skipped), with a blank row or the sheet's
    end right after them, and they are the approved rows the template recorded there: most of them (half or more)
    read as its record of the row in their place (one CRC per row, ``row_crcs``).  A note typed below the rows
    after a blank line is none, though rows are missing above it (the first row cleared): it is no approved row,
    nor are the rows below a cleared first row the rows recorded in their places (each is the record's next).
    What the rows below hold is then held to the record (``_locked_rows_changed``), a row typed over among them
    said as such.  `is_blank(j)`: whether table row j (0-based) is blank (``_interpret_rows``'s test); `record`:
    the file's ``_Record``."""
    recorded = record.recorded
    if recorded is None or recorded[0] <= have:
        return False
    count, _, crcs = recorded
    missing, table = count - have, loc.table
    below, j = [], r
    while j < len(table) and len(below) < missing:
        if not is_blank(j):
            below.append(j)
        j += 1
    if len(below) < missing or not (j >= len(table) or is_blank(j)):
        return False
    return 2 * sum(f == crcs[have + k] for k, f in enumerate(record.crcs(below))) >= missing


#: The rows below a blank row held to the template's record to tell it cleared in its place (``_row_cleared``).
_CLEARED_LOOKS = 16


def _row_cleared(loc: Located, r: int, is_blank, record: _Record) -> int:
    """Whether blank row `r` (0-based) of a table that a blank row ends (a monitoring report's) is an approved row
    cleared where it stands, not the table's end: the template recorded a row at its place, the rows below it up to
    the last place recorded stand in their places (blank ones among them cleared too), most of them (half or more)
    read as the record of their place, at least one row is read below it or, none read, the table still reaches the
    last place recorded (``_last_place_stands``: the last rows cleared), and the row after the last place is blank or
    the sheet's end.  The rows below are then read as rows, and ``_cleared_rows`` says the rows cleared, once.
    Only the first rows below it (``_CLEARED_LOOKS``) are held to their record here: every row read is held to it
    after (``_cleared_rows``; rows not in their places are then said as rows deleted or added).  `is_blank`,
    `record`: as ``_rows_resume``'s.  Returns where the places end (0-based, past the last), 0 if not cleared: the
    caller takes every blank row down to there as cleared without looking again, a few rows read per file, not the
    rows below each blank row."""
    recorded = record.recorded
    first = loc.form.table.first_row
    if recorded is None or not 0 <= r - first < recorded[0]:
        return 0
    count, _, crcs = recorded
    table, end = loc.table, first + count
    if end < len(table) and not is_blank(end):
        return 0
    # the rows right below it tell (what the rows read then are is held to the record whole: ``_cleared_rows``)
    below = list(islice((j for j in range(r + 1, min(end, len(table))) if not is_blank(j)), _CLEARED_LOOKS))
    if not below:  # every place from here to the last blank: the last rows cleared, where the table still reaches
        return end if _last_place_stands(loc, count) else 0  # the last place recorded; else the table's end
    if 2 * sum(f == crcs[j - first] for f, j in zip(record.crcs(below), below)) < len(below):
        return 0
    return end


def _last_place_stands(loc: Located, count: int) -> bool:
    """Whether the table still reaches the last of the `count` places the template recorded (its rows blank or not),
    so that the last rows, blank, were cleared where they stand and not deleted.  The record (a count and a CRC per
    row) alone cannot tell: a row cleared and a row deleted both leave `count` - 1 rows read in their places.  What
    the template wrote beside the rows tells it: a self-evaluation's 总分 stands right below the last place (a row
    deleted above it moves 总分 up, as Excel's and LibreOffice's delete row do); a table without 总分 (a monitoring
    report, a layout-1 self-evaluation) still prints at the last place the 序号 the template wrote there (`count`).
    Not knowable, and said as rows deleted (``template.locked_rows_count``), as before: a last row of a monitoring
    report cleared with its 序号 (the whole row selected and cleared), which leaves nothing the template wrote at its
    place.  Not told either, and said as cleared: a last row deleted and a blank row inserted in its place."""
    table, first = loc.table, loc.form.table.first_row
    plan = _rows_plan(loc.form, loc.fw)
    seq_index, total_label = plan[11], plan[13]
    if total_label is not None:
        return _is_total_row(table[first + count] if first + count < len(table) else (), total_label)
    row = table[first + count - 1] if seq_index is not None and first + count - 1 < len(table) else ()
    return seq_index is not None and seq_index < len(row) and _printed_number(row[seq_index]) == count


#: What a total line of the indicators is called (合计, 小计, 总计, 共计), spaces and a colon aside.
_TOTAL_WORDS = frozenset({"合计", "小计", "总计", "共计", "总合计", "分值合计", "合计分值"})


def _total_word(v) -> bool:
    """Whether a cell's value is one of _TOTAL_WORDS (合 计, 合计： as typed too)."""
    if type(v) is not str or not ("计" in v or "計" in v) or len(v) > 12:
        return False
    return "".join(unicodedata.normalize("NFKC", v).split()).rstrip(":").replace("計", "计") in _TOTAL_WORDS


#: The columns a total line may fill with its totals: a goal table's 分值, a self-evaluation's 分值 and 得分.
_TOTALLED = frozenset({"weight", "points", "score"})


def _total_line_cols(cols: dict, seq: int | None) -> tuple:
    """The columns a total line's word is typed in (一级, 二级, 三级), the other input columns but the ones it may
    fill with its totals (分值, a self-evaluation's 得分: _TOTALLED), that a total line leaves empty, and 序号's `seq`
    (where its word may stand alone)."""
    words = tuple(cols[k].index for k in ("level1", "level2", "name") if k in cols)
    others = tuple(col.index for key, col in cols.items() if col.kind != "seq" and key not in _TOTALLED
                   and col.index not in words)
    return words, others, seq


def _total_line(row, width: int, plan: tuple) -> bool:
    """Whether an item row is a total line (合计, with at most its totals in 分值 and 得分): the category and name
    cells filled hold a total word each, or none is filled and 序号 holds one (合计 in 序号, its 序号 else the
    number the template prints), every other input cell but the totals' is empty."""
    words, others, seq = plan
    said = [c for c in words if c < width and row[c] != ""]
    if said:
        if not all(_total_word(row[c]) for c in said):  # (an indicator's row: at its first cell)
            return False
    elif seq is None or seq >= width or not _total_word(row[seq]):
        return False
    return not any(_shows(row[c]) for c in others if c < width)


def _total_said(cells: _Cells, form, sheet: str, r: int, c: int, word) -> None:
    """cell.total_row at (r, c), the total line's word: what it is not counted in, by the form's totals (a goal
    table's 分值合计, a self-evaluation's 总分, none on a monitoring report)."""
    if form.table.total is not None:  # a self-evaluation: 总分 below the rows
        counted = ("，其分值、得分也不计入总分（总分按资金得分与各指标得分计算）", ", and its points and score are not counted in "
                   "the total score (computed from the funds' and the indicators' scores)")
        own = ("本表的合计为表末的“总分”行", "The form's total is the total score line at its end")
    elif any(col.key == "weight" for col in form.columns(cells.fw)):  # a goal table: 分值 per indicator
        counted = ("，其分值也不计入各指标分值合计（分值合计由校验按各指标自动核对）", ", and its points are not counted in "
                   "the indicators' total (the check adds up the indicators' points itself)")
        own = ("本表不设合计行", "The form has no total line")
    else:
        counted, own = ("", ""), ("本表不设合计行", "The form has no total line")
    cells.add("cell.total_row", sheet, r, c, "", value=_as_typed(word), detail=str(r + 1), counted=counted[0],
              counted_en=counted[1], own=own[0], own_en=own[1])


def _is_total_row(row, total_label: str) -> bool:
    """Whether a table row is the total line (总分): its first cell shows `total_label` (the rows' plan's, its
    spaces taken out), spaced as it may be."""
    return bool(row) and isinstance(row[0], str) and "".join(row[0].split()) == total_label


def _locked_item(loc: Located, quiet: _Cells, r: int) -> dict:
    """The locked values of table row `r` (0-based) as the reader reads them (``locked_keys``), to hold a row not
    (yet) read to the template's record of it.  `quiet`: cells whose problems nobody reads (_Record.crcs: any problem
    with the values is said when the row is read, not here).  The columns are the rows' plan's, made once a form."""
    form, row = loc.form, loc.table[r]
    cols = _rows_plan(form, loc.fw)[0]
    values = {key: (row[col.index] if col.index < len(row) and row[col.index] != "" else None)
              for key, col in cols.items() if col.kind != "seq"}
    errors = loc.table_facts.errors if loc.table_facts is not None else ()
    if errors:  # an error value (#N/A; a NaN's #NUM!, never the text "nan") is no value, as the row reads it
        values = {key: None if (r, cols[key].index) in errors else v for key, v in values.items()}
    item: dict = {}
    comp_col, target_col, unit_col = cols["comparator"], cols["target"], cols["unit"]
    for col in cols.values():
        if not col.locked or col.kind in ("seq", "target", "unit"):
            continue
        if col is comp_col:  # the comparator, target and unit cells, read together
            facts = loc.table_facts  # a number pasted with its 0% format: the percent it shows, as the row reads it
            _target(quiet, form.table.name, r, "", values, item, comp_col, target_col, unit_col,
                    _percent_at(facts, r, target_col.index, values.get(target_col.key)))
            continue
        raw = values[col.key]
        try:
            v = parser_of(col)(raw) if raw is not None else None
        except Unreadable:
            v = str(as_json_value(raw))
        if v is not None:
            item[col.key] = v
    return item


def _hundredfold_asked(number, comp, target) -> bool:
    """Whether a number above 1 in a cell formatted as a percent (95, shown as 9500%: what LibreOffice, and a pasted
    value, keep of 95 typed there; Excel's automatic percent entry keeps 0.95) on a row in % (a 实际完成值, a 全年预计
    完成情况) is asked about as the percent `number` itself, held to the row's own target: the mirror of
    ``_fraction_asked``.  A limit (≤, <): where the number keeps within it and what the cell shows does not (3 shown
    as 300 % on a row of ≤5 %; 8 breaks ≤5 % either way, and is not asked).  A level to reach or to equal (≥, >,
    =): where what the cell shows is more than ten times the target (9500 % of ≥90 %; 120 % of ≥90 %, over-fulfilled,
    is plausible and not asked).  A row with no number to hold it to: anything shown above 100 %."""
    if comp not in ("<=", "<", ">=", ">", "=") or not isinstance(target, (int, float)) or isinstance(target, bool) \
            or not math.isfinite(target):
        return True
    x, t = Decimal(repr(float(number))), Decimal(repr(float(target)))
    if comp == "<=":
        return x <= t < x * 100
    if comp == "<":
        return x < t <= x * 100
    return x * 100 > t * 10


def _said_hundredfold(cells: _Cells, sheet: str, r: int, col, path: str, number, shown, signs: int = 1) -> None:
    """The warning on a percent cell whose number (95) is shown a hundredfold (9500%; with `signs` % signs, as its
    format shows it: 950000%% under 0%%): read as shown, never changed; the message quotes both
    (``cell.percent_hundredfold``)."""
    cells.add("cell.percent_hundredfold", sheet, r, col.index, path, field=col.label, field_en=col.label_en,
              value=f"{format_number(shown)}{_signs_shown(signs)}", expected=f"{format_number(number)}%")


_BARE = re.compile(r"\s*[0-9]*\.[0-9]+\s*")  # a fraction typed alone, no unit or % with it
_ONE = re.compile(r"\s*[1１](?:[.．]0*)?\s*")  # a 1 typed alone: 100 % as a fraction, where the target says so


def _unit_typed(raw: str) -> str | None:
    """The unit typed after a number (``81人`` -> 人, ``92%`` -> %), or None."""
    try:
        found = split_target(raw)
    except Unreadable:
        return None
    return found[3] if found and found[0] == "number" else None



def _multiplied(cells: _Cells, sheet: str, r: int, col, path: str, raw, num, typed: str | None,
                unit: str | None) -> bool:
    """A number written with a multiplier where a unit would stand (``1.2万`` on a row in 平方米, ``3万人`` on a row
    in 人, ``5万`` on a row of no unit, ``3亿元`` on a row in 万元): 万 (亿, 千…) is no unit, and the number is not the
    row's.  An error at the cell (``cell.number_multiplier``) saying to write the number itself, exactly, in the row's
    unit (12000; 30000 for 3亿元 in 万元)."""
    if not typed or not isinstance(num, (int, float)) or isinstance(num, bool):
        return False
    key, want = _unit_key(typed), _unit_key(unit or "")
    if key == want:
        return False  # 1.2万元 on a row in 万元: the unit itself
    powers = dict(_MULTIPLIERS)
    word = next((w for w, _ in _MULTIPLIERS if key.startswith(w) and key[len(w):] in ("", want)), None)
    if word is not None and want.startswith(word):  # 1.2万 on a row in 万平方米: the unit cut short, not a multiplier
        return False
    # a row's unit of 万 or more of another unit (万元, 亿人, 百万元): a multiplier typed alone is of that unit too
    # (3亿 on a row in 万元 is 3亿元, 30000万元; not 300000000万元), as a multiplier typed with it is (3亿元)
    big = next((w for w, p in _MULTIPLIERS if p >= 10 ** 4 and want.startswith(w) and len(want) > len(w)), None)
    if word is not None and not (big and key == word):
        factor = Decimal(powers[word])
    elif word is not None:
        factor = Decimal(powers[word]) / Decimal(powers[big])
    else:
        # 3亿元 on a row in 万元: one unit (元) with two multipliers, exactly 30000 万元 (5000万元 on a row in 亿元: 0.5)
        word = next((w for w, _ in _MULTIPLIERS if key.startswith(w) and len(key) > len(w)), None)
        row_word = next((w for w, _ in _MULTIPLIERS if word and want == w + key[len(word):]), None)
        if row_word is None:
            return False
        factor = Decimal(powers[word]) / Decimal(powers[row_word])
    whole = Decimal(repr(num)) * factor
    shown = format_number(whole)
    row_unit = (unit or "").strip()
    cells.add("cell.number_multiplier", sheet, r, col.index, path, field=col.label, field_en=col.label_en,
              value=clean_text(raw) if isinstance(raw, str) else _as_typed(raw), expected=f"{shown}{row_unit}",
              detail=word, detail_en=word)
    return True


def _unit_key(unit: str) -> str:
    """A unit as units are compared: NFKC (％ is %), no spaces, case folded."""
    return "".join(unicodedata.normalize("NFKC", unit).split()).casefold()


def _as_percent(raw, signs: int = 1) -> int | float:
    """A number shown with a percent format (0.85 as 85%): the percent people see, without float noise; with `signs`
    % signs, the digits its format prints (each ×100: 5 under 0%% as 50000, as _percent_text quotes it).  One whose
    percent no double holds (1e308 shows as 1e310 %) is no number to read: Unreadable, not inf."""
    percent = float(Decimal(repr(float(raw))) * 100 ** min(signs, 20))
    if not math.isfinite(percent):
        raise Unreadable("cell.number_too_large")
    return number_out(percent)


def _percent_text(raw, signs: int = 1) -> str:
    """The percent a number shows (0.85 as 85; with `signs` % signs, each ×100), for a message: exact, of any size
    (1e308 too)."""
    return format_number(Decimal(repr(float(raw))) * 100 ** min(signs, 20))


def _shown_number(raw, signs: int, shown_text) -> str:
    """A number as its cell's format shows it, for a target read as text (定性): 0.85 in a percent format as 85%, 5
    under ``0%%`` as 50000%% (`signs`: the % signs its section shows, each ×100), 3 under ``"≥"0"天"`` as ≥3天, -3
    under ``"≥"0"天";"≤"0"天"`` as ≤3天 (the number's digits exact, as messages quote them, not rounded to the format's
    decimals)."""
    entry = shown_for(shown_text, raw) if shown_text else None
    before, after, unsigned = entry if entry else ("", "", False)
    digits = _percent_text(abs(raw), signs) + _signs_shown(signs) if signs else format_number(abs(raw))
    return f"{'-' if raw < 0 and not unsigned else ''}{before}{digits}{after}"


def _target(cells: _Cells, sheet: str, r: int, base: str, values: dict, item: dict, comp_col, target_col,
            unit_col, shown_percent: int = 0, shown_text=None, logical=()) -> None:
    """Comparator, target and unit of one row, read together.  A number formatted as a percent (what a
    paste from another workbook leaves) is read as the percent it shows: 0.85 shown as 85% is 85 % (`shown_percent`:
    the % signs its format shows, each ×100: 5 under 0%% as 50000, as it prints).  A number
    whose format shows text with it (`shown_text`: "≤"0"天" shows 3 as ≤3天) is read as the row's comparator and
    unit say, with a warning where what it shows gives another.  A comparator that is a logical value (`logical`:
    the row's keys _logical_values said) is kept as TRUE / FALSE, not said again as no comparator."""
    comp = rough = None
    raw_comp = values["comparator"]
    try:
        comp = KINDS["comparator"].parse(raw_comp)
    except Unreadable as exc:
        if "comparator" not in logical:
            cells.unreadable(exc, sheet, r, comp_col.index, raw_comp, f"{base}/comparator", field=comp_col.label)
        item["comparator"] = str(as_json_value(raw_comp))  # kept as typed; the schema flags it too
    unit = KINDS["unit"].parse(values["unit"])
    raw_target = values["target"]
    try:
        if comp == "qualitative":  # a text target is taken as written, even if it looks numeric
            if (shown_percent or shown_text) and isinstance(raw_target, (int, float)) \
                    and not isinstance(raw_target, bool):
                raw_target = _shown_number(raw_target, shown_percent, shown_text)  # as the paper shows it
            text = clean_text(raw_target)
            target = None if text is None else ("text", text)
        else:
            if not target_col.locked and (fixed := letter_o_target(raw_target, unit)) is not None:
                # 1OO, 9O%: the letter O for 0, said with the figure meant (an approved target, locked, read as ever)
                raise Unreadable("cell.target_letter_o", expected=fixed)
            try:
                target = split_target(raw_target)
            except Unreadable as exc:
                if exc.code != "cell.target_approximate":
                    raise
                rough, target = exc, _rough_target(raw_target, unit, exc)
            numeric = isinstance(raw_target, (int, float)) and not isinstance(raw_target, bool)
            # a bare number, typed (the target cell is text, so typing gives "0.85") or pasted
            bare = numeric or (target is not None and target[0] == "number" and target[3] is None)
            if target and numeric and shown_percent:
                target = ("number", None, _as_percent(raw_target, shown_percent), "%")  # (0%%: 5 as 50000)
                if raw_target > 1 and not target_col.locked:  # 95 typed in LibreOffice, shown 9500%: asked about
                    _said_hundredfold(cells, sheet, r, target_col, f"{base}/value", raw_target, target[2],
                                      shown_percent)
            elif target and bare and unit == "%" and isinstance(target[2], (int, float)) and 0 < target[2] < 1 \
                    and not target_col.locked and comp not in ("<=", "<"):
                # 0.9 typed as the target of a row to reach, in %: most likely 90 %.  Not on a limit (差错率 ≤0.5 %: a
                # rate kept low is real below 1 %), nor on an approved target, locked, the department cannot change
                cells.add("cell.percent_fraction", sheet, r, target_col.index, f"{base}/value",
                          field=target_col.label, field_en=target_col.label_en, value=format_number(target[2]),
                          expected=_percent_text(target[2]))
    except Unreadable as exc:
        cells.unreadable(exc, sheet, r, target_col.index, raw_target, f"{base}/text", field=target_col.label)  # kept as text
        target = ("text", str(as_json_value(raw_target)))
    if target is None:
        if comp:
            item["comparator"] = comp
        if unit:
            item["unit"] = unit
    elif target[0] == "text":
        item["comparator"] = item.get("comparator") or comp or "qualitative"
        item["text"] = target[1]
        if unit and comp not in (None, "qualitative"):
            item["unit"] = unit
    else:
        _, tcomp, num, tunit = target
        if comp and tcomp and comp != tcomp:
            cells.add("cell.comparator_conflict", sheet, r, comp_col.index, f"{base}/comparator",
                      field=comp_col.label, value=COMPARATOR_DISPLAY.get(comp, comp), expected=str(raw_target))
        if _multiplied(cells, sheet, r, target_col, f"{base}/value", raw_target, num, tunit, unit):
            tunit = None  # 1.2万 of a 平方米 row: no unit 万, the row's unit stands
        elif unit and tunit and unit != tunit and not (
                _unit_key(tunit) in dict(_MULTIPLIERS) and _unit_key(unit).startswith(_unit_key(tunit))):
            # (1.2万 on a row in 万平方米: the row's unit cut short, read as it)
            cells.add("cell.unit_conflict", sheet, r, unit_col.index, f"{base}/unit", field=unit_col.label,
                      value=unit, expected=tunit)
        item["comparator"] = item.get("comparator") or comp or tcomp or "="
        item["value"] = num
        if unit or tunit:
            item["unit"] = unit or tunit
        # 100左右: read as a number, a warning that a target is one figure; not on an approved target, locked (a
        # self-evaluation's or monitoring report's from a goal table approved with one), the department cannot change
        if rough is not None and not target_col.locked:
            cells.add("cell.target_approximate", sheet, r, target_col.index, f"{base}/value", field=target_col.label,
                      field_en=target_col.label_en, value=_as_typed(raw_target), expected=rough.expected,
                      **rough.extra)
        elif rough is None and unit and not unit_col.locked and (word := rough_unit(unit)):  # 100 with the unit 左右
            rest = unicodedata.normalize("NFKC", unit).strip()[:-len(word)].strip()
            cells.add("cell.target_approximate", sheet, r, unit_col.index, f"{base}/unit", field=unit_col.label,
                      field_en=unit_col.label_en, value=unit, detail=word, detail_en=rough_word_en(word),
                      expected=f"{COMPARATOR_DISPLAY.get(item['comparator'], '') if item['comparator'] != '=' else ''}"
                               f"{format_number(num)}{rest}")
        remarks = target_remarks(raw_target)  # 90%（抽查）: read as 90 %, the remark kept nowhere, said so
        if remarks:
            # each remark once, the first few listed and a long text cut, as other messages cut theirs (a target
            # followed by 10,000 （抽）: one short message)
            listed, listed_en = first_listed(*[list(dict.fromkeys(remarks))] * 2)
            typed = str(raw_target)
            cells.add("cell.target_remark", sheet, r, target_col.index, f"{base}/value", field=target_col.label,
                      field_en=target_col.label_en,
                      value=typed if len(typed) <= _REMARK_QUOTED else typed[:_REMARK_QUOTED] + "…",
                      detail=listed, detail_en=listed_en, expected=f"{COMPARATOR_DISPLAY.get(item['comparator'], '')}"
                                                             f"{format_number(num)}{item.get('unit') or ''}")
        if shown_text and isinstance(raw_target, (int, float)) and not isinstance(raw_target, bool):
            shown = shown_for(shown_text, raw_target)  # the format's section that shows this number
            if shown:
                _shown_with_text(cells, sheet, r, base, item, target_col, shown, shown_percent,
                                 getattr(shown_text, "code", None), raw_target)


def _rough_target(raw, unit, exc: Unreadable):
    """A rough figure's target (100左右, 85%左右, 约85%) read as a number: as it was read before cell.target_approximate
    (100左右, the unit column empty: 100 with the unit 左右), so that a goal table approved then reads as it was
    approved (its targets, their digest); where that read no number or a unit the row contradicts (85%左右 on a %
    row), the number without the word (85 %)."""
    try:
        before = split_target(raw, rough=False)
    except Unreadable:
        before = None
    if before is not None and before[0] == "number" and (unit is None or before[3] in (None, unit)):
        return before
    return split_target(exc.expected)


def _actual_shown_with_text(cells: _Cells, sheet: str, r: int, path: str, item: dict, col, raw, value,
                            shown_text, signs: int) -> None:
    """A warning on an actual (a number in a column of the target's unit) whose format shows another unit than the
    row's, as the target gets one (cell.target_format_conflict): the paper shows 95人 where the row reads 95 %.  The
    number is read as the row's unit says; a comparator the format shows (≥95) is no unit and not held to one."""
    entry = shown_for(shown_text, raw)
    if not entry:
        return
    number = format_number(abs(value) if entry[2] else value)
    read = _shown_read(entry, value, signs, getattr(shown_text, "code", None), raw)
    if read is None:
        return
    shown, _, tunit = read
    unit = item.get("unit")
    if tunit and _unit_key(tunit) != _unit_key(unit if isinstance(unit, str) else ""):
        code = getattr(shown_text, "code", None)
        if code and not_rendered(code, raw):  # (its print-out not worked out: not quoted, as the target's)
            shown_as, shown_as_en = f"显示时带有“{tunit}”，与本行的计量单位不符", f" with '{tunit}', which disagrees with the row's unit"
        else:
            shown_as = f"显示为“{shown}”，与本行的计量单位不符，打印件上显示的是“{shown}”"
            shown_as_en = f" as '{shown}', which disagrees with the row's unit, and the printed copy shows '{shown}'"
        cells.add("cell.actual_format_conflict", sheet, r, col.index, path, field=col.label, field_en=col.label_en,
                  value=number, **_EXPECTED["cell.actual_format_conflict"], printed=shown, shown_as=shown_as,
                  shown_as_en=shown_as_en, detail=f"{format_number(value)}{unit if isinstance(unit, str) else ''}")


def _shown_read(entry: tuple, value, signs: int, code: str | None = None, raw=None):
    """(what the paper shows, the comparator and the unit it shows) for a number shown by a format section's text
    (`entry`: before, after, and whether the section shows a negative number without its minus); None where the text
    shows no number with them.  A minus the number keeps is shown before the section's text (-≤3天, -约5人, as Excel
    and LibreOffice show it); the comparator and unit are read from the text around the number, its sign aside.
    Where the format's `code` is known (format_text keeps it) the number is quoted as it prints the cell's `raw`
    number (shown_number: ≥3.00天 for "≥"0.00"天", ≤12,345天 for "≤"#,##0"天"); else as its plain digits, with the
    `signs` % its section shows (`value` is the percent read: 50000 for 5 under "≥"0%%, quoted ≥50000%%, read as
    ≥50000 %: the second sign only scales)."""
    before, after, unsigned = entry
    sign = "-" if value < 0 and not unsigned else ""
    digits = format_number(abs(value))
    text = f"{before}{digits}{_signs_shown(signs)}{after}"
    # (0"天") shows 3 as (3天): the brackets the format writes round the number (an accountant's negative, or written
    # for every number) are no part of a target; the comparator and unit are read beside them
    if "(" in before and ")" in after:
        before_read, after_read = before.replace("(", ""), after.replace(")", "")
    else:
        before_read, after_read = before, after
    bare = f"{before_read}{digits}{'%' if signs else ''}{after_read}"
    found = number_target(bare)
    if found is None:
        return None
    printed = _printed_digits(code, raw, sign + before, after)
    return sign + (f"{before}{printed}{after}" if printed else text), found[1], found[3]


def _printed_digits(code: str | None, raw, before: str, after: str) -> str | None:
    """The number as format `code` prints the cell's number `raw`, between the texts `before` (with its minus) and
    `after` the section shows: 3.00 for 0.00, 12,345 for #,##0, 95.00% for 0.00%.  None where the code prints no
    plain number (shown_number) or prints other texts around it than the section read (a section LibreOffice
    chooses otherwise than Excel): the plain digits are quoted then."""
    if not code or raw is None:
        return None
    printed = shown_number(code, raw)
    if printed is None or len(printed) <= len(before) + len(after) or not printed.startswith(before) \
            or not printed.endswith(after):
        return None
    digits = printed[len(before):len(printed) - len(after)]
    return digits if any(ch.isdigit() for ch in digits) else None


def _shown_with_text(cells: _Cells, sheet: str, r: int, base: str, item: dict, target_col, shown_text: tuple,
                     signs: int, code: str | None = None, raw=None) -> None:
    """A warning on a number whose format shows a comparator or unit (``"≤"0"天"``) other than the row's: the paper
    shows ≤3天 where the row is read as ≥3人 (the cell's number `raw` as the format's `code` prints it)."""
    read = _shown_read(shown_text, item["value"], signs, code, raw)
    if read is None:
        return  # 约3: no comparator nor unit the row could be held to
    shown, tcomp, tunit = read
    comp, unit = item.get("comparator"), item.get("unit")
    if (tcomp and tcomp != comp) or (tunit and _unit_key(tunit) != _unit_key(unit or "")):
        read_as = f"{COMPARATOR_DISPLAY.get(comp, comp)}{format_number(item['value'])}{unit or ''}"
        advice = ("", "")
        col = cells.form.find_column("unit", cells.fw)  # (a form whose rows have a target has one)
        if tunit and not (isinstance(unit, str) and unit.strip()) and col is not None:  # ≥3天, no unit: asked next
            label = cells.form.column_label("unit", fw=cells.fw)
            advice = (f"；本行未填写{label}，如确为“{tunit}”，请在“{label}”中填写“{tunit}”",
                      f"; the row gives no unit: if it is '{tunit}', give '{tunit}' under '{label}'")
        if tunit:
            cells.units_shown.add(f"{base}/value")
        if code and raw is not None and not_rendered(code, raw):  # (its print-out not worked out: not quoted)
            shown_marks = [m for m in (COMPARATOR_DISPLAY.get(tcomp, tcomp), tunit) if m]
            marks, marks_en = "”和“".join(shown_marks), "' and '".join(shown_marks)
            shown_as = f"显示时带有“{marks}”，与本行比较符和计量单位所写的“{read_as}”不符"
            shown_as_en = f" with '{marks_en}', which disagrees with '{read_as}' given by the row's comparator and unit"
        else:
            shown_as = f"显示为“{shown}”，与本行比较符和计量单位所写的“{read_as}”不符，打印件上显示的是“{shown}”"
            shown_as_en = (f" as '{shown}', which disagrees with '{read_as}' given by the row's comparator and unit, and "
                           f"the printed copy shows '{shown}'")
        cells.add("cell.target_format_conflict", sheet, r, target_col.index, f"{base}/value", field=target_col.label,
                  field_en=target_col.label_en, value=format_number(item["value"]), printed=shown, detail=read_as,
                  shown_as=shown_as, shown_as_en=shown_as_en,
                  **_EXPECTED["cell.target_format_conflict"],
                  advice=advice[0], advice_en=advice[1])
