"""The command line in nightly scripts (red team 25h): exit codes that tell failing returns (1) from a run that could
not read what it was given or write its output (2), a closed pipe (141), the CPUs the process may use, an output
folder found unwritable by writing to it, and a loop of links in an inbox listed."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import example_return

ROOT = Path(__file__).resolve().parent.parent


def _xlgoals(*args, cwd=None, **kwargs):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300, **kwargs)


# 3. --jobs by default: the CPUs the process may use ---------------------------------------------------------------
def test_default_jobs_are_the_cpus_of_the_affinity_not_of_the_machine(monkeypatch, tmp_path):
    """`taskset -c 0 xlgoals validate 收件箱` (or a container's cpuset) started os.cpu_count() workers, each
    bounded in wall-clock time, on the one CPU it may use."""
    import xlgoals._parallel as parallel

    monkeypatch.setattr(parallel, "_CPU_MAX", str(tmp_path / "none"))
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 3}, raising=False)
    assert parallel.default_jobs() == 2


def test_default_jobs_keep_to_a_cgroup_cpu_quota(monkeypatch, tmp_path):
    """A container given 1.5 CPUs of a 64-core host (cgroup v2 cpu.max "150000 100000"): 2 workers, not 64."""
    import xlgoals._parallel as parallel

    quota = tmp_path / "cpu.max"
    monkeypatch.setattr(parallel, "_CPU_MAX", str(quota))
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    for text, jobs in (("150000 100000\n", 2), ("max 100000\n", 64), ("100000 100000\n", 1), ("junk", 64)):
        quota.write_text(text)
        assert parallel.default_jobs() == jobs, text


def test_default_jobs_without_affinity_are_the_cpu_count(monkeypatch, tmp_path):
    import xlgoals._parallel as parallel

    monkeypatch.setattr(parallel, "_CPU_MAX", str(tmp_path / "none"))
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 5)
    assert parallel.default_jobs() == 5


@pytest.mark.skipif(not shutil.which("taskset"), reason="no taskset")
def test_a_process_pinned_to_one_cpu_defaults_to_one_job():
    code = "import xlgoals._parallel as p; print(p.default_jobs())"
    proc = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert proc.stdout.strip() == "1", proc.stderr


# 4. an output folder that cannot be written, found by writing there -------------------------------------------------
@pytest.mark.skipif(not os.access("/sys", os.W_OK), reason="needs a folder os.access calls writable that is not: "
                    "/sys as root")
def test_an_output_folder_access_calls_writable_but_is_not_stops_the_run_before_reading(tmp_path):
    """As root, os.access says /sys (a read-only or immutable folder, an SMB share refusing what its mode bits
    allow) is writable: consolidate read and checked every return, then failed at the end with exit 1.  The
    check makes a file there: the run stops before anything is read, exit 2, naming the folder, and leaves nothing."""
    a = tmp_path / "a.xlsx"
    shutil.copy(example_return("goal-table"), a)
    for args in (["consolidate", a, "-o", "/sys/汇总.xlsx"], ["consolidate", a, "-o", tmp_path / "s.xlsx", "--csv", "/sys/c"],
                 ["consolidate", a, "-o", tmp_path / "s.xlsx", "--json", "/sys/s.json"],
                 ["validate", a, "-o", "/sys/r.txt"], ["validate", a, "--annotate", "/sys/kernel/标注"]):
        proc = _xlgoals(*args, "--jobs", "1")
        assert proc.returncode == 2, (args, proc.stderr)
        assert "不可写" in proc.stderr.strip().splitlines()[-1] and "Traceback" not in proc.stderr, (args, proc.stderr)
    assert not (tmp_path / "s.xlsx").exists()
    assert not [n for n in os.listdir("/sys") if n.startswith(".xlgoals-")]


def test_the_write_check_leaves_no_file_in_a_writable_folder(tmp_path):
    from xlgoals._paths import check_writable

    check_writable(tmp_path / "汇总.xlsx")
    check_writable(tmp_path / "新" / "标注", folder=True)
    assert os.listdir(tmp_path) == []


def test_a_folder_that_refuses_a_new_file_is_not_writable_whatever_access_says(tmp_path, monkeypatch):
    """The library alike: consolidate() raises UsageError (exit 2) before it reads, where the file cannot be made."""
    import xlgoals
    from xlgoals._errors import UsageError

    real_open = os.open

    def refusing(path, flags, *rest, **kw):
        if os.fspath(path).startswith(os.fspath(tmp_path / "共享")) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *rest, **kw)

    (tmp_path / "共享").mkdir()
    monkeypatch.setattr(os, "access", lambda *a, **k: True)
    monkeypatch.setattr(os, "open", refusing)
    read = []
    import xlgoals._consolidate._collect as collect

    def scan(*a, **k):
        read.append(a)
        raise RuntimeError("the returns were read")

    monkeypatch.setattr(collect, "scan", scan)
    with pytest.raises(UsageError) as caught:
        xlgoals.consolidate([example_return("goal-table")], tmp_path / "共享" / "汇总.xlsx", jobs=1)
    assert "不可写" in str(caught.value) and read == []


# 2. the reader of standard output went away: 141 ------------------------------------------------------------------
def _read_ten_bytes_and_leave(*args, unbuffered, command=("-m", "xlgoals")):
    """Run xlgoals into a pipe of one page, read 10 bytes and close it (`| head -c 10` on an output larger than
    the pipe holds): the rest of the output can never be written.  With `unbuffered`, under PYTHONUNBUFFERED=1
    (``python -u``, set in many container images)."""
    import fcntl
    import select

    r, w = os.pipe()
    fcntl.fcntl(w, getattr(fcntl, "F_SETPIPE_SZ", 1031), 4096)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env.update({"PYTHONPATH": str(ROOT)}, **({"PYTHONUNBUFFERED": "1"} if unbuffered else {}))
    proc = subprocess.Popen([sys.executable, *command, *map(str, args)], stdout=w, stderr=subprocess.PIPE,
                            env=env, text=True)
    os.close(w)
    select.select([r], [], [], 300)
    got = os.read(r, 10)
    os.close(r)
    err = proc.communicate(timeout=300)[1]
    return proc.returncode, got, err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
@pytest.mark.parametrize("unbuffered", [True, False])
def test_an_output_cut_by_a_reader_that_went_away_exits_141(tmp_path, unbuffered):
    """`xlgoals validate 收件箱 --format json | head -c 10` exited 0 under PYTHONUNBUFFERED=1: the report, larger
    than the pipe holds, went straight to the descriptor, which took a part of it, and the rest was dropped
    without an error (and a BrokenPipeError of the last flush was passed over).  Every command writing to
    standard output exits 141 (as README's exit codes say), saying nothing, with no traceback."""
    a = tmp_path / "a.xlsx"
    shutil.copy(example_return("goal-table"), a)
    big = tmp_path / "big"
    big.mkdir()
    for i in range(40):  # a report of some 12 KB
        shutil.copy(a, big / f"单位{i:02}.xlsx")
    for args in (["schema"], ["validate", big, "--format", "json", "--jobs", "2"],
                 ["validate", big, "--format", "csv", "--jobs", "2"], ["validate", big, "--jobs", "2"],
                 ["read", a, "--trace"]):
        code, got, err = _read_ten_bytes_and_leave(*args, unbuffered=unbuffered)
        assert len(got) == 10 and code == 141, (args, code, err)
        assert err == "", (args, err)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
@pytest.mark.parametrize("unbuffered", [True, False])
def test_an_output_written_through_standard_output_to_a_closed_pipe_exits_141(tmp_path, unbuffered):
    """`consolidate … --json /dev/stdout | head -c 10` said 无法替换 /dev/stdout, exit 1; `read -o /dev/stdout`
    the same: the reader went away, 141 as for the report, the other outputs written."""
    a = tmp_path / "a.xlsx"
    shutil.copy(example_return("goal-table"), a)
    for args in (["consolidate", a, "-o", tmp_path / "s.xlsx", "--json", "/dev/stdout", "--jobs", "1"],
                 ["read", a, "--trace", "-o", "/dev/stdout"]):
        code, got, err = _read_ten_bytes_and_leave(*args, unbuffered=unbuffered)
        assert len(got) == 10 and code == 141, (args, code, err)
        assert "无法" not in err and "Traceback" not in err, (args, err)
    assert (tmp_path / "s.xlsx").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_what_is_left_for_the_last_flush_into_a_closed_pipe_exits_141():
    """cli.run's last flush of standard output passed a BrokenPipeError over, keeping exit 0: what a command left in
    Python's buffer (6000 bytes, below its 8 KB) was cut."""
    code = ("import sys, xlgoals.cli as cli\n"
            "cli.main = lambda: sys.stdout.write('x' * 6000)\n"
            "cli.run()")
    status, got, err = _read_ten_bytes_and_leave(unbuffered=False, command=("-c", code))
    assert (status, got, err) == (141, b"x" * 10, "")


# 1. exit codes: 1 the returns failed, 2 the run could not read what it was named or write its output -------------
FAILING = ROOT / "examples" / "received"


def _into(path, *args):
    with open(path, "w") as stdout:
        return subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_validate_and_consolidate_exit_2_when_their_output_cannot_be_written(tmp_path):
    """validate exited 1 for failing returns and for a report it could not write (`> /dev/full`): a nightly script
    could not tell "departments made mistakes" from "the job broke".  An output that cannot be written is 2 for
    validate and consolidate, failing returns or not; the line says why."""
    a = tmp_path / "a.xlsx"
    shutil.copy(example_return("goal-table"), a)
    line = "错误：无法写入标准输出（磁盘空间不足），输出不完整"
    for args in (["validate", FAILING, "--format", "json"], ["validate", a], ["validate", a, "--format", "csv"],
                 ["validate", FAILING, "-o", "/dev/stdout"], ["consolidate", a, "-o", tmp_path / "s.xlsx"]):
        proc = _into("/dev/full", *args, "--jobs", "1")
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stderr.strip().splitlines()[-1].startswith("错误：无法"), (args, proc.stderr)
        assert "Traceback" not in proc.stderr
    proc = _into("/dev/full", "validate", a, "--jobs", "1")
    assert proc.stderr.strip().splitlines() == [line]  # said once
    proc = _into("/dev/full", "consolidate", a, "-o", tmp_path / "t.xlsx", "--json", "/dev/stdout", "--jobs", "1")
    assert proc.returncode == 2 and "无法替换 /dev/stdout（磁盘空间不足）" in proc.stderr, proc.stderr
    # the same report written: 1 for failing returns, 0 when all pass
    assert _into(os.devnull, "validate", FAILING, "--format", "json", "--jobs", "1").returncode == 1
    assert _into(os.devnull, "validate", a, "--jobs", "1").returncode == 0


def test_a_mistyped_inbox_is_a_usage_error_before_anything_is_read(tmp_path):
    """`xlgoals validate 收件箱_typo` exited 1 with a report of one failing "file" (file.missing); consolidate gave
    2.  Both give 2, one line naming the path, nothing on standard output."""
    for args in (["validate", tmp_path / "收件相"], ["validate", tmp_path / "收件相", tmp_path / "b", "--format", "json"],
                 ["consolidate", tmp_path / "收件相", "-o", tmp_path / "s.xlsx"]):
        proc = _xlgoals(*args, "--jobs", "1")
        assert proc.returncode == 2, (args, proc.stderr)
        assert proc.stdout == "" and proc.stderr == f"错误：找不到 {tmp_path / '收件相'}，请检查路径\n", (args, proc.stderr)
    assert not (tmp_path / "s.xlsx").exists()


def test_a_missing_path_among_others_is_listed_the_rest_checked_and_the_run_exits_2(tmp_path):
    """`xlgoals validate 甲单位 乙单位 丙单位` with 乙单位 mistyped: the other folders are checked and reported, the
    missing one is listed in the report (file.missing) and named on standard error, and the exit code is 2 (not
    the 1 of a failing return, nor the 0 of all passing)."""
    import json

    a = tmp_path / "甲单位"
    a.mkdir()
    shutil.copy(example_return("goal-table"), a / "a.xlsx")
    missing = tmp_path / "乙单位"
    proc = _xlgoals("validate", a, missing, "--format", "json", "--jobs", "1")
    assert proc.returncode == 2, proc.stderr
    report = json.loads(proc.stdout)
    codes = {Path(f["path"]).name: [p["code"] for p in f["problems"]] for f in report["files"]}
    assert codes == {"a.xlsx": [], "乙单位": ["file.missing"]}, codes
    assert proc.stderr == f"错误：找不到 {missing}，请检查路径（其余路径中的文件已校验，见报告；退出码 2）\n"
    en = _xlgoals("validate", a, missing, "--lang", "en", "--jobs", "1")
    assert en.returncode == 2 and en.stderr.startswith(f"Error: {missing} does not exist; check the path"), en.stderr


# 5. a link in the inbox to its own folder: a loop, listed -----------------------------------------------------------
def test_a_link_to_its_own_folder_is_listed_as_a_loop_by_validate_and_consolidate(tmp_path):
    """`收件箱/自己 -> .` (or `收件箱/甲/上级 -> ..`) was neither followed nor listed, where README says loops of links
    are said.  Each is listed as not followed, a loop; a link to another folder inside (its files checked there)
    stays unlisted, and the returns are checked once."""
    import json

    import xlgoals

    inbox = tmp_path / "收件箱"
    (inbox / "甲").mkdir(parents=True)
    shutil.copy(example_return("goal-table"), inbox / "甲" / "a.xlsx")
    (inbox / "自己").symlink_to(".")
    (inbox / "甲" / "上级").symlink_to("..")
    (inbox / "别名").symlink_to("甲")
    loops = {str(inbox / "自己"), str(inbox / "甲" / "上级")}
    proc = _xlgoals("validate", inbox, "--format", "json", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert [f["path"] for f in report["files"]] == [str(inbox / "甲" / "a.xlsx")]
    reasons = report["skipped_reasons"]
    assert set(reasons) == loops, reasons
    assert all("循环" in why for why in reasons.values()), reasons
    text = _xlgoals("validate", inbox, "--jobs", "1", "--lang", "en").stdout
    assert f"{inbox / '自己'} (a link to the folder it is in (or a folder above it), a loop; not followed" in text, text
    result = xlgoals.consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    assert set(map(str, result.skipped)) == loops, result.skipped
    proc = _xlgoals("consolidate", inbox, "-o", tmp_path / "汇总2.xlsx", "--jobs", "1")
    assert proc.returncode == 0 and all(path in proc.stderr for path in loops), proc.stderr
