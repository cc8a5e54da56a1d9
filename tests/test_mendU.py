"""Where the paper and the data disagree (red-team session 22: f06, f08, f04).

f06: a number stored as text in a cell a computed cell of the form takes (得分 under 总分, 全年预算数 / 执行数 under
执行率) is read as the number, but the form's formula leaves it out: the stamped 总分 or 执行率 is not what the data
gives.  An error at the text cell (cell.number_as_text)."""

import pytest

from xlgoals import FORMS, read, validate_file
from xlgoals._form import a1

from .conftest import EXAMPLES
from .test_computed_formulas import _at, _with_cells

SE = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
MON = EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx"


def _text(value) -> str:
    return f' t="inlineStr"><is><t>{value}</t></is>'


def test_a_score_stored_as_text_is_an_error_at_it_naming_the_total(tmp_path):
    form = FORMS["self-evaluation"]
    doc = read(SE).document
    col = form.column("score").index
    cell = a1(form.table.first_row + 2, col)
    score = doc["indicators"][2]["score"]
    path = _with_cells(SE, tmp_path / "t.xlsx", form.table.name, {cell: _text(score)})
    report = validate_file(path)
    assert report.document["indicators"][2]["score"] == score  # still read as the number
    found = [p for p in report.problems if p.code == "cell.number_as_text"]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("error", form.table.name, cell)], \
        [p.message for p in report.problems]
    p = found[0]
    assert "总分" in p.message and f"“{score}”" in p.message and "第3条指标的得分" in p.message, p.message
    assert "Total score" in p.message_en and "indicator 3 score" in p.message_en, p.message_en
    assert not report.passes()


def test_the_funds_score_stored_as_text_is_an_error_too(tmp_path):
    form = FORMS["self-evaluation"]
    f = form.field("/funds/score")
    score = read(SE).document["funds"]["score"]
    path = _with_cells(SE, tmp_path / "t.xlsx", form.info.name, {f.cell: _text(score)})
    found = [p for p in validate_file(path).problems if p.code == "cell.number_as_text"]
    assert [(p.sheet, p.cell) for p in found] == [(form.info.name, f.cell)], [p.message for p in found]
    assert "总分" in found[0].message, found[0].message


def test_amounts_stored_as_text_are_errors_naming_the_rate(tmp_path):
    """全年执行数 as text: the printed 执行率 is blank (ISNUMBER is false), in both forms that print one."""
    for src, form_id, key in ((SE, "self-evaluation", "executed"), (MON, "monitoring", "executed_to_date")):
        form = FORMS[form_id].bind(month=6) if FORMS[form_id].params else FORMS[form_id]
        budget, executed = form.field("/funds/full_year_budget"), form.field(f"/funds/{key}")
        doc = read(src).document
        path = _with_cells(src, tmp_path / f"{form_id}.xlsx", form.info.name, {
            executed.cell: _text(f"{doc['funds'][key]:,}"), budget.cell: _text(doc["funds"]["full_year_budget"])})
        report = validate_file(path)
        found = [p for p in report.problems if p.code == "cell.number_as_text"]
        assert sorted(p.cell for p in found) == sorted([executed.cell, budget.cell]), \
            (form_id, [p.message for p in report.problems])
        assert all("执行率" in p.message and p.severity == "error" for p in found), [p.message for p in found]
        assert report.document["funds"][key] == doc["funds"][key]


