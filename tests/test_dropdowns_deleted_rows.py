"""Dependent dropdowns (INDEX($B:$B,ROW())) after a department deletes indicator rows in LibreOffice."""

import json

from xlgoals import validate_file, write_template

from .helpers import F, ind_cell, lo_cell as at


def test_rows_deleted_keep_each_rows_dropdowns(tmp_path, lo_edit):
    """With the protection off (it forbids deleting rows), one prefilled row and then two more are deleted, the
    return saved, opened again and a wrong and a right 一级/二级 pair pasted on two blank rows: Mark Invalid Data
    circles only the wrong one (each row's list still looks up its own 一级), and validate places the one mismatch."""
    from .test_review import LIBRARY

    src = write_template(tmp_path / "模板.xlsx", rows=12, library=LIBRARY)
    edits = [{"sheet": F.table.name, "unprotect": True}, {**at(ind_cell(1, "level1")), "delete_rows": 1},
             {**at(ind_cell(4, "level1")), "delete_rows": 2}]
    deleted = lo_edit(src, tmp_path / "deleted.xlsx", edits)
    wrong, right = ind_cell(7, "level2"), ind_cell(8, "level2")
    report = tmp_path / "invalid.json"
    checked = lo_edit(deleted, tmp_path / "checked.xlsx", [
        {**at(ind_cell(7, "level1")), "string": "效果目标"}, {**at(wrong), "string": "数量"},
        {**at(ind_cell(8, "level1")), "string": "效果目标"}, {**at(right), "string": "社会效益"},
        {"sheet": F.table.name, "show_invalid": True}], report=report)
    assert json.loads(report.read_text(encoding="utf-8"))["invalid"] == {F.table.name: [wrong[1]]}
    found = [(p.code, p.sheet, p.cell) for p in validate_file(checked).problems if p.code.startswith("rule.level2")]
    assert found == [("rule.level2_mismatch", *wrong)]
