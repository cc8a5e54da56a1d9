"""The self-evaluation's check kinds: every score recomputed, bands, explanations, funds arithmetic.

Registered with the rule table's ``check`` decorator and scoped to the self-evaluation form; the
rule rows (codes, severities, parameters, messages) are in ``schema/rules.csv``.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from .._check._rules import (BLANK_TEXT, CHECKS, ROW_SCORES, SWEEP_NAMES, CheckKind, _blank, _items, check,
                             placeholder_of, placeholder_texts, placeholder_fields, reason_missing)
from .._form import COMPARATOR_DISPLAY
from .._form._kinds import GRADE_DISPLAY, GRADE_EN, choices_en, number_detail, rough_figure, rough_meaning
from .._monitor._checks import missed_words
from .._decimals import dec, percent, ratio, round2, yuan
from .._problems import number_text

if TYPE_CHECKING:
    from ._scoring import Evaluation, Scored

FORM = "self-evaluation"
_AMOUNTS = ("initial_budget", "full_year_budget", "executed")
_SOURCES = ("fiscal", "carryover", "other")

#: Problems found by comparing a return with its approved goal table (validate --targets), not by a rule.
#: ``severity_of`` (a code): the row's severity is that row's, as the table in force gives it, unless a bureau's table
#: gives this row a severity of its own (``_ruletable._followed``): *.targets_refused follows *.targets_unmatched.
CHECKS["targets"] = CheckKind("targets", None, params={"severity_of": ("str", False)},
                              supplies=frozenset({"detail", "other", "how", "listed"}))

def _evaluation(env, doc) -> Evaluation:
    """The document scored by the scoring table, once per run of the checks (they share it)."""
    ev = env.cache.get("evaluation")
    if ev is None:
        from ._scoring import evaluate, scoring_of  # imported on a self-evaluation's first check only

        ev = env.cache["evaluation"] = evaluate(doc, scoring_of(env.fw))  # the framework's table (its "scoring")
    return ev


def _rows(env, doc):
    """(index, indicator, its Scored) for each indicator that is an object, once per run of the checks."""
    rows = env.cache.get("rows")
    if rows is None:
        items = _items(env, doc)
        rows = env.cache["rows"] = [(i, it, s) for (i, it), s in zip(items, _evaluation(env, doc).indicators)] \
            if items else []
    return rows


def _shown(d: Decimal | None) -> str:
    """A computed figure, to the cent, as messages write numbers (``number_text``: 1e30 as its digits)."""
    return "" if d is None else number_text(round2(d))


def _typed(d: Decimal | None) -> str:
    """A number the department typed, as typed (3.333 stays 3.333: rounded, “3.33 超过分值 3.33” contradicts itself)."""
    return "" if d is None else number_text(d)


def _unit(ind: dict) -> str:
    """The row's unit, the one the clerk types in."""
    return ind.get("unit") if isinstance(ind.get("unit"), str) else ""


def _formula(s: Scored, ind: dict | None, funds: dict | None) -> tuple[str, str]:
    """The rule's formula with the figures it used, in Chinese and English."""
    if funds is not None:
        rate = ratio(dec(funds.get("executed")), dec(funds.get("full_year_budget")))
        figures = (f"分值 {_shown(s.points)}，执行率 {percent(rate)}", f"points {_shown(s.points)}, rate {percent(rate)}")
    else:
        comp = COMPARATOR_DISPLAY.get(ind.get("comparator"), "")
        unit = _unit(ind)
        target, actual = _typed(dec(ind.get("value"))) + unit, _typed(dec(ind.get("actual"))) + unit
        figures = (f"分值 {_shown(s.points)}，目标值 {comp}{target}，实际完成值 {actual}",
                   f"points {_shown(s.points)}, target {comp}{target}, actual {actual}")
    return f"{s.rule.formula_zh}；{figures[0]}", f"{s.rule.formula_en}; {figures[1]}"


