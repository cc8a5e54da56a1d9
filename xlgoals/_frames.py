"""Returns as pandas DataFrames, for analysts: ``xlgoals.frames(paths)``.

The returns are read and validated as by ``validate`` (in parallel), duplicates are decided as by
``consolidate``, and the documents become three tables.  pandas is imported here only when
``frames`` is called, so ``import xlgoals`` stays light.  Column types come from the form
declarations: amounts are exact ``Decimal`` values (object columns: pandas has no exact decimal
type without pyarrow; ``.astype(float)`` for plotting), dates are ``datetime64``, years ``Int64``,
yes/no ``boolean``, and list choices, statuses, severities and codes are categories.
"""

from __future__ import annotations

from decimal import Decimal

from ._check._validate import counted, validate
from ._check._figures import held_out
from ._config import Config, config_of
from ._decimals import dec
from ._form import COMPARATOR_DISPLAY, FORMS, GOAL_TABLE, KINDS, SELF_EVALUATION, format_target
from ._form._kinds import GRADE_DISPLAY
from ._form._model import MADE_WITH
from ._problems import SEVERITIES, value_text
from ._args import paths as given
from ._paths import SKIP_IGNORED, exact_path, reason_code
from ._pointers import put
from ._text import counted_en, display_path

#: The status of an editor lock file or system file passed over (the CLI's `ignored`; consolidate's 已忽略).
IGNORED = "ignored"

FILE_COLUMNS = ("path", "sha256", "status", "counted", "duplicate", "note", "errors", "warnings")
_CATEGORY_KINDS = ("choice",)


def _columns(pair) -> tuple:
    """The projects frame's columns of what a document records of its stamp, `pair` (key, names): a form's
    ``Form.recorded`` (points_source.…), or ``MADE_WITH``, the bureau's tables its template was made under
    (``made_with.rules``, ``made_with.fw``: text, missing where its stamp records none)."""
    return tuple(f"{pair[0]}.{name}" for name in pair[1]) if pair else ()


#: A self-evaluation's scores as consolidate recomputes them from its numbers (项目得分's 资金得分, 总分 and 等级, 指标完成's
#: 重算得分): what the summary counts and grades by, beside the scores the department typed (funds.score, score).
RECOMPUTED = {"recomputed_funds_score": "funds_score", "recomputed_total": "total", "recomputed_grade": "grade"}
RECOMPUTED_SCORE = "recomputed_score"
#: A self-evaluation indicator's target its recomputed_score is scored against, as 年度指标值 prints it (≥80%): the
#: approved one under targets= where the return's was typed over (its ``value`` and ``comparator`` stay as typed), as
#: 指标完成's 重算得分所依据的年度指标值; right after recomputed_score in the indicators frame.
SCORED_TARGET = "scored_target"

#: Text columns beside the form's text fields: what a return's head holds that the form does not declare.
_TEXT_COLUMNS = ("path_bytes", "path", "sha256", "note", "note_code", "note_en", "held_out", "schema_version", "targets_sha256",
                 "unit_key",
                 *(name for f in FORMS.values() for name in _columns(f.recorded)), *_columns(MADE_WITH))
#: Indicator columns that are categories, numbers, or a number or a text (实际完成值 is either): not text.
_ITEM_CATEGORIES = ("reporting_unit", "summary_unit", "level1", "level2", "comparator", "unit")
_ITEM_NUMBERS = ("weight", "points", "score", "actual_value", RECOMPUTED_SCORE)
#: An indicator's target, actual, progress and expected figure: an amount in 元 on a 成本指标 row (人均培训成本 ≤600 元,
#: actual 540.1), so exact Decimals in object columns, as the budgets are (a float would sum 540.1 + 530.2 to
#: 1070.3000000000002); the target a number or missing, the others a number or a text (实际完成值 is either).
_ITEM_EXACT = ("value",)
_ITEM_MIXED = ("actual", "progress", "expected")


