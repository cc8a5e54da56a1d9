"""mendAC (session 22): what analysts take from ``frames()`` and give back to ``fill()`` / ``validate_document()``.

* An amount the reader refuses (``cell.amount``: ``NaN``, ``Infinity``, ``1e400``, ``5e2``, ``1_000``,
  ``1.46407273E+8`` typed as text; ``cell.amount_negative``: ``-100``) was still a value in ``frames()``
  (Decimal('NaN'), Decimal('Infinity'), 1000 …), where ``consolidate`` leaves it blank and the README says it is
  missing: an analyst's sum was NaN or infinite, or differed from the summary's.  One rule for both now: an amount
  counts when the reader took it (a number, not below 0); anything else is missing.  A negative number typed in a
  workbook was added into consolidate's totals, where the same amount in a JSON document was blank: blank in both.
"""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest

import xlgoals

from .helpers import example_return, info_cell, ooxml_errors

REFUSED = {"nan": "NaN", "inf": "Infinity", "big": "1e400", "e2": "5e2", "under": "1_000", "sci": "1.46407273E+8",
           "minus_text": "-100", "minus": -100, "wan": "6280万元"}


def _returns(folder, form_id: str, cell: tuple[str, str], values: dict, name_cell=None, ok=5000):
    folder.mkdir()
    for k, v in {**values, "ok": ok}.items():
        wb = openpyxl.load_workbook(example_return(form_id))
        c = wb[cell[0]][cell[1]]
        c.value = v
        if isinstance(v, str):
            c.data_type = "s"
        if name_cell:  # a project name of its own: not a duplicate of the others
            wb[name_cell[0]][name_cell[1]].value = "项目" + k
        wb.save(folder / f"{k}.xlsx")
    return folder


def _by_file(df, column):
    return {p.rsplit("/", 1)[-1][:-5]: v for p, v in zip(df["path"], df[column])}


def test_an_amount_the_reader_refuses_is_missing_in_frames_as_in_the_summary(tmp_path):
    d = _returns(tmp_path / "in", "goal-table", info_cell("/budget/total"), REFUSED, info_cell("/project/name"))
    f = xlgoals.frames([d], jobs=1)
    total = _by_file(f.projects, "budget.total")
    assert total["ok"] == Decimal(5000)
    refused = {k: v for k, v in total.items() if k != "ok" and v is not None and not (isinstance(v, float) and v != v)}
    assert refused == {}, refused  # every one missing, none a value
    codes = {(p.rsplit("/", 1)[-1][:-5], c) for p, c in zip(f.problems["file"], f.problems["code"])}
    assert ("minus", "cell.amount_negative") in codes and ("nan", "cell.amount") in codes  # and named in .problems
    # the summary's total is the frames' sum
    res = xlgoals.consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, )
    analysts = sum(v for v in total.values() if isinstance(v, Decimal))
    assert analysts == Decimal(5000)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["汇总"]
    assert ws["D4"].value == 5000, (ws["D4"].value, res)  # -100 typed in a workbook is not added in, as in JSON


def test_a_refused_self_evaluation_amount_is_missing_in_frames(tmp_path):
    se = xlgoals.FORMS["self-evaluation"]
    cell = (se.field("/funds/executed").sheet, se.field("/funds/executed").cell)
    # (50,000,000 of its 62,800,000: 5,000 would be self.amount_scale's 万元, held out of frames as of the summary)
    d = _returns(tmp_path / "in", "self-evaluation", cell, REFUSED, ok=50000000)
    f = xlgoals.frames([d], jobs=1)
    executed = _by_file(f.projects, "funds.executed")
    assert isinstance(executed["ok"], Decimal) and executed["ok"] == 50000000
    refused = {k: v for k, v in executed.items() if k != "ok" and v is not None and not (isinstance(v, float) and v != v)}
    assert refused == {}, refused


# f09: numbers from pandas and numpy given to fill() and validate_document() -------------------------------------

import copy  # noqa: E402

import numpy as np  # noqa: E402

from .conftest import EXAMPLE_JSON, load  # noqa: E402


