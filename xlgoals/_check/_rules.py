"""Check kinds: the small functions the rule table's rows name.

Each rule-table row names a *check kind* (``required``, ``compare``, ``in_year`` …) and its
parameters as JSON.  A kind declares the parameters it takes and the ``{placeholders}`` it
supplies to messages, so the table can be checked when it loads.  Adding a rule of an
existing kind is a new table row and no code.  Checks yield Problems located by JSON
pointer; the caller maps pointers to cells.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from dataclasses import field
from functools import lru_cache

from .._form import COMPARATOR_DISPLAY, Form
from .. import _diskcache
from .._decimals import yuan
from .._form._kinds import format_number
from .._frameworks import Framework
from .._pointers import get
from .._problems import Problem
from .._record import frozen
from .._text import invisible_stripped, pasted_stripped

#: Placeholders every message may use.
COMMON_PLACEHOLDERS = frozenset({"field", "found", "expected", "sheet", "cell"})


@frozen
class CheckKind:
    """A kind of check the rule table may name: its function, parameters and the placeholders it supplies."""

    name: str
    fn: Callable | None  # None for problems raised by the reader or the schema, not by a rule
    params: dict = field(default_factory=dict)  # name -> (type, required)
    supplies: frozenset = frozenset()  # placeholders beyond COMMON_PLACEHOLDERS
    review: bool = False  # a review check (validate --review only; see xlgoals/_review)
    blank: bool = False  # reports a value left empty: an unreadable value the reader reported is no second problem
    forms: frozenset | None = None  # the form ids whose documents its rules run on (None: every form's; checks_for)
    #: Where the kind may find something, as Python expressions compiled into one sweep of a form's rows (see
    #: ``sweep_of``): `row`, true of every row it may report (names: `it` the item, `g` its get, `c` its comparator,
    #: `s` its Scored where `scored`, `P` the rule's parameters, and `setup`'s); `head`, true where it may report
    #: outside the rows.  A
    #: kind with `row` runs only where one of them holds: on most returns, none.
    row: str | None = None
    head: str | None = None
    setup: tuple = ()  # (NAME, expression) computed once per document for `row` and `head` (names as theirs, and fw)
    scored: bool = False  # `row` reads the row's Scored (`s`: the form's ROW_SCORES)
    stateful: bool = False  # `row` must see every row, once (it keeps what it has seen): not in the one test
    #: A cheaper expression true of every row `row` is true of (same names), tested in the one test of every row in
    #: its place: kinds whose guards are the same text are tested there once (``sweep_of``)
    guard: str | None = None
    #: The form ids a row of the kind runs on where it names none (``forms``), where not all of `forms`: a form the
    #: kind came to run on later is checked only by rows naming it, and a bureau's row from before keeps to the forms
    #: it ran on (None: all of `forms`)
    unnamed: frozenset | None = None


CHECKS: dict[str, CheckKind] = {
    # {printed}: what a cell prints (cell.amount_scaled: that amount in 元); {area}: where the form or its print area
    # ends (cell.outside, cell.below, cell.hidden_column, cell.outside_print_area) - not {expected}, which is the fix
    # {shown_as}: how a number's format shows it (cell.number_rounded, cell.target_format_conflict,
    # cell.actual_format_conflict), quoting the print-out where it is worked out and saying what is known of it (no
    # decimals, a unit) where it is not; {row}: the sheet row a row's problem is said of (template.locked_row_changed);
    # {meaning}: what a result's rough word makes of its figure (cell.actual_approximate: 约数, or 以上/以下 a bound)
    # {said}: the scale rule's own warning, said with what the rules find of the amount as typed (*.amount_scale_rules)
    # `points`: cell.font_tiny's size (points) below which a cell's font is too small to read on paper (the
    # reader's one threshold kept in the table; another reader row has no use for it)
    "reader": CheckKind("reader", None, params={"points": ("above_zero", False)},
                        supplies=frozenset({"detail", "advice", "checked", "printed", "area", "counted", "own",
                                            "shown_as", "row", "meaning", "said"})),
    "schema": CheckKind("schema", None, supplies=frozenset({"detail"})),
    # the review's notice on a return it could not run on, its framework not loaded (``_check._validate``)
    "review_framework": CheckKind("review_framework", None, supplies=frozenset({"detail"})),
}


def check(name: str, params: dict | None = None, supplies=(), review: bool = False, forms=(), blank: bool = False,
          row: str | None = None, head: str | None = None, setup=(), scored: bool = False, stateful: bool = False,
          guard: str | None = None, unnamed=()):
    """Register a check kind; with `forms` (form ids) its rules run only on those forms' documents (with `unnamed`,
    a row naming no forms runs on those of them only); `blank` for
    a kind that reports values left empty (a value the reader could not take is blank to the rules, and already
    reported where it stands); `row`, `head`, `setup`, `scored`, `stateful` and `guard`: where it may find something
    (CheckKind)."""
    def register(fn):
        CHECKS[name] = CheckKind(name, fn, params or {}, frozenset(supplies), review, blank,
                                 frozenset(forms) if forms else None, row, head, tuple(setup), scored, stateful, guard,
                                 frozenset(unnamed) if unnamed else None)
        return fn
    return register


@frozen
class Env:
    """What a check sees besides the document: the form, the framework and the rule table."""

    form: Form
    fw: Framework
    table: object  # RuleTable
    review: object = None  # the review context (xlgoals._review.Review), for review checks only
    cache: dict = field(default_factory=dict, compare=False, repr=False)  # what the checks of one run share

    def problem(self, rule, path: str, **kw) -> Problem:
        """A problem at `path`, titled as the form titles it (a check naming another field gives field_en too)."""
        if "field" not in kw:
            kw["field"], kw["field_en"] = self.form.title_of(path, fw=self.fw), self.form.title_of(path, "en")
        titles = self.cache.get("titles")
        if titles is None:  # {level1_title}, {level2_title}, {name_title}: the column as the sheet heads it (一级目标,
            # 三级目标 in shanghai-2020); once a run
            titles = self.cache["titles"] = {f"{c.key}_title": c.label for c in self.form.columns(self.fw)
                                             if c.key in _TITLED}
        return self.table.problem(rule.code, path=path, **{**titles, **kw})


_TITLED = ("level1", "level2", "name")


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _items(env: Env, doc) -> list[tuple[int, dict]]:
    """(index, item) for each item of the document that is an object; computed once per run of the checks."""
    found = env.cache.get("items")
    if found is None:
        items = get(doc, env.form.table.item_path) if isinstance(doc, dict) else None
        found = [(i, it) for i, it in enumerate(items) if isinstance(it, dict)] if isinstance(items, list) else []
        env.cache["items"] = found
    return found


def _item_path(env: Env, i: int, key: str) -> str:
    return f"{env.form.table.item_path}/{i}/{key}"


#: form id -> (env, doc) -> [(index, item, its Scored)]: the rows as a form's scored kinds see them (``scored``).
ROW_SCORES: dict[str, Callable] = {}
#: What the `row`, `head` and `setup` expressions of kinds registered elsewhere may call (``dec``, a form's own).
SWEEP_NAMES: dict = {}


def sweep_of(checks: tuple, form_id: str):
    """One function, generated from the `row` and `head` expressions of the kinds of `checks` ((rule, params, fn)
    as ``RuleTable.checks_for`` gives them), that goes over a document's rows once and says which checks may find
    something: ``sweep(doc, env)`` -> a bool per check (True for a kind without `row`); where an expression raised,
    each kind's tested apart (``_each_lines``: the kinds whose own raised run, and say what they say of such a
    value).  None when no kind has a `row`.  Most
    returns have nothing to report: the checks with nothing to say are not run, their row loops not gone over."""
    swept = [(k, CHECKS[rd.check], params) for k, (rd, params, _) in enumerate(checks) if _swept(CHECKS[rd.check])]
    if not swept:
        return None
    scored = any(kind.scored for _, kind, _ in swept)
    if scored and form_id not in ROW_SCORES:
        return None
    names: dict = {**SWEEP_NAMES, **_BLANK_NAMES, "_blank": _blank, "_blanks": _blanks, "placeholder_texts": placeholder_texts,
                   "placeholder_key": placeholder_key, "placeholder_keys": placeholder_keys,
                   "placeholder_of": placeholder_of,
                   "reason_missing": reason_missing, "_CD": COMPARATOR_DISPLAY, "_items": _items,
                   "_ROWS": ROW_SCORES.get(form_id), "_get": get, "_OPS": _OPS,
                   "_visible": pasted_stripped}
    setup, heads, rows, every = [], [], [], []
    computed: dict[str, str] = {}  # a setup expression naming nothing of its kind's own -> the name computed once
    for k, kind, params in swept:
        own = {"P": f"_p{k}"}

        def mangled(expr: str, own=own) -> str:
            return re.sub(r"\b(" + "|".join(own) + r")\b", lambda m: own[m.group(1)], expr)
        names[f"_p{k}"] = params
        for n, e in kind.setup:  # (in order: an expression may name the setup before it)
            e = mangled(e)
            if e in computed:  # the same value for another kind (the document's Evaluation): computed once
                own[n] = computed[e]
            else:
                own[n] = f"_s{k}_{n}"
                setup.append(f"        {own[n]} = {e}")
                if not re.search(r"\b_[ps]\d+", e):  # (one naming a parameter is its kind's alone)
                    computed[e] = own[n]
        heads.append(f"        h{k} = bool({mangled(kind.head)})" if kind.head else f"        h{k} = False")
        if kind.row:
            if kind.stateful:
                every.append((k, mangled(kind.row)))
            else:
                rows.append((k, mangled(kind.row), mangled(kind.guard or kind.row)))
    found = ", ".join(f"h{k}" if _swept(CHECKS[rd.check]) else "True" for k, (rd, _, _) in enumerate(checks))
    loop = [] if not (rows or every) else [
        "        for i, it, s in _ROWS(env, doc):" if scored else "        for i, it in _items(env, doc):",
        "            g = it.get", "            c = g('comparator')",
        # a row none of the kinds may report (nearly every row of nearly every return) is passed by one test
        *[f"            if not h{k} and ({e}):\n                h{k} = True" for k, e in every],
        "            if " + (" or ".join(f"({e})" for e in dict.fromkeys(e for _, _, e in rows)) or "False") + ":",
        *[f"                if not h{k} and ({e}):\n                    h{k} = True" for k, e, _ in rows]]
    lines = ["def sweep(doc, env):", "    try:", "        fw = env.fw", *setup, *heads, *loop,
             f"        return ({found},)", "    except Exception:", "        return _each(doc, env)",
             *_each_lines(checks, swept)]
    exec(_diskcache.compiled("\n".join(lines), f"<xlgoals sweep {form_id}>"), names)  # noqa: S102 - our own expressions
    return names["sweep"]


def _each_lines(checks: tuple, swept: list) -> list[str]:
    """``_each(doc, env)``, the sweep where one of its expressions raised: each kind's setup, head and row tested
    apart, a kind whose own raised said to be one that may find something (its check runs, and says what it says
    of such a value), the others as the sweep says them."""
    lines = ["def _each(doc, env):", "    fw = env.fw"]
    for k, kind, _ in swept:
        own = {"P": f"_p{k}", **{n: f"_s{k}_{n}" for n, _ in kind.setup}}

        def mangled(expr: str, own=own) -> str:
            return re.sub(r"\b(" + "|".join(own) + r")\b", lambda m: own[m.group(1)], expr)
        lines += ["    try:", *[f"        {own[n]} = {mangled(e)}" for n, e in kind.setup],
                  f"        h{k} = bool({mangled(kind.head)})" if kind.head else f"        h{k} = False"]
        if kind.row:
            lines += [f"        if not h{k}:",
                      "            for i, it, s in _ROWS(env, doc):" if kind.scored else
                      "            for i, it in _items(env, doc):",
                      "                g = it.get", "                c = g('comparator')",
                      f"                if {mangled(kind.row)}:", f"                    h{k} = True", "                    break"]
        lines += ["    except Exception:", f"        h{k} = True"]
    found = ", ".join(f"h{k}" if _swept(CHECKS[rd.check]) else "True" for k, (rd, _, _) in enumerate(checks))
    return [*lines, f"    return ({found},)"]


def _swept(kind: CheckKind) -> bool:
    """The kind says where it may find something (``sweep_of``): in the rows, or outside them only (a `head`)."""
    return bool(kind.row or kind.head)


#: A text whose first character after the spaces is below the soft hyphen (ASCII and Latin-1) or a CJK ideograph
#: surely shows (none of them is among _text's invisible characters): ``_blank`` and BLANK_TEST tell it from these.
_SHOWN_BELOW, _CJK_FIRST, _CJK_LAST = "\u00ad", "\u3400", "\u9fff"


def _blank(v) -> bool:
    """Nothing there: None, or text of nothing but spaces and invisible characters (a zero-width space)."""
    if v is None:
        return True
    if not isinstance(v, str):
        return False
    s = v.strip()
    if not s:
        return True
    # a text whose first character surely shows is not blank, without a pattern run over it
    c = s[0]
    if c < _SHOWN_BELOW or _CJK_FIRST <= c <= _CJK_LAST:
        return False
    return not invisible_stripped(s).strip()


#: ``_blank(x)`` as an expression for generated code (names: _BLANK_NAMES): a text whose first character surely
#: shows is told without the call.  ``{0}`` is a local name; ``_y`` is taken.  BLANK_TEXT: its test of a value
#: that is not None (for code that fetches the value in its own test of None).
BLANK_TEXT = ("isinstance({0}, str) and (not (_y := {0}.strip())"
              " or not (_y[0] < _SHOWN_BELOW or _CJK_FIRST <= _y[0] <= _CJK_LAST) and _blank({0}))")
BLANK_TEST = "{0} is None or " + BLANK_TEXT
_BLANK_NAMES = {"_SHOWN_BELOW": _SHOWN_BELOW, "_CJK_FIRST": _CJK_FIRST, "_CJK_LAST": _CJK_LAST}


def _shown(v) -> str:
    return format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


def _shown_at(env: Env, path: str, v) -> tuple[str, str | None]:
    """(zh, en) of a value as a message writes it: a number in an amount field as money (62,800,000.00 元),
    anything else as it is (en None)."""
    f = env.form.find_field(path)
    if f is not None and f.kind == "amount" and isinstance(v, (int, float)) and not isinstance(v, bool):
        return yuan(v)
    return _shown(v), None


@check("required", {"paths": ("pointers", False)}, blank=True, supplies=("detail",),
       setup=(("BLANKS", "_blanks(tuple(P.get('paths') or env.form.required_paths))"),), head="BLANKS(doc)")
def _required(rule, params, doc, env):
    merged = env.cache.get("merged_over") or {}
    for path in _blanks(tuple(params.get("paths") or env.form.required_paths))(doc):
        yield env.problem(rule, path, **_merged_over(merged.get(path)))


def _merged_over(found) -> dict:
    """What a required field's message adds where its cell lies under another's merge (``Sources.merged_over``: the
    merged cell, zh and en): ``{detail}``, that it cannot be filled in there until unmerged."""
    if found is None:
        return {}
    zh, en = found
    return {"detail": f"（其单元格被合并进{zh}的合并单元格中，无法填写，屏幕和打印的表上也不显示；请取消合并后填写）",
            "detail_en": f" (its cell lies under the merged cell of {en}: it can be neither filled in nor seen on "
                         "screen or paper; unmerge the cells and fill it in)"}


_BLANKS: dict = {}


def _blanks(paths: tuple):
    """A function generated for `paths` (pointers): ``blanks(doc)`` -> those of them whose value is blank (``_blank``
    of ``get``), in order.  A pointer of object keys only is looked up inline, the others by ``get``."""
    found = _BLANKS.get(paths)
    if found is None:
        lines = ["def blanks(doc):", "    out = None"]
        for n, path in enumerate(paths):
            parts = path.strip("/").split("/")
            if any(p.isdigit() for p in parts):  # a list index may be a step: get knows lists
                lines.append(f"    v = _get(doc, _PATHS[{n}])")
            else:
                lines.append("    v = doc")
                for part in parts:
                    lines.append(f"    v = v.get({part!r}) if isinstance(v, dict) else None")
            lines += [f"    if {BLANK_TEST.format('v')}:",
                      f"        out = [*(out or ()), _PATHS[{n}]]"]
        lines.append("    return out or ()")
        names = {"_get": get, "_blank": _blank, "_PATHS": paths, **_BLANK_NAMES}
        exec(_diskcache.compiled("\n".join(lines), "<xlgoals required>"), names)  # noqa: S102 - from the rule's pointers
        found = _BLANKS[paths] = names["blanks"]
    return found


#: A compare rule's `op` as the messages write it: in Chinese as the forms' dropdowns show comparators
#: (COMPARATOR_DISPLAY: ＜ ＞ ＝, as every other zh message), in English as the English messages do (≤ ≥ < > =)
_OP_SHOWN = {op: COMPARATOR_DISPLAY[op] for op in ("<=", "<", ">=", ">", "=")}
_OP_SHOWN_EN = {"<=": "≤", "<": "<", ">=": "≥", ">": ">", "=": "="}
_OPS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b, "=": lambda a, b: a == b}


#: ``compare``'s `head`: both values there and not both numbers, or both texts (dates), that hold: where they hold it
#: has nothing to say (on nearly every return), and where a value is missing (a pointer another form's documents
#: hold: monitor.* on a goal table) neither
_COMPARE_HEAD = ("(_l := _get(doc, P['left'])) is not None and (_r := _get(doc, P['right'])) is not None"
                 " and not ((isinstance(_l, (int, float)) and isinstance(_r, (int, float))"
                 " or isinstance(_l, str) and isinstance(_r, str)) and OP(_l, _r))"
                 # right_positive: nothing to say where `right` is not a number above 0 (a budget of 0: budget_zero's)
                 " and (not RPOS or (isinstance(_r, (int, float)) and type(_r) is not bool and _r > 0))")


@check("compare", {"left": ("pointer", True), "op": (tuple(_OPS), True), "right": ("pointer", True),
                   "right_positive": ("bool", False)}, supplies=("other",),
       setup=(("OP", "_OPS[P['op']]"), ("RPOS", "bool(P.get('right_positive'))")), head=_COMPARE_HEAD)
def _compare(rule, params, doc, env):
    """`left` `op` `right`; with `right_positive`, only where `right` is above 0 (spending above a budget of 0 is
    the budget's own error, with no rate to speak of)."""
    left, right = get(doc, params["left"]), get(doc, params["right"])
    if _blank(left) or _blank(right) or type(left) is bool or type(right) is bool:
        return
    if params.get("right_positive") and not (isinstance(right, (int, float)) and right > 0):
        return
    numeric = all(isinstance(v, (int, float)) for v in (left, right))
    if not numeric and not all(isinstance(v, str) and _ISO_DATE.match(v) for v in (left, right)):
        return  # unreadable values and wrong types are already reported where they stand
    if not _OPS[params["op"]](left, right):
        (found, found_en), (other, other_en) = _shown_at(env, params["left"], left), _shown_at(env, params["right"], right)
        op = params["op"]
        yield env.problem(rule, params["left"], value=left, shown=found if found_en else None, shown_en=found_en,
                          other=other, other_en=other_en, expected=f"{_OP_SHOWN[op]} {other}",
                          expected_en=f"{_OP_SHOWN_EN[op]} {other_en or other}")


@check("positive_if", {"path": ("pointer", True), "when": ("pointer", True)}, supplies=("other",),
       head="isinstance(_w := _get(doc, P['when']), (int, float)) and type(_w) is not bool and _w > 0"
            " and isinstance(_v := _get(doc, P['path']), (int, float)) and type(_v) is not bool and _v <= 0")
def _positive_if(rule, params, doc, env):
    """The number at `path` must be above 0 when the one at `when` is (a budget of 0 that was spent: no rate)."""
    value, when = get(doc, params["path"]), get(doc, params["when"])
    if not all(isinstance(v, (int, float)) and type(v) is not bool for v in (value, when)):
        return  # blank, unreadable or of the wrong type: reported where it stands
    if when > 0 and value <= 0:
        (found, found_en), (other, other_en) = _shown_at(env, params["path"], value), _shown_at(env, params["when"], when)
        yield env.problem(rule, params["path"], value=value, shown=found if found_en else None, shown_en=found_en,
                          other=other, other_en=other_en, expected=f"{_OP_SHOWN['>']} 0",
                          expected_en=f"{_OP_SHOWN_EN['>']} 0")


@check("in_year", {"paths": ("pointers", True), "spans": ("pointer", False), "spanning": ("strs", False)})
def _in_year(rule, params, doc, env):
    """Each date within the budget year; for a project whose `spans` value (its category) is one of `spanning`
    (跨年度项目支出, 基本建设项目: several years by nature), the dates must take in the year instead: the first
    not after it, the last not before it."""
    year = doc.get("year")
    if not isinstance(year, int):
        return
    paths = params["paths"]
    spanning = params.get("spans") and get(doc, params["spans"]) in (params.get("spanning") or ())
    for i, path in enumerate(paths):
        v = get(doc, path)
        if not (isinstance(v, str) and _ISO_DATE.match(v)):
            continue
        found = int(v[:4])
        if not spanning and found != year:
            yield env.problem(rule, path, value=v, expected=str(year))
        elif spanning and ((i == 0 and found > year) or (i == len(paths) - 1 and found < year)):
            yield env.problem(rule, path, value=v, expected=str(year))


@check("required_level1", supplies=("level1_title",), setup=(("REQ", "fw.required_level1"),),
       head="REQ and not {it.get('level1') for _, it in _items(env, doc)}.issuperset(REQ)")
def _required_level1(rule, params, doc, env):
    present = {it.get("level1") for _, it in _items(env, doc)}
    for name in env.fw.required_level1:
        if name not in present:
            yield env.problem(rule, env.form.table.item_path, field=env.form.column_label("level1", fw=env.fw),
                              field_en=env.form.column_label("level1", "en"), expected=name)


@check("level1_known", supplies=("framework", "level1_title"), setup=(("L1", "fw.level1_names"),),
       row="(v := g('level1')) not in L1 and isinstance(v, str) and v")
def _level1_known(rule, params, doc, env):
    allowed = env.fw.level1_names
    for i, it in _items(env, doc):
        v = it.get("level1")
        if isinstance(v, str) and v and v not in allowed:
            yield env.problem(rule, _item_path(env, i, "level1"), value=v, expected="、".join(allowed),
                              expected_en=", ".join(allowed), framework=env.fw.id)


@check("comparator_known", supplies=("framework",), setup=(("ALLOWED", "tuple(fw.comparators or ())"),),
       row="c not in ALLOWED and ALLOWED and isinstance(c, str) and c in _CD")
def _comparator_known(rule, params, doc, env):
    """A comparator the framework does not offer (its dropdown lists only its own; a paste, or a client that
    lets a value past the list, can put any of the five)."""
    allowed = tuple(env.fw.comparators or ())
    if not allowed:
        return
    shown = "、".join(COMPARATOR_DISPLAY.get(c, c) for c in allowed)
    for i, it in _items(env, doc):
        v = it.get("comparator")
        if isinstance(v, str) and v in COMPARATOR_DISPLAY and v not in allowed:
            yield env.problem(rule, _item_path(env, i, "comparator"), value=COMPARATOR_DISPLAY[v],
                              value_en=v, expected=shown, expected_en=", ".join(allowed), framework=env.fw.id)


@check("level2_belongs", supplies=("level1", "level1_title", "level2_title"), setup=(("L2", "fw.level2_of"),),
       row="(v := g('level1')) in L2 and isinstance(w := g('level2'), str) and w and w not in L2[v]")
def _level2_belongs(rule, params, doc, env):
    level2_of = env.fw.level2_of
    for i, it in _items(env, doc):
        l1, l2 = it.get("level1"), it.get("level2")
        if l1 in level2_of and isinstance(l2, str) and l2 and l2 not in level2_of[l1]:
            yield env.problem(rule, _item_path(env, i, "level2"), value=l2, expected="、".join(level2_of[l1]),
                              expected_en=", ".join(level2_of[l1]), level1=l1)


@check("value_kind", supplies=("comparator",),
       row="'value' not in it and c in _CD and c != 'qualitative' and g('text')")
def _value_kind(rule, params, doc, env):
    for i, it in _items(env, doc):
        comp = it.get("comparator")
        if comp in COMPARATOR_DISPLAY and comp != "qualitative" and "value" not in it and it.get("text"):
            yield env.problem(rule, _item_path(env, i, "value"), value=it["text"],
                              comparator=COMPARATOR_DISPLAY[comp], expected="数字", expected_en="a number")


@check("range", {"unit": ("str", True), "min": ("number", True), "max": ("number", True)},
       setup=(("UNIT", "P['unit']"), ("LOW", "P['min']"), ("HIGH", "P['max']")),
       row="g('unit') == UNIT and isinstance(v := g('value'), (int, float)) and not isinstance(v, bool)"
           " and not LOW <= v <= HIGH")
def _range(rule, params, doc, env):
    for i, it in _items(env, doc):
        v = it.get("value")
        if it.get("unit") == params["unit"] and isinstance(v, (int, float)) and not isinstance(v, bool):
            if not params["min"] <= v <= params["max"]:
                yield env.problem(rule, _item_path(env, i, "value"), value=_shown(v),
                                  expected=f"{params['min']}–{params['max']}")


@check("duplicate", supplies=("other", "name_title"), setup=(("SEEN", "set()"),), stateful=True,
       row="isinstance(v := g('name'), str) and v"
           " and ((k := _visible(v)) in SEEN or SEEN.add(k))")
def _duplicate(rule, params, doc, env):
    """An indicator name given twice: alike but for the invisible characters a paste leaves (a zero-width space,
    which the name keeps as typed) is the same name to the eye, so the same (the message shows the character)."""
    seen: dict[str, int] = {}
    for i, it in _items(env, doc):
        name = it.get("name")
        if not isinstance(name, str) or not name:
            continue
        key = pasted_stripped(name)
        if key in seen:
            yield env.problem(rule, _item_path(env, i, "name"), value=name,
                              other=env.form.item_label(seen[key]), other_en=env.form.item_label(seen[key], "en"))
        else:
            seen[key] = i


def _weights(env, doc) -> list[tuple[int, object]]:
    """(index, 分值 as an exact Decimal or None) of each indicator, when any indicator has one; computed once per
    run of the checks (four checks ask)."""
    found = env.cache.get("weights")
    if found is None:
        from .._decimals import dec

        out = [(i, dec(it.get("weight"))) for i, it in _items(env, doc)]
        found = env.cache["weights"] = out if any(w is not None for _, w in out) else []
    return found


@check("weights_total", {"total": ("hundred", True)}, supplies=("total",), forms=("goal-table",),
       row="g('weight') is not None")
def _weights_total(rule, params, doc, env):
    """分值 given for every indicator: they are the self-evaluation's points, the funds block having the rest of
    `total` (100), so they must not exceed it (the self-evaluation template is refused otherwise; a 分值 not in
    cents is weights_cents', at its own cell)."""

    given = _weights(env, doc)
    if not given or any(w is None for _, w in given):
        return
    total = sum((w for _, w in given), Decimal(0))
    if total > Decimal(str(params["total"])):
        yield env.problem(rule, _item_path(env, given[0][0], "weight"), value=f"{total.normalize():f}",
                          total=format_number(params["total"]), expected=f"≤ {format_number(params['total'])}")


@check("weights_cents", forms=("goal-table",),
       row="g('weight') is not None")
def _weights_cents(rule, params, doc, env):
    """A 分值 with more than two decimals (9.995), at its own cell: the self-evaluation's points and scores are in
    cents, and its template is refused for a goal table with one."""
    from .._decimals import round2

    for i, w in _weights(env, doc):
        if w is not None and w != round2(w):
            yield env.problem(rule, _item_path(env, i, "weight"), value=f"{w.normalize():f}")


def _weights_and_funds(env, doc) -> tuple | None:
    """(the 分值 given, (index, weight) each; their total; the framework's funds points) where every indicator has a
    分值 and the framework gives self-evaluation points; else None (nothing to compare with)."""

    given = _weights(env, doc)
    if not given or any(w is None for _, w in given):
        return None
    funds = getattr(getattr(env.fw, "self_evaluation", None), "funds", None)  # (the 分值 made only when asked for)
    if funds is None:
        return None
    return given, sum((w for _, w in given), Decimal(0)), funds


@check("weights_leave_funds", {"total": ("hundred", True)}, supplies=("total", "funds", "rest"), forms=("goal-table",),
       row="g('weight') is not None")
def _weights_leave_funds(rule, params, doc, env):
    """分值 given for every indicator that take all of `total` (100) where the framework gives the funds block points
    (national-2021: 10): the self-evaluation's funds block then has 0, and 预算执行率 counts for nothing.  Not where
    the framework gives funds 0, or gives no self-evaluation points at all (nothing to compare with)."""

    found = _weights_and_funds(env, doc)
    if found is None or not found[2]:
        return
    given, total, funds = found
    if total == Decimal(str(params["total"])):
        rest = format_number(Decimal(str(params["total"])) - funds)
        yield env.problem(rule, _item_path(env, given[0][0], "weight"), value=f"{total.normalize():f}",
                          expected=f"{rest}", total=format_number(params["total"]), funds=format_number(funds),
                          rest=rest)


@check("weights_funds_rest", {"total": ("number", True)}, supplies=("total", "funds", "rest", "funds_got"),
       forms=("goal-table",), row="g('weight') is not None")
def _weights_funds_rest(rule, params, doc, env):
    """分值 given for every indicator whose total is not what the framework leaves the indicators (`total`, 100,
    less its funds' points: national-2021 90): the self-evaluation's funds block would get the rest of `total`
    (分值 totalling 35: 65 of 100, against the framework's 10).  Not above `total` (weights_total's error), nor at
    exactly `total` while the framework gives the funds points (weights_leave_funds' warning); not where the framework
    gives no self-evaluation points (nothing to compare with)."""

    found = _weights_and_funds(env, doc)
    if found is None:
        return
    given, total, funds = found
    whole = Decimal(str(params["total"]))
    if total > whole or total == whole - funds or (funds and total == whole):
        return
    yield env.problem(rule, _item_path(env, given[0][0], "weight"), value=f"{total.normalize():f}",
                      expected=format_number(whole - funds), total=format_number(whole), funds=format_number(funds),
                      rest=format_number(whole - funds), funds_got=format_number(whole - total))


#: What 分值 given for some indicators only must be (all or none; all) and come to at year end (``{consequence}``), by
#: whether the framework in force gives self-evaluation points: its points then, or none (shanghai-2025), when the
#: self-evaluation cannot be made from the table without a points file from the bureau (--weights).
_PARTIAL_CONSEQUENCE = {
    True: ("分值须全部填写或全部不填。只填部分时，自评将按指标体系分配各指标分值，已填的分值不被采用",
           "give points for every indicator or for none. With some only, the self-evaluation takes the framework's "
           "points for all, and those given are not used"),
    False: ("分值须全部填写。指标体系没有给出自评分值：只填部分时，年底须由财政局另给分值文件才能生成自评表，已填的分值不被采用。"
            "请现在为每条指标填写分值",
            "give points for every indicator: the framework gives no self-evaluation points, and with some only, the "
            "year-end self-evaluation can be made only from a points file of the finance bureau, and those given are "
            "not used. Give points for every indicator now")}


@check("weights_partial", forms=("goal-table",), supplies=("consequence", "consequence_en"),
       row="g('weight') is not None")
def _weights_partial(rule, params, doc, env):
    """分值 given for some indicators and not others: the self-evaluation then takes the framework's points for
    all of them, and the ones given are not used; under a framework without points (``weights_section`` None) it
    cannot be made without a points file, and the message asks for every 分值 now.  A 分值 the reader could not take
    (20% typed) is given, and reported where it stands: not also said to be left blank."""
    unread = env.cache.get("unreadable", ())
    blank = [i for i, w in _weights(env, doc) if w is None and _item_path(env, i, "weight") not in unread]
    if blank:
        zh, en = _PARTIAL_CONSEQUENCE[getattr(env.fw, "weights_section", None) is not None]
        yield env.problem(rule, _item_path(env, blank[0], "weight"), value=None, consequence=zh, consequence_en=en)


@check("date_in_period", {"path": ("pointer", True), "years_after": ("count", True), "years_before": ("count", False),
                          "from_month": ("month", False), "months_after": ("count", False)}, supplies=("other",),
       forms=("goal-table", "self-evaluation", "monitoring"), unnamed=("self-evaluation", "monitoring"))
def _date_in_period(rule, params, doc, env):
    """A form's date within the period it can be made in: from the first day of the month `from_month` (else a
    monitoring report's month, else January) `years_before` years before the budget year (0 where not given) to the
    last day `years_after` years after it, and `months_after` months further (0 where not given).  Each form's row
    gives its window (rules.csv: the goal table's from the year before the budget year to its end, the monitoring
    report's from its month to the end of March after the budget year (a 1-12月 report is filled in January or
    February), the self-evaluation's from the budget year's December to the end of June after it)."""
    year, value = doc.get("year"), get(doc, params["path"])
    month = doc.get("month") if isinstance(doc.get("month"), int) and 1 <= doc.get("month") <= 12 else 1
    month = params.get("from_month", month)
    if not isinstance(year, int) or isinstance(year, bool) or not (isinstance(value, str) and _ISO_DATE.match(value)):
        return  # blank or unreadable: reported where it stands
    first = f"{year - params.get('years_before', 0):04d}-{month:02d}-01"
    end_year, end_month = divmod((year + params["years_after"]) * 12 + 11 + params.get("months_after", 0), 12)
    end_month += 1
    last = f"{end_year:04d}-{end_month:02d}-{calendar.monthrange(end_year, end_month)[1]:02d}"
    if not first <= value <= last:
        yield env.problem(rule, params["path"], value=value, other=f"{first} 至 {last}",
                          other_en=f"{first} to {last}", expected=f"{first} – {last}")


#: 联系电话: the separators between two numbers in one cell (021-12345678/13812345678), a country code before a
#: number, an extension after it (转 123, 分机 123, ext 123), and the characters a number is written with
_PHONE_SPLIT = re.compile(r"[/、,;]|或|及")
_PHONE_COUNTRY = re.compile(r"^(?:\(\+?86\)|\+86|0086|86(?=[-\s]))[-\s]*")
_PHONE_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d+)$", re.IGNORECASE)
_PHONE_CHARS = re.compile(r"^[\d\s()-]+$")
_APOSTROPHES = ("'", "\u2018", "\u2019")
_PHONE_NOTE = re.compile(r"\s*\([^()\d]*\)")  # a note in brackets after a number, no digit in it: (办), (手机)
_PHONE_GROUPS_MAX = 6  # the most groups apart by spaces one number is written in (+86 021 1234 5678 123)


