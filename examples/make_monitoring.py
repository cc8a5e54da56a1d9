"""Make the monitoring examples: the five seed projects' June monitoring reports (progress invented for
illustration).

    python examples/make_monitoring.py

Each example is made from its goal table exactly as ``xlgoals template --form monitoring --month 6``
makes a template, then filled with invented progress, so every example is valid (one is behind the
time schedule, a warning); the JSON is what ``xlgoals read`` gives of the workbook, and the workbook is
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
from xlgoals import Config  # noqa: E402
from xlgoals._monitor._targets import monitoring_document  # noqa: E402
from xlgoals._selfeval._scoring import number, round2  # noqa: E402

CFG = Config.load()
OUT = HERE / "monitoring"
MONTH = 6
# per project: share of the full-year budget executed by the end of June, and expected for the year
EXECUTED = (Decimal("0.46"), Decimal("0.52"), Decimal("0.31"), Decimal("0.44"), Decimal("0.58"))
EXPECTED = (Decimal("0.98"), Decimal(1), Decimal("0.90"), Decimal("0.96"), Decimal(1))


def _invent(doc: dict, goal: dict, seed: int) -> dict:
    """Invented progress: most targets on track, one short with its reason, one impossible with reasons and measures."""
    budget = Decimal(str(goal["budget"]["current_year"]))
    full_year = budget if seed != 1 else round2(budget * Decimal("0.95"))  # table 02's budget was cut mid-year
    doc["funds"].update(full_year_budget=number(full_year), executed_to_date=number(round2(full_year * EXECUTED[seed])),
                        expected_full_year=number(round2(full_year * EXPECTED[seed])))
    # quantitative rows past the standard 投入与管理 ones; counts (not rates) among them
    rows = [n for n, ind in enumerate(doc["indicators"]) if n >= 2 and ind["comparator"] in (">=", ">", "=")
            and ind["value"] > 0]
    counts = [n for n in rows if doc["indicators"][n].get("unit") != "%"]
    short = {0: counts[:1], 1: rows[-1:], 2: counts[:1]}.get(seed, [None])[0]
    impossible = rows[-1] if seed == 2 else None
    possible = rows[-1] if seed == 3 else None
    for n, ind in enumerate(doc["indicators"]):
        comp = ind["comparator"]
        ind["likelihood"] = "certain"
        if comp == "qualitative":
            ind["progress"] = "按计划推进"
            ind["expected"] = f"预计{ind['text']}"
            continue
        target = Decimal(str(ind["value"]))
        if comp in ("<=", "<"):
            progress = expected = round2(target * Decimal("0.9")) if target > 0 else target - 1  # within the limit
        elif ind.get("unit") == "%" or comp == "=":
            progress = expected = target if comp != ">" else target + 1  # rates: as planned
        else:
            progress = round2(target * Decimal("0.5"))
            expected = target if comp == ">=" else target + 1
        if n == short:
            progress, expected = round2(target * Decimal("0.35")), round2(target * Decimal("0.85"))
            ind.update(likelihood="possible", deviation_category="staffing",
                       deviation="上半年项目人员调整，部分工作延后；已补充人员，下半年加快推进，预计完成年度指标的85%。")
        elif n == impossible:
            progress, expected = round2(target * Decimal("0.1")), round2(target * Decimal("0.3"))
            ind.update(likelihood="impossible", deviation_category="funding",
                       deviation="配套资金未到位，设备采购延期；已申请调整年度指标，并将剩余资金用于下一阶段实施。",
                       note="拟在预算调整中申请调减")
        elif n == possible:
            ind.update(likelihood="possible", note="下半年集中实施，存在一定不确定性")
        ind["progress"], ind["expected"] = number(progress), number(expected)
    doc["contact"] = {"name": "示例填报人", "phone": "021-00000000", "date": f"{doc['year']}-07-10",
                      "head": "示例负责人"}
    return doc


def main() -> None:
    for seed, path in enumerate(sorted((HERE / "json").glob("*.json"))):
        goal = json.loads(path.read_text(encoding="utf-8"))
        write_example(_invent(monitoring_document(goal, CFG, MONTH), goal, seed), OUT / path.stem, CFG)


if __name__ == "__main__":
    main()
