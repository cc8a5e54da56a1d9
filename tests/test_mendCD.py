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


# 2. a 合计 row marked in 序号, and on the self-evaluation's and the monitoring report's tables ---------------------------
_SUM = "=IF(COUNT('自评信息'!$G$7,$L$4:$L${last})=0,\"\",ROUND(N('自评信息'!$G$7)+SUM($L$4:$L${last}),2))"


def _row_added(tmp_path, form_id, cells: dict, name="合计.xlsx"):
    """The form's example return with a row inserted right below its indicator rows (the sheet unprotected, as a
    department adds a 合计 line), `cells` {column key: value} typed into it; the self-evaluation's 总分 moved down
    one row with it (its SUM over the rows, the new one too where `cells` has a score)."""
    import openpyxl

    from .helpers import example_return

    form = EXAMPLE_FORMS[form_id]
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.table.name]
    n = len(read(example_return(form_id)).document["indicators"])
    at = form.table.first_row + n + 1  # (1-based) the row below the last indicator
    merges = [str(m) for m in ws.merged_cells.ranges if m.min_row == at]
    for m in merges:
        ws.unmerge_cells(m)
    ws.insert_rows(at)
    for m in merges:
        ws.merge_cells(m.replace(str(at), str(at + 1)))
    if form.table.total is not None:
        col = form.column("score").index + 1
        ws.cell(at + 1, col).value = _SUM.format(last=at if "score" in cells else at - 1)
    for key, value in cells.items():
        ws.cell(at, form.column(key).index + 1).value = value
    out = tmp_path / name
    wb.save(out)
    return out, n, at


@pytest.mark.parametrize("form_id, cells, at_key", [
    ("self-evaluation", {"seq": "合计", "points": 100, "score": 98.5}, "seq"),
    ("self-evaluation", {"seq": "合计", "name": "合计", "points": 100, "score": 98.5}, "name"),
    ("self-evaluation", {"name": "小计", "score": 60}, "name"),
    ("self-evaluation", {"seq": "合 计"}, "seq"),
    ("monitoring", {"seq": "合计"}, "seq"),
    ("monitoring", {"seq": "合计", "name": "合计"}, "name"),
])
def test_a_total_row_on_a_self_evaluation_or_monitoring_table_is_said_and_not_read(tmp_path, form_id, cells, at_key):
    from xlgoals._form import a1

    from .helpers import example_return

    form = EXAMPLE_FORMS[form_id]
    path, n, at = _row_added(tmp_path, form_id, cells)
    before = {(p.code, p.cell) for p in validate_file(example_return(form_id)).problems}
    inds = read(path).document["indicators"]
    assert len(inds) == n
    if form_id == "self-evaluation":  # the indicators' 得分 as the example's: the 合计 line's in no sum
        example = read(example_return(form_id)).document["indicators"]
        assert [i.get("score") for i in inds] == [i.get("score") for i in example]
    new = [p for p in validate_file(path).problems if (p.code, p.cell) not in before]
    cell = a1(at - 1, form.column(at_key).index)
    assert [(p.code, p.sheet, p.cell, p.severity) for p in new] == [("cell.total_row", form.table.name, cell,
                                                                      "warning")], new
    msg, msg_en = new[0].message, new[0].message_en
    assert "合计行" in msg and "删除" in msg and f"第 {at} 行" in msg and "total line" in msg_en, msg
    assert ("总分" in msg) == (form_id == "self-evaluation") and ("分值" in msg) == (form_id != "monitoring"), msg


@pytest.mark.parametrize("cells, at_key", [({"seq": "合计", "weight": 100}, "seq"),
                                           ({"seq": "总计：", "name": "总计", "weight": 100}, "name"),
                                           ({"seq": "合计", "level1": "合计"}, "level1")])
def test_a_goal_tables_total_row_marked_in_seq_is_said(tmp_path, cells, at_key):
    from xlgoals import FORMS
    from xlgoals._form import a1
    from xlgoals._frameworks import load_framework

    from .test_mendBU import _typed_row, _weighted

    plain = _weighted(tmp_path)
    before = {(p.code, p.cell) for p in validate_file(plain).problems}
    n = len(read(plain).document["indicators"])
    path = _typed_row(plain, tmp_path / "合计.xlsx", n, cells)
    assert len(read(path).document["indicators"]) == n
    form, fw = FORMS["goal-table"], load_framework("national-2021")
    new = [p for p in validate_file(path).problems if (p.code, p.cell) not in before]
    cell = a1(form.table.first_row + n, form.column(at_key, fw).index)
    assert [(p.code, p.cell, p.severity) for p in new] == [("cell.total_row", cell, "warning")], new
    assert "分值" in new[0].message and "本表不设合计行" in new[0].message


