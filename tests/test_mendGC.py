"""The Python API as an analyst scripts it: concurrent first calls from threads, arguments checked at the entry,
the exceptions a caller catches exported, problems as Problem values with exact numbers."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE_XLSX

# A fresh interpreter whose threads call validate at once.  multiprocessing's import is made slow (its context
# module, run 1.5 s late: not in find_spec, which holds the import system's global lock) and the threads start
# 0.3 s apart, so that the first thread's import is under way when the others come to pmap: they found the module
# half-made in sys.modules (AttributeError: current_process).  Everything else is loaded first, by one call with no
# other thread (one file: no pool, no multiprocessing), so no thread is kept back by another's import.
_RACE = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from importlib.machinery import PathFinder

class Slow:
    def find_spec(self, name, path=None, target=None):
        if name != "multiprocessing.context":
            return None
        spec = PathFinder.find_spec(name, path, target)
        run = spec.loader.exec_module
        def exec_module(module):
            time.sleep(1.5)
            run(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Slow())
import xlgoals
xlgoals.validate(sys.argv[1])
assert "multiprocessing" not in sys.modules

def one(i):
    time.sleep(0.3 * i)
    return xlgoals.validate(sys.argv[1]).valid

with ThreadPoolExecutor(4) as ex:
    print(list(ex.map(one, range(4))))
"""


def test_threads_calling_validate_first_at_once_all_get_their_report(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", _RACE, str(EXAMPLE_XLSX[2])], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[True, True, True, True]", proc.stderr
