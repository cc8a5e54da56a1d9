"""The blank template: protection, dropdowns, lists, stamp, print setup, formats."""

import re
import zipfile

import openpyxl
import pytest

import xlgoals
from xlgoals._form import a1, parse_stamp
from .helpers import F, ooxml_errors
from xlgoals import load_framework, write_template
from xlgoals._write._workbook import legacy_password_hash

from .conftest import EXAMPLE_JSON, cli, load, run_cli


@pytest.fixture(scope="module")
def template_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("tpl") / "模板.xlsx"
    write_template(path, framework="shanghai-2020", year=2020, rows=40)
    return path


@pytest.fixture(scope="module")
def wb(template_path):
    return openpyxl.load_workbook(template_path)


def test_sheets_and_states(wb):
    assert wb.sheetnames == [F.guide.name, F.info.name, F.table.name, F.lists_sheet]
    assert wb[F.lists_sheet].sheet_state == "veryHidden"
    assert all(wb[s].sheet_state == "visible" for s in F.sheets[:3])
    assert wb.security.lockStructure


def test_every_sheet_protected(wb):
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
        # inserting/deleting columns stays forbidden (openpyxl: True means "protected"); rows may be inserted
        # and deleted on the indicator sheet only, when a department needs more indicator rows
        assert ws.protection.insertColumns and ws.protection.deleteColumns
        rows_open = ws.title == F.table.name
        assert ws.protection.insertRows is not rows_open and ws.protection.deleteRows is not rows_open, ws.title


def test_only_input_cells_unlocked(wb):
    info = wb[F.info.name]
    for f in F.fields:
        assert info.cell(f.row + 1, F.info.label_col + 1).protection.locked, f.label
        value_cell = info.cell(f.row + 1, F.info.value_col + 1)
        assert value_cell.protection.locked == (f.kind == "year"), f.label
    assert info.cell(F.info.stamp_row + 1, F.info.value_col + 1).protection.locked
    ind = wb[F.table.name]
    fw = load_framework("shanghai-2020")
    cols = F.columns(fw)
    for col in cols:
        assert ind.cell(F.table.header_row + 1, col.index + 1).protection.locked
    for r in (F.table.first_row, F.table.first_row + 39):
        for col in cols:
            assert ind.cell(r + 1, col.index + 1).protection.locked == (col.key == "seq"), (r, col.key)
    # below the last template row nothing is open for input
    assert ind.cell(F.table.first_row + 41, 2).protection.locked


def _validations(ws):
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


def test_indicator_dropdowns(wb):
    dvs = _validations(wb[F.table.name])
    first, last = F.table.first_row + 1, F.table.first_row + 40
    assert dvs[f"B{first}:B{last}"].type == "list"
    assert dvs[f"B{first}:B{last}"].formula1 == "xl_level1"
    level2 = dvs[f"C{first}:C{last}"]
    assert level2.type == "list"
    # dependent on the level-1 cell of the row it is on (ROW(): see the test below)
    assert level2.formula1 == 'INDIRECT("xl_l2_"&MATCH(INDEX($B:$B,ROW()),xl_level1,0))'
    assert dvs[f"E{first}:E{last}"].formula1 == "xl_comparators"
    assert dvs[f"G{first}:G{last}"].formula1 == "xl_units"
    assert dvs[f"G{first}:G{last}"].errorStyle == "information"  # units are suggestions


def _lookup(prefix: str, column: int, names: str) -> str:
    """A dependent list's source: the list named `prefix` + the place in `names` of the value in `column` on the
    validated cell's own row."""
    letter = a1(0, column)[:-1]
    return f'INDIRECT("{prefix}"&MATCH(INDEX(${letter}:${letter},ROW()),{names},0))'


