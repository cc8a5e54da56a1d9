"""mendCD: readings left open by mendBU/mendBX (red team 25j/25k): the information sheet's choices folded as the
indicator choices are (其它, trailing punctuation), 合计 rows marked in 序号 and on the self-evaluation's and the
monitoring report's tables, 1000整, approximate words in actual values and scores, the required field hidden under a
merge, and what happened to a goal table --targets refused."""

import pytest

from xlgoals import read, validate_file

from .helpers import EXAMPLE_FORMS, edited_return, row_cell


def _at(problems, sheet_cell):
    return [p for p in problems if (p.sheet, p.cell) == sheet_cell]


def _field(form_id, path):
    form = EXAMPLE_FORMS[form_id]
    return next(f for f in form.fields if f.path == path)


# 1. the information sheet's choices: 其它 for 其他, trailing punctuation ------------------------------------------------
@pytest.mark.parametrize("category, ptype", [("其它", "其它类"), ("基本建设项目。", "培训类；"), ("其它，", "其他类.")])
def test_info_sheet_choices_pasted_read_as_the_lists_values(tmp_path, category, ptype):
    """(The example return's framework, shanghai-2020, lists 其他 among its 项目类别.)"""
    cat, pt = _field("goal-table", "/project/category"), _field("goal-table", "/project/performance_type")
    typed = edited_return(tmp_path, "goal-table", {}, info={cat.cell: category.rstrip("。，"), pt.cell: ptype},
                          name="typed.xlsx")
    path = edited_return(tmp_path, "goal-table", {}, info={cat.cell: category, pt.cell: ptype})
    doc = read(path).document
    assert (doc["project"]["category"], doc["project"]["performance_type"]) == (
        category.rstrip("。，").replace("其它", "其他"), ptype.rstrip("；.").replace("其它", "其他"))
    codes = {p.code for p in validate_file(path).problems}
    assert not codes & {"rule.category_list", "rule.performance_type_list"}, codes
    assert codes == {p.code for p in validate_file(typed).problems} - {"rule.category_list", "rule.performance_type_list"}


@pytest.mark.parametrize("category", ["其它项目", "运转类项目", "。"])
def test_info_sheet_choice_not_on_the_list_is_still_warned(tmp_path, category):
    cat = _field("goal-table", "/project/category")
    path = edited_return(tmp_path, "goal-table", {}, info={cat.cell: category})
    assert read(path).document["project"].get("category") in (category, None)
    codes = {p.code for p in validate_file(path).problems}
    assert "rule.category_list" in codes or category == "。", codes
