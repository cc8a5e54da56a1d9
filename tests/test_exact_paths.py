"""Every file a report or summary names can be opened by a script: beside the path written for people (a newline
escaped as \\n, a GBK name decoded) each output gives the exact name as hex of its bytes, in validate's JSON and
CSV, consolidate's workbook, JSON and CSV tables, and the frames."""

import csv
import io
import json
import os
import shutil

import openpyxl

from .conftest import EXAMPLES, cli

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"
PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


def _inbox(tmp_path):
    """A folder of names a script cannot rebuild from the readable path: GBK names, a newline, a backslash-n,
    a skipped note and an editor's lock file named in GBK."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    raw = os.fsencode(inbox)
    returns = {"申报".encode("gbk") + b".xlsx": FAILING, b"a\nb.xlsx": FAILING, b"a\\nb.xlsx": PASSING,
               "通过".encode("gbk") + b".xlsx": PASSING}
    for name, src in returns.items():
        shutil.copy(src, os.path.join(raw, name))
    with open(os.path.join(raw, "说明".encode("gbk") + b".txt"), "wb") as fh:
        fh.write(b"note")
    with open(os.path.join(raw, b"~$" + "锁".encode("gbk") + b".xlsx"), "wb") as fh:
        fh.write(b"lock")
    everything = {os.path.join(raw, n) for n in os.listdir(raw)}
    return inbox, everything, {os.path.join(raw, n) for n in returns}


def _opens(hexes) -> set:
    out = set()
    for h in hexes:
        path = bytes.fromhex(h)
        assert os.path.lexists(path), path
        out.add(path)
    return out


def test_validate_json_gives_every_file_s_exact_name(tmp_path):
    inbox, everything, returns = _inbox(tmp_path)
    result = cli("validate", inbox, "--format", "json", "--jobs", "1")
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert len(data["skipped"]) == len(data["skipped_bytes"]) == 1
    assert len(data["ignored"]) == len(data["ignored_bytes"]) == 1
    listed = _opens([f["path_bytes"] for f in data["files"]] + data["skipped_bytes"] + data["ignored_bytes"])
    assert listed == everything
    # (a passing duplicate, a\\nb.xlsx of 通过.xlsx, has a return.duplicate warning since mendDH: not a failing one)
    failing = [p for f in data["files"] for p in f["problems"] if p["code"] != "return.duplicate"]
    assert failing and _opens(p["file_bytes"] for p in failing) == {
        os.path.join(os.fsencode(inbox), n) for n in ("申报".encode("gbk") + b".xlsx", b"a\nb.xlsx")}
    for f in data["files"]:  # each problem names its own file
        assert {p["file_bytes"] for p in f["problems"]} <= {f["path_bytes"]}
    # the readable `skipped` and `skipped_bytes` name the same file, in the same order
    assert os.path.basename(bytes.fromhex(data["skipped_bytes"][0])) == "说明".encode("gbk") + b".txt"
    assert data["skipped"][0].endswith("说明.txt")


def test_validate_csv_gives_every_row_s_exact_name_last(tmp_path):
    inbox, everything, returns = _inbox(tmp_path)
    for review in ([], ["--review"]):
        result = cli("validate", inbox, "--format", "csv", "--jobs", "1", *review)
        rows = list(csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))))
        assert rows[0][-1] == "file_bytes" and rows[0][-3:-1] == ["form", "sha256"]  # added last, nothing moved
        assert all(len(r) == len(rows[0]) for r in rows)
        assert _opens(r[-1] for r in rows[1:]) == everything


def test_yesterday_s_csv_report_and_tables_are_still_replaced_without_force(tmp_path):
    """The header is how a report xlgoals wrote is known from a department's file: a report or summary table
    written before the exact names were added (one column fewer) is replaced, as it was, and today's too."""
    inbox, _, _ = _inbox(tmp_path)
    report = tmp_path / "校验.csv"
    report.write_bytes("\ufeff".encode() + b"file,valid,code,severity,sheet,cell,field,value,expected,message,path,"
                       b"form,sha256\r\nx.xlsx,true,,,,,,,,,,goal-table,00\r\n")
    for _ in range(2):
        assert cli("validate", inbox, "--format", "csv", "-o", report).exit_code == 1
        assert report.read_bytes().split(b"\r\n", 1)[0].endswith(b",sha256,file_bytes")
    tables = tmp_path / "表"
    assert cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--csv", tables).exit_code == 0
    old = tables / "项目清单.csv"  # as written before: its last column SHA-256 (and the 一级 counts before it)
    rows = list(csv.reader(io.StringIO(old.read_text(encoding="utf-8-sig"))))
    assert rows[0][-1] == "文件路径字节" and "SHA-256" in rows[0]
    with open(old, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(r[:rows[0].index("SHA-256") + 1] for r in rows)
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--csv", tables)
    assert result.exit_code == 0, result.output
    assert old.read_bytes().decode("utf-8-sig").split("\r\n", 1)[0].endswith(",文件路径字节")


def test_consolidate_outputs_give_every_file_s_exact_name(tmp_path):
    inbox, everything, returns = _inbox(tmp_path)
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "s.json",
                 "--csv", tmp_path / "表", "--review")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    named = {}
    for key, table in data.items():
        if isinstance(table, dict) and "文件路径" in table.get("columns", []):
            assert table["columns"][-1] == "文件路径字节", key  # last: the columns before keep their places
            named[key] = _opens(r[-1] for r in table["rows"])
    assert named["projects"] == returns
    # 审核 too (every return scored): its exact names, beside the readable ones (it wrote the raw name once, which no
    # workbook can hold: a GBK name crashed the run)
    assert named["review"] == returns
    at = data["review"]["columns"].index("文件路径")
    assert sorted(r[at] for r in data["review"]["rows"]) == sorted(
        [str(inbox / "a\\nb.xlsx"), str(inbox / "a\\nb.xlsx"), str(inbox / "申报.xlsx"), str(inbox / "通过.xlsx")])
    validation = next(k for k, t in data.items() if isinstance(t, dict) and t.get("title") == "校验结果")
    assert named[validation] == everything
    # the CSV tables and the workbook's sheets as the JSON
    for title in ("项目清单", "校验结果", "审核"):
        rows = list(csv.reader(io.StringIO((tmp_path / "表" / f"{title}.csv").read_text(encoding="utf-8-sig"))))
        head = next(i for i, r in enumerate(rows) if "文件路径字节" in r)
        col = rows[head].index("文件路径字节")
        found = _opens(r[col] for r in rows[head + 1:] if len(r) > col and r[col])
        assert found == (everything if title == "校验结果" else returns), title
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)
    for title in ("项目清单", "校验结果", "审核"):
        rows = [list(r) for r in wb[title].iter_rows(values_only=True)]
        head = next(i for i, r in enumerate(rows) if "文件路径字节" in r)
        col = rows[head].index("文件路径字节")
        found = _opens(r[col] for r in rows[head + 1:] if len(r) > col and isinstance(r[col], str))
        assert found == (everything if title == "校验结果" else returns), title
        # 来源文件 and 文件路径 are written for people: the GBK name decoded, never the raw bytes
        if "来源文件" in rows[head]:
            assert {r[rows[head].index("来源文件")] for r in rows[head + 1:] if isinstance(r[col], str)} >= {"申报.xlsx"}


