"""Results that were silent or misleading, each now told where it stands.

* A formula showing nothing ("") left on an otherwise empty indicator row (copied down by a department): the row
  is blank to the eye and on paper, and is not read as an indicator; but the reader, which says ``cell.formula``
  for a formula in any input cell it reads, said nothing of these.  Now ``cell.formula_blank_row`` (a warning at
  the first such cell, naming the rows).
* ``cell.percent_hundredfold`` of a huge number (1e306 in a percent cell) quoted the 307-digit percent meant three
  times: its message is bounded as the found value's is (``…``).
* A return whose framework is not loaded (``schema.framework_unknown``) was unscored by the review with no reason:
  ``unscored()`` said None (as for a scored return), the JSON "not_reviewed".  Now a notice,
  ``review.framework_unknown``, gives the reason, "framework_unknown", in the terminal, the JSON and the CSV.
* 审核（按单位）: a unit literally named （无法识别申报单位） stays apart from the returns whose unit could not be read.
"""

from __future__ import annotations

import csv
import io
import json
import shutil

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS, consolidate, fill, read, validate_document, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLE_JSON, load
from .helpers import EXAMPLE_FORMS, F, example_return
from .test_percent_typed import MON, SE, _row_cell, _written

FORMULA = "cell.formula_blank_row"


def _blank_formula_rows(tmp_path, lo_edit, form_id: str, rows: int = 1, fmt: str = "xlsx"):
    """The example return of `form_id` with `rows` rows below its last indicator row holding, in LibreOffice, a
    formula showing "" in its 三级指标 and 指标目标值 cells (their format made General first, as a paste from
    another workbook brings: a text cell keeps a typed formula as text).  (path, form, first 0-based row, cells)."""
    form = EXAMPLE_FORMS[form_id]
    src = example_return(form_id)
    n = len(read(src).document[form.table.item_path.strip("/")])
    first = form.table.first_row + n + (1 if form_id == "goal-table" else 0)
    sheet = form.table.name
    edits, cells = [], []
    if form_id != "goal-table":  # rows one per approved target: the department unprotected the sheet to add them
        edits += [{"sheet": sheet, "unprotect": True}]
    for r in range(first, first + rows):
        for key in ("name", "target"):
            cell = a1(r, form.column(key).index)
            cells.append(cell)
            edits += [{"sheet": sheet, "cell": cell, "paste": 0, "format": "General"},
                      {"sheet": sheet, "cell": cell, "input": '=IF(1=2;1;"")'}]
    return lo_edit(src, tmp_path / f"formulas.{fmt}", edits, fmt=fmt), form, first, cells


@pytest.mark.parametrize("rows", [1, 3])
def test_a_goal_table_row_of_formulas_showing_nothing_is_said(tmp_path, lo_edit, rows):
    path, form, first, cells = _blank_formula_rows(tmp_path, lo_edit, "goal-table", rows)
    wb = openpyxl.load_workbook(path)
    assert wb[form.table.name][cells[0]].value.startswith("=IF(")  # a formula, as LibreOffice saved it
    before = read(example_return("goal-table")).document["indicators"]
    report = validate_file(path)
    assert report.document["indicators"] == before  # blank to the eye: no indicator made of it
    found = [p for p in report.problems if p.code == FORMULA]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("warning", form.table.name, cells[0])], \
        [(p.code, p.cell, p.message) for p in report.problems]
    said = f"{first + 1}" if rows == 1 else f"{first + 1}–{first + rows}"
    p = found[0]
    fw = xlgoals.load_framework(report.document["framework"])
    labels = "、".join(form.column(k, fw).label for k in ("name", "target"))  # 三级目标、指标目标值 in shanghai-2020
    assert f"第 {said} 行的“{labels}”是公式" in p.message and "未作为指标读取" in p.message, p.message
    assert f"row {said}" in p.text("en") and "not read" in p.text("en"), p.text("en")
    assert p.value == 2 * rows  # the formula cells of the rows
    assert report.passes()  # a warning: nothing the department typed is lost


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_row_of_formulas_showing_nothing_is_said_in_every_format(tmp_path, lo_edit, fmt):
    """The same row saved by LibreOffice as an .xls (which keeps 0 for a formula's text result: the reader knows the
    formula gives a text) and as an .ods."""
    path, form, first, cells = _blank_formula_rows(tmp_path, lo_edit, "goal-table", fmt=fmt)
    report = validate_file(path)
    assert [(p.code, p.cell) for p in report.problems] == [(FORMULA, cells[0])], report.problems
    assert len(report.document["indicators"]) == len(read(example_return("goal-table")).document["indicators"])


