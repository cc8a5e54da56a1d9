"""mendY: a reviewer's findings on mendQ/mendR/mendS.

1. An annotated copy named together with another department's file of the same name (收件箱/甲单位/绩效目标表_问题标注.xlsx,
   收件箱/乙单位/绩效目标表.xlsx) was skipped as "beside its original": 甲's corrected return dropped.  A copy now records
   the SHA-256 of the file it marks; it is skipped only when those bytes are among the run's files, and the skip names
   that file.  A copy recording none: only a file in its own folder is its original.
2. A corrected copy marked again never writes over a file of the copy's name in the folder (an earlier round's return).
3. A number before _问题标注 is kept (the department's own: 附件_2, 绩效目标表_2025).
4. A long name cut in the middle: the copy is still known by its original's digest.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._check._annotate import annotate_all, annotated_names
from xlgoals._paths import xlgoals_output

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli
from .helpers import ooxml_errors

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy


def _mark(path, out_dir):
    """validate `path` and annotate it into `out_dir`: [(copy's name or None, why)]."""
    rep = validate([str(path)], jobs=1)
    return [(t and os.path.basename(t), str(w)) for _, t, w in annotate_all(rep.failed, out_dir, inputs=[str(path)])]


def _two_departments(tmp_path):
    """甲's failing return annotated beside it, then moved out (甲 sends the copy back corrected); 乙's own return of
    the same generic name."""
    inbox = tmp_path / "收件箱"
    a, b = inbox / "甲单位", inbox / "乙单位"
    a.mkdir(parents=True)
    b.mkdir()
    shutil.copy(FAILING, a / "绩效目标表.xlsx")
    assert _mark(a / "绩效目标表.xlsx", a) == [("绩效目标表_问题标注.xlsx", "")]
    os.remove(a / "绩效目标表.xlsx")
    shutil.copy(EXAMPLE_XLSX[0], b / "绩效目标表.xlsx")
    return inbox, a / "绩效目标表_问题标注.xlsx", b / "绩效目标表.xlsx"


def test_a_corrected_copy_named_with_another_departments_file_of_its_name_is_read(tmp_path):
    inbox, copy, other = _two_departments(tmp_path)
    named = sorted(str(p) for p in inbox.glob("*/*"))  # validate 收件箱/*/*
    report = validate(named, jobs=1)
    assert sorted(f.path for f in report.files) == sorted([str(copy), str(other)])
    assert report.skipped_reasons == {}
    result = consolidate(named, tmp_path / "汇总.xlsx", jobs=1, include_invalid=True)
    assert sorted(r.path for r in result.records) == sorted([str(copy), str(other)]) and result.skipped == {}
    # a copy written before copies recorded the digest: still read, 乙's file lies in another folder
    _without_digest(copy)
    report = validate(named, jobs=1)
    assert sorted(f.path for f in report.files) == sorted([str(copy), str(other)]) and report.skipped_reasons == {}
    # a numbered copy (预算表_2_问题标注.xlsx) named with some 预算表.xlsx of another folder: read too
    numbered = copy.with_name("绩效目标表_2_问题标注.xlsx")
    copy.rename(numbered)
    report = validate([str(numbered), str(other)], jobs=1)
    assert sorted(f.path for f in report.files) == sorted([str(numbered), str(other)])


def _without_digest(copy):
    """`copy` as a copy written before it recorded its original's digest."""
    wb = openpyxl.load_workbook(copy)
    del wb.custom_doc_props["xlgoals_source_sha256"]
    wb.save(copy)


def test_the_copy_beside_its_original_is_skipped_by_its_bytes_and_the_skip_names_it(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "报送.xlsx")
    assert _mark(inbox / "报送.xlsx", tmp_path / "退回") == [("报送_问题标注.xlsx", "")]
    copy = tmp_path / "退回" / "报送_问题标注.xlsx"
    # the original renamed and in another folder: still its bytes
    renamed = tmp_path / "另存" / "甲单位绩效目标.xlsx"
    renamed.parent.mkdir()
    shutil.move(inbox / "报送.xlsx", renamed)
    report = validate([str(copy), str(renamed)], jobs=1)
    assert [f.path for f in report.files] == [str(renamed)]
    from xlgoals._paths import beside_original

    why = report.skipped_reasons[str(copy)]
    assert why == beside_original(str(renamed)) and xlgoals_output(why)
    assert f"其原文件 {renamed} 也在本次指定的文件中" in why[0] and f"the file it marks, {renamed};" in why[1], why
    r = cli("consolidate", copy, renamed, "-o", tmp_path / "c.xlsx", "--jobs", "1", "--lang", "en")
    assert r.exit_code == 0, r.output
    assert any(str(copy) in x and f"the file it marks, {renamed};" in x for x in r.output.splitlines()), r.output


def test_a_long_names_copy_cut_in_the_middle_is_skipped_beside_its_original(tmp_path):
    stem = "某市人力资源和社会保障局" * 6  # 72 CJK characters: the copy's name is cut in the middle
    original = tmp_path / f"{stem}.xlsx"
    shutil.copy(FAILING, original)
    [(name, _)] = _mark(original, tmp_path)
    assert "…" in name
    report = validate([str(original), str(tmp_path / name)], jobs=1)
    assert [f.path for f in report.files] == [str(original)]
    from xlgoals._paths import beside_original

    assert report.skipped_reasons == {str(tmp_path / name): beside_original(str(original))}


def test_a_corrected_copy_marked_again_never_writes_over_an_earlier_rounds_return(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "X.xlsx")
    assert _mark(inbox / "X.xlsx", inbox) == [("X_问题标注.xlsx", "")]
    os.remove(inbox / "X.xlsx")  # the department sends X_问题标注.xlsx back corrected (still failing)
    assert _mark(inbox / "X_问题标注.xlsx", inbox)[0][0] == "X_2_问题标注.xlsx"
    before = hashlib.sha256((inbox / "X_问题标注.xlsx").read_bytes()).hexdigest()
    [(name, why)] = _mark(inbox / "X_2_问题标注.xlsx", inbox)  # round 3: X_2 sent back, marked again
    assert hashlib.sha256((inbox / "X_问题标注.xlsx").read_bytes()).hexdigest() == before
    assert name not in ("X_问题标注.xlsx", "X_2_问题标注.xlsx") and (inbox / name).is_file() and "未覆盖" in why
    # a corrected copy from a department's folder marked into the inbox, where a copy of its name lies already
    (inbox / "甲").mkdir()
    shutil.copy(inbox / "X_问题标注.xlsx", inbox / "甲" / "X_问题标注.xlsx")
    [(name, why)] = _mark(inbox / "甲" / "X_问题标注.xlsx", inbox)
    assert hashlib.sha256((inbox / "X_问题标注.xlsx").read_bytes()).hexdigest() == before
    assert name.endswith("_问题标注.xlsx") and name != "X_问题标注.xlsx" and "文件夹中已有 X_问题标注.xlsx" in why, why


def test_a_number_before_the_suffix_is_the_departments_own_and_kept():
    assert annotated_names(["收件箱/绩效目标表_2025_问题标注.xlsx"]) == ["绩效目标表_2025_问题标注.xlsx"]
    assert annotated_names(["收件箱/附件_1_问题标注.xlsx", "收件箱/附件_2_问题标注.xlsx"]) == [
        "附件_1_问题标注.xlsx", "附件_2_问题标注.xlsx"]
    assert annotated_names(["收件箱/附件_2_问题标注.xlsx", "收件箱/附件_1_问题标注.xlsx"]) == [
        "附件_2_问题标注.xlsx", "附件_1_问题标注.xlsx"]


def test_the_copy_records_the_digest_of_the_bytes_it_marks(tmp_path):
    shutil.copy(FAILING, tmp_path / "X.xlsx")
    _mark(tmp_path / "X.xlsx", tmp_path)
    wb = openpyxl.load_workbook(tmp_path / "X_问题标注.xlsx")
    assert wb.custom_doc_props["xlgoals_source_sha256"].value == hashlib.sha256(FAILING.read_bytes()).hexdigest()
    with zipfile.ZipFile(tmp_path / "X_问题标注.xlsx") as z:
        assert z.read("docProps/custom.xml").count(b"xlgoals_source_sha256") == 1
    assert ooxml_errors(tmp_path / "X_问题标注.xlsx") == []
    # marked again (sent back corrected): one property, the digest of the copy marked
    _mark(tmp_path / "X_问题标注.xlsx", tmp_path)
    with zipfile.ZipFile(tmp_path / "X_2_问题标注.xlsx") as z:
        custom = z.read("docProps/custom.xml")
    assert custom.count(b"xlgoals_source_sha256") == 1 and custom.count(b'name="xlgoals_output"') == 1
    assert hashlib.sha256((tmp_path / "X_问题标注.xlsx").read_bytes()).hexdigest().encode() in custom
    assert ooxml_errors(tmp_path / "X_2_问题标注.xlsx") == []


# 5. The screen's parser calls back on text only where an error cell may be -------------------------------------------


def _texts_handled(monkeypatch, call):
    """[whether a text handler was given] for each part `call` has the screen parse."""
    from xlgoals._read import _screen

    given = []
    parse = _screen._parse_refusing_dtd

    def spy(data, start, **kw):
        given.append(kw.get("text") is not None)
        return parse(data, start, **kw)
    monkeypatch.setattr(_screen, "_parse_refusing_dtd", spy)
    call()
    return given


def test_the_sheet_parser_takes_text_only_where_an_error_cell_may_be(monkeypatch):
    from xlgoals._read._screen import _screen_parsed

    head = (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="2">')
    plain = head + b'<c r="B2" t="s"><v>0</v></c><c r="C2"><v>12.5</v></c></row></sheetData></worksheet>'
    error = head + b"<c r='B2' t='e'><v>#N/A</v></c></row></sheetData></worksheet>"
    facts = {}
    assert _texts_handled(monkeypatch, lambda: facts.setdefault("plain", _screen_parsed(plain, "s"))) == [False]
    assert _texts_handled(monkeypatch, lambda: facts.setdefault("error", _screen_parsed(error, "s"))) == [True]
    assert facts["plain"].error_texts == {} and facts["error"].error_texts == {(1, 1): "#N/A"}


def test_the_ods_parser_takes_text_only_where_an_error_value_may_be(monkeypatch):
    from xlgoals._read._screen import screen_ods

    def content(cell: bytes) -> bytes:
        return (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
                b'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0">'
                b'<office:body><office:spreadsheet><table:table table:name="S"><table:table-row>' + cell +
                b'</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>')
    plain = content(b'<table:table-cell office:value-type="string"><text:p>#N/A</text:p></table:table-cell>')
    error = content(b'<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
                    b'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>')
    got = {}
    # (the last part parsed is content.xml's cells; its styles, parsed first, keep their own text handler)
    assert _texts_handled(monkeypatch, lambda: got.setdefault("plain", screen_ods(plain)))[-1] is False
    assert _texts_handled(monkeypatch, lambda: got.setdefault("error", screen_ods(error)))[-1] is True
    assert got["plain"]["S"].error_texts == {} and got["error"]["S"].error_texts == {(0, 0): "#N/A"}


# 8. Words ------------------------------------------------------------------------------------------------------------


def test_the_rates_left_out_are_said_as_projects_not_computed_in_the_forms_own_rates():
    from xlgoals._monitor._summary import MonitoringSummary
    from xlgoals._selfeval._summary import SelfEvaluationSummary

    totals = {"amounts_unrated": {"no_month": 1, "no_budget": 2}}
    assert MonitoringSummary.unrated_line(totals) == (
        "；3 个项目未参与执行率、序时进度和进度标识的计算，其能读出的金额已加入合计（未填报告月份 1 个，全年预算数未能读出或不大于零 2 个）")
    assert MonitoringSummary.unrated_line(totals, "en") == (
        "; 3 counted projects take no part in the execution rate, time-elapsed share and progress mark, their "
        "readable amounts in the totals (1 without a month, 2 whose full-year budget is unreadable or not above zero)")
    one = {"amounts_unrated": {"no_executed": 1}}
    assert SelfEvaluationSummary.unrated_line(one) == "；1 个项目未参与执行率的计算，其能读出的金额已加入合计（全年执行数未能读出 1 个）"
    assert SelfEvaluationSummary.unrated_line(one, "en") == (
        "; 1 counted project takes no part in the execution rate, its readable amounts in the totals "
        "(1 whose executed amount is unreadable)")


def test_an_error_value_known_is_quoted_in_its_message(tmp_path):
    from xlgoals._form import a1

    from .helpers import EXAMPLE_FORMS, example_return

    form = EXAMPLE_FORMS["goal-table"]
    f = next(f for f in form.fields if f.path == "/project/name")
    for shown, zh, en in (("#N/A", "“项目名称”显示为错误值 #N/A，请改为填写内容本身",
                           "'Project name' shows an error value #N/A; enter the value itself"),
                          ("#DIV/0!", "“项目名称”显示为错误值 #DIV/0!，请", "an error value #DIV/0!; enter")):
        wb = openpyxl.load_workbook(example_return("goal-table"))
        cell = wb[form.info.name][a1(f.row, f.col)]
        cell.value, cell.data_type = shown, "e"
        wb.save(tmp_path / "r.xlsx")
        report = validate([str(tmp_path / "r.xlsx")], jobs=1)
        (p,) = [p for p in report.files[0].problems if p.code == "cell.error_value"]
        assert p.value == shown and zh in p.message and en in p.message_en, (p.message, p.message_en)


# 6. A name given twice survives a worker's pickling ------------------------------------------------------------------


def test_a_duplicate_name_error_pickles_whole():
    import pickle

    from xlgoals._resources import DuplicateName

    e = DuplicateName('{"a": 1, "a": 2}', "a", 9, ("a",))
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is DuplicateName and (back.key, back.parts, back.pos, back.doc, back.msg) == (
        e.key, e.parts, e.pos, e.doc, e.msg)
    assert (back.lineno, back.colno) == (1, 10)


# 9. The output folder that is an input folder, however spelt -------------------------------------------------------


def test_an_out_dir_spelt_otherwise_is_known_for_the_input_folder_it_is(tmp_path, monkeypatch):
    """On a case-insensitive file system (Windows, macOS) --out-dir ./Targets is the folder ./targets, and realpath
    leaves each spelled as typed.  Simulated here: realpath resolving nothing, and the other spelling a link."""
    import pytest

    from xlgoals._errors import UsageError
    from xlgoals._paths import refuse_out_dir_in_folders

    targets = tmp_path / "targets"
    targets.mkdir()
    (tmp_path / "Targets").symlink_to(targets, target_is_directory=True)
    monkeypatch.setattr("xlgoals._paths.os.path.realpath", os.path.abspath)
    with pytest.raises(UsageError) as e:
        refuse_out_dir_in_folders(tmp_path / "Targets", [targets], "--out-dir", "--targets")
    assert f"输出文件夹 {tmp_path / 'Targets'}（out_dir=）就是 targets= 给出的文件夹 {targets}：" in str(e.value)
    with pytest.raises(UsageError) as e:
        refuse_out_dir_in_folders(tmp_path / "Targets" / "新建", [targets], "--out-dir", "--targets")
    assert f"输出文件夹 {tmp_path / 'Targets' / '新建'}（out_dir=）位于 targets= 给出的文件夹 {targets}：" in str(e.value)
    refuse_out_dir_in_folders(tmp_path / "自评表", [targets], "--out-dir", "--targets")  # beside it: fine


# 7. A caption replaced by another formula (="申报单位：别的局") ---------------------------------------------------------


def _caption_formula(tmp_path, formula: str, shown: str | None):
    """The goal table's example return, its A2 formula replaced by `formula` keeping `shown` as its result (as Excel
    saves it; None: no result kept, as a script writes it)."""
    import re
    from xml.sax.saxutils import escape

    from .helpers import EXAMPLE_FORMS, example_return

    form = EXAMPLE_FORMS["goal-table"]
    src = example_return("goal-table")
    wb = openpyxl.load_workbook(src)
    index = wb.sheetnames.index(form.table.name)
    out = tmp_path / "r.xlsx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == f"xl/worksheets/sheet{index + 1}.xml":
                cell = (f'<c r="A2"\\1 t="str"><f>{escape(formula)}</f>'
                        + (f"<v>{escape(shown)}</v>" if shown is not None else "") + "</c>").encode()
                data, n = re.subn(rb'<c r="A2"((?: s="[0-9]+")?)[^>]*>.*?</c>', cell, data, count=1, flags=re.S)
                assert n == 1
            w.writestr(info, data)
    return out


def test_a_caption_replaced_by_another_formula_is_said_by_what_it_shows(tmp_path):
    from xlgoals._read import read

    doc = read(str(example_return_path())).document
    mine = f"申报单位：{doc['unit']}　　项目名称：{doc['project']['name']}"
    other = _caption_formula(tmp_path, '"申报单位：别的局"', "申报单位：别的局")
    (p,) = [p for p in validate([str(other)], jobs=1).files[0].problems if p.code == "cell.caption_overwritten"]
    assert p.cell == "A2" and p.value == "申报单位：别的局" and p.expected == mine, p
    # the template's own formula, or a formula showing the same text, or one keeping no result: nothing said
    for formula, shown in (('"申报单位："&\'项目信息\'!B3&"　　项目名称："&\'项目信息\'!B4', mine),
                           ('"申报单位：别的局"', None), (f'"{mine}"', mine)):
        path = _caption_formula(tmp_path, formula, shown)
        assert "cell.caption_overwritten" not in {p.code for p in validate([str(path)], jobs=1).files[0].problems}


def example_return_path():
    from .helpers import example_return

    return example_return("goal-table")
