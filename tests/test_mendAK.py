"""Session 23 red-team findings on issuing prefilled templates and the printed form (f05, f09, f13, f14)."""

import datetime
import shutil

import pytest

import openpyxl

from .helpers import F, ooxml_errors
from .conftest import EXAMPLES, cli, lo_printed


def _csv(tmp_path, *lines: str):
    path = tmp_path / "p.csv"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


# f13: a prefilled value outside the framework's list ---------------------------------------------
def test_a_prefilled_category_outside_the_frameworks_list_is_refused_naming_the_allowed_ones(tmp_path):
    """national-2021's 项目类别 list has no 经常性专项业务费: the row was written with it locked, and every return
    then carried rule.category_list (a warning at a locked cell, which the department cannot fix; under --strict
    it fails).  The row is refused, naming the value and the allowed values; a row within the list is written."""
    path = _csv(tmp_path, "申报单位名称,项目名称,项目类别", "甲单位,项目一,经常性专项业务费", "乙单位,项目二,特定目标类项目")
    result = cli("template", "--prefill", path, "--out-dir", tmp_path / "out", "--year", "2020",
                 "--framework", "national-2021")
    assert result.exit_code == 1, result.output
    line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
    assert "经常性专项业务费" in line and "特定目标类项目" in line and "其他运转类项目" in line, line
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙单位_项目二.xlsx"]
    # the bureau's own framework has it: written as before
    path = _csv(tmp_path, "申报单位名称,项目名称,项目类别", "甲单位,项目一,经常性专项业务费")
    ok = cli("template", "--prefill", path, "--out-dir", tmp_path / "sh", "--year", "2020")
    assert ok.exit_code == 0, ok.output


# f05: long names that differ only at their end -------------------------------------------------
def test_phases_of_a_long_project_name_keep_their_own_words_in_the_file_names(tmp_path):
    """A project name longer than a file name takes was cut at ~33 characters, so (一期)/(二期)/(三期) of one
    project became X.xlsx, X_2.xlsx, X_3.xlsx.  The name keeps its head and its tail (head…tail), within the same
    150 bytes."""
    name = "筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费及配套设施建设、展陈设计、布展施工"
    rows = [f"上海市就业促进中心,{name}（{ph}）" for ph in ("一期", "二期", "三期")]
    result = cli("template", "--prefill", _csv(tmp_path, "申报单位名称,项目名称", *rows), "--out-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 3, names
    for ph in ("一期", "二期", "三期"):
        found = [n for n in names if f"（{ph}）" in n]
        assert len(found) == 1 and "_2" not in found[0] and "_3" not in found[0], names
    assert all(n.startswith("上海市就业促进中心_筹办第46届") and "…" in n and len(n.encode()) <= 150 + len(".xlsx")
               for n in names), names


# f14: an .xlsx list kept in 万元 through a number format; a formula without its value ----------------
def _xlsx_list(tmp_path, fmt=None, total=6280, current=6280):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["申报单位名称", "项目名称", "计划开始日期", "计划完成日期", "项目总预算", "项目当年预算"])
    ws.append(["甲单位", "格式项目", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), total, current])
    ws.append(["乙单位", "元项目", datetime.date(2020, 1, 1), datetime.date(2020, 12, 31), 100, 100])
    if fmt:
        for c in ("E2", "F2"):
            ws[c].number_format = fmt
    path = tmp_path / "list.xlsx"
    wb.save(path)
    return path


def test_an_amount_shown_in_wan_by_its_number_format_is_refused_naming_the_cell(tmp_path):
    """6280 formatted #,##0.00"万元" (shown 6,280.00万元) was issued locked as 6,280 元.  Excel's CSV of it holds
    "6,280.00万元", which the CSV path refuses; so does the .xlsx path now, naming the cell and what it shows."""
    for i, (fmt, shown) in enumerate((('#,##0.00"万元"', "万元"), ("0.00万", "万"), ('0.00"千元"', "千元"),
                                      ('0.00"亿"', "亿"), ('[>=10000]#,##0.00,"万";0.00"万元"', "万元"))):
        out = tmp_path / f"out{i}"
        result = cli("template", "--prefill", _xlsx_list(tmp_path, fmt), "--out-dir", out, "--year", "2020")
        assert result.exit_code == 1, (fmt, result.output)
        line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
        assert "E2" in line and shown in line and "元" in line and "6280" in line, (fmt, line)
        assert sorted(p.name for p in out.iterdir()) == ["乙单位_元项目.xlsx"], fmt
    en = cli("--lang", "en", "template", "--prefill", _xlsx_list(tmp_path, '#,##0.00"万元"'), "--out-dir",
             tmp_path / "en", "--year", "2020")
    assert "E2" in en.stderr and "number format" in en.stderr, en.stderr


def test_an_amount_in_yuan_with_a_yuan_format_is_issued(tmp_path):
    """A format that shows 元 or ¥ with the number keeps the amount in 元: issued as it is."""
    for i, fmt in enumerate(('#,##0.00"元"', '"¥"#,##0.00', "#,##0.00")):
        result = cli("template", "--prefill", _xlsx_list(tmp_path, fmt, 62800000, 62800000), "--out-dir",
                     tmp_path / f"o{i}", "--year", "2020")
        assert result.exit_code == 0, (fmt, result.output)
        ws = openpyxl.load_workbook(tmp_path / f"o{i}" / "甲单位_格式项目.xlsx")[F.info.name]
        assert ws[F.field("/budget/total").cell].value == 62800000


