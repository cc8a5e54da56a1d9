"""From approved goal tables to self-evaluations, and back: templates, ids, digests, locked targets.

``self_evaluation_templates(targets, out_dir)`` reads goal-table returns (workbooks) or their JSON
documents, files or folders, and writes one protected self-evaluation workbook per project, with
the targets and the 分值 filled in and locked.  ``TargetsIndex`` holds the goal tables for
``validate --targets``: a self-evaluation is matched to its goal table by ``targets_sha256``, else by
unit and project, and every locked value it carries is compared with the goal table's.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple
from pathlib import Path

from .._atomic import write_bytes
from .._config import Config, config_of
from .._args import paths as given
from .._errors import OutputError, XlgoalsError, add_force, given_as
from .._text import Bilingual, NearNames, at, first_listed, in_lang, iso_date_or_blank, name_key, pasted_stripped, reason_of
from .._paths import (SKIP_XLGOALS, SOURCE_SUFFIXES, corrected_copies, documents, folder_listing, guard_out_dir, hidden_name, identity, named_files,
                      refuse_out_dir_in_folders, same_name_in, superseded, text_path)
from .._form import FORMS, format_target
from .._form._kinds import comparator_display, shown_target
from .._form._kinds import KINDS
from .._pointers import get, put
from .._problems import Problem, value_text
from .._paths import safe_filename
from .._write._template import PrefillResult, unique_filename, unit_project_name
from .._decimals import dec, number, yuan
from .._spool import PackedStore, unpack
from .._text import display_path
from ._weights import (FRAMEWORK_POINTS, GOAL_POINTS, Weights, allocate, goal_gives_points, load_weights,
                       points_file_name, points_tag, same_points, stamp_params)

GOAL_TABLE_ID, FORM_ID = "goal-table", "self-evaluation"
#: The indicator keys copied from the goal table, and locked.
TARGET_KEYS = ("id", "level1", "level2", "name", "comparator", "value", "unit", "text")


def targets_sha256(goal: dict) -> str:
    """The SHA-256 of a goal-table document as canonical JSON (sorted keys, UTF-8, no whitespace)."""
    text = json.dumps(goal, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def as_loaded(doc):
    """A goal table given as JSON as ``load_goal_table`` takes it (and the template stamps its digest): its year and
    month written as 2020.0 taken as 2020, its texts as the reader gives them back from a cell (``as_a_workbook_reads``)."""
    from .._write._fill import whole_numbers

    doc = whole_numbers(doc)
    return as_a_workbook_reads(doc) if isinstance(doc, dict) else doc


def goal_digest(doc, json_document: bool = False) -> str | None:
    """The ``targets_sha256`` a self-evaluation or monitoring template made from the goal table `doc` is stamped
    with, which consolidate and frames give beside it (what the README's join is on): a workbook's of the document
    as read, a JSON document's (`json_document`) as ``load_goal_table`` cleans it.  A refused cell (6280万元 where
    an amount goes) is hashed as read keeps it, typed, never as blank: a workbook and its read JSON agree, and a
    goal table with a refused cell does not share the digest of one whose cell is blank.  None when `doc` is no
    document."""
    if not isinstance(doc, dict):
        return None
    try:
        return targets_sha256(as_loaded(doc) if json_document else doc)
    except (TypeError, ValueError, AttributeError, KeyError):  # a JSON document of a shape no workbook holds
        return None


def indicator_id(ind: dict, index: int) -> str:
    """The indicator's own id, or one derived from its position (I001, I002, …)."""
    given = ind.get("id")
    return given if isinstance(given, str) and given else f"I{index + 1:03d}"


def approval_content(doc: dict) -> tuple[str, tuple | None]:
    """What tells one approval from another (``same_approval``): the document as canonical JSON, its digest and its
    indicators' 指标编号 left out, and those 指标编号 apart, None where they are their positions (I001, I002, …: a
    goal table's workbook filled without ids, or before it kept them, has none of its own)."""
    items = doc.get("indicators") if isinstance(doc, dict) else None
    items = items if isinstance(items, list) else []
    ids = tuple(indicator_id(it, k) if isinstance(it, dict) else None for k, it in enumerate(items))
    bare = {k: v for k, v in doc.items() if k != "targets_sha256"} if isinstance(doc, dict) else doc
    if items:
        bare["indicators"] = [{k: v for k, v in it.items() if k != "id"} if isinstance(it, dict) else it
                              for it in items]
    positional = ids == tuple(f"I{k + 1:03d}" for k in range(len(ids)))
    return json.dumps(bare, ensure_ascii=False, sort_keys=True, separators=(",", ":")), None if positional else ids


def same_approval(a: tuple, b: tuple) -> bool:
    """Whether two ``approval_content`` are one approval: the same goal table in content, as a return is compared
    with its goal table (``_same_ids``): a workbook's positional 指标编号 stand for the JSON's own ids, by position."""
    return a[0] == b[0] and (a[1] is None or b[1] is None or a[1] == b[1])


def expand_targets(paths, skipped: dict | None = None) -> list[Path]:
    """Files as given; folders searched (recursively) for workbooks and JSON documents (the other files of a
    folder into `skipped`, path -> (reason zh, reason en); xlgoals's own reports and tables among them too)."""
    return documents(paths, SOURCE_SUFFIXES, skipped, ours=True)


class OtherForm(XlgoalsError):
    """A return of another form (a self-evaluation, a monitoring report) where a goal table was sought: kept in
    the same folder by many a clerk, it is passed over with a notice, not reported as a broken goal table."""

    def __init__(self, form_id: str):
        form = FORMS[form_id]
        super().__init__(Bilingual(f"不是绩效目标表（{form.title}）", f"not a goal table ({form.title_en})"))
        self.form = form_id


class OursFound(XlgoalsError):
    """A workbook xlgoals wrote (a summary, an annotated copy: file.xlgoals_output) where a goal table was sought:
    found in a folder (the bureau consolidated its goal tables into their own folder), it is passed over as
    validate passes it over (SKIP_XLGOALS); named, it is reported as the goal table that cannot be used it is."""


def _failed(problem, where: str) -> Bilingual:
    return Bilingual(f"绩效目标表未通过校验（{where}：{problem.message}）",
                     f"the goal table does not pass validation ({where}: {problem.message_en})")


_CLEANED_KINDS = frozenset({"text", "longtext", "choice", "unit"})  # the kinds whose parse gives text back


def as_a_workbook_reads(doc: dict, form=None) -> dict:
    """A goal table given as JSON, its texts as the reader gives them back from a cell (trimmed, names' stray spaces
    folded, units normalised): a template made from “ 培训人次　” or “ % ” reads “培训人次” and “%”, and was then
    compared with the JSON's own spelling (“与批复的绩效目标表不一致” for a return nobody changed)."""
    form = form or FORMS[GOAL_TABLE_ID]
    out = dict(doc)
    for f in form.fields:
        head, _, key = f.path.rpartition("/")
        parent = get(out, head) if head else out
        if f.kind in _CLEANED_KINDS and isinstance(parent, dict) and isinstance(parent.get(key), str):
            if parent is not out:
                parent = dict(parent)
                put(out, head, parent)
            parent[key] = KINDS[f.kind].parse(parent[key])
    kinds = {k: col.kind for col in form.table.columns for k in col.item_keys}
    items = out.get(form.table.item_path.strip("/"))
    if isinstance(items, list):
        cleaned = []
        for it in items:
            if isinstance(it, dict):
                it = dict(it)
                for k, v in list(it.items()):
                    if not isinstance(v, str):
                        continue
                    kind = "longtext" if k == "text" else "text" if k == "id" else kinds.get(k)
                    if kind in _CLEANED_KINDS:
                        clean = KINDS[kind].parse(v)
                        if clean is None:
                            del it[k]
                        else:
                            it[k] = clean
            cleaned.append(it)
        out[form.table.item_path.strip("/")] = cleaned
    return out


