"""One test per business rule, each checking the cell it points at; the rule table drives everything."""

import csv

import pytest

from xlgoals import fill, validate_file
from xlgoals import ConfigError, RuleTable
from xlgoals._check._rules import CHECKS
from xlgoals._resources import data_dir

from .conftest import EXAMPLE_XLSX
from .helpers import F, bureau_rules, edited, ind_cell, info_cell
from .helpers import packaged_rule as packaged_rule_row


def _problems(doc, tmp_path, code):
    path = fill(doc, tmp_path / "r.xlsx", force=True)  # made again in a test
    report = validate_file(path)
    return [p for p in report.problems if p.code == code], report


def _only(doc, tmp_path, code):
    found, report = _problems(doc, tmp_path, code)
    assert len(found) == 1, [(p.code, p.cell) for p in report.problems]
    return found[0]


def test_required_field(doc, tmp_path):
    doc["project"]["category"] = None
    doc["project"]["overview"] = None
    found, _ = _problems(doc, tmp_path, "rule.required_field")
    assert {(p.sheet, p.cell) for p in found} == {info_cell("/project/category"), info_cell("/project/overview")}
    assert found[0].severity == "error" and "未填写" in found[0].message


def test_current_le_total(doc, tmp_path):
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    p = _only(doc, tmp_path, "rule.current_le_total")
    assert (p.sheet, p.cell) == info_cell("/budget/current_year")
    assert p.value == doc["budget"]["current_year"]  # the number found; the message writes amounts as money
    assert p.message == "项目当年预算（146,407,274.00 元）不能大于项目总预算（146,407,273.00 元）", p.message
    assert p.message_en == "This year's budget (146,407,274.00 yuan) must not exceed the total budget " \
                           "(146,407,273.00 yuan)", p.message_en
    assert (p.expected, p.expected_en) == ("≤ 146,407,273.00 元", "≤ 146,407,273.00 yuan")


def test_executed_le_prior(doc, tmp_path):
    doc["budget"]["prior_year_budget"] = 100
    doc["budget"]["prior_year_executed"] = 100.5
    p = _only(doc, tmp_path, "rule.executed_le_prior")
    assert (p.sheet, p.cell) == info_cell("/budget/prior_year_executed")
    assert "（100.50 元）不能大于上年预算额（100.00 元）" in p.message, p.message


def test_a_compare_rule_on_dates_writes_them_as_they_are(doc, tmp_path):
    doc["project"]["start_date"], doc["project"]["end_date"] = "2020-12-31", "2020-01-01"
    p = _only(doc, tmp_path, "rule.date_order")
    assert "（2020-12-31）不能晚于计划完成日期（2020-01-01）" in p.message and "元" not in p.message, p.message


def test_date_order_and_year(doc, tmp_path):
    doc["project"]["start_date"] = "2020-12-31"
    doc["project"]["end_date"] = "2020-01-01"
    p = _only(doc, tmp_path, "rule.date_order")
    assert (p.sheet, p.cell) == info_cell("/project/start_date")
    doc["project"]["start_date"], doc["project"]["end_date"] = "2019-03-01", "2020-06-30"
    p = _only(doc, tmp_path, "rule.date_in_year")
    assert (p.sheet, p.cell) == info_cell("/project/start_date") and p.expected == "2020"


def test_required_level1(doc, tmp_path):
    doc["indicators"] = [i for i in doc["indicators"] if i["level1"] != "影响力目标"]
    p = _only(doc, tmp_path, "rule.level1_required")
    assert p.expected == "影响力目标" and p.sheet == F.table.name and p.cell == f"B{F.table.header_row + 1}"


def test_level1_unknown_and_level2_mismatch(doc, tmp_path):
    doc["indicators"][12]["level1"] = "产出指标"
    doc["indicators"][15]["level2"] = "满意度"  # belongs to 效果目标, not 产出目标
    p = _only(doc, tmp_path, "rule.level1_unknown")
    assert (p.sheet, p.cell) == ind_cell(12, "level1")
    p = _only(doc, tmp_path, "rule.level2_mismatch")
    assert (p.sheet, p.cell) == ind_cell(15, "level2") and "产出目标" in p.message


