"""A bureau's configuration files are checked when they load, with located errors: a --weights file's 一级 names
against the frameworks, a framework's labels against the fixed column heads, and the malformed files a bureau may
hand over (BOMs, GBK, empty files, folders, duplicate rows)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xlgoals._errors import ConfigError
from xlgoals._frameworks import FrameworkSet

from .conftest import EXAMPLE_JSON, EXAMPLES, cli

SE_RETURN = EXAMPLES / "received-self-evaluation" / "02_促进就业专项资金_有误.xlsx"

# shanghai-2020's points, its 产出目标 misspelt on the file's third line
_MISSPELT = """{"funds": 10,
 "level1": [{"names": ["投入与管理"], "points": 20},
            {"names": ["产出目票"], "points": 40},
            {"names": ["效果目标"], "points": 20}, {"names": ["影响力目标"], "points": 10}]}
"""


def _misspelt(tmp_path: Path) -> Path:
    path = tmp_path / "分值.json"
    path.write_text(_MISSPELT, encoding="utf-8")
    return path


def test_a_weights_name_no_framework_has_is_refused_at_load_with_its_line_and_a_suggestion(tmp_path):
    from xlgoals._selfeval._weights import load_weights

    with pytest.raises(ConfigError) as caught:
        load_weights(_misspelt(tmp_path), FrameworkSet.default())
    zh, en = str(caught.value.args[0]), caught.value.args[0].en
    assert f"{tmp_path / '分值.json'} 第 3 行" in zh and "“产出目票”" in zh and "“产出目标”" in zh
    assert "投入与管理、产出目标、效果目标、影响力目标" in zh  # the names expected
    assert "line 3" in en and "'产出目票'" in en and "did you mean '产出目标'" in en and "'影响力目标'" in en


def test_a_misspelt_weights_name_stops_the_template_run_before_any_goal_table_is_read(tmp_path):
    out = tmp_path / "自评下发"
    for lang, said in (("zh", "是否应为“产出目标”"), ("en", "did you mean '产出目标'")):
        r = cli("template", "--form", "self-evaluation", "--targets", EXAMPLE_JSON[1], "--weights",
                _misspelt(tmp_path), "--out-dir", out, "--lang", lang)
        assert r.exit_code == 2, r.output
        assert said in r.output and ("第 3 行" if lang == "zh" else "line 3") in r.output
        assert "Traceback" not in r.output and EXAMPLE_JSON[1].name not in r.output  # no goal table's own error
        assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_a_misspelt_weights_name_stops_validate_and_consolidate_before_any_return_is_read(tmp_path, command):
    extra = ["-o", tmp_path / "汇总.xlsx"] if command == "consolidate" else []
    r = cli(command, SE_RETURN, *extra, "--targets", EXAMPLE_JSON[1], "--weights", _misspelt(tmp_path))
    assert r.exit_code == 2, r.output
    assert "“产出目票”" in r.output and "第 3 行" in r.output and "是否应为“产出目标”" in r.output
    assert SE_RETURN.name not in r.output  # the return was not read
    assert not (tmp_path / "汇总.xlsx").exists()


def test_weights_that_cover_a_framework_only_in_part_still_load(tmp_path):
    """A name of any framework in force is a name: a file giving only some of a framework's 一级 is held to each
    goal table when it is used (as before)."""
    from xlgoals._selfeval._weights import load_weights

    path = tmp_path / "w.json"
    path.write_text(json.dumps({"funds": 10, "level1": [{"names": ["产出目标", "产出指标"], "points": 90}]},
                               ensure_ascii=False), encoding="utf-8")
    assert load_weights(path, FrameworkSet.default()).groups[0][0] == ("产出目标", "产出指标")


# --frameworks: a label that is also a fixed column head ------------------------------------------------------
def _framework_dir(tmp_path: Path, **labels) -> Path:
    from .conftest import ROOT

    fw = json.loads((ROOT / "templates" / "shanghai-2020.json").read_text(encoding="utf-8"))
    fw["id"] = "demo-2025"
    fw["labels"].update(labels)
    folder = tmp_path / "本局指标体系"
    folder.mkdir(exist_ok=True)
    (folder / "demo-2025.json").write_text(json.dumps(fw, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("key, label, form", [
    ("level3", "计量单位", "绩效目标表"),  # the goal table's own 计量单位 column
    ("target", "分值", "绩效目标表"),  # an optional column's head
    ("level1", "年度指标值", "绩效自评表"),  # a head of the self-evaluation only
    ("level2", "1-6月执行情况", "绩效运行监控表"),  # the monitoring report's head, for a month
])
def test_a_framework_label_that_is_a_fixed_column_head_is_refused_at_load(tmp_path, key, label, form):
    folder = _framework_dir(tmp_path, **{key: label})
    with pytest.raises(ConfigError) as caught:
        FrameworkSet.load(folder)
    zh, en = str(caught.value.args[0]), caught.value.args[0].en
    assert "demo-2025.json" in zh and f"“{key}”" in zh and f"“{label}”" in zh and form in zh
    assert "demo-2025.json" in en and f"'{key}'" in en and f"'{label}'" in en
    for lang in ("zh", "en"):
        r = cli("frameworks", "--frameworks", folder, "--lang", lang)
        assert r.exit_code == 2 and label in r.output and "Traceback" not in r.output, r.output


def test_a_framework_label_that_heads_another_form_only_where_it_is_not_used_loads(tmp_path):
    """The target column is headed by the framework on the goal table only: 年度指标值 there is the
    self-evaluation's name for that very column, and no header holds it twice."""
    assert FrameworkSet.load(_framework_dir(tmp_path, target="年度指标值")).get("demo-2025").labels["target"] == "年度指标值"


