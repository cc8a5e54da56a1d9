"""Red team h36: an amount typed in 万元 (self.amount_scale_rules) is said with what the *rules* find of it only as
typed; a workbook's problems that are none of the rules' findings stood among them and were merged too, said inside
the 万元 message at the amount's cell, where a JSON document of the same return says them apart: the stamp's
template.other_rules (the template made under another rule table), and the 万元 hint at another amount the reader
refused for its decimals (said of that amount, at its own cell)."""

from __future__ import annotations

from xlgoals import FORMS, read, validate_document, validate_file

from .helpers import edited, example_return

SE = FORMS["self-evaluation"]


def _cell(path: str) -> tuple[str, str]:
    f = SE.field(path)
    return f.sheet, f.cell


def _stamp_cell(src) -> tuple[tuple[str, str], str]:
    import openpyxl

    wb = openpyxl.load_workbook(src)
    return next(((ws.title, c.coordinate), c.value) for ws in wb for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


def _wan(more: dict) -> dict:
    return {_cell("/funds/executed"): 14201.51, _cell("/funds/sources/fiscal/executed"): 14201.51, **more}


def _said(problems):
    return sorted((p.code, p.path) for p in problems)


def test_the_stamps_other_rules_is_not_merged_into_the_wan_message(tmp_path):
    src = example_return("self-evaluation")
    at, stamp = _stamp_cell(src)
    path = edited(src, tmp_path / "r.xlsx", _wan({at: stamp + "|rules=deadbeef"}))
    problems = validate_file(path).problems
    merged = next(p for p in problems if p.code == "self.amount_scale_rules")
    assert "规则表" not in merged.message, merged.message
    assert ("template.other_rules", "/framework") in _said(problems), _said(problems)
    # a JSON document of the same return says it apart too
    assert "template.other_rules" in {p.code for p in validate_document(read(path).document)}


def test_the_wan_hint_at_another_amount_refused_for_its_decimals_stands_at_its_own_cell(tmp_path):
    path = edited(example_return("self-evaluation"), tmp_path / "r.xlsx",
                  _wan({_cell("/funds/initial_budget"): 14640.7273}))
    problems = validate_file(path).problems
    merged = next(p for p in problems if p.code == "self.amount_scale_rules")
    assert "14,640.7273" not in merged.message, merged.message
    hint = [p for p in problems if p.code == "self.amount_scale" and p.path == "/funds/initial_budget"]
    assert len(hint) == 1 and hint[0].cell == _cell("/funds/initial_budget")[1], _said(problems)
    assert _said(problems) == _said(validate_document(read(path).document)), \
        (_said(problems), _said(validate_document(read(path).document)))
