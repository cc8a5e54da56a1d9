"""The info sheet's page plan (the break before the signature block) is laid out from the rows' heights as the
workbook holds them: xlsxwriter writes a height in whole pixels, and Excel and LibreOffice lay out those."""

from __future__ import annotations

import pytest

from xlgoals._form import FORMS
from xlgoals._write._workbook import _as_written, _keep_areas_with_their_fields


class _Sheet:
    """What the planner calls on a worksheet: it records the page breaks."""

    def __init__(self):
        self.breaks = None

    def set_h_pagebreaks(self, breaks):
        self.breaks = list(breaks)


def _breaks(form, heights, growing=frozenset()):
    sheet = form.info
    ws = _Sheet()
    _keep_areas_with_their_fields(ws, form, heights, sheet.print, [sheet.label_width, *sheet.value_widths], growing)
    return ws.breaks


@pytest.mark.parametrize("form_id", sorted(FORMS))
def test_the_plan_is_the_same_for_heights_as_asked_and_as_written(form_id):
    """Every row of the same asked height, over a range of heights in steps of 0.05 point: where the heights as
    asked and as written (up to 0.375 point a row apart) fall on either side of a page's foot, the plan for the
    asked ones was the plan of a sheet nobody prints."""
    form = FORMS[form_id]
    assert any(area.keep_with for area in form.info.areas)  # a signature block kept with its fields
    rows = range(form.info.title_row, form.info.end_row)
    differ = []
    for step in range(300, 1600):
        h = step / 20
        asked = dict.fromkeys(rows, h)
        if _breaks(form, asked) != _breaks(form, _as_written(asked)):
            differ.append(h)
    assert differ == []


def test_heights_written_in_whole_pixels():
    assert _as_written({0: 37, 1: 32, 2: 15}) == {0: 36.75, 1: 32.25, 2: 15.0}
