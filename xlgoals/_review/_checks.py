"""The review check kinds (目标审核): weak targets that pass every structural rule.

Each kind is registered with ``review=True``, so it runs only with ``validate --review``.
Its parameters all have defaults in ``schema/review.json`` (``checks`` by kind name); a
bureau's ``--review-config`` and a rule row's ``params`` override them.  Where a check needs
to know the framework's groups (which 一级 are 产出/效益, where satisfaction and cost belong)
it reads the framework file's ``review`` section and does nothing without one.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

from decimal import ROUND_FLOOR, Decimal

from .._check._rules import _blank, _item_path, _items, _shown, check, placeholder_of, placeholder_texts
from .._decimals import dec, percent, yuan
from .._form import COMPARATOR_DISPLAY, target_in_words
from .._form._kinds import MULTIPLIERS, _unit_ok, format_number, money_factors, shown_target
from .._pointers import get
from .._text import display_path, quoted
from ._text import can_reach, canon, indicator_key, similar

_NUM = (int, float)


def _number(v):
    return v if isinstance(v, _NUM) and not isinstance(v, bool) else None


def _quantitative(it: dict) -> bool:
    return it.get("comparator") not in (None, "qualitative") and _number(it.get("value")) is not None


@lru_cache(maxsize=256)
def _canon_tuple(words: tuple) -> tuple[str, ...]:
    return tuple(canon(w) for w in words if w)


@lru_cache(maxsize=256)
def _canon_set(words: tuple) -> frozenset:
    return frozenset(canon(w) for w in words)


def _canon_words(words) -> tuple[str, ...]:
    """A word list of the review configuration, canonicalised once per run rather than once per return."""
    return _canon_tuple(tuple(words or ()))


_ROW_KEYS = ("level1", "level2", "name", "comparator", "value", "text", "unit")


def _row_key(it: dict) -> tuple:
    """The row as the review compares it: hashable whatever a JSON document holds (a list or an object as a value,
    [90], is its JSON text, not a TypeError making last year's return unreadable)."""
    return tuple(_key_part(it.get(k)) for k in _ROW_KEYS)


def _key_part(v):
    if isinstance(v, str):
        return canon(v)
    if isinstance(v, (list, dict)):
        return ("\0json", json.dumps(v, ensure_ascii=False, sort_keys=True, default=str))
    try:
        hash(v)
    except TypeError:
        return ("\0repr", repr(v))
    return v


_PREFILLED: dict = {}  # id(a framework's prefilled rows) -> (those rows, their keys): once per run, not per return


def _prefilled_keys(rows) -> frozenset:
    held = _PREFILLED.get(id(rows))
    if held is None or held[0] is not rows:
        if len(_PREFILLED) > 64:
            _PREFILLED.clear()
        held = _PREFILLED[id(rows)] = (rows, frozenset(_row_key(r) for r in rows if isinstance(r, dict)))
    return held[1]


def bureau_rows(items: list, prefilled) -> tuple[int, ...]:
    """The indices of `items` that are rows of `prefilled` (a framework's prefilled rows) as prefilled."""
    keys = _prefilled_keys(prefilled) if prefilled else frozenset()
    return tuple(i for i, it in enumerate(items) if isinstance(it, dict) and _row_key(it) in keys) if keys else ()


def _own_items(env, doc) -> list[tuple[int, dict]]:
    """(index, item) for the rows the department wrote: a row as the framework prefills it (the bureau's own
    投入与管理 rows, 信息公开实现率 “规范”) is not the department's target to improve, and flagging it in every return
    lowered every score alike.  Changed in any way, it is the department's, and reviewed."""
    found = env.cache.get("own_items")
    if found is None:
        prefilled = _prefilled_keys(getattr(env.fw, "prefilled_rows", ()) or ())
        found = [(i, it) for i, it in _items(env, doc) if not prefilled or _row_key(it) not in prefilled]
        env.cache["own_items"] = found
    return found


def _place_matches(places, level1, level2) -> bool:
    """Whether (level1, level2) is one of the framework's places ({"level1", "level2"?})."""
    return any(p.get("level1") == level1 and (not p.get("level2") or p.get("level2") == level2) for p in places)


def _places_text(places, sep: str = "、") -> str:
    return sep.join(p["level1"] + (f"/{p['level2']}" if p.get("level2") else "") for p in places)


def _vague_word(t: str, words, name_words) -> str | None:
    """The first of `words` that `t` uses as a word of its own: not where a word of `name_words` follows it, making
    it part of the name of a kind of work (完成道路提升改造: 提升改造 is the work done, not a target to improve)."""
    for w in words:
        at = t.find(w)
        while at >= 0:
            if not t.startswith(name_words, at + len(w)):
                return w
            at = t.find(w, at + 1)
    return None


def _clause(t: str, at: int, end: int) -> tuple[str, str]:
    """The text of `t`'s clause (between punctuation; a masked term, \\0, is no punctuation) before `at` and after
    `end`."""
    start = at
    while start > 0 and not _breaks(t[start - 1]):
        start -= 1
    stop = end
    while stop < len(t) and not _breaks(t[stop]):
        stop += 1
    return t[start:at], t[end:stop]


def _breaks(ch: str) -> bool:
    return ch != "\0" and not (ch.isalnum() or ch == "_")


def _vague_verb(t: str, verbs, leads, name_words) -> str | None:
    """The first of `verbs` (优化, 强化, 促进, 推进) that `t` uses as the verb saying nothing checkable: one opening its
    clause (促进就业创业, 强化。), ending it (服务流程优化) or after one of the `leads` (有效促进, 得到优化, 大力推进), and
    whose clause names no work (``name_words``: 优化营商环境专项行动 is a programme's name).  Inside a clause
    (完成促进就业专项资金拨付, 健康促进县, 项目推进会, 完成强化训练营组织实施) the verb is part of a name."""
    for w in verbs:
        at = t.find(w)
        while at >= 0:
            before, after = _clause(t, at, at + len(w))
            if (not before or not after or before.endswith(leads)) and not any(n in after for n in name_words):
                return w
            at = t.find(w, at + 1)
    return None


def _relative_word(t: str, relative, before_words, after_words) -> str | None:
    """The first of `relative` (上年, 去年, 同期, 同比, 环比; longest first, so 上年度 is one word) that `t` uses in a
    comparison: after one of `before_words` (不低于上年, 较上年, 与上年, 比去年, 高于同期) or before one of
    `after_words` (上年水平, 同比增长, 环比下降).  Naming last year's things (上年度审计发现问题, 去年立项项目) or
    inside another word (按同比例, 同期投入使用, 按月环比发布) it is no comparison."""
    at = 0
    while at < len(t):
        w = next((r for r in relative if t.startswith(r, at)), None)
        if w is None:
            at += 1
            continue
        before, after = _clause(t, at, at + len(w))
        if before.endswith(before_words) or after.startswith(after_words):
            return w
        at += len(w)
    return None


_TITLE = re.compile(r"《[^《》]*》|〈[^〈〉]*〉")


def _mask_titles(t: str) -> str:
    """`t` with what 《》 (〈〉) hold blanked out: a title (《就业促进法》, 《持续改进工作方案》) is no judgement."""
    return _TITLE.sub(lambda m: "\0" * len(m.group(0)), t)


_ENDS = re.compile(r"^[\W_]+|[\W_]+$")  # punctuation at either end: 高。, “好”, 很好！


def _mask(t: str, terms) -> str:
    """`t` with each of the fixed `terms` (longest first) blanked out: 基本 in 基本公共卫生服务 is the programme's name,
    not a judgement."""
    for term in terms:
        if term in t:
            t = t.replace(term, "\0" * len(term))
    return t


def _exact_word(t: str, exact, degree, particles) -> str | None:
    """`t` (its end punctuation set aside) where it is one of the `exact` words alone, or with a degree word before it
    and a particle after it (很好, 较大, 非常高, 好的): the text as said, else None."""
    core = _ENDS.sub("", t)
    if not core:
        return None
    bare = next((core[len(d):] for d in degree if core.startswith(d) and len(core) > len(d)), core)
    bare = next((bare[: -len(x)] for x in particles if bare.endswith(x) and len(bare) > len(x)), bare)
    return core if core in exact or bare in exact else None


@lru_cache(maxsize=64)
def _longest_first(words: tuple) -> tuple[str, ...]:
    return tuple(sorted({canon(w) for w in words if canon(w)}, key=len, reverse=True))


@check("review_vague", {"words": ("strs", False), "exact": ("strs", False), "name_words": ("strs", False),
                        "terms": ("strs", False), "degree": ("strs", False), "particles": ("strs", False),
                        "verbs": ("strs", False), "verb_leads": ("strs", False), "relative": ("strs", False),
                        "relative_before": ("strs", False), "relative_after": ("strs", False)},
       supplies=("word",), review=True)
def _vague(rule, params, doc, env):
    """A target in words that a reviewer cannot check: it uses one of the ``words`` (提高, 进一步, 持续, 积极; or says
    the target only relative to what the cell does not give: 上年水平, 持平, 符合要求, 按计划, 预期) not as part of the
    name of a kind of work (``name_words``: 提升改造工程) nor of a fixed term (``terms``: 基本公共卫生服务, 基本医疗
    保险), or is one of the ``exact`` words (高, 好, 较大), with end punctuation, a ``degree`` word before it (很, 较,
    非常) or a ``particle`` after it (的).  A verb of ``verbs`` (优化, 推进) counts only as the verb of its clause, a
    word of ``relative`` (上年, 同比) only in a comparison, and nothing inside 《》 (``_vague_in``).  A text with a
    figure (较上年提高5个百分点) says how much, and is not."""
    for i, it in _own_items(env, doc):
        text = it.get("text")
        if not target_in_words(it) or not isinstance(text, str):
            continue
        word = _vague_in(text, params)
        if word:
            yield env.problem(rule, _item_path(env, i, "text"), value=text, word=word)


def _vague_in(text: str, params) -> str | None:
    """The vague word `text` uses, as review.vague_target (with `params`) reads it, else None.  A word used
    only as a comparison (``relative``: 上年, 同比) or as a verb (``verbs``: 优化, 推进) counts only so used
    (``_relative_word``, ``_vague_verb``); what a title holds (《就业促进法》) never counts."""
    t = canon(text)
    if any(ch.isdigit() for ch in t):
        return None  # 较上年提高5个百分点 says how much: it can be checked (提高 alone cannot)
    exact = _canon_set(tuple(params.get("exact") or ()))
    degree, particles = _longest_first(tuple(params.get("degree") or ())), _longest_first(tuple(params.get("particles") or ()))
    word = _exact_word(t, exact, degree, particles)
    if word:
        return word
    name_words = _canon_words(params.get("name_words"))
    m = _mask_titles(_mask(t, _longest_first(tuple(params.get("terms") or ()))))
    return _vague_word(m, _canon_words(params.get("words")), name_words) \
        or _vague_verb(m, _canon_words(params.get("verbs")), _canon_words(params.get("verb_leads")), name_words) \
        or _relative_word(m, _longest_first(tuple(params.get("relative") or ())),
                          _canon_words(params.get("relative_before")), _canon_words(params.get("relative_after")))


def _rule_in_force(env, check: str):
    """The parameters in force of the rule table's review row of `check` (the first), or None where it has none."""
    for rd, params, _ in env.table.review:
        if rd.check == check:
            return env.review.params(rd, params) if env.review is not None else params
    return None


def _vague_rule(env):
    """The rule table's review.vague_target row with its parameters in force, or None."""
    return _rule_in_force(env, "review_vague")


@lru_cache(maxsize=64)
def _suffix_table(suffixes: tuple, excluded: tuple) -> tuple[tuple, tuple]:
    """(suffix, its canonical form) longest first, and the excluded suffixes' canonical forms: once per run."""
    return tuple((x, canon(x)) for x in sorted(suffixes, key=len, reverse=True) if x), \
        tuple(canon(x) for x in excluded)


def _quantity_suffix(name: str, ordered, skip) -> str | None:
    s = indicator_key(name)
    if any(s.endswith(x) for x in skip):
        return None
    return _ending(s, ordered)


def _ends(name: str, suffix: str) -> dict[str, str]:
    """How `name` ends in `suffix` (found in its indicator key, a trailing unit and punctuation set aside), in words
    true of the name as typed: {ends} 以“率”结尾, or 除去末尾的“（%）”后以“率”结尾 for 应补尽补率（%）, whose last
    character is not 率; {ends_en} the same in English."""
    c, tail = canon(suffix), ""
    for k in range(len(name), 0, -1):
        if canon(name[:k]).endswith(c):
            tail = name[k:].strip()
            break
    if not tail:
        return {"ends": f"以“{suffix}”结尾", "ends_en": f"ends in '{suffix}'"}
    return {"ends": f"除去末尾的“{tail}”后以“{suffix}”结尾",
            "ends_en": f"ends in '{suffix}' once its trailing '{tail}' is set aside"}


def _ending(key: str, ordered) -> str | None:
    """The first of the `ordered` (suffix, canonical) pairs the indicator key `key` ends in, as given."""
    return next((x for x, c in ordered if key.endswith(c)), None)


@check("review_rate_qualitative", {"suffixes": ("strs", False), "exclude_suffixes": ("strs", False)},
       supplies=("name", "suffix", "ends", "ends_en"), review=True)
def _rate_qualitative(rule, params, doc, env):
    ordered, skip = _suffix_table(tuple(params.get("suffixes", ())), tuple(params.get("exclude_suffixes", ())))
    figure = _figure_rule(env)  # a figure typed as the target is that check's one notice: one slip, one problem
    for i, it in _own_items(env, doc):
        name = it.get("name")
        if not isinstance(name, str) or not target_in_words(it) or not it.get("text"):
            continue
        if figure is not None and isinstance(it["text"], str) and _figure(it["text"], figure):
            continue
        suffix = _quantity_suffix(name, ordered, skip)
        if suffix:
            yield env.problem(rule, _item_path(env, i, "text"), value=it["text"], name=name, suffix=suffix,
                              **_ends(name, suffix))


@check("review_cost_qualitative", {"exclude_level2": ("strs", False), "cited": ("strs", False)}, supplies=("name",),
       review=True)
def _cost_qualitative(rule, params, doc, env):
    """A cost indicator (in the framework's cost place) whose target is in words (控制在预算范围内, 合理, 节约): it
    sets no cost to check the spending against.  Not under the ``exclude_level2`` (社会成本指标, 生态环境成本指标:
    costs that are rightly described, not priced); not a target naming one of the ``cited`` words (标准, 办法, 规定,
    程序: 符合本市会议费开支标准, 按政府采购程序执行 cite a published rule the spending is checked against) nor one
    holding a figure (控制在预算范围内，节约率≥5%).  One problem per cell: a figure typed as the words (≤1500元) is
    review.figure_qualitative's notice, a placeholder (不涉及, 无: delete the row) rule.placeholder's, a vague
    word (低于上年, 持续优化: give the figure) review.vague_target's."""
    places = (env.fw.review or {}).get("cost") or []
    if not places:
        return
    skip = _canon_set(tuple(params.get("exclude_level2") or ()))
    cited = _canon_words(params.get("cited"))
    figure, vague, said = _figure_rule(env), _vague_rule(env), placeholder_texts(env)
    for i, it in _own_items(env, doc):
        text = it.get("text")
        if not target_in_words(it) or not isinstance(text, str) or not text.strip() \
                or not _place_matches(places, it.get("level1"), it.get("level2")) or canon(it.get("level2")) in skip:
            continue
        t = canon(text)
        if any(ch.isdigit() for ch in t) or any(w in t for w in cited) or placeholder_of(text, said) is not None:
            continue
        if (figure is not None and _figure(text, figure)) or (vague is not None and _vague_in(text, vague)):
            continue
        yield env.problem(rule, _item_path(env, i, "text"), value=text, name=it.get("name") or "")


# a number as typed: 90, 12.5, 1,000 and 1,200.5 (thousands separators; NFKC makes a full-width ，,)
_FIGURE = re.compile(r"([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(\D*)")
_YEAR = re.compile(r"\d{4}")


@lru_cache(maxsize=64)
def _figure_words(prefixes: tuple, suffixes: tuple, bare: tuple, trailing: tuple, remarks: tuple,
                  dates: tuple, brackets: tuple) -> tuple:
    """The figure check's word lists, canonical, longest first: once per run.  `brackets`: each pair of brackets
    as an (opening, closing) tuple of canonical characters."""
    def order(words):
        return tuple(sorted({canon(w) for w in words if canon(w)}, key=len, reverse=True))
    pairs = tuple((b[0], b[-1]) for b in (canon(x) for x in brackets) if len(b) >= 2)
    return order(prefixes), order(suffixes), frozenset(canon(u) for u in bare), order(trailing), order(remarks), \
        order(dates), pairs


def _is_remark(inside: str, remarks) -> bool:
    """Whether what a bracket holds may be a remark beside the figure, not a second figure: it holds no digit
    (（抽查）, （以实际为准）, (暂定)), or it opens with one of `remarks` (（含）, （含90%）: the bound restated, which
    ``_restates`` checks once the figure is known)."""
    return not any(ch.isdigit() for ch in inside) or any(inside.startswith(w) for w in remarks)


_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def _restates(asides: list, number: str) -> bool:
    """Whether every number in the brackets set aside is the figure's own: （含90%） beside ≥90% restates it,
    （含A类≥95%） holds a second figure."""
    try:
        own = Decimal(number)
        return all(Decimal(n) == own for inside in asides for n in _NUMBERS.findall(inside.replace(",", "")))
    except ArithmeticError:
        return False


def _remark_end(t: str, remarks, brackets) -> tuple[int, str] | None:
    """Where a trailing remark in brackets begins (``_is_remark``), and what it holds: ≥90%（抽查）, 95%以上（含）."""
    for opening, closing in brackets:
        if t.endswith(closing):
            start = t.rfind(opening, 0, len(t) - 1)
            inside = t[start + 1:-1]
            if start > 0 and opening not in inside and _is_remark(inside, remarks):
                return start, inside
    return None


def _remark_start(t: str, remarks, brackets) -> tuple[int, str] | None:
    """Where the text goes on after a leading remark in brackets, and what it holds: （暂定）≥90%."""
    for opening, closing in brackets:
        if t.startswith(opening):
            end = t.find(closing, 1)
            inside = t[1:end]
            if 0 < end < len(t) - 1 and opening not in inside and _is_remark(inside, remarks):
                return end + 1, inside
    return None


def _figure(text, params) -> tuple[str, str] | None:
    """(number, unit) where a qualitative target is a figure: a number with a unit of at most ``max_unit_chars``
    characters, said with a comparator word before or after it (≥90%, 不低于 95 %, 90 % 以上), or alone with one of
    the ``bare_units`` (95 %).  What stands beside the figure and says nothing of it is passed over: the ``trailing``
    words (左右, end punctuation) and a remark in one of the ``remark_brackets``, before or after the figure, that
    holds no digit (≥90%（抽查）, （暂定）≥90%) or opens with one of the ``remarks`` and holds no number but the
    figure's (以上（含）, （含90%）); a bracket holding another figure (≥90%（其中A类≥95%）, （含A类≥95%）) is a second
    target, and the text no one figure.  The number is given without its thousands separators (≥1,000人: 1000); the
    unit is % or ‰, or letters and ideographs (人, 万元, km/h): ≥90%，抽查 names no unit, and is no figure.  A date
    (2021年12月底前, 达到2021年底: a four-digit number before 年 is a year; a unit opening with one of the
    ``date_units``, 月底, 月前, 日前 …, is a date), a count said alone (1次), a text holding a figure (较上年提高5个百分点)
    are not; a time limit is (≤6月, 6个月内, ≤30天)."""
    prefixes, suffixes, bare, trailing, remarks, dates, brackets = _figure_words(
        *(tuple(params.get(k) or ()) for k in ("prefixes", "suffixes", "bare_units", "trailing", "remarks",
                                               "date_units", "remark_brackets")))
    t = canon(text)
    said = False
    asides: list = []  # what the brackets set aside hold
    while t:  # （暂定）≥90%: a remark before the figure
        found = _remark_start(t, remarks, brackets)
        if found is None:
            break
        t = t[found[0]:]
        asides.append(found[1])
    head = next((w for w in prefixes if t.startswith(w)), None)
    if head:
        t, said = t[len(head):], True
    while t:  # 95%以上（含）。 -> 95%: what ends the text, in any order, until nothing more comes off
        found = _remark_end(t, remarks, brackets)
        if found is not None:
            t = t[:found[0]]
            asides.append(found[1])
            continue
        tail = next((w for w in trailing if t.endswith(w) and len(t) > len(w)), None)
        if tail:
            t = t[: -len(tail)]
            continue
        tail = next((w for w in suffixes if t.endswith(w) and len(t) > len(w)), None)
        if tail:
            t, said = t[: -len(tail)], True
            continue
        break
    m = _FIGURE.fullmatch(t)
    if not m or len(m.group(2)) > params.get("max_unit_chars", 4):
        return None
    number, unit = m.group(1).replace(",", ""), m.group(2)
    if unit and not _unit_ok(unit):
        return None  # ≥90%，抽查, 达到90%满意: words after the figure, not its unit
    if asides and not _restates(asides, number):
        return None  # ≥90%（含A类≥95%）: a second figure
    if (unit.startswith("年") and _YEAR.fullmatch(number.lstrip("+-"))) or any(unit.startswith(d) for d in dates):
        return None  # 2021年底, 12月底: when, not how much
    return (number, unit) if said or unit in bare else None


def _figure_rule(env):
    """The rule table's review.figure_qualitative row with its parameters in force, or None."""
    return _rule_in_force(env, "review_figure_qualitative")


@check("review_figure_qualitative", {"prefixes": ("strs", False), "suffixes": ("strs", False),
                                     "bare_units": ("strs", False), "max_unit_chars": ("positive", False),
                                     "trailing": ("strs", False), "remarks": ("strs", False),
                                     "date_units": ("strs", False), "remark_brackets": ("strs", False),
                                     "unit_hint": ("str", False),
                                     "unit_hint_en": ("str", False)},
       supplies=("number", "unit_hint"), review=True)
def _figure_qualitative(rule, params, doc, env):
    """The message's {unit_hint}: the ``unit_hint`` words (``unit_hint_en`` in English), {unit} in them the unit
    found, where the figure has a unit; nothing where it has none (>=98)."""
    hint, hint_en = params.get("unit_hint", ""), params.get("unit_hint_en", "")
    for i, it in _own_items(env, doc):
        text = it.get("text")
        if not target_in_words(it) or not isinstance(text, str):
            continue
        found = _figure(text, params)
        if found:
            number, unit = found
            # replaced, not str.format: a bureau's {units} or a lone brace is written as given, never an exception
            yield env.problem(rule, _item_path(env, i, "text"), value=text, number=number,
                              unit_hint=hint.replace("{unit}", unit) if unit else "",
                              unit_hint_en=hint_en.replace("{unit}", unit) if unit else "")


@lru_cache(maxsize=64)
def _unit_words(suffixes: tuple, excluded: tuple, level2: tuple) -> tuple:
    """The unit check's name endings (longest first, as given and canonical), excluded endings and 二级 names,
    canonical: once per run."""
    ordered, skip = _suffix_table(suffixes, excluded)
    return ordered, skip, frozenset(canon(x) for x in level2 if canon(x))


_UNIT_IN_NAME = re.compile(r"[(（][^()（）]{1,6}[)）]$")  # 应补尽补率（%）: the unit said in the name


@check("review_unit_missing", {"suffixes": ("strs", False), "exclude_suffixes": ("strs", False),
                               "level2": ("strs", False), "examples": ("strs", False)},
       supplies=("name", "target", "why", "examples"), review=True, forms=("goal-table",))
def _unit_missing(rule, params, doc, env):
    """A number target with no 计量单位 on a row that is measured in one: its name ends as a quantity does (…率,
    …人数, …满意度; not …系数 nor …指数, pure numbers), or it stands under a 二级 of counts (数量: 国内展品 =800,
    800 of what?).  At the empty unit cell; a unit said in the name (应补尽补率（%）) is one given."""
    ordered, skip, groups = _unit_words(tuple(params.get("suffixes") or ()), tuple(params.get("exclude_suffixes") or ()),
                                        tuple(params.get("level2") or ()))
    units = params.get("examples") or ("%", "人", "件", "次")
    examples, examples_en = "、".join(units), ", ".join(f"'{u}'" for u in units)
    shown = env.cache.get("unit_shown") or ()  # a unit its number format shows: the reader's warning says it
    for i, it in _own_items(env, doc):
        name = it.get("name")
        if not _quantitative(it) or not _blank(it.get("unit")) or not isinstance(name, str) \
                or _UNIT_IN_NAME.search(canon(name)) or _item_path(env, i, "value") in shown:
            continue
        key = indicator_key(name)
        if any(key.endswith(x) for x in skip):
            continue  # …系数, …指数: pure numbers, under any 二级
        suffix = _ending(key, ordered)
        level2 = it.get("level2")
        if suffix:
            why, why_en = f"以“{suffix}”结尾", f"ends in '{suffix}'"
        elif isinstance(level2, str) and canon(level2) in groups:
            why, why_en = f"在二级指标“{level2}”下", f"is under the level-2 category '{level2}'"
        else:
            continue
        yield env.problem(rule, _item_path(env, i, "unit"), value=None, expected=examples, expected_en=examples_en,
                          name=name, target=shown_target(it), why=why, why_en=why_en, examples=examples,
                          examples_en=examples_en)


@check("review_unit_mismatch", {"counts": ("strs", False), "shares": ("strs", False)},
       supplies=("name", "target", "suffix", "unit", "ends", "ends_en"), review=True, forms=("goal-table",))
def _unit_mismatch(rule, params, doc, env):
    """A number target of a count in a share's unit: a name ending as a count does (…人数, …次数: the ``counts``)
    with a unit among the ``shares`` (%: 享受职业技能补贴人数 ≥90%).  Either a share is meant, and the name should
    say so (…比例, …覆盖率), or a count, in its unit.  At the unit cell."""
    ordered, _ = _suffix_table(tuple(params.get("counts") or ()), ())
    shares = _canon_set(tuple(params.get("shares") or ()))
    for i, it in _own_items(env, doc):
        name, unit = it.get("name"), it.get("unit")
        if not _quantitative(it) or not isinstance(name, str) or not isinstance(unit, str) or canon(unit) not in shares:
            continue
        suffix = _quantity_suffix(name, ordered, ())
        if suffix:
            yield env.problem(rule, _item_path(env, i, "unit"), value=unit, name=name, target=shown_target(it),
                              suffix=suffix, unit=unit, **_ends(name, suffix))


@check("review_placeholder_row", review=True)
def _placeholder_row(rule, params, doc, env):
    """A row whose name or target is a placeholder word (不涉及, 无, /, N/A …): the bureau's one list, the rule table's
    (rule.placeholder's ``texts``, as for a required reason), compared as they are (``placeholder_key``: NFKC, no
    spaces, no end punctuation).  A target that is one of them is rule.placeholder's warning, which runs with or without the
    review and fails --strict: one problem per cell, not a warning and a notice with two pieces of advice."""
    said = placeholder_texts(env)
    for i, it in _own_items(env, doc):
        for key in ("name", "text"):
            v = it.get(key)
            if placeholder_of(v, said) is not None:
                if key == "text":
                    break  # rule.placeholder's warning stands at this cell (its words, compared alike)
                yield env.problem(rule, _item_path(env, i, key), value=v)
                break


@check("review_quantified_share", {"min_share": ("ratio", False), "min_indicators": ("count", False)},
       supplies=("share", "quantified", "total", "groups", "least"), review=True)
def _quantified_share(rule, params, doc, env):
    groups = (env.fw.review or {}).get("quantified_level1") or []
    rows = [(i, it) for i, it in _items(env, doc) if it.get("level1") in groups]
    if not rows or len(rows) < params.get("min_indicators", 1):
        return
    quantified = sum(_quantitative(it) for _, it in rows)
    least = dec(params.get("min_share", 0.5))
    if quantified < least * len(rows):
        first, it = next(((i, it) for i, it in rows if not _quantitative(it)), rows[0])
        # a notice on the table, said at its first qualitative target (one to make quantified): the value found is
        # that cell's, what is expected of it a quantified target; the share is the message's (5/21 is no cell's value)
        # the share shown rounded down (49.6 % is not “50%” short of half), the limit as the settings give it
        yield env.problem(rule, _item_path(env, first, "text"), value=it.get("text", it.get("value")),
                          expected="定量的目标（比较符、数字和计量单位）",
                          expected_en="a quantified target (comparator, number and unit)",
                          share=percent(Decimal(quantified) / len(rows), ROUND_FLOOR),
                          least=percent(least),
                          quantified=quantified, total=len(rows), groups="、".join(groups),
                          groups_en=quoted(groups))


@lru_cache(maxsize=64)
def _telling_words(numerals: tuple, markers: tuple) -> tuple[frozenset, tuple]:
    """The near-duplicate check's numeral characters and marker words (canonical, lower case as names are compared,
    longest first): once per run."""
    chars = frozenset(ch for w in numerals for ch in indicator_key(w))
    return chars, tuple(sorted({indicator_key(w) for w in markers if indicator_key(w)}, key=len, reverse=True))


def _told_apart(a: str, b: str, numerals: frozenset, markers: tuple) -> bool:
    """Whether the names' keys `a` and `b`, alike as they are, name different rows: one of the places they differ
    holds, on both sides, a number (digits, or the ``numerals``: 一类/二类, 第一/第二季度, 2020年/2021年) or a word
    before one of the ``markers`` (市级/区级, A类/B类).  A stray character or a typo is no such place."""
    import difflib  # a review run only, and only for a pair already found alike

    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag != "replace":
            continue
        x, y = a[i1:i2], b[j1:j2]
        if all(ch.isdigit() or ch in numerals for ch in x + y):
            return True
        if any(a.startswith(m, i2) and b.startswith(m, j2) for m in markers):
            return True
    return False


def same_indicator(key: str, other_key: str, threshold: float, numerals: frozenset, markers: tuple) -> bool:
    """Whether two names' keys (``indicator_key``) name one indicator as review.duplicate_name reads them: the same
    key, or keys alike to `threshold` (difflib's ratio) that no number or level word tells apart (``_told_apart``).
    The comparison with last year's return matches names so too (享受见习补贴人数 / 享受见习补贴的人数)."""
    return key == other_key or (similar(key, other_key, threshold) and not _told_apart(key, other_key, numerals, markers))


def _near_params(env) -> tuple[float, frozenset, tuple]:
    """review.duplicate_name's similarity, numerals and markers in force (review.json's where the rule table has no
    such row), for matching this year's names with last year's."""
    params = _rule_in_force(env, "review_near_duplicate")
    if params is None:  # the bureau's table has no review.duplicate_name: the review settings' own
        params = env.review.settings.checks.get("review_near_duplicate", {}) if env.review is not None else {}
    return _near_of(params)


def _near_of(params) -> tuple[float, frozenset, tuple]:
    """The similarity, numerals and markers of review.duplicate_name's parameters `params`."""
    numerals, markers = _telling_words(tuple(params.get("numerals") or ()), tuple(params.get("markers") or ()))
    return params.get("similarity", 0.9), numerals, markers


@check("review_near_duplicate", {"similarity": ("share", False), "numerals": ("strs", False),
                                 "markers": ("strs", False)}, supplies=("other", "name_title"), review=True)
def _near_duplicate(rule, params, doc, env):
    threshold, numerals, markers = _near_of(params)
    seen: list[tuple] = []
    for i, it in _items(env, doc):
        name = it.get("name")
        if not isinstance(name, str) or not name.strip():
            continue
        key = indicator_key(name)
        chars = frozenset(key)
        repeats = len(key) - len(chars)
        for j, other, other_key, other_chars, other_repeats in seen:
            if other == name:
                break  # the very same text: rule.duplicate_name reports it already
            if key != other_key and not can_reach(len(chars & other_chars), repeats, other_repeats,
                                                  len(key) + len(other_key), threshold):
                continue  # most pairs stop here
            if same_indicator(key, other_key, threshold, numerals, markers):
                yield env.problem(rule, _item_path(env, i, "name"), value=name,
                                  other=f"{env.form.item_label(j)}“{other}”",
                                  other_en=f"{env.form.item_label(j, 'en')} '{other}'")
                break
        seen.append((i, name, key, chars, repeats))


@check("review_rows_per_level2", {"max": ("positive", False)}, supplies=("level2", "count", "max", "level2_title"), review=True)
def _rows_per_level2(rule, params, doc, env):
    limit = params.get("max", 10)
    groups: dict = {}
    for i, it in _items(env, doc):
        if it.get("level2"):
            groups.setdefault((it.get("level1"), it["level2"]), []).append(i)
    for (level1, level2), rows in groups.items():
        if len(rows) > limit:
            yield env.problem(rule, _item_path(env, rows[limit], "level2"), value=level2, expected=f"≤ {limit}",
                              level2=level2, count=len(rows), max=limit)


@check("review_satisfaction_place", {"words": ("strs", False), "conduct": ("strs", False)},
       supplies=("level1", "level2"), review=True)
def _satisfaction_place(rule, params, doc, env):
    """A satisfaction indicator (its name holds one of the ``words``) outside the framework's satisfaction place, at
    the 三级 name it quotes.  A row measuring the survey's conduct (its name holds one of the ``conduct`` words:
    满意度调查覆盖率, 满意度测评完成率, 问卷回收数量) is an output, not a satisfaction result, and stays where it is."""
    places = (env.fw.review or {}).get("satisfaction") or []
    words, conduct = _canon_words(params.get("words")), _canon_words(params.get("conduct"))
    if not places:
        return
    for i, it in _own_items(env, doc):
        name = it.get("name")
        if not isinstance(name, str):
            continue
        named = canon(name)
        if not any(w in named for w in words) or any(w in named for w in conduct):
            continue
        if it.get("level1") and not _place_matches(places, it.get("level1"), it.get("level2")):
            yield env.problem(rule, _item_path(env, i, "name"), value=name, expected=_places_text(places),
                              expected_en=_places_text(places, ", "),
                              level1=it.get("level1") or "", level2=it.get("level2") or "")


def satisfaction_example(floor: Decimal) -> Decimal:
    """The example of a target review.satisfaction_low's message gives (≥ 90 % under the packaged floor of 80): ten
    above the floor, at most 95, never below the floor itself (86 → 95, 95 → 95, 97 → 97): a stricter floor never
    suggests a laxer target (a raised floor of 95 is not told “如 ≥ 90 %”)."""
    return max(min(floor + 10, Decimal(95)), floor)


@check("review_satisfaction_floor", {"floor": ("percent", False), "units": ("strs", False),
                                    "suffixes": ("strs", False), "exclude": ("strs", False)},
       supplies=("name", "floor", "why", "example"), review=True)
def _satisfaction_floor(rule, params, doc, env):
    """A satisfaction target below the bureau's ``floor`` (80, in the ``units``, %): a row named as a satisfaction
    (its name ending in one of the ``suffixes``, 满意度, 满意率; not one with an ``exclude`` word, 不满意率) whose
    target ≥, ＞ or ＝ is lower (≥1 %), or is a ceiling (≤, ＜: no minimum asked at all).  Rows about the survey
    (满意度调查覆盖率) end otherwise, and are not satisfaction targets.  At the value cell."""
    floor = dec(params.get("floor", 80))
    units = _canon_set(tuple(params.get("units") or ("%",)))
    ordered, _ = _suffix_table(tuple(params.get("suffixes") or ()), ())
    exclude = _canon_words(params.get("exclude"))
    shown_floor = format_number(floor)
    example = format_number(satisfaction_example(floor))
    for i, it in _own_items(env, doc):
        name = it.get("name")
        if not _quantitative(it) or not isinstance(name, str) or canon(it.get("unit")) not in units:
            continue
        if not _ending(indicator_key(name), ordered) or any(w in canon(name) for w in exclude):
            continue
        comp, value = it["comparator"], dec(it["value"])
        if comp in ("<=", "<"):
            why, why_en = "只限定了上限，没有要求满意度至少达到多少", "a ceiling that asks for no minimum"
        elif value is not None and value < floor:
            why, why_en = f"低于 {shown_floor}{it.get('unit')}", f"below {shown_floor}{it.get('unit')}"
        else:
            continue
        yield env.problem(rule, _item_path(env, i, "value"), value=shown_target(it), name=name,
                          expected=f"≥ {shown_floor}{it.get('unit')}", floor=f"{shown_floor}{it.get('unit')}",
                          why=why, why_en=why_en, example=f"≥ {example} {it.get('unit')}")


def _bare_unit(unit, drop) -> str:
    """A unit canonical, without the brackets a column heading puts round it (（万元）, (万元)) nor the `drop` words
    (人民币, said of no amount)."""
    u = canon(unit)
    if len(u) > 2 and u[0] in "([" and u[-1] in ")]":
        u = u[1:-1]
    for w in drop:
        u = u.replace(w, "")
    return u


def _unit_money(unit, factors: dict, drop) -> Decimal | None:
    """How many 元 one `unit` is, where it is a unit of money as departments write one: 万元, （万元） and (万元) (the
    brackets a column heading puts round a unit), 万元人民币 and 元人民币 (the `drop` words, 人民币, said of no amount),
    and a multiplier alone on a cost row (2 亿, 20000 万: of 元, the row's money).  None for any other unit (元/人,
    元/次: a unit cost; 人, %: no money).  `factors`: canonical unit -> 元, as the review's settings give them."""
    u = _bare_unit(unit, drop)
    factor = factors.get(u)
    if factor is None and u and u != "元":
        factor = factors.get(u + "元")  # 亿, 万: a multiplier of the row's 元
    return dec(factor) if factor is not None else None


@lru_cache(maxsize=64)
def _money_factors(units: tuple | None) -> dict:
    return {canon(u): f for u, f in (units if units is not None else money_factors().items())}


@check("review_cost_budget", {"units": ("factors", False), "unit_words": ("strs", False),
                              "total_words": ("strs", False), "drop_words": ("strs", False),
                              "year_words": ("strs", False)},
       supplies=("total", "budget", "rows", "sum", "which"), review=True)
def _cost_budget(rule, params, doc, env):
    """Cost targets in money against the budget, compared as costs add up: a unit cost (a name with one of the
    ``unit_words``, 人均, 单位, 每 …; a unit per item, 元/人, is no unit of money) is never summed with the budget; a
    total cost (a name with one of the ``total_words``, 总成本, 总投资, 项目成本 …) is compared alone, each such row,
    with 项目总预算 where the table gives it (a project's whole cost over its years; 当年预算 otherwise, and for a
    total naming the year, one of the ``year_words``: 当年总成本); the other rows, a breakdown (分项成本), are summed
    only where no row is a total, against 当年预算.  The amounts in 元 exactly (``_unit_money``); ``{which}`` names
    the budget compared with."""
    places = (env.fw.review or {}).get("cost") or []
    # the bureau's units where its review settings give them; else every unit of money (元, 千元, 万元, 亿元 …)
    units = params.get("units")
    factors = _money_factors(tuple(units.items()) if units else None)
    drop = _canon_words(params.get("drop_words"))
    unit_words, total_words = _canon_words(params.get("unit_words")), _canon_words(params.get("total_words"))
    year_words = _canon_words(params.get("year_words") or ("当年", "本年", "年度"))
    budget = dec(_number(get(doc, "/budget/current_year")))
    whole = dec(_number(get(doc, "/budget/total")))  # 项目总预算: a multi-year project's, or the year's again
    if not places or budget is None:
        return
    totals, parts = [], []
    for i, it in _items(env, doc):
        if not _place_matches(places, it.get("level1"), it.get("level2")) or _number(it.get("value")) is None:
            continue
        factor, value = _unit_money(it.get("unit"), factors, drop), dec(it["value"])
        name = canon(it.get("name"))  # canon, not indicator_key: 培训成本（人均） keeps its 人均
        if factor is None or value is None or any(w in name for w in unit_words):
            continue  # no money (or no finite amount), or a unit cost: no share of the budget
        # exact: 0.1 万元 and 0.2 万元 are 3,000.00 元, never a float's 3000.0000000000005
        row = (i, it, value * factor, any(w in name for w in year_words))
        (totals if any(w in name for w in total_words) else parts).append(row)
    groups = [[t] for t in totals] if totals else [parts] if parts else []
    for rows in groups:
        total = sum((r[2] for r in rows), Decimal(0))
        over_years = bool(totals) and whole is not None and not rows[0][3]  # a project's total, not the year's
        limit = whole if over_years else budget
        which, which_en = ("项目总预算", "the project's total budget") if over_years else \
            ("项目当年预算", "this year's budget")
        if total <= limit:
            continue
        summed = len(rows) > 1 or not totals
        shown = "、".join(f"{r[1].get('name') or ''}（{shown_target(r[1])}）" for r in rows)
        (total_zh, total_en), (budget_zh, budget_en) = yuan(total), yuan(limit)
        yield env.problem(rule, _item_path(env, rows[0][0], "value"), value=total_zh, value_en=total_en,
                          expected=f"≤ {budget_zh}", expected_en=f"≤ {budget_en}", total=total_zh,
                          total_en=total_en, budget=budget_zh, budget_en=budget_en, rows=shown,
                          sum="合计" if summed else "为", sum_en="add up to" if summed else "is",
                          which=which, which_en=which_en,
                          rows_en=", ".join(f"'{r[1].get('name') or ''}' ('{shown_target(r[1])}')" for r in rows))


#: Which way each comparator says a target is stronger: a floor (≥, ＞) higher, a ceiling (≤, ＜) lower; ＝ names a
#: figure and no way.
_DIRECTION = {">=": 1, ">": 1, "<=": -1, "<": -1, "=": 0}


def _scale(unit, drop) -> tuple[str, Decimal]:
    """A unit as an exact scale of another: (the unit without a leading multiplier word of the reader's table, its
    power of ten).  万人次 is (人次, 10000), 万元人民币 (元, 10000: the `drop` words, 人民币, and brackets round the unit,
    （万元）, set aside), 人次 (人次, 1).  Only those: 月 and 天, 公里 and 米 are not converted (a month is no exact
    number of days), and stay units of their own."""
    u = _bare_unit(unit, drop)
    for word, power in MULTIPLIERS:
        if u.startswith(word):
            return u[len(word):], Decimal(power)
    return u, Decimal(1)


def _stronger_way(comp: str, last: str, rate: bool) -> int:
    """Which way this year's target (`comp`) must go to be no weaker than last year's (`last`): 1 up, -1 down, 0 not
    comparable.  A floor against a floor (≥ or ＞ both years) or a ceiling against a ceiling, as before; ＝ against a
    floor or a ceiling, either year, takes that year's way where the target is a `rate` (≥95% last year, ＝80% this
    year: lower), and no way otherwise: a count, an amount or a date given as ＝ is the year's plan (＝18所 to
    改造 this year after ≥20所 last year, ＝12月 after ≤10月), which moves with the plan, not a looser commitment;
    ＝ against ＝ says no way (an exact figure may move either way with the plan), nor does a floor against a ceiling
    (≥ one year, ≤ the other: a different target)."""
    now, then = _DIRECTION[comp], _DIRECTION[last]
    if now and then and now != then:
        return 0
    if not (now and then) and not rate:
        return 0
    return now or then


@check("review_below_last_year", {"flag_equal": ("bool", False), "drop_words": ("strs", False),
                                  "rate_units": ("strs", False)},
       supplies=("last", "comparator", "previous", "last_year", "than", "how", "named"), review=True)
def _below_last_year(rule, params, doc, env):
    """A target weaker than last year's for the same indicator (``_stronger_way`` says which comparators compare), in
    the same unit or one an exact scale of it (``_scale``: 2万人次 then, 15000人次 now is lower; 100万元 then,
    1500000元 now, a ceiling, is higher), compared exactly (Decimal); last year's target shown in this year's unit.
    ＝ against a floor or a ceiling compares only in the ``rate_units`` (%, ‰): a count or a date as ＝ is a plan."""
    index = env.review.previous if env.review is not None else None
    last = index.find(doc) if index is not None else None
    if not last:
        return
    before: dict = {}
    for it in last["indicators"]:
        if _quantitative(it) and it.get("comparator") in _DIRECTION:
            before.setdefault(indicator_key(it.get("name")), it)
    flag_equal = params.get("flag_equal", False)
    drop = _canon_words(params.get("drop_words"))
    rates = _canon_set(tuple(params.get("rate_units") or ("%", "‰")))
    near = _last_year_pairs(env, doc, last)[0]
    for i, it in _own_items(env, doc):
        comp = it.get("comparator")
        if comp not in _DIRECTION or not _quantitative(it):
            continue
        prev = before.get(indicator_key(it.get("name")))
        named = named_en = ""
        if prev is None and i in near:  # renamed a little (享受见习补贴的人数): last year's row of the nearest name
            prev = last["indicators"][near[i]]
            if not (_quantitative(prev) and prev.get("comparator") in _DIRECTION):
                continue
            # the year words filled first, the name added as written (培训{人次} is no format field)
            named = "（{last_year}名称为“".format(**index.year_words(doc)) + f"{prev.get('name')}”）"
            named_en = f" (named '{prev.get('name')}')"
        if prev is None:
            continue
        (unit, factor), (prev_unit, prev_factor) = _scale(it.get("unit"), drop), _scale(prev.get("unit"), drop)
        way = _stronger_way(comp, prev["comparator"], unit in rates)
        if unit != prev_unit or not way:
            continue
        now, then = dec(it["value"]), dec(prev["value"])
        if now is None or then is None:
            continue  # no finite number (1e999 in a JSON document): nothing to compare
        now, then = now * factor, then * prev_factor
        equal = now == then
        same = equal and (prev["comparator"] == comp or "=" in (comp, prev["comparator"]))
        # the same value under a stricter comparator this year (＞85% against ≥85% or ＝85%) is no weaker
        stricter = equal and comp in (">", "<") and prev["comparator"] not in (">", "<")
        weaker = (now < then if way > 0 else now > then) or (flag_equal and equal and not stricter)
        if weaker:
            # flag_equal: a target equal to last year's is the same, not weaker (比…还要宽松 would be untrue); the same
            # value under last year's stricter comparator (≥90% against ＞90%) is weaker, not the same
            than, how, how_en = ("与", "相同，没有提高", "is the same as") if same else \
                ("比", "还要宽松", "is weaker than")
            # last year's figure in this year's unit (2万人次 against a target in 人次: 20000); as typed where the unit
            # is the same
            then_shown = _shown(prev["value"]) if factor == prev_factor else format_number(then / factor)
            # ＝ this year is held to last year's way: at least (≥) or at most (≤) last year's figure
            bound = comp if comp != "=" else (">=" if way > 0 else "<=")
            # the targets as the goal table shows them (＞85%, the dropdown's comparator), not format_target's >85%
            yield env.problem(rule, _item_path(env, i, "value"), value=shown_target(it), than=than, how=how,
                              how_en=how_en,
                              expected=f"{COMPARATOR_DISPLAY[bound]} {then_shown}{it.get('unit') or ''}",
                              last=shown_target(prev), comparator=COMPARATOR_DISPLAY[comp],
                              named=named, named_en=named_en,
                              previous=index.source_of(doc), **index.year_words(doc))


def _added_to(short: str, long: str) -> bool:
    """Whether `long` is `short` with characters added (`short` a subsequence of it: 享受见习补贴人数 in
    享受见习补贴的人数, 培训人数 in 职业培训人数); a character replaced (就业培训 / 创业培训) is another word."""
    rest = iter(long)
    return len(short) <= len(long) and all(c in rest for c in short)


def _comparator_family(comp) -> str:
    """A target's kind as last year's is matched with it: 定性, a ceiling (≤, ＜: a lower figure the aim), else a figure
    to reach (≥, ＞, ＝)."""
    return "qualitative" if comp == "qualitative" else "ceiling" if comp in ("<=", "<") else "reach"


def _renamed(it: dict, prev: dict, key: str, prev_key: str) -> bool:
    """Whether this year's row `it` may be last year's `prev` renamed a little, beyond the names' likeness: the same
    二级指标, the same unit (万人次 and 人次 alike) and comparator family, and the one name the other with characters
    added (``_added_to``).  City 就业培训合格率 and 创业培训合格率 are two indicators, however alike their names."""
    level = [canon(x.get("level2")) if isinstance(x.get("level2"), str) else "" for x in (it, prev)]
    if level[0] != level[1]:
        return False
    if _scale(it.get("unit"), ())[0] != _scale(prev.get("unit"), ())[0]:
        return False
    if _comparator_family(it.get("comparator")) != _comparator_family(prev.get("comparator")):
        return False
    return _added_to(key, prev_key) if len(key) <= len(prev_key) else _added_to(prev_key, key)


def _named_keys(rows) -> list[tuple[int, str]]:
    """(index, indicator_key) of the (index, row) pairs whose name is a text with a key."""
    return [(i, k) for i, it in rows if isinstance(it.get("name"), str) and (k := indicator_key(it["name"]))]


def _last_year_pairs(env, doc, last) -> tuple[dict, list]:
    """This year's rows matched with last year's (`last`) by name: ({this year's index: last year's index} for the
    rows of no name of last year's matched by a name review.duplicate_name calls the same (``same_indicator``: a
    character added or dropped) and that may be it renamed (``_renamed``: the same 二级指标, unit and comparator
    family, one name the other with characters added), nearest first and one to one; last year's indices none of
    this year's rows names, exactly or nearly).  Once a return."""
    found = env.cache.get("last_year_pairs")
    if found is not None:
        return found
    import difflib

    threshold, numerals, markers = _near_params(env)
    then, now = _named_keys(enumerate(last["indicators"])), _named_keys(_items(env, doc))
    keys_now, keys_then = {k for _, k in now}, {k for _, k in then}
    mine = dict(_items(env, doc))
    open_then = [(j, k) for j, k in then if k not in keys_now]
    pairs = sorted(((-difflib.SequenceMatcher(None, k, kj, autojunk=False).ratio(), i, j)
                    for i, k in now if k not in keys_then for j, kj in open_then
                    if same_indicator(k, kj, threshold, numerals, markers)
                    and _renamed(mine[i], last["indicators"][j], k, kj)), key=lambda p: p[:3])
    near: dict = {}
    taken: set = set()
    for _, i, j in pairs:
        if i not in near and j not in taken:
            near[i] = j
            taken.add(j)
    # last year's rows its framework prefilled, as prefilled, that this year's framework does not prefill (a new
    # framework: shanghai-2020's 投入与管理 rows gone from shanghai-2025) were the bureau's, not dropped by the
    # department; a row this year's framework still prefills and the return lacks was deleted, and is said
    bureau = set(last.get("bureau_rows", ()))
    carried = {indicator_key(r["name"]) for r in getattr(env.fw, "prefilled_rows", ()) or ()
               if isinstance(r, dict) and isinstance(r.get("name"), str)}
    dropped = [j for j, k in open_then if j not in taken and not (j in bureau and k not in carried)]
    found = env.cache["last_year_pairs"] = (near, dropped)
    return found


@check("review_dropped_indicator", supplies=("dropped", "last", "previous", "last_year"), review=True,
       forms=("goal-table",))
def _dropped_indicator(rule, params, doc, env):
    """An indicator of last year's return that this year's names neither exactly nor nearly (``_last_year_pairs``):
    dropped since last year, said at the indicator table with last year's name and target, once per row."""
    index = env.review.previous if env.review is not None else None
    last = index.find(doc) if index is not None else None
    if not last:
        return
    for j in _last_year_pairs(env, doc, last)[1]:
        prev = last["indicators"][j]
        target = shown_target(prev) or ""
        yield env.problem(rule, env.form.table.item_path, value=None,
                          expected=f"{prev.get('name')}（{target}）" if target else str(prev.get("name")),
                          dropped=str(prev.get("name")), last=target or "—",
                          previous=index.source_of(doc), **index.year_words(doc))


@check("review_previous_competing", supplies=("versions", "versions_en", "other"), review=True, forms=("goal-table",))
def _previous_competing(rule, params, doc, env):
    """With --previous, the project's return of last year given in versions that differ (the original and an
    adjusted goal table both in last year's folder; ``PreviousIndex.competing``): said at the project name, naming
    them all, and compared with none, rather than with the one the files' names happened to put last."""
    index = env.review.previous if env.review is not None else None
    paths = index.competing(doc) if index is not None else []
    if not paths:
        return
    yield env.problem(rule, "/project/name", value=get(doc, "/project/name"), other=index.contents(doc),
                      versions="、".join(display_path(p) for p in paths),
                      versions_en=", ".join(display_path(p) for p in paths))


@check("review_no_previous", supplies=("unit", "detail"), review=True, forms=("goal-table",))
def _no_previous(rule, params, doc, env):
    """With --previous, a goal table none of last year's returns is (by unit and project, as they are matched): it
    was compared with nothing, and said so at its project name (a renamed project or unit is found by no guess, but
    the near names there are, with their files, are named).  Where the project's return is there but of this year or
    later (this year's folder given again), it says so."""
    index = env.review.previous if env.review is not None else None
    if index is None or index.find(doc) is not None or index.competing(doc):
        return  # (versions that differ, compared with none: review.previous_competing says so)
    unit = get(doc, "/unit")
    later = index.later_years(doc)
    near, near_en = ("", "") if later else index.near(doc)  # a project or unit renamed: the bureau compares
    if near:
        detail, detail_en = f"；名称相近的有：{near}", f"; similar names there: {near_en}"
    elif later:
        detail = f"；只找到 {'、'.join(map(str, later))} 年的申报，不早于本表的预算年度"
        detail_en = f"; only a return of {', '.join(map(str, later))} was found, not earlier than this one's budget year"
    else:
        detail = detail_en = ""
    yield env.problem(rule, "/project/name", value=get(doc, "/project/name"),
                      unit=unit if isinstance(unit, str) else "", detail=detail, detail_en=detail_en)


def _narratives(env, params):
    """The narrative sections a check looks at: its ``paths`` parameter, else every long text of the form."""
    paths = params.get("paths")
    return [f for f in env.form.fields if f.kind == "longtext" and (not paths or f.path in paths)]


@check("review_narrative_copied", {"min_chars": ("count", False), "similarity": ("share", False),
                                   "paths": ("pointers", False)}, supplies=("previous", "last_year"), review=True)
def _narrative_copied(rule, params, doc, env):
    index = env.review.previous if env.review is not None else None
    last = index.find(doc) if index is not None else None
    if not last:
        return
    threshold, minimum = params.get("similarity", 1.0), params.get("min_chars", 20)
    for f in _narratives(env, params):
        now, then = canon(get(doc, f.path)), canon(last.get(f.path))
        if len(now) < minimum or not then:
            continue
        if now == then or (threshold < 1 and similar(now, then, threshold)):
            yield env.problem(rule, f.path, value=get(doc, f.path), previous=index.source_of(doc),
                              **index.year_words(doc))


@check("review_copied_between", {"min_rows": ("count", False), "min_chars": ("count", False),
                                  "paths": ("pointers", False)},
       supplies=("what", "what_en", "other", "other_en"), review=True, forms=("goal-table",))
def _copied_between(rule, params, doc, env):
    """review.copied_between_projects: another project's return in the same run with the same indicators or
    narrative.  One return alone has nothing to compare: ``_across`` digests each where it is read and compares the
    digests where a run's results are gathered."""
    return ()


@check("review_narrative_short", {"min_chars": ("count", False), "paths": ("pointers", False)},
       supplies=("length", "min"), review=True)
def _narrative_short(rule, params, doc, env):
    minimum = params.get("min_chars", 50)
    placeholders = placeholder_texts(env)
    for f in _narratives(env, params):
        text = get(doc, f.path)
        if not f.required and placeholder_of(text, placeholders) is not None:
            # 无 where the form asks for nothing (a 偏差原因 at 95 %): nothing to say, not too little; where the rules
            # do require it, their own error says the placeholder is no reason (self.execution_unexplained)
            continue
        n = len(canon(text))
        if 0 < n < minimum:
            yield env.problem(rule, f.path, value=text, expected=f"≥ {minimum} 字",
                              expected_en=f"≥ {minimum} characters", length=n, min=minimum)


@check("review_not_in_library", {"cutoff": ("ratio", False)}, supplies=("suggestion", "suggestion_en", "name_title"),
       review=True)
def _not_in_library(rule, params, doc, env):
    library = env.review.library if env.review is not None else None
    if library is None:
        return
    placeholders = placeholder_texts(env)
    for i, it in _own_items(env, doc):
        name = it.get("name")
        if not isinstance(name, str) or not name.strip() or library.contains(name):
            continue
        if placeholder_of(name, placeholders) is not None:
            continue  # 不涉及 as a name is review.placeholder_row's (delete the row), not a name to look up
        best = library.closest(name, it.get("level2"), params.get("cutoff", 0.5))
        yield env.problem(rule, _item_path(env, i, "name"), value=name, expected=best or "",
                          suggestion=f"指标库中最接近的名称是“{best}”；如适用请改用库中的名称，以便汇总和比较" if best
                          else "指标库中没有相近的名称：请核对名称，或请财政部门补充指标库",
                          suggestion_en=f"The closest library name is '{best}'; use it where it fits, so that returns "
                          "can be compared" if best else "The library has no similar name: check the name, or ask "
                          "the finance bureau to add it to the library")


def _entries(env, doc) -> tuple[bool, list[str], str, bool]:
    """What the department filled in of what the review reads (the entries of the indicator table, its narratives):
    (whether anything was read there, the paths of the cells the reader could not take there, in the form's order,
    the path where a notice on the whole return stands, whether any row of the indicator table holds an entry of
    the department's, read or not).  What the form locks (an approved target) and the rows the
    framework prefills, as prefilled, are not the department's.  Which fields and columns those are is the form's
    declaration.  A cell is one path per column of a row: a target the reader could not take (85%左右) is unread,
    whatever it guessed of the row's comparator.  Once per return."""
    found = env.cache.get("entries")
    if found is not None:
        return found
    form = env.form
    unreadable = env.cache.get("unreadable") or frozenset()
    narratives = [f for f in form.fields if f.kind == "longtext" and not f.locked]
    columns = [c for c in form.table.columns if not c.locked]
    keys = [k for c in columns for k in c.item_keys]
    # where the items' identity is the form's (locked: a self-evaluation's approved rows), every row's entries are
    # the department's; in a goal table, a row the framework prefills is not
    rows = _items(env, doc) if not keys or form.locked_at(f"{form.table.item_path}/0/name") else _own_items(env, doc)
    read, unread, rows_entered = False, [], False
    for f in narratives:
        if f.path in unreadable:
            unread.append(f.path)
        elif not _blank(get(doc, f.path)):
            read = True
    for i, it in rows:
        # a target the reader could not take on a row without a comparator is read as a text, 定性, the comparator
        # its guess (a 定性 chosen takes any text as written): not an entry of the department's
        guessed = it.get("comparator") == "qualitative" and _item_path(env, i, "text") in unreadable
        for c in columns:
            paths = [_item_path(env, i, k) for k in c.item_keys]
            bad = next((p for p in paths if p in unreadable), None)
            if bad is not None:
                unread.append(bad)
                rows_entered = True
            elif any(not _blank(it.get(k)) for k in c.item_keys if not (guessed and k == "comparator")):
                read = rows_entered = True
    if narratives:
        path = narratives[0].path
    else:
        first = next((i for i, _ in _items(env, doc)), 0)
        path = _item_path(env, first, columns[0].item_keys[0]) if columns else form.table.item_path
    found = env.cache["entries"] = (read, unread, path, rows_entered)
    return found


def _what(env) -> tuple[str, str]:
    """What the review reads of the form, as the notices on a whole return name it (zh, en)."""
    narratives = [f for f in env.form.fields if f.kind == "longtext" and not f.locked]
    return "、".join([env.form.table.name] + [f.label for f in narratives]), \
        ", ".join(["the indicator table"] + [f.label_en for f in narratives])


@check("review_unfilled", supplies=("what", "what_en"), review=True)
def _unfilled(rule, params, doc, env):
    """A return with nothing filled in of what the review reads (``_entries``): nothing to rate, so not scored
    (``review_score`` None; ``unscored``) rather than rated a perfect 100.  One whose entries were all unreadable is
    ``review_unreadable``'s, not unfilled."""
    read, unread, path, _ = _entries(env, doc)
    if read or unread:
        return
    what, what_en = _what(env)
    yield env.problem(rule, path, value=None, what=what, what_en=what_en)


@check("review_unreadable", supplies=("what", "what_en", "count"), review=True)
def _unreadable(rule, params, doc, env):
    """A return whose every entry the review reads is one the reader could not take (an error value, a target typed
    as 85%左右): not blank, yet nothing to rate.  Not scored, at the first such cell, saying why; not review.unfilled
    (“未填写” beside the read error at the same cell) nor a perfect 100."""
    read, unread, _, _ = _entries(env, doc)
    if read or not unread:
        return
    what, what_en = _what(env)
    yield env.problem(rule, unread[0], value=None, what=what, what_en=what_en, count=len(unread))


@check("review_no_indicators", review=True, forms=("goal-table",))
def _no_indicators(rule, params, doc, env):
    """A goal table whose narratives are filled in and whose indicator table holds no entry of the department's (no
    row, or only the rows the framework prefills, as prefilled): its goals have no indicator to rate, so it is not
    scored (``unscored``) rather than rated as if fine.  At the indicator table's first cell.  Nothing filled in at
    all is ``review_unfilled``'s, nothing readable ``review_unreadable``'s; entries in the table that could not be
    read are entries (rule.no_indicators, the error, is the rule table's, apart)."""
    read, _, _, rows_entered = _entries(env, doc)
    if rows_entered or not read:
        return
    columns = [c for c in env.form.table.columns if not c.locked]
    path = _item_path(env, 0, columns[0].item_keys[0]) if columns else env.form.table.item_path
    yield env.problem(rule, path, value=None)
