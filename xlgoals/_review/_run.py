"""A review run's context (``Review``), its loading, and the quality score; see the package docstring."""


from __future__ import annotations

import os
from dataclasses import dataclass

from ._library import Library
from ._previous import PreviousIndex, load_previous
from ._settings import ReviewSettings


@dataclass(frozen=True)
class Review:
    """What a review run needs besides the rule table: settings, indicator library, last year's returns."""

    settings: ReviewSettings
    library: Library | None = None
    previous: PreviousIndex | None = None

    def params(self, rule, params: dict) -> dict:
        """A review rule's parameters: review.json (and the bureau's overlay) under the rule row's own."""
        return {**self.settings.checks.get(rule.check, {}), **params}


def load_review(*, review_config: str | os.PathLike | None = None, library: str | os.PathLike | None = None,
                previous=None, config=None, jobs: int | None = None) -> Review:
    """Load and check the review's inputs (ConfigError, exit 2, for a bad file or a missing path); last year's
    returns are read on `jobs` worker processes (all cores by default)."""
    from .._config import Config
    from .._parallel import check_jobs
    from .._paths import text_path

    check_jobs(jobs)
    review_config, library = text_path(review_config), text_path(library)  # b"..." names the same file
    cfg = config or Config.load()
    settings = ReviewSettings.load(review_config)
    _check_weights(settings, cfg.rules, review_config)
    lib = Library.load(library, cfg.limits) if library is not None else None
    from .._paths import as_list

    paths = [str(p) for p in as_list(previous)] if previous else []
    index = load_previous(paths, cfg, jobs) if paths else None
    return Review(settings, lib, index)


def _check_weights(settings: ReviewSettings, rules, given=None) -> None:
    """Every weight names a code of the rule table in force (a mistyped one would be dropped unseen): a review code,
    or another problem the score counts (``incomplete_codes``: a required field left empty)."""
    from .._errors import ConfigError
    from .._text import at

    codes = review_codes(rules)
    bad = next((c for c in settings.weights if c not in codes and not _blank_code(rules, c)), None)
    if bad is not None:
        from .._text import display_path

        where = display_path(os.fspath(given)) if given is not None else settings.source or "review.json"  # as given
        known = ", ".join(sorted(codes))
        blanks = ", ".join(sorted(c for c in rules.rules if _blank_code(rules, c)))
        raise ConfigError(at(where, f"weights 中的“{bad}”不是审核问题的代码（可用：{known}），也不是必填项未填写的代码"
                                    f"（{blanks}）",
                             f"'{bad}' in weights is not the code of a review problem (known: {known}), nor of a "
                             f"required field left empty ({blanks})"))


def _blank_code(rules, code: str) -> bool:
    """Whether `code` says a required value was left empty: a rule of a check kind that reports values left empty
    (``blank`` kinds: rule.required_field, self.actual_missing …), or the schema's ``schema.required``.  The codes
    besides the review's that review.json's `weights` may name (``incomplete_codes``)."""
    from .._check._rules import CHECKS

    rd = rules.rules.get(code)
    return rd is not None and (code == "schema.required" or getattr(CHECKS.get(rd.check), "blank", False))


def review_codes(rules) -> frozenset[str]:
    """The codes of the rule table's review checks, and of the review's notice on a return it could not run on (its
    framework not loaded: no check function, but a review notice, listed with the others in 审核's 主要提示)."""
    return _codes(rules, None)[0]


def incomplete_codes(rules, settings: ReviewSettings) -> frozenset[str]:
    """The codes, not the review's, that review.json's `weights` names (by default ``rule.required_field`` and
    ``schema.required``: a required field left empty): they count in the score as a review problem does, so that a
    return never scores higher for leaving a field empty than for filling it in weakly, and a return with one is
    listed in 审核 before the complete ones."""
    return _codes(rules, settings)[1]


def scored_codes(rules, settings: ReviewSettings) -> frozenset[str]:
    """The codes the score counts: the review's, and ``incomplete_codes``."""
    return _codes(rules, settings)[2]


def _codes(rules, settings: ReviewSettings | None) -> tuple:
    """(``review_codes``, ``incomplete_codes``, ``scored_codes``) of a rule table and review settings (None: the
    first alone), built once for the pair, not for each return (its score, its 主要提示 and its 审核 row ask each):
    kept on the table, which does not change once loaded, for the settings object it was last asked with.  A library
    user's call with other settings (`review_config=`) or another table (`rules=`) builds its own."""
    known = rules.__dict__.get("_review_codes")
    if known is None:
        from .._check._rules import CHECKS

        # (every review code, one turned off too: review.json's weights may name it)
        review = frozenset(rd.code for rd in rules.rules.values()
                           if CHECKS[rd.check].review or rd.check == "review_framework")
        known = rules._review_codes = (None, review, frozenset(), review)
    if settings is None or known[0] is settings:
        return known[1:]
    review = known[1]
    incomplete = frozenset(c for c in settings.weights if c not in review and _blank_code(rules, c))
    known = rules._review_codes = (settings, review, incomplete, review | incomplete)
    return known[1:]


def review_score(problems, rules, settings: ReviewSettings) -> int | None:
    """The score (see the package docstring); None for a return with nothing filled in to review
    (``review.unfilled``): not rated, rather than rated a perfect 100."""
    from .._check._validate import unscored

    if unscored(problems, rules):
        return None
    codes = scored_codes(rules, settings)
    counts: dict[str, int] = {}
    for p in problems:
        if p.code in codes:
            counts[p.code] = counts.get(p.code, 0) + 1
    lost = sum(min(n, settings.max_count) * settings.weight(code) for code, n in counts.items())
    return max(0, round(100 - lost))


def top_notices(problems, rules, settings: ReviewSettings, n: int = 3) -> list:
    """The `n` most important review problems (and problems the score counts besides, ``incomplete_codes``): highest
    weight first, then in the order found.  A return not scored (``review.unfilled`` …): its review notice, which
    says why, and no required field it left empty (each one of many, on a blank return)."""
    from .._check._validate import unscored

    codes = review_codes(rules) if unscored(problems, rules) else scored_codes(rules, settings)
    found = [(i, p) for i, p in enumerate(problems) if p.code in codes]
    found.sort(key=lambda ip: (-settings.weight(ip[1].code), ip[0]))
    return [p for _, p in found[:n]]
