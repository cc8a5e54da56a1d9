"""mendR: the file-naming and folder traps the bureau falls into.

1. ``consolidate 收件箱/*`` after ``validate 收件箱 --annotate 收件箱``: the shell names every file, the annotated
   copies too, and a copy named was read as a department's corrected copy: each failing return counted twice.  A
   copy named together with the file it marks is now listed as not read, with why and how to include it.
2. Annotating an annotated copy gives ``X_2_问题标注.xlsx``, never ``X_问题标注_问题标注.xlsx``, and never the
   input's own name.
3. An output folder that is the input folder (template --targets X --out-dir X ...)."""

from __future__ import annotations

import json
import os
import shutil

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._paths import beside_original, scan

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy
COPY = "某局_某项目_问题标注.xlsx"


def _annotated_inbox(tmp_path):
    """An inbox of two passing returns and a failing one, annotated into the inbox itself (the copy beside it)."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for p in (EXAMPLE_XLSX[0], EXAMPLE_XLSX[2]):
        shutil.copy(p, inbox / p.name)
    shutil.copy(FAILING, inbox / FAILING.name)
    r = cli("validate", inbox, "--annotate", inbox, "-o", tmp_path / "r.txt", "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert (inbox / COPY).is_file()
    return inbox


def _glob(folder):
    """What the shell's `folder/*` names."""
    return sorted(str(p) for p in folder.iterdir())


def test_validate_of_every_file_named_skips_the_copy_beside_its_original_and_says_why(tmp_path):
    inbox = _annotated_inbox(tmp_path)
    report = validate(_glob(inbox), jobs=1)
    assert sorted(os.path.basename(f.path) for f in report.files) == sorted(
        [EXAMPLE_XLSX[0].name, EXAMPLE_XLSX[2].name, FAILING.name])
    assert report.skipped_reasons == {str(inbox / COPY): beside_original(str(inbox / FAILING.name))}
    assert len(report.failed) == 1
    text = cli("validate", *_glob(inbox), "--jobs", "1").stdout
    assert "共检查 3 个文件" in text and "未通过 1 个" in text, text
    line = next(x for x in text.splitlines() if COPY in x)
    assert f"其原文件 {inbox / FAILING.name} 也在本次指定的文件中" in line and "无需移出任何文件" in line, line
    data = json.loads(cli("validate", *_glob(inbox), "--jobs", "1", "--format", "json", "--lang", "en").stdout)
    assert data["summary"]["files"] == 3
    [skipped] = data["skipped_files"]
    assert skipped["path"].endswith(COPY) and skipped["xlgoals_output"] is True
    assert "named together with the file it marks" in skipped["reason"] and "nothing to move" in skipped["reason"]


