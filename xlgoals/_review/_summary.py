"""The 审核 sheets of a consolidate summary: returns and units by review score, weakest first."""

from __future__ import annotations


from .._consolidate._collect import Status
from .._consolidate._table import UNREADABLE_UNIT, Col, Table, Units, path_bytes_col, pinyin_key
from .._paths import exact_path
from .._text import display_name, display_path, name_key

RETURNS_SHEET = "审核"
UNITS_SHEET = "审核（按单位）"


def _notice_text(item) -> str:
    code, sheet, cell, message = item
    # a JSON document's notice at its JSON pointer, which stands in the cell's place (no sheet)
    where = f"{sheet}!{cell}" if sheet and cell else sheet or (cell if cell and cell.startswith("/") else "")
    return f"{where}：{message}（{code}）" if where else f"{message}（{code}）"


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def return_rows(records):
    # a return with nothing filled in to review is listed first, its score empty and its notice saying why; then the
    # incomplete ones (a required field left empty: never ranked above a complete return, whatever their scores);
    # then the complete ones; each by score, weakest first
    scored = [r for r in records if r.review_score is not None or r.review_unscored]
    scored.sort(key=lambda r: (r.review_score is not None, not r.review_incomplete,
                               r.review_score if r.review_score is not None else -1,
                               pinyin_key(name_key(r.values.get("unit"))), pinyin_key(_text(r.values.get("project"))),
                               r.path))
    for i, r in enumerate(scored, start=1):
        top = [_notice_text(t) for t in r.review_top] + [None] * 3
        yield [i, r.values.get("unit"), r.values.get("project"), r.review_score, r.notices, *top[:3], r.status.zh,
               "是" if r.included else "否", display_name(r.path), display_path(r.path),
               exact_path(r.path)]


# why a return received has no review score, in the order 审核（按单位） lists the reasons
_WHY = {"unfilled": "未填写", "unreadable": "填写的内容无法读取", "framework_unknown": "指标体系未加载",
        "no_indicators": "未填写绩效指标",
        "duplicate": "重复申报", "file": "文件无法读取", "other": "未审核"}


def _why_unscored(r) -> str | None:
    """Why a return received counts in no score (a key of _WHY), or None where it is scored."""
    if r.duplicate:
        return "duplicate"  # superseded by another file of the same project: not counted, whatever its score
    if r.review_score is not None:
        return None
    if r.review_unscored:  # (a workbook of a framework not loaded is unreadable, and says why: framework_unknown)
        return r.review_unscored
    return "file" if r.status == Status.UNREADABLE else "other"


def _reasons(counts: dict) -> list[str]:
    return [f"{_WHY[k]} {counts[k]}" for k in _WHY if counts.get(k)]


def unit_rows(records) -> tuple[list, dict]:
    """One row per unit: every return received from it (申报数), those scored and those not, why not, and the scores
    of those scored; units with no return scored last.  With the counts of the reasons over all units.  Counted as
    the records pass (a summary of thousands keeps no record)."""
    units = Units()  # by unit_key, as the other tables group them: [received, scores, notices of those scored, {why: count}]
    whys: dict = {}
    for r in records:
        why = _why_unscored(r)
        u = units.of(r, lambda: [0, [], 0, {}])
        u[0] += 1
        if why:
            u[3][why] = u[3].get(why, 0) + 1
            whys[why] = whys.get(why, 0) + 1
        else:
            u[1].append(r.review_score)
            u[2] += r.notices
    rows = []
    for unit, (received, scores, notices, counts) in units.named().items():
        rows.append([unit, received, len(scores), received - len(scores), "；".join(_reasons(counts)) or None,
                     round(sum(scores) / len(scores), 1) if scores else None, min(scores) if scores else None,
                     notices if scores else None])
    rows.sort(key=lambda row: (row[5] is None, row[5] or 0, row[0] == UNREADABLE_UNIT, pinyin_key(name_key(row[0])),
                               row[0]))
    return [[i, *row] for i, row in enumerate(rows, start=1)], whys


def units_note(rows, whys: dict) -> str:
    """The line below 审核（按单位）: the files received, those scored and those not, and why not."""
    received, scored = sum(r[2] for r in rows), sum(r[3] for r in rows)
    why = "，".join(f"{_WHY[k]} {whys[k]} 个" for k in _WHY if whys.get(k))
    return f"共收到 {received} 个文件：已评分 {scored} 个，未评分 {received - scored} 个{f'（{why}）' if why else ''}。"


def review_tables(records, heading, note: str = "") -> list:
    """Two tables for a summary of any form (consolidate --review); the renderers add an autofilter so both sort
    in Excel.  `note`: a line below the returns' table (with --previous, how many found last year's return)."""
    returns = list(return_rows(records))
    incomplete = sum(bool(r.review_incomplete) and r.review_score is not None for r in records)
    if incomplete:  # ranked before the complete ones whatever their scores: said, as the column's title does not
        said = (f"有必填项未填写的申报 {incomplete} 个排在填写完整的申报之前（不论得分），各按得分从低到高排列；"
                "未填写的必填项在得分中与薄弱的填写一样扣分。")
        note = f"{note}\n{said}" if note else said
    units, whys = unit_rows(records)
    return [
        Table(RETURNS_SHEET, "review",
              # two pages across at 80 % with 排名 through the project repeated on each (keys): 主要提示一 and 二 on
              # the first, 主要提示三 and the file on the second (it printed 排名 to 主要提示一, then the rest without
              # them: the second pages said of no row which project it was)
              [Col("排名（得分从低到高）", 8), Col(heading("unit"), 20), Col(heading("project"), 24), Col("审核得分", 9),
               Col("提示数", 7), Col("主要提示一", 38), Col("主要提示二", 38), Col("主要提示三", 38), Col("校验状态", 9),
               Col("计入汇总", 8), Col("来源文件", 30), Col("文件路径", 40, printed=False), path_bytes_col()],
              lambda: iter(returns), len(returns), note=note, keys=3),
        Table(UNITS_SHEET, "review_units",
              [Col("排名（平均分从低到高）", 11), Col(heading("unit"), 30), Col("申报数", 7), Col("已评分", 7),
               Col("未评分", 7), Col("未评分原因", 30), Col("平均得分", 9), Col("最低得分", 9), Col("提示数合计", 10)],
              lambda: iter(units), len(units), note=units_note(units, whys), keys=2),
    ]
