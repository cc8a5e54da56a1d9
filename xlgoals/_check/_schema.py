"""The JSON Schema contract of each form (``schema/<form>.schema.json``) and its findings as Problems."""

from __future__ import annotations

import json
import os
import sys
import re
from functools import lru_cache

from .. import _diskcache
from .._form import COMPARATOR_DISPLAY, GOAL_TABLE, Form
from .._problems import Problem, number_text
from .._parallel import loaded
from .._resources import load_json


def load_schema(form: Form | str = GOAL_TABLE) -> dict:
    """The JSON Schema of a form's document (default: the goal table)."""
    if isinstance(form, str):
        from .._form import get_form

        form = get_form(form)
    return load_json("schema", form.schema_file)


def _end_anchored(pattern: str) -> str:
    r"""A JSON Schema pattern for Python's ``re``: its ``$`` is the end of the string, as ECMA-262 reads it (Python's
    ``$`` also matches before a final newline, so "I001\n" would pass ``^I[0-9]+$``)."""
    return re.sub(r"(?<!\\)\$", r"\\Z", pattern)


@lru_cache(maxsize=1)
def _draft():
    """Draft 2020-12 with ``pattern`` read as JSON Schema reads it (_end_anchored), as the fast path reads it: a value
    the fast check refuses for its pattern is one the located check finds, never a document refused with nothing
    said."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator, patrn, instance, schema):
        if validator.is_type(instance, "string") and not re.search(_end_anchored(patrn), instance):
            yield ValidationError(f"{instance!r} does not match {patrn!r}")

    return validators.extend(Draft202012Validator, {"pattern": pattern})


@lru_cache(maxsize=8)
def _validator(form: Form):
    """jsonschema, for the located errors of a document the fast path found invalid where the form's schema has no
    generated errors walk (imported only then; the tests' reference for the walk).

    It validates the schema with its ``$defs`` expanded in place: the same verdicts, without resolving a
    reference at every step (that made an invalid return several times dearer than a valid one)."""
    draft = _draft()
    schema = load_schema(form)
    draft.check_schema(schema)
    flat = {k: v for k, v in _flat(form).items() if k not in ("$id",)}
    return draft(flat, format_checker=draft.FORMAT_CHECKER)


def _flat(form: Form) -> dict:
    """The form's schema with its ``$defs`` expanded in place: a fresh copy each call (callers trim it)."""
    schema = load_schema(form)
    return _inline_refs(schema, schema.get("$defs", {}))


def _consistent(ind: dict) -> bool:
    """The indicators' if/then/else in plain Python: a qualitative row has text, the others a value, never both."""
    return (ind.get("comparator") == "qualitative") == ("text" in ind) and ("value" in ind) != ("text" in ind)


def _inline_refs(node, defs):
    """The schema with local ``#/$defs/...`` references expanded in place."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/$defs/"):
            target = _inline_refs(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
            return {**target, **{k: _inline_refs(v, defs) for k, v in node.items() if k != "$ref"}}
        return {k: _inline_refs(v, defs) for k, v in node.items() if k != "$defs"}
    if isinstance(node, list):
        return [_inline_refs(x, defs) for x in node]
    return node


@lru_cache(maxsize=8)
def _fast_check(form: Form = GOAL_TABLE):
    """A compiled validator for the fast path: it only says valid or not.

    Our schema uses only keywords that mean the same in draft 7 and 2020-12 (type, enum,
    const, required, min/max, pattern, format date, additionalProperties), so the compiled
    check agrees with jsonschema.  The indicators' if/then/else (value for quantitative rows,
    text for qualitative ones) is checked in plain Python instead: compiled, it raises and
    catches an exception for every row.  Tests hold the fast path and jsonschema to the
    same verdicts.  When the fast path says invalid, the errors walk generated from the schema
    (_generated_errors) produces the located errors, or jsonschema where there is none.
    """
    flat = {k: v for k, v in _flat(form).items() if k not in ("$schema", "$id")}
    items_key = form.table.item_path.strip("/")
    item = flat["properties"][items_key]["items"]
    for key in ("if", "then", "else"):
        item.pop(key, None)
    item_ok = _item_verdict(item, rows=True)
    if item_ok is None:  # a keyword the item verdict does not write: the compiled schema checks the items too
        whole = _verdict(flat)

        def check(doc) -> bool:
            return whole(doc) and all(_consistent(ind) for ind in doc[items_key])

        return check
    del flat["properties"][items_key]["items"]  # the list's own checks stay with the document's
    head = _verdict(flat)

    def check_items(doc) -> bool:
        return head(doc) and item_ok(doc[items_key])

    return check_items


#: The keywords `_item_verdict` writes code for (a property's; the item's own are type object, properties,
#: required and additionalProperties false); any other sends the items to the compiled schema.
_PROPERTY_KEYWORDS = frozenset({"type", "enum", "minLength", "maxLength", "minimum", "maximum", "pattern",
                                "description", "title"})
_ITEM_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties", "description", "title"})
_TYPE_TESTS = {"string": "isinstance(v, str)", "null": "v is None",
               "number": "(isinstance(v, _NUMBER) and not isinstance(v, bool))"}


#: How many texts a pattern's verdict is kept for (the ids I001, I002 … of every return): a set lookup instead of a
#: pattern run over each row of each return.
_PATTERN_KEPT = 4096


def _item_verdict(schema: dict, rows: bool = False):
    """A yes/no for one item (an indicator row) written as plain Python from its schema, or None where the schema
    uses what it does not write; with `rows`, for the list of items, each also ``_consistent`` (the fast path's:
    one loop over the rows, in the generated code).  The same verdicts
    as fastjsonschema's code for the item (the property tests of test_schema.py hold the fast path to jsonschema
    over every form), for a fraction of its work per row: the required and allowed names checked as two set
    comparisons, each property looked up once, no sets built, a text a pattern was found in remembered."""
    from decimal import Decimal

    if set(schema) - _ITEM_KEYWORDS or schema.get("type") != "object" \
            or schema.get("additionalProperties", True) not in (True, False):
        return None
    # the types a value of each JSON type nearly always is, exactly (a subclass is left to _TYPE_TESTS)
    exact = {"string": (str,), "null": (type(None),), "number": (int, float, Decimal)}
    names: dict = {"_NUMBER": (int, float, Decimal), "_NUMBERS": frozenset(exact["number"]), "_MISSING": object(),
                   "_REQUIRED": frozenset(schema.get("required") or ()),
                   "_ALLOWED": frozenset(schema.get("properties") or ())}
    lines = ["    if not isinstance(x, dict) or not _REQUIRED <= x.keys():", "        return False"]
    if rows:  # _consistent: a qualitative row has text, the others a value, never both
        lines += ["    if (x.get('comparator') == 'qualitative') != ('text' in x) or ('value' in x) == ('text' in x):",
                  "        return False"]
    if schema.get("additionalProperties", True) is False:
        lines += ["    if not x.keys() <= _ALLOWED:", "        return False"]
    for n, (key, prop) in enumerate((schema.get("properties") or {}).items()):
        if not isinstance(prop, dict) or set(prop) - _PROPERTY_KEYWORDS:
            return None
        types = prop.get("type")
        types = [types] if isinstance(types, str) else types
        if types is not None and (not isinstance(types, list) or not types or set(types) - set(_TYPE_TESTS)):
            return None
        tests = []
        if types is not None:  # a value of one of the exact types first (a set lookup), then the tests themselves
            names[f"_T{n}"] = frozenset(c for t in types for c in exact[t])
            tests.append(f"type(v) in _T{n} or " + " or ".join(_TYPE_TESTS[t] for t in types))
        if "enum" in prop:
            enum = prop["enum"]
            if not isinstance(enum, list) or any(e is not None and not isinstance(e, str) for e in enum):
                return None
            names[f"_E{n}"] = frozenset(e for e in enum if e is not None)
            tests.append(("v is None or " if None in enum else "") + f"(isinstance(v, str) and v in _E{n})")
        is_string = types == ["string"]
        for word, op in (("minLength", "<"), ("maxLength", ">")):
            if word in prop:
                guard = "" if is_string else "isinstance(v, str) and "
                tests.append(f"not ({guard}len(v) {op} {int(prop[word])!r})")
        for word, op in (("minimum", "<"), ("maximum", ">")):
            if word in prop:
                if not isinstance(prop[word], (int, float)) or isinstance(prop[word], bool):
                    return None
                guard = "" if types == ["number"] else \
                    "(type(v) in _NUMBERS or isinstance(v, _NUMBER) and not isinstance(v, bool)) and "
                tests.append(f"not ({guard}v {op} {prop[word]!r})")
        if "pattern" in prop:
            # as fastjsonschema compiles it: an unescaped $ is the end of the text (\Z), not before a last newline;
            # a text found to match is kept (_K: up to _PATTERN_KEPT of them)
            names[f"_P{n}"], names[f"_K{n}"] = re.compile(_end_anchored(prop["pattern"])), set()
            guard = "" if is_string else "not isinstance(v, str) or "
            tests.append(f"({guard}v in _K{n} or _kept(_K{n}, v, _P{n}.search(v)))")
        if not tests:
            continue
        if key in names["_REQUIRED"]:  # there: the test above said so
            lines += [f"    v = x[{key!r}]", "    if not (" + " and ".join(f"({t})" for t in tests) + "):",
                      "        return False"]
        else:
            lines += [f"    v = x.get({key!r}, _MISSING)", "    if v is not _MISSING and not ("
                      + " and ".join(f"({t})" for t in tests) + "):", "        return False"]
    if rows:  # one loop over the rows: the item's tests inside it
        lines = ["def items_ok(items):", "  for x in items:", *lines, "  return True"]
    else:
        lines = ["def item_ok(x):", *lines, "    return True"]
    names["_kept"] = _kept
    exec(_diskcache.compiled("\n".join(lines), "<xlgoals item schema>"), names)  # noqa: S102 - from our own schema
    return names["items_ok" if rows else "item_ok"]


def _kept(kept: set, text: str, found) -> bool:
    """Whether a pattern was `found` in `text`; a text it was found in is kept in `kept` (up to _PATTERN_KEPT)."""
    if found is None:
        return False
    if len(kept) < _PATTERN_KEPT:
        kept.add(text)
    return True


class Invalid(ValueError):
    """What a compiled validator raises for a value its schema refuses (fastjsonschema's own exceptions are
    replaced by these in the generated code, so a cached validator runs without loading fastjsonschema)."""

    def __init__(self, message="", value=None, name=None, definition=None, rule=None, errors=None):
        super().__init__(message)
        self.message, self.value, self.name, self.definition, self.rule = message, value, name, definition, rule
        self.errors = errors or []


_FJS_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException"
_OUR_IMPORT = ("from xlgoals._check._schema import Invalid as JsonSchemaValueException, "
               "Invalid as JsonSchemaValuesException")


def _fastjsonschema_version() -> bytes:
    """fastjsonschema's version file, found without importing the package (~2 ms of a single check)."""
    from importlib.util import find_spec

    spec = find_spec("fastjsonschema")
    if spec is None or not spec.origin:
        raise ImportError("fastjsonschema")
    with open(os.path.join(os.path.dirname(spec.origin), "version.py"), "rb") as fh:
        return fh.read(200)


