"""Indicator rows as a department meets them through the year: the 序号 messages name a row by, the order of
the 序号, the 指标编号 a goal table gives its rows (workbook or JSON), and last year's returns."""

import csv
import io
import json

import openpyxl
import pytest

from xlgoals import fill, validate, validate_document, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import F, edited, ind_cell, ooxml_errors

_ROW_KEYS = ("level1", "level2", "name", "comparator", "value", "unit")


def _with_blank_row(tmp_path, doc, blank: int, edits: dict | None = None):
    """The goal table of `doc` filled, its row `blank` (0-based) emptied as a clerk leaves a row blank, and
    `edits` made; the rows below keep the 序号 printed on them."""
    src = fill(doc, tmp_path / "filled.xlsx", force=True)  # made again in a test
    changes = {ind_cell(blank, key): None for key in _ROW_KEYS}
    changes.update(edits or {})
    return edited(src, tmp_path / "甲_项目.xlsx", changes)


def _seq_at(path, index_on_sheet: int) -> int:
    ws = openpyxl.load_workbook(path)[F.table.name]
    return ws[a1(F.table.first_row + index_on_sheet, F.column("seq").index)].value


def test_messages_name_an_indicator_by_the_seq_its_row_prints(tmp_path):
    """Row 3 left blank: the rule problems of the rows below named them by rows read (“第4条指标” on the row
    printed 5), so the clerk looked at the wrong row; now by the printed 序号, in every output."""
    doc = load(EXAMPLE_JSON[1])
    fourth = doc["indicators"][3]["name"]
    path = _with_blank_row(tmp_path, doc, 2, {ind_cell(4, "name"): fourth,  # the same name as the row printed 4
                                              ind_cell(5, "level2"): "满意度"})  # not of its 一级
    assert _seq_at(path, 4) == 5 and _seq_at(path, 5) == 6
    report = validate([path]).files[0]
    dup = next(p for p in report.problems if p.code == "rule.duplicate_name")
    assert dup.cell == ind_cell(4, "name")[1]
    assert dup.field.startswith("第5条指标") and "另见 第4条指标" in dup.message
    assert dup.field_title("en").startswith("indicator 5") and "also at indicator 4" in dup.message_en
    mismatch = next(p for p in report.problems if p.code == "rule.level2_mismatch")
    assert mismatch.field.startswith("第6条指标") and mismatch.field_title("en").startswith("indicator 6")

    as_json = json.loads(cli("validate", path, "--format", "json", "--lang", "en").output)
    fields = {p["code"]: p["field"] for p in as_json["files"][0]["problems"]}
    assert fields["rule.level2_mismatch"].startswith("indicator 6")
    rows = list(csv.DictReader(io.StringIO(cli("validate", path, "--format", "csv").output.lstrip("\ufeff"))))
    assert next(r for r in rows if r["code"] == "rule.level2_mismatch")["field"].startswith("第6条指标")
    assert "另见 第4条指标" in cli("validate", path).output
    assert "also at indicator 4" in cli("validate", path, "--lang", "en").output
    out = tmp_path / "annotated"
    cli("validate", path, "--annotate", out)
    wb = openpyxl.load_workbook(next(out.iterdir()))
    listing = [[c.value for c in row] for row in wb["问题清单"].iter_rows(min_row=2)]
    assert next(r for r in listing if r[8] == "rule.level2_mismatch")[4].startswith("第6条指标")


def test_titles_kept_between_returns_never_name_one_return_by_anothers_seq(tmp_path):
    """Titles are memoised per form for speed; a return whose rows print their positions shares them, one whose
    rows print other numbers (a blank row above) does not: checked in one process, in either order, each names
    the same mistake by its own 序号, and a JSON document by position."""
    doc = load(EXAMPLE_JSON[1])
    shifted = _with_blank_row(tmp_path, doc, 2, {ind_cell(5, "level2"): "满意度"})
    plain_doc = load(EXAMPLE_JSON[1])
    plain_doc["indicators"][4]["level2"] = "满意度"  # read as the shifted one's mistake is: the fifth row read
    plain = fill(plain_doc, tmp_path / "plain.xlsx")

    def named(path):  # in this process (validate() checks each file in a child of its own)
        return next(p.field for p in validate_file(path).problems if p.code == "rule.level2_mismatch")

    for _ in range(2):
        assert named(plain).startswith("第5条指标")
        assert named(shifted).startswith("第6条指标")  # the fifth row read prints 6: the blank row keeps its 3
    by_position = next(p.field for p in validate_document(plain_doc) if p.code == "rule.level2_mismatch")
    assert by_position.startswith("第5条指标")


