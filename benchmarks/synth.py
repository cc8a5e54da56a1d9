"""Synthetic returns for the benchmarks: realistic 30-indicator documents, filled with `xlgoals fill`."""

from __future__ import annotations

import multiprocessing as mp
import random
from pathlib import Path

from xlgoals import load_framework
from xlgoals._write._workbook import build_workbook

SEED_DOC = Path(__file__).resolve().parent.parent / "examples" / "json" / "02_促进就业专项资金.json"


def as_in_a_batch() -> None:
    """Measure per-file costs as inside a batch (validate of a folder, consolidate): the batch hashes with OpenSSL's
    SHA-256, loaded as check_files loads it before its workers start; a single check keeps the built-in one (see
    bench_startup)."""
    from xlgoals._read._safety import batch_hashing

    batch_hashing()


def synthetic_document(i: int, n_indicators: int = 30, units: int = 200) -> dict:
    import json

    rnd = random.Random(i)
    doc = json.loads(SEED_DOC.read_text(encoding="utf-8"))
    fw = load_framework("shanghai-2020")
    doc["unit"] = f"上海市第{i % units + 1}号预算单位"
    doc["project"]["name"] = f"专项项目{i:05d}"
    total = rnd.randrange(10_000, 500_000_000)
    doc["budget"] = {"total": total, "current_year": rnd.randrange(0, total + 1), "prior_year_budget": None,
                     "prior_year_executed": None}
    indicators = [dict(r) for r in fw.prefilled_rows]
    while len(indicators) < n_indicators:
        cat = fw.level1[1 + len(indicators) % 3]
        item = {"level1": cat["name"], "level2": rnd.choice(cat["level2"]), "name": f"指标{len(indicators):02d}号"}
        if rnd.random() < 0.6:
            item.update(comparator=rnd.choice([">=", ">", "=", "<="]), value=rnd.randrange(1, 100), unit="%")
        else:
            item.update(comparator="qualitative", text=rnd.choice(["合理", "及时", "有效", "良好", "完善"]))
        indicators.append(item)
    doc["indicators"] = indicators
    return doc


def _make(args):
    i, folder = args
    path = Path(folder) / f"return_{i:05d}.xlsx"
    if not path.exists():
        doc = synthetic_document(i)
        path.write_bytes(build_workbook(doc["framework"], doc["year"], doc, rows=30))
    return path


def make_corpus(folder: Path, count: int, jobs: int | None = None) -> list[Path]:
    """Create (or reuse) `count` synthetic returns in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    with mp.get_context("fork").Pool(jobs) as pool:
        return sorted(pool.map(_make, [(i, str(folder)) for i in range(count)], chunksize=50))
