"""Message slips and the bureau's own files (mendL; red-team 13 and 23).

* A logical value typed into an amount cell was quoted as Python writes it (“True”): quoted as the cell shows it.
* Under --lang en, rule.no_indicators named its field in Chinese (绩效指标): the form's English title.
* A date typed with a time (2020-01-01 13:45) was said not to be a date, without saying the time is what is wrong.
* cell.computed_overwritten said the printed form is wrong where the number typed is the formula's own.
* A typed -0 was said to be a negative amount.
* ``xlgoals read x.json`` said the JSON document was of an unknown format; a pipe named .json in a folder was
  listed as no workbook file, not as what it is.
* A bureau's rule table with a range whose min is above its max, or parameters giving a key twice, and a framework
  whose names hold control characters, loaded (or blamed the wrong thing).
"""

from __future__ import annotations

import datetime
import json
import os

import openpyxl
import pytest

from xlgoals import ConfigError, FORMS, validate_document, validate_file
from xlgoals._check._ruletable import RuleTable
from xlgoals._form._kinds import Unreadable, parse_amount, parse_date
from xlgoals._frameworks import FrameworkSet

from .conftest import EXAMPLES, ROOT, cli
from .helpers import bureau_rules, example_return, packaged_rule

GOAL = FORMS["goal-table"]


def _info_edited(tmp_path, form_id: str, path: str, value, name: str = "r.xlsx"):
    form = FORMS[form_id]
    f = form.field(path)
    wb = openpyxl.load_workbook(example_return(form_id))
    wb[f.sheet][f.cell].value = value
    out = tmp_path / name
    wb.save(out)
    return out


# 1. a logical value quoted as the cell shows it ---------------------------------------------------------------------
def test_true_typed_into_an_amount_is_quoted_as_the_cell_shows_it(tmp_path):
    src = _info_edited(tmp_path, "goal-table", "/budget/total", True)
    # (a logical value in an amount cell is cell.logical_value since h33-read, said as TRUE, as Excel and WPS show it)
    (p,) = [p for p in validate_file(src).problems if p.code == "cell.logical_value"]
    assert "TRUE" in p.message and "TRUE" in p.message_en and p.cell == "B10", (p.message, p.message_en)
    assert "True" not in p.message + p.message_en


def test_every_placeholder_quotes_a_logical_value_as_a_spreadsheet_does():
    table = RuleTable.default()
    p = table.problem("cell.amount", field="x", value=False)
    assert "“FALSE”" in p.message and "'FALSE'" in p.message_en, (p.message, p.message_en)
    p = table.problem("cell.amount_wan", field="x", value="1万", detail=True, detail_en=False)
    assert "TRUE" in p.message and "FALSE" in p.message_en and "True" not in p.message + p.message_en


# 2. the field's English title --------------------------------------------------------------------------------------
def test_no_indicators_names_its_field_in_english():
    doc = json.loads(sorted((EXAMPLES / "json").glob("*.json"))[0].read_text(encoding="utf-8"))
    doc["indicators"] = []
    (p,) = [p for p in validate_document(doc) if p.code == "rule.no_indicators"]
    assert p.field == GOAL.table.name
    en = p.to_dict("en")["field"]
    assert en and en.isascii(), en
    assert p.to_dict("zh")["field"] == "绩效指标"


# 3. a date with a time -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [datetime.datetime(2020, 1, 1, 13, 45), "2020-01-01 13:45", "2020/1/1 9:30:00",
                                   "2020年1月1日 8:00"])
def test_a_date_with_a_time_is_told_to_drop_the_time(value):
    with pytest.raises(Unreadable) as exc:
        parse_date(value)
    assert exc.value.code == "cell.date_time"


def test_a_date_with_a_time_says_so_in_the_workbook(tmp_path):
    src = _info_edited(tmp_path, "goal-table", "/project/start_date", datetime.datetime(2020, 1, 1, 13, 45))
    (p,) = [p for p in validate_file(src).problems if p.code.startswith("cell.date")]
    assert p.code == "cell.date_time" and p.severity == "error"
    assert "时间" in p.message and "2020-01-01" in p.message, p.message
    assert "time" in p.message_en, p.message_en


