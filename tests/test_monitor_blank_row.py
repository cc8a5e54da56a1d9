"""A blank row inserted among a monitoring report's indicator rows (指标监控, its protection removed in LibreOffice).

The form declares one row per approved target with no blank row among them: a blank row ends the table (a note
typed below after a blank line is no row; tests/test_monitoring.py).  A blank row inserted among the rows, with the
approved rows below it exactly as the template recorded them, is told as what it is: one error at the blank row
(``template.blank_row_inserted``, naming its row), every row read, and no ``template.locked_rows_count`` (rows
deleted or added?) or ``cell.below`` (the approved rows below it “not part of the return”) beside it."""

import pytest

from xlgoals import FORMS, read, validate, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES

M6 = FORMS["monitoring"].bind(month=6)
MON_XLSX = [p.with_suffix(".xlsx") for p in sorted((EXAMPLES / "monitoring").glob("*.json"))]
CODE = "template.blank_row_inserted"


def _inserted(lo_edit, tmp_path, at_index: int, n: int = 1, extra: list | None = None):
    """Monitoring return 02 with `n` blank rows inserted above indicator `at_index` (0-based), in LibreOffice."""
    sheet = M6.table.name
    insert = [{"sheet": sheet, "cell": a1(M6.table.first_row + at_index, M6.column("name").index),
               "insert_rows": n}] if n else []
    return lo_edit(MON_XLSX[1], tmp_path / "blank.xlsx", [{"sheet": sheet, "unprotect": True}, *insert, *(extra or [])])


@pytest.mark.parametrize("n", [1, 2])
def test_a_blank_row_inserted_among_the_rows_is_one_located_problem(tmp_path, lo_edit, n):
    issued = read(MON_XLSX[1]).document["indicators"]
    path = _inserted(lo_edit, tmp_path, 4, n)
    report = validate_file(path)
    row = M6.table.first_row + 4 + 1  # 1-based sheet row of the (first) blank row
    found = [p for p in report.problems if p.code == CODE]
    assert [(p.severity, p.sheet, p.cell) for p in found] == \
        [("error", M6.table.name, a1(row - 1, M6.column("name").index))], report.problems
    rows = f"{row}" if n == 1 else f"{row}–{row + n - 1}"
    assert f"第 {rows} 行" in found[0].message and f"row(s) {rows}" in found[0].text("en"), found[0].message
    assert not [p for p in report.problems if p.code in ("cell.below", "template.locked_rows_count")], \
        [(p.code, p.cell) for p in report.problems]
    assert report.document["indicators"] == issued  # every approved row read, none dropped
    # the bureau's check against the approved targets finds every row too
    problems = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert not [p for p in problems if p.code.startswith("monitor.target")], [p.message for p in problems]


def test_a_note_after_a_blank_line_is_still_below_the_table(tmp_path, lo_edit):
    """What a blank row ends and no record continues (a note typed after the last row and a blank line) stays
    cell.below, with no blank row said."""
    n = len(read(MON_XLSX[1]).document["indicators"])
    sheet, note = M6.table.name, a1(M6.table.first_row + n + 1, M6.column("level1").index)
    path = _inserted(lo_edit, tmp_path, n, 0, [{"sheet": sheet, "cell": note, "string": "备注：数据截至6月30日"}])
    codes = [p.code for p in validate_file(path).problems]
    assert "cell.below" in codes and CODE not in codes, codes


def test_rows_changed_below_a_blank_row_are_not_read_as_the_approved_rows(tmp_path, lo_edit):
    """Below the blank row, a row whose locked name was typed over: read, and the changed row said where it is."""
    sheet = M6.table.name
    changed = a1(M6.table.first_row + 8 + 1, M6.column("name").index)  # indicator 8, one row down
    path = _inserted(lo_edit, tmp_path, 4, 1, [{"sheet": sheet, "cell": changed, "string": "改过的名称"}])
    report = validate_file(path)
    codes = {(p.code, p.cell) for p in report.problems}
    assert (CODE, a1(M6.table.first_row + 4, M6.column("name").index)) in codes, codes
    assert ("template.locked_row_changed", changed) in codes, codes
    assert not [c for c, _ in codes if c in ("cell.below", "template.locked_rows_count")], codes


@pytest.mark.parametrize("n", [1, 2])
def test_a_blank_row_inserted_above_the_first_row_is_said(tmp_path, lo_edit, n):
    """A blank row inserted above the first indicator row (the header's row below it) was passed over unseen: no
    row was read of it, and nothing was said, though the printed form shows it.  It is the same located error as
    one inserted among the rows."""
    issued = read(MON_XLSX[1]).document["indicators"]
    path = _inserted(lo_edit, tmp_path, 0, n)
    report = validate_file(path)
    row = M6.table.first_row + 1
    found = [p for p in report.problems if p.code == CODE]
    assert [(p.severity, p.sheet, p.cell) for p in found] == \
        [("error", M6.table.name, a1(row - 1, M6.column("name").index))], report.problems
    rows = f"{row}" if n == 1 else f"{row}–{row + n - 1}"
    assert f"第 {rows} 行" in found[0].message, found[0].message
    assert not [p for p in report.problems if p.code in ("cell.below", "template.locked_rows_count")], \
        [(p.code, p.cell) for p in report.problems]
    assert report.document["indicators"] == issued


