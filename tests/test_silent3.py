"""Readings that were silent or misleading (3), each now said once, where it stands.

* A goal table whose first indicator row was left blank above filled rows: the blank row prints on the stamped
  paper, and nothing was said (``cell.blank_rows_above``, a warning at the blank row).  A blank row among its
  indicators stays the department's (grouping them; tests/test_real_clients.py).
* A monitoring report's approved row cleared in the middle of the table ended the table: every row below became
  ``cell.below`` and ``template.locked_rows_count``, the rows below unread.  It is one ``template.locked_row_cleared``
  at that row, the rows below read.
* ``validate --targets`` said a cleared row was deleted (``monitor.target_row_missing``, at the row below it): it
  says it was cleared, at its own place, once.
* A control character (ESC, NUL, DEL, C1, a bidi override) inside a return's text cell read back and passed: it is
  ``schema.control_char`` at the cell, in every form.
"""

from __future__ import annotations

import zipfile

import openpyxl
import pytest

from xlgoals import read, validate, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES
from .helpers import EXAMPLE_FORMS, example_return

BLANK = "cell.blank_rows_above"
CLEARED = "template.locked_row_cleared"
GT = EXAMPLE_FORMS["goal-table"]
M6 = EXAMPLE_FORMS["monitoring"]
SE = EXAMPLE_FORMS["self-evaluation"]


def _cleared(src, dst, form, indexes):
    """`src` with every entry of the indicator rows `indexes` (0-based) deleted (openpyxl: what Delete leaves)."""
    wb = openpyxl.load_workbook(src)
    ws = wb[form.table.name]
    for i in indexes:
        for c in form.columns():
            if c.kind != "seq":
                ws.cell(form.table.first_row + i + 1, c.index + 1).value = None
    wb.save(dst)
    return dst


def _codes(problems, *codes):
    return [(p.code, p.severity, p.sheet, p.cell) for p in problems if p.code in codes]


# 1. a goal table's blank row above filled ones ---------------------------------------------------------------
@pytest.mark.parametrize("indexes", [[0], [0, 1]], ids=["first", "first-two"])
def test_a_goal_table_with_a_blank_row_above_filled_ones_says_so_at_that_row(tmp_path, indexes):
    src = example_return("goal-table")
    issued = read(src).document["indicators"]
    report = validate_file(_cleared(src, tmp_path / "gt.xlsx", GT, indexes))
    name = GT.column("name").index
    row = GT.table.first_row + indexes[0]
    assert _codes(report.problems, BLANK) == [(BLANK, "warning", GT.table.name, a1(row, name))], \
        [(p.code, p.cell) for p in report.problems]
    (p,) = [p for p in report.problems if p.code == BLANK]
    rows = f"{row + 1}" if len(indexes) == 1 else f"{row + 1}–{row + len(indexes)}"
    assert f"第 {rows} 行" in p.message and f"row(s) {rows}" in p.message_en.lower(), (p.message, p.message_en)
    assert report.document["indicators"] == [it for i, it in enumerate(issued) if i not in indexes]


def test_a_goal_table_s_blank_row_among_its_indicators_is_the_department_s(tmp_path):
    """A blank row among a goal table's indicators (to group them: tests/test_real_clients.py) is no problem."""
    src = example_return("goal-table")
    issued = read(src).document["indicators"]
    report = validate_file(_cleared(src, tmp_path / "gt.xlsx", GT, [3]))
    assert not _codes(report.problems, BLANK), [(p.code, p.cell) for p in report.problems]
    assert report.document["indicators"] == issued[:3] + issued[4:]


def test_a_goal_table_s_blank_rows_below_its_last_indicator_are_not_said(tmp_path):
    """The template's rows left empty below the last indicator (most goal tables): nothing to say."""
    src = example_return("goal-table")
    n = len(read(src).document["indicators"])
    report = validate_file(_cleared(src, tmp_path / "gt.xlsx", GT, [n - 1]))
    assert not _codes(report.problems, BLANK), [(p.code, p.cell) for p in report.problems]


