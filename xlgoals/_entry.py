"""The console script's first step.  Ctrl-C while the command is still loading (the first tenth of a second)
ends it quietly, as Ctrl-C does later (``cli``): one line, exit 130, nothing written.  Only then is the command
line loaded and run."""

from __future__ import annotations

import os
import sys

try:  # the C module: `signal` loads enum first, a few milliseconds more of a window without the handler
    import _signal as signal
except ImportError:  # pragma: no cover
    import signal


def _interrupted_while_loading(signum, frame) -> None:
    args = sys.argv[1:]
    english = "--lang=en" in args or any(a == "--lang" and b == "en" for a, b in zip(args, args[1:]))
    message = "Error: interrupted (nothing was written)\n" if english else "错误：已中断（未写入任何文件）\n"
    try:
        sys.stderr.write(message)
        sys.stderr.flush()
    finally:
        os._exit(130)


def run() -> None:
    try:
        previous = signal.signal(signal.SIGINT, _interrupted_while_loading)
    except ValueError:  # not the main thread (run from a thread by some embedding program): leave it be
        previous = None
    from .cli import run as run_command

    if previous is not None:
        signal.signal(signal.SIGINT, previous)
    run_command()
