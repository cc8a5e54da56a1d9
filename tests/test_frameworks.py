"""Frameworks are data: a new JSON file under templates/ is a new framework, with no code."""

import json
import shutil

import pytest

from xlgoals import fill, frameworks, list_frameworks, load_framework, read, resources, validate_file, write_template
from xlgoals import layout as L


def test_shipped_frameworks():
    ids = [fw.id for fw in list_frameworks()]
    assert ids == ["national-2021", "shanghai-2020"]
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


@pytest.fixture
def extra_framework(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    shutil.copytree(resources.data_dir("templates"), folder)
    spec = json.loads((folder / "national-2021.json").read_text(encoding="utf-8"))
    spec.update(id="demo-2025", title="演示指标体系（2025）", optional_columns=["weight"],
                level1=[{"name": "产出指标", "required": True, "level2": ["数量指标", "质量指标"]},
                        {"name": "效益指标", "required": False, "level2": ["社会效益指标"]}])
    (folder / "demo-2025.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    real = resources.data_dir
    patched = lambda name: folder if name == "templates" else real(name)  # noqa: E731
    monkeypatch.setattr(resources, "data_dir", patched)
    monkeypatch.setattr(frameworks, "data_dir", patched)
    frameworks.load_framework.cache_clear()
    yield "demo-2025"
    frameworks.load_framework.cache_clear()


def test_new_framework_file_needs_no_code(extra_framework, tmp_path):
    write_template(tmp_path / "t.xlsx", framework=extra_framework, year=2025)
    doc = {"schema_version": "1", "framework": extra_framework, "year": 2025, "unit": "某单位",
           "project": {"name": "演示项目"}, "budget": {"total": 10, "current_year": 5},
           "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "培训人次", "comparator": ">=",
                           "value": 100, "unit": "人次", "weight": 20},
                          {"level1": "效益指标", "level2": "质量指标", "name": "满意", "comparator": "qualitative",
                           "text": "高"}]}
    fill(doc, tmp_path / "r.xlsx")
    result = read(tmp_path / "r.xlsx")
    assert result.template["framework"] == extra_framework
    assert result.document["indicators"] == doc["indicators"]
    assert result.sources["/indicators/0/weight"] == f"{L.INDICATOR_SHEET}!H{L.IND_FIRST_ROW + 1}"
    codes = {(p.code, p.cell) for p in validate_file(tmp_path / "r.xlsx").problems}
    assert ("rule.level2_mismatch", f"C{L.IND_FIRST_ROW + 2}") in codes  # 质量指标 is not under 效益指标
