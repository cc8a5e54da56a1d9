"""The README's samples come from real runs, and its module map matches the tree (as sqlite-utils keeps
its docs in step with cog).  When a test here fails, run the command it names and paste its output.

Pinned elsewhere: the error samples under 退出码 and the exit-code table against each --help
(tests/test_outputs_cli.py), the pandas example (tests/test_frames.py), the frameworks' assumptions and the
seed's review scores (tests/test_review.py).  Nothing here is normalised: the samples are run from the
repository root (or a temporary bureau folder) so that their paths are the README's, and no sample prints a time."""

import re
import shlex
import shutil
from pathlib import Path

import pytest

import xlgoals

from .conftest import EXAMPLE_JSON, EXAMPLES, ROOT, cli, load

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(starting: str) -> str:
    m = re.search(r"```text\n" + re.escape(starting) + r"\n(.*?)```", README, re.DOTALL)
    assert m, f"README has no ```text block starting with {starting!r}"
    return m.group(1)


def test_validate_sample_is_a_real_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("validate", "examples/received/")
    assert result.exit_code == 1
    assert _block("$ xlgoals validate examples/received/") == result.stdout, \
        "README is stale: paste the output of `xlgoals validate examples/received/` (run from the repository root)"


def test_module_map_matches_the_tree():
    block = _block("xlgoals/")
    named = set(re.findall(r"(?<![\w/])(_?[a-z][a-z_]*(?:/_?[a-z_]+)*(?:\.py|/))", block))
    package = ROOT / "xlgoals"
    actual = {p.relative_to(package).as_posix() + ("/" if p.is_dir() else "")
              for p in package.iterdir() if not p.name.startswith("__") and p.name != "_data"}
    actual |= {p.relative_to(package).as_posix() for p in package.glob("_*/*.py") if p.name != "__init__.py"}
    missing = sorted(a for a in actual if a not in named and Path(a).name not in named)
    assert not missing, f"README's module map does not mention: {missing}"
    for name in named:
        if name.endswith((".py", "/")) and "/" in name.rstrip("/"):
            assert (package / name).exists() or (ROOT / name).exists(), f"README names {name}, which does not exist"


