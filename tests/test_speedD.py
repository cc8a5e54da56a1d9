"""speedD (issue #10 point 4, #11 point 9): per-return work on what every return of a template shares, done once.

- A print area's text (``项目信息!$A$1:$B$24``: the same in every return of one template) is made out once in a
  process (``print_area_boxes``), not on each of the several questions of each return; a text longer than
  MAX_PRINT_AREA is still refused, never kept.
- The rules of a check kind in force (``RuleTable.in_force``: rule.placeholder's, actual_range's ...) are looked for
  in the rule table once a table, not by a walk of the whole table on each return's run of the checks; the list
  given is the caller's own.
- The screen's search for a cell tag not written canonically (``_OTHER_C``) first tries a place of one letter and
  fewer digits than the last row's (every cell of a form) before the alternatives of the places within the
  limits: the same tags found.
"""

from __future__ import annotations

from xlgoals import validate_file
from xlgoals._check._ruletable import RuleTable
from xlgoals._read import _grid

from .conftest import EXAMPLES

SELF_EVALUATION = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"


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


class _CountedRules(dict):
    """A rule table's rules whose walks (values()) are counted."""

    walks = 0

    def values(self):
        type(self).walks += 1
        return super().values()


def test_the_rules_in_force_are_looked_for_once_a_table_not_on_every_return(monkeypatch):
    table = RuleTable.default()
    fresh = RuleTable(dict(table.rules), {c: table.params_of(c) for c in table.rules}, None)
    expected = [rd.code for rd in table.rules.values() if rd.check == "placeholder" and rd.severity != "off"]
    assert expected, "the packaged table has rule.placeholder"
    monkeypatch.setattr(_CountedRules, "walks", 0)
    fresh.rules = _CountedRules(fresh.rules)
    got = fresh.in_force("placeholder")
    assert [rd.code for rd in got] == expected
    got.clear()  # the caller's own list: the table's is untouched
    for _ in range(3):
        assert [rd.code for rd in fresh.in_force("placeholder")] == expected
    assert _CountedRules.walks == 1, f"the whole table walked {_CountedRules.walks} times for one kind"
    # and on a return's run of the checks: the packaged table is not walked for a kind asked before
    validate_file(SELF_EVALUATION, isolated=False)
    packaged = RuleTable.default()
    monkeypatch.setattr(packaged, "rules", _CountedRules(packaged.rules))
    _CountedRules.walks = 0
    report = validate_file(SELF_EVALUATION, isolated=False)
    assert report.document is not None
    assert _CountedRules.walks == 0, f"the rule table walked {_CountedRules.walks} times on the second return"


def test_the_short_place_tried_first_finds_the_same_cell_tags_as_the_places_within_the_limits():
    """_OTHER_C tries a one-letter place of fewer digits than the last row's first (a form's every cell): what it
    finds, in any part, is what the pattern without that first try finds (every cell tag it passes over, the
    places within the limits pass over too)."""
    import re

    from xlgoals._read import _screen

    reference = re.compile(rb"<c(?!" + _screen._CELL_PLACE + rb'(?: s="[0-9]++")?+(?: t="[a-z]++")?+/?>|'
                           + _screen._CELL_PLACE + _screen._CELL_ATTRS + rb"|o|f)")
    last = str(_screen.MAX_SHEET_ROWS).encode()
    places = [b"A1", b"Z9", b"B" + last, b"B" + last[:-1], b"C" + str(int(last) + 1).encode(), b"A0", b"A01",
              b"AA1", b"GR1", b"GS1", b"a1", b"A", b"1", b"A1 ", b"A99999999", b"A1\"x"]
    tails = [b">", b"/>", b' s="3">', b' s="3" t="s">', b' t="s">', b' s="3" t="s"/>', b' s="" t="s">', b' s="3"  >',
             b' s="3" x="1">', b' t="s" s="3">', b' s="3" t="S">', b"", b' s="3"', b" s='3'>", b' s="<">',
             b' r="A2">', b' cm="1">']
    for place in places:
        for tail in tails:
            for head in (b'<c r="', b'<c  r="', b"<c r='"):
                tag = head + place + b'"' + tail
                part = b"<worksheet><sheetData><row r=\"1\">" + tag + b"<v>1</v></c></row></sheetData></worksheet>"
                assert (_screen._OTHER_C.search(part) is None) == (reference.search(part) is None), tag
