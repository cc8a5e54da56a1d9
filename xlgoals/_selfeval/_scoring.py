"""Scoring a self-evaluation, with the rules as data (``schema/scoring.csv``) and exact decimals.

Each row of the scoring table names what it applies to (``funds``, comparators such as
``>= >``, ``qualitative`` or ``total``), a condition and a score, both small arithmetic
expressions over the row's values (``target``, ``actual``, ``points``, ``reported``,
``executed``, ``full_year_budget``, ``grade``, ``total``).  The first row whose condition holds
decides.  Qualitative rows keep the department's score and give the band it must lie in;
``total`` rows give the grade of the 总分.  Every figure is a Decimal: amounts and 执行率 are
never binary floats, and scores are rounded to 2 decimals, half up, and kept within
[0, points].  The table is checked when it loads; a fault is a ConfigError naming file and line.
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cached_property, lru_cache

from .._decimals import _WIDE, CENT, dec, number, ratio, round2  # noqa: F401  (re-exported: the scoring's arithmetic)
from .._errors import ConfigError
from .._resources import data_dir, load_as_given, read_config_csv
from .._text import Bilingual, at, line_of

COLUMNS = ("case", "applies_to", "when", "score", "band", "formula_zh", "formula_en")
#: ... and after them, optionally (a table written before it was added still loads): a total row's grade in English
OPTIONAL = ("grade_en",)
_COMPARATORS = ("=", ">=", ">", "<=", "<")
#: Each scope's variables, in the order its compiled functions take them as arguments.
_ARGUMENTS = {
    "funds": ("points", "executed", "full_year_budget", "initial_budget", "reported"),
    "indicator": ("points", "target", "actual", "reported"),
    "qualitative": ("grade", "points", "reported"),
    "total": ("total",),
}
_VARIABLES = {scope: set(names) for scope, names in _ARGUMENTS.items()}
#: a constant's name from its text (_Decimals): ``0.8`` -> ``_d0_8``, ``1e+16`` -> ``_d1ep16``; one character for each
#: (so one name for one text, bound to one Decimal however many expressions of a chain hold it)
_CONSTANT_NAME = str.maketrans({".": "_", "+": "p", "-": "m", "E": "e"})
_FUNCTIONS = {"min": min, "max": max}
_NODES = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.Not, ast.UnaryOp, ast.USub, ast.BinOp, ast.Add, ast.Sub,
          ast.Mult, ast.Div, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.IfExp, ast.Call,
          ast.Name, ast.Load, ast.Constant)


class _Expr:
    """A checked arithmetic expression, evaluated over Decimals: compiled as a function of its scope's variables in
    ``_ARGUMENTS`` order, ``expr.fn(points, target, actual, reported)`` (a score), or into its rules' chain (a
    condition: ScoringTable.decide); `source` and `names` are what both are compiled from."""

    def __init__(self, text: str, variables: set[str], where: str, arguments: tuple[str, ...] = ()):
        self.text = text
        try:
            tree = ast.parse(text.strip(), mode="eval")
        except SyntaxError:
            raise ConfigError(at(where, f"表达式“{text}”无法解析", f"the expression '{text}' cannot be parsed")) from None
        for node in ast.walk(tree):
            if not isinstance(node, _NODES):
                raise ConfigError(at(where, f"表达式“{text}”含有不允许的写法（{type(node).__name__}）",
                                     f"the expression '{text}' uses what is not allowed ({type(node).__name__})"))
            if isinstance(node, ast.Name) and node.id not in variables and node.id not in _FUNCTIONS:
                known = ", ".join(sorted(variables))
                raise ConfigError(at(where, f"表达式“{text}”中的“{node.id}”未知（可用：{known}）",
                                     f"'{node.id}' in the expression '{text}' is unknown (known: {known})"))
            if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
                                                   and not node.keywords):
                raise ConfigError(at(where, f"表达式“{text}”只能调用 min 和 max",
                                     f"the expression '{text}' may call min and max only"))
            if isinstance(node, ast.Constant) and not isinstance(node.value, (int, float, str)):
                raise ConfigError(at(where, f"表达式“{text}”含有不允许的常量",
                                     f"the expression '{text}' holds a constant that is not allowed"))
        # checked above: only arithmetic, comparisons, min/max and the row's names; numbers become Decimals, made
        # once here (the expression is evaluated for every row of every return), as are the names it may call
        constants = _Decimals()
        body = ast.fix_missing_locations(constants.visit(tree))
        self.names = {"__builtins__": {}, **_FUNCTIONS, **constants.made}
        #: the expression's Python source, its constants as names bound in `names` (for the compiled chains): named
        #: by their text, so that a chain's source, and the key its compiled code is kept under, is the same
        #: whatever else was read before it
        self.source = ast.unparse(body.body)
        self._arguments = arguments

    def __getattr__(self, name: str):
        """``fn``, compiled when first called for (a score's: a table's conditions run in its chains, and of its
        scores one a check uses, the funds', ``score_funds``; a run compiles only those it calls)."""
        if name != "fn":
            raise AttributeError(name)
        arguments = self.__dict__.get("_arguments")
        if arguments is None:
            raise AttributeError(name)
        self.fn = fn = _function(f"lambda {', '.join(arguments)}: ({self.source})", self.names) if arguments else None
        return fn


class _Decimals(ast.NodeTransformer):
    """Numeric constants as exact Decimals: ``0.8`` -> a name (``_d0_8``, _CONSTANT_NAME) bound to ``Decimal('0.8')``
    in `made`.  No variable of the table starts with ``_`` (each is checked to be one of the row's), so none is
    shadowed."""

    def __init__(self):
        self.made: dict[str, Decimal] = {}

    def visit_Constant(self, node):
        if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            text = repr(node.value)
            name = "_d" + text.translate(_CONSTANT_NAME)
            self.made[name] = Decimal(text)
            return ast.copy_location(ast.Name(name, ast.Load()), node)
        return node


def _function(source: str, names: dict):
    """A function compiled from our own generated source over checked expressions (no names but the scope's,
    min, max and Decimal constants; no builtins)."""
    return eval(compile(source, "<scoring>", "eval"), names)  # noqa: S307 (checked expressions only)


def _chain(rules: list[ScoringRule], arguments: tuple[str, ...]):
    """One function deciding which rule of `rules` applies, as ScoringTable.decide says (the first whose
    condition holds; a condition that raises ArithmeticError or TypeError does not hold), compiled from the
    conditions' sources: it takes the scope's variables as arguments and returns the rule's index, or -1."""
    names: dict = {"__builtins__": {}, **_FUNCTIONS, "_Raised": (ArithmeticError, TypeError)}
    lines = [f"def chain({', '.join(arguments)}):"]
    for i, rule in enumerate(rules):
        names.update(rule.when.names)
        lines += ["    try:", f"        if ({rule.when.source}):", f"            return {i}",
                  "    except _Raised:", "        pass"]
    lines.append("    return -1")
    from .. import _diskcache  # (kept as the row scorer's is: the same source run after run)

    exec(_diskcache.compiled("\n".join(lines), "<xlgoals scoring chain>"), names)  # noqa: S102 (checked expressions)
    return names["chain"]


def _number_lines(name: str, key: str) -> list[str]:
    """The generated lines that read the row's `key` as a Decimal (or None) into `name`, a float through _FLOATS."""
    return [f"        v = get({key!r})", "        if type(v) is float:", f"            {name} = _FLOATS.get(v)",
            f"            if {name} is None:", f"                {name} = _num(v)", "        elif type(v) is int:",
            f"            {name} = _Decimal(v)", "        else:", f"            {name} = None if v is None else _num(v)"]


def _row_scorer(table: "ScoringTable"):
    """``score_rows(items)``: the Scored of each indicator of `items` (dicts), as ``score_indicator``'s docstring
    says, generated once per table: for each comparator, one function deciding the rule
    and computing its score (the table's conditions and scores inlined, in order: a condition that raises
    ArithmeticError or TypeError does not hold, a score that raises gives no score), called once per row."""
    names: dict = {"__builtins__": {}, **_FUNCTIONS, "_Raised": (ArithmeticError, TypeError), "_FAILED": _FAILED,
                   "_num": _num, "_FLOATS": _FLOATS, "_Decimal": Decimal, "_Scored": Scored, "_ZERO": _ZERO, "_CENT": CENT, "_UP": ROUND_HALF_UP,
                   "_WIDE": _WIDE, "_MEMO": {}, "_MEMO_KEPT": _MEMO_KEPT, "_PLAIN": _PLAIN, "_no_float_zero": _no_float_zero, "len": len, "min": min, "max": max, "tuple": tuple, "type": type, "float": float, "int": int, "_COMPARATORS": _COMPARATORS,
                   "TypeError": TypeError}  # (score_rows: a row holding a list or a dict is no memo key)
    arguments = ", ".join(_ARGUMENTS["indicator"])
    lines, by_comp = [], {}
    for n, comp in enumerate(c for c in _COMPARATORS if c in table._by):
        rules = table._by[comp]
        names[f"_R{n}"] = tuple(rules)
        lines.append(f"def _k{n}({arguments}):")
        for i, rule in enumerate(rules):
            names.update(rule.when.names)
            names.update(rule.score.names)
            lines += ["    try:", f"        if ({rule.when.source}):", "            try:",
                      f"                return _R{n}[{i}], ({rule.score.source})", "            except _Raised:",
                      f"                return _R{n}[{i}], _FAILED", "    except _Raised:", "        pass"]
        lines.append("    return None, None")
        by_comp[comp] = f"_k{n}"
    names["_QUAL"] = table._chains.get("qualitative")
    lines += [
        "_BY = {" + ", ".join(f"{c!r}: {f}" for c, f in by_comp.items()) + "}",
        "def _one(get):",
        "    if True:",
        *_number_lines('points', 'points'),
        *_number_lines('reported', 'score'),
        "        if points is None:",
        "            return _Scored(None, None, None, reported)",
        "        comp = get('comparator')",
        "        if comp == 'qualitative':",
        "            grade = get('grade')",
        "            rule = None",
        "            if grade and _QUAL is not None:",
        "                k = _QUAL[1](grade, points, reported)",
        "                rule = _QUAL[0][k] if k >= 0 else None",
        "            off = None",
        "            if rule is not None and reported is not None:",
        "                try:",
        "                    off = not rule.band.holds(reported, points)",
        "                except _Raised:",
        "                    pass",
        "            score = None if reported is None else min(max(reported.quantize(_CENT, _UP, _WIDE), _ZERO), points)",
        "            return _Scored(score, rule, points, reported, off_band=off, short=score is not None and score < points)",
        *_number_lines('target', 'value'),
        *_number_lines('actual', 'actual'),
        "        fn = _BY.get(comp) if comp in _COMPARATORS else None",
        "        if fn is None or target is None or actual is None:",
        "            return _Scored(None, None, points, reported, None, target, actual)",
        "        rule, value = fn(points, target, actual, reported)",
        "        if rule is None or value is _FAILED:",
        "            return _Scored(None, rule, points, reported, None, target, actual)",
        "        score, exact = min(max(value.quantize(_CENT, _UP, _WIDE), _ZERO), points), min(max(value, _ZERO), points)",
        "        return _Scored(score, rule, points, reported, exact, target, actual, short=score < points or exact < points)",
        # a row as another row, or another return, had it (its comparator, 分值, 得分, and its grade or its target and
        # actual, each with its type: 1, 1.0 and True score apart) is scored once: the Scored is shared (never changed
        # after it is made).  Kept only for values of JSON's own types (a Decimal 1.0 and 1 are equal keys, and not
        # the same Decimal), and not for a float 0 (0.0 and -0.0 are equal keys too; an int 0 is kept, its type in the
        # key); a row holding what cannot be a key (a list, in a JSON document) is scored as it comes.  Bounded: a full memory is emptied, so a long batch keeps the rows of its latest returns
        "def score_rows(items):",
        "    out = []",
        "    add = out.append",
        "    for ind in items:",
        "        get = ind.get",
        "        comp, p, r = get('comparator'), get('points'), get('score')",
        "        if comp == 'qualitative':",
        "            g = get('grade')",
        "            key = (g, p, r, type(g), type(p), type(r))",
        "        else:",
        "            v, a = get('value'), get('actual')",
        "            key = (comp, v, a, p, r, type(comp), type(v), type(a), type(p), type(r))",
        "        try:",
        "            s = _MEMO.get(key)",
        "        except TypeError:",
        "            add(_one(get))",
        "            continue",
        "        if s is None:",
        "            s = _one(get)",
        "            if _PLAIN.issuperset(key[3:] if comp == 'qualitative' else key[5:])"
        " and (0.0 not in key or _no_float_zero(key)):",
        "                if len(_MEMO) >= _MEMO_KEPT:",
        "                    _MEMO.clear()",
        "                _MEMO[key] = s",
        "        add(s)",
        "    return tuple(out)",
    ]
    from .. import _diskcache

    exec(_diskcache.compiled("\n".join(lines), "<xlgoals scoring rows>"), names)  # noqa: S102 (checked expressions)
    return names["score_rows"]


def _no_float_zero(key: tuple) -> bool:
    """No float 0 among a row's key (``_row_scorer``): 0.0 and -0.0 are equal keys, and read as other numbers (an int
    0 and False are kept: their types, in the key, keep them apart from each other and from the floats)."""
    return not any(v == 0 and type(v) is float for v in key)


_PLAIN = frozenset({str, int, float, bool, type(None)})  # the types whose equal values score alike (``_row_scorer``)
_MEMO_KEPT = 4096  # the rows a table's scorer remembers (``_row_scorer``): the 分值/得分 pairs a year's returns repeat
_FAILED = object()  # a score expression that raised ArithmeticError or TypeError: the row gets no score


@dataclass(frozen=True)
class Band:
    low: Decimal
    high: Decimal
    high_inclusive: bool

    def holds(self, score: Decimal, points: Decimal) -> bool:
        lo, hi = points * self.low, points * self.high
        return lo <= score and (score <= hi if self.high_inclusive else score < hi)

    def shown(self, points: Decimal) -> str:
        """The band as it is checked, exactly: 60 % of 2.22 is 1.332 (rounded, [1.33, 1.78) would refuse 1.33)."""
        from .._problems import number_text

        def exact(d: Decimal) -> str:
            return number_text(d)  # as every message writes a number: digits, never 1E+15
        return f"[{exact(points * self.low)}, {exact(points * self.high)}{']' if self.high_inclusive else ')'}"


@dataclass(frozen=True)
class ScoringRule:
    case: str
    applies_to: tuple[str, ...]
    when: _Expr
    score: _Expr | None  # None for total rows, whose score column is the grade
    grade: str
    band: Band | None
    formula_zh: str
    formula_en: str
    where: str
    grade_en: str = ""  # a total row's grade in English (the English messages' name of it); "" elsewhere


def _band(text: str, where: str) -> Band | None:
    text = text.strip()
    if not text:
        return None
    try:
        assert text[0] == "[" and text[-1] in "])"
        low, high = (Decimal(x.strip()) for x in text[1:-1].split(","))
        assert 0 <= low <= high <= 1
    except (AssertionError, ValueError, InvalidOperation):
        raise ConfigError(at(where, f"区间“{text}”应写成 [0.8, 1] 或 [0.6, 0.8) 的形式，取值在 0 与 1 之间",
                             f"the band '{text}' must be written as [0.8, 1] or [0.6, 0.8), within 0 and 1")) from None
    return Band(low, high, text[-1] == "]")


class ScoringTable:
    """The rows of the scoring table, in order, by what they apply to."""

    def __init__(self, rules: list[ScoringRule], source: str):
        self.rules, self.source = rules, source
        self._by: dict[str, list[ScoringRule]] = {}
        for rule in rules:
            for key in rule.applies_to:
                self._by.setdefault(key, []).append(rule)
        #: applies_to -> (its rules, their compiled chain): what `decide` runs for every row of every return
        self._chains = {key: (tuple(rs), _chain(rs, _ARGUMENTS[_scope(key)])) for key, rs in self._by.items()}
        #: indicators (dicts) -> a tuple of their Scored: every row of a return scored by one generated function
        #: (``_row_scorer``), not by score_indicator's calls to decide, the chain, the score and the clamp per row
        self.score_rows = _row_scorer(self)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> ScoringTable:
        return load_as_given(_load, path)

    def grade_en(self, grade: str) -> str:
        """A total's grade (优) as the English messages name it: its row's grade_en (excellent); the grade itself
        where no row gives one (a table written before the column was added)."""
        return next((r.grade_en for r in self.rules if r.grade == grade and r.grade_en), grade)

    def decide(self, applies: str, *values) -> ScoringRule | None:
        """The rule that applies, given the scope's values in ``_ARGUMENTS`` order: the first of `applies`'s rules
        whose condition holds (one that raises ArithmeticError or TypeError does not hold); None for none."""
        found = self._chains.get(applies)
        if found is None:
            return None
        i = found[1](*values)
        return found[0][i] if i >= 0 else None


def scoring_of(fw) -> ScoringTable:
    """The scoring table a return of framework `fw` is scored by: the framework's own (its file's "scoring"), else
    the packaged ``schema/scoring.csv``."""
    return ScoringTable.load(getattr(fw, "scoring", "") or None)


@lru_cache(maxsize=4)
def _load(path: str | None, version: tuple | None = None) -> ScoringTable:  # (version: the cache's key)
    path = path or str(data_dir("schema") / "scoring.csv")
    rules = []
    for line, v in read_config_csv(path, Bilingual("计分规则表", "scoring table"), COLUMNS, OPTIONAL):
        where = line_of(path, line)
        applies = tuple(v["applies_to"].split())
        if not applies:
            raise ConfigError(at(where, "“applies_to”不能为空", "'applies_to' cannot be blank"))
        if set(applies) <= set(_COMPARATORS):
            scope = "indicator"
        elif len(applies) == 1 and applies[0] in ("funds", "qualitative", "total"):
            scope = applies[0]
        else:  # (_scope below gives the same answers for the keys these allow)
            raise ConfigError(at(where, f"“applies_to”应为 funds、qualitative、total 或比较符（{' '.join(_COMPARATORS)}）",
                                 f"'applies_to' must be funds, qualitative, total or comparators "
                                 f"({' '.join(_COMPARATORS)})"))
        names = _VARIABLES[scope]
        if not v["formula_zh"] or not v["formula_en"] or not v["case"]:
            raise ConfigError(at(where, "case、formula_zh、formula_en 不能为空",
                                 "case, formula_zh and formula_en cannot be blank"))
        band = _band(v["band"], where)
        if (scope == "qualitative") != (band is not None):
            raise ConfigError(at(where, "只有 qualitative 行有区间（band），且必须有",
                                 "a band is given on the qualitative rows, and on them only"))
        if v["grade_en"] and scope != "total":
            raise ConfigError(at(where, "只有 total 行有等级的英文名（grade_en）",
                                 "grade_en (a grade's English name) is given on the total rows only"))
        rules.append(ScoringRule(
            case=v["case"], applies_to=applies, when=_Expr(v["when"] or "True", names | {"True"}, where),
            score=None if scope == "total" else _Expr(v["score"], names, where, _ARGUMENTS[scope]),
            grade=v["score"] if scope == "total" else "", band=band,
            formula_zh=v["formula_zh"], formula_en=v["formula_en"], where=where, grade_en=v["grade_en"]))
    return ScoringTable(rules, path)


def _scope(key: str) -> str:
    """The scope of an ``applies_to`` key: a comparator's is ``indicator``."""
    return "indicator" if key in _COMPARATORS else key


# Scoring ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class Scored:
    """A recomputed score: None when it cannot be computed (a missing or text actual, no grade…)."""

    score: Decimal | None
    rule: ScoringRule | None = None
    points: Decimal | None = None
    reported: Decimal | None = None
    #: the score before rounding to cents (within [0, points]): a target missed by 0.01 % scores full points in
    #: cents, and only this says it was missed (an indicator's, where its score is computed)
    exact: Decimal | None = None
    #: an indicator's 年度指标值 and 实际完成值 as Decimals, where its score was looked for (a quantitative row with
    #: points): the checks read them here, not once more from the row
    target: Decimal | None = None
    actual: Decimal | None = None
    #: what the checks' sweep asks of every row, worked out once for the row (a Scored may be shared by the rows a
    #: year's returns repeat, see ``_row_scorer``): a qualitative score outside its grade's band (None: not known),
    #: and a recomputed score, or the score before rounding, below the points (None: not known)
    off_band: bool | None = field(default=None, repr=False, compare=False)
    short: bool | None = field(default=None, repr=False, compare=False)


_ZERO = Decimal(0)
#: float -> its Decimal (``dec``), for the figures every return repeats (分值 3.33, 得分 10, targets): a lookup, not the
#: float's shortest digits worked out again for each row of each return.  Not 0.0 (-0.0 is a Decimal of its own).
_FLOATS: dict = {}
_FLOATS_KEPT = 8192


def _num(value) -> Decimal | None:
    """``dec(value)``, a float's remembered (``_FLOATS``); an int's and None's told first."""
    kind = type(value)
    if kind is float:
        d = _FLOATS.get(value)
        if d is None:
            d = dec(value)
            if d is not None and value and len(_FLOATS) < _FLOATS_KEPT:
                _FLOATS[value] = d
        return d
    if kind is int:
        return Decimal(value)
    return None if value is None else dec(value)


def _clamp(value: Decimal, points: Decimal) -> Decimal:
    return min(max(round2(value), _ZERO), points)


def execution_rate(funds: dict) -> Decimal | None:
    """执行率 = executed / full_year_budget, exactly; None when it is undefined."""
    return ratio(dec(funds.get("executed")), dec(funds.get("full_year_budget")))


def score_funds(funds, table: ScoringTable) -> Scored:
    funds = funds if isinstance(funds, dict) else {}
    get = funds.get
    points, reported = _num(get("points")), _num(get("score"))
    executed, budget = _num(get("executed")), _num(get("full_year_budget"))
    if points is None or executed is None or budget is None:
        return Scored(None, None, points, reported)
    initial = _num(get("initial_budget"))
    rule = table.decide("funds", points, executed, budget, initial, reported)
    if rule is None:
        return Scored(None, None, points, reported)
    return Scored(_clamp(rule.score.fn(points, executed, budget, initial, reported), points), rule, points, reported)


def score_indicator(ind: dict, table: ScoringTable) -> Scored:
    """The recomputed score of one indicator; for a qualitative row, the department's score (its band
    is checked separately).

    Without 分值 (points): no score.  A qualitative row: the rule of its grade, its score the department's within
    [0, points].  Otherwise, with a comparator of the table's, a target and an actual: the first of the
    comparator's rules whose condition holds, and its score rounded to cents within [0, points] (``exact``: before
    rounding); a score that raises ArithmeticError or TypeError gives none.  (``ScoringTable.score_rows`` does this
    for a return's rows at once.)"""
    return table.score_rows((ind,))[0]


@dataclass(frozen=True)
class Evaluation:
    """A whole return scored: the funds, each indicator, per 一级 (``by_level1``), the 总分 and its grade."""

    funds: Scored
    indicators: tuple[Scored, ...]
    levels: tuple  # each indicator's 一级 as by_level1 keys it ("" where it is no text)
    total: Decimal
    grade: str
    rate: Decimal | None

    @cached_property
    def by_level1(self) -> dict:
        """一级 -> the sum of its indicators' recomputed scores, in the order the 一级 first appear (for the summary:
        the checks do without it)."""
        out: dict = {}
        for key, s in zip(self.levels, self.indicators):
            out[key] = out.get(key, _ZERO) + (s.score if s.score is not None else _ZERO)
        return out


def counted(s: Scored) -> Decimal:
    """What a row adds to the 总分: the recomputed score, else nothing."""
    return s.score if s.score is not None else Decimal(0)


def evaluate(doc: dict, table: ScoringTable) -> Evaluation:
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    f = score_funds(funds, table)
    given = doc.get("indicators")  # (a JSON document's may be anything: its schema error says so)
    items = [i for i in given if isinstance(i, dict)] if isinstance(given, list) else []
    scored = table.score_rows(items)
    levels = tuple([k if isinstance(k := i.get("level1"), str) else "" for i in items])
    # (a row without a score adds nothing: 0 added is left out, the sum is the same Decimal)
    total = round2(counted(f) + sum([s.score for s in scored if s.score is not None], Decimal(0)))
    return Evaluation(f, scored, levels, total, grade_of(total, table), execution_rate(funds))


def grade_of(total: Decimal, table: ScoringTable) -> str:
    rule = table.decide("total", total)
    return rule.grade if rule else ""
