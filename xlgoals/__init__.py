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
    monitoring_templates(targets, out_dir, month=6)  # one 绩效运行监控表 per approved goal table

Every function that reads or checks takes ``rules=`` (a rule-table CSV laid over the packaged
one) and ``frameworks=`` (a folder of framework files), or ``config=`` (a loaded Config).
Forms are data: ``FORMS`` holds each form's declaration (sheets, fields, columns, positions).
"""

import importlib

TYPE_CHECKING = False  # typing.TYPE_CHECKING without loading typing (type checkers take this idiom alike)

# The public names and the private module each lives in.  They are imported on first use, so that
# `xlgoals validate one.xlsx` loads only what it runs (no xlsxwriter, openpyxl, pandas or jsonschema).
_EXPORTS = {
    "Area": "._form",
    "Column": "._form",
    "Computed": "._form",
    "Config": "._config",
    "ConfigError": "._errors",
    "consolidate": "._consolidate",
    "ConsolidationResult": "._consolidate",
    "DocumentError": "._errors",
    "exact_number": "._decimals",
    "Field": "._form",
    "FieldGrid": "._form",
    "FieldSheet": "._form",
    "FileReport": "._problems",
    "fill": "._write._fill",
    "csv_text": "._check._report",
    "Form": "._form",
    "JsonFileError": "._errors",
    "FORMS": "._form",
    "Framework": "._frameworks",
    "framework_ids": "._frameworks",
    "frames": "._frames",
    "Frames": "._frames",
    "FrameworkSet": "._frameworks",
    "get_form": "._form",
    "GuideSheet": "._form",
    "Library": "._review",
    "LibraryEntry": "._review",
    "list_frameworks": "._frameworks",
    "load_framework": "._frameworks",
    "load_review": "._review",
    "load_schema": "._check._schema",
    "monitoring_templates": "._monitor._targets",
    "prefill_templates": "._write._template",
    "OutputError": "._errors",
    "Param": "._form",
    "PrefillResult": "._write._template",
    "PreviousIndex": "._review",
    "PrintSetup": "._form",
    "Problem": "._problems",
    "read": "._read",
    "ReadResult": "._read",
    "ReturnRecord": "._consolidate",
    "Review": "._review",
    "ReviewSettings": "._review",
    "RuleDef": "._check._ruletable",
    "RuleTable": "._check._ruletable",
    "schema_problems": "._check._schema",
    "self_evaluation_templates": "._selfeval._targets",
    "Status": "._consolidate",
    "TableSheet": "._form",
    "TotalRow": "._form",
    "UnknownFramework": "._errors",
    "UsageError": "._errors",
    "validate": "._check._validate",
    "validate_document": "._check._validate",
    "validate_file": "._check._validate",
    "Validation": "._form",
    "ValidationReport": "._check._validate",
    "write_defaults": "._write._packaged",
    "write_template": "._write._template",
    "XlgoalsError": "._errors",
}

if TYPE_CHECKING:  # for type checkers and editors: the same names, imported eagerly
    from ._check._report import csv_text
    from ._check._ruletable import RuleDef, RuleTable
    from ._check._schema import load_schema, schema_problems
    from ._check._validate import ValidationReport, validate, validate_document, validate_file
    from ._config import Config
    from ._consolidate import ConsolidationResult, ReturnRecord, Status, consolidate
    from ._decimals import exact_number
    from ._errors import (ConfigError, DocumentError, JsonFileError, OutputError, UnknownFramework, UsageError,
                          XlgoalsError)
    from ._form import (FORMS, Area, Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, Param,
                        PrintSetup, TableSheet, TotalRow, Validation, get_form)
    from ._frames import Frames, frames
    from ._frameworks import Framework, FrameworkSet, framework_ids, list_frameworks, load_framework
    from ._problems import FileReport, Problem
    from ._read import ReadResult, read
    from ._review import Library, LibraryEntry, PreviousIndex, Review, ReviewSettings, load_review
    from ._monitor._targets import monitoring_templates
    from ._selfeval._targets import self_evaluation_templates
    from ._write._fill import fill
    from ._write._packaged import write_defaults
    from ._write._template import PrefillResult, prefill_templates, write_template


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'xlgoals' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS))


__version__ = "0.2.0"

__all__ = [
    "__version__",
    "Area",
    "Column",
    "Computed",
    "Config",
    "ConfigError",
    "consolidate",
    "ConsolidationResult",
    "csv_text",
    "DocumentError",
    "exact_number",
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
    "JsonFileError",
    "Library",
    "LibraryEntry",
    "list_frameworks",
    "load_framework",
    "load_review",
    "load_schema",
    "monitoring_templates",
    "OutputError",
    "Param",
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
    "TotalRow",
    "UnknownFramework",
    "UsageError",
    "validate",
    "validate_document",
    "validate_file",
    "Validation",
    "ValidationReport",
    "write_defaults",
    "write_template",
    "XlgoalsError",
]
