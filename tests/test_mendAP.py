"""Returns that left their workbook (session 23, red team 23b F01, F03, F06, F09): sheets copied or moved into a
new book (the template's record in the custom document properties lost), WPS's own reserved sheet, a copied
indicator sheet holding rows that are not read."""

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from xlgoals import prefill_templates, validate_file

from .conftest import EXAMPLES

WB, RELS, CT = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _parts(src) -> dict:
    with zipfile.ZipFile(src) as z:
        return {n: z.read(n) for n in z.namelist()}


def _write(dst: Path, parts: dict) -> Path:
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data if isinstance(data, bytes) else data.encode("utf-8"))
    return dst


def _edit(parts: dict, name: str, fn) -> None:
    parts[name] = fn(parts[name].decode("utf-8")).encode("utf-8")


def _drop_custom_properties(parts: dict) -> None:
    """What a copy into a new book (Move or Copy › new book), the Document Inspector or a Google Sheets round trip
    does: the custom document properties are not carried over; the sheets, their stamp and protection are."""
    parts.pop("docProps/custom.xml")
    _edit(parts, CT, lambda x: re.sub(r'<Override PartName="/docProps/custom.xml"[^>]*/>', "", x))
    _edit(parts, "_rels/.rels", lambda x: re.sub(r"<Relationship [^>]*custom-properties[^>]*/>", "", x))


def _cli(*args) -> dict:
    run = subprocess.run([sys.executable, "-m", "xlgoals", "validate", "--format", "json", *map(str, args)],
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)


def _en(path, code):
    return [p.message_en for p in validate_file(path).problems if p.code == code]


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory):
    made = prefill_templates(EXAMPLES / "projects.csv", tmp_path_factory.mktemp("issued"), year=2020)
    return sorted(made.written)[3]


def _tampered(src, dst, copied: bool) -> Path:
    parts = _parts(src)
    _edit(parts, "xl/worksheets/sheet2.xml",
          lambda x: re.sub(r'(<c r="B1[01]"[^>]*>)<v>[^<]*</v>', r"\1<v>9999999</v>", x))
    if copied:
        _drop_custom_properties(parts)
    return _write(dst, parts)


# --- F01: the record of the locked values lost with all the custom properties -------------------------------------

def test_prefilled_return_copied_to_a_new_book_says_the_locked_values_could_not_be_checked(prefilled, tmp_path):
    """Typed over and copied into a new book, the changed 预算 passed without a word; now a warning at the workbook
    says the record is gone, why that happens and what to do."""
    as_issued = _tampered(prefilled, tmp_path / "改动.xlsx", copied=False)
    assert {p.code for p in validate_file(as_issued).problems} >= {"template.locked_changed"}
    copied = _tampered(prefilled, tmp_path / "复制到新工作簿.xlsx", copied=True)
    (said,) = [p for p in _cli(copied)["files"][0]["problems"] if p["code"] == "template.locked_record_lost"]
    assert (said["severity"], said["sheet"], said["cell"]) == ("warning", "", "")
    assert "锁定的单位、项目、预算和指标" in said["message"] and "无法核对" in said["message"], said["message"]
    assert "新工作簿" in said["message"] and "下发的原模板" in said["message"], said["message"]
    (en,) = _en(copied, "template.locked_record_lost")
    assert "could not be checked" in en and "new workbook" in en, en


def test_the_returns_as_issued_do_not_say_it(prefilled):
    for path in (prefilled, *sorted((EXAMPLES / "returns").glob("*.xlsx"))[:2],
                 *sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:1]):
        assert not [p for p in validate_file(path).problems if p.code == "template.locked_record_lost"], path


