"""Output names and paths, exit codes, help texts and error lines in either language: what the command line
refuses before anything is read, the same way for every command (exit 2, one line, nothing written)."""

import os
import re
import shutil

import pytest

from xlgoals import consolidate, fill, write_template
from xlgoals._errors import UsageError
from xlgoals._form import GOAL_TABLE

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, ROOT, cli, load
from .helpers import cjk_outside_data, files_under, one_line

RETURNS = EXAMPLES / "returns"
NAMED_XLSX = "扩展名须为 .xlsx"
README = (ROOT / "README.md").read_text(encoding="utf-8")


# 1. A workbook output is named .xlsx ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["t.xls", "t", "out.json", "t.xlsm", "t.xlsx.bak"])  # .xlsx: test_output_names_counts
@pytest.mark.parametrize("command", ["template", "fill", "consolidate"])
def test_a_workbook_output_not_named_xlsx_is_refused(tmp_path, command, name):
    out = tmp_path / "out" / name
    out.parent.mkdir()
    args = {"template": ["template", "-o", out], "fill": ["fill", EXAMPLE_JSON[0], "-o", out],
            "consolidate": ["consolidate", RETURNS, "-o", out]}[command]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith("错误：输出的工作簿 ") and NAMED_XLSX in line and result.stdout == ""
    assert files_under(tmp_path / "out") == []


@pytest.mark.parametrize("name", ["T.XLSX", "汇总.Xlsx"])
def test_xlsx_in_any_case_is_accepted(tmp_path, name):
    assert cli("template", "-o", tmp_path / name).exit_code == 0
    assert cli("fill", EXAMPLE_JSON[0], "-o", tmp_path / f"f{name}").exit_code == 0
    assert cli("consolidate", RETURNS, "-o", tmp_path / f"c{name}").exit_code == 0
    assert (tmp_path / name).read_bytes()[:2] == b"PK" and (tmp_path / f"c{name}").exists()


def test_the_library_refuses_a_workbook_not_named_xlsx(tmp_path):
    for call in (lambda: write_template(tmp_path / "t.xls"), lambda: fill(load(EXAMPLE_JSON[0]), tmp_path / "f"),
                 lambda: fill(EXAMPLE_JSON[0], tmp_path / "f.json"),
                 lambda: consolidate([RETURNS], tmp_path / "summary_no_ext")):
        with pytest.raises(UsageError, match=re.escape(NAMED_XLSX)) as caught:
            call()
        assert caught.value.exit_code == 2
        assert "must have the extension .xlsx" in caught.value.args[0].en  # Bilingual: English for --lang en
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("args, kind", [
    (["read", EXAMPLE_XLSX[0], "-o", "{}/r.xlsx"], "写入的是 JSON 文本"),
    (["validate", RETURNS, "-o", "{}/r.xls"], "写入的是文本报告"),
    (["validate", RETURNS, "--format", "json", "-o", "{}/r.XLSX"], "写入的是 JSON 文本"),
    (["validate", RETURNS, "--format", "csv", "-o", "{}/r.ods"], "写入的是 CSV 文本"),
    (["consolidate", RETURNS, "-o", "{}/s.xlsx", "--json", "{}/s.xls"], "写入的是 JSON 文本"),
])
def test_a_text_output_named_like_a_workbook_is_refused(tmp_path, args, kind):
    out = tmp_path / "out"
    out.mkdir()
    result = cli(*[str(a).format(out) for a in args])
    assert result.exit_code == 2, result.output
    line = one_line(result.stderr)
    assert line.startswith("错误：输出文件 ") and f"{kind}，Excel 无法打开" in line
    assert files_under(out) == []


