"""The monitoring report's check kinds: the time schedule, expected shortfalls, explanations, rows filled in.

Registered with the rule table's ``check`` decorator and scoped to the monitoring form; the rule
rows (codes, severities, thresholds as parameters, messages) are in ``schema/rules.csv``.  Money
and 执行率 are exact decimals: the time schedule is compared without dividing.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .._check._rules import (SWEEP_NAMES, _blank, _items, check, placeholder_of, placeholder_texts, placeholder_fields,
                             reason_missing)
from .._form import COMPARATOR_DISPLAY
from .._form._kinds import number_detail, shown_target
from .._form.monitoring import LIKELIHOODS, months_said
from .._form._kinds import format_number
from .._decimals import dec, percent

FORM = "monitoring"
HUNDRED = Decimal(100)


def _funds(doc) -> dict:
    funds = doc.get("funds") if isinstance(doc, dict) else None
    return funds if isinstance(funds, dict) else {}


def schedule_of(month) -> Decimal | None:
    """序时进度 N/12 as an exact fraction's decimal (for display; comparisons do not divide)."""
    return Decimal(month) / 12 if isinstance(month, int) and not isinstance(month, bool) and 1 <= month <= 12 \
        else None


def behind(month, budget: Decimal | None, executed: Decimal | None, gap: Decimal) -> bool | None:
    """Whether 执行率 (executed ÷ budget) is below the time schedule (month ÷ 12) by more than `gap`.

    None when it cannot be told (no budget, no executed amount, no month).
    """
    if schedule_of(month) is None or budget is None or executed is None or budget <= 0:
        return None
    return lag_beyond(Decimal(month) * budget, executed, budget, gap)


def lag_beyond(month_budget: Decimal, executed: Decimal, budget: Decimal, gap: Decimal) -> bool:
    """Whether the time schedule is ahead of 执行率 by more than `gap`, exactly, for a budget > 0:
    month/12 − executed/budget > gap  ⇔  month·budget − 12·executed > 12·gap·budget.  ``month_budget`` is
    month × budget (or Σ month × budget over a unit's reports)."""
    return month_budget - 12 * executed > 12 * gap * budget


@check("behind_schedule", {"gap": ("ratio", True)}, supplies=("rate", "schedule", "behind", "limit", "month", "months",
                                                      "months_en"),
       forms=(FORM,), setup=(("GAP", "dec(P['gap'])"),), head="_behind_of(doc, GAP)")
def _behind_schedule(rule, params, doc, env):
    funds, month = _funds(doc), doc.get("month")
    budget, executed = dec(funds.get("full_year_budget")), dec(funds.get("executed_to_date"))
    gap = dec(params["gap"])
    if behind(month, budget, executed, gap):
        schedule = schedule_of(month)
        rate = executed / budget
        yield env.problem(rule, "/funds/executed_to_date", value=format_number(funds.get("executed_to_date")),
                          expected=f"≥ {percent(schedule - gap)}", rate=percent(rate, rounding=ROUND_FLOOR),
                          schedule=percent(schedule),
                          behind=format_number(float(((schedule - rate) * HUNDRED).quantize(Decimal("0.01"),
                                                                                             rounding=ROUND_CEILING))),
                          limit=format_number(float(gap * HUNDRED)), month=str(month),
                          months=months_said(month), months_en=months_said(month, "en"))


def _behind_of(doc, gap: Decimal) -> bool | None:
    """_behind_schedule's test (the sweep's head): 执行率 behind the time schedule by more than `gap`."""
    funds = _funds(doc)
    return behind(doc.get("month"), dec(funds.get("full_year_budget")), dec(funds.get("executed_to_date")), gap)


def short_of_target(ind: dict, expected, tolerance: Decimal = Decimal(0)) -> bool:
    """Whether a quantitative row's expected value misses its target (by more than `tolerance` × |target|)."""
    comp, target, value = ind.get("comparator"), dec(ind.get("value")), dec(expected)
    if comp not in ("=", ">=", ">", "<=", "<") or target is None or value is None:
        return False
    slack = tolerance * abs(target)
    if comp == ">=":
        return value < target - slack
    if comp == ">":
        return value <= target - slack
    if comp == "<=":
        return value > target + slack
    if comp == "<":
        return value >= target + slack
    return abs(value - target) > slack