def load_goal_table(path: Path, config: Config, warnings: list | None = None) -> dict:
    """A goal-table document from a workbook or a JSON file; XlgoalsError (one line) when it cannot serve.
    `warnings`: a list the warnings of a goal table that serves are appended to (Problems, `file` the path: an amount
    below one 元, cell.amount_fraction; a rule a bureau made a warning), as validate says them of it."""
    from .._check._validate import amount_fractions, rule_problems, validate_file
    from .._paths import _written_by_us
    from .._read._safety import as_return, bureau_reason
    from .._errors import DocumentError, JsonFileError
    from .._write._fill import check_document, load_document, whole_numbers

    # a report or summary xlgoals wrote as JSON (consolidate --json) is read as a workbook named is: said as
    # xlgoals's own output (file.xlgoals_output, OursFound), as its summary workbook is, not as a goal table failing
    if path.suffix.lower() == ".json" and not _written_by_us(path):
        try:
            doc = whole_numbers(load_document(path))
        except JsonFileError as exc:
            raise XlgoalsError(exc.detail) from None  # the callers name the file
        form = doc.get("form", GOAL_TABLE_ID) if isinstance(doc, dict) else None
        if isinstance(form, str) and form != GOAL_TABLE_ID and form in FORMS:
            raise OtherForm(form)
        if form != GOAL_TABLE_ID:
            raise XlgoalsError(Bilingual("不是绩效目标表的 JSON 文档", "not a goal table's JSON document"))
        try:  # as fill checks a document: numbers a workbook cannot hold, then the schema, before any rule
            check_document(doc, config)
        except DocumentError as exc:
            first = exc.problems[0] if exc.problems else None
            if first is None:
                why = reason_of(exc)
                raise _refused(Bilingual(f"绩效目标表未通过校验（{why}）",
                                         f"the goal table does not pass validation ({in_lang(why, 'en')})"), doc)
            raise _refused(_failed(first, first.path or "/"), doc) from None
        ruled = rule_problems(doc, config)
        errors = [p for p in ruled if p.is_error]  # the schema has passed: the rules
        if errors:
            raise _refused(_failed(errors[0], errors[0].path or "/"), doc)
        if warnings is not None:
            _warned(warnings, [*amount_fractions(doc, FORMS[GOAL_TABLE_ID], config), *ruled], path)
        return as_loaded(doc)  # (its digest goal_digest's, as consolidate and frames give it)
    # a goal table corrected in its annotated copy and sent back is the goal table it is, as validate counts it
    report = as_return(functools.partial(validate_file, config=config), path)
    if report.form and report.form != GOAL_TABLE_ID:  # a return of another form, filled or still blank
        raise OtherForm(report.form)
    if report.document is None or report.errors:
        first = report.errors[0] if report.errors else None
        if first is None:
            raise XlgoalsError(Bilingual("绩效目标表无法使用（无法读取）", "the goal table cannot be used (unreadable)"))
        where = first.location()
        kind = OursFound if [p.code for p in report.problems] == ["file.xlgoals_output"] else XlgoalsError
        # said to the bureau that gave it (a summary: 不是绩效目标表), not as to a department (请报送由模板填写的申报文件)
        said = bureau_reason(first.code, (str(first.found("zh")), str(first.found("en"))), what=("绩效目标表", "a goal table")) \
            if first.code in ("file.xlgoals_output", "file.not_workbook") else None
        message, message_en = (str(said), said.en) if said is not None else (first.message, first.message_en)
        why = Bilingual(f"绩效目标表无法使用（{where + '：' if where else ''}{message}）",
                        f"the goal table cannot be used ({where + ': ' if where else ''}{message_en})")
        raise _refused(why, report.document, kind)
    from .._write._limits import limit_problems

    # a control character (ESC, NUL, a bidi override) the template would lock and name its file with: as fill refuses
    # it whatever its severity (limit_problems).  The reader says it (schema.control_char), but a bureau's --rules may
    # lower that rule to a warning or notice (its rows replace the packaged ones, severity included: _ruletable), so
    # report.errors above need not hold it: asked here again
    control = next((p for p in limit_problems(report.document, config, FORMS[GOAL_TABLE_ID])
                    if p.code == "schema.control_char"), None)
    if control is not None:
        raise XlgoalsError(_failed(control, control.path))
    if warnings is not None:
        _warned(warnings, report.problems, path)
    return report.document


def _warned(warnings: list, problems, path) -> None:
    """The warnings of `problems` appended to `warnings`, each naming the goal table's file (notices left out: what the
    bureau must see before it issues the forms is what validate would warn the department of)."""
    for p in problems:
        if p.severity == "warning":
            p.file = str(path)
            warnings.append(p)


def _refused(why, doc, kind=None) -> XlgoalsError:
    """The error refusing a goal table, with what was read of it (``document``, None where nothing was): the returns
    of its project are told it was found and refused, and why (``TargetsIndex.refused_for``), not that none was."""
    exc = (kind or XlgoalsError)(why)
    exc.document = doc if isinstance(doc, dict) else None
    return exc


def refused_keys(doc) -> tuple:
    """(targets_sha256, unit, project, year) of a goal table refused, as ``TargetsIndex.keys_of`` gives a usable
    one's, from the document read of it; () where nothing of it was read, or no unit and project."""
    if not isinstance(doc, dict):
        return ()
    unit, project = doc.get("unit"), get(doc, "/project/name")
    if not (unit or project):
        return ()
    try:
        sha = targets_sha256(doc)
    except (TypeError, ValueError):
        sha = None
    return sha, unit if isinstance(unit, str) else None, project if isinstance(project, str) else None, doc.get("year")


def _weights_of(fw, weights: Weights | None) -> Weights | None:
    return weights if weights is not None else fw.self_evaluation


def target_rows(goal: dict, config: Config) -> tuple:
    """(framework, the goal table's indicators, their rows as every form made from targets starts them: id and
    the target keys).  XlgoalsError when two indicators share an id."""
    fw = config.frameworks.get(goal.get("framework"))
    inds = [i for i in goal.get("indicators") or [] if isinstance(i, dict)]
    ids = [indicator_id(ind, i) for i, ind in enumerate(inds)]
    if len(set(ids)) != len(ids):
        raise XlgoalsError(Bilingual("绩效目标表中的指标编号（id）有重复", "an indicator id is given twice in the goal table"))
    rows = [{"id": iid, **{k: ind[k] for k in TARGET_KEYS[1:] if ind.get(k) is not None}}
            for ind, iid in zip(inds, ids, strict=True)]
    return fw, inds, rows


def self_evaluation_document(goal: dict, config: Config, weights: Weights | None = None, sha: str | None = None
                             ) -> dict:
    """The self-evaluation document a goal table starts: targets, ids, 分值; nothing of the results (`sha`: the
    goal table's targets_sha256, when the caller has it already)."""
    fw, inds, rows = target_rows(goal, config)
    funds_points, points = allocate(inds, _weights_of(fw, weights))
    for row, pts in zip(rows, points, strict=True):
        row["points"] = number(pts)
    # where its 分值 came from, as its stamp records it (the template's workbook takes it from here)
    source = dict(stamp_params(weights, fw.self_evaluation, goal_gives_points(inds)))
    return {
        "schema_version": "1", "form": FORM_ID, "points_source": source, "framework": fw.id,
        "year": goal["year"], "unit": goal.get("unit"),
        "project": {"name": get(goal, "/project/name")}, "targets_sha256": sha or targets_sha256(goal),
        "funds": {**initial_budget_of(goal), "points": number(funds_points)},
        "overall": {"target": get(goal, "/project/goals")},
        "contact": {}, "indicators": rows,
    }


def initial_budget_of(goal: dict) -> dict:
    """The funds' 年初预算数 a form made from `goal` starts with: the approved 当年预算 (the monitoring report's too)."""
    budget = get(goal, "/budget/current_year")
    return {} if budget is None else {"initial_budget": budget}


def no_goal_table(other_forms: list) -> XlgoalsError:
    """The UsageError (exit 2) of a --targets that holds returns of other forms only: `other_forms` are their
    (path, form id).  Nothing could be made or compared (`validate --targets 收到/` given the returns twice, the
    goal tables forgotten); going on would pass every return unchecked, or make no template and say so in a line."""
    from .._errors import UsageError

    from .._errors import given_as

    path, form_id = other_forms[0]
    shown, form, named = display_path(os.fspath(path)), FORMS[form_id], given_as("--targets")
    return UsageError(Bilingual(
        f"{named} 中没有绩效目标表：给出的 {len(other_forms)} 个文件都是其他表（如 {shown} 是{form.title}）；"
        "请给出批复的绩效目标表",
        f"no goal table in {named}: the {len(other_forms)} file(s) given are returns of other forms ({shown} is "
        f"a {form.title_en}); give the approved goal tables"))


def self_evaluation_templates(targets, out_dir, *, weights=None, password: str | None = None, frameworks=None,
                              config: Config | None = None, force: bool = False) -> PrefillResult:
    """One protected self-evaluation workbook per goal table under `targets` (files or folders).

    A goal table that cannot be used is reported with its file name; the others are still
    written (as ``template --prefill``).  ``weights`` (a file, or Weights) overrides the
    frameworks' 分值.  A file already at a workbook's path is kept unless `force` (see
    ``templates_from_targets``).
    """
    targets = text_path(given(targets))  # a generator (Path.glob): read once, here
    out_dir, weights = text_path(out_dir), text_path(weights)  # b"...": the same file
    cfg = config_of(config, frameworks=frameworks)
    weights = load_weights(weights, cfg.frameworks)
    return templates_from_targets(targets, out_dir, cfg, functools.partial(
        self_evaluation_document, config=cfg, weights=weights), password=password, force=force,
        notices_of=functools.partial(points_notices, config=cfg, weights=weights))  # (stamped: the document's points_source)


def points_notices(goal: dict, doc: dict, config: Config, weights: Weights | None = None) -> tuple:
    """What the bureau should hear of the 分值 of a self-evaluation made from `goal` (``doc``): the points file
    given (--weights) not used, the goal table giving every row's 分值 (its stamp says ``points=goal``: the file
    named nowhere); the funds block left 0 points (funds_left_none)."""
    out = ()
    if weights is not None and get(doc, "/points_source/points") == GOAL_POINTS:
        from decimal import Decimal

        name = points_file_name(weights)
        named, named_en = (f"的分值文件“{name}”", f"the points file '{name}'") if name else ("的分值", "the points")
        total = sum((Decimal(str(ind["points"])) for ind in doc["indicators"]), Decimal(0))
        funds, wanted = get(doc, "/funds/points"), number(weights.funds)
        out = (Bilingual(
            f"{given_as('--weights')} {named}未使用：绩效目标表已逐条给出分值（合计 "
            f"{number(total)}），自评表按其生成，资金分值为 {funds}（分值文件为 {wanted}）",
            f"{named_en} ({given_as('--weights')}) was not used: the goal table gives every "
            f"indicator's points (total {number(total)}), which the self-evaluation takes; the funds get {funds} "
            f"(the points file: {wanted})"),)
    return out + funds_left_none(goal, doc, config, weights)