def test_a_monitoring_report_with_its_first_row_cleared_is_no_inserted_row(tmp_path, lo_edit):
    """The first row's entries deleted (not a row inserted: one approved row fewer below it than recorded): no
    template.blank_row_inserted, the rows read as before."""
    sheet = M6.table.name
    r = M6.table.first_row
    edits = [{"sheet": sheet, "unprotect": True}] + [
        {"sheet": sheet, "cell": a1(r, c.index), "clear": True} for c in M6.columns() if c.kind != "seq"]
    path = lo_edit(MON_XLSX[1], tmp_path / "cleared.xlsx", edits)
    codes = [p.code for p in validate_file(path).problems]
    assert CODE not in codes, codes


SE = FORMS["self-evaluation"]
SE_XLSX = sorted((EXAMPLES / "self-evaluation").glob("0*.xlsx"))[1]


@pytest.mark.parametrize("at_index,n", [(0, 1), (4, 1), (4, 2)])
def test_a_blank_row_inserted_into_a_self_evaluation_is_said(tmp_path, lo_edit, at_index, n):
    """A self-evaluation's rows are issued one per approved target, 总分 right below them (no row may be inserted):
    a blank row inserted above the first or among them was passed over unseen, though it prints.  It is the
    monitoring report's error, at the blank row, every row read."""
    issued = read(SE_XLSX).document["indicators"]
    sheet = SE.table.name
    path = lo_edit(SE_XLSX, tmp_path / "blank.xlsx", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": a1(SE.table.first_row + at_index, SE.column("name").index), "insert_rows": n}])
    report = validate_file(path)
    row = SE.table.first_row + at_index + 1
    found = [p for p in report.problems if p.code == CODE]
    assert [(p.severity, p.sheet, p.cell) for p in found] == \
        [("error", sheet, a1(row - 1, SE.column("name").index))], report.problems
    rows = f"{row}" if n == 1 else f"{row}–{row + n - 1}"
    assert f"第 {rows} 行" in found[0].message, found[0].message
    assert report.document["indicators"] == issued


def test_a_self_evaluation_row_cleared_is_no_inserted_row(tmp_path, lo_edit):
    """A row's entries deleted (one approved row fewer read than recorded): said as rows changed, not as a row
    inserted."""
    sheet = SE.table.name
    r = SE.table.first_row + 4
    edits = [{"sheet": sheet, "unprotect": True}] + [
        {"sheet": sheet, "cell": a1(r, c.index), "clear": True} for c in SE.columns() if c.kind != "seq"]
    codes = [p.code for p in validate_file(lo_edit(SE_XLSX, tmp_path / "cleared.xlsx", edits)).problems]
    assert CODE not in codes, codes


CLEARED = "template.locked_row_cleared"


def _first_row_cleared(lo_edit, path, form, src, note_at: int | None = None, note: str = "备注：数据截至6月30日"):
    """`src` with every entry of its first indicator row deleted in LibreOffice (its protection off) and, with
    `note_at`, a note typed in the 一级指标 column of that 0-based row."""
    sheet, r = form.table.name, form.table.first_row
    edits = [{"sheet": sheet, "unprotect": True}] + [
        {"sheet": sheet, "cell": a1(r, c.index), "clear": True} for c in form.columns() if c.kind != "seq"]
    if note_at is not None:
        edits.append({"sheet": sheet, "cell": a1(note_at, form.column("level1").index), "string": note})
    return lo_edit(src, path, edits)


@pytest.mark.parametrize("with_note", [True, False], ids=["note-below", "no-note"])
def test_a_monitoring_report_with_its_first_row_cleared_says_so_at_that_row(tmp_path, lo_edit, with_note):
    """The first indicator row cleared, and a note typed below the table after a blank line: the rows below the
    cleared row and the note were counted as the approved rows going on below an inserted blank row, so two false
    template.blank_row_inserted errors were said (at the cleared row and at the blank line) and the note was read
    as an indicator (every row then “changed”: 27 template.locked_row_changed, schema errors on the note's row).
    The rows below are held to the template's record of each row: the note is no approved row.  The department is
    told that the first row is empty, at that row; the note gets the warning anything typed below a table gets."""
    issued = read(MON_XLSX[1]).document["indicators"]
    n, sheet, first = len(issued), M6.table.name, M6.table.first_row
    note_at = first + n + 1 if with_note else None
    path = _first_row_cleared(lo_edit, tmp_path / "cleared.xlsx", M6, MON_XLSX[1], note_at)
    report = validate_file(path)
    codes = [(p.code, p.cell) for p in report.problems]
    for code in (CODE, "template.locked_row_changed", "template.locked_rows_count", "schema.required"):
        assert code not in [c for c, _ in codes], codes
    assert report.document["indicators"] == issued[1:]  # the rows below read as issued, the note not among them
    (cleared,) = [p for p in report.problems if p.code == CLEARED]
    assert (cleared.severity, cleared.sheet, cleared.cell) == ("error", sheet, a1(first, M6.column("name").index))
    assert f"第 {first + 1} 行" in cleared.message and "第1条指标" in cleared.message, cleared.message
    assert f"Row {first + 1} " in cleared.message_en and "indicator 1" in cleared.message_en, cleared.message_en
    below = [p for p in report.problems if p.code == "cell.below"]
    if with_note:
        assert [(p.cell, p.severity) for p in below] == [(a1(note_at, M6.column("level1").index), "warning")], codes
        assert "备注：数据截至6月30日" in below[0].message, below[0].message
    else:
        assert not below, codes


def test_a_self_evaluation_with_its_first_row_cleared_says_so_at_that_row(tmp_path, lo_edit):
    """The self-evaluation's equivalent: its first row cleared was said as rows deleted or added
    (template.locked_rows_count) at the row below it; now as the row cleared, at it."""
    issued = read(SE_XLSX).document["indicators"]
    path = _first_row_cleared(lo_edit, tmp_path / "cleared-se.xlsx", SE, SE_XLSX)
    report = validate_file(path)
    codes = [(p.code, p.cell) for p in report.problems if p.code.startswith("template.")]
    first = SE.table.first_row
    assert [c for c in codes if c[0] != "template.unprotected"] == [(CLEARED, a1(first, SE.column("name").index))], codes
    assert report.document["indicators"] == issued[1:]


def test_a_blank_row_after_every_row_holds_each_row_to_its_record_once(tmp_path, monkeypatch):
    """A blank row inserted after every approved row: each blank row asks whether the approved rows go on below it
    (``_rows_resume``), and each asking read every row below it again (``_locked_item``): N²/2 readings, 300 rows
    about a second, a forged file of thousands a timeout.  Each row is read for its record once per file; every
    row is still read, and each blank row said."""
    import openpyxl

    from xlgoals._read import _interpret

    wb = openpyxl.load_workbook(MON_XLSX[1])
    ws = wb[M6.table.name]
    first, n = M6.table.first_row + 1, len(read(MON_XLSX[1]).document["indicators"])
    width = ws.max_column
    for i in reversed(range(1, n)):  # row i (0-based) moved down i rows: a blank row after each
        ws.move_range(f"A{first + i}:{a1(0, width - 1)[:-1]}{first + i}", rows=i)
    path = tmp_path / "spread.xlsx"
    wb.save(path)
    calls = []
    real = _interpret._locked_item
    monkeypatch.setattr(_interpret, "_locked_item", lambda loc, cells, r: calls.append(r) or real(loc, cells, r))
    report = validate_file(path, isolated=False)  # read here, where _locked_item is counted
    assert calls, "the rows were not held to their record"
    assert report.document["indicators"] == read(MON_XLSX[1]).document["indicators"]
    found = [p.cell for p in report.problems if p.code == CODE]
    col = M6.column("name").index
    assert found == [a1(first + 2 * i, col) for i in range(n - 1)], [(p.code, p.cell) for p in report.problems]
    assert not [p for p in report.problems if p.code in ("cell.below", "template.locked_rows_count")]
    assert len(calls) <= n and len(set(calls)) == len(calls), (n, len(calls))


def test_rows_cleared_are_placed_with_one_set_of_places(tmp_path, monkeypatch):
    """A self-evaluation's row cleared in the middle: said at that row.  ``_cleared_rows`` built the set of the rows'
    places again for every place above the last (rows² work on a long table); it builds it once."""
    import builtins

    import openpyxl

    from xlgoals._read import _interpret

    issued = read(SE_XLSX).document["indicators"]
    wb = openpyxl.load_workbook(SE_XLSX)
    ws = wb[SE.table.name]
    r = SE.table.first_row + 4
    for c in SE.columns():
        if c.kind != "seq":
            ws.cell(r + 1, c.index + 1).value = None
    path = tmp_path / "cleared.xlsx"
    wb.save(path)
    made = []
    monkeypatch.setattr(_interpret, "set", lambda *a: made.append(a) or builtins.set(*a), raising=False)
    report = validate_file(path, isolated=False)
    (cleared,) = [p for p in report.problems if p.code == CLEARED]
    assert cleared.cell == a1(r, SE.column("name").index), cleared
    assert report.document["indicators"] == issued[:4] + issued[5:]
    assert len(made) < len(issued) // 2, len(made)  # a few per file, none per row
