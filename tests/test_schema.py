"""The JSON Schema contract, and the fast path that must agree with jsonschema on every document."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from xlgoals import load_schema, schema_problems
from xlgoals._check._schema import _fast_check

from .conftest import EXAMPLE_JSON, ROOT, examples, load, run_cli

SEED = load(EXAMPLE_JSON[2])
_validator = Draft202012Validator(load_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)

_junk = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
                  st.text(max_size=5), st.sampled_from(["qualitative", "=", "2020-13-01", "2020-01-01", ""]),
                  st.builds(list), st.builds(dict))  # a fresh object each time: the docs get mutated


@st.composite
def mutated(draw):
    doc = copy.deepcopy(SEED)
    for _ in range(draw(st.integers(0, 3))):
        where = draw(st.sampled_from(["top", "project", "budget", "indicator"]))
        if where != "top" and not isinstance(doc.get({"indicator": "indicators"}.get(where, where)), (dict, list)):
            where = "top"
        if where == "indicator" and doc["indicators"] and isinstance(doc["indicators"][0], dict):
            target = doc["indicators"][draw(st.integers(0, len(doc["indicators"]) - 1))]
            if not isinstance(target, dict):
                continue
            keys = ["level1", "level2", "name", "comparator", "value", "text", "unit", "basis", "weight", "extra"]
        elif where == "indicator":
            continue
        elif where == "project" and isinstance(doc["project"], dict):
            target, keys = doc["project"], list(SEED["project"]) + ["extra"]
        elif where == "budget" and isinstance(doc["budget"], dict):
            target, keys = doc["budget"], list(SEED["budget"]) + ["extra"]
        else:
            target, keys = doc, list(SEED) + ["extra"]
        _drop_or_spoil(draw, target, keys, _junk)
    return doc


def _drop_or_spoil(draw, target: dict, keys: list, junk) -> None:
    """Delete one of `keys` from `target`, or set it to a value drawn from `junk`."""
    key = draw(st.sampled_from(keys))
    if draw(st.booleans()) and key in target:
        del target[key]
    else:
        target[key] = draw(junk)


@settings(max_examples=examples(150, 400), deadline=None)
@given(doc=mutated())
def test_fast_path_agrees_with_jsonschema(doc):
    assert _fast_check()(doc) == _validator.is_valid(doc)
    assert (schema_problems(doc) == []) == _validator.is_valid(doc)


def test_examples_valid_and_problems_have_paths():
    assert _validator.is_valid(SEED)
    bad = copy.deepcopy(SEED)
    bad["indicators"][0]["value"] = 5  # a qualitative row with a number
    bad["budget"]["total"] = -1
    paths = {p.path for p in schema_problems(bad)}
    assert {"/indicators/0/value", "/budget/total"} <= paths


def test_installed_copy_finds_its_data(tmp_path):
    """Run from another folder: the package's templates/ and schema/ must come with it."""
    # Stays a subprocess: it proves the real `python -m xlgoals` entry point, run with another working folder in a
    # fresh interpreter, imports the installed copy and finds its data (CliRunner would reuse this process's import).
    proc = run_cli("frameworks", cwd=tmp_path)
    assert proc.returncode == 0 and "national-2021" in proc.stdout
    import subprocess
    import sys

    where = subprocess.run([sys.executable, "-c", "import xlgoals._resources as r; print(r.data_dir('schema'))"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert (__import__("pathlib").Path(where.stdout.strip()) / "rules.csv").exists()


@settings(max_examples=examples(120, 300), deadline=None)
@given(doc=mutated())
def test_item_by_item_errors_are_jsonschemas_errors(doc):
    """The located errors come from the document without its items plus only the invalid items: the
    same errors, at the same paths, with the same messages, as jsonschema over the whole document."""
    from xlgoals import FORMS
    from xlgoals._check._schema import _located_errors

    ours = [(parts, e.validator, e.message) for parts, e in _located_errors(doc, FORMS["goal-table"])]
    whole = sorted(((list(e.absolute_path), e.validator, e.message) for e in _validator.iter_errors(doc)),
                   key=lambda t: list(map(str, t[0])))
    assert sorted(ours, key=repr) == sorted(whole, key=repr)


# Every form, seeded with its real examples: item-by-item errors are jsonschema's over the whole document.
_FORM_SEEDS = {fid: [load(p) for p in sorted(ROOT.glob(f"examples/{d}/*.json"))]
               for fid, d in (("goal-table", "json"), ("self-evaluation", "self-evaluation"),
                              ("monitoring", "monitoring"))}
_hostile_junk = st.one_of(_junk, st.just(float("nan")), st.just(float("inf")), st.just(10 ** 30),
                          st.just(-(10 ** 30)), st.just(2 ** 63), st.just(True), st.just(1.0), st.just(0.5),
                          st.text(max_size=3).map(lambda s: {"value": s}), st.just([1, "a"]))


@st.composite
def form_and_mutated(draw):
    fid = draw(st.sampled_from(sorted(_FORM_SEEDS)))
    doc = copy.deepcopy(draw(st.sampled_from(_FORM_SEEDS[fid])))
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["field", "item", "item field", "whole item"]))
        items = doc.get("indicators")
        if how != "field" and isinstance(items, list) and items:
            i = draw(st.integers(0, len(items) - 1))
            if how == "whole item":
                items[i] = draw(st.one_of(_hostile_junk, st.just({})))
                continue
            if not isinstance(items[i], dict):
                continue
            target = items[i]
            seed_item = _FORM_SEEDS[fid][0]["indicators"][0]
            keys = sorted(set(target) | set(seed_item) | {"value", "text", "comparator", "extra"})
        else:
            parent = doc
            sub = [k for k, v in doc.items() if isinstance(v, dict)]
            if sub and draw(st.booleans()):
                parent = doc[draw(st.sampled_from(sub))]
            target, keys = parent, sorted(parent) + ["extra"]
        _drop_or_spoil(draw, target, keys, _hostile_junk)
    return fid, doc


