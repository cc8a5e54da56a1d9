"""Write output files atomically: a crash, Ctrl-C or a full disk never leaves a half-written file.

Temporary files are named ``.xlgoals-<pid>-<host>-….part`` beside their target, short whatever the
target's name (<host>: 8 hex digits of this machine's name); the next run on the same machine removes those
whose process is gone (left by a kill -9).  A run
with several outputs commits them together (``Outputs``): all are written to temporary files
first and renamed only when every one is complete.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from ._errors import OutputError, XlgoalsError, os_reason
from ._text import Bilingual, display_path


@functools.cache
def host_tag() -> str:
    """8 hex digits of this machine's name (a CRC-32 of it), in the temporary names: a run on another machine writing
    to the same shared folder has process ids of its own, which say nothing here (a live run there would look dead).
    Made when first needed (no socket module for a plain validate), once a process; a worker forked after it was
    made keeps it, rightly: a fork runs on the same machine."""
    import socket
    import zlib

    try:
        name = socket.gethostname()
    except OSError:  # pragma: no cover - no name to be had
        name = ""
    return f"{zlib.crc32(name.encode('utf-8', 'surrogatepass')):08x}"


# Only names with a host tag are ever removed, and only this machine's: a name without one is an older xlgoals's,
# which may be a live run on another machine sharing the folder; left as it is (hidden, and harmless there).
_LEFTOVER = re.compile(r"^\.xlgoals-(\d+)-(?P<host>[0-9a-f]{8})-.*(\.part|-stage)$")


def _alive(pid: int) -> bool:
    """Whether process `pid` may still be running on this machine: anything but a sure "no such process" is yes."""
    if os.name == "nt":  # signal 0 is CTRL_C_EVENT there (sent to the console's group): never probe, never remove
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError as exc:
        return exc.errno != errno.ESRCH
    return True


def left_by_dead_runs(folder: str | os.PathLike, pattern: re.Pattern) -> list[str]:
    """The paths in `folder` whose names match `pattern` (the process id its first group) and whose process is
    gone: what a killed xlgoals run left.  A pattern with a ``host`` group matches only this machine's names."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    out = []
    for name in names:
        m = pattern.match(name)
        if m and "host" in pattern.groupindex and m.group("host") != host_tag():
            continue  # another machine's run, writing to a shared folder: its process ids are not this machine's
        if m and int(m.group(1)) != os.getpid() and not _alive(int(m.group(1))):
            out.append(os.path.join(folder, name))
    return out


def clean_leftovers(folder: str | os.PathLike) -> None:
    """Remove temporary files and folders that a killed xlgoals run left in `folder`."""
    for path in left_by_dead_runs(folder, _LEFTOVER):
        with contextlib.suppress(OSError):
            shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)


#: The folders this process has written an output into, each cleaned of dead runs' leftovers once (_clean_once).
_CLEANED: set = set()


def _clean_once(folder: Path) -> None:
    """clean_leftovers for the first output this process writes into `folder`: a run that was killed, or interrupted
    at the wrong moment, left its temporary files there (validate's -o and --annotate folders, fill's, template's)."""
    key = os.path.abspath(folder)
    if key not in _CLEANED:
        _CLEANED.add(key)
        clean_leftovers(folder)


def temp_beside(target: Path, suffix: str = ".part", pending: list | None = None, folder: Path | None = None) -> Path:
    """A new empty file beside `target` (or in `folder`), named ``.xlgoals-<pid>-<host>-….part``.  With `pending` (an
    Outputs' list), the file is listed there as (file, target) before it is made: a Ctrl-C at any moment leaves none
    behind."""
    place = target.parent if folder is None else folder
    place.mkdir(parents=True, exist_ok=True)
    _clean_once(place)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = place / f".xlgoals-{os.getpid()}-{host_tag()}-{secrets.token_hex(4)}{suffix}"
        entry = (tmp, target)
        if pending is not None:
            pending.append(entry)
        try:
            fd = os.open(tmp, flags, 0o600)
        except OSError as exc:
            if pending is not None:
                pending.remove(entry)
            if isinstance(exc, FileExistsError):
                continue
            raise
        os.close(fd)
        return tmp
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found", str(place))


