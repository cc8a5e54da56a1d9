"""consolidate: many returns -> one summary; totals exact, nothing dropped, deterministic, text stays text."""

import copy
import csv
import io
import json
from pathlib import Path
import os
import re
import shutil
import sys

import openpyxl
import pytest

from xlgoals import FORMS, consolidate, fill, read
from xlgoals._form import format_target
from xlgoals import Status
from xlgoals._errors import UsageError

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, cli, load
from .helpers import filled_examples

SEED_TOTAL = 534_770_796


HEADING = 2  # 汇总's title and dateline, above its column headers


def _rows(ws):
    first = 2 + (HEADING if ws.title == "汇总" else 0)
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


@pytest.fixture
def mixed(tmp_path):
    """Two units, several projects, an invalid, a duplicate and an unreadable return, and a stray file."""
    d = tmp_path / "returns"
    docs = filled_examples(d, "seed")
    other = copy.deepcopy(docs[1])
    other["unit"] = "上海市某某局"
    other["project"]["name"] = "=HYPERLINK(\"http://x\",\"y\")"
    other["budget"] = {"total": 1000.5, "current_year": 500.25, "prior_year_budget": None,
                       "prior_year_executed": None}
    fill(other, d / "other_unit.xlsx")
    second = copy.deepcopy(other)
    second["project"]["name"] = "第二个项目"
    second["budget"]["total"], second["budget"]["current_year"] = 2000, 2000
    fill(second, d / "other_unit_2.xlsx")
    bad = copy.deepcopy(other)
    bad["project"]["name"] = "超预算项目"
    bad["budget"]["current_year"] = bad["budget"]["total"] + 1  # fails rule.current_le_total
    fill(bad, d / "invalid.xlsx")
    dup = copy.deepcopy(docs[1])
    fill(dup, d / "zz_resubmitted.xlsx")  # same unit + project as seed1
    os.utime(d / "zz_resubmitted.xlsx", ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    os.utime(d / "seed1.xlsx", ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 not really")
    (d / "readme.txt").write_text("说明", encoding="utf-8")
    return d


def test_seed_totals(tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = consolidate([EXAMPLE_XLSX[0].parent], out, jobs=2)
    assert result.totals["total"] == SEED_TOTAL and result.totals["projects"] == 5
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "项目清单", "绩效指标", "分类统计", "校验结果", "汇总图"]  # 汇总图: its chart (mendCK), last (mendCR)
    summary = _rows(wb["汇总"])
    assert summary[0][:6] == [1, "上海市就业促进中心", 5, SEED_TOTAL, SEED_TOTAL, 0]
    assert summary[1][1:6] == ["合计", "=SUM(C4:C4)", "=SUM(D4:D4)", "=SUM(E4:E4)", "=SUM(F4:F4)"]
    cached = openpyxl.load_workbook(out, data_only=True)["汇总"]
    assert cached["D5"].value == SEED_TOTAL  # the formula carries its computed value
    assert len(wb["汇总图"]._charts) == 1
    indicators = _rows(wb["绩效指标"])
    assert len(indicators) == sum(len(load(p)["indicators"]) for p in EXAMPLE_JSON) == 115
    # last, off paper, the return's 预算年度 and SHA-256 (its key in 项目清单), then the columns compared below
    assert all(r[-2] == 2020 and len(r[-1]) == 64 for r in indicators)
    # before them, off paper too, 比较符's code, the 指标编号 and the goal table's digest (mendCP)
    assert all(r[-5] in ("=", ">=", ">", "<=", "<", "qualitative") and r[-4].startswith("I") and len(r[-3]) == 64
               for r in indicators)
    indicators = [r[:-5] for r in indicators]
    assert ["上海市就业促进中心", "职业培训基础能力建设资助", "产出目标", "数量", "享受见习补贴人数", "＞", 5000, "人",
            None, ">5000人", None, None] in indicators
    assert ["上海市就业促进中心", "促进就业专项资金", "产出目标", "数量", "享受职业技能补贴人数", "≥", 90, "%", None,
            "≥90%", None, None] in indicators
    projects = _rows(wb["项目清单"])
    assert sum(r[4] for r in projects) == SEED_TOTAL
    assert all(len(r[-2]) == 64 for r in projects)  # SHA-256 of the source file, then its exact name
    assert all(bytes.fromhex(r[-1]).endswith(b".xlsx") for r in projects)


def test_units_invalid_duplicates_unreadable(mixed, tmp_path):
    out = tmp_path / "s.xlsx"
    result = consolidate([mixed], out, jobs=2)
    by_name = {os.path.basename(r.path): r for r in result.records}
    assert len(by_name) == 10  # every workbook is accounted for
    assert by_name["invalid.xlsx"].status == Status.INVALID and not by_name["invalid.xlsx"].included
    assert by_name["broken.xlsx"].status == Status.UNREADABLE
    # the duplicate rule: valid first, then the most recently modified file
    assert by_name["zz_resubmitted.xlsx"].included and not by_name["seed1.xlsx"].included
    assert "zz_resubmitted.xlsx" in by_name["seed1.xlsx"].note
    wb = openpyxl.load_workbook(out)
    summary = {r[1]: r for r in _rows(wb["汇总"]) if r[1]}
    assert summary["上海市就业促进中心"][2:6] == [5, SEED_TOTAL, SEED_TOTAL, 0]
    assert summary["上海市某某局"][2:6] == [2, 3000.5, 2500.25, 1]
    assert summary["㊟（无法识别申报单位）"][2:6] == [0, 0, 0, 1]
    assert summary["合计"][2] == "=SUM(C4:C6)"
    assert openpyxl.load_workbook(out, data_only=True)["汇总"]["D7"].value == SEED_TOTAL + 3000.5
    checks = _rows(wb["校验结果"])
    statuses = {os.path.basename(r[1]): r[2] for r in checks}
    assert statuses["broken.xlsx"] == "无法读取" and statuses["readme.txt"] == "未检查"
    assert statuses["invalid.xlsx"] == "未通过"
    assert any(r[6] == "rule.current_le_total" and r[8] for r in checks)
    project_names = [r[2] for r in _rows(wb["项目清单"])]
    assert "超预算项目" in project_names  # listed, though not counted


def test_include_invalid(mixed, tmp_path):
    result = consolidate([mixed], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert result.totals["projects"] == 8
    assert result.totals["total"] == SEED_TOTAL + 3000.5 + 1000.5


def test_formula_strings_stay_text(mixed, tmp_path):
    out = tmp_path / "s.xlsx"
    consolidate([mixed], out, jobs=1)
    wb = openpyxl.load_workbook(out)
    evil = "=HYPERLINK(\"http://x\",\"y\")"
    hits = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == evil:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    hits += 1
    assert hits >= 2  # 项目清单 and 绩效指标


def test_deterministic_across_runs_and_job_counts(mixed, tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    consolidate([mixed], a, jobs=1, csv_dir=tmp_path / "ca", json_path=tmp_path / "a.json")
    consolidate([mixed], b, jobs=2, csv_dir=tmp_path / "cb", json_path=tmp_path / "b.json")
    assert a.read_bytes() == b.read_bytes()
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    for f in (tmp_path / "ca").iterdir():
        assert f.read_bytes() == (tmp_path / "cb" / f.name).read_bytes()


def test_csv_and_json_outputs(mixed, tmp_path):
    consolidate([mixed], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    names = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert names == sorted(["汇总.csv", "项目清单.csv", "绩效指标.csv", "分类统计.csv", "校验结果.csv",
                            ".xlgoals_tables.json"])  # the record of the tables written there (render_csv)
    raw = (tmp_path / "csv" / "项目清单.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "'=HYPERLINK(\"http://x\",\"y\")" in [r[2] for r in rows]
    ind = list(csv.reader(io.StringIO((tmp_path / "csv" / "绩效指标.csv").read_text(encoding="utf-8-sig"))))
    assert "＝100%" in [r[9] for r in ind]  # written with the form's ＝: "=100%" would be a formula to Excel
    assert not any(r[9].startswith("'") for r in ind)  # no target needed neutralising
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert set(data) == {"summary", "projects", "indicators", "categories", "validation", "counts", "form"}
    assert data["form"] == "goal-table" and list(data)[-1] == "form"  # last: the first lines stay as they were
    assert data["indicators"]["columns"][4] == "三级指标"
    assert data["summary"]["columns"][2:4] == ["预算年度", "项目数"]  # always, one year or more (README)
    assert sum(r[3 + 1] for r in data["summary"]["rows"]) == SEED_TOTAL + 3000.5


def test_atomic_output_and_untouched_inputs(mixed, tmp_path, monkeypatch):
    import xlgoals._consolidate._render as mod

    out = tmp_path / "s.xlsx"
    out.write_bytes(b"old summary")
    before = {p.name: p.read_bytes() for p in mixed.iterdir()}

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(mod, "splice_rows", boom)
    with pytest.raises(KeyboardInterrupt):
        consolidate([mixed], out, jobs=1, force=True)  # bytes xlgoals did not write: replaced only with force
    assert out.read_bytes() == b"old summary"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".s.xlsx")] == []
    assert before == {p.name: p.read_bytes() for p in mixed.iterdir()}


def test_cli_consolidate(mixed, tmp_path):
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", mixed, "-o", out, "--jobs", "2", "--csv", tmp_path / "c")
    assert result.exit_code == 0, result.stderr
    assert "计入 7 个项目" in result.stdout and "534,773,796.50" in result.stdout
    assert "读取与校验" not in result.stderr  # no progress bar when not on a terminal (CliRunner's stderr is no tty)
    assert out.exists() and (tmp_path / "c" / "汇总.csv").exists()


@pytest.mark.soffice
def test_summary_opens_in_libreoffice_and_totals_agree(tmp_path, lo_convert, mixed):
    out = tmp_path / "汇总.xlsx"
    consolidate([mixed], out, jobs=1)
    (saved,) = lo_convert(out)  # LibreOffice recalculates the SUM formulas on load
    wb = openpyxl.load_workbook(saved, data_only=True)
    summary = {r[1]: r for r in _rows(wb["汇总"]) if r[1]}
    assert summary["合计"][2:6] == [7, SEED_TOTAL + 3000.5, SEED_TOTAL + 2500.25, 2]
    assert len(_rows(wb["绩效指标"])) == len(_rows(openpyxl.load_workbook(out)["绩效指标"]))
    (as_csv,) = lo_convert(out, fmt="csv:Text - txt - csv (StarCalc):44,34,76,1")  # first sheet, UTF-8
    lines = list(csv.reader(io.StringIO(as_csv.read_text(encoding="utf-8"))))
    total_line = next(line for line in lines if len(line) > 1 and line[1] == "合计")
    assert float(total_line[3].replace(",", "")) == SEED_TOTAL + 3000.5


def test_progress_bar_when_asked(tmp_path, capsys):
    consolidate([EXAMPLE_XLSX[0].parent], tmp_path / "s.xlsx", jobs=1, progress=True)
    err = capsys.readouterr().err
    assert "读取与校验" in err and "5/5 (100%)" in err


def test_empty_folder_still_gives_a_summary(tmp_path):
    (tmp_path / "empty").mkdir()
    result = consolidate([tmp_path / "empty"], tmp_path / "s.xlsx", jobs=2)
    assert result.totals["files"] == 0 and result.totals["total"] == 0
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    assert [r[1] for r in _rows(wb["汇总"]) if r[1]][0] == "合计"


@pytest.mark.parametrize("folder, sheet", [("returns", "绩效指标"), ("self-evaluation", "指标完成"),
                                           ("monitoring", "指标监控")])
def test_each_summarys_indicators_show_what_the_returns_cells_show(tmp_path, folder, sheet):
    """The item table of every form's summary is declared by the form's column keys: a column headed as a
    column of the return shows, for every indicator, what that cell of the return shows (a coded choice by
    its text, a comparator by its sign, a number as a number), and rows with long text are as tall as it."""
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / folder], out, jobs=1)
    summary = openpyxl.load_workbook(out)[sheet]
    titles = [c.value for c in summary[1]]
    rows = {(r[1], r[titles.index(FORMS["goal-table"].column_label("name"))]): r
            for r in summary.iter_rows(min_row=2, values_only=True) if r[0] is not None}
    compared = set()
    for path in sorted((EXAMPLES / folder).glob("*.xlsx")):
        doc = read(path).document
        form = FORMS[doc.get("form", "goal-table")]
        target = form.column_label("target")  # written whole in the summary (≥95%), in three cells in the return
        ws = openpyxl.load_workbook(path, data_only=True)[form.table.name]
        header = [c.value for c in ws[form.table.header_row + 1]]
        name_col = next(i for i, c in enumerate(form.table.columns) if c.key == "name")
        items = iter(doc["indicators"])
        for line in ws.iter_rows(min_row=form.table.first_row + 1, values_only=True):
            if not line[name_col]:
                continue
            row, item = rows[(doc["project"]["name"], line[name_col])], next(items)
            assert item["name"] == line[name_col]
            for j, title in enumerate(titles):
                if title == target:
                    assert row[j] == format_target(item)
                elif title in header and title != "序号":
                    shown = line[header.index(title)]
                    assert row[j] == (None if shown in ("", None) else shown), (path.name, title, row[j], shown)
                    compared.add(title)
    # the columns the form declares with a kind that is shown otherwise than stored were among them
    expected = {"monitoring": {"偏差原因类别", "完成目标可能性", "1-6月执行情况"},
                "self-evaluation": {"实际完成值", "得分", "分值"}, "returns": {"比较符", "计量单位"}}[folder]
    assert expected <= compared, compared
    # rows with more text than a line holds are taller than the default
    # (the SHA-256 last and the goal table's digest, off paper and never wrapped, are no such text)
    long_rows = [r for r in range(2, summary.max_row + 1)
                 if any(isinstance(c.value, str) and len(c.value) > 40
                        and titles[c.column - 1] not in ("SHA-256", "绩效目标表摘要（SHA-256）")
                        for c in summary[r])]
    assert long_rows and all((summary.row_dimensions[r].height or 15) > 15 for r in long_rows)


def test_wide_summary_tables_repeat_the_columns_that_name_a_row_on_every_page_across(tmp_path):
    """A table too wide for one page at 8 pt goes on to a page across; that page repeats 序号/申报单位/项目名称, so
    that a clerk can tell whose row it is.  A table that fits repeats nothing, nor does one printed fitted to the
    page's width (the self-evaluation's and monitoring report's detail sheets: one page wide, nothing across) but
    one fitted to two pages across (项目进度: its key columns on each)."""
    from xlgoals._atomic import Outputs
    from xlgoals._consolidate._render import render_xlsx
    from xlgoals._consolidate._table import Col, Table

    rows = [[1, "上海市就业促进中心", "促进就业专项资金", *("很长的说明文字" for _ in range(8))]]
    cols = [Col("序号", 5), Col("申报单位", 24), Col("项目名称", 28), *(Col(f"说明{i}", 30) for i in range(8))]
    with Outputs() as outputs:
        render_xlsx([Table("宽表", "wide", cols, lambda: iter(rows), 1),
                     Table("适宽", "fitted", cols, lambda: iter(rows), 1, fit_width=True)],
                    {}, tmp_path / "w.xlsx", outputs)
    wb = openpyxl.load_workbook(tmp_path / "w.xlsx")
    assert wb["宽表"].print_title_cols == "$A:$C" and wb["适宽"].print_title_cols is None
    assert wb["适宽"].sheet_properties.pageSetUpPr.fitToPage and wb["适宽"].page_setup.fitToHeight == 0
    wb = openpyxl.load_workbook(consolidate([EXAMPLES / "monitoring"], tmp_path / "m.xlsx", jobs=1).output)
    assert all(ws.print_title_cols is None for ws in wb.worksheets if ws.title != "项目进度")
    assert wb["项目进度"].print_title_cols == "$A:$C" and wb["项目进度"].page_setup.fitToWidth == 2
    consolidate([EXAMPLES / "returns"], tmp_path / "g.xlsx", jobs=1)
    assert openpyxl.load_workbook(tmp_path / "g.xlsx")["汇总"].print_title_cols is None


def test_the_csv_and_json_give_each_amount_and_share_one_way(tmp_path):
    """An amount is written as its digits, as typed (230504344, 527450432.35: never 230504344.00 beside 6424663);
    a share to four decimals (0.6667, not 0.6666666666666666)."""
    consolidate([EXAMPLES / "monitoring"], tmp_path / "m.xlsx", jobs=1, csv_dir=tmp_path / "csv",
                json_path=tmp_path / "m.json")
    consolidate([EXAMPLES / "returns"], tmp_path / "g.xlsx", jobs=1, csv_dir=tmp_path / "gcsv")
    texts = [p.read_text(encoding="utf-8-sig") for p in [*(tmp_path / "csv").glob("*.csv"),
                                                          *(tmp_path / "gcsv").glob("*.csv"), tmp_path / "m.json"]]
    for text in texts:
        assert not re.search(r"(?<![\d.])\d+\.\d*0(?=[,\]\r\n])", text), re.search(r"(?<![\d.])\d+\.\d*0(?=[,\]\r\n])", text)
        assert not re.search(r"\d\.\d{5,}", text)
    summary = (tmp_path / "csv" / "监控汇总.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert summary[4:6] == ["527450432.35", "230504344"]  # after 预算年度 (always there) and 项目数


def test_files_without_a_unit_are_not_counted_as_a_unit(tmp_path, doc):
    d = tmp_path / "in"
    d.mkdir()
    fill(doc, d / "a.xlsx")
    from .helpers import edited, info_cell

    edited(d / "a.xlsx", d / "b.xlsx", {info_cell("/unit"): None})
    result = cli("consolidate", d, "-o", tmp_path / "s.xlsx", "--include-invalid")
    assert "共 2 个文件，1 个单位（另有无法识别申报单位的文件，列在“㊟（无法识别申报单位）”下）" in result.output, result.output


def test_a_duplicate_says_whether_it_is_the_same_file_and_shows_invisible_spellings(tmp_path, doc):
    d = tmp_path / "in"
    d.mkdir()
    fill(doc, d / "a.xlsx")
    shutil.copy(d / "a.xlsx", d / "a_copy.xlsx")  # the same file sent twice
    other = copy.deepcopy(doc)
    other["unit"] = doc["unit"] + "\u200b"  # the same unit with a zero-width space, other figures
    other["budget"]["current_year"] = doc["budget"]["current_year"] - 1
    fill(other, d / "b.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "项目清单.csv").read_text(encoding="utf-8-sig"))))
    notes = {r["来源文件"]: r["说明"] for r in rows}
    assert result.totals["duplicates"] == 2
    kept = next(name for name, note in notes.items() if not note)
    for name, note in notes.items():
        if name == kept:
            continue
        if {name, kept} == {"a.xlsx", "a_copy.xlsx"}:
            assert "两份文件完全相同" in note, note
        else:
            assert "两份内容不同，请核对" in note, note
        if "b.xlsx" in (name, kept):
            assert "\\u200b" in note, note


def test_a_hidden_copy_never_wins_over_the_return_the_bureau_sees(tmp_path, doc):
    """A hidden ``.申报.xlsx`` beside ``申报.xlsx`` (a program's backup, a sync tool's copy) with other figures and a
    later date: the summary counted the file nobody at the bureau sees.  The one shown in the folder is kept."""
    d = tmp_path / "in"
    d.mkdir()
    fill(doc, d / "申报.xlsx")
    hidden = copy.deepcopy(doc)
    hidden["budget"]["current_year"] = doc["budget"]["current_year"] - 1
    fill(hidden, d / ".申报.xlsx")
    later = os.stat(d / "申报.xlsx").st_mtime_ns + 10**10
    os.utime(d / ".申报.xlsx", ns=(later, later))  # saved after it: the most recent wins among equals
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "项目清单.csv").read_text(encoding="utf-8-sig"))))
    notes = {r["来源文件"]: r["说明"] for r in rows}
    assert result.totals["duplicates"] == 1
    assert notes["申报.xlsx"] == "" and "以 " in notes[".申报.xlsx"] and "申报.xlsx 为准" in notes[".申报.xlsx"]
    counted = [r for r in rows if not r["说明"]]
    assert [r["来源文件"] for r in counted] == ["申报.xlsx"]