def _compiled(schema: dict):
    """fastjsonschema's validator for a schema, raising ``Invalid``; its code cached on disk
    (``~/.cache/xlgoals``): compiling it afresh costs a single check more than the check itself.  Any trouble
    with the cache just compiles."""
    import sys

    from .._read._safety import builtin_sha256 as sha256  # no OpenSSL to load

    text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    namespace: dict = {}
    try:
        version = _fastjsonschema_version()
    except (ImportError, OSError, ValueError):
        version = None  # found otherwise (a zipped install): compiled below
    base = _diskcache.folder()  # none (no home, a relative XDG_CACHE_HOME): compiled every run, nothing written
    cache = None
    if version is not None and base is not None:
        key = sha256(f"{text}|{sys.version}|{_OUR_IMPORT}|".encode() + version).hexdigest()[:40]  # the code as rewritten
        cache = os.path.join(base, f"schema-{key}.marshal")
        kept = _diskcache.kept_code(cache)  # the user's own file only: what it holds is run
        if kept is not None:
            try:
                exec(kept, namespace)  # noqa: S102 - our own generated code
                return namespace["validate"]
            except Exception:  # run, but not the validator we wrote: compiled afresh below
                pass
    import fastjsonschema

    source = fastjsonschema.compile_to_code(schema)
    if _FJS_IMPORT in source:  # else (a newer fastjsonschema) its own exceptions, which _verdict catches too
        source = source.replace(_FJS_IMPORT, _OUR_IMPORT, 1)
    code = compile(source, "<xlgoals schema>", "exec")
    if cache is not None:
        _diskcache.keep_code(cache, code)
    namespace = {}
    exec(code, namespace)  # noqa: S102
    return namespace["validate"]


