"""mendBU: what departments paste and type, read as they meant it (red team 25j): a 合计 row, a Word-table paste
splitting one indicator over two rows, a field hidden under a merge, a target's trailing punctuation, approximate
targets (85左右, 1000元整), and 其它/其他 and trailing punctuation in a dropdown's choice."""

import pytest

from xlgoals import validate_file
from xlgoals._form._kinds import split_target

from .helpers import edited_return, row_cell


def _at(problems, sheet_cell):
    return [p for p in problems if (p.sheet, p.cell) == sheet_cell]


# 4. a target's trailing punctuation (a sentence pasted from Word) -----------------------------------------------
@pytest.mark.parametrize("typed, want", [
    ("90%。", ("number", None, 90, "%")), ("≥85%；", ("number", ">=", 85, "%")), ("85.", ("number", None, 85, None)),
    ("90％。", ("number", None, 90, "%")), ("1000人次，", ("number", None, 1000, "人次")), ("≥85%;", ("number", ">=", 85, "%")),
    ("85%以上。", ("number", ">=", 85, "%")), ("90%（抽查）。", ("number", None, 90, "%")), ("8.5.", ("number", None, 8.5, None)),
])
def test_trailing_punctuation_after_a_target_is_dropped(typed, want):
    assert split_target(typed) == want


@pytest.mark.parametrize("typed", ["。", "85。。5", "≥。", "85%。90%", "约85%。"])
def test_punctuation_makes_no_target_of_what_is_none(typed):
    """Only a number target read whole once its trailing punctuation goes: anything else is read as before."""
    try:
        got = split_target(typed)
    except Exception as e:  # noqa: BLE001 (Unreadable, as before)
        got = type(e).__name__
    assert got in ("Unreadable", ("text", typed))


def test_targets_pasted_as_sentences_read_in_a_return(tmp_path):
    typed = {9: "90%。", 10: "≥85%；", 20: "85.", 21: "90％。"}
    path = edited_return(tmp_path, "goal-table", {(i, "target"): v for i, v in typed.items()})
    problems = validate_file(path).problems
    for i in typed:
        assert not [p.code for p in _at(problems, row_cell("goal-table", i, "target")) if p.severity == "error"], i
    from xlgoals import read
    inds = read(path).document["indicators"]
    assert [(inds[i]["value"], inds[i]["unit"]) for i in typed] == [(90, "%"), (85, "%"), (85, "%"), (90, "%")]


def test_a_remark_before_trailing_punctuation_is_still_said():
    from xlgoals._form._kinds import target_remarks

    assert target_remarks("90%（抽查）。") == ["抽查"]
    assert target_remarks("90%。") == []


# 5. approximate targets (85左右, 约85%) and 元整 -------------------------------------------------------------------
@pytest.mark.parametrize("typed, word, shown", [("85左右", "左右", "85"), ("85%左右", "左右", "85%"), ("约85%", "约", "85%"),
                                                ("大约1000人次", "大约", "1000人次"), ("1000人上下。", "上下", "1000人")])
def test_a_rough_figure_is_said_to_be_one(typed, word, shown):
    from xlgoals._form._kinds import Unreadable

    with pytest.raises(Unreadable) as got:
        split_target(typed)
    assert (got.value.code, got.value.extra["detail"], got.value.expected) == ("cell.target_approximate", word, shown)


def test_yuan_zheng_is_yuan():
    assert split_target("1000元整") == ("number", None, 1000, "元")
    assert split_target("≤50万元整") == ("number", "<=", 50, "万元")


def test_approximate_and_yuan_zheng_in_a_return(tmp_path):
    path = edited_return(tmp_path, "goal-table", {(20, "target"): "85左右", (9, "target"): "1000元整", (9, "unit"): "元"})
    problems = validate_file(path).problems
    at_rough = _at(problems, row_cell("goal-table", 20, "target"))
    assert [p.code for p in at_rough] == ["cell.target_approximate"], at_rough
    assert "左右" in at_rough[0].message and "确定的数值" in at_rough[0].message and "85" in at_rough[0].message
    assert "unit" not in at_rough[0].message_en.lower().split("(")[0]
    for i in (20, 9):
        assert not [p for p in problems if p.code == "cell.unit_conflict" and p.cell == row_cell("goal-table", i, "unit")[1]]
    from xlgoals import read
    assert read(path).document["indicators"][9]["unit"] == "元"


# 6. a monitoring report's choices pasted: 其它 for 其他, a trailing full stop ----------------------------------------
def test_choice_parser_reads_qita_and_trailing_punctuation():
    from xlgoals._form._kinds import KINDS, Unreadable

    assert KINDS["deviation_category"].parse("其它") == "other"
    assert KINDS["deviation_category"].parse("经费保障；") == "funding"
    assert KINDS["likelihood"].parse("有可能。") == "possible"
    assert KINDS["likelihood"].parse("确定能. ") == "certain"
    for wrong in ("可能", "其它原因", "。"):
        with pytest.raises(Unreadable):
            KINDS["likelihood" if wrong != "其它原因" else "deviation_category"].parse(wrong)