def test_a_goal_table_first_row_cleared_in_libreoffice_is_said(tmp_path, lo_edit):
    src = example_return("goal-table")
    r = GT.table.first_row
    edits = [{"sheet": GT.table.name, "cell": a1(r, c.index), "clear": True} for c in GT.columns() if c.kind != "seq"]
    report = validate_file(lo_edit(src, tmp_path / "gt.xlsx", edits))
    assert _codes(report.problems, BLANK) == [(BLANK, "warning", GT.table.name, a1(r, GT.column("name").index))], \
        [(p.code, p.cell) for p in report.problems]


# 3. a monitoring row cleared in the middle ---------------------------------------------------------------------
@pytest.mark.parametrize("indexes", [[4], [4, 5], [3, 7]], ids=["one", "two-together", "two-apart"])
def test_a_monitoring_row_cleared_in_the_middle_is_one_error_and_the_rows_below_are_read(tmp_path, indexes):
    src = example_return("monitoring")
    issued = read(src).document["indicators"]
    report = validate_file(_cleared(src, tmp_path / "m.xlsx", M6, indexes))
    name = M6.column("name").index
    assert not _codes(report.problems, "cell.below", "template.locked_rows_count", "template.blank_row_inserted"), \
        [(p.code, p.cell) for p in report.problems]
    assert _codes(report.problems, CLEARED) == [(CLEARED, "error", M6.table.name,
                                                 a1(M6.table.first_row + indexes[0], name))]
    (p,) = [p for p in report.problems if p.code == CLEARED]
    for i in indexes:
        assert f"第{i + 1}条指标" in p.message, p.message
    assert report.document["indicators"] == [it for i, it in enumerate(issued) if i not in indexes]


def test_a_monitoring_row_cleared_in_libreoffice_is_one_error(tmp_path, lo_edit):
    src = example_return("monitoring")
    issued = read(src).document["indicators"]
    r = M6.table.first_row + 4
    edits = [{"sheet": M6.table.name, "unprotect": True}] + [
        {"sheet": M6.table.name, "cell": a1(r, c.index), "clear": True} for c in M6.columns() if c.kind != "seq"]
    report = validate_file(lo_edit(src, tmp_path / "m.xlsx", edits))
    codes = [(p.code, p.cell) for p in report.problems if p.code.startswith(("template.locked", "cell.below"))]
    assert codes == [(CLEARED, a1(r, M6.column("name").index))], codes
    assert report.document["indicators"] == issued[:4] + issued[5:]


def test_a_monitoring_row_typed_below_a_blank_line_is_still_below_the_table(tmp_path):
    """What is not the approved rows below a blank row (a note after the last row) is not read as rows."""
    src = example_return("monitoring")
    n = len(read(src).document["indicators"])
    wb = openpyxl.load_workbook(src)
    ws = wb[M6.table.name]
    c = ws.cell(M6.table.first_row + n + 2, M6.column("level1").index + 1)
    c.value, c.data_type = "备注：数据截至6月30日", "s"
    wb.save(tmp_path / "m.xlsx")
    report = validate_file(tmp_path / "m.xlsx")
    assert [p.code for p in report.problems if p.code.startswith("template.")] == [], report.problems
    assert [p.code for p in report.problems if p.code == "cell.below"] == ["cell.below"]
    assert len(report.document["indicators"]) == n


# 2. validate --targets: a cleared row is cleared, not deleted ----------------------------------------------------
@pytest.mark.parametrize("indexes", [[0], [4]], ids=["first", "middle"])
def test_targets_say_a_cleared_monitoring_row_was_cleared_at_its_own_place(tmp_path, indexes):
    src = example_return("monitoring")
    path = _cleared(src, tmp_path / "m.xlsx", M6, indexes)
    problems = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert not [p for p in problems if p.code.startswith("monitor.target")], [(p.code, p.cell) for p in problems]
    assert _codes(problems, CLEARED) == [(CLEARED, "error", M6.table.name,
                                          a1(M6.table.first_row + indexes[0], M6.column("name").index))]


