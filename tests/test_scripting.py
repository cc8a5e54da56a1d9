"""What scripts and analysts rely on: every file found once and accounted for, outputs of the same shape every run.

Found by red-teaming xlgoals as the bureau's IT people use it (nightly `validate`/`consolidate` over folders,
JSON and CSV read into other systems, `frames()` in pandas).
"""

import json
import os
import shutil
from pathlib import Path

import pytest

from xlgoals import consolidate, validate

from .conftest import EXAMPLE_XLSX, cli


@pytest.fixture
def inbox(tmp_path):
    d = tmp_path / "收件箱"
    d.mkdir()
    for src in EXAMPLE_XLSX[:3]:
        shutil.copy(src, d / src.name)
    return d


def test_a_folder_given_twice_under_two_spellings_is_checked_once(inbox, tmp_path, monkeypatch):
    """`validate 收件箱 /abs/收件箱` (a script adding an absolute path, a folder reached through a link) checked
    every file twice: 6 files for 3, and consolidate called each return a duplicate of itself."""
    monkeypatch.chdir(tmp_path)
    alias = tmp_path / "别名"
    alias.symlink_to(inbox, target_is_directory=True)
    one = EXAMPLE_XLSX[0].name
    for paths in (["收件箱", str(inbox)], ["收件箱", "别名"], ["收件箱", str(inbox / one)], ["收件箱/", f"./别名/{one}"]):
        report = validate(paths, jobs=1)
        assert len(report.files) == 3, (paths, [f.path for f in report.files])
        assert report.files[0].path.startswith("收件箱"), "the spelling given first is kept"
    result = consolidate(["收件箱", str(inbox)], tmp_path / "out" / "汇总.xlsx", jobs=1)
    assert len(result.records) == 3 and not any(r.duplicate for r in result.records)


def test_a_linked_folder_inside_the_inbox_is_not_dropped_unseen(inbox, tmp_path):
    """A folder in the inbox that is a link to a department's share elsewhere was silently not searched:
    `validate` said no workbook was found (exit 0) for a folder of returns.  It is listed as not checked."""
    share = tmp_path / "共享"
    share.mkdir()
    shutil.copy(EXAMPLE_XLSX[3], share / "d.xlsx")
    only = tmp_path / "只有链接"
    only.mkdir()
    (only / "某局").symlink_to(share, target_is_directory=True)
    (inbox / "某局").symlink_to(share, target_is_directory=True)
    (inbox / "自己").symlink_to(inbox, target_is_directory=True)  # a loop: its files are checked where they are,
    # the link listed as a loop (mendBS)

    report = validate([only], jobs=1)
    assert [os.path.basename(s) for s in report.skipped] == ["某局"]
    out = cli("validate", only, "--format", "json")
    data = json.loads(out.stdout)
    (reason,) = data["skipped_reasons"].values()
    assert "链接" in reason and data["skipped"] == [str(only / "某局")]
    text = cli("validate", only)
    assert "某局" in text.stdout and "未检查" in text.stdout

    report = validate([inbox], jobs=1)
    assert len(report.files) == 3
    assert sorted(os.path.basename(s) for s in report.skipped) == ["某局", "自己"]
    assert "循环" in report.skipped_reasons[str(inbox / "自己")][0]


