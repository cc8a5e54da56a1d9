"""The packaged tables as files a bureau can edit (``xlgoals defaults --out-dir DIR``): the rule table, the
scoring table, the review configuration, each framework and each framework's self-evaluation points, copied from
where the installed package keeps them (``_resources.data_dir``: ``xlgoals/_data`` in a wheel), so that a bureau
starts its own ``--rules``, ``--frameworks``, ``--review-config`` and ``--weights`` files from what is in force."""

from __future__ import annotations

import json
import os
from pathlib import Path

#: What is written, by the data folder and file it comes from: (folder, name, where in DIR)
_TABLES = (("schema", "rules.csv", "rules.csv"), ("schema", "scoring.csv", "scoring.csv"),
           ("schema", "review.json", "review.json"))
FRAMEWORKS_DIR, WEIGHTS_DIR = "frameworks", "weights"


def packaged_files() -> list[tuple[str, bytes]]:
    """(the path in the output folder, the bytes) of every packaged table: rules.csv, scoring.csv, review.json as
    packaged; frameworks/<id>.json, each packaged framework's file (a folder for --frameworks); weights/<id>.json,
    the points of each framework that gives a self-evaluation's (its ``self_evaluation`` section, a file for
    --weights)."""
    from .._resources import data_dir

    out = [(target, (data_dir(folder) / name).read_bytes()) for folder, name, target in _TABLES]
    for path in sorted(data_dir("templates").glob("*.json")):
        data = path.read_bytes()
        out.append((f"{FRAMEWORKS_DIR}/{path.name}", data))
        section = json.loads(data.decode("utf-8")).get("self_evaluation")
        if isinstance(section, dict):
            out.append((f"{WEIGHTS_DIR}/{path.name}",
                        (json.dumps(section, ensure_ascii=False, indent=2) + "\n").encode("utf-8")))
    return out


def write_defaults(out_dir: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Write the packaged tables (``packaged_files``) into `out_dir` (made if missing), each atomically; the paths
    written.  A file already at one of them is kept, and nothing written, unless `force` (UsageError naming it):
    a bureau's edited table is never overwritten unasked."""
    from .._atomic import write_bytes
    from .._paths import refuse_existing_outputs

    files = packaged_files()
    targets = [Path(out_dir) / name for name, _ in files]
    refuse_existing_outputs(targets, force)
    written = []
    for target, (_, data) in zip(targets, files):
        target.parent.mkdir(parents=True, exist_ok=True)
        write_bytes(target, data)
        written.append(target)
    return written
