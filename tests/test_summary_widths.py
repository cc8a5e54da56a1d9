"""Summaries of large amounts print every number whole: each column is as wide as the widest value written in it
(the totals row too), the pages stay as wide as before, and text still wraps."""

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate, fill
from xlgoals._form import _paper
from xlgoals._consolidate._xlsxrows import RowSpool, Widest, shown_number, text_units
from xlgoals._selfeval._scoring import ScoringTable, number, round2, score_funds

from .conftest import EXAMPLE_JSON, EXAMPLES, load
from .helpers import ooxml_errors

# long names, as units are called; amounts in the billions with fen (the last one above a hundred billion)
UNITS = ("上海市人力资源和社会保障局职业能力建设处（上海市职业技能鉴定中心）", "北京市规划和自然资源委员会城市更新与土地整备事务中心",
         "安徽省财政厅政府和社会资本合作（PPP）中心")
AMOUNTS = (Decimal("12345678901.23"), Decimal("98765432109.87"), Decimal("123456789012.34"))
FORM_IDS = ("goal-table", "self-evaluation", "monitoring")
SOURCES = {"goal-table": EXAMPLE_JSON, "self-evaluation": sorted((EXAMPLES / "self-evaluation").glob("*.json")),
           "monitoring": sorted((EXAMPLES / "monitoring").glob("*.json"))}
CHARS_PADDING = 5 / 7  # xlsxwriter stores a width of w characters as w + 5 pixels (of 7) of padding


def _amount(d: Decimal):
    return number(d)


def _large(doc: dict, form_id: str, amount: Decimal) -> dict:
    """`doc` with its budget set to `amount` (and what follows from it, so that the return still passes)."""
    if form_id == "goal-table":
        doc["budget"].update(total=_amount(amount), current_year=_amount(round2(amount * Decimal("0.87"))))
    elif form_id == "self-evaluation":
        f = doc["funds"]
        executed = round2(amount * Decimal(str(f["executed"])) / Decimal(str(f["full_year_budget"])))
        f.update(initial_budget=_amount(amount), full_year_budget=_amount(amount), executed=_amount(executed),
                 sources={"fiscal": {"initial_budget": _amount(amount), "full_year_budget": _amount(amount),
                                     "executed": _amount(executed)}})
        f["score"] = number(score_funds(f, ScoringTable.load()).score)
    else:
        f = doc["funds"]
        k = amount / Decimal(str(f["full_year_budget"]))
        f.update(initial_budget=_amount(amount), full_year_budget=_amount(amount),
                 executed_to_date=_amount(round2(Decimal(str(f["executed_to_date"])) * k)),
                 expected_full_year=_amount(min(amount, round2(Decimal(str(f["expected_full_year"])) * k))))
    return doc


def _large_returns(folder: Path, form_id: str, projects: int = 3) -> Path:
    """Returns of `form_id` from three units with long names, `projects` each, amounts in the billions."""
    folder.mkdir(parents=True)
    for u, unit in enumerate(UNITS):
        for p, src in enumerate(SOURCES[form_id][:projects]):
            doc = load(src)
            doc["unit"] = unit
            fill(_large(doc, form_id, AMOUNTS[(u + p) % len(AMOUNTS)] - u), folder / f"{u}{p}.xlsx")
    return folder


@pytest.fixture(scope="module")
def large_summaries(tmp_path_factory) -> dict:
    """form id -> the summary workbook of large returns of that form."""
    tmp = tmp_path_factory.mktemp("large")
    return {form_id: consolidate([_large_returns(tmp / form_id, form_id)], tmp / f"{form_id}.xlsx", jobs=1).output
            for form_id in FORM_IDS}


def _column_widths(ws) -> dict[int, float]:
    """Each column's width in characters, as set (xlsxwriter groups equal neighbours in one ``<col>``)."""
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.min and dim.width:
            for c in range(dim.min, dim.max + 1):
                widths[c] = dim.width - CHARS_PADDING
    return widths