def met_as_scored(ind: dict, value, table) -> bool:
    """Whether the year-end scoring table `table` (the framework's, else schema/scoring.csv) gives `value`, taken as
    the row's 实际完成值, the row's full points before rounding: what "met" means at the year's end.  A value equal to a
    ＞ target is strictly short of it, yet scored full points (gt_at_target); a bureau's table scoring it less makes it
    short here too."""
    row = {"comparator": ind.get("comparator"), "value": ind.get("value"), "actual": value, "points": 1}
    try:
        s = table.score_rows((row,))[0]
    except (ArithmeticError, TypeError, ValueError):
        return False
    full = s.exact if s.exact is not None else s.score
    return full is not None and full >= 1


def scoring_table(env):
    """The scoring table of the report's framework (``scoring_of``), found once per run of the checks."""
    table = env.cache.get("scoring_table")
    if table is None:
        from .._selfeval._scoring import scoring_of

        table = env.cache["scoring_table"] = scoring_of(env.fw)
    return table


def forecast_short(ind: dict, expected, tolerance: Decimal, table) -> bool:
    """Whether a quantitative row's expected value misses its target as monitor.expected_short asks a reason of it:
    short of it by the comparator (beyond `tolerance`, ``short_of_target``) and not met as the year-end scoring table
    scores it (``met_as_scored``): 90 on ＞90 % is full points at the year's end (gt_at_target), so not short mid-year
    either; both rounds say "met" of the same figures, by the same row of the table."""
    return short_of_target(ind, expected, tolerance) and (table is None or not met_as_scored(ind, expected, table))


#: How a value misses a target, by comparator (and, for ＝, by the side it is on): words true of every value missed.
_MISSED = {">=": ("达不到", "falls short of"), ">": ("达不到", "falls short of"), "<=": ("超过", "exceeds"),
           "<": ("未低于", "is not below")}


def missed_words(comp, value: Decimal, target: Decimal) -> tuple[str, str]:
    """How `value` misses the row's target, in Chinese and English, as a verb before it: 80 达不到 ≥85, 8 超过 ≤5,
    120 高于 ＝100 and 80 低于 it (a ＝ target missed upward is not 达不到)."""
    if comp == "=":
        return ("高于", "is above") if value > target else ("低于", "is below")
    return _MISSED.get(comp, ("不符合", "misses"))


def _rules_in_force(env, check: str) -> list[tuple[str, dict]]:
    """(code, params) of each rule in force that runs `check`, in the table's order, found once per run of the
    checks."""
    found = env.cache.get(("rules_in_force", check))
    if found is None:
        found = env.cache[("rules_in_force", check)] = [
            (rd.code, env.table.params_of(rd.code)) for rd in env.table.in_force(check)]
    return found


def _rules_params(env, check: str) -> list[dict]:
    """The params of each rule in force that runs `check` (``_rules_in_force``)."""
    return [params for _, params in _rules_in_force(env, check)]


def _hundredfold_rules(env) -> list:
    """(code, units, keys, factor, min_target) of each percent_hundredfold rule in force, in the table's order."""
    found = env.cache.get("hundredfold_rules")
    if found is None:
        found = env.cache["hundredfold_rules"] = [
            (code, tuple(p["units"]), tuple(p["keys"]), dec(p["factor"]), dec(p.get("min_target", 0)))
            for code, p in _rules_in_force(env, "percent_hundredfold")]
    return found


def _asked(env, ind: dict, key: str) -> tuple[str, Decimal] | None:
    """The percent_hundredfold rule that asks about `ind[key]` and the number it asks whether was meant (100 for
    10000), or None: the first rule in force (in the table's order) whose factor finds one.  One rule per cell, so
    that two rules of different factors (a bureau's added one) never ask about two numbers, and
    monitor.expected_short's 如应为 names the same number as the warning would."""
    for code, units, keys, factor, least in _hundredfold_rules(env):
        if key in keys:
            meant = hundredfold(ind, ind.get(key), units, factor, least)
            if meant is not None:
                return code, meant
    return None


