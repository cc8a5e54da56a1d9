"""A fork server of our own, for the workers of a process where other threads run (_parallel.pmap).

multiprocessing's "forkserver" context starts every process from one server per interpreter, with one preload list
(``set_forkserver_preload``), which the host program shares: ours set there became the host's too (a host that used
the fork server later got our modules, and a list it set after our server had started was ignored).  And that server
and its children import the caller's main script again (the preparation data's ``init_main_from_path``): a script
run as a file was forked instead, and hung while another thread held a lock a fork waits for (logging's).

Ours is a second ``multiprocessing.forkserver.ForkServer``: it preloads _parallel._FORKSERVER_PRELOAD and no
``__main__``, and its children are given no main to import (their entry, ``_parallel._worker``, and what they are
sent are ours: pmap checks that nothing of them needs the caller's main, ``_parallel._needs_no_main``).  The child's
side is multiprocessing's own (``forkserver.main``, ``spawn._main``); the parent's launch is
``popen_forkserver.Popen._launch``'s, asking our server rather than the global one, and leaving the host's start
method unset (``_start_method_kept``).  The classes are at module level:
a child unpickles its Process by name.  Imported only when such workers start (multiprocessing is not light).
"""

from __future__ import annotations

import contextlib
import io
import os
from multiprocessing import context as _context
from multiprocessing import forkserver, popen_forkserver, spawn, util

from ._parallel import _FORKSERVER_PRELOAD

_SERVER = forkserver.ForkServer()  # started on first use (connect_to_new_process), once a process
_SERVER.set_forkserver_preload([*_FORKSERVER_PRELOAD, __name__])  # (this module: each child unpickles its Process)


@contextlib.contextmanager
def _start_method_kept():
    """multiprocessing's preparation data (``spawn.get_preparation_data``, asked for by the launch and by the server's
    start) names the start method, and asking for it fixes the global default when the host has chosen none: a host
    that later called ``multiprocessing.set_start_method("spawn")`` got RuntimeError ("context has already been
    set").  What was unset is unset again."""
    default = _context._default_context
    had = default._actual_context
    try:
        yield
    finally:
        if had is None:
            default._actual_context = None


class Popen(popen_forkserver.Popen):
    def _launch(self, process_obj):
        with _start_method_kept():
            self._launch_kept(process_obj)

    def _launch_kept(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)  # the child imports none of the caller's main
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        _context.set_spawning_popen(self)
        try:
            _context.reduction.dump(prep_data, buf)
            _context.reduction.dump(process_obj, buf)
        finally:
            _context.set_spawning_popen(None)
        self.sentinel, w = _SERVER.connect_to_new_process(self._fds)
        # a duplicate of the data pipe's write end: the child's sentinel of its parent
        _parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (_parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class Process(_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return Popen(process_obj)


class Context(_context.ForkServerContext):
    Process = Process


_CONTEXT = Context()


def context() -> Context:
    return _CONTEXT
