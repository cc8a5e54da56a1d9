"""`xlgoals validate`: reports for people and machines, exit codes, strict mode, annotated copies."""

import csv
import io
import json
import os
import shutil

import openpyxl
import pytest

from xlgoals import validate

from .conftest import EXAMPLE_XLSX, cli
from .helpers import F, edited, ind_cell, info_cell


def _bad_return(tmp_path):
    return edited(EXAMPLE_XLSX[1], tmp_path / "坏.xlsx", {
        info_cell("/budget/current_year"): 999999999,
        info_cell("/project/start_date"): "明年",
        ind_cell(10, "target"): "=1+1",  # typed into a text cell: stays text, and is not a target
        ind_cell(11, "comparator"): "＝", ind_cell(11, "target"): "良好",
    })


def test_text_report_groups_by_problem(tmp_path):
    bad = _bad_return(tmp_path)
    result = cli("validate", EXAMPLE_XLSX[0], bad)
    assert result.exit_code == 1
    out = result.stdout
    assert "共检查 2 个文件：通过 1 个，未通过 1 个" in out
    assert "【错误】当年预算大于总预算：1 处，涉及 1 个文件（rule.current_le_total）" in out
    assert f"{F.info.name}!{info_cell('/project/start_date')[1]}" in out
    assert "✗ 未通过" in out and "✓ 通过" in out


def test_english_report(tmp_path):
    result = cli("validate", _bad_return(tmp_path), "--lang", "en")
    assert result.exit_code == 1
    assert "Checked 1 file: 0 passed, 1 failed" in result.stdout
    assert "must not exceed the total budget" in result.stdout


def test_json_report(tmp_path):
    bad = _bad_return(tmp_path)
    result = cli("validate", bad, EXAMPLE_XLSX[0], "--format", "json")
    data = json.loads(result.stdout)
    assert [f["path"] for f in data["files"]] == sorted([str(bad), str(EXAMPLE_XLSX[0])])  # stable order
    assert {f["path"]: f["valid"] for f in data["files"]} == {str(bad): False, str(EXAMPLE_XLSX[0]): True}
    assert data["summary"]["failed"] == 1 and data["summary"]["passed"] == 1
    failing = next(f for f in data["files"] if not f["valid"])
    by_code = {p["code"]: p for p in failing["problems"]}
    assert by_code["rule.current_le_total"]["cell"] == info_cell("/budget/current_year")[1]
    assert by_code["cell.date"]["sheet"] == F.info.name and by_code["cell.date"]["value"] == "明年"
    assert by_code["cell.target"]["cell"] == ind_cell(10, "target")[1]
    assert by_code["rule.value_kind"]["cell"] == ind_cell(11, "target")[1]
    for p in failing["problems"]:
        assert {"code", "severity", "sheet", "cell", "message", "field", "value", "expected"} <= set(p)


def test_csv_report_has_bom_and_neutralised_cells(tmp_path):
    result = cli("validate", _bad_return(tmp_path), "--format", "csv", "-o", tmp_path / "r.csv")
    assert result.exit_code == 1
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    target = next(r for r in rows if r["code"] == "cell.target")
    assert target["value"] == "'=1+1"  # not a live formula when opened in Excel
    assert target["cell"] == ind_cell(10, "target")[1]


def test_exit_codes_and_strict(tmp_path):
    warn_only = EXAMPLE_XLSX[2]  # the seed's bare 0 is a warning
    assert cli("validate", warn_only).exit_code == 0
    assert cli("validate", warn_only, "--strict").exit_code == 1
    assert cli("validate").exit_code == 2  # usage error
    assert cli("validate", warn_only, "--format", "xml").exit_code == 2


def test_folders_and_missing_paths(tmp_path):
    d = tmp_path / "returns"
    (d / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLE_XLSX[0], d / "a.xlsx")
    shutil.copy(EXAMPLE_XLSX[1], d / "sub" / "b.XLSX")
    (d / "notes.txt").write_text("x")
    report = validate([d, tmp_path / "nope.xlsx"])
    by_name = {f.path.rsplit("/", 1)[-1]: f for f in report.files}
    assert sorted(by_name) == ["a.xlsx", "b.XLSX", "nope.xlsx"]
    assert [p.code for p in by_name["nope.xlsx"].problems] == ["file.missing"]
    assert by_name["a.xlsx"].passes() and by_name["b.XLSX"].passes()
    assert report.skipped == [str(d / "notes.txt")]


