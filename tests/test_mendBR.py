"""mendBR: the analyst's data contracts (red team 25h): frames' columns on an empty night, month-free monitoring
titles, exact money from documents, UsageError exported, targets written as typed, the examples' README samples."""

import json

import pytest

import xlgoals
from xlgoals import FORMS, fill, frames

from .conftest import EXAMPLES
from .helpers import edited_return

_FOLDERS = {"goal-table": "returns", "self-evaluation": "self-evaluation", "monitoring": "monitoring"}


def _layout(f):
    """Each frame's columns, in order, with their dtypes."""
    return {name: [(c, str(t)) for c, t in getattr(f, name).dtypes.items()]
            for name in ("projects", "indicators", "problems")}


def _sparse(tmp_path, form_id: str):
    """A return of the form with every header field blank but what names it (year, unit, project, targets' digest),
    as a department that filled only the table sends it."""
    keep = {"/year", "/unit", "/project/name", "/targets_sha256"}
    blank = {f.cell: None for f in FORMS[form_id].fields if f.path not in keep}
    return edited_return(tmp_path, form_id, {}, info=blank)


@pytest.mark.parametrize("night", ["empty", "junk", "unreadable"])
def test_an_empty_or_junk_night_has_the_full_goal_table_nights_columns_order_and_dtypes(tmp_path, night):
    """Finding 06: an empty (or junk-only) inbox lacked projects.targets_sha256 and indicators.id, ordered the project
    columns otherwise (budget before project.overview) and typed errors/warnings float64: the README's join recipe
    raised KeyError, a concat of nights changed dtypes."""
    folder = tmp_path / night
    folder.mkdir()
    if night == "junk":
        (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    if night == "unreadable":
        (folder / "a.xlsx").write_bytes(b"PK\x03\x04 not really")
    full = frames([EXAMPLES / "returns"], jobs=1)
    got = frames([folder], jobs=1)
    assert _layout(got) == _layout(full)
    # categories of the names found (README): none on an empty night (summary_unit: the units' names, as unit's)
    found = {"unit", "reporting_unit", "summary_unit", "sheet"}
    for name in ("projects", "indicators", "problems"):  # the same dtypes, every category's categories too
        a, b = getattr(got, name), getattr(full, name)
        assert [c for c in a.columns if c not in found and a[c].dtype != b[c].dtype] == [], name
    got.projects[["path", "targets_sha256"]]  # the README's join recipe
    got.indicators.merge(got.projects[["path", "targets_sha256"]], on="path")[["targets_sha256", "id"]]


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_forms_sparse_night_has_its_full_nights_columns_order_and_dtypes(tmp_path, form_id):
    """A night whose returns of a form left most header fields blank has the columns of a night of full returns of
    the form, in the same order, of the same dtypes: the columns come from the form's declaration, not from the
    documents met first.  (A guard: it passed before too, the reader keeping a blank field's key, and dropping only
    a goal table's blank 联系人 group, whose columns came last either way.)"""
    sparse = tmp_path / "sparse"
    sparse.mkdir()
    _sparse(sparse, form_id)
    full = frames([EXAMPLES / _FOLDERS[form_id]], jobs=1)
    got = frames([sparse], jobs=1)
    assert got.projects["form"].tolist() == [form_id]
    assert got.projects["contact.phone"].isna().all()  # (blank, as meant)
    assert _layout(got)["projects"] == _layout(full)["projects"]
    assert _layout(got)["indicators"] == _layout(full)["indicators"]


def _monitoring_night(tmp_path, name: str, months: dict) -> dict:
    """consolidate of the example monitoring reports, each of the month `months` gives it (6 by default): (table
    name -> CSV header, the JSON, the workbook)."""
    import csv

    folder = tmp_path / name
    folder.mkdir()
    for i, src in enumerate(sorted((EXAMPLES / "monitoring").glob("*.xlsx"))):
        doc = xlgoals.read(src).document
        doc["month"] = months.get(i, 6)
        fill(doc, folder / src.name)
    out, csv_dir, json_path = tmp_path / f"{name}.xlsx", tmp_path / f"csv_{name}", tmp_path / f"{name}.json"
    xlgoals.consolidate([folder], out, csv_dir=csv_dir, json_path=json_path, jobs=1)
    headers = {p.stem: next(csv.reader(open(p, encoding="utf-8-sig"))) for p in sorted(csv_dir.glob("*.csv"))}
    return {"csv": headers, "json": json.loads(json_path.read_text(encoding="utf-8")), "xlsx": out}


def test_monitoring_csv_and_json_titles_do_not_carry_the_month(tmp_path):
    """Finding 09: the monitoring summary's CSV/JSON titles carried the night's month (1-6月执行数（元） in June,
    1-9月… in September, 1-N月… on a mixed night): a script reading by title, as README advises, lost the column.
    Now the same titles every night; the workbook keeps the month for people; the JSON names the months."""
    import openpyxl

    june = _monitoring_night(tmp_path, "june", {})
    september = _monitoring_night(tmp_path, "september", dict.fromkeys(range(5), 9))
    mixed = _monitoring_night(tmp_path, "mixed", {3: 9, 4: 9})
    assert june["csv"] == september["csv"] == mixed["csv"]
    columns = lambda night: {k: v["columns"] for k, v in night["json"].items() if isinstance(v, dict) and "columns" in v}
    assert columns(june) == columns(september) == columns(mixed)
    assert {k: list(v.get("totals", {})) for k, v in june["json"].items() if isinstance(v, dict)} == \
        {k: list(v.get("totals", {})) for k, v in september["json"].items() if isinstance(v, dict)}
    assert "1-N月执行数（元）" in june["csv"]["监控汇总"] and "1-N月执行数（元）" in june["csv"]["项目进度"]
    assert "1-N月执行情况" in june["csv"]["指标监控"]
    assert not [t for table in june["csv"].values() for t in table if "1-6月" in t]
    assert "1-N月执行数（元）" in june["json"]["summary"]["totals"]
    assert june["json"]["summary"]["months"] == [6] and mixed["json"]["summary"]["months"] == [6, 9]
    assert "报告月份" in june["csv"]["项目进度"]
    # the workbook, for people, keeps the month
    ws = openpyxl.load_workbook(june["xlsx"])["监控汇总"]
    texts = [c.value for row in ws.iter_rows(max_row=6) for c in row if isinstance(c.value, str)]
    assert "1-6月执行数（元）" in texts and any("1-6月项目支出绩效运行监控汇总" in t for t in texts)
    ws = openpyxl.load_workbook(september["xlsx"])["项目进度"]
    assert "1-9月执行数（元）" in [c.value for row in ws.iter_rows(max_row=6) for c in row]


def test_usage_error_and_every_exception_the_readme_names_are_public(tmp_path):
    """Finding 02: README says the library raises `UsageError` (a refused overwrite, a bad jobs=, year=, month=,
    rows=); `except xlgoals.UsageError:` was an AttributeError, the class only in private xlgoals._errors."""
    import re

    from .conftest import ROOT

    named = set(re.findall(r"`(?:xlgoals\.)?([A-Z][A-Za-z]*Error|UnknownFramework)`", (ROOT / "README.md").read_text(encoding="utf-8")))
    named -= {"TypeError", "ValueError"}  # Python's own
    assert "UsageError" in named
    for name in named:
        assert name in xlgoals.__all__ and issubclass(getattr(xlgoals, name), xlgoals.XlgoalsError), name
    with pytest.raises(xlgoals.UsageError) as bad_jobs:
        xlgoals.validate([tmp_path], jobs="2")
    assert isinstance(bad_jobs.value, TypeError) and bad_jobs.value.exit_code == 2
    with pytest.raises(xlgoals.UsageError):
        xlgoals.validate([tmp_path], jobs=-1)
    out = tmp_path / "模板.xlsx"
    out.write_text("department's file")
    with pytest.raises(xlgoals.UsageError):
        xlgoals.write_template(out, framework="shanghai-2020", year=2020)
    assert out.read_text() == "department's file"


def test_documents_keep_json_numbers_and_exact_number_sums_them_exactly(tmp_path):
    """Finding 03: the documents of read()/validate(keep_documents=True) hold amounts as floats (JSON's numbers: the
    schema says number, json.dumps(doc) must work), and an analyst's sum drifted to 27392459.259999998 where
    consolidate gives 27392459.26.  The documented exact way, xlgoals.exact_number, gives 27392459.26."""
    from decimal import Decimal

    base = xlgoals.read(EXAMPLES / "returns" / "05_促进就业专项业务费.xlsx").document
    amounts = ["2738782.88", "1266142.43", "5319693.75", "8170772.02", "4826373.53", "5070694.65"]
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i, a in enumerate(amounts):
        doc = json.loads(json.dumps(base))
        doc["project"]["name"] = f"项目{i}"
        doc["budget"]["total"] = doc["budget"]["current_year"] = float(a)
        fill(doc, inbox / f"{i}.xlsx")
    report = xlgoals.validate([inbox], keep_documents=True, jobs=1)
    values = [f.document["budget"]["total"] for f in report.files]
    assert {type(v) for v in values} == {float}  # the document's contract: JSON numbers
    json.dumps(report.files[0].document)
    assert sum(values) != 27392459.26  # what a plain sum() gives (27392459.259999998)
    exact = sum(xlgoals.exact_number(v) for v in values)
    assert exact == Decimal("27392459.26") and str(exact) == "27392459.26"
    result = xlgoals.consolidate([inbox], tmp_path / "s.xlsx", jobs=1)
    assert result.totals["total"] == exact
    assert frames([inbox], jobs=1).projects["budget.total"].sum() == exact
    assert [xlgoals.exact_number(v) for v in (None, "6280万元", True, float("nan"), Decimal("NaN"), 7, 0.1)] == \
        [None, None, None, None, None, Decimal(7), Decimal("0.1")]


def test_targets_are_written_as_typed_and_fill_says_how_many_digits(tmp_path):
    """Finding 08: a target 0.00001 was 1e-05 in consolidate's CSV and JSON (amounts never have an exponent); fill
    refused a target 1e16 saying “至多 15 位有效数字”, though it has one significant digit (written out it takes 17)."""
    import csv
    from decimal import Decimal

    base = xlgoals.read(EXAMPLES / "returns" / "05_促进就业专项业务费.xlsx").document
    doc = json.loads(json.dumps(base))
    doc["indicators"][1].update(value=0.00001, comparator="<=")
    doc["indicators"][2].update(value=123456789012.5)
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill(doc, inbox / "事故率.xlsx")
    xlgoals.consolidate([inbox], tmp_path / "s.xlsx", csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json", jobs=1)
    rows = list(csv.DictReader(open(tmp_path / "csv" / "绩效指标.csv", encoding="utf-8-sig")))
    names = [r["三级指标"] for r in rows]
    assert rows[names.index(doc["indicators"][1]["name"])]["目标值"] == "0.00001"
    assert rows[names.index(doc["indicators"][2]["name"])]["目标值"] == "123456789012.5"
    raw = (tmp_path / "s.json").read_text(encoding="utf-8")
    assert "e-05" not in raw.lower() and "e+" not in raw.lower()
    table = json.loads(raw, parse_float=Decimal)["indicators"]
    at = table["columns"].index("目标值")
    assert Decimal("0.00001") in [r[at] for r in table["rows"]]

    too_long = json.loads(json.dumps(base))
    too_long["indicators"][1]["value"] = 1e16
    with pytest.raises(xlgoals.DocumentError) as refused:
        fill(too_long, tmp_path / "x.xlsx")
    said = str(refused.value)
    assert "有效数字" not in said and "10000000000000000" in said and "此数为 17 位" in said and "至多 15 位数字" in said
    sixteen = json.loads(json.dumps(base))
    sixteen["indicators"][1]["value"] = 1234567890123.456
    with pytest.raises(xlgoals.DocumentError) as refused:
        fill(sixteen, tmp_path / "y.xlsx")
    assert "此数为 16 位" in str(refused.value)


def _examples_readme_samples() -> list[str]:
    from .conftest import ROOT

    import re

    text = (ROOT / "examples" / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.*?)```", text, re.DOTALL)


def test_every_sample_of_the_examples_readme_runs_in_a_checkout(tmp_path):
    """Finding 04: examples/README.md's first sample (the fill loop) failed for every file in a checkout: the
    workbooks are there, and fill replaces none without --force.  Each sh block of it is run, as written, from the
    root of a copy of the examples, under `sh -e`: it exits 0, and the fill loop makes the committed bytes again."""
    import os
    import shutil
    import subprocess
    import sys

    from .conftest import ROOT

    samples = _examples_readme_samples()
    assert len(samples) >= 2 and any("xlgoals fill" in s for s in samples)
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    committed = {p.name: p.read_bytes() for p in (EXAMPLES / "returns").glob("*.xlsx")}
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               PYTHONPATH=str(ROOT))
    for sample in samples:
        run = subprocess.run(["sh", "-ec", sample], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, (sample, run.stdout[-2000:], run.stderr[-2000:])
        assert "Traceback" not in run.stderr
    assert {p.name: p.read_bytes() for p in (tmp_path / "examples" / "returns").glob("*.xlsx")} == committed


def test_a_night_of_two_forms_has_one_layout_whichever_file_is_read_first(tmp_path):
    """A night of a goal table and a monitoring report had the goal table's columns first when its file sorted
    first, the monitoring report's otherwise: the columns follow the forms' declarations, in FORMS' order."""
    import shutil

    goal, report = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0], sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[0]
    layouts = []
    for night, (first, second) in (("one", (goal, report)), ("two", (report, goal))):
        (tmp_path / night).mkdir()
        shutil.copy(first, tmp_path / night / "a.xlsx")
        shutil.copy(second, tmp_path / night / "b.xlsx")
        layouts.append(_layout(frames([tmp_path / night], jobs=1)))
    assert layouts[0] == layouts[1]
