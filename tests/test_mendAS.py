"""mendAS: follow-ups on session 23's reader checks of what a cell's number format shows.

1. An indicator table's cells print too: a number its format divides (``#,##0.00,`` prints 62.80 for 62,800) is
   ``cell.number_scaled`` (error), a value its format shows as nothing (``;;;``) ``cell.format_blank`` (warning), as
   the header's fields already were.  The cells are the form's table columns (its declaration), found by the screen.
2. A funds amount in 万元 said by the reader (cell.amount_scaled, error) is not also monitor.amount_scale /
   self.amount_scale (warning) at the same cell under --targets: one problem per cell.
3. template.locked_record_lost says, under --targets, what was still checked against the approved goal table.
4. An .ods date cell holding a number (office:value-type="float", no date style) prints the serial: cell.date_serial.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, validate, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES
from .helpers import example_return

FIXTURES = Path(__file__).parent / "fixtures"
GOALS = EXAMPLES / "json"


def _col(form, key: str) -> int:
    return next(c.index for c in form.columns(None) if c.key == key)


def _table_formatted(tmp_path: Path, form_id: str, cells: dict, name: str = "r.xlsx") -> Path:
    """The form's example return with indicator-table cells of its first row given a number format (and a value):
    {column key: (value or None to keep it, format)}."""
    form = FORMS[form_id]
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.table.name]
    r = form.table.first_row
    for key, (value, fmt) in cells.items():
        cell = ws.cell(r + 1, _col(form, key) + 1)
        if value is not None:
            cell.value = value
        cell.number_format = fmt
    wb.save(tmp_path / name)
    return tmp_path / name


def _at(problems, codes) -> list:
    return sorted((p.code, p.severity, p.sheet, p.cell, p.path) for p in problems if p.code in codes)


CODES = {"cell.number_scaled", "cell.format_blank", "cell.amount_scaled"}


# 1. the indicator table -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("form_id", ["goal-table", "monitoring", "self-evaluation"])
def test_a_target_its_format_divides_is_an_error_at_its_cell(tmp_path, form_id):
    form = FORMS[form_id]
    path = _table_formatted(tmp_path, form_id, {"target": (62800, "#,##0.00,")})
    before = path.read_bytes()
    report = validate_file(path)
    cell = a1(form.table.first_row, _col(form, "target"))
    first = report.document["indicators"][0]  # (a qualitative row: its target read as the text typed)
    assert first.get("value", first.get("text")) in (62800, "62800")  # read as it is, never multiplied
    held = "value" if "value" in first else "text"  # the problem points where the document holds it
    assert _at(report.problems, CODES) == [
        ("cell.number_scaled", "error", form.table.name, cell, f"/indicators/0/{held}")], report.problems
    (p,) = [p for p in report.problems if p.code == "cell.number_scaled"]
    assert "62800" in p.message and "“62.80”" in p.message and "打印件与数据不符" in p.message, p.message
    assert "'62.80'" in p.message_en and "disagree" in p.message_en, p.message_en
    assert path.read_bytes() == before


def test_results_and_scores_shown_scaled_or_blank_in_a_self_evaluation(tmp_path):
    form = FORMS["self-evaluation"]
    path = _table_formatted(tmp_path, "self-evaluation", {
        "actual": (95000, "0.0,"), "score": (None, ";;;"), "name": (None, ";;;")})
    found = _at(validate_file(path).problems, CODES)
    r, sheet = form.table.first_row, form.table.name
    assert found == sorted([
        ("cell.number_scaled", "error", sheet, a1(r, _col(form, "actual")), "/indicators/0/actual"),
        ("cell.format_blank", "warning", sheet, a1(r, _col(form, "score")), "/indicators/0/score"),
        ("cell.format_blank", "warning", sheet, a1(r, _col(form, "name")), "/indicators/0/name"),
    ]), found


def test_monitoring_progress_shown_as_nothing_is_warned(tmp_path):
    form = FORMS["monitoring"]
    path = _table_formatted(tmp_path, "monitoring", {"progress": (None, ";;;"), "expected": (1200000, "#,##0,")})
    found = _at(validate_file(path).problems, CODES)
    r, sheet = form.table.first_row, form.table.name
    assert found == sorted([
        ("cell.format_blank", "warning", sheet, a1(r, _col(form, "progress")), "/indicators/0/progress"),
        ("cell.number_scaled", "error", sheet, a1(r, _col(form, "expected")), "/indicators/0/expected"),
    ]), found


@pytest.mark.parametrize("fmt", ['0"人"', '#,##0.00"万元"', "#,##0.00", "General", "0%"])
def test_a_table_number_shown_as_read_is_not_said_scaled(tmp_path, fmt):
    """A format showing the number read (with a unit beside it: the row's unit judges that) is no scaling."""
    path = _table_formatted(tmp_path, "goal-table", {"target": (62800, fmt)})
    assert not [p for p in validate_file(path).problems if p.code in ("cell.number_scaled", "cell.format_blank")]


def test_the_example_returns_say_none_of_it():
    for form_id in ("goal-table", "monitoring", "self-evaluation"):
        codes = {p.code for p in validate_file(example_return(form_id)).problems}
        assert not codes & CODES, (form_id, codes)


# 2. one problem per cell: the reader's error, not also the scale warning ------------------------------------------
@pytest.mark.parametrize("form_id, path, value, code", [
    ("monitoring", "/funds/executed_to_date", 7232.52, "monitor.amount_scale"),
    ("self-evaluation", "/funds/executed", 14201.51, "self.amount_scale"),
])
def test_an_amount_in_wan_shown_so_is_said_once_under_targets(tmp_path, form_id, path, value, code):
    form = FORMS[form_id]
    f = form.field(path)
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.info.name]
    ws[f.cell].value = value
    ws[f.cell].number_format = '#,##0.00"万元"'
    wb.save(tmp_path / "r.xlsx")
    problems = validate([tmp_path / "r.xlsx"], targets=[GOALS]).problems()
    at_cell = sorted((p.code, p.severity) for p in problems if p.cell == f.cell and p.sheet == form.info.name)
    assert at_cell == [("cell.amount_scaled", "error")], at_cell
    # the same amount typed in 万元 in a cell of no such format: the warning still speaks, once (the return's own,
    # saying what the rules find of the amount as typed; not also the goal table's comparison's)
    ws[f.cell].number_format = "#,##0.00"
    wb.save(tmp_path / "plain.xlsx")
    plain = validate([tmp_path / "plain.xlsx"], targets=[GOALS]).problems()
    assert [p.code for p in plain if p.cell == f.cell and p.sheet == form.info.name
            and p.code.startswith(code)] == [f"{code}_rules"], plain


