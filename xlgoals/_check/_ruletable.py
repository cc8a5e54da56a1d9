"""The rule table (``schema/rules.csv``): every problem code with its severity, check and messages.

The packaged table is the default.  A bureau's own table (``--rules FILE``, ``rules=`` in the
library) is laid over it: its rows replace packaged rows with the same code and add new ones,
so a file with one row can change one rule's severity, or turn a rule off (severity ``off``: it runs nowhere, and
no problem of its code is reported; only a rule a check runs, not a code the reader, the schema or the targets'
comparison gives).  A rule runs on the forms whose documents have the fields it names, or those its ``forms``
parameter names (``RuleTable.checks_for``).  Every row is checked when it loads —
column count, severity, check kind, parameters, messages and their ``{placeholders}`` — and a
fault is a ConfigError naming the file and line.
"""

from __future__ import annotations

import json
import math
import os
import re
import unicodedata
from dataclasses import fields, replace
from functools import lru_cache

try:  # what string.Formatter().parse is, without loading `string` (its Template compiles a pattern)
    from _string import formatter_parser
except ImportError:  # pragma: no cover - not CPython
    import string

    formatter_parser = string.Formatter().parse

from .._errors import ConfigError
from .._problems import OFF, SEVERITIES, Problem, is_number, number_text, value_text
from .._record import frozen
from .._resources import data_dir, json_shown, json_why, load_as_given, read_config_csv
from .._text import Bilingual, at, invisible_shown, line_of, quoted
from .._selfeval import _checks as _selfeval_checks  # noqa: F401  (registers the self-evaluation's check kinds)
from .._monitor import _checks as _monitor_checks  # noqa: F401  (registers the monitoring report's check kinds)
from . import _figures  # noqa: F401  (registers the kinds of implausible figures of both forms)
from ._rules import CHECKS, COMMON_PLACEHOLDERS, placeholder_keys
from .._review import _checks as _review_checks  # noqa: F401  (registers the review check kinds)

COLUMNS = ("code", "severity", "check", "params", "title_zh", "title_en", "field_zh", "message_zh", "message_en")
#: Columns a table may add after COLUMNS (one written before they existed works without them).
OPTIONAL_COLUMNS = ("field_en",)
_REQUIRED_TEXT = ("code", "title_zh", "title_en", "message_zh", "message_en")


@frozen
class RuleDef:
    """One row of the rule table: a problem code, its severity, check, parameters and messages."""

    code: str
    severity: str
    check: str
    params: str
    title_zh: str  # a short name for the problem type, for grouped reports
    title_en: str
    field_zh: str  # the field, where it is not a field of the form (those come from the form)
    message_zh: str
    message_en: str
    field_en: str = ""  # field_zh in English (the packaged row's, where a bureau's row leaves it out)
    where: str = ""  # file:line it came from

    def title(self, lang: str = "zh") -> str:
        return self.title_en if lang == "en" else self.title_zh


#: What makes a bureau's review row ask for the review (``review_configured``): not its wording
_CONFIGURES_REVIEW = ("severity", "check", "params")


class _Blank(dict):
    def __missing__(self, key):
        return ""


def _as_placed(value):
    """A value as a message's placeholder takes it: a number as ``number_text`` writes it, a logical value as a
    spreadsheet shows it (TRUE, FALSE: ``value_text``), anything else as it is (a text or None, most values, told
    apart first)."""
    if value is None or type(value) is str:
        return value
    return value_text(value) if is_number(value) or isinstance(value, bool) else value


def _visible(value):
    """A placeholder's value with the invisible characters of a text shown as escapes (``invisible_shown``), as
    {found} shows them: a name quoted in {expected}, {detail} or any other placeholder that differs from another only
    by a paste's U+200B is not shown the same as that other.  Asked of invisible_shown only where str.isprintable()
    refuses the text (each of those is a format character): a plain text costs one scan in C."""
    return invisible_shown(value) if type(value) is str and not value.isprintable() else value


def _short(value, limit: int = 60) -> str:
    # a number as its digits (0.0000001, not 1e-07; #NUM!, not inf), a logical value as the cell shows it (TRUE); the
    # invisible characters of a text shown (“85\u200b”: a paste's zero-width space, which would look like a valid 85)
    s = value_text(value)
    if not s.isprintable():
        s = invisible_shown(s)
    if len(s) <= limit:
        return s
    return s[: limit - 2] + "…%" if s.endswith("%") else s[: limit - 1] + "…"  # a percent keeps its sign


#: A number as a message quotes it (a percent too): 1e306 shown a hundredfold is asked about as 307 digits and a %.
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%?")


def _short_expected(expected):
    """The {expected} of a message: a number there (or its text, a percent) bounded as {found} is (``_short``),
    so a message asking “should it be 1000…%?” stays readable; any other text (a list of choices) as it is.  The
    problem's own ``expected`` keeps it whole."""
    if isinstance(expected, str) and len(expected) > 60 and _NUMBER_TEXT.fullmatch(expected):
        return _short(expected)
    return expected


_UNIT_AFTER = {"元": re.compile(r"\{(\w+)\}(\s*)元"), "yuan": re.compile(r"\{(\w+)\}(\s*)yuan\b")}


def _once(template: str, values: dict, unit: str) -> str:
    """A message whose placeholder is followed by its own 元 (``{other} 元``: a bureau's table written when amounts
    came bare), without that 元 where the value is money that says it already (62,800,000.00 元)."""
    if unit not in template:
        return template
    return _UNIT_AFTER[unit].sub(
        lambda m: "{" + m.group(1) + "}" if str(values.get(m.group(1), "")).endswith(f" {unit}") else m.group(0),
        template)


