"""What a cell shows vs what is read, by its number format (red team 23b: F02, F07, the ;;; format).

- F02: an amount whose number format shows it in 万元/亿元/千元 (``#,##0.00"万元"``, ``0.00万``, ``0.0000"亿元"``) or
  scaled by a trailing comma (``#,##0.00,`` shows 62,800,000 as 62,800.00 under the label 元) was read as 元 and
  consolidated 10,000× off, silently: now ``cell.amount_scaled``, an error at the cell, in .xlsx, .xls and .ods.
- F07: a date's serial (43831) in a cell of General or text format prints 43831 but was read as 2020-01-01 without a
  word: now ``cell.date_serial``, a warning.
- A value whose number format shows nothing (``;;;``) prints blank but was read silently: ``cell.format_blank``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, read
from xlgoals._form import a1
from xlgoals._read._screen import format_blanks, scaled_money_format

from .conftest import EXAMPLES, cli
from .helpers import example_return

FIXTURES = Path(__file__).parent / "fixtures"
GOAL = FORMS["goal-table"]
NEW_CODES = {"cell.amount_scaled", "cell.date_serial", "cell.format_blank"}


# the detector ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("code, unit, factor", [
    ('#,##0.00"万元"', "万元", 10_000),
    ("0.00万", "万", 10_000),  # unquoted, as LibreOffice keeps it
    ("0.00\\万", "万", 10_000),  # escaped
    ('0.0000"亿元"', "亿元", 100_000_000),
    ('0.00"亿"', "亿", 100_000_000),
    ('#,##0"千元"', "千元", 1_000),
    ('#,##0.00"百万元"', "百万元", 1_000_000),
    ("[$万元-804]#,##0.00", "万元", 10_000),  # a currency bracket's symbol is shown
    ('[Red]#,##0.00"万元";[Blue]-#,##0.00"万元"', "万元", 10_000),  # a colour shows no text
    ('#,##0.00_ "万元"', "万元", 10_000),
    ('General"万元"', "万元", 10_000),
    ("#,##0.00,", "", Decimal("0.001")),  # the thousands-scaling comma
    ("0,", "", Decimal("0.001")),
    ("#,##0,,", "", Decimal("0.000001")),
    ("0.0,,", "", Decimal("0.000001")),
    ('0.00,"万元"', "万元", 10),  # both: 62,800,000 shows 62,800.00万元
])  # ('[>1000]0.0,"K";0': a section chosen by its condition, test_mendBB)
def test_scaled_money_format_finds_the_unit_and_factor(code, unit, factor):
    found = scaled_money_format(code)
    assert found == (unit, Decimal(factor)), found
    assert found.shown_unit == unit and found.factor == Decimal(factor)


@pytest.mark.parametrize("code", [
    "General", "#,##0.00", "#,##0", "0", "0.00", "#,##0.00_ ;[Red]-#,##0.00 ", '0.00"元"', '#,##0.00"元"', "0%", "@",
    "yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "0.00E+00", '"万元"@', "", ";;;",
    '0.00,"千元"', '0.00,,"百万元"',  # scaled and named back: the amount read is the one shown
    '[Red]"万元"',  # no number shown
])
def test_scaled_money_format_leaves_plain_formats(code):
    assert scaled_money_format(code) is None


def test_scaled_money_format_says_what_the_cell_shows_exactly():
    wan = scaled_money_format('#,##0.00"万元"')
    assert (wan.shown(6280), wan.in_yuan(6280)) == ("6280万元", "62800000")
    yi = scaled_money_format('0.0000"亿元"')
    assert (yi.shown(0.628), yi.in_yuan(0.628)) == ("0.628亿元", "62800000")
    thousand = scaled_money_format("#,##0.00,")
    assert (thousand.shown(62800000.0), thousand.in_yuan(62800000.0)) == ("62800", "62800")


@pytest.mark.parametrize("code, blanks", [
    (";;;", (True, True)), (";;", (True, False)), (";;;@", (True, False)), ("0;;", None), ('[Red];[Blue];;', (True, True)),
    ("General", None), ("#,##0.00", None), ('"";"";"";""', (True, True)), ("0;-0;;@", None),
])
def test_format_blanks(code, blanks):
    assert format_blanks(code) == blanks


# F02 through the CLI ------------------------------------------------------------------------------------------------
def _formatted(tmp_path: Path, form_id: str, cells: dict, name: str = "r.xlsx") -> Path:
    """The form's example return with information-sheet cells given a value and a number format: {A1: (value, fmt)}."""
    form = FORMS[form_id]
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.info.name]
    for ref, (value, fmt) in cells.items():
        ws[ref].value = value
        if fmt is not None:
            ws[ref].number_format = fmt
    wb.save(tmp_path / name)
    return tmp_path / name