def test_annotate(tmp_path):
    bad = _bad_return(tmp_path)
    before = bad.read_bytes()
    out = tmp_path / "annotated"
    result = cli("validate", bad, EXAMPLE_XLSX[0], "--annotate", out)
    assert result.exit_code == 1
    assert bad.read_bytes() == before  # the received file is never modified
    files = list(out.iterdir())
    assert [f.name for f in files] == ["坏_问题标注.xlsx"]  # only failing files get a copy
    wb = openpyxl.load_workbook(files[0])
    assert wb.sheetnames[0] == "问题清单"
    listing = [[c.value for c in row] for row in wb["问题清单"].iter_rows(min_row=2)]
    codes = {r[8] for r in listing}
    assert {"rule.current_le_total", "cell.date", "cell.target", "rule.value_kind"} <= codes
    target_row = next(r for r in listing if r[8] == "cell.target")
    assert target_row[5] == "=1+1" and wb["问题清单"].cell(
        listing.index(target_row) + 2, 6).data_type == "s"
    cell = wb[F.info.name][info_cell("/budget/current_year")[1]]
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "项目当年预算" in cell.comment.text
    # everything else of the return survives in the copy
    assert wb[F.table.name][f"D{F.table.first_row + 1}"].value == "预算编制合理性"


def test_annotate_never_opens_unsafe_files(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    bomb.write_bytes(b"PK\x03\x04 this is not a workbook")
    out = tmp_path / "annotated"
    result = cli("validate", bomb, "--annotate", out)
    assert result.exit_code == 1 and "无法生成标注副本" in result.stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_parallel_validation_gives_the_same_report(tmp_path):
    from xlgoals._check._report import json_report

    d = tmp_path / "r"
    d.mkdir()
    for i, src in enumerate(EXAMPLE_XLSX):
        shutil.copy(src, d / f"{i}.xlsx")
    _bad_return(d)
    one = validate([d], jobs=1)
    two = validate([d], jobs=2)
    assert json_report(one) == json_report(two)
    assert [f.passes() for f in two.files] == [f.passes() for f in one.files]


def test_the_console_script_exits_quickly_with_everything_written(tmp_path):
    """`xlgoals` leaves without tearing the interpreter down: its output is complete, its exit code kept, its
    files committed, and a reader that stops early (`| head`) gets no broken-pipe noise."""
    import subprocess
    import sys

    from .conftest import EXAMPLES, run_cli

    folder = EXAMPLES / "received"
    proc = run_cli("validate", folder, "--format", "json")
    assert proc.returncode == 1 and len(json.loads(proc.stdout)["files"]) == len(list(folder.glob("*.xlsx")))
    out = tmp_path / "report.csv"
    proc = run_cli("validate", folder, "--format", "csv", "-o", out)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert proc.returncode == 1 and rows[0][:3] == ["file", "valid", "code"] and len(rows) >= 4
    assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]  # committed, nothing left half-written
    summary = tmp_path / "汇总.xlsx"
    assert run_cli("consolidate", *EXAMPLE_XLSX, "-o", summary).returncode == 0
    assert openpyxl.load_workbook(summary).sheetnames
    reader = subprocess.Popen([sys.executable, "-m", "xlgoals", "validate", folder, "--format", "json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdout.read(5)
    reader.stdout.close()
    _, err = reader.communicate(timeout=120)
    assert reader.returncode == 1 and b"Traceback" not in err and b"BrokenPipe" not in err


@pytest.mark.parametrize("args, says", [
    (["validate"], "错误：缺少参数 '路径...'"),
    (["validate", "-o", "/tmp", "x.xlsx"], "是文件夹，这里应为文件"),
    (["template", "--rows", "abc"], "'abc' 不是有效的数字"),
    (["validate", "--bogus", "x"], "没有选项 '--bogus'"),
    (["template", "--form", "nope"], "不是以下取值之一"),
    (["consolidate", "x"], "缺少选项 '-o' / '--out'"),
])
def test_click_speaks_chinese_too(args, says):
    """Usage errors found while parsing the options are in Chinese, as every other message of the command line."""
    result = cli(*args)
    assert result.exit_code == 2 and says in result.output and "查看帮助" in result.output
    assert "Error" not in result.output and "Usage" not in result.output


@pytest.mark.parametrize("args,example", [
    (["validate", "{good}", "-o", "{tmp}/报告/"], "校验结果.txt"),
    (["consolidate", "{good}", "-o", "{tmp}/汇总/"], "汇总.xlsx"),
    (["consolidate", "{good}", "-o", "{tmp}/s.xlsx", "--json", "{tmp}/汇总/"], "汇总.json"),
    (["read", "{good}", "-o", "{tmp}/文档/"], "文档.json"),
    (["template", "-o", "{tmp}/模板/"], "模板.xlsx"),
    (["fill", "{doc}", "-o", "{tmp}/表/"], "填报表.xlsx"),
])
def test_an_output_file_written_as_a_folder_is_refused(tmp_path, args, example):
    """`-o 报告/` names a folder: the report used to be written to a file `报告` (the slash dropped), where the
    user would not look for it.  It is refused, saying what a file name looks like, and nothing is written."""
    from pathlib import Path

    doc = Path(__file__).parent.parent / "examples" / "json" / "01_筹办第46届世界技能大赛.json"
    given = [a.format(good=EXAMPLE_XLSX[0], tmp=tmp_path, doc=doc) for a in args]
    result = cli(*given)
    assert result.exit_code == 2, result.output
    assert "以“/”结尾" in result.output and example in result.output, result.output
    assert list(tmp_path.iterdir()) == []
    english = cli(*given, "--lang", "en") if args[0] == "validate" else None
    if english is not None:
        assert english.exit_code == 2 and "ends in '/', a folder" in english.output, english.output


def test_csv_report_leaves_a_plain_negative_number_as_it_is(tmp_path):
    """A negative amount in the CSV report's value column came out as '-6424663 (neutralised as if a formula),
    where consolidate's CSV writes the number; a formula-like text is still neutralised."""
    from xlgoals._check._report import neutralise

    assert [neutralise(v) for v in ("-5", "-0.5", "+1e5", "-2+3", "=1", "-", "@x", "-5 元")] == \
        ["-5", "-0.5", "+1e5", "'-2+3", "'=1", "'-", "'@x", "'-5 元"]
    path = edited(EXAMPLE_XLSX[4], tmp_path / "neg.xlsx", {info_cell("/budget/total"): -6424663})
    result = cli("validate", path, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.output.lstrip("\ufeff"))))
    negative = [r for r in rows if r["code"] == "cell.amount_negative"]
    assert negative and negative[0]["value"] == "-6424663", negative