def _titled(rd: RuleDef, params: dict) -> RuleDef:
    """`rd` with its titles' ``{name}`` of a number parameter written as the parameter's value (rule.percent_range's
    百分比不在 {min}–{max} 之间); any other brace kept as written."""

    def fill(text: str) -> str:
        return re.sub(r"\{(\w+)\}", lambda m: number_text(params[m.group(1)])
                      if is_number(params.get(m.group(1))) else m.group(0), text)
    return replace(rd, title_zh=fill(rd.title_zh), title_en=fill(rd.title_en))


class RuleTable:
    """code -> RuleDef, with the business rules' parsed parameters."""

    def __init__(self, rules: dict[str, RuleDef], params: dict[str, dict], source: str | None, own: tuple = (),
                 given: dict | None = None):
        # a title naming its rule's parameters ({min}–{max}) says them as the table in force gives them
        rules = {c: _titled(rd, params.get(c) or {}) if "{" in rd.title_zh + rd.title_en else rd
                 for c, rd in rules.items()}
        self.rules, self._params, self.source = rules, params, source
        #: The codes of the rows the bureau's file gives (none for the packaged table alone).
        self.own = frozenset(own)
        #: code -> the severity its row gives, of each row ``_followed`` gave its leader's severity (the digest as
        #: stamped before rows followed another, ``_digests_before``, takes the row's own).
        self._given = dict(given or {})
        # a rule turned off (severity off) is in neither: it runs on no form, and no guide quotes its threshold
        self.business = tuple((rd, params[rd.code], CHECKS[rd.check].fn) for rd in rules.values()
                              if CHECKS[rd.check].fn is not None and not CHECKS[rd.check].review and rd.severity != OFF)
        #: The review checks (validate --review), as (rule, params, check function).
        self.review = tuple((rd, params[rd.code], CHECKS[rd.check].fn) for rd in rules.values()
                            if CHECKS[rd.check].review and rd.severity != OFF)
        self._for_form: dict = {}
        self._in_force: dict = {}  # check kind -> its rules in force (in_force), found once a table

    def checks_for(self, form_id: str, review: bool = False) -> tuple:
        """(the business rules (with `review`, the review checks) that run on a form's documents, as (rule, params,
        check function), their sweep (``sweep_of``: which of them may find something in a document) or None): those
        of kinds scoped to other forms left out, and the sweep generated, once here, not for every document.  The
        review's checks have none (they run with the review's thresholds, not the parameters a sweep would read)."""
        found = self._for_form.get((form_id, review))
        if found is None:
            from ._rules import sweep_of

            checks = tuple(c for c in map(lambda c: _on_form(c, form_id), self.review if review else self.business)
                           if c is not None)
            found = self._for_form[form_id, review] = (checks, None if review else sweep_of(checks, form_id))
        return found

    @classmethod
    def default(cls) -> RuleTable:
        return cls.load(None)

    @classmethod
    def load(cls, path: str | os.PathLike | None) -> RuleTable:
        return load_as_given(_load_table, path)

    def in_force(self, check: str) -> list[RuleDef]:
        """The rules of check kind `check` in force (not turned off), in the table's order (looked for in the whole
        table once a kind: the checks ask for them on every document)."""
        found = self._in_force.get(check)
        if found is None:
            found = self._in_force[check] = tuple(rd for rd in self.rules.values()
                                                  if rd.check == check and rd.severity != OFF)
        return list(found)

    def is_off(self, code: str) -> bool:
        """Whether the rule of `code` is turned off (severity off)."""
        rd = self.rules.get(code)
        return rd is not None and rd.severity == OFF

    def __getitem__(self, code: str) -> RuleDef:
        return self.rules[code]

    def get(self, code: str) -> RuleDef | None:
        return self.rules.get(code)

    def params_of(self, code: str) -> dict:
        """A rule's parsed parameters (its thresholds), as the table in force gives them."""
        return dict(self._params.get(code) or {})

    def __len__(self) -> int:
        return len(self.rules)

    def digest(self) -> str:
        """A short digest of what the bureau's own table decides: each row its file gives (``own``), as its code,
        severity, check kind and parameters (``_decision``: not its wording; a set-like list sorted, a parameter
        left out filled with its default), not the packaged rows it leaves as they are: what a template's stamp
        records of the rule table it was made under (``rules=``, when it decides otherwise than the packaged one),
        so that validate under another table says so (``template.other_rules``), and a release that adds or changes
        a packaged row leaves the digest of the same bureau file as it was.  The packaged table alone: the digest
        of no rows."""
        known = self.__dict__.get("_digest")
        if known is None:
            known = self._digest = _digest_of([self._decision(c) for c in sorted(self.own)])
        return known

    def _decision(self, code: str, as_before: bool = False) -> list:
        rd = self.rules[code]
        severity = self._given.get(code, rd.severity) if as_before else rd.severity
        return [code, severity, rd.check, _canonical(rd.check, self._params.get(code) or {}, as_before)]

    def decides_otherwise(self) -> bool:
        """Whether a row of the bureau's file decides otherwise than the packaged table (a new code, or another
        severity, check kind or parameters than the packaged row's, compared as ``_decision``): a template made
        under such a table records its digest in the stamp; one whose rows are all as packaged (a copy written
        by ``xlgoals defaults`` left unchanged) records nothing, as the packaged table's."""
        return bool(self.own) and bool(self._differing())

    def _differing(self, as_before: bool = False) -> list[str]:
        """The codes of the bureau's rows that decide otherwise than the packaged table now, sorted (`as_before`:
        compared as ``_decision`` compared them before, for ``_digests_before``)."""
        packaged = RuleTable.default()
        return [c for c in sorted(self.own) if c not in packaged.rules
                or packaged._decision(c, as_before) != self._decision(c, as_before)]

    def _differing_digest(self) -> str:
        """The digest of only the bureau's rows that decide otherwise than the packaged table now."""
        return _digest_of([self._decision(c) for c in self._differing()])

    def stamped(self) -> str:
        """What a template's stamp records as ``rules=``: the digest (``digest``), and, where the file gives rows
        as packaged too (a full copy), ``.`` and the digest of its rows deciding otherwise (``_differing_digest``),
        so that a file of those rows alone, deciding the same, is known for the table the template was made under."""
        differing = self._differing_digest()
        return self.digest() if differing == self.digest() else f"{self.digest()}.{differing}"

    def made_under(self, made: str) -> bool:
        """Whether a template whose stamp records `made` (``stamped``) was made under the decisions of this table:
        one of the digests it records is this table's digest (``digest``), the digest of only its rows deciding
        otherwise than the packaged table now (a full copy and a file of one row deciding the same), or the digest
        stamped before the digest covered the bureau's rows only (the whole merged table's, ``_whole_digest``:
        such a stamp still matches under the release it was made by and the same table; under a later release whose
        packaged rows differ it says template.other_rules once per return, as it did)."""
        ours = self.__dict__.get("_ours")
        if ours is None:  # once per table, not per return checked
            ours = self._ours = frozenset({self.digest(), self._differing_digest(), self._whole_digest(),
                                           *self._digests_before()})
        return any(part in ours for part in made.split("."))

    def _digests_before(self) -> tuple[str, str]:
        """The digest and the differing rows' digest as stamped before a review kind's parameters, `forms` and
        `required`'s `paths` were compared with their defaults (``_canonical``'s `as_before`), and before a row
        followed another's severity (``severity_of``: each row with the severity it gives, ``_given``): a template
        of then still matches the same table (a copy of ``xlgoals defaults`` lowering ``*.targets_unmatched``, its
        ``*.targets_refused`` row as copied)."""
        return (_digest_of([self._decision(c, True) for c in sorted(self.own)]),
                _digest_of([self._decision(c, True) for c in self._differing(as_before=True)]))

    def _whole_digest(self) -> str:
        """The digest stamps recorded before the digest covered the bureau's rows only: every code's severity, check
        and parameters, the packaged rows included (as d9fa887 computed it)."""
        def canon(o):
            return sorted(map(str, o)) if isinstance(o, (set, frozenset)) else str(o)

        return _digest_of([[c, rd.severity, rd.check, self._params.get(c)] for c, rd in sorted(self.rules.items())],
                          default=canon)

    def review_configured(self) -> list[str]:
        """The review codes this table configures (a bureau's --rules changing one's severity or parameters, or
        adding a review row): a table that configures the review asks for it, as --previous, --library and
        --review-config do (``review_wanted``).  A review row as packaged (a bureau's full copy of the table) asks
        for nothing, and neither does one differing only in its wording (titles, field, messages): a bureau
        rewording a notice has not asked for the review to run, and a copy of an earlier release's table carries
        that release's wording, which the packaged rows change under it.  [] for the packaged table."""
        if self.source is None:
            return []
        known = self.__dict__.get("_review_configured")
        if known is not None:
            return list(known)
        packaged = RuleTable.default()
        found = []
        for rd in self.rules.values():
            if not (CHECKS[rd.check].review or rd.check == "review_framework") or rd.severity == OFF:
                continue  # (a review check turned off asks for no review)
            base = packaged.get(rd.code)
            if base is None or any(getattr(rd, k) != getattr(base, k) for k in _CONFIGURES_REVIEW) \
                    or self._params.get(rd.code) != packaged._params.get(rd.code):
                found.append(rd.code)
        self._review_configured = tuple(found)  # asked by every validate call with the table: compared once
        return found

    def problem(self, code: str, *, file: str = "", sheet: str = "", cell: str = "", field: str = "",
                field_en: str = "", value=None, value_en=None, expected="", expected_en=None, path: str = "",
                shown: str | None = None, shown_en: str | None = None, **extra) -> Problem:
        """A Problem for `code`, with severity and messages from the table.

        `value_en` is what was found, in English, where it is our description rather than the cell's text; any
        ``X_en`` among the extra placeholders (``detail_en``) gives ``{X}`` in the English message (``{X_en}``
        stays available too), unless it is None.  `shown` (`shown_en`) is the value as the messages' ``{found}``
        writes it where that is not the value itself: an amount kept as its number, written 62,800,000.00 元.
        """
        rd = self.rules[code]
        # every number a message writes, by the one formatter (a placeholder given a float: 1e-07 otherwise)
        english = None
        if extra:  # (every placeholder's text with its invisible characters shown, as {found}'s: _visible)
            extra = {k: _visible(_as_placed(v)) for k, v in extra.items()}
            english = {k[:-3]: v for k, v in extra.items() if k.endswith("_en") and v is not None}
        expected, expected_en = _as_placed(expected), _as_placed(expected_en)
        if shown is None:
            shown = "" if value is None else _short(value)
        else:
            shown = _visible(shown)
        if shown_en is None:
            shown_en = shown if value_en is None else _short(value_en)
        else:
            shown_en = _visible(shown_en)
        if not field:
            field, field_en = rd.field_zh, field_en or rd.field_en
        named = _visible(sheet)  # (a sheet's name too: one renamed with a U+200B; the problem keeps it as it is)
        zh = _Blank(field=_visible(field), found=shown, expected=_visible(_short_expected(expected)), sheet=named,
                    cell=cell, **extra)
        en = _Blank(field=_visible(field_en or field), found=shown_en,
                    expected=_visible(_short_expected(expected if expected_en is None else expected_en)),
                    sheet=named, cell=cell, **({**extra, **english} if english else extra))
        return Problem(code=code, severity=rd.severity, message=_once(rd.message_zh, zh, "元").format_map(zh),
                       message_en=_once(rd.message_en, en, "yuan").format_map(en), file=file, sheet=sheet, cell=cell, field=field,
                       value=value, expected=str(expected) if expected is not None else "", path=path,
                       field_en=field_en if field_en != field else "", value_en=value_en,
                       expected_en=None if expected_en is None else str(expected_en))


