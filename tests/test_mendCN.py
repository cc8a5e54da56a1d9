"""mendCN: red team (p)'s findings on the bureau's own data: the rule table and framework version a template was made
from are recorded in its stamp and compared by validate; one placeholder normalisation; the guides quote the rules
in force; messages quote the bounds in force; the packaged tables can be exported.  Each test was seen failing on
the code before."""

import csv
import json
import shutil

import openpyxl
import pytest

from .conftest import EXAMPLES, ROOT, cli
from .helpers import bureau_rules_file

NATIONAL = EXAMPLES / "national-2021"


_rules_file = bureau_rules_file  # (tests.helpers: the packaged rows of `changes` as changed)


def _codes(*args) -> list[str]:
    res = cli("validate", *args, "--format", "csv")
    return [line.split(",")[2] for line in res.stdout.splitlines()[1:] if line.split(",")[2]]


def _stamp(path) -> str:
    return next(c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


# f6: the rule table a template was made under ------------------------------------------------------------------
@pytest.fixture
def self_evaluation_made_with_rules(tmp_path):
    targets = tmp_path / "批复"
    targets.mkdir()
    shutil.copy(NATIONAL / "目标表.xlsx", targets)
    rules = _rules_file(tmp_path, {"self.execution_unexplained": {"params": '{"min_rate": 0.85}'},
                                   "self.deviation_missing": {"params": '{"over": 1.5}'}})
    out = tmp_path / "自评表"
    res = cli("template", "--form", "self-evaluation", "--targets", targets, "--out-dir", out, "--rules", rules)
    assert res.exit_code == 0, res.stderr
    return next(out.glob("*.xlsx")), rules


def test_a_template_made_with_rules_says_so_when_validated_without_them(self_evaluation_made_with_rules):
    made, rules = self_evaluation_made_with_rules
    assert "|rules=" in _stamp(made)
    assert "template.other_rules" not in _codes(made, "--rules", rules)
    res = cli("validate", made)
    assert "template.other_rules" in res.stdout and "--rules" in res.stdout, res.stdout
    report = json.loads(cli("validate", made, "--format", "json").stdout)
    said = [p for f in report["files"] for p in f["problems"] if p["code"] == "template.other_rules"]
    assert len(said) == 1 and said[0]["sheet"] and said[0]["cell"] and said[0]["severity"] == "notice", said
    assert "规则表" in said[0]["message"] and "rule table" in said[0]["message_en"]


def test_a_template_made_with_the_packaged_rules_stamps_none_and_old_stamps_read_as_before(tmp_path):
    out = tmp_path / "t.xlsx"
    assert cli("template", "--framework", "national-2021", "--year", "2021", "-o", out).exit_code == 0
    assert "rules=" not in _stamp(out) and "fw=" not in _stamp(out)
    rules = _rules_file(tmp_path, {"self.execution_unexplained": {"params": '{"min_rate": 0.85}'}})
    assert not {"template.other_rules", "template.other_framework"} & set(_codes(out, "--rules", rules))


# f1: the framework's version a template was made from -----------------------------------------------------------
def test_a_return_made_from_another_version_of_its_framework_says_so(tmp_path):
    fw_dir = tmp_path / "本局指标体系"
    fw_dir.mkdir()
    fw = json.loads((ROOT / "templates" / "national-2021.json").read_text(encoding="utf-8"))
    next(l for l in fw["level1"] if l["name"] == "产出指标")["level2"].append("服务质量指标")
    (fw_dir / "national-2021.json").write_text(json.dumps(fw, ensure_ascii=False), encoding="utf-8")
    doc = json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))
    next(i for i in doc["indicators"] if i["level2"] == "质量指标")["level2"] = "服务质量指标"
    src, made = tmp_path / "doc.json", tmp_path / "申报.xlsx"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert cli("fill", src, "-o", made, "--frameworks", fw_dir).exit_code == 0
    assert "|fw=" in _stamp(made)
    assert _codes(made, "--frameworks", fw_dir) == []
    report = json.loads(cli("validate", made, "--format", "json").stdout)
    said = [p for f in report["files"] for p in f["problems"] if p["code"] == "template.other_framework"]
    assert len(said) == 1 and said[0]["sheet"] and said[0]["cell"], said
    assert "national-2021" in said[0]["message"] and "--frameworks" in said[0]["message"]
    assert "another version" in said[0]["message_en"]


