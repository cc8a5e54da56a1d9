"""The public functions' arguments (red-team session 22, f03 f04 f08 f09).

Paths may be any iterable (a script's ``Path('收件箱').glob('*.xlsx')``): each function reads a generator once, at its
start; consolidate used it up in its checks and wrote an EMPTY summary.  Whole-number arguments (year, month, rows,
jobs) are checked at the entry by one rule each, shared with the command line, as a UsageError naming the argument
in Chinese and English: write_template(year=1) wrote a workbook openpyxl cannot open, rows="20" was a bare TypeError.
"""

import openpyxl
import pytest

import xlgoals
from xlgoals import (consolidate, frames, monitoring_templates, self_evaluation_templates, validate,
                     validate_document, write_template)
from xlgoals._errors import UsageError

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli
from .helpers import files_under, ooxml_errors

SELF_EVALUATIONS = EXAMPLES / "self-evaluation"
RETURNS = EXAMPLES / "returns"


def _gen():
    return RETURNS.glob("*.xlsx")  # a generator, as a script gives it


# f08: a generator of paths ---------------------------------------------------------------------------------------
def test_consolidate_reads_a_generator_of_paths_not_an_empty_summary(tmp_path):
    result = consolidate(_gen(), tmp_path / "汇总.xlsx", jobs=1)
    assert result.counts["files"] == result.counts["counted"] == len(EXAMPLE_XLSX)
    assert result.nothing_found() == ""
    ws = openpyxl.load_workbook(tmp_path / "汇总.xlsx")["项目清单"]
    assert ws.max_row == 1 + len(EXAMPLE_XLSX)  # a header and one row per return
    assert ooxml_errors(tmp_path / "汇总.xlsx") == []


@pytest.mark.parametrize("make", [self_evaluation_templates,
                                  lambda t, out: monitoring_templates(t, out, month=6)],
                         ids=["self_evaluation_templates", "monitoring_templates"])
def test_the_templates_from_a_generator_of_goal_tables(tmp_path, make):
    result = make(_gen(), tmp_path / "out")
    assert len(result.written) == len(EXAMPLE_XLSX)
    assert ooxml_errors(result.written[0]) == []


def test_validate_and_consolidate_take_targets_as_a_generator(tmp_path):
    as_list = validate([SELF_EVALUATIONS], targets=list(_gen()), jobs=1)
    by_gen = validate(iter([SELF_EVALUATIONS]), targets=_gen(), jobs=1, exclude=iter(()))
    assert [f.path for f in by_gen.files] == [f.path for f in as_list.files]
    assert [[p.code for p in f.problems] for f in by_gen.files] == [[p.code for p in f.problems] for f in as_list.files]
    result = consolidate([SELF_EVALUATIONS], tmp_path / "汇总.xlsx", jobs=1, targets=_gen())
    assert result.counts["counted"] == consolidate([SELF_EVALUATIONS], tmp_path / "b.xlsx", jobs=1,
                                                   targets=list(_gen())).counts["counted"] > 0


def test_consolidate_reviews_against_previous_years_given_as_a_generator(tmp_path):
    """previous=Path('上年').rglob('*.xlsx'): used up by the check that no output overwrites an input, the review then
    compared with no previous year at all, silently (a summary without its 上年 findings)."""
    import json

    previous = EXAMPLES / "review"
    consolidate([RETURNS], tmp_path / "a.xlsx", jobs=1, previous=list(previous.rglob("*.xlsx")),
                json_path=tmp_path / "a.json")
    consolidate([RETURNS], tmp_path / "b.xlsx", jobs=1, previous=previous.rglob("*.xlsx"),
                json_path=tmp_path / "b.json")
    assert json.loads((tmp_path / "b.json").read_text("utf-8")) == json.loads((tmp_path / "a.json").read_text("utf-8"))


def test_frames_takes_a_generator(tmp_path):
    assert len(frames(_gen(), jobs=1).projects) == len(EXAMPLE_XLSX)


