"""Bulk issue: one prefilled, locked template per CSV row; bad rows are named and do not stop the rest."""

import openpyxl
import pytest

from .helpers import F
from xlgoals import prefill_templates, validate
from xlgoals._write._template import safe_filename

from .conftest import EXAMPLES, cli


def test_prefill_examples_csv(tmp_path):
    result = prefill_templates(EXAMPLES / "projects.csv", tmp_path, year=2020)
    assert result.ok and len(result.written) == 5
    first = tmp_path / "上海市就业促进中心_筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费.xlsx"
    assert first in result.written
    wb = openpyxl.load_workbook(first)
    info = wb[F.info.name]
    unit = info[F.field("/unit").cell]
    assert unit.value == "上海市就业促进中心" and unit.protection.locked
    total = info[F.field("/budget/total").cell]
    assert total.value == 62800000 and total.protection.locked
    start = info[F.field("/project/start_date").cell]
    assert start.is_date and start.protection.locked
    # fields the CSV did not give stay open for the department
    overview = info[F.field("/project/overview").cell]
    assert overview.value is None and not overview.protection.locked
    # the framework's standard indicator rows are there too
    assert wb[F.table.name][f"D{F.table.first_row + 1}"].value == "预算编制合理性"


def _prefilled(tmp_path, *lines: str):
    """`template --prefill` of a project list of `lines` (UTF-8) into tmp_path/out."""
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return cli("template", "--prefill", csv_path, "--out-dir", tmp_path / "out")


def test_broken_row_named_others_written(tmp_path):
    out = tmp_path / "out"
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算", "甲单位,项目一,100", "乙单位,项目二,一百万",
                        ",项目三,5", "丙单位,项目/四:?,7")
    assert result.exit_code == 1
    assert "第 3 行" in result.stderr and "一百万" in result.stderr
    assert "第 4 行" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["丙单位_项目_四__.xlsx", "甲单位_项目一.xlsx"]


