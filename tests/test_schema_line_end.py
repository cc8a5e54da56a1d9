"""A pattern's ``$`` is the end of the string, as JSON Schema (ECMA-262) reads it: a value with a newline after
what the pattern allows fails in the located check as it fails in the fast one (Python's ``$`` also matches before a
final newline, so jsonschema found nothing to say and the document was passed with no problem at all)."""

import copy
import json
from pathlib import Path

import pytest

import xlgoals

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _doc(folder: str) -> dict:
    return json.loads(sorted((EXAMPLES / folder).glob("*.json"))[0].read_text(encoding="utf-8"))


@pytest.mark.parametrize("folder, path, edit", [
    ("self-evaluation", "/indicators/0/id", lambda d: d["indicators"][0].__setitem__("id", d["indicators"][0]["id"] + "\n")),
    ("json", "/framework", lambda d: d.__setitem__("framework", d["framework"] + "\n")),
    ("self-evaluation", "/targets_sha256", lambda d: d.__setitem__("targets_sha256", d["targets_sha256"] + "\n")),
])
def test_a_value_with_a_newline_after_its_pattern_is_a_located_problem(folder, path, edit):
    doc = _doc(folder)
    assert not [p for p in xlgoals.validate_document(doc, form=doc.get("form", "goal-table")) if p.severity == "error"]  # the example is valid
    bad = copy.deepcopy(doc)
    edit(bad)
    problems = [p for p in xlgoals.validate_document(bad, form=doc.get("form", "goal-table")) if p.severity == "error"]
    assert [p.path for p in problems if p.code.startswith("schema.")] == [path]


def test_a_document_the_fast_check_refuses_is_never_passed_with_nothing_said(monkeypatch):
    """Should the located check ever find nothing where the fast one refused, one problem still says so."""
    from xlgoals._check import _schema

    doc = _doc("json")
    monkeypatch.setattr(_schema, "_fast_check", lambda form: lambda d: False)
    problems = _schema.schema_problems(doc)
    assert [(p.code, p.path, p.severity) for p in problems] == [("schema.other", "", "error")]
    assert "换行" in problems[0].message and "line breaks" in problems[0].message_en


def test_a_self_evaluation_document_is_checked_as_one_without_form_given():
    """validate_document takes the form the document names (it checked a self-evaluation as a goal table)."""
    doc = _doc("self-evaluation")
    assert doc["form"] == "self-evaluation"
    assert xlgoals.validate_document(doc) == xlgoals.validate_document(doc, form="self-evaluation")
    assert not [p for p in xlgoals.validate_document(doc) if p.severity == "error"]
