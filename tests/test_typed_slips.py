"""Slips a department types, said as what they are, with what to type instead.

A year and a month written as text with no day (2020年5月, 2020-05, 2020/5, 2020.10 in a text cell, or in a
project list's CSV) is said as such, cell.date_month_only, asking for a whole date and showing its format with the
month typed, rather than the general “无法识别为日期”: the department sees what is missing.  Not a month (2020年13月),
nor a year before dates begin, is still cell.date; a whole date written out reads as before.

A target typed with the letter O for the digit 0 (1OO, 9O%, O.5) was read as 1 in the unit OO (a unit conflict), or
as no target at all: it is cell.target_letter_o, quoting the figure meant.  An o that is no digit's neighbour (10
tons, No.1) is read as before."""

from __future__ import annotations

import pytest

from xlgoals import FORMS, validate_file
from xlgoals._form._kinds import Unreadable, parse_date

from .conftest import EXAMPLES
from .helpers import edited

G = FORMS["goal-table"]


@pytest.mark.parametrize("typed, expected", [("2020年5月", "2020-05-01"), ("2020 年 5 月", "2020-05-01"),
                                             ("2020-05", "2020-05-01"), ("2020/5", "2020-05-01"),
                                             ("2020.10", "2020-10-01"), ("2020.1", "2020-01-01"),
                                             ("２０２０年１２月", "2020-12-01")])
def test_a_year_and_month_in_text_is_asked_for_its_day(typed, expected):
    with pytest.raises(Unreadable) as exc:
        parse_date(typed)
    assert (exc.value.code, exc.value.expected) == ("cell.date_month_only", expected)


@pytest.mark.parametrize("typed", ["2020年13月", "2020-00", "1899年5月", "5月", "2020年"])
def test_what_is_no_year_and_month_stays_no_date(typed):
    with pytest.raises(Unreadable) as exc:
        parse_date(typed)
    assert exc.value.code == "cell.date", typed


def test_a_whole_date_still_reads():
    assert parse_date("2020年5月1日") == parse_date("2020.5.1") == "2020-05-01"


def test_a_return_with_a_month_for_its_start_date_is_told_at_its_cell_in_both_languages(tmp_path):
    f = G.field("/project/start_date")
    path = edited(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "r.xlsx", {(f.sheet, f.cell): "2020年5月"})
    (p,) = [p for p in validate_file(path).problems if p.cell == f.cell]
    assert (p.code, p.severity, p.sheet, p.value) == ("cell.date_month_only", "error", f.sheet, "2020年5月")
    assert "缺少日" in p.message and "如 2020-05-01" in p.message, p.message
    assert "with no day" in p.message_en and "2020-05-01" in p.message_en, p.message_en


# The letter O typed for the digit 0 in a target: said with the figure meant, not read as 1 in the unit OO --------
@pytest.mark.parametrize("typed, meant", [("1OO", "100"), ("9O%", "90%"), ("≥9O%", "≥90%"), ("O.5", "0.5"),
                                          ("１ＯＯ", "100")])
def test_a_target_with_the_letter_o_for_0_is_said_with_the_figure_meant(tmp_path, typed, meant):
    path = edited(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "r.xlsx", {("绩效指标", "F5"): typed})
    at = [p for p in validate_file(path).problems if p.cell in ("E5", "F5", "G5")]
    assert [(p.code, p.severity, p.cell, p.value) for p in at] == [("cell.target_letter_o", "error", "F5", typed)], at
    assert f"字母“O”应为数字“0”：请填写 {meant}" in at[0].message, at[0].message
    assert f"enter {meant}" in at[0].message_en, at[0].message_en


@pytest.mark.parametrize("typed", ["10 tons", "No.1", "100"])
def test_an_o_that_is_no_digits_neighbour_is_read_as_before(tmp_path, typed):
    path = edited(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "r.xlsx", {("绩效指标", "F5"): typed})
    assert "cell.target_letter_o" not in [p.code for p in validate_file(path).problems]



@pytest.mark.parametrize("typed, unit, code", [("2O2O年底前完成", "%", "cell.target"), ("1OO人", "人", "cell.target_letter_o"),
                                               ("9O%", None, "cell.target_letter_o"),
                                               ("2O2O年底前完成", None, "cell.target")])
def test_the_letter_o_is_said_only_where_the_figure_meant_would_do_on_its_row(tmp_path, typed, unit, code):
    """2O2O年底前完成 on a quantitative row is a deadline typed where a number belongs: asked to be a number or 定性
    (cell.target), not told to write 2020年底前完成 (read as 2020 in the unit 年底前完成: another error).  The figure
    meant with the row's own unit, or a percent on a row with none, is still said with the letter O."""
    path = edited(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "r.xlsx",
                  {("绩效指标", "F5"): typed, ("绩效指标", "G5"): unit})
    at = [(p.code, p.cell) for p in validate_file(path).problems if p.cell in ("E5", "F5", "G5")]
    assert at == [(code, "F5")], at


@pytest.mark.soffice
def test_letter_o_targets_typed_in_libreoffice_are_said_as_typed(tmp_path, lo_edit):
    """The real client: each target typed through LibreOffice's own input (.uno:EnterString) into a row of the
    goal table (the target cell is text: LibreOffice keeps what is typed).  9O% on a row in % is said with 90%;
    2O2O年底前完成 there is a text target (cell.target), never told to write 2020年底前完成; 1OO人 on a row with no
    计量单位 is said with 100人, not read as 1 in the unit OO人."""
    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"  # rows 5 and 6: ＝100 %
    typed = lo_edit(src, tmp_path / "lo.xlsx", [
        {"sheet": "绩效指标", "unprotect": True},
        {"sheet": "绩效指标", "cell": "F5", "input": "9O%"},
        {"sheet": "绩效指标", "cell": "F6", "input": "2O2O年底前完成"},
        {"sheet": "绩效指标", "cell": "G7", "input": ""},
        {"sheet": "绩效指标", "cell": "E7", "input": "＝"},
        {"sheet": "绩效指标", "cell": "F7", "input": "1OO人"}])
    at = {p.cell: p for p in validate_file(typed).problems if p.cell in ("F5", "F6", "F7")}
    assert {c: p.code for c, p in at.items()} == {"F5": "cell.target_letter_o", "F6": "cell.target",
                                                  "F7": "cell.target_letter_o"}, {c: p.message for c, p in at.items()}
    assert "请填写 90%" in at["F5"].message and "请填写 100人" in at["F7"].message, (at["F5"].message, at["F7"].message)
    assert "2020年底前完成" not in at["F6"].message.replace("2021年6月底前完成", ""), at["F6"].message
