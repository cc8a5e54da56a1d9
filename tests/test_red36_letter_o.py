"""Red team h36: cell.target_letter_o said only where the figure meant fits the row's unit left a row of no 计量单位
with 1OO人 silent: such a row takes the words after a number as its unit, so the target was read as 1 in the unit
OO人 (a hundredth of what was meant) and validate said nothing.  There the letter O is said, as before."""

from __future__ import annotations

import pytest

from xlgoals import read, validate_file

from .conftest import EXAMPLES
from .helpers import edited


@pytest.mark.parametrize("typed, fixed", [("1OO人", "100人"), ("1OO万元", "100万元")])
def test_a_number_with_the_letter_o_on_a_row_of_no_unit_is_said_not_read_as_a_unit_oo(tmp_path, typed, fixed):
    path = edited(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "r.xlsx",
                  {("绩效指标", "F5"): typed, ("绩效指标", "G5"): None})
    at = [(p.code, p.cell) for p in validate_file(path).problems if p.cell in ("E5", "F5", "G5")]
    assert at == [("cell.target_letter_o", "F5")], (at, read(path).document["indicators"][1])
    said = next(p for p in validate_file(path).problems if p.code == "cell.target_letter_o")
    assert f"请填写 {fixed}" in said.message, said.message
