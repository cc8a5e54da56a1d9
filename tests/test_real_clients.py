"""What departments do with real clients: LibreOffice saves as .ods and .xls, typed values under zh_CN,
pasted cells, switched-off protection, added sheets and rows.  Every edit goes through LibreOffice."""

import datetime as dt
import json
import shutil

import openpyxl
import pytest

from xlgoals import fill, read, validate, validate_file, write_template
from xlgoals._form import a1

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES as EXAMPLES_DIR, cli, load
from .helpers import F, ind_cell, info_cell, lo_cell as at

pytestmark = pytest.mark.soffice


def codes(path):
    return [p.code for p in read(path).problems]


def test_ods_reads_like_xlsx(tmp_path, example_ods):
    ods = example_ods  # lo_convert(EXAMPLE_XLSX[1], fmt="ods"), once per test process
    result = read(ods)
    assert result.format == "ods" and result.problems == []
    assert result.document == load(EXAMPLE_JSON[1])
    assert result.sources["/budget/total"] == f"{F.info.name}!{info_cell('/budget/total')[1]}"
    folder = tmp_path / "收到"
    folder.mkdir()
    shutil.copy(ods, folder / "单位.ods")
    report = validate([folder])
    assert [f.path.rsplit("/", 1)[-1] for f in report.files] == ["单位.ods"] and report.valid


def test_ods_with_a_lying_part_is_refused(tmp_path, example_ods):
    """calamine reads an .ods file by itself: every part is inflated and checked first, not only content.xml."""
    from .test_hostile import lying_bomb

    ods = example_ods  # lo_convert(EXAMPLE_XLSX[1], fmt="ods"), once per test process
    bombed = lying_bomb(tmp_path / "bombed.ods", "styles.xml", src=ods, drop=("styles.xml",))
    assert codes(bombed) == ["file.too_large"]


def test_ods_typed_by_a_department_reads_back(tmp_path, lo_edit):
    edits = [{**at(info_cell("/budget/total")), "input": "￥62,800,000"},
             {**at(ind_cell(10, "target")), "input": "≥85%"},
             {**at(info_cell("/project/start_date")), "input": "2020/1/1"}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "return.ods", edits, fmt="ods")
    result = read(out)
    assert result.format == "ods" and result.problems == []
    assert result.document["budget"]["total"] == 62800000
    assert result.document["indicators"][10]["value"] == 85 and result.document["indicators"][10]["unit"] == "%"
    assert result.document["project"]["start_date"] == "2020-01-01"


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_removed_protection_is_reported_in_every_format(tmp_path, lo_edit, fmt):
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / f"open.{fmt}", [{"sheet": F.table.name, "unprotect": True}], fmt=fmt)
    problems = read(out).problems
    assert [(p.code, p.sheet) for p in problems] == [("template.unprotected", F.table.name)], fmt
    assert problems[0].severity == "warning"


def test_an_added_sheet_and_a_shown_lists_sheet_are_reported(tmp_path, lo_edit):
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "extra.xlsx", [{"insert_sheet": "我的草稿"},
                                                            {"show_sheet": F.lists_sheet}])
    problems = [(p.code, p.sheet) for p in read(out).problems]
    assert ("template.extra_sheet", "我的草稿") in problems and ("template.extra_sheet", F.lists_sheet) in problems
    assert validate_file(out).passes()  # warnings: the return still counts


def test_an_edited_lists_sheet_is_reported(tmp_path, lo_edit):
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "lists.xlsx",
                  [{"sheet": F.lists_sheet, "unprotect": True}, {"sheet": F.lists_sheet, "cell": "A2", "string": "自创"}])
    assert ("template.extra_sheet", F.lists_sheet) in [(p.code, p.sheet) for p in read(out).problems]


