"""Consolidate many returns into one summary, losing none: collect, then tables, then renderers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .._atomic import Outputs, clean_leftovers
from .._check._validate import as_list
from .._config import Config, config_of
from .._form import GOAL_TABLE
from .._paths import check_writable, refuse_outputs_over_inputs, scan
from ._collect import ReturnRecord, Status, TerminalProgress, collect, progress_callback
from ._render import RENDERERS
from ._tables import SUMMARIES


@dataclass
class ConsolidationResult:
    """What ``consolidate()`` returns: every record in summary order, the skipped files, the totals."""

    records: list[ReturnRecord]
    skipped: dict  # path -> (zh, en) why it was not checked
    output: Path
    totals: dict  # amounts are exact Decimals
    written: list[Path] = None  # every output file, committed together

    @property
    def invalid(self) -> list[ReturnRecord]:
        return [r for r in self.records if r.status != Status.OK]


def consolidate(paths, out: str | os.PathLike, *, jobs: int | None = None, include_invalid: bool = False,
                csv_dir: str | os.PathLike | None = None, json_path: str | os.PathLike | None = None,
                progress=None, rules=None, frameworks=None, config: Config | None = None, review: bool = False,
                previous=None, library=None, review_config=None) -> ConsolidationResult:
    """Read and validate every return under `paths` and write the summary workbook `out`.

    `progress` is a callable ``(done, total)``, True for a bar on standard error, or None for a
    bar only when standard error is a terminal.  `csv_dir` and `json_path` add the same tables
    as CSV files and as JSON.  `review=True` (with `previous`, `library`, `review_config` as in
    ``validate``) scores every return and adds the 审核 sheets, weakest first.
    """
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    summary = SUMMARIES[GOAL_TABLE.id]
    rv = None
    if review:
        from .._review import load_review

        rv = load_review(review_config=review_config, library=library, previous=previous, config=cfg)
    targets = [("xlsx", out), ("csv", csv_dir), ("json", json_path)]
    outputs_given = [t for _, t in targets if t]
    # before anything is read: never overwrite an input, fail early on a folder that cannot be written
    planned = [out, json_path] + ([Path(csv_dir) / f"{n}.csv" for n in summary.table_names] if csv_dir else [])
    refuse_outputs_over_inputs(scan(as_list(paths)).files, planned)
    for fmt, target in targets:
        if target:
            folder = Path(target) if fmt == "csv" else Path(target).parent
            check_writable(folder / "x")
            clean_leftovers(folder)
    collected = collect(paths, summary, cfg, jobs=jobs, include_invalid=include_invalid,
                        keep_rows=bool(csv_dir or json_path), progress=progress_callback(progress),
                        exclude=outputs_given, review=rv)
    with collected.spool, Outputs() as outputs:
        tables, totals = summary.tables(collected, cfg.frameworks, cfg.limits)
        for fmt, target in targets:
            if target:
                RENDERERS[fmt](tables, totals, target, outputs)
    return ConsolidationResult(records=collected.records, skipped=collected.skipped, output=Path(out), totals=totals,
                               written=outputs.written)


__all__ = ["ConsolidationResult", "ReturnRecord", "Status", "TerminalProgress", "consolidate"]
