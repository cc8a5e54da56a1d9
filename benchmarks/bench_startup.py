"""A single check, as a clerk runs it on each file that arrives: start-up time against `python -c pass`.

    python benchmarks/bench_startup.py [--runs 7]

Each command runs `--runs` times, interleaved with the others; the minimum of each is compared
with the minimum of `python -c pass` on the same interpreter, in the same run.
Targets: `xlgoals --help` at most 5x, `xlgoals validate one.xlsx` at most 10x.

The package's bytecode is compiled first, as ``pip install`` does: a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module again on every run, which measures
the compiler (about 20 ms), not xlgoals.  The standard library is compiled already.
"""

from __future__ import annotations

import argparse
import compileall
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = ROOT / "examples" / "returns" / "02_促进就业专项资金.xlsx"


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    py = sys.executable
    compileall.compile_dir(ROOT / "xlgoals", quiet=2)
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "xlgoals --help": [py, "-m", "xlgoals", "--help"],
        "xlgoals validate one.xlsx": [py, "-m", "xlgoals", "validate", str(ONE)],
    }
    best = {name: float("inf") for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            best[name] = min(best[name], timed(cmd))
    base = best["python -c pass"]
    targets = {"xlgoals --help": 5, "xlgoals validate one.xlsx": 10}
    print(f"minimum of {args.runs} interleaved runs, {py}")
    for name, t in best.items():
        ratio = t / base
        target = targets.get(name)
        verdict = f"  (target <= {target}x: {'met' if ratio <= target else 'NOT met'})" if target else ""
        print(f"  {name:<28}{t * 1000:8.0f} ms  {ratio:5.1f}x{verdict}")


if __name__ == "__main__":
    main()
