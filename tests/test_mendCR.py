"""mendCR: red team (r)'s findings on the summaries and the monitoring hold-out.

F5. 汇总图 sat second in the goal summary only: `sheet_name=1` read an empty chart sheet, not 项目清单, and the
    positions of the data sheets differed between forms.  It goes after the data sheets.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import consolidate

from .conftest import EXAMPLES
from .helpers import ooxml_errors


def test_the_chart_sheet_comes_after_the_data_sheets_which_keep_their_positions(tmp_path):
    goal, mon, se = tmp_path / "goal.xlsx", tmp_path / "mon.xlsx", tmp_path / "se.xlsx"
    consolidate([EXAMPLES / "returns"], goal, jobs=1, review=True, previous=[EXAMPLES / "review" / "上年"])
    consolidate([EXAMPLES / "monitoring"], mon, jobs=1)
    consolidate([EXAMPLES / "self-evaluation"], se, jobs=1)
    names = openpyxl.load_workbook(goal).sheetnames
    assert names == ["汇总", "项目清单", "绩效指标", "分类统计", "校验结果", "审核", "审核（按单位）", "汇总图"], names
    assert ooxml_errors(goal) == []
    import pandas as pd

    # position 1: each form's list of its returns, one row each, by pandas' reader now and its default to come
    for path in (goal, mon, se):
        for engine in ("openpyxl", "calamine"):
            frame = pd.read_excel(path, sheet_name=1, header=None, engine=engine)
            assert frame.shape[0] > 3 and "项目名称" in frame.astype(str).values, (path.name, engine, frame.shape)
    wb = openpyxl.load_workbook(goal)
    assert len(wb["汇总图"]._charts) == 1 and wb["汇总"]._charts == []


# F2. the 万元 hold-out: a correct small spending early in the year is summed, and frames() never blanks an amount ----
def _monitoring(tmp_path, month: int, executed, name="01_筹办第46届世界技能大赛"):
    import json

    from xlgoals import fill

    doc = json.loads((EXAMPLES / "monitoring" / f"{name}.json").read_text(encoding="utf-8"))
    doc["month"] = month
    doc["funds"]["executed_to_date"] = executed
    inbox = tmp_path / f"in{month}"
    inbox.mkdir()
    fill(doc, inbox / "m.xlsx")
    return inbox


def test_a_small_real_spending_in_january_stays_in_the_totals_warned_of(tmp_path):
    """3,000 元 spent in January of a 62,800,000 元 budget: in 万元 it would be 48 % where 8 % of the year has run,
    a weak suspicion: warned of (as before), summed as typed, rated; frames() reads it and flags nothing."""
    import json
    from decimal import Decimal

    from xlgoals import frames, validate_file

    inbox = _monitoring(tmp_path, 1, 3000)
    (warned,) = [p for p in validate_file(inbox / "m.xlsx").problems if p.code.startswith("monitor.amount_scale")]
    assert "汇总" not in warned.message and "summary" not in warned.message_en, warned.message  # not held out
    result = consolidate([inbox], tmp_path / "s.xlsx", json_path=tmp_path / "s.json")
    assert result.totals["executed_to_date"] == Decimal(3000), result.totals
    assert not result.totals.get("amounts_held_out"), result.totals
    assert "totals_held_out" not in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["summary"]
    assert "疑按万元" not in result.describe(), result.describe()
    assert ooxml_errors(tmp_path / "s.xlsx") == []
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目进度"]
    head_row = next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")
    head = [c.value for c in ws[head_row]]
    (row,) = [[c.value for c in r] for r in ws.iter_rows(min_row=head_row + 1) if isinstance(r[0].value, int)]
    executed = next(h for h in head if h and "执行数" in h)
    assert row[head.index(executed)] == 3000 and row[head.index("执行率")] is not None, row
    projects = frames([inbox]).projects
    assert list(projects["funds.executed_to_date"]) == [Decimal(3000)]
    assert projects["held_out"].isna().all(), list(projects["held_out"])


def test_a_strong_suspicion_is_held_out_of_the_totals_and_flagged_not_blanked_in_frames(tmp_path):
    """7,232.52 at June of a 139,086,909.35 budget: 52 % in 万元 where 50 % of the year has run: held out of the
    summary's totals, and frames() keeps the amount as typed, flagged in held_out, so that a sum of the rows not
    flagged is the summary's total."""
    from decimal import Decimal

    from xlgoals import frames, validate_file

    inbox = _monitoring(tmp_path, 6, Decimal("7232.52"), "02_促进就业专项资金")
    (warned,) = [p for p in validate_file(inbox / "m.xlsx").problems if p.code.startswith("monitor.amount_scale")]
    assert "核对前汇总不将此金额计入合计" in warned.message and "leaves it out of its totals" in warned.message_en
    result = consolidate([inbox], tmp_path / "s.xlsx")
    assert result.totals["amounts_held_out"] == {"executed_to_date": 1} and result.totals["executed_to_date"] == 0
    projects = frames([inbox]).projects
    assert list(projects["funds.executed_to_date"]) == [Decimal("7232.52")]
    assert list(projects["held_out"]) == ["funds.executed_to_date"]
    kept = projects.loc[projects["held_out"].isna(), "funds.executed_to_date"]
    assert sum(kept, Decimal(0)) == result.totals["executed_to_date"]