def test_an_amount_formula_without_its_value_is_refused_not_issued_blank(tmp_path):
    """A list a script wrote (never opened in Excel) keeps no value of its formulas: the amount came out blank and
    open, nothing said.  The row is refused, naming the cell and what to do."""
    path = _xlsx_list(tmp_path, None, "=1000*2", "=E2")
    result = cli("template", "--prefill", path, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 1, result.output
    line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
    assert "E2" in line and "公式" in line, line
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["乙单位_元项目.xlsx"]


# f09: every printed page names the unit and project ---------------------------------------------
_UNIT, _PROJECT = "上海市就业促进中心", "促进就业专项资金&培训"


def _prefilled_template(tmp_path):
    path = _csv(tmp_path, "申报单位名称,项目名称,项目总预算（元）", f"{_UNIT},{_PROJECT},100")
    result = cli("template", "--prefill", path, "--out-dir", tmp_path / "out", "--year", "2020")
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "out").iterdir()
    return made


def test_a_prefilled_templates_page_header_names_its_unit_and_project_on_every_sheet(tmp_path):
    """The printed goal table's 单位（盖章） page named neither unit nor project: loose stamped pages could not be
    matched to a project.  Each printed sheet's page header names the prefilled (locked) unit and project; a blank
    template, whose unit the department types later (a header cannot follow a cell), has none."""
    made = _prefilled_template(tmp_path)
    assert ooxml_errors(made) == []
    wb = openpyxl.load_workbook(made)
    for name in (F.guide.name, F.info.name, F.table.name):
        header = wb[name].oddHeader.center.text or ""
        assert _UNIT in header and "促进就业专项资金&&培训" in header, (name, header)  # & doubled: printed once
        assert "第" in (wb[name].oddFooter.center.text or ""), name  # page N of M, as before
    blank = tmp_path / "blank.xlsx"
    assert cli("template", "-o", blank).exit_code == 0
    assert all(not (openpyxl.load_workbook(blank)[n].oddHeader.center.text or "")
               for n in (F.guide.name, F.info.name, F.table.name))


def test_a_self_evaluation_made_from_a_goal_table_names_its_unit_and_project_in_the_header(tmp_path):
    """Every form gets the header from its print setup: a self-evaluation's header fields are locked from the goal
    table, so its pages name them too."""
    from xlgoals import read

    goal = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
    doc = read(goal).document
    result = cli("template", "--form", "self-evaluation", "--targets", goal, "--out-dir", tmp_path / "se")
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "se").iterdir()
    wb = openpyxl.load_workbook(made)
    headers = [wb[n].oddHeader.center.text or "" for n in wb.sheetnames if wb[n].sheet_state == "visible"]
    assert len(headers) == 3 and all(doc["unit"] in h and doc["project"]["name"] in h for h in headers), headers


def test_a_long_project_name_in_the_header_keeps_both_ends_within_excels_limit(tmp_path):
    from xlgoals._write._workbook import build_workbook
    import io

    project = "筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费及配套设施建设、展陈设计、布展施工（二期）"
    doc = {"schema_version": "1", "framework": "shanghai-2020", "year": 2020, "unit": "甲" * 300, "project": {"name": project}}
    wb = openpyxl.load_workbook(io.BytesIO(build_workbook("shanghai-2020", 2020, doc,
                                                          locked=frozenset({"/unit", "/project/name"}))))
    header = wb[F.info.name].oddHeader.center.text
    assert "筹办第46届" in header and "（二期）" in header and len(header) < 255 - 10, header


@pytest.mark.soffice
def test_every_printed_page_of_a_prefilled_template_names_its_unit_and_project(tmp_path, soffice):
    """Printed by LibreOffice: every page (the 单位（盖章） page too) carries the unit and the project, the & once,
    and its page number of the total."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    made = _prefilled_template(tmp_path)
    printed, _ = lo_printed([made], tmp_path / "pdf", needed=False)[made]
    assert printed.pages >= 3
    for n in range(printed.pages):
        text = "".join(w.text for w in printed.words if w.page == n)
        assert _UNIT in text and _PROJECT in text and f"第{n + 1}页，共{printed.pages}页" in text, (n, text[:200])
    stamp = {w.page for w in printed.words if "盖章" in w.text}
    assert stamp, "the stamp page was not printed"


@pytest.mark.soffice
def test_an_xls_or_ods_list_kept_in_wan_by_its_number_format_is_refused_too(tmp_path, lo_convert):
    """The same list saved by LibreOffice as .xls and .ods (their own number-format records): refused naming the
    cell, the row in 元 written."""
    src = _xlsx_list(tmp_path, '#,##0.00"万元"')
    for fmt in ("xls", "ods"):
        (converted,) = lo_convert(src, fmt=fmt)
        out = tmp_path / f"out_{fmt}"
        result = cli("template", "--prefill", converted, "--out-dir", out, "--year", "2020")
        assert result.exit_code == 1, (fmt, result.output)
        line = next(x for x in result.stderr.splitlines() if "第 2 行" in x)
        assert "E2" in line and "万元" in line, (fmt, line)
        assert sorted(p.name for p in out.iterdir()) == ["乙单位_元项目.xlsx"], fmt
