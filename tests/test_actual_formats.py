"""What a self-evaluation's or monitoring report's actual (实际完成值, 累计完成情况, 全年预计完成情况) shows through its cell's
number format: a percent format (0%, 0.00%: the built-in ids 9 and 10) reads the percent it shows, a plain number
as typed; a format showing another unit than the row's (a paste bringing 0"人" to a row in %) is the warning the
target gets for the same thing (cell.actual_format_conflict), since the printed copy shows that unit."""

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS

from .conftest import EXAMPLES

SE = sorted((EXAMPLES / "self-evaluation").glob("0*.xlsx"))[1]
MON = sorted((EXAMPLES / "monitoring").glob("0*.xlsx"))[1]


def _with_actual(src, out, form_id: str, key: str, value, fmt: str, unit: str = "%"):
    """A copy of `src` whose first quantitative row in `unit` has `value` in column `key`, formatted `fmt`; the
    row's index."""
    doc = xlgoals.read(src).document
    k = next(n for n, it in enumerate(doc["indicators"]) if it.get("unit") == unit and it.get("comparator") != "qualitative")
    form = FORMS[form_id].for_document(doc)
    col = form.column(key)
    wb = openpyxl.load_workbook(src)
    cell = wb[form.table.name].cell(row=form.table.first_row + k + 1, column=col.index + 1)
    cell.value, cell.number_format = value, fmt
    wb.save(out)
    return k, f"{cell.coordinate}"


@pytest.mark.parametrize("value, fmt, read_as", [(0.95, "0%", 95), (0.955, "0.00%", 95.5), (95, "General", 95),
                                                 (95, "0", 95)])
def test_an_actual_in_percent_formats_reads_the_percent_it_shows(tmp_path, value, fmt, read_as):
    k, _ = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", value, fmt)
    assert xlgoals.read(tmp_path / "se.xlsx").document["indicators"][k]["actual"] == read_as


@pytest.mark.parametrize("src, form_id, key", [(SE, "self-evaluation", "actual"), (MON, "monitoring", "progress"),
                                               (MON, "monitoring", "expected")])
def test_an_actual_shown_with_another_unit_is_said(tmp_path, src, form_id, key):
    k, ref = _with_actual(src, tmp_path / "r.xlsx", form_id, key, 95, '0"人"')
    report = xlgoals.validate_file(tmp_path / "r.xlsx")
    found = [p for p in report.problems if p.code == "cell.actual_format_conflict"]
    assert [(p.severity, p.cell) for p in found] == [("warning", ref)], report.problems
    assert "“95人”" in found[0].message and "%" in found[0].message and "'95人'" in found[0].text("en")
    assert report.document["indicators"][k][key] == 95  # read as the row's unit says, as the target is


@pytest.mark.parametrize("fmt", ['0"%"', "General", "0", '"约"0'])
def test_an_actual_whose_format_agrees_with_its_row_is_not_said(tmp_path, fmt):
    _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 95, fmt)
    assert not [p for p in xlgoals.validate_file(tmp_path / "se.xlsx").problems if p.code == "cell.actual_format_conflict"]


def test_a_negative_actual_is_quoted_as_the_cell_shows_it(tmp_path):
    """The minus a one-section format keeps is shown before the section's text (-≥5人, as Excel and LibreOffice
    show it, and as the target's cell.target_format_conflict quotes it), not inside it (≥-5人)."""
    _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", -5, '"≥"0"人"')
    found = [p for p in xlgoals.validate_file(tmp_path / "se.xlsx").problems if p.code == "cell.actual_format_conflict"]
    assert len(found) == 1 and "“-≥5人”" in found[0].message, found