def _pointer(parts) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in parts)


_KIND = {
    "required": "schema.required", "type": "schema.type", "enum": "schema.enum", "const": "schema.enum",
    "minimum": "schema.range", "maximum": "schema.range", "exclusiveMinimum": "schema.range",
    "exclusiveMaximum": "schema.range", "multipleOf": "schema.range", "pattern": "schema.format",
    "format": "schema.format", "minLength": "schema.length", "maxLength": "schema.length",
    "additionalProperties": "schema.other",
}


_TYPE_NAMES = {"string": ("文本", "text"), "number": ("数字", "a number"), "integer": ("整数", "a whole number"),
               "boolean": ("是/否", "yes/no"), "null": ("空", "empty"), "object": ("对象", "an object"),
               "array": ("列表", "a list")}


def _found(instance) -> tuple:
    """What a problem shows as found: the value itself, or what it is where it has no text of its own (an empty
    value, a list, an object)."""
    if isinstance(instance, (dict, list)) or instance is None:
        zh, en = _TYPE_NAMES["object" if isinstance(instance, dict) else "array" if instance is not None else "null"]
        return f"（{zh}）", f"({en})"
    return instance, None


def _choices(form, parts) -> dict[str, str]:
    """code -> what the dropdown shows, for the cell an item's key at `parts` is chosen in; empty elsewhere."""
    if len(parts) < 3 or not isinstance(parts[-1], str) or _pointer(parts[:-2]) != form.table.item_path:
        return {}
    col = form.table.holding(parts[-1])
    if col is None:
        return {}
    from .._form import KINDS

    kind = KINDS.get(col.kind)
    return kind.choices() if kind is not None else {}