# f7: one placeholder comparison --------------------------------------------------------------------------------
@pytest.mark.parametrize("said", ["无。", "无；", "略.", "暂 无", "暂\u3000无", "无 。"])
def test_a_placeholder_with_spaces_or_end_punctuation_is_no_required_reason(tmp_path, said):
    se = json.loads((NATIONAL / "自评表.json").read_text(encoding="utf-8"))
    se["funds"].update(executed=2610000, score=8.7, deviation=said)
    se["funds"]["sources"]["fiscal"]["executed"] = 2610000
    for i in se["indicators"]:
        if i["id"] == "P1":
            i["actual"], i["deviation"] = 6800, said
    path = tmp_path / "se.json"
    path.write_text(json.dumps(se, ensure_ascii=False), encoding="utf-8")
    codes = _codes(path)
    assert "self.deviation_missing" in codes and "self.execution_unexplained" in codes, codes


@pytest.mark.parametrize("said", ["无。", "暂 无", "略."])
def test_a_placeholder_target_with_spaces_or_end_punctuation_is_warned_once(tmp_path, said):
    g = json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))
    g["indicators"][3]["text"] = said
    path = tmp_path / "g.json"
    path.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    codes = _codes(path, "--review")
    assert codes.count("rule.placeholder") == 1 and "review.placeholder_row" not in codes, codes


def test_placeholder_key_keeps_a_lone_punctuation_mark_and_the_words_themselves():
    from xlgoals._check._rules import placeholder_key

    assert [placeholder_key(t) for t in ("无。", " 暂\u3000无 ", "略.", "—", "。", "／", "--")] == \
        ["无", "暂无", "略", "—", "。", "/", "--"]
    assert placeholder_key("已完成。") == "已完成"  # (no placeholder: not in the list)


# f4: the monitoring guide says the rules in force -------------------------------------------------------------
def _guide_lines(path) -> list[str]:
    return [c.value for row in openpyxl.load_workbook(path)["填表说明"].iter_rows() for c in row
            if isinstance(c.value, str)]


@pytest.fixture
def monitoring_made(tmp_path):
    """make(rules or None) -> the monitoring template's path (month 6, from the example goal table)."""
    targets = tmp_path / "批复"
    targets.mkdir()
    shutil.copy(NATIONAL / "目标表.xlsx", targets)

    def make(rules=None, name="out"):
        out = tmp_path / name
        args = ("--rules", rules) if rules else ()
        res = cli("template", "--form", "monitoring", "--month", "6", "--targets", targets, "--out-dir", out, *args)
        assert res.exit_code == 0, res.stderr
        return next(out.glob("*.xlsx"))
    return make


def test_the_monitoring_guide_names_the_likelihoods_the_rules_ask_a_reason_for(tmp_path, monitoring_made):
    packaged = _guide_lines(monitoring_made())
    assert any(l.startswith("八、") and "选择“完全不可能”的，须在" in l for l in packaged), packaged
    assert any(l.startswith("五、全年预计执行数不得超过全年预算数") for l in packaged)
    rules = _rules_file(tmp_path, {"monitor.unlikely_without_reason":
                                   {"params": '{"likelihoods": ["possible", "impossible"]}'}})
    line8 = next(l for l in _guide_lines(monitoring_made(rules, "r")) if l.startswith("八、"))
    assert "选择“有可能”或“完全不可能”的，须在偏差原因" in line8, line8
    off = _rules_file(tmp_path, {"monitor.unlikely_without_reason": {"severity": "off"}}, "off.csv")
    line8 = next(l for l in _guide_lines(monitoring_made(off, "o")) if l.startswith("八、"))
    assert "须在" not in line8 and line8.endswith("“完全不可能”。"), line8


