"""The blank template: protection, dropdowns, lists, stamp, print setup, formats."""

import zipfile

import openpyxl
import pytest

from xlgoals import layout as L
from xlgoals import load_framework, write_template
from xlgoals.writer import legacy_password_hash

from .conftest import run_cli


@pytest.fixture(scope="module")
def template_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "模板.xlsx"
    write_template(path, framework="shanghai-2020", year=2020, rows=40)
    return path


@pytest.fixture(scope="module")
def wb(template_path):
    return openpyxl.load_workbook(template_path)


def test_sheets_and_states(wb):
    assert wb.sheetnames == [L.GUIDE_SHEET, L.INFO_SHEET, L.INDICATOR_SHEET, L.LISTS_SHEET]
    assert wb[L.LISTS_SHEET].sheet_state == "veryHidden"
    assert all(wb[s].sheet_state == "visible" for s in L.SHEETS[:3])
    assert wb.security.lockStructure


def test_every_sheet_protected(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        # inserting/deleting rows and columns stays forbidden (openpyxl: True means "protected")
        assert ws.protection.insertRows and ws.protection.deleteRows and ws.protection.insertColumns


def test_only_input_cells_unlocked(wb):
    info = wb[L.INFO_SHEET]
    for f in L.INFO_FIELDS:
        assert info.cell(f.row + 1, L.LABEL_COL + 1).protection.locked, f.label
        value_cell = info.cell(f.row + 1, L.VALUE_COL + 1)
        assert value_cell.protection.locked == (f.kind == "year"), f.label
    assert info.cell(L.STAMP_ROW + 1, L.VALUE_COL + 1).protection.locked
    ind = wb[L.INDICATOR_SHEET]
    fw = load_framework("shanghai-2020")
    cols = L.indicator_columns(fw)
    for col in cols:
        assert ind.cell(L.IND_HEADER_ROW + 1, col.index + 1).protection.locked
    for r in (L.IND_FIRST_ROW, L.IND_FIRST_ROW + 39):
        for col in cols:
            assert ind.cell(r + 1, col.index + 1).protection.locked == (col.key == "seq"), (r, col.key)
    # below the last template row nothing is open for input
    assert ind.cell(L.IND_FIRST_ROW + 41, 2).protection.locked


def _validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_indicator_dropdowns(wb):
    dvs = _validations(wb[L.INDICATOR_SHEET])
    first, last = L.IND_FIRST_ROW + 1, L.IND_FIRST_ROW + 40
    assert dvs[f"B{first}:B{last}"].type == "list"
    assert dvs[f"B{first}:B{last}"].formula1 == "xl_level1"
    level2 = dvs[f"C{first}:C{last}"]
    assert level2.type == "list"
    # dependent on the same row's level-1 cell (relative row reference)
    assert level2.formula1 == f'INDIRECT("xl_l2_"&MATCH($B{first},xl_level1,0))'
    assert dvs[f"E{first}:E{last}"].formula1 == "xl_comparators"
    assert dvs[f"G{first}:G{last}"].formula1 == "xl_units"
    assert dvs[f"G{first}:G{last}"].errorStyle == "information"  # units are suggestions


def test_info_validations(wb):
    dvs = _validations(wb[L.INFO_SHEET])
    by_cell = {k: v for k, v in dvs.items()}
    start = L.FIELD_BY_PATH["/project/start_date"].cell
    assert by_cell[start].type == "date"
    total = L.FIELD_BY_PATH["/budget/total"].cell
    assert by_cell[total].type == "decimal" and by_cell[total].operator == "greaterThanOrEqual"
    assert by_cell[L.FIELD_BY_PATH["/project/government_procurement"].cell].formula1 == "xl_yesno"
    assert by_cell[L.FIELD_BY_PATH["/project/category"].cell].formula1 == "xl_project_categories"
    assert by_cell[L.FIELD_BY_PATH["/project/performance_type"].cell].formula1 == "xl_performance_types"
    # formats: amounts #,##0.00, dates as dates, text cells as text
    info = wb[L.INFO_SHEET]
    assert info[total].number_format == "#,##0.00"
    assert info[start].number_format == "yyyy-mm-dd"
    assert info[L.FIELD_BY_PATH["/project/name"].cell].number_format == "@"
    assert info[L.FIELD_BY_PATH["/project/overview"].cell].number_format == "@"


def test_lists_sheet_and_defined_names(wb):
    fw = load_framework("shanghai-2020")
    names = wb.defined_names
    lists = wb[L.LISTS_SHEET]

    def values(name):
        dest = list(names[name].destinations)[0]
        return [c.value for row in lists[dest[1].replace("$", "")] for c in row]

    assert values("xl_level1") == fw.level1_names
    for i, cat in enumerate(fw.level1, start=1):
        assert values(f"xl_l2_{i}") == list(cat["level2"])
    assert values("xl_comparators") == ["＝", "≥", "＞", "≤", "＜", "定性"]
    assert values("xl_yesno") == ["是", "否"]


def test_template_stamp(template_path, wb):
    info = wb[L.INFO_SHEET]
    stamp = L.parse_stamp(info.cell(L.STAMP_ROW + 1, L.VALUE_COL + 1).value)
    assert stamp == {"layout_version": L.LAYOUT_VERSION, "framework": "shanghai-2020", "year": 2020,
                     "template_id": L.template_id("shanghai-2020", 2020)}
    with zipfile.ZipFile(template_path) as z:
        custom = z.read("docProps/custom.xml").decode()
    assert "xlgoals_template_id" in custom and L.template_id("shanghai-2020", 2020) in custom
    assert "xlgoals_framework" in custom and "shanghai-2020" in custom


def test_print_setup(wb):
    for name in (L.INFO_SHEET, L.INDICATOR_SHEET):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the default
    assert wb[L.INDICATOR_SHEET].print_title_rows == f"${L.IND_HEADER_ROW + 1}:${L.IND_HEADER_ROW + 1}"
    assert wb[L.INDICATOR_SHEET].freeze_panes == f"A{L.IND_FIRST_ROW + 1}"
    assert wb[L.INFO_SHEET]["A3"].font.name == "宋体"
    assert wb[L.INDICATOR_SHEET].column_dimensions["D"].width >= 30  # indicator names fit


def test_prefilled_rows(wb):
    fw = load_framework("shanghai-2020")
    ind = wb[L.INDICATOR_SHEET]
    rows = [[c.value for c in r] for r in ind.iter_rows(min_row=L.IND_FIRST_ROW + 1, max_row=L.IND_FIRST_ROW + 9)]
    assert [r[3] for r in rows] == [p["name"] for p in fw.prefilled_rows]
    assert rows[0][1:7] == ["投入与管理", "投入管理", "预算编制合理性", "定性", "合理", None]
    assert rows[1][4:7] == ["＝", 100, "%"]


def test_password_protection(tmp_path):
    path = tmp_path / "pw.xlsx"
    write_template(path, password="secret")
    wb = openpyxl.load_workbook(path)
    assert wb[L.INFO_SHEET].protection.password == legacy_password_hash("secret")
    assert wb.security.workbookPassword == legacy_password_hash("secret")


def test_national_framework_optional_columns(tmp_path):
    path = tmp_path / "n.xlsx"
    write_template(path, framework="national-2021", year=2021)
    wb = openpyxl.load_workbook(path)
    ind = wb[L.INDICATOR_SHEET]
    headers = [c.value for c in ind[L.IND_HEADER_ROW + 1]]
    assert headers == ["序号", "一级指标", "二级指标", "三级指标", "比较符", "指标值", "计量单位", "指标值设定依据", "分值"]
    assert wb[L.INFO_SHEET].cell(2, 2).value == 2021
    assert ind.page_setup.orientation == "landscape"


def test_template_is_deterministic(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_template(a)
    write_template(b)
    assert a.read_bytes() == b.read_bytes()


def test_cli_template_and_frameworks(tmp_path):
    out = tmp_path / "sub" / "t.xlsx"
    proc = run_cli("template", "-o", out, "--framework", "national-2021", "--year", "2022", "--rows", "10",
                   cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    assert wb[L.INFO_SHEET].cell(2, 2).value == 2022
    assert wb[L.INDICATOR_SHEET].cell(L.IND_FIRST_ROW + 10, 1).value == 10
    listing = run_cli("frameworks", cwd=tmp_path)
    assert "shanghai-2020" in listing.stdout and "national-2021" in listing.stdout
    assert "投入与管理" in listing.stdout and "满意度指标" in listing.stdout
    bad = run_cli("template", "-o", tmp_path / "x.xlsx", "--framework", "nope", cwd=tmp_path)
    assert bad.returncode == 2 and not (tmp_path / "x.xlsx").exists()


def test_cli_schema_prints_the_contract(tmp_path):
    import json

    proc = run_cli("schema", cwd=tmp_path)  # from another folder: data files found by the installed copy
    schema = json.loads(proc.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) >= {"schema_version", "framework", "year", "unit", "project", "budget",
                                       "indicators"}
