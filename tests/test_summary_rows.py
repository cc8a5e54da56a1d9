"""The summaries' rows are sized as the forms' rows are (_paper: one width table, one line height): header rows for
their headings in bold, every other row for its wrapped text, a row of one line left to the client.  Printed
through LibreOffice, no row is lower than its printed text needs."""

import copy
import json
import shutil

import openpyxl
import pytest

from xlgoals import consolidate, fill
from xlgoals._form import _paper

from .conftest import EXAMPLE_JSON, EXAMPLES
from .helpers import ooxml_errors

CHARS_PADDING = 5 / 7  # xlsxwriter stores a width of w characters as w + 5 pixels (of 7) of padding
SIZE = 10  # the summaries' font, and their default font
LONG_NAME = "组织开展面向高校毕业生、长期失业青年和就业困难人员的职业技能提升培训及创业指导服务并跟踪其后续就业情况"


def _widths(ws) -> list[float]:
    """Each column's width as written (xlsxwriter's padding taken off), by column index."""
    widths, last = [], None
    for i in range(1, ws.max_column + 1):
        dim = ws.column_dimensions.get(openpyxl.utils.get_column_letter(i))
        if dim is not None and dim.width:
            last = dim.width - CHARS_PADDING
        widths.append(last)  # openpyxl gives a run of equal columns to its first
    return widths


def _header_row(ws) -> int:
    """The header row: the first with more than one heading (below a summary's title and dateline)."""
    for r, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if sum(v is not None for v in values) > 1:
            return r
    raise AssertionError(ws.title)


def _printed_columns(ws) -> int:
    if ws.print_area:
        ref = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        end = ref.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789")
        return openpyxl.utils.column_index_from_string(end)
    return ws.max_column


def _long_goal_table(path):
    doc = json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc["unit"], doc["project"]["name"] = "某局", "某项目"
    doc["indicators"][0]["name"] = LONG_NAME
    return fill(doc, path)


