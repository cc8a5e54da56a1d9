"""The report's language: with --lang en everything the user reads is English except data quoted from the workbook;
the Chinese output is Chinese (no English from the libraries underneath)."""

import csv
import io
import json
import shutil

import openpyxl
import pytest

from xlgoals import load_framework

from .conftest import EXAMPLE_JSON, EXAMPLES, EXAMPLE_XLSX, cli, load, run_cli
from .helpers import F, cjk_outside_data, is_chinese

RECEIVED = EXAMPLES / "received"
ALL_FAULTS = EXAMPLES / "review" / "全部问题.xlsx"
SHEETS = (F.info.name, F.table.name)


def _framework_words():
    """Category names as the framework spells them (what the cells must hold): data, not text of ours."""
    fw = load_framework(json.loads(EXAMPLE_JSON[0].read_text(encoding="utf-8"))["framework"])
    return [c["name"] for c in fw.level1] + [n for c in fw.level1 for n in c["level2"]]


def _rows(output: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))


def _inserted_column(tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[4])
    wb[F.table.name].insert_cols(5)
    wb.save(tmp_path / "insert_col.xlsx")
    return tmp_path / "insert_col.xlsx"


def test_english_text_report_has_no_chinese_of_its_own(tmp_path):
    bad = _inserted_column(tmp_path)
    out = cli("validate", RECEIVED, bad, "--lang", "en")
    assert out.exit_code == 1
    text = out.stdout
    # an empty cell, the separators and the plurals are English
    assert "but reads '(empty)'" in text and "（空）" not in text
    assert "expected one of: 数量, 质量, 时效, 成本" in text
    assert f"{F.table.name}!C16: Level-2" in text and "：" not in text and "、" not in text
    assert "Checked 3 files: 1 passed, 2 failed; 3 errors, 1 warning." in text
    assert ": 1 in 1 file (" in text and "(0 errors, 1 warning)" in text
    assert cjk_outside_data(text, data=[*SHEETS, *_framework_words()], paths=[*RECEIVED.glob("*.xlsx"), bad]) == []
    zh = cli("validate", RECEIVED, bad).stdout
    assert "实际为“（空）”" in zh and "应为 数量、质量、时效、成本" not in zh and is_chinese(zh)
    assert "共检查 3 个文件" in zh and f"{F.table.name}!C16：" in zh


def test_field_value_and_expected_in_the_reports_language(tmp_path):
    (tmp_path / "n.txt").write_text("x\n", encoding="utf-8")
    args = ("validate", RECEIVED, _inserted_column(tmp_path), tmp_path / "n.txt")
    en_csv = {r["code"]: r for r in _rows(cli(*args, "--lang", "en", "--format", "csv").stdout)}
    en_json = {p["code"]: p for f in json.loads(cli(*args, "--lang", "en", "--format", "json").stdout)["files"]
               for p in f["problems"]}
    zh_csv = {r["code"]: r for r in _rows(cli(*args, "--format", "csv").stdout)}
    for en in (en_csv, en_json):
        assert en["rule.level2_mismatch"]["field"] == "indicator 13 level-2 category"
        assert en["rule.level2_mismatch"]["expected"] == "数量, 质量, 时效, 成本"
        assert (en["file.not_workbook"]["field"], en["file.not_workbook"]["value"]) == ("file", "a text file")
        assert (en["template.altered"]["field"], en["template.altered"]["value"]) == ("form structure", "(empty)")
        assert en["cell.amount_wan"]["field"] == "Total budget (yuan)"
        for p in en.values():
            said = "\n".join(str(p[k]) for k in ("field", "message", "expected"))
            labels = [p["expected"]] if p["code"] == "template.altered" else []  # a label as the form has it
            assert cjk_outside_data(said, data=[*SHEETS, *_framework_words(), p["value"], *labels]) == [], p
            if p["code"] != "cell.amount_wan":  # '6280万元' is the cell's text
                assert cjk_outside_data(str(p["value"]), data=[*_framework_words(), "比较符"]) == [], p
    assert zh_csv["rule.level2_mismatch"]["field"] == "第13条指标的二级目标"  # as shanghai-2020's sheet heads it
    assert zh_csv["rule.level2_mismatch"]["expected"] == "数量、质量、时效、成本"
    assert (zh_csv["file.not_workbook"]["field"], zh_csv["file.not_workbook"]["value"]) == ("文件", "文本文件")
    assert zh_csv["template.altered"]["value"] == "（空）"


def test_annotate_line_in_english(tmp_path):
    en = cli("validate", RECEIVED, "--lang", "en", "--annotate", tmp_path / "en", "-o", tmp_path / "en.txt")
    assert en.stderr.startswith("Annotated copy written: ") and cjk_outside_data(
        en.stderr, paths=[tmp_path / "en" / "某局_某项目_问题标注.xlsx", RECEIVED / "某局_某项目.xlsx"]) == []
    zh = cli("validate", RECEIVED, "--annotate", tmp_path / "zh", "-o", tmp_path / "zh.txt")
    assert zh.stderr.startswith("已生成标注副本：")


