"""Validate returns: read each file, check it against its form's JSON Schema, then the rule table.

``validate(paths)`` returns a ValidationReport whose FileReports carry every Problem with
its sheet and cell; the terminal report, JSON, CSV and annotated copies are all made from it.
"""

from __future__ import annotations

import copy
from decimal import Decimal

import functools
import os
from dataclasses import field, replace

from .._config import Config, config_of
from .._args import flag, form as checked_form, inputs, path as checked_path, paths as given, review as checked_review
from .._decimals import dec, held_number, plain_numbers, yuan
from .._errors import ConfigError
from .._form import FORMS, GOAL_TABLE, document_stamp
from .._form._kinds import format_number, number_out
from .._form._model import numbered_as_printed
from .._parallel import check_jobs, pmap
from .._paths import (SKIP_UNKNOWN, beside_original, SKIP_XLGOALS, as_list, holds_a_workbook, looking_once, scan, text_path, unlisted_folders,
                      typed_suffix)
from .._pointers import get
from .._problems import ERROR, OFF, WARNING, FileReport, Problem
from .._record import record
from .._read import ReadResult, read
from .._read._safety import annotated_copy, edited_copy, reading_annotated
from ._rules import CHECKS, Env
from ._schema import schema_problems

NO_PREVIOUS = "review.no_previous"  # a goal table none of last year's returns (--previous) is
PREVIOUS_COMPETING = "review.previous_competing"  # last year's return in differing versions: compared with none


@record
class ValidationReport:
    """What ``validate()`` returns: a FileReport per file checked, and every other file accounted for."""

    files: list[FileReport] = field(default_factory=list)
    strict: bool = False
    skipped_reasons: dict = field(default_factory=dict)  # path -> (zh, en) why it was not checked
    #: of them, the JSON files a folder gave that proved no return's document (another program's JSON), as counted
    #: when they were checked: the “no return found” line says them
    not_documents: int = 0
    ignored: list[str] = field(default_factory=list)  # editor and system droppings (~$x.xlsx, .DS_Store …)
    review: bool = False  # review notices and scores were computed (validate --review)
    previous: bool = False  # last year's returns were given (--previous): goal tables were compared with them
    previous_problems: list[Problem] = field(default_factory=list)  # last year's files that could not be used
    target_errors: list[str] = field(default_factory=list)  # goal tables given with targets= that could not be used
    target_problems: list[Problem] = field(default_factory=list)  # both, as targets.unusable problems per file
    #: checked under --targets: a goal table among the files checked without targets.goal_table_returned is one of
    #: the approvals (``approvals``), not a file of another form
    targets: bool = False
    #: the annotated copies made for this run (``cli._annotate``): counts by why each was made; the report says them
    #: when the review was on (a passing file's copy is made then only)
    annotated: dict | None = None
    #: with --annotate, each file's copy (``cli._annotate``): path -> (the copy's path, or None with the reason, a
    #: Bilingual, why none was made); a file that got no copy (it passes) is not in it.  The JSON and CSV reports
    #: give each file its copy from it, so that a script knows which copy to send to whom
    copies: dict = field(default_factory=dict)
    #: an annotated copy the department edited and sent back, checked beside the file it marks: the copy's path ->
    #: that file's (the duplicate rule counts the copy before it among returns that pass or fail alike)
    corrected: dict = field(default_factory=dict)
    #: the FrameworkSet the files were checked with (a bureau's --frameworks): the text report's headings name the
    #: columns as its frameworks label them; None: the packaged ones
    frameworks: object = field(default=None, compare=False, repr=False)

    def copy_of(self, path) -> tuple:
        """(the copy of file `path`, or None; the reason, or None) under --annotate."""
        return self.copies.get(path, (None, None))

    @property
    def skipped(self) -> list[str]:
        """The files found in folders and not checked, sorted."""
        return sorted(self.skipped_reasons)

    @property
    def valid(self) -> bool:
        # a goal table that could not serve leaves returns unchecked against it: it counts as its severity says
        unusable = any(p.is_error or (self.strict and p.severity == WARNING) for p in self.target_problems)
        return all(f.passes(self.strict) for f in self.files) and not unusable

    @property
    def nothing_checked(self) -> bool:
        """No file was checked (an empty, unsynced or wrong folder; every file found not checked, `skipped_reasons`
        says why): ``valid`` is then True, yet nothing passed; the command line exits 1, as consolidate's."""
        return not self.files

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if not f.passes(self.strict)]

    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]

    def approvals(self) -> list[FileReport]:
        """The goal tables checked that are among those given with --targets (validate 批复/ 收到/ --targets 批复/):
        the approvals themselves, not goal tables sent back (``goal_table_returned``)."""
        if not self.targets:
            return []
        return [f for f in self.files if f.form == GOAL_TABLE.id
                and not any(p.code == "targets.goal_table_returned" for p in f.problems)]

    def previous_counts(self) -> tuple[int, int, int] | None:
        """With --previous: (goal tables reviewed that found last year's return and were compared with it, those
        that found none: ``review.no_previous``, those that found it in differing versions and were compared with
        none: ``review.previous_competing``); None without it."""
        if not self.previous:
            return None
        reviewed = [f for f in self.files if f.form == GOAL_TABLE.id and f.review_score is not None]
        missing = sum(any(p.code == NO_PREVIOUS for p in f.problems) for f in reviewed)
        competing = sum(any(p.code == PREVIOUS_COMPETING for p in f.problems)
                        and not any(p.code == NO_PREVIOUS for p in f.problems) for f in reviewed)
        return len(reviewed) - missing - competing, missing, competing


def rule_problems(doc, config: Config, form=GOAL_TABLE, env: Env | None = None) -> list[Problem]:
    """Run every business rule of the table over a document (`env`: one made by ``check_env`` for it)."""
    env = env or check_env(doc, config, form)
    return _run(config.rules.checks_for(env.form.id), doc, env) if env is not None else []


def review_problems(doc, config: Config, review, form=GOAL_TABLE, env: Env | None = None) -> list[Problem]:
    """Run the rule table's review checks (目标审核) over a document, with the review's thresholds."""
    env = env or check_env(doc, config, form, review)
    return _run(config.rules.checks_for(env.form.id, review=True), doc, env, review) if env is not None else []


def check_env(doc, config: Config, form, review=None) -> Env | None:
    """What the checks of one document share (the form, its framework, the rule table, the review, what one
    check computes for others); None when the document names no known framework (no rule can run)."""
    fw = config.frameworks.find(doc.get("framework")) if isinstance(doc, dict) else None
    return None if fw is None else Env(form, fw, config.rules, review)


def framework_unknown(doc, config: Config, found_schema: list[Problem]) -> list[Problem]:
    """The error of a document naming a framework no loaded file defines (``check_env`` None: no rule, no review
    can run, so without it the document would pass unchecked): at /framework (in a workbook, the stamp cell), naming
    the frameworks loaded and how to give a bureau's own.  None where the schema already rejects the name (not
    text, not an id) or the document is none."""
    fid = doc.get("framework") if isinstance(doc, dict) else None
    if not isinstance(fid, str) or config.frameworks.find(fid) is not None \
            or any(p.path == "/framework" for p in found_schema):
        return []
    from .._errors import given_as

    ids, named = config.frameworks.ids(), given_as("--frameworks")
    return [config.rules.problem("schema.framework_unknown", value=fid, expected="、".join(ids),
                                 expected_en=", ".join(ids), path="/framework", detail=named, detail_en=named)]


def framework_unreviewed(unknown: list[Problem], config: Config) -> list[Problem]:
    """The review's notice on a return whose framework is not loaded (`unknown`: ``framework_unknown``'s error):
    no review check can run, so it is not scored, and says why (``review.framework_unknown``, ``unscored``)."""
    from .._errors import given_as

    named = given_as("--frameworks")
    return [config.rules.problem("review.framework_unknown", value=p.value, path="/framework", detail=named,
                                 detail_en=named) for p in unknown[:1]]


def stamped_unreviewed(result: ReadResult, config: Config) -> list[Problem]:
    """``framework_unreviewed`` of a workbook the reader could not read because its stamp names a framework not
    loaded (``template.unknown`` at /framework, the stamp kept in ``result.template``): the notice at the stamp
    cell, as a document's is at /framework."""
    fid = (result.template or {}).get("framework")
    unknown = [p for p in result.problems if p.code == "template.unknown" and p.path == "/framework"]
    if not unknown or not isinstance(fid, str):
        return []
    found = framework_unreviewed([replace(unknown[0], value=fid)], config)
    for p in found:
        p.sheet, p.cell, p.file = unknown[0].sheet, unknown[0].cell, result.path
    return found


def made_otherwise(stamp, config: Config, env, rules_at: str, fw_at: str) -> list[Problem]:
    """What a stamp (a workbook's, or what a JSON document keeps of it: ``document_stamp``) says of the bureau's own
    data its template was made from, where this check uses other: the rule table (``rules=``: template.other_rules)
    and the framework's version (``fw=``: template.other_framework), each said once, at `rules_at` and `fw_at` (a
    workbook's: /framework, the stamp cell).  A stamp recording neither (the packaged table and framework, or a
    template made before they were recorded) says nothing."""
    params = (stamp or {}).get("params") or {}
    found: list[Problem] = []
    made = params.get("rules")
    if isinstance(made, str) and not config.rules.made_under(made):
        found.append(config.rules.problem("template.other_rules", value=made, expected=config.rules.digest(),
                                          path=rules_at))
    made = params.get("fw")
    if isinstance(made, str) and env is not None:
        from .._frameworks import content_digest

        now = content_digest(env.fw)
        if made != now:
            found.append(config.rules.problem("template.other_framework", value=made, expected=now,
                                              path=fw_at, detail=env.fw.id))
    return found


def _run(plan, doc, env: Env, review=None) -> list[Problem]:
    """Run the checks of a plan (``RuleTable.checks_for``): those its sweep says may find something, in order."""
    checks, sweep = plan
    may = sweep(doc, env) if sweep is not None else None
    out: list[Problem] = []
    for k, (rd, params, fn) in enumerate(checks):
        if may is None or may[k]:
            out.extend(fn(rd, review.params(rd, params) if review is not None else params, doc, env))
    return out


# the check kinds of a return the review does not score, and why: nothing it reads filled in; all of that unreadable;
# its framework not loaded (no review check could run)
UNSCORED = {"review_unfilled": "unfilled", "review_unreadable": "unreadable",
            "review_framework": "framework_unknown", "review_no_indicators": "no_indicators"}


def _unfilled_alone(found: list[Problem], rules) -> list[Problem]:
    """A return with nothing to review (``review.unfilled``, ``review.unreadable``) gets that notice alone: what the
    other checks say of blanks (a blank name found in no return of last year) is no review of the department's
    work."""
    unfilled = [p for p in found if getattr(rules.get(p.code), "check", None) in UNSCORED]
    return unfilled or found


