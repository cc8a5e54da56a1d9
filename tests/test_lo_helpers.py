"""The LibreOffice test helpers themselves (lo_office.py, lo_edit.py, lo_print.py): a job LibreOffice ends under is run
once more and said so, an error of ours is not, and no office, folder or pipe outlives a job."""
import hashlib
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import openpyxl
import pytest

from .conftest import EXAMPLE_XLSX, LO_EDIT, UNO_PYTHON

LO_PRINT = Path(__file__).with_name("lo_print.py")
pytestmark = pytest.mark.soffice


def _soffice_bins(ancestor: int) -> list[int]:
    """The soffice.bin processes below `ancestor`."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            if Path(f"/proc/{d}/comm").read_text().strip() != "soffice.bin":
                continue
            pid = int(d)
            while pid > 1:
                pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
                if pid == ancestor:
                    found.append(int(d))
                    break
        except (OSError, ValueError):
            continue
    return found


def _job(tmp_path, kind: str, **extra) -> Path:
    src = tmp_path / "填报.xlsx"
    src.write_bytes(EXAMPLE_XLSX[0].read_bytes())
    if kind == "edit":
        job = {"src": str(src), "dst": str(tmp_path / "out.xlsx"),
               "edits": [{"sheet": "项目信息", "unprotect": True}, {"sheet": "项目信息", "cell": "B3", "input": "85%"}]}
    else:
        job = {"files": [str(src)], "outdir": str(tmp_path / "printed")}
    job.update(extra)
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job, ensure_ascii=False), encoding="utf-8")
    return path


def _single_office_pipe(profile: Path) -> Path:
    """LibreOffice's own pipe for an office on `profile`: SingleOfficeIPC_ and the MD5 of the profile's URL in UTF-16,
    each byte in hex without its leading zero (desktop/source/app/officeipcthread.cxx)."""
    digest = hashlib.md5(f"file://{profile}".encode("utf-16-le")).digest()
    return Path(f"/tmp/OSL_PIPE_{os.getuid()}_SingleOfficeIPC_" + "".join(format(b, "x") for b in digest))


def _run(job: Path, kind: str, env: dict, kill_first_office: bool = False,
         profiles: list | None = None) -> tuple[subprocess.CompletedProcess, int]:
    """The job's script; with `kill_first_office`, the first soffice.bin it starts is killed as soon as it runs (as
    LibreOffice dying under the job); given `profiles`, once it has made its pipe, and the profile it ran on is added
    to `profiles`. Returns the finished process
    and the script's pid."""
    script = LO_EDIT if kind == "edit" else LO_PRINT
    proc = subprocess.Popen([UNO_PYTHON, str(script), str(job)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)
    try:
        if kill_first_office:
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                bins = _soffice_bins(proc.pid)
                if bins and profiles is not None:  # killed once it has made its pipe
                    seen = list(Path(env["TMPDIR"]).glob("lo-job-*/profile"))
                    if not (seen and _single_office_pipe(seen[0]).exists()):
                        time.sleep(0.05)
                        continue
                    profiles += seen
                if bins:
                    os.kill(bins[0], signal.SIGKILL)
                    break
                time.sleep(0.05)
        out, err = proc.communicate(timeout=240)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), proc.pid


@pytest.fixture
def env(soffice, tmp_path):
    """The scripts' environment: their temporary folders in tmp_path/t, their retries logged to tmp_path/retries.log."""
    (tmp_path / "t").mkdir()
    return {**os.environ, "TMPDIR": str(tmp_path / "t"), "XLGOALS_LO_LOG": str(tmp_path / "retries.log")}


@pytest.mark.parametrize("kind", ["edit", "print"])
def test_a_job_libreoffice_ends_under_is_run_once_more_and_said_so(tmp_path, env, kind):
    job = _job(tmp_path, kind)
    done, _ = _run(job, kind, env, kill_first_office=True)
    assert done.returncode == 0, done.stderr
    retries = [line for line in done.stderr.splitlines() if line.startswith("xlgoals-lo-retry: ")]
    assert len(retries) == 1 and "LibreOffice ended during the job" in retries[0], done.stderr
    assert (tmp_path / "retries.log").read_text(encoding="utf-8").count("\n") == 1
    if kind == "edit":
        ws = openpyxl.load_workbook(tmp_path / "out.xlsx")["项目信息"]
        assert ws["B3"].value == "85%"  # typed into a text cell: kept as typed
    else:
        assert (tmp_path / "printed" / "填报.pdf").read_bytes()[:5] == b"%PDF-"
        assert "项目信息" in json.loads((tmp_path / "printed" / "填报.json").read_text(encoding="utf-8"))


