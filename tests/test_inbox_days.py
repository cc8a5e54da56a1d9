"""The bureau's inbox, run after run: `xlgoals validate 收件箱` and `xlgoals consolidate 收件箱 -o 收件箱/汇总.xlsx
--csv 收件箱/汇总csv --json 收件箱/汇总.json` every day on the same folder, every output written inside it.  What
xlgoals wrote there yesterday is known as its own (never "not a workbook", never a return), listed apart, and every
file found is accounted for: checked, listed as not checked, or ignored."""

import json
import os
import shutil

import pytest

from xlgoals import validate
from xlgoals._errors import UsageError

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy
NOT_A_WORKBOOK = "不是工作簿文件，未检查"
SAVED_AS_TEXT = "表格另存成的文本格式（CSV、XML 或网页），不是工作簿，未检查；若是申报，请在 Excel 或 WPS 中另存为 .xlsx 后重新报送"
APART = "xlgoals 的输出，已跳过"


def _inbox(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for p in EXAMPLE_XLSX[:3]:
        shutil.copy(p, inbox / p.name)
    shutil.copy(FAILING, inbox / "某局_某项目.xlsx")
    (inbox / "说明.txt").write_text("单位的说明：本周补报两个项目。\n", encoding="utf-8")  # a department's note
    return inbox


def _day(inbox, lang="zh"):
    """One day's runs, every output in the inbox; returns each run's result."""
    runs = [cli("validate", inbox, "--annotate", inbox / "退回", "-o", inbox / "校验结果.txt", "--jobs", "1",
                "--lang", lang),
            cli("validate", inbox, "-o", inbox / "校验结果.json", "--jobs", "1", "--lang", lang),
            cli("validate", inbox, "-o", inbox / "校验结果.csv", "--jobs", "1", "--lang", lang),
            cli("consolidate", inbox, "-o", inbox / "汇总.xlsx", "--csv", inbox / "汇总csv", "--json",
                inbox / "汇总.json", "--jobs", "1", "--lang", lang)]
    for r in runs:
        assert r.exit_code in (0, 1), r.output
    return runs


def _on_disk(folder):
    return sorted(os.path.join(root, n) for root, _, names in os.walk(folder) for n in names)


def test_yesterdays_reports_and_tables_in_the_inbox_are_xlgoals_own_not_files_of_no_workbook(tmp_path):
    """Day 2: yesterday's 校验结果.csv/.json/.txt, 汇总.json and the --csv tables were listed as 不是工作簿文件; they are
    xlgoals's outputs, said as such, and the department's note is still said as not a workbook."""
    inbox = _inbox(tmp_path)
    _day(inbox)
    found = _on_disk(inbox)
    data = json.loads(cli("validate", inbox, "--format", "json", "--jobs", "1").stdout)
    reasons = {os.path.relpath(f["path"], inbox): f["reason"] for f in data["skipped_files"]}
    ours = {os.path.relpath(p, inbox) for p in found} - {os.path.relpath(f["path"], inbox) for f in data["files"]} \
        - {"说明.txt"}
    assert ours >= {"校验结果.csv", "校验结果.json", "校验结果.txt", "汇总.json", "汇总.xlsx",
                    os.path.join("汇总csv", "汇总.csv"), os.path.join("汇总csv", "校验结果.csv"),
                    os.path.join("汇总csv", ".xlgoals_tables.json"), os.path.join("退回", "某局_某项目_问题标注.xlsx")}, ours
    assert reasons["说明.txt"] == NOT_A_WORKBOOK
    assert [p for p in ours if reasons.get(p, NOT_A_WORKBOOK) == NOT_A_WORKBOOK] == [], reasons
    flags = {os.path.relpath(f["path"], inbox): f["xlgoals_output"] for f in data["skipped_files"]}
    assert flags == {p: p != "说明.txt" for p in reasons}, flags
    # every file found is accounted for: checked, not checked (with its reason) or ignored
    assert len(data["files"]) + len(data["skipped"]) + len(data["ignored"]) == len(found)
    assert sorted(os.path.relpath(f["path"], inbox) for f in data["files"]) == sorted(
        [p.name for p in EXAMPLE_XLSX[:3]] + ["某局_某项目.xlsx"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_second_day_lists_xlgoals_outputs_apart_and_every_file_adds_up(tmp_path, lang):
    """The terminal's list of files not checked puts xlgoals's own outputs under a heading of their own, after the
    department's files; the count over them is the count of both, and with the files checked it is every file
    found (yesterday's tables in the --csv folder of this run and the annotated copies in --annotate's are listed
    too, never passed over unsaid)."""
    inbox = _inbox(tmp_path)
    _day(inbox, lang)
    found = _on_disk(inbox)
    text = cli("validate", inbox, "--annotate", inbox / "退回", "--jobs", "1", "--lang", lang).stdout
    listed = text[text.index("文件夹中未检查的文件" if lang == "zh" else "Files in folders not checked"):].splitlines()
    n = int(listed[0].split("：" if lang == "zh" else ": ")[1].split()[0])
    items = [line for line in listed if line.startswith("  - ")]
    assert n == len(items) == len(found) - 4, listed  # four returns checked, every other file listed
    apart = listed.index(next(line for line in listed if (APART if lang == "zh" else "outputs of xlgoals") in line))
    assert [line for line in listed[1:apart] if line.startswith("  - ")] == \
        [f"  - {inbox / '说明.txt'}" + ("（不是工作簿文件，未检查）" if lang == "zh" else " (not a workbook file; not checked)")]
    assert str(len(items) - 1) in listed[apart], listed[apart]
    below = listed[apart + 1:]
    for name in ("校验结果.csv", "汇总.json", os.path.join("汇总csv", "项目清单.csv"),
                 os.path.join("退回", "某局_某项目_问题标注.xlsx")):
        assert any(line.startswith(f"  - {inbox / name}") for line in below), (name, below)
    # consolidate on the same day: the same files, the terminal's count and the summary's 校验结果 rows add up
    before = _on_disk(inbox)
    result = cli("consolidate", inbox, "-o", inbox / "汇总.xlsx", "--csv", inbox / "汇总csv", "--json",
                 inbox / "汇总.json", "--jobs", "1", "--lang", lang)
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if line.startswith("  - ")]
    assert len(said) == len(before) - 4, (said, before)
    assert any(os.path.join("汇总csv", "汇总.csv") in line for line in said)
    n = len(said)
    assert (f"未检查的文件 {n} 个（其中 xlgoals 的输出 {n - 1} 个）" if lang == "zh"
            else f"{n} files not checked ({n - 1} of them outputs of xlgoals)") in result.stdout, result.stdout
    summary = json.loads((inbox / "汇总.json").read_text(encoding="utf-8"))
    assert summary["counts"]["files"] + summary["counts"]["skipped"] + summary["counts"]["ignored"] == len(before), \
        summary["counts"]


def test_the_annotated_copies_of_yesterday_are_replaced_today_not_refused(tmp_path):
    """Listed among the files not checked, yesterday's annotated copy in the --annotate folder is still the run's
    own: today's copy replaces it (it is not taken for an input a copy must not overwrite)."""
    inbox = _inbox(tmp_path)
    for day in (1, 2):
        result = cli("validate", inbox, "--annotate", inbox / "退回", "--jobs", "1")
        assert result.exit_code == 1, result.output
        assert "已生成标注副本：" in result.stderr and "未覆盖" not in result.stderr, result.stderr
    assert sorted(p.name for p in (inbox / "退回").iterdir()) == ["某局_某项目_问题标注.xlsx"]


def test_a_department_file_in_an_output_folder_is_still_checked_or_said(tmp_path):
    inbox = _inbox(tmp_path)
    _day(inbox)
    shutil.copy(EXAMPLE_XLSX[3], inbox / "汇总csv" / "补报.xlsx")
    (inbox / "汇总csv" / "备注.csv").write_text("项目,说明\n甲,补报\n", encoding="utf-8")
    report = validate([inbox], jobs=1)
    assert str(inbox / "汇总csv" / "补报.xlsx") in {f.path for f in report.files}
    assert report.skipped_reasons[str(inbox / "汇总csv" / "备注.csv")][0] == SAVED_AS_TEXT  # (a table saved as CSV)


# 2. A link at the --csv record's name ----------------------------------------------------------------------------------
def test_a_csv_record_linked_to_a_file_xlgoals_did_not_write_is_refused_with_a_clear_located_message(tmp_path):
    inbox = _inbox(tmp_path)
    tables = tmp_path / "表格"
    tables.mkdir()
    note = tmp_path / "笔记.json"
    note.write_text('{"我的": "笔记"}', encoding="utf-8")
    (tables / ".xlgoals_tables.json").symlink_to(note)
    for lang in ("zh", "en"):
        result = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--csv", tables, "--jobs", "1", "--lang", lang)
        assert result.exit_code == 2, result.output
        line = result.stderr.strip()
        assert "\n" not in line and str(tables) in line and str(note) in line, line
        if lang == "zh":
            assert "链接" in line and "--force" in line and "不会改动" in line, line
        else:
            assert "link" in line and "--force" in line and "left as it is" in line, line
    assert not (tmp_path / "汇总.xlsx").exists()
    with pytest.raises(UsageError):
        from xlgoals import consolidate

        consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1, csv_dir=tables)
    result = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--csv", tables, "--jobs", "1", "--force")
    assert result.exit_code == 0, result.output
    assert note.read_text(encoding="utf-8") == '{"我的": "笔记"}'
    assert not (tables / ".xlgoals_tables.json").is_symlink()


# 4. validate looks at the folder once, as consolidate does -------------------------------------------------------------
def test_validate_reads_each_file_it_asks_about_once_as_consolidate_does(tmp_path, monkeypatch):
    """validate's checks before reading (is an output path yesterday's report?) and its scan ask of the same files;
    consolidate asks each once (looking_once), validate asked twice."""
    import xlgoals._paths as paths

    inbox = _inbox(tmp_path)
    _day(inbox)
    reads = []
    looks = paths._looks_ours
    monkeypatch.setattr(paths, "_looks_ours", lambda p: reads.append(os.fspath(p)) or looks(p))
    result = cli("validate", inbox, "--annotate", inbox / "退回", "-o", inbox / "校验结果.txt", "--jobs", "1")
    assert result.exit_code == 1, result.output
    twice = sorted({p for p in reads if reads.count(p) > 1})
    assert reads and twice == [], twice


def test_a_file_changed_while_validate_runs_is_read_again(tmp_path, monkeypatch):
    """Remembered by its identity and times, as in consolidate: a file changed between the checks before reading
    and the scan (yesterday's report replaced by a department's note of that name) is read again, and said as
    what it is now."""
    import xlgoals._paths as paths

    inbox = _inbox(tmp_path)
    _day(inbox)
    report = inbox / "校验结果.json"
    looks = paths._looks_ours
    seen = []

    def changing(p):
        verdict = looks(p)
        if os.fspath(p) == os.fspath(report) and not seen:
            seen.append(p)
            report.write_text('{"单位": "我们的说明，不是报告"}\n', encoding="utf-8")
        return verdict

    monkeypatch.setattr(paths, "_looks_ours", changing)
    data = json.loads(cli("validate", inbox, "--format", "json", "-o", tmp_path / "r.json", "--jobs", "1").stdout
                      or (tmp_path / "r.json").read_text(encoding="utf-8"))
    reasons = {os.path.relpath(f["path"], inbox): f["reason"] for f in data["skipped_files"]}
    # (a JSON file that is no document of ours: said as such, not as a workbook missing; test_jsoncli)
    assert seen and reasons["校验结果.json"].startswith("不是 xlgoals 申报的 JSON 文档（"), reasons


# 3. "only an extension": one message, its example in the extension typed ------------------------------------------------
@pytest.mark.parametrize("args,name,example,example_en", [
    (["validate", EXAMPLE_XLSX[0], "-o"], ".json", "校验结果.json", "report.json"),
    (["validate", EXAMPLE_XLSX[0], "-o"], "　.csv", "校验结果.csv", "report.csv"),
    (["consolidate", EXAMPLE_XLSX[0], "-o", "s.xlsx", "--json"], " .json", "汇总.json", "summary.json")])
def test_an_extension_only_name_is_refused_with_an_example_in_that_extension(tmp_path, args, name, example,
                                                                              example_en, monkeypatch):
    """`validate -o .json` was told to give a name such as 校验结果.txt: followed, it writes a text report where JSON
    was meant.  The example keeps the extension typed; the command line and the library say it in the same words."""
    from xlgoals._paths import only_an_extension_said, refuse_blank_name
    from xlgoals._text import in_lang

    monkeypatch.chdir(tmp_path)
    for lang, shown in (("zh", example), ("en", example_en)):
        result = cli(*args, name, "--lang", lang)
        assert result.exit_code == 2, result.output
        line = result.stderr.strip().splitlines()[-1]
        stem, ext = example.rsplit(".", 1)[0], "." + name.rsplit(".", 1)[1]
        said = in_lang(only_an_extension_said(name, (stem, example_en.rsplit(".", 1)[0])), lang)
        assert shown in line and line.endswith(said), (line, said)
    with pytest.raises(UsageError) as e:
        refuse_blank_name(name)
    assert in_lang(e.value, "zh") == in_lang(only_an_extension_said(name), "zh")


def test_yesterdays_report_named_by_a_pattern_is_said_as_xlgoals_own_not_as_no_workbook(tmp_path):
    """`xlgoals validate 收件箱/*`: the shell names yesterday's 校验结果.csv and 汇总.json, which are checked as named
    files are; they were told 不是 Excel 工作簿…请报送由模板填写的 .xlsx 文件, as if a department had sent them."""
    inbox = _inbox(tmp_path)
    _day(inbox)
    named = [inbox / "校验结果.csv", inbox / "校验结果.json", inbox / "校验结果.txt", inbox / "汇总.json",
             inbox / "汇总csv" / "项目清单.csv"]
    report = validate(named, jobs=1)
    codes = {os.path.basename(f.path): [p.code for p in f.problems] for f in report.files}
    assert codes == {p.name: ["file.xlgoals_output"] for p in named}, codes
    said = report.files[0].problems[0].text("zh")
    assert "xlgoals 生成的校验报告或汇总表格" in said, said
    # a department's own CSV is still no workbook
    (inbox / "说明.csv").write_text("项目,说明\n甲,补报\n", encoding="utf-8")
    assert [p.code for p in validate([inbox / "说明.csv"], jobs=1).files[0].problems] == ["file.not_workbook"]


# 5. what is xlgoals's own: the same verdict wherever it is asked ------------------------------------------------------
def test_what_xlgoals_wrote_is_told_apart_from_every_other_file_and_only_a_zip_is_opened(tmp_path, monkeypatch):
    """A report or table is known by its first bytes, a summary or annotated copy (a zip) by its document
    properties.  An empty file, one too big, a compound file (.xls, WPS .et), a lock file, a department's note are
    not xlgoals's, the same to every caller (an output path that would be written over, an output folder's files):
    and of them only a zip is opened (read whole and hashed) to find out."""
    import xlgoals._paths as paths
    import xlgoals._read._safety as safety
    from xlgoals._paths import SKIP_EARLIER, refuse_existing_outputs, scan

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for args in (["validate", EXAMPLE_XLSX[0], "-o", inbox / "校验结果.txt"],
                 ["validate", EXAMPLE_XLSX[0], "-o", inbox / "校验结果.json"],
                 ["consolidate", EXAMPLE_XLSX[0], "-o", inbox / "汇总.xlsx", "--jobs", "1"]):
        assert cli(*args).exit_code in (0, 1)
    ours = {"校验结果.txt", "校验结果.json", "汇总.xlsx"}
    assert ours <= {p.name for p in inbox.iterdir()}
    xls = EXAMPLES.parent / "tests" / "fixtures" / "goal-table-lo.xls"
    shutil.copy(EXAMPLE_XLSX[1], inbox / "单位申报.xlsx")
    shutil.copy(xls, inbox / "旧表.xls")
    shutil.copy(xls, inbox / "WPS表.et")
    (inbox / "空.xlsx").write_bytes(b"")
    (inbox / "~$汇总.xlsx").write_bytes(b"\x05user" + b"\x00" * 160)
    (inbox / "说明.txt").write_text("单位的说明：本周补报两个项目。\n", encoding="utf-8")
    (inbox / "笔记.json").write_text('{"我的": "笔记"}', encoding="utf-8")
    for name, head in (("过大.xlsx", b"PK\x03\x04"), ("过大.txt", "很长的说明".encode())):
        with open(inbox / name, "wb") as fh:  # sparse: over the size limit without filling the disk
            fh.write(head)
            fh.truncate(safety.MAX_FILE_BYTES + 1)
    opened = []
    real_open = safety.open_container
    monkeypatch.setattr(safety, "open_container", lambda p: opened.append(os.path.basename(p)) or real_open(p))
    files = sorted(p for p in inbox.iterdir() if p.is_file())
    assert {p.name: paths._written_by_us(p) for p in files} == {p.name: p.name in ours for p in files}
    assert sorted(opened) == sorted(["汇总.xlsx", "单位申报.xlsx", "过大.xlsx"]), opened
    for p in files:  # an output path: yesterday's own is replaced, anything else refused
        if p.name in ours:
            refuse_existing_outputs([p])
        else:
            with pytest.raises(UsageError):
                refuse_existing_outputs([p])
    found = scan([tmp_path], exclude=[inbox])  # the inbox an output folder: its own files passed over
    assert {os.path.basename(f) for f, why in found.skipped.items() if why == SKIP_EARLIER} == ours, found.skipped
    # the others are sorted as anywhere: what is named as a workbook is checked (and its problem said), a lock file
    # and the notes are not
    assert sorted(os.path.basename(f) for f in found.files) == sorted(
        ["WPS表.et", "单位申报.xlsx", "旧表.xls", "空.xlsx", "过大.xlsx"]), found.files


# The inbox run after run (2): a file gone mid-run, reports under any name, counts, the light path, truthful words ---
VANISHED_ZH = "运行开始时已列出"
VANISHED_EN = "listed when the run started"


def _removing_after_the_scan(monkeypatch, module, victims):
    """The run's scan as it is, then `victims` removed (a clerk moving returns away while the run reads them)."""
    from xlgoals import _paths

    def scan(*args, **kwargs):
        found = _paths.scan(*args, **kwargs)
        for v in victims:
            os.remove(v)
        return found

    monkeypatch.setattr(module, "scan", scan)


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_a_return_removed_while_validate_reads_the_folder_is_said_to_have_disappeared(tmp_path, monkeypatch, fmt):
    """A return listed when the run started and gone when it was read said only 文件不存在, which reads as a typo:
    it is said to have disappeared during the run, in the terminal's report, JSON and CSV, in Chinese and English;
    a missing name given on the command line still says 文件不存在 only."""
    from xlgoals._check import _validate

    inbox = _inbox(tmp_path)
    gone = inbox / EXAMPLE_XLSX[0].name
    for lang, words in (("zh", VANISHED_ZH), ("en", VANISHED_EN)):
        shutil.copy(EXAMPLE_XLSX[0], gone)
        _removing_after_the_scan(monkeypatch, _validate, [gone])
        result = cli("validate", inbox, "--format", fmt, "--jobs", "1", "--lang", lang)
        assert result.exit_code == 1, result.output
        if fmt == "json":
            by_path = {f["path"]: f for f in json.loads(result.stdout)["files"]}
            problems = by_path[str(gone)]["problems"]
            assert [p["code"] for p in problems] == ["file.vanished"], problems
            assert words in problems[0]["message"], problems
        elif fmt == "csv":
            rows = [line for line in result.stdout.splitlines() if str(gone) in line]
            assert len(rows) == 1 and "file.vanished" in rows[0] and words in rows[0], rows
        else:
            assert words in result.stdout, result.stdout
    monkeypatch.undo()
    plain = cli("validate", inbox / "没有这个.xlsx", inbox, "--format", "json")  # beside a folder: in the report
    problem = next(f for f in json.loads(plain.stdout)["files"] if f["path"] == str(inbox / "没有这个.xlsx"))["problems"][0]
    assert problem["code"] == "file.missing" and VANISHED_ZH not in problem["message"]


def test_a_return_removed_while_consolidate_reads_the_folder_is_said_to_have_disappeared(tmp_path, monkeypatch):
    from xlgoals._consolidate import _collect

    inbox = _inbox(tmp_path)
    gone = inbox / EXAMPLE_XLSX[0].name
    _removing_after_the_scan(monkeypatch, _collect, [gone])
    result = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--json", tmp_path / "汇总.json", "--csv",
                 tmp_path / "表格", "--jobs", "1")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    rows = [row for row in data["validation"]["rows"] if str(gone) in row]
    assert len(rows) == 1 and any(VANISHED_ZH in str(c) for c in rows[0]), rows
    table = (tmp_path / "表格" / "校验结果.csv").read_text(encoding="utf-8-sig")
    assert [line for line in table.splitlines() if str(gone) in line and VANISHED_ZH in line], table


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_a_report_written_under_any_name_is_known_as_xlgoals_own_the_next_day(tmp_path, fmt):
    """`validate -o 报告.log` left in the inbox was listed the next day as 不是工作簿文件: a report is known by what
    it is, whatever its name; a department's own .log is still not a workbook."""
    inbox = _inbox(tmp_path)
    (inbox / "单位日志.log").write_text("2026-11-28 上传 3 个文件\n", encoding="utf-8")
    first = cli("validate", inbox, "--format", fmt, "-o", inbox / "报告.log", "--jobs", "1")
    assert first.exit_code == 1, first.output
    data = json.loads(cli("validate", inbox, "--format", "json", "--jobs", "1").stdout)
    reasons = {os.path.basename(f["path"]): f["reason"] for f in data["skipped_files"]}
    assert reasons["报告.log"] == "xlgoals 写入的校验报告或汇总表格，已跳过", reasons
    assert reasons["单位日志.log"] == NOT_A_WORKBOOK, reasons
    again = cli("validate", inbox, "--format", fmt, "-o", inbox / "报告.log", "--jobs", "1")
    assert again.exit_code == 1, again.output  # replaced, as yesterday's report is


