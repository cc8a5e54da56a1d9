"""Red team 27q (analyst outputs), mended by mendCP: consolidate's CSV/JSON and frames carry what an analyst
joins and filters by (the unit a return is counted under, the recomputed scores, 指标编号 and the goal table's digest,
exact 元 amounts on indicator rows, the codes beside the labels)."""

from __future__ import annotations

import copy
import csv
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import xlgoals
from xlgoals._consolidate import consolidate

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(inbox: Path, out: Path, **kw):
    """consolidate `inbox` to out.xlsx, out/ (CSV) and out.json; the JSON (Decimals) and the CSV dir."""
    consolidate([inbox], out.with_suffix(".xlsx"), csv_dir=out, json_path=out.with_suffix(".json"), jobs=1, **kw)
    return json.loads(out.with_suffix(".json").read_text("utf-8"), parse_float=Decimal), out


def _rows(j: dict, key: str) -> list[dict]:
    return [dict(zip(j[key]["columns"], r)) for r in j[key]["rows"]]


def _csv(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# 1. one unit spelt two ways: its projects name the 汇总 unit they are counted under -------------------------------
@pytest.fixture(scope="module")
def two_spellings(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("spelt")
    inbox = tmp / "in"
    inbox.mkdir()
    d = json.loads((EXAMPLES / "json" / "05_促进就业专项业务费.json").read_text("utf-8"))
    for fn, unit, name in [("a.json", "上海市就业促进中心(浦东)", "项目A"), ("b.json", "上海市就业促进中心（浦东）", "项目B")]:
        d["unit"], d["project"]["name"] = unit, name
        (inbox / fn).write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    return inbox, _run(inbox, tmp / "out")


def test_projects_name_the_summary_unit(two_spellings):
    inbox, (j, out) = two_spellings
    summary = [r["申报单位"] for r in _csv(out, "汇总")]
    assert len(summary) == 1
    for rows in (_csv(out, "项目清单"), _rows(j, "projects")):
        assert sorted(r["申报单位"] for r in rows) == ["上海市就业促进中心(浦东)", "上海市就业促进中心（浦东）"]
        assert [r["汇总单位"] for r in rows] == summary * 2
    f = xlgoals.frames([inbox], jobs=1)
    assert f.projects["summary_unit"].tolist() == summary * 2
    assert f.projects.groupby("summary_unit", observed=True).size().tolist() == [2]
    assert set(f.indicators["summary_unit"]) == set(summary)
    assert set(f.indicators["reporting_unit"]) == {"上海市就业促进中心(浦东)", "上海市就业促进中心（浦东）"}


# 2. frames gives a self-evaluation's recomputed scores, the figures 项目得分 and 指标完成 show -----------------------------
def test_frames_recomputed_scores_are_the_summary_s(tmp_path):
    src = EXAMPLES / "received-self-evaluation"
    j, _ = _run(src, tmp_path / "s", include_invalid=True)
    f = xlgoals.frames([src], jobs=1)
    p = _rows(j, "projects")[0]
    row = f.projects.iloc[0]
    assert p["总分"] != p["填报总分"]  # the typed scores do not give the summary's total here
    assert Decimal(str(row["recomputed_total"])) == p["总分"]
    assert Decimal(str(row["recomputed_funds_score"])) == p["资金得分"]
    assert row["recomputed_grade"] == p["等级"]
    assert "优" in f.projects["recomputed_grade"].cat.categories
    shown = {r["指标编号"]: r["重算得分"] for r in _rows(j, "indicators")}
    mine = dict(zip(f.indicators["id"], f.indicators["recomputed_score"]))
    assert {k: Decimal(str(v)) for k, v in mine.items()} == shown
    assert any(r["得分"] != r["重算得分"] for r in _rows(j, "indicators"))
    assert str(f.indicators["recomputed_score"].dtype) == "Float64"


def test_frames_recomputed_columns_on_an_empty_night_of_self_evaluations(tmp_path):
    """A night whose one self-evaluation cannot be scored still has the columns, typed as on a full night."""
    d = json.loads((EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.json").read_text("utf-8"))
    d["indicators"] = []
    (tmp_path / "a.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    f = xlgoals.frames([tmp_path], jobs=1)
    for name in ("recomputed_funds_score", "recomputed_total", "recomputed_grade"):
        assert name in f.projects.columns
    assert "recomputed_score" in f.indicators.columns
    assert str(f.projects["recomputed_total"].dtype) == "Float64"


# 3. 指标编号 in the goal table's 绩效指标, and the goal table's digest in every form's tables: the join frames documents --
TARGETS = "绩效目标表摘要（SHA-256）"


@pytest.fixture(scope="module")
def three_forms(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("forms")
    return {form: _run(EXAMPLES / form, tmp / form) for form in ("returns", "self-evaluation", "monitoring")}


def test_reports_join_their_goal_rows_on_digest_and_id_from_csv_and_json(three_forms):
    goal_j, goal_out = three_forms["returns"]
    goal_rows = _rows(goal_j, "indicators")
    assert all(r["指标编号"] and r[TARGETS] for r in goal_rows)
    projects = {r["SHA-256"]: r[TARGETS] for r in _rows(goal_j, "projects")}
    assert all(projects[r["SHA-256"]] == r[TARGETS] for r in goal_rows)  # the project's digest on each of its rows
    assert [r["指标编号"] for r in _csv(goal_out, "绩效指标")] == [r["指标编号"] for r in goal_rows]
    targets = {(r[TARGETS], r["指标编号"]): r["三级指标"] for r in goal_rows}
    for form, sheet, key in (("self-evaluation", "指标完成", "projects"), ("monitoring", "指标监控", "projects")):
        j, out = three_forms[form]
        rows = _rows(j, "indicators")
        assert rows and all(targets[(r[TARGETS], r["指标编号"])] == r["三级指标"] for r in rows), form
        assert {r[TARGETS] for r in _rows(j, key)} == {r[TARGETS] for r in rows}
        assert [r[TARGETS] for r in _csv(out, sheet)] == [r[TARGETS] for r in rows]
    # the frames' digest is the same one
    f = xlgoals.frames([EXAMPLES / "returns"], jobs=1)
    assert set(f.projects["targets_sha256"]) == set(projects.values())


def test_the_new_columns_are_off_the_printed_page(three_forms):
    """汇总单位, the digest and 指标编号 (goal table) are in the workbook after its printed columns."""
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    seen = set()
    for form, (j, out) in three_forms.items():
        wb = load_workbook(out.with_suffix(".xlsx"), read_only=False)
        for ws in wb.worksheets:
            if not ws.print_area:
                continue
            last = ws.print_area.split(":")[-1].lstrip("$").split("$")[0]
            printed = column_index_from_string(last)
            header = next((r for r in ws.iter_rows(max_row=8, values_only=True) if "SHA-256" in r or "序号" in r), None)
            if header is None:  # (汇总图: the chart's sheet, no table)
                assert ws.title == "汇总图", (form, ws.title)
                continue
            for title in ("汇总单位", TARGETS, "比较符代码"):
                if title in header:
                    assert header.index(title) + 1 > printed, (form, ws.title, title)
                    seen.add((form, ws.title, title))
    assert {("returns", "项目清单", "汇总单位"), ("returns", "绩效指标", TARGETS), ("self-evaluation", "项目得分", TARGETS),
            ("monitoring", "指标监控", TARGETS), ("monitoring", "项目进度", "汇总单位")} <= seen


def test_the_summaries_with_the_new_columns_pass_openxml_audit(three_forms, two_spellings):
    from .helpers import ooxml_errors

    for _, out in [*three_forms.values(), two_spellings[1]]:
        assert ooxml_errors(out.with_suffix(".xlsx")) == []


# 4. 元 amounts on indicator rows are exact in frames, as budgets are ----------------------------------------------------
def test_frames_indicator_figures_are_exact_decimals(tmp_path):
    base = json.loads((EXAMPLES / "national-2021" / "自评表.json").read_text("utf-8"))
    for i, actual in enumerate([540.1, 530.2]):
        d = copy.deepcopy(base)
        d["project"]["name"] = f"培训项目{i}"
        d["indicators"][0]["actual"] = actual  # 人均培训成本, ≤600 元
        (tmp_path / f"{i}.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    f = xlgoals.frames([tmp_path], jobs=1)
    cost = f.indicators[f.indicators["unit"] == "元"]
    assert len(cost) == 2
    assert sum(cost["actual"]) == Decimal("1070.3")
    assert all(type(v) is Decimal for v in cost["value"]) and cost["value"].dtype == object
    assert list(cost["value"]) == [Decimal(600)] * 2
    numbers = [v for v in f.indicators["actual"] if v is not None and not isinstance(v, str)]
    assert len(numbers) > 2 and all(type(v) is Decimal for v in numbers)  # every number of the column, not 元 only


def test_frames_monitoring_progress_and_expected_are_exact_or_text():
    f = xlgoals.frames([EXAMPLES / "monitoring"], jobs=1)
    for name in ("progress", "expected", "value"):
        kinds = {type(v) for v in f.indicators[name] if v is not None}
        assert kinds and kinds <= {Decimal, str}, (name, kinds)
        assert Decimal in kinds
    assert str in {type(v) for v in f.indicators["progress"]}  # a qualitative row's progress in words
    assert f.indicators["value"].isna().any()  # a qualitative row has no number: missing, not NaN text


# 5. the codes documents and frames use, beside the labels, in consolidate's CSV and JSON --------------------------------
def test_code_columns_beside_the_labels(three_forms):
    from xlgoals._selfeval._targets import indicator_id

    checked = {}
    for form, codes in (("returns", {"比较符代码": "comparator"}),
                        ("self-evaluation", {"比较符代码": "comparator"}),
                        ("monitoring", {"比较符代码": "comparator", "偏差原因类别代码": "deviation_category",
                                        "完成目标可能性代码": "likelihood"})):
        j, out = three_forms[form]
        folder = EXAMPLES / form
        docs = [xlgoals.read(p).document for p in sorted(folder.glob("*.xlsx"))]
        by_row = {(d["project"]["name"], indicator_id(ind, i)): ind
                  for d in docs for i, ind in enumerate(d["indicators"])}
        csv_rows = _csv(out, {"returns": "绩效指标", "self-evaluation": "指标完成", "monitoring": "指标监控"}[form])
        for row, csv_row in zip(_rows(j, "indicators"), csv_rows, strict=True):
            ind = by_row[(row["项目名称"], row["指标编号"])]
            for title, key in codes.items():
                assert row[title] == ind.get(key), (form, title, row)
                # (the CSV marks `=`, as every text a spreadsheet would run as a formula, with a `'`: csv_text)
                assert xlgoals.csv_text(csv_row[title]) == (ind.get(key) or "")
                checked.setdefault((form, title), set()).add(row[title])
    assert {"=", ">=", "qualitative"} <= checked[("returns", "比较符代码")]
    assert "certain" in checked[("monitoring", "完成目标可能性代码")]
    # and the label beside it is the form's display of that code
    j, _ = three_forms["monitoring"]
    pairs = {(r["完成目标可能性"], r["完成目标可能性代码"]) for r in _rows(j, "indicators")}
    assert ("确定能", "certain") in pairs and all((a is None) == (b is None) for a, b in pairs)
    j, _ = three_forms["returns"]
    assert {(r["比较符"], r["比较符代码"]) for r in _rows(j, "indicators")} >= {("＝", "="), ("≥", ">="), ("定性", "qualitative")}


def test_frames_summary_unit_is_one_across_forms(tmp_path):
    """Goal tables and monitoring reports of one unit, spelt two ways each: the returns of both forms are one unit
    under one spelling, the one most of them use (here a tie: the first in code-point order), and one key (mendEE:
    it was per form, as consolidate summarises, so a join across the forms' summary_unit found no common unit)."""
    goal = json.loads((EXAMPLES / "json" / "05_促进就业专项业务费.json").read_text("utf-8"))
    mon = json.loads((EXAMPLES / "monitoring" / "05_促进就业专项业务费.json").read_text("utf-8"))
    for d, prefix, spellings in ((goal, "g", ["ABC中心", "ABC中心", "abc中心"]), (mon, "m", ["abc中心", "abc中心", "ABC中心"])):
        for i, unit in enumerate(spellings):
            d["unit"], d["project"]["name"] = unit, f"项目{i}"
            (tmp_path / f"{prefix}{i}.json").write_text(json.dumps(d, ensure_ascii=False), "utf-8")
    f = xlgoals.frames([tmp_path], jobs=1)
    shown = dict(zip(f.projects["path"].map(lambda p: Path(p).name[0]), f.projects["summary_unit"]))
    assert shown == {"g": "ABC中心", "m": "ABC中心"}
    assert set(f.projects["unit_key"]) == {"abc中心"}