def unscored(problems, rules) -> str | None:
    """Why the review did not score a return: "unfilled" (nothing filled in, a ``review_unfilled`` problem among
    `problems`), "unreadable" (what was filled in could not be read, ``review_unreadable``), "framework_unknown"
    (its framework not loaded, ``review.framework_unknown``), "no_indicators" (a goal table with no indicator,
    ``review.no_indicators``); None where it did."""
    return next((UNSCORED[k] for k in (getattr(rules.get(p.code), "check", None) for p in problems)
                 if k in UNSCORED), None)


def locate(result: ReadResult, problems: list[Problem]) -> None:
    for p in problems:
        if not p.cell and p.path:
            p.sheet, p.cell = result.source_of(p.path)
        p.file = result.path


def _framework_named(doc) -> str:
    """The framework id a document names, "" where it names none (or no text)."""
    fid = doc.get("framework") if isinstance(doc, dict) else None
    return fid if isinstance(fid, str) else ""


def check_result(result: ReadResult, config: Config | None = None, review=None, issued: bool = False) -> FileReport:
    """Schema and rule problems for a read result, merged with the reader's own, located and deduplicated.

    With `review` (a loaded Review) the review checks run too and the report gets its review_score.  Messages
    name the items of a workbook by the 序号 their rows print (``numbered_as_printed``).  `issued`: the document's
    locked values are the issued ones (restored from the approved goal table by validate --targets), so a row the
    reader found typed over is scored as issued (``_unscored_rows`` does not apply).
    """
    with numbered_as_printed(result.numbers):
        return _check_result(result, config, review, issued)


#: The checks advising a row's 得分 from its 分值 and target (重算应为, 应为 ≤ 分值, a grade's band of the 分值)
_SCORE_ADVICE = frozenset({"score_recomputed", "score_le_points", "grade_band"})


def _unscored_rows(reader: list, found: list, cfg: Config) -> list:
    """`found` without the score advice on a row the reader found typed over (template.locked_row_changed): its 分值
    or target may be the value typed in, and a score recomputed from it (应为 10, from a 分值 raised to 10) would tell
    the department to keep the change.  The reader's error says the score cannot be checked until the row is restored;
    validate --targets, which knows the issued values, scores the row by them instead."""
    rows = {_sheet_row(p) for p in reader if p.code == "template.locked_row_changed" and p.cell}
    if not rows:
        return found
    advice = {code for code, rd in cfg.rules.rules.items() if rd.check in _SCORE_ADVICE}
    return [p for p in found if not (p.cell and p.code in advice and _sheet_row(p) in rows)]


def _sheet_row(p) -> tuple:
    """(sheet, row number as the cell names it) of a Problem with a cell."""
    return (p.sheet, p.cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))


def _check_result(result: ReadResult, config: Config | None, review, issued: bool) -> FileReport:
    cfg = config or Config.load()
    report = FileReport(path=result.path, sha256=result.sha256, document=result.document, form=result.form,
                        framework=_framework_named(result.document))
    problems = list(result.problems)
    env = None
    if result.document is not None:
        form = FORMS.get(result.form, GOAL_TABLE).for_document(
            result.document, getattr(result.sources, "older_labels", False))  # (the heads its sheet holds)
        reader_errors = [p for p in problems if p.is_error]
        # a value the reader could not take (a negative amount, kept for the schema) is reported once, where it
        # stands: the rules see it blank, so none computes with it (a score, a rate) or compares it again
        # (not the list of items itself: 超过最大行数 at /indicators left the rules no item, and “缺少必填的一级指标”)
        unreadable = {p.path for p in reader_errors if p.path and p.path != form.table.item_path}
        seen = _blanked(result.document, unreadable) if unreadable else result.document
        env = check_env(seen, cfg, form, review)  # one for the schema's titles, the rules and the review
        report.unread = frozenset(unreadable)  # (blank to consolidate and frames() as well: ``counted``)
        if env is not None:  # what the reader could not take: blank to the rules, but not left blank by the department
            env.cache["unreadable"] = frozenset(unreadable)
            # targets whose number format shows a unit (≥3天) the row does not give: the reader's warning says it
            # (cell.target_format_conflict, naming 天); the review's “no unit” is the same cause, not said again
            env.cache["unit_shown"] = _units_shown(result, problems)
            # required fields left empty under another's merge: their error says so (the cell cannot be typed into)
            env.cache["merged_over"] = getattr(result.sources, "merged_over", None) or {}
            # numbers a percent cell shows a hundredfold: the reader's question says what the rules find of them as
            # read (_fractions_meant), so monitor.expected_short does not leave them to monitor.percent_hundredfold
            env.cache["shown_hundredfold"] = frozenset(p.path for p in problems
                                                       if p.code == "cell.percent_hundredfold" and p.path)
            # approved rows cleared where they stand (template.locked_row_cleared), deleted or added (fewer or more
            # rows than the template's record: template.locked_rows_count): their 分值 is not read or is more than
            # issued, and the points total they leave short or over is that one cause (self.points_total says
            # nothing of it)
            env.cache["rows_off_record"] = bool(_cleared(result)) or _rows_counted_off(problems)
        facts = _reader_facts(env)
        found_schema = schema_problems(result.document, form=form, rules=cfg.rules, fw=env.fw if env else None)
        unknown = []
        if env is None:  # no rule can run: said at the stamp cell, and the review gives no score (saying why)
            unknown = framework_unknown(result.document, cfg, found_schema)
            found_schema += unknown
        # (not the rules' findings: what the stamp says of the tables, the 万元 hint at a refused amount; said apart,
        # never merged into an amount's 万元 warning as what the rules find of it as typed, as for a JSON document)
        apart = made_otherwise(result.template, cfg, env, "/framework", "/framework")
        if env is not None:  # an amount in 万元 refused for its decimals: the 万元 hint beside the decimals error
            from ._figures import refused_in_wan

            apart += refused_in_wan(reader_errors, seen, form, cfg.rules)
        found_rules = _the_departments(rule_problems(seen, cfg, form, env), form) + apart
        locate(result, found_schema + found_rules)
        if result.form == "monitoring":  # where its cumulative figures stand (consolidate compares the rounds)
            from .._monitor._summary import cumulative_paths, rounds_of

            report.cells = {p: result.source_of(p) for p in cumulative_paths(result.document)}
            report.rounds = rounds_of(seen, cfg.rules)  # (one project's rounds compared: cumulative_between_rounds)
        found_rules = _explained_by_reader(problems, found_rules)
        if not issued:
            found_rules = _unscored_rows(problems, found_rules, cfg)
        if env is not None:
            found_rules = _scaled_meant(_fractions_meant(problems, found_rules, seen, cfg, form, facts), seen, cfg,
                                        form, apart={id(p) for p in apart}, facts=facts)
        # an empty cell the reader already explained as an error (an error value, a dropdown value that is none of
        # the choices) needs no "left empty" message too (required, 未选择, 未填写); one it only warned of (a formula
        # showing nothing) still leaves the field unfilled
        explained = {(p.sheet, p.cell) for p in reader_errors if p.cell} | _covered(result)
        found_rules = [p for p in found_rules if not (p.cell and (p.sheet, p.cell) in explained
                                                      and _says_blank(p, cfg))]
        # (a reader's warning there, a formula or a hidden row, explains nothing the schema says)
        specific = explained | {(p.sheet, p.cell) for p in found_rules if p.cell}
        # A cell the reader or a rule already explains needs no second, vaguer schema message; nor does the target
        # of a row whose comparator could not be read (约): the schema would judge it by that comparator, and say
        # both that it is missing and that it should not be there
        unread_rows = {path.rpartition("/")[0] for path in unreadable if path.endswith("/comparator")}
        problems += [p for p in found_schema if ((p.sheet, p.cell) not in specific or not p.cell)
                     and not _judged_by(p.path, unread_rows)]
        problems += found_rules
        if review is not None:
            found_review = _unfilled_alone(_the_departments(review_problems(seen, cfg, review, form, env), form,
                                                            review=True), cfg.rules) \
                + framework_unreviewed(unknown, cfg)
            found_review = _placeholder_said(found_review, found_rules, seen, env)
            locate(result, found_review)
            problems += found_review
            if env is not None and unscored(found_review, cfg.rules) is None:  # compared where results are gathered
                from .._review._across import marks_of

                report.copy_marks = marks_of(seen, env, review, result.source_of)
    elif review is not None:  # a workbook of a framework not loaded fails in the reader: the review says why no score
        problems += stamped_unreviewed(result, cfg)
    seen = set()
    for p in problems:
        key = (p.code, p.sheet, p.cell, p.path, p.message)
        if p.severity == OFF:  # (a rule turned off runs nowhere; one given elsewhere by its code is not said either)
            continue
        if key not in seen:
            seen.add(key)
            report.problems.append(p)
    if review is not None and result.document is not None and env is not None:  # (no framework: nothing reviewed)
        from .._review import review_score

        report.review_score = review_score(report.problems, cfg.rules, review.settings)
    return report


#: What the reader found of a return that the rules are told (``Env.cache``, set by ``_check_result`` and
#: ``checked_document``), told them again when they run once more with a number read otherwise (``_found_as_meant``)
READER_FACTS = ("unreadable", "unit_shown", "merged_over", "shown_hundredfold", "rows_off_record")


def _reader_facts(env) -> dict | None:
    """The READER_FACTS `env` holds (None without an env: no rule runs)."""
    return None if env is None else {k: env.cache[k] for k in READER_FACTS if k in env.cache}


def _units_shown(result, problems: list) -> frozenset:
    """The target paths (/indicators/9/value) of the reader's cell.target_format_conflict warnings whose format
    shows a unit (``Sources.units_shown``, as the reader found them), among the warnings reported."""
    shown = getattr(result.sources, "units_shown", None)
    if not shown:
        return frozenset()
    return frozenset(p.path for p in problems if p.code == "cell.target_format_conflict" and p.path in shown)


#: A reader's warning at a cell -> the rules' problems it explains there, said no more: 95 in a percent cell, shown as
#: 9500% (``cell.percent_hundredfold``), is a target outside 0–100 % too, which the warning already says and explains.
#: So is a monitoring report's progress a hundredfold its percent target (``monitor.percent_hundredfold``), and a
#: result shown 9500 % outside 0–100 % (``self.actual_percent_range``, ``monitor.actual_percent_range``): one slip.
_EXPLAINS = {"cell.percent_hundredfold": frozenset({"rule.percent_range", "monitor.percent_hundredfold",
                                                    "self.actual_percent_range", "monitor.actual_percent_range"})}