def test_value_kind(tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "v.xlsx", {ind_cell(10, "comparator"): "＝",
                                                         ind_cell(10, "target"): "良好"})
    report = validate_file(path)
    codes = [(p.code, p.cell) for p in report.problems]
    assert codes == [("rule.value_kind", ind_cell(10, "target")[1])]  # no second, vaguer schema message


def test_percent_range(doc, tmp_path):
    """Outside 0–100 % is worth a look, not a failure: a growth, a decline (≥ -5 %) or an over-fulfilment
    (≥ 120 %) may be; such a goal table could never pass."""
    doc["indicators"][9] = {**doc["indicators"][9], "comparator": ">=", "value": 120, "unit": "%"}
    p = _only(doc, tmp_path, "rule.percent_range")
    assert (p.sheet, p.cell) == ind_cell(9, "target") and p.severity == "warning"
    doc["indicators"][9] = {**doc["indicators"][9], "comparator": ">=", "value": -5, "unit": "%"}
    p = _only(doc, tmp_path, "rule.percent_range")
    assert p.severity == "warning" and "请核对" in p.message


@pytest.mark.parametrize("category", ["跨年度项目支出", "基本建设项目"])
def test_a_cross_year_projects_dates_must_take_in_the_year(doc, tmp_path, category):
    """A 跨年度项目支出 (one of the framework's own categories) runs over several years: its dates failed as
    "not within the budget year", and --prefill refused such rows.  Its dates must take in the year instead."""
    doc["project"]["category"] = category
    doc["project"]["start_date"], doc["project"]["end_date"] = "2019-03-01", "2021-06-30"
    assert not _problems(doc, tmp_path, "rule.date_in_year")[0]
    doc["project"]["start_date"], doc["project"]["end_date"] = "2021-01-01", "2022-06-30"  # begins after the year
    p = _only(doc, tmp_path, "rule.date_in_year")
    assert (p.sheet, p.cell) == info_cell("/project/start_date") and "跨年度" in p.message
    doc["project"]["start_date"], doc["project"]["end_date"] = "2018-01-01", "2019-06-30"  # ended before it
    p = _only(doc, tmp_path, "rule.date_in_year")
    assert (p.sheet, p.cell) == info_cell("/project/end_date")


def test_duplicate_name_warning(doc, tmp_path):
    doc["indicators"][20]["name"] = doc["indicators"][10]["name"]
    p = _only(doc, tmp_path, "rule.duplicate_name")
    assert p.severity == "warning" and (p.sheet, p.cell) == ind_cell(20, "name") and "第11条" in p.message


@pytest.mark.parametrize("text", ["*", "/", "无", "-"])
def test_placeholder_text_warning(doc, tmp_path, text):
    doc["indicators"][11] = {k: v for k, v in doc["indicators"][11].items() if k not in ("value", "unit")}
    doc["indicators"][11].update(comparator="qualitative", text=text)
    p = _only(doc, tmp_path, "rule.placeholder")
    assert p.severity == "warning" and (p.sheet, p.cell) == ind_cell(11, "target")


def test_placeholder_bare_zero(example_docs, tmp_path):
    p = _only(example_docs[2], tmp_path, "rule.placeholder")  # the seed's 服务社会化 row
    assert (p.sheet, p.cell) == ind_cell(21, "target")


def test_lists_are_warnings(doc, tmp_path):
    doc["project"]["category"] = "自创类别"
    p = _only(doc, tmp_path, "rule.category_list")
    assert p.severity == "warning" and (p.sheet, p.cell) == info_cell("/project/category")
    doc["project"]["performance_type"] = "别的类"
    p = _only(doc, tmp_path, "rule.performance_type_list")
    assert (p.sheet, p.cell) == info_cell("/project/performance_type")


