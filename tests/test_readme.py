"""The README's samples come from real runs, and its module map matches the tree (as sqlite-utils keeps
its docs in step with cog).  When a test here fails, run the command it names and paste its output."""

import re
from pathlib import Path

from .conftest import ROOT, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(starting: str) -> str:
    m = re.search(r"```text\n" + re.escape(starting) + r"\n(.*?)```", README, re.DOTALL)
    assert m, f"README has no ```text block starting with {starting!r}"
    return m.group(1)


def test_validate_sample_is_a_real_run(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("validate", "examples/received/")
    assert result.exit_code == 1
    assert _block("$ xlgoals validate examples/received/") == result.stdout, \
        "README is stale: paste the output of `xlgoals validate examples/received/` (run from the repository root)"


def test_module_map_matches_the_tree():
    block = _block("xlgoals/")
    named = set(re.findall(r"(?<![\w/])(_?[a-z][a-z_]*(?:/_?[a-z_]+)*(?:\.py|/))", block))
    package = ROOT / "xlgoals"
    actual = {p.relative_to(package).as_posix() + ("/" if p.is_dir() else "")
              for p in package.iterdir() if not p.name.startswith("__") and p.name != "_data"}
    actual |= {p.relative_to(package).as_posix() for p in package.glob("_*/*.py") if p.name != "__init__.py"}
    missing = sorted(a for a in actual if a not in named and Path(a).name not in named)
    assert not missing, f"README's module map does not mention: {missing}"
    for name in named:
        if name.endswith((".py", "/")) and "/" in name.rstrip("/"):
            assert (package / name).exists() or (ROOT / name).exists(), f"README names {name}, which does not exist"