def test_usage_errors_speak_the_language_asked_for():
    en = run_cli("validate", "--lang", "en")
    assert en.returncode == 2 and "Error: Missing argument 'PATHS...'." in en.stderr
    assert "Usage: " in en.stderr and "validate [OPTIONS] PATHS..." in en.stderr and cjk_outside_data(en.stderr) == []
    en = cli("validate", "--lang=en", "--no-such-option")
    assert "Error: No such option '--no-such-option'." in en.output and cjk_outside_data(en.output) == []
    zh = cli("validate")  # the same process, Chinese again
    assert "错误：缺少参数 '路径...'" in zh.output and "validate [选项] 路径..." in zh.output


def test_unusable_targets_reason_in_english(tmp_path):
    folder = tmp_path / "批复"
    folder.mkdir()
    (folder / "坏.xlsx").write_text("hello", encoding="utf-8")
    shutil.copy(EXAMPLE_XLSX[1], folder / "02.xlsx")
    se = EXAMPLES / "received-self-evaluation" / "02_促进就业专项资金_有误.xlsx"
    en = cli("validate", se, "--targets", folder, "--lang", "en")
    line = next(x for x in en.stdout.splitlines() if "坏.xlsx" in x and "cannot be used" in x)
    assert "(it is no workbook (it looks like: a text file))" in line  # said to the bureau: no "submit the .xlsx"
    assert cjk_outside_data(line, paths=[folder / "坏.xlsx"]) == [], line
    listed = json.loads(cli("validate", se, "--targets", folder, "--lang", "en", "--format", "json").stdout)
    (p,) = listed["target_problems"]
    assert cjk_outside_data(p["message"] + p["field"], paths=[folder / "坏.xlsx"]) == [], p
    zh = cli("validate", se, "--targets", folder).stdout
    assert "绩效目标表无法使用（不是工作簿（识别为：文本文件））" in zh


def test_review_in_english_names_the_other_indicator_in_english():
    en = cli("validate", ALL_FAULTS, "--review", "--lang", "en").stdout
    assert "is nearly the same as indicator 10 '享受见习补贴人数';" in en
    assert "under '产出目标', '效果目标' are quantified" in en
    assert "(0 errors, 0 warnings, 16 notices, review score" in en  # F12, the framework's prefilled row, not reviewed; F18 按照要求完成 is one (mendDE)
    data = [*SHEETS, *_framework_words(), "效果目标/满意度"]
    assert cjk_outside_data(en, data=data, paths=[ALL_FAULTS]) == []
    rows = _rows(cli("validate", ALL_FAULTS, "--review", "--lang", "en", "--format", "csv").stdout)
    for r in rows:
        assert cjk_outside_data(r["field"] + "\n" + r["message"], data=data) == [], r
    zh = cli("validate", ALL_FAULTS, "--review").stdout
    assert "与第10条指标“享受见习补贴人数”几乎相同" in zh and is_chinese(zh)


