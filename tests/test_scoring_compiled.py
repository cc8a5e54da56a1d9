"""The scoring table's compiled chains (``ScoringTable.decide``, ``_Expr.fn``) agree with the table read one row at
a time (``_first``, ``_evaluated``: each expression evaluated over a dict of the row's values, as the table was before
it was compiled): the same rule, the same score, the same exceptions, for any values."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import ConfigError
from xlgoals._selfeval._scoring import _ARGUMENTS, ScoringTable, _scope, score_funds, score_indicator

from .conftest import examples

TABLE = ScoringTable.load()

#: what a document's cells may hold (JSON values): numbers of every size and sign, zero both ways, text, None
values = st.one_of(
    st.none(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 0.0, -0.0, 1, 100, 2.22, 1e26, 99.995]),
    st.text(max_size=3), st.booleans(), st.sampled_from(["achieved", "partly", "not_achieved"]),
)
decimals = st.one_of(st.none(), st.decimals(allow_nan=True, allow_infinity=True),
                     st.sampled_from([Decimal(0), Decimal("-0"), Decimal(1), Decimal(100), Decimal("2.22")]))


def _evaluated(expr, env: dict):
    """One expression over a dict of the row's values."""
    return eval(expr.source, dict(expr.names), env)  # noqa: S307 - the table's checked expressions


def _first(table, applies: str, env: dict):
    """The first rule for `applies` whose condition holds over `env`; a condition raising ArithmeticError or
    TypeError does not hold."""
    for rule in table._by.get(applies, ()):
        try:
            if _evaluated(rule.when, env):
                return rule
        except (ArithmeticError, TypeError):
            continue
    return None


def _outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except Exception as exc:  # the same exception type from both (a funds score's expression may raise)
        return "raised", type(exc)


def _first_and_score(table, key, args):
    env = dict(zip(_ARGUMENTS[_scope(key)], args))
    rule = _first(table, key, env)
    return rule, (_outcome(_evaluated, rule.score, env) if rule is not None and rule.score is not None else None)


def _decide_and_score(table, key, args):
    rule = table.decide(key, *args)
    return rule, (_outcome(rule.score.fn, *args) if rule is not None and rule.score is not None else None)


def _same(a, b):
    """Outcomes equal, Decimal NaN included (NaN != NaN): compared by their text."""
    return repr(a) == repr(b)


@settings(max_examples=examples(200, 600), deadline=None)
@given(key=st.sampled_from(sorted(TABLE._chains)), data=st.data())
def test_the_compiled_chain_picks_the_rule_first_picks(key, data):
    scope = _scope(key)
    args = tuple(data.draw(values if name == "grade" else decimals, label=name) for name in _ARGUMENTS[scope])
    assert _same(_decide_and_score(TABLE, key, args), _first_and_score(TABLE, key, args))


@settings(max_examples=examples(150, 400), deadline=None)
@given(comp=st.sampled_from(["=", ">=", ">", "<=", "<", "qualitative", "x", None]), points=values, score=values,
       value=values, actual=values, grade=values)
def test_a_row_scores_as_the_table_read_row_by_row_scores_it(comp, points, score, value, actual, grade):
    """score_indicator (compiled) against the same steps run through ``_first``."""
    ind = {"comparator": comp, "points": points, "score": score, "value": value, "actual": actual, "grade": grade}
    s = score_indicator(ind, TABLE)
    from xlgoals._decimals import dec

    p, t, a, r = dec(points), dec(value), dec(actual), dec(score)
    if s.rule is not None and comp != "qualitative":
        assert s.rule is _first(TABLE, comp, {"points": p, "target": t, "actual": a, "reported": r})
    if comp in ("=", ">=", ">", "<=", "<") and p is not None:
        assert (s.target, s.actual) == (t, a) or repr((s.target, s.actual)) == repr((t, a))


