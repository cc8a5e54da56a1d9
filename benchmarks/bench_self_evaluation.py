"""Read + validate milliseconds per return: a self-evaluation next to a goal table with the same indicators.

    python benchmarks/bench_self_evaluation.py [--files 200] [--dir /tmp/xlgoals-bench-selfeval]
                                               [--memory 1000,10000] [--targets 1000,10000]

Each synthetic goal table (30 indicators, as in bench_read_validate.py) is written with
``xlgoals fill``, and its self-evaluation is made from it as ``template --form self-evaluation``
makes one, then filled with results scored by the rules (so both pass).  Both are read and
validated in the same run, alternating, on one core; the target is a ratio of at most 1.0.

With ``--memory N1,N2`` it also consolidates N1 and N2 self-evaluations and as many goal tables
(``xlgoals consolidate DIR --jobs 2``, main process and workers sampled as in bench_consolidate.py) and
prints each peak, the growth from N1 to N2 of each form, and the self-evaluation's peak against the goal
table's: the target is the goal table's bound, at most 1.3x from 3,000 to 30,000 (so at most that from
N1 to N2 here, N2 ten times N1).

With ``--targets N1,N2`` it validates N1 and N2 self-evaluations against their N goal tables, as the
bureau checks the year's returns (``xlgoals validate DIR --targets GOALS --jobs 2``), next to the same
validation without ``--targets`` in the same run: wall time and peak memory (main process and workers) of
each, and the growth of the peak from N1 to N2.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import as_in_a_batch, synthetic_document  # noqa: E402
from xlgoals import Config, fill, validate_file  # noqa: E402
from xlgoals._decimals import dec  # noqa: E402
from xlgoals._selfeval._scoring import ScoringTable, number, score_funds, score_indicator  # noqa: E402
from xlgoals._selfeval._targets import self_evaluation_document  # noqa: E402

CONFIG = Config.load()
as_in_a_batch()


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
            ind["actual"] = ind["value"] if (n + i) % 5 else number(dec(ind["value"]) * Decimal("0.9"))
            ind["score"] = number(score_indicator(ind, table).score)
            ind["deviation"] = "进度延后" if ind["score"] < ind["points"] else None
    doc["overall"]["achieved"] = "基本完成"
    doc["contact"] = {"name": "某人", "phone": "021-00000000", "date": "2021-01-20"}
    return doc


def _cells_read(path: Path) -> int:
    """Non-empty cells of the two sheets the reader reads (the form's header sheet and its table)."""
    import python_calamine

    from xlgoals import FORMS

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    form = next(f for f in FORMS.values() if f.table.name in wb.sheet_names)
    return sum(1 for name in (form.info.name, form.table.name)
               for row in wb.get_sheet_by_name(name).to_python() for v in row if v != "")


def _make_pair(args):
    i, folder = args
    goal_path, se_path = Path(folder) / f"goal_{i:05d}.xlsx", Path(folder) / f"self_{i:05d}.xlsx"
    if not (goal_path.exists() and se_path.exists()):
        goal = synthetic_document(i)
        fill(goal, goal_path, config=CONFIG, force=True)  # one of the pair may be there
        fill(_self_evaluation(goal, i), se_path, config=CONFIG, force=True)
    return goal_path, se_path


def make_pairs(folder: Path, n: int) -> list[tuple[Path, Path]]:
    """(goal table, self-evaluation) paths of `n` synthetic pairs, made once on every core and reused."""
    import multiprocessing as mp

    folder.mkdir(parents=True, exist_ok=True)
    with mp.get_context("fork").Pool() as pool:
        return pool.map(_make_pair, [(i, str(folder)) for i in range(n)], chunksize=50)


@contextlib.contextmanager
def sized_folders(folder: Path, sizes: list[int]):
    """(a scratch folder, {(0 or 1, N): a folder of the first N goal tables (0) or self-evaluations (1)})."""
    import tempfile

    from bench_consolidate import folder_of

    print(f"making/reusing {max(sizes)} goal tables and self-evaluations in {folder} ...", flush=True)
    pairs = make_pairs(folder, max(sizes))
    with tempfile.TemporaryDirectory(dir=folder.parent) as tmp:
        tmp = Path(tmp)
        yield tmp, {(k, n): folder_of([p[k] for p in pairs[:n]], tmp, f"{k}-{n}") for n in sizes for k in (0, 1)}


def memory(folder: Path, sizes: list[int]) -> None:
    from bench_consolidate import run_xlgoals

    peaks: dict = {}
    with sized_folders(folder, sizes) as (tmp, folders):
        for n in sizes:
            for form, k in (("goal table", 0), ("self-evaluation", 1)):
                _, peaks[form, n] = run_xlgoals(folders[k, n], tmp / f"{k}-{n}.xlsx", 2)
    low, high = min(sizes), max(sizes)
    print("\npeak memory of consolidate, main process + workers, --jobs 2")
    for form in ("goal table", "self-evaluation"):
        grow = peaks[form, high] / peaks[form, low]
        print(f"  {form:<16} {low:>6}: {peaks[form, low] / 1024:6.0f} MB   {high:>6}: {peaks[form, high] / 1024:6.0f} MB"
              f"   growth {grow:.2f}x (target <= 1.3x: {'met' if grow <= 1.3 else 'NOT met'})")
    print(f"  self-evaluation / goal table at {high}: {peaks['self-evaluation', high] / peaks['goal table', high]:.2f}x")


def targets(folder: Path, sizes: list[int]) -> None:
    from bench_consolidate import run_sampled

    runs: dict = {}
    with sized_folders(folder, sizes) as (tmp, folders):
        for n in sizes:
            base = ["validate", str(folders[1, n]), "--jobs", "2", "--format", "json", "-o", str(tmp / "r.json")]
            runs["without", n] = run_sampled(base, ok=(0, 1))
            runs["with", n] = run_sampled([*base, "--targets", str(folders[0, n])], ok=(0, 1))
    print("\nvalidate of self-evaluations, --jobs 2: wall seconds and peak memory (main process + workers)")
    for n in sizes:
        (w0, p0), (w1, p1) = runs["without", n], runs["with", n]
        print(f"  {n:>6}: without --targets {w0:6.1f} s {p0 / 1024:5.0f} MB; with {w1:6.1f} s {p1 / 1024:5.0f} MB"
              f"   ({w1 / w0:.2f}x the time, {p1 / p0:.2f}x the memory)")
    low, high = min(sizes), max(sizes)
    print(f"  peak with --targets, {low} -> {high}: {runs['with', high][1] / runs['with', low][1]:.2f}x")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=200)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench-selfeval"))
    ap.add_argument("--memory", default="", help="e.g. 1000,10000: also the consolidation's peak memory at these sizes")
    ap.add_argument("--targets", default="", help="e.g. 1000,10000: also validate --targets at these sizes")
    args = ap.parse_args()
    pairs = make_pairs(args.dir, args.files)
    for goal, se in pairs[:10]:  # warm caches and lazy imports for both
        validate_file(goal, config=CONFIG, isolated=False)
        validate_file(se, config=CONFIG, isolated=False)
    times = {"goal": [], "self": []}
    bad = 0
    for goal, se in pairs:
        for key, path in (("goal", goal), ("self", se)):
            t = time.perf_counter()
            report = validate_file(path, config=CONFIG, isolated=False)  # in place, as a worker reads
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
    cells = {key: statistics.mean(_cells_read(p[k]) for p in pairs[:50]) for key, k in (("goal", 0), ("self", 1))}
    per = {key: statistics.mean(times[key]) / cells[key] * 1000 for key in cells}
    print(f"cells the reader reads: goal table {cells['goal']:.0f}, self-evaluation {cells['self']:.0f} "
          f"({cells['self'] / cells['goal']:.2f}x); ms per 1,000 cells: {per['goal']:.2f} and {per['self']:.2f} "
          f"({per['self'] / per['goal']:.2f}x)")
    if args.memory:
        memory(args.dir, [int(n) for n in args.memory.split(",") if n])
    if args.targets:
        targets(args.dir, [int(n) for n in args.targets.split(",") if n])


if __name__ == "__main__":
    main()