_EXPLAINS_ERRORS = {  # a reader's error that says all a rule would at its cell: one slip, one problem
    "cell.logical_value": frozenset({"rule.value_kind"}),
}


def _explained_by_reader(problems: list, found_rules: list) -> list:
    """`found_rules` without those a reader's warning at the same cell explains (``_EXPLAINS``), nor those a
    reader's error there already says (``_EXPLAINS_ERRORS``: a TRUE typed as a target is not also a target that is
    no number)."""
    explained = {(code, p.sheet, p.cell) for p in problems if p.cell
                 # (_EXPLAINS_ERRORS' only as errors: a bureau's --rules making one a warning, the rule's error stands)
                 for code in (*_EXPLAINS.get(p.code, ()), *(_EXPLAINS_ERRORS.get(p.code, ()) if p.is_error else ()))}
    if not explained:
        return found_rules
    return [p for p in found_rules if (p.code, p.sheet, p.cell) not in explained]


#: A reader's question whether a number was meant otherwise -> (what it becomes with what the rules find only as
#: read, the factor giving the number meant): 0.88 on a row in % (88?); 9500 % shown by a percent cell holding 95 (95?).
_MEANT = {"cell.percent_fraction": ("cell.percent_fraction_rules", Decimal(100)),
          "cell.percent_hundredfold": ("cell.percent_hundredfold_rules", Decimal("0.01"))}


def _fractions_meant(problems: list, found_rules: list, seen: dict, cfg: Config, form,
                     facts: dict | None = None) -> list:
    """One slip, one problem.  A number the reader warned may be a percent written as a fraction (0.88 on a row in
    %, ``cell.percent_fraction``) is what the rules compare with the row's target, and they said so too: 0.88
    misses ≥85 % (no reason given), a score recomputed from 0.95 is not the one typed.  The rules run again over the
    numbers as the warning reads them (88); what they find on the row as typed and not as meant is the slip's, and
    said once, at its cell: the warning becomes ``cell.percent_fraction_rules`` quoting what the rules find if the
    fraction was meant (an error where any of them is: either way the return must change).  What the rules find
    either way stands as it is.  The same for a percent cell's number shown a hundredfold (9500 % of a 95 typed in
    LibreOffice, ``cell.percent_hundredfold``, read again as 95: ``cell.percent_hundredfold_rules``; ``_MEANT``).
    `problems` (the reader's) is changed in place; the rules' problems left are returned."""
    fractions = [(i, p) for i, p in enumerate(problems) if p.code in _MEANT and p.path]
    if not fractions or not found_rules:
        return found_rules
    either = _found_as_meant(seen, [(p.path, _MEANT[p.code][1]) for _, p in fractions], cfg, form, facts)
    if either is None:
        return found_rules
    rows: dict[str, list] = {}
    for i, p in fractions:
        rows.setdefault(p.path.rpartition("/")[0] + "/", []).append((i, p))
    slips: dict[int, list] = {}
    kept = []
    memo: dict[str, set] = {}
    factors = {p.path: _MEANT[p.code][1] for _, p in fractions}

    def alone(path: str) -> set:  # what the rules find with only the number at `path` read as a percent
        if path not in memo:
            memo[path] = _found_as_meant(seen, [(path, factors[path])], cfg, form, facts) or set()
        return memo[path]

    for p in found_rules:
        row = next((r for r in rows if p.path and p.path.startswith(r)), None)
        if row is None or (p.code, p.path) in either:
            kept.append(p)
            continue
        at = rows[row][0][0]  # the row's first fraction, unless another alone answers for it (progress, expected)
        if len(rows[row]) > 1:
            at = next((i for i, w in rows[row] if (p.code, p.path) not in alone(w.path)), at)
        slips.setdefault(at, []).append(p)
    for i, found in slips.items():
        w = problems[i]
        merged = cfg.rules.problem(_MEANT[w.code][0], file=w.file, sheet=w.sheet, cell=w.cell,
                                   field=w.field, field_en=w.field_en, value=w.value, expected=w.expected,
                                   path=w.path, detail="；".join(p.message.rstrip("。") for p in found),
                                   detail_en="; ".join(p.message_en.rstrip(".") for p in found))
        if not any(p.is_error for p in found):
            merged.severity = WARNING
        problems[i] = merged
    return kept


def _scaled_meant(found_rules: list, seen: dict, cfg: Config, form, apart=frozenset(),
                  facts: dict | None = None) -> list:
    """One slip, one problem, for an amount the scale rules warn of as apparently typed in 万元 into a cell in 元
    (``self.amount_scale``, ``monitor.amount_scale``, a bureau's own row of their check kinds): the other rules
    compute with it as typed, and say so too (执行率 0 %, 资金得分 and 总分 not as recomputed, the sources not adding
    up to it).  As for a percent written as a fraction (``_fractions_meant``), the rules run again with the amount
    read in that unit; what they find as typed and not as meant is the slip's, said once in it: the warning becomes
    ``*.amount_scale_rules`` (``_figures.MEANT_CODES``), quoting what follows if the amount is meant as typed (an
    error where any of those is: either way the return must change).  Where they find the same either way, or
    nothing, the warning stays as it is.  `apart`: the ids of problems among `found_rules` that are none of the
    rules' findings (a workbook's stamp saying the template was made under other tables, the 万元 hint at another
    amount refused for its decimals): never merged, as a JSON document's are added after.  The rules' problems left
    are returned."""
    if not found_rules:  # (most returns: nothing to look at)
        return found_rules
    from ._figures import MEANT_CODES, _scale_rules, slip_factor

    meant_code = MEANT_CODES.get(form.id)
    # (only while it is an error: a bureau's table making it a warning would let a return pass whose scores do not
    # follow from its numbers; the rules' errors then stand, each at its cell)
    if meant_code is None or meant_code not in cfg.rules.rules or cfg.rules.rules[meant_code].severity != ERROR:
        return found_rules
    params = {rd.code: ps for rd, ps in _scale_rules(cfg.rules, form.id)}
    slips = []
    for i, p in enumerate(found_rules):
        if p.code in params and p.path and p.severity != OFF:
            factor = slip_factor(seen, p.path, form, params[p.code])
            if factor is not None:
                slips.append((i, p, factor))
    if not slips:
        return found_rules
    either = _found_as_typed_in(seen, [(p.path, f) for _, p, f in slips], cfg, form, facts)
    if either is None:
        return found_rules
    memo: dict[str, set] = {}

    def alone(p, factor) -> set:  # what the rules find with only this amount read in its unit
        if p.path not in memo:
            memo[p.path] = _found_as_typed_in(seen, [(p.path, factor)], cfg, form, facts) or set()
        return memo[p.path]

    slip_at = {i for i, _, _ in slips}
    merged: dict[int, list] = {}
    for k, q in enumerate(found_rules):
        if k in slip_at or (q.code, q.path) in either or id(q) in apart:
            continue
        at = slips[0][0]  # the first slip, unless another alone answers for it
        if len(slips) > 1:
            at = next((i for i, p, f in slips if (q.code, q.path) not in alone(p, f)), at)
        merged.setdefault(at, []).append(k)
    if not merged:
        return found_rules
    gone = {k for ks in merged.values() for k in ks}
    out = []
    for k, q in enumerate(found_rules):
        if k in merged:
            found = [found_rules[j] for j in merged[k]]
            amount = yuan(dec(get(seen, q.path)))
            p = cfg.rules.problem(meant_code, file=q.file, sheet=q.sheet, cell=q.cell, field=q.field,
                                  field_en=q.field_en, value=q.value, expected=q.expected, expected_en=q.expected_en,
                                  path=q.path, shown=amount[0], shown_en=amount[1], said=q.message.rstrip("。"),
                                  said_en=q.message_en.rstrip("."),
                                  detail="；".join(f.message.rstrip("。") for f in found),
                                  detail_en="; ".join(_sentence_on(f.message_en.rstrip(".")) for f in found))
            if not any(f.is_error for f in found):
                p.severity = WARNING
            out.append(p)
        elif k not in gone:
            out.append(q)
    return out


def _found_as_typed_in(seen: dict, paths: list, cfg: Config, form, facts: dict | None = None) -> set | None:
    """(code, path) of what the rules find of `seen` with each amount at `paths` ((path, factor) pairs) read in the
    unit it looks typed in, wherever in that unit the figure was: 14,201.51 万元 is any amount from 142,015,050 to
    142,015,150 元, its last digit rounded, so what the rules find at the figure ×10,000 alone (142,015,100 元 below a
    全年预计执行数 of 142,015,054.81? no; 13,908.69 万元 below 139,086,909.35? yes, by 9.35 元) may be the rounding's.  Found
    either way is what they find at both ends of that span and at its middle; None where no rule can run."""
    found = None
    for end in (-1, 0, 1):
        at = _found_as_meant(seen, [(path, factor, end * _half_last_digit(get(seen, path))) for path, factor in paths],
                             cfg, form, facts)
        if at is None:
            return None
        found = at if found is None else found & at
    return found


def _half_last_digit(value) -> Decimal:
    """Half a unit of the last digit `value` is written to (13908.69: 0.005; 14201.5: 0.05; 6280: 0.5): how far from
    it the figure rounded to it may have been."""
    held = held_number(value)  # (its digits as typed, trailing zeros dropped: 12000.0 is 1.2E+4)
    if held is None:
        return Decimal(0)
    return Decimal(5).scaleb(min(held.as_tuple().exponent, 0) - 1)


def _sentence_on(text: str) -> str:
    """An English message going on after a colon: its first word lower-cased (The execution rate -> the execution
    rate), not a name or an abbreviation (ID, 'Funds score')."""
    return text[0].lower() + text[1:] if len(text) > 1 and text[0].isupper() and text[1].islower() else text


def _found_as_meant(seen: dict, paths: list, cfg: Config, form, facts: dict | None = None) -> set | None:
    """(code, path) of what the rules find in `seen` with the numbers at `paths`, (path, factor) pairs, read as meant:
    times the factor (0.88 as 88; 9500, shown by a percent cell holding 95, as 95); (path, factor, shift) moves the
    number by `shift` first (a rounded figure's other end: ``_found_as_typed_in``).  `facts`: what the reader
    found that the rules were told (``READER_FACTS``: the values it could not take, the numbers a percent cell shows a
    hundredfold …), told them again: the rules run on the same return, one number read otherwise."""
    meant = copy.deepcopy(seen)
    for path, factor, *shift in paths:
        head, _, key = path.rpartition("/")
        parent = get(meant, head)
        if isinstance(parent, dict) and isinstance(parent.get(key), (int, float)) and not isinstance(parent[key], bool):
            parent[key] = number_out(float((Decimal(repr(float(parent[key]))) + sum(shift, Decimal(0))) * factor))
    env = check_env(meant, cfg, form)
    if env is None:
        return None
    if facts:
        env.cache.update(facts)
    return {(p.code, p.path) for p in rule_problems(meant, cfg, form, env)}


