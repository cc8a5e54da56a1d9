"""Amounts typed as a department types them, through LibreOffice's own input (.uno:EnterString), into 项目总预算 after
a format was brought onto it (a paste from its own budget sheet): this session's number-format reading (mendBB) on
values LibreOffice parsed itself, not values set by a script.  0 under 万元 prints 0 and is no problem (F07); a
conditional format's 万元 section that the typed amount falls into scales it (F01); a format of text alone prints
no number (F02)."""

from __future__ import annotations

import pytest

from xlgoals import read
from xlgoals._form import a1

from .conftest import EXAMPLES
from .test_mendAO import GOAL, _field, _report


@pytest.mark.parametrize("fmt, typed, codes", [
    ('#,##0.00"万元"', "0", []),
    ('[<1000000]#,##0.00;#,##0.00"万元"', "62800000", ["cell.amount_scaled"]),
    ('[<1000000]#,##0.00;#,##0.00"万元"', "628000", []),
    ('"详见附件"', "6280", ["cell.format_blank"]),
], ids=["zero-in-wan", "conditional-wan", "conditional-plain", "text-only"])
def test_an_amount_typed_under_a_brought_on_format_is_read_by_the_section_showing_it(tmp_path, lo_edit, fmt, typed,
                                                                                       codes):
    f = _field("goal-table", "/budget/total")
    ref = a1(f.row, f.col)
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    out = lo_edit(src, tmp_path / "typed.xlsx", [
        {"sheet": GOAL.info.name, "cell": ref, "paste": 1, "format": fmt},
        {"sheet": GOAL.info.name, "cell": ref, "input": typed}])
    found = [(p["code"], p["sheet"], p["cell"]) for p in _report(out)
             if p["code"] in ("cell.amount_scaled", "cell.format_blank", "cell.number_scaled")]
    assert found == [(c, GOAL.info.name, ref) for c in codes], found
    assert str(read(out).document["budget"]["total"]) == typed


# Targets typed as a department types them (mendBU, mendBX): a sentence's full stop after the figure is dropped, and a
# rough figure (85%左右) is a warning that reads the number, on what LibreOffice's own input parsing kept.
@pytest.mark.parametrize("typed, codes, read_as", [
    ("90%。", [], (90, "%")),
    ("85%左右", ["cell.target_approximate"], (85, "%")),
], ids=["full-stop", "rough-figure"])
def test_a_target_typed_with_a_sentence_s_words_is_read_as_its_figure(tmp_path, lo_edit, typed, codes, read_as):
    from .helpers import example_return, row_cell

    sheet, ref = row_cell("goal-table", 9, "target")
    out = lo_edit(example_return("goal-table"), tmp_path / "typed.xlsx", [{"sheet": sheet, "cell": ref, "input": typed}])
    at_cell = [p for p in _report(out) if (p["sheet"], p["cell"]) == (sheet, ref)]
    assert [p["code"] for p in at_cell] == codes, at_cell
    assert all(p["severity"] == "warning" for p in at_cell)
    ind = read(out).document["indicators"][9]
    assert (ind["value"], ind["unit"]) == read_as, ind
