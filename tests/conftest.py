import contextlib
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
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


def examples(ci: int, thorough: int) -> int:
    """How many examples a property test draws: `ci` in a plain run (the suite's time on CI's 2 cores is budgeted),
    `thorough` with XLGOALS_THOROUGH=1 (a longer campaign, before a release or after touching the code under test).
    The property is the same either way; only how many inputs it is tried on differs."""
    return thorough if os.environ.get("XLGOALS_THOROUGH") == "1" else ci


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


# LibreOffice's folder for the session (XLGOALS_LO_DIR): the profile prepared once for the whole session, which every
# job of every pytest worker copies (lo_office.py), and the log of jobs LibreOffice ended under and that were run once
# more. Made by the controlling process before xdist starts its workers, which inherit the environment; removed when
# the session ends.
LO_DIR_ENV, LO_RETRIES = "XLGOALS_LO_DIR", "retries.log"
LO_CONVERT = Path(__file__).with_name("lo_convert.py")
LO_PRINT = Path(__file__).with_name("lo_print.py")


def _examples_listing() -> list[str]:
    return sorted(str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if "__pycache__" not in p.parts)


#: The session's own cache folder (XDG_CACHE_HOME, _diskcache): made by the controlling process before xdist starts
#: its workers, which inherit it, as do the commands the tests run; removed when the session ends.  Without it every
#: run wrote and read the developer's ~/.cache/xlgoals, shared with every other checkout's runs and sessions (whose
#: prune evicts this one's entries: KEEP_DATA_ENTRIES installs), so that a run's timing, and any fault of a kept entry,
#: depended on what else had run on the machine.  Each session starts cold, as CI's fresh machine does; its workers
#: share the folder, as two runs of a bureau's share theirs.
CACHE_PREFIX = "xlgoals-cache-"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        config._xlgoals_cache = os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix=CACHE_PREFIX)
        os.environ[LO_DIR_ENV] = tempfile.mkdtemp(prefix="xlgoals-lo-")
        config._xlgoals_lo_dir = os.environ[LO_DIR_ENV]
        config._xlgoals_examples = _examples_listing()
        config._xlgoals_prepare = _start_preparing(config)


def _start_preparing(config) -> subprocess.Popen | None:
    """The session's LibreOffice profile, prepared in the background from the start (one office start, some seconds,
    off the tests' way while the workers collect): the soffice fixture takes it when it is done.  Not for a run that
    deselects LibreOffice's tests or only collects."""
    markexpr = getattr(config.option, "markexpr", "") or ""
    if config.option.collectonly or ("not" in markexpr and "soffice" in markexpr) or not _soffice_available():
        return None
    base = Path(os.environ[LO_DIR_ENV])
    (base / "prepare-tmp").mkdir()
    with open(base / "prepare.log", "w") as log:
        return subprocess.Popen([UNO_PYTHON, str(LO_OFFICE), "prepare", str(base / "profile")], stdout=log,
                                stderr=log, start_new_session=True, env={**os.environ, "TMPDIR": str(base / "prepare-tmp")})


def pytest_sessionfinish(session, exitstatus):
    """The examples folder as the session found it: no lock file, no output of a test left in it."""
    before = getattr(session.config, "_xlgoals_examples", None)
    if before is None:
        return
    added = sorted(set(_examples_listing()) - set(before))
    if added:
        session.config._xlgoals_examples_added = added
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    log = Path(getattr(config, "_xlgoals_lo_dir", "/nonexistent")) / LO_RETRIES
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    if lines:
        terminalreporter.section(f"LibreOffice ended under {len(lines)} job(s), each run once more")
        for line in lines:
            terminalreporter.write_line(line)
    added = getattr(config, "_xlgoals_examples_added", None)
    if added:
        terminalreporter.section(f"the session left {len(added)} file(s) in examples/ (the run fails)", red=True)
        for name in added:
            terminalreporter.write_line(name)


