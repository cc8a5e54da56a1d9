"""What every form's summary is made of: Tables of Cols, the helpers that fill them, and 校验结果.

A Table is one summary table: a sheet of the workbook, a CSV file, a key of the JSON output.
The summaries of the forms (``_tables``, ``_selfeval``, ``_monitor``) build their tables from
these; the renderers (``_render``) write them.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache

from .._check._figures import HELD_CODES
from .._decimals import SHOWN_DIGITS, dec, shown_exactly, yuan
from .._form import SELF_EVALUATION
from .._problems import PROBLEM_TITLES, severity_label
from .._paths import SKIP_IGNORED, exact_path, reason_code, xlgoals_output
from .._text import as_spelt, canonical, display_name, display_path, iso_date_or_blank, name_key
from ._collect import ReturnRecord, Status
from ._xlsxrows import Widest, render_row

NUMBER_ROOM = 1  # a character width to spare beside a column's widest number: clients' fonts differ a little
MAX_WIDTH = 30  # a column grows for its numbers up to this (an amount of 15 digits, or its total, needs 24 or so)



#: Where the heading of a table that breaks its headings (Table.break_headings) is broken when printed, too long for
#: one line of its column (its header cell gets the line breaks; CSV and JSON keep the title as it is): after the ／
#: of a heading that joins two, before a unit in （）, after the 1-N月 of a month's heading and after 全年预计; and
#: before a last word a heading of one term ends with (编号, 可能性, 类别: the forms' labels stay in the forms).
#: A client wraps a heading where its line is full, a word cut in two (1-6月执行情况／1- / 6月…, 全年预计执行数（元 / ）,
#: 指标编 / 号, 完成目标可 / 能性).
HEADING_BREAKS = re.compile(r"(?<=／)|(?=（)|(?<=\d月)|(?<=全年预计)|(?<=.)(?=(?:编号|可能性|类别)$)")


@dataclass(frozen=True)
class Col:
    title: str
    width: float  # as declared: the width for text (which wraps) and for numbers up to that wide
    fmt: str | None = None  # money | pct | None
    printed: bool = True  # on the printed page; columns left off paper (paths, digests) come last

    def fitted(self, number: float) -> float:
        """The column's width once its widest number is known (`number` character widths, as shown: Widest): the
        declared width, or wider so that the number prints whole (a number does not wrap; too wide for its column
        it prints as ### or runs into the next), up to MAX_WIDTH."""
        if number <= 0:
            return self.width
        return max(self.width, min(MAX_WIDTH, math.ceil(number) + NUMBER_ROOM))


@dataclass
class Table:
    """One summary table: a sheet of the workbook, a CSV file, a key of the JSON output."""

    name: str
    key: str
    columns: list[Col]
    rows: Callable[[], Iterable]  # gives the rows afresh at each call
    count: int  # number of rows
    landscape: bool = True
    rendered: Callable[[], Iterable[bytes]] | None = None  # rows pre-rendered in the workers (xlsx)
    measured: tuple = ()  # with `rendered`: the widest number of each column, as the workers measured it
    splice: bool = False  # write the rows by splicing them into the sheet (large tables)
    totals: list = field(default_factory=list)  # (column, totals key, format): a SUM row below the rows
    note: str = ""  # a line below the totals
    chart: dict | None = None  # a bar chart: {"title", "categories": (first col, last col), "values": col}
    conditional: list = field(default_factory=list)  # (column, [(text, fill, font colour)]): cells equal to a
    # text get its colours by conditional formatting (e.g. a red/amber/green mark)
    heading: tuple[str, ...] = ()  # lines above the column headers (a title, the date it was made)
    #: printed one page wide, fitted to the page's width by the application (Excel's 调整为 1 页宽), not at a
    #: fixed scale with the columns continuing on a page to the right: a self-evaluation's or monitoring
    #: report's detail sheets, whose columns are declared to fit at about 80 % (fewer where more 一级 or wide
    #: amounts make the table wider)
    fit_width: bool = False
    #: with fit_width, the pages across it is fitted to (its key columns repeated on each): a table too wide for one
    #: page at a scale a stamped copy can be read at
    pages_across: int = 1
    #: its header cells print each heading too long for a line broken between words (heading_words), not where
    #: the client fills the line; the header cells' text then differs from the titles (CSV, JSON) by line breaks,
    #: so only a table whose titles no script looks up by a form's label: 风险清单, of joined headings
    break_headings: bool = False
    #: ((first column, last column), key column): on paper, those columns' cells of a row whose key (the return's SHA-256) is the row
    #: above's show 〃, the full value on the first row of each return's block (a conditional number format: every
    #: cell keeps its value, for a filter, a sort, a copy, the CSV and the JSON); () for none
    ditto: tuple = ()
    #: the table as the CSV and the JSON carry it, where its layout there is held fixed for scripts and the
    #: workbook's adapts to the night's returns for people (data_by_year, data_level1_last); None: as the workbook's
    data: "Table | None" = None
    #: how many leading columns say which row it is, repeated on each page across where the table spills (key_columns);
    #: None: those headed 序号, the unit, the project
    keys: int | None = None

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.columns]

    @property
    def as_data(self) -> "Table":
        """The table as CSV and JSON carry it."""
        return self.data or self


def data_by_year(table: Table, rows: list, year_col: Col) -> Table:
    """A summary's first sheet as CSV and JSON always carry it, on a night of one budget year too: a row per unit
    and 预算年度 (`rows`, made as the sheet's of several years are), the year the third column, so that no column
    moves with the years a night's returns are of (the workbook's sheet has the column only with several years)."""
    shift = lambda c: c + 1 if c >= 2 else c  # noqa: E731
    return replace(table, columns=[*table.columns[:2], year_col, *table.columns[2:]], rows=lambda: iter(rows),
                   count=len(rows), totals=[(shift(c), key, fmt) for c, key, fmt in table.totals], chart=None,
                   conditional=[], data=None)


def data_level1_last(table: Table, first: int, n: int, later: tuple[int | str, ...] = (),
                     added: tuple[str, ...] = ()) -> Table:
    """`table` (declared inline) with its ``data`` set: the per-return table as CSV and JSON carry it, its `n` columns
    per 一级指标 (from `first`; as many as the frameworks read name) moved after the fixed columns, just before the last
    (文件路径字节), so that the fixed columns keep their places whatever frameworks a night's returns use (the workbook
    keeps them beside the amounts, for print).  `later`: columns (before `first`) added to the table after scripts came
    to read it by position, printed where they belong and carried at the end of the fixed columns, so that those
    before them keep their places (each by its place or its heading).  `added`: columns (by heading) added after
    the per-一级 ones had places scripts read too (单位键, 项目得分's 警告数: session 29), carried after those, just
    before the last, so that no column of before moves.  No such columns: no ``data`` (as the workbook's)."""
    if not n and not later and not added:
        return table
    heads = [c.title for c in table.columns]
    later = tuple(heads.index(c) if isinstance(c, str) else c for c in later)
    added = tuple(heads.index(c) for c in added)
    fixed = [i for i in (*range(first), *range(first + n, len(table.columns) - 1)) if i not in later and i not in added]
    order = [*fixed, *later, *range(first, first + n), *added, len(table.columns) - 1]

    def rows():
        for row in table.rows():
            yield [row[i] for i in order]
    table.data = replace(table, columns=[table.columns[i] for i in order], rows=rows, rendered=None, measured=(),
                         totals=[(order.index(c), key, fmt) for c, key, fmt in table.totals], conditional=[],
                         data=None)
    return table