def test_text_in_cells_no_formula_takes_is_not_said(tmp_path):
    """A number as text where no computed cell looks (a 其中 line's amount, 实际完成值): the paper prints it as
    typed and nothing on it is computed from it; not this problem (nor one in the examples as made)."""
    form = FORMS["self-evaluation"]
    other = form.field("/funds/sources/fiscal/executed")
    doc = read(SE).document
    path = _with_cells(SE, tmp_path / "t.xlsx", form.info.name,
                       {other.cell: _text(doc["funds"]["sources"]["fiscal"]["executed"])})
    assert not [p for p in validate_file(path).problems if p.code == "cell.number_as_text"]
    for src in (SE, MON, EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"):
        assert not [p for p in validate_file(src).problems if p.code == "cell.number_as_text"], src


@pytest.fixture(scope="module")
def typed_in_libreoffice(soffice, tmp_path_factory):
    """The self-evaluation example typed into once in LibreOffice (each typing costs a LibreOffice job, so the three tests
    that type share one document, each on cells of its own): '<score> as the first row's 得分 (f06), a grade written
    on the first quantitative row with the protection off (f08), and rows 3-5's 偏差原因 cleared, given 17.15 pt
    each, merged and typed _REASON (f04): the saved workbook and its validation report."""
    from .conftest import lo_edit_job

    folder = tmp_path_factory.mktemp("typed-mendU")
    form = FORMS["self-evaluation"]
    sheet, col, r = form.table.name, form.column("deviation").index, form.table.first_row + 2
    score = read(SE).document["indicators"][0]["score"]
    _, _, grade_cell = _quantitative_grade_cell()
    edits = [{"sheet": sheet, "cell": a1(form.table.first_row, form.column("score").index), "input": f"'{score}"},
             {"sheet": sheet, "unprotect": True},
             {"sheet": sheet, "cell": grade_cell, "string": "未达成年度指标且效果较差"},
             *({"sheet": sheet, "cell": a1(i, col), "clear": True} for i in range(r, r + 3)),
             *({"sheet": sheet, "cell": a1(i, col), "row_height": 17.15} for i in range(r, r + 3)),
             {"sheet": sheet, "cell": f"{a1(r, col)}:{a1(r + 2, col)}", "merge": True},
             {"sheet": sheet, "cell": a1(r, col), "input": _REASON}]
    path = lo_edit_job(SE, folder / "lo.xlsx", edits, folder)
    return path, validate_file(path)


def test_a_score_typed_with_an_apostrophe_in_libreoffice_is_an_error(typed_in_libreoffice):
    """The real client: '2.86 typed into a 得分 in LibreOffice, which saves it as text and recomputes 总分
    without it (the red-team's 96.77 on paper against 99.63 read)."""
    form = FORMS["self-evaluation"]
    cell = a1(form.table.first_row, form.column("score").index)
    _, report = typed_in_libreoffice
    found = [p for p in _at(report.problems, form.table.name, cell)]
    assert [p.code for p in found] == ["cell.number_as_text"], [p.message for p in found]


# f08: 完成等级 is locked and blank on a quantitative row of a template made from approved rows; written there once
# the protection was off, the stamped paper shows a grade beside the row's score: an error at the cell.

def _quantitative_grade_cell():
    form = FORMS["self-evaluation"]
    doc = read(SE).document
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] != "qualitative")
    return form, i, a1(form.table.first_row + i, form.column("grade").index)


def test_a_grade_written_on_a_quantitative_row_is_an_error_at_it(tmp_path):
    import openpyxl

    form, i, cell = _quantitative_grade_cell()
    wb = openpyxl.load_workbook(SE)
    wb[form.table.name][cell] = "未达成年度指标且效果较差"
    wb.save(tmp_path / "g.xlsx")
    report = validate_file(tmp_path / "g.xlsx")
    found = [p for p in report.problems if p.code == "template.locked_blank_filled"]
    assert [(p.severity, p.sheet, p.cell) for p in found] == [("error", form.table.name, cell)], \
        [p.message for p in report.problems]
    assert "未达成年度指标且效果较差" in found[0].message and f"第{i + 1}条指标的完成等级" in found[0].message, \
        found[0].message
    assert "定量" in found[0].message and "quantitative" in found[0].message_en, found[0].message_en


def test_a_grade_on_a_qualitative_row_or_a_template_without_approved_rows_is_not_this_problem(tmp_path):
    """Qualitative rows take their grade (the examples pass); a self-evaluation template made blank (no approved
    rows: every row open, the department's own comparator) is not judged."""
    import openpyxl

    from xlgoals._write._workbook import build_workbook

    assert not [p for p in validate_file(SE).problems if p.code == "template.locked_blank_filled"]
    form = FORMS["self-evaluation"]
    doc = read(SE).document
    blank = tmp_path / "blank.xlsx"
    blank.write_bytes(build_workbook(doc["framework"], doc["year"], None, form=form))
    wb = openpyxl.load_workbook(blank)
    ws = wb[form.table.name]
    ind = next(ind for ind in doc["indicators"] if ind["comparator"] == ">=")
    r = form.table.first_row + 1
    for key, value in (("level1", ind["level1"]), ("level2", ind["level2"]), ("name", ind["name"]),
                       ("comparator", "≥"), ("target", ind["value"]), ("unit", ind.get("unit") or "%"),
                       ("actual", ind["value"]), ("grade", "未达成年度指标且效果较差"), ("points", ind["points"]),
                       ("score", ind["points"])):
        ws.cell(r, form.column(key).index + 1).value = value
    wb.save(blank)
    report = validate_file(blank)
    assert report.document["indicators"][0]["grade"] == "not_achieved", report.document["indicators"]
    assert not [p for p in report.problems if p.code == "template.locked_blank_filled"]


