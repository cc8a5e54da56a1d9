"""mendBE: the annotated copy keeps a department's own comment on a cell it marks and shows the marks hidden rows and
columns hid; its 问题清单 prints a header naming the return; the JSON/CSV reports name each file's copy; the CSV keeps
values a spreadsheet would convert as text; the summary prints a duplicate's path relative to the folder."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from openpyxl.comments import Comment

from .conftest import ROOT, cli, lo_printed
from .helpers import ooxml_errors

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def _annotated(tmp_path, edit, name="r.xlsx", out="ann"):
    wb = openpyxl.load_workbook(RECEIVED)
    edit(wb)
    src = tmp_path / name
    wb.save(src)
    r = cli("validate", str(src), "--annotate", str(tmp_path / out))
    assert r.exit_code == 1, r.output
    copy = tmp_path / out / f"{src.stem}_问题标注.xlsx"
    assert ooxml_errors(copy) == []
    return copy


def _own_note(wb):
    wb["项目信息"]["B10"].comment = Comment("单位说明：含上年结转 500 万元\n已报财务科", "张三")


def test_a_department_comment_on_a_marked_cell_is_kept_first_and_ours_added(tmp_path):
    copy = _annotated(tmp_path, _own_note)
    c = openpyxl.load_workbook(copy)["项目信息"]["B10"]
    assert c.fill.fgColor.rgb.endswith("FFC7CE")
    assert c.comment.author == "张三"
    assert c.comment.text.startswith("【单位批注（张三）】\n单位说明：含上年结转 500 万元\n已报财务科\n【审核标注（xlgoals）】\n[错误] ")
    assert "6280万元" in c.comment.text and c.comment.text.count("[错误]") == 1


def test_a_copy_marked_again_gives_the_department_comment_back_once(tmp_path):
    first = _annotated(tmp_path, _own_note)
    again = tmp_path / "again"
    r = cli("validate", str(first), "--annotate", str(again))
    assert r.exit_code == 1, r.output
    (second,) = again.glob("*.xlsx")
    text = openpyxl.load_workbook(second)["项目信息"]["B10"].comment.text
    assert text.count("【单位批注") == 1 and text.count("单位说明") == 1 and text.count("[错误]") == 1
    # the cell fixed in between: only the department's own comment is left, as it wrote it
    wb = openpyxl.load_workbook(second)
    wb["项目信息"]["B10"].value = 62800000
    wb.save(second)
    third = tmp_path / "third"
    cli("validate", str(second), "--annotate", str(third))
    (copy,) = third.glob("*.xlsx")
    c = openpyxl.load_workbook(copy)["项目信息"]["B10"]
    assert (c.comment.text, c.comment.author) == ("单位说明：含上年结转 500 万元\n已报财务科", "张三")


def _hide(wb):
    ws = wb["绩效指标"]
    ws.row_dimensions[16].hidden = True  # C16 holds rule.level2_mismatch
    # one <col min=7 max=9 hidden>: G holds text (cell.hidden_column at G3), H and I are empty, nothing to mark
    ws.column_dimensions.group("G", "I", hidden=True)


def test_a_mark_on_a_hidden_row_and_column_is_shown_and_says_so(tmp_path):
    copy = _annotated(tmp_path, _hide)
    ws = openpyxl.load_workbook(copy)["绩效指标"]
    assert not ws.row_dimensions[16].hidden
    assert "（本单元格所在的行原为隐藏，已在本副本中取消隐藏）" in ws["C16"].comment.text
    assert "（本单元格所在的列原为隐藏，已在本副本中取消隐藏）" in ws["G3"].comment.text
    hidden = {col for d in ws.column_dimensions.values() if d.hidden for col in range(d.min, d.max + 1)}
    assert hidden == {8, 9}  # G split off the group and shown; H and I hidden as the department left them
    assert ws.column_dimensions["G"].width == openpyxl.load_workbook(RECEIVED)["绩效指标"].column_dimensions["G"].width
    assert not ws.row_dimensions[15].hidden


def test_the_problem_list_prints_the_forms_header_naming_the_return_and_its_file(tmp_path):
    copy = _annotated(tmp_path, lambda wb: None, name="某局 & 某项目.xlsx")
    wb = openpyxl.load_workbook(copy)
    header = wb["问题清单"].oddHeader.center
    # the unit and the project as the return holds them (项目信息!B3, B4), then the file's name (& printed as &)
    assert header.text == "上海市就业促进中心　促进就业专项资金　文件：某局 && 某项目.xlsx"
    assert header.size == 9  # as the forms' header (PrintSetup.header: &C&9{names})
    assert wb["问题清单"].page_setup.orientation == "landscape"


def test_a_problem_list_header_cuts_a_long_name_as_the_forms_header_does(tmp_path):
    def long_name(wb):
        wb["项目信息"]["B4"].value = "甲" * 30 + "促进就业专项资金" + "乙" * 30
    copy = _annotated(tmp_path, long_name)
    text = openpyxl.load_workbook(copy)["问题清单"].oddHeader.center.text
    assert text == f"上海市就业促进中心　{'甲' * 17}…{'乙' * 18}　文件：r.xlsx"


def _two_departments(tmp_path):
    inbox = tmp_path / "收件箱"
    for d in ("甲", "乙"):
        (inbox / d).mkdir(parents=True)
        shutil.copy(RECEIVED, inbox / d / "绩效目标表.xlsx")  # fails
    shutil.copy(ROOT / "examples" / "returns" / "02_促进就业专项资金.xlsx", inbox / "通过.xlsx")  # passes
    return inbox


def test_the_json_report_gives_each_file_its_annotated_copy_without_the_review_too(tmp_path):
    import json

    inbox, out = _two_departments(tmp_path), tmp_path / "标注"
    r = cli("validate", inbox, "--annotate", out, "--format", "json", "--jobs", "1")
    data = json.loads(r.stdout)
    copies = {f["path"]: (f["annotated"], f["annotated_bytes"], f["annotated_error"]) for f in data["files"]}
    assert copies == {
        str(inbox / "乙" / "绩效目标表.xlsx"): (str(out / "乙_绩效目标表_问题标注.xlsx"),
                                           bytes(str(out / "乙_绩效目标表_问题标注.xlsx"), "utf-8").hex(), None),
        str(inbox / "甲" / "绩效目标表.xlsx"): (str(out / "甲_绩效目标表_问题标注.xlsx"),
                                           bytes(str(out / "甲_绩效目标表_问题标注.xlsx"), "utf-8").hex(), None),
        str(inbox / "通过.xlsx"): (None, None, None)}
    for path, (copy, _, _) in copies.items():  # each copy is the copy of its own file
        if copy:
            assert openpyxl.load_workbook(copy)["问题清单"].oddHeader.center.text.endswith("文件：绩效目标表.xlsx")
    assert data["summary"]["annotated"] == {"written": 2, "failed": 2, "passed_with_problems": 0, "not_written": 0}
    # without --annotate nothing changes
    plain = json.loads(cli("validate", inbox, "--format", "json", "--jobs", "1").stdout)
    assert "annotated" not in plain["summary"] and not any("annotated" in f for f in plain["files"])


def test_the_csv_report_gives_each_row_its_files_annotated_copy_in_a_last_column(tmp_path):
    import csv
    import io

    inbox, out = _two_departments(tmp_path), tmp_path / "标注"
    r = cli("validate", inbox, "--annotate", out, "--format", "csv", "--jobs", "1")
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows[0][-2:] == ["file_bytes", "annotated"]
    by_file = {}
    for row in rows[1:]:
        assert len(row) == len(rows[0])
        by_file.setdefault(row[0], set()).add(row[-1])
    assert by_file == {str(inbox / "乙" / "绩效目标表.xlsx"): {str(out / "乙_绩效目标表_问题标注.xlsx")},
                       str(inbox / "甲" / "绩效目标表.xlsx"): {str(out / "甲_绩效目标表_问题标注.xlsx")},
                       str(inbox / "通过.xlsx"): {""}}
    plain = cli("validate", inbox, "--format", "csv", "--jobs", "1").stdout
    assert plain.splitlines()[0].endswith(",file_bytes")


def test_a_csv_report_with_the_annotated_column_is_known_as_ours_and_replaced(tmp_path):
    inbox = _two_departments(tmp_path)
    report = tmp_path / "校验结果.csv"
    first = cli("validate", inbox, "--annotate", tmp_path / "a", "-o", report, "--jobs", "1")
    assert first.exit_code == 1 and report.read_bytes().decode("utf-8-sig").split("\r\n")[0].endswith(",annotated")
    again = cli("validate", inbox, "--annotate", tmp_path / "b", "-o", report, "--jobs", "1")  # no --force needed
    assert again.exit_code == 1, again.output
    assert str(tmp_path / "b" / "甲_绩效目标表_问题标注.xlsx") in report.read_text(encoding="utf-8-sig")


def _converted_values(tmp_path):
    """A return whose reported values a spreadsheet would turn into others (a date, a number losing digits), or that
    begin with ' themselves; its CSV report and its JSON report."""
    import json

    def values(wb):
        ws = wb["项目信息"]
        ws["B11"], ws["B12"], ws["B13"] = "5/21", "'5/21", "12345678901234567"
    wb = openpyxl.load_workbook(RECEIVED)
    values(wb)
    src = tmp_path / "r.xlsx"
    wb.save(src)
    csv_path = tmp_path / "校验结果.csv"
    assert cli("validate", src, "-o", csv_path).exit_code == 1
    data = json.loads(cli("validate", src, "--format", "json").stdout)
    return csv_path, data["files"][0]["problems"]


