"""Every kind of workbook xlgoals writes passes the Open XML SDK schema check (openxml-audit, pure Python),
annotated copies too (written with openpyxl, whose order of a font's children xlgoals puts right)."""

import shutil

import pytest

from xlgoals import consolidate, fill, prefill_templates, self_evaluation_templates, validate, write_template
from xlgoals._check._annotate import annotate

from .conftest import EXAMPLE_JSON, EXAMPLES, load
from .helpers import ooxml_errors

pytest.importorskip("openxml_audit")


def test_every_workbook_xlgoals_writes_passes_the_ooxml_check(tmp_path):
    made = {}
    made["template"] = write_template(tmp_path / "template.xlsx", framework="national-2021", year=2021)
    made["template with --library"] = write_template(tmp_path / "library.xlsx", library=EXAMPLES / "library.csv")
    result = prefill_templates(EXAMPLES / "projects.csv", tmp_path / "prefill", year=2020)
    made["prefilled template"] = result.written[0]
    doc = load(EXAMPLE_JSON[1])
    doc["contact"] = {"person": "张三", "phone": "021-12345678", "date": "2020-03-15", "head": "李四"}
    made["filled return"] = fill(doc, tmp_path / "filled.xlsx")
    received = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", received)
    failing = [f for f in validate([received]).files if not f.passes()]
    made["annotated copy"] = annotate(failing[0], tmp_path)
    se_failing = [f for f in validate([EXAMPLES / "received-self-evaluation"]).files if not f.passes()]
    made["annotated self-evaluation"] = annotate(se_failing[0], tmp_path / "se-annotated")
    made["summary"] = consolidate([EXAMPLES / "returns"], tmp_path / "summary.xlsx", jobs=1).output
    made["summary with --review"] = consolidate([EXAMPLES / "returns"], tmp_path / "review.xlsx", jobs=1,
                                                review=True).output
    se = self_evaluation_templates([EXAMPLE_JSON[1]], tmp_path / "self-evaluation")
    made["self-evaluation template"] = se.written[0]
    made["self-evaluation return"] = fill(load(EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json"),
                                          tmp_path / "se-return.xlsx")
    made["self-evaluation summary"] = consolidate([EXAMPLES / "self-evaluation"], tmp_path / "se-summary.xlsx",
                                                  jobs=1).output
    from xlgoals import monitoring_templates

    made["monitoring template"] = monitoring_templates([EXAMPLE_JSON[1]], tmp_path / "monitoring", month=6).written[0]
    made["monitoring return"] = fill(load(EXAMPLES / "monitoring" / "02_促进就业专项资金.json"),
                                     tmp_path / "mon-return.xlsx")
    made["monitoring summary"] = consolidate([EXAMPLES / "monitoring"], tmp_path / "mon-summary.xlsx", jobs=1).output
    made["shanghai-2025 template"] = write_template(tmp_path / "sh2025.xlsx", framework="shanghai-2025", year=2025)
    failures = {}
    for kind, path in made.items():
        errors = ooxml_errors(path)
        if errors:
            failures[kind] = errors[:3]
    assert not failures
