"""Readings that were silent or misleading (2), each now said once, where it stands.

* A target typed with a remark in brackets beside its number (``90%（抽查）``, ``(暂定)90%``) under a comparator was
  ``cell.target`` (“cannot be read”), though the review reads such a remark as no part of the figure.  It is read
  as the number and unit, and the department is told, at the cell, that the remark is not kept
  (``cell.target_remark``): a quantified indicator holds no text beside its number.
"""

from __future__ import annotations

import json

import pytest

from xlgoals import read, validate_file
from xlgoals._form import Unreadable
from xlgoals._form._kinds import split_target

from .conftest import ROOT
from .helpers import example_return

REMARK = "cell.target_remark"


@pytest.mark.parametrize("typed,expected", [
    ("90%（抽查）", ("number", None, 90, "%")),
    ("90%(抽查)", ("number", None, 90, "%")),
    ("≥90% （抽查）", ("number", ">=", 90, "%")),
    ("90 %（以实际为准）", ("number", None, 90, "%")),
    ("（暂定）≥90%", ("number", ">=", 90, "%")),
    ("(暂定)90%", ("number", None, 90, "%")),
    ("【暂定】1,000人", ("number", None, 1000, "人")),
    ("95%以上（含）", ("number", ">=", 95, "%")),
    ("≥95%（含95%）", ("number", ">=", 95, "%")),
])
def test_a_target_with_a_bracketed_remark_reads_as_its_number(typed, expected):
    assert split_target(typed) == expected


@pytest.mark.parametrize("typed", ["≥90%（其中A类≥95%）", "≥90%（含A类≥95%）", "90%（抽查）（暂定）x", "90%（抽查"])
def test_a_bracket_holding_another_figure_is_still_unreadable(typed):
    with pytest.raises(Unreadable):
        split_target(typed)


def test_the_reader_sets_aside_the_brackets_the_review_does():
    """The reader's remark brackets are the review's (schema/review.json, review_figure_qualitative): one reading."""
    from xlgoals._form._kinds import REMARK_BRACKETS, REMARK_WORDS

    params = json.loads((ROOT / "schema" / "review.json").read_text(encoding="utf-8"))
    found = [v for v in _walk(params) if isinstance(v, dict) and "remark_brackets" in v]
    assert found, "review.json names no remark brackets"
    assert set(found[0]["remark_brackets"]) == set(REMARK_BRACKETS)
    assert set(found[0]["remarks"]) == set(REMARK_WORDS)


def _walk(value):
    yield value
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


def test_a_goal_tables_target_typed_with_a_remark_is_read_and_the_remark_said(tmp_path, lo_edit):
    """Typed in LibreOffice into the goal table's target cells (text cells: kept as typed), half- and full-width
    brackets, before and after the number: no cell.target error; the number and unit read; one warning at each
    cell, quoting the remark, that it is not kept."""
    src = example_return("goal-table")
    issued = read(src).document["indicators"]
    assert [(issued[i]["comparator"], issued[i]["value"], issued[i]["unit"]) for i in (1, 9, 10)] == \
        [("=", 100, "%"), (">=", 90, "%"), (">=", 85, "%")]
    sheet = "绩效指标"
    typed = {"F5": ("100(抽查)", "抽查"), "F13": ("【暂定】90%", "暂定"), "F14": ("85%（以实际为准）", "以实际为准")}
    path = lo_edit(src, tmp_path / "remark.xlsx", [{"sheet": sheet, "unprotect": True}] + [
        {"sheet": sheet, "cell": cell, "input": text} for cell, (text, _) in typed.items()])
    report = validate_file(path)
    assert not [p for p in report.problems if p.code == "cell.target"], [p.message for p in report.problems]
    assert report.document["indicators"] == issued  # every target read as issued
    said = {p.cell: p for p in report.problems if p.code == REMARK}
    assert sorted(said) == sorted(typed), [(p.code, p.cell) for p in report.problems]
    for cell, (text, remark) in typed.items():
        p = said[cell]
        assert (p.severity, p.sheet) == ("warning", sheet)
        assert text in p.message and f"“{remark}”" in p.message and "未保存" in p.message, p.message
        assert remark in p.message_en and "not kept" in p.message_en, p.message_en


# --- a number shown in brackets by its format: (0"天") shows 3 as (3天) -------------------------------------------

