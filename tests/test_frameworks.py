"""Frameworks are data: a new JSON file under templates/ is a new framework, with no code."""

import json
import re

import openpyxl
import pytest

from xlgoals import ConfigError, XlgoalsError, fill, list_frameworks, load_framework, read, validate_file, write_template
from xlgoals._resources import data_dir
from .conftest import EXAMPLE_XLSX
from .helpers import F

EXAMPLE = EXAMPLE_XLSX[0]


def test_shipped_frameworks():
    ids = [fw.id for fw in list_frameworks()]
    assert ids == ["national-2021", "shanghai-2020", "shanghai-2025"]
    sh = load_framework("shanghai-2020")
    assert sh.level1_names == ["投入与管理", "产出目标", "效果目标", "影响力目标"]
    assert {"投入管理", "财务管理", "实施管理"} == set(sh.level2_of["投入与管理"])
    assert len(sh.prefilled_rows) == 9 and sh.optional_columns == ()
    nat = load_framework("national-2021")
    assert nat.level2_of["成本指标"] == ("经济成本指标", "社会成本指标", "生态环境成本指标")
    assert nat.level2_of["效益指标"] == ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标")
    assert nat.level2_of["满意度指标"] == ("服务对象满意度指标",)
    assert nat.optional_columns == ("basis", "weight")


def test_seed_categories_all_present(example_docs):
    sh = load_framework("shanghai-2020")
    for doc in example_docs:
        for ind in doc["indicators"]:
            assert ind["level2"] in sh.level2_of[ind["level1"]], ind


def _demo_spec():
    spec = json.loads((data_dir("templates") / "national-2021.json").read_text(encoding="utf-8"))
    for key in ("review", "notes"):  # they name national-2021's categories, replaced below
        spec.pop(key)
    spec.update(id="demo-2025", title="演示指标体系（2025）", optional_columns=["weight"],
                level1=[{"name": "产出指标", "required": True, "level2": ["数量指标", "质量指标"]},
                        {"name": "效益指标", "required": False, "level2": ["社会效益指标"]}],
                # (the optional 效益指标 grouped with the required 产出指标: alone, its points could be given to no
                # indicator of a goal table without it, and the framework is refused, mendBQ)
                self_evaluation={"funds": 10, "level1": [{"names": ["产出指标", "效益指标"], "points": 90}]})
    return spec


def _demo_doc(*more: dict) -> dict:
    """A goal table of the demo framework: one 培训人次 row, then `more`."""
    return {"schema_version": "1", "framework": "demo-2025", "year": 2025, "unit": "某单位",
            "project": {"name": "演示项目"}, "budget": {"total": 10, "current_year": 5},
            "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "comparator": ">=",
                            "value": 100, "unit": "人次", "weight": 20}, *more]}


@pytest.fixture
def bureau_frameworks(tmp_path):
    """A bureau's own framework folder, outside the installed package."""
    folder = tmp_path / "bureau-frameworks"
    folder.mkdir()
    (folder / "demo-2025.json").write_text(json.dumps(_demo_spec(), ensure_ascii=False), encoding="utf-8")
    return folder


def test_new_framework_file_needs_no_code(bureau_frameworks, tmp_path):
    extra_framework, fws = "demo-2025", bureau_frameworks
    with pytest.raises(XlgoalsError):  # not packaged: only with the bureau's folder
        write_template(tmp_path / "t.xlsx", framework=extra_framework, year=2025)
    write_template(tmp_path / "t.xlsx", framework=extra_framework, year=2025, frameworks=fws)
    doc = {"schema_version": "1", "framework": extra_framework, "year": 2025, "unit": "某单位",
           "project": {"name": "演示项目"}, "budget": {"total": 10, "current_year": 5},
           "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "comparator": ">=",
                           "value": 100, "unit": "人次", "weight": 20},
                          {"level1": "效益指标", "level2": "质量指标", "name": "满意", "comparator": "qualitative",
                           "text": "高"}]}
    fill(doc, tmp_path / "r.xlsx", frameworks=fws)
    (unknown,) = read(tmp_path / "r.xlsx").problems
    assert unknown.code == "template.unknown"  # the bureau forgot frameworks=: the message says so, as the library
    assert "demo-2025" in unknown.message and "请用 frameworks= 给出" in unknown.message, unknown.message  # names it
    assert "give its folder with frameworks=" in unknown.message_en, unknown.message_en
    result = read(tmp_path / "r.xlsx", frameworks=fws)
    assert result.template["framework"] == extra_framework
    assert result.document["indicators"] == doc["indicators"]
    assert result.sources["/indicators/0/weight"] == f"{F.table.name}!H{F.table.first_row + 1}"
    codes = {(p.code, p.cell) for p in validate_file(tmp_path / "r.xlsx", frameworks=fws).problems}
    assert ("rule.level2_mismatch", f"C{F.table.first_row + 2}") in codes  # 质量指标 is not under 效益指标


