"""Every file a bureau supplies (--rules, the scoring table, --library, --prefill; --weights, --review-config and
framework JSON) is read by one decoder: UTF-8 with
or without a BOM, or GBK (GB18030), as Excel and WPS on Chinese Windows save it; anything else is one clear line
naming the file."""

import csv
import json

import pytest

from xlgoals import ConfigError, XlgoalsError, fill, prefill_templates, validate, validate_file
from xlgoals._check._ruletable import COLUMNS
from xlgoals._resources import data_dir
from xlgoals._review._library import Library
from xlgoals._selfeval._scoring import ScoringTable

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli

# rule.current_le_total made a warning with the bureau's own message: both visible on a return that breaks it
_RULE = ["rule.current_le_total", "warning", "compare",
         '{"left": "/budget/current_year", "op": "<=", "right": "/budget/total"}',
         "当年预算大于总预算", "This year's budget exceeds the total", "",
         "项目当年预算（{found}）大于项目总预算（{other}），请本局核实", "This year's budget ({found}) exceeds the total ({other})"]
# neither UTF-8 nor GB18030 (0xFF starts no character of either), nor UTF-16 (no BOM): Latin-1 text with ÿ
_UNDECODABLE = "code,severity\nÿ,二\n".encode("utf-16-le").replace(b"\x00", b"")


def _write_csv(path, rows, encoding):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def _over_budget_return(doc, tmp_path):
    doc["budget"]["current_year"] = doc["budget"]["total"] + 1
    return fill(doc, tmp_path / "r.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_rule_table_saved_as_gbk_or_utf8_changes_a_rule_alike(tmp_path, doc, encoding):
    rules = _write_csv(tmp_path / f"本局规则-{encoding}.csv", [COLUMNS, _RULE], encoding)
    path = _over_budget_return(doc, tmp_path)
    (p,) = [p for p in validate_file(path, rules=rules).problems if p.code == "rule.current_le_total"]
    assert p.severity == "warning" and p.message.endswith("请本局核实")
    assert not validate_file(path).passes()  # the packaged table: an error
    result = cli("validate", path, "--rules", rules, "--format", "json")
    assert result.exit_code == 0, result.output  # a warning now: the return passes
    (found,) = [q for q in json.loads(result.output)["files"][0]["problems"] if q["code"] == "rule.current_le_total"]
    assert found["severity"] == "warning" and found["message"].endswith("请本局核实")


def test_a_scoring_table_saved_as_gbk_reads_as_the_packaged_one(tmp_path):
    packaged = (data_dir("schema") / "scoring.csv").read_text(encoding="utf-8")
    text = packaged.replace("−", "-").replace("得满分", "得满分（本局）")  # U+2212 is not in GBK
    (tmp_path / "scoring.csv").write_text(text, encoding="gbk")
    table, base = ScoringTable.load(tmp_path / "scoring.csv"), ScoringTable.load()
    assert [(r.case, r.applies_to, r.band) for r in table.rules] == [(r.case, r.applies_to, r.band) for r in base.rules]
    assert any(r.formula_zh.endswith("得满分（本局）") for r in table.rules)


def test_a_library_and_a_prefill_list_saved_as_gbk_are_read(tmp_path):
    lib = tmp_path / "指标库.csv"
    lib.write_text((EXAMPLES / "library.csv").read_text(encoding="utf-8-sig"), encoding="gbk")
    assert Library.load(lib).entries == Library.load(EXAMPLES / "library.csv").entries
    projects = tmp_path / "projects.csv"
    projects.write_text((EXAMPLES / "projects.csv").read_text(encoding="utf-8"), encoding="gbk")
    assert len(prefill_templates(projects, tmp_path / "下发").written) == 5


@pytest.mark.parametrize("what, load", [
    ("规则表", lambda p: validate_file(EXAMPLE_XLSX[0], rules=p)),
    ("计分规则表", ScoringTable.load),
    ("指标库", lambda p: validate(EXAMPLE_XLSX[0], review=True, library=p)),
    ("项目清单", lambda p: prefill_templates(p, p.parent / "下发")),
])
def test_an_undecodable_csv_is_one_clear_error_naming_the_file_whatever_it_is(tmp_path, what, load):
    bad = tmp_path / "本局.csv"
    bad.write_bytes(_UNDECODABLE)
    with pytest.raises(XlgoalsError) as err:
        load(bad)
    message = str(err.value)
    assert message.startswith(f"{bad}：无法识别{what}的文件编码（应为 UTF-8 或 GBK）") and "\n" not in message
    assert isinstance(err.value, ConfigError) or what == "项目清单"  # a prefill list is input, not configuration


@pytest.mark.parametrize("args, code", [
    (["validate", EXAMPLE_XLSX[0], "--rules"], 2),
    (["frameworks", "--rules"], 2),
    (["validate", EXAMPLE_XLSX[0], "--review", "--library"], 2),
    (["template", "-o", "模板.xlsx", "--library"], 2),
    (["template", "--out-dir", "下发", "--prefill"], 1),
])
def test_the_cli_refuses_an_undecodable_csv_in_one_line(tmp_path, monkeypatch, args, code):
    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "本局.csv"
    bad.write_bytes(_UNDECODABLE)
    result = cli(*args, bad)
    assert result.exit_code == code, result.output
    assert result.output.startswith("错误：") and "无法识别" in result.output and str(bad) in result.output
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "模板.xlsx").exists() and not (tmp_path / "下发").exists()