def _meant(env, ind: dict, key: str) -> Decimal | None:
    """The number a percent_hundredfold rule in force asks whether `ind[key]` was meant as (``_asked``), or None."""
    asked = _asked(env, ind, key)
    return None if asked is None else asked[1]


def _slip_meant(env, i: int, ind: dict, tolerance: Decimal) -> Decimal | None:
    """What the expected value was likely meant as where it misses its target only as typed, not as the hundredfold
    warning asks whether it was meant (10000 on ＝100 %, meant 100), or None (8000 on ≤50 % misses either way).  Not a
    number a percent cell shows a hundredfold (100 in a 0% cell): the reader asks about it, saying what the rules
    find."""
    if f"/indicators/{i}/expected" in env.cache.get("shown_hundredfold", ()):
        return None
    meant = _meant(env, ind, "expected")
    return meant if meant is not None and not forecast_short(ind, meant, tolerance, scoring_table(env)) else None


def _reason_blank(ind: dict, texts=frozenset()) -> str | None:
    """The first of the row's deviation fields not given, or None: the category blank, or the reason blank or one of
    the bureau's placeholder words `texts` (``placeholder_texts``: “无” is no reason)."""
    return next(iter(_reasons_blank(ind, texts)), None)


def _reasons_blank(ind: dict, texts=frozenset()) -> list[str]:
    """The row's deviation fields to ask for, each at its cell in one round: the category where it is blank, and the
    reason where it is blank or one of the bureau's placeholder words `texts` (略), the category given or not.  (Both
    blank were one problem, at the category: the department chose one, sent the report again, and was only then
    told the reason was blank too.)"""
    reason = ["deviation"] if reason_missing(ind.get("deviation"), texts) else []
    return (["deviation_category"] if _blank(ind.get("deviation_category")) else []) + reason


@check("expected_short", {"tolerance": ("ratio", False)},
       supplies=("target", "how", "how_en", "detail", "detail_en", "placeholder", "placeholder_en"),
       forms=(FORM,), blank=True, setup=(("TOL", "dec(P.get('tolerance', 0))"), ("PH", "placeholder_texts(env)")),
       row="_reason_blank(it, PH) is not None and short_of_target(it, g('expected'), TOL)")
def _expected_short(rule, params, doc, env):
    tolerance, texts, table = dec(params.get("tolerance", 0)), placeholder_texts(env), scoring_table(env)
    for i, ind in _items(env, doc):
        # (the sweep's row test, short_of_target, finds every row this may: met as scored is fewer)
        if not forecast_short(ind, ind.get("expected"), tolerance, table):
            continue
        # the category and the reason, each at its cell, in one round: a reason that is a placeholder (略) is said
        # with the category missing, not once the category is given and the report sent again
        keys = _reasons_blank(ind, texts)
        if keys:
            how = missed_words(ind.get("comparator"), dec(ind.get("expected")), dec(ind.get("value")))
            # 10000 on ＝100 %, where 100 meant would meet it: still an error (10000 would stand in the summary), and
            # the hundredfold question said here, once (percent_hundredfold says nothing of the row)
            meant, found = _slip_meant(env, i, ind, tolerance), format_number(ind.get("expected"))
            detail = ("", "") if meant is None else (
                f"如应为 {format_number(meant)}，请改为 {format_number(meant)}；如确为 {found}，",
                f"if {format_number(meant)} is meant, enter {format_number(meant)}; if {found} is meant, ")
            for key in keys:
                words = placeholder_fields(placeholder_of(ind.get(key), texts) if key == "deviation" else None)
                # (the hundredfold question at each cell asked for: each is read alone, at its cell of an annotated
                # copy, and neither is to be filled where 100 was meant)
                yield env.problem(rule, f"/indicators/{i}/{key}", value=found, expected=shown_target(ind),
                                  target=shown_target(ind), how=how[0], how_en=how[1], detail=detail[0],
                                  detail_en=detail[1], **words)


