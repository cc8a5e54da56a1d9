"""mendBM: consolidate's JSON counts the returns --targets matched to no goal table or to competing approvals; the
competing-approvals warning names only the approvals it lists; the annotated copy's 问题清单 says what the copy
unhid or widened, its print header escapes a literal ``_xHHHH_``; the text report counts the copies always."""
from __future__ import annotations

import json
import shutil

from xlgoals import validate

from .conftest import EXAMPLE_JSON, EXAMPLES, cli

NATIONAL = EXAMPLES / "national-2021"


def _competing_approvals(tmp_path):
    """批复/ holding goal table 01 as approved first and its revision (调整: one target changed), and goal table 02."""
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(EXAMPLE_JSON[0], folder / "01_原.json")
    shutil.copy(EXAMPLE_JSON[1], folder / "02.json")
    goal = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    row = next(i for i in goal["indicators"] if i.get("comparator") not in (None, "qualitative"))
    row["value"] = row["value"] * 2
    (folder / "01_调整.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    return folder


# 1 --------------------------------------------------------------------------------------------------------
def test_consolidate_json_counts_the_returns_matched_to_no_goal_table_and_to_competing_approvals(tmp_path):
    approvals = _competing_approvals(tmp_path)  # 01 approved twice, 02 once, 03-05 not filed
    returns = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))
    assert len(returns) == 5
    out = tmp_path / "c.json"
    result = cli("consolidate", *returns, "-o", tmp_path / "汇总.xlsx", "--json", out, "--targets", approvals)
    assert result.exit_code == 0, result.stderr
    counts = json.loads(out.read_text(encoding="utf-8"))["counts"]
    assert {k: counts[k] for k in ("targets_unmatched", "targets_unmatched_counted", "targets_competing",
                                   "targets_competing_counted")} == \
        {"targets_unmatched": 3, "targets_unmatched_counted": 3, "targets_competing": 1,
         "targets_competing_counted": 1}, counts
    # the keys there were stay, adding up as before
    assert counts["files"] == counts["counted"] + counts["failed_not_counted"] + counts["duplicates"] == 5
    # the terminal says the same figures
    assert "注意：3 个申报（其中 3 个计入合计）在 --targets 给出的绩效目标表中找不到对应的项目" in result.stderr, result.stderr
    assert "注意：1 个申报（其中 1 个计入合计）所属项目" in result.stderr, result.stderr
    # without --targets: nothing matched, nothing said to be unmatched
    plain = tmp_path / "p.json"
    assert cli("consolidate", *returns, "-o", tmp_path / "p.xlsx", "--json", plain).exit_code == 0
    assert not any(k.startswith("targets_") for k in json.loads(plain.read_text(encoding="utf-8"))["counts"])


def test_the_library_counts_say_the_targets_figures_as_targets_lines_do(tmp_path):
    from xlgoals import consolidate

    approvals = _competing_approvals(tmp_path)
    inbox = tmp_path / "收到"
    inbox.mkdir()
    for p in sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:3]:
        shutil.copy(p, inbox)
    result = consolidate([inbox], tmp_path / "汇总.xlsx", targets=[approvals], jobs=1)
    assert (result.counts["targets_unmatched"], result.counts["targets_competing"]) == (1, 1), result.counts
    assert len(result.targets_lines()) == 2


# 2 --------------------------------------------------------------------------------------------------------
def test_the_competing_warning_names_only_the_approvals_it_lists_not_a_json_twin(tmp_path):
    """Two approvals (原 as a JSON and the workbook filled from it, 调整 as a JSON); the return made from the
    workbook: compared with the approval its digest is one with, named as listed (the JSON, first), never the twin."""
    folder = tmp_path / "批复"
    folder.mkdir()
    shutil.copy(NATIONAL / "目标表.json", folder / "目标表.json")
    shutil.copy(NATIONAL / "目标表.xlsx", folder / "目标表.xlsx")  # the twin: listed after its JSON
    goal = json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))
    goal["indicators"][1]["value"] = 9999
    (folder / "目标表_调整.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    made = cli("template", "--form", "self-evaluation", "--targets", NATIONAL / "目标表.xlsx", "--out-dir",
               tmp_path / "下发")
    assert made.exit_code == 0, made.stderr
    (returned,) = (tmp_path / "下发").iterdir()  # its digest: the workbook's
    (found,) = [p for p in validate([returned], targets=[folder]).problems() if p.code == "self.targets_competing"]
    listed = [str(folder / "目标表.json"), str(folder / "目标表_调整.json")]
    assert found.expected == "、".join(listed), found.expected
    assert found.value == listed[0], found.value
    assert "目标表.xlsx" not in found.message and "目标表.xlsx" not in found.message_en, found.message
    assert f"本表按 {listed[0]} 核对" in found.message, found.message


# 4 --------------------------------------------------------------------------------------------------------
RECEIVED = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def test_the_text_report_counts_the_annotated_copies_without_the_review_too(tmp_path):
    passing = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    result = cli("validate", RECEIVED, passing, "--annotate", tmp_path / "标注")
    assert result.exit_code == 1, result.output
    assert "标注副本：已生成 1 个，均为未通过的文件。" in result.stdout, result.stdout
    en = cli("validate", RECEIVED, passing, "--annotate", tmp_path / "en", "--lang", "en")
    assert "Annotated copies: 1 written, of files that fail." in en.stdout, en.stdout
    # with the review, as before: why each copy was made
    reviewed = cli("validate", RECEIVED, "--annotate", tmp_path / "r", "--review")
    assert "标注副本：已生成 1 个（未通过的文件 1 个；通过但有审核提示或警告的文件 0 个，供退回单位参考）。" in reviewed.stdout
    # no copy to make: no line
    quiet = cli("validate", passing, "--annotate", tmp_path / "q")
    assert quiet.exit_code == 0 and "标注副本" not in quiet.stdout, quiet.stdout


