"""The bureau's output files: a name's extension says its format (a JSON document is never written under a .csv
name), a pasted name's trailing space does not hide the extension, and the counts a consolidation prints and
writes add up to the files found."""

import json
import re

import openpyxl
import pytest

from xlgoals import consolidate
from xlgoals._errors import UsageError
from xlgoals._text import in_lang, reason_of

from .conftest import EXAMPLES, cli
from .helpers import files_under, one_line
from .test_consolidate import mixed  # noqa: F401  (the fixture: valid, invalid, duplicate, unreadable returns)

RETURNS = EXAMPLES / "returns"
ONE = sorted(RETURNS.glob("*.xlsx"))[0]


# 1. An output's extension says its format ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["x.csv", "x.CSV", "x.ｃｓｖ"])
def test_read_refuses_a_csv_name_for_its_json(tmp_path, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    result = cli("read", ONE, "-o", out)
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith("错误：") and "-o" in line and ".json" in line and "CSV" in line, line
    assert files_under(out.parent) == []


def test_consolidate_refuses_a_csv_name_for_its_json(tmp_path):
    result = cli("consolidate", RETURNS, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.csv")
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith("错误：") and "--json" in line and ".json" in line and "--csv" in line, line
    assert files_under(tmp_path) == []


def test_the_library_refuses_a_csv_name_for_the_json_too(tmp_path):
    with pytest.raises(UsageError) as err:
        consolidate([RETURNS], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.csv")
    zh = in_lang(reason_of(err.value), "zh")
    assert "json_path=" in zh and ".json" in zh and "csv_dir=" in zh, zh
    assert files_under(tmp_path) == []


def test_names_that_say_json_or_nothing_are_still_written(tmp_path):
    assert cli("read", ONE, "-o", tmp_path / "d.json").exit_code == 0
    assert cli("read", ONE, "-o", tmp_path / "d.txt").exit_code == 0
    assert json.loads((tmp_path / "d.txt").read_text(encoding="utf-8"))["unit"]
    r = cli("consolidate", RETURNS, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json")
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["form"] == "goal-table"


# 2. A pasted name's trailing whitespace ------------------------------------------------------------------------
@pytest.mark.parametrize("tail", [" ", "\t", "\u3000", "  "])
def test_validate_o_with_a_trailing_space_writes_the_csv_its_name_says(tmp_path, tail):
    result = cli("validate", RETURNS, "-o", f"{tmp_path / 'r.csv'}{tail}")
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].count(",") >= 5  # a CSV table, not the text report
    assert "末尾的空白" in result.stderr and "r.csv" in result.stderr  # said, in Chinese


def test_read_o_with_a_trailing_space_is_held_to_its_extension(tmp_path):
    result = cli("read", ONE, "-o", f"{tmp_path / 'x.csv'} ")
    assert result.exit_code == 2, result.output
    assert files_under(tmp_path) == []


def test_consolidate_csv_and_json_with_trailing_spaces(tmp_path):
    result = cli("consolidate", RETURNS, "-o", f"{tmp_path / 's.xlsx'} ", "--json", f"{tmp_path / 's.json'} ",
                 "--csv", f"{tmp_path / 'csv'} ")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["csv", "s.json", "s.xlsx"]


def test_the_library_is_not_fooled_by_a_trailing_space(tmp_path):
    with pytest.raises(UsageError):
        consolidate([RETURNS], tmp_path / "s.xlsx", jobs=1, json_path=f"{tmp_path / 's.csv'} ")
    assert files_under(tmp_path) == []


# 3. The counts add up ------------------------------------------------------------------------------------------
def _numbers(pattern: str, text: str) -> int:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return int(m.group(1))


def _note_counts(ws):
    """A summary sheet's note (共读取 …): files, counted, failed (not counted), duplicates, and the note itself."""
    note = next(c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)
                and c.value.startswith("共读取"))
    return (_numbers(r"共读取 (\d+) 个文件", note), _numbers(r"计入汇总 (\d+) 个项目", note),
            _numbers(r"未通过校验或无法读取(?:而未计入)? (\d+) 个", note), _numbers(r"重复申报 (\d+) 个", note), note)


@pytest.mark.parametrize("include", [False, True])
def test_the_terminal_line_adds_up_to_the_files(mixed, tmp_path, include):  # noqa: F811
    result = cli("consolidate", mixed, "-o", tmp_path / "s.xlsx", *(["--include-invalid"] if include else []))
    assert result.exit_code == 0, result.output
    line = result.stdout.splitlines()[1]
    files = _numbers(r"共 (\d+) 个文件", line)
    counted = _numbers(r"计入 (\d+) 个项目", line)
    failed = _numbers(r"未通过或无法读取(?:而未计入)? (\d+) 个", line)
    dups = _numbers(r"重复申报 (\d+) 个", line)
    assert files == 10 and counted + failed + dups == files, line
    if include:
        assert _numbers(r"其中 (\d+) 个未通过校验", line) == 1, line
    en = cli("consolidate", mixed, "-o", tmp_path / "s.xlsx", "--lang", "en",
             *(["--include-invalid"] if include else [])).stdout.splitlines()[1]
    files_en = _numbers(r"^(\d+) files", en)
    counted_en = _numbers(r"(\d+) projects? counted", en)
    failed_en = _numbers(r"(\d+) failed or unreadable", en)
    dups_en = _numbers(r"(\d+) duplicates? \(not counted\)", en)
    assert files_en == 10 and counted_en + failed_en + dups_en == files_en, en


@pytest.mark.parametrize("include", [False, True])
def test_the_workbook_and_json_add_up_to_the_files(mixed, tmp_path, include):  # noqa: F811
    out = tmp_path / "s.xlsx"
    result = consolidate([mixed], out, jobs=1, include_invalid=include, json_path=tmp_path / "s.json")
    t = result.totals
    assert t["projects"] + t["invalid"] - t["invalid_included"] + t["duplicates"] == t["files"] == 10
    assert t["invalid_included"] == (1 if include else 0)
    files, counted, failed, dups, note = _note_counts(openpyxl.load_workbook(out)["汇总"])
    assert files == 10 and counted + failed + dups == files, note
    counts = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["counts"]
    assert counts["files"] == 10
    assert counts["counted"] + counts["failed_not_counted"] + counts["duplicates"] == counts["files"], counts
    assert counts["counted_failing"] == (1 if include else 0) and counts["skipped"] == 1


def test_a_self_evaluation_summary_s_note_counts_its_duplicates(tmp_path):
    import shutil

    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))
    d = tmp_path / "in"
    d.mkdir()
    for p in src:
        shutil.copy(p, d / p.name)
    shutil.copy(src[0], d / "again.xlsx")
    out = tmp_path / "s.xlsx"
    consolidate([d], out, jobs=1)
    files, counted, failed, dups, note = _note_counts(openpyxl.load_workbook(out).worksheets[0])
    assert files == len(src) + 1 and counted + failed + dups == files, note