def _numbers_ok(part: str, params) -> bool:
    """Whether `part` (between separators) is one telephone number or several apart by spaces (13812345678
    13912345678, 021-12345678 13812345678), each as ``_phone_ok`` takes it, a note in brackets after one dropped."""
    part = _PHONE_NOTE.sub(" ", part).strip()
    if not part:
        return False
    if _phone_ok(part, params):
        return True
    groups = part.split()
    # ok[j]: the first j groups are whole numbers (021 12345678 is one; the split found by trying each length)
    ok = [True] + [False] * len(groups)
    for j in range(1, len(groups) + 1):
        ok[j] = any(ok[i] and _phone_ok(" ".join(groups[i:j]), params)
                    for i in range(max(0, j - _PHONE_GROUPS_MAX), j))
    return len(groups) > 1 and ok[-1]


def _phone_ok(text: str, params) -> bool:
    """Whether one number (no separator in it) is a telephone number as `params` (the rule's) describe them: a
    mobile (mobile_first, mobile_digits), 0 and an area code (area_codes: how it starts -> its digits, the 0 counted)
    and a local number
    (local_digits), an extension after it of at most extension_max digits (-123, 转123), or a service number
    (service_prefixes, service_digits); spaces, hyphens and brackets (021) between the digits, +86 before them."""
    t = _PHONE_COUNTRY.sub("", text.strip())
    m = _PHONE_EXTENSION.search(t)
    if m:
        if len(m[1]) > params["extension_max"]:
            return False
        t = t[:m.start()].rstrip(" -")
    if not t or not _PHONE_CHARS.match(t):
        return False
    groups = [g for g in re.split(r"[\s()-]+", t) if g]
    digits = "".join(groups)
    if len(digits) in params["mobile_digits"] and digits.startswith(tuple(params["mobile_first"])):
        return True
    if len(digits) in params["service_digits"] and digits.startswith(tuple(params["service_prefixes"])):
        return True
    if not digits.startswith("0"):
        return False
    # 0 and an area code: its length told by how it starts (010 and 02x: 3 digits with the 0; 0311, 0571 …: 4)
    prefix = max((p for p in params["area_codes"] if digits.startswith(p)), key=len, default=None)
    if prefix is None:
        return False
    area = params["area_codes"][prefix]
    if groups[0].startswith("0") and len(groups) >= 2 and len(groups[0]) != area:
        return False  # 0571-8765432 is 0571, never 057-18765432
    if len(digits) - area in params["local_digits"]:
        return True
    # 021-12345678-123, 021 12345678 123: the last group the extension
    return len(groups) >= 3 and len(groups[-1]) <= params["extension_max"] \
        and len(digits) - len(groups[-1]) - area in params["local_digits"]


