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


def test_the_bar_of_year_unknown_has_its_year_label(tmp_path):
    _inbox(tmp_path, {"a2020": (0, 2020), "b2021": (1, 2021), "c": (2, 2021)})
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "c.xlsx", inbox / "c-no-year.xlsx", "goal-table")
    (inbox / "c.xlsx").unlink()
    out = tmp_path / "汇总.xlsx"
    consolidate([inbox], out, jobs=1, include_invalid=True)
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