def funds_left_none(goal: dict, doc: dict, config: Config, weights: Weights | None = None) -> tuple:
    """What the bureau should hear of a self-evaluation made from `goal`: its 分值 taking all 100 leave the funds
    block 0 points where the framework (or `weights`) gives it some (national-2021: 10), so 执行率 counts for
    nothing.  The goal table's rule.weight_no_funds says it, in zh and en; it is a warning there, which a
    template run does not otherwise show."""
    from decimal import Decimal

    if config.rules.is_off("rule.weight_no_funds"):  # turned off: the bureau does not want it said
        return ()
    used = _weights_of(config.frameworks.get(goal.get("framework")), weights)
    got = Decimal(str(get(doc, "/funds/points")))
    total = sum((Decimal(str(ind["points"])) for ind in doc["indicators"]), Decimal(0))
    if (used is not None and weights is None and got != used.funds and got != 0
            and get(doc, "/points_source/points") == GOAL_POINTS):
        # the goal table's 分值 leave the funds other points than the framework's (35: 65, not 10): its
        # rule.weight_funds_rest (a --weights file not used says the funds' points itself: points_notices)
        rest = number(Decimal(100) - used.funds)
        p = config.rules.problem("rule.weight_funds_rest", path="/indicators/0/weight", value=number(total),
                                 expected=rest, total=100, funds=number(used.funds), rest=rest, funds_got=number(got))
        return (Bilingual(p.message, p.message_en),)
    if used is None or not used.funds or got != 0:
        return ()
    rest = number(total - used.funds)
    p = config.rules.problem("rule.weight_no_funds", path="/indicators/0/weight", value=number(total),
                             expected=rest, total=number(total), funds=number(used.funds), rest=rest)
    return (Bilingual(p.message, p.message_en),)


def templates_from_targets(targets, out_dir, cfg: Config, make_document, password: str | None = None,
                           jobs: int | None = None, force: bool = False, notices_of=None,
                           stamp_params: tuple = ()) -> PrefillResult:
    """One workbook per goal table under `targets`, named ``单位_项目.xlsx`` as by ``--prefill``; a goal table
    that cannot be used is reported with its file name and the others are still written.  Shared by the
    self-evaluation and the monitoring report: `make_document(goal)` gives the form's document.

    A file already at a workbook's path (a filled return, last month's report) is kept and reported, unless
    `force`; a goal table given as input is never written over, `force` or not.

    Goal tables are returns that came from departments: each is read, and its workbook made, in a worker
    process bounded in time and memory, as a received return is; one that crashes the reader is reported.
    `notices_of(goal, doc)` gives what the bureau should hear of a workbook written (Bilingual lines), listed in
    the result's ``notices`` with the goal table's name."""
    from .._args import flag, password as checked_password
    from .._check._validate import check_files

    force, password = flag(force, "force"), checked_password(password)  # before any goal table is read

    guard_out_dir(out_dir)
    refuse_out_dir_in_folders(out_dir, targets, "--out-dir", "--targets")  # else the next run reads them as returns
    result, used, others = PrefillResult(), set(), []
    years_of: dict = {}  # a file name (lower case) -> the budget years of the goal tables written under it
    files = expand_targets(targets, result.skipped)
    if not files:
        named = given_as("--targets")
        raise XlgoalsError(Bilingual(f"{named} 没有给出任何绩效目标表（.xlsx/.xls/.ods/.json 文件或文件夹）",
                                     f"{named} gives no goal table (.xlsx/.xls/.ods/.json files or folders)"))
    out_dir = Path(out_dir)
    inputs = {identity(p) for p in files} - {None}
    present = folder_listing(out_dir)  # once: a name differing only in case is the same file on Windows
    work = functools.partial(_template_of, config=cfg, make_document=make_document, password=password,
                             notices_of=notices_of, stamp_params=stamp_params)
    named = named_files(targets)
    made_all = list(zip(files, check_files(work, files, cfg, jobs, goal_table_crashed), strict=True))
    # a goal table whose annotated copy, corrected by the department, is given too: the copy is the goal table as it
    # stands (the newest correction), the file it marks passed over, said (never two forms of one return, nor the
    # first listed as it happens)
    replaced = corrected_copies({os.fspath(p): m.source for p, m in made_all if m.source and not m.ours}, files)
    made_all = [(p, m) for p, m in made_all if os.fspath(p) not in replaced]
    for p, copy in replaced.items():
        result.skipped[p] = superseded(copy)
    # one goal table as a workbook and as the JSON `xlgoals read` made of it, or filled from (one content): one
    # approval, the form made from the workbook (as consolidate keeps the workbook of such a pair), the other file
    # passed over
    twin_of = _same_documents(made_all)
    for path, made in made_all:  # the budget years of each 单位_项目 name this run writes: two or more, each named so
        if path not in twin_of and not (made.error or made.other_form or made.ours) and _whole_year(made.year):
            years_of.setdefault(_base_name(made), set()).add(made.year)
    undated: set = set()  # earlier runs' 单位_项目.xlsx said kept
    serving = _serving(made_all, lambda path, made: path in twin_of or made.error or made.other_form or made.ours)
    for path, made in made_all:
        if path in twin_of:
            first = display_path(twin_of[path])
            result.skipped[str(path)] = (f"与 {first} 为同一份绩效目标表（内容相同），已按 {first} 生成",
                                         f"the same goal table as {first} (the same content): the form was made from "
                                         f"{first}")
            continue
        if made.ours and os.path.normpath(path) not in named:  # a summary or annotated copy lying in the folder
            result.skipped[str(path)] = SKIP_XLGOALS
            continue
        if made.error:
            result.errors.append(at(path, made.error))
            continue
        if made.other_form:
            others.append((path, made.other_form))
            form = FORMS[made.other_form]
            result.skipped[str(path)] = (f"是{form.title}，不是绩效目标表",
                                         f"a return of another form ({form.title_en}), not a goal table")
            continue
        # two goal tables of one project: one form, as with a repeated --prefill row.  Matched as validate --targets
        # matches a return to its goal table (name_key: brackets, spaces and widths folded), so that “（一期）” and
        # “【一期】” are not two forms; the one the duplicate rule keeps serves (_serving), the other is reported
        # naming it
        key = (made.year, *_name_key(made.unit, made.project))
        if serving.get(key, path) != path:
            first = display_path(serving[key])
            result.errors.append(at(path, Bilingual(
                f"与 {first} 为同一项目（预算年度、申报单位名称和项目名称相同，括号、空格和全半角不计），未生成：以 {first} "
                "为准；请只保留批复的一份绩效目标表",
                f"the same project as {first} (the same budget year, unit and project, brackets, spaces and widths "
                f"aside); not written: {first} serves instead; keep only the approved goal table")))
            continue
        # a recurring project's goal tables of two years or more (单位_项目.xlsx and 单位_项目_2.xlsx said neither year):
        # each named with its year, from the goal tables of this run alone (never from what an earlier run left in
        # the folder: red team 24g 05)
        base = _base_name(made)
        if _whole_year(made.year) and len(years_of.get(base, ())) > 1:
            name = unique_filename(unit_project_name(made.unit, f"{made.project}_{made.year}"), used)
            plain = same_name_in(out_dir, f"{safe_filename(unit_project_name(made.unit, made.project))}.xlsx", present)
            if plain not in undated and (plain.exists() or plain.is_symlink()) and identity(plain) not in inputs:
                undated.add(plain)
                result.notices.append(at(display_path(os.fspath(plain)), Bilingual(
                    f"此前生成的未标年度的表，未改动（本项目现有 {len(years_of[base])} 个预算年度的绩效目标表，"
                    "已各按年度命名生成）；请核对其是否已下发或已填报，不再需要时自行删除",
                    f"a form written earlier, named without its year: left as it was (this project now has goal tables "
                    f"of {len(years_of[base])} budget years, each written named with its year); check whether it was "
                    "sent or filled, and delete it yourself once not needed")))
        else:
            name = unique_filename(unit_project_name(made.unit, made.project), used)
        target = same_name_in(out_dir, f"{name}.xlsx", present)  # 甲_ABC.XLSX there is the same file
        kept = _kept(target, inputs, force)
        if kept:
            result.errors.append(at(display_path(os.fspath(target)), kept, kept.en))
            continue
        try:
            write_bytes(target, made.workbook)
        except XlgoalsError as exc:
            why = reason_of(exc)
            result.errors.append(at(path, why))
            if isinstance(exc, OutputError):
                result.unwritten.append(target)
            continue
        result.written.append(target)
        result.sources[target] = Bilingual(display_path(path), display_path(path))
        result.notices += [at(display_path(path), n) for n in made.notices]
        result.warnings += made.warnings
    if not result.written and not result.errors and others:
        raise no_goal_table(others)
    return result


def _same_documents(made_all: list) -> dict:
    """JSON document -> the workbook of the same project and content used instead (the first listed): the JSON
    `xlgoals read` made of it, or the JSON a workbook was filled from, left beside it (``same_approval``: a goal
    table's workbook filled before it kept the JSON's ids, _form._ids, has another digest, its 指标编号 being I001,
    I002, …).  Two workbooks (or two documents) alike stay two goal tables of one project, reported as such."""
    groups: dict = {}
    for path, made in made_all:
        if made.sha and not (made.error or made.other_form):
            groups.setdefault((made.year, *_name_key(made.unit, made.project)), []).append((path, made))
    out = {}
    for pairs in groups.values():
        workbooks = [(p, m) for p, m in pairs if Path(p).suffix.lower() != ".json"]
        for p, m in pairs:
            if Path(p).suffix.lower() == ".json":
                workbook = next((w for w, n in workbooks if n.sha == m.sha or same_approval(n.content, m.content)),
                                None)
                if workbook is not None:
                    out[p] = workbook
    return out


def _whole_year(year) -> bool:
    return isinstance(year, int) and not isinstance(year, bool)


def _base_name(made) -> str:
    """The file name (lower case) a goal table's form has without its year: 单位_项目."""
    return safe_filename(unit_project_name(made.unit, made.project)).lower()