def _phone_fault(value: str, params) -> tuple[str, str] | None:
    """What is wrong with a 联系电话 (zh, en: why, and what to type), or None where every number in it is one
    (``_phone_ok``)."""
    text = unicodedata.normalize("NFKC", invisible_stripped(value)).strip()
    if text[:1] in _APOSTROPHES:  # '021-12345678: typed as in Excel, kept in the text cell and printed
        rest = text[1:].strip()
        if rest and _phone_fault(rest, params) is None:
            return (f"开头的单引号（'）在文本格式的单元格中会原样保存，并打印在盖章的表上：请删去单引号，只填写“{rest}”",
                    f"the apostrophe before it is kept in the text cell and printed on the stamped form: remove it "
                    f"and enter '{rest}' only")
    parts = [p.strip() for p in _PHONE_SPLIT.split(text) if p.strip()]
    if parts and all(_numbers_ok(p, params) for p in parts):
        return None
    if text.isdigit() and _phone_ok("0" + text, params):  # 2112345678: the 0 before the area code lost
        return (f"像是区号前的“0”丢失了（号码以数字输入或粘贴时，开头的 0 会被去掉），应为“0{text}”：请将单元格设为文本"
                f"格式后重新输入",
                f"the 0 before the area code looks lost (a number typed or pasted as a number loses its leading 0); "
                f"it should be '0{text}': set the cell's format to Text and enter it again")
    if text.isdigit() and len(text) in params["local_digits"]:
        return ("缺少区号：固定电话请带区号填写（如 021-12345678）",
                "the area code is missing: give a landline with its area code (such as 021-12345678)")
    first, mobile = "、".join(params["mobile_first"]), "、".join(map(str, params["mobile_digits"]))
    service = "、".join(params["service_prefixes"])
    return (f"不是有效的电话号码：请填写以 {first} 开头的 {mobile} 位手机号码，或带区号的固定电话（如 021-12345678，"
            f"分机号写在后面，如 021-12345678-123），或以 {service} 开头的号码",
            f"this is not a valid telephone number: enter a {mobile}-digit mobile number starting with {first}, a "
            f"landline with its area code (such as 021-12345678; an extension after it, as 021-12345678-123), or a "
            f"number starting with {', '.join(params['service_prefixes'])}")


