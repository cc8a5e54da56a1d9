"""The printed 绩效自评表's pages: the writer's page breaks stand at 一级 group boundaries only (but where none keeps
总分 with its rows), chosen so that 总分 never prints alone or with one row, then that no break leaves a page less than
W.MIN_BREAK_FILL full, then that no page ends with a group's first row alone, in each layout the writer plans for
(each width a character may take in Excel, WPS and LibreOffice, pages a little shorter or longer), and the header rows
repeat on every page.  Printed through LibreOffice, also after a department typed long 偏差原因 texts and the rows
grew."""

import importlib.util
import itertools
import random
import shutil
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, fill, read, self_evaluation_templates
from xlgoals._write import _workbook as W

from .conftest import EXAMPLE_JSON, EXAMPLES, load, lo_printed
from .helpers import ooxml_errors

SE = FORMS["self-evaluation"]
SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))
LONG_DEVIATION = ("因疫情影响部分培训项目延期开展，实际完成值低于年度目标；下一步将加强与承训机构的沟通协调，"
                  "优化培训计划安排，确保目标按期完成。") * 2


def _table(path):
    """(the table sheet, its item rows' 一级 from the top (0-based row -> 一级), the total line's 0-based row)."""
    ws = openpyxl.load_workbook(path)[SE.table.name]
    level1 = SE.column("level1").index + 1
    first = SE.table.first_row
    levels, r = {}, first
    while ws.cell(r + 1, 1).value != SE.table.total.label:
        levels[r] = ws.cell(r + 1, level1).value
        r += 1
    return ws, levels, r


def _group_starts(levels: dict) -> list[int]:
    rows = sorted(levels)
    return [r for r in rows if r == rows[0] or levels[r] != levels[r - 1]]


def _layouts(ws, total_row: int, breaks=None):
    """The page of each row (0-based) in each layout the writer plans for, from the written workbook: its rows'
    heights, its page breaks (or `breaks`) and its repeated rows, on the table's page."""
    heights = {r - 1: d.height for r, d in ws.row_dimensions.items() if d.height is not None and r - 1 <= total_row}
    heights.setdefault(0, 15)
    breaks = {b.id for b in ws.row_breaks.brk} if breaks is None else set(breaks)
    widths = [c.width for c in SE.table.columns]
    width, height, repeated = W._printable(SE.table.print, True, heights)
    for pixels in W._CHARACTER_PIXELS:
        for stretch in W._STRETCH:
            capacity = height / min(1.0, width / W._columns_width(widths, pixels)) * stretch
            page, used, pages = 0, 0.0, {}
            for r in range(total_row + 1):  # rows fill the page in order; a break or a full page starts the next
                h = heights.get(r, 15)
                if r in breaks or (used + h > capacity and used > (repeated if page else 0)):
                    page, used = page + 1, repeated
                used += h
                pages[r] = page
            yield pages


def _returns_and_templates(tmp_path) -> list[Path]:
    made = self_evaluation_templates(list(EXAMPLE_JSON), tmp_path / "templates").written
    return [*(fill(load(js), tmp_path / f"se{js.name[:2]}.xlsx") for js in SE_JSON), *made]


def test_breaks_stand_at_level1_boundaries_and_keep_the_total_with_its_rows_in_every_layout(tmp_path):
    """Self-evaluation 03 had no break: in 2 of the writer's 12 layouts 总分 printed with one row on its last page.
    Now, for every filled example and every template made from an example goal table: each break comes before a
    group's first row, and in every layout 总分 prints with two rows or more.  (A group's first row may end a page
    with its group overleaf, where a break before it would leave the page a quarter empty or more: every row prints
    its 一级, and the header repeats; test_mendX.)"""
    for path in _returns_and_templates(tmp_path):
        ws, levels, total_row = _table(path)
        assert ws.print_title_rows == "$2:$3", path.name  # the caption and the header on every page
        starts = _group_starts(levels)
        breaks = [b.id for b in ws.row_breaks.brk]
        assert set(breaks) <= set(starts[1:]), (path.name, breaks, starts)
        for n, pages in enumerate(_layouts(ws, total_row)):
            with_total = [r for r in levels if pages[r] == pages[total_row]]
            assert len(with_total) >= 2, (path.name, n, with_total)


