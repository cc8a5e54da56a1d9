"""Red-team 31 r4 (files as other writers save them): XML variants of a real return that are valid OOXML and open
in LibreOffice — defined names in another case, booleans stored natively, formulas saved without their result."""

import re
import zipfile
from pathlib import Path

from xlgoals import read, validate_file

SRC = Path(__file__).resolve().parent.parent / "examples" / "returns" / "01_筹办第46届世界技能大赛.xlsx"


def _rewrite(dst: Path, part: str, fn, src: Path = SRC) -> Path:
    """A copy of `src` with `part` rewritten by fn(bytes) -> bytes (every other part kept as it was)."""
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            out.writestr(info.filename, fn(data) if info.filename == part else data)
    return dst


def _problems(path, code):
    return [p for p in read(path).problems if p.code == code]


def test_print_area_named_in_lower_case_is_the_print_area(tmp_path):
    """Defined names are case-insensitive: `_xlnm.print_area` cutting 项目信息 at row 10 is the print area
    LibreOffice prints (the rows below left off the paper) — said as for `_xlnm.Print_Area`."""
    old = '<definedName name="_xlnm.Print_Area" localSheetId="1">项目信息!$A$1:$B$24</definedName>'
    for name in ("_xlnm.Print_Area", "_xlnm.print_area", "_XLNM.PRINT_AREA"):
        new = f'<definedName name="{name}" localSheetId="1">项目信息!$A$1:$B$10</definedName>'
        path = _rewrite(tmp_path / f"{name}.xlsx", "xl/workbook.xml",
                        lambda d: d.decode().replace(old, new).encode())
        found = _problems(path, "cell.outside_print_area")
        assert found and {p.sheet for p in found} == {"项目信息"}, name


def test_native_booleans_read_as_the_client_shows_them(tmp_path):
    """t="b" cells print TRUE in Excel, WPS and LibreOffice: in the 是/否 field that is no 是 on the stamped paper
    (cell.bool, as LibreOffice's own re-save of it gets); in a text field the text read is TRUE, not Python's True."""
    procure = _rewrite(tmp_path / "b8.xlsx", "xl/worksheets/sheet2.xml",
                       lambda d: re.sub(rb'<c r="B8"[^>]*?(/>|>.*?</c>)', b'<c r="B8" s="8" t="b"><v>1</v></c>', d))
    (bad,) = _problems(procure, "cell.bool")
    assert (bad.sheet, bad.cell, bad.severity) == ("项目信息", "B8", "error")
    assert "TRUE" in str(bad.message)
    unit = _rewrite(tmp_path / "b3.xlsx", "xl/worksheets/sheet2.xml",
                    lambda d: re.sub(rb'<c r="B3"[^>]*?(/>|>.*?</c>)', b'<c r="B3" s="6" t="b"><v>1</v></c>', d))
    assert read(unit).document["unit"] == "TRUE"


def test_formula_saved_without_its_result_is_said_so_not_unfilled(tmp_path):
    """<f>B11</f> with no <v> (a generated or repaired file; the template has fullCalcOnLoad, so clients recompute
    and show a value): the file does not keep what the cell shows — said so, not “显示为“”” nor “必填项未填写”."""
    path = _rewrite(tmp_path / "f.xlsx", "xl/worksheets/sheet2.xml",
                    lambda d: re.sub(rb'<c r="B10"[^>]*?(/>|>.*?</c>)', b'<c r="B10" s="9"><f>B11</f></c>', d))
    problems = validate_file(path, isolated=False).problems
    (said,) = [p for p in problems if p.cell == "B10"]  # nothing else said of it (no “必填项未填写”)
    assert said.code == "cell.formula_result_unkept" and said.severity == "error" and "未保存" in str(said.message)
    # a formula that keeps its result (even an empty text) is the ordinary cell.formula warning
    kept = _rewrite(tmp_path / "k.xlsx", "xl/worksheets/sheet2.xml",
                    lambda d: re.sub(rb'<c r="B10"[^>]*?(/>|>.*?</c>)', b'<c r="B10" s="9"><f>B11</f><v>5</v></c>', d))
    assert [p.code for p in read(kept).problems if (p.sheet, p.cell) == ("项目信息", "B10")] == ["cell.formula"]


