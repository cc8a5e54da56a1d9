"""Readings and targets left alone last session (session 28, mendDA): 不可能 read as 完全不可能, invalid returns'
indicator rows in consolidate, integer-valued floats of a JSON goal table, targets_refused under a bureau's rules,
template --targets warnings, 年度总体目标 too short, and self.amount_scale lowered to notice."""

from decimal import Decimal
import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import ooxml_errors

MON = EXAMPLES / "monitoring"
MON_RETURN = MON / "03_职业培训基础能力建设资助.xlsx"


def _with(tmp_path, src, sheet, ref, value, name="r.xlsx"):
    wb = openpyxl.load_workbook(src)
    wb[sheet][ref].value = value
    wb.save(tmp_path / name)
    return tmp_path / name


# 1. 不可能 typed for 完全不可能 ---------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["不可能", "不可能。", " 不可能 "])
def test_bu_ke_neng_reads_as_impossible(tmp_path, typed):
    path = _with(tmp_path, MON_RETURN, "指标监控", "M23", typed)
    result = xlgoals.read(path, isolated=False)
    assert [p for p in result.problems if p.code == "cell.choice"] == []
    (i,) = [k for k, v in result.sources.items() if v == "指标监控!M23"]
    assert i.endswith("/likelihood")
    idx = int(i.split("/")[2])
    assert result.document["indicators"][idx]["likelihood"] == "impossible"
    # the same as 完全不可能 typed: validation says the same things of the return
    same = _with(tmp_path, MON_RETURN, "指标监控", "M23", "完全不可能", name="same.xlsx")
    assert sorted(p.code for p in validate_file(path).problems) == sorted(p.code for p in validate_file(same).problems)


@pytest.mark.parametrize("typed", ["可能", "不确定", "不能"])
def test_other_partial_likelihoods_are_still_refused(tmp_path, typed):
    path = _with(tmp_path, MON_RETURN, "指标监控", "M23", typed)
    (p,) = [p for p in xlgoals.read(path, isolated=False).problems if p.code == "cell.choice"]
    assert p.cell == "M23" and "完全不可能" in p.message
