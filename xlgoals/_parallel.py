"""An ordered parallel map over worker processes that survives the files it reads.

Returns are untrusted: a file may make a spreadsheet library panic, abort on an absurd
allocation, or spin.  Each item therefore runs in a worker process with a memory limit;
a worker that dies or overruns its time is killed and replaced, its item gets the result
``on_crash(item, reason)`` gives, and the map goes on.  A dead worker never hangs the run.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator

def loaded(name: str):
    """The module `name` if this process has imported it, else None (nothing loaded for the asking).  A module that
    another thread is still importing (a script's first calls from a thread pool: one thread's pmap imports
    multiprocessing while another's asks for it) is waited for, through the import system's lock on it, not taken
    half-made from ``sys.modules`` (``'multiprocessing' has no attribute 'current_process'``)."""
    if sys.modules.get(name) is None:
        return None
    import importlib

    return importlib.import_module(name)


#: How many items a worker holds at once (one running, one waiting), to hide the pipe's latency.
_DEPTH = 2


#: cgroup v2's CPU quota of this process's group, as a container sees it ("max 100000", or "200000 100000": 2 CPUs).
_CPU_MAX = "/sys/fs/cgroup/cpu.max"


def default_jobs() -> int:
    """The worker processes of ``--jobs 0`` (or none given): the CPUs this process may run on (its affinity:
    ``taskset``, a container's cpuset), no more than a cgroup CPU quota allows (a container's ``--cpus 2`` on a
    64-core host), else os.cpu_count().  Each worker is bounded in wall-clock time, so more workers than CPUs turn
    slow returns into file.timeout."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # no affinity on this system (macOS, Windows)
        cpus = os.cpu_count() or 1
    quota = _cgroup_cpus()
    return max(1, min(cpus, quota) if quota else cpus)


def _cgroup_cpus() -> int | None:
    """The whole CPUs (rounded up) cgroup v2's quota gives this process's group, None when unlimited or unknown."""
    try:
        with open(_CPU_MAX, encoding="ascii") as fh:
            quota, period = fh.read().split()[:2]
        quota, period = int(quota), int(period)  # "max": unlimited (ValueError)
    except (OSError, ValueError):
        return None
    if quota <= 0 or period <= 0:
        return None
    return -(-quota // period)


def check_jobs(jobs) -> None:
    """A library caller's `jobs`: None or 0 (all cores) or a whole number of worker processes (``_args.jobs``)."""
    from ._args import jobs as checked

    checked(jobs)


def _limit_memory(mb: int | None) -> None:
    if not mb:
        return
    try:
        import resource

        with open("/proc/self/status") as fh:
            vm_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmSize"))
        limit = vm_kb * 1024 + mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # not Linux: no limit, the screen before calamine still holds


#: Why a worker gave no result for an item (pmap's `on_crash` reasons), in Chinese and English.
CRASH_REASONS = {"crashed": ("读取程序异常退出", "the reader stopped abnormally"),
                 "timeout": ("读取超时", "reading took too long"),
                 "memory": ("内存超过上限", "memory limit exceeded")}


def crash_reason(reason: str, lang: str = "zh") -> str:
    zh, en = CRASH_REASONS.get(reason, (reason, reason))
    return en if lang == "en" else zh


class _Raised:
    """An exception of a kind the caller wants raised (pmap's `raises`), carried back from the worker."""

    def __init__(self, exc: BaseException):
        self.exc = exc


def _call(fn: Callable, item, raises: tuple = ()) -> tuple[bool, object]:
    """(True, fn(item)), or (False, why) when it raised: a bug, not a file problem, reported on the item; an
    exception of a kind in `raises` is carried back to be raised in the caller."""
    try:
        return True, fn(item)
    except MemoryError:
        return False, "memory"
    except raises as exc:  # () catches nothing
        return False, _Raised(exc)
    except Exception as exc:
        return False, f"{exc.__class__.__name__}: {exc}"[:200]


#: Whether this process is a bounded child (a pmap worker, or `bounded`'s): what it reads is bounded already.
_IN_CHILD = False


def in_bounded_child() -> bool:
    """Whether this process is a worker bounded in time and memory (``pmap``, ``bounded``): a read here needs no
    child of its own (``xlgoals.read`` reads in place)."""
    return _IN_CHILD


def _enter_worker(memory_mb: int | None) -> None:
    global _IN_CHILD
    import faulthandler

    _IN_CHILD = True

    try:  # the C module: `signal` makes its enums first, a millisecond of a single check's forked child
        import _signal as signal
    except ImportError:  # pragma: no cover
        import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the workers
    for name in ("SIGTERM", "SIGHUP"):  # the parent's handlers of these (_entry.Terminated) are not a worker's: a
        if hasattr(signal, name):         # worker ends by them at once, as the parent ends it
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    faulthandler.disable()  # a crash here is reported on its file, not dumped on the terminal
    _limit_memory(memory_mb)


#: The parent's ends of the live workers' pipes.  A forked worker inherits every one of them, its own included:
#: held open in a worker, they kept it from ever seeing the parent go (a run killed outright, kill -9 or the OOM
#: killer, left its workers blocked in recv, 80 MB each, for good).  Each worker closes them first.
_PARENT_ENDS: set = set()


def _worker(conn, fn: Callable, memory_mb: int | None, raises: tuple = (), command_line: bool = False,
            batch_hashing: bool = False) -> None:
    if command_line:  # a spawned worker (no fork) starts afresh: its messages name options as its parent's do
        from ._errors import COMMAND_LINE

        COMMAND_LINE.set(True)
    if batch_hashing:  # and hashes as its parent chose for the batch (a fork server's child inherits no choice)
        from ._read._safety import batch_hashing as hash_as_a_batch

        hash_as_a_batch()
    for end in list(_PARENT_ENDS):
        try:
            end.close()
        except OSError:
            pass
    _PARENT_ENDS.clear()
    _enter_worker(memory_mb)
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):  # the parent is gone
            return
        if msg is None:
            return
        index, item = msg
        out = (index, *_call(fn, item, raises))
        try:
            try:
                conn.send(out)
            except OSError:  # the parent is gone
                return
            except Exception as exc:  # the result cannot be pickled
                conn.send((index, False, f"{exc.__class__.__name__}"))
        except OSError:
            return


_FORK = sys.platform.startswith("linux")


def _threaded() -> bool:
    """Whether other threads run in this process (a notebook's, a web server's, a logging handler's): a fork copies
    the locks they hold, held, into a child where nobody will release them (and logging's own fork handler waits for
    its lock before forking: the check hung while a thread held it), so a child is then started from our own fork
    server's clean process instead (``_forkserver_context``), which imports none of the caller's main."""
    threading = loaded("threading")  # a process that never loaded it started no thread of Python's
    return threading is not None and threading.active_count() > 1


def _main_importable() -> bool:
    """Whether the caller's main is a module run with -m (ipykernel, our CLI), which a child imports by name, or has
    no file (``-c``, stdin, the REPL): multiprocessing's own fork server and a spawned child import nothing else of
    it.  A script file is run again in each of them (as ``__mp_main__``: a plain script without ``if __name__ ==
    "__main__"`` would start its work over); our fork server's children do not run it (``_forkserver_context``)."""
    main = sys.modules.get("__main__")
    return getattr(main, "__spec__", None) is not None or getattr(main, "__file__", None) is None


def _needs_no_main(fn, items, raises: tuple = ()) -> bool:
    """Whether `fn`, `items` and `raises` (all sent to a worker) unpickle without the caller's main (nothing of theirs
    is defined in the script or module run, or a notebook): what our fork server's children, which never import it,
    can be given.  A function or
    class of the main (a caller's own callback) is named ``__main__`` in the pickle: then multiprocessing's own fork
    server, which imports the main by name, or where it is a script file, a fork, as before."""
    import pickle

    try:
        return b"__main__" not in pickle.dumps((fn, items, raises), pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - cannot be pickled at all: forked, which needs no pickling
        return False


#: What the fork server (the children of a threaded process) loads once, for its children to start ready to read.
_FORKSERVER_PRELOAD = ["xlgoals._read", "xlgoals._check._validate"]


def _forkserver_context():
    """A "forkserver" context of our own server (``_forkserver``: the host's fork server and start method untouched,
    no main imported), or None where this Python's multiprocessing is not as that module expects."""
    try:
        from ._forkserver import context
    except (ImportError, AttributeError, TypeError):  # pragma: no cover - another multiprocessing
        return None
    return context()


def _run_forked(fn: Callable, item, timeout: float | None, memory_mb: int | None,
                raises: tuple = ()) -> tuple[bool, object]:
    """`fn(item)` in one forked child, bounded as a pool worker is, without multiprocessing's start-up.

    Returns (True, result), or (False, reason): "crashed" (the child died or sent nothing readable),
    "timeout", "memory" or the exception's name.
    """
    (result,) = _run_forked_many(fn, [item], timeout, memory_mb, raises)  # run to its end: the child waited for
    return result


def _run_forked_many(fn: Callable, items: list, timeout: float | None, memory_mb: int | None,
                     raises: tuple = ()) -> Iterator[tuple[bool, object]]:
    """(ok, value) of `fn(item)` for each item in order, read in one forked child after another (where no pool can
    be had: inside a daemon process): a child goes on to the next item until one kills it or overruns `timeout`
    (that item's reason "crashed" or "timeout"), and the next child starts at the item after.  A thousand goal
    tables cost a fork each before."""
    import select

    try:  # the C module `pickle` is made on: its own module costs a single check more than what it sends does
        from _pickle import dumps, loads
    except ImportError:  # pragma: no cover - not CPython
        from pickle import dumps, loads

    at = 0
    while at < len(items):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (AttributeError, OSError, ValueError):
                pass
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns into the caller's code
            try:
                os.close(r)
                _enter_worker(memory_mb)
                for item in items[at:]:
                    out = _call(fn, item, raises)
                    try:
                        data = dumps(out, -1)
                    except Exception as exc:  # the result cannot be pickled
                        data = dumps((False, exc.__class__.__name__))
                    view = memoryview(len(data).to_bytes(8, "little") + data)
                    while view:
                        view = view[os.write(w, view):]
            finally:
                os._exit(0)
        os.close(w)
        buf = bytearray()
        lost = None
        done = False
        try:
            deadline = time.monotonic() + timeout if timeout else None
            while at < len(items):
                if len(buf) >= 8 and len(buf) >= 8 + int.from_bytes(buf[:8], "little"):
                    size = int.from_bytes(buf[:8], "little")
                    try:
                        ok, value = loads(bytes(buf[8:8 + size]))
                    except Exception:  # half a message: the child died on the way
                        lost = "crashed"
                        break
                    del buf[:8 + size]
                    at += 1
                    yield (True, value) if ok else (False, value)
                    deadline = time.monotonic() + timeout if timeout else None  # the next item's own time
                    continue
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    lost = "timeout"
                    break
                ready, _, _ = select.select([r], [], [], left)
                if ready:
                    chunk = os.read(r, 1 << 20)
                    if not chunk:  # the child is gone before the item's result came
                        lost = "crashed"
                        break
                    buf += chunk
            done = lost is None
        finally:
            os.close(r)
            if not done:  # killed, overran, or the caller stopped early: the child goes
                try:
                    os.kill(pid, 9)
                except OSError:
                    pass
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
        if lost is not None:
            at += 1
            yield False, lost


def _batch_hashing() -> bool:
    """Whether this process chose OpenSSL's SHA-256 for a batch (``_read._safety.batch_hashing``), for its workers to
    choose it too: a forked one inherits the choice, a fork server's or a spawned one does not."""
    safety = loaded("xlgoals._read._safety")  # never loaded: nothing chosen
    return safety is not None and safety._SHA256[0] is not safety.builtin_sha256


class _Slot:
    """One worker process and the items it holds."""

    def __init__(self, ctx, fn, memory_mb, raises=()):
        self.conn, child = ctx.Pipe()
        from ._errors import COMMAND_LINE

        self.proc = ctx.Process(target=_worker, daemon=True,
                                args=(child, fn, memory_mb, raises, COMMAND_LINE.get(), _batch_hashing()))
        _PARENT_ENDS.add(self.conn)  # before the fork: the worker closes its own parent end too
        try:
            self.proc.start()
        except BaseException:  # no worker (no fork server could start): no pipe left behind
            _PARENT_ENDS.discard(self.conn)
            self.conn.close()
            raise
        finally:
            child.close()
        self.held: deque = deque()
        self.since = time.monotonic()

    def send(self, index, item):
        if not self.held:
            self.since = time.monotonic()
        self.held.append((index, item))
        self.conn.send((index, item))

    def kill(self):
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        _PARENT_ENDS.discard(self.conn)
        self.conn.close()


def pmap(fn: Callable, items: list, jobs: int | None = None, *, on_crash: Callable | None = None,
         timeout: float | None = None, memory_mb: int | None = None, raises: tuple = ()) -> Iterator:
    """Like ``map(fn, items)``, results in input order, over `jobs` worker processes.

    An item whose worker dies (a crash, an abort, the memory limit) or takes longer than
    `timeout` seconds gets ``on_crash(item, reason)`` instead (reason: "crashed", "timeout",
    "memory" or the exception's name); without `on_crash` a RuntimeError is raised.  An exception of a kind in
    `raises` (a configuration fault met while working) is raised here, in the caller, and the map ends.  On Linux
    workers are forked (the caller's state, monkeypatches included, carries over); elsewhere
    they are spawned and `fn` must be picklable.  On Linux with other threads running (a notebook's, a web
    server's, a script's logging thread), workers start from our own fork server's clean process instead (`fn`
    picklable; no monkeypatch carries over; _forkserver): a fork would copy the locks those threads hold into a
    worker where nobody releases them.  Only where `fn`, `items` or `raises` name something of a script file's main (our
    server's children import none of it) is a script file still forked.
    """
    if not items:
        return

    def crashed(item, reason):
        if isinstance(reason, _Raised):
            raise reason.exc
        if on_crash is None:
            raise RuntimeError(f"worker failed on {item!r}: {reason}")
        return on_crash(item, reason)

    # A daemon may not start multiprocessing children (os.fork is allowed).  A process that never loaded
    # multiprocessing is none of its children: one file is checked without loading it (~5 ms of a single check).
    mp = loaded("multiprocessing")
    in_daemon = mp is not None and mp.current_process().daemon
    threaded = _FORK and not in_daemon and _threaded()  # (a daemon may start no fork server: forked as before)
    no_main = threaded and _needs_no_main(fn, items, raises)
    main_importable = threaded and _main_importable()
    threaded = threaded and (no_main or main_importable)  # else a script's own callback: forked, as before
    if _FORK and not threaded and len(items) == 1:  # one file, as a clerk checks what just arrived: no pool to start
        ok, value = _run_forked(fn, items[0], timeout, memory_mb, raises)  # still in a child bounded in time and memory
        yield value if ok else crashed(items[0], value)
        return
    if _FORK and in_daemon:  # no pool in a daemon: forked children, each going on to the next item
        for item, (ok, value) in zip(items, _run_forked_many(fn, items, timeout, memory_mb, raises)):
            yield value if ok else crashed(item, value)
        return
    import multiprocessing as mp

    if in_daemon:  # pragma: no cover - no fork (Windows, macOS) inside a daemon: no bounded worker can be had
        for item in items:
            ok, value = _call(fn, item, raises)
            yield value if ok else crashed(item, value)
        return
    from multiprocessing.connection import wait

    jobs = max(1, min(jobs or default_jobs(), len(items)))
    ctx = mp.get_context("fork" if _FORK else "spawn")
    if threaded:  # our own fork server (the host's fork server and start method untouched); else multiprocessing's,
        # where a child can import the caller's main, and a script file forked
        ctx = (no_main and _forkserver_context()) or (mp.get_context("forkserver") if main_importable else ctx)

    pending = deque(enumerate(items))
    done: dict[int, object] = {}
    try:
        first = _Slot(ctx, fn, memory_mb, raises)
    except (OSError, EOFError, RuntimeError):
        if not threaded:
            raise
        # no fork server can start (an embedded host: uWSGI, mod_wsgi, whose sys.executable is not Python): forked
        ctx = mp.get_context("fork")
        first = _Slot(ctx, fn, memory_mb, raises)
    slots = [first] + [_Slot(ctx, fn, memory_mb, raises) for _ in range(jobs - 1)]
    nxt = 0
    try:
        while nxt < len(items):
            for i, slot in enumerate(slots):
                if not slot.held and not slot.proc.is_alive():  # died while idle
                    slot.kill()
                    slots[i] = slot = _Slot(ctx, fn, memory_mb, raises)
                while pending and len(slot.held) < _DEPTH:
                    slot.send(*pending.popleft())
            busy = [s for s in slots if s.held]
            ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy], timeout=1.0 if timeout else None)
            now = time.monotonic()
            for i, slot in enumerate(slots):
                if not slot.held:
                    continue
                died = reason = None
                if slot.conn in ready or slot.proc.sentinel in ready:
                    got = []
                    try:
                        while slot.conn.poll():
                            got.append(slot.conn.recv())
                            slot.held.popleft()
                            slot.since = now
                    except (EOFError, OSError):
                        died, reason = True, "crashed"
                    # outside the try: an OSError carried back from the worker (pmap's `raises`) is raised to the
                    # caller, not taken for the pipe breaking
                    for index, ok, value in got:
                        done[index] = value if ok else crashed(items[index], value)
                    if not died and not slot.proc.is_alive() and slot.held:
                        died, reason = True, "crashed"
                if not died and slot.held and timeout and now - slot.since > timeout:
                    died, reason = True, "timeout"
                if died:
                    index, item = slot.held.popleft()
                    done[index] = crashed(item, reason)
                    pending.extendleft(reversed(slot.held))  # the others go back, in order
                    slot.kill()
                    slots[i] = _Slot(ctx, fn, memory_mb, raises)
            while nxt in done:
                yield done.pop(nxt)
                nxt += 1
    finally:
        for slot in slots:
            try:
                slot.conn.send(None)
            except (OSError, ValueError):
                pass
        for slot in slots:
            slot.proc.join(0.5)
            slot.kill()


class ChildDied(Exception):
    """A bounded child (``bounded``) died or overran; ``reason`` as pmap's on_crash gets it ("crashed", "memory",
    "timeout", or the name of an exception that could not be sent back)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def bounded(fn: Callable, item, limits: dict, raises: tuple = (Exception,)):
    """``fn(item)`` in a child bounded in time and memory as a return's worker is (``limits``: schema/limits.json):
    for a bureau's own workbook (a project list, a library), which calamine reads too, and a damaged one can make
    it abort the process it runs in.  What `fn` raises of a kind in `raises` is raised here; a child that dies,
    or another exception (pmap's reason: its name and message), raises ChildDied."""
    def died(_, reason):
        raise ChildDied(reason)

    return next(pmap(fn, [item], 1, on_crash=died, timeout=limits["file_seconds"],
                     memory_mb=limits["worker_memory_mb"], raises=raises))
