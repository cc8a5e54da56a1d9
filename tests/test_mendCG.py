"""mendCG: red team 26(l)'s printed-paper findings.

f01: a long text typed in LibreOffice grows its row past the printed page (偏差原因 ~400 characters: 692 pt on a
landscape A4 of 494 pt; 项目概况 ~1,650: 880 pt); LibreOffice prints such a row cut at the page's foot, the rest of its
text on no page.  The reader now warns at the cell (cell.row_beyond_page) where the row the file saves is taller than
a page of the sheet's own page setup holds below its print titles.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES

MON = EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.xlsx"
SE = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
GOAL = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"

_REASON = ("受新冠肺炎疫情影响，境外展品征集工作无法按原计划开展，部分国际展品的捐赠协议签署时间推迟至下半年，"
           "国际运输及保险招标相应顺延；同时展陈设计-施工一体化项目因结构加固方案调整，进场时间较计划推迟约三个月。"
           "改进措施：一是加强线上沟通，采用视频会议方式完成展品评估；二是优化采购流程，提前启动运输保险招标；"
           "三是倒排工期，明确各节点责任人，每月向中心主任办公会报告进度，确保开馆试运行目标不受影响。") * 2


def _beyond(path: Path) -> list:
    return [p for p in validate_file(path).problems if p.code == "cell.row_beyond_page"]


def _grown(src: Path, dst: Path, sheet: str, r: int, c: int, text: str, height: float, setup=None) -> Path:
    """`src` with `text` in cell (r, c) of `sheet` (0-based) and its row `height` pt tall, as LibreOffice saves a row
    it grew as the text was typed (customHeight, past Excel's 409 pt); `setup`: page setup attributes changed."""
    wb = openpyxl.load_workbook(src)
    ws = wb[sheet]
    ws.cell(r + 1, c + 1).value = text
    ws.row_dimensions[r + 1].height = height
    for key, value in (setup or {}).items():
        setattr(ws.page_setup, key, value)
    wb.save(dst)
    return dst


def _deviation(form_id: str):
    form = FORMS[form_id]
    return form.table.name, form.table.first_row + 1, form.column("deviation").index


# (a row only LibreOffice makes, past 409 pt: beyond the page at the smallest scale LibreOffice prints the sheet at,
# mendEP; a 518.65-pt 指标自评 row, within it, may print whole: cell.row_may_pass_page, test_mendEP)
@pytest.mark.parametrize("form_id, src, height", [("monitoring", MON, 691.75), ("self-evaluation", SE, 700)])
def test_a_reason_grown_taller_than_the_page_is_warned_at_its_cell(tmp_path, form_id, src, height):
    sheet, r, c = _deviation(form_id)
    path = _grown(src, tmp_path / "typed.xlsx", sheet, r, c, _REASON, height)
    found = _beyond(path)
    assert [(p.sheet, p.cell, p.severity) for p in found] == [(sheet, a1(r, c), "warning")], found
    (p,) = found
    assert f"{height:g} 磅" in p.message and "标题行" in p.message and "另附" in p.message, p.message
    assert f"{height:g} pt" in p.message_en and "prints on no page" in p.message_en, p.message_en
    assert 540 < int(p.expected) < 660, p.expected  # a landscape A4 less its margins and 2 repeated rows, at ~73 %


@pytest.mark.parametrize("form_id, src", [("monitoring", MON), ("self-evaluation", SE)])
def test_a_row_at_excels_limit_is_not_warned(tmp_path, form_id, src):
    sheet, r, c = _deviation(form_id)
    assert _beyond(_grown(src, tmp_path / "409.xlsx", sheet, r, c, _REASON, 409)) == []


def test_the_sheets_own_page_setup_is_what_is_measured(tmp_path):
    sheet, r, c = _deviation("monitoring")
    # a portrait A3 page (paperSize 8) holds the 692 pt row: nothing said; a landscape A3 (741 pt less its print
    # titles, at no scale: its columns fit its width) does not
    a3 = _grown(MON, tmp_path / "a3.xlsx", sheet, r, c, _REASON, 691.75, {"paperSize": 8, "orientation": "portrait"})
    assert _beyond(a3) == []
    a3 = _grown(MON, tmp_path / "a3l.xlsx", sheet, r, c, _REASON, 691.75, {"paperSize": 8})
    assert [p.expected for p in _beyond(a3)] == ["674"]
    # portrait A4 (842 pt tall) holds it too
    portrait = _grown(MON, tmp_path / "p.xlsx", sheet, r, c, _REASON, 691.75, {"orientation": "portrait"})
    assert _beyond(portrait) == []


def test_a_project_overview_grown_past_a_portrait_page_is_warned(tmp_path):
    form = FORMS["goal-table"]
    f = form.field("/project/overview")
    src = GOAL
    path = _grown(src, tmp_path / "g.xlsx", f.sheet, f.row, f.col, _REASON * 4, 879.85)
    assert [p.cell for p in _beyond(path)] == [a1(f.row, f.col)]
    assert _beyond(_grown(src, tmp_path / "g2.xlsx", f.sheet, f.row, f.col, _REASON * 4, 409)) == []


def test_no_example_is_warned():
    """Neither a row taller than the page (f01) nor a caption row too short (f02) on any example."""
    caption = a1(FORMS["goal-table"].table.caption_row, 0)
    files = sorted(EXAMPLES.rglob("*.xlsx"))
    assert files
    for path in files:
        said = [p for p in validate_file(path).problems if p.code == "cell.row_beyond_page"
                or (p.code == "cell.row_too_short" and p.cell == caption)]
        assert said == [], (path, said)


# f07: the self-evaluation summary's 偏差原因 (指标完成, 偏差清单) in rows of 409 pt at 10 pt: cut mid-sentence, no mark --
_CLAUSES = "，".join(f"（{k + 1}）受疫情影响境外展品征集工作推迟，国际运输及保险招标相应顺延" for k in range(19))
_END = "以上偏差情况已报主管部门备案，特此说明到此结束。"


def _summary_with(tmp_path, reason: str):
    import json
    import shutil

    from xlgoals import consolidate, fill

    doc = json.loads((EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.json").read_text("utf-8"))
    doc["indicators"][1].update(actual=90, score=2, deviation=reason)
    inbox = tmp_path / "in"
    inbox.mkdir()
    fill(doc, inbox / "se.xlsx")
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1, json_path=tmp_path / "s.json")
    shutil.copy(out, tmp_path / "copy.xlsx")
    return out


def _reason_cells(path: Path, start: str):
    """(sheet, cell, its run's font size or None, the row's height, the column's width) of each cell starting so."""
    import openpyxl

    wb = openpyxl.load_workbook(path, rich_text=True)
    found = []
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                v = c.value
                text = str(v) if v is not None else ""
                if text.startswith(start):
                    size = None
                    if hasattr(v, "__iter__") and not isinstance(v, str):  # a CellRichText: its runs
                        sizes = {getattr(getattr(run, "font", None), "sz", None) for run in v}
                        size = sizes.pop() if len(sizes) == 1 else sizes
                    found.append((ws.title, c.coordinate, text, size, ws.row_dimensions[c.row].height,
                                  ws.column_dimensions[c.column_letter].width))
    return found


def test_a_long_deviation_in_the_summary_is_shrunk_to_print_whole(tmp_path):
    from xlgoals._form import _paper

    from .helpers import ooxml_errors

    reason = _CLAUSES + _END
    assert 600 < len(reason) < 700
    out = _summary_with(tmp_path, reason)
    cells = _reason_cells(out, "（1）")
    assert {sheet for sheet, *_ in cells} == {"指标完成", "偏差清单"}, cells
    for sheet, cell, text, size, height, width in cells:
        assert text == reason, (sheet, cell)  # the whole text, as read
        assert size is not None and 7 <= float(size) < 10, (sheet, cell, size)
        assert height <= 409 and _paper.needed_height(text, width, float(size), 10) <= height, \
            (sheet, cell, size, height, width)
    assert ooxml_errors(out) == []


def test_a_deviation_too_long_even_at_7_pt_says_it_goes_on_in_the_return(tmp_path):
    import json

    from xlgoals._form import _paper

    from .helpers import ooxml_errors

    reason = _CLAUSES * 3 + _END  # ~2,000 characters: more than 409 pt hold at 7 pt
    out = _summary_with(tmp_path, reason)
    cells = _reason_cells(out, "（1）")
    assert {sheet for sheet, *_ in cells} == {"指标完成", "偏差清单"}, cells
    for sheet, cell, text, size, height, width in cells:
        assert text.endswith(f"……（未完，全文共 {len(reason)} 字，见原表）"), (sheet, cell, text[-40:])
        assert reason.startswith(text[:text.index("……（未完")]), (sheet, cell)
        assert float(size) == 7 and _paper.needed_height(text, width, 7, 10) <= height <= 409, (sheet, size, height)
    data = json.loads((tmp_path / "s.json").read_text("utf-8"))  # the summary's data keep it whole
    assert reason in json.dumps(data, ensure_ascii=False)
    assert ooxml_errors(out) == []


def test_a_deviation_that_fits_keeps_the_summary_font(tmp_path):
    out = _summary_with(tmp_path, "（1）受疫情影响，样本不足，下年改进。")
    cells = _reason_cells(out, "（1）")
    assert cells and all(size is None for _, _, _, size, _, _ in cells), cells


# f02: a long 项目名称 typed on a blank goal table: 绩效指标's caption row (repeated atop every page) stays 30 pt -------
_LONG_NAME = ("筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项项目（含国内外展品征集、运输保险、展陈深化设计、"
              "施工一体化、宣传推广、志愿者培训及开馆试运行保障）暨上海市高技能人才培养基地建设资助配套项目（二期）")


def _typed_names(tmp_path, name: str, height: float | None = None) -> Path:
    """A blank goal-table template with the unit and `name` typed on 项目信息 (and 绩效指标's caption row made
    `height` pt tall by hand)."""
    from xlgoals import write_template

    form = FORMS["goal-table"]
    tmp_path = tmp_path / f"{len(name)}-{height}"
    tmp_path.mkdir()
    blank = write_template(tmp_path / "blank.xlsx", framework="shanghai-2020", year=2020)
    wb = openpyxl.load_workbook(blank)
    for path, value in (("/unit", "上海市就业促进中心"), ("/project/name", name)):
        f = form.field(path)
        wb[f.sheet].cell(f.row + 1, f.col + 1).value = value
    if height:
        wb[form.table.name].row_dimensions[form.table.caption_row + 1].height = height
    wb.save(tmp_path / "typed.xlsx")
    return tmp_path / "typed.xlsx"


def _caption_short(path: Path) -> list:
    table = FORMS["goal-table"].table
    return [p for p in validate_file(path).problems
            if p.code == "cell.row_too_short" and p.sheet == table.name and p.cell == a1(table.caption_row, 0)]


def test_a_long_project_name_typed_on_a_blank_template_warns_at_the_caption_row(tmp_path):
    assert len(_LONG_NAME) > 100
    (p,) = _caption_short(_typed_names(tmp_path, _LONG_NAME))
    assert "30 磅" in p.message and "每页" in p.message and "申报单位、项目名称" in p.message, p.message
    assert "atop every page" in p.message_en, p.message_en
    assert int(p.expected) > 40, p.expected


def test_a_caption_row_that_holds_the_names_is_not_warned(tmp_path):
    assert _caption_short(_typed_names(tmp_path, "职业培训基础能力建设资助")) == []  # one line in 30 pt
    assert _caption_short(_typed_names(tmp_path, _LONG_NAME, height=60)) == []  # made taller by hand



# f05: summary sheets' printed pages named neither the summary, its year nor the sheet; numbered across the workbook -
@pytest.mark.parametrize("folder", ["returns", "monitoring"])
def test_every_summary_sheet_prints_its_name_and_the_summarys_and_its_page_of_the_summarys_pages(tmp_path, folder):
    from xlgoals import consolidate

    from .helpers import ooxml_errors

    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / folder], out, jobs=1)
    wb = openpyxl.load_workbook(out)
    title = next(ws["A1"].value for ws in wb if ws["A1"].value and "汇总" in str(ws["A1"].value))
    assert "2020" in title, title
    for ws in wb:
        header = ws.oddHeader.center.text or ""
        assert header.startswith(ws.title) and header.endswith(title), (ws.title, header)
        # mendCK: which page of the summary's pages (第 &P 页，共 &N 页, numbered on through the workbook, as &N counts
        # them); each sheet numbered from 1 said 第 1 页，共 19 页 (tests/test_mendCK.py)
        assert (ws.oddFooter.center.text or "") == "第 &P 页，共 &N 页", (ws.title, ws.oddFooter.center.text)
        assert not ws.page_setup.useFirstPageNumber, ws.title
    assert ooxml_errors(out) == []


