"""What a form declaration is made of: sheets, header fields, table columns, print setup.

A form (the goal table, later the self-evaluation and the monitoring report) is one
``Form`` value.  The writer lays it out, the reader locates and interprets it, messages
take their field titles from it, and summaries take their column headers from it.  Rows
and columns are 0-based in code; ``a1()`` turns them into the addresses people see.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import field, replace
from functools import lru_cache
from collections.abc import Callable

from .._defaults import DEFAULT_ROWS, MAX_ROWS
from .._record import frozen
from ._cells import STAMP_PREFIX, a1, col_letter, parse_a1, parse_stamp  # noqa: F401 (re-exported)


# Declarations ---------------------------------------------------------------------------------
#: Each value a page header names is cut to this many characters (its middle left out): Excel takes a header of at
#: most 255 characters, codes included, and a 9 pt line across the page holds about 80 of them.
HEADER_VALUE_CHARS = 36
#: What Excel reads as an escaped character in a header's text (``_x001B_``, ESC), as in a cell's: its ``_``
_ESCAPE_LIKE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
#: A header's codes: && (an ampersand), a font size (&9), or any other (&C, &P, &"font")
_HEADER_CODE = re.compile(r"&&|&\d+|&.", re.S)


# Each is declared once and compared by identity (eq=False): a form is the goal table because it *is*
# GOAL_TABLE, and value equality would only cost start-up time (every `validate` builds these classes).
@frozen(eq=False)
class PrintSetup:
    """Page setup of one sheet: A4, one page wide, a page-number footer, and a header naming the unit and project
    where the template locks them."""

    landscape: bool = False
    paper: int = 9  # A4
    fit_width: int = 1
    margins: tuple[float, float, float, float] = (0.5, 0.5, 0.7, 0.7)  # left, right, top, bottom (inches)
    center: bool = True
    footer: str = "&C第 &P 页，共 &N 页"
    repeat_rows: tuple[int, int] | None = None
    #: The fields whose values the header prints on every page ({names}: each one's value, separated by a
    #: full-width space), so that a loose stamped page names its unit and project.  Only values the template locks
    #: (prefilled, or a self-evaluation's or monitoring report's header taken from its goal table): a page header
    #: is text, it cannot follow a cell the department types into later; without them the header stays blank.
    header_fields: tuple[str, ...] = ("/unit", "/project/name")
    header: str = "&C&9{names}"

    def header_text(self, values: dict, more: tuple = ()) -> str:
        """The page header naming the values of header_fields found in `values` (by path), then `more` (texts: an
        annotated copy's 问题清单 adds the received file's name), each on one line and cut to HEADER_VALUE_CHARS (its
        middle left out); "" when there is none to name."""
        shown = []
        for value in [*(values.get(path) for path in self.header_fields), *more]:
            if value is None or str(value).strip() == "":
                continue
            text = " ".join(str(value).split())  # one line
            if len(text) > HEADER_VALUE_CHARS:
                half = (HEADER_VALUE_CHARS - 1) // 2
                text = f"{text[:half]}…{text[len(text) - (HEADER_VALUE_CHARS - 1 - half):]}"
            shown.append(text.replace("&", "&&"))  # & starts a header code: && prints one
        if not shown or not self.header:
            return ""
        names = "　".join(shown)
        size = self._size_at_names()
        if size:
            # a literal _xHHHH_ (a unit named 甲_x001B_乙) is one Excel reads as a character (ESC), and xlsxwriter's
            # escape of its _ (_x005F_x001B_) LibreOffice, reading none, prints as written: the size code in effect
            # put after the _ (甲_&9x001B_乙) prints nothing and leaves no escape, both print the name as written
            names = _ESCAPE_LIKE.sub(f"_&{size}", names)
        return self.header.format(names=names)

    def _size_at_names(self) -> str:
        """The font size code (``&9``) in effect where `header` puts {names}: the last one before it in its section
        (``&L``, ``&C``, ``&R`` start one afresh); "" for none."""
        size = ""
        for code in _HEADER_CODE.findall(self.header.partition("{names}")[0]):
            if code in ("&L", "&C", "&R"):
                size = ""
            elif code[1:].isdigit():
                size = code[1:]
        return size


@frozen(eq=False)
class Validation:
    """The data-validation prompt and error of an input cell.  Texts may name the framework's
    labels as ``{level1}``, ``{level2}``…, filled in when the form is laid out for a framework."""

    input_title: str = ""
    input_message: str = ""
    error_title: str = ""
    error_message: str = ""
    error_type: str = "stop"  # stop | warning | information
    minimum: object = None  # bounds of a number or date cell
    maximum: object = None


@frozen(eq=False)
class Field:
    """A header field: a label in the label column, its value in the value column."""

    path: str  # JSON pointer into the document
    label: str  # what the department sees
    label_en: str
    kind: str  # a value kind of _kinds.KINDS
    row: int = -1  # 0-based row on the field sheet (set by FieldSheet)
    col: int = 1
    sheet: str = ""
    list: str | None = None  # a framework list, for choices
    required: bool = False  # checked by the rule table's `required` rows
    short: str | None = None  # header in summaries, where shorter than the label
    style: str | None = None  # cell style, where not the kind's
    locked: bool = False  # always locked (a value the form is made from, e.g. an approved target)
    in_grid: bool = False  # laid out in a FieldGrid: titled by its line and column, not in the label column

    @property
    def cell(self) -> str:
        return a1(self.row, self.col)

    @property
    def ref(self) -> str:
        return f"{self.sheet}!{self.cell}"

    @property
    def heading(self) -> str:
        return self.short or self.label


@frozen(eq=False)
class Column:
    """A column of the item table (one row per indicator)."""

    key: str  # the item key it fills (the target column fills `value` or `text`)
    label: str  # default label; a framework may rename it through `framework_label`
    label_en: str
    kind: str
    width: float
    index: int = -1
    framework_label: str | None = None  # key into Framework.labels
    optional: bool = False  # present only when the framework lists it in optional_columns
    locked: bool = False
    keys: tuple[str, ...] = ()  # document keys it fills; default (key,)
    list: str | None = None  # dropdown source: a framework list, or "level2_of_row"
    #: a value chosen from a list where it was first filled (a self-evaluation's or monitoring report's locked copy
    #: of the goal table's 一级/二级指标, no dropdown of its own): read as a listed value is (``parser_of``)
    chosen: bool = False
    validation: Validation | None = None
    unreadable: str | None = None  # problem code when a cell cannot be read (default: the kind's)
    style: str | None = None  # cell style, where not the kind's
    rows: str | None = None  # open only on "quantitative" or "qualitative" rows; locked and blank on the others
    spans: bool = False  # people merge its cells over the rows that share a value (一级指标 over its rows): each
    # row of a merged range is read as holding the merged value

    @property
    def item_keys(self) -> tuple[str, ...]:
        return self.keys or (self.key,)


@frozen(eq=False)
class GuideSheet:
    """The guide sheet (填报说明): the form's instructions and the framework's categories, printed first."""

    name: str
    title: str  # may use {year}
    lines: tuple[str, ...]
    categories_title: str = "{level1}及其{level2}："  # may use {level1} and {level2}
    required_mark: str = ""  # after a required 一级指标 in the categories list
    framework_line: str = "指标体系：{framework}"  # below the title
    width: float = 70  # fits A4 portrait's printable width without scaling (clients differ in scaling one column)
    print: PrintSetup = PrintSetup()
    #: (the RuleTable in force) -> {name: text}: the numbers the lines say that are rule parameters or scoring rows
    #: (执行率低于 {min_rate}), so that a bureau's --rules changes the printed guide as it changes the checks
    values: Callable | None = None


@frozen(eq=False)
class Computed:
    """A locked cell showing a formula over fields (e.g. 执行率 in a FieldGrid, 总分 in a TableSheet's
    TotalRow), with its value cached for applications that do not recalculate on opening; it is not part
    of the document and never read.

    A ref is a field's JSON pointer, or a table column's as ``{item_path}/*/{key}`` (``/indicators/*/score``):
    in the formula it stands for the column's whole range of item rows, in `value` for the list of the
    items' values (so the cached value is the formula's over the rows written)."""

    formula: str  # an Excel formula; {0}, {1}… stand for the cells of `refs`; may use the form's {params}
    refs: tuple[str, ...] = ()  # JSON pointers of the fields (or table columns) it uses
    value: Callable | None = None  # (values of refs, the form's bound params as a dict) -> the cached value
    style: str = "pct"
    title_en: str = ""  # its title in English, as messages under --lang en name it (zh: its line and column titles)

    @property
    def places(self) -> int:
        """The decimals of the value its cell's format shows (``pct`` is 0.00%: 0.8523; ``score`` 0.00): a number
        typed over the formula is the formula's when it shows the same."""
        return _SHOWN_PLACES.get(self.style, 2)