def test_a_return_saved_again_reads_the_same_and_is_said_so(tmp_path, doc):
    """The same return zipped again (new timestamps, as any re-save gives): other bytes, the same document."""
    import zipfile

    d = tmp_path / "in"
    d.mkdir()
    fill(doc, d / "a.xlsx")
    with zipfile.ZipFile(d / "a.xlsx") as zin, zipfile.ZipFile(d / "b.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            info.date_time = (2021, 1, 2, 3, 4, 5)
            zout.writestr(info, zin.read(info))
    assert (d / "a.xlsx").read_bytes() != (d / "b.xlsx").read_bytes()
    consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "csv" / "项目清单.csv").read_text(encoding="utf-8-sig"))))
    (note,) = [r["说明"] for r in rows if r["说明"]]
    assert "两份文件读出的内容相同（只是另存过）" in note, note


_DUPLICATE_FORMS = [("goal-table", "json"), ("self-evaluation", "self-evaluation"), ("monitoring", "monitoring")]


@pytest.mark.parametrize("form_id, folder", _DUPLICATE_FORMS)
def test_of_two_returns_of_a_project_the_later_filled_on_counts_in_every_form(tmp_path, form_id, folder):
    """A project's corrected return (填报日期 later) and an old copy saved again later (the newer file): the
    corrected one counts, in every form.  The self-evaluation and the monitoring summaries kept the newer file."""
    import os

    from xlgoals import consolidate, fill

    doc = json.loads(sorted((Path(__file__).parent.parent / "examples" / folder).glob("*.json"))[1]
                     .read_text(encoding="utf-8"))
    src = tmp_path / "收到"
    src.mkdir()
    year = doc["year"]
    corrected, old = dict(doc), dict(doc)
    corrected["contact"] = {**doc.get("contact", {}), "date": f"{year if form_id != 'self-evaluation' else year + 1}-02-01"}
    old["contact"] = {**doc.get("contact", {}), "date": f"{year if form_id != 'self-evaluation' else year + 1}-01-10"}
    fill(corrected, src / "a_更正.xlsx")
    fill(old, src / "b_旧件.xlsx")
    os.utime(src / "a_更正.xlsx", (1_600_000_000, 1_600_000_000))  # the older file
    result = consolidate(src, tmp_path / "s.xlsx")
    kept = [Path(r.path).name for r in result.records if r.included]
    dropped = [Path(r.path).name for r in result.records if r.duplicate]
    assert kept == ["a_更正.xlsx"] and dropped == ["b_旧件.xlsx"], (kept, dropped)