def test_the_monitoring_guide_leaves_out_the_budget_cap_when_its_rule_is_off(tmp_path, monitoring_made):
    from xlgoals._check._ruletable import RuleTable

    off = _rules_file(tmp_path, {"monitor.expected_over_budget": {"severity": "off"}})
    made = monitoring_made(off)
    lines = _guide_lines(made)
    assert not any("不得超过全年预算数" in l for l in lines), lines
    numbered = [l.split("、")[0] for l in lines if "、" in l[:3]]
    assert numbered == ["一", "二", "三", "四", "五", "六", "七", "八"], numbered  # renumbered, none skipped
    assert RuleTable.load(off).get("monitor.unlikely_without_reason").title_zh == "完成目标可能性低但未说明原因和措施"


# f2: the goal guide's line 七 quotes the rule's words --------------------------------------------------------
def _line7(tmp_path, rules=None, name="t.xlsx") -> str:
    out = tmp_path / name
    args = ("--rules", rules) if rules else ()
    assert cli("template", "--framework", "national-2021", "--year", "2021", "-o", out, *args).exit_code == 0
    return next(l for l in _guide_lines(out) if l.startswith("七、"))


def test_the_goal_guide_quotes_the_placeholder_words_in_force(tmp_path):
    assert _line7(tmp_path).endswith("不要重复；不要用“*”“/”“无”“0”等占位。")
    own = _rules_file(tmp_path, {"rule.placeholder": {"params": '{"texts": ["无", "不涉及", "略", "暂无", "待定"]}'}})
    line = _line7(tmp_path, own, "own.xlsx")
    assert line.endswith("不要用“无”“不涉及”“略”“暂无”等占位。") and "“*”" not in line and "“0”" not in line, line
    off = _rules_file(tmp_path, {"rule.placeholder": {"severity": "off"}}, "off.csv")
    line = _line7(tmp_path, off, "off.xlsx")
    assert line.endswith("不要重复。") and "占位" not in line, line


# f5: the percent ranges' messages and titles say the bounds in force -------------------------------------------
def test_the_percent_range_messages_and_titles_say_the_bounds_in_force(tmp_path):
    rows = {r[0]: r for r in csv.reader(open(ROOT / "schema" / "rules.csv", encoding="utf-8"))}
    actual = json.loads(rows["self.actual_percent_range"][3])
    actual["max"] = 150
    rules = _rules_file(tmp_path, {"rule.percent_range": {"params": '{"unit": "%", "min": 0, "max": 200}'},
                                   "self.actual_percent_range": {"params": json.dumps(actual, ensure_ascii=False)}})
    g = json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))
    g["indicators"][2]["value"] = 250
    se = json.loads((NATIONAL / "自评表.json").read_text(encoding="utf-8"))
    for i in se["indicators"]:
        if i["id"] == "P2":
            i["actual"], i["deviation"] = 180, "抽查口径调整，数据属实。"
    gp, sp = tmp_path / "goal.json", tmp_path / "se.json"
    gp.write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    sp.write_text(json.dumps(se, ensure_ascii=False), encoding="utf-8")
    text = cli("validate", gp, sp, "--rules", rules).stdout
    assert "百分比不在 0–200 之间" in text and "实际完成值的百分比不在 0–150 之间" in text, text
    assert "百分比目标值 250% 不在 0–200 之间" in text and "0–100" not in text, text
    en = cli("--lang", "en", "validate", gp, sp, "--rules", rules).stdout
    assert "Percentage outside 0–200" in en and "not within 0–200" in en and "0–100" not in en, en
    assert "百分比不在 0–100 之间" in cli("validate", gp).stdout  # the packaged bounds, as before


