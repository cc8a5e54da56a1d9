"""A bureau's own rules (red team (i), mendBO): where a rule runs, the thresholds a rules or review file can carry,
the count a min_count rule gives, fill's word on a framework not loaded, and turning a rule off."""

from __future__ import annotations

import json

import pytest

from xlgoals import validate_document

from .conftest import EXAMPLES, cli
from .helpers import bureau_rules, packaged_rule

NATIONAL = EXAMPLES / "national-2021"


def _goal_doc() -> dict:
    return json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))


def _row(code, kind, params, zh="本局：请填写“{field}”", en="Bureau: fill in '{field}'", severity="error"):
    return [code, severity, kind, params, "本局规则", "Bureau rule", "", zh, en]


# 4. min_count's {found}: the count there is

def test_min_count_gives_the_count_found(tmp_path):
    rules = bureau_rules(tmp_path / "r.csv", _row(
        "bureau.few_indicators", "min_count", '{"path": "/indicators", "min": 8}',
        "绩效指标只有 {found} 条，至少 {expected} 条", "Only {found} indicators; at least {expected}"))
    doc = _goal_doc()
    n = len(doc["indicators"])
    assert n < 8
    (p,) = [p for p in validate_document(doc, rules=rules) if p.code == "bureau.few_indicators"]
    assert p.message == f"绩效指标只有 {n} 条，至少 8 条", p.message
    assert p.message_en == f"Only {n} indicators; at least 8", p.message_en
    assert p.value == n


# 5. fill of a document whose framework is not loaded: the file, and --frameworks

def test_fill_names_the_file_and_frameworks_for_an_unknown_framework(tmp_path):
    doc = _goal_doc()
    doc["framework"] = "city-2026"
    src = tmp_path / "本局目标表.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = cli("fill", src, "-o", tmp_path / "out.xlsx")
    assert done.exit_code == 1, done.output
    assert "本局目标表.json" in done.output and "--frameworks" in done.output and "city-2026" in done.output, \
        done.output
    assert not (tmp_path / "out.xlsx").exists()
    en = cli("fill", src, "-o", tmp_path / "out.xlsx", "--lang", "en")
    assert "本局目标表.json" in en.output and "--frameworks" in en.output, en.output
