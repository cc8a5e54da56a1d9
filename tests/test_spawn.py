"""Workers started by spawn, as off Linux (Windows, macOS): a batch validated and consolidated through the command line
gives what forked workers give, messages naming the command line's options (COMMAND_LINE carried to the worker)."""

import csv
import io
import json
import subprocess
import sys

import openpyxl
import pytest

from xlgoals import fill

from .conftest import EXAMPLE_XLSX, load
from .test_frameworks import _demo_doc, _demo_spec

# The command line run with its workers started one way: "spawn" is what _parallel picks off Linux.  A spawned run
# may not fork at all (os.fork refused in the parent): a forked worker, or the single-file child, would fail it.
DRIVER = """
import os, sys
import xlgoals._parallel as par
if sys.argv[1] == "spawn":
    par._FORK = False
    def refused(*a, **k):
        raise AssertionError("forked in a spawn run")
    os.fork = refused
sys.argv = ["xlgoals", *sys.argv[2:]]
from xlgoals._entry import run
run()
"""


def _xlgoals(start: str, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", DRIVER, start, *map(str, args)], capture_output=True, text=True,
                          timeout=300)


def _batch(tmp_path):
    """The example returns, one on a bureau's framework not given (its message names --frameworks) and a file that
    is no workbook."""
    folder = tmp_path / "收到"
    folder.mkdir()
    for src in EXAMPLE_XLSX:
        (folder / src.name).write_bytes(src.read_bytes())
    frameworks = tmp_path / "bureau-frameworks"
    frameworks.mkdir()
    (frameworks / "demo-2025.json").write_text(json.dumps(_demo_spec(), ensure_ascii=False), encoding="utf-8")
    doc = _demo_doc()
    fill(doc, folder / "本局体系.xlsx", frameworks=frameworks)
    (folder / "坏.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    return folder


def _consolidated(out) -> dict:
    """What a consolidate run wrote: its JSON, its CSV tables and every cell of its workbook."""
    wb = openpyxl.load_workbook(out / "汇总.xlsx")
    return {"json": load(out / "汇总.json"),
            "csv": {p.name: list(csv.reader(io.StringIO(p.read_text(encoding="utf-8-sig"))))
                    for p in sorted((out / "csv").iterdir())},
            "xlsx": {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}}


@pytest.mark.slow
def test_spawned_workers_validate_and_consolidate_a_batch_as_forked_ones_do(tmp_path):
    folder = _batch(tmp_path)
    reports, summaries = {}, {}
    for start in ("fork", "spawn"):
        done = _xlgoals(start, "validate", folder, "--format", "json", "--jobs", "2", "--review")
        assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
        reports[start] = json.loads(done.stdout)
        out = tmp_path / start
        out.mkdir()
        # the summary's own paths are the same in both runs: each run's outputs are moved to its folder
        done = _xlgoals(start, "consolidate", folder, "-o", tmp_path / "汇总.xlsx", "--json", tmp_path / "汇总.json",
                        "--csv", tmp_path / "csv", "--jobs", "2", "--no-progress")
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        for name in ("汇总.xlsx", "汇总.json", "csv"):
            (tmp_path / name).rename(out / name)
        summaries[start] = _consolidated(out)
    files = {f["path"].replace("\\", "/").rsplit("/", 1)[-1]: f for f in reports["spawn"]["files"]}
    assert len(files) == len(EXAMPLE_XLSX) + 2 and all(files[p.name]["valid"] for p in EXAMPLE_XLSX), files
    assert [p["code"] for p in files["坏.xlsx"]["problems"]] == ["file.corrupt"]
    unknown, unreviewed = files["本局体系.xlsx"]["problems"]
    assert unknown["code"] == "template.unknown" and "请用 --frameworks 给出" in unknown["message"], unknown  # not frameworks=
    # the review says why it gives no score, naming the option as the command line spells it too
    assert unreviewed["code"] == "review.framework_unknown" and "请用 --frameworks 给出" in unreviewed["message"]
    assert files["本局体系.xlsx"]["review_unscored"] == "framework_unknown"
    assert reports["spawn"] == reports["fork"]
    listed = {row[2] for row in summaries["spawn"]["json"]["projects"]["rows"]}
    assert all(any(p.stem.split("_", 1)[1] in (name or "") for name in listed) for p in EXAMPLE_XLSX), listed
    assert summaries["spawn"] == summaries["fork"]