def test_example_03_breaks_before_its_effect_and_its_impact_groups(tmp_path):
    """Example 03 takes three pages in two layouts whatever the breaks, and 影响力目标 (5 rows) keeps 总分 company in
    every layout only after a break before it: its pages are 投入与管理 and 产出目标 (the first page filled: it was
    投入与管理 alone, the page half blank), then 效果目标, then 影响力目标 with 总分, in every layout."""
    ws, levels, total_row = _table(fill(load(SE_JSON[2]), tmp_path / "03.xlsx"))
    breaks = [b.id for b in ws.row_breaks.brk]
    assert [levels[b] for b in breaks] == ["效果目标", "影响力目标"]
    for pages in _layouts(ws, total_row):
        assert [pages[b] for b in breaks] == [1, 2] and pages[total_row] == 2
        assert {levels[r] for r in levels if pages[r] == 0} == {"投入与管理", "产出目标"}
    if importlib.util.find_spec("openxml_audit"):  # two row breaks: the workbook is still valid Open XML
        assert not ooxml_errors(tmp_path / "03.xlsx")


def test_a_table_whose_groups_cannot_keep_the_total_breaks_between_rows(tmp_path):
    """Where no set of boundaries keeps 总分 with two rows (a last group of one row after one group of every other
    row), the page breaks between rows as before (inside the long group), 总分 then printing with its rows."""
    between = 0
    for k in range(12, 28):
        doc = load(SE_JSON[0])
        inds = doc["indicators"] = doc["indicators"][:k]
        for ind in inds[:-1]:
            ind["level1"], ind["level2"] = inds[0]["level1"], inds[0]["level2"]
        inds[-1]["level1"], inds[-1]["level2"] = "影响力目标", "长效管理"
        ws, levels, total_row = _table(fill(doc, tmp_path / f"r{k}.xlsx", force=True))
        breaks = [b.id for b in ws.row_breaks.brk]
        assert all(levels[b] == inds[0]["level1"] for b in breaks), (k, breaks)  # within the long group
        between += bool(breaks)
        for pages in _layouts(ws, total_row):
            assert sum(pages[r] == pages[total_row] for r in levels) >= 2, k
    assert between  # some of them needed it


def test_a_table_of_many_groups_breaks_at_their_boundaries(tmp_path):
    """Nine 一级 groups of three rows (more boundaries than the planner tries every set of): the breaks, where any, are
    boundaries, and 总分 prints with two rows or more in every layout."""
    doc = load(SE_JSON[0])
    for n, ind in enumerate(doc["indicators"]):
        ind["level1"] = f"第{n // 3 + 1}类"
    ws, levels, total_row = _table(fill(doc, tmp_path / "r.xlsx", force=True))
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(set(levels.values())) == 9 and set(breaks) <= set(_group_starts(levels)[1:]), breaks
    for pages in _layouts(ws, total_row):
        assert sum(pages[r] == pages[total_row] for r in levels) >= 2


def test_examples_01_and_02_print_as_few_pages_as_any_break_allows(tmp_path):
    """Example 01 has no break: its rows fill each page, three in the layouts of Excel and WPS (8 px a character),
    which no break prints fewer of, two in LibreOffice's wider ones.  It had a break before each of 产出目标 and
    效果目标 (each page a group or two, no heading on a page's foot), its first page half blank.  Example 02 has no
    break: it prints on two pages in every layout, and a break at either 一级 boundary, or at a 二级 boundary,
    prints a third in some."""
    ws, levels, total_row = _table(fill(load(SE_JSON[0]), tmp_path / "01.xlsx"))
    level2 = SE.column("level2").index + 1
    assert not ws.row_breaks.brk
    excel = list(_layouts(ws, total_row))[:6]  # 8 and 8.15 px: Excel, WPS and LibreOffice with 宋体
    assert all(pages[total_row] == 2 for pages in excel)
    assert all(pages[total_row] == 1 for pages in list(_layouts(ws, total_row))[9:])  # 9.4 px: DejaVu Sans

    ws, levels, total_row = _table(fill(load(SE_JSON[1]), tmp_path / "02.xlsx"))
    assert not ws.row_breaks.brk
    assert all(pages[total_row] == 1 for pages in _layouts(ws, total_row))
    inner = [r for r in sorted(levels)[1:] if ws.cell(r + 1, level2).value != ws.cell(r, level2).value]
    for b in inner:  # the 一级 boundaries among them
        assert any(pages[total_row] == 2 for pages in _layouts(ws, total_row, (b,))), b


def _many_groups(seed: int, n: int = 60) -> dict:
    """Example 01 grown to `n` indicators in runs of 1 to 9 rows, each run a 一级 other than its neighbours' (a goal
    table whose 一级 groups are not in one block each: 9 to 15 runs), some rows with a long 偏差原因 (taller)."""
    rnd = random.Random(seed)
    doc = load(SE_JSON[0])
    inds, rows, k = doc["indicators"], [], 0
    level1 = ["投入与管理", "产出目标", "效果目标", "影响力目标"]
    while len(rows) < n:
        for _ in range(rnd.randint(1, 9)):
            ind = dict(inds[len(rows) % len(inds)], id=f"I{len(rows) + 1:03d}", level1=level1[k % 4],
                       level2=f"第{k + 1}组")
            ind["deviation"] = LONG_DEVIATION[:40] * rnd.choice([0, 0, 0, 1, 2, 3])
            rows.append(ind)
        k += 1
    doc["indicators"] = rows[:n]
    return doc