def pytest_unconfigure(config):
    _LO.stop()  # this process's offices (a worker's, or the session's without workers)
    preparing = getattr(config, "_xlgoals_prepare", None)
    if preparing is not None and preparing.poll() is None:  # a short run ended first: its office goes
        from .lo_office import remove_pipes

        try:
            os.killpg(preparing.pid, signal.SIGKILL)
        except OSError:
            pass
        preparing.wait()
        remove_pipes(os.path.join(config._xlgoals_lo_dir, "profile"), preparing.pid)
    if getattr(config, "_xlgoals_lo_dir", None):
        shutil.rmtree(config._xlgoals_lo_dir, ignore_errors=True)
    if getattr(config, "_xlgoals_cache", None):
        shutil.rmtree(config._xlgoals_cache, ignore_errors=True)


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    """LibreOffice, headless.  CI sets XLGOALS_REQUIRE_SOFFICE=1 so a missing install fails, not skips.
    The session's profile is prepared once (begun as the session starts; a worker that needs it first waits on its
    lock): the jobs of lo_edit.py, lo_print.py and lo_convert.py of every worker start on copies of it."""
    if not _soffice_available():
        if os.environ.get("XLGOALS_REQUIRE_SOFFICE") == "1":
            pytest.fail("LibreOffice (soffice + python3-uno) is required but not installed")
        pytest.skip("LibreOffice (libreoffice-calc-nogui, python3-uno) not installed")
    base = Path(os.environ.get(LO_DIR_ENV) or tmp_path_factory.mktemp("lo"))
    profile = base / "profile"
    if not Path(f"{profile}.ready").exists():  # being prepared (then this waits on its lock), or to prepare here
        proc = _run_uno([str(LO_OFFICE), "prepare", str(profile)], timeout=240, profiles=(profile,))
        assert proc.returncode == 0, f"LibreOffice could not prepare a profile: {proc.stderr}"
    os.environ["XLGOALS_LO_PROFILE"] = str(profile)
    os.environ["XLGOALS_LO_LOG"] = str(base / LO_RETRIES)
    return shutil.which("soffice")


