"""A JSON document is held by validate to what fill refuses of it (the workbook's limits: an amount to the fen, 5000
rows, a cell's text, a date a spreadsheet holds); fill refuses a date before 1900 instead of crashing; the public API
takes bytes paths (os.listdir(b'.'), os.fsencode), a name that is not UTF-8 included."""

import json
import os
import shutil
import sys
from decimal import Decimal

import openpyxl
import pytest

import xlgoals
from xlgoals import DocumentError, consolidate, fill, frames, read, validate, validate_document, validate_file

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, cli, load


def _fill_refusal(doc, tmp_path) -> list:
    out = tmp_path / "f.xlsx"
    with pytest.raises(DocumentError) as exc:
        fill(doc, out)
    assert not out.exists()
    return exc.value.problems


def _same_as_fill(doc, tmp_path) -> list:
    """validate_document's problems that fill refused the document with: each found, as fill says it."""
    refused = _fill_refusal(doc, tmp_path)
    assert refused
    found = {(p.code, p.path): p for p in validate_document(doc)}
    for p in refused:
        assert (p.code, p.path) in found, (p.code, p.path, sorted(found))
        q = found[(p.code, p.path)]
        assert q.is_error and q.message == p.message and q.message_en == p.message_en
        assert q.message and q.message_en and q.message != q.message_en
    return refused


def test_an_amount_to_a_fraction_of_a_fen_is_refused_by_validate_as_by_fill(doc, tmp_path):
    doc["budget"]["total"] = 146407273.005
    (p,) = _same_as_fill(doc, tmp_path)
    assert (p.code, p.path, p.value) == ("cell.amount_decimals", "/budget/total", "146407273.005")
    # and the return is not summed: it fails, as a workbook with such an amount does
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "r.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (inbox / "ok.json").write_text(EXAMPLE_JSON[0].read_text(encoding="utf-8"), encoding="utf-8")
    report = validate([inbox], jobs=1)
    bad = next(r for r in report.files if r.path.endswith("r.json"))
    assert not bad.passes() and "cell.amount_decimals" in [q.code for q in bad.problems]
    result = consolidate([inbox], tmp_path / "s.xlsx", jobs=1)
    assert [r.status.name for r in result.records if str(r.path).endswith("r.json")] == ["INVALID"]
    ok = load(EXAMPLE_JSON[0])["budget"]["total"]
    assert (result.totals["total"], result.totals["projects"], result.totals["invalid"]) == (Decimal(ok), 1, 1)