def test_no_indicators(doc, tmp_path):
    doc["indicators"] = []
    p = _only(doc, tmp_path, "rule.no_indicators")
    assert p.sheet == F.table.name


def test_schema_error_located(tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "s.xlsx", {ind_cell(10, "name"): None})
    problems = validate_file(path).problems
    assert [(p.code, p.sheet, p.cell) for p in problems] == [("schema.required",) + ind_cell(10, "name")]
    assert "三级目标" in problems[0].message  # as shanghai-2020's sheet heads the column


@pytest.mark.parametrize("framework, level1, level2", [("shanghai-2020", "一级目标", "二级目标"),
                                                       ("national-2021", "一级指标", "二级指标")])
def test_messages_name_the_columns_as_the_frameworks_sheet_heads_them(tmp_path, framework, level1, level2):
    """shanghai-2020's sheet heads its columns 一级目标, 二级目标, 三级目标: the messages said 一级指标 and 二级指标,
    words the department found nowhere on its form."""
    import openpyxl

    from xlgoals._write._workbook import build_workbook

    from .conftest import EXAMPLE_JSON, EXAMPLES, load

    doc = load(EXAMPLE_JSON[0] if framework == "shanghai-2020" else EXAMPLES / "national-2021" / "目标表.json")
    assert doc["framework"] == framework
    i = next(k for k, it in enumerate(doc["indicators"]) if it["level1"] != doc["indicators"][0]["level1"])
    doc["indicators"][i]["level2"] = doc["indicators"][0]["level2"]  # a 二级 of another 一级
    doc["indicators"][i + 1]["name"] = ""
    path = tmp_path / "r.xlsx"
    path.write_bytes(build_workbook(doc["framework"], doc["year"], doc))
    report = validate_file(path)
    mismatch = next(p for p in report.problems if p.code == "rule.level2_mismatch")
    assert mismatch.field == f"第{i + 1}条指标的{level2}"
    assert mismatch.message.startswith(f"{level2}“{doc['indicators'][0]['level2']}”不属于{level1}“")
    assert mismatch.field_en == f"indicator {i + 1} level-2 category" and "Level-2 category" in mismatch.message_en
    wb = openpyxl.load_workbook(path)
    header = [c.value for c in wb[F.table.name][F.table.header_row + 1]]
    assert level1 in header and level2 in header  # the words the department sees on its form
    missing = next(p for p in report.problems if p.path == f"/indicators/{i + 1}/name")
    assert missing.field.endswith("三级目标" if framework == "shanghai-2020" else "三级指标"), missing.field


def test_every_rule_row_is_usable():
    table = RuleTable.default()
    assert len(table) >= 40
    with open(data_dir("schema") / "rules.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert row["severity"] in ("error", "warning", "notice")
        assert row["message_zh"] and row["message_en"] and row["title_zh"] and row["title_en"], row["code"]
    kinds = {rd.check for rd, _, _ in table.business}
    assert kinds <= set(CHECKS)


_NEW_RULE = ["bureau.prior_gt_total", "warning", "compare",
             '{"left": "/budget/prior_year_budget", "op": "<=", "right": "/budget/total"}',
             "上年预算额大于总预算", "Prior budget above total", "",
             "上年预算额（{found}）大于总预算（{other}）", "Prior budget {found} > total {other}"]


def _rules_file(tmp_path, *rows):
    return bureau_rules(tmp_path / "bureau-rules.csv", *rows)


def test_a_new_rule_is_a_table_row(tmp_path, doc):
    """Adding a rule of an existing kind needs no code: a bureau's table with one row, given with rules=."""
    rules = _rules_file(tmp_path, _NEW_RULE)
    doc["budget"]["prior_year_budget"] = doc["budget"]["total"] * 2
    path = fill(doc, tmp_path / "r.xlsx")
    found = [p for p in validate_file(path, rules=rules).problems if p.code == "bureau.prior_gt_total"]
    assert len(found) == 1
    p = found[0]
    assert p.severity == "warning" and (p.sheet, p.cell) == info_cell("/budget/prior_year_budget")
    assert p.message == "上年预算额（292,814,546.00 元）大于总预算（146,407,273.00 元）"  # amounts written as money
    assert not [p for p in validate_file(path).problems if p.code == "bureau.prior_gt_total"]  # packaged table


def test_a_bureau_changes_a_severity(tmp_path, doc):
    rules = _rules_file(tmp_path, ["rule.current_le_total", "warning", "compare",
                                   '{"left": "/budget/current_year", "op": "<=", "right": "/budget/total"}',
                                   "当年预算大于总预算", "This year's budget exceeds the total", "",
                                   "项目当年预算（{found}）大于项目总预算（{other}），请核实",
                                   "This year's budget ({found}) exceeds the total ({other})"])
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path, rules=rules).problems if p.code == "rule.current_le_total"]
    assert p.severity == "warning" and p.message.endswith("请核实")
    assert validate_file(path, rules=rules).passes() and not validate_file(path).passes()


