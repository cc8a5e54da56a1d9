"""An indicator row whose only entries are error values (#REF!, #N/A …: a broken formula, a pasted error) is a row the
department wrote: it was read as an empty row and dropped, with no problem said.  It is kept, and each error cell is
a located cell.error_value, in every form and every format the reader takes."""

import struct

import openpyxl
import pytest

from xlgoals import read, validate_file, write_template
from xlgoals._form import a1

from .helpers import EXAMPLE_FORMS, F, edited_return, example_return
from .test_xls import LO_XLS, cell_record, rewrite_records


def _errors_at(problems, sheet: str) -> list[str]:
    return sorted(p.cell for p in problems if p.code == "cell.error_value" and p.sheet == sheet)


def test_a_blank_template_row_of_error_values_is_kept_and_each_error_said(tmp_path):
    """绩效指标!D13 (三级指标) and F13 (年度指标值) of a blank template showing #REF! and #N/A: no indicator, no
    problem at all.  Now the row is an indicator, and each of the two cells is a cell.error_value."""
    src = write_template(tmp_path / "blank.xlsx", framework="shanghai-2020", year=2020)
    wb = openpyxl.load_workbook(src)
    ws = wb[F.table.name]
    first = F.table.first_row + 1  # 1-based sheet row of the first blank row below the prefilled ones
    while any(ws.cell(first, c.index + 1).value not in (None, "") for c in F.columns() if c.kind != "seq"):
        first += 1
    name, target = (a1(first - 1, F.column(k).index) for k in ("name", "target"))
    ws[name].value, ws[name].data_type = "#REF!", "e"
    ws[target].value, ws[target].data_type = "#N/A", "e"
    wb.save(tmp_path / "err.xlsx")
    before = len(read(src).document["indicators"])
    result = read(tmp_path / "err.xlsx")
    assert len(result.document["indicators"]) == before + 1, result.document["indicators"]
    assert _errors_at(result.problems, F.table.name) == sorted([name, target]), result.problems
    assert result.sources[f"/indicators/{before}/name"] == f"{F.table.name}!{name}"
    report = validate_file(tmp_path / "err.xlsx")
    assert _errors_at(report.problems, F.table.name) == sorted([name, target]), report.problems
    assert not report.passes()


@pytest.mark.parametrize("form_id", ["goal-table", "self-evaluation", "monitoring"])
def test_an_indicator_row_all_error_values_is_kept_in_every_form(tmp_path, form_id):
    """Every input cell of an example return's indicator row an error value: the row was dropped (one indicator
    fewer, nothing said); it is kept, each of its cells an error located at its cell."""
    form = EXAMPLE_FORMS[form_id]
    i = 2
    keys = [c.key for c in form.columns() if c.kind != "seq"]
    path = edited_return(tmp_path, form_id, {(i, k): "#REF!" for k in keys})
    before = len(read(example_return(form_id)).document[form.table.item_path.strip("/")])
    result = read(path)
    assert len(result.document[form.table.item_path.strip("/")]) == before, result.problems
    want = sorted(a1(form.table.first_row + i, form.column(k).index) for k in keys)
    # an approved row's locked cells (a self-evaluation's, a monitoring report's): their values gone, to be restored,
    # said once, at the first, naming them all (template.locked_row_unread; test_locked_cells_unread), each covered
    locked = [a1(form.table.first_row + i, form.column(k).index) for k in keys
              if form.column(k).locked and not form.table.insert_rows]
    assert _errors_at(result.problems, form.table.name) == sorted(set(want) - set(locked)), result.problems
    unread = [p for p in result.problems if p.code == "template.locked_row_unread"]
    assert [p.cell for p in unread] == locked[:1], result.problems
    assert result.sources.covered == {(form.table.name, cell) for cell in locked}, result.sources.covered


