"""From approved goal tables to monitoring reports, and back: templates, and locked targets unchanged.

``monitoring_templates(targets, out_dir, month=N)`` reads goal-table returns (workbooks) or their JSON
documents, files or folders — with the self-evaluation's target import, indicator ids and digests —
and writes one protected monitoring workbook per project, its targets and ids filled in and locked.
``TargetSet`` holds the goal tables for ``validate --targets``, for every form made from them: a
self-evaluation is checked by the self-evaluation's ``TargetsIndex``, a monitoring report here (matched
by ``targets_sha256``, else by unit and project).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple

from .._config import Config, config_of
from .._args import month as checked_month, paths as given
from .._errors import UsageError, XlgoalsError
from .._form import FORMS
from .._paths import SKIP_XLGOALS, corrected_copies, named_files, superseded, text_path
from .._pointers import get
from .._problems import Problem
from .._spool import pack
from .._text import Bilingual, at, in_lang, iso_date_or_blank, reason_of
from .._selfeval._targets import (OtherForm, OursFound, TargetsIndex, copy_source, goal_table_crashed, expand_targets,
                                  initial_budget_of, load_goal_table, refused_keys, self_evaluation_document, target_rows,
                                  targets_sha256, templates_from_targets)
from .._selfeval._weights import load_weights, points_file_name, points_tag
from .._write._template import PrefillResult

FORM_ID = "monitoring"
SELF_EVALUATION_ID = "self-evaluation"
#: What a monitoring report takes from its goal table and locks (header fields beyond the form's locked ones).
_LOCKED_KEYS = ("id", "level1", "level2", "name")


def _month(month) -> int:
    param = FORMS[FORM_ID].params[0]
    return checked_month(month, param.minimum, param.maximum)  # a whole number, "6" no more than 6.0


def monitoring_document(goal: dict, config: Config, month: int | None) -> dict:
    """The monitoring document a goal table starts: targets and ids, the approved budget as 年初预算数."""
    fw, _, rows = target_rows(goal, config)
    funds = initial_budget_of(goal)
    return {
        "schema_version": "1", "form": FORM_ID, "framework": fw.id, "year": goal["year"], "month": month,
        "unit": goal.get("unit"), "project": {"name": get(goal, "/project/name")},
        "targets_sha256": targets_sha256(goal), "funds": funds, "contact": {}, "indicators": rows,
    }


def monitoring_templates(targets, out_dir, *, month: int, password: str | None = None, frameworks=None,
                         config: Config | None = None, force: bool = False) -> PrefillResult:
    """One protected monitoring workbook for `month` (1–12) per goal table under `targets` (files or folders).

    A goal table that cannot be used is reported with its file name; the others are still written
    (as ``template --prefill`` and the self-evaluation's templates).  A file already at a workbook's path
    is kept unless `force`; an input goal table never is written over.
    """
    targets, out_dir = text_path(given(targets)), text_path(out_dir)  # b"..." names the same file; a generator: once
    cfg = config_of(config, frameworks=frameworks)
    month = _month(month)
    return templates_from_targets(targets, out_dir, cfg, functools.partial(monitoring_document, config=cfg,
                                                                           month=month), password=password, force=force)


# validate --targets ---------------------------------------------------------------------------------
class _Expected(NamedTuple):
    """What a worker makes of one goal table for ``validate --targets``."""

    error: str = ""  # why it cannot serve at all
    other_form: str = ""  # the id of the form it is instead: a return kept beside the goal tables
    #: (targets_sha256, unit, project, year) of the documents below (TargetsIndex.keys_of), or, with `error`, of a
    #: goal table refused whose document was read (refused_keys; () where none was)
    keys: tuple = ()
    monitoring: bytes | None = None  # the monitoring report as it should stand, packed
    self_evaluation: bytes | None = None  # the self-evaluation as it should stand, packed
    self_evaluation_error: str = ""  # why it cannot give a self-evaluation's 分值
    ours: bool = False  # `error` says it is a workbook xlgoals wrote (OursFound)
    source: str = ""  # an annotated copy read (corrected and sent back): the SHA-256 it records of the file it marks
    filled_on: str = ""  # its 填报日期 (ISO, or ""): which of a project's goal tables serves (serving_rank)


def _expectations(path, config: Config, weights) -> _Expected:
    """In a worker: what one goal table expects of the returns made from it."""
    try:
        goal = load_goal_table(path, config)
        expected = monitoring_document(goal, config, None)
    except OtherForm as exc:  # a return kept beside the goal tables: passed over, with a notice
        return _Expected(other_form=exc.form)
    except OursFound as exc:
        return _Expected(error=reason_of(exc), ours=True)
    except XlgoalsError as exc:  # (refused once read: its project's returns are told so, not that none was found)
        return _Expected(error=reason_of(exc), keys=refused_keys(getattr(exc, "document", None)),
                         source=copy_source(path))
    found = _Expected(keys=TargetsIndex.keys_of(expected), monitoring=pack(expected), source=copy_source(path),
                      filled_on=iso_date_or_blank(get(goal, "/contact/date")))
    try:
        return found._replace(self_evaluation=pack(self_evaluation_document(goal, config, weights,
                                                                            sha=expected["targets_sha256"])))
    except XlgoalsError as exc:
        why = reason_of(exc)
        return found._replace(self_evaluation_error=Bilingual(f"{why}（用于绩效自评表）",
                                                              f"{in_lang(why, 'en')} (for self-evaluations)"))


def _crashed(path, reason: str) -> _Expected:
    return _Expected(error=goal_table_crashed(path, reason).error)


@dataclass
class TargetSet(TargetsIndex):
    """Approved goal tables, for every form made from them: self-evaluations (with their 分值) and monitoring reports.

    Each goal table is read once.  The index itself holds the expected monitoring documents; ``unusable`` lists
    the goal tables that could not be read, ``self_evaluation_unusable`` those that could be read but not given
    分值 (they matter for self-evaluations only), each as (path, why).
    """

    self_evaluation: TargetsIndex = field(default_factory=TargetsIndex)
    unusable: list = field(default_factory=list)
    self_evaluation_unusable: list = field(default_factory=list)
    other_forms: list = field(default_factory=list)  # (path, the form's id) of returns among the goal tables
    #: the folders of the goal-table files given (real paths): a goal table among the returns checked that lies there
    #: is one of them (validate 批复/ 收到/ --targets 批复/; a workbook beside the JSON given), not one sent back
    folders: frozenset = frozenset()

    form_id: ClassVar[str] = FORM_ID
    unmatched_code: ClassVar[str] = "monitor.targets_unmatched"
    refused_code: ClassVar[str] = "monitor.targets_refused"
    competing_code: ClassVar[str] = "monitor.targets_competing"
    other_version_code: ClassVar[str] = "monitor.targets_other_version"
    other_year_code: ClassVar[str] = "monitor.targets_other_year"
    changed_code: ClassVar[str] = "monitor.target_changed"
    missing_code: ClassVar[str] = "monitor.target_row_missing"
    moved_code: ClassVar[str] = "monitor.target_rows_moved"
    renumbered_code: ClassVar[str] = "monitor.target_ids_renumbered"
    extra_code: ClassVar[str] = "monitor.target_row_extra"
    initial_code: ClassVar[str] = "monitor.initial_budget_changed"
    item_keys: ClassVar[tuple[str, ...]] = _LOCKED_KEYS

    @classmethod
    def load(cls, paths, config: Config, weights=None, jobs: int | None = 1, found: tuple | None = None) -> TargetSet:
        """The goal tables under `paths` (`found`: their files and the other files of their folders, when the
        caller has searched them already), read in `jobs` worker processes bounded in time and memory as
        returns are (goal tables are files too, and a province's are tens of thousands), expectations packed."""
        from .._check._validate import check_files

        weights = load_weights(weights, config.frameworks)
        out = cls()
        if weights is not None:  # the scheme the expected 分值 come from, for the stamps that record theirs
            out.self_evaluation.points = points_tag(weights)
            out.self_evaluation.points_file = points_file_name(weights)
        if found is None:
            files = expand_targets(paths, out.skipped)
        else:
            files, out.skipped = found
        out.folders = frozenset(os.path.dirname(os.path.realpath(p)) for p in files)
        work = functools.partial(_expectations, config=config, weights=weights)
        named = named_files(paths)
        got_all = list(zip(files, check_files(work, files, config, jobs, _crashed), strict=True))
        # a goal table whose annotated copy, corrected by the department, is given too: superseded by the copy (the
        # newest correction), said, never an approval competing with it
        replaced = corrected_copies({os.fspath(p): g.source for p, g in got_all if g.source and not g.ours}, files)
        for p, copy in replaced.items():
            out.skipped[p] = superseded(copy)
        for path, got in got_all:
            if os.fspath(path) in replaced:
                continue
            if got.ours and os.path.normpath(path) not in named:  # a summary or annotated copy lying in the folder
                out.skipped[str(path)] = SKIP_XLGOALS  # passed over, as validate passes it over
            elif got.error:
                out.unusable.append((path, got.error))
                if not got.ours:  # (a summary named as a goal table is none: no return's goal table is among them)
                    out.refuse(got.keys, path, got.error)
                    out.self_evaluation.refuse(got.keys, path, got.error)
            elif got.other_form:
                out.other_forms.append((path, got.other_form))
            else:
                out.add(got.monitoring, got.keys, path, got.filled_on)
                if got.self_evaluation_error:
                    out.self_evaluation_unusable.append((path, got.self_evaluation_error))
                    out.self_evaluation.refuse(got.keys, path, got.self_evaluation_error)
                else:
                    out.self_evaluation.add(got.self_evaluation, got.keys, path, got.filled_on)
        return out

    def given(self, path) -> bool:
        """Whether `path` lies where the goal tables given do (one of them, or a file beside them: by real path)."""
        return os.path.dirname(os.path.realpath(path)) in self.folders

    def unusable_for(self, forms) -> list[tuple]:
        """(path, why) of the goal tables that could not serve returns of these forms (分值 problems are left
        out only when the returns are monitoring reports and no self-evaluations)."""
        only_monitoring = FORM_ID in forms and SELF_EVALUATION_ID not in forms
        return self.unusable + ([] if only_monitoring else self.self_evaluation_unusable)

    def errors_for(self, forms) -> list:
        """The same, one line each (``path：why``, Bilingual: ``path: why`` in English)."""
        return [at(path, why) for path, why in self.unusable_for(forms)]

    def header_paths(self, form) -> list[str]:
        return ["/year", "/unit", "/project/name"]

    def problems(self, doc, rules, cleared=(), unread=None, stamp=None, fw=None, intact: bool = False
                 ) -> list[Problem]:
        """Every locked value of a return that differs from its goal table's (located by pointer): a
        self-evaluation against its expected self-evaluation, a monitoring report against its own."""
        if isinstance(doc, dict) and doc.get("form") == SELF_EVALUATION_ID:
            return self.self_evaluation.problems(doc, rules, cleared, unread, stamp, fw=fw, intact=intact)
        return super().problems(doc, rules, cleared, unread, fw=fw, intact=intact)

    def locked_compared(self, doc, fw=None, points_elsewhere: bool = False) -> tuple[list, list] | None:
        if isinstance(doc, dict) and doc.get("form") == SELF_EVALUATION_ID:
            return self.self_evaluation.locked_compared(doc, fw, points_elsewhere)
        return super().locked_compared(doc, fw, points_elsewhere)

    def restored(self, doc, stamp=None, fw=None) -> dict | None:
        if isinstance(doc, dict) and doc.get("form") == SELF_EVALUATION_ID:
            return self.self_evaluation.restored(doc, stamp, fw)
        return super().restored(doc)
