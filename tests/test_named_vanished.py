"""Files named on the command line that change between the run's listing and their read (inbox3 item 1)."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from .conftest import EXAMPLE_XLSX, cli

VANISHED_ZH = "运行开始时已列出"


def _after_the_scan(monkeypatch, module, change):
    """The run's scan as it is, then `change()` (a clerk moving a named return away while the run reads it)."""
    from xlgoals import _paths

    def scan(*args, **kwargs):
        found = _paths.scan(*args, **kwargs)
        change()
        return found

    monkeypatch.setattr(module, "scan", scan)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_named_return_removed_mid_run_is_said_to_have_disappeared(tmp_path, monkeypatch, fmt):
    """`xlgoals validate a.xlsx b.xlsx`: a named file that existed when the run started and was gone when read said
    文件不存在 (a typo, to a clerk); it says file.vanished, located on that file, as a folder's file does.  A name that
    never existed still says file.missing."""
    from xlgoals._check import _validate

    a, b = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    shutil.copy(EXAMPLE_XLSX[0], b)
    never = tmp_path / "没有这个.xlsx"
    dangling = tmp_path / "链接.xlsx"  # a link to nothing: no file was there when the run started either
    dangling.symlink_to(tmp_path / "不在.xlsx")
    _after_the_scan(monkeypatch, _validate, lambda: os.remove(a))
    result = cli("validate", a, b, never, dangling, "--format", fmt, "--jobs", "1")
    assert result.exit_code == 2, result.output  # a path named that does not exist: 2, the others checked (mendBS)
    if fmt == "json":
        by_path = {f["path"]: [p["code"] for p in f["problems"]] for f in json.loads(result.stdout)["files"]}
        assert by_path[str(a)] == ["file.vanished"], by_path
        assert by_path[str(never)] == ["file.missing"], by_path
        assert by_path[str(dangling)] != ["file.vanished"], by_path
        assert "file.vanished" not in by_path[str(b)] and "file.missing" not in by_path[str(b)], by_path
    else:
        rows = [line for line in result.stdout.splitlines() if str(a) in line]
        assert len(rows) == 1 and "file.vanished" in rows[0] and VANISHED_ZH in rows[0], rows


def test_a_named_return_replaced_by_a_folder_or_new_content_is_said_as_it_is_now(tmp_path, monkeypatch):
    """Replaced by a folder: said as a folder (not vanished, not missing); replaced by other content: that content read."""
    from xlgoals._check import _validate

    a, b = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    shutil.copy(EXAMPLE_XLSX[0], b)

    def change():
        os.remove(a)
        os.mkdir(a)
        b.write_text("不是工作簿", encoding="utf-8")

    _after_the_scan(monkeypatch, _validate, change)
    data = json.loads(cli("validate", a, b, "--format", "json", "--jobs", "1").stdout)
    by_path = {f["path"]: [p["code"] for p in f["problems"]] for f in data["files"]}
    assert by_path[str(a)] and not {"file.vanished", "file.missing"} & set(by_path[str(a)]), by_path
    assert by_path[str(b)] and not {"file.vanished", "file.missing"} & set(by_path[str(b)]), by_path


def test_a_named_return_removed_while_consolidate_reads_it_is_said_to_have_disappeared(tmp_path, monkeypatch):
    from xlgoals._consolidate import _collect

    a, b = tmp_path / "甲.xlsx", tmp_path / "乙.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    shutil.copy(EXAMPLE_XLSX[1], b)
    _after_the_scan(monkeypatch, _collect, lambda: os.remove(a))
    result = cli("consolidate", a, b, "-o", tmp_path / "汇总.xlsx", "--json", tmp_path / "汇总.json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    rows = [row for row in data["validation"]["rows"] if str(a) in row]
    assert len(rows) == 1 and any(VANISHED_ZH in str(c) for c in rows[0]), rows
    assert not any("文件不存在" in str(c) for c in rows[0]), rows


def test_the_library_says_the_same(tmp_path, monkeypatch):
    from xlgoals import validate
    from xlgoals._check import _validate

    a = tmp_path / "甲.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    _after_the_scan(monkeypatch, _validate, lambda: os.remove(a))
    report = validate([a], jobs=1)
    assert [p.code for p in report.files[0].problems] == ["file.vanished"]
    assert report.files[0].problems[0].file == str(a)
