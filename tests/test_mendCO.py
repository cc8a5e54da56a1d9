"""mendCO: validate's and read's machine outputs.  The CSV report marks every text a spreadsheet would read as a
number, a boolean or a date (one test, _report._marked); ..."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from .conftest import ROOT, cli

EXAMPLE_JSON = ROOT / "examples" / "json" / "05_促进就业专项业务费.json"

#: texts a spreadsheet opening the CSV reads as another value (LibreOffice, zh-CN import: each was seen converted)
NUMBER_LIKE = [" 001", "1.10", "100.00", "1e5", "1.5E3", "+1", "-0", "1.", "１２３", "TRUE", "true", "1,234", "001",
               "50%", "12.50", ".5", "-.5", "00", "1E+05", "１．５", "－５", "5-", "5+", "3.14e-2", "1234567890123456",
               "0.1234567890123456", "-0.0", "1,234.50", "+1,234", "0%", "5e+3", "￥100", "TRUE ", "1/2", "3-4", "1.2.3"]
#: plain numbers a spreadsheet shows as the same text: written as they are (README)
SHOWN_AS_IS = ["-5", "0.5", "146407273", "0", "10", "-0.5", "123456789012345"]


def test_every_number_boolean_or_date_like_text_is_marked_and_given_back_by_csv_text():
    from xlgoals import csv_text
    from xlgoals._check._report import as_text

    written = [as_text(t) for t in NUMBER_LIKE]
    assert [w for w in written if w[:1] != "'"] == []
    assert written == ["'" + t for t in NUMBER_LIKE]
    assert [as_text(t) for t in SHOWN_AS_IS] == SHOWN_AS_IS
    quoted = ["'" + t for t in NUMBER_LIKE]  # a text typed with its own ' before a number-like text: one more
    assert [as_text(t) for t in quoted] == ["''" + t for t in NUMBER_LIKE]
    for t in NUMBER_LIKE + SHOWN_AS_IS + quoted + ["6280万元", "≥85%", "合格", "'1", "1 000", "5月", "Q1", "10元"]:
        assert csv_text(as_text(t)) == t, t
    assert [as_text(t) for t in ("6280万元", "≥85%", "合格", "1 000", "10元")] == ["6280万元", "≥85%", "合格", "1 000", "10元"]


def _number_like_report(tmp_path, values):
    inbox = tmp_path / "in"
    inbox.mkdir()
    doc = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    for k, v in enumerate(values):
        doc["indicators"][1]["value"] = v  # a target given as text: schema.type, `value` the text found
        doc["project"]["name"] = f"p{k:02d}"
        (inbox / f"{k:02d}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = tmp_path / "r.csv"
    r = cli("validate", inbox, "-o", report, "--jobs", "1")
    assert r.exit_code == 1, r.output
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    return report, rows


def test_validate_csv_marks_number_like_values_and_libreoffice_reads_them_back_as_the_text(tmp_path, lo_convert):
    from xlgoals import csv_text

    report, rows = _number_like_report(tmp_path, NUMBER_LIKE + SHOWN_AS_IS)
    found = [r for r in rows if r["code"] == "schema.type"]
    assert [r["file"][-7:-5] for r in found] == [f"{k:02d}" for k in range(len(found))]
    assert [r["value"] for r in found] == ["'" + t for t in NUMBER_LIKE] + SHOWN_AS_IS
    assert {r["valid"] for r in rows} == {"false"}  # the boolean column stays a boolean
    # opened as LibreOffice's import dialog opens it, UTF-8, zh-CN
    (opened,) = lo_convert(report, fmt="xlsx", infilter="Text - txt - csv (StarCalc):44,34,76,1,,2052")
    ws = openpyxl.load_workbook(opened).active
    heads = [c.value for c in ws[1]]
    shown = [r[heads.index("value")] for r in ws.iter_rows(min_row=2, values_only=True)
             if r[heads.index("code")] == "schema.type"]
    assert len(shown) == len(NUMBER_LIKE) + len(SHOWN_AS_IS)
    for typed, cell in zip(NUMBER_LIKE, shown):
        assert isinstance(cell, str) and csv_text(cell) == typed, (typed, cell)
    for typed, cell in zip(SHOWN_AS_IS, shown[len(NUMBER_LIKE):]):  # a number, shown as the text found
        assert isinstance(cell, (int, float)) and not isinstance(cell, bool) and f"{cell:.15g}" == typed, (typed, cell)