def test_rows_inserted_into_the_protected_template_are_read(tmp_path, lo_edit):
    """The department runs out of rows: it inserts rows (the protection allows it) and types into them."""
    src = tmp_path / "模板.xlsx"
    write_template(src, rows=12)
    first_blank = F.table.first_row + 9  # below the nine prefilled rows; 3 blank rows of 12
    edits = [{"sheet": F.table.name, "cell": f"B{first_blank + 1}", "insert_rows": 3}]  # an input cell selected
    for i in range(6):  # the 3 inserted rows and the 3 blank rows below them
        r = first_blank + 1 + i
        edits += [{"sheet": F.table.name, "cell": f"B{r}", "input": "产出目标"},
                  {"sheet": F.table.name, "cell": f"C{r}", "input": "数量"},
                  {"sheet": F.table.name, "cell": f"D{r}", "input": f"新增指标{i + 1}"},
                  {"sheet": F.table.name, "cell": f"E{r}", "input": "≥"},
                  {"sheet": F.table.name, "cell": f"F{r}", "input": str(10 + i)},
                  {"sheet": F.table.name, "cell": f"G{r}", "input": "人"}]
    out = lo_edit(src, tmp_path / "more.xlsx", edits)
    wb = openpyxl.load_workbook(out)
    ws = wb[F.table.name]
    assert ws.protection.sheet  # still protected: rows were inserted under its protection
    result = read(out)
    names = [i.get("name") for i in result.document["indicators"]]
    added = [n for n in names if n.startswith("新增指标")]
    assert len(added) == 6 and len(names) == 15
    ranges = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    level1 = next(r for r, f in ranges.items() if f == "xl_level1")
    last_row = int(level1.split(":")[1][1:])
    assert last_row >= F.table.first_row + 12 + 3  # the dropdowns cover the inserted rows


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_pasted_percent_reads_as_the_percent_people_see(tmp_path, lo_edit, fmt):
    """0.85 shown as 85 % reads as 85 %, whether LibreOffice saves the return as .xlsx or .ods (an .ods cell says so
    by its value type, 'percentage', where an .xlsx says it by the style's number format): the .ods one was read
    as 0.85 with no unit and no warning."""
    target = ind_cell(10, "target")
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / f"pasted.{fmt}", [
        {**at(target), "paste": 0.85, "format": "0%"},
        {**at(ind_cell(10, "unit")), "clear": True},
        {**at(ind_cell(9, "target")), "paste": 0.9, "format": "General"},  # a bare fraction, unit %
        {**at(ind_cell(12, "target")), "input": "0.85"},  # typed into the text cell: the same bare fraction
    ], fmt=fmt)
    result = read(out)
    assert result.format == fmt
    ind = result.document["indicators"]
    assert (ind[10]["value"], ind[10]["unit"]) == (85, "%")
    assert ind[12]["unit"] == "%" and ind[12]["value"] == 0.85
    warned = [(p.code, p.cell) for p in result.problems]
    assert warned == [("cell.percent_fraction", ind_cell(9, "target")[1]),
                      ("cell.percent_fraction", ind_cell(12, "target")[1])]
    assert validate_file(out).passes()


def test_typed_values_keep_their_meaning(tmp_path, lo_edit):
    edits = [{**at(info_cell("/project/start_date")), "input": "2020年1月1日"},
             {**at(info_cell("/project/end_date")), "input": "2020/12/31"},
             {**at(info_cell("/budget/current_year")), "input": "6,424,663.00"},
             {**at(ind_cell(12, "target")), "input": "=100%"},
             {**at(ind_cell(13, "target")), "input": "85%"},
             {**at(ind_cell(14, "target")), "input": "5000"}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "typed.xlsx", edits)
    wb = openpyxl.load_workbook(out)
    assert isinstance(wb[F.info.name][info_cell("/project/start_date")[1]].value, dt.datetime)
    assert wb[F.table.name][ind_cell(12, "target")[1]].value == "=100%"  # a text cell keeps "=…" as text
    doc = read(out).document
    assert doc["project"]["start_date"] == "2020-01-01" and doc["project"]["end_date"] == "2020-12-31"
    assert doc["budget"]["current_year"] == 6424663
    assert (doc["indicators"][12]["comparator"], doc["indicators"][12]["value"]) == ("=", 100)
    assert (doc["indicators"][13]["value"], doc["indicators"][13]["unit"]) == (85, "%")
    assert doc["indicators"][14]["value"] == 5000


