"""The Python API as an analyst scripts it: concurrent first calls from threads, arguments checked at the entry,
the exceptions a caller catches exported, problems as Problem values with exact numbers."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE_XLSX

# A fresh interpreter whose threads call validate at once.  multiprocessing's import is made slow (its context
# module, run 1.5 s late: not in find_spec, which holds the import system's global lock) and the threads start
# 0.3 s apart, so that the first thread's import is under way when the others come to pmap: they found the module
# half-made in sys.modules (AttributeError: current_process).  Everything else is loaded first, by one call with no
# other thread (one file: no pool, no multiprocessing), so no thread is kept back by another's import.
_RACE = """
import sys, time
from concurrent.futures import ThreadPoolExecutor
from importlib.machinery import PathFinder

class Slow:
    def find_spec(self, name, path=None, target=None):
        if name != "multiprocessing.context":
            return None
        spec = PathFinder.find_spec(name, path, target)
        run = spec.loader.exec_module
        def exec_module(module):
            time.sleep(1.5)
            run(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Slow())
import xlgoals
xlgoals.validate(sys.argv[1])
assert "multiprocessing" not in sys.modules

def one(i):
    time.sleep(0.3 * i)
    return xlgoals.validate(sys.argv[1]).valid

with ThreadPoolExecutor(4) as ex:
    print(list(ex.map(one, range(4))))
