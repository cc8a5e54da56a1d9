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


# 04 ----------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("ext", ["xlsx", "ods", "xls"])
def test_wps_picture_sheet_resaved_by_libreoffice_is_passed_over(ext):
    """WpsReserved_CellImgList (hidden, A1 =DISPIMG) re-saved by LibreOffice: its .xls keeps the formula it cannot
    write as an error constant with a cached 0, no DISPIMG text left."""
    path = FIXTURES / f"goal-table-lo-wps-cellimg.{ext}"
    codes = [p["code"] for p in _problems(path)]
    assert "template.extra_sheet" not in codes, codes
    assert cli("validate", path).exit_code == 0


def _cellimg_xlsx(tmp_path: Path, cached: str, formula: str = '_xlfn.DISPIMG("ID_0A1B2C3D4E5F",1)',
                  value_in_b2: str | None = None) -> Path:
    """The goal table's example return with WPS's hidden picture sheet, A1 holding `formula` with `cached` kept."""
    import zipfile
    wb = openpyxl.load_workbook(example_return("goal-table"))
    ws = wb.create_sheet("WpsReserved_CellImgList")
    ws.sheet_state = "hidden"
    ws["A1"] = "PLACEHOLDER"
    if value_in_b2 is not None:
        ws["B2"] = value_in_b2
    src = tmp_path / "src.xlsx"
    wb.save(src)
    dst = tmp_path / "r.xlsx"
    esc = lambda s: s.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")  # noqa: E731
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if b"PLACEHOLDER" in data or item.filename == "xl/sharedStrings.xml":
                text = data.decode()
                if item.filename.startswith("xl/worksheets/"):
                    import re
                    text = re.sub(r'<c r="A1"[^>]*>.*?</c>',
                                  f'<c r="A1" t="str"><f>{esc(formula)}</f><v>{esc(cached)}</v></c>', text, flags=re.S)
                data = text.encode()
            zout.writestr(item, data)
    return dst


@pytest.mark.parametrize("cached", ['=DISPIMG("ID_0A1B2C3D4E5F",1)', '=_xlfn.DISPIMG("ID_0A1B2C3D4E5F",1)',
                                    '=dispimg("ID_0A1B2C3D4E5F",1)'])
def test_one_dispimg_pattern_for_the_picture_sheet(tmp_path, cached):
    path = _cellimg_xlsx(tmp_path, cached)
    codes = [p["code"] for p in _problems(path)]
    assert "template.extra_sheet" not in codes, codes


def test_a_note_kept_on_the_picture_sheet_is_still_an_extra_sheet(tmp_path):
    path = _cellimg_xlsx(tmp_path, '=DISPIMG("ID_0A1B2C3D4E5F",1)', value_in_b2="补充说明：见附件")
    assert "template.extra_sheet" in [p["code"] for p in _problems(path)]


# 05 ----------------------------------------------------------------------------------------------------------------
def _approved(folder: Path, years) -> dict:
    folder.mkdir()
    goal = json.loads(sorted((Path(__file__).parent.parent / "examples" / "json").glob("*.json"))[1]
                      .read_text("utf-8"))
    for year in years:
        goal["year"] = year
        goal["project"]["start_date"], goal["project"]["end_date"] = f"{year}-01-01", f"{year}-12-31"
        (folder / f"{year}.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    return goal


@pytest.mark.parametrize("form", ["self-evaluation", "monitoring"])
def test_year_names_do_not_depend_on_an_earlier_run(tmp_path, form):
    """2020 approved first (单位_项目.xlsx issued), 2021 later: the second run names both forms with their years, as a
    run on an empty folder would, leaves the earlier 单位_项目.xlsx as it was and says so; with --force no _2 is
    left behind."""
    goal = _approved(tmp_path / "t1", [2020])
    _approved(tmp_path / "t2", [2020, 2021])
    out = tmp_path / "out"
    extra = ["--month", "6"] if form == "monitoring" else []
    assert cli("template", "--form", form, "--targets", tmp_path / "t1", "--out-dir", out, *extra).exit_code == 0
    stem = f"{goal['unit']}_{goal['project']['name']}"
    earlier = (out / f"{stem}.xlsx").read_bytes()
    r = cli("template", "--form", form, "--targets", tmp_path / "t2", "--out-dir", out, *extra)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{stem}.xlsx", f"{stem}_2020.xlsx", f"{stem}_2021.xlsx"])
    assert (out / f"{stem}.xlsx").read_bytes() == earlier  # kept as it was
    assert f"{stem}.xlsx" in r.output and "未改动" in r.output, r.output
    for year in (2020, 2021):
        assert read(out / f"{stem}_{year}.xlsx").document["year"] == year
    r = cli("template", "--form", form, "--targets", tmp_path / "t2", "--out-dir", out, "--force", *extra)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{stem}.xlsx", f"{stem}_2020.xlsx", f"{stem}_2021.xlsx"])