# Dates typed as eight digits ---------------------------------------------------------------------------------
@pytest.mark.parametrize("raw, iso", [("20200305", "2020-03-05"), ("２０２００３０５", "2020-03-05"),
                                      (" 20201231 ", "2020-12-31"), (20200305, "2020-03-05"),
                                      (20200305.0, "2020-03-05")])
def test_eight_digits_are_a_date_for_a_return_and_a_project_list_alike(raw, iso):
    from xlgoals._form._kinds import parse_date

    assert parse_date(raw) == iso


@pytest.mark.parametrize("raw", ["20200230", "20201301", "2020035", "202003051", "00200305", 20201301, 20200305.5,
                                 "2020 0305", 99999999])
def test_digits_that_are_no_calendar_date_are_still_refused(raw):
    from xlgoals._form import Unreadable
    from xlgoals._form._kinds import parse_date

    with pytest.raises(Unreadable):
        parse_date(raw)


@pytest.fixture(scope="module")
def date_typed(soffice, tmp_path_factory):
    """fmt -> 20200305 typed in LibreOffice into the 填报日期 cell (yyyy-mm-dd) of a goal table template for 2020, saved
    as `fmt`: typed once per format and test process (each typing costs a LibreOffice job), for the tests below that type
    the same thing into the same template."""
    from xlgoals import write_template

    from .conftest import lo_edit_job
    from .helpers import info_cell

    folder = tmp_path_factory.mktemp("date-typed")
    src = write_template(folder / "模板.xlsx", year=2020)
    sheet, cell = info_cell("/contact/date")
    made = {}

    def typed(fmt: str):
        if fmt not in made:
            made[fmt] = lo_edit_job(src, folder / f"typed.{fmt}", [{"sheet": sheet, "cell": cell, "input": "20200305"}],
                                    folder, fmt)
        return made[fmt]
    return typed