@pytest.mark.parametrize("row, says", [
    (_NEW_RULE[:7], "应有 9 列，实际 7 列"),
    ([*_NEW_RULE[:7], "", _NEW_RULE[8]], "“message_zh”不能为空"),
    ([_NEW_RULE[0], "fatal", *_NEW_RULE[2:]], "严重程度应为 error 或 warning"),
    ([_NEW_RULE[0], "warning", "compare_dates", *_NEW_RULE[3:]], "检查类型“compare_dates”未知"),
    ([*_NEW_RULE[:3], '{"left": "/unit", "op": "<="', *_NEW_RULE[4:]], "参数不是有效的 JSON"),
    ([*_NEW_RULE[:3], '{"left": "/budget/total", "op": "<="}', *_NEW_RULE[4:]], "缺少参数“right”"),
    ([*_NEW_RULE[:3], '{"left": "a", "op": "<=", "right": "/unit"}', *_NEW_RULE[4:]], "“left”应为以 / 开头的 JSON 指针"),
    ([*_NEW_RULE[:3], '{"left": "/unit", "op": "~", "right": "/unit"}', *_NEW_RULE[4:]], "“op”应为"),
    ([*_NEW_RULE[:3], '{"left": "/unit", "op": "<=", "right": "/unit", "x": 1}', *_NEW_RULE[4:]], "没有参数 x"),
    # a mistyped field: the rule would never find it and never fire, unseen
    ([*_NEW_RULE[:3], '{"left": "/budget/current_year", "op": "<=", "right": "/budget/totl"}', *_NEW_RULE[4:]],
     "“right”中的 /budget/totl 不是任何表单的字段（最接近的是 /budget/total）"),
    ([*_NEW_RULE[:2], "required", '{"paths": ["/unit", "/project/nmae"]}', *_NEW_RULE[4:7],
      "必填项“{field}”未填写", "Required '{field}'"], "“paths”中的 /project/nmae 不是任何表单的字段"),
    ([*_NEW_RULE[:7], "上年预算额（{found}）大于{level1}", _NEW_RULE[8]], "不提供的占位符 {level1}"),
    ([*_NEW_RULE[:7], "上年预算额（{found）", _NEW_RULE[8]], "花括号不配对"),
])
def test_a_bad_rule_row_is_refused_with_its_file_and_line(tmp_path, row, says):
    rules = _rules_file(tmp_path, _NEW_RULE, row)
    with pytest.raises(ConfigError) as err:
        validate_file(EXAMPLE_XLSX[0], rules=rules)
    assert f"{rules} 第 3 行" in str(err.value) and says in str(err.value)


def _renamed(code: str, new: str, **changes) -> list[str]:
    return [new, *packaged_rule_row(code, **changes)[1:]]