def _printed(p: dict) -> str:
    """What an amount's scaled format prints, in 元, as cell.amount_scaled's (English) message says it (its `expected`
    says the fix, tests/test_mendBD.py); any other problem's `expected`."""
    if p["code"] != "cell.amount_scaled":
        return p["expected"]
    import re

    return re.search(r"that is ([0-9.,]+) yuan", p["message"])[1]


def _report(path: Path, lang: str = "en") -> list[dict]:
    r = cli("validate", path, "--format", "json", "--lang", lang)
    return json.loads(r.output)["files"][0]["problems"]


def _field(form_id: str, path: str):
    return next(f for f in FORMS[form_id].fields if f.path == path)


@pytest.mark.parametrize("fmt, value, shown, in_yuan", [
    ('#,##0.00"万元"', 6280, "6,280.00万元", "62800000"),  # as printed (mendBF r04)
    ("0.00万", 6280, "6280.00万", "62800000"),
    ('0.0000"亿元"', 0.628, "0.6280亿元", "62800000"),  # not “round to the fen”
    ("#,##0.00,", 62800000, "62,800.00", "62800"),  # prints 62,800.00 under the label 元
])
def test_an_amount_shown_in_another_unit_is_an_error_at_its_cell(tmp_path, fmt, value, shown, in_yuan):
    f = _field("goal-table", "/budget/total")
    ref = a1(f.row, f.col)
    path = _formatted(tmp_path, "goal-table", {ref: (value, fmt)})
    before = path.read_bytes()
    problems = [p for p in _report(path) if p["cell"] == ref]
    assert [(p["code"], p["severity"], p["sheet"]) for p in problems] == [
        ("cell.amount_scaled", "error", GOAL.info.name)], problems
    (p,) = problems
    assert p["value"] == str(value) and _printed(p) == in_yuan
    assert f"'{shown}'" in p["message"] and "enter it in yuan" in p["message"]
    assert f"“{shown}”" in p["message_zh"] and "以元为单位填写" in p["message_zh"]
    assert path.read_bytes() == before  # the user's file is never modified
    # the number read is kept as read (never multiplied): the department says which it meant
    assert read(path).document["budget"]["total"] == value


def test_an_amount_in_wan_in_a_sheet_the_screen_parses_is_an_error_too(tmp_path):
    """A sheet part written otherwise than canonically (here a comment in it) goes to the screen's parser: the same
    cells are found there."""
    import zipfile

    f = _field("goal-table", "/budget/total")
    src = _formatted(tmp_path, "goal-table", {a1(f.row, f.col): (6280, '#,##0.00"万元"')}, name="src.xlsx")
    part = "xl/worksheets/sheet2.xml"  # 项目信息, the second sheet
    dst = tmp_path / "parsed.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == part:
                assert b"<sheetData>" in data and b"<v>6280</v>" in data
                data = data.replace(b"<sheetData>", b"<!-- a comment --><sheetData>", 1)
            zout.writestr(item, data)
    found = [(p["code"], p["cell"]) for p in _report(dst) if p["code"] in NEW_CODES]
    assert found == [("cell.amount_scaled", a1(f.row, f.col))]


@pytest.mark.parametrize("fmt", ['0.00,"千元"', '#,##0.00"元"', "#,##0.00", "General"])
def test_an_amount_shown_as_it_is_read_passes(tmp_path, fmt):
    f = _field("goal-table", "/budget/total")
    path = _formatted(tmp_path, "goal-table", {a1(f.row, f.col): (62800000, fmt)})
    assert not NEW_CODES & {p["code"] for p in _report(path)}


