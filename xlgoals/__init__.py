"""xlgoals: the 财政项目支出绩效目标表 (project expenditure performance-target table) as an Excel round trip.

Public API::

    write_template(out, framework=..., year=...)    # a protected blank template
    prefill_templates(csv, out_dir, ...)             # one prefilled template per CSV row
    fill(document, out)                              # JSON document -> filled workbook
    read(path) -> ReadResult                         # workbook -> document + cell sources + problems
    validate(paths) -> ValidationReport              # schema + rule table, problems located by cell
    consolidate(paths, out) -> ConsolidationResult   # many returns -> one summary workbook
"""

from .consolidation import ConsolidationResult, consolidate
from .errors import DocumentError, XlgoalsError
from .filler import fill
from .frameworks import Framework, framework_ids, list_frameworks, load_framework
from .problems import FileReport, Problem
from .reader import ReadResult, read
from .schema import load_schema, schema_problems
from .template import prefill_templates, write_template
from .validation import ValidationReport, validate, validate_document, validate_file

__version__ = "0.1.0"

__all__ = [
    "ConsolidationResult", "consolidate", "DocumentError", "FileReport", "Framework", "Problem", "ReadResult", "ValidationReport", "XlgoalsError",
    "fill", "framework_ids", "list_frameworks", "load_framework", "load_schema", "prefill_templates", "read",
    "schema_problems", "validate", "validate_document", "validate_file", "write_template", "__version__",
]