@pytest.mark.parametrize("form_id, folder", _DUPLICATE_FORMS)
def test_a_projects_returns_for_two_years_are_no_duplicates(tmp_path, form_id, folder):
    """A recurring project's returns for 2020 and 2021, consolidated together: both count (one was dropped as a
    duplicate, losing a year)."""
    from xlgoals import consolidate, fill

    doc = json.loads(sorted((Path(__file__).parent.parent / "examples" / folder).glob("*.json"))[1]
                     .read_text(encoding="utf-8"))
    src = tmp_path / "收到"
    src.mkdir()
    fill(doc, src / "本年.xlsx")
    fill({**doc, "year": doc["year"] - 1}, src / "上年.xlsx")
    result = consolidate(src, tmp_path / "s.xlsx", include_invalid=True)
    assert len(result.records) == 2 and not [r for r in result.records if r.duplicate], \
        [(r.path, r.note) for r in result.records]


def test_summary_chart_value_axis_starts_at_zero(tmp_path):
    """The 汇总 chart's bars are budgets: its value axis starts at 0, or a client that chooses it (LibreOffice;
    Excel when the amounts are close) starts near the smallest bar and small differences look large."""
    import re
    import zipfile

    out = tmp_path / "汇总.xlsx"
    consolidate([EXAMPLE_XLSX[0].parent], out, jobs=1)
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    value_axis = re.search(r"<c:valAx>.*?</c:valAx>", xml, re.S).group(0)
    assert '<c:min val="0"/>' in value_axis


