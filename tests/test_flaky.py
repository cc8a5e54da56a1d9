"""A reader that runs out of memory is no verdict on the file.

test_client_formats' folder test once saw its WPS模板.ett (a copy of an Excel 97 fixture) come out file.not_workbook
("WPS 表格格式，请在 WPS 中另存为 .xlsx") beside certain other test files, and nowhere else.  Every other file of that
folder read as before: that is the mark of an exception inside the .xls screen (olefile, compound_streams), which
Grid._xls_sheet took for "a damaged or ambiguous compound file" and, under an .et/.ett name, for WPS's own format.  A
MemoryError there (the worker is held to schema/limits.json's worker_memory_mb) told the department to save in WPS
a file that was fine; calamine's MemoryError said file.corrupt of an .xlsx.  Now a MemoryError is the worker's:
file.crashed, "内存超过上限" (memory limit exceeded), as pmap reports a worker killed by the limit.
"""

from pathlib import Path

import pytest

from xlgoals import read

from .conftest import EXAMPLE_XLSX

XLS = Path(__file__).parent / "fixtures" / "goal-table-lo.xls"


def _raise_memory(*args, **kwargs):
    raise MemoryError


def _memory_crash(problems):
    assert [p.code for p in problems] == ["file.crashed"], problems
    assert "内存超过上限" in problems[0].message and "memory limit exceeded" in problems[0].message_en, problems[0]


@pytest.mark.parametrize("suffix", [".ett", ".xls"])
def test_memory_running_out_in_the_xls_screen_is_not_a_wps_or_damaged_file(tmp_path, monkeypatch, suffix):
    import olefile

    path = tmp_path / f"申报{suffix}"
    path.write_bytes(XLS.read_bytes())
    assert not {p.code for p in read(path).problems} & {"file.not_workbook", "file.corrupt", "file.crashed"}
    monkeypatch.setattr(olefile, "OleFileIO", _raise_memory)  # (the reader's child is forked: it carries over)
    _memory_crash(read(path).problems)


@pytest.mark.parametrize("stage", ["open", "sheet"])
def test_memory_running_out_in_calamine_is_not_a_damaged_file(tmp_path, monkeypatch, stage):
    import python_calamine

    ett, xlsx = tmp_path / "申报.ett", tmp_path / "申报.xlsx"
    ett.write_bytes(XLS.read_bytes())
    xlsx.write_bytes(EXAMPLE_XLSX[0].read_bytes())
    if stage == "open":
        monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike", _raise_memory)
    else:
        monkeypatch.setattr(python_calamine.CalamineWorkbook, "get_sheet_by_name", _raise_memory)
    for path in (ett, xlsx):
        _memory_crash(read(path).problems)


def test_a_reader_module_that_will_not_import_is_not_the_file_s_fault(tmp_path, monkeypatch):
    """olefile (the .xls screen's compound-file reader, imported when the first .xls is read) missing from an install,
    or failing to import: every .xls was said damaged and every .et/.ett "WPS format, save as .xlsx", the departments
    told to send again what was fine.  It is the installation's failure: validate and read say file.reader_failed
    naming the module and how to repair the installation (mendEG: file.crashed told the department the file was
    damaged and to save it again)."""
    import sys

    from xlgoals import validate

    path = tmp_path / "申报.ett"
    path.write_bytes(XLS.read_bytes())
    monkeypatch.setitem(sys.modules, "olefile", None)  # import olefile raises ModuleNotFoundError
    (report,) = validate([path]).files
    assert [p.code for p in report.problems] == ["file.reader_failed"], report.problems
    assert "olefile" in report.problems[0].message_en, report.problems[0]
    assert [(p.code, p.message) for p in read(path).problems] == [(p.code, p.message) for p in report.problems]


def test_the_suite_keeps_its_disk_cache_to_itself():
    """The tests read and wrote the developer's ~/.cache/xlgoals, shared with every other checkout's runs (and pruned
    by them): the session has a folder of its own (conftest), which every worker and every command it runs uses."""
    import os
    import subprocess
    import sys
    import tempfile

    from xlgoals import _diskcache

    folder = Path(_diskcache.folder())
    assert not folder.is_relative_to(Path.home() / ".cache"), folder
    assert folder.parent.name.startswith("xlgoals-cache-") and folder.parent.parent == Path(tempfile.gettempdir()), folder
    child = subprocess.run([sys.executable, "-c", "from xlgoals import _diskcache; print(_diskcache.folder())"],
                           capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(
                               Path(__file__).resolve().parents[1])})
    assert child.stdout.strip() == str(folder)
