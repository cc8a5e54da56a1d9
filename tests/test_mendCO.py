"""mendCO: validate's and read's machine outputs.  The CSV report marks every text a spreadsheet would read as a
number, a boolean or a date (one test, _report._marked); ..."""

from __future__ import annotations

import csv
import io
import json
import shutil

import openpyxl
import pytest

from .conftest import EXAMPLE_XLSX, ROOT, cli

EXAMPLE_JSON = ROOT / "examples" / "json" / "05_促进就业专项业务费.json"
RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10: 6280万元)

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


# f8: an amount the reader refuses (6280万元) is kept as typed in read's JSON; validating that JSON says what
# validating the workbook says (the reader's code, its fix), at the field's pointer
def _problems_of(path):
    r = cli("validate", path, "--format", "json", "--lang", "en")
    (f,) = json.loads(r.stdout)["files"]
    return r.exit_code, f["problems"]


_SAME = ("code", "severity", "path", "field_zh", "field_en", "value_zh", "expected_zh", "expected_en", "message_zh",
         "message_en")


@pytest.mark.parametrize("typed", ["6280万元", "6.28亿元", "壹仟元整", "1000.005", "-100", "约100"])
def test_an_amount_the_reader_refuses_gets_its_code_in_reads_json_too(tmp_path, typed):
    from .helpers import edited, info_cell

    book = edited(EXAMPLE_XLSX[1], tmp_path / "a.xlsx", {info_cell("/budget/total"): typed})
    doc = tmp_path / "a.json"
    read = cli("read", book, "-o", doc)
    assert read.exit_code == 1 and doc.exists(), read.output  # the JSON is still given (README)
    assert json.loads(doc.read_text(encoding="utf-8"))["budget"]["total"] == typed  # as typed
    (book_exit, in_book), (doc_exit, in_doc) = _problems_of(book), _problems_of(doc)
    at_book = [{k: p[k] for k in _SAME} for p in in_book if p["path"] == "/budget/total"]
    at_doc = [{k: p[k] for k in _SAME} for p in in_doc if p["path"] == "/budget/total"]
    assert at_book and at_doc == at_book
    assert [p["code"] for p in in_doc] == [p["code"] for p in in_book] and doc_exit == book_exit
    assert all(p["sheet"] == "" and p["cell"] == "" for p in in_doc)


def test_the_received_example_and_its_read_json_say_one_problem_with_one_fix(tmp_path):
    doc = tmp_path / "a.json"
    cli("read", RECEIVED, "-o", doc)
    (_, in_book), (_, in_doc) = _problems_of(RECEIVED), _problems_of(doc)
    total = [(p["code"], p["expected_zh"], p["value_zh"]) for p in in_doc if p["path"] == "/budget/total"]
    assert total == [("cell.amount_wan", "62800000", "6280万元")]
    assert sorted((p["code"], p["path"]) for p in in_doc) == sorted((p["code"], p["path"]) for p in in_book)



