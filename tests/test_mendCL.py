"""mendCL (session 27): readings and counts that told a clerk the wrong thing: a goal table refused said as one
not found, amounts below one 元 in a JSON document not warned, an output that cannot be written counted as a row
in error, and a blank indicator category said alone."""

import errno
import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, cli
from .helpers import files_under

PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


def _second_write_fails(monkeypatch):
    """The disk full at the second workbook written (the first and the others written)."""
    import xlgoals._atomic as atomic

    real, calls = atomic.temp_beside, []

    def full(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)
    return calls


# 3. an output that cannot be written is no row in error --------------------------------------------------------
def test_a_prefilled_template_that_cannot_be_written_is_counted_as_such(tmp_path, monkeypatch):
    calls = _second_write_fails(monkeypatch)
    out = tmp_path / "模板"
    zh = cli("template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", out)
    assert zh.exit_code == 2, zh.output
    written = files_under(out)
    assert len(written) == 4, written
    last = zh.stderr.strip().splitlines()[-1]
    assert last.startswith("共生成 4 个模板，0 行出错；1 个模板未能写入（") and last.endswith("，原因见上）。"), last
    assert str(out) in last and "磁盘空间不足" in zh.stderr
    calls.clear()
    en = cli("template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", tmp_path / "en", "--lang", "en")
    last = en.stderr.strip().splitlines()[-1]
    assert last.startswith("4 templates written, 0 rows failed; 1 template could not be written ("), last
    assert last.endswith("; the reason above)."), last


def test_a_self_evaluation_that_cannot_be_written_is_no_goal_table_in_error(tmp_path, monkeypatch):
    _second_write_fails(monkeypatch)
    out = tmp_path / "自评"
    zh = cli("template", "--form", "self-evaluation", "--targets", EXAMPLES / "json", "--out-dir", out)
    assert zh.exit_code == 2, zh.output
    last = zh.stderr.strip().splitlines()[-1]
    assert last.startswith("共生成 4 个自评表，0 个绩效目标表出错；1 个自评表未能写入（"), last
    assert len(files_under(out)) == 4