# 3. 整 in an amount: 1000整 is 1000 元 exactly, as 壹仟元整 writes it; an amount in capitals is refused, saying so ----
@pytest.mark.parametrize("typed, want", [("1000整", 1000), ("1000元整", 1000), ("1,000.50元整", 1000.5), ("¥1000整", 1000),
                                         ("62,800,000.00 元整", 62800000), ("1000 整", 1000)])
def test_zheng_after_an_amount_is_the_amount_exactly(typed, want):
    from xlgoals._form._kinds import parse_amount

    assert parse_amount(typed) == want


@pytest.mark.parametrize("typed, code, expected", [
    ("壹仟元整", "cell.amount_capital", None), ("一千元", "cell.amount_capital", None),
    ("人民币壹万贰仟元整", "cell.amount_capital", None), ("陆仟贰佰捌拾万元", "cell.amount_capital", None),
    ("6280万元整", "cell.amount_wan", "62800000"), ("整", "cell.amount", None), ("1000整整", "cell.amount", None),
    ("整1000", "cell.amount", None), ("详见附件一", "cell.amount", None), ("约六千", "cell.amount_capital", None)])
def test_an_amount_not_in_digits_is_refused_clearly(typed, code, expected):
    from xlgoals._form._kinds import Unreadable, parse_amount

    with pytest.raises(Unreadable) as got:
        parse_amount(typed)
    assert got.value.code == code
    if expected:
        assert got.value.expected == expected


def test_amounts_with_zheng_and_in_capitals_in_a_return(tmp_path):
    total, current = _field("goal-table", "/budget/total"), _field("goal-table", "/budget/current_year")
    doc0 = read(edited_return(tmp_path, "goal-table", {}, name="plain.xlsx")).document["budget"]
    path = edited_return(tmp_path, "goal-table", {}, info={total.cell: f"{doc0['total']}整",
                                                           current.cell: "壹仟元整"})
    assert read(path).document["budget"]["total"] == doc0["total"]
    problems = validate_file(path).problems
    assert not _at(problems, (total.sheet, total.cell)), _at(problems, (total.sheet, total.cell))
    said = _at(problems, (current.sheet, current.cell))
    assert [p.code for p in said] == ["cell.amount_capital"], said
    assert "汉字数字" in said[0].message and "阿拉伯数字" in said[0].message and "“壹仟元整”" in said[0].message
    assert "chinese numerals" in said[0].message_en.lower() and "in digits" in said[0].message_en


# 4. rough figures (约, 左右, 上下) in results and scores -------------------------------------------------------------
def _new_problems(form_id, path):
    from .helpers import example_return

    before = {(p.code, p.cell) for p in validate_file(example_return(form_id)).problems}
    return [p for p in validate_file(path).problems if (p.code, p.cell) not in before]


@pytest.mark.parametrize("typed, word, figure", [("约95%", "约", "95%"), ("85%左右", "左右", "85%"), ("大约85", "大约", "85"),
                                                  ("85左右", "左右", "85")])
def test_a_self_evaluations_rough_actual_is_an_error_naming_the_word(tmp_path, typed, word, figure):
    """实际完成值 is what the score is judged on: a rough figure stays an error (self.actual_not_number), now saying the
    word makes it rough and what to enter (85左右 was read as 85, the word dropped unsaid)."""
    path = edited_return(tmp_path, "self-evaluation", {(10, "actual"): typed})
    assert read(path).document["indicators"][10]["actual"] == typed
    new = _new_problems("self-evaluation", path)
    assert [(p.code, p.cell, p.severity) for p in new] == [
        ("self.actual_not_number", row_cell("self-evaluation", 10, "actual")[1], "error")], new
    assert f"“{word}”表示约数" in new[0].message and f"（如 {figure}）" in new[0].message, new[0].message
    assert "rough figure" in new[0].message_en and figure in new[0].message_en


@pytest.mark.parametrize("typed, word", [("约4.44", "约"), ("4.44左右", "左右"), ("4.44分左右", None)])
def test_a_rough_score_is_an_error_naming_the_word(tmp_path, typed, word):
    path = edited_return(tmp_path, "self-evaluation", {(10, "score"): typed})
    new = _new_problems("self-evaluation", path)
    at = row_cell("self-evaluation", 10, "score")[1]
    if word is None:  # a unit too: no number the word stands beside, said as before
        assert [(p.code, p.cell) for p in new if p.cell == at] == [("cell.number", at)], new
        return
    assert [(p.code, p.cell, p.severity) for p in new if p.cell == at] == [("cell.number_approximate", at, "error")], new
    msg = next(p for p in new if p.cell == at).message
    assert f"“{word}”表示约数" in msg and "4.44" in msg and "确定的数值" in msg, msg