def data_unit_key(table: Table, units: "Units") -> Table:
    """A summary's first sheet (a row per unit, or per unit and 预算年度, the unit's shown name its second column) as
    CSV and JSON carry it, with UNIT_KEY after every column it had (none moves): the key the unit's spellings are
    grouped by (``Units.keys_named``), the same from run to run where the shown name is one run's majority spelling,
    so that a script joins two runs' rows of a unit (None for the files whose unit could not be told).  The workbook's
    sheet, printed and stamped, keeps its columns."""
    data = table.as_data

    def rows():
        named = units.keys_named()
        for row in data.rows():
            yield [*row, named.get(row[1]) or None]
    table.data = replace(data, columns=[*data.columns, Col(UNIT_KEY, 12, printed=False)], rows=rows, rendered=None,
                         measured=(), chart=None, conditional=[], data=None)
    return table


def heading_words(col: Col) -> tuple[str, ...]:
    """A column's heading as the words a printed line does not break (its title cut at HEADING_BREAKS)."""
    # HEADING_BREAKS matches only between characters (no group, nothing consumed): the words join to the title
    return tuple(w for w in HEADING_BREAKS.split(col.title) if w)


def digits_note(table: Table, totals: dict, exact_in: tuple[str, ...] = (), rows: int | None = None) -> str:
    """What a summary workbook says below a table whose amounts no spreadsheet shows exactly: a total (or a row's
    amount) of more than 15 significant digits (12,345,678,901,234.56 元 is shown 12,345,678,901,234.60, the cell
    holding a double).  The cell stays a number; the note gives such a total's exact digits as text and counts the
    rows; "" when every amount is shown as it is.  `exact_in`: the outputs written with the workbook ("CSV",
    "JSON"), which carry every digit: the note points to those, or, with none, says how to have them.  `rows`: the
    rows beyond 15 digits when already counted (a spliced table's, as its rows were spooled), else counted here."""
    money = [c for c, col in enumerate(table.columns) if col.fmt == "money"]
    if not money:
        return ""
    beyond = [f"“{table.titles[c]}”合计准确为 {yuan(totals[key])[0]}" for c, key, fmt in table.totals
              if fmt == "money" and isinstance(totals.get(key), Decimal) and not shown_exactly(totals[key])]
    if rows is None:
        rows = sum(1 for row in table.rows() if beyond_shown(row, money))
    shown = f"Excel、WPS 等电子表格只显示前 {SHOWN_DIGITS} 位，单元格中末几位不准确"
    outputs = "、".join(exact_in)
    # how to have them, on a line of its own: the options at its start, where no line of the printed note ends inside
    # them (LibreOffice broke a line after "--", its "csv" starting the next, where the note ran on to them)
    see = f"准确金额见 {outputs} 输出" if exact_in else \
        "\n如需准确金额，请加 --csv 或 --json 重新运行 xlgoals consolidate（CSV、JSON 输出中为准确金额）"
    if not beyond:
        return f"注意：表中 {rows} 行的金额超过 {SHOWN_DIGITS} 位有效数字，{shown}；{see}。" if rows else ""
    said = f"注意：下列合计超过 {SHOWN_DIGITS} 位有效数字，{shown}：{'；'.join(beyond)}。"
    if rows:
        return said + f"表中另有 {rows} 行的金额也超过 {SHOWN_DIGITS} 位有效数字，{see}。"
    return said + (f"{outputs} 输出中也是准确金额。" if exact_in else f"{see}。")


def beyond_shown(row, money) -> bool:
    """Whether a row has an amount in a `money` column (their indexes) that no spreadsheet shows exactly."""
    return any(isinstance(row[c], Decimal) and not shown_exactly(row[c]) for c in money if c < len(row))


def _rounds_how(s) -> str:
    """How a duplicate of another round than the one counted is said (``ROUNDS_SAID``: ``superseded``,
    ``earlier_counted``), "" for a duplicate of one round or none."""
    of = s.duplicate_of
    return of[2] if of and len(of) > 3 else ""