_SHOWN_PLACES = {"pct": 4, "score": 2}  # the computed cells' formats in _write/_formats.py: 0.00% and 0.00


def column_ref(ref: str, item_path: str) -> str | None:
    """The column key of a Computed ref that names a table column (``/indicators/*/score`` -> ``score``)."""
    prefix = item_path.rstrip("/") + "/*/"
    return ref[len(prefix):] if ref.startswith(prefix) else None


@frozen(eq=False)
class TotalRow:
    """A locked line right below a TableSheet's item rows (e.g. 总分): its label across the columns before
    `column`, a Computed cell under `column`.  The reader skips it: it is not an item and holds no input."""

    label: str
    column: str  # key of the table column it stands under
    cell: Computed
    #: the JSON pointer that locates problems with the line (the reader maps it to the cell); not in the document
    path: str = "/total"
    label_en: str = "Total score"


@frozen(eq=False)
class Area:
    """A labelled empty area among a FieldSheet's fields, for what is done on paper (a seal, a signature).
    Nothing is read from it; its label stands where the form puts it."""

    label: str
    height: float = 90  # points
    row: int = -1  # 0-based row (set by FieldSheet)
    # Fields printed on the same page as the area (a signature block with its seal): when the rows above would
    # leave them split across pages, or the area alone on a page, the writer starts a new page before them.
    keep_with: tuple[str, ...] = ()


