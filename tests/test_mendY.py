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
