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


def name_key(text) -> str:
    """An indicator name for near-duplicate comparison: canon, without a trailing unit such as （%）, no punctuation."""
    s = canon(text)
    s = _TRAILING_UNIT.sub("", s) or s
    return _PUNCT.sub("", s).lower()


def similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    import difflib  # a review run only

    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < 0.5:
        return m.real_quick_ratio()
    return m.ratio()