def test_monitoring_choices_pasted_read_as_the_lists_values(tmp_path):
    def checked(name, category, likelihood):
        path = edited_return(tmp_path, "monitoring", {(23, "deviation_category"): category, (22, "likelihood"): likelihood},
                             name=name)
        return validate_file(path)

    typed = checked("typed.xlsx", "其他", "有可能")
    pasted = checked("pasted.xlsx", "其它", "有可能。")
    assert [(p.code, p.cell) for p in pasted.problems] == [(p.code, p.cell) for p in typed.problems]
    assert not [p for p in pasted.problems if p.code == "cell.choice"]
    from xlgoals import read
    inds = read(tmp_path / "pasted.xlsx").document["indicators"]
    assert (inds[23]["deviation_category"], inds[22]["likelihood"]) == ("other", "possible")


# 1. a 合计 row below the indicators, in a framework with 分值 -------------------------------------------------------
def _weighted(tmp_path, weights=(10, 15, 15, 10, 20, 10, 10)):
    import json

    from xlgoals import fill

    from .conftest import EXAMPLES

    goal = json.loads((EXAMPLES / "national-2021" / "目标表.json").read_text(encoding="utf-8"))
    for ind, w in zip(goal["indicators"], weights, strict=True):
        ind["weight"] = w
    return fill(goal, tmp_path / "目标表.xlsx")


def _typed_row(path, out, row_at: int, values: dict):
    """`path` with row `row_at` (0-based item index, as ``row_cell`` counts) given {column key: value}."""
    import openpyxl

    from xlgoals import FORMS
    from xlgoals._frameworks import load_framework

    wb = openpyxl.load_workbook(path)
    form = FORMS["goal-table"]
    fw = load_framework("national-2021")
    ws = wb[form.table.name]
    for key, value in values.items():
        c = ws.cell(form.table.first_row + row_at + 1, form.column(key, fw).index + 1)
        c.value = value
    wb.save(out)
    return out


@pytest.mark.parametrize("word, at", [("合计", "name"), ("总计", "name"), ("小 计", "name"), ("合计：", "level1")])
def test_a_total_row_is_said_to_be_one_not_read_as_an_indicator(tmp_path, word, at):
    from xlgoals import FORMS, read
    from xlgoals._form import a1
    from xlgoals._frameworks import load_framework

    plain = _weighted(tmp_path)
    before = validate_file(plain).problems
    n = len(read(plain).document["indicators"])
    path = _typed_row(plain, tmp_path / "合计.xlsx", n, {at: word, "weight": 90})
    report = validate_file(path)
    assert len(read(path).document["indicators"]) == n
    form, fw = FORMS["goal-table"], load_framework("national-2021")
    cell = a1(form.table.first_row + n, form.column(at, fw).index)
    new = [p for p in report.problems if (p.code, p.cell) not in {(q.code, q.cell) for q in before}]
    assert [(p.code, p.cell, p.severity) for p in new] == [("cell.total_row", cell, "warning")], new
    msg = new[0].message
    assert word in msg and "合计行" in msg and "删除" in msg and "分值" in msg, msg
    assert str(form.table.first_row + n + 1) in msg


def test_a_row_named_total_with_an_indicators_cells_is_still_an_indicator(tmp_path):
    """合计 as the name of a row that holds a category and a target is an indicator (oddly named): read as one."""
    from xlgoals import read

    plain = _weighted(tmp_path, (10, 15, 15, 10, 20, 10, 5))
    n = len(read(plain).document["indicators"])
    path = _typed_row(plain, tmp_path / "r.xlsx", n, {"level1": "产出指标", "name": "合计", "comparator": "≥",
                                                       "target": "5", "unit": "个", "weight": 5})
    assert len(read(path).document["indicators"]) == n + 1
    assert "cell.total_row" not in {p.code for p in validate_file(path).problems}


# 9. a field of the information sheet hidden under a merge -----------------------------------------------------------
def _merged_on(src, out, sheet: str, *refs: str):
    """`src` with the range `ref` merged on `sheet`, the cells it covers keeping their values (as LibreOffice and
    Excel keep them when told to: out of sight, in the file)."""
    import re
    import zipfile

    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="(rId\d+)"', book)[1]
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rid}"', rels)
    name = "xl/" + target[1]
    xml = parts[name].decode()
    added = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
    if "<mergeCells" in xml:
        xml = re.sub(r'<mergeCells count="(\d+)">', lambda m: f'<mergeCells count="{int(m[1]) + len(refs)}">{added}',
                     xml, count=1)
    else:
        xml = xml.replace("</sheetData>", f'</sheetData><mergeCells count="{len(refs)}">{added}</mergeCells>', 1)
    parts[name] = xml.encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return out