def test_consolidate_of_every_file_named_counts_each_return_once(tmp_path):
    inbox = _annotated_inbox(tmp_path)
    out = tmp_path / "汇总.xlsx"
    result = consolidate(_glob(inbox), out, jobs=1, include_invalid=True)
    paths = [os.path.basename(r.path) for r in result.records]
    assert sorted(paths) == sorted([EXAMPLE_XLSX[0].name, EXAMPLE_XLSX[2].name, FAILING.name])
    assert not any(r.duplicate for r in result.records)
    assert result.skipped == {str(inbox / COPY): beside_original(str(inbox / FAILING.name))}
    alone = consolidate([str(inbox / EXAMPLE_XLSX[0].name), str(inbox / EXAMPLE_XLSX[2].name),
                         str(inbox / FAILING.name)], tmp_path / "b.xlsx", jobs=1, include_invalid=True)
    assert result.totals == alone.totals | {k: v for k, v in result.totals.items() if "skip" in k}
    r = cli("consolidate", *_glob(inbox), "-o", tmp_path / "c.xlsx", "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert "共 3 个文件" in r.stdout and "未检查的文件 1 个" in r.stdout, r.stdout
    assert "重复申报 0 个" in r.stdout and "重复申报（" not in r.output
    assert any(COPY in x and f"其原文件 {inbox / FAILING.name} 也在本次指定的文件中" in x for x in r.output.splitlines()), r.output
    # the summary's own list of the files not read has it too
    wb = openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True)
    cells = [str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
    assert any(COPY in c for c in cells)
    assert any("其原文件" in c and FAILING.name in c and "也在本次指定的文件中" in c for c in cells), cells


def test_a_copy_named_alone_is_still_read_as_the_departments_corrected_copy(tmp_path):
    inbox = _annotated_inbox(tmp_path)
    report = validate([str(inbox / COPY)], jobs=1)
    assert [os.path.basename(f.path) for f in report.files] == [COPY] and report.skipped_reasons == {}
    assert report.files[0].form and {p.code for p in report.files[0].problems} >= {"rule.level2_mismatch"}
    result = consolidate([str(inbox / COPY), str(inbox / EXAMPLE_XLSX[0].name)], tmp_path / "s.xlsx", jobs=1)
    assert sorted(os.path.basename(r.path) for r in result.records) == sorted([COPY, EXAMPLE_XLSX[0].name])
    assert result.skipped == {}


def test_the_copies_folder_named_with_the_originals_tells_each_copy_its_own_original(tmp_path):
    """Two departments' 绩效目标表.xlsx, annotated into 退回 (甲_绩效目标表_问题标注.xlsx, 乙_…): named with one original
    only, the other copy is a corrected copy and read; named with both, both are skipped."""
    import zipfile

    for unit in ("甲", "乙"):
        (tmp_path / unit).mkdir()
        shutil.copy(FAILING, tmp_path / unit / "绩效目标表.xlsx")
        with zipfile.ZipFile(tmp_path / unit / "绩效目标表.xlsx", "a") as z:  # two returns, not the same bytes
            z.comment = unit.encode()  # (a copy knows the file it marks by its bytes)
    back = tmp_path / "退回"
    r = cli("validate", tmp_path / "甲", tmp_path / "乙", "--annotate", back, "-o", tmp_path / "r.txt", "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert sorted(os.listdir(back)) == ["乙_绩效目标表_问题标注.xlsx", "甲_绩效目标表_问题标注.xlsx"]
    copies = _glob(back)
    one = validate([str(tmp_path / "甲" / "绩效目标表.xlsx"), *copies], jobs=1)
    assert sorted(os.path.relpath(f.path, tmp_path) for f in one.files) == [
        os.path.join("甲", "绩效目标表.xlsx"), os.path.join("退回", "乙_绩效目标表_问题标注.xlsx")]
    assert one.skipped_reasons == {
        str(back / "甲_绩效目标表_问题标注.xlsx"): beside_original(str(tmp_path / "甲" / "绩效目标表.xlsx"))}
    both = validate([str(tmp_path / "甲" / "绩效目标表.xlsx"), str(tmp_path / "乙" / "绩效目标表.xlsx"), *copies],
                    jobs=1)
    assert len(both.files) == 2 and set(both.skipped_reasons) == set(copies)


def test_original_of_a_copy_recording_no_digest_is_in_its_own_folder_only(tmp_path):
    """A copy written before copies recorded the digest of the file they mark (its bytes are no zip here): its
    original is a file of the name it was made from in its own folder, never another folder's (mendY)."""
    files = [str(tmp_path / "a" / "X.xlsx"), str(tmp_path / "b" / "Y.xls"), str(tmp_path / "Z_问题标注.xlsx"),
             str(tmp_path / "W.xlsx"), str(tmp_path / "V_2025.xlsx")]
    found = scan([])
    found.files = sorted(files + [str(tmp_path / n) for n in (
        "x_问题标注.xlsx", "X_3_问题标注.xlsx", "Y_问题标注.xlsx", "b_Y_问题标注.xlsx", "a/X_问题标注.xlsx",
        "Z_问题标注_问题标注.xlsx", "Z_2_问题标注.xlsx", "w_问题标注.xlsx", "W_2_问题标注.xlsx", "V_2025_问题标注.xlsx")])
    original = {os.path.relpath(c, tmp_path): found.original_of(c) for c in found.files if "问题标注" in c}
    assert original == {
        "x_问题标注.xlsx": None, "X_3_问题标注.xlsx": str(tmp_path / "x_问题标注.xlsx"),  # X.xlsx is in a/
        "Y_问题标注.xlsx": None, "b_Y_问题标注.xlsx": None,  # Y.xls lies in b/, another folder
        os.path.join("a", "X_问题标注.xlsx"): files[0],  # beside it
        "Z_问题标注.xlsx": None,  # a copy whose original is not named
        "Z_问题标注_问题标注.xlsx": files[2], "Z_2_问题标注.xlsx": files[2],  # a copy of a copy: the copy it marks
        "w_问题标注.xlsx": files[3], "W_2_问题标注.xlsx": files[3], "V_2025_问题标注.xlsx": files[4]}


# 2. A corrected copy marked again ------------------------------------------------------------------------------------


def test_a_corrected_copy_marked_again_into_its_own_folder_is_numbered_never_doubled_nor_written_over(tmp_path):
    from .helpers import ooxml_errors

    inbox = _annotated_inbox(tmp_path)
    copy = inbox / COPY
    before = copy.read_bytes()
    r = cli("validate", copy, "--annotate", inbox, "-o", tmp_path / "r2.txt", "--jobs", "1")
    assert r.exit_code == 1, r.output
    again = inbox / "某局_某项目_2_问题标注.xlsx"
    assert copy.read_bytes() == before
    assert sorted(p.name for p in inbox.iterdir() if "问题标注" in p.name) == [again.name, COPY]
    line = next(x for x in r.stderr.splitlines() if "已生成标注副本" in x)
    assert again.name in line and f"{COPY} 是所标注的文件本身" in line and "未覆盖" in line, line
    wb = openpyxl.load_workbook(again)
    assert wb.sheetnames.count("问题清单") == 1 and wb.sheetnames[0] == "问题清单"
    assert ooxml_errors(again) == []
    # into another folder it is X_问题标注.xlsx again (the name the department knows), said without a note
    back = tmp_path / "退回"
    r = cli("validate", copy, "--annotate", back, "-o", tmp_path / "r3.txt", "--jobs", "1", "--lang", "en")
    assert r.exit_code == 1, r.output
    assert os.listdir(back) == [COPY] and copy.read_bytes() == before
    assert "not overwritten" not in r.stderr and f"{back / COPY}" in r.stderr, r.stderr


def test_annotated_names_of_a_copy_keep_one_suffix():
    from xlgoals._check._annotate import annotated_names

    assert annotated_names(["in/X_问题标注.xlsx", "in/Y_2_问题标注.xlsx", "in/_问题标注.xlsx", "in/Z_问题标注x.xlsx"]) \
        == ["X_问题标注.xlsx", "Y_2_问题标注.xlsx", "_问题标注_问题标注.xlsx", "Z_问题标注x_问题标注.xlsx"]  # (mendY:
    # a number before the suffix is kept, it may be the department's own: 附件_2)


# 3. An output folder that is the input folder ------------------------------------------------------------------------


def _goal_tables(tmp_path):
    folder = tmp_path / "目标表"
    folder.mkdir()
    for p in EXAMPLE_XLSX[:2]:
        shutil.copy(p, folder / p.name)
    return folder


def test_templates_written_into_the_goal_tables_folder_are_refused_before_anything_is_written(tmp_path):
    """template --targets X --out-dir X put the self-evaluations among the goal tables: the next consolidate X
    refused the folder as mixing forms, and the next template run took them for goal tables of another form."""
    from .helpers import files_under

    folder = _goal_tables(tmp_path)
    before = files_under(tmp_path)
    r = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", folder)
    assert r.exit_code == 2, r.output
    line = r.stderr.strip()
    assert f"输出文件夹 {folder}（--out-dir）就是 --targets 给出的文件夹 {folder}" in line, line
    assert "请另选一个不在" in line and "未写入任何文件" in line and "Traceback" not in r.output
    r = cli("template", "--form", "monitoring", "--month", "6", "--targets", folder, "--out-dir", folder / "监控",
            "--lang", "en")
    assert r.exit_code == 2, r.output
    assert f"the output folder {folder / '监控'} (--out-dir) lies inside the folder {folder} given with --targets" \
        in r.stderr, r.stderr
    assert files_under(tmp_path) == before
    # beside it, as a bureau keeps them: written, and the goal tables' folder still holds goal tables only
    r = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "自评表")
    assert r.exit_code == 0, r.output
    assert len(os.listdir(tmp_path / "自评表")) == 2 and files_under(folder) == [p.name for p in EXAMPLE_XLSX[:2]]


def test_the_library_refuses_it_too_naming_its_keywords(tmp_path):
    import pytest

    from xlgoals import monitoring_templates, self_evaluation_templates
    from xlgoals._errors import UsageError
    from xlgoals._text import in_lang

    folder = _goal_tables(tmp_path)
    with pytest.raises(UsageError) as e:
        self_evaluation_templates([folder], folder)
    assert "（out_dir=）就是 targets= 给出的文件夹" in in_lang(e.value, "zh"), in_lang(e.value, "zh")
    link = tmp_path / "链接"
    link.symlink_to(folder, target_is_directory=True)
    with pytest.raises(UsageError):  # the same folder, through a link to it
        monitoring_templates(folder, link / "六月", month=6)
    assert sorted(os.listdir(folder)) == sorted(p.name for p in EXAMPLE_XLSX[:2])
    # a goal table named as a file is no folder of inputs: its own folder may take the templates
    result = self_evaluation_templates([folder / EXAMPLE_XLSX[0].name], folder)
    assert len(result.written) == 1