def _expected(err, lang: str = "zh", choices: dict | None = None, codes: bool = False) -> str:
    """What the schema expected, in Chinese or English: an enum's values as the cell's dropdown shows them
    (`choices`, code -> shown) in Chinese, its codes in English; never an allowed blank (None).  `codes`: the
    document is JSON, which takes the codes, not the dropdown's labels: in Chinese each code then with the label it
    stands for (partly（部分达成年度指标并具有一定效果）)."""
    v, value = err.validator, err.validator_value
    en = lang == "en"
    if v == "enum" and isinstance(value, list):
        allowed = [x for x in value if x is not None]
        if en:
            return ", ".join(str(x) for x in allowed)
        shown = {x: (choices or {}).get(x, str(x)) for x in allowed}
        if codes:
            return "、".join(f"{x}（{shown[x]}）" if shown[x] != str(x) else str(x) for x in allowed)
        return "、".join(shown[x] for x in allowed)
    if v == "type":
        types = value if isinstance(value, list) else [value]
        return (", " if en else "、").join(_TYPE_NAMES.get(t, (t, t))[en] for t in types)
    if v in ("enum", "const"):
        return (", " if en else "、").join(str(x) for x in (value if v == "enum" else [value]))
    if v in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf"):
        value = number_text(value)  # as messages write numbers (0.01, never 1e-02)
    if v in ("minimum", "exclusiveMinimum"):
        return f"{'≥' if v == 'minimum' else '>'} {value}"
    if v in ("maximum", "exclusiveMaximum"):
        return f"{'≤' if v == 'maximum' else '<'} {value}"
    if v == "multipleOf":
        return f"a multiple of {value}" if en else f"{value} 的整数倍"
    if v in ("minLength", "maxLength"):
        if en:
            return f"{'at least' if v == 'minLength' else 'at most'} {value} characters"
        return f"{'至少' if v == 'minLength' else '至多'} {value} 个字符"
    return str(value) if not isinstance(value, (dict, list)) else ""