#: An item's keys whose presence the schema decides by the comparator (a number target, or a text one, and its unit).
_BY_COMPARATOR = ("value", "text", "unit")


def _judged_by(path: str | None, rows: set) -> bool:
    """Whether a schema problem at `path` is one of an item in `rows` about a key its comparator decides."""
    if not path or not rows:
        return False
    row, _, key = path.rpartition("/")
    return key in _BY_COMPARATOR and row in rows


def _negative_amounts(doc, form) -> set:
    """The JSON pointers of the form's amounts (kind ``amount``) that `doc` gives as a number below 0: what the
    schema refuses (schema.range) and a workbook's reader would not have taken (cell.amount_negative)."""
    return {f.path for f in form.fields if f.kind == "amount" and isinstance(v := get(doc, f.path), (int, float))
            and not isinstance(v, bool) and v < 0}


def counted(doc, form_id: str | None, unread=frozenset()):
    """`doc` as a summary (``consolidate``) and ``frames()`` count it: its amounts a reader refuses yet keeps as
    numbers blank, as a value the reader could not take at all is (kept as typed: a text, never counted).  Those
    are `unread`'s amounts (``FileReport.unread``: the pointers the reader reported, which the rules saw blank:
    cell.amount_decimals 123.456, cell.amount_precision 1e16, cell.amount_negative -100 in a workbook) and any
    negative (schema.range in a JSON document).  A JSON document's are blank already (``checked_document``): one
    rule for a workbook and a JSON return, for the summary and the frames, so an analyst's sum is the summary's; the
    document itself (read's JSON, the content's digest) is not changed."""
    if not isinstance(doc, dict):
        return doc
    form = FORMS.get(form_id or GOAL_TABLE.id, GOAL_TABLE)
    try:
        form = form.for_document(doc)
        refused = _negative_amounts(doc, form) | {p for p in unread if _is_amount(form, p)}
    except Exception:  # a document of a shape no workbook holds: the schema has said so; nothing to blank
        return doc
    return _blanked(doc, refused) if refused else doc


def _is_amount(form, path: str) -> bool:
    """Whether `path` is one of the form's amounts (kind ``amount``; no table column is one)."""
    field = form.find_field(path)
    return field is not None and field.kind == "amount"


def _blanked(doc: dict, paths: set) -> dict:
    """A copy of `doc` with the values at `paths` (JSON pointers the reader could not take) set to None."""
    import copy

    from .._pointers import get

    out = copy.deepcopy(doc)
    for path in paths:
        head, _, key = path.rpartition("/")
        parent = get(out, head) if head else out
        if isinstance(parent, dict) and key in parent:
            parent[key] = None
        elif isinstance(parent, list) and key.isdigit() and int(key) < len(parent):
            parent[int(key)] = None
    return out


def review_wanted(review, previous=None, library=None, review_config=None, rules=None):
    """Whether a call reviews: as `review` says (True, or a loaded Review; an explicit False: never, whatever else
    is given), or, when it is not said (None, the default), whether any of the review's inputs was given
    (`previous`, `library`, `review_config`), or the rule table in force (`rules`, a RuleTable) configures a review
    code (``RuleTable.review_configured``: a bureau raising a notice to an error): an input given is one the caller
    wants used, as the command line's --previous, --library, --review-config and --rules turn on --review."""
    review = checked_review(review)  # "yes": said, not taken for a loaded Review
    if review is None:
        return bool(previous or library or review_config or (rules is not None and rules.review_configured()))
    return review


def _review_of(review, cfg: Config, previous, library, review_config, jobs: int | None = 1):
    """The Review for a call: the one given (a loaded Review), one loaded when True or when any review input is
    given (``review_wanted``; last year's returns read on `jobs` workers), or None."""
    review = review_wanted(review, previous, library, review_config, cfg.rules)
    if not review:
        return None
    if review is True:
        from .._review import load_review

        return load_review(review_config=review_config, library=library, previous=previous, config=cfg, jobs=jobs)
    return review


def _placeholder_said(review: list, found: list, doc, env) -> list:
    """`review`'s problems without a short-narrative notice (``review.narrative_short``) on a cell whose text is a
    placeholder word (无, 无。: ``placeholder_of``) that a rule of `found` already speaks of (a required reason given
    as a placeholder: self.execution_unexplained): one cell, one mistake, one message.  A short real text keeps it."""
    if env is None or not any(p.code == "review.narrative_short" for p in review):
        return review
    from ._rules import placeholder_of, placeholder_texts

    texts = placeholder_texts(env)
    said = {p.path for p in found if p.path and p.severity != OFF and p.code != "review.narrative_short"}
    return [p for p in review if not (p.code == "review.narrative_short" and p.path in said
                                      and placeholder_of(get(doc, p.path), texts) is not None)]


def validate_file(path, *, rules=None, frameworks=None, config: Config | None = None, review=None,
                  previous=None, library=None, review_config=None, isolated: bool = True) -> FileReport:
    """Read and check one file; the FileReport keeps its document.

    `review=True` adds the review notices and the review_score (see ``validate``); so does any of `previous`,
    `library` and `review_config` unless `review=False` is said.  The file is read in a bounded child process
    (`isolated=False`: in this one), see ``read``.
    """
    path, isolated = checked_path(path), flag(isolated, "isolated", "isolated=")
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    rv = _review_of(review, cfg, given(previous), library, review_config)  # a generator of previous years: read once
    return check_result(read(path, config=cfg, isolated=isolated), cfg, rv)


def validate_document(doc: dict, *, rules=None, frameworks=None, config: Config | None = None,
                      form: str | None = None, review=None, previous=None, library=None,
                      review_config=None) -> list[Problem]:
    """Schema and rule problems of a JSON document (located by JSON pointer only); review ones with `review` (or
    any of `previous`, `library`, `review_config`).  `form`: the form's id; by default the one the document's
    ``form`` names (a self-evaluation's, a monitoring report's), else the goal table (whose documents may omit it)."""
    doc = plain_numbers(doc)  # (numpy's numbers as the numbers they are; Decimal('NaN') no number: said so)
    if form is None:
        named = doc.get("form") if isinstance(doc, dict) else None
        form = named if isinstance(named, str) and named in FORMS else GOAL_TABLE.id
    form = checked_form(form)  # "xyz": the forms there are, not a KeyError
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    return checked_document(doc, cfg, form, _review_of(review, cfg, previous, library, review_config))[0]


def checked_document(doc: dict, cfg: Config, form: str, rv=None) -> tuple[list[Problem], frozenset, dict, Env | None]:
    """``validate_document``'s problems of `doc` (a document of the form `form`, its id; `rv`: the Review, or None);
    the JSON pointers of its values the rules saw blank (a negative amount, a number or date no cell holds): what
    a workbook's reader would have refused, so blank in a summary too, as a workbook's refused cell
    (``check_json_file``); and the document as the rules saw it with their ``check_env`` (for the review's marks)."""
    f = FORMS[form].for_document(doc)
    seen = _scalar_items(doc, f)  # a JSON document may hold what no cell can: the schema has said so
    beyond = _beyond_a_workbook(doc, f, cfg)
    # 6280万元 where an amount goes: the reader's code, as in the workbook; blank to the rules as its cell is, and kept
    # as typed in the document (as read's document of the workbook keeps it: a pair of the two reads the same)
    typed = _refused_texts(doc, f, cfg)
    # a negative amount: the schema's schema.range, once; the rules see it blank, as they see one the reader
    # refused in a workbook (cell.amount_negative), so none computes with it (budget_zero, expected_over_budget …);
    # so is a number or a date no cell holds (an amount to a fraction of a fen, any number beyond 15 digits, an item's
    # too; a date before 1900), as the reader refuses it in a cell (cell.amount_decimals, cell.date): one problem each
    negative = _negative_amounts(seen, f) | {p.path for p in beyond
                                             if p.code in ("schema.range", "cell.amount_decimals", "schema.not_a_number")} \
        | {p.path for p in typed}
    if negative:
        seen = _blanked(seen, negative)
    env = check_env(seen, cfg, f, rv)  # one for the schema's titles, the rules and the review
    if env is not None and negative:  # blank to the rules and the review, but not left blank by the department
        env.cache["unreadable"] = frozenset(negative)
    found = _with_limits(_said_as_read(schema_problems(doc, form=f, rules=cfg.rules, fw=env.fw if env else None,
                                                      codes=True), typed)
                         + _control_chars(doc, f, cfg), beyond) \
        + [p for p in amount_fractions(doc, f, cfg) if p.path not in negative]  # (a refused one, 0.001, is not kept)
    unknown = framework_unknown(doc, cfg, found) if env is None else []
    # 0.85 as the result of a row in % (85?): the reader's question of the same number in a cell, at its pointer; what
    # the rules find of it as typed and not as meant is said once, in it (as for a workbook: _check_result)
    fractions = [p for p in percent_fractions(seen, f, cfg) if p.path not in negative]
    rules = _not_blank(_the_departments(rule_problems(seen, cfg, f, env), f), negative, cfg)
    facts = _reader_facts(env)
    if fractions and env is not None:
        rules = _fractions_meant(fractions, rules, seen, cfg, f, facts)
    if env is not None:
        rules = _scaled_meant(rules, seen, cfg, f, facts=facts)
    found += unknown + fractions + rules
    if env is not None:  # an amount in 万元 refused for its decimals: the 万元 hint beside it, as in a workbook
        from ._figures import refused_in_wan

        found += refused_in_wan(beyond, seen, f, cfg.rules)
    # the tables its template was made under, as its workbook's stamp says them (made_with): at its keys
    found += made_otherwise(document_stamp(doc), cfg, env, "/made_with/rules", "/made_with/fw")
    found = [p for p in found if p.severity != OFF]
    return found + (_placeholder_said(_not_blank(_unfilled_alone(_the_departments(review_problems(seen, cfg, rv, f, env), f,
                                                                                  review=True), cfg.rules), negative, cfg),
                                      found, seen, env)
                    + framework_unreviewed(unknown, cfg) if rv is not None else []), \
        frozenset(negative - {p.path for p in typed}), seen, env


