"""The goal-table summary chart's bars of several budget years: each bar labelled with its unit and year, the
returns whose year could not be read under 年度不明 (inbox3 item 3)."""

from __future__ import annotations

import re
import zipfile

import openpyxl
from openpyxl.utils import range_boundaries

from xlgoals import consolidate

from .helpers import ooxml_errors
from .test_consolidate_years import _inbox, _year_unreadable


def _chart_categories(path):
    """The chart's category range on 汇总, read back from the workbook's cells: one tuple of labels per bar."""
    with zipfile.ZipFile(path) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1, charts
        xml = z.read(charts[0]).decode("utf-8")
    ref = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", xml, re.S).group(1)
    sheet, _, cells = ref.rpartition("!")
    values = re.search(r"<c:val>.*?<c:f>(.*?)</c:f>", xml, re.S).group(1)
    ws = openpyxl.load_workbook(path)[sheet.strip("'")]
    lo_c, lo_r, hi_c, hi_r = range_boundaries(cells.replace("$", ""))
    v_lo_c, v_lo_r, _, v_hi_r = range_boundaries(values.rpartition("!")[2].replace("$", ""))
    assert (lo_r, hi_r) == (v_lo_r, v_hi_r)  # a label for each bar
    labels = [tuple(ws.cell(r, c).value for c in range(lo_c, hi_c + 1)) for r in range(lo_r, hi_r + 1)]
    bars = [ws.cell(r, v_lo_c).value for r in range(lo_r, hi_r + 1)]
    return labels, bars, xml, ws


def year_unknown_summary(tmp_path):
    """The summary of three returns of one unit: 2020, 2021 and one whose year cannot be read (年度不明)."""
    _inbox(tmp_path, {"a2020": (0, 2020), "b2021": (1, 2021), "c": (2, 2021)})
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "c.xlsx", inbox / "c-no-year.xlsx", "goal-table")
    (inbox / "c.xlsx").unlink()
    out = tmp_path / "汇总.xlsx"
    consolidate([inbox], out, jobs=1, include_invalid=True)
    return out


def test_the_bar_of_year_unknown_has_its_year_label(tmp_path):
    out = year_unknown_summary(tmp_path)
    labels, bars, xml, ws = _chart_categories(out)
    assert len(labels) == 3 and all(v is not None for v in bars), (labels, bars)
    assert all(len(lab) == 2 and all(lab) for lab in labels), labels  # unit and year on every bar
    assert [lab[1] for lab in labels].count("年度不明") == 1, labels
    assert {str(lab[1]) for lab in labels} >= {"2020", "2021"}, labels
    assert 'plotVisOnly val="1"' in xml  # the chart follows a filter (tests/test_library2.py)
    # the summary's own 预算年度 cell stays blank (the note says so); the sheet's rows are as they were
    body = [[c.value for c in row] for row in ws.iter_rows(min_row=4, max_col=3) if isinstance(row[0].value, int)]
    assert [r[2] for r in body].count(None) == 1, body
    assert ooxml_errors(out) == []


def test_one_year_the_chart_is_as_it_was(tmp_path):
    _inbox(tmp_path, {"a2020": (0, 2020), "b2020": (1, 2020)})
    out = tmp_path / "汇总.xlsx"
    consolidate([tmp_path / "inbox"], out, jobs=1)
    labels, bars, xml, ws = _chart_categories(out)
    assert labels and all(len(lab) == 1 and lab[0] for lab in labels), labels
    assert "plotVisOnly val=\"1\"" in xml
    # no label columns of the chart's own: the filter and the page are the table's columns, as before
    head_row = 3
    headings = [c.value for c in ws[head_row]]
    assert "图表分类" not in headings and ws.max_column == len([h for h in headings if h]), headings
    assert range_boundaries(ws.auto_filter.ref)[2] == ws.max_column, ws.auto_filter.ref
    assert ooxml_errors(out) == []


_SORT = '''
import json, os, sys
sys.path.insert(0, {tests!r})
import uno, lo_office
from com.sun.star.beans import PropertyValue
from com.sun.star.table import TableSortField


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def job(office, work):
    doc = office.desktop.loadComponentFromURL(uno.systemPathToFileUrl({src!r}), "_blank", 0, (prop("Hidden", True),))
    try:
        i = list(doc.Sheets.ElementNames).index("汇总")
        sheet = doc.Sheets.getByIndex(i)
        db = doc.getPropertyValue("UnnamedDatabaseRanges").getByTable(i)  # the sheet's autofilter range
        field = TableSortField()
        field.Field, field.IsAscending = {field}, False
        db.ReferredCells.sort((prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))),
                               prop("ContainsHeader", True)))  # as a sort from the filter's dropdown
        area = db.DataArea
        rows = [[sheet.getCellByPosition(c, r).getString() for c in range({ncols})]
                for r in range(area.StartRow, area.EndRow + 1)]
        print(json.dumps(rows, ensure_ascii=False))
    finally:
        doc.close(True)


lo_office.run(job, "sort")
'''


def test_a_sort_in_libreoffice_keeps_each_label_on_its_bar(tmp_path, soffice):
    """The 汇总 sheet sorted from its filter (by 项目当年预算, largest first) in LibreOffice: each row's chart label
    (unit, year) moves with it.  The labels sat a column off, outside the filter's range: the rows moved, the labels
    stayed, and the bars were named by other rows' years.  Printed, the page still shows no label column."""
    from pathlib import Path

    from .conftest import _run_uno, lo_printed

    out = year_unknown_summary(tmp_path)
    ws = openpyxl.load_workbook(out)["汇总"]
    heads = [c.value for c in ws[3]]
    year, amount, label = heads.index("预算年度"), heads.index("项目当年预算（元）"), heads.index("图表分类")
    script = tmp_path / "sort.py"
    script.write_text(_SORT.format(tests=str(Path(__file__).parent), src=str(out), field=amount,
                                   ncols=ws.max_column), encoding="utf-8")
    proc = _run_uno([str(script)], timeout=300)
    assert proc.returncode == 0, proc.stderr
    head, *rows = __import__("json").loads(proc.stdout.strip().splitlines()[-1])
    assert head[label] == "图表分类", head
    amounts = [float(r[amount].replace(",", "")) for r in rows]
    assert amounts == sorted(amounts, reverse=True) and len(rows) == 3, rows  # sorted
    for r in rows:  # each row's label is its own year (年度不明 where its 预算年度 is blank)
        assert r[label + 1] == (r[year] or "年度不明"), rows
    printed = lo_printed([out], tmp_path / "printed", needed=False)[out][1]["汇总"]["cells"]
    assert not any(text == "图表分类" for _, text in printed), printed
    assert max(range_boundaries(ref)[0] for ref, _ in printed) < label + 1, printed
