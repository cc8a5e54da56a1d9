"""Read + validate milliseconds per return: a self-evaluation next to a goal table with the same indicators.

    python benchmarks/bench_self_evaluation.py [--files 200] [--dir /tmp/xlgoals-bench-selfeval]

Each synthetic goal table (30 indicators, as in bench_read_validate.py) is written with
``xlgoals fill``, and its self-evaluation is made from it as ``template --form self-evaluation``
makes one, then filled with results scored by the rules (so both pass).  Both are read and
validated in the same run, alternating, on one core; the target is a ratio of at most 1.0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import synthetic_document  # noqa: E402
from xlgoals import Config, fill, validate_file  # noqa: E402
from xlgoals._selfeval._scoring import ScoringTable, number, score_funds, score_indicator  # noqa: E402
from xlgoals._selfeval._targets import self_evaluation_document  # noqa: E402

CONFIG = Config.load()
# Per-file cost inside a batch (validate of a folder, consolidate): the batch loads OpenSSL's SHA-256, as
# check_files does before its workers start; a single check keeps the built-in one (see bench_startup).
from xlgoals._read._safety import batch_hashing  # noqa: E402

batch_hashing()


def _self_evaluation(goal: dict, i: int) -> dict:
    table = ScoringTable.load()
    doc = self_evaluation_document(goal, CONFIG)
    budget = goal["budget"]["current_year"] or 1
    doc["funds"].update(initial_budget=budget, full_year_budget=budget, executed=number(Decimal(budget) * 95 / 100),
                        deviation=None)
    doc["funds"]["score"] = number(score_funds(doc["funds"], table).score)
    for n, ind in enumerate(doc["indicators"]):
        if ind["comparator"] == "qualitative":
            ind.update(actual="已完成", grade="achieved", score=ind["points"])
        else:
            ind["actual"] = ind["value"] if (n + i) % 5 else number(Decimal(repr(ind["value"])) * Decimal("0.9"))
            ind["score"] = number(score_indicator(ind, table).score)
            ind["deviation"] = "进度延后" if ind["score"] < ind["points"] else None
    doc["overall"]["achieved"] = "基本完成"
    doc["contact"] = {"name": "某人", "phone": "021-00000000", "date": "2021-01-20"}
    return doc


def make_pairs(folder: Path, n: int) -> list[tuple[Path, Path]]:
    folder.mkdir(parents=True, exist_ok=True)
    pairs = []
    for i in range(n):
        goal_path, se_path = folder / f"goal_{i:05d}.xlsx", folder / f"self_{i:05d}.xlsx"
        if not (goal_path.exists() and se_path.exists()):
            goal = synthetic_document(i)
            fill(goal, goal_path, config=CONFIG)
            fill(_self_evaluation(goal, i), se_path, config=CONFIG)
        pairs.append((goal_path, se_path))
    return pairs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench-selfeval"))
    args = ap.parse_args()
    pairs = make_pairs(args.dir, args.files)
    for goal, se in pairs[:10]:  # warm caches and lazy imports for both
        validate_file(goal, config=CONFIG)
        validate_file(se, config=CONFIG)
    times = {"goal": [], "self": []}
    bad = 0
    for goal, se in pairs:
        for key, path in (("goal", goal), ("self", se)):
            t = time.perf_counter()
            report = validate_file(path, config=CONFIG)
            times[key].append((time.perf_counter() - t) * 1000)
            bad += not report.passes()
    print(f"{len(pairs)} pairs: a goal table of 30 indicators and its self-evaluation, one core, same run "
          f"({bad} returns did not pass)")
    print(f"{'form':<28}{'mean ms':>10}{'median ms':>11}{'p95 ms':>10}")
    for name, key in (("goal table", "goal"), ("self-evaluation", "self")):
        t = times[key]
        print(f"{name:<28}{statistics.mean(t):>10.2f}{statistics.median(t):>11.2f}{sorted(t)[int(len(t) * .95)]:>10.2f}")
    ratio = statistics.mean(times["self"]) / statistics.mean(times["goal"])
    print(f"self-evaluation / goal table: {ratio:.2f}  (target: <= 1.0: {'met' if ratio <= 1.0 else 'NOT met'})")


if __name__ == "__main__":
    main()
