"""A computed cell (执行率, 序时进度, 总分) whose formula was replaced by another formula: the printed and stamped form
shows the other formula's figure.  A typed number there was already caught (cell.computed_not_formula,
cell.total_not_sum); a formula showing a figure the template's formula does not give over the cells as they stand is
an error at the cell too (cell.computed_formula_changed), whichever program saved it."""

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from xlgoals import FORMS, read, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES

SE = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
MON = EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx"


def _with_cells(src: Path, dst: Path, sheet: str, cells: dict[str, str]) -> Path:
    """`src` with cells of `sheet` rewritten as the XML given (what a program that saved them writes: a formula with
    the result it computed), the rest byte for byte."""
    with zipfile.ZipFile(src) as z:
        names = z.namelist()
        parts = {n: z.read(n) for n in names}
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    rid = re.search(rf'<sheet name="{sheet}" sheetId="\d+" r:id="(rId\d+)"', parts["xl/workbook.xml"].decode())[1]
    part = "xl/" + re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"', rels)[1]
    xml = parts[part]
    for ref, inner in cells.items():
        pattern = re.compile(rb'<c r="%s"( s="\d+")?[^>]*?(?:/>|>.*?</c>)' % ref.encode())
        m = pattern.search(xml)
        assert m, ref
        xml = xml[:m.start()] + b'<c r="%s"%s%s</c>' % (ref.encode(), m[1] or b"", inner.encode()) + xml[m.end():]
    parts[part] = xml
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            z.writestr(n, parts[n])
    return dst


def _at(problems, sheet, cell):
    return [p for p in problems if (p.sheet, p.cell) == (sheet, cell)]


def _rate_cell(form_id):
    form = FORMS[form_id].bind(month=6) if FORMS[form_id].params else FORMS[form_id]
    (r, c, _), (r2, c2, _), *_ = [*form.info.grids[0].computed, (None, None, None)]
    return form, a1(r, c), (a1(r2, c2) if r2 is not None else None)


@pytest.mark.parametrize("src, form_id", [(SE, "self-evaluation"), (MON, "monitoring")])
def test_a_rate_formula_replaced_by_one_giving_another_figure_is_an_error_at_it(tmp_path, src, form_id):
    form, rate_cell, _ = _rate_cell(form_id)
    sheet = form.info.name
    assert not [p for p in validate_file(src).problems if p.code.startswith("cell.computed")]
    path = _with_cells(src, tmp_path / "r.xlsx", sheet, {rate_cell: "><f>1</f><v>1</v>"})  # shows 100.00%
    found = _at(validate_file(path).problems, sheet, rate_cell)
    assert [(p.code, p.severity) for p in found] == [("cell.computed_formula_changed", "error")], \
        [p.message for p in found]
    doc = read(src).document
    executed = doc["funds"]["executed" if form_id == "self-evaluation" else "executed_to_date"]
    rate = Decimal(str(executed)) / Decimal(str(doc["funds"]["full_year_budget"]))
    shown = f"{(rate * 100).quantize(Decimal('0.01')):f}%"
    assert "“100.00%”" in found[0].message and shown in found[0].message and "公式" in found[0].message, \
        found[0].message
    assert shown in found[0].message_en, found[0].message_en
    assert found[0].field == "资金情况执行率" or "执行率" in found[0].field, found[0].field


@pytest.mark.parametrize("src, form_id", [(SE, "self-evaluation"), (MON, "monitoring")])
def test_a_rate_formula_giving_the_same_figure_is_not_said(tmp_path, src, form_id):
    """Another formula that shows what the template's shows (D7/C7 without the IF), or the template's own with a
    result a program computed to a last bit of its own: the printed figure is right; nothing is said."""
    form, rate_cell, _ = _rate_cell(form_id)
    doc = read(src).document
    executed = doc["funds"]["executed" if form_id == "self-evaluation" else "executed_to_date"]
    rate = float(Decimal(str(executed)) / Decimal(str(doc["funds"]["full_year_budget"])))
    path = _with_cells(src, tmp_path / "r.xlsx", form.info.name,
                       {rate_cell: f"><f>$D$7/$C$7</f><v>{rate * (1 + 2e-16)!r}</v>"})
    assert not [p for p in validate_file(path).problems if p.code.startswith("cell.computed")]


