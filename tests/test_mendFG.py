"""mendFG: re-reading findings in reading and consolidate (mender FF3, session 31).

1. consolidate on an inbox with no return of a known form (empty, or only files that cannot be read) took the form
   for the goal table's, so the monitoring reports' 监控汇总.xlsx at ``-o`` was refused as "another form's summary"
   (exit 2, "确认要覆盖请加 --force", which would have written an empty goal-table summary over it): nothing tells the
   run's form, so nothing is refused: the empty summary keeps the form of the one at the output path (the run ends
   with the "no return found" note, exit 1, or names the file that cannot be read).
"""

from __future__ import annotations

import pytest

from .conftest import EXAMPLES, cli


# 1. An inbox with no return of a known form refuses no summary as another form's

@pytest.mark.parametrize("inbox_holds", ["nothing", "an unreadable file"])
def test_an_inbox_without_a_known_form_refuses_no_summary_of_another_form(tmp_path, inbox_holds):
    from xlgoals._consolidate import summary_form

    out, inbox = tmp_path / "监控汇总.xlsx", tmp_path / "收件箱"
    inbox.mkdir()
    r = cli("consolidate", EXAMPLES / "monitoring", "-o", out, "--jobs", "1")
    assert r.exit_code == 0 and summary_form(out) == "monitoring", r.output
    if inbox_holds != "nothing":
        (inbox / "单位A.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    r = cli("consolidate", inbox, "-o", out, "--jobs", "1")
    assert "另一种表单" not in r.output + r.stderr and "--force" not in r.output + r.stderr, (r.output, r.stderr)
    if inbox_holds == "nothing":  # the "no return found" note, exit 1
        assert r.exit_code == 1 and "注意：所给的路径中没有找到任何工作簿" in r.output + r.stderr, (r.output, r.stderr)
    else:  # the file that cannot be read is counted, as in any run
        assert r.exit_code == 0 and "未通过或无法读取 1 个" in r.output, (r.output, r.stderr)
    assert summary_form(out) == "monitoring"  # not an empty goal-table summary written over it


# 2. A JSON document's names chosen from a list are folded as the workbook's reader folds the cell (clean_listed)

def test_a_json_list_choice_with_a_pasted_zero_width_space_reads_as_the_workbook_cell(tmp_path):
    import json

    import xlgoals

    from .conftest import EXAMPLE_JSON

    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    first = doc["indicators"][0]
    level1, level2 = first["level1"], first["level2"]
    first["level1"], first["level2"] = level1 + "\u200b", "\ufeff" + level2  # pasted from a web page or WeChat
    path = tmp_path / "申报.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = xlgoals.validate([path])
    (result,) = report.files
    codes = {p.code for p in result.problems}
    assert not codes & {"rule.level1_unknown", "rule.level2_unknown"}, codes
    assert not result.errors, codes


# 3. A result's rough word typed full-width (7500＋ on a Chinese keyboard) is read as the half-width one

def _monitoring_progress(tmp_path, progress: str, name: str):
    """The example monitoring report with 国外展品's 1-N月完成情况 (指标监控!I14, a number indicator) typed `progress`,
    validated: its FileReport."""
    import openpyxl

    import xlgoals

    from .conftest import EXAMPLES

    wb = openpyxl.load_workbook(EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx")
    ws = wb["指标监控"]
    assert ws["E14"].value == "国外展品" and ws["I14"].value == 200
    ws["I14"] = progress
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    (result,) = xlgoals.validate([path]).files
    return result


def test_a_full_width_plus_after_a_progress_figure_reads_as_the_half_width_one(tmp_path):
    codes = {}
    for plus in ("+", "＋"):
        result = _monitoring_progress(tmp_path, f"200{plus}", f"监控{ord(plus)}")
        codes[plus] = sorted((p.code, p.cell) for p in result.problems)
    assert not any(code == "monitor.not_number" for code, _ in codes["＋"]), codes
    assert codes["＋"] == codes["+"] and codes["+"], codes


# 4. A result's 以上/以下 is said to set a bound, not to make a rough figure

@pytest.mark.parametrize("typed, zh, en", [("200以上", "表示下限", "a lower bound"),
                                           ("200以下", "表示上限", "an upper bound"),
                                           ("200余", "表示约数", "a rough figure")])
def test_a_result_with_more_or_less_is_said_to_set_a_bound(tmp_path, typed, zh, en):
    result = _monitoring_progress(tmp_path, typed, "监控")
    (said,) = [p for p in result.problems if p.code == "cell.actual_approximate"]
    word = typed[3:]
    assert f"其中“{word}”{zh}，已按数值 200 读取" in said.message, said.message
    assert f"'{typed}', {en} (" in said.message_en, said.message_en


# 5. A goal table corrected twice (O <- A <- B): O is told B is its latest correction through A, not that B marks it

def test_a_goal_table_corrected_twice_is_told_the_latest_correction_through_the_first(tmp_path):
    import shutil

    import openpyxl

    from .conftest import EXAMPLE_XLSX

    src = EXAMPLE_XLSX[0]  # passes with review notices: an annotated copy is written, and again of the copy

    def annotate_and_edit(path, into, f21):
        r = cli("validate", path, "--review", "--annotate", into)
        assert r.exit_code == 0, r.output
        (copy,) = into.glob("*.xlsx")
        wb = openpyxl.load_workbook(copy)
        wb["绩效指标"]["F21"] = f21  # the department's edit
        wb.save(copy)
        return copy

    first = annotate_and_edit(src, tmp_path / "退回1", "较好")
    second = annotate_and_edit(first, tmp_path / "退回2", "优秀")
    folder = tmp_path / "批复"
    folder.mkdir()
    for path, name in ((src, src.name), (first, "修改1.xlsx"), (second, "修改2.xlsx")):
        shutil.copy(path, folder / name)
    r = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "自评")
    assert r.exit_code == 0, r.output
    assert f"（来自 {folder / '修改2.xlsx'}）" in r.output, r.output
    assert (f"未使用：{folder / src.name}（单位修改后重新报送的问题标注副本 {folder / '修改2.xlsx'} 是本文件的最新修改"
            f"（经由 {folder / '修改1.xlsx'}：它标注的是 {folder / '修改1.xlsx'}），已改用该副本）") in r.output, r.output
    assert f"未使用：{folder / '修改1.xlsx'}（单位修改后重新报送的问题标注副本 {folder / '修改2.xlsx'} 标注的正是本文件" \
        in r.output, r.output


# 6. An unedited annotated copy named beside its original is the same return: nothing to move out

def test_an_unedited_copy_beside_its_original_is_said_to_be_the_same_return_with_nothing_to_move(tmp_path):
    import xlgoals

    from .conftest import EXAMPLE_XLSX

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    src = inbox / EXAMPLE_XLSX[0].name
    src.write_bytes(EXAMPLE_XLSX[0].read_bytes())
    r = cli("validate", src, "--review", "--annotate", inbox)  # the bureau's copies written into the inbox
    assert r.exit_code == 0, r.output
    report = xlgoals.validate(sorted(inbox.iterdir()), jobs=1)  # `xlgoals validate 收件箱/*`
    ((copy, (zh, en)),) = report.skipped_reasons.items()
    assert copy.endswith("_问题标注.xlsx") and [f.path for f in report.files] == [str(src)]
    assert f"其原文件 {src} 也在本次指定的文件中" in zh and "同一份申报" in zh and "无需移出" in zh, zh
    assert "移出后" not in zh and "move the original out" not in en, en
    assert "nothing to move" in en, en


# 8. A valid package whose workbook part has another name is said as not readable, not as damaged

def test_a_workbook_part_under_another_name_is_said_unreadable_not_damaged(tmp_path):
    from xlgoals import read

    from .test_mendFE import _renamed

    path = _renamed(tmp_path / "wb2.xlsx", {"xl/workbook.xml": "xl/workbook2.xml",
                                            "xl/_rels/workbook.xml.rels": "xl/_rels/workbook2.xml.rels"}, {
        "_rels/.rels": [(b'Target="xl/workbook.xml"', b'Target="xl/workbook2.xml"')],
        "[Content_Types].xml": [(b"/xl/workbook.xml", b"/xl/workbook2.xml")]})
    (p,) = read(path).problems
    assert p.code == "file.part_renamed", p.code
    assert "xl/workbook2.xml" in p.message and "无法读取" in p.message and "另存为 .xlsx" in p.message, p.message
    assert "损坏" not in p.message and "damaged" not in p.message_en, (p.message, p.message_en)
