"""The indicator library (指标库): the 三级 names a bureau recommends, by 一级 and 二级.

A CSV (UTF-8 or GBK) or a workbook whose first sheet has the columns 一级, 二级, 三级, the
form's unit column and 说明 (``一级指标``/``一级目标`` and the like are accepted as headers
too).  ``template --library`` offers the names of a row's 二级 as a dropdown that still takes
free text; ``validate --review --library`` reports names not in it with the closest one.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from .._errors import ConfigError, os_reason
from .._form import GOAL_TABLE, Validation
from .._resources import header_index, load_as_given, read_csv_rows
from .._text import Bilingual, at, line_of
from ._text import can_reach, canon, indicator_key

# Library columns: key -> accepted headers (the unit column's header is the form's label).
_COL = GOAL_TABLE.column_label
_HEADERS = {
    "level1": ("一级", _COL("level1"), "一级目标"),
    "level2": ("二级", _COL("level2"), "二级目标"),
    "name": ("三级", _COL("name"), "三级目标", "指标名称"),
    "unit": (GOAL_TABLE.column_label("unit"), "单位"),
    "note": ("说明", "备注", "指标解释"),
}
_REQUIRED = ("level1", "level2", "name")
_WHAT = Bilingual("指标库", "indicator library")

#: The dropdown on the 三级 column of a template made with a library: free text stays allowed.
DROPDOWN = Validation(
    input_title="指标库",
    input_message="可从下拉列表选择指标库中的名称，也可直接填写",
    error_title="不在指标库中",
    error_message="所填名称不在指标库中。如确认无误请点“确定”保留。",
    error_type="information",
)


@dataclass(frozen=True)
class LibraryEntry:
    level1: str
    level2: str
    name: str
    unit: str = ""
    note: str = ""


@dataclass(frozen=True)
class Library:
    """The entries of an indicator library, with lookups by 二级."""

    entries: tuple
    source: str = ""

    @classmethod
    def load(cls, path: str | os.PathLike, limits: dict | None = None) -> Library:
        """The library at `path`; a workbook is read in a child bounded by `limits` (the run's ``Config.limits``;
        by default the packaged ``schema/limits.json``)."""
        bounds = tuple(sorted((k, v) for k, v in limits.items() if k in _CHILD_LIMITS)) if limits else None
        return load_as_given(lambda full, version: _load(full, bounds, version), path)

    def level2_names(self) -> list[str]:
        """The 二级 names that have entries, in file order."""
        return list(dict.fromkeys(e.level2 for e in self.entries))

    def names_of(self, level2: str) -> list[str]:
        return list(self._by_level2.get(canon(level2), ()))

    @cached_property
    def _by_level2(self) -> dict:
        """canon(二级) -> its names, in file order, each once (built once: a review asks for every row)."""
        groups: dict = {}
        for e in self.entries:
            groups.setdefault(canon(e.level2), {}).setdefault(e.name, None)
        return {k: tuple(v) for k, v in groups.items()}

    def contains(self, name: str) -> bool:
        """Whether `name` is in the library (compared without spaces, punctuation or a trailing unit such as （%）)."""
        return indicator_key(name) in self._keys

    @cached_property
    def _keys(self) -> frozenset:
        return frozenset(indicator_key(e.name) for e in self.entries)

    @cached_property
    def _matchers(self) -> dict:
        """A _Matcher per pool searched: the row's 二级 (by its canonical name), or the whole library (None)."""
        return {}

    def closest(self, name: str, level2: str | None = None, cutoff: float = 0.5) -> str | None:
        """The library name closest to `name` (difflib's get_close_matches), preferring the row's 二级."""
        matchers = self._matchers
        pools = ((canon(level2), lambda: self.names_of(level2)),) if level2 else ()
        for key, names in (*pools, (None, lambda: [e.name for e in self.entries])):
            matcher = matchers.get(key)
            if matcher is None:
                matcher = matchers[key] = _Matcher(names())
            found = matcher.best(canon(name), cutoff)
            if found is not None:
                return found
        return None


