"""Read + validate milliseconds per return, against baselines measured in the same run.

    python benchmarks/bench_read_validate.py [--files 1000] [--dir /tmp/xlgoals-bench/returns]

* the floor: python-calamine reading every sheet of the same files and nothing else (target: read +
  validate at most 2x);
* the same returns with ten schema problems each (target: at most 1.5x a valid one);
* an openpyxl-based reader that extracts the same cells and runs the same validation;
* the valid returns again with the review (``validate --review``: the 审核 checks, no library or last year),
  and with an indicator library of 3,000 names (``--review --library``: each name not in it gets the closest).

Each file is read in place (``isolated=False``), as validate's and consolidate's workers read every return: the
library's default for one call, a bounded child per file, costs a fork more (see ``xlgoals.read``).  One core, files
already in the page cache; the four are interleaved in chunks of 50 files.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import openpyxl  # noqa: E402

from synth import as_in_a_batch, make_corpus  # noqa: E402
from xlgoals import FORMS, Config, validate_document, validate_file  # noqa: E402
from xlgoals._form import COMPARATOR_DISPLAY  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent

F = FORMS["goal-table"]
CONFIG = Config.load()
as_in_a_batch()


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
        (doc.setdefault(section, {}) if section else doc)[key] = v
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
    return len(validate_file(path, config=CONFIG, isolated=False).problems)


def xlgoals_review(path: Path) -> int:
    return len(validate_file(path, config=CONFIG, review=True, isolated=False).problems)


def big_library(path: Path, size: int = 3000) -> Path:
    """The example library plus `size` invented names (seeded), as a province's library might hold."""
    import csv
    import random

    rows = list(csv.reader((ROOT / "examples" / "library.csv").open(encoding="utf-8-sig")))
    rng = random.Random(0)
    chars = "培训人次合格率满意度验收设备采购完成及时准确覆盖服务对象就业创业补贴发放资金使用规范项目管理制度健全"
    body = rows[1:]
    for _ in range(size):
        row = list(rng.choice(body))
        row[2] = "".join(rng.choice(chars) for _ in range(rng.randint(4, 10)))
        body.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([rows[0], *body])
    return path


def xlgoals_review_with(review):
    """Read + validate + review with a Review loaded once, as a batch loads it."""
    return lambda path: len(validate_file(path, config=CONFIG, review=review, isolated=False).problems)


def calamine_read(path: Path) -> int:
    """The floor: python-calamine reading every sheet of the file, nothing else."""
    import python_calamine

    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)


def invalid_copies(files: list[Path], folder: Path) -> list[Path]:
    """The same returns with ten schema problems each (nine indicator names and a start date left empty)."""
    from synth import synthetic_document
    from xlgoals._write._workbook import build_workbook

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i, f in enumerate(files):
        path = folder / f"invalid_{i:05d}.xlsx"
        if not path.exists():
            doc = synthetic_document(int(f.stem.split("_")[1]))
            doc["project"]["start_date"] = None
            for ind in doc["indicators"][10:19]:
                ind.pop("name", None)
            path.write_bytes(build_workbook(doc["framework"], doc["year"], doc, rows=30))
        out.append(path)
    return out


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
    invalid = invalid_copies(files, args.dir.parent / "invalid")
    assert len(validate_file(invalid[0], config=CONFIG, isolated=False).problems) == 10
    from xlgoals._review import load_review

    library = big_library(args.dir.parent / "library-3000.csv")
    xlgoals_review_library = xlgoals_review_with(load_review(library=library, config=CONFIG))
    for f in files[:20] + invalid[:20]:  # warm caches and lazy imports for all
        xlgoals_read_validate(f)
        xlgoals_review(f)
        xlgoals_review_library(f)
        openpyxl_read_validate(f)
        calamine_read(f)
    runs = {"calamine, all sheets (floor)": [], "xlgoals, valid returns": [], "xlgoals, 10 problems each": [],
            "openpyxl-based reader": [], "xlgoals, valid, --review": [],
            "  and --library (3,000 names)": []}
    for chunk in range(0, len(files), 50):  # interleaved, so a busy moment hurts all alike
        part, bad = files[chunk:chunk + 50], invalid[chunk:chunk + 50]
        runs["calamine, all sheets (floor)"] += timed(calamine_read, part)
        runs["xlgoals, valid returns"] += timed(xlgoals_read_validate, part)
        runs["xlgoals, 10 problems each"] += timed(xlgoals_read_validate, bad)
        runs["openpyxl-based reader"] += timed(openpyxl_read_validate, part)
        runs["xlgoals, valid, --review"] += timed(xlgoals_review, part)
        runs["  and --library (3,000 names)"] += timed(xlgoals_review_library, part)
    print(f"{len(files)} synthetic returns, 30 indicators each, one core, interleaved")
    print(f"{'reader':<32}{'mean ms':>10}{'median ms':>11}{'p95 ms':>10}")
    for name, t in runs.items():
        p95 = sorted(t)[int(len(t) * 0.95)]
        print(f"{name:<32}{statistics.mean(t):>10.2f}{statistics.median(t):>11.2f}{p95:>10.2f}")
    med = {k: statistics.median(v) for k, v in runs.items()}
    floor, valid, bad = med["calamine, all sheets (floor)"], med["xlgoals, valid returns"], med["xlgoals, 10 problems each"]
    print(f"read + validate / calamine read: {valid / floor:.2f}x (target <= 2x: {'met' if valid / floor <= 2 else 'NOT met'})")
    print(f"invalid / valid:                 {bad / valid:.2f}x (target <= 1.5x: {'met' if bad / valid <= 1.5 else 'NOT met'})")
    print(f"openpyxl-based / xlgoals:        {med['openpyxl-based reader'] / valid:.1f}x")
    print(f"--review / without:              {med['xlgoals, valid, --review'] / valid:.2f}x")
    print(f"--review --library / without:    {med['  and --library (3,000 names)'] / valid:.2f}x")


if __name__ == "__main__":
    main()