@pytest.mark.parametrize("fw", ["shanghai-2020", "national-2021", "shanghai-2025"])
def test_dependent_dropdowns_look_up_the_row_they_are_on(tmp_path, fw):
    """The 二级 list (and, with a library, the 三级 list) looks up the 一级 (二级) of the row it is on, ROW(), with no
    cell reference relative to the validation's first cell: LibreOffice, saving a return with a row inserted above
    the first indicator row, moved the validation's first cell down without its formula (most of the time), and
    every row's 二级 list then looked at the 一级 of the row above (tests/test_real_clients.py types it)."""
    from .test_review import LIBRARY

    template = write_template(tmp_path / "模板.xlsx", framework=fw, library=LIBRARY)
    filled = xlgoals.fill({**load(EXAMPLE_JSON[1]), "framework": fw}, tmp_path / "填报.xlsx") \
        if fw == "shanghai-2020" else None  # the example's categories are shanghai-2020's
    level2 = _lookup("xl_l2_", F.column("level1", fw).index, "xl_level1")
    level3 = _lookup("xl_lib_", F.column("level2", fw).index, "xl_lib_level2")
    for made, expected in ((template, {level2, level3}), (filled, {level2})):
        if made is None:
            continue
        ws = openpyxl.load_workbook(made)[F.table.name]
        dependent = {dv.formula1 for dv in ws.data_validations.dataValidation if "MATCH(" in (dv.formula1 or "")}
        assert dependent == expected
        for formula in dependent:  # no A1 reference at all: nothing relative to where the validation starts
            assert not re.search(r"(?<![A-Za-z_])\$?[A-Z]{1,3}\$?[0-9]+", formula), formula
        assert ooxml_errors(made) == []


def test_the_guide_says_to_insert_rows_below_the_first_indicator_row(wb):
    """A row inserted above the first indicator row takes the header row's format, locked: LibreOffice and Excel
    both format a new row as the row above it (tests/test_real_clients.py inserts one). The guide's line on
    inserting rows named no row, so a department inserting at the top had a row it could not type into."""
    top = next(c.row for c in wb[F.table.name]["A"] if c.value == 1)  # 序号 1: the first indicator row, as shown
    line = next(c.value for c in wb[F.guide.name]["A"] if c.value and "插入行" in c.value)
    assert f"右键点击表内第 {top} 行（第一条指标）以下任一行的行号" in line, line
    assert f"不要在第 {top} 行的上方插入" in line and "无法填写" in line and "删除" in line, line


def test_info_validations(wb):
    dvs = _validations(wb[F.info.name])
    by_cell = {k: v for k, v in dvs.items()}
    start = F.field("/project/start_date").cell
    assert by_cell[start].type == "date"
    total = F.field("/budget/total").cell
    assert by_cell[total].type == "decimal" and by_cell[total].operator == "greaterThanOrEqual"
    assert by_cell[F.field("/project/government_procurement").cell].formula1 == "xl_yesno"
    assert by_cell[F.field("/project/category").cell].formula1 == "xl_project_categories"
    assert by_cell[F.field("/project/performance_type").cell].formula1 == "xl_performance_types"
    # formats: amounts #,##0.00, dates as dates, text cells as text
    info = wb[F.info.name]
    assert info[total].number_format == "#,##0.00"
    assert info[start].number_format == "yyyy-mm-dd"
    assert info[F.field("/project/name").cell].number_format == "@"
    assert info[F.field("/project/overview").cell].number_format == "@"


def test_lists_sheet_and_defined_names(wb):
    fw = load_framework("shanghai-2020")
    names = wb.defined_names
    lists = wb[F.lists_sheet]

    def values(name):
        dest = list(names[name].destinations)[0]
        return [c.value for row in lists[dest[1].replace("$", "")] for c in row]

    assert values("xl_level1") == fw.level1_names
    for i, cat in enumerate(fw.level1, start=1):
        assert values(f"xl_l2_{i}") == list(cat["level2"])
    assert values("xl_comparators") == ["＝", "≥", "＞", "≤", "＜", "定性"]
    assert values("xl_yesno") == ["是", "否"]


def test_template_stamp(template_path, wb):
    info = wb[F.info.name]
    stamp = parse_stamp(info.cell(F.info.stamp_row + 1, F.info.value_col + 1).value)
    assert stamp == {"form": "goal-table", "layout_version": F.layout_version, "framework": "shanghai-2020",
                     "year": 2020, "template_id": F.template_id("shanghai-2020", 2020)}
    assert info.cell(F.info.stamp_row + 1, F.info.value_col + 1).value.startswith(f"XLGOALS|goal-table|{F.layout_version}|")
    with zipfile.ZipFile(template_path) as z:
        custom = z.read("docProps/custom.xml").decode()
    assert "xlgoals_template_id" in custom and F.template_id("shanghai-2020", 2020) in custom
    assert "xlgoals_form" in custom
    assert "xlgoals_framework" in custom and "shanghai-2020" in custom