class _Matcher:
    """``difflib.get_close_matches(word, names, n=1, cutoff)`` over one pool of names, with the same answer, but
    each name's ratio is computed only when the characters it shares with the word let it reach the cutoff
    (a library holds thousands of names; a return asks for every name not in it)."""

    def __init__(self, names):
        self.by_key = {canon(n): n for n in names}  # as before: the canonical form, the last name of each
        self.keys = list(self.by_key)
        self.repeats = [len(k) - len(set(k)) for k in self.keys]
        self.index: dict[str, list[int]] = {}
        for i, k in enumerate(self.keys):
            for ch in set(k):
                self.index.setdefault(ch, []).append(i)

    def best(self, word: str, cutoff: float) -> str | None:
        if not word or cutoff <= 0:  # every name can qualify: difflib over them all
            found = difflib.get_close_matches(word, self.keys, n=1, cutoff=cutoff)
            return self.by_key[found[0]] if found else None
        shared: dict[int, int] = {}
        for ch in set(word):
            for i in self.index.get(ch, ()):
                shared[i] = shared.get(i, 0) + 1
        repeats = len(word) - len(set(word))
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        best = None
        for i, common in shared.items():
            key = self.keys[i]
            if not can_reach(common, repeats, self.repeats[i], len(key) + len(word), cutoff):
                continue
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
                ratio = matcher.ratio()
                if ratio >= cutoff and (best is None or (ratio, key) > best):
                    best = (ratio, key)
        return None if best is None else self.by_key[best[1]]


def _rows_csv(path: Path) -> list[tuple[int, list]]:
    return read_csv_rows(path, _WHAT)


def _first_sheet(path: str) -> list | None:
    """The first sheet's values (None: no sheet), through the returns' screen (the sheet's range too, before
    calamine, screened for size as a return's sheets): read in a bounded child (_rows_workbook)."""
    from .._read._grid import Grid
    from .._read._safety import open_container

    grid = Grid(open_container(path))
    return grid.values(grid.sheet_names[0]) if grid.sheet_names else None


def _rows_workbook(path: Path, limits: dict | None = None) -> list[tuple[int, list]]:
    """(the sheet's row number, the row) from the first filled row on, the columns before the first filled one
    left out.  Read in a child bounded by `limits` (the run's; by default the packaged ones)."""
    from .._parallel import ChildDied, bounded, crash_reason
    from .._read._safety import FileProblem, bureau_reason
    from .._resources import load_json

    bounds = {**load_json("schema", "limits.json"), **(limits or {})}
    try:
        rows = bounded(_first_sheet, str(path), bounds)  # calamine may abort the process it runs in
        if rows is None:
            raise ConfigError(at(path, "指标库工作簿中没有工作表", "the indicator library workbook has no sheet"))
        # as calamine's to_python() gives them: the area before the first filled row and column left out
        top = next((i for i, r in enumerate(rows) if any(v != "" for v in r)), len(rows))
        first = min((next(j for j, v in enumerate(r) if v != "") for r in rows[top:] if any(v != "" for v in r)),
                    default=0)
        return [(top + i + 1, r[first:]) for i, r in enumerate(rows[top:])]
    except ChildDied as died:
        raise ConfigError(at(path, f"指标库工作簿无法读取（{crash_reason(died.reason)}）",
                             f"the indicator library workbook cannot be read ({crash_reason(died.reason, 'en')})")) from None
    except FileProblem as fp:  # said as what it is (was: the bare code, 无法读取（file.xlgoals_output）)
        why = bureau_reason(fp.code, (fp.found, fp.found_en), (fp.detail, fp.detail_en), ("指标库", "an indicator library"))
        if why is None:
            from .._check._ruletable import RuleTable

            p = RuleTable.default().problem(fp.code, value=fp.found or None, value_en=fp.found_en or None,
                                       expected=fp.expected, detail=fp.detail, detail_en=fp.detail_en, sheet=fp.sheet)
            why = Bilingual(p.message, p.message_en)
        raise ConfigError(at(path, f"指标库工作簿无法读取：{why}",
                             f"the indicator library workbook cannot be read: {why.en}")) from None
    except ConfigError:
        raise
    except Exception as exc:  # calamine's own errors: damaged or not a workbook
        raise ConfigError(at(path, f"指标库工作簿无法读取（{exc.__class__.__name__}）",
                             f"the indicator library workbook cannot be read ({exc.__class__.__name__})")) from None


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _below_title(path: str, rows: list) -> list:
    """`rows` from the header on, found as ``template --prefill`` finds a project list's (``header_index``): a line
    that names a column (一级, 二级, 三级 …) below one-cell titles.  Without such a line, the first is the header (and
    its missing columns are said)."""
    names = {n for key in _REQUIRED for n in _HEADERS[key]}
    start = header_index(path, rows, lambda row: bool(names & set(row)), lambda header: Bilingual(
        f"指标库在表头（第 {header} 行）之上的这一行不止一个单元格有内容，不像标题：如是指标，请移到表头之下；否则请删除该行",
        f"the indicator library has a line above its header (line {header}) in which more than one cell holds "
        "something, so it is no title: if it is an indicator, move it below the header; else delete the line"),
        ConfigError)
    return rows[start:]


