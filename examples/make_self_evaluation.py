"""Make the self-evaluation examples: the five seed projects' self-evaluations (actuals invented for
illustration), one return with mistakes, and a national-2021 goal table with its self-evaluation.

    python examples/make_self_evaluation.py

Each example is made from its goal table exactly as ``xlgoals template --form self-evaluation``
makes a template, then filled with invented results scored by the scoring rules, so every
example is valid; the JSON is what ``xlgoals read`` gives of the workbook, and the workbook is
``xlgoals fill`` of the JSON.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _roundtrip import write_example  # noqa: E402
from xlgoals import Config, fill  # noqa: E402
from xlgoals._selfeval._scoring import ScoringTable, number, round2, score_funds, score_indicator  # noqa: E402
from xlgoals._selfeval._targets import self_evaluation_document  # noqa: E402

CFG = Config.load()
TABLE = ScoringTable.load()
OUT = HERE / "self-evaluation"
RECEIVED = HERE / "received-self-evaluation"
NATIONAL = HERE / "national-2021"


def _invent(doc: dict, goal: dict, seed: int) -> dict:
    """Invented results: most targets met, some short, one beaten by far; scores as the rules give them."""
    budget = Decimal(str(goal["budget"]["current_year"]))
    executed = round2(budget * Decimal(96 + seed % 4) / 100)
    doc["funds"].update(initial_budget=number(budget), full_year_budget=number(budget), executed=number(executed),
                        sources={"fiscal": {"initial_budget": number(budget), "full_year_budget": number(budget),
                                            "executed": number(executed)}})
    doc["funds"]["score"] = number(score_funds(doc["funds"], TABLE).score)
    beyond = next((n for n, ind in enumerate(doc["indicators"]) if ind["comparator"] in (">=", ">")
                   and ind.get("unit") != "%" and ind["value"] > 0), None)
    for n, ind in enumerate(doc["indicators"]):
        comp = ind["comparator"]
        if comp == "qualitative":
            ind["actual"] = f"{ind['text']}（已达成）"
            ind["grade"] = "achieved"
            ind["score"] = ind["points"]
            continue
        target = Decimal(str(ind["value"]))
        if n == beyond:
            actual = round2(target * Decimal("1.5"))  # far beyond the target
        elif comp in (">=", ">") and target > 0 and (n + seed) % 7 == 3:
            actual = round2(target * Decimal("0.9"))  # short of the target
        elif comp in ("<=", "<"):
            actual = round2(target * Decimal("0.9"))
        else:
            actual = target
        ind["actual"] = number(actual)
        scored = score_indicator(ind, TABLE)
        ind["score"] = number(scored.score)
        if scored.score < scored.points:
            ind["deviation"] = "受疫情影响，部分计划延后实施；下一年度将加强进度跟踪，按月通报完成情况。"
        elif actual >= target * Decimal("1.3") and comp in (">=", ">"):
            ind["deviation"] = "需求高于年初预计，超额完成；下一年度将根据实际需求调整目标值。"
    doc["overall"]["achieved"] = "年度总体目标基本完成，各项产出和效果指标总体达到预期（示例数据，为演示而编造）。"
    doc["contact"] = {"name": "示例填报人", "phone": "021-00000000", "date": f"{doc['year'] + 1}-01-20",
                      "head": "示例负责人"}
    return doc


NATIONAL_GOAL = {
    "schema_version": "1", "framework": "national-2021", "year": 2022, "unit": "某市人力资源和社会保障局",
    "project": {"name": "公共就业服务能力提升项目", "category": "特定目标类项目", "start_date": "2022-01-01",
                "end_date": "2022-12-31", "government_procurement": True, "performance_type": "培训类",
                "overview": "为城乡劳动者提供职业技能培训和就业服务（示例）。", "basis": "《就业促进法》（示例）。",
                "necessity": "提升劳动者技能，稳定就业（示例）。", "safeguards": "专项资金管理办法（示例）。",
                "plan": "一季度招标，二至四季度开班（示例）。",
                "goals": "全年完成职业技能培训 5000 人次，培训合格率不低于 90%，服务对象满意度不低于 85%（示例）。"},
    "budget": {"total": 3_000_000, "current_year": 3_000_000, "prior_year_budget": None, "prior_year_executed": None},
    "indicators": [
        {"id": "C1", "level1": "成本指标", "level2": "经济成本指标", "name": "人均培训成本", "comparator": "<=",
         "value": 600, "unit": "元"},
        {"id": "P1", "level1": "产出指标", "level2": "数量指标", "name": "培训人次", "comparator": ">=",
         "value": 5000, "unit": "人次"},
        {"id": "P2", "level1": "产出指标", "level2": "质量指标", "name": "培训合格率", "comparator": ">=",
         "value": 90, "unit": "%"},
        {"id": "P3", "level1": "产出指标", "level2": "时效指标", "name": "培训按期完成", "comparator": "qualitative",
         "text": "按期完成"},
        {"id": "E1", "level1": "效益指标", "level2": "社会效益指标", "name": "培训后就业率", "comparator": ">=",
         "value": 60, "unit": "%"},
        {"id": "E2", "level1": "效益指标", "level2": "可持续影响指标", "name": "培训机构长效机制", "comparator": "qualitative",
         "text": "建立"},
        {"id": "S1", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "学员满意度", "comparator": ">=",
         "value": 85, "unit": "%"},
    ],
}


def main() -> None:
    goals = sorted((HERE / "json").glob("*.json"))
    for seed, path in enumerate(goals):
        goal = json.loads(path.read_text(encoding="utf-8"))
        write_example(_invent(self_evaluation_document(goal, CFG), goal, seed), OUT / path.stem, CFG)
    # one return with mistakes: a wrong 得分, and a missing 偏差原因 where points were lost
    doc = json.loads((OUT / goals[1].stem).with_suffix(".json").read_text(encoding="utf-8"))
    wrong = next(i for i in doc["indicators"] if i["comparator"] not in ("qualitative",) and i["actual"] == i["value"])
    wrong["score"] = round(wrong["points"] / 2, 2)
    short = next(i for i in doc["indicators"] if i.get("deviation"))
    short["deviation"] = None
    RECEIVED.mkdir(parents=True, exist_ok=True)
    fill(doc, RECEIVED / f"{goals[1].stem}_有误.xlsx", config=CFG, force=True)  # made again
    # a national-2021 goal table and its self-evaluation
    NATIONAL.mkdir(parents=True, exist_ok=True)
    (NATIONAL / "目标表.json").write_text(json.dumps(NATIONAL_GOAL, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    fill(NATIONAL_GOAL, NATIONAL / "目标表.xlsx", config=CFG, force=True)
    write_example(_invent(self_evaluation_document(NATIONAL_GOAL, CFG), NATIONAL_GOAL, 3), NATIONAL / "自评表", CFG)


if __name__ == "__main__":
    main()