def _kept(target: Path, inputs: set, force: bool) -> Bilingual | str:
    """Why a file at `target` is not written over (an input goal table; another file, without `force`), or ""."""
    if not (target.exists() or target.is_symlink()):
        return ""
    if identity(target) in inputs:
        return Bilingual("就是输入的绩效目标表，未覆盖；请换一个输出文件夹",
                         "it is a goal table given as input: not written over; choose another output folder")
    if force:
        return ""
    zh, en = add_force()
    return Bilingual(f"已存在同名文件，未覆盖（确认要覆盖请{zh}）", f"a file of this name exists: not written over ({en} to "
                     "write over it)")


class _Template(NamedTuple):
    """What a worker makes of one goal table for ``template --targets``."""

    error: str = ""  # why it cannot serve (Bilingual)
    other_form: str = ""  # the id of the form it is instead: a return kept beside the goal tables
    unit: str = ""
    project: str = ""
    year: int | None = None
    workbook: bytes = b""
    notices: tuple = ()  # what the bureau should hear of it (Bilingual)
    warnings: tuple = ()  # the goal table's warnings (Problems, load_goal_table): said before the forms are issued
    ours: bool = False  # `error` says it is a workbook xlgoals wrote (OursFound)
    sha: str = ""  # the goal table's targets_sha256: a workbook and its read JSON are one document
    content: tuple = ()  # approval_content of the goal table: a JSON and the workbook filled from it are one approval
    #: the SHA-256 it records of the file it marks, where it is an annotated copy read (corrected and sent back): that
    #: file, given too, is superseded by it (_paths.corrected_copies)
    source: str = ""
    filled_on: str = ""  # its 填报日期 (ISO), "" for none: of two goal tables of one project the latest serves


def copy_source(path) -> str:
    """In a worker: the SHA-256 the workbook at `path` records of the file it marks, when it is an annotated copy
    xlgoals wrote ("" for any other file, a JSON document)."""
    from .._read._screen import annotated_source

    if Path(path).suffix.lower() == ".json":
        return ""
    return annotated_source(path) or ""


def _template_of(path: Path, config: Config, make_document, password, notices_of=None, stamp_params=()) -> _Template:
    """In a worker: the workbook one goal table starts, or why it cannot."""
    from .._write._workbook import build_workbook

    try:
        if not path.exists():
            raise XlgoalsError(Bilingual("文件不存在", "no such file"))
        warned: list = []
        goal = load_goal_table(path, config, warned)
        doc = make_document(goal)
    except OtherForm as exc:  # a return of another form, passed over
        return _Template(other_form=exc.form)
    except OursFound as exc:
        return _Template(error=reason_of(exc), ours=True)
    except XlgoalsError as exc:
        return _Template(error=reason_of(exc), source=copy_source(path))
    data = build_workbook(config.frameworks.get(doc["framework"]), doc["year"], doc, password=password,
                          form=FORMS[doc["form"]], rules=config.rules, stamp_params=stamp_params)
    return _Template(unit=doc["unit"], project=doc["project"]["name"], year=doc.get("year"), workbook=data,
                     sha=doc["targets_sha256"], content=approval_content(goal), warnings=tuple(warned),
                     filled_on=iso_date_or_blank(get(goal, "/contact/date")),
                     source=copy_source(path), notices=tuple(notices_of(goal, doc)) if notices_of is not None else ())


def _serving(made_all: list, skip) -> dict:
    """(year, unit key, project key) -> the goal table a form of that project is made from, where two or more of
    the run's goal tables give it: as validate and consolidate keep one of a project's repeated returns
    (``_collect.decide_duplicates``), a workbook before a JSON document, a file shown in its folder before a hidden
    one (``.申报.xlsx``, ``~$申报.xlsx``), then the latest 填报日期, then the most recently modified file, then the
    last path in sort order (never the first listed as it happens: an older version sorted first would be issued).
    `skip(path, made)`: those left out (unusable, or the twin of another)."""
    groups: dict = {}
    for path, made in made_all:
        if not skip(path, made):
            groups.setdefault((made.year, *_name_key(made.unit, made.project)), []).append((path, made))

    return {key: max(items, key=lambda item: serving_rank(item[0], item[1].filled_on))[0]
            for key, items in groups.items() if len(items) > 1}


def serving_rank(path, filled_on: str) -> tuple:
    """Where one project has two goal tables or more, the one that serves ranks highest: decide_duplicates' order
    among returns that can all be used (a workbook before a JSON document, a file shown before a hidden one, the
    latest 填报日期 (`filled_on`: ISO or ""), the file modified last, the last path).  template --targets makes the
    project's form from it (``_serving``), and validate --targets compares a return found by unit and project with
    it (``TargetsIndex.add``)."""
    try:
        mtime = os.stat(path).st_mtime_ns
    except OSError:
        mtime = 0
    return (Path(path).suffix.lower() != ".json", not hidden_name(os.fspath(path)), filled_on, mtime,
            os.fspath(path))


def goal_table_crashed(path, reason: str) -> _Template:
    from .._parallel import crash_reason

    return _Template(error=Bilingual(f"绩效目标表无法读取（{crash_reason(reason)}）",
                                     f"the goal table cannot be read ({crash_reason(reason, 'en')})"))


#: What ``*.targets_unmatched`` says happened ({how}): no goal table of the return's project among those given (one
#: found but refused, unreadable in part or invalid, is ``*.targets_refused``, its path and reason in its {detail}).
UNMATCHED_HOW = ("找不到本表对应的项目", "None of the goal tables given with --targets matches this return")