def _finite(value) -> bool:
    """A number (not a logical value) that is finite: JSON's Infinity and NaN are no threshold."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_param(value, kind, name: str) -> Bilingual | None:
    """What is wrong with one parameter (Bilingual), or None."""
    if isinstance(kind, tuple):
        return None if value in kind else Bilingual(f"“{name}”应为 {'、'.join(map(str, kind))} 之一",
                                                    f"'{name}' should be one of {', '.join(map(str, kind))}")
    ok = {
        "pointer": isinstance(value, str) and value.startswith("/"),
        "pointers": isinstance(value, list) and value and all(isinstance(v, str) and v.startswith("/") for v in value),
        "str": isinstance(value, str) and bool(value),
        # a word with a space at either end would match nothing (values are read stripped), a blank one everything
        "strs": isinstance(value, list) and all(isinstance(v, str) and v and v == v.strip() for v in value),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "bool": isinstance(value, bool),
        "ratio": isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1,
        "count": isinstance(value, int) and not isinstance(value, bool) and value >= 0,
        "counts": isinstance(value, list) and bool(value) and all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value),
        "digits": isinstance(value, list) and all(isinstance(v, str) and v.isascii() and v.isdigit() for v in value),
        # a limit of 0 (rows per 二级, notices counted per code) makes the check or the score meaningless
        "positive": isinstance(value, int) and not isinstance(value, bool) and value >= 1,
        # a similarity of 0 calls any two texts alike
        "share": isinstance(value, (int, float)) and not isinstance(value, bool) and 0 < value <= 1,
        "weight": isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100,
        # thresholds a bureau may write in the wrong unit (a percent for a fraction, a fraction for a percent): each
        # held to the range its check reads it in, so 90 for 90 % (a rate of 9000 %) is refused, not run
        "rate": _finite(value) and 0 <= value <= 1,
        "percent": _finite(value) and 1 <= value <= 100,
        "over": _finite(value) and 1 < value <= 10,
        "multiple": _finite(value) and 0 < value <= 10,
        "above_one": _finite(value) and value > 1,
        "above_zero": _finite(value) and value > 0,
        # the points of a self-evaluation total 100 (财预〔2020〕10号's 自评表: 总分 100 分), the grades set on that
        # scale (优 90 分以上 …), as the --weights loader and the goal table's 分值 hold them: not the bureau's to change
        "hundred": _finite(value) and value == 100,
        "nonnegative": _finite(value) and value >= 0,
        "month": isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 12,
        "factors": isinstance(value, dict) and bool(value) and all(
            isinstance(k, str) and k and isinstance(v, (int, float)) and not isinstance(v, bool) and v > 0
            for k, v in value.items()),
        # how an area code starts (0 and digits) -> its digits, the 0 counted, at least as many as it starts with
        "area_codes": isinstance(value, dict) and bool(value) and all(
            isinstance(k, str) and k.isascii() and k.isdigit() and k.startswith("0") and isinstance(v, int)
            and not isinstance(v, bool) and len(k) <= v <= 6 for k, v in value.items()),
    }[kind]
    if ok and kind in ("pointer", "pointers"):
        return _unknown_pointer(value if kind == "pointers" else [value], name)
    if ok:
        return None
    what, what_en = {
        "pointer": ("以 / 开头的 JSON 指针", "a JSON pointer starting with /"),
        "pointers": ("JSON 指针的非空列表", "a non-empty list of JSON pointers"),
        "str": ("文本", "a text"),
        "strs": ("文本的列表（每项非空、首尾无空格）", "a list of texts (none blank, none with a space at either end)"),
        "number": ("数字", "a number"), "int": ("整数", "a whole number"), "bool": ("true 或 false", "true or false"),
        "ratio": ("0 至 1 之间的数字", "a number from 0 to 1"),
        "count": ("大于或等于 0 的整数", "a whole number of 0 or more"),
        "counts": ("大于或等于 1 的整数的非空列表", "a non-empty list of whole numbers of 1 or more"),
        "digits": ("数字串的列表（如 [\"400\", \"800\"]）", "a list of digit strings (such as [\"400\", \"800\"])"),
        "positive": ("大于或等于 1 的整数", "a whole number of 1 or more"),
        "share": ("大于 0、不超过 1 的数字", "a number above 0 and at most 1"),
        "weight": ("0 至 100 之间的数字", "a number from 0 to 100"),
        "rate": ("0 至 1 之间的比例（0.9 即 90%，不写作 90）", "a fraction from 0 to 1 (0.9 for 90 %, not 90)"),
        "percent": ("1 至 100 之间的百分数（80 即 80%，不写作 0.8）", "a percent from 1 to 100 (80 for 80 %, not 0.8)"),
        "over": ("大于 1、不超过 10 的倍数（1.3 即超过目标值 30%，不写作 0.3 或 30）",
                 "a multiple above 1 and at most 10 (1.3 for 30 % above the target, not 0.3 or 30)"),
        "multiple": ("大于 0、不超过 10 的倍数（1.2 即 120%，不写作 120）",
                     "a multiple above 0 and at most 10 (1.2 for 120 %, not 120)"),
        "above_one": ("大于 1 的数字", "a number above 1"),
        "above_zero": ("大于 0 的数字", "a number above 0"),
        "hundred": ("100：按财预〔2020〕10号，自评的资金分值与各指标分值合计为 100 分，等级（优、良、中、差）按百分制评定，"
                    "分值合计不可改为其他数",
                    "100: under 财预〔2020〕10号 the funds block's and the indicators' points total 100, the grades "
                    "(优, 良, 中, 差) set on that 100-point scale; the total cannot be another figure"),
        "nonnegative": ("大于或等于 0 的数字", "a number of 0 or more"),
        "month": ("1 至 12 之间的整数（月份）", "a whole number from 1 to 12 (a month)"),
        "factors": ("文本到正数的 JSON 对象（如 {\"万元\": 10000}）",
                    "a JSON object of texts to positive numbers (such as {\"万元\": 10000})"),
        "area_codes": ("区号开头（以 0 起始的数字串）到区号位数（含 0）的 JSON 对象（如 {\"010\": 3, \"02\": 3, \"0571\": 4}）",
                       "a JSON object of how an area code starts (digits starting with 0) to its digits, the 0 counted "
                       "(such as {\"010\": 3, \"02\": 3, \"0571\": 4})")}[kind]
    space = " " if what[:1].isascii() else ""  # 应为 0 至 1 之间的数字, as Chinese sets figures apart
    return Bilingual(f"“{name}”应为{space}{what}", f"'{name}' should be {what_en}")


@lru_cache(maxsize=8)
def form_pointers(form_id: str) -> frozenset[str]:
    """Every JSON pointer of one form's documents: the properties of its JSON Schema, its fields and its table, in
    every layout of it the reader knows."""
    from .._form import FORMS, LAYOUTS
    from ._schema import load_schema

    out: set[str] = set()

    def walk(node, prefix: str, defs: dict) -> None:
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            node = defs.get(node["$ref"].rsplit("/", 1)[-1], {})
        for key, sub in ((node.get("properties") or {}) if isinstance(node, dict) else {}).items():
            out.add(f"{prefix}/{key}")
            walk(sub, f"{prefix}/{key}", defs)

    if form_id in FORMS:
        schema = load_schema(FORMS[form_id])
        walk(schema, "", schema.get("$defs", {}))
    for (fid, _), form in LAYOUTS.items():
        if fid == form_id:
            out.update(f.path for f in form.fields)
            out.add(form.table.item_path)
    return frozenset(out)


@lru_cache(maxsize=1)
def known_pointers() -> frozenset[str]:
    """Every JSON pointer a rule may name: those of every form (``form_pointers``)."""
    from .._form import FORMS

    return frozenset().union(*map(form_pointers, FORMS))


def _on_form(check: tuple, form_id: str) -> tuple | None:
    """A check (rule, params, check function) as it runs on the documents of form `form_id`, or None where it does
    not run there: its kind scoped to other forms, the row's ``forms`` not naming it, or the fields the rule names
    not the form's (a bureau's required /project/category is the goal table's: a self-evaluation, which has no
    such field, is not told to fill it in).  A rule naming several fields in one list (``paths``) runs on a form
    with the ones it has."""
    rd, params, fn = check
    kind = CHECKS[rd.check]
    if kind.forms is not None and form_id not in kind.forms:
        return None
    if params.get("forms") and form_id not in params["forms"]:
        return None
    if not params.get("forms") and kind.unnamed is not None and form_id not in kind.unnamed:
        return None  # (a row naming no forms, of a kind that came to run on more forms: where it ran before)
    have = None
    for name, (ptype, _) in kind.params.items():
        value = params.get(name)
        if value is None or ptype not in ("pointer", "pointers"):
            continue
        have = form_pointers(form_id) if have is None else have
        if ptype == "pointer" and value not in have:
            return None
        if ptype == "pointers":
            kept = [p for p in value if p in have]
            if not kept:
                return None
            if len(kept) != len(value):
                params = {**params, name: kept}
    if kind.forms is not None and len(kind.forms) > 1 and isinstance(params.get("keys"), list):
        # a kind the forms share (actual_range: the self-evaluation's 实际完成值, the monitoring report's 完成情况)
        # reads on each form the item keys its rule names that are that form's: monitor.* (progress, expected) is
        # no check of a self-evaluation's rows, self.* (actual) none of a monitoring report's.  (A JSON document
        # holding another form's key has its schema.other; no other form's warning is said of it.)
        own = item_keys(form_id)
        kept = [k for k in params["keys"] if k in own]
        if not kept:
            return None
        if len(kept) != len(params["keys"]):
            params = {**params, "keys": kept}
    return rd, params, fn


def item_keys(form_id: str) -> frozenset[str]:
    """The keys of one form's items (its table's columns, in every layout of it the reader knows)."""
    from .._form import LAYOUTS

    return frozenset(k for (fid, _), f in LAYOUTS.items() if fid == form_id for col in f.table.columns
                     for k in col.item_keys)


def _unknown_pointer(paths: list[str], name: str) -> Bilingual | None:
    """A pointer that names no field of any form: a rule naming it would never find a value, and never fire."""
    known = known_pointers()
    bad = next((p for p in paths if p not in known), None)
    if bad is None:
        return None
    import difflib
    close = difflib.get_close_matches(bad, sorted(known), n=1, cutoff=0.6)
    hint = (f"（最接近的是 {close[0]}）", f" (the closest is {close[0]})") if close else ("", "")
    return Bilingual(f"“{name}”中的 {bad} 不是任何表单的字段{hint[0]}",
                     f"'{name}' names {bad}, which is no field of any form{hint[1]}")


class _KeyTwice(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _once_each(pairs: list) -> dict:
    """A JSON object's members as a dict, each key given once (_KeyTwice names one given twice)."""
    out = {}
    for key, value in pairs:
        if key in out:
            raise _KeyTwice(key)
        out[key] = value
    return out


