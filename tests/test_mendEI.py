"""mendEI: red team 29ag's findings on session 29's merges: a grouped number format with texts between its digit
placeholders warned again where it loses decimals (its print-out not quoted, not worked out); consolidate's CSV/JSON
columns of b7c524c kept at their places, the new ones after them; a cell tag with t before s (xfail, handed on)."""

import openpyxl
import pytest

import xlgoals
from xlgoals._read._screen import rounded_away, shown_figure

from .conftest import EXAMPLES

GOAL = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
GROUPED = ('#,##0"元"0"角"', '#,##0" "000')


def _read_with(tmp_path, code: str):
    """The example goal table with 同名项目上年预算额（B12）1234567.89 and indicator 2's target (F5) 12.5 under `code`."""
    wb = openpyxl.load_workbook(GOAL)
    for sheet, cell, value in (("项目信息", "B12", 1234567.89), ("绩效指标", "F5", 12.5)):
        wb[sheet][cell].value = value
        wb[sheet][cell].number_format = code
    path = tmp_path / "grouped.xlsx"
    wb.save(path)
    return {(p.cell, p.code): p for p in xlgoals.read(path).problems if p.cell in ("B12", "F5")}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    return {code: _read_with(tmp_path_factory.mktemp("fmt"), code) for code in GROUPED + ("#,##0",)}


# 1. a grouped format with texts between its digits (not rendered since mendEF) prints 1234567.89 without its cents:
# warned cell.number_rounded again (b7c524c warned it, quoting a print-out it had worked out wrong), quoting none

@pytest.mark.parametrize("code", GROUPED)
def test_grouped_text_between_loses_decimals_warned_without_a_quoted_print(grouped, code):
    p = grouped[code].get(("B12", "cell.number_rounded"))
    assert p is not None, sorted(grouped[code])
    assert p.severity == "warning"
    assert "1234567.89" in p.message and "1234567.89" in p.message_en
    # no print-out quoted: none is worked out for this format (b7c524c quoted 1,234,568元角, which Excel never prints)
    assert "1,234,568" not in p.message and "“”" not in p.message and "''" not in p.message_en
    assert "舍入了小数" in p.message and "fewer decimals" in p.message_en


@pytest.mark.parametrize("code", GROUPED)
def test_grouped_text_between_rounded_away_gives_no_text(code):
    assert shown_figure(code, 1234567.89) is None  # (still not rendered)
    assert rounded_away(code, 1234567.89) == (None, "1234567.89")
    assert rounded_away(code, -12.5) == (None, "-12.5")
    assert rounded_away(code, 1234567) is None  # (every digit it has shown: nothing warned)
    assert rounded_away(code, 0.1 + 0.2) is None  # (a float's binary tail, no digit anyone typed)


def test_target_conflict_under_an_unrendered_format_quotes_no_print(grouped):
    p = grouped['#,##0"元"0"角"'].get(("F5", "cell.target_format_conflict"))
    assert p is not None, sorted(grouped['#,##0"元"0"角"'])
    assert "12.5角" not in p.message and "12.5角" not in p.message_en  # (Excel does not print 12.5角)
    assert "“角”" in p.message and "＝12.5%" in p.message
    assert "'角'" in p.message_en and "＝12.5%" in p.message_en


def test_rendered_format_keeps_its_quoted_print(grouped):
    p = grouped["#,##0"][("B12", "cell.number_rounded")]
    assert "把 1,234,567.89 显示（打印）为“1,234,568”：屏幕和打印件上是“1,234,568”，读取和校验、汇总用的是 1,234,567.89。" \
        in p.message
    assert "shows (prints) 1,234,567.89 as '1,234,568': the screen and the printed copy say '1,234,568', while " \
           "1,234,567.89 is read" in p.message_en