def test_a_summary_json_written_under_any_name_is_known_as_xlgoals_own(tmp_path):
    inbox = _inbox(tmp_path)
    first = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--json", inbox / "汇总.dat", "--jobs", "1")
    assert first.exit_code == 0, first.output
    report = validate([inbox], jobs=1)
    assert report.skipped_reasons[str(inbox / "汇总.dat")][0] == "xlgoals 写入的校验报告或汇总表格，已跳过"


def test_the_summary_json_counts_the_outputs_of_xlgoals_not_checked(tmp_path):
    """counts gains skipped_outputs (of `skipped`, xlgoals's own outputs), the keys it had kept as they were."""
    inbox = _inbox(tmp_path)
    _day(inbox)
    before = _on_disk(inbox)
    result = cli("consolidate", inbox, "-o", inbox / "汇总.xlsx", "--csv", inbox / "汇总csv", "--json",
                 inbox / "汇总.json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    counts = json.loads((inbox / "汇总.json").read_text(encoding="utf-8"))["counts"]
    # (the keys after them, mendEU's: the other figures of the terminal's line)
    assert list(counts)[:8] == ["files", "counted", "counted_failing", "failed_not_counted", "duplicates", "skipped",
                                "ignored", "skipped_outputs"], counts
    assert counts["skipped"] == len(before) - 4 and counts["skipped_outputs"] == counts["skipped"] - 1, counts


def test_yesterdays_tables_at_this_runs_paths_are_said_to_be_written_over_not_to_be_this_runs_output(tmp_path):
    """Yesterday's table at a path this run writes read 本次运行的输出，未检查: it is not this run's output yet."""
    inbox = _inbox(tmp_path)
    args = ["validate", inbox, "-o", inbox / "校验结果.json", "--jobs", "1"]
    assert cli(*args).exit_code == 1
    for lang, words, wrong in (("zh", "将被本次运行覆盖", "本次运行的输出"), ("en", "written over by this run",
                                                                     "an output of this run")):
        result = cli(*args, "--lang", lang)
        data = json.loads((inbox / "校验结果.json").read_text(encoding="utf-8"))
        reason = next(f["reason"] for f in data["skipped_files"] if f["path"] == str(inbox / "校验结果.json"))
        assert words in reason and wrong not in reason, reason