def _refused_texts(doc, form, cfg: Config) -> list[Problem]:
    """A text where the form's field holds a number (an amount typed ``6280万元``, ``壹仟元整``, ``无``) that the
    workbook's reader refuses in that field's cell: the reader's problem (cell.amount_wan, expecting 62800000), at the
    field's JSON pointer.  ``read`` keeps such a text in its document as it was typed (its output of a return with cell
    errors), so validating that document says what validating the workbook says, with the same fix; a text the reader
    takes (``62,800,000``) is left to the schema (schema.type): a document gives a number as a number."""
    if not isinstance(doc, dict):
        return []
    from .._form import KINDS, Unreadable

    out = []
    for fd in form.fields:
        kind = KINDS.get(fd.kind)
        if kind is None or kind.write_as != "number" or not isinstance(raw := get(doc, fd.path), str):
            continue
        try:
            kind.parse(raw)
        except Unreadable as exc:
            out.append(cfg.rules.problem(exc.code, path=fd.path, field=fd.label, field_en=form.title_of(fd.path, "en"),
                                         value=raw, expected=exc.expected, **exc.extra))
        except Exception:  # (a parser meeting what no cell holds: the schema's type says it)
            continue
    return out


def _said_as_read(found: list[Problem], typed: list[Problem]) -> list[Problem]:
    """The schema's problems with its type error of each text `typed` (_refused_texts) replaced by the reader's
    problem of that text: one problem, the workbook's, at the field's pointer."""
    if not typed:
        return found
    paths = {p.path for p in typed}
    return [p for p in found if not (p.code == "schema.type" and p.path in paths)] + typed


def _beyond_a_workbook(doc, form, cfg: Config) -> list[Problem]:
    """What ``fill`` refuses of a document, as it says it: numbers no cell holds exactly (15 digits, an amount to a
    fraction of a fen), more rows than a workbook holds, a text longer than the reader gives back, a date before
    1900 (``_write._limits``: the workbook's limits, which a JSON return is held to as a workbook is)."""
    if not isinstance(doc, dict):
        return []
    from .._write._limits import limit_problems, number_problems

    return number_problems(doc, "", cfg, form) + limit_problems(doc, cfg, form, controls=False)  # (_control_chars)


def _with_limits(found: list[Problem], beyond: list[Problem]) -> list[Problem]:
    """The schema's problems and the workbook's limits (`beyond`), each said once: a number no cell holds replaces
    the schema's range of it (-1e+20: the 15 digits, as fill says only them), the schema's other problems kept
    (-0.001: below 0 and to a fraction of a fen); a limit the schema said already is not said again."""
    if not beyond:
        return found
    ranges = {p.path for p in beyond if p.code == "schema.range"}
    nan = {p.path for p in beyond if p.code == "schema.not_a_number"}  # (NaN is no number: nothing else to say of it)
    kept = [p for p in found if not (p.code == "schema.range" and p.path in ranges)
            and not (p.code.startswith("schema.") and p.path in nan)]
    said = {(p.code, p.path) for p in kept}
    return kept + [p for p in beyond if (p.code, p.path) not in said]


def _not_blank(problems: list, paths: set, cfg: Config) -> list:
    """`problems` without those saying a value at `paths` (blanked for the rules: ``_negative_amounts``) is blank
    (rule.required_field …): the value is there, and said once, by the schema."""
    if not paths:
        return problems
    return [p for p in problems if not (p.path in paths and _says_blank(p, cfg))]


def _says_blank(p: Problem, cfg: Config) -> bool:
    """Whether a rule's problem says its value is blank (required, 未选择, 未填写: its check's ``blank``)."""
    return CHECKS[cfg.rules[p.code].check].blank


def amount_fractions(doc, form, cfg: Config) -> list[Problem]:
    """An amount of the form (kind ``amount``) a document gives above 0 and below one 元: cell.amount_fraction at its
    JSON pointer, a warning keeping the amount, as the reader says it of the same number in a workbook's cell (a
    percent typed as the fraction a spreadsheet keeps: 0.3 for 30%; no project's amount is a fraction of one 元).
    ``fill`` says it of the document it writes too."""
    out = []
    for f in form.fields:
        v = get(doc, f.path) if f.kind == "amount" else None
        if isinstance(v, (int, float, Decimal)) and not isinstance(v, bool) and 0 < v < 1:
            out.append(cfg.rules.problem("cell.amount_fraction", path=f.path, field=f.label,
                                         field_en=form.title_of(f.path, "en"), value=format_number(v),
                                         detail=f"{format_number(Decimal(str(v)) * 100)}%"))
    return out


def percent_fractions(doc, form, cfg: Config) -> list[Problem]:
    """A number above 0 and up to 1 a document gives as an item's result in the row's % (实际完成值; a monitoring
    report's 1-N月执行情况 and 全年预计完成情况: the columns of kind ``actual``) where reading it as the percent fits the row's
    target better (0.85 on ≥85 %: ``_fraction_asked``): cell.percent_fraction at its JSON pointer, the warning the
    reader gives of the same number in a workbook's cell, with the same words (``_fractions_meant`` then says once
    what the rules find of it as typed and not as meant, as for the workbook)."""
    from .._read._interpret import _fraction_asked, _percent_text

    items = get(doc, form.table.item_path) if isinstance(doc, dict) else None
    if not isinstance(items, list):
        return []
    out = []
    cols = [c for c in form.table.columns if c.kind == "actual"]
    for i, item in enumerate(items):
        if not isinstance(item, dict) or item.get("unit") != "%":
            continue
        for col in cols:
            v = item.get(col.key)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0 < v <= 1 \
                    or not _fraction_asked(v, item.get("comparator"), item.get("value")):
                continue
            path = f"{form.table.item_path}/{i}/{col.key}"
            out.append(cfg.rules.problem("cell.percent_fraction", path=path, field=form.title_of(path),
                                         field_en=form.title_of(path, "en"), value=format_number(v),
                                         expected=_percent_text(v)))
    return out


def _control_chars(doc, form, cfg: Config) -> list[Problem]:
    """A control character (ESC, NUL, DEL, C1, a bidi override) in a document's text: schema.control_char at its
    JSON pointer, as fill refuses it (a workbook's are the reader's, at the cell: ``_interpret._control_chars``)."""
    from .._text import control_free, escaped

    texts = [(f.path, get(doc, f.path), f.label, f.label_en) for f in form.fields]
    items = get(doc, form.table.item_path)
    if isinstance(items, list):
        keys = [key for col in form.table.columns for key in col.item_keys]
        texts += [(f"{form.table.item_path}/{i}/{key}", item.get(key), None, None)
                  for i, item in enumerate(items) if isinstance(item, dict) for key in keys]
    if control_free("".join([value for _, value, _, _ in texts if type(value) is str])):
        return []  # (one test of the joined texts, as the reader's: most documents hold none)
    from .._text import CONTROL_CHAR

    out = []
    for path, value, label, label_en in texts:
        found = CONTROL_CHAR.search(value) if isinstance(value, str) else None
        if found:
            out.append(cfg.rules.problem("schema.control_char", path=path, value=escaped(found),
                                         field=label or form.title_of(path), field_en=label_en
                                         or form.title_of(path, "en")))
    return out


def _the_departments(found: list[Problem], form, review: bool = False) -> list[Problem]:
    """What is the department's to answer of the rules' (`review`: the review's) problems, a workbook's or a JSON
    document's alike.  A rule's warning on a value the form locks (an approved target in a self-evaluation, the goal
    table's “0” placeholder) was the goal table's to answer, not the department's now; errors there (a locked value
    typed over) are still reported.  The review looks only at what the department fills in: what the form locks is
    no longer the department's to improve."""
    return [p for p in found if (p.severity != WARNING and not review) or not form.locked_at(p.path)]


def _scalar_items(doc, form):
    """The document as the rules see one: items' values that are lists or objects, which no workbook cell can
    hold and the schema reports, left out (a copy only when there are some)."""
    items = doc.get(form.table.item_path.strip("/")) if isinstance(doc, dict) else None
    if not isinstance(items, list) or not any(isinstance(it, dict) and any(isinstance(v, (list, dict))
                                                                          for v in it.values()) for it in items):
        return doc
    kept = [{k: v for k, v in it.items() if not isinstance(v, (list, dict))} if isinstance(it, dict) else it
            for it in items]
    return {**doc, form.table.item_path.strip("/"): kept}


#: The template's record of its rows, given way to the goal table under validate --targets (not
#: template.locked_row_cleared: rows cleared where they stand are said by the reader, at their rows).
_ROWS_RECORD = frozenset({"template.locked_row_changed", "template.locked_row_unread", "template.locked_rows_count",
                          "template.locked_rows_moved"})


def _rows_counted_off(problems) -> bool:
    """Whether the reader found approved rows deleted or rows added among them (``template.locked_rows_count``,
    which it says only where the rows read are fewer or more than the template's record of them)."""
    return any(p.code == "template.locked_rows_count" for p in problems)


def _cleared(result) -> list:
    """The approved rows (0-based) the reader found cleared where they stand (``Sources.cleared``)."""
    return getattr(result.sources, "cleared", None) or []


def _unread(result) -> dict:
    """JSON pointer -> the error value (#N/A; None where the file does not keep which) of each cell the reader read
    as nothing for it: said by cell.error_value, or covered by an approved row's template.locked_row_unread
    (``Sources.unread``)."""
    out = {p.path: p.value for p in result.problems if p.code == "cell.error_value" and p.path}
    out.update(getattr(result.sources, "unread", None) or {})
    return out


def _covered(result) -> set:
    """(sheet, cell) of the cells the reader's errors cover besides their own (``Sources.covered``: the locked cells
    of an approved row read as nothing, said once, at the first, by template.locked_row_unread)."""
    return getattr(result.sources, "covered", None) or set()


def _stamp_of(result):
    """The stamp a return was made with: its workbook's; for a JSON document, what the document keeps of it."""
    return result.template if result.template is not None else document_stamp(result.document)


#: The reader's codes saying a return's workbook is not as its template issued it: a locked value or row typed over,
#: rows deleted, added, moved or cleared, the form's structure altered, or the template's record of them gone
_NOT_AS_ISSUED = _ROWS_RECORD | frozenset({"template.altered", "template.locked_changed", "template.locked_row_cleared",
                                          "template.blank_row_inserted", "template.locked_blank_filled",
                                          "template.locked_record_missing", "template.locked_record_unreadable",
                                          "template.locked_unreadable", "template.locked_record_lost",
                                          "template.copied_sheet_rows", "template.too_many_rows"})


def issued_intact(result) -> bool:
    """Whether a return's workbook holds every locked cell as its template issued it: read from a workbook whose
    template recorded its approved rows (``Sources.rows_recorded``), the reader finding none changed, deleted, added
    or unreadable and no record gone (``_NOT_AS_ISSUED``).  What then differs from the goal table given with
    --targets was issued so: the form was made from another version or year of it (``*.targets_other_version``)."""
    if result.template is None or not getattr(result.sources, "rows_recorded", False):
        return False
    return not any(p.code in _NOT_AS_ISSUED for p in result.problems)


