"""testtime3: a goal table's fraction target on a limit (≤/<, in %) is not asked about as a percent slip on the slow
reading path too.  The generated row reader (_rowcode) keeps such a row from the question itself, so a plain row
never reaches _interpret's own condition ("not on ≤/<"); a hidden row (as any row with a screened cell, a percent
shown or format text) is read by _interpret, where only that condition keeps 差错率 ≤0.5 (%) from being asked
“是否应为 50？”.  A row to reach (≥0.9) on the same path is asked, as on the fast one: the path is the one tested."""

import pytest

from xlgoals import read, validate_file

from .helpers import edited_return, row_cell

ROW = 7  # a qualitative row of the example goal table, made a limit in % (a department's 差错率)


@pytest.mark.parametrize("comp, typed, read_as, asked", [("≤", "0.5", "<=", False), ("<", "0.3", "<", False),
                                                         ("≥", "0.9", ">=", True)])
@pytest.mark.parametrize("hidden", [True, False], ids=["hidden-row", "plain-row"])
def test_a_fraction_target_on_a_limit_is_not_asked_about_on_either_reading_path(tmp_path, comp, typed, read_as,
                                                                                  asked, hidden):
    path = edited_return(tmp_path, "goal-table", {(ROW, "comparator"): comp, (ROW, "target"): typed,
                                                  (ROW, "unit"): "%"}, hide=ROW if hidden else None)
    ind = read(path).document["indicators"][ROW]
    assert (ind["comparator"], ind["value"], ind["unit"]) == (read_as, float(typed), "%"), ind
    found = [(p.code, p.cell, p.severity) for p in validate_file(path).problems
             if p.code.startswith("cell.percent_fraction") and p.path.startswith(f"/indicators/{ROW}/")]
    target = row_cell("goal-table", ROW, "target")[1]
    assert found == ([("cell.percent_fraction", target, "warning")] if asked else []), found
