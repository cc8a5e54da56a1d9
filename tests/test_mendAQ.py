"""Red-team 23b (files from other programs): what prints against what is read on the information sheet and print
areas (F08 hidden field rows, F04 a print area leaving filled cells off the paper), and pictures placed in a cell
(F05: WPS's DISPIMG, Excel 365's Place in Cell)."""

import json
import re
import struct
import zipfile
from pathlib import Path

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


_PIC_ID = "ID_6B0C9B1A2F3E4D5C8A7B6C5D4E3F2A1B"


def _zip_edit(src, dst, edits: dict, add: dict = None):
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name in z.namelist():
            data = z.read(name)
            if name in edits:
                data = edits[name](data.decode("utf-8")).encode("utf-8")
            out.writestr(name, data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return dst


def _cell_as(xml: str, ref: str, cell: str) -> str:
    """Sheet XML with cell `ref` written as `cell` (its attributes and content after the r and s)."""
    tag = re.compile(r'<c r="%s"( s="[0-9]+")?[^>]*?(?:/>|>.*?</c>)' % ref)
    assert tag.search(xml), ref
    return tag.sub(lambda m: f'<c r="{ref}"{m[1] or ""}{cell}', xml, 1)


def _wps_picture(src, dst, refs):
    """As WPS saves a picture put into cells (嵌入单元格图片): a DISPIMG formula in each, the picture in
    xl/cellimages.xml."""
    cell = f' t="str"><f>_xlfn.DISPIMG("{_PIC_ID}",1)</f><v>=DISPIMG("{_PIC_ID}",1)</v></c>'
    images = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<etc:cellImages '
              'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"><etc:cellImage><xdr:pic><xdr:nvPicPr>'
              f'<xdr:cNvPr id="2" name="{_PIC_ID}"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill/><xdr:spPr/></xdr:pic>'
              '</etc:cellImage></etc:cellImages>')

    def sheet(xml):
        for ref in refs:
            xml = _cell_as(xml, ref, cell)
        return xml

    return _zip_edit(src, dst, {
        "xl/worksheets/sheet2.xml": sheet,
        "xl/_rels/workbook.xml.rels": lambda x: x.replace("</Relationships>", '<Relationship Id="rId99" Type="http://'
                                                          'www.wps.cn/officeDocument/2020/cellImage" Target="cellimages.xml"/>'
                                                          "</Relationships>"),
        "[Content_Types].xml": lambda x: x.replace("</Types>", '<Override PartName="/xl/cellimages.xml" ContentType='
                                                   '"application/vnd.wps-officedocument.cellimage+xml"/></Types>')},
        {"xl/cellimages.xml": images})


def _excel_picture(src, dst, refs):
    """As Excel 365 saves a picture placed in cells (Place in Cell): an error value #VALUE! with a value-metadata
    index (vm) to the rich value holding the picture (its xl/richData parts are not needed to tell it)."""
    cell = ' t="e" vm="1"><v>#VALUE!</v></c>'

    def sheet(xml):
        for ref in refs:
            xml = _cell_as(xml, ref, cell)
        return xml

    return _zip_edit(src, dst, {"xl/worksheets/sheet2.xml": sheet})


def _validate_json(path, tmp_path, lang="zh"):
    out = tmp_path / f"v-{lang}.json"
    cli("validate", path, "--format", "json", "--lang", lang, "-o", out)
    (f,) = json.loads(out.read_text(encoding="utf-8"))["files"]
    return f


@pytest.mark.parametrize("make", [_wps_picture, _excel_picture], ids=["wps-dispimg", "excel365-place-in-cell"])
def test_a_picture_placed_in_a_field_cell_is_said_to_be_a_picture(tmp_path, make):
    """F05: a scanned signature placed into 单位负责人 (B23): WPS's was read as the head's name '=DISPIMG("ID_…",1)'
    with 'this is a formula', Excel 365's said 'shows the error value #VALUE!': neither said it is a picture.  Now
    cell.picture at the cell (a picture is no value of a field: type it), nothing read there, nothing else
    said of it; the same picture in the seal area (B24, no field) is passed over as before.  (单位负责人 is optional:
    its picture is cell.picture_optional, a warning, since mendAX; a required field's stays the error there.)"""
    src = example_return("goal-table")
    path = make(src, tmp_path / "r.xlsx", ["B23", "B24"])
    doc = read(path).document
    assert doc.get("contact", {}).get("head") is None, doc.get("contact")
    f = _validate_json(path, tmp_path)
    at_cells = [(p["code"], p["severity"], p["sheet"], p["cell"]) for p in f["problems"] if p["cell"] in ("B23", "B24")]
    assert at_cells == [("cell.picture_optional", "warning", "项目信息", "B23")], at_cells
    (p,) = [p for p in f["problems"] if p["code"] == "cell.picture_optional"]
    assert "单位负责人" in p["message"] and "图片" in p["message"] and "DISPIMG" not in p["message"], p["message"]
    assert "#VALUE!" not in p["message"], p["message"]
    (en,) = [p for p in _validate_json(path, tmp_path, "en")["problems"] if p["code"] == "cell.picture_optional"]
    assert "picture" in en["message"] and "type" in en["message"], en["message"]