def test_each_written_template_names_the_row_it_came_from(tmp_path):
    """Two projects whose names make one file name (a/b and a:b) get 甲单位_a_b.xlsx and 甲单位_a_b_2.xlsx: the listing
    says which CSV line each came from, so the bureau sends each to its department."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位,a/b", "甲单位,a:b")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("已生成")]
    csv_path = tmp_path / "p.csv"
    assert lines[0].endswith(f"甲单位_a_b.xlsx（来自 {csv_path} 第 2 行）"), lines
    assert lines[1].endswith(f"甲单位_a_b_2.xlsx（来自 {csv_path} 第 3 行）"), lines
    assert f"(from {csv_path} line 3)" in cli("--lang", "en", "template", "--prefill", csv_path, "--out-dir",
                                              tmp_path / "en").stdout
    made = prefill_templates(csv_path, tmp_path / "api")
    assert [str(made.sources[p].en) for p in made.written] == [f"{csv_path} line 2", f"{csv_path} line 3"]


def test_gbk_csv_and_unknown_column(tmp_path):
    csv_path = tmp_path / "gbk.csv"
    csv_path.write_bytes("申报单位名称,项目名称\n甲单位,项目一\n".encode("gb18030"))
    result = prefill_templates(csv_path, tmp_path / "o")
    assert result.ok and result.written[0].name == "甲单位_项目一.xlsx"
    bad = tmp_path / "bad.csv"
    bad.write_text("申报单位名称,项目名称,颜色\n甲,乙,红\n", encoding="utf-8")
    result = cli("template", "--prefill", bad, "--out-dir", tmp_path / "o2")
    assert result.exit_code == 1 and "颜色" in result.stderr


def test_safe_filename():
    assert safe_filename('a<b>c:"d"/e\\f|g?h*') == "a_b_c__d__e_f_g_h_"
    assert safe_filename("CON") == "_CON"
    assert safe_filename("name. ") == "name"
    # file names are limited in bytes (255 on every common file system), not in characters
    assert safe_filename("长" * 300) == "长" * 50 and len(safe_filename("长" * 300).encode()) == 150


def test_rows_that_would_make_a_template_that_can_never_pass_are_refused(tmp_path):
    """Prefilled cells are locked: a 当年预算 above the 总预算, or a start date outside the year, given in the list
    would make a template the department cannot make valid.  Such a row is reported with its line and not
    written; so is a second row for the same unit and project.  The other rows are written."""
    out = tmp_path / "out"
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算,项目当年预算,计划开始日期",
                        "单位A,项目A,100,200,2020-01-01", "单位B,项目B,100,50,2019-01-01", "单位C,项目C,100,50,2020-03-01",
                        "单位C,项目C ,100,50,2020-03-01", "单位D,项目D,100,,")
    assert result.exit_code == 1
    lines = {line for line in result.stderr.splitlines() if "第" in line}
    assert any("第 2 行" in x and "项目当年预算（200.00 元）不能大于项目总预算（100.00 元）" in x for x in lines), lines
    assert any("第 3 行" in x and "不在预算年度 2020 年内" in x for x in lines), lines
    assert any("第 5 行" in x and "与第 4 行" in x for x in lines), lines
    assert sorted(p.name for p in out.iterdir()) == ["单位C_项目C.xlsx", "单位D_项目D.xlsx"]
    # what is written passes, as far as the bureau filled it: the rest is for the department
    report = validate(sorted(out.iterdir()))
    assert not {p.code for p in report.problems()} & {"rule.current_le_total", "rule.date_in_year"}


def test_two_columns_for_one_field_are_refused(tmp_path):
    for header in ("申报单位名称,项目名称,project.name", "申报单位名称,项目名称,项目名称"):
        csv_path = tmp_path / "p.csv"
        csv_path.write_text(header + "\n甲,乙,丙\n", encoding="utf-8")
        result = cli("template", "--prefill", csv_path, "--out-dir", tmp_path / "out")
        assert result.exit_code == 1 and "都对应“项目名称”" in result.stderr, result.stderr
        assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_rows_of_empty_cells_are_no_projects(tmp_path):
    """Excel saves the rows it once formatted as ",,,,": each was an error ("不能为空") and the run exited 1."""
    text = (EXAMPLES / "projects.csv").read_text(encoding="utf-8-sig").rstrip("\n")
    width = text.splitlines()[0].count(",")
    csv_path = tmp_path / "projects.csv"
    csv_path.write_text(text + "\n" + ("," * width + "\n") * 3 + " , ,\n", encoding="utf-8-sig")
    result = cli("template", "--prefill", csv_path, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").glob("*.xlsx"))) == 5


def test_a_file_of_the_same_name_in_another_case_is_not_written_beside(tmp_path):
    """Windows and macOS take 甲单位_ABC.xlsx and 甲单位_abc.XLSX for one file: writing the one beside the other
    (as Linux allows) made a folder that loses a template when it is copied to a department's Windows PC."""
    out = tmp_path / "out"
    out.mkdir()
    old = out / "甲单位_ABC.XLSX"
    old.write_bytes(b"last year's")
    result = _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位,abc", "乙单位,项目")
    assert result.exit_code == 2 and "甲单位_ABC.XLSX" in result.stderr and "--force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["甲单位_ABC.XLSX"] and old.read_bytes() == b"last year's"
    forced = cli("template", "--prefill", tmp_path / "p.csv", "--out-dir", out, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert sorted(p.name.lower() for p in out.iterdir()) == ["乙单位_项目.xlsx", "甲单位_abc.xlsx"]
    wb = openpyxl.load_workbook(next(p for p in out.iterdir() if p.name.lower() == "甲单位_abc.xlsx"))
    assert wb[F.info.name][F.field("/project/name").cell].value == "abc"


def test_a_value_that_cannot_be_read_says_why_as_validate_does(tmp_path):
    """An amount in 万元 or a date written otherwise: the row's error says what to write, as the rule table's
    message says it for a return (it said only 无法识别)."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算（元）,计划开始日期",
                        "甲单位,项目一,100万元,2020-01-01", "乙单位,项目二,100,2020年13月1日")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    wan = next(line for line in lines if "第 2 行" in line)
    assert "100万元" in wan and "应填写 1000000" in wan, wan  # the exact amount in 元 to type
    date = next(line for line in lines if "第 3 行" in line)
    assert "2020年13月1日" in date and "不存在：月份应为 1–12" in date, date  # written as a date: no such month


def _info(path, *pointers):
    """The values and locks of `pointers`' cells on 项目信息 of the workbook at `path`."""
    info = openpyxl.load_workbook(path)[F.info.name]
    return {p: (info[F.field(p).cell].value, info[F.field(p).cell].protection.locked) for p in pointers}


def test_a_header_typed_with_half_width_brackets_or_spaces_is_the_column_it_names(tmp_path):
    """A list kept in Excel names its columns as people type them: 项目总预算(元) with ASCII brackets (the
    Chinese IME's default in many fonts), 项目 名称 with a space, a full-width space.  Each stopped the whole run
    as an "unknown column", while 项目总预算（元） was read."""
    result = _prefilled(tmp_path, "申报单位名称, 项目 名称 ,项目总预算(元),项目当年预算\u3000（元）,计划开始日期",
                        "甲单位,项目一,\"1,234,567.89\",1000.50,2020-01-01")
    assert result.exit_code == 0, result.stderr
    got = _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/project/name", "/budget/total", "/budget/current_year")
    assert got == {"/project/name": ("项目一", True), "/budget/total": (1234567.89, True),
                   "/budget/current_year": (1000.5, True)}
    # a column in 万元 is still not taken for the one in 元
    wan = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算(万元)", "甲,乙,1")
    assert wan.exit_code == 1 and "无法识别的列" in wan.stderr, wan.stderr


def test_dates_as_excel_saves_a_date_time_cell_are_read(tmp_path):
    """A date column exported from a budget system is often a date-time: Excel saves it in a CSV as
    ``2020/1/5 0:00``.  It was refused (无法识别为日期) on every row; a time other than midnight still is."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,计划开始日期,计划完成日期",
                        "甲单位,项目一,2020/1/5 0:00,2020-12-31 00:00:00", "乙单位,项目二,2020/1/5 8:30,")
    assert result.exit_code == 1
    got = _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/project/start_date", "/project/end_date")
    assert {p: (v.date().isoformat(), locked) for p, (v, locked) in got.items()} == {
        "/project/start_date": ("2020-01-05", True), "/project/end_date": ("2020-12-31", True)}
    assert any("第 3 行" in line and "2020/1/5 8:30" in line for line in result.stderr.splitlines()), result.stderr


def test_a_project_list_kept_in_excel_is_read_as_its_csv_would_be(tmp_path):
    """The bureau keeps its list in Excel: given the .xlsx, --prefill said 无法识别项目清单的文件编码（应为 UTF-8 或
    GBK）, of a file that has no encoding.  Its first sheet is read as the CSV Excel would save of it: numbers
    and dates as typed, each bad row named by its row on the sheet; a list on another sheet is not passed over."""
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["申报单位名称", "项目名称", "项目总预算（元）", "项目当年预算(元)", "计划开始日期", "计划完成日期"])
    ws.append(["甲单位", "项目一", 1234567.89, 1000, datetime.datetime(2020, 1, 5), datetime.date(2020, 12, 31)])
    ws.append(["乙单位", 2021, 123.45 * 10000, None, "2020年3月1日", None])  # a number as the name; a computed amount
    ws.append(["丙单位", "项目三", -5, None, None, None])
    ws.append([None] * 6)
    ws.append(["丁单位", "项目四", "一百万", None, None, None])
    projects = tmp_path / "项目清单.xlsx"
    wb.save(projects)
    result = cli("template", "--prefill", projects, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 1, result.output
    assert "编码" not in result.stderr and "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "第" in line]
    assert len(errors) == 2 and "第 4 行" in errors[0] and "负数" in errors[0] and "第 6 行" in errors[1], errors
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙单位_2021.xlsx", "甲单位_项目一.xlsx"]
    got = _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/budget/total", "/budget/current_year")
    assert got == {"/budget/total": (1234567.89, True), "/budget/current_year": (1000, True)}
    start = _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/project/start_date")["/project/start_date"]
    assert start[0].date() == datetime.date(2020, 1, 5) and start[1]
    assert _info(tmp_path / "out" / "乙单位_2021.xlsx", "/project/name", "/budget/total") == {
        "/project/name": ("2021", True), "/budget/total": (1234500, True)}
    # a second sheet that holds something is not passed over unseen
    wb.create_sheet("第二批").append(["戊单位", "项目五"])
    wb.save(projects)
    again = cli("template", "--prefill", projects, "--out-dir", tmp_path / "out2")
    assert again.exit_code == 1 and "第二批" in again.stderr and not (tmp_path / "out2").exists(), again.output


def test_a_title_above_the_header_is_passed_over_and_a_title_in_wan_yuan_refused(tmp_path):
    """Lists exported from a budget system start with a title (2021年度项目支出预算表, merged across the columns:
    saved as "title,,,,") and often a line 单位：元 above the header.  The run stopped on "第 1 行第 2 列没有列名" or
    "无法识别的列：2021年度…", pointing at the title as if it were the header.  The header is now the first line
    naming a column among the first few; what is above it names none.  A title that says the
    amounts are in 万元 stops the run: read as 元 they would be issued 10 000 times too small, and locked."""
    result = _prefilled(tmp_path, "2021年度项目支出预算表,,,", "单位：元,,,", ",,,",
                        "申报单位名称,项目名称,项目总预算,项目 编码", "甲单位,项目一,100,")
    assert "第 4 行有无法识别的列：项目 编码" in result.stderr, result.stderr  # the header's own line, not 第 1 行
    result = _prefilled(tmp_path, "2021年度项目支出预算表,,", "单位：元,,", "申报单位名称,项目名称,项目总预算",
                        "甲单位,项目一,\"1,000.00\"", "乙单位,项目二,x")
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if "第" in line]
    assert len(errors) == 1 and "第 5 行" in errors[0] and "无法识别为金额：“x”" in errors[0], result.stderr
    assert _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/budget/total") == {"/budget/total": (1000, True)}
    # a header with a column not known is named at its own line, not at the title's
    result = _prefilled(tmp_path, "2021年度项目支出预算表", "申报单位名称,项目名称(全称)", "甲单位,项目一")
    assert "第 2 行有无法识别的列：项目名称(全称)" in result.stderr, result.stderr
    # a line of several cells above the header is no title: a project there is not passed over unseen
    result = _prefilled(tmp_path, "2021年度项目支出预算表", "甲单位,项目零", "申报单位名称,项目名称", "甲单位,项目一")
    assert result.exit_code == 1 and "第 2 行：在表头（第 3 行）之上" in result.stderr, result.output
    assert "已生成" not in result.stdout
    wan = tmp_path / "wan"
    result = cli("template", "--prefill", _csv(tmp_path, "2021年度项目支出预算表", "单位：万元",
                                               "申报单位名称,项目名称,项目总预算", "甲单位,项目一,123.45"), "--out-dir", wan)
    assert result.exit_code == 1 and "第 2 行" in result.stderr and "万元" in result.stderr, result.output
    assert not wan.exists()


def _csv(tmp_path, *lines):
    path = tmp_path / "list.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def test_invisible_characters_of_a_name_are_not_put_into_its_file_name(tmp_path):
    """A name copied from a budget system or a web page can hold a zero-width space or a right-to-left mark:
    the file was named with it (甲单位_\\u200b项目一.xlsx), a name that looks like 甲单位_项目一.xlsx but is not
    found by it.  A right-to-left override, which shows the name backwards in Explorer and in the locked cell, is a
    control character: its row is refused, located (schema.control_char), and no file is named with it."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位\u200b,\u200b项目一", "乙单位,项目二\u200f",
                        "丙单位,项目\u202e三")
    assert result.exit_code == 1, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙单位_项目二.xlsx", "甲单位_项目一.xlsx"]
    assert "第 4 行：“项目名称”含有不可见的控制字符 \\u202e" in result.stderr, result.stderr