def test_not_a_workbook_files_fail_and_droppings_are_ignored(tmp_path):
    d = tmp_path / "收到"
    d.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], d / "申报.xlsx")
    (d / "~$申报.xlsx").write_bytes(b"owner file")
    (d / "说明.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "WordDocument".encode("utf-16-le")
                               + b"\0" * 1000)
    result = cli("validate", d)
    assert result.exit_code == 1 and "说明.doc" in result.stdout and "~$申报" not in result.stdout


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_prefilled_locked_values_typed_over_in_libreoffice_fail(tmp_path, lo_edit, fmt):
    """The bureau prefills and locks 单位, 项目 and 预算; a department turns protection off in LibreOffice (no
    password by default) and types other ones.  The return passed with a warning and was counted with the new
    figures.  Each changed cell is an error naming what was issued; the template's document properties, where
    the issued values are kept, survive LibreOffice's save.  An untouched prefilled template has none.  Saved
    as .xls (Excel 97-2003) only the 预算年度 was caught: the properties, kept in the .xls's
    DocumentSummaryInformation stream, were not read."""
    from xlgoals import prefill_templates

    made = prefill_templates(EXAMPLES_DIR / "projects.csv", tmp_path / "下发", year=2020)
    src = sorted(made.written)[3]
    assert "template.locked_changed" not in codes(src)
    unit, total, year = info_cell("/unit"), info_cell("/budget/total"), info_cell("/year")
    out = lo_edit(src, tmp_path / f"改动.{fmt}", [{"sheet": F.info.name, "unprotect": True},
                                               {"sheet": unit[0], "cell": unit[1], "input": "上海市人力资源和社会保障局"},
                                               {"sheet": total[0], "cell": total[1], "input": "904860000"},
                                               {"sheet": year[0], "cell": year[1], "input": "2021"}], fmt=fmt)
    found = [p for p in validate_file(out).problems if p.code == "template.locked_changed"]
    assert sorted((p.sheet, p.cell, p.severity) for p in found) == sorted((*c, "error") for c in (unit, total, year))
    by_cell = {p.cell: p.message for p in found}
    assert "上海市就业促进中心" in by_cell[unit[1]] and "上海市人力资源和社会保障局" in by_cell[unit[1]]
    assert "2020" in by_cell[year[1]] and "2021" in by_cell[year[1]]
    result = cli("consolidate", out, "-o", tmp_path / "s.xlsx", "--include-invalid")
    assert result.exit_code == 0
    assert not validate([out]).valid


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_the_stamp_cleared_in_libreoffice_is_the_form_altered_in_every_format(tmp_path, lo_edit, fmt):
    """Protection off and the template's stamp cell cleared: an .xlsx return was template.altered at the cell,
    naming the stamp it should read; saved as .xls or .ods it was template.missing, “not made from an xlgoals
    template, fill in the template issued”, though its document properties say which template it is."""
    stamp = a1(*F.info.stamp_cell)
    out = lo_edit(EXAMPLE_XLSX[0], tmp_path / f"stamp.{fmt}", [{"sheet": F.info.name, "unprotect": True},
                                                              {"sheet": F.info.name, "cell": stamp, "clear": True}], fmt=fmt)
    found = [(p.code, p.sheet, p.cell) for p in read(out).problems]
    assert found == [("template.altered", F.info.name, stamp)], found
    p = read(out).problems[0]
    assert "XLGOALS|goal-table|" in p.expected, p.expected


# Each LibreOffice typing costs a job (a document opened, typed into and saved): the three
# tests below share one document per format, typed once per test process (a module fixture memoized by format), each
# on cells of its own of 项目信息: =1+1 and =1/1 in 上年预算数 and 上年执行数, =1/0 in 项目当年预算, a fixed row height
# under a long 立项依据.
@pytest.fixture(scope="module")
def info_typed(soffice, tmp_path_factory):
    """fmt -> (the read result, the validation report) of the second example return with the formulas and the long
    立项依据 under a fixed height typed into 项目信息, saved by LibreOffice as `fmt`."""
    from .conftest import lo_edit_job

    folder = tmp_path_factory.mktemp("typed-info")
    made = {}

    def typed(fmt: str):
        if fmt not in made:
            prior, executed = info_cell("/budget/prior_year_budget"), info_cell("/budget/prior_year_executed")
            current, basis = info_cell("/budget/current_year"), info_cell("/project/basis")
            out = lo_edit_job(EXAMPLE_XLSX[1], folder / f"info.{fmt}", [
                {**at(prior), "input": "=1+1"},
                {**at(executed), "paste": 0, "format": "0%"},
                {**at(executed), "input": "=1/1"},
                {**at(current), "input": "=1/0"},
                {**at(basis), "row_height": 30}, {**at(basis), "input": "本项目" + "资金使用规范，绩效目标明确，" * 30},
            ], folder, fmt)
            made[fmt] = (read(out), validate_file(out))
        return made[fmt]
    return typed


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_formula_typed_in_libreoffice_is_reported_with_the_value_it_shows(info_typed, fmt):
    """=1+1 typed into an amount cell: cell.formula said it showed “2.0” (calamine's float), which the department
    never saw; it shows 2.  A formula in a percent cell shows its percent (100%, not 1)."""
    prior, executed = info_cell("/budget/prior_year_budget"), info_cell("/budget/prior_year_executed")
    result, _ = info_typed(fmt)
    found = {p.cell: p for p in result.problems if p.code == "cell.formula"}
    assert set(found) == {prior[1], executed[1]}, result.problems
    assert type(found[prior[1]].value) is int and found[prior[1]].value == 2  # in the CSV and JSON as 2
    assert "（显示为“2”）" in found[prior[1]].message, found[prior[1]].message
    assert "(showing '2')" in found[prior[1]].message_en, found[prior[1]].message_en
    assert "（显示为“100%”）" in found[executed[1]].message, found[executed[1]].message



