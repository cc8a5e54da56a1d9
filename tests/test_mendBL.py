"""mendBL: number-format leftovers (session 25).

1. A number in a 定性 target (a paste bringing its format) under a format of two % signs (``0%%``: 5 prints as
   50000%%, each sign ×100) is read as the paper shows it, 50000%%, not 500% (one sign, scaled once); a quote of a
   number shown with a format's text keeps the section's % count too.
2. An .ods gives the facts and quotes an .xlsx gives for the same format, where its number style carries them: a
   style:map part shown as a percent ([<1]0%;0: LibreOffice saves 0.5 as a float its percentage part shows as 50%)
   is a percent cell for that number; the % signs printed are the style's (LibreOffice's 0%% multiplies once and
   prints 500%% for 5); cell.amount_scaled / cell.number_scaled quote the number as printed (6,280.00万元, not 6280万元)
   from a code written for the style (_ods_code).  A quoted % in an .xlsx's code prints without scaling (0%"%").
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import FORMS, fill, read, validate_file

from .conftest import EXAMPLE_JSON, load
from .helpers import ind_cell

PERCENT, TEXT = 8, 7  # 定性 rows of the seed table (as test_formats_qualitative)


def _qualitative_targets(tmp_path, cells: dict):
    """The second example filled, its 定性 rows' targets given (value, number format) by row; their texts read."""
    src = fill(load(EXAMPLE_JSON[1]), tmp_path / "填好.xlsx")
    wb = openpyxl.load_workbook(src)
    for row, (value, fmt) in cells.items():
        sheet, ref = ind_cell(row, "target")
        wb[sheet][ref].value, wb[sheet][ref].number_format = value, fmt
    wb.save(tmp_path / "q.xlsx")
    items = read(tmp_path / "q.xlsx").document["indicators"]
    return [items[row].get("text") for row in cells]


@pytest.mark.parametrize("fmt, value, shown", [("0%%", 5, "50000%%"), ('"≥"0%%"天"', 5, "≥50000%%天"),
                                               ("0%", 0.85, "85%"), ("[<1]0%;0", 5, "5"),
                                               ("[<1]0%;0%%", 0.5, "50%"), ("[<1]0%;0%%", 5, "50000%%")])
def test_a_qualitative_target_under_percent_signs_reads_as_printed(tmp_path, fmt, value, shown):
    assert _qualitative_targets(tmp_path, {PERCENT: (value, fmt)}) == [shown]


def test_a_number_quoted_with_its_format_text_keeps_the_sections_percent_signs():
    """Where no format code is kept to print the number with (an .ods's number style), the quote is the percent read
    with as many % as the section shows; the comparator and unit are read as one % (the second only scales)."""
    from xlgoals._read._interpret import _shown_read

    assert _shown_read(("≥", "", False), 50000, 2) == ("≥50000%%", ">=", "%")
    assert _shown_read(("≥", "", False), 85, 1) == ("≥85%", ">=", "%")
    assert _shown_read(("≥", "人", False), 3, 0) == ("≥3人", ">=", "人")


# 2 ------------------------------------------------------------------------------------------------------------------
def test_a_quoted_percent_sign_is_quoted_as_printed(tmp_path):
    """0%"%" scales once and prints two signs: 95 prints 9500%%, as the hundredfold warning quotes it."""
    from .test_actual_formats import SE, _with_actual

    k, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 95, '0%"%"')
    report = validate_file(tmp_path / "se.xlsx")
    found = [(p.cell, p.value) for p in report.problems if p.code == "cell.percent_hundredfold"]
    assert found == [(ref, "9500%%")], report.problems
    assert report.document["indicators"][k]["actual"] == 9500


def _actuals_in_percent(tmp_path, cases):
    """The self-evaluation example with its first quantitative rows in % given (actual, number format): the rows."""
    from .test_actual_formats import SE

    doc = read(SE).document
    rows = [n for n, it in enumerate(doc["indicators"]) if it.get("unit") == "%" and it.get("comparator") != "qualitative"]
    form = FORMS["self-evaluation"].for_document(doc)
    col = form.column("actual")
    wb = openpyxl.load_workbook(SE)
    ws = wb[form.table.name]
    refs = []
    for k, (value, fmt) in zip(rows, cases):
        cell = ws.cell(row=form.table.first_row + k + 1, column=col.index + 1)
        cell.value, cell.number_format = value, fmt
        refs.append(cell.coordinate)
    wb.save(tmp_path / "se.xlsx")
    return rows[:len(cases)], refs


