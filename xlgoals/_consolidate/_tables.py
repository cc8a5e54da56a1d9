"""Consolidate, stage 2: tables.  Every summary table of goal tables, computed once.

A summary is an object with ``extract`` (run in the workers, on one document), the
duplicate key and sort order of its records, and ``tables`` (run once, on all records).
Each Table carries its columns with their widths and formats; the renderers (``_render``)
write the same tables to xlsx, CSV and JSON.  Column headers come from the form.
"""

from __future__ import annotations

import re

from collections import Counter, OrderedDict, defaultdict
from decimal import Decimal

from .._form import FORMS, GOAL_TABLE
from .._pointers import get
from .._selfeval._targets import goal_digest, indicator_id
from .._paths import exact_path
from .._text import display_name, display_path
from ._collect import Collected, ReturnRecord, Status
from ._xlsxrows import day_of
from ._table import (path_bytes_col, validation_row_count, data_by_year, data_unit_key, data_level1_last, Col, ItemColumn, ItemTable, Table, UnitProjectSummary, _money, _number, _text, heading_of,
                     count_missing, made_on_date, pinyin_key, record_year, unit_key, Units, SUMMARY_UNIT, TARGETS_TITLE, UNIT_KEY)





_F = GOAL_TABLE
# The header values a record keeps, by the name the summary uses.
_VALUES = {"unit": "/unit", "project": "/project/name", "category": "/project/category",
           "start_date": "/project/start_date", "end_date": "/project/end_date", "total": "/budget/total",
           "current_year": "/budget/current_year", "filled_on": "/contact/date"}
_MONEY = ("total", "current_year")


def _heading(name: str) -> str:
    return _F.field(_VALUES[name]).heading


def _amount_label(name: str) -> str:
    """项目总预算 of "total": the field's label without its unit, as a sentence names the amount."""
    return re.sub(r"（[^（）]*）$", "", _F.field(_VALUES[name]).label)


#: 指标明细: every indicator with its unit and project, the target split (目标值, 定性目标) and as written, and the
#: framework's optional columns (分值, 指标值设定依据: blank for a framework without them), so that none is lost;
#: 指标值设定依据 (a long text) stays off paper, as the page is full.
#: The unit and the project 19 wide, a name of nine characters on one line (the forms' metric holds 17 units in 18);
#: 一级指标 11, every framework's (投入与管理, 影响力目标, 满意度指标: five characters) on one line; as wide in all.
INDICATORS = ItemTable(_F, (ItemColumn("level1", 11), ItemColumn("level2", 9), ItemColumn("name", 22),
                            ItemColumn("comparator", 5), ItemColumn("value", 9, "目标值"), ItemColumn("unit", 6),
                            ItemColumn("text", 14, "定性目标"), ItemColumn("target", 12, "{label}（原文）"),
                            ItemColumn("weight", 6), ItemColumn("basis", 28, printed=False),
                            # off paper: 比较符's code (=, >=, qualitative: as documents and frames give it)
                            ItemColumn("comparator", 7, code=True, printed=False),
                            # off paper: the row's 指标编号 (I001 …, as its self-evaluation and monitoring forms number
                            # it) and the digest of the goal table they name it by: a report's row joins on the two
                            ItemColumn("id", 7, FORMS["self-evaluation"].column_label("id"), computed=True, printed=False),
                            ItemColumn("targets_sha256", 20, TARGETS_TITLE, computed=True, printed=False)),
                       unit_width=19, project_width=19)


def _level1_counts(rec: ReturnRecord) -> Counter:
    counts: Counter = Counter()
    for (level1, _), (quantitative, qualitative) in rec.category_counts.items():
        counts[level1] += quantitative + qualitative
    return counts