@check("phone", {"path": ("pointer", True), "mobile_first": ("digits", True), "mobile_digits": ("counts", True),
                 "area_codes": ("area_codes", True), "local_digits": ("counts", True),
                 "service_prefixes": ("digits", True), "service_digits": ("counts", True),
                 "extension_max": ("positive", True)}, supplies=("detail",))
def _phone(rule, params, doc, env):
    """联系电话 a number the bureau can call: a mobile, a landline with its area code, a 400/800 number (the patterns
    the rule's parameters); one that is not (a number pasted without its leading 0, 12345, '021-12345678 with the
    apostrophe typed as in Excel and printed) said with why and what to type.  A blank one is the required rules'."""
    value = get(doc, params["path"])
    if not isinstance(value, str) or not value.strip():
        return
    if not _has_digit(value) and any(env.table.params_of(rd.code).get("path") == params["path"]
                                     for rd in env.table.in_force("phone_no_digits")):
        return  # no number at all: the error of phone_no_digits (rule.phone_no_digits) says it, not this warning
    fault = _phone_fault(value, params)
    if fault is not None:
        yield env.problem(rule, params["path"], value=value, detail=fault[0], detail_en=fault[1])


def _has_digit(value: str) -> bool:
    """Whether a 联系电话 holds a digit at all (full-width digits as their ASCII ones)."""
    return any("0" <= c <= "9" for c in unicodedata.normalize("NFKC", value))


