"""mendDH: the bureau's inbox as it really is (red team 28w).

1. (f5) A department's corrected annotated copy (edited after xlgoals wrote it, saved, renamed) found in a folder is
   checked and counted as the return it is; an untouched copy stays skipped as xlgoals's output.
"""

from __future__ import annotations

import shutil

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._paths import SKIP_XLGOALS

from .conftest import EXAMPLES, EXAMPLE_XLSX, cli
from .helpers import ooxml_errors, unit_inbox

RECEIVED = EXAMPLES / "received" / "某局_某项目.xlsx"


def _annotated_copy(tmp_path):
    """validate --annotate of the failing example return: the copy's path."""
    inbox, back = tmp_path / "原件", tmp_path / "退回"
    inbox.mkdir()
    shutil.copy(RECEIVED, inbox / RECEIVED.name)
    r = cli("validate", inbox, "--annotate", back)
    assert r.exit_code == 1, r.output
    copy = back / "某局_某项目_问题标注.xlsx"
    assert copy.is_file()
    assert ooxml_errors(copy) == []  # the content stamp (a property written in) keeps the copy a valid workbook
    return copy


def test_corrected_annotated_copy_in_a_folder_is_checked_and_counted(tmp_path):
    copy = _annotated_copy(tmp_path)
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], inbox / EXAMPLE_XLSX[0].name)
    wb = openpyxl.load_workbook(copy)  # the department fixes the two cells the copy marks, and saves
    wb["项目信息"]["B10"].value = 162800000
    wb["绩效指标"]["C16"].value = "数量"
    corrected = inbox / "某局_促进就业专项资金（修改后）.xlsx"
    wb.save(corrected)
    untouched = inbox / "某局_某项目_问题标注.xlsx"  # an untouched copy lying beside: still ours, skipped
    shutil.copy(copy, untouched)
    report = validate([inbox])
    checked = {f.path: f for f in report.files}
    assert str(corrected) in checked, report.skipped_reasons
    f = checked[str(corrected)]
    assert [p.code for p in f.problems if p.severity == "error"] == [], [(p.code, p.sheet, p.cell) for p in f.problems]
    assert not any(p.sheet == "问题清单" for p in f.problems)  # the copy's own sheet is no part of the form
    assert report.skipped_reasons == {str(untouched): SKIP_XLGOALS}
    r = consolidate([inbox], tmp_path / "汇总.xlsx")
    counted = {rec.path: rec for rec in r.records}
    assert set(counted) == {str(inbox / EXAMPLE_XLSX[0].name), str(corrected)}, r.skipped
    assert list(r.skipped) == [str(untouched)]


# 2. (f7) A folder that cannot be listed (no permission: a shared drive's ACL) is a failure, not a line "not checked".

def _unlistable(monkeypatch, folder):
    """`folder` cannot be listed, as for a clerk's account without the right (the tests run as root, who reads all)."""
    import errno
    import os

    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.realpath(os.fsdecode(path)) == os.path.realpath(folder):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _inbox_with_units(tmp_path):
    return unit_inbox(tmp_path, jia=(0,), yi=(1,))


def test_unreadable_folder_fails_validate(tmp_path, monkeypatch):
    inbox = _inbox_with_units(tmp_path)
    _unlistable(monkeypatch, inbox / "乙单位")
    report = validate([inbox])
    assert not report.valid
    failing = [f for f in report.files if f.problems and f.problems[0].code == "folder.unreadable"]
    assert [f.path for f in failing] == [str(inbox / "乙单位")], report.skipped_reasons
    p = failing[0].problems[0]
    assert p.severity == "error" and "无法读取此文件夹" in p.message and "cannot" in p.message_en.lower()
    assert str(inbox / "乙单位") not in report.skipped_reasons
    r = cli("validate", inbox)
    assert r.exit_code == 1, r.output
    assert "乙单位" in r.output and "无法读取此文件夹" in r.output
    r = cli("validate", inbox, "--format", "json")
    assert "folder.unreadable" in r.output
    # the unreadable folder named itself: exit 2, said as a path that cannot be read, not "no workbook found"
    r = cli("validate", inbox / "乙单位")
    assert r.exit_code == 2, r.output
    assert "无法读取文件夹" in r.output and "没有找到" not in r.output


