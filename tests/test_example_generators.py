"""Examples double as tests, and their generators are how they are made: each generator in examples/, run on a copy
of the folder with the files it makes deleted first, makes them all again byte for byte as committed, and touches
nothing else.  A stale example (made by older code, as the self-evaluations were before their stamps recorded the
framework's points hash), a generator that stamps the clock, or one that stopped writing a file fails here, naming
the file and the command that remakes it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys

import pytest

from .conftest import EXAMPLES

MADE_BY = {  # generator: the folders it makes (every file in them)
    "make_self_evaluation.py": ("self-evaluation", "received-self-evaluation", "national-2021"),
    "make_monitoring.py": ("monitoring",),
    "make_received.py": ("received",),
}


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.mark.parametrize("generator", list(MADE_BY))
def test_a_generator_run_again_makes_the_committed_examples(generator, tmp_path):
    copy = tmp_path / "examples"
    shutil.copytree(EXAMPLES, copy, ignore=shutil.ignore_patterns("__pycache__"))
    committed = _digests(copy)
    made = [name for name in committed if name.split("/")[0] in MADE_BY[generator]]
    assert made, generator
    for name in made:
        (copy / name).unlink()
    r = subprocess.run([sys.executable, str(copy / generator)], cwd=tmp_path, capture_output=True, text=True,
                       timeout=180)
    assert r.returncode == 0, r.stderr
    again = _digests(copy)
    assert sorted(set(again) - set(committed)) == [], f"{generator} wrote files that are not committed"
    missing = sorted(set(committed) - set(again))
    assert missing == [], f"{generator} no longer makes {missing}"
    changed = sorted(name for name in committed if again[name] != committed[name])
    assert changed == [], f"examples/{changed} stale or not the same each run: run python examples/{generator}"
