"""consolidate's outputs as a clerk or an analyst meets them: one unit row per unit however its name is spelt, notes
that say what was written, the --csv record never written through a link nor counted as a dropping, full-width
output names, counts that add up under --include-invalid, an empty folder said, and each output folder's file opened
once."""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate, fill
from xlgoals._errors import UsageError
from xlgoals._text import in_lang, reason_of

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, cli, load
from .helpers import files_under, ooxml_errors

HEADING = 2  # 汇总's title and dateline, above its column headers


def _sheet_rows(path: Path, sheet: str) -> list[list]:
    ws = openpyxl.load_workbook(path)[sheet]
    first = 2 + (HEADING if sheet.endswith("汇总") else 0)  # every form's summary sheet has a title and a dateline
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def _returns(folder: Path, projects) -> Path:
    """One goal table per (unit, project, amount) in `folder`: 总预算 and 当年预算 both the amount."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = load(EXAMPLE_JSON[1])
    for i, (unit, project, amount) in enumerate(projects):
        doc["unit"], doc["project"]["name"] = unit, project
        doc["budget"].update(total=amount, current_year=amount)
        fill(doc, folder / f"{i:02d}.xlsx")
    return folder


# 1. A unit spelt two ways is one unit row ------------------------------------------------------------------------
def test_a_unit_spelt_two_ways_is_one_row_named_by_its_most_frequent_spelling(tmp_path):
    """Duplicates are matched by name_key (no spaces, every bracket form alike, case folded): so are the units of
    the summary.  Two returns of 上海市就业促进中心 and one of 上海市 就业促进中心 are one unit row, named as most
    returns spell it; 某局(机关) and 某局【机关】, once each, are one, named by the first in code-point order.  The
    totals stay exact; 分类统计 has one scope per unit; the JSON says the same."""
    d = _returns(tmp_path / "in", [("上海市就业促进中心", "甲项目", 100.10), ("上海市 就业促进中心", "乙项目", 200.20),
                                   ("上海市就业促进中心", "丙项目", 300.30), ("某局【机关】", "丁项目", 1.01),
                                   ("某局(机关)", "戊项目", 2.02)])
    out = tmp_path / "s.xlsx"
    result = consolidate([d], out, jobs=1, include_invalid=True, json_path=tmp_path / "s.json")
    rows = [r for r in _sheet_rows(out, "汇总") if isinstance(r[0], int)]
    assert [r[1:5] for r in rows] == [["某局(机关)", 2, 3.03, 3.03], ["上海市就业促进中心", 3, 600.6, 600.6]], rows
    assert result.totals["units"] == 2 and result.totals["total"] == Decimal("603.63"), result.totals
    scopes = {r[0] for r in _sheet_rows(out, "分类统计")}
    assert scopes == {"全部", "上海市就业促进中心", "某局(机关)"}, scopes
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["summary"]["rows"]
    # the CSV's and JSON's 汇总 have 预算年度 third, on a night of one year too
    assert [(r[1], r[2], r[3], r[4]) for r in summary] == [("某局(机关)", 2020, 2, 3.03),
                                                           ("上海市就业促进中心", 2020, 3, 600.6)], summary
    # a unit's returns are listed together in 项目清单, as its row groups them, then by project name in pinyin order,
    # as the units are (丙 甲 乙: bing, jia, yi; no longer code-point order, 丙 乙 甲)
    listed = [(r[1].replace(" ", ""), r[2]) for r in _sheet_rows(out, "项目清单") if isinstance(r[0], int)]
    assert listed == [("某局【机关】", "丁项目"), ("某局(机关)", "戊项目"), ("上海市就业促进中心", "丙项目"),
                      ("上海市就业促进中心", "甲项目"), ("上海市就业促进中心", "乙项目")], listed


# 2. The note on amounts beyond 15 digits says what was written ----------------------------------------------------
def _digit_notes(path: Path, sheet: str) -> list[str]:
    ws = openpyxl.load_workbook(path)[sheet]
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "15 位" in c.value]


@pytest.fixture
def large(tmp_path):
    """Two returns of 6,172,839,450,617.28 元: their total, 12,345,678,901,234.56 元, has 16 digits."""
    return _returns(tmp_path / "in", [("某单位", f"大额项目{i}", 6172839450617.28) for i in range(2)])


def test_the_digits_note_without_csv_or_json_says_how_to_get_the_exact_amounts(tmp_path, large):
    consolidate([large], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    (note,) = _digit_notes(tmp_path / "s.xlsx", "汇总")
    assert "12,345,678,901,234.56" in note, note
    assert "见 CSV" not in note and "输出中也是" not in note, note  # neither was written
    assert "--csv" in note and "--json" in note, note


@pytest.mark.parametrize("given, said, unsaid", [("csv", "CSV", "JSON"), ("json", "JSON", "CSV")])
def test_the_digits_note_names_only_the_output_written(tmp_path, large, given, said, unsaid):
    kw = {"csv_dir": tmp_path / "csv"} if given == "csv" else {"json_path": tmp_path / "s.json"}
    consolidate([large], tmp_path / "s.xlsx", jobs=1, include_invalid=True, **kw)
    (note,) = _digit_notes(tmp_path / "s.xlsx", "汇总")
    assert said in note and unsaid not in note and "--" not in note, note


def test_a_spliced_table_with_an_amount_beyond_15_digits_has_the_note_below_its_rows(tmp_path):
    """A large table's rows are spliced into its sheet: an amount there beyond 15 significant digits is said below
    them too, and the workbook stays valid."""
    from xlgoals._atomic import Outputs
    from xlgoals._consolidate._render import RENDERERS
    from xlgoals._consolidate._table import Col, Table

    rows = [[1, "甲", Decimal("12345678901234.56")], [2, "乙", Decimal("1.5")]]
    table = Table("项目清单", "projects", [Col("序号", 5), Col("单位", 10), Col("金额", 18, "money")],
                  lambda: iter(rows), len(rows), splice=True)
    out = tmp_path / "s.xlsx"
    with Outputs() as outputs:
        RENDERERS["xlsx"]([table], {}, out, outputs)
    notes = _digit_notes(out, "项目清单")
    assert len(notes) == 1 and "1 行" in notes[0] and "--csv" in notes[0], notes
    ws = openpyxl.load_workbook(out)["项目清单"]
    at = next(c.row for row in ws.iter_rows() for c in row if c.value == notes[0])
    assert at == 5  # below the two rows (header in row 1), a blank row between
    assert f"A{at}:C{at}" in {str(r) for r in ws.merged_cells.ranges}  # across the printed columns, as _note puts it
    assert ws.auto_filter.ref == "A1:C3", ws.auto_filter.ref
    assert ooxml_errors(out) == []


# 3. The --csv record as a link --------------------------------------------------------------------------------------
def test_a_csv_record_that_is_a_link_is_replaced_never_written_through(tmp_path):
    """.xlgoals_tables.json is xlgoals's own name: a link there (to another folder's record) is replaced by the run's
    record, and the file it pointed to is left as it was."""
    ones = EXAMPLE_XLSX[:2]
    other = tmp_path / "other"
    assert consolidate(ones, tmp_path / "o.xlsx", jobs=1, csv_dir=other).totals["files"] == 2
    theirs = other / ".xlgoals_tables.json"
    before = theirs.read_bytes()
    mine = tmp_path / "csv"
    mine.mkdir()
    (mine / ".xlgoals_tables.json").symlink_to(theirs)
    consolidate(EXAMPLE_XLSX[:1], tmp_path / "s.xlsx", jobs=1, csv_dir=mine)
    assert theirs.read_bytes() == before
    record = mine / ".xlgoals_tables.json"
    assert not record.is_symlink() and record.is_file()
    assert set(json.loads(record.read_text(encoding="utf-8"))["tables"]) >= {"汇总.csv", "项目清单.csv"}


# 4. The --csv record in the inbox is no ignored dropping ------------------------------------------------------------
def test_the_csv_record_left_in_the_inbox_is_said_as_xlgoals_own_not_as_a_system_file(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    for p in EXAMPLE_XLSX[:2]:
        (d / p.name).write_bytes(p.read_bytes())
    consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=d / "tables")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)  # a later run without --csv
    record = os.fspath(d / "tables" / ".xlgoals_tables.json")
    assert result.totals["ignored"] == 0, result.totals
    assert record in result.skipped and "CSV" in result.skipped[record][0], result.skipped
    # a hidden file of another name is still said, as before
    (d / ".note.json").write_text("{}", encoding="utf-8")
    again = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    assert again.totals["ignored"] == 1 and record in again.skipped


def test_a_file_named_as_the_record_that_xlgoals_did_not_write_is_not_passed_over(tmp_path):
    d = tmp_path / "in"
    (d / "tables").mkdir(parents=True)
    (d / EXAMPLE_XLSX[0].name).write_bytes(EXAMPLE_XLSX[0].read_bytes())
    (d / "tables" / ".xlgoals_tables.json").write_text('{"mine": 1}', encoding="utf-8")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    record = os.fspath(d / "tables" / ".xlgoals_tables.json")
    assert record not in result.skipped and result.totals["ignored"] == 1, (result.skipped, result.totals)


# 5. A full-width suffix on --json ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["j．ＪＳＯＮ", "j.ｊｓｏｎ", "j．json"])
def test_a_json_name_typed_full_width_is_refused_naming_the_plain_one(tmp_path, name):
    result = cli("consolidate", EXAMPLE_XLSX[0], "-o", tmp_path / "s.xlsx", "--json", tmp_path / name)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：") and "j.json" in result.stderr and "全角" in result.stderr, result.stderr
    assert files_under(tmp_path) == []
    with pytest.raises(UsageError) as err:
        consolidate([EXAMPLE_XLSX[0]], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / name)
    assert "j.json" in in_lang(reason_of(err.value), "zh")
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("name, plain", [("r．ＪＳＯＮ", "r.json"), ("r.ｃｓｖ", "r.csv"), ("r．csv", "r.csv")])
@pytest.mark.parametrize("fmt", [(), ("--format", "json"), ("--format", "csv")])
def test_a_validate_report_named_full_width_is_refused_as_the_json_outputs_are(tmp_path, name, plain, fmt):
    """validate -o: a .json or .csv typed full-width, with or without --format, is refused naming the half-width
    name (it was written under the full-width one), as read -o and consolidate --json refuse it."""
    result = cli("validate", EXAMPLE_XLSX[0], "-o", tmp_path / name, *fmt)
    assert result.exit_code == 2, result.output
    assert files_under(tmp_path) == []
    if not fmt or fmt[1] == plain[-4:]:  # (another --format is refused for contradicting the name, as before)
        assert plain in result.stderr and "全角" in result.stderr, result.stderr


# 6. A failing duplicate under --include-invalid ---------------------------------------------------------------------
def test_a_failing_duplicate_under_include_invalid_is_counted_once_as_a_duplicate(tmp_path):
    """With --include-invalid failing returns are counted: one that repeats a project is left out as a duplicate,
    not as failed, and the counts add up to the files."""
    d = tmp_path / "in"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    fill(doc, d / "a.xlsx")
    bad = json.loads(json.dumps(doc))
    bad["budget"]["current_year"] = bad["budget"]["total"] + 1  # fails rule.current_le_total
    fill(bad, d / "b_again.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, json_path=tmp_path / "s.json")
    counts = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["counts"]
    assert counts["duplicates"] == 1 and counts["failed_not_counted"] == 0 and counts["counted"] == 1, counts
    assert counts["counted"] + counts["failed_not_counted"] + counts["duplicates"] == counts["files"] == 2
    assert result.counts == counts
    assert "重复申报 1 个" in result.describe() and "未通过或无法读取 0 个" in result.describe(), result.describe()
    # without it, the failing duplicate is failed (it would not count anyway)
    plain = consolidate([d], tmp_path / "p.xlsx", jobs=1).counts
    assert plain["failed_not_counted"] == 1 and plain["duplicates"] == 0, plain


# 7. An empty folder ---------------------------------------------------------------------------------------------------
def test_consolidating_a_folder_with_no_workbook_says_so_and_exits_1(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "说明.txt").write_text("说明", encoding="utf-8")
    result = cli("consolidate", d, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1, result.output
    assert "没有找到" in result.stderr and "工作簿" in result.stderr, result.stderr
    # the line says the files not checked are listed below (见下): so they are, not above it
    lines = result.stderr.splitlines()
    said = next(i for i, line in enumerate(lines) if "没有找到" in line)
    assert "见下" in lines[said] and any("说明.txt" in line for line in lines[said + 1:]), lines
    assert (tmp_path / "s.xlsx").exists()  # the (empty) summary, as the library gives it
    en = cli("--lang", "en", "consolidate", d, "-o", tmp_path / "e.xlsx")
    assert en.exit_code == 1 and "no workbook" in en.stderr.lower(), en.stderr
    lines = en.stderr.splitlines()
    said = next(i for i, line in enumerate(lines) if "no workbook" in line.lower())
    assert "listed below" in lines[said] and any("说明.txt" in line for line in lines[said + 1:]), lines
    ok = cli("consolidate", EXAMPLE_XLSX[0], "-o", tmp_path / "t.xlsx")
    assert ok.exit_code == 0 and "没有找到" not in ok.stderr


# 8. The duplicate line on the command line ---------------------------------------------------------------------------
def test_the_duplicate_line_is_made_from_the_duplicate_not_cut_from_its_note(tmp_path):
    from xlgoals._consolidate import ConsolidationResult

    d = tmp_path / "in"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    fill(doc, d / "a.xlsx")
    doc["unit"] = doc["unit"] + " "  # spelt differently: said
    fill(doc, d / "b.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    (dup,) = [r for r in result.records if r.duplicate]
    (line,) = result.duplicate_lines()
    assert line.startswith("重复申报（") and "重复申报" not in line[4:], line
    assert "为准" in line and os.path.basename(dup.path) in line, line
    # a note worded otherwise (a future wording, another language's) does not garble the line
    dup.note = "另一种说法"
    fake = ConsolidationResult(records=[dup], skipped={}, output=tmp_path / "s.xlsx", totals=result.totals)
    (again,) = fake.duplicate_lines()
    assert again == line, (again, line)


# 9. Each file of an output folder in the inbox is opened once a run --------------------------------------------------
def test_an_output_folder_in_the_inbox_has_each_file_opened_once(tmp_path, monkeypatch):
    """Yesterday's --csv tables in the inbox are known as xlgoals's by their first bytes: read once a run (the checks
    before reading and the scan that collects the returns looked at each three times)."""
    import builtins

    from xlgoals import _paths

    d = tmp_path / "in"
    d.mkdir()
    for p in EXAMPLE_XLSX[:2]:
        (d / p.name).write_bytes(p.read_bytes())
    consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=d / "tables")
    seen: list = []

    def counted(path, *args, **kw):
        seen.append(os.fspath(path))
        return builtins.open(path, *args, **kw)

    monkeypatch.setattr(_paths, "open", counted, raising=False)
    yesterdays = {os.fspath(p) for p in (d / "tables").iterdir()}
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=d / "tables")
    in_tables = [p for p in seen if os.path.dirname(p) == os.fspath(d / "tables")]
    assert len(in_tables) >= 6 and len(in_tables) == len(set(in_tables)), sorted(in_tables)
    # listed as the run's outputs (the files found add up), not counted as returns nor ignored
    assert result.totals["files"] == 2 and result.totals["ignored"] == 0
    assert result.skipped == {p: _paths.SKIP_OUTPUT for p in yesterdays}, result.skipped


@pytest.mark.parametrize("folder, sheet", [("self-evaluation", "自评汇总"), ("monitoring", "监控汇总")])
def test_every_forms_summary_has_one_row_for_a_unit_spelt_two_ways(tmp_path, folder, sheet):
    """Self-evaluations and monitoring reports are grouped by unit as goal tables are."""
    from .conftest import EXAMPLES

    d = tmp_path / "in"
    d.mkdir()
    sources = sorted((EXAMPLES / folder).glob("*.json"))[:3]
    for i, src in enumerate(sources):
        doc = load(src)
        doc["unit"] = "某局【机关】" if i == 0 else "某局(机关)"
        fill(doc, d / f"{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert result.totals["units"] == 1, result.totals
    units = [r[1] for r in _sheet_rows(tmp_path / "s.xlsx", sheet) if isinstance(r[0], int)]
    assert units == ["某局(机关)"], units
