"""mendP: a named annotated copy is read again in a bounded child; a dead run's temp files are removed only where that
is safe (this machine's, never on Windows); the self-evaluation and monitoring totals say the amounts they leave out."""

from __future__ import annotations

import errno
import os
import shutil

import pytest

from xlgoals import _atomic


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", ""])
    p.wait()
    return p.pid


def test_temp_names_carry_this_machines_tag_and_only_its_dead_runs_files_are_removed(tmp_path, monkeypatch):
    """A run on another machine writing to the same shared folder has its own process ids: one of its live temp
    files looked like a dead run's here and was removed under it.  Only this machine's are removed now; a name
    without a tag (an older xlgoals's, perhaps on another machine) is left."""
    monkeypatch.setattr(_atomic, "host_tag", lambda: "0badc0de")
    made = _atomic.temp_beside(tmp_path / "out.xlsx")
    assert made.name.startswith(f".xlgoals-{os.getpid()}-0badc0de-") and made.name.endswith(".part"), made.name
    made.unlink()
    dead = _dead_pid()
    here = tmp_path / f".xlgoals-{dead}-0badc0de-a1b2.part"
    here_stage = tmp_path / f".xlgoals-{dead}-0badc0de-x9-stage"
    there = tmp_path / f".xlgoals-{dead}-12345678-a1b2.part"
    untagged = tmp_path / f".xlgoals-{dead}-a1b2c3d4.part"
    for p in (here, there, untagged):
        p.write_bytes(b"half")
    here_stage.mkdir()
    _atomic.clean_leftovers(tmp_path)
    assert not here.exists() and not here_stage.exists()
    assert there.exists() and untagged.exists()


def test_on_windows_no_process_is_probed_and_nothing_is_removed(tmp_path, monkeypatch):
    """os.kill(pid, 0) on Windows sends CTRL_C_EVENT to the console's group (or raises an OSError): never called."""
    called = []
    monkeypatch.setattr(_atomic.os, "kill", lambda *a: called.append(a))
    dead = _dead_pid()
    with monkeypatch.context() as m:  # (undone before any assertion: pytest's own report reads os.name)
        m.setattr(_atomic.os, "name", "nt")
        alive = _atomic._alive(dead)
    assert alive is True and called == []


@pytest.mark.parametrize("err, alive", [(errno.ESRCH, False), (errno.EPERM, True), (errno.EINVAL, True)])
def test_only_no_such_process_says_a_run_is_gone(monkeypatch, err, alive):
    def kill(pid, sig):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(_atomic.os, "kill", kill)
    assert _atomic._alive(12345) is alive


def test_consolidate_lists_an_output_folder_once(tmp_path, monkeypatch):
    """consolidate cleaned its output folders itself, then temp_beside listed each again: once now."""
    from xlgoals import consolidate

    from .conftest import EXAMPLE_XLSX

    listed = []
    real = _atomic.left_by_dead_runs
    monkeypatch.setattr(_atomic, "left_by_dead_runs", lambda folder, pat: listed.append(os.path.abspath(folder))
                        or real(folder, pat))
    monkeypatch.setattr(_atomic, "_CLEANED", set())
    out = tmp_path / "out"
    consolidate([EXAMPLE_XLSX[1]], out / "s.xlsx", jobs=1, json_path=out / "s.json", csv_dir=tmp_path / "csv")
    mine = [f for f in listed if f.startswith(str(tmp_path))]  # (the temp folder's spools are looked at too)
    assert sorted(mine) == sorted({str(out), str(tmp_path / "csv")}), listed


def _hostile_annotated_read(monkeypatch, how: str):
    """The reader misbehaves on an annotated copy read as a return (as a hostile file could make it): raises or hangs."""
    import time

    import xlgoals._check._validate as mod
    from xlgoals._read._safety import reading_annotated_now

    real = mod.read

    def hostile_read(path, **kw):
        if reading_annotated_now():
            if how == "hang":
                time.sleep(4)
            else:
                raise RuntimeError("the reader broke")
        return real(path, **kw)

    monkeypatch.setattr(mod, "read", hostile_read)