@pytest.mark.parametrize("seed", [7, 10, 11, 33, 42])
def test_a_long_table_of_many_groups_has_no_fault_where_a_set_of_boundaries_avoids_them(tmp_path, seed):
    """60 indicators in 9 to 15 runs of 一级 (more boundaries than every set of was once tried): the breaks added one
    at a time left 总分 alone in some of the 12 layouts of these tables (and pages a full search did not); every set
    is weighed now, and these print 总分 with its rows in every layout, the rows above its last pages filling their
    pages (a break every few pages, as the planner's segments reach, left pages half blank in some layouts: a break
    many pages down stands at a different place of its page in each).  42 had a fault still where the plan was laid out on the heights asked of xlsxwriter (37
    points) and not on the heights it writes (36.75): the rows print at the latter."""
    path = fill(_many_groups(seed), tmp_path / f"{seed}.xlsx", force=True)
    ws, levels, total_row = _table(path)
    starts = _group_starts(levels)
    breaks = [b.id for b in ws.row_breaks.brk]
    assert len(starts) > 7 and set(breaks) <= set(starts[1:]), (starts, breaks)
    assert len(breaks) <= 1, breaks  # the rows above fill their pages (breaks every few pages left some half blank)
    for n, pages in enumerate(_layouts(ws, total_row)):
        assert sum(pages[r] == pages[total_row] for r in levels) >= 2, (seed, n)
    if seed == 7 and importlib.util.find_spec("openxml_audit"):  # seven row breaks: still valid Open XML
        assert not ooxml_errors(path)


def _judged(heights, widths, first, total_row, levels, plan):
    """A plan's layouts with 总分 on a page of too few rows, its breaks that leave a page less than MIN_BREAK_FILL
    full, its other faults (a heading widowed, the first row off the header's page), pages and pages not started at
    a break, summed over the writer's layouts: laid out here row by row."""
    width, height, repeated = W._printable(SE.table.print, True, heights)
    starts = [first + i for i, v in enumerate(levels) if i == 0 or v != levels[i - 1]]
    held = [s for s in starts if s + 1 < first + len(levels) and levels[s + 1 - first] == levels[s - first]]
    alone = sparse = faults = pages = loose = 0
    for pixels in W._CHARACTER_PIXELS:
        for stretch in W._STRETCH:
            capacity = height / min(1.0, width / W._columns_width(widths, pixels)) * stretch
            page, used, on = 0, 0.0, {}
            for r in range(total_row + 1):
                h = heights.get(r, 15)
                if r in plan:
                    sparse += used < W.MIN_BREAK_FILL * capacity
                    page, used = page + 1, repeated
                elif used + h > capacity and used > (repeated if page else 0):
                    page, used, loose = page + 1, repeated, loose + 1
                used += h
                on[r] = page
            alone += sum(on[r] == on[total_row] for r in range(first, total_row)) < 2
            faults += (on[first] != on[first - 1]) + sum(on[s] != on[s + 1] for s in held)
            pages += page + 1
    return alone, sparse, faults, pages, loose


@pytest.mark.parametrize("seed", range(6))
def test_the_plan_is_as_good_as_the_best_set_of_boundaries(seed):
    """Tables of 40 rows in runs of 1 to 12 (7 to 12 boundaries), rows of the heights a filled table has: no set of
    boundaries, of all of them tried here, leaves 总分 alone in fewer layouts, or as few and fewer pages a break
    leaves under MIN_BREAK_FILL full, or as few of both and fewer other faults, and so on (pages, then pages not
    started at a break), than the writer's plan."""
    rnd = random.Random(seed)
    levels, k = [], 0
    while len(levels) < 40:
        levels += [f"第{k % 4}类"] * rnd.randint(1, 12)
        k += 1
    levels = levels[:40]
    first, total_row = SE.table.first_row, SE.table.first_row + 40
    widths = [c.width for c in SE.table.columns]
    heights = {0: 32.25, 1: 30, 2: 36.75, total_row: 24,
               **{first + i: rnd.choice([18, 18, 36.75, 36.75, 36.75, 51.75, 66, 95.25]) for i in range(40)}}

    class Sheet:
        def set_h_pagebreaks(self, breaks):
            self.breaks = breaks

    plan = W._plan_table_pages(Sheet(), heights, SE.table.print, True, widths, first, total_row, levels)
    boundaries = [first + i for i in range(1, 40) if levels[i] != levels[i - 1]]
    assert set(plan) <= set(boundaries)
    got = _judged(heights, widths, first, total_row, levels, set(plan))
    best = min(_judged(heights, widths, first, total_row, levels, set(subset))
               for k in range(len(boundaries) + 1) for subset in itertools.combinations(boundaries, k))
    assert got == best, (seed, plan, got, best)