def _check_forms(forms, kind, code: str, where) -> None:
    """A row's ``forms`` (the forms whose documents it runs on, every rule that runs a check may name them): a list
    of form ids, each one its check kind runs on."""
    from .._form import FORMS

    allowed = [f for f in FORMS if kind.forms is None or f in kind.forms]
    if not (isinstance(forms, list) and forms and all(isinstance(f, str) for f in forms)) \
            or any(f not in allowed for f in forms):
        found = json_shown(forms)
        raise ConfigError(at(where, f"{code} 的参数（params 列）“forms”应为表单标识的列表，取自 {'、'.join(allowed)}"
                                    f"（检查类型 {kind.name} 只用于这些表单），实际为 {found}",
                             f"the parameter of {code} (the params column): 'forms' should be a list of form ids "
                             f"from {', '.join(allowed)} (the forms the check kind {kind.name} runs on), "
                             f"not {found.en}"))


#: Parameters whose list is a set (the order says nothing: each is tested for membership), sorted in a decision.
_SET_LIKE = frozenset({"texts", "likelihoods", "signed_units", "spanning", "may_exceed", "forms"})
#: What a check reads for an optional parameter left out, by (check kind, parameter): filled in a decision, so a
#: table writing it and one leaving it out decide the same.  (The review's kinds take a parameter left out from
#: review.json, and `required`'s paths from the form: ``_canonical`` compares those with what they stand for.)
_DEFAULTS = {("expected_short", "tolerance"): 0, ("placeholder", "bare_zero"): False,
             ("compare", "right_positive"): False, ("percent_hundredfold", "min_target"): 0,
             ("actual_negative", "signed_units"): [], ("actual_range", "may_exceed"): [], ("in_year", "spanning"): [],
             ("date_in_period", "years_before"): 0}