def test_a_schedule_formula_of_another_month_is_an_error_at_it(tmp_path):
    """序时进度 (month ÷ 12) shows 7/12 on a report for June: the paper says the year is further on than it is."""
    form, _, schedule = _rate_cell("monitoring")
    path = _with_cells(MON, tmp_path / "r.xlsx", form.info.name, {schedule: f"><f>7/12</f><v>{7 / 12!r}</v>"})
    found = _at(validate_file(path).problems, form.info.name, schedule)
    assert [p.code for p in found] == ["cell.computed_formula_changed"], [p.message for p in found]
    assert "“58.33%”" in found[0].message and "50.00%" in found[0].message, found[0].message


def _total_cell():
    form = FORMS["self-evaluation"]
    table = form.table
    col = form.column(table.total.column).index
    doc = read(SE).document
    return form, table.name, col, table.first_row + len(doc["indicators"]), doc


def test_a_total_formula_replaced_by_one_giving_another_figure_is_an_error_at_it(tmp_path):
    """总分 shows =100 while 资金得分 and the 得分 above it add up to 98.93: the stamped total is not theirs."""
    form, sheet, col, r, doc = _total_cell()
    cell = a1(r, col)
    path = _with_cells(SE, tmp_path / "t.xlsx", sheet, {cell: "><f>100</f><v>100</v>"})
    found = _at(validate_file(path).problems, sheet, cell)
    assert [(p.code, p.severity) for p in found] == [("cell.computed_formula_changed", "error")], \
        [p.message for p in found]
    assert "“100”" in found[0].message and "98.93" in found[0].message and "总分" in found[0].message, \
        found[0].message


def test_a_total_over_a_score_typed_as_text_is_what_the_formula_gives(tmp_path):
    """A 得分 typed as text is left out by SUM, so the total the program computed is short of what the reader reads
    (it reads the text as the number): the formula is the template's, and no formula is said changed."""
    form, sheet, col, r, doc = _total_cell()
    first = form.table.first_row
    score = doc["indicators"][0]["score"]
    total = Decimal(str(doc["funds"]["score"])) + sum(Decimal(str(i["score"])) for i in doc["indicators"][1:])
    path = _with_cells(SE, tmp_path / "t.xlsx", sheet, {
        a1(first, col): f' t="inlineStr"><is><t>{score}</t></is>',
        a1(r, col): f"><f>IF(1,ROUND(N(0)+SUM($L$4:$L$30),2))</f><v>{float(total)!r}</v>"})
    assert not [p for p in validate_file(path).problems if p.code == "cell.computed_formula_changed"]


def test_a_rate_formula_typed_in_libreoffice_is_an_error(tmp_path, lo_edit):
    """The real client: the sheet unprotected and =1 typed over 执行率 in LibreOffice, which saves the formula with
    its result (1: 100.00%)."""
    form, rate_cell, _ = _rate_cell("self-evaluation")
    sheet = form.info.name
    path = lo_edit(SE, tmp_path / "lo.xlsx", [{"sheet": sheet, "unprotect": True},
                                               {"sheet": sheet, "cell": rate_cell, "input": "=1"}])
    found = _at(validate_file(path).problems, sheet, rate_cell)
    assert [p.code for p in found] == ["cell.computed_formula_changed"], [p.message for p in found]


def test_a_unit_merged_over_rows_is_read_into_each_as_printed(tmp_path):
    """计量单位 merged over the rows of one unit (% over five rates): the printed form shows % on each row, as it
    shows a merged 一级指标 on each; each row is read with it, and one warning says the cells are merged (it read
    the first row's only: four rates lost their %, under a warning saying they read empty)."""
    import openpyxl

    from .helpers import F, ind_cell

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    before = read(src).document["indicators"]
    rows = [i for i in range(len(before) - 4) if all(before[j].get("unit") == "%" for j in range(i, i + 5))]
    assert rows, [i.get("unit") for i in before]
    i = rows[0]
    first, last = ind_cell(i, "unit")[1], ind_cell(i + 4, "unit")[1]
    wb = openpyxl.load_workbook(src)
    wb[F.table.name].merge_cells(f"{first}:{last}")
    wb.save(tmp_path / "m.xlsx")
    report = validate_file(tmp_path / "m.xlsx")
    assert [ind.get("unit") for ind in report.document["indicators"][i:i + 5]] == ["%"] * 5
    found = [(p.code, p.cell) for p in report.problems if p.code.startswith("cell.merged")]
    assert found == [("cell.merged_read", first)], found