# Printed through LibreOffice -------------------------------------------------------------------------------------
def _print(files: list[Path], out: Path) -> dict:
    return {f: pdf for f, (pdf, _) in lo_printed(files, out, timeout=600, needed=False).items()}


def _printed_pages(pdf, ids: list[str]) -> list[list[str]]:
    """The indicator ids each printed page of the table shows, in order (pages with none left out)."""
    pages = {}
    for w in pdf.words:
        if w.text in ids:
            pages.setdefault(w.page, []).append(w)
    return [[w.text for w in sorted(ws, key=lambda w: w.y0)] for _, ws in sorted(pages.items())]


def _check_printed(path: Path, pdf) -> list[list[str]]:
    doc = read(path).document
    ids = [i["id"] for i in doc["indicators"]]
    level = {i["id"]: i["level1"] for i in doc["indicators"]}
    pages = _printed_pages(pdf, ids)
    assert [i for p in pages for i in p] == ids, path.name
    (total_page,) = {w.page for w in pdf.words if w.text == SE.table.total.label}
    assert total_page == max(w.page for w in pdf.words if w.text in ids), path.name  # 总分 after the last row
    assert len(pages[-1]) >= 2, (path.name, pages[-1])
    for page, after in zip(pages, pages[1:]):
        # a group's first row never ends a page with its group overleaf
        assert not (len(page) and level[page[-1]] == level[after[0]] and
                    (len(page) == 1 or level[page[-2]] != level[page[-1]])), (path.name, page, after)
    return pages


@pytest.mark.soffice
@pytest.mark.parametrize("which", ["filled", "templates"])
def test_printed_pages_start_at_the_written_breaks_and_keep_the_total_with_its_rows(tmp_path, soffice, which):
    """_returns_and_templates' workbooks printed, the filled self-evaluations and the templates by a test each (every
    workbook printed and checked once, as in the one job before) so that xdist's two workers share them."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    if which == "filled":
        files = [fill(load(js), tmp_path / f"se{js.name[:2]}.xlsx") for js in SE_JSON]
    else:
        files = self_evaluation_templates(list(EXAMPLE_JSON), tmp_path / "templates").written
    assert len(files) == len(SE_JSON if which == "filled" else EXAMPLE_JSON) > 0
    for path, pdf in _print(files, tmp_path / "printed").items():
        pages = _check_printed(path, pdf)
        ws, levels, _ = _table(path)
        ids = {r: ws.cell(r + 1, 2).value for r in levels}
        firsts = {p[0] for p in pages}
        assert {ids[b.id] for b in ws.row_breaks.brk} <= firsts, (path.name, pages)
        assert all(len(p) >= 2 for p in pages), (path.name, pages)  # no page of a row or none


@pytest.mark.soffice
def test_rows_grown_by_typed_text_leave_the_last_page_at_a_group_boundary(tmp_path, soffice, lo_edit):
    """A template from goal table 03, long 偏差原因 typed through LibreOffice into rows of its first groups (the
    rows grow to fit them): the page the rows fill moves, but the last page still starts at a 一级 boundary and
    prints 总分 with that whole group (the template had no break: its last page started mid-group, and would print
    总分 alone where the rows above happen to fill a page)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    (template,) = self_evaluation_templates([EXAMPLE_JSON[2]], tmp_path / "templates").written
    ws, levels, _ = _table(template)
    col = SE.column("deviation").index
    letter = openpyxl.utils.get_column_letter(col + 1)
    typed = [r for r in sorted(levels) if levels[r] in ("投入与管理", "产出目标")][1::4]
    edits = [{"sheet": SE.table.name, "cell": f"{letter}{r + 1}", "input": LONG_DEVIATION} for r in typed]
    grown = lo_edit(template, tmp_path / "typed.xlsx", edits)
    ws2 = openpyxl.load_workbook(grown)[SE.table.name]
    assert all(ws2.row_dimensions[r + 1].height > 100 for r in typed)  # LibreOffice grew the rows
    pdf = _print([grown], tmp_path / "printed")[grown]
    pages = _check_printed(grown, pdf)
    doc = read(grown).document
    level = {i["id"]: i["level1"] for i in doc["indicators"]}
    ids = [i["id"] for i in doc["indicators"]]
    first_of_last = pages[-1][0]
    assert first_of_last == ids[0] or level[first_of_last] != level[ids[ids.index(first_of_last) - 1]], pages