class Frames:
    """What ``frames()`` returns: three pandas DataFrames.

    ``projects``: one row per return (also those that could not be read), columns named as
    ``pandas.json_normalize`` names the document (``unit``, ``project.name``, ``budget.total`` …) plus
    ``path`` (as validate's JSON and CSV and consolidate's outputs show it: control characters escaped, a GBK
    name decoded), ``sha256``, ``status`` (``ok``, ``invalid``, ``unreadable``; ``skipped`` and ``ignored`` for the
    files found in the folders and not read, with the reason in ``note``, as the CLI lists them), ``counted`` (whether
    ``consolidate`` counts it: it passes and is not a duplicate nor an earlier month's report replaced;
    ``frames(targets=)`` as ``consolidate`` given the same targets: the summary's totals are the sums of the counted
    rows, ``p.loc[p.counted, "budget.total"].sum()``, less a monitoring amount ``held_out`` names), ``duplicate`` and ``note`` (why a duplicate is
    left out, naming the return counted instead), ``errors``, ``warnings``, ``form`` (every return's form),
    ``summary_unit`` (the unit consolidate counts it under: one name for a unit's spellings, the one most of the unit's
    returns of every form read use, as typed) and just before it ``unit_key`` (the key the spellings are grouped by,
    ``name_key``: the same for a unit in every run, what joins two runs' rows of a unit; the two in that order in
    ``indicators`` too), ``made_with.rules`` and
    ``made_with.fw`` (the document's ``made_with``: text, missing where the stamp records none), a self-evaluation's
    ``recomputed_funds_score``, ``recomputed_total`` and ``recomputed_grade`` (项目得分's, recomputed) and
    ``path_bytes`` (the file's exact name as hex of its bytes: ``open(bytes.fromhex(...), "rb")`` opens it).
    ``indicators``: one row per indicator: ``path``, ``reporting_unit``, ``project``, ``counted``,
    ``row`` (its 0-based position in the return), the indicator's own fields (its target ``value`` and the numbers
    of ``actual``, ``progress``, ``expected`` exact Decimals; a self-evaluation's ``recomputed_score``) and, last,
    its return's ``unit_key``, ``summary_unit``, ``year`` and ``sha256`` (typed as in ``projects``) and ``path_bytes``.
    After a self-evaluation's ``recomputed_score``, ``scored_target``: the target it is scored against as 年度指标值
    prints it (``≥80%``: the approved one under ``targets=`` where the return's was typed over).
    ``problems``: one row per problem: ``file`` (the return's path) and the Problem's fields
    (``code``, ``severity``, ``sheet``, ``cell``, ``field``, ``value``, ``expected``, ``path`` — the
    JSON pointer —, ``message``, ``message_en``, ``field_en``: the field's title in English), each in both
    languages as the JSON report gives them (``message_zh``, ``field_zh``, ``value_zh``, ``value_en``,
    ``expected_zh``, ``expected_en``), and ``file_bytes`` (the return's exact name, as ``path_bytes``).
    """

    __slots__ = ("indicators", "problems", "projects")

    def __init__(self, projects, indicators, problems):
        self.projects, self.indicators, self.problems = projects, indicators, problems

    def __repr__(self) -> str:
        read = int((~self.projects["status"].isin(["skipped", IGNORED])).sum()) if len(self.projects) else 0
        other = len(self.projects) - read
        return (f"<Frames: {counted_en(read, 'project')}, {counted_en(len(self.indicators), 'indicator')}, "
                f"{counted_en(len(self.problems), 'problem')}"
                + (f", {counted_en(other, 'file')} not read (skipped or ignored)>" if other else ">"))


