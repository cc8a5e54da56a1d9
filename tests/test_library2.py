"""library2: the 年度不明 chart follows the summary's filter; the disk cache's entries bounded per install path; the
fork server's preload kept off the host's multiprocessing setting."""

from __future__ import annotations

import re
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string, range_boundaries

from xlgoals import consolidate

from .helpers import ooxml_errors
from .test_chart_year_unknown import _chart_categories
from .test_consolidate_years import _inbox, _year_unreadable


def _year_unknown_summary(tmp_path):
    _inbox(tmp_path, {"a2020": (0, 2020), "b2021": (1, 2021), "c": (2, 2021)})
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "c.xlsx", inbox / "c-no-year.xlsx", "goal-table")
    (inbox / "c.xlsx").unlink()
    out = tmp_path / "汇总.xlsx"
    consolidate([inbox], out, jobs=1, include_invalid=True)
    return out


def _hidden_columns(path, sheet_xml):
    """The 1-based columns the sheet's <cols> hides."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_xml).decode("utf-8")
    hidden = set()
    for col in re.findall(r"<col [^>]*/>", xml):
        if 'hidden="1"' in col:
            lo, hi = (int(re.search(rf'{k}="(\d+)"', col).group(1)) for k in ("min", "max"))
            hidden.update(range(lo, hi + 1))
    return hidden


def _chart_anchor_rows(path):
    """(first row, last row), 0-based, of the one chart's anchor in the drawing."""
    with zipfile.ZipFile(path) as z:
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml")]
        assert len(drawings) == 1, drawings
        xml = z.read(drawings[0]).decode("utf-8")
    frm = int(re.search(r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S).group(1))
    to = int(re.search(r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S).group(1))
    return frm, to


def test_year_unknown_chart_follows_the_filter(tmp_path):
    """A year unknown among the bars: the chart plots visible cells only (plotVisOnly 1), so that a filter on 汇总 hides
    the filtered units' bars too; its labels are in columns that are not hidden (a hidden label would be dropped from
    the chart), beside the table, off the printed page; the page still prints the table and the chart."""
    out = _year_unknown_summary(tmp_path)
    labels, bars, xml, ws = _chart_categories(out)
    assert [lab[1] for lab in labels].count("年度不明") == 1, labels
    assert 'plotVisOnly val="1"' in xml
    cat = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", xml, re.S).group(1).rpartition("!")[2].replace("$", "")
    lo_c, lo_r, hi_c, hi_r = range_boundaries(cat)
    wb = openpyxl.load_workbook(out)
    index = wb.sheetnames.index(ws.title) + 1
    hidden = _hidden_columns(out, f"xl/worksheets/sheet{index}.xml")
    assert not hidden & set(range(lo_c, hi_c + 1)), (hidden, cat)
    # the filter covers the table's rows, the labels are on the same rows (a filtered row hides its label and bar)
    f_lo_c, f_lo_r, f_hi_c, f_hi_r = range_boundaries(ws.auto_filter.ref)
    assert f_lo_r + 1 == lo_r and f_hi_r == hi_r, (ws.auto_filter.ref, cat)
    # printed: the table's columns, not the labels; every row of the table, its note and the chart
    area = wb[ws.title].print_area
    assert area, "no print area: the labels would print"
    (area,) = area if isinstance(area, (list, tuple)) else (area,)
    p_lo_c, p_lo_r, p_hi_c, p_hi_r = range_boundaries(area.rpartition("!")[2].replace("$", ""))
    assert p_lo_c == 1 and p_hi_c == f_hi_c < lo_c, (area, cat)
    note_row = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value and "年度不明" in str(ws.cell(r, 1).value))
    frm, to = _chart_anchor_rows(out)
    assert p_lo_r == 1 and p_hi_r >= max(note_row, to + 1), (area, note_row, to)
    assert ooxml_errors(out) == []
