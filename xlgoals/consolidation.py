"""Consolidate many returns into one summary workbook (and optionally CSV and JSON), losing none.

Returns are read and validated in parallel worker processes; each worker sends back a small
record and the rendered indicator rows, which the main process spools to a temporary file so
memory does not grow with the number of returns.  Output is deterministic: the same inputs
give the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
import os
import pickle
import sys
import tempfile
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter

from .atomic import atomic_path
from .parallel import pmap
from .frameworks import framework_ids, load_framework
from .problems import ERROR
from .report import neutralise
from .validation import expand_paths, validate_file
from .values import comparator_display, format_target
from .xlsxrows import render_cells, rows_xml, splice_rows

FONT = "宋体"
STATUS_OK, STATUS_INVALID, STATUS_UNREADABLE, STATUS_SKIPPED = "通过", "未通过", "无法读取", "未检查"
UNREADABLE_UNIT = "（无法识别申报单位）"

SUMMARY_COLUMNS = ["序号", "申报单位", "项目数", "项目总预算（元）", "项目当年预算（元）", "未通过校验的申报数"]
INDICATOR_COLUMNS = ["申报单位", "项目名称", "一级指标", "二级指标", "三级指标", "比较符", "目标值", "计量单位",
                     "定性目标", "指标目标值（原文）"]
CATEGORY_COLUMNS = ["范围", "一级指标", "二级指标", "指标数", "定量指标数", "定性指标数", "定量占比"]
VALIDATION_COLUMNS = ["序号", "文件", "状态", "错误数", "警告数", "严重程度", "代码", "工作表", "单元格", "说明",
                      "SHA-256"]


@dataclass
class ReturnRecord:
    """What a worker sends back for one file (small; indicator rows travel separately)."""

    path: str
    sha256: str = ""
    mtime_ns: int = 0
    status: str = STATUS_UNREADABLE
    errors: int = 0
    warnings: int = 0
    problems: list = field(default_factory=list)  # (severity, code, sheet, cell, message)
    framework: str = ""
    unit: str | None = None
    project: str | None = None
    category: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    total: float | None = None
    current_year: float | None = None
    n_indicators: int = 0
    category_counts: dict = field(default_factory=dict)  # (level1, level2) -> [quantitative, qualitative]
    # filled in by the main process
    spool: tuple = (0, 0, 0)  # offset, length of rendered rows, length of pickled rows
    included: bool = False
    note: str = ""

    @property
    def level1_counts(self) -> Counter:
        counts: Counter = Counter()
        for (level1, _), (quantitative, qualitative) in self.category_counts.items():
            counts[level1] += quantitative + qualitative
        return counts


def _number(v):
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _text(v):
    return v if isinstance(v, str) else (None if v is None else str(v))


def process_file(path: str, keep_rows: bool = False) -> tuple[ReturnRecord, bytes, bytes]:
    """Worker: read + validate one file.

    Returns the record, the indicator rows rendered as SpreadsheetML (UTF-8 bytes) and, with
    `keep_rows`, the rows themselves pickled (for CSV/JSON output).
    """
    rep = validate_file(path)
    rec = ReturnRecord(path=str(path), sha256=rep.sha256)
    try:
        rec.mtime_ns = os.stat(path).st_mtime_ns
    except OSError:
        pass
    rec.errors, rec.warnings = len(rep.errors), len(rep.warnings)
    rec.problems = [(p.severity, p.code, p.sheet, p.cell, p.message) for p in rep.problems]
    doc = rep.document
    if doc is None:
        rec.status = STATUS_UNREADABLE
        return rec, b"", pickle.dumps([]) if keep_rows else b""
    rec.status = STATUS_OK if not rep.errors else STATUS_INVALID
    project, budget = doc.get("project") or {}, doc.get("budget") or {}
    rec.framework = doc.get("framework") or ""
    rec.unit, rec.project = _text(doc.get("unit")), _text(project.get("name"))
    rec.category = _text(project.get("category"))
    rec.start_date, rec.end_date = _text(project.get("start_date")), _text(project.get("end_date"))
    rec.total, rec.current_year = _number(budget.get("total")), _number(budget.get("current_year"))
    rows, xml = [], []
    cats: dict = {}
    for ind in doc.get("indicators") or []:
        if not isinstance(ind, dict):
            continue
        comp = ind.get("comparator")
        quantitative = comp != "qualitative" and _number(ind.get("value")) is not None
        row = (rec.unit, rec.project, _text(ind.get("level1")), _text(ind.get("level2")), _text(ind.get("name")),
               comparator_display(comp) if isinstance(comp, str) else None, _number(ind.get("value")),
               _text(ind.get("unit")), _text(ind.get("text")), format_target(ind) or None)
        rows.append(row)
        xml.append(f"<row>{render_cells(row)}</row>")
        key = (row[2] or "", row[3] or "")
        cats.setdefault(key, [0, 0])[0 if quantitative else 1] += 1
    rec.n_indicators = len(rows)
    rec.category_counts = cats
    return (rec, "".join(xml).encode("utf-8"),
            pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL) if keep_rows else b"")


@dataclass
class ConsolidationResult:
    records: list[ReturnRecord]
    skipped: list[str]
    output: Path
    totals: dict

    @property
    def invalid(self) -> list[ReturnRecord]:
        return [r for r in self.records if r.status != STATUS_OK]


class _Progress:
    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled, self.done = total, enabled and total > 0, 0

    def step(self):
        self.done += 1
        if self.enabled and (self.done == self.total or self.done % 25 == 0):
            pct = self.done * 100 // self.total
            bar = "█" * (pct // 4) + "░" * (25 - pct // 4)
            sys.stderr.write(f"\r读取与校验 {bar} {self.done}/{self.total} ({pct}%)")
            sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")


def _decide_duplicates(records: list[ReturnRecord]) -> None:
    """Same (unit, project) more than once: keep one, by one documented rule.

    The kept return is the one that passes validation; among equals, the most recently
    modified file; among those, the last path in sort order.  The others are listed, not counted.
    """
    groups: dict = defaultdict(list)
    for r in records:
        if r.status != STATUS_UNREADABLE and r.unit and r.project:
            groups[(r.unit, r.project)].append(r)
    for items in groups.values():
        if len(items) < 2:
            continue
        keep = max(items, key=lambda r: (r.status == STATUS_OK, r.mtime_ns, r.path))
        for r in items:
            if r is not keep:
                r.note = f"重复申报，以 {Path(keep.path).name} 为准"
                r.included = False


def consolidate(paths, out: str | os.PathLike, *, jobs: int | None = None, include_invalid: bool = False,
                csv_dir: str | os.PathLike | None = None, json_path: str | os.PathLike | None = None,
                progress: bool | None = None) -> ConsolidationResult:
    """Read and validate every return under `paths` and write the summary workbook `out`."""
    files, skipped = expand_paths([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    files = [str(f) for f in files]
    bar = _Progress(len(files), sys.stderr.isatty() if progress is None else progress)
    records: list[ReturnRecord] = []
    keep_rows = bool(csv_dir or json_path)
    with tempfile.TemporaryFile(prefix="xlgoals-spool-") as spool:
        for rec, xml, rows in pmap(functools.partial(process_file, keep_rows=keep_rows), files, jobs):
            rec.spool = (spool.tell(), len(xml), len(rows))
            spool.write(xml)
            spool.write(rows)
            records.append(rec)
            bar.step()
        bar.close()
        for r in records:
            r.included = r.status == STATUS_OK or (include_invalid and r.status == STATUS_INVALID)
        _decide_duplicates(records)
        ordered = sorted(records, key=lambda r: (r.status == STATUS_UNREADABLE, r.unit or "", r.project or "",
                                                 r.path))

        def indicator_xml():
            """The rendered rows of every counted return, in summary order."""
            for r in ordered:
                if r.included and r.spool[1]:
                    spool.seek(r.spool[0])
                    yield spool.read(r.spool[1])

        def indicator_rows():
            for r in ordered:
                if r.included:
                    spool.seek(r.spool[0] + r.spool[1])
                    yield from pickle.loads(spool.read(r.spool[2]))

        level1, units = _level1_columns(ordered), _unit_summary(ordered)
        totals = _totals(ordered, skipped, units)
        _write_workbook(out, ordered, skipped, indicator_xml, level1, units, totals)
        if csv_dir or json_path:
            tables = _tables(ordered, skipped, indicator_rows, level1, units)
            if csv_dir:
                _write_csvs(Path(csv_dir), tables)
            if json_path:
                _write_json(Path(json_path), tables)
    return ConsolidationResult(records=ordered, skipped=skipped, output=Path(out), totals=totals)


# Tables -----------------------------------------------------------------------------------
def _level1_columns(records) -> list[str]:
    seen = OrderedDict()
    known = set(framework_ids())
    for fid in sorted({r.framework for r in records if r.framework in known}):
        for name in load_framework(fid).level1_names:
            seen[name] = None
    for r in records:
        for name in r.level1_counts:
            seen.setdefault(name, None)
    return list(seen)


def _unit_summary(records):
    units: dict = OrderedDict()
    for r in sorted(records, key=lambda r: (r.unit is None, r.unit or "")):
        unit = r.unit or UNREADABLE_UNIT
        u = units.setdefault(unit, {"projects": 0, "total": 0, "current": 0, "invalid": 0})
        if r.included:
            u["projects"] += 1
            u["total"] += r.total or 0
            u["current"] += r.current_year or 0
        if r.status != STATUS_OK:
            u["invalid"] += 1
    return units


def _totals(records, skipped, units) -> dict:
    return {"units": len(units), "projects": sum(u["projects"] for u in units.values()),
            "total": sum(u["total"] for u in units.values()),
            "current_year": sum(u["current"] for u in units.values()),
            "invalid": sum(u["invalid"] for u in units.values()), "files": len(records), "skipped": len(skipped)}


def _project_rows(records, level1):
    for i, r in enumerate(records, start=1):
        yield [i, r.unit, r.project, r.category, r.start_date, r.end_date, r.total, r.current_year,
               *[r.level1_counts.get(n, 0) for n in level1], r.n_indicators, r.status, r.errors, r.warnings,
               "是" if r.included else "否", r.note or None, Path(r.path).name, r.path, r.sha256]


def _project_columns(level1):
    return ["序号", "申报单位", "项目名称", "项目类别", "计划开始日期", "计划完成日期", "项目总预算（元）",
            "项目当年预算（元）", *[f"{n}（条）" for n in level1], "指标总数", "校验状态", "错误数", "警告数",
            "计入汇总", "说明", "来源文件", "文件路径", "SHA-256"]


def _category_rows(records):
    scopes: dict = OrderedDict([("全部", defaultdict(lambda: [0, 0]))])
    for r in records:
        if not r.included:
            continue
        per_unit = scopes.setdefault(r.unit or UNREADABLE_UNIT, defaultdict(lambda: [0, 0]))
        for key, (q, t) in r.category_counts.items():
            for scope in (scopes["全部"], per_unit):
                scope[key][0] += q
                scope[key][1] += t
    names = ["全部"] + sorted(k for k in scopes if k != "全部")
    for scope in names:
        counts = scopes[scope]
        for (l1, l2) in sorted(counts):
            q, t = counts[(l1, l2)]
            yield [scope, l1, l2, q + t, q, t, q / (q + t) if q + t else 0]
        q = sum(v[0] for v in counts.values())
        t = sum(v[1] for v in counts.values())
        yield [scope, "合计", None, q + t, q, t, q / (q + t) if q + t else 0]


def _validation_rows(records, skipped):
    i = 0
    for r in sorted(records, key=lambda r: r.path):
        i += 1
        base = [i, r.path, r.status, r.errors, r.warnings]
        if not r.problems:
            yield base + [None, None, None, None, r.note or None, r.sha256]
        for sev, code, sheet, cell, message in r.problems:
            yield base + ["错误" if sev == ERROR else "警告", code, sheet or None, cell or None, message, r.sha256]
    for s in skipped:
        i += 1
        yield [i, s, STATUS_SKIPPED, 0, 0, None, None, None, None, "不是工作簿文件（.xlsx/.xlsm/.xls），未检查", None]


# Workbook -----------------------------------------------------------------------------------
def _write_workbook(out, records, skipped, indicator_xml, level1, units, totals) -> None:
    n_indicators = sum(r.n_indicators for r in records if r.included)
    out = Path(out)
    with atomic_path(out) as final_tmp, tempfile.TemporaryDirectory(dir=final_tmp.parent) as work:
        stage = Path(work) / "stage.xlsx"
        wb = xlsxwriter.Workbook(str(stage), {
            "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
            "default_format_properties": {"font_name": FONT, "font_size": 10},
        })
        wb.set_properties({"title": "绩效目标汇总", "author": "xlgoals", "created": dt.datetime(2000, 1, 1)})
        f = {
            "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "align": "center", "font_name": FONT}),
            "money": wb.add_format({"num_format": "#,##0.00", "font_name": FONT}),
            "money_bold": wb.add_format({"num_format": "#,##0.00", "bold": True, "top": 1, "font_name": FONT}),
            "bold": wb.add_format({"bold": True, "top": 1, "font_name": FONT}),
            "pct": wb.add_format({"num_format": "0.0%", "font_name": FONT}),
            "text": wb.add_format({"font_name": FONT}),
        }

        def sheet(name, columns, widths, landscape=True):
            ws = wb.add_worksheet(name)
            for c, (title, width) in enumerate(zip(columns, widths, strict=True)):
                ws.write_string(0, c, title, f["head"])
                ws.set_column(c, c, width)
            ws.set_row(0, 30)
            ws.freeze_panes(1, 0)
            ws.set_paper(9)
            if landscape:
                ws.set_landscape()
            ws.fit_to_pages(1, 0)
            ws.repeat_rows(0)
            ws.set_footer("&C第 &P 页，共 &N 页")
            return ws

        def put(ws, r, c, v, fmt=None):
            if v is None or v == "":
                return
            if isinstance(v, str):
                ws.write_string(r, c, v, fmt or f["text"])  # always text: no formulas from returns
            else:
                ws.write_number(r, c, v, fmt)

        # 汇总 ---------------------------------------------------------------------------
        ws = sheet("汇总", SUMMARY_COLUMNS, [6, 36, 8, 20, 20, 12], landscape=False)
        r = 0
        for r, (unit, u) in enumerate(units.items(), start=1):
            put(ws, r, 0, r)
            put(ws, r, 1, unit)
            put(ws, r, 2, u["projects"])
            put(ws, r, 3, u["total"], f["money"])
            put(ws, r, 4, u["current"], f["money"])
            put(ws, r, 5, u["invalid"])
        last = r
        total_row = last + 1
        ws.write_string(total_row, 1, "合计", f["bold"])
        for c, key, fmt in ((2, "projects", f["bold"]), (3, "total", f["money_bold"]),
                            (4, "current_year", f["money_bold"]), (5, "invalid", f["bold"])):
            col = chr(ord("A") + c)
            formula = f"=SUM({col}2:{col}{last + 1})" if last >= 1 else "=0"
            ws.write_formula(total_row, c, formula, fmt, totals[key])
        ws.write_string(total_row + 2, 1, f"共读取 {len(records)} 个文件：计入汇总 {totals['projects']} 个项目，"
                                          f"未通过校验或无法读取 {totals['invalid']} 个；另有 {len(skipped)} 个非工作簿文件"
                                          "未检查。明细见“校验结果”。")
        if last >= 1:
            ws.autofilter(0, 0, last, len(SUMMARY_COLUMNS) - 1)
            chart = wb.add_chart({"type": "bar"})
            chart.add_series({"name": "项目当年预算（元）", "categories": ["汇总", 1, 1, last, 1],
                              "values": ["汇总", 1, 4, last, 4], "fill": {"color": "#4472C4"}})
            chart.set_title({"name": "各单位项目当年预算（元）", "name_font": {"name": FONT, "size": 12}})
            chart.set_x_axis({"num_format": "#,##0", "num_font": {"name": FONT}})
            chart.set_y_axis({"reverse": True, "num_font": {"name": FONT}})
            chart.set_legend({"none": True})
            chart.set_size({"width": 720, "height": max(300, 26 * min(last, 40) + 120)})
            ws.insert_chart(total_row + 4, 1, chart)

        # 项目清单, 绩效指标 and 校验结果 get their rows spliced in after close (see xlsxrows)
        project_cols = _project_columns(level1)
        widths = [6, 30, 36, 18, 12, 12, 18, 18, *[10] * len(level1), 9, 10, 7, 7, 9, 30, 30, 40, 20]
        ws = sheet("项目清单", project_cols, widths)
        ws.autofilter(0, 0, max(len(records), 1), len(project_cols) - 1)
        projects_part = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"

        ws = sheet("绩效指标", INDICATOR_COLUMNS, [28, 32, 12, 12, 36, 7, 10, 8, 24, 20])
        ws.autofilter(0, 0, max(n_indicators, 1), len(INDICATOR_COLUMNS) - 1)
        indicators_part = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"

        # 分类统计 ----------------------------------------------------------------------------------
        ws = sheet("分类统计", CATEGORY_COLUMNS, [30, 14, 16, 9, 11, 11, 10], landscape=False)
        n = 0
        for n, row in enumerate(_category_rows(records), start=1):
            for c, v in enumerate(row):
                put(ws, n, c, v, f["pct"] if c == 6 else None)
        ws.autofilter(0, 0, max(n, 1), len(CATEGORY_COLUMNS) - 1)

        # 校验结果 ------------------------------------------------------------------------------------
        validation = list(_validation_rows(records, skipped))
        ws = sheet("校验结果", VALIDATION_COLUMNS, [6, 48, 9, 7, 7, 9, 24, 10, 8, 60, 20])
        ws.autofilter(0, 0, max(len(validation), 1), len(VALIDATION_COLUMNS) - 1)
        validation_part = f"xl/worksheets/sheet{len(wb.worksheets())}.xml"
        wb.close()
        money = {6: f["money"].xf_index, 7: f["money"].xf_index}
        splice_rows(str(stage), final_tmp, {
            projects_part: (rows_xml(_project_rows(records, level1), money), len(records) + 1,
                            len(project_cols) - 1),
            indicators_part: (indicator_xml(), n_indicators + 1, len(INDICATOR_COLUMNS) - 1),
            validation_part: (rows_xml(validation), len(validation) + 1, len(VALIDATION_COLUMNS) - 1),
        })


# CSV and JSON -------------------------------------------------------------------------------------
def _tables(records, skipped, indicator_rows, level1, units):
    """The five tables for CSV and JSON: name -> (columns, a function giving the rows afresh)."""
    summary = [[i, unit, u["projects"], u["total"], u["current"], u["invalid"]]
               for i, (unit, u) in enumerate(units.items(), start=1)]
    return OrderedDict([
        ("汇总", (SUMMARY_COLUMNS, lambda: iter(summary))),
        ("项目清单", (_project_columns(level1), lambda: _project_rows(records, level1))),
        ("绩效指标", (INDICATOR_COLUMNS, indicator_rows)),
        ("分类统计", (CATEGORY_COLUMNS, lambda: _category_rows(records))),
        ("校验结果", (VALIDATION_COLUMNS, lambda: _validation_rows(records, skipped))),
    ])


def _write_csvs(out_dir: Path, tables) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (columns, rows) in tables.items():
        with atomic_path(out_dir / f"{name}.csv") as tmp:
            with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel/WPS read Chinese right
                w = csv.writer(fh, lineterminator="\r\n")
                w.writerow(columns)
                for row in rows():
                    w.writerow([neutralise(v) if isinstance(v, str) else ("" if v is None else v) for v in row])


_JSON_KEYS = {"汇总": "summary", "项目清单": "projects", "绩效指标": "indicators", "分类统计": "categories",
              "校验结果": "validation"}


def _write_json(path: Path, tables) -> None:
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("{\n")
            items = list(tables.items())
            for t, (name, (columns, rows)) in enumerate(items):
                fh.write(f'  {json.dumps(_JSON_KEYS[name])}: {{"title": {json.dumps(name, ensure_ascii=False)}, '
                         f'"columns": {json.dumps(columns, ensure_ascii=False)}, "rows": [')
                first = True
                for row in rows():
                    fh.write(("\n    " if first else ",\n    ") + json.dumps(list(row), ensure_ascii=False))
                    first = False
                fh.write("\n  ]}" + (",\n" if t < len(items) - 1 else "\n"))
            fh.write("}\n")


__all__ = ["ConsolidationResult", "ReturnRecord", "consolidate", "process_file"]