def _decimal(v):
    """An amount of the (counted) document as an exact Decimal; None for a key the return lacks (NaN) and for a value
    the reader refused and kept as typed (a text: "6280万元", "NaN", "1e400", "1_000"): missing here, named in
    .problems, as consolidate leaves it blank (a negative is blanked before: ``counted``)."""
    if isinstance(v, float) and v.is_integer():
        return Decimal(int(v))  # 62800000, whether or not a missing value made the column float
    return dec(v) if isinstance(v, (int, float)) else None  # (NaN and infinities: None)


def _exact_number(v):
    """An indicator's number (its target) as an exact Decimal, as ``_decimal`` an amount; None for anything else (a
    text the reader kept as typed, a missing value)."""
    return None if isinstance(v, bool) else _decimal(v) if isinstance(v, (int, float)) else \
        (v if isinstance(v, Decimal) and v.is_finite() else None)


def _exact_or_text(v):
    """An actual, a progress or an expected figure: a number as an exact Decimal (``_exact_number``), a text as it is,
    a missing value (None, NaN) as None."""
    if isinstance(v, str):
        return v
    return _exact_number(v)


def _kinds() -> dict[str, str]:
    """Dotted column name -> value kind, from every form's header fields."""
    kinds: dict[str, str] = {}
    for form in FORMS.values():
        for f in form.fields:
            kinds.setdefault(f.path.strip("/").replace("/", "."), f.kind)
    return kinds


def _label(v):
    """A category's value: text as it is, a missing value (None, NaN, pd.NA: what json_normalize leaves for a
    key a return lacks) as missing, never the text 'nan'; anything else as its text."""
    if v is None or isinstance(v, str):
        return v
    if (isinstance(v, float) and v != v) or type(v).__name__ == "NAType":
        return None
    return str(v)


def _stable(pd):
    """The dtypes pandas gives text and a date (`str` or `object` for text, the date's unit depend on its
    version): every text and date column is cast to them, so that a column has one dtype from run to run, a
    night with no duplicate (every `note` missing) or no problem alike."""
    text = pd.Series(["text"]).dtype
    date = pd.to_datetime(pd.Series(["2020-01-01"]), format="%Y-%m-%d").dtype
    return text, date


def _as_text(df, names, text_dtype) -> None:
    if text_dtype == object:
        return  # pandas before 3: text is object already
    for name in names:
        if name in df.columns:
            df[name] = df[name].astype(object).where(df[name].notna(), None).astype(text_dtype)


def _typed(pd, df, kinds: dict[str, str], categories=()):
    text_dtype, date_dtype = _stable(pd)
    for name in df.columns:
        kind = kinds.get(name)
        if kind == "amount":
            df[name] = df[name].map(_decimal).astype(object)
        elif kind == "date":
            df[name] = pd.to_datetime(df[name].where(df[name].map(lambda v: isinstance(v, str))), errors="coerce",
                                      format="%Y-%m-%d").astype(date_dtype)
        elif kind == "year":
            df[name] = pd.to_numeric(df[name], errors="coerce").astype("Int64")
        elif kind == "bool":
            df[name] = df[name].map(lambda v: v if isinstance(v, bool) else None).astype("boolean")
        elif kind in ("number",):
            df[name] = pd.to_numeric(df[name], errors="coerce").astype("Float64")
        elif kind in _CATEGORY_KINDS or name in categories:
            df[name] = df[name].map(_label).astype("category")
    if "month" in df.columns:  # a monitoring report's month; missing for the other forms
        df["month"] = pd.to_numeric(df["month"], errors="coerce").astype("Int64")
    _as_text(df, [n for n in df.columns if kinds.get(n) in ("text", "longtext") and n not in categories]
             + list(_TEXT_COLUMNS), text_dtype)
    return df


