"""mendEW: the bureau's season, which file is meant (mender M5).

1. ``--targets`` (and ``--previous``) given a goal table and its annotated copy the department corrected and sent back
   (the bureau's folder holds both): the corrected copy is the goal table, the file it marks passed over and said
   (``skipped.superseded``; validate's ``targets.superseded``, ``review.previous_superseded``).  It was the first
   listed for ``template`` (the uncorrected original, the copy reported as a second goal table of the project), two
   competing approvals for ``validate``, and the last path for ``--previous``.
2. consolidate writing a summary of one form over another form's (the self-evaluations' 汇总.xlsx over the goal
   tables', ``-o`` or ``--json``) replaced it silently: refused unless --force (exit 2, nothing written); the same
   form's summary is refreshed as before.
3. A name beginning with ``'`` in consolidate's --csv tables (``'001`` typed into the form's text cell, which Excel and
   LibreOffice keep with its apostrophe; ``'=x``) came back from ``xlgoals.csv_text`` without it (``001``, ``=x``),
   unlike the JSON: such a text gets one more ``'``, so that the README's way gives every cell as the JSON does
   (``001`` typed so, or with Excel's quote prefix, is still written and read ``001``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLE_XLSX, cli

SRC = EXAMPLE_XLSX[0]  # a goal table that passes with review notices (绩效指标!F21 目标值“良好”, vague)


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> Path:
    """``退回/<stem>_问题标注.xlsx`` (validate --review --annotate of the goal table), corrected by the department in
    openpyxl: 绩效指标!F21 “良好” (定性) made ``≥ 90 %``."""
    root = tmp_path_factory.mktemp("mendEW")
    r = cli("validate", SRC, "--review", "--annotate", root / "退回")
    assert r.exit_code == 0, r.output
    copy = root / "退回" / f"{SRC.stem}_问题标注.xlsx"
    wb = openpyxl.load_workbook(copy)
    assert wb["绩效指标"]["F21"].value == "良好"
    ws = wb["绩效指标"]
    ws["E21"], ws["F21"], ws["G21"] = "≥", 90, "%"
    wb.save(copy)
    return copy


def _approvals(root: Path, corrected: Path, copy_name: str) -> Path:
    folder = root / "批复"
    folder.mkdir()
    shutil.copy(SRC, folder / SRC.name)
    shutil.copy(corrected, folder / copy_name)
    return folder


def test_targets_use_the_corrected_copy_not_the_goal_table_it_marks(corrected, tmp_path):
    folder = _approvals(tmp_path, corrected, "修改后_01.xlsx")  # listed after the original
    r = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "自评")
    assert r.exit_code == 0, r.output
    (made,) = sorted((tmp_path / "自评").glob("*.xlsx"))
    assert f"（来自 {folder / '修改后_01.xlsx'}）" in r.output
    assert (f"未使用：{folder / SRC.name}（单位修改后重新报送的问题标注副本 {folder / '修改后_01.xlsx'} 标注的正是本文件，"
            "已改用该副本）") in r.output, r.output
    ws = openpyxl.load_workbook(made)["指标自评"]
    row = next(r for r in ws.iter_rows(values_only=True) if r[0] == 18)  # the 18th indicator (绩效指标 row 21)
    assert row[5:8] == ("≥", 90, "%"), row
    # validate --targets of the form made: held to the corrected copy alone, no competing approval; the original said
    report = xlgoals.validate([made], targets=[folder])
    codes = [p.code for p in report.files[0].problems]
    assert not [c for c in codes if c.startswith("self.target")], codes  # (competing, changed, other_version…)
    (said,) = report.target_problems
    assert (said.code, said.severity, said.file) == ("targets.superseded", "notice", str(folder / SRC.name))
    assert str(folder / "修改后_01.xlsx") in said.message and "corrected and sent back" in said.message_en


def test_previous_uses_the_corrected_copy_not_the_return_it_marks(corrected, tmp_path):
    from xlgoals._config import Config
    from xlgoals._review._previous import load_previous

    folder = _approvals(tmp_path, corrected, "00_修改后.xlsx")  # listed before the original (was: the last path won)
    index = load_previous([folder], Config.load(), jobs=1)
    doc = xlgoals.read(SRC).document
    doc["year"] += 1
    assert index.source_of(doc) == str(folder / "00_修改后.xlsx")
    (said,) = index.problems
    assert (said.code, said.file) == ("review.previous_superseded", str(folder / SRC.name))
    assert str(folder / "00_修改后.xlsx") in said.message


# 2. A summary of another form at consolidate's output path is not replaced without --force

def test_a_summary_of_another_form_is_not_replaced_without_force(tmp_path):
    from xlgoals._consolidate import summary_form

    from .conftest import EXAMPLES

    out, doc = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    selfevals = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))
    r = cli("consolidate", *EXAMPLE_XLSX, "-o", out, "--json", doc, "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert (summary_form(out), summary_form(doc)) == ("goal-table", "goal-table")
    before = out.read_bytes(), doc.read_bytes()
    r = cli("consolidate", *selfevals, "-o", out, "--jobs", "1")
    assert r.exit_code == 2, r.output
    assert (f"输出文件 {out} 是 xlgoals 写入的财政项目支出绩效目标表汇总，而本次汇总的是项目支出绩效自评表；为免用另一种表单的汇总"
            "覆盖它，已停止，未写入任何文件。确认要覆盖请加 --force") in r.stderr, r.output
    r = cli("consolidate", *selfevals, "-o", tmp_path / "自评汇总.xlsx", "--json", doc, "--jobs", "1")  # the JSON too
    assert r.exit_code == 2 and f"输出文件 {doc} 是 xlgoals 写入的财政项目支出绩效目标表汇总" in r.stderr, r.output
    assert (out.read_bytes(), doc.read_bytes()) == before and not (tmp_path / "自评汇总.xlsx").exists()
    r = cli("consolidate", *selfevals, "-o", out, "--json", doc, "--jobs", "1", "--force")
    assert r.exit_code == 0, r.output
    assert (summary_form(out), summary_form(doc)) == ("self-evaluation", "self-evaluation")
    r = cli("consolidate", *selfevals, "-o", out, "--json", doc, "--jobs", "1")  # the same form's, refreshed
    assert r.exit_code == 0, r.output


# 3. A text beginning with ' in consolidate's CSV: xlgoals.csv_text gives it back as the JSON does

def test_csv_text_gives_each_name_back_as_the_json_gives_it(tmp_path):
    import json

    import pandas as pd

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    names = {  # (unit, project) as the cells hold them
        EXAMPLE_XLSX[1]: ("001", "=1+1项目"),  # '001 typed into a General cell (Excel keeps the text 001) ...
        EXAMPLE_XLSX[2]: ("'001", "'=x项目"),  # ... and into the form's text cell (Excel, LibreOffice keep the ')
        EXAMPLE_XLSX[3]: ("'甲单位", "'5/21项目"),  # a text really beginning with '
    }
    for src, (unit, project) in names.items():
        wb = openpyxl.load_workbook(src)
        ws = wb["项目信息"]
        ws["B3"], ws["B4"] = unit, project
        ws["B4"].data_type = "s"  # text, as typed into the form's text cell (not a formula)
        if unit == "001":
            ws["B3"].quotePrefix = True
        wb.save(inbox / src.name)
    r = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--csv", tmp_path / "表", "--json", tmp_path / "汇总.json",
            "--include-invalid", "--jobs", "1")
    assert r.exit_code == 0, r.output
    js = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))["projects"]
    by_json = sorted(tuple(row[js["columns"].index(c)] for c in ("申报单位", "项目名称")) for row in js["rows"])
    assert by_json == sorted(names.values())
    # the README's way: read as text, csv_text on every cell
    df = pd.read_csv(tmp_path / "表" / "项目清单.csv", dtype=str, keep_default_na=False,
                     encoding="utf-8-sig").map(xlgoals.csv_text)
    assert sorted(zip(df["申报单位"], df["项目名称"])) == by_json
    raw = pd.read_csv(tmp_path / "表" / "项目清单.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert "001" in set(raw["申报单位"])  # a code as typed, no apostrophe added
