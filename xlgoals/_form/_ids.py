"""The indicators' own ids, kept in a workbook whose table has no column for them (the goal table's).

A goal-table JSON document may give each indicator an ``id`` (C1, P02-01 …); its workbook has no 指标编号 column, so
the writer keeps them in custom document properties and the reader puts them back.  Each entry is the id and a
check of its row (the CRC-32 of its 一级, 二级 and 三级 names, as ``_text.canonical`` folds them), so that an id
goes back only to a row that still names the same indicator: a row inserted, deleted, moved or renamed by the
department, and any record that cannot be read (an older workbook, a property edited, deleted or hostile), leaves
the rows concerned with the ids of their positions (I001, I002 …), as a workbook without the record reads.

``xlgoals_ids`` holds ``count`` then ``id:check`` entries, separated by spaces, as many as fit in _LIMIT
characters; ``xlgoals_ids.1``, ``.2`` … the further entries (Excel keeps a text property of 255 characters).
"""

from __future__ import annotations

import re
import zlib

from .._text import canonical

PROPERTY = "xlgoals_ids"
_LIMIT = 240  # characters a property's text holds with room (Excel's limit is 255), as _locked's
#: an id as the goal table's JSON Schema allows it (``indicators[].id``)
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ENTRY = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]{0,63}):([0-9a-f]{8})")
_MOST = 10_000  # entries a record may hold (a template's rows are at most some hundreds): beyond, no record
_NAMES = ("level1", "level2", "name")


def row_check(item) -> str:
    """The check an id is kept with: the CRC-32 of the row's 一级, 二级 and 三级 names (canonical: NFKC, no invisible
    characters, white space folded), as 8 hex digits; "" for an item that is no object."""
    if not isinstance(item, dict):
        return ""
    names = "\x1f".join(canonical(v) if isinstance(v, str) else "" for v in map(item.get, _NAMES))
    return f"{zlib.crc32(names.encode('utf-8', 'surrogatepass')):08x}"


def derived(k: int) -> str:
    """The id of the k-th row (0-based) that gives none: I001, I002, …"""
    return f"I{k + 1:03d}"


def ids_properties(items) -> list[tuple[str, str]]:
    """The properties keeping the items' own ids: none where no item gives one (the workbook is as before), or
    where they are not all valid and distinct, from each other and from the other rows' position ids (nothing
    could be put back without doubt).  An item giving none is not recorded: read back, it has its position's id,
    as the JSON document numbers it (and reads back as that document: one digest)."""
    if not isinstance(items, list) or not any(isinstance(it, dict) and "id" in it for it in items):
        return []
    if not all(isinstance(it, dict) for it in items):
        return []
    own = [(it["id"], it) for it in items if "id" in it]
    every = [it.get("id", derived(k)) for k, it in enumerate(items)]
    if not all(isinstance(i, str) and _ID.fullmatch(i) for i, _ in own) or len(set(every)) != len(every):
        return []
    chunks, line = [], str(len(own))
    for entry in (f"{i}:{row_check(it)}" for i, it in own):
        if len(line) + 1 + len(entry) > _LIMIT:
            chunks.append(line)
            line = entry
        else:
            line = f"{line} {entry}"
    chunks.append(line)
    return [(PROPERTY if n == 0 else f"{PROPERTY}.{n}", text) for n, text in enumerate(chunks)]


def _recorded(props) -> list[tuple[str, str]] | None:
    """The (id, check) entries the properties record, in order; None where they record none or cannot be read
    (a property of another type, too long, a chunk missing or added, an entry malformed, an id given twice)."""
    head = props.get(PROPERTY) if isinstance(props, dict) else None
    if not isinstance(head, str) or not head or len(head) > _LIMIT:
        return None
    count, _, rest = head.partition(" ")
    if not (count.isascii() and count.isdigit()) or len(count) > 5 or not 1 <= int(count) <= _MOST:
        return None
    total = int(count)
    texts = [rest]
    for n in range(1, total + 1):  # (each chunk holds one entry at least: no more chunks than entries)
        part = props.get(f"{PROPERTY}.{n}")
        if part is None:
            break
        if not isinstance(part, str) or len(part) > _LIMIT:
            return None
        texts.append(part)
    if props.get(f"{PROPERTY}.{len(texts)}") is not None:
        return None
    entries = " ".join(texts).split(" ")
    if entries == [""] or len(entries) != total:
        return None
    out = []
    for entry in entries:
        m = _ENTRY.fullmatch(entry)
        if m is None:
            return None
        out.append((m.group(1), m.group(2)))
    if len({i for i, _ in out}) != total:
        return None
    return out


def kept_ids(props, items: list) -> list[str | None] | None:
    """The id each of the `items` read is to carry: the recorded id of the recorded row its names match (rows of
    one check matched in order where the record and the rows hold as many of them; otherwise, a row inserted or
    deleted among like ones, none of them), None for a row matched to none (its position's id stands); None
    where the properties record no ids or cannot be read, or where an id put back would be a position's id another
    row keeps."""
    recorded = _recorded(props)
    if recorded is None or not items:
        return None
    by_check: dict[str, list[str]] = {}
    for i, check in recorded:
        by_check.setdefault(check, []).append(i)
    checks = [row_check(it) for it in items]
    rows_of: dict[str, int] = {}
    for check in checks:
        rows_of[check] = rows_of.get(check, 0) + 1
    taken: dict[str, int] = {}
    out: list[str | None] = []
    for check in checks:
        ids = by_check.get(check)
        if ids is None or len(ids) != rows_of[check]:
            out.append(None)
            continue
        n = taken.get(check, 0)
        taken[check] = n + 1
        out.append(ids[n])
    if all(i is None for i in out):
        return None
    final = [i if i is not None else derived(k) for k, i in enumerate(out)]
    if len(set(final)) != len(final):  # a row left with its position's id, which another row's own id is
        return None
    return out