#: A review kind's word lists that are not sets: the unit examples its message quotes in their order.
_REVIEW_ORDERED = frozenset({"examples"})


def _canonical_value(kind: str, name: str, value, review: bool):
    if isinstance(value, list) and (name in _SET_LIKE or (review and name not in _REVIEW_ORDERED and all(
            isinstance(v, str) for v in value) and CHECKS[kind].params.get(name, ("",))[0] == "strs")):
        return sorted(placeholder_keys(value) if kind == "placeholder" and name == "texts" else set(map(str, value)))
    if is_number(value):
        f = float(value)
        return str(int(f)) if f.is_integer() else repr(f)
    return value


def _canonical(kind: str, params: dict, as_before: bool = False) -> dict:
    """A rule's parameters as what they decide: defaults filled in (``_DEFAULTS``), set-like lists sorted without
    repeats (``_SET_LIKE``, and a review kind's word lists; the placeholder words as compared,
    ``placeholder_key``), numbers as their value (1 and 1.0 alike); a review kind's parameter as packaged
    review.json gives it, `forms` naming every form the kind runs on, and `required`'s `paths` asking on each form
    in scope for its own required fields, left out (as a row leaving them out decides the same).  `as_before`: as
    the digest was taken before those three (a stamp of then still matches, ``made_under``)."""
    from .._form import FORMS

    out = {name: value for (k, name), value in _DEFAULTS.items() if k == kind}
    out.update(params)
    out.pop("severity_of", None)  # (what it decides is the row's severity, resolved: _followed)
    check = CHECKS.get(kind)
    review = bool(check and check.review) and not as_before
    out = {name: _canonical_value(kind, name, value, review) for name, value in out.items()}
    if as_before or check is None:
        return out
    if review:
        from .._review._settings import ReviewSettings

        packaged = ReviewSettings.load(None).checks.get(kind, {})
        out = {name: value for name, value in out.items()
               if name not in packaged or _canonical_value(kind, name, packaged[name], True) != value}
    allowed = [f for f in FORMS if check.forms is None or f in check.forms]
    scope = out.get("forms") if isinstance(out.get("forms"), list) else allowed
    if kind == "required" and isinstance(out.get("paths"), list):
        paths = sorted(set(map(str, out["paths"])))
        if all(f in FORMS and {p for p in paths if p in form_pointers(f)} == set(FORMS[f].required_paths)
               for f in scope):
            del out["paths"]
        else:
            out["paths"] = paths
    if out.get("forms") == sorted(allowed):
        del out["forms"]
    return out


