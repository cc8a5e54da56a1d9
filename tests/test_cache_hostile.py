"""The user's cache folder (``~/.cache/xlgoals``) as someone else may have left it: the compiled schema checks kept
there are run, so an entry that is not the user's own is never read; a FIFO or a device where an entry should be
neither stalls nor floods a run; a link planted at a name we write to is never written through.  (The rule table
and the frameworks' entries: tests/test_diskcache.py.)"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE_XLSX


def _run(cache_home: Path, *args, timeout=60):
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run([sys.executable, "-m", "xlgoals", "validate", "--format", "json", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def warm(tmp_path) -> Path:
    """A cache folder one run has filled; its entries' names."""
    home = tmp_path / "cache"
    proc = _run(home, str(EXAMPLE_XLSX[1]))
    assert proc.returncode == 0, proc.stderr
    assert list((home / "xlgoals").glob("schema-*.marshal"))
    return home


def test_a_schema_entry_not_the_users_own_is_not_run(warm, tmp_path):
    """Code someone else left under the name of a compiled schema check (another user's file in a shared
    XDG_CACHE_HOME) is not run: the check compiles afresh."""
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")
    marker = tmp_path / "ran"
    code = compile(f"open({str(marker)!r}, 'w').close()\ndef validate(data): return data\n", "<planted>", "exec")
    for entry in (warm / "xlgoals").glob("schema-*.marshal"):
        entry.write_bytes(marshal.dumps(code))
        os.chown(entry, 54321, 54321)
    proc = _run(warm, str(EXAMPLE_XLSX[1]))
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


def test_a_schema_entry_writable_by_others_is_not_run(warm, tmp_path):
    """The user's own file, but one anybody may have rewritten (mode 0666): not run either."""
    marker = tmp_path / "ran"
    code = compile(f"open({str(marker)!r}, 'w').close()\ndef validate(data): return data\n", "<planted>", "exec")
    for entry in (warm / "xlgoals").glob("schema-*.marshal"):
        entry.write_bytes(marshal.dumps(code))
        entry.chmod(0o666)
    proc = _run(warm, str(EXAMPLE_XLSX[1]))
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


def test_a_fifo_where_a_schema_entry_is_does_not_stall_a_run(warm):
    want = _run(warm, str(EXAMPLE_XLSX[1])).stdout
    for entry in (warm / "xlgoals").glob("*.marshal"):
        entry.unlink()
        os.mkfifo(entry)
    proc = _run(warm, str(EXAMPLE_XLSX[1]), timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == want


def test_a_link_planted_at_the_schema_entrys_temporary_name_is_not_written_through(tmp_path, monkeypatch):
    """The temporary name the compiled check is written to before it is renamed into place: a link planted there
    leaves the file it points at as it was, and the check is kept all the same."""
    from xlgoals._check import _schema

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    schema = {"type": "object", "properties": {"hostile": {"type": "string"}}}
    _schema._compiled(schema)
    (entry,) = (tmp_path / "cache" / "xlgoals").glob("schema-*.marshal")
    entry.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("a user's file")
    entry.with_name(f".{entry.name}.{os.getpid()}").symlink_to(victim)
    check = _schema._compiled(schema)
    assert victim.read_text() == "a user's file"
    assert entry.is_file() and not entry.is_symlink()
    check({"hostile": "x"})
