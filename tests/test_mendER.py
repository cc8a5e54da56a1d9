"""mendER (session 30, red team 30b findings 3 and 4).

* 3: invisible characters a web or WeChat paste leaves (zero-width space U+200B, BOM U+FEFF, word joiner U+2060,
  joiners, soft hyphen, direction marks) are dropped where the reader folds spaces (numbers, dates, comparators,
  targets, units, list values), as NBSP and U+3000 are; free text keeps them, but two names alike but for them are
  one name (rule.duplicate_name); a message quoting a value holding one shows it (\\u200b).
* 4: a form sheet (项目信息, 绩效指标, 指标自评, 指标监控 …) hidden or very hidden is template.hidden_sheet (warning),
  for .xlsx, .xls and .ods: the printed, stamped copy lacks it.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS

from .helpers import edited_return, example_return, row_cell

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ZW, BOM, WJ = "\u200b", "\ufeff", "\u2060"


# 3: invisible characters ------------------------------------------------------------------------------------------
# (row index, column key) -> the value pasted; row 10 of the example: 产出目标/数量 ≥ 85 %
_EDITS = {
    (10, "level1"): "产出目标" + ZW,
    (10, "comparator"): "≥" + ZW,
    (10, "target"): "85" + WJ,
    (20, "target"): BOM + "85",
    (21, "comparator"): "\u200e＞",
    (21, "target"): "90\u00ad",
    (12, "target"): "100\u200d",
    (12, "level2"): "\u2061质量",
    (13, "unit"): "%\u180e",
    (14, "target"): "\u202a100\u202c",
    (16, "target"): "\u2066100\u2069",
    (5, "name"): "财务监控有效性" + ZW,  # (row 4's name: the same name to the eye)
}
_INFO = {"B12": "146407273" + ZW, "B22": "2020-12-31" + ZW}


@pytest.fixture(scope="module")
def pasted(tmp_path_factory):
    path = edited_return(tmp_path_factory.mktemp("er"), "goal-table", _EDITS, info=_INFO)
    return xlgoals.read(path).document, xlgoals.validate_file(path).problems


def test_invisible_characters_dropped_from_values_read(pasted):
    doc, problems = pasted
    # (a direction embedding or isolate stays schema.control_char, as ever: named, the number read all the same)
    errors = [(p.code, p.cell, p.value) for p in problems if p.is_error]
    assert errors == [("schema.control_char", row_cell("goal-table", 14, "target")[1], "\\u202a"),
                      ("schema.control_char", row_cell("goal-table", 16, "target")[1], "\\u2066")]
    items = doc["indicators"]
    assert (items[10]["level1"], items[10]["comparator"], items[10]["value"]) == ("产出目标", ">=", 85)
    assert (items[20]["comparator"], items[20]["value"]) == (">=", 85)
    assert (items[21]["comparator"], items[21]["value"]) == (">", 90)
    assert items[12]["value"] == 100 and items[12]["level2"] == "质量"
    assert items[13]["unit"] == "%"
    assert items[14]["value"] == 100 and items[16]["value"] == 100
    assert doc["budget"]["prior_year_budget"] == 146407273
    assert doc["contact"]["date"] == "2020-12-31" if "contact" in doc else True


def test_invisible_character_keeps_a_free_text_but_not_two_names(pasted):
    doc, problems = pasted
    assert doc["indicators"][5]["name"] == "财务监控有效性" + ZW  # kept as typed
    (dup,) = [p for p in problems if p.code == "rule.duplicate_name"]
    assert dup.cell == row_cell("goal-table", 5, "name")[1]
    assert "“财务监控有效性\\u200b”" in dup.message and "'财务监控有效性\\u200b'" in dup.text("en")


def test_message_shows_the_invisible_character_of_a_value_still_unreadable(tmp_path):
    path = edited_return(tmp_path, "goal-table", {(10, "target"): "8５..5" + ZW, (13, "comparator"): "≥≥" + WJ},
                         info={"B12": "abc" + BOM})
    problems = xlgoals.validate_file(path).problems
    amount = next(p for p in problems if p.cell == "B12")
    assert amount.code == "cell.amount" and "“abc\\ufeff”" in amount.message and "'abc\\ufeff'" in amount.text("en")
    target = next(p for p in problems if p.cell == row_cell("goal-table", 10, "target")[1])
    assert target.code == "cell.target" and "“8５..5\\u200b”" in target.message, target.message
    assert target.value == "8５..5" + ZW  # the value itself as found
    comp = next(p for p in problems if p.cell == row_cell("goal-table", 13, "comparator")[1])
    assert comp.code == "cell.comparator" and "“≥≥\\u2060”" in comp.message and "'≥≥\\u2060'" in comp.text("en")


def test_a_cell_of_invisible_characters_only_is_blank(tmp_path):
    path = edited_return(tmp_path, "goal-table", {}, info={"B12": ZW + BOM})
    doc = xlgoals.read(path).document
    assert doc["budget"]["prior_year_budget"] is None
    assert not [p for p in xlgoals.validate_file(path).problems if p.cell == "B12"]


# 4: hidden form sheets --------------------------------------------------------------------------------------------
def _hidden(tmp_path, form_id: str, sheet: str, state: str) -> Path:
    wb = openpyxl.load_workbook(example_return(form_id))
    wb[sheet].sheet_state = state
    if wb.active.title == sheet:
        wb.active = next(i for i, ws in enumerate(wb.worksheets) if ws.sheet_state == "visible")
    out = tmp_path / f"{form_id}-{state}.xlsx"
    wb.save(out)
    return out


def _hidden_problems(path):
    return [p for p in xlgoals.validate_file(path).problems if p.code == "template.hidden_sheet"]


@pytest.mark.parametrize("form_id,which,state", [
    ("goal-table", "table", "hidden"), ("goal-table", "info", "veryHidden"),
    ("self-evaluation", "table", "hidden"), ("monitoring", "table", "veryHidden"),
])
def test_hidden_form_sheet_is_warned(tmp_path, form_id, which, state):
    sheet = getattr(FORMS[form_id], which).name
    (p,) = _hidden_problems(_hidden(tmp_path, form_id, sheet, state))
    assert p.severity == "warning" and p.sheet == sheet and p.cell == ""
    assert f"工作表“{sheet}”被隐藏" in p.message and "打印" in p.message
    assert f"Sheet '{sheet}' is hidden" in p.text("en") and "print" in p.text("en")


def test_visible_form_sheets_and_the_hidden_lists_say_nothing():
    assert _hidden_problems(example_return("goal-table")) == []


def _xls_hidden(src: Path, dst: Path, sheet: str) -> Path:
    """`src` (an .xls) with `sheet`'s BOUNDSHEET record set hidden (its state byte, after the stream offset)."""
    import olefile

    ole = olefile.OleFileIO(str(src))
    stream = bytearray(ole.openstream("Workbook").read())
    ole.close()
    pos, done = 0, False
    while pos + 4 <= len(stream):
        rtype, size = struct.unpack_from("<HH", stream, pos)
        body = pos + 4
        if rtype == 0x0085:
            n, flags = stream[body + 6], stream[body + 7]
            raw = bytes(stream[body + 8: body + 8 + (2 * n if flags & 1 else n)])
            name = raw.decode("utf-16-le" if flags & 1 else "latin-1")
            if name == sheet:
                stream[body + 4] = 1
                done = True
        pos = body + size
    assert done
    shutil.copy(src, dst)
    ole = olefile.OleFileIO(str(dst), write_mode=True)
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return dst


