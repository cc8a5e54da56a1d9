"""The errors walk generated from each form's schema finds what jsonschema finds: the same errors, in the same order,
with the same keyword, schema value, value found and message, so the same Problems (codes, cells, messages,
expected and found values) — over every example, every received return and a corpus of broken documents of every
form (keys deleted, wrong types, values outside the enums, texts too long, bad patterns and dates, extra keys, whole
rows replaced, on every field and every indicator key)."""

from __future__ import annotations

import copy
import json
import math
import random
from decimal import Decimal

import pytest
from jsonschema import Draft202012Validator

from xlgoals import FORMS, schema_problems, validate_file
from xlgoals._check import _schema
from xlgoals._check._schema_errors import errors_function

from .conftest import ROOT

_DIRS = {"goal-table": "json", "self-evaluation": "self-evaluation", "monitoring": "monitoring"}
_SEEDS = {fid: [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples" / d).glob("*.json"))]
          for fid, d in _DIRS.items()}
_JUNK = [None, True, False, 0, -1, 1.5, 101, 10 ** 30, Decimal("-2"), float("nan"), float("inf"), "", " ", "x", "x\n",
         "a" * 51, "a" * 2001, "a" * 20001, "qualitative", "=", "partly", "2020-13-01", "2020-02-30", "2026-01-01",
         "I001\n", "-bad", [], {}, [1, "a"], {"value": "x"}, 2026.0, 1e308, -0.0, 2 ** 63, "\u202e", "A" * 65]
_DELETE = object()


def _leaves(node, path=()):
    """(container, key) of every value under `node` but the indicators, the containers' own keys included."""
    if isinstance(node, dict):
        for k, v in node.items():
            if path == () and k == "indicators":
                continue
            yield node, k
            yield from _leaves(v, (*path, k))


def _spoiled(seed: dict, fid: str):
    """One fault at a time on every field and every indicator key of one row of each kind (the first quantitative
    and the first qualitative), and whole rows replaced."""
    props = list(_schema._flat(FORMS[fid])["properties"]["indicators"]["items"]["properties"])
    for n in range(len(list(_leaves(seed)))):
        for junk in [_DELETE, "extra", *_JUNK]:
            doc = copy.deepcopy(seed)
            parent, key = list(_leaves(doc))[n]
            if junk is _DELETE:
                del parent[key]
            elif junk == "extra":
                parent["extra"] = 1
            else:
                parent[key] = copy.deepcopy(junk)
            yield doc
    rows = seed["indicators"]
    picks = {next((i for i, r in enumerate(rows) if r.get("comparator") != "qualitative"), None),
             next((i for i, r in enumerate(rows) if r.get("comparator") == "qualitative"), None)} - {None}
    for i in sorted(picks):
        for key in [*props, "extra"]:
            for junk in [_DELETE, *_JUNK]:
                doc = copy.deepcopy(seed)
                if junk is _DELETE:
                    doc["indicators"][i].pop(key, None)
                else:
                    doc["indicators"][i][key] = copy.deepcopy(junk)
                yield doc
        for junk in _JUNK:
            doc = copy.deepcopy(seed)
            doc["indicators"][i] = copy.deepcopy(junk)
            yield doc



def _many_faults(seed: dict, fid: str, rng: random.Random):
    """Several faults at once, head and rows, seeded."""
    props = list(_schema._flat(FORMS[fid])["properties"]["indicators"]["items"]["properties"]) + ["extra"]
    doc = copy.deepcopy(seed)
    for _ in range(rng.randint(2, 12)):
        rows = doc.get("indicators")
        if isinstance(rows, list) and rows and rng.random() < 0.7:
            i = rng.randrange(len(rows))
            if not isinstance(rows[i], dict) or rng.random() < 0.05:
                rows[i] = copy.deepcopy(rng.choice(_JUNK))
                continue
            key = rng.choice(props)
            if rng.random() < 0.4:
                rows[i].pop(key, None)
            else:
                rows[i][key] = copy.deepcopy(rng.choice(_JUNK))
        else:
            spots = list(_leaves(doc))
            if not spots:
                continue
            parent, key = rng.choice(spots)
            if rng.random() < 0.3:
                del parent[key]
            else:
                parent[key] = copy.deepcopy(rng.choice(_JUNK))
    return doc


def _shown(instance) -> str:
    """The value an error holds, comparable (repr: a NaN is not equal to itself); the document's own without its
    items (the jsonschema path checks the document's head with the items left out)."""
    if isinstance(instance, dict) and "indicators" in instance:
        instance = {k: v for k, v in instance.items() if k != "indicators"}
    return repr(instance)


def _raw(found) -> list:
    """What schema_problems reads of each error, comparable."""
    return [(parts, e.validator, repr(e.validator_value), _shown(e.instance), e.message,
             sorted(e.schema.get("properties") or ()) if e.validator == "additionalProperties" else None)
            for parts, e in found]


def _problems_both_ways(doc, form, monkeypatch) -> tuple:
    """The problems through the generated walk, and through jsonschema (the walk switched off)."""
    ours = schema_problems(doc, form=form)
    with monkeypatch.context() as m:
        m.setattr(_schema, "_generated_errors", lambda form: None)
        theirs = schema_problems(doc, form=form)
    return ours, theirs


def _corpus(fid):
    seeds = _SEEDS[fid]
    yield from _spoiled(seeds[0], fid)
    rng = random.Random(fid)
    for n in range(300):
        yield _many_faults(seeds[n % len(seeds)], fid, rng)


def test_every_form_has_its_errors_walk():
    for fid, form in FORMS.items():
        assert _schema._generated_errors(form) is not None, fid


#: The corpus's documents are checked in this many slices, each a test of its own (every document in one slice:
#: docs[shard::_SHARDS]), so that xdist's workers share a form's corpus: jsonschema over the whole document is most of
#: the time (the self-evaluation form's corpus alone was the suite's longest test, a tail on CI's 2 cores).
_SHARDS = 4


def _corpus_docs(fid) -> list:
    return [*_SEEDS[fid], *_corpus(fid)]


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(_SHARDS))
@pytest.mark.parametrize("fid", sorted(_DIRS))
def test_the_walk_finds_jsonschemas_errors_in_the_same_order(fid, shard, monkeypatch):
    form = FORMS[fid]
    walk = _schema._generated_errors(form)
    draft = _schema._draft()  # 2020-12 with a pattern's $ read as JSON Schema reads it: "x\n" does not match "^x$"
    whole = draft(_schema.load_schema(form), format_checker=draft.FORMAT_CHECKER)
    docs = _corpus_docs(fid)[shard::_SHARDS]
    assert docs
    for doc in docs:
        found = [(list(e.path), e) for e in walk(doc)]
        found.sort(key=lambda pe: list(map(str, pe[0])))
        assert _raw(found) == _raw(_schema._located_errors(doc, form))
        assert _raw(found) == _raw(_schema._jsonschema_errors(doc, form)), doc
        # and jsonschema over the whole document (its $refs, the items with the rest): the same errors
        assert sorted(map(repr, _raw(found))) == sorted(
            map(repr, _raw([(list(e.absolute_path), e) for e in whole.iter_errors(doc)])))
        if found:
            ours, theirs = _problems_both_ways(doc, form, monkeypatch)
            assert repr(ours) == repr(theirs), doc


