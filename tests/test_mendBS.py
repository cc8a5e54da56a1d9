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