# validate --targets --------------------------------------------------------------------------------
@dataclass
class TargetsIndex:
    """The expected self-evaluation (targets and 分值) of each goal table, by digest and by unit + project."""

    by_sha: dict = field(default_factory=dict)  # targets_sha256 -> where its expected document waits
    #: (unit, project), as name_key folds them -> the same: of a project's goal tables, the one that serves
    #: (``serving_rank``, as template --targets makes the form from it)
    by_name: dict = field(default_factory=dict)
    by_year: dict = field(default_factory=dict)  # (year, unit, project) -> the same: a recurring project's years apart
    #: ("name", key) / ("year", key) -> the serving_rank of the goal table by_name / by_year holds there
    ranks: dict = field(default_factory=dict, repr=False, compare=False)
    names: dict = field(default_factory=dict, repr=False, compare=False)  # (unit, project) key -> as given
    #: (year, unit, project) as by_year keys them -> {targets_sha256: the first goal table of that digest}: a project
    #: approved in two rounds (原 + 调整) has two digests; a workbook and its ``xlgoals read`` JSON are one
    approvals: dict = field(default_factory=dict, repr=False, compare=False)
    #: the digests of ``approvals`` whose goal table is another's of the project in content (``same_approval``: a
    #: JSON and the workbook filled from it before it kept the JSON's ids): one approval, not competing; each
    #: to the digest of the approval it is one with, which a warning names in its stead (``_competing_problem``)
    twins: dict = field(default_factory=dict, repr=False, compare=False)
    skipped: dict = field(default_factory=dict)  # other files in the folders given: path -> (reason zh, en)
    #: goal tables read but refused (invalid, or giving no self-evaluation's 分值), by digest, by (year, unit,
    #: project) and by (unit, project) as ``match`` looks: -> (path, why), for the returns of their projects
    refused: dict = field(default_factory=dict, repr=False, compare=False)
    #: goal tables refused of which nothing was read (a damaged or unsafe file, not our form): (path, why) each.  No
    #: return can be matched to one, but a return matched to none is told they were given (its goal table may be
    #: among them), not only that none was found
    unreadable: list = field(default_factory=list, repr=False, compare=False)
    #: the points file the expected 分值 come from (--weights): its points_tag and its name; None, "": the frameworks'
    points: str | None = None
    points_file: str = ""
    store: PackedStore = field(default_factory=lambda: PackedStore(), repr=False, compare=False)

    @classmethod
    def load(cls, paths, config: Config, weights=None, jobs: int | None = 1) -> TargetsIndex:
        """The self-evaluations the goal tables under `paths` give, read as for every form (``TargetSet``: in
        bounded workers; its ``errors_for`` names each goal table that cannot give one)."""
        from .._monitor._targets import TargetSet

        both = TargetSet.load(paths, config, weights, jobs)
        index = both.self_evaluation
        index.skipped = both.skipped
        return index

    @staticmethod
    def keys_of(expected: dict) -> tuple:
        """(targets_sha256, unit, project, year) of an expected document: what it is found by."""
        return expected["targets_sha256"], expected["unit"], expected["project"]["name"], expected.get("year")

    def add(self, packed: bytes, keys: tuple, path=None, filled_on: str = "") -> None:
        """Index an expected document, packed (by the worker that made it), by its `keys` (``keys_of``).  It waits
        packed on disk: a province's goal tables are tens of thousands, and every worker would hold the index in
        memory.  `path`: the goal table's file, named when its project has another approval (``competing``);
        with its `filled_on` (its 填报日期, ISO or ""), it ranks it among them (``serving_rank``): a return matched by
        unit and project is compared with the one template --targets made the project's form from, whatever the
        order the files are listed in (without a path: the first added)."""
        ref = self.store.put(packed)
        self.by_sha[keys[0]] = ref
        key = _name_key(keys[1], keys[2])
        year_key = (keys[3], *key)  # (keys_of gives the year always: None where the goal table has none)
        rank = None if path is None else serving_rank(path, filled_on)
        for index, tag, k in ((self.by_name, "name", key), (self.by_year, "year", year_key)):
            held = self.ranks.get((tag, k))
            if k not in index or (rank is not None and held is not None and rank > held):
                index[k], self.ranks[(tag, k)] = ref, rank
        self.names.setdefault(key, (keys[1], keys[2]))
        if path is not None:
            found = self.approvals.setdefault(year_key, {})
            if keys[0] in found:
                return
            if found:  # another approval of the project (rare): compared in content, the first listed kept
                content = approval_content(unpack(packed))
                one = next((sha for sha in found if sha not in self.twins and same_approval(
                    content, approval_content(unpack(self.store.get(self.by_sha[sha]))))), None)
                if one is not None:
                    self.twins[keys[0]] = one
            found[keys[0]] = os.fspath(path)

    def refuse(self, keys: tuple, path, why) -> None:
        """A goal table of `keys` (``refused_keys``) that was refused (`why`): looked up by ``refused_for`` where no
        usable one matches a return (the first listed kept, as ``add`` keeps it); one of no `keys` (nothing of it
        read) is kept in ``unreadable``."""
        if not keys:
            if all(os.fspath(path) != p for p, _ in self.unreadable):
                self.unreadable.append((os.fspath(path), why))
            return
        said = (os.fspath(path), why)
        if isinstance(keys[0], str):
            self.refused.setdefault(keys[0], said)
        key = _name_key(keys[1], keys[2])
        self.refused.setdefault((keys[3], *key), said)
        self.refused.setdefault(key, said)

    def refused_for(self, doc: dict) -> tuple | None:
        """(path, why) of a goal table refused that `doc` was made from, looked up as ``match`` looks (digest, then
        year, unit and project, then unit and project); None where none."""
        if not self.refused:
            return None
        found = (self.refused.get(key) for key in self._lookup_keys(doc))  # (None is no key of it)
        return next((f for f in found if f is not None), None)

    @staticmethod
    def _lookup_keys(doc: dict):
        """The keys a goal table of `doc` is looked up by, in turn (``match``, ``refused_for``): its digest, its year,
        unit and project (folded: ``_name_key``), its unit and project; None for one `doc` cannot give (a digest not
        a string, a year not a whole number).  Made as they are asked for: the digest mostly finds it."""
        sha = doc.get("targets_sha256")
        yield sha if isinstance(sha, str) else None  # a list or an object: the schema's to say
        key = _name_key(doc.get("unit"), get(doc, "/project/name"))
        year = doc.get("year")
        yield (year, *key) if _whole_year(year) else None
        yield key

    def _unreadable_said(self) -> tuple[str, str]:
        """What a return matched to no goal table is told of those given that could not be read at all (``unreadable``:
        its own may be among them, which no search would find), (zh, en); ("", "") when none."""
        if not self.unreadable:
            return "", ""
        n, shown = len(self.unreadable), self.unreadable[:3]
        more = "等" if n > 3 else ""
        listed = "；".join(f"{display_path(p)}（{in_lang(why, 'zh')}）" for p, why in shown)
        listed_en = "; ".join(f"{display_path(p)} ({in_lang(why, 'en')})" for p, why in shown)
        return (f"；另有 {n} 个绩效目标表无法读取（读不出其单位和项目），本表对应的可能就在其中：{listed}{more}；"
                "请让报送单位重新发送可以打开的绩效目标表后重新核对",
                f"; {n} goal table{'s' * (n != 1)} given could not be read (no unit or project could be read of "
                f"{'them' if n != 1 else 'it'}), and this return's may be among them: {listed_en}"
                f"{'; …' if n > 3 else ''}; have a goal table that opens sent again, then check again")

    def competing(self, expected: dict) -> list[str]:
        """The goal tables approving the project of `expected` (its year, unit and project, as ``match`` folds them)
        when they are more than one in content (two rounds: 原 and 调整), the first listed first; [] when one (a JSON
        and the workbook filled from it are one: ``twins``)."""
        found = self._approvals_of(expected)
        distinct = [path for sha, path in found.items() if sha not in self.twins]
        return distinct if len(distinct) > 1 else []

    def _approvals_of(self, expected: dict) -> dict:
        """The approvals (targets_sha256 -> path) of the project of `expected`: its year, unit and project folded."""
        return self.approvals.get((expected.get("year"), *_name_key(expected.get("unit"),
                                                                    get(expected, "/project/name"))), {})

    def _competing_problem(self, doc: dict, expected: dict, form, rules) -> Problem | None:
        """``*.targets_competing`` (at the digest) when the project `doc` was matched to has two approvals or more:
        which compete, which one this return was compared with and how it was found, what to do."""
        tables = self.competing(expected)
        if not tables:
            return None
        sha = expected["targets_sha256"]
        # the approval listed: a twin (the JSON beside its workbook, matched by its digest) is named as the one it is
        used = display_path(self._approvals_of(expected)[self.twins.get(sha, sha)])
        by_digest = doc.get("targets_sha256") == sha
        listed = "、".join(display_path(t) for t in tables)
        listed_en = ", ".join(display_path(t) for t in tables)
        how, how_en = (("本表的目标表摘要与之一致", "this return's goal-table digest is its") if by_digest else
                       ("本表的目标表摘要与哪一份都不一致，按单位和项目名称取了应为准的一份（生成模板时所用的一份："
                        "工作簿先于 JSON，填报日期最新，文件最新）",
                        "this return's digest is neither's: matched by unit and project to the one that serves (the one "
                        "template --targets makes the form from: a workbook before a JSON document, the latest "
                        "填报日期, the newest file)"))
        return rules.problem(self.competing_code, path="/targets_sha256", field=form.title_of("/targets_sha256"),
                             field_en=form.title_of("/targets_sha256", "en"), value=used,
                             shown=used, shown_en=used, expected=listed, expected_en=listed_en,
                             detail=how, detail_en=how_en, other=len(tables))

    def match(self, doc: dict) -> dict | None:
        """The expected document of the goal table `doc` was made from: by digest, else by unit and project (their
        width, spaces and bracket forms aside: a goal table saved again with “(一期)” for “（一期）”), the goal table of
        the return's year first (a recurring project's goal tables of two years given together), else of another
        year (the year is then compared: a 2020 return against the 2021 goal table only)."""
        for index, key in zip((self.by_sha, self.by_year, self.by_name), self._lookup_keys(doc)):
            found = index.get(key) if key is not None else None
            if found is not None:
                return unpack(self.store.get(found))
        return None

    # What the comparison covers; the monitoring report's index (TargetSet) overrides these.
    form_id: ClassVar[str] = FORM_ID
    unmatched_code: ClassVar[str] = "self.targets_unmatched"
    refused_code: ClassVar[str] = "self.targets_refused"
    competing_code: ClassVar[str] = "self.targets_competing"
    other_version_code: ClassVar[str] = "self.targets_other_version"
    other_year_code: ClassVar[str] = "self.targets_other_year"
    changed_code: ClassVar[str] = "self.target_changed"
    missing_code: ClassVar[str] = "self.target_row_missing"
    moved_code: ClassVar[str] = "self.target_rows_moved"
    renumbered_code: ClassVar[str] = "self.target_ids_renumbered"
    extra_code: ClassVar[str] = "self.target_row_extra"
    initial_code: ClassVar[str] = "self.initial_budget_changed"
    item_keys: ClassVar[tuple[str, ...]] = ("id", "level1", "level2", "name", "points")

    def header_paths(self, form) -> list[str]:
        """The header fields taken from the goal table: the year (a department may correct it, not change it: a
        2020 self-evaluation against a 2021 goal table passed), and the form's locked fields, the digest aside."""
        return ["/year", *(f.path for f in form.fields if f.locked and f.path not in ("/targets_sha256", "/year"))]

    def points_elsewhere(self, stamp, expected: dict | None = None, fw=None) -> dict | None:
        """The points scheme a return's `stamp` (the reader's parsed stamp) says its 分值 were made from, when the
        expected 分值 here (`expected`: the goal table's expected document, whose points_source says where they
        come from; else this check's --weights or the framework's) come from another scheme (same_points): {"weights":
        its file's name, "points": the stamp's points}; None when the stamp records none (a form made before stamps
        recorded it) or the same scheme (the framework's points unchanged, a points file of the same points, the goal
        table's own 分值).  A stamp made before the framework's digest was kept (``points=framework``) is taken as
        the points of the return's framework `fw` as it is now: checked with a points file of the same points,
        compared (the packaged examples' stamps)."""
        params = (stamp or {}).get("params") or {} if isinstance(stamp, dict) else {}
        tag = params.get("points")
        if not isinstance(tag, str) or not tag:
            return None
        if tag == FRAMEWORK_POINTS and getattr(fw, "self_evaluation", None) is not None:
            tag = dict(stamp_params(None, fw.self_evaluation))["points"]
        used = get(expected, "/points_source/points") if isinstance(expected, dict) else None
        if not isinstance(used, str) or not used:
            used = self.points or FRAMEWORK_POINTS
        if same_points(tag, used):
            return None
        return {"weights": params.get("weights") or "", "points": tag}

    def _points_problem(self, made: dict, rules, fw=None) -> Problem:
        """self.points_source, once for the file: the 分值 made from another points scheme are not compared.  Made
        with the framework's points and checked with the framework's (no --weights): the framework's points were
        changed since the template was made (the bureau corrected its framework after issuing)."""
        if made["points"].startswith(FRAMEWORK_POINTS):  # made without --weights
            if self.points is None:  # and checked without: the framework's points are no longer those it was made with
                found, found_en = ("生成模板时指标体系的分值（未用 --weights）",
                                   "the framework's points when the template was made (without --weights)")
                expected = "用 --weights 给出生成模板时指标体系的分值（改动前的 self_evaluation 一节，另存为分值文件）"
                expected_en = "with --weights giving the framework's points as they were when the template was made " \
                    "(its self_evaluation section before the change, saved as a points file)"
            else:
                found, found_en = "指标体系的分值（生成模板时未用 --weights）", "the framework's points (made without --weights)"
                expected, expected_en = "不用 --weights（按指标体系的分值）", "without --weights"
        else:
            name = made["weights"] or "（文件名未记录）"
            name_en = made["weights"] or "(name not recorded)"
            found, found_en = f"分值文件“{name}”（生成模板时用了 --weights）", \
                f"the points file '{name_en}' (made with --weights)"
            expected, expected_en = f"用 --weights 给出分值文件“{name}”", f"with --weights giving the points file '{name_en}'"
        if self.points is None:
            if made["points"].startswith(FRAMEWORK_POINTS):
                named = f"“{fw.id}”" if fw is not None else ""
                detail = f"按指标体系{named}现在的分值，与生成模板时不同（指标体系的分值在下发模板后被改动）"
                detail_en = f"used the framework{' ' + repr(fw.id) if fw is not None else ''}'s points as they are " \
                    "now, which differ from those the template was made with (the framework's points were changed " \
                    "after the templates were issued)"
            else:
                detail, detail_en = "未给出 --weights（按指标体系的分值）", "was given no --weights (the framework's points)"
        else:
            detail = f"所给的分值文件“{self.points_file}”分值与之不同"
            detail_en = f"was given the points file '{self.points_file}', whose points differ"
        return rules.problem("self.points_source", value=found, value_en=found_en, expected=expected,
                             expected_en=expected_en, detail=detail, detail_en=detail_en)

    def problems(self, doc, rules, cleared=(), unread=None, stamp=None, fw=None, intact: bool = False
                 ) -> list[Problem]:
        """Every locked value of a return of this form that differs from its goal table's (located by pointer),
        its fields titled as the return's framework `fw` heads its columns (三级目标 in shanghai-2020; the packaged
        framework the document names where none is given).
        `cleared`: the approved rows (0-based) the reader found cleared where they stand
        (``template.locked_row_cleared``, said at their own rows): not said again as rows deleted.  `unread`: JSON
        pointer -> the error value (#N/A, or None where the file does not keep which) a locked cell shows, read as
        nothing (``Sources.unread``): said as the value found, not （空）.  `stamp`: the
        return's (the reader's); 分值 it says were made from another points file than this check's
        (points_elsewhere) are not compared, said once for the file (self.points_source), not as each changed.
        `intact`: the reader found every locked cell of the return's workbook as its template issued it (``issued_intact``):
        a digest other than the goal table's then says the form was made from another year's or version's goal
        table, which is said instead of each difference (``_made_from_another``)."""
        unread = unread or {}
        if not isinstance(doc, dict) or doc.get("form") != self.form_id:
            return []
        form = FORMS[self.form_id].for_document(doc)
        misshapen = _misshapen(doc, form, rules)
        if misshapen is not None:
            return misshapen
        expected = self.match(doc)
        if expected is None:
            # at the digest, by which (or by unit and project) a goal table was sought: an annotated copy marks it;
            # a goal table of a name near the return's (a project renamed by a character) is named
            titled = {"field": form.title_of("/targets_sha256"), "field_en": form.title_of("/targets_sha256", "en")}
            refused = self.refused_for(doc)
            if refused is not None:  # found, but refused (invalid, unreadable in part): said, and why
                where, why = display_path(refused[0]), refused[1]
                return [rules.problem(self.refused_code, path="/targets_sha256", **titled,
                                      detail=f"：{where}：{in_lang(why, 'zh')}；本表的锁定内容未经核对，请更正该绩效目标表后重新校验",
                                      detail_en=f": {where}: {in_lang(why, 'en')}; this return's locked values were "
                                                "not checked: correct that goal table and validate again")]
            near, near_en = NearNames.of(self, self.names).said(_name_key(doc.get("unit"), get(doc, "/project/name")))
            unread, unread_en = self._unreadable_said()
            return [rules.problem(self.unmatched_code, path="/targets_sha256", **titled, how=UNMATCHED_HOW[0],
                                  how_en=UNMATCHED_HOW[1],
                                  detail=(f"；名称相近的绩效目标表：{near}" if near else "") + unread,
                                  detail_en=(f"; goal tables of similar names: {near_en}" if near else "") + unread_en)]
        if fw is None:
            from .._frameworks import FrameworkSet

            fw = FrameworkSet.default().find(doc.get("framework"))
        made = self.points_elsewhere(stamp, expected, fw)
        out = [self._points_problem(made, rules, fw)] if made is not None else []
        if (competing := self._competing_problem(doc, expected, form, rules)) is not None:
            out.append(competing)

        def differs(path: str, found, want):
            if made is not None and path.endswith("/points"):  # (/funds/points too)
                return  # another points file's: said once above
            (value, value_en), (expected, expected_en) = _shown(found, unread, path), _shown(want)
            out.append(rules.problem(self.changed_code, path=path, field=form.title_of(path, fw=fw),
                                     field_en=form.title_of(path, "en"), value=value, value_en=value_en,
                                     expected=expected, expected_en=expected_en))

        for path in self.header_paths(form):
            if get(doc, path) != get(expected, path) and not (path in _NAMES and isinstance(get(doc, path), str)
                                                              and name_key(get(doc, path)) == name_key(get(expected, path))):
                differs(path, get(doc, path), get(expected, path))
        got = doc.get("indicators") or []  # a list of objects (_misshapen)
        want = expected["indicators"]
        aligned = _aligned(got, want)
        pairs, missing, added, moved = aligned
        renumbered_at = renumbered(aligned)
        if renumbered_at:  # rows deleted or added and the rest renumbered: once, at the first, not each 指标编号 changed
            rows, rows_en = first_listed(map(form.item_label, renumbered_at),
                                         (form.item_label(k, "en") for k in renumbered_at))
            out.append(rules.problem(self.renumbered_code, path=f"/indicators/{renumbered_at[0]}/id",
                                     field=form.table.name, field_en=form.table.name, value=len(renumbered_at),
                                     value_en=len(renumbered_at), detail=rows, detail_en=rows_en))
        if moved:  # rows sorted or moved: once, at the first out of place, not a 指标编号 changed on each
            rows, rows_en = first_listed(map(form.item_label, moved), (form.item_label(k, "en") for k in moved))
            out.append(rules.problem(self.moved_code, path=f"/indicators/{moved[0]}/id", field=form.table.name,
                                     field_en=form.table.name, value=len(moved), value_en=len(moved),
                                     detail=rows, detail_en=rows_en))
        unit_cell = any("unit" in col.item_keys for col in form.table.columns)
        comparator_cell = any("comparator" in col.item_keys for col in form.table.columns)
        for i, g, w in pairs:
            if (format_target(g), g.get("comparator")) != (format_target(w), w.get("comparator")):
                if unit_cell and g.get("unit") != w.get("unit") \
                        and format_target({**g, "unit": w.get("unit")}) == format_target(w):
                    # only the 计量单位 changed (% -> 人): said at its own cell, not at 年度指标值's
                    differs(f"/indicators/{i}/unit", g.get("unit") or None, w.get("unit") or None)
                elif comparator_cell and g.get("comparator") != w.get("comparator") \
                        and format_target({**g, "comparator": w.get("comparator")}) == format_target(w):
                    # only the 比较符 changed (定性 -> TRUE, ≥ -> ＞): said at its own cell, as it shows there, not
                    # at 年度指标值's (“填写为“合理”，应为“合理””)
                    shown = comparator_display(g.get("comparator"))  # (a list in a JSON document: as it is)
                    differs(f"/indicators/{i}/comparator", None if shown == "" else shown,
                            comparator_display(w.get("comparator")) or None)
                else:
                    differs(f"/indicators/{i}/value", shown_target(g) or None, shown_target(w) or None)  # as shown
            for key in self.item_keys:
                if not _same(g.get(key), w.get(key)) and not (key == "id" and renumbered_at):
                    differs(f"/indicators/{i}/{key}", g.get(key), w.get(key))
        # an amount about 10,000 times below the approved budget: typed in 万元 (the goal table the reference first)
        from .._check._figures import slips_against

        slips = slips_against(doc, get(expected, "/funds/initial_budget"), rules, form)
        out += slips + self._initial_budget_changed(doc, expected, rules, form, fw, slips)
        for j, at in missing:  # a row deleted: once, at the row where it stood (the last row for the last one)
            if j in cleared:
                continue
            w = want[j]
            name = w.get("name") or ""
            out.append(rules.problem(self.missing_code, path=f"/indicators/{at}/id" if at >= 0 else "/indicators",
                                     field=f"第{j + 1}条指标", field_en=f"indicator {j + 1}",
                                     expected=f"指标编号 {w.get('id')}，{form.column_label('name', fw=fw)}“{name}”",
                                     expected_en=f"id {w.get('id')}, '{name}'"))
        for k in added:  # a row added: once, at its name, or where it holds something (a note typed below)
            key, col = _first_filled(form, got[k])
            (name, name_en) = _shown(got[k].get(key))
            out.append(rules.problem(self.extra_code, path=f"/indicators/{k}/{key}", field=form.item_label(k),
                                     field_en=form.item_label(k, "en"), value=name, value_en=name_en,
                                     detail=form.column_label(col.key, fw=fw), detail_en=col.label_en))
        return self._made_from_another(doc, expected, out, rules, form) if intact else out

    def _made_from_another(self, doc: dict, expected: dict, out: list, rules, form) -> list[Problem]:
        """`out` (``problems``' of a return whose locked cells are as its template issued them: ``intact``) where the
        return carries another digest than the goal table it was matched to: what differs was no department's edit.
        The form was made from another year's goal table (last year's form sent in this year's round:
        ``*.targets_other_year``, the only problem said, nothing compared with another year's targets) or from another
        version of this approval (the bureau corrected the goal table after issuing: ``*.targets_other_version``, once,
        at the digest, naming what differs, in place of each value "changed" and each row "deleted" or "added").  `out`
        as it is where the digests agree or nothing differs (a JSON and the workbook filled from it: one approval)."""
        sha, want = doc.get("targets_sha256"), expected["targets_sha256"]
        if not isinstance(sha, str) or not sha or sha == want:
            return out
        codes = {self.changed_code, self.missing_code, self.moved_code, self.renumbered_code, self.extra_code}
        differing = [p for p in out if p.code in codes]
        if not differing:
            return out
        titled = {"field": form.title_of("/targets_sha256"), "field_en": form.title_of("/targets_sha256", "en")}
        approvals = self._approvals_of(expected)
        source = approvals.get(self.twins.get(want, want)) or next(iter(approvals.values()), "")
        named, named_en = (f"“{display_path(source)}”", f" ({display_path(source)})") if source else ("", "")
        year, approved = doc.get("year"), expected.get("year")
        if _whole_year(year) and _whole_year(approved) and year != approved:
            return [rules.problem(self.other_year_code, path="/targets_sha256", **titled, value=year, value_en=year,
                                  expected=approved, expected_en=approved, detail=named, detail_en=named_en)]
        said, said_en = [], []
        for p in differing:
            if p.code == self.changed_code:
                said.append(f"{p.field}：本表为“{p.value}”，该版本为“{p.expected}”")
                said_en.append(f"{p.field_title('en')}: '{p.found('en')}' here, '{p.expected_text('en')}' there")
            elif p.code == self.missing_code:
                said.append(f"该版本的{p.field}（{p.expected}）本表没有")
                said_en.append(f"{p.field_title('en')} of that version ({p.expected_text('en')}) is not here")
            elif p.code == self.extra_code:
                said.append(f"本表的{p.field}“{p.value}”该版本没有")
                said_en.append(f"{p.field_title('en')} '{p.found('en')}' is not in that version")
            elif p.code in (self.moved_code, self.renumbered_code):  # rows in another order, or otherwise numbered
                k = int(p.path.split("/")[2])  # (at the first such row: /indicators/k/id)
                first, first_en, n = form.item_label(k), form.item_label(k, "en"), p.value
                moved = p.code == self.moved_code
                said.append(f"{first}{f'等 {n} 条指标' if n != 1 else ''}的{'行序' if moved else form.column_label('id')}不同")
                said_en.append(f"{n} indicator{'s' if n != 1 else ''} from {first_en} "
                               + ("in another order" if moved else "numbered otherwise"))
        for p in out:  # 年初预算数 typed otherwise than that version's 当年预算: one of its differences, not dropped unsaid
            if p.code == self.initial_code:
                said.append(f"{p.field}：本表为 {p.value}，该版本的当年预算为 {p.expected}")
                said_en.append(f"{p.field_title('en')}: {p.found('en')} here, that version's current-year budget "
                               f"{p.expected_text('en')}")
        listed, listed_en = first_listed(said, said_en, most=3)
        kept = [p for p in out if p.code not in codes and p.code != self.initial_code]
        return kept + [rules.problem(self.other_version_code, path="/targets_sha256", **titled, value=sha[:12],
                                     value_en=sha[:12], expected=want[:12], expected_en=want[:12], detail=named,
                                     detail_en=named_en, other=len(said), listed=listed, listed_en=listed_en)]


    def _initial_budget_changed(self, doc, expected, rules, form, fw, slips) -> list[Problem]:
        """年初预算数 (prefilled with the approved 当年预算, left open) typed over with another figure: a warning naming
        both (``initial_code``), so that a summary does not publish the figure typed as approved unsaid.  Not locked,
        nor an error: a budget approved at the start of the year may differ from the one the goal table was drafted
        with (the form's own word is 年初预算数, the goal table's 当年预算), and the department keeps it where so.  Not
        said where the scale rules already said the amount looks typed in 万元 (one slip, one problem)."""
        path = "/funds/initial_budget"
        found, want = get(doc, path), get(expected, path)
        if not isinstance(found, (int, float)) or isinstance(found, bool) or any(p.path == path for p in slips):
            return []
        got, approved = dec(found), dec(want)
        if got is None or approved is None or got == approved:
            return []
        (value, value_en), (shown, shown_en) = yuan(got), yuan(approved)
        return [rules.problem(self.initial_code, path=path, field=form.title_of(path, fw=fw),
                              field_en=form.title_of(path, "en"), value=value, value_en=value_en, expected=shown,
                              expected_en=shown_en)]

    #: an indicator's values the goal table gives besides ``item_keys``: its target
    target_keys: ClassVar[tuple[str, ...]] = ("comparator", "value", "text", "unit")

    def locked_compared(self, doc, fw=None, points_elsewhere: bool = False) -> tuple[list, list] | None:
        """(checked, not checked): the titles of the values the form of `doc` locks (its locked header fields, its
        locked table columns under framework `fw`, the 序号 aside: a row's place, not a value) that ``problems``
        holds to the approved goal table, and those it does not; None where it compares nothing (a return of another
        form, or one whose goal table is not here).  `points_elsewhere`: the 分值 are another points file's, not
        compared (self.points_source)."""
        if not isinstance(doc, dict) or doc.get("form") != self.form_id or self.match(doc) is None:
            return None
        form = FORMS[self.form_id].for_document(doc)
        header = set(self.header_paths(form))
        keys = set(self.item_keys) | set(self.target_keys)
        if points_elsewhere:
            header.discard("/funds/points")
            keys.discard("points")
        checked: list = []
        unchecked: list = []
        for f in form.fields:
            if f.locked and f.path != "/targets_sha256":  # (the digest: how the goal table was found)
                (checked if f.path in header else unchecked).append(form.title_of(f.path, fw=fw))
        for col in form.columns(fw):
            if col.locked and col.kind != "seq":
                (checked if keys & set(col.item_keys) else unchecked).append(col.label)
        return checked, unchecked

    def restored(self, doc, stamp=None, fw=None) -> dict | None:
        """A copy of `doc` with the goal table's values where the return changed what the form locks (a target, a
        分值, the header), for the checks to score and compare against what was approved; None when its goal table
        is not found or nothing locked was changed.  Rows deleted or added stay as they are; 分值 made from another
        points file than this check's (`stamp`, `fw`: points_elsewhere) stay the return's own."""
        if not isinstance(doc, dict) or doc.get("form") != self.form_id:
            return None
        expected = self.match(doc)
        if expected is None:
            return None
        own_points = self.points_elsewhere(stamp, expected, fw) is not None
        import copy

        from .._pointers import get as get_at, put

        out, changed = copy.deepcopy(doc), False
        for path in self.header_paths(FORMS[self.form_id].for_document(doc)):
            if own_points and path == "/funds/points":
                continue
            want = get_at(expected, path)
            if get_at(out, path) != want:
                try:
                    put(out, path, want)
                except (AttributeError, TypeError):  # a parent that is no object: the schema says so
                    continue
                changed = True
        got = out.get("indicators")
        if isinstance(got, list):
            rows = [g if isinstance(g, dict) else {} for g in got]
            pairs, _, _, _ = _aligned(rows, expected["indicators"])
            for i, g, w in pairs:
                if not w or not isinstance(got[i], dict):
                    continue
                for key in (*self.item_keys, *self.target_keys):
                    if key == "id" or _same(g.get(key), w.get(key)) or (own_points and key == "points"):
                        continue
                    changed = True
                    if key in w:
                        got[i][key] = w[key]
                    else:
                        got[i].pop(key, None)
        return out if changed else None


