"""A JSON document's numbers beyond a workbook, each said once and blank to the rules (item numbers too); the schema's
own problems kept beside them; a trailing ".0" is no digit; control characters checked once; validate --targets
loads no workbook writer; a failing JSON return's refused amounts summed as blank, as a workbook's refused cell."""

import json
import os
import subprocess
import sys
from decimal import Decimal

import openpyxl
import pytest

from xlgoals import consolidate, fill, read, validate_document
from xlgoals._config import Config
from xlgoals._form import FORMS
from xlgoals._write._limits import _significant, limit_problems

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, load


def _number_item(doc) -> int:
    return next(k for k, ind in enumerate(doc["indicators"]) if ind.get("unit") == "%"
                and isinstance(ind.get("value"), (int, float)))


def test_an_item_number_beyond_a_workbook_is_said_once_and_blank_to_the_rules(doc):
    i = _number_item(doc)
    doc["indicators"][i]["value"] = 1e20
    at = [(p.code, p.value) for p in validate_document(doc) if p.path == f"/indicators/{i}/value"]
    assert at == [("schema.range", "100000000000000000000")]  # written out, its 21 digits; not rule.percent_range


def test_a_negative_amount_to_a_fraction_of_a_fen_says_both(doc):
    doc["budget"]["total"] = -0.001
    found = [p for p in validate_document(doc) if p.path == "/budget/total"]
    assert sorted(p.code for p in found) == ["cell.amount_decimals", "schema.range"]
    (negative,) = [p for p in found if p.code == "schema.range"]
    assert "15" not in negative.message  # the schema's (below 0), not the 15 digits'


@pytest.mark.parametrize("big", [1e20, -1e20])
def test_an_amount_beyond_fifteen_digits_is_said_once(doc, big):
    doc["budget"]["total"] = big
    found = [p for p in validate_document(doc) if p.path == "/budget/total"]
    assert [p.code for p in found] == ["schema.range"] and "至多 15 位数字" in found[0].message and "此数为 21 位" in found[0].message


def test_control_characters_are_said_as_before_and_checked_once(doc):
    i = _number_item(doc)
    doc["project"]["name"] = "项目\x1b[31m名称"
    doc["indicators"][0]["name"] = "指标\u202e名称"
    doc["indicators"][i]["unit"] = "%\x00"
    doc["indicators"][i]["basis"] = "依据\ud800\x7f"  # a lone surrogate and DEL: both said
    got = [(p.code, p.path, p.value) for p in validate_document(doc) if p.code.startswith("schema.")]
    assert got == [("schema.control_char", "/project/name", "\\u001b"),  # as main said them before the change
                   ("schema.control_char", "/indicators/0/name", "\\u202e"),
                   ("schema.control_char", f"/indicators/{i}/unit", "\\u0000"),
                   ("schema.control_char", f"/indicators/{i}/basis", "\\u007f"),
                   ("schema.format", f"/indicators/{i}/basis", "\\ud800")], got
    # fill's own check still finds them; validate_document asks limit_problems without it (_control_chars did it)
    cfg, form = Config.load(), FORMS["goal-table"].for_document(doc)
    assert {p.path for p in limit_problems(doc, cfg, form) if p.code == "schema.control_char"} == \
        {"/project/name", "/indicators/0/name", f"/indicators/{i}/unit"}  # (the basis: its lone surrogate)
    assert not [p for p in limit_problems(doc, cfg, form, controls=False) if p.code == "schema.control_char"]


@pytest.mark.parametrize("digits, n", [("1e-05", 1), ("1e+20", 21), ("100", 3), (f"{10 ** 15}", 16),
                                       ("123456789012345.0", 15), ("-0.5", 1), ("0.0", 1), ("1.5e-07", 2)])
def test_significant_digits(digits, n):
    assert _significant(digits) == n


def test_fifteen_digits_and_a_trailing_zero_are_written_and_pass(doc, tmp_path):
    doc["budget"]["total"] = doc["budget"]["current_year"] = 123456789012345.0
    assert not [p for p in validate_document(doc) if p.path.startswith("/budget")]
    back = read(fill(doc, tmp_path / "r.xlsx"), isolated=False)
    assert back.document["budget"]["total"] == 123456789012345


def test_validate_targets_loads_no_workbook_writer(tmp_path):
    """`validate --targets` of a JSON self-evaluation against a workbook goal table: no xlsxwriter (fill's)."""
    se = [p for p in (EXAMPLE_JSON[0].parent.parent / "self-evaluation").glob("*.json")][0]
    goal = next(p for p in EXAMPLE_XLSX if p.stem == se.stem)
    code = ("import sys, json\nfrom xlgoals.cli import main\n"
            "try:\n"
            f"    main(['validate', {str(se)!r}, '--targets', {str(goal)!r}])\n"
            "except SystemExit as e:\n    code = e.code\n"
            "print(json.dumps([code, sorted(m for m in sys.modules if m.startswith('xlsxwriter'))[:3]]))\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [0, []], proc.stderr


@pytest.mark.parametrize("refused", [146407273.005, -5])
def test_a_failing_json_returns_refused_amount_is_summed_blank(doc, tmp_path, refused):
    """consolidate --include-invalid: a JSON return's amount no cell holds counts as blank (as a workbook's refused
    cell), in the totals, the summary JSON and 项目清单; its other amounts are counted."""
    doc["budget"]["total"] = refused
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "r.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (inbox / "ok.json").write_text(EXAMPLE_JSON[0].read_text(encoding="utf-8"), encoding="utf-8")
    ok = load(EXAMPLE_JSON[0])["budget"]
    result = consolidate([inbox], tmp_path / "s.xlsx", jobs=1, include_invalid=True, json_path=tmp_path / "s.json")
    assert (result.totals["total"], result.totals["invalid_included"]) == (Decimal(str(ok["total"])), 1)
    this_year = Decimal(str(ok["current_year"])) + Decimal(str(doc["budget"]["current_year"]))
    assert result.totals["current_year"] == this_year
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert summary["summary"]["totals"]["项目总预算（元）"] == ok["total"]
    projects = summary["projects"]
    (listed,) = [r for r in projects["rows"] if r[projects["columns"].index("来源文件")] == "r.json"]
    assert listed[projects["columns"].index("项目总预算（元）")] is None
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)["项目清单"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(r for r in rows if r and "项目总预算（元）" in r)
    col, cur, src = head.index("项目总预算（元）"), head.index("项目当年预算（元）"), head.index("来源文件")
    (bad,) = [r for r in rows if r[src] == "r.json"]
    assert bad[col] is None and bad[cur] == doc["budget"]["current_year"]
    # the document given is not changed: validate still says the amount as written
    said = [p.value for p in validate_document(load(inbox / "r.json")) if p.path == "/budget/total"]
    assert said in ([refused], ["146407273.005"])
