"""The bundled examples are the seed's five tables; their workbooks are exactly what `fill` makes."""

import pytest

from xlgoals import fill, schema_problems
from xlgoals._write._workbook import build_workbook

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, load


def test_five_seed_tables():
    assert len(EXAMPLE_JSON) == 5 and len(EXAMPLE_XLSX) == 5
    assert [p.stem for p in EXAMPLE_JSON] == [p.stem for p in EXAMPLE_XLSX]
    docs = [load(p) for p in EXAMPLE_JSON]
    assert sum(d["budget"]["total"] for d in docs) == 534_770_796
    assert {d["unit"] for d in docs} == {"上海市就业促进中心"}
    assert [len(d["indicators"]) for d in docs] == [27, 27, 25, 19, 17]
    for d in docs:
        assert d["framework"] == "shanghai-2020" and d["year"] == 2020
        assert d["project"]["start_date"] == "2020-01-01" and d["project"]["end_date"] == "2020-12-31"
        assert d["project"]["government_procurement"] is True and d["project"]["performance_type"] == "其他类"
        # the nine 投入与管理 rows are identical in every table
        assert [i["name"] for i in d["indicators"][:9]][0] == "预算编制合理性"
        assert all(" " not in i["name"] for i in d["indicators"])


def test_seed_targets_split():
    d3 = load(EXAMPLE_JSON[2])
    assert {"level1": "产出目标", "level2": "数量", "name": "享受见习补贴人数", "comparator": ">", "value": 5000,
            "unit": "人"} in d3["indicators"]
    d5 = load(EXAMPLE_JSON[4])
    assert {"level1": "产出目标", "level2": "质量", "name": "形成评估、评审报告", "comparator": "=", "value": 100,
            "unit": "%"} in d5["indicators"]
    d1 = load(EXAMPLE_JSON[0])
    assert d1["project"]["name"].startswith("筹办第46届世界技能大赛")


@pytest.mark.parametrize("json_path", EXAMPLE_JSON, ids=lambda p: p.stem)
def test_examples_are_schema_valid_and_workbooks_match_fill(json_path, tmp_path):
    doc = load(json_path)
    assert schema_problems(doc) == []
    xlsx = EXAMPLES / "returns" / f"{json_path.stem}.xlsx"
    assert xlsx.read_bytes() == build_workbook(doc["framework"], doc["year"], doc), \
        "examples/returns is stale: regenerate with `xlgoals fill`"
    out = fill(doc, tmp_path / "again.xlsx")
    assert out.read_bytes() == xlsx.read_bytes()  # deterministic output


def test_projects_csv_present():
    text = (EXAMPLES / "projects.csv").read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("申报单位名称,项目名称")
