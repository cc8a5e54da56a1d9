"""mendBQ: points, weights and scoring as a bureau's data (red team 25i).

1. A bureau correcting its framework's self-evaluation points after issuing templates: one self.points_source notice
   (the template's stamp records the digest of the framework's points), not self.target_changed on every 分值.
2. A --weights file holding exactly the framework's points is the same scheme: compared, nothing said.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import openpyxl
import pytest

from xlgoals import fill, read, self_evaluation_templates, validate

from .helpers import ooxml_errors

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "templates" / "national-2021.json"
NAT_GOAL = ROOT / "examples" / "national-2021" / "目标表.json"
NAT_SELF = ROOT / "examples" / "national-2021" / "自评表.json"


def _stamp(wb) -> str:
    return next(str(c.value) for ws in wb for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


def _codes(report, code):
    return [p for f in report.files for p in f.problems if p.code == code]


def _frameworks(tmp_path, **changes):
    """A bureau's folder holding national-2021 as demo-2026; `changes` applied to its self_evaluation section."""
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))
    d["id"], d["notes"] = "demo-2026", {}
    for key, value in changes.items():
        if key == "level1_0":
            d["self_evaluation"]["level1"][0]["points"] = value
        else:
            d["self_evaluation"][key] = value
    folder = tmp_path / ("fw" + "".join(f"_{k}{v}" for k, v in changes.items()))
    folder.mkdir()
    (folder / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    return folder


def _issued_and_returned(tmp_path, fw, goal_changes=None):
    """The goal table filled under `fw`, the self-evaluation template made from it, and that template filled with
    the national example's results: (goal.xlsx, template, return)."""
    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    g["framework"] = "demo-2026"
    if goal_changes:
        goal_changes(g)
    goal = fill(g, tmp_path / "goal.xlsx", frameworks=fw)
    made = self_evaluation_templates(goal, tmp_path / "t", frameworks=fw)
    template = next((tmp_path / "t").glob("*.xlsx"))
    blank = read(template, frameworks=fw).document
    s = json.loads(NAT_SELF.read_text(encoding="utf-8"))
    ret = copy.deepcopy(blank)
    ret["funds"], ret["overall"], ret["contact"] = s["funds"], s["overall"], s["contact"]
    ret["funds"]["points"] = blank["funds"]["points"]
    for b, x in zip(ret["indicators"], s["indicators"], strict=True):
        for k in ("actual", "score", "grade", "deviation"):
            if k in x:
                b[k] = x[k]
    # scores as the points the template gave: each row its 分值 (on target), the funds by its execution rate
    for b in ret["indicators"]:
        b["score"] = b["points"]
    out = fill(ret, tmp_path / "ret.xlsx", frameworks=fw)
    return goal, template, out, made


def test_framework_points_changed_after_issuing_is_the_bureaus_slip(tmp_path):
    issued = _frameworks(tmp_path)
    corrected = _frameworks(tmp_path, funds=20, level1_0=40)
    goal, template, ret, _ = _issued_and_returned(tmp_path, issued)
    assert ooxml_errors(template) == []
    as_issued = validate(ret, targets=goal, frameworks=issued)
    assert as_issued.files[0].problems == [] or not any(p.is_error for p in as_issued.files[0].problems), \
        as_issued.files[0].problems
    report = validate(ret, targets=goal, frameworks=corrected)
    codes = sorted(p.code for p in report.files[0].problems)
    said = _codes(report, "self.points_source")
    assert len(said) == 1 and said[0].severity == "notice", codes
    assert not any(c.startswith("self.target_changed") or c.startswith("self.score") for c in codes), codes
    assert "指标体系" in said[0].message and "改动" in said[0].message, said[0].message
    assert report.files[0].passes(False) and report.valid
    # the same return checked with a --weights file holding the points it was issued with: compared, nothing said
    w = tmp_path / "issued.json"
    w.write_text(json.dumps(json.loads(NATIONAL.read_text(encoding="utf-8"))["self_evaluation"], ensure_ascii=False),
                 encoding="utf-8")
    again = validate(ret, targets=goal, frameworks=corrected, weights=w)
    assert _codes(again, "self.points_source") == [] and again.valid, again.files[0].problems


def test_a_changed_points_value_is_still_the_departments_change(tmp_path):
    """The framework unchanged: a 分值 typed over in the return is still self.target_changed at its cell."""
    issued = _frameworks(tmp_path)
    goal, template, ret, _ = _issued_and_returned(tmp_path, issued)
    doc = read(ret, frameworks=issued).document
    doc["indicators"][0]["points"] = 20
    changed = fill(doc, tmp_path / "changed.xlsx", frameworks=issued)
    report = validate(changed, targets=goal, frameworks=issued)
    assert [p.path for p in _codes(report, "self.target_changed")] == ["/indicators/0/points"]
    assert _codes(report, "self.points_source") == []


def test_old_stamps_saying_framework_are_still_read(tmp_path):
    """A return whose stamp says points=framework (made before stamps kept the digest): compared as before."""
    from .helpers import edited

    issued = _frameworks(tmp_path)
    goal, template, ret, _ = _issued_and_returned(tmp_path, issued)
    wb = openpyxl.load_workbook(ret)
    stamp = _stamp(wb)
    where = next((ws.title, c.coordinate) for ws in wb for row in ws.iter_rows() for c in row if c.value == stamp)
    assert "|points=framework:" in stamp, stamp
    old = edited(ret, tmp_path / "old.xlsx", {where: stamp.split("|points=")[0] + "|points=framework"})
    assert not any(p.is_error for p in validate(old, targets=goal, frameworks=issued).files[0].problems)
    doc = read(old, frameworks=issued).document
    assert doc.get("points_source", {}).get("points") in (None, "framework")


def test_weights_equal_to_the_frameworks_points_are_compared(tmp_path):
    """02b: national-2021's example checked with a --weights file holding national-2021's own points."""
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))["self_evaluation"]
    d.pop("note", None)
    same = tmp_path / "same.json"
    same.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    goal = fill(json.loads(NAT_GOAL.read_text(encoding="utf-8")), tmp_path / "goal.xlsx")
    self_evaluation_templates(goal, tmp_path / "t")
    template = next((tmp_path / "t").glob("*.xlsx"))
    report = validate(template, targets=goal, weights=same)
    assert _codes(report, "self.points_source") == [], [p.message for f in report.files for p in f.problems]


