"""The reading stage made cheaper, finding the same (issue #10 point 4): Grid.paper_cells' cells found in one search
over the cell tags (_screen._paper_pattern) are those of a search per style and one for the tags whose style is not
written plainly (the code before), tag by tag, whatever way a tag writes its style."""

from __future__ import annotations

import random
import zipfile

import pytest

from xlgoals._read import _screen
from xlgoals._read._screen import _FEW_STYLES, _ODD_STYLED, _col, _styled_cells, paper_cells, paper_styles

from .conftest import EXAMPLES

# cell tags as writers and hand edits write them: the style first, after t, none (style 0), unplain (09, quoted
# with ', empty, two spaces before it), twice, on a row (no cell), self-closing
TAGS = [b'<c r="A1" s="9">', b'<c r="B2">', b'<c r="C3" t="n" s="9">', b'<c r="D4" s="09">', b"<c r=\"E5\" s='9'>",
        b'<c r="F6" s="x" s="9">', b'<c r="G7" s="12" t="s">', b'<c r="H8" s="1"/>', b'<c r="I9"  s="9">',
        b'<c r="J10" s="">', b'<c r="K11" t="s" s="3"/>', b'<c r="L12" s="99">', b'<c r="M13" s="9" s="3">',
        b'<c r="AB1" t="s">', b'<row r="1" s="9">', b'<c r="N14" s="3" t="e">', b'<c r="O15" s="0">']


def _before(xml: bytes, styles: frozenset) -> dict:
    """paper_cells as it was: a search per style (_styled_cells) and one for the tags of no plain style (None)."""
    found = _styled_cells(xml, styles) if styles else {}
    found.update(((int(r) - 1, _col(letters) - 1), None) for letters, r in _ODD_STYLED.findall(xml))
    return found


@pytest.mark.parametrize("styles", [frozenset({"9"}), frozenset({"0", "9", "12"}), frozenset({"3", "1"}),
                                    frozenset({"1", "12", "99"}), frozenset(),
                                    frozenset(str(i) for i in range(_FEW_STYLES + 3))])
def test_paper_cells_finds_what_a_search_per_style_found(styles):
    rng = random.Random(len(styles))
    for _ in range(400):
        xml = b"<sheetData>" + b"".join(rng.choice(TAGS) + b"<v>1</v></c>" for _ in range(rng.randint(0, 9))) \
            + b"</sheetData>"
        assert paper_cells(xml, styles) == _before(xml, styles), xml


def test_each_tag_alone():
    styles = frozenset({"0", "9", "12"})
    # the tags whose cell may be of a style looked at: of 9 or 12 first or after t, of style 0 (no s, s="0"), or of
    # one not written plainly (cell_look reads it)
    xml = b"".join(tag + b"</c>" for tag in TAGS)
    assert set(paper_cells(xml, styles)) == {(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (6, 6), (8, 8), (9, 9), (0, 27),
                                        (12, 12), (14, 14)}
    assert paper_cells(xml, styles) == _before(xml, styles)


def test_the_examples_sheets_alike():
    seen = 0
    for path in sorted(EXAMPLES.rglob("*.xlsx")):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            if "xl/styles.xml" not in names:
                continue
            styles = paper_styles(z.read("xl/styles.xml"))
            for name in names:
                if name.startswith("xl/worksheets/sheet"):
                    xml = z.read(name)
                    assert paper_cells(xml, styles) == _before(xml, styles), (path.name, name)
                    seen += 1
    assert seen > 10


def test_one_pattern_a_set_of_styles():
    assert _screen._paper_pattern(frozenset({"3", "12"})) is _screen._paper_pattern(frozenset({"12", "3"}))
