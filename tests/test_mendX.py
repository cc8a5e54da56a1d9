"""mendX (session 22): a negative amount in `read`'s JSON as exact as a positive one; grades named in English in the
English messages; the self-evaluation's indicator table printing a full first page."""

import json

from xlgoals import fill

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import edited, info_cell


def test_a_negative_amount_is_written_in_the_json_as_a_positive_one_is(tmp_path):
    """-50000000 typed into 项目总预算 (cell.amount_negative) was kept in `read`'s JSON as -50000000.0, where every
    amount read is written as its digits (146407273, 1234.5): the same representation, the sign apart."""
    src = fill(load(EXAMPLE_JSON[1]), tmp_path / "r.xlsx")
    for typed, expect in ((-50000000, "-50000000"), (-1234.5, "-1234.5"), (-0.01, "-0.01")):
        path = edited(src, tmp_path / "neg.xlsx", {info_cell("/budget/total"): typed})
        out = tmp_path / "neg.json"
        result = cli("read", path, "-o", out, "--force")
        assert result.exit_code == 1 and "为负数" in result.output, result.output
        text = out.read_text(encoding="utf-8")
        assert f'"total": {expect},' in text, text[:600]
        assert json.loads(text)["budget"]["total"] == typed
    positive = json.loads(cli("read", src).stdout)["budget"]["current_year"]
    assert isinstance(positive, int), positive  # as the positive amounts are written: digits, no .0