def test_rule_table_width_sample_is_a_real_run(tmp_path, monkeypatch):
    """The sample under *Indicator frameworks and rules are data*: a row of 7 columns under the 9-column header
    (a table written before field_en), given by a relative name from the folder it lies in."""
    shown = re.search(r"  ```text\n  (错误：本局规则\.csv.*?)\n  ```", README, re.S).group(1).split("\n  ")
    assert len(shown) == 2, "README's sample of a rule table's errors: one line of width, one of a threshold"
    lines = (ROOT / "schema" / "rules.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].rsplit(",", 1)[0]
    (tmp_path / "本局规则.csv").write_text(header + "\nrule.x,error,required,,标题,Title,字段\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("frameworks", "--rules", "本局规则.csv")
    assert result.exit_code == 2
    assert result.stderr == shown[0] + "\n", "README is stale, or the error names the file otherwise than as given"
    # the second: a threshold written as a percent where the table takes a fraction (0.9 for 90 %)
    row = next(r for r in lines if r.startswith("self.execution_unexplained,"))
    (tmp_path / "本局规则.csv").write_text(lines[0] + "\n" + row.replace('""min_rate"": 0.9', '""min_rate"": 90') + "\n",
                                       encoding="utf-8")
    result = cli("frameworks", "--rules", "本局规则.csv")
    assert result.exit_code == 2
    assert result.stderr == shown[1] + "\n", "README is stale"


# The README's commands and library snippets, run as a bureau would: in a folder holding what they name ------------
@pytest.fixture
def bureau(tmp_path, monkeypatch):
    """A bureau's working folder with every input the README's examples name: 收到/ (examples/received), 批复目标表/
    (the seed's goal tables), 自评收到/ and 监控收到/ (the example self-evaluations and monitoring reports), 去年/,
    指标库.csv, 本局规则.csv (one row: rule.current_le_total as a warning, as the README describes),
    本局指标体系/ (a framework file), 本局审核.json (the README's overlay) and examples/ itself."""
    for src, dst in (("received", "收到"), ("returns", "批复目标表"), ("review/上年", "去年")):
        shutil.copytree(EXAMPLES / src, tmp_path / dst)
    for src, dst in (("self-evaluation", "自评收到"), ("monitoring", "监控收到")):
        (tmp_path / dst).mkdir()
        for f in (EXAMPLES / src).glob("*.xlsx"):
            shutil.copy(f, tmp_path / dst)
    shutil.copy(EXAMPLES / "library.csv", tmp_path / "指标库.csv")
    rules = (ROOT / "schema" / "rules.csv").read_text(encoding="utf-8").splitlines()
    row = next(r for r in rules if r.startswith("rule.current_le_total,"))
    (tmp_path / "本局规则.csv").write_text(rules[0] + "\n" + row.replace(",error,", ",warning,", 1) + "\n",
                                       encoding="utf-8")
    (tmp_path / "本局指标体系").mkdir()
    shutil.copy(ROOT / "templates" / "national-2021.json", tmp_path / "本局指标体系")
    overlay = re.search(r"key by key \(`(\{.*?\})`\)", README).group(1)
    (tmp_path / "本局审核.json").write_text(overlay, encoding="utf-8")
    (tmp_path / "examples").symlink_to(EXAMPLES)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sh_commands() -> list[str]:
    """Every `xlgoals …` line of the README's ```sh blocks (the Quick start's after its install), comments cut."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.DOTALL):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line.split(".venv/bin/")[-1]).strip()
            if line.startswith("xlgoals "):
                commands.append(line)
    return commands


@pytest.mark.slow
def test_every_command_the_readme_shows_runs(bureau):
    """Each `xlgoals` command of the README's sh blocks, in a bureau's folder holding what it names: it runs
    (exit 0; 1 for the validation of 收到/, whose sample return fails) and writes what it names."""
    commands = _sh_commands()
    assert len(commands) >= 15, commands
    for command in commands:
        result = cli(*shlex.split(command)[1:])
        expected = 1 if command.startswith("xlgoals validate 收到/") else 0
        assert result.exit_code == expected, (command, result.output)
        assert "Traceback" not in result.output
    for made in ("汇总.xlsx", "绩效目标表模板.xlsx", "校验结果.json", "汇总.json", "汇总csv/汇总.csv", "退回/某局_某项目_问题标注.xlsx",
                 "自评汇总.xlsx", "自评汇总.json", "监控汇总.xlsx", "监控汇总.json"):
        assert (bureau / made).is_file(), made
    for folder in ("下发", "自评下发", "监控下发"):
        assert len(list((bureau / folder).glob("*.xlsx"))) == 5, folder
    _sheets_are_the_readmes(bureau)


def _sheets_are_the_readmes(bureau):
    """The template's and the summaries' sheets are those the README lists: the tables of *What a template looks
    like* and *What consolidate writes* (审核 with --review only), and each form's **Summary** paragraph."""
    from python_calamine import CalamineWorkbook

    table = README.split("## What a template looks like", 1)[1].split("| sheet | content |", 1)[1].split("\n\n")[0]
    book = CalamineWorkbook.from_path(bureau / "绩效目标表模板.xlsx")
    assert book.sheet_names == [row.split("|")[1].strip() for row in table.splitlines()[2:]]
    assert "very hidden" in table.splitlines()[-1] and str(book.sheets_metadata[-1].visible).endswith("VeryHidden")
    table = README.split("### What `consolidate` writes", 1)[1].split("| sheet | content |", 1)[1].split("\n\n")[0]
    listed = [name.strip() for row in table.splitlines()[2:] for name in row.split("|")[1].split(",")]
    made = CalamineWorkbook.from_path(bureau / "汇总.xlsx").sheet_names
    assert made == [n for n in listed if not n.startswith("审核")]
    for book, section in (("自评汇总.xlsx", "## Year-end self-evaluation"), ("监控汇总.xlsx", "## Mid-year monitoring")):
        paragraph = README.split(section, 1)[1].split("* **Summary** sheets: ", 1)[1].split("\n\n")[0]
        made = CalamineWorkbook.from_path(bureau / book).sheet_names
        assert paragraph.startswith(made[0] + " ") and set(made) <= set(re.findall(r"[\u4e00-\u9fff]+", paragraph)), \
            (book, made)


def _python_block(after: str) -> str:
    return re.search(re.escape(after) + r".*?```python\n(.*?)```", README, re.DOTALL).group(1)


def test_the_library_snippets_run(bureau, capsys):
    """The *Library* section's snippet (with `document` one of the seed's documents) and the review's snippet run
    as written, in a bureau's folder, and print what they say."""
    document = load(EXAMPLE_JSON[0])
    exec(_python_block("## Library"), {"document": document})  # noqa: S102 (the README's own code)
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"{p.code} {p.severity} {p.sheet} {p.cell} {p.message}"
                       for p in xlgoals.validate(["收到/"]).problems()]
    assert printed[0].startswith("cell.amount_wan error 项目信息 B10 ")
    for made in ("模板.xlsx", "return.xlsx", "汇总.xlsx"):
        assert (bureau / made).is_file(), made
    assert len(list((bureau / "监控下发").glob("*.xlsx"))) == 5

    exec("import xlgoals\n" + _python_block("`examples/review/` is a return"), {})  # noqa: S102
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(" ", 1)[0] for line in printed] == ["收到/某局_某项目.xlsx", "收到/职业培训基础能力建设资助.xlsx"]
    assert all("review." in line for line in printed), printed