@pytest.mark.parametrize("fmt, value", [('(0"天")', 3), ('0"天";(0"天")', -3), ('"≤"(0"天")', 3)])
def test_a_number_shown_in_brackets_with_another_unit_is_warned(tmp_path, fmt, value):
    """A number pasted with ``(0"天")`` (the accountants' brackets round the number) on a row of ≥…人: the paper shows
    (3天), and the warning every other format showing another unit gets (cell.target_format_conflict) was not given,
    (3天) being no target split_target reads.  The brackets are the format's, round the number; 天 is held to 人."""
    from .helpers import ind_cell
    from .test_config_load import _goal_table_with_format

    path = _goal_table_with_format(tmp_path, fmt, value=value)
    found = [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]
    assert [(p.severity, p.cell) for p in found] == [("warning", ind_cell(9, "target")[1])], found
    shown = "≤(3天)" if "≤" in fmt else "(3天)"
    assert f"“{shown}”" in found[0].message, found[0].message


@pytest.mark.parametrize("fmt, value", [('(0"人")', 3), ('0"人";(0"人")', -3)])
def test_a_number_shown_in_brackets_with_the_rows_unit_is_not_warned(tmp_path, fmt, value):
    from .test_config_load import _goal_table_with_format

    path = _goal_table_with_format(tmp_path, fmt, value=value)
    assert not [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]


def test_a_number_shown_in_brackets_pasted_through_libreoffice_is_warned(tmp_path, lo_edit):
    from .test_config_load import _format_pasted_through_libreoffice

    where, found = _format_pasted_through_libreoffice(tmp_path, lo_edit, "xlsx", 3, '(0"天")')
    assert [(p.sheet, p.cell) for p in found] == [where] and "“(3天)”" in found[0].message, found


# --- one cause, one message: the unit a format shows where the row gives none ----------------------------------

def _unit_in_format(tmp_path, fmt: str):
    from .test_config_load import _goal_table_with_format

    path = _goal_table_with_format(tmp_path, fmt, unit=None)
    return validate_file(path, review=True)


def test_a_unit_shown_by_the_format_with_no_unit_given_is_said_once(tmp_path):
    """3 pasted with ``"≥"0"天"`` into the target of 享受职业技能补贴人数 (a quantity, by its name), 计量单位 empty: the
    paper shows ≥3天; the reader said so (cell.target_format_conflict, at the target, naming 天) and the review said
    again that the unit is missing (review.unit_missing, giving examples): one cause, two messages.  The reader's,
    which names what the paper shows, is the one said."""
    from .helpers import ind_cell

    report = _unit_in_format(tmp_path, '"≥"0"天"')
    item = report.document["indicators"][9]
    assert item.get("unit") is None and item["name"].endswith("人数"), item
    said = [p for p in report.problems if p.code in ("cell.target_format_conflict", "review.unit_missing")]
    assert [(p.code, p.cell) for p in said] == [("cell.target_format_conflict", ind_cell(9, "target")[1])], said
    assert "“≥3天”" in said[0].message, said[0].message


def test_a_format_showing_no_unit_leaves_the_missing_unit_said(tmp_path):
    """``"≤"0`` on the same row shows ≤3: a comparator, no unit.  Its warning is no word on the unit, and the
    review's review.unit_missing stands beside it: two causes, two messages."""
    report = _unit_in_format(tmp_path, '"≤"0')
    codes = sorted(p.code for p in report.problems if p.code in ("cell.target_format_conflict", "review.unit_missing"))
    assert codes == ["cell.target_format_conflict", "review.unit_missing"], codes


def test_a_remark_beside_a_score_or_an_actual_value_is_not_dropped():
    """Only a target is read without its remark (and the department told): a score (分值, 得分) with one stays
    unreadable, an actual value (实际完成值) stays the text written, as before."""
    from xlgoals._form._kinds import parse_actual, parse_number

    with pytest.raises(Unreadable):
        parse_number("9（暂定）")
    assert parse_actual("92%（抽查）") == "92%（抽查）"


# --- a remark in any bracket split_target reads as one (after NFKC) is said, as typed ----------------------------

