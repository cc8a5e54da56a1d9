"""分值 (points) of a self-evaluation: the framework's weights, or a bureau's ``--weights FILE``.

A weights section (``"self_evaluation"`` in a framework file, or a whole ``--weights`` file)::

    {"funds": 10,
     "level1": [{"names": ["产出指标", "成本指标"], "points": 50},
                {"names": ["效益指标"], "points": 30},
                {"names": ["满意度指标"], "points": 10}],
     "note": "…"}

gives the funds block's points, then the points of each group of 一级指标, split equally over the
group's indicators (each rounded to 2 decimals, the remainder to the group's last row; where so many rows
share a group that rounding each up would overshoot it, 10 points over 54 rows, the group's cents are spread
so that rows differ by at most 0.01, the larger ones last).  The points
total exactly 100, or the file is refused.  When the goal table gives every indicator a weight,
those are the indicator points and the funds block has what is left of 100.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path

from .._errors import ConfigError, XlgoalsError
from .._record import frozen
from .._resources import json_shown, read_config_json, read_config_text
from .._decimals import CENT, dec, round2
from .._text import Bilingual, at, first_listed, in_lang, line_of, quoted, readable_name

HUNDRED = Decimal(100)


@frozen
class Weights:
    """The self-evaluation's 分值: the funds' weight and each group of 一级指标's."""

    funds: Decimal
    groups: tuple[tuple[tuple[str, ...], Decimal], ...]
    where: str = ""
    note: str = ""

    def group_of(self, level1: str) -> int | None:
        for i, (names, _) in enumerate(self.groups):
            if level1 in names:
                return i
        return None


def _points(value, where: str, what: str) -> Decimal:
    d = dec(value)
    if d is None or d < 0 or d > HUNDRED or d != round2(d):
        shown = json_shown(value)
        raise ConfigError(at(where, f"{what}应为 0 至 100 之间、最多两位小数的数字，实际为 {shown}",
                             f"{in_lang(what, 'en')} should be a number from 0 to 100 with at most two decimals, "
                             f"not {shown.en}"))
    return d


def parse_weights(raw, where: str, level1_names=None) -> Weights:
    """Check a weights section; ConfigError names the file and the fault.  With `level1_names` (a
    framework's), every group name must be one of them and every one of them must be in a group."""
    if not isinstance(raw, dict):
        raise ConfigError(at(where, "分值设置（self_evaluation）应为 JSON 对象",
                             "the points settings (self_evaluation) should be a JSON object"))
    unknown = sorted(set(raw) - {"funds", "level1", "note"})
    if unknown:
        raise ConfigError(at(where, f"分值设置中有未知的键 {', '.join(unknown)}（可用：funds、level1、note）",
                             f"unknown key {quoted(unknown)} in the points settings (known: funds, level1, note)"))
    funds = _points(raw.get("funds"), where, Bilingual("funds（资金分值）", "funds (the funds' points)"))
    groups_raw = raw.get("level1")
    if not isinstance(groups_raw, list) or not groups_raw:
        raise ConfigError(at(where, "分值设置的“level1”应为非空列表", "'level1' of the points settings should be a non-empty list"))
    groups, seen = [], set()
    for n, g in enumerate(groups_raw, start=1):
        if not isinstance(g, dict) or set(g) - {"names", "points"}:
            raise ConfigError(at(where, f"level1 第 {n} 项应为 {{\"names\": [...], \"points\": 数字}}",
                                 f"item {n} of level1 should be {{\"names\": [...], \"points\": a number}}"))
        names = g.get("names")
        if not isinstance(names, list) or not names or not all(isinstance(x, str) and x.strip() for x in names):
            raise ConfigError(at(where, f"level1 第 {n} 项的“names”应为非空文本的列表",
                                 f"'names' of item {n} of level1 should be a list of non-empty texts"))
        for name in names:
            if name in seen:
                raise ConfigError(at(where, f"一级指标“{name}”在分值设置中出现了不止一次",
                                     f"the level-1 category '{name}' is given more than once in the points settings"))
            if level1_names is not None and name not in level1_names:
                close = _closest(name, level1_names)
                raise ConfigError(at(where, f"分值设置中的“{name}”不是本指标体系的一级指标（{'、'.join(level1_names)}）"
                                            + (f"，是否应为“{close}”？" if close else ""),
                                     f"'{name}' in the points settings is no level-1 category of this framework "
                                     f"({quoted(level1_names)})" + (f"; did you mean '{close}'?" if close else "")))
            seen.add(name)
        groups.append((tuple(names), _points(g.get("points"), where, Bilingual(f"level1 第 {n} 项的 points",
                                                                               f"the points of item {n} of level1"))))
    if level1_names is not None:
        missing = [n for n in level1_names if n not in seen]
        if missing:
            raise ConfigError(at(where, f"分值设置没有给出一级指标 {'、'.join(missing)} 的分值",
                                 f"the points settings give no points to the level-1 category {quoted(missing)}"))
    total = funds + sum((p for _, p in groups), Decimal(0))
    if total != HUNDRED:
        raise ConfigError(at(where, f"分值合计应为 100，实际为 {total.normalize():f}",
                             f"the points should total 100, not {total.normalize():f}"))
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise ConfigError(at(where, "“note”应为文本", "'note' should be a text"))
    return Weights(funds, tuple(groups), where, note)