def test_a_row_without_a_printed_seq_is_named_by_its_sheet_row(tmp_path):
    """A row inserted by the department prints no 序号: it is named by the row number Excel shows, never by a
    number another row prints."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    path = edited(src, tmp_path / "甲.xlsx", {ind_cell(3, "seq"): None, ind_cell(3, "level2"): "满意度"})
    report = validate([path]).files[0]
    mismatch = next(p for p in report.problems if p.code == "rule.level2_mismatch")
    row = F.table.first_row + 3 + 1
    assert mismatch.field.startswith(f"第{row}行指标")
    assert mismatch.field_title("en").startswith(f"indicator (row {row})")


def _rows_range(first: int, last: int) -> str:
    """The table's rows `first`..`last` (0-based indicator rows), over all its columns, as A1."""
    cols = F.columns()
    return f"{a1(F.table.first_row + first, 0)}:{a1(F.table.first_row + last, max(c.index for c in cols))}"


def test_rows_sorted_through_libreoffice_warn_of_the_scrambled_seq(tmp_path, lo_edit):
    """A clerk turns the protection off and sorts the indicator rows by name (Data › Sort): the stamped paper
    prints 序号 3, 1, 2 … and the return passed without a word.  Now a warning at the first 序号 out of place,
    listing them as printed; its severity is the rule table's (cell.seq_order)."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    sheet = F.table.name
    name_col = F.column("name").index
    sorted_path = lo_edit(src, tmp_path / "sorted.xlsx", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": _rows_range(0, 5), "sort": name_col, "descending": True}])
    printed = [_seq_at(sorted_path, i) for i in range(6)]
    assert sorted(printed) == [1, 2, 3, 4, 5, 6] and printed != [1, 2, 3, 4, 5, 6]  # LibreOffice sorted them
    report = validate([sorted_path]).files[0]
    found = [p for p in report.problems if p.code == "cell.seq_order"]
    assert len(found) == 1 and found[0].severity == "warning"
    first_late = next(i for i in range(1, 6) if printed[i] < max(printed[:i]))
    assert (found[0].sheet, found[0].cell) == (sheet, a1(F.table.first_row + first_late, F.column("seq").index))
    assert "、".join(map(str, printed)) in found[0].message and "未按顺序" in found[0].message
    assert "out of order" in found[0].message_en and ", ".join(map(str, printed)) in found[0].message_en
    # the same return untouched, and one with a row left blank (a number skipped), say nothing of it
    assert not [p for p in validate([src]).files[0].problems if p.code == "cell.seq_order"]
    blank = _with_blank_row(tmp_path, doc, 2)
    assert not [p for p in validate([blank]).files[0].problems if p.code == "cell.seq_order"]


def test_a_seq_printed_twice_is_named(tmp_path):
    """A row copied over another (the sheet unprotected) prints its 序号 twice."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    path = edited(src, tmp_path / "copied.xlsx", {ind_cell(4, "seq"): 4})
    found = [p for p in validate([path]).files[0].problems if p.code == "cell.seq_order"]
    assert len(found) == 1 and "序号 4 重复出现" in found[0].message and "4 printed twice" in found[0].message_en
    assert found[0].cell == ind_cell(4, "seq")[1]


def test_a_bureau_sets_the_seq_order_severity(tmp_path):
    from .helpers import bureau_rules, packaged_rule

    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    path = edited(src, tmp_path / "copied.xlsx", {ind_cell(4, "seq"): 2})
    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("cell.seq_order", severity="error"))
    report = validate([path], rules=rules).files[0]
    assert [p.severity for p in report.problems if p.code == "cell.seq_order"] == ["error"] and not report.passes()


