"""Number formats read through one parsed view of a code (red team 24d: F01, F02, F03, F06, F07, F09).

- F07: 0 (and -0) in a cell formatted in 万元 is 0 元 on paper and in the data: no cell.amount_scaled.
- F01: a condition's section decides: ``[<1000000]#,##0.00;#,##0.00"万元"`` prints 62,800,000 as N万元.
- F06: an .ods's positive;negative money style (a style:map to another number style) scales as the .xlsx's code does.
- F02: a section with no digit placeholder (``"详见附件"``, ``""``, ``" "``) shows no number: cell.format_blank, the
  text it shows quoted.
- F09: the % signs of the section that shows the number, each ×100: ``[<1]0%;0`` shows 5 as 5, ``0%%`` as 50000%%.
- F03: only the formats cell styles use are parsed; a code beyond MAX_FORMAT_CODE is opaque; a print area beyond
  MAX_PRINT_AREA is not made out.
"""

from __future__ import annotations

import json
from decimal import Decimal
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, read
from xlgoals._form import a1
from xlgoals._read import _screen
from xlgoals._read._grid import MAX_PRINT_AREA, print_area_boxes
from xlgoals._read._screen import MAX_FORMAT_CODE, format_blanks, format_text, scaled_money_format

from .conftest import cli
from .helpers import example_return, ooxml_errors

FIXTURES = Path(__file__).parent / "fixtures"
GOAL = FORMS["goal-table"]
TOTAL = next(f for f in GOAL.fields if f.path == "/budget/total")
TOTAL_REF = a1(TOTAL.row, TOTAL.col)
FORMAT_CODES = {"cell.amount_scaled", "cell.format_blank", "cell.amount_percent", "cell.number_scaled"}


def _formatted(tmp_path: Path, cells: dict, name: str = "r.xlsx") -> Path:
    """The goal table's example return with information-sheet cells given a value and a number format."""
    wb = openpyxl.load_workbook(example_return("goal-table"))
    ws = wb[GOAL.info.name]
    for ref, (value, fmt) in cells.items():
        ws[ref].value = value
        ws[ref].number_format = fmt
    wb.save(tmp_path / name)
    return tmp_path / name


def _printed(p: dict) -> str:
    """What the cell prints, as the (English) message says it: cell.amount_scaled's amount in 元, what cell.format_blank's
    format shows ("" for nothing).  (`expected` says the fix: tests/test_mendBD.py.)"""
    import re

    if p["code"] == "cell.amount_scaled":
        return re.search(r"that is ([0-9.,]+) yuan", p["message"])[1]
    shows = re.search(r"it shows '(.*?)', yet", p["message"])
    return shows[1] if shows else ""


def _problems(path: Path) -> list[dict]:
    r = cli("validate", path, "--format", "json", "--lang", "en")  # (message in English, message_zh)
    return [p for p in json.loads(r.output)["files"][0]["problems"] if p["code"] in FORMAT_CODES]


# F07 ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [0, -0.0, 0.0])
def test_zero_in_wan_is_no_scaled_amount(tmp_path, value):
    path = _formatted(tmp_path, {TOTAL_REF: (value, '#,##0.00"万元"')})
    assert _problems(path) == []


def test_an_amount_in_wan_beside_a_zero_is_still_an_error(tmp_path):
    path = _formatted(tmp_path, {TOTAL_REF: (6280, '#,##0.00"万元"')})
    assert [(p["code"], p["cell"], _printed(p)) for p in _problems(path)] == [
        ("cell.amount_scaled", TOTAL_REF, "62800000")]


# F01 ---------------------------------------------------------------------------------------------------------------
COND = '[<1000000]#,##0.00;#,##0.00"万元"'


def test_a_conditional_section_in_wan_is_an_error_for_the_numbers_it_shows(tmp_path):
    path = _formatted(tmp_path, {TOTAL_REF: (62800000, COND)})
    problems = _problems(path)
    assert [(p["code"], p["severity"], p["sheet"], p["cell"], _printed(p)) for p in problems] == [
        ("cell.amount_scaled", "error", GOAL.info.name, TOTAL_REF, "628000000000")], problems
    assert "“62,800,000.00万元”" in problems[0]["message_zh"] and "'62,800,000.00万元'" in problems[0]["message"]


def test_a_conditional_section_showing_the_number_plainly_passes(tmp_path):
    path = _formatted(tmp_path, {TOTAL_REF: (628000, COND)})  # below 1,000,000: the first section, no unit
    assert _problems(path) == []