def _scored_row_by_row(ind: dict, table):
    """An indicator's Scored by the steps score_indicator's docstring gives, the table read one row at a time."""
    from xlgoals._decimals import dec, round2
    from xlgoals._selfeval._scoring import Scored

    def clamp(v, p):
        return min(max(round2(v), Decimal(0)), p)
    p, r = dec(ind.get("points")), dec(ind.get("score"))
    if p is None:
        return Scored(None, None, None, r)
    comp = ind.get("comparator")
    if comp == "qualitative":
        grade = ind.get("grade")
        rule = _first(table, "qualitative", {"grade": grade, "points": p, "reported": r}) if grade else None
        return Scored(clamp(r, p) if r is not None else None, rule, p, r)
    t, a = dec(ind.get("value")), dec(ind.get("actual"))
    if comp not in ("=", ">=", ">", "<=", "<") or t is None or a is None:
        return Scored(None, None, p, r, None, t, a)
    env = {"points": p, "target": t, "actual": a, "reported": r}
    rule = _first(table, comp, env)
    if rule is None:
        return Scored(None, None, p, r, None, t, a)
    try:
        value = _evaluated(rule.score, env)
    except (ArithmeticError, TypeError):
        return Scored(None, rule, p, r, None, t, a)
    return Scored(clamp(value, p), rule, p, r, min(max(value, Decimal(0)), p), t, a)


@settings(max_examples=examples(200, 500), deadline=None)
@given(comp=st.sampled_from(["=", ">=", ">", "<=", "<", "qualitative", "x", None]), points=values, score=values,
       value=values, actual=values, grade=values)
def test_every_field_of_a_rows_score_is_the_table_read_row_by_row(comp, points, score, value, actual, grade):
    """The generated row scorer (ScoringTable.score_rows, behind score_indicator and evaluate) gives each field of the
    Scored (score, rule, points, reported, exact, target, actual) as the table read one row at a time does."""
    ind = {"comparator": comp, "points": points, "score": score, "value": value, "actual": actual, "grade": grade}
    assert _same(score_indicator(ind, TABLE), _scored_row_by_row(ind, TABLE))
    assert _same(TABLE.score_rows([ind, ind]), (_scored_row_by_row(ind, TABLE),) * 2)


def test_a_table_without_some_comparators_leaves_their_rows_unscored(tmp_path):
    """A bureau's table with rules for >= only: a row with another comparator, or qualitative, gets no rule."""
    path = tmp_path / "scoring.csv"
    path.write_text("case,applies_to,when,score,band,formula_zh,formula_en\n"
                    "ge_all,>=,,points * actual / target,,e,e\n"
                    "total_any,total,,优,,g,g\n", encoding="utf-8")
    table = ScoringTable.load(path)
    for ind in ({"comparator": "<=", "value": 2, "actual": 1, "points": 10},
                {"comparator": "qualitative", "grade": "achieved", "score": 9, "points": 10},
                {"comparator": ">=", "value": 0, "actual": 1, "points": 10}):
        assert _same(score_indicator(ind, table), _scored_row_by_row(ind, table))


def test_a_table_whose_conditions_raise_skips_those_rows_as_first_does(tmp_path):
    """A condition raising TypeError or an ArithmeticError (None compared, a division by 0) does not hold; a score
    expression that raises on the funds row raises as it did (nothing caught there)."""
    path = tmp_path / "scoring.csv"
    path.write_text(
        "case,applies_to,when,score,band,formula_zh,formula_en\n"
        "f_div,funds,executed / (full_year_budget - full_year_budget) > 0,points,,a,a\n"
        "f_none,funds,initial_budget > 1,points,,b,b\n"
        "f_all,funds,,points * executed / full_year_budget,,c,c\n"
        "ge_div,>=,actual / target > 2,points,,d,d\n"
        "ge_all,>=,,points * actual / target,,e,e\n"
        "total_any,total,,优,,g,g\n", encoding="utf-8")
    table = ScoringTable.load(path)
    funds = {"points": 10, "executed": 5, "full_year_budget": 10}  # no initial_budget: None > 1 raises TypeError
    assert score_funds(funds, table).rule.case == "f_all" and score_funds(funds, table).score == Decimal(5)
    assert score_indicator({"comparator": ">=", "value": 0, "actual": 5, "points": 10}, table).rule.case == "ge_all"
    with pytest.raises(ArithmeticError):  # 0 / 0 in the funds' score: raised, as the interpreted table raised it
        score_funds({"points": 10, "executed": 0, "full_year_budget": 0, "initial_budget": 0}, table)
    assert score_indicator({"comparator": ">=", "value": 2, "actual": 5, "points": 10}, table).rule.case == "ge_div"