def test_the_frameworks_optional_columns_are_consolidated(tmp_path):
    """A national-2021 return's 分值 and 指标值设定依据 (the framework's optional columns) are in the summary's
    绩效指标 sheet, its CSV and its JSON: consolidating loses none of what the departments wrote."""
    import csv
    import json

    from xlgoals import fill

    doc = load(EXAMPLES / "national-2021" / "目标表.json")
    doc["indicators"][0].update(weight=12.5, basis="依据《某某管理办法》第五条")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    fill(doc, inbox / "目标表.xlsx")
    out = tmp_path / "汇总.xlsx"
    consolidate([inbox], out, jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "汇总.json")
    ws = openpyxl.load_workbook(out)["绩效指标"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r and "三级指标" in r)
    first = next(r for r in rows if r and r[4] == doc["indicators"][0]["name"])
    assert first[header.index("分值")] == 12.5
    assert first[header.index("指标值设定依据")] == "依据《某某管理办法》第五条"
    with (tmp_path / "csv" / "绩效指标.csv").open(encoding="utf-8-sig") as fh:
        table = list(csv.DictReader(fh))
    assert table[0]["分值"] == "12.5" and table[0]["指标值设定依据"] == "依据《某某管理办法》第五条"
    summary = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    assert "依据《某某管理办法》第五条" in json.dumps(summary, ensure_ascii=False)


