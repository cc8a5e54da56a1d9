"""mendBN: the review's scored codes built once per rule table and settings; 填报总分 given as text; lock records of
templates made before they existed."""

import json
from types import SimpleNamespace

import pytest

from xlgoals import validate_file

from .conftest import EXAMPLE_XLSX, EXAMPLES
from .helpers import bureau_rules, packaged_rule


def _renamed(code: str, new: str, **changes) -> list[str]:
    """The packaged row of `code` as a bureau's new row `new` (its columns changed by name)."""
    return [new, *packaged_rule(code, **changes)[1:]]


# 1. the codes the score counts, per rule table and per review settings ------------------------------------------
def test_each_rule_table_and_review_settings_gets_its_own_scored_codes(tmp_path):
    """Two calls in one process (validate_file, isolated=False: read and checked here) with different rule tables
    (review settings) each score with that table's (settings') codes: a bureau's review row counts in its score, a
    required field its review.json weighs too."""
    def validate(path, **kw):
        return SimpleNamespace(files=[validate_file(path, isolated=False, **kw)])

    plain = validate(EXAMPLE_XLSX[1], review=True).files[0]  # 2 × vague (4), a count in % (3)
    assert plain.review_score == 89
    again = bureau_rules(tmp_path / "again.csv", _renamed("review.vague_target", "bureau.vague_again"))
    bureau = validate(EXAMPLE_XLSX[1], review=True, rules=again).files[0]
    assert [p.code for p in bureau.notices].count("bureau.vague_again") == 2
    assert bureau.review_score == 89 - 2 * 3  # (default_weight 3)
    # a bureau's required field (a kind that reports a value left empty), which the example leaves blank
    need = bureau_rules(tmp_path / "need.csv", _renamed("rule.required_field", "bureau.prior_budget",
                                                        severity="warning",
                                                        params='{"paths": ["/budget/prior_year_budget"]}'))
    unweighed = validate(EXAMPLE_XLSX[1], review=True, rules=need).files[0]
    assert "bureau.prior_budget" in {p.code for p in unweighed.problems}
    assert unweighed.review_score == 89  # not in review.json's weights: not scored
    overlay = tmp_path / "review.json"
    overlay.write_text(json.dumps({"weights": {"bureau.prior_budget": 10}}), encoding="utf-8")
    weighed = validate(EXAMPLE_XLSX[1], review=True, rules=need, review_config=overlay).files[0]
    assert weighed.review_score == 79
    assert validate(EXAMPLE_XLSX[1], review=True).files[0].review_score == 89  # the packaged table's, again


# 3. a row's values left out and given empty: the same to the alignment of a return's rows with its goal table's --
def test_rows_compared_alike_one_by_one_and_in_the_table_of_all_pairs():
    """A key a row gives as None (a workbook's empty cell) and one it leaves out (a JSON goal table's indicator
    without it) are the same blank to ``_unlike`` (one pair) and to ``_unlikes`` (the table _by_content aligns by,
    whose head and tail ``_unlike`` compares): they differed, 1/3 of the row changed in the table, 0 one by one."""
    from xlgoals._selfeval._targets import _unlike, _unlikes

    got = [{"name": "就业人数", "unit": None, "value": 100}, {"name": "培训人次", "unit": "人次", "value": None}]
    want = [{"name": "就业人数", "value": 100}, {"name": "培训人次", "unit": "人次"}, {"name": "满意度", "text": None}]
    table = _unlikes(got, want, 3)
    assert table == {(3 + i, 3 + j): _unlike(g, w) for i, g in enumerate(got) for j, w in enumerate(want)}
    assert table[3, 3] == table[4, 4] == 0.0


# 6. a self-evaluation's scores and 总分 typed as text ------------------------------------------------------------
SE_XLSX = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"


def _typed_over(tmp_path, name: str, sheet: str, cell: str, value):
    """The example self-evaluation with `value` typed into `cell` (the sheet's protection aside, as a person who
    unprotected it would), checked: its problems at that cell, and all of them."""
    import openpyxl

    wb = openpyxl.load_workbook(SE_XLSX)
    wb[sheet][cell] = value
    wb.save(tmp_path / name)
    problems = validate_file(tmp_path / name).problems
    return [p for p in problems if (p.sheet, p.cell) == (sheet, cell)], problems


def _total_at():
    from xlgoals._form import FORMS, a1
    from xlgoals import read

    se = FORMS["self-evaluation"]
    n = len(read(SE_XLSX, isolated=False).document["indicators"])
    return se.table.name, a1(se.table.first_row + n, se.column(se.table.total.column).index)


@pytest.mark.parametrize("typed, shown", [("95分", "95分"), ("95.5 分", "95.5 分"), ("95", "95"), ("９５ 分", "９５ 分")])
def test_a_total_typed_as_a_number_in_text_not_the_sum_of_the_scores_is_an_error(tmp_path, typed, shown):
    """总分 typed over with 95分 (or 95 kept as text): the stamped form prints 95 where the scores above it add up to
    98.93, as when 95 is typed as a number: cell.total_not_sum, an error naming both, not only the warning that the
    formula is gone (cell.computed_overwritten), which said nothing of the two disagreeing."""
    sheet, cell = _total_at()
    found, _ = _typed_over(tmp_path, "r.xlsx", sheet, cell, typed)
    assert [(p.code, p.severity) for p in found] == [("cell.total_not_sum", "error")], [(p.code, p.message)
                                                                                       for p in found]
    assert f"改写为 {shown}，而资金得分与各指标得分合计为 98.93" in found[0].message, found[0].message


@pytest.mark.parametrize("typed", ["98.93 分", "98.93", "九十五", "优秀"])
def test_a_total_typed_as_text_that_is_the_sum_or_no_number_is_the_warning_it_was(tmp_path, typed):
    """总分 typed over with the scores' sum as text (98.93 分), or with a text that is no number the reader reads
    (九十五, 优秀): the warning at the cell that the formula is gone and the checks recompute it, quoting the text."""
    sheet, cell = _total_at()
    found, _ = _typed_over(tmp_path, "r.xlsx", sheet, cell, typed)
    assert [(p.code, p.severity) for p in found] == [("cell.computed_overwritten", "warning")], \
        [(p.code, p.message) for p in found]
    assert f"现被改写为填写的“{typed}”" in found[0].message


@pytest.mark.parametrize("typed", ["九", "九点五", "≥9"])
def test_a_funds_score_in_chinese_numerals_is_said_as_a_number_not_a_target(tmp_path, typed):
    """资金得分 typed 九 was cell.target_chinese_number, whose message asks for a comparator and a unit and speaks of
    a qualitative target: a score has none.  It is cell.number (应为数字), as an indicator's 得分 typed 五 is."""
    from xlgoals._form import FORMS

    field = FORMS["self-evaluation"].field("/funds/score")
    found, _ = _typed_over(tmp_path, "r.xlsx", FORMS["self-evaluation"].info.name, field.cell, typed)
    assert [(p.code, p.severity) for p in found] == [("cell.number", "error")], [(p.code, p.message) for p in found]
    assert found[0].message == f"“资金得分”应为数字，实际为“{typed}”，请只填写数字（不带单位或文字）"
