"""What analysts join and deduplicate on: the same path string and a digest for every file, whichever output
(validate --format json/csv, consolidate's CSV, xlgoals.frames) they read; nothing left out of frames."""

import csv
import hashlib
import io
import json
import shutil

import pandas as pd

import xlgoals
from xlgoals._check._report import csv_report, json_report
from xlgoals._read._safety import MAX_FILE_BYTES

from .conftest import EXAMPLES, cli

GOOD = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"


def _csv_paths(text: str, column: str) -> set:
    return {row[column] for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}


def test_a_path_with_control_characters_is_one_string_in_every_output(tmp_path):
    """A name holding a newline or an escape (a file unpacked from an archive made on another system) was shown
    escaped (a\\nb.xlsx) in validate's JSON and CSV and consolidate's CSV, but raw in frames: a join on path
    between them lost the file."""
    d = tmp_path / "收到"
    d.mkdir()
    names = ["a\nb.xlsx", "c\x1bd.xlsx", "plain.xlsx"]
    for name in names:
        shutil.copy(GOOD, d / name)
    (d / "e\tf.txt").write_text("说明", encoding="utf-8")  # skipped, with its reason
    report = xlgoals.validate([d], jobs=1)
    in_json = {f["path"] for f in json.loads(json_report(report))["files"]}
    in_json |= set(json.loads(json_report(report))["skipped"])
    in_csv = _csv_paths(csv_report(report), "file")
    assert any("\\n" in p for p in in_json) and not any("\n" in p or "\x1b" in p for p in in_json)
    f = xlgoals.frames([d], jobs=1)
    in_frames = set(f.projects["path"])
    assert in_frames == in_json == in_csv
    assert set(f.indicators["path"]) == set(f.projects.loc[f.projects["status"] == "ok", "path"])
    out = tmp_path / "out"
    run = cli("consolidate", d, "-o", tmp_path / "汇总.xlsx", "--csv", out)
    assert run.exit_code == 0, run.output
    in_consolidate = _csv_paths((out / "校验结果.csv").read_text(encoding="utf-8-sig"), "文件路径")
    assert in_consolidate == in_frames


def test_a_file_over_the_size_limit_is_named_by_its_digest(tmp_path):
    """A file over 20 MB (pictures pasted into the workbook, a phone's video sent instead) was refused before its
    bytes were read: no sha256 in the JSON, the CSV or frames, so a script deduplicating the returns by digest
    could not tell two such files apart, nor one sent twice."""
    d = tmp_path / "收到"
    d.mkdir()
    big = d / "大.xlsx"
    with open(big, "wb") as fh:
        fh.write(b"PK\x03\x04")
        fh.write(b"x" * (MAX_FILE_BYTES + 10))
    video = d / "录像.pdf"
    with open(video, "wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.write(b"y" * (MAX_FILE_BYTES + 10))
    digests = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (big, video)}
    report = xlgoals.validate([d], jobs=1)
    codes = {f.path.rsplit("/", 1)[-1]: f.problems[0].code for f in report.files}
    assert codes == {"大.xlsx": "file.too_big", "录像.pdf": "file.not_workbook"}
    assert {f["path"].rsplit("/", 1)[-1]: f["sha256"] for f in json.loads(json_report(report))["files"]} == digests
    rows = list(csv.DictReader(io.StringIO(csv_report(report).lstrip("\ufeff"))))
    assert {r["file"].rsplit("/", 1)[-1]: r["sha256"] for r in rows} == digests
    f = xlgoals.frames([d], jobs=1)
    assert dict(zip(f.projects["path"].str.rsplit("/", n=1).str[-1], f.projects["sha256"])) == digests


def test_frames_list_the_files_skipped_and_ignored_as_the_cli_does(tmp_path):
    """frames() dropped silently what validate reports: a note sent beside the returns (not checked), an editor's
    lock file, a hidden folder.  They are rows of .projects, with their status and reason, not counted."""
    d = tmp_path / "收到"
    (d / ".同步").mkdir(parents=True)
    shutil.copy(GOOD, d / "01.xlsx")
    shutil.copy(GOOD, d / ".同步" / "01.xlsx")
    (d / "说明.txt").write_text("说明", encoding="utf-8")
    (d / "~$01.xlsx").write_bytes(b"\x05user" + b"\x00" * 160)
    report = xlgoals.validate([d], jobs=1)
    f = xlgoals.frames([d], jobs=1)
    p = f.projects.set_index(f.projects["path"].map(lambda s: s[len(str(d)) + 1:]))
    assert list(p.index) == ["01.xlsx", ".同步", "说明.txt", "~$01.xlsx"]
    assert list(p["status"]) == ["ok", "skipped", "skipped", "ignored"]
    assert not p.loc[[".同步", "说明.txt", "~$01.xlsx"], "counted"].any()
    assert p.loc["说明.txt", "note"] == report.skipped_reasons[str(d / "说明.txt")][0]
    assert p.loc[".同步", "note"].startswith("隐藏文件夹") and p.loc["~$01.xlsx", "note"].startswith("编辑器锁定文件")
    assert list(p["status"].cat.categories) == ["ok", "invalid", "unreadable", "skipped", "ignored"]
    assert set(f.projects["path"]) == set(json.loads(json_report(report))["files"][0:1][0]["path"] for _ in [0]) | {
        *json.loads(json_report(report))["skipped"], *json.loads(json_report(report))["ignored"]}
    assert repr(f).startswith("<Frames: 1 project, ")


