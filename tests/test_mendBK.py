"""A number in an actual's percent cell whose format shows two % signs (``0%%``: 5 prints as 50000%%, each sign
×100, as cell.amount_percent quotes it) is read and quoted as the paper shows it: the read value and the message
agree with the printed digits, not ×100 once while the page shows ×10000 (final re-reading 24, part 1)."""

import pytest

import xlgoals

from .test_actual_formats import SE, _with_actual


@pytest.mark.parametrize("value, fmt, read_as", [(0.05, "0%%", 500), (5, "0%%", 50000), (0.05, "0%", 5)])
def test_an_actual_under_two_percent_signs_reads_the_digits_it_prints(tmp_path, value, fmt, read_as):
    k, _ = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", value, fmt)
    assert xlgoals.read(tmp_path / "se.xlsx").document["indicators"][k]["actual"] == read_as


def test_the_hundredfold_warning_quotes_what_a_two_sign_cell_prints(tmp_path):
    k, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 95, "0%%")
    report = xlgoals.validate_file(tmp_path / "se.xlsx")
    found = [p for p in report.problems if p.code == "cell.percent_hundredfold"]
    assert [(p.cell, p.value) for p in found] == [(ref, "950000%%")], report.problems
    assert "950000%%" in found[0].message and "950000%%" in found[0].text("en")
    assert report.document["indicators"][k]["actual"] == 950000


def test_a_two_sign_percent_beyond_any_number_is_quoted_with_its_signs(tmp_path):
    _, ref = _with_actual(SE, tmp_path / "se.xlsx", "self-evaluation", "actual", 1e308, "0%%")
    found = [p for p in xlgoals.validate_file(tmp_path / "se.xlsx").problems if p.code == "cell.number_too_large"]
    assert [(p.cell, p.value) for p in found] == [(ref, "1" + "0" * 312 + "%%")], found


def test_a_target_under_two_percent_signs_is_read_and_asked_about_as_it_prints(tmp_path):
    from .helpers import example_return

    k, ref = _with_actual(example_return("goal-table"), tmp_path / "gt.xlsx", "goal-table", "value", 5, "0%%")
    report = xlgoals.validate_file(tmp_path / "gt.xlsx")
    found = [p for p in report.problems if p.code == "cell.percent_hundredfold"]
    assert [(p.cell, p.value) for p in found] == [(ref, "50000%%")], report.problems
    assert "显示（打印）为 50000%%" in found[0].message
    assert report.document["indicators"][k]["value"] == 50000