def _digest_of(decisions: list, default=str) -> str:
    """The first 12 hex digits of the SHA-256 of `decisions` as canonical JSON (`default`: how a value JSON has no
    form for is written)."""
    text = json.dumps(decisions, sort_keys=True, ensure_ascii=False, default=default)
    import hashlib  # (here: a plain validate imports no hashlib; test_api)

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def _parse_row(path: str, line: int, values: dict[str, str]) -> tuple[RuleDef, dict]:
    where = line_of(path, line)
    rd = RuleDef(**values, where=f"{path}:{line}")
    for key in _REQUIRED_TEXT:
        if not values[key]:
            raise ConfigError(at(where, f"“{key}”不能为空", f"'{key}' cannot be blank"))
    if rd.severity not in (*SEVERITIES, OFF):
        said = (*SEVERITIES, OFF)
        raise ConfigError(at(where, f"{rd.code} 的严重程度应为 {' 或 '.join(said)}（off 即关闭该规则），"
                                    f"实际为“{rd.severity}”",
                             f"the severity of {rd.code} should be {' or '.join(said)} (off: the rule turned off), "
                             f"not '{rd.severity}'"))
    kind = CHECKS.get(rd.check)
    if kind is None:
        raise ConfigError(at(where, f"{rd.code} 的检查类型“{rd.check}”未知（可用：{', '.join(CHECKS)}）",
                             f"the check kind '{rd.check}' of {rd.code} is unknown (known: {', '.join(CHECKS)})"))
    if rd.severity == OFF and kind.fn is None:
        raise ConfigError(at(where, f"{rd.code} 是程序给出的内置代码（检查类型 {rd.check}），说明申报表无法读取或使用，"
                                    "不能关闭（off）；可改为 warning 或 notice",
                             f"{rd.code} is a code the program gives (check kind {rd.check}): it says a return "
                             "cannot be read or used as it is, and cannot be turned off; make it a warning or a "
                             "notice instead"))
    params = {}
    if rd.params:
        try:
            params = json.loads(rd.params, object_pairs_hook=_once_each)
        except _KeyTwice as exc:  # {"left": …, "left": 1}: json keeps the last, and the fault was blamed on its value
            raise ConfigError(at(where, f"{rd.code} 的参数（params 列）中“{exc.key}”出现了两次，请只保留一个",
                                 f"the parameters of {rd.code} (the params column) give '{exc.key}' twice; keep "
                                 "one")) from None
        except json.JSONDecodeError as exc:
            why = json_why(exc)
            raise ConfigError(at(where, f"{rd.code} 的参数不是有效的 JSON（{why}）",
                                 f"the parameters of {rd.code} are not valid JSON ({why.en})")) from None
        if not isinstance(params, dict):
            raise ConfigError(at(where, f"{rd.code} 的参数应为 JSON 对象",
                                 f"the parameters of {rd.code} should be a JSON object"))
    unknown = sorted(set(params) - set(kind.params) - ({"forms"} if kind.fn is not None else set()))
    if unknown:
        raise ConfigError(at(where, f"{rd.code} 的检查类型 {rd.check} 没有参数 {', '.join(unknown)}",
                             f"the check kind {rd.check} of {rd.code} has no parameter {quoted(unknown)}"))
    for name, (ptype, required) in kind.params.items():
        if name not in params:
            if required:
                raise ConfigError(at(where, f"{rd.code} 缺少参数“{name}”", f"{rd.code} lacks the parameter '{name}'"))
            continue
        fault = _check_param(params[name], ptype, name)
        if fault:
            found = json_shown(params[name])
            raise ConfigError(at(where, f"{rd.code} 的参数（params 列）{fault}，实际为 {found}",
                                 f"the parameter of {rd.code} (the params column): {fault.en}, not {found.en}"))
    if "forms" in params:
        _check_forms(params["forms"], kind, rd.code, where)
    low, high = params.get("min"), params.get("max")
    if is_number(low) and is_number(high) and low > high:  # a range no value is in: every such target would fail
        raise ConfigError(at(where, f"{rd.code} 的参数（params 列）中 min（{low}）大于 max（{high}），没有任何值能在此范围内，"
                                    "请核对是否写反",
                             f"the parameters of {rd.code} (the params column) give a min ({low}) above the max "
                             f"({high}): no value is within that range; check whether they are swapped"))
    allowed = COMMON_PLACEHOLDERS | kind.supplies
    for key in ("message_zh", "message_en"):
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in formatter_parser(values[key]) if f is not None]
        except ValueError as exc:
            raise ConfigError(at(where, f"{rd.code} 的 {key} 中花括号不配对（{exc}）",
                                 f"the braces in the {key} of {rd.code} do not pair ({exc})")) from None
        # {found:d}, {found!x}: Python's format, which every message would fail on (a text given a number's
        # format), reported as a crash of each return it was raised for
        styled = next(("{" + f + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
                       for f, spec, conv in fields if spec or conv), None)
        if styled is not None:
            raise ConfigError(at(where, f"{rd.code} 的 {key} 中的占位符 {styled} 不能带格式（“:”或“!”之后的部分），"
                                        "请只写花括号和名称，如 {found}",
                                 f"the placeholder {styled} in the {key} of {rd.code} cannot carry a format (after "
                                 "':' or '!'); write the braces and the name only, such as {found}"))
        names = {f for f, _, _ in fields}
        bad = sorted(n for n in names if n not in allowed)
        if bad:
            shown = ", ".join("'{" + b + "}'" for b in bad)
            raise ConfigError(at(where, f"{rd.code} 的 {key} 使用了检查类型 {rd.check} 不提供的占位符 "
                                        f"{', '.join('{' + b + '}' for b in bad)}（可用：{', '.join(sorted(allowed))}）",
                                 f"the {key} of {rd.code} uses the placeholder {shown}, which the check kind "
                                 f"{rd.check} does not supply (available: {', '.join(sorted(allowed))})"))
    return rd, params