def test_the_json_summary_carries_the_exact_totals(tmp_path):
    """A script reading consolidate --json gets each 合计 row's sums (as the workbook's SUMs carry them), exact, by
    column title: it need not add the amounts up itself, nor in binary floats."""
    import decimal

    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"), parse_float=decimal.Decimal)
    summary = data["summary"]
    assert summary["totals"] == {"项目数": 5, "项目总预算（元）": SEED_TOTAL, "项目当年预算（元）": SEED_TOTAL,
                                 "未通过校验的申报数": 0}
    column = summary["columns"].index("项目总预算（元）")
    assert summary["totals"]["项目总预算（元）"] == sum(row[column] for row in summary["rows"])
    assert "totals" not in data["indicators"]  # a table without a 合计 row has none
    se = consolidate([EXAMPLES / "self-evaluation"], tmp_path / "se.xlsx", jobs=1, json_path=tmp_path / "se.json")
    se_data = json.loads((tmp_path / "se.json").read_text(encoding="utf-8"))
    assert se.output and se_data["summary"].get("totals") and se_data["form"] == "self-evaluation"


@pytest.mark.parametrize("jobs", [1, 2])
def test_workers_spool_to_their_own_files_and_leave_none(mixed, tmp_path, monkeypatch, jobs):
    """Each worker appends its records and rows to a file of its own (they never cross the pipe); after the run
    no such file or folder is left in the temporary folder, nor after a run that fails, and every record and row
    reads back from them."""
    import tempfile

    import xlgoals._consolidate._collect as collect_mod

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen_dirs = []
    real = collect_mod.Spool.worker_dir

    def worker_dir(self):
        seen_dirs.append(real(self))
        return seen_dirs[-1]

    monkeypatch.setattr(collect_mod.Spool, "worker_dir", worker_dir)
    result = consolidate([mixed], tmp_path / "s.xlsx", jobs=jobs, csv_dir=tmp_path / "csv")
    assert seen_dirs and not any(os.path.exists(d) for d in seen_dirs)
    assert list(scratch.iterdir()) == []
    # the records were written by the workers (their sources are files other than the main process's)
    assert any(s.src for s in result.records.slots)
    assert sorted(r.path for r in result.records) == sorted(str(p) for p in mixed.glob("*.xlsx"))
    counted = sum(r.n_items for r in result.records if r.included)
    assert counted == len(_rows(openpyxl.load_workbook(tmp_path / "s.xlsx")["绩效指标"]))
    with open(tmp_path / "csv" / "绩效指标.csv", encoding="utf-8-sig") as fh:
        assert sum(1 for _ in csv.reader(fh)) == counted + 1
    result.records.spool.close()

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(collect_mod, "decide_duplicates", boom)
    with pytest.raises(KeyboardInterrupt):
        consolidate([mixed], tmp_path / "t.xlsx", jobs=jobs)
    assert list(scratch.iterdir()) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_met_by_a_worker_is_the_runs_error_not_the_returns(mixed, tmp_path, monkeypatch, jobs):
    """A worker that cannot write its spool file (the disk is full) does not report the return it read as
    unreadable, file after file: the run stops with the reason, as for any file that cannot be written, and no
    summary is written."""
    import errno

    import xlgoals._consolidate._collect as collect_mod

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(collect_mod, "open", full, raising=False)  # the workers' open (forked: it carries over)
    from xlgoals import XlgoalsError

    out = tmp_path / "s.xlsx"
    with pytest.raises(XlgoalsError) as caught:  # naming the summary asked for, as an output that cannot be written
        consolidate([mixed], out, jobs=jobs)
    assert caught.value.errno == errno.ENOSPC and str(out) in str(caught.value) and not out.exists()
    result = cli("consolidate", mixed, "-o", out, "--jobs", str(jobs))
    assert result.exit_code == 1 and "磁盘空间不足" in result.stderr and "Traceback" not in result.stderr
    assert str(out) in result.stderr and "xlgoals-spool" not in result.stderr, result.stderr
    assert not out.exists()