def test_a_monitoring_reports_rough_results_are_read_as_numbers_with_a_warning(tmp_path):
    """1-N月执行情况 and 全年预计完成情况 score nothing: a rough figure is read as its number (as a rough target is),
    a warning at its cell; a qualitative row's text (约 in a description) is taken as written, no warning."""
    from .helpers import example_return

    plain = read(example_return("monitoring")).document["indicators"]
    quantitative = [i for i, it in enumerate(plain) if it["comparator"] != "qualitative"]
    qualitative = next(i for i, it in enumerate(plain) if it["comparator"] == "qualitative")
    a, b = quantitative[:2]
    edits = {(a, "progress"): f"约{plain[a]['progress']}%", (b, "expected"): f"{plain[b]['expected']}左右",
             (qualitative, "progress"): "约完成一半"}
    path = edited_return(tmp_path, "monitoring", edits)
    inds = read(path).document["indicators"]
    assert (inds[a]["progress"], inds[b]["expected"]) == (plain[a]["progress"], plain[b]["expected"])
    assert inds[qualitative]["progress"] == "约完成一半"
    new = _new_problems("monitoring", path)
    assert sorted((p.code, p.cell, p.severity) for p in new) == sorted([
        ("cell.actual_approximate", row_cell("monitoring", a, "progress")[1], "warning"),
        ("cell.actual_approximate", row_cell("monitoring", b, "expected")[1], "warning")]), new
    assert all("表示约数" in p.message and "已按数值" in p.message and "完成情况" in p.message for p in new), new


# 5. a required field emptied under a merge: its error says where it went ---------------------------------------------
def test_a_required_field_under_a_merge_says_it_is_under_the_merge(tmp_path):
    """立项依据 (B15, required) under 项目概况 merged down over it, emptied as Excel does: the required-field error at B15
    says the cell lies under 项目概况's merged cell (B14) and to unmerge; a required field left empty elsewhere is said as
    before."""
    from .conftest import EXAMPLES
    from .test_mendBX import _merged

    src = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"
    # (openpyxl empties the covered cell, as Excel does); B16, 项目设立的必要性, required, emptied with no merge
    path = _merged(src, tmp_path / "m.xlsx", "项目信息", ["B14:B15"], {"B16": None})
    problems = validate_file(path).problems
    at15 = [p for p in problems if p.cell == "B15"]
    assert [(p.code, p.severity) for p in at15] == [("rule.required_field", "error")], at15
    assert "合并" in at15[0].message and "“项目概况”（B14）" in at15[0].message and "取消合并" in at15[0].message, at15
    assert "merged cell" in at15[0].message_en and "unmerge" in at15[0].message_en
    at16 = [p for p in problems if p.cell == "B16"]
    assert [p.code for p in at16] == ["rule.required_field"] and "合并" not in at16[0].message, at16


# 7. mendBU/mendBX's readings on what LibreOffice's own input keeps: every case typed in ONE document session ----------
#: (sheet, cell, what is typed) in the example goal table (returns/02, shanghai-2020), as a department types it: the
#: table unprotected first (to add a 合计 line and to merge a Word paste's split row, as they do)
_TYPED = [
    ("项目信息", "B5", "其它"),  # 项目类别: the list says 其他 (a warning-style list: LibreOffice keeps it)
    ("项目信息", "B9", "培训类；"),  # 绩效类型, a sentence's semicolon
    ("绩效指标", "F5", "100%。"),  # item 1, ＝: a full stop
    ("绩效指标", "F17", "100%；"),  # item 13
    ("绩效指标", "F13", "1000元整"), ("绩效指标", "G13", "元"),  # item 9: 元整 with the unit 元
    ("绩效指标", "F14", "约85%"), ("绩效指标", "F24", "85%左右"),  # items 10 and 20: rough figures
    # item 26's name split over two rows by a Word paste, every other cell of its row merged down over the next
    ("绩效指标", "D30", "提高青年大学生的就业能力，"), ("绩效指标", "D31", "促进社会和谐稳定。"),
    ("绩效指标", "D32", "合计"),  # a 合计 line in 三级
    ("绩效指标", "A33", "合计"),  # a 合计 line marked in 序号 alone (mendCD)
]