def test_cli_frameworks_folder(bureau_frameworks, tmp_path):
    from .conftest import cli

    listed = cli("frameworks", "--frameworks", bureau_frameworks)
    assert listed.exit_code == 0 and "demo-2025" in listed.output and "shanghai-2020" in listed.output
    made = cli("template", "-o", tmp_path / "t.xlsx", "--framework", "demo-2025", "--frameworks", bureau_frameworks)
    assert made.exit_code == 0, made.output
    assert read(tmp_path / "t.xlsx", frameworks=bureau_frameworks).template["framework"] == "demo-2025"
    unknown = cli("template", "-o", tmp_path / "u.xlsx", "--framework", "demo-2025")
    assert unknown.exit_code == 2 and "未知的指标体系 'demo-2025'" in unknown.output


@pytest.mark.parametrize("change, says", [
    (lambda s: s.pop("labels"), "缺少“labels”"),
    (lambda s: s.update(level1=[]), "“level1”应为非空列表"),
    (lambda s: s["level1"][0].update(level2="数量指标"), "“level2”应为非空文本的列表"),
    (lambda s: s.update(comparators=["=", "≈"]), "未知的比较符 ≈"),
    (lambda s: s.update(optional_columns=["notes"]), "optional_columns 只能包含"),
    (lambda s: s.update(id="Demo 2025"), "应由小写字母、数字和连字符组成"),
    # the schema's pattern for a document's framework: with any other id, every return would fail it
    (lambda s: s.update(id="示例体系"), "应由小写字母、数字和连字符组成"),
    (lambda s: s.update(id="-demo"), "应由小写字母、数字和连字符组成"),
    (lambda s: s.update(id="demo-２０２５"), "应由小写字母、数字和连字符组成"),
    # a name with a space at either end (pasted from Excel): the reader strips the cell, so every return that
    # picked it from the dropdown would fail with 二级指标“数量指标”不属于…
    (lambda s: s["level1"][0]["level2"].__setitem__(0, "数量指标 "), "level1“产出指标”：“level2”中的“数量指标 ”首尾有空格"),
    (lambda s: s["level1"][1].update(name="　效益指标"), "level1 第 2 项的名称“　效益指标”首尾有空格"),
    (lambda s: s.update(units=["人", "人次 "]), "“units”中的“人次 ”首尾有空格"),
    # a name twice in one list: the dropdown shows it twice
    (lambda s: s["level1"][0]["level2"].append("数量指标"), "level1“产出指标”：“level2”中的“数量指标”重复"),
    # a key typed wrong, or a value a person types in quotes: the category not required, or required, unseen
    (lambda s: s["level1"][1].update(requried=True), "level1“效益指标”中未知的键 requried（可用：name, required, level2）"),
    (lambda s: s["level1"][1].update(required="否"), "level1“效益指标”的“required”应为 true 或 false（不加引号），实际为 \"否\""),
    (lambda s: s["level1"][1].update(required="false"), "的“required”应为 true 或 false（不加引号），实际为 \"false\""),
    # one 二级 under two 一级: the library's dropdown and level3_groups find a 二级 by its name
    (lambda s: s["level1"][1]["level2"].append("数量指标"),
     "二级指标“数量指标”同时列在“产出指标”和“效益指标”之下，二级指标的名称在体系中须唯一"),
    # labels: a column the framework cannot rename (left as it was), a blank or padded head, two columns alike
    (lambda s: s["labels"].update(unit="单位"), "labels 中未知的键 unit（可用：level1, level2, level3, target）"),
    (lambda s: s["labels"].update(level1=" "), "labels 中“level1”的“ ”为空或首尾有空格"),
    (lambda s: s["labels"].update(target="目标值 "), "labels 中“target”的“目标值 ”为空或首尾有空格"),
    (lambda s: s["labels"].update(level2="一级指标"), "labels 中有相同的列名"),
    (lambda s: s.update(title_en=2025), "“title_en”应为文本"),
    (lambda s: s.update(source=["财预〔2021〕101号"]), "“source”应为文本"),
    (lambda s: s.update(comparators=[]), "“comparators”不能为空"),
])
def test_a_bad_framework_file_is_refused_with_its_name(tmp_path, change, says):
    from .conftest import cli

    folder = tmp_path / "fw"
    folder.mkdir()
    spec = _demo_spec()
    change(spec)
    path = folder / "demo-2025.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read(EXAMPLE, frameworks=folder)
    assert str(path) in str(err.value) and says in str(err.value)
    result = cli("validate", EXAMPLE, "--frameworks", folder)
    assert result.exit_code == 2 and says in result.output


