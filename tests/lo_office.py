"""A private LibreOffice for one job of lo_edit.py or lo_print.py (run with the Python that has ``uno``).

Run alone (``python3 lo_edit.py JOB.json``: ``run``), each job gets its own soffice, its own profile and its own pipe,
as the typing note asks (one soffice per document).  Under the test session the jobs of a worker go to lo_server.py,
whose ``Pool`` keeps an office from job to job (starting one was most of a job's time), typing jobs included, but
ends it after a job that failed, starting the next one at once.  What this module adds:

- **A prepared profile.** LibreOffice starting on an empty profile creates it and then restarts itself (the first
  soffice.bin exits, oosplash starts a second). ``python3 lo_office.py prepare DIR`` makes a profile once, through that
  first start (under a lock: once whoever asks, DIR.ready says it is done); the test session starts it as it begins,
  while its workers collect, names it in $XLGOALS_LO_PROFILE, and each job of every worker starts on a copy of it (no
  restart). Without $XLGOALS_LO_PROFILE a job starts on an empty profile as before.
- **One more run when LibreOffice ends under a job.** If the office goes away during a job (its bridge disposed, or the
  process gone) before the job's outputs are written, the job is run once more on a fresh office, and that is logged:
  a line on stderr and one in $XLGOALS_LO_LOG (the test session lists them at its end). Any other error, ours or
  LibreOffice's with the office still running, is raised at once; a second death is raised too.
- **Nothing left behind.** The office and its child processes are ended by their ids, the job's folder (profile
  included) and the office's two pipe files in /tmp are removed: the one it was reached through and LibreOffice's
  own (SingleOfficeIPC_…, named after the profile; left by an office that was killed rather than ended). Both are
  named after the profile (``pipe_files``): the test session removes those of a script it had to kill too.
"""

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MASTER_ENV = "XLGOALS_LO_PROFILE"
LOG_ENV = "XLGOALS_LO_LOG"
START_SECONDS = 60


def column_letters(col):
    """A 0-based column index as its letters (0 → A, 26 → AA)."""
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


def _accept_pipe(profile: str, pid: int) -> str:
    """The pipe an office on `profile`, started by process `pid`, is reached through (the profile is a fresh folder of
    its own: the name is not a dead one's)."""
    return f"xlgoals{pid}x{hashlib.md5(os.path.abspath(profile).encode()).hexdigest()[:12]}"


def pipe_files(profile: str, pid: int) -> list[str]:
    """The pipe files in /tmp of an office on `profile` started by process `pid`: ours, and LibreOffice's own single-
    instance pipe, SingleOfficeIPC_ and the MD5 of the profile's URL (UTF-16, each byte in hex without its leading
    zero: desktop/source/app/officeipcthread.cxx).  LibreOffice puts pipes in /tmp whatever $TMPDIR says."""
    digest = hashlib.md5(f"file://{os.path.abspath(profile)}".encode("utf-16-le")).digest()
    return [f"/tmp/OSL_PIPE_{os.getuid()}_{name}"
            for name in (_accept_pipe(profile, pid), "SingleOfficeIPC_" + "".join(format(b, "x") for b in digest))]


def remove_pipes(profile: str, pid: int) -> None:
    """The pipe files of an office on `profile` started by `pid`, once that office is no more."""
    for path in pipe_files(profile, pid):
        try:
            os.unlink(path)
        except OSError:
            pass


class OfficeGone(Exception):
    """LibreOffice ended (or never answered) while a job needed it."""