def check_file(path, config: Config, keep_documents: bool, review=None, targets=None) -> FileReport:
    from ._figures import said_once, shown_scaled

    result = read(path, config=config)
    report = check_result(result, config, review)
    if targets is not None and result.document is not None:  # validate --targets: locked values unchanged
        stamp = _stamp_of(result)
        fw = config.frameworks.find(result.document.get("framework"))
        with numbered_as_printed(result.numbers):
            extra = targets.problems(result.document, config.rules, _cleared(result), _unread(result), stamp=stamp,
                                     fw=fw, intact=issued_intact(result))
        locate(result, extra)
        extra = shown_scaled(extra, result.problems, config.rules)  # the reader's error at the cell speaks
        restored = targets.restored(result.document, stamp=stamp, fw=fw) \
            if any(p.code.endswith(".target_changed") for p in extra) else None
        if restored is not None:
            # a target or 分值 typed over: the return is scored and compared against the approved ones (a score
            # "应为 10" computed from a 分值 raised to 10 told the department to keep the change); each changed
            # value is the error below
            checked = check_result(replace(result, document=restored), config, review, issued=True)
            report.problems, report.review_score = checked.problems, checked.review_score
            report.scored_as = restored  # what a summary scores (record_of), as validate did
        # a row added to the approved ones is to be deleted (target_row_extra says so): what it lacks to be an
        # indicator (指标编号, 分值, 比较符 … “未填写”) is no task for the department
        added = tuple(p.path.rpartition("/")[0] + "/" for p in extra
                      if p.code.endswith(".target_row_extra") and p.path)
        if added:
            report.problems = [p for p in report.problems if not (p.path and p.path.startswith(added))]
        # the template's own record of its rows (changed, deleted or added: template.locked_row…) gives way to the
        # goal table, which says which value and what it was
        # (rows cleared where they stand: said by the reader at their rows, not by the goal table as rows deleted)
        if not any(p.code.endswith(_COMPARED_WITH_NONE) for p in extra):
            report.problems = [p for p in report.problems if p.code not in _ROWS_RECORD]
        # an amount in 万元 said against the goal table's budget is not said again against the form's own
        report.problems, extra = said_once(report.problems, extra, config.rules)
        # a cell the template itself says was changed (template.locked_changed) needs no second error for it
        said = {(p.sheet, p.cell) for p in report.problems if p.code == "template.locked_changed"}
        report.problems += [p for p in extra if not (p.cell and (p.sheet, p.cell) in said) and p.severity != OFF]
        _record_lost_checked(report.problems, extra, targets, result.document, config)
    if targets is not None:
        report.problems += goal_table_returned(path, report.form, targets, config)
    if not keep_documents:
        report.document = report.scored_as = None  # keeps what workers send back small
    return report


#: The code endings of --targets' problems saying a return was compared with no goal table: none matched it
#: (``*.targets_unmatched``), or the one that did could not be used (``*.targets_refused``)
_COMPARED_WITH_NONE = (".targets_unmatched", ".targets_refused")


def goal_table_returned(path, form: str, targets, config: Config) -> list[Problem]:
    """Under --targets, a goal table among the returns checked (a unit sent its approved goal table back instead of
    the self-evaluation or monitoring report): ``targets.goal_table_returned``, an error, as it is no return of the
    round, unless it lies where the goal tables given with --targets do (validate 批复/ 收到/ --targets 批复/; the
    workbook beside the JSON given): one of the approvals.  Not by content: the goal table a unit sends back is
    the approval it was sent, the same in content (and often in bytes); a copy of the approvals' folder checked
    against them is to be validated without --targets, as the message says."""
    if form != GOAL_TABLE.id or targets.given(path):
        return []
    p = config.rules.problem("targets.goal_table_returned", detail=GOAL_TABLE.title, detail_en=GOAL_TABLE.title_en)
    p.file = str(path)
    return [p]


#: The reader's problems saying the template's whole record gone (RECORD_LOST_UNCHECKED in their message): lost,
#: or unreadable, its document properties part damaged
_RECORD_GONE = ("template.locked_record_lost", "template.locked_record_unreadable")


def _record_lost_checked(problems: list, extra: list, targets, doc, config: Config) -> None:
    """template.locked_record_lost under validate --targets: the template's record of its locked values is gone, but
    the comparison with the approved goal table still holds those it covers to what was approved.  Its message says
    which were still checked and which not (``locked_compared``), in place of “could not be checked” (the reader's
    words, RECORD_LOST_UNCHECKED, changed only where the rule table's message says them).  Nothing changes where the
    goal table was not found (``*.targets_unmatched``) or the form's values are compared with none (a goal table)."""
    lost = [p for p in problems if p.code in _RECORD_GONE]
    if not lost or any(p.code.endswith(_COMPARED_WITH_NONE) for p in extra):
        return
    fw = config.frameworks.find(doc.get("framework")) if isinstance(doc, dict) else None
    compared = targets.locked_compared(doc, fw, any(p.code == "self.points_source" for p in extra))
    if compared is None or not compared[0]:
        return
    from .._read._locate import RECORD_LOST_UNCHECKED

    checked, unchecked = compared
    zh = f"下发时锁定的内容中，{'、'.join(checked)}已按所给的批复的绩效目标表（--targets）核对"
    en = f"of the values the template locked, {', '.join(checked)} were still checked against the approved goal " \
         "table given (--targets)"
    if unchecked:
        zh += f"；{'、'.join(unchecked)}被改动则无法核对"
        en += f"; {', '.join(unchecked)} typed over could not be checked"
    for i, p in enumerate(problems):  # (a copy: the reader's problem may be a cached result's)
        if p.code in _RECORD_GONE:  # (unreadable: only where the whole record is, its part damaged)
            problems[i] = replace(p, message=p.message.replace(RECORD_LOST_UNCHECKED[0], zh),
                                  message_en=p.message_en.replace(RECORD_LOST_UNCHECKED[1], en))


def is_json_document(path) -> bool:
    """Whether ``validate`` checks the file as a JSON document: a regular file named .json (any case, typed
    full-width) that does not begin as a workbook does (a return renamed so is read as the workbook it is)."""
    import os

    return typed_suffix(os.path.basename(os.fspath(path))).endswith(".json") and os.path.isfile(path) \
        and not holds_a_workbook(path)


class _FoundJson(str):
    """A path the collector (``json_documents``) judged a JSON document (``is_json_document``), not written by
    xlgoals: the worker, and a crash report, need not open it again to know."""

    __slots__ = ()


class _NamedJson(_FoundJson):
    """A JSON document named (not found in a folder): checked whatever it holds, never passed over as another
    program's JSON."""

    __slots__ = ()


def json_documents(found) -> set:
    """The JSON documents among a Scan's files, found in a folder or named, marked as such in ``found.files``
    (_FoundJson): the kind is learnt here once, in the main process, and the workers and crash reports go by it.
    Returns those a folder gave (which ``scan`` listed as not checked): one that proves to be another program's
    JSON is listed as not checked again (``_jsondoc.skip_reason``).  A named JSON file xlgoals wrote (yesterday's
    report) stays as it is: ``check_file`` says file.xlgoals_output."""
    from .._paths import _written_by_us

    documents = {p for p, why in found.skipped.items() if tuple(why) == SKIP_UNKNOWN and is_json_document(p)}
    named = {p for p in found.files if p in found.named and is_json_document(p) and not _written_by_us(p)}
    if named:
        found.files = [_NamedJson(p) if p in named else p for p in found.files]
    if documents:
        found.skipped = {p: why for p, why in found.skipped.items() if p not in documents}
        found.files = sorted([*found.files, *map(_FoundJson, documents)])
    return documents


def json_kind(path) -> str:
    """What the collector (``json_documents``) found `path` to be: "named" (a JSON document named), "found" (one a
    folder gave, which may prove another program's JSON), or "" (no JSON document)."""
    return "named" if isinstance(path, _NamedJson) else "found" if isinstance(path, _FoundJson) else ""


def check_return(path, config: Config, keep_documents: bool, review=None, targets=None) -> FileReport:
    """``check_file`` for what ``validate`` checks: a JSON document too (``_jsondoc``, imported only then), as the
    collector marked it (``json_documents``)."""
    if isinstance(path, _FoundJson):
        from ._jsondoc import check_json_file

        report = check_json_file(str(path), config, True, review, targets)
    else:
        report = check_file(path, config, True, review, targets)  # (a named report of ours: file.xlgoals_output)
    if report.document is not None:  # what a duplicate is known by (name_duplicates), a few values: the cost flat
        # (report.content: a JSON document's numbers beyond a cell's digits, compared as typed)
        report.duplicate_values = duplicate_values(report.document, report.form, report.content,
                                                   held=_held(report, config))
    if not keep_documents:
        report.document = None  # keeps what workers send back small
    return report