def test_the_section_a_condition_chooses_scales():
    sections = scaled_money_format('[>1000]0.0,"K";0')
    assert sections.at(2000) == ("", Decimal("0.001")) and sections.at(5) is None
    assert scaled_money_format(COND).at(62800000) == ("万元", 10000)
    # every section alike: one MoneyScale
    assert scaled_money_format('[Red]#,##0.00"万元";[Blue]-#,##0.00"万元"') == ("万元", 10000)


# F06 ---------------------------------------------------------------------------------------------------------------
_NUMBER = ('<number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" '
           'number:grouping="true"/>')


def _two_section_ods(tmp_path: Path, new: str | None = None) -> Path:
    """goal-table-lo-wan.ods (6280 in B10 and B11 under #,##0.00"万元") with its 万元 number style as LibreOffice keeps
    #,##0.00"万元";[Red]-#,##0.00"万元": the positive part a style of its own (N10121P0) its style:map names (or as
    `new` gives it)."""
    src = FIXTURES / "goal-table-lo-wan.ods"
    old = ('<number:number-style style:name="N10121" number:language="en" number:country="US"><number:number '
           'number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" '
           'number:grouping="true"/><number:text>万元</number:text></number:number-style>')
    number = _NUMBER
    new = new or (
        f'<number:number-style style:name="N10121P0" style:volatile="true">{number}<number:text>万元</number:text>'
        '</number:number-style><number:number-style style:name="N10121"><style:text-properties fo:color="#ff0000"/>'
        f'<number:text>-</number:text>{number}<number:text>万元</number:text>'
        '<style:map style:condition="value()&gt;=0" style:apply-style-name="N10121P0"/></number:number-style>')
    dst = tmp_path / "two.ods"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "styles.xml":
                assert old.encode() in data
                data = data.replace(old.encode(), new.encode())
            zout.writestr(item, data, zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    return dst


def test_an_ods_money_style_of_positive_and_negative_parts_is_an_error(tmp_path):
    problems = _problems(_two_section_ods(tmp_path))
    assert [(p["code"], p["sheet"], p["cell"], _printed(p)) for p in problems] == [
        ("cell.amount_scaled", GOAL.info.name, "B10", "62800000"),
        ("cell.amount_scaled", GOAL.info.name, "B11", "62800000")], problems
    assert "“6,280.00万元”" in problems[0]["message_zh"]  # as printed, as an .xlsx quotes it (mendBL; was 6280万元)


# F02 ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, shown", [('"详见附件"', "详见附件"), ('""', ""), ('" "', ""), ('[Red]"万元"', "万元")])
def test_a_format_showing_no_number_is_warned_quoting_what_it_shows(tmp_path, fmt, shown):
    path = _formatted(tmp_path, {TOTAL_REF: (62800000, fmt)})
    problems = _problems(path)
    assert [(p["code"], p["severity"], p["sheet"], p["cell"], p["expected_zh"]) for p in problems] == [
        ("cell.format_blank", "warning", GOAL.info.name, TOTAL_REF, "显示单元格的值：数字格式为常规")], problems  # (mendBD)
    (p,) = problems
    assert f"（{fmt}）" in p["message_zh"] and "“62800000”" in p["message_zh"]
    if shown:
        assert f"屏幕和打印件上显示为“{shown}”" in p["message_zh"] and f"it shows '{shown}'" in p["message"]
    else:
        assert "屏幕和打印件上为空白" in p["message_zh"] and "it is blank" in p["message"]
    assert read(path).document["budget"]["total"] == 62800000  # read as usual


def test_an_ods_number_style_of_a_text_and_no_number_is_warned(tmp_path):
    """LibreOffice keeps "详见附件" as a number style of a text and no number:number."""
    ods = _two_section_ods(tmp_path, '<number:number-style style:name="N10121"><number:text>详见附件</number:text>'
                                     '</number:number-style>')
    problems = _problems(ods)
    assert [(p["code"], p["cell"]) for p in problems] == [("cell.format_blank", "B10"), ("cell.format_blank", "B11")]
    assert "屏幕和打印件上显示为“详见附件”" in problems[0]["message_zh"]


def test_a_zero_section_showing_a_dash_is_not_warned(tmp_path):
    """The accounting convention: #,##0;-#,##0;"-" prints 0 as -, the 0 it stands for."""
    path = _formatted(tmp_path, {TOTAL_REF: (0, '#,##0;-#,##0;"-"')})
    assert _problems(path) == []


def test_a_negative_section_showing_no_number_is_warned_for_a_negative_only(tmp_path):
    fmt = '#,##0.00;"详见附件"'
    assert _problems(_formatted(tmp_path, {TOTAL_REF: (62800000, fmt)})) == []
    problems = _problems(_formatted(tmp_path, {TOTAL_REF: (-5, fmt)}, name="neg.xlsx"))
    assert [(p["code"], _printed(p)) for p in problems] == [("cell.format_blank", "详见附件")], problems


def test_format_blanks_of_one_section():
    assert format_blanks('""') == (True, False) and format_blanks('" "') == (True, False)
    assert format_blanks('"详见附件"') is None  # it shows a text: format_shows_otherwise says which


# F09 ---------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, fmt, said", [
    (5, "[<1]0%;0", None),  # the second section shows 5, no percent
    (0.5, "[<1]0%;0", "50%"),
    (5, "0%%", "50000%%"),
    (5, "0%", "500%"),
])
def test_an_amount_is_a_percent_as_the_section_showing_it_says(tmp_path, value, fmt, said):
    path = _formatted(tmp_path, {TOTAL_REF: (value, fmt)})
    found = [(p["code"], p["value"]) for p in _problems(path)]
    assert found == ([("cell.amount_percent", said)] if said else []), found