@pytest.mark.parametrize("fid", sorted(_DIRS))
def test_the_walks_corpus_is_mostly_broken_and_reaches_every_kind_of_schema_problem(fid):
    """The corpus the previous test checks in slices, over all its documents: mostly broken, and its problems (through
    the walk, as that test's `ours`) of every kind."""
    form = FORMS[fid]
    walk = _schema._generated_errors(form)
    seen = {"docs": 0, "invalid": 0, "codes": set()}
    for doc in _corpus_docs(fid):
        seen["docs"] += 1
        if list(walk(doc)):
            seen["invalid"] += 1
            seen["codes"] |= {p.code for p in schema_problems(doc, form=form)}
    assert seen["invalid"] > 0.6 * (seen["docs"] - len(_SEEDS[fid]))  # the corpus is mostly broken documents
    assert {"schema.required", "schema.type", "schema.enum", "schema.length", "schema.other"} <= seen["codes"]
    if fid != "monitoring":  # the monitoring form's numbers have no range
        assert "schema.range" in seen["codes"]


def _returns():
    return sorted(p for d in ("examples", "tests/fixtures") for p in (ROOT / d).rglob("*.xls*")
                  if not p.name.startswith("calamine-"))  # those two abort and panic calamine: test_hostile's


def test_every_example_and_received_return_has_the_same_problems(monkeypatch):
    """The returns as validate reads them (examples/received/, examples/received-self-evaluation/ hold
    departments' mistakes): the same problems with the walk as with jsonschema, cells and messages included.
    (The reader's own checks find most of their mistakes; the schema's are the next test's.)"""
    assert len(_returns()) >= 20
    found = 0
    for path in _returns():
        ours = validate_file(path, isolated=False)
        with monkeypatch.context() as m:
            m.setattr(_schema, "_generated_errors", lambda form: None)
            theirs = validate_file(path, isolated=False)
        assert repr(ours.problems) == repr(theirs.problems), path
        found += len(ours.problems)
    assert found > 0