def test_self_evaluation_copied_to_a_new_book_says_its_locked_rows_could_not_be_checked(tmp_path):
    se = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
    parts = _parts(se)
    _edit(parts, "xl/worksheets/sheet3.xml",
          lambda x: x.replace('<c r="G5" s="6"><v>100</v></c>', '<c r="G5" s="6"><v>80</v></c>', 1))
    assert '<v>80</v>' in parts["xl/worksheets/sheet3.xml"].decode()
    changed = _write(tmp_path / "改动.xlsx", dict(parts))
    assert "template.locked_row_changed" in {p.code for p in validate_file(changed).problems}
    _drop_custom_properties(parts)
    copied = _write(tmp_path / "复制.xlsx", parts)
    codes = [p.code for p in validate_file(copied).problems]
    assert "template.locked_record_lost" in codes, codes


def test_a_return_whose_sheets_were_moved_and_links_broken_says_the_record_and_sheets_are_gone(tmp_path):
    """Moved to a new book, the links then broken: 填表说明/下拉选项 gone with the record; said, with those sheets."""
    parts = _parts(sorted((EXAMPLES / "returns").glob("*.xlsx"))[0])
    _edit(parts, WB, lambda x: re.sub(r'<sheet name="(填表说明|下拉选项)"[^>]*/>', "", x))
    _edit(parts, WB, lambda x: re.sub(r'<definedName name="xl_[^"]*">[^<]*</definedName>', "", x))
    _edit(parts, WB, lambda x: x.replace('localSheetId="1"', 'localSheetId="0"').replace('localSheetId="2"', 'localSheetId="1"'))
    _edit(parts, RELS, lambda x: re.sub(r'<Relationship Id="rId[14]"[^>]*/>', "", x))
    _edit(parts, CT, lambda x: re.sub(r'<Override PartName="/xl/worksheets/sheet[14].xml"[^>]*/>', "", x))
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"):
        parts.pop(name)
    _drop_custom_properties(parts)
    path = _write(tmp_path / "移动.xlsx", parts)
    (said,) = [p for p in validate_file(path).problems if p.code == "template.locked_record_lost"]
    assert "填表说明" in said.message and "下拉选项" in said.message, said.message


# --- F03: WPS's own very-hidden sheet of pictures in cells ------------------------------------------------------

def _with_sheet(src, dst, name: str, xml: str, state: str = "") -> Path:
    parts = _parts(src)
    attrs = f' state="{state}"' if state else ""
    _edit(parts, WB, lambda x: x.replace(
        "</sheets>", f'<sheet name="{name}" sheetId="9" r:id="rId99"{attrs}/></sheets>'))
    _edit(parts, RELS, lambda x: x.replace(
        "</Relationships>", f'<Relationship Id="rId99" Type="{SHEET_REL}" Target="worksheets/sheet99.xml"/></Relationships>'))
    _edit(parts, CT, lambda x: x.replace(
        "</Types>", f'<Override PartName="/xl/worksheets/sheet99.xml" ContentType="{SHEET_CT}"/></Types>'))
    parts["xl/worksheets/sheet99.xml"] = xml
    return _write(dst, parts)


EMPTY_SHEET = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats'
               '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
               '<dimension ref="A1"/><sheetData/></worksheet>')


def test_wps_reserved_picture_sheet_is_not_blamed_on_the_department(tmp_path):
    """WPS keeps the pictures placed in cells on a very hidden sheet of its own, WpsReserved_CellImgList: not a
    sheet the department added (validate --strict failed the return for it)."""
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    path = _with_sheet(src, tmp_path / "wps.xlsx", "WpsReserved_CellImgList", EMPTY_SHEET, "veryHidden")
    report = _cli("--strict", path)
    assert report["files"][0]["valid"], report["files"][0]["problems"]
    assert not [p for p in report["files"][0]["problems"] if p["code"] == "template.extra_sheet"]
    # a sheet the department added is still said
    added = _with_sheet(src, tmp_path / "added.xlsx", "Sheet1", EMPTY_SHEET)
    assert [p["sheet"] for p in _cli(added)["files"][0]["problems"] if p["code"] == "template.extra_sheet"] == ["Sheet1"]


