import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_JSON = sorted((EXAMPLES / "json").glob("*.json"))
EXAMPLE_XLSX = sorted((EXAMPLES / "returns").glob("*.xlsx"))
LO_EDIT = Path(__file__).with_name("lo_edit.py")
LO_OFFICE = Path(__file__).with_name("lo_office.py")
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


# LibreOffice's folder for the session (XLGOALS_LO_DIR): the profile each pytest worker prepares once and its jobs copy
# (lo_office.py), and the log of jobs LibreOffice ended under and that were run once more. Made by the controlling
# process before xdist starts its workers, which inherit the environment; removed when the session ends.
LO_DIR_ENV, LO_RETRIES = "XLGOALS_LO_DIR", "retries.log"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        os.environ[LO_DIR_ENV] = tempfile.mkdtemp(prefix="xlgoals-lo-")
        config._xlgoals_lo_dir = os.environ[LO_DIR_ENV]


def pytest_terminal_summary(terminalreporter, config):
    log = Path(getattr(config, "_xlgoals_lo_dir", "/nonexistent")) / LO_RETRIES
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if lines:
        terminalreporter.section(f"LibreOffice ended under {len(lines)} job(s), each run once more")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_unconfigure(config):
    if getattr(config, "_xlgoals_lo_dir", None):
        shutil.rmtree(config._xlgoals_lo_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """LibreOffice, headless.  CI sets XLGOALS_REQUIRE_SOFFICE=1 so a missing install fails, not skips.
    Prepares this worker's profile once (the jobs of lo_edit.py, lo_print.py and lo_convert start on copies of it)."""
    if not _soffice_available():
        if os.environ.get("XLGOALS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice + python3-uno) is required but not installed")
        pytest.skip("LibreOffice (libreoffice-calc-nogui, python3-uno) not installed")
    base = Path(os.environ.get(LO_DIR_ENV) or tmp_path_factory.mktemp("lo"))
    profile = base / f"profile-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    proc = _run_uno([str(LO_OFFICE), "prepare", str(profile)], timeout=240)
    assert proc.returncode == 0, f"LibreOffice could not prepare a profile: {proc.stderr}"
    os.environ["XLGOALS_LO_PROFILE"] = str(profile)
    os.environ["XLGOALS_LO_LOG"] = str(base / LO_RETRIES)
    return shutil.which("soffice")


def _run_uno(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    """A helper script under the Python that has uno, in its own process group: on a timeout the group (the script,
    its soffice and soffice.bin) is killed, so no office outlives the test."""
    proc = subprocess.Popen([UNO_PYTHON, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise AssertionError(f"{args[0]} did not end in {timeout} s: {err}")
    for line in err.splitlines():
        if line.startswith("xlgoals-lo-retry: "):
            warnings.warn(line, stacklevel=2)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def lo_convert(soffice, tmp_path):
    """Open a workbook in LibreOffice and save it again (as a department's round trip would)."""
    def convert(*srcs: Path, fmt: str = "xlsx") -> list[Path]:
        out = tmp_path / f"lo-{fmt}"
        out.mkdir(exist_ok=True)
        profile = tmp_path / "lo-profile"
        if not profile.exists() and os.environ.get("XLGOALS_LO_PROFILE"):
            shutil.copytree(os.environ["XLGOALS_LO_PROFILE"], profile, symlinks=True)  # no first-start restart
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
        proc = _run_uno([str(LO_EDIT), str(job)], timeout=240)
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