def content_digest(doc, form_id: str | None = None) -> str:
    """The digest of what of `doc` its form's workbook can hold (``_form.held_content``): two documents of one project
    with the same digest read the same (a return saved again, or ``xlgoals read``'s JSON of the workbook, ids and
    all), and differ otherwise.  Consolidate's duplicates (``ReturnRecord.content``) and validate's
    (``duplicate_values``) are compared by it alone, so that the two say the same of one folder."""
    import json

    from .._form import held_content
    from .._read._safety import _SHA256  # (hashlib's constructor, as the reader takes it: no module more to load)

    def number(v):  # (a number held, told from a text of the same digits)
        return f"\0number {v}" if isinstance(v, Decimal) else str(v)

    return _SHA256[0](json.dumps(held_content(doc, form_id), sort_keys=True, ensure_ascii=False, default=number)
                      .encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _held(report: FileReport, config: Config) -> bool:
    """Whether a monitoring report's or a self-evaluation's amounts are held out of a summary's totals as apparently
    typed in 万元 (``_figures.held_out``), as consolidate's record says it: of one round, a return without it counts
    first."""
    from ._figures import HELD_CODES, held_out

    if report.form not in HELD_CODES:
        return False

    return bool(held_out(report.problems, report.form, config.rules, report.document) - report.unread)


def duplicate_values(doc, form_id: str | None = None, content: str = "", held: bool = False) -> dict | None:
    """The values of a document that tell one project's return for a year, as a summary's record keeps them
    (``_consolidate``'s duplicate_key, names, tiebreak; `held`: its amounts held out as in 万元, ``held_out``), and
    the digest of the document consolidate compares (`content` where the check made one, else ``content_digest``)."""
    if not isinstance(doc, dict):
        return None

    def text(v):
        return v if isinstance(v, str) else (None if v is None else str(v))

    def integer(v):
        return v if isinstance(v, int) and not isinstance(v, bool) else None

    return {"unit": text(doc.get("unit")), "project": text(get(doc, "/project/name")),
            "year": integer(doc.get("year")), "month": integer(doc.get("month")),
            "filled_on": text(get(doc, "/contact/date")),
            "content": content or content_digest(doc, form_id), **({"held_out": True} if held else {})}


def _decided(files: list, forms=None, corrects=None) -> list[list]:
    """Consolidate's duplicate decision (``_consolidate._collect.decide_duplicates``, its keys, names and
    tiebreak) over `files`: stand-ins for the files of each project a form was returned for more than once (`forms`:
    only returns of these forms; `corrects`: a corrected annotated copy's path -> the
    file's it marks), each with its FileReport (``report``) and the decision
    (``duplicate``, ``duplicate_of``), a list of each project's; [] where no project has two.  The one choice validate
    makes, wherever it says which file a summary counts (``name_duplicates``, ``cumulative_between_rounds``)."""
    from types import SimpleNamespace

    from .._text import name_key

    # first by the names alone (no summary module loaded for a folder without two files of one project)
    first: dict = {}
    for f in files:
        v = f.duplicate_values
        if v is not None and (forms is None or f.form in forms) \
                and name_key(v["unit"]) and name_key(v["project"]):
            first.setdefault((f.form, v["year"], name_key(v["unit"]), name_key(v["project"])), []).append(f)
    files = [f for same in first.values() if len(same) > 1 for f in same]
    if not files:
        return []
    from .._consolidate import _BY_FORM
    from .._consolidate._collect import decide_duplicates

    stand = [SimpleNamespace(path=f.path, form=f.form or GOAL_TABLE.id, values=f.duplicate_values,
                             status=_status_of(f), json_document=f.json_document,
                             sha256=f.sha256, content=f.duplicate_values["content"], mtime_ns=0, report=f,
                             duplicate=False, duplicate_of=None, note="", included=True)
             for f in files]  # (each one kept by the names above)
    keys: dict = {}
    for s in stand:
        keys.setdefault(_BY_FORM.duplicate_key(s), []).append(s)
    groups = [items for k, items in keys.items() if k is not None and len(items) > 1]
    group = [s for items in groups for s in items]
    for s in group:  # the most recently modified counts among equals, as in consolidate: a stat of these alone
        try:
            s.mtime_ns = os.stat(s.path).st_mtime_ns
        except OSError:
            pass
    if group:
        decide_duplicates(group, _BY_FORM.duplicate_key, _BY_FORM.names, _BY_FORM.tiebreak, corrects=corrects)
    return groups


def _status_of(f: FileReport):
    """A FileReport's status as consolidate decides duplicates by it."""
    from .._consolidate._collect import Status

    return Status.INVALID if f.errors else Status.OK


def name_duplicates(files: list, config: Config, corrects=None) -> None:
    """Two files a folder gave of one project for a year (v1 and 最终版): a warning on each one a summary would not
    count (return.duplicate), in the words consolidate says it, naming the file counted instead.  The files, their
    keys and the choice are consolidate's own (``_decided``).  Files named on the command line are told alike
    (``validate a.xlsx b.xlsx`` of one return, as of their folder: consolidate counts one of them too); a corrected
    copy named with the file it marks is settled as one (`corrects`)."""
    from .._text import shown_path

    group = [s for same in _decided(files, corrects=corrects) for s in same]
    if not group:
        return
    from .._consolidate._collect import ROUNDS_SAID, duplicate_words, said_duplicate

    for s in group:
        # (a JSON document beside a workbook of its project with the same content, `xlgoals read`'s output left
        # there, is no second version of a return: consolidate's note says which counts, validate says nothing; the
        # examples keep such pairs.  The content is what the form's workbook holds (content_digest): national-2021's
        # goal-table JSON, with indicator ids its workbook has no column for, reads the same.  One that differs
        # ("read_differ") is a second version: the one not counted is said, as consolidate says it)
        if said_duplicate(s):
            what = ROUNDS_SAID.get(s.duplicate_of[2], ("重复申报", "Duplicate"))
            zh = f"{what[0]}（汇总时不计入）：{duplicate_words(s.duplicate_of, 'zh', note=False, show=shown_path)}"
            en = f"{what[1]} (not counted in a summary): {duplicate_words(s.duplicate_of, 'en', note=False, show=shown_path)}"
            p = config.rules.problem("return.duplicate", detail=zh, detail_en=en)
            p.file = s.path
            s.report.problems.append(p)


def crash_report(path, reason: str, config: Config) -> FileReport:
    """The FileReport of a file whose worker died or ran out of time: one problem, the run goes on (a JSON
    document's says so of a document, not of a workbook to save again from Excel).  Whether it is one is what the
    collector found when it listed the file (``json_documents``): the file is not opened again to ask."""
    if isinstance(path, _FoundJson):
        from .._parallel import crash_reason
        from .._read._safety import file_sha256
        from ._jsondoc import BAD_JSON

        if reason == "timeout":
            s = config.limits["file_seconds"]
            why = (f"检查超过 {s} 秒仍未完成，已停止（文件可能过大或嵌套过深）",
                   f"checking it took more than {s} seconds and was stopped (too large or nested too deeply?)")
        else:
            why = (f"检查时出错（{crash_reason(reason)}）", f"checking it failed ({crash_reason(reason, 'en')})")
        if not isinstance(path, _NamedJson):  # a folder's: its check would have told another program's JSON apart
            why = (why[0] + "；未能判断它是否为申报的 JSON 文档（也可能是其他程序的 JSON 文件），仍列为未通过",
                   why[1] + "; it is not known whether it is the JSON document of a return (it may be another "
                   "program's JSON), so it is listed as failing")
        p = config.rules.problem(BAD_JSON, detail=why[0], detail_en=why[1])
        p.file = str(path)
        return FileReport(path=str(path), problems=[p], sha256=file_sha256(path), json_document=True)
    from .._read import unread

    result = unread(path, reason, config)
    return FileReport(path=str(path), problems=result.problems, sha256=result.sha256)


def disappeared(report: FileReport, found, config: Config) -> FileReport:
    """`report` as it is, or, for a file listed when the run started (found in a folder, or named and there) that
    was gone when it was read (file.missing: moved, renamed or replaced meanwhile), its FileReport saying so
    (file.vanished): a clerk reading only 文件不存在 took it for a path mistyped."""
    if not found.vanished(report.path, [p.code for p in report.problems]):
        return report
    return vanished_report(report.path, config)


def vanished_report(path, config: Config) -> FileReport:
    """The FileReport of a file listed when the run started and gone when it was read: one problem."""
    p = config.rules.problem("file.vanished")
    p.file = str(path)
    return FileReport(path=str(path), problems=[p])


def as_annotated(work, path):
    """`work(path)` within ``reading_annotated``: in the worker (a ContextVar does not cross into another process)."""
    with reading_annotated():
        return work(path)


def read_as_annotated(work, path, config: Config, on_crash, raises: tuple = ()):
    """The result of `work` on `path` read again as an annotated copy (a department's, named), in a bounded child as
    every file is read (check_files): validate's and consolidate's one way of it."""
    return next(check_files(functools.partial(as_annotated, work), [path], config, 1, on_crash, raises=raises))


def check_files(work, files: list, config: Config, jobs: int | None, on_crash, raises: tuple = ()):
    """Run `work` over files in worker processes bounded in time and memory (schema/limits.json): returns,
    goal tables and last year's returns alike.  A ConfigError, or an exception of a kind in `raises`, met in a
    worker is the run's: raised here."""
    if len(files) > 1:
        from .._read._safety import batch_hashing

        batch_hashing()
    # a configuration fault met in a worker (the scoring table, loaded when a self-evaluation is first scored)
    # is the run's, said once: not a problem of each file
    return pmap(work, files, jobs, on_crash=on_crash, timeout=config.limits["file_seconds"],
                memory_mb=config.limits["worker_memory_mb"], raises=(ConfigError, *raises))


def copied_between_projects(files: list[FileReport], cfg: Config, review) -> None:
    """Add ``review.copied_between_projects`` to each of `files` whose indicators or a narrative are another
    project's return's among them (``_review._across``; each file's ``copy_marks``, made where it was read), and
    score it again."""
    from .._review import review_score
    from .._review._across import copied_between

    entries = [(n, f.path, f.copy_marks) for n, f in enumerate(files) if f.copy_marks is not None]
    if len(entries) < 2:
        return
    for n, found in copied_between(entries, cfg.rules, review).items():
        f = files[n]
        f.problems += found
        if f.review_score is not None:
            f.review_score = review_score(f.problems, cfg.rules, review.settings)


def cumulative_between_rounds(files: list[FileReport], cfg: Config, corrects=None) -> None:
    """Add ``monitor.cumulative_fell`` where a monitoring report's cumulative figure is below one of an earlier
    month's report of the same project (unit, project, year) among `files` (each file's ``rounds``, made where it was
    read), as consolidate says it (``_consolidate._collect._rounds_compared``): to the report a summary counts, by
    consolidate's own choice (``_decided``: the later month's unless it fails and an earlier one passes; of one month,
    a workbook before a JSON document, the one passing, the latest 填报日期, the latest modified, the last path),
    against the earlier ones it replaces, and to a later month's report that fails while an earlier one counts,
    against every earlier month's (sent back, it is told of the figure with its other errors).  Should the figure
    make the report counted fail (a bureau raised it to an error), the choice is made again, as consolidate's
    ``_chosen_again``: validate --strict on a folder stops what consolidate warns of."""
    if not any(f.rounds is not None for f in files) or cfg.rules.get("monitor.cumulative_fell") is None \
            or cfg.rules.is_off("monitor.cumulative_fell"):
        return  # (no monitoring report: no summary module loaded)
    from .._consolidate import _BY_FORM
    from .._consolidate._collect import _round, decide_duplicates
    from .._monitor._summary import MonitoringSummary

    def month(s) -> int:
        return _round(_BY_FORM.tiebreak(s))

    def values(s) -> dict:
        _, m, _, cumulative = s.report.rounds or (None, None, None, ())
        return {"month": m, "cells": s.report.cells, "cumulative": cumulative}

    done: set = set()
    for reports in _decided(files, forms=("monitoring",), corrects=corrects):
        if len({month(s) for s in reports}) < 2:
            continue  # one month: duplicates, not rounds
        while True:
            kept = next(s for s in reports if not s.duplicate)
            later = [s for s in reports if s is kept or (s.duplicate and s.duplicate_of[2] == "earlier_counted")]
            again = False
            for s in later:
                earlier = [e for e in reports if month(e) < month(s)]
                if id(s) in done or not earlier:
                    continue
                done.add(id(s))
                found = MonitoringSummary.between_rounds([(e.path, values(e)) for e in earlier], values(s), cfg.rules)
                for p in found:
                    p.file = s.path
                s.report.problems += found
                again = again or (s is kept and any(p.is_error for p in found))
            if not again:  # the report counted still passes: the choice stands
                break
            for s in reports:  # chosen again with what is known now (consolidate's _chosen_again)
                s.duplicate, s.duplicate_of, s.note, s.status = False, None, "", _status_of(s.report)
            decide_duplicates(reports, _BY_FORM.duplicate_key, _BY_FORM.names, _BY_FORM.tiebreak, corrects=corrects)


def target_problems(index, forms, table) -> list[Problem]:
    """Every file given with targets= that could not serve, as a problem on that file (targets.unusable)."""
    from .._text import display_path, in_lang

    from .._paths import SKIP_HIDDEN_FOLDER, xlgoals_output

    out = []
    for path, detail, detail_en in [(p, why, in_lang(why, "en")) for p, why in index.unusable_for(forms)] + \
            [(p, zh, en) for p, (zh, en) in index.skipped.items()]:
        # a hidden folder (.git, a sync tool's) is no goal table that could not be used: a notice, as a scan's; nor
        # is xlgoals's own output lying among the goal tables (a summary of them, its JSON and CSV tables)
        code = ("targets.not_searched" if (detail, detail_en) == SKIP_HIDDEN_FOLDER else
                "targets.xlgoals_output" if xlgoals_output((detail, detail_en)) else
                "targets.superseded" if getattr(index.skipped.get(path), "code", "") == "skipped.superseded" else
                "targets.unusable")
        p = table.problem(code, value=display_path(str(path)), detail=detail, detail_en=detail_en)
        p.file = str(path)
        out.append(p)
    for path, form_id in index.other_forms:  # returns kept beside the goal tables: a notice each
        p = table.problem("targets.other_form", value=display_path(str(path)), detail=FORMS[form_id].title,
                          detail_en=FORMS[form_id].title_en)
        p.file = str(path)
        out.append(p)
    return sorted(out, key=lambda p: p.file)


def targets_given(targets, weights) -> tuple[list, dict] | None:
    """The goal-table files under `targets` and the other files of their folders (None without targets); a
    UsageError before anything is read when --targets could not compare anything, or --weights is idle: a
    check silently skipped would pass files it was asked to hold to their goal tables."""
    import os

    from .._errors import UsageError, given_as
    from .._text import Bilingual, display_path

    named = given_as("--targets")  # targets= to a library caller
    if targets is None:
        if weights is not None:
            weights_named = given_as("--weights")
            raise UsageError(Bilingual(f"{weights_named} 只与 {named} 一起使用（核对自评表的分值）",
                                       f"{weights_named} goes only with {named} (the points of self-evaluations)"))
        return None
    from .._selfeval._targets import expand_targets

    for t in as_list(targets):
        if not os.path.exists(t):
            shown = display_path(os.fspath(t))
            raise UsageError(Bilingual(f"找不到 {named} 给出的绩效目标表文件或文件夹：{shown}",
                                       f"the goal table file or folder given with {named} does not exist: {shown}"))
    skipped: dict = {}
    files = expand_targets(targets, skipped)
    if not files:
        raise UsageError(Bilingual(f"{named} 中没有找到绩效目标表（.xlsx/.xls/.ods 或 JSON 文件）",
                                   f"no goal table found in {named} (.xlsx/.xls/.ods or JSON files)"))
    return files, skipped


def load_targets(targets, weights, cfg: Config, jobs: int | None, found=None):
    """The goal tables given with `targets` (``--targets``), read in `jobs` workers, for every form made from them
    (self-evaluation, monitoring); None without targets.  `found`: what ``targets_given`` found (else it is
    called here: a UsageError for a missing path, no goal table file, or `weights` alone).  A UsageError too
    when every file is a return of another form: nothing could be compared."""
    if found is None:
        found = targets_given(targets, weights)
    if found is None:
        return None
    from .._monitor._targets import TargetSet

    index = TargetSet.load(targets, cfg, weights, jobs=jobs, found=found)
    if index.other_forms and not (index.unusable or index.by_sha or index.by_name):
        from .._selfeval._targets import no_goal_table

        raise no_goal_table(index.other_forms)
    return index


@looking_once  # a file of the folder asked of twice (an output folder in it) is read once, as in consolidate
def validate(paths, *, strict: bool = False, jobs: int | None = 1, keep_documents: bool = False,
             rules=None, frameworks=None, config: Config | None = None, exclude=(), review: bool | None = None,
             previous=None, library=None, review_config=None, targets=None, weights=None) -> ValidationReport:
    """Validate files and folders of returns.  Never raises for a bad file.

    JSON documents are checked too (a ``.json`` file named, or found in a folder when it is a document: it has
    ``form`` or a goal table's fields; another JSON there is in ``skipped_reasons``), each problem at its JSON
    pointer (``path``; no sheet or cell), as ``validate_document`` finds them (``_jsondoc``).

    Files are read in `jobs` worker processes (None: all cores), each bounded in time and memory
    (``schema/limits.json``): a file that crashes its worker or overruns is reported, and the run
    goes on.  The result is the same, in the same order, for any number of jobs.  `exclude`
    lists this run's outputs (files or folders), never read as inputs.  Each FileReport keeps its
    document only with `keep_documents=True` (whatever the number of jobs).

    `review=True` runs the review checks too (目标审核: ``notice`` problems, which never fail a
    file unless the rule table raises their severity) and gives each FileReport a
    ``review_score`` (0–100).  `previous` (last year's returns: files or folders of workbooks
    or JSON documents), `library` (an indicator library, CSV or xlsx) and `review_config` (a
    JSON file laid over ``schema/review.json``) feed the review, and any of them given turns it on
    without `review=True` (as --previous does on the command line), unless `review=False` is said
    (an explicit False wins: nothing is reviewed, and those inputs are not loaded); a missing path or a bad file
    among them is a ConfigError, a last-year return that cannot be read is listed in
    ``previous_problems``.

    `targets` (goal tables: files or folders) also compares each self-evaluation's and monitoring
    report's locked targets (and a self-evaluation's 分值) with its goal table (`weights`: a ``--weights`` file, as the templates were made with);
    goal tables that cannot be used, and the other files of their folders, are problems on those files in
    ``report.target_problems`` (the goal tables also as lines in ``report.target_errors``); a `targets` path that does not exist or holds no goal table, or `weights`
    without `targets`, is a UsageError before anything is read.
    """
    check_jobs(jobs)
    strict, keep_documents = flag(strict, "strict"), flag(keep_documents, "keep_documents", "keep_documents=")
    paths, exclude, previous, targets = inputs(given(paths)), given(exclude), given(previous), given(targets)  # once
    previous, library, review_config = text_path(previous), text_path(library), text_path(review_config)  # b"..."
    targets, weights = text_path(targets), text_path(weights)  # names the same file (lists: as_list, element-wise)
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    goal_tables = targets_given(targets, weights)
    if weights is not None:  # (a goal table's check does without the module)
        from .._selfeval._weights import load_weights

        weights = load_weights(weights, cfg.frameworks)  # a misspelt 一级 name: before any file is read
    rv = _review_of(review, cfg, previous, library, review_config, jobs)
    found = scan(as_list(paths), exclude)
    # a .json file found in a folder is checked when it is a document (read -o's, another system's); one that is not
    # (another program's JSON) is listed as not checked, with what it is (below: _jsondoc.skip_reason)
    documents = json_documents(found)
    report = ValidationReport(strict=strict, ignored=found.ignored, review=rv is not None,
                              previous=rv is not None and rv.previous is not None,
                              previous_problems=list(rv.previous.problems) if rv and rv.previous else [],
                              frameworks=cfg.frameworks)
    index = load_targets(targets, weights, cfg, jobs, goal_tables)
    report.targets = index is not None
    work = functools.partial(check_return, config=cfg, keep_documents=keep_documents, review=rv, targets=index)
    crashed = functools.partial(crash_report, config=cfg)
    skipped = dict(found.skipped)
    if documents:
        from ._jsondoc import skip_reason
    copies = []  # the annotated copies named: decided when every file's SHA-256 is known (the originals')
    digests = {}
    for f in check_files(work, found.files, cfg, jobs, crashed):
        f = disappeared(f, found, cfg)
        if f.sha256:
            digests[f.path] = f.sha256
        if annotated_copy(f.problems) and ((edited := edited_copy(f.problems)) or f.path in found.named):
            copies.append((len(report.files), edited))  # corrected, or named
            report.files.append(f)  # its place kept, in the files' order
            continue
        if f.path not in found.named and [p.code for p in f.problems] == ["file.xlgoals_output"]:
            skipped[f.path] = SKIP_XLGOALS  # a summary or annotated copy lying in a received folder
        elif f.path in documents and (why := skip_reason(f)) is not None:
            skipped[f.path] = why  # another program's JSON in the folder: said, not a failing return
            report.not_documents += 1
        else:
            report.files.append(f)
    corrects = {}  # an edited copy's path -> the path of the file of the run it marks
    for at, edited in reversed(copies):
        f = report.files[at]
        original = found.original_of(f.path, digests)
        if original is not None and not edited:  # our copy as we wrote it, named with the file it marks
            skipped[f.path] = beside_original(original)  # (收件箱/*): said, not read (that return over again)
            del report.files[at]
        else:  # named alone, or edited since we wrote it: a department's corrected copy, read once more as the
            # return it is (its comments are not the form's), in a bounded child as every file; beside the file it
            # marks, the duplicate rule settles the two (name_duplicates), saying which corrects which
            if original is not None:
                corrects[f.path] = original
            report.files[at] = read_as_annotated(work, f.path, cfg, crashed)
    for folder, why in unlisted_folders(skipped).items():  # its files unknown: a failure, as an unreadable file
        del skipped[folder]
        p = cfg.rules.problem("folder.unreadable", value=why[0], value_en=why[1], detail=why[0], detail_en=why[1])
        p.file = folder
        report.files.append(FileReport(path=folder, problems=[p]))
    if rv is not None:  # across the returns read: another project's the same (each worker saw one return)
        copied_between_projects(report.files, cfg, rv)
    # one project's rounds (its 1-3月 and 1-6月 reports): a cumulative figure fallen, as consolidate says it
    cumulative_between_rounds(report.files, cfg, corrects)
    # one project's two versions in the folder: said, as consolidate does; chosen after the passes between files,
    # as consolidate chooses again (_chosen_again): a later report an error between rounds made fail gives way to
    # an earlier one that passes
    name_duplicates(report.files, cfg, corrects)
    report.skipped_reasons = dict(sorted(skipped.items()))
    report.corrected = corrects
    if index is not None:
        forms = {f.form for f in report.files}
        report.target_errors = index.errors_for(forms)
        report.target_problems = target_problems(index, forms, cfg.rules)
    return report
