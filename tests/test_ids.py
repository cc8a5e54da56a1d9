"""Indicator rows as a department meets them through the year: the 序号 messages name a row by, the order of
the 序号, the 指标编号 a goal table gives its rows (workbook or JSON), and last year's returns."""

import csv
import io
import json

import openpyxl

from xlgoals import fill, validate
from xlgoals._form import a1

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import F, edited, ind_cell

_ROW_KEYS = ("level1", "level2", "name", "comparator", "value", "unit")


def _with_blank_row(tmp_path, doc, blank: int, edits: dict | None = None):
    """The goal table of `doc` filled, its row `blank` (0-based) emptied as a clerk leaves a row blank, and
    `edits` made; the rows below keep the 序号 printed on them."""
    src = fill(doc, tmp_path / "filled.xlsx")
    changes = {ind_cell(blank, key): None for key in _ROW_KEYS}
    changes.update(edits or {})
    return edited(src, tmp_path / "甲_项目.xlsx", changes)


def _seq_at(path, index_on_sheet: int) -> int:
    ws = openpyxl.load_workbook(path)[F.table.name]
    return ws[a1(F.table.first_row + index_on_sheet, F.column("seq").index)].value


def test_messages_name_an_indicator_by_the_seq_its_row_prints(tmp_path):
    """Row 3 left blank: the rule problems of the rows below named them by rows read (“第4条指标” on the row
    printed 5), so the clerk looked at the wrong row; now by the printed 序号, in every output."""
    doc = load(EXAMPLE_JSON[1])
    fourth = doc["indicators"][3]["name"]
    path = _with_blank_row(tmp_path, doc, 2, {ind_cell(4, "name"): fourth,  # the same name as the row printed 4
                                              ind_cell(5, "level2"): "满意度"})  # not of its 一级
    assert _seq_at(path, 4) == 5 and _seq_at(path, 5) == 6
    report = validate([path]).files[0]
    dup = next(p for p in report.problems if p.code == "rule.duplicate_name")
    assert dup.cell == ind_cell(4, "name")[1]
    assert dup.field.startswith("第5条指标") and "另见 第4条指标" in dup.message
    assert dup.field_title("en").startswith("indicator 5") and "also at indicator 4" in dup.message_en
    mismatch = next(p for p in report.problems if p.code == "rule.level2_mismatch")
    assert mismatch.field.startswith("第6条指标") and mismatch.field_title("en").startswith("indicator 6")

    as_json = json.loads(cli("validate", path, "--format", "json", "--lang", "en").output)
    fields = {p["code"]: p["field"] for p in as_json["files"][0]["problems"]}
    assert fields["rule.level2_mismatch"].startswith("indicator 6")
    rows = list(csv.DictReader(io.StringIO(cli("validate", path, "--format", "csv").output.lstrip("\ufeff"))))
    assert next(r for r in rows if r["code"] == "rule.level2_mismatch")["field"].startswith("第6条指标")
    assert "另见 第4条指标" in cli("validate", path).output
    assert "also at indicator 4" in cli("validate", path, "--lang", "en").output
    out = tmp_path / "annotated"
    cli("validate", path, "--annotate", out)
    wb = openpyxl.load_workbook(next(out.iterdir()))
    listing = [[c.value for c in row] for row in wb["问题清单"].iter_rows(min_row=2)]
    assert next(r for r in listing if r[8] == "rule.level2_mismatch")[4].startswith("第6条指标")


def test_a_row_without_a_printed_seq_is_named_by_its_sheet_row(tmp_path):
    """A row inserted by the department prints no 序号: it is named by the row number Excel shows, never by a
    number another row prints."""
    doc = load(EXAMPLE_JSON[1])
    src = fill(doc, tmp_path / "filled.xlsx")
    path = edited(src, tmp_path / "甲.xlsx", {ind_cell(3, "seq"): None, ind_cell(3, "level2"): "满意度"})
    report = validate([path]).files[0]
    mismatch = next(p for p in report.problems if p.code == "rule.level2_mismatch")
    row = F.table.first_row + 3 + 1
    assert mismatch.field.startswith(f"第{row}行的指标")
    assert mismatch.field_title("en").startswith(f"the indicator in row {row}")