def test_a_project_list_or_a_library_in_the_output_folder_is_never_written_over(tmp_path):
    """A list kept as a workbook, saved in the folder the templates go to under the name one of them takes
    (甲单位_项目一.xlsx), was written over with --force, and so was an indicator library there: inputs are never
    replaced."""
    out = tmp_path / "下发"
    out.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(["申报单位名称", "项目名称"])
    wb.active.append(["甲单位", "项目一"])
    wb.active.append(["乙单位", "指标库"])
    projects = out / "甲单位_项目一.xlsx"
    wb.save(projects)
    library = out / "乙单位_指标库.xlsx"
    lib = openpyxl.Workbook()
    lib.active.append(["一级指标", "二级指标", "三级指标"])
    lib.active.append(["产出指标", "数量指标", "培训人数"])
    lib.save(library)
    before = projects.read_bytes(), library.read_bytes()
    for args in ([], ["--library", library]):
        result = cli("template", "--prefill", projects, "--out-dir", out, "--force", *args)
        assert result.exit_code == 2 and "输入" in result.stderr, result.output
        assert (projects.read_bytes(), library.read_bytes()) == before
        assert sorted(p.name for p in out.iterdir()) == ["乙单位_指标库.xlsx", "甲单位_项目一.xlsx"]


def test_dates_as_excel_serials_or_as_eight_digits_are_read(tmp_path):
    """A date column formatted 常规 in Excel is saved into the CSV (and read from the workbook) as its serial
    number, 43835; a budget system exports 20200105.  Each was refused (无法识别为日期) on every row, though
    neither can mean another date.  Other numbers still are refused."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,计划开始日期,计划完成日期",
                        "甲单位,项目一,43835,20201231", "乙单位,项目二,2020,", "丙单位,项目三,20201301,")
    assert result.exit_code == 1
    got = _info(tmp_path / "out" / "甲单位_项目一.xlsx", "/project/start_date", "/project/end_date")
    assert {p: (v.date().isoformat(), locked) for p, (v, locked) in got.items()} == {
        "/project/start_date": ("2020-01-05", True), "/project/end_date": ("2020-12-31", True)}
    errors = [line for line in result.stderr.splitlines() if "第" in line]
    assert len(errors) == 2 and "“2020”" in errors[0] and "“20201301”" in errors[1], errors


def test_a_row_longer_than_the_header_shows_its_extra_cells_and_why(tmp_path):
    """An amount with thousands separators in a CSV written by hand or by a script (62,800,000 without quotes)
    splits into cells: the row's error said only 列数多于表头, not which cells nor why."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算", "甲单位,项目一,62,800,000")
    line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
    assert "“800”、“000”" in line and "引号" in line, line
    # empty cells beyond the header (a row Excel once formatted further right) are no error
    assert _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位,项目一,,").exit_code == 0


