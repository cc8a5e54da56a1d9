"""Edges of the command line and the library found by use: option values in any case, messages that name what
the caller gave (an option or a keyword argument), files a folder search passes over, the review's inputs."""

import json
import shutil

import openpyxl
import pytest

from xlgoals import consolidate, self_evaluation_templates, validate
from xlgoals._errors import ConfigError, UsageError, XlgoalsError
from xlgoals._paths import documents
from xlgoals._text import in_lang

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli

RETURNS = EXAMPLES / "returns"


def _said(raised) -> str:
    """An error's message, Chinese and English."""
    message = raised.value.args[0]
    return f"{in_lang(message, 'zh')}\n{in_lang(message, 'en')}"
LAST_YEAR = EXAMPLES / "review" / "上年"


# 2. A choice in upper case ------------------------------------------------------------------------------------
def test_format_and_lang_are_taken_in_any_case():
    result = cli("validate", EXAMPLE_XLSX[0], "--format", "JSON", "--lang", "EN")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)  # the JSON report, in English
    assert "files" in report, report.keys()
    assert report == json.loads(cli("validate", EXAMPLE_XLSX[0], "--format", "json", "--lang", "en").stdout)
    assert cli("validate", EXAMPLE_XLSX[0], "--format", "csv").stdout == \
        cli("validate", EXAMPLE_XLSX[0], "--format", "CSV").stdout
    # --lang EN speaks English everywhere, as --lang en does (read before click parses the line)
    assert cli("validate", EXAMPLE_XLSX[0], "--lang", "EN").stdout == \
        cli("validate", EXAMPLE_XLSX[0], "--lang", "en").stdout
    assert cli("frameworks", "--lang", "En").stdout == cli("frameworks", "--lang", "en").stdout


def test_form_is_taken_in_any_case_and_the_help_keeps_its_choices():
    assert cli("schema", "--form", "Self-Evaluation").stdout == cli("schema", "--form", "self-evaluation").stdout
    assert cli("schema", "--form", "Self-Evaluation").exit_code == 0
    assert "[text|json|csv]" in cli("validate", "--help").stdout
    assert "[goal-table|self-evaluation|monitoring]" in cli("schema", "--help").stdout


# 3. Messages name what the caller gave -------------------------------------------------------------------------
def test_weights_without_targets_names_the_keyword_to_a_library_caller_and_the_option_on_the_command_line():
    with pytest.raises(UsageError) as raised:
        validate(EXAMPLE_XLSX[0], weights=EXAMPLES / "nothing.json")
    said = _said(raised)
    assert "--" not in said and "weights=" in said and "targets=" in said, said
    result = cli("validate", EXAMPLE_XLSX[0], "--weights", EXAMPLES / "nothing.json")
    assert result.exit_code == 2 and "--weights" in result.stderr and "--targets" in result.stderr, result.stderr


def test_missing_targets_names_the_keyword_to_a_library_caller(tmp_path):
    with pytest.raises(UsageError) as raised:
        validate(EXAMPLE_XLSX[0], targets=[tmp_path / "无"])
    said = _said(raised)
    assert "--targets" not in said and "targets=" in said, said
    result = cli("validate", EXAMPLE_XLSX[0], "--targets", tmp_path / "无")
    assert result.exit_code == 2 and "--targets" in result.stderr


def test_a_targets_folder_without_goal_tables_names_the_keyword(tmp_path):
    (tmp_path / "空").mkdir()
    (tmp_path / "空" / "说明.txt").write_text("x", encoding="utf-8")
    with pytest.raises(XlgoalsError) as raised:
        self_evaluation_templates([tmp_path / "空"], tmp_path / "out")
    said = _said(raised)
    assert "--targets" not in said and "targets=" in said, said