def _goal_tables_both_ways(tmp_path):
    """Goal table 02 with 指标编号 of its own (as a bureau's system exports it), as JSON and as the workbook
    filled from it (which keeps no ids); a self-evaluation template made from each."""
    from xlgoals._selfeval._targets import self_evaluation_templates

    doc = load(EXAMPLE_JSON[1])
    for i, ind in enumerate(doc["indicators"]):
        ind["id"] = f"P02-{i + 1:02d}"
    (tmp_path / "json").mkdir()
    (tmp_path / "xlsx").mkdir()
    (tmp_path / "json" / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    fill(doc, tmp_path / "xlsx" / "02.xlsx")
    made = {}
    for kind in ("json", "xlsx"):
        (made[kind],) = self_evaluation_templates([tmp_path / kind], tmp_path / f"from-{kind}").written
    return doc, made


def _said(report):
    return sorted((p.code, p.cell, p.message) for p in report.problems())


def test_a_goal_table_as_json_or_as_workbook_checks_a_self_evaluation_alike(tmp_path):
    """A goal table as JSON may give its indicators ids of its own (P02-01), the same one as a workbook keeps
    none (I001 by position).  A self-evaluation made from the one and checked with --targets against the other
    got “第1条指标的指标编号与批复的绩效目标表不一致：填写为“P02-01”，应为“I001”” on every row: 27 errors on
    a return nobody had changed.  Now the result is the same whichever file the goal table is given as."""
    doc, made = _goal_tables_both_ways(tmp_path)
    targets = {kind: tmp_path / kind for kind in ("json", "xlsx")}
    for kind, se in made.items():
        against_json, against_xlsx = (validate([se], targets=[targets[k]]) for k in ("json", "xlsx"))
        assert not [p for p in against_xlsx.problems() if p.code.startswith("self.target")]
        assert _said(against_json) == _said(against_xlsx), kind
    # a target typed over (protection off) is the same error whichever way the goal table is given
    from xlgoals import FORMS

    se_form = FORMS["self-evaluation"]
    cell = a1(se_form.table.first_row + 2, se_form.column("name").index)
    for kind, se in made.items():
        changed = edited(se, tmp_path / f"changed-{kind}.xlsx", {(se_form.table.name, cell): "改过的指标"})
        reports = [validate([changed], targets=[targets[k]]) for k in ("json", "xlsx")]
        errors = [[(p.code, p.cell, p.message) for p in r.problems() if p.code.startswith("self.target")]
                  for r in reports]
        assert errors[0] == errors[1] and len(errors[0]) == 1 and "改过的指标" in errors[0][0][2], errors


def test_a_row_deleted_from_a_return_made_from_the_workbook_is_found_by_the_json_ids(tmp_path):
    """The return made from the workbook (I001 …) with a row deleted despite protection, checked against the goal
    table as JSON (P02-01 …): I003 is the goal table's third row, so the deleted row is named once, not every
    row below it as changed."""
    from xlgoals import FORMS

    doc, made = _goal_tables_both_ways(tmp_path)
    se_form = FORMS["self-evaluation"]
    wb = openpyxl.load_workbook(made["xlsx"])
    wb[se_form.table.name].delete_rows(se_form.table.first_row + 1 + 4, 1)  # the fifth row
    wb.save(tmp_path / "deleted.xlsx")
    report = validate([tmp_path / "deleted.xlsx"], targets=[tmp_path / "json"])
    found = [p for p in report.problems() if p.code.startswith("self.target")]
    assert [p.code for p in found] == ["self.target_row_missing"], [(p.code, p.message) for p in found]
    assert "P02-05" in found[0].expected and doc["indicators"][4]["name"] in found[0].expected


def _last_year_and_one_renamed(tmp_path) -> tuple:
    """上年/prev.json, an example's return of last year; in 收到, this year's: 同名.xlsx under the same names and
    改名.xlsx with “（2021年）” added to the project's name.  (the document, the renamed one, their two files)"""
    doc = load(EXAMPLE_JSON[1])
    last = json.loads(json.dumps(doc))
    last["year"] = doc["year"] - 1
    (tmp_path / "上年").mkdir()
    (tmp_path / "上年" / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "收到").mkdir()
    same = fill(doc, tmp_path / "收到" / "同名.xlsx")
    renamed = json.loads(json.dumps(doc))
    renamed["project"]["name"] = doc["project"]["name"] + "（2021年）"
    return doc, renamed, same, fill(renamed, tmp_path / "收到" / "改名.xlsx")


def test_a_goal_table_with_no_return_last_year_is_told_so(tmp_path):
    """--review --previous: a project renamed since last year (or a new one) was compared with nothing, and
    nothing said so: the bureau could not tell the returns reviewed against last year from the others.  Now a
    notice at its project name (review.no_previous, weight 0: a new project loses no points), and the summary
    counts both, in the text and the JSON report."""
    from xlgoals import FORMS

    doc, renamed_doc, same, renamed = _last_year_and_one_renamed(tmp_path)
    report = validate([tmp_path / "收到"], review=True, previous=[tmp_path / "上年"])
    by_name = {f.path: f for f in report.files}
    assert not [p for p in by_name[str(same)].problems if p.code == "review.no_previous"]
    (notice,) = [p for p in by_name[str(renamed)].problems if p.code == "review.no_previous"]
    gt = FORMS["goal-table"]
    assert notice.severity == "notice"
    assert (notice.sheet, notice.cell) == (gt.field("/project/name").sheet, gt.field("/project/name").cell)
    assert renamed_doc["project"]["name"] in notice.message and doc["unit"] in notice.message
    assert "not compared with last year" in notice.message_en
    # last year's name is in this year's (a year added to it): named as near, with its file, never matched on
    assert f"名称相近的有：单位“{doc['unit']}”、项目“{doc['project']['name']}”" in notice.message and "prev.json" in notice.message
    plain = validate([tmp_path / "收到"], review=True)  # without --previous nothing is said of it
    assert not [p for p in plain.problems() if p.code == "review.no_previous"] and plain.previous_counts() is None
    assert {f.path: f.review_score for f in plain.files}[str(renamed)] == by_name[str(renamed)].review_score
    assert report.previous_counts() == (1, 1, 0)
    text = cli("validate", tmp_path / "收到", "--review", "--previous", tmp_path / "上年").output
    assert "与上年比较：1 个绩效目标表找到上年申报，1 个未找到" in text
    en = cli("validate", tmp_path / "收到", "--review", "--previous", tmp_path / "上年", "--lang", "en").output
    assert "Compared with last year: 1 goal table found last year's return, 1 goal table found none" in en
    summary = json.loads(cli("validate", tmp_path / "收到", "--review", "--previous", tmp_path / "上年",
                             "--format", "json").output)["summary"]
    assert (summary["previous_found"], summary["previous_missing"]) == (1, 1)
    assert "与上年比较" not in cli("validate", tmp_path / "收到", "--review").output


def test_consolidate_with_last_years_returns_counts_the_goal_tables_that_found_them(tmp_path):
    """`consolidate --review --previous` listed the review.no_previous notices, but only validate said how many goal
    tables found last year's return and how many did not.  Now consolidate says it too: on the terminal (zh, en)
    and under the 审核 sheet; without --previous it says nothing of last year."""
    _last_year_and_one_renamed(tmp_path)
    out = tmp_path / "汇总.xlsx"
    zh = cli("consolidate", tmp_path / "收到", "-o", out, "--review", "--previous", tmp_path / "上年")
    assert zh.exit_code == 0 and "与上年比较：1 个绩效目标表找到上年申报，1 个未找到" in zh.output, zh.output
    en = cli("consolidate", tmp_path / "收到", "-o", tmp_path / "en.xlsx", "--review", "--previous", tmp_path / "上年",
             "--lang", "en")
    assert "Compared with last year: 1 goal table found last year's return, 1 goal table found none" in en.output
    texts = [c.value for row in openpyxl.load_workbook(out)["审核"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("与上年比较：1 个绩效目标表找到上年申报，1 个未找到" in t for t in texts), texts
    ws = openpyxl.load_workbook(out)["审核"]
    note_row = next(c.row for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "与上年比较：" in c.value)
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last = area.split("!")[-1].replace("$", "").split(":")[-1]  # the paths are off the page, the note on it
    assert note_row == ws.max_row <= int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))  # below the rows, on the page
    assert ooxml_errors(out) == []
    plain = cli("consolidate", tmp_path / "收到", "-o", tmp_path / "plain.xlsx", "--review")
    assert "与上年比较" not in plain.output
    texts = [c.value for row in openpyxl.load_workbook(tmp_path / "plain.xlsx")["审核"].iter_rows() for c in row
             if isinstance(c.value, str)]
    assert not any("与上年比较：" in t for t in texts)


def test_a_row_inserted_and_typed_through_libreoffice_keeps_every_row_named_as_printed(tmp_path, lo_edit):
    """As the guide says, a clerk inserts a row (the protection on) and types an indicator into it: it prints no
    序号, and the rows below still print theirs.  The inserted row is named by its sheet row, the rows below by
    their 序号 (before, “第4条指标” was the inserted row, the row printed 4 was called 第5条); no warning of order."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    sheet, at = F.table.name, F.table.first_row + 3

    def cell(key, r):
        return a1(r, F.column(key).index)
    typed = {"level1": "产出目标", "level2": "满意度", "name": "新增的指标", "comparator": "≥", "target": "90",
             "unit": "%"}
    path = lo_edit(src, tmp_path / "inserted.xlsx", [
        {"sheet": sheet, "cell": cell("name", at), "insert_rows": 1},
        *({"sheet": sheet, "cell": cell(k, at), "input": v} for k, v in typed.items()),
        {"sheet": sheet, "cell": cell("name", at + 1), "input": doc["indicators"][1]["name"]}])  # printed 4
    assert [_seq_at(path, i) for i in range(5)] == [1, 2, 3, None, 4]
    problems = validate([path]).files[0].problems
    mismatch = next(p for p in problems if p.code == "rule.level2_mismatch")
    assert mismatch.cell == cell("level2", at) and mismatch.field.startswith(f"第{at + 1}行指标")
    dup = next(p for p in problems if p.code == "rule.duplicate_name")
    assert dup.cell == cell("name", at + 1) and dup.field.startswith("第4条指标") and "另见 第2条指标" in dup.message
    assert not [p for p in problems if p.code == "cell.seq_order"]


def test_this_years_returns_given_as_last_years_are_said_to_be(tmp_path):
    """`--previous 收到/` (this year's folder given by mistake): every goal table is told that only a return of
    its own year was found, not that none was."""
    doc = load(EXAMPLE_JSON[1])
    (tmp_path / "收到").mkdir()
    fill(doc, tmp_path / "收到" / "a.xlsx")
    report = validate([tmp_path / "收到"], review=True, previous=[tmp_path / "收到"])
    (notice,) = [p for p in report.problems() if p.code == "review.no_previous"]
    assert f"只找到 {doc['year']} 年的申报" in notice.message and f"only a return of {doc['year']}" in notice.message_en
    assert report.previous_counts() == (0, 1, 0)


def test_a_seq_filled_down_names_no_two_rows_alike(tmp_path, lo_edit):
    """The protection off, a clerk drags 序号 1 down over the rows below (LibreOffice's fill handle): every row
    prints 1, and each message said “第1条指标”.  A number printed twice names no row: those rows are named by
    their sheet rows, and the order warning says the number is printed more than once."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    sheet, seq = F.table.name, F.column("seq").index
    top, bottom = F.table.first_row, F.table.first_row + 4
    path = lo_edit(src, tmp_path / "filled-down.xlsx", [
        {"sheet": sheet, "unprotect": True},
        {"sheet": sheet, "cell": f"{a1(top, seq)}:{a1(bottom, seq)}", "fill_down": True},
        {"sheet": sheet, "cell": ind_cell(3, "level2")[1], "input": "满意度"}])
    assert [_seq_at(path, i) for i in range(6)] == [1, 1, 1, 1, 1, 6]
    problems = validate([path]).files[0].problems
    mismatch = next(p for p in problems if p.code == "rule.level2_mismatch")
    assert mismatch.field.startswith(f"第{F.table.first_row + 3 + 1}行指标"), mismatch.field
    (order,) = [p for p in problems if p.code == "cell.seq_order"]
    assert "序号 1 重复出现" in order.message


def test_a_self_evaluation_sorted_through_libreoffice_is_one_error_not_one_per_row(tmp_path, lo_edit):
    """The protection off, a clerk sorts the approved rows of a self-evaluation by name: each moved row was an
    error saying its locked values “与下发时不同” (they were not: they stood elsewhere).  Now one error, rows
    sorted or moved, naming them by their printed 序号; with --targets the goal table's comparison speaks."""
    from xlgoals import FORMS

    from .conftest import EXAMPLES

    se_form = FORMS["self-evaluation"]
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    last = max(c.index for c in se_form.columns())
    rng = f"{a1(se_form.table.first_row, 0)}:{a1(se_form.table.first_row + 5, last)}"
    path = lo_edit(src, tmp_path / "sorted.xlsx", [
        {"sheet": se_form.table.name, "unprotect": True},
        {"sheet": se_form.table.name, "cell": rng, "sort": se_form.column("name").index, "descending": True}])
    problems = validate([path]).files[0].problems
    assert not [p for p in problems if p.code == "template.locked_row_changed"]
    (moved,) = [p for p in problems if p.code == "template.locked_rows_moved"]
    ws = openpyxl.load_workbook(path)[se_form.table.name]
    printed = [ws.cell(se_form.table.first_row + 1 + i, se_form.column("seq").index + 1).value for i in range(6)]
    out_of_place = [n for i, n in enumerate(printed) if n != i + 1]
    assert moved.value == len(out_of_place) and moved.severity == "error"
    assert "、".join(f"第{n}条指标" for n in out_of_place) in moved.message and "排序或移动" in moved.message
    assert "sorted or moved" in moved.message_en
    with_targets = validate([path], targets=[EXAMPLES / "json"]).problems()
    assert not [p for p in with_targets if p.code.startswith("template.locked_row")]
    # with --targets: one error too (each moved row was a self.target_changed on its 指标编号), at the first
    # row out of place, naming the rows by their printed 序号
    assert not [p for p in with_targets if p.code == "self.target_changed"]
    (sorted_rows,) = [p for p in with_targets if p.code == "self.target_rows_moved"]
    first = next(i for i, n in enumerate(printed) if n != i + 1)
    assert (sorted_rows.sheet, sorted_rows.cell) == (se_form.table.name, a1(se_form.table.first_row + first,
                                                                             se_form.column("id").index))
    assert sorted_rows.severity == "error" and str(len(out_of_place)) in sorted_rows.message
    assert "、".join(f"第{n}条指标" for n in out_of_place) in sorted_rows.message and "顺序" in sorted_rows.message
    assert "order" in sorted_rows.message_en and f"indicator {out_of_place[0]}" in sorted_rows.message_en


def test_a_monitoring_report_is_checked_alike_against_the_goal_table_as_json_or_workbook(tmp_path):
    """As for the self-evaluation: a monitoring report made from the goal table as JSON (ids of its own) and
    checked against it as a workbook, or the other way round, gives what it gives against its own."""
    from xlgoals._monitor._targets import monitoring_templates

    doc = load(EXAMPLE_JSON[1])
    for i, ind in enumerate(doc["indicators"]):
        ind["id"] = f"P02-{i + 1:02d}"
    for kind in ("json", "xlsx"):
        (tmp_path / kind).mkdir()
    (tmp_path / "json" / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    fill(doc, tmp_path / "xlsx" / "02.xlsx")
    for kind in ("json", "xlsx"):
        (made,) = monitoring_templates([tmp_path / kind], tmp_path / f"from-{kind}", month=6).written
        reports = [validate([made], targets=[tmp_path / k]) for k in ("json", "xlsx")]
        assert not [p for r in reports for p in r.problems() if p.code.startswith("monitor.target")], kind
        assert _said(reports[0]) == _said(reports[1]), kind


def test_a_seq_typed_full_width_or_with_its_mark_is_read_as_its_number(tmp_path):
    """A clerk types the 序号 of an inserted row with a Chinese IME: ５, ５．, (5), （５）, ５、 were read as no number,
    so messages named the row by its sheet row (“第8行指标”) instead of the number printed on it."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    for i, typed in enumerate(("５", "５．", "(5)", "（５）", "５、", " 5. ")):
        path = edited(src, tmp_path / f"甲{i}.xlsx", {ind_cell(4, "seq"): typed, ind_cell(4, "level2"): "满意度"})
        mismatch = next(p for p in validate([path]).files[0].problems if p.code == "rule.level2_mismatch")
        assert mismatch.field.startswith("第5条指标"), (typed, mismatch.field)
    # text that is no number still names the row by its sheet row
    path = edited(src, tmp_path / "乙.xlsx", {ind_cell(4, "seq"): "五a", ind_cell(4, "level2"): "满意度"})
    mismatch = next(p for p in validate([path]).files[0].problems if p.code == "rule.level2_mismatch")
    assert mismatch.field.startswith(f"第{F.table.first_row + 4 + 1}行指标")


def _renamed(doc, name):
    out = json.loads(json.dumps(doc))
    out["project"]["name"] = name
    return out


def test_last_years_return_is_found_whatever_the_width_spaces_or_brackets_of_its_name(tmp_path):
    """Last year's goal table spelt the project “（一期）” with full-width brackets, this year's “ (一期)” or “【一期】”:
    --previous found no return of last year (review.no_previous) and compared nothing.  Names are matched with the
    obvious differences folded; a name changed in a character is still not guessed at, but the notice names the
    near one, and its file, for the bureau to compare by hand."""
    doc = load(EXAMPLE_JSON[1])
    base = doc["project"]["name"]
    last = _renamed(doc, f"{base}（一期）")
    last["year"] = doc["year"] - 1
    (tmp_path / "上年").mkdir()
    (tmp_path / "上年" / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "收到").mkdir()
    for i, name in enumerate((f"{base} (一期)", f"{base}【一期】", f"{base}［一期］")):
        fill(_renamed(doc, name), tmp_path / "收到" / f"{i}.xlsx")
    report = validate([tmp_path / "收到"], review=True, previous=[tmp_path / "上年"])
    assert not [p for p in report.problems() if p.code == "review.no_previous"]
    assert report.previous_counts() == (3, 0, 0)

    (tmp_path / "改名").mkdir()
    changed = f"{base[:-1]}费（一期）"  # its last character changed: another name
    fill(_renamed(doc, changed), tmp_path / "改名" / "a.xlsx")
    report = validate([tmp_path / "改名"], review=True, previous=[tmp_path / "上年"])
    (notice,) = [p for p in report.problems() if p.code == "review.no_previous"]
    assert changed in notice.message and f"“{base}（一期）”" in notice.message and "prev.json" in notice.message
    assert f"'{base}（一期）'" in notice.message_en and "similar" in notice.message_en


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_goal_table_whose_name_differs_in_width_or_brackets_is_matched_for_targets(tmp_path, form_id):
    """The goal table given with --targets spells the project “(一期)” where the return (made from its earlier
    copy) has “（一期）”: the digests differ, and unit + project were matched as typed, so the return was only
    “找不到对应的绩效目标表” and its targets went unchecked.  Now matched with the obvious differences folded (and
    the name not called changed); a name changed in a character is not matched, but the warning names the near
    goal table."""
    from xlgoals import monitoring_templates, self_evaluation_templates

    doc = load(EXAMPLE_JSON[1])
    base = doc["project"]["name"]
    (tmp_path / "issued").mkdir()
    (tmp_path / "issued" / "g.json").write_text(json.dumps(_renamed(doc, f"{base}（一期）"), ensure_ascii=False),
                                                encoding="utf-8")
    make = self_evaluation_templates if form_id == "self-evaluation" else \
        (lambda t, o: monitoring_templates(t, o, month=6))
    (made,) = make([tmp_path / "issued"], tmp_path / "made").written
    prefix = "self" if form_id == "self-evaluation" else "monitor"
    i = next(k for k, ind in enumerate(doc["indicators"]) if ind.get("comparator") == ">=" and ind["value"] < 99)
    for folder, name in (("half", f"{base} (一期)"), ("other", f"{base[:-1]}费（一期）")):
        (tmp_path / folder).mkdir()
        changed = _renamed(doc, name)
        changed["indicators"][i]["value"] += 1  # a target the return does not have: compared only when matched
        (tmp_path / folder / "g.json").write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    def found_in(folder):
        return [p for p in validate([made], targets=[tmp_path / folder]).problems()
                if p.code.startswith(prefix + ".target")]

    found = found_in("half")
    # (the return's locked cells as issued, its digest another: said made from another version of the approval,
    # naming the target that differs, since red team 31; the name, folded alike, is not among the differences)
    assert [p.code for p in found] == [f"{prefix}.targets_other_version"], [p.message for p in found]
    assert found[0].path == "/targets_sha256" and "1 处不同" in found[0].message, found[0].message
    assert f"第{i + 1}条指标的年度指标值" in found[0].message, found[0].message
    found = found_in("other")
    assert [p.code for p in found] == [f"{prefix}.targets_unmatched"]
    assert f"“{base[:-1]}费（一期）”" in found[0].message and doc["unit"] in found[0].message
    assert f"'{base[:-1]}费（一期）'" in found[0].message_en
