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


def test_rule_table_width_sample_is_a_real_run(tmp_path, monkeypatch):
    """The sample under *Indicator frameworks and rules are data*: a row of 7 columns under the 9-column header
    (a table written before field_en), given by a relative name from the folder it lies in."""
    shown = re.search(r"  ```text\n  (错误：本局规则\.csv.*?)\n  ```", README).group(1)
    header = (ROOT / "schema" / "rules.csv").read_text(encoding="utf-8").splitlines()[0].rsplit(",", 1)[0]
    (tmp_path / "本局规则.csv").write_text(header + "\nrule.x,error,required,,标题,Title,字段\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = cli("frameworks", "--rules", "本局规则.csv")
    assert result.exit_code == 2
    assert result.stderr == shown + "\n", "README is stale, or the error names the file otherwise than as given"
