"""The sheet screen's two paths agree: the byte-pattern path for canonically written parts gives the same
facts as the XML parser, or steps aside (None) and lets the parser decide."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlgoals._read._safety import MAX_SHEET_COLS, MAX_SHEET_ROWS, FileProblem, open_container
from xlgoals._read._screen import _FEW_STYLES, _screen_canonical, _screen_parsed, _styled_cells

from .conftest import examples

ROOT = Path(__file__).resolve().parent.parent
_PARTS = []
_HOMES = []  # the workbook and part name of each of _PARTS
for _f in sorted((ROOT / "examples").rglob("*.xlsx")):
    try:
        _c = open_container(_f)
    except FileProblem:
        continue
    _PARTS += [v for k, v in sorted(_c.parts.items()) if k.startswith("xl/worksheets/")]
    _HOMES += [(_f, k) for k, v in sorted(_c.parts.items()) if k.startswith("xl/worksheets/")]
PERCENT = frozenset({"3", "5", "7"})  # some style indices, so the percent facts are exercised too
TEXTS = (("3", ("≤", "天")), ("4", ("", "人")))  # styles whose number format shows text (format_texts), likewise


def _percent_cells(xml, styles):
    """The cells of the percent `styles` (what _screen_canonical takes as SheetFacts.percent)."""
    return set(_styled_cells(xml, styles))


def _facts(screen, xml):
    """What the screen found; the extent is left out (the fast path proves it within the limits without
    measuring it), so a part it accepts must be one the parser does not refuse as too large."""
    try:
        f = screen(xml, "s", PERCENT, TEXTS)
    except FileProblem as exc:
        return ("refused", exc.code)
    if f is None:
        return None
    return f.formulas, f.errors, f.hidden_rows, f.percent, f.format_text


def _agree(xml: bytes) -> bool:
    """True when the fast path took the part; then it must say what the parser says.  A part that is not
    well-formed XML is the one exception: the parser calls it corrupt, the fast path leaves that to
    calamine (which refuses it too); only the sheet's size is the fast path's to judge."""
    fast = _facts(_screen_canonical, xml)
    if fast is None:
        return False
    parsed = _facts(_screen_parsed, xml)
    if parsed != ("refused", "file.corrupt"):
        assert fast == parsed
    else:  # not well-formed: calamine may still read it, by every r attribute of its cells and rows
        assert _lenient_extent_within_limits(xml)
    return True


_TAGS = re.compile(rb"<(?:[\w.-]+:)?(c|row)(?=[\s/>])[^<]*")
_R_VALUES = re.compile(rb"""(?<![^\s"'])r\s*=\s*["']([^"']*)["']""")


def _lenient_extent_within_limits(xml: bytes) -> bool:
    """Every place any cell or row tag names in any of its r attributes (as a lenient reader might take
    it) is within the sheet limits."""
    for m in _TAGS.finditer(xml):
        for value in _R_VALUES.findall(m.group(0)[1 + len(m.group(1)):]):
            ref = re.fullmatch(rb"\$?([A-Za-z]{0,3})\$?0*([0-9]{1,9})", value.strip())
            if ref is None:
                return False
            letters, row = ref.group(1).upper(), int(ref.group(2))
            col = 0
            for ch in letters:
                col = col * 26 + ch - 64
            if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLS:
                return False
    return True


def test_example_sheets_take_the_fast_path_and_agree():
    assert len(_PARTS) >= 20
    taken = [_agree(x) for x in _PARTS]
    # all but the parts whose text holds character references (&#10; for a line break), which go to the parser
    assert sum(taken) >= len(_PARTS) - 4, f"{sum(taken)} of {len(_PARTS)}"