def test_a_folder_that_cannot_be_listed_is_reported_not_dropped(inbox, monkeypatch):
    """A subfolder the bureau's account may not read (a department's own permissions) was skipped by the
    folder walk without a word; it is listed as not checked, with the reason."""
    locked = inbox / "加密"
    locked.mkdir()
    shutil.copy(EXAMPLE_XLSX[4], locked / "e.xlsx")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path).endswith("加密"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = validate([inbox], jobs=1)
    # (mendDH: its returns unknown, the folder fails, folder.unreadable, rather than one line "not checked")
    assert len(report.files) == 4 and report.skipped == [] and not report.valid
    (p,) = next(f for f in report.files if f.path == str(locked)).problems
    assert p.code == "folder.unreadable"
    assert "没有访问权限" in p.message and "permission denied" in p.message_en


EXAMPLES = Path(__file__).parent.parent / "examples"


def _shape(f):
    return {name: {c: str(t) for c, t in getattr(f, name).dtypes.items()} for name in ("projects", "indicators", "problems")}


@pytest.mark.parametrize("one, many", [
    ([EXAMPLE_XLSX[0]], [EXAMPLES / "returns", EXAMPLES / "received"]),
    ([EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx"],
     [EXAMPLES / "self-evaluation", EXAMPLES / "received-self-evaluation"]),
    ([EXAMPLES / "monitoring" / "05_促进就业专项业务费.xlsx"], [EXAMPLES / "monitoring"]),
], ids=["goal-table", "self-evaluation", "monitoring"])
def test_frames_have_the_same_columns_and_dtypes_from_run_to_run(one, many):
    """A nightly job appending frames() to a table (parquet, a database) broke when a night's returns had no
    duplicate, no problem or no deviation: text columns came out as `object` instead of text, a column of an
    indicator field no return filled was missing, dates changed their unit.  The shape is the form's."""
    from xlgoals import frames

    quiet, busy = frames(one, jobs=1), frames(many, jobs=1)
    assert len(quiet.problems) < len(busy.problems) and len(quiet.projects) < len(busy.projects)
    assert _shape(quiet) == _shape(busy)
    for name in ("note", "path", "sha256", "contact.phone"):
        assert quiet.projects[name].dtype == busy.projects[name].dtype == quiet.projects["project.name"].dtype
    assert str(busy.projects["year"].dtype) == "Int64"


def test_frames_of_a_mixed_folder_keep_whole_months():
    """Goal tables beside monitoring reports made `month` a float column (6.0, NaN): it is a nullable integer."""
    from xlgoals import frames

    f = frames([EXAMPLE_XLSX[0], EXAMPLES / "monitoring" / "05_促进就业专项业务费.xlsx"], jobs=1)
    assert str(f.projects["month"].dtype) == "Int64"
    months = {Path(p).parent.name: m for p, m in zip(f.projects["path"], f.projects["month"])}
    assert months["monitoring"] == 6 and months["returns"] is __import__("pandas").NA
    assert _shape(frames([EXAMPLES / "monitoring"], jobs=1))["projects"]["month"] == "Int64"


def test_validate_json_gives_every_value_found_as_text_and_each_files_form(tmp_path):
    """`value` in validate's JSON was text ("6280万元", "0") for most problems and a JSON number for a negative
    amount (-100.5, as a float: -0.30000000000000004 or 1e-05 for others), so a loader with a text column failed;
    and a file's form was not given, so a mixed folder's report could not be split.  Every value found is text
    (or null), and each file says its form ("" when it could not be read)."""
    from .helpers import edited, info_cell

    d = tmp_path / "in"
    d.mkdir()
    edited(EXAMPLE_XLSX[4], d / "neg.xlsx", {info_cell("/budget/total"): -100.5})
    edited(EXAMPLE_XLSX[3], d / "tiny.xlsx", {info_cell("/budget/total"): -0.00001})
    shutil.copy(EXAMPLES / "monitoring" / "05_促进就业专项业务费.xlsx", d / "mon.xlsx")
    (d / "bad.xlsx").write_bytes(b"not a workbook")
    out = cli("validate", d, "--format", "json")
    data = json.loads(out.stdout)
    values = {(Path(f["path"]).name, p["code"]): p["value"] for f in data["files"] for p in f["problems"]}
    assert values[("neg.xlsx", "cell.amount_negative")] == "-100.5"
    assert values[("tiny.xlsx", "cell.amount_negative")] == "-0.00001"
    assert all(v is None or isinstance(v, str) for v in values.values()), values
    forms = {Path(f["path"]).name: f["form"] for f in data["files"]}
    assert forms == {"neg.xlsx": "goal-table", "tiny.xlsx": "goal-table", "mon.xlsx": "monitoring", "bad.xlsx": ""}
    assert [list(f) for f in data["files"]] == [list(data["files"][0])] * 4  # the same keys, in one order
    from xlgoals import frames

    problems = frames([d], jobs=1).problems  # frames() gives each value as the reports do
    assert dict(zip(problems["file"].map(lambda f: Path(f).name), problems["value"]))["tiny.xlsx"] == "-0.00001"


@pytest.mark.parametrize("form, folder, sheet", [("self-evaluation", "self-evaluation", "项目得分"),
                                                 ("monitoring", "monitoring", "项目进度")])
def test_every_summary_lists_each_returns_path(tmp_path, form, folder, sheet):
    """Every department sends its 绩效自评表.xlsx in its own folder: the goal-table summary's 项目清单 gives each
    return's path, but 项目得分 and 项目进度 gave only the file's name, the same on every row, so an analyst could
    not tell which file a row (a failing or duplicate one above all) came from.  They give the path too."""
    import csv

    import openpyxl

    src = sorted((EXAMPLES / folder).glob("*.xlsx"))[:2]
    inbox = tmp_path / "收件箱"
    for unit, s in zip(("甲局", "乙局"), src):
        (inbox / unit).mkdir(parents=True)
        shutil.copy(s, inbox / unit / "报表.xlsx")
    out = tmp_path / "out"
    consolidate([inbox], out / "汇总.xlsx", jobs=1, csv_dir=out / "csv", json_path=out / "汇总.json")
    with open(out / "csv" / f"{sheet}.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted(r["文件路径"] for r in rows) == [str(inbox / "乙局" / "报表.xlsx"), str(inbox / "甲局" / "报表.xlsx")]
    table = json.loads((out / "汇总.json").read_text(encoding="utf-8"))["projects"]
    # the fixed columns first (文件路径 and SHA-256 among them), a self-evaluation's per-一级 scores after them,
    # 文件路径字节 last (README: column layout of the CSV and JSON tables)
    assert table["columns"][-1] == "文件路径字节"
    assert table["columns"].index("文件路径") + 1 == table["columns"].index("SHA-256")
    ws = openpyxl.load_workbook(out / "汇总.xlsx")[sheet]
    heads = [c.value for row in ws.iter_rows(max_row=6) for c in row
             if c.value in ("来源文件", "文件路径", "SHA-256", "文件路径字节")]
    assert heads == ["来源文件", "文件路径", "SHA-256", "文件路径字节"]


def test_the_summary_line_accounts_for_every_file_once(tmp_path):
    """A return that fails and repeats a project already received was counted twice, as failed and as a
    duplicate: "共 7 个文件 … 计入 5 个项目；未通过或无法读取 1 个，重复申报 2 个" adds up to 8.  A failing
    return is counted as failed; 重复申报 counts the passing returns left out as duplicates, so counted + failed +
    duplicates = files, and files + not checked = everything found."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for src in [*EXAMPLE_XLSX, *sorted((EXAMPLES / "received").glob("*.xlsx"))]:
        shutil.copy(src, inbox / src.name)
    (inbox / "说明.txt").write_text("附件说明", encoding="utf-8")
    result = consolidate([inbox], tmp_path / "out" / "汇总.xlsx", jobs=1)
    t = result.totals
    failing_duplicate = [r for r in result.records if r.duplicate and r.status.code != "ok"]
    assert failing_duplicate, "the example 某局_某项目.xlsx fails and repeats 促进就业专项资金"
    assert (t["files"], t["projects"], t["invalid"], t["skipped"]) == (7, 5, 1, 1)
    assert t["projects"] + t["invalid"] + t["duplicates"] == t["files"]
    out = cli("consolidate", inbox, "-o", tmp_path / "out2" / "汇总.xlsx")
    assert "共 7 个文件" in out.stdout and "计入 5 个项目" in out.stdout
    # the failing duplicate, counted as failed, is said apart: never taken for none (mendEN)
    assert ("未通过或无法读取 1 个，重复申报 1 个（未计入），另有重复申报 1 个（未通过校验，已计入前面未通过的 1 个），"
            "未检查的文件 1 个") in out.stdout, out.stdout


@pytest.mark.slow
def test_reports_on_a_non_utf8_standard_output_are_utf8_and_never_a_traceback(tmp_path):
    """On Chinese Windows a redirected standard output is in the ANSI code page (GBK): `xlgoals validate 收件箱 >
    报告.txt` ended in a UnicodeEncodeError traceback at the first ✓ (nothing written), `--format csv` at its BOM,
    and `--format json > out.json` wrote GBK, which JSON readers (UTF-8 by its standard) misread.  Piped or
    redirected output is UTF-8, whatever the locale (as `-o` writes it)."""
    import subprocess
    import sys

    d = tmp_path / "收件箱"
    d.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], d / "項目 ✓ 😀.xlsx")  # a name GBK cannot write
    shutil.copy(EXAMPLES / "received" / "某局_某项目.xlsx", d / "某局.xlsx")
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(Path(__file__).parent.parent)}

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], capture_output=True, env=env,
                              timeout=120)
        assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
        return done

    text = run("validate", d)
    assert text.returncode == 1 and "✓ 通过" in text.stdout.decode("utf-8") and "😀" in text.stdout.decode("utf-8")
    data = json.loads(run("validate", d, "--format", "json").stdout.decode("utf-8"))
    assert sorted(Path(f["path"]).name for f in data["files"]) == ["某局.xlsx", "項目 ✓ 😀.xlsx"]
    table = run("validate", d, "--format", "csv").stdout
    assert table.startswith("\ufeff".encode("utf-8")) and "項目 ✓ 😀.xlsx" in table.decode("utf-8-sig")
    read = run("read", d / "項目 ✓ 😀.xlsx")
    assert read.returncode == 0 and json.loads(read.stdout.decode("utf-8"))["year"] == 2020
    missing = run("consolidate", tmp_path / "没有 ✓", "-o", tmp_path / "s.xlsx")
    assert missing.returncode == 2 and "没有 ✓" in missing.stderr.decode("utf-8")


def test_every_file_that_could_be_read_as_bytes_has_its_sha256(tmp_path, monkeypatch):
    """A PDF sent instead of the return, a damaged workbook, a file that crashed or hung the reader: their
    SHA-256 was "" in every report (JSON, CSV, 校验结果), though these are the files a bureau most needs to
    identify (is this the same broken file again? which file crashed the reader?).  It is given for every file
    that exists; an empty file (a download that never finished) too: it was "" there, and the 校验结果 cell blank."""
    import hashlib
    import csv

    import xlgoals._check._validate as mod
    from xlgoals import Config

    d = tmp_path / "收件箱"
    d.mkdir()
    (d / "a_报告.xlsx").write_bytes(b"%PDF-1.7 a scanned return")
    (d / "b_截断.xlsx").write_bytes(EXAMPLE_XLSX[0].read_bytes()[:3000])
    shutil.copy(EXAMPLE_XLSX[1], d / "c_abort.xlsx")
    shutil.copy(EXAMPLE_XLSX[2], d / "d_ok.xlsx")
    (d / "e_空.xlsx").write_bytes(b"")
    real = mod.read
    monkeypatch.setattr(mod, "read", lambda path, **kw: os.abort() if "abort" in str(path) else real(path, **kw))
    cfg = Config.load()
    report = validate([d], jobs=2, config=cfg)
    digests = {Path(f.path).name: f.sha256 for f in report.files}
    assert digests == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.iterdir())}
    codes = {Path(f.path).name: [p.code for p in f.problems] for f in report.files}
    assert codes["a_报告.xlsx"] == ["file.not_workbook"] and codes["c_abort.xlsx"] == ["file.crashed"]
    assert codes["e_空.xlsx"] == ["file.empty"]
    result = consolidate([d], tmp_path / "out" / "汇总.xlsx", jobs=2, config=cfg, csv_dir=tmp_path / "out" / "csv")
    with open(tmp_path / "out" / "csv" / "校验结果.csv", encoding="utf-8-sig", newline="") as fh:
        listed = {r["文件"]: r["SHA-256"] for r in csv.DictReader(fh)}
    assert listed == digests
    assert len(result.records) == 5


@pytest.mark.parametrize("jobs, error", [("2", TypeError), (2.0, TypeError), (True, TypeError), (-1, ValueError)])
def test_a_bad_jobs_argument_is_said_before_anything_runs(tmp_path, jobs, error):
    """validate(jobs="2") (a value read from a config file) failed deep in the pool with "'<' not supported
    between instances of 'int' and 'str'"; jobs=-1 (joblib's "all cores") silently ran one worker."""
    from xlgoals import frames

    for call in (lambda: validate(EXAMPLE_XLSX[:2], jobs=jobs), lambda: frames(EXAMPLE_XLSX[:2], jobs=jobs),
                 lambda: consolidate(EXAMPLE_XLSX[:2], tmp_path / "s.xlsx", jobs=jobs)):
        with pytest.raises(error, match="jobs= 应为 0 至 256 之间的整数"):
            call()
    assert not (tmp_path / "s.xlsx").exists()
    assert len(validate(EXAMPLE_XLSX[:2], jobs=0).files) == 2  # 0, as None: all cores


def test_frames_of_two_nights_concatenate_without_losing_their_categories():
    """A night of goal tables and a night of monitoring reports: `framework` and `form` were categories of the
    values present, so that pd.concat of the two nights' frames fell back to plain objects; they list every
    framework and form there is, and 项目类别 every choice of every framework."""
    import pandas as pd

    from xlgoals import FORMS, Config, frames

    one, other = frames([EXAMPLE_XLSX[0]], jobs=1), frames([EXAMPLES / "monitoring"], jobs=1)
    for name in ("framework", "form"):
        assert list(one.projects[name].cat.categories) == list(other.projects[name].cat.categories)
    assert list(one.projects["form"].cat.categories) == list(FORMS)
    assert list(one.projects["framework"].cat.categories) == sorted(Config.load().frameworks.ids())
    both = pd.concat([one.projects, other.projects], ignore_index=True)
    assert isinstance(both["framework"].dtype, pd.CategoricalDtype) and isinstance(both["form"].dtype, pd.CategoricalDtype)
    categories = list(one.projects["project.category"].cat.categories)
    # every framework's categories, national-2021's first (by id), each framework's in its own order
    assert categories[:3] == ["其他运转类项目", "特定目标类项目", "基本建设项目"]
    assert categories.index("经常性专项业务费") + 1 == categories.index("一次性专项业务费")


@pytest.mark.parametrize("jobs, error", [("2", TypeError), (-1, ValueError)])
def test_load_review_says_a_bad_jobs_argument_as_validate_does(jobs, error):
    """load_review(previous=…, jobs=) reads last year's returns on `jobs` workers: "2" failed deep in the pool
    ("'<' not supported …") and -1 silently ran one worker, as validate's jobs= did."""
    from xlgoals import load_review

    with pytest.raises(error, match="jobs= 应为 0 至 256 之间的整数"):
        load_review(previous=EXAMPLE_XLSX[:2], jobs=jobs)


def test_a_folder_given_twice_lists_what_it_does_not_check_once(inbox, tmp_path, monkeypatch):
    """Its returns were checked once, but its other files, its editor lock files and a link in it to a folder
    elsewhere were listed (and counted) under each spelling: 未检查的文件 3 个 for one notes.txt given three ways."""
    monkeypatch.chdir(tmp_path)
    share = tmp_path / "共享"
    share.mkdir()
    (inbox / "某局").symlink_to(share, target_is_directory=True)
    (inbox / "说明.txt").write_text("", encoding="utf-8")
    (inbox / "~$a.xlsx").write_bytes(b"")
    report = validate(["收件箱", str(inbox), "./收件箱/"], jobs=1)
    assert len(report.files) == 3
    assert sorted(os.path.basename(s) for s in report.skipped) == ["某局", "说明.txt"], report.skipped
    assert all(s.startswith("收件箱") for s in report.skipped), "the spelling given first is kept"
    assert [os.path.basename(s) for s in report.ignored] == ["~$a.xlsx"], report.ignored


def test_the_csv_report_gives_each_files_form_and_digest_last(tmp_path):
    """As the JSON report does: a mixed folder's CSV splits by form, and a file is known by its SHA-256; both come
    last, so the columns before them (and --review's review_score) keep their places."""
    import csv as csv_module
    import hashlib
    import io
    import shutil

    from .conftest import EXAMPLES, cli

    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES / "received", inbox / "goal")
    shutil.copytree(EXAMPLES / "received-self-evaluation", inbox / "self")
    for review in ([], ["--review"]):
        result = cli("validate", inbox, "--format", "csv", *review)
        rows = list(csv_module.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        assert rows[0][:11] == ["file", "valid", "code", "severity", "sheet", "cell", "field", "value", "expected",
                                "message", "path"]
        assert rows[0][11:] == (["review_score"] if review else []) + ["form", "sha256", "file_bytes"]
        checked = [r for r in rows[1:] if not r[2].startswith("skipped.")]
        assert {r[-3] for r in checked} == {"goal-table", "self-evaluation"}
        for r in checked:
            assert r[-2] == hashlib.sha256((tmp_path / "inbox" / r[0].split("inbox/", 1)[1]).read_bytes()).hexdigest() \
                if "inbox/" in r[0] else len(r[-2]) == 64
    # last night's report in the inbox, of either header, is taken for xlgoals' own: written over, not refused
    report = inbox / "校验结果.csv"
    for old_header in (False, True):
        if old_header:  # as written before the form and digest columns
            report.write_bytes(report.read_bytes().replace(b",review_score,form,sha256,file_bytes\r\n",
                                                           b",review_score\r\n", 1))
        again = cli("validate", inbox, "--format", "csv", "--review", "-o", report)
        assert again.exit_code == 1, again.output  # 某局_某项目.xlsx fails; the report is written
        assert report.read_text(encoding="utf-8-sig").splitlines()[0].endswith(",review_score,form,sha256,file_bytes")


def test_the_csv_report_accounts_for_the_lock_and_system_files_it_ignored(tmp_path):
    """The JSON report lists them (`ignored`) and the text report counts them, but the CSV had no row for them: a
    script reconciling the CSV's files with the folder's found files missing.  Each is a `file.ignored` row."""
    import csv as csv_module
    import io
    import shutil

    from .conftest import EXAMPLES, cli

    inbox = tmp_path / "inbox"
    shutil.copytree(EXAMPLES / "received", inbox)
    (inbox / "~$某局_某项目.xlsx").write_bytes(b"\x06WPS" + b"\x00" * 160)
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / "说明.txt").write_text("见附件", encoding="utf-8")
    on_disk = sorted(p.name for p in inbox.iterdir())
    for lang, message in (("zh", "编辑器锁定文件或系统文件，已忽略"), ("en", "an editor lock file or system file, ignored")):
        rows = list(csv_module.DictReader(io.StringIO(cli("validate", inbox, "--format", "csv", "--lang", lang)
                                                      .stdout.lstrip("\ufeff"))))
        assert sorted({Path(r["file"]).name for r in rows}) == on_disk
        ignored = [r for r in rows if r["code"] == "file.ignored"]
        assert sorted(Path(r["file"]).name for r in ignored) == [".DS_Store", "~$某局_某项目.xlsx"]
        assert {(r["valid"], r["severity"], r["message"], r["sha256"]) for r in ignored} == {("", "notice", message, "")}


def test_a_hidden_folder_in_the_inbox_is_said_not_dropped_unseen(inbox, tmp_path):
    """A hidden folder in the inbox (a sync tool's `.stversions`, a department's `.备份`) was not searched and not
    said anywhere: its returns were missing from every report, the CSV's and 校验结果's rows included, and a script
    counting the folder's workbooks found fewer in the report.  It is listed as not checked, with how to check it;
    a run's own staging folder is not."""
    import csv as csv_module
    import io

    hidden = inbox / ".stversions"
    hidden.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], hidden / "旧版本.xlsx")
    (inbox / ".xlgoals-999999999-x-stage").mkdir()
    report = validate([inbox], jobs=1)
    assert len(report.files) == 3
    assert report.skipped == [str(hidden)]
    assert "隐藏文件夹" in report.skipped_reasons[str(hidden)][0] and "hidden" in report.skipped_reasons[str(hidden)][1]
    rows = list(csv_module.DictReader(io.StringIO(cli("validate", inbox, "--format", "csv").stdout.lstrip("\ufeff"))))
    assert [(r["file"], r["code"]) for r in rows if r["file"] == str(hidden)] == [(str(hidden), "skipped.hidden_folder")]
    out = tmp_path / "out"
    result = consolidate([inbox], out / "汇总.xlsx", jobs=1, csv_dir=out)
    assert list(result.skipped) == [str(hidden)]
    with open(out / "校验结果.csv", encoding="utf-8-sig", newline="") as fh:
        listed = {r["文件路径"]: r["状态"] for r in csv_module.DictReader(fh)}
    assert listed[str(hidden)] == "未检查"
    assert len(validate([hidden], jobs=1).files) == 1  # named, it is searched


