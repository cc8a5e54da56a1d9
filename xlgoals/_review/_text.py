"""Text helpers shared by the review checks, the library and the previous-year index."""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
_PUNCT = re.compile(r"[\s\W_]+")
_TRAILING_UNIT = re.compile(r"[（(][^（）()]{0,6}[）)]$")


def canon(text) -> str:
    """NFKC, no whitespace: how names of units, projects and indicators are matched."""
    if not isinstance(text, str):
        return ""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def indicator_key(text) -> str:
    """An indicator name for near-duplicate comparison: canon, without a trailing unit such as （%）, no punctuation."""
    s = canon(text)
    s = _TRAILING_UNIT.sub("", s) or s
    return _PUNCT.sub("", s).lower()


def can_reach(common: int, repeats: int, other_repeats: int, total: int, threshold: float) -> bool:
    """Whether two texts (`total` characters together) sharing `common` distinct characters, with `repeats`
    and `other_repeats` repeated ones, may have a difflib ratio of `threshold` or more: matched characters are
    at most the distinct shared ones plus the fewer repeats.  An upper bound, so False is difflib's verdict."""
    return 2.0 * (common + min(repeats, other_repeats)) / total >= threshold


def similar(a: str, b: str, threshold: float) -> bool:
    """Whether difflib's ratio of `a` and `b` reaches `threshold`.

    The ratio is 2·M/T (M matched characters, T both lengths); M is never more than the shorter length nor
    than the characters the two share, so those bounds decide most pairs without difflib (comparing every
    pair of a return's names is quadratic).  The verdict is the same as ``ratio() >= threshold``."""
    if not a or not b:
        return (1.0 if a == b else 0.0) >= threshold  # difflib: two empty texts are alike, one empty is not
    total = len(a) + len(b)
    if 2.0 * min(len(a), len(b)) / total < threshold:
        return False
    available: dict = {}
    for ch in b:
        available[ch] = available.get(ch, 0) + 1
    shared = 0
    for ch in a:
        n = available.get(ch, 0)
        if n > 0:
            available[ch] = n - 1
            shared += 1
    if 2.0 * shared / total < threshold:
        return False
    import difflib  # a review run only

    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold
