"""mendJ: a department's corrected annotated copy is counted when named; totals say what they leave out; no temp
file of a dead run is left in an output folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._check._annotate import annotate

from .conftest import ROOT, cli

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def _codes(f):
    return sorted((p.code, p.cell) for p in f.problems)


def _annotated_copy(tmp_path) -> tuple[Path, list]:
    """The bureau's annotated copy of RECEIVED, and the problems validate found in RECEIVED."""
    report = validate([RECEIVED], jobs=1).files[0]
    copy = annotate(report, tmp_path / "退回")
    return copy, _codes(report)


def test_a_corrected_annotated_copy_named_directly_is_read_as_the_return_it_is(tmp_path):
    (tmp_path / "退回").mkdir()
    copy, expected = _annotated_copy(tmp_path)
    assert expected and all(c != "file.xlgoals_output" for c, _ in expected)
    # named as it came back: the department's return, with the bureau's comments and 问题清单 sheet passed over
    assert _codes(validate([copy], jobs=1).files[0]) == expected
    # and the bureau can mark it again: a new copy, with one 问题清单 (the old one replaced)
    again = cli("validate", copy, "--annotate", tmp_path / "再退回")
    assert again.exit_code == 1 and "无法生成标注副本" not in again.stderr, again.stderr
    (marked,) = (tmp_path / "再退回").iterdir()
    assert openpyxl.load_workbook(marked).sheetnames.count("问题清单") == 1
    assert _codes(validate([marked], jobs=1).files[0]) == expected
    # the department corrects it and sends it back under its own name, into the inbox
    wb = openpyxl.load_workbook(copy)
    wb["绩效指标"]["C16"].value = "数量"
    wb["项目信息"]["B10"].value = 200_000_000
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    back = inbox / "某局_某项目.xlsx"
    wb.save(back)
    named = validate([back], jobs=1)
    assert named.files[0].problems == [], _codes(named.files[0])
    result = cli("validate", back)
    assert result.exit_code == 0, result.output
    # consolidate FILE counts it
    summary = consolidate([back], tmp_path / "汇总.xlsx", jobs=1)
    assert [r.included for r in summary.records] == [True], [r.problems for r in summary.records]
    assert summary.records[0].values["total"] == 200_000_000
    # a folder scan reads it too, as edited since xlgoals wrote it (mendDH: its content digest no longer matches)
    scanned = consolidate([inbox], tmp_path / "汇总2.xlsx", jobs=1)
    assert [r.included for r in scanned.records] == [True] and not scanned.skipped
    report = validate([inbox], jobs=1)
    assert [f.path for f in report.files] == [str(back)] and not report.skipped_reasons
    # the original copy (folder 退回) is untouched by all this; a summary named directly stays refused
    assert [p.code for p in validate([tmp_path / "汇总.xlsx"], jobs=1).files[0].problems] == ["file.xlgoals_output"]
    only = consolidate([tmp_path / "汇总.xlsx"], tmp_path / "汇总3.xlsx", jobs=1)
    assert [r.included for r in only.records] == [False]



def _summary_note(path) -> str:
    ws = openpyxl.load_workbook(path)["汇总"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))


def test_a_counted_return_whose_amount_cannot_be_read_is_said_left_out_of_the_totals(tmp_path):
    """--include-invalid: a failing return counted with its 项目总预算 typed as '3000万元' (no amount read) was
    left out of 项目总预算合计 unsaid, the total then below 当年预算合计; its row's 说明 empty."""
    import json

    from .conftest import EXAMPLE_XLSX
    from .helpers import edited, info_cell

    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(EXAMPLE_XLSX[1], d)
    edited(EXAMPLE_XLSX[2], d / "坏.xlsx", {info_cell("/budget/total"): "3000万元"})
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, include_invalid=True, json_path=tmp_path / "s.json",
                         csv_dir=tmp_path / "csv")
    assert result.totals["amounts_missing"] == {"total": 1}
    line = result.describe()
    assert "项目总预算合计" in line and "1 个计入的项目未能读出该金额，未加入合计" in line, line
    assert "1 counted project's amount could not be read" in result.describe("en")
    assert "1 个计入的项目未能读出项目总预算，未加入合计" in _summary_note(tmp_path / "s.xlsx")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["summary"]["totals_missing"] == {"项目总预算（元）": 1}, data["summary"]
    cols, rows = data["projects"]["columns"], data["projects"]["rows"]
    notes = {r[cols.index("项目名称")]: r[cols.index("说明")] for r in rows}
    bad = next(n for n in notes if notes[n])
    assert notes[bad] == "项目总预算未能读出，未计入合计" and sum(map(bool, notes.values())) == 1, notes
    with open(tmp_path / "csv" / "项目清单.csv", encoding="utf-8-sig") as fh:
        assert "项目总预算未能读出，未计入合计" in fh.read()
    # nothing missing: nothing said, the outputs as before
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(EXAMPLE_XLSX[1], good)
    fine = consolidate([good], tmp_path / "g.xlsx", jobs=1, include_invalid=True, json_path=tmp_path / "g.json")
    assert "amounts_missing" not in fine.totals and "未能读出" not in fine.describe()
    assert "totals_missing" not in (tmp_path / "g.json").read_text(encoding="utf-8")


def _dead_pid() -> int:
    import subprocess
    import sys

    p = subprocess.Popen([sys.executable, "-c", ""])
    p.wait()
    return p.pid


def test_a_later_run_removes_the_temp_files_a_dead_run_left_in_the_folders_it_writes(tmp_path):
    """A run interrupted at the wrong moment (or killed) can leave a hidden .xlgoals-<pid>-….part in --annotate's
    folder or beside -o's report: the next run removes those of processes that are gone, and no other file."""
    ann, reports = tmp_path / "退回", tmp_path / "报告"
    ann.mkdir()
    reports.mkdir()
    from xlgoals._atomic import host_tag

    dead, host = _dead_pid(), host_tag()  # (this machine's: another's, or an untagged name, is left: test_mendP)
    stale = [ann / f".xlgoals-{dead}-{host}-x1y2.part", reports / f".xlgoals-{dead}-{host}-z3.part"]
    alive = ann / f".xlgoals-{os.getpid()}-{host}-mine.part"  # a live process's (this one's): being written, left alone
    other = ann / ".xlgoals-notes.part"
    for p in (*stale, alive, other):
        p.write_bytes(b"half")
    result = cli("validate", RECEIVED, "--annotate", ann, "-o", reports / "r.json")
    assert result.exit_code == 1, result.output
    assert not any(p.exists() for p in stale), sorted(os.listdir(ann)) + sorted(os.listdir(reports))
    assert alive.exists() and other.exists()
    assert sorted(p.name for p in ann.iterdir() if not p.name.startswith(".")) == ["某局_某项目_问题标注.xlsx"]


def test_ctrl_c_between_writing_and_renaming_leaves_no_temporary_file(tmp_path, monkeypatch):
    """The window the race found: the copy written whole to its .part, Ctrl-C before the rename; the .part was left."""
    import pytest

    from xlgoals import _atomic

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(_atomic.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _atomic.write_bytes(tmp_path / "out.xlsx", b"whole")
    assert os.listdir(tmp_path) == []
