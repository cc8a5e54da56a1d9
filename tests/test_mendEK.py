"""Red team 29ah F3, F1, F2: every check reads one sheet's row and cell tags as the screen's parser reads them.

A row tag inside a comment, a processing instruction or a CDATA section, or a real row tag written otherwise than
the canonical way (x: prefix, a newline or two spaces in it, ht before r, single quotes, no r), was taken for
(or hid) the row's own tag: the fixed 30 pt row 15 of 项目信息 was not known, cell.row_too_short silently lost.
A row or cell written twice (Excel repairs such a file) is refused, located, not read from one tag here and another
there.  A cell written D05 is D5 for every check."""

import zipfile

import pytest

from xlgoals import validate_file

from .conftest import EXAMPLE_XLSX

GOOD = EXAMPLE_XLSX[0]
INFO, TABLE = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"  # 项目信息, 绩效指标
REAL = b'<row r="15" spans="1:2" ht="150">'  # row 15 of 项目信息 (B15: a long text)
SHORT = b'<row r="15" spans="1:2" ht="30" customHeight="1">'  # fixed at 30 pt: the text is cut on paper
FAKE = b'<row r="15" ht="400" customHeight="1">'
D5 = b'<c r="D5" s="6" t="s"><v>67</v></c>'  # 绩效指标!D5, a typed text


