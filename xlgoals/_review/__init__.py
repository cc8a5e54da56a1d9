"""目标审核 (review): weak targets as ``notice`` problems, and a quality score per return.

A ``Review`` is what one review run needs besides the rule table: the settings
(``schema/review.json`` and a bureau's overlay), an optional indicator library and an
optional index of last year's returns.  ``validate(..., review=True)`` builds one; the
review check kinds (``_checks``) read it through ``Env.review``.  Forked workers share it; a
spawned worker (not Linux) gets it pickled, with what was loaded, never loading it again.

Score (0–100): each review problem costs its code's weight (``weights`` in review.json,
``default_weight`` for codes without one); a code counts at most ``max_count`` times; the
score is 100 minus the points lost, never below 0, rounded to an integer.  Review codes
count at any severity, so a bureau that raises one to a warning still sees it in the score.  Other codes of the rule
table that ``weights`` names count too (``incomplete_codes``: by default a required field left empty, which must
cost at least what a weak entry would), and put a return before the complete ones in 审核.
"""

from __future__ import annotations

import importlib

# Loaded on first use: a plain validate imports the review check kinds (``_checks``, registered in the
# rule table) without the library, last-year index and settings code a review run needs.
_EXPORTS = {"Library": "._library", "LibraryEntry": "._library", "PreviousIndex": "._previous",
            "ReviewSettings": "._settings", "Review": "._run", "load_review": "._run", "review_codes": "._run",
            "review_score": "._run", "top_notices": "._run", "incomplete_codes": "._run"}


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Library", "LibraryEntry", "PreviousIndex", "Review", "ReviewSettings", "load_review", "review_score",
           "top_notices"]
