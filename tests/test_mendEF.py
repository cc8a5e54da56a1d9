"""mendEF: number formats' rendering edges (red team 29ae) and the counts validate and the monitoring lines word."""

import csv
import io
import json
import shutil

import pytest

from xlgoals._read._screen import rounded_away, shown_figure

from .conftest import cli
from .helpers import unit_inbox
from .test_mendEB import _unlistable


# F1: a comma in a scientific section (0.0E+00,): Excel's rendering of it is not known (a scaling or a text); it was
# rendered as both (12345.678 as 1.2E+01,).  Now not rendered, and so not warned, as ##0.0E+0 is not.
@pytest.mark.parametrize("code", ["0.0E+00,", "0.00E+00,,", "0.0E+00,;-0.0E+00,"])
@pytest.mark.parametrize("value", [2.22, 12345.678, 0.999])
def test_scientific_with_a_trailing_comma_is_not_rendered(code, value):
    assert shown_figure(code, value) is None
    assert rounded_away(code, value) is None


def test_scientific_without_a_comma_still_rendered():
    assert shown_figure("0.0E+00", 12345.678) == "1.2E+04"
    assert rounded_away("0.0E+00", 12345.678) == ("1.2E+04", "12345.678")


# F3: the float's-tail exemption only where the shown fraction is the value to about 15 significant digits
@pytest.mark.parametrize("value, shown", [(1 / 3, "3/8"), (0.333333333333333, "3/8"), (2 / 3, "5/8")])
def test_a_third_under_eighths_is_warned(value, shown):
    assert rounded_away("# ?/8", value) == (shown, repr(value))


@pytest.mark.parametrize("code, value", [("# ?/3", 1 / 3), ("# ?/3", 0.333333333333333), ("# ?/3", 2 / 3),
                                         ("# ??/??", 1 / 3), ("0.0E+00", 0.1 + 0.2)])
def test_a_float_tail_of_the_shown_figure_is_not_warned(code, value):
    assert rounded_away(code, value) is None


def test_a_typed_value_close_to_a_third_is_still_warned():
    assert rounded_away("# ?/3", 0.3333333333) == ("1/3", "0.3333333333")


# F2: a text between digit placeholders: the digits fill the placeholders as Excel fills them, and the value read
# is the number, no text spliced into it (was: shown "04/", read "04/.44")
@pytest.mark.parametrize("code, value, shown", [
    ('0"/"0', 4.44, "0/4"), ('0"/"0', 444, "44/4"), ('0"E+"0', 4.44, "0E+4"), ('0 "/" 0', 4.44, "0 / 4"),
    ("000-00-0000", 123456789, "123-45-6789"), ('#"/"#', 4.44, "/4"), ('0.0"/"0', 4.44, "4.4/4"),
    ('0"/"0', -4.44, "-0/4")])
def test_text_between_placeholders_rendered_as_excel(code, value, shown):
    assert shown_figure(code, value) == shown


@pytest.mark.parametrize("code, value, expected", [
    ('0"/"0', 4.44, ("0/4", "4.44")), ('0"E+"0', 4.44, ("0E+4", "4.44")), ('0 "/" 0', -4.44, ("-0 / 4", "-4.44")),
    ('0.0"/"0', 0.125, ("0.1/3", "0.125"))])
def test_text_between_placeholders_value_read_is_the_number(code, value, expected):
    assert rounded_away(code, value) == expected


def test_grouped_with_text_between_is_not_rendered():
    assert shown_figure('#,##0"/"0', 12345.6) is None
    # (its decimals lost are still told, with no text quoted: test_mendEI)
    assert rounded_away('#,##0"/"0', 12345.6) == (None, "12345.6")


# 4. validate's JSON counts a folder that cannot be listed apart, as the text's first line does (it counted it a file)

@pytest.fixture
def inbox(tmp_path):
    return unit_inbox(tmp_path)


def test_unreadable_folder_counted_apart_in_json_as_in_text(inbox, monkeypatch):
    _unlistable(monkeypatch, inbox / "乙单位")
    data = json.loads(cli("validate", "--format", "json", inbox).stdout)
    assert data["summary"]["files"] == 1 and data["summary"]["passed"] == 1 and data["summary"]["failed"] == 0
    assert data["summary"]["unreadable_folders"] == 1 and data["summary"]["errors"] == 1
    # the folder's entry is still listed, with its problem
    assert [p["code"] for f in data["files"] for p in f["problems"] if p["code"].startswith("folder.")] \
        == ["folder.unreadable"]
    text = cli("validate", inbox).stdout
    assert text.startswith("共检查 1 个文件：通过 1 个，未通过 0 个；另有 1 个文件夹无法读取")
    rows = list(csv.DictReader(io.StringIO(cli("validate", "--format", "csv", inbox).stdout.lstrip("\ufeff"))))
    assert [r["code"] for r in rows if r["code"].startswith("folder.")] == ["folder.unreadable"]


def test_no_unreadable_folder_counts_zero(inbox):
    shutil.rmtree(inbox / "乙单位")
    summary = json.loads(cli("validate", "--format", "json", inbox).stdout)["summary"]
    assert (summary["files"], summary["passed"], summary["failed"], summary["unreadable_folders"]) == (1, 1, 0, 0)


# 5. English counts: singular for one (the monitoring line said "1 projects and 1 indicators at risk")

def _monitoring_totals(projects, indicators):
    from decimal import Decimal
    return {"files": 1, "units": 1, "projects": 1, "invalid": 0, "duplicates": 0, "skipped": 0, "ignored": 0,
            "full_year_budget": Decimal("10"), "executed_to_date": Decimal("0.5"), "months": [6], "marks": {},
            "project_marks": {}, "risky_projects": projects, "risky_indicators": indicators}


@pytest.mark.parametrize("projects, indicators, said", [
    (1, 1, "; 1 project and 1 indicator at risk"), (2, 0, "; 2 projects and 0 indicators at risk"),
    (0, 3, "; 0 projects and 3 indicators at risk")])
def test_monitoring_line_counts_in_english(projects, indicators, said):
    from xlgoals._monitor._summary import MonitoringSummary
    assert MonitoringSummary.headline(_monitoring_totals(projects, indicators), "en").endswith(said)
    line = MonitoringSummary.describe(_monitoring_totals(projects, indicators), "en")
    assert said in line and "1 files" not in line and "1 units" not in line


def test_monitoring_line_in_chinese_unchanged():
    from xlgoals._monitor._summary import MonitoringSummary
    assert MonitoringSummary.headline(_monitoring_totals(1, 1)).endswith("风险项目 1 个，风险指标 1 条")


def test_counted_en():
    from xlgoals._text import counted_en
    assert [counted_en(n, "file") for n in (0, 1, 2)] == ["0 files", "1 file", "2 files"]
    assert counted_en(1, "copy", "copies") == "1 copy" and counted_en(3, "copy", "copies") == "3 copies"