def test_framework_file_that_is_not_json(tmp_path):
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "x.json").write_text("{oops", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"x.json：不是有效的 JSON（第 1 行第 2 列"):
        read(EXAMPLE, frameworks=folder)
    with pytest.raises(ConfigError, match="找不到指标体系文件夹"):
        read(EXAMPLE, frameworks=tmp_path / "nope")


def test_the_guide_names_the_columns_as_the_frameworks_sheet_heads_them(tmp_path):
    """填表说明 told a department of a framework with its own labels to 先选择一级指标 … 指标目标值填写数字, columns its
    sheet heads 一级类别 and 目标值 (national-2021's and shanghai-2025's 指标值, shanghai-2020's 一级目标 too)."""
    import openpyxl

    folder = tmp_path / "fw"
    folder.mkdir()
    spec = _demo_spec()
    spec["labels"] = {"level1": "一级类别", "level2": "二级类别", "level3": "具体指标", "target": "目标值"}
    (folder / "demo-2025.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    cases = [("demo-2025", folder, ["先选择一级类别，再选择该一级类别下的二级类别，然后填写具体指标名称",
                                    "目标值填写数字", "目标值填写文字描述", "标注“必填”的每个一级类别至少填写一条",
                                    "同一项目内具体指标名称不要重复"]),
             ("national-2021", None, ["先选择一级指标", "，指标值填写数字", "，指标值填写文字描述"]),
             ("shanghai-2020", None, ["先选择一级目标，再选择该一级目标下的二级目标，然后填写三级目标名称",
                                      "指标目标值填写数字", "每个一级目标至少填写一条"])]
    for fid, frameworks, says in cases:
        path = write_template(tmp_path / f"{fid}.xlsx", framework=fid, year=2025, frameworks=frameworks)
        wb = openpyxl.load_workbook(path)
        table = wb[F.table.name]
        heads = [c.value for c in table[F.table.header_row + 1]]
        guide = "\n".join(str(c.value) for c in wb[F.guide.name]["A"] if c.value)
        for text in says:
            assert text in guide, (fid, text, guide)
        if fid == "demo-2025":
            assert heads[1:4] == ["一级类别", "二级类别", "具体指标"] and "目标值" in heads
            assert not {"一级指标", "二级指标", "三级指标", "指标目标值"} & set(re.findall(
                r"[一二三]级指标|指标目标值", guide.split("一级类别及其二级类别")[0])), guide