def _descendants(pid: int) -> list[int]:
    """The process ids below `pid` (oosplash starts soffice.bin), deepest last."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    kids = [int(k) for k in fh.read().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


class Office:
    """soffice --headless on `profile`, connected through a pipe of this process's own."""

    def __init__(self, profile: str, env: dict | None = None, connect: bool = True):
        """Started, and (unless `connect` is False: then ``connect`` when it is needed) connected to."""
        self.profile = os.path.abspath(profile)
        self.pipe = _accept_pipe(self.profile, os.getpid())
        self.proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo",
                                      f"-env:UserInstallation=file://{self.profile}",
                                      f"--accept=pipe,name={self.pipe};urp;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        self.desktop, self.bins = None, []
        if connect:
            self.connect()

    def connect(self):
        """Connected to the office (once): its desktop at hand."""
        import uno

        if self.desktop is not None:
            return
        try:
            self._connect(uno)
        except BaseException:  # it never answered, or ended while starting: nothing of it is left either
            self.close()
            raise

    def _connect(self, uno):
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                self.ctx = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if self.proc.poll() is not None:
                    raise OfficeGone(f"soffice ended while starting (exit code {self.proc.returncode})")
                if time.monotonic() > deadline:
                    raise SystemExit("LibreOffice did not start")
                time.sleep(0.2)
        self.bins = _descendants(self.proc.pid)  # soffice.bin, the office that answered
        self.desktop = self.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", self.ctx)

    def gone(self) -> bool:
        """Whether the office has ended: oosplash exited, or the soffice.bin that answered is dead."""
        if self.proc.poll() is not None:
            return True
        for pid in self.bins:
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                        return False
            except OSError:
                pass
        return bool(self.bins)

    def _ours(self, pid: int) -> bool:
        """Whether `pid` is still an office on this profile (not a process that took the id of one that ended)."""
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                return f"file://{self.profile}".encode() in fh.read()
        except OSError:
            return False

    def close(self):
        """End the office: asked first, then its processes killed by id; its pipe files removed."""
        known = [*self.bins, *_descendants(self.proc.pid)]  # before oosplash ends: then its soffice.bin is no child
        if self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:
                pass  # a crash at close is harmless once the outputs are written
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        for pid in [*known, *_descendants(self.proc.pid)]:  # soffice.bin outlives a killed oosplash
            if self._ours(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        try:
            self.proc.kill()
            self.proc.wait(timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            pass
        remove_pipes(self.profile, os.getpid())


def _office_ended(exc: BaseException, office: Office | None) -> bool:
    """Whether `exc` is LibreOffice ending under the job (not our code failing, not a document LibreOffice refused)."""
    if isinstance(exc, OfficeGone):
        return True
    name = type(exc).__name__  # pyuno's classes are named in full: com.sun.star.lang.DisposedException
    if name.endswith("DisposedException") or "bridge disposed" in str(exc):  # the bridge to the office is gone
        return True
    return office is not None and office.gone()  # whatever the call said, the process is no more


#: The lines _log has said, for a process that runs many jobs (lo_server.py) to tell whose job they were.
LOGGED: list[str] = []


def _log(what: str, exc: BaseException):
    line = f"{what}: LibreOffice ended during the job ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); run once more on a fresh office"
    print(f"xlgoals-lo-retry: {line}", file=sys.stderr, flush=True)
    LOGGED.append(line)
    path = os.environ.get(LOG_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as fh:  # one short line per write: appends from workers do not mix
            fh.write(line + "\n")


def run(job, what: str, env: dict | None = None):
    """job(office, work) with a fresh office on a copy of the prepared profile in a fresh folder `work`; run once more
    if LibreOffice ends under it. `job` must write its outputs only once LibreOffice has done its part."""
    master = os.environ.get(MASTER_ENV)
    for attempt in (1, 2):
        work = tempfile.mkdtemp(prefix="lo-job-")
        profile = os.path.join(work, "profile")
        office = None
        try:
            if master and os.path.isdir(master):
                shutil.copytree(master, profile, symlinks=True)
            # LibreOffice's own temporary files in the job's folder too: a killed office leaves its lu….tmp folder
            office = Office(profile, {**(os.environ if env is None else env), "TMPDIR": work})
            return job(office, work)
        except Exception as exc:
            if attempt == 2 or not _office_ended(exc, office):
                raise
            _log(what, exc)
        finally:
            if office is not None:
                office.close()
            shutil.rmtree(work, ignore_errors=True)


def _locale_of(env: dict | None) -> tuple:
    """The locale an office started with `env` parses typed input with: offices of other locales are not shared."""
    env = os.environ if env is None else env
    return tuple(env.get(k) for k in ("LC_ALL", "LC_CTYPE", "LC_NUMERIC", "LC_TIME", "LANG", "LANGUAGE"))


class Pool:
    """Offices that outlast a job: the jobs of one process (lo_server.py: one pytest worker's) run one after another on
    one office per locale, each in a fresh folder of its own, rather than on an office started for each (a start is
    most of a job's time).  What ``run`` promises still holds: if the office goes away under a job, the job is run
    once more on a fresh office (logged; a second death is raised), and any other error is raised at once.

    An office is not given another job after a job that failed (a document it failed on may be left open in it), nor
    once it has run `jobs_per_office` jobs (its memory bounded); one found ended before a job starts is replaced.  A
    job that typed through the dispatcher (lo_edit's typing) does not end it: it was once put aside after each, as
    LibreOffice 7.4 headless was seen to end once such a document closed, but a whole run of the suite with its
    typing jobs on offices kept (7.4.7, the prepared profile) saw none end; one that did would be replaced before
    the next job, or the job run once more, and said, as for any office that ends.  The office that replaces one put aside
    after a job is started right away, while the test goes on with its own work (a start is mostly waiting), and
    connected to when the next job needs it.  ``close`` ends them all, by their ids, and removes their folders."""

    def __init__(self, jobs_per_office: int = 40):
        self.offices = {}  # locale -> [Office, its folder, jobs run]
        self.jobs_per_office = jobs_per_office

    def _drop(self, key):
        office, work, _ = self.offices.pop(key)
        office.close()
        shutil.rmtree(work, ignore_errors=True)

    def _start(self, key, env: dict | None, connect: bool):
        master = os.environ.get(MASTER_ENV)
        work = tempfile.mkdtemp(prefix="lo-job-")
        profile = os.path.join(work, "profile")
        try:
            if master and os.path.isdir(master):
                shutil.copytree(master, profile, symlinks=True)
            office = Office(profile, {**(os.environ if env is None else env), "TMPDIR": work}, connect=connect)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        self.offices[key] = [office, work, 0]

    def _office(self, key, env: dict | None):
        entry = self.offices.get(key)
        if entry is not None and (entry[0].gone() or entry[2] >= self.jobs_per_office):
            self._drop(key)
            entry = None
        if entry is None:
            self._start(key, env, connect=True)
            entry = self.offices[key]
        try:
            entry[0].connect()  # one started ahead: connected now
        except BaseException:
            self.offices.pop(key, None)
            shutil.rmtree(entry[1], ignore_errors=True)
            raise
        entry[2] += 1
        return entry

    def run(self, job, what: str, env: dict | None = None):
        """job(office, work) as ``run`` does it, `work` a fresh folder, on this pool's office for the env's locale."""
        key = _locale_of(env)
        try:
            for attempt in (1, 2):
                office = None
                try:
                    office, folder, _ = self._office(key, env)
                    work = tempfile.mkdtemp(prefix="job-", dir=folder)
                    try:
                        return job(office, work)
                    finally:
                        shutil.rmtree(work, ignore_errors=True)
                except Exception as exc:
                    ended = _office_ended(exc, office)  # asked before this office is ended here
                    if key in self.offices:
                        self._drop(key)
                    if attempt == 2 or not ended:
                        raise
                    _log(what, exc)
        finally:
            if key not in self.offices:  # the next job's office, started while the test goes on
                try:
                    self._start(key, env, connect=False)
                except Exception:
                    pass  # the next job starts one itself, and says why if it cannot

    def close(self):
        for key in list(self.offices):
            self._drop(key)


def prepare(profile: str):
    """A profile through LibreOffice's first start (and the restart it makes), for jobs to copy."""
    for attempt in (1, 2):
        shutil.rmtree(profile, ignore_errors=True)
        office = None
        try:
            office = Office(profile)
            office.ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", office.ctx)
            break
        except Exception as exc:
            if attempt == 2 or not _office_ended(exc, office):
                raise
            _log(f"prepare {profile}", exc)
        finally:
            if office is not None:
                office.close()
    try:
        os.unlink(os.path.join(profile, ".lock"))  # left if the office was killed: a copy must not look in use
    except OSError:
        pass


def prepare_once(profile: str):
    """`profile` prepared once whoever asks first (the test session starts it as it begins, its workers ask when they
    need it): under a lock beside it, done unless PROFILE.ready says it was."""
    import fcntl

    with open(profile + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or this process dies
        if not os.path.exists(profile + ".ready"):
            prepare(profile)
            with open(profile + ".ready", "w"):
                pass


if __name__ == "__main__":
    if sys.argv[1:2] != ["prepare"] or len(sys.argv) != 3:
        raise SystemExit("usage: python3 lo_office.py prepare PROFILE_DIR")
    prepare_once(sys.argv[2])
