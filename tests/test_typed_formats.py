"""Amounts typed as a department types them, through LibreOffice's own input (.uno:EnterString), into an amount cell
after a format was brought onto it (a paste from its own budget sheet): this session's number-format reading (mendBB)
on values LibreOffice parsed itself, not values set by a script.  0 under 万元 prints 0 and is no problem (F07); a
conditional format's 万元 section that the typed amount falls into scales it (F01); a format of text alone prints
no number (F02).  TRUE typed (a format General brought on first, or none into a text-formatted cell) is read as the
cell keeps it: a logical value said at its cell (cell.logical_value), text kept as text.

Each LibreOffice typing costs a job (a document opened, typed into and saved), so the
cases share one document, typed once per test process (a module fixture): each amount case in an amount cell of its
own (项目总预算, 项目当年预算, 上年预算数, 上年执行数), each TRUE case in a cell of its own (an indicator's 指标目标值,
填报人, 单位负责人).  The targets typed with a sentence's words (90%。, 85%左右) were typed here too, in a document of
their own; test_mendCD types the same readings (100%。, 约85%, 85%左右) in its one document session, and checks there
what was checked here (testtime3)."""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest

from xlgoals import read
from xlgoals._form import a1

from .conftest import EXAMPLES, lo_edit_job
from .test_mendAO import GOAL, _field, _report

AMOUNT_CASES = {  # id: (format brought on, what is typed, codes at the cell, the amount's field)
    "zero-in-wan": ('#,##0.00"万元"', "0", [], "/budget/total"),
    "conditional-wan": ('[<1000000]#,##0.00;#,##0.00"万元"', "62800000", ["cell.amount_scaled"], "/budget/current_year"),
    "conditional-plain": ('[<1000000]#,##0.00;#,##0.00"万元"', "628000", [], "/budget/prior_year_budget"),
    "text-only": ('"详见附件"', "6280", ["cell.format_blank"], "/budget/prior_year_executed"),
}

TRUE_CASES = {  # id: (sheet, cell, format brought on first: None for none)
    # F5, the second indicator's 指标目标值 (预算执行率, ＝ 100 in the example, its cell text-formatted)
    "indicator-target": (GOAL.table.name,
                         a1(GOAL.table.first_row + 1, [c.key for c in GOAL.table.columns].index("target")), "General"),
    "info-text-general": (GOAL.info.name, "/contact/person", "General"),  # 填报人, B20
    "info-text-as-text": (GOAL.info.name, "/contact/head", None),  # 单位负责人, B23: typed into its own @ format
}


def _ref(path: str) -> str:
    f = _field("goal-table", path)
    return a1(f.row, f.col)


@pytest.fixture(scope="module")
def amounts_typed(soffice, tmp_path_factory):
    """The first example return with every amount case typed into its own amount cell and TRUE typed into each TRUE
    case's cell: (its report, its document, the saved file)."""
    folder = tmp_path_factory.mktemp("typed-amounts")
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    edits = []
    for fmt, typed, _, path in AMOUNT_CASES.values():
        edits += [{"sheet": GOAL.info.name, "cell": _ref(path), "paste": 1, "format": fmt},
                  {"sheet": GOAL.info.name, "cell": _ref(path), "input": typed}]
    for sheet, cell, fmt in TRUE_CASES.values():
        cell = _ref(cell) if cell.startswith("/") else cell
        if fmt is not None:
            edits.append({"sheet": sheet, "cell": cell, "paste": 1, "format": fmt})
        edits.append({"sheet": sheet, "cell": cell, "input": "TRUE"})
    out = lo_edit_job(src, folder / "typed.xlsx", edits, folder)
    return _report(out), read(out).document, out


@pytest.mark.parametrize("case", list(AMOUNT_CASES))
def test_an_amount_typed_under_a_brought_on_format_is_read_by_the_section_showing_it(amounts_typed, case):
    fmt, typed, codes, path = AMOUNT_CASES[case]
    report, document, _ = amounts_typed
    ref = _ref(path)
    found = [(p["code"], p["sheet"], p["cell"]) for p in report
             if p["code"] in ("cell.amount_scaled", "cell.format_blank", "cell.number_scaled") and p["cell"] == ref]
    assert found == [(c, GOAL.info.name, ref) for c in codes], found
    assert str(document["budget"][path.rsplit("/", 1)[1]]) == typed


def _cell_xml(path, sheet: str, ref: str) -> str:
    """The `<c>` element of cell `ref` on sheet `sheet` as the saved file keeps it (the part found through the
    workbook's relationships)."""
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
        rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', book)[1]
        target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) \
            or re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
        part = target[1].lstrip("/")
        xml = z.read(part if part.startswith("xl/") else f"xl/{part}").decode()
    return re.search(rf'<c r="{ref}"(?: [^>]*)?(?:/>|>.*?</c>)', xml)[0]


@pytest.mark.parametrize("case", list(TRUE_CASES))
def test_true_typed_in_libreoffice_is_said_at_its_cell_and_kept(amounts_typed, case):
    """TRUE typed where a General format was brought on is a logical value LibreOffice keeps as one (t="b", 1): said
    once at its own cell (cell.logical_value, an error, quoting TRUE as Excel and WPS print it), on the indicator
    sheet as on the information sheet, and read as TRUE.  Typed into a text-formatted cell it stays the text TRUE:
    nothing is said there.  The indicator's row has the comparator ＝: rule.value_kind, asking for a number, would
    say the same slip again, and does not (one slip, one problem)."""
    sheet, cell, fmt = TRUE_CASES[case]
    ref = _ref(cell) if cell.startswith("/") else cell
    report, document, out = amounts_typed
    at = [p for p in report if p["sheet"] == sheet and p["cell"] == ref]
    xml = _cell_xml(out, sheet, ref)
    # (an indicator's TRUE is kept in its item's "text", though the problem's path says /indicators/1/value)
    kept = document["indicators"][1]["text"] if sheet == GOAL.table.name \
        else document["contact"][cell.rsplit("/", 1)[1]]
    assert kept == "TRUE", kept
    if fmt is None:
        assert at == [], at
        assert ' t="s"' in xml and ' t="b"' not in xml, xml
        assert openpyxl.load_workbook(out)[sheet][ref].value == "TRUE"
        return
    said = [(p["code"], p["severity"], p["value"]) for p in at]
    assert said == [("cell.logical_value", "error", "TRUE")], at
    assert ' t="b"' in xml and "<v>1</v>" in xml, xml
