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


# format conflicts: `expected` says the fix; what the cell prints is in the message ----------------------------------
def test_target_format_conflict_expects_the_fix_and_quotes_the_print_in_its_message(tmp_path):
    from .helpers import ind_cell, ooxml_errors
    from .test_config_load import _goal_table_with_format

    src = _goal_table_with_format(tmp_path, '"≤"0"天"')
    sheet, ref = ind_cell(9, "target")
    for lang, fix, quoted in (("zh", "单元格格式为文本", "“≤3天”"), ("en", "formatted as text", "'≤3天'")):
        result = cli("validate", src, "--format", "json", "--jobs", "1", "--lang", lang)
        (p,) = [p for p in json.loads(result.stdout)["files"][0]["problems"] if p["code"] == "cell.target_format_conflict"]
        assert (p["sheet"], p["cell"], p["value"]) == (sheet, ref, "3"), p
        assert fix in p["expected"] and "≤3天" not in p["expected"], p["expected"]
        assert quoted in p["message"] and p["message"].count("≤3天") == 2, p["message"]
    ann = tmp_path / "ann"
    cli("validate", src, "--annotate", ann, "--jobs", "1", "--review")  # (a file with warnings: annotated under review)
    (out,) = ann.glob("*.xlsx")
    ws = openpyxl.load_workbook(out)["问题清单"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)]
    (row,) = [r for r in rows if r["代码"] == "cell.target_format_conflict"]
    assert row["应为"].startswith("单元格格式为文本") and "“≤3天”" in row["说明"], row
    assert ooxml_errors(out) == []


def test_actual_format_conflict_expects_the_fix(tmp_path):
    from .test_actual_formats import SE, _with_actual

    k, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 95, '0"人"')
    result = cli("validate", tmp_path / "se.xlsx", "--format", "json", "--jobs", "1")
    (p,) = [p for p in json.loads(result.stdout)["files"][0]["problems"] if p["code"] == "cell.actual_format_conflict"]
    assert p["cell"] == ref and p["expected_zh"] == "单元格格式为文本，按本行的计量单位重新填写数字", p
    assert "in the row's unit" in p["expected_en"] and "95人" not in p["expected_zh"] + p["expected_en"], p
    assert "“95人”" in p["message_zh"] and "'95人'" in p["message_en"], p


def test_a_unit_shown_is_still_said_once_under_review(tmp_path):
    """The review's “no unit” (review.unit_missing) stays unsaid where the reader's warning names the unit the
    format shows, now that its `expected` is the fix (validate reads the unit from the reader, not from it)."""
    from .test_config_load import _goal_table_with_format

    src = _goal_table_with_format(tmp_path, '"≥"0"天"', unit=None)
    result = cli("validate", src, "--review", "--format", "json", "--jobs", "1")
    codes = [p["code"] for p in json.loads(result.stdout)["files"][0]["problems"]
             if p["code"] in ("cell.target_format_conflict", "review.unit_missing")]
    assert codes == ["cell.target_format_conflict"], codes
    other = tmp_path / "other"
    other.mkdir()
    src = _goal_table_with_format(other, '"≤"0', unit=None)  # a comparator shown, no unit: both said
    result = cli("validate", src, "--review", "--format", "json", "--jobs", "1")
    codes = sorted(p["code"] for p in json.loads(result.stdout)["files"][0]["problems"]
                   if p["code"] in ("cell.target_format_conflict", "review.unit_missing"))
    assert codes == ["cell.target_format_conflict", "review.unit_missing"], codes
