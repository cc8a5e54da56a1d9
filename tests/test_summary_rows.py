"""The summaries' rows are sized as the forms' rows are (_paper: one width table, one line height): header rows for
their headings in bold, every other row for its wrapped text, a row of one line left to the client.  Printed
through LibreOffice, no row is lower than its printed text needs."""

import copy
import json
import shutil

import openpyxl
import pytest

from xlgoals import consolidate, fill
from xlgoals._form import _paper

from .conftest import EXAMPLE_JSON, EXAMPLES
from .helpers import ooxml_errors

CHARS_PADDING = 5 / 7  # xlsxwriter stores a width of w characters as w + 5 pixels (of 7) of padding
SIZE = 10  # the summaries' font, and their default font
LONG_NAME = "组织开展面向高校毕业生、长期失业青年和就业困难人员的职业技能提升培训及创业指导服务并跟踪其后续就业情况"


def _widths(ws) -> list[float]:
    """Each column's width as written (xlsxwriter's padding taken off), by column index."""
    widths, last = [], None
    for i in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(openpyxl.utils.get_column_letter(i))
        if dim is not None and dim.width:
            last = dim.width - CHARS_PADDING
        widths.append(last)  # openpyxl gives a run of equal columns to its first
    return widths


def _header_row(ws) -> int:
    """The header row: the first with more than one heading (below a summary's title and dateline)."""
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if sum(v is not None for v in values) > 1:
            return r
    raise AssertionError(ws.title)


def _printed_columns(ws) -> int:
    if ws.print_area:
        ref = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        end = ref.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789")
        return openpyxl.utils.column_index_from_string(end)
    return ws.max_column


def _long_goal_table(path):
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc["unit"], doc["project"]["name"] = "某局", "某项目"
    doc["indicators"][0]["name"] = LONG_NAME
    return fill(doc, path)


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    """The summary workbook of each form's examples; the goal tables' with one more return, of a short unit and
    project and a long indicator name."""
    root = tmp_path_factory.mktemp("summaries")
    returns = root / "returns"
    shutil.copytree(EXAMPLES / "returns", returns)
    _long_goal_table(returns / "long.xlsx")
    out = {}
    for name, folder in (("goal-table", returns), ("self-evaluation", EXAMPLES / "self-evaluation"),
                         ("monitoring", EXAMPLES / "monitoring")):
        out[name] = consolidate([folder], root / f"{name}.xlsx", jobs=1, made_on="2024-06-01").output
    return out


@pytest.mark.parametrize("form", ["goal-table", "self-evaluation", "monitoring"])
def test_header_rows_hold_their_bold_headings(summaries, form):
    """A header row was sized for its headings as if they were not bold (bold text is wider: the forms' writer gives
    a bold label _paper.BOLD of its column), so a heading wrapping to one line more in bold was cut; 汇总's
    未通过校验的申报数 (18 units, in a column 10 wide) needs three lines in bold, and its row had two (30 pt)."""
    path = summaries[form]
    assert not ooxml_errors(path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        r = _header_row(ws)
        widths = _widths(ws)
        lines = max(_paper.needed_lines(c.value, widths[c.column - 1] * _paper.BOLD, SIZE, SIZE)
                    for c in ws[r][:_printed_columns(ws)] if isinstance(c.value, str))
        height = ws.row_dimensions[r].height
        assert height is not None and height >= _paper.lines_height(lines, SIZE) - 0.01, (ws.title, lines, height)
    first = wb.worksheets[0]
    assert first.row_dimensions[_header_row(first)].height >= _paper.lines_height(3, SIZE) - 0.01


def test_indicator_rows_are_as_tall_as_their_text(summaries):
    """绩效指标's rows: one of a long 三级指标 is as tall as the forms' metric says its text needs (the summaries had
    their own, of shorter lines: 13.5 pt, which LibreOffice's 14.2 pt lines outgrow); one whose every text fits on
    a line is given no height (clients make it one line high: no paper spent on an empty second line)."""
    wb = openpyxl.load_workbook(summaries["goal-table"])
    ws = wb["绩效指标"]
    widths = _widths(ws)
    titles = [c.value for c in ws[1]]
    name_col = titles.index("三级指标")
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value == "某局"]
    long_row = next(r for r in rows if r[name_col].value == LONG_NAME)
    needed = _paper.needed_height(LONG_NAME, widths[name_col], SIZE, SIZE)
    assert ws.row_dimensions[long_row[0].row].height >= needed - 0.01
    short = [r for r in rows if all(not isinstance(c.value, str) or 2 * len(c.value) <= int(widths[c.column - 1] * 0.95)
                                    for c in r[:_printed_columns(ws)])]
    assert short  # 某局, 某项目 and the short names of the example
    for r in short:
        assert ws.row_dimensions[r[0].row].height is None, [c.value for c in r]


@pytest.mark.soffice
def test_printed_summary_rows_hold_their_text(tmp_path, soffice, summaries):
    """Printed through LibreOffice, every row of every sheet of the three summaries is at least as tall as
    LibreOffice fits it to its printed text (lo_print's "needed": the columns off the page and the filter buttons
    left out)."""
    from .test_print import _print

    files = [shutil.copy(p, tmp_path / f"{form}.xlsx") for form, p in summaries.items()]
    printed = _print([type(tmp_path)(f) for f in files], tmp_path / "printed")
    short = []
    for f, (_, sheets) in printed.items():
        for name, info in sheets.items():
            for r, height in info["heights"].items():
                if info["needed"][r] > height + 0.4:
                    short.append((f.stem, name, r, height, info["needed"][r]))
    assert not short
