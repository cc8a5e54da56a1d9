"""xlgoals.frames: returns as pandas DataFrames for analysts, typed, with the README's example from a real run."""

import copy
import datetime as dt
import os
import re
import subprocess
import sys
from decimal import Decimal

import pandas as pd

import xlgoals
from xlgoals import fill

from .conftest import EXAMPLES, ROOT
from .helpers import filled_examples


def test_import_xlgoals_does_not_import_pandas():
    code = "import sys, xlgoals; assert 'pandas' not in sys.modules; xlgoals.frames; print('ok')"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "ok"


def test_readme_example_is_a_real_run():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## pandas for analysts", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    shown = re.search(r"```text\n\$ python frames_example.py\n(.*?)```", section, re.DOTALL).group(1)
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == shown, "README is stale: paste the output of its frames example (run from the repository root)"


def test_frames_of_a_folder(tmp_path):
    d = tmp_path / "收到"
    docs = filled_examples(d)
    signed = copy.deepcopy(docs[1])
    signed["contact"] = {"person": "张三", "date": "2020-03-15"}
    fill(signed, d / "signed.xlsx")  # a duplicate of 1.xlsx, counted: its 填报日期 wins the tie
    os.utime(d / "signed.xlsx", ns=(10**18, 10**18))
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    f = xlgoals.frames([d], jobs=1)
    assert isinstance(f, xlgoals.Frames)
    p = f.projects
    assert len(p) == 7 and list(p.columns[:8]) == ["path", "sha256", "status", "counted", "duplicate", "note", "errors",
                                                   "warnings"]
    by_file = p.set_index(p["path"].map(os.path.basename))
    assert p["duplicate"].dtype == bool and list(p.loc[p["duplicate"], "path"].map(os.path.basename)) == ["1.xlsx"]
    assert "signed.xlsx 为准" in by_file.loc["1.xlsx", "note"] and pd.isna(by_file.loc["signed.xlsx", "note"])
    assert by_file.loc["signed.xlsx", "counted"] and not by_file.loc["1.xlsx", "counted"]
    assert by_file.loc["broken.xlsx", "status"] == "unreadable" and not by_file.loc["broken.xlsx", "counted"]
    assert by_file.loc["signed.xlsx", "contact.date"] == pd.Timestamp("2020-03-15")
    assert p["budget.total"].dropna().map(type).eq(Decimal).all()
    assert sum(p.loc[p["counted"], "budget.total"]) == Decimal(534_770_796)
    assert str(p["project.start_date"].dtype).startswith("datetime64")
    assert p["year"].dtype == "Int64" and p["project.government_procurement"].dtype == "boolean"
    assert isinstance(p["status"].dtype, pd.CategoricalDtype) and isinstance(p["framework"].dtype, pd.CategoricalDtype)
    ind = f.indicators
    assert len(ind) == 115 + 27
    assert {"path", "reporting_unit", "project", "counted", "row", "level1", "level2", "name", "comparator",
            "value", "unit", "text"} <= set(ind.columns)
    # a target is an exact Decimal (an amount in 元 on a 成本指标 row), as the budgets are (mendCP)
    assert ind["value"].dtype == object and {type(v) for v in ind["value"].dropna()} == {Decimal}
    assert isinstance(ind["level1"].dtype, pd.CategoricalDtype)
    # every framework's 一级, in id order (national-2021 first), each in its framework's order
    assert list(ind["level1"].cat.categories)[:8] == ["成本指标", "产出指标", "效益指标", "满意度指标",
                                                      "投入与管理", "产出目标", "效果目标", "影响力目标"]
    assert ind[ind["counted"]].groupby("path").size().sum() == 115
    pr = f.problems
    assert list(pr.columns) == ["file", "code", "severity", "sheet", "cell", "field", "value", "expected", "path",
                                "message", "message_en", "field_en", "message_zh", "field_zh", "value_zh",
                                "value_en", "expected_zh", "expected_en", "file_bytes"]
    named = pr[pr["field"].notna()]
    assert named["field_en"].notna().all() and (named["field_en"] != named["field"]).any()  # English titles
    assert "file.not_zip" in set(pr["code"]) or pr[pr["file"].str.endswith("broken.xlsx")].shape[0] == 1


def test_unreadable_amount_is_missing_and_named_in_problems():
    f = xlgoals.frames([EXAMPLES / "received"], jobs=1)
    bad = f.projects[f.projects["path"].str.endswith("某局_某项目.xlsx")].iloc[0]
    assert pd.isna(bad["budget.total"]) and bad["status"] == "invalid"
    assert "cell.amount_wan" in set(f.problems["code"])
    assert f.projects["project.end_date"].iloc[0] == pd.Timestamp(dt.date(2020, 12, 31))