def load_weights(path: str | os.PathLike | Weights | None, frameworks=None) -> Weights | None:
    """A bureau's ``--weights FILE`` (the same shape as a framework's self_evaluation section); Weights already
    loaded, and None (the framework's own), pass through.  With `frameworks` (the FrameworkSet in force) every
    一级 name the file gives must be a 一级 name of one of them: a misspelt name is a ConfigError at its line,
    with the names expected and the closest of them, before any goal table is read (not once for each)."""
    if path is None or isinstance(path, Weights):
        return path
    path = Path(path)
    what = Bilingual("分值文件", "points file")
    weights = parse_weights(read_config_json(path, what), str(path))
    if frameworks is not None:
        _check_names(weights, path, frameworks, lambda: read_config_text(path, what))
    return weights


def _closest(name: str, names) -> str | None:
    """The one of `names` `name` is most likely a misspelling of, if any is close."""
    import difflib

    found = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    return found[0] if found else None


def _check_names(weights: Weights, path: Path, frameworks, text_of) -> None:
    known: dict[str, None] = {}
    for fw in frameworks:
        known.update(dict.fromkeys(fw.level1_names))
    for names, _ in weights.groups:
        for name in names:
            if name in known:
                continue
            line = _line_of(text_of(), name)
            where = line_of(path, line) if line else str(path)
            close = _closest(name, known)
            by_framework = "；".join(f"{fw.id}：{'、'.join(fw.level1_names)}" for fw in frameworks)
            by_framework_en = "; ".join(f"{fw.id}: {quoted(fw.level1_names)}" for fw in frameworks)
            raise ConfigError(at(
                where,
                f"分值设置中的一级指标“{name}”不是任何指标体系的一级指标（{by_framework}）"
                + (f"，是否应为“{close}”？" if close else ""),
                f"the level-1 category '{name}' in the points settings is no level-1 category of any framework "
                f"({by_framework_en})" + (f"; did you mean '{close}'?" if close else "")))


def _line_of(text: str, name: str) -> int | None:
    """The line of `text` (a JSON file) where the string `name` is first given after "level1"; None if not found."""
    start = max(text.find('"level1"'), 0)
    for written in (json.dumps(name, ensure_ascii=False), json.dumps(name)):
        found = text.find(written, start)
        if found >= 0:
            return text.count("\n", 0, found) + 1
    return None


def allocate(indicators: list[dict], weights: Weights | None) -> tuple[Decimal, list[Decimal]]:
    """(funds points, points of each indicator) for a goal table's indicators; always totalling 100.

    XlgoalsError when the goal table cannot be given points: weights over 100, or a 一级 the weights
    do not cover, or a group without indicators (its points would be lost).
    """
    given = [dec(i.get("weight")) for i in indicators]
    if indicators and all(w is not None for w in given):
        total = sum(given, Decimal(0))
        if total > HUNDRED or any(w != round2(w) or w < 0 for w in given):
            raise XlgoalsError(Bilingual(f"绩效目标表中各指标的分值合计为 {total.normalize():f}，超过 100 或不是两位小数",
                                         f"the indicators' points in the goal table total {total.normalize():f}, "
                                         "more than 100 or not in cents"))
        return HUNDRED - total, given
    if weights is None:
        from .._errors import given_as

        named = given_as("--weights")
        # 分值 on some rows only: the rows without, which the goal table left blank (rule.weight_partial said so)
        blank = [n for n, w in enumerate(given, 1) if w is None] if any(w is not None for w in given) else []
        listed = first_listed((f"第{n}条" for n in blank), map(str, blank), most=5)
        rows = (f"绩效目标表中{listed[0]}指标未填分值，且", f"the goal table gives no points for its indicators numbered "
                f"{listed[1]}, and ") if blank else ("", "")
        raise XlgoalsError(Bilingual(f"{rows[0]}指标体系没有给出自评分值（self_evaluation），请用 {named} 指定分值文件",
                                     f"{rows[1]}the framework gives no self-evaluation points (self_evaluation): give "
                                     f"a points file with {named}"))
    members: list[list[int]] = [[] for _ in weights.groups]
    for i, ind in enumerate(indicators):
        g = weights.group_of(ind.get("level1"))
        if g is None:
            where = weights.where or Bilingual("指标体系", "the framework")
            raise XlgoalsError(Bilingual(f"一级指标“{ind.get('level1')}”在分值设置（{where}）中没有分值",
                                         f"the level-1 category '{ind.get('level1')}' has no points in "
                                         f"{in_lang(where, 'en')}"))
        members[g].append(i)
    points = [Decimal(0)] * len(indicators)
    for (names, group_points), rows in zip(weights.groups, members, strict=True):
        if not rows:
            if group_points:
                raise XlgoalsError(Bilingual(f"一级指标 {'、'.join(names)} 没有任何指标，其 {group_points.normalize():f} 分无法分配",
                                             f"the level-1 category {quoted(names)} has no indicator: its "
                                             f"{group_points.normalize():f} points cannot be given"))
            continue
        each = round2(group_points / len(rows))
        if each * (len(rows) - 1) <= group_points:
            for i in rows:
                points[i] = each
            points[rows[-1]] = group_points - each * (len(rows) - 1)
        else:  # so many rows that rounding up would overshoot the group: its cents spread, rows differ by 0.01
            base, extra = divmod(int(group_points / CENT), len(rows))
            for k, i in enumerate(rows):
                points[i] = (base + (k >= len(rows) - extra)) * CENT
    return weights.funds, points



