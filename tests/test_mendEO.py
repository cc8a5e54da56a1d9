"""Hostile sheet XML (session 29's note, "Hostile sheets"): what the print and protection checks read of a sheet part
is what the screen's parser read of it, wherever the parser read the part.

1. A sheet's own sheetProtection, pageSetup, pageMargins, dimension and sheetFormatPr were found by a raw byte search
   even in a part the parser read: a fake one in a comment, a processing instruction or a CDATA section before the
   real one (or instead of it) was taken for the sheet's (template.unprotected said of a protected sheet, or not said
   of an unprotected one; a page or a default row height not the sheet's).

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
    # an 800 pt row is beyond the page; fake margins of 0 in a processing instruction made it 842 pt
    "fake_margins_in_processing_instruction": (
        [_row15(800), _before(rb"<pageMargins [^>]*/>", b'<?x <pageMargins left="0" right="0" top="0" bottom="0" '
                                                         b'header="0" footer="0"/>?>')],
        False, [("cell.row_beyond_page", "项目信息", "B15")]),
    # no print area: the sheet fits the columns its dimension spans to the page; a fake 26 columns' in a comment
    # shrank the page's scale, a page that held the 800 pt row
    "fake_dimension_in_comment": (
        [_row15(800), _before(rb"<dimension [^>]*/>", b'<!-- <dimension ref="A1:Z26"/> -->')],
        True, [("cell.row_beyond_page", "项目信息", "B15")]),
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
    assert said(f, {"cell.row_beyond_page"}) == expected


def test_default_row_height_is_the_sheets_own(made, tmp_path):
    """The caption row of 绩效指标 without a height of its own shows at the sheet's default (15 pt): its two lines
    are cut on paper.  On main a fake ``<sheetFormatPr defaultRowHeight="60"/>`` in a comment before the real one
    was read: nothing said."""
    f = rezip(made["long_caption"], tmp_path / "c.xlsx", {TABLE: [
        (rb'(<row r="2" spans="1:7") ht="[0-9.]+" customHeight="1"', rb"\1"),
        _before(rb'<sheetFormatPr defaultRowHeight="15"/>', b'<!-- <sheetFormatPr defaultRowHeight="60"/> -->')]})
    assert said(f, {"cell.row_too_short"}) == [("cell.row_too_short", "绩效指标", "A2")]
