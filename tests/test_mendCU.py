"""Red team 27t, mended by mendCU: the goal table's digest consolidate and frames give (绩效目标表摘要（SHA-256）,
targets_sha256) is the one its self-evaluation is stamped with; code columns hold only the form's codes."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals._consolidate import consolidate
from xlgoals._selfeval._targets import self_evaluation_templates

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
TARGETS = "绩效目标表摘要（SHA-256）"


def _run(inbox: Path, out: Path, **kw) -> dict:
    consolidate([inbox], out.with_suffix(".xlsx"), json_path=out.with_suffix(".json"), jobs=1, **kw)
    return json.loads(out.with_suffix(".json").read_text("utf-8"), parse_float=Decimal)


def _rows(j: dict, key: str) -> list[dict]:
    return [dict(zip(j[key]["columns"], r)) for r in j[key]["rows"]]


def _stamped(goal: Path, out: Path) -> str:
    """The targets_sha256 `template --form self-evaluation --targets` stamps on the self-evaluation of `goal`."""
    result = self_evaluation_templates([goal], out)
    assert not result.errors, result.errors
    (made,) = sorted(out.glob("*.xlsx"))
    return xlgoals.read(made).document["targets_sha256"]


def _digests(inbox: Path, out: Path) -> set:
    j = _run(inbox, out)
    got = {r[TARGETS] for r in _rows(j, "projects")} | {r[TARGETS] for r in _rows(j, "indicators")}
    return got | set(xlgoals.frames([inbox], jobs=1).projects["targets_sha256"])


def _spaces(d):
    d["project"]["name"] = " " + d["project"]["name"] + "　"


def _unit(d):
    d["unit"] += " "


def _indicator(d):
    d["indicators"][0]["name"] += " "


def _year(d):
    d["year"] = float(d["year"])


# 1. a goal table as JSON, as given with stray spaces or 2020.0: the digest its self-evaluation is stamped with ------
@pytest.mark.parametrize("mutate", [_spaces, _unit, _indicator, _year])
def test_json_goal_table_digest_is_the_stamped_one(tmp_path, mutate):
    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text("utf-8"))
    mutate(doc)
    inbox = tmp_path / "g"
    inbox.mkdir()
    goal = inbox / "goal.json"
    goal.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    stamped = _stamped(goal, tmp_path / "se")
    assert _digests(inbox, tmp_path / "c") == {stamped}
    # the workbook and the clean JSON of that goal table: the same digest
    (tmp_path / "wb").mkdir()
    shutil.copy(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "wb")
    assert _digests(tmp_path / "wb", tmp_path / "cw") == {stamped}


# 2. a goal table with a refused amount (6280万元): the digest of the document as read, the typed text kept ----------
def test_refused_amount_digest_is_of_the_document_as_read(tmp_path):
    from .conftest import cli

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    sheet, cell = xlgoals.read(src).sources["/budget/prior_year_budget"].split("!")
    for sub in ("w", "j", "clean"):
        (tmp_path / sub).mkdir()
    shutil.copy(src, tmp_path / "clean")
    wb = openpyxl.load_workbook(src)
    assert wb[sheet][cell].value is None  # blank in the clean goal table
    wb[sheet][cell].value = "6280万元"
    wb.save(tmp_path / "w" / "g.xlsx")
    r = cli("read", tmp_path / "w" / "g.xlsx", "-o", tmp_path / "j" / "g.json")
    assert json.loads((tmp_path / "j" / "g.json").read_text("utf-8"))["budget"]["prior_year_budget"] == "6280万元", r.output
    got = {}
    for sub in ("w", "j", "clean"):
        j = _run(tmp_path / sub, tmp_path / f"c_{sub}", include_invalid=True)
        (row,) = _rows(j, "projects")
        assert row["校验状态"] == ("通过" if sub == "clean" else "未通过")
        digests = {row[TARGETS]} | {r[TARGETS] for r in _rows(j, "indicators")}
        digests |= set(xlgoals.frames([tmp_path / sub], jobs=1).projects["targets_sha256"])
        (got[sub],) = digests
    assert got["w"] == got["j"]  # one return, one digest: its workbook and its read JSON
    assert got["w"] != got["clean"]  # not the digest of the goal table whose cell is blank


# 3. a typed text that is no code of the form (确定, 可以完成, 约等于): blank in the code column, missing in frames -----
def _typed_into(src: Path, out: Path, typed: dict) -> None:
    """`src` with the cells of `typed` (JSON pointer -> text) typed over, saved as `out`."""
    sources = xlgoals.read(src).sources
    wb = openpyxl.load_workbook(src)
    for ptr, text in typed.items():
        sheet, cell = sources[ptr].split("!")
        wb[sheet][cell].value = text
    out.parent.mkdir(exist_ok=True)
    wb.save(out)


def test_code_columns_hold_only_the_form_s_codes(tmp_path):
    import pandas as pd

    likely = {0: "确定", 1: "可以完成", 2: "有可能"}
    _typed_into(EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx", tmp_path / "m" / "x.xlsx",
                {f"/indicators/{i}/likelihood": s for i, s in likely.items()}
                | {"/indicators/3/deviation_category": "人手不够"})
    j = _run(tmp_path / "m", tmp_path / "cm", include_invalid=True)
    rows = _rows(j, "indicators")
    assert [(r["完成目标可能性"], r["完成目标可能性代码"]) for r in rows[:3]] == [
        ("确定", None), ("可以完成", None), ("有可能", "possible")]  # the label as typed; a code only where it is one
    assert rows[3]["偏差原因类别"] == "人手不够" and rows[3]["偏差原因类别代码"] is None
    f = xlgoals.frames([tmp_path / "m"], jobs=1)
    likelihood = f.indicators["likelihood"]
    assert list(likelihood.cat.categories) == ["certain", "possible", "impossible"]
    assert likelihood.iloc[:3].isna().tolist() == [True, True, False] and likelihood.iloc[2] == "possible"
    assert pd.isna(f.indicators["deviation_category"].iloc[3])
    assert "人手不够" not in list(f.indicators["deviation_category"].cat.categories)
    # another night's likelihood concatenates as a category
    g = xlgoals.frames([EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx"], jobs=1)
    assert isinstance(pd.concat([f.indicators, g.indicators])["likelihood"].dtype, pd.CategoricalDtype)

    doc = xlgoals.read(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx").document
    quant = [i for i, ind in enumerate(doc["indicators"]) if "value" in ind]
    _typed_into(EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", tmp_path / "g" / "x.xlsx",
                {f"/indicators/{quant[0]}/comparator": "约等于", f"/indicators/{quant[1]}/comparator": "不低于"})
    rows = _rows(_run(tmp_path / "g", tmp_path / "cg", include_invalid=True), "indicators")
    assert (rows[quant[0]]["比较符"], rows[quant[0]]["比较符代码"]) == ("约等于", None)
    assert (rows[quant[1]]["比较符"], rows[quant[1]]["比较符代码"]) == ("≥", ">=")
    comparator = xlgoals.frames([tmp_path / "g"], jobs=1).indicators["comparator"]
    assert pd.isna(comparator.iloc[quant[0]]) and comparator.iloc[quant[1]] == ">="
    assert list(comparator.cat.categories) == ["=", ">=", ">", "<=", "<", "qualitative"]