@pytest.mark.parametrize("row, says", [
    # Python's format in a message: loaded, then every return it fired on failed as file.crashed (文件可能损坏)
    (packaged_rule_row("rule.current_le_total", message_zh="当年预算 {found:d} 大于 {other}"),
     "rule.current_le_total 的 message_zh 中的占位符 {found:d} 不能带格式"),
    (packaged_rule_row("rule.current_le_total", message_en="{found!x} > {other}"), "中的占位符 {found!x} 不能带格式"),
    (packaged_rule_row("rule.placeholder", message_zh="{found:>100000000000}像是占位符"),
     "中的占位符 {found:>100000000000} 不能带格式"),
    # a kind that runs nothing: a new rule of it never fires, a business rule given it is switched off unseen
    (_renamed("rule.placeholder", "bureau.never", check="reader", params="", message_zh="{detail}"),
     "bureau.never 的检查类型 reader 只用于程序给出的内置代码，新增的规则不会执行"),
    (packaged_rule_row("rule.current_le_total", check="reader", params="", message_zh="当年预算大于总预算",
                       message_en="This year's budget exceeds the total"),
     "rule.current_le_total 的检查类型应为 compare（与内置规则表相同），实际为“reader”"),
    (packaged_rule_row("cell.date", check="required", params='{"paths": ["/unit"]}', message_zh="{field}未填写"),
     "cell.date 的检查类型应为 reader（与内置规则表相同），实际为“required”"),
    # a built-in code mistyped: the packaged rule would stay and the bureau's be added beside it
    (_renamed("rule.placeholder", "rule. placeholder", severity="error"),
     "代码“rule. placeholder”与内置代码 rule.placeholder 只差空格、全角字符或大小写；要替换该规则请写作 rule.placeholder"),
    (_renamed("rule.placeholder", "rule．placeholder", severity="error"), "要替换该规则请写作 rule.placeholder"),
    (_renamed("rule.placeholder", "Rule.Placeholder", severity="error"), "要替换该规则请写作 rule.placeholder"),
])
def test_a_rule_row_that_could_not_work_as_meant_is_refused(tmp_path, row, says):
    from .conftest import cli

    rules = _rules_file(tmp_path, row)
    with pytest.raises(ConfigError) as err:
        validate_file(EXAMPLE_XLSX[0], rules=rules)
    assert f"{rules} 第 2 行" in str(err.value) and says in str(err.value), str(err.value)
    result = cli("validate", EXAMPLE_XLSX[0], "--rules", rules)
    assert result.exit_code == 2 and says in result.output and "Traceback" not in result.output, result.output


def test_a_bad_rule_table_exits_2_on_every_command(tmp_path):
    from .conftest import cli

    rules = _rules_file(tmp_path, _NEW_RULE[:7])
    for args in (["validate", EXAMPLE_XLSX[0]], ["read", EXAMPLE_XLSX[0]], ["frameworks"],
                 ["consolidate", EXAMPLE_XLSX[0], "-o", tmp_path / "s.xlsx"], ["template", "-o", tmp_path / "t.xlsx"]):
        result = cli(*args, "--rules", rules)
        assert result.exit_code == 2, (args, result.output)
        assert f"{rules} 第 2 行：应有 9 列，实际 7 列" in result.output
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "t.xlsx").exists()


def test_unreadable_date_is_reported_once(tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "d.xlsx", {info_cell("/project/start_date"): "明年春天"})
    problems = validate_file(path).problems
    assert [(p.code, p.cell) for p in problems] == [("cell.date", info_cell("/project/start_date")[1])]


def test_a_rule_table_saved_by_excel_with_empty_columns_after_it_loads(tmp_path, doc):
    """Excel saves the columns a sheet once used: a rule table edited there may end every line with ',,'."""
    rules = tmp_path / "本局规则.csv"
    header = "code,severity,check,params,title_zh,title_en,field_zh,message_zh,message_en,field_en"
    row = ('rule.current_le_total,warning,compare,"{""left"": ""/budget/current_year"", ""op"": ""<="", '
           '""right"": ""/budget/total""}",当年预算大于总预算,Budget,,当年预算（{found}）大于总预算（{other}）,'
           'Budget {found} > {other},')
    rules.write_bytes(f"{header},,\r\n{row},,\r\n,,,,,,,,,,,\r\n".encode("gbk"))
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path, rules=rules).problems if p.code == "rule.current_le_total"]
    assert p.severity == "warning"


