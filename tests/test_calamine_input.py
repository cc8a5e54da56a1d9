"""What calamine is given of an .xlsx: the screened parts, each sheet with its merged ranges stopped.

python-calamine reads a sheet's merged ranges whenever it gives the sheet, parsing the part a second time up to its
``<mergeCells>``; the reader takes an .xlsx's merged ranges from the screen, so each sheet is given to calamine with an
empty ``<mergeCells>`` first (``_grid._merges_stopped``).  These tests hold the cells calamine gives to those of the
file as it is, and the merged ranges the reader uses to the file's.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from xlgoals._read._grid import _FILL_BYTES, Grid, _merges_stopped, _stored
from xlgoals._read._locate import READ_SHEETS
from xlgoals._read._safety import open_container

from .conftest import examples

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = sorted(p for p in (ROOT / "examples").rglob("*.xlsx")) + sorted((ROOT / "tests").rglob("*.xlsx"))

_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
         b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">')


def _sheet_of(xlsx: bytes, part: str) -> bytes:
    return zipfile.ZipFile(io.BytesIO(xlsx)).read(part)


def _calamine(data: bytes):
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: (wb.get_sheet_by_name(name).to_python(skip_empty_area=False),
                   wb.get_sheet_by_name(name).merged_cell_ranges) for name in wb.sheet_names}


@pytest.mark.parametrize("path", WORKBOOKS[:40], ids=lambda p: p.name)
def test_calamine_gives_the_cells_of_the_file_as_it_is(path):
    """Every sheet's cells, as calamine gives them from the parts the reader hands it, are those calamine reads from
    the file itself; calamine finds no merged range there (it stopped at the empty one) where the file has some."""
    try:
        container = open_container(path)
        grid = Grid(container)
    except Exception:  # a fixture the reader refuses: nothing is given to calamine
        return
    if container.kind != "xlsx":
        return
    as_it_is = _calamine(_stored(container.parts))
    given = _calamine(_stored(container.parts, frozenset(), frozenset(grid._parts.values())))
    assert {name: cells for name, (cells, _) in given.items()} == {name: cells for name, (cells, _) in as_it_is.items()}
    for name, (_, merged) in given.items():
        if _merges_stopped(container.parts[grid._parts[name]]) is not None:
            assert not merged


def test_a_form_s_merged_ranges_come_from_the_screen():
    """A return's merged ranges (its title, its 总分 line) are read where the file has them, though calamine is
    given none of them; and the sheet given calamine is the part with the empty list first, nothing else changed."""
    from xlgoals import FORMS

    path = ROOT / "examples" / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    container = open_container(path)
    grid = Grid(container, READ_SHEETS)
    table = next(f.table.name for f in FORMS.values() if f.table.name in grid.sheet_names)
    grid.values(table)
    part = grid._parts[table]
    written = list(_merged_refs(container.parts[part]))
    assert written, "the example return has merged cells"
    assert sorted(grid.merges(table)) == sorted(written)
    assert grid.merged(table) == []  # calamine's: none given it
    stopped = _merges_stopped(container.parts[part])
    assert stopped is not None and stopped.count(b"<mergeCells></mergeCells>") == 1
    assert _unstopped(stopped) == container.parts[part]
    assert zlib.crc32(stopped) == zlib.crc32(container.parts[part])  # the CRC the part was checked with


#: The empty merged ranges and the whitespace after them (spaces and newlines) that keeps the part's CRC-32.
_STOP = re.compile(rb"<mergeCells></mergeCells>[ \n]{%d}" % _FILL_BYTES)


def _unstopped(stopped: bytes) -> bytes:
    """The part as it was, from the part as calamine is given it (the empty merged ranges and their whitespace
    taken out)."""
    return _STOP.sub(b"", stopped, count=1)


def _merged_refs(xml: bytes):
    import re

    from xlgoals._read._screen import _col

    for c1, r1, c2, r2 in re.findall(rb'<mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"', xml):
        yield int(r1) - 1, _col(c1) - 1, int(r2) - 1, _col(c2) - 1


@pytest.mark.parametrize("xml", [
    _ROOT + b"<sheetData/></worksheet>",  # no declaration
    _HEAD + b"<worksheet xmlns='http://schemas.openxmlformats.org/spreadsheetml/2006/main'><sheetData/></worksheet>",
    _HEAD + b'<worksheet a="x>y"><sheetData/></worksheet>',  # a > inside a value: the tag's end is not found plainly
    _HEAD + b"<worksheet/>",
    _HEAD + b"<!-- a comment --><worksheet><sheetData/></worksheet>",
    _HEAD + b"<chartsheet><sheetData/></chartsheet>",
])
def test_a_sheet_whose_root_is_not_plainly_written_is_given_as_it_is(xml):
    assert _merges_stopped(xml) is None


@pytest.mark.parametrize("root", [_ROOT, b"<worksheet>", b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
                                  b'<worksheet\n  xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" >'])
def test_the_empty_merged_ranges_go_right_after_the_root_tag(root):
    xml = _HEAD + root + b"<sheetData/></worksheet>"
    stopped = _merges_stopped(xml)
    assert _STOP.match(stopped, len(_HEAD + root)) and stopped.startswith(_HEAD + root)
    assert _unstopped(stopped) == xml
    assert zlib.crc32(stopped) == zlib.crc32(xml)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_the_part_given_calamine_keeps_the_crc_of_the_part_read(attrs, rest):
    """Whatever the root tag and what follows it, the sheet given calamine has the CRC-32 of the part as it was
    read (the stored copy is written with the CRC the part was checked with, computed once: calamine checks it)."""
    root = b'<worksheet a="' + attrs.translate(None, b'<>"') + b'">'
    xml = _HEAD + root + rest
    stopped = _merges_stopped(xml)
    assert stopped is not None and _unstopped(stopped) == xml
    assert zlib.crc32(stopped) == zlib.crc32(xml)


def test_calamine_refuses_a_stored_part_whose_crc_is_wrong():
    """Why the sheet given calamine keeps its part's CRC-32: calamine checks a sheet's CRC (it reads the part to its
    end), so the copy cannot be written with the CRC the part was checked with unless the two are the same."""
    parts = {n: zipfile.ZipFile(io.BytesIO(_workbook(_HEAD + _ROOT + b'<sheetData><row r="1"><c r="A1"><v>1</v></c>'
                                                     b"</row></sheetData></worksheet>"))).read(n)
             for n in zipfile.ZipFile(io.BytesIO(_workbook(b""))).namelist()}

    class Parts(dict):
        def __init__(self, parts, wrong):
            super().__init__(parts)
            self.wrong = wrong

        def crc(self, name):
            return zlib.crc32(self[name]) ^ (name == self.wrong)

    assert _calamine(_stored(Parts(parts, "")))["S"][0] == [[1.0]]
    with pytest.raises(Exception, match="(?i)checksum|crc"):
        _calamine(_stored(Parts(parts, "xl/worksheets/sheet1.xml")))


def _workbook(sheet: bytes) -> bytes:
    """A workbook of one sheet `S`, the part `sheet`, stored."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   "</Types>")
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


@settings(max_examples=examples(800, 3000), deadline=None)
@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                 st.integers(-10**17, 10**17).map(float),
                 st.sampled_from([1e15, -1e15, 999999999999999.0, 1e15 + 2, 12345678901234567.0, -0.0, 0.30000000000000004])))
def test_a_number_is_read_as_shown_whole_numbers_passed_over_or_not(value):
    """_as_shown passes over whole numbers of at most 15 digits without formatting them: what it gives is what the
    15 significant digits a spreadsheet shows give, for every float."""
    import math

    from xlgoals._decimals import as_shown
    from xlgoals._read._grid import _as_shown

    expected = as_shown(value) if value and math.isfinite(value) else value
    no_number: set = set()
    got = _as_shown([["y", "x"], [value, "x"]], no_number)[1][0]
    assert got == expected or (math.isnan(value) and math.isnan(got))
    assert type(got) is float
    # NaN and the infinities (no number a spreadsheet holds, #NUM! in Excel): their places, for the sheet's facts
    assert no_number == (set() if math.isfinite(value) else {(1, 0)})


def test_the_whitespace_masks_are_those_the_crc_gives():
    from xlgoals._read._grid import _NEUTRAL, _neutral_masks

    assert _neutral_masks() == _NEUTRAL
