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
    from xlgoals._form import GOAL_TABLE

    copy, blank = _marked_caption_copy(tmp_path)
    wb = openpyxl.load_workbook(copy)
    ws = wb["绩效指标"]
    dashed = Side("mediumDashed", color="FF000000")
    ws["A2"].border = Border(left=dashed, top=dashed, bottom=dashed)
    for c in range(2, 8):
        ws.cell(2, c).border = Border(top=dashed, bottom=dashed)
    _unmark(wb, GOAL_TABLE)
    wb.save(tmp_path / "unmarked.xlsx")
    assert _caption_cells(tmp_path / "unmarked.xlsx") == _caption_cells(blank)


# 3. the caption row measured at the file's column widths ---------------------------------------------------------
def test_the_caption_row_is_measured_at_the_files_widened_columns(tmp_path):
    """A department that widened 绩效指标's columns (allowed under the protection) so that the long caption fits its
    30 pt row is not told to make the row taller; at the template's widths it still is."""
    from xlgoals._form import FORMS

    from .test_mendCG import _LONG_NAME, _caption_short, _typed_names

    table = FORMS["goal-table"].table
    typed = _typed_names(tmp_path, _LONG_NAME)
    assert _caption_short(typed)  # at the template's widths: warned
    wb = openpyxl.load_workbook(typed)
    ws = wb[table.name]
    assert ws.row_dimensions[table.caption_row + 1].height == 30
    for letter, dim in list(ws.column_dimensions.items()):
        dim.width = (dim.width or 9) * 3
    wb.save(tmp_path / "wide.xlsx")
    assert _caption_short(tmp_path / "wide.xlsx") == []


def test_the_caption_row_is_still_warned_where_the_columns_were_narrowed(tmp_path):
    """The other way round: a caption that fits at the template's widths in a row made 40 pt by hand, over columns
    the department narrowed by half, is cut: warned."""
    from xlgoals._form import FORMS

    from .test_mendCG import _LONG_NAME, _caption_short, _typed_names

    table = FORMS["goal-table"].table
    typed = _typed_names(tmp_path, _LONG_NAME, height=60)
    assert _caption_short(typed) == []
    wb = openpyxl.load_workbook(typed)
    ws = wb[table.name]
    for letter, dim in list(ws.column_dimensions.items()):
        dim.width = (dim.width or 9) / 3
    wb.save(tmp_path / "narrow.xlsx")
    assert _caption_short(tmp_path / "narrow.xlsx")


# 5. a hidden row prints on no page: not measured against the page -----------------------------------------------
def test_a_hidden_row_taller_than_the_page_is_said_hidden_not_beyond_the_page(tmp_path):
    from xlgoals import FORMS, validate_file

    from .test_mendCG import MON

    form = FORMS["monitoring"]
    sheet, r, c = form.table.name, form.table.first_row + 1, form.column("deviation").index
    wb = openpyxl.load_workbook(MON)
    ws = wb[sheet]
    ws.cell(r + 1, c + 1).value = "受新冠肺炎疫情影响，境外展品征集工作无法按原计划开展，部分国际展品的捐赠协议签署时间推迟至下半年。" * 8
    ws.row_dimensions[r + 1].height = 700  # (beyond the page at LibreOffice's smallest scale too, mendEP)
    wb.save(tmp_path / "tall.xlsx")
    codes = {p.code for p in validate_file(tmp_path / "tall.xlsx").problems}
    assert "cell.row_beyond_page" in codes  # shown, it is warned
    ws.row_dimensions[r + 1].hidden = True
    wb.save(tmp_path / "hidden.xlsx")
    codes = {p.code for p in validate_file(tmp_path / "hidden.xlsx").problems}
    assert "cell.hidden_row" in codes and "cell.row_beyond_page" not in codes, codes


def test_a_hidden_caption_row_gets_no_caption_check(tmp_path):
    from xlgoals._form import FORMS

    from .test_mendCG import _LONG_NAME, _caption_short, _typed_names

    table = FORMS["goal-table"].table
    typed = _typed_names(tmp_path, _LONG_NAME)
    wb = openpyxl.load_workbook(typed)
    wb[table.name].row_dimensions[table.caption_row + 1].hidden = True
    wb.save(tmp_path / "hidden.xlsx")
    assert _caption_short(tmp_path / "hidden.xlsx") == []