def test_a_total_row_is_named_as_such(tmp_path):
    """A list exported from a budget system ends with 合计: its error said 申报单位名称和项目名称不能为空, which
    sends the bureau looking for a missing name."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算", "甲单位,项目一,100", "合 计,,100", ",小计,100")
    lines = [x for x in result.stderr.splitlines() if "第" in x]
    assert len(lines) == 2 and all("合计行" in x for x in lines), lines
    assert result.exit_code == 1 and (tmp_path / "out" / "甲单位_项目一.xlsx").exists()


def test_a_serial_number_column_is_passed_over_and_other_unknown_columns_say_what_to_do(tmp_path):
    """Nearly every list kept in Excel starts with 序号: the run stopped on it as an unknown column, though it is
    no field of the form and holds nothing a template could lose.  Another column not known still stops the run,
    now saying what to do about it."""
    result = _prefilled(tmp_path, "序号,申报单位名称,项目名称", "1,甲单位,项目一", "2,乙单位,项目二")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙单位_项目二.xlsx", "甲单位_项目一.xlsx"]
    result = _prefilled(tmp_path, "序号,申报单位名称,项目名称,备注", "1,甲单位,项目三,急")
    total = _prefilled(tmp_path, "序号,申报单位名称,项目名称", "1,甲单位,项目四", "合计,,")
    assert total.exit_code == 1 and "合计行" in total.stderr, total.stderr
    assert result.exit_code == 1 and "无法识别的列：备注（" in result.stderr and "删除" in result.stderr, result.stderr


def test_a_run_without_year_says_which_year_it_stamped(tmp_path):
    """--year defaults to 2020 (the examples' year): a bureau preparing next year's budget that forgot it got a
    folder of templates stamped and locked to 2020, and not a word about it."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位,项目一")
    assert result.exit_code == 0 and "--year" in result.stderr and "2020" in result.stderr, result.output
    given = cli("template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "o2", "--year", "2021")
    assert given.exit_code == 0 and "--year" not in given.output, given.output
    en = cli("--lang", "en", "template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "o3")
    assert "--year" in en.stderr and "2020" in en.stderr, en.output


def test_a_unit_merged_over_its_projects_names_each_of_them(tmp_path):
    """Budget lists kept in Excel merge the unit's cell down over its projects (B2:B4 says 甲局 once, beside three
    projects).  The sheet shows 甲局 on each row; the list's rows 3 and 4 were refused (申报单位名称和项目名称不能为空).
    A merged cell's value is each of its rows' (down its first column); a row that holds nothing else stays blank,
    and a merge in the header is not copied into the rows below it."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["申报单位名称", "项目名称", "项目类别", "项目总预算（元）"], ["甲局", "项目一", "经常性专项业务费", 100],
                [None, "项目二", None, 200], [None, "项目三", None, 300], [None, None, None, None],
                ["乙局", "项目四", None, 1]):
        ws.append(row)
    ws.merge_cells("A2:A5")  # the unit over its three projects and a blank row below them
    ws.merge_cells("C2:C4")  # the category too
    ws.merge_cells("D6:E6")  # a merge across columns is not copied into a column with no name
    projects = tmp_path / "清单.xlsx"
    wb.save(projects)
    result = cli("template", "--prefill", projects, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == ["乙局_项目四.xlsx", "甲局_项目一.xlsx", "甲局_项目三.xlsx",
                                                     "甲局_项目二.xlsx"]
    assert _info(out / "甲局_项目三.xlsx", "/unit", "/project/category", "/budget/total") == {
        "/unit": ("甲局", True), "/project/category": ("经常性专项业务费", True), "/budget/total": (300, True)}



@pytest.mark.soffice
def test_a_unit_merged_over_its_projects_in_an_ods_list_names_each_of_them(tmp_path, lo_convert):
    """The same list saved by LibreOffice as .ods: the merged unit was read for its first project only (calamine
    gives no merges of an .ods), the others refused (申报单位名称和项目名称不能为空); the screen's merged ranges are
    now used, as for an .xlsx and .xls."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["申报单位名称", "项目名称", "项目总预算（元）"], ["甲局", "项目一", 100], [None, "项目二", 200]):
        ws.append(row)
    ws.merge_cells("A2:A3")
    wb.save(tmp_path / "清单.xlsx")
    ods, = lo_convert(tmp_path / "清单.xlsx", fmt="ods")
    result = cli("template", "--prefill", ods, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["甲局_项目一.xlsx", "甲局_项目二.xlsx"]

def test_a_note_below_the_list_that_gives_the_amounts_in_wan_yuan_stops_the_run(tmp_path):
    """A title 单位：万元 above the header stopped the run; the same note below the list (注：金额单位为万元, where
    many exports put it) did not: the projects were issued, locked, 10 000 times too small, and the note's line got
    only 申报单位名称和项目名称不能为空."""
    out = tmp_path / "out"
    result = cli("template", "--prefill", _csv(tmp_path, "申报单位名称,项目名称,项目总预算", "甲单位,项目一,123.45",
                                               "注：金额单位为万元,,"), "--out-dir", out, "--year", "2020")
    assert result.exit_code == 1 and "第 3 行" in result.stderr and "万元" in result.stderr, result.output
    assert "不能为空" not in result.stderr and not out.exists(), result.output
    # a project whose name says 万元 is a project
    result = cli("template", "--prefill", _csv(tmp_path, "申报单位名称,项目名称", "甲单位,50万元以下小额项目"),
                 "--out-dir", tmp_path / "o2", "--year", "2020")
    assert result.exit_code == 0, result.output


def test_a_list_without_projects_says_so(tmp_path):
    """An empty file said 缺少“申报单位名称”或“项目名称”列, and a list of its header only made nothing and exited 0
    (共生成 0 个模板): an export that went wrong looked like a run that worked."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    result = cli("template", "--prefill", empty, "--out-dir", tmp_path / "o1", "--year", "2020")
    assert result.exit_code == 1 and "是空的" in result.stderr, result.output
    result = cli("template", "--prefill", _csv(tmp_path, "申报单位名称,项目名称", ",,"), "--out-dir", tmp_path / "o2",
                 "--year", "2020")
    assert result.exit_code == 1 and "没有项目" in result.stderr, result.output
    assert not (tmp_path / "o1").exists() and not (tmp_path / "o2").exists()


def test_an_amount_excel_saved_in_scientific_notation_says_what_happened(tmp_path):
    """A column of 12-digit amounts formatted 常规 shows 1.23457E+11 in Excel, and its 另存为 CSV saves that: the
    amount's digits are lost.  The row was refused as 无法识别为金额 with the example 62,800,000.00, which the
    bureau's list seemed to follow.  It now says the digits were lost by the save and what to do."""
    result = _prefilled(tmp_path, "申报单位名称,项目名称,项目总预算（元）", "甲单位,项目一,1.23457E+11", "乙单位,项目二,100")
    assert result.exit_code == 1
    line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
    assert "1.23457E+11" in line and "科学计数法" in line and "数值" in line, line
    assert (tmp_path / "out" / "乙单位_项目二.xlsx").exists()
    en = cli("--lang", "en", "template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "en")
    assert "scientific notation" in en.stderr, en.stderr


def test_a_long_unit_name_leaves_the_project_in_the_file_name(tmp_path):
    """File names are cut to 150 bytes (50 Chinese characters): a unit of 40 characters left 9 of the project's,
    so its projects that start alike were issued as 上海市…（上海市职业技能鉴定中心_2020年度就业.xlsx, …_2, …_3, and a
    department could not tell its templates apart.  The unit is shortened first; the project's name is kept."""
    unit = "上海市人力资源和社会保障局下属上海市就业促进中心（上海市职业技能鉴定中心、上海市职业能力考试院）"
    projects = ["2020年度就业困难人员公益性岗位补贴专项资金（一期）", "2020年度就业困难人员公益性岗位补贴专项资金（二期）"]
    result = _prefilled(tmp_path, "申报单位名称,项目名称", *(f"{unit},{p}" for p in projects))
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert [n for n in names if not any(p in n for p in projects)] == [], names
    assert all(n.startswith("上海市人力资源和社会保障局") and len(n.encode()) <= 150 + len(".xlsx") for n in names), names
    # a short unit and project are named in full, as before
    assert _prefilled(tmp_path, "申报单位名称,项目名称", "甲单位,项目一").exit_code == 0
    assert (tmp_path / "out" / "甲单位_项目一.xlsx").exists()


def test_columns_a_finance_system_adds_are_left_out_when_named(tmp_path):
    """A finance system's export has columns the form has no field for (项目编码, 备注, 功能科目): they stopped the
    run, and the bureau deleted them by hand every season.  Named with --ignore-columns they are left out, listed,
    and nothing of them reaches a template; any other unknown column still stops the run."""
    lines = ["申报单位名称,项目编码,项目名称,项目总预算,备注,功能科目", "甲单位,P-0001,项目一,100,内部备注甲,2080101",
             "乙单位,P-0002,项目二,200,内部备注乙,2080102"]
    stopped = _prefilled(tmp_path, *lines)
    assert stopped.exit_code == 1 and "--ignore-columns" in stopped.stderr and not (tmp_path / "out").exists()
    result = prefill_templates(tmp_path / "p.csv", tmp_path / "out", ignore_columns=["项目编码，备注、 功能科目", "用途"])
    assert result.ok and len(result.written) == 2
    assert result.ignored_columns == ["项目编码", "备注", "功能科目"] and result.not_columns == ["用途"]
    totals = {}
    for path in result.written:
        wb = openpyxl.load_workbook(path)
        info = wb[F.info.name]
        totals[info[F.field("/unit").cell].value] = info[F.field("/budget/total").cell].value
        texts = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
        assert not [t for t in texts if "P-000" in t or "内部备注" in t or "208010" in t]
    assert totals == {"甲单位": 100, "乙单位": 200}
    # a known column named too is left out: its field stays open for the department, not prefilled and locked
    again = prefill_templates(tmp_path / "p.csv", tmp_path / "again", ignore_columns=["项目编码,备注,功能科目,项目总预算"])
    total = openpyxl.load_workbook(again.written[0])[F.info.name][F.field("/budget/total").cell]
    assert total.value is None and not total.protection.locked
    # the command line lists what it left out; the option goes with --prefill only
    out = cli("template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "cli", "--ignore-columns",
              "项目编码,备注", "--ignore-columns", "功能科目")
    assert out.exit_code == 0 and "已忽略项目清单的列：项目编码、备注、功能科目" in out.stderr, out.stderr
    assert cli("template", "-o", tmp_path / "t.xlsx", "--ignore-columns", "备注").exit_code == 2