def _misshapen(doc: dict, form, rules) -> list[Problem] | None:
    """The schema's problems of a return whose indicators are not a list of objects (5, a text, [1, 2]), as the JSON
    path reports it (``check_json_file``: schema.type, 应为 列表 / 对象), for its rows cannot be compared with its goal
    table's (every row "deleted" or "changed"); None for a return of the form's shape (indicators left out: none)."""
    items = doc.get("indicators", [])
    if isinstance(items, list) and all(isinstance(it, dict) for it in items):
        return None
    from .._check._jsondoc import misshapes
    from .._check._schema import schema_problems

    found = [p for p in schema_problems(doc, form=form, rules=rules) if p.is_error]
    return [p for p in found if misshapes(p)] or found


def _first_filled(form, row: dict) -> tuple:
    """(item key, column) that names a row: its 三级指标, or where it has none (a note typed below the rows), the
    first cell of the row that holds something."""
    cols = [c for c in form.columns() if c.kind != "seq"]
    if row.get("name") in (None, ""):
        for col in cols:
            key = next((k for k in col.item_keys if row.get(k) not in (None, "")), None)
            if key is not None:
                return key, col
    return "name", form.column("name")


_NAMES = ("/unit", "/project/name")  # matched as name_key folds them: not "changed" for a bracket's width