@check("phone_no_digits", {"path": ("pointer", True)})
def _phone_no_digits(rule, params, doc, env):
    """联系电话 holding no digit at all (无, a name, 办公室电话): no number the bureau could call, an error (where a
    number that is not quite one is rule.phone's warning).  A blank one is the required rules'."""
    value = get(doc, params["path"])
    if isinstance(value, str) and value.strip() and not _has_digit(value):
        yield env.problem(rule, params["path"], value=value)


#: What a clerk types after a word and is dropped from its end when it is compared with the placeholder words
#: (“无。”, “略.”, “无；”), as the reader drops it from a numeric target (“90%。”)
_END_PUNCT = "。．.；;，,、！!？?：:"


def placeholder_key(text) -> str:
    """How a text is compared with the bureau's placeholder words, one way for a target (rule.placeholder), a
    required reason (self.deviation_missing, self.execution_unexplained, monitor.*) and the review's placeholder
    rows (review.placeholder_row): NFKC (full-width forms as their ASCII), every space dropped (“暂 无”, a full-width
    space too), then the end punctuation (_END_PUNCT) dropped where a word is left (“无。” is 无; “。” stays)."""
    if not isinstance(text, str):
        return ""
    # (every space dropped by split and join: str.split's spaces are the \s of a str pattern, Py_UNICODE_ISSPACE,
    # code point for code point; a text of none is given back by join as it is)
    key = "".join(unicodedata.normalize("NFKC", text).split())
    trimmed = key.rstrip(_END_PUNCT)
    return trimmed or key


