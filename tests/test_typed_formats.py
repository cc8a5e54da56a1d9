"""Amounts typed as a department types them, through LibreOffice's own input (.uno:EnterString), into an amount cell
after a format was brought onto it (a paste from its own budget sheet): this session's number-format reading (mendBB)
on values LibreOffice parsed itself, not values set by a script.  0 under 万元 prints 0 and is no problem (F07); a
conditional format's 万元 section that the typed amount falls into scales it (F01); a format of text alone prints
no number (F02).

Each LibreOffice typing costs an office (LibreOffice 7.4 headless ends once a document typed into closes), so the
cases share one document per source, typed once per test process (module fixtures): each amount case in an amount
cell of its own (项目总预算, 项目当年预算, 上年预算数, 上年执行数), each target case on an indicator row of its own."""

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
TARGET_CASES = {  # id: (what is typed, codes at the cell, read as (value, unit), the indicator row)
    "full-stop": ("90%。", [], (90, "%"), 9),
    "rough-figure": ("85%左右", ["cell.target_approximate"], (85, "%"), 10),
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


@pytest.fixture(scope="module")
def targets_typed(soffice, tmp_path_factory):
    """The goal table's example return with every target case typed on its own row: (its report, its document)."""
    from .helpers import example_return, row_cell

    folder = tmp_path_factory.mktemp("typed-targets")
    edits = [{"sheet": row_cell("goal-table", i, "target")[0], "cell": row_cell("goal-table", i, "target")[1],
              "input": typed} for typed, _, _, i in TARGET_CASES.values()]
    out = lo_edit_job(example_return("goal-table"), folder / "typed.xlsx", edits, folder)
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


# Targets typed as a department types them (mendBU, mendBX): a sentence's full stop after the figure is dropped, and a
# rough figure (85%左右) is a warning that reads the number, on what LibreOffice's own input parsing kept.
@pytest.mark.parametrize("case", list(TARGET_CASES))
def test_a_target_typed_with_a_sentence_s_words_is_read_as_its_figure(targets_typed, case):
    from .helpers import row_cell

    typed, codes, read_as, i = TARGET_CASES[case]
    report, document = targets_typed
    sheet, ref = row_cell("goal-table", i, "target")
    at_cell = [p for p in report if (p["sheet"], p["cell"]) == (sheet, ref)]
    assert [p["code"] for p in at_cell] == codes, at_cell
    assert all(p["severity"] == "warning" for p in at_cell)
    ind = document["indicators"][i]
    assert (ind["value"], ind["unit"]) == read_as, ind
