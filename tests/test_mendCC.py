"""What the paper shows, continued (mendCC): the print checks' blind spots.

- A column narrowed (二级目标 dragged to 1.5 characters), wrap on, the rows of a fixed height: its texts wrap to
  more lines than the row holds and print cut (seen printed through LibreOffice): cell.row_too_short at each cell,
  counted at the file's width.  No warning where the row is tall enough, nor on a row of no fixed height.
- The quick one-line filter of cell.text_unwrapped measured at 11 pt: a text pasted at 14 pt wider than its cell
  was missed.
- cell.font_hidden read only rgb colours and the theme's first two untinted: a theme colour (the file's own
  theme1.xml) or a tint (白色，背景 1，深色 5%) hid from it.
"""

from __future__ import annotations

import copy
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.colors import Color

from xlgoals import validate_file, write_template

from .conftest import EXAMPLES, cli
from .test_mendBT import _widths

RETURN = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
TABLE = "绩效指标"
PRINT = {"cell.row_too_short", "cell.text_unwrapped", "cell.font_hidden", "cell.number_hashes",
         "cell.number_rounded", "cell.print_cut"}
# the rows of 二级目标 (C) holding a text, each 18 pt of a fixed height (customHeight), as the template makes them;
# the last two indicators' rows (29, 30) are taller, and their 其它 fits two lines there
FIXED_ROWS = range(4, 29)


def _problems(path: Path, lang: str = "zh") -> list[dict]:
    r = cli("validate", path, "--format", "json", "--lang", lang)
    return [p for p in json.loads(r.output)["files"][0]["problems"] if p["code"] in PRINT]


def _found(path: Path) -> list[tuple]:
    return sorted((p["code"], p["sheet"], p["cell"]) for p in _problems(path))


def _edited(tmp_path: Path, edit, name: str = "r.xlsx", src: Path = RETURN) -> Path:
    wb = openpyxl.load_workbook(src)
    edit(wb)
    wb.save(tmp_path / name)
    return tmp_path / name


def _patched(path: Path, part: str, change) -> Path:
    """`path` with its part `part` rewritten by `change` (bytes -> bytes), in place."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            z.writestr(info, change(data) if info.filename == part else data)
    return path


def _table_part(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(r'name="绩效指标"[^>]*r:id="(rId\d+)"', z.read("xl/workbook.xml").decode())[1]
    return re.search(rf'Target="/?(?:xl/)?([^"]+)" Id="{rid}"|Id="{rid}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels).group(1, 2)


def _auto_heights(path: Path) -> Path:
    """The indicator rows' fixed heights lifted (customHeight removed): rows of no fixed height, as typing leaves them."""
    part = "xl/" + next(p for p in _table_part(path) if p)
    return _patched(path, part, lambda xml: re.sub(rb'(<row r="(?:[4-9]|[1-3][0-9])"[^>]*?) customHeight="1"', rb"\1", xml))


# 1. a narrowed column, wrap on --------------------------------------------------------------------------------------
def test_a_narrowed_column_cuts_its_wrapped_texts_at_each_cell_once(tmp_path):
    path = _edited(tmp_path, _widths({(TABLE, "C"): 1.5}))
    found = _found(path)
    assert found == sorted(("cell.row_too_short", TABLE, f"C{r}") for r in FIXED_ROWS), found
    assert max(Counter(found).values()) == 1
    zh = next(p["message"] for p in _problems(path) if p["cell"] == "C4")
    assert "第1条指标的二级目标" in zh and "约需 66 磅行高" in zh and "18 磅" in zh and "调窄为 1.5 个字符宽" in zh \
        and "窄于模板的 11" in zh and "占 4 行" in zh and "加宽该列" in zh, zh
    en = next(p["message"] for p in _problems(path, "en") if p["cell"] == "C4")
    assert "narrowed to 1.5 characters" in en and "wraps to 4 lines" in en and "widen the column" in en, en


def test_a_narrowed_column_at_a_larger_font_counts_its_lines_at_that_size(tmp_path):
    """C at 9.5 characters: 投入管理 takes one line at 11 pt (fits), two at 16 pt (cut in 18 pt)."""
    def edit(wb):
        _widths({(TABLE, "C"): 9.5})(wb)
        ws = wb[TABLE]
        ws["C5"].font = Font(name=ws["C5"].font.name, sz=16)
    path = _edited(tmp_path, edit)
    assert _found(path) == [("cell.row_too_short", TABLE, "C5")]


