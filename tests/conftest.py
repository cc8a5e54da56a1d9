import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_JSON = sorted((EXAMPLES / "json").glob("*.json"))
EXAMPLE_XLSX = sorted((EXAMPLES / "returns").glob("*.xlsx"))
LO_EDIT = Path(__file__).with_name("lo_edit.py")
# summaries print the date they were made: a fixed one, so that outputs compare byte for byte across midnight
os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
UNO_PYTHON = "/usr/bin/python3"


def load(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


@pytest.fixture
def example_docs():
    return [load(p) for p in EXAMPLE_JSON]


@pytest.fixture
def doc():
    """A fresh copy of the second seed table (促进就业专项资金)."""
    return load(EXAMPLE_JSON[1])


def _soffice_available() -> bool:
    if not shutil.which("soffice"):
        return False
    probe = subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True) if Path(UNO_PYTHON).exists() \
        else None
    return probe is not None and probe.returncode == 0


@pytest.fixture(scope="session")
def soffice():
    """LibreOffice, headless.  CI sets XLGOALS_REQUIRE_SOFFICE=1 so a missing install fails, not skips."""
    if not _soffice_available():
        if os.environ.get("XLGOALS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice + python3-uno) is required but not installed")
        pytest.skip("LibreOffice (libreoffice-calc-nogui, python3-uno) not installed")
    return shutil.which("soffice")


@pytest.fixture
def lo_convert(soffice, tmp_path):
    """Open a workbook in LibreOffice and save it again (as a department's round trip would)."""
    def convert(*srcs: Path, fmt: str = "xlsx") -> list[Path]:
        out = tmp_path / f"lo-{fmt}"
        out.mkdir(exist_ok=True)
        profile = tmp_path / "lo-profile"
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                        "--convert-to", fmt, "--outdir", str(out), *map(str, srcs)],
                       check=True, capture_output=True, timeout=300)
        results = [out / (Path(s).stem + f".{fmt.split(':')[0]}") for s in srcs]
        for r in results:
            assert r.exists(), f"LibreOffice did not write {r}"
        return results
    return convert


@pytest.fixture
def lo_edit(soffice, tmp_path):
    """Type into cells with LibreOffice (UNO) and save: edits as in tests/lo_edit.py."""
    def edit(src: Path, dst: Path, edits: list[dict], fmt: str = "xlsx", password: str | None = None,
             report: Path | None = None) -> Path:
        """`report`: where lo_edit writes what it found (the cells a "show_invalid" edit saw circled)."""
        job = tmp_path / f"job-{dst.stem}.json"
        job.write_text(json.dumps({"src": str(src), "dst": str(dst), "format": fmt, "edits": edits,
                                   "password": password, "report": str(report) if report else None},
                                  ensure_ascii=False), encoding="utf-8")
        proc = subprocess.run([UNO_PYTHON, str(LO_EDIT), str(job)], capture_output=True, text=True, timeout=240)
        assert proc.returncode == 0, proc.stderr
        assert dst.exists()
        return dst
    return edit


def run_cli(*args, cwd=None, input=None):
    """Run the installed console entry point the way a user would."""
    return subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, input=input, timeout=300)


def cli(*args, input=None):
    """Run the command line in this process (click's CliRunner): stdout, stderr and the exit code."""
    from click.testing import CliRunner

    from xlgoals.cli import main

    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