@pytest.mark.parametrize("header, says", [
    ("code,severity,check,params,title_zh,field_zh,message_zh,message_en", "缺少列 title_en"),
    ("code,severity,check,params,title_zh,title_en,field_zh,message_zh,message_en,备注",
     "第 10 列“备注”不是规则表的列"),
    ("code,severity,check,params,title_en,title_zh,field_zh,message_zh,message_en", "第 5 列应为 title_zh，实际为 title_en"),
])
def test_a_rule_table_header_fault_names_the_column(tmp_path, header, says):
    rules = tmp_path / "本局规则.csv"
    rules.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        validate_file(EXAMPLE_XLSX[0], rules=rules)
    assert f"{rules} 第 1 行" in str(err.value) and says in str(err.value), str(err.value)


def test_a_bureau_message_that_says_yuan_after_an_amount_says_it_once(doc, tmp_path):
    """A bureau's --rules table written when a message's amounts came bare (项目当年预算 {found} 元, as the packaged
    review.cost_over_budget row read) now gets them as money, 元 included: it read 146,407,274.00 元 元."""
    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule_row(
        "rule.current_le_total", message_zh="项目当年预算 {found} 元，大于总预算 {other}元；上限 {expected}",
        message_en="This year's budget of {found} yuan exceeds the total of {other} yuan ({expected})"))
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    (p,) = [p for p in validate_file(fill(doc, tmp_path / "r.xlsx"), rules=rules).problems
            if p.code == "rule.current_le_total"]
    assert p.message == "项目当年预算 146,407,274.00 元，大于总预算 146,407,273.00 元；上限 ≤ 146,407,273.00 元", p.message
    assert p.message_en == "This year's budget of 146,407,274.00 yuan exceeds the total of 146,407,273.00 yuan " \
                           "(≤ 146,407,273.00 yuan)", p.message_en


@pytest.mark.parametrize("typed", ["2020-02-30", "2020年13月1日", "2020/4/31", "20200230"])
def test_a_date_that_does_not_exist_is_said_to_be_one(tmp_path, typed):
    """2020-02-30 typed in the very form the message asks for was told “无法识别为日期…请按 2020-01-01 的格式填写”:
    the department had used that form, and could not see what was wrong.  A date written right whose month or day
    does not exist is said to be so."""
    path = edited(EXAMPLE_XLSX[1], tmp_path / "d.xlsx", {info_cell("/project/start_date"): typed})
    problems = validate_file(path).problems
    assert [(p.code, p.cell) for p in problems] == [("cell.date_no_such_day", info_cell("/project/start_date")[1])]
    (p,) = problems
    assert p.severity == "error" and f"“{typed}”" in p.message and "不存在" in p.message
    assert "格式" not in p.message and "does not exist" in p.message_en


@pytest.mark.parametrize("comparator, target", [("约", "合理"), ("比较符", "指标目标值"), ("约", 85)])
def test_a_comparator_not_read_is_the_one_problem_of_its_row(tmp_path, comparator, target):
    """A comparator typed outside the dropdown (约) was reported, and then its target cell got two more errors that
    contradict each other: 必填项“…指标目标值”未填写 and “…指标目标值”不符合格式要求：不应填写 text (a JSON key) —
    the schema judging the target by a comparator nobody could read.  The comparator's error is the row's one."""
    path = edited(EXAMPLE_XLSX[1], tmp_path / "c.xlsx", {ind_cell(9, "comparator"): comparator,
                                                          ind_cell(9, "target"): target})
    problems = validate_file(path).problems
    assert [(p.code, p.cell) for p in problems] == [("cell.comparator", ind_cell(9, "comparator")[1])], \
        [(p.code, p.cell, p.message) for p in problems]
