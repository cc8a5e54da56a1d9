"""The review (审核) and validate telling the whole truth.

* A workbook stamped with a framework not loaded fails in the reader (``template.unknown``); ``validate --review``
  said ``not_reviewed`` with no reason.  Now ``review.framework_unknown`` at the stamp cell, in the terminal, the
  JSON, the CSV and consolidate's 审核 tables, as for a JSON document.
* 审核（按单位）: the bucket of files whose unit could not be told is not a name any unit can be shown under, and
  does not read as one: a unit named （无法识别申报单位） or (无法识别申报单位) is its own row, told apart at a glance.
* ``review.vague_target``: a vague word that is part of a project's name (完成道路提升改造: 提升改造 is a kind of
  work, not a target to improve) is passed over; 提升服务水平 as a target with no number is still noticed.
* ``self.score_missing`` on a quantitative and a qualitative row of a self-evaluation workbook.
* A monitoring report's 截至本期完成情况 / 全年预计完成情况 of 10000 on a ＝100 % row (a hundredfold slip) is a
  warning asking whether 100 was meant, as the self-evaluation's recomputed score says of its 实际完成值.
"""

from __future__ import annotations

import csv
import io
import json

import openpyxl
import pytest

from xlgoals import FORMS, consolidate, fill, validate, validate_document, validate_file

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import F, edited_return, row_cell


def _unknown_framework_return(tmp_path):
    """A return of a bureau's framework (demo-2025), to be read without the bureau's --frameworks folder."""
    from .test_frameworks import _demo_doc, _demo_spec

    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "demo-2025.json").write_text(json.dumps(_demo_spec(), ensure_ascii=False), encoding="utf-8")
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill(_demo_doc(), inbox / "r.xlsx", frameworks=folder)
    return inbox / "r.xlsx"


# 1. a workbook of a framework not loaded -------------------------------------------------------------------------
def test_a_workbook_of_a_framework_not_loaded_says_why_the_review_gives_no_score(tmp_path):
    path = _unknown_framework_return(tmp_path)
    report = validate_file(path, review=True)
    assert report.review_score is None
    codes = [(p.code, p.severity, p.sheet, p.cell) for p in report.problems]
    (unknown,) = [p for p in report.problems if p.code == "template.unknown"]
    assert codes == [("template.unknown", "error", unknown.sheet, unknown.cell),
                     ("review.framework_unknown", "notice", unknown.sheet, unknown.cell)], codes  # the stamp cell
    notice = report.problems[1]
    assert notice.value == "demo-2025" and "指标体系“demo-2025”未加载" in notice.message, notice.message
    assert "未评分" in notice.message and "请用 frameworks= 给出其文件夹" in notice.message, notice.message
    assert "not scored" in notice.message_en, notice.message_en
    # without --review nothing changes
    assert [p.code for p in validate_file(path).problems] == ["template.unknown"]
    data = json.loads(cli("validate", path, "--review", "--format", "json").output)
    assert data["files"][0]["review_unscored"] == "framework_unknown", data["files"][0]
    text = cli("validate", path, "--review").output
    assert "审核未评分（指标体系未加载）" in text and "1 个文件的指标体系未加载" in text, text
    assert "请用 --frameworks 给出其文件夹后再审核" in text, text
    english = cli("validate", path, "--review", "--lang", "en").output
    assert "not scored (framework not loaded)" in english, english
    rows = list(csv.DictReader(io.StringIO(cli("validate", path, "--review", "--format", "csv").output.lstrip("\ufeff"))))
    assert [r["code"] for r in rows if r["severity"] == "notice"] == ["review.framework_unknown"], rows
    # with the bureau's folder it is reviewed and scored
    assert validate_file(path, review=True, frameworks=tmp_path / "fw").review_score is not None


