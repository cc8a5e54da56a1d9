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

from .conftest import EXAMPLES, ROOT, cli
from .helpers import files_under, ooxml_errors, unit_inbox

RECEIVED = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails (cell.amount_wan, rule.level2_mismatch)


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
    return unit_inbox(tmp_path, jia=(0, 1))


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


# 1. validate --annotate --jobs N: the copies made in the workers, written in order by the run

def _failing_inbox(root, n=4):
    """`n` failing returns, two of one name in two units' folders (their copies named apart by the folder)."""
    inbox = root / "收件箱"
    for unit in ("甲单位", "乙单位"):
        (inbox / unit).mkdir(parents=True)
        shutil.copy(RECEIVED, inbox / unit / "绩效目标表.xlsx")
    for i in range(n - 2):
        shutil.copy(RECEIVED, inbox / f"{i:02d}.xlsx")
    return inbox


def _parts(path) -> dict:
    import zipfile

    with zipfile.ZipFile(path) as z:  # docProps/core.xml holds the time it was saved, which differs by the second
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_copies_made_in_workers_are_the_copies_made_in_one_process(tmp_path):
    inbox = _failing_inbox(tmp_path)
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"退回{jobs}"
        r = cli("validate", inbox, "--annotate", out, "--jobs", jobs, "--format", "json")
        assert r.exit_code == 1, r.stderr
        # the same lines, in the same order (the report's), naming the copies in their folder
        runs[jobs] = (r.stderr.replace(str(out), "OUT"), sorted(p.name for p in out.iterdir()), out)
    assert runs["1"][:2] == runs["2"][:2]
    lines = runs["2"][0].splitlines()
    assert len(lines) == 4 and all(line.startswith("已生成标注副本：OUT/") for line in lines), lines
    assert runs["2"][1] == ["00_问题标注.xlsx", "01_问题标注.xlsx", "乙单位_绩效目标表_问题标注.xlsx",
                            "甲单位_绩效目标表_问题标注.xlsx"]
    for name in runs["2"][1]:
        one, two = runs["1"][2] / name, runs["2"][2] / name
        assert _parts(one) == _parts(two), name  # sheets, comments, styles, the 问题清单: byte for byte
    assert ooxml_errors(runs["2"][2] / "甲单位_绩效目标表_问题标注.xlsx") == []  # (the others are these bytes)
    import openpyxl

    ws = openpyxl.load_workbook(runs["2"][2] / "甲单位_绩效目标表_问题标注.xlsx")["问题清单"]
    assert ws.max_row > 1 and ws["A2"].value == 1
    assert [p for p in files_under(tmp_path) if ".part" in p or "/.xlgoals-" in p] == []


_RUN = """
import os, sys
from xlgoals._check import _annotate
made = _annotate.copy_bytes
def copy_bytes(report):
    with open(sys.argv[1], "a") as fh:
        fh.write(f"{os.getpid()}\\n")
    return made(report)
_annotate.copy_bytes = copy_bytes
from xlgoals.cli import main
print(os.getpid(), file=open(sys.argv[2], "w"))
main(sys.argv[3:])
"""


def test_the_copies_are_made_in_the_worker_processes(tmp_path):
    import subprocess
    import sys

    inbox = _failing_inbox(tmp_path)
    pids, parent = tmp_path / "pids", tmp_path / "parent"
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp_path))
    p = subprocess.run([sys.executable, "-c", _RUN, pids, parent, "validate", inbox, "--annotate", tmp_path / "退回",
                        "--jobs", "2"], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 1, p.stderr
    made = pids.read_text().split()
    assert len(made) == 4 and parent.read_text().split()[0] not in made, (made, parent.read_text())
    assert len(os.listdir(tmp_path / "退回")) == 4
    # the workers' temporary files (openpyxl saves each sheet through one) were in the run's own folder, gone
    assert not [n for n in os.listdir(tmp_path) if n.startswith(("xlgoals-annotate-", "openpyxl"))]


def test_sigterm_while_workers_make_copies_leaves_no_half_written_copy(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    import zipfile

    inbox = _failing_inbox(tmp_path, n=12)
    out, tmp = tmp_path / "退回", tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), TMPDIR=str(tmp))
    p = subprocess.Popen([sys.executable, "-m", "xlgoals", "validate", str(inbox), "--annotate", str(out),
                          "--jobs", "2", "-o", str(tmp_path / "r.txt")], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    first = p.stderr.readline().decode()  # the first copy written: the workers are at the others
    assert first.startswith("已生成标注副本"), first + p.stderr.read().decode()
    time.sleep(0.05)
    assert p.poll() is None, "the run ended before it could be signalled"
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 143, err.decode()
    written = sorted(os.listdir(out))
    assert 1 <= len(written) < 12 and all(n.endswith("_问题标注.xlsx") for n in written), written
    for name in written:  # each copy there is whole
        with zipfile.ZipFile(out / name) as z:
            assert z.testzip() is None
    assert os.listdir(tmp) == []  # no temporary folder, no openpyxl sheet left by a worker ended mid-save
    assert sorted(os.listdir(inbox)) == ["00.xlsx", *(f"{i:02d}.xlsx" for i in range(1, 10)), "乙单位", "甲单位"]


def test_a_full_disk_stops_the_workers_copies_at_the_first(tmp_path, monkeypatch):
    import errno

    inbox = _failing_inbox(tmp_path, n=5)
    tries = []

    def full(*args, **kwargs):
        tries.append(args)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)  # the run writes the copies: the workers make them
    r = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "2")
    assert r.exit_code == 2 and len(tries) == 1, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 3 and "磁盘空间不足" in lines[0], r.stderr
    assert lines[1].startswith("磁盘空间不足，已停止生成标注副本：其余 4 个未通过的文件未生成标注副本"), lines[1]
    assert lines[2].startswith("错误：5 个标注副本未能写入"), lines[2]
    assert not (tmp_path / "ann").exists() or files_under(tmp_path / "ann") == []
