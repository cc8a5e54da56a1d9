"""Red team, third pass: the library's reads bounded as the command line's are, outputs that are links, control
characters in names, and what a full disk or a file-size limit names."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE_XLSX, ROOT

FIXTURES = Path(__file__).with_name("fixtures")


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.parametrize("call", ["read", "validate_file"])
def test_a_library_read_of_an_xls_that_aborts_the_reader_does_not_kill_the_caller(call):
    """xlgoals.read(path) ran calamine in the caller's process: a damaged .xls that makes calamine abort killed an
    analyst's notebook (exit 134, nothing said).  It is read in a bounded child, as the command line reads one: the
    caller lives and gets the one problem validate gives the file (file.crashed, located on the file)."""
    bad = FIXTURES / "calamine-abort.xls"
    proc = _python(f"import xlgoals\nr = xlgoals.{call}({str(bad)!r})\n"
                   "print([p.code for p in r.problems]); print(r.problems[0].message); print(r.problems[0].file)\n"
                   "print(r.sha256)\nprint('alive')")
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    codes, message, file, sha, alive = proc.stdout.splitlines()
    assert codes == "['file.crashed']" and "读取程序异常退出" in message and file == str(bad), proc.stdout
    assert len(sha) == 64 and alive == "alive"


def test_a_library_read_in_the_callers_process_on_request_gives_the_same_result():
    """``isolated=False`` reads in the caller's process (no child: for a caller that trusts its files); what it
    gives is what the bounded read gives."""
    import xlgoals

    here = xlgoals.read(EXAMPLE_XLSX[0], isolated=False)
    there = xlgoals.read(EXAMPLE_XLSX[0])
    assert here.document == there.document and dict(here.sources) == dict(there.sources)
    assert here.numbers == there.numbers and here.sha256 == there.sha256 and here.template == there.template
    assert [p.to_dict() for p in here.problems] == [p.to_dict() for p in there.problems]
    report = xlgoals.validate_file(EXAMPLE_XLSX[0], isolated=False)
    assert report.passes() and report.document == here.document


def test_a_library_read_passes_on_what_the_reader_raises(monkeypatch):
    """A fault the read raises (a bug, a bad argument) is raised to the caller as before, not turned into a
    problem of the file: only a reader that dies or overruns is the file's problem."""
    import xlgoals._read as mod

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(mod, "open_container", broken)
    with pytest.raises(ZeroDivisionError):
        mod.read(EXAMPLE_XLSX[0])


# --- an output path that is a link: the link is replaced, never written through ---------------------------------

def _link_cases(tmp_path):
    from .conftest import EXAMPLE_JSON

    ret = tmp_path / "in.xlsx"
    ret.write_bytes(EXAMPLE_XLSX[0].read_bytes())
    doc = tmp_path / "doc.json"
    doc.write_bytes(EXAMPLE_JSON[0].read_bytes())
    return {"read": (["read", ret, "-o"], "out.json"),
            "validate": (["validate", ret, "-o"], "out.json"),
            "fill": (["fill", doc, "-o"], "out.xlsx"),
            "template": (["template", "--year", "2026", "-o"], "out.xlsx"),
            "consolidate": (["consolidate", ret, "-o"], "out.xlsx"),
            "consolidate --json": (["consolidate", ret, "-o", tmp_path / "sum.xlsx", "--json"], "out.json")}