def _run_uno(args: list[str], timeout: float, profiles: tuple = ()) -> subprocess.CompletedProcess:
    """A helper script under the Python that has uno, in its own process group: on a timeout the group (the script,
    its soffice and soffice.bin) is killed, so no office outlives the test.  Its temporary folder (TMPDIR: its jobs'
    folders and profiles, LibreOffice's own files) is one of its own, removed when it ends.  A script that died
    without ending its office (killed here on a timeout, or by anything else) has its group killed and the pipe
    files in /tmp of its offices removed: those on the profiles its job folders hold, and on `profiles`."""
    from .lo_office import remove_pipes

    tmp = tempfile.mkdtemp(prefix="lo-run-", dir=os.environ.get(LO_DIR_ENV))
    proc = subprocess.Popen([UNO_PYTHON, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, env={**os.environ, "TMPDIR": tmp})
    try:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise AssertionError(f"{args[0]} did not end in {timeout} s: {err}")
    finally:
        left = [*Path(tmp).glob("lo-job-*/profile")]  # a script that ended as it should left none
        if left or proc.returncode is None or proc.returncode < 0:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # its offices: the script's own group (it was its leader)
            except OSError:
                pass
            for profile in [*left, *profiles]:
                remove_pipes(str(profile), proc.pid)
        shutil.rmtree(tmp, ignore_errors=True)
    for line in err.splitlines():
        if line.startswith("xlgoals-lo-retry: "):
            warnings.warn(line, stacklevel=2)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


LO_SERVER = Path(__file__).with_name("lo_server.py")


class _LoServer:
    """This process's (one pytest worker's) lo_server.py: the jobs of lo_edit.py, lo_print.py and lo_convert.py run
    one after another on offices it keeps (one per locale) rather than on an office started for each job, which was
    most of a LibreOffice test's time.  Started when a test first needs it, in its own process group and temporary
    folder (its offices' folders and profiles); ended when the session ends.  A job that does not end in its time
    ends the server: its group is killed, its offices' pipe files in /tmp removed, and the next job starts another.
    A job LibreOffice ends under is run once more on a fresh office by the server, and said (a warning, and the
    session's list at its end), as the scripts run alone do."""

    def __init__(self):
        self.proc = None

    def _start(self):
        self.tmp = tempfile.mkdtemp(prefix="lo-serve-", dir=os.environ.get(LO_DIR_ENV))
        self.err = open(os.path.join(self.tmp, "stderr.txt"), "w+", encoding="utf-8")
        self.proc = subprocess.Popen([UNO_PYTHON, str(LO_SERVER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, start_new_session=True, env={**os.environ, "TMPDIR": self.tmp})
        self.pending = b""

    def _answer(self, timeout: float) -> str | None:
        """The server's next line of answer, read within `timeout` seconds (TimeoutError), None once it has ended.
        Read here, with select, not by a reader thread: a thread left running in the pytest worker would make
        xlgoals start its bounded children from a fork server (as in a threaded host), which does not see the
        monkeypatches of the tests that follow in this worker."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if not select.select([fd], [], [], left)[0]:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode("utf-8")

    def _stderr(self) -> str:
        self.err.flush()
        self.err.seek(0)
        return self.err.read()[-20000:]

    def call(self, kind: str, job: Path, timeout: float) -> subprocess.CompletedProcess:
        """The job file `job` of `kind` ("edit", "print", "convert") run: its return code 0 or 1 (the error in
        stderr), as the script run alone would give.  A server that ends under a job (its office took the bridge's
        process down with it) is started again and the job run once more on it, said as the server's own retries are."""
        args = [str(LO_SERVER), kind, str(job)]
        for attempt in (1, 2):
            if self.proc is None or self.proc.poll() is not None:
                self.stop(kill=True)
                self._start()
            try:
                self.proc.stdin.write((json.dumps({"kind": kind, "job": str(job)}, ensure_ascii=False) + "\n").encode())
                self.proc.stdin.flush()
                line = self._answer(timeout)
            except TimeoutError:
                err = self._stderr()
                self.stop(kill=True)
                raise AssertionError(f"{kind} job {job} did not end in {timeout} s: {err}")
            except OSError:  # the server had ended: its stdin is closed
                line = None
            if line is not None:
                break
            err = self._stderr()
            try:
                code = self.proc.wait(timeout=10)  # its output closed: it ends, or has ended
            except subprocess.TimeoutExpired:
                code = None
            self.stop(kill=True)
            if attempt == 2:
                return subprocess.CompletedProcess(args, -1, "", f"lo_server.py ended (exit code {code}): {err}")
            warnings.warn(f"xlgoals-lo-retry: lo_server.py ended (exit code {code}) under the {kind} job {job}; "
                          f"run once more on a new server: {err[-2000:]}", stacklevel=2)
        answer = json.loads(line)
        for said in answer["retries"]:
            warnings.warn(f"xlgoals-lo-retry: {said}", stacklevel=3)
        return subprocess.CompletedProcess(args, 0 if answer["ok"] else 1, "", answer.get("error", ""))

    def stop(self, kill: bool = False):
        """The server ended (asked, or its group killed), its offices' pipe files and its folder removed."""
        from .lo_office import remove_pipes

        if self.proc is None:
            return
        proc, self.proc = self.proc, None
        if not kill:
            try:
                proc.stdin.close()
                proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                kill = True
        left = [*Path(self.tmp).glob("lo-job-*/profile")]  # a server that ended as it should left none
        if kill or left or proc.returncode is None or proc.returncode < 0:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.wait()
            for profile in left:
                remove_pipes(str(profile), proc.pid)
        for stream in (proc.stdin, proc.stdout, self.err):
            try:
                stream.close()
            except OSError:  # a broken pipe's unflushed request
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)


_LO = _LoServer()


@contextlib.contextmanager
def _away_from_examples(files):
    """`files` as LibreOffice is given them: one in examples/ copied first into a folder of its own (its name kept;
    outside the test's tmp_path, which a test may go on to search as an inbox; removed afterwards), so that nothing
    LibreOffice might make beside a file it opens (a lock file .~lock.NAME#) can appear in examples/ while other
    tests list those folders (the helpers open private copies too); the others as they are."""
    examples = EXAMPLES.resolve()
    folder = Path(tempfile.mkdtemp(prefix="lo-sources-", dir=os.environ.get(LO_DIR_ENV)))
    try:
        given = []
        for i, f in enumerate(map(Path, files)):
            if examples in f.resolve().parents:
                copy = folder / str(i) / f.name
                copy.parent.mkdir()
                shutil.copy2(f, copy)
                f = copy
            given.append(f)
        yield given
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def lo_printed(files: list[Path], out: Path, timeout: float = 300, needed: bool = True) -> dict:
    """`files` printed to PDF through LibreOffice (lo_print.py, in `out`): path -> (its PDF's words, Printed; what
    lo_print.py says of its sheets, from its JSON).  A test using it takes the soffice fixture.  `needed=False` for a
    test that does not look at the heights LibreOffice would fit the rows to (lo_print's "needed": a row at a time
    in the office, fitted and measured)."""
    from .pdfwords import Printed

    job = out / "print-job.json"
    out.mkdir(exist_ok=True)
    with _away_from_examples(files) as given:
        job.write_text(json.dumps({"files": [str(f) for f in given], "outdir": str(out), "needed": needed},
                                  ensure_ascii=False), encoding="utf-8")
        proc = _LO.call("print", job, timeout)  # the worker's offices: its server killed whole on a timeout
    assert proc.returncode == 0, proc.stderr
    return {f: (Printed.of(out / f"{f.stem}.pdf"), json.loads((out / f"{f.stem}.json").read_text("utf-8")))
            for f in files}


def lo_convert_job(srcs, out: Path, folder: Path, fmt: str = "xlsx", infilter: str = "") -> list[Path]:
    """`srcs` opened in one LibreOffice session and saved in `fmt` to `out` (tests/lo_convert.py; the job file in
    `folder`), from private copies: nothing is written beside the originals.  For a fixture of a wider scope than a
    test's; it takes soffice.  `infilter`: how they are opened (soffice --infilter's spelling), where not detected."""
    job = folder / f"convert-job-{len(list(folder.glob('convert-job-*')))}.json"
    with _away_from_examples(srcs) as given:
        job.write_text(json.dumps({"files": [str(s) for s in given], "outdir": str(out), "format": fmt,
                                   **({"infilter": infilter} if infilter else {})},
                                  ensure_ascii=False), encoding="utf-8")
        proc = _LO.call("convert", job, 300)
    assert proc.returncode == 0, proc.stderr
    results = [out / (Path(s).stem + f".{fmt.split(':')[0]}") for s in srcs]
    for r in results:
        assert r.exists(), f"LibreOffice did not write {r}"
    return results


@pytest.fixture
def lo_convert(soffice, tmp_path):
    """Open workbooks in LibreOffice and save them again (as a department's round trip would), from private copies
    (tests/lo_convert.py): nothing is written beside the originals.  `fmt` as soffice --convert-to spells it."""
    def convert(*srcs: Path, fmt: str = "xlsx", infilter: str = "") -> list[Path]:
        return lo_convert_job(srcs, tmp_path / f"lo-{fmt}", tmp_path, fmt, infilter)
    return convert


@pytest.fixture(scope="session")
def _example_ods_saved(soffice, tmp_path_factory):
    folder = tmp_path_factory.mktemp("example-ods")
    (ods,) = lo_convert_job([EXAMPLE_XLSX[1]], folder / "lo-ods", folder, "ods")
    return ods


@pytest.fixture
def example_ods(_example_ods_saved, tmp_path):
    """The second example return (EXAMPLE_XLSX[1]) saved as .ods by LibreOffice, as lo_convert(EXAMPLE_XLSX[1],
    fmt="ods") gives it: converted once per test process (one LibreOffice session, not one per test), a copy of it
    in the test's own folder."""
    mine = tmp_path / "lo-ods" / _example_ods_saved.name
    mine.parent.mkdir(exist_ok=True)
    shutil.copy2(_example_ods_saved, mine)
    return mine


def lo_edit_job(src: Path, dst: Path, edits: list[dict], folder: Path, fmt: str = "xlsx", password: str | None = None,
                report: Path | None = None) -> Path:
    """Type into cells with LibreOffice (UNO) and save, the job file in `folder`: edits as in tests/lo_edit.py.  For a
    fixture of a wider scope than a test's (one document typed once for a module's tests); it takes soffice.
    `report`: where lo_edit writes what it found (the cells a "show_invalid" edit saw circled)."""
    job = folder / f"job-{dst.stem}.json"
    with _away_from_examples([src]) as (given,):
        job.write_text(json.dumps({"src": str(given), "dst": str(dst), "format": fmt, "edits": edits,
                                   "password": password, "report": str(report) if report else None},
                                  ensure_ascii=False), encoding="utf-8")
        proc = _LO.call("edit", job, 240)
    assert proc.returncode == 0, proc.stderr
    assert dst.exists()
    return dst


@pytest.fixture
def lo_edit(soffice, tmp_path):
    """Type into cells with LibreOffice (UNO) and save: edits as in tests/lo_edit.py."""
    def edit(src: Path, dst: Path, edits: list[dict], fmt: str = "xlsx", password: str | None = None,
             report: Path | None = None) -> Path:
        """`report`: where lo_edit writes what it found (the cells a "show_invalid" edit saw circled)."""
        return lo_edit_job(src, dst, edits, tmp_path, fmt, password, report)
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


def _needs_office(name: str, defs: dict, seen: set) -> bool:
    """Whether fixture `name` (in an item's closure `defs`) takes LibreOffice, itself or through the fixtures it takes."""
    if name == "soffice":
        return True
    if name in seen or name not in defs:
        return False
    seen.add(name)
    return any(_needs_office(arg, defs, seen) for arg in defs[name][-1].argnames)


@pytest.hookimpl(tryfirst=True)  # before xdist's worker reads the groups off the marks (its hook is not ordered)
def pytest_collection_modifyitems(config, items):
    """How the suite is shared between xdist's workers (`--dist loadgroup`, the README's test command).

    - A test taking a module-scoped fixture that types or prints in LibreOffice (one document typed once for the
      module's tests) is put in its module's xdist group: the module's such tests run in one worker, and the document
      is typed once, not once in each worker the tests happened to be sent to.  Its other tests go anywhere.
    - The modules with LibreOffice's tests run first (their order among themselves and every module's own order
      kept): the last tests a worker is left with are quick ones, not a LibreOffice job the other worker waits for.
    Without xdist (or with another --dist) the groups are no-ops and only the order of the modules changes."""
    office_modules = set()
    for item in items:
        info = getattr(item, "_fixtureinfo", None)
        if info is None or "soffice" not in item.fixturenames:
            continue
        module = item.nodeid.split("::", 1)[0]
        office_modules.add(module)
        defs = info.name2fixturedefs
        if any(defs[name][-1].scope == "module" and _needs_office(name, defs, set())
               for name in item.fixturenames if name in defs and name != "soffice"):
            item.add_marker(pytest.mark.xdist_group(module))
            _grouped_id(config, item, module)
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in office_modules)  # (stable: orders kept)


def _grouped_id(config, item, group: str) -> None:
    """The item's node id given its group as `--dist loadgroup` does (NODEID@GROUP, the id xdist's scheduler groups
    by), in a worker of such a run.  xdist 3.8 sets it on ``item._nodeid``, which pytest 9.2 no longer reads (its node
    ids are ``item._id``): the marks alone grouped nothing.  Left to xdist where its own renaming took."""
    if not getattr(config.option, "loadgroup", False) or not hasattr(config, "workerinput") or "@" in item.nodeid:
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # a pytest whose node ids xdist's own renaming reaches
        return
    item._id = NodeId.parse(f"{item.nodeid}@{group}")
