"""review.copied_between_projects: a goal table's indicators, or one of its narratives, the same as another
project's return in the same run.

One return alone has nothing to compare, so the check is in two halves.  Where a return is read (a worker),
``marks_of`` digests what the department wrote: its indicator set (the 三级 names, normalised as
``review.duplicate_name`` normalises them, with their targets; the framework's prefilled rows left out, as every
review check leaves them) and each narrative section, with where each stands and which project it is.  Where the
results are gathered (the main process: ``validate``'s loop, ``consolidate``'s collector), ``copied_between`` groups
the digests (a hash each, never pairs of returns: a run may hold 30,000) and gives each return whose digest another
project's return shares a notice naming that return's project and file.  The same project (by 申报单位名称 +
项目名称, as duplicates are decided) is never compared with itself or its duplicate.

Thresholds are ``review_copied_between`` in schema/review.json: ``min_rows`` (the fewest of the department's rows
for an indicator set to count: two returns each with one row alike are no copy), ``min_chars`` (the shortest
narrative compared: 无, 详见附件 are no copy) and ``paths`` (the narratives compared; by default every long text of
the form the department writes).  The indicator set compares whole: every row the same.
"""

from __future__ import annotations

import hashlib
import os
from collections import namedtuple

CHECK = "review_copied_between"
INDICATORS = "indicators"  # a mark's kind for the indicator set; a narrative's kind is its JSON pointer

#: What a worker sends of a return: the project's key (unit + project, canonical) and name, and per thing compared
#: (kind, digest, path, sheet, cell, field zh, field en, what zh, what en, value)
Marks = namedtuple("Marks", "key project unit items")


def rule_of(rules):
    """(rule row, its parameters) of the rule table's check, or None when the table has none (a bureau's own)."""
    return next(((rd, params) for rd, params, _ in rules.review if rd.check == CHECK), None)


def _digest(value) -> bytes:
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _target(it: dict) -> tuple:
    """A row's target, normalised: the comparator, the number exactly (90 and 90.0 alike), the text and unit as
    ``canon`` writes them."""
    from .._decimals import dec
    from ._checks import _number
    from ._text import canon

    number = dec(_number(it.get("value")))
    return (str(it.get("comparator") or ""), "" if number is None else str(number.normalize()),
            canon(it.get("text")), canon(it.get("unit")))


def marks_of(doc, env, review, locate=None) -> Marks | None:
    """What ``copied_between`` compares of one goal table (`env`: ``check_env``'s for it; `locate`: path ->
    (sheet, cell), a workbook's), or None (another form, no such check in the rule table, a document of no shape)."""
    from .._pointers import get
    from ._checks import _item_path, _own_items
    from ._text import canon, indicator_key

    if not isinstance(doc, dict) or env is None or env.form.id != "goal-table":
        return None
    found = rule_of(env.table)
    if found is None:
        return None
    params = review.params(*found)
    where = locate or (lambda path: ("", ""))
    items = []
    rows = [(i, it) for i, it in _own_items(env, doc) if isinstance(it.get("name"), str) and it["name"].strip()]
    if len(rows) >= max(1, params.get("min_rows", 3)):
        key = sorted((indicator_key(it["name"]), *_target(it)) for _, it in rows)
        path = _item_path(env, rows[0][0], "name")
        items.append((INDICATORS, _digest(key), path, *where(path), env.form.title_of(path, fw=env.fw),
                      env.form.title_of(path, "en"), f"全部 {len(rows)} 条三级指标及其目标值",
                      f"the {len(rows)} indicators and their targets, all of them", rows[0][1]["name"]))
    paths = params.get("paths")
    minimum = params.get("min_chars", 20)
    for f in env.form.fields:
        if f.kind != "longtext" or f.locked or (paths and f.path not in paths):
            continue
        text = get(doc, f.path)
        c = canon(text)
        if len(c) >= max(1, minimum):
            items.append((f.path, _digest(c), f.path, *where(f.path), f.label, f.label_en, f"“{f.label}”",
                          f"'{f.label_en}'", text))
    if not items:
        return None
    unit, project = get(doc, "/unit"), get(doc, "/project/name")
    unit, project = (unit if isinstance(unit, str) else ""), (project if isinstance(project, str) else "")
    return Marks(f"{canon(unit)}\0{canon(project)}", project, unit, tuple(items))


def copied_between(entries, rules, review) -> dict:
    """`entries`: (id, path, Marks) of the returns of a run, in its order (a duplicate not counted left out).  ->
    id -> its problems, located: one for its indicator set, one for its narratives (at the first copied, naming
    every one), each naming the first other project's return with the same digest.  Linear in the returns: a
    narrative that a thousand returns share is one group, not a million pairs."""
    rule = rule_of(rules)
    if rule is None:
        return {}
    groups: dict = {}
    for n, (_, _, marks) in enumerate(entries):
        for k, item in enumerate(marks.items):
            groups.setdefault((item[0], item[1]), []).append((n, k))
    hits: dict = {}  # n -> [(k, the other entry's n, how many other projects)]
    for members in groups.values():
        if len(members) < 2:
            continue
        first: dict = {}  # project key -> its first entry in the group
        for n, _ in members:
            first.setdefault(entries[n][2].key, n)
        if len(first) < 2:
            continue  # one project (returned twice): its duplicate is consolidate's to decide, not a copy
        projects = len(first)
        (key0, n0), (_, n1) = list(first.items())[:2]
        for n, k in members:
            hits.setdefault(n, []).append((k, n0 if entries[n][2].key != key0 else n1, projects - 1))
    out: dict = {}
    for n, said in hits.items():
        said.sort()
        ident, _, marks = entries[n]
        ind = [h for h in said if marks.items[h[0]][0] == INDICATORS]
        texts = [h for h in said if marks.items[h[0]][0] != INDICATORS]
        out[ident] = [_problem(rules, rule[0], entries, n, group) for group in (ind, texts) if group]
    return out


def _problem(rules, rd, entries, n: int, hits: list):
    """The notice of entry `n` for `hits` (its indicator set, or its narratives copied): at the first, naming the
    first's other return (`rd`: the rule's row, ``rule_of``'s)."""
    from .._text import display_path

    _, path, marks = entries[n]
    k, other_n, count = hits[0]
    _, _, where, sheet, cell, field, field_en, _, _, value = marks.items[k]
    what = "、".join(marks.items[h[0]][7] for h in hits)
    what_en = ", ".join(marks.items[h[0]][8] for h in hits)
    other_path, other = entries[other_n][1:]
    shown = display_path(os.path.basename(os.fspath(other_path)))
    name = other.project or "（未填写项目名称）"
    more = f"等 {count} 个项目" if count > 1 else ""
    more_en = f" and {count - 1} other project(s)" if count > 1 else ""
    p = rules.problem(rd.code, path=where, sheet=sheet, cell=cell, value=value, field=field, field_en=field_en,
                      what=what, what_en=what_en, other=f"项目“{name}”（{shown}）{more}",
                      other_en=f"the project '{other.project or '(no project name)'}' ({shown}){more_en}")
    p.file = str(path)
    return p