@frozen(eq=False)
class FieldGrid:
    """A block of fields laid out as a small table among a FieldSheet's fields: a header row of
    column titles, then one line per row, its title in the label column (e.g. a funds block)."""

    corner: str  # the header row's cell in the label column
    headers: tuple[str, ...]  # column titles, from the value column on
    lines: tuple[tuple[str, tuple[Field | Computed | None, ...]], ...]  # (line title, its fields by column)
    row: int = -1  # 0-based row of the header (set by FieldSheet)
    fields: tuple[Field, ...] = ()  # placed (set by FieldSheet)
    computed: tuple[tuple[int, int, Computed], ...] = ()  # (row, col, cell), placed (set by FieldSheet)

    @property
    def height(self) -> int:
        return 1 + len(self.lines)

    def placed(self, row: int, col: int, sheet: str) -> FieldGrid:
        fields = tuple(replace(f, row=row + 1 + i, col=col + j, sheet=sheet, in_grid=True)
                       for i, (_, line) in enumerate(self.lines) for j, f in enumerate(line) if isinstance(f, Field))
        computed = tuple((row + 1 + i, col + j, f)
                         for i, (_, line) in enumerate(self.lines) for j, f in enumerate(line) if isinstance(f, Computed))
        return replace(self, row=row, fields=fields, computed=computed)