def test_a_field_hidden_under_a_merge_is_warned_at_its_cell(tmp_path):
    from xlgoals import FORMS, read

    from .helpers import example_return

    form = FORMS["goal-table"]
    over, under = form.field("/project/overview"), form.field("/project/basis")
    from xlgoals._form import a1

    src = example_return("goal-table")
    path = _merged_on(src, tmp_path / "merged.xlsx", form.info.name, f"{a1(over.row, over.col)}:{a1(under.row, under.col)}")
    before = {(p.code, p.cell) for p in validate_file(src).problems}
    new = [p for p in validate_file(path).problems if (p.code, p.cell) not in before]
    assert [(p.code, p.sheet, p.cell, p.severity) for p in new] == \
        [("cell.merged_hidden", form.info.name, a1(under.row, under.col), "warning")], new
    assert "立项依据" in new[0].message and "项目概况" in new[0].message and "取消合并" in new[0].message
    assert read(path).document["project"]["basis"] == read(src).document["project"]["basis"]  # read, as before


def test_the_templates_own_merges_hide_no_field(tmp_path):
    from .helpers import example_return

    for form_id in ("goal-table", "self-evaluation", "monitoring"):
        assert "cell.merged_hidden" not in {p.code for p in validate_file(example_return(form_id)).problems}


# 2. one indicator split over two rows by a Word-table paste ----------------------------------------------------------
def _split_paste(tmp_path, second=("（含线上培训）",), name="split.xlsx",
                 keys="seq level1 level2 comparator target unit", seq_below=True):
    """The example return with indicator 28 pasted from Word: its 三级 in two (or more) rows, `second` below the first,
    every other cell (序号 too) merged over the rows (Excel's paste of a Word table); `seq_below` False: the rows
    below with their template 序号 cleared."""
    from xlgoals import FORMS
    from xlgoals._form import a1

    form = FORMS["goal-table"]
    first = {"level1": "产出目标", "level2": "数量", "name": "职业技能培训", "comparator": "≥", "target": "1000",
             "unit": "人次"}
    edits = {(27, k): v for k, v in first.items()}
    edits.update({(28 + k, "name"): v for k, v in enumerate(second)})
    if not seq_below:
        edits.update({(28 + k, "seq"): None for k in range(len(second))})
    plain = edited_return(tmp_path, "goal-table", edits, name="plain-" + name)
    r = form.table.first_row + 27
    refs = [f"{a1(r, form.column(k).index)}:{a1(r + len(second), form.column(k).index)}" for k in keys.split()]
    return _merged_on(plain, tmp_path / name, form.table.name, *refs)


@pytest.mark.parametrize("second, keys, seq_below", [
    (("（含线上培训）",), "seq level1 level2 comparator target unit", True),
    (("（含线上", "培训）"), "seq level1 level2 comparator target unit", True),
    (("（含线上培训）",), "level1 level2 comparator target unit", False)])
def test_one_indicator_split_over_rows_by_a_paste_is_read_as_one_and_said(tmp_path, second, keys, seq_below):
    from xlgoals import read

    from .helpers import example_return

    path = _split_paste(tmp_path, second, keys=keys, seq_below=seq_below)
    inds = read(path).document["indicators"]
    assert len(inds) == 28
    assert {k: inds[27].get(k) for k in ("name", "comparator", "value", "unit")} == \
        {"name": "职业技能培训（含线上培训）", "comparator": ">=", "value": 1000, "unit": "人次"}
    before = {(p.code, p.cell) for p in validate_file(example_return("goal-table")).problems}
    new = [p for p in validate_file(path).problems if (p.code, p.cell) not in before]
    sheet, cell = row_cell("goal-table", 28, "name")
    assert [(p.code, p.sheet, p.cell, p.severity) for p in new] == [("cell.split_row", sheet, cell, "warning")], new
    msg = new[0].message
    first_row = row_cell("goal-table", 27, "name")[1][1:]
    assert "职业技能培训（含线上培训）" in msg and f"第 {first_row} 行" in msg and "删除" in msg and "第28条指标" in msg, msg


def test_a_row_holding_its_own_target_is_no_continuation(tmp_path):
    """Only 一级 merged over two rows, the second row a name alone: not a paste of one indicator (its target is not
    shared): read as two rows, as before."""
    from xlgoals import read

    path = _split_paste(tmp_path, name="own.xlsx", keys="level1")
    assert len(read(path).document["indicators"]) == 29
    assert "cell.split_row" not in {p.code for p in validate_file(path).problems}
