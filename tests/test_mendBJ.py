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


def test_ids_still_match_rows_unless_content_pairs_them_better_and_the_work_stays_bounded():
    """_aligned keeps matching by 指标编号 where content does no better (a row deleted keeping the ids, rows sorted:
    no renumbering said); prefers content only where it pairs the rows with fewer changes (deleted and renumbered);
    a hostile return of thousands of renumbered rows is compared within the alignment's cap, quickly."""
    import time

    from xlgoals._selfeval._targets import _aligned, renumbered

    want = [{"id": f"I{k + 1:03d}", "name": f"指标{k}", "value": k, "points": 1} for k in range(30)]
    kept_ids = want[:6] + want[7:]  # the 7th deleted, the ids kept
    aligned = _aligned(copy.deepcopy(kept_ids), want)
    assert aligned[1] == [(6, 6)] and renumbered(aligned) == [] and all(g is w or g == w for _, g, w in aligned[0])
    swapped = [want[1], want[0], *want[2:]]  # sorted: moved, by id
    assert _aligned(swapped, want)[3] == [0, 1] and renumbered(_aligned(swapped, want)) == []
    renum = [{**w, "id": f"I{k + 1:03d}"} for k, w in enumerate(kept_ids)]
    aligned = _aligned(renum, want)
    assert aligned[1] == [(6, 6)] and aligned[2] == [] and renumbered(aligned) == list(range(6, 29))
    assert all(g["name"] == w["name"] for _, g, w in aligned[0])
    typed_over = copy.deepcopy(want)  # one id typed over, as many rows: that id changed, no renumbering
    typed_over[3]["id"] = "I099"
    assert renumbered(_aligned(typed_over, want)) == []
    many = [{"id": f"I{k + 1:04d}", "name": f"指标{k}"} for k in range(3000)]
    big = [{**w, "id": f"I{k + 1:04d}"} for k, w in enumerate(many[:10] + many[11:])]
    start = time.perf_counter()
    pairs, missing, added, _ = _aligned(big, many)
    assert time.perf_counter() - start < 5 and len(pairs) + len(added) == len(big)