def test_twenty_two_hundred_three_oh_five_typed_in_libreoffice_is_read_as_the_date_with_a_warning(tmp_path, lo_edit,
                                                                                                   date_typed):
    """LibreOffice keeps 20200305 typed into the 填报日期 cell (formatted yyyy-mm-dd) as the number 20200305, which
    that cell shows as #FMT (Excel and WPS: ####): it is read as 2020-03-05, as a project list's 20200305 is, with a
    warning that the paper would show no date.  Typed into the cell as text, it shows as typed: no warning."""
    from xlgoals import read, validate_file, write_template
    from xlgoals._form import FORMS

    from .helpers import info_cell

    form = FORMS["goal-table"]
    src = write_template(tmp_path / "模板.xlsx", year=2020)
    sheet, cell = info_cell("/contact/date")
    typed = date_typed("xlsx")
    assert read(typed).document["contact"]["date"] == "2020-03-05"
    found = [p for p in validate_file(typed).problems if (p.sheet, p.cell) == (sheet, cell)]
    assert [(p.code, p.severity) for p in found] == [("cell.date_digits", "warning")], found
    assert "20200305" in found[0].message and "2020-03-05" in found[0].message and "####" in found[0].message
    assert "2020-03-05" in found[0].text("en") and "####" in found[0].text("en")

    text = lo_edit(src, tmp_path / "text.xlsx", [{"sheet": sheet, "cell": cell, "string": "20200305"}])
    assert read(text).document["contact"]["date"] == "2020-03-05"
    assert not [p for p in validate_file(text).problems if (p.sheet, p.cell) == (sheet, cell)]
    assert form.field("/contact/date").kind == "date"


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_eight_digits_in_a_cell_that_is_no_longer_date_formatted_are_not_said_to_show_hashes(tmp_path, lo_edit, fmt,
                                                                                            date_typed):
    """20200305 pasted with the General format into the 填报日期 cell shows 20200305, not ####: cell.date_digits
    said the paper shows no date.  The cell's number format is now looked at (an .xlsx's style, an .xls's XF):
    read as 2020-03-05 without a warning; typed into the date-formatted cell, the warning stays."""
    from xlgoals import read, validate_file, write_template

    from .helpers import info_cell

    src = write_template(tmp_path / "模板.xlsx", year=2020)
    sheet, cell = info_cell("/contact/date")
    pasted = lo_edit(src, tmp_path / f"pasted.{fmt}", [{"sheet": sheet, "cell": cell, "paste": 20200305,
                                                         "format": "General"}], fmt=fmt)
    assert read(pasted).document["contact"]["date"] == "2020-03-05"
    assert not [p for p in validate_file(pasted).problems if (p.sheet, p.cell) == (sheet, cell)]
    typed = date_typed(fmt)
    assert [p.code for p in validate_file(typed).problems if (p.sheet, p.cell) == (sheet, cell)] == \
        ["cell.date_digits"]


def test_twenty_two_hundred_three_oh_five_typed_and_saved_as_ods_says_the_date_is_out_of_range(date_typed):
    """LibreOffice saves 20200305 typed into the date cell of an .ods as the date 32767-12-31 (beyond the dates it
    keeps; the cell shows #FMT): it was "not a date: '32767-12-31'", a value the department never typed.  It is
    now said to be out of range, as a number typed as eight digits is, and to be typed again as 2020-03-05."""
    from xlgoals import read, validate_file

    from .helpers import info_cell

    sheet, cell = info_cell("/contact/date")
    ods = date_typed("ods")
    assert read(ods).document["contact"]["date"] == "32767-12-31"  # kept as the file holds it, flagged
    found = [p for p in validate_file(ods).problems if (p.sheet, p.cell) == (sheet, cell)]
    assert [(p.code, p.severity) for p in found] == [("cell.date_out_of_range", "error")], found
    assert "超出" in found[0].message and "20200305" in found[0].message and "2020-03-05" in found[0].message
    assert "out of range" in found[0].text("en") and "32767-12-31" in found[0].text("en")


