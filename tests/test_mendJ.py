"""mendJ: a department's corrected annotated copy is counted when named; totals say what they leave out; no temp
file of a dead run is left in an output folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._check._annotate import annotate

from .conftest import ROOT, cli

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def _codes(f):
    return sorted((p.code, p.cell) for p in f.problems)


def _annotated_copy(tmp_path) -> tuple[Path, list]:
    """The bureau's annotated copy of RECEIVED, and the problems validate found in RECEIVED."""
    report = validate([RECEIVED], jobs=1).files[0]
    copy = annotate(report, tmp_path / "退回")
    return copy, _codes(report)


def test_a_corrected_annotated_copy_named_directly_is_read_as_the_return_it_is(tmp_path):
    (tmp_path / "退回").mkdir()
    copy, expected = _annotated_copy(tmp_path)
    assert expected and all(c != "file.xlgoals_output" for c, _ in expected)
    # named as it came back: the department's return, with the bureau's comments and 问题清单 sheet passed over
    assert _codes(validate([copy], jobs=1).files[0]) == expected
    # the department corrects it and sends it back under its own name, into the inbox
    wb = openpyxl.load_workbook(copy)
    wb["绩效指标"]["C16"].value = "数量"
    wb["项目信息"]["B10"].value = 200_000_000
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    back = inbox / "某局_某项目.xlsx"
    wb.save(back)
    named = validate([back], jobs=1)
    assert named.files[0].problems == [], _codes(named.files[0])
    result = cli("validate", back)
    assert result.exit_code == 0, result.output
    # consolidate FILE counts it
    summary = consolidate([back], tmp_path / "汇总.xlsx", jobs=1)
    assert [r.included for r in summary.records] == [True], [r.problems for r in summary.records]
    assert summary.records[0].values["total"] == 200_000_000
    # a folder scan keeps skipping it (the annotate folder may lie in the returns folder), its advice now true
    scanned = consolidate([inbox], tmp_path / "汇总2.xlsx", jobs=1)
    assert len(scanned.records) == 0 and str(back) in scanned.skipped
    why = scanned.skipped[str(back)]
    assert "直接指定该文件来校验或汇总" in why[0] and "name that file itself" in why[1], why
    report = validate([inbox], jobs=1)
    assert report.files == [] and str(back) in report.skipped_reasons
    # the original copy (folder 退回) is untouched by all this; a summary named directly stays refused
    assert [p.code for p in validate([tmp_path / "汇总.xlsx"], jobs=1).files[0].problems] == ["file.xlgoals_output"]
    only = consolidate([tmp_path / "汇总.xlsx"], tmp_path / "汇总3.xlsx", jobs=1)
    assert [r.included for r in only.records] == [False]