# 5. Duplicates by the canonical key, the files that collide named ----------------------------------------------
@pytest.fixture
def spellings(tmp_path):
    """One project sent four times, spelt four ways (full-width letters and brackets, another bracket form, another
    case, spaces in the unit), and a second project whose name differs in one character."""
    import copy

    from xlgoals import fill

    from .conftest import EXAMPLE_JSON, load

    doc = load(EXAMPLE_JSON[0])
    d = tmp_path / "in"
    d.mkdir()
    unit = doc["unit"]
    for name, u, p in [("a", unit, "ABC（一期）项目"), ("b", f"{unit[:3]}\u3000{unit[3:]}", "ＡＢＣ(一期)项目"),
                       ("c", unit, "ABC【一期】项目"), ("d", unit, "abc（一期）项目"),
                       ("e", unit, "ABC（二期）项目")]:
        o = copy.deepcopy(doc)
        o["unit"], o["project"]["name"] = u, p
        fill(o, d / f"{name}.xlsx")
    return d


def test_spellings_of_one_project_are_duplicates_and_another_project_is_not(spellings, tmp_path):
    result = consolidate([spellings], tmp_path / "s.xlsx", jobs=1)
    assert result.totals["projects"] == 2 and result.totals["duplicates"] == 3, result.totals
    by_name = {r.path.rsplit("/", 1)[-1]: r for r in result.records}
    assert by_name["e.xlsx"].included and not by_name["e.xlsx"].duplicate
    kept = [n for n in "abcd" if by_name[f"{n}.xlsx"].included]
    assert len(kept) == 1
    for n in "abcd":
        if n not in kept:
            assert f"{kept[0]}.xlsx" in by_name[f"{n}.xlsx"].note and "名称写法不同" in by_name[f"{n}.xlsx"].note