def test_a_text_output_may_have_any_other_name(tmp_path):
    assert cli("read", EXAMPLE_XLSX[0], "-o", tmp_path / "doc.txt").exit_code == 0
    assert cli("validate", RETURNS, "-o", tmp_path / "report").exit_code == 0
    assert cli("consolidate", RETURNS, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.data").exit_code == 0
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8").startswith("{")
    assert (tmp_path / "s.data").read_text(encoding="utf-8").startswith("{")


def test_a_text_report_named_like_a_workbook_is_refused_in_english(tmp_path):
    result = cli("validate", RETURNS, "--lang", "en", "--format", "csv", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2
    assert one_line(result.stderr) == (f"Error: the output {tmp_path / 'r.xlsx'} ends in .xlsx but is CSV text, "
                                        "which Excel cannot open; use another extension (such as .csv)")
    assert files_under(tmp_path) == []


# 2. An output that is not a regular file: exit 2 for every command --------------------------------------------
@pytest.mark.parametrize("command", ["template", "fill", "read", "validate", "consolidate"])
def test_an_output_that_is_a_device_or_a_pipe_is_refused_by_every_command(tmp_path, command):
    null = tmp_path / "null.xlsx"
    null.symlink_to(os.devnull)
    fifo = tmp_path / "pipe.xlsx" if command in ("template", "fill", "consolidate") else tmp_path / "pipe.json"
    os.mkfifo(fifo)
    for out in (os.devnull, null, fifo):
        args = {"template": ["template", "-o", out], "fill": ["fill", EXAMPLE_JSON[0], "-o", out],
                "read": ["read", EXAMPLE_XLSX[0], "-o", out], "validate": ["validate", RETURNS, "-o", out],
                "consolidate": ["consolidate", RETURNS, "-o", out]}[command]
        result = cli(*args)
        assert result.exit_code == 2, (out, result.output)
        if out == null:  # a link to the device: refused as the device is (no link someone put there: --force keeps
            # it), or first as a text output named as a workbook (read, validate)
            line = one_line(result.stderr)
            assert line.endswith("（不是普通文件，请指定一个文件路径）") or (
                "以 .xlsx 结尾" in line and command in ("read", "validate")), line
        else:
            assert one_line(result.stderr).endswith("（不是普通文件，请指定一个文件路径）"), result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null.xlsx", "pipe.json" if command in ("read", "validate")
                                                          else "pipe.xlsx"]


def test_the_library_refuses_a_device_before_writing(tmp_path):
    null = tmp_path / "null.xlsx"
    null.symlink_to(os.devnull)
    with pytest.raises(UsageError, match="不是普通文件"):  # a link to it: refused as the device is
        write_template(null)
    with pytest.raises(UsageError, match="不是普通文件"):
        fill(EXAMPLE_JSON[0], null, force=True)
    with pytest.raises(UsageError, match="不是普通文件"):
        write_template(os.devnull)


def test_mixed_forms_are_a_usage_error_told_in_both_languages(tmp_path):
    with pytest.raises(UsageError) as caught:
        consolidate([RETURNS, EXAMPLES / "self-evaluation"], tmp_path / "s.xlsx", jobs=1)
    assert caught.value.exit_code == 2 and "分别运行 xlgoals consolidate" in caught.value.args[0]
    en = caught.value.args[0].en
    # (its 5 workbooks and the 5 JSON documents read from them)
    # (every file of the other form is named, 5 goal tables: file names are data)
    assert "10 self-evaluation (such as" in en and cjk_outside_data(re.sub(r"\(such as [^)]*\)", "", en),
                                                                    paths=RETURNS.glob("*.xlsx")) == []
    assert all(str(p) in en for p in RETURNS.glob("*.xlsx"))
    assert files_under(tmp_path) == []


# 3. Help texts ------------------------------------------------------------------------------------------------
def _commands():
    from xlgoals.cli import main

    return main.commands


def test_every_option_has_a_chinese_help_text():
    for name, command in _commands().items():
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help and re.search(r"[\u4e00-\u9fff]", param.help), (name, param.name)


def test_help_placeholders_are_chinese_and_english_under_lang_en():
    template = cli("template", "--help").output
    assert "--rows 行数" in template and f"[1<=x<={GOAL_TABLE.table.max_rows}]" in template
    assert "--targets 路径..." in template and "TEXT" not in template and "INTEGER" not in template
    assert "-o, --out 文件" in cli("fill", "--help").output
    for command, usage in [("fill", "fill [选项] JSON文档"), ("read", "read [选项] 文件"),
                           ("validate", "validate [选项] 路径..."), ("consolidate", "consolidate [选项] 路径...")]:
        out = cli(command, "--help").output
        assert f"用法: main {usage}" in out and not re.search(r"\b(PATHS|FILE|DOCUMENT|TEXT)\b", out), command
    en = cli("validate", "--help", "--lang", "en").output
    assert "Usage: main validate [OPTIONS] PATHS..." in en
    assert "-o, --out FILE" in en and "--targets PATHS..." in en and "--annotate DIRECTORY" in en
    assert "--jobs N" in en and "进程数" not in en.split("--jobs")[1].split("并行")[0]
    zh = cli("validate", "--help").output  # the same process, Chinese again
    assert "-o, --out 文件" in zh and "--annotate 文件夹" in zh


def test_rows_beyond_the_forms_limit_is_a_usage_error(tmp_path):
    limit = GOAL_TABLE.table.max_rows
    result = cli("template", "-o", tmp_path / "t.xlsx", "--rows", limit + 1)
    assert result.exit_code == 2 and f"{limit + 1} 不在范围 1<=x<={limit} 内" in result.output
    assert files_under(tmp_path) == []


def test_help_columns_line_up_with_chinese_placeholders():
    """Chinese characters take two columns on a terminal: the help texts start in one column all the same."""
    from xlgoals._cli_zh import _width

    lines = [ln for ln in cli("fill", "--help").output.splitlines() if ln.startswith("  -")]
    assert len({_width(re.match(r"^(\s+\S.*?\s{2,})\S", ln).group(1)) for ln in lines}) == 1, lines


# The exit codes: in each command's help, and in the README ----------------------------------------------------
def _readme_exit_codes() -> dict[str, set[str]]:
    section = README.split("### 退出码 (exit codes)")[1]
    table = section[section.index("| command |"):].split("\n\n")[0]
    codes = {}
    for row in table.splitlines()[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        codes[cells[0].strip("`")] = {code for code, cell in zip(("0", "1", "2", "130"), cells[1:]) if cell != "—"}
    return codes


def test_each_commands_help_lists_the_exit_codes_the_readme_gives():
    readme = _readme_exit_codes()
    assert set(readme) == set(_commands())
    for name in _commands():
        help_text = cli(name, "--help").output
        said = help_text.split("退出码：")[1].split("\n\n")[0]
        assert set(re.findall(r"(?<![\w.-])(0|1|2|130)(?![\w.])", said)) == readme[name], (name, said)


# 4. Errors under --lang en ------------------------------------------------------------------------------------
def test_path_guards_speak_english_under_lang_en(tmp_path, monkeypatch):
    a = tmp_path / "a.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    cases = [
        (["validate", a, "-o", a], "is the input file", "就是输入文件"),
        (["validate", a, "-o", os.devnull], "not a regular file", "不是普通文件"),
        (["validate", ""], "an empty path was given", "给出的路径为空"),
        (["validate", a, "-o", tmp_path / "r.txt", "--annotate", tmp_path / "r.txt" / "x"], "clash", "位置冲突"),
        (["validate", a, "--targets", tmp_path / "nowhere"], "does not exist: ", "找不到 --targets"),
        (["validate", a, "--weights", tmp_path / "w.json"], "--weights goes only with --targets", "只与 --targets"),
        (["validate", a, "-o", a / "r.txt"], "is a file, not a folder", "是文件，不是文件夹"),
    ]
    for args, en_says, zh_says in cases:
        before = files_under(tmp_path)
        en = cli(*args, "--lang", "en")
        assert en.exit_code == 2 and en_says in en.stderr, en.output
        line = one_line(en.stderr)
        assert line.startswith("Error: ") and cjk_outside_data(line) == [], line
        zh = cli(*args)
        assert zh.exit_code == 2 and one_line(zh.stderr).startswith("错误：") and zh_says in zh.stderr
        assert files_under(tmp_path) == before
    # a folder that cannot be written (tests may run as root, who can write anywhere)
    monkeypatch.setattr("xlgoals._paths.os.access", lambda path, mode, **k: not mode & os.W_OK)
    en = cli("validate", a, "-o", tmp_path / "r.txt", "--lang", "en")
    assert en.exit_code == 2 and one_line(en.stderr) == \
        f"Error: cannot write {tmp_path / 'r.txt'}: the folder {tmp_path} is not writable"
    assert "不可写" in cli("validate", a, "-o", tmp_path / "r.txt").stderr


def test_a_missing_input_is_told_in_english_to_library_users(tmp_path):
    with pytest.raises(UsageError) as caught:
        consolidate([tmp_path / "nowhere"], tmp_path / "s.xlsx")
    assert caught.value.exit_code == 2 and str(caught.value.args[0]).startswith("找不到 ")
    assert caught.value.args[0].en.endswith("does not exist; check the path")


def test_readme_error_samples_are_real_runs(monkeypatch):
    """The README's sample error lines (under 退出码) are what the commands print."""
    import shlex

    monkeypatch.chdir(ROOT)
    block = README.split("### 退出码 (exit codes)")[1].split("```text\n")[1].split("```")[0].splitlines()
    runs = [(i, line[len("$ xlgoals "):]) for i, line in enumerate(block) if line.startswith("$ xlgoals ")]
    assert len(runs) == 3
    for i, command in runs:
        result = cli(*shlex.split(command))
        assert result.exit_code == 2 and result.stderr == block[i + 1] + "\n", (command, result.stderr)
    assert not (ROOT / "模板.xls").exists() and not (ROOT / "模板.xlsx").exists()


def test_a_rule_tables_width_fault_is_told_in_english_under_lang_en(tmp_path):
    rules = tmp_path / "本局规则.csv"
    rules.write_text((ROOT / "schema" / "rules.csv").read_text(encoding="utf-8").splitlines()[0] + "\na,b,c\n",
                     encoding="utf-8")
    en = cli("validate", RETURNS, "--rules", rules, "--lang", "en")
    assert en.exit_code == 2 and one_line(en.stderr) == (
        f"Error: {rules} line 2: 10 columns expected, 3 found (quote a text holding a comma with double quotes)")
    zh = cli("validate", RETURNS, "--rules", rules)
    assert zh.exit_code == 2 and one_line(zh.stderr) == f"错误：{rules} 第 2 行：应有 10 列，实际 3 列（含逗号的文本请加英文双引号）"


def test_output_read_by_a_program_that_stops_early_ends_quietly():
    """`xlgoals schema | true`: the reader goes away; it said "错误：无法读写文件（…Broken pipe）" and exited 1, as if
    the command had failed.  It ends without a word, 141 as a shell gives a command ended by SIGPIPE."""
    import subprocess
    import sys

    proc = subprocess.run(f"'{sys.executable}' -m xlgoals schema | true; echo \"${{PIPESTATUS[0]}}\" >&2",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, timeout=60)
    # 0 only in the (unseen) race where the whole schema fits the pipe before `true` has gone
    assert proc.stderr.strip() in ("141", "0"), proc.stderr


@pytest.mark.parametrize("option, name, content", [
    ("--rules", "本局规则.csv", "code,severity\n"),
    ("--frameworks", "本局指标体系", None),
    ("--library", "指标库.csv", "一级,二级\n"),
    ("--review-config", "本局审核.json", "[1]"),
])
def test_a_bureau_files_fault_names_it_as_given(tmp_path, monkeypatch, option, name, content):
    """A rule table, framework folder, library or review configuration given by a relative name is named so in
    its error, as the project list, the points file and the returns are (it was the absolute path)."""
    if content is None:
        (tmp_path / name).mkdir()
        (tmp_path / name / "demo-2025.json").write_text('{"id": "demo-2025"}', encoding="utf-8")
    else:
        (tmp_path / name).write_text(content, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    review = ["--review"] if option in ("--library", "--review-config") else []
    for lang, start in (("zh", f"错误：{name}"), ("en", f"Error: {name}")):
        result = cli("validate", RETURNS / "01_筹办第46届世界技能大赛.xlsx", *review, option, name, "--lang", lang)
        assert result.exit_code == 2 and result.stderr.startswith(start), result.stderr
        assert str(tmp_path) not in result.stderr


@pytest.mark.parametrize("args", [["validate", RETURNS, "--format", "json", "-o", "-"], ["read", EXAMPLE_XLSX[0], "-o", "-"],
                                  ["consolidate", RETURNS, "-o", "s.xlsx", "--json", "-"], ["template", "-o", "-"]])
def test_a_dash_for_an_output_is_refused_not_written_as_a_file_named_dash(tmp_path, monkeypatch, args):
    # `-o -` is standard output to most tools: a script piping `validate … --format json -o - | jq` got nothing on its
    # standard input and a file named "-" in its folder
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "“-”" in result.stderr and "标准输出" in result.stderr, result.stderr
    assert not (tmp_path / "-").exists() and not (tmp_path / "s.xlsx").exists()
    en = cli(*args, "--lang", "en")
    assert en.exit_code == 2 and "standard output" in en.stderr, en.stderr


@pytest.mark.parametrize("args", [["validate", RETURNS, "--annotate", "-"],
                                  ["consolidate", RETURNS, "-o", "s.xlsx", "--csv", "-"],
                                  ["template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", "-"],
                                  ["template", "--form", "self-evaluation", "--targets", EXAMPLE_XLSX[0],
                                   "--out-dir", "-"]])
def test_a_dash_for_an_output_folder_is_refused_as_for_an_output_file(tmp_path, monkeypatch, args):
    # `--csv -` made a folder named "-" (and wrote into it) where `--json -` is refused: one rule for every output
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "“-”" in result.stderr and "标准输出" in result.stderr and "文件夹" in result.stderr, result.stderr
    assert files_under(tmp_path) == []
    en = cli(*args, "--lang", "en")
    assert en.exit_code == 2 and "standard output" in en.stderr and "folder" in en.stderr, en.stderr
    assert files_under(tmp_path) == []