def hundredfold(ind: dict, value, units, factor: Decimal, min_target: Decimal = Decimal(0)) -> Decimal | None:
    """What a number on a quantitative row in a percent unit (`units`) was likely meant as when it is `factor` times
    its target or more and above 100 %: 10000 on a ＝100 % row (100 typed as 10000, two zeros too many, or a
    percent cell's number read a hundredfold), 8500 on ≥85 %; None where it is plausible (120 on ≥90 %: more than
    done), or where the target is below `min_target` (150 on a ≥1 % growth row is a real 150 %, not 1.5).  The
    self-evaluation says as much of its 实际完成值 in the score it recomputes (self.score_mismatch)."""
    comp, target, v = ind.get("comparator"), dec(ind.get("value")), dec(value)
    if comp not in ("=", ">=", ">", "<=", "<") or ind.get("unit") not in units or target is None or v is None \
            or target <= 0 or target > HUNDRED or target < min_target:
        return None
    return v / factor if v > HUNDRED and v >= factor * target else None


def _expected_short_tolerance(env) -> Decimal | None:
    """The tolerance of the expected_short rule in force (None: no such rule, nothing to say of a reason)."""
    found = _rules_params(env, "expected_short")
    return dec(found[0].get("tolerance", 0)) if found else None


@check("percent_hundredfold", {"units": ("strs", True), "keys": ("strs", True), "factor": ("above_one", True),
                                "min_target": ("nonnegative", False)},
       supplies=("target", "detail", "detail_en", "unit", "factor"), forms=(FORM,),
       setup=(("UNITS", "tuple(P['units'])"), ("KEYS", "tuple(P['keys'])"), ("FACTOR", "dec(P['factor'])"),
              ("LEAST", "dec(P.get('min_target', 0))")),
       row="g('unit') in UNITS and any(_hundredfold(it, g(k), UNITS, FACTOR, LEAST) is not None for k in KEYS)")
def _percent_hundredfold(rule, params, doc, env):
    # min_target: a target below it (≥1 % growth) is not held to a hundredfold; none given, every target is
    factor = dec(params["factor"])
    # the same for every cell: the expected_short rule's tolerance, the bureau's placeholder words
    short_tolerance, texts = _expected_short_tolerance(env), placeholder_texts(env)
    table = scoring_table(env) if short_tolerance is not None else None  # (only forecast_short reads it)
    for i, ind in _items(env, doc):
        for key in params["keys"]:
            asked = _asked(env, ind, key)  # the one rule in force that asks about the cell (_slip_meant's too)
            if asked is None or asked[0] != rule.code:
                continue
            meant = asked[1]
            tolerance = short_tolerance if key == "expected" else None
            # 10000 on ＝100 % with no reason: expected_short says it, an error asking whether 100 was meant (once)
            if tolerance is not None and forecast_short(ind, ind.get(key), tolerance, table) \
                    and not forecast_short(ind, meant, tolerance, table) \
                    and _reason_blank(ind, texts) is not None \
                    and f"/indicators/{i}/{key}" not in env.cache.get("shown_hundredfold", ()):
                continue
            yield env.problem(rule, f"/indicators/{i}/{key}", value=format_number(ind.get(key)),
                              expected=format_number(meant), target=shown_target(ind),
                              detail="", detail_en="", unit=ind.get("unit"), factor=factor)


@check("unlikely_without_reason", {"likelihoods": ("strs", True)},
       supplies=("likelihood", "placeholder", "placeholder_en"), forms=(FORM,),
       setup=(("WHICH", "set(P['likelihoods'])"), ("PH", "placeholder_texts(env)")),
       row="g('likelihood') in WHICH and reason_missing(g('deviation'), PH)")
def _unlikely_without_reason(rule, params, doc, env):
    which, texts = set(params["likelihoods"]), placeholder_texts(env)
    for i, ind in _items(env, doc):
        if ind.get("likelihood") in which and reason_missing(ind.get("deviation"), texts):
            found = placeholder_of(ind.get("deviation"), texts)
            yield env.problem(rule, f"/indicators/{i}/deviation", value=found,
                              likelihood=LIKELIHOODS.get(ind["likelihood"], ""), **placeholder_fields(found))


