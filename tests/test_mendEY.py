"""Mender M8 (session 31): options silently ignored, silent choices, bare codes.

`template --form self-evaluation|monitoring` refusing the goal table's options it has no use for; --previous with
two differing versions of last year's goal table of one project; a framework change between years (the bureau's
prefilled rows of last year are not the department's drop); and the minor ones: a --library error's reason, a
consolidate given only a summary, a text file named .xlsx as --prefill, --previous given self-evaluations, and a
summary passed to --prefill/--targets."""

from __future__ import annotations

import shutil

from .conftest import EXAMPLES, ROOT, cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


# 1. template --form self-evaluation|monitoring: the goal table's options refused, not passed over -------------------
def test_a_self_evaluation_or_monitoring_report_refuses_the_goal_tables_options(tmp_path):
    shutil.copytree(EXAMPLES / "returns", tmp_path / "批复")
    made = {"self-evaluation": [], "monitoring": ["--month", "6"]}
    for form, extra in made.items():
        base = ["template", "--form", form, *extra, "--targets", tmp_path / "批复", "--out-dir", tmp_path / form]
        result = cli(*base, "--year", "2021")  # the goal tables' year is 2020: the forms were 2020's, silently
        assert result.exit_code == 2, result.output
        assert result.stderr == ("错误：--year 只用于 --form goal-table（空白或预填的绩效目标表的年度；自评表、监控表的年度"
                                 "取自其批复的绩效目标表）\n")
        result = cli(*base, "--rows", "5", "--framework", "national-2021", "-o", tmp_path / "z.xlsx",
                     "--prefill", EXAMPLES / "projects.csv", "--library", EXAMPLES / "library.csv", "--lang", "en")
        assert result.exit_code == 2, result.output
        first = result.stderr.splitlines()[0]
        assert first.startswith(f"Error: --form {form} takes no -o, --framework, --rows, --prefill, --library: "), first
        assert "--rows goes only with --form goal-table (the indicator rows of a blank" in first
        assert not (tmp_path / form).exists() and not (tmp_path / "z.xlsx").exists()
        # what each form does take still works: --password, --force
        result = cli(*base, "--password", "pw", "--force")
        assert result.exit_code == 0, result.output
    assert "--year`, `--framework`, `--rows`, `--library`, `--prefill`, `--ignore-columns` and `-o` are refused" in README