# --- F09: a copy of 绩效指标 holding indicators that are not read ---------------------------------------------

def _copied_table(src, dst, renumber: bool) -> Path:
    """绩效指标 duplicated (LibreOffice: Sheet › Duplicate, the structure lock not enforced) as '绩效指标 (2)';
    `renumber`: the department went on there, each row's 序号 and 三级指标 new."""
    xml = _parts(src)["xl/worksheets/sheet3.xml"].decode("utf-8")
    if renumber:
        xml = re.sub(r'<c r="A(\d+)" s="(\d+)"><v>(\d+)</v></c>',
                     lambda m: f'<c r="A{m.group(1)}" s="{m.group(2)}"><v>{int(m.group(3)) + 27}</v></c>', xml)
        xml = re.sub(r'<c r="D(\d+)" s="(\d+)" t="s"><v>\d+</v></c>',
                     lambda m: f'<c r="D{m.group(1)}" s="{m.group(2)}" t="inlineStr"><is><t>续表指标{m.group(1)}</t></is></c>',
                     xml)
        assert "续表指标" in xml
    return _with_sheet(src, dst, "绩效指标 (2)", xml)


def test_indicators_on_a_copied_indicator_sheet_are_an_error_naming_the_sheet(tmp_path):
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    path = _copied_table(src, tmp_path / "续表.xlsx", renumber=True)
    report = _cli(path)["files"][0]
    assert not report["valid"]
    (said,) = [p for p in report["problems"] if p["sheet"] == "绩效指标 (2)"]
    assert (said["code"], said["severity"]) == ("template.copied_sheet_rows", "error"), said
    assert said["cell"] == "D4", said
    assert "不会被读取" in said["message"] and "“绩效指标”" in said["message"] and "插入行" in said["message"], said
    (en,) = _en(path, "template.copied_sheet_rows")
    assert "not read" in en and "insert rows" in en, en


def test_an_unchanged_copy_of_the_indicator_sheet_stays_a_warning(tmp_path):
    """A copy holding only the rows the sheet itself holds loses nothing: the added sheet is said as before."""
    src = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]
    path = _copied_table(src, tmp_path / "副本.xlsx", renumber=False)
    said = [(p.code, p.severity) for p in validate_file(path).problems if p.sheet == "绩效指标 (2)"]
    assert said == [("template.extra_sheet", "warning")]


def test_a_copied_self_evaluation_table_with_other_rows_is_said_with_its_own_advice(tmp_path):
    """A self-evaluation takes no added rows (one per approved indicator): the advice says so, not 'insert rows'."""
    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
    xml = _parts(src)["xl/worksheets/sheet3.xml"].decode("utf-8")
    assert '<c r="G5" s="6"><v>100</v></c>' in xml
    xml = xml.replace('<c r="G5" s="6"><v>100</v></c>', '<c r="G5" s="6"><v>80</v></c>', 1)
    path = _with_sheet(src, tmp_path / "自评副本.xlsx", "指标自评 (2)", xml)
    (said,) = [p for p in validate_file(path).problems if p.sheet == "指标自评 (2)"]
    assert (said.code, said.cell) == ("template.copied_sheet_rows", "G5"), said
    assert "不能增加行" in said.message and "插入行" not in said.message, said.message


# --- F06: sheets moved to a new book: the dropdowns' names link back to the template -----------------------------

EXT_LINK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<externalBook r:id="rId1"><sheetNames><sheetName val="填表说明"/><sheetName val="项目信息"/>'
            '<sheetName val="绩效指标"/><sheetName val="下拉选项"/></sheetNames><definedNames><definedName '
            'name="xl_level1" refersTo="=下拉选项!$A$2:$A$5"/></definedNames></externalBook></externalLink>')