#: The sweep's names for this form's expressions (``row``, ``head``): an indicator's Scored is `s`, the funds' `F`.
_ABOVE = "{0}.reported is not None and {0}.points is not None and {0}.reported > {0}.points"  # _above(s)
_FUNDS = ("F", "_evaluation(env, doc).funds")
#: A row whose 得分 is not its recomputed score (or not given): the one test of a row that score_recomputed,
#: score_le_points and total_recomputed share (their `guard`: a 得分 as recomputed differs from nothing, and is not
#: above its 分值, the recomputed score never being)
_CHANGED = "s.reported is None or s.reported != s.score"
# _blank(ind.get(key)): BLANK_TEST of x, its test of None the one that fetches x
_BLANK = "((x := g('{0}')) is None or " + BLANK_TEXT.format("x").replace("{", "{{").replace("}", "}}") + ")"


@check("score_recomputed", {"tolerance": ("nonnegative", True)}, supplies=("formula", "formula_en"), forms=(FORM,),
       scored=True, setup=(("TOL", "dec(P['tolerance'])"), _FUNDS),
       # (a tolerance below 0, which every score differs by more than, in the head: the rows' test is then _CHANGED's)
       head=f"TOL < 0 or F.score is not None and F.reported is not None and not ({_ABOVE.format('F')})"
            " and abs(F.reported - F.score) > TOL",
       row=f"s.reported != s.score and c != 'qualitative' and s.score is not None"
           f" and s.reported is not None and not ({_ABOVE.format('s')}) and abs(s.reported - s.score) > TOL",
       guard=_CHANGED)
def _score_recomputed(rule, params, doc, env):
    tolerance = dec(params["tolerance"])
    ev = _evaluation(env, doc)
    f = ev.funds
    if f.score is not None and f.reported is not None and not _above(f) and abs(f.reported - f.score) > tolerance:
        zh, en = _formula(f, None, doc["funds"])
        yield env.problem(rule, "/funds/score", value=_typed(f.reported), expected=_shown(f.score),
                          formula=zh, formula_en=en)
    for i, ind, s in _rows(env, doc):
        if ind.get("comparator") == "qualitative" or s.score is None or s.reported is None or _above(s):
            continue
        if abs(s.reported - s.score) > tolerance:
            zh, en = _formula(s, ind, None)
            yield env.problem(rule, f"/indicators/{i}/score", value=_typed(s.reported), expected=_shown(s.score),
                              formula=zh, formula_en=en)


@check("score_required", forms=(FORM,), blank=True, head="_blank_funds_score(doc)", row=_BLANK.format("score"))
def _score_required(rule, params, doc, env):
    if _blank_funds_score(doc):
        yield env.problem(rule, "/funds/score")
    for i, ind, _ in _rows(env, doc):
        if _blank(ind.get("score")):
            yield env.problem(rule, f"/indicators/{i}/score")


def _unscorable(doc) -> Decimal | None:
    """The 资金得分 typed (above 0) over a 全年预算数 of 0 with nothing spent, else None: self.funds_unscorable's cause,
    said once at the cell (a score above its points there too is said in that message, not as a second error)."""
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    if dec(funds.get("full_year_budget")) != 0:  # (nearly every return: nothing more to read)
        return None
    executed, reported = dec(funds.get("executed")), dec(funds.get("score"))
    if executed is not None and executed <= 0 and reported is not None and reported > 0:
        return reported
    return None


def _above(s: Scored) -> bool:
    """A 得分 above its 分值: self.score_above_points says so, with what it should be, and nothing else at that cell
    (not also “differs from the recomputed score” or “outside its grade's band”: one cause, one message)."""
    return s.reported is not None and s.points is not None and s.reported > s.points


@check("score_le_points", supplies=("other", "detail", "detail_en"), forms=(FORM,), scored=True, setup=(_FUNDS,),
       head=_ABOVE.format("F"), row=_ABOVE.format("s"), guard=_CHANGED)