def test_an_unknown_form_version_is_not_called_a_framework_not_loaded(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    fill(doc, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    ws = wb[F.info.name]
    row, col = F.info.stamp_cell
    ws.cell(row + 1, col + 1).value = ws.cell(row + 1, col + 1).value.replace("goal-table|2", "goal-table|99")
    wb.save(tmp_path / "r.xlsx")
    report = validate_file(tmp_path / "r.xlsx", review=True)
    codes = [p.code for p in report.problems]
    assert codes and codes[0].startswith("template.") and "review.framework_unknown" not in codes, codes


def test_consolidate_review_tables_say_the_framework_was_not_loaded(tmp_path):
    path = _unknown_framework_return(tmp_path)
    fill(load(EXAMPLE_JSON[1]), path.parent / "ok.xlsx")
    consolidate([path.parent], tmp_path / "s.xlsx", review=True)
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    units = [r for r in wb["审核（按单位）"].iter_rows(values_only=True) if isinstance(r[0], int)]
    assert [r[5] for r in units if r[3] == 0] == ["指标体系未加载 1"], units
    notes = [r[0] for r in wb["审核（按单位）"].iter_rows(values_only=True) if isinstance(r[0], str)]
    assert any("未评分 1 个（指标体系未加载 1 个）" in n for n in notes), notes
    returns = [r for r in wb["审核"].iter_rows(values_only=True) if isinstance(r[0], int)]
    listed = [r for r in returns if r[3] is None]
    assert len(listed) == 1 and "review.framework_unknown" in (listed[0][5] or ""), returns


# 2. the unreadable units' bucket ---------------------------------------------------------------------------------
@pytest.mark.parametrize("named", ["（无法识别申报单位）", "(无法识别申报单位)"])
def test_the_unreadable_units_bucket_cannot_be_taken_for_a_unit(tmp_path, named):
    from xlgoals._consolidate._table import UNREADABLE_UNIT
    from xlgoals._text import canonical, name_key

    folder = tmp_path / "in"
    folder.mkdir()
    doc = load(EXAMPLE_JSON[1])
    fill({**doc, "unit": named}, folder / "a.xlsx")
    (folder / "c.xlsx").write_bytes(b"not a workbook")
    consolidate([folder], tmp_path / "s.xlsx", review=True)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["审核（按单位）"]
    rows = [r for r in ws.iter_rows(values_only=True) if isinstance(r[0], int)]
    names = [r[1] for r in rows]
    assert len(rows) == 2 and UNREADABLE_UNIT in names, rows
    unit = next(n for n in names if n != UNREADABLE_UNIT)
    assert name_key(unit) == name_key(named)
    # not a name a unit can be shown under, nor the same name in other brackets or spaces
    assert canonical(UNREADABLE_UNIT) != UNREADABLE_UNIT and name_key(UNREADABLE_UNIT) != name_key(named)
    assert next(r for r in rows if r[1] == UNREADABLE_UNIT)[2:6] == (1, 0, 1, "文件无法读取 1"), rows


# 3. vague words that are part of a name --------------------------------------------------------------------------
def _vague(doc, text):
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "调查有效性")
    doc["indicators"][i]["text"] = text
    return [p for p in validate_document(doc, review=True) if p.code == "review.vague_target"
            and p.path == f"/indicators/{i}/text"]


@pytest.mark.parametrize("text", ["完成道路提升改造", "完成道路提升改造工程", "按期完成老旧小区改善工程", "完成提升行动"])
def test_a_vague_word_in_a_projects_name_is_no_vague_target(doc, text):
    assert _vague(doc, text) == []


@pytest.mark.parametrize("text, word", [("提升服务水平", "提升"), ("完成道路提升改造，提升服务水平", "提升"),
                                        ("道路提升改造后通行明显改善", "改善")])
def test_a_vague_word_as_the_targets_verb_is_noticed(doc, text, word):
    (p,) = _vague(doc, text)
    assert f"含模糊用语“{word}”" in p.message, p.message


def test_the_words_that_make_a_name_are_data(doc, tmp_path):
    overlay = tmp_path / "审核.json"
    overlay.write_text(json.dumps({"checks": {"review_vague": {"name_words": []}}}), encoding="utf-8")
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "调查有效性")
    doc["indicators"][i]["text"] = "完成道路提升改造"
    found = [p for p in validate_document(doc, review=True, review_config=overlay)
             if p.code == "review.vague_target" and p.path == f"/indicators/{i}/text"]
    assert len(found) == 1


# 4. self.score_missing -------------------------------------------------------------------------------------------
def test_an_empty_score_is_said_at_its_cell_on_a_quantitative_and_a_qualitative_row(tmp_path):
    form = FORMS["self-evaluation"]
    quantitative, qualitative = 12, 17  # 耗材验收合格率 ＝100 %; 就业补贴及时性, 定性
    path = edited_return(tmp_path, "self-evaluation", {(quantitative, "score"): None, (qualitative, "score"): None})
    report = validate_file(path)
    found = [p for p in report.problems if p.code == "self.score_missing"]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [
        ("error", *row_cell("self-evaluation", quantitative, "score")),
        ("error", *row_cell("self-evaluation", qualitative, "score"))], found
    assert [p.message for p in found] == ["“第13条指标的得分”未填写", "“第18条指标的得分”未填写"]
    assert [p.message_en for p in found] == ["'indicator 13 score' is empty", "'indicator 18 score' is empty"]
    assert [p.field for p in found] == ["第13条指标的得分", "第18条指标的得分"]
    assert form.table.name == found[0].sheet
    assert report.errors
    # the other score checks say nothing more of these cells (one cause, one message)
    cells = {p.cell for p in found}
    assert [p.code for p in report.problems if p.cell in cells] == ["self.score_missing"] * 2, report.problems