def test_a_frameworks_file_for_a_folder_names_the_keyword(tmp_path):
    from xlgoals._config import Config

    (tmp_path / "fw.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        Config.load(None, tmp_path / "fw.json")
    said = _said(raised)
    assert "--frameworks" not in said and "frameworks=" in said, said
    result = cli("frameworks", "--frameworks", tmp_path / "fw.json")
    assert result.exit_code == 2 and "--frameworks" in result.stderr, result.stderr


def test_an_unknown_framework_in_a_return_names_the_keyword(tmp_path):
    from xlgoals import write_template
    from xlgoals._config import Config

    fw = json.loads((EXAMPLES.parent / "templates" / "national-2021.json").read_text(encoding="utf-8"))
    fw["id"] = "bureau-own"
    (tmp_path / "fw").mkdir()
    (tmp_path / "fw" / "bureau-own.json").write_text(json.dumps(fw, ensure_ascii=False), encoding="utf-8")
    write_template(tmp_path / "t.xlsx", framework="bureau-own", config=Config.load(None, tmp_path / "fw"))
    report = validate(tmp_path / "t.xlsx", jobs=1)
    said = [p.expected for p in report.files[0].problems if p.code == "template.unknown"]
    assert said and "frameworks=" in said[0] and "--frameworks" not in said[0], said
    result = cli("validate", tmp_path / "t.xlsx", "--format", "json")
    assert "--frameworks" in result.stdout and "frameworks=" not in result.stdout


# 4. A folder search says what it passes over ------------------------------------------------------------------
def test_documents_says_the_lock_files_and_hidden_files_it_passes_over(tmp_path):
    folder = tmp_path / "上年"
    shutil.copytree(LAST_YEAR, folder)
    lock = folder / ".~lock.全部问题_上年.json#"
    lock.write_text("lock", encoding="utf-8")
    hidden = folder / ".备注.txt"
    hidden.write_text("x", encoding="utf-8")
    skipped: dict = {}
    found = documents([folder], (".json", ".xlsx"), skipped)
    assert [p.name for p in found] == ["全部问题_上年.json"]
    assert set(skipped) == {str(lock), str(hidden)}, skipped
    assert all("忽略" in zh and "ignored" in en for zh, en in skipped.values()), skipped


# 5. The review's inputs turn it on, in the library as on the command line ---------------------------------------
def test_validate_with_previous_reviews_without_review_true():
    report = validate(EXAMPLES / "review" / "全部问题.xlsx", previous=[LAST_YEAR])
    assert report.review and report.previous
    assert report.files[0].review_score is not None
    assert any(p.code.startswith("review.") for p in report.files[0].problems)
    cli_report = json.loads(cli("validate", EXAMPLES / "review" / "全部问题.xlsx", "--previous", LAST_YEAR,
                                "--format", "json").stdout)
    assert cli_report["files"][0].get("review_score") == report.files[0].review_score


def test_consolidate_with_previous_adds_the_review_sheets_without_review_true(tmp_path):
    consolidate([EXAMPLES / "review" / "全部问题.xlsx"], tmp_path / "汇总.xlsx", previous=[LAST_YEAR], jobs=1)
    assert "审核" in openpyxl.load_workbook(tmp_path / "汇总.xlsx", read_only=True).sheetnames
    assert cli("consolidate", EXAMPLES / "review" / "全部问题.xlsx", "-o", tmp_path / "c.xlsx", "--previous",
               LAST_YEAR).exit_code == 0
    assert "审核" in openpyxl.load_workbook(tmp_path / "c.xlsx", read_only=True).sheetnames
    consolidate([EXAMPLES / "review" / "全部问题.xlsx"], tmp_path / "无审核.xlsx", jobs=1)
    assert "审核" not in openpyxl.load_workbook(tmp_path / "无审核.xlsx", read_only=True).sheetnames


def test_ctrl_c_while_loading_speaks_english_under_lang_in_upper_case():
    # the console script's first step reads --lang before anything is loaded: EN as en, as click's choice takes it
    import subprocess
    import sys

    code = ("import sys; sys.argv = ['xlgoals', 'validate', 'x.xlsx', '--lang', 'EN']\n"
            "from xlgoals._entry import _interrupted_while_loading as stop\nstop(2, None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130 and done.stderr.startswith("Error: interrupted"), done.stderr