def _detail(err) -> tuple[str, str]:
    """Why a value does not match the schema where no rule says it better: zh, en (jsonschema's own words are
    English, and are the English text where there is nothing plainer)."""
    v, value = err.validator, err.validator_value
    if v == "minItems":
        return f"至少应有 {value} 项", f"at least {value} items expected"
    if v == "maxItems":
        return f"至多 {value} 项", f"at most {value} items allowed"
    if v == "uniqueItems":
        return "有重复的项", "items are repeated"
    if v in ("oneOf", "anyOf"):
        return "不符合任何一种允许的写法", "matches none of the allowed forms"
    if v == "not":
        return "不应是这样的取值", "this value is not allowed here"
    if v in ("minProperties", "maxProperties"):
        return f"{'至少' if v == 'minProperties' else '至多'} {value} 项", err.message
    return f"不符合表单的规定（{v}）", err.message


def _verdict(schema: dict):
    """A compiled yes/no for a schema."""
    compiled = _compiled(schema)
    fjs = loaded("fastjsonschema")  # loaded when the code was compiled here: its exceptions too
    refused = (Invalid, fjs.JsonSchemaException) if fjs is not None else Invalid

    def ok(value) -> bool:
        try:
            compiled(value)
        except refused:
            return False
        return True

    return ok


@lru_cache(maxsize=8)
def _item_checks(form: Form):
    """(fast verdict on one item, its jsonschema errors): items are checked one by one (_jsonschema_errors).

    jsonschema runs only where it has something to report.  For an object, each part of the item's
    schema is first judged by compiled checks or plain Python: each property, the branch the compiled
    `if` chooses, ``required`` and ``additionalProperties``; jsonschema then gets the schema with only
    the parts that fail (in their order; the branch as an ``allOf``).  Properties that pass are left
    out, or kept as ``true`` when ``additionalProperties`` must see every name.  The errors are the ones
    jsonschema gives for the whole item (a property test holds them equal, over every form); the cost is
    that of the faults only."""
    item = _flat(form)["properties"][form.table.item_path.strip("/")]["items"]
    plain = {k: v for k, v in item.items() if k not in ("if", "then", "else")}
    whole = _verdict(plain)
    properties = plain.get("properties") or {}
    required = tuple(plain.get("required") or ())
    checks: dict = {}  # property name, or ("branch", then|else) -> its compiled verdict, made on first need
    condition = _verdict(item["if"]) if "if" in item else None

    def ok(ind) -> bool:
        return whole(ind) and _consistent(ind)

    def verdict(key, schema):
        if key not in checks:
            checks[key] = _verdict(schema)
        return checks[key]

    @lru_cache(maxsize=256)
    def validator(failing: frozenset | None, branch: str | None, extra: bool = False, missing: bool = True):
        draft = _draft()
        schema = dict(plain)
        if failing is not None:  # an object, its parts judged: only what fails
            if extra:  # additionalProperties needs every name: the passing ones as `true`
                schema["properties"] = {k: (v if k in failing else True) for k, v in properties.items()}
            else:
                schema["properties"] = {k: properties[k] for k in properties if k in failing}
                schema.pop("additionalProperties", None)
            if not missing:
                schema.pop("required", None)
        if branch:
            schema["allOf"] = [*plain.get("allOf", []), item[branch]]
        return draft(schema, format_checker=draft.FORMAT_CHECKER)

    def errors(ind):
        branch = None
        if condition is not None:
            branch = "then" if condition(ind) else "else"
            branch = branch if branch in item else None
        if not isinstance(ind, dict):
            return validator(None, branch).iter_errors(ind)
        failing = frozenset(k for k in ind if k in properties and not verdict(k, properties[k])(ind[k]))
        extra = any(k not in properties for k in ind)
        missing = any(k not in ind for k in required)
        if branch and verdict(("branch", branch), item[branch])(ind):
            branch = None  # the branch holds: jsonschema need not look at it
        return validator(failing, branch, extra, missing).iter_errors(ind)

    return ok, errors