def test_a_spool_folder_a_killed_run_left_is_removed_by_the_next(tmp_path, monkeypatch):
    """A consolidate run killed outright (SIGTERM from a scheduler's time limit, kill -9) runs no clean-up: the
    workers' spool folder stayed in the temporary folder, a quarter of a megabyte for every hundred returns, run
    after run.  The next run removes it (its process is gone); a live run's folder is left alone."""
    import signal
    import subprocess
    import sys
    import tempfile
    import time

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(60):
        for f in (EXAMPLES / "returns").glob("*.xlsx"):
            shutil.copy(f, inbox / f"{i}-{f.name}")
    env = dict(os.environ, TMPDIR=str(scratch), PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    run = subprocess.Popen([sys.executable, "-m", "xlgoals", "consolidate", str(inbox), "-o", str(tmp_path / "k.xlsx"),
                            "--jobs", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not any(d.is_dir() and any(d.iterdir()) for d in scratch.iterdir()):  # a worker has spooled a return
            assert run.poll() is None, "the run ended before it could be killed"
            time.sleep(0.01)
    finally:
        run.send_signal(signal.SIGKILL)
        run.wait()
    time.sleep(0.5)  # its workers see the pipe close and end
    left = [d for d in scratch.iterdir() if d.name.startswith("xlgoals-spool-")]
    assert left and any(d.iterdir() for d in left)
    alive = tempfile.mkdtemp(prefix=f"xlgoals-spool-{os.getppid()}-", dir=scratch)  # a live process's: kept
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    result = consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=2)
    result.records.spool.close()
    assert [p.name for p in scratch.iterdir()] == [Path(alive).name]


def _consolidate_in_a_daemon(inbox, out, csv_dir, spare_handles):
    import resource

    used = len(os.listdir("/proc/self/fd"))
    resource.setrlimit(resource.RLIMIT_NOFILE, (used + spare_handles, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    result = consolidate([inbox], out, jobs=2, csv_dir=csv_dir)
    result.records.spool.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and fork")
def test_a_run_in_a_daemon_holds_a_few_spool_files_open_however_many_returns(mixed, tmp_path):
    """In a daemon process (a task queue's worker) each return is read in a child of its own, and each child
    spooled to a file of its own, all held open: past the process's file handles (1024 by default) the run
    failed with "打开的文件过多" (too many open files).  The same is true of a batch whose workers are replaced
    again and again (crashes, timeouts).  The summary is the same as a run's outside a daemon."""
    import multiprocessing

    inbox = tmp_path / "inbox"
    for i in range(20):
        shutil.copytree(mixed, inbox / f"batch{i}")
    assert len(list(inbox.rglob("*.xlsx"))) > 150
    run = multiprocessing.get_context("fork").Process(
        target=_consolidate_in_a_daemon, args=(inbox, tmp_path / "d.xlsx", tmp_path / "d-csv", 120), daemon=True)
    run.start()
    run.join(300)
    assert run.exitcode == 0
    consolidate([inbox], tmp_path / "p.xlsx", jobs=2, csv_dir=tmp_path / "p-csv").records.spool.close()
    made, plain = openpyxl.load_workbook(tmp_path / "d.xlsx"), openpyxl.load_workbook(tmp_path / "p.xlsx")
    for name in ("汇总", "绩效指标", "校验结果"):
        assert _rows(made[name]) == _rows(plain[name]), name
    assert sorted(p.name for p in (tmp_path / "d-csv").iterdir()) == sorted(p.name for p in (tmp_path / "p-csv").iterdir())
    for f in (tmp_path / "p-csv").iterdir():
        assert (tmp_path / "d-csv" / f.name).read_bytes() == f.read_bytes(), f.name


def test_the_summary_is_deflated_on_no_more_threads_than_cores(mixed, tmp_path, monkeypatch):
    """--jobs beyond the cores reads with that many workers, but the long sheet is compressed on as many threads
    as there are cores (each holds chunks of a megabyte waiting)."""
    import xlgoals._consolidate._render as render_mod
    import xlgoals._parallel as parallel_mod

    asked = []
    real = render_mod.splice_rows

    def splice_rows(*a, threads=1, **k):
        asked.append(threads)
        return real(*a, threads=threads, **k)

    monkeypatch.setattr(render_mod, "splice_rows", splice_rows)
    monkeypatch.setattr(parallel_mod, "default_jobs", lambda: 3)
    consolidate([mixed], tmp_path / "a.xlsx", jobs=8)
    consolidate([mixed], tmp_path / "b.xlsx", jobs=2)
    assert asked == [3, 2]
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_each_summary_names_its_amounts_in_its_totals_line():
    """The line on the totals names each form's amounts one way (UnitProjectSummary.amounts_line over the form's
    declared ``amounts``), exactly to the fen, in Chinese and in English; the monitoring report's puts them
    after its months and before its progress marks."""
    from decimal import Decimal

    from xlgoals._consolidate._tables import GoalTableSummary
    from xlgoals._monitor._summary import MonitoringSummary
    from xlgoals._selfeval._summary import SelfEvaluationSummary

    common = {"files": 2, "units": 1, "projects": 2, "invalid": 0, "duplicates": 0, "skipped": 0, "ignored": 0}
    goal = {**common, "total": Decimal("62800000.01"), "current_year": Decimal("1234.5")}
    assert "；项目总预算合计 62,800,000.01 元，当年预算合计 1,234.50 元；未通过" in GoalTableSummary.describe(goal)
    assert "counted; total budget 62,800,000.01 yuan, current year's budget 1,234.50 yuan; 0 failed" in \
        GoalTableSummary.describe(goal, "en")
    se = {**common, "full_year_budget": Decimal("10"), "executed": Decimal("9.99")}
    assert "；全年预算数合计 10.00 元，全年执行数合计 9.99 元；" in SelfEvaluationSummary.describe(se)
    assert "; full-year budget 10.00 yuan, executed 9.99 yuan; " in SelfEvaluationSummary.describe(se, "en")
    mon = {**common, "full_year_budget": Decimal("10"), "executed_to_date": Decimal("0.5"), "months": [6],
           "marks": {}, "project_marks": {}, "risky_projects": 0, "risky_indicators": 0}
    assert "计入 2 个项目（1-6月）；全年预算数合计 10.00 元，执行数合计 0.50 元；单位进度标识：" in MonitoringSummary.describe(mon)
    assert "counted (months 1-6); full-year budget 10.00 yuan, executed 0.50 yuan; units' progress marks" in \
        MonitoringSummary.describe(mon, "en")


def test_the_csv_folder_holds_the_tables_of_this_run_only(tmp_path):
    # yesterday's 审核.csv (a run with --review) left beside today's tables: a system that loads the folder took it
    # for today's.  Tables this form's earlier run wrote (as recorded in the folder) and this run does not write go;
    # another form's tables stay (goal tables and self-evaluations summarised into one folder: test_retire), and so
    # does a department's file under a table's name, which xlgoals did not write.
    csv_dir = tmp_path / "csv"
    record = ".xlgoals_tables.json"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    assert {"审核.csv", "审核（按单位）.csv"} <= {p.name for p in csv_dir.iterdir()}
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir)
    goal = {p.name for p in csv_dir.iterdir()} - {record}
    assert goal == {"汇总.csv", "项目清单.csv", "绩效指标.csv", "分类统计.csv", "校验结果.csv"}, goal
    consolidate([EXAMPLES / "self-evaluation"], tmp_path / "se.xlsx", jobs=1, csv_dir=csv_dir)
    se = {p.name for p in csv_dir.iterdir()} - {record}
    assert se == goal | {"自评汇总.csv", "项目得分.csv", "指标完成.csv", "偏差清单.csv"}, se
    own = csv_dir / "审核.csv"
    own.write_text("单位自己的表\n", encoding="utf-8")
    (csv_dir / "说明.txt").write_text("说明\n", encoding="utf-8")
    consolidate([EXAMPLES / "self-evaluation"], tmp_path / "se.xlsx", jobs=1, csv_dir=csv_dir)
    assert own.read_text(encoding="utf-8") == "单位自己的表\n" and (csv_dir / "说明.txt").exists()


def test_a_stale_table_removed_is_never_an_output_of_this_run(tmp_path):
    # yesterday's 审核.csv is retired, but this run writes its JSON there (--json 审核.csv, replacing a table xlgoals
    # wrote): the JSON was committed, then removed as the stale table, and the run said it had written it
    # now a JSON output named .csv is refused before anything is read (test_output_names_counts): nothing goes
    csv_dir = tmp_path / "csv"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    before = {p.name: p.read_bytes() for p in csv_dir.iterdir()}
    with pytest.raises(UsageError):
        consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir,
                    json_path=csv_dir / "审核.csv")
    assert {p.name: p.read_bytes() for p in csv_dir.iterdir()} == before


def test_a_table_at_a_link_to_a_stale_table_stays(tmp_path):
    # 汇总.csv is a link to yesterday's 审核.csv (a clerk's shortcut): today's 汇总 was written into the file the link
    # points to, which then went as a stale 审核 table, leaving the link dangling and no 汇总 table.  An output is
    # never written through a link: the link is replaced by today's 汇总 table
    csv_dir = tmp_path / "csv"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    (csv_dir / "汇总.csv").unlink()
    (csv_dir / "汇总.csv").symlink_to("审核.csv")
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, force=True)
    assert not (csv_dir / "汇总.csv").is_symlink()
    assert (csv_dir / "汇总.csv").read_text(encoding="utf-8-sig").startswith("序号,申报单位")


def test_a_stale_table_another_run_wrote_again_meanwhile_stays(tmp_path, monkeypatch):
    # two clerks' runs into one folder: this one (no --review) found yesterday's 审核.csv, then the other run (with
    # --review) committed today's 审核.csv before this one finished; this run removed the other's fresh table
    from xlgoals import _atomic

    csv_dir = tmp_path / "csv"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    fresh = csv_dir / "审核.csv"
    today = fresh.read_bytes() + b"\r\n"  # the other run's table: other bytes
    retire = _atomic.Outputs.retire

    def retire_then_other_run_commits(self, target):
        retire(self, target)
        if Path(target).name == "审核.csv":
            (csv_dir / "other.part").write_bytes(today)
            os.replace(csv_dir / "other.part", fresh)

    monkeypatch.setattr(_atomic.Outputs, "retire", retire_then_other_run_commits)
    consolidate([EXAMPLES / "returns"], tmp_path / "s2.xlsx", jobs=1, csv_dir=csv_dir)
    assert fresh.read_bytes() == today
    assert not (csv_dir / "审核（按单位）.csv").exists()  # yesterday's, which no run wrote again, goes
