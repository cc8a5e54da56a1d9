"""mendEX (session 31, mender M6): invisible characters and hidden helper sheets, the rest of mendER.

* 1: ``--targets`` given a goal table as JSON whose 三级指标 carry a paste's invisible characters (U+200B, U+2060):
  the self-evaluation made from it keeps each name as the reader keeps a free text, and the comparison with the
  goal table holds two names alike but for those characters as one name (the reader's rule.duplicate_name does),
  so a return whose cell lost or gained one is not “与批复的绩效目标表不一致”; a real change still is.  A
  self-evaluation's or monitoring report's locked 一级/二级指标 (chosen from the framework's list in the goal table)
  is read as the goal table's list value is: without them.
* 3: every placeholder of a message ({expected}, {detail}, {field}, {sheet}, a {found} given as shown …) shows a
  text's invisible characters escaped (\\u200b), as {found} of a value did.
* 4: the 填表说明 sheet hidden, the 下拉选项 (dropdown source, very hidden by design) only hidden: nothing warned,
  nothing lost (no value is read from either; the stamped copy is the form's own two sheets).
"""

from __future__ import annotations

import json
import string

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS
from xlgoals._check._ruletable import RuleTable
from xlgoals._selfeval._targets import self_evaluation_templates

from .conftest import EXAMPLE_JSON, load
from .helpers import example_return

ZW, WJ = "\u200b", "\u2060"
_RAW = (ZW, WJ)


def _raw_in(p) -> bool:
    return any(ch in text for ch in _RAW for text in (p.message, p.text("en")))


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Goal table 02 as JSON, 三级指标 of rows 4 and 5 (3, 4) pasted with U+2060 and U+200B; the self-evaluation made
    from it; a return of it whose row 4 lost its U+2060, row 6 gained a U+200B, row 5 renamed (财务监控)."""
    tmp = tmp_path_factory.mktemp("ex")
    goal = load(EXAMPLE_JSON[1])
    items = goal["indicators"]
    items[3]["name"] += WJ
    items[4]["name"] += ZW
    src = tmp / "目标表02.json"
    src.write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    result = self_evaluation_templates([src], tmp / "out")
    (template,) = result.written
    form = FORMS["self-evaluation"]
    wb = openpyxl.load_workbook(template)
    ws = wb[form.table.name]
    name_col = form.column("name").index + 1

    def cell(i):
        return ws.cell(form.table.first_row + i + 1, name_col)

    assert cell(3).value == "财务管理制度健全性" + WJ and cell(4).value == "财务监控有效性" + ZW  # kept as given
    cell(3).value = "财务管理制度健全性"
    cell(5).value = "资金使用规范性" + ZW
    cell(4).value = "财务监控"
    level2 = ws.cell(form.table.first_row + 7, form.column("level2").index + 1)
    level2.value += ZW  # row 7's 二级指标 (实施管理): a value chosen from the framework's list, as the goal table's
    ret = tmp / "自评.xlsx"
    wb.save(ret)
    return src, ret, {**{i: cell(i).coordinate for i in (3, 4, 5)}, "level2": level2.coordinate}


def test_targets_json_names_alike_but_for_invisible_characters_are_one(made):
    src, ret, cells = made
    (report,) = xlgoals.validate([ret], targets=[src]).files
    changed = [p for p in report.problems if p.code == "self.target_changed"]
    assert [p.cell for p in changed] == [cells[4]]  # not rows 4 and 6, whose names differ by U+2060 or U+200B only
    assert "应为“财务监控有效性\\u200b”" in changed[0].message
    assert "'财务监控有效性\\u200b'" in changed[0].text("en")
    assert not [p for p in report.problems if _raw_in(p)]


def test_locked_rows_without_targets_and_a_chosen_value_read_as_listed(made):
    _, ret, cells = made
    report = xlgoals.validate_file(ret)
    # the record keeps each row's CRC only: a name that lost or gained an invisible character is a row changed (only
    # --targets can tell); the 二级指标 is read as the goal table's list value is, without it: no row changed, and
    # not rule.level2_mismatch
    rows = [p for p in report.problems if p.code == "template.locked_row_changed"]
    assert [p.cell for p in rows] == [cells[3], cells[4], cells[5]]
    assert "（“资金使用规范性\\u200b”）" in rows[2].message
    assert report.document["indicators"][6]["level2"] == "实施管理"
    assert not [p for p in report.problems if p.cell == cells["level2"] or _raw_in(p)]


def test_every_placeholder_of_every_message_shows_invisible_characters():
    rules = RuleTable.default()
    text = "名" + ZW + "称" + WJ
    given = {"field", "field_en", "expected", "expected_en", "shown", "shown_en", "sheet", "cell", "value", "value_en"}
    for code, rd in rules.rules.items():
        keys = {name for template in (rd.message_zh, rd.message_en)
                for _, name, _, _ in string.Formatter().parse(template) if name}
        extra = {k: text for k in keys - given - {"found"}}
        extra.update({f"{k}_en": text for k in list(extra)})
        # {found} both ways a check gives it: the value itself (value, value_en), and as shown beside it (shown)
        for found in ({"value": text, "value_en": text}, {"value": text, "value_en": text, "shown": text,
                                                           "shown_en": text}):
            p = rules.problem(code, field=text, field_en=text, expected=text, expected_en=text, sheet=text,
                              **found, **extra)
            assert not _raw_in(p), (code, p.message, p.message_en)
            assert "\\u200b" in p.message or not keys - {"cell"}, (code, p.message)


def test_hidden_guide_and_lists_sheets_warn_of_nothing_and_lose_nothing(tmp_path):
    # 填表说明 holds the bureau's instructions, no value is read from it, and the stamped copy is the form's own
    # sheets (template.hidden_sheet names those); 下拉选项 is very hidden by design, and hidden it still feeds the
    # dropdowns: neither hidden is said
    src = example_return("self-evaluation")
    wb = openpyxl.load_workbook(src)
    guide, lists = wb.worksheets[0].title, FORMS["self-evaluation"].lists_sheet
    assert (guide, wb[lists].sheet_state) == ("填表说明", "veryHidden")
    wb[guide].sheet_state, wb[lists].sheet_state = "veryHidden", "hidden"
    wb.active = 1
    out = tmp_path / "hidden.xlsx"
    wb.save(out)
    hidden, original = xlgoals.validate_file(out), xlgoals.validate_file(src)
    assert hidden.document == original.document
    said = lambda r: sorted((p.code, p.sheet, p.cell) for p in r.problems)  # noqa: E731
    assert said(hidden) == said(original)