class GoalTableSummary(UnitProjectSummary):
    """The summary of goal tables: budget totals per unit, projects, indicators, categories, checks."""

    form = GOAL_TABLE
    table_names = ("汇总", "项目清单", GOAL_TABLE.table.name, "分类统计", "校验结果")
    amounts = (("total", "项目总预算合计", "total budget"), ("current_year", "当年预算合计", "current year's budget"))
    amount_fields = {"total": "total", "current_year": "current"}
    missing_see = "（见“项目清单”的说明）"  # its rows' 说明 say which amount was not read (_project_rows)

    # In the workers ------------------------------------------------------------------------------
    @staticmethod
    def extract(doc: dict, config=None, sha256: str = "", digest: str | None = None):
        values = {name: (_money if name in _MONEY else _text)(get(doc, path)) for name, path in _VALUES.items()}
        values["year"] = doc.get("year") if isinstance(doc.get("year"), int) else None
        # the digest its self-evaluation and monitoring templates name it by, as frames() gives it: `digest`, of the
        # document as read (record_of: goal_digest), not of `doc` as counted (a refused amount blank)
        values["targets_sha256"] = sha = digest if digest is not None else goal_digest(doc)
        rows, xml = [], []
        cats: dict = {}
        for i, ind in enumerate(get(doc, _F.table.item_path) or []):
            if not isinstance(ind, dict):
                continue
            quantitative = ind.get("comparator") != "qualitative" and _number(ind.get("value")) is not None
            row = INDICATORS.row(values["unit"], values["project"], ind, {"id": indicator_id(ind, i), "targets_sha256": sha},
                                 doc=doc, sha256=sha256)
            rows.append(row)
            xml.append(INDICATORS.xml(row))
            key = (row[INDICATORS.at["level1"]] or "", row[INDICATORS.at["level2"]] or "")
            cats.setdefault(key, [0, 0])[0 if quantitative else 1] += 1
        return values, rows, "".join(xml).encode("utf-8"), cats

    # In the main process ---------------------------------------------------------------------------
    def tables(self, c: Collected, frameworks, limits: dict, made_on=None) -> tuple[list[Table], dict]:
        records = c.records
        made = made_on_date(made_on)
        agg = _aggregate(records)  # one pass over the spooled records; the long tables stream later
        level1, dropped = _level1_columns(agg, frameworks, limits["summary_level1_columns"])
        units = agg.units
        totals = {**self.counted(c, units), "total": sum((u["total"] for u in units.values()), Decimal(0)),
                  "current_year": sum((u["current"] for u in units.values()), Decimal(0)),
                  "level1_dropped": dropped, "made_on": made.isoformat()}
        self.keep_missing(totals, agg.missing)  # counted projects whose amount is not in them
        seq = _F.column_label("seq")
        shown, by_year = self.rows_shown(agg.unit_years)
        if by_year:
            totals["by_year"] = by_year
        year_col = [Col(_heading_year(), 9)] if by_year else []
        def summary_rows(shown, k):
            return [[i, unit, *([year] if k else []), u["projects"], u["total"], u["current"], u["invalid"]]
                    for i, (unit, year, u) in enumerate(shown, start=1)]
        summary = summary_rows(shown, by_year)
        k = len(year_col)  # the amounts' columns, one further right with 预算年度
        categories = list(_category_rows(agg.scopes, _framework_order(agg.frameworks, frameworks)))
        col = _F.column_label
        tables = [
            Table(self.table_names[0], "summary", [Col(seq, 5), Col(_heading("unit"), 28), *year_col, Col("项目数", 7),
                                     Col(_heading("total"), 18, "money"), Col(_heading("current_year"), 18, "money"),
                                     Col("未通过校验的申报数", 10)],
                  lambda: iter(summary), len(summary), landscape=False,
                  heading=heading_of("项目支出绩效目标汇总", agg.years, made),
                  totals=[(2 + k, "projects", None), (3 + k, "total", "money"), (4 + k, "current_year", "money"),
                          (5 + k, "invalid", None)],
                  note=(self.counts_note(totals) + self.years_note(totals) + self.missing_note(totals)
                        + (f"一级指标名称超过 {len(level1)} 种，其余 {dropped} 种合并为“其他”列。" if dropped else "")),
                  # one bar per unit; by unit and year, the bars of a unit's years side by side
                  chart={"title": f"各单位{_heading('current_year')}" + ("（分年度）" if k else ""),
                         "name": _heading("current_year"), "categories": (1, 1 + k), "values": 4 + k}),
            # 项目清单 with its data (data_level1_last): 单位键, beside 汇总单位 in the workbook, came after scripts read
            # the table by place: the CSV and JSON carry it after the per-一级 columns, before 文件路径字节, so that
            # none of those before it moves
            data_level1_last(Table(self.table_names[1], "projects", _project_columns(level1, seq),
                                   lambda: _project_rows(records, level1, agg.unit_years), len(records), splice=True),
                             6, len(level1), added=(UNIT_KEY,)),
            self.item_table(c, INDICATORS),

            Table(self.table_names[3], "categories",
                  [Col("范围", 20), Col(col("level1"), 12), Col(col("level2"), 14), Col("指标数", 7),
                   Col("定量指标数", 8), Col("定性指标数", 8), Col("定量占比", 8, "pct")],
                  lambda: iter(categories), len(categories), landscape=False),
            self.validation_table(c, seq, agg.validation_rows),
        ]
        if not by_year:  # the CSV's and JSON's by unit and year on every night (data_by_year)
            tables[0].data = data_by_year(tables[0], summary_rows(agg.unit_years.by_year(), 1), Col(_heading_year(), 9))
        data_unit_key(tables[0], agg.unit_years)  # (单位键 after the columns scripts read by place)
        note = ""
        if c.previous:  # --previous: how many goal tables found last year's return, as validate says
            from .._check._report import compared_line

            totals["previous_found"] = agg.compared[0] - agg.compared[1] - agg.compared[2]
            totals["previous_missing"], totals["previous_competing"] = agg.compared[1], agg.compared[2]
            note = compared_line(totals["previous_found"], totals["previous_missing"],
                                 competing=totals["previous_competing"])
        tables += self.review_sheets(c, records, _heading, note)
        return tables, totals


