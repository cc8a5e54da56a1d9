"""mendW: what the form knows about where it came from.

1. (f02) ``--targets FOLDER`` holding xlgoals' own outputs (a summary's JSON, the --csv folder's record, the summary
   workbook): passed over as xlgoals outputs, said, as validate and consolidate of the folder pass them over; not
   broken goal tables failing ``template`` and ``validate --strict``.
"""

from __future__ import annotations

import shutil

from xlgoals import consolidate, validate
from xlgoals._paths import SKIP_OURS, SKIP_TABLES_RECORD, SKIP_XLGOALS, xlgoals_output

from .conftest import EXAMPLE_XLSX, cli


def _goal_tables_with_outputs(tmp_path):
    """A folder of approved goal tables that the bureau consolidated into itself: summary, JSON and CSV tables."""
    folder = tmp_path / "批复"
    folder.mkdir()
    for p in EXAMPLE_XLSX[:2]:
        shutil.copy(p, folder / p.name)
    consolidate(folder, folder / "汇总.xlsx", json_path=folder / "汇总.json", csv_dir=folder / "csv")
    assert (folder / "csv" / ".xlgoals_tables.json").is_file()
    return folder


def test_targets_folder_passes_over_xlgoals_outputs(tmp_path):
    from xlgoals._monitor._targets import TargetSet
    from xlgoals._config import config_of

    folder = _goal_tables_with_outputs(tmp_path)
    r = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert "绩效目标表未通过校验" not in r.output and "绩效目标表无法使用" not in r.output, r.output
    assert f"共生成 {len(EXAMPLE_XLSX[:2])} 个自评表，0 个" in r.output, r.output
    for name in ("汇总.json", ".xlgoals_tables.json", "汇总.xlsx"):  # said, each as xlgoals' own
        line = next(x for x in r.output.splitlines() if name in x)
        assert "未使用" in line and "xlgoals" in line, line
    made = sorted((tmp_path / "out").iterdir())
    assert len(made) == 2
    # validate --targets reads the same folder as goal tables: nothing unusable, the outputs listed as ours
    found = TargetSet.load([folder], config_of(None))
    assert found.unusable == [] and found.self_evaluation_unusable == []
    reasons = {p.rsplit("/", 1)[-1]: why for p, why in found.skipped.items()}
    assert reasons["汇总.json"] == SKIP_OURS and reasons[".xlgoals_tables.json"] == SKIP_TABLES_RECORD
    assert reasons["汇总.xlsx"] == SKIP_XLGOALS
    assert all(xlgoals_output(reasons[n]) for n in ("汇总.json", ".xlgoals_tables.json", "汇总.xlsx"))
    # validate --strict: the outputs are notices of their own (not targets.unusable warnings that fail --strict)
    report = validate(made[0], targets=folder, strict=True)
    codes = sorted((p.code, p.severity, p.file.rsplit("/", 1)[-1]) for p in report.target_problems)
    names = ("汇总.json", ".xlgoals_tables.json", "汇总.xlsx")
    assert [c for c in codes if c[2] in names] == sorted(("targets.xlgoals_output", "notice", n) for n in names)
    assert all(c[:2] == ("targets.xlgoals_output", "notice") for c in codes), codes  # the CSV tables too
    assert not any(p.is_error or p.severity == "warning" for p in report.target_problems)


def test_targets_named_output_is_still_refused(tmp_path):
    """A summary named as a goal table (not found in a folder) is not passed over: the user meant it."""
    folder = _goal_tables_with_outputs(tmp_path)
    r = cli("template", "--form", "self-evaluation", "--targets", folder / "汇总.xlsx", "--out-dir", tmp_path / "out")
    assert r.exit_code != 0
    assert "汇总工作簿" in r.output, r.output