#: Brackets that are brackets only after NFKC: small (﹙﹚ ﹝﹞), vertical (︵︶ ︹︺), super/subscript (⁽⁾ ₍₎), and
#: enclosed forms whose NFKC wraps a word in brackets (㈠ is (一), ⒜ is (a)).
_NFKC_ONLY = [("90%﹙抽查﹚", "抽查"), ("﹙暂定﹚≥90%", "暂定"), ("90%︵抽查︶", "抽查"), ("90%⁽抽查⁾", "抽查"),
              ("90%₍抽查₎", "抽查"), ("90%︹抽查︺", "抽查"), ("90%﹝抽查﹞", "抽查"), ("㈠90%", "一"), ("⒜90%", "a")]


@pytest.mark.parametrize("typed, remark", _NFKC_ONLY)
def test_a_remark_in_a_bracket_read_after_nfkc_is_given(typed, remark):
    """split_target reads 90%﹙抽查﹚ as 90 % (NFKC makes ﹙﹚ brackets); target_remarks tested the text as typed, so
    the remark was set aside with nothing said."""
    from xlgoals._form._kinds import target_remarks

    assert split_target(typed)[0] == "number"
    assert target_remarks(typed) == [remark]


def test_every_character_whose_nfkc_holds_a_bracket_is_a_typed_bracket():
    """Over all of Unicode: a character NFKC turns into (or into text holding) one of the brackets split_target sets
    remarks aside by is one the reader's guards (target_remarks, the generated row function) look for as typed."""
    import sys
    import unicodedata

    from xlgoals._form._kinds import _BRACKETS, _TYPED_BRACKETS

    missing = [f"U+{ord(c):04X}" for c in map(chr, range(sys.maxunicode + 1))
               if _BRACKETS.intersection(unicodedata.normalize("NFKC", c)) and c not in _TYPED_BRACKETS]
    assert not missing, missing
    assert all(_BRACKETS.intersection(unicodedata.normalize("NFKC", c)) for c in _TYPED_BRACKETS)


def test_the_reader_says_a_remark_in_a_small_bracket(tmp_path):
    """90%﹙抽查﹚ in a goal table's target: read as 90 %, and cell.target_remark said at the cell, on the fast path
    (the generated row function) as on the full one."""
    from .helpers import edited_return, row_cell

    path = edited_return(tmp_path, "goal-table", {(9, "target"): "≥90%﹙抽查﹚", (10, "target"): "㈠≥85%"})
    report = validate_file(path)
    issued = read(example_return("goal-table")).document["indicators"]
    assert report.document["indicators"] == issued
    said = {p.cell: p for p in report.problems if p.code == REMARK}
    cells = {row_cell("goal-table", 9, "target")[1]: "抽查", row_cell("goal-table", 10, "target")[1]: "一"}
    assert sorted(said) == sorted(cells), [(p.code, p.cell) for p in report.problems]
    for cell, remark in cells.items():
        assert f"“{remark}”" in said[cell].message, said[cell].message


def test_a_target_with_thousands_of_remarks_is_said_in_a_bounded_message(tmp_path):
    """≥90% followed by 10,000 （抽）: read as ≥90 %, and the warning quoted the whole text and listed 抽 10,000
    times (a message of 50,000 characters, in the terminal, JSON, CSV and the annotated copy).  Each remark is listed
    once, a long list and a long text cut with “等” and “…”, as other messages cut them."""
    from .helpers import edited_return, row_cell

    long_one = "≥90%" + "（抽）" * 10_000
    many = "≥85%" + "".join(f"（第{'一二三四五六七八九十'[i % 10]}类{chr(0x4E00 + 300 + i)}）" for i in range(30))
    path = edited_return(tmp_path, "goal-table", {(9, "target"): long_one, (10, "target"): many})
    report = validate_file(path)
    said = {p.cell: p for p in report.problems if p.code == REMARK}
    first, second = (said[row_cell("goal-table", i, "target")[1]] for i in (9, 10))
    for p in (first, second):
        assert len(p.message) < 400 and len(p.message_en) < 600, (len(p.message), len(p.message_en))
        assert p.value.endswith("…") and len(p.value) < 60, p.value
    listed = [p.message.split("括号中的“", 1)[1].split("”是说明", 1)[0] for p in (first, second)]
    assert listed[0] == "抽" and "'抽' in brackets" in first.message_en, (first.message, first.message_en)
    assert listed[1].endswith("等") and listed[1].count("、") == 9, listed[1]
    assert " …' in brackets" in second.message_en, second.message_en
    assert report.document["indicators"][9]["value"] == 90 and report.document["indicators"][10]["value"] == 85
