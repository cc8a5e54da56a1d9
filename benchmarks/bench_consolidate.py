"""Consolidation at scale: wall time, files/s and peak memory for N returns, against a naive baseline.

    python benchmarks/bench_consolidate.py [--files 10000] [--baseline 300] [--jobs 2]

xlgoals runs as the CLI would (`xlgoals consolidate DIR -o OUT --jobs J`), in a child
process whose memory is sampled (main process and its workers, summed) every 100 ms.
The baseline, on a subset in the same run, is what one writes without xlgoals: openpyxl
loads each file, pandas collects the rows, one to_excel at the end.
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
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "xlgoals", "consolidate", str(folder), "-o", str(out),
                             "--jobs", str(jobs), "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.1)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    stdout, stderr = proc.communicate()
    done.set()
    th.join()
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(stderr.decode())
    print("   ", stdout.decode().strip().splitlines()[-1])
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--baseline", type=int, default=300, help="files for the naive baseline")
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench/returns"))
    args = ap.parse_args()
    print(f"making/reusing {args.files} synthetic returns in {args.dir} ...", flush=True)
    files = make_corpus(args.dir, args.files)[: args.files]
    folder = args.dir
    if len(list(args.dir.glob("*.xlsx"))) != args.files:  # consolidate exactly N files
        folder = Path(tempfile.mkdtemp(prefix="xlgoals-bench-"))
        for f in files:
            os.symlink(f, folder / f.name)
    with tempfile.TemporaryDirectory() as tmp:
        wall, peak_kb = run_xlgoals(folder, Path(tmp) / "summary.xlsx", args.jobs)
        sub = Path(tmp) / "sub"
        sub.mkdir()
        for f in files[: args.baseline]:
            os.symlink(f, sub / f.name)
        small_wall, _ = run_xlgoals(sub, Path(tmp) / "small.xlsx", args.jobs)
        base = naive_baseline(files[: args.baseline], Path(tmp) / "naive.xlsx")
    n = len(files)
    print(f"\nxlgoals consolidate, {n} returns x 30 indicators, --jobs {args.jobs}")
    print(f"  wall time   {wall:8.2f} s   (target <= 15 s: {'met' if wall <= 15 else 'NOT met'})")
    print(f"  throughput  {n / wall:8.0f} files/s")
    print(f"  peak memory {peak_kb / 1024:8.0f} MB  (main + workers; target <= 400 MB: "
          f"{'met' if peak_kb / 1024 <= 400 else 'NOT met'})")
    print(f"\nsubset of {args.baseline} returns, same run:")
    print(f"  xlgoals             {small_wall:7.2f} s  ({args.baseline / small_wall:6.0f} files/s)")
    print(f"  naive openpyxl+pandas {base:5.2f} s  ({args.baseline / base:6.0f} files/s, one process)")
    print(f"  ratio naive/xlgoals {base / small_wall:7.1f}x")


if __name__ == "__main__":
    main()
