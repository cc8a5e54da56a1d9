"""mendEB: the bureau's inbox, continued.

1. validate --annotate under --jobs N writes its copies' bytes in the workers: the same copies as --jobs 1.
2. A folder that cannot be listed keeps the system's reason as a value (Reason.detail), not cut out of a sentence.
3. Counting words: a folder that cannot be read is no file in 共检查 N 个文件 (counted apart, and said), and
   “其余路径中的文件已校验” is said only when another path was named and read.
"""

from __future__ import annotations

import errno
import os
import shutil

import pytest

from xlgoals import validate
from xlgoals._paths import scan, unlisted_folders

from .conftest import EXAMPLE_XLSX, cli


def _unlistable(monkeypatch, folder, err=errno.EACCES, words=None):
    """`folder` cannot be listed (the tests run as root, who reads all), failing with `err` (and `words`)."""
    real = os.scandir

    def scandir(path="."):
        if not isinstance(path, int) and os.path.realpath(os.fsdecode(path)) == os.path.realpath(folder):
            raise PermissionError(err, words or os.strerror(err), os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.fixture
def inbox(tmp_path):
    inbox = tmp_path / "收件箱"
    (inbox / "甲单位").mkdir(parents=True)
    (inbox / "乙单位").mkdir()
    shutil.copy(EXAMPLE_XLSX[0], inbox / "甲单位" / EXAMPLE_XLSX[0].name)
    shutil.copy(EXAMPLE_XLSX[1], inbox / "甲单位" / EXAMPLE_XLSX[1].name)
    return inbox


# 2. The reason of a folder that cannot be listed, kept as a value

def test_the_scan_keeps_the_system_reason_as_a_value(inbox, monkeypatch):
    _unlistable(monkeypatch, inbox / "乙单位")
    why = scan([inbox]).skipped[str(inbox / "乙单位")]
    assert why.detail == ("没有访问权限", "permission denied")
    assert unlisted_folders({str(inbox / "乙单位"): why}) == {str(inbox / "乙单位"): ("没有访问权限", "permission denied")}


def test_an_unknown_system_reason_in_brackets_is_said_whole(inbox, monkeypatch):
    # a reason the catalog does not know is the system's own words, brackets and all: said whole, in the problem and
    # in the line naming the folder (cutting it back out of "无法读取此文件夹（…），未检查" lost what followed a "），")
    words = "Remote I/O error (server said: no), retry); later"
    _unlistable(monkeypatch, inbox / "乙单位", errno.EREMOTEIO, words)
    f = next(f for f in validate([inbox]).files if f.path == str(inbox / "乙单位"))
    (p,) = f.problems
    assert p.value == f"系统错误 EREMOTEIO：{words}" and p.value_en == words
    r = cli("--lang", "en", "validate", inbox / "乙单位", inbox / "甲单位")
    assert r.exit_code == 2
    assert f"Error: cannot read the folder {inbox / '乙单位'} ({words}); check the path" in r.stderr


def test_permission_denied_is_said_as_before(inbox, monkeypatch):
    _unlistable(monkeypatch, inbox / "乙单位")
    r = cli("validate", inbox / "乙单位", inbox / "甲单位")
    assert r.exit_code == 2
    assert (f"错误：无法读取文件夹 {inbox / '乙单位'}（没有访问权限），请检查路径和访问权限（其余路径中的文件已校验，见报告；退出码 2）"
            in r.stderr)
    (p,) = next(f for f in validate([inbox]).files if f.path == str(inbox / "乙单位")).problems
    assert (p.value, p.value_en) == ("没有访问权限", "permission denied")
    assert p.message.startswith("无法读取此文件夹（没有访问权限）")


# 3. Counting words

def test_an_unreadable_folder_is_no_file_in_the_count(inbox, monkeypatch):
    _unlistable(monkeypatch, inbox / "乙单位")
    r = cli("validate", inbox)
    assert r.exit_code == 1
    # two files, both passing; the folder apart: its error still counted among the problems
    assert "共检查 2 个文件：通过 2 个，未通过 0 个；另有 1 个文件夹无法读取，其中的文件均未检查；错误 1 处，警告 0 处。" in r.stdout
    r = cli("--lang", "en", "validate", inbox)
    assert r.exit_code == 1
    assert ("Checked 2 files: 2 passed, 0 failed; 1 folder could not be read, none of its files checked; "
            "1 error, 0 warnings.") in r.stdout


def test_no_folder_no_clause(inbox):
    r = cli("validate", inbox / "甲单位")
    assert "共检查 2 个文件：通过 2 个，未通过 0 个；错误 0 处，警告 0 处。" in r.stdout
    r = cli("--lang", "en", "validate", inbox / "甲单位")
    assert "Checked 2 files: 2 passed, 0 failed; 0 errors, 0 warnings." in r.stdout


def test_the_other_paths_are_said_checked_only_when_there_were_others(inbox, monkeypatch):
    _unlistable(monkeypatch, inbox / "乙单位")
    folder = inbox / "乙单位"
    r = cli("validate", folder)  # named alone: there is no other path whose files were checked
    assert r.exit_code == 2
    assert f"错误：无法读取文件夹 {folder}（没有访问权限），请检查路径和访问权限（见报告；退出码 2）" in r.stderr
    assert "其余路径" not in r.stderr
    r = cli("--lang", "en", "validate", folder)
    assert r.exit_code == 2
    assert (f"Error: cannot read the folder {folder} (permission denied); check the path and its permissions "
            "(see the report; exit code 2)") in r.stderr
    assert "other paths" not in r.stderr
    # beside a path that does not exist: neither line says the others were checked
    gone = inbox / "丙单位"
    r = cli("validate", folder, gone)
    assert r.exit_code == 2
    assert "其余路径" not in r.stderr and "丙单位" in r.stderr and "乙单位" in r.stderr
    r = cli("--lang", "en", "validate", folder, gone)
    assert "other paths" not in r.stderr
    # with a folder read beside them: both say so
    r = cli("validate", folder, gone, inbox / "甲单位")
    assert r.exit_code == 2
    assert r.stderr.count("其余路径中的文件已校验，见报告；退出码 2") == 2
    r = cli("--lang", "en", "validate", folder, gone, inbox / "甲单位")
    assert r.stderr.count("the files of the other paths were checked, see the report; exit code 2") == 2
