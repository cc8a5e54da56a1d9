"""JSON pointers (``/budget/total``, ``/indicators/3/name``) into documents."""

from __future__ import annotations


def get(doc, pointer: str):
    """The value at `pointer`, or None where any step is missing."""
    cur = doc
    for part in pointer.strip("/").split("/"):
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and part.isdigit() and int(part) < len(cur):
            cur = cur[int(part)]
        else:
            return None
    return cur


def put(doc: dict, pointer: str, value) -> None:
    """Set the value at `pointer`, creating objects on the way."""
    parts = pointer.strip("/").split("/")
    cur = doc
    for part in parts[:-1]:
        cur = cur.setdefault(part, {})
    cur[parts[-1]] = value