@pytest.mark.parametrize("how, code", [("raise", "file.crashed"), ("hang", "file.timeout")])
def test_a_named_annotated_copy_is_read_again_in_a_bounded_child(tmp_path, monkeypatch, how, code):
    """Anyone can set xlgoals_output=annotated in a file's properties: named, it was read a second time in the main
    process, outside the time and memory limits; a reader crash there was a traceback that ended the run."""
    from xlgoals import Config, consolidate, validate

    from .test_mendJ import _annotated_copy

    (tmp_path / "退回").mkdir()
    copy, _ = _annotated_copy(tmp_path)
    _hostile_annotated_read(monkeypatch, how)
    cfg = Config.load()
    monkeypatch.setitem(cfg.limits, "file_seconds", 1)
    (f,) = validate([copy], config=cfg, jobs=1).files
    assert [p.code for p in f.problems] == [code] and f.path == str(copy)
    if how == "raise":  # (consolidate: the same child, the file's one problem, not counted)
        summary = consolidate([copy], tmp_path / "s.xlsx", config=cfg, jobs=1)
        assert [(r.path, [p[1] for p in r.problems], r.included) for r in summary.records] == \
            [(str(copy), [code], False)]


def test_a_summary_named_directly_is_not_read_again(tmp_path, monkeypatch):
    """Only an annotated copy is read a second time (as validate's annotated_copy): a summary named stays refused,
    and no child reads it as a return."""
    from xlgoals import consolidate

    from .conftest import EXAMPLE_XLSX

    consolidate([EXAMPLE_XLSX[1]], tmp_path / "汇总.xlsx", jobs=1)
    _hostile_annotated_read(monkeypatch, "raise")
    only = consolidate([tmp_path / "汇总.xlsx"], tmp_path / "汇总2.xlsx", jobs=1)
    assert [[p[1] for p in r.problems] for r in only.records] == [["file.xlgoals_output"]]


def _summary_text(path) -> str:
    import openpyxl

    ws = openpyxl.load_workbook(path).worksheets[0]  # 汇总, 自评汇总, 监控汇总: the sheet printed and stamped
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


@pytest.mark.parametrize("form_id, path, zh, key", [
    ("self-evaluation", "/funds/full_year_budget", "全年预算数", "full_year_budget"),
    ("monitoring", "/funds/executed_to_date", "执行数", "executed_to_date")])
def test_a_counted_report_whose_amount_cannot_be_read_is_said_left_out_of_the_totals(tmp_path, form_id, path, zh,
                                                                                     key):
    """--include-invalid: only goal tables said an amount left out of their 合计; a self-evaluation whose 全年预算数
    (a monitoring report whose 执行数) is typed as text was added as 0, unsaid."""
    import openpyxl

    from xlgoals import consolidate

    from .helpers import EXAMPLE_FORMS, example_return

    d = tmp_path / "in"
    d.mkdir()
    field = EXAMPLE_FORMS[form_id].field(path)
    wb = openpyxl.load_workbook(example_return(form_id))
    wb[field.sheet][field.cell].value = "三百万元"
    wb.save(d / "坏.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert [r.included for r in result.records] == [True]
    assert result.totals["amounts_missing"] == {key: 1}
    note = _summary_text(tmp_path / "s.xlsx")
    assert f"1 个计入的项目未能读出{zh}，未加入合计。" in note and "项目清单" not in note, note  # (no such sheet here)
    line = result.describe()
    assert "1 个计入的项目未能读出该金额，未加入合计" in line, line
    # nothing missing: nothing said
    ok = tmp_path / "ok"
    ok.mkdir()
    shutil.copy(example_return(form_id), ok)
    fine = consolidate([ok], tmp_path / "g.xlsx", jobs=1, include_invalid=True)
    assert "amounts_missing" not in fine.totals and "未能读出" not in fine.describe()
    assert "未能读出" not in _summary_text(tmp_path / "g.xlsx")