def _renamed(dst: Path, rename: dict, rewrite: dict) -> Path:
    """The example return with parts renamed (`rename`: old -> new name) and parts' bytes replaced (`rewrite`: part
    -> [(old bytes, new bytes)]), as another writer may save the same workbook."""
    with zipfile.ZipFile(SRC) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info.filename)
            for old, new in rewrite.get(info.filename, ()):
                assert old in data, (info.filename, old)
                data = data.replace(old, new)
            out.writestr(rename.get(info.filename, info.filename), data)
    return dst


def test_calamine_refusals_are_said_in_chinese(tmp_path):
    """A relationship target with ./ and ../ segments, and the shared strings under another part name: what the
    reader cannot open is said in Chinese (the English message keeps calamine's text), never calamine's raw text."""
    dotdot = _renamed(tmp_path / "dotdot.xlsx", {}, {"xl/_rels/workbook.xml.rels": [
        (b'Target="worksheets/sheet3.xml"', b'Target="./worksheets/../worksheets/sheet3.xml"')]})
    strings = _renamed(tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": "xl/strings.xml"}, {
        "xl/_rels/workbook.xml.rels": [(b'Target="sharedStrings.xml"', b'Target="strings.xml"')],
        "[Content_Types].xml": [(b"/xl/sharedStrings.xml", b"/xl/strings.xml")]})
    for path in (dotdot, strings):
        (p,) = read(path).problems
        zh = str(p.message)
        assert p.code == "file.corrupt" and not re.search(r"[A-Za-z]{6,}", zh.replace("Excel", "")), zh


def test_styles_part_under_another_name_is_found_through_the_relationships(tmp_path):
    """xl/Styles1.xml, the workbook's relationship naming it (valid OPC; LibreOffice opens it as usual): the styles
    are the file's all the same — its dates are dates (no false cell.date_serial), a 95% typed in a percent cell
    reads as the percent it shows, not 0.95."""
    def percent_target(d):  # the 2nd indicator's target typed as 95% in a cell of a percent style added
        n = int(re.search(rb'<cellXfs count="(\d+)"', d)[1])
        d = d.replace(b"</cellXfs>", b'<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" '
                                     b'applyNumberFormat="1"><protection locked="0"/></xf></cellXfs>')
        return d.replace(b'<cellXfs count="%d"' % n, b'<cellXfs count="%d"' % (n + 1)), n

    with zipfile.ZipFile(SRC) as z:
        old_styles, old_sheet3 = z.read("xl/styles.xml"), z.read("xl/worksheets/sheet3.xml")
    styles, n = percent_target(old_styles)
    sheet3 = re.sub(rb'<c r="F5"[^>]*?(/>|>.*?</c>)', b'<c r="F5" s="%d"><v>0.95</v></c>' % n, old_sheet3)
    rewrite = {"xl/styles.xml": [(old_styles, styles)], "xl/worksheets/sheet3.xml": [(old_sheet3, sheet3)]}
    usual = _renamed(tmp_path / "usual.xlsx", {}, rewrite)
    renamed = _renamed(tmp_path / "renamed.xlsx", {"xl/styles.xml": "xl/Styles1.xml"}, {
        **rewrite, "xl/_rels/workbook.xml.rels": [(b'Target="styles.xml"', b'Target="Styles1.xml"')],
        "[Content_Types].xml": [(b"/xl/styles.xml", b"/xl/Styles1.xml")]})
    a, b = read(usual), read(renamed)
    assert a.document["indicators"][1]["value"] == 95 and b.document == a.document
    assert [(p.code, p.cell) for p in b.problems] == [(p.code, p.cell) for p in a.problems]
    assert not [p for p in b.problems if p.code == "cell.date_serial"]