def test_a_report_of_no_month_is_summed_its_spending_warned_of(tmp_path):
    from decimal import Decimal

    inbox = _monitoring(tmp_path, 6, Decimal("7232.52"), "02_促进就业专项资金")
    from xlgoals._check._figures import strong_slip

    assert not strong_slip({"month": None}, "/funds/executed_to_date", Decimal(3000), Decimal(62800000), Decimal(10000),
                           Decimal(3))
    assert strong_slip({"month": 6}, "/funds/executed_to_date", Decimal(3000), Decimal(62800000), Decimal(10000),
                       Decimal(3))
    assert not strong_slip({"month": 1}, "/funds/executed_to_date", Decimal(3000), Decimal(62800000), Decimal(10000),
                           Decimal(3))
    assert inbox.is_dir()


# F3. the terminal's line said an amount held out was added to the totals, and in the same sentence that it was not --
def test_the_unrated_clause_does_not_say_a_held_out_amount_was_added(tmp_path):
    from decimal import Decimal

    inbox = _monitoring(tmp_path, 6, Decimal("7232.52"), "02_促进就业专项资金")
    result = consolidate([inbox], tmp_path / "s.xlsx")
    line = result.describe()
    assert "未加入合计" in line, line
    assert "其能读出的金额（疑按万元填写的除外）已加入合计" in line and "其能读出的金额已加入合计" not in line, line
    assert "readable amounts (but those apparently in 10,000 yuan) in the totals" in result.describe("en")
    texts = [c.value for row in openpyxl.load_workbook(tmp_path / "s.xlsx")["监控汇总"].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert any("其能读出的金额（疑按万元填写的除外）已加入合计" in t for t in texts), texts
    assert not any("其能读出的金额已加入合计" in t for t in texts), texts


# F1. 〃 only below a row that shows: filtered on the sheet's own filter, a row names its return -----------------------
def _indicator_rule(path):
    ws = openpyxl.load_workbook(path)["绩效指标"]
    ((rule,),) = [cf.rules for cf in ws.conditional_formatting if any(r.dxf and r.dxf.numFmt for r in cf.rules)]
    return rule.formula[0]


def test_the_ditto_rule_looks_at_the_visible_row_above_only(tmp_path):
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "returns"], out, jobs=1)
    formula = _indicator_rule(out)
    assert "SUBTOTAL(103," in formula, formula  # counts the row above only where no filter hides it


def _filtered(src, dst, column: str, value: str) -> list[str]:
    """`src`'s 绩效指标 alone, filtered on its own autofilter to rows whose `column` is `value` (the rows hidden and
    the filter recorded, as Excel saves a filtered sheet); the projects of the rows left, in order."""
    from openpyxl.worksheet.filters import FilterColumn, Filters

    wb = openpyxl.load_workbook(src)
    for name in wb.sheetnames:
        if name != "绩效指标":
            del wb[name]
    ws = wb["绩效指标"]
    header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "申报单位")
    titles = [c.value for c in ws[header]]
    col = titles.index(column) + 1
    shown = []
    for r in range(header + 1, ws.max_row + 1):
        if ws.cell(r, col).value != value:
            ws.row_dimensions[r].hidden = True
        else:
            shown.append(ws.cell(r, 2).value)
    fc = FilterColumn(colId=col - 1)
    fc.filters = Filters(filter=[value])
    ws.auto_filter.filterColumn.append(fc)
    wb.save(dst)
    return shown


@pytest.mark.soffice
def test_a_filtered_indicator_sheet_prints_each_returns_name_where_its_rows_start(tmp_path, soffice):
    """Printed by LibreOffice, filtered: on 三级指标=预算执行率 (a row per project) every row names its project, none
    shows 〃; on 一级指标=效果目标 each project's first row names it (it printed 〃 under the previous project's row)."""
    import shutil
    import subprocess

    from .conftest import lo_printed

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "returns"], out, jobs=1)
    one = _filtered(out, tmp_path / "one.xlsx", "三级指标", "预算执行率")
    effect = _filtered(out, tmp_path / "effect.xlsx", "一级指标", "效果目标")
    assert len(one) == 5 and len(set(effect)) == 5 and len(effect) > 10
    lo_printed([tmp_path / "one.xlsx", tmp_path / "effect.xlsx"], tmp_path / "printed", needed=False)
    for name, rows in (("one", one), ("effect", effect)):
        text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "printed" / f"{name}.pdf"), "-"],
                              capture_output=True, text=True, check=True).stdout
        flat = "".join(text.split())
        for project in dict.fromkeys(rows):  # each project named (its first words: a long name wraps)
            assert project[:8] in flat, (name, project, text[:1500])
        # once a block, 〃 below; and atop a page that a block runs on to (our break kept under the filter: its first
        # row shown names the return, as every page's first row does)
        named = [[line.split()[1] for line in page.splitlines() if line.lstrip().startswith("上海市就业促进中心")]
                 for page in text.split("\f")]
        named = [page for page in named if page]
        runs_on = sum(page[0] == before[-1] for before, page in zip(named, named[1:]))
        assert flat.count("上海市就业促进中心") == len(set(rows)) + runs_on, (name, runs_on, text[:1500])
        if name == "one":
            assert "〃" not in text, text[:1500]
        else:
            assert text.count("〃") >= 2 * (len(rows) - 5 - runs_on), text[:1500]


