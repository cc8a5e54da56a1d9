"""Session 31's reading, typed as a department types it: through LibreOffice's own input parsing (.uno:EnterString,
zh_CN.UTF-8), not values set from Python.  One document typed once: a rough result (7500余) into 实际完成值, a year
and month (2020.12) into 填报日期, which LibreOffice keeps as a date serial with a fraction, and a telephone number
that lost its leading 0 into 联系电话."""

import pytest

import xlgoals
from xlgoals._form import FORMS, a1
from xlgoals._problems import WARNING

from .conftest import EXAMPLES, lo_edit_job

_SE03 = EXAMPLES / "self-evaluation" / "03_职业培训基础能力建设资助.xlsx"
_GOAL03 = EXAMPLES / "returns" / "03_职业培训基础能力建设资助.xlsx"
pytestmark = pytest.mark.soffice

_F = FORMS["self-evaluation"]
_DATE, _PHONE = (a1(_F.field(p).row, _F.field(p).col) for p in ("/contact/date", "/contact/phone"))


@pytest.fixture(scope="module")
def typed(soffice, tmp_path_factory):
    """The example self-evaluation of project 03 (I13: target ＞5000 人) typed into in LibreOffice, validated against
    its goal table: the problems by (sheet, cell)."""
    folder = tmp_path_factory.mktemp("typed31")
    edits = [{"sheet": _F.table.name, "cell": "I13", "input": "7500余"},
             {"sheet": _F.table.name, "cell": "L13", "clear": True},
             {"sheet": _F.info.name, "cell": _DATE, "input": "2020.12"},
             {"sheet": _F.info.name, "cell": _PHONE, "input": "2112345678"}]
    path = lo_edit_job(_SE03, folder / "typed.xlsx", edits, folder)
    (report,) = xlgoals.validate([path], targets=[_GOAL03]).files
    found = {}
    for p in report.problems:
        found.setdefault((p.sheet, p.cell), []).append(p)
    return found


def test_a_rough_result_typed_is_said_with_the_figure_to_enter(typed):
    (p,) = [p for p in typed[(_F.table.name, "I13")] if p.code == "self.actual_not_number"]
    assert "“余”表示约数" in p.message and "如 7500" in p.message, p.message


def test_a_year_and_month_typed_into_a_date_cell_asks_for_a_whole_date(typed):
    codes = [p.code for p in typed[(_F.info.name, _DATE)]]
    assert codes == ["cell.date_year_month"], codes
    (p,) = typed[(_F.info.name, _DATE)]
    assert "2020.12" in p.message and "2020-12-31" in p.message, p.message


def test_a_phone_typed_without_its_leading_zero_is_warned(typed):
    (p,) = [p for p in typed[(_F.info.name, _PHONE)] if p.code == "rule.phone"]
    assert p.severity == WARNING and "02112345678" in p.message, p.message