@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_formula_typed_in_libreoffice_that_shows_an_error_is_an_error_value_in_every_format(info_typed, fmt):
    """=1/0 typed into 项目当年预算 shows #DIV/0!: the .xlsx and .xls said so (cell.error_value, the value null);
    the .ods (calcext:value-type="error", an empty string as its value) was a formula showing "" and the field
    missing (rule.required_field).  Each format now gives the same one error at the cell."""
    current = info_cell("/budget/current_year")
    _, report = info_typed(fmt)
    assert [p.code for p in report.problems if (p.sheet, p.cell) == current] == ["cell.error_value"], report.problems
    assert report.document["budget"]["current_year"] is None

def test_a_number_of_16_or_17_digits_reads_alike_from_xlsx_xls_and_ods(tmp_path, lo_edit):
    """0.1234567890123456 pasted into a target (and 1.5 + 1e-15 into an amount) and saved by LibreOffice: its .xlsx
    and .ods keep the number to 15 significant digits, as every spreadsheet shows it (0.123456789012346), its .xls
    the double itself, which was read to 17 (0.1234567890123456, and the amount 1.500000000000001 an
    amount_decimals error there only).  A number is now read as shown, to 15 significant digits, in every format."""
    target, total = ind_cell(1, "target"), info_cell("/budget/prior_year_budget")
    docs, found = {}, {}
    for fmt in ("xlsx", "xls", "ods"):
        out = lo_edit(EXAMPLE_XLSX[1], tmp_path / f"digits.{fmt}", [
            {**at(target), "paste": 0.1234567890123456, "format": "General"},
            {**at(total), "paste": 1.5 + 1e-15, "format": "#,##0.00"}], fmt=fmt)
        result = read(out)
        docs[fmt] = result.document
        found[fmt] = [(p.code, p.cell, p.message) for p in result.problems]
    assert docs["xls"] == docs["xlsx"] == docs["ods"]
    assert found["xls"] == found["xlsx"] == found["ods"]
    assert not [p for p in found["xls"] if p[1] == total[1]]
    assert docs["xls"]["indicators"][1]["value"] == 0.123456789012346
    assert docs["xls"]["budget"]["prior_year_budget"] == 1.5


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_row_given_a_fixed_height_too_short_for_its_text_is_warned_in_every_format(info_typed, fmt):
    """Format › Rows › Height 30 on 立项依据's row, then a text of some 240 pt typed: the .xlsx was warned
    (cell.row_too_short: the printed page cuts it); the .xls (its ROW record: the height, fUnsynced) and the .ods
    (its row style: style:row-height, use-optimal-row-height false) of the same return were not."""
    basis = info_cell("/project/basis")
    result, _ = info_typed(fmt)
    found = [p for p in result.problems if (p.sheet, p.cell) == basis]
    assert [p.code for p in found] == ["cell.row_too_short"], found
    assert "240 磅" in found[0].message and "30 磅" in found[0].message, found[0].message

