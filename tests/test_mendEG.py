"""mendEG (session 29): red team af's findings on the JSON/workbook comparison and the .xls reader's module.

* 1: a JSON return whose text holds Windows line ends (``\\r\\n``) and the workbook ``fill`` made of it read the same
  (held_content takes a text as the reader gives a cell's back: ``\\r\\n`` as ``\\n``, a lone ``\\r`` kept, as the
  reader keeps it; a name's white space folded, ``clean_name``); validate said the pair differs (return.duplicate
  …内容不同), consolidate too.
* 2: olefile failing to import is the installation's fault, not the department's file: ``file.reader_failed`` names
  the module and tells the bureau to repair the installation (``pip install``), with no advice to save the file
  again; the file fails (exit 1) and consolidate does not count it.
* 3: numbers compared with all their digits: two returns differing in the 16th digit differ (they read "the same
  (只是另存过)"); a workbook saved as Excel writes its doubles (1234567.8900000001) and as fill writes them
  (1234567.89) still reads the same.
"""

from __future__ import annotations

import copy
import json
import shutil
import sys
from pathlib import Path

import pytest

from xlgoals import fill, read

from .conftest import cli, load
from .helpers import info_cell
from .test_shown_digits import _with_raw_cells

ROOT = Path(__file__).resolve().parent.parent
JSON_01 = ROOT / "examples" / "json" / "01_筹办第46届世界技能大赛.json"
XLS = ROOT / "tests" / "fixtures" / "goal-table-lo-zero-dash.xls"
XLSX = ROOT / "examples" / "returns" / "01_筹办第46届世界技能大赛.xlsx"
DIFFER = "JSON 文档与工作簿内容不同，请核对"


def _validate(inbox, *more):
    result = cli("validate", inbox, "--format", "json", *more)
    assert "Traceback" not in result.output, result.output
    return result.exit_code, {Path(f["path"]).name: f for f in json.loads(result.output)["files"]}


