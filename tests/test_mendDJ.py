"""mendDJ: review.target_below_last_year with a last-year indicator name holding ``{`` or ``}`` (the name was put
into a string later passed through str.format: a KeyError/ValueError instead of the notice)."""

from __future__ import annotations

import copy
import json

import pytest

from .helpers import json_review


@pytest.mark.parametrize("last_name", ["职业技能培训{人次}", "职业技能培训人次{", "职业技能培训}人次", "职业技能培训{0}人次"])
def test_a_last_year_name_with_braces_is_quoted_as_written(doc, tmp_path, last_name):
    doc["indicators"].append({"level1": "产出目标", "level2": "数量", "name": last_name, "comparator": ">=",
                              "value": 100, "unit": "人次"})
    prev = copy.deepcopy(doc)
    prev["year"] = doc["year"] - 1
    (tmp_path / "prev.json").write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    i = len(doc["indicators"]) - 1
    # one character added this year (a near rename), the target lowered
    doc["indicators"][i].update(name=last_name.replace("技能", "技能的"), value=80)
    problems = json_review(doc, tmp_path, "--previous", tmp_path / "prev.json")
    hits = [p for p in problems if p["code"] == "review.target_below_last_year"]
    assert [p["path"] for p in hits] == [f"/indicators/{i}/value"], [p["code"] for p in problems]
    assert f"上年名称为“{last_name}”" in hits[0]["message"]
    assert f"named '{last_name}'" in hits[0]["message_en"]