def test_a_self_evaluation_amount_in_wan_is_an_error(tmp_path):
    form = FORMS["self-evaluation"]
    f = next(f for f in form.fields if f.kind == "amount")
    ref = a1(f.row, f.col)
    path = _formatted(tmp_path, "self-evaluation", {ref: (628, '#,##0.00"万元"')})
    found = [(p["code"], p["sheet"], p["cell"]) for p in _report(path) if p["code"] == "cell.amount_scaled"]
    assert found == [("cell.amount_scaled", form.info.name, ref)]


@pytest.mark.parametrize("name", ["goal-table-lo-wan.ods", "goal-table-lo-wan.xls"])
def test_an_amount_pasted_in_wan_in_libreoffice_is_an_error_in_ods_and_xls(name):
    """LibreOffice 7 (tests/lo_edit.py: 6280 pasted into B10 and B11 with #,##0.00"万元", saved as .ods and .xls):
    its number style's text (.ods) and its FORMAT record (.xls) say the same as an .xlsx's format code."""
    found = [(p["code"], p["severity"], p["sheet"], p["cell"], p["value"], _printed(p))
             for p in _report(FIXTURES / name) if p["code"] in NEW_CODES]
    assert found == [("cell.amount_scaled", "error", GOAL.info.name, c, "6280", "62800000") for c in ("B10", "B11")]


@pytest.mark.parametrize("ext", ["xls", "ods"])
def test_a_thousands_scaling_format_and_a_blank_format_from_libreoffice(ext):
    """LibreOffice 7 (tests/lo_edit.py on examples/returns/01: 62800000 pasted into B10 with #,##0.00, and into B11
    with ;;;, saved as .xls and .ods): the .xls's FORMAT records and the .ods's display factor (number:display-factor=
    "1000") give B10's 62,800.00; B11's ;;; its blank (an .ods keeps ;;; as a text style of no text whose style:map
    elements give every number an empty number style)."""
    found = [(p["code"], p["severity"], p["sheet"], p["cell"], p["value"], _printed(p))
             for p in _report(FIXTURES / f"goal-table-lo-odd-formats.{ext}") if p["code"] in NEW_CODES]
    scaled = ("cell.amount_scaled", "error", GOAL.info.name, "B10", "62800000", "62800")
    blank = ("cell.format_blank", "warning", GOAL.info.name, "B11", "62800000", "the value shown: number format General")
    assert found == [scaled, blank], found


def test_a_narrative_libreoffice_shows_as_nothing_in_an_ods_is_warned(tmp_path):
    """项目概况 given B11's ;;; style (ce12 in that .ods: a text style of no text): it shows and prints blank."""
    import re
    import zipfile

    src = FIXTURES / "goal-table-lo-odd-formats.ods"
    overview = read(src).document["project"]["overview"]
    dst = tmp_path / "narrative.ods"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "content.xml":
                head = overview[:20].encode()
                data, n = re.subn(rb'table:style-name="ce\d+"( office:value-type="string"[^>]*><text:p>'
                                  + re.escape(head) + rb")", rb'table:style-name="ce12"\1', data)
                assert n == 1
            zout.writestr(item, data)
    text = _field("goal-table", "/project/overview")
    found = [(p["code"], p["cell"], p["value"]) for p in _report(dst) if p["code"] == "cell.format_blank"]
    assert found == [("cell.format_blank", "B11", "62800000"),
                     ("cell.format_blank", a1(text.row, text.col), overview[:40] + "…")], found


# F07 -----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["General", "@", "0"])
def test_a_date_serial_in_a_cell_of_no_date_format_is_warned(tmp_path, fmt):
    f = _field("goal-table", "/project/start_date")
    ref = a1(f.row, f.col)
    path = _formatted(tmp_path, "goal-table", {ref: (43831, fmt)})
    problems = [p for p in _report(path) if p["cell"] == ref]
    assert [(p["code"], p["severity"], p["sheet"], p["value"], p["expected"]) for p in problems] == [
        ("cell.date_serial", "warning", GOAL.info.name, "43831", "2020-01-01")], problems
    assert "43831" in problems[0]["message_zh"] and "日期格式" in problems[0]["message_zh"]