def test_iso_date_in_a_cell_of_no_date_format_is_a_serial_on_paper(tmp_path):
    """t="d" 2020-01-01 in the start date's cell given the text style (@): LibreOffice prints 43831, as for the
    serial stored as a number there — cell.date_serial alike, not a silent date."""
    def typed(cell):
        return lambda d: re.sub(rb'<c r="B6"[^>]*?(/>|>.*?</c>)', cell, d)
    iso = _rewrite(tmp_path / "iso.xlsx", "xl/worksheets/sheet2.xml",
                   typed(b'<c r="B6" s="6" t="d"><v>2020-01-01T00:00:00</v></c>'))
    serial = _rewrite(tmp_path / "serial.xlsx", "xl/worksheets/sheet2.xml", typed(b'<c r="B6" s="6"><v>43831</v></c>'))
    said = [[(p.cell, p.value, p.expected) for p in _problems(path, "cell.date_serial")] for path in (iso, serial)]
    assert said[0] == said[1] == [("B6", 43831, "2020-01-01")]


def test_workbook_part_under_another_name_is_no_zip_archive(tmp_path):
    """xl/workbook2.xml, _rels/.rels naming it (a valid package; LibreOffice opens it): not “识别为：zip 压缩包”
    but the reason in Chinese, naming the part."""
    path = _renamed(tmp_path / "wb2.xlsx", {"xl/workbook.xml": "xl/workbook2.xml",
                                            "xl/_rels/workbook.xml.rels": "xl/_rels/workbook2.xml.rels"}, {
        "_rels/.rels": [(b'Target="xl/workbook.xml"', b'Target="xl/workbook2.xml"')],
        "[Content_Types].xml": [(b"/xl/workbook.xml", b"/xl/workbook2.xml")]})
    (p,) = read(path).problems
    assert p.code == "file.part_renamed" and "xl/workbook2.xml" in str(p.message) and "压缩包" not in str(p.message)


def test_annotate_refusal_says_why(tmp_path):
    """t="d" holding 2020-13-45: validate locates cell.date_no_such_day, and the annotated copy openpyxl cannot make
    is refused with the reason in Chinese, not "the file cannot be opened"."""
    import pytest

    from xlgoals._check._annotate import Unannotatable, annotate

    path = _rewrite(tmp_path / "d.xlsx", "xl/worksheets/sheet2.xml", lambda d: re.sub(
        rb'<c r="B6"[^>]*?(/>|>.*?</c>)', b'<c r="B6" s="6" t="d"><v>2020-13-45</v></c>', d))
    report = validate_file(path, isolated=False)
    assert "cell.date_no_such_day" in [p.code for p in report.problems]
    with pytest.raises(Unannotatable) as why:
        annotate(report, tmp_path / "out")
    assert "日期" in str(why.value) and not list((tmp_path / "out").glob("*"))


def test_annotated_copy_of_a_return_with_its_styles_part_renamed(tmp_path):
    """xl/Styles1.xml: openpyxl reads xl/styles.xml only; the copy is made from the styles given their usual name in
    the copy (the received file untouched), its cells keeping their formats."""
    import openpyxl

    from xlgoals._check._annotate import annotate

    path = _renamed(tmp_path / "s.xlsx", {"xl/styles.xml": "xl/Styles1.xml"}, {
        "xl/_rels/workbook.xml.rels": [(b'Target="styles.xml"', b'Target="Styles1.xml"')],
        "[Content_Types].xml": [(b"/xl/styles.xml", b"/xl/Styles1.xml")]})
    path = _rewrite(tmp_path / "s2.xlsx", "xl/worksheets/sheet2.xml", lambda d: re.sub(  # an error to mark
        rb'<c r="B8"[^>]*?(/>|>.*?</c>)', b'<c r="B8" s="8" t="b"><v>1</v></c>', d), src=path)
    before = path.read_bytes()
    report = validate_file(path, isolated=False)
    assert report.problems
    copy = annotate(report, tmp_path / "out")
    assert copy is not None and path.read_bytes() == before
    assert openpyxl.load_workbook(copy)["项目信息"]["B6"].number_format == \
        openpyxl.load_workbook(SRC)["项目信息"]["B6"].number_format
