"""Red team x (session 28), findings 4, 5, 6, 8 — between rounds and the review's words:

* 8: review.vague_target covers the seed's own variants of its boilerplate (按照要求完成, 更加完善, a bare 稳定) as it
  covers 按要求完成, 逐步完善, 保持稳定, and still passes the seeds' concrete targets.
"""

from __future__ import annotations

import json

import pytest

from xlgoals import validate_file

from .conftest import cli
from .helpers import ind_cell


def _row(name, text=None, level1="产出目标", level2="质量", value=None, unit="%", comparator=">="):
    if text is not None:
        return {"level1": level1, "level2": level2, "name": name, "comparator": "qualitative", "text": text}
    return {"level1": level1, "level2": level2, "name": name, "comparator": comparator, "value": value, "unit": unit}


def _json_review(doc, tmp_path, *args, name="r.json"):
    """`doc` as a JSON return validated with --review through the command line: its problems."""
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", path, "--review", "--format", "json", *args)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    out = json.loads(result.output)
    files = out["files"] if "files" in out else [out]
    return [p for f in files for p in f["problems"]]


# 8 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["按照要求完成", "更加完善", "稳定", "稳定。", "按照计划完成", "更为完善"])
def test_seed_variants_of_vague_boilerplate_are_vague(doc, tmp_path, text):
    at = len(doc["indicators"])
    doc["indicators"].append(_row("服务工作情况", text))
    problems = _json_review(doc, tmp_path)
    hits = [p for p in problems if p["code"] == "review.vague_target" and p["value"] == text]
    assert len(hits) == 1, [(p["code"], p["value"]) for p in problems]
    assert hits[0]["path"] == f"/indicators/{at}/text"


@pytest.mark.parametrize("text", ["完善", "运行稳定", "通过专家论证", "安全运抵上海", "按照规定程序审批", "健全"])
def test_concrete_or_plain_targets_near_the_new_words_stay_unflagged(doc, tmp_path, text):
    doc["indicators"].append(_row("服务工作情况", text))
    problems = _json_review(doc, tmp_path)
    assert [p for p in problems if p["code"] == "review.vague_target" and p["value"] == text] == []


# 5 -----------------------------------------------------------------------------------------------------------
def _previous_pair(doc, tmp_path):
    """Last year's goal table of the same project (seed 02 as 2019's), and this year's `doc` as a workbook."""
    import copy

    from xlgoals import fill

    prev = copy.deepcopy(doc)
    prev["year"] = doc["year"] - 1
    (tmp_path / "prev.json").write_text(json.dumps(prev, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "prev.json"


def _row_named(doc, name):
    return next(i for i, it in enumerate(doc["indicators"]) if it.get("name") == name)


def test_a_lowered_target_behind_a_one_character_rename_is_below_last_year(doc, tmp_path):
    prev = _previous_pair(doc, tmp_path)
    i = _row_named(doc, "职业技能鉴定合格率")  # ≥85%
    name = "职业技能鉴定合格率"
    doc["indicators"][i].update(name="职业技能鉴定的合格率", value=80)  # one character added, the target lowered
    problems = _json_review(doc, tmp_path, "--previous", prev)
    hits = [p for p in problems if p["code"] == "review.target_below_last_year"]
    assert [p["path"] for p in hits] == [f"/indicators/{i}/value"], [(p["code"], p["message"]) for p in problems]
    assert f"上年名称为“{name}”" in hits[0]["message"] and f"named '{name}'" in hits[0]["message_en"]
    # renamed, not dropped: last year's row is this one
    assert not [p for p in problems if p["code"] == "review.indicator_dropped"]


def test_names_told_apart_by_a_number_are_not_matched_with_last_year(doc, tmp_path):
    """一类 / 二类 are two indicators to review.duplicate_name, and so to the comparison with last year."""
    doc["indicators"].append(_row("一类补贴发放人数", value=100, unit="人"))
    prev = _previous_pair(doc, tmp_path)
    doc["indicators"][-1].update(name="二类补贴发放人数", value=50)
    problems = _json_review(doc, tmp_path, "--previous", prev)
    assert not [p for p in problems if p["code"] == "review.target_below_last_year"]
    dropped = [p for p in problems if p["code"] == "review.indicator_dropped"]
    assert len(dropped) == 1 and "“一类补贴发放人数”（目标“≥100人”）" in dropped[0]["message"], dropped


def test_an_indicator_dropped_since_last_year_is_noticed_at_the_table(doc, tmp_path):
    from xlgoals import fill

    prev = _previous_pair(doc, tmp_path)
    gone = doc["indicators"].pop(_row_named(doc, "调查有效性"))
    path = fill(doc, tmp_path / "今年.xlsx", force=True)
    result = cli("validate", path, "--review", "--previous", prev, "--format", "json")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    problems = json.loads(result.output)["files"][0]["problems"]
    dropped = [p for p in problems if p["code"] == "review.indicator_dropped"]
    assert len(dropped) == 1, [(p["code"], p["message"]) for p in problems]
    p = dropped[0]
    assert p["severity"] == "notice" and p["path"] == "/indicators" and p["sheet"] == "绩效指标" and p["cell"], p
    assert f"上年申报的指标“{gone['name']}”（目标“{gone['text']}”）" in p["message"], p["message"]
    assert f"indicator '{gone['name']}'" in p["message_en"]
    # nothing dropped: nothing said
    back = _json_review(json.loads((tmp_path / "prev.json").read_text(encoding="utf-8")) | {"year": doc["year"]},
                        tmp_path, "--previous", prev, name="same.json")
    assert not [p for p in back if p["code"] == "review.indicator_dropped"]