def test_the_terminal_names_the_files_that_collide(spellings, tmp_path):
    result = cli("consolidate", spellings, "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("重复申报")]
    assert len(lines) == 3, result.stderr
    kept = next(n for n in "abcd" if not any(f"{n}.xlsx：" in line for line in lines))
    for n in "abcd":
        if n != kept:
            line = next(line for line in lines if f"{n}.xlsx：" in line)
            assert f"以 {spellings / kept}.xlsx 为准" in line, line
    en = cli("consolidate", spellings, "-o", tmp_path / "s.xlsx", "--lang", "en").stderr
    assert len([line for line in en.splitlines() if line.startswith("Duplicate (not counted): ")]) == 3, en


@pytest.mark.parametrize("args", [["read", ONE, "-o"], ["consolidate", RETURNS, "-o", "s.xlsx", "--csv"]])
def test_a_name_of_nothing_but_blanks_is_refused(tmp_path, args, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*args, "   ")
    assert result.exit_code == 2 and "输出名称只有空白" in result.stderr, result.output
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("args,name", [
    (["consolidate", RETURNS, "-o"], " .xlsx"), (["consolidate", RETURNS, "-o"], "\u3000.xlsx"),
    (["consolidate", RETURNS, "-o", "s.xlsx", "--json"], ".json"),
    (["consolidate", RETURNS, "-o", "s.xlsx", "--json"], " .json"),
    (["validate", ONE, "-o"], ".csv"), (["validate", ONE, "-o"], ".json"), (["read", ONE, "-o"], ".json"),
    (["template", "-o"], " .xlsx"), (["template", "-o"], ".xlsx"), (["consolidate", RETURNS, "-o"], ".XLSX")])
def test_a_name_that_is_only_an_extension_is_refused(tmp_path, args, name, monkeypatch):
    # ".json" and " .xlsx" were written: a hidden file, or one whose name before the extension is blank
    monkeypatch.chdir(tmp_path)
    result = cli(*args, name)
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("错误：") and "只有扩展名" in line and "请给出文件名" in line, line
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("kwargs", [{"json_path": "   "}, {"csv_dir": "   "}, {"csv_dir": "表/\u3000"},
                                    {"json_path": ".json"}, {"json_path": " .json"}, {"out": " .xlsx"}])
def test_the_library_refuses_blank_and_extension_only_names_too(tmp_path, kwargs, monkeypatch):
    # consolidate(..., json_path="   ") wrote a file named by blanks, csv_dir="   " a folder of that name
    monkeypatch.chdir(tmp_path)
    (tmp_path / "表").mkdir()
    before = files_under(tmp_path)
    kwargs = {"out": "s.xlsx", **kwargs}
    with pytest.raises(UsageError) as e:
        consolidate([RETURNS], kwargs.pop("out"), jobs=1, **kwargs)
    assert "只有" in in_lang(e.value, "zh"), in_lang(e.value, "zh")
    assert files_under(tmp_path) == before


def test_the_library_refuses_a_blank_template_name(tmp_path, monkeypatch):
    from xlgoals import write_template

    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError):
        write_template(" .xlsx")
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("name", ["表.csv", "表.CSV", "表.json", "表．ｃｓｖ "])
def test_a_csv_folder_named_as_a_file_is_refused(tmp_path, name, monkeypatch):
    # --csv 汇总.csv, as --json takes a file: a folder 汇总.csv was made with five tables in it
    monkeypatch.chdir(tmp_path)
    result = cli("consolidate", RETURNS, "-o", "s.xlsx", "--csv", name)
    assert result.exit_code == 2, result.output
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("错误：输出文件夹 ") and "应为文件夹" in line, line
    assert "像文件名" in line, line
    assert files_under(tmp_path) == []
    with pytest.raises(UsageError):
        consolidate([RETURNS], "s2.xlsx", jobs=1, csv_dir=name)
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("include", [False, True])
def test_the_library_result_gives_the_json_s_counts(mixed, tmp_path, include):  # noqa: F811
    # an analyst had result.totals only, whose "invalid" counts the failing returns counted too
    result = consolidate([mixed], tmp_path / "s.xlsx", jobs=1, include_invalid=include, json_path=tmp_path / "s.json")
    counts = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["counts"]
    assert result.counts == counts
    assert counts["counted"] + counts["failed_not_counted"] + counts["duplicates"] == counts["files"]