def _score_le_points(rule, params, doc, env):
    ev = _evaluation(env, doc)
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    for i, ind, s in [(None, None, ev.funds), *_rows(env, doc)]:
        if not _above(s) or (ind is None and _unscorable(doc) is not None):
            continue
        path = "/funds/score" if i is None else f"/indicators/{i}/score"
        detail = ("", "")
        if ind is not None and ind.get("comparator") == "qualitative":
            if s.rule is not None and s.rule.band is not None:
                grade = GRADE_DISPLAY.get(ind.get("grade"), "")
                band = s.rule.band.shown(s.points)
                detail = (f"；完成等级为“{grade}”时得分应在 {band} 之间",
                          f"; with grade '{GRADE_EN.get(ind.get('grade'), grade)}' it must be within {band}")
        elif s.score is not None:
            zh, en = _formula(s, ind, funds if ind is None else None)
            detail = (f"；按计分规则重算应为 {_shown(s.score)}（{zh}）", f"; the scoring rules give {_shown(s.score)} ({en})")
        yield env.problem(rule, path, value=_typed(s.reported), expected=f"≤ {_shown(s.points)}",
                          other=_shown(s.points), detail=detail[0], detail_en=detail[1])


@check("grade_missing", forms=(FORM,), blank=True, row=f"c == 'qualitative' and {_BLANK.format('grade')}")
def _grade_missing(rule, params, doc, env):
    for i, ind, _ in _rows(env, doc):
        if ind.get("comparator") == "qualitative" and _blank(ind.get("grade")):
            yield env.problem(rule, f"/indicators/{i}/grade", expected="、".join(GRADE_DISPLAY.values()),
                              expected_en=choices_en(GRADE_DISPLAY, GRADE_EN))


@check("grade_band", supplies=("grade", "grade_en"), forms=(FORM,), scored=True,
       row="c == 'qualitative' and s.off_band is not False and s.rule is not None and s.reported is not None"
           " and s.points is not None and not s.reported > s.points and not s.rule.band.holds(s.reported, s.points)")
def _grade_band(rule, params, doc, env):
    for i, ind, s in _rows(env, doc):
        if ind.get("comparator") != "qualitative" or s.rule is None or s.reported is None or s.points is None \
                or _above(s):
            continue
        if not s.rule.band.holds(s.reported, s.points):
            yield env.problem(rule, f"/indicators/{i}/score", value=_typed(s.reported),
                              expected=s.rule.band.shown(s.points), grade=GRADE_DISPLAY.get(ind.get("grade"), ""),
                              grade_en=GRADE_EN.get(ind.get("grade"), ""))


@check("actual_missing", forms=(FORM,), blank=True, row=_BLANK.format("actual"))
def _actual_missing(rule, params, doc, env):
    for i, ind, _ in _rows(env, doc):
        if _blank(ind.get("actual")):
            yield env.problem(rule, f"/indicators/{i}/actual")


@check("actual_number", forms=(FORM,), supplies=("detail",),
       row="isinstance(a := g('actual'), str) and c != 'qualitative' and c in _CD and a.strip()")
def _actual_number(rule, params, doc, env):
    for i, ind, _ in _rows(env, doc):
        actual = ind.get("actual")
        if ind.get("comparator") in COMPARATOR_DISPLAY and ind.get("comparator") != "qualitative" \
                and isinstance(actual, str) and actual.strip():
            # 约95%, 7500余: the word said, and the figure to enter (the score is judged on it)
            rough = rough_figure(actual, result=True)
            meaning = rough_meaning(rough.extra["detail"]) if rough else None  # 约数; 以上, 以下: a bound
            detail = {"detail": f"，其中“{rough.extra['detail']}”{meaning[0]}，无法据此核定得分，请填写确定的完成数（如 "
                                f"{rough.expected}）",
                      "detail_en": f"; '{rough.extra['detail']}' makes it {meaning[1]}, from which no score can be "
                                   f"judged: enter the figure achieved (e.g. {rough.expected})"} if rough \
                else number_detail(actual)
            yield env.problem(rule, f"/indicators/{i}/actual", value=actual, expected="数字", expected_en="a number",
                              **detail)


@check("deviation_required", {"over": ("over", True)},
       supplies=("reason", "reason_en", "placeholder", "placeholder_en"), forms=(FORM,),
       scored=True, setup=(("OVER", "dec(P['over'])"), ("PH", "placeholder_texts(env)")),
       row="s.points is not None and (s.short is not False and ((s.score is not None and s.score < s.points)"
           " or (s.exact is not None and s.exact < s.points)) or (c in ('>=', '>') and s.target is not None"
           " and s.actual is not None and s.target > 0 and s.actual >= OVER * s.target))"
           " and reason_missing(g('deviation'), PH)")