# A pasted number whose number format shows a comparator or unit --------------------------------------------
def _goal_table_with_format(tmp_path: Path, fmt: str, *, comparator=">=", unit="人", value=3) -> Path:
    import openpyxl

    from xlgoals import fill

    from .conftest import load
    from .helpers import ind_cell

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=comparator, value=5, unit=unit)
    src = fill(doc, tmp_path / "填好.xlsx")
    wb = openpyxl.load_workbook(src)
    sheet, ref = ind_cell(9, "target")
    wb[sheet][ref].value = value  # a paste from last year's workbook: the number and its format
    wb[sheet][ref].number_format = fmt
    dst = tmp_path / f"粘贴-{len(list(tmp_path.iterdir()))}.xlsx"
    wb.save(dst)
    return dst


@pytest.mark.parametrize("fmt, shown", [('"≤"0"天"', "≤3天"), ('0"天"', "3天"), ('"不超过"0', "不超过3"),
                                        ('"<"0"人"', "<3人")])
def test_a_number_whose_format_shows_another_comparator_or_unit_is_reported(tmp_path, fmt, shown):
    from xlgoals import read, validate_file

    from .helpers import ind_cell

    path = _goal_table_with_format(tmp_path, fmt)
    ind = read(path).document["indicators"][9]
    assert (ind["comparator"], ind["value"], ind["unit"]) == (">=", 3, "人")  # read as the columns say, as before
    sheet, ref = ind_cell(9, "target")
    found = [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("warning", sheet, ref)], found
    assert f"“{shown}”" in found[0].message and "≥3人" in found[0].message
    assert f"'{shown}'" in found[0].text("en") and "≥3人" in found[0].text("en")


@pytest.mark.parametrize("fmt", ['"≥"0"人"', '0"人"', '"≥"0', "0", "General", "0.00", '"约"0'])
def test_a_number_whose_format_agrees_with_its_row_is_not_reported(tmp_path, fmt):
    from xlgoals import validate_file

    path = _goal_table_with_format(tmp_path, fmt)
    assert not [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]


def test_a_percent_format_with_a_comparator_is_held_to_the_row_too(tmp_path):
    """0.85 pasted with "≤"0% shows ≤85%: read as 85 % (as 0% is), the ≤ disagreeing with ≥."""
    from xlgoals import read, validate_file

    path = _goal_table_with_format(tmp_path, '"≤"0%', unit="%", value=0.85)
    ind = read(path).document["indicators"][9]
    assert (ind["comparator"], ind["value"], ind["unit"]) == (">=", 85, "%")
    found = [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]
    assert len(found) == 1 and "“≤85%”" in found[0].message, found


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_pasted_format_through_libreoffice_is_reported(tmp_path, lo_edit, fmt):
    """The warning was given for an .xlsx only: the same paste saved as .xls (its FORMAT and XF records) or .ods
    (its number style, in styles.xml, named by the cell's automatic style) said nothing."""
    from xlgoals import fill, validate_file

    from .conftest import load
    from .helpers import ind_cell

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=5, unit="人")
    src = fill(doc, tmp_path / "填好.xlsx")
    sheet, ref = ind_cell(9, "target")
    out = lo_edit(src, tmp_path / f"粘贴.{fmt}", [{"sheet": sheet, "cell": ref, "paste": 3, "format": '"≤"0"天"'}],
                  fmt=fmt)
    found = [p for p in validate_file(out).problems if p.code == "cell.target_format_conflict"]
    assert [(p.sheet, p.cell) for p in found] == [(sheet, ref)] and "“≤3天”" in found[0].message, found


