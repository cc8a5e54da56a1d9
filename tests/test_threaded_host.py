"""The library's bounded read in a threaded host (Jupyter, a web server): another thread holding a lock when the
read starts its child (inbox3 item 5).  A fork copies the lock held, and logging's own fork handler waits for its
lock before forking: the read waited for that thread (or its child hung until file_seconds, file.timeout).  With
other threads running, the child is started without fork's hazards (a fork server's clean process)."""

from __future__ import annotations

import logging
import threading

import pytest

import xlgoals
from xlgoals import validate, validate_file

from .conftest import EXAMPLE_XLSX

HOLD_SECONDS = 60  # far longer than a read: the read returning while it is held shows it never waited for it


class _Holder:
    """A thread holding `lock` from the start of the `with` block until it ends (or HOLD_SECONDS)."""

    def __init__(self, lock):
        self.lock, self.taken, self.done = lock, threading.Event(), threading.Event()
        self.held_at_end = None

    def _run(self):
        with self.lock:
            self.taken.set()
            self.done.wait(HOLD_SECONDS)
            self.held_at_end = self.done.is_set()  # still held when the caller's read returned

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        assert self.taken.wait(10)
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.thread.join(HOLD_SECONDS + 5)


@pytest.mark.parametrize("call", ["read", "validate_file", "validate"])
def test_a_read_while_another_thread_holds_the_logging_lock(call):
    with _Holder(logging._lock) as holder:  # a logging handler busy in another thread
        if call == "read":
            result = xlgoals.read(EXAMPLE_XLSX[0])
            codes = [p.code for p in result.problems]
            assert result.document is not None
        elif call == "validate_file":
            codes = [p.code for p in validate_file(EXAMPLE_XLSX[0]).problems]
        else:
            report = validate(EXAMPLE_XLSX[:2], jobs=2)
            assert len(report.files) == 2
            codes = [p.code for f in report.files for p in f.problems]
        holder.done.set()
    assert holder.held_at_end is True  # the read did not wait for the lock
    assert not {"file.timeout", "file.crashed"} & set(codes), codes


def test_a_lock_the_child_needs_held_by_another_thread_does_not_hang_it():
    """A lock the child takes (here logging's, as a warning logged while reading would) held in the parent by another
    thread at the fork: a forked child holds a copy that nobody ever releases."""
    import functools

    from xlgoals._parallel import bounded

    with _Holder(logging._lock) as holder:
        got = bounded(functools.partial(_logs_then_returns), "x", {"file_seconds": 30, "worker_memory_mb": None})
        holder.done.set()
    assert got == "x logged" and holder.held_at_end is True


def _logs_then_returns(item):
    with logging._lock:  # what logging.getLogger() takes
        return f"{item} logged"


def test_an_unguarded_script_with_a_thread_reads_a_good_file(tmp_path):
    """A plain script file without ``if __name__ == "__main__"`` that starts a thread: a fork server's child would
    run the whole script again as __mp_main__ (a RuntimeError in the child, the good file "crashed")."""
    import os
    import subprocess
    import sys

    script = tmp_path / "check_inbox.py"
    script.write_text(
        "import threading, time\n"
        "import xlgoals\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait, args=(30,), daemon=True).start()\n"
        f"report = xlgoals.validate([{str(EXAMPLE_XLSX[0])!r}])\n"
        "print('CODES', sorted({p.code for f in report.files for p in f.problems}))\n"
        "stop.set()\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env,
                          cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("CODES"))
    assert "file.crashed" not in line and "file.timeout" not in line, line


def test_no_fork_server_in_an_embedded_host_falls_back_to_fork():
    """An embedded host (uWSGI, mod_wsgi) whose sys.executable cannot run a fork server: the map is forked instead
    of raising ConnectionRefusedError out of Process.start."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, threading\n"
        "import xlgoals\n"
        "stop = threading.Event()\n"
        "threading.Thread(target=stop.wait, args=(30,), daemon=True).start()\n"
        "sys.executable = '/bin/false'\n"
        f"report = xlgoals.validate({[str(p) for p in EXAMPLE_XLSX[:2]]!r}, jobs=2)\n"
        "print('FILES', len(report.files))\n"
        "print('CODES', sorted({p.code for f in report.files for p in f.problems}))\n"
        "stop.set()\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    assert "FILES 2" in done.stdout, done.stdout
    line = next(x for x in done.stdout.splitlines() if x.startswith("CODES"))
    assert "file.crashed" not in line and "file.timeout" not in line, line


def _hashing_in_worker(_item):
    from xlgoals._read._safety import _SHA256

    return f"{_SHA256[0].__module__}.{_SHA256[0].__name__}"


def test_a_fork_server_worker_hashes_as_its_parent_chose(monkeypatch):
    """batch_hashing() picks OpenSSL's SHA-256 in the parent before a batch's workers start: forked workers inherit
    it, a fork server's did not (five times slower hashing of every file)."""
    from xlgoals._parallel import _threaded, pmap
    from xlgoals._read import _safety

    monkeypatch.setattr(_safety, "_SHA256", [_safety.builtin_sha256])  # restored after: the parent's choice
    _safety.batch_hashing()
    chosen = _hashing_in_worker(None)
    assert chosen != f"{_safety.builtin_sha256.__module__}.{_safety.builtin_sha256.__name__}"
    with _Holder(threading.Lock()) as holder:
        assert _threaded()  # the fork server's path
        got = list(pmap(_hashing_in_worker, [1, 2], jobs=2))
        holder.done.set()
    assert got == [chosen, chosen]
