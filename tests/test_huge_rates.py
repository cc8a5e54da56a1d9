"""A JSON document given to the library with a figure far beyond any return (全年执行数 1e308 against a budget of
millions): its problems, never an exception from a message writing the rate (decimal.InvalidOperation)."""

from __future__ import annotations

import json

import pytest

import xlgoals
from xlgoals._decimals import percent
from decimal import Decimal

from .conftest import EXAMPLES


@pytest.mark.parametrize("executed", [1e308, 10**40, 1e30])
def test_a_self_evaluation_with_a_huge_execution_is_checked(executed):
    doc = json.loads(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[0].read_text(encoding="utf-8"))
    doc["funds"]["executed"] = executed
    problems = xlgoals.validate_document(doc, form="self-evaluation")
    assert any(p.path == "/funds/executed" for p in problems), problems


def test_percent_of_a_huge_ratio():
    assert percent(Decimal("1e40")) == f"{10 ** 42}%"
    assert percent(Decimal("0.4512")) == "45.12%"