def test_frames_give_every_file_s_exact_name(tmp_path):
    from xlgoals import frames

    inbox, everything, returns = _inbox(tmp_path)
    f = frames(inbox, jobs=1)
    assert list(f.projects.columns)[-1] == "path_bytes"
    assert _opens(f.projects["path_bytes"]) == everything
    assert list(f.indicators.columns)[-1] == "path_bytes"
    assert _opens(f.indicators["path_bytes"].unique()) == returns
    assert list(f.problems.columns)[-1] == "file_bytes"
    assert _opens(f.problems[f.problems["code"] != "return.duplicate"]["file_bytes"].unique()) == {
        os.path.join(os.fsencode(inbox), n) for n in ("申报".encode("gbk") + b".xlsx", b"a\nb.xlsx")}
    # an indicator's row names its own return, though two returns show one path (a\nb and a\\nb)
    both = f.indicators[f.indicators["path"].str.endswith("a\\nb.xlsx")]
    assert both["path_bytes"].nunique() == 2



def test_files_not_checked_are_given_with_their_exact_names_and_reasons(tmp_path):
    """`skipped_reasons` is keyed by the readable path: a note named in GBK and one named 说明.txt in UTF-8 read alike,
    so one of them lost its reason, and a script could not join a reason to `skipped_bytes`.  `skipped_files` gives
    each file not checked once, with its readable path, its exact name and its reason, in the order of `skipped`;
    the library's ``skipped_reasons`` is keyed by the exact path (``os.fsencode(key).hex()`` is its `path_bytes`)."""
    from xlgoals import validate
    from xlgoals._paths import exact_path

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    raw = os.fsencode(inbox)
    names = ["说明".encode("gbk") + b".txt", "说明".encode() + b".txt", b"mail.eml"]
    for name in names:
        with open(os.path.join(raw, name), "wb") as fh:
            fh.write(b"note")
    shutil.copy(PASSING, inbox / "a.xlsx")
    report = validate([inbox], jobs=1)
    exact = {os.path.join(raw, n).hex() for n in names}
    assert {exact_path(k) for k in report.skipped_reasons} == exact
    for lang, reason in (("zh", "不是工作簿文件，未检查"), ("en", "not a workbook file; not checked")):
        data = json.loads(cli("validate", inbox, "--format", "json", "--lang", lang).stdout)
        files = data["skipped_files"]
        assert [f["path"] for f in files] == data["skipped"] and [f["path_bytes"] for f in files] == data["skipped_bytes"]
        assert {f["path_bytes"] for f in files} == exact
        by_name = {os.path.basename(bytes.fromhex(f["path_bytes"])): f["reason"] for f in files}
        assert by_name[names[0]] == by_name[names[1]] == reason and by_name[b"mail.eml"] != reason
        assert data["skipped_reasons"] == {f["path"]: f["reason"] for f in files}  # as before, for reading
