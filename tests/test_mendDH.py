"""mendDH: the bureau's inbox as it really is (red team 28w).

1. (f5) A department's corrected annotated copy (edited after xlgoals wrote it, saved, renamed) found in a folder is
   checked and counted as the return it is; an untouched copy stays skipped as xlgoals's output.
"""

from __future__ import annotations

import shutil

import openpyxl

from xlgoals import consolidate, validate
from xlgoals._paths import SKIP_XLGOALS

from .conftest import EXAMPLES, EXAMPLE_XLSX, cli
from .helpers import ooxml_errors

RECEIVED = EXAMPLES / "received" / "某局_某项目.xlsx"


def _annotated_copy(tmp_path):
    """validate --annotate of the failing example return: the copy's path."""
    inbox, back = tmp_path / "原件", tmp_path / "退回"
    inbox.mkdir()
    shutil.copy(RECEIVED, inbox / RECEIVED.name)
    r = cli("validate", inbox, "--annotate", back)
    assert r.exit_code == 1, r.output
    copy = back / "某局_某项目_问题标注.xlsx"
    assert copy.is_file()
    assert ooxml_errors(copy) == []  # the content stamp (a property written in) keeps the copy a valid workbook
    return copy


def test_corrected_annotated_copy_in_a_folder_is_checked_and_counted(tmp_path):
    copy = _annotated_copy(tmp_path)
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], inbox / EXAMPLE_XLSX[0].name)
    wb = openpyxl.load_workbook(copy)  # the department fixes the two cells the copy marks, and saves
    wb["项目信息"]["B10"].value = 162800000
    wb["绩效指标"]["C16"].value = "数量"
    corrected = inbox / "某局_促进就业专项资金（修改后）.xlsx"
    wb.save(corrected)
    untouched = inbox / "某局_某项目_问题标注.xlsx"  # an untouched copy lying beside: still ours, skipped
    shutil.copy(copy, untouched)
    report = validate([inbox])
    checked = {f.path: f for f in report.files}
    assert str(corrected) in checked, report.skipped_reasons
    f = checked[str(corrected)]
    assert [p.code for p in f.problems if p.severity == "error"] == [], [(p.code, p.sheet, p.cell) for p in f.problems]
    assert not any(p.sheet == "问题清单" for p in f.problems)  # the copy's own sheet is no part of the form
    assert report.skipped_reasons == {str(untouched): SKIP_XLGOALS}
    r = consolidate([inbox], tmp_path / "汇总.xlsx")
    counted = {rec.path: rec for rec in r.records}
    assert set(counted) == {str(inbox / EXAMPLE_XLSX[0].name), str(corrected)}, r.skipped
    assert list(r.skipped) == [str(untouched)]
