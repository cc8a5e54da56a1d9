"""Red team y (session 28): what a newcomer meets following the README and --help word for word.

A blank template's year said when it was not given; `read` given a folder or a missing file and `fill` given a
missing file (exit 2, a usage error, as validate and consolidate); --month where it does not belong; `fill` given a
workbook or one of xlgoals's own JSON outputs; a greedy --targets; the public functions' docstrings."""

from __future__ import annotations

import inspect
import json
import shutil

import openpyxl

import xlgoals

from .conftest import EXAMPLES, ROOT, cli
from .helpers import ooxml_errors

README = (ROOT / "README.md").read_text(encoding="utf-8")


# 1. a blank template without --year ----------------------------------------------------------------------------
def test_a_blank_template_without_year_says_the_year_it_locked(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = cli("template", "-o", out)
    assert result.exit_code == 0, result.output
    ws = openpyxl.load_workbook(out)["项目信息"]
    assert ws["B2"].value == 2020 and ws["B2"].protection.locked  # the year stamped and locked: said
    assert "注意：未指定 --year，模板按 2020 年度生成并锁定；如不是 2020 年度，请加 --year 重新生成" in result.stderr
    assert ooxml_errors(out) == []
    result = cli("template", "-o", tmp_path / "t.xlsx", "--lang", "en")
    assert "Note: no --year given, so the template is for 2020, stamped and locked" in result.stderr
    result = cli("template", "-o", tmp_path / "y.xlsx", "--year", "2027")  # given: nothing to say
    assert result.exit_code == 0 and "--year" not in result.stderr
    assert openpyxl.load_workbook(tmp_path / "y.xlsx")["项目信息"]["B2"].value == 2027


# 2. read given a folder -------------------------------------------------------------------------------------------
def test_read_given_a_folder_says_read_takes_one_workbook_and_validate_takes_folders(tmp_path):
    inbox = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", inbox)
    result = cli("read", inbox)
    assert result.exit_code == 2
    assert "是文件夹" in result.stderr and "read 只读取一个工作簿" in result.stderr
    assert f"xlgoals validate {inbox}" in result.stderr
    assert "改为不以 .xlsx" not in result.stderr  # the advice for a folder named like a workbook is not this one's
    result = cli("read", inbox, "--lang", "en")
    assert result.exit_code == 2
    assert "read takes one workbook" in result.stderr and "xlgoals validate" in result.stderr
    assert not list(tmp_path.glob("*.json"))


# 3. a missing input: exit 2 for every command -------------------------------------------------------------------
def test_a_missing_input_is_exit_2_for_every_command(tmp_path):
    missing = tmp_path / "没有这个.xlsx"
    runs = {"validate": cli("validate", missing), "consolidate": cli("consolidate", missing, "-o", tmp_path / "s.xlsx"),
            "read": cli("read", missing), "fill": cli("fill", tmp_path / "没有这个.json", "-o", tmp_path / "o.xlsx")}
    for command, result in runs.items():
        assert result.exit_code == 2, (command, result.output)
        assert "找不到" in result.stderr and "请检查路径" in result.stderr, (command, result.stderr)
    assert not (tmp_path / "o.xlsx").exists() and not (tmp_path / "s.xlsx").exists()


def test_the_readme_and_help_give_a_missing_input_exit_2():
    table = README.split("### 退出码 (exit codes)", 1)[1].split("\n\n", 3)[2]
    rows = {row.split("|")[1].strip(" `"): row.split("|")[2:6] for row in table.splitlines()[2:]}
    assert "missing" not in rows["fill"][1]  # 1: the document cannot be used; missing is 2
    for command in ("fill", "read"):
        assert "an input path that does not exist" in rows[command][2], command
        assert "输入路径不存在" in cli(command, "--help").output, command
        assert "an input path that does not exist" in cli(command, "--help", "--lang", "en").output, command


# 4. --month where it does not belong ----------------------------------------------------------------------------
def test_month_with_another_form_says_it_goes_with_monitoring_only(tmp_path):
    shutil.copytree(EXAMPLES / "returns", tmp_path / "批复目标表")
    for args in (["--form", "self-evaluation", "--targets", tmp_path / "批复目标表", "--out-dir", tmp_path / "自评"],
                 ["-o", tmp_path / "模板.xlsx"]):
        result = cli("template", "--month", "6", *args)
        assert result.exit_code == 2
        assert result.stderr == "错误：--month 只用于 --form monitoring（绩效运行监控表的报告月份）\n"
        result = cli("template", "--month", "6", *args, "--lang", "en")
        assert result.stderr == "Error: --month goes only with --form monitoring (the monitoring report's month)\n"
    assert not (tmp_path / "自评").exists() and not (tmp_path / "模板.xlsx").exists()
    result = cli("template", "--form", "monitoring", "--targets", tmp_path / "批复目标表", "--out-dir", tmp_path / "m")
    assert result.exit_code == 2 and "--month" in result.stderr  # monitoring without it: still asked for


# 5. fill given a workbook, or one of xlgoals's own JSON outputs ----------------------------------------------------
def test_fill_given_a_workbook_says_it_is_one_and_to_use_read(tmp_path):
    for name in ("申报.xlsx", "申报.xls", "申报.json"):  # a workbook saved under a JSON name too: what it holds
        shutil.copy(EXAMPLES / "received" / "某局_某项目.xlsx", tmp_path / name)
        result = cli("fill", tmp_path / name, "-o", tmp_path / "新.xlsx")
        assert result.exit_code == 1
        assert "这是工作簿" in result.stderr and "xlgoals read" in result.stderr, result.stderr
        assert "UTF-8" not in result.stderr
        result = cli("fill", tmp_path / name, "-o", tmp_path / "新.xlsx", "--lang", "en")
        assert "this is a workbook" in result.stderr and "xlgoals read" in result.stderr
    assert not (tmp_path / "新.xlsx").exists()


def test_fill_given_a_report_summary_or_traced_read_says_what_it_is_in_one_line(tmp_path):
    shutil.copytree(EXAMPLES / "received", tmp_path / "收到")
    cli("validate", tmp_path / "收到", "--format", "json", "-o", tmp_path / "校验结果.json")
    cli("consolidate", tmp_path / "收到", "-o", tmp_path / "汇总.xlsx", "--json", tmp_path / "汇总.json")
    (tmp_path / "t.json").write_text(cli("read", EXAMPLES / "returns" / "02_促进就业专项资金.xlsx", "--trace").stdout,
                                     encoding="utf-8")
    for name, said in (("校验结果.json", "xlgoals validate 的 JSON 报告"), ("汇总.json", "xlgoals consolidate 的 JSON 汇总"),
                       ("t.json", "xlgoals read --trace 的输出")):
        result = cli("fill", tmp_path / name, "-o", tmp_path / "新.xlsx")
        assert result.exit_code == 1, result.output
        assert len(result.stderr.splitlines()) == 1 and said in result.stderr, result.stderr
        assert "不符合格式要求" not in result.stderr
        result = cli("fill", tmp_path / name, "-o", tmp_path / "新.xlsx", "--lang", "en")
        assert len(result.stderr.splitlines()) == 1 and "xlgoals" in result.stderr, result.stderr
    assert not (tmp_path / "新.xlsx").exists()
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))["document"]  # what it says to take: fills
    (tmp_path / "d.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli("fill", tmp_path / "d.json", "-o", tmp_path / "d.xlsx").exit_code == 0


def test_schema_errors_name_the_documents_parts_by_their_titles(tmp_path):
    (tmp_path / "空.json").write_text("{}", encoding="utf-8")
    result = cli("fill", tmp_path / "空.json", "-o", tmp_path / "新.xlsx")
    assert result.exit_code == 1
    for pointer, title in (("/framework", "指标体系"), ("/project", "项目信息"), ("/budget", "预算资金"),
                           ("/indicators", "绩效指标")):
        assert f"  {pointer}：必填项“{title}”未填写" in result.stderr.splitlines(), result.stderr
    assert "“/" not in result.stderr
    en = cli("fill", tmp_path / "空.json", "-o", tmp_path / "新.xlsx", "--lang", "en").stderr
    assert "'/" not in en and "“/" not in en, en
    for form in ("self-evaluation", "monitoring"):
        (tmp_path / "f.json").write_text(json.dumps({"form": form}), encoding="utf-8")
        said = cli("fill", tmp_path / "f.json", "-o", tmp_path / "新.xlsx").stderr
        assert "“/" not in said, said


# 6. a greedy --targets; click's full stops --------------------------------------------------------------------------
def test_targets_that_took_the_paths_to_check_is_said(tmp_path):
    shutil.copytree(EXAMPLES / "returns", tmp_path / "批复目标表")
    result = cli("validate", "--targets", tmp_path / "批复目标表", tmp_path / "自评收到")
    assert result.exit_code == 2
    last = result.stderr.splitlines()[-1]
    assert last.startswith("错误：缺少参数 '路径...'。") and "--targets" in last and "自评收到" in last, last
    assert "放在" in last and not last.endswith(".")
    result = cli("validate", "--targets", tmp_path / "批复目标表", tmp_path / "自评收到", "--lang", "en")
    assert "--targets took" in result.stderr.splitlines()[-1], result.stderr
    result = cli("consolidate", tmp_path / "批复目标表")  # click's own message: a Chinese full stop
    assert result.stderr.splitlines()[-1] == "错误：缺少选项 '-o' / '--out'。"
    assert cli("validate").stderr.splitlines()[-1] == "错误：缺少参数 '路径...'。"


# 8. the public functions say what they do ---------------------------------------------------------------------------
def test_every_public_function_has_a_docstring_and_the_framework_ones_are_in_the_readme():
    bare = [n for n in xlgoals.__all__ if inspect.isfunction(getattr(xlgoals, n))
            and not inspect.getdoc(getattr(xlgoals, n))]
    assert bare == []
    for name in ("framework_ids", "get_form", "list_frameworks", "load_framework"):
        assert f"xlgoals.{name}(" in README, name
    assert xlgoals.framework_ids() == [fw.id for fw in xlgoals.list_frameworks()]
    assert xlgoals.load_framework("national-2021").id == "national-2021"
    assert xlgoals.get_form("monitoring").id == "monitoring"


# also from the report: the command list, a text report named for Excel, xlgoals alone -------------------------------
def test_the_command_list_gives_templates_line_whole():
    for args in ([], ["--lang", "en"]):
        text = cli("--help", *args).stdout
        block = text.split("\n  template", 1)[1].split("\n  validate", 1)[0]
        assert "..." not in block and "…" not in block, block
    assert "自评表、监控表" in cli("--help").stdout


def test_a_text_report_named_for_excel_is_told_to_use_csv(tmp_path):
    result = cli("validate", EXAMPLES / "received", "-o", tmp_path / "r.xlsx")
    assert result.exit_code == 2 and ".csv" in result.stderr, result.stderr
    assert ".csv" in cli("validate", EXAMPLES / "received", "-o", tmp_path / "r.xlsx", "--lang", "en").stderr
    assert not (tmp_path / "r.xlsx").exists()
    result = cli("validate", EXAMPLES / "received", "-o", tmp_path / "r.csv")  # as it says: a CSV Excel opens
    assert result.exit_code == 1 and (tmp_path / "r.csv").read_text(encoding="utf-8-sig").startswith("file,valid,code,")


def test_xlgoals_alone_is_the_usage_error_the_readme_says():
    result = cli()
    assert result.exit_code == 2 and "命令:" in result.output
    assert "`xlgoals` alone, no command, prints the help on standard error\nwith exit 2" in README
