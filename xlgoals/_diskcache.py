"""What start-up parses and checks from the packaged data files, kept on disk between runs.

Every ``xlgoals validate`` loads the packaged rule table (``schema/rules.csv``): reading the CSV and checking each
row (its kind, parameters, placeholders) is some 6 % of a single check's instructions, for a table that changes only
when the package does.  The rows as checked are kept in the user's cache folder (``$XDG_CACHE_HOME/xlgoals`` or
``~/.cache/xlgoals``), with what they were made from: the Python version, the path, size and modification time of
every module of the package (the code that checked them), and the path, size, modification time and CRC-32 of the
data files.  A run whose key differs (an upgrade, an edited file, another Python) parses afresh and replaces the
entry.

The cache is never required: a folder that cannot be made or written (a read-only home, no home at all), a file
that cannot be read, is cut short, is not what we wrote or holds another key is the same as no file, and the data
are parsed as before.  Entries are written to a new temporary file of our own and renamed into place, so a reader
never sees half a file and a link planted in the folder is never written through; an entry is read only where it is
a regular file of the user's own that nobody else may write (read_own: a shared XDG_CACHE_HOME).  The compiled
schema checks kept beside these (``_check._schema._compiled``: code, which is run) are read and written the same
way, and so is the code of the checks' generated functions (``compiled``), keyed by a digest of its source.  The
entries of parsed data hold only plain data (``marshal``: tuples, lists, dicts, texts, numbers); nothing in them is
run.  Only the packaged files are cached: a bureau's own (``--rules FILE``) is read and checked on every run.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys
from types import CodeType

from zlib import crc32

#: The layout of an entry: bumped when what is kept changes shape.
_FORMAT = 1

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# (Windows has no O_NONBLOCK, and opens a descriptor in text mode unless told O_BINARY: \r\n read as \n)
_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | _NOFOLLOW
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | _NOFOLLOW
_GETEUID = getattr(os, "geteuid", None)  # (none on Windows: no owner or mode bits to hold an entry to)

_PACKAGE = os.path.dirname(os.path.abspath(__file__))


def folder() -> str | None:
    """The cache folder, or None where there is none to use (no home directory, a relative XDG_CACHE_HOME, which
    the XDG specification says to ignore, as a relative ``~`` would land in the current folder)."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return os.path.join(base, "xlgoals")


_STAMPED: list = []  # the package's code stamp, once a process (the rule table and the frameworks both ask)


def _code_stamp() -> tuple:
    """(path, size, modification time) of each module of the package: the code that parsed and checked an entry."""
    if not _STAMPED:
        _STAMPED.append(_stamp_modules())
    return _STAMPED[0]


def _stamp_modules() -> tuple:
    out = []
    stack = [_PACKAGE]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(".py"):
                    st = entry.stat()
                    out.append((entry.path, st.st_size, st.st_mtime_ns))
                elif name not in ("__pycache__", "_data") and entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
    out.sort()
    return tuple(out)


