"""The parsed-data entries of the cache folder (rules-, frameworks-, csvtables-: one per installed copy and Python)
pruned as the code entries are (inbox3 item 4): each upgrade, each virtual environment, each Python added one and
none was ever removed, nor a killed run's temporary file unless a code entry happened to be written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from xlgoals import _diskcache
from xlgoals._check import _ruletable
from xlgoals._resources import data_dir


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "xlgoals"


def _planted(cache: Path, kind: str, n: int) -> list[Path]:
    """`n` entries of `kind` left by other installs, oldest first, and a killed run's temporary file of one."""
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        p = cache / f"{kind}-{i:08x}.marshal"
        p.write_bytes(b"another install's")
        os.utime(p, (1_000_000 + i, 1_000_000 + i))
        out.append(p)
    return out


@pytest.mark.parametrize("kind", ["rules", "frameworks", "csvtables"])
def test_data_entries_are_pruned_when_one_is_written(cache, kind):
    n = _diskcache.KEEP_DATA_ENTRIES + 5
    old = _planted(cache, kind, n)
    others = _planted(cache, "schema", 3)  # code entries: their own bound, under it here
    stale = cache / f"{kind}-00000000.marshal.123.abcdef.tmp"  # left by a run killed while writing it
    stale.write_bytes(b"half")
    os.utime(stale, (1, 1))
    fresh = cache / f"{kind}-00000001.marshal.456.abcdef.tmp"  # another run writing it now
    fresh.write_bytes(b"half")
    mine = cache / "notes.txt"
    mine.write_bytes(b"keep me")
    os.utime(mine, (1, 1))

    if kind == "rules":
        _ruletable._packaged()
    else:  # written by the store every kind goes through
        _diskcache.store(kind, (str(data_dir("schema") / "rules.csv"),), ["payload"])
    (written,) = [p for p in cache.glob(f"{kind}-*.marshal") if p not in old]
    assert _diskcache.read_own(str(written)) is not None  # this install's entry is kept, and readable
    survivors = [p for p in old if p.exists()]
    assert len(survivors) == _diskcache.KEEP_DATA_ENTRIES - 1, survivors  # with this one: KEEP_DATA_ENTRIES
    assert survivors == old[-len(survivors):]  # the newest
    assert not stale.exists() and fresh.exists() and mine.exists()
    assert all(p.exists() for p in others)


def test_the_kinds_are_bounded_each_on_its_own(cache):
    """Many rule-table entries of other installs never push out this install's frameworks entry, the oldest of all (an
    install's entries are kept or pruned together: tests/test_library2.py)."""
    cache.mkdir(parents=True)
    frameworks = Path(_diskcache._entry("frameworks"))
    frameworks.write_bytes(b"this install's")
    os.utime(frameworks, (1, 1))
    _planted(cache, "rules", _diskcache.KEEP_DATA_ENTRIES + 3)
    _ruletable._packaged()
    assert frameworks.exists()
    assert len(list(cache.glob("rules-*.marshal"))) == _diskcache.KEEP_DATA_ENTRIES


def test_pruning_data_entries_never_follows_a_link(cache, tmp_path):
    cache.mkdir(parents=True)
    outside = tmp_path / "precious.marshal"
    outside.write_bytes(b"precious")
    for i in range(5):
        os.symlink(outside, cache / f"rules-{i:08x}.marshal")
    _diskcache.prune(str(cache), keep=0, keep_data=0)
    assert outside.read_bytes() == b"precious"
    assert len(list(cache.glob("rules-*.marshal"))) == 5