@frozen(eq=False)
class FieldSheet:
    """A sheet of header fields (labels in one column, values beside them), grids and areas among them."""

    name: str
    title: str  # may use {title} and {year}
    fields: tuple[Field, ...]  # Fields, and FieldGrids and Areas among them, in order down the sheet
    stamp_label: str
    stamp_label_en: str = "Template stamp"
    label_col: int = 0
    value_col: int = 1
    label_width: float = 26
    value_width: float = 56  # with the label column, within A4 portrait's printable width
    title_row: int = 0
    first_row: int = 1
    validations: dict = field(default_factory=dict, compare=False)  # kind -> Validation of its cells
    print: PrintSetup = PrintSetup()
    value_span: int = 1  # columns a field's value covers (merged): a FieldGrid's width
    span_width: float = 14  # width of each value column when value_span > 1
    span_widths: tuple[float, ...] = ()  # each value column's own width when value_span > 1 (else span_width)
    grids: tuple[FieldGrid, ...] = field(default=(), init=False)
    areas: tuple[Area, ...] = field(default=(), init=False)
    end_row: int = field(default=-1, init=False)  # the row after the last field (the last printed row + 1)

    def __post_init__(self):
        if self.span_widths and len(self.span_widths) != self.value_span:
            raise ValueError(f"{self.name}: span_widths gives {len(self.span_widths)} widths for {self.value_span} "
                             "value columns")
        row, placed, grids, areas = self.first_row, [], [], []
        for item in self.fields:
            if isinstance(item, FieldGrid):
                grid = item.placed(row, self.value_col, self.name)
                grids.append(grid)
                placed += grid.fields
                row += grid.height
            elif isinstance(item, Area):
                areas.append(replace(item, row=row))
                row += 1
            else:
                placed.append(replace(item, row=row, col=self.value_col, sheet=self.name))
                row += 1
        object.__setattr__(self, "fields", tuple(placed))
        object.__setattr__(self, "grids", tuple(grids))
        object.__setattr__(self, "areas", tuple(areas))
        object.__setattr__(self, "end_row", row)

    @property
    def last_col(self) -> int:
        return self.value_col + self.value_span - 1

    @property
    def printed_value_width(self) -> float:
        """The width a field's value prints in: its column, or the spanned columns it is merged across."""
        return sum(self.value_widths)

    @property
    def value_widths(self) -> tuple[float, ...]:
        """The width of each value column: one column of value_width, or the spanned columns' own widths."""
        if self.value_span == 1:
            return (self.value_width,)
        return self.span_widths or (self.span_width,) * self.value_span

    @property
    def stamp_row(self) -> int:
        """The stamp's row: below the printed rows (the print area ends at ``end_row``), never on paper."""
        return self.end_row + 1

    @property
    def stamp_cell(self) -> tuple[int, int]:
        return (self.stamp_row, self.value_col)


@frozen(eq=False)
class TableSheet:
    """The indicator table: a caption, a header row and one row per item, with its total row."""

    name: str
    title: str  # may use {year}
    caption: tuple[tuple[str, str], ...]  # (text before, field path) echoed above the table
    columns: tuple[Column, ...]
    item_path: str = "/indicators"
    name_en: str = ""  # the sheet's name in English, as messages under --lang en title the table as a whole
    title_row: int = 0
    caption_row: int = 1
    header_row: int = 2
    first_row: int = 3
    default_rows: int = DEFAULT_ROWS
    max_rows: int = MAX_ROWS  # rows a template may have (not the safety screen's sheet limit)
    insert_rows: bool = True  # departments may insert and delete rows under the sheet's protection
    print: PrintSetup = PrintSetup()
    fit_rows: bool = False  # size each filled row to its longest wrapped text, for printing
    total: TotalRow | None = None  # a computed line below the item rows (the self-evaluation's 总分)
    #: the key of the column whose runs of equal values (the 一级 groups) the printed table's pages break between:
    #: the writer's page breaks stand before a run's first row only, and a page ends with a run's first row alone
    #: only where a break before it would leave the page mostly blank (planned with the total line:
    #: _write._workbook._plan_table_pages); None: breaks only to keep the total
    page_groups: str | None = None
    #: the item rows are issued one after another (one per approved target, insert_rows False) with no blank row
    #: among them: the first blank row after them ends the table, and what is typed below it (a note, a signature
    #: line) is no item: not read, one cell.below warning (the monitoring report's, which has no 总分 to end it)
    ends_at_blank: bool = False
    #: the items' own ids (a JSON document's ``id``), for which the table has no column, are kept in the workbook's
    #: document properties, each with a check of its row's names, and put back on the rows they still match when
    #: it is read (``_form._ids``; the goal table's: a self-evaluation made from its workbook numbers its rows as
    #: one made from its JSON)
    ids_kept: bool = False

    def find(self, key: str) -> Column | None:
        """The column declared with the key `key` (not one merely filling it: see holding), as declared
        (framework labels and positions come from Form.columns); None where the table declares none."""
        return next((c for c in self.columns if c.key == key), None)

    def declared(self, key: str) -> Column:
        """The column declared for `key` (find); KeyError where there is none."""
        col = self.find(key)
        if col is None:
            raise KeyError(key)
        return col

    def holding(self, key: str) -> Column | None:
        """The declared column whose key is `key`, or that fills the item key `key` (the target column fills
        `value` and `text`); None where none does.  See Form.find_column for a framework's columns."""
        return _holding(self.columns, key)


