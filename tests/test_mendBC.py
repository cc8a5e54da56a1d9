"""Red team 24d: the template's record of what it locked, and the returns that edit or damage it (F10, F04)."""

import re
import zipfile
from pathlib import Path

import pytest

from xlgoals import validate, validate_file

from .conftest import EXAMPLES
from .helpers import example_return

SELF_EVAL = sorted((EXAMPLES / "self-evaluation").glob("01_*.xlsx"))[0]
MONITORING = sorted((EXAMPLES / "monitoring").glob("01_*.xlsx"))[0]
GOAL_TABLE = sorted((EXAMPLES / "returns").glob("01_*.xlsx"))[0]
UNIT = "上海市就业促进中心"


def _copy(src, dst, *edits):
    """A copy of `src` at `dst`, each edit (part name, function of its bytes) applied."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for name, edit in edits:
        changed = edit(parts.get(name, b""))  # (a part not there: added)
        assert changed != parts.get(name), name
        parts[name] = changed
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return dst


def _drop(names: bytes):
    """An edit deleting the custom properties whose names match `names` (Excel's Properties › Custom)."""
    return "docProps/custom.xml", lambda b: re.sub(rb'<property [^>]*name="(?:' + names + rb')"[^>]*>.*?</property>',
                                                   b"", b, flags=re.S)


def _set(name: bytes, text: bytes):
    return "docProps/custom.xml", lambda b: re.sub(rb'(name="' + name + rb'"[^>]*>\s*<vt:lpwstr>)[^<]*',
                                                   lambda m: m.group(1) + text, b)


_UNIT_CHANGED = ("xl/sharedStrings.xml", lambda b: b.replace(UNIT.encode(), "某某改动单位".encode()))


def _codes(path, prefix="template."):
    return sorted({p.code for p in validate_file(path).problems if p.code.startswith(prefix)})


def _one(path, code):
    (found,) = [p for p in validate_file(path).problems if p.code == code]
    assert (found.severity, found.sheet, found.cell) == ("warning", "", "")
    return found


# F10 -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("src", [SELF_EVAL, MONITORING], ids=["self-evaluation", "monitoring"])
def test_locked_values_deleted_with_their_count_are_said(tmp_path, src):
    """The locked values' properties deleted together with xlgoals_lock_count (the other xlgoals_* kept): the unit
    typed over passed with nothing said.  Every template of a form declaring a required locked field keeps the
    count, so its absence is template.locked_record_missing."""
    bad = _copy(src, tmp_path / "x.xlsx", _UNIT_CHANGED, _drop(rb"xlgoals_locked\.[^\"]*|xlgoals_lock_count"))
    found = _one(bad, "template.locked_record_missing")
    assert "template.locked_changed" not in _codes(bad)  # (nothing left to hold the unit to: the warning says so)
    assert "记录了所锁定内容的项数（xlgoals_lock_count），该记录已不在，现存的 0 项锁定的内容是否完整无法确认" in found.message
    assert "被改动的锁定内容无法核对" in found.message
    assert "recorded how many values it locked (xlgoals_lock_count) and that record is gone" in found.message_en
    assert found.expected == "xlgoals_lock_count" and found.value == 0


def test_count_deleted_alone_is_said_the_values_still_checked(tmp_path):
    bad = _copy(SELF_EVAL, tmp_path / "x.xlsx", _UNIT_CHANGED, _drop(rb"xlgoals_lock_count"))
    assert _codes(bad) == ["template.locked_changed", "template.locked_record_missing"]
    assert "现存的 5 项锁定的内容是否完整无法确认" in _one(bad, "template.locked_record_missing").message


def test_count_overwritten_is_unreadable(tmp_path):
    bad = _copy(SELF_EVAL, tmp_path / "x.xlsx", _drop(rb"xlgoals_locked\.unit"), _set(rb"xlgoals_lock_count", b"x"))
    found = _one(bad, "template.locked_record_unreadable")
    assert "用于核对的锁定内容项数的记录（xlgoals_lock_count）无法读取（x）" in found.message
    assert "record of how many values it locked (xlgoals_lock_count), kept for checking, cannot be read (x)" \
        in found.message_en
    assert "template.locked_record_missing" not in _codes(bad)


def test_fewer_values_than_counted_keeps_its_message(tmp_path):
    bad = _copy(SELF_EVAL, tmp_path / "x.xlsx", _drop(rb"xlgoals_locked\.unit"))
    found = _one(bad, "template.locked_record_missing")
    assert "下发的模板中记录了 5 项锁定的内容以供核对，现只剩 4 项（记录被删除" in found.message
    assert "The template as issued recorded 5 locked values for checking and 4 remain (the record" in found.message_en
    assert (found.value, found.expected) == (4, "5")


_ROW_10_DELETED = ("xl/worksheets/sheet3.xml", lambda b: re.sub(rb'<row r="10".*?</row>', b"", b, count=1))


def test_rows_record_overwritten_is_unreadable(tmp_path):
    """xlgoals_rows overwritten with "x": the approved rows were held to nothing (no template.locked_row_*)."""
    assert "template.locked_row_cleared" in _codes(_copy(SELF_EVAL, tmp_path / "a.xlsx", _ROW_10_DELETED))
    bad = _copy(SELF_EVAL, tmp_path / "x.xlsx", _ROW_10_DELETED, _set(rb"xlgoals_rows", b"x"))
    found = _one(bad, "template.locked_record_unreadable")
    assert "用于核对的已批复指标行的记录（xlgoals_rows）无法读取（x）" in found.message
    assert "已批复的指标行被改动、删除或增加无法核对" in found.message
    assert "an approved indicator row typed over, deleted or added could not be checked" in found.message_en
    assert found.expected == "xlgoals_rows"


@pytest.mark.parametrize("src", [SELF_EVAL, MONITORING], ids=["self-evaluation", "monitoring"])
def test_rows_record_deleted_is_missing(tmp_path, src):
    bad = _copy(src, tmp_path / "x.xlsx", _drop(rb"xlgoals_rows[^\"]*"))
    found = _one(bad, "template.locked_record_missing")
    assert "下发的模板中记录了已批复的指标行以供核对（xlgoals_rows），该记录已不在（记录被删除" in found.message
    assert "recorded the approved indicator rows for checking (xlgoals_rows) and that record is gone" in found.message_en


def test_untouched_returns_and_goal_tables_say_nothing_of_the_record(tmp_path):
    """A goal table need not carry a count or rows (a blank template keeps none): nothing said of them missing."""
    for src in (SELF_EVAL, MONITORING, GOAL_TABLE):
        assert not [c for c in _codes(src) if c.startswith("template.locked_record")], src


# F04 -------------------------------------------------------------------------------------------------------------

_CUT = ("docProps/custom.xml", lambda b: b[: len(b) // 2])
_CONTROL = ("docProps/custom.xml", lambda b: b.replace(b"<vt:lpwstr>2020</vt:lpwstr>", b"<vt:lpwstr>20&#x1;20</vt:lpwstr>"))


@pytest.mark.parametrize("damage", [_CUT, _CONTROL], ids=["truncated", "control character"])
@pytest.mark.parametrize("src", [GOAL_TABLE, SELF_EVAL], ids=["goal-table", "self-evaluation"])
def test_damaged_properties_part_loses_the_record_not_the_return(tmp_path, src, damage):
    """A docProps/custom.xml that cannot be parsed refused the whole return as file.corrupt, though its sheets are
    intact: the sheets are read as usual, and the record said unreadable, naming the damaged part."""
    bad = _copy(src, tmp_path / "x.xlsx", damage)
    report = validate_file(bad)
    assert "file.corrupt" not in {p.code for p in report.problems}
    assert report.document == validate_file(src).document
    found = _one(bad, "template.locked_record_unreadable")
    assert "用于核对的记录（文档属性部分 docProps/custom.xml）无法读取（该部分的 XML 不完整或含非法字符）" in found.message
    assert "下发时锁定的单位、项目、预算和指标被改动也无法核对" in found.message
    assert "(the document properties part, docProps/custom.xml), kept for checking, cannot be read (its XML is " \
           "cut short or holds an illegal character)" in found.message_en
    assert "template.locked_record_lost" not in _codes(bad)


def test_damaged_meta_xml_of_an_ods_is_the_same(tmp_path):
    """An .ods keeps the properties in meta.xml: cut short, the sheets are read all the same."""
    src = Path(__file__).parent / "fixtures" / "goal-table-lo.ods"
    bad = _copy(src, tmp_path / "x.ods", ("meta.xml", lambda b: b[: len(b) // 2]))
    assert "file.corrupt" not in {p.code for p in validate_file(bad).problems}
    assert validate_file(bad).document == validate_file(src).document
    assert "（文档属性部分 meta.xml）无法读取" in _one(bad, "template.locked_record_unreadable").message


@pytest.mark.parametrize("form_id", ["monitoring", "self-evaluation"])
def test_damaged_properties_part_under_targets_says_what_the_goal_table_still_checked(tmp_path, form_id):
    """As template.locked_record_lost does (tests/test_mendAS.py): the locked header and rows still compared with
    the approved goal table are named, in place of “could not be checked”."""
    bad = _copy(example_return(form_id), tmp_path / "x.xlsx", _CUT)
    (p,) = [p for p in validate([bad], targets=[EXAMPLES / "json"]).problems()
            if p.code == "template.locked_record_unreadable"]
    assert "已按所给的批复的绩效目标表（--targets）核对" in p.message and "申报单位名称" in p.message, p.message
    assert "无法核对" not in p.message and "were still checked against the approved goal table" in p.message_en
    assert "docProps/custom.xml" in p.message


# F05 -------------------------------------------------------------------------------------------------------------
_INFO_ROW_5 = b'<row r="5" spans="1:2" ht="24">'


def _info_row_5(height: bytes, parsed: bool = False):
    """An edit of the goal table's 项目信息 (sheet2) giving row 5 (B5 filled) the height `height`; `parsed`: with a
    comment in the part, so that the screen's parser reads it (not its fast path over canonical rows)."""
    def edit(b):
        assert _INFO_ROW_5 in b
        b = b.replace(_INFO_ROW_5, b'<row r="5" spans="1:2" ht="' + height + b'" customHeight="1">')
        return b.replace(b"<sheetData>", b"<!-- x --><sheetData>", 1) if parsed else b
    return "xl/worksheets/sheet2.xml", edit


def _hidden_rows(path):
    return [(p.sheet, p.cell, p.severity) for p in validate_file(path).problems if p.code == "cell.hidden_row"]


@pytest.mark.parametrize("parsed", [False, True], ids=["fast path", "parser"])
@pytest.mark.parametrize("height", [b"+0", b"-0", b"0.0e0", b"1e-9", b" 0.1 ", b"1", b"6.9", b"7e-1", b"-5"])
def test_an_information_row_too_low_to_print_is_a_hidden_row(tmp_path, height, parsed):
    """F05: a filled 项目信息 row was cell.hidden_row only for a height written 0, 0.0 or .0: zero written otherwise
    (+0, -0, 0.0e0, 1e-9: zero to Excel and LibreOffice) or a height no text prints legibly in (0.1 pt, 1 pt) passed.
    The height is compared as a number with the lowest a text prints in (_paper.LEGIBLE_HEIGHT: the smallest font)."""
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", _info_row_5(height, parsed))
    assert _hidden_rows(bad) == [("项目信息", "B5", "warning")]


@pytest.mark.parametrize("parsed", [False, True], ids=["fast path", "parser"])
@pytest.mark.parametrize("height", [b"7", b"7.0", b"12.75", b"1e1", b"NaN", b"x"])
def test_an_information_row_of_a_legible_height_is_not(tmp_path, height, parsed):
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", _info_row_5(height, parsed))
    assert _hidden_rows(bad) == []


def test_an_indicator_row_too_low_to_print_is_a_hidden_row(tmp_path):
    """The indicator table's rows by the same measure (its hidden rows are checked too)."""
    def edit(b):
        b, n = re.subn(rb'(<row r="8"[^>]*?) ht="[^"]*"', rb'\1 ht="0.5"', b, count=1)
        assert n
        return b
    bad = _copy(GOAL_TABLE, tmp_path / "x.xlsx", ("xl/worksheets/sheet3.xml", edit))
    assert [(s, c[1:]) for s, c, _ in _hidden_rows(bad)] == [("绩效指标", "8")]


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_an_information_row_made_1pt_high_in_libreoffice_is_said_in_every_format(tmp_path, lo_edit, fmt):
    """F05 as LibreOffice saves it (Format › Rows › Height 0.04 cm on 项目总预算's row), in .xlsx, .ods and .xls:
    cell.hidden_row at B10, the budget still read."""
    from xlgoals import FORMS, read

    form = FORMS["goal-table"]
    edits = [{"sheet": form.info.name, "unprotect": True}, {"sheet": form.info.name, "cell": "B10", "row_height": 1}]
    out = lo_edit(GOAL_TABLE, tmp_path / f"low.{fmt}", edits, fmt=fmt)
    r = read(out)
    assert r.document["budget"] == read(GOAL_TABLE).document["budget"]
    assert [(p.sheet, p.cell) for p in r.problems if p.code == "cell.hidden_row"] == [(form.info.name, "B10")]


# F08 -------------------------------------------------------------------------------------------------------------
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_PIC = "ID_2D6E4A1F0C5B4E8A9F3D7C1B2A4E6F80"


def _sheet_xml(rows: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheetData>{rows}</sheetData></worksheet>').encode()


def _copied_indicator_rows() -> str:
    """The goal table's indicator rows (its 绩效指标 sheet's sheetData) and five more below, new indicators: what a
    department out of rows writes on a copy of the table."""
    with zipfile.ZipFile(GOAL_TABLE) as z:
        data = z.read("xl/worksheets/sheet3.xml").decode()
    rows = re.findall(r'<row r="\d+".*?</row>', data.split("<sheetData>")[1].split("</sheetData>")[0])
    model = next(r for r in rows if r.startswith('<row r="28"'))
    end = int(re.match(r'<row r="(\d+)"', rows[-1])[1])
    for i in range(5):
        n = end + 1 + i
        row = re.sub(r'r="([A-Z]+)28"', lambda m: f'r="{m[1]}{n}"', model).replace('<row r="28"', f'<row r="{n}"')
        rows.append(re.sub(rf'<c r="D{n}"([^>]*) t="s"><v>\d+</v></c>',
                           lambda m: f'<c r="D{n}"{m[1]} t="inlineStr"><is><t>新增指标{i}</t></is></c>', row))
    return "".join(rows)


def _with_sheet(dst, name: str, xml: bytes, state: str):
    st = f' state="{state}"' if state else ""
    return _copy(GOAL_TABLE, dst,
                 ("xl/workbook.xml", lambda b: b.replace(
                     b"</sheets>", f'<sheet name="{name}" sheetId="10"{st} r:id="rIdX"/></sheets>'.encode())),
                 ("xl/_rels/workbook.xml.rels", lambda b: b.replace(b"</Relationships>", (
                     f'<Relationship Id="rIdX" Type="{_SHEET_REL}" Target="worksheets/sheetX.xml"/>'
                     "</Relationships>").encode())),
                 ("[Content_Types].xml", lambda b: b.replace(b"</Types>", (
                     f'<Override PartName="/xl/worksheets/sheetX.xml" ContentType="{_SHEET_CT}"/></Types>').encode())),
                 ("xl/worksheets/sheetX.xml", lambda b: xml))


def _sheet_said(path):
    return [(p.code, p.sheet) for p in validate_file(path).problems
            if p.code in ("template.copied_sheet_rows", "template.extra_sheet")]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_wps_picture_sheet_holding_indicator_rows_is_a_copied_sheet(tmp_path, state):
    """F08: a hidden sheet named WpsReserved_CellImgList was passed over by its name alone, though it held indicator
    rows the table lacks (not read: lost to the bureau).  Passed over only when it holds what WPS keeps there
    (pictures: no cell values, or only the DISPIMG references to them); else as any other added sheet."""
    name = "WpsReserved_CellImgList"
    path = _with_sheet(tmp_path / "x.xlsx", name, _sheet_xml(_copied_indicator_rows()), state)
    assert _sheet_said(path) == [("template.copied_sheet_rows", name)]
    as_named = _with_sheet(tmp_path / "y.xlsx", "绩效指标 (2)", _sheet_xml(_copied_indicator_rows()), state)
    assert _sheet_said(as_named) == [("template.copied_sheet_rows", "绩效指标 (2)")]


def test_wps_picture_sheet_holding_any_text_is_an_added_sheet(tmp_path):
    rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>备注：见附件</t></is></c></row>'
    path = _with_sheet(tmp_path / "x.xlsx", "WpsReserved_CellImgList", _sheet_xml(rows), "veryHidden")
    assert _sheet_said(path) == [("template.extra_sheet", "WpsReserved_CellImgList")]


@pytest.mark.parametrize("rows", [
    "", '<row r="1"><c r="A1" s="1"/></row>',
    f'<row r="1"><c r="A1" t="str"><f>_xlfn.DISPIMG("{_PIC}",1)</f><v>=DISPIMG("{_PIC}",1)</v></c></row>'],
    ids=["no cells", "a blank styled cell", "a DISPIMG reference"])
def test_wps_picture_sheet_as_wps_writes_it_is_passed_over(tmp_path, rows):
    path = _with_sheet(tmp_path / "x.xlsx", "WpsReserved_CellImgList", _sheet_xml(rows), "veryHidden")
    assert _sheet_said(path) == []


@pytest.mark.parametrize("form_id, older", [("self-evaluation", 2), ("monitoring", 1)])
def test_a_return_of_an_older_layout_is_not_held_to_the_records(tmp_path, form_id, older):
    """An older layout's templates were issued before the count and the rows' record were written: their absence
    there is no sign of a deletion (nothing said), where the current layout's is."""
    from xlgoals import read
    from xlgoals._form import LAYOUTS
    from xlgoals._write._workbook import build_workbook

    doc = read(SELF_EVAL if form_id == "self-evaluation" else MONITORING).document
    doc["contact"].pop("head")  # (no 单位负责人 before the seal's layout)
    old = tmp_path / "old.xlsx"
    old.write_bytes(build_workbook(doc["framework"], doc["year"], doc, form=LAYOUTS[(form_id, older)]))
    bare = _copy(old, tmp_path / "x.xlsx", _drop(rb"xlgoals_lock_count|xlgoals_rows[^\"]*"))
    assert read(bare).template["layout_version"] == older
    assert not [c for c in _codes(bare) if c.startswith("template.locked_record")]


def test_a_return_with_a_damaged_properties_part_is_consolidated(tmp_path):
    """F04 where the bureau meets it: consolidating, the return whose docProps/custom.xml is damaged was 无法读取
    and left out of the summary; it is now summed with the others, its warning listed in 校验结果."""
    import openpyxl

    from xlgoals import consolidate

    from .helpers import ooxml_errors

    folder = tmp_path / "收到"
    folder.mkdir()
    _copy(GOAL_TABLE, folder / "damaged.xlsx", _CUT)
    out = tmp_path / "汇总.xlsx"
    result = consolidate([folder], out)
    assert [r.included for r in result.records] == [True]
    wb = openpyxl.load_workbook(out)
    projects = [list(r) for r in wb["项目清单"].iter_rows(min_row=2, values_only=True)]
    assert [r[2] for r in projects if r[2]] == [validate_file(GOAL_TABLE).document["project"]["name"]]
    checks = [list(r) for r in wb["校验结果"].iter_rows(min_row=2, values_only=True)]
    assert [(r[2], r[6]) for r in checks if r[6]] == [("通过", "template.locked_record_unreadable")], checks
    assert not ooxml_errors(out)