def test_categories_are_sorted_and_the_same_whatever_order_the_files_are_given(tmp_path):
    """Two runs over the same returns give equal frames: the categories of every column that has no list of its own
    (reporting units, sheets, codes, problem fields) are the names found, sorted, not in the order met."""
    d = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", d)
    shutil.copytree(EXAMPLES / "returns", d / "b")
    files = sorted(p for p in d.rglob("*.xlsx"))
    one = xlgoals.frames(files, jobs=1)
    two = xlgoals.frames(list(reversed(files)), jobs=2)
    for name in ("projects", "indicators", "problems"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(two, name))
    for frame in (one.projects, one.indicators, one.problems):
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype) and column in ("unit", "reporting_unit", "code",
                                                                                   "sheet"):
                cats = list(frame[column].cat.categories)
                assert cats == sorted(cats) or column == "unit" and frame is one.indicators, column


def test_two_nights_problems_concatenate_as_categories(tmp_path):
    """.problems' code and severity were categories of the values present: a night of warnings only and a night
    with an error gave different categories, and pd.concat of the two fell back to object.  Every severity, in its
    order, and every code of the rule table, sorted, are the categories whatever the night."""
    quiet = xlgoals.frames([EXAMPLES / "returns"], jobs=1).problems
    busy = xlgoals.frames([EXAMPLES / "received"], jobs=1).problems
    assert set(quiet["severity"]) != set(busy["severity"]) or set(quiet["code"]) != set(busy["code"])
    both = pd.concat([quiet, busy], ignore_index=True)
    for name in ("code", "severity"):
        assert isinstance(both[name].dtype, pd.CategoricalDtype), name
        assert list(quiet[name].cat.categories) == list(busy[name].cat.categories)
    assert list(quiet["severity"].cat.categories) == ["error", "warning", "notice"]
    codes = list(quiet["code"].cat.categories)
    assert codes == sorted(codes) and {"file.too_big", "rule.current_le_total"} <= set(codes)


def test_two_names_with_bytes_no_encoding_reads_stay_two_paths(tmp_path):
    """A name whose bytes are neither UTF-8 nor GBK (an archive damaged in transit: 表 and a stray byte) was shown
    as U+FFFD for every byte, the readable part lost: two such files had one path string, the JSON's
    skipped_reasons kept one of two notes sent beside the returns, and a join on path matched the wrong file.
    The stray byte is shown as \\xff, the rest as it reads."""
    import os

    d = tmp_path / "收到"
    d.mkdir()
    base = os.fsencode(d) + b"/"
    for stem in ("表", "图"):
        shutil.copy(GOOD, base + stem.encode("gbk") + b"\xff.xlsx")
        with open(base + stem.encode("gbk") + b"\xff.txt", "wb") as fh:
            fh.write("说明".encode("utf-8"))
    report = xlgoals.validate([d], jobs=1)
    data = json.loads(json_report(report))
    shown = sorted(os.path.basename(f["path"]) for f in data["files"])
    assert shown == ["图\\xff.xlsx", "表\\xff.xlsx"]
    assert sorted(os.path.basename(p) for p in data["skipped_reasons"]) == ["图\\xff.txt", "表\\xff.txt"]
    in_csv = _csv_paths(csv_report(report), "file")
    assert len(in_csv) == 4 and in_csv == set(xlgoals.frames([d], jobs=1).projects["path"])


def test_no_cell_of_consolidates_csv_begins_as_a_formula_not_even_a_column_title(tmp_path):
    """项目清单 has a column for each 一级指标 name met, typed by the department: a name =HYPERLINK(…) became the
    CSV title =HYPERLINK(…)（条）, which Excel and WPS run as a formula when the file is opened.  Titles are
    neutralised as the cells are."""
    from .helpers import edited, ind_cell

    d = tmp_path / "收到"
    d.mkdir()
    evil = '=HYPERLINK("http://example.invalid/x","点此")'
    edited(GOOD, d / "a.xlsx", {ind_cell(0, "level1"): evil, ind_cell(1, "level1"): "@SUM(1)"})
    out = tmp_path / "csv"
    run = cli("consolidate", d, "-o", tmp_path / "汇总.xlsx", "--csv", out)
    assert run.exit_code == 0, run.output
    found = False
    for path in out.glob("*.csv"):
        for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))):
            for cell in row:
                assert cell[:1] not in ("=", "+", "@", "\t", "\r") and not (cell[:1] == "-" and cell[1:2].isalpha()), \
                    (path.name, cell)
                found |= cell.startswith("'" + evil)
    assert found  # the name is kept, shown as text