def test_a_row_of_formulas_with_no_kept_value_is_said(tmp_path):
    """A script's formula (no value kept) on a row below the indicators: the same warning, in the same place."""
    src = example_return("goal-table")
    n = len(read(src).document["indicators"])
    r = F.table.first_row + n + 1
    wb = openpyxl.load_workbook(src)
    cell = a1(r, F.column("target").index)
    wb[F.table.name][cell] = '=IF(1=2,1,"")'
    wb.save(tmp_path / "f.xlsx")
    report = validate_file(tmp_path / "f.xlsx")
    assert [(p.code, p.cell) for p in report.problems if p.code == FORMULA] == [(FORMULA, cell)], report.problems
    assert len(report.document["indicators"]) == n


def test_a_formula_showing_nothing_after_a_monitoring_reports_rows_is_said(tmp_path, lo_edit):
    """The row right below a monitoring report's last row, blank to the eye but for formulas: it ends the table as a
    blank row does (no row read of it), and the formulas are said."""
    path, form, first, cells = _blank_formula_rows(tmp_path, lo_edit, "monitoring")
    report = validate_file(path)
    assert [(p.code, p.cell) for p in report.problems if p.code == FORMULA] == [(FORMULA, cells[0])], \
        [(p.code, p.cell) for p in report.problems]
    assert report.document["indicators"] == read(example_return("monitoring")).document["indicators"]


def test_a_formula_on_a_row_read_is_still_cell_formula(tmp_path):
    """A row with something typed beside a formula is read, each formula its own cell.formula, as before."""
    src = example_return("goal-table")
    n = len(read(src).document["indicators"])
    r = F.table.first_row + n + 1
    wb = openpyxl.load_workbook(src)
    ws = wb[F.table.name]
    ws[a1(r, F.column("target").index)] = '=IF(1=2,1,"")'
    ws[a1(r, F.column("name").index)] = "新增指标"
    wb.save(tmp_path / "f.xlsx")
    report = validate_file(tmp_path / "f.xlsx")
    codes = [p.code for p in report.problems]
    assert FORMULA not in codes and "cell.formula" in codes, codes
    assert len(report.document["indicators"]) == n + 1


@pytest.mark.parametrize("src,form_id,key", [(SE, "self-evaluation", "actual"), (MON, "monitoring", "progress")])
def test_a_huge_number_shown_a_hundredfold_has_a_readable_message(tmp_path, src, form_id, key):
    """1e306 in a percent cell (1e308 %): the message quoted the percent meant, 307 digits, three times (over 1,100
    characters).  It is bounded as the found value is; the problem's expected keeps every digit (the data)."""
    k, sheet, cell = _row_cell(src, form_id, key)
    out = _written(src, tmp_path / "huge.xlsx", sheet, cell, 1e306)
    report = validate_file(out)
    found = [p for p in report.problems if p.code.startswith("cell.percent_hundredfold") and p.cell == cell]
    assert len(found) == 1, report.problems
    p = found[0]
    # each of the five numbers quoted is bounded (60 characters, as the found value always was), the % kept
    assert len(p.message) < 500 and len(p.text("en")) < 650, (len(p.message), p.message)
    assert p.message.count("…%") == 5 and "1000000000" in p.message, p.message
    assert p.expected == "1" + "0" * 306 + "%"


