"""mendBU: what departments paste and type, read as they meant it (red team 25j): a 合计 row, a Word-table paste
splitting one indicator over two rows, a field hidden under a merge, a target's trailing punctuation, approximate
targets (85左右, 1000元整), and 其它/其他 and trailing punctuation in a dropdown's choice."""

import pytest

from xlgoals import validate_file
from xlgoals._form._kinds import split_target

from .helpers import edited_return, row_cell


def _at(problems, sheet_cell):
    return [p for p in problems if (p.sheet, p.cell) == sheet_cell]


# 4. a target's trailing punctuation (a sentence pasted from Word) -----------------------------------------------
@pytest.mark.parametrize("typed, want", [
    ("90%。", ("number", None, 90, "%")), ("≥85%；", ("number", ">=", 85, "%")), ("85.", ("number", None, 85, None)),
    ("90％。", ("number", None, 90, "%")), ("1000人次，", ("number", None, 1000, "人次")), ("≥85%;", ("number", ">=", 85, "%")),
    ("85%以上。", ("number", ">=", 85, "%")), ("90%（抽查）。", ("number", None, 90, "%")), ("8.5.", ("number", None, 8.5, None)),
])
def test_trailing_punctuation_after_a_target_is_dropped(typed, want):
    assert split_target(typed) == want


@pytest.mark.parametrize("typed", ["。", "85。。5", "≥。", "85%。90%", "约85%。"])
def test_punctuation_makes_no_target_of_what_is_none(typed):
    """Only a number target read whole once its trailing punctuation goes: anything else is read as before."""
    try:
        got = split_target(typed)
    except Exception as e:  # noqa: BLE001 (Unreadable, as before)
        got = type(e).__name__
    assert got in ("Unreadable", ("text", typed))


def test_targets_pasted_as_sentences_read_in_a_return(tmp_path):
    typed = {9: "90%。", 10: "≥85%；", 20: "85.", 21: "90％。"}
    path = edited_return(tmp_path, "goal-table", {(i, "target"): v for i, v in typed.items()})
    problems = validate_file(path).problems
    for i in typed:
        assert not [p.code for p in _at(problems, row_cell("goal-table", i, "target")) if p.severity == "error"], i
    from xlgoals import read
    inds = read(path).document["indicators"]
    assert [(inds[i]["value"], inds[i]["unit"]) for i in typed] == [(90, "%"), (85, "%"), (85, "%"), (90, "%")]


def test_a_remark_before_trailing_punctuation_is_still_said():
    from xlgoals._form._kinds import target_remarks

    assert target_remarks("90%（抽查）。") == ["抽查"]
    assert target_remarks("90%。") == []