def test_chinese_messages_for_broken_json_documents(tmp_path):
    doc = load(EXAMPLE_JSON[4])
    doc["command"] = "x"
    doc["project"]["start_date"] = "2020-01-01T00:00:00"
    (tmp_path / "extra.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = cli("fill", tmp_path / "extra.json", "-o", tmp_path / "x.xlsx")
    assert out.exit_code == 1
    assert "表单中没有“command”这一项" in out.output and "unexpected" not in out.output
    assert out.output.count("2020-01-01T00:00:00") == 1  # one message, not one per failing check
    for text, says in (('{"a": ', "第 1 行第 7 列：此处缺少值"), ('{"a": "abc', "第 1 行第 7 列：引号未闭合"),
                       ('{"a": 1} x', "JSON 结束后还有多余的内容")):
        (tmp_path / "bad.json").write_text(text, encoding="utf-8")
        out = cli("fill", tmp_path / "bad.json", "-o", tmp_path / "x.xlsx")
        assert out.exit_code == 1 and says in out.output and is_chinese(out.output), out.output
        assert "Expecting" not in out.output and "Unterminated" not in out.output
    out = run_cli("template", "-o", tmp_path / "没有" / "这个" / "目录" / "x.xlsx")
    if out.returncode:  # an output folder that cannot be made (as root it is made)
        assert "No such file" not in out.stderr and is_chinese(out.stderr), out.stderr
    (tmp_path / "不是文件夹.txt").write_text("x", encoding="utf-8")
    out = run_cli("template", "-o", tmp_path / "不是文件夹.txt" / "x.xlsx")  # refused before anything is written
    assert out.returncode == 2 and is_chinese(out.stderr) and "是文件，不是文件夹" in out.stderr, out.stderr
    assert "Not a directory" not in out.stderr and "File exists" not in out.stderr


def test_parameters_and_form_named_by_their_labels(tmp_path):
    doc = load(EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json")
    doc["month"] = 13
    (tmp_path / "m.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = cli("fill", tmp_path / "m.json", "-o", tmp_path / "m.xlsx")
    assert "“报告月份”的值“13”超出范围" in out.output and "“/month”" not in out.output
    del doc["month"]
    (tmp_path / "m.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert "必填项“报告月份”未填写" in cli("fill", tmp_path / "m.json", "-o", tmp_path / "m.xlsx").output
    from xlgoals._form import FORMS

    assert FORMS["monitoring"].title_of("/month", "en") == "Reporting month"
    assert FORMS["self-evaluation"].title_of("/form") == "表单"


def test_rule_table_without_field_en_still_loads(tmp_path):
    """A bureau's table written before field_en keeps working; its English field titles come from the packaged
    row where the Chinese is the same."""
    from xlgoals._check._ruletable import COLUMNS, RuleTable

    from .helpers import bureau_rules, packaged_rule

    path = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("file.not_workbook", severity="warning")[:len(COLUMNS)])
    table = RuleTable.load(path)
    assert table["file.not_workbook"].severity == "warning" and table["file.not_workbook"].field_en == "file"
    p = table.problem("file.not_workbook", value="文本文件", value_en="a text file")
    assert p.to_dict("en")["field"] == "file" and p.to_dict()["field"] == "文件"


def test_damaged_files_and_last_years_unusable_files_explained_in_english(tmp_path):
    (tmp_path / "断.xlsx").write_bytes(b"PK\x03\x04" + b"garbage" * 10)
    last = tmp_path / "上年"
    last.mkdir()
    (last / "说明.txt").write_text("上年说明", encoding="utf-8")
    (last / "坏.xlsx").write_text("x", encoding="utf-8")
    en = cli("validate", tmp_path / "断.xlsx", EXAMPLE_XLSX[0], "--review", "--previous", last, "--lang", "en")
    text = en.stdout
    assert "cannot be opened (no zip directory found; the file may be incomplete)" in text
    assert "cannot be used (Not an Excel workbook (looks like: a text file)" in text
    paths = [tmp_path / "断.xlsx", EXAMPLE_XLSX[0], last / "说明.txt", last / "坏.xlsx"]
    assert cjk_outside_data(text, data=SHEETS, paths=paths) == []
    zh = cli("validate", tmp_path / "断.xlsx", EXAMPLE_XLSX[0], "--review", "--previous", last).stdout
    assert "找不到 zip 目录，文件可能不完整" in zh and "无法使用（不是 Excel 工作簿" in zh and is_chinese(zh)


def test_missing_bureau_paths_are_told_in_english_under_lang_en():
    for args, says in ((["--previous", "/nonexistent/去年"], "last year's return or folder not found"),
                       (["--frameworks", "/nonexistent/体系"], "framework folder not found")):
        en = cli("validate", EXAMPLE_XLSX[0], "--lang", "en", *args)
        assert en.exit_code == 2 and en.output.startswith("Error: ") and says in en.output, en.output
        zh = cli("validate", EXAMPLE_XLSX[0], *args)
        assert zh.exit_code == 2 and zh.output.startswith("错误：找不到"), zh.output


@pytest.mark.parametrize("where", ["before", "after", "before="])
def test_validate_reports_in_the_language_of_the_whole_command_line(tmp_path, where):
    """`xlgoals --lang en validate …` (the README: --lang may stand anywhere, before the command too, the last one
    counting) gave a Chinese report: validate read its own --lang, zh unless given after the command, while its
    errors followed the whole line.  The report, JSON, CSV and the annotated copy's line follow the whole line."""
    args = {"before": ["--lang", "en", "validate", RECEIVED],
            "after": ["validate", RECEIVED, "--lang", "en"],
            "before=": ["--lang=en", "validate", RECEIVED]}[where]
    text = cli(*args, "--annotate", tmp_path / where)
    assert text.exit_code == 1 and text.stdout.startswith("Checked 2 files: 1 passed, 1 failed"), text.output
    assert "Annotated copy written: " in text.stderr, text.output
    report = json.loads(cli(*args, "--format", "json").stdout)
    assert report["files"][0]["problems"][0]["message"].startswith("'Total budget (yuan)'")
    first = _rows(cli(*args, "--format", "csv").stdout)[0]
    assert first["message"].startswith("'Total budget (yuan)'"), first
    chinese = cli("--lang", "en", "validate", RECEIVED, "--lang", "zh")
    assert chinese.stdout.startswith("共检查 2 个文件"), chinese.output