def test_a_long_text_fill_printed_smaller_is_not_too_short_for_its_row_in_any_format(tmp_path, lo_convert):
    """fill prints a narrative too long for one row at a smaller font (the row holds it); saved by LibreOffice as .xls
    or .ods, the row's height is read (ROW records, row styles), and the text was measured at the normal size
    (cell.row_too_short in those two formats only).  The cell's font size is now read there too (an .xls's XF and
    FONT records, an .ods's cell style), as from the .xlsx."""
    doc = load(EXAMPLE_JSON[1])
    doc["project"]["basis"] = "依据" + "相关文件规定，" * 150
    src = fill(doc, tmp_path / "long.xlsx")
    for out in (src, *lo_convert(src, fmt="xls"), *lo_convert(src, fmt="ods")):
        assert not [p for p in read(out).problems if p.code == "cell.row_too_short"], out.name

def test_targets_typed_with_a_bound_after_the_number_or_in_chinese_numerals(tmp_path, lo_edit):
    """A department types a whole target into the target cell in LibreOffice, the comparator left blank.
    '5000人次以上' was read as = 5000 with the unit '人次以上', '3天以内' as = 3 '天以内' (以上/以下/以内 make it a
    bound, the number included) and '95%以上' was an error; '一百' and '百分之九十五' passed silently as
    定性 targets.  Bounds are read as meant, and a number in Chinese numerals is an error at its cell that
    says to write it in digits."""
    typed = {"5000人次以上": (">=", 5000, "人次"), "3天以内": ("<=", 3, "天"), "95%以上": (">=", 95, "%"),
             "3个工作日内": ("<=", 3, "个工作日"), "10%及以下": ("<=", 10, "%"), "≥95%": (">=", 95, "%"),
             "不低于90%": (">=", 90, "%"), "5000人次": ("=", 5000, "人次"), "≤3天": ("<=", 3, "天"),
             "1,000": ("=", 1000, None)}
    words = ["一百", "百分之九十五"]
    first = 27  # the first blank row of the example, filled with the template's 50 rows (fill now writes only
    # the blank rows its last page holds: 12 rows are typed below its 27)
    example = fill(load(EXAMPLE_JSON[1]), tmp_path / "example.xlsx", rows=50)
    edits = []
    for i, text in enumerate([*typed, *words]):
        edits += [{**at(ind_cell(first + i, "level1")), "input": "产出目标"},
                  {**at(ind_cell(first + i, "level2")), "input": "数量"},
                  {**at(ind_cell(first + i, "name")), "input": f"指标{i}"},
                  {**at(ind_cell(first + i, "target")), "input": text}]
    out = lo_edit(example, tmp_path / "targets.xlsx", edits)
    assert openpyxl.load_workbook(out)[F.table.name][ind_cell(first, "target")[1]].value == "5000人次以上"
    result = read(out)
    ind = result.document["indicators"]
    for i, (text, (comp, value, unit)) in enumerate(typed.items()):
        assert (ind[first + i]["comparator"], ind[first + i]["value"], ind[first + i].get("unit")) == (comp, value, unit), text
    found = [(p.code, p.cell) for p in result.problems]
    assert found == [("cell.target_chinese_number", ind_cell(first + len(typed) + k, "target")[1]) for k in range(2)]
    messages = [p.message for p in result.problems]
    assert "“一百”" in messages[0] and "阿拉伯数字" in messages[0] and "定性" in messages[0], messages


def test_categories_filled_down_with_the_fill_handle_and_a_blank_row_between_indicators(tmp_path, lo_edit):
    """一级/二级 typed once and dragged down with the fill handle over the new rows, and an empty row inserted
    between two indicators: every row carries its categories, the empty row is no indicator and no problem."""
    first = 27
    edits = [{**at(ind_cell(first, "level1")), "input": "产出目标"}, {**at(ind_cell(first, "level2")), "input": "质量"}]
    for i in range(4):
        edits += [{**at(ind_cell(first + i, "name")), "input": f"新增指标{i}"},
                  {**at(ind_cell(first + i, "comparator")), "input": "≥"},
                  {**at(ind_cell(first + i, "target")), "input": f"{90 + i}%"}]
    top, bottom = ind_cell(first, "level1")[1], ind_cell(first + 3, "level2")[1]
    edits += [{"sheet": F.table.name, "cell": f"{top}:{bottom}", "fill_down": True},
              {**at(ind_cell(16, "level1")), "insert_rows": 1}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "filled.xlsx", edits)
    result = read(out)
    assert [p.code for p in result.problems] == []
    ind = result.document["indicators"]
    assert len(ind) == first + 4 and ind[:first] == load(EXAMPLE_JSON[1])["indicators"]
    assert ind[first:] == [{"level1": "产出目标", "level2": "质量", "name": f"新增指标{i}", "comparator": ">=",
                            "value": 90 + i, "unit": "%"} for i in range(4)]
    assert validate_file(out).passes()