def test_a_workbook_and_its_read_json_with_a_refused_amount_are_still_one_return_in_a_summary(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(RECEIVED, inbox / "a.xlsx")
    cli("read", inbox / "a.xlsx", "-o", inbox / "a.json")
    r = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--include-invalid", "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert "JSON 文档与工作簿读出的内容相同（同一份申报）" in r.output and "内容不同" not in r.output, r.output

def test_a_text_the_reader_takes_is_still_the_schemas_type_error_in_a_document(tmp_path):
    doc = json.loads(EXAMPLE_JSON.read_text(encoding="utf-8"))
    doc["budget"]["total"] = "62,800,000"  # a cell typed so reads as the number: a document gives a number
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _, problems = _problems_of(path)
    assert [(p["code"], p["path"]) for p in problems if p["path"] == "/budget/total"] == [("schema.type", "/budget/total")]


# f5: each reason a file found was not checked has a code of the catalog, the same whatever --lang, with both
# languages: validate's JSON (skipped_files), its CSV (code column), frames (note_code, note_en), the summary
def _inbox_with_others(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "说明.txt").write_text("not a return", encoding="utf-8")
    (inbox / "来信.eml").write_text("From: a@b\n\nx", encoding="utf-8")
    (inbox / "~$甲.xlsx").write_bytes(b"")
    return inbox


_REASONS = {"来信.eml": "skipped.mail", "说明.txt": "skipped.not_workbook"}


def test_the_json_report_gives_each_file_not_checked_its_code_and_both_languages(tmp_path):
    inbox = _inbox_with_others(tmp_path)
    runs = {lang: json.loads(cli("validate", inbox, "--format", "json", "--lang", lang).stdout)["skipped_files"]
            for lang in ("zh", "en")}
    for lang, skipped in runs.items():
        assert {s["path"].rpartition("/")[2]: s["code"] for s in skipped} == _REASONS
        assert [(s["message_zh"], s["message_en"]) for s in skipped] == \
            [(s["message_zh"], s["message_en"]) for s in runs["zh"]]
        assert [s["reason"] for s in skipped] == [s["message_" + lang] for s in skipped]  # `reason` as before
    assert runs["zh"][0]["message_en"] == "a saved e-mail; not checked. If a return is only in its attachments, save " \
                                          "them and check those"


def test_the_csv_report_gives_each_file_not_checked_its_reasons_code(tmp_path):
    inbox = _inbox_with_others(tmp_path)
    for lang in ("zh", "en"):
        rows = list(csv.DictReader(io.StringIO(cli("validate", inbox, "--format", "csv", "--lang", lang).stdout
                                               .lstrip("\ufeff"))))
        assert {r["file"].rpartition("/")[2]: r["code"] for r in rows} == {**_REASONS, "~$甲.xlsx": "file.ignored"}


def test_frames_give_each_file_not_read_its_reasons_code_and_english(tmp_path):
    import xlgoals

    inbox = _inbox_with_others(tmp_path)
    shutil.copy(EXAMPLE_XLSX[1], inbox / "甲.xlsx")
    f = xlgoals.frames([inbox], jobs=1)
    got = {p.rpartition("/")[2]: (c, e) for p, c, e in zip(f.projects["path"], f.projects["note_code"],
                                                             f.projects["note_en"])}
    assert got["来信.eml"][0] == "skipped.mail" and got["说明.txt"] == ("skipped.not_workbook",
                                                                      "not a workbook file; not checked")
    assert got["~$甲.xlsx"] == ("file.ignored", "an editor lock file or system file, ignored")
    assert got["甲.xlsx"][0] is None or got["甲.xlsx"][0] != got["甲.xlsx"][0]  # a return: no reason (None or NA)


def test_the_summarys_check_sheet_gives_the_reasons_code(tmp_path):
    inbox = _inbox_with_others(tmp_path)
    shutil.copy(EXAMPLE_XLSX[1], inbox / "甲.xlsx")
    out = tmp_path / "汇总.xlsx"
    r = cli("consolidate", inbox, "-o", out, "--json", tmp_path / "汇总.json")
    assert r.exit_code == 0, r.output
    table = next(t for t in json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8")).values()
                 if isinstance(t, dict) and t.get("title") == "校验结果")
    cols = table["columns"]
    code_col = next(c for c in cols if c in ("问题代码", "代码", "code"))
    got = {row[cols.index("文件路径")].rpartition("/")[2]: row[cols.index(code_col)] for row in table["rows"]}
    assert {k: got[k] for k in ("来信.eml", "说明.txt", "~$甲.xlsx")} == {**_REASONS, "~$甲.xlsx": "file.ignored"}


def test_every_reason_is_in_the_catalog_with_its_texts():
    from xlgoals import RuleTable, _paths
    from xlgoals._check._jsondoc import skip_reason  # noqa: F401 (its reasons: skipped.not_document, below)

    rules = RuleTable.default().rules
    reasons = [getattr(_paths, n) for n in dir(_paths) if n.startswith("SKIP_")]
    assert reasons and all(isinstance(r, _paths.Reason) for r in reasons)
    assert len({r.code for r in reasons}) == len(reasons)
    table = RuleTable.default()
    for r in reasons:
        assert rules[r.code].severity == "notice"
        p = table.problem(r.code)
        assert (p.message, p.message_en) == tuple(r), r.code
    beside = _paths.beside_original("/收件箱/甲.xlsx")
    p = table.problem(beside.code, detail=" /收件箱/甲.xlsx ", detail_en=", /收件箱/甲.xlsx")
    assert beside.code == "skipped.beside_original" and (p.message, p.message_en) == tuple(beside)
    for code in (_paths.FOLDER_UNLISTED, _paths.NOT_DOCUMENT, _paths.NOT_CHECKED):
        assert rules[code].severity == "notice"
