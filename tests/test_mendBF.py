"""mendBF: what a problem quotes a cell as printing, and what it expects (red team 24e).

r04. cell.amount_scaled / cell.number_scaled quote what the cell prints as Excel and LibreOffice render it from its
     number format (146,407,273.00万元 for ``#,##0.00"万元"``, 0.10 for ``#,##0.00,``), not the bare number scaled
     (146407273万元, 0.1): a clerk comparing the message with the paper finds that text on it.
"""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from xlgoals import FORMS
from xlgoals._form import a1

from .conftest import EXAMPLES, cli, lo_printed

GT = FORMS["goal-table"]
PASSING = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"

#: (JSON pointer or indicator index, number format, value, what Excel and LibreOffice print)
AMOUNTS = [("/budget/total", '#,##0.00"万元"', 146407273, "146,407,273.00万元"),
           ("/budget/current_year", '0.00\\万', 6280.125, "6280.13万"),
           ("/budget/prior_year_budget", '[$¥-804]#,##0.0"千元"', 1234567, "¥1,234,567.0千元")]
TARGETS = [(0, "#,##0.00,", 100, "0.10"),
           (1, "0.0,,", 1234567890, "1234.6"),
           (2, "#,##0,;(#,##0,)", 62800000, "62,800")]


def _scaled_return(tmp_path):
    """The passing example with amounts and targets formatted so that they print scaled (AMOUNTS, TARGETS)."""
    wb = openpyxl.load_workbook(PASSING)
    cells = {}
    for path, code, value, _ in AMOUNTS:
        f = GT.field(path)
        wb[f.sheet][f.cell].value = value
        wb[f.sheet][f.cell].number_format = code
        cells[(f.sheet, f.cell)] = path
    ws = wb[GT.table.name]
    col = GT.column("value").index
    for i, code, value, _ in TARGETS:
        cell = ws.cell(GT.table.first_row + i + 1, col + 1)
        cell.value = value
        cell.number_format = code
        cells[(GT.table.name, cell.coordinate)] = i
    out = tmp_path / "scaled.xlsx"
    wb.save(out)
    return out


def _printed_quoted(tmp_path, lang: str) -> dict:
    """(sheet, cell) -> the text the scaled problem's message quotes as what the cell prints, in `lang`."""
    src = _scaled_return(tmp_path)
    result = cli("validate", src, "--format", "json", "--jobs", "1", "--lang", lang)
    found = {}
    for p in json.loads(result.stdout)["files"][0]["problems"]:
        if p["code"] in ("cell.amount_scaled", "cell.number_scaled"):
            message = p["message"]
            quoted = message.split("“")[2].split("”")[0] if lang == "zh" else message.split("as '")[1].split("'")[0]
            found[(p["sheet"], p["cell"])] = quoted
    return found


def _expected_prints() -> dict:
    out = {}
    for path, _, _, printed in AMOUNTS:
        f = GT.field(path)
        out[(f.sheet, f.cell)] = printed
    for i, _, _, printed in TARGETS:
        out[(GT.table.name, a1(GT.table.first_row + i, GT.column("value").index))] = printed
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_scaled_messages_quote_what_the_cell_prints(tmp_path, lang):
    assert _printed_quoted(tmp_path, lang) == _expected_prints()


def test_shown_number_renders_a_section_as_excel_does():
    from xlgoals._read._screen import shown_number

    assert shown_number('#,##0.00"万元"', 146407273) == "146,407,273.00万元"
    assert shown_number("#,##0.00,", 100) == "0.10"
    assert shown_number("#,##0.00,", -62800000) == "-62,800.00"  # one section: its minus
    assert shown_number("#,##0.0,;[Red](#,##0.0,)", -1234567) == "(1,234.6)"  # the negative section's brackets
    assert shown_number("0.0%", Decimal("0.125")) == "12.5%"
    assert shown_number('#.##"万"', 0.5) == ".5万"  # no 0 before the point, no trailing zero for #
    assert shown_number("0.00E+00", 5) is None and shown_number("yyyy-mm-dd", 5) is None


def test_libreoffice_prints_what_the_messages_quote(tmp_path, soffice):
    src = _scaled_return(tmp_path)
    quoted = _printed_quoted(tmp_path, "zh")
    (_, sheets), = lo_printed([src], tmp_path / "lo", needed=False).values()
    shown = {(sheet, ref): text for sheet, info in sheets.items() for ref, text in info["cells"]}
    assert {at: shown.get(at) for at in quoted} == quoted
