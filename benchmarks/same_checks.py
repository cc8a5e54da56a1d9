"""What validate says, recorded for a corpus, so a change to the check stage can be shown to change nothing.

    PYTHONPATH=OLD python benchmarks/same_checks.py --out old.json
    PYTHONPATH=NEW python benchmarks/same_checks.py --out new.json --against old.json

Over the examples, the test fixtures, both bench corpora (a sample of the goal-table returns) and
mutated copies of the self-evaluation and monitoring documents (scores off, blanks, grades, funds
that do not add up, fractions typed for percents...), it records every problem (code, severity,
sheet, cell, path, field, value, expected, zh and en messages), the document, the review's problems
and score, and a self-evaluation's recomputed scores.  With --against it prints what differs.
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from dataclasses import asdict
from pathlib import Path

from xlgoals import Config, validate_document
from xlgoals._check._validate import check_result
from xlgoals._read import read

ROOT = Path(__file__).resolve().parent.parent


def _problems(found) -> list:
    return [{k: (v if isinstance(v, (str, int, float, bool, type(None))) else repr(v))
             for k, v in asdict(p).items()} for p in found]


def _scores(doc) -> object:
    if not isinstance(doc, dict) or doc.get("form") != "self-evaluation":
        return None
    from xlgoals._selfeval._scoring import ScoringTable, evaluate

    ev = evaluate(doc, ScoringTable.load())
    def shown(s):
        return repr((s.score, s.rule and s.rule.case, s.points, s.reported, s.exact, s.target, s.actual))
    return [shown(ev.funds), [shown(s) for s in ev.indicators], repr((ev.total, ev.grade, ev.rate, ev.by_level1))]


def _mutations(doc: dict, rnd: random.Random) -> list[dict]:
    """Copies of `doc` with one or a few things a department gets wrong."""
    out = []
    keys = ("score", "actual", "deviation", "grade", "points", "value", "comparator", "level1", "weight", "unit",
            "name", "text")
    vals = (None, "", " ", "\u200b", 0, -1, 0.001, 1.5, 3.333, 10, 99.99, 1e30, "abc", "已完成", "achieved", "partly",
            "not_achieved", True, ">=", "<=", "=", "qualitative", "%", "万元")
    for _ in range(12):
        d = copy.deepcopy(doc)
        items = d.get("indicators") or []
        for _ in range(rnd.randint(1, 4)):
            if items and rnd.random() < 0.75:
                it = rnd.choice(items)
                k = rnd.choice(keys)
                if rnd.random() < 0.5 and isinstance(it.get(k), (int, float)) and not isinstance(it.get(k), bool):
                    it[k] = it[k] * rnd.choice((0.5, 0.9, 0.999, 1.001, 1.3, 2, 100, 0.01)) + rnd.choice((0, 0.005))
                elif rnd.random() < 0.2:
                    it.pop(k, None)
                else:
                    it[k] = rnd.choice(vals)
            elif isinstance(d.get("funds"), dict):
                f = d["funds"]
                k = rnd.choice(("score", "points", "executed", "full_year_budget", "initial_budget", "deviation"))
                if k == "sources":
                    pass
                v = f.get(k)
                f[k] = v * rnd.choice((0.5, 0.85, 1.01, 2)) if isinstance(v, (int, float)) and not isinstance(v, bool) \
                    else rnd.choice(vals)
                if rnd.random() < 0.3:
                    f["sources"] = {"fiscal": {"initial_budget": 1, "full_year_budget": 2, "executed": 1},
                                    "other": {"executed": rnd.choice((0, 5, None))}}
            else:
                k = rnd.choice(("year", "framework", "unit", "project", "month"))
                d[k] = rnd.choice(vals)
        out.append(d)
    return out


def record(sample: int, mutate: int) -> dict:
    cfg = Config.load()
    files = sorted(p for d in ("examples", "tests/fixtures") for p in (ROOT / d).rglob("*")
                   if p.suffix in (".xlsx", ".xls", ".ods") and not p.name.startswith("calamine-"))  # (those abort the reader's process)
    files += sorted(Path("/tmp/xlgoals-bench-selfeval").glob("*.xlsx"))
    returns = sorted(Path("/tmp/xlgoals-bench/returns").glob("*.xlsx"))
    files += returns[::max(1, len(returns) // sample)] if returns else []
    out: dict = {}
    docs = []
    for p in files:
        for review in (False, True):
            try:
                rep = check_result(read(p, config=cfg, isolated=False), cfg, cfg and _review(cfg) if review else None)
            except Exception as e:  # noqa: BLE001 - recorded: the same failure both times is the same
                out[f"{p}|{review}"] = repr(e)
                continue
            out[f"{p}|{review}"] = {"problems": _problems(rep.problems), "doc": rep.document,
                                    "score": rep.review_score, "scores": _scores(rep.document)}
            if not review and isinstance(rep.document, dict):
                docs.append((str(p), rep.document))
    docs += [(str(p), json.loads(p.read_text("utf-8"))) for p in sorted((ROOT / "examples").rglob("*.json"))]
    rnd = random.Random(11)
    chosen = [d for d in docs if isinstance(d[1], dict) and d[1].get("form") in ("self-evaluation", "monitoring")]
    chosen = chosen[:mutate] + [d for d in docs if isinstance(d[1], dict) and d[1].get("form") not in
                                ("self-evaluation", "monitoring")][:mutate // 4]
    for name, doc in chosen:
        for n, d in enumerate([doc, *_mutations(doc, rnd)]):
            key = f"{name}|mut{n}"
            try:
                out[key] = {"problems": _problems(validate_document(d)), "scores": _scores_safe(d)}
            except Exception as e:  # noqa: BLE001
                out[key] = repr(e)
    return out


def _scores_safe(d):
    try:
        return _scores(d)
    except Exception as e:  # noqa: BLE001
        return repr(e)


def _review(cfg):
    from xlgoals._check._validate import _review_of

    return _review_of(True, cfg, None, None, None)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--against")
    ap.add_argument("--sample", type=int, default=600)
    ap.add_argument("--mutate", type=int, default=200)
    a = ap.parse_args()
    got = record(a.sample, a.mutate)
    # the checkout's own folder written as <ROOT> (in keys, file fields and messages), so that two checkouts of the
    # code (--against a record made in another worktree) compare their examples and fixtures, not their paths
    text = json.dumps(got, ensure_ascii=False, sort_keys=True, default=repr)
    Path(a.out).write_text(text.replace(json.dumps(str(ROOT))[1:-1], "<ROOT>"), "utf-8")
    print(f"{len(got)} records -> {a.out}")
    if a.against:
        old = json.loads(Path(a.against).read_text("utf-8"))
        new = json.loads(Path(a.out).read_text("utf-8"))
        diff = [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]
        for k in diff[:20]:
            print("DIFFERS:", k)
            print("  old:", json.dumps(old.get(k), ensure_ascii=False)[:1500])
            print("  new:", json.dumps(new.get(k), ensure_ascii=False)[:1500])
        print(f"{len(diff)} of {len(set(old) | set(new))} differ")
        return 1 if diff else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
