"""The 审核 sheets of a consolidate summary: returns and units by review score, weakest first."""

from __future__ import annotations


from .._consolidate._table import Col, Table, Units, path_bytes_col
from .._paths import exact_path
from .._text import display_name, display_path

RETURNS_SHEET = "审核"
UNITS_SHEET = "审核（按单位）"


def _notice_text(item) -> str:
    code, sheet, cell, message = item
    where = f"{sheet}!{cell}" if sheet and cell else sheet
    return f"{where}：{message}（{code}）" if where else f"{message}（{code}）"


def return_rows(records):
    # a return with nothing filled in to review is listed first, its score empty and its notice saying why
    scored = [r for r in records if r.review_score is not None or getattr(r, "review_unscored", False)]
    scored.sort(key=lambda r: (r.review_score if r.review_score is not None else -1, r.values.get("unit") or "",
                               r.values.get("project") or "", r.path))
    for i, r in enumerate(scored, start=1):
        top = [_notice_text(t) for t in r.review_top] + [None] * 3
        yield [i, r.values.get("unit"), r.values.get("project"), r.review_score, r.notices, *top[:3], r.status.zh,
               "是" if r.included else "否", display_name(r.path), display_path(r.path),
               exact_path(r.path)]


def unit_rows(records):
    units = Units()  # by unit_key, as the other tables group them
    for r in records:
        if r.review_score is None or r.note:  # a superseded duplicate does not count
            continue
        units.of(r, list).append(r)
    rows = []
    for unit, rs in units.named().items():
        scores = [r.review_score for r in rs]
        rows.append([unit, len(rs), round(sum(scores) / len(scores), 1), min(scores), sum(r.notices for r in rs)])
    rows.sort(key=lambda row: (row[2], row[0]))
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def review_tables(records, heading, note: str = "") -> list:
    """Two tables for a summary of any form (consolidate --review); the renderers add an autofilter so both sort
    in Excel.  `note`: a line below the returns' table (with --previous, how many found last year's return)."""
    returns = list(return_rows(records))
    units = unit_rows(records)
    return [
        Table(RETURNS_SHEET, "review",
              [Col("排名（得分从低到高）", 8), Col(heading("unit"), 28), Col(heading("project"), 32), Col("审核得分", 9),
               Col("提示数", 7), Col("主要提示一", 50), Col("主要提示二", 50), Col("主要提示三", 50), Col("校验状态", 9),
               Col("计入汇总", 8), Col("来源文件", 30), Col("文件路径", 40, printed=False), path_bytes_col()],
              lambda: iter(returns), len(returns), note=note),
        Table(UNITS_SHEET, "review_units",
              [Col("排名（平均分从低到高）", 11), Col(heading("unit"), 33), Col("申报数", 8), Col("平均得分", 9),
               Col("最低得分", 9), Col("提示数合计", 10)],
              lambda: iter(units), len(units), landscape=False),
    ]
