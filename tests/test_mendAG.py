"""mendAG (session 22): a reviewer's findings on mendAC, mendAA, mendAB.

* A Decimal amount with trailing zeros (a finance database's numeric(18,4): Decimal('6424663.0000')) was refused
  as “超过两位小数” by validate_document() and fill(): its zeros are no decimal places.
* A numpy integer argument (``write_template(year=np.int64(2021))``) was refused as not a whole number.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import numpy as np
import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLE_JSON, load
from .helpers import ooxml_errors


# 3: Decimals with trailing zeros ---------------------------------------------------------------------------------
@pytest.mark.parametrize("amount, back", [("6424663.0000", 6424663), ("100", 100), ("1E+2", 100),
                                          ("12345678901234.50", 12345678901234.5), ("1.2300", 1.23)])
def test_a_decimal_amounts_trailing_zeros_are_no_decimal_places(tmp_path, amount, back):
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = doc["budget"]["current_year"] = Decimal(amount)
    base = copy.deepcopy(doc)
    base["budget"]["total"] = base["budget"]["current_year"] = back
    assert [p.code for p in xlgoals.validate_document(doc)] == [p.code for p in xlgoals.validate_document(base)]
    out = xlgoals.fill(doc, tmp_path / "r.xlsx")
    assert ooxml_errors(out) == []
    read = xlgoals.read(out).document
    assert read["budget"]["total"] == back and read["budget"]["current_year"] == back
    cell = xlgoals.FORMS["goal-table"].field("/budget/total")
    assert openpyxl.load_workbook(out)[cell.sheet][cell.cell].value == back


@pytest.mark.parametrize("amount", ["123.456", "6424663.0001", "0.001"])
def test_a_decimal_amount_with_a_third_place_is_still_refused(amount):
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = Decimal(amount)
    assert [(p.code, p.value) for p in xlgoals.validate_document(doc) if p.path == "/budget/total"] == \
        [("cell.amount_decimals", amount)]


def test_sixteen_significant_digits_with_trailing_zeros_are_still_too_many():
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = Decimal("1234567890123456.00")
    assert "schema.range" in [p.code for p in xlgoals.validate_document(doc) if p.path == "/budget/total"]


# 6: numpy integers as arguments ----------------------------------------------------------------------------------
def test_write_template_takes_a_numpy_integer_year(tmp_path):
    out = xlgoals.write_template(tmp_path / "t.xlsx", year=np.int64(2021), rows=np.int32(12))
    assert ooxml_errors(out) == []
    assert "2021年度" in openpyxl.load_workbook(out)["项目信息"]["A1"].value
    with pytest.raises(xlgoals.UsageError if hasattr(xlgoals, "UsageError") else Exception):
        xlgoals.write_template(tmp_path / "u.xlsx", year=np.int64(1800))
    with pytest.raises(TypeError):
        xlgoals.write_template(tmp_path / "v.xlsx", year=np.float64(2021.0))
    with pytest.raises(TypeError):
        xlgoals.write_template(tmp_path / "w.xlsx", year=np.bool_(True))