def _unmarked_report(path):
    """A monitoring report of another unit with no budget above zero (nothing spent): counted, with no 执行率 and no
    mark, 未标记 in 进度标识 (as no month or no executed amount leaves it)."""
    doc = json.loads((EXAMPLES / "monitoring" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    doc["unit"] = "某某区就业促进中心"
    doc["funds"].update(full_year_budget=0, executed_to_date=0, expected_full_year=0)
    return fill(doc, path)


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    """The summary workbook of each form's examples; the goal tables' with one more return, of a short unit and
    project and a long indicator name; the monitoring reports' with one more, 未标记 (_unmarked_report)."""
    root = tmp_path_factory.mktemp("summaries")
    returns = root / "returns"
    shutil.copytree(EXAMPLES / "returns", returns)
    _long_goal_table(returns / "long.xlsx")
    monitoring = root / "monitoring"
    monitoring.mkdir()
    for p in EXAMPLES.joinpath("monitoring").glob("*.xlsx"):
        shutil.copy(p, monitoring / p.name)
    _unmarked_report(monitoring / "unmarked.xlsx")
    out = {}
    for name, folder in (("goal-table", returns), ("self-evaluation", EXAMPLES / "self-evaluation"),
                         ("monitoring", monitoring)):
        # the folder's workbooks (the JSON documents read from them beside them would be their duplicates)
        out[name] = consolidate(sorted(folder.glob("*.xlsx")), root / f"{name}.xlsx", jobs=1, made_on="2024-06-01").output
    return out


@pytest.fixture(scope="module")
def printed(soffice, summaries, tmp_path_factory):
    """The three summaries printed through LibreOffice once for the module's tests (one print job, each summary
    printed once): form -> (its copy, (its PDF's words, what lo_print.py says of its sheets))."""
    from .test_print import _print

    root = tmp_path_factory.mktemp("printed-summaries")
    copies = {form: type(root)(shutil.copy(p, root / f"{form}.xlsx")) for form, p in summaries.items()}
    done = _print(list(copies.values()), root / "printed")
    return {form: (path, done[path]) for form, path in copies.items()}


@pytest.mark.parametrize("form", ["goal-table", "self-evaluation", "monitoring"])
def test_header_rows_hold_their_bold_headings(summaries, form):
    """A header row was sized for its headings as if they were not bold (bold text is wider: the forms' writer gives
    a bold label _paper.BOLD of its column), so a heading wrapping to one line more in bold was cut; 汇总's
    未通过校验的申报数 (18 units, in a column 10 wide) needs three lines in bold, and its row had two (30 pt)."""
    path = summaries[form]
    assert not ooxml_errors(path)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if ws.title == "汇总图":  # (the chart's sheet: no table, no header row)
            continue
        r = _header_row(ws)
        widths = _widths(ws)
        lines = max(_paper.needed_lines(c.value, widths[c.column - 1] * _paper.BOLD, SIZE, SIZE)
                    for c in ws[r][:_printed_columns(ws)] if isinstance(c.value, str))
        height = ws.row_dimensions[r].height
        assert height is not None and height >= _paper.lines_height(lines, SIZE) - 0.01, (ws.title, lines, height)
    first = wb.worksheets[0]
    assert first.row_dimensions[_header_row(first)].height >= _paper.lines_height(3, SIZE) - 0.01


def test_indicator_rows_are_as_tall_as_their_text(summaries):
    """绩效指标's rows: one of a long 三级指标 is as tall as the forms' metric says its text needs (the summaries had
    their own, of shorter lines: 13.5 pt, which LibreOffice's 14.2 pt lines outgrow); one whose every text fits on
    a line is given no height (clients make it one line high: no paper spent on an empty second line)."""
    wb = openpyxl.load_workbook(summaries["goal-table"])
    ws = wb["绩效指标"]
    widths = _widths(ws)
    titles = [c.value for c in ws[1]]
    name_col = titles.index("三级指标")
    rows = [r for r in ws.iter_rows(min_row=2) if r[0].value == "某局"]
    long_row = next(r for r in rows if r[name_col].value == LONG_NAME)
    needed = _paper.needed_height(LONG_NAME, widths[name_col], SIZE, SIZE)
    assert ws.row_dimensions[long_row[0].row].height >= needed - 0.01
    short = [r for r in rows if all(not isinstance(c.value, str) or 2 * len(c.value) <= int(widths[c.column - 1] * 0.95)
                                    for c in r[:_printed_columns(ws)])]
    assert short  # 某局, 某项目 and the short names of the example
    for r in short:
        assert ws.row_dimensions[r[0].row].height is None, [c.value for c in r]


@pytest.mark.soffice
def test_printed_summary_rows_hold_their_text(printed):
    """Printed through LibreOffice, every row of every sheet of the three summaries is at least as tall as
    LibreOffice fits it to its printed text (lo_print's "needed": the columns off the page and the filter buttons
    left out)."""
    assert len(printed) == 3
    short = []
    for f, (_, sheets) in (printed[form] for form in printed):
        for name, info in sheets.items():
            for r, height in info["heights"].items():
                if info["needed"][r] > height + 0.4:
                    short.append((f.stem, name, r, height, info["needed"][r]))
    assert not short


def test_risk_list_headings_break_between_words(summaries):
    """风险清单's headings wrapped where a line was full: 1-6月执行情况／1- / 6月执行数（元）, 全年预计执行数（元 / ）,
    指标编 / 号, 完成目标可 / 能性 (LibreOffice; 完成目 / 标可能 / 性 in Excel, bold 宋体).  Each heading too long for a
    line now prints on lines broken between its words (after the ／, before （元）, after 1-6月 and 全年预计; 指标 / 编号,
    完成目标 / 可能性, 偏差原因 / 类别), each line within its column (bold, as the forms measure), its row tall enough
    for them; the other sheets' headings are their titles, as scripts look them up."""
    wb = openpyxl.load_workbook(summaries["monitoring"])
    ws = wb["风险清单"]
    widths = _widths(ws)
    headings = {c.value.replace("\n", ""): (c.value, widths[c.column - 1]) for c in ws[1]}
    assert headings["年度指标值／全年预算数（元）"][0] == "年度指标值／\n全年预算数\n（元）"
    assert headings["1-6月执行情况／1-6月执行数（元）"][0] == "1-6月\n执行情况／\n1-6月执行数\n（元）"
    assert headings["全年预计完成情况／全年预计执行数（元）"][0] == "全年预计\n完成情况／\n全年预计\n执行数（元）"
    assert headings["完成目标可能性"][0] == "完成目标\n可能性" and headings["偏差原因类别"][0] == "偏差原因\n类别"
    assert headings["指标编号"][0] == "指标\n编号"
    from xlgoals._consolidate._table import HEADING_BREAKS

    most = 1
    for title, (shown, width) in headings.items():
        lines = shown.split("\n")
        words = [w for w in HEADING_BREAKS.split(title) if w]
        cuts = {sum(map(len, words[:i])) for i in range(len(words) + 1)}
        assert all(sum(map(len, lines[:i])) in cuts for i in range(1, len(lines))), (title, lines)  # between words
        for line in lines:  # each line on one printed line, unless it is one word longer than a line
            assert line in words or _paper.needed_lines(line, width * _paper.BOLD, SIZE, SIZE) == 1, (title, line)
        most = max(most, sum(_paper.needed_lines(line, width * _paper.BOLD, SIZE, SIZE) for line in lines))
    assert ws.row_dimensions[1].height >= _paper.lines_height(most, SIZE) - 0.01
    for sheet in wb.worksheets:
        if sheet.title != "风险清单":
            assert not any(isinstance(c.value, str) and "\n" in c.value for c in sheet[_header_row(sheet)]), sheet.title


@pytest.mark.soffice
def test_risk_list_headings_print_whole_words(printed):
    """Printed through LibreOffice, 风险清单's header lines are the words as declared: 指标 and 编号, 完成目标 and 可能性,
    偏差原因 and 类别, 年度指标值／, 全年预算数 and （元） each a line of its own (pdftotext gives a line of a cell as a
    word), and no line cuts one (指标编, 完成目标可, 偏差原因类)."""
    _, (pdf, _) = printed["monitoring"]
    pages = [n for n in range(pdf.pages) if {"风险", "三级指标"} <= {w.text for w in pdf.words if w.page == n}
             and "一级指标" not in {w.text for w in pdf.words if w.page == n}]  # not 指标监控's
    assert pages
    for n in pages:
        words = {w.text for w in pdf.words if w.page == n}
        assert {"指标", "编号", "完成目标", "可能性", "偏差原因", "类别", "年度指标值／", "全年预算数", "（元）",
                "执行情况／", "完成情况／"} <= words, (n, sorted(words)[:40])
        assert not words & {"指标编", "完成目标可", "偏差原因类", "完成目", "）"}, n


def test_risk_list_titles_stay_whole_in_csv_and_json(tmp_path):
    """The line breaks are the printed heading's only: CSV and JSON name the columns by their titles."""
    out = consolidate([EXAMPLES / "monitoring"], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv",
                      json_path=tmp_path / "s.json")
    assert out.output.exists()
    header = (tmp_path / "csv" / "风险清单.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "1-N月执行情况／1-N月执行数（元）" in header and "完成目标可能性" in header
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    tables = [table for table in doc.values() if isinstance(table, dict) and "columns" in table]  # not `counts`
    assert any("完成目标可能性" in table["columns"] for table in tables)
    assert all("\n" not in t for table in tables for t in table["columns"])


def test_project_progress_prints_two_pages_across_at_full_size(summaries):
    """项目进度 printed fitted to one landscape page wide at 66 % (its 20 printed columns, the four amounts 15
    characters each): too small to read once stamped.  It is fitted to two pages across, 序号, the unit and the
    project repeated on each; printed, each page holds them, and the text is as large as 100 % prints it."""
    wb = openpyxl.load_workbook(summaries["monitoring"])
    ws = wb["项目进度"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (2, 0)
    assert ws.print_title_cols == "$A:$C"
    assert [c.value for c in ws[1][:3]] == ["序号", "申报单位", "项目名称"]


@pytest.mark.soffice
def test_project_progress_prints_at_85_percent_or_more(printed):
    """Printed through LibreOffice, the text of 项目进度 is at least 85 % of its size on 汇总 of the goal tables'
    summary scaled back to 100 % (a page's median height of Chinese words), on every page of the sheet, and
    every one of those pages starts with the key columns."""
    import statistics

    src, (pdf, sheets) = printed["monitoring"]
    wb = openpyxl.load_workbook(src)
    scale = wb.worksheets[0].page_setup.scale / 100  # 监控汇总 prints at its own scale, set in the file
    heights = [[w.height for w in pdf.words if w.page == n and any("\u4e00" <= ch <= "\u9fff" for ch in w.text)]
               for n in range(pdf.pages)]
    full = statistics.median(heights[0]) / scale  # a word's height at 100 %
    words = [{w.text for w in pdf.words if w.page == n} for n in range(pdf.pages)]
    assert "制表日期：2024-06-01" in "".join(words[0]) and "制表日期：2024-06-01" not in "".join(words[1])
    first = 1  # 监控汇总 prints on one page; 项目进度 follows
    pages = [first, first + 1]  # six rows: one page down, two across
    for n in pages:
        assert statistics.median(heights[n]) >= 0.85 * full, (n, statistics.median(heights[n]), full)
    assert any(w.startswith("序号") for w in words[first + 1])  # the key columns on the second
    assert "来源文件" not in words[first] and "来源文件" in words[first + 1]  # the last column, on the second
    assert all(any(w.startswith("序号") for w in words[n]) for n in pages)


def _mark_column(ws) -> int:
    """The index of the 进度标识 column in `ws`'s header row."""
    return [c.value for c in ws[_header_row(ws)]].index("进度标识")


def test_every_mark_prints_on_one_line(summaries):
    """项目进度's 进度标识 was 5 wide: the forms' metric (which measures for Excel's 宋体) gave 未标记 two lines there
    (未标 / 记) and its row a second line.  Every value of the column, 未标记 the widest, fits one line, on 项目进度 and
    on 监控汇总, in the summary that has a 未标记 row (a column giving room back to fitted amounts keeps its widest
    value's line: column_widths)."""
    from xlgoals._monitor._summary import MARKS, UNMARKED

    wb = openpyxl.load_workbook(summaries["monitoring"])
    for name in ("项目进度", "监控汇总"):
        ws = wb[name]
        at = _mark_column(ws)
        shown = {r[at] for r in ws.iter_rows(min_row=_header_row(ws) + 1, values_only=True)}
        assert UNMARKED in shown, (name, shown)  # the fixture's 未标记 report
        width = _widths(ws)[at]
        assert all(_paper.needed_lines(m, width, SIZE, SIZE) == 1 for m in MARKS), (name, width)


@pytest.mark.soffice
def test_an_unmarked_row_prints_whole_on_two_pages_across(printed):
    """Printed through LibreOffice, 项目进度 with a 未标记 row is still two landscape pages across and one down (each
    page's header names the sheet; each starts with 序号), 进度标识 and 来源文件 the last columns of each; 未标记
    prints on one line (one word of the PDF), under its heading, on the first page."""
    _, (pdf, _) = printed["monitoring"]
    tops = [[w for w in pdf.words if w.page == n and w.y1 < 40] for n in range(pdf.pages)]  # the page header
    pages = [n for n in range(pdf.pages) if any(w.text == "项目进度" for w in tops[n])]
    assert pages == [1, 2], pages
    words = [[w for w in pdf.words if w.page == n] for n in pages]
    assert all(any(w.text.startswith("序号") for w in page) for page in words)
    heading = [w for w in words[0] if w.text == "进度标识"]
    assert len(heading) == 1, "进度标识 printed broken (进度标 / 识, at 5 wide)"
    heading = heading[0]
    assert not any(w.text == "进度标识" for w in words[1]) and any(w.text == "来源文件" for w in words[1])
    assert max(w.x1 for w in words[0] if w.y1 > 40 and w.text != "项目进度") <= heading.x1 + 1  # the last column
    unmarked = [w for w in words[0] if w.text == "未标记"]
    assert len(unmarked) == 1 and heading.x0 - 5 <= unmarked[0].x0 and unmarked[0].x1 <= heading.x1 + 5, unmarked
    assert not any(w.text in ("未标", "记", "未", "标记") for page in words for w in page)