def placeholder_keys(texts) -> frozenset:
    """The words `texts` each as compared (``placeholder_key``), blank ones and any not a text left out.  A rule's
    words are its parameters, the same on every return: their keys are made once (_keys_of), not on each return's
    run of the checks (a self-evaluation asks for them twice: rule.placeholder's and placeholder_texts)."""
    texts = tuple(texts)
    try:
        return _keys_of(texts)
    except TypeError:  # (a word that cannot be hashed: no text, left out as in _keys_of)
        return _keys_of.__wrapped__(texts)


@lru_cache(maxsize=64)
def _keys_of(texts: tuple) -> frozenset:
    return frozenset(placeholder_key(t) for t in texts if isinstance(t, str) and t.strip())


def placeholder_texts(env) -> frozenset:
    """The bureau's placeholder words (无, /, 略 …), each as compared (``placeholder_key``): the texts of every
    rule in force of check kind ``placeholder`` (rule.placeholder), one list for a target and for a required reason
    alike; found once per run of the checks.  None in force: nothing but a blank is a missing reason."""
    found = env.cache.get("placeholder_texts")
    if found is None:
        found = env.cache["placeholder_texts"] = frozenset().union(
            *(placeholder_keys(env.table.params_of(rd.code).get("texts") or ()) for rd in env.table.in_force("placeholder")))
    return found


