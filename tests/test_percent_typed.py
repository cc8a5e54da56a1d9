"""A plain number typed into a cell formatted as a percent (0.00%: a format a paste from last year's workbook brings).
Excel with its automatic percent entry stores 95 typed there as 0.95 (95.00%); LibreOffice (and a pasted value)
stores 95, which the cell shows, and prints, as 9500.00%.  The reader reads what the cell shows (9500) and never
changes it, but asks about it (``cell.percent_hundredfold``, a warning at the cell quoting 9500% and 95%) where the
hundredth of what it shows is what the field makes plausible: an actual whose row's target the hundredth fits (a
level to reach: what the cell shows is more than ten times the target; a limit: the hundredth keeps within it and
what is shown does not), a target (or an actual of a row with no target) above 100 %."""

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS

from .conftest import EXAMPLES

SE = sorted((EXAMPLES / "self-evaluation").glob("0*.xlsx"))[1]
MON = sorted((EXAMPLES / "monitoring").glob("0*.xlsx"))[1]
GOAL = sorted((EXAMPLES / "returns").glob("0*.xlsx"))[1]
CODE = "cell.percent_hundredfold"


def _row_cell(src, form_id: str, key: str, comparator: str = ">=", nth: int = 0):
    """(index, sheet, "J12") of the first (`nth`: 0-based) row in % with `comparator` of `src`, column `key`."""
    doc = xlgoals.read(src).document
    k = [n for n, it in enumerate(doc["indicators"])
         if it.get("unit") == "%" and it.get("comparator") == comparator][nth]
    form = FORMS[form_id].for_document(doc)
    cell = openpyxl.utils.get_column_letter(form.column(key).index + 1) + str(form.table.first_row + k + 1)
    return k, form.table.name, cell


def _written(src, out, sheet, cell, value, fmt="0.00%"):
    wb = openpyxl.load_workbook(src)
    wb[sheet][cell].value, wb[sheet][cell].number_format = value, fmt
    wb.save(out)
    return out


def _asked(report):
    return [p for p in report.problems if p.code == CODE]


@pytest.fixture(scope="module")
def typed_over_pastes(soffice, tmp_path_factory):
    """The department pasted last year's 81.00% (value and format) into two rows' 实际完成值, then typed over them in
    LibreOffice: 95 on the first row in % with ≥, 95% on the second (one document, one LibreOffice typing for both
    tests): (the report, {typed: (row index, sheet, cell)}, the saved workbook)."""
    from .conftest import lo_edit_job

    folder = tmp_path_factory.mktemp("percent-typed")
    rows = {typed: _row_cell(SE, "self-evaluation", "actual", nth=n) for n, typed in enumerate(("95", "95%"))}
    edits = []
    for typed, (_, sheet, cell) in rows.items():
        edits += [{"sheet": sheet, "cell": cell, "paste": 0.81, "format": "0.00%"},
                  {"sheet": sheet, "cell": cell, "input": typed}]
    out = lo_edit_job(SE, folder / "typed.xlsx", edits, folder)
    return xlgoals.validate_file(out), rows, out


def test_95_typed_in_libreoffice_into_a_percent_cell_is_asked_about(typed_over_pastes):
    """The department pasted last year's 81.00% (value and format), then typed 95 over it in LibreOffice."""
    report, rows, out = typed_over_pastes
    k, sheet, cell = rows["95"]
    assert openpyxl.load_workbook(out)[sheet][cell].value == 95  # LibreOffice keeps 95: the cell shows 9500.00%
    found = _asked(report)
    assert [(p.severity, p.sheet, p.cell, p.value, p.expected) for p in found] == \
        [("warning", sheet, cell, "9500%", "95%")], report.problems
    assert "9500%" in found[0].message and "95%" in found[0].message and "实际完成值" in found[0].message
    assert "shows (and prints) 9500%; should it be 95%?" in found[0].text("en"), found[0].text("en")
    assert report.document["indicators"][k]["actual"] == 9500  # read as shown, never changed


def test_95_percent_typed_in_libreoffice_into_a_percent_cell_is_not_asked(typed_over_pastes):
    report, rows, _ = typed_over_pastes
    k, sheet, cell = rows["95%"]
    assert not [p for p in _asked(report) if (p.sheet, p.cell) == (sheet, cell)]
    assert report.document["indicators"][k]["actual"] == 95


@pytest.mark.parametrize("src, form_id, key", [(SE, "self-evaluation", "actual"), (MON, "monitoring", "progress"),
                                               (MON, "monitoring", "expected")])
def test_an_actual_written_as_95_in_a_percent_cell_is_asked_about(tmp_path, src, form_id, key):
    k, sheet, cell = _row_cell(src, form_id, key)
    report = xlgoals.validate_file(_written(src, tmp_path / "r.xlsx", sheet, cell, 95))
    assert [(p.cell, p.value, p.expected) for p in _asked(report)] == [(cell, "9500%", "95%")], report.problems
    assert report.document["indicators"][k][key] == 9500


