"""The locked cells of an approved row (a self-evaluation's, a monitoring report's) that no longer read as issued: one
cause, one error, located, saying what to do, and nothing hidden behind it.

The template records each approved row as ONE CRC-32 of its locked values (``_form._locked``): the reader knows that a
row changed, not which of its cells.  Where a locked cell cannot be read at all (an error value, #N/A; a formula whose
result the file does not keep, openpyxl's ``=100``), the row's record can no longer say whether its other locked cells
are as issued: a value typed over beside it cannot be found, and is not to be passed over in silence.  One error
(``template.locked_row_unread``) at the first such cell names the cells to restore and the row's other locked cells
that cannot be checked until then.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from xlgoals import validate_file

from .helpers import edited_return, row_cell

FORMS = ["self-evaluation", "monitoring"]


def _saved(src, dst, results: dict):
    """`src` copied to `dst` with each formula of the table sheet `<f>text</f>` given a saved result (what Excel
    keeps for it): {formula text: result}."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                for text, result in results.items():
                    data, n = re.subn(rb"<f>" + re.escape(text.encode()) + rb"</f>(?:<v\s*/>|<v></v>)?",
                                      b"<f>" + text.encode() + b"</f><v>" + str(result).encode() + b"</v>", data)
            zout.writestr(info.filename, data)
    return dst


def _located(report, prefixes=("template.", "cell.", "schema.")):
    return [(p.code, p.sheet, p.cell) for p in report.problems if p.code.startswith(prefixes)]


# 1. two locked cells of a row unread: one error, and no schema error at the second -----------------------------
@pytest.mark.parametrize("form_id, keys", [("self-evaluation", ("target", "points")),
                                           ("monitoring", ("name", "target")),
                                           ("monitoring", ("target", "unit"))])
def test_two_unread_locked_cells_of_a_row_are_one_error_and_nothing_more(tmp_path, form_id, keys):
    """年度指标值 and 分值 (or 三级指标 and 年度指标值) replaced by formulas with no saved result: the row's one error
    at the first names both; the second was also schema.required (分值 “未填写”), which the row's error explains (the
    value is not the department's to type: it is to be restored).  Every cell the error covers is explained."""
    report = validate_file(edited_return(tmp_path, form_id, {(1, keys[0]): "=100", (1, keys[1]): "=10"}))
    assert _located(report) == [("template.locked_row_unread", *row_cell(form_id, 1, keys[0]))], report.problems
    (p,) = report.problems
    form_labels = {"name": "三级", "target": "年度指标值", "points": "分值", "unit": "计量单位"}
    for key in keys:
        assert form_labels[key] in p.message.split("恢复前")[0], p.message


# 2. a formula WITH a saved result in a locked cell -----------------------------------------------------------------
@pytest.mark.parametrize("form_id", FORMS)
def test_a_formula_saving_another_value_than_issued_is_one_error_at_its_cell(tmp_path, form_id):
    """=200 with its result 200 saved, where 100 was issued: was cell.formula (a warning: “请直接填写数值”, typing a
    value into a locked cell) at the cell and template.locked_row_changed at the row's 三级指标: two messages, one
    cause.  One: template.locked_row_changed (the error a locked value typed over is: the return must not pass), at
    the formula's cell, where the department is to look, telling it to restore the values as issued (which removes
    the formula).  It names every locked column: the row's record says the row changed, not which cell (the formula
    may save the issued value and another cell be typed over)."""
    made = edited_return(tmp_path, form_id, {(1, "target"): "=200"}, name="made.xlsx")
    report = validate_file(_saved(made, tmp_path / "r.xlsx", {"200": 200}))
    assert _located(report) == [("template.locked_row_changed", *row_cell(form_id, 1, "target"))], report.problems
    (p,) = [p for p in report.problems if p.code == "template.locked_row_changed"]
    assert "请恢复" in p.message and "年度指标值" in p.message and "计量单位" in p.message, p.message


@pytest.mark.parametrize("form_id", FORMS)
def test_a_formula_saving_the_issued_value_is_only_the_formula_warning(tmp_path, form_id):
    """=100 with 100 saved, where 100 was issued: the row reads as issued (its record agrees), so no locked-row
    error; the formula is still said (cell.formula, a warning): another application recalculating it, or a cell it
    refers to changed, would change the approved target."""
    made = edited_return(tmp_path, form_id, {(1, "target"): "=50+50"}, name="made.xlsx")
    report = validate_file(_saved(made, tmp_path / "r.xlsx", {"50+50": 100}))
    assert [(p.code, p.sheet, p.cell) for p in report.problems] == [
        ("cell.formula", *row_cell(form_id, 1, "target"))], report.problems


