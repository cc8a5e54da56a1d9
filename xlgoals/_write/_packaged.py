"""The packaged tables as files a bureau can edit (``xlgoals defaults --out-dir DIR``): the rule table, the
scoring table, the review configuration, each framework and each framework's self-evaluation points, copied from
where the installed package keeps them (``_resources.data_dir``: ``xlgoals/_data`` in a wheel), so that a bureau
starts its own ``--rules``, ``--frameworks``, ``--review-config`` and ``--weights`` files from what is in force."""

from __future__ import annotations

import contextlib
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
    """Write the packaged tables (``packaged_files``) into `out_dir` (made if missing), all or none: the paths
    written.  Every target is checked before anything is written (UsageError naming it): a file already at one of
    them is kept, and nothing written, unless `force` (a bureau's edited table is never overwritten unasked); a file
    where a folder must be (``DIR/weights`` a file), a folder where a file must be, a folder that cannot be written.
    The files are written beside their targets and renamed into place together (``_atomic.Outputs``); one that
    cannot be, and the files of this run renamed before it, are removed again (with the folders made for them; a file
    `force` replaced is put back as it was), so that no part of the run remains.  The CSV tables are written with a
    UTF-8 byte-order mark (``_BOM``), so that Excel on a Chinese Windows opens them as UTF-8, not as GBK."""
    from .._atomic import Outputs, _missing_folders, write_bytes
    from .._errors import OutputError, UsageError, table_already_there
    from .._paths import check_writable, display_path, refuse_existing_outputs
    from .._text import Bilingual
    from .._args import flag, path as checked_path

    force, out_dir = flag(force, "force"), checked_path(out_dir, "out_dir", "--out-dir")
    if not os.fspath(out_dir).strip():
        raise UsageError(Bilingual("输出文件夹不能为空，请给出文件夹名（如 本局规则）",
                                   "the output folder cannot be blank; give a folder name (such as bureau-tables)"))
    files = packaged_files()
    targets = [Path(out_dir) / name for name, _ in files]
    there = [t for t in targets if os.path.isfile(t)] if not force else []
    if there:  # (a bureau's edited table, or the last run's copy: said as a table, not as a summary)
        raise UsageError(table_already_there(display_path(os.fspath(there[0])), len(there) - 1))
    refuse_existing_outputs(targets, force)
    check_writable(out_dir, folder=True)
    for target in targets:
        if target.is_dir() and not target.is_symlink():  # a folder where a table goes: never replaced
            shown = display_path(os.fspath(target))
            raise UsageError(Bilingual(f"无法写入 {shown}：同名的文件夹已存在。未写入任何文件",
                                       f"cannot write {shown}: a folder of that name is there. Nothing was written"))
        check_writable(target)  # a file where its folder must be (DIR/weights a file): named before anything is written
    existed = {t for t in targets if os.path.lexists(t)}
    kept = {}  # with force, what stood at each target (a small table): put back if the run fails after replacing it
    for target in existed:
        with contextlib.suppress(OSError):
            if target.is_file() and not target.is_symlink():
                kept[target] = target.read_bytes()
    made = [f for t in {t.parent for t in targets} for f in _missing_folders(t)]
    outputs = Outputs()
    try:
        with outputs:
            for target, (name, data) in zip(targets, files):
                with open(outputs.path(target), "wb") as fh:
                    fh.write(_BOM + data if name.endswith(".csv") and not data.startswith(_BOM) else data)
                    fh.flush()
                    os.fsync(fh.fileno())
    except BaseException as exc:
        removed = list(outputs.written)
        for target in removed:  # renamed into place before one could not be: this run's, removed again
            with contextlib.suppress(OSError):
                if target in kept:
                    write_bytes(target, kept[target])
                elif target not in existed:
                    os.unlink(target)
        for folder in sorted(set(made), key=lambda f: len(f.parts), reverse=True):  # innermost first; if empty
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        if removed and isinstance(exc, OutputError) and exc.args and isinstance(exc.args[0], Bilingual):
            said = exc.args[0]  # "…; written: rules.csv, …": those are gone again
            raise OutputError(Bilingual(str(said).split("；已写入：")[0] + "；本次写入的文件已撤回，未留下任何文件",
                                        said.en.split("; written: ")[0] + "; the files this run wrote were taken back, "
                                        "none is left")) from None
        raise
    return list(outputs.written)


#: The UTF-8 byte-order mark, which Excel and WPS take for "this CSV is UTF-8" (as validate's CSV report has it).
_BOM = b"\xef\xbb\xbf"