def test_a_dispimg_text_typed_is_no_picture_and_an_error_value_without_rich_value_stays_one(tmp_path):
    """What is no picture stays as it was: #VALUE! with no value metadata is cell.error_value."""
    src = example_return("goal-table")
    path = _zip_edit(src, tmp_path / "e.xlsx", {"xl/worksheets/sheet2.xml": lambda x: _cell_as(
        x, "B23", ' t="e"><v>#VALUE!</v></c>')})
    assert [(p.code, p.cell) for p in read(path).problems if p.cell == "B23"] == [("cell.error_value", "B23")]


def _with_print_area(src, dst, edit):
    return _zip_edit(src, dst, {"xl/workbook.xml": edit})


_TABLE_AREA = ("绩效指标 printed to row 10", lambda x: x.replace(
    "</definedNames>", '<definedName name="_xlnm.Print_Area" localSheetId="2">绩效指标!$A$1:$G$10</definedName>'
    "</definedNames>"))
_INFO_AREA = ("项目信息 cut to A1:B13", lambda x: x.replace("项目信息!$A$1:$B$24", "项目信息!$A$1:$B$13"))


def test_our_templates_print_areas_say_nothing(tmp_path):
    """The 项目信息 print area the template sets (the stamp below it, off the paper) is no problem: nothing filled is
    outside it, in the example returns of every form."""
    for form_id in EXAMPLE_FORMS:
        path = example_return(form_id)
        assert b"_xlnm.Print_Area" in zipfile.ZipFile(path).read("xl/workbook.xml"), form_id
        assert _codes(path, "cell.outside_print_area") == [], form_id


@pytest.mark.parametrize("case", [_TABLE_AREA, _INFO_AREA], ids=lambda c: c[0])
def test_a_print_area_leaving_filled_cells_off_the_paper_is_warned(tmp_path, case):
    """F04: a print area the department set (Page Layout > Print Area; WPS 设置打印区域) leaving indicators 8–27, or
    the narratives and the signature block, off the paper was read with nothing said.  Now cell.outside_print_area,
    a warning at the first filled cell left off, saying how many are, and to clear the print area."""
    src = example_return("goal-table")
    doc = read(src).document
    path = _with_print_area(src, tmp_path / "r.xlsx", case[1])
    f = _validate_json(path, tmp_path)
    found = [p for p in f["problems"] if p["code"] == "cell.outside_print_area"]
    assert len(found) == 1, [(p["code"], p["cell"]) for p in f["problems"]]
    (p,) = found
    assert p["severity"] == "warning"
    if case is _TABLE_AREA:
        # the first cell off the paper: row 11's first filled input cell (the 序号 column A prints nothing read)
        rows = [r for r in range(10, 10 + len(doc["indicators"]))]
        assert p["sheet"] == "绩效指标" and p["cell"].endswith("11") and rows, p
    else:
        assert (p["sheet"], p["cell"]) == ("项目信息", "B14"), p
    sheet = openpyxl.load_workbook(src)[p["sheet"]]
    form = EXAMPLE_FORMS["goal-table"]
    if p["sheet"] == "项目信息":
        off = [f for f in form.fields if f.row >= 13 and sheet.cell(f.row + 1, f.col + 1).value not in (None, "")]
    else:
        cols = [c.index for c in form.columns() if c.kind != "seq"]
        off = [(r, c) for r in range(10, sheet.max_row) for c in cols
               if sheet.cell(r + 1, c + 1).value not in (None, "") and r < form.table.first_row + len(doc["indicators"])]
    assert f"{len(off)} 个" in p["message"] and "打印区域" in p["message"], (len(off), p["message"])
    (en,) = [q for q in _validate_json(path, tmp_path, "en")["problems"] if q["code"] == "cell.outside_print_area"]
    assert f"{len(off)} filled cells" in en["message"] and "print area" in en["message"], en["message"]


