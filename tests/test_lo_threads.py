"""The LibreOffice test server leaves no thread running in the pytest worker.

A running thread makes xlgoals start its bounded children (a read's, validate's workers) from a fork server, as in a
threaded host (xlgoals._parallel), and a fork server's process does not see what a test monkeypatched: tests that
followed a LibreOffice test in the same worker (test_hostile_batch, test_lang_bureau_files, test_mendP …) then failed
("a pool was started", the patched reader not raised)."""

import threading

import pytest

from xlgoals import FORMS, read

from .conftest import EXAMPLE_XLSX


def test_a_libreoffice_job_leaves_no_thread_behind(tmp_path, lo_edit):
    form = FORMS["goal-table"]
    edits = [{"sheet": form.info.name, "unprotect": True}, {"sheet": form.info.name, "cell": "H30", "input": "备注"}]
    out = lo_edit(EXAMPLE_XLSX[0], tmp_path / "typed.xlsx", edits)
    assert read(out).document is not None
    assert [t.name for t in threading.enumerate() if t is not threading.main_thread()] == []


def test_a_server_ending_under_a_job_is_started_again_and_the_job_run_once_more(tmp_path, monkeypatch):
    """A server whose process ends under a job (LibreOffice taking the UNO bridge's process down with it: seen once
    in CI, "lo_server.py ended:" with nothing said) is started again and the job run once more, said as a retry; a
    server that ends under the job again gives the job's failure (-1)."""
    from . import conftest

    fake = tmp_path / "fake_server.py"
    fake.write_text(
        "import json, os, sys\n"
        "for line in sys.stdin:\n"
        "    job = json.loads(line)['job']\n"
        "    if not os.path.exists(job + '.seen'):\n"
        "        open(job + '.seen', 'w').close()\n"
        "        os._exit(9)\n"
        "    print(json.dumps({'ok': True, 'retries': []}), flush=True)\n", encoding="utf-8")
    monkeypatch.setattr(conftest, "LO_SERVER", fake)
    monkeypatch.setenv(conftest.LO_DIR_ENV, str(tmp_path))
    server = conftest._LoServer()
    try:
        with pytest.warns(UserWarning, match=r"xlgoals-lo-retry: lo_server.py ended \(exit code 9\)"):
            done = server.call("print", tmp_path / "job.json", timeout=60)
        assert done.returncode == 0
        always = tmp_path / "fake_always.py"
        always.write_text("import os, sys\nsys.stdin.readline()\nos._exit(9)\n", encoding="utf-8")
        monkeypatch.setattr(conftest, "LO_SERVER", always)
        server.stop(kill=True)
        with pytest.warns(UserWarning, match="run once more"):
            done = server.call("print", tmp_path / "job2.json", timeout=60)
        assert done.returncode == -1 and "lo_server.py ended (exit code 9)" in done.stderr
    finally:
        server.stop(kill=True)
    assert [t.name for t in threading.enumerate() if t is not threading.main_thread()] == []
