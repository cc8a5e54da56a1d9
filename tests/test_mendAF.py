"""Outputs named by scripts, the reviewer's findings on mendAE (session 22, mendAF).

1. ``read -o dept.json`` replaced a department's JSON return: read's output was recognised by its first lines
   only, and every JSON return starts that way.  It is replaced now only when it is what read makes of this input
   anyway (the same bytes), or read's --trace output of the same input (the same SHA-256); otherwise refused,
   --force replaces it.
2. An output written through standard output (``-o /dev/stdout``, a link to /proc/self/fd/1) got the command's own
   messages (已生成：…, the summary's counts) after it: they go to standard error when an output takes stdout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from .conftest import EXAMPLES
from .helpers import ooxml_errors

ROOT = Path(__file__).resolve().parent.parent
RETURNS = EXAMPLES / "returns"
JSONS = sorted((EXAMPLES / "json").glob("*.json"))
needs_proc = pytest.mark.skipif(not os.path.exists("/proc/self/fd/1"), reason="no /proc/self/fd")


def _run(*args, stdout=subprocess.PIPE, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, cwd=cwd, timeout=300)


def _return(n: str) -> Path:
    return next(RETURNS.glob(f"{n}_*.xlsx"))


def _stdout_link(folder: Path, name: str) -> Path:
    """A private link to this process's standard output (never /dev/stdout itself: as root it could be replaced)."""
    link = folder / name
    link.symlink_to("/proc/self/fd/1")
    return link


# 1 -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("trace", [(), ("--trace",)])
def test_read_refuses_a_departments_json_return(tmp_path, trace):
    """The reviewer's repro: 02's JSON return under the name read writes 01's workbook to."""
    dept = tmp_path / "dept.json"
    shutil.copyfile(JSONS[1], dept)
    done = _run("read", _return("01"), "-o", dept, *trace)
    assert done.returncode == 2, done.stderr.decode()
    err = done.stderr.decode("utf-8")
    assert "dept.json" in err and "--force" in err and "JSON" in err, err
    assert dept.read_bytes() == JSONS[1].read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dept.json"]


def test_read_refuses_every_example_json_return_but_its_own(tmp_path):
    """examples/json/01 is what read makes of returns/01, byte for byte (nothing to lose: replaced); the others are
    refused and left as they are."""
    for src in JSONS:
        dept = tmp_path / "dept.json"
        shutil.copyfile(src, dept)
        done = _run("read", _return("01"), "-o", dept)
        assert done.returncode == (0 if src.name.startswith("01_") else 2), (src.name, done.stderr.decode())
        assert dept.read_bytes() == src.read_bytes()


@pytest.mark.parametrize("trace", [(), ("--trace",)])
def test_read_refuses_its_own_json_of_another_workbook(tmp_path, trace):
    """read's output of workbook 02 is a JSON return too (validate checks it, fill fills from it): not replaced by
    what read makes of 01, plain or --trace."""
    out = tmp_path / "doc.json"
    assert _run("read", _return("02"), *trace, "-o", out).returncode == 0
    before = out.read_bytes()
    done = _run("read", _return("01"), *trace, "-o", out)
    assert done.returncode == 2, done.stderr.decode()
    assert out.read_bytes() == before


def test_read_with_trace_replaces_its_plain_json_of_the_same_workbook(tmp_path):
    out = tmp_path / "doc.json"
    assert _run("read", _return("02"), "-o", out).returncode == 0
    done = _run("read", _return("02"), "--trace", "-o", out)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8"))["sources"]


def test_read_replaces_its_trace_of_the_same_workbook(tmp_path):
    """The --trace output records the workbook's SHA-256: a re-run over it (here in English) is replaced."""
    out = tmp_path / "doc.json"
    assert _run("read", _return("01"), "--trace", "-o", out).returncode == 0
    done = _run("read", _return("01"), "--trace", "-o", out, "--lang", "en")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8"))["sha256"]


def test_read_with_force_replaces_a_json_return(tmp_path):
    dept = tmp_path / "dept.json"
    shutil.copyfile(JSONS[1], dept)
    done = _run("read", _return("01"), "-o", dept, "--force")
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(dept.read_text(encoding="utf-8"))["project"]["name"] != \
        json.loads(JSONS[1].read_text(encoding="utf-8"))["project"]["name"]


# 2 -------------------------------------------------------------------------------------------------------------

@needs_proc
def test_consolidate_json_through_stdout_is_json_alone(tmp_path):
    link = _stdout_link(tmp_path, "so.json")
    got = tmp_path / "c.json"
    with open(got, "wb") as fh:
        done = _run("consolidate", RETURNS, "-o", tmp_path / "s.xlsx", "--json", link, "--jobs", "1", stdout=fh)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(got.read_text(encoding="utf-8"))
    assert data["summary"]
    assert "已生成汇总" in done.stderr.decode("utf-8")  # the confirmation is still said, on standard error
    assert openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True).sheetnames


@needs_proc
@pytest.mark.parametrize("command", ["fill", "template"])
def test_a_workbook_through_stdout_opens(tmp_path, command):
    link = _stdout_link(tmp_path, "so.xlsx")
    got = tmp_path / "f.xlsx"
    args = ["fill", JSONS[4]] if command == "fill" else ["template"]
    with open(got, "wb") as fh:
        done = _run(*args, "-o", link, stdout=fh)
    assert done.returncode == 0, done.stderr.decode()
    assert b"so.xlsx" not in got.read_bytes()[-200:]
    wb = openpyxl.load_workbook(got)
    assert wb.sheetnames
    assert "so.xlsx" in done.stderr.decode("utf-8")
    assert ooxml_errors(got) == []


@needs_proc
def test_messages_stay_on_stdout_when_no_output_takes_it(tmp_path):
    done = _run("fill", JSONS[4], "-o", tmp_path / "f.xlsx")
    assert done.returncode == 0 and "f.xlsx" in done.stdout.decode("utf-8"), done.stderr.decode()


@needs_proc
def test_the_next_run_in_the_same_process_says_its_messages_on_stdout(tmp_path, capfd):
    """The note that an output took standard output is the run's, not the process's (a notebook, a CliRunner)."""
    from click.testing import CliRunner

    from xlgoals.cli import main

    link = _stdout_link(tmp_path, "so.xlsx")
    first = CliRunner().invoke(main, ["fill", str(JSONS[4]), "-o", str(link)])
    assert first.exit_code == 0, first.output
    capfd.readouterr()  # the workbook, written through descriptor 1
    second = CliRunner().invoke(main, ["fill", str(JSONS[4]), "-o", str(tmp_path / "f.xlsx")])
    assert second.exit_code == 0, second.output
    assert "f.xlsx" in second.stdout