def test_layout_1_stamps_without_a_form_still_read():
    """Returns made before the stamp named its form (``XLGOALS|1|…``) are goal tables of layout 1."""
    from pathlib import Path

    from xlgoals import read

    old = Path(__file__).parent / "fixtures" / "goal-table-layout1-old-stamp.xlsx"
    result = read(old)
    assert result.problems == [] and result.form == "goal-table"
    assert result.template["template_id"] == "xlgoals-L1-shanghai-2020-2020"
    assert result.document["project"]["name"] == "促进就业专项资金"
    assert parse_stamp("XLGOALS|1|shanghai-2020|2020|x")["form"] == "goal-table"
    assert parse_stamp("XLGOALS|self-evaluation|1|shanghai-2020|2020|x")["form"] == "self-evaluation"


def test_print_setup(wb):
    for name in (F.info.name, F.table.name):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the default
    # the caption (申报单位, 项目名称) with the header on every page: a stamped form's later pages name their project
    assert wb[F.table.name].print_title_rows == f"${F.table.caption_row + 1}:${F.table.header_row + 1}"
    assert wb[F.table.name].freeze_panes == f"A{F.table.first_row + 1}"
    assert wb[F.info.name]["A3"].font.name == "宋体"
    assert wb[F.table.name].column_dimensions["D"].width >= 30  # indicator names fit


def test_prefilled_rows(wb):
    fw = load_framework("shanghai-2020")
    ind = wb[F.table.name]
    rows = [[c.value for c in r] for r in ind.iter_rows(min_row=F.table.first_row + 1, max_row=F.table.first_row + 9)]
    assert [r[3] for r in rows] == [p["name"] for p in fw.prefilled_rows]
    assert rows[0][1:7] == ["投入与管理", "投入管理", "预算编制合理性", "定性", "合理", None]
    assert rows[1][4:7] == ["＝", 100, "%"]


def test_password_protection(tmp_path):
    path = tmp_path / "pw.xlsx"
    write_template(path, password="secret")
    wb = openpyxl.load_workbook(path)
    assert wb[F.info.name].protection.password == legacy_password_hash("secret")
    assert wb.security.workbookPassword == legacy_password_hash("secret")


def test_national_framework_optional_columns(tmp_path):
    path = tmp_path / "n.xlsx"
    write_template(path, framework="national-2021", year=2021)
    wb = openpyxl.load_workbook(path)
    ind = wb[F.table.name]
    headers = [c.value for c in ind[F.table.header_row + 1]]
    assert headers == ["序号", "一级指标", "二级指标", "三级指标", "比较符", "指标值", "计量单位", "指标值设定依据", "分值"]
    assert wb[F.info.name].cell(2, 2).value == 2021
    assert ind.page_setup.orientation == "landscape"


def test_template_is_deterministic(tmp_path):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_template(a)
    write_template(b)
    assert a.read_bytes() == b.read_bytes()


def test_cli_template_and_frameworks(tmp_path):
    out = tmp_path / "sub" / "t.xlsx"
    result = cli("template", "-o", out, "--framework", "national-2021", "--year", "2022", "--rows", "10")
    assert result.exit_code == 0, result.stderr
    wb = openpyxl.load_workbook(out)
    assert wb[F.info.name].cell(2, 2).value == 2022
    assert wb[F.table.name].cell(F.table.first_row + 10, 1).value == 10
    listing = cli("frameworks")
    assert "shanghai-2020" in listing.stdout and "national-2021" in listing.stdout
    assert "投入与管理" in listing.stdout and "满意度指标" in listing.stdout
    bad = cli("template", "-o", tmp_path / "x.xlsx", "--framework", "nope")
    assert bad.exit_code == 2 and not (tmp_path / "x.xlsx").exists()


def test_cli_schema_prints_the_contract(tmp_path):
    import json

    # Stays a subprocess: the real `python -m xlgoals` entry point, started from another folder, must find its
    # data files through the installed copy (in-process, xlgoals is already imported from the source tree).
    proc = run_cli("schema", cwd=tmp_path)  # from another folder: data files found by the installed copy
    schema = json.loads(proc.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) >= {"schema_version", "framework", "year", "unit", "project", "budget",
                                       "indicators"}