def test_csv_values_a_spreadsheet_would_convert_get_one_quote_and_read_back_exact(tmp_path):
    import pandas as pd

    import xlgoals

    csv_path, problems = _converted_values(tmp_path)
    df = pd.read_csv(csv_path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_cell = dict(zip(df["cell"], df["value"]))
    assert (by_cell["B11"], by_cell["B12"], by_cell["B13"]) == ("'5/21", "''5/21", "'12345678901234567")
    assert by_cell["B10"] == "6280万元"  # a text no spreadsheet converts is as it is
    # the README's recipe: xlgoals.csv_text takes the one ' off, and the CSV is the JSON report's text
    exact = df.map(xlgoals.csv_text)
    for col in ("code", "sheet", "cell", "field", "value", "expected", "message", "path"):
        assert list(exact[col]) == [p[col] or "" for p in problems], col


def test_libreoffice_opens_the_csv_values_as_text_not_a_date(tmp_path, lo_convert):
    csv_path, _ = _converted_values(tmp_path)
    # as LibreOffice's import dialog opens it, UTF-8 (its default guess here takes the file for Latin-1)
    (opened,) = lo_convert(csv_path, fmt="xlsx", infilter="Text - txt - csv (StarCalc):44,34,76,1")
    ws = openpyxl.load_workbook(opened).active
    heads = [c.value for c in ws[1]]
    rows = {r[heads.index("cell")]: r[heads.index("value")] for r in ws.iter_rows(min_row=2, values_only=True)}
    assert (rows["B10"], rows["B11"], rows["B12"], rows["B13"]) == ("6280万元", "'5/21", "''5/21", "'12345678901234567"), rows


def test_csv_text_gives_back_every_text_as_text_a_quote_begins_too():
    from xlgoals import csv_text
    from xlgoals._check._report import as_text

    texts = ["5/21", "'5/21", "''5/21", "001", "-5", "0.5", "=1", "'=1", "'实训学员满意度' is a satisfaction indicator",
             "合格", "10:30", "12345678901234567", "123456789012345", "5月21日", "'", "''", "", "-2+3", "(5)", "≥85%"]
    written = [as_text(t) for t in texts]
    assert [csv_text(w) for w in written] == texts
    assert written[:4] == ["'5/21", "''5/21", "'" * 3 + "5/21", "'001"]
    assert written[4:6] == ["-5", "0.5"] and written[8] == texts[8]  # an English message quoting a name: as it is


def _monitoring_summary(tmp_path):
    inbox = tmp_path / "收件箱"
    shutil.copytree(ROOT / "examples" / "monitoring", inbox)  # 5 workbooks and the 5 JSON documents read from them
    out = tmp_path / "汇总.xlsx"
    r = cli("consolidate", inbox, "-o", out)
    assert r.exit_code == 0, r.output
    return out


def test_a_duplicates_note_names_the_kept_file_from_their_folder_not_the_bureaus_whole_path(tmp_path):
    out = _monitoring_summary(tmp_path)
    ws = openpyxl.load_workbook(out)["项目进度"]
    heads = [c.value for c in ws[1]]
    notes = [r[heads.index("说明")] for r in ws.iter_rows(min_row=2, values_only=True) if r[heads.index("说明")]]
    assert "重复申报，以 05_促进就业专项业务费.xlsx 为准，JSON 文档与工作簿读出的内容相同（同一份申报）" in notes, notes
    assert len(notes) == 5 and not any(str(tmp_path) in n for n in notes), notes
    # the whole path is still in the row, in the 文件路径 column that does not print
    assert any(str(tmp_path) in (r[heads.index("文件路径")] or "") for r in ws.iter_rows(min_row=2, values_only=True))


def test_a_duplicate_in_another_folder_is_named_from_the_folder_both_share(tmp_path):
    inbox = tmp_path / "收件箱"
    for d in ("甲", "乙"):
        (inbox / d).mkdir(parents=True)
        shutil.copy(ROOT / "examples" / "returns" / "02_促进就业专项资金.xlsx", inbox / d / "绩效目标表.xlsx")
    out = tmp_path / "汇总.xlsx"
    assert cli("consolidate", inbox, "-o", out).exit_code == 0
    ws = openpyxl.load_workbook(out)["项目清单"]
    heads = [c.value for c in ws[1]]
    (note,) = [r[heads.index("说明")] for r in ws.iter_rows(min_row=2, values_only=True) if r[heads.index("说明")]]
    assert note in ("重复申报，以 甲/绩效目标表.xlsx 为准，两份文件完全相同", "重复申报，以 乙/绩效目标表.xlsx 为准，两份文件完全相同"), note


@pytest.mark.soffice
def test_the_printed_project_progress_of_ten_rows_takes_four_pages_and_prints_no_path(tmp_path, soffice):
    """Two landscape pages across (as designed), ten rows down on one more pair: 4 pages, not 6 (说明 wrapped the
    bureau's absolute paths over ten lines in a column 12 wide)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = _monitoring_summary(tmp_path)
    printed, _ = lo_printed([out], tmp_path / "pdf")[out]
    pages = {w.page for w in printed.words if "报告月" in w.text or "全年预计执行数" in w.text}  # its two headings
    assert len(pages) == 4, sorted(pages)
    assert not any(str(tmp_path) in "".join(w.text for w in printed.words if w.page == n) for n in pages)
    assert printed.off_page() == []


def test_libreoffice_shows_the_one_comment_holding_both(tmp_path, lo_convert):
    """The comment as LibreOffice reads it (and saves it again): both parts, the department's first."""
    copy = _annotated(tmp_path, _own_note)
    (saved,) = lo_convert(copy, fmt="xlsx")
    text = openpyxl.load_workbook(saved)["项目信息"]["B10"].comment.text
    assert text.index("单位说明：含上年结转 500 万元") < text.index("【审核标注（xlgoals）】") < text.index("6280万元"), text


def test_a_control_character_in_the_project_name_is_shown_escaped_in_the_problem_lists_header(tmp_path):
    from .test_silent4 import _locked_esc

    path, *_ = _locked_esc(tmp_path, "monitoring", "header")  # 项目名称 typed over as 促进<ESC>就业专项资金
    notes = tmp_path / "notes"
    cli("validate", path, "--annotate", notes)
    (copy,) = notes.glob("*.xlsx")  # the copy is made (an ESC raw in the header: no copy at all)
    header = openpyxl.load_workbook(copy)["问题清单"].oddHeader.center.text
    assert header == "上海市就业促进中心　促进\\u001b就业专项资金　文件：esc.xlsx", header
    assert ooxml_errors(copy) == []