def _framework_order(cfg: Config) -> dict[str, list[str]]:
    """一级 and 二级 names, categories, types and units of every framework of the configuration (sorted by id, each
    in its own order), whichever the returns are: the same categories every night, so two nights concatenate."""
    level1: list[str] = []
    level2: list[str] = []
    lists: dict[str, list[str]] = {"project.category": [], "project.performance_type": [], "unit": []}
    for fw in _all_frameworks(cfg):
        for cat in fw.level1:
            level1.append(cat["name"])
            level2.extend(cat["level2"])
        lists["project.category"] += fw.project_categories
        lists["project.performance_type"] += fw.performance_types
        lists["unit"] += fw.lists().get("units", [])
    return {"level1": list(dict.fromkeys(level1)), "level2": list(dict.fromkeys(level2)),
            "comparator": list(COMPARATOR_DISPLAY),  # ＝ ≥ > ≤ < and qualitative, as the forms list them
            **{k: list(dict.fromkeys(v)) for k, v in lists.items()},
            # every framework and form there is, whichever the returns are: the same categories every run
            "framework": sorted(cfg.frameworks.ids()), "form": list(FORMS)}


def _all_frameworks(cfg: Config) -> list:
    return [fw for fw in (cfg.frameworks.find(fid) for fid in sorted(cfg.frameworks.ids())) if fw is not None]


def _categories(pd, values, known: list[str], only_known: bool = False, key=None):
    """A category column: the names known first, in their order, then any other name found, sorted (by `key`: the
    reporting units as every summary orders them, pinyin_key); with `only_known` (the codes a form declares) any
    other value is missing, as no code (确定 typed for 确定能)."""
    values = values.map(_label)
    if only_known:
        values = values.where(values.isin(known))
    seen = [v for v in dict.fromkeys(values.dropna()) if v not in known]
    # the categories as text of pandas' text dtype, also where there are none (an empty night's reporting units, or
    # sheets): an empty list would make them object where a night with returns gives str (pandas 3), and two
    # nights' categories would not be of one dtype
    return pd.Categorical(values, categories=pd.Index([*known, *sorted(seen, key=key)], dtype=_stable(pd)[0]))


def _unit_order(name: str):
    """The reporting units' categories in the order every summary lists them (pinyin, numbers by value)."""
    from ._consolidate._table import pinyin_key
    from ._text import name_key

    return pinyin_key(name_key(name)), name


#: The problems' fields in both languages the JSON report gives beside those above (``Problem.to_dict``)
_BOTH = ("message_zh", "field_zh", "value_zh", "value_en", "expected_zh", "expected_en")