# 3. template.locked_record_lost under --targets ---------------------------------------------------------------------
def _without_custom_properties(src: Path, dst: Path) -> Path:
    """What a copy into a new book does (tests/test_mendAP.py): the custom document properties are not carried."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts.pop("docProps/custom.xml")
    parts["[Content_Types].xml"] = re.sub(rb'<Override PartName="/docProps/custom.xml"[^>]*/>', b"",
                                          parts["[Content_Types].xml"])
    parts["_rels/.rels"] = re.sub(rb"<Relationship [^>]*custom-properties[^>]*/>", b"", parts["_rels/.rels"])
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return dst


def _lost(problems) -> object:
    (p,) = [p for p in problems if p.code == "template.locked_record_lost"]
    return p


@pytest.mark.parametrize("form_id", ["monitoring", "self-evaluation"])
def test_record_lost_under_targets_says_what_the_goal_table_still_checked(tmp_path, form_id):
    copied = _without_custom_properties(example_return(form_id), tmp_path / "复制.xlsx")
    alone = _lost(validate_file(copied).problems)
    assert "无法核对" in alone.message and "could not be checked" in alone.message_en
    p = _lost(validate([copied], targets=[GOALS]).problems())
    assert p.severity == "warning"
    assert "已按所给的批复的绩效目标表（--targets）核对" in p.message, p.message
    for title in ("申报单位名称", "项目名称", "指标编号", "比较符", "年度指标值", "计量单位"):
        assert title in p.message, (title, p.message)
    assert "无法核对" not in p.message and "could not be checked" not in p.message_en, p.message_en
    assert "were still checked against the approved goal table" in p.message_en, p.message_en
    assert ("分值" in p.message) == (form_id == "self-evaluation")
    assert "新工作簿" in p.message and "下发的原模板" in p.message  # the cause and what to do, as before


def test_record_lost_under_targets_of_no_matching_goal_table_still_says_unchecked(tmp_path):
    doc_path = _without_custom_properties(example_return("monitoring"), tmp_path / "复制.xlsx")
    wb = openpyxl.load_workbook(doc_path)
    form = FORMS["monitoring"]
    f = form.field("/project/name")
    wb[form.info.name][f.cell].value = "另一个项目"
    sha = form.field("/targets_sha256")
    wb[form.info.name][sha.cell].value = "0" * 64
    wb.save(tmp_path / "另一个.xlsx")
    problems = validate([tmp_path / "另一个.xlsx"], targets=[GOALS]).problems()
    assert "monitor.targets_unmatched" in {p.code for p in problems}
    assert "无法核对" in _lost(problems).message


# 4. an .ods date cell holding a number ------------------------------------------------------------------------------
_DATE_CELL = re.compile(r'<table:table-cell table:style-name="(\w+)" table:content-validation-name="val2" '
                        r'office:value-type="date" office:date-value="2020-01-01" calcext:value-type="date">')


def _ods_with_start_date(tmp_path: Path, cell: str) -> Path:
    """LibreOffice's .ods of the goal table (tests/fixtures/goal-table-lo-wan.ods) with its 计划开始日期 cell (B6,
    a date cell of a date style) written as `cell` ({style}: that date style's name)."""
    src = FIXTURES / "goal-table-lo-wan.ods"
    dst = tmp_path / "date.ods"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "content.xml":
                text = data.decode("utf-8")
                m = _DATE_CELL.search(text)
                assert m, "the fixture's start date cell"
                text = text[:m.start()] + cell.format(style=m[1]) + text[m.end():]
                data = text.encode("utf-8")
            zout.writestr(item, data)
    return dst


def _start_date_problems(path: Path) -> list:
    f = FORMS["goal-table"].field("/project/start_date")
    report = validate_file(path)
    return [(p.code, p.value, p.expected) for p in report.problems if (p.sheet, p.cell) == (f.sheet, f.cell)]


def test_an_ods_date_cell_holding_a_number_of_no_date_style_is_a_date_serial(tmp_path):
    path = _ods_with_start_date(tmp_path, '<table:table-cell table:content-validation-name="val2" '
                                          'office:value-type="float" office:value="43831" calcext:value-type="float">')
    assert _start_date_problems(path) == [("cell.date_serial", 43831, "2020-01-01")]


@pytest.mark.parametrize("cell", [
    # a number in a cell of the date style: LibreOffice shows 2020-01-01
    '<table:table-cell table:style-name="{style}" table:content-validation-name="val2" office:value-type="float" '
    'office:value="43831" calcext:value-type="float">',
    # as LibreOffice saves it: a date
    '<table:table-cell table:style-name="{style}" table:content-validation-name="val2" office:value-type="date" '
    'office:date-value="2020-01-01" calcext:value-type="date">',
])
def test_an_ods_date_shown_as_a_date_is_not_warned(tmp_path, cell):
    assert _start_date_problems(_ods_with_start_date(tmp_path, cell)) == []


@pytest.mark.soffice
def test_an_actual_typed_into_a_cell_formatted_in_thousands_in_libreoffice_is_an_error(tmp_path, lo_edit):
    """As a department does it in LibreOffice: a thousands-scaling format (0.0,) brought onto a 实际完成值 cell of the
    example self-evaluation, then 95000 typed over it through LibreOffice's own input (.uno:EnterString): the cell
    prints 95.0 and holds 95000."""
    form = FORMS["self-evaluation"]
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
    ref = a1(form.table.first_row, _col(form, "actual"))
    typed = lo_edit(src, tmp_path / "typed.xlsx", [
        {"sheet": form.table.name, "cell": ref, "paste": 1, "format": "0.0,"},
        {"sheet": form.table.name, "cell": ref, "input": "95000"}])
    found = _at(validate_file(typed).problems, CODES)
    assert found == [("cell.number_scaled", "error", form.table.name, ref, "/indicators/0/actual")], found
    (p,) = [p for p in validate_file(typed).problems if p.code == "cell.number_scaled"]
    assert "95000" in p.message and "“95.0”" in p.message, p.message