def test_a_narrowed_column_with_rows_tall_enough_is_no_problem(tmp_path):
    def edit(wb):
        _widths({(TABLE, "C"): 6})(wb)  # two Chinese characters a line: 投入管理 on two lines
        for r in range(4, 40):
            wb[TABLE].row_dimensions[r].height = 36
    assert _found(_edited(tmp_path, edit)) == []
    short = _edited(tmp_path, _widths({(TABLE, "C"): 6}), "short.xlsx")  # the same in rows of 18 pt: cut
    ws = openpyxl.load_workbook(RETURN)[TABLE]
    longer = [r for r in FIXED_ROWS if len(ws[f"C{r}"].value) > 2]  # (数量, 质量, 时效: one line)
    assert len(longer) == 16 and _found(short) == sorted(("cell.row_too_short", TABLE, f"C{r}") for r in longer)


def test_a_narrowed_column_in_rows_of_no_fixed_height_is_said_too(tmp_path):
    """A row of no fixed height is not grown by LibreOffice as the column is narrowed, nor as it prints (the
    LibreOffice case below; its PDF showed those rows at 18 pt, cut): said, with what its row is."""
    path = _auto_heights(_edited(tmp_path, _widths({(TABLE, "C"): 1.5})))
    assert _found(path) == sorted(("cell.row_too_short", TABLE, f"C{r}") for r in FIXED_ROWS)
    zh = next(p["message"] for p in _problems(path) if p["cell"] == "C4")
    assert "调窄列宽后此行未随之调高" in zh, zh
    tall = _edited(tmp_path, _widths({(TABLE, "C"): 6}), "tall.xlsx")  # the same rows grown (2 lines: 36 pt)
    wb = openpyxl.load_workbook(tall)
    for r in range(4, 40):
        wb[TABLE].row_dimensions[r].height = 36
    wb.save(tall)
    assert _found(_auto_heights(tall)) == []


def test_a_narrowed_information_field_is_said(tmp_path):
    """项目信息's value column narrowed: the overview (项目概况, B14), in its row of a fixed height, is cut."""
    def edit(wb):
        wb["项目信息"].column_dimensions["B"].width = 20
    path = _edited(tmp_path, edit)
    found = _found(path)
    assert ("cell.row_too_short", "项目信息", "B14") in found, found
    assert all(sheet == "项目信息" for _, sheet, _ in found)


def test_the_examples_and_templates_have_no_print_problem(tmp_path):
    files = sorted(EXAMPLES.glob("**/*.xlsx"))
    for fw in ("shanghai-2020", "shanghai-2025", "national-2021"):
        files.append(write_template(tmp_path / f"{fw}.xlsx", framework=fw))
    assert len(files) > 20
    for f in files:
        assert [p.code for p in validate_file(f).problems if p.code in PRINT] == [], f


# 2. the quick one-line filter at the cell's font size ---------------------------------------------------------------
NAME_13 = "享受职业技能补贴人数统计口径"  # 13 characters: one line of 三级目标 (D) at 11 pt, not at 14 pt


def _big_unwrapped(size: float):
    def edit(wb):
        ws = wb[TABLE]
        ws["D13"].value = NAME_13
        ws["D13"].font = Font(name=ws["D13"].font.name, sz=size)
        al = copy.copy(ws["D13"].alignment)
        al.wrap_text = False
        ws["D13"].alignment = al
    return edit


def test_a_text_pasted_at_14_pt_wider_than_its_cell_is_said_cut(tmp_path):
    assert _found(_edited(tmp_path, _big_unwrapped(14))) == [("cell.text_unwrapped", TABLE, "D13")]


def test_the_same_text_at_11_pt_fits_and_is_no_problem(tmp_path):
    assert _found(_edited(tmp_path, _big_unwrapped(11))) == []


# 3. theme colours and tints -----------------------------------------------------------------------------------------
def _coloured(**cells):
    """cells: ref -> (font Color, fill Color or None)."""
    def edit(wb):
        ws = wb[TABLE]
        for ref, (font, fill) in cells.items():
            ws[ref].font = Font(name=ws[ref].font.name, sz=ws[ref].font.sz, color=font)
            if fill is not None:
                ws[ref].fill = PatternFill("solid", fgColor=fill)
    return edit


def test_a_theme_colour_or_a_tint_hiding_the_text_is_said(tmp_path):
    path = _edited(tmp_path, _coloured(
        F13=(Color(theme=0), None),  # 白色，背景 1 on the pale input fill
        F14=(Color(theme=1, tint=0.95), None),  # 黑色，文字 1，淡色 95%: all but white
        F15=(Color(theme=4), Color(theme=4)),  # an accent on the same accent
        F16=(Color(theme=0, tint=-0.05), Color(rgb="FFFFFFFF")),  # 白色，背景 1，深色 5% on white
        F17=(Color(theme=4), Color(rgb="FFFFFFFF")),  # an accent (blue) on white: seen
        F18=(Color(theme=1, tint=0.35), None)))  # dark grey: seen
    assert _found(path) == [("cell.font_hidden", TABLE, f"F{r}") for r in (13, 14, 15, 16)]
    zh = {p["cell"]: p["message"] for p in _problems(path)}
    assert "#FFFFFF" in zh["F13"] and "#F2F2F2" in zh["F14"] and "#F2F2F2" in zh["F16"], zh