def stage_dir(folder: Path) -> tempfile.TemporaryDirectory:
    """A scratch folder beside an output, cleaned up with it (or by the next run after a kill -9)."""
    return tempfile.TemporaryDirectory(prefix=f".xlgoals-{os.getpid()}-{host_tag()}-", suffix="-stage", dir=folder)


def _failed(target, exc: OSError) -> XlgoalsError:
    shown = display_path(target)
    err = OutputError(Bilingual(f"无法写入 {shown}（{os_reason(exc)}）", f"cannot write {shown} ({os_reason(exc, 'en')})"))
    err.errno = exc.errno  # what the system said (a full disk: the caller of many writes stops at the first)
    return err


def disk_full(exc: BaseException) -> bool:
    """Whether `exc` (an OSError, or the XlgoalsError an output that cannot be written becomes) says the disk or
    the quota is full: every further write to that disk would fail alike."""
    return getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT)


class Outputs:
    """Several outputs of one run, committed together.

    ``path(target)`` gives a temporary path to write `target` to; when the ``with`` block ends
    without an error every target is renamed into place, otherwise every temporary file is
    removed and no output is touched.  An OSError while writing becomes an XlgoalsError naming
    the output.
    """

    def __init__(self):
        self._pending: list[tuple[Path, Path]] = []
        self._made: list[Path] = []  # folders made for the outputs, outermost first: removed again if left empty
        # earlier outputs this run writes no more, with what they were when listed: removed once the others are in place
        self._retired: list[tuple[Path, tuple]] = []
        self.written: list[Path] = []
        self._through: dict[Path, int] = {}  # outputs that name an open descriptor: written through it (path)

    def path(self, target) -> Path:
        """A temporary path to write `target` to.  A link at `target` is replaced by the output (the link itself:
        what it points to is never written through, however it was named: a department's workbook a link in the
        output folder points to, another run's input); the checks before a run refuse a link to one of its
        inputs, and one to a folder unless --force (link_refused); such a link is replaced too, its target never
        touched.  Anything else there that is not a regular file (a folder, a pipe, a device, a link to a pipe or a
        device) is refused.  A path naming one of this process's open descriptors (``/dev/stdout``, ``/dev/fd/1``,
        a link to /proc/self/fd/1: _paths.descriptor_of) is written through that descriptor when the outputs are
        committed, whatever it leads to (a file the shell redirected to, a pipe, a terminal): staged in the system's
        temporary folder, never renamed over the path."""
        target = Path(target)
        from ._paths import descriptor_of, link_to_folder, not_a_file, not_a_file_output

        fd = descriptor_of(target)
        if fd is not None:
            self._through[target] = fd
            if _is_stdout(fd):  # the command's own messages go to standard error from now on (stdout_taken)
                global _stdout_taken
                _stdout_taken = True
            try:
                return temp_beside(target, pending=self._pending, folder=Path(tempfile.gettempdir()))
            except OSError as exc:
                raise _failed(target, exc) from None
        if not_a_file(target) and not link_to_folder(target):  # a folder, a pipe, a device: not an output's place
            raise OutputError(not_a_file_output(target))  # an output not written: exit 2, in a batch too
        self._made += _missing_folders(target.parent)  # made by temp_beside, or by no one if it fails
        try:
            return temp_beside(target, pending=self._pending)  # listed before it is made (a Ctrl-C: removed)
        except OSError as exc:
            raise _failed(target, exc) from None

    def retire(self, target) -> None:
        """Remove `target` (an earlier run's output that this run does not write again) when the outputs are committed;
        left as it is when they are not.  Only a regular file, and only as it is now: a folder or a link is never
        removed, nor a file changed or replaced before the commit (someone saved it meanwhile), nor a file this run
        writes (the same file under another spelling, on a disk that ignores case)."""
        target = Path(target)
        try:
            st = os.lstat(target)
        except OSError:
            return
        if stat.S_ISREG(st.st_mode):
            self._retired.append((target, _identity(st)))

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            target = next((t for tmp, t in self._pending if exc is not None and getattr(exc, "filename", None)
                           and str(tmp) == str(exc.filename)), self._pending[-1][1] if self._pending else "")
            self._discard()
            if isinstance(exc, OSError):
                raise _failed(target, exc) from None
            return False
        try:
            mask = _umask()
            for tmp, target in self._pending:
                if target in self._through:
                    _write_through(tmp, self._through[target])
                    os.unlink(tmp)
                else:
                    os.chmod(tmp, 0o666 & ~mask)
                    os.replace(tmp, target)
                self.written.append(target)
        except BrokenPipeError:  # what read an output written through a pipe (--json /dev/stdout | head) went
            self._retired = []   # away: not a file that could not be replaced, but a cut output (exit 141, cli)
            self._discard()
            raise
        except OSError as exc:
            self._commit_failed(exc)
        except BaseException:  # Ctrl-C between the writing and the renaming: no temporary file is left (those
            self._retired = []  # renamed are outputs, whole: their temporary paths are gone)
            self._discard()
            raise
        self._remove_retired()
        return False

    def _commit_failed(self, exc: OSError) -> None:
        """An output that could not be renamed into place: the rest are not either, and what was is said."""
        target = self._pending[len(self.written)][1] if len(self.written) < len(self._pending) else ""
        self._retired = []
        self._discard()
        done = "、".join(display_path(t) for t in self.written) or "无"
        done_en = ", ".join(display_path(t) for t in self.written) or "none"
        shown = display_path(target)
        hint = hint_en = ""
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY) and os.path.exists(target):
            # Windows refuses to replace a file a program has open: last week's summary, still open in Excel
            hint = "；如该文件正在 Excel 或 WPS 中打开，请关闭后重新运行"
            hint_en = "; if the file is open in Excel or WPS, close it and run again"
        raise OutputError(Bilingual(f"无法替换 {shown}（{os_reason(exc)}）{hint}；已写入：{done}",
                                     f"cannot replace {shown} ({os_reason(exc, 'en')}){hint_en}; written: {done_en}")) from None

    def _remove_retired(self) -> None:
        written = set()
        for target in self.written:
            with contextlib.suppress(OSError):
                written.add(_identity(os.stat(target))[:2])
        for old, was in self._retired:  # a file that cannot be removed stays: the outputs written stand
            with contextlib.suppress(OSError):
                now = _identity(os.lstat(old))
                if now == was and now[:2] not in written:
                    os.unlink(old)
        self._retired = []

    def _discard(self):
        for tmp, _ in self._pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._pending = []
        for folder in reversed(self._made):  # innermost first; a folder that holds anything stays
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        self._made = []