def _same(found, want) -> bool:
    """Whether a locked value of a return's row is its goal table's: equal, or two texts alike but for the invisible
    characters a paste leaves (U+200B, U+2060, a BOM: ``pasted_stripped``), which the reader drops from a list's
    value and holds two names apart by nowhere (rule.duplicate_name): a goal table given as JSON whose 三级指标
    carries a U+2060 and a return whose cell lost it (retyped, or a client's save) hold the same name."""
    if found == want:
        return True
    return type(found) is str and type(want) is str and pasted_stripped(found) == pasted_stripped(want)


def _name_key(unit, project) -> tuple[str, str]:
    return name_key(unit), name_key(project)


def _aligned(got: list[dict], want: list[dict]) -> tuple[list[tuple[int, dict, dict]], list[tuple[int, int]], list[int],
                                                        list[int]]:
    """(position in the return, its row, the goal table's row) to compare; (goal-table index, position in the
    return where it would stand, -1 for an empty table) of the rows deleted; positions of the rows added;
    positions of the rows moved (sorted: out of the goal table's order).

    Rows are matched by their 指标编号 when the rows of the return that carry one carry distinct ones of the goal
    table's (rows deleted, moved or added despite protection: the rows after them are not all "changed"); a moved
    row is compared with its own (by 指标编号) and named among the moved, and a row without one is an added row.
    Otherwise by position, a row past the return's end being a deleted row.

    A goal table as a workbook carries no 指标编号 (its rows are I001, I002, … by position), the same one as JSON
    may carry its own: a return made from the one is held to the other by what its 指标编号 say (``_same_ids``)."""
    got, want = _same_ids(got, want)
    ids = [w.get("id") for w in want]
    got_ids = [g.get("id") if g.get("id") not in ("", None) else None for g in got]
    kept = [k for k, i in enumerate(got_ids) if i is not None]  # positions of the rows that carry an id
    known = [got_ids[k] for k in kept]
    by_id = {i: j for j, i in enumerate(ids)}
    # (an id a list or an object, which the schema reports, is no id to match by: tested before the set of them)
    if got_ids != ids and known and len(by_id) == len(ids) and all(isinstance(i, str) and i in by_id for i in known) \
            and len(set(known)) == len(known):
        present = set(known)
        order = iter(i for i in ids if i in present)  # the return's rows in the goal table's order
        pairs = [(k, got[k], want[by_id[got_ids[k]]]) for k in kept]
        moved = [k for k in kept if got_ids[k] != next(order)]
        missing, before = [], 0  # before: the goal table's rows before this one that are still there
        for j, i in enumerate(ids):
            if i in present:
                before += 1
            else:
                missing.append((j, kept[before] if before < len(kept) else len(got) - 1))
        by_ids = pairs, missing, [k for k, i in enumerate(got_ids) if i is None], moved
        if len(got) != len(want) and not moved:
            # a row deleted or inserted and the rest renumbered (I001 … I026, each an approved id): the ids pair every
            # row below it with the next approved one, all unlike; their content pairs them with their own
            by_content = _by_content(got, want)
            if _cost(by_content) < _cost(by_ids):
                return by_content
        return by_ids
    if len(got) != len(want):  # rows added or deleted (a row copied to split it: its 指标编号 twice, or the next one)
        return _by_content(got, want)
    return _by_position(got, want)


