"""The print checks read a cell's style whatever the order of its tag's attributes (mendEJ).

A cell tag written with its place after another attribute (``<c t="s" r="D13" s="9">``, as some writers order
them; ``<c xmlns:x="urn:x" r="D13" x:s="9" s="9">``) was passed over by paper_cells, which looked for tags
starting ``<c r="``: a text running past its cell, its wrap off, gave no cell.text_unwrapped where the same tag
written ``<c r s t>`` did.  The style is now read by its exact name (``s``: never ``x:s`` nor ``cs``) wherever it
stands, as the parser (the screen of a part written so) reads it.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path
from xml.parsers import expat

import openpyxl
import pytest
from openpyxl.styles import Font

import xlgoals
from xlgoals._read._screen import _FEW_STYLES, paper_cells

from .conftest import EXAMPLES

RETURN = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
TABLE = "绩效指标"
NAME_13 = "享受职业技能补贴人数统计口径"  # 13 characters: one line of 三级目标 (D) at 11 pt, not at 14 pt


@pytest.fixture(scope="module")
def unwrapped(tmp_path_factory) -> tuple[Path, str, bytes]:
    """The example return with D13 of 绩效指标 a text wider than its column, at 14 pt, wrap off (a paper warning),
    saved once; with its table's part name and D13's tag as openpyxl writes it."""
    wb = openpyxl.load_workbook(RETURN)
    ws = wb[TABLE]
    ws["D13"].value = NAME_13
    ws["D13"].font = Font(name=ws["D13"].font.name, sz=14)
    al = copy.copy(ws["D13"].alignment)
    al.wrap_text = False
    ws["D13"].alignment = al
    path = tmp_path_factory.mktemp("mendEJ") / "r.xlsx"
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/sheet"):
                m = re.search(rb'<c r="D13"[^>]*>', z.read(name))
                if m is not None and b"inlineStr" in m[0] or m is not None and b't="s"' in m[0]:
                    return path, name, m[0]
    raise AssertionError("no D13 text cell")


def _respelt(src: tuple, folder: Path, name: str, respell) -> Path:
    """The fixture's return with D13's tag rewritten by `respell` (its attributes dict -> the new tag's bytes)."""
    path, part, tag = src
    attrs = dict(re.findall(rb' ([^ =]+)="([^"]*)"', tag))
    new = respell(attrs)
    out = folder / name
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == part:
                assert data.count(tag) == 1
                data = data.replace(tag, new)
            w.writestr(info, data)
    return out


def _d13(path: Path) -> list[str]:
    return sorted(p.code for p in xlgoals.read(path).problems if p.sheet == TABLE and p.cell == "D13")


SPELLINGS = {
    # as openpyxl, Excel, xlsxwriter, LibreOffice write it
    "r_s_t": lambda a: b'<c r="%s" s="%s" t="%s">' % (a[b"r"], a[b"s"], a[b"t"]),
    # the red team's two (redteam29ag f3): t before r and s; a namespace declared before r, a prefixed s first
    "t_r_s": lambda a: b'<c t="%s" r="%s" s="%s">' % (a[b"t"], a[b"r"], a[b"s"]),
    "ns_prefixed": lambda a: b'<c xmlns:x="urn:x" r="%s" x:s="%s" s="%s" t="%s">' % (a[b"r"], a[b"s"], a[b"s"], a[b"t"]),
    # s first, r last, single quotes, white space around = and between the attributes
    "s_t_r": lambda a: b"<c\n s = '%s'\tt=\"%s\"  r='%s' >" % (a[b"s"], a[b"t"], a[b"r"]),
}


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_a_text_run_past_its_cell_is_warned_whatever_the_order_of_its_tag(unwrapped, tmp_path, spelling):
    path = _respelt(unwrapped, tmp_path, f"{spelling}.xlsx", SPELLINGS[spelling])
    assert _d13(path) == ["cell.text_unwrapped"]


def test_a_prefixed_s_alone_is_no_style_in_either_order(unwrapped, tmp_path):
    """``x:s`` is not the cell's style: the tag's style is then 0 (no s), read alike written r first or t first."""
    first = _respelt(unwrapped, tmp_path, "a.xlsx",
                     lambda a: b'<c r="%s" xmlns:x="urn:x" x:s="%s" t="%s">' % (a[b"r"], a[b"s"], a[b"t"]))
    later = _respelt(unwrapped, tmp_path, "b.xlsx",
                     lambda a: b'<c t="%s" xmlns:x="urn:x" x:s="%s" r="%s">' % (a[b"t"], a[b"s"], a[b"r"]))
    assert _d13(first) == _d13(later)


# paper_cells itself, on a part written by hand: the style it reads is the one the parser reads --------------------

def _parsed_styles(xml: bytes) -> dict:
    """(row, col) -> the style index each cell tag gives as expat reads it (its attribute named exactly s; none: 0)."""
    out = {}

    def start(name, attrs):
        if name == "c" and "r" in attrs:
            m = re.fullmatch(r"([A-Z]+)([0-9]+)", attrs["r"].strip())
            col = 0
            for ch in m[1]:
                col = col * 26 + ord(ch) - 64
            s = attrs.get("s", "0").strip()
            out[(int(m[2]) - 1, col - 1)] = str(int(s)) if s.isdigit() else "0"

    p = expat.ParserCreate()
    p.StartElementHandler = start
    p.Parse(xml, True)
    return out


TAGS = [
    b'<c r="A1" s="5" t="s"><v>0</v></c>',  # the common spelling
    b'<c t="s" r="B1" s="5"><v>0</v></c>',
    b'<c t="s" r="C1" s="6"><v>0</v></c>',  # another style: not among those asked
    b'<c xmlns:x="urn:x" r="D1" x:s="6" s="5" t="s"><v>0</v></c>',
    b'<c xmlns:x="urn:x" t="s" x:s="5" r="E1" s="6"><v>0</v></c>',  # x:s is not s
    b'<c t="s" cs="5" r="F1" s="6"><v>0</v></c>',  # nor cs
    b'<c t="s" cs="5" r="G1" s="5"/>',
    b"<c\tt='s'\nr='H1'\r\ns = ' 5 '><v>0</v></c>",
    b'<c t="s" r="I1" s="&#53;"><v>0</v></c>',  # a character reference: "5"
    b'<c t="n" r="J1"><v>1</v></c>',  # no s: style 0
    b'<c t="s" r="K1" s="6" x:s="5" xmlns:x="urn:x"><v>0</v></c>',  # a prefixed s after s
    b'<c t="s" r="L1" s="6" cs="5"><v>0</v></c>',
    b'<c xmlns:x="urn:x" x:s="5" t="s" r="M1"><v>0</v></c>',  # a prefixed s alone: style 0
    b'<cols><col min="1" max="2" width="9" customWidth="1"/></cols>',  # no cell tag
    b'<c\tr="N1" s="5" t="s"><v>0</v></c>',  # r first after a tab, or two spaces
    b'<c  r="O1" s="5" t="s"><v>0</v></c>',
]
XML = b'<worksheet><sheetData><row r="1">' + b"".join(TAGS) + b"</row></sheetData></worksheet>"


@pytest.mark.parametrize("styles", [frozenset({"5"}), frozenset({"5", "0"}),
                                    frozenset({"5"} | {str(i) for i in range(100, 100 + _FEW_STYLES)})],
                         ids=["one", "with_0", "many"])
def test_paper_cells_reads_the_style_the_parser_reads_in_any_order(styles):
    parsed = _parsed_styles(XML)
    assert parsed[(0, 4)] == parsed[(0, 5)] == parsed[(0, 10)] == parsed[(0, 11)] == "6" and parsed[(0, 12)] == "0"
    assert parsed[(0, 7)] == parsed[(0, 8)] == "5"  # (x:s, cs: no s; white space, a reference)
    assert paper_cells(XML, styles) == {cell: s for cell, s in parsed.items() if s in styles}


def test_a_part_the_fast_path_took_is_read_alike():
    """Told the part is canonical (every cell tag r first: the screen's fast path), paper_cells finds the same."""
    xml = b'<sheetData><row r="1">' + b"".join(t for t in TAGS if t.startswith(b'<c r="')) + b"</row></sheetData>"
    for styles in (frozenset({"5"}), frozenset({"5", "0"}), frozenset(str(i) for i in range(_FEW_STYLES + 2))):
        assert paper_cells(xml, styles, True) == paper_cells(xml, styles) == \
            {cell: s for cell, s in _parsed_styles(xml).items() if s in styles}
