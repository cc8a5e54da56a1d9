"""mendDB: the bureau's own tables — the loaders' caches, the rules digest, the stamps, frames' made_with, defaults'
message."""

from __future__ import annotations

import json
import os
import shutil

from tests.conftest import EXAMPLES, ROOT
from tests.helpers import bureau_rules_file


def _rewrite(path, text: str) -> None:
    """`path` rewritten with `text`, its size and modification time put back as they were where they can be (an
    editor saving within the same second, a file of the same length): what the cache may not be fooled by."""
    before = os.stat(path)
    data = text.encode("utf-8")
    path.write_bytes(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


# 1. a long-running process reads a bureau's file afresh once it is edited ---------------------------------------

def test_rule_table_edited_is_read_afresh(tmp_path):
    from xlgoals import RuleTable

    path = bureau_rules_file(tmp_path, {"rule.required_field": {"severity": "warning"}})
    assert RuleTable.load(path)["rule.required_field"].severity == "warning"
    _rewrite(path, path.read_text(encoding="utf-8").replace(",warning,", ",error,  ", 1))  # same length
    assert os.path.getsize(path) == len(path.read_bytes())
    assert RuleTable.load(path)["rule.required_field"].severity == "error"


def test_review_settings_edited_are_read_afresh(tmp_path):
    from xlgoals._review._settings import ReviewSettings

    path = tmp_path / "审核配置.json"
    path.write_text(json.dumps({"weights": {"review.vague_target": 20}}), encoding="utf-8")
    assert ReviewSettings.load(path).weight("review.vague_target") == 20
    _rewrite(path, json.dumps({"weights": {"review.vague_target": 30}}))
    assert ReviewSettings.load(path).weight("review.vague_target") == 30


def test_scoring_table_edited_is_read_afresh(tmp_path):
    from xlgoals._selfeval._scoring import ScoringTable

    path = tmp_path / "计分.csv"
    shutil.copy(ROOT / "schema" / "scoring.csv", path)
    assert ScoringTable.load(path).rules[0].formula_zh.startswith("资金得分")
    _rewrite(path, path.read_text(encoding="utf-8").replace("资金得分 =", "资金分数 =", 1))
    assert ScoringTable.load(path).rules[0].formula_zh.startswith("资金分数")


def test_framework_edited_in_its_folder_is_read_afresh(tmp_path):
    from xlgoals import FrameworkSet

    folder = tmp_path / "本局指标体系"
    folder.mkdir()
    spec = json.loads((ROOT / "templates" / "national-2021.json").read_text(encoding="utf-8"))
    spec["id"], spec["title"] = "bureau-2026", "本局指标体系甲"
    path = folder / "bureau-2026.json"
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    assert FrameworkSet.load(folder).get("bureau-2026").title == "本局指标体系甲"
    spec["title"] = "本局指标体系乙"
    _rewrite(path, json.dumps(spec, ensure_ascii=False))  # the folder's own times unchanged
    assert FrameworkSet.load(folder).get("bureau-2026").title == "本局指标体系乙"


def test_library_edited_is_read_afresh(tmp_path):
    from xlgoals._review._library import Library

    path = tmp_path / "指标库.csv"
    shutil.copy(EXAMPLES / "library.csv", path)
    before = len(Library.load(path).entries)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    _rewrite(path, "\n".join(lines[:-1]) + "\n")
    assert len(Library.load(path).entries) == before - 1


def test_an_unchanged_file_is_not_read_again(tmp_path, monkeypatch):
    from xlgoals import RuleTable
    from xlgoals._check import _ruletable

    path = bureau_rules_file(tmp_path, {"rule.required_field": {"severity": "warning"}})
    first = RuleTable.load(path)
    monkeypatch.setattr(_ruletable, "_parse_file", lambda p: (_ for _ in ()).throw(AssertionError("read again")))
    assert RuleTable.load(path) is first


# 2. the rules digest: review parameters and required's paths as what they decide -------------------------------

def _digest(tmp_path, name, changes):
    from xlgoals import RuleTable

    table = RuleTable.load(bureau_rules_file(tmp_path, changes, name=name))
    assert table.decides_otherwise()
    return table


def test_review_parameter_spelt_as_its_default_digests_the_same(tmp_path):
    left = _digest(tmp_path, "a.csv", {"review.satisfaction_low": {"severity": "warning"}})
    spelt = _digest(tmp_path, "b.csv", {"review.satisfaction_low": {"severity": "warning",
                                                                     "params": '{"floor": 80, "units": ["%"]}'}})
    reordered_a = _digest(tmp_path, "c.csv", {"review.vague_target": {"severity": "warning",
                                                                      "params": '{"exact": ["高", "好"]}'}})
    reordered_b = _digest(tmp_path, "d.csv", {"review.vague_target": {"severity": "warning",
                                                                      "params": '{"exact": ["好", "高", "好"]}'}})
    other = _digest(tmp_path, "e.csv", {"review.satisfaction_low": {"severity": "warning",
                                                                     "params": '{"floor": 90}'}})
    assert left.digest() == spelt.digest() and left.made_under(spelt.stamped())
    assert reordered_a.digest() == reordered_b.digest()
    assert other.digest() != left.digest() and not other.made_under(left.stamped())


def test_required_paths_spelt_as_the_forms_digest_the_same(tmp_path):
    from xlgoals._form import FORMS

    paths = list(FORMS["goal-table"].required_paths)
    left = _digest(tmp_path, "a.csv", {"rule.required_field": {"severity": "warning",
                                                              "params": '{"forms": ["goal-table"]}'}})
    spelt = _digest(tmp_path, "b.csv", {"rule.required_field": {
        "severity": "warning", "params": json.dumps({"forms": ["goal-table"], "paths": paths[::-1]})}})
    all_forms = _digest(tmp_path, "c.csv", {"rule.required_field": {
        "severity": "warning", "params": json.dumps({"forms": ["monitoring", "goal-table", "self-evaluation"]})}})
    none_said = _digest(tmp_path, "d.csv", {"rule.required_field": {"severity": "warning"}})
    fewer = _digest(tmp_path, "e.csv", {"rule.required_field": {
        "severity": "warning", "params": json.dumps({"forms": ["goal-table"], "paths": paths[:3]})}})
    # (the goal table's paths on every form: the self-evaluation is then asked for fewer than its own)
    everywhere = _digest(tmp_path, "f.csv", {"rule.required_field": {
        "severity": "warning", "params": json.dumps({"paths": paths})}})
    assert left.digest() == spelt.digest() and all_forms.digest() == none_said.digest()
    assert fewer.digest() != left.digest() and everywhere.digest() != none_said.digest()


def test_a_stamp_of_the_digest_before_it_was_normalised_still_matches(tmp_path):
    from xlgoals._check import _ruletable

    table = _digest(tmp_path, "b.csv", {"review.satisfaction_low": {"severity": "warning",
                                                                     "params": '{"floor": 80}'}})
    before = _ruletable._digest_of([["review.satisfaction_low", "warning", "review_satisfaction_floor",
                                     {"floor": "80"}]])
    assert before != table.digest() and table.made_under(before)


# 3. a JSON document read from a template made under a bureau's tables says so when validated, as its workbook does

def _other_codes(path, **kw) -> list[str]:
    import xlgoals

    report = xlgoals.validate([path], **kw)
    return sorted(p.code for p in report.problems() if p.code.startswith("template.other_"))


def _bureau_tables(tmp_path):
    """A bureau's rule table (rule.current_le_total a warning) and framework folder (national-2021 with one more
    二级指标 under 产出指标): (its rules file, its frameworks folder)."""
    rules = bureau_rules_file(tmp_path, {"rule.current_le_total": {"severity": "warning"}})
    fw_dir = tmp_path / "本局指标体系"
    fw_dir.mkdir()
    fw = json.loads((ROOT / "templates" / "national-2021.json").read_text(encoding="utf-8"))
    next(l for l in fw["level1"] if l["name"] == "产出指标")["level2"].append("服务质量指标")
    (fw_dir / "national-2021.json").write_text(json.dumps(fw, ensure_ascii=False), encoding="utf-8")
    return rules, fw_dir


def test_a_json_document_says_template_other_rules_as_its_workbook(tmp_path):
    import xlgoals

    rules, fw_dir = _bureau_tables(tmp_path)
    made = tmp_path / "t.xlsx"
    xlgoals.write_template(made, framework="national-2021", year=2021,
                           config=xlgoals.Config.load(rules=rules, frameworks=fw_dir))
    doc = xlgoals.read(made).document
    assert set(doc["made_with"]) == {"rules", "fw"}
    as_json = tmp_path / "t.json"
    as_json.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    both = ["template.other_framework", "template.other_rules"]
    assert _other_codes(made) == _other_codes(as_json) == both
    assert _other_codes(made, rules=str(rules), frameworks=str(fw_dir)) == []
    assert _other_codes(as_json, rules=str(rules), frameworks=str(fw_dir)) == []
    said = [p for p in xlgoals.validate([as_json]).problems() if p.code == "template.other_rules"]
    assert len(said) == 1 and said[0].path == "/made_with/rules" and said[0].severity == "notice", said
    assert sorted(p.code for p in xlgoals.validate_document(doc) if p.code.startswith("template.other_")) == both


# 4. frames: made_with's columns, as the documents name them -------------------------------------------------------

def test_frames_projects_carry_made_with(tmp_path):
    import xlgoals

    rules = bureau_rules_file(tmp_path, {"rule.current_le_total": {"severity": "warning"}})
    made = tmp_path / "收到" / "t.xlsx"
    made.parent.mkdir()
    xlgoals.write_template(made, framework="national-2021", year=2021, config=xlgoals.Config.load(rules=rules))
    digest = xlgoals.read(made).document["made_with"]["rules"]
    shutil.copy(EXAMPLES / "national-2021" / "目标表.xlsx", made.parent / "plain.xlsx")
    projects = xlgoals.frames([made.parent], jobs=1).projects
    assert {"made_with.rules", "made_with.fw"} <= set(projects.columns)
    by_name = {os.path.basename(p): r for p, r in zip(projects["path"], projects.to_dict("records"))}
    assert by_name["t.xlsx"]["made_with.rules"] == digest
    assert str(projects["made_with.rules"].dtype) == str(projects["path"].dtype)  # text, as points_source.*
    import pandas as pd

    assert pd.isna(by_name["plain.xlsx"]["made_with.rules"]) and pd.isna(by_name["t.xlsx"]["made_with.fw"])
    # an empty night's frame has them too (two nights concatenate)
    (tmp_path / "空").mkdir()
    assert {"made_with.rules", "made_with.fw"} <= set(xlgoals.frames([tmp_path / "空"], jobs=1).projects.columns)


# 5. defaults: a table already in the folder is said as such, with --force (force=True) named -------------------

def test_defaults_over_a_table_already_there_says_so(tmp_path):
    from tests.conftest import cli

    out = tmp_path / "本局表"
    assert cli("defaults", "--out-dir", out).exit_code == 0
    edited = (out / "rules.csv").read_bytes() + b"# edited\n"
    (out / "rules.csv").write_bytes(edited)
    for lang, words in (("zh", ("rules.csv", "已存在", "--force", "未写入任何文件")),
                        ("en", ("rules.csv", "already", "--force", "nothing was written"))):
        res = cli("defaults", "--out-dir", out, "--lang", lang)
        said = res.stdout + res.stderr
        assert res.exit_code == 2 and all(w in said for w in words), said
        assert "汇总" not in said and "summary" not in said and "report" not in said, said
    assert (out / "rules.csv").read_bytes() == edited
    assert cli("defaults", "--out-dir", out, "--force").exit_code == 0
    assert (out / "rules.csv").read_bytes() != edited


def test_write_defaults_over_a_table_names_force_true(tmp_path):
    import pytest

    from xlgoals import UsageError
    from xlgoals._write._packaged import write_defaults

    write_defaults(tmp_path)
    with pytest.raises(UsageError) as info:
        write_defaults(tmp_path)
    said = str(info.value)
    assert "force=True" in said and "rules.csv" in said and "汇总" not in said, said


# 6. a department's refill, without the bureau's tables, of a return made under them ------------------------------

def _stamp_of(path) -> str:
    import openpyxl

    return next(c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


def test_a_refill_without_the_bureaus_tables_says_so_under_them(tmp_path):
    import xlgoals

    rules, fw_dir = _bureau_tables(tmp_path)
    bureau = xlgoals.Config.load(rules=rules, frameworks=fw_dir)
    made = tmp_path / "t.xlsx"
    xlgoals.write_template(made, framework="national-2021", year=2021, config=bureau)
    doc = xlgoals.read(made).document
    refilled = tmp_path / "重填.xlsx"
    xlgoals.fill(doc, refilled)  # the department's fill: the packaged tables' guide and dropdowns
    assert "|rules=" in _stamp_of(refilled) and "|fw=" in _stamp_of(refilled)
    from tests.helpers import ooxml_errors

    assert ooxml_errors(refilled) == []
    assert _other_codes(refilled, rules=str(rules), frameworks=str(fw_dir)) == ["template.other_framework",
                                                                                 "template.other_rules"]
    assert _other_codes(refilled) == []  # validated as it was made: nothing to say
    # filled again with the bureau's tables, the stamp is the bureau's as before
    again = tmp_path / "二.xlsx"
    xlgoals.fill(doc, again, config=bureau)
    assert _stamp_of(again) == _stamp_of(made)
    assert _other_codes(again, rules=str(rules), frameworks=str(fw_dir)) == []


def test_a_template_of_the_packaged_tables_still_stamps_nothing_and_says_nothing(tmp_path):
    import xlgoals

    rules = bureau_rules_file(tmp_path, {"rule.current_le_total": {"severity": "warning"}})
    made = tmp_path / "t.xlsx"
    xlgoals.write_template(made, framework="national-2021", year=2021)
    assert "rules=" not in _stamp_of(made) and "fw=" not in _stamp_of(made)
    refilled = tmp_path / "重填.xlsx"
    doc = xlgoals.read(made).document
    assert "made_with" not in doc
    xlgoals.fill(doc, refilled)
    assert "rules=" not in _stamp_of(refilled)
    assert _other_codes(made, rules=str(rules)) == _other_codes(refilled, rules=str(rules)) == []