def _needed(cell) -> float:
    """The characters a number cell shows (a digit, a comma and a point each one, as 宋体 draws them; bold a tenth
    wider): money with thousands separators and two decimals, a percentage to one decimal, other numbers at least
    their integer part (clients shorten the decimals of a General number, never its integer part)."""
    v = cell.value
    fmt = cell.number_format
    if fmt == "#,##0.00":
        text = f"{v:,.2f}"
    elif fmt == "0.0%":
        text = f"{v:.1%}"
    else:
        text = str(int(v))
    return len(text) * (1.1 if cell.font and cell.font.b else 1)


def _numbers(ws):
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                yield cell


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_summary_columns_hold_the_widest_amount_and_the_totals(large_summaries, form_id):
    path = large_summaries[form_id]
    wb = openpyxl.load_workbook(path, data_only=True)  # the totals row's cached sums
    money = totals = 0
    for ws in wb.worksheets:
        widths = _column_widths(ws)
        short = [(cell.coordinate, cell.value, round(widths.get(cell.column, 0), 1)) for cell in _numbers(ws)
                 if widths.get(cell.column, 0) < _needed(cell)]
        assert not short, (ws.title, short[:5])
        money += sum(cell.number_format == "#,##0.00" for cell in _numbers(ws))
        totals += sum(cell.number_format == "#,##0.00" and cell.font.b for cell in _numbers(ws))
    assert money >= 2 * len(UNITS) + 2 and totals == 2  # the amounts of each unit (and return) and the totals
    first = wb.worksheets[0]
    biggest = max(cell.value for cell in _numbers(first) if cell.font.b and cell.number_format == "#,##0.00")
    assert biggest > 500_000_000_000 and len(f"{biggest:,.2f}") >= 18  # a total wider than the declared columns
    assert not ooxml_errors(path)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_wide_amounts_keep_the_pages_across_and_the_text_wrapping(tmp_path, large_summaries, form_id):
    """As many pages across as the summary of the (small) examples: what the numbers take, text columns give."""
    examples = EXAMPLES / "returns" if form_id == "goal-table" else EXAMPLES / form_id
    small = openpyxl.load_workbook(consolidate([examples], tmp_path / "small.xlsx", jobs=1).output)
    large = openpyxl.load_workbook(large_summaries[form_id])
    for a, b in zip(small.worksheets, large.worksheets, strict=True):
        assert (a.title, a.print_title_cols) == (b.title, b.print_title_cols)  # key columns repeat where it spilt
        assert 80 <= (b.page_setup.scale or 100) <= 100, b.title
    ws = large.worksheets[0]  # the per-unit summary: each long name wraps whole, its row as tall as it needs
    unit_col = _column_widths(ws)[2]
    for row in ws.iter_rows(min_row=4):
        name = row[1].value
        if name in UNITS:
            lines = _paper.needed_lines(name, unit_col, 10, 10)  # as the forms' rows are measured, at 10 pt
            assert lines > 1 and ws.row_dimensions[row[1].row].height >= _paper.lines_height(lines, 10), (name, unit_col)


def test_a_summarys_text_widths_count_each_character_as_the_printed_forms_do():
    """text_units (the summary's column widths and row heights) counted a character from its UTF-8 length: × ÷ ± °
    · § and Greek and Cyrillic letters (2 bytes) half wide, though 宋体 draws them as wide as a Chinese character,
    and €, ‰ or Thai (3 bytes) wide.  It counts as the forms' own measure does (_paper.WIDE_BELOW_CJK, one table):
    every character of the first 65,536 and one past them (𠀀, CJK extension B) alike, and texts of them."""
    from xlgoals._form._paper import narrow

    def wide(ch):
        return not narrow().fullmatch(ch)

    for code in [*range(0xD800), *range(0xE000, 0x10000), 0x20000, 0x1F600]:
        ch = chr(code)
        assert text_units(ch) == (2 if wide(ch) else 1), (hex(code), ch, text_units(ch))
    for text in ("α±0.5°", "×××÷÷", "“十四五”规划——就业优先", "§3 €5 ‰", "安徽省（PPP）中心", "𠀀𠀁a", "Ωé"):
        assert text_units(text) == sum(2 if wide(c) else 1 for c in text), text
    assert text_units("") == 0 and text_units("abc") == 3 and text_units("中文") == 4