def test_text_typed_in_the_seq_column_is_said_once(tmp_path):
    """备注 typed in the 序号 column (over a blank row's number, and below the rows): it prints, but was neither read
    nor said, where the same note beside the form is cell.outside.  One warning at the first, counting both."""
    import openpyxl

    from .helpers import F

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    n = len(read(src).document["indicators"])
    blank_row, below = F.table.first_row + n + 1, F.table.first_row + n + 40  # 0-based rows
    wb = openpyxl.load_workbook(src)
    ws = wb[F.table.name]
    ws.cell(blank_row + 1, 1).value = "备注：以上指标待党组会审议"
    ws.cell(below + 1, 1).value = "备注：无"
    wb.save(tmp_path / "s.xlsx")
    report = validate_file(tmp_path / "s.xlsx")
    found = [p for p in report.problems if p.code == "cell.seq_text"]
    assert [(p.sheet, p.cell, p.severity) for p in found] == [(F.table.name, a1(blank_row, 0), "warning")], \
        [(p.code, p.cell) for p in report.problems]
    assert "2 个单元格" in found[0].message and "备注：以上指标待党组会审议" in found[0].message, found[0].message
    assert len(report.document["indicators"]) == n
    assert not [p for p in validate_file(src).problems if p.code == "cell.seq_text"]


@pytest.mark.parametrize("cell_key, text", [("level1", "注：以上指标经单位党组会审议通过"), ("name", "备注：无")])
def test_a_note_typed_below_the_indicators_is_one_warning_not_an_indicator(tmp_path, cell_key, text):
    """A note typed into a row below the goal table's indicators (注：以上指标经单位党组会审议通过 under 一级指标) was read as
    an indicator: an unknown 一级指标 and four required cells missing, five errors for one note.  It is one warning
    at its cell, and no indicator; a row with a note's words and a second cell filled is still an indicator."""
    import openpyxl

    from .helpers import F, ind_cell

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    n = len(read(src).document["indicators"])
    _, cell = ind_cell(n + 2, cell_key)  # two blank rows below the last indicator
    wb = openpyxl.load_workbook(src)
    wb[F.table.name][cell].value = text
    wb.save(tmp_path / "n.xlsx")
    report = validate_file(tmp_path / "n.xlsx")
    assert [(p.code, p.cell, p.severity) for p in report.problems] == [("cell.note_row", cell, "warning")], \
        [(p.code, p.cell) for p in report.problems]
    assert text in report.problems[0].message and len(report.document["indicators"]) == n
    wb[F.table.name][ind_cell(n + 2, "unit")[1]].value = "%"  # a second cell: an indicator row, however it starts
    wb.save(tmp_path / "m.xlsx")
    report = validate_file(tmp_path / "m.xlsx")
    assert len(report.document["indicators"]) == n + 1 and "cell.note_row" not in {p.code for p in report.problems}


def test_a_department_numbering_its_rows_as_text_is_not_said_as_seq_text(tmp_path):
    """A row read as an indicator numbered 一 or 1-1 (as text): its 序号, however written (numbering is _seq_order's
    to judge); only text on rows that are not read is cell.seq_text."""
    import openpyxl

    from .helpers import F

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    wb = openpyxl.load_workbook(src)
    ws = wb[F.table.name]
    ws.cell(F.table.first_row + 1, 1).value = "一"
    ws.cell(F.table.first_row + 2, 1).value = "1-1"
    wb.save(tmp_path / "n.xlsx")
    assert "cell.seq_text" not in {p.code for p in validate_file(tmp_path / "n.xlsx").problems}