# The command reference and each command's --help name the same options --------------------------------------------
def _reference_rows() -> dict[str, str]:
    """The Command reference table: each command's rows (usage and description), joined."""
    section = README.split("## Command reference", 1)[1].split("\n### ", 1)[0]
    rows: dict[str, str] = {}
    for row in re.findall(r"^\| `xlgoals (\w+)(.*)$", section, re.MULTILINE):
        rows[row[0]] = rows.get(row[0], "") + row[1]
    return rows


def _options(command) -> list[tuple[str, ...]]:
    import click

    return [tuple(p.opts + p.secondary_opts) for p in command.params
            if isinstance(p, click.Option) and not p.hidden and "--help" not in p.opts]


def test_the_command_reference_names_every_option_of_every_command():
    """Every option a command's --help lists is in that command's rows of the Command reference (or is one the
    paragraph below it gives every command: --rules, --frameworks, --lang), and every option a row names is one of
    the command's; the options of `xlgoals` itself (--version, --lang, -h) are documented too."""
    import click

    from xlgoals.cli import main

    ctx = click.Context(main)
    rows = _reference_rows()
    assert sorted(rows) == main.list_commands(ctx)
    every = {"--rules", "--frameworks", "--lang"}
    after = README.split("## Command reference", 1)[1].split("\n### ", 1)[0]
    assert "Every command but `schema` and `defaults` also takes `--rules FILE` and `--frameworks DIR`" in after
    for name, row in rows.items():
        command = main.get_command(ctx, name)
        options = _options(command)
        given = {o for names in options for o in names}
        named = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[a-z])(?![\w-])", row.split("|", 1)[0]))
        assert named <= given | {"--lang"}, (name, named - given)
        missing = [names for names in options if not any(re.search(re.escape(o) + r"(?![\w-])", row) for o in names)
                   and not every & set(names)]
        assert not missing, f"the README's Command reference does not name {missing} of `xlgoals {name}`"
        assert (every - {"--lang"}) <= given or name in ("schema", "defaults"), name
        assert "--lang" in given, name
    for names in _options(main):
        assert any(re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", README) for o in names), names
    assert "`-h`" in README


def test_the_reports_keys_and_columns_are_the_readmes(monkeypatch):
    """*What validate reports*: the JSON report's keys (top level and per file, in order; the problems' keys it
    names, `…` standing for the rest) and the CSV report's columns, with and without --review."""
    import json

    monkeypatch.chdir(ROOT)
    text = README.split("### What `validate` reports", 1)[1]
    shape = re.search(r"`--format json` gives `(.*?)`", text, re.DOTALL).group(1)
    files = re.search(r'"files": \[\{(.*?)"problems"', shape, re.DOTALL).group(1)
    problem = re.search(r'"problems": \[\{(.*?)\}\]', shape, re.DOTALL).group(1)
    top = re.sub(r"\[\{.*\}\]", "", shape, flags=re.DOTALL)
    report = json.loads(cli("validate", "examples/received/", "--format", "json").stdout)
    assert list(report) == re.findall(r'"(\w+)":', top)
    assert list(report["files"][0]) == re.findall(r'"(\w+)"', files) + ["problems"]
    assert set(re.findall(r'"(\w+)"', problem)) <= set(report["files"][0]["problems"][0])

    columns = re.search(r"columns `(file, valid, .*?)`, with `--review` then `(\w+)`, and last the file's `(\w+)` "
                        r"and `(\w+)` and the row's file's exact name `(\w+)`", text.replace("\n", " "))
    plain, last = columns.group(1).split(", "), [columns.group(3), columns.group(4), columns.group(5)]
    for review, expected in (([], plain + last), (["--review"], plain + [columns.group(2), *last])):
        header = cli("validate", "examples/received/", "--format", "csv", *review).stdout.splitlines()[0]
        assert header.lstrip("\ufeff").split(",") == expected, review


def test_the_stamps_the_readme_quotes_are_the_examples():
    """The template stamps the README quotes (`XLGOALS|form|layout|…`) are those of the example workbooks, and
    the layouts it names per form are the forms' (it quoted layout 1 for the goal table and monitoring report)."""
    from python_calamine import CalamineWorkbook

    stamps = {}
    for folder in ("returns", "self-evaluation", "monitoring"):
        book = CalamineWorkbook.from_path(next((EXAMPLES / folder).glob("*.xlsx")))
        for sheet in book.sheet_names:
            for row in book.get_sheet_by_name(sheet).to_python():
                stamps.update({c.split("|")[1]: c for c in row if isinstance(c, str) and c.startswith("XLGOALS|")})
    quoted = re.findall(r"`(XLGOALS\|[a-z-]+\|[^`]*)`", README)
    assert len(quoted) >= 3, quoted
    for q in quoted:
        form = q.split("|")[1]
        pattern = re.escape(q).replace("…", ".*")
        assert re.fullmatch(pattern, stamps[form]), (q, stamps[form])
    said = re.search(r"The goal table is at layout (\d+) .*?, the self-evaluation at (\d+), the monitoring report "
                     r"at (\d+)\.", README)
    assert [int(n) for n in said.groups()] == [xlgoals.FORMS[f].layout_version
                                               for f in ("goal-table", "self-evaluation", "monitoring")]


def test_the_reviews_json_additions_are_the_readmes(monkeypatch):
    """*Output* of the review: what `--review` adds to the JSON report, per file, to the summary and at the top."""
    import json

    monkeypatch.chdir(ROOT)
    said = re.search(r"`--format json` adds (.*?); `--format csv`", README.replace("\n", " ")).group(1)
    per_file, summary, top = re.fullmatch(r"(.*) per file, (.*) to the summary, and (.*) \(.*\)", said).groups()
    plain = json.loads(cli("validate", "examples/received/", "--format", "json").stdout)
    reviewed = json.loads(cli("validate", "examples/received/", "--format", "json", "--review").stdout)
    added = lambda a, b: sorted(set(b) - set(a))
    assert added(plain["files"][0], reviewed["files"][0]) == sorted(re.findall(r"`(\w+)`", per_file))
    assert added(plain["summary"], reviewed["summary"]) == sorted(re.findall(r"`\"?(\w+)", summary))
    assert added(plain, reviewed) == re.findall(r"`(\w+)`", top)
    assert reviewed["summary"]["review"] is True


def test_ci_runs_the_readmes_test_command_word_for_word():
    """.ci/run ends with the README's "Install and run the tests" command, as written: what CI runs is what a
    developer is told to run (and its options, such as the workers, are the README's)."""
    shown = re.search(r"Install and run the tests:\n\n```sh\n(.*?)\n```", README).group(1)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").rstrip("\n").splitlines()
    assert ci[-1] == shown, "README's test command and the last line of .ci/run differ"


def test_the_defaults_block_runs_as_written(tmp_path, monkeypatch):
    """The block after `xlgoals defaults --out-dir 本局表格/`, run as written in a folder holding only 收到/: its second
    command reads what the first wrote (exit 1: a sample return fails; not 2, a file not found)."""
    block = re.search(r"```sh\n(xlgoals defaults --out-dir 本局表格/\n.*?)```", README, re.DOTALL).group(1)
    shutil.copytree(EXAMPLES / "received", tmp_path / "收到")
    monkeypatch.chdir(tmp_path)
    commands = block.splitlines()
    assert len(commands) == 2
    assert cli(*shlex.split(commands[0])[1:]).exit_code == 0
    result = cli(*shlex.split(commands[1])[1:])
    assert result.exit_code == 1, result.output