def test_widest_measures_as_the_cell_shows():
    assert shown_number(Decimal("12345678901.23"), "money") == "12,345,678,901.23"
    assert shown_number(0.9785, "pct") == "97.9%" and shown_number(27) == "27"
    assert shown_number(12345678901.23) == "12345678901"  # General: up to 11 digits, as Excel shows it
    assert text_units("安徽省（PPP）中心") == 7 * 2 + 3  # 7 Chinese (full-width brackets too), 3 Latin
    widest = Widest(["money", None, None])
    widest.see([Decimal("-1234.5"), "北京", 7])
    widest.see([Decimal("12.5"), "上海市某局", 12345])
    widest.number(0, Decimal("1000000"), bold=True)
    assert widest.numbers == [pytest.approx(len("1,000,000.00") * 1.1), 0, 5] and widest.texts == [0, 10, 0]
    spool = RowSpool(iter([[i, f"第{i}行", Decimal(i) * 1000] for i in range(2500)]), [None, None, "money"])
    try:
        assert spool.count == 2500 and list(spool)[-1] == [2499, "第2499行", Decimal(2499000)]
        assert spool.widest.numbers == [4, 0, len("2,499,000.00")] and spool.widest.texts == [0, 2 + 4 + 2, 0]
    finally:
        spool.close()


def test_a_long_count_widens_its_column_and_text_gives_the_room_back():
    """A count of six digits in a column declared for five (序号 of 100,000 files) widens it; a table that filled
    its page as declared still fits it: its wrapping text column gives the room, its numbers' columns none."""
    from xlgoals._consolidate._render import column_widths, spills
    from xlgoals._consolidate._table import Col, Table

    rows = [[i, "某市某局", i * 3] for i in range(1, 123_457)]
    table = Table("t", "t", [Col("序号", 5), Col("申报单位", 88), Col("指标数", 7)], lambda: iter(rows), len(rows),
                  landscape=False)  # one A4 page wide, portrait, at 80 %: just
    spool = RowSpool(table.rows(), [c.fmt for c in table.columns])
    try:
        widths = column_widths(table, spool.widest)
    finally:
        spool.close()
    assert widths[0] >= len("123456") + 1 and widths[2] >= len("370368") + 1 and widths[1] < 88
    assert not spills(table) and not spills(table, widths)