def _deviation_required(rule, params, doc, env):
    over, texts = dec(params["over"]), placeholder_texts(env)
    for i, ind, s in _rows(env, doc):
        if s.points is None or not reason_missing(ind.get("deviation"), texts):
            continue
        target, actual = s.target, s.actual  # (read by the scoring where it looked for a score: every row used here)
        if s.score is not None and s.score < s.points:
            reason = (f"得分 {_shown(s.score)} 低于分值 {_shown(s.points)}", f"score {_shown(s.score)} is below the "
                      f"points {_shown(s.points)}")
        elif s.exact is not None and s.exact < s.points:  # missed by so little that the score rounds to the points
            comp, unit = COMPARATOR_DISPLAY.get(ind.get("comparator"), ""), _unit(ind)
            shown_t, shown_a = f"{comp}{_typed(target)}{unit}", f"{_typed(actual)}{unit}"
            # 100.001 is above ＝100 and 5.0001 over ≤5: neither 未达到 (the words of a level to reach, ≥ >)
            how = ("未达到", "misses") if ind.get("comparator") in (">=", ">") \
                else missed_words(ind.get("comparator"), actual, target)
            reason = (f"实际完成值 {shown_a} {how[0]}目标值 {shown_t}（得分四舍五入到两位小数仍为 {_shown(s.points)}，但目标未完成）",
                      f"the actual {shown_a} {how[1]} the target {shown_t} (the score rounds to the full "
                      f"{_shown(s.points)} in cents, but the target was missed)")
        elif ind.get("comparator") in (">=", ">") and target is not None and actual is not None and target > 0 \
                and actual >= over * target:
            unit = _unit(ind)  # 1234.5% against 80%: the unit the row's figures are in
            reason = (f"实际完成值 {_typed(actual)}{unit} 超过目标值 {_typed(target)}{unit} 的 {percent(over - 1)} 及以上",
                      f"actual {_typed(actual)}{unit} exceeds the target {_typed(target)}{unit} by {percent(over - 1)} "
                      "or more")
        else:
            continue
        found = placeholder_of(ind.get("deviation"), texts)
        yield env.problem(rule, f"/indicators/{i}/deviation", value=found, reason=reason[0], reason_en=reason[1],
                          **placeholder_fields(found))


@check("execution_explained", {"min_rate": ("rate", True)},
       supplies=("rate", "limit", "placeholder", "placeholder_en"), forms=(FORM,),
       setup=(("E", "_evaluation(env, doc)"), ("MIN", "dec(P['min_rate'])")), head="E.rate is not None and E.rate < MIN")
def _execution_explained(rule, params, doc, env):
    ev = _evaluation(env, doc)
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    texts = placeholder_texts(env)
    if ev.rate is not None and ev.rate < dec(params["min_rate"]) and reason_missing(funds.get("deviation"), texts):
        found = placeholder_of(funds.get("deviation"), texts)
        yield env.problem(rule, "/funds/deviation", value=found, rate=percent(ev.rate, ROUND_FLOOR),
                          expected=f"≥ {percent(dec(params['min_rate']))}", limit=percent(dec(params["min_rate"])),
                          **placeholder_fields(found))


@check("funds_unscorable", supplies=("detail", "detail_en"), forms=(FORM,), head="_unscorable(doc) is not None")
def _funds_unscorable(rule, params, doc, env):
    """A 资金得分 above 0 over a 全年预算数 of 0 with nothing spent: no rate, so nothing to check it against, and the
    summary's 总分 leaves it out while the printed 总分 counts it (money spent is self.budget_zero's).  Above its
    分值 too, the message says so: one cause (the score typed where none can be), one message at the cell."""
    reported = _unscorable(doc)
    if reported is None:
        return
    f = _evaluation(env, doc).funds
    detail = (f"（超过分值 {_shown(f.points)}）", f" (above the points, {_shown(f.points)})") if _above(f) else ("", "")
    yield env.problem(rule, "/funds/score", value=_typed(reported), detail=detail[0], detail_en=detail[1])


