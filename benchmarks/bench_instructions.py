"""Read + validate per return in CPU instructions (valgrind's callgrind), this checkout against another commit.

    python benchmarks/bench_instructions.py [--base main] [--files 30] [--dir /tmp/xlgoals-bench-selfeval]
    python benchmarks/bench_instructions.py --invalid [--base main] [--files 30]

Wall-clock timings are noise on a shared machine; the instructions a run executes are not (to well under 1 %).
For each of the two codes (the commit `--base`, exported with ``git archive``, and this working tree) it counts
the instructions of ``validate_file`` over `--files` goal tables and, separately, their self-evaluations (the
synthetic pairs of bench_self_evaluation.py, 30 indicators each), after the same warm-up on ten other pairs,
and subtracts a run that only warms up: instructions per file.  calamine reading every sheet of the same goal
tables is the floor of bench_read_validate.py.  Printed: each figure per file, this tree against the base for
each form, the self-evaluation against the goal table (issue #11's target: at most 1.0), and the goal table
against calamine.  Needs valgrind; nine runs of a few minutes each (a first unmeasured run of each code fills its own cache folder).

With ``--invalid`` (issue #10.3: an invalid return costs at most 1.5x a valid one) it counts instead, for each code,
goal tables written from the synthetic documents as they are (``valid_*``) and the same with ten schema problems
each (``invalid_*``: nine indicator names left out and a start date left empty, as bench_read_validate.py writes
them), both after a warm-up on ten of each, and prints invalid / valid for each code.

Instructions compare Python with Python (a change, one form with another) about as time does, not Python with
calamine's Rust (its work per instruction is another: on one machine 2.0x in instructions was 3.0x in time):
issue #10's target (at most 2x calamine) is a time ratio, for bench_read_validate.py on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WARM = 10


def worker(kind: str, n: int, folder: Path) -> None:
    """Validate the first `n` files of `kind` after the warm-up pairs (run under callgrind)."""
    sys.path.insert(0, str(HERE))
    from synth import as_in_a_batch

    from xlgoals import Config, validate_file

    config = Config.load()
    as_in_a_batch()
    import inspect

    # each file read in place, as validate's and consolidate's workers read it (a code with `isolated` would otherwise
    # read each in a bounded child of its own: a fork per file)
    in_place = {"isolated": False} if "isolated" in inspect.signature(validate_file).parameters else {}
    goals, selfs = sorted(folder.glob("goal_*.xlsx")), sorted(folder.glob("self_*.xlsx"))
    valid, invalid = sorted(folder.glob("valid_*.xlsx")), sorted(folder.glob("invalid_*.xlsx"))
    for g, s in zip(goals[:WARM], selfs[:WARM]):
        validate_file(g, config=config, **in_place)
        validate_file(s, config=config, **in_place)
    if kind in ("valid", "invalid", "warm-invalid"):  # --invalid: both kinds warmed alike (and what they import)
        for v, i in zip(valid[:WARM], invalid[:WARM]):
            validate_file(v, config=config, **in_place)
            validate_file(i, config=config, **in_place)
    import python_calamine  # (loaded by the warm-up already: nothing more to warm, so one warm-up run serves all)

    files = {"goal": goals, "self": selfs, "calamine": goals, "valid": valid, "invalid": invalid,
             "warm-invalid": []}[kind][WARM:WARM + n]
    for f in files:
        if kind == "calamine":
            wb = python_calamine.CalamineWorkbook.from_path(str(f))
            sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)
        else:
            validate_file(f, config=config, **in_place)


def instructions(code: Path, kind: str, n: int, folder: Path, cache: Path | None = None) -> int:
    env = {**os.environ, "PYTHONPATH": str(code), "PYTHONHASHSEED": "0"}
    if cache is not None:  # a cache folder of this code's own (the checked rule table, frameworks, schema checks)
        env["XDG_CACHE_HOME"] = str(cache)
    proc = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                           str(Path(__file__).resolve()), "--worker", kind, str(n), str(folder)],
                          env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", proc.stderr)
    if proc.returncode != 0 or not found:
        sys.exit(f"callgrind run failed ({kind}, {code}):\n{proc.stderr[-2000:]}")
    return int(found.group(1))


def invalid_pairs(folder: Path, n: int) -> None:
    """`n` goal tables written from the synthetic documents (valid_*) and the same with ten schema problems each
    (invalid_*), as bench_read_validate.py's invalid copies; made once and reused."""
    sys.path.insert(0, str(HERE))
    from synth import synthetic_document

    from xlgoals._write._workbook import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        valid, invalid = folder / f"valid_{i:05d}.xlsx", folder / f"invalid_{i:05d}.xlsx"
        if not valid.exists():
            doc = synthetic_document(i)
            valid.write_bytes(build_workbook(doc["framework"], doc["year"], doc, rows=30))
        if not invalid.exists():
            doc = synthetic_document(i)
            doc["project"]["start_date"] = None
            for ind in doc["indicators"][10:19]:
                ind.pop("name", None)
            invalid.write_bytes(build_workbook(doc["framework"], doc["year"], doc, rows=30))