def test_packaged_example_with_weights_equal_to_its_frameworks_points(tmp_path):
    """02b as the red team ran it: the packaged national-2021 self-evaluation (its stamp says points=framework, made
    before the digest was kept) with a --weights file of national-2021's own points: compared, nothing said; a
    points file of other points is still said once."""
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))["self_evaluation"]
    d.pop("note", None)
    same = tmp_path / "same.json"
    same.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    # (the packaged example as it was then, kept as a fixture: the example is now made with the digest)
    example = ROOT / "tests" / "fixtures" / "self-evaluation-national-old-stamp.xlsx"
    assert _stamp(openpyxl.load_workbook(example)).endswith("|points=framework")
    goal = ROOT / "examples" / "national-2021" / "目标表.xlsx"
    report = validate(example, targets=goal, weights=same)
    assert _codes(report, "self.points_source") == [], [p.message for f in report.files for p in f.problems]
    d["funds"], d["level1"][0]["points"] = 20, 40
    other = tmp_path / "other.json"
    other.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    said = _codes(validate(example, targets=goal, weights=other), "self.points_source")
    assert len(said) == 1 and "分值与之不同" in said[0].message, said


# 5. --weights given, but the goal table gives every 分值: said on the terminal, the stamp says the goal table's
def _goal_with_points(tmp_path, points=(10, 15, 15, 10, 20, 10, 10)):
    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    for ind, p in zip(g["indicators"], points, strict=True):
        ind["weight"] = p
    return fill(g, tmp_path / "g.xlsx")


