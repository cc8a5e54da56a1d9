"""Hostile sheet XML (session 29's note, "Hostile sheets"): what the print and protection checks read of a sheet part
is what the screen's parser read of it, wherever the parser read the part.

1. A sheet's own sheetProtection, pageSetup, pageMargins, dimension and sheetFormatPr were found by a raw byte search
   even in a part the parser read: a fake one in a comment, a processing instruction or a CDATA section before the
   real one (or instead of it) was taken for the sheet's (template.unprotected said of a protected sheet, or not said
   of an unprotected one; a page or a default row height not the sheet's).

2. (A row or cell written twice in a part in standard form is still refused only where a check looks that tag up:
   placing every tag of such a part costs some 9 % of a goal table's instructions; see the branch's report.)
3. A cell's style index written otherwise than plainly (`` s=" 7"``, ``+7``, ``07``) is the style Excel and
   LibreOffice show the cell in (XML Schema's unsignedInt; LibreOffice seen showing the date of ``s=" 7"`` and
   ``s="+7"``); the screen's facts (percent cells) read ``s=" 16"`` as no style, the date check read ``+7`` as none.
   Cell tags without r, and prefixed ``<x:c>`` ones, were already placed as calamine and LibreOffice place them
   (the parser's tags, since mendEK): kept so here.

Each hostile file is a workbook xlgoals wrote (a template, and a return filled from an example document) with one
sheet part rewritten inside the zip."""

import json
import re
import zipfile

import pytest

from xlgoals import fill, validate_file, write_template

from .conftest import EXAMPLE_JSON

INFO, TABLE = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"  # 项目信息, 绩效指标


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """A blank template (`xlgoals template`), a return filled from the second example, and the same return with a
    unit's name long enough that the indicator sheet's caption takes two lines."""
    folder = tmp_path_factory.mktemp("mendEO")
    doc = json.loads(EXAMPLE_JSON[1].read_text(encoding="utf-8"))
    long_unit = dict(doc, unit="上海市就业促进中心" * 6)
    return {"template": write_template(folder / "template.xlsx"), "filled": fill(doc, folder / "filled.xlsx"),
            "long_caption": fill(long_unit, folder / "long_caption.xlsx")}