# f03 f04: whole-number arguments ---------------------------------------------------------------------------------
@pytest.mark.parametrize("year, error", [(1800, ValueError), (1, ValueError), (2101, ValueError), (True, TypeError),
                                         ("2021", TypeError), (2021.0, TypeError)])
def test_write_template_checks_the_year_as_the_command_line_does(tmp_path, year, error):
    with pytest.raises(UsageError) as caught:
        write_template(tmp_path / "t.xlsx", year=year)
    assert isinstance(caught.value, error)
    zh, en = str(caught.value.args[0]), caught.value.args[0].en
    assert "year=" in zh and "2000 至 2100" in zh and "year=" in en and "from 2000 to 2100" in en
    assert files_under(tmp_path) == []  # nothing written
    with pytest.raises(UsageError):
        xlgoals.prefill_templates(EXAMPLES / "projects.csv", tmp_path / "out", year=year)
    assert files_under(tmp_path) == []
    if isinstance(year, int) and not isinstance(year, bool):
        r = cli("template", "-o", tmp_path / "c.xlsx", "--year", year)
        assert r.exit_code == 2 and "2000<=x<=2100" in r.output


def test_write_template_at_the_years_ends(tmp_path):
    for year in (2000, 2100):
        out = write_template(tmp_path / f"{year}.xlsx", year=year)
        assert f"{year}年度" in openpyxl.load_workbook(out)["项目信息"]["A1"].value


@pytest.mark.parametrize("rows", ["20", 20.0, True, 0, 5001])
def test_write_template_checks_rows(tmp_path, rows):
    with pytest.raises(UsageError) as caught:
        write_template(tmp_path / "t.xlsx", rows=rows)
    assert "rows=" in str(caught.value.args[0]) and "1 至 5000" in str(caught.value.args[0])
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("month", ["6", 6.0, True, 0, 13])
def test_monitoring_templates_month_is_a_whole_number_only(tmp_path, month):
    """month="6" was accepted while 6.0 was refused: a whole number (int) only, as year, rows and jobs."""
    with pytest.raises(UsageError) as caught:
        monitoring_templates([EXAMPLE_XLSX[0]], tmp_path / "m", month=month)
    assert "month=" in str(caught.value.args[0]) and "1 至 12" in str(caught.value.args[0])
    assert files_under(tmp_path) == []


@pytest.mark.parametrize("jobs", ["2", 2.0, True, -1, 257])
def test_a_bad_jobs_is_a_usage_error_in_both_languages(tmp_path, jobs):
    with pytest.raises(UsageError) as caught:
        validate(EXAMPLE_XLSX[:1], jobs=jobs)
    assert isinstance(caught.value, TypeError if not isinstance(jobs, int) or isinstance(jobs, bool) else ValueError)
    assert "jobs=" in str(caught.value.args[0]) and "jobs=" in caught.value.args[0].en


def test_jobs_0_is_every_core_in_the_library_and_on_the_command_line(tmp_path):
    """The library documents jobs=0 as all cores; the command line refused --jobs 0 ("0 不在范围 1<=x<=256")."""
    assert len(validate(EXAMPLE_XLSX[:2], jobs=0).files) == 2
    r = cli("validate", EXAMPLE_XLSX[0], "--jobs", "0")
    assert r.exit_code == 0, r.output
    r = cli("consolidate", EXAMPLE_XLSX[0], "-o", tmp_path / "s.xlsx", "--jobs", "0", "--no-progress")
    assert r.exit_code == 0, r.output
    assert ooxml_errors(tmp_path / "s.xlsx") == []


# f09 (part): an unknown form --------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["xyz", 3])
def test_validate_document_names_the_forms_for_an_unknown_one(form):
    with pytest.raises(UsageError) as caught:
        validate_document({}, form=form)
    msg = caught.value.args[0]
    for known in xlgoals.FORMS:
        assert known in str(msg) and known in msg.en
    assert repr(form) in str(msg)