def _data_stamp(path: str) -> tuple:
    """(path, size, modification time, CRC-32 of the bytes) of a data file (the checksum: a file rewritten in the
    same nanosecond at the same size; SHA-256 would cost a tenth of what the cache saves)."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        data = fh.read()
    return path, st.st_size, st.st_mtime_ns, crc32(data)


def _entry(name: str) -> str | None:
    """The entry's file: one per name, Python version and installed copy of the package (two copies, two
    virtual environments, do not take turns overwriting one file)."""
    base = folder()
    if base is None:
        return None
    where = f"{crc32(f'{_PACKAGE}|{sys.version}'.encode('utf-8', 'surrogatepass')):08x}"
    return os.path.join(base, f"{name}-{where}.marshal")


def key(*data_files: str) -> tuple | None:
    """What an entry made from `data_files` (with the package's code) must have been made from; None when it cannot
    be told (a file that cannot be read: then nothing is cached, and the parse says what is wrong)."""
    try:
        return (_FORMAT, sys.version, _code_stamp(), tuple(_data_stamp(p) for p in data_files))
    except (OSError, ValueError):
        return None


def read_own(path: str) -> bytes | None:
    """The bytes of the cache file at `path`, or None: only a regular file (a FIFO would stall the run, a link to a
    device be read without end), not reached through a link, and, where the system has owners, the user's own and
    writable by nobody else (a shared XDG_CACHE_HOME: what someone else left there is not ours to load, nor run).
    Missing or unreadable: None."""
    try:
        fd = os.open(path, _READ)
    except (OSError, ValueError):
        return None
    with open(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return None
            if _GETEUID is not None and (st.st_uid != _GETEUID() or st.st_mode & 0o022):
                return None
            return fh.read()
        except (OSError, ValueError):
            return None


def write_new(path: str, data: bytes) -> None:
    """`data` put at `path` whole (a reader sees the old file or the new one, never half): written to a new file of
    our own first, never a name someone left there (O_EXCL; a link planted there is not written through), readable
    by the user alone, then renamed into place.  The folder is made for the user alone (as XDG says of it).  Raises
    OSError; a temporary file is never left behind."""
    os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
    tmp = f"{path}.{os.getpid()}.{os.urandom(6).hex()}.tmp"
    fd = os.open(tmp, _WRITE, 0o600)
    try:
        with open(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def compiled(source: str, filename: str):
    """``compile(source, filename, "exec")``, the code kept in the cache folder under a digest of the source, the file
    name and the Python version: the checks' generated functions (the sweep, the required paths, the item schema's
    rows) are the same text run after run, and compiling them costs a single check about 2 ms.  Read only as
    read_own allows (the user's own file, writable by nobody else); any trouble with the cache just compiles."""
    from ._read._safety import builtin_sha256 as sha256  # no OpenSSL to load

    base = folder()
    path = None
    if base is not None:
        digest = sha256(f"{filename}\0{sys.version}\0{source}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
        path = os.path.join(base, f"code-{digest}.marshal")
        code = kept_code(path)
        if code is not None:
            return code
    code = compile(source, filename, "exec")
    if path is not None:
        keep_code(path, code)
    return code


def kept_code(path: str) -> CodeType | None:
    """The code kept at `path` (``keep_code``), or None: no entry, not read_own's to read, cut short or not code."""
    kept = read_own(path)
    if kept is not None:
        try:
            code = marshal.loads(kept)
            if type(code) is CodeType:
                return code
        except (EOFError, ValueError, TypeError):
            pass  # cut short or not ours: compiled and replaced by the caller
    return None


def keep_code(path: str, code: CodeType) -> None:
    """`code` kept at `path` for a later run (write_new); a cache that cannot be written is no cache.  Each entry
    written prunes the folder (prune): code is keyed by its source, so every upgrade and every bureau's own rule
    table adds entries, and none would ever be removed."""
    try:
        write_new(path, marshal.dumps(code))
    except (OSError, ValueError):
        return
    prune(os.path.dirname(path))


#: The code entries (``code-*``, ``schema-*``) the cache folder keeps at most: the newest; an older one still in
#: use is compiled and kept again by the run that needs it (about 2 ms, once).
KEEP_CODE_ENTRIES = 64
#: The installs (installed copy of the package and Python: a virtual environment, a checkout) whose parsed-data
#: entries (``rules-``, ``frameworks-``, ``csvtables-``, one of each per install) the folder keeps at most: those used
#: most recently, each install's entries kept or removed together.  Every upgrade, virtual environment and Python
#: adds one; one still in use that was removed is parsed and kept again by the run that needs it.
KEEP_DATA_ENTRIES = 8
#: An entry used (load) whose modification time is older than this (seconds) is touched: its time says when its
#: install last used it, which prune keeps the most recent of (at most one touch an hour, not one every start).
TOUCH_AFTER = 3600
_DATA_NAMES = ("rules-", "frameworks-", "csvtables-")
#: The names of the entries the package writes (code, compiled schema checks, the parsed rule table and frameworks)
_OUR_NAMES = ("code-", "schema-", "rules-", "frameworks-", "csvtables-")
#: A temporary file of write_new older than this (seconds) was left by a run that was killed while writing.
STALE_TMP = 3600


def prune(base: str, keep: int = KEEP_CODE_ENTRIES, now: float | None = None,
          keep_data: int = KEEP_DATA_ENTRIES) -> None:
    """Remove from the cache folder `base` all but the `keep` newest code entries and the parsed-data entries (rules,
    frameworks, csvtables) of all but the `keep_data` installs used most recently, and the temporary files of
    write_new left by killed runs (older than STALE_TMP).  An install's entries (one of each kind, named by its
    install: _entry) go together, its time the newest of theirs (written, or touched when used: load): so one
    install's entries are never pushed out by another's writing more often, nor one kind of an install kept
    without the others.  Only our own names, regular files of the user's own (not followed through
    a link); anything else in the folder is left alone, and any trouble leaves things as they are.  Run whenever an
    entry of any kind is written (keep_code, store)."""
    import time

    now = time.time() if now is None else now
    entries, stale = [], []
    installs: dict[str, list] = {}  # the install's part of the name: [newest time, its entries]
    try:
        with os.scandir(base) as found:
            for e in found:
                name = e.name
                tmp = name.endswith(".tmp") and ".marshal." in name and name.startswith(_OUR_NAMES)
                code = name.endswith(".marshal") and name.startswith(("code-", "schema-"))
                kind = name.endswith(".marshal") and next((k for k in _DATA_NAMES if name.startswith(k)), None)
                if not (tmp or code or kind) or not e.is_file(follow_symlinks=False):
                    continue
                st = e.stat(follow_symlinks=False)
                if _GETEUID is not None and st.st_uid != _GETEUID():
                    continue
                if code:
                    entries.append((st.st_mtime_ns, e.path))
                elif kind:
                    found_of = installs.setdefault(name[len(kind):], [st.st_mtime_ns, []])
                    found_of[0] = max(found_of[0], st.st_mtime_ns)
                    found_of[1].append(e.path)
                elif now - st.st_mtime > STALE_TMP:
                    stale.append(e.path)
    except OSError:
        return
    entries.sort(reverse=True)
    gone = stale + [p for _, p in entries[keep:]]
    for _, paths in sorted(installs.values(), reverse=True)[keep_data:]:
        gone += paths
    for path in gone:
        try:
            os.unlink(path)
        except OSError:
            pass


def load(name: str, data_files: tuple):
    """The payload kept under `name` for `data_files` as they are now (see key), or None (no entry, another key,
    any trouble, a file read_own refuses).  Without an entry to read, the key is not worked out at all."""
    try:
        path = _entry(name)
        if path is None:
            return None
        data = read_own(path)
        if data is None:
            return None
        found = marshal.loads(data)
    except Exception:  # noqa: BLE001 - cut short, not marshal: as if there were none
        return None
    if type(found) is not tuple or len(found) != 2:
        return None
    wanted = key(*data_files)
    if wanted is None or found[0] != wanted:
        return None
    _used(path)
    return found[1]


def _used(path: str) -> None:
    """The entry at `path` marked used now (its modification time), where it was last marked over TOUCH_AFTER ago:
    prune keeps the installs used most recently.  Not through a link; any trouble (a read-only folder) leaves it.
    Where a link's own time cannot be set (Windows: os.utime not in os.supports_follow_symlinks) a plain utime, on
    what is not a link (never marked there before, an install in daily use was pruned as the oldest)."""
    import time

    try:
        now = time.time()
        st = os.stat(path, follow_symlinks=False)
        if now - st.st_mtime <= TOUCH_AFTER:
            return
        if os.utime in os.supports_follow_symlinks:
            os.utime(path, (now, now), follow_symlinks=False)
        elif not stat.S_ISLNK(st.st_mode):
            os.utime(path, (now, now))
    except (OSError, ValueError):
        pass


def before_parsing(data_files: tuple) -> tuple | None:
    """The key of `data_files` as they are before they are parsed, for store to hold the entry to (None where there
    is no cache folder to use: nothing worked out)."""
    return key(*data_files) if folder() is not None else None


def store(name: str, data_files: tuple, payload, made_from: tuple | None = None) -> None:
    """Keep `payload` under `name`, made from `data_files` as they are now; any trouble (a read-only or missing
    home, a full disk) leaves things as they were.  `made_from` (before_parsing): the files as they were when the
    payload was parsed from them; where they are no longer so (saved again meanwhile), nothing is kept, as what
    was parsed is not what they now hold."""
    try:
        path = _entry(name)
        if path is None:
            return
        # the folder first: where there is none to be had, nothing to work out
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        wanted = key(*data_files)
        if wanted is None or (made_from is not None and made_from != wanted):
            return
        write_new(path, marshal.dumps((wanted, payload)))
    except (OSError, ValueError):
        return
    prune(os.path.dirname(path))  # one per installed copy and Python: bounded as the code entries are


def kept_or_made(name: str, data_files: tuple, make, build):
    """What start-up makes from `data_files`, kept under `name` between runs: `build(payload)` of the payload kept
    for the files as they are now (load); where there is none, or it does not build (an entry of another shape),
    `make()` gives (what is made, its payload as plain data), and the payload is stored as made from the files as
    they were before making began (before_parsing, store).  The one load, make, store of the rule table, the
    frameworks and the CSV tables' edges."""
    kept = load(name, data_files)
    if kept is not None:
        try:
            return build(kept)
        except Exception:  # noqa: BLE001 - an entry of another shape: made afresh below
            pass
    before = before_parsing(data_files)
    made, payload = make()
    store(name, data_files, payload, made_from=before)
    return made
