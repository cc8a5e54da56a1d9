"""A JSON document with a list or an object where a value belongs, or "indicators" that is no list, is a return
that fails the schema (schema.type) everywhere: validate, consolidate (counted as failing, never 无法读取 by a
crash of the scoring: a list in a self-evaluation's 实际完成值 raised NameError from the generated scorer, which ran
without the builtins it caught) and frames() (which raised on "indicators": true)."""

from __future__ import annotations

import json

import pytest

import xlgoals
from xlgoals._consolidate import Status

from .conftest import EXAMPLES

SOURCES = {"goal-table": EXAMPLES / "json" / "02_促进就业专项资金.json",
           "self-evaluation": EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json",
           "monitoring": EXAMPLES / "monitoring" / "02_促进就业专项资金.json"}
ODD = [("value", [1]), ("actual", []), ("comparator", {"a": 1}), ("points", [10]), ("score", {}), ("unit", [])]


def _write(tmp_path, form: str, change) -> object:
    doc = json.loads(SOURCES[form].read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / "in" / f"{form}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("form", list(SOURCES))
@pytest.mark.parametrize("key, odd", ODD, ids=[k for k, _ in ODD])
def test_a_list_or_object_in_an_indicator_fails_the_schema_and_is_summarised(tmp_path, form, key, odd):
    path = _write(tmp_path, form, lambda d: d["indicators"][1].__setitem__(key, odd))
    codes = [p.code for p in xlgoals.validate([path]).files[0].problems]
    assert any(c.startswith("schema.") for c in codes) and not [c for c in codes if c.startswith("file.")], codes
    result = xlgoals.consolidate([path], tmp_path / "汇总.xlsx", jobs=1)
    (rec,) = result.records
    assert rec.status == Status.INVALID and not [p for p in rec.problems if p.code.startswith("file.")], rec.problems
    frames = xlgoals.frames([path], jobs=1)
    assert len(frames.projects) == 1 and not frames.projects["counted"].any()


@pytest.mark.parametrize("form", list(SOURCES))
@pytest.mark.parametrize("odd", [True, 5, "x", {"a": 1}])
def test_indicators_that_are_no_list_give_no_rows_and_no_crash(tmp_path, form, odd):
    path = _write(tmp_path, form, lambda d: d.__setitem__("indicators", odd))
    assert any(p.code.startswith("schema.") for p in xlgoals.validate([path]).files[0].problems)
    frames = xlgoals.frames([path], jobs=1)
    assert len(frames.indicators) == 0 and len(frames.projects) == 1


@pytest.mark.parametrize("month", [0, -1, 13, True, None])
def test_a_report_of_no_possible_month_is_not_called_a_1_0_month_report(tmp_path, month):
    """Two reports of one project, one of them a JSON document whose month no report can have: the note says its
    month cannot be read, never “1-0月报告” or “1-13月报告”, in validate and consolidate alike."""
    folder = tmp_path / "in"
    folder.mkdir()
    doc = json.loads(SOURCES["monitoring"].read_text(encoding="utf-8"))
    (folder / "b.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    doc["month"] = month
    (folder / "a.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    notes = [p.message for f in xlgoals.validate([folder]).files for p in f.problems if p.code == "return.duplicate"]
    notes += [r.note for r in xlgoals.consolidate([folder], tmp_path / "汇总.xlsx", jobs=1).records if r.note]
    assert notes and all("月份无法识别的报告" in n for n in notes), notes
    assert not [n for n in notes if "1-0月" in n or "1--1月" in n or "1-13月" in n], notes
