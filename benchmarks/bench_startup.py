"""A single check, as a clerk runs it on each file that arrives: start-up time against `python -c pass`.

    python benchmarks/bench_startup.py [--runs 7]

Each command runs `--runs` times, interleaved with the others; the minimum of each is compared
with the minimum of `python -c pass` on the same interpreter, in the same run.
Targets: `xlgoals --help` at most 5x, `xlgoals validate one.xlsx` at most 10x.

The package's bytecode is compiled first, as ``pip install`` does: a checkout run with
PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module again on every run, which measures
the compiler (about 20 ms), not xlgoals.  The standard library is compiled already.

    python benchmarks/bench_startup.py --instructions [--base main]

On a shared machine, where timings are noise: the CPU instructions of each command (valgrind's callgrind,
deterministic to well under 1 %), this tree against the commit `--base` (exported with ``git archive``), and
both against `python -c pass`, with the user's cache folder as the first run leaves it, and once more with no cache
folder to use (a read-only home: the packaged rule table and frameworks parsed, the schema checks compiled, every
run).  A single check forks a child to read the file: the child's count includes what
its parent did before the fork, so the figure is the largest process's count (what runs one after the other,
without the parent's few instructions after the child ends).  Each runs in an empty folder: Python lists the
current folder (the first entry of sys.path) once, and a crowded one (/tmp) adds millions of instructions
that change from run to run.  Needs valgrind; a minute or two.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ONE = ROOT / "examples" / "returns" / "02_促进就业专项资金.xlsx"


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - t


def instructions(code: Path, cmd: list[str], cwd: str, cache: str | None = None) -> int:
    """Instructions of the largest process `cmd` runs (see the module's docstring), with `code` first on the path
    (and `cache` as XDG_CACHE_HOME, where given)."""
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0", **({"XDG_CACHE_HOME": cache} if cache else {})}
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd], env=env, cwd=cwd,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    found = [int(n) for n in re.findall(r"Collected : (\d+)", proc.stderr)]
    if not found:
        sys.exit(f"callgrind run failed ({' '.join(cmd)}):\n{proc.stderr[-2000:]}")
    return max(found)


def compare_instructions(base_commit: str) -> None:
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        base, empty = Path(tmp) / "base", Path(tmp) / "cwd"
        base.mkdir()
        empty.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", base_commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
        for code in (base, ROOT):
            compileall.compile_dir(code / "xlgoals", quiet=2)
        one = base / ONE.relative_to(ROOT)  # the same file for both
        counts = {}
        nowhere = Path(tmp) / "a-file"  # a cache folder that cannot be made: every run parses and compiles afresh
        nowhere.write_text("")
        commands = {"xlgoals --help": ([py, "-m", "xlgoals", "--help"], None),
                    "xlgoals validate one.xlsx": ([py, "-m", "xlgoals", "validate", str(one)], None),
                    "  the same, no cache folder": ([py, "-m", "xlgoals", "validate", str(one)], str(nowhere / "x"))}
        for code in (base, ROOT):  # once each first: the caches (schema checks, rule table, frameworks) are written
            subprocess.run([py, "-m", "xlgoals", "validate", str(one)], env={**os.environ, "PYTHONPATH": str(code)},
                           cwd=empty, capture_output=True, check=False)
        counts["pass"] = instructions(base, [py, "-c", "pass"], str(empty))
        for name, (cmd, cache) in commands.items():
            for label, code in (("base", base), ("this tree", ROOT)):
                counts[name, label] = instructions(code, cmd, str(empty), cache)
    floor = counts["pass"]
    print(f"CPU instructions (millions), largest process; python -c pass: {floor / 1e6:.1f}")
    print(f"{'':<28}{'base ' + base_commit:>16}{'this tree':>12}{'this / base':>13}")
    for name in commands:
        old, new = counts[name, "base"], counts[name, "this tree"]
        print(f"{name:<28}{old / 1e6:>16.1f}{new / 1e6:>12.1f}{new / old:>13.3f}")
        print(f"{'  / python -c pass':<28}{old / floor:>15.2f}x{new / floor:>11.2f}x")
    print("(instructions, not time: `python -c pass` spends more of its time in the kernel, loading the interpreter,\n"
          " so these ratios are larger than the timed ones; compare base with this tree, not with the targets)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--instructions", action="store_true", help="count CPU instructions with callgrind instead")
    ap.add_argument("--base", default="main", help="with --instructions: the commit to compare with (default: main)")
    args = ap.parse_args()
    if args.instructions:
        compare_instructions(args.base)
        return
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