def _ods_texts(path) -> dict:
    """(sheet, cell) -> the text LibreOffice shows in a cell of an .ods it saved (its text:p), of the numbers."""
    import re
    import zipfile

    from xlgoals._form import a1

    content = zipfile.ZipFile(path).read("content.xml").decode()
    out = {}
    for table in re.finditer(r'<table:table table:name="([^"]*)".*?</table:table>', content, re.S):
        for r, row in enumerate(re.finditer(r"<table:table-row\b[^>]*?(?:/>|>(.*?)</table:table-row>)", table[0], re.S)):
            c = 0
            for cell in re.finditer(r"<table:(?:covered-)?table-cell\b([^>]*?)(?:/>|>(.*?)</table:(?:covered-)?table-cell>)",
                                    row[1] or "", re.S):
                rep = re.search(r'number-columns-repeated="([0-9]+)"', cell[1])
                if "office:value=" in cell[1]:
                    out[(table[1], a1(r, c))] = "".join(re.findall(r">([^<]*)<", f">{cell[2] or ''}<"))
                c += int(rep[1]) if rep else 1
    return out


@pytest.mark.soffice
def test_an_ods_percent_by_section_reads_and_quotes_as_libreoffice_prints(tmp_path, lo_convert):
    cases = [(0.5, "[<1]0%;0"), (5, "[<1]0%;0"), (95, "0%%"), (0.5, "[<1]0%;0%%"), (95, "[<1]0%;0%%")]
    rows, refs = _actuals_in_percent(tmp_path, cases)
    (ods,) = lo_convert(tmp_path / "se.xlsx", fmt="ods")
    sheet = FORMS["self-evaluation"].table.name
    printed = _ods_texts(ods)
    assert [printed[(sheet, ref)] for ref in refs] == ["50%", "5", "9500%%", "50%", "9500%%"]
    report = validate_file(ods)
    items = report.document["indicators"]
    assert [items[k]["actual"] for k in rows] == [50, 5, 9500, 50, 9500]  # the digits LibreOffice prints
    fraction = [p.cell for p in report.problems if p.code == "cell.percent_fraction"]
    assert refs[0] not in fraction, report.problems  # 0.5 prints 50%: not asked whether it is 50
    hundredfold = {p.cell: p.value for p in report.problems if p.code == "cell.percent_hundredfold"}
    assert {ref: hundredfold.get(ref) for ref in (refs[2], refs[4])} == {refs[2]: "9500%%", refs[4]: "9500%%"}


@pytest.mark.soffice
def test_an_ods_scaled_amount_is_quoted_as_printed(tmp_path, lo_convert):
    from .test_mendBF import _expected_prints, _scaled_return

    (ods,) = lo_convert(_scaled_return(tmp_path), fmt="ods")
    quoted = {(p.sheet, p.cell): p for p in validate_file(ods).problems
              if p.code in ("cell.amount_scaled", "cell.number_scaled")}
    expected = _expected_prints()
    printed = _ods_texts(ods)
    assert {at: printed[at] for at in expected} == expected  # what LibreOffice shows in the .ods
    assert sorted(quoted) == sorted(expected)
    for at, p in quoted.items():
        assert f"“{expected[at]}”" in p.message and f"'{expected[at]}'" in p.text("en"), p.message


def test_an_ods_code_is_written_only_where_a_code_says_the_style():
    from xlgoals._read._screen import _ods_code, _ods_part_code

    number = {"number:decimal-places": "2", "number:min-decimal-places": "2", "number:min-integer-digits": "1",
              "number:grouping": "true"}
    assert _ods_part_code(False, "", number, "万元") == '#,##0.00"万元"'
    assert _ods_part_code(False, "", {**number, "number:display-factor": "1000"}, "") == "#,##0.00,"
    assert _ods_part_code(True, "≥", {"number:min-integer-digits": "1"}, "%%天") == '"≥"0%"%天"'
    assert _ods_part_code(False, "", {**number, "number:display-factor": "7"}, "") is None
    assert _ods_part_code(True, "", number, "") is None  # a percentage style printing no %: no code scales so
    assert _ods_part_code(False, '"', number, "") is None
    numbers = {("->", "A"): ((("<", 1.0), "B"),), ("code", "A"): "0", ("code", "B"): "0%"}
    assert _ods_code(numbers, "A") == "[<1]0%;0"
    huge = {**numbers, ("->", "A"): ((("<", float("1" + "0" * 400)), "B"),)}  # a condition past any double
    assert _ods_code(huge, "A") is None
    three = {**numbers, ("->", "A"): ((("<", 1.0), "B"),) * 3}
    assert _ods_code(three, "A") is None
