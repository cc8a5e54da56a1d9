"""What a template locked, kept in its document properties, so that a return can be held to it.

A prefilled template locks the values the bureau filled in (单位, 项目, 预算 …); a department can still turn the
sheet's protection off (it has no password unless the bureau gives one) and type over them.  The writer keeps
each locked header value in a custom document property of its own (``xlgoals_locked.project.name``); the reader
compares the cell with it.  A value too long for a property (255 characters) is kept as its SHA-256.
"""

from __future__ import annotations

import json
import zlib
from decimal import Decimal, InvalidOperation

PREFIX = "xlgoals_locked"
_LIMIT = 240  # characters a custom property's text holds with room (Excel's limit is 255)


#: How many locked values the template keeps (written when it keeps any): a return whose xlgoals_locked.*
#: properties were deleted would otherwise pass its locked-value checks silently.  Named outside the prefix, so
#: that deleting the properties by their prefix leaves it.
COUNT_PROPERTY = "xlgoals_lock_count"


def property_name(path: str) -> str:
    """``/project/name`` -> ``xlgoals_locked.project.name``."""
    return PREFIX + path.replace("/", ".")


def path_of(name: str) -> str | None:
    """The JSON pointer a property name stands for, or None when it is no locked value's."""
    if not name.startswith(PREFIX + ".") or len(name) > 200:
        return None
    return name[len(PREFIX):].replace(".", "/")