def test_midnight_and_plain_dates_still_read():
    assert parse_date(datetime.datetime(2020, 1, 1)) == "2020-01-01"
    assert parse_date("2020/1/5 0:00") == "2020-01-05"
    assert parse_date(43831) == "2020-01-01"
    with pytest.raises(Unreadable) as exc:
        parse_date("明年")
    assert exc.value.code == "cell.date"


# 4. a computed cell typed over with its own value -------------------------------------------------------------------
def test_a_computed_cell_typed_over_with_its_value_does_not_say_the_print_is_wrong(tmp_path):
    src = sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[1]
    wb = openpyxl.load_workbook(src)
    wb["监控信息"]["F7"].value = 0.5  # 序时进度 of a mid-year report: 6/12, as its formula gives
    wb.save(tmp_path / "m.xlsx")
    found = [p for p in validate_file(tmp_path / "m.xlsx").problems if p.cell == "F7"]
    assert [(p.code, p.severity) for p in found] == [("cell.computed_overwritten", "warning")], \
        [p.message for p in found]
    p = found[0]
    assert "不符" not in p.message and "wrong" not in p.message_en, (p.message, p.message_en)
    assert "不会随" in p.message and "will not follow" in p.message_en, (p.message, p.message_en)


# 5. -0 is 0 --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["-0", "-0.00", "-0,000", -0.0])
def test_minus_zero_is_zero(typed):
    assert parse_amount(typed) == 0


def test_a_negative_amount_is_still_refused():
    for typed in ("-1", "-0.01", -5):
        with pytest.raises(Unreadable) as exc:
            parse_amount(typed)
        assert exc.value.code == "cell.amount_negative"


# 6, 7. a JSON document given to read; a pipe in a folder ---------------------------------------------------------------
def test_read_says_a_json_document_is_one():
    doc = sorted((EXAMPLES / "json").glob("*.json"))[0]
    r = cli("read", doc)
    assert r.exit_code == 1
    assert "JSON 文档" in r.stderr and "未知格式" not in r.stderr, r.stderr
    assert "validate" in r.stderr, r.stderr
    r = cli("read", "--lang", "en", doc)
    assert "JSON document" in r.stderr, r.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_pipe_in_a_folder_is_listed_as_no_regular_file(tmp_path):
    from xlgoals._paths import scan

    os.mkfifo(tmp_path / "说明.json")
    os.mkfifo(tmp_path / "p.txt")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    found = scan([tmp_path])
    said = {os.path.basename(k): v for k, v in found.skipped.items()}
    assert "管道或设备" in said["说明.json"][0] and "pipe" in said["说明.json"][1], said
    assert "管道或设备" in said["p.txt"][0], said
    assert "管道" not in said["notes.txt"][0], said


# 8. the bureau's own files ------------------------------------------------------------------------------------------
def test_a_range_rule_with_min_above_max_is_refused_at_load(tmp_path):
    path = bureau_rules(tmp_path / "r.csv", ["rule.y", "error", "range", '{"unit": "%", "min": 100, "max": 0}', "t",
                                             "t", "", "m {found}", "m"])
    with pytest.raises(ConfigError) as exc:
        RuleTable.load(path)
    zh, en = str(exc.value), exc.value.args[0].en if hasattr(exc.value.args[0], "en") else str(exc.value)
    assert str(path) in zh and "第 2 行" in zh and "params" in zh and "min" in zh and "max" in zh, zh
    assert "line 2" in en and "min" in en, en


def test_parameters_giving_a_key_twice_name_the_key(tmp_path):
    row = packaged_rule("rule.current_le_total",
                        params='{"left": "/budget/current_year", "op": "<=", "right": "/budget/total", "left": 1}')
    path = bureau_rules(tmp_path / "r.csv", row)
    with pytest.raises(ConfigError) as exc:
        RuleTable.load(path)
    zh = str(exc.value)
    assert "第 2 行" in zh and "“left”" in zh and "两次" in zh and "JSON 指针" not in zh, zh


def test_a_framework_name_holding_a_control_character_is_refused_at_load(tmp_path):
    src = (ROOT / "templates" / "shanghai-2020.json").read_text(encoding="utf-8")
    assert '"数量"' in src
    (tmp_path / "shanghai-2020.json").write_text(src.replace('"数量"', '"数\\u0000量"'), encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        FrameworkSet.load(tmp_path)
    zh = str(exc.value)
    assert "shanghai-2020.json" in zh and "level2" in zh and "\\u0000" in zh and "\x00" not in zh, zh
