"""The LibreOffice test server leaves no thread running in the pytest worker.

A running thread makes xlgoals start its bounded children (a read's, validate's workers) from a fork server, as in a
threaded host (xlgoals._parallel), and a fork server's process does not see what a test monkeypatched: tests that
followed a LibreOffice test in the same worker (test_hostile_batch, test_lang_bureau_files, test_mendP …) then failed
("a pool was started", the patched reader not raised)."""

import threading

from xlgoals import FORMS, read

from .conftest import EXAMPLE_XLSX


def test_a_libreoffice_job_leaves_no_thread_behind(tmp_path, lo_edit):
    form = FORMS["goal-table"]
    edits = [{"sheet": form.info.name, "unprotect": True}, {"sheet": form.info.name, "cell": "H30", "input": "备注"}]
    out = lo_edit(EXAMPLE_XLSX[0], tmp_path / "typed.xlsx", edits)
    assert read(out).document is not None
    assert [t.name for t in threading.enumerate() if t is not threading.main_thread()] == []