def placeholder_of(v, texts) -> str | None:
    """The text `v` as typed (stripped) where it is one of the placeholder words `texts` (``placeholder_texts``),
    compared as ``placeholder_key`` says, else None: a reason that reads “无” (or “无。”, “暂 无”) is no reason."""
    return v.strip() if isinstance(v, str) and v.strip() and placeholder_key(v) in texts else None


def reason_missing(v, texts) -> bool:
    """A required reason not given: blank, or a placeholder word (``placeholder_of``)."""
    return _blank(v) or placeholder_of(v, texts) is not None


def placeholder_fields(found: str | None) -> dict[str, str]:
    """What a message adds where the reason found is a placeholder: its ``{placeholder}`` and ``{placeholder_en}``."""
    if found is None:
        return {"placeholder": "", "placeholder_en": ""}
    return {"placeholder": f"填写的“{found}”是占位符，不是原因；",
            "placeholder_en": f"'{found}' is a placeholder, not a reason: "}


@check("placeholder", {"texts": ("strs", True), "bare_zero": ("bool", False)},
       setup=(("TEXTS", "placeholder_keys(P['texts'])"), ("ZERO", "P.get('bare_zero')")),
       row="placeholder_of(g('text'), TEXTS) is not None"
           " or (ZERO and (w := g('value')) == 0 and not isinstance(w, bool) and not g('unit'))")