def test_more_indicator_rows_than_a_workbook_holds_are_refused_by_validate(doc, tmp_path):
    rows = xlgoals.FORMS["goal-table"].table.max_rows
    doc["indicators"] = (doc["indicators"] * (rows // len(doc["indicators"]) + 1))[:rows + 1]
    refused = _same_as_fill(doc, tmp_path)
    assert [(p.code, p.path) for p in refused] == [("schema.length", "/indicators")]
    assert f"至多 {rows} 条（实际 {rows + 1} 条）" in refused[0].message


def test_a_name_longer_than_a_cell_gives_back_is_refused_by_validate(doc, tmp_path):
    doc["indicators"][0]["name"] = "指" * 400
    doc["project"]["name"] = "项" * 400
    refused = _same_as_fill(doc, tmp_path)
    assert {(p.code, p.path) for p in refused} == {("schema.length", "/indicators/0/name"),
                                                   ("schema.length", "/project/name")}


def test_a_number_beyond_fifteen_digits_is_refused_by_validate_as_by_fill(doc, tmp_path):
    doc["budget"]["current_year"] = 1234567890123456789
    (p,) = _same_as_fill(doc, tmp_path)
    assert (p.code, p.path) == ("schema.range", "/budget/current_year")


@pytest.mark.parametrize("small", [0.00001, 1.5e-07])
def test_a_small_number_in_few_digits_is_written_and_passes(doc, tmp_path, small):
    """1e-05 (0.00001 as Python writes it) is one digit, not beyond 15: fill writes it, validate takes it."""
    i = next(k for k, ind in enumerate(doc["indicators"]) if ind["comparator"] != "qualitative")
    doc["indicators"][i]["value"] = small
    assert not [p for p in validate_document(doc) if p.path == f"/indicators/{i}/value"]
    back = read(fill(doc, tmp_path / "r.xlsx"), isolated=False)
    assert back.document["indicators"][i]["value"] == small


def test_the_json_file_on_the_command_line_is_located_by_pointer(doc, tmp_path):
    doc["budget"]["total"] = 146407273.005
    doc["indicators"][0]["name"] = "指" * 400
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = cli("validate", f, "--format", "json", "--jobs", "1")
    (one,) = json.loads(r.output)["files"]
    found = {(p["code"], p["path"]) for p in one["problems"]}
    assert {("cell.amount_decimals", "/budget/total"), ("schema.length", "/indicators/0/name")} <= found
    assert r.exit_code == 1


@pytest.mark.parametrize("day", ["0000-01-01", "0001-01-01", "1899-12-31"])
@pytest.mark.parametrize("path", ["/project/start_date", "/project/end_date"])
def test_a_date_before_1900_is_refused_by_fill_and_validate(doc, tmp_path, day, path):
    doc["project"][path.rpartition("/")[2]] = day
    (p,) = _same_as_fill(doc, tmp_path)
    assert (p.code, p.path, p.value) == ("schema.range", path, day)
    assert "1900-01-01" in p.message and "1900-01-01" in p.message_en
    # said once: the rules see it blank, as a workbook's date the reader refuses (no rule.date_in_year beside it)
    assert [q.code for q in validate_document(doc) if q.path == path] == ["schema.range"]


@pytest.mark.parametrize("amount", [0.00001, 1.5e-07, 0.001])
def test_an_amount_below_a_fen_is_refused_however_python_writes_it(doc, tmp_path, amount):
    doc["budget"]["total"] = amount
    (p,) = _same_as_fill(doc, tmp_path)
    assert (p.code, p.path) == ("cell.amount_decimals", "/budget/total")


def test_an_amount_no_cell_holds_is_said_once(doc):
    doc["budget"]["total"] = 1.001  # (below 当年预算, to a rule that computed with it: as a workbook's reader, blank)
    assert [(q.code, q.path) for q in validate_document(doc) if q.path.startswith("/budget")] == \
        [("cell.amount_decimals", "/budget/total")]


def test_fill_on_the_command_line_says_the_date_not_a_traceback(doc, tmp_path):
    doc["project"]["start_date"] = "0000-01-01"
    f = tmp_path / "r.json"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = cli("fill", f, "-o", tmp_path / "r.xlsx")
    assert r.exit_code == 1 and not (tmp_path / "r.xlsx").exists()
    assert "/project/start_date" in r.output and "0000-01-01" in r.output and "Traceback" not in r.output


def test_a_date_from_1900_on_is_written_and_reads_back(doc, tmp_path):
    doc["project"]["start_date"] = "1900-01-01"
    assert "schema.range" not in [p.code for p in validate_document(doc)]
    back = read(fill(doc, tmp_path / "r.xlsx"), isolated=False)
    assert back.document["project"]["start_date"] == "1900-01-01"


class _BytesPath:
    def __init__(self, path: bytes):
        self.path = path

    def __fspath__(self) -> bytes:
        return self.path


_LINUX_NAMES = pytest.mark.skipif(sys.platform != "linux", reason="a name that is not UTF-8 is a Linux file system's")


def _gbk_return(tmp_path) -> tuple[bytes, bytes]:
    """(the folder, a return in it named in GBK, as a Windows zip unpacks: not UTF-8), as bytes."""
    folder = os.fsencode(tmp_path / "in")
    os.mkdir(folder)
    gbk = os.path.join(folder, "申报".encode("gbk") + b".xlsx")
    shutil.copy(EXAMPLE_XLSX[0], gbk)
    return folder, gbk


@_LINUX_NAMES
def test_the_api_takes_bytes_paths_a_gbk_name_too(tmp_path):
    folder, gbk = _gbk_return(tmp_path)
    as_text = os.fsdecode(gbk)
    one = read(gbk, isolated=False)
    assert one.document["project"]["name"] and not [p for p in one.problems if p.is_error]
    assert read(gbk).document == one.document  # (in the bounded child too)
    assert validate_file(gbk).path == as_text
    report = validate([gbk], jobs=1)
    assert [r.path for r in report.files] == [as_text] and report.valid
    assert [r.path for r in validate(folder, jobs=1).files] == [as_text]
    assert len(frames([folder], jobs=1).projects) == 1
    result = consolidate([gbk], os.fsencode(tmp_path / "s.xlsx"), jobs=1)
    assert [str(r.path) for r in result.records] == [as_text] and (tmp_path / "s.xlsx").exists()
    doc = tmp_path / "d.json"
    doc.write_text(EXAMPLE_JSON[0].read_text(encoding="utf-8"), encoding="utf-8")
    made = fill(os.fsencode(doc), os.path.join(folder, "填".encode("gbk") + b".xlsx"))
    assert read(made, isolated=False).document == load(EXAMPLE_JSON[0])


@_LINUX_NAMES
def test_a_pathlike_giving_bytes_is_a_path_too(tmp_path):
    folder, gbk = _gbk_return(tmp_path)
    assert read(_BytesPath(gbk), isolated=False).path == os.fsdecode(gbk)
    assert [r.path for r in validate(_BytesPath(folder), jobs=1).files] == [os.fsdecode(gbk)]
    assert validate(folder, jobs=1, exclude=[gbk]).files == []  # a run's output given as bytes is excluded too
    made = fill(load(EXAMPLE_JSON[0]), _BytesPath(os.path.join(folder, b"f.xlsx")))
    assert read(made, isolated=False).document == load(EXAMPLE_JSON[0])