def _number(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _money(v):
    """An amount as an exact Decimal (a float's shortest repr is the decimal that was typed); None otherwise."""
    return dec(v) if isinstance(v, (int, float)) else None


def _text(v):
    return v if isinstance(v, str) else (None if v is None else str(v))


def _value(v):
    """A value as a summary lists it: the number, or the text (a progress, an actual result)."""
    return _number(v) if _number(v) is not None else _text(v)


@dataclass(frozen=True)
class ItemColumn:
    """A column of a summary's item table (one row per indicator): a key of the form's item table, whose
    heading and cell come from the form's declaration (the column's label and kind), or, `computed`, a value
    the summary works out (a recomputed score, a risk) and gives by key.  `heading` where the summary words it
    otherwise ({label} stands for the form's label)."""

    key: str
    width: float
    heading: str | None = None
    computed: bool = False
    printed: bool = True  # off paper (in the workbook, CSV and JSON only): long texts few forms have; these come last
    #: the item's `key` as its document and frames hold it (``=``, ``qualitative``, ``certain``), beside the column that
    #: shows it as the form's cell does (``＝``, ``定性``, ``确定能``): a script filters on the code in either output
    code: bool = False


def _shown(form, key: str, code: bool = False) -> Callable:
    """How a summary lists an item's `key`: as the form's cell shows it (a comparator or a coded choice by its
    display text; the target as written), numbers as numbers, text as text; None when blank or not listable."""
    from .._form import KINDS, format_target

    if key == "target":
        return lambda item: format_target(item) or None
    # a column keyed so: `value` and `text` are the target column's, listed as numbers and text
    column = form.table.find(key)
    if code:  # one of the form's codes; a text typed that is none (确定, 约等于: the reader said so) is no code
        codes = frozenset(KINDS[column.kind].choices()) if column is not None else frozenset()
        return lambda item: item[key] if isinstance(item.get(key), str) and item[key] in codes else None
    write_as = KINDS[column.kind].write_as if column is not None else ("number" if key == "value" else "text")
    if write_as == "number":
        return lambda item: _number(item.get(key))
    if write_as == "target":  # an actual or a progress: a number, or words
        return lambda item: _value(item.get(key))
    if write_as in ("comparator", "grade", "coded"):
        cell = KINDS[column.kind].cell
        return lambda item: cell(item[key])[1] if isinstance(item.get(key), str) else None
    return lambda item: _text(item.get(key))


class ItemTable:
    """A summary's item table, declared once as the unit, the project and ItemColumns: its Cols and each
    item's row (in the workers, rendered there too) both come from the declaration."""

    def __init__(self, form, columns: tuple[ItemColumn, ...], unit_width: float, project_width: float):
        self.form, self.columns = form, columns
        self._lead = (unit_width, project_width)
        # the printed columns' widths: a row is as tall as its text on paper needs
        self.widths = (*self._lead, *(c.width for c in columns if c.printed))
        self.at: dict = {}  # a key's place in a row (the column that shows it, not its code's)
        for i, c in enumerate(columns, start=2):
            if not c.code:
                self.at.setdefault(c.key, i)
        self._cells = tuple((c.key, None if c.computed else _shown(form, c.key, c.code)) for c in columns)

    def cols(self, form=None) -> list[Col]:
        """The Cols, headed by `form`'s labels (a form bound to the reports' month names it); last, off paper, the
        return's 预算年度 and SHA-256, which tell a recurring project's years apart and join each item to its return
        (the SHA-256 of the project sheet and 校验结果)."""
        form = form or self.form
        return [Col(form.field("/unit").heading, self._lead[0]), Col(form.field("/project/name").heading, self._lead[1]),
                *(Col(self._title(c, form), c.width, printed=c.printed) for c in self.columns),
                *return_key_cols(form)]

    def title(self, key: str, form=None) -> str:
        """The heading of the column for `key`."""
        return self._title(self.columns[self.at[key] - 2], form)

    def _title(self, c: ItemColumn, form=None) -> str:
        label = "" if c.computed else (form or self.form).column_label(c.key)
        return (c.heading or ("{label}" + CODE_SUFFIX if c.code else "{label}")).format(label=label)

    def row(self, unit, project, item: dict, computed: dict | None = None, doc: dict | None = None,
            sha256: str = "") -> tuple:
        """An item's row: the unit, the project, the columns, and the return's key (`doc`'s year, the file's SHA-256)."""
        return (unit, project, *(computed[key] if shown is None else shown(item) for key, shown in self._cells),
                *return_key(doc, sha256))

    def xml(self, row) -> str:
        """The row as a ``<row>`` of the sheet, as tall as its wrapped text needs, the unit and the project included
        where they print as 〃 (render._ditto): a filter hiding the row above shows them there again."""
        return render_row(row, self.widths)


#: The heading of the per-return tables' column (项目清单, 项目得分, 项目进度; off the printed page) naming the unit a
#: return is counted under in the summary's rows by unit (Units.name_of): its spelling there, one for all the returns
#: of the unit however each spells it (（浦东） and (浦东)), so that a script joins those rows to them.
SUMMARY_UNIT = "汇总单位"
#: The heading of the per-return tables' column (off the printed page, after SUMMARY_UNIT's) giving the key a return's
#: unit is grouped by (unit_key: full- and half-width, brackets, dashes, case and spaces folded): the same for a unit
#: in every run and every form whatever its spellings, where SUMMARY_UNIT is the spelling most of one run's returns use;
#: what a script joins two runs' (a goal-table summary's and a monitoring summary's) rows of a unit by.  "" for none.
UNIT_KEY = "单位键"
#: A code column's heading after its label (比较符代码, 完成目标可能性代码): the data outputs' code beside the label.
CODE_SUFFIX = "代码"
#: The heading of the goal table's digest a return is joined to its goal table by (``targets_sha256``), as the
#: self-evaluation and monitoring forms title their field (绩效目标表摘要（SHA-256）): in their project and indicator
#: tables, and the goal table's (the digest of its document), off the printed page.
TARGETS_TITLE = SELF_EVALUATION.title_of("/targets_sha256")


@lru_cache(maxsize=4096)
def return_key_cols(form) -> list[Col]:
    """The columns that tell a return's rows apart and join them to it, in each form's project and item sheets
    (off paper): its 预算年度 (blank where not read) and its file's SHA-256."""
    return [Col(form.field("/year").heading, 8, printed=False), Col("SHA-256", 20, printed=False)]


def return_key(doc: dict | None, sha256: str = "") -> tuple:
    """The values of return_key_cols of the return `doc` (read from the file of digest `sha256`)."""
    year = doc.get("year") if isinstance(doc, dict) else None
    return (year if _whole(year) else None, sha256 or None)


def _text_or_blank(value) -> str:
    return value if isinstance(value, str) else ""


_DIGIT_RUNS = re.compile(r"(\d+)")


def pinyin_key(text: str) -> tuple:
    """Sort key of a name in pinyin order (拼音, tone numbers breaking ties), as Chinese lists are sorted, the
    numbers in it by their value (第2中学 before 第10中学, 2号 before 10号: a natural order), a number before a
    word at the same place; the name itself last, so the order is total.  Characters that are not Chinese sort as
    themselves.  The one key every table and renderer sorts units and projects by."""
    from pypinyin import Style, lazy_pinyin

    parts = []
    for i, piece in enumerate(_DIGIT_RUNS.split(text or "")):
        if i % 2:  # a run of digits (full-width ones too: \d is Unicode's): by its value, then as written (02, 2)
            value = "".join(str(unicodedata.digit(c)) for c in piece).lstrip("0")
            parts.append((0, len(value), value, piece))  # (by length and digits: no int of a 5,000-digit run)
        elif piece:
            parts.extend((1, 0, s.lower(), "") for s in lazy_pinyin(piece, style=Style.TONE3))
    return (tuple(parts), text)


#: The row of the files whose unit could not be told.  Not a name a unit can be shown under (units are shown as
#: ``Units.name``: a unit whose returns spell it so is shown as ``canonical`` spells it, NFKC: ㊟ becomes 注, （） become
#: ()), and marked so that it does not read as one: a unit that names itself （无法识别申报单位） is shown so, its own
#: row, told apart at a glance by the ㊟.
UNREADABLE_UNIT = "㊟（无法识别申报单位）"
YEAR_UNKNOWN = "年度不明"  # the returns whose 预算年度 could not be read, in a summary of several years (by_year)
CHART_LABELS = "图表分类"  # the heading of the chart's own labels right beside the summary, in its filter (_render._chart)


def unit_key(rec: ReturnRecord) -> str:
    """The key every summary groups a record's unit by: its name as the duplicate check and --targets match it
    (name_key: full- and half-width alike, no spaces, every bracket and dash form alike, case folded); "" for none."""
    return name_key(rec.values.get("unit"))


def record_year(rec: ReturnRecord) -> int | None:
    """The budget year a record's values hold (a whole number), None where it could not be read."""
    year = rec.values.get("year")
    return year if _whole(year) else None


def _whole(year) -> bool:
    """Whether `year` is a whole number as a year is held (an int, not a bool)."""
    return isinstance(year, int) and not isinstance(year, bool)


class Units(dict):
    """The units of a summary, grouped by unit_key (上海市就业促进中心 and 上海市 就业促进中心 are one unit, as they are one
    for the duplicate check), each entry made once by the caller; ``named()`` gives them under one spelling each:
    the one most of its returns use, as typed (``as_spelt``: full-width letters and brackets kept, only invisible
    characters and runs of white space folded), on a tie the first in code-point order (whatever the order the returns
    came in); UNREADABLE_UNIT for none."""

    def __init__(self):
        super().__init__()
        self._spelt: dict[str, dict[str, int]] = {}
        self._by_year: dict[tuple[str, int | None], dict] = {}  # (unit_key, budget year) -> entry

    def of(self, rec: ReturnRecord, new: Callable[[], dict]):
        """The entry of `rec`'s unit (made by `new()` the first time), its spelling counted."""
        spelt, key = as_spelt(rec.values.get("unit")), unit_key(rec)
        counts = self._spelt.setdefault(key, {})
        counts[spelt] = counts.get(spelt, 0) + 1
        entry = self.get(key)
        if entry is None:
            entry = self[key] = new()
        return entry

    def entries(self, rec: ReturnRecord, new: Callable[[], dict]) -> tuple[dict, dict]:
        """The entry of `rec`'s unit (as ``of``) and that of its unit in its budget year (keyed (unit, None) where the
        year cannot be read), each made by `new()` the first time: a summary adds a return to both, and shows the second where
        returns of several budget years are summarised at once (``by_year``)."""
        entry = self.of(rec, new)
        key = (unit_key(rec), record_year(rec))
        of_year = self._by_year.get(key)
        if of_year is None:
            of_year = self._by_year[key] = new()
        return entry, of_year

    def year_entries(self):
        """Every entry of a unit in a budget year (``entries``), in no order."""
        return self._by_year.values()

    def by_year(self) -> list[tuple[str, int | None, dict]]:
        """(shown name, budget year, entry) of each unit in each of its years: the units as ``named`` orders them, each
        unit's years in order, a year that could not be read last."""
        order = {name: i for i, name in enumerate(self.named())}
        rows = [(self.name(key), year, entry) for (key, year), entry in self._by_year.items()]
        return sorted(rows, key=lambda t: (order[t[0]], t[1] is None, t[1] or 0))

    def name(self, key: str) -> str:
        """How the unit of `key` is shown (see the class)."""
        counts = self._spelt.get(key)
        if not key or not counts:
            return UNREADABLE_UNIT
        spelt = min(counts, key=lambda spelt: (-counts[spelt], spelt))
        return canonical(spelt) if spelt == UNREADABLE_UNIT else spelt  # (never the row of no unit's name)

    @staticmethod
    def key_of(rec: ReturnRecord) -> str | None:
        """UNIT_KEY of `rec`'s per-return row: the key its unit is grouped by, None where it names none."""
        return unit_key(rec) or None

    def keys_named(self) -> dict:
        """Shown name (``name``: one name per key) -> the key of its unit."""
        return {self.name(key): key for key in self}

    def name_of(self, rec: ReturnRecord) -> str:
        """The name `rec`'s unit is shown under in the summary's rows by unit (SUMMARY_UNIT of its per-return row)."""
        return self.name(unit_key(rec))

    def named(self) -> dict:
        """Shown name -> entry, ordered as ordered_units orders them."""
        return ordered_units({self.name(key): entry for key, entry in self.items()})


def ordered_units(units: dict) -> dict:
    """Units in pinyin order of their names (of their name_key, as the records are ordered: a unit's spellings
    sort as one), the unreadable ones last."""
    return dict(sorted(units.items(), key=lambda kv: (kv[0] == UNREADABLE_UNIT, pinyin_key(name_key(kv[0])),
                                                      kv[0])))


def made_on_date(made_on: dt.date | str | None = None) -> dt.date:
    """The date a summary was made: `made_on` when given, else SOURCE_DATE_EPOCH (reproducible builds) when set,
    else today.  The same inputs give the same bytes on the same day, or always with either of the first two."""
    if isinstance(made_on, str):
        return dt.date.fromisoformat(made_on)
    if isinstance(made_on, dt.datetime):
        return made_on.date()
    if made_on is not None:
        return made_on
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def years_text(years) -> str:
    """``2020`` or ``2020—2021`` for the budget years a summary covers; empty for none."""
    years = sorted({y for y in years if _whole(y)})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}—{years[-1]}"