# f04: the 汇总 chart of 40 units ran over a page break: its second half under the repeated header, with no axis ----
def test_the_summary_chart_starts_a_page_and_fits_it(tmp_path):
    """mendCK: the chart is on a sheet of its own (汇总图), which repeats no header row atop its page; it starts that
    page and is no taller than it."""
    import json
    import re
    import zipfile

    from xlgoals import consolidate, fill

    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text("utf-8"))
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i in range(40):
        doc["unit"], doc["project"]["name"] = f"上海市第{i}委员会下属事业单位", f"专项{i}"
        fill(doc, inbox / f"{i:02d}.xlsx")
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1)
    names = openpyxl.load_workbook(out).sheetnames
    assert names[0] == "汇总" and names[-1] == "汇总图", names  # after the data sheets (mendCR)
    with zipfile.ZipFile(out) as z:
        table = z.read("xl/worksheets/sheet1.xml").decode()
        sheet = z.read(f"xl/worksheets/sheet{len(names)}.xml").decode()
        drawing = z.read("xl/drawings/drawing1.xml").decode()
        workbook = z.read("xl/workbook.xml").decode()
    assert "<drawing" not in table and "<drawing" in sheet
    titles = re.findall(r'<definedName name="_xlnm.Print_Titles" localSheetId="(\d+)"', workbook)
    assert "0" in titles and str(len(names) - 1) not in titles, titles  # 汇总 repeats its header row; 汇总图 none
    start = int(re.search(r"<xdr:from><xdr:col>0</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>(\d+)<", drawing)[1])
    end, end_off = map(int, re.search(r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row><xdr:rowOff>(\d+)<", drawing).groups())
    assert start == 0 and "<brk" not in sheet  # the chart starts its sheet's first page
    chart = (end - start) * 15 + end_off / 12700  # points, in rows of the default 15 pt
    scale = int((re.search(r'<pageSetup[^>]*? scale="(\d+)"', sheet) or [0, 100])[1]) / 100
    page = (842 - 2 * 0.6 * 72) / scale  # A4 portrait between the margins, in the sheet's points
    assert 300 < chart <= page, (chart, page)


# f06: an annotated copy's marks were a pink fill alone: on a black-and-white print a grey hardly darker than a label's -
def test_a_marked_cell_is_framed_so_that_the_mark_prints_in_black_and_white(tmp_path):
    from xlgoals._check._annotate import _unmark, annotate
    from xlgoals._form import GOAL_TABLE

    from .helpers import ooxml_errors

    src = EXAMPLES / "received" / "某局_某项目.xlsx"  # an error at B10, another at C16
    report = validate_file(src)
    problems = [(p.sheet, p.cell, p.severity) for p in report.problems if p.sheet and p.cell]
    copy = annotate(report, tmp_path / "ann")
    assert ooxml_errors(copy) == []
    wb = openpyxl.load_workbook(copy)
    marked = {(s, c): sev for s, c, sev in problems if s in wb.sheetnames}
    assert marked, problems
    for (sheet, cell), severity in marked.items():
        if any(sv == "error" for s, c, sv in problems if (s, c) == (sheet, cell)):
            severity = "error"
        border = wb[sheet][cell].border
        style = {"error": "thick", "warning": "mediumDashed"}[severity]
        assert {border.left.style, border.right.style, border.top.style, border.bottom.style} == {style}, \
            (sheet, cell, severity, border)
        assert border.left.color.rgb.endswith("000000"), border.left.color
    original = openpyxl.load_workbook(src)  # what the copy's data say is the return's
    for ws in original.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert wb[ws.title][c.coordinate].value == c.value, (ws.title, c.coordinate)
    _unmark(wb, GOAL_TABLE)  # a later run takes the marks off: the forms' thin border again
    for sheet, cell in marked:
        border = wb[sheet][cell].border
        assert {border.left.style, border.right.style, border.top.style, border.bottom.style} == {"thin"}


def test_a_reason_typed_in_libreoffice_past_the_page_is_warned(tmp_path, lo_edit):
    """The red team's case in the real client: ~400 characters typed into the monitoring report's 偏差原因 grow the
    row past the landscape page (LibreOffice saves it some 690 pt tall); the reader warns at the cell."""
    sheet, r, c = _deviation("monitoring")
    text = (_REASON * 2)[:640]  # (the column widened, mendEP: 400 characters grow the row to some 520 pt)
    path = lo_edit(MON, tmp_path / "typed.xlsx", [{"sheet": sheet, "cell": a1(r, c), "input": text}])
    wb = openpyxl.load_workbook(path)
    assert wb[sheet].row_dimensions[r + 1].height > 660  # grown past the page by LibreOffice itself
    assert [(p.sheet, p.cell) for p in _beyond(path)] == [(sheet, a1(r, c))]
