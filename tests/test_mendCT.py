"""mendCT: loose ends of the day's merges (import order, risk/score code columns, skipped folders' codes, stamp round trip)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "xlgoals").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":  # runs the program when imported
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


@pytest.mark.parametrize("half", [0, 1])
def test_every_module_imports_first_in_a_fresh_process(half):
    """Each module of the package imported as the very first import of a fresh interpreter (a circular import
    between _consolidate and the self-evaluation's/monitoring's summaries broke `import xlgoals._selfeval._summary`).
    Every other module a test (modules[half::2]: each module imported once, by one of the two), so that xdist's two
    workers share the interpreters started (one of the suite's longest tests)."""
    modules = _modules()
    assert "xlgoals._selfeval._summary" in modules and "xlgoals._monitor._summary" in modules
    modules = modules[half::2]
    assert modules
    script = ("import subprocess, sys\n"
              "bad = []\n"
              "for m in sys.argv[1:]:\n"
              "    r = subprocess.run([sys.executable, '-c', 'import ' + m], capture_output=True, text=True)\n"
              "    if r.returncode:\n"
              "        bad.append(m + ': ' + (r.stderr.strip().splitlines() or ['?'])[-1])\n"
              "print('\\n'.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", script, *modules], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("first", ["xlgoals._selfeval._summary", "xlgoals._monitor._summary", "xlgoals._consolidate"])
def test_summaries_registered_in_forms_order_whichever_module_comes_first(first):
    code = (f"import {first}\n"
            "from xlgoals._consolidate._tables import SUMMARIES\n"
            "from xlgoals._form import FORMS\n"
            "print(list(SUMMARIES))\n"
            "print([f for f in FORMS if f in SUMMARIES])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    got, order = out.stdout.splitlines()
    assert got == order
    assert set(eval(got)) == {"goal-table", "self-evaluation", "monitoring"}


def test_a_file_not_used_from_a_folder_of_inputs_has_its_catalog_code(tmp_path):
    """--targets/--previous folders: a file of another kind is skipped.not_source (was a plain pair: file.not_checked),
    its texts the catalog's with the kinds as detail."""
    from xlgoals import RuleTable
    from xlgoals._paths import SOURCE_SUFFIXES, documents, reason_code

    (tmp_path / "说明.txt").write_text("批复说明", encoding="utf-8")
    skipped: dict = {}
    assert documents([tmp_path], SOURCE_SUFFIXES, skipped) == []
    (why,) = skipped.values()
    assert reason_code(why) == "skipped.not_source"
    kinds = " .xlsx/.xlsm/.xls/.ods/.et/.json "
    assert tuple(why) == ("不是 .xlsx/.xlsm/.xls/.ods/.et/.json 文件", "not a .xlsx/.xlsm/.xls/.ods/.et/.json file")
    table = RuleTable.default()
    assert table.rules["skipped.not_source"].severity == "notice"
    p = table.problem("skipped.not_source", detail=kinds, detail_en=kinds)
    assert (p.message, p.message_en) == tuple(why)


# 2. 风险清单's and 项目得分's coded choices as codes too, off the printed page -----------------------------------------------
def _summarise(inbox: Path, out: Path):
    import json
    from decimal import Decimal

    from xlgoals._consolidate import consolidate

    consolidate([inbox], out.with_suffix(".xlsx"), csv_dir=out, json_path=out.with_suffix(".json"), jobs=1)
    j = json.loads(out.with_suffix(".json").read_text("utf-8"), parse_float=Decimal)
    return {k: [dict(zip(t["columns"], r)) for r in t["rows"]] for k, t in j.items()
            if isinstance(t, dict) and "columns" in t}


def _off_paper(xlsx: Path, sheet: str, titles: tuple[str, ...]) -> None:
    from openpyxl import load_workbook
    from openpyxl.utils import column_index_from_string

    from .helpers import ooxml_errors

    ws = load_workbook(xlsx)[sheet]
    printed = column_index_from_string(ws.print_area.split(":")[-1].lstrip("$").split("$")[0])
    header = next(r for r in ws.iter_rows(max_row=8, values_only=True) if "SHA-256" in r)
    for title in titles:
        assert title in header and header.index(title) + 1 > printed, (sheet, title, header)
    assert ooxml_errors(xlsx) == []


def test_risk_list_gives_likelihood_and_deviation_category_codes(tmp_path):
    from xlgoals._form import FORMS, KINDS

    tables = _summarise(ROOT / "examples" / "monitoring", tmp_path / "m")
    risks = tables["risks"]
    form = FORMS["monitoring"]
    pairs = set()
    for key, title in (("likelihood", "完成目标可能性"), ("deviation_category", "偏差原因类别")):
        cell = KINDS[form.table.find(key).kind].cell
        for r in risks:
            label, code = r[title], r[title + "代码"]
            assert (label is None) == (code is None), r
            if code is not None:
                assert cell(code)[1] == label, (code, label)
                pairs.add((key, code))
    assert {k for k, _ in pairs} == {"likelihood", "deviation_category"}, pairs
    # and the indicator's own row in 指标监控 gives the same codes
    by_id = {(r["项目名称"], r["指标编号"]): r for r in tables["indicators"]}
    for r in risks:
        if r["指标编号"] is not None:
            ind = by_id[(r["项目名称"], r["指标编号"])]
            assert (r["完成目标可能性代码"], r["偏差原因类别代码"]) == (ind["完成目标可能性代码"], ind["偏差原因类别代码"])
    _off_paper(tmp_path / "m.xlsx", "风险清单", ("完成目标可能性代码", "偏差原因类别代码"))


def test_project_scores_give_the_grades_codes(tmp_path):
    tables = _summarise(ROOT / "examples" / "self-evaluation", tmp_path / "s")
    codes = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}
    seen = set()
    for r in tables["projects"]:
        for title in ("等级", "填报等级"):
            assert r[title + "代码"] == codes.get(r[title]), (title, r)
            seen.add(r[title + "代码"])
    assert seen - {None}, seen
    _off_paper(tmp_path / "s.xlsx", "项目得分", ("等级代码", "填报等级代码"))


# 4. the stamp's rules=/fw= travel through read and fill (a department's round trip) ------------------------------------
def _stamp(path) -> str:
    import openpyxl

    return next(c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


def _bureau_rules(tmp_path) -> Path:
    import csv

    rows = list(csv.reader(open(ROOT / "schema" / "rules.csv", encoding="utf-8")))
    path = tmp_path / "本局规则.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        w.writerows([r[:3] + ['{"min_rate": 0.85}'] + r[4:] for r in rows[1:] if r[0] == "self.execution_unexplained"])
    return path


def _round_trip(tmp_path, made: Path, name: str = "一") -> tuple[dict, Path]:
    import json

    from .conftest import cli

    (tmp_path / name).mkdir()
    doc_path, refilled = tmp_path / name / "读出.json", tmp_path / name / "重填.xlsx"
    res = cli("read", made, "-o", doc_path)
    assert res.exit_code in (0, 1), res.output
    doc = json.loads(doc_path.read_text(encoding="utf-8"))
    res = cli("fill", doc_path, "-o", refilled)  # the department's side: the packaged rules
    assert res.exit_code == 0, res.output
    return doc, refilled


@pytest.mark.parametrize("form", ["goal-table", "self-evaluation"])
def test_read_keeps_the_stamps_rules_digest_and_fill_writes_it_back(tmp_path, form):
    import shutil

    from xlgoals._check._schema import schema_problems
    from xlgoals._form import FORMS

    from .conftest import cli

    rules = _bureau_rules(tmp_path)
    made = tmp_path / "模板" / "t.xlsx"
    if form == "goal-table":
        made.parent.mkdir()
        res = cli("template", "--framework", "national-2021", "--year", "2021", "-o", made, "--rules", rules)
    else:
        targets = tmp_path / "批复"
        targets.mkdir()
        shutil.copy(ROOT / "examples" / "national-2021" / "目标表.xlsx", targets)
        res = cli("template", "--form", "self-evaluation", "--targets", targets, "--out-dir", made.parent,
                  "--rules", rules)
        made = next(made.parent.glob("*.xlsx"))
    assert res.exit_code == 0, res.output
    stamp = _stamp(made)
    assert "|rules=" in stamp
    doc, refilled = _round_trip(tmp_path, made)
    assert doc["made_with"] == {"rules": stamp.split("|rules=")[1].split("|")[0]}
    assert schema_problems(doc, form=FORMS[form]) == []
    # the department's fill (the packaged rules, _round_trip) stamps the table its guide is written from (mendCW)
    from xlgoals import RuleTable

    # (mendDB: stamped with the packaged table's digest, that guide's, so that validate under the bureau's says so)
    assert f"|rules={RuleTable.default().stamped()}" in _stamp(refilled)
    # filled with the bureau's table, the stamp is written back as it was, and reads back to the same record
    again_path = tmp_path / "二.xlsx"
    assert cli("fill", tmp_path / "一" / "读出.json", "-o", again_path, "--rules", rules).exit_code == 0
    assert _stamp(again_path) == stamp
    again, _ = _round_trip(tmp_path, again_path, "二")
    assert again["made_with"] == doc["made_with"]
    assert "template.other_rules" in cli("validate", again_path, "--format", "csv").stdout


def test_a_document_without_made_with_stays_valid_and_fills_as_before(tmp_path):
    import json

    from xlgoals._check._schema import schema_problems

    from .conftest import cli

    src = ROOT / "examples" / "national-2021" / "目标表.json"
    doc = json.loads(src.read_text(encoding="utf-8"))
    assert "made_with" not in doc and schema_problems(doc) == []
    out = tmp_path / "a.xlsx"
    assert cli("fill", src, "-o", out).exit_code == 0
    assert "rules=" not in _stamp(out) and "fw=" not in _stamp(out)
    # a record of both, as read keeps it, is valid; fill stamps its own run's tables, not another's (mendCW)
    doc["made_with"] = {"rules": "0123456789ab", "fw": "ba9876543210"}
    assert schema_problems(doc) == []
    p = tmp_path / "b.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli("fill", p, "-o", tmp_path / "b.xlsx").exit_code == 0
    # (mendDB: the packaged tables' digests, where the record names a bureau's, so that validate under it says so)
    from xlgoals import FrameworkSet, RuleTable
    from xlgoals._frameworks import content_digest

    stamp = _stamp(tmp_path / "b.xlsx")
    assert f"|rules={RuleTable.default().stamped()}" in stamp
    assert f"|fw={content_digest(FrameworkSet.default().get('national-2021'))}" in stamp
    # a digest that would break the stamp (its separator) is the schema's to refuse
    doc["made_with"] = {"rules": "ab|c"}
    assert schema_problems(doc) != []