def heading_of(title: str, years, made_on: dt.date) -> tuple[str, str]:
    """A summary's title and dateline: ``2020年度…汇总`` and ``制表日期：2024-06-01``."""
    span = years_text(years)
    return (f"{span}年度{title}" if span else title), f"制表日期：{made_on.isoformat()}"


#: The last column of every table that names a file: its exact name as hex of its bytes (文件路径 and 来源文件 are
#: written for people: a control character escaped, a GBK name decoded), for a script to open the file by.
PATH_BYTES = "文件路径字节"


def path_bytes_col() -> Col:
    return Col(PATH_BYTES, 20, printed=False)


def validation_columns(seq: str) -> list[Col]:
    """校验结果's columns (every form's summary): the file's name printed, its path and digest off the page, and
    last its exact name (PATH_BYTES)."""
    return [Col(seq, 5), Col("文件", 20), Col("状态", 7), Col("错误数", 5), Col("警告数", 5),
            *(Col(PROBLEM_TITLES[k][0], w) for k, w in (("severity", 6), ("code", 18), ("sheet", 8), ("cell", 6),
                                                          ("message", 50))),
            Col("文件路径", 40, printed=False), Col("SHA-256", 20, printed=False), path_bytes_col()]


TARGET_UNUSED = "未用于核对"  # 状态 of a goal table given with targets= that held no returns to their targets
IGNORED = "已忽略"  # 状态 of an editor lock file or system file in the folders (~$申报.xlsx, .DS_Store)


def validation_row_count(r) -> int:
    """How many rows a record takes in 校验结果 (_validation_rows): one a problem, at least one; a duplicate's note
    one more where it has problems."""
    return max(1, len(r.problems)) + bool(r.problems and r.note)


def _validation_rows(records, skipped, targets=(), ignored=()):
    """Every file with each of its problems; `records` in path order; then the files not checked, the goal
    tables given with targets= that did not serve (their Problems: unusable, or no goal table), and the editor
    lock files and system files passed over: every file found has its row."""
    i = 0
    for r in records:
        i += 1
        path = display_path(r.path)
        base = [i, display_name(r.path), r.status.zh, r.errors, r.warnings]
        exact = exact_path(r.path)
        if not r.problems:
            yield base + [None, None, None, None, r.note or None, path, r.sha256, exact]
        for sev, code, sheet, cell, message in r.problems:
            yield base + [severity_label(sev), code, sheet or None, cell or None, message, path, r.sha256, exact]
        if r.problems and r.note:  # a duplicate with problems is said to be one too, on a row of its own
            yield base + [None, None, None, None, r.note, path, r.sha256, exact]
    for s, reason in skipped.items():  # the reason's code (skipped.mail …) where a problem's code goes
        i += 1
        path = display_path(s)
        yield [i, display_name(s), Status.SKIPPED.zh, 0, 0, None, reason_code(reason), None, None, reason[0], path, None,
               exact_path(s)]
    for p in targets:
        i += 1
        yield [i, display_name(p.file), TARGET_UNUSED, 0, 0, severity_label(p.severity), p.code, None, None,
               p.message, display_path(p.file), None, exact_path(p.file)]
    for s in ignored:
        i += 1
        yield [i, display_name(s), IGNORED, 0, 0, None, SKIP_IGNORED.code, None, None, SKIP_IGNORED[0], display_path(s), None,
               exact_path(s)]


def _unread_in_year(y: dict, key: str, lang: str = "zh") -> str:
    """After a budget year's total of `key` (``by_year``): how many of its counted returns' amounts it lacks, not
    read; "" where it lacks none."""
    n = (y.get("missing") or {}).get(key)
    if not n:
        return ""
    if lang == "en":
        return f" ({n} project's amount unread)" if n == 1 else f" ({n} projects' amounts unread)"
    return f"（其中 {n} 个项目未能读出）"


def count_missing(entries, missing: dict, values: dict) -> None:
    """Count a counted return's amounts that could not be read (`values`: key of the summary's ``amounts`` -> the
    amount, None where unread): in `missing` (the summary's) and in each of `entries` (its unit's, and its unit's in
    its budget year: ``by_year`` says each year's)."""
    for key, amount in values.items():
        if amount is None:
            missing[key] += 1
            for entry in entries:
                counts = entry.setdefault("missing", {})
                counts[key] = counts.get(key, 0) + 1


