"""mendEI: red team 29ag's findings on session 29's merges: a grouped number format with texts between its digit
placeholders warned again where it loses decimals (its print-out not quoted, not worked out); consolidate's CSV/JSON
columns of b7c524c kept at their places, the new ones after them; a cell tag with t before s (fixed by mendEJ)."""

import openpyxl
import pytest

import xlgoals
from xlgoals._read._screen import rounded_away, shown_figure

from .conftest import EXAMPLES

GOAL = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
GROUPED = ('#,##0"元"0"角"', '#,##0" "000')


def _read_with(tmp_path, code: str):
    """The example goal table with 同名项目上年预算额（B12）1234567.89 and indicator 2's target (F5) 12.5 under `code`."""
    wb = openpyxl.load_workbook(GOAL)
    for sheet, cell, value in (("项目信息", "B12", 1234567.89), ("绩效指标", "F5", 12.5)):
        wb[sheet][cell].value = value
        wb[sheet][cell].number_format = code
    path = tmp_path / "grouped.xlsx"
    wb.save(path)
    return {(p.cell, p.code): p for p in xlgoals.read(path).problems if p.cell in ("B12", "F5")}


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    return {code: _read_with(tmp_path_factory.mktemp("fmt"), code) for code in GROUPED + ("#,##0",)}


# 1. a grouped format with texts between its digits (not rendered since mendEF) prints 1234567.89 without its cents:
# warned cell.number_rounded again (b7c524c warned it, quoting a print-out it had worked out wrong), quoting none

@pytest.mark.parametrize("code", GROUPED)
def test_grouped_text_between_loses_decimals_warned_without_a_quoted_print(grouped, code):
    p = grouped[code].get(("B12", "cell.number_rounded"))
    assert p is not None, sorted(grouped[code])
    assert p.severity == "warning"
    assert "1234567.89" in p.message and "1234567.89" in p.message_en
    # no print-out quoted: none is worked out for this format (b7c524c quoted 1,234,568元角, which Excel never prints)
    assert "1,234,568" not in p.message and "“”" not in p.message and "''" not in p.message_en
    assert "舍入了小数" in p.message and "fewer decimals" in p.message_en


@pytest.mark.parametrize("code", GROUPED)
def test_grouped_text_between_rounded_away_gives_no_text(code):
    assert shown_figure(code, 1234567.89) is None  # (still not rendered)
    assert rounded_away(code, 1234567.89) == (None, "1234567.89")
    assert rounded_away(code, -12.5) == (None, "-12.5")
    assert rounded_away(code, 1234567) is None  # (every digit it has shown: nothing warned)
    assert rounded_away(code, 0.1 + 0.2) is None  # (a float's binary tail, no digit anyone typed)


def test_target_conflict_under_an_unrendered_format_quotes_no_print(grouped):
    p = grouped['#,##0"元"0"角"'].get(("F5", "cell.target_format_conflict"))
    assert p is not None, sorted(grouped['#,##0"元"0"角"'])
    assert "12.5角" not in p.message and "12.5角" not in p.message_en  # (Excel does not print 12.5角)
    assert "“角”" in p.message and "＝12.5%" in p.message
    assert "'角'" in p.message_en and "＝12.5%" in p.message_en


def test_rendered_format_keeps_its_quoted_print(grouped):
    p = grouped["#,##0"][("B12", "cell.number_rounded")]
    assert "把 1,234,567.89 显示（打印）为“1,234,568”：屏幕和打印件上是“1,234,568”，读取和校验、汇总用的是 1,234,567.89。" \
        in p.message
    assert "shows (prints) 1,234,567.89 as '1,234,568': the screen and the printed copy say '1,234,568', while " \
           "1,234,567.89 is read" in p.message_en