def test_an_ods_print_range_leaving_fields_off_the_paper_is_warned(tmp_path):
    """F04 in an .ods (LibreOffice's Format > Print Ranges: table:print-ranges): the same warning; the range the
    template set, as LibreOffice keeps it, says nothing."""
    src = Path(__file__).parent / "fixtures" / "goal-table-lo.ods"
    assert _codes(src, "cell.outside_print_area") == []
    path = tmp_path / "r.ods"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(path, "w") as out:
        for info in z.infolist():
            data = z.read(info.filename)
            if info.filename == "content.xml":
                data = data.replace("项目信息.A1:项目信息.B24".encode(), "项目信息.A1:项目信息.B9".encode())
            out.writestr(info, data)
    assert _codes(path, "cell.outside_print_area") == [("项目信息", "B10")]


@pytest.mark.parametrize("make", [_wps_picture, _excel_picture], ids=["wps-dispimg", "excel365-place-in-cell"])
def test_a_picture_in_an_indicator_cell_is_said_there(tmp_path, make):
    """F05 on the indicator table: a picture put into an indicator's 三级指标 cell is cell.picture there (not the
    text '=DISPIMG(…)' read as the indicator's name, not 'error value #VALUE!')."""
    form = EXAMPLE_FORMS["goal-table"]
    ref = a1(form.table.first_row + 2, form.column("name").index)
    src = example_return("goal-table")

    def onto_table(s, d, refs):  # (the helpers edit sheet2.xml, the information sheet: here sheet3.xml)
        tmp = make(s, tmp_path / "tmp.xlsx", [])
        with zipfile.ZipFile(tmp) as z:
            xml = z.read("xl/worksheets/sheet3.xml").decode("utf-8")
        cell = (f' t="str"><f>_xlfn.DISPIMG("{_PIC_ID}",1)</f><v>=DISPIMG("{_PIC_ID}",1)</v></c>'
                if make is _wps_picture else ' t="e" vm="1"><v>#VALUE!</v></c>')
        return _zip_edit(tmp, d, {"xl/worksheets/sheet3.xml": lambda x: _cell_as(xml, refs[0], cell)})

    path = onto_table(src, tmp_path / "r.xlsx", [ref])
    problems = read(path).problems
    assert [(p.code, p.sheet, p.cell) for p in problems if p.cell == ref] == [("cell.picture", form.table.name, ref)]
    assert "第3条指标" in next(p.message for p in problems if p.code == "cell.picture")


def test_an_xls_print_area_leaving_fields_off_the_paper_is_warned(tmp_path):
    """F04 in an .xls (its built-in NAME Print_Area, as LibreOffice writes it): the same warning; the template's
    own print area, as LibreOffice keeps it, says nothing."""
    from xlgoals._read._biff import _records, compound_streams

    src = Path(__file__).parent / "fixtures" / "self-evaluation-lo.xls"
    form = EXAMPLE_FORMS["self-evaluation"]
    assert _codes(src, "cell.outside_print_area") == []
    data = src.read_bytes()
    stream = compound_streams(data)[0]
    (body,) = [b for rid, b in _records(stream, 0) if rid == 0x18 and b[0] & 0x20 and b[15] == 0x06]
    assert data.count(body) == 1
    rows_at = 16 + 3  # the tArea3d's first and last rows, after the name's one character and the token and ixti
    first, last = struct.unpack_from("<HH", body, rows_at)
    assert (first, last) == (0, 17), (first, last)
    cut = body[:rows_at + 2] + struct.pack("<H", 8) + body[rows_at + 4:]  # printed to row 9
    path = tmp_path / "r.xls"
    path.write_bytes(data.replace(body, cut))
    off = {a1(f.row, f.col) for f in form.fields if f.row > 8}
    found = _codes(path, "cell.outside_print_area")
    assert len(found) == 1 and found[0][0] == form.info.name and found[0][1] in off, found


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_an_information_row_hidden_in_libreoffice_is_said_in_every_format(tmp_path, lo_edit, fmt):
    """F08 as LibreOffice saves it (Format › Rows › Hide on 项目信息's 项目总预算 row), in .xlsx, .ods and .xls:
    cell.hidden_row at B10, the budget still read."""
    from .conftest import EXAMPLE_XLSX

    form = FORMS["goal-table"]
    src = EXAMPLE_XLSX[1]
    edits = [{"sheet": form.info.name, "unprotect": True}, {"sheet": form.info.name, "cell": "B10", "hide_rows": True}]
    out = lo_edit(src, tmp_path / f"hidden.{fmt}", edits, fmt=fmt)
    r = read(out)
    assert r.document["budget"] == read(src).document["budget"]
    assert [(p.sheet, p.cell) for p in r.problems if p.code == "cell.hidden_row"] == [(form.info.name, "B10")]