def test_an_amount_typed_in_yi_yuan_or_as_a_word_for_none_says_what_to_do(tmp_path, lo_edit):
    """Typed in LibreOffice into the budget cells (formatted #,##0.00): '6.28亿元' stays text and was the generic
    “无法识别为金额”; '无' in 同名项目上年预算额, a new project's, did not say to leave the cell blank."""
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "amounts.xlsx", [
        {**at(info_cell("/budget/total")), "input": "6.28亿元"},
        {**at(info_cell("/budget/prior_year_budget")), "input": "无"}])
    found = {p.code: p for p in read(out).problems}
    assert (found["cell.amount_yi"].sheet, found["cell.amount_yi"].cell) == info_cell("/budget/total")
    assert "应填写 628000000" in found["cell.amount_yi"].message
    assert (found["cell.amount_none"].sheet, found["cell.amount_none"].cell) == info_cell("/budget/prior_year_budget")
    assert "请留空" in found["cell.amount_none"].message


@pytest.mark.parametrize("fw", ["shanghai-2020", "national-2021", "shanghai-2025"])
def test_a_full_table_given_more_rows_as_the_guide_says_reads_and_passes(tmp_path, lo_edit, fw):
    """Every row of the table used, the department inserts two rows above the last one (right-click the row number,
    Insert) and types an indicator into each, in every framework: the new rows have the dropdowns (the dependent
    二级 list looks at its own row), are read, and the return passes with no problem it did not have before."""
    doc = load(EXAMPLE_JSON[1]) if fw == "shanghai-2020" else load(EXAMPLES_DIR / "national-2021" / "目标表.json")
    doc["framework"] = fw
    src = fill(doc, tmp_path / "full.xlsx", rows=len(doc["indicators"]))
    assert validate_file(src).problems == []
    last = F.table.first_row + len(doc["indicators"]) - 1  # 0-based, as a1 takes rows
    level1, level2 = ("产出目标", "数量") if fw == "shanghai-2020" else ("产出指标", "数量指标")
    edits = [{"sheet": F.table.name, "cell": a1(last, F.column("level1", fw).index), "insert_rows": 2}]
    for i, r in enumerate((last, last + 1)):
        typed = {"level1": level1, "level2": level2, "name": f"新增指标{i + 1}", "comparator": "≥", "target": str(10 + i),
                 "unit": "人"}
        edits += [{"sheet": F.table.name, "cell": a1(r, F.column(key, fw).index), "input": value}
                  for key, value in typed.items()]
    out = lo_edit(src, tmp_path / "more.xlsx", edits)
    indicators = read(out).document["indicators"]
    assert len(indicators) == len(doc["indicators"]) + 2
    assert [(i["name"], i["value"], i["unit"]) for i in indicators[-3:-1]] == [("新增指标1", 10, "人"), ("新增指标2", 11, "人")]
    assert indicators[-1]["name"] == doc["indicators"][-1]["name"]  # the row the two were inserted above, moved down
    assert validate_file(out).problems == []
    ws = openpyxl.load_workbook(out)[F.table.name]
    top, bottom = F.table.first_row + 1, last + 3  # 1-based: the first row and the moved last row
    level1_col = a1(0, F.column("level1", fw).index)[:-1]
    for dv in ws.data_validations.dataValidation:
        (first, end), = [str(r).split(":") for r in dv.sqref.ranges]
        assert int(first[1:]) == top and int(end[1:]) >= bottom, (dv.sqref, dv.formula1)
        if "MATCH(" in (dv.formula1 or ""):  # the 二级 list of a row looks up that row's 一级
            assert f"INDEX(${level1_col}:${level1_col},ROW())" in dv.formula1