def test_targets_say_a_cleared_self_evaluation_row_was_cleared_at_its_own_place(tmp_path):
    src = example_return("self-evaluation")
    path = _cleared(src, tmp_path / "s.xlsx", SE, [4])
    problems = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert not [p for p in problems if p.code.startswith("self.target")], [(p.code, p.cell) for p in problems]
    assert _codes(problems, CLEARED) == [(CLEARED, "error", SE.table.name,
                                          a1(SE.table.first_row + 4, SE.column("name").index))]


def test_targets_still_say_a_deleted_row_was_deleted(tmp_path):
    """A row deleted (the rows below moved up) is no row cleared: monitor.target_row_missing, as before."""
    src = example_return("monitoring")
    wb = openpyxl.load_workbook(src)
    wb[M6.table.name].delete_rows(M6.table.first_row + 4 + 1)
    wb.save(tmp_path / "m.xlsx")
    problems = validate([tmp_path / "m.xlsx"], targets=[EXAMPLES / "json"]).problems()
    assert [p.code for p in problems if p.code.startswith(("monitor.target_row", "template.locked"))] == \
        ["monitor.target_row_missing"], [(p.code, p.cell) for p in problems]


# 4. control characters inside a return's cells ---------------------------------------------------------------
_CONTROLS = {"ESC": "_x001B_", "NUL": "_x0000_", "DEL": "\x7f", "C1": "\x9b", "RLO": "\u202e", "isolate": "\u2067"}


def _injected(src, dst, old: str, ch: str):
    """`src` with `ch` put inside the shared string `old` (as Excel writes a C0 control: _x001B_)."""
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    shared = parts["xl/sharedStrings.xml"]
    was = f"<t>{old}</t>".encode()
    assert shared.count(was) == 1, old
    parts["xl/sharedStrings.xml"] = shared.replace(was, f"<t>{old[:2]}{ch}{old[2:]}</t>".encode())
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in parts.items():
            zout.writestr(n, d)
    return dst


def _unique_text(src, form, want):
    """(JSON pointer, text, "sheet!A1") of a text read from `src` at a pointer `want` accepts, no other value read the
    same text (its shared string is its own)."""
    from xlgoals._pointers import get

    result = read(src)
    items = result.document[form.table.item_path.strip("/")]
    paths = [f.path for f in form.fields] + [f"{form.table.item_path}/{i}/{k}" for i, it in enumerate(items) for k in it]
    values = [get(result.document, p) for p in paths]
    texts = [v for v in values if isinstance(v, str)]
    for path, value in zip(paths, values):
        if want(path) and isinstance(value, str) and len(value) >= 2 and texts.count(value) == 1:
            return path, value, result.sources[path]
    raise AssertionError("no such text")


_WHERE = {
    "header": lambda p: p == "/project/name",
    "indicator name": lambda p: p.endswith("/name") and "/indicators/" in p,
    "target text": lambda p: p.endswith("/text"),
    "free text": lambda p: p.rsplit("/", 1)[-1] in ("actual", "progress", "expected", "deviation", "note", "overview"),
}