@pytest.mark.parametrize("folder", ["returns", "self-evaluation", "monitoring"])
def test_every_summarys_validation_table_has_a_row_for_each_file_found(tmp_path, folder):
    """The summary's 校验结果 (sheet, CSV, JSON) listed the returns and the files not checked but not the lock and
    system files passed over, which only the terminal line counted: a script reconciling 校验结果 with the folder
    came up short, and the JSON held no count of them at all.  Each is a row, 状态 已忽略."""
    import csv as csv_module
    import json as json_module

    import openpyxl

    from .conftest import EXAMPLES

    inbox = tmp_path / "收件箱"
    shutil.copytree(EXAMPLES / folder, inbox, ignore=shutil.ignore_patterns("*.json"))
    (inbox / "~$锁.xlsx").write_bytes(b"\x06zhang3" + b"\x00" * 158)
    (inbox / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (inbox / "说明.txt").write_text("见附件", encoding="utf-8")
    on_disk = sorted(str(p) for p in inbox.iterdir())
    out = tmp_path / "out"
    result = consolidate([inbox], out / "汇总.xlsx", jobs=1, csv_dir=out, json_path=out / "汇总.json")
    assert result.totals["ignored"] == 2
    with open(out / "校验结果.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv_module.DictReader(fh))
    assert sorted({r["文件路径"] for r in rows}) == on_disk
    ignored = {r["文件"]: (r["状态"], r["说明"]) for r in rows if r["状态"] == "已忽略"}
    assert ignored == {name: ("已忽略", "编辑器锁定文件或系统文件，已忽略") for name in ("~$锁.xlsx", ".DS_Store")}
    table = json_module.loads((out / "汇总.json").read_text(encoding="utf-8"))["validation"]
    at = table["columns"].index("文件路径")
    assert sorted({r[at] for r in table["rows"]}) == on_disk
    sheet = openpyxl.load_workbook(out / "汇总.xlsx", read_only=True)["校验结果"]
    assert sum(1 for row in sheet.iter_rows(values_only=True) if "已忽略" in row) == 2
