"""mendBL: number-format leftovers (session 25).

1. A number in a 定性 target (a paste bringing its format) under a format of two % signs (``0%%``: 5 prints as
   50000%%, each sign ×100) is read as the paper shows it, 50000%%, not 500% (one sign, scaled once); a quote of a
   number shown with a format's text keeps the section's % count too.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import fill, read

from .conftest import EXAMPLE_JSON, load
from .helpers import ind_cell

PERCENT, TEXT = 8, 7  # 定性 rows of the seed table (as test_formats_qualitative)


def _qualitative_targets(tmp_path, cells: dict):
    """The second example filled, its 定性 rows' targets given (value, number format) by row; their texts read."""
    src = fill(load(EXAMPLE_JSON[1]), tmp_path / "填好.xlsx")
    wb = openpyxl.load_workbook(src)
    for row, (value, fmt) in cells.items():
        sheet, ref = ind_cell(row, "target")
        wb[sheet][ref].value, wb[sheet][ref].number_format = value, fmt
    wb.save(tmp_path / "q.xlsx")
    items = read(tmp_path / "q.xlsx").document["indicators"]
    return [items[row].get("text") for row in cells]


@pytest.mark.parametrize("fmt, value, shown", [("0%%", 5, "50000%%"), ('"≥"0%%"天"', 5, "≥50000%%天"),
                                               ("0%", 0.85, "85%"), ("[<1]0%;0", 5, "5"),
                                               ("[<1]0%;0%%", 0.5, "50%"), ("[<1]0%;0%%", 5, "50000%%")])
def test_a_qualitative_target_under_percent_signs_reads_as_printed(tmp_path, fmt, value, shown):
    assert _qualitative_targets(tmp_path, {PERCENT: (value, fmt)}) == [shown]


def test_a_number_quoted_with_its_format_text_keeps_the_sections_percent_signs():
    """Where no format code is kept to print the number with (an .ods's number style), the quote is the percent read
    with as many % as the section shows; the comparator and unit are read as one % (the second only scales)."""
    from xlgoals._read._interpret import _shown_read

    assert _shown_read(("≥", "", False), 50000, 2) == ("≥50000%%", ">=", "%")
    assert _shown_read(("≥", "", False), 85, 1) == ("≥85%", ">=", "%")
    assert _shown_read(("≥", "人", False), 3, 0) == ("≥3人", ">=", "人")