def test_a_huge_target_shown_a_hundredfold_has_a_readable_message(tmp_path):
    """The same for a goal table's 指标目标值 (a target above 100 % shown by a percent cell)."""
    doc = xlgoals.read(example_return("goal-table")).document
    k = next(i for i, it in enumerate(doc["indicators"]) if it.get("unit") == "%")
    cell = a1(F.table.first_row + k, F.column("target").index)
    out = _written(example_return("goal-table"), tmp_path / "huge.xlsx", F.table.name, cell, 1e306)
    report = validate_file(out)
    found = [p for p in report.problems if p.code.startswith("cell.percent_hundredfold") and p.cell == cell]
    assert len(found) == 1, [(p.code, p.cell) for p in report.problems]
    assert len(found[0].message) < 500 and found[0].message.count("…%") == 5, found[0].message


def _demo(tmp_path):
    """A bureau's framework folder and a return of it, read with the folder."""
    from .test_frameworks import _demo_doc, _demo_spec

    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "demo-2025.json").write_text(json.dumps(_demo_spec(), ensure_ascii=False), encoding="utf-8")
    doc = _demo_doc()
    fill(doc, tmp_path / "r.xlsx", frameworks=folder)
    return doc, read(tmp_path / "r.xlsx", frameworks=folder)


def test_a_return_of_a_framework_not_loaded_says_why_it_is_not_scored(tmp_path):
    from xlgoals import Config, ValidationReport, load_review
    from xlgoals._check._report import render_report
    from xlgoals._check._validate import check_result, unscored

    doc, result = _demo(tmp_path)
    cfg = Config.load()
    file_report = check_result(result, cfg, load_review(config=cfg))
    assert file_report.review_score is None
    assert unscored(file_report.problems, cfg.rules) == "framework_unknown"
    (notice,) = [p for p in file_report.problems if p.code == "review.framework_unknown"]
    assert notice.severity == "notice" and (notice.sheet, notice.cell) == (
        F.info.name, result.sources["/framework"].split("!")[1])
    assert "demo-2025" in notice.message and "未评分" in notice.message, notice.message
    assert "not scored" in notice.message_en, notice.message_en
    report = ValidationReport(files=[file_report], review=True)
    data = json.loads(render_report(report, "json", rules=cfg.rules))
    assert data["files"][0]["review_unscored"] == "framework_unknown"
    text = render_report(report, "text", rules=cfg.rules)
    assert "审核未评分（指标体系未加载）" in text and "1 个文件的指标体系未加载" in text, text
    english = render_report(report, "text", "en", rules=cfg.rules)
    assert "not scored (framework not loaded)" in english, english
    rows = list(csv.DictReader(io.StringIO(render_report(report, "csv", rules=cfg.rules).lstrip("\ufeff"))))
    assert [r["code"] for r in rows if r["severity"] == "notice"] == ["review.framework_unknown"], rows
    # a JSON document: the same notice beside the error
    codes = [p.code for p in validate_document({**doc, "framework": "nope"}, review=True)]
    assert codes == ["schema.framework_unknown", "review.framework_unknown"], codes
    assert [p.code for p in validate_document({**doc, "framework": "nope"})] == ["schema.framework_unknown"]


def test_a_unit_named_like_the_unreadable_bucket_stays_apart(tmp_path):
    """审核（按单位）: the returns whose unit could not be read are listed under （无法识别申报单位）; a unit whose name is
    that very text is its own row, its return scored there, not counted with the others."""
    folder = tmp_path / "in"
    folder.mkdir()
    doc = load(EXAMPLE_JSON[1])
    fill({**doc, "unit": "（无法识别申报单位）"}, folder / "a.xlsx")
    (folder / "c.xlsx").write_bytes(b"not a workbook")
    consolidate([folder], tmp_path / "s.xlsx", review=True)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["审核（按单位）"]
    rows = [r for r in ws.iter_rows(min_row=1, values_only=True) if isinstance(r[0], int)]
    by_unit = {r[1]: r[2:6] for r in rows}
    assert len(rows) == 2, rows
    bucket = by_unit.pop("㊟（无法识别申报单位）")
    assert bucket == (1, 0, 1, "文件无法读取 1"), rows
    ((name, (received, scored, unscored_, why)),) = by_unit.items()
    assert (received, scored, unscored_, why) == (1, 1, 0, None), rows
    assert name == "（无法识别申报单位）", name  # as typed (mendFD: units shown as spelt), apart from the bucket