#: Whether an output of this process is written through its standard output (``-o /dev/stdout``, a link to
#: /proc/self/fd/1, /dev/fd/3 with ``3>&1``): set by Outputs.path, read by stdout_taken.
_stdout_taken = False


def stdout_taken() -> bool:
    """Whether an output of this run goes through standard output: the command's own messages (``已生成：…``, a
    summary's counts) then go to standard error, so that what a script redirects is the output alone, whole (a JSON
    it can parse, a workbook that opens), never the output with the confirmation after it."""
    return _stdout_taken


def forget_stdout_taken() -> None:
    """A new run (the command line's group, each invocation in one process: a test's CliRunner): no output yet."""
    global _stdout_taken
    _stdout_taken = False


def _is_stdout(fd: int) -> bool:
    """Whether descriptor `fd` is standard output or leads where it leads (the same open file, pipe or terminal)."""
    if fd == 1:
        return True
    try:
        a, b = os.fstat(fd), os.fstat(1)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _write_through(tmp: Path, fd: int) -> None:
    """Copy the finished file `tmp` into the open descriptor `fd` (the standard output a shell redirected, a pipe),
    after what Python holds for it: as its mode has it (appended with >>), never truncated or reopened."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            if stream is not None and stream.fileno() == fd:
                stream.flush()
    with open(tmp, "rb") as fh:
        while chunk := fh.read(1 << 20):
            view = memoryview(chunk)
            while view:
                view = view[os.write(fd, view):]


def _identity(st: os.stat_result) -> tuple:
    """A file's device, inode, size and modification time: what tells it is still the file that was looked at."""
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _missing_folders(folder: Path) -> list[Path]:
    """The folders on the way to `folder` (itself included) that do not exist yet, outermost first."""
    missing = []
    try:
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
    except OSError:
        pass
    return missing[::-1]


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike):
    """Yield a temporary path beside `target`; rename it over `target` only on success."""
    with Outputs() as outputs:
        yield outputs.path(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(target: str | os.PathLike, data: bytes) -> None:
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
