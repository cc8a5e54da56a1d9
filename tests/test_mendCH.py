"""mendCH: red team (o)'s findings on mendCE/mendCG: a folder at a batch output's name exits 2 (an output not
written, not a bad row), the annotated marks come off a copy LibreOffice saved (a frame split over a merge) and give a
caption back as the template has it, the caption check measures at the file's column widths, and a hidden row is
not measured against the page.  Each test was seen failing on the code before."""

import shutil

import openpyxl
import pytest

from .conftest import EXAMPLES, cli
from .helpers import files_under


# 1. a folder at one batch output's name: exit 2, the others written ----------------------------------------------
def test_a_folder_at_a_prefill_outputs_name_exits_2_and_the_others_are_written(tmp_path):
    args = ("template", "--prefill", EXAMPLES / "projects.csv", "--year", "2020")
    assert cli(*args, "--out-dir", tmp_path / "ok").exit_code == 0
    name = sorted(files_under(tmp_path / "ok"))[0]
    (tmp_path / "pf" / name).mkdir(parents=True)
    res = cli(*args, "--out-dir", tmp_path / "pf", "--force")
    assert res.exit_code == 2, res.stderr
    assert "无法写入" in res.stderr and "不是普通文件" in res.stderr
    assert (tmp_path / "pf" / name).is_dir()  # the folder is left as it was
    assert len([p for p in (tmp_path / "pf").iterdir() if p.is_file()]) == 4


@pytest.mark.parametrize("form", [["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]])
def test_a_folder_at_a_targets_outputs_name_exits_2_and_the_others_are_written(tmp_path, form):
    targets = tmp_path / "tg"
    targets.mkdir()
    for p in sorted((EXAMPLES / "returns").glob("0[12]*.xlsx")):
        shutil.copy(p, targets / p.name)
    assert cli("template", *form, "--targets", targets, "--out-dir", tmp_path / "ok").exit_code == 0
    name = sorted(files_under(tmp_path / "ok"))[0]
    (tmp_path / "se" / name).mkdir(parents=True)
    res = cli("template", *form, "--targets", targets, "--out-dir", tmp_path / "se", "--force")
    assert res.exit_code == 2, res.stderr
    assert "无法写入" in res.stderr and "不是普通文件" in res.stderr
    assert len([p for p in (tmp_path / "se").iterdir() if p.is_file()]) == 1


# 2 and 4. re-annotating a copy whose caption (A2:G2, no fill and no border in the template) was marked -----------
def _sides(c) -> tuple:
    return tuple(getattr(getattr(c.border, s), "style", None) for s in ("left", "right", "top", "bottom"))


def _caption_cells(path):
    """The caption row's cells (A2:G2 of 绩效指标) as (fill type, the four sides' styles), each."""
    from xlgoals._form import FORMS

    table = FORMS["goal-table"].table
    ws = openpyxl.load_workbook(path)[table.name]
    r = table.caption_row + 1
    return [(ws.cell(r, c).fill.fill_type, _sides(ws.cell(r, c))) for c in range(1, len(table.columns) + 1)]


def _marked_caption_copy(tmp_path):
    """A goal table whose long 项目名称 marks the caption row (cell.row_too_short), its annotated copy, and the
    blank template."""
    from xlgoals import validate_file
    from xlgoals._check._annotate import annotate

    from .test_mendCG import _LONG_NAME, _caption_short, _typed_names

    typed = _typed_names(tmp_path, _LONG_NAME)
    assert _caption_short(typed)
    copy = annotate(validate_file(typed), tmp_path / "a1")
    assert "mediumDashed" in _caption_cells(copy)[0][1]  # marked
    return copy, typed.parent / "blank.xlsx"


def _fixed_and_annotated_again(tmp_path, copy):
    """`copy` with its caption row made tall enough by the department, validated --annotate again."""
    from xlgoals._form import FORMS
    from xlgoals._read._safety import reading_annotated

    from .helpers import ooxml_errors
    from .test_mendCG import _caption_short

    table = FORMS["goal-table"].table
    wb = openpyxl.load_workbook(copy)
    wb[table.name].row_dimensions[table.caption_row + 1].height = 60  # the department's fix
    wb.save(tmp_path / "fixed.xlsx")
    with reading_annotated():  # a corrected copy named directly is read as the return it is
        assert not _caption_short(tmp_path / "fixed.xlsx")
    res = cli("validate", tmp_path / "fixed.xlsx", "--annotate", tmp_path / "a2")
    assert res.exit_code == 1, res.stderr  # the blank form's empty fields: a copy is made
    (again,) = (tmp_path / "a2").glob("*.xlsx")
    assert ooxml_errors(again) == []
    return again


def test_a_fixed_caption_is_given_back_as_the_template_has_it_not_grey_and_boxed(tmp_path):
    copy, blank = _marked_caption_copy(tmp_path)
    again = _fixed_and_annotated_again(tmp_path, copy)
    assert _caption_cells(again) == _caption_cells(blank)
    assert set(_caption_cells(blank)) == {(None, (None,) * 4)}  # no fill, no border


def test_the_frame_libreoffice_split_over_a_merge_is_taken_off_with_the_fill(tmp_path, lo_convert):
    """LibreOffice saves the mark's frame over the merged caption A2:G2 split among its cells (A2 has no right
    side): recognised as ours and taken off on the next annotation, not left framing a fixed row."""
    copy, blank = _marked_caption_copy(tmp_path)
    (saved,) = lo_convert(copy)
    split = _caption_cells(saved)
    assert split[0][1] == ("mediumDashed", None, "mediumDashed", "mediumDashed"), split  # as LibreOffice saves it
    again = _fixed_and_annotated_again(tmp_path, saved)
    assert _caption_cells(again) == _caption_cells(blank)


def test_a_frame_split_over_the_merge_as_libreoffice_saves_it_is_recognised_without_libreoffice(tmp_path):
    """The split frame as openpyxl reads LibreOffice's save (the merge's first cell: left, top, bottom; the others:
    top and bottom): _unmark takes it off the whole merge, with the fill."""
    from openpyxl.styles import Border, Side

    from xlgoals._check._annotate import _unmark

    copy, blank = _marked_caption_copy(tmp_path)
    wb = openpyxl.load_workbook(copy)
    ws = wb["绩效指标"]
    dashed = Side("mediumDashed", color="FF000000")
    ws["A2"].border = Border(left=dashed, top=dashed, bottom=dashed)
    for c in range(2, 8):
        ws.cell(2, c).border = Border(top=dashed, bottom=dashed)
    _unmark(wb)
    wb.save(tmp_path / "unmarked.xlsx")
    assert _caption_cells(tmp_path / "unmarked.xlsx") == _caption_cells(blank)
