"""What a template locked, kept in its document properties, so that a return can be held to it.

A prefilled template locks the values the bureau filled in (单位, 项目, 预算 …); a department can still turn the
sheet's protection off (it has no password unless the bureau gives one) and type over them.  The writer keeps
each locked header value in a custom document property of its own (``xlgoals_locked.project.name``); the reader
compares the cell with it.  A value too long for a property (255 characters) is kept as its SHA-256.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

PREFIX = "xlgoals_locked"
_LIMIT = 240  # characters a custom property's text holds with room (Excel's limit is 255)


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
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


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