# F4. a page that starts inside a return's block printed 〃 〃 at its top: a loose page said not whose rows those are ---
def _made(tmp_path) -> dict:
    made = {"goal": tmp_path / "goal.xlsx", "monitoring": tmp_path / "mon.xlsx", "self-evaluation": tmp_path / "se.xlsx"}
    consolidate([EXAMPLES / "returns"], made["goal"], jobs=1)
    consolidate([EXAMPLES / "monitoring"], made["monitoring"], jobs=1)
    consolidate([EXAMPLES / "self-evaluation"], made["self-evaluation"], jobs=1)
    return made


_ITEMS = ("绩效指标", "指标监控", "指标完成")


def test_the_indicator_sheets_pages_are_broken_by_us_and_each_further_pages_first_row_names_its_return(tmp_path):
    from openpyxl.utils.cell import range_boundaries

    for form, path in _made(tmp_path).items():
        assert ooxml_errors(path) == [], form
        wb = openpyxl.load_workbook(path)
        ws = next(wb[n] for n in _ITEMS if n in wb.sheetnames)
        breaks = [b.id for b in ws.row_breaks.brk]
        assert len(breaks) >= 3 and all(b.man for b in ws.row_breaks.brk), (form, breaks)
        (cf,) = [cf for cf in ws.conditional_formatting if any(r.dxf and r.dxf.numFmt for r in cf.rules)]
        ditto_rows = {r for rng in str(cf.sqref).split() for r in range(range_boundaries(rng)[1],
                                                                         range_boundaries(rng)[3] + 1)}
        for b in breaks:  # each further page's first row (break after row b) shows its names
            assert b + 1 not in ditto_rows and b + 2 in ditto_rows | {ws.max_row + 1}, (form, b)
        assert len(ditto_rows) > 20, form


@pytest.mark.soffice
def test_every_printed_page_of_an_indicator_sheet_starts_with_the_names(tmp_path, soffice):
    """Printed by LibreOffice: the first row of each page of 绩效指标 / 指标监控 / 指标完成 gives the unit and project,
    not 〃 (7 of 8 pages of 绩效指标 of the examples began with 〃 〃); 〃 is still printed below within a page."""
    import re
    import shutil
    import subprocess

    from .conftest import lo_printed

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    made = _made(tmp_path)
    lo_printed(list(made.values()), tmp_path / "printed", needed=False)
    for form, path in made.items():
        pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "printed" / f"{path.stem}.pdf"), "-"],
                               capture_output=True, text=True, check=True).stdout.split("\f")
        items = [p for p in pages if p.strip() and p.lstrip().startswith(_ITEMS)]
        assert len(items) >= 4, (form, len(items))
        for page in items:
            lines = [line for line in page.splitlines() if line.strip()]
            i = next(k for k, line in enumerate(lines) if "申报单位" in line)
            first = next(line for line in lines[i + 1:] if "〃" in line or "上海市就业促进" in line)
            assert not first.lstrip().startswith("〃"), (form, page[:1200])
        assert sum(p.count("〃") for p in items) > 40, form


def test_beyond_the_breaks_excel_keeps_the_sheet_is_left_to_the_client():
    from xlgoals._consolidate._xlsxrows import MAX_BREAKS, Paged

    tail = '<conditionalFormatting sqref="A3:B5000"></conditionalFormatting><headerFooter></headerFooter></worksheet>'
    few, many = Paged((100, 100), 15, 2, "A3:B5000"), Paged((100, 100), 15, 2, "A3:B5000")
    for n in range(2, 40):
        few.row(n, b' ht="30" customHeight="1">')
    for n in range(2, 5000):
        many.row(n, b' ht="30" customHeight="1">')
    assert len(many.breaks) > MAX_BREAKS and many.tail(tail) == tail
    made = few.tail(tail)
    assert few.breaks == [4, 7, 10, 13, 16, 19, 22, 25, 28, 31, 34, 37], few.breaks  # 3 rows of 30 on 100 pt
    assert '<rowBreaks count="12" manualBreakCount="12"><brk id="4" max="16383" man="1"/>' in made
    assert 'sqref="A3:B4 A6:B7 A9:B10' in made and made.index("</headerFooter>") < made.index("<rowBreaks")