def _w20(tmp_path):
    w = tmp_path / "w.json"
    w.write_text(json.dumps({"funds": 20, "level1": [{"names": ["产出指标", "成本指标"], "points": 40},
                                                     {"names": ["效益指标"], "points": 30},
                                                     {"names": ["满意度指标"], "points": 10}]}), encoding="utf-8")
    return w


def test_weights_not_used_when_the_goal_table_gives_every_points_is_said(tmp_path):
    from .conftest import cli

    goal, w = _goal_with_points(tmp_path), _w20(tmp_path)
    r = cli("template", "--form", "self-evaluation", "--targets", goal, "--out-dir", tmp_path / "t", "--weights", w)
    assert r.exit_code == 0, r.output
    note = [x for x in r.output.splitlines() if x.startswith("注意：") and "w.json" in x]
    assert len(note) == 1 and "未使用" in note[0] and "资金" in note[0] and "10" in note[0], r.output
    made = next((tmp_path / "t").glob("*.xlsx"))
    assert ooxml_errors(made) == []
    wb = openpyxl.load_workbook(made)
    stamp = _stamp(wb)
    assert stamp.endswith("|points=goal") and "weights=" not in stamp, stamp
    # checked without --weights (or with): the 分值 are the goal table's, compared, nothing said
    for weights in (None, w):
        report = validate(made, targets=goal, weights=weights)
        assert _codes(report, "self.points_source") == [], report.files[0].problems
    doc = read(made).document
    doc["indicators"][0]["points"] = 11
    changed = fill(doc, tmp_path / "c.xlsx")
    assert [p.path for p in _codes(validate(changed, targets=goal, weights=w), "self.target_changed")] == \
        ["/indicators/0/points"]
    # a goal table without 分值: the points file is used, nothing said of it
    r = cli("template", "--form", "self-evaluation", "--targets", NAT_GOAL, "--out-dir", tmp_path / "t2", "--weights", w)
    assert r.exit_code == 0 and "未使用" not in r.output, r.output
    assert "|weights=w.json|points=" in _stamp(openpyxl.load_workbook(next((tmp_path / "t2").glob("*.xlsx"))))