# f3: the satisfaction notice's example is at or above the floor ----------------------------------------------
@pytest.mark.parametrize("floor, example", [(95, "≥ 95 %"), (85, "≥ 95 %"), (None, "≥ 90 %")])
def test_the_satisfaction_notices_example_is_not_below_the_floor(tmp_path, floor, example):
    received = tmp_path / "收到"
    received.mkdir()
    shutil.copy(NATIONAL / "目标表.xlsx", received)
    g = json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))
    sat = next(i for i in g["indicators"] if i["name"].endswith("满意度"))
    sat.update(comparator=">=", value=60, unit="%")
    (received / "g.json").write_text(json.dumps(g, ensure_ascii=False), encoding="utf-8")
    cfg = tmp_path / "本局审核.json"
    cfg.write_text(json.dumps({"checks": {"review_satisfaction_floor": {"floor": floor}} if floor else {}}))
    for lang, said in (("zh", f"（如 {example}）"), ("en", f"(e.g. {example})")):
        report = json.loads(cli("--lang", lang, "validate", received / "g.json", "--review", "--review-config", cfg,
                                "--format", "json").stdout)
        msgs = [p["message"] for f in report["files"] for p in f["problems"] if p["code"] == "review.satisfaction_low"]
        assert msgs and all(said in m for m in msgs), msgs


# f8: the packaged tables exported to edit ---------------------------------------------------------------------
def test_defaults_writes_the_packaged_tables_and_they_load_as_the_bureaus(tmp_path):
    out = tmp_path / "本局表格"
    res = cli("defaults", "--out-dir", out)
    assert res.exit_code == 0, res.output
    # (with a BOM, for Excel: tests/test_mendCS.py)
    assert (out / "rules.csv").read_bytes() == b"\xef\xbb\xbf" + (ROOT / "schema" / "rules.csv").read_bytes()
    assert (out / "scoring.csv").read_bytes() == b"\xef\xbb\xbf" + (ROOT / "schema" / "scoring.csv").read_bytes()
    assert json.loads((out / "review.json").read_text(encoding="utf-8")) == \
        json.loads((ROOT / "schema" / "review.json").read_text(encoding="utf-8"))
    packaged = sorted(p.name for p in (ROOT / "templates").glob("*.json"))
    assert sorted(p.name for p in (out / "frameworks").iterdir()) == packaged
    fw = json.loads((ROOT / "templates" / "national-2021.json").read_text(encoding="utf-8"))
    assert json.loads((out / "weights" / "national-2021.json").read_text(encoding="utf-8")) == fw["self_evaluation"]
    # each file works as the option it is for, and changes nothing as exported
    received = EXAMPLES / "self-evaluation"
    plain = cli("validate", received, "--format", "csv", "--review").stdout  # (a --review-config asks for the review)
    given = cli("validate", received, "--format", "csv", "--rules", out / "rules.csv", "--frameworks",
                out / "frameworks", "--review-config", out / "review.json").stdout
    assert given == plain
    assert cli("validate", received, "--targets", EXAMPLES / "returns", "--weights",
               out / "weights" / "national-2021.json").exit_code in (0, 1)


def test_defaults_keeps_a_bureaus_edited_file_unless_force(tmp_path):
    out = tmp_path / "本局表格"
    out.mkdir()
    (out / "rules.csv").write_text("本局改过的规则表", encoding="utf-8")
    res = cli("defaults", "--out-dir", out)
    assert res.exit_code == 2 and "rules.csv" in res.stderr and "--force" in res.stderr, res.output
    assert (out / "rules.csv").read_text(encoding="utf-8") == "本局改过的规则表"
    assert sorted(p.name for p in out.iterdir()) == ["rules.csv"]  # nothing written
    assert cli("defaults", "--out-dir", out, "--force").exit_code == 0
    assert (out / "rules.csv").read_bytes() == b"\xef\xbb\xbf" + (ROOT / "schema" / "rules.csv").read_bytes()


# the packaged tables can be saved as GBK, as the README recommends ------------------------------------------
@pytest.mark.parametrize("name", ["rules.csv", "scoring.csv", "review.json"])
def test_the_packaged_tables_can_be_saved_as_gbk(tmp_path, name):
    text = (ROOT / "schema" / name).read_text(encoding="utf-8")
    text.encode("gbk")  # no U+2212 minus, no U+203A › (Home > Wrap Text)
    if name == "rules.csv":  # and a GBK copy given as --rules loads, its messages as packaged
        (tmp_path / name).write_bytes(text.encode("gbk"))
        assert cli("frameworks", "--rules", tmp_path / name).exit_code == 0
