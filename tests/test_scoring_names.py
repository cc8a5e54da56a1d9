"""A scoring expression's constants are named by their text, not by how many expressions were read before it: a
chain's source (and the key its compiled code is kept under in the cache folder) is the same in every run; and an
expression's own function (``_Expr.fn``) is compiled only when a check calls it."""

from __future__ import annotations

from decimal import Decimal

from xlgoals._selfeval._scoring import _Expr


def test_an_expression_s_source_does_not_depend_on_what_was_read_before():
    first = _Expr("points * 0.8 + 1", {"points"}, "here", ("points",))
    _Expr("0.5 + points * 2", {"points"}, "here", ("points",))
    again = _Expr("points * 0.8 + 1", {"points"}, "here", ("points",))
    assert first.source == again.source
    assert first.names == again.names


def test_two_expressions_share_a_name_only_for_one_constant():
    a = _Expr("points * 0.8 + 1e16", {"points"}, "here", ("points",))
    b = _Expr("points * 0.80 + 1 + 1.0", {"points"}, "here", ("points",))
    merged = {**a.names, **b.names}
    for names in (a.names, b.names):
        for name, value in names.items():
            assert merged[name] is value or merged[name] == value and str(merged[name]) == str(value)
    assert a.fn(Decimal(10)) == Decimal("8.0") + Decimal("1E+16")
    assert b.fn(Decimal(10)) == Decimal("10.0")


def test_an_expression_s_function_is_compiled_when_first_called():
    e = _Expr("min(points, 3.5)", {"points"}, "here", ("points",))
    assert "fn" not in vars(e)
    assert e.fn(Decimal(5)) == Decimal("3.5")
    assert "fn" in vars(e)
    assert _Expr("1 > 0", set(), "here").fn is None  # a condition: run in its rules' chain only
