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
    target_errors: list[str] = field(default_factory=list)  # goal tables given with targets= that could not be used

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


def locate(result: ReadResult, problems: list[Problem]) -> None:
    for p in problems:
        if not p.cell and p.path:
            p.sheet, p.cell = result.source_of(p.path)
        p.file = result.path


def check_result(result: ReadResult, config: Config | None = None) -> FileReport:
    """Schema and rule problems for a read result, merged with the reader's own, located and deduplicated."""
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
    seen = set()
    for p in problems:
        key = (p.code, p.sheet, p.cell, p.path, p.message)
        if key not in seen:
            seen.add(key)
            report.problems.append(p)
    return report


def validate_file(path, *, rules=None, frameworks=None, config: Config | None = None) -> FileReport:
    """Read and check one file; the FileReport keeps its document."""
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    return check_result(read(path, config=cfg), cfg)


def validate_document(doc: dict, *, rules=None, frameworks=None, config: Config | None = None,
                      form: str = GOAL_TABLE.id) -> list[Problem]:
    """Schema and rule problems of a JSON document (located by JSON pointer only)."""
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    f = FORMS[form]
    return schema_problems(doc, form=f, rules=cfg.rules) + rule_problems(doc, cfg, f)


def _check_file(path, config: Config, keep_documents: bool, targets=None) -> FileReport:
    result = read(path, config=config)
    report = check_result(result, config)
    if targets is not None and result.document is not None:  # validate --targets: locked values unchanged
        extra = targets.problems(result.document, config.rules)
        locate(result, extra)
        report.problems += extra
    if not keep_documents:
        report.document = None  # keeps what workers send back small
    return report


def validate(paths, *, strict: bool = False, jobs: int | None = 1, keep_documents: bool = False,
             rules=None, frameworks=None, config: Config | None = None, targets=None,
             weights=None) -> ValidationReport:
    """Validate files and folders of returns.  Never raises for a bad file.

    `jobs` > 1 reads files in that many worker processes (None: all cores); the result is
    the same, in the same order.  Each FileReport keeps its document only with
    `keep_documents=True` (whatever the number of jobs).  `targets` (goal tables: files or folders)
    also compares each self-evaluation's locked targets and 分值 with its goal table (`weights`: a
    ``--weights`` file, as the templates were made with); goal tables that cannot be used are listed
    in ``report.target_errors``.
    """
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    files, skipped = expand_paths(as_list(paths))
    report = ValidationReport(strict=strict, skipped=skipped)
    index = None
    if targets is not None:
        from .._selfeval._targets import TargetsIndex

        index = TargetsIndex.load(targets, cfg, weights)
        report.target_errors = index.errors
    work = functools.partial(_check_file, config=cfg, keep_documents=keep_documents, targets=index)
    report.files.extend(pmap(work, [str(f) for f in files], jobs))
    return report
