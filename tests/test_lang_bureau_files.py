"""A bureau's own files (rule table, frameworks, library, project list, goal tables, points, review configuration,
last year's returns, a JSON document) that cannot be used, under --lang en: every fault is told in English (no
Chinese but the file names and the values quoted from the files), with the exit code of the README's table; the
default run says the same in Chinese.  And --help follows --lang en wherever it is given."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from xlgoals import FORMS

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, ROOT, cli, load, run_cli
from .helpers import _CJK, bureau_rules, cjk_outside_data, packaged_rule

SE_RETURN = EXAMPLES / "received-self-evaluation" / "02_促进就业专项资金_有误.xlsx"


@dataclass(frozen=True)
class Case:
    name: str
    commands: tuple  # the commands that take the file
    setup: object  # tmp_path -> the arguments giving the bad file (it is written under tmp_path)
    code: int | None = 2  # the exit code (README, 退出码); None: whatever the run gives
    data: tuple = ()  # what else the output quotes of the file as it stands (a name given in it)


CASES: list[Case] = []


def case(name, commands, code=2, data=()):
    def add(setup):
        CASES.append(Case(name, tuple(commands), setup, code, tuple(data)))
        return setup
    return add


# neither UTF-8, GB18030 nor UTF-16 (no BOM): a table in another encoding (0xFF starts no character of either)
_UNDECODABLE = b"\xff\xfe\xff\n"


def _write(path: Path, text: str | bytes, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding=encoding)
    return path


# The commands as a bureau runs them; the bad file's option is added to these -------------------------------
BASE = {
    "frameworks": lambda t: [],
    "template": lambda t: ["-o", t / "模板.xlsx"],
    "validate": lambda t: [EXAMPLE_XLSX[0]],
    "consolidate": lambda t: [EXAMPLE_XLSX[0], "-o", t / "汇总.xlsx"],
    "fill": lambda t: [EXAMPLE_JSON[0], "-o", t / "填写.xlsx"],
    "read": lambda t: [EXAMPLE_XLSX[0]],
    "template-self-evaluation": lambda t: ["--form", "self-evaluation", "--out-dir", t / "自评下发"],
    "template-monitoring": lambda t: ["--form", "monitoring", "--month", "6", "--out-dir", t / "监控下发"],
    "template-prefill": lambda t: ["--out-dir", t / "下发"],
    "validate-self-evaluation": lambda t: [SE_RETURN],
    "validate-review": lambda t: [EXAMPLE_XLSX[0], "--review"],
    "consolidate-review": lambda t: [EXAMPLE_XLSX[0], "-o", t / "汇总.xlsx", "--review"],
    "fill-document": lambda t: ["-o", t / "填写.xlsx"],
    "read-file": lambda t: [],
}
CONFIGURED = ("frameworks", "template", "validate", "consolidate", "fill", "read")  # --rules, --frameworks
REVIEWED = ("validate-review", "consolidate-review")  # --library, --review-config, --previous
FROM_TARGETS = ("template-self-evaluation", "template-monitoring")


# --rules: the rule table ---------------------------------------------------------------------------------
def _rules(t: Path, *rows) -> list:
    return ["--rules", bureau_rules(t / "本局规则.csv", *rows)]


def _rule(**changes) -> list:
    return packaged_rule("rule.placeholder", **changes)


case("rules-missing", CONFIGURED)(lambda t: ["--rules", t / "没有的规则.csv"])
case("rules-folder", CONFIGURED)(lambda t: ["--rules", (t / "规则文件夹").mkdir() or t / "规则文件夹"])
case("rules-empty", CONFIGURED)(lambda t: ["--rules", _write(t / "本局规则.csv", "")])
case("rules-encoding", CONFIGURED)(lambda t: ["--rules", _write(t / "本局规则.csv", "code,规则\n".encode("utf-8") + _UNDECODABLE)])
case("rules-header", CONFIGURED)(lambda t: ["--rules", _write(t / "本局规则.csv", "代码,严重程度\nx,error\n")])
case("rules-width", CONFIGURED)(lambda t: _rules(t, _rule()[:7]))
case("rules-blank-message", CONFIGURED)(lambda t: _rules(t, _rule(message_en="")))
case("rules-severity", CONFIGURED)(lambda t: _rules(t, _rule(severity="严重")))
case("rules-check-kind", CONFIGURED)(lambda t: _rules(t, _rule(check="没有这种检查")))
case("rules-params-json", CONFIGURED)(lambda t: _rules(t, _rule(params="{'词': 1}")))
case("rules-params-list", CONFIGURED)(lambda t: _rules(t, _rule(params="[1, 2]")))
case("rules-params-unknown", CONFIGURED)(lambda t: _rules(t, _rule(params='{"阈值": 1}')))
case("rules-params-missing", CONFIGURED)(
    lambda t: _rules(t, packaged_rule("rule.current_le_total", params='{"left": "/budget/current_year"}')))
case("rules-params-type", CONFIGURED)(
    lambda t: _rules(t, packaged_rule("rule.current_le_total", params='{"left": "预算", "right": "/budget/total"}')))
case("rules-params-choice", CONFIGURED)(
    lambda t: _rules(t, packaged_rule("rule.current_le_total",
                                      params='{"left": "/budget/current_year", "right": "/budget/total", "op": "≈"}')))
case("rules-placeholder", CONFIGURED)(lambda t: _rules(t, _rule(message_zh="{数量}不对")))
case("rules-format", CONFIGURED)(lambda t: _rules(t, _rule(message_zh="“{found:d}”像是占位符")))
case("rules-kind-runs-nothing", CONFIGURED)(lambda t: _rules(t, packaged_rule("rule.current_le_total", check="reader",
                                                                               params="", message_zh="当年预算大于总预算",
                                                                               message_en="Over")))
case("rules-code-misspelt", CONFIGURED)(lambda t: _rules(t, ["rule．placeholder", *_rule()[1:]]))
case("rules-brace", CONFIGURED)(lambda t: _rules(t, _rule(message_en="the {field is wrong")))
case("rules-duplicate", CONFIGURED)(lambda t: _rules(t, _rule(), _rule()))
case("rules-csv-error", CONFIGURED)(
    lambda t: ["--rules", _write(t / "本局规则.csv", ",".join(packaged_rule("rule.placeholder")) + '\n"' + "长" * 140000)])


# --frameworks: a folder of framework files -----------------------------------------------------------------
def _framework(**changes) -> dict:
    fw = json.loads((ROOT / "templates" / "shanghai-2020.json").read_text(encoding="utf-8"))
    fw["id"] = "demo-2025"
    for key, value in changes.items():
        if value is None:
            del fw[key]
        else:
            fw[key] = value
    return fw


def _frameworks(t: Path, content, name: str = "demo-2025.json") -> list:
    folder = t / "本局指标体系"
    text = content if isinstance(content, (str, bytes)) else json.dumps(content, ensure_ascii=False)
    _write(folder / name, text)
    return ["--frameworks", folder]


def _with_level1(first: dict) -> dict:
    fw = _framework()
    return _framework(level1=[first, *fw["level1"][1:]])


def _review(review) -> dict:
    return _framework(review=review)


case("frameworks-missing", CONFIGURED)(lambda t: ["--frameworks", t / "没有的文件夹"])
case("frameworks-a-file", CONFIGURED)(lambda t: ["--frameworks", _write(t / "体系.json", "{}")])
case("frameworks-empty-folder", CONFIGURED)(lambda t: ["--frameworks", (t / "空文件夹").mkdir() or t / "空文件夹"])
case("frameworks-bad-json", CONFIGURED)(lambda t: _frameworks(t, '{"id": "demo-2025", "title": "示例'))
case("frameworks-duplicate-key", CONFIGURED)(lambda t: _frameworks(t, '{"id": "demo-2025", "id": "demo-2025"}'))
case("frameworks-nan", CONFIGURED)(lambda t: _frameworks(t, '{"id": "demo-2025", "x": NaN}'))
case("frameworks-surrogate", CONFIGURED)(lambda t: _frameworks(t, '{"id": "\\ud800"}'))
case("frameworks-nesting", CONFIGURED)(lambda t: _frameworks(t, "[" * 100000 + "]" * 100000))
case("frameworks-encoding", CONFIGURED)(lambda t: _frameworks(t, '{"title": "示例"}'.encode("utf-16")))
case("frameworks-not-object", CONFIGURED)(lambda t: _frameworks(t, "[1, 2]"))
case("frameworks-missing-key", CONFIGURED)(lambda t: _frameworks(t, _framework(labels=None)))
case("frameworks-bad-id", CONFIGURED)(lambda t: _frameworks(t, _framework(id="Demo-2025")))
case("frameworks-empty-title", CONFIGURED)(lambda t: _frameworks(t, _framework(title=" ")))
case("frameworks-labels", CONFIGURED)(lambda t: _frameworks(t, _framework(labels={"level1": "一级"})))
case("frameworks-level1-empty", CONFIGURED)(lambda t: _frameworks(t, _framework(level1=[])))
case("frameworks-level1-no-name", CONFIGURED)(lambda t: _frameworks(t, _with_level1({"level2": ["数量"]})))
case("frameworks-level2-not-list", CONFIGURED)(lambda t: _frameworks(t, _with_level1({"name": "投入与管理",
                                                                                    "level2": "投入管理"})))
case("frameworks-level2-empty", CONFIGURED)(lambda t: _frameworks(t, _with_level1({"name": "投入与管理", "level2": []})))
case("frameworks-level1-twice", CONFIGURED)(
    lambda t: _frameworks(t, _framework(level1=[_framework()["level1"][0]] * 2)))
case("frameworks-level1-key", CONFIGURED)(
    lambda t: _frameworks(t, _with_level1({"name": "投入与管理", "requried": True, "level2": ["投入管理"]})))
case("frameworks-required-text", CONFIGURED)(
    lambda t: _frameworks(t, _with_level1({"name": "投入与管理", "required": "是", "level2": ["投入管理"]})))
case("frameworks-level2-twice", CONFIGURED)(
    lambda t: _frameworks(t, _with_level1({"name": "投入与管理", "level2": ["投入管理", "数量"]})))
case("frameworks-label-key", CONFIGURED)(
    lambda t: _frameworks(t, _framework(labels={**_framework()["labels"], "单位": "计量单位"})))
case("frameworks-label-fixed-head", CONFIGURED, data=("计量单位",))(lambda t: _frameworks(t, _framework(labels={
    "level1": "一级目标", "level2": "二级目标", "level3": "计量单位", "target": "指标目标值"})))
case("frameworks-comparator", CONFIGURED)(lambda t: _frameworks(t, _framework(comparators=["≈", "="])))
case("frameworks-unknown-key", CONFIGURED)(lambda t: _frameworks(t, _framework(指标=1)))
case("frameworks-optional-columns", CONFIGURED)(lambda t: _frameworks(t, _framework(optional_columns=["备注"])))
case("frameworks-prefilled-rows", CONFIGURED)(lambda t: _frameworks(t, _framework(prefilled_rows=[{"level1": "无"}])))
case("frameworks-prefilled-row-types", CONFIGURED)(  # a row the template writer could not write: refused on loading
    lambda t: _frameworks(t, _framework(prefilled_rows=[{"level1": "投入与管理", "name": {"名": 1}, "value": [1]}])))
case("frameworks-prefilled-row-level2", CONFIGURED)(
    lambda t: _frameworks(t, _framework(prefilled_rows=[{"level1": "投入与管理", "level2": "数量"}])))
case("frameworks-prefilled-row-comparator", CONFIGURED)(
    lambda t: _frameworks(t, _framework(prefilled_rows=[{"level1": "投入与管理", "comparator": "≈"}])))
case("frameworks-review-place-type", CONFIGURED)(  # was a TypeError (a list is no dict key)
    lambda t: _frameworks(t, _review({"cost": [{"level1": ["产出目标"]}]})))
case("frameworks-review-not-object", CONFIGURED)(lambda t: _frameworks(t, _review([])))
case("frameworks-review-unknown-key", CONFIGURED)(lambda t: _frameworks(t, _review({"满意度": []})))
case("frameworks-review-quantified", CONFIGURED)(lambda t: _frameworks(t, _review({"quantified_level1": ["无此类"]})))
case("frameworks-review-places", CONFIGURED)(lambda t: _frameworks(t, _review({"cost": [{"level1": "无此类"}]})))
case("frameworks-review-places-empty", CONFIGURED)(lambda t: _frameworks(t, _review({"cost": []})))
case("frameworks-review-level2", CONFIGURED)(
    lambda t: _frameworks(t, _review({"cost": [{"level1": "产出目标", "level2": "满意度"}]})))
case("frameworks-level3-not-object", CONFIGURED)(lambda t: _frameworks(t, _framework(level3_groups=[])))
case("frameworks-level3-key", CONFIGURED)(lambda t: _frameworks(t, _framework(level3_groups={"无此类": ["甲"]})))
case("frameworks-level3-empty", CONFIGURED)(lambda t: _frameworks(t, _framework(level3_groups={"数量": []})))
case("frameworks-level3-list", CONFIGURED)(lambda t: _frameworks(t, _framework(level3_groups={"数量": "甲"})))
case("frameworks-notes-not-object", CONFIGURED)(lambda t: _frameworks(t, _framework(notes=[])))
case("frameworks-notes-shape", CONFIGURED)(lambda t: _frameworks(t, _framework(notes={"units": {"status": "猜的"}})))
case("frameworks-notes-entry", CONFIGURED)(
    lambda t: _frameworks(t, _framework(notes={"level1:无此类": {"status": "assumption"}})))
case("frameworks-weights-total", CONFIGURED)(
    lambda t: _frameworks(t, _framework(self_evaluation={**_framework()["self_evaluation"], "funds": 20})))
case("frameworks-weights-name", CONFIGURED)(
    lambda t: _frameworks(t, _framework(self_evaluation={"funds": 100, "level1": [{"names": ["无此类"], "points": 0}]})))
case("frameworks-weights-missing-level1", CONFIGURED)(
    lambda t: _frameworks(t, _framework(self_evaluation={"funds": 60, "level1": [{"names": ["产出目标"], "points": 40}]})))
case("frameworks-file-name", CONFIGURED)(lambda t: _frameworks(t, _framework(), name="示例.json"))
case("frameworks-subfolder", CONFIGURED)(
    lambda t: ["--frameworks", (t / "本局指标体系" / "demo.json").mkdir(parents=True) or t / "本局指标体系"])
case("framework-unknown-id", ("template",))(lambda t: ["--framework", "没有的体系"])


# --library: the indicator library ------------------------------------------------------------------------
LIBRARY = ("template", *REVIEWED)


def _library(t: Path, text, name: str = "指标库.csv") -> list:
    return ["--library", _write(t / name, text)]


case("library-missing", LIBRARY)(lambda t: ["--library", t / "没有的指标库.csv"])
case("library-folder", LIBRARY)(lambda t: ["--library", (t / "指标库").mkdir() or t / "指标库"])
case("library-empty", LIBRARY)(lambda t: _library(t, ""))
case("library-encoding", LIBRARY)(lambda t: _library(t, "一级,二级,三级\n".encode("utf-8") + _UNDECODABLE))
case("library-column", LIBRARY)(lambda t: _library(t, "一级,二级,名称\n产出目标,数量,培训人数\n"))
case("library-blank-cell", LIBRARY)(lambda t: _library(t, "一级,二级,三级\n产出目标,,培训人数\n"))
case("library-no-entries", LIBRARY)(lambda t: _library(t, "一级,二级,三级\n,,\n"))
case("library-csv-error", LIBRARY)(lambda t: _library(t, '一级,二级,三级\n"' + "长" * 140000))
case("library-not-a-workbook", LIBRARY)(lambda t: _library(t, "一级,二级,三级\n", name="指标库.xlsx"))
case("library-damaged-workbook", LIBRARY)(lambda t: _library(t, b"PK\x03\x04" + b"x" * 64, name="指标库.xlsx"))


# --prefill: the project list -----------------------------------------------------------------------------
_PROJECTS = (EXAMPLES / "projects.csv").read_text(encoding="utf-8")
_HEADER = _PROJECTS.splitlines()[0]
_ROW = "某局,某项目,经常性专项业务费,2020-01-01,2020-12-31,1000,1000"


def _prefill(t: Path, text, encoding="utf-8") -> list:
    return ["--prefill", _write(t / "项目清单.csv", text, encoding)]


PREFILL = ("template-prefill",)
case("prefill-missing", PREFILL)(lambda t: ["--prefill", t / "没有的清单.csv"])
case("prefill-folder", PREFILL)(lambda t: ["--prefill", (t / "清单").mkdir() or t / "清单"])
case("prefill-encoding", PREFILL, 1)(lambda t: _prefill(t, "单位,项目\n".encode("utf-8") + _UNDECODABLE))
case("prefill-empty", PREFILL, 1)(lambda t: _prefill(t, ""))
case("prefill-unnamed-column", PREFILL, 1)(lambda t: _prefill(t, f"{_HEADER},\n{_ROW},备注\n"))
case("prefill-unknown-column", PREFILL, 1)(lambda t: _prefill(t, f"{_HEADER},负责人\n{_ROW},张三\n"))
case("prefill-column-twice", PREFILL, 1)(lambda t: _prefill(t, f"{_HEADER},unit\n{_ROW},某局\n"))
case("prefill-no-unit", PREFILL, 1)(lambda t: _prefill(t, "项目名称\n某项目\n"))
case("prefill-csv-error", PREFILL, 1)(lambda t: _prefill(t, f'{_HEADER}\n"' + "长" * 140000))
# (a category outside the framework's list is refused naming the allowed ones: the framework's data, in Chinese)
case("prefill-row-faults", PREFILL, 1, data=("经常性专项业务费", "一次性专项业务费", "跨年度项目支出", "基本建设项目", "其他"))(
    lambda t: _prefill(t, "\n".join([
    _HEADER, _ROW,
    "某局,第二项目,经常性专项业务费,2020-01-01,2020-12-31,1000,1000,多出的格",  # more cells than the header
    "某局,第三项目,经常性专项业务费,2020-01-01,2020-12-31,一千元,1000",  # an amount that cannot be read
    ",第四项目,经常性专项业务费,2020-01-01,2020-12-31,1000,1000",  # no unit
    _ROW,  # the same unit and project again
    "某局,第五项目,经常性专项业务费,2020-01-01,2020-12-31,1000,2000",  # 当年预算 above 总预算, locked
    "某局,第六项目,经常性专项业务费,2019-01-01,2020-12-31,1000,1000",  # a date outside the year, locked
    "某局," + "长" * 400 + ",经常性专项业务费,2020-01-01,2020-12-31,1000,1000",  # beyond the reader's limit
    "某局,第七项目,不存在的类别,2020-01-01,2020-12-31,1000,1000",
]) + "\n"))


@case("prefill-existing", PREFILL)
def _prefill_existing(t: Path) -> list:
    _write(t / "下发" / "某局_某项目.xlsx", b"x")
    return _prefill(t, f"{_HEADER}\n{_ROW}\n")


# --targets: approved goal tables --------------------------------------------------------------------------
def _targets(t: Path, *files) -> list:
    return ["--targets", *files]


def _goal(t: Path, name: str, **changes) -> Path:
    doc = load(EXAMPLE_JSON[1])
    for key, value in changes.items():
        doc[key] = value
    return _write(t / "批复" / name, json.dumps(doc, ensure_ascii=False))


def _goal_rule_fault(t: Path) -> list:
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["current_year"] = doc["budget"]["total"] * 2
    return _targets(t, _write(t / "批复" / "预算有误.json", json.dumps(doc, ensure_ascii=False)))


def _goal_same_ids(t: Path) -> list:
    doc = load(EXAMPLE_JSON[1])
    for ind in doc["indicators"][:2]:
        ind["id"] = "I001"
    return _targets(t, _write(t / "批复" / "编号重复.json", json.dumps(doc, ensure_ascii=False)))


TARGETS_BATCH = FROM_TARGETS
case("targets-missing-file", TARGETS_BATCH, 1)(lambda t: _targets(t, t / "批复" / "没有的目标表.json"))
case("targets-no-goal-table", TARGETS_BATCH, 1)(lambda t: _targets(t, _write(t / "批复" / "说明.txt", "说明").parent))
case("targets-bad-json", TARGETS_BATCH, 1)(lambda t: _targets(t, _write(t / "批复" / "坏.json", '{"unit": "某局",')))
case("targets-not-utf8", TARGETS_BATCH, 1)(
    lambda t: _targets(t, _write(t / "批复" / "编码.json", '{"unit": "某局"}', encoding="gbk")))
case("targets-nan", TARGETS_BATCH, 1)(lambda t: _targets(t, _write(t / "批复" / "非数.json", '{"year": NaN}')))
case("targets-not-goal-table", TARGETS_BATCH, 1)(lambda t: _targets(t, _write(t / "批复" / "数组.json", "[1]")))
case("targets-schema", TARGETS_BATCH, 1)(lambda t: _targets(t, _goal(t, "缺年度.json", year="二〇二〇")))
case("targets-rules", TARGETS_BATCH, 1)(_goal_rule_fault)
case("targets-duplicate-ids", TARGETS_BATCH, 1)(_goal_same_ids)
case("targets-not-a-workbook", TARGETS_BATCH, 1)(lambda t: _targets(t, _write(t / "批复" / "坏.xlsx", "不是工作簿")))
case("targets-other-form", TARGETS_BATCH, 2)(  # returns of other forms only: no goal table, the run stops
    lambda t: _targets(t, shutil.copy(SE_RETURN, _write(t / "批复" / "x", "").parent / "自评.xlsx")))


@case("targets-existing", TARGETS_BATCH, 1)
def _targets_existing(t: Path) -> list:
    for folder in ("自评下发", "监控下发"):
        _write(t / folder / "上海市就业促进中心_促进就业专项资金.xlsx", b"x")
    return _targets(t, EXAMPLE_JSON[1])


@case("targets-input-overwritten", ("template-self-evaluation",), 1)
def _targets_input(t: Path) -> list:
    goal = _write(t / "自评下发" / "上海市就业促进中心_促进就业专项资金.xlsx", b"")
    from xlgoals import fill

    goal.unlink()
    fill(load(EXAMPLE_JSON[1]), goal)
    return ["--force", *_targets(t, goal)]


case("targets-validate-missing", ("validate-self-evaluation",))(lambda t: _targets(t, t / "没有的批复"))
case("targets-validate-none", ("validate-self-evaluation",))(
    lambda t: _targets(t, _write(t / "批复" / "说明.txt", "说明").parent))
case("targets-validate-unusable", ("validate-self-evaluation",), 1)(
    lambda t: _targets(t, _write(t / "批复" / "坏.json", '{"unit": "某局",'), EXAMPLE_JSON[1]))


# --weights: the self-evaluation's points ------------------------------------------------------------------
WEIGHTS = ("template-self-evaluation", "validate-self-evaluation")


def _weights(t: Path, content) -> list:
    text = content if isinstance(content, (str, bytes)) else json.dumps(content, ensure_ascii=False)
    return ["--weights", _write(t / "分值.json", text), "--targets", EXAMPLE_JSON[1]]


_POINTS = {"funds": 10, "level1": [{"names": ["投入与管理"], "points": 20}, {"names": ["产出目标"], "points": 40},
                                   {"names": ["效果目标"], "points": 20}, {"names": ["影响力目标"], "points": 10}]}
case("weights-missing", WEIGHTS)(lambda t: ["--weights", t / "没有的分值.json", "--targets", EXAMPLE_JSON[1]])
case("weights-folder", WEIGHTS)(lambda t: ["--weights", (t / "分值").mkdir() or t / "分值", "--targets", EXAMPLE_JSON[1]])
case("weights-bad-json", WEIGHTS)(lambda t: _weights(t, '{"funds": 10,, }'))
case("weights-duplicate-key", WEIGHTS)(lambda t: _weights(t, '{"funds": 10, "funds": 20}'))
case("weights-nan", WEIGHTS)(lambda t: _weights(t, '{"funds": Infinity}'))
case("weights-encoding", WEIGHTS)(lambda t: _weights(t, '{"note": "说明"}'.encode("utf-16")))
case("weights-not-object", WEIGHTS)(lambda t: _weights(t, [10, 90]))
case("weights-unknown-key", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "资金": 10}))
case("weights-funds", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "funds": "十"}))
case("weights-level1-empty", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "level1": []}))
case("weights-item-shape", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "level1": [{"名称": ["产出目标"]}]}))
case("weights-names", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "level1": [{"names": "产出目标", "points": 90}]}))
case("weights-name-twice", WEIGHTS)(
    lambda t: _weights(t, {**_POINTS, "level1": [{"names": ["产出目标"], "points": 45}] * 2}))
case("weights-total", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "funds": 20}))
case("weights-note", WEIGHTS)(lambda t: _weights(t, {**_POINTS, "note": ["说明"]}))
case("weights-uncovered-level1", ("template-self-evaluation",), 1)(
    lambda t: _weights(t, {"funds": 10, "level1": [{"names": ["产出目标"], "points": 90}]}))
case("weights-without-self-evaluation", ("template",))(lambda t: ["--weights", _write(t / "分值.json", "{}")])
case("weights-without-targets", ("validate",))(lambda t: ["--weights", _write(t / "分值.json", "{}")])


# --review-config ------------------------------------------------------------------------------------------
def _review_config(t: Path, content) -> list:
    text = content if isinstance(content, (str, bytes)) else json.dumps(content, ensure_ascii=False)
    return ["--review-config", _write(t / "本局审核.json", text)]


case("review-config-missing", REVIEWED)(lambda t: ["--review-config", t / "没有的审核.json"])
case("review-config-folder", REVIEWED)(lambda t: ["--review-config", (t / "审核").mkdir() or t / "审核"])
case("review-config-bad-json", REVIEWED)(lambda t: _review_config(t, "{'checks': {}}"))
case("review-config-encoding", REVIEWED)(lambda t: _review_config(t, '{"description": "说明"}'.encode("utf-16")))
case("review-config-not-object", REVIEWED)(lambda t: _review_config(t, "[]"))
case("review-config-unknown-key", REVIEWED)(lambda t: _review_config(t, {"阈值": {}}))
case("review-config-section", REVIEWED)(lambda t: _review_config(t, {"checks": []}))
case("review-config-score-key", REVIEWED)(lambda t: _review_config(t, {"score": {"满分": 100}}))
case("review-config-score-value", REVIEWED)(lambda t: _review_config(t, {"score": {"max_count": -1}}))
case("review-config-weight", REVIEWED)(lambda t: _review_config(t, {"weights": {"review.vague_target": "高"}}))
case("review-config-check-kind", REVIEWED)(lambda t: _review_config(t, {"checks": {"模糊": {}}}))
case("review-config-params", REVIEWED)(lambda t: _review_config(t, {"checks": {"review_vague": []}}))
case("review-config-param-name", REVIEWED)(lambda t: _review_config(t, {"checks": {"review_vague": {"词表": []}}}))
case("review-config-param-value", REVIEWED)(
    lambda t: _review_config(t, {"checks": {"review_rows_per_level2": {"max": "十"}}}))


# --previous: last year's returns ----------------------------------------------------------------------------
@case("previous-unusable", REVIEWED, 0)  # each file is a notice; the review goes on
def _previous_unusable(t: Path) -> list:
    last = t / "上年"
    _write(last / "说明.txt", "上年的说明")
    _write(last / "坏.xlsx", "不是工作簿")
    _write(last / "坏.json", '{"unit": "某局",')
    _write(last / "编码.json", '{"unit": "某局"}', encoding="gbk")
    _write(last / "数组.json", "[1]")
    _write(last / "非数.json", '{"year": 1e999}')
    doc = load(EXAMPLE_JSON[0])
    del doc["unit"]
    _write(last / "无单位.json", json.dumps(doc, ensure_ascii=False))
    return ["--previous", last]


case("previous-missing", REVIEWED)(lambda t: ["--previous", t / "没有的上年"])


# fill DOCUMENT and read FILE: the document or workbook given ------------------------------------------------------
def _document(t: Path, content) -> list:
    text = content if isinstance(content, (str, bytes)) else json.dumps(content, ensure_ascii=False)
    return [_write(t / "文档.json", text)]


DOCUMENT = ("fill-document",)
case("document-missing", DOCUMENT, 2)(lambda t: [t / "没有的文档.json"])  # a usage error, as every input (mendDF)
case("document-folder", DOCUMENT)(lambda t: [(t / "文档").mkdir() or t / "文档"])
case("document-bad-json", DOCUMENT, 1)(lambda t: _document(t, '{"unit": "某局"'))
case("document-not-utf8", DOCUMENT, 1)(lambda t: _document(t, '{"unit": "某局"}'.encode("gbk")))
case("document-nan", DOCUMENT, 1)(lambda t: _document(t, '{"budget": {"total": NaN}}'))
case("document-not-object", DOCUMENT, 1)(lambda t: _document(t, "[]"))
case("document-schema", DOCUMENT, 1, data=["/单位"])(  # the document's own name, as its JSON path
    lambda t: _document(t, {**load(EXAMPLE_JSON[0]), "year": "二〇二〇", "单位": 1}))
case("document-form", DOCUMENT, 1)(lambda t: _document(t, {**load(EXAMPLE_JSON[0]), "form": "报表"}))
case("document-framework", DOCUMENT, 1)(lambda t: _document(t, {**load(EXAMPLE_JSON[0]), "framework": "没有的体系"}))
case("document-too-long", DOCUMENT, 1)(lambda t: _document(t, {**load(EXAMPLE_JSON[0]), "unit": "长" * 3000}))
case("document-digits", DOCUMENT, 1)(
    lambda t: _document(t, {**load(EXAMPLE_JSON[0]), "budget": {"total": 1234567890123456789, "current_year": 1.005}}))
case("read-not-a-workbook", ("read-file",), 1)(lambda t: [_write(t / "申报.xlsx", "不是工作簿")])


def _command_line(command: str, tmp_path: Path, c: Case) -> list:
    name = command.split("-")[0]
    base = BASE[command](tmp_path)
    given = c.setup(tmp_path)
    if command == "fill-document":
        return [name, *given, *base]
    return [name, *base, *given]


SHEETS = sorted({name for form in FORMS.values() for name in form.sheets})
COMPARATORS = ["＝", "＞", "＜"]  # a target as the form shows it (＝100)


def _data(tmp_path: Path, args: list) -> list[str]:
    """What the output may quote of the bureau's own: the paths given and every file made, and their names; and the
    sheet names of the workbooks (a cell is named by its sheet)."""
    paths = [a for a in args if isinstance(a, Path)] + list(tmp_path.rglob("*"))
    return [str(p) for p in paths] + [p.name for p in paths] + [str(p.parent) for p in paths] + SHEETS + COMPARATORS


PAIRS = [(c, command) for c in CASES for command in c.commands]


@pytest.mark.parametrize("c,command", PAIRS, ids=[f"{c.name}-{command}" for c, command in PAIRS])
def test_a_bad_bureau_file_is_told_in_english(tmp_path, c, command):
    args = _command_line(command, tmp_path, c)
    en = cli(*args, "--lang", "en")
    said = en.output
    if c.code is not None:
        assert en.exit_code == c.code, said
    assert "Traceback" not in said, said
    data = [*_data(tmp_path, args), *c.data]
    assert cjk_outside_data(said, data=data) == [], said
    assert re.search(r"\b(Error|error|cannot|not)\b", said) and "No such option" not in said, said
    # the default run says it in Chinese (the files are made anew: a case may write outputs)
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    zh = cli(*_command_line(command, tmp_path, c))
    assert zh.exit_code == en.exit_code, zh.output
    assert re.search(_CJK, zh.output) and "Error: " not in zh.output, zh.output
    faults = [line for line in zh.output.splitlines() if line.startswith(("错误：", "Error"))]
    assert all(line.startswith("错误：") for line in faults), zh.output
    # the same fault, in the other language: as many error lines, naming the same files
    assert len(faults) == len([line for line in said.splitlines() if line.startswith("Error: ")]), (said, zh.output)
    named = [d for d in data if "/" in d]
    assert {d for d in named if d in said} == {d for d in named if d in zh.output}, (said, zh.output)


COMMANDS = ("frameworks", "schema", "template", "fill", "read", "validate", "consolidate")


@pytest.mark.parametrize("command", (None, *COMMANDS))
@pytest.mark.parametrize("where", ("after", "before", "first", "short"))
def test_help_follows_lang_en(command, where):
    """--help in English wherever --lang en is given: after --help, before it, or before the command."""
    cmd = [command] if command else []
    args = {"after": [*cmd, "--help", "--lang", "en"], "before": [*cmd, "--lang=en", "--help"],
            "first": ["--lang", "en", *cmd, "--help"], "short": [*cmd, "-h", "--lang", "en"]}[where]
    en = cli(*args)
    assert en.exit_code == 0, en.output
    assert "Usage: " in en.output and "[OPTIONS]" in en.output and "Options:" in en.output and "Show this message and exit." in en.output
    assert "Exit codes:" in en.output or command is None
    # the library's column headings (一级, 二级 …) are the form's words: data
    assert cjk_outside_data(en.output, data=["一级", "二级", "三级", "计量单位", "说明"]) == [], en.output
    zh = cli(*cmd, "--help")
    assert "用法:" in zh.output and "退出码" in zh.output or command is None
    assert "显示本帮助并退出。" in zh.output and "Show this message" not in zh.output


def test_help_in_english_from_the_console_script():
    """As a user runs it (the command line read from sys.argv, not handed to click by a test)."""
    en = run_cli("template", "--help", "--lang", "en")
    assert en.returncode == 0 and "xlgoals template [OPTIONS]" in en.stdout
    assert "the template to write" in en.stdout and cjk_outside_data(en.stdout) == []
    zh = run_cli("template", "--help")
    assert "xlgoals template [选项]" in zh.stdout and "输出的模板文件" in zh.stdout


def test_english_once_then_chinese_again_in_one_process():
    """The help option click keeps from one run to the next, the version line: each run speaks its own language."""
    assert "Show this message and exit." in cli("validate", "--help", "--lang", "en").output
    zh = cli("validate", "--help")
    assert "显示本帮助并退出。" in zh.output and "校验收到的工作簿" in zh.output
    assert cli("--version", "--lang", "en").output.startswith("xlgoals, version ")
    assert cli("--version").output.startswith("xlgoals，版本 ")
    assert "template [OPTIONS]" in cli("template", "--lang", "zh", "--lang", "en", "--help").output  # the last wins
    assert "template [选项]" in cli("template", "--lang", "en", "--lang", "zh", "--help").output


# The self-evaluation's scoring table (schema/scoring.csv): no option, the installed file edited -----------------
def _scoring_row(line: int, column: str, value: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO((ROOT / "schema" / "scoring.csv").read_text(encoding="utf-8"))))
    rows[line - 1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


SCORING_FAULTS = {
    "expression-syntax": (2, "when", "full_year_budget >"),
    "expression-node": (2, "when", "full_year_budget >> 0"),
    "expression-name": (2, "score", "points * 比例"),
    "expression-call": (2, "score", "abs(points)"),
    "expression-constant": (2, "when", "full_year_budget != None"),
    "applies-blank": (3, "applies_to", ""),
    "applies-unknown": (3, "applies_to", "大于"),
    "formula-blank": (3, "formula_en", ""),
    "band-shape": (next(i for i, line in enumerate((ROOT / "schema" / "scoring.csv").read_text(encoding="utf-8")
                                                     .splitlines(), 1) if ",qualitative," in line), "band", "80%—100%"),
    "band-misplaced": (2, "band", "[0.8, 1]"),
}


@pytest.fixture
def scoring_installed(tmp_path, monkeypatch):
    """The installed scoring table replaced by `write(text)` (the cache cleared before and after)."""
    from xlgoals._selfeval import _scoring

    folder = tmp_path / "schema"
    folder.mkdir()
    monkeypatch.setattr(_scoring, "data_dir", lambda name: folder)
    _scoring._load.cache_clear()
    yield lambda text: (folder / "scoring.csv").write_text(text, encoding="utf-8") and folder / "scoring.csv"
    _scoring._load.cache_clear()


@pytest.mark.parametrize("fault", SCORING_FAULTS)
def test_a_bad_scoring_table_is_told_in_english_once_before_anything_is_read(tmp_path, scoring_installed, fault):
    """A scoring table edited into a fault was said in Chinese only, whatever --lang, and on each self-evaluation as
    a damaged workbook (file.crashed, exit 1).  It is the configuration's fault: one line, exit 2, in the run's
    language, as a bad --rules is."""
    line, column, value = SCORING_FAULTS[fault]
    path = scoring_installed(_scoring_row(line, column, value))
    en = cli("validate", SE_RETURN, "--lang", "en")
    assert en.exit_code == 2 and en.output.count("\n") == 1, en.output
    assert en.output.startswith(f"Error: {path} line {line}: "), en.output
    assert cjk_outside_data(en.output, paths=[path]) == [], en.output
    zh = cli("validate", SE_RETURN)
    assert zh.exit_code == 2 and zh.output.startswith(f"错误：{path} 第 {line} 行："), zh.output
    assert "file.crashed" not in en.output + zh.output


@pytest.mark.parametrize("command", ["validate", "consolidate"])
def test_a_bad_scoring_table_stops_a_batch_once(tmp_path, scoring_installed, command):
    """In a folder checked on two workers, the fault is met by whichever first scores a self-evaluation: the run
    stops with the one line, exit 2, and writes nothing; no file is reported as damaged for it."""
    import shutil

    line, column, value = SCORING_FAULTS["expression-name"]
    path = scoring_installed(_scoring_row(line, column, value))
    inbox = tmp_path / "inbox"
    shutil.copytree(SE_RETURN.parent, inbox)
    args = ["-o", tmp_path / "out.xlsx"] if command == "consolidate" else ["--format", "json", "-o", tmp_path / "out.json"]
    result = cli(command, inbox, "--jobs", "2", *args)
    assert result.exit_code == 2, result.output
    assert f"{path} 第 {line} 行" in result.output and "file.crashed" not in result.output, result.output
    assert not (tmp_path / "out.xlsx").exists() and not (tmp_path / "out.json").exists()


def test_a_batch_stopped_by_a_bad_scoring_table_ends_its_progress_line(tmp_path, scoring_installed):
    """The bar is drawn every 25 files without a line end; a fault met on the 26th stopped the run with the bar's
    line left open, so the error line was written on the end of it (读取与校验 ███ 25/26 (96%)错误：…)."""
    import io

    from xlgoals import consolidate
    from xlgoals._consolidate import TerminalProgress
    from xlgoals._errors import ConfigError

    line, column, value = SCORING_FAULTS["expression-name"]
    scoring_installed(_scoring_row(line, column, value))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(25):  # files that are never scored: read and reported as not workbooks
        (inbox / f"{i:02d}_说明.xlsx").write_bytes(b"%PDF-1.4 not a workbook")
    shutil.copy(SE_RETURN, inbox / "99_自评.xlsx")
    bar = io.StringIO()
    with pytest.raises(ConfigError):
        consolidate(inbox, tmp_path / "out.xlsx", jobs=1, progress=TerminalProgress(stream=bar))
    assert "25/26" in bar.getvalue() and bar.getvalue().endswith("\n"), repr(bar.getvalue())
    assert not (tmp_path / "out.xlsx").exists()
