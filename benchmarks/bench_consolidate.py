"""Consolidation at scale: wall time, both cores, and flat memory, each against a baseline from the same run.

    python benchmarks/bench_consolidate.py [--files 10000] [--sizes 3000,10000,30000] [--baseline 300]

xlgoals runs as the CLI does (`xlgoals consolidate DIR -o OUT --jobs J`) in a child process whose
memory is sampled every 50 ms (the main process and its workers, summed).  Printed, each with the
figure it is compared with:

* wall time of `--files` returns with `--jobs 2` against `--jobs 1` (target: at most 0.6x);
* peak memory at each of `--sizes` against the peak at the smallest (target: at most 1.3x at 30,000
  against 3,000);
* throughput against what one writes without xlgoals on a `--baseline` subset: openpyxl loads each
  file, pandas collects the rows, one to_excel at the end.

Synthetic returns are made once in /tmp/xlgoals-bench/returns (about a minute per 10,000) and reused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import make_corpus  # noqa: E402


def _tree_rss_kb(pid: int) -> int:
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(line.split()[1]) for line in fh if line.startswith("VmRSS"))
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (OSError, StopIteration):
            continue
    return total


def run_xlgoals(folder: Path, out: Path, jobs: int) -> tuple[float, int]:
    """Wall seconds and peak KB (main + workers) of one `xlgoals consolidate`."""
    return run_sampled(["consolidate", str(folder), "-o", str(out), "--jobs", str(jobs), "--no-progress"])


def run_sampled(args: list[str], ok=(0,)) -> tuple[float, int]:
    """Wall seconds and peak KB (main + workers) of one `xlgoals ARGS`, its last line printed."""
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "xlgoals", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    done.set()
    th.join()
    wall = time.perf_counter() - t
    if proc.returncode not in ok:
        raise SystemExit(stderr.decode())
    lines = (stdout or stderr).decode().strip().splitlines()
    print("   ", lines[-1][:150] if lines else "", flush=True)
    return wall, peak


def naive_baseline(files: list[Path], out: Path) -> float:
    import openpyxl
    import pandas as pd

    t = time.perf_counter()
    projects, indicators = [], []
    for f in files:
        wb = openpyxl.load_workbook(f, data_only=True)
        info, ind = wb["项目信息"], wb["绩效指标"]
        unit, name = info["B3"].value, info["B4"].value
        projects.append({"unit": unit, "project": name, "total": info["B10"].value, "current": info["B11"].value})
        df = pd.DataFrame(ind.iter_rows(min_row=4, values_only=True)).dropna(how="all", subset=[1, 2, 3])
        df.insert(0, "project", name)
        df.insert(0, "unit", unit)
        indicators.append(df)
    with pd.ExcelWriter(out, engine="xlsxwriter") as xw:
        p = pd.DataFrame(projects)
        p.groupby("unit")[["total", "current"]].sum().to_excel(xw, sheet_name="汇总")
        p.to_excel(xw, sheet_name="项目清单")
        pd.concat(indicators).to_excel(xw, sheet_name="绩效指标")
    return time.perf_counter() - t


def folder_of(files: list[Path], tmp: Path, name: str) -> Path:
    """A folder holding exactly these files (hard links: xlgoals does not follow symbolic links out of a folder)."""
    folder = tmp / name
    folder.mkdir()
    for f in files:
        os.link(f, folder / f.name)
    return folder


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10000, help="returns for the --jobs 1 / --jobs 2 comparison")
    ap.add_argument("--sizes", default="3000,10000,30000", help="returns for the memory comparison")
    ap.add_argument("--baseline", type=int, default=300, help="files for the naive baseline")
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench/returns"))
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    n_max = max([args.files, *sizes])
    print(f"making/reusing {n_max} synthetic returns in {args.dir} ...", flush=True)
    files = make_corpus(args.dir, n_max)[:n_max]
    with tempfile.TemporaryDirectory(dir=args.dir.parent) as tmp:
        tmp = Path(tmp)
        main_folder = folder_of(files[: args.files], tmp, "main")
        one, _ = run_xlgoals(main_folder, tmp / "one.xlsx", 1)
        two, peak_two = run_xlgoals(main_folder, tmp / "two.xlsx", 2)
        print(f"\nconsolidate {args.files} returns x 30 indicators (wall time)")
        print(f"  --jobs 1     {one:8.2f} s   {args.files / one:6.0f} files/s   (baseline)")
        print(f"  --jobs 2     {two:8.2f} s   {args.files / two:6.0f} files/s   ratio {two / one:.2f}x "
              f"(target <= 0.6x: {'met' if two / one <= 0.6 else 'NOT met'})")
        peaks = {}
        for n in sizes:
            _, peaks[n] = run_xlgoals(folder_of(files[:n], tmp, f"n{n}"), tmp / f"m{n}.xlsx", 2)
        base_n = min(sizes)
        print("\npeak memory, main process + workers, --jobs 2")
        for n in sizes:
            ratio = peaks[n] / peaks[base_n]
            verdict = "" if n == base_n else f"   ratio {ratio:.2f}x to {base_n}"
            if n >= 10 * base_n:
                verdict += f" (target <= 1.3x: {'met' if ratio <= 1.3 else 'NOT met'})"
            print(f"  {n:>6} returns {peaks[n] / 1024:8.0f} MB{verdict}")
        sub = folder_of(files[: args.baseline], tmp, "sub")
        small, _ = run_xlgoals(sub, tmp / "small.xlsx", 2)
        base = naive_baseline(files[: args.baseline], tmp / "naive.xlsx")
        print(f"\n{args.baseline} returns, same run")
        print(f"  xlgoals --jobs 2        {small:7.2f} s  ({args.baseline / small:6.0f} files/s)")
        print(f"  naive openpyxl+pandas   {base:7.2f} s  ({args.baseline / base:6.0f} files/s, one process)")
        print(f"  ratio naive/xlgoals     {base / small:7.1f}x")


if __name__ == "__main__":
    main()