def test_a_csv_that_is_not_csv_is_one_clear_error_with_its_line(tmp_path):
    """A field beyond the csv module's limit (an unclosed quote swallowing the file) used to escape from --prefill as
    a traceback; every reader now names the file and the line."""
    rows = [",".join(COLUMNS), '"' + "长" * 200_000]
    for name, args in (("规则表", ["frameworks", "--rules"]), ("项目清单", ["template", "--out-dir", tmp_path / "o",
                                                                          "--prefill"])):
        bad = tmp_path / f"{name}.csv"
        bad.write_text("\n".join(rows) + "\n", encoding="gbk")
        result = cli(*args, bad)
        assert result.exit_code in (1, 2) and "Traceback" not in result.output
        assert f"{bad} 第 2 行：{name}不是有效的 CSV" in result.output, result.output
        # why, in Chinese: the csv module's English reason is for the English message only
        assert "单元格超过 131072 个字符" in result.output and "field larger" not in result.output, result.output
        english = cli("--lang", "en", *args, bad)
        assert "is not valid CSV (a cell is longer than 131072 characters" in english.output, english.output


# The bureau's JSON files (--weights, --review-config, --frameworks) are read alike -----------------------
_WEIGHTS = {"funds": 20, "level1": [{"names": ["投入与管理", "产出目标"], "points": 50},
                                    {"names": ["效果目标", "影响力目标"], "points": 30}], "note": "本局分值"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_weights_or_review_file_saved_as_gbk_reads_as_utf8_does(tmp_path, encoding):
    from xlgoals._review import load_review
    from xlgoals._selfeval._weights import load_weights

    weights = tmp_path / f"分值-{encoding}.json"
    weights.write_text(json.dumps(_WEIGHTS, ensure_ascii=False), encoding=encoding)
    assert load_weights(weights).note == "本局分值"
    review = tmp_path / f"审核-{encoding}.json"
    review.write_text(json.dumps({"checks": {"review_vague": {"words": ["进一步加强"]}}}, ensure_ascii=False),
                      encoding=encoding)
    assert load_review(review_config=review) is not None


@pytest.mark.parametrize("text, says", [('{"funds": NaN, "level1": []}', "NaN"), ("\ufeff{", "不是有效的 JSON"),
                                        ("[" * 100_000, "嵌套")])
def test_a_bureau_json_file_that_cannot_serve_is_one_line(tmp_path, text, says):
    from xlgoals._selfeval._weights import load_weights

    path = tmp_path / "w.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=says):
        load_weights(path)
    undecodable = tmp_path / "u.json"
    undecodable.write_bytes(_UNDECODABLE)
    with pytest.raises(ConfigError, match="无法识别分值文件的文件编码"):
        load_weights(undecodable)


def test_a_pipe_given_as_a_configuration_file_is_refused_not_waited_for(tmp_path):
    import os

    from xlgoals._selfeval._weights import load_weights

    for name in ("w.json", "rules.csv"):
        os.mkfifo(tmp_path / name)
    with pytest.raises(ConfigError, match="不是普通文件"):
        load_weights(tmp_path / "w.json")
    result = cli("validate", EXAMPLE_XLSX[0], "--rules", tmp_path / "rules.csv")
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_a_quoted_cell_over_several_lines_does_not_shift_the_line_numbers(tmp_path):
    """A message names the line a faulty row starts on, as an editor shows it, also after a cell written over
    several lines (Excel saves a cell with Alt+Enter breaks so, in quotes)."""
    two_lines = "第一行\n第二行"
    # the rule table: a bureau message over two lines, then a row with too few columns (line 4, not 3)
    rules = tmp_path / "rules.csv"
    _write_csv(rules, [COLUMNS, [*_RULE[:7], two_lines, _RULE[8]], _RULE[:5]], "utf-8")
    result = cli("validate", EXAMPLE_XLSX[0], "--rules", rules)
    assert result.exit_code == 2 and f"{rules} 第 4 行：应有 9 列，实际 5 列" in result.output, result.output
    # the library: a note over three lines, then a row without its 二级 (line 5)
    library = tmp_path / "library.csv"
    _write_csv(library, [["一级", "二级", "三级", "备注"], ["产出指标", "数量指标", "培训人次", "第一\n第二\n第三"],
                         ["产出指标", "", "结业人次", ""]], "utf-8")
    result = cli("validate", EXAMPLE_XLSX[0], "--library", library)
    assert result.exit_code == 2 and f"{library} 第 5 行：“二级”不能为空" in result.output, result.output
    # the same library as a workbook whose table starts at row 3: the sheet's own row numbers
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["C3"], ws["D3"], ws["E3"] = "一级", "二级", "三级"
    ws["C4"], ws["D4"], ws["E4"] = "产出指标", "数量指标", "培训人次"
    ws["C5"], ws["E5"] = "产出指标", "结业人次"
    wb.save(tmp_path / "library.xlsx")
    result = cli("validate", EXAMPLE_XLSX[0], "--library", tmp_path / "library.xlsx")
    assert result.exit_code == 2 and "library.xlsx 第 5 行：“二级”不能为空" in result.output, result.output
    # the project list: a project name over two lines, then an amount that is no number (line 4)
    projects = tmp_path / "projects.csv"
    _write_csv(projects, [["申报单位名称", "项目名称", "项目总预算"], ["甲单位", two_lines, "100"],
                          ["乙单位", "项目二", "一百万"]], "utf-8")
    result = cli("template", "--prefill", projects, "--out-dir", tmp_path / "out")
    assert result.exit_code == 1 and f"{projects} 第 4 行" in result.stderr and "一百万" in result.stderr
    assert f"{projects} 第 3 行" not in result.stderr


@pytest.mark.parametrize("encoding, delimiter", [("utf-16", "\t"), ("gbk", "\t"), ("utf-16", ",")])
def test_a_project_list_saved_as_unicode_text_or_tab_delimited_text_is_read(tmp_path, encoding, delimiter):
    """Excel's 另存为 "Unicode 文本" writes UTF-16 with a BOM, its cells separated by tabs; "文本文件(制表符分隔)"
    writes GBK with tabs.  The first was refused as an unknown encoding, the second as one unknown column
    "申报单位名称\t项目名称\t…".  Both are read as the CSV is."""
    import openpyxl

    from .helpers import F

    projects = tmp_path / "项目清单.txt"
    lines = [["申报单位名称", "项目名称", "项目总预算（元）"], ["甲单位", "项目一", "1,234,567.89"], ["乙单位", "项目二", "5"]]
    with open(projects, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(lines)
    result = cli("template", "--prefill", projects, "--out-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "来自 " + str(projects) + " 第 3 行" in result.stdout
    info = openpyxl.load_workbook(tmp_path / "out" / "甲单位_项目一.xlsx")[F.info.name]
    assert info[F.field("/budget/total").cell].value == 1234567.89