class UnitProjectSummary:
    """What every form's summary shares: a return is one (申报单位, 项目名称), matched in canonical form;
    records sort by unit (in pinyin order, as the units of every summary table), project and path, the
    unreadable last.  Forms override what differs."""

    fit_width = False  # the detail sheets print one page wide, fitted (Table.fit_width)

    @staticmethod
    def duplicate_key(rec: ReturnRecord):
        """A project's return for a year: the same project's returns for two years (a recurring project, two
        years consolidated at once) are no duplicates of each other.  The names as --targets matches them
        (name_key: full- and half-width alike, no spaces, every bracket and dash form alike, case folded), so that
        one project sent again spelt another way counts once; names that differ in a character are two projects."""
        unit, project = name_key(rec.values.get("unit")), name_key(rec.values.get("project"))
        return (rec.values.get("year"), unit, project) if unit and project else None

    @staticmethod
    def names(rec: ReturnRecord) -> str:
        return f"{rec.values.get('unit')}／{rec.values.get('project')}"

    @staticmethod
    def tiebreak(rec: ReturnRecord):
        """Among duplicates of equal status, the latest 填报日期 wins (before the file's time); none ranks lowest."""
        return iso_date_or_blank(rec.values.get("filled_on"))

    @staticmethod
    def order(rec: ReturnRecord):
        """The records' order in every per-return table (项目清单, the indicators, the risks …): unreadable last,
        then the unit in pinyin order (安徽 before 北京 before 上海) of its name_key, as the units are grouped (Units:
        a name typed with a stray space or other brackets stays with its unit), the project and the path."""
        return (rec.status == Status.UNREADABLE, pinyin_key(name_key(rec.values.get("unit"))),
                pinyin_key(_text_or_blank(rec.values.get("project"))), rec.path)

    def configured(self, config):
        """The summary with any thresholds it takes from the rule table in force (most take none)."""
        return self

    def item_table(self, c, items: ItemTable, form=None) -> Table:
        """Every form's third sheet: each counted indicator, rows rendered in the workers and spliced from the
        spool (`items`: the summary's declaration; `form`: bound to the reports' parameters, for its headings)."""
        slots = [s for s in c.records.slots if s.included]
        widest = Widest(texts=False)
        for measured in {s.item_widest for s in slots}:  # as the workers measured each return's rows
            widest.update(measured)
        cols = items.cols(form)
        return Table(self.table_names[2], "indicators", cols, c.item_rows, sum(s.n_items for s in slots),
                     rendered=c.item_xml, measured=tuple(widest.numbers), splice=True, fit_width=self.fit_width,
                     ditto=((0, 1), len(cols) - 1))  # the unit and the project, once a return (its SHA-256 last)

    def validation_table(self, c, seq: str, problem_rows: int) -> Table:
        """校验结果, every form's last sheet: each input file (its problems, one row each), each file not
        checked and each lock or system file ignored; `problem_rows` as counted in the form's pass over the records
        (at least one a file)."""
        return Table(self.table_names[-1], "validation", validation_columns(seq),
                     lambda: _validation_rows(c.records.by_path(), c.skipped, c.targets, c.ignored),
                     problem_rows + len(c.skipped) + len(c.targets) + len(c.ignored), splice=True,
                     fit_width=self.fit_width)

    @staticmethod
    def review_sheets(c, records, heading, note: str = "") -> list:
        """consolidate --review: the 审核 sheets every form's summary ends with, scoring what the department wrote, as
        validate --review does (`heading`: the form's words for "unit" and "project"); none without --review."""
        if not c.reviewed:
            return []
        from .._review._summary import review_tables

        return review_tables(records, heading, note)

    @staticmethod
    def counted(c, units: dict) -> dict:
        """The totals every form's summary counts alike (`units` as aggregated: projects and invalid per unit):
        units, projects, files, and what became of them."""

        def counts_as(s) -> bool:  # counted, were it not a duplicate
            return s.status is Status.OK or (c.include_invalid and s.status is Status.INVALID)

        # the duplicates (below), by how another round's is said (_rounds_how: "" for one of one round) and failing;
        # and those that fail and are counted as failed instead (not among `duplicates`), by how another round's is
        # said: the line names them apart, so that none reads 重复申报 0 个 beside a failing one listed
        dups, failed_dups = Counter(), Counter()
        for s in c.records.slots:
            if not s.duplicate:
                continue
            if counts_as(s):
                dups[_rounds_how(s), s.status is not Status.OK] += 1
            else:
                failed_dups[_rounds_how(s)] += 1
        return {"units": len(units) - (UNREADABLE_UNIT in units),  # units by name; files without one said apart
                "unnamed": UNREADABLE_UNIT in units,
                "projects": sum(u["projects"] for u in units.values()),
                "invalid": sum(u["invalid"] for u in units.values()), "files": len(c.records),
                "skipped": len(c.skipped), "ignored": len(c.ignored),
                # of the files not checked, xlgoals's own outputs (yesterday's reports and tables in the inbox)
                "skipped_outputs": sum(xlgoals_output(why) for why in c.skipped.values()),
                # a return that repeats a project is a duplicate when it would have been counted but for that: one
                # that fails is counted as failed instead, unless failing returns are counted (include_invalid), when
                # it is a duplicate (invalid_duplicates: among the failed too); each file in one bucket:
                # projects + (invalid - invalid_included - invalid_duplicates) + duplicates = files
                "duplicates": dups.total(),
                # of them, a project's report of another round than the one counted (1-6月 replaced by 1-12月): the
                # line says them apart, not as duplicates to check (duplicates still holds them: the sum above)
                "replaced": dups["superseded", False] + dups["superseded", True],
                # … of them failing (--include-invalid): said apart from those passing, not as duplicates failing
                "replaced_failing": dups["superseded", True],
                # a later month's report not counted because it fails and an earlier one passes (earlier_counted):
                # not replaced by a later one, nor a duplicate to check
                "later_failing": dups["earlier_counted", False] + dups["earlier_counted", True],
                "later_failing_invalid": dups["earlier_counted", True],
                "invalid_duplicates": sum(n for (_, failing), n in dups.items() if failing),
                # duplicates counted as failed (above): plain, replaced by a later month's, a later month's failing
                "failed_duplicates": failed_dups[""], "failed_replaced": failed_dups["superseded"],
                "failed_later": failed_dups["earlier_counted"],
                # a failing return counted all the same (include_invalid): among the projects, and among the failed
                "invalid_included": sum(s.included and s.status is not Status.OK for s in c.records.slots)}

    @staticmethod
    def counts(totals: dict) -> dict:
        """What became of the files, each counted once (the JSON's ``counts``): ``counted`` (of them
        ``counted_failing``, failing returns counted all the same), ``failed_not_counted`` and ``duplicates`` add
        up to ``files``; ``skipped`` (not checked) and ``ignored`` (lock and system files) are apart, and of the
        skipped, ``skipped_outputs`` are xlgoals's own outputs (yesterday's reports and tables in the inbox); then
        each other figure the line on the terminal says, equal: ``units``; of the duplicates
        ``duplicates_same_round`` (and its ``…_failing``), ``duplicates_replaced`` (and its ``…_failing``) and
        ``duplicates_later_failing``, adding up to ``duplicates``; of ``failed_not_counted``, the duplicates counted
        as failed, ``failed_duplicates``, ``failed_replaced`` and ``failed_later``; with --previous,
        ``previous_found``, ``previous_missing`` and ``previous_competing``; with --targets, ``targets_unmatched``, ``targets_refused``,
        ``targets_competing`` and each one's ``…_counted``, and ``targets_goal_tables_unreadable``
        (``targets_counts``)."""
        return {"files": totals["files"], "counted": totals["projects"],
                "counted_failing": totals.get("invalid_included", 0),
                "failed_not_counted": totals["invalid"] - totals.get("invalid_included", 0)
                - totals.get("invalid_duplicates", 0),
                "duplicates": totals["duplicates"], "skipped": totals["skipped"], "ignored": totals["ignored"],
                "skipped_outputs": totals.get("skipped_outputs", 0),
                # the figures the terminal's line and the summary's sentence say besides (duplicates_line), each
                # equal: the units by name; of `duplicates`, those of one round (重复申报 N 个, and of them failing),
                # a project's reports replaced by a later month's (and of them failing), and a later month's failing
                # report where an earlier one counts (these three add up to `duplicates`); of `failed_not_counted`,
                # the duplicates of each kind that fail and are counted as failed instead (另有重复申报 N 个 …)
                "units": totals.get("units", 0),
                "duplicates_same_round": totals["duplicates"] - totals.get("replaced", 0)
                - totals.get("later_failing", 0),
                "duplicates_same_round_failing": totals.get("invalid_duplicates", 0)
                - totals.get("replaced_failing", 0) - totals.get("later_failing_invalid", 0),
                "duplicates_replaced": totals.get("replaced", 0),
                "duplicates_replaced_failing": totals.get("replaced_failing", 0),
                "duplicates_later_failing": totals.get("later_failing", 0),
                "failed_duplicates": totals.get("failed_duplicates", 0),
                "failed_replaced": totals.get("failed_replaced", 0), "failed_later": totals.get("failed_later", 0),
                # with --previous, the goal tables that found last year's return and those that found none, as the
                # line after it says them (compared_line)
                **{k: totals[k] for k in ("previous_found", "previous_missing", "previous_competing") if k in totals},
                # with --targets: the returns no goal table matched, those of competing approvals (and how many of
                # each are counted), as the terminal's lines say them; absent when the returns were held to none
                **totals.get("targets", {})}

    @classmethod
    def counts_note(cls, totals: dict) -> str:
        """The summary sheet's sentence on the files, adding up as the line on the terminal does."""
        n = cls.counts(totals)
        failing = f"（其中 {n['counted_failing']} 个未通过校验，仍计入）" if n["counted_failing"] else ""
        failed = "未通过校验或无法读取而未计入" if n["counted_failing"] else "未通过校验或无法读取"
        return (f"共读取 {n['files']} 个文件：计入汇总 {n['counted']} 个项目{failing}，{failed} "
                f"{n['failed_not_counted']} 个，{cls.duplicates_line(totals)}；另有 "
                f"{n['skipped']} 个文件未检查（原因见“校验结果”）。")

    @classmethod
    def duplicates_line(cls, totals: dict, lang: str = "zh") -> str:
        """重复申报 N 个（未计入）, and apart, a project's reports of another round than the one counted, which are not
        duplicates to check (``rounds_apart``): 已由较晚月份的报告取代的报告 N 个（未计入）, 未通过校验的较晚月份报告 N 个
        （未计入，计入的是较早月份的报告）.  Each says its own failing reports, so that no count reads 0 个 of which 1
        failed (a replaced report's failure said under 重复申报)."""
        twice = totals["duplicates"] - totals.get("replaced", 0) - totals.get("later_failing", 0)
        if lang == "en":
            said = f"{twice} duplicate{'s' * (twice != 1)}{cls.duplicates_said(totals, 'en')}"
            return ", ".join([said, *cls.failed_apart(totals, "", "en"), *cls.rounds_apart(totals, "en")])
        return "，".join([f"重复申报 {twice} 个{cls.duplicates_said(totals)}", *cls.failed_apart(totals, ""),
                         *cls.rounds_apart(totals)])

    #: The duplicates counted as failed (``failed_apart``), by how another round's is said: (key of the totals,
    #: zh words, en words of one, en words of more)
    _FAILED_APART = {"": ("failed_duplicates", "重复申报", "more duplicate", "more duplicates"),
                     "superseded": ("failed_replaced", "已由较晚月份的报告取代的报告", "more replaced by a later month's "
                                    "report", "more replaced by a later month's report"),
                     "earlier_counted": ("failed_later", "未通过校验的较晚月份报告", "more later month's report",
                                         "more later month's reports")}

    @classmethod
    def failed_apart(cls, totals: dict, how: str, lang: str = "zh") -> list[str]:
        """The duplicates of a kind (`how`: "" plain, or ``_rounds_how``'s) that fail and are counted as failed, not
        among the duplicates (failing returns not counted): said after that kind's count as more of that kind,
        counted among the failed the line names before, so that the line never says 重复申报 0 个 while a failing
        duplicate is listed below it, and counted + failed + duplicates still add up to the files; none where there
        is none."""
        key, zh, one, more = cls._FAILED_APART[how]
        n = totals.get(key, 0)
        if not n:
            return []
        failed = cls.counts(totals)["failed_not_counted"]
        if lang == "en":
            failing = "" if how == "earlier_counted" else "failing, "
            return [f"{n} {one if n == 1 else more} ({failing}counted among the {failed} failed above)"]
        failing = "" if how == "earlier_counted" else "未通过校验，"
        return [f"另有{zh} {n} 个（{failing}已计入前面未通过的 {failed} 个）"]

    @classmethod
    def rounds_apart(cls, totals: dict, lang: str = "zh") -> list[str]:
        """A project's reports of another round than the one counted, each kind said with its count, none where
        there is none: replaced by a later month's (``replaced``; the failing among them, ``replaced_failing``, said
        apart from the passing), and a later month's that fails where an earlier one passes and counts instead
        (``later_failing``)."""
        out = []
        n, bad = totals.get("replaced", 0), totals.get("replaced_failing", 0)
        later = totals.get("later_failing", 0)
        if lang == "en":
            if n:
                how = ("" if not bad else (", failing" if n == 1 else ", all failing") if bad == n
                       else f": {n - bad} passing, {bad} failing")
                out.append(f"{n} replaced by a later month's report (not counted{how})")
            out += cls.failed_apart(totals, "superseded", "en")
            if later:
                out.append(f"{later} later month's report{'s' * (later != 1)} failing (not counted: the earlier "
                           f"month's report counts)")
            return out + cls.failed_apart(totals, "earlier_counted", "en")
        if n:
            how = ("" if not bad else ("，未通过校验" if n == 1 else "，均未通过校验") if bad == n
                   else f"；通过校验 {n - bad} 个，未通过校验 {bad} 个")
            out.append(f"已由较晚月份的报告取代的报告 {n} 个（未计入{how}）")
        out += cls.failed_apart(totals, "superseded")
        if later:
            out.append(f"未通过校验的较晚月份报告 {later} 个（未计入，计入的是较早月份的报告）")
        return out + cls.failed_apart(totals, "earlier_counted")

    @staticmethod
    def duplicates_said(totals: dict, lang: str = "zh") -> str:
        """What the sentence and the line on the totals say after the duplicates: not counted, and how many of them
        failed (``invalid_duplicates``, less the reports of other rounds, which ``rounds_apart`` says): 未通过校验的
        申报数 counts them, so that the three failing counts it is the sum of (counted all the same, not counted,
        duplicates) are each said."""
        k = totals.get("invalid_duplicates", 0) - totals.get("replaced_failing", 0) \
            - totals.get("later_failing_invalid", 0)
        if lang == "en":
            return f" (not counted, {k} of them failing)" if k else " (not counted)"
        return f"（未计入，其中 {k} 个未通过校验）" if k else "（未计入）"

    @classmethod
    def describe(cls, totals: dict, lang: str = "zh") -> str:
        """The line on the run's totals for the command line: the form's own figures (``headline``), then what
        every form counts alike, so that no file goes unaccounted for (in English for `lang` "en"): the projects
        counted, the failed not counted and the duplicates add up to the files."""
        c = cls.counts(totals)
        ours = totals.get("skipped_outputs", 0)  # listed apart below the line, as validate lists them
        if lang == "en":
            unnamed = f" (and files whose reporting unit cannot be told, listed under '{UNREADABLE_UNIT}')" \
                if totals.get("unnamed") else ""
            def n(key: str, word: str) -> str:
                return f"{totals[key]} {word}{'s' * (totals[key] != 1)}"

            failing = f" ({c['counted_failing']} of them failing, counted all the same)" if c["counted_failing"] else ""
            return (f"{n('files', 'file')}, {n('units', 'unit')}{unnamed}, {n('projects', 'project')} counted"
                    f"{failing}{cls.headline(totals, lang)}; {c['failed_not_counted']} failed or unreadable"
                    f"{' not counted' if c['counted_failing'] else ''}, "
                    f"{cls.duplicates_line(totals, 'en')}, {n('skipped', 'file')} not checked"
                    f"{f' ({ours} of them outputs of xlgoals)' if ours else ''}, "
                    f"{n('ignored', 'lock or system file')} ignored.")
        unnamed = f"（另有无法识别申报单位的文件，列在“{UNREADABLE_UNIT}”下）" if totals.get("unnamed") else ""
        failing = f"（其中 {c['counted_failing']} 个未通过校验，仍计入）" if c["counted_failing"] else ""
        return (f"共 {totals['files']} 个文件，{totals['units']} 个单位{unnamed}，计入 {totals['projects']} 个项目"
                f"{failing}{cls.headline(totals)}；未通过或无法读取{'而未计入' if c['counted_failing'] else ''} "
                f"{c['failed_not_counted']} 个，{cls.duplicates_line(totals)}，未检查的文件 {totals['skipped']} 个{f'（其中 xlgoals 的输出 {ours} 个）' if ours else ''}，"
                f"忽略的锁定文件和系统文件 {totals['ignored']} 个。")

    #: The amounts the line on the totals names (``headline``): (key of the totals, zh words, en words)
    amounts: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def headline(cls, totals: dict, lang: str = "zh") -> str:
        """The form's own figures for the line on the totals, after the projects counted: its amounts."""
        return cls.amounts_line(totals, lang)

    @classmethod
    def amounts_line(cls, totals: dict, lang: str = "zh") -> str:
        """``_amounts_line``, then the counted returns whose amounts the totals hold but the rates leave out
        (``unrated_line``)."""
        return cls._amounts_line(totals, lang) + cls.held_line(totals, lang) + cls.unrated_line(totals, lang)

    @classmethod
    def _amounts_line(cls, totals: dict, lang: str = "zh") -> str:
        """The form's ``amounts`` as the line on the totals says them (``；项目总预算合计 1,000.00 元，…``, or in
        English ``; total budget 1,000.00 yuan, …``); "" for a form without any.  With returns of several budget
        years (``by_year``), each year's own after them: the amounts add the years up."""
        if not cls.amounts:
            return ""
        by_year = totals.get("by_year")
        missing = totals.get("amounts_missing") or {}  # counted projects whose amount could not be read

        def unread(key: str) -> str:
            n = missing.get(key)
            if not n:
                return ""
            if lang == "en":
                return f" ({n} counted projects' amount could not be read: not in it)" if n != 1 \
                    else " (1 counted project's amount could not be read: not in it)"
            return f"（{n} 个计入的项目未能读出该金额，未加入合计）"

        if lang == "en":
            line = "; " + ", ".join(f"{en} {totals[key]:,.2f} yuan{unread(key)}" for key, _, en in cls.amounts)
            if by_year:
                years = sum(year is not None for year in by_year)
                each = "; ".join(f"{year if year is not None else 'year unknown'}: {y['projects']} "
                                 f"project{'s' * (y['projects'] != 1)}, "
                                 + ", ".join(f"{en} {y[key]:,.2f} yuan{_unread_in_year(y, key, 'en')}"
                                             for key, _, en in cls.amounts)
                                 for year, y in by_year.items())
                unknown = " and the returns of no year read" if None in by_year else ""
                line += f" (the sum of {years} budget years{unknown}: {each})"
            return line
        line = "；" + "，".join(f"{zh} {totals[key]:,.2f} 元{unread(key)}" for key, zh, _ in cls.amounts)
        if not by_year:
            return line
        years = sum(year is not None for year in by_year)
        unknown = "及年度不明的申报" if None in by_year else ""
        return line + f"（为 {years} 个预算年度{unknown}之和：{cls.years_said(by_year)}）"

    #: where a form's rows say which amount was not read, pointed to by missing_note (the goal tables' 项目清单 说明)
    missing_see = ""

    @classmethod
    def missing_note(cls, totals: dict) -> str:
        """The summary sheet's sentence on the counted projects whose amount could not be read (--include-invalid):
        not in the 合计, as the line on the terminal says; "" where every amount was added."""
        missing = totals.get("amounts_missing") or {}
        said = [f"{missing[key]} 个计入的项目未能读出{zh.removesuffix('合计')}，未加入合计" for key, zh, _ in cls.amounts
                if missing.get(key)]
        return f"{'；'.join(said)}{cls.missing_see}。" if said else ""

    @staticmethod
    def keep_missing(totals: dict, missing: dict) -> None:
        """The counted returns whose amount is not in the totals (by amount: those of none left out), as
        ``totals["amounts_missing"]`` where there are any (the outputs are unchanged where there are none)."""
        missing = {key: n for key, n in missing.items() if n}
        if missing:
            totals["amounts_missing"] = missing

    @classmethod
    def years_said(cls, by_year: dict) -> str:
        """Each budget year's projects and amounts (``2020 年度 2 个项目，项目总预算合计 … 元，…；2021 年度 …``), the
        returns whose year could not be read last (``年度不明 1 个项目，…``)."""
        return "；".join(f"{f'{year} 年度' if year is not None else YEAR_UNKNOWN} {y['projects']} 个项目，"
                        + "，".join(f"{zh} {y[key]:,.2f} 元{_unread_in_year(y, key)}" for key, zh, _ in cls.amounts)
                        for year, y in by_year.items())

    #: The amounts a return may have held out (``values["held_out"]``, their keys in the form's funds block), as its
    #: row's 说明 names them (``held_row_note``)
    held_said: dict[str, str] = {}

    @staticmethod
    def keep_held(totals: dict, held: dict) -> None:
        """The counted returns whose amount is held out of the totals as apparently typed in 万元, by amount (those of
        none left out), as ``totals["amounts_held_out"]`` where there are any (the outputs unchanged where none)."""
        _keep_counts(totals, "amounts_held_out", held)

    @staticmethod
    def held_values(values: dict, form_id: str | None) -> None:
        """What a return's extracted ``values`` become once its ``held_out`` amounts are known (in place): as they are,
        but for a form whose scores those amounts decide (the self-evaluation's)."""

    @staticmethod
    def count_held(values: dict, held: dict) -> set:
        """The keys of `held` (the summary's ``amounts``) a return's ``values`` hold out (``_figures.held_out``), each
        counted in `held`."""
        kept_out = set(values.get("held_out") or ()) & held.keys()
        for key in kept_out:
            held[key] += 1
        return kept_out

    @classmethod
    def held_row_note(cls, rec) -> str:
        """A return's 说明 in the projects' sheet: its own note, then the amounts it holds out (``held_out``), then
        a 年初预算数 other than the approved 当年预算 (``*.initial_budget_changed``, as its warning gives the two)."""
        changed = rec.values.get("initial_budget_changed")
        initial = f"年初预算数为 {changed[1]}，与批复的当年预算 {changed[2]}不同（{changed[0]}）" if changed else ""
        return "；".join(x for x in (rec.note, cls.held_words(rec), initial) if x)

    @classmethod
    def held_words(cls, rec) -> str:
        """What the projects' sheet's 说明 says of the amounts a return holds out (``held_out``); "" for none."""
        held = [cls.held_said.get(key, key) for key in rec.values.get("held_out") or ()]
        return f"{'、'.join(held)}疑按万元填写，未计入合计" if held else ""

    @classmethod
    def held_note(cls, totals: dict, lang: str = "zh", rule: bool = True) -> str:
        """The counted returns whose amount is held out of the 合计 as apparently typed in 万元 (``held_out``), by
        amount, as the summary sheet's note says them; "" where none is.  With `rule` (the sheet's note), that the
        hold-out follows no severity: the summary's decision on a figure of a suspected unit, a bureau's table
        making the rule a notice (how the department is told) holds it out all the same; turned off (off) the rule
        runs nowhere and the amount is summed as typed."""
        held = totals.get("amounts_held_out") or {}
        # the scale rule whose warning (an amount apparently typed in 万元) holds the amount out (held_out)
        code = HELD_CODES.get(cls.form.id, "")
        if lang == "en":
            said = [f"{held[key]} counted {cls.returns_en[held[key] != 1]} {en} apparently in 10,000 yuan "
                    f"({code}): not in its total" for key, _, en in cls.amounts if held.get(key)]
            why = (f" (held out whether {code} is a warning or a notice; to sum such amounts as typed, turn it off)"
                   if rule and said else "")
            return "; " + "; ".join(said) + why if said else ""
        said = [f"{held[key]} 个计入的项目的{zh.removesuffix('合计')}疑按万元填写（{code}），未加入合计"
                for key, zh, _ in cls.amounts if held.get(key)]
        why = f"（{code} 为警告或提示时均不计入；确属按元填写的，可在规则表中将其设为 off 后重新汇总）" if rule else ""
        return f"{'；'.join(said)}{why}，请核对后重新汇总。" if said else ""

    #: (one, several) as ``held_note``'s English says the returns whose amount it holds out
    returns_en = ("return's", "returns'")

    @classmethod
    def held_line(cls, totals: dict, lang: str = "zh") -> str:
        """``held_note`` as the line on the totals says it; "" where none is held out."""
        if not totals.get("amounts_held_out"):
            return ""
        return cls.held_note(totals, lang, rule=False) if lang == "en" else \
            f"（{cls.held_note(totals, rule=False).removesuffix('。')}）"

    #: Why a counted return's amounts, in the totals, are left out of the form's rates (``keep_unrated``): reason ->
    #: (zh, en), in the order said; none for a form without rates
    unrated_reasons: dict[str, tuple[str, str]] = {}
    #: (what the rates are, what they are computed over) as the summary sheet's note says them (``unrated_note``)
    rated_words: tuple[str, str] = ("", "")
    #: what the rates are, in English (``unrated_line``)
    rated_words_en: str = ""

    @staticmethod
    def keep_unrated(totals: dict, unrated: dict) -> None:
        """The counted returns whose readable amounts are in the totals but not in the rates, by reason (those of
        none left out), as ``totals["amounts_unrated"]`` where there are any (the outputs unchanged where none)."""
        _keep_counts(totals, "amounts_unrated", unrated)

    @classmethod
    def _unrated_why(cls, unrated: dict, lang: str = "zh") -> str:
        """The counts of ``amounts_unrated`` by reason, in ``unrated_reasons``' order (those of none left out)."""
        if lang == "en":
            return ", ".join(f"{unrated[key]} {en}" for key, (_, en) in cls.unrated_reasons.items() if unrated.get(key))
        return "，".join(f"{zh} {unrated[key]} 个" for key, (zh, _) in cls.unrated_reasons.items() if unrated.get(key))

    @staticmethod
    def unrated_reason(budget) -> str:
        """Why a counted return with a month (where the form asks one) has no rate: its budget (a Decimal, None where
        unread) not above zero, else its executed amount unread."""
        return "no_budget" if budget is None or budget <= 0 else "no_executed"

    @classmethod
    def unrated_note(cls, totals: dict) -> str:
        """The summary sheet's sentence on the rates: what they are computed over, and how many counted returns, whose
        readable amounts are in the 合计, they leave out and why; "" where they leave none out."""
        unrated = totals.get("amounts_unrated") or {}
        if not unrated:
            return ""
        what, over = cls.rated_words
        why = cls._unrated_why(unrated)
        return (f"{what}只按{over}的项目计算，{sum(unrated.values())} 个计入的项目未计入：{why}"
                f"（其能读出的金额{cls._but_held(unrated)}已加入合计）。")

    @staticmethod
    def _but_held(unrated: dict, lang: str = "zh") -> str:
        """The amounts the unrated returns' readable ones in the 合计 leave out: those held out as apparently in 万元
        (their own clause says so: not also said added)."""
        if not unrated.get("held_out"):
            return ""
        return " (but those apparently in 10,000 yuan)" if lang == "en" else "（疑按万元填写的除外）"

    @classmethod
    def unrated_line(cls, totals: dict, lang: str = "zh") -> str:
        """The line on the totals' words on the returns the rates leave out (``unrated_note``); "" for none."""
        unrated = totals.get("amounts_unrated") or {}
        if not unrated:
            return ""
        n = sum(unrated.values())
        why = cls._unrated_why(unrated, lang)
        if lang == "en":
            return (f"; {n} counted project{'s' * (n != 1)} take{'s' * (n == 1)} no part in {cls.rated_words_en}, "
                    f"{'its' if n == 1 else 'their'} readable amounts{cls._but_held(unrated, 'en')} in the totals ({why})")
        # the rates the form works out (序时进度 and the marks leave out the same reports as 执行率), and the projects
        # said as left out of the computing, not of the count: their amounts are in the totals
        return f"；{n} 个项目未参与{cls.rated_words[0]}的计算，其能读出的金额{cls._but_held(unrated)}已加入合计（{why}）"

    #: The field of a unit's entry (the form's aggregation) that sums each of the ``amounts`` (key -> field)
    amount_fields: dict[str, str] = {}

    @classmethod
    def rows_shown(cls, unit_years: Units) -> tuple[list, dict]:
        """(unit, year, entry) of each row of a summary's first sheet, and ``by_year``: a row per unit, its year None,
        where the records are of one budget year; a row per unit and year where they span several (each unit's
        amounts by year, never summed unseen: the sheet then has a 预算年度 column)."""
        rows = unit_years.by_year()
        by_year = cls.by_year(rows)
        return (rows if by_year else [(unit, None, u) for unit, u in unit_years.named().items()]), by_year

    @classmethod
    def by_year(cls, rows: list) -> dict:
        """Budget year -> the projects counted and the ``amounts`` (exact), where the records span several years:
        `rows` are ``Units.by_year()`` (unit, year, entry); {} for one year.  A year of no project counted is listed
        too; the returns whose year could not be read (--include-invalid), under None (年度不明), last, where they
        hold a project counted: the years then add up to the 合计 row."""
        years = sorted({year for _, year, _ in rows if year is not None})
        if len(years) < 2:
            return {}
        out = {year: {"projects": 0, **{key: Decimal(0) for key, _, _ in cls.amounts}} for year in [*years, None]}
        for _, year, entry in rows:
            out[year]["projects"] += entry["projects"]
            for key, _, _ in cls.amounts:
                out[year][key] += dec(entry[cls.amount_fields[key]]) or Decimal(0)
                n = (entry.get("missing") or {}).get(key)
                if n:  # the year's counted returns whose amount could not be read: said with its total
                    missing = out[year].setdefault("missing", {})
                    missing[key] = missing.get(key, 0) + n
        if not out[None]["projects"]:
            del out[None]
        return out

    @classmethod
    def years_note(cls, totals: dict) -> str:
        """The summary sheet's sentence on returns of several budget years: the 合计 row adds the years up, so each
        year's own figures are said, as the line on the terminal says them."""
        by_year = totals.get("by_year")
        if not by_year:
            return ""
        years = sum(year is not None for year in by_year)
        unknown = ("（另有年度不明的申报，预算年度一栏空白）", "及年度不明的申报") if None in by_year else ("", "")
        return (f"本汇总含 {years} 个预算年度的申报{unknown[0]}，各行按单位和预算年度分列，合计行为各年度{unknown[1]}之和："
                f"{cls.years_said(by_year)}。")


def _keep_counts(totals: dict, name: str, counts: dict) -> None:
    """`counts` without its zeros as ``totals[name]`` where any is left (the outputs unchanged where none is)."""
    kept = {key: n for key, n in counts.items() if n}
    if kept:
        totals[name] = kept
