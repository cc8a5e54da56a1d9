"""Session 24's red-team findings on the bureau's mid-year (监控) and year-end (自评) rounds (helper mendBA)."""

import copy
import json

import pytest

from xlgoals import Config, fill, validate

from .conftest import EXAMPLES, load

CFG = Config.load()


# f01: one approved row copied (protection off) is one row added, the rows below it still line up ------------------
@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
@pytest.mark.parametrize("how", ["same_id", "next_id"])
def test_a_copied_row_is_one_row_added_and_the_rest_still_line_up(tmp_path, folder, how):
    """A department splits an approved indicator by copying its row (protection off) and typing “（线上）” after the
    name, keeping the 指标编号 (I002 twice) or typing the next one: 30 self.target_changed quoting other rows'
    values (“第3条指标的年度指标值 …应为≥90%”), and in a monitoring report progress checked against the wrong rows
    (monitor.not_number, percent range), instead of one row added."""
    doc = load(EXAMPLES / folder / "02_促进就业专项资金.json")
    row = copy.deepcopy(doc["indicators"][1])
    row["name"] += "（线上）"
    if how == "next_id":
        row["id"] = f"I{len(doc['indicators']) + 1:03d}"
    doc["indicators"].insert(2, row)
    path = tmp_path / "copied.xlsx"
    fill(doc, path, config=CFG, force=True)
    (f,) = validate([path], targets=[EXAMPLES / "json"], config=CFG).files
    prefix = "self" if folder == "self-evaluation" else "monitor"
    errors = [p for p in f.problems if p.severity == "error" and not p.code == "self.points_total"]
    assert [(p.code, p.cell) for p in errors] == [(f"{prefix}.target_row_extra", "E6")], \
        [(p.code, p.cell, p.message) for p in f.problems]
    assert "（线上）" in errors[0].message and "请删除该行" in errors[0].message
    # the rows below it are compared with their own: none is said changed, and nothing is checked against another's
    assert not [p for p in f.problems if p.code.endswith((".target_changed", ".not_number", "_range"))]
