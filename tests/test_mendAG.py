"""mendAG (session 22): a reviewer's findings on mendAC, mendAA, mendAB.

* A Decimal amount with trailing zeros (a finance database's numeric(18,4): Decimal('6424663.0000')) was refused
  as “超过两位小数” by validate_document() and fill(): its zeros are no decimal places.
* A numpy integer argument (``write_template(year=np.int64(2021))``) was refused as not a whole number.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import numpy as np
import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLE_JSON, load
from .helpers import ooxml_errors


# 3: Decimals with trailing zeros ---------------------------------------------------------------------------------
@pytest.mark.parametrize("amount, back", [("6424663.0000", 6424663), ("100", 100), ("1E+2", 100),
                                          ("12345678901234.50", 12345678901234.5), ("1.2300", 1.23)])
def test_a_decimal_amounts_trailing_zeros_are_no_decimal_places(tmp_path, amount, back):
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = doc["budget"]["current_year"] = Decimal(amount)
    base = copy.deepcopy(doc)
    base["budget"]["total"] = base["budget"]["current_year"] = back
    assert [p.code for p in xlgoals.validate_document(doc)] == [p.code for p in xlgoals.validate_document(base)]
    out = xlgoals.fill(doc, tmp_path / "r.xlsx")
    assert ooxml_errors(out) == []
    read = xlgoals.read(out).document
    assert read["budget"]["total"] == back and read["budget"]["current_year"] == back
    cell = xlgoals.FORMS["goal-table"].field("/budget/total")
    assert openpyxl.load_workbook(out)[cell.sheet][cell.cell].value == back


@pytest.mark.parametrize("amount", ["123.456", "6424663.0001", "0.001"])
def test_a_decimal_amount_with_a_third_place_is_still_refused(amount):
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = Decimal(amount)
    assert [(p.code, p.value) for p in xlgoals.validate_document(doc) if p.path == "/budget/total"] == \
        [("cell.amount_decimals", amount)]


def test_sixteen_significant_digits_with_trailing_zeros_are_still_too_many():
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = Decimal("1234567890123456.00")
    assert "schema.range" in [p.code for p in xlgoals.validate_document(doc) if p.path == "/budget/total"]


# 6: numpy integers as arguments ----------------------------------------------------------------------------------
def test_write_template_takes_a_numpy_integer_year(tmp_path):
    out = xlgoals.write_template(tmp_path / "t.xlsx", year=np.int64(2021), rows=np.int32(12))
    assert ooxml_errors(out) == []
    assert "2021年度" in openpyxl.load_workbook(out)["项目信息"]["A1"].value
    with pytest.raises(xlgoals.UsageError if hasattr(xlgoals, "UsageError") else Exception):
        xlgoals.write_template(tmp_path / "u.xlsx", year=np.int64(1800))
    with pytest.raises(TypeError):
        xlgoals.write_template(tmp_path / "v.xlsx", year=np.float64(2021.0))
    with pytest.raises(TypeError):
        xlgoals.write_template(tmp_path / "w.xlsx", year=np.bool_(True))


# 4: an amount the reader refused, kept in a workbook's document, is blank in frames() and the summary -------------
REFUSED_NUMBERS = {"decimals": 123.456, "precision": 1e16}


def _json_returns(folder, values: dict):
    import json
    folder.mkdir()
    for k, v in {**values, "ok": 5000}.items():
        doc = load(EXAMPLE_JSON[1])
        doc["budget"]["total"] = v
        doc["project"]["name"] = "项目" + k
        (folder / f"{k}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_a_refused_amount_is_blank_in_frames_and_the_summary_from_a_workbook_as_from_json(tmp_path, kind):
    from .helpers import info_cell
    from .test_mendAC import _by_file, _returns
    if kind == "xlsx":
        d = _returns(tmp_path / "in", "goal-table", info_cell("/budget/total"), REFUSED_NUMBERS,
                     info_cell("/project/name"))
    else:
        d = _json_returns(tmp_path / "in", REFUSED_NUMBERS)
    f = xlgoals.frames([d], jobs=1)
    total = _by_file(f.projects, "budget.total")
    assert total["ok"] == Decimal(5000)
    assert {k: v for k, v in total.items() if k != "ok" and v is not None and v == v} == {}  # missing, none a value
    codes = {(p.rsplit("/", 1)[-1].rsplit(".", 1)[0], c) for p, c in zip(f.problems["file"], f.problems["code"])}
    # (named in .problems: 1e16 is the schema's “至多 15 位有效数字” in a JSON document)
    precision = "cell.amount_precision" if kind == "xlsx" else "schema.range"
    assert {("decimals", "cell.amount_decimals"), ("precision", precision)} <= codes
    out = tmp_path / "s.xlsx"
    xlgoals.consolidate([d], out, jobs=1, include_invalid=True)
    assert ooxml_errors(out) == []
    assert openpyxl.load_workbook(out)["汇总"]["D4"].value == 5000  # neither 123.456 nor 1e16 added in
    # the document read keeps what was typed (read's JSON, the digest): only the counting blanks it
    if kind == "xlsx":
        assert xlgoals.read(d / "decimals.xlsx").document["budget"]["total"] == 123.456


# 5: a percentage is a share capped at 100 unless its name says it may exceed it -------------------------------------
SE_JSON = "self-evaluation/02_促进就业专项资金.json"


def _se_row_10(name, actual):
    from .conftest import EXAMPLES
    doc = load(EXAMPLES / SE_JSON)
    ind = doc["indicators"][10]
    assert (ind["comparator"], ind["value"], ind["unit"]) == (">=", 85, "%")
    ind.update(name=name, actual=actual)
    return [p for p in xlgoals.validate_document(doc) if p.code == "self.actual_percent_range"]


@pytest.mark.parametrize("name, actual", [("资金拨付及时率", 105), ("信息公开实现率", 108), ("国内展品完好率", 110),
                                          ("资金到位率", 110), ("就业率", 105), ("享受职业技能补贴人数占比", 105),
                                          ("职业技能鉴定合格率", 105), ("享受职业技能补贴人数", 105)])
def test_a_share_the_list_never_named_is_still_capped_at_100(name, actual):
    found = _se_row_10(name, actual)
    assert [p.path for p in found] == ["/indicators/10/actual"], name
    assert "0–100%" in found[0].message and f"{actual}%" in found[0].message


@pytest.mark.parametrize("name", ["就业人数增长率", "培训人数完成率", "技能水平提升幅度", "超额完成培训任务比例"])
def test_a_figure_whose_name_says_it_may_exceed_100_keeps_the_over_fulfilment_allowance(name):
    assert _se_row_10(name, 105) == []  # ≥85 %: up to 85 × 1.3 = 110.5
    found = _se_row_10(name, 120)
    assert [p.path for p in found] == ["/indicators/10/actual"] and "0–110.5%" in found[0].message, found