class _Aggregate:
    """What the summary needs of all records, gathered in one pass: frameworks, level-1 names, units,
    category counts and the number of 校验结果 rows."""

    def __init__(self):
        self.frameworks: set = set()
        self.level1: dict = OrderedDict()
        self.units: dict = {}
        self.scopes: dict = OrderedDict([("全部", defaultdict(lambda: [0, 0]))])
        self.validation_rows = 0
        # returns reviewed; of them, those that found no return of last year (--previous), and those that found it in
        # differing versions (compared with none)
        self.compared = [0, 0, 0]
        self.years: list = []
        self.unit_years: Units | None = None  # the units by budget year too (Units.by_year)
        #: of the returns counted, those whose amount (total, current_year) could not be read (--include-invalid):
        #: not in the totals, which say so (missing_note, amounts_line), as their rows' 说明 do (_project_rows)
        self.missing = {key: 0 for key, _, _ in GoalTableSummary.amounts}


def _aggregate(records) -> _Aggregate:
    agg = _Aggregate()
    units, per_unit_scopes = Units(), {}  # by unit_key, as duplicates are matched
    for r in records:
        agg.frameworks.add(r.framework)
        agg.years.append(r.values.get("year"))
        counts = _level1_counts(r)
        for name in counts:
            agg.level1.setdefault(name, None)
        both = units.entries(r, lambda: {"projects": 0, "total": Decimal(0), "current": Decimal(0), "invalid": 0})
        if r.included:
            count_missing(both, agg.missing, {key: r.values.get(key) for key in agg.missing})
            for entry in both:  # the unit's, and the unit's in the return's budget year
                entry["projects"] += 1
                entry["total"] += r.values.get("total") or 0
                entry["current"] += r.values.get("current_year") or 0
            per_unit = per_unit_scopes.setdefault(unit_key(r), defaultdict(lambda: [0, 0]))
            for key, (q, t) in r.category_counts.items():
                for scope in (agg.scopes["全部"], per_unit):
                    scope[key][0] += q
                    scope[key][1] += t
        if r.status != Status.OK:
            for entry in both:
                entry["invalid"] += 1
        agg.validation_rows += validation_row_count(r)
        if r.review_score is not None:
            agg.compared[0] += 1
            missing = any(p[1] == "review.no_previous" for p in r.problems)
            agg.compared[1] += missing
            agg.compared[2] += not missing and any(p[1] == "review.previous_competing" for p in r.problems)
    agg.units, agg.unit_years = units.named(), units
    for key, scope in per_unit_scopes.items():  # each unit's categories under the name its row shows
        agg.scopes[units.name(key)] = scope
    return agg


def _heading_year() -> str:
    return _F.field("/year").heading


OTHER_LEVEL1 = "其他"


def _level1_columns(agg: _Aggregate, frameworks, limit: int) -> tuple[list[str], int]:
    """The level-1 names that get a column of 项目清单 (at most `limit`, the rest as 其他), and how many did not."""
    seen = OrderedDict()
    for fid in sorted(f for f in agg.frameworks if frameworks.find(f)):
        for name in frameworks.get(fid).level1_names:
            seen[name] = None
    for name in agg.level1:
        seen.setdefault(name, None)
    names = list(seen)
    if len(names) <= limit:
        return names, 0
    return names[:limit - 1] + [OTHER_LEVEL1], len(names) - (limit - 1)