# 5. a hundredfold slip on a monitoring report's percent row ------------------------------------------------------
@pytest.mark.parametrize("key", ["progress", "expected"])
def test_a_monitoring_value_a_hundredfold_its_percent_target_is_asked_about(tmp_path, key):
    row = 12  # 耗材验收合格率 ＝100 %
    path = edited_return(tmp_path, "monitoring", {(row, key): 10000})
    report = validate_file(path)
    found = [p for p in report.problems if p.code == "monitor.percent_hundredfold"]
    if key == "expected":  # 10000 expected on ＝100 % with no reason: an error asking whether 100 was meant, once
        assert found == [], found
        # (its 偏差原因类别 and its reason, both blank, each asked for at its cell since mendCL, each asking)
        on_row = [p for p in report.problems if p.path.startswith(f"/indicators/{row}/")]
        assert sorted(p.path.rpartition("/")[2] for p in on_row) == ["deviation", "deviation_category"], on_row
        for p in on_row:
            assert (p.code, p.severity) == ("monitor.expected_short", "error"), p
            assert "10000" in p.message and "＝100%" in p.message and "如应为 100" in p.message, p.message
        return
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("warning", *row_cell("monitoring", row, key))], \
        [(p.code, p.cell, p.message) for p in report.problems]
    (p,) = found
    assert "10000" in p.message and "＝100%" in p.message and "是否应为 100？" in p.message, p.message
    assert "should it be 100?" in p.message_en, p.message_en


@pytest.mark.parametrize("value", [100, 120, 0])
def test_a_plausible_monitoring_value_on_a_percent_row_is_no_slip(tmp_path, value):
    path = edited_return(tmp_path, "monitoring", {(12, "progress"): value})
    assert [p for p in validate_file(path).problems if p.code == "monitor.percent_hundredfold"] == []


def test_a_count_row_of_a_monitoring_report_is_not_held_to_percent():
    from xlgoals import read

    from .helpers import example_return

    doc = read(example_return("monitoring")).document
    doc["indicators"][12].update(unit="件", progress=10000)
    assert [p for p in validate_document(doc) if p.code == "monitor.percent_hundredfold"] == []
    doc["indicators"][12].update(unit="%")  # the same row in % is a slip (the check is the document's too)
    assert [p.path for p in validate_document(doc) if p.code == "monitor.percent_hundredfold"] == [
        "/indicators/12/progress"]


@pytest.mark.parametrize("target, progress, fires", [(1, 150, False), (0.5, 80, False), (9, 900, False),
                                                      (10, 1000, True), (10, 999, False), (85, 8500, True)])
def test_a_small_percent_target_is_not_held_to_a_hundredfold(target, progress, fires):
    """A "≥1 %" growth target with a real 150 % done was asked "是否应为 1.5？": for a target of a few percent any
    value above 100 was taken as a slip.  Below the rule's min_target (10, schema/rules.csv) the check says nothing;
    from it on, a hundredfold is asked about as before."""
    from xlgoals import read

    from .helpers import example_return

    doc = read(example_return("monitoring")).document
    doc["indicators"][12].update(unit="%", comparator=">=", value=target, progress=progress)
    found = [p for p in validate_document(doc) if p.code == "monitor.percent_hundredfold"]
    assert [p.path for p in found] == (["/indicators/12/progress"] if fires else []), [p.message for p in found]


def test_the_smallest_target_held_to_a_hundredfold_is_the_rules(tmp_path):
    """min_target is the rule table's: a bureau's table that lowers it to 1 asks about 150 on ≥1 % again."""
    from xlgoals import read

    from .helpers import bureau_rules, example_return, packaged_rule

    row = packaged_rule("monitor.percent_hundredfold", params=json.dumps(
        {"units": ["%"], "keys": ["progress", "expected"], "factor": 100, "min_target": 1}, ensure_ascii=False))
    rules = bureau_rules(tmp_path / "rules.csv", row)
    doc = read(example_return("monitoring")).document
    doc["indicators"][12].update(unit="%", comparator=">=", value=1, progress=150)
    found = [p for p in validate_document(doc, rules=rules) if p.code == "monitor.percent_hundredfold"]
    assert [p.path for p in found] == ["/indicators/12/progress"] and "是否应为 1.5？" in found[0].message


def test_a_percent_cell_shown_a_hundredfold_is_the_readers_one_warning(tmp_path):
    """100 typed into a percent cell (LibreOffice shows 10000 %): the reader's cell.percent_hundredfold says it,
    and the rules' warning of the same slip at the same cell is not said again (nor made an error by it)."""
    path = edited_return(tmp_path, "monitoring", {(12, "progress"): (100, "0%")})
    found = [(p.code, p.severity) for p in validate_file(path).problems if p.cell == row_cell("monitoring", 12,
                                                                                             "progress")[1]]
    assert found == [("cell.percent_hundredfold", "warning")], found
