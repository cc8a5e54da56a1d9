"""Pre-rendered rows spliced into an xlsxwriter sheet read back exactly, whatever the strings hold."""

import openpyxl
import xlsxwriter

from xlgoals._consolidate._xlsxrows import rows_xml, splice_rows

NASTY = ["=HYPERLINK(\"http://x\",\"y\")", "a&b<c>d", " leading and trailing ", "\x01控制\x1f字符",
         "_x0041_ stays literal", "＝100％", "+1", "@SUM(A1)"]


def test_spliced_rows_read_back(tmp_path):
    stage, out = tmp_path / "stage.xlsx", tmp_path / "out.xlsx"
    wb = xlsxwriter.Workbook(str(stage))
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, ["text", "number", "float", "empty", "bool"])
    money = wb.add_format({"num_format": "#,##0.00"})
    ws.write_number(0, 10, 0, money)  # xlsxwriter gives a style id only to formats in use
    unused = wb.add_format({"bold": True})
    wb.close()
    rows = [(s, i, i + 0.25, None, i % 2 == 0) for i, s in enumerate(NASTY)]
    splice_rows(str(stage), out, {"xl/worksheets/sheet1.xml": (rows_xml(rows, {1: money.xf_index, 2: unused.xf_index}), len(rows) + 1, 4)})
    sheet = openpyxl.load_workbook(out)["data"]
    got = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    expected = [[s, i, i + 0.25, None, "是" if i % 2 == 0 else "否"] for i, s in enumerate(NASTY)]
    assert [r[1:5] for r in got] == [r[1:5] for r in expected]
    # control characters travel as OOXML escapes (_x0001_), which Excel and calamine decode
    import python_calamine

    texts = [r[0] for r in python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("data").to_python()]
    assert texts[1:] == NASTY
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(2, len(rows) + 2))  # never formulas
    assert sheet.max_row == len(rows) + 1
    assert sheet["B3"].number_format == "#,##0.00"
