"""Outputs named by scripts (session 22, mendAE).

f01: ``-o /dev/stdout`` (a link to /proc/self/fd/1) names this process's standard output: written through that
descriptor, whatever it is (a file the shell redirected to, a pipe), never refused as "a file xlgoals did not write",
and never replaced (the link stays a link, --force or not).
f07: ``read -o doc.json`` recognises its own JSON of the night before (as validate recognises its report) and
replaces it; a JSON that is not read's output is still refused without --force."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLE_XLSX, EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
RETURNS = EXAMPLES / "returns"
needs_proc = pytest.mark.skipif(not os.path.exists("/proc/self/fd/1"), reason="no /proc/self/fd")


def _run(*args, stdout=subprocess.PIPE, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], stdout=stdout, stderr=subprocess.PIPE,
                          env=env, cwd=cwd, timeout=300)


def _left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@needs_proc
@pytest.mark.parametrize(("path", "force"), [("/dev/stdout", ()), ("/dev/fd/1", ()), ("/dev/fd/1", ("--force",))])
@pytest.mark.parametrize("command", ["read", "validate"])
def test_dev_stdout_redirected_to_a_file_is_written_through(tmp_path, command, path, force):
    """(/dev/stdout itself is never run with --force here: the old code, as root, replaced the system's link.)"""
    got = tmp_path / "doc.json"
    args = (["read", EXAMPLE_XLSX[0]] if command == "read" else ["validate", RETURNS, "--format", "json"])
    with open(got, "wb") as fh:
        done = _run(*args, "-o", path, *force, stdout=fh)
    assert done.returncode in ((0,) if command == "read" else (0, 1)), done.stderr.decode()
    doc = json.loads(got.read_text(encoding="utf-8"))
    assert ("indicators" in doc) if command == "read" else doc["summary"]["files"] > 0
    assert os.path.islink("/dev/stdout")
    assert _left(tmp_path) == ["doc.json"]


@needs_proc
@pytest.mark.parametrize("force", [(), ("--force",)])
def test_a_link_to_this_process_stdout_stays_a_link(tmp_path, force):
    """The red-team's private /dev/stdout: with --force the link was replaced by a regular file and the redirected
    file stayed empty (as root, the system's /dev/stdout itself was replaced)."""
    link = tmp_path / "mystdout"
    link.symlink_to("/proc/self/fd/1")
    got = tmp_path / "doc.json"
    with open(got, "wb") as fh:
        done = _run("read", EXAMPLE_XLSX[0], "-o", link, *force, stdout=fh)
    assert done.returncode == 0, done.stderr.decode()
    assert os.path.islink(link) and os.readlink(link) == "/proc/self/fd/1"
    assert json.loads(got.read_text(encoding="utf-8"))["indicators"]
    assert _left(tmp_path) == ["doc.json", "mystdout"]


@needs_proc
def test_dev_stdout_into_a_pipe(tmp_path):
    done = _run("read", EXAMPLE_XLSX[0], "-o", "/dev/stdout", cwd=tmp_path)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8"))["indicators"]
    assert _left(tmp_path) == []


@needs_proc
def test_dev_stdout_redirected_into_an_input_is_still_refused(tmp_path):
    """The descriptor leads to one of the run's inputs (a rule table redirected over): refused as before."""
    rules = tmp_path / "rules.csv"
    rules.write_bytes(b"x")
    with open(rules, "ab") as fh:
        done = _run("validate", RETURNS, "--rules", rules, "-o", "/dev/stdout", stdout=fh)
    assert done.returncode == 2, done.stderr.decode()
    assert rules.read_bytes() == b"x"


@pytest.mark.parametrize("trace", [(), ("--trace",)])
def test_read_replaces_its_own_json_of_the_night_before(tmp_path, trace):
    out = tmp_path / "doc.json"
    for _ in range(2):
        done = _run("read", EXAMPLE_XLSX[0], *trace, "-o", out)
        assert done.returncode == 0, done.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8"))
    assert _left(tmp_path) == ["doc.json"]


def test_read_still_refuses_a_json_it_did_not_write(tmp_path):
    out = tmp_path / "doc.json"
    mine = '{\n  "schema_version": "1",\n  "mine": true\n}\n'
    for text in ('{"a": 1}\n', mine):
        out.write_text(text, encoding="utf-8")
        done = _run("read", EXAMPLE_XLSX[0], "-o", out)
        assert done.returncode == 2, done.stderr.decode()
        assert "不是 xlgoals 写入的" in done.stderr.decode("utf-8")
        assert out.read_text(encoding="utf-8") == text
    done = _run("read", EXAMPLE_XLSX[0], "-o", out, "--force")
    assert done.returncode == 0 and json.loads(out.read_text(encoding="utf-8"))["indicators"]


def test_reads_json_in_an_inbox_is_still_a_return_to_validate(tmp_path):
    """read's JSON is known as ours only at read's output: in an inbox it is a return (a JSON document), checked."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    assert _run("read", EXAMPLE_XLSX[0], "-o", inbox / "doc.json").returncode == 0
    done = _run("validate", inbox, "--format", "json")
    report = json.loads(done.stdout.decode("utf-8"))
    assert report["summary"]["files"] == 1, report
    assert [os.path.basename(f["path"]) for f in report["files"]] == ["doc.json"]


@needs_proc
def test_a_link_to_a_closed_stdout_is_refused_not_replaced(tmp_path):
    """Standard output closed (`>&-`): /proc/self/fd/1 leads nowhere, and the link to it was taken for a link to
    nothing and replaced by the output (as root, /dev/stdout itself).  Refused, the link left as it is."""
    link = tmp_path / "mystdout"
    link.symlink_to("/proc/self/fd/1")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for force in ("", " --force"):
        done = subprocess.run(["sh", "-c", f'exec "$0" -m xlgoals read "$1" -o "$2"{force} >&-', sys.executable,
                               str(EXAMPLE_XLSX[0]), str(link)], stderr=subprocess.PIPE, env=env, timeout=300)
        assert done.returncode == 2, done.stderr.decode()
        assert "文件描述符 1" in done.stderr.decode("utf-8") and "没有打开" in done.stderr.decode("utf-8")
        assert os.path.islink(link) and os.readlink(link) == "/proc/self/fd/1"
        assert _left(tmp_path) == ["mystdout"]