def test_the_validate_commands_guards_and_report_are_library_calls(tmp_path):
    """What `xlgoals validate` does besides parsing its options is the library's: guard_report_outputs refuses a
    report over another input, or named as a workbook, and gives the other inputs' files (for the annotated
    copies); render_report writes each --format as the command does."""
    from xlgoals._check._report import csv_report, json_report, render_report, text_report
    from xlgoals._errors import UsageError
    from xlgoals._paths import guard_report_outputs

    returns = tmp_path / "收到"
    returns.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], returns / "a.xlsx")
    rules = tmp_path / "规则.csv"
    rules.write_text("x", encoding="utf-8")
    others = guard_report_outputs([returns], tmp_path / "r.json", tmp_path / "退回", "json", inputs=[rules, None])
    assert [os.path.basename(p) for p in others] == ["规则.csv"]
    with pytest.raises(UsageError, match="JSON"):
        guard_report_outputs([returns], tmp_path / "r.xlsx", None, "json")
    with pytest.raises(UsageError, match="文本报告"):
        guard_report_outputs([returns], tmp_path / "r.xls", None, "text")
    with pytest.raises(UsageError):  # the report would replace the rule table
        guard_report_outputs([returns], rules, None, "csv", inputs=[rules])
    report = validate([returns])
    for fmt, render in (("text", text_report), ("json", json_report), ("csv", csv_report)):
        for lang in ("zh", "en"):
            assert render_report(report, fmt, lang) == render(report, lang)
    with pytest.raises(ValueError):
        render_report(report, "xml")


