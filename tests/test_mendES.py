"""mendES: the bureau's season (red team 30c).

1. A goal table corrected in its annotated copy and sent back (validate --annotate; the department fixes the
   ``…_问题标注.xlsx``) is taken as the return it is by --targets and --previous, as validate/consolidate take it.
2. The daily ``validate 收件箱 --annotate 退回`` replaces its own earlier copy of an input that is itself an edited
   annotated copy (no _2_, _3_ … piling up), never a copy a department sent back or edited.
3. The README's advice on reading consolidate's --csv tables uses ``xlgoals.csv_text`` (examples double as tests).
4. consolidate's --csv tables copied under another name are recognised by their first lines.
5. ``--targets 汇总.json`` is said to be a summary xlgoals wrote, as --targets 汇总.xlsx is.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLE_XLSX, ROOT, cli

SRC = EXAMPLE_XLSX[0]  # a goal table that passes; 项目信息!B9 (绩效类型) is 其他类
STEM = SRC.stem


@pytest.fixture(scope="module")
def corrected(tmp_path_factory) -> Path:
    """``批复/<name>``: a goal table that failed (绩效类型 left empty), went through validate --annotate 退回, and came
    back as its annotated copy corrected (openpyxl saves it: its content is no longer what xlgoals wrote)."""
    root = tmp_path_factory.mktemp("mendES")
    (root / "批复").mkdir()
    wb = openpyxl.load_workbook(SRC)
    wb["项目信息"]["B9"] = None
    wb.save(root / "批复" / SRC.name)
    r = cli("validate", root / "批复", "--annotate", root / "退回")
    assert r.exit_code == 1, r.output
    wb = openpyxl.load_workbook(root / "退回" / f"{STEM}_问题标注.xlsx")
    wb["项目信息"]["B9"] = "其他类"
    wb.save(root / "批复" / SRC.name)  # the corrected return sent back replaces the first one
    report = xlgoals.validate([root / "批复"])  # as the main scan reads it: a return that passes
    assert [(f.path, f.problems) for f in report.files] == [(str(root / "批复" / SRC.name), [])]
    return root


# 1. --targets and --previous take a corrected annotated copy as the return it is

@pytest.mark.parametrize("named", [False, True], ids=["folder", "file"])
def test_targets_make_the_self_evaluation_of_a_corrected_annotated_copy(corrected, tmp_path, named):
    given = corrected / "批复" / SRC.name if named else corrected / "批复"
    r = cli("template", "--form", "self-evaluation", "--targets", given, "--out-dir", tmp_path / "自评")
    assert r.exit_code == 0, r.output
    assert "未使用" not in r.output and "问题标注副本" not in r.output, r.output
    (made,) = sorted((tmp_path / "自评").glob("*.xlsx"))
    assert xlgoals.read(made).form == "self-evaluation"


def test_previous_finds_last_years_corrected_annotated_copy(corrected, tmp_path):
    wb = openpyxl.load_workbook(SRC)  # next year's return of the project (its year changed by hand: locked_changed)
    wb["项目信息"]["B2"] = 2021
    wb.save(tmp_path / SRC.name)
    report = xlgoals.validate([tmp_path / SRC.name], previous=[corrected / "批复"])
    assert report.previous_problems == []  # (was: 无法使用, 问题标注副本（写出后已被修改）)
    (f,) = report.files
    codes = [p.code for p in f.problems]
    assert "review.no_previous" not in codes and "review.narrative_copied" in codes  # compared with last year's


# 2. The daily annotate run replaces its own earlier copy of an input that is itself an edited annotated copy

def test_the_daily_annotate_run_replaces_its_own_copy_of_a_corrected_copy_that_still_fails(corrected, tmp_path):
    wb = openpyxl.load_workbook(corrected / "退回" / f"{STEM}_问题标注.xlsx")
    wb["项目信息"]["B21"] = "021-99998888"  # the department retyped its phone, left 绩效类型 empty, sent it back
    (tmp_path / "收件箱").mkdir()
    wb.save(tmp_path / "收件箱" / SRC.name)
    back = tmp_path / "退回"
    back.mkdir()
    # a copy the department sent back earlier lies at the copy's name: never written over
    sent_back = back / f"{STEM}_问题标注.xlsx"
    shutil.copy(tmp_path / "收件箱" / SRC.name, sent_back)
    kept = sent_back.read_bytes()
    said = []
    for _ in range(3):  # three days, the same inbox
        r = cli("validate", tmp_path / "收件箱", "--annotate", back)
        assert r.exit_code == 1, r.output
        said.append(r.output)
    assert sorted(p.name for p in back.iterdir()) == [f"{STEM}_2_问题标注.xlsx", f"{STEM}_问题标注.xlsx"]
    assert sent_back.read_bytes() == kept
    assert all(f"已有 {STEM}_问题标注.xlsx" in out for out in said), said[-1]  # (the department's copy, said kept)
    copy = openpyxl.load_workbook(back / f"{STEM}_2_问题标注.xlsx")
    assert copy["项目信息"]["B21"].value == "021-99998888" and "问题清单" in copy.sheetnames


# 3. The README's advice on reading consolidate's --csv tables, run as written

@pytest.fixture(scope="module")
def tables(tmp_path_factory) -> Path:
    """consolidate's --csv tables (and summary, JSON) of SRC (比较符代码 “=” on 6 of its indicators)."""
    out = tmp_path_factory.mktemp("mendES_csv")
    r = cli("consolidate", SRC, "-o", out / "汇总.xlsx", "--csv", out / "csv", "--json", out / "汇总.json",
            "--no-progress")
    assert r.exit_code == 0, r.output
    return out


