"""Readings that were silent or misleading (4), each now said once, where it stands.

* The LAST approved row of a self-evaluation (总分 below it) or of a monitoring report cleared where it stands read
  as rows deleted (``template.locked_rows_count``), while a row cleared in the middle was one
  ``template.locked_row_cleared`` at its row.  A self-evaluation's 总分 still standing where the template put it
  (right below its last recorded row) tells the row cleared from one deleted (the rows below it, 总分 too, move up);
  a monitoring report has no 总分: its 序号, printed by the template at that place and left standing, tells it (a
  row cleared with its 序号 is not told from one deleted: said as before).  A row deleted is still said as such.
* The self-evaluation's layout 1 (no 总分) shares the monitoring report's path for cleared rows: a cleared first,
  middle and last row each one error at its row.
* A locked cell typed over with a control character (ESC …) had two errors for one cause:
  ``template.locked_changed`` / ``template.locked_row_changed`` and ``schema.control_char``.  One: the locked
  one, its message quoting the value found escaped in every output (terminal, JSON, CSV, annotated workbook).
  A control character in a cell not locked is still ``schema.control_char``.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from xlgoals import read, validate, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES, cli, load
from .helpers import EXAMPLE_FORMS, example_return, ooxml_errors
from .test_silent3 import _cleared, _codes, _injected, _unique_text

CLEARED = "template.locked_row_cleared"
COUNT = "template.locked_rows_count"
M6 = EXAMPLE_FORMS["monitoring"]
SE = EXAMPLE_FORMS["self-evaluation"]
ROWS = ("template.locked_row_cleared", "template.locked_rows_count", "template.locked_row_changed",
        "template.locked_rows_moved", "cell.below", "template.blank_row_inserted")


def _where(problems, codes=ROWS):
    return [(p.code, p.cell) for p in problems if p.code in codes]


def _deleted_last(src, dst, form, n):
    """`src` with its last indicator row deleted, the rows below moved up (openpyxl: what Excel's delete row does
    to the cells; 总分's formula is not rewritten, which nothing here reads)."""
    wb = openpyxl.load_workbook(src)
    wb[form.table.name].delete_rows(form.table.first_row + n)  # 1-based: the last row
    wb.save(dst)
    return dst


# 1. a cleared LAST approved row --------------------------------------------------------------------------------
@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
@pytest.mark.parametrize("last", [1, 2], ids=["last", "last-two"])
def test_a_cleared_last_row_is_one_error_at_that_row(tmp_path, form_id, last):
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    issued = read(src).document["indicators"]
    n = len(issued)
    indexes = list(range(n - last, n))
    report = validate_file(_cleared(src, tmp_path / "r.xlsx", form, indexes))
    name = form.column("name").index
    assert _where(report.problems) == [(CLEARED, a1(form.table.first_row + n - last, name))], \
        [(p.code, p.cell, p.message) for p in report.problems]
    (p,) = [p for p in report.problems if p.code == CLEARED]
    for i in indexes:
        assert f"第{i + 1}条指标" in p.message, p.message
    assert report.document["indicators"] == issued[:n - last]


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_deleted_last_row_is_still_said_as_deleted(tmp_path, form_id):
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    issued = read(src).document["indicators"]
    n = len(issued)
    report = validate_file(_deleted_last(src, tmp_path / "r.xlsx", form, n))
    assert [c for c, _ in _where(report.problems)] == [COUNT], _where(report.problems)
    assert report.document["indicators"] == issued[:-1]


def test_a_monitoring_last_row_cleared_with_its_seq_is_not_told_from_a_deleted_one(tmp_path):
    """No 总分, and the 序号 cleared too: nothing the template left tells it from a row deleted (said as before)."""
    src = example_return("monitoring")
    n = len(read(src).document["indicators"])
    path = _cleared(src, tmp_path / "m.xlsx", M6, [n - 1])
    wb = openpyxl.load_workbook(path)
    wb[M6.table.name].cell(M6.table.first_row + n, M6.column("seq").index + 1).value = None
    wb.save(path)
    assert [c for c, _ in _where(validate_file(path).problems)] == [COUNT]


def test_targets_say_a_cleared_last_row_was_cleared_not_deleted(tmp_path):
    for form_id, prefix in (("monitoring", "monitor.target"), ("self-evaluation", "self.target")):
        form = EXAMPLE_FORMS[form_id]
        src = example_return(form_id)
        n = len(read(src).document["indicators"])
        path = _cleared(src, tmp_path / f"{form_id}.xlsx", form, [n - 1])
        problems = validate([path], targets=[EXAMPLES / "json"]).problems()
        assert not [p for p in problems if p.code.startswith(prefix)], [(p.code, p.cell) for p in problems]
        assert _codes(problems, CLEARED) == [(CLEARED, "error", form.table.name,
                                              a1(form.table.first_row + n - 1, form.column("name").index))]


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_last_row_cleared_or_deleted_in_libreoffice(tmp_path, lo_edit, form_id):
    """As a department does it: the last row's cells cleared (Delete) or the row deleted (Sheet › Delete Rows)."""
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    issued = read(src).document["indicators"]
    n = len(issued)
    r = form.table.first_row + n - 1
    unprotect = [{"sheet": form.table.name, "unprotect": True}]
    cleared = lo_edit(src, tmp_path / "cleared.xlsx", unprotect + [
        {"sheet": form.table.name, "cell": a1(r, c.index), "clear": True} for c in form.columns() if c.kind != "seq"])
    report = validate_file(cleared)
    assert _where(report.problems) == [(CLEARED, a1(r, form.column("name").index))], _where(report.problems)
    assert report.document["indicators"] == issued[:-1]
    deleted = lo_edit(src, tmp_path / "deleted.xlsx", unprotect + [
        {"sheet": form.table.name, "cell": a1(r, 0), "delete_rows": 1}])
    report = validate_file(deleted)
    assert [c for c, _ in _where(report.problems)] == [COUNT], _where(report.problems)
    assert report.document["indicators"] == issued[:-1]


# 2. the self-evaluation's layout 1 (no 总分) -------------------------------------------------------------------
def _layout_1(tmp_path):
    from xlgoals._form import LAYOUTS
    from xlgoals._write._workbook import build_workbook

    old = LAYOUTS[("self-evaluation", 1)]
    assert old.table.total is None and old.table.ends_at_blank
    doc = load(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[1])
    doc["contact"].pop("head", None)  # no 单位负责人 before layout 3
    src = tmp_path / "layout1.xlsx"
    src.write_bytes(build_workbook(doc["framework"], doc["year"], doc, form=old))
    result = read(src)
    assert result.template["layout_version"] == 1 and result.document["indicators"] == doc["indicators"]
    return old, src, doc["indicators"]


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_layout_1_self_evaluation_row_cleared_is_one_error_at_that_row(tmp_path, where):
    old, src, issued = _layout_1(tmp_path)
    n = len(issued)
    i = {"first": 0, "middle": n // 2, "last": n - 1}[where]
    report = validate_file(_cleared(src, tmp_path / "r.xlsx", old, [i]))
    assert _where(report.problems) == [(CLEARED, a1(old.table.first_row + i, old.column("name").index))], \
        [(p.code, p.cell, p.message) for p in report.problems]
    assert f"第{i + 1}条指标" in next(p.message for p in report.problems if p.code == CLEARED)
    assert report.document["indicators"] == issued[:i] + issued[i + 1:]


def test_a_layout_1_self_evaluation_row_deleted_is_said_as_deleted(tmp_path):
    old, src, issued = _layout_1(tmp_path)
    report = validate_file(_deleted_last(src, tmp_path / "r.xlsx", old, len(issued)))
    assert [c for c, _ in _where(report.problems)] == [COUNT], _where(report.problems)


# 3. a locked cell typed over with a control character ----------------------------------------------------------
_LOCKED = {
    "header": (lambda p: p == "/project/name", "template.locked_changed"),
    "indicator name": (lambda p: p.endswith("/name") and "/indicators/" in p, "template.locked_row_changed"),
    "level2": (lambda p: p.endswith("/level2") and "/indicators/" in p, "template.locked_row_changed"),
}


def _locked_esc(tmp_path, form_id, where):
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    want, code = _LOCKED[where]
    path, value, source = _unique_text(src, form, want)
    sheet, cell = source.rsplit("!", 1)
    return _injected(src, tmp_path / "esc.xlsx", value, "_x001B_"), sheet, cell, code, path


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
@pytest.mark.parametrize("where", list(_LOCKED))
def test_a_locked_cell_typed_over_with_esc_is_one_error(tmp_path, form_id, where):
    path, sheet, cell, code, pointer = _locked_esc(tmp_path, form_id, where)
    report = validate_file(path)
    said = [(p.code, p.sheet, p.cell) for p in report.problems if p.code in (code, "schema.control_char")]
    assert [c for c, _, _ in said] == [code], [(p.code, p.cell, p.message) for p in report.problems]
    if code == "template.locked_changed":
        assert said[0][1:] == (sheet, cell)
    else:  # said at the row's 三级指标, as a row typed over
        assert said[0][1] == sheet and said[0][2].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ") == \
            cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), (said, cell)
    assert not report.passes()


def test_a_control_character_in_a_cell_not_locked_is_still_said(tmp_path):
    src = example_return("monitoring")
    path, value, source = _unique_text(src, M6, lambda p: p.rsplit("/", 1)[-1] in ("progress", "deviation", "note"))
    sheet, cell = source.rsplit("!", 1)
    report = validate_file(_injected(src, tmp_path / "esc.xlsx", value, "_x001B_"))
    assert [(p.code, p.sheet, p.cell) for p in report.problems if p.code.startswith(("schema.control", "template."))] \
        == [("schema.control_char", sheet, cell)]


def test_a_locked_header_typed_over_with_esc_is_one_error_in_every_output(tmp_path):
    """Terminal, JSON, CSV and the annotated workbook: one error at the cell, the ESC shown as \\u001b, never raw."""
    path, sheet, cell, code, _ = _locked_esc(tmp_path, "monitoring", "header")
    text = cli("validate", path)
    assert "\x1b" not in text.output and "\\u001b" in text.output, text.output
    assert "schema.control_char" not in text.output and "控制字符" not in text.output, text.output
    out = cli("validate", path, "--format", "json")
    assert "\x1b" not in out.output
    doc = json.loads(out.output)
    found = [p for f in doc["files"] for p in f["problems"] if p["cell"] == cell and p["sheet"] == sheet]
    assert [p["code"] for p in found] == [code], found
    assert "促进\x1b就业" in found[0]["message"] and "\\u001b" in out.output  # JSON's own escape of it
    out = cli("validate", path, "--format", "csv")
    assert "\x1b" not in out.output
    rows = [r for r in csv.DictReader(io.StringIO(out.output)) if cell in r.values()]
    assert len(rows) == 1 and rows[0]["code"] == code and "促进\\u001b就业" in rows[0]["message"], rows
    notes = tmp_path / "notes"
    cli("validate", path, "--annotate", notes)
    (copy,) = [p for p in notes.rglob("*.xlsx")]
    wb = openpyxl.load_workbook(copy)
    comment = wb[sheet][cell].comment
    assert comment is not None and "\x1b" not in comment.text and "\\u001b" in comment.text, comment
    assert "控制字符" not in comment.text and "现为“促进\\u001b就业专项资金”" in comment.text, comment.text
    assert not ooxml_errors(copy)


@pytest.mark.parametrize("form_id, prefix", [("self-evaluation", "self"), ("monitoring", "monitor")])
@pytest.mark.parametrize("where", ["indicator name", "level2"])
def test_a_locked_row_typed_over_with_esc_under_targets_is_one_error_at_the_cell(tmp_path, form_id, prefix, where):
    """validate --targets: the goal table says which value changed and what it was, at the cell; no second error."""
    path, sheet, cell, _, _ = _locked_esc(tmp_path, form_id, where)
    problems = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert [(p.code, p.sheet, p.cell) for p in problems if p.is_error] == [(f"{prefix}.target_changed", sheet, cell)], \
        [(p.code, p.cell, p.message) for p in problems]


# 5. a cleared row is one error: its 分值 not read is not said again as a points total (self.points_total) --------
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_cleared_row_is_not_said_again_as_the_points_total(tmp_path, where):
    """A self-evaluation row cleared where it stands is ``template.locked_row_cleared``: its 分值 is not read, so the
    分值 read add up to less than 100, and that is the same cause (the department restores the row), not “rows
    deleted or added” at 信息表 F7 too."""
    src = example_return("self-evaluation")
    assert not [p for p in validate_file(src).problems if p.code == "self.points_total"]
    n = len(read(src).document["indicators"])
    i = {"first": 0, "middle": n // 2, "last": n - 1}[where]
    report = validate_file(_cleared(src, tmp_path / "r.xlsx", SE, [i]))
    codes = [(p.code, p.sheet, p.cell) for p in report.problems]
    assert [c for c, _, _ in codes].count(CLEARED) == 1, codes
    assert "self.points_total" not in [c for c, _, _ in codes], codes