@lru_cache(maxsize=8)
def _generated_errors(form: Form):
    """The form's error walk written from its schema (_schema_errors.errors_function), or None where the schema
    uses a keyword it does not write."""
    from ._schema_errors import errors_function

    return errors_function({k: v for k, v in _flat(form).items() if k not in ("$schema", "$id")})


def _located_errors(doc, form: Form):
    """jsonschema's errors with their paths, sorted by path: from the walk generated from the form's schema
    (the same errors, in the same order, as jsonschema's, without loading it), or where there is none from
    jsonschema itself (_jsonschema_errors)."""
    walk = _generated_errors(form)
    if walk is None:
        return _jsonschema_errors(doc, form)
    found = [(list(e.path), e) for e in walk(doc)]
    found.sort(key=lambda pe: list(map(str, pe[0])))
    return found


def _jsonschema_errors(doc, form: Form):
    """jsonschema's errors with their paths, sorted: the document without its items, then only the items
    the fast check finds invalid (one item at a time), so a return with a few faults costs little more
    than a valid one."""
    key = form.table.item_path.strip("/")
    items = doc.get(key) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        found = [(list(e.absolute_path), e) for e in _validator(form).iter_errors(doc)]
    else:
        head = {**doc, key: []}  # the fast check passing it: jsonschema has nothing to say of the head
        found = [] if _fast_check(form)(head) else [(list(e.absolute_path), e) for e in _validator(form).iter_errors(head)]
        ok, item_errors = _item_checks(form)
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not ok(item):
                found += [([key, i, *e.absolute_path], e) for e in item_errors(item)]
    found.sort(key=lambda pe: list(map(str, pe[0])))
    return found


#: The item keys a comparator may exclude, as a message names them (zh, en).
_EXCLUDED = {"value": ("数字目标值", "a number target"), "text": ("文字目标值", "a text target")}


