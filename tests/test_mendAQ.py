"""Red-team 23b (files from other programs): what prints against what is read on the information sheet and print
areas (F08 hidden field rows, F04 a print area leaving filled cells off the paper), and pictures placed in a cell
(F05: WPS's DISPIMG, Excel 365's Place in Cell)."""

import json
import re
import zipfile

import openpyxl
import pytest

from xlgoals import FORMS, read
from xlgoals._form import a1

from .conftest import cli
from .helpers import EXAMPLE_FORMS, example_return


def _codes(path, code):
    return [(p.sheet, p.cell) for p in read(path).problems if p.code == code]


def _hide_info_row(src, dst, form_id, r, how="hidden"):
    """The example return with row `r` (0-based) of its information sheet hidden, or dragged to no height."""
    wb = openpyxl.load_workbook(src)
    dim = wb[EXAMPLE_FORMS[form_id].info.name].row_dimensions[r + 1]
    if how == "hidden":
        dim.hidden = True
        wb.save(dst)
        return dst
    dim.height = 1  # (openpyxl writes no height of 0: made 0 in the part below, as Excel saves a row dragged shut)
    wb.save(tmp := dst.with_name("tmp-" + dst.name))
    with zipfile.ZipFile(tmp) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name == "xl/worksheets/sheet2.xml":  # the information sheet
                tag = re.compile(rb'<row r="%d"[^>]*>' % (r + 1))
                data = tag.sub(lambda m: re.sub(rb' ht="[^"]*"', b"", m[0]).replace(b"<row ", b'<row ht="0" ', 1),
                               data, 1)
                assert b'ht="0"' in data
            out.writestr(name, data)
    return dst


@pytest.mark.parametrize("form_id", sorted(EXAMPLE_FORMS))
def test_every_filled_field_row_of_the_information_sheet_hidden_is_warned(tmp_path, form_id):
    """F08: a row of 项目信息 (自评信息 …) hidden while its field is filled (allowed on the protected sheet:
    formatRows) printed without it and was read silently, where the same on the indicator table is cell.hidden_row.
    Each field row of every form, hidden, is cell.hidden_row at its first filled field; an empty field row hidden
    is nothing."""
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    values = read(src).document
    assert not _codes(src, "cell.hidden_row")
    src_wb = openpyxl.load_workbook(src)[form.info.name]
    rows = sorted({f.row for f in form.fields})
    assert rows
    for r in rows:
        filled = [f for f in form.fields if f.row == r and src_wb.cell(r + 1, f.col + 1).value not in (None, "")]
        path = _hide_info_row(src, tmp_path / f"{form_id}-{r}.xlsx", form_id, r)
        found = _codes(path, "cell.hidden_row")
        if filled:
            first = min(filled, key=lambda f: f.col)
            assert found == [(form.info.name, a1(r, first.col))], (r, found)
        else:
            assert found == [], (r, found)
    assert values


@pytest.mark.parametrize("form_id, ref", [("goal-table", "B10"), ("goal-table", "B14"), ("self-evaluation", "B7")])
def test_a_hidden_information_row_through_the_cli(tmp_path, form_id, ref):
    """F08 as the red team met it: 项目总预算 hidden, 项目概况 of no height, a self-evaluation's funds line hidden:
    validate's JSON says cell.hidden_row at the cell, naming the field and the row, in zh and en."""
    form = EXAMPLE_FORMS[form_id]
    r = int(ref[1:]) - 1
    how = "height" if ref == "B14" else "hidden"
    path = _hide_info_row(example_return(form_id), tmp_path / "r.xlsx", form_id, r, how)
    out = tmp_path / "r.json"
    cli("validate", path, "--format", "json", "-o", out)
    problems = [p for f in json.loads(out.read_text(encoding="utf-8"))["files"] for p in f["problems"]
                if p["code"] == "cell.hidden_row"]
    assert [(p["sheet"], p["cell"]) for p in problems] == [(form.info.name, ref)], problems
    field = next(f for f in form.fields if f.row == r and f.col == 1)
    assert field.label in problems[0]["message"] and f"第 {r + 1} 行" in problems[0]["message"], problems[0]
    assert "指标" not in problems[0]["message"].replace(field.label, ""), problems[0]["message"]
    out_en = tmp_path / "en.json"
    cli("validate", path, "--format", "json", "--lang", "en", "-o", out_en)
    (en,) = [p for f in json.loads(out_en.read_text(encoding="utf-8"))["files"] for p in f["problems"]
             if p["code"] == "cell.hidden_row"]
    assert f"Row {r + 1}" in en["message"] and "indicator" not in en["message"], en["message"]