def test_two_nights_of_different_frameworks_concatenate_with_the_same_columns_and_categories():
    """.indicators' 一级/二级/单位 categories and its columns came from the frameworks of that night's returns: a
    night of Shanghai returns and a night of national ones had different categories (pd.concat turned 一级 into
    text) and different columns (no 权重/依据 without a national return).  Every framework of the configuration,
    in id order, gives them, whatever the night."""
    shanghai = xlgoals.frames([EXAMPLES / "returns"], jobs=1)
    national = xlgoals.frames([EXAMPLES / "national-2021" / "目标表.xlsx"], jobs=1)
    assert set(shanghai.projects["framework"].dropna()) != set(national.projects["framework"].dropna())
    assert list(shanghai.indicators.columns) == list(national.indicators.columns)
    assert {"weight", "basis"} <= set(shanghai.indicators.columns)
    for frame in ("indicators", "projects"):
        one, two = getattr(shanghai, frame), getattr(national, frame)
        both = pd.concat([one, two], ignore_index=True)
        for name in ("level1", "level2", "comparator", "project.category", "project.performance_type"):
            if name in one:
                assert list(one[name].cat.categories) == list(two[name].cat.categories), name
                assert isinstance(both[name].dtype, pd.CategoricalDtype), name
    both = pd.concat([shanghai.indicators, national.indicators], ignore_index=True)
    assert {"投入与管理", "成本指标"} <= set(both["level1"].dropna())
    # within a framework its own order: the Shanghai 一级 as its framework lists them
    shown = [c for c in shanghai.indicators["level1"].cat.categories if c in set(shanghai.indicators["level1"])]
    assert shown == ["投入与管理", "产出目标", "效果目标", "影响力目标"]
    assert shanghai.indicators["weight"].dtype == "Float64"


def test_monitoring_and_self_evaluation_join_their_goal_tables_on_the_digest_and_indicator_id():
    """A monitoring report and a self-evaluation name their goal table by targets_sha256 (the goal-table document's
    digest) and each row by its 指标编号 (I001 …), but the goal tables' frames had neither: the analyst could not join
    a report to the targets it was made from.  A goal table's row carries the digest its templates carry, and its
    indicators their ids, so that a merge on (targets_sha256, id) finds every reported row's target."""
    goals = xlgoals.frames([EXAMPLES / "returns"], jobs=1)
    assert goals.projects["targets_sha256"].notna().all()
    assert list(goals.indicators.columns[:6]) == ["path", "reporting_unit", "project", "counted", "row", "id"]
    for form in ("monitoring", "self-evaluation"):
        made = xlgoals.frames([EXAMPLES / form], jobs=1)
        assert set(made.projects["targets_sha256"].dropna()) == set(goals.projects["targets_sha256"]), form
        goal_rows = goals.indicators.merge(goals.projects[["path", "targets_sha256"]], on="path")
        made_rows = made.indicators.merge(made.projects[["path", "targets_sha256"]], on="path")
        joined = made_rows.merge(goal_rows, on=["targets_sha256", "id"], how="left", suffixes=("", "_goal"),
                                 validate="many_to_one")
        assert len(joined) == len(made_rows) and joined["name_goal"].notna().all(), form
        assert (joined["name"] == joined["name_goal"]).all() and (joined["level2"] == joined["level2_goal"]).all()


def test_a_folder_given_as_dot_slash_names_its_files_alike_in_the_library_and_on_the_command_line(tmp_path, monkeypatch):
    # the command line reads `./收到` as 收到 (click's Path), the library kept "./": frames(["./收到"]) named a file
    # ./收到/a.xlsx where the nightly `validate ./收到 --format json` and consolidate's CSV said 收到/a.xlsx, and a join
    # on path between them found none
    monkeypatch.chdir(tmp_path)
    (tmp_path / "收到").mkdir()
    shutil.copy(GOOD, tmp_path / "收到" / "a.xlsx")
    (tmp_path / "收到" / "说明.txt").write_text("说明", encoding="utf-8")
    run = cli("validate", "./收到", "./收到//a.xlsx", "--format", "json")
    on_cli = {f["path"] for f in json.loads(run.stdout)["files"]} | set(json.loads(run.stdout)["skipped"])
    assert on_cli == {"收到/a.xlsx", "收到/说明.txt"}, on_cli
    for given in (["./收到"], ["./收到", "./收到//a.xlsx"], ["收到/"]):
        report = xlgoals.validate(given, jobs=1)
        assert {f.path for f in report.files} | set(report.skipped_reasons) == on_cli, given
        f = xlgoals.frames(given, jobs=1)
        assert set(f.projects["path"]) == on_cli, given
