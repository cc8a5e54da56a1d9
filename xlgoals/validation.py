"""Validate returns: read each file, check it against the JSON Schema, then the rule table.

``validate(paths)`` returns a ValidationReport whose FileReports carry every Problem with
its sheet and cell; the terminal report, JSON, CSV and annotated copies are all made from it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .parallel import pmap
from .problems import FileReport, Problem
from .reader import ReadResult, read
from .rules import rule_problems
from .schema import schema_problems

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass
class ValidationReport:
    files: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files in folders that are not workbooks
    strict: bool = False

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


def locate(result: ReadResult, problems: list[Problem]) -> None:
    for p in problems:
        if not p.cell and p.path:
            p.sheet, p.cell = result.source_of(p.path)
        p.file = result.path


def check_result(result: ReadResult) -> FileReport:
    """Schema and rule problems for a read result, merged with the reader's own, located and deduplicated."""
    report = FileReport(path=result.path, sha256=result.sha256, document=result.document)
    problems = list(result.problems)
    if result.document is not None:
        found_schema = schema_problems(result.document)
        found_rules = rule_problems(result.document)
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


def validate_file(path) -> FileReport:
    return check_result(read(path))


def validate_document(doc: dict) -> list[Problem]:
    """Schema and rule problems of a JSON document (located by JSON pointer only)."""
    return schema_problems(doc) + rule_problems(doc)


def _validate_for_report(path) -> FileReport:
    report = validate_file(path)
    report.document = None  # not needed for the report; keeps what workers send back small
    return report


def validate(paths, *, strict: bool = False, jobs: int | None = 1) -> ValidationReport:
    """Validate files and folders of returns.  Never raises for a bad file.

    `jobs` > 1 reads files in that many worker processes (None: all cores); the result is
    the same, in the same order.  FileReport.document is kept only with one job.
    """
    files, skipped = expand_paths([paths] if isinstance(paths, (str, os.PathLike)) else paths)
    report = ValidationReport(strict=strict, skipped=skipped)
    work = validate_file if jobs == 1 else _validate_for_report
    report.files.extend(pmap(work, [str(f) for f in files], jobs))
    return report
