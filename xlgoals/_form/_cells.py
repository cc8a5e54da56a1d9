"""Cell addresses (A1 notation) and the template stamp's text."""

from __future__ import annotations

from functools import lru_cache

STAMP_PREFIX = "XLGOALS"


# Addresses ---------------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@lru_cache(maxsize=65536)
def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return int(digits) - 1, col - 1


def runs(rows) -> list[list[int]]:
    """Ascending rows (or columns) as runs of consecutive ones: [3, 4, 8] -> [[3, 4], [8]]."""
    found: list[list[int]] = []
    for r in rows:
        if found and found[-1][-1] == r - 1:
            found[-1].append(r)
        else:
            found.append([r])
    return found


def parse_stamp(value) -> dict | None:
    """A template stamp -> dict, or None when it is not one.

    ``XLGOALS|goal-table|1|shanghai-2020|2020|id`` names the form; the first layout's
    ``XLGOALS|1|shanghai-2020|2020|id`` (no form) is a goal table.  A form with parameters adds
    them as ``name=value`` parts (``…|id|month=6``), given back as ``params``.
    """
    if not isinstance(value, str):
        return None
    parts = value.strip().split("|")
    if len(parts) == 5:
        parts.insert(1, "goal-table")
    if len(parts) < 6 or parts[0] != STAMP_PREFIX:
        return None
    try:
        layout, year = int(parts[2]), int(parts[4])
    except ValueError:
        return None
    params = {}
    for extra in parts[6:]:
        name, eq, given = extra.partition("=")
        if not eq or not name.isidentifier() or not given:
            return None
        params[name] = given
    stamp = {"form": parts[1], "layout_version": layout, "framework": parts[3], "year": year,
             "template_id": parts[5]}
    if params:
        stamp["params"] = params
    return stamp