@pytest.mark.parametrize("command", ["read", "validate", "fill", "template", "consolidate", "consolidate --json"])
def test_an_output_that_is_a_link_is_replaced_not_written_through(tmp_path, command):
    """`read -o LINK --force`, LINK pointing to a workbook that is no input of the run, wrote the JSON into that
    workbook (its bytes gone).  The link itself is replaced by the output; what it pointed to is left as it was."""
    from .conftest import cli

    args, name = _link_cases(tmp_path)[command]
    kept = tmp_path / "kept" / "另一个单位.xlsx"
    kept.parent.mkdir()
    kept.write_bytes(EXAMPLE_XLSX[1].read_bytes())
    before = kept.read_bytes()
    link = tmp_path / name
    link.symlink_to(kept)
    refused = cli(*args, link)
    assert refused.exit_code == 2 and kept.read_bytes() == before, refused.output
    result = cli(*args, link, "--force")
    assert result.exit_code in (0, 1), result.output
    assert kept.read_bytes() == before, "written through the link"
    assert not link.is_symlink() and link.is_file() and link.stat().st_size > 0
    if name.endswith(".json"):
        import json

        json.loads(link.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", ["read", "validate", "fill", "consolidate", "consolidate --json"])
def test_an_output_link_to_an_input_is_refused_even_with_force(tmp_path, command):
    """A link at the output path that points to one of the run's inputs is refused, --force or not: nothing is
    written, the input and the link are left as they were."""
    from .conftest import cli

    args, name = _link_cases(tmp_path)[command]
    target = next(a for a in args if isinstance(a, Path) and a.suffix in (".xlsx", ".json"))
    before = target.read_bytes()
    link = tmp_path / name
    link.symlink_to(target)
    result = cli(*args, link, "--force")
    assert result.exit_code == 2, result.output
    assert target.read_bytes() == before and link.is_symlink()


# --- an indicator library workbook is read within the run's limits --------------------------------------------------

@pytest.mark.parametrize("through", ["review", "template"])
def test_a_library_workbook_is_read_within_the_run_s_limits(tmp_path, monkeypatch, through):
    """_review._library._rows_workbook bounded its child with the packaged limits.json, not the configuration's
    (``cfg.limits``) as every return's worker is: the run's limits hold for the library workbook too."""
    import csv

    import openpyxl

    import xlgoals._parallel as par
    from xlgoals._config import Config
    from xlgoals._review import load_review
    from xlgoals._review._library import _load

    from .conftest import EXAMPLES

    book = openpyxl.Workbook()
    with open(EXAMPLES / "library.csv", encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            book.active.append(row)
    lib = tmp_path / "指标库.xlsx"
    book.save(lib)
    mine = {**Config.load().limits, "file_seconds": 17, "worker_memory_mb": 777}
    monkeypatch.setattr(Config, "limits", property(lambda self: dict(mine)))
    seen = []
    real = par.bounded

    def recording(fn, item, limits, *args, **kwargs):
        seen.append(dict(limits))
        return real(fn, item, limits, *args, **kwargs)

    monkeypatch.setattr(par, "bounded", recording)
    _load.cache_clear()
    if through == "review":
        review = load_review(library=lib, config=Config.load())
        assert review.library is not None and review.library.entries
    else:
        from xlgoals import write_template

        write_template(tmp_path / "t.xlsx", library=lib)
    assert seen and all(s["file_seconds"] == 17 and s["worker_memory_mb"] == 777 for s in seen), seen


# --- a file-size limit met while consolidate holds the returns' contents -------------------------------------------

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_size_limit_while_consolidating_names_the_summary_asked_for(tmp_path, jobs):
    """Under `ulimit -f`, consolidate stopped with 无法读写文件：/tmp/xlgoals-spool-…/26416（文件超过系统允许的大小）: a
    temporary file the clerk never named.  The message names the summary asked for (and where the temporary
    files go, which the clerk can change); nothing is written."""
    import resource

    from .helpers import files_under, one_line

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (8 * 1024, 8 * 1024))

    out = tmp_path / "汇总.xlsx"
    for lang, said in (("zh", "文件超过系统允许的大小"), ("en", "larger than the system allows")):
        proc = subprocess.run([sys.executable, "-m", "xlgoals", "consolidate", str(ROOT / "examples" / "returns"),
                               "-o", str(out), "--json", str(tmp_path / "汇总.json"), "--jobs", jobs, "--lang", lang],
                              capture_output=True, text=True, preexec_fn=limit, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.returncode == 1, (proc.returncode, proc.stderr)
        line = one_line(proc.stderr)
        assert str(out) in line and said in line.lower() and "xlgoals-spool" not in line, proc.stderr
        assert line.startswith("错误：" if lang == "zh" else "Error: "), line
        assert files_under(tmp_path) == [], files_under(tmp_path)


# --- control characters in the names a template is made with -------------------------------------------------------

_CONTROLS = {"ESC": "\x1b[31m", "NUL": "\x00", "DEL": "\x7f", "C1": "\x9b", "bidi override": "\u202e",
             "bidi isolate": "\u2066"}


def test_a_project_list_row_with_a_control_character_is_refused_and_located(tmp_path):
    """A unit or project name holding ESC, NUL, DEL, a C1 control or a bidi override was locked into the template
    (the department cannot change it) and put into its file name (上海市就业促进中心_[31m红_….xlsx).  Each such row
    is refused with its line, the column and the character shown as an escape; the other rows are written."""
    import csv

    from xlgoals import prefill_templates

    from .conftest import EXAMPLES

    with open(EXAMPLES / "projects.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    header, good = rows[0], rows[1]
    lines = [header, good]
    for i, ch in enumerate(_CONTROLS.values()):
        row = list(good)
        row[i % 2] = f"{row[i % 2]}{ch}{i}"  # the unit, then the project name
        row[1] = f"{row[1]}{i}" if i % 2 == 0 else row[1]
        lines.append(row)
    listing = tmp_path / "清单.csv"
    with open(listing, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(lines)
    result = prefill_templates(listing, tmp_path / "下发", year=2020)
    assert [p.name for p in result.written] == [f"{good[0]}_{good[1]}.xlsx"]
    assert len(result.errors) == len(_CONTROLS)
    for line, (error, ch) in enumerate(zip(result.errors, _CONTROLS.values()), start=3):
        column = header[(line - 3) % 2]
        said = f"\\u{ord(ch[0]):04x}"
        assert error.startswith(f"{listing}") and f"第 {line} 行" in error, error
        assert f"“{column}”含有不可见的控制字符 {said}" in error, error
        assert said in error.en and "control character" in error.en, error.en
    assert sorted(p.name for p in (tmp_path / "下发").iterdir()) == [f"{good[0]}_{good[1]}.xlsx"]


@pytest.mark.parametrize("name", list(_CONTROLS))
def test_fill_refuses_a_document_with_a_control_character_in_a_name(tmp_path, name):
    """fill wrote a document's project name with an ESC (or a NUL, a bidi override …) into the workbook.  It is
    refused, located by the JSON pointer, and nothing is written; the command line says it in one place."""
    import json

    from xlgoals import DocumentError, fill

    from .conftest import EXAMPLE_JSON, cli

    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    doc["project"]["name"] += _CONTROLS[name]
    with pytest.raises(DocumentError) as caught:
        fill(doc, tmp_path / "r.xlsx")
    assert [(p.code, p.path) for p in caught.value.problems] == [("schema.control_char", "/project/name")]
    assert f"\\u{ord(_CONTROLS[name][0]):04x}" in caught.value.problems[0].message
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")
    result = cli("fill", src, "-o", tmp_path / "r.xlsx")
    assert result.exit_code != 0 and "/project/name" in result.stderr and "控制字符" in result.stderr, result.output
    assert not (tmp_path / "r.xlsx").exists()


def test_a_self_evaluation_template_is_not_made_from_a_goal_table_with_a_control_character(tmp_path):
    """An approved goal table (JSON) whose project name holds an ESC made a self-evaluation template locking it and
    named after it.  That goal table is refused, said with its file and the pointer."""
    import json

    from xlgoals import self_evaluation_templates

    from .conftest import EXAMPLE_JSON

    goals = tmp_path / "批复"
    goals.mkdir()
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    doc["project"]["name"] += "\x1b[2J"
    (goals / "a.json").write_text(json.dumps(doc, ensure_ascii=True), encoding="utf-8")
    result = self_evaluation_templates([goals], tmp_path / "自评")
    assert result.written == [] and len(result.errors) == 1, (result.written, result.errors)
    assert "a.json" in result.errors[0] and "控制字符 \\u001b" in result.errors[0], result.errors


def test_a_self_evaluation_template_is_not_made_from_a_goal_table_workbook_with_a_control_character(tmp_path):
    """The same for an approved goal table workbook (its cell holds _x001B_, as Excel writes an ESC): refused, said
    with its file; no template named after it."""
    import zipfile

    from xlgoals import read, self_evaluation_templates

    name = read(EXAMPLE_XLSX[0], isolated=False).document["project"]["name"].encode()
    goals = tmp_path / "批复"
    goals.mkdir()
    with zipfile.ZipFile(EXAMPLE_XLSX[0]) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    assert b"<t>" + name + b"</t>" in parts["xl/sharedStrings.xml"]
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"<t>" + name + b"</t>",
                                                                          b"<t>" + name + b"_x001B_[2J</t>")
    with zipfile.ZipFile(goals / "a.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in parts.items():
            zout.writestr(n, d)
    result = self_evaluation_templates([goals], tmp_path / "自评")
    assert result.written == [] and len(result.errors) == 1, (result.written, result.errors)
    assert "a.xlsx" in result.errors[0] and "控制字符 \\u001b" in result.errors[0], result.errors


def test_a_goal_table_workbook_with_a_control_character_is_refused_though_the_rule_is_lowered(tmp_path):
    """A bureau's --rules may lower schema.control_char to a warning (its rows replace the packaged ones, severity
    included): the goal table workbook then reads without an error, yet the template would still lock the ESC and
    be named with it.  It is refused all the same, as fill refuses it whatever the rule's severity."""
    import csv
    import zipfile

    from xlgoals import Config, read, self_evaluation_templates
    from xlgoals._resources import data_dir

    name = read(EXAMPLE_XLSX[0], isolated=False).document["project"]["name"].encode()
    goals = tmp_path / "批复"
    goals.mkdir()
    with zipfile.ZipFile(EXAMPLE_XLSX[0]) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(b"<t>" + name + b"</t>",
                                                                          b"<t>" + name + b"_x001B_[2J</t>")
    with zipfile.ZipFile(goals / "a.xlsx", "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in parts.items():
            zout.writestr(n, d)
    with open(data_dir("schema") / "rules.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    row = next(r for r in rows if r and r[0] == "schema.control_char")
    row[1] = "warning"
    rules = tmp_path / "rules.csv"
    with open(rules, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], row])
    config = Config.load(rules)
    said = [p for p in read(goals / "a.xlsx", config=config).problems if p.code == "schema.control_char"]
    assert [p.severity for p in said] == ["warning"], said  # the reader says it, lowered: no error
    result = self_evaluation_templates([goals], tmp_path / "自评", config=config)
    assert result.written == [] and len(result.errors) == 1, (result.written, result.errors)
    assert "a.xlsx" in result.errors[0] and "控制字符 \\u001b" in result.errors[0], result.errors


def test_a_file_name_made_from_a_department_s_name_holds_no_c1_control_or_del(tmp_path):
    """safe_filename replaced the C0 controls (ESC, NUL) but kept DEL and the C1 controls (\\x9b is a terminal's CSI):
    an annotated copy of 某局\\x7f\\x9b项目.xlsx was named with them.  They are replaced as the C0 ones are."""
    from xlgoals._paths import safe_filename

    assert safe_filename("某局\x7f\x9b[31m项目\x85") == "某局__[31m项目_"
    from .conftest import EXAMPLES, cli

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "某局\x7f\x9b项目.xlsx").write_bytes((EXAMPLES / "received" / "某局_某项目.xlsx").read_bytes())
    result = cli("validate", inbox, "--annotate", tmp_path / "标注")
    assert result.exit_code == 1, result.output
    assert [p.name for p in (tmp_path / "标注").iterdir()] == ["某局__项目_问题标注.xlsx"]