def _parse_file(path: str) -> dict[str, tuple[RuleDef, dict]]:
    out: dict[str, tuple[RuleDef, dict]] = {}
    for line, row in read_config_csv(path, Bilingual("规则表", "rule table"), COLUMNS, OPTIONAL_COLUMNS):
        rd, params = _parse_row(path, line, row)
        if rd.code in out:
            raise ConfigError(at(line_of(path, line), f"代码 {rd.code} 重复（见 {out[rd.code][0].where}）",
                                 f"the code {rd.code} is given twice (see {out[rd.code][0].where})"))
        out[rd.code] = (rd, params)
    return out


def _spelling(code: str) -> str:
    return "".join(unicodedata.normalize("NFKC", code).split()).casefold()


def _check_not_misspelt(rd: RuleDef, packaged: dict) -> None:
    """A new code that is a built-in one but for a space, a full-width letter or the case (``rule. placeholder``,
    ``rule．placeholder`` typed in WPS): the bureau meant to replace that rule, and would get it twice instead."""
    meant = next((c for c in packaged if _spelling(c) == _spelling(rd.code)), None)
    if meant is not None:
        where = line_of(*rd.where.rsplit(":", 1))
        raise ConfigError(at(where, f"代码“{rd.code}”与内置代码 {meant} 只差空格、全角字符或大小写；要替换该规则请写作 {meant}",
                             f"the code '{rd.code}' differs from the built-in code {meant} only by a space, a "
                             f"full-width character or the case; to replace that rule, write {meant}"))


