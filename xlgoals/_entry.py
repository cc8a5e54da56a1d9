"""The console script's first step.  Ctrl-C while the command is still loading (the first tenth of a second)
ends it quietly, as Ctrl-C does later (``cli``): one line, exit 130, nothing written.  Only then is the command
line loaded and run."""

from __future__ import annotations

import gc
import os
import sys

try:  # the C module: `signal` loads enum first, a few milliseconds more of a window without the handler
    import _signal as signal
except ImportError:  # pragma: no cover
    import signal


def _interrupted_while_loading(signum, frame) -> None:
    args = [str(a).lower() for a in sys.argv[1:]]  # --lang EN too, as the command line takes it
    english = "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in zip(args, args[1:]))
    message = "Error: interrupted (nothing was written)\n" if english else "错误：已中断（未写入任何文件）\n"
    try:
        sys.stderr.write(message)
        sys.stderr.flush()
    finally:
        os._exit(130)


#: Whether this process is the command line (``run``), not a program that calls ``cli.main`` (a test, a script).
COMMAND_LINE_PROCESS = False


class loading:
    """``with loading():`` no garbage collection while a command's modules load and its configuration is read.  What
    they make lives as long as the process (modules, classes, declarations, the rule table): the collector ran a
    dozen times over the growing heap for nothing, some 4 % of a single check.  In the command line's own process
    what was loaded is then set aside for good (``gc.freeze``: later collections, in the forked child too, do not
    go over it again); a program that calls ``cli.main`` keeps its heap as it was.  The collector runs as before
    afterwards (a caller that had turned it off keeps it off).  What the loading left unreachable is frozen with
    the rest and kept for the process's life: some 500 objects, 90 KB (the functions and tuples decorators and
    dataclass fields make and drop), once per process, whatever the number of files; collecting it first would
    cost a full pass over the 30,000 objects loaded, more than the collections the freeze saves."""

    def __enter__(self):
        self.was_enabled = gc.isenabled()
        gc.disable()
        return self

    def __exit__(self, *exc_info) -> None:
        if COMMAND_LINE_PROCESS:
            gc.freeze()
        if self.was_enabled:
            gc.enable()


def _utf8_streams() -> None:
    """Output that goes to a file or a pipe is UTF-8, whatever the locale: on Chinese Windows a redirected stream
    is in the ANSI code page (GBK), which cannot write ✓, a BOM or many names, and in which a JSON report is
    misread (JSON is UTF-8).  A terminal keeps its encoding, and shows what it cannot write as '?'."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        try:
            if stream.isatty():
                reconfigure(errors="replace")
            elif (stream.encoding or "").lower().replace("-", "").replace("_", "") != "utf8":
                reconfigure(encoding="utf-8", errors=stream.errors)
        except (OSError, ValueError):  # a closed or detached stream: nothing to say there anyway
            pass


#: The standard streams as Python made them, kept while buffered ones stand in for them (``_whole_writes``): one
#: dropped would close the descriptor it shares with its stand-in.
_UNBUFFERED: list = []


def _whole_writes() -> None:
    """Standard output and error under PYTHONUNBUFFERED (``python -u``, set in many container images) write straight
    to the descriptor, and a write the system takes only in part (a pipe whose reader went away after 10 bytes:
    ``| head -c 10``) is passed over: the rest of the report was dropped, with no error and exit 0.  Such a stream
    is given a buffer that writes the rest or raises (BrokenPipeError: exit 141), flushed at each line as the
    unbuffered stream showed each write."""
    import io

    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        raw = getattr(stream, "buffer", None)
        if not isinstance(raw, io.RawIOBase) or not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            buffered = io.TextIOWrapper(io.BufferedWriter(raw), encoding=stream.encoding, errors=stream.errors,
                                        line_buffering=True)
        except (OSError, ValueError):  # a closed stream: nothing to say there anyway
            continue
        _UNBUFFERED.append(stream)
        setattr(sys, name, buffered)


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (kill, a scheduler's timeout, systemd stop, an SSH session closed) received by the command
    line's process: raised where the run is, as Ctrl-C's KeyboardInterrupt is, so that the same clean-up runs (the
    workers ended, the spool and the outputs' part files removed, nothing half-written) and the command line says so
    and exits 128 + the signal's number (143, 129), as a shell gives a command the signal ended."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return {getattr(signal, n, None): n for n in ("SIGTERM", "SIGHUP")}.get(self.signum, f"signal {self.signum}")


def _terminated(signum, frame) -> None:
    raise Terminated(signum)


#: The signals handled as Ctrl-C is (SIGHUP where the system has it: not on Windows).
TERMINATING = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _on_termination() -> None:
    """Handle TERMINATING as Ctrl-C is (Terminated); from the main thread only, as signal handlers are set."""
    for signum in TERMINATING:
        try:
            if signal.getsignal(signum) is signal.SIG_DFL:  # an embedding program's own handler, or SIG_IGN
                signal.signal(signum, _terminated)        # (nohup's SIGHUP), is left as it is
        except (ValueError, OSError):  # not the main thread
            return


def run() -> None:
    global COMMAND_LINE_PROCESS
    COMMAND_LINE_PROCESS = True
    _whole_writes()
    _utf8_streams()
    try:
        previous = signal.signal(signal.SIGINT, _interrupted_while_loading)
    except ValueError:  # not the main thread (run from a thread by some embedding program): leave it be
        previous = None
    with loading():
        from .cli import run as run_command

    if previous is not None:
        signal.signal(signal.SIGINT, previous)
        _on_termination()
    run_command()