def test_numpy_numbers_are_taken_as_the_numbers_they_are(tmp_path):
    """A numpy.float64 made fill() and validate_document() raise a bare decimal.InvalidOperation, a numpy.int64 an
    unlocated schema error blaming white space: they are the numbers they hold, written and read back so."""
    base = load(EXAMPLE_JSON[1])
    doc = copy.deepcopy(base)
    doc["budget"]["total"] = np.int64(base["budget"]["total"])
    doc["budget"]["current_year"] = np.float64(base["budget"]["current_year"])
    i = next(i for i, ind in enumerate(doc["indicators"]) if isinstance(ind.get("value"), (int, float)))
    doc["indicators"][i]["value"] = np.float32(0.1) if isinstance(base["indicators"][i]["value"], float) \
        else np.int32(base["indicators"][i]["value"])
    doc["year"] = np.int64(base["year"])
    assert xlgoals.validate_document(doc) == xlgoals.validate_document(base)
    out = xlgoals.fill(doc, tmp_path / "r.xlsx")
    assert ooxml_errors(out) == []
    back = xlgoals.read(out).document
    assert back["budget"]["total"] == base["budget"]["total"]
    assert back["budget"]["current_year"] == base["budget"]["current_year"]
    assert back["indicators"][i]["value"] == (0.1 if isinstance(base["indicators"][i]["value"], float)
                                              else base["indicators"][i]["value"])
    assert isinstance(doc["budget"]["total"], np.int64)  # the caller's document is not changed


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity"), np.float64("nan"),
                                 np.float32("inf")], ids=repr)
def test_nan_or_an_infinity_is_not_a_number_at_its_pointer(tmp_path, bad):
    """Decimal('NaN') (what frames() gave for a cell typed NaN) raised decimal.InvalidOperation; a float NaN was
    “至多 15 位有效数字”.  It is schema.not_a_number at its JSON pointer, in fill()'s DocumentError too."""
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["prior_year_budget"] = bad
    problems = xlgoals.validate_document(doc)
    found = [(p.code, p.path) for p in problems if p.is_error]
    assert found == [("schema.not_a_number", "/budget/prior_year_budget")], [(p.code, p.path, p.message) for p in problems]
    (p,) = [p for p in problems if p.code == "schema.not_a_number"]
    assert "不是数字" in p.message and "同名项目上年预算额" in p.message and "not a number" in p.message_en, p.message
    with pytest.raises(xlgoals.DocumentError) as exc:
        xlgoals.fill(doc, tmp_path / "r.xlsx")
    assert [q.code for q in exc.value.problems] == ["schema.not_a_number"], str(exc.value)
    assert "/budget/prior_year_budget" in str(exc.value)
    assert not (tmp_path / "r.xlsx").exists()


@pytest.mark.parametrize("bad", [1 + 2j, __import__("fractions").Fraction(1, 3), np.array([1, 2]), Decimal("sNaN")],
                         ids=repr)
def test_a_value_no_json_holds_is_said_at_its_pointer_not_raised(tmp_path, bad):
    """A complex, a Fraction or an array raised TypeError (or an unlocated schema.other), a signaling NaN
    InvalidOperation: each is a problem at its JSON pointer, from validate_document() and in fill()'s DocumentError."""
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = bad
    found = [(p.code, p.path) for p in xlgoals.validate_document(doc) if p.is_error]
    code = "schema.not_a_number" if isinstance(bad, Decimal) else "schema.type"
    assert found == [(code, "/budget/total")], found
    with pytest.raises(xlgoals.DocumentError) as exc:
        xlgoals.fill(doc, tmp_path / "r.xlsx")
    assert [(q.code, q.path) for q in exc.value.problems] == [(code, "/budget/total")]


def test_an_unknown_form_is_a_usage_error_not_a_key_error():
    from xlgoals._errors import UsageError

    with pytest.raises(UsageError) as exc:  # (an XlgoalsError, as fill's usage errors)
        xlgoals.validate_document(load(EXAMPLE_JSON[1]), form="xyz")
    assert "xyz" in str(exc.value) and "goal-table" in str(exc.value)