"""


def test_threads_calling_validate_first_at_once_all_get_their_report(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", _RACE, str(EXAMPLE_XLSX[2])], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[True, True, True, True]", proc.stderr


def _refused(call, keyword):
    """`call()` raises the house's error (a UsageError, and the TypeError or ValueError Python's own argument errors
    are), naming the argument in Chinese and in English, with no traceback from deep inside."""
    import xlgoals

    with pytest.raises(xlgoals.UsageError) as info:
        call()
    assert isinstance(info.value, (TypeError, ValueError))
    message = info.value.args[0]
    assert f"{keyword}=" in message and "应为" in message, message
    assert f"{keyword}=" in message.en and "should be" in message.en, message.en
    return info.value


def test_bad_arguments_are_said_at_the_entry_and_nothing_is_written(tmp_path):
    import datetime as dt

    import xlgoals

    ret = EXAMPLE_XLSX[2]
    doc = xlgoals.read(ret, isolated=False).document
    out = tmp_path / "out.xlsx"
    _refused(lambda: xlgoals.validate(None), "paths")
    _refused(lambda: xlgoals.validate([ret, None]), "paths")
    _refused(lambda: xlgoals.consolidate(None, out), "paths")
    _refused(lambda: xlgoals.frames(None), "paths")
    _refused(lambda: xlgoals.read(None), "path")
    _refused(lambda: xlgoals.validate_file(None), "path")
    _refused(lambda: xlgoals.validate(ret, review="yes"), "review")
    _refused(lambda: xlgoals.validate_document(doc, review="yes"), "review")
    _refused(lambda: xlgoals.validate(ret, config="rules.csv"), "config")
    _refused(lambda: xlgoals.validate_document(doc, config="rules.csv"), "config")
    _refused(lambda: xlgoals.consolidate(ret, out, made_on="yesterday"), "made_on")
    _refused(lambda: xlgoals.consolidate(ret, out, made_on=20240101), "made_on")
    _refused(lambda: xlgoals.write_template(out, year=2024, password=123), "password")
    _refused(lambda: xlgoals.fill(doc, out, password=123), "password")
    _refused(lambda: xlgoals.fill(doc, out, warnings=()), "warnings")  # (was: after the workbook was written)
    assert list(tmp_path.iterdir()) == []
    # what was right is still taken: a date as a date or its text, a list that takes the warnings
    result = xlgoals.consolidate(ret, out, made_on=dt.datetime(2024, 1, 2, 10, 30), jobs=1)
    assert result.totals is not None and out.exists()
    said = []
    xlgoals.fill(doc, tmp_path / "filled.xlsx", warnings=said)
    assert (tmp_path / "filled.xlsx").exists()


def test_yes_no_arguments_take_a_bool_only(tmp_path):
    import xlgoals

    ret = EXAMPLE_XLSX[2]
    out = tmp_path / "summary.xlsx"
    out.write_bytes(b"the bureau's own file")
    doc = xlgoals.read(ret, isolated=False).document
    # "no" is truthy: it overwrote the file, as force=True does
    _refused(lambda: xlgoals.consolidate(ret, out, force="no"), "force")
    _refused(lambda: xlgoals.fill(doc, out, force="no"), "force")
    _refused(lambda: xlgoals.write_template(out, force="no"), "force")
    _refused(lambda: xlgoals.write_defaults(tmp_path / "tables", force="no"), "force")
    _refused(lambda: xlgoals.consolidate(ret, out, include_invalid="no"), "include_invalid")
    assert out.read_bytes() == b"the bureau's own file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.xlsx"]
    # strict="no" checked strictly
    _refused(lambda: xlgoals.validate(ret, strict="no"), "strict")
    _refused(lambda: xlgoals.validate(ret, strict=1), "strict")
    _refused(lambda: xlgoals.validate(ret, keep_documents="no"), "keep_documents")
    _refused(lambda: xlgoals.read(ret, isolated="no"), "isolated")
    assert xlgoals.validate(ret, strict=False).strict is False


def test_the_errors_a_caller_catches_are_exported_and_documented(tmp_path):
    import xlgoals
    from xlgoals import _errors
    from tests.conftest import ROOT

    for name in ("OutputError", "JsonFileError"):
        assert name in xlgoals.__all__
        assert getattr(xlgoals, name) is getattr(_errors, name)
        assert issubclass(getattr(xlgoals, name), xlgoals.XlgoalsError)
        assert f"`{name}`" in (ROOT / "README.md").read_text(encoding="utf-8")
    bad = tmp_path / "doc.json"
    bad.write_text('{"year": 2024,', encoding="utf-8")
    with pytest.raises(xlgoals.JsonFileError) as caught:
        xlgoals.fill(bad, tmp_path / "out.xlsx")
    assert "doc.json" in str(caught.value) and caught.value.detail
    assert not (tmp_path / "out.xlsx").exists()


def test_a_number_found_is_the_decimal_the_reports_write(tmp_path):
    """Problem.value held the float (0.30000000000000004 summed, a huge number's binary digits); it is the Decimal of
    the digits the JSON and CSV reports write (``value_text``), from a workbook's cell as from a document."""
    from decimal import Decimal

    import xlgoals
    from xlgoals._problems import value_text
    from tests.helpers import edited, info_cell

    ret = EXAMPLE_XLSX[2]
    doc = xlgoals.read(ret, isolated=False).document
    doc["indicators"][0]["value"] = 0.1 + 0.2  # a number where a qualitative indicator takes none: schema.other
    found = {p.code: p for p in xlgoals.validate_document(doc) if p.path == "/indicators/0/value"}
    assert found["schema.other"].value == Decimal("0.30000000000000004"), found
    book = edited(ret, tmp_path / "r.xlsx", {info_cell("/budget/prior_year_budget"): 0.1 + 0.2})
    report = xlgoals.validate(book)
    fraction = next(p for p in report.problems() if p.code == "cell.amount_fraction")
    assert fraction.value == Decimal("0.3") and type(fraction.value) is Decimal  # as the cell shows it
    numbers = [p for p in [*found.values(), *report.problems()] if not isinstance(p.value, (str, type(None)))]
    assert numbers and all(type(p.value) in (int, Decimal) for p in numbers), [(p.code, p.value) for p in numbers]
    for p in numbers:
        assert p.to_dict()["value"] == value_text(p.value) and Decimal(p.to_dict()["value"]) == p.value
    assert json.loads(json.dumps(fraction.to_dict()))["value"] == "0.3"


def test_a_summarys_records_name_their_problems_fields(tmp_path):
    """ConsolidationResult.records[i].problems were bare tuples; each now says its fields by name, as a Problem does
    (severity, code, sheet, cell, message), and is still the tuple the summary's rows are made from."""
    import xlgoals
    from tests.helpers import edited, info_cell

    book = edited(EXAMPLE_XLSX[2], tmp_path / "r.xlsx", {info_cell("/budget/prior_year_budget"): 0.1 + 0.2})
    result = xlgoals.consolidate([book], tmp_path / "s.xlsx", jobs=1)
    (rec,) = result.records
    by_code = {p.code: p for p in rec.problems}
    fraction = by_code["cell.amount_fraction"]
    assert fraction.severity == "warning" and fraction.sheet and fraction.cell == info_cell("/budget/prior_year_budget")[1]
    assert "不足 1 元" in fraction.message
    assert tuple(fraction) == (fraction.severity, fraction.code, fraction.sheet, fraction.cell, fraction.message)
