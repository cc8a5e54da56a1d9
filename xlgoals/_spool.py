"""Documents waiting on disk: packed (pickle, then zlib) into an unnamed temporary file, read back by place.

A run that holds one document per input (a province's goal tables for ``validate --targets``) keeps only
their places in memory, in the main process and in every worker it forks.
"""

from __future__ import annotations

import os
import pickle
import tempfile
import zlib


class PackedStore:
    """Packed documents in an unnamed temporary file, each read back by its place (``os.pread``: forked
    workers share the file but not a position in it).  Pickled, for workers that are spawned rather than
    forked, it carries its bytes."""

    def __init__(self):
        self._file = None
        self._data: bytes | None = None
        self._size = 0

    def put(self, packed: bytes) -> tuple[int, int]:
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="xlgoals-spool-")
        at = self._size
        self._file.seek(at)
        self._file.write(packed)
        self._file.flush()  # pread reads the file, not this process's buffer
        self._size += len(packed)
        return at, len(packed)

    def get(self, ref: tuple[int, int]) -> bytes:
        at, size = ref
        if self._data is not None:
            return self._data[at:at + size]
        if hasattr(os, "pread"):
            return os.pread(self._file.fileno(), size, at)
        self._file.seek(at)  # pragma: no cover - no pread (Windows): one process reads, workers get the bytes
        return self._file.read(size)

    def __getstate__(self):
        return {"data": self._data if self._data is not None else (self.get((0, self._size)) if self._size else b"")}

    def __setstate__(self, state):
        self._file, self._data, self._size = None, state["data"], len(state["data"])


def pack(doc: dict) -> bytes:
    return zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack(data: bytes) -> dict:
    return pickle.loads(zlib.decompress(data))  # noqa: S301 - our own bytes, packed in this run