def test_rows_inserted_above_the_first_indicator_and_between_keep_each_rows_dropdowns(tmp_path, lo_edit):
    """A department inserts a row above the first indicator row and one between two indicators (Insert Rows Above),
    types an indicator into the one between and saves. Every row's 二级 list (and, with a library, its 三级 list)
    still follows that row's own 一级 (二级), the moved rows' too: LibreOffice saved the dependent lists'
    validation one row lower with its formula still relative to the old first cell, so each row's 二级 list
    looked at the 一级 of the row above it (the prefilled rows were marked invalid, a valid 二级 refused; seen in 3
    saves of 4). The row inserted above the first indicator takes the header row's format, locked (LibreOffice
    formats a new row as the row above it, as Excel does by default): the guide says to insert below that row."""
    from .test_review import LIBRARY

    src = write_template(tmp_path / "模板.xlsx", rows=12, library=LIBRARY)
    edits = [{**at(ind_cell(0, "level1")), "insert_rows": 1},  # above the first indicator row
             {**at(ind_cell(5, "level1")), "insert_rows": 1}]  # between the 4th and the 5th indicator
    typed = {"level1": "产出目标", "level2": "数量", "name": "享受见习补贴人数", "comparator": "≥", "target": "500",
             "unit": "人"}
    edits += [{**at(ind_cell(5, key)), "input": value} for key, value in typed.items()]
    inserted = lo_edit(src, tmp_path / "inserted.xlsx", edits)
    ws = openpyxl.load_workbook(inserted)[F.table.name]
    assert ws[ind_cell(0, "level1")[1]].protection.locked  # the header's format: why the guide says where to insert
    assert not ws[ind_cell(5, "level1")[1]].protection.locked
    # the saved return opened again: 一级/二级 pasted on two blank rows, one pair wrong, and Mark Invalid Data
    wrong, right = ind_cell(11, "level2"), ind_cell(12, "level2")
    report = tmp_path / "invalid.json"
    checked = lo_edit(inserted, tmp_path / "checked.xlsx", [
        {**at(ind_cell(11, "level1")), "string": "效果目标"}, {**at(wrong), "string": "数量"},
        {**at(ind_cell(12, "level1")), "string": "效果目标"}, {**at(right), "string": "社会效益"},
        {"sheet": F.table.name, "show_invalid": True}], report=report)
    assert json.loads(report.read_text(encoding="utf-8"))["invalid"] == {F.table.name: [wrong[1]]}
    result = read(checked)
    names = [i.get("name") for i in result.document["indicators"]]
    assert names[3:6] == ["财务管理制度健全性", "享受见习补贴人数", "财务监控有效性"]
    assert result.document["indicators"][4]["level2"] == "数量"
    found = [(p.code, p.sheet, p.cell) for p in validate_file(checked).problems if p.code.startswith("rule.level2")]
    assert found == [("rule.level2_mismatch", *wrong)]


def test_a_row_inserted_above_the_first_indicator_with_the_protection_off_is_read_and_located(tmp_path, lo_edit):
    """The department switches the protection off, inserts a row above the first indicator row (the guide says not
    to: it is locked with the protection on) and one between two indicators, and types into both: both are read in
    the order printed, and each problem is placed on the row it is on."""
    fw = "shanghai-2020"
    src = write_template(tmp_path / "模板.xlsx", rows=12)
    top = {"level1": "产出目标", "level2": "社会效益", "name": "顶部新增", "comparator": "≥", "target": "10", "unit": "人"}
    middle = {"level1": "效果目标", "level2": "社会效益", "name": "中部新增", "comparator": "≥", "target": "九十", "unit": "%"}
    edits = [{"sheet": F.table.name, "unprotect": True}, {**at(ind_cell(0, "level1")), "insert_rows": 1}]
    edits += [{**at(ind_cell(0, key)), "input": value} for key, value in top.items()]
    edits += [{**at(ind_cell(5, "level1")), "insert_rows": 1}]
    edits += [{**at(ind_cell(5, key)), "input": value} for key, value in middle.items()]
    out = lo_edit(src, tmp_path / "inserted.xlsx", edits)
    indicators = read(out).document["indicators"]
    assert [i["name"] for i in indicators[:7]] == ["顶部新增", "预算编制合理性", "预算执行率", "预算资金到位率",
                                                   "财务管理制度健全性", "中部新增", "财务监控有效性"]
    found = {(p.code, p.sheet, p.cell) for p in validate_file(out).problems}
    assert {("rule.level2_mismatch", *ind_cell(0, "level2", fw)), ("template.unprotected", F.table.name, "")} <= found
    assert [p for p in found if p[1] == F.table.name and p[2][1:] == str(F.table.first_row + 6)] \
        == [("cell.target_chinese_number", *ind_cell(5, "target", fw))], found
