"""mendCK: the printed summaries as a bureau prints and files them (and the annotated copy's 问题清单).

1. 绩效指标 (and each form's indicator sheet) printed the full unit and project name on every indicator row: a row of
   the same project as the row above shows 〃 instead, by a conditional number format; the cell keeps its value.
2. 问题清单's header row had a font of no name (openpyxl's Font(bold=True)): LibreOffice printed it in its default
   face, not the workbook's 宋体 of the rows below.
3. The chart of 汇总 printed under the table's repeated header row.
4. A summary's footer said 第 N 页 and not 共 M 页.
"""

from __future__ import annotations

import shutil
import subprocess

import openpyxl
import pytest

from xlgoals import validate
from xlgoals._check._annotate import PROBLEM_SHEET, annotate

from .conftest import EXAMPLES, lo_printed
from .helpers import ooxml_errors


def _annotated(tmp_path):
    received = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", received)
    (report,) = [f for f in validate([received]).files if not f.passes()]
    return annotate(report, tmp_path / "out")


def test_the_problem_lists_header_is_in_the_font_of_its_rows(tmp_path):
    path = _annotated(tmp_path)
    assert ooxml_errors(path) == []
    wb = openpyxl.load_workbook(path)
    ws = wb[PROBLEM_SHEET]
    body = ws.cell(2, 2).font
    assert body.name == "宋体", body.name
    for cell in ws[1]:
        assert cell.font.b, cell.coordinate
        assert (cell.font.name, cell.font.sz) == (body.name, body.sz), (cell.coordinate, cell.font.name, cell.font.sz)


# Summaries of each form, as a bureau makes them -------------------------------------------------------------------
@pytest.fixture(scope="module")
def summaries(tmp_path_factory) -> dict:
    """form -> a summary workbook of its examples (the goal tables' with the review sheets): made once for the
    module's tests, which only read them (the print test prints a copy of its own)."""
    from xlgoals import consolidate

    out = tmp_path_factory.mktemp("summaries")
    made = {"goal": out / "goal.xlsx", "monitoring": out / "mon.xlsx", "self-evaluation": out / "se.xlsx"}
    consolidate([EXAMPLES / "returns"], made["goal"], jobs=1, review=True, previous=[EXAMPLES / "review" / "上年"])
    consolidate([EXAMPLES / "monitoring"], made["monitoring"], jobs=1)
    consolidate([EXAMPLES / "self-evaluation"], made["self-evaluation"], jobs=1)
    return made


def _item_sheet(wb):
    """A summary's third table: each indicator, its unit and project in its first two columns."""
    return next(wb[n] for n in ("绩效指标", "指标监控", "指标完成") if n in wb.sheetnames)


_DITTO = '〃'


def test_an_indicator_rows_unit_and_project_print_once_per_project_and_every_cell_keeps_its_value(summaries):
    from openpyxl.utils import get_column_letter

    assert sorted(summaries) == ["goal", "monitoring", "self-evaluation"]
    for form, path in summaries.items():
        assert ooxml_errors(path) == [], form
        ws = _item_sheet(openpyxl.load_workbook(path))
        header = next(r for r in range(1, 6) if ws.cell(r, 1).value == "申报单位")
        titles = [c.value for c in ws[header]]
        sha = get_column_letter(titles.index("SHA-256") + 1)
        rows = list(ws.iter_rows(min_row=header + 1, max_row=ws.max_row, values_only=True))
        rows = [r for r in rows if r[0]]
        assert len(rows) > 20 and all(r[0] and r[1] for r in rows), form  # the value in every row, for a filter or sort
        rules = [(str(cf.sqref), rule) for cf in ws.conditional_formatting for rule in cf.rules
                 if rule.dxf is not None and rule.dxf.numFmt is not None]
        assert len(rules) == 1, (form, rules)
        ((sqref, rule),) = rules
        first = header + 2  # the first row of the table shows its names, the next on only where another return's
        # (in ranges: each further page's first row, below a page break of ours, is left out of it: mendCR)
        assert sqref.startswith(f"A{first}:B") and sqref.endswith(f":B{header + len(rows)}"), (form, sqref)
        assert rule.type == "expression" and rule.formula == [f'AND(${sha}{first}<>"",${sha}{first}=${sha}{first - 1},'
                                                                f'SUBTOTAL(103,${sha}{first - 1})=1)'], \
            (form, rule.formula)
        assert rule.dxf.numFmt.formatCode == f';;;"{_DITTO}"', rule.dxf.numFmt.formatCode


def test_the_chart_prints_on_a_sheet_of_its_own_under_no_table_header(summaries):
    path = summaries["goal"]
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:2] == ["汇总", "项目清单"] and wb.sheetnames[-1] == "汇总图", wb.sheetnames  # mendCR: last
    assert wb["汇总"]._charts == [] and len(wb["汇总图"]._charts) == 1
    assert wb["汇总"].print_title_rows and not wb["汇总图"].print_title_rows
    assert wb["汇总图"].max_row == 1 and wb["汇总图"]["A1"].value is None  # no cells: a frame reads it empty


def test_every_summary_sheets_footer_gives_its_page_of_the_summarys_pages(summaries):
    assert sorted(summaries) == ["goal", "monitoring", "self-evaluation"]
    for form, path in summaries.items():
        wb = openpyxl.load_workbook(path)
        for ws in wb:
            assert ws.oddFooter.center.text == "第 &P 页，共 &N 页", (form, ws.title, ws.oddFooter.center.text)
            # numbered on through the workbook, as &N counts its pages (Excel and LibreOffice alike)
            assert not ws.page_setup.useFirstPageNumber, (form, ws.title)


@pytest.mark.soffice
@pytest.mark.parametrize("form", ["goal", "monitoring", "self-evaluation"])
def test_the_summaries_print_as_filed(tmp_path, soffice, summaries, form):
    """Printed by LibreOffice: each page says 第 i 页，共 n 页 of the n pages printed; the chart's page carries no table
    header; 绩效指标 prints each project's name once a block, 〃 below it.  One summary a test (each printed and
    checked once, as when the three were one job), so that xdist's two workers share the printing."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    path = tmp_path / summaries[form].name  # a copy of its own: LibreOffice opens nothing the other tests read
    shutil.copy2(summaries[form], path)
    printed = lo_printed([path], tmp_path / "printed", needed=False)
    pdf = tmp_path / "printed" / f"{path.stem}.pdf"
    pages = printed[path][0].pages
    # the pages' texts of one pdftotext (a form feed after each page), as one run a page (-f i -l i) gives them
    *texts, after = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split("\f")
    assert len(texts) == pages and after == "", (form, len(texts), pages)
    for i, text in enumerate(texts, start=1):
        assert f"第{i}页，共{pages}页" in "".join(text.split()), (form, i, text[-200:])
    items = [t for t in texts if t.lstrip().startswith(_item_sheet(openpyxl.load_workbook(path)).title)]
    assert items and all(_DITTO in t for t in items), form
    names = sum(t.count("促进就业专项资金") for t in items)
    assert 0 < names < sum(t.count(_DITTO) for t in items) / 2, (form, names)
    if form == "goal":
        (chart,) = [t for t in texts if "各单位项目当年预算" in t]
        assert chart.lstrip().startswith("汇总图") and "序号" not in chart and "申报单位" not in chart, chart