@pytest.mark.parametrize("cell_key, text", [("comparator", "备注：无"), ("name", "注：" + "以上指标经单位党组会审议通过。" * 30)])
def test_a_note_row_keeps_nothing_said_of_it_as_an_indicator(tmp_path, cell_key, text):
    """A note in the 比较符 column was also cell.comparator (an error) of an indicator that is no more, and a long one
    cell.too_long: the return failed for a note.  The note is the one warning."""
    import openpyxl

    from .helpers import F, ind_cell

    src = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    n = len(read(src).document["indicators"])
    _, cell = ind_cell(n + 1, cell_key)
    wb = openpyxl.load_workbook(src)
    wb[F.table.name][cell].value = text
    wb.save(tmp_path / "n.xlsx")
    report = validate_file(tmp_path / "n.xlsx")
    assert [(p.code, p.cell) for p in report.problems] == [("cell.note_row", cell)], \
        [(p.code, p.cell, p.path) for p in report.problems]
    assert report.passes()


def test_a_rate_shown_alike_at_a_rounding_boundary_is_not_a_formula_changed(tmp_path):
    """The template's formula gives 0.523549 (52.35%); a result of 0.52345 shows 52.35% too, though more than half a
    unit of 0.01% apart: the same figure printed, nothing said (it said 显示为“52.35%”……应得 52.35%)."""
    form, rate_cell, _ = _rate_cell("self-evaluation")
    budget, executed = rate_cell.replace("E", "C"), rate_cell.replace("E", "D")
    path = _with_cells(SE, tmp_path / "r.xlsx", form.info.name, {
        budget: "><v>1000000</v>", executed: "><v>523549</v>", rate_cell: "><f>$D$7/$C$7</f><v>0.52345</v>"})
    assert "cell.computed_formula_changed" not in {p.code for p in validate_file(path).problems}
    path = _with_cells(SE, tmp_path / "s.xlsx", form.info.name, {
        budget: "><v>1000000</v>", executed: "><v>523549</v>", rate_cell: "><f>$D$7/$C$7</f><v>0.5234</v>"})
    found = [p for p in validate_file(path).problems if p.code == "cell.computed_formula_changed"]
    assert len(found) == 1 and "“52.34%”" in found[0].message and "52.35%" in found[0].message, found


def test_english_messages_name_computed_cells_and_the_table_in_english(tmp_path):
    """Under --lang en the computed cells' problems named their field in Chinese ('项目资金执行率'), as did the table's
    row problems ('绩效指标'): each is named in English."""
    import openpyxl

    form, rate_cell, _ = _rate_cell("self-evaluation")
    path = _with_cells(SE, tmp_path / "r.xlsx", form.info.name, {rate_cell: "><v>1</v>"})  # typed over: 100%
    found = _at(validate_file(path).problems, form.info.name, rate_cell)
    assert [p.code for p in found] == ["cell.computed_not_formula"], found
    assert found[0].field_en == "Funds execution rate", found[0].field_en
    assert "Funds execution rate" in found[0].message_en, found[0].message_en
    form, _, schedule = _rate_cell("monitoring")
    path = _with_cells(MON, tmp_path / "m.xlsx", form.info.name, {schedule: f"><f>7/12</f><v>{7 / 12!r}</v>"})
    (p,) = _at(validate_file(path).problems, form.info.name, schedule)
    assert p.field_en == "Share of the year elapsed", p.field_en
    wb = openpyxl.load_workbook(SE)
    wb[FORMS["self-evaluation"].table.name].delete_rows(FORMS["self-evaluation"].table.first_row + 3)
    wb.save(tmp_path / "d.xlsx")
    (p,) = [p for p in validate_file(tmp_path / "d.xlsx").problems if p.code == "template.locked_rows_count"]
    assert p.field_en == FORMS["self-evaluation"].table.name_en != "" and "绩效" not in p.message_en, p.message_en


def test_a_bureau_file_with_a_gbk_name_is_named_readably_in_its_error(tmp_path):
    """A rules file whose name is GBK (unpacked from a Windows archive) named in its error as surrogate escapes
    (\\udcb9\\udce6…): named as its Chinese name, given as text or as bytes."""
    import os

    from xlgoals import Config, ConfigError

    raw = os.fsencode(tmp_path) + b"/" + "规则.csv".encode("gbk")
    with open(raw, "w", encoding="utf-8") as fh:
        fh.write("code,severity\n")  # no check column
    for given in (raw, os.fsdecode(raw)):
        with pytest.raises(ConfigError) as caught:
            Config.load(rules=given)
        text = str(caught.value)
        assert "规则.csv" in text and "\\udc" not in repr(text), repr(text)
