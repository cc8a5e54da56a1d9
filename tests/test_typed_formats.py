"""Amounts typed as a department types them, through LibreOffice's own input (.uno:EnterString), into an amount cell
after a format was brought onto it (a paste from its own budget sheet): this session's number-format reading (mendBB)
on values LibreOffice parsed itself, not values set by a script.  0 under 万元 prints 0 and is no problem (F07); a
conditional format's 万元 section that the typed amount falls into scales it (F01); a format of text alone prints
no number (F02).

Each LibreOffice typing costs a job (a document opened, typed into and saved), so the
cases share one document, typed once per test process (a module fixture): each amount case in an amount cell of its
own (项目总预算, 项目当年预算, 上年预算数, 上年执行数).  The targets typed with a sentence's words (90%。, 85%左右) were
typed here too, in a document of their own; test_mendCD types the same readings (100%。, 约85%, 85%左右) in its one
document session, and checks there what was checked here (testtime3)."""

from __future__ import annotations

import pytest

from xlgoals import read
from xlgoals._form import a1

from .conftest import EXAMPLES, lo_edit_job
from .test_mendAO import GOAL, _field, _report

AMOUNT_CASES = {  # id: (format brought on, what is typed, codes at the cell, the amount's field)
    "zero-in-wan": ('#,##0.00"万元"', "0", [], "/budget/total"),
    "conditional-wan": ('[<1000000]#,##0.00;#,##0.00"万元"', "62800000", ["cell.amount_scaled"], "/budget/current_year"),
    "conditional-plain": ('[<1000000]#,##0.00;#,##0.00"万元"', "628000", [], "/budget/prior_year_budget"),
    "text-only": ('"详见附件"', "6280", ["cell.format_blank"], "/budget/prior_year_executed"),
}


def _ref(path: str) -> str:
    f = _field("goal-table", path)
    return a1(f.row, f.col)


@pytest.fixture(scope="module")
def amounts_typed(soffice, tmp_path_factory):
    """The first example return with every amount case typed into its own amount cell: (its report, its document)."""
    folder = tmp_path_factory.mktemp("typed-amounts")
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    edits = []
    for fmt, typed, _, path in AMOUNT_CASES.values():
        edits += [{"sheet": GOAL.info.name, "cell": _ref(path), "paste": 1, "format": fmt},
                  {"sheet": GOAL.info.name, "cell": _ref(path), "input": typed}]
    out = lo_edit_job(src, folder / "typed.xlsx", edits, folder)
    return _report(out), read(out).document


@pytest.mark.parametrize("case", list(AMOUNT_CASES))
def test_an_amount_typed_under_a_brought_on_format_is_read_by_the_section_showing_it(amounts_typed, case):
    fmt, typed, codes, path = AMOUNT_CASES[case]
    report, document = amounts_typed
    ref = _ref(path)
    found = [(p["code"], p["sheet"], p["cell"]) for p in report
             if p["code"] in ("cell.amount_scaled", "cell.format_blank", "cell.number_scaled") and p["cell"] == ref]
    assert found == [(c, GOAL.info.name, ref) for c in codes], found
    assert str(document["budget"][path.rsplit("/", 1)[1]]) == typed

