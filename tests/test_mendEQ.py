"""Session 30, mendEQ: locked cells changed by hand (red team 30b) — blame the right cell, advise from the issued values.

* 1: the template stamp (项目信息!B26, 监控信息!B14, locked) edited once the sheet's protection was off was trusted over
  the document properties, which still hold the issued framework, year and month: the untouched 预算年度 B2 was told to
  read the stamp's year, a B2 changed with the stamp went unreported, a framework or month edit was said as a structure
  change (and ``read`` refused a monitoring report).  The stamp cell is now said as changed (template.locked_changed,
  the issued stamp expected) and the rest is judged against the issued values, where the properties hold them (all
  of them, and the template id they make agrees); a file without them (a copy into a new book) trusts its stamp.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import FORMS, read, validate_file
from xlgoals._form import a1

from .helpers import example_return

G, M = FORMS["goal-table"], FORMS["monitoring"]
G_STAMP = "XLGOALS|goal-table|2|shanghai-2020|2020|xlgoals-goal-table-L2-shanghai-2020-2020"
M_STAMP = "XLGOALS|monitoring|2|shanghai-2020|2020|xlgoals-monitoring-L2-shanghai-2020-2020-month6|month=6"


def _edit(src, dst, sheet, edits: dict, strip_props=False):
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    ws.protection.sheet = False
    for ref, value in edits.items():
        ws[ref].value = value
        if isinstance(value, str):
            ws[ref].data_type = "s"
    if strip_props:
        for name in list(wb.custom_doc_props.names):
            del wb.custom_doc_props[name]
    wb.save(dst)
    return dst


@pytest.fixture(scope="module")
def stamps(tmp_path_factory):
    d = tmp_path_factory.mktemp("mendEQ")
    g, m = example_return("goal-table"), example_return("monitoring")
    gs, ms = a1(*G.info.stamp_cell), a1(*M.info.stamp_cell)
    y21 = G_STAMP.replace("|2020|xlgoals-goal-table-L2-shanghai-2020-2020", "|2021|xlgoals-goal-table-L2-shanghai-2020-2021")
    files = {
        "year": _edit(g, d / "year.xlsx", G.info.name, {gs: y21}),
        "both": _edit(g, d / "both.xlsx", G.info.name, {gs: y21, "B2": 2021}),
        "fw": _edit(g, d / "fw.xlsx", G.info.name, {gs: G_STAMP.replace("shanghai-2020", "national-2021")}),
        "month": _edit(m, d / "month.xlsx", M.info.name, {ms: M_STAMP.replace("month=6", "month=9")}),
        "bare": _edit(g, d / "bare.xlsx", G.info.name, {gs: y21}, strip_props=True),
    }
    return {k: (v, validate_file(v)) for k, v in files.items()}


def _at(report, code):
    return [(p.sheet, p.cell) for p in report.problems if p.code == code]


def test_the_stamp_year_edited_is_said_at_the_stamp_not_at_the_year(stamps):
    _, report = stamps["year"]
    assert _at(report, "template.locked_changed") == [(G.info.name, "B26")], report.problems
    (p,) = [p for p in report.problems if p.code == "template.locked_changed"]
    assert f"应为“{G_STAMP}”" in p.message and "|2021|" in p.message, p.message
    assert p.severity == "error" and G_STAMP in p.message_en
    assert report.document["year"] == 2020


def test_the_year_changed_with_the_stamp_is_reported(stamps):
    _, report = stamps["both"]
    assert sorted(_at(report, "template.locked_changed")) == [(G.info.name, "B2"), (G.info.name, "B26")]
    (p,) = [p for p in report.problems if p.code == "template.locked_changed" and p.cell == "B2"]
    assert "应为“2020”，现为“2021”" in p.message, p.message


def test_the_stamp_framework_edited_is_no_structure_change(stamps):
    _, report = stamps["fw"]
    assert _at(report, "template.altered") == []
    assert _at(report, "template.locked_changed") == [(G.info.name, "B26")], report.problems
    assert report.document["framework"] == "shanghai-2020"


def test_the_monitoring_month_edited_in_the_stamp_still_reads(stamps):
    path, report = stamps["month"]
    assert _at(report, "template.altered") == []
    assert _at(report, "template.locked_changed") == [(M.info.name, "B14")], report.problems
    (p,) = [p for p in report.problems if p.code == "template.locked_changed"]
    assert f"应为“{M_STAMP}”" in p.message and "month=9”" in p.message and "month=9'" in p.message_en, p.message
    doc = read(path).document
    assert doc is not None and doc["month"] == 6


def test_without_the_properties_the_stamp_is_trusted(stamps):
    """A copy into a new book keeps no custom properties: the stamp is the only witness, and is believed."""
    _, report = stamps["bare"]
    assert _at(report, "template.locked_changed") == [(G.info.name, "B2")]
    (p,) = [p for p in report.problems if p.code == "template.locked_changed"]
    assert "应为“2021”" in p.message, p.message


# --- 2: a self-evaluation's locked row typed over (no --targets): no score advice from the values typed in ----------

S = FORMS["self-evaluation"]


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    d = tmp_path_factory.mktemp("mendEQ2")
    s = example_return("self-evaluation")
    files = {
        "points": _edit(s, d / "points.xlsx", S.table.name, {"K14": 10}),  # 分值 4.44 -> 10
        "target": _edit(s, d / "target.xlsx", S.table.name, {"G13": 80}),  # ≥90% -> ≥80%, the honest score 4 kept
    }
    return {k: (v, validate_file(v)) for k, v in files.items()}


def test_no_score_advice_from_a_locked_row_typed_over(rows):
    for name, row in (("points", 14), ("target", 13)):
        _, report = rows[name]
        assert [p for p in report.problems if p.code == "self.score_mismatch"] == [], (name, report.problems)
        (p,) = [p for p in report.problems if p.code == "template.locked_row_changed"]
        assert p.cell == f"E{row}", p.cell
        # the template keeps one check value per row: which cell changed cannot be told, and it says so, with the row
        assert f"第 {row} 行" in p.message and "无法指出" in p.message and "得分" in p.message, p.message
        assert f"row {row}" in p.message_en and "cannot be told" in p.message_en, p.message_en


def test_under_targets_the_score_is_still_advised_from_the_issued_values(rows, tmp_path):
    """validate --targets knows the issued 分值 and target: its score advice stays (computed from them)."""
    from xlgoals import validate

    path, _ = rows["target"]
    wb = openpyxl.load_workbook(path)
    wb[S.table.name]["L13"].value = 4.44  # the score raised to the full points of the lowered target
    wb.save(tmp_path / "t.xlsx")
    report = validate([tmp_path / "t.xlsx"], targets=example_return("goal-table")).files[0]
    (p,) = [p for p in report.problems if p.code == "self.score_mismatch"]
    assert "应为 4" in p.message and "目标值 ≥90%" in p.message, p.message


# --- 3: one 序号 mistyped is named at its cell, not reported as a sort at the rows below ------------------------------

@pytest.fixture(scope="module")
def seqs(tmp_path_factory):
    d = tmp_path_factory.mktemp("mendEQ3")
    g = example_return("goal-table")
    seq = G.column("seq").index
    cell = lambda i: a1(G.table.first_row + i, seq)  # noqa: E731
    files = {"typo": {cell(16): 99}, "first": {cell(0): 70},
             "moved": {cell(2): 4, cell(3): 5, cell(4): 3}, "twice": {cell(4): 4}}
    return {k: read(_edit(g, d / f"{k}.xlsx", G.table.name, e)).problems for k, e in files.items()}


def _seq(problems):
    return [(p.code, p.cell) for p in problems if p.code.startswith("cell.seq_")]


def test_one_seq_mistyped_is_named_at_its_cell(seqs):
    found = seqs
    row = G.table.first_row + 1  # (1-based sheet row of indicator 0)
    assert _seq(found["typo"]) == [("cell.seq_changed", f"A{row + 16}")], found["typo"]
    (p,) = [p for p in found["typo"] if p.code == "cell.seq_changed"]
    assert p.severity == "warning" and "为 99" in p.message and "15、16、99、18、19" in p.message, p.message
    assert "改回 17" in p.message and "排序" not in p.message, p.message
    assert "change it back to 17" in p.message_en and "16, 99, 18" in p.message_en, p.message_en
    assert _seq(found["first"]) == [("cell.seq_changed", f"A{row}")] and "改回 1" in found["first"][-1].message


def test_rows_moved_or_copied_are_still_a_sort(seqs):
    found = seqs
    assert [c for c, _ in _seq(found["moved"])] == ["cell.seq_order"]  # 1, 2, 4, 5, 3, 6: a row moved down
    assert [c for c, _ in _seq(found["twice"])] == ["cell.seq_order"]  # 4 printed twice: a row copied
