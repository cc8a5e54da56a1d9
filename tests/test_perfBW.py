"""The paper pass (_interpret._paper_shows) made cheap, saying the same (issue #10's reading cost): only the cells
whose style can print a value otherwise than it is read are looked up (_screen.paper_styles, Grid.paper_cells), a
style written unplainly among them; a number under a plain fixed-decimal format is measured from its digits
(_interpret._plain_units) and rendered only where that does not settle it."""

from __future__ import annotations

import copy
import io
import json
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from xlgoals import read
from xlgoals._form._paper import text_units
from xlgoals._read import _grid
from xlgoals._read._screen import rounded_away, shown_number

from .conftest import EXAMPLES, cli

RETURN = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
SELF_EVALUATION = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
INFO, TABLE = "项目信息", "绩效指标"
NEW = {"cell.text_unwrapped", "cell.number_rounded", "cell.number_hashes", "cell.font_hidden"}


def _found(path: Path) -> list[tuple]:
    r = cli("validate", path, "--format", "json")
    return sorted((p["code"], p["sheet"], p["cell"]) for p in json.loads(r.output)["files"][0]["problems"]
                  if p["code"] in NEW)


@pytest.mark.parametrize("path", [RETURN, SELF_EVALUATION])
def test_only_cells_whose_style_can_print_otherwise_are_looked_up(monkeypatch, path):
    found, looked = [], []
    real_cells, real_look = _grid.Grid.paper_cells, _grid.Grid.cell_look

    def paper_cells(self, name):
        cells = real_cells(self, name)
        found.append((self.looks(), cells))
        return cells

    def cell_look(self, name, r, c):
        looked.append((name, r, c))
        return real_look(self, name, r, c)

    monkeypatch.setattr(_grid.Grid, "paper_cells", paper_cells)
    monkeypatch.setattr(_grid.Grid, "cell_look", cell_look)
    read(path, isolated=False)  # (in this process: its Grid patched)
    # the cells looked at: those paper_cells finds, each look taken by the style index read (speedB: every style
    # of the examples is written plainly, so no tag is searched for again)
    suspects = [looks[int(s)] for looks, cells in found for s in cells.values()]
    assert suspects and looked == []  # (the forms' amounts and no-wrap cells are)
    # a wrapping text style of General format and no hiding font says nothing: never looked at
    assert [x for x in suspects if not x.hidden and x.code is None and x.wrap] == []


def _restyled(tmp_path: Path, src: Path, sheet_part: str, ref: str, how) -> Path:
    """`src` with the s attribute of cell `ref` in `sheet_part` rewritten by `how` (its value -> the new attribute)."""
    out = tmp_path / "restyled.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == sheet_part:
                data, n = re.subn(rb'(<c r="%s"[^>]*?) s="([0-9]+)"' % ref.encode(),
                                  lambda m: m[1] + how(m[2]), data, count=1)
                assert n == 1
            zout.writestr(item, data)
    return out


def _sheet_part(path: Path, name: str) -> str:
    wb = openpyxl.load_workbook(path)
    return f"xl/worksheets/sheet{wb.sheetnames.index(name) + 1}.xml"


@pytest.mark.parametrize("how", [lambda s: b" s='" + s + b"'", lambda s: b' s="0' + s + b'"',
                                 lambda s: b' s = "' + s + b'"'])
def test_a_style_written_unplainly_is_still_looked_at(tmp_path, how):
    def edit(wb):
        al = copy.copy(wb[TABLE]["D30"].alignment)
        al.wrap_text = False
        wb[TABLE]["D30"].alignment = al
    wb = openpyxl.load_workbook(RETURN)
    edit(wb)
    wb.save(tmp_path / "r.xlsx")
    assert _found(tmp_path / "r.xlsx") == [("cell.text_unwrapped", TABLE, "D30")]
    restyled = _restyled(tmp_path, tmp_path / "r.xlsx", _sheet_part(tmp_path / "r.xlsx", TABLE), "D30", how)
    assert _found(restyled) == [("cell.text_unwrapped", TABLE, "D30")]


CODES = ["0", "0.0", "0.00", "#,##0", "#,##0.00", "#,##0.000", "0%", "0.00%"]


def _values(n: int) -> list:
    rnd = random.Random(25)
    out = [0, -0.0, 0.5, 9.995, 99.5, 999.5, 0.9995, 0.004, -0.005, 1e15, 1e-320, 146407273.4, -146407273, 10**20]
    for _ in range(n):
        k = rnd.randrange(4)
        if k == 0:
            out.append(rnd.randint(-10 ** rnd.randint(0, 15), 10 ** rnd.randint(0, 15)))
        elif k == 1:
            out.append(round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 4)))
        elif k == 2:
            out.append(rnd.random())
        else:
            out.append(float(f"{rnd.randint(0, 999999)}.{rnd.randint(0, 99)}e{rnd.randint(-8, 12)}"))
    return out


def test_a_number_measured_from_its_digits_prints_as_rendered():
    """Where _plain_units settles a number (fits `units`, nothing rounded warned), shown_number fits as well and
    rounded_away finds nothing: the pass says what rendering it would."""
    from xlgoals._read._interpret import _plain_units

    settled = 0
    for value in _values(1500):
        for code in CODES:
            for typed in (True, False):
                units = _plain_units(code, value, typed)
                if units is None:
                    continue
                settled += 1
                try:
                    shown = shown_number(code, value)
                except ArithmeticError:
                    continue
                assert shown is None or text_units(shown) <= units, (code, value, shown, units)
                if typed:
                    assert rounded_away(code, value) is None, (code, value)
    assert settled > 10000
    assert _plain_units("0", 89.6, True) is None  # (prints 90: rounded_away says so)
    assert _plain_units("0.00", 89.6, True) == len("89.60")
    assert _plain_units("#,##0.00", 146407273, True) == len("146,407,273.00")
    assert _plain_units("0.00%", 0.846, True) == len("84.60%")
    assert _plain_units('0.00"元"', 1, True) is None  # (not a plain format: rendered)