def likelihood_contradiction(ind: dict, table=None) -> dict | None:
    """Where a quantitative row's 完成目标可能性 contradicts its 全年预计完成情况: 完全不可能 beside a forecast that meets
    the target, or 确定能 beside one that misses it (``forecast_short`` by the scoring table `table`, as
    monitor.expected_short reads a miss: 90 on ＞90 % meets it).
    The words of both, and how the forecast stands to the target ({likelihood, forecast, target, how, how_en}), else
    None; 有可能 contradicts neither."""
    likelihood = ind.get("likelihood")
    if likelihood not in ("impossible", "certain") or ind.get("comparator") not in ("=", ">=", ">", "<=", "<"):
        return None
    forecast, target = dec(ind.get("expected")), dec(ind.get("value"))
    if forecast is None or target is None:
        return None
    short = forecast_short(ind, ind.get("expected"), Decimal(0), table)
    if likelihood == "impossible" and not short:
        # 90 on ＞90 % meets it only as the scoring table reads a strict target (gt_at_target): said so, lest a
        # reader of "90 符合 ＞90%" take the check for wrong
        how = ("按评分规则视为达到", "counts, by the scoring rules, as meeting") \
            if forecast == target and ind.get("comparator") in (">", "<") else ("符合", "meets")
    elif likelihood == "certain" and short:
        how = missed_words(ind.get("comparator"), forecast, target)
    else:
        return None
    return {"likelihood": LIKELIHOODS[likelihood], "forecast": format_number(ind.get("expected")),
            "target": shown_target(ind), "how": how[0], "how_en": how[1]}


@check("likelihood_contradicts", supplies=("likelihood", "forecast", "target", "how", "how_en"), forms=(FORM,),
       row="g('likelihood') in ('impossible', 'certain')")
def _likelihood_contradicts(rule, params, doc, env):
    """完成目标可能性 against 全年预计完成情况 (``likelihood_contradiction``), said at the 可能性 cell quoting both."""
    shown = env.cache.get("shown_hundredfold", ())
    for i, ind in _items(env, doc):
        found = likelihood_contradiction(ind, scoring_table(env))
        # a forecast the hundredfold question is asked of (10000 on ＝100 %: 100 meant?) is one mistake, said once
        if found is not None and f"/indicators/{i}/expected" not in shown and _meant(env, ind, "expected") is None:
            yield env.problem(rule, f"/indicators/{i}/likelihood", value=found["likelihood"], **found)


@check("cumulative_fell", {"units": ("strs", False)}, supplies=("earlier", "earlier_en", "months", "months_en", "earlier_file"), forms=(FORM,))
def _cumulative_fell(rule, params, doc, env):
    """monitor.cumulative_fell: a cumulative figure of a project's later report below an earlier round's.  One report
    alone has nothing to compare: consolidate compares the rounds it holds (``MonitoringSummary.between_rounds``).
    Its ``units`` are the indicator units of a running total (counts, money: 人次, 万元); a rate (%), a score (分), a
    duration (天), a 定性 row or a ≤/＜ target (lower is the aim) is no running total and is not compared."""
    return ()


@check("row_required", {"keys": ("strs", True)}, forms=(FORM,), blank=True, setup=(("KEYS", "tuple(P['keys'])"),),
       row="any(map(_blank, map(g, KEYS)))")
def _row_required(rule, params, doc, env):
    for i, ind in _items(env, doc):
        for key in params["keys"]:
            if _blank(ind.get(key)):
                yield env.problem(rule, f"/indicators/{i}/{key}")


@check("row_number", {"keys": ("strs", True)}, forms=(FORM,), supplies=("detail",), setup=(("KEYS", "tuple(P['keys'])"),),
       row="c in _CD and c != 'qualitative' and any(isinstance(x, str) and x.strip() for x in map(g, KEYS))")
def _row_number(rule, params, doc, env):
    for i, ind in _items(env, doc):
        if ind.get("comparator") not in COMPARATOR_DISPLAY or ind.get("comparator") == "qualitative":
            continue
        for key in params["keys"]:
            v = ind.get(key)
            if isinstance(v, str) and v.strip():
                yield env.problem(rule, f"/indicators/{i}/{key}", value=v, expected="数字", expected_en="a number",
                                  **number_detail(v))


SWEEP_NAMES.update(_behind_of=_behind_of, short_of_target=short_of_target, _reason_blank=_reason_blank,
                   _hundredfold=hundredfold)