def test_an_error_of_ours_is_not_run_again(tmp_path, env):
    job = _job(tmp_path, "edit", edits=[{"sheet": "没有这张表", "cell": "B3", "input": "1"}])
    done, _ = _run(job, "edit", env)
    assert done.returncode != 0 and "NoSuchElementException" in done.stderr
    assert "xlgoals-lo-retry" not in done.stderr and not (tmp_path / "retries.log").exists()
    assert not (tmp_path / "out.xlsx").exists()


@pytest.mark.parametrize("kind", ["edit", "print"])
def test_no_office_folder_or_pipe_outlives_a_job(tmp_path, env, kind):
    # (a pipe left in /tmp before the job by another process of the same pid, an office killed long ago, as on a
    # machine that has run the tests for days: not the job's)
    before = {p.name for p in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_xlgoals*")}
    done, pid = _run(_job(tmp_path, kind), kind, env)
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "t").iterdir())  # the job's folder and profile removed
    pipes = [p.name for p in Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_xlgoals*{pid}*") if p.name not in before]
    assert not [p for p in pipes if p.split("_xlgoals")[-1].removeprefix("print").split("x")[0] == str(pid)]
    assert not _soffice_bins(pid)


def test_an_office_killed_under_a_job_leaves_no_pipe(tmp_path, env):
    """The office killed under the job (the first one: the job is run once more) left LibreOffice's own pipe in /tmp
    (OSL_PIPE_…_SingleOfficeIPC_…, some thousand of them after a day of test runs): its close removes it too."""
    profiles = []
    done, _ = _run(_job(tmp_path, "edit"), "edit", env, kill_first_office=True, profiles=profiles)
    assert done.returncode == 0, done.stderr
    assert len(profiles) == 1 and not list((tmp_path / "t").iterdir())
    assert not _single_office_pipe(profiles[0]).exists()


HANG = """
import os, signal, sys, time
sys.path.insert(0, sys.argv[1])
import lo_office

def job(office, work):
    with open(sys.argv[2], "w") as fh:
        fh.write(os.path.join(work, "profile"))
    os.kill(os.getpid(), signal.SIGKILL)  # the script dies with its office running, as one killed or out of memory

lo_office.run(job, "killed")
"""


def _offices_on(profile: Path) -> list[int]:
    """The live soffice.bin processes started on `profile`."""
    found = []
    for pid in _soffice_bins(1):
        try:
            if f"file://{profile}" in Path(f"/proc/{pid}/cmdline").read_text():
                found.append(pid)
        except OSError:
            pass
    return found


def test_a_script_that_dies_leaves_no_office_folder_or_pipe(tmp_path, soffice, monkeypatch):
    """A helper script killed outright (a timeout, the OOM killer) has no time to end its office or remove its folder
    and pipes: the session's runner (_run_uno) does, by the script's own ids and names only."""
    from .conftest import _run_uno

    script, said = tmp_path / "hang.py", tmp_path / "profile.txt"
    script.write_text(HANG, encoding="utf-8")
    monkeypatch.setenv("XLGOALS_LO_DIR", str(tmp_path / "lo"))
    (tmp_path / "lo").mkdir()
    done = _run_uno([str(script), str(Path(LO_EDIT).parent), str(said)], timeout=120)
    profile = Path(said.read_text())
    try:
        assert done.returncode == -signal.SIGKILL
        assert not list((tmp_path / "lo").iterdir())  # the script's folder: its job's folder and profile
        assert not _single_office_pipe(profile).exists()
        assert not list(Path("/tmp").glob(f"OSL_PIPE_{os.getuid()}_xlgoals*x{hashlib.md5(str(profile).encode()).hexdigest()[:12]}"))
        assert not _offices_on(profile)
    finally:  # an office the runner left is this test's to end
        for pid in _offices_on(profile):
            os.kill(pid, signal.SIGKILL)