def test_frames_keep_missing_values_missing_and_columns_stable(tmp_path):
    """For analysts: a missing unit or framework was the text 'nan' in a category (groupby showed a "nan" unit,
    dropna dropped nothing); columns depended on the returns (no contact.* without a signature block);
    categories listed only the values present, comparators alphabetically; an amount was Decimal('62800000.0')
    when an unreadable file was in the batch, Decimal('62800000') otherwise."""
    import shutil
    from decimal import Decimal

    import xlgoals

    from .conftest import EXAMPLES

    src = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "returns", src)
    (src / "坏.xlsx").write_bytes(b"not a workbook")
    f = xlgoals.frames([src], jobs=1)
    assert "nan" not in list(f.indicators.unit.cat.categories) and f.indicators.unit.isna().sum() > 0
    bad = f.projects[f.projects.path.str.endswith("坏.xlsx")].iloc[0]
    import pandas as pd

    assert pd.isna(bad["unit"]) and pd.isna(bad["framework"])
    assert f.projects.unit.isna().sum() == 1 and f.projects.framework.isna().sum() == 1
    assert {"contact.person", "contact.phone", "contact.date", "contact.head"} <= set(f.projects.columns)
    assert list(f.indicators.comparator.cat.categories)[:5] == ["=", ">=", ">", "<=", "<"]
    plain = xlgoals.frames([EXAMPLES / "returns"], jobs=1)
    assert list(plain.indicators.level2.cat.categories) == list(f.indicators.level2.cat.categories)
    totals = {str(v) for v in f.projects["budget.total"].dropna()} | {str(v) for v in plain.projects["budget.total"]}
    assert not [t for t in totals if t.endswith(".0")] and all(isinstance(v, Decimal)
                                                              for v in f.projects["budget.total"].dropna())


def test_an_empty_inbox_gives_the_goal_tables_columns(tmp_path):
    """A script run on an empty inbox (or one holding only broken files) gets the columns it reads on a full one,
    the goal table's, with no rows: before, only the file columns, and df["unit"] failed."""
    from xlgoals import frames

    empty = tmp_path / "inbox"
    empty.mkdir()
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.xlsx").write_bytes(b"PK\x03\x04 not really")
    full = frames([EXAMPLES / "returns"], jobs=1)
    for folder, rows in ((empty, 0), (broken, 1)):
        got = frames([folder], jobs=1)
        assert len(got.projects) == rows and len(got.indicators) == 0
        for name in ("unit", "project.name", "budget.total", "budget.current_year", "framework", "form"):
            assert name in got.projects.columns, (folder.name, name)
        for name in ("level1", "level2", "name", "comparator", "value", "unit"):
            assert name in got.indicators.columns, (folder.name, name)
        assert set(got.projects.columns) <= set(full.projects.columns)
        assert set(got.indicators.columns) <= set(full.indicators.columns)


def test_coded_indicator_fields_are_categories_of_every_code_from_night_to_night(tmp_path):
    """完成等级 was a category of the grades present (a night of 达成 only gave ['achieved'], one with a 部分达成
    ['achieved', 'partly'], so pd.concat of the two nights fell back to object), and a monitoring report's
    完成目标可能性 and 偏差原因类别, list choices the README calls categories, were plain text."""
    from xlgoals._form._kinds import GRADE_DISPLAY
    from xlgoals._form.monitoring import DEVIATION_CATEGORIES, LIKELIHOODS

    doc = xlgoals.read(EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx").document
    row = next(i for i in doc["indicators"] if i["comparator"] == "qualitative")
    row.update(grade="partly", score=round(row["points"] * 0.7, 2), deviation="部分完成，下年改进")
    fill(doc, tmp_path / "partly.xlsx")
    quiet = xlgoals.frames([EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx"], jobs=1).indicators
    busy = xlgoals.frames([tmp_path / "partly.xlsx"], jobs=1).indicators
    assert "partly" in set(busy["grade"].dropna()) and set(quiet["grade"].dropna()) == {"achieved"}
    for night in (quiet, busy):
        assert list(night["grade"].cat.categories) == list(GRADE_DISPLAY)
    assert isinstance(pd.concat([quiet, busy], ignore_index=True)["grade"].dtype, pd.CategoricalDtype)

    monitoring = xlgoals.frames([EXAMPLES / "monitoring"], jobs=1).indicators
    assert list(monitoring["likelihood"].cat.categories) == list(LIKELIHOODS)
    assert list(monitoring["deviation_category"].cat.categories) == list(DEVIATION_CATEGORIES)
    assert set(monitoring["likelihood"]) == {"certain", "possible", "impossible"}
    assert monitoring["deviation_category"].isna().any() and "staffing" in set(monitoring["deviation_category"].dropna())
