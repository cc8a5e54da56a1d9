"""Session 24: rows deleted or inserted and the rest renumbered, held to the goal table (helper mendBJ)."""

import copy
import json

import pytest

from xlgoals import Config, fill

from .conftest import EXAMPLES, cli, load

CFG = Config.load()


def _validated(path):
    r = cli("validate", path, "--targets", EXAMPLES / "json", "--format", "json")
    (f,) = json.loads(r.output)["files"]
    return f["problems"]


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
@pytest.mark.parametrize("how", ["deleted", "inserted"])
def test_a_row_deleted_or_inserted_and_the_rest_renumbered_is_one_row_and_one_renumbering(tmp_path, folder, how):
    """A department deletes the 6th approved row (protection off), or inserts a row of its own there, and renumbers
    the rest I001, I002, … (all valid ids, one fewer or one more than approved): the ids matched every row below the
    deletion with the next approved one, 20-odd target_changed quoting other rows' values and the last row said
    deleted (an inserted row: each row below it said to have a changed 指标编号).  The rows are matched by content
    then: one target_row_missing (target_row_extra) where the row stood, and the renumbering said once."""
    doc = load(EXAMPLES / folder / "02_促进就业专项资金.json")
    rows = doc["indicators"]
    gone = copy.deepcopy(rows[5])
    if how == "deleted":
        del rows[5]
    else:
        new = copy.deepcopy(rows[5])
        new.update(name="自行增加的指标", comparator="qualitative", text="按期完成")
        if "points" in new:
            new["points"] = 1
        for key in ("value", "unit", "actual", "progress", "expected"):
            new.pop(key, None)
        rows.insert(5, new)
    for k, row in enumerate(rows):
        row["id"] = f"I{k + 1:03d}"
    path = tmp_path / "renumbered.xlsx"
    fill(doc, path, config=CFG, force=True)
    problems = _validated(path)
    prefix = "self" if folder == "self-evaluation" else "monitor"
    said = [(p["code"], p["cell"]) for p in problems]
    errors = [(p["code"], p["cell"]) for p in problems if p["severity"] == "error" and p["code"] != "self.points_total"]
    # the 6th row of the table (its first row is 5): where the row stood, or the row inserted
    if how == "deleted":
        assert errors == [(f"{prefix}.target_row_missing", "B9")], said
        (missing,) = [p for p in problems if p["code"] == f"{prefix}.target_row_missing"]
        assert gone["name"] in missing["message"], missing["message"]
    else:
        assert errors == [(f"{prefix}.target_row_extra", "E9")], said
    assert not [p for p in problems if p["code"].endswith((".target_changed", ".not_number", "_range"))], said
    (renumbered,) = [p for p in problems if p["code"] == f"{prefix}.target_ids_renumbered"]
    assert renumbered["severity"] == "warning" and renumbered["cell"] == ("B9" if how == "deleted" else "B10"), renumbered
    assert "重新编号" in renumbered["message"] and "renumbered" in renumbered["message_en"], renumbered