def rezip(src, dst, edits):
    """A copy of `src` with parts changed: part -> [(old, new)], each old a bytes pattern found once at least (its
    first match replaced by new, which may refer to its groups)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for old, new in edits.get(info.filename, ()):
                data, n = re.subn(old, new, data, count=1)
                assert n == 1, (info.filename, old)
            zout.writestr(info.filename, data)
    return dst


def said(path, codes):
    """(code, sheet, cell) of each problem of `path` whose code is one of `codes` or a file.* one."""
    return [(p.code, p.sheet, p.cell) for p in validate_file(path).problems
            if p.code in codes or p.code.startswith("file.")]


PROTECTION = rb"<sheetProtection [^>]*/>"

PROTECTIONS = {  # (the edit of 项目信息's part, whether the sheet is protected as Excel reads it)
    "fake_protection_in_comment_real_removed": (rb'<!-- <sheetProtection sheet="1"/> -->', False),
    "fake_protection_in_processing_instruction": (rb'<?x <sheetProtection sheet="1"/>?>', False),
    "fake_unprotection_in_comment_before_real": (rb'<!-- <sheetProtection sheet="0"/> -->\g<0>', True),
    "fake_unprotection_in_cdata_before_real": (rb'<!-- --><![CDATA[<sheetProtection sheet="0"/>]]>\g<0>', True),
}


@pytest.mark.parametrize("variant", sorted(PROTECTIONS))
def test_protection_is_the_sheets_own_not_one_in_a_comment(made, tmp_path, variant):
    """On main the first ``<sheetProtection`` bytes were read, a fake's in a comment or processing instruction: an
    unprotected sheet passed as protected, a protected one was said unprotected."""
    edit, protected = PROTECTIONS[variant]
    f = rezip(made["template"], tmp_path / "t.xlsx", {INFO: [(PROTECTION, edit)]})
    expected = [] if protected else [("template.unprotected", "项目信息", "")]
    assert said(f, {"template.unprotected"}) == expected


ROW15 = rb'<row r="15" spans="1:2" ht="150">'  # 项目信息's row 15 (B15: a long text)


def _row15(height):
    return ROW15, b'<row r="15" spans="1:2" ht="%d" customHeight="1">' % height


def _before(pattern, fake):
    return pattern, fake + rb"\g<0>"


PAGES = {  # (edits of 项目信息's part, whether the print area is taken away, what is said as Excel prints the sheet)
    # a 700 pt row fits the A4 portrait page (741 pt); a fake landscape page in a comment (494 pt) did not hold it
    "fake_landscape_page_setup_in_comment": (
        [_row15(700), _before(rb"<pageSetup [^>]*/>",
                              b'<!-- <pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/> -->')],
        False, []),
    # an 800 pt row (only LibreOffice grows one) is beyond the A4 page at Excel's scale, said to check in the print
    # preview (cell.row_may_pass_page, LibreOffice's own scale unknown); fake margins of 0 in a processing instruction made it 842 pt
    "fake_margins_in_processing_instruction": (
        [_row15(800), _before(rb"<pageMargins [^>]*/>", b'<?x <pageMargins left="0" right="0" top="0" bottom="0" '
                                                         b'header="0" footer="0"/>?>')],
        False, [("cell.row_may_pass_page", "项目信息", "B15")]),
    # no print area: the sheet fits the columns its dimension spans to the page; a fake 26 columns' in a comment
    # shrank the page's scale, a page that held the 800 pt row (said nothing)
    "fake_dimension_in_comment": (
        [_row15(800), _before(rb"<dimension [^>]*/>", b'<!-- <dimension ref="A1:Z26"/> -->')],
        True, [("cell.row_may_pass_page", "项目信息", "B15")]),
}
CUSTOM_VIEW = (b'<customSheetViews><customSheetView guid="{00000000-0000-0000-0000-000000000001}">'
               b'<pageSetup paperSize="9" fitToHeight="0" orientation="landscape"/></customSheetView></customSheetViews>')
# a custom view's own page (Excel's 视图 › 自定义视图, written before the sheet's) is none of the sheet's: a 700 pt row
# fits the sheet's page.  (<customSheetViews is no canonical cell tag: the screen's parser reads such a part.)
PAGES["custom_view_page_setup"] = ([_row15(700), _before(rb"<mergeCells ", CUSTOM_VIEW)], False, [])


@pytest.mark.parametrize("variant", sorted(PAGES))
def test_page_is_the_sheets_own_page_setup(made, tmp_path, variant):
    """On main the first ``<pageSetup``, ``<pageMargins``, ``<dimension`` bytes were read, a fake's in a comment or
    a processing instruction: a row beyond the page passed, or a row that fits was said beyond it."""
    edits, no_print_area, expected = PAGES[variant]
    parts = {INFO: edits}
    if no_print_area:
        parts["xl/workbook.xml"] = [(rb'<definedName name="_xlnm.Print_Area"[^<]*</definedName>', b"")]
    f = rezip(made["filled"], tmp_path / "p.xlsx", parts)
    assert said(f, {"cell.row_beyond_page", "cell.row_may_pass_page"}) == expected


def test_default_row_height_is_the_sheets_own(made, tmp_path):
    """The caption row of 绩效指标 without a height of its own shows at the sheet's default (15 pt): its two lines
    are cut on paper.  On main a fake ``<sheetFormatPr defaultRowHeight="60"/>`` in a comment before the real one
    was read: nothing said."""
    f = rezip(made["long_caption"], tmp_path / "c.xlsx", {TABLE: [
        (rb'(<row r="2" spans="1:7") ht="[0-9.]+" customHeight="1"', rb"\1"),
        _before(rb'<sheetFormatPr defaultRowHeight="15"/>', b'<!-- <sheetFormatPr defaultRowHeight="60"/> -->')]})
    assert said(f, {"cell.row_too_short"}) == [("cell.row_too_short", "绩效指标", "A2")]


B6 = rb'<c r="B6" s="7"><v>43831</v></c>'  # 项目信息!B6 计划开始日期, the date 2020-01-01 in the date style (7)
PARSED = (rb"<sheetData>", b"<sheetData><!-- -->")  # a comment: the part goes to the screen's parser
X_NAMESPACE = (rb"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')
DATES = {  # the edits of 项目信息's part; whether B6 is said to show its serial (43831) on paper
    "s_space": ([(B6, b'<c r="B6" s=" 7"><v>43831</v></c>')], False),
    "s_plus": ([(B6, b'<c r="B6" s="+7"><v>43831</v></c>')], False),
    "s_plus_parsed": ([(B6, b'<c r="B6" s="+7"><v>43831</v></c>'), PARSED], False),
    "s_leading_zero": ([(B6, b'<c r="B6" s="07"><v>43831</v></c>')], False),
    # (already read so on main: kept)
    "general_no_r": ([(B6, b"<c><v>43831</v></c>")], True),
    "general_x_prefix": ([(B6, b'<x:c r="B6"><x:v>43831</x:v></x:c>'), X_NAMESPACE], True),
    "date_no_r_x_prefix": ([(B6, b'<x:c s="7"><x:v>43831</x:v></x:c>'), X_NAMESPACE], False),
}


@pytest.mark.parametrize("variant", sorted(DATES))
def test_a_date_cells_style_is_read_as_excel_and_libreoffice_read_it(made, tmp_path, variant):
    """On main ``s="+7"`` was read as no style: the date LibreOffice shows was said to print as its serial."""
    edits, serial = DATES[variant]
    f = rezip(made["filled"], tmp_path / "d.xlsx", {INFO: edits})
    assert said(f, {"cell.date_serial"}) == ([("cell.date_serial", "项目信息", "B6")] if serial else [])


PERCENT_STYLE = [  # styles.xml: style 15, 0% (an input cell's fill and border)
    (rb'<cellXfs count="15">', b'<cellXfs count="16">'),
    (rb"</cellXfs>", b'<xf numFmtId="9" fontId="0" fillId="4" borderId="1" xfId="0" applyNumberFormat="1" '
                     b'applyFill="1" applyBorder="1" applyProtection="1"><protection locked="0"/></xf></cellXfs>')]
B10 = rb'<c r="B10" s="9"><v>146407273</v></c>'  # 项目信息!B10 项目总预算（元）


@pytest.mark.parametrize("style, where", [(b"15", "canonical"), (b"15", "parsed"), (b" 15", "canonical"),
                                          (b" 15", "parsed"), (b"+15", "canonical"), (b"+15", "parsed"),
                                          (b"015", "parsed")])
def test_an_amount_in_a_percent_style_however_its_index_is_written(made, tmp_path, style, where):
    """0.5 in the 0% style prints 50%: said (cell.amount_percent) however the style index is written.  On main only
    ``s="15"`` was: the screen's percent cells took `` 15``, ``+15`` and ``015`` for no style of theirs.  (``015``
    in a part otherwise in standard form is still not found: see _screen._PLAIN_S)"""
    edits = [(B10, b'<c r="B10" s="%s"><v>0.5</v></c>' % style)] + ([PARSED] if where == "parsed" else [])
    f = rezip(made["filled"], tmp_path / "p.xlsx", {INFO: edits, "xl/styles.xml": PERCENT_STYLE})
    assert said(f, {"cell.amount_percent"}) == [("cell.amount_percent", "项目信息", "B10")]