def _emitted(kind: str) -> bool:
    """A check kind that runs nothing of its own: its codes are given where the reader, the schema or the
    targets' comparison find them (``reader``, ``schema``, ``targets``)."""
    return CHECKS[kind].fn is None


def _check_kind_kept(rd: RuleDef, packaged: RuleDef | None) -> None:
    """A bureau's row may change a rule's check kind only between kinds that run: a code the reader gives keeps
    its kind (changed, its check would run besides), and a row given such a kind would never fire — a new code,
    or a business rule switched off unseen."""
    where = line_of(*rd.where.rsplit(":", 1))
    if packaged is None and _emitted(rd.check):
        runnable = ", ".join(k for k in CHECKS if not _emitted(k))
        raise ConfigError(at(where, f"{rd.code} 的检查类型 {rd.check} 只用于程序给出的内置代码，新增的规则不会执行；"
                                    f"请使用：{runnable}",
                             f"the check kind {rd.check} of {rd.code} is only for the built-in codes the program "
                             f"gives: a new rule of it would never run; use one of: {runnable}"))
    if packaged is not None and rd.check != packaged.check and (_emitted(rd.check) or _emitted(packaged.check)):
        raise ConfigError(at(where, f"{rd.code} 的检查类型应为 {packaged.check}（与内置规则表相同），实际为“{rd.check}”",
                             f"the check kind of {rd.code} should be {packaged.check}, as in the built-in rule table, "
                             f"not '{rd.check}'"))


#: RuleDef's fields, in order: a row as the disk cache keeps it.
_ROW_FIELDS = tuple(f.name for f in fields(RuleDef))
_TEXT = {str}


def _row(values: tuple) -> RuleDef:
    """A RuleDef from its fields' values as the cache keeps them (all of them, in order, as checked when they were
    kept): set as RuleDef's own ``__init__`` sets them, without its handling of defaults and keywords."""
    if type(values) is not tuple or len(values) != len(_ROW_FIELDS) or set(map(type, values)) != _TEXT:
        raise ValueError("not a rule row")
    rd = object.__new__(RuleDef)
    rd.__dict__.update(zip(_ROW_FIELDS, values))
    return rd


def _packaged() -> dict[str, tuple[RuleDef, dict]]:
    """The packaged table, code -> (row, parameters), as checked: from the disk cache (``_diskcache``) when it holds
    the table made from this rules.csv by this code, else read, checked and kept there."""
    from .. import _diskcache

    from .._form import FORMS

    folder = data_dir("schema")
    path = str(folder / "rules.csv")
    # the schemas too: a parameter naming a field is checked against them (known_pointers)
    files = (path, *(str(folder / form.schema_file) for form in FORMS.values()))

    def parsed():
        table = _parse_file(path)
        return table, [(tuple(getattr(rd, f) for f in _ROW_FIELDS), params) for rd, params in table.values()]

    return _diskcache.kept_or_made("rules", files, parsed,
                                   lambda kept: {values[0]: (_row(values), params) for values, params in kept})


def _followed(merged: dict, packaged: dict, own: frozenset, path) -> dict[str, str]:
    """Each row whose parameters name ``severity_of`` (a code) given that code's severity in the table in force, in
    place: ``*.targets_refused`` (a goal table found but unusable, the return's locked values unchecked: before it
    had a code of its own, ``*.targets_unmatched`` said it) as a bureau's table sets ``*.targets_unmatched``, so that
    a table lowering the one lowers both: a one-row file, a copy of ``xlgoals defaults`` with that row changed, or a
    copy made before the parameter was packaged (its row without it: the packaged row's link holds).  A bureau's row
    that gives the follower a severity other than the packaged row's, or ``severity_of`` naming its own code, decides
    it apart.  A code that names no other row of the table (or one that follows another) is a ConfigError.
    Returns code -> the severity its row gave, of each row given its leader's."""
    given = {}
    for code, (rd, params) in list(merged.items()):
        leader = params.get("severity_of") if "severity_of" in params else \
            (packaged.get(code, (None, None))[1] or {}).get("severity_of")
        if not leader or leader == code:
            continue
        if leader not in merged or (merged[leader][1] or {}).get("severity_of") not in (None, leader):
            where = line_of(*rd.where.rsplit(":", 1)) if rd.where else str(path)
            raise ConfigError(at(where, f"{code} 的参数 severity_of 应为规则表中另一条（自身不跟随其他行的）规则的代码，"
                                        f"或其自身的代码（按本行的严重程度），实际为“{leader}”",
                                 f"the parameter severity_of of {code} should be the code of another rule of the table "
                                 f"(one that follows no other row), or its own (its own severity), not '{leader}'"))
        mine = code in own and code in packaged and rd.severity != packaged[code][0].severity
        if not mine and rd.severity != merged[leader][0].severity:
            given[code] = rd.severity
            merged[code] = (replace(rd, severity=merged[leader][0].severity), params)
    return given


@lru_cache(maxsize=16)
def _load_table(path: str | None, version: tuple | None = None) -> RuleTable:  # (version: the cache's key)
    packaged = _packaged()
    merged = dict(packaged)
    own = ()
    if path is not None:
        given = _parse_file(path)
        own = tuple(given)
        for code, (rd, params) in given.items():
            row = merged.get(code)
            if row is None:
                _check_not_misspelt(rd, merged)
            _check_kind_kept(rd, row[0] if row else None)
            if not rd.field_en and row and rd.field_zh == row[0].field_zh:
                rd = replace(rd, field_en=row[0].field_en)  # a row written without field_en
            merged[code] = (rd, params)
    given = _followed(merged, packaged, frozenset(own), path)
    return RuleTable({c: rd for c, (rd, _) in merged.items()}, {c: p for c, (_, p) in merged.items()}, path,
                     own, given)