# 3. an optional 一级 (required: false) with points of its own: refused when the framework loads
def _optional_benefit(tmp_path, groups):
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))
    d["id"], d["notes"] = "demo-2026", {}
    for cat in d["level1"]:
        if cat["name"] == "效益指标":
            cat["required"] = False
    d["self_evaluation"]["level1"] = groups
    folder = tmp_path / f"fw{len(list(tmp_path.glob('fw*')))}"
    folder.mkdir()
    (folder / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def test_an_optional_level1_with_its_own_points_is_refused_at_load(tmp_path):
    from xlgoals import ConfigError
    from xlgoals._frameworks import FrameworkSet

    load_frameworks = FrameworkSet.load

    from .conftest import cli

    fw = _optional_benefit(tmp_path, [{"names": ["产出指标", "成本指标"], "points": 50},
                                      {"names": ["效益指标"], "points": 30}, {"names": ["满意度指标"], "points": 10}])
    with pytest.raises(ConfigError) as exc:
        load_frameworks(fw)
    said = str(exc.value)
    assert "demo-2026.json" in said and "效益指标" in said and "required" in said and "30" in said, said
    r = cli("frameworks", "--frameworks", fw)
    assert r.exit_code == 2 and "效益指标" in r.output and "Traceback" not in r.output, r.output
    # grouped with a required one (its points go to the group's indicators there are): loads, and a goal table
    # without any 效益指标 gives a self-evaluation
    ok = _optional_benefit(tmp_path, [{"names": ["产出指标", "成本指标", "效益指标"], "points": 80},
                                      {"names": ["满意度指标"], "points": 10}])
    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    g["framework"] = "demo-2026"
    g["indicators"] = [i for i in g["indicators"] if i["level1"] != "效益指标"]
    goal = fill(g, tmp_path / "g.xlsx", frameworks=ok)
    made = self_evaluation_templates(goal, tmp_path / "t", frameworks=ok)
    assert made.ok and len(made.written) == 1, made.errors
    # an optional 一级 given 0 points alone: nothing to lose, loads
    _optional = _optional_benefit(tmp_path, [{"names": ["产出指标", "成本指标"], "points": 80},
                                             {"names": ["效益指标"], "points": 0}, {"names": ["满意度指标"], "points": 10}])
    assert load_frameworks(_optional)


# 4. 分值 in every row totalling other than what the framework leaves the indicators (100 − funds): warned
def _points_goal(tmp_path, points, name="g.xlsx", frameworks=None):
    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    for ind, p in zip(g["indicators"], points, strict=True):
        ind["weight"] = p
    return fill(g, tmp_path / name, frameworks=frameworks, force=True)


def test_goal_points_leaving_the_funds_other_than_the_framework_are_warned(tmp_path):
    from xlgoals import validate_file

    path = _points_goal(tmp_path, (5,) * 7)  # 35: the self-evaluation's funds would get 65 (national-2021: 10)
    report = validate_file(path)
    said = [p for p in report.problems if p.code == "rule.weight_funds_rest"]
    assert len(said) == 1, [(p.code, p.message) for p in report.problems]
    (p,) = said
    assert p.severity == "warning" and f"{p.sheet}!{p.cell}" == read(path).sources["/indicators/0/weight"]
    assert p.field == "第1条指标的分值" or "分值" in p.field, p.field
    assert "合计为 35" in p.message and "65" in p.message and "10" in p.message and "90" in p.message, p.message
    assert "35" in p.message_en and "65" in p.message_en and "90" in p.message_en, p.message_en
    assert report.passes()  # a warning
    # on the terminal at template time too
    from .conftest import cli

    r = cli("template", "--form", "self-evaluation", "--targets", path, "--out-dir", tmp_path / "t")
    assert r.exit_code == 0 and any(x.startswith("注意：") and "65" in x for x in r.output.splitlines()), r.output
    # 90 (funds 10): nothing; 100 (funds 0): weight_no_funds alone; above 100: weight_total alone; some blank: nothing
    for points, codes in (((10, 15, 15, 10, 20, 10, 10), []), ((10, 15, 15, 10, 20, 20, 10), ["rule.weight_no_funds"]),
                          ((10, 15, 15, 10, 20, 20, 20), ["rule.weight_total"]),
                          ((10, None, 15, 10, 20, 10, 10), ["rule.weight_partial"])):
        got = sorted(q.code for q in validate_file(_points_goal(tmp_path, points, "x.xlsx")).problems
                     if q.code.startswith("rule.weight"))
        assert got == codes, (points, got)


def test_no_funds_rest_warning_without_framework_points(tmp_path):
    """shanghai-2025 gives no self-evaluation points: nothing to compare a total with."""
    from xlgoals import validate_document

    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    for ind in g["indicators"]:
        ind["weight"] = 5
    assert any(p.code == "rule.weight_funds_rest" for p in validate_document(g))
    fw = _frameworks(tmp_path)
    d = json.loads((fw / "demo-2026.json").read_text(encoding="utf-8"))
    del d["self_evaluation"]
    (fw / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    g["framework"] = "demo-2026"
    assert not any(p.code == "rule.weight_funds_rest" for p in validate_document(g, frameworks=fw))


# 6. report headings over a bureau framework's returns use its labels (--frameworks), not the packaged ones
def test_report_headings_use_the_bureaus_framework_labels(tmp_path):
    from xlgoals._check._report import render_report, text_report

    from .conftest import cli

    folder = tmp_path / "fw"
    folder.mkdir()
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))
    d["id"], d["notes"] = "demo-2026", {}
    d["labels"] = {"level1": "绩效维度", "level2": "绩效要素", "level3": "绩效指标名称", "target": "目标值"}
    (folder / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    g = json.loads(NAT_GOAL.read_text(encoding="utf-8"))
    g["framework"] = "demo-2026"
    g["indicators"][1]["level2"] = "经济效益指标"
    g["indicators"][2]["name"] = g["indicators"][3]["name"]
    path = fill(g, tmp_path / "g.xlsx", frameworks=folder)
    r = cli("validate", path, "--frameworks", folder)
    heads = [x for x in r.output.splitlines() if x.startswith("【")]
    assert any("绩效要素不属于其绩效维度" in h for h in heads), heads
    assert any("绩效指标名称重复" in h for h in heads), heads
    assert not any("二级指标" in h or "一级指标" in h or "三级指标" in h for h in heads), heads
    # the library's report of a validate run with frameworks= says them too
    report = validate(path, frameworks=folder)
    for text in (text_report(report), render_report(report)):
        assert "绩效要素不属于其绩效维度" in text, text


# 7. 自评汇总: a failing duplicate counted in 未通过校验的申报数 is said failing in the sentence under the table too
def test_summary_failed_count_and_its_sentence_agree(tmp_path):
    from xlgoals import consolidate

    folder = tmp_path / "ret"
    folder.mkdir()
    import shutil

    shutil.copy(ROOT / "examples" / "national-2021" / "自评表.xlsx", folder / "a.xlsx")
    s = json.loads(NAT_SELF.read_text(encoding="utf-8"))
    s["funds"]["deviation"] = None
    s["funds"]["executed"] = s["funds"]["full_year_budget"] // 2
    s["funds"]["sources"]["fiscal"]["executed"] = s["funds"]["executed"]
    s["funds"]["score"] = 5
    fill(s, folder / "b.xlsx")
    result = consolidate(folder, tmp_path / "s.xlsx", include_invalid=True)
    assert ooxml_errors(tmp_path / "s.xlsx") == []
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["自评汇总"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(r for r in rows if "未通过校验的申报数" in r)
    col = head.index("未通过校验的申报数")
    unit = rows[rows.index(head) + 1]
    assert unit[col] == 1, unit  # (its 合计 a SUM of the units' column)
    sentence = next(str(r[0]) for r in rows if str(r[0]).startswith("共读取"))
    assert "重复申报 1 个（未计入，其中 1 个未通过校验）" in sentence, sentence
    assert "重复申报 1 个（未计入，其中 1 个未通过校验）" in result.describe(), result.describe()
    assert "1 duplicate (not counted, 1 of them failing)" in result.describe("en"), result.describe("en")


# 8. the goal table's 填表说明 does not append 名称 to a label that ends in it
@pytest.mark.parametrize("level3, said", [("指标名称", "指标名称"), ("三级指标", "三级指标名称"), ("绩效指标", "绩效指标名称")])
def test_guide_says_the_name_column_once(tmp_path, level3, said):
    from xlgoals import write_template

    folder = tmp_path / "fw"
    folder.mkdir()
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))
    d["id"], d["notes"] = "demo-2026", {}
    d["labels"] = {"level1": "一级指标", "level2": "二级指标", "level3": level3, "target": "指标值"}
    (folder / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    out = write_template(tmp_path / "t.xlsx", framework="demo-2026", year=2026, frameworks=folder)
    assert ooxml_errors(out) == []
    lines = [str(c.value) for c in openpyxl.load_workbook(out)["填表说明"]["A"] if c.value]
    assert not any("名称名称" in x for x in lines), lines
    assert any(f"然后填写{said}。" in x for x in lines), lines
    assert any(f"同一项目内{said}不要重复" in x for x in lines), lines


# 9. a bureau's own scoring table: a framework file's "scoring", checked when the framework loads
def _scoring_framework(tmp_path, scoring=None, csv_text=None, name="fw_scoring"):
    folder = tmp_path / name
    folder.mkdir()
    d = json.loads(NATIONAL.read_text(encoding="utf-8"))
    d["id"], d["notes"] = "demo-2026", {}
    if scoring is not None:
        d["scoring"] = scoring
    if csv_text is not None:
        (folder / "本局计分规则.csv").write_text(csv_text, encoding="utf-8")
    (folder / "demo-2026.json").write_text(json.dumps(d, ensure_ascii=False, indent=1), encoding="utf-8")
    return folder


def _funds_full_points_csv() -> str:
    """The packaged table with the funds scored full points whatever the execution rate."""
    text = (ROOT / "schema" / "scoring.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[1].startswith("funds,funds,")
    lines[1] = 'funds,funds,full_year_budget > 0,points,,资金得分 = 分值（本局：不按执行率）,"funds score = points (this bureau)",'
    lines = [x.replace("total >= 90,优", "total >= 85,优") for x in lines]  # and 优 from 85
    return "\n".join(lines) + "\n"


def test_a_bureaus_scoring_table_scores_its_frameworks_returns(tmp_path):
    from xlgoals import consolidate

    own = _scoring_framework(tmp_path, "本局计分规则.csv", _funds_full_points_csv())
    plain = _scoring_framework(tmp_path, name="fw_plain")
    s = json.loads(NAT_SELF.read_text(encoding="utf-8"))
    s["framework"] = "demo-2026"
    s["funds"]["executed"] = s["funds"]["full_year_budget"] // 2
    s["funds"]["sources"]["fiscal"]["executed"] = s["funds"]["executed"]
    s["funds"]["score"] = s["funds"]["points"]  # full points: this bureau's rule, not the packaged one
    s["funds"]["deviation"] = "资金到位较晚"
    ret = fill(s, tmp_path / "ret.xlsx", frameworks=own)
    funds_said = [p.code for p in validate(ret, frameworks=own).files[0].problems if p.path == "/funds/score"]
    assert funds_said == [], funds_said
    packaged = [p.code for p in validate(ret, frameworks=plain).files[0].problems if p.path == "/funds/score"]
    assert packaged == ["self.score_mismatch"], packaged
    # the summary recomputes the funds score by the bureau's table too
    folder = tmp_path / "in"
    folder.mkdir()
    import shutil

    shutil.copy(ret, folder / "ret.xlsx")
    consolidate(folder, tmp_path / "s.xlsx", frameworks=own)
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目得分"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(r for r in rows if "资金得分" in r)
    assert rows[rows.index(head) + 1][head.index("资金得分")] == s["funds"]["points"], rows[rows.index(head) + 1]
    # the self-evaluation's 填表说明 states the bureau's funds formula
    self_evaluation_templates(fill(json.loads(NAT_GOAL.read_text(encoding="utf-8")) | {"framework": "demo-2026"},
                                   tmp_path / "g.xlsx", frameworks=own), tmp_path / "t", frameworks=own)
    made = next((tmp_path / "t").glob("*.xlsx"))
    assert ooxml_errors(made) == []
    guide = " ".join(str(c.value) for c in openpyxl.load_workbook(made)["填表说明"]["A"] if c.value)
    assert "85 分及以上为优" in guide and "90 分及以上为优" not in guide, guide


@pytest.mark.parametrize("scoring, csv_text, said", [
    ("没有这个文件.csv", None, "没有这个文件.csv"),
    (3, None, "scoring"),
    ("本局计分规则.csv", "case,applies_to,when,score,band,formula_zh,formula_en\nx,funds,,points * ,,a,b\n", "第 2 行"),
    ("本局计分规则.csv", "case,applies_to,when,score,band,formula_zh,formula_en\nx,fund,,points,,a,b\n", "applies_to"),
    # rows the self-evaluation's 填表说明 cannot state (no ≤ row scoring 0 far over the target): at load, not a
    # traceback when the first template is made
    ("本局计分规则.csv", "case,applies_to,when,score,band,formula_zh,formula_en\nx,funds,,points,,a,b\n", "填表说明"),
])
def test_a_bad_scoring_table_is_refused_when_the_framework_loads(tmp_path, scoring, csv_text, said):
    from xlgoals import ConfigError
    from xlgoals._frameworks import FrameworkSet

    from .conftest import cli

    folder = _scoring_framework(tmp_path, scoring, csv_text)
    with pytest.raises(ConfigError) as exc:
        FrameworkSet.load(folder)
    assert said in str(exc.value) and ("demo-2026.json" in str(exc.value) or "本局计分规则.csv" in str(exc.value)), \
        str(exc.value)
    r = cli("validate", NAT_SELF, "--frameworks", folder)
    assert r.exit_code == 2 and "Traceback" not in r.output and said in r.output, r.output
