"""mendBN: the review's scored codes built once per rule table and settings; 填报总分 given as text; lock records of
templates made before they existed."""

import json
from types import SimpleNamespace

from xlgoals import validate_file

from .conftest import EXAMPLE_XLSX
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