# 2. consolidate's CSV and JSON rows: every column of b7c524c (before 单位键 and 项目得分's 警告数 were added) at its
# old place, so that a script reading by position reads what it read; the new ones after the per-一级 columns, before
# 文件路径字节 (README: always last).  The headings b7c524c wrote for these inputs:
OLD_HEADS = {
    "returns/02_促进就业专项资金.xlsx": ("项目清单", [
        "序号", "申报单位", "项目名称", "项目类别", "项目总预算（元）", "项目当年预算（元）", "指标总数", "校验状态", "错误数",
        "警告数", "计入汇总", "说明", "计划开始日期", "计划完成日期", "预算年度", "来源文件", "文件路径", "SHA-256", "汇总单位",
        "绩效目标表摘要（SHA-256）", "投入与管理（条）", "产出目标（条）", "效果目标（条）", "影响力目标（条）", "文件路径字节"],
        ["单位键"]),
    "national-2021/自评表.xlsx": ("项目得分", [
        "序号", "申报单位", "项目名称", "执行率", "资金得分", "总分", "等级", "填报总分", "填报等级", "校验状态", "错误数",
        "计入汇总", "说明", "来源文件", "等级代码", "填报等级代码", "预算年度", "文件路径", "SHA-256", "全年预算数（元）",
        "全年执行数（元）", "汇总单位", "绩效目标表摘要（SHA-256）", "成本指标", "产出指标", "效益指标", "满意度指标",
        "文件路径字节"],
        ["警告数", "单位键"]),
    "monitoring/02_促进就业专项资金.xlsx": ("项目进度", [
        "序号", "申报单位", "项目名称", "报告月份", "年初预算数（元）", "全年预算数（元）", "1-N月执行数（元）", "执行率", "序时进度",
        "差距（百分点）", "进度标识", "全年预计执行数（元）", "指标数", "风险指标数", "校验状态", "错误数", "警告数", "计入汇总", "说明",
        "来源文件", "预算年度", "文件路径", "SHA-256", "汇总单位", "绩效目标表摘要（SHA-256）", "文件路径字节"],
        ["单位键"]),
}


@pytest.mark.parametrize("source", sorted(OLD_HEADS))
def test_csv_and_json_columns_of_before_keep_their_places(tmp_path, source):
    import csv
    import json

    from .conftest import cli

    sheet, old, added = OLD_HEADS[source]
    res = cli("consolidate", EXAMPLES / source, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "csv",
              "--json", tmp_path / "s.json")
    assert res.exit_code == 0, res.output
    with open(tmp_path / "csv" / f"{sheet}.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["projects"]
    for head in (rows[0], data["columns"]):
        assert head[:len(old) - 1] == old[:-1]  # (投入与管理（条） 20, 成本指标 23, as b7c524c wrote them)
        assert head[len(old) - 1:] == [*added, "文件路径字节"]
    # the values under them too: 单位键 filled, 文件路径字节 the file's name in hex
    row = dict(zip(data["columns"], data["rows"][0]))
    assert row["单位键"] and bytes.fromhex(row["文件路径字节"]).decode("utf-8").endswith(source.rsplit("/", 1)[1])
    assert dict(zip(rows[0], rows[1]))["单位键"] == row["单位键"]


def test_frames_projects_and_indicators_end_alike(tmp_path):
    f = xlgoals.frames([EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"], jobs=1)
    projects, indicators = list(f.projects.columns), list(f.indicators.columns)
    at = projects.index("unit_key")
    assert projects[at + 1] == "summary_unit" and projects[-1] == "path_bytes"
    assert indicators[-5:] == ["unit_key", "summary_unit", "year", "sha256", "path_bytes"]  # (test_mendEC, _mendAI)


# 3. (pre-existing, handed on: speedA edits _grid.py/_screen.py) a cell tag written with t before s, legal XML, is
# passed over by the print checks (paper_cells' patterns read ` s="…"` right after r): a unit name running past its
# unwrapped cell is warned written <c r s t> but not <c t r s>

def _unwrapped_unit(tmp_path, t_first: bool):
    import re
    import zipfile

    from openpyxl.styles import Alignment

    wb = openpyxl.load_workbook(GOAL)
    ws = wb["项目信息"]
    ws["B3"].value = "上海市人力资源和社会保障局职业技能鉴定中心就业促进处"  # (longer than column B holds)
    ws["B3"].alignment = Alignment(wrap_text=False)
    ws.column_dimensions["B"].width = 6
    made = tmp_path / "made.xlsx"
    wb.save(made)
    part = f"xl/worksheets/sheet{wb.sheetnames.index('项目信息') + 1}.xml"
    out = tmp_path / ("t_first.xlsx" if t_first else "r_s_t.xlsx")
    with zipfile.ZipFile(made) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for name in z.namelist():
            data = z.read(name)
            if name == part:
                xml = data.decode("utf-8")
                tag = re.search(r'<c r="B3"[^>]*>', xml)[0]
                s, t = re.search(r' s="(\d+)"', tag)[1], re.search(r' t="(\w+)"', tag)[1]
                new = f'<c t="{t}" r="B3" s="{s}">' if t_first else f'<c r="B3" s="{s}" t="{t}">'
                data = xml.replace(tag, new, 1).encode("utf-8")
            w.writestr(name, data)
    return [p.code for p in xlgoals.read(out).problems if p.cell == "B3" and p.sheet == "项目信息"]


def test_unwrapped_unit_name_warned_with_attributes_in_the_usual_order(tmp_path):
    assert "cell.text_unwrapped" in _unwrapped_unit(tmp_path, t_first=False)


def test_unwrapped_unit_name_warned_with_t_before_s(tmp_path):
    assert "cell.text_unwrapped" in _unwrapped_unit(tmp_path, t_first=True)