# F03 ---------------------------------------------------------------------------------------------------------------
def _styles_edited(tmp_path: Path, edit, name: str) -> Path:
    src = example_return("goal-table")
    dst = tmp_path / name
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, edit(item.filename, data))
    return dst


def test_formats_no_cell_style_uses_are_not_decoded(tmp_path, monkeypatch):
    extra = "".join('<numFmt numFmtId="%d" formatCode="0.00&quot;万%d&quot;"/>' % (400 + i, i) for i in range(5000))

    def edit(name, data):
        if name == "xl/styles.xml":
            assert b"</numFmts>" in data
            return data.replace(b"</numFmts>", extra.encode() + b"</numFmts>")
        return data

    path = _styles_edited(tmp_path, edit, "many.xlsx")
    calls = []
    real = _screen.tag_attributes
    monkeypatch.setattr(_screen, "tag_attributes", lambda tag: calls.append(tag) or real(tag))
    result = read(path, isolated=False)
    assert result.document["budget"]["total"] is not None
    assert len(calls) < 500, len(calls)  # (each of the 5,000 unused formats was decoded and parsed)


def test_a_code_beyond_the_longest_read_is_opaque():
    code = '"≤"0"天"' + "_ " * (MAX_FORMAT_CODE // 2)
    assert len(code) > MAX_FORMAT_CODE
    assert format_text(code) is None and scaled_money_format('#,##0.00"万元"' + "_ " * MAX_FORMAT_CODE) is None
    assert format_text('"≤"0"天"' + "_ " * 10) == ("≤", "天")


def test_a_print_area_beyond_the_longest_is_not_made_out(tmp_path):
    text = ",".join(["项目信息!$Z$1"] * 200_000)
    assert len(text) > MAX_PRINT_AREA and print_area_boxes(text, "xlsx") is None
    assert print_area_boxes("项目信息!$A$1:$B$24", "xlsx") == ((0, 0, 23, 1),)

    def edit(name, data):
        if name == "xl/workbook.xml":
            return data.replace("项目信息!$A$1:$B$24".encode(), text.encode())
        return data

    path = _styles_edited(tmp_path, edit, "area.xlsx")
    r = cli("validate", path, "--format", "json")
    assert "Traceback" not in r.output
    assert json.loads(r.output)["files"][0]["problems"] is not None


# the summary workbook --------------------------------------------------------------------------------------------
def test_the_summary_lists_a_conditional_scaled_amount(tmp_path):
    path = _formatted(tmp_path, {TOTAL_REF: (62800000, COND)})
    out = tmp_path / "汇总.xlsx"
    r = cli("consolidate", path, "-o", out, "--jobs", "1", "--no-progress")
    assert out.exists(), r.output
    wb = openpyxl.load_workbook(out)
    said = [c.value for ws in wb for row in ws.iter_rows() for c in row
            if isinstance(c.value, str) and "62,800,000.00万元" in c.value]
    assert said, [ws.title for ws in wb]
    assert ooxml_errors(out) == []