# Edits a hostile or unusual writer makes: each is (what to find, what to put instead).
_EDITS = [
    (b'<c r="', b'<c\tr="'), (b'<c r="', b'<c  r="'), (b'<c r="', b'<c\nr="'), (b'<row r="', b'<row\tr="'),
    (b'<c r="', b'<x:c r="'), (b'<row r="', b'<x:row r="'), (b'<c r="B', b'<c r="XFD'), (b'<row r="4"', b'<row r="30000"'),
    (b'<c r="B4"', b'<c r="B30000"'), (b'<c r="', b'<c s="0" r="'), (b'<v>', b'<f>1+1</f><v>'), (b'"><v>', b'" t="e"><v>'),
    (b'<row r="', b'<row hidden="1" r="'), (b'<c r="B3"', b'<c r="B3" s="5"'), (b"<sheetData>", b"<sheetData><!-- <c r=\"A9\"/> -->"),
    (b'<c r="C', b'<c r="&#67;'), (b'<c r="', b'<c/><c r="'), (b'<c r="', b'<c>1</c><c r="'), (b"<cols>", b"<cols><col/>"),
    (b'<c r="', b'<cx/><c r="'), (b'<row r="', b"<row><c/></row><row r=\""), (b'<c r="D', b'<c r="d'),
    (b'><v>', b'>\n<f>2</f><v>'), (b'<f>', b'<f/>'), (b'<c r="', b'<color/><c r="'),
    (b'" s="', b'" r="XFD1048576" s="'), (b'"><v>', b'"r="A30000"><v>'), (b'" s="', b'" x=">" r="A30000" s="'),
    (b'<row r="', b'<row r="1" r="'), (b'<row r="', b'<row x=">" hidden="1" r="'),
    (b'" s="', b'" x="a>b" t="e" s="'),
    # merged ranges, as Excel and LibreOffice write them (a prefixed or oddly written one takes the parser)
    (b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="B4:B6"/></mergeCells>'),
    (b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="C9:D9"/><mergeCell ref="XFD1:XFD2"/></mergeCells>'),
    (b'</c>', b'</c><f>1</f>'), (b'</row>', b'<f/></row>'), (b'"/>', b'"/><f>1</f>'),
    (b'" s="', b'" x="a>b" s="'), (b'" t="', b'" x=">" t="'), (b'<row r="4"', b'<row r="4" x=">" hidden="1"'),
    (b'</c>', b'</c >'), (b'<f>', b'<x:f>'), (b'</f>', b'</x:f>'), (b'</c>', b'<x:f/></c>'),
]


def _edited(xml: bytes, edits) -> bytes:
    """The part with each (old, new) replacing the nth occurrence of old, where there is one."""
    for (old, new), nth in edits:
        at = -1
        for _ in range(nth + 1):
            nxt = xml.find(old, at + 1)
            if nxt < 0:
                break
            at = nxt
        if at >= 0:
            xml = xml[:at] + new + xml[at + len(old):]
    return xml


@settings(max_examples=examples(120, 300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=st.sampled_from(range(len(_PARTS))), edits=st.lists(
    st.tuples(st.sampled_from(_EDITS), st.integers(0, 40)), min_size=1, max_size=4))
def test_edited_sheets_agree_or_take_the_parser(part, edits):
    xml = _PARTS[part]
    xml = _edited(xml, edits)
    _agree(xml)


_MANY = frozenset(str(i) for i in range(40))  # more styles than are looked for one by one
_NONE = frozenset(f"none{i}" for i in range(_FEW_STYLES))  # styles no cell has: with one more, the one pattern


@settings(max_examples=examples(80, 200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(part=st.sampled_from(range(len(_PARTS))), edits=st.lists(
    st.tuples(st.sampled_from(_EDITS + [(b'<row r="4"', b'<row r="4" s="3"'), (b'<row r="', b'<row r="7" s="1" r="'),
                                        (b'" s="', b'" s="1" x="1" s="'), (b'<c r="', b'<c r="A1" t="s"/><c r="')]),
              st.integers(0, 40)), min_size=0, max_size=4))
def test_percent_cells_found_style_by_style_are_those_the_one_pattern_finds(part, edits):
    xml = _edited(_PARTS[part], edits)
    if _screen_canonical(xml, "s", frozenset()) is None:
        return  # the parser's, not the fast path's
    for style in ("1", "3", "5", "9"):  # each alone (a cell found for a style that is not its first s would show)
        assert _percent_cells(xml, frozenset({style})) == _percent_cells(xml, frozenset({style}) | _NONE)
    one_pattern = _percent_cells(xml, _MANY)
    assert one_pattern == set().union(*(_percent_cells(xml, frozenset({s})) for s in _MANY))
    try:
        parsed = _screen_parsed(xml, "s", _MANY)
    except FileProblem:
        return  # not well-formed: calamine's to refuse (see _agree)
    assert one_pattern == parsed.percent


def test_text_format_cells_found_style_by_style_are_those_the_one_pattern_finds():
    from xlgoals._read._screen import _text_cells

    many = tuple((str(i), ("≤", str(i))) for i in range(_FEW_STYLES + 2))
    found = 0
    for xml in _PARTS:
        if _screen_canonical(xml, "s", frozenset()) is None:
            continue
        one_pattern = _text_cells(xml, many)
        assert one_pattern == {k: v for s in many for k, v in _text_cells(xml, (s,)).items()}
        assert one_pattern == _screen_parsed(xml, "s", frozenset(), many).format_text
        found += len(one_pattern)
    assert found


@pytest.mark.parametrize("pattern, repl", [
    (rb'(<row r="[0-9]+")', rb'\1 s="3"'),  # every row styled: a row's s is no cell's
    (rb'(<c r="[A-Z]+[0-9]+") s="', rb'\1 s="1" x="1" s="'),  # a second s in a cell tag: the first one counts
])
def test_percent_cells_of_styled_rows_and_second_styles(pattern, repl):
    for xml in _PARTS:
        xml = re.sub(pattern, repl, xml)
        if _screen_canonical(xml, "s", frozenset()) is None:
            continue
        for style in ("1", "3", "5", "9"):
            assert _percent_cells(xml, frozenset({style})) == _percent_cells(xml, frozenset({style}) | _NONE)


@pytest.mark.parametrize("old, new", [(b'<c r="', b'<x:c r="'), (b'<c r="', b'<c\tr="'), (b'<c r="', b"<c>"),
                                      (b"<sheetData>", b"<sheetData><!-- x -->"),
                                      # a second r, which calamine reads (the last wins) and expat refuses
                                      (b'<c r="', b'<c r="A1" r="'), (b'<c r="', b'<c r="A1"r="'),
                                      (b'<c r="', b"<c r=\"A1\" s=\">\"\tr='XFD1' r=\""),
                                      (b'<row r="', b'<row r="1"\nr\n=\n"'),
                                      # processing instructions hold no element: the parser skips them
                                      (b"<sheetData>", b'<sheetData><?x <c r="XFD1"?>'),
                                      (b'</c>', b'</c><?x <f ?>')])
def test_unusual_cells_leave_the_fast_path(old, new):
    xml = next(x for x in _PARTS if old in x).replace(old, new, 1)
    assert _screen_canonical(xml, "s", PERCENT) is None


@pytest.mark.parametrize("xml", [
    b'<worksheet><sheetProtection sheet="1"/></worksheet>', b'<x:sheetProtection sheet="true">',
    b'<a sheetProtection="1"><sheetProtection/>', b'<sheetProtectionX/><sheetProtection sheet="1"/>',
    b"sheetProtection", b"<  sheetProtection/>", b"<a><b:c:sheetProtection/>", b'<ns:sheetProtection\tsheet="1"/>', b"",
])
def test_the_protection_tag_is_the_one_the_pattern_finds(xml):
    from xlgoals._read._grid import _PROTECTION, _protection_tag

    found, expected = _protection_tag(xml), _PROTECTION.search(xml)
    assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("ref, row, fast", [
    ("GR20000", "20000", True), ("A1", "1", True), ("GS1", "1", False), ("A20001", "20001", False),
    ("AAA1", "1", False), ("A01", "1", False), ("A0", "1", False), ("XFD1048576", "1048576", False),
])
def test_the_fast_path_takes_only_cells_within_the_limits(ref, row, fast):
    xml = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           b'<sheetData><row r="' + row.encode() + b'"><c r="' + ref.encode() + b'"><v>1</v></c></row></sheetData>'
           b"</worksheet>")
    taken = _screen_canonical(xml, "s", PERCENT)
    assert (taken is not None) == fast
    if not fast and ref not in ("A01", "A0"):
        with pytest.raises(FileProblem, match="file.sheet_too_large"):
            _screen_parsed(xml, "s", PERCENT)
def test_utf16_without_a_byte_order_mark_leaves_the_fast_path():
    """UTF-16LE starts with "<" too: its "<\\0c\\0" cells are no "<c" to the byte patterns."""
    xml = _PARTS[0].decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16-le")
    assert _screen_canonical(xml, "s", PERCENT) is None
    assert _screen_parsed(xml, "s", PERCENT).max_row == _screen_parsed(_PARTS[0], "s", PERCENT).max_row > 0


def test_an_excel_validation_formula_is_no_cell_formula():
    """Excel writes a list validation over another sheet as <xm:f> in the extLst, after the last cell: the
    parser must not take it for that cell's formula (and so agree with the fast path)."""
    xml = next(x for x in _PARTS if b"</worksheet>" in x and b"<f>" not in x)
    ext = (b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="urn:x14"><x14:dataValidations '
           b'xmlns:xm="urn:xm"><x14:dataValidation type="list"><x14:formula1><xm:f>Sheet2!$A$1:$A$3</xm:f>'
           b'</x14:formula1><xm:sqref>A1</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>')
    xml = xml.replace(b"</worksheet>", ext + b"</worksheet>")
    assert _screen_parsed(xml, "s", PERCENT).formulas == set()
    assert _agree(xml)


_SHEET = (b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          b"<sheetData>%s</sheetData></worksheet>")


@pytest.mark.parametrize("rows", [
    # a ">" is allowed in an attribute value: the attributes after it still count
    b'<row r="1"><c r="A1" x="a>b" t="e"><v>#REF!</v></c></row>',
    b'<row r="1" x=">" hidden="1"><c r="A1"><v>1</v></c></row>',
    b'<row r="1"><c r="A1" x="/>" s="3"><v>1</v></c></row>',
    # an end tag may hold white space before its ">": the <f> after it is no formula of the cell
    b'<row r="1"><c r="A1"><v>1</v></c ><f>1</f></row>',
    b'<row r="1"><c r="A1"><v>1</v></c\n><f>1</f></row>',
    # a formula element with a namespace prefix is the cell's formula to the parser (and to calamine)
    b'<row r="1"><c r="A1"><x:f xmlns:x="urn:x">1+1</x:f><v>2</v></c></row>',
    b'<row r="1"><c r="A1"><v>2</v><x:f xmlns:x="urn:x"/></c></row>',
    b'<row r="1"><c r="A1"><v>2</v><a:b:f/></c></row>',
    b'<row r="1"><c r="A1" x="a:f b"><v>a:f </v></c></row>',
    b'<row r="1"><c r="A1"><v>2</v></c></row></sheetData><sheetData><row r="2"><c r="A2"><v>1</v></c>'
    b'<x:f xmlns:x="urn:x"/></row>',
])
def test_the_fast_path_agrees_on_the_facts_of_well_formed_cells(rows):
    xml = _SHEET % rows
    _screen_parsed(xml, "s", PERCENT)  # well-formed
    _agree(xml)


@pytest.mark.parametrize("rows", [
    # calamine moves to the next row at each row's end (and only there), so rows nested in rows carry it
    # past the row any r names: here to row 20002
    b'<row r="20000"><row r="20000"></row></row><c><v>1</v></c>',
    b'<row r="20000"><row r="20000"/></row><c><v>1</v></c>',
    b'<row r="19999"><c r="A19999"><v>1</v></c></row><row r="20000"/><c><v>1</v></c>',
    # and its column count goes back to the first column at a row's end, not at its start: column 201
    b'<row r="1"><c r="GR1"><v>1</v></c><row r="2"><c><v>1</v></c></row></row>',
    b'<c r="GR1"><v>1</v></c><row r="2"><c><v>1</v></c></row>',
])
def test_cells_without_a_place_are_placed_as_calamine_places_them(rows):
    with pytest.raises(FileProblem, match="file.sheet_too_large"):
        _screen_parsed(_SHEET % rows, "s", PERCENT)


def test_cells_without_a_place_in_rows_without_one():
    facts = _screen_parsed(_SHEET % b'<row><c><v>1</v></c><c><v>1</v></c></row><row hidden="1"><c><v>1</v></c></row>'
                           b'<row r="7"><c r="C7"><v>1</v></c><c><v>1</v></c></row>', "s", PERCENT)
    assert (facts.max_row, facts.max_col, facts.hidden_rows) == (7, 4, {1})


def _ods_content(cells: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8"?><office:document-content'
            ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
            ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>'
            f'<table:table table:name="s">{cells}</table:table></office:spreadsheet></office:body>'
            '</office:document-content>').encode()


def test_an_ods_percent_cell_is_noted_as_an_xlsx_one_is():
    """An .ods cell says it is shown as a percent by its value type; repeated ones are noted at each place, and
    a file whose repeats would note more than a bound is refused (it was noted up to a bound, and the percent
    cells past it read as fractions)."""
    from xlgoals._read._screen import MAX_NOTED_CELLS, screen_ods

    pct = '<table:table-cell office:value-type="percentage" office:value="0.85"/>'
    one = screen_ods(_ods_content(f'<table:table-row><table:table-cell office:value-type="float" office:value="1"/>'
                                  f'{pct}</table:table-row>'))["s"]
    assert one.percent == {(0, 1)}
    three = screen_ods(_ods_content('<table:table-row table:number-rows-repeated="3"><table:table-cell/><table:table-cell'
                                    ' table:number-columns-repeated="2" office:value-type="percentage" office:value="1"/>'
                                    '</table:table-row>'))["s"]
    assert three.percent == {(r, c) for r in range(3) for c in (1, 2)}
    with pytest.raises(FileProblem, match="file.too_large") as exc:
        screen_ods(_ods_content(
            f'<table:table-row table:number-rows-repeated="{MAX_SHEET_ROWS}">'
            f'<table:table-cell table:number-columns-repeated="{MAX_SHEET_COLS}" office:value-type="percentage"'
            ' office:value="0.85"/></table:table-row>'))
    assert str(MAX_NOTED_CELLS) in exc.value.found


def _ods_rows(cells: str):
    """What calamine reads of a one-table .ods made of these rows (None when it refuses the file), and the file."""
    import io

    from python_calamine import CalamineWorkbook

    from .fuzz import ods_file

    raw = ods_file({"s": cells})
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(raw)).get_sheet_by_name("s").to_python(
            skip_empty_area=False), raw
    except Exception:
        return None, raw


@pytest.mark.slow
@settings(max_examples=int(os.environ.get("XLGOALS_FUZZ_EXAMPLES", examples(100, 300))), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_ods_screen_places_every_cell_where_calamine_reads_it(data):
    """Differential: every formula and percent cell calamine reads from an .ods stands where the screen noted
    one, and calamine's extent is within the screen's, or the screen refuses the file.  Repeat counts of 0 or
    with a sign, cells nested in cells or outside rows, and values without a value type moved cells or the extent
    past the screen: a formula read unflagged, 20000 x 2000 cells read (6.6 GB)."""
    import io
    import zipfile

    from xlgoals._read._screen import screen_ods

    from .fuzz import FORMULA_MARK, PERCENT_MARK, ods_cells, ods_file

    cells = ods_cells(data)
    try:
        facts = screen_ods(zipfile.ZipFile(io.BytesIO(ods_file({"s": cells}))).read("content.xml"))["s"]
    except FileProblem:
        return  # refused before calamine sees it
    rows, _ = _ods_rows(cells)
    if rows is None:
        return  # calamine refuses it too
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                assert r < facts.max_row and c < facts.max_col, (r, c)
            if value == FORMULA_MARK:
                assert (r, c) in facts.formulas, (r, c)
            if value == PERCENT_MARK:
                assert (r, c) in facts.percent, (r, c)


@pytest.mark.parametrize("cells, formulas", [
    # a repeat count of 0: calamine places no cell, and the cells after it one place back (or further)
    ('<table:table-row><table:table-cell table:number-columns-repeated="0" office:value="9"/>{f}</table:table-row>',
     None),
    ('<table:table-row table:number-rows-repeated="0"><table:table-cell office:value="9"/></table:table-row>'
     '<table:table-row>{f}</table:table-row>', None),
    ('<table:table-row table:number-rows-repeated="+2"><table:table-cell office:value="9"/></table:table-row>', None),
    # a cell inside a cell is no cell of the row
    ('<table:table-row><table:table-cell office:value="9"><table:table-cell office:value="8"/></table:table-cell>{f}'
     '</table:table-row>', {(0, 1)}),
    # a formula repeated is a formula at each place
    ('<table:table-row table:number-rows-repeated="2">{f2}</table:table-row>', {(0, 0), (0, 1), (1, 0), (1, 1)}),
    # a cell outside a row is read by nobody (it raised KeyError)
    ('{f}<table:table-row><table:table-cell office:value="1"/></table:table-row>', set()),
])
def test_the_ods_screen_places_cells_as_calamine_does(cells, formulas):
    from xlgoals._read._screen import screen_ods

    from .fuzz import FORMULA_MARK

    f = f'<table:table-cell table:formula="of:=1" office:value-type="float" office:value="{FORMULA_MARK}"/>'
    cells = cells.replace("{f2}", f.replace("<table:table-cell", '<table:table-cell table:number-columns-repeated="2"'))
    content = _ods_content(cells.replace("{f}", f))
    if formulas is None:
        with pytest.raises(FileProblem, match="file.corrupt"):
            screen_ods(content)
    else:
        assert screen_ods(content)["s"].formulas == formulas
    rows, _ = _ods_rows(cells.replace("{f}", f))
    read = {(r, c) for r, row in enumerate(rows or []) for c, v in enumerate(row) if v == FORMULA_MARK}
    assert formulas is None or read == formulas  # what calamine reads, where the screen says


@pytest.mark.parametrize("body, code", [
    # a value without a value type is read by calamine: 300 columns counted (they passed the screen)
    ('<table:table table:name="s"><table:table-row><table:table-cell table:number-columns-repeated="300"'
     ' office:value="7"/></table:table-row></table:table>', "file.sheet_too_large"),
    ('<table:table table:name="s"><table:table-row><table:table-cell table:number-columns-repeated="300"'
     ' office:boolean-value="true"/></table:table-row></table:table>', "file.sheet_too_large"),
    # two tables of one name (calamine reads the last, the screen merged them), a table in a table
    ('<table:table table:name="s"/><table:table table:name="s" table:protected="true"/>', "file.corrupt"),
    ('<table:table table:name="s"><table:table-row><table:table-cell><table:table table:name="t"/>'
     '</table:table-cell></table:table-row></table:table>', "file.corrupt"),
    ('<table:table table:name="s"><table:table table:name="t"/></table:table>', "file.corrupt"),
    # what repeats multiply, for the whole file: tables, their cells, the cells noted
    ("".join(f'<table:table table:name="t{i}"/>' for i in range(1001)), "file.too_large"),
    ("".join(f'<table:table table:name="t{i}"><table:table-row table:number-rows-repeated="{MAX_SHEET_ROWS}">'
             f'<table:table-cell table:number-columns-repeated="{MAX_SHEET_COLS // 2}" office:value="1"/>'
             '</table:table-row></table:table>' for i in range(3)), "file.too_large"),
    ("".join(f'<table:table table:name="t{i}"><table:table-row table:number-rows-repeated="100">'
             f'<table:table-cell table:number-columns-repeated="100" office:value-type="percentage" office:value="1"/>'
             '</table:table-row></table:table>' for i in range(11)), "file.too_large"),
    ("".join(f'<table:table table:name="t{i}"><table:table-row table:visibility="collapse" table:number-rows-repeated='
             f'"{MAX_SHEET_ROWS}"><table:table-cell office:value="1"/></table:table-row></table:table>'
             for i in range(6)), "file.too_large"),
])
def test_the_ods_screen_bounds_what_repeats_multiply(body, code):
    """A 37 KB .ods of 2,000 tables of repeated percent cells or hidden rows took the screen 6 s and 2-5 GB
    (its bound was each table's); calamine laid out every table's cells whatever their number."""
    from xlgoals._read._screen import screen_ods

    content = _ods_content("").replace(b'<table:table table:name="s"></table:table>', body.encode())
    with pytest.raises(FileProblem, match=code):
        screen_ods(content)


def test_a_hidden_ods_row_is_noted_when_it_is_read():
    """Only a hidden row with content is noted (1,048,000 hidden empty rows are common and read by nobody)."""
    from xlgoals._read._screen import screen_ods

    facts = screen_ods(_ods_content(
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="2"><table:table-cell office:value="1"/>'
        '</table:table-row><table:table-row table:visibility="filter" table:number-rows-repeated="1048000">'
        '<table:table-cell/></table:table-row>'))["s"]
    assert facts.hidden_rows == {0, 1}


@settings(max_examples=int(os.environ.get("XLGOALS_FUZZ_EXAMPLES", examples(80, 200))), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(part=st.sampled_from(range(len(_PARTS))), data=st.data(), edits=st.lists(
    st.tuples(st.sampled_from(_EDITS), st.integers(0, 40)), max_size=3))
def test_every_mark_calamine_reads_from_an_xlsx_sheet_was_screened(part, data, edits):
    """Differential, the screen against calamine itself (not only its two paths against each other): formula and
    percent-style cells put anywhere in an edited sheet (without a place, outside rows, before other cells) are
    noted where calamine reads their values, or the screen refuses the sheet."""
    import io
    import zipfile

    from python_calamine import CalamineWorkbook

    from xlgoals._read._grid import _sheets_of
    from xlgoals._read._screen import screen_sheet

    from .fuzz import FORMULA_MARK, PERCENT_MARK, marked_sheet

    xml = _PARTS[part]
    xml = _edited(xml, edits)
    xml = marked_sheet(data, xml)
    try:
        facts = screen_sheet(xml, "s", PERCENT)
    except FileProblem:
        return
    home, name = _HOMES[part]
    buf = io.BytesIO()
    with zipfile.ZipFile(home) as src, zipfile.ZipFile(buf, "w") as z:
        for item in src.namelist():
            z.writestr(item, xml if item == name else src.read(item))
        sheet = next(n for n, target, _ in _sheets_of(src.read("xl/workbook.xml"),
                                                        src.read("xl/_rels/workbook.xml.rels"))[0] if target == name)
    try:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue())).get_sheet_by_name(sheet).to_python(
            skip_empty_area=False)
    except Exception:
        return  # calamine refuses it too
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == FORMULA_MARK:
                assert (r, c) in facts.formulas, (r, c)
            if value == PERCENT_MARK:
                assert (r, c) in facts.percent, (r, c)


class _Counted(bytes):
    """A sheet that counts the bytes its searches cross."""

    crossed = 0

    def find(self, sub, start=0, end=None):
        at = bytes.find(self, sub, start, len(self) if end is None else end)
        _Counted.crossed += (len(self) if at < 0 else at) - start
        return at

    def rfind(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        at = bytes.rfind(self, sub, start, end)
        _Counted.crossed += end - (start if at < 0 else at)
        return at


@pytest.mark.parametrize("tail", [
    b'<row r="%d" s="9" customFormat="1"/>',  # rows formatted as percent (Excel writes each one), no cell in them
    b'<row r="%d"><c r="A%d" t="inlineStr"><is><t> s="9" s="9"</t></is></c></row>',  # the style's text in cells
])
def test_percent_cells_cross_a_sheet_a_few_times_however_many_formatted_rows(tail):
    """Each percent style's ` s="9"` was checked by looking back for the cell tag before it: past every formatted
    row since the last cell, for each row, so 40,000 rows formatted as percent took 4 s to screen (100,000: half a
    minute, past a file's time).  The searches now cross the sheet a few times, and find the same cells."""
    n = 3000
    rows = b"".join(tail.replace(b"%d", b"%d" % i) for i in range(2, n))
    xml = _Counted(b'<sheetData><row r="1"><c r="A1" s="9"><v>1</v></c><c r="B1" s="5"/></row>' + rows +
                   b'<row r="%d"><c r="C%d" s="9"/></row></sheetData>' % (n, n))
    _Counted.crossed = 0
    found = _percent_cells(xml, frozenset({"9"}))
    assert found == {(0, 0), (n - 1, 2)} == _percent_cells(bytes(xml), _MANY | {"9"}) - {(0, 1)}
    assert _Counted.crossed < 4 * len(xml)


def test_an_empty_row_beyond_the_limits_is_no_cell():
    """LibreOffice writes <row r="1048576"> without cells when a row of the form is deleted: nothing to lay out.
    A cell inside such a row is refused whatever its r says (calamine may place it by the row)."""
    facts = _screen_parsed(_SHEET % b'<row r="3"><c r="A3"><v>1</v></c></row><row r="1048576" ht="12.8"></row>',
                           "s", PERCENT)
    assert (facts.max_row, facts.max_col, facts.hidden_rows) == (3, 1, set())
    with pytest.raises(FileProblem, match="file.sheet_too_large"):
        _screen_parsed(_SHEET % b'<row r="1048576"><c r="A3"><v>1</v></c></row>', "s", PERCENT)


@pytest.mark.parametrize("code, date", [("yyyy-mm-dd", True), ('yyyy"年"m"月"d"日"', True), ("[$-F800]dddd", True),
                                        ("h:mm", True), ("General", False), ("0.00E+00", False), ('0"m"', False),
                                        ("@", False), ("#,##0.00", False), ('[Red]0;"d"0', False)])
def test_a_number_format_shows_a_date_only_by_its_date_codes(code, date):
    from xlgoals._read._screen import shows_date

    assert shows_date(code) is date


def test_an_ods_cell_whose_number_style_shows_text_is_noted_as_an_xlsx_one_is():
    """The text a cell's number style shows with a number: the style named by the cell or, where it names none,
    by its column; a style mapping positive numbers to another (LibreOffice's "≤"0"天";"-"0"天") as that one;
    numbers only (a text cell of that style shows the text)."""
    from xlgoals._read._screen import screen_ods

    ns = (' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
          ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
          ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
          ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"')
    styles = (f'<office:document-styles{ns}><office:styles>'
              '<number:number-style style:name="N1P0"><number:text>&#8804;</number:text><number:number/>'
              '<number:text>天</number:text></number:number-style>'
              '<number:number-style style:name="N1"><number:text>-</number:text><number:number/>'
              '<number:text>天</number:text><style:map style:condition="value()&gt;=0" style:apply-style-name="N1P0"/>'
              '</number:number-style>'
              '<number:number-style style:name="N2"><number:number/></number:number-style>'
              '<style:style style:name="days" style:family="table-cell" style:data-style-name="N1"/>'
              '</office:styles></office:document-styles>').encode()
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content{ns}><office:automatic-styles>'
               '<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="days"/>'
               '<style:style style:name="ce2" style:family="table-cell" style:data-style-name="N2"/>'
               '</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="s">'
               '<table:table-column table:default-cell-style-name="ce2"/>'
               '<table:table-column table:number-columns-repeated="2" table:default-cell-style-name="ce1"/>'
               '<table:table-row><table:table-cell table:style-name="ce1" office:value-type="float" office:value="3"/>'
               '<table:table-cell office:value-type="float" office:value="3"/>'
               '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
               '<table:table-row><table:table-cell office:value-type="float" office:value="3"/>'
               '<table:table-cell table:style-name="ce2" office:value-type="float" office:value="3"/></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>').encode()
    from xlgoals._read._screen import shown_for

    found = screen_ods(content, styles)["s"].format_text
    assert sorted(found) == [(0, 0), (0, 1)]
    # the part each number is shown with (value()>=0: ≤, else the style's own -)
    assert {cell: (shown_for(e, 3)[:2], shown_for(e, -3)[:2]) for cell, e in found.items()} == \
        {(0, 0): (("≤", "天"), ("-", "天")), (0, 1): (("≤", "天"), ("-", "天"))}
    assert screen_ods(content)["s"].format_text == {}  # no number style known: nothing noted


def test_an_ods_styles_part_that_is_broken_or_vast_is_no_format_known_or_bounded():
    """styles.xml is as untrusted as content.xml: broken XML there is no number format known (the cells read as
    before, not a traceback); a number style of a vast text keeps its first characters only; styles never closed
    in content.xml are its file.corrupt, as its parse finds them."""
    from xlgoals._read._safety import FileProblem
    from xlgoals._read._screen import MAX_FORMAT_TEXT, ods_cell_formats

    ns = (' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
          ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"')
    head = f'<office:document-content{ns}><office:automatic-styles>'
    cell = '<style:style style:name="ce1" style:family="table-cell" style:data-style-name="N1"/>'
    body = '</office:automatic-styles><office:body>'
    assert ods_cell_formats((head + cell + body).encode(), b"<office:document-styles><broken")[0] == {}
    vast = f'<number:number-style style:name="N1"><number:number/><number:text>{"天" * 100_000}</number:text></number:number-style>'
    assert ods_cell_formats((head + vast + cell + body).encode(), None)[0] == {"ce1": ("", "天" * MAX_FORMAT_TEXT)}
    unclosed = '<number:number-style style:name="N1"><number:text>' * 20_000
    with pytest.raises(FileProblem) as refused:  # never closed: broken XML (as the content parse finds it), one pass
        ods_cell_formats((head + unclosed + cell + "</number:text>" + body).encode(), None)[0]
    assert refused.value.code == "file.corrupt"


@pytest.mark.parametrize("code, value, shown", [
    ('[<0]"-"0"天";"≤"0"天"', 3, ("≤", "天", False)),  # the condition does not hold: the next section
    ('[<0]"-"0"天";"≤"0"天"', -3, ("-", "天", True)),  # a [<0] section shows its own text, not a second minus
    ('"≥"0"人";"≤"0"天"', 0, ("≥", "人", False)),  # two sections: zero is the first's
    ('"≥"0"人";"≤"0"天";"约"0', 0, ("约", "", False)),  # three: zero is the third's
    ('"≥"0"人";"≤"0"天"', -3, ("≤", "天", True)),  # the negative section shows the number without its minus
    ('[>100]"大"0;[>=0]"小"0', -5, None),  # no section's condition holds: Excel shows ###
    ('"≤"0"天";@', 3, ("≤", "天", False)),  # a text section shows no number
    ('0;"≤"0"天"', 3, None),  # the section that shows 3 shows no text
])
def test_the_section_a_number_is_shown_with_is_chosen_by_its_value(code, value, shown):
    """format_text took a format's first section for every number: [<0]"-"0"天";"≤"0"天" showed 3 as "-3天"."""
    from xlgoals._read._screen import format_text, shown_for

    entry = format_text(code)
    assert (shown_for(entry, value) if entry else None) == shown


def test_percent_and_date_styles_are_one_walk_of_the_number_formats():
    """percent_styles and date_styles read styles.xml the same way (one _styles_showing): built-in ids, the
    file's own formats, and the cell styles that name them; a file's format under a built-in's id decides a date
    (so does an .xls's FORMAT record, _biff), while a percent built-in (0%, 0.00%) stays one."""
    from xlgoals._read._screen import date_styles, percent_styles

    styles = ('<styleSheet xmlns="x"><numFmts count="4"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/>'
              '<numFmt numFmtId="165" formatCode="0.0%"/><numFmt numFmtId="14" formatCode="0.00"/>'
              '<numFmt numFmtId="9" formatCode="0.00"/></numFmts>'
              '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/>'
              '<xf numFmtId="9"/><xf numFmtId="22"/></cellXfs></styleSheet>').encode()
    assert date_styles(styles) == {"1", "5"}  # 14 redefined as 0.00 by the file: no date
    assert percent_styles(styles) == {"2", "4"}  # 9 stays 0%
    assert date_styles(None) == percent_styles(b"") == frozenset()


def test_tag_attributes_is_the_one_reading_of_a_tag_the_grid_shares():
    """The screen's reading of a tag's attributes (by local name, either quote, references resolved) is public:
    Grid reads row heights and cell styles through it, not through a private name of _screen."""
    from xlgoals._read import _grid
    from xlgoals._read._screen import tag_attributes

    assert _grid.tag_attributes is tag_attributes
    assert tag_attributes(b' r="3" x:s=\'7\' customHeight="1" t="&quot;a&amp;b&#37;"') == \
        {"r": "3", "s": "7", "customHeight": "1", "t": '"a&b%'}
    assert tag_attributes(b"") == {}