# 3 --------------------------------------------------------------------------------------------------------
from .test_mendBE import _annotated  # noqa: E402  (the same received return, edited, annotated, checked)


def _notes(ws) -> list[str]:
    """The 问题清单's lines below its problems (column A, after the first blank row)."""
    values = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    return [v for v in values[values.index(None) + 1:] if v] if None in values else []


def _hide_and_narrow(wb):
    ws = wb["绩效指标"]
    ws.row_dimensions[16].hidden = True  # C16 holds rule.level2_mismatch
    ws.column_dimensions.group("G", "I", hidden=True)  # G3: cell.hidden_column
    # one <col min=2 max=3>: B and C, C16 marked; too narrow to see into, wide enough not to be read as hidden
    # (LEGIBLE_WIDTH: cell.hidden_column, a mark of its own in B3)
    ws.column_dimensions["B"].width = 1.5
    ws.sheet_state = "hidden"
    wb["项目信息"].column_dimensions["B"].width = 2  # B10 holds cell.amount_wan


def test_the_problem_list_says_what_the_copy_unhid_and_widened(tmp_path):
    import openpyxl

    copy = _annotated(tmp_path, _hide_and_narrow)
    wb = openpyxl.load_workbook(copy)
    notes = _notes(wb["问题清单"])
    assert notes == [
        "本副本与原文件的不同之处：为使标注的单元格可见，以下隐藏或过窄的行、列和工作表已在本副本中取消隐藏或加宽（原文件未改动）：",
        "工作表“项目信息”：B 列原来过窄（列宽 2），已加宽",
        "工作表“绩效指标”：工作表原为隐藏，已取消隐藏；第 16 行原为隐藏，已取消隐藏；G 列原为隐藏，已取消隐藏；"
        "B 列原来过窄（列宽 1.5），已加宽；C 列原来过窄（列宽 1.5），已加宽",
    ], notes
    # and done: the marked columns wide enough to see, the others as the department left them
    info, table = wb["项目信息"], wb["绩效指标"]
    assert info.column_dimensions["B"].width >= 10
    assert table.sheet_state == "visible" and not table.row_dimensions[16].hidden
    widths = {col: d.width for d in table.column_dimensions.values() for col in range(d.min, d.max + 1)}
    # B marked too since mendCC: its texts (投入与管理) wrap to several lines in 1.5 characters and print cut in
    # their rows of 18 pt (cell.row_too_short); H and I, unmarked, stay hidden as the department left them
    assert widths[3] >= 10 and widths[2] >= 10, widths
    assert "（本单元格所在的列原来过窄，已在本副本中加宽）" in table["B4"].comment.text
    hidden = {col for d in table.column_dimensions.values() if d.hidden for col in range(d.min, d.max + 1)}
    assert {8, 9} <= hidden and 7 not in hidden, hidden
    assert "（本单元格所在的列原来过窄，已在本副本中加宽）" in info["B10"].comment.text
    assert "（本单元格所在的列原来过窄，已在本副本中加宽）" in table["C16"].comment.text


def test_a_copy_that_changed_nothing_says_no_difference(tmp_path):
    import openpyxl

    copy = _annotated(tmp_path, lambda wb: None)
    assert _notes(openpyxl.load_workbook(copy)["问题清单"]) == []


def test_a_literal_escape_in_the_file_name_is_printed_as_written_in_the_problem_lists_header(tmp_path):
    import zipfile

    copy = _annotated(tmp_path, lambda wb: None, name="甲_x001B_乙.xlsx")
    with zipfile.ZipFile(copy) as z:
        sheet = next(n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<oddHeader>" in z.read(n))
        header = z.read(sheet).decode("utf-8")
    import html
    import re
    text = html.unescape(re.search("<oddHeader>(.*?)</oddHeader>", header).group(1))
    # no _xHHHH_ left for Excel to read as a character: a size code (the header's own) breaks it, printing nothing
    assert not re.search("_x[0-9A-Fa-f]{4}_", text), text
    assert text.endswith("文件：甲_&9x001B_乙.xlsx"), text


def test_libreoffice_prints_the_file_name_of_a_literal_escape_as_written(tmp_path, soffice):
    """The header printed: the name as the file is named (no ESC, no _x005F_ shown, no code printed), the size code
    breaking the escape printing nothing."""
    import pytest

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from .conftest import lo_printed

    copy = _annotated(tmp_path, lambda wb: None, name="甲_x001B_乙.xlsx")
    printed, _ = lo_printed([copy], tmp_path / "pdf", needed=False)[copy]
    first = "".join(w.text for w in printed.words if w.page == 0)
    assert "文件：甲_x001B_乙.xlsx" in first, first
    assert "x005F" not in first and "&9" not in first and "\\u001b" not in first, first


def test_libreoffice_prints_the_lines_on_what_the_copy_changed_whole(tmp_path, soffice):
    import openpyxl
    import pytest

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from .conftest import lo_printed

    copy = _annotated(tmp_path, _hide_and_narrow)
    notes = _notes(openpyxl.load_workbook(copy)["问题清单"])
    assert len(notes) == 3
    printed, sheets = lo_printed([copy], tmp_path / "pdf")[copy]
    for line in notes:
        assert printed.find(line), line
    assert printed.off_page() == []