def test_the_readmes_csv_advice_gives_the_codes_and_amounts_back(tables):
    pd = pytest.importorskip("pandas")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = readme.split("**Reading the tables in other programs.**", 1)[1].split("\n\n", 1)[0]
    (advice,) = re.findall(r"`(pd\.read_csv\(path[^`]*)`", paragraph)
    run = {"pd": pd, "xlgoals": xlgoals}
    indicators = eval(advice, {**run, "path": tables / "csv" / "绩效指标.csv"})  # noqa: S307 - the README's own line
    assert indicators["比较符代码"].value_counts().to_dict() == {"qualitative": 21, "=": 6}
    projects = eval(advice, {**run, "path": tables / "csv" / "项目清单.csv"})  # noqa: S307
    assert [Decimal(v) for v in projects["项目总预算（元）"]] == [Decimal("62800000.00")]


# 4. consolidate's --csv tables, copied under another name, are known by their first lines

def test_a_csv_table_copied_under_another_name_is_xlgoals_own_and_a_departments_export_is_not(tables, tmp_path):
    from xlgoals._paths import SKIP_OURS, SKIP_SAVE_AS

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    copied = inbox / "项目清单 - 副本.csv"
    shutil.copy(tables / "csv" / "项目清单.csv", copied)
    shutil.copy(tables / "csv" / "绩效指标.csv", inbox / "指标.csv")
    # a department's return saved as CSV UTF-8 in Excel (BOM, CRLF), under a table's name and another
    ws = openpyxl.load_workbook(SRC)["项目信息"]
    rows = "\r\n".join(",".join("" if v is None else str(v).replace(",", "，") for v in row)
                       for row in ws.iter_rows(max_row=12, max_col=2, values_only=True))
    for name in ("项目清单.csv", "项目清单 - 导出.csv"):
        (inbox / name).write_bytes(b"\xef\xbb\xbf" + rows.encode() + b"\r\n")
    why = xlgoals.validate([inbox]).skipped_reasons
    assert why == {str(copied): SKIP_OURS, str(inbox / "指标.csv"): SKIP_OURS,
                   str(inbox / "项目清单.csv"): SKIP_SAVE_AS, str(inbox / "项目清单 - 导出.csv"): SKIP_SAVE_AS}


# 5. --targets given consolidate's summary JSON says it is xlgoals's summary, as it says of the summary workbook

def test_targets_given_the_summary_json_say_it_is_xlgoals_summary(tables, tmp_path):
    said = {}
    for name in ("汇总.xlsx", "汇总.json"):
        r = cli("template", "--form", "self-evaluation", "--targets", tables / name,
                "--out-dir", tmp_path / Path(name).suffix[1:])
        said[name] = (r.exit_code, r.output)
    assert said["汇总.xlsx"][0] == said["汇总.json"][0], said
    assert "绩效目标表无法使用（这是 xlgoals 生成的汇总工作簿，不是绩效目标表）" in said["汇总.xlsx"][1]
    assert "绩效目标表无法使用（这是 xlgoals 生成的校验报告或汇总表格，不是绩效目标表）" in said["汇总.json"][1], said
    assert "categories" not in said["汇总.json"][1]
    assert not list(tmp_path.rglob("*.xlsx"))  # no template written