def frames(paths, *, jobs: int | None = None, rules=None, frameworks=None, config: Config | None = None,
           targets=None, weights=None) -> Frames:
    """The returns under `paths` (files and folders, as ``validate``) as three DataFrames; see ``Frames``.

    `jobs` worker processes read them (None: all cores).  `targets` (and `weights`), as in ``validate`` and
    ``consolidate``: each self-evaluation or monitoring report is also held to its approved goal table, a return
    whose locked targets were changed fails (its problems in ``.problems``) and is not ``counted``, as consolidate
    given the same does not count it.  Nothing is written.
    """
    import pandas as pd

    from ._consolidate import _BY_FORM
    from ._consolidate._collect import Status, decide_duplicates, record_of
    from ._consolidate._table import Units
    from ._selfeval._targets import goal_digest, indicator_id

    cfg = config_of(config, rules=rules, frameworks=frameworks)
    report = validate(given(paths), jobs=jobs, keep_documents=True, config=cfg, targets=targets, weights=weights)
    files = list(report.files)
    records = []
    for f in files:  # each return's record as consolidate makes it (status, values, duplicates)
        rec = record_of(f, f.path, _BY_FORM, keep_rows=False, config=cfg)[0]
        rec.included = rec.status is Status.OK
        records.append(rec)
    decide_duplicates(records, _BY_FORM.duplicate_key, _BY_FORM.names, _BY_FORM.tiebreak,
                      corrects=report.corrected)  # (a corrected copy before the file it marks, as consolidate)
    # each return's unit under one name for all its spellings (summary_unit): the spelling most of the unit's
    # returns of every form read use, so that one unit has one name in the goal tables, reports and self-evaluations
    # of one call (consolidate, which summarises one form at a time, chooses among that form's returns: the same name
    # where a unit spells itself alike in each form); and the key that name is chosen by (unit_key: name_key, the
    # same from run to run whatever the spellings), for joins across runs
    units = Units()
    for rec in records:
        units.of(rec, dict)
    summary_units = [units.name_of(rec) for rec in records]
    unit_keys = [Units.key_of(rec) for rec in records]

    kinds = _kinds()
    heads, items, problems, held = [], [], [], []
    for f, rec, summary_unit, key in zip(files, records, summary_units, unit_keys):
        # its amounts as consolidate counts them: one a reader refused is missing (``counted``)
        # (a monitoring report's amount consolidate holds out of its totals as apparently in 万元 stays, as typed:
        # flagged in ``held_out``, never blanked, so that an analyst sees it and can leave it out as the summary does)
        doc = counted(f.document, f.form, f.unread) if isinstance(f.document, dict) else {}
        held.append(";".join(sorted(p.strip("/").replace("/", ".")
                                    for p in held_out(f.problems, f.form, cfg.rules, f.document))) or None)
        item_key = FORMS.get(f.form or GOAL_TABLE.id, GOAL_TABLE).table.item_path.strip("/")
        head = {k: v for k, v in doc.items() if k != item_key}
        goal = doc and (f.form or GOAL_TABLE.id) == GOAL_TABLE.id
        if goal:  # the digest its self-evaluation and monitoring templates name it by: what joins them to it
            # (as the templates are stamped: record_of's, else a misshapen JSON document's, whose values stay {})
            sha = rec.values.get("targets_sha256")
            head["targets_sha256"] = sha if sha is not None else goal_digest(f.document, f.json_document)
        scores: list = []
        if f.form == SELF_EVALUATION.id:  # the scores consolidate recomputed (record_of: the summary's extract)
            head.update({name: rec.values.get(key) for name, key in RECOMPUTED.items()})
            head["recomputed_grade"] = head["recomputed_grade"] or None  # ("": no total to grade)
            scores = rec.values.get("scores") or []
        heads.append(head)
        base = {"path": display_path(f.path), "reporting_unit": doc.get("unit"),
                "summary_unit": summary_unit, "project": (doc.get("project") or {}).get("name")
                if isinstance(doc.get("project"), dict) else None, "counted": rec.included,
                # the return's budget year and digest, as its row of .projects has them: group by year, join to the file
                "year": doc.get("year"), "sha256": f.sha256 or None, "path_bytes": exact_path(f.path), "unit_key": key}
        dicts = 0
        # the rows as scored (record_of's): the approved targets where a return's were typed over (--targets)
        scored = f.scored_as if isinstance(f.scored_as, dict) else doc
        scored_rows = scored.get(item_key) if isinstance(scored.get(item_key), list) else []
        rows = doc.get(item_key)  # (a document's "indicators": true, a number …: no rows, the schema says why)
        for i, ind in enumerate(rows if isinstance(rows, list) else []):
            if isinstance(ind, dict):  # a goal table's rows with the ids its reports give them (I001 …)
                if f.form == SELF_EVALUATION.id:
                    as_scored = scored_rows[i] if i < len(scored_rows) and isinstance(scored_rows[i], dict) else ind
                    extra = {RECOMPUTED_SCORE: scores[dicts] if dicts < len(scores) else None,
                             SCORED_TARGET: format_target(as_scored) or None}
                else:
                    extra = {}
                items.append({**base, "row": i, **({"id": indicator_id(ind, i)} if goal else {}), **ind, **extra})
                dicts += 1
        for p in f.problems:
            # the JSON report's fields (Problem.to_dict): each in both languages, whatever the night's language
            both = p.to_dict()
            problems.append({"file": display_path(f.path), "code": p.code, "severity": p.severity, "sheet": p.sheet or None,
                             "cell": p.cell or None, "field": p.field or None,
                             "value": value_text(p.value), "expected": p.expected or None,
                             "path": p.path or None, "message": p.message, "message_en": p.message_en,
                             "field_en": (p.field_en or p.field) or None,
                             **{k: both[k] or None for k in _BOTH}, "file_bytes": exact_path(f.path)})

    # every column of the forms read, in the order their declaration gives (``_head_columns``), present in the returns
    # or not (no return has a signature block; an empty inbox has no document at all), then any other key found
    forms = _forms_read(files)
    declared = list(dict.fromkeys(name for form_id in forms
                                  for name in _head_columns(pd, FORMS.get(form_id, GOAL_TABLE))))
    projects = pd.json_normalize(heads) if heads else pd.DataFrame(columns=declared)
    projects = projects.reindex(columns=[*declared, *(c for c in projects.columns if c not in declared)])
    # the files found and not read, after the returns, as validate and consolidate list them: nothing dropped unseen
    others = [(path, "skipped", why[0]) for path, why in report.skipped_reasons.items()]
    others += [(path, IGNORED, SKIP_IGNORED[0]) for path in report.ignored]
    if others:
        projects = pd.concat([projects, pd.DataFrame(index=range(len(others)))], ignore_index=True)
    rows = [(display_path(f.path), f.sha256 or None, r.status.code, r.included, bool(r.duplicate), r.note or None,
             len(f.errors), len(f.warnings)) for f, r in zip(files, records)]
    rows += [(display_path(path), None, status, False, False, why, 0, 0) for path, status, why in others]
    for i, name in enumerate(FILE_COLUMNS):  # a row per file, in FILE_COLUMNS' order
        projects.insert(i, name, [row[i] for row in rows])
    # each return's form, a goal table's too (its document does not name it): one column for every night
    projects["form"] = [f.form or None for f in files] + [None] * len(others)
    # why a file found was not read, as a code (the catalog's: skipped.mail, file.ignored …) and in English, beside
    # `note`, which gives it in Chinese; None on a return's row
    reasons = [*report.skipped_reasons.values(), *(SKIP_IGNORED for _ in report.ignored)]
    projects["note_code"] = [None] * len(files) + [reason_code(why) for why in reasons]
    projects["note_en"] = [None] * len(files) + [why[1] for why in reasons]
    # the unit each return is counted under in consolidate's rows by unit (汇总单位): one name for the spellings of a unit
    projects["summary_unit"] = summary_units + [None] * len(others)
    # the amounts of a return its summary holds out of the totals as apparently in 万元 (consolidate; _figures.held_out),
    # as columns: funds.executed_to_date; None for none (the amount itself is kept as typed)
    projects["held_out"] = held + [None] * len(others)
    # each file's exact name (hex of its bytes; `path` is written for people): what a script opens the file by
    projects["path_bytes"] = [exact_path(f.path) for f in files] + [exact_path(path) for path, _, _ in others]
    projects["counted"] = projects["counted"].astype(bool)
    projects["errors"] = projects["errors"].astype("int64")  # (an empty inbox's empty column: not float64)
    projects["warnings"] = projects["warnings"].astype("int64")
    projects["duplicate"] = projects["duplicate"].astype(bool)
    projects["status"] = pd.Categorical(projects["status"], categories=[*(s.code for s in Status), IGNORED])
    # the key summary_unit is chosen by (name_key of the unit: one for all its spellings, the same in every run),
    # just before it, as the indicators have the two, path_bytes staying last: what joins one run's rows of a unit
    # to another run's
    projects.insert(list(projects.columns).index("summary_unit"), "unit_key",
                    pd.Series(unit_keys + [None] * len(others), index=projects.index, dtype=object))
    projects = _typed(pd, projects, kinds, categories=("framework", "form", "unit", "summary_unit"))
    for name in ("recomputed_funds_score", "recomputed_total"):
        if name in projects:  # scores, as funds.score: Float64
            projects[name] = pd.to_numeric(projects[name], errors="coerce").astype("Float64")
    if "recomputed_grade" in projects:  # every grade the scoring tables in force give, in their order
        from ._selfeval._summary import _grades

        projects["recomputed_grade"] = _categories(pd, projects["recomputed_grade"], _grades(_all_frameworks(cfg)))
    order = _framework_order(cfg)
    for name in ("framework", "form", "project.category", "project.performance_type", "unit", "summary_unit"):
        if name in projects:  # the reporting units (no list knows them): the names found, sorted
            projects[name] = _categories(pd, projects[name], [] if name in ("unit", "summary_unit") else order.get(name, []),
                                         key=_unit_order if name in ("unit", "summary_unit") else None)

    item_columns = ["path", "reporting_unit", "project", "counted", "row"]
    # last, added to the frame, not moved into it (summary_unit: the unit consolidate counts the return under; unit_key,
    # before it, the key it is grouped by, the same in every run: the four after it as they were)
    tail = ["unit_key", "summary_unit", "year", "sha256", "path_bytes"]
    indicators = pd.DataFrame(items) if items else pd.DataFrame(columns=[*item_columns, *tail])
    keys = _item_keys(cfg, forms)
    if GOAL_TABLE.id in forms and "id" not in indicators.columns:
        indicators["id"] = None  # a goal table's ids, which frames gives its rows: on a night with no row too
    if SELF_EVALUATION.id in forms:  # after the form's own fields: its recomputed score, then the target it is
        keys = [*keys, RECOMPUTED_SCORE, SCORED_TARGET]  # scored against (added since: no column moved), any night
    for key in keys:  # every indicator field of the forms read, filled or not
        if key not in indicators.columns:
            indicators[key] = None
    # in the forms' order, not the first return's: the same columns in the same order every night
    first = [*item_columns, *(["id"] if "id" in indicators.columns else []), *(k for k in keys if k not in item_columns)]
    first = list(dict.fromkeys(first))
    indicators = indicators[[*first, *(c for c in indicators.columns if c not in first)]]
    for name in _ITEM_NUMBERS:
        if name in indicators:
            indicators[name] = pd.to_numeric(indicators[name], errors="coerce").astype("Float64")
    for name in _ITEM_EXACT:
        if name in indicators:
            indicators[name] = indicators[name].map(_exact_number).astype(object)
    for name in _ITEM_MIXED:
        if name in indicators:
            indicators[name] = indicators[name].map(_exact_or_text).astype(object)
    for name in _ITEM_CATEGORIES:
        if name in indicators:  # every name the frameworks know, in their order: the same from run to run
            # (a comparator: the forms' codes only, as 比较符代码 in consolidate's indicator sheets)
            indicators[name] = _categories(pd, indicators[name], order.get(name, []), only_known=name == "comparator")
    coded = _coded_item_columns()
    for name, codes in coded.items():
        if name in indicators:  # 完成等级, 完成目标可能性, 偏差原因类别: every code the form declares, in its order
            indicators[name] = _categories(pd, indicators[name], codes, only_known=True)
    # each row's return's year and SHA-256 (as in .projects), and its file's exact name (hex of its bytes), last
    indicators = indicators[[*(c for c in indicators.columns if c not in tail), *tail]]
    indicators["year"] = pd.to_numeric(indicators["year"], errors="coerce").astype("Int64")  # as _typed a year
    indicators["counted"] = indicators["counted"].astype(bool)
    indicators["row"] = indicators["row"].astype("int64")
    text_dtype, _ = _stable(pd)
    _as_text(indicators, [n for n in indicators.columns if n not in (*_ITEM_CATEGORIES, *coded, *_ITEM_NUMBERS, *_ITEM_EXACT,
                                                                     *_ITEM_MIXED, "counted", "row", "year")],
             text_dtype)

    problem_columns = ["file", "code", "severity", "sheet", "cell", "field", "value", "expected", "path", "message",
                       "message_en", "field_en", *_BOTH, "file_bytes"]
    problems_df = pd.DataFrame(problems, columns=problem_columns)
    # every code of the rule table, sorted, every severity in its order, the sheets found sorted: the same
    # categories whatever the night, so that two nights' problems concatenate as categories
    for name, known in (("code", sorted(cfg.rules.rules)), ("severity", list(SEVERITIES)), ("sheet", [])):
        problems_df[name] = _categories(pd, problems_df[name], known)
    _as_text(problems_df, [n for n in problem_columns if n not in ("code", "severity", "sheet")], text_dtype)
    return Frames(projects, indicators, problems_df)