def rezip(dst, edits, src=GOOD):
    """A copy of `src` with each part of `edits` changed: part -> [(old, new)] (each old found, the first replaced)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for old, new in edits.get(info.filename, ()):
                assert old in data, (info.filename, old)
                data = data.replace(old, new, 1)
            zout.writestr(info.filename, data)
    return dst


def _white_style():
    """styles.xml edits adding style 15: the amount style with a white font (cell.font_hidden's)."""
    xf = (b'<xf numFmtId="164" fontId="6" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" '
          b'applyBorder="1" applyProtection="1"><protection locked="0"/></xf>')
    return [(b'<fonts count="6">', b'<fonts count="7">'),
            (b"</fonts>", b'<font><sz val="11"/><color rgb="FFFFFFFF"/><name val="Arial"/></font></fonts>'),
            (b'<cellXfs count="15">', b'<cellXfs count="16">'), (b"</cellXfs>", xf + b"</cellXfs>")]


SHORT_ROWS = {
    "canonical": [(REAL, SHORT)],
    "fake_in_comment": [(REAL, b"<!-- " + FAKE + b" -->" + SHORT)],
    "fake_in_processing_instruction": [(REAL, b"<?x " + FAKE + b"?>" + SHORT)],
    "fake_in_cdata": [(REAL, SHORT), (b'<c r="B13" s="9"/>',
                                      b'<c r="B13" s="9" t="inlineStr"><is><t><![CDATA[' + FAKE + b"]]></t></is></c>")],
    "newline_in_tag": [(REAL, SHORT.replace(b"<row ", b"<row\n"))],
    "two_spaces_in_tag": [(REAL, SHORT.replace(b"<row ", b"<row  "))],
    "ht_before_r": [(REAL, b'<row ht="30" customHeight="1" r="15" spans="1:2">')],
    "single_quotes": [(REAL, b"<row r='15' spans='1:2' ht='30' customHeight='1'>")],
    "no_r": [(REAL, b'<row spans="1:2" ht="30" customHeight="1">')],
    "x_prefix": [(REAL, SHORT.replace(b"<row", b"<x:row")), (b"</c></row><row r=\"16\"", b"</c></x:row><row r=\"16\""),
                 (b"<worksheet ", b'<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ')],
}


@pytest.mark.parametrize("variant", sorted(SHORT_ROWS))
def test_row_height_is_the_real_row_tags_whatever_is_written_around_it(tmp_path, variant):
    """Each variant is the 30 pt row as Excel and LibreOffice show it: its text is said cut on paper (on main, all
    but the canonical one were silent: a fake tag before it, or its own tag not found)."""
    f = rezip(tmp_path / "short.xlsx", {INFO: SHORT_ROWS[variant]})
    problems = validate_file(f).problems
    assert not [p for p in problems if p.code.startswith("file.")], [(p.code, p.message) for p in problems]
    assert [(p.sheet, p.cell) for p in problems if p.code == "cell.row_too_short"] == [("项目信息", "B15")]


@pytest.mark.parametrize("where", ["canonical", "parsed"])
@pytest.mark.parametrize("order", ["tall_first", "tall_after"])
def test_row_written_twice_is_refused_located(tmp_path, where, order):
    """Two tags of row 15 (a tall empty one before or after the real 30 pt one): which height the department meant
    is not known (on main the first was read: row_too_short said or not by the order of the tags)."""
    tall = b'<row r="15" ht="400" customHeight="1"></row>'
    edits = [(REAL, tall + SHORT)] if order == "tall_first" else [(REAL, SHORT), (b'<row r="16" ', tall + b'<row r="16" ')]
    if where == "parsed":  # a comment elsewhere sends the part to the parser
        edits.append((b"<sheetData>", b"<sheetData><!-- a comment -->"))
    f = rezip(tmp_path / "twice.xlsx", {INFO: edits})
    problems = validate_file(f).problems
    assert [(p.code, p.sheet) for p in problems] == [("file.corrupt", "项目信息")], [(p.code, p.message) for p in problems]
    assert "第 15 行写了两次" in problems[0].message and "row 15 of sheet '项目信息' is written twice" in problems[0].message_en


@pytest.mark.parametrize("first, second, said, said_en", [
    (b'<c r="D5" s="6"', b'<c r="D5" s="15"', "单元格 D5 写了两次", "cell D5 of sheet '绩效指标' is written twice"),
    (b'<c r="D5" s="15"', b'<c r="D5" s="6"', "单元格 D5 写了两次", "cell D5 of sheet '绩效指标' is written twice"),
    (b'<c r="D5" s="6"', b'<c r="D05" s="15"', "单元格 D5（写作“D05”） 写了两次", "cell D5 (written 'D05')"),
])
def test_cell_written_twice_is_refused_located(tmp_path, first, second, said, said_en):
    """Two tags of D5, one white (calamine reads the last one's value, the look was read from the first or the last):
    refused, named, instead of one check reading one tag and another the other (on main: read, font_hidden said or not
    by the order of the tags)."""
    twice = first + b' t="s"><v>67</v></c>' + second + b' t="s"><v>67</v></c>'
    # (a comment sends the part to the parser, which reads every tag; a canonical part's second tag is found where
    # a check reads the cell's tag: test_speedA's property)
    f = rezip(tmp_path / "twice.xlsx", {"xl/styles.xml": _white_style(),
                                        TABLE: [(D5, twice), (b"<sheetData>", b"<sheetData><!-- a comment -->")]})
    problems = validate_file(f).problems
    assert [(p.code, p.sheet) for p in problems] == [("file.corrupt", "绩效指标")], [(p.code, p.message) for p in problems]
    assert said in problems[0].message and said_en in problems[0].message_en, (problems[0].message, problems[0].message_en)


@pytest.mark.parametrize("tag", [b"<c r=\"D05\" s='15'", b"<c r=\"D0005\" s = \"15\"", b'<c r="D05" t="s" s="15"'])
def test_cell_written_with_leading_zeros_is_that_cell_for_its_look(tmp_path, tag):
    """<c r="D05"> is D5 for calamine; its style written otherwise than plainly (single quotes, spaces, after t) was
    looked up by its text <c r="D5" and not found on main: its white font never said (cell.font_hidden)."""
    f = rezip(tmp_path / "zero.xlsx", {"xl/styles.xml": _white_style(), TABLE: [(D5, tag + b' t="s"><v>67</v></c>'
                                                                                if b" t=" not in tag else
                                                                                tag + b"><v>67</v></c>")]})
    problems = validate_file(f).problems
    assert not [p for p in problems if p.code.startswith("file.")], [(p.code, p.message) for p in problems]
    assert [(p.sheet, p.cell) for p in problems if p.code == "cell.font_hidden"] == [("绩效指标", "D5")]


def test_parsed_part_keeps_a_bounded_number_of_cell_tags(monkeypatch):
    """A hostile part's millions of cells are not all kept (memory); a second tag of a kept cell is still refused."""
    from xlgoals._read import _screen
    from xlgoals._read._safety import FileProblem

    monkeypatch.setattr(_screen, "MAX_KEPT_TAGS", 3)
    cells = b"".join(b'<c r="%s1" s="3"/>' % c for c in (b"A", b"B", b"C", b"D", b"E"))
    facts = _screen._screen_parsed(b"<worksheet><sheetData><row r=\"1\">" + cells + b"</row></sheetData></worksheet>", "s")
    assert sorted(facts.cell_tags) == [(0, 0), (0, 1), (0, 2)] and facts.row_tags == {0: {"r": "1"}}
    with pytest.raises(FileProblem) as e:
        _screen._screen_parsed(b"<worksheet><sheetData><row r=\"1\">" + cells + b'<c r="$B$1"/></row></sheetData></worksheet>',
                               "s")
    assert "单元格 B1（写作“$B$1”） 写了两次" in e.value.detail, e.value.detail
