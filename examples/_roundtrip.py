"""Shared by the example scripts: write one example as its workbook and the JSON read back from it."""

from __future__ import annotations

import json
from pathlib import Path

from xlgoals import Config, fill, read


def write_example(doc: dict, stem: Path, config: Config) -> None:
    """The workbook, then the JSON as read back from it, then the workbook again from that JSON, so the
    example's workbook is exactly ``xlgoals fill`` of its JSON."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    xlsx = stem.with_suffix(".xlsx")
    fill(doc, xlsx, config=config, force=True)  # made again over the last run's
    result = read(xlsx, config=config)
    assert result.document is not None and not [p for p in result.problems if p.is_error], result.problems
    stem.with_suffix(".json").write_text(json.dumps(result.document, ensure_ascii=False, indent=2) + "\n",
                                         encoding="utf-8")
    fill(result.document, xlsx, config=config, force=True)