def _canonical(value) -> str:
    """One text for one value: numbers by their decimal value (204860000 and 204860000.0 alike)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            d = Decimal(str(value)).normalize()
        except InvalidOperation:
            return json.dumps(value)
        return f"n:{d:f}"
    return _canonical_json(value)


#: json.dumps(value, ensure_ascii=False, sort_keys=True), its encoder made once (json.dumps makes one per call
#: when given options: most of the cost of a short text's)
_canonical_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def stored(value) -> str:
    """What the property holds for a value: the canonical text, or ``sha256:`` and its digest when too long."""
    text = _canonical(value)
    if len(text) <= _LIMIT:
        return text
    import hashlib  # only for a long value: a single check does not load OpenSSL for nothing

    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def matches(kept: str, value) -> bool:
    """Whether `value` (as read) is the value the template locked (`kept`, the property's text)."""
    return stored(value) == kept


def lossy_match(kept: str, value, codec: str) -> str:
    """Whether `value` (as read) is the value the template locked, kept as `kept` in a codepage (`codec`) that
    lacks some of its characters: a program saving the property writes one character for each it lacks (``?``,
    or a near one: "(" for "（"), so a ``?`` may be a real one.  "same" when the value is all of the codepage's
    characters and reads the same; "changed" when it reads otherwise where the codepage could keep it, or is of
    another length; "unknown" when it reads the same but for characters the codepage lacks (those not checked)."""
    text = stored(value)
    units: list = []
    for ch in text:  # as the program saving it counts characters: UTF-16 code units
        units += [None, None] if ord(ch) > 0xFFFF else [ch]
    if len(kept) != len(units):
        return "changed"
    unknown = False
    for k, u in zip(kept, units):
        try:
            u is not None and u.encode(codec)
        except (UnicodeError, LookupError):
            u = None
        if u is None:
            unknown = True
        elif k != u:
            return "changed"
    return "unknown" if unknown else "same"


def shown(kept: str) -> str | None:
    """The locked value as a message shows it; None when only its digest was kept."""
    if kept.startswith("sha256:") or len(kept) > _LIMIT:  # a property is as untrusted as the rest of the file
        return None
    if kept.startswith("n:"):
        return kept[2:]
    try:
        value = json.loads(kept)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


# The locked indicator rows ------------------------------------------------------------------------------------
# A form whose rows are the approved targets (a self-evaluation, a monitoring report) locks every row's id, names,
# target and 分值.  With --targets a return is compared with its goal table; without it, the template's own record
# says whether a row was typed over, deleted or added: one CRC-32 per row of its locked values (a row's record
# is no secret: a property is as easy to change as a cell; this catches a change, not a forger), in properties of
# at most _LIMIT characters, and the count with a CRC of them all, checked first (one comparison for a return
# nobody changed).
ROWS_PROPERTY = "xlgoals_rows"
_PER_PROPERTY = _LIMIT // 9  # "1a2b3c4d " per row


def locked_keys(form) -> tuple[str, ...]:
    """The item keys of the form's locked columns (id, names, comparator, target, unit, 分值), in column order."""
    return tuple(k for col in form.table.columns if col.locked for k in col.item_keys)


def _plain(value):
    """A value as the reader gives it back: a whole number as an int (a JSON document's 85.0 reads back as 85)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Rows as one compact JSON text (the C encoder: a self-evaluation's 30 rows in about 25 µs).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _row_values(it, keys: tuple[str, ...], plain: bool) -> list:
    if not isinstance(it, dict):
        return []
    return [_plain(it.get(k)) for k in keys] if plain else list(map(it.get, keys))


def row_crcs(items, keys: tuple[str, ...], plain: bool = True) -> list[int]:
    """One CRC-32 per row of its locked values (`plain`: whole floats as ints, as the reader gives them)."""
    return [zlib.crc32(_encode(_row_values(it, keys, plain)).encode("utf-8", "surrogatepass")) for it in items]


def _all_crc(items, keys: tuple[str, ...], plain: bool) -> str:
    if plain:
        rows = [_row_values(it, keys, True) for it in items]
    else:  # (the rows as read, objects all: each one's values taken straight, no call per row; the same text)
        rows = [list(map(it.get, keys)) if type(it) is dict else _row_values(it, keys, False) for it in items]
    return f"{zlib.crc32(_encode(rows).encode('utf-8', 'surrogatepass')):08x}"


def rows_properties(items, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    """The properties recording the rows: ``xlgoals_rows`` = ``count:crc of all``, ``xlgoals_rows.1`` … the rows'."""
    texts = [f"{c:08x}" for c in row_crcs(items, keys)]
    out = [(ROWS_PROPERTY, f"{len(texts)}:{_all_crc(items, keys, True)}")]
    for n, start in enumerate(range(0, len(texts), _PER_PROPERTY), start=1):
        out.append((f"{ROWS_PROPERTY}.{n}", " ".join(texts[start:start + _PER_PROPERTY])))
    return out


def recorded_rows(props: dict) -> tuple[int, str, list[str]] | None:
    """(count, crc of all, each row's crc) as a return's properties record them; None when they record none or
    cannot be read (an older template, a property edited)."""
    head = props.get(ROWS_PROPERTY)
    if not head or len(head) > 30:
        return None
    count, _, whole = head.partition(":")
    if not count.isdigit() or int(count) > 100_000 or len(whole) != 8:
        return None
    rows: list[str] = []
    for n in range(1, int(count) // _PER_PROPERTY + 2):
        part = props.get(f"{ROWS_PROPERTY}.{n}")
        if part is None:
            break
        rows += part.split()
    if len(rows) != int(count):
        return None
    return int(count), whole, rows


def rows_unchanged(recorded: tuple[int, str, list[str]], items, keys: tuple[str, ...]) -> bool:
    """Whether the rows read are the rows the template recorded (the fast check: one CRC of them all, of the
    values as read; a whole float the reader gave, were there one, only sends the rows to the slower check)."""
    count, whole, _ = recorded
    return len(items) == count and _all_crc(items, keys, False) == whole


def records_of(form) -> tuple[str, ...]:
    """The records every template of this form carries, from its declaration: the count of its locked values
    (``xlgoals_lock_count``) when it declares a locked field that must be filled (a template is made from a
    document holding it: a self-evaluation's or monitoring report's 单位, 项目), and the record of its approved rows
    (``xlgoals_rows``) when its rows are locked and none is inserted (the writer's own conditions).  A return of
    this form still holding the template's other properties but not these had them deleted or overwritten."""
    out = []
    if any(f.locked and f.required for f in form.fields):
        out.append(COUNT_PROPERTY)
    if locked_keys(form) and not form.table.insert_rows:
        out.append(ROWS_PROPERTY)
    return tuple(out)