@pytest.mark.soffice
@pytest.mark.parametrize("form_id", FORM_IDS)
def test_large_amounts_print_whole_in_libreoffice(tmp_path, large_summaries, soffice, form_id):
    """Printed by LibreOffice: no ### in place of a number, every amount and total whole on the page.  One form's
    summary a test (each printed and checked once, as when the three were one job), so that xdist's two workers
    share the printing."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from .test_print import _print

    files = tmp_path / "files"
    files.mkdir()
    copies = [Path(shutil.copy(large_summaries[form_id], files / f"{form_id}.xlsx"))]  # ASCII paths
    for path, (pdf, sheets) in _print(copies, tmp_path / "printed", needed=False).items():
        assert "###" not in pdf.text, path.name
        assert not pdf.off_page(), (path.name, [w.text for w in pdf.off_page()][:5])
        amounts = [text for info in sheets.values() for _, text in info["cells"]
                   if "," in text and text.replace(",", "").replace(".", "").lstrip("-").isdigit()]
        assert len(amounts) >= 2 * len(UNITS) + 2, path.name
        missing = [text for text in amounts if not pdf.find(text)]
        assert not missing, (path.name, missing[:5])


@pytest.mark.parametrize("folder", ["returns", "self-evaluation", "monitoring"])
def test_the_summary_sheet_prints_on_one_page_across(tmp_path, folder):
    """The first sheet (汇总, 自评汇总, 监控汇总) is the one printed, stamped and filed: the monitoring and
    self-evaluation ones went on to a second page across, their 制表日期 and note cut there.  Each fits one A4
    landscape (or portrait) page wide at no less than 80 %, so no key columns are repeated across."""
    import openpyxl

    from xlgoals import consolidate

    out = tmp_path / "s.xlsx"
    consolidate([Path(__file__).parent.parent / "examples" / folder], out)
    ws = openpyxl.load_workbook(out).worksheets[0]
    assert ws.page_setup.scale is not None and int(ws.page_setup.scale) >= 80, ws.page_setup.scale
    assert not ws.print_title_cols, ws.print_title_cols


def _printed_headings(ws) -> tuple[str, str]:
    """The first and the last printed column heading of a summary sheet (the header row: the first to hold 序号 or
    申报单位; the print area, where there is one, ends the printed columns)."""
    row = next(r for r in ws.iter_rows(values_only=True) if r and r[0] in ("序号", "申报单位"))
    last = len([v for v in row if v is not None])
    if ws.print_area:
        ref = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
        end = ref.split("!")[-1].split(":")[-1].replace("$", "").rstrip("0123456789")
        last = openpyxl.utils.column_index_from_string(end)
    return row[0], row[last - 1]


@pytest.mark.soffice
@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_every_sheet_of_the_form_summaries_prints_one_page_wide(tmp_path, soffice, folder):
    """项目得分 of the self-evaluation summary printed two pages wide (填报总分 and 填报等级 on the second), as did
    指标完成, 偏差清单 and the monitoring summary's 项目进度, 指标监控 and 风险清单.  Each sheet prints one landscape
    page wide (fitted to the width, its columns declared for about 80 %), headings whole: printed by LibreOffice,
    every page holds its sheet's first and last printed column headings; but 项目进度, fitted to two pages across
    (at 66 % on one), whose first page holds its first heading and the next its first and last."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    import subprocess

    from .test_print import _print

    files = tmp_path / "files"
    files.mkdir()
    # the folder's workbooks (the JSON documents read from them beside them would be their duplicates)
    path = consolidate(sorted((EXAMPLES / folder).glob("*.xlsx")), files / "summary.xlsx", jobs=1).output
    assert not ooxml_errors(path)
    wb = openpyxl.load_workbook(path)
    pairs, across = [], []
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        if ws.title == "项目进度":  # two pages across at 100 % (test_summary_rows): the key columns on each
            assert ws.page_setup.fitToWidth == 2 and ws.print_title_cols == "$A:$C"
            across.append(tuple(h[:2] for h in _printed_headings(ws)))
            continue
        if ws is not wb.worksheets[0]:  # the first prints at its own scale (test_the_summary_sheet_prints_…)
            assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None) \
                and ws.page_setup.fitToHeight == 0, ws.title
        pairs.append((ws.title, *(h[:2] for h in _printed_headings(ws))))
    ((pdf, _),) = _print([path], tmp_path / "printed", needed=False).values()
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "printed" / "summary.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    pages = ["".join(p.split()) for p in pages if p.strip()]
    assert len(pages) >= len(pairs)
    for i, text in enumerate(pages, start=1):
        if any(first in text and last in text for _, first, last in pairs + [(None, *p) for p in across]):
            continue
        # 项目进度's first page across: the key columns, and the last heading on the next page
        assert i < len(pages) and any(first in text and last not in text and first in pages[i] and last in pages[i]
                                      for first, last in across), (i, pairs, text[:200])
    assert not pdf.off_page()