@pytest.mark.parametrize("fmt, value, shown", [
    ('[<0]"-"0"天";"≤"0"天"', 3, "≤3天"),  # a condition section: 3 is not < 0, the second section shows it
    ('"≥"0"人";-0"人";"≤"0"天"', 0, "≤0天"),  # positive; negative; zero: 0 is shown by the third
    ('"≥"0"人";"≤"0"天"', -3, "≤3天"),  # positive and zero; negative (shown without its minus)
    ('[>=10]"≥"0"人";[<0]"≥"0"人";"≤"0"天"', 3, "≤3天"),  # two conditions: neither holds, the third section
])
def test_the_section_of_a_format_that_shows_the_number_is_the_one_held_to_the_row(tmp_path, fmt, value, shown):
    """A number format of several sections (positive;negative;zero, or [<0] conditions) was read by its first
    section only: [<0]"-"0"天";"≤"0"天" on 3 was taken to show "-3天" (no comparator, no warning), where Excel shows
    ≤3天.  The section Excel uses for the number is the one held to the row."""
    from xlgoals import validate_file

    path = _goal_table_with_format(tmp_path, fmt, value=value)
    found = [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]
    assert len(found) == 1 and f"“{shown}”" in found[0].message, found


@pytest.mark.parametrize("fmt, value", [('[<0]"≤"0"天";"≥"0"人"', 3), ('"≤"0"天";"≥"0"人";"≥"0"人"', -3),
                                        ('"≥"0"人";"≥"0"人";"≤"0"天"', 3), ('"≥"0"人";"≤"0"天";', 3)])
def test_a_section_that_does_not_show_the_number_is_not_held_to_the_row(tmp_path, fmt, value):
    """The first section's ≤…天 is not what 3 (or -3) is shown with: no warning (one was given before)."""
    from xlgoals import validate_file

    path = _goal_table_with_format(tmp_path, fmt, value=value)
    assert not [p for p in validate_file(path).problems if p.code == "cell.target_format_conflict"]


def _format_pasted_through_libreoffice(tmp_path, lo_edit, fmt, value, number_format):
    """`value` pasted with `number_format` into the target of a ≥5人 row, saved by LibreOffice as `fmt`: the
    target's (sheet, cell) and the cell.target_format_conflict problems validate gives."""
    from xlgoals import fill, validate_file

    from .conftest import load
    from .helpers import ind_cell

    doc = load(EXAMPLE_JSON[1])
    doc["indicators"][9].update(comparator=">=", value=5, unit="人")
    src = fill(doc, tmp_path / "填好.xlsx")
    sheet, ref = ind_cell(9, "target")
    out = lo_edit(src, tmp_path / f"粘贴.{fmt}", [{"sheet": sheet, "cell": ref, "paste": value,
                                                   "format": number_format}], fmt=fmt)
    return (sheet, ref), [p for p in validate_file(out).problems if p.code == "cell.target_format_conflict"]


@pytest.mark.parametrize("fmt", ["xlsx", "xls"])
def test_a_pasted_condition_format_through_libreoffice_shows_its_second_section(tmp_path, lo_edit, fmt):
    """[<0]"-"0"天";"≤"0"天" pasted on 3 and saved by LibreOffice: the .ods said ≤3天, the .xlsx and .xls -3天."""
    where, found = _format_pasted_through_libreoffice(tmp_path, lo_edit, fmt, 3, '[<0]"-"0"天";"≤"0"天"')
    assert [(p.sheet, p.cell) for p in found] == [where] and "“≤3天”" in found[0].message, found


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_a_pasted_zero_is_held_to_its_formats_zero_section(tmp_path, lo_edit, fmt):
    """0 pasted with "≥"0"人";"≥"0"人";"≤"0"天" shows ≤0天 (the zero section): each format read the first section
    (an .ods's style for value()>0), ≥0人, and said nothing."""
    where, found = _format_pasted_through_libreoffice(tmp_path, lo_edit, fmt, 0, '"≥"0"人";"≥"0"人";"≤"0"天"')
    assert [(p.sheet, p.cell) for p in found] == [where] and "“≤0天”" in found[0].message, found



