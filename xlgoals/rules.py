"""Business rules, driven by the rule table ``schema/rules.csv``.

Each table row names a *check kind* (``required``, ``compare``, ``in_year`` …) and its
parameters as JSON; the kinds are the small functions below.  Adding a rule of an existing
kind — another required field, another comparison, another list — is a new table row and
no code.  Each check yields Problems located by JSON pointer; the caller maps pointers to cells.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from .frameworks import Framework, UnknownFramework, load_framework
from .layout import COMPARATOR_DISPLAY
from .pointers import get
from .problems import Problem, RuleDef, make_problem, rule_table
from .schema import field_title
from .values import format_number

Check = Callable[[RuleDef, dict, dict, Framework], Iterator[Problem]]
CHECKS: dict[str, Check] = {}


def check(name: str):
    def register(fn: Check) -> Check:
        CHECKS[name] = fn
        return fn
    return register


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _p(rule: RuleDef, path: str, **kw) -> Problem:
    return make_problem(rule.code, path=path, field=kw.pop("field", None) or field_title(path),
                        field_en=field_title(path, "en"), **kw)


def _indicators(doc) -> list[tuple[int, dict]]:
    items = doc.get("indicators") if isinstance(doc, dict) else None
    return [(i, it) for i, it in enumerate(items or []) if isinstance(it, dict)]


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _shown(v) -> str:
    return format_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)


@check("required")
def _required(rule, params, doc, fw):
    for path in params["paths"]:
        if _blank(get(doc, path)):
            yield _p(rule, path)


_OPS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b, ">=": lambda a, b: a >= b,
        ">": lambda a, b: a > b, "=": lambda a, b: a == b}


@check("compare")
def _compare(rule, params, doc, fw):
    left, right = get(doc, params["left"]), get(doc, params["right"])
    if _blank(left) or _blank(right) or type(left) is bool or type(right) is bool:
        return
    numeric = all(isinstance(v, (int, float)) for v in (left, right))
    if not numeric and not all(isinstance(v, str) and _ISO_DATE.match(v) for v in (left, right)):
        return  # unreadable values and wrong types are already reported where they stand
    if not _OPS[params["op"]](left, right):
        yield _p(rule, params["left"], field=rule.field_zh or None, value=left, other=_shown(right),
                 expected=f"{params['op']} {_shown(right)}")


@check("in_year")
def _in_year(rule, params, doc, fw):
    year = doc.get("year")
    if not isinstance(year, int):
        return
    for path in params["paths"]:
        v = get(doc, path)
        if isinstance(v, str) and _ISO_DATE.match(v) and int(v[:4]) != year:
            yield _p(rule, path, value=v, expected=str(year))


@check("required_level1")
def _required_level1(rule, params, doc, fw):
    present = {it.get("level1") for _, it in _indicators(doc)}
    for name in fw.required_level1:
        if name not in present:
            yield make_problem(rule.code, path="/indicators", field=rule.field_zh, expected=name)


@check("level1_known")
def _level1_known(rule, params, doc, fw):
    allowed = fw.level1_names
    for i, it in _indicators(doc):
        v = it.get("level1")
        if isinstance(v, str) and v and v not in allowed:
            yield _p(rule, f"/indicators/{i}/level1", value=v, expected="、".join(allowed), framework=fw.id)


@check("level2_belongs")
def _level2_belongs(rule, params, doc, fw):
    for i, it in _indicators(doc):
        l1, l2 = it.get("level1"), it.get("level2")
        if l1 in fw.level2_of and isinstance(l2, str) and l2 and l2 not in fw.level2_of[l1]:
            yield _p(rule, f"/indicators/{i}/level2", value=l2, expected="、".join(fw.level2_of[l1]), level1=l1)


@check("value_kind")
def _value_kind(rule, params, doc, fw):
    for i, it in _indicators(doc):
        comp = it.get("comparator")
        if comp in COMPARATOR_DISPLAY and comp != "qualitative" and "value" not in it and it.get("text"):
            yield _p(rule, f"/indicators/{i}/value", value=it["text"], comparator=COMPARATOR_DISPLAY[comp],
                     expected="数字")


@check("range")
def _range(rule, params, doc, fw):
    for i, it in _indicators(doc):
        v = it.get("value")
        if it.get("unit") == params["unit"] and isinstance(v, (int, float)) and not isinstance(v, bool):
            if not params["min"] <= v <= params["max"]:
                yield _p(rule, f"/indicators/{i}/value", value=_shown(v),
                         expected=f"{params['min']}–{params['max']}")


@check("duplicate")
def _duplicate(rule, params, doc, fw):
    seen: dict[str, int] = {}
    for i, it in _indicators(doc):
        name = it.get("name")
        if not isinstance(name, str) or not name:
            continue
        if name in seen:
            yield _p(rule, f"/indicators/{i}/name", value=name, other=f"第{seen[name] + 1}条指标")
        else:
            seen[name] = i


@check("placeholder")
def _placeholder(rule, params, doc, fw):
    texts = set(params["texts"])
    for i, it in _indicators(doc):
        text, value = it.get("text"), it.get("value")
        if isinstance(text, str) and text.strip() in texts:
            yield _p(rule, f"/indicators/{i}/text", value=text)
        elif params.get("bare_zero") and value == 0 and not isinstance(value, bool) and not it.get("unit"):
            yield _p(rule, f"/indicators/{i}/value", value="0")


@check("in_list")
def _in_list(rule, params, doc, fw):
    v = get(doc, params["path"])
    allowed = fw.lists()[params["list"]]
    if isinstance(v, str) and v and allowed and v not in allowed:
        yield _p(rule, params["path"], value=v, expected="、".join(allowed))


@check("min_count")
def _min_count(rule, params, doc, fw):
    v = get(doc, params["path"])
    if isinstance(v, list) and len(v) < params["min"]:
        yield make_problem(rule.code, path=params["path"], field=rule.field_zh, expected=str(params["min"]))


@lru_cache(maxsize=1)
def business_rules() -> tuple[tuple[RuleDef, dict, Check], ...]:
    """The table's business rules with parsed parameters; unknown check kinds fail loudly."""
    out = []
    for rd in rule_table().values():
        if rd.check in ("reader", "schema"):
            continue
        if rd.check not in CHECKS:
            raise ValueError(f"rules.csv: {rd.code}: unknown check kind {rd.check!r} (known: {', '.join(CHECKS)})")
        out.append((rd, json.loads(rd.params) if rd.params else {}, CHECKS[rd.check]))
    return tuple(out)


def rule_problems(doc: dict) -> list[Problem]:
    """Run every business rule of the table over a document."""
    if not isinstance(doc, dict):
        return []
    try:
        fw = load_framework(doc.get("framework"))
    except (UnknownFramework, TypeError):
        return []
    out: list[Problem] = []
    for rd, params, fn in business_rules():
        out.extend(fn(rd, params, doc, fw))
    return out