#: What bounds the child a library workbook is read in (``bounded``): of the run's limits, the key to the cache.
_CHILD_LIMITS = ("file_seconds", "worker_memory_mb")


@lru_cache(maxsize=8)
def _load(path: str, bounds: tuple | None = None, version: tuple | None = None) -> Library:  # (version: the key)
    p = Path(path)
    if not p.exists():
        raise ConfigError(Bilingual(f"找不到指标库文件：{path}", f"indicator library not found: {path}"))
    if not p.is_file():
        raise ConfigError(Bilingual(f"无法读取指标库 {path}：不是普通文件",
                                    f"cannot read the indicator library {path}: not a regular file"))
    try:
        rows = _rows_csv(p) if p.suffix.lower() in (".csv", ".txt") else _rows_workbook(p, dict(bounds or ()))
    except OSError as exc:
        raise ConfigError(Bilingual(f"无法读取指标库文件 {path}：{os_reason(exc)}",
                                    f"cannot read the indicator library {path}: {os_reason(exc, 'en')}")) from None
    rows = [(line, [_cell(c) for c in r]) for line, r in rows]
    if not rows:
        raise ConfigError(at(path, "指标库为空", "the indicator library is empty"))
    rows = _below_title(path, rows)
    header_line, header = rows[0]
    cols = {}
    for key, names in _HEADERS.items():
        for i, h in enumerate(header):
            if h in names:
                cols[key] = i
                break
    missing = [_HEADERS[k][0] for k in _REQUIRED if k not in cols]
    if missing:
        heads = [v[0] for v in _HEADERS.values()]
        raise ConfigError(at(line_of(path, header_line), f"指标库缺少列 {'、'.join(missing)}（应有列：{'、'.join(heads)}）",
                             f"the indicator library lacks the column {', '.join(map(repr, missing))} (columns: "
                             f"{', '.join(map(repr, heads))})"))
    entries = []
    for line, row in rows[1:]:
        if not any(row):
            continue
        values = {k: (row[i] if i < len(row) else "") for k, i in cols.items()}
        for k in _REQUIRED:
            if not values[k]:
                raise ConfigError(at(line_of(path, line), f"“{_HEADERS[k][0]}”不能为空",
                                     f"'{_HEADERS[k][0]}' cannot be blank"))
        entries.append(LibraryEntry(values["level1"], values["level2"], values["name"], values.get("unit", ""),
                                    values.get("note", "")))
    if not entries:
        raise ConfigError(at(path, "指标库中没有指标", "the indicator library holds no indicator"))
    return Library(tuple(entries), path)