def test_the_readings_of_pasted_and_typed_texts_hold_on_what_libreoffice_typed(tmp_path, lo_edit):
    from .helpers import example_return

    src = example_return("goal-table")
    edits = [{"sheet": "绩效指标", "unprotect": True}]
    edits += [{"sheet": sheet, "cell": cell, "input": typed} for sheet, cell, typed in _TYPED]
    edits += [{"sheet": "绩效指标", "cell": f"{c}30:{c}31", "merge": True} for c in "ABCEFG"]
    out = lo_edit(src, tmp_path / "typed.xlsx", edits)
    import openpyxl

    wb = openpyxl.load_workbook(out)  # LibreOffice kept each as typed: text, not a number it parsed
    for sheet, cell, typed in _TYPED:
        assert wb[sheet][cell].value == typed, (cell, wb[sheet][cell].value)
    doc = read(out).document
    assert (doc["project"]["category"], doc["project"]["performance_type"]) == ("其他", "培训类")
    inds = doc["indicators"]
    assert len(inds) == len(read(src).document["indicators"])  # the split row joined; neither 合计 line read
    got = {i: (inds[i]["value"], inds[i].get("unit")) for i in (1, 13, 9, 10, 20)}
    assert got == {1: (100, "%"), 13: (100, "%"), 9: (1000, "元"), 10: (85, "%"), 20: (85, "%")}, got
    assert inds[26]["name"] == "提高青年大学生的就业能力，促进社会和谐稳定。"
    before = {(p.code, p.sheet, p.cell) for p in validate_file(src).problems}
    report = validate_file(out).problems
    new = sorted((p.code, p.sheet, p.cell, p.severity) for p in report if (p.code, p.sheet, p.cell) not in before)
    # each target typed with a sentence's words, at its own cell (was test_typed_formats' own typing): a full stop
    # dropped, no problem at all; a rough figure one warning, read as its number
    at_cell = {cell: [(p.code, p.severity) for p in report if (p.sheet, p.cell) == ("绩效指标", cell)]
               for cell in ("F5", "F17", "F14", "F24")}
    assert at_cell == {"F5": [], "F17": [], "F14": [("cell.target_approximate", "warning")],
                       "F24": [("cell.target_approximate", "warning")]}, at_cell
    assert new == sorted([("cell.target_approximate", "绩效指标", "F14", "warning"),
                          ("cell.target_approximate", "绩效指标", "F24", "warning"),
                          ("cell.split_row", "绩效指标", "D31", "warning"),
                          ("cell.total_row", "绩效指标", "D32", "warning"),
                          ("cell.total_row", "绩效指标", "A33", "warning"),
                          ("template.unprotected", "绩效指标", "", "warning")]), new  # (as typed: unprotected)


# 6. --targets: the goal table of the return's project found but refused is said so, and why ---------------------------
@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_goal_table_found_but_refused_is_said_so_not_not_found(tmp_path, form_id):
    """The return's goal table, given again with --targets after it was edited into one that does not pass (当年预算
    above 总预算): the return was told no goal table of its project was given (找不到本表对应的项目); it is told the
    one found could not be used, which file, and why.  A goal table of another project only: 找不到, as before."""
    import json

    from xlgoals import monitoring_templates, self_evaluation_templates, validate

    from .conftest import EXAMPLES

    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    (tmp_path / "issued").mkdir()
    (tmp_path / "issued" / "g.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    make = self_evaluation_templates if form_id == "self-evaluation" else \
        (lambda t, o: monitoring_templates(t, o, month=6))
    (made,) = make([tmp_path / "issued"], tmp_path / "made").written
    prefix = "self" if form_id == "self-evaluation" else "monitor"
    bad = json.loads(json.dumps(doc))
    bad["budget"]["current_year"] = bad["budget"]["total"] + 1  # (a rule error: the goal table is refused)
    other = json.loads(json.dumps(doc))
    other["project"]["name"] = "另一个项目"
    for folder, goal in (("bad", bad), ("other", other)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "g.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")

    def unmatched(folder, code="targets_unmatched"):
        found = [p for p in validate([made], targets=[tmp_path / folder]).problems()
                 if p.code == f"{prefix}.{code}"]
        assert len(found) == 1, found
        return found[0]

    refused = unmatched("bad", "targets_refused")  # (its own code since mendCL: counted apart from 找不到)
    assert "找不到" not in refused.message and "无法使用" in refused.message, refused.message
    assert "g.json" in refused.message and "当年预算" in refused.message and "未经核对" in refused.message
    assert "could not be used" in refused.message_en and "g.json" in refused.message_en
    assert "None of the goal tables" not in refused.message_en
    missing = unmatched("other")
    assert "找不到本表对应的项目" in missing.message and "无法使用" not in missing.message, missing.message
    assert missing.message_en.startswith("None of the goal tables given with --targets matches this return")
