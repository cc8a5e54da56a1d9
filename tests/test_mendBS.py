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