def _holding(columns, key: str) -> Column | None:
    """The first of `columns` keyed `key` or filling item key `key`: the one lookup of a column by an item's key."""
    return next((c for c in columns if c.key == key or key in c.item_keys), None)


@frozen(eq=False)
class Param:
    """A parameter of a form's declaration (e.g. the month of a monitoring report).

    Labels, titles and prompts may name it as ``{name}``; the writer and the reader use the form
    *bound* to a value (``Form.bind``), which the stamp carries as ``name=value``.
    """

    name: str
    minimum: int
    maximum: int
    unknown: str = "N"  # shown in titles while the value is not known
    label: str = ""  # how problems name it (zh, en)
    label_en: str = ""
    #: (text, what it says at the minimum) replaced before ``{name}`` where the value is its minimum: a monitoring
    #: report of month 1 says 1月, not 1-1月.  A form bound ``older_labels=True`` keeps the text (the heads of the
    #: templates issued before, which their returns keep: the reader takes the one the sheet holds).
    at_minimum: tuple[tuple[str, str], ...] = ()

    def parse(self, value) -> int | None:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool) and self.minimum <= value <= self.maximum:
            return value
        return None


def _substitute(obj, old: str, new: str):
    """A declaration with `old` replaced by `new` in every string of it (dataclasses copied, not re-placed)."""
    if isinstance(obj, str):
        return obj.replace(old, new) if old in obj else obj
    if isinstance(obj, tuple):
        return tuple(_substitute(x, old, new) for x in obj)
    if isinstance(obj, dict):
        return {k: _substitute(v, old, new) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = copy.copy(obj)
        for f in dataclasses.fields(obj):
            if f.name.startswith("_"):
                continue
            value = getattr(obj, f.name)
            changed = _substitute(value, old, new)
            if changed is not value:
                object.__setattr__(out, f.name, changed)
        return out
    return obj


@frozen(eq=False)
class Form:
    """One form of the budget year, declared once."""

    id: str
    title: str
    title_en: str
    layout_version: int
    schema_file: str
    guide: GuideSheet
    info: FieldSheet
    table: TableSheet
    lists_sheet: str
    item_title: tuple[str, str] = ("第{n}条指标", "indicator {n}")  # zh, en
    # an item of a workbook whose row prints no 序号 of its own (a row the department inserted): its sheet row
    row_title: tuple[str, str] = ("第{row}行指标", "indicator (row {row})")  # zh, en
    lists: tuple[tuple[str, tuple[str, ...]], ...] = ()  # the form's own dropdown lists (name, items)
    names_itself: bool = False  # its documents carry "form": its id
    params: tuple[Param, ...] = ()  # parameters its labels use as {name}; documents carry them at the top level
    bound: tuple[tuple[str, object], ...] = ()  # (name, value) of each parameter, once bound
    older_labels: bool = False  # bound with the labels of the templates issued before (bind(older_labels=True))
    # what else the stamp records of how the form was made, kept in its documents as one object: (the document's
    # key, the stamp parameters it holds); a self-evaluation's points source (``points_source``: ``weights``,
    # ``points``), so that a document read from a workbook, and a workbook filled from it, keep what the stamp says
    recorded: tuple[str, tuple[str, ...]] | None = None
    # Each form's own caches (a copy, by replace() or bind(), gets fresh ones): fields by path, bound copies,
    # title_of memoised
    _by_path: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _binds: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _titles: dict = field(default_factory=dict, init=False, compare=False, repr=False)
    _required: tuple = field(default_factory=tuple, init=False, compare=False, repr=False)  # required_paths, once

    def __post_init__(self):
        self._by_path.update({f.path: f for f in self.info.fields})
        object.__setattr__(self, "_required", tuple(f.path for f in self.info.fields if f.required))

    def _own_caches(self) -> Form:
        """This copy with caches of its own (a copy made field by field shares the original's)."""
        for name in ("_by_path", "_binds", "_titles"):
            object.__setattr__(self, name, {})
        self.__post_init__()
        return self

    # Parameters -------------------------------------------------------------------------------
    def bind(self, older_labels: bool = False, **values) -> Form:
        """The form with its parameters filled in (``{month}`` -> ``6``); a value that is not valid
        shows as the parameter's ``unknown`` text.  Forms without parameters are returned as they are.
        A value at its parameter's minimum says it as ``Param.at_minimum`` does (1月, not 1-1月), unless
        `older_labels`: the labels of the templates issued before (1-1月), which their returns keep."""
        if not self.params or self.bound:
            return self
        key = tuple((p.name, p.parse(values.get(p.name))) for p in self.params)
        older = bool(older_labels) and any(v == p.minimum and p.at_minimum
                                           for p, (_, v) in zip(self.params, key))
        found = self._binds.get((key, older))
        if found is None:
            found = self
            for p, (_, value) in zip(self.params, key):
                if value == p.minimum and not older:
                    for text, said in p.at_minimum:
                        found = _substitute(found, text, said)
                found = _substitute(found, "{" + p.name + "}", p.unknown if value is None else str(value))
            found._own_caches()  # its own fields and titles ({month} filled in), not the declaration's
            if all(v is not None for _, v in key):
                object.__setattr__(found, "bound", key)
            object.__setattr__(found, "older_labels", older)
            self._binds[(key, older)] = found
        return found

    def label_variants(self, bound: Form) -> tuple[Form, ...]:
        """`bound` (this form bound) and, where its labels changed since templates were issued (month 1's 1-1月 now
        1月), this form bound as those templates were made (``bind(older_labels=True)``): the reader takes the one the
        sheet holds."""
        if not bound.bound or not any(p.at_minimum for p in self.params):
            return (bound,)
        older = self.bind(older_labels=True, **dict(bound.bound))
        return (bound,) if older is bound else (bound, older)

    def for_document(self, doc, older_labels: bool = False) -> Form:
        """The form bound to a document's parameters (its top-level keys of the same names); `older_labels`: with the
        labels of the templates issued before (``bind``), those of the workbook it was read from."""
        if not self.params:
            return self
        return self.bind(older_labels, **{p.name: doc.get(p.name) for p in self.params} if isinstance(doc, dict) else {})

    def for_stamp(self, stamp: dict | None) -> Form | None:
        """The form bound to the parameters of a stamp (or of custom properties); None when one is missing or invalid."""
        if not self.params or self.bound:
            return self
        given = (stamp or {}).get("params") or {}
        bound = self.bind(**given)
        return bound if bound.bound else None

    @property
    def sheets(self) -> tuple[str, ...]:
        return (self.guide.name, self.info.name, self.table.name, self.lists_sheet)

    @property
    def fields(self) -> tuple[Field, ...]:
        return self.info.fields

    def field(self, path: str) -> Field:
        return self._by_path[path]

    def find_field(self, path: str) -> Field | None:
        return self._by_path.get(path)

    @property
    def required_paths(self) -> tuple[str, ...]:
        return self._required  # (computed with the fields by path: the rules' setup asks for it per document)

    def columns(self, fw=None) -> tuple[Column, ...]:
        """The table's columns for a framework: its labels, its optional columns, their positions."""
        return _columns(self.table.columns, _labels_key(fw), tuple(getattr(fw, "optional_columns", ()) or ()))

    def find_column(self, key: str, fw=None) -> Column | None:
        """The column (of framework `fw`'s columns: its labels and positions) keyed `key` or filling item key
        `key` (the target column fills `value` and `text`); None where `fw`'s table has none."""
        return _holding(self.columns(fw), key)

    def column(self, key: str, fw=None) -> Column:
        """find_column; KeyError where there is none."""
        col = self.find_column(key, fw)
        if col is None:
            raise KeyError(key)
        return col

    def column_label(self, key: str, lang: str = "zh", fw=None) -> str:
        """The default (framework-neutral) label of a column, for summaries that mix frameworks; with `fw`, the
        label that framework heads the column with in the sheet."""
        col = self.table.holding(key)
        if col is None:
            raise KeyError(key)
        if lang == "en":
            return col.label_en
        return (getattr(fw, "labels", None) or {}).get(col.framework_label, col.label)

    # Template stamp ---------------------------------------------------------------------------
    def template_id(self, framework_id: str, year: int) -> str:
        extra = "".join(f"-{name}{value}" for name, value in self.bound)
        return f"xlgoals-{self.id}-L{self.layout_version}-{framework_id}-{year}{extra}"

    def recorded_of(self, params) -> dict | None:
        """The document's ``recorded`` object from a stamp's `params` (None when the stamp records none of it)."""
        if self.recorded is None or not isinstance(params, dict):
            return None
        got = {name: params[name] for name in self.recorded[1] if isinstance(params.get(name), str) and params[name]}
        return got or None

    def recorded_params(self, doc) -> tuple:
        """The stamp parameters a document's ``recorded`` object gives ((name, value) pairs, in the declared order);
        () when it has none."""
        if self.recorded is None or not isinstance(doc, dict):
            return ()
        return tuple((self.recorded_of(doc.get(self.recorded[0])) or {}).items())

    def make_stamp(self, framework_id: str, year: int, extra_params: tuple = ()) -> str:
        """The stamp; `extra_params` ((name, value) pairs) add what the template was made from besides its form's
        parameters (a self-evaluation's points file: ``weights=…|points=…``), read back as the stamp's ``params``."""
        extra = "".join(f"|{name}={value}" for name, value in (*self.bound, *extra_params))
        return (f"{STAMP_PREFIX}|{self.id}|{self.layout_version}|{framework_id}|{year}|"
                f"{self.template_id(framework_id, year)}{extra}")

    def locked_at(self, path: str | None) -> bool:
        """Whether the form declares the value at a JSON pointer locked (an approved target in a self-evaluation):
        a field, or a table column by its item key (``/indicators/3/name``)."""
        if not path:
            return False
        f = self._by_path.get(path)
        if f is not None:
            return f.locked
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == self.table.item_path.strip("/") and parts[1].isdigit():
            return any(c.locked and parts[2] in c.item_keys for c in self.table.columns)
        return False

    def item_label(self, index: int, lang: str = "zh") -> str:
        """How messages name the item at `index` (0-based): by the 序号 its row prints, while a workbook's
        problems are made (``numbered_as_printed``); else by its position (a JSON document's items)."""
        numbers = _PRINTED.get()
        shown = numbers[index] if numbers is not None and 0 <= index < len(numbers) else index + 1
        en = lang == "en"
        if isinstance(shown, str):  # no 序号 printed on its row: the sheet row people see (“12”)
            return (self.row_title[1] if en else self.row_title[0]).format(row=shown)
        return (self.item_title[1] if en else self.item_title[0]).format(n=shown)

    def title_of(self, path: str, lang: str = "zh", fw=None) -> str:
        """A human title for a JSON pointer: the form's label where there is one; with `fw`, a column's label as
        that framework heads it in the sheet (shanghai-2020's 二级目标 for 二级指标)."""
        labels = _labels_key(fw) if fw is not None and lang != "en" else ()
        key = (path, lang, labels) if labels else (path, lang)
        numbers = _PRINTED.get()
        if numbers is not None and path.startswith(self.table.item_path + "/"):
            head = path[len(self.table.item_path) + 1:].partition("/")[0]
            i = int(head) if head.isdigit() else -1
            if 0 <= i < len(numbers) and numbers[i] != i + 1:  # a row not printing its position: not memoised
                return self._title_of(path, lang, dict(labels))
        title = self._titles.get(key)
        if title is None:
            title = self._title_of(path, lang, dict(labels))
            if len(self._titles) < _TITLES_KEPT:
                self._titles[key] = title
        return title

    def _title_of(self, path: str, lang: str, labels: dict | None = None) -> str:
        f = self._by_path.get(path)
        if f:
            return f.label_en if lang == "en" else f.label
        param = next((p for p in self.params if f"/{p.name}" == path and p.label), None)
        if param is not None:
            return param.label_en if lang == "en" else param.label
        total = getattr(self.table, "total", None)
        if total is not None and path == total.path:
            return total.label_en if lang == "en" else total.label
        if path in _DOCUMENT_KEYS and (path != "/form" or self.names_itself):
            return _DOCUMENT_KEYS[path][lang == "en"]
        if path == self.table.item_path:  # the rows as a whole: the table's sheet (绩效指标, 指标自评 …)
            return (self.table.name_en or "Indicators") if lang == "en" else self.table.name
        if path == "/project":  # the project's fields: the information sheet (项目信息, 自评信息 …)
            return "Project information" if lang == "en" else self.info.name
        prefix = self.table.item_path.strip("/")
        parts = path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == prefix and parts[1].isdigit():
            item = self.item_label(int(parts[1]), lang)
            if len(parts) == 2:
                return item
            key = parts[2]
            try:
                col = next(c for c in self.table.columns if key in c.item_keys)
            except StopIteration:
                return f"{item} {key}" if lang == "en" else f"{item}的{key}"
            if lang == "en":
                return f"{item} {col.label_en.lower()}"
            return f"{item}的{(labels or {}).get(col.framework_label, col.label)}"
        return path or "/"


#: The 序号 each item of the workbook being checked prints (an int; a str, its sheet row, where it prints none),
#: while its problems are made; None for a JSON document (its items are named by position).
_PRINTED: ContextVar[list | None] = ContextVar("xlgoals_printed_numbers", default=None)


@contextmanager
def numbered_as_printed(numbers: list | None):
    """Messages made within name a workbook's items by the 序号 their rows print (``Form.item_label``): a row left
    blank or inserted above does not shift the number a clerk looks for on the form."""
    token = _PRINTED.set(numbers)
    try:
        yield
    finally:
        _PRINTED.reset(token)


#: What a template's stamp records of the bureau's own data it was made with (``_frameworks.made_params``: the rule
#: table's digest ``rules=``, the framework version's ``fw=``), kept in every form's documents as one object under
#: this key, so that a document read from a workbook keeps what the stamp says (a workbook filled from it is stamped
#: with its own run's tables: the same only where the run is given the same ones).
MADE_WITH = ("made_with", ("rules", "fw"))


def made_with_of(params) -> dict | None:
    """The document's ``made_with`` object from a stamp's `params` (None when the stamp records neither)."""
    if not isinstance(params, dict):
        return None
    got = {name: params[name] for name in MADE_WITH[1] if isinstance(params.get(name), str) and params[name]}
    return got or None


#: Keys every document carries that are not fields of a sheet: zh, en.
_DOCUMENT_KEYS = {"/form": ("表单", "Form"), "/schema_version": ("文档格式版本", "Document format version"),
                  "/made_with": ("模板所用的本局数据", "Bureau data the template was made with"),
                  "/made_with/rules": ("模板所用规则表的摘要", "Digest of the template's rule table"),
                  "/made_with/fw": ("模板所用指标体系的摘要", "Digest of the template's framework"),
                  "/points_source": ("分值来源", "Points source"),
                  "/points_source/points": ("分值来源", "Points source"),
                  "/points_source/weights": ("分值文件名", "Points file name"),
                  "/framework": ("指标体系", "Indicator framework"),
                  "/budget": ("预算资金", "Budget"),
                  "/funds": ("资金执行情况", "Funds"),
                  "/overall": ("总体目标完成情况", "Overall goal and its achievement"),
                  "/contact": ("填报人信息", "Contact")}
_TITLES_KEPT = 20000  # titles memoised per form: every row of ordinary returns, bounded for absurd ones


#: id(framework) -> (the framework, its labels key): a framework's labels sorted once, not for every title a problem
#: asks for (``title_of``: two per problem); the framework kept with its key, so that its id is not another's
_LABEL_KEYS: dict = {}


def _labels_key(fw) -> tuple:
    hit = _LABEL_KEYS.get(id(fw))
    if hit is not None and hit[0] is fw:
        return hit[1]
    key = tuple(sorted((getattr(fw, "labels", None) or {}).items()))
    if fw is not None:
        if len(_LABEL_KEYS) >= 64:
            _LABEL_KEYS.clear()
        _LABEL_KEYS[id(fw)] = (fw, key)
    return key


@lru_cache(maxsize=64)
def _columns(declared: tuple[Column, ...], labels: tuple, optional: tuple) -> tuple[Column, ...]:
    names = dict(labels)
    chosen = [c for c in declared if not c.optional]
    chosen += [c for key in optional for c in declared if c.optional and c.key == key]
    return tuple(replace(c, index=i, label=names.get(c.framework_label, c.label))
                 for i, c in enumerate(chosen))