def test_the_report_takes_its_format_from_the_output_name(tmp_path):
    # a clerk writes `-o 校验结果.csv` (or .json) and forgets --format: the file must be what its name says, a CSV
    # Excel opens in columns, a JSON a script loads, not the text report under that name
    bad = _bad_return(tmp_path)
    assert cli("validate", bad, "-o", tmp_path / "校验结果.csv").exit_code == 1
    raw = (tmp_path / "校验结果.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbffile,valid,code,severity,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert "rule.current_le_total" in {r["code"] for r in rows}
    assert cli("validate", bad, "-o", tmp_path / "校验结果.JSON").exit_code == 1
    data = json.loads((tmp_path / "校验结果.JSON").read_text(encoding="utf-8"))
    assert data["summary"]["failed"] == 1
    assert cli("validate", bad, "-o", tmp_path / "校验结果.txt").exit_code == 1  # any other name: the text report
    assert (tmp_path / "校验结果.txt").read_text(encoding="utf-8").startswith("共检查 1 个文件")
    # a --format given that the name contradicts would write one format under another's name: refused, nothing written
    for fmt, name in (("json", "r.csv"), ("csv", "r.json"), ("text", "r.json")):
        result = cli("validate", bad, "--format", fmt, "-o", tmp_path / name)
        assert result.exit_code == 2, result.output
        assert "--format" in result.stderr and name in result.stderr, result.stderr
        assert not (tmp_path / name).exists()
    en = cli("validate", bad, "--format", "json", "-o", tmp_path / "r.csv", "--lang", "en")
    assert en.exit_code == 2 and en.stderr.startswith("Error: ") and "r.csv" in en.stderr, en.stderr


def test_a_points_cell_typed_as_a_percent_is_one_problem_not_also_a_points_cell_left_blank(tmp_path):
    # 分值 typed 20% on a form whose 分值 were all filled: cell.number_percent said so, and rule.weight_partial said at
    # the same cell “第2条指标的分值”未填写 — one slip, two problems, one of them false
    from xlgoals import FORMS, fill, load_framework, validate_file
    from xlgoals._form import a1

    from .conftest import EXAMPLES

    doc = json.loads((EXAMPLES / "national-2021" / "目标表.json").read_text(encoding="utf-8"))
    for it in doc["indicators"]:
        it["weight"] = 10
    src = fill(doc, tmp_path / "分值.xlsx")
    fw_form = FORMS["goal-table"]
    sheet, col = fw_form.table.name, fw_form.column("weight", load_framework("national-2021")).index

    def weights(path, edits):
        wb = openpyxl.load_workbook(src)
        for i, (value, fmt) in edits.items():
            cell = wb[sheet].cell(fw_form.table.first_row + i + 1, col + 1)
            cell.value, cell.number_format = value, fmt
        wb.save(path)
        return validate_file(path).problems

    found = weights(tmp_path / "a.xlsx", {1: (0.2, "0%")})
    at = [p.code for p in found if p.cell == a1(fw_form.table.first_row + 1, col)]
    assert at == ["cell.number_percent"], [(p.code, p.cell, p.message) for p in found]
    assert "rule.weight_partial" not in {p.code for p in found}
    # a 分值 truly left blank below it is still said, at that cell
    found = weights(tmp_path / "b.xlsx", {1: (0.2, "0%"), 3: (None, "General")})
    partial = [p for p in found if p.code == "rule.weight_partial"]
    assert [p.cell for p in partial] == [a1(fw_form.table.first_row + 3, col)], \
        [(p.code, p.cell) for p in found]
