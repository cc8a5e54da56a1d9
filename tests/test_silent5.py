"""Readings that said one cause several times, or let a number no spreadsheet holds through (5).

* A self-evaluation row deleted (``template.locked_rows_count``: an approved row removed, the rows below moved up)
  was also ``self.points_total`` at 自评信息: its 分值 is gone, so the 分值 no longer add up to 100.  One cause, said
  once, as a row cleared in its place is (test_silent4).  The 分值 of rows all there that do not add up are still
  ``self.points_total``.
* A negative amount in a JSON document (validate of a .json, ``validate_document``) was ``schema.range`` and also
  fed the rules: a negative 全年预算数 gave ``monitor.budget_zero`` and ``monitor.expected_over_budget`` (three
  errors for one cause), a negative 本年预算 ``rule.current_le_total``, a negative source ``self.funds_breakdown``.
  The rules see it blank, as they see an amount the reader refused in a workbook (``cell.amount_negative``).  A
  budget of 0 with money spent is still ``monitor.budget_zero``.
* An error value (NaN or an infinity hand-written as ``<v>NaN</v>``: #NUM!; #N/A) in a LOCKED cell of a row held to
  the template's record was ``cell.error_value`` at the cell and ``template.locked_row_changed`` at the row.  One:
  the error value, at its cell (as a locked cell of the information sheet the reader could not take is).  A locked
  value typed over is still ``template.locked_row_changed``.
* A NaN or infinity in an .ods or .xls number cell is ``cell.error_value`` at its cell, as in an .xlsx.
"""

from __future__ import annotations

import copy
import re
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlgoals import read, validate, validate_document, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES
from .helpers import EXAMPLE_FORMS, edited_return, example_return, ind_cell, info_cell, row_cell
from .test_nonfinite import _with_values
from .test_silent2 import _walk
from .test_xls import LO_XLS, _rc, cell_record, rewrite_records

SE = EXAMPLE_FORMS["self-evaluation"]


def _deleted(src, dst, form, i):
    """`src` with indicator row `i` (0-based) deleted, the rows below moved up (what Excel's delete row does)."""
    wb = openpyxl.load_workbook(src)
    wb[form.table.name].delete_rows(form.table.first_row + i + 1)
    wb.save(dst)
    return dst


