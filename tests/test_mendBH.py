"""Red team 24g: false positives of session 24's checks on legitimate returns.

- 03: a zero shown as a dash (``#,##0;-#,##0;"-"``) is the 0 it stands for in an .ods too, where LibreOffice keeps
  the format as conditional parts (value()>0, value()<0, the zero part a text only).
- 04: WPS's hidden picture sheet (WpsReserved_CellImgList) re-saved by LibreOffice as .xls keeps its DISPIMG
  formula with a cached 0: passed over as in .xlsx/.ods; one DISPIMG pattern (``_xlfn.``, any case).
- 05: template names of a project approved for several years do not depend on what an earlier run left.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, read
from xlgoals._form import a1

from .conftest import cli
from .helpers import example_return

FIXTURES = Path(__file__).parent / "fixtures"
GOAL = FORMS["goal-table"]
TOTAL = next(f for f in GOAL.fields if f.path == "/budget/total")
TOTAL_REF = a1(TOTAL.row, TOTAL.col)


def _problems(path: Path) -> list[dict]:
    r = cli("validate", path, "--format", "json")
    return json.loads(r.output)["files"][0]["problems"]


# 03 ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ext", ["ods", "xlsx", "xls"])
def test_a_zero_shown_as_a_dash_is_no_format_blank_in_any_save(ext):
    """LibreOffice's saves of 0 under #,##0;-#,##0;"-" (B12) and #,##0.00;-#,##0.00;"—" (B13): the same answer."""
    path = FIXTURES / f"goal-table-lo-zero-dash.{ext}"
    assert [(p["code"], p["cell"]) for p in _problems(path) if p["code"].startswith("cell.")] == []


def _formatted(tmp_path: Path, value, fmt: str) -> Path:
    wb = openpyxl.load_workbook(example_return("goal-table"))
    wb[GOAL.info.name][TOTAL_REF].value = value
    wb[GOAL.info.name][TOTAL_REF].number_format = fmt
    wb.save(tmp_path / "r.xlsx")
    return tmp_path / "r.xlsx"


@pytest.mark.parametrize("value, fmt, warned", [
    (0, '[>0]#,##0;[<0]-#,##0;"-"', False),  # the conditional spelling of the accounting dash
    (0, '[<0]-#,##0;[>0]#,##0;"—"', False),
    (0, '[=0]"-";#,##0', False),  # a section for 0 alone
    (0.5, '[>=1]#,##0;[<=-1]-#,##0;"-"', True),  # the dash shows 0.5 too: not the zero it stands for
    (0, '[>=1]#,##0;[<=-1]-#,##0;"-"', True),
])
def test_a_dash_stands_for_zero_only_in_a_section_for_zero_alone(tmp_path, value, fmt, warned):
    found = [(p["code"], p["cell"]) for p in _problems(_formatted(tmp_path, value, fmt))
             if p["code"] == "cell.format_blank"]
    assert found == ([("cell.format_blank", TOTAL_REF)] if warned else []), found