def test_unreadable_folder_refuses_consolidate(tmp_path, monkeypatch):
    inbox = _inbox_with_units(tmp_path)
    _unlistable(monkeypatch, inbox / "乙单位")
    out = tmp_path / "out"
    out.mkdir()
    r = cli("consolidate", inbox, "-o", out / "汇总.xlsx")
    assert r.exit_code == 2, r.output
    assert "乙单位" in r.output and "无法读取文件夹" in r.output
    assert list(out.iterdir()) == []  # nothing written: a summary lacking 乙单位 would pass for whole
    r = cli("consolidate", inbox / "乙单位", "-o", out / "乙.xlsx")
    assert r.exit_code == 2, r.output
    assert "无法读取文件夹" in r.output and "没有找到" not in r.output
    assert list(out.iterdir()) == []


# 4. (f2) A link (or hard link) to a file in the inbox is one file: checked once, under the real path.

def test_a_link_to_a_file_in_the_inbox_is_checked_once_under_the_real_path(tmp_path):
    import os

    inbox = tmp_path / "in"
    (inbox / "unitA").mkdir(parents=True)
    real = inbox / "unitA" / EXAMPLE_XLSX[0].name
    shutil.copy(EXAMPLE_XLSX[0], real)
    shutil.copy(EXAMPLE_XLSX[1], inbox / "unitA" / EXAMPLE_XLSX[1].name)
    (inbox / "快捷方式.xlsx").symlink_to(os.path.join("unitA", EXAMPLE_XLSX[0].name))
    os.link(inbox / "unitA" / EXAMPLE_XLSX[1].name, inbox / "unitA" / "硬链接.xlsx")
    report = validate([inbox])
    assert sorted(f.path for f in report.files) == sorted([str(real), str(inbox / "unitA" / EXAMPLE_XLSX[1].name)])
    codes = {os.path.basename(p): why.code for p, why in report.skipped_reasons.items()}
    assert codes == {"快捷方式.xlsx": "skipped.same_file", "硬链接.xlsx": "skipped.same_file"}
    said = report.skipped_reasons[str(inbox / "快捷方式.xlsx")]
    assert EXAMPLE_XLSX[0].name in said[0] and EXAMPLE_XLSX[0].name in said[1]
    r = consolidate([inbox], tmp_path / "s.xlsx")
    assert sorted(rec.path for rec in r.records) == sorted(f.path for f in report.files)
    assert not any(rec.duplicate for rec in r.records)


# 5. (f3, f3b) SIGTERM/SIGHUP (kill, a scheduler's timeout, an SSH session closed) end consolidate as Ctrl-C does.

def _terminated_consolidate(tmp_path, signum):
    import os
    import signal  # noqa: F401
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for n in range(200):  # enough for the run to last past the signal on a fast machine
        shutil.copy(EXAMPLE_XLSX[n % len(EXAMPLE_XLSX)], inbox / f"{n:03d}.xlsx")
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "xlgoals", "consolidate", str(inbox), "--jobs", "2",
                          "-o", str(out / "汇总.xlsx"), "--csv", str(out / "csv")], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while p.poll() is None and not any(n.startswith("xlgoals-spool-") for n in os.listdir(tmp)):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.05)
    assert p.poll() is None, "the run ended before it could be signalled"
    p.send_signal(signum)
    _, err = p.communicate(timeout=60)
    return p.returncode, err.decode(), sorted(os.listdir(tmp)), sorted(os.listdir(out))


def test_sigterm_ends_consolidate_as_ctrl_c_does(tmp_path):
    import signal

    rc, err, left, written = _terminated_consolidate(tmp_path, signal.SIGTERM)
    assert rc == 143, err
    assert "已终止" in err and "SIGTERM" in err, err
    assert left == [] and written == [], (left, written)  # no spool, no part file, nothing half-written


def test_sighup_ends_consolidate_as_ctrl_c_does(tmp_path):
    import signal

    rc, err, left, written = _terminated_consolidate(tmp_path, signal.SIGHUP)
    assert rc == 129, err
    assert "已终止" in err and "SIGHUP" in err, err
    assert left == [] and written == [], (left, written)


# 3. (f1) Two versions of one project in a folder: validate names both, as consolidate says it.

