"""Implausible figures typed in the year's forms (the self-evaluation, the monitoring report): check kinds.

* ``funds_scale`` / ``monitor_funds_scale``: an amount about `factor` times below its reference, the likely cause
  an amount typed in 万元 (or another unit the rule names) into a cell in 元.  The reference is the form's own
  年初预算数 (prefilled in the monitoring report, and in a self-evaluation made from goal tables), else its
  全年预算数; under ``validate --targets`` also the goal table's 当年预算 (``slips_against``, called by the
  targets' comparison: the checks themselves never see the goal table).
* ``actual_range``: a result (实际完成值, 1-N月执行情况, 全年预计完成情况) in the unit of the rule (%) outside its
  range (0–100) on a row whose target is inside it, as ``rule.percent_range`` says of targets; on a ≥/> row the
  range reaches up to the target × the deviation rule's “over” (110 % of ≥90 % is ordinary over-fulfilment), unless
  the row's name has one of the rule's `capped` words (满意度, 合格率: a share of a whole stays within 0–100).
* ``actual_negative``: a negative result on a quantitative row whose target is not negative (a ≤600 元 cost at
  −100 scores full points), in a unit other than the rule's ``signed_units`` (个百分点: a change may fall).

The rows (codes, severities, factors, bands, ranges, messages) are in ``schema/rules.csv``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from .._decimals import dec, yuan
from .._form import COMPARATOR_DISPLAY
from .._form._kinds import format_number, shown_target
from .._pointers import get
from ._rules import _items, check

SE, MON = "self-evaluation", "monitoring"
#: The budgets an amount of the funds block is compared with, in order (the first given above 0, not itself).
REFERENCES = ("/funds/initial_budget", "/funds/full_year_budget")


@lru_cache(maxsize=None)
def amounts_of(form_id: str) -> tuple[str, ...]:
    """The amounts of a form's funds block as the form declares them, its 其中 lines aside (a source of funds may be a
    small part of the total): the self-evaluation's 年度资金总额 line, the monitoring report's 项目资金."""
    from .._form import FORMS

    form = FORMS.get(form_id)
    return () if form is None else tuple(f.path for f in form.fields
                                         if f.kind == "amount" and f.path.startswith("/funds/") and f.path.count("/") == 2)
_SCALE = {"factors": ("factors", True), "band": ("above_one", True), "spent_over": ("multiple", False)}
_SUPPLIES = ("reference", "other", "unit", "factor", "ratio", "held")
#: The amounts of the funds blocks that are spending (executed, or expected to be by the year's end): a small one is
#: ordinary early in the year, so it is said to be in 万元 only where so read it stays within its reference × the
#: rule's ``spent_over`` (12,000 元 spent of 62,800,000 by March is no slip: 12,000 万元 would be 191 % of it).
SPENT = frozenset({"/funds/executed", "/funds/executed_to_date", "/funds/expected_full_year"})


def _positive(value) -> Decimal | None:
    d = dec(value)
    return d if d is not None and d > 0 else None


#: Without a floor (spending), the amount read in the factor's unit must still be at least 1/SPENT_FLOOR of the
#: reference to be asked about.
SPENT_FLOOR = 1000


def scale_slip(amount: Decimal, reference: Decimal, factors: dict, band: Decimal,
               floor: bool = True) -> tuple[str, Decimal] | None:
    """(unit, factor) of the first of `factors` ({"万元": 10000}) by which `amount` is about that many times below
    `reference` (reference ÷ amount within factor ÷ band … factor × band), else None.  Without `floor`, any number
    of times below factor ÷ band (spending: 3,542.64 for 35,426,446.60 元, 31 % of 114,278,860 executed, is 1/32,000
    of it, as far below as the execution is behind; how far it may be, the caller's ``spent_over`` says), as long as
    the amount read in that unit is at least 1/SPENT_FLOOR of `reference` (1 元 of 62,800,000 read in 万元 would be
    0.016 % of it: no likelier than the amount typed; 35.43 of 114,278,860, 0.31 % in 万元, is asked)."""
    for unit, factor in factors.items():
        f = dec(factor)
        if f * amount <= band * reference and (reference <= band * f * amount if floor
                                               else reference <= SPENT_FLOOR * f * amount):
            return unit, f
    return None


def _slips(form_id: str, doc, rule, params, references, problem):
    """The problems of `doc`'s amounts (``amounts_of`` its form) each about a factor below the first of `references`
    ((path or None, value, label zh, label en)) that is not itself."""
    funds = doc.get("funds") if isinstance(doc, dict) else None
    if not isinstance(funds, dict):
        return
    band, factors = dec(params["band"]), params["factors"]
    over = dec(params.get("spent_over"))
    for path in amounts_of(form_id):
        amount = _positive(get(doc, path))
        if amount is None:
            continue
        ref = next((r for r in references if r[0] != path), None)
        if ref is None:
            continue
        # spending is held to its budget by the factor alone, not a band around it: in 万元 it is 1/10,000 of itself,
        # so the lower the execution the further below 1/10,000 of the budget (31 % executed: 1/32,000); read in
        # 万元 it stays within the budget × spent_over, which a real small spending does not (0.5 % executed,
        # 1/200 of the budget, would be 50 times it)
        found = scale_slip(amount, ref[1], factors, band, floor=over is None or path not in SPENT)
        if found is None:
            continue
        unit, factor = found
        if over is not None and path in SPENT and amount * factor > ref[1] * over:
            continue  # spending that, read in 万元, would far exceed its budget: a small real amount
        shown, other, meant = yuan(amount), yuan(ref[1]), yuan(amount * factor)
        held = form_id in HELD_CODES and strong_slip(doc, path, amount, ref[1], factor, band)  # (held_out)
        yield problem(rule, path, held="；核对前汇总不将此金额计入合计" if held else "",
                      held_en=" (until then a summary leaves it out of its totals)" if held else "", value=format_number(get(doc, path)), shown=shown[0], shown_en=shown[1],
                      expected=meant[0], expected_en=meant[1], other=other[0], other_en=other[1],
                      reference=ref[2], reference_en=ref[3], unit=unit, ratio=ratio_shown(ref[1] / amount),
                      factor=f"{int(factor):,}" if factor == factor.to_integral_value() else format_number(float(factor)))


def strong_slip(doc, path: str, amount: Decimal, reference: Decimal, factor: Decimal, band: Decimal) -> bool:
    """Whether a scale warning's suspicion is strong enough for a summary to hold the amount out (held_out).  An
    amount that is no spending (a budget) is warned of only within a `band` around `reference` ÷ `factor`: strong.
    A spending one is warned of anywhere below that, so it is strong only where, read in the factor's unit, it
    is within `band` (the rule's own, 3) of what the time has run (the report's month ÷ 12 of its budget for
    ``executed_to_date``, the whole of it for the year's: ``expected_full_year``, ``executed``): 3,000 元 spent in
    January of 62,800,000 (30,000,000 in 万元: 48 % where 8 % of the year has run, more than 3 times it) is weak, a
    real small spending early in the year; 7,232.52 of 139,086,909 at June (52 % where 50 % has run) is strong.
    A report of no month says nothing of the time: weak."""
    if path not in SPENT:
        return True
    if path == "/funds/executed_to_date":
        month = doc.get("month") if isinstance(doc, dict) else None
        if type(month) is not int or not 1 <= month <= 12:
            return False
        run = Decimal(month) / 12
    else:
        run = Decimal(1)
    rate = amount * factor / reference
    return run / band <= rate <= run * band


def _own_slip(doc, path: str, form, params, floor: bool) -> tuple | None:
    """(amount, reference, factor, band) where a scale rule of `params` finds the amount at `path` of `doc` about
    `factor` times below the first of the return's own references that is not itself (``scale_slip``, with its
    `floor`); None where it finds none."""
    amount = _positive(get(doc, path)) if isinstance(doc, dict) else None
    ref = next((r for r in _own_references(form, doc) if r[0] != path), None) if amount is not None else None
    if ref is None:
        return None
    band = dec(params["band"])
    found = scale_slip(amount, ref[1], params["factors"], band, floor=floor)
    return None if found is None else (amount, ref[1], found[1], band)


def slip_factor(doc, path: str, form, params) -> Decimal | None:
    """The factor (10,000 for 万元) by which a scale rule of `params` finds the amount at `path` of `doc` apparently
    typed in another unit against the return's own references, as _slips finds it; None where it finds none."""
    slip = _own_slip(doc, path, form, params, floor=params.get("spent_over") is None or path not in SPENT)
    return None if slip is None else slip[2]


def _strongly_suspected(doc, path: str, form, params) -> bool:
    """Whether the amount at `path` of `doc`, warned of by a scale rule of `params`, is strongly suspected
    (strong_slip) against its report's own reference, as _slips finds it."""
    slip = _own_slip(doc, path, form, params, floor=path not in SPENT)
    return slip is not None and strong_slip(doc, path, *slip)


def ratio_shown(ratio: Decimal) -> str:
    """`ratio` (reference ÷ amount) as a message gives it, to two significant figures: 5233.4 -> 5,200."""
    if ratio <= 0:
        return format_number(float(ratio))
    q = Decimal(1).scaleb(ratio.adjusted() - 1)
    rounded = ratio.quantize(q, rounding="ROUND_HALF_UP") if q < 1 else (ratio / q).quantize(Decimal(1), rounding="ROUND_HALF_UP") * q
    return f"{int(rounded):,}" if rounded >= 10 else format_number(float(rounded))


def _own_references(form, doc) -> list:
    """The form's own amounts that serve as references, as (path, value, label zh, label en), given and above 0."""
    out = []
    for path in REFERENCES:
        value = _positive(get(doc, path))
        if value is not None:
            out.append((path, value, _label(form.title_of(path)), _label(form.title_of(path, "en"))))
    return out


def _label(title: str) -> str:
    """A field's title without its unit, as a message names the figure: 年初预算数（元） -> 年初预算数."""
    for tail in ("（元）", " (yuan)"):
        if title.endswith(tail):
            return title[: -len(tail)]
    return title


def _funds_scale(rule, params, doc, env):
    yield from _slips(env.form.id, doc, rule, params, _own_references(env.form, doc), env.problem)


_SCALE_KINDS = {"funds_scale": SE, "monitor_funds_scale": MON}
for _name, _form in _SCALE_KINDS.items():
    check(_name, _SCALE, supplies=_SUPPLIES, forms=(_form,))(_funds_scale)

def _scale_rules(rules, form_id: str | None = None) -> list:
    """(rule, params) of the scale rules in force (`form_id`: of that form's kind only), by check kind, not code: a
    bureau's own row of kind funds_scale is one of them, beside or instead of self.amount_scale."""
    return [(rd, params) for rd, params, _ in rules.business
            if rd.check in _SCALE_KINDS and (form_id is None or _SCALE_KINDS[rd.check] == form_id)]


def slips_against(doc: dict, budget, rules, form) -> list:
    """The scale rules' problems of `doc` against its goal table's 当年预算 (`budget`), for ``validate --targets``:
    the goal table is the reference first (an amount typed in 万元 beside a 年初预算数 typed in 万元 too is found
    only so); its own 年初预算数 and 全年预算数 after it.  None where the table has no such rule."""
    found = _scale_rules(rules, form.id) if isinstance(doc, dict) else []
    budget = _positive(budget)
    if not found or budget is None:
        return []
    from .._form import FORMS

    goal = FORMS["goal-table"]
    refs = [(None, budget, f"批复的绩效目标表中的{_label(goal.title_of('/budget/current_year'))}",
             f"the approved goal table's {_lower_first(_label(goal.title_of('/budget/current_year', 'en')))}"),
            *_own_references(form, doc)]

    def problem(rule, path, **kw):
        return rules.problem(rule.code, path=path, field=form.title_of(path), field_en=form.title_of(path, "en"), **kw)

    return [p for rd, params in found for p in _slips(form.id, doc, rd, params, refs, problem)]


def refused_in_wan(refused: list, doc, form, rules) -> list:
    """The scale rules' hint (``monitor.amount_scale``, ``self.amount_scale``) at an amount of the funds block the
    reader refused for its decimals (`refused`: its problems; ``cell.amount_decimals``), where the number as typed is
    such a slip: 7232.5193 typed for 72,325,193 元 in 万元 (four decimals, as 万元 to the 元 has) is about 1/19,000 of
    its budget, and the decimals error alone would have the department round it to 7232.52, still in 万元.  The
    number is judged as the rules judge a readable one, against the return's own budgets (`doc`: as the rules saw
    it, the refused amount blank); the hint says nothing of a summary's totals, which a refused amount is in none of."""
    paths = set(amounts_of(form.id))
    typed = {p.path: p.value for p in refused if p.code == "cell.amount_decimals" and p.path in paths}
    found = _scale_rules(rules, form.id) if typed and isinstance(doc, dict) else []
    if not found:
        return []

    def problem(rule, at, **kw):
        kw.update(held="", held_en="")  # (refused: in no total)
        return rules.problem(rule.code, path=at, field=form.title_of(at), field_en=form.title_of(at, "en"), **kw)

    out = []
    for path, value in typed.items():
        amount = dec(value) if not isinstance(value, str) else _decimal_text(value)
        if amount is None:
            continue
        funds = dict(doc.get("funds") or {})
        funds[path.rsplit("/", 1)[-1]] = float(amount)  # (its shortest repr: the digits typed, 7232.5193)
        seen = {**doc, "funds": funds}
        refs = _own_references(form, seen)
        out += [p for rd, params in found for p in _slips(form.id, seen, rd, params, refs, problem)
                if p.path == path and p.severity != "off"]
    return out


def _decimal_text(text: str) -> Decimal | None:
    from decimal import InvalidOperation

    try:
        d = Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None
    return d if d.is_finite() else None


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def held_out(problems, form_id: str | None, rules=None, doc=None) -> frozenset[str]:
    """The amounts of a monitoring report or a self-evaluation a summary (consolidate, ``frames()``: as a flag, never
    blanked) holds out of its totals: those a scale rule of the return warns of as apparently typed in 万元
    (``monitor.amount_scale``, ``self.amount_scale``, by check kind: a bureau's own row too; `rules` None: the
    packaged code) on a strong suspicion (strong_slip, of `doc`, the return: an amount that read in 万元 fits the time
    run where as typed it is far below it).  The warning is a suspicion, never a certainty, so nothing is converted;
    summed as 元 beside the other returns' 元 it would mix units into a total, unsaid.  A weak one (3,000 元 spent in
    January of 62,800,000: ordinary early in the year) stays in the totals, its warning said all the same: a correct
    return's spending is never dropped on a guess.  As a goal table's amount typed in 万元 (``cell.amount_wan``, not
    read) is in no total, the amount held out is shown blank and counted as held out, the warning and the summary's
    note saying so."""
    if form_id not in HELD_CODES:
        return frozenset()
    from .._form import FORMS

    if rules is None:
        from ._ruletable import RuleTable  # (here: _ruletable imports this module's checks)

        rules = RuleTable.default()
    found = {rd.code: params for rd, params in _scale_rules(rules, form_id)}
    if found:  # the warning said with what the rules find of the amount as typed (MEANT_CODES): the packaged rule's
        found[MEANT_CODES[form_id]] = found.get(HELD_CODES[form_id], next(iter(found.values())))
    return frozenset(p.path for p in problems if p.code in found and p.path and p.severity != "off"
                     and _strongly_suspected(doc, p.path, FORMS[form_id], found[p.code]))


#: The packaged scale rule of each form whose summary holds an amount it warns of out of the totals (``held_out``).
HELD_CODES = {MON: "monitor.amount_scale", SE: "self.amount_scale"}
#: What a scale rule's warning becomes where the other rules find something of the amount as typed that they do not
#: of it read in 万元 (``_validate._scaled_meant``: one slip, one problem): the same suspicion, with what follows if
#: the amount is meant as typed
MEANT_CODES = {MON: "monitor.amount_scale_rules", SE: "self.amount_scale_rules"}


def _scale_codes(rules) -> set[str]:
    """The codes of `rules`' scale warnings (by check kind: a bureau's own funds_scale row among them), and what
    they become said with the rules' findings (MEANT_CODES)."""
    codes = {rd.code for rd, _ in _scale_rules(rules)}
    return codes | set(MEANT_CODES.values()) if codes else codes


def said_once(problems: list, extra: list, rules) -> tuple[list, list]:
    """(`problems`, `extra`) with one scale problem per amount: `problems` without the scale warnings at a path
    `extra` (the goal table's comparison) says one of too (the goal table's is the figure approved, and one cause is
    said once at its cell), unless the return's own says with it what the rules find of the amount as typed
    (MEANT_CODES): that one stands, the goal table's warning there is left out of `extra`.  The scale rules are those
    of `rules` (the table in force) by check kind."""
    codes = _scale_codes(rules)
    said = {p.path for p in extra if p.code in codes}
    if not said:
        return problems, extra
    meant = set(MEANT_CODES.values())
    kept = {p.path for p in problems if p.code in meant and p.path in said}
    # the rules still said plainly at an amount said with its findings (a bureau's own row beside the one merged):
    # the goal table's of those stand; the goal table's of the rule merged there give way to the merged one
    plain = {(p.code, p.path) for p in problems if p.code in codes and p.code not in meant and p.path in kept}
    return ([p for p in problems if not (p.code in codes and p.code not in meant and p.path in said)],
            [p for p in extra if not (p.code in codes and p.path in kept and (p.code, p.path) not in plain)])


def shown_scaled(extra: list, problems: list, rules) -> list:
    """`extra` (the goal table's comparison, validate --targets) without its scale warnings at a cell the reader found
    an amount's number format scaling (``cell.amount_scaled``: 7,232.52 shown as 7,232.52万元).  One problem per
    cell: the error says what the paper shows and what the cell holds; the warning, a guess at the same cause from
    the amount's size, defers to it.  (Without --targets the rules never see that amount: the reader's error blanks
    it for them.)  The scale rules are those of `rules` by check kind, a bureau's own funds_scale row among them."""
    # (and at any cell whose value the reader refused, which the rules saw blank: a percent typed into an amount
    # cell, cell.amount_fraction, is not also an amount in 万元)
    scaled = {p.path for p in problems if (p.code == "cell.amount_scaled" or p.is_error) and p.path}
    if not scaled:
        return extra
    codes = _scale_codes(rules)
    return [p for p in extra if not (p.code in codes and p.path in scaled)]


# Results outside a range, negative ----------------------------------------------------------------------------
def _number(v) -> Decimal | None:
    return dec(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _quantitative(ind: dict) -> bool:
    c = ind.get("comparator")
    return isinstance(c, str) and c in COMPARATOR_DISPLAY and c != "qualitative"


@check("actual_range", {"unit": ("str", True), "min": ("number", True), "max": ("number", True),
                        "keys": ("strs", True), "may_exceed": ("strs", False)}, supplies=("target",), forms=(SE, MON),
       setup=(("UNIT", "P['unit']"), ("LOW", "P['min']"), ("HIGH", "P['max']"), ("KEYS", "tuple(P['keys'])")),
       row="g('unit') == UNIT and c in _CD and c != 'qualitative' and isinstance(t := g('value'), (int, float))"
           " and LOW <= t <= HIGH and any(isinstance(v := g(k), (int, float)) and not isinstance(v, bool)"
           " and not LOW <= v <= HIGH for k in KEYS)")
def _actual_range(rule, params, doc, env):
    """A result outside [min, max] in `unit` where the row's own target is within it (a growth target of 150 % says
    its result may exceed 100 %; rule.percent_range has said that target).  Not where the monitoring report's
    hundredfold question asks about the same number (10000 on ＝100 %: 100 meant?): one slip, one question."""
    low, high = dec(params["min"]), dec(params["max"])
    over = _over(env)
    for i, ind in _items(env, doc):
        target = _number(ind.get("value"))
        if ind.get("unit") != params["unit"] or target is None or not low <= target <= high or not _quantitative(ind):
            continue
        top = high
        if over is not None and ind.get("comparator") in (">=", ">") and _may_exceed(ind, params.get("may_exceed")):
            top = max(high, target * over)  # 110 % of ≥90 % people planned: over-fulfilled, full points
        for key in params["keys"]:
            v = _number(ind.get(key))
            if v is None or low <= v <= top or _asked_hundredfold(env, ind, key):
                continue
            yield env.problem(rule, f"/indicators/{i}/{key}", value=format_number(ind.get(key)),
                              expected=f"{format_number(params['min'])}–{format_number(float(top))}",
                              target=shown_target(ind))


def _may_exceed(ind: dict, words) -> bool:
    """Whether the row's name says a figure that may be beaten beyond `max` (the rule's `may_exceed` words: 增长,
    提升, 完成率 of a planned quantity, 超额 …).  Any other percentage is a share of a whole — 满意度, 合格率, 资金到位率,
    及时率, 就业率 — never above `max`, however far its ≥ target was beaten: the default, so a share the list never
    named is not let through."""
    name = ind.get("name")
    return isinstance(name, str) and any(w in name for w in words or ())


def _over(env) -> Decimal | None:
    """How far a ≥/> target may be beaten before its result is implausible: the bureau's one notion of it, the
    lowest “over” of the deviation_required rules in force (1.3: 30 % over asks a reason), None where none is."""
    if "over" not in env.cache:
        from .._form.self_evaluation import strictest

        env.cache["over"] = strictest(env.table, "deviation_required", "over", min)
    return env.cache["over"]


def _asked_hundredfold(env, ind: dict, key: str) -> bool:
    if env.form.id != MON:
        return False
    from .._monitor._checks import _asked

    return _asked(env, ind, key) is not None


def _range_units(env) -> frozenset:
    """The units the actual_range rules in force hold to a range (their negatives are said by them)."""
    found = env.cache.get("range_units")
    if found is None:
        found = env.cache["range_units"] = frozenset(
            env.table.params_of(rd.code).get("unit") for rd in env.table.in_force("actual_range"))
    return found


@check("actual_negative", {"keys": ("strs", True), "signed_units": ("strs", False)}, supplies=("target",), forms=(SE, MON),
       setup=(("KEYS", "tuple(P['keys'])"),),
       row="c in _CD and c != 'qualitative' and isinstance(t := g('value'), (int, float)) and t >= 0"
           " and any(isinstance(v := g(k), (int, float)) and not isinstance(v, bool) and v < 0 for k in KEYS)")
def _actual_negative(rule, params, doc, env):
    """A negative result on a quantitative row whose target is 0 or more: a cost, a count, an amount below zero (a
    ≤600 元 cost at −100 scores full points).  A unit an actual_range rule holds (%) is that rule's to say."""
    units = _range_units(env) | frozenset(params.get("signed_units") or ())  # (个百分点: a change may be below 0)
    for i, ind in _items(env, doc):
        target = _number(ind.get("value"))
        unit = ind.get("unit")
        if target is None or target < 0 or (isinstance(unit, str) and unit.strip() in units) or not _quantitative(ind):
            continue
        for key in params["keys"]:
            v = _number(ind.get(key))
            if v is not None and v < 0:
                yield env.problem(rule, f"/indicators/{i}/{key}", value=format_number(ind.get(key)),
                                  expected="≥ 0", target=shown_target(ind))