# 1. a deleted self-evaluation row: its 分值 gone is not said again as the points total -------------------------
@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_deleted_row_is_not_said_again_as_the_points_total(tmp_path, where):
    src = example_return("self-evaluation")
    n = len(read(src).document["indicators"])
    i = {"first": 0, "middle": n // 2, "last": n - 1}[where]
    report = validate_file(_deleted(src, tmp_path / "r.xlsx", SE, i))
    errors = [(p.code, p.sheet, p.cell) for p in report.problems if p.is_error]
    assert [c for c, _, _ in errors] == ["template.locked_rows_count"], errors
    if where == "middle":  # validate --targets: the goal table names the row missing, once
        errors = [p.code for p in validate([tmp_path / "r.xlsx"], targets=[EXAMPLES / "json"]).problems()
                  if p.is_error]
        assert errors == ["self.target_row_missing"], errors


def test_points_that_do_not_add_up_with_every_row_there_are_still_said(tmp_path):
    src = example_return("self-evaluation")
    doc = read(src).document
    doc["funds"]["points"] = doc["funds"]["points"] - 1
    assert "self.points_total" in [p.code for p in validate_document(doc)]


# 2. a negative amount the schema refuses does not feed the rules ---------------------------------------------------
_NEGATIVE = [
    ("monitoring", "/funds/full_year_budget"),
    ("monitoring", "/funds/executed_to_date"),
    ("monitoring", "/funds/expected_full_year"),
    ("self-evaluation", "/funds/full_year_budget"),
    ("self-evaluation", "/funds/sources/fiscal/full_year_budget"),
    ("goal-table", "/budget/total"),
    ("goal-table", "/budget/current_year"),
]


def _set(doc, path, value):
    node = doc
    *head, key = path.strip("/").split("/")
    for part in head:
        node = node[part]
    node[key] = value


@pytest.mark.parametrize("form_id, path", _NEGATIVE)
def test_a_negative_amount_in_a_document_is_one_error_at_its_place(form_id, path):
    doc = read(example_return(form_id)).document
    assert not [p for p in validate_document(doc) if p.is_error]
    bad = copy.deepcopy(doc)
    _set(bad, path, -100)
    errors = [(p.code, p.path) for p in validate_document(bad) if p.is_error]
    assert errors == [("schema.range", path)], errors


@pytest.mark.parametrize("form_id, path", [(f, p) for f, p in _NEGATIVE if f != "goal-table"])
def test_a_negative_amount_in_a_workbook_is_one_error_at_its_cell(tmp_path, form_id, path):
    form = EXAMPLE_FORMS[form_id]
    f = next(f for f in form.info.fields if f.path == path)
    wb = openpyxl.load_workbook(example_return(form_id))
    wb[form.info.name].cell(f.row + 1, f.col + 1).value = -100
    wb.save(tmp_path / "r.xlsx")
    errors = [(p.code, p.path) for p in validate_file(tmp_path / "r.xlsx").problems if p.is_error]
    assert errors == [("cell.amount_negative", path)], errors


def test_money_spent_on_a_budget_of_0_is_still_said():
    doc = read(example_return("monitoring")).document
    doc["funds"]["full_year_budget"] = 0
    codes = [p.code for p in validate_document(doc)]
    assert "monitor.budget_zero" in codes, codes


# 3. an error value in a locked cell of a recorded row: one error, at the cell --------------------------------------
@pytest.mark.parametrize("literal", ["NaN", "#N/A"])  # (an infinity is read as NaN is: test_nonfinite)
@pytest.mark.parametrize("form_id, key", [("self-evaluation", "target"), ("monitoring", "target"),
                                          ("self-evaluation", "points"), ("monitoring", "name")])
def test_an_error_value_in_a_locked_cell_is_one_error_at_the_cell(tmp_path, form_id, key, literal):
    if literal.startswith("#"):
        bad = edited_return(tmp_path, form_id, {(1, key): literal}, name="bad.xlsx")
    else:
        made = edited_return(tmp_path, form_id, {(1, key): 424242}, name="made.xlsx")
        bad = tmp_path / "bad.xlsx"
        _with_values(made, bad, {"424242": literal})
    report = validate_file(bad)
    errors = [(p.code, p.sheet, p.cell) for p in report.problems if p.is_error]
    # (template.locked_row_unread since test_locked_cells_unread: the value to restore, not to type into a locked
    # cell as cell.error_value asked; the row's other locked cells named as not checkable until then)
    assert errors == [("template.locked_row_unread", *row_cell(form_id, 1, key))], errors


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_locked_target_typed_over_is_still_the_row_changed(tmp_path, form_id):
    report = validate_file(edited_return(tmp_path, form_id, {(1, "target"): 424242}))
    assert "template.locked_row_changed" in [p.code for p in report.problems]


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_cleared_row_above_a_row_with_a_nan_is_still_the_row_cleared(tmp_path, form_id):
    """A row cleared where it stands, and below it a locked target showing #NUM! (a NaN): the row cleared at its
    row and the error value at its cell; not “rows deleted or added” (the row with the NaN is in its place)."""
    from .test_silent3 import _cleared

    form = EXAMPLE_FORMS[form_id]
    made = edited_return(tmp_path, form_id, {(5, "target"): 424242}, name="made.xlsx")
    _cleared(made, tmp_path / "c.xlsx", form, [2])
    _with_values(tmp_path / "c.xlsx", tmp_path / "bad.xlsx", {"424242": "NaN"})
    errors = [(p.code, p.sheet, p.cell) for p in validate_file(tmp_path / "bad.xlsx").problems if p.is_error]
    name = (form.table.name, row_cell(form_id, 2, "name")[1])
    # (template.locked_row_unread since test_locked_cells_unread: the NaN's value to restore, not to type in)
    assert sorted(errors) == sorted([("template.locked_row_unread", *row_cell(form_id, 5, "target")),
                                     ("template.locked_row_cleared", *name)]), errors


# 4. a NaN or infinity in an .ods or .xls number cell: the error value a spreadsheet shows, at its cell --------------
LO_ODS = Path(__file__).parent / "fixtures" / "goal-table-lo.ods"  # LibreOffice's .ods of examples/returns/02


def _texts(doc):
    return {str(v).strip().lower() for v in _walk(doc) if not isinstance(v, (dict, list))}


@pytest.mark.parametrize("literal", ["NaN", "-Infinity"])
def test_a_nan_in_an_ods_number_cell_is_an_error_value_at_its_cell(tmp_path, literal):
    """office:value="NaN" hand-written into the .ods's content.xml, at both budget amounts (146407273) and at every
    number 100 (the targets of indicators 2 and 3 among them)."""
    doc = read(LO_ODS).document
    assert not read(LO_ODS).problems
    assert (doc["indicators"][1].get("value"), doc["indicators"][2].get("value")) == (100, 100)
    dst = tmp_path / "nan.ods"
    with zipfile.ZipFile(LO_ODS) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "content.xml":
                for amount in (b"146407273", b"100"):
                    data = data.replace(b'office:value="%s"' % amount, f'office:value="{literal}"'.encode())
            zout.writestr(info, data)
    report = validate_file(dst)
    codes = [(p.code, p.sheet, p.cell) for p in report.problems if p.is_error]
    for sheet, cell in (info_cell("/budget/total"), info_cell("/budget/current_year"), ind_cell(1, "target"),
                        ind_cell(2, "target")):
        assert [c for c, s, at in codes if (s, at) == (sheet, cell)] == ["cell.error_value"], (cell, codes)
    assert {c for c, _, _ in codes} == {"cell.error_value"}, codes
    assert not _texts(report.document) & {"nan", "inf", "-inf", "infinity", "-infinity", "#num!"}


def _xls_with(dst, sheet_cells, bits: int, src=LO_XLS):
    """The LibreOffice .xls `src` with each cell of `sheet_cells` holding a double whose high 32 bits are `bits`
    (0x7FF80000: NaN, 0x7FF00000: infinity): an RK record for one of 10 bytes (RK, a shared text), a NUMBER's
    double rewritten."""
    def edit(records):
        for sheet_cell in sheet_cells:
            r, c = _rc(sheet_cell)
            i = cell_record(records, sheet_cell[0], r, c)
            rid, body = records[i]
            if rid == 0x0203:  # NUMBER: row, col, xf, the double
                records[i] = [rid, body[:6] + struct.pack("<Q", bits << 32)]
            else:
                assert len(body) == 10, hex(rid)
                records[i] = [0x027E, body[:6] + struct.pack("<I", bits)]
        return records

    return rewrite_records(src, dst, edit)


@pytest.mark.parametrize("where, bits, made_out", [
    ("amount", 0x7FF80000, True), ("amount", 0x7FF00000, True), ("target", 0x7FF80000, True),
    ("amount", 0x7FF80000, False), ("amount", 0x7FF00000, False), ("target", 0x7FF80000, False)],
    ids=["amount-nan", "amount-inf", "target-nan", "amount-nan-records-not-made-out",
         "amount-inf-records-not-made-out", "target-nan-records-not-made-out"])
def test_a_nan_in_an_xls_number_cell_is_an_error_value_at_its_cell(tmp_path, monkeypatch, where, bits, made_out):
    """An RK record holding a NaN or an infinity: the error value at its cell, as in an .xlsx and an .ods, also in a
    sheet whose BIFF records were not made out (its facts unknown: it was read as the text "nan", an amount
    “nan” said as cell.amount, a target silently the text "nan")."""
    import xlgoals._read._biff as biff

    sheet_cell = info_cell("/budget/total") if where == "amount" else ind_cell(3, "target")
    bad = _xls_with(tmp_path / "nan.xls", [sheet_cell], bits)
    if not made_out:
        made = biff.xls_sheets
        monkeypatch.setattr(biff, "xls_sheets", lambda stream, app=None: {
            k: v for k, v in made(stream, app).items() if k != sheet_cell[0]})
    report = validate_file(bad)
    codes = [(p.code, p.sheet, p.cell) for p in report.problems if p.is_error]
    assert codes == [("cell.error_value", *sheet_cell)], codes
    assert not _texts(report.document) & {"nan", "inf", "-inf", "infinity", "#num!"}


def test_an_xls_sheet_not_made_out_with_a_nan_keeps_its_formulas_unknown(tmp_path, monkeypatch):
    """The facts a NaN gives a sheet whose BIFF records were not made out (_grid.Unscreened) know no formulas: the
    执行率 of 自评信息 and the 总分 of 指标自评 (formulas LibreOffice kept in the .xls) are not said typed over
    (cell.computed_overwritten, as facts that knew them none said)."""
    import xlgoals._read._biff as biff

    form = EXAMPLE_FORMS["self-evaluation"]
    src = Path(__file__).parent / "fixtures" / "self-evaluation-lo.xls"  # LibreOffice's .xls of example_return
    executed = next(f for f in form.info.fields if f.path == "/funds/sources/fiscal/executed")
    cells = [(form.info.name, a1(executed.row, executed.col)), row_cell("self-evaluation", 3, "actual")]
    bad = _xls_with(tmp_path / "nan.xls", cells, 0x7FF80000, src=src)
    assert [(p.code, p.sheet, p.cell) for p in validate_file(bad).problems] == [
        ("cell.error_value", *cell) for cell in cells]
    made = biff.xls_sheets
    monkeypatch.setattr(biff, "xls_sheets", lambda stream, app=None: {
        k: v for k, v in made(stream, app).items() if k not in (form.info.name, form.table.name)})
    report = validate_file(bad)
    assert [(p.code, p.sheet, p.cell) for p in report.problems] == [("cell.error_value", *cell) for cell in cells]
    assert not _texts(report.document) & {"nan", "#num!"}


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_locked_row_held_to_its_record_reads_a_nan_as_the_row_does(tmp_path, form_id):
    """_locked_item (a row held to the template's record before it is read: a blank row above it) reads its locked
    cells as the row reader does: a NaN target is no value (the row's #NUM!), never the text "nan"."""
    from xlgoals import Config
    from xlgoals._form._locked import locked_keys
    from xlgoals._read._grid import Grid
    from xlgoals._read._interpret import _Cells, _locked_item
    from xlgoals._read._locate import locate
    from xlgoals._read._safety import open_container

    made = edited_return(tmp_path, form_id, {(1, "target"): 424242}, name="made.xlsx")
    bad = tmp_path / "bad.xlsx"
    _with_values(made, bad, {"424242": "NaN"})
    cfg = Config.load()
    loc = locate(Grid(open_container(bad), None), cfg, [])
    quiet = _Cells(loc, cfg.rules, [], cfg.limits)
    read_item = read(bad).document["indicators"][1]
    held = _locked_item(loc, quiet, EXAMPLE_FORMS[form_id].table.first_row + 1)
    assert "value" not in held and "nan" not in {str(v).lower() for v in held.values()}, held
    keys = set(locked_keys(loc.form)) & (set(held) | set(read_item))
    assert {k: held.get(k) for k in keys} == {k: read_item.get(k) for k in keys}


def test_an_information_field_shown_as_a_percent_is_named_in_english_in_the_english_message(tmp_path):
    """A header amount in a cell formatted as a percent (0.5 shown as 50%): cell.amount_percent, its English message
    naming the field by its English title, as every other problem does (the field is read by the screened path)."""
    from xlgoals import FORMS

    form = FORMS["goal-table"]
    field = [f for f in form.fields if f.kind == "amount"][0]
    wb = openpyxl.load_workbook(sorted((EXAMPLES / "returns").glob("*.xlsx"))[0])
    cell = wb[form.info.name].cell(field.row + 1, field.col + 1)
    cell.value, cell.number_format = 0.5, "0%"
    wb.save(tmp_path / "percent.xlsx")
    (p,) = [p for p in validate_file(tmp_path / "percent.xlsx").problems if p.code == "cell.amount_percent"]
    title_en = form.title_of(field.path, "en")
    assert title_en and not re.search(r"[\u4e00-\u9fff]", title_en)
    assert p.field_en == title_en and title_en in p.message_en, (p.field_en, p.message_en)


# 5. an added self-evaluation row: its 分值 added is not said again as the points total -----------------------------
def _added(src, dst, form, i):
    """`src` with a row inserted above indicator row `i` (0-based), the rows below moved down with their merged
    cells and heights (what Excel's insert row does), and filled in as the row below it, numbered in turn."""
    from openpyxl.worksheet.cell_range import CellRange

    wb = openpyxl.load_workbook(src)
    ws = wb[form.table.name]
    r = form.table.first_row + i + 1
    merged = [CellRange(m.coord) for m in ws.merged_cells.ranges]
    for m in merged:
        ws.unmerge_cells(m.coord)
    heights = {k: d.height for k, d in ws.row_dimensions.items()}
    ws.insert_rows(r)
    for k, h in heights.items():
        ws.row_dimensions[k + 1 if k >= r else k].height = h
    for m in merged:
        if m.min_row >= r:
            m.shift(row_shift=1)
        ws.merge_cells(m.coord)
    for c in range(1, ws.max_column + 1):
        ws.cell(r, c).value, ws.cell(r, c)._style = ws.cell(r + 1, c).value, copy.copy(ws.cell(r + 1, c)._style)
    seq = next(j for j, col in enumerate(form.table.columns) if col.key == "seq") + 1
    last = form.table.first_row + len(read(src).document["indicators"]) + 1
    for row in range(form.table.first_row + 1, last + 1):
        ws.cell(row, seq).value = row - form.table.first_row
    wb.save(dst)
    return dst


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_an_added_row_is_not_said_again_as_the_points_total(tmp_path, where):
    """A row inserted among the approved ones (template.locked_rows_count: 28 rows, the template issued 27) brings
    its own 分值, so the 分值 add up to more than 100: that is the row added, said once (as a row deleted is)."""
    src = example_return("self-evaluation")
    n = len(read(src).document["indicators"])
    i = {"first": 0, "middle": n // 2, "last": n - 1}[where]
    report = validate_file(_added(src, tmp_path / "r.xlsx", SE, i))
    errors = [(p.code, p.value, p.expected) for p in report.problems if p.is_error]
    assert errors == [("template.locked_rows_count", n + 1, str(n))], errors


# 6. a formula with no saved value in a locked cell: one error, at the cell ----------------------------------------
@pytest.mark.parametrize("formula", ["=100", "=H5"])
@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_formula_in_a_locked_target_is_one_error_at_the_cell(tmp_path, form_id, formula):
    """A locked target replaced by a formula with no saved result (openpyxl writes `=100` so) was cell.formula at the
    cell, template.locked_row_changed at the row's 三级指标 and schema.required at the cell: three messages for one
    cause.  One: template.locked_row_changed, at the formula's cell.  Not cell.formula: a warning that asks the
    department to “直接填写数值” into a cell the template locks, and that would let the return pass with its
    approved target gone; the locked-row error tells what to do (请恢复 the value issued, or ask for a new template)
    and is an error, as every locked value typed over is."""
    sheet, cell = row_cell(form_id, 1, "target")
    report = validate_file(edited_return(tmp_path, form_id, {(1, "target"): formula}))
    found = [(p.code, p.sheet, p.cell) for p in report.problems]
    # (template.locked_row_unread since test_locked_cells_unread: the row's other locked cells cannot be checked)
    assert found == [("template.locked_row_unread", sheet, cell)], found
    (p,) = report.problems
    assert "请恢复" in p.message and "年度指标值" in p.message, p.message


# 7. no deviation_required rule in force: the guide asks no reason, 偏差清单 lists only rows that lost points ------
_NO_DEVIATION_RULE = ("self.deviation_missing", "error", "funds_unscorable", "", "本局规则", "Bureau rule", "",
                      "本局：请填写“{field}”", "Bureau: fill in '{field}'")  # the packaged rule replaced, of another kind


def test_the_guide_asks_no_reason_where_no_rule_asks_for_one(tmp_path):
    """The bureau's rules hold no deviation_required rule (self.deviation_missing replaced by a rule of another kind):
    nothing asks a reason of a row, so line 七 does not say one 须 be given (it said 得分低于分值的，须填写偏差原因);
    it says the column may be filled in, and the lines keep their numbers."""
    from .test_msgs5 import _guide_of_template

    text = _guide_of_template(tmp_path, list(_NO_DEVIATION_RULE))
    lines = text.splitlines()
    (seventh,) = [line for line in lines if line.startswith("七、")]
    assert "须" not in seventh and "实际完成值超过目标" not in seventh, seventh
    assert seventh == "七、得分低于分值的，可填写偏差原因分析及改进措施（非必填）。", seventh
    assert [line[:2] for line in lines if line[1:2] == "、" and line[0] in "一二三四五六七八九"] == [
        f"{n}、" for n in "一二三四五六七八九"], lines


def test_the_deviation_list_lists_only_rows_that_lost_points_where_no_rule_asks_a_reason(tmp_path):
    """No deviation_required rule in force: 偏差清单 fell back to a 30 % over-achievement threshold of its own and
    listed a row 40 % over as 超额完成30%及以上, which nothing asked a reason of.  Only rows that lost points now."""
    import json

    import xlgoals._consolidate  # noqa: F401  (the summary's module is loaded by way of the consolidation's)
    from xlgoals import Config
    from xlgoals._selfeval._summary import SelfEvaluationSummary

    from .helpers import bureau_rules

    doc = copy.deepcopy(read(example_return("self-evaluation")).document)
    i = next(n for n, ind in enumerate(doc["indicators"])
             if ind.get("comparator") in (">=", ">") and isinstance(ind.get("value"), (int, float)) and ind["value"] > 0)
    doc["indicators"][i].update(actual=doc["indicators"][i]["value"] * 1.4, deviation="超额原因")

    def kinds(config):
        return [d[-2] for d in SelfEvaluationSummary.extract(json.loads(json.dumps(doc)), config)[0]["deviations"]]

    assert "超额完成30%及以上" in kinds(Config.load()), kinds(Config.load())
    rules = bureau_rules(tmp_path / "本局规则.csv", list(_NO_DEVIATION_RULE))
    found = kinds(Config.load(rules))
    assert found and set(found) == {"失分"}, found


def test_a_formula_in_a_locked_target_and_a_control_char_in_its_row_is_one_error(tmp_path):
    """The row's change said at the formula's cell (not its 三级指标): a control character typed into the same row's
    locked 三级指标 is that row typed over too, not a second error (schema.control_char) beside it."""
    sheet, cell = row_cell("self-evaluation", 1, "target")
    bad = edited_return(tmp_path, "self-evaluation", {(1, "target"): "=100", (1, "name"): "预算\u202e执行率"})
    found = [(p.code, p.sheet, p.cell) for p in validate_file(bad).problems]
    assert found == [("template.locked_row_unread", sheet, cell)], found


def test_two_formulas_in_a_row_s_locked_cells_are_one_error_naming_both(tmp_path):
    """Two locked cells of one approved row (年度指标值 and 分值) replaced by formulas with no saved result: one
    template.locked_row_changed, at the first, naming both; no cell.formula left at the second (which would ask the
    department to type a value into a locked cell), nor schema.required there (分值 “未填写”: the row's error
    explains every cell it names; test_locked_cells_unread)."""
    sheet, cell = row_cell("self-evaluation", 1, "target")
    report = validate_file(edited_return(tmp_path, "self-evaluation", {(1, "target"): "=100", (1, "points"): "=10"}))
    found = [(p.code, p.sheet, p.cell) for p in report.problems]
    assert found == [("template.locked_row_unread", sheet, cell)], found
    (p,) = report.problems
    assert "年度指标值" in p.message and "分值" in p.message and "请恢复" in p.message, p.message
    assert "target" in p.message_en and "points" in p.message_en, p.message_en