@settings(max_examples=examples(120, 300), deadline=None)
@given(case=form_and_mutated())
def test_item_by_item_errors_are_jsonschemas_errors_in_every_form(case):
    from xlgoals import FORMS
    from xlgoals._check._schema import _located_errors

    fid, doc = case
    form = FORMS[fid]
    validator = Draft202012Validator(load_schema(form), format_checker=Draft202012Validator.FORMAT_CHECKER)
    ours = [(parts, e.validator, e.message) for parts, e in _located_errors(doc, form)]
    whole = [(list(e.absolute_path), e.validator, e.message) for e in validator.iter_errors(doc)]
    assert sorted(ours, key=repr) == sorted(whole, key=repr)
    assert _fast_check(form)(doc) == validator.is_valid(doc)
    assert (schema_problems(doc, form=form) == []) == validator.is_valid(doc)


def test_an_item_that_is_not_an_object_is_one_type_problem():
    """jsonschema also fails the item's vacuous ``not required`` (a null has no `value`): no traceback, and
    only the type is reported."""
    for junk in (None, [1], "x", 3):
        bad = copy.deepcopy(SEED)
        bad["indicators"][0] = junk
        found = [(p.code, p.path) for p in schema_problems(bad)]
        assert found == [("schema.type", "/indicators/0")], found


def test_a_value_without_text_of_its_own_is_shown_as_what_it_is():
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][0]["name"], doc["project"]["category"], doc["year"] = ["x"], {"a": 1}, None
    shown = {p.path: (p.message, p.message_en) for p in schema_problems(doc) if p.code == "schema.type"}
    assert "“（列表）”" in shown["/indicators/0/name"][0] and "(a list)" in shown["/indicators/0/name"][1]
    assert "“（对象）”" in shown["/project/category"][0] and "(an object)" in shown["/project/category"][1]
    assert "“（空）”" in shown["/year"][0] and "(empty)" in shown["/year"][1]


def test_a_key_the_comparator_excludes_is_named_in_words_with_the_comparator():
    """A qualitative row holding a number as well (a JSON document, or a row typed so) was told “不应填写 value（与比较符
    不符）”: a JSON key in a Chinese message, and not which comparator.  It says 数字目标值 and the comparator shown."""
    import json

    from xlgoals import schema_problems

    from .conftest import EXAMPLE_JSON

    doc = json.loads(EXAMPLE_JSON[1].read_text(encoding="utf-8"))
    doc["indicators"][9] = {**doc["indicators"][9], "comparator": "qualitative", "text": "合理"}
    (p,) = [p for p in schema_problems(doc) if p.path == "/indicators/9/value"]
    assert "不应填写数字目标值（value）" in p.message and "比较符“定性”" in p.message, p.message
    assert "comparator '定性'" in p.message_en, p.message_en