@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
@pytest.mark.parametrize("number_format, value, shown", [
    ('"≥"0"人";-0"天"', -3, "-3天"),  # positive and zero; negative: its minus is the section's own text
    ('"≥"0"人";-0"天";"≥"0"人"', -3, "-3天"),  # positive; negative; zero
])
def test_a_negative_section_of_an_ods_format_shows_one_minus(tmp_path, lo_edit, fmt, number_format, value, shown):
    """LibreOffice keeps a format's negative section in an .ods as a style whose text is the minus ("-") and whose
    number is shown without its sign; the .ods's number was shown with both ("--3天", no target read from it), so
    the pasted format's 天 on a ≥5人 row went unsaid where the .xlsx and .xls said it."""
    where, found = _format_pasted_through_libreoffice(tmp_path, lo_edit, fmt, value, number_format)
    assert [(p.sheet, p.cell) for p in found] == [where] and f"“{shown}”" in found[0].message, found

# Red team: the files a bureau may hand over ------------------------------------------------------------------
def _rules_text(*rows) -> str:
    import csv
    import io

    from .conftest import ROOT

    table = list(csv.reader(io.StringIO((ROOT / "schema" / "rules.csv").read_text(encoding="utf-8"))))
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([table[0], *(r for r in table if r[0] in rows)])
    return buf.getvalue()


def test_a_rule_table_saved_with_two_byte_order_marks_loads(tmp_path):
    """A CSV UTF-8 file opened and saved again by a tool that adds its own BOM starts with two: its header's first
    cell was \\ufeffcode, refused as 缺少列 code, which the bureau could not see in any editor."""
    from xlgoals._check._ruletable import RuleTable

    path = tmp_path / "本局规则.csv"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf" + _rules_text("cell.date").encode("utf-8"))
    assert RuleTable.load(path).source


def test_a_rule_table_separated_by_semicolons_says_so(tmp_path):
    path = tmp_path / "本局规则.csv"
    path.write_text(_rules_text("cell.date").replace(",", ";"), encoding="utf-8")
    for lang, said in (("zh", "分号"), ("en", "semicolon")):
        r = cli("frameworks", "--rules", path, "--lang", lang)
        assert r.exit_code == 2 and said in r.output, r.output


def test_a_folder_given_for_a_file_and_a_file_for_the_folder_are_named_as_such(tmp_path):
    (tmp_path / "规则.csv").mkdir()
    r = cli("frameworks", "--rules", tmp_path / "规则.csv")
    assert r.exit_code == 2 and "是文件夹" in r.output, r.output
    r = cli("frameworks", "--rules", tmp_path / "规则.csv", "--lang", "en")
    assert r.exit_code == 2 and "a folder, not a file" in r.output, r.output
    fw = _framework_dir(tmp_path) / "demo-2025.json"
    for lang, said in (("zh", "是文件，不是文件夹"), ("en", "a file, not a folder")):
        r = cli("frameworks", "--frameworks", fw, "--lang", lang)
        assert r.exit_code == 2 and said in r.output and "找不到" not in r.output, r.output


def test_a_framework_file_whose_extension_is_upper_case_is_loaded_not_dropped(tmp_path):
    """demo-2025.JSON (as a Windows tool may name it), beside another framework file, was passed over unsaid."""
    folder = _framework_dir(tmp_path)
    fw = json.loads((folder / "demo-2025.json").read_text(encoding="utf-8"))
    (folder / "demo-2025.json").rename(folder / "demo-2025.JSON")
    (folder / "demo-2026.json").write_text(json.dumps({**fw, "id": "demo-2026"}, ensure_ascii=False), encoding="utf-8")
    assert {"demo-2025", "demo-2026"} <= set(FrameworkSet.load(folder).ids())


def test_a_review_configuration_weight_of_no_code_names_the_file_as_given(tmp_path, monkeypatch):
    from .conftest import EXAMPLE_XLSX

    monkeypatch.chdir(tmp_path)
    Path("本局审核.json").write_text('{"weights": {"review.nope": 5}}', encoding="utf-8")
    r = cli("validate", EXAMPLE_XLSX[0], "--review", "--review-config", "本局审核.json")
    assert r.exit_code == 2 and "错误：本局审核.json：" in r.output and str(tmp_path) not in r.output, r.output


