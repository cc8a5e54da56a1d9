"""xlgoals: the 财政项目支出绩效目标表 (project expenditure performance-target table) as an Excel round trip.

Public API::

    write_template(out, framework=..., year=...)    # a protected blank template
    prefill_templates(csv, out_dir, ...)             # one prefilled template per CSV row
    fill(document, out)                              # JSON document -> filled workbook
    read(path) -> ReadResult                         # workbook -> document + cell sources + problems
    validate(paths) -> ValidationReport              # schema + rule table, problems located by cell
    validate(paths, review=True, previous=..., library=...)  # + 目标审核 notices and a review_score per file
    consolidate(paths, out) -> ConsolidationResult   # many returns -> one summary workbook
    self_evaluation_templates(targets, out_dir)      # one 绩效自评表 per approved goal table

Every function that reads or checks takes ``rules=`` (a rule-table CSV laid over the packaged
one) and ``frameworks=`` (a folder of framework files), or ``config=`` (a loaded Config).
Forms are data: ``FORMS`` holds each form's declaration (sheets, fields, columns, positions).
"""

from ._check._ruletable import RuleDef, RuleTable
from ._check._schema import load_schema, schema_problems
from ._check._validate import ValidationReport, validate, validate_document, validate_file
from ._config import Config
from ._consolidate import ConsolidationResult, ReturnRecord, Status, consolidate
from ._errors import ConfigError, DocumentError, UnknownFramework, XlgoalsError
from ._form import FORMS, Area, Column, Field, FieldGrid, FieldSheet, Form, GuideSheet, PrintSetup, TableSheet, Validation, get_form
from ._frames import Frames, frames
from ._frameworks import Framework, FrameworkSet, framework_ids, list_frameworks, load_framework
from ._problems import FileReport, Problem
from ._read import ReadResult, read
from ._review import Library, LibraryEntry, PreviousIndex, Review, ReviewSettings, load_review
from ._selfeval._targets import self_evaluation_templates
from ._write._fill import fill
from ._write._template import PrefillResult, prefill_templates, write_template

__version__ = "0.2.0"

__all__ = [
    "__version__",
    "Area",
    "Column",
    "Config",
    "ConfigError",
    "consolidate",
    "ConsolidationResult",
    "DocumentError",
    "Field",
    "FieldGrid",
    "FieldSheet",
    "FileReport",
    "fill",
    "Form",
    "FORMS",
    "Frames",
    "frames",
    "Framework",
    "framework_ids",
    "FrameworkSet",
    "get_form",
    "GuideSheet",
    "Library",
    "LibraryEntry",
    "list_frameworks",
    "load_framework",
    "load_review",
    "load_schema",
    "prefill_templates",
    "PrefillResult",
    "PreviousIndex",
    "PrintSetup",
    "Problem",
    "read",
    "ReadResult",
    "ReturnRecord",
    "Review",
    "ReviewSettings",
    "RuleDef",
    "RuleTable",
    "schema_problems",
    "self_evaluation_templates",
    "Status",
    "TableSheet",
    "UnknownFramework",
    "validate",
    "validate_document",
    "validate_file",
    "Validation",
    "ValidationReport",
    "write_template",
    "XlgoalsError",
]