def _ods_hidden(src: Path, dst: Path, sheet: str) -> Path:
    """`src` (an .ods) with `sheet` hidden as LibreOffice hides one: its table style's table:display="false"."""
    with zipfile.ZipFile(src) as z:
        parts = {i: z.read(i.filename) for i in z.infolist()}
    content = next(v for i, v in parts.items() if i.filename == "content.xml").decode()
    head = f'<table:table table:name="{sheet}" table:style-name="'
    at = content.index(head) + len(head)
    style = content[at: content.index('"', at)]
    rule = f'<style:style style:name="{style}" style:family="table"'
    s = content.index(rule)
    end = content.index("</style:style>", s)
    block = content[s:end]
    new = block.replace('table:display="true"', 'table:display="false"')
    assert new != block, block
    content = content[:s] + new + content[end:]
    with zipfile.ZipFile(dst, "w") as z:
        for info, data in parts.items():
            z.writestr(info, content.encode() if info.filename == "content.xml" else data)
    return dst


def test_hidden_form_sheet_of_an_xls_and_an_ods_is_warned(tmp_path):
    sheet = FORMS["goal-table"].table.name
    for path in (_xls_hidden(FIXTURES / "goal-table-lo.xls", tmp_path / "h.xls", sheet),
                 _ods_hidden(FIXTURES / "goal-table-lo.ods", tmp_path / "h.ods", sheet)):
        (p,) = _hidden_problems(path)
        assert p.sheet == sheet, path
    assert _hidden_problems(FIXTURES / "goal-table-lo.xls") == _hidden_problems(FIXTURES / "goal-table-lo.ods") == []


def test_self_evaluation_actual_value_pasted_with_a_zero_width_space_is_its_number(tmp_path):
    path = edited_return(tmp_path, "self-evaluation", {(1, "actual"): "98" + ZW, (3, "actual"): "健全" + ZW})
    items = xlgoals.read(path).document["indicators"]
    assert items[1]["actual"] == 98  # a number, scored as one
    assert items[3]["actual"] == "健全" + ZW  # a text actual value: free text, kept as typed