def test_a_table_naming_what_its_scope_lacks_is_still_refused(tmp_path):
    path = tmp_path / "scoring.csv"
    path.write_text("case,applies_to,when,score,band,formula_zh,formula_en\n"
                    "x,>=,executed > 0,points,,a,a\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="executed"):
        ScoringTable.load(path)


def test_rows_equal_as_keys_but_not_as_numbers_are_each_scored_as_they_are():
    """The row scorer remembers rows it has scored (a year's returns repeat their 分值 and 得分): rows whose values are
    equal in Python but read as other numbers (1, 1.0 and True; 0.0 and -0.0; Decimal 1.0 and 1, as a library
    caller's document may hold; 0, False, 0.0 and -0.0) are each scored as they are, whichever came first, in one
    return or across returns.  A fresh table (and so a fresh scorer) for each order."""
    import itertools

    def rows(comp):
        for points, score in itertools.product((1, 1.0, True, -0.0, 0.0, 0, False, Decimal("1.0"), Decimal("1")),
                                               repeat=2):
            if comp == "qualitative":
                yield {"comparator": comp, "points": points, "score": score, "grade": "achieved"}
            else:
                yield {"comparator": comp, "points": 10, "score": score, "value": points, "actual": 1}
                yield {"comparator": comp, "points": points, "score": score, "value": 1, "actual": points}

    for comp in ("qualitative", ">=", "<=", "="):
        all_rows = list(rows(comp))
        for order in (all_rows, all_rows[::-1]):
            table = ScoringTable(TABLE.rules, TABLE.source)
            assert _same(table.score_rows(order), tuple(_scored_row_by_row(ind, table) for ind in order))
            assert _same([table.score_rows((ind,))[0] for ind in order],
                         [_scored_row_by_row(ind, table) for ind in order])


def test_the_row_scorers_memory_keeps_rows_of_zero_and_later_rows_and_scores_them_as_they_are(monkeypatch):
    """The row scorer remembers the rows it scored, a bounded number of them: rows holding an int 0 (投诉次数 ≤ 0, an
    actual of 0) are remembered too, not those holding a float 0 (0.0 and -0.0 are equal keys: scored as they come);
    a scorer that has seen its bound of rows forgets them and keeps the later ones (a long batch's rows of its last
    departments are remembered too, not only its first's).  Each row's Scored is the table's, read row by row."""
    from xlgoals._selfeval import _scoring

    monkeypatch.setattr(_scoring, "_MEMO_KEPT", 8)
    table = ScoringTable(TABLE.rules, TABLE.source)
    memo = table.score_rows.__globals__["_MEMO"]
    zero = {"comparator": "<=", "points": 10, "score": 10, "value": 0, "actual": 0}
    assert _same(table.score_rows([zero]), (_scored_row_by_row(zero, table),))
    assert any(k[:5] == ("<=", 0, 0, 10, 10) for k in memo), "a row of 0s is remembered"
    negative = {**zero, "value": -0.0, "actual": -0.0}
    assert _same(table.score_rows([negative, zero]), (_scored_row_by_row(negative, table),
                                                      _scored_row_by_row(zero, table)))
    assert not any(type(v) is float and v == 0 for k in memo for v in k[:5]), "no float 0 is kept"
    rows = [{"comparator": ">=", "points": 10, "score": s, "value": 100, "actual": a} for a in range(50, 70)
            for s in (5, 10)]
    assert _same(table.score_rows(rows), tuple(_scored_row_by_row(ind, table) for ind in rows))
    assert 0 < len(memo) <= 8
    last = rows[-1]
    assert (">=", 100, 69, 10, 10) in {k[:5] for k in memo}, "the latest rows are remembered"
    assert _same(table.score_rows([last]), (_scored_row_by_row(last, table),))