@pytest.mark.parametrize("form_id", ["goal-table", "self-evaluation", "monitoring"])
@pytest.mark.parametrize("where", list(_WHERE))
def test_a_control_character_in_a_cell_is_said_at_that_cell(tmp_path, form_id, where):
    src = example_return(form_id)
    form = EXAMPLE_FORMS[form_id]
    if where == "free text" and form_id == "goal-table":
        where_ok = lambda p: p == "/project/overview"  # noqa: E731
    else:
        where_ok = _WHERE[where]
    path, value, source = _unique_text(src, form, where_ok)
    sheet, cell = source.rsplit("!", 1)
    # a cell the template locked (a self-evaluation's or monitoring report's 项目名称, indicator rows): typed over,
    # its one error is the locked one, not a second schema.control_char (tests/test_silent4.py)
    locked = form_id != "goal-table" and where != "free text"
    for name, ch in _CONTROLS.items():
        report = validate_file(_injected(src, tmp_path / f"{name}.xlsx", value, ch))
        said = [p for p in report.problems if p.code == "schema.control_char"]
        if locked:
            code = "template.locked_changed" if where == "header" else "template.locked_row_changed"
            row = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
            assert not said and [(p.sheet, p.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for p in report.problems
                                 if p.code == code] == [(sheet, row)], \
                (name, [(p.code, p.cell, p.message) for p in report.problems])
            assert not report.passes()
            continue
        assert [(p.severity, p.sheet, p.cell) for p in said] == [("error", sheet, cell)], \
            (name, [(p.code, p.cell, p.message) for p in report.problems])
        shown = ch if len(ch) == 1 else chr(int(ch[2:6], 16))
        assert f"\\u{ord(shown):04x}" in said[0].message and "控制字符" in said[0].message, said[0].message
        assert not report.passes()


def test_a_return_without_control_characters_reads_as_before():
    for form_id in EXAMPLE_FORMS:
        report = validate_file(example_return(form_id))
        assert not [p for p in report.problems if p.code == "schema.control_char"]


def test_monitoring_rows_cleared_every_other_row_read_each_row_for_its_record_once(tmp_path, monkeypatch):
    """Every other approved row cleared: each cleared row asks whether the rows below stand in their places; a
    forged file of thousands must not read the rows below once per blank row (rows²).  Each row is held to its
    record at most once per file; one error, every other row read."""
    from xlgoals._read import _interpret

    src = example_return("monitoring")
    issued = read(src).document["indicators"]
    n = len(issued)
    cleared = list(range(1, n - 1, 2))
    path = _cleared(src, tmp_path / "m.xlsx", M6, cleared)
    calls = []
    real = _interpret._locked_item
    monkeypatch.setattr(_interpret, "_locked_item", lambda loc, cells, r: calls.append(r) or real(loc, cells, r))
    report = validate_file(path, isolated=False)
    assert _codes(report.problems, CLEARED) == [(CLEARED, "error", M6.table.name,
                                                 a1(M6.table.first_row + 1, M6.column("name").index))]
    assert not _codes(report.problems, "cell.below", "template.locked_rows_count", "template.blank_row_inserted")
    assert report.document["indicators"] == [it for i, it in enumerate(issued) if i not in cleared]
    assert calls and len(calls) <= n and len(set(calls)) == len(calls), (n, calls)


@pytest.mark.parametrize("form_id", ["goal-table", "monitoring"])
def test_a_control_character_a_message_quotes_is_escaped_in_the_csv_report(tmp_path, form_id):
    """A message may quote what a cell holds (a locked indicator name typed over: template.locked_changed quotes it),
    and the CSV report is read in terminals too: every control character in it is written as its escape, as the
    terminal report and the JSON show it, never raw (an ESC sequence would run in the terminal showing the file)."""
    from xlgoals._check._report import csv_report, neutralise

    src = example_return(form_id)
    form = EXAMPLE_FORMS[form_id]
    _, value, _ = _unique_text(src, form, _WHERE["indicator name"])
    report = validate([_injected(src, tmp_path / "esc.xlsx", value, "_x001B_[2J")])
    quoting = [p for f in report.files for p in f.problems if "\x1b" in p.text("zh")]
    if form_id == "monitoring":  # the locked name typed over: its message quotes the text as read
        assert quoting, [(p.code, p.message) for f in report.files for p in f.problems]
    text = csv_report(report)
    assert "\x1b" not in text and "\\u001b" in text
    assert neutralise("甲\n乙\t丙") == "甲\n乙\t丙" and neutralise("=\u202e1") == "'=\\u202e1"
