"""Ordered parallel map over worker processes, for reading many returns at once."""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
from collections.abc import Callable, Iterator


def default_jobs() -> int:
    return os.cpu_count() or 1


def pmap(fn: Callable, items: list, jobs: int | None = None) -> Iterator:
    """Like ``map(fn, items)``, results in input order, over `jobs` processes.

    `fn` must be picklable (a module-level function or a functools.partial of one).
    With one job or one item it runs in this process.  On Linux workers are forked (no
    re-import of the caller's main module); elsewhere they are spawned.
    """
    jobs = jobs or default_jobs()
    if jobs <= 1 or len(items) < 2:
        yield from map(fn, items)
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    chunk = max(1, min(64, len(items) // (jobs * 8) or 1))
    with ctx.Pool(min(jobs, len(items))) as pool:
        try:
            yield from pool.imap(fn, items, chunksize=chunk)
        except BaseException:
            pool.terminate()
            raise