def schema_problems(doc, *, form: Form = GOAL_TABLE, rules=None, fw=None, codes: bool = False) -> list[Problem]:
    """Validate `doc` against the form's schema; one Problem per failure, located by JSON pointer.

    ``rules`` is the RuleTable whose messages to use (default: the packaged one); ``fw``, the framework whose
    column labels title the fields (its sheet's 二级目标 for 二级指标); ``codes``: `doc` is a JSON document (not read
    from a workbook), whose list values are codes: an enum's allowed values are named as such, each with its label.
    """
    declared = form
    if form.bound:  # compiled once per form, not per parameter value
        from .._form import get_form

        declared = get_form(form.id)
    if _fast_check(declared)(doc):
        return []
    if rules is None:
        from ._ruletable import RuleTable

        rules = RuleTable.default()
    make_problem = rules.problem

    def field_title(path, lang="zh"):
        return form.title_of(path, lang, fw)

    out: list[Problem] = []
    reported: set = set()
    for parts, err in _located_errors(doc, declared):
        if err.validator == "required":
            # jsonschema gives one error per missing property, each carrying the whole list: report each once
            missing = [p for p in err.validator_value if isinstance(err.instance, dict) and p not in err.instance]
            for name in missing:
                path = _pointer(parts + [name])
                if path in reported:
                    continue
                reported.add(path)
                out.append(make_problem("schema.required", path=path, field=field_title(path),
                                        field_en=field_title(path, "en")))
            continue
        if err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set((err.schema.get("properties") or {}).keys())
            for extra in sorted(k for k in err.instance if k not in allowed):
                path = _pointer(parts + [extra])
                out.append(make_problem("schema.other", path=path, field=path, value=extra,
                                        detail=f"表单中没有“{extra}”这一项", detail_en=f"unexpected property {extra!r}"))
            continue
        if err.validator == "not" and list(err.validator_value) == ["required"]:
            if not isinstance(err.instance, dict):  # an item that is not an object: its type error says it
                continue
            comp = err.instance.get("comparator")
            shown = COMPARATOR_DISPLAY.get(comp, comp) if isinstance(comp, str) else None
            for name in err.validator_value["required"]:  # "must not have `value`" and the like
                path = _pointer(parts + [name])
                col = form.table.holding(name)
                said, said_en = _EXCLUDED.get(name) or ((col.label, col.label_en) if col else (name, name))
                out.append(make_problem("schema.other", path=path, field=field_title(path),
                                        field_en=field_title(path, "en"), value=err.instance.get(name),
                                        detail=f"与比较符“{shown}”不符，不应填写{said}（{name}）" if shown
                                        else f"不应填写{said}（{name}），与比较符不符",
                                        detail_en=f"{said_en} ({name}) must not be given with the comparator '{shown}'"
                                        if shown else f"{said_en} ({name}) must not be given (it does not fit the "
                                                      "comparator)"))
            continue
        path = _pointer(parts)
        code = _KIND.get(err.validator, "schema.other")
        value, value_en = _found(err.instance)
        detail, detail_en = _detail(err)
        choices = _choices(form, parts) if err.validator == "enum" else None
        p = make_problem(code, path=path, field=field_title(path), field_en=field_title(path, "en"), value=value,
                         value_en=value_en, expected=_expected(err, "zh", choices, codes),
                         expected_en=_expected(err, "en"), detail=detail,
                         detail_en=detail_en)
        if (code, path, p.message) not in reported:  # a value failing two checks that say the same (pattern, format)
            reported.add((code, path, p.message))
            out.append(p)
    if not out:  # the fast check refused what the located one finds fine: never a refused document with nothing said
        out.append(make_problem("schema.other", path="", field="文档", field_en="the document",
                                detail="校验未能指出具体位置，请检查各项是否含有多余的空白或换行",
                                detail_en="the check could not locate it; look for stray blanks or line breaks"))
    return out




@lru_cache(maxsize=8)
def _integer_keys(form: Form) -> tuple:
    """The paths of the form's schema that hold an integer (year, month), each a tuple of keys ("*" an item of a
    list), from its properties and items."""
    found = []
    stack = [((), _flat(form))]
    while stack:
        where, node = stack.pop()
        if not isinstance(node, dict):
            continue
        types = node.get("type")
        if types == "integer" or (isinstance(types, list) and "integer" in types and "number" not in types):
            found.append(where)
        for key, sub in (node.get("properties") or {}).items():
            stack.append(((*where, key), sub))
        if isinstance(node.get("items"), dict):
            stack.append(((*where, "*"), node["items"]))
    return tuple(found)


def whole_numbers_as_int(doc, form: Form):
    """A JSON document's integer fields (预算年度, 报告月份) given as a float that is a whole number (``2020.0``, as
    another program's JSON writer or pandas gives it) made ints, in place: the schema takes ``2020.0`` as an
    integer, so the document passes, and everything after reads it as 2020 (a summary's 预算年度, a report's month);
    a fraction (``2020.5``) is left for the schema to refuse.  Returns `doc`."""
    for where in _integer_keys(form):
        _ints_at(doc, where)
    return doc


def _ints_at(node, where: tuple) -> None:
    *head, last = where
    nodes = [node]
    for key in head:
        nodes = [x for n in nodes for x in ((n if isinstance(n, list) else []) if key == "*"
                                              else [n.get(key)] if isinstance(n, dict) else [])]
    for n in nodes:
        if last == "*" and isinstance(n, list):
            n[:] = [int(v) if _whole(v) else v for v in n]
        elif isinstance(n, dict) and _whole(n.get(last)):
            n[last] = int(n[last])


def _whole(v) -> bool:
    """A float that is a whole number a year or a month could be (beyond 2**53 a float is no exact integer: left to
    the schema's range check, never made a 300-digit int)."""
    return type(v) is float and v.is_integer() and abs(v) < 2 ** 53
