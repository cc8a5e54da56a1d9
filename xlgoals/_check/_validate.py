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
from .._paths import SKIP_XLGOALS, scan
from .._problems import FileReport, Problem
from .._read import ReadResult, read
from ._rules import Env
from ._schema import schema_problems


@dataclass
class ValidationReport:
    """What ``validate()`` returns: a FileReport per file checked, and every other file accounted for."""

    files: list[FileReport] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files found in folders and not checked
    strict: bool = False
    skipped_reasons: dict = field(default_factory=dict)  # path -> (zh, en) why it was not checked
    ignored: list[str] = field(default_factory=list)  # editor and system droppings (~$x.xlsx, .DS_Store …)

    @property
    def valid(self) -> bool:
        return all(f.passes(self.strict) for f in self.files)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if not f.passes(self.strict)]

    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]


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
        # an empty cell the reader already explained (an error value) needs no "required" message too
        explained = {(p.sheet, p.cell) for p in problems if p.cell}
        found_rules = [p for p in found_rules if not (p.cell and (p.sheet, p.cell) in explained
                                                      and cfg.rules[p.code].check == "required")]
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


def _check_file(path, config: Config, keep_documents: bool) -> FileReport:
    report = check_result(read(path, config=config), config)
    if not keep_documents:
        report.document = None  # keeps what workers send back small
    return report


_CRASH_DETAIL = {"crashed": ("读取程序异常退出", "the reader stopped abnormally"),
                 "memory": ("内存超过上限", "memory limit exceeded")}


def crash_report(path, reason: str, config: Config) -> FileReport:
    """The FileReport of a file whose worker died or ran out of time: one problem, the run goes on."""
    if reason == "timeout":
        p = config.rules.problem("file.timeout", expected=str(config.limits["file_seconds"]))
    else:
        zh, en = _CRASH_DETAIL.get(reason, (reason, reason))
        p = config.rules.problem("file.crashed", detail=zh)
        p.message_en = config.rules.problem("file.crashed", detail=en).message_en
    p.file = str(path)
    return FileReport(path=str(path), problems=[p])


def check_files(work, files: list[str], config: Config, jobs: int | None, on_crash):
    """Run `work` over files in worker processes bounded in time and memory (schema/limits.json)."""
    return pmap(work, files, jobs, on_crash=on_crash, timeout=config.limits["file_seconds"],
                memory_mb=config.limits["worker_memory_mb"])


def validate(paths, *, strict: bool = False, jobs: int | None = 1, keep_documents: bool = False,
             rules=None, frameworks=None, config: Config | None = None, exclude=()) -> ValidationReport:
    """Validate files and folders of returns.  Never raises for a bad file.

    Files are read in `jobs` worker processes (None: all cores), each bounded in time and memory
    (``schema/limits.json``): a file that crashes its worker or overruns is reported, and the run
    goes on.  The result is the same, in the same order, for any number of jobs.  `exclude`
    lists this run's outputs (files or folders), never read as inputs.  Each FileReport keeps its document only with
    `keep_documents=True` (whatever the number of jobs).
    """
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    found = scan(as_list(paths), exclude)
    report = ValidationReport(strict=strict, ignored=found.ignored)
    work = functools.partial(_check_file, config=cfg, keep_documents=keep_documents)
    crashed = functools.partial(crash_report, config=cfg)
    skipped = dict(found.skipped)
    for f in check_files(work, found.files, cfg, jobs, crashed):
        if f.path not in found.named and [p.code for p in f.problems] == ["file.xlgoals_output"]:
            skipped[f.path] = SKIP_XLGOALS  # a summary or annotated copy lying in a received folder
        else:
            report.files.append(f)
    report.skipped = sorted(skipped)
    report.skipped_reasons = skipped
    return report