def test_an_xls_row_of_error_values_is_kept(tmp_path):
    """An .xls (BOOLERR records with the error flag, as Excel saves #REF!) with an indicator row whose every
    cell but its 序号 shows an error: kept, each cell said."""
    i = 4
    r = F.table.first_row + i
    cols = [c.index for c in F.columns() if c.kind != "seq"]
    changed = []

    def edit(records):
        for c in cols:
            j = cell_record(records, F.table.name, r, c)
            rid, body = records[j]
            if len(body) < 8:  # a BLANK cell (too short for a BOOLERR in place): left blank
                continue
            xf = body[4:6]
            records[j] = [0x0205, struct.pack("<HH", r, c) + xf + b"\x17\x01" + b"\x00" * (len(body) - 8)]  # #REF!
            changed.append(a1(r, c))
        return records

    bad = rewrite_records(LO_XLS, tmp_path / "ref.xls", edit)
    assert changed
    before = len(read(LO_XLS).document["indicators"])
    result = read(bad)
    assert len(result.document["indicators"]) == before, result.problems
    assert _errors_at(result.problems, F.table.name) == sorted(changed), result.problems


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_row_of_error_values_saved_by_libreoffice_is_kept(tmp_path, lo_convert, fmt):
    """The blank template's row of #REF! and #N/A, opened and saved by LibreOffice as .xls and .ods: kept, each
    error said, as in the .xlsx."""
    src = write_template(tmp_path / "blank.xlsx", framework="shanghai-2020", year=2020)
    before = len(read(src).document["indicators"])
    r = F.table.first_row + before  # 0-based: the first blank row
    wb = openpyxl.load_workbook(src)
    ws = wb[F.table.name]
    name, target = (a1(r, F.column(k).index) for k in ("name", "target"))
    ws[name].value, ws[name].data_type = "#REF!", "e"
    ws[target].value, ws[target].data_type = "#N/A", "e"
    wb.save(tmp_path / "err.xlsx")
    (out,) = lo_convert(tmp_path / "err.xlsx", fmt=fmt)
    result = read(out)
    assert len(result.document["indicators"]) == before + 1, result.problems
    assert _errors_at(result.problems, F.table.name) == sorted([name, target]), result.problems


def test_an_error_value_beside_the_total_line_is_said(tmp_path):
    """#REF! in the 偏差原因 cell of a self-evaluation's 总分 line: the line was taken for the total and the error
    not read.  As anything typed beside 总分, it is read as a row, and the error is said at its cell."""
    form = EXAMPLE_FORMS["self-evaluation"]
    n = len(read(example_return("self-evaluation")).document["indicators"])
    path = edited_return(tmp_path, "self-evaluation", {(n, "deviation"): "#REF!"})
    cell = a1(form.table.first_row + n, form.column("deviation").index)
    assert _errors_at(read(path).problems, form.table.name) == [cell]


def test_an_error_value_beside_or_below_the_form_is_said_not_dropped(tmp_path):
    """#REF! to the right of the indicator table, and below the information sheet's last row: read as empty, not
    a word said (a text there is cell.outside, cell.below).  Each is now that warning, at the error's cell."""
    wb = openpyxl.load_workbook(example_return("goal-table"))
    last = max(c.index for c in F.columns())
    beside = a1(F.table.first_row + 3, last + 1)
    below = a1(F.info.end_row + 2, 1)
    for sheet, ref in ((F.table.name, beside), (F.info.name, below)):
        wb[sheet][ref].value, wb[sheet][ref].data_type = "#REF!", "e"
    wb.save(tmp_path / "r.xlsx")
    found = [(p.code, p.sheet, p.cell) for p in read(tmp_path / "r.xlsx").problems]
    assert ("cell.outside", F.table.name, beside) in found, found
    assert ("cell.below", F.info.name, below) in found, found



def test_failing_formulas_typed_in_libreoffice_into_a_blank_row_are_kept_as_typed(tmp_path, lo_edit):
    """A department types formulas that would fail (=1/0, =NA()) into 三级指标 and 年度指标值 of a blank row of the
    template, through LibreOffice's own input (.uno:EnterString): the template's text cells keep what was typed as
    text (no error value arises there), and the row is read, not dropped.  Error values in such cells come from
    pasting or other tools (the tests above)."""
    src = write_template(tmp_path / "blank.xlsx", framework="shanghai-2020", year=2020)
    before = len(read(src).document["indicators"])
    ws = openpyxl.load_workbook(src)[F.table.name]
    first = F.table.first_row + 1
    while any(ws.cell(first, c.index + 1).value not in (None, "") for c in F.columns() if c.kind != "seq"):
        first += 1
    name, target = (a1(first - 1, F.column(k).index) for k in ("name", "target"))
    out = lo_edit(src, tmp_path / "typed.xlsx", [{"sheet": F.table.name, "cell": name, "input": "=1/0"},
                                                  {"sheet": F.table.name, "cell": target, "input": "=NA()"}])
    result = read(out)
    assert len(result.document["indicators"]) == before + 1, result.document["indicators"]
    assert result.document["indicators"][before]["name"] == "=1/0"
    assert result.sources[f"/indicators/{before}/name"] == f"{F.table.name}!{name}"