def _by_position(got: list[dict], want: list[dict]) -> tuple:
    """``_aligned`` row by row: each row of the return with the goal table's at its position, the goal table's rows
    beyond the return's missing (after its last row)."""
    pairs = [(k, g, want[k] if k < len(want) else {}) for k, g in enumerate(got)]
    return pairs, [(j, len(got) - 1) for j in range(len(got), len(want))], [], []


#: what a row of a return is told from another by, when its 指标编号 cannot match it with its goal table's
_ROW_KEYS = ("id", "level1", "level2", "name", "points", "comparator", "value", "text", "unit")


def _cost(aligned: tuple) -> float:
    """How far an alignment (``_aligned``'s) leaves a return from its goal table: its pairs' ``_unlike``, a row added
    or deleted counting as a row changed in every value."""
    pairs, missing, added, _ = aligned
    return sum(_unlike(g, w) for _, g, w in pairs) + len(missing) + len(added)


def renumbered(aligned: tuple) -> list[int]:
    """The positions in the return of the rows an alignment (``_aligned``'s) paired with approved rows of other
    指标编号, where rows were deleted or added and the rest renumbered (each row's 指标编号 a text, none twice): one
    renumbering, not each row's 指标编号 changed; [] otherwise (an id typed over, cleared, or the rows as many)."""
    pairs, missing, added, _ = aligned
    if not (missing or added):
        return []
    ids = [g.get("id") for _, g, _ in pairs]
    if not all(isinstance(i, str) and i for i in ids) or len(set(ids)) != len(ids):
        return []
    return [k for k, g, w in pairs if g.get("id") != w.get("id")]


def _unlike(g: dict, w: dict) -> float:
    """How far a return's row is from a goal table's: the share of the values either gives that differ (0: the same
    row, 1: nothing in common).  A key a row leaves out is blank, as one it gives as None (a JSON goal table's
    indicator without a unit, a workbook's row with its 计量单位 empty)."""
    return _unlike_values(_values(g), _values(w))


def _values(row: dict) -> tuple:
    """What ``_unlike_values`` compares of a row: (the keys of _ROW_KEYS it gives, as bits; their values, None for one
    it leaves out)."""
    return sum(1 << n for n, k in enumerate(_ROW_KEYS) if k in row), tuple(row.get(k) for k in _ROW_KEYS)


def _unlike_values(g: tuple, w: tuple) -> float:
    """``_unlike`` of two rows' ``_values``."""
    given = (g[0] | w[0]).bit_count()
    return sum(a != b for a, b in zip(g[1], w[1])) / given if given else 0.0


def _unlikes(got: list[dict], want: list[dict], at: int) -> dict:
    """_unlike of every row of `got` with every row of `want` (their positions from `at`), each row's values read
    once."""
    gv, wv = [_values(g) for g in got], [_values(w) for w in want]
    return {(i, j): _unlike_values(g, w) for i, g in enumerate(gv, start=at) for j, w in enumerate(wv, start=at)}


def _by_content(got: list[dict], want: list[dict]) -> tuple:
    """``_aligned`` for a return with more or fewer rows than its goal table whose 指标编号 do not tell them apart:
    the alignment (keeping the order of both) with the fewest rows added or deleted and the least changed, a row
    added or deleted costing as much as a row changed in every value.  One row copied or inserted is then one row
    added, and the rows below it are compared with their own, not each "changed" to the one above."""
    n, m = len(got), len(want)
    head = 0  # the rows the same at the top and at the bottom are each other's: aligned without the table below
    while head < min(n, m) and not _unlike(got[head], want[head]):
        head += 1
    tail = 0
    while tail < min(n, m) - head and not _unlike(got[n - 1 - tail], want[m - 1 - tail]):
        tail += 1
    ni, mj = n - tail, m - tail  # the rows between, aligned by the table
    if (ni - head) * (mj - head) > _ALIGN_CELLS:  # (a return of thousands of rows unlike its goal table's)
        return _by_position(got, want)
    unlike = _unlikes(got[head:ni], want[head:mj], head)
    cost = {}  # (i, j): the cost of got[i:ni] aligned with want[j:mj]
    for i in range(ni, head - 1, -1):
        for j in range(mj, head - 1, -1):
            if i == ni or j == mj:
                cost[i, j] = float((ni - i) + (mj - j))
            else:
                cost[i, j] = min(unlike[i, j] + cost[i + 1, j + 1], 1 + cost[i + 1, j], 1 + cost[i, j + 1])
    pairs = [(k, got[k], want[k]) for k in range(head)]
    missing, added = [], []
    i = j = head
    while i < ni or j < mj:
        if i < ni and j < mj and cost[i, j] == unlike[i, j] + cost[i + 1, j + 1]:
            pairs.append((i, got[i], want[j]))
            i, j = i + 1, j + 1
        elif i < ni and (j == mj or cost[i, j] == 1 + cost[i + 1, j]):
            added.append(i)
            i += 1
        else:
            missing.append((j, i if i < n else n - 1))
            j += 1
    pairs += [(n - 1 - k, got[n - 1 - k], want[m - 1 - k]) for k in range(tail - 1, -1, -1)]
    return pairs, missing, added, []


#: the most pairs of rows ``_by_content`` compares (a return's rows against its goal table's, those the same at the
#: top and bottom aside): beyond, the rows are compared by position, as before it
_ALIGN_CELLS = 60_000


_DERIVED_ID = re.compile(r"I([0-9]{3,})")


def _same_ids(got: list[dict], want: list[dict]) -> tuple[list[dict], list[dict]]:
    """The return's rows and the goal table's, their 指标编号 made comparable where the two were made from the goal
    table in different files: one as JSON, which may give each indicator an id of its own (P02-01), the other as a
    workbook, which keeps none (I001, I002, …: its position).  A return's I00k then names the goal table's k-th row
    (its id of its own); a return's own ids, held to a goal table without any, are compared by position and not
    themselves compared (nothing in the goal table says what they should be).  Otherwise unchanged."""
    ids = [w.get("id") for w in want]
    got_ids = [g.get("id") for g in got]
    positional = [f"I{k + 1:03d}" for k in range(len(want))]
    given = [i for i in got_ids if isinstance(i, str) and i]
    if not given or ids == got_ids:
        return got, want
    if ids == positional:  # a goal table without ids of its own (a workbook); the return's are the JSON's
        if all(_DERIVED_ID.fullmatch(i) for i in given):
            return got, want
        return got, [{**w, "id": got_ids[k]} if k < len(got) and isinstance(got_ids[k], str) and got_ids[k] else w
                     for k, w in enumerate(want)]
    if all(_DERIVED_ID.fullmatch(i) for i in given):  # the return made from the workbook, the goal table as JSON
        def own(i):
            m = _DERIVED_ID.fullmatch(i) if isinstance(i, str) else None
            n = int(m.group(1)) if m else 0
            return ids[n - 1] if 1 <= n <= len(ids) else i
        return [{**g, "id": own(g.get("id"))} if g.get("id") else g for g in got], want
    return got, want


def _shown(v, unread=None, path: str = "") -> tuple[str, str | None]:
    """A value as the report shows it, and its English where it is our word rather than the value: （空）; a cell
    read as nothing for the error value it shows (`unread`: JSON pointer -> #N/A, or None where the file does not
    keep which) as that error value, not as （空）."""
    if (v is None or v == "") and unread and path in unread:
        return (unread[path], None) if unread[path] else ("错误值", "an error value")
    return ("（空）", "(empty)") if v is None or v == "" else (value_text(v), None)