@check("funds_breakdown", supplies=("other",), forms=(FORM,), head="_sourced(doc)")
def _funds_breakdown(rule, params, doc, env):
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    sources = funds.get("sources") if isinstance(funds.get("sources"), dict) else {}
    for key in _AMOUNTS:
        total = dec(funds.get(key))
        parts = [dec(s.get(key)) for s in (sources.get(n) for n in _SOURCES) if isinstance(s, dict)]
        if total is None or not any(p is not None for p in parts):
            continue
        found = sum((p for p in parts if p is not None), Decimal(0))
        if found != total:
            (total_zh, total_en), (found_zh, found_en) = yuan(total), yuan(found)
            yield env.problem(rule, f"/funds/{key}", value=_shown(total), shown=total_zh, shown_en=total_en,
                              expected=found_zh, expected_en=found_en, other=found_zh, other_en=found_en)


@check("points_total", {"total": ("hundred", True)}, forms=(FORM,),
       setup=(("E", "_evaluation(env, doc)"), ("TOTAL", "dec(P['total'])")), head="_points_differ(doc, E, TOTAL, env)")
def _points_total(rule, params, doc, env):
    if env.cache.get("rows_off_record"):  # rows cleared, deleted or added: their 分值 not read or added, said as that
        return
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    points = [dec(funds.get("points"))] + [s.points for _, _, s in _rows(env, doc)]
    if any(p is None for p in points):
        return
    total = sum(points, Decimal(0))
    if total != dec(params["total"]):
        yield env.problem(rule, "/funds/points", value=_shown(total), expected=_shown(dec(params["total"])))


_DIFFERING_SHOWN = 5  # the scores a self.total_mismatch names before “等 N 处”


@check("total_recomputed", {"tolerance": ("nonnegative", True)},
       supplies=("other", "detail", "detail_en", "grades", "grades_en"), forms=(FORM,), scored=True,
       # every 得分 given and as recomputed: the printed 总分 is the recomputed one, nothing to say
       setup=(("TOL", "dec(P['tolerance'])"), _FUNDS), head="TOL < 0 or F.reported is None or F.reported != F.score",
       row=_CHANGED)
def _total_recomputed(rule, params, doc, env):
    """The 总分 the form prints (its formula: 资金得分 + every 得分, numbers only, rounded to cents) against the
    recomputed one.  Each 得分 may differ from its recomputed score by the tolerance unreported, and 27 of them
    add up: a printed 89.80 against 90.07 crosses a grade unsaid.  One error at the 总分, with both totals and the
    scores that differ, when those small differences add up beyond the tolerance.  A score that has its own error
    (differing by more, above its points, missing, not recomputable) is left to it: corrected, the total follows,
    and the return is not told its one mistake twice.  The grade is what the bureau publishes: where the printed
    total falls in another grade than the recomputed one (89.99 良 against 90.00 优), the message says both, and
    those differences are an error even within the tolerance; where only scores with errors of their own move the
    total across a grade, the 总分 says so too (the department learns there that the grade it printed changes once
    those errors are corrected), provided every score is recomputed (else the corrected total is not known)."""
    if env.form.table.total is None:
        return  # a form without a printed total (layout 1): nothing printed to disagree
    tolerance = dec(params["tolerance"])
    ev = _evaluation(env, doc)
    scored = [(None, ev.funds)] + [(i, s) for i, _, s in _rows(env, doc)]  # (index, Scored); the funds' index None
    given = [s.reported for _, s in scored if s.reported is not None]
    if not given:
        return  # the formula shows nothing yet
    small, explained = [], 0
    for i, s in scored:
        if s.reported is None or s.score is None or _above(s) or abs(s.reported - s.score) > tolerance:
            explained += s.reported != s.score
        elif s.reported != s.score:
            small.append(("/funds/score" if i is None else f"/indicators/{i}/score", s))
    unexplained = sum((s.reported - s.score for _, s in small), Decimal(0))
    printed = round2(sum(given, Decimal(0)))
    from ._scoring import grade_of, scoring_of

    table = scoring_of(env.fw)
    printed_grade = grade_of(printed, table)
    crosses = printed_grade != ev.grade
    # the printed grade changes once the rows' own errors are corrected: said at the 总分 (the grade is what the
    # bureau publishes), but only where every score is recomputed, so the corrected total is known
    by_errors = crosses and explained and all(s.score is not None for _, s in scored)
    if abs(unexplained) <= tolerance and not (crosses and unexplained and not explained) and not by_errors:
        return
    shown = []
    for path, s in small[:_DIFFERING_SHOWN]:
        title, title_en = env.form.title_of(path, fw=env.fw), env.form.title_of(path, "en")
        shown.append((f"{title} {_typed(s.reported)}（重算 {_shown(s.score)}）",
                      f"{title_en} {_typed(s.reported)} (recomputed {_shown(s.score)})"))
    more = len(small) - len(shown)
    zh = "、".join(d[0] for d in shown) + (f" 等 {len(small)} 处" if more > 0 else "")
    en = "; ".join(d[1] for d in shown) + (f" and {more} more" if more > 0 else "")
    detail = [f"。以下得分各自相差不超过 {_shown(tolerance)}，合计相差 {_shown(abs(unexplained))}：{zh}；请按重算结果填写",
              f". These scores each differ by no more than {_shown(tolerance)}, together by "
              f"{_shown(abs(unexplained))}: {en}; enter the recomputed scores"]
    if by_errors and not small:
        detail = [f"。相差来自 {explained} 处得分的错误（见各处）：改正后总分为 {_shown(ev.total)}，等级为“{ev.grade}”",
                  f". The difference comes from {explained} score error(s) reported at their cells: corrected, "
                  f"the total is {_shown(ev.total)}, graded {table.grade_en(ev.grade)}"]
    elif explained:
        detail[0] += f"（另有 {explained} 处得分的错误见各处）"
        detail[1] += f" (the errors of {explained} other score(s) are reported at their cells)"
    grades = (f"；按填写的得分评为“{printed_grade}”，重算为“{ev.grade}”", f"; graded {table.grade_en(printed_grade)} as "
              f"printed, {table.grade_en(ev.grade)} recomputed") if crosses else ("", "")
    yield env.problem(rule, env.form.table.total.path, field=env.form.table.total.label,
                      field_en=env.form.table.total.label_en, value=_shown(printed), expected=_shown(ev.total),
                      other=_shown(abs(printed - ev.total)), detail=detail[0], detail_en=detail[1],
                      grades=grades[0], grades_en=grades[1])


