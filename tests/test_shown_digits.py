"""Numbers as a spreadsheet shows them: 15 significant digits, in what is read and in what is written.

Excel, WPS and LibreOffice show (and LibreOffice saves) a number to 15 significant digits, while an .xlsx's XML may
hold 17 (Excel writes the double: 0.1 + 0.2 is 0.30000000000000004) and a summary's exact Decimal total may have
more than 15.  A return is read as the department saw it; a total no spreadsheet can show exactly says so.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate, fill, read, validate_file

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, load
from .helpers import info_cell, ooxml_errors


def _sheet_part(path: Path, sheet: str) -> str:
    """The worksheet part of sheet `sheet` in an .xlsx."""
    with zipfile.ZipFile(path) as z:
        wb = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(r'<sheet name="%s"[^>]*r:id="([^"]+)"' % re.escape(sheet), wb).group(1)
    target = re.search(r'Id="%s"[^>]*Target="([^"]+)"' % rid, rels) or \
        re.search(r'Target="([^"]+)"[^>]*Id="%s"' % rid, rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def _with_raw_cells(src: Path, dst: Path, cells: dict) -> Path:
    """Copy `src` with the XML of some cells replaced, as Excel writes them: {(sheet, "B11"): "<v>…</v>"} (the
    number's digits exactly as given; openpyxl would write its own shortest repr)."""
    parts: dict = {}
    for (sheet, ref), xml in cells.items():
        parts.setdefault(_sheet_part(src, sheet), []).append((ref, xml))
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            for ref, xml in parts.get(info.filename, ()):
                text = data.decode("utf-8")
                m = re.search(r'<c r="%s"(?:\s[^>]*?)?(?:/>|>.*?</c>)' % ref, text, re.DOTALL)
                assert m, (info.filename, ref)
                style = re.search(r'\ss="(\d+)"', m.group(0).split(">", 1)[0])
                cell = f'<c r="{ref}"{f" s={chr(34)}{style[1]}{chr(34)}" if style else ""}>{xml}</c>'
                data = (text[:m.start()] + cell + text[m.end():]).encode("utf-8")
            zout.writestr(info, data)
    return dst


# 1. Numbers of 16-17 digits in an .xlsx's XML -----------------------------------------------------------------
def test_an_xlsx_number_stored_with_17_digits_reads_as_the_cell_shows_it(tmp_path):
    """Excel writes the double it holds: 1234567.89 pasted from a computed cell is <v>1234567.8900000001</v>, 0.1+0.2 by
    a formula <v>0.30000000000000004</v>, and a 1234567.895 typed <v>1234567.8949999999</v>.  Read as shown (15
    significant digits): the document's amount is 1234567.89, the formula's value in its message 0.3, and the amount
    of three decimals is quoted as the department typed it, 1234567.895, not as the XML holds it."""
    total, current, prior = (info_cell(p) for p in ("/budget/total", "/budget/current_year",
                                                    "/budget/prior_year_budget"))
    path = _with_raw_cells(EXAMPLE_XLSX[1], tmp_path / "digits.xlsx", {
        total: "<v>1234567.8900000001</v>", current: "<v>1234567.8949999999</v>",
        prior: "<f>0.1+0.2</f><v>0.30000000000000004</v>"})
    report = validate_file(path)
    assert report.document["budget"]["total"] == 1234567.89
    assert report.document["budget"]["prior_year_budget"] == 0.3
    by_cell = {(p.sheet, p.cell, p.code): p for p in report.problems}
    decimals = by_cell[(*current, "cell.amount_decimals")]
    assert decimals.value == Decimal("1234567.895") and "1234567.895" in decimals.message, decimals
    assert "1234567.894" not in decimals.message and "99999" not in decimals.message
    formula = by_cell[(*prior, "cell.formula")]  # (and cell.amount_fraction: 0.3 元, a percent typed?)
    assert formula.value == Decimal("0.3") and "“0.3”" in formula.message, formula
    shown = str([p.to_dict() for p in report.problems]) + str([p.to_dict("en") for p in report.problems])
    assert "0.30000000000000004" not in shown and "1234567.894" not in shown and "1234567.8900000001" not in shown


@pytest.mark.soffice
def test_an_ods_number_stored_with_17_digits_reads_as_the_cell_shows_it(tmp_path, example_ods):
    """LibreOffice saves 15 digits, but an .ods another program wrote may hold the double (office:value=
    "1234567.8949999999" for 1234567.895): read as shown, the amount of three decimals is quoted 1234567.895 at both
    budget cells, as from the .xlsx (and from the .xls, whose BIFF record holds the double: test_real_clients)."""
    ods = example_ods  # lo_convert(EXAMPLE_XLSX[1], fmt="ods"), once per test process
    amount = read(EXAMPLE_XLSX[1]).document["budget"]["total"]
    dst = tmp_path / "digits.ods"
    with zipfile.ZipFile(ods) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                needle = f'office:value="{amount}"'.encode()
                assert data.count(needle) == 2, data.count(needle)  # 项目总预算 and 项目当年预算
                data = data.replace(needle, b'office:value="1234567.8949999999"')
            zout.writestr(info, data)
    report = validate_file(dst)
    found = [p for p in report.problems if p.code == "cell.amount_decimals"]
    assert sorted(p.cell for p in found) == sorted(info_cell(k)[1] for k in ("/budget/total", "/budget/current_year"))
    assert all(p.value == Decimal("1234567.895") and "1234567.895" in p.message for p in found), found
    assert report.document["budget"]["total"] == 1234567.895


def test_totals_of_17_digit_xlsx_amounts_are_the_sum_of_the_amounts_shown(tmp_path):
    """Two returns whose 项目总预算 XML holds 1234567.8900000001 and 0.30000000000000004 (as Excel writes them):
    the consolidation's Decimal total is 1234568.19, what the departments' cells show added up, in the result, the
    CSV and the JSON."""
    d = tmp_path / "in"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    total, current = info_cell("/budget/total"), info_cell("/budget/current_year")
    for i, v in enumerate(("1234567.8900000001", "0.30000000000000004")):
        doc["project"]["name"] = f"项目{i}"
        src = fill(doc, tmp_path / f"src{i}.xlsx")
        _with_raw_cells(src, d / f"{i}.xlsx", {total: f"<v>{v}</v>", current: f"<v>{v}</v>"})
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, csv_dir=tmp_path / "csv",
                         json_path=tmp_path / "s.json")
    assert result.totals["total"] == Decimal("1234568.19"), result.totals
    assert result.totals["current_year"] == Decimal("1234568.19")
    text = (tmp_path / "csv" / "汇总.csv").read_text(encoding="utf-8-sig") + \
        (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "1234568.19" in text
    assert "0.30000000000000004" not in text and "1234567.8900000001" not in text


# 4. A total beyond 15 significant digits ----------------------------------------------------------------------
def _notes(path: Path, sheet: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "15 位" in c.value]


def test_a_total_beyond_15_significant_digits_is_given_exactly_in_a_note(tmp_path):
    """Two returns of 6,172,839,450,617.28 元 each (15 digits, as a cell holds them) total 12,345,678,901,234.56 元:
    16 digits, which no spreadsheet shows (Excel shows 12,345,678,901,234.60, the cell holding a double).  The 合计
    cell stays a number; the note below it says that the total cannot be shown exactly and gives its exact digits as
    text (the unit's row too: it has the same sum); the CSV and JSON carry the exact digits."""
    d = tmp_path / "in"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    for i in range(2):
        doc["project"]["name"] = f"大额项目{i}"
        doc["budget"].update(total=6172839450617.28, current_year=6172839450617.28)
        fill(doc, d / f"{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, csv_dir=tmp_path / "csv",
                         json_path=tmp_path / "s.json")
    assert result.totals["total"] == Decimal("12345678901234.56"), result.totals
    sheet = "汇总"
    notes = _notes(tmp_path / "s.xlsx", sheet)
    assert len(notes) == 1, notes
    note = notes[0]
    assert "12,345,678,901,234.56" in note and "有效数字" in note, note
    assert "项目总预算" in note and "当年预算" in note, note
    assert "1 行" in note, note  # the unit's row holds the same 16-digit sum
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")[sheet]
    totals_row = next(r for r in ws.iter_rows() if any(c.value == "合计" for c in r))
    assert all(str(c.value).startswith("=SUM(") for c in totals_row[3:5])  # still numbers, summed by the client
    assert "12345678901234.56" in (tmp_path / "csv" / "汇总.csv").read_text(encoding="utf-8-sig")
    assert "12345678901234.56" in (tmp_path / "s.json").read_text(encoding="utf-8")
    assert ooxml_errors(tmp_path / "s.xlsx") == []


def test_totals_within_15_digits_carry_no_such_note(tmp_path):
    """The example returns' totals are shown exactly: no note about digits."""
    consolidate(EXAMPLE_XLSX[:3], tmp_path / "s.xlsx", jobs=1)
    assert _notes(tmp_path / "s.xlsx", "汇总") == []


# 3. Codes with leading zeros in the CSV tables -------------------------------------------------------------------
def test_codes_with_leading_zeros_round_trip_through_the_csv_read_as_text(tmp_path):
    """A unit named by its code, 001, and a project 0012: the CSV cell is the text 001 (no formula, no apostrophe),
    which pandas.read_csv(dtype=str) gives back as written, and Excel's import (数据 › 从文本/CSV) too when the
    column is set to text, as the README says; the summary workbook holds them as text cells."""
    pd = pytest.importorskip("pandas")
    d = tmp_path / "in"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    doc["unit"], doc["project"]["name"] = "001", "0012"
    fill(doc, d / "a.xlsx")
    consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, csv_dir=tmp_path / "csv")
    raw = (tmp_path / "csv" / "项目清单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese right
    row = next(r for r in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) if "0012" in r)
    assert "001" in row and not any(c.startswith(("=", "'")) for c in row if c.endswith(("001", "0012")))
    frame = pd.read_csv(tmp_path / "csv" / "项目清单.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    unit, project = read(d / "a.xlsx").document["unit"], "0012"
    assert unit == "001"
    assert (frame.iloc[:, 1] == "001").any() and (frame.iloc[:, 2] == project).any(), frame.iloc[:, :3]
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目清单"]
    cells = [c for row in ws.iter_rows() for c in row if c.value in ("001", "0012")]
    # the unit, the project, and the unit again as 汇总单位 (off paper: the name 汇总 counts it under) and as its 单位键
    assert len(cells) == 4 and all(c.data_type == "s" for c in cells)
    assert [c.value for c in cells if ws.cell(1, c.column).value == "单位键"] == ["001"]
    assert [c.value for c in cells if ws.cell(1, c.column).value == "汇总单位"] == ["001"]


def test_a_row_beyond_15_digits_under_a_total_within_them_is_counted():
    """A unit's 12,345,678,901,234.56 元 and another's 0.44 元 total 12,345,678,901,235.00 元 (14 digits, shown
    exactly): the note counts the row only, pointing to the CSV and JSON for its digits; none when all are shown."""
    from xlgoals._consolidate._table import Col, Table, digits_note

    def table(rows):
        return Table("汇总", "summary", [Col("单位", 10), Col("金额", 18, "money")], lambda: iter(rows), len(rows),
                     totals=[(1, "total", "money")])

    rows = [["甲", Decimal("12345678901234.56")], ["乙", Decimal("0.44")]]
    note = digits_note(table(rows), {"total": Decimal("12345678901235.00")})
    assert "1 行" in note and "CSV" in note and "合计" not in note, note
    assert digits_note(table([["甲", Decimal("1234567890123.45")]]), {"total": Decimal("1234567890123.45")}) == ""


# 2. A negative number typed into a cell whose format has a [<0] section ------------------------------------------
NEGATIVE_CASES = [  # (the format brought onto the target cell, what LibreOffice shows of -3 typed under it)
    ('[<0]"≤"0"天";"≥"0"人"', "≤3天"),  # the [<0] section shows -3 without its minus (LibreOffice, Excel)
    ('[<0]"-"0"天";"≥"0"人"', "-3天"),  # its own "-" is the minus shown, once
    ('"≤"0"天"', "-≤3天"),  # one section: the minus goes before the section's text (was quoted as ≤-3天)
    ('[<5]"≤"0"天";"≥"0"人"', "-≤3天"),  # a condition other than [<0]: the number keeps its minus, in front
]
#: The quantitative indicator row each case is typed into (made ≥5人), one document a format for the four (each
#: typing a LibreOffice job: a document opened, typed into and saved).  The first is the row the case was typed into
#: alone.
NEGATIVE_ROWS = (9, 10, 20, 21)


@pytest.fixture(scope="module")
def negatives_typed(soffice, tmp_path_factory):
    """fmt -> (the row of each case, its target cell's problems) of the second example return, each case's row made
    ≥5人, its target cell given the case's format and -3 typed into it in LibreOffice, saved in fmt."""
    from .conftest import lo_edit_job
    from .helpers import ind_cell

    folder = tmp_path_factory.mktemp("negatives")
    doc = load(EXAMPLE_JSON[1])
    edits = []
    for row, (number_format, _) in zip(NEGATIVE_ROWS, NEGATIVE_CASES):
        doc["indicators"][row].update(comparator=">=", value=5, unit="人")
        sheet, ref = ind_cell(row, "target")
        edits += [{"sheet": sheet, "cell": ref, "paste": 1, "format": number_format},
                  {"sheet": sheet, "cell": ref, "input": "-3"}]
    src = fill(doc, folder / "填好.xlsx")
    typed = {}
    for fmt in ("xlsx", "xls", "ods"):
        out = lo_edit_job(src, folder / f"负数.{fmt}", edits, folder, fmt=fmt)
        problems = validate_file(out).problems
        typed[fmt] = {row: [p for p in problems if (p.sheet, p.cell) == ind_cell(row, "target")] for row in NEGATIVE_ROWS}
    return typed


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
@pytest.mark.parametrize("number_format, shown", NEGATIVE_CASES)
def test_a_negative_number_typed_under_a_condition_format_is_held_to_its_section(negatives_typed, fmt,
                                                                                 number_format, shown):
    """A target cell given a format whose first section is for negative numbers ([<0], ECMA-376 §18.8.31: a section
    chosen by its condition), then -3 typed into it in LibreOffice, which shows the [<0] section (≤3天, checked
    through LibreOffice's own getString in the format's review): on a ≥5人 row the shown comparator and unit are
    held to the row, in every format LibreOffice saves.  A section that shows the number with its minus shows it
    before the section's text (-≤3天, as LibreOffice's getString gives it and Excel shows it): the message quotes
    that, not ≤-3天."""
    row = NEGATIVE_ROWS[NEGATIVE_CASES.index((number_format, shown))]
    found = negatives_typed[fmt][row]
    conflicts = [p for p in found if p.code == "cell.target_format_conflict"]
    assert len(conflicts) == 1 and f"“{shown}”" in conflicts[0].message, found


# The section a condition format shows a number with (ECMA-376 §18.8.31; Microsoft KB Q67469: the first two sections are
# the condition sections, their conditions defaulting to [>0] and [<0] where omitted, the third the "else") --------
@pytest.mark.parametrize("code, value, shown", [
    # as LibreOffice shows them (cell.getString() under each format, LibreOffice 7.4), and Excel per KB Q67469
    ('[>100]"大"0;"中"0;"零"0', 5, ("零", "", False)),  # neither >100 nor the default <0: the third section
    ('[>100]"大"0;"中"0;"零"0', -5, ("中", "", True)),  # the second's default [<0]: shown without its minus
    ('[>100]"大"0;"中"0;"零"0', 0, ("零", "", False)),
    ('[>100]"大"0;"中"0;"零"0', 500, ("大", "", False)),
    ('[<0]"负"0;"中"0;"零"0', 5, ("零", "", False)),  # the second (default [<0]) never shows a number here
    ('[<0]"负"0;"中"0;"零"0', -5, ("负", "", True)),
    # unchanged: two sections, the second the else; both conditional, the third the else; none holds: no text
    ('[<0]"-"0"天";"≤"0"天"', 3, ("≤", "天", False)),
    ('[<0]"-"0"天";"≤"0"天"', -3, ("-", "天", True)),
    ('[<-1]"≤"0"天";"≥"0"人"', -3, ("≤", "天", False)),  # a condition below another number keeps the minus
    ('[>100]"大"0;[<0]"负"0;"中"0', 5, ("中", "", False)),
    ('[>100]"大"0;[<0]"负"0;"中"0', -5, ("负", "", True)),
    ('[>100]"大"0;[<0]"负"0', 5, None),
    ('[>=10]"≥"0"人";[<0]"≥"0"人";"≤"0"天"', 3, ("≤", "天", False)),
])
def test_a_condition_format_shows_a_number_with_the_section_excel_and_libreoffice_choose(code, value, shown):
    """[>100]"大"0;"中"0;"零"0 showed 5 as 中5 (its second section taken as the else), where LibreOffice shows 零5
    and Excel's rule (the second section's omitted condition is [<0], the third the else) gives the same."""
    from xlgoals._read._screen import format_text, shown_for

    entry = format_text(code)
    assert (shown_for(entry, value) if entry else None) == shown


def test_a_number_under_an_excel_three_section_condition_format_is_held_to_the_third(tmp_path):
    """[>100]"≥"0"人";"≥"0"人";"≤"0"天" as Excel keeps it (the second section's [<0] left implicit) on a target of a
    ≥5人 row holding 5: shown ≤5天 (the third section: 5 is neither above 100 nor below 0), which the row's ≥5人 does
    not match; the reader took the second section, ≥5人, and said nothing.  (LibreOffice writes the implicit [<0]
    into the files it saves, [>100]…;[<0]…;…, which was read right.)"""
    from .helpers import ind_cell

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=5, unit="人")
    src = fill(doc, tmp_path / "填好.xlsx")
    wb = openpyxl.load_workbook(src)
    sheet, ref = ind_cell(9, "target")
    wb[sheet][ref].value = 5
    wb[sheet][ref].number_format = '[>100]"≥"0"人";"≥"0"人";"≤"0"天"'
    wb.save(tmp_path / "三段.xlsx")
    found = [p for p in validate_file(tmp_path / "三段.xlsx").problems if p.code == "cell.target_format_conflict"]
    assert [(p.sheet, p.cell) for p in found] == [(sheet, ref)] and "“≤5天”" in found[0].message, found