def test_theme_colours_are_the_files_own(tmp_path):
    """背景 2 (lt2) on white: hidden in the file's theme (EEECE1), seen where the theme makes it dark."""
    path = _edited(tmp_path, _coloured(F13=(Color(theme=2), Color(rgb="FFFFFFFF"))))
    assert _found(path) == [("cell.font_hidden", TABLE, "F13")]
    dark = _patched(_edited(tmp_path, _coloured(F13=(Color(theme=2), Color(rgb="FFFFFFFF"))), "dark.xlsx"),
                    "xl/theme/theme1.xml", lambda xml: re.sub(rb'(<a:lt2>\s*<a:srgbClr val=")[0-9A-Fa-f]{6}', rb"\g<1>1F2F3F", xml))
    assert _found(dark) == []


def test_theme_colours_parsed():
    from xlgoals._read._screen import _rgb, theme_colours

    theme = theme_colours(zipfile.ZipFile(RETURN).read("xl/theme/theme1.xml"))
    assert theme[:2] == ("FFFFFF", "000000") and len(theme) == 12
    assert _rgb({"theme": "0", "tint": "-0.0499893185216834"}, theme) == "F2F2F2"
    assert _rgb({"theme": "1", "tint": "0.499984740745262"}, theme) == "7F7F7F"
    assert _rgb({"theme": "1", "tint": "x"}, theme) is None and _rgb({"theme": "99"}, theme) is None
    assert theme_colours(b"<a:theme/>") == () and theme_colours(None) == ()


# through LibreOffice: one document, one session, for every case ---------------------------------------------------
AUTO_ROWS = range(16, 21)  # rows left of no fixed height before LibreOffice narrows the column


@pytest.fixture(scope="module")
def lo_narrowed(tmp_path_factory, soffice):
    """The example with 三级目标 D13 pasted at 18 pt, wrap off (2), and rows 16-20 of no fixed height, opened in
    LibreOffice: the sheet unprotected, column C set to 9 pt (Format › Columns › Width), 时效 typed into C21, saved as
    .xlsx.  (At 14 pt LibreOffice, drawing 宋体 with Noto Sans CJK, prints D13's 14 characters whole; at 18 pt it
    cuts them, as Excel's 宋体 does at 14 pt already.)"""
    from .conftest import lo_edit_job

    tmp = tmp_path_factory.mktemp("mendCC")
    src = _edited(tmp, _big_unwrapped(18), "src.xlsx")
    part = "xl/" + next(p for p in _table_part(src) if p)
    _patched(src, part, lambda xml: re.sub(rb'(<row r="(?:1[6-9]|20)"[^>]*?) customHeight="1"', rb"\1", xml))
    edits = [{"sheet": TABLE, "unprotect": True}, {"sheet": TABLE, "cell": "C4", "col_width": 9, "dialog": True},
             {"sheet": TABLE, "cell": "C21", "input": "时效"}]
    return lo_edit_job(src, tmp / "lo.xlsx", edits, tmp)


def test_a_column_narrowed_in_libreoffice_is_said_at_its_cut_texts(lo_narrowed):
    """LibreOffice narrows C (1.48 characters saved) and grows none of the rows, of a fixed height or not: each text
    of C prints cut (its PDF, looked at: one character of each shows), and is said so at its cell."""
    with zipfile.ZipFile(lo_narrowed) as z:
        xml = z.read("xl/" + next(p for p in _table_part(lo_narrowed) if p)).decode()
    rows = {int(m[1]): m[0] for m in re.finditer(r'<row r="(\d+)"[^>]*>', xml)}
    assert all('ht="18"' in rows[r] for r in FIXED_ROWS), rows
    assert all('customHeight="false"' in rows[r] for r in AUTO_ROWS), rows  # not grown, as printed
    width = float(re.search(r'<col [^>]*max="3" min="3"[^>]*width="([\d.]+)"|<col [^>]*min="3"[^>]*max="3"[^>]*width="([\d.]+)"', xml)
                  .group(1) or 0)
    assert 1 <= width < 2, width
    found = [f for f in _found(lo_narrowed) if f[0] == "cell.row_too_short"]
    assert found == sorted(("cell.row_too_short", TABLE, f"C{r}") for r in FIXED_ROWS), found


def test_a_text_at_18_pt_saved_by_libreoffice_is_said_cut(lo_narrowed):
    assert ("cell.text_unwrapped", TABLE, "D13") in _found(lo_narrowed)