#: The points a self-evaluation's stamp records when its 分值 are the framework's (no --weights): ``framework:`` and
#: the points_tag of the framework's self_evaluation section (``framework`` alone in stamps made before it was kept)
FRAMEWORK_POINTS = "framework"

#: The points a self-evaluation's stamp records when its goal table gave every indicator's 分值: neither the
#: framework's nor a points file's points were used (the funds get what the indicators leave of 100)
GOAL_POINTS = "goal"


#: The longest points file name a stamp records (the stamp cell holds it, below the printed rows).
_STAMPED_NAME = 80


def points_tag(weights: Weights) -> str:
    """What identifies a points scheme, whatever its file's name: the SHA-256 (first 16 hex digits) of the funds'
    points and each group's 一级 names and points, canonical.  A self-evaluation made with ``--weights`` records it
    in its stamp (stamp_params), so that validate finds a scheme other than the one it was made with."""
    import hashlib

    canonical = json.dumps({"funds": f"{weights.funds.normalize():f}",
                            "level1": [[list(names), f"{points.normalize():f}"] for names, points in weights.groups]},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def points_file_name(weights: Weights) -> str:
    """The name of the file the points came from, as people read it (a GBK name decoded); "" when not from a file."""
    return readable_name(Path(weights.where).name) if weights.where else ""


def stamp_params(weights: Weights | None, framework_points: Weights | None = None, goal_points: bool = False
                 ) -> tuple:
    """The stamp parameters of a self-evaluation, saying where its 分值 came from: from a points file
    (``--weights``), its file name (``weights=``: no ``|``, no control character, at most 80 characters) and its
    points_tag (``points=``); from the framework's own points ``points=framework:TAG`` (FRAMEWORK_POINTS and the
    points_tag of `framework_points`, the framework's self_evaluation section: a framework whose points the bureau
    changed after issuing is told from a department's changed 分值), ``points=framework`` where it is not known;
    from the goal table (`goal_points`: every indicator's 分值 given) ``points=goal`` (GOAL_POINTS), whatever
    --weights said.  A form made before stamps recorded their points has none: read as now."""
    if goal_points:
        return (("points", GOAL_POINTS),)
    if weights is None:
        if framework_points is None:
            return (("points", FRAMEWORK_POINTS),)
        return (("points", f"{FRAMEWORK_POINTS}:{points_tag(framework_points)}"),)
    import re

    name = re.sub(r"[|\x00-\x1f\x7f-\x9f\ud800-\udfff]", "_", points_file_name(weights)).strip()
    named = (("weights", name[:_STAMPED_NAME]),) if name else ()
    return (*named, ("points", points_tag(weights)))


def goal_gives_points(indicators: list[dict]) -> bool:
    """Whether a goal table's indicators each give their 分值 (allocate then uses them, not any points scheme)."""
    return bool(indicators) and all(dec(i.get("weight")) is not None for i in indicators)


def same_points(made: str, used: str) -> bool:
    """Whether a stamp's points (`made`) and the points a check uses (`used`, the expected document's: both
    stamp_params' ``points=`` values) are one scheme: the goal table's 分值 on either side; the same points_tag, from
    the framework or a points file alike (a --weights file holding the framework's very points); ``framework`` (a
    stamp made before the framework's tag was kept) is any framework's points."""
    if GOAL_POINTS in (made, used):
        return True
    prefix = FRAMEWORK_POINTS + ":"
    if FRAMEWORK_POINTS in (made, used):  # the tag not known: the framework's, whichever
        return made.startswith(FRAMEWORK_POINTS) and used.startswith(FRAMEWORK_POINTS)
    return made.removeprefix(prefix) == used.removeprefix(prefix)
