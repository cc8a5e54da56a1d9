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
