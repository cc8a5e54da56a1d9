"""Validate returns: read each file, check it against its form's JSON Schema, then the rule table.

``validate(paths)`` returns a ValidationReport whose FileReports carry every Problem with
its sheet and cell; the terminal report, JSON, CSV and annotated copies are all made from it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .._config import Config, config_of
from .._form import FORMS, GOAL_TABLE
from .._parallel import pmap
from .._problems import FileReport, Problem
from .._read import ReadResult, read
from ._rules import Env
from ._schema import schema_problems

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass
class ValidationReport:
    files: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in folders that are not workbooks
    strict: bool = False
    review: bool = False  # review notices and scores were computed (validate --review)
    previous_problems: list[Problem] = field(default_factory=list)  # last year's files that could not be used

    @property
    def valid(self) -> bool:
        return all(f.passes(self.strict) for f in self.files)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if not f.passes(self.strict)]

    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]


def expand_paths(paths) -> tuple[list[Path], list[str]]:
    """Files given by name are always checked; folders contribute their workbooks (recursively).

    Returns (files to check, other files found in folders), both sorted and deduplicated.
    """
    files: dict[str, Path] = {}
    skipped: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not p.name.lower().endswith(WORKBOOK_SUFFIXES):
            for root, dirs, names in os.walk(p):
                # a folder named like a workbook is reported, not searched
                names = names + [d for d in dirs if d.lower().endswith(WORKBOOK_SUFFIXES)]
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.lower().endswith(WORKBOOK_SUFFIXES))
                for name in sorted(names):
                    full = Path(root) / name
                    if name.lower().endswith(WORKBOOK_SUFFIXES):
                        files.setdefault(os.path.normpath(full), full)
                    elif not name.startswith("."):
                        skipped.append(str(full))
        else:
            files.setdefault(os.path.normpath(p), p)
    return sorted(files.values(), key=lambda x: str(x)), sorted(skipped)


def as_list(paths) -> list:
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)


def rule_problems(doc, config: Config, form=GOAL_TABLE) -> list[Problem]:
    """Run every business rule of the table over a document."""
    if not isinstance(doc, dict):
        return []
    fw = config.frameworks.find(doc.get("framework"))
    if fw is None:
        return []
    env = Env(form, fw, config.rules)
    out: list[Problem] = []
    for rd, params, fn in config.rules.business:
        out.extend(fn(rd, params, doc, env))
    return out


def review_problems(doc, config: Config, review, form=GOAL_TABLE) -> list[Problem]:
    """Run the rule table's review checks (目标审核) over a document."""
    if not isinstance(doc, dict):
        return []
    fw = config.frameworks.find(doc.get("framework"))
    if fw is None:
        return []
    env = Env(form, fw, config.rules, review)
    out: list[Problem] = []
    for rd, params, fn in config.rules.review:
        out.extend(fn(rd, review.params(rd, params), doc, env))
    return out


def locate(result: ReadResult, problems: list[Problem]) -> None:
    for p in problems:
        if not p.cell and p.path:
            p.sheet, p.cell = result.source_of(p.path)
        p.file = result.path


def check_result(result: ReadResult, config: Config | None = None, review=None) -> FileReport:
    """Schema and rule problems for a read result, merged with the reader's own, located and deduplicated.

    With `review` (a loaded Review) the review checks run too and the report gets its review_score.
    """
    cfg = config or Config.load()
    report = FileReport(path=result.path, sha256=result.sha256, document=result.document, form=result.form)
    problems = list(result.problems)
    if result.document is not None:
        form = FORMS.get(result.form, GOAL_TABLE)
        found_schema = schema_problems(result.document, form=form, rules=cfg.rules)
        found_rules = rule_problems(result.document, cfg, form)
        locate(result, found_schema + found_rules)
        specific = {(p.sheet, p.cell) for p in problems + found_rules if p.cell}
        # A cell the reader or a rule already explains needs no second, vaguer schema message.
        problems += [p for p in found_schema if (p.sheet, p.cell) not in specific or not p.cell]
        problems += found_rules
        if review is not None:
            found_review = review_problems(result.document, cfg, review, form)
            locate(result, found_review)
            problems += found_review
    seen = set()
    for p in problems:
        key = (p.code, p.sheet, p.cell, p.path, p.message)
        if key not in seen:
            seen.add(key)
            report.problems.append(p)
    if review is not None and result.document is not None:
        from .._review import review_score

        report.review_score = review_score(report.problems, cfg.rules, review.settings)
    return report


def _review_of(review, cfg: Config, previous, library, review_config):
    """The Review for a call: the one given (a loaded Review), one loaded when True, or None."""
    if review is None or review is False:
        return None
    if review is True:
        from .._review import load_review

        return load_review(review_config=review_config, library=library, previous=previous, config=cfg)
    return review


def validate_file(path, *, rules=None, frameworks=None, config: Config | None = None, review=False,
                  previous=None, library=None, review_config=None) -> FileReport:
    """Read and check one file; the FileReport keeps its document.

    `review=True` adds the review notices and the review_score (see ``validate``).
    """
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    rv = _review_of(review, cfg, previous, library, review_config)
    return check_result(read(path, config=cfg), cfg, rv)


def validate_document(doc: dict, *, rules=None, frameworks=None, config: Config | None = None,
                      form: str = GOAL_TABLE.id, review=False, previous=None, library=None,
                      review_config=None) -> list[Problem]:
    """Schema and rule problems of a JSON document (located by JSON pointer only); review ones with `review`."""
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    f = FORMS[form]
    found = schema_problems(doc, form=f, rules=cfg.rules) + rule_problems(doc, cfg, f)
    rv = _review_of(review, cfg, previous, library, review_config)
    return found + (review_problems(doc, cfg, rv, f) if rv is not None else [])


def _check_file(path, config: Config, keep_documents: bool, review=None) -> FileReport:
    report = check_result(read(path, config=config), config, review)
    if not keep_documents:
        report.document = None  # keeps what workers send back small
    return report


def validate(paths, *, strict: bool = False, jobs: int | None = 1, keep_documents: bool = False,
             rules=None, frameworks=None, config: Config | None = None, review: bool = False,
             previous=None, library=None, review_config=None) -> ValidationReport:
    """Validate files and folders of returns.  Never raises for a bad file.

    `jobs` > 1 reads files in that many worker processes (None: all cores); the result is
    the same, in the same order.  Each FileReport keeps its document only with
    `keep_documents=True` (whatever the number of jobs).

    `review=True` runs the review checks too (目标审核: ``notice`` problems, which never fail a
    file unless the rule table raises their severity) and gives each FileReport a
    ``review_score`` (0–100).  `previous` (last year's returns: files or folders of workbooks
    or JSON documents), `library` (an indicator library, CSV or xlsx) and `review_config` (a
    JSON file laid over ``schema/review.json``) feed the review; a missing path or a bad file
    among them is a ConfigError, a last-year return that cannot be read is listed in
    ``previous_problems``.
    """
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    rv = _review_of(review, cfg, previous, library, review_config)
    files, skipped = expand_paths(as_list(paths))
    report = ValidationReport(strict=strict, skipped=skipped, review=rv is not None,
                              previous_problems=list(rv.previous.problems) if rv and rv.previous else [])
    work = functools.partial(_check_file, config=cfg, keep_documents=keep_documents, review=rv)
    report.files.extend(pmap(work, [str(f) for f in files], jobs))
    return report