def test_a_control_character_in_a_project_list_name_gives_no_template(tmp_path):
    """甲\\x00 in a project list (a CSV exported by a budget system) went raw into the 绩效指标 sheet's caption (a formula's
    cached value), so the template issued was a corrupt workbook that no Excel or xlgoals could open.  A control
    character is refused, its row located (schema.control_char): no template locks it."""
    (tmp_path / "p.csv").write_text("申报单位名称,项目名称\n甲\x00单位,项目\x07一\n", encoding="utf-8")
    r = cli("template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "out", "--year", "2020")
    assert r.exit_code == 1, r.output
    assert "第 2 行：“申报单位名称”含有不可见的控制字符 \\u0000" in r.stderr, r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("option", ["--rules", "--weights"])
def test_a_workbook_given_for_a_text_file_is_named_as_a_workbook(tmp_path, option):
    """A rule table kept as 本局规则.xlsx and given as it is was refused as 无法识别…文件编码, which sends the bureau
    looking at encodings."""
    import shutil

    from .conftest import EXAMPLE_XLSX

    book = tmp_path / "本局规则.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], book)
    extra = ["--targets", EXAMPLE_JSON[1]] if option == "--weights" else []
    for lang, said in (("zh", "这是工作簿"), ("en", "this is a workbook")):
        r = cli("validate", SE_RETURN, option, book, *extra, "--lang", lang)
        assert r.exit_code == 2 and said in r.output and "编码" not in r.output, r.output


def test_a_framework_s_own_points_name_misspelt_is_refused_with_the_closest_name(tmp_path):
    folder = _framework_dir(tmp_path)
    path = folder / "demo-2025.json"
    fw = json.loads(path.read_text(encoding="utf-8"))
    fw["self_evaluation"]["level1"][1]["names"] = ["产出目票"]
    path.write_text(json.dumps(fw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        FrameworkSet.load(folder)
    assert "是否应为“产出目标”" in str(caught.value.args[0]) and "did you mean '产出目标'" in caught.value.args[0].en


def test_a_project_list_separated_by_semicolons_says_so(tmp_path):
    (tmp_path / "p.csv").write_text("申报单位名称;项目名称;项目总预算\n甲单位;项目一;100\n", encoding="utf-8")
    for lang, said in (("zh", "以分号分隔"), ("en", "separated by semicolons")):
        r = cli("template", "--prefill", tmp_path / "p.csv", "--out-dir", tmp_path / "out", "--year", "2020",
                "--lang", lang)
        assert r.exit_code == 1 and said in r.output and not (tmp_path / "out").exists(), r.output  # as an unknown column


@pytest.mark.parametrize("change, said", [
    (lambda fw: fw["labels"].update(level3="三级(目标)", target="三级（目标）"), "相同的列名"),
    (lambda fw: fw["level1"].append({**fw["level1"][1], "name": "产出目标\u200b", "level2": ["另一个"]}), "看起来相同"),
])
def test_framework_names_that_only_look_different_are_refused(tmp_path, change, said):
    folder = _framework_dir(tmp_path)
    path = folder / "demo-2025.json"
    fw = json.loads(path.read_text(encoding="utf-8"))
    del fw["self_evaluation"]  # its points would name the new category
    change(fw)
    path.write_text(json.dumps(fw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError, match=f"demo-2025.json.*{said}"):
        FrameworkSet.load(folder)


def test_two_files_of_one_framework_id_are_refused_not_one_kept_by_sort_order(tmp_path):
    folder = _framework_dir(tmp_path)
    text = (folder / "demo-2025.json").read_text(encoding="utf-8")
    (folder / "demo-2025.JSON").write_text(text.replace("上海", "本局"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        FrameworkSet.load(folder)
    assert "demo-2025.JSON" in caught.value.args[0] and "demo-2025.json" in caught.value.args[0].en
