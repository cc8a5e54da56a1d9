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