# 1 -----------------------------------------------------------------------------------------------------------
def test_a_json_with_windows_line_ends_reads_as_the_workbook_filled_from_it(tmp_path):
    from xlgoals._check._validate import content_digest

    inbox = tmp_path / "in"
    inbox.mkdir()
    doc = load(JSON_01)
    doc["project"]["plan"] = doc["project"]["plan"].replace("。", "。\r\n", 2)
    assert "\r\n" in doc["project"]["plan"]
    doc["project"]["necessity"] = "甲\r乙\r\r\n丙"  # (a lone \r the reader keeps; \r\r\n read back as \r\n)
    doc["indicators"][0]["name"] = f"{doc['indicators'][0]['name']} 甲\t乙\r\n"  # a name: white space folded
    doc["project"]["name"] = doc["project"]["name"].replace("第", " 第 ")
    (inbox / "项目.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    fill(doc, inbox / "项目.xlsx")
    back = read(inbox / "项目.xlsx", isolated=False).document
    assert back["project"]["necessity"] == "甲\r乙\r\n丙" and "\r\n" not in back["project"]["plan"]
    assert " " not in back["project"]["name"] and back["indicators"][0]["name"].endswith("甲乙"), back
    assert content_digest(doc) == content_digest(back)
    other = copy.deepcopy(doc)
    other["project"]["necessity"] = "甲\n乙\n丙"  # (a lone \r is not \n: the reader keeps it)
    assert content_digest(other) != content_digest(doc)
    _, files = _validate(inbox)
    said = [p["message"] for f in files.values() for p in f["problems"] if p["code"] == "return.duplicate"]
    assert not [m for m in said if DIFFER in m], said  # (the same: nothing said, as of the national pair)
    assert files["项目.json"]["valid"] and files["项目.xlsx"]["valid"], files
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", out, "--json", js, "--force")
    assert result.exit_code == 0 and "内容不同" not in result.output, result.output


# 2 -----------------------------------------------------------------------------------------------------------
def _reader_failed(problems):
    assert [p["code"] for p in problems] == ["file.reader_failed"], problems
    p = problems[0]
    assert "olefile" in p["message"] and "pip install" in p["message"] and "另存" not in p["message"], p
    assert "损坏" not in p["title"] if "title" in p else True
    return p


@pytest.fixture
def no_olefile(monkeypatch):
    monkeypatch.setitem(sys.modules, "olefile", None)  # import olefile: ImportError (as a broken installation's)


def test_olefile_not_importing_is_said_as_the_installations_fault(tmp_path, no_olefile):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(XLS, inbox / "a.xls")
    shutil.copy(XLSX, inbox / "b.xlsx")
    code, files = _validate(inbox, "--jobs", "1")
    assert code == 1
    p = _reader_failed(files["a.xls"]["problems"])
    assert p["severity"] == "error" and "pip install --force-reinstall olefile" in p["message"], p
    assert not files["b.xlsx"]["problems"]
    en = cli("validate", inbox / "a.xls", "--format", "json", "--lang", "en")
    msg = json.loads(en.output)["files"][0]["problems"][0]["message"]
    assert "olefile" in msg and "pip install" in msg and "save it" not in msg.lower(), msg
    result = cli("read", inbox / "a.xls")
    assert result.exit_code == 1 and "Traceback" not in result.output and "pip install" in result.output, result.output
    assert "另存" not in result.output
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", out, "--json", js, "--force")
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["counts"]["counted"] == 1, data["counts"]
    assert "a.xls" in json.dumps(data, ensure_ascii=False)


def test_a_module_raising_importerror_inside_is_named_too(tmp_path, monkeypatch):
    """olefile itself found but failing (a broken file of it: ImportError with no module name): the module the
    .xls screen imports is named."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "olefile.py").write_text('raise ImportError("simulated: olefile broken")\n', encoding="utf-8")
    monkeypatch.delitem(sys.modules, "olefile", raising=False)
    monkeypatch.syspath_prepend(str(shim))
    r = read(XLS, isolated=False)
    assert [p.code for p in r.problems] == ["file.reader_failed"], [(p.code, p.message) for p in r.problems]
    assert "olefile" in r.problems[0].message and "simulated: olefile broken" in r.problems[0].message


# 3 -----------------------------------------------------------------------------------------------------------
def test_numbers_differing_in_the_16th_digit_differ():
    from xlgoals._check._validate import content_digest

    doc = load(JSON_01)
    i = next(k for k, it in enumerate(doc["indicators"]) if "value" in it)
    a, b = copy.deepcopy(doc), copy.deepcopy(doc)
    a["indicators"][i]["value"], b["indicators"][i]["value"] = 1234567890123456, 1234567890123459
    assert content_digest(a) != content_digest(b)
    a, b = copy.deepcopy(doc), copy.deepcopy(doc)
    a["budget"]["total"], b["budget"]["total"] = 12345678901234.51, 12345678901234.54
    assert content_digest(a) != content_digest(b)
    a["budget"]["total"] = 3000000
    b["budget"]["total"] = 3000000.0
    assert content_digest(a) == content_digest(b)


def test_a_workbook_saved_by_excel_and_by_fill_reads_the_same(tmp_path):
    """Excel writes a cell's double (1234567.8900000001, 0.30000000000000004), fill and LibreOffice its 15 digits:
    both read the same, compared with all their digits."""
    from xlgoals._check._validate import content_digest

    doc = load(JSON_01)
    doc["budget"]["total"] = doc["budget"]["current_year"] = 1234567.89
    src = fill(doc, tmp_path / "src.xlsx")
    total, current = info_cell("/budget/total"), info_cell("/budget/current_year")
    excel = _with_raw_cells(src, tmp_path / "excel.xlsx", {total: "<v>1234567.8900000001</v>",
                                                             current: "<v>1234567.8900000001</v>"})
    a, b = read(src, isolated=False).document, read(excel, isolated=False).document
    assert a is not None and b is not None
    assert content_digest(a) == content_digest(b) == content_digest(doc)


@pytest.mark.parametrize("where, values", [("target", (1234567890123456, 1234567890123459)),
                                           ("amount", (12345678901234.51, 12345678901234.54))])
def test_two_json_returns_differing_in_the_16th_digit_are_said_to_differ(tmp_path, where, values):
    """Red team af's rt_16digit.sh: both fail schema.range (blank to the summary), and were said 两份文件读出的内容相同
    （只是另存过） by validate and consolidate."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    for name, v in zip(("v1.json", "最终版.json"), values):
        doc = load(JSON_01)
        if where == "target":
            it = next(it for it in doc["indicators"] if "value" in it)
            it["value"], it["unit"] = v, "人次"
        else:
            doc["budget"]["total"] = doc["budget"]["current_year"] = v
        (inbox / name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    _, files = _validate(inbox)
    said = [p["message"] for p in files["v1.json"]["problems"] if p["code"] == "return.duplicate"]
    assert len(said) == 1 and "两份内容不同" in said[0] and "内容相同" not in said[0], said
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--force")
    assert "两份内容不同" in result.output and "内容相同" not in result.output, result.output
