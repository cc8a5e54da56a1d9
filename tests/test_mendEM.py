"""mendEM (session 29): loose ends of today's merges.

* 1: cell.actual_format_conflict under a grouped format with texts between its digits (``#,##0"元"0"角"``, whose
  print-out is not worked out) names the unit shown and quotes no print-out (it quoted 12.5角), as
  cell.target_format_conflict does since cdeca75.
* 2: python_calamine failing to import is file.reader_failed (the installation's fault, the module named), in
  validate and consolidate, no traceback (it was an ImportError at ``import xlgoals``'s reader).
* 3: a MemoryError parsing a part (_grid._xml) is the worker's memory limit (file.crashed, 内存超过上限), not
  file.corrupt.
* 4: file.crashed of the memory limit says it is the checking side's limit (fewer --jobs) and that
  the department need not change the file; not "may be damaged, save it again".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import FORMS

from .conftest import EXAMPLES, cli

ROOT = Path(__file__).resolve().parent.parent
SE = sorted((EXAMPLES / "self-evaluation").glob("0*.xlsx"))[1]
XLSX = EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx"


# 1 -----------------------------------------------------------------------------------------------------------
def _actual_under(out, fmt: str, value=12.5):
    doc = xlgoals.read(SE).document
    k = next(n for n, it in enumerate(doc["indicators"]) if it.get("unit") == "%" and it.get("comparator") != "qualitative")
    form = FORMS["self-evaluation"].for_document(doc)
    wb = openpyxl.load_workbook(SE)
    cell = wb[form.table.name].cell(row=form.table.first_row + k + 1, column=form.column("actual").index + 1)
    cell.value, cell.number_format = value, fmt
    wb.save(out)
    return [p for p in xlgoals.validate_file(out).problems if p.code == "cell.actual_format_conflict"]


def test_actual_conflict_under_an_unrendered_format_quotes_no_print(tmp_path):
    (p,) = _actual_under(tmp_path / "se.xlsx", '#,##0"元"0"角"')
    en = p.text("en")
    assert "12.5角" not in p.message and "12.5角" not in en  # (Excel does not print 12.5角)
    assert "“角”" in p.message and "'角'" in en, (p.message, en)
    assert "打印件上显示的是" not in p.message and "printed copy shows" not in en


def test_actual_conflict_under_a_rendered_format_keeps_its_quote(tmp_path):
    (p,) = _actual_under(tmp_path / "se.xlsx", '0.0"角"')
    assert "“12.5角”" in p.message and "打印件上显示的是“12.5角”" in p.message
    assert "the printed copy shows '12.5角'" in p.text("en")


# 2 -----------------------------------------------------------------------------------------------------------
_BLOCKED = ("import sys; sys.modules['python_calamine'] = None\n"
            "from xlgoals.cli import main\n"
            "main(sys.argv[1:])\n")


def _run_without_calamine(*args):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", _BLOCKED, *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


def test_calamine_not_importing_is_the_installations_fault(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(XLSX, inbox / "a.xlsx")
    r = _run_without_calamine("validate", inbox, "--format", "json", "--jobs", "1")
    assert "Traceback" not in r.stderr + r.stdout and r.returncode == 1, (r.returncode, r.stderr[-2000:])
    (p,) = json.loads(r.stdout)["files"][0]["problems"]
    assert p["code"] == "file.reader_failed", p
    assert "python_calamine" in p["message"] and "pip install --force-reinstall python_calamine" in p["message"], p
    assert "另存" not in p["message"]
    out, js = tmp_path / "s.xlsx", tmp_path / "s.json"
    r = _run_without_calamine("consolidate", inbox, "-o", out, "--json", js, "--force")
    assert "Traceback" not in r.stderr + r.stdout, r.stderr[-2000:]
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["counts"]["counted"] == 0, data["counts"]
    assert "file.reader_failed" in json.dumps(data) and "python_calamine" in json.dumps(data, ensure_ascii=False)


# 3, 4 --------------------------------------------------------------------------------------------------------
def test_xml_memory_error_is_the_memory_limit(monkeypatch):
    from xlgoals._read import _grid

    class _ET:
        @staticmethod
        def fromstring(data):
            raise MemoryError

    monkeypatch.setattr(_grid, "ET", _ET)
    with pytest.raises(MemoryError):
        _grid._xml(b"<a/>", "xl/workbook.xml")


def test_memory_limit_message_is_the_checking_machines(tmp_path):
    from xlgoals._config import Config
    from xlgoals._read import unread

    p = unread(XLSX, "memory", Config.load()).problems[0]
    assert p.code == "file.crashed" and "内存超过上限" in p.message
    en = p.text("en")
    assert "损坏" not in p.message and "另存" not in p.message, p.message
    assert "damaged" not in en and "save it" not in en.lower(), en
    assert "--jobs" in p.message and "内存" in p.message and "无需改动" in p.message, p.message
    assert "--jobs" in en and "memory" in en and "need not change" in en, en
    other = unread(XLSX, "crashed", Config.load()).problems[0]  # (a crash is still said as the file's)
    assert "另存为 .xlsx" in other.message and "save it as .xlsx" in other.text("en")
