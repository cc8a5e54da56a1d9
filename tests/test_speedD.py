"""speedD (issue #10 point 4, #11 point 9): per-return work on what every return of a template shares, done once.

- A print area's text (``项目信息!$A$1:$B$24``: the same in every return of one template) is made out once in a
  process (``print_area_boxes``), not on each of the several questions of each return; a text longer than
  MAX_PRINT_AREA is still refused, never kept.
"""

from __future__ import annotations

from xlgoals._read import _grid


class _Counted:
    """A pattern whose sub() calls are counted (the first step of making out a print area's text)."""

    def __init__(self, real):
        self.real, self.calls = real, 0

    def sub(self, *args, **kwargs):
        self.calls += 1
        return self.real.sub(*args, **kwargs)


def test_a_print_area_text_is_made_out_once_and_a_long_one_still_refused(monkeypatch):
    counted = _Counted(_grid._AREA_SHEET["xlsx"])
    monkeypatch.setitem(_grid._AREA_SHEET, "xlsx", counted)
    text = "项目信息!$A$1:$B$24,项目信息!$D:$E,'speedD''s sheet'!$3:$7"  # (a text no other test makes out)
    first = _grid.print_area_boxes(text, "xlsx")
    assert first == ((0, 0, 23, 1), (0, 3, _grid.MAX_SHEET_ROWS, 4), (2, 0, 6, _grid.MAX_SHEET_COLS))
    for _ in range(3):  # the same text again, as the next return of the template and its other questions ask
        assert _grid.print_area_boxes(text, "xlsx") == first
    assert counted.calls == 1, f"the same print area made out {counted.calls} times"
    # a text beyond the limit: refused each time, never made out (nor kept)
    long = "项目信息!$A$1:$B$2," * (_grid.MAX_PRINT_AREA // 10)
    assert len(long) > _grid.MAX_PRINT_AREA
    assert _grid.print_area_boxes(long, "xlsx") is None and _grid.print_area_boxes(long, "xlsx") is None
    assert counted.calls == 1
    assert _grid.print_area_boxes("", "xlsx") is None and _grid.print_area_boxes(text, "pdf") is None