def _placeholder(rule, params, doc, env):
    texts = placeholder_keys(params["texts"])
    for i, it in _items(env, doc):
        text, value = it.get("text"), it.get("value")
        if placeholder_of(text, texts) is not None:
            yield env.problem(rule, _item_path(env, i, "text"), value=text)
        elif params.get("bare_zero") and value == 0 and not isinstance(value, bool) and not it.get("unit"):
            yield env.problem(rule, _item_path(env, i, "value"), value="0")


@check("in_list", {"path": ("pointer", True), "list": (("level1", "units", "project_categories",
                                                         "performance_types"), True)})
def _in_list(rule, params, doc, env):
    v = get(doc, params["path"])
    allowed = env.fw.lists()[params["list"]]
    if isinstance(v, str) and v and allowed and v not in allowed:
        yield env.problem(rule, params["path"], value=v, expected="、".join(allowed), expected_en=", ".join(allowed))


@check("min_count", {"path": ("pointer", True), "min": ("positive", True)})
def _min_count(rule, params, doc, env):
    v = get(doc, params["path"])
    if isinstance(v, list) and len(v) < params["min"]:
        yield env.problem(rule, params["path"], field=env.form.table.name, field_en=env.form.table.name_en,
                          value=len(v), expected=str(params["min"]))