def _project_columns(level1, seq) -> list[Col]:
    """项目清单's columns: what is printed first; dates, file and digest after, off the printed page."""
    return [Col(seq, 5), Col(_heading("unit"), 12), Col(_heading("project"), 16), Col(_heading("category"), 10),
            Col(_heading("total"), 15, "money"), Col(_heading("current_year"), 15, "money"),
            *[Col(f"{n}（条）", 6) for n in level1], Col("指标总数", 6), Col("校验状态", 6), Col("错误数", 5),
            Col("警告数", 5), Col("计入汇总", 5), Col("说明", 14),
            Col(_heading("start_date"), 11, printed=False), Col(_heading("end_date"), 11, printed=False),
            Col(_heading_year(), 8, printed=False),
            Col("来源文件", 30, printed=False), Col("文件路径", 40, printed=False), Col("SHA-256", 20, printed=False),
            Col(SUMMARY_UNIT, 12, printed=False), Col(UNIT_KEY, 12, printed=False), Col(TARGETS_TITLE, 20, printed=False),
            path_bytes_col()]


def _project_rows(records, level1, units: Units):
    shown = set(level1)
    for i, r in enumerate(records, start=1):
        v, counts = r.values, _level1_counts(r)
        if OTHER_LEVEL1 in shown:  # names beyond the column limit are counted together
            counts[OTHER_LEVEL1] = sum(n for name, n in counts.items() if name not in shown)
        path = display_path(r.path)
        note = r.note
        if r.included:  # counted, its amount not read: said not in the totals (as the totals say, missing_note)
            unread = [_amount_label(key) for key in _MONEY if v.get(key) is None]
            if unread:
                note = "；".join(x for x in (note, f"{'、'.join(unread)}未能读出，未计入合计") if x)
        yield [i, v.get("unit"), v.get("project"), v.get("category"), v.get("total"), v.get("current_year"),
               *[counts.get(n, 0) for n in level1], r.n_items, r.status.zh, r.errors, r.warnings,
               # (the dates understood as dates: date cells, Day)
               "是" if r.included else "否", note or None, day_of(v.get("start_date")), day_of(v.get("end_date")),
               record_year(r), display_name(r.path), path, r.sha256, units.name_of(r), units.key_of(r),
               v.get("targets_sha256"), exact_path(r.path)]


def _framework_order(framework_ids, frameworks) -> dict:
    """(一级, 二级) -> its place in the frameworks of the records (sorted by id); unknown names come after."""
    order: dict = {}
    for fid in sorted(f for f in framework_ids if frameworks.find(f)):
        for cat in frameworks.get(fid).level1:
            order.setdefault((cat["name"], None), len(order))
            for name in cat["level2"]:
                order.setdefault((cat["name"], name), len(order))
    return order


def _share(part: int, whole: int) -> int | float:
    """part / whole to four decimals, as the other shares (0.6667; 0 and 1 as whole numbers)."""
    if not whole:
        return 0
    share = round(part / whole, 4)
    return int(share) if share.is_integer() else share


def _category_rows(scopes, order: dict):
    """分类统计: per scope (全部, then each unit by pinyin), the categories in the framework's order."""

    def place(key):
        l1, l2 = key
        first = order.get((l1, None), len(order))
        return (first, order.get((l1, l2), len(order)), l1, l2)

    names = ["全部"] + sorted((k for k in scopes if k != "全部"), key=pinyin_key)
    for scope in names:
        counts = scopes[scope]
        for (l1, l2) in sorted(counts, key=place):
            q, t = counts[(l1, l2)]
            yield [scope, l1, l2, q + t, q, t, _share(q, q + t)]
        q = sum(v[0] for v in counts.values())
        t = sum(v[1] for v in counts.values())
        yield [scope, "合计", None, q + t, q, t, _share(q, q + t)]


#: The summary of each form, by form id, in FORMS's order.  The goal table's is here; the self-evaluation's and the
#: monitoring report's register themselves (``register`` at the end of _selfeval/_summary.py, _monitor/_summary.py):
#: they build on this package's tables, so this package imports them last (_consolidate/__init__.py), and either of
#: them imported first completes after this package has.
SUMMARIES = {GOAL_TABLE.id: GoalTableSummary()}


def register(summary) -> None:
    """`summary` as its form's summary in SUMMARIES, kept in FORMS's order whichever module was imported first."""
    SUMMARIES[summary.form.id] = summary
    order = list(FORMS)
    ordered = sorted(SUMMARIES.items(), key=lambda item: order.index(item[0]))
    SUMMARIES.clear()
    SUMMARIES.update(ordered)