# 3. an error value in a locked cell does not hide another cell of its row typed over ---------------------------
@pytest.mark.parametrize("form_id", FORMS)
@pytest.mark.parametrize("other", ["unit", "name"])
def test_an_error_value_in_a_locked_cell_does_not_hide_the_rest_of_its_row(tmp_path, form_id, other):
    """#N/A in 年度指标值 and 计量单位 (or 三级指标) typed over in the same row: only cell.error_value was said (“请改为
    填写内容本身”, a value typed into a locked cell), the typed-over cell nowhere.  The record cannot tell which other
    cell changed (one CRC per row), so the one error, at the #N/A, says to restore the value issued and names the
    row's other locked cells as not checkable until then (计量单位 among them), asking to restore any changed."""
    bad = edited_return(tmp_path, form_id, {(1, "target"): "#N/A", (1, other): "个" if other == "unit" else "改了"})
    report = validate_file(bad)
    assert _located(report) == [("template.locked_row_unread", *row_cell(form_id, 1, "target"))], report.problems
    (p,) = report.problems
    restore, _, unchecked = p.message.partition("恢复前")
    assert "年度指标值" in restore and "请恢复" in restore, p.message
    assert "计量单位" in unchecked and "三级" in unchecked and "年度指标值" not in unchecked, p.message
    assert "unit" in p.message_en.split("Until")[1], p.message_en


# 4. a formula and a typed-over cell in one row ------------------------------------------------------------------
@pytest.mark.parametrize("form_id", FORMS)
def test_a_formula_in_a_locked_cell_does_not_hide_a_cell_typed_over_beside_it(tmp_path, form_id):
    """=100 (no saved result) in 年度指标值 and 计量单位 typed over: said at the formula's cell naming 年度指标值 only,
    the unit not at all.  Now the one error names 计量单位 among the row's locked cells to check and restore."""
    report = validate_file(edited_return(tmp_path, form_id, {(1, "target"): "=100", (1, "unit"): "个"}))
    assert _located(report) == [("template.locked_row_unread", *row_cell(form_id, 1, "target"))], report.problems
    (p,) = report.problems
    assert "计量单位" in p.message.partition("恢复前")[2], p.message


# validate --targets: the goal table says which value and what it was; the row's record gives way to it -----------
@pytest.mark.parametrize("form_id, code", [("self-evaluation", "self.target_changed"),
                                           ("monitoring", "monitor.target_changed")])
def test_an_error_value_in_a_locked_target_is_one_error_under_targets(tmp_path, form_id, code):
    """#N/A in an approved 年度指标值, validated with --targets: was cell.error_value and the goal table's
    target_changed at the same cell (two errors, one cause).  The goal table's alone: it gives the value to restore."""
    from xlgoals import validate

    from .conftest import EXAMPLES

    bad = edited_return(tmp_path, form_id, {(1, "target"): "#N/A"})
    found = [(p.code, p.sheet, p.cell) for p in validate([bad], targets=[EXAMPLES / "json"]).problems()]
    assert found == [(code, *row_cell(form_id, 1, "target"))], found


def test_a_row_whose_name_and_every_locked_cell_is_unread_reads_whole(tmp_path):
    """Every locked cell of a row #REF!: the one error names them all; its message quoted the blank name (第3条指标
    （“”）) and listed no other cells as （） to check.  Neither now: “第3条指标的指标编号、…、分值…请恢复…”."""
    from .helpers import EXAMPLE_FORMS

    keys = [c.key for c in EXAMPLE_FORMS["self-evaluation"].columns() if c.locked and c.kind != "seq"]
    report = validate_file(edited_return(tmp_path, "self-evaluation", {(2, k): "#REF!" for k in keys}))
    (p,) = [p for p in report.problems if p.code == "template.locked_row_unread"]
    assert p.message.startswith("第3条指标的指标编号") and "（“”）" not in p.message and "（）" not in p.message, p.message
    assert "恢复前" not in p.message and "请恢复" in p.message, p.message
    assert "('')" not in p.message_en and "()" not in p.message_en and "Until" not in p.message_en, p.message_en


@pytest.mark.parametrize("form_id", FORMS)
@pytest.mark.parametrize("value", ["=100", "#N/A"])
def test_an_unread_locked_cell_below_a_cleared_row_is_the_same_one_error(tmp_path, form_id, value):
    """A row cleared where it stands and, below it, a locked 年度指标值 read as nothing: the cleared row at its row,
    and the unread cell as anywhere else (template.locked_row_unread), not cell.formula (“请直接填写数值” into a
    locked cell) with schema.required beside it, nor cell.error_value (“请改为填写内容本身”)."""
    from .helpers import EXAMPLE_FORMS
    from .test_silent3 import _cleared

    made = edited_return(tmp_path, form_id, {(5, "target"): value}, name="made.xlsx")
    _cleared(made, tmp_path / "c.xlsx", EXAMPLE_FORMS[form_id], [2])
    report = validate_file(tmp_path / "c.xlsx")
    sheet = EXAMPLE_FORMS[form_id].table.name
    assert sorted(_located(report)) == sorted([("template.locked_row_cleared", sheet, row_cell(form_id, 2, "name")[1]),
                                               ("template.locked_row_unread", *row_cell(form_id, 5, "target"))]), \
        report.problems