@pytest.mark.parametrize("value", [0.95, 1, 1.2, 0.5])
def test_what_excel_stores_in_a_percent_cell_is_not_asked(tmp_path, value):
    """Excel's automatic percent entry: 95 typed is 0.95 (95%); 120 % over-fulfilled (1.2) is plausible too."""
    _, sheet, cell = _row_cell(SE, "self-evaluation", "actual")
    assert not _asked(xlgoals.validate_file(_written(SE, tmp_path / "r.xlsx", sheet, cell, value)))


def test_a_plain_95_in_a_general_cell_is_not_asked(tmp_path):
    _, sheet, cell = _row_cell(SE, "self-evaluation", "actual")
    assert not _asked(xlgoals.validate_file(_written(SE, tmp_path / "r.xlsx", sheet, cell, 95, "General")))


def test_a_limit_kept_as_the_hundredth_is_asked_and_one_broken_either_way_is_not(tmp_path):
    """差错率 ≤ t %: 3 shown as 300 % breaks the limit, 3 % keeps within it; so ask.  A value whose hundredth breaks
    the limit too (t below it) is not the slip."""
    doc = xlgoals.read(SE).document
    k = next(n for n, it in enumerate(doc["indicators"]) if it.get("unit") == "%" and it.get("comparator") == ">=")
    form = FORMS["self-evaluation"].for_document(doc)
    sheet, row = form.table.name, form.table.first_row + k + 1
    wb = openpyxl.load_workbook(SE)
    ws = wb[sheet]
    ws.cell(row=row, column=form.column("comparator").index + 1).value = "≤"
    ws.cell(row=row, column=form.column("target").index + 1).value = "5"
    actual = ws.cell(row=row, column=form.column("actual").index + 1)
    actual.value, actual.number_format = 3, "0.00%"
    wb.save(tmp_path / "limit.xlsx")
    found = _asked(xlgoals.validate_file(tmp_path / "limit.xlsx"))
    assert [(p.cell, p.value, p.expected) for p in found] == [(actual.coordinate, "300%", "3%")]
    actual.value = 8  # 8 % breaks ≤5 % too: nothing to ask
    wb.save(tmp_path / "limit8.xlsx")
    assert not _asked(xlgoals.validate_file(tmp_path / "limit8.xlsx"))


def test_a_goal_tables_target_of_95_in_a_percent_cell_is_asked_once(tmp_path):
    """The target shows 9500%: asked about at its cell; rule.percent_range (9500 % not between 0 and 100) says the same
    vaguer thing at the same cell and is not said too."""
    k, sheet, cell = _row_cell(GOAL, "goal-table", "target")
    report = xlgoals.validate_file(_written(GOAL, tmp_path / "g.xlsx", sheet, cell, 95))
    assert [(p.cell, p.value, p.expected) for p in _asked(report)] == [(cell, "9500%", "95%")], report.problems
    assert not [p for p in report.problems if p.code == "rule.percent_range" and p.cell == cell]
    assert report.document["indicators"][k]["value"] == 9500
    report = xlgoals.validate_file(_written(GOAL, tmp_path / "g2.xlsx", sheet, cell, 0.95))
    assert not _asked(report) and report.document["indicators"][k]["value"] == 95


def test_what_the_rules_find_only_as_shown_is_said_with_the_warning(tmp_path):
    """9500 % against ≥90 % with no reason given: self.deviation_missing (over 130 % of the target) would say a reason
    is missing, which is wrong if 95 % was meant.  One slip, one problem: as for cell.percent_fraction, what the rules
    find only as shown, and not as the hundredth (95), is said at the cell with the question
    (cell.percent_hundredfold_rules, an error: the return must change either way)."""
    k, sheet, cell = _row_cell(SE, "self-evaluation", "actual")
    form = FORMS["self-evaluation"].for_document(xlgoals.read(SE).document)
    wb = openpyxl.load_workbook(SE)
    wb[sheet][cell].value, wb[sheet][cell].number_format = 95, "0.00%"
    wb[sheet].cell(row=form.table.first_row + k + 1, column=form.column("deviation").index + 1).value = None
    wb.save(tmp_path / "r.xlsx")
    report = xlgoals.validate_file(tmp_path / "r.xlsx")
    on_row = [p for p in report.problems if p.path.startswith(f"/indicators/{k}/") and p.code != "self.score_mismatch"]
    assert [(p.code, p.cell, p.severity) for p in on_row] == [(CODE + "_rules", cell, "error")], \
        [(p.code, p.message) for p in on_row]
    assert "是否应为 95%" in on_row[0].message and "如确为 9500%" in on_row[0].message, on_row[0].message
    assert "超过目标值" in on_row[0].message and "If 9500% is meant" in on_row[0].text("en"), on_row[0].message
