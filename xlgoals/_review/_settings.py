"""Review settings: thresholds, word lists and weights (``schema/review.json``), injectable.

The packaged file is the default.  A bureau's file (``--review-config FILE``, ``review_config=``
in the library) is laid over it key by key: ``{"checks": {"review_rows_per_level2": {"max": 15}}}``
changes one threshold and keeps the rest.  A rule row's own ``params`` (``--rules``) win over
both.  Every value is checked when it loads, against the parameters each review check kind
declares; a fault is a ConfigError naming the file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache

from .._errors import ConfigError
from .._resources import data_dir, json_shown, load_as_given, read_config_json, refuse_unknown_keys
from .._text import Bilingual, at

_TOP = ("version", "description", "score", "weights", "checks")
# max_count 0 would make every return's score 100; a negative weight would raise a score for each notice
_SCORE = {"default_weight": "weight", "max_count": "positive"}


def _bad(where: str, value, fault: Bilingual) -> ConfigError:
    """A value refused at its key path (“score.max_count”应为…), with what was found."""
    found = json_shown(value)
    return ConfigError(at(where, f"{fault}，实际为 {found}", f"{fault.en}, not {found.en}"))


@dataclass(frozen=True)
class ReviewSettings:
    """The review's data: per check kind parameters, per code weights, and the score's constants."""

    checks: dict  # check kind -> {param: value}
    weights: dict  # problem code -> points lost per notice
    default_weight: float
    max_count: int  # notices of one code counted at most this many times in the score
    source: str | None = None  # the bureau's overlay file, if any

    def weight(self, code: str) -> float:
        return self.weights.get(code, self.default_weight)

    @classmethod
    def load(cls, path: str | os.PathLike | None = None) -> ReviewSettings:
        return load_as_given(_load, path)


def _read(path: str) -> dict:
    raw = read_config_json(path, Bilingual("审核配置文件", "review configuration file"))
    if not isinstance(raw, dict):
        raise ConfigError(at(path, "审核配置应为 JSON 对象", "a review configuration should be a JSON object"))
    refuse_unknown_keys(raw, _TOP, path)
    for key in ("score", "weights", "checks"):
        if key in raw and not isinstance(raw[key], dict):
            raise ConfigError(at(path, f"“{key}”应为 JSON 对象", f"'{key}' should be a JSON object"))
    return raw


def _check(raw: dict, where: str) -> None:
    from .._check._ruletable import _check_param
    from .._check._rules import CHECKS

    for key, value in raw.get("score", {}).items():
        if key not in _SCORE:
            raise ConfigError(at(where, f"score 中未知的键“{key}”（可用：{', '.join(_SCORE)}）",
                                 f"unknown key '{key}' in score (known: {', '.join(_SCORE)})"))
        fault = _check_param(value, _SCORE[key], f"score.{key}")
        if fault:
            raise _bad(where, value, fault)
    for code, value in raw.get("weights", {}).items():
        fault = _check_param(value, "weight", f"weights.{code}")
        if fault:
            raise _bad(where, value, fault)
    for kind_name, params in raw.get("checks", {}).items():
        kind = CHECKS.get(kind_name)
        if kind is None or not kind.review:
            known = ", ".join(sorted(k for k, c in CHECKS.items() if c.review))
            raise ConfigError(at(where, f"checks 中“{kind_name}”不是审核检查类型（可用：{known}）",
                                 f"'{kind_name}' in checks is not a review check kind (known: {known})"))
        if not isinstance(params, dict):
            raise ConfigError(at(where, f"checks 中“{kind_name}”应为 JSON 对象",
                                 f"'{kind_name}' in checks should be a JSON object"))
        for name, value in params.items():
            if name not in kind.params:
                raise ConfigError(at(where, f"检查类型 {kind_name} 没有参数 {name}",
                                     f"the check kind {kind_name} has no parameter '{name}'"))
            fault = _check_param(value, kind.params[name][0], f"checks.{kind_name}.{name}")
            if fault:
                raise _bad(where, value, fault)


@lru_cache(maxsize=8)
def _load(path: str | None, version: tuple | None = None) -> ReviewSettings:  # (version: the cache's key)
    packaged = str(data_dir("schema") / "review.json")
    merged = _read(packaged)
    _check(merged, packaged)
    if path is not None:
        overlay = _read(path)
        _check(overlay, path)
        merged = {**merged, "score": {**merged.get("score", {}), **overlay.get("score", {})},
                  "weights": {**merged.get("weights", {}), **overlay.get("weights", {})},
                  "checks": {k: {**merged.get("checks", {}).get(k, {}), **overlay.get("checks", {}).get(k, {})}
                             for k in {**merged.get("checks", {}), **overlay.get("checks", {})}}}
    score = merged.get("score", {})
    return ReviewSettings(checks=merged.get("checks", {}), weights=merged.get("weights", {}),
                          default_weight=score.get("default_weight", 3), max_count=score.get("max_count", 5),
                          source=path)