def test_a_bureaus_own_framework_end_to_end_typed_in_libreoffice(tmp_path, lo_edit):
    """A bureau's framework with its own labels: template, typed by a department in LibreOffice, validated with the
    messages naming the columns as its sheet heads them, corrected, consolidated."""
    from xlgoals import consolidate

    from .helpers import ind_cell, info_cell, lo_cell

    folder = tmp_path / "本局指标体系"
    folder.mkdir()
    spec = _demo_spec()
    spec["labels"] = {"level1": "一级类别", "level2": "二级类别", "level3": "具体指标", "target": "目标值"}
    (folder / "demo-2025.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    template = write_template(tmp_path / "模板.xlsx", framework="demo-2025", year=2025, frameworks=folder)
    fields = {"/unit": "某区人社局", "/project/name": "职业培训", "/project/category": "其他运转类项目",
              "/project/start_date": "2025-01-01", "/project/end_date": "2025-12-31",
              "/project/government_procurement": "否", "/project/performance_type": "其他类",
              "/budget/total": "1000000", "/budget/current_year": "1000000", **{
                  p: "本项目按年度计划组织实施，资金专款专用，分季度开展培训并跟踪评估，确保目标按期完成。"
                  for p in ("/project/overview", "/project/basis", "/project/necessity", "/project/safeguards",
                            "/project/plan", "/project/goals")}}
    rows = [("产出指标", "数量指标", "培训人数", "≥", "1000", "人"),
            ("效益指标", "数量指标", "就业率", "≥", "80", "%")]  # 数量指标 is no 二级 of 效益指标
    edits = [{**lo_cell(info_cell(p)), "input": v} for p, v in fields.items()]
    for i, row in enumerate(rows):
        for key, value in zip(("level1", "level2", "name", "comparator", "target", "unit"), row):
            edits.append({**lo_cell(ind_cell(i, key)), "input": value})
    typed = lo_edit(template, tmp_path / "申报.xlsx", edits)
    problems = [p for p in validate_file(typed, frameworks=folder).problems if p.severity == "error"]
    assert [(p.code, p.cell, p.field, p.message) for p in problems] == [
        ("rule.level2_mismatch", ind_cell(1, "level2")[1], "第2条指标的二级类别",
         "二级类别“数量指标”不属于一级类别“效益指标”，应为：社会效益指标，请从下拉列表中选择")], problems
    (tmp_path / "改正").mkdir()
    fixed = lo_edit(typed, tmp_path / "改正" / "申报.xlsx", [{**lo_cell(ind_cell(1, "level2")), "input": "社会效益指标"}])
    assert validate_file(fixed, frameworks=folder).passes()
    consolidate([fixed.parent], tmp_path / "汇总.xlsx", frameworks=folder)
    sheet = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["绩效指标"]
    names = [r[4] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["培训人数", "就业率"], names


def test_a_comparator_the_framework_does_not_offer_is_an_error_at_its_cell(tmp_path):
    """A framework listing ＝ ≥ ≤ and 定性 only: its dropdown offers those, but a ＞ pasted in (or let past the
    list by a client) passed validate.  It is rule.comparator_unknown at the cell, naming what the framework offers."""
    spec = _demo_spec()
    spec["comparators"] = ["=", ">=", "<=", "qualitative"]
    folder = tmp_path / "本局体系"
    folder.mkdir()
    (folder / "demo-2025.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    doc = _demo_doc({"level1": "产出指标", "level2": "质量指标", "name": "合格率", "comparator": ">",
                     "value": 90, "unit": "%", "weight": 10})
    fill(doc, tmp_path / "r.xlsx", frameworks=folder)
    problems = [p for p in validate_file(tmp_path / "r.xlsx", frameworks=folder).problems
                if p.code == "rule.comparator_unknown"]
    assert [(p.sheet, p.cell) for p in problems] == [(F.table.name, f"E{F.table.first_row + 2}")]
    assert "＞" in problems[0].message and "＝、≥、≤、定性" in problems[0].message and "demo-2025" in problems[0].message
    # the form says what the framework offers: the guide's line 五 and the comparator column's prompt and error
    import openpyxl

    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    guide = [c.value for c in wb.worksheets[0]["A"] if isinstance(c.value, str) and c.value.startswith("五、")]
    assert guide and "选择 ＝、≥、≤ 之一" in guide[0], guide
    dv = next(d for d in wb[F.table.name].data_validations.dataValidation if str(d.sqref).startswith("E"))
    assert "＝、≥、≤" in dv.prompt and "＞" not in dv.prompt and "＞" not in dv.error, (dv.prompt, dv.error)
    doc["indicators"][1]["comparator"] = ">="
    fill(doc, tmp_path / "ok.xlsx", frameworks=folder)
    assert not [p for p in validate_file(tmp_path / "ok.xlsx", frameworks=folder).problems
                if p.code == "rule.comparator_unknown"]


def test_unknown_keys_of_a_bureau_file_are_refused_one_way():
    """Framework files (top level, labels, a level1 category, review) and the review configuration refuse a key
    they do not know through one refuse_unknown_keys: located, the unknown keys sorted, the known ones listed,
    in both languages; known keys only pass."""
    from xlgoals._errors import ConfigError
    from xlgoals._resources import refuse_unknown_keys

    refuse_unknown_keys({"a": 1}, ("a", "b"), "f.json")
    with pytest.raises(ConfigError) as top:
        refuse_unknown_keys({"z": 1, "a": 1, "y": 2}, ("a", "b"), "f.json")
    assert str(top.value) == "f.json：未知的键 y, z（可用：a, b）"
    assert top.value.args[0].en == "f.json: unknown key 'y', 'z' (known: a, b)"
    with pytest.raises(ConfigError) as inner:
        refuse_unknown_keys({"x": 1}, ("a",), "f.json", ("review 中", "in review"))
    assert str(inner.value) == "f.json：review 中未知的键 x（可用：a）"
    assert inner.value.args[0].en == "f.json: unknown key 'x' in review (known: a)"


def _framework_problems(problems):
    return [p for p in problems if p.path == "/framework" or p.code == "schema.framework_unknown"]


def test_a_document_of_an_unknown_framework_is_a_located_problem(example_docs):
    """validate_document with a framework no loaded file defines returned no problem at all (no rule could run):
    the document passed, and with review=True gave no notice.  It is one error at /framework, naming the frameworks
    loaded and how to give a bureau's own, in both languages; nothing else is said of the document."""
    from xlgoals import validate_document

    doc = {**example_docs[1], "framework": "nope"}
    for review in (None, True):
        found = validate_document(doc, review=review)
        # reviewed, the review says why it gives no score (review.framework_unknown; tests/test_silent_results.py)
        assert [(p.code, p.path, p.severity) for p in found] == [("schema.framework_unknown", "/framework", "error")] \
            + ([("review.framework_unknown", "/framework", "notice")] if review else [])
        p = found[0]
        assert p.value == "nope" and "“nope”" in p.message and "shanghai-2020" in p.message, p.message
        assert "frameworks=" in p.message and "frameworks=" in p.message_en, p.message_en
        assert "'nope'" in p.message_en and "national-2021" in p.message_en, p.message_en
    # a framework the schema already rejects (not text, not an id) is said once, by the schema
    assert [p.code for p in _framework_problems(validate_document({**example_docs[1], "framework": 123}))] == [
        "schema.type"]
    assert [p.code for p in _framework_problems(validate_document({**example_docs[1], "framework": ""}))] == [
        "schema.format"]


def test_a_workbook_read_with_a_framework_not_loaded_for_its_check_is_not_scored(bureau_frameworks, tmp_path):
    """A return read with the bureau's frameworks and checked with a configuration without them (the library's
    check of a read result): no rule ran, nothing was said, and the review scored it 100.  It is one error at the
    stamp cell that names the framework, and no review score."""
    from xlgoals import Config, load_review
    from xlgoals._check._validate import check_result

    write_template(tmp_path / "t.xlsx", framework="demo-2025", year=2025, frameworks=bureau_frameworks)
    doc = _demo_doc()
    fill(doc, tmp_path / "r.xlsx", frameworks=bureau_frameworks)
    result = read(tmp_path / "r.xlsx", frameworks=bureau_frameworks)
    assert result.problems == [], result.problems
    cfg = Config.load()
    report = check_result(result, cfg, load_review(config=cfg))
    found = _framework_problems(report.problems)
    stamp = result.sources["/framework"].split("!")[1]
    assert [(p.code, p.sheet, p.cell) for p in found] == [
        ("schema.framework_unknown", F.info.name, stamp),
        ("review.framework_unknown", F.info.name, stamp)], report.problems  # the review says why it gives no score
    assert report.review_score is None
    assert not report.passes()