def test_a_grade_typed_in_libreoffice_on_a_quantitative_row_is_an_error(typed_in_libreoffice):
    form, _, cell = _quantitative_grade_cell()
    sheet = form.table.name
    _, report = typed_in_libreoffice
    found = _at(report.problems, sheet, cell)
    assert [p.code for p in found] == ["template.locked_blank_filled"], [p.message for p in found]


# f04: a 偏差原因 merged over three rows prints over all three: its text held to their heights together, not to the
# first row's (cell.row_too_short said 17.15 pt where the merged cell is 51.45 pt tall and prints the text whole).

_REASON = "受疫情影响，样本不足，下年改进。"


def _merged_reason(tmp_path, text: str, heights, merge: bool = True):
    import openpyxl

    form = FORMS["self-evaluation"]
    col = form.column("deviation").index
    r = form.table.first_row + 2  # 0-based
    wb = openpyxl.load_workbook(SE)
    ws = wb[form.table.name]
    for i, h in enumerate(heights):
        ws.cell(r + 1 + i, col + 1).value = None
        ws.row_dimensions[r + 1 + i].height = h  # (openpyxl: a fixed height, customHeight; None: none given)
    ws.cell(r + 1, col + 1).value = text
    if merge:
        ws.merge_cells(f"{a1(r, col)}:{a1(r + len(heights) - 1, col)}")
    wb.save(tmp_path / "m.xlsx")
    short = [p for p in validate_file(tmp_path / "m.xlsx").problems if p.code == "cell.row_too_short"]
    return a1(r, col), r, short


def test_a_reason_merged_over_three_rows_is_held_to_their_heights_together(tmp_path):
    cell, _, short = _merged_reason(tmp_path, _REASON, (17.15, 17.15, 17.15))  # needs 37 pt, has 51.45
    assert short == [], [p.message for p in short]
    cell, _, short = _merged_reason(tmp_path, _REASON, (17.15, 17.15, 17.15), merge=False)  # the first row alone
    assert [p.cell for p in short] == [cell], [p.message for p in short]


def test_rows_of_a_merge_the_file_gives_no_height_count_at_the_default(tmp_path):
    # (the sheet's default height, 15 as the file gives it: sheetFormatPr defaultRowHeight; test_mendAA)
    cell, _, short = _merged_reason(tmp_path, _REASON * 2, (17.15, None, None))  # 51.5 pt in 17.15 + 2 × 15
    assert short == [], [p.message for p in short]
    cell, r, short = _merged_reason(tmp_path, _REASON * 4, (17.15, None, None))  # 95 pt: still cut
    assert [p.cell for p in short] == [cell], [p.message for p in short]
    assert f"第 {r + 1}–{r + 3} 行" in short[0].message and "47.15 磅" in short[0].message, short[0].message
    assert f"rows {r + 1}–{r + 3}" in short[0].message_en, short[0].message_en


def test_a_reason_merged_over_three_rows_in_libreoffice_prints_whole_and_is_not_warned(typed_in_libreoffice,
                                                                                        lo_convert):
    """The red-team's case, in the real client: three rows of 17.15 pt, their 偏差原因 merged (Format › Merge
    Cells) and a reason of two lines typed: LibreOffice prints it whole over the three rows."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    path, report = typed_in_libreoffice
    assert report.document["indicators"][2]["deviation"] == _REASON
    assert not [p for p in report.problems if p.code == "cell.row_too_short"], \
        [p.message for p in report.problems]
    (pdf,) = lo_convert(path, fmt="pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert _REASON in "".join(text.split()), text  # every character of it on the paper