def _sourced(doc) -> bool:
    """_funds_breakdown's test of where it may find something: some amount of the funds' sources (财政拨款, 上年结转,
    其他资金) given, other than one source alone holding the very total (the same number, of the same type: as its
    Decimal, the same; nearly every return, its 财政拨款 the whole of its funds)."""
    funds = doc.get("funds")
    sources = funds.get("sources") if isinstance(funds, dict) else None
    if not isinstance(sources, dict):
        return False
    given = [s for s in map(sources.get, _SOURCES) if isinstance(s, dict)]
    for key in _AMOUNTS:
        parts = [v for v in (s.get(key) for s in given) if v is not None]
        if not parts:
            continue
        total = funds.get(key)
        if len(parts) == 1 and type(parts[0]) is type(total) and type(total) in (int, float) and parts[0] == total:
            continue
        return True
    return False


def _points_differ(doc, ev: Evaluation, total: Decimal, env) -> bool:
    """_points_total's test: the funds' 分值 and every indicator's given, and their sum not `total`; not where the
    reader found approved rows cleared, deleted or added (``template.locked_row_cleared``,
    ``template.locked_rows_count``: their 分值 not read or added, that cause said once)."""
    if env.cache.get("rows_off_record"):
        return False
    funds = doc.get("funds")
    first = dec(funds.get("points")) if isinstance(funds, dict) else None
    points = list(map(_POINTS, ev.indicators))
    # (by their types: ``None in`` a list of Decimals compares each Decimal with None, an ABC isinstance apiece)
    return first is not None and _NONE not in map(type, points) and sum(points, first) != total


_POINTS = attrgetter("points")
_NONE = type(None)


def _blank_funds_score(doc) -> bool:
    """_score_required's test of the funds' 得分."""
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    return _blank(funds.get("score"))


ROW_SCORES[FORM] = _rows
SWEEP_NAMES.update(dec=dec, _evaluation=_evaluation, _points_differ=_points_differ, _blank_funds_score=_blank_funds_score, _unscorable=_unscorable,
                   _sourced=_sourced)
