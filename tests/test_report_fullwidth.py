"""validate's report named with a full-width extension (-o 校验结果．json, 结果.ｃｓｖ): refused before anything is read,
naming the half-width name, as consolidate --json and read -o are (test_consolidate_outputs.py, 5.).  It was
written under the full-width name, which a script globbing *.json does not find."""

from __future__ import annotations

import pytest

from .conftest import EXAMPLE_XLSX, cli
from .helpers import files_under


@pytest.mark.parametrize("name, args, plain", [
    ("v．json", (), "v.json"), ("v.ＪＳＯＮ", (), "v.json"), ("v．json", ("--format", "json"), "v.json"),
    ("v.ｃｓｖ", (), "v.csv"), ("v．csv", ("--format", "csv"), "v.csv")])
def test_a_report_named_full_width_is_refused(tmp_path, name, args, plain):
    result = cli("validate", EXAMPLE_XLSX[0], *args, "-o", tmp_path / name)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：") and plain in result.stderr and "全角" in result.stderr, result.stderr
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("name", ["v.json", "v.JSON", "校验结果．txt", "v.csv"])
def test_a_report_named_half_width_is_written(tmp_path, name):
    result = cli("validate", EXAMPLE_XLSX[0], "-o", tmp_path / name)
    assert result.exit_code == 0, result.output
    assert files_under(tmp_path) == [name]