def _head_columns(pd, form) -> list[str]:
    """The projects frame's columns of a form's document head, declared: a document of the form holding every key
    its reader may give (schema_version, framework, year, its form and parameters, what it records of its stamp,
    every header field, and a goal table's ``targets_sha256``, which frames adds), named and ordered as
    ``pandas.json_normalize`` names and orders a document.  A full night's frame and an empty one's take their columns
    from this one list, in its order: they cannot differ."""
    skeleton: dict = {"schema_version": None, "framework": None, "year": None}
    if form.names_itself:
        skeleton["form"] = None
    skeleton.update(dict.fromkeys(p.name for p in form.params))
    if form.recorded:
        skeleton[form.recorded[0]] = dict.fromkeys(form.recorded[1])
    skeleton[MADE_WITH[0]] = dict.fromkeys(MADE_WITH[1])
    for f in form.fields:
        put(skeleton, f.path, None)
    if form.id == GOAL_TABLE.id:
        skeleton["targets_sha256"] = None
    if form.id == SELF_EVALUATION.id:
        skeleton.update(dict.fromkeys(RECOMPUTED))
    return list(pd.json_normalize([skeleton]).columns)


def _coded_item_columns() -> dict[str, list[str]]:
    """The indicator fields whose value is a code chosen from a dropdown (a self-evaluation's grade, a monitoring
    report's likelihood and deviation category), each with every code its form declares, in the form's order: a
    night on which every row was 达成 has the categories of a night with a 部分达成, and the two concatenate."""
    coded: dict[str, list[str]] = {}
    for form in FORMS.values():
        for col in form.table.columns:
            kind = KINDS.get(col.kind)
            if kind is None or kind.write_as not in ("grade", "coded"):
                continue
            codes = list(GRADE_DISPLAY) if kind.write_as == "grade" else [code for code, _ in kind.shown]
            for key in col.item_keys:
                coded.setdefault(key, codes)
    return coded


def _forms_read(files) -> list[str]:
    """The forms of the returns, in FORMS' order (not the order met: a night of goal tables and monitoring reports
    has the same columns in the same order whichever file is read first); the goal table's when there are none (an
    empty inbox gives the columns a script expects, as consolidate's summary of no returns is a goal table's)."""
    found = {f.form or GOAL_TABLE.id for f in files}
    return [fid for fid in FORMS if fid in found] + sorted(found - set(FORMS)) or [GOAL_TABLE.id]


def _item_keys(cfg: Config, forms: list[str]) -> list[str]:
    """The indicator fields of the forms read (`forms`, _forms_read's), in each form's column order, for every
    framework of the configuration (and the form's own columns): a column no return filled (no 偏差原因 on a good
    night, no 权重 on a night without a national return) is still there."""
    keys: list[str] = []
    for form_id in forms:
        form = FORMS.get(form_id, GOAL_TABLE)
        for fw in [None, *_all_frameworks(cfg)]:
            for col in form.columns(fw):
                keys.extend(k for k in col.item_keys if k != "seq")
    return list(dict.fromkeys(keys))
