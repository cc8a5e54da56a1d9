"""A Framework built from the disk cache's checked JSON makes its 分值 (self_evaluation) when first asked for.  A copy
taken before that (copy.deepcopy, pickle: a library caller's multiprocessing, a settings object copied) must make
them too, not hand back the placeholder object it was holding."""

from __future__ import annotations

import copy
import pickle

import pytest

from xlgoals import _frameworks


@pytest.fixture
def warm(tmp_path, monkeypatch) -> dict:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh = _frameworks._packaged()  # read, checked and kept
    kept = _frameworks._packaged()  # built from the cache
    assert any(fw.__dict__.get("self_evaluation") is not fresh[k].__dict__.get("self_evaluation")
               for k, fw in kept.items())
    return {"fresh": fresh, "kept": kept}


@pytest.mark.parametrize("how", ["deepcopy", "pickle", "copy"])
def test_a_copy_of_a_cached_framework_makes_its_weights(warm, how):
    for fid, fw in warm["kept"].items():
        made = {"deepcopy": copy.deepcopy, "copy": copy.copy,
                "pickle": lambda f: pickle.loads(pickle.dumps(f))}[how](fw)
        want = warm["fresh"][fid].self_evaluation
        got = made.self_evaluation
        assert type(got) is type(want), (fid, how, got)
        assert repr(got) == repr(want), (fid, how)
        assert fw.self_evaluation is not None or want is None  # the original still makes them afterwards