def test_a_date_serial_its_format_shows_as_nothing_is_said_blank_once(tmp_path):
    f = _field("goal-table", "/project/start_date")
    ref = a1(f.row, f.col)
    path = _formatted(tmp_path, "goal-table", {ref: (43831, ";;;")})
    assert [(p["code"], p["cell"]) for p in _report(path) if p["code"] in NEW_CODES] == [("cell.format_blank", ref)]


def test_a_date_in_a_date_format_is_not_warned(tmp_path):
    f = _field("goal-table", "/project/start_date")
    ref = a1(f.row, f.col)
    path = _formatted(tmp_path, "goal-table", {ref: (43831, "yyyy/m/d")})
    assert not NEW_CODES & {p["code"] for p in _report(path)}


# ;;; ------------------------------------------------------------------------------------------------------------------
def test_a_value_its_format_shows_as_nothing_is_warned_and_read(tmp_path):
    amount = _field("goal-table", "/budget/total")
    text = next(f for f in GOAL.fields if f.kind == "longtext")
    cells = {a1(amount.row, amount.col): (62800000, ";;;"), a1(text.row, text.col): ("项目概况如下", ";;;")}
    path = _formatted(tmp_path, "goal-table", cells)
    problems = [p for p in _report(path) if p["code"] == "cell.format_blank"]
    assert sorted((p["severity"], p["sheet"], p["cell"], p["value"]) for p in problems) == sorted(
        ("warning", GOAL.info.name, ref, str(v)) for ref, (v, _) in cells.items())
    assert all(";;;" in p["message_zh"] for p in problems)
    doc = read(path).document
    assert doc["budget"]["total"] == 62800000 and doc[text.path.split("/")[1]][text.path.split("/")[2]] == "项目概况如下"


def test_a_text_a_two_section_blank_format_still_shows_is_not_warned(tmp_path):
    text = next(f for f in GOAL.fields if f.kind == "longtext")
    path = _formatted(tmp_path, "goal-table", {a1(text.row, text.col): ("项目概况如下", ";;")})
    assert not NEW_CODES & {p["code"] for p in _report(path)}


# none of it on the returns we issue -----------------------------------------------------------------------------------
def test_the_example_returns_and_libreoffice_fixtures_say_none_of_it():
    paths = [*sorted(EXAMPLES.rglob("*.xlsx")), *(FIXTURES / n for n in (
        "goal-table-lo.ods", "goal-table-lo.xls", "self-evaluation-lo.xls"))]
    r = cli("validate", *paths, "--format", "json")
    said = [(f["path"], p["code"]) for f in json.loads(r.output)["files"] for p in f["problems"] if p["code"] in NEW_CODES]
    assert said == []


@pytest.mark.soffice
def test_an_amount_typed_into_a_cell_formatted_in_wan_in_libreoffice_is_an_error(tmp_path, lo_edit):
    """As a department does it in LibreOffice: the 万元 format brought onto 项目总预算 (a paste of a cell from its own
    budget sheet, format painter), then 6280 typed over it through LibreOffice's own input (.uno:EnterString): the
    cell prints 6,280.00万元 and holds 6280."""
    f = _field("goal-table", "/budget/total")
    ref = a1(f.row, f.col)
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    typed = lo_edit(src, tmp_path / "typed.xlsx", [
        {"sheet": GOAL.info.name, "cell": ref, "paste": 1, "format": '#,##0.00"万元"'},
        {"sheet": GOAL.info.name, "cell": ref, "input": "6280"}])
    found = [(p["code"], p["severity"], p["sheet"], p["cell"], p["value"], _printed(p))
             for p in _report(typed) if p["code"] in NEW_CODES]
    assert found == [("cell.amount_scaled", "error", GOAL.info.name, ref, "6280", "62800000")], found
    assert read(typed).document["budget"]["total"] == 6280