def exported(commit: str, tmp: Path) -> Path:
    """The code of `commit` (``git archive``) in a folder of `tmp`."""
    base = tmp / "base"
    base.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(base)], input=archive.stdout, check=True)
    return base


def main_invalid(args) -> None:
    """--invalid: valid and invalid goal tables, per file, for the base and this tree."""
    invalid_pairs(args.dir, WARM + args.files)
    with tempfile.TemporaryDirectory() as tmp:
        base = exported(args.base, Path(tmp))
        per: dict = {}
        for name, code in (("base", base), ("this tree", ROOT)):
            cache = Path(tmp) / f"cache-{name.replace(' ', '-')}"
            instructions(code, "warm-invalid", 0, args.dir, cache)  # fills the cache folder (see main)
            warm = instructions(code, "warm-invalid", 0, args.dir, cache)
            for kind in ("valid", "invalid"):
                per[name, kind] = (instructions(code, kind, args.files, args.dir, cache) - warm) / args.files
                print(f"  {name:<10} {kind:<9} {per[name, kind] / 1e6:8.2f} M instructions per file", flush=True)
    print(f"\n{args.files} goal tables, 30 indicators, valid and with ten schema problems each; instructions per file "
          "(millions), read + validate")
    print(f"{'':<28}{'base ' + args.base:>16}{'this tree':>12}{'this / base':>13}")
    for label, kind in (("valid", "valid"), ("10 problems each", "invalid")):
        old, new = per["base", kind], per["this tree", kind]
        print(f"{label:<28}{old / 1e6:>16.2f}{new / 1e6:>12.2f}{new / old:>13.3f}")
    for name in ("base", "this tree"):
        ratio = per[name, "invalid"] / per[name, "valid"]
        print(f"{name}: invalid / valid {ratio:.3f} (target <= 1.5, in instructions, not time)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base", default="main", help="the commit to compare with (default: main)")
    ap.add_argument("--files", type=int, default=30)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench-selfeval"))
    ap.add_argument("--invalid", action="store_true",
                    help="valid against invalid goal tables (ten schema problems each), instead of the two forms")
    ap.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, n, folder = args.worker
        worker(kind, int(n), Path(folder))
        return
    if args.invalid:
        sys.path.insert(0, str(HERE))
        from bench_self_evaluation import make_pairs

        make_pairs(args.dir, WARM)  # the warm-up's pairs
        main_invalid(args)
        return
    sys.path.insert(0, str(HERE))
    from bench_self_evaluation import make_pairs

    make_pairs(args.dir, WARM + args.files)
    with tempfile.TemporaryDirectory() as tmp:
        base = exported(args.base, Path(tmp))
        per: dict = {}
        for name, code in (("base", base), ("this tree", ROOT)):
            # Every measured run, the warm-up-only one subtracted included, starts with the same cache: a first run
            # fills the code's own cache folder (code that keeps its parsed rule table on disk would otherwise pay
            # the parse in the subtracted run only, and its files would seem cheaper by that parse over n files).
            cache = Path(tmp) / f"cache-{name.replace(' ', '-')}"
            instructions(code, "goal", 0, args.dir, cache)
            warm = instructions(code, "goal", 0, args.dir, cache)
            for kind in ("goal", "self") + (("calamine",) if name == "base" else ()):
                per[name, kind] = (instructions(code, kind, args.files, args.dir, cache) - warm) / args.files
                print(f"  {name:<10} {kind:<9} {per[name, kind] / 1e6:8.2f} M instructions per file", flush=True)
    floor = per["base", "calamine"]
    print(f"\n{args.files} files of each form, 30 indicators; instructions per file (millions), read + validate")
    print(f"{'':<28}{'base ' + args.base:>16}{'this tree':>12}{'this / base':>13}")
    for label, kind in (("goal table", "goal"), ("self-evaluation", "self")):
        old, new = per["base", kind], per["this tree", kind]
        print(f"{label:<28}{old / 1e6:>16.2f}{new / 1e6:>12.2f}{new / old:>13.3f}")
    print(f"{'calamine, all sheets':<28}{floor / 1e6:>16.2f}")
    for name in ("base", "this tree"):
        print(f"{name}: self-evaluation / goal table {per[name, 'self'] / per[name, 'goal']:.3f} (target <= 1.0); "
              f"goal table / calamine {per[name, 'goal'] / floor:.2f} (in instructions, not time)")


if __name__ == "__main__":
    main()
