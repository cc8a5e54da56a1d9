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

import xlgoals

from .helpers import example_return, info_cell

REFUSED = {"nan": "NaN", "inf": "Infinity", "big": "1e400", "e2": "5e2", "under": "1_000", "sci": "1.46407273E+8",
           "minus_text": "-100", "minus": -100, "wan": "6280万元"}


def _returns(folder, form_id: str, cell: tuple[str, str], values: dict, name_cell=None):
    folder.mkdir()
    for k, v in {**values, "ok": 5000}.items():
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
    d = _returns(tmp_path / "in", "self-evaluation", cell, REFUSED)
    f = xlgoals.frames([d], jobs=1)
    executed = _by_file(f.projects, "funds.executed")
    assert isinstance(executed["ok"], Decimal) and executed["ok"] == 5000
    refused = {k: v for k, v in executed.items() if k != "ok" and v is not None and not (isinstance(v, float) and v != v)}
    assert refused == {}, refused
