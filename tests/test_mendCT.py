"""mendCT: loose ends of the day's merges (import order, risk/score code columns, skipped folders' codes, stamp round trip)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "xlgoals").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__":  # runs the program when imported
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def test_every_module_imports_first_in_a_fresh_process():
    """Each module of the package imported as the very first import of a fresh interpreter (a circular import
    between _consolidate and the self-evaluation's/monitoring's summaries broke `import xlgoals._selfeval._summary`)."""
    modules = _modules()
    assert "xlgoals._selfeval._summary" in modules and "xlgoals._monitor._summary" in modules
    script = ("import subprocess, sys\n"
              "bad = []\n"
              "for m in sys.argv[1:]:\n"
              "    r = subprocess.run([sys.executable, '-c', 'import ' + m], capture_output=True, text=True)\n"
              "    if r.returncode:\n"
              "        bad.append(m + ': ' + (r.stderr.strip().splitlines() or ['?'])[-1])\n"
              "print('\\n'.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", script, *modules], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=600)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("first", ["xlgoals._selfeval._summary", "xlgoals._monitor._summary", "xlgoals._consolidate"])
def test_summaries_registered_in_forms_order_whichever_module_comes_first(first):
    code = (f"import {first}\n"
            "from xlgoals._consolidate._tables import SUMMARIES\n"
            "from xlgoals._form import FORMS\n"
            "print(list(SUMMARIES))\n"
            "print([f for f in FORMS if f in SUMMARIES])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    got, order = out.stdout.splitlines()
    assert got == order
    assert set(eval(got)) == {"goal-table", "self-evaluation", "monitoring"}


def test_a_file_not_used_from_a_folder_of_inputs_has_its_catalog_code(tmp_path):
    """--targets/--previous folders: a file of another kind is skipped.not_source (was a plain pair: file.not_checked),
    its texts the catalog's with the kinds as detail."""
    from xlgoals import RuleTable
    from xlgoals._paths import SOURCE_SUFFIXES, documents, reason_code

    (tmp_path / "说明.txt").write_text("批复说明", encoding="utf-8")
    skipped: dict = {}
    assert documents([tmp_path], SOURCE_SUFFIXES, skipped) == []
    (why,) = skipped.values()
    assert reason_code(why) == "skipped.not_source"
    kinds = " .xlsx/.xlsm/.xls/.ods/.et/.json "
    assert tuple(why) == ("不是 .xlsx/.xlsm/.xls/.ods/.et/.json 文件", "not a .xlsx/.xlsm/.xls/.ods/.et/.json file")
    table = RuleTable.default()
    assert table.rules["skipped.not_source"].severity == "notice"
    p = table.problem("skipped.not_source", detail=kinds, detail_en=kinds)
    assert (p.message, p.message_en) == tuple(why)
