"""Read + validate milliseconds per return: xlgoals vs an openpyxl-based reader, same files, same run.

    python benchmarks/bench_read_validate.py [--files 1000] [--dir /tmp/xlgoals-bench]

Both readers extract the same cells from the same layout and run the same validation
(JSON Schema + rule table); only the way values get out of the workbook differs.
One core, files already in the page cache.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openpyxl  # noqa: E402

from synth import make_corpus  # noqa: E402
from xlgoals import FORMS, Config, validate_document, validate_file  # noqa: E402
from xlgoals._form import COMPARATOR_DISPLAY  # noqa: E402

F = FORMS["goal-table"]
CONFIG = Config.load()


def openpyxl_read_validate(path: Path) -> int:
    """The baseline: openpyxl loads the workbook; the document is built from the same cells."""
    wb = openpyxl.load_workbook(path, data_only=True)
    info, ind = wb[F.info.name], wb[F.table.name]
    doc = {"schema_version": "1", "framework": "shanghai-2020", "year": info.cell(2, 2).value,
           "unit": info.cell(3, 2).value, "project": {}, "budget": {}, "indicators": []}
    for f in F.fields[1:]:
        v = info.cell(f.row + 1, f.col + 1).value
        if f.kind == "date" and v is not None:
            v = v.date().isoformat()
        if f.kind == "bool":
            v = None if v is None else v == "是"
        section, key = f.path.strip("/").split("/") if f.path.count("/") == 2 else ("", f.path.strip("/"))
        (doc[section] if section else doc)[key] = v
    comps = {v: k for k, v in COMPARATOR_DISPLAY.items()}
    for row in ind.iter_rows(min_row=F.table.first_row + 1, values_only=True):
        if not any(row[1:]):
            continue
        item = {"level1": row[1], "level2": row[2], "name": row[3], "comparator": comps.get(row[4], row[4])}
        if item["comparator"] == "qualitative":
            item["text"] = row[5]
        else:
            item["value"] = row[5]
            if row[6]:
                item["unit"] = row[6]
        doc["indicators"].append(item)
    return len(validate_document(doc, config=CONFIG))


def xlgoals_read_validate(path: Path) -> int:
    return len(validate_file(path, config=CONFIG).problems)


def timed(fn, files) -> list[float]:
    out = []
    for f in files:
        t = time.perf_counter()
        fn(f)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--dir", type=Path, default=Path("/tmp/xlgoals-bench/returns"))
    args = ap.parse_args()
    files = make_corpus(args.dir, args.files)[: args.files]
    for f in files[:20]:  # warm caches and lazy imports for both
        xlgoals_read_validate(f)
        openpyxl_read_validate(f)
    ours = timed(xlgoals_read_validate, files)
    base = timed(openpyxl_read_validate, files)
    print(f"{len(files)} synthetic returns, 30 indicators each, one core")
    print(f"{'reader':<28}{'mean ms':>10}{'median ms':>11}{'p95 ms':>10}")
    for name, t in (("xlgoals (calamine + zip)", ours), ("openpyxl baseline", base)):
        p95 = sorted(t)[int(len(t) * 0.95)]
        print(f"{name:<28}{statistics.mean(t):>10.2f}{statistics.median(t):>11.2f}{p95:>10.2f}")
    print(f"speed-up: {statistics.mean(base) / statistics.mean(ours):.1f}x  "
          f"(target: <= 3 ms per return for xlgoals: {'met' if statistics.mean(ours) <= 3 else 'NOT met'})")


if __name__ == "__main__":
    main()