def _ext_rels(target: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/externalLinkPath" Target="{target}" TargetMode="External"/></Relationships>')


def _moved(dst, target: str, link: str = EXT_LINK) -> Path:
    """Excel's Move or Copy › (new book) of 项目信息 + 绩效指标: the dropdowns' names now ='[1]下拉选项'!… with an
    external link to the template; the guide, the lists and the custom properties left behind."""
    parts = _parts(sorted((EXAMPLES / "returns").glob("*.xlsx"))[0])
    _edit(parts, WB, lambda x: re.sub(r'<sheet name="(填表说明|下拉选项)"[^>]*/>', "", x))
    _edit(parts, WB, lambda x: re.sub(r"(<definedName name=\"xl_[^\"]*\">)'下拉选项'", r"\1[1]下拉选项", x))
    _edit(parts, WB, lambda x: x.replace("<definedNames>", '<externalReferences><externalReference r:id="rId9"/>'
                                         "</externalReferences><definedNames>"))
    _edit(parts, RELS, lambda x: re.sub(r'<Relationship Id="rId[14]"[^>]*/>', "", x).replace(
        "</Relationships>", '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>'))
    _edit(parts, CT, lambda x: re.sub(r'<Override PartName="/xl/worksheets/sheet[14].xml"[^>]*/>', "", x).replace(
        "</Types>", '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>'))
    for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"):
        parts.pop(name)
    _drop_custom_properties(parts)
    parts["xl/externalLinks/externalLink1.xml"] = link
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = _ext_rels(target)
    return _write(dst, parts)


def test_an_external_link_back_to_the_template_is_named_with_its_cause(tmp_path):
    """Refused as before (an external link is not read), but the message names the linked file and says why it is
    there (the sheets were moved or copied to a new workbook) and what to do (fill the original template)."""
    path = _moved(tmp_path / "新工作簿.xlsx", "file:///C:\\Users\\user\\Desktop\\%E7%BB%A9%E6%95%88%E7%9B%AE%E6%A0%87%E8%A1%A8.xlsx")
    report = _cli(path)["files"][0]
    (said,) = report["problems"]
    assert said["code"] == "file.external_link", said
    assert "绩效目标表.xlsx" in said["message"] and "Users" not in said["message"], said["message"]
    assert "新工作簿" in said["message"] and "下发的原模板" in said["message"], said["message"]
    (en,) = [p.message_en for p in validate_file(path).problems]
    assert "绩效目标表.xlsx" in en and "new workbook" in en, en


def test_an_external_link_of_another_kind_is_named_and_its_name_shown_safely(tmp_path):
    other = EXT_LINK.replace("填表说明", "Sheet1").replace("项目信息", "Sheet2").replace("绩效指标", "Sheet3") \
        .replace("下拉选项", "Sheet4").replace("xl_level1", "rates")
    path = _moved(tmp_path / "链接.xlsx", "../预算/\u202eslx.xlsx" + "长" * 200, other)
    (said,) = validate_file(path).problems
    assert said.code == "file.external_link"
    assert "\u202e" not in said.message and "\\u202e" in said.message, said.message
    assert "新工作簿" not in said.message and "删除外部链接" in said.message, said.message
    assert len(said.message) < 200, said.message


@pytest.mark.soffice
def test_libreoffice_duplicated_indicator_sheet_typed_into_is_an_error(tmp_path, lo_edit):
    """Through LibreOffice: Sheet › Duplicate of 绩效指标 (the structure lock not enforced), a new 三级指标 typed on
    the copy's first row: the copy's row is said as not read, at its cell on the copy."""
    from .conftest import EXAMPLE_XLSX
    from .helpers import F, ind_cell

    sheet, cell = ind_cell(0, "name")
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "dup.xlsx",
                  [{"copy_sheet": F.table.name, "to": "绩效指标_2"},
                   {"sheet": "绩效指标_2", "cell": cell, "input": "续表中新增的指标"}])
    said = [(p.code, p.sheet, p.cell, p.value) for p in validate_file(out).problems if p.sheet == "绩效指标_2"]
    assert said == [("template.copied_sheet_rows", "绩效指标_2", cell, 1)], said
