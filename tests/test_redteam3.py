"""Red team, third pass: the library's reads bounded as the command line's are, outputs that are links, control
characters in names, and what a full disk or a file-size limit names."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE_XLSX, ROOT

FIXTURES = Path(__file__).with_name("fixtures")


def _python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, env=env)


@pytest.mark.parametrize("call", ["read", "validate_file"])
def test_a_library_read_of_an_xls_that_aborts_the_reader_does_not_kill_the_caller(call):
    """xlgoals.read(path) ran calamine in the caller's process: a damaged .xls that makes calamine abort killed an
    analyst's notebook (exit 134, nothing said).  It is read in a bounded child, as the command line reads one: the
    caller lives and gets the one problem validate gives the file (file.crashed, located on the file)."""
    bad = FIXTURES / "calamine-abort.xls"
    proc = _python(f"import xlgoals\nr = xlgoals.{call}({str(bad)!r})\n"
                   "print([p.code for p in r.problems]); print(r.problems[0].message); print(r.problems[0].file)\n"
                   "print(r.sha256)\nprint('alive')")
    assert proc.returncode == 0, (proc.returncode, proc.stderr[-2000:])
    codes, message, file, sha, alive = proc.stdout.splitlines()
    assert codes == "['file.crashed']" and "读取程序异常退出" in message and file == str(bad), proc.stdout
    assert len(sha) == 64 and alive == "alive"


def test_a_library_read_in_the_callers_process_on_request_gives_the_same_result():
    """``isolated=False`` reads in the caller's process (no child: for a caller that trusts its files); what it
    gives is what the bounded read gives."""
    import xlgoals

    here = xlgoals.read(EXAMPLE_XLSX[0], isolated=False)
    there = xlgoals.read(EXAMPLE_XLSX[0])
    assert here.document == there.document and dict(here.sources) == dict(there.sources)
    assert here.numbers == there.numbers and here.sha256 == there.sha256 and here.template == there.template
    assert [p.to_dict() for p in here.problems] == [p.to_dict() for p in there.problems]
    report = xlgoals.validate_file(EXAMPLE_XLSX[0], isolated=False)
    assert report.passes() and report.document == here.document


def test_a_library_read_passes_on_what_the_reader_raises(monkeypatch):
    """A fault the read raises (a bug, a bad argument) is raised to the caller as before, not turned into a
    problem of the file: only a reader that dies or overruns is the file's problem."""
    import xlgoals._read as mod

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(mod, "open_container", broken)
    with pytest.raises(ZeroDivisionError):
        mod.read(EXAMPLE_XLSX[0])