def test_a_return_with_ten_schema_problems_as_the_benchmark_writes_it(tmp_path, monkeypatch):
    """bench_read_validate.py's invalid copies: nine names left out, located at their cells, as jsonschema said."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from synth import synthetic_document
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    from xlgoals._write._workbook import build_workbook

    doc = synthetic_document(3)
    for ind in doc["indicators"][10:19]:
        ind.pop("name", None)
    doc["indicators"][2]["unit"] = "u" * 51
    doc["indicators"][5].pop("level2")
    path = tmp_path / "invalid.xlsx"
    path.write_bytes(build_workbook(doc["framework"], doc["year"], doc, rows=30))
    ours = validate_file(path, isolated=False).problems
    with monkeypatch.context() as m:
        m.setattr(_schema, "_generated_errors", lambda form: None)
        theirs = validate_file(path, isolated=False).problems
    assert repr(ours) == repr(theirs)
    required = [p for p in ours if p.code == "schema.required"]
    assert len(required) == 10 and all(p.cell for p in required)
    assert [(p.code, p.cell) for p in ours if p.code == "schema.length"] == [("schema.length", "G6")]


def test_a_keyword_the_walk_does_not_write_leaves_the_schema_to_jsonschema():
    assert errors_function({"type": "number", "multipleOf": 3}) is None
    assert errors_function({"properties": {"a": {"format": "email"}}}) is None
    assert errors_function({"type": "object", "patternProperties": {"^x": {}}, "additionalProperties": False}) is None


_TOY = {"type": "object", "required": ["a"], "additionalProperties": False,
        "properties": {"a": {"type": "array", "items": {"enum": ["x", None], "not": {"const": None}}},
                       "b": {"allOf": [{"type": ["integer", "null"]}, {"minimum": 1.5, "maximum": 3}]},
                       "c": {"const": "k", "minLength": 2},
                       "e": {"maximum": float("inf"), "minimum": -0.5},
                       "d": {"if": {"type": "string"}, "then": {"maxLength": 0}, "else": {"type": "boolean"}}}}


@pytest.mark.parametrize("doc", [
    {}, [], None, {"a": []}, {"a": ["x", None, 3, "y"]}, {"a": "x", "b": 2.5, "c": "kk", "d": "s"},
    {"a": [], "b": True, "c": "k", "d": 1, "e": 0, "f": 1}, {"a": [], "b": 1, "d": ""}, {"a": [], "b": 4, "d": False},
    {"a": [], "b": 2.0}, {"a": [], "b": 2.5}, {"a": [], "b": 1e308}, {"a": [], "b": Decimal(2)},
    {"a": [], "e": -1}, {"a": [], "e": float("inf")}, {"a": [], "e": -0.5}])
def test_the_walk_is_jsonschemas_on_other_keywords_too(doc):
    """Keywords our forms do not use today, written all the same (allOf, items, not, const null, integer):
    jsonschema's errors, in its order.  An integer is a float with no fraction too (draft 2020-12: 2.0, 1e308)."""
    walk = errors_function(_TOY)
    theirs = Draft202012Validator(_TOY).iter_errors(doc)
    assert [(list(e.path), e.validator, e.validator_value, e.message) for e in walk(doc)] == \
        [(list(e.absolute_path), e.validator, e.validator_value, e.message) for e in theirs]


def test_an_invalid_return_is_checked_without_loading_jsonschema(tmp_path):
    """A return with problems the walk finds: validate reports them without importing jsonschema (it costs a
    single check more than the check itself), on the first run (nothing cached) and the next."""
    import os
    import subprocess
    import sys

    from tests.conftest import EXAMPLE_JSON, load
    from xlgoals._write._workbook import build_workbook

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][0].pop("name")
    doc["indicators"][1]["unit"] = "u" * 51
    path = tmp_path / "有误.xlsx"
    path.write_bytes(build_workbook(doc["framework"], doc["year"], doc))
    code = (
        "import sys, json\n"
        "import xlgoals\n"
        f"problems = xlgoals.validate_file({str(path)!r}, isolated=False).problems\n"
        "print(json.dumps([sorted(p.code for p in problems if p.code.startswith('schema.')), "
        "'jsonschema' in sys.modules]))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env,
                              cwd=str(ROOT))
        assert proc.returncode == 0, proc.stderr
        codes, loaded = json.loads(proc.stdout.strip().splitlines()[-1])
        assert "schema.required" in codes and "schema.length" in codes, codes
        assert not loaded


def test_nan_is_compared_as_jsonschema_compares_it():
    form = FORMS["goal-table"]
    doc = copy.deepcopy(_SEEDS["goal-table"][0])
    doc["indicators"][0]["weight"] = float("nan")
    doc["indicators"][0]["name"] = 5
    assert math.isnan(doc["indicators"][0]["weight"])
    assert _raw(_schema._located_errors(doc, form)) == _raw(_schema._jsonschema_errors(doc, form))
