"""A number no spreadsheet holds (NaN, an infinity: `<v>NaN</v>` in a hand-made or hostile file) in a cell a
department fills is said as the error value Excel shows for it (#NUM!), at its cell: never read as the text
"#NUM!" or "nan", never a crash of the whole file."""

from __future__ import annotations

import zipfile

import pytest

import xlgoals

from .helpers import EXAMPLE_FORMS, edited_return, row_cell
from .test_silent2 import _walk

TWO_SECTIONS = '"≥"0"天";"≤"0"人"'  # a format of two sections: NaN is neither above, below nor at zero


def _with_values(src, dst, swaps: dict) -> None:
    """`src` copied to `dst` with each cached value <v>old</v> of the table sheet written as <v>new</v>."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                for old, new in swaps.items():
                    data = data.replace(f"<v>{old}</v>".encode(), f"<v>{new}</v>".encode())
            zout.writestr(info.filename, data)


@pytest.mark.parametrize("literal", ["NaN", "inf", "-Infinity"])
@pytest.mark.parametrize("form_id, edits", [
    ("goal-table", {(0, "target"): (424242, TWO_SECTIONS), (1, "target"): 535353}),
    ("self-evaluation", {(1, "actual"): (424242, TWO_SECTIONS), (2, "actual"): 535353}),
])
def test_a_number_no_spreadsheet_holds_is_an_error_value_at_its_cell(tmp_path, form_id, edits, literal):
    made = edited_return(tmp_path, form_id, edits, name="made.xlsx")
    bad = tmp_path / "bad.xlsx"
    _with_values(made, bad, {"424242": literal, "535353": literal})
    result = xlgoals.validate_file(bad)
    codes = {(p.code, p.cell) for p in result.problems}
    assert not any(p.code.startswith("file.") for p in result.problems), codes
    for (i, key) in edits:
        sheet, cell = row_cell(form_id, i, key)
        found = [p for p in result.problems if p.cell == cell and p.sheet == sheet]
        assert [p.code for p in found] == ["cell.error_value"], (cell, codes)
    doc = result.document
    texts = [str(item.get(k)) for item in doc["indicators"] for k in ("text", "actual", "value")]
    assert not any(t.lower() in ("nan", "inf", "-inf", "#num!") for t in texts)


@pytest.mark.parametrize("code", [TWO_SECTIONS, '"≥"0"天";"≤"0"人";"无"', '[<0]"欠"0;"余"0', '[>=0]0"天";0"人"'])
@pytest.mark.parametrize("libreoffice", [False, True])
def test_no_section_of_a_format_shows_nan(code, libreoffice):
    """A NaN is neither above, below nor at zero: no section shows it (it raised IndexError for two sections, a
    crash of the whole file said as file.crashed); an infinity is shown by the section of its sign."""
    from xlgoals._read._screen import as_libreoffice, format_text, shown_for

    entry = format_text(code)
    if libreoffice:
        entry = as_libreoffice(entry)
    assert shown_for(entry, float("nan")) is None
    assert shown_for(entry, float("inf")) == shown_for(entry, 5.0)
    assert shown_for(entry, float("-inf")) == shown_for(entry, -5.0)


def _strings(node):
    """Every leaf of a document, as text (test_silent2's walk)."""
    return (str(v).strip().lower() for v in _walk(node) if not isinstance(v, (dict, list)))


# Text, unit, dropdown and remark cells of each form's rows, and an amount and a dropdown of its information sheet
_TEXT_CELLS = {
    "goal-table": ([(0, "name"), (1, "unit"), (2, "level2")], {"B10": "/budget/total", "B5": "/project/category"}),
    "self-evaluation": ([(0, "grade"), (1, "deviation"), (2, "name"), (3, "unit")], {"D7": "/funds/executed"}),
    "monitoring": ([(0, "deviation_category"), (1, "likelihood"), (2, "note"), (3, "name")],
                   {"D7": "/funds/executed_to_date"}),
}


@pytest.mark.parametrize("literal", ["NaN", "inf", "1e999"])
@pytest.mark.parametrize("form_id", sorted(_TEXT_CELLS))
def test_a_number_no_spreadsheet_holds_in_a_text_choice_unit_or_amount_cell(tmp_path, form_id, literal):
    """`<v>NaN</v>` in 指标名称, 单位, a dropdown cell, a remark or an amount of the information sheet is the #NUM! a
    spreadsheet shows, said at its cell: never read as the text "nan" or "inf"."""
    rows, info = _TEXT_CELLS[form_id]
    markers = {}
    edits = {}
    for k, key in enumerate(rows):
        markers[key] = 616100 + k
        edits[key] = markers[key]
    info_edits = {ref: 727200 + k for k, ref in enumerate(info)}
    made = edited_return(tmp_path, form_id, edits, info=info_edits, name="made.xlsx")
    bad = tmp_path / "bad.xlsx"
    _with_values(made, bad, {str(v): literal for v in [*markers.values(), *info_edits.values()]})
    result = xlgoals.validate_file(bad)
    codes = sorted((p.code, p.sheet, p.cell) for p in result.problems)
    assert not any(p.code.startswith("file.") for p in result.problems), codes
    form = EXAMPLE_FORMS[form_id]
    places = [row_cell(form_id, i, key) for i, key in rows] + [(form.info.name, ref) for ref in info]
    locked = {row_cell(form_id, i, key) for i, key in rows if form.column(key).locked and not form.table.insert_rows}
    for sheet, cell in places:
        found = [p.code for p in result.problems if p.cell == cell and p.sheet == sheet]
        # (a locked cell of an approved row no longer as its record: the value to restore, the row's other locked
        # cells not checkable; one issued blank, 计量单位 of a qualitative row, reads as its record: the error value)
        codes_here = ("cell.error_value", "template.locked_row_unread") if (sheet, cell) in locked \
            else ("cell.error_value",)
        assert len(found) == 1 and found[0] in codes_here, (sheet, cell, codes)
    texts = set(_strings(result.document))
    assert not texts & {"nan", "inf", "-inf", "infinity", "#num!"}, texts & {"nan", "inf", "-inf", "#num!"}