def test_validate_of_a_folder_names_two_versions_of_one_project(tmp_path):
    import csv
    import io
    import json
    import os

    from xlgoals import fill, read

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    doc = read(EXAMPLE_XLSX[1]).document
    doc["budget"]["total"] = doc["budget"]["current_year"] = 146000000
    final, v1 = inbox / "02 最终版.xlsx", inbox / "02 v1.xlsx"
    fill(doc, final)
    shutil.copy(EXAMPLE_XLSX[1], v1)
    shutil.copy(EXAMPLE_XLSX[0], inbox / EXAMPLE_XLSX[0].name)  # another project: no duplicate
    os.utime(final, (1583114400, 1583114400))
    os.utime(v1, (1583370000, 1583370000))  # the old one saved later: the one consolidate keeps
    r = consolidate([inbox], tmp_path / "汇总.xlsx")
    said = r.duplicate_lines()
    assert len(said) == 1 and "02 最终版.xlsx" in said[0] and "02 v1.xlsx" in said[0], said
    report = validate([inbox])
    by = {os.path.basename(f.path): [p for p in f.problems if p.code == "return.duplicate"] for f in report.files}
    assert by[EXAMPLE_XLSX[0].name] == [] and by["02 v1.xlsx"] == []
    (p,) = by["02 最终版.xlsx"]
    assert p.severity == "warning"
    note = said[0].split("：", 2)[2]  # consolidate's words after the file: 以 … 为准，…
    assert note in p.message and "02 v1.xlsx" in p.message, (note, p.message)
    assert report.valid  # a warning: the files pass (--strict fails them)
    text = cli("validate", inbox)
    assert text.exit_code == 0 and "02 v1.xlsx 为准" in text.output, text.output
    assert cli("validate", inbox, "--strict").exit_code == 1
    data = json.loads(cli("validate", inbox, "--format", "json").output)
    assert any(q["code"] == "return.duplicate" for f in data["files"] for q in f["problems"])
    rows = list(csv.DictReader(io.StringIO(cli("validate", inbox, "--format", "csv").output.lstrip("\ufeff"))))
    assert [os.path.basename(r["file"]) for r in rows if r["code"] == "return.duplicate"] == ["02 最终版.xlsx"]


# 6. (f8) A GBK-bytes name and the same name in UTF-8: told apart wherever a name is shown.

def test_a_gbk_name_and_the_same_utf8_name_are_told_apart_on_the_terminal(tmp_path):
    import os

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    gbk = os.path.join(os.fsencode(inbox), "某局_某项目.xlsx".encode("gbk"))
    shutil.copy(RECEIVED, gbk)  # from a Windows zip: fails
    shutil.copy(EXAMPLE_XLSX[1], inbox / "某局_某项目.xlsx")  # saved from mail: passes
    r = cli("validate", inbox, "--annotate", tmp_path / "退回")
    lines = r.output[r.output.index("各文件结果"):].splitlines()
    failing = next(x for x in lines if "✗" in x)
    passing = next(x for x in lines if "✓" in x)
    assert "非 UTF-8" in failing and "非 UTF-8" not in passing, (failing, passing)
    said = next(x for x in r.output.splitlines() if "问题标注" in x and "某局_某项目" in x)
    assert "非 UTF-8" in said, said
    # the failing one, a duplicate of the other (return.duplicate, a warning), still gets its copy
    assert (tmp_path / "退回" / "某局_某项目_问题标注.xlsx").is_file()
    import json

    data = json.loads(cli("validate", inbox, "--format", "json").output)
    assert sorted(bytes.fromhex(f["path_bytes"]) for f in data["files"]) == sorted([gbk, os.fsencode(inbox / "某局_某项目.xlsx")])


def test_consolidate_s_duplicate_line_tells_a_gbk_name_from_the_same_utf8_name(tmp_path):
    import os

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[1], os.path.join(os.fsencode(inbox), "某局_某项目.xlsx".encode("gbk")))
    shutil.copy(EXAMPLE_XLSX[1], inbox / "某局_某项目.xlsx")
    (line,) = consolidate([inbox], tmp_path / "s.xlsx").duplicate_lines()
    assert line.count("非 UTF-8") == 1, line  # one of the two names marked: which is which is told


def test_validate_says_nothing_of_a_workbook_s_own_json_beside_it(tmp_path):
    from xlgoals import read

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[1], inbox / "02.xlsx")
    import json

    doc = read(EXAMPLE_XLSX[1]).document
    (inbox / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    doc["budget"]["total"] = doc["budget"]["current_year"] = 146000000  # and one of another version
    (inbox / "02 改.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = validate([inbox])
    assert len(report.files) == 3
    # the workbook's own JSON (same content) is said nothing of; the other version is not counted, and said so
    # (mendDL: as consolidate says it, "JSON 文档与工作簿内容不同")
    said = {f.path.replace("\\", "/").rsplit("/", 1)[-1]: [p for p in f.problems if p.code == "return.duplicate"]
            for f in report.files}
    assert not said["02.xlsx"] and not said["02.json"], said
    assert len(said["02 改.json"]) == 1 and "JSON 文档与工作簿内容不同" in said["02 改.json"][0].message, said
