"""mendW: what the form knows about where it came from.

1. (f02) ``--targets FOLDER`` holding xlgoals' own outputs (a summary's JSON, the --csv folder's record, the summary
   workbook): passed over as xlgoals outputs, said, as validate and consolidate of the folder pass them over; not
   broken goal tables failing ``template`` and ``validate --strict``.
"""

from __future__ import annotations

import re
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


# 2. (f09) a self-evaluation made with --weights, validated without it (or with another points file) -----------------
import json  # noqa: E402

import openpyxl  # noqa: E402

from xlgoals import self_evaluation_templates  # noqa: E402

from .helpers import ooxml_errors  # noqa: E402

WEIGHTS = {"funds": 20, "level1": [{"names": ["投入与管理"], "points": 10}, {"names": ["产出目标"], "points": 40},
                                  {"names": ["效果目标"], "points": 20}, {"names": ["影响力目标"], "points": 10}]}
GOAL = EXAMPLE_XLSX[1]  # 02_促进就业专项资金: shanghai-2020, every 一级 above


def _made_with_weights(tmp_path, name="分值方案.json", weights=WEIGHTS):
    w = tmp_path / name
    w.write_text(json.dumps(weights, ensure_ascii=False), encoding="utf-8")
    result = self_evaluation_templates(GOAL, tmp_path / "out")
    plain = result.written[0]
    result = self_evaluation_templates(GOAL, tmp_path / "out_w", weights=w)
    return w, plain, result.written[0]


def _codes(report, code):
    return [p for f in report.files for p in f.problems if p.code == code]


def test_points_file_recorded_in_the_stamp(tmp_path):
    w, plain, made = _made_with_weights(tmp_path)
    assert ooxml_errors(made) == []
    wb = openpyxl.load_workbook(made)
    stamp = _stamp(wb)
    assert "|weights=分值方案.json|points=" in stamp, stamp
    assert wb.properties.description == stamp  # the document's comments carry the same stamp
    plain_stamp = _stamp(openpyxl.load_workbook(plain))
    # the framework's points (mendZ), with their digest (mendBQ)
    assert "weights=" not in plain_stamp and re.search(r"\|points=framework:[0-9a-f]{16}$", plain_stamp), plain_stamp


def _stamp(wb) -> str:
    return next(c.value for row in wb["自评信息"].iter_rows() for c in row if str(c.value).startswith("XLGOALS|"))


def test_validated_without_the_points_file_says_so_once_not_each_points_cell(tmp_path):
    w, plain, made = _made_with_weights(tmp_path)
    report = validate(made, targets=GOAL)
    said = _codes(report, "self.points_source")
    assert len(said) == 1 and not said[0].cell, said
    assert "分值方案.json" in said[0].message and "--weights" in said[0].message, said[0].message
    assert "未给出 --weights" in said[0].message
    assert _codes(report, "self.target_changed") == []  # no 分值 blamed on the department
    # with another points file: said so, naming both
    other = dict(WEIGHTS, funds=10, level1=[dict(WEIGHTS["level1"][0]), dict(WEIGHTS["level1"][1], points=50),
                                          *WEIGHTS["level1"][2:]])
    w2 = tmp_path / "另一方案.json"
    w2.write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    said = _codes(validate(made, targets=GOAL, weights=w2), "self.points_source")
    assert len(said) == 1 and "另一方案.json" in said[0].message and "分值方案.json" in said[0].message
    # with its own file (under any name: the points, not the name, are what count): compared as before
    renamed = tmp_path / "改名.json"
    renamed.write_bytes(w.read_bytes())
    for given in (w, renamed):
        report = validate(made, targets=GOAL, weights=given)
        assert _codes(report, "self.points_source") == [] and _codes(report, "self.target_changed") == []
    # the CLI says it once, with its code
    r = cli("validate", made, "--targets", GOAL)
    note = [line for line in r.output.splitlines() if line.startswith("1 个自评表的分值按分值文件“分值方案.json”")]
    assert len(note) == 1 and "--weights" in note[0] and "self.target_changed" not in r.output, r.output


def test_points_changed_by_the_department_are_still_blamed_with_the_right_points_file(tmp_path):
    from .helpers import edited

    w, plain, made = _made_with_weights(tmp_path)
    changed = edited(made, tmp_path / "改了分值.xlsx", {("指标自评", "K4"): 5})
    report = validate(changed, targets=GOAL, weights=w)
    assert [p.cell for p in _codes(report, "self.target_changed")] == ["K4"]
    assert _codes(report, "self.points_source") == []


def test_a_stamp_without_the_points_file_reads_as_before(tmp_path):
    """A self-evaluation made before stamps recorded their points file (or made with the framework's points): read
    as it was, its 分值 compared with the goal table's (the framework's, or --weights given)."""
    from .helpers import edited

    w, plain, made = _made_with_weights(tmp_path)
    stamp = _stamp(openpyxl.load_workbook(plain))  # the stamp as made before it recorded its points (mendZ)
    plain = edited(plain, tmp_path / "old_stamp.xlsx", {("自评信息", "B20"): re.sub(r"\|points=framework(:[0-9a-f]{16})?$", "", stamp)})
    assert _codes(validate(plain, targets=GOAL), "self.points_source") == []
    report = validate(plain, targets=GOAL, weights=w)  # the framework's points against a points file: each differs
    assert _codes(report, "self.points_source") == [] and _codes(report, "self.target_changed")


# 3. (f05) a sheet of the form renamed by the department: named, and read under the form's name -------------------
import pytest  # noqa: E402

from xlgoals._check._annotate import annotate  # noqa: E402

from .helpers import EXAMPLE_FORMS, example_return, row_cell  # noqa: E402

#: A cell typed wrong on each form's table (a number's column given a word): an error the department must see.
_TYPED = {"goal-table": (21, "target", "很多"), "self-evaluation": (0, "score", "满分"),
          "monitoring": (21, "progress", "按计划推进")}


def _problems(path):
    report = validate(path)
    return report, sorted((p.code, p.sheet, p.cell) for f in report.files for p in f.problems)


@pytest.mark.parametrize("form_id", sorted(_TYPED))
def test_a_renamed_table_sheet_is_named_and_its_contents_checked_in_the_same_round(form_id, lo_edit, tmp_path):
    form = EXAMPLE_FORMS[form_id]
    row, key, typed = _TYPED[form_id]
    sheet, cell = row_cell(form_id, row, key)
    edit = {"sheet": sheet, "cell": cell, "input": typed}
    new = form.table.name + "表"
    plain = lo_edit(example_return(form_id), tmp_path / "plain.xlsx", [edit])
    renamed = lo_edit(example_return(form_id), tmp_path / "renamed.xlsx",
                      [edit, {"rename_sheet": form.table.name, "to": new}])
    assert new in openpyxl.load_workbook(renamed).sheetnames
    _, kept = _problems(plain)
    assert any(s == form.table.name for _, s, _ in kept), kept  # the typing gave an error on the table
    report, found = _problems(renamed)
    said = [p for f in report.files for p in f.problems if p.code == "template.sheet_renamed"]
    assert len(said) == 1 and said[0].sheet == new and said[0].severity == "error"
    assert f"“{form.table.name}”被改名为“{new}”，请改回原名" in said[0].message, said[0].message
    assert "template.sheet_missing" not in [c for c, _, _ in found]
    # every other problem of the plain return, at its cell, under the sheet's name as the department sees it
    assert [x for x in found if x[0] != "template.sheet_renamed"] == \
        sorted((c, new if s == form.table.name else s, at) for c, s, at in kept)
    # the annotated copy marks the cell on the renamed sheet
    copy = annotate(report.files[0], tmp_path / "ann")
    assert ooxml_errors(copy) == []
    ws = openpyxl.load_workbook(copy)[new]
    assert ws[cell].comment is not None


def test_a_renamed_information_sheet_is_read_too(lo_edit, tmp_path):
    form = EXAMPLE_FORMS["self-evaluation"]
    new = "自评信息（修改）"
    renamed = lo_edit(example_return("self-evaluation"), tmp_path / "renamed.xlsx",
                      [{"rename_sheet": form.info.name, "to": new}])
    _, kept = _problems(example_return("self-evaluation"))
    report, found = _problems(renamed)
    assert ("template.sheet_renamed", new, "") in found, found
    assert [x for x in found if x[0] != "template.sheet_renamed"] == \
        sorted((c, new if s == form.info.name else s, at) for c, s, at in kept)
    # read under the form's names: the document the return gives unrenamed (validate keeps it when asked)
    doc = validate(renamed, keep_documents=True).files[0].document
    assert doc is not None and doc == validate(example_return("self-evaluation"), keep_documents=True).files[0].document


def test_two_sheets_like_the_renamed_one_are_not_guessed_between(tmp_path):
    """The table sheet gone, and two others bearing its column titles (a copy kept): which one is the return's is
    not guessed; the sheet is said missing, as before."""
    form = EXAMPLE_FORMS["monitoring"]
    wb = openpyxl.load_workbook(example_return("monitoring"))
    wb.copy_worksheet(wb[form.table.name]).title = "副本"
    wb[form.table.name].title = "指标监控表"
    wb.save(tmp_path / "two.xlsx")
    _, found = _problems(tmp_path / "two.xlsx")
    assert [c for c, _, _ in found] == ["template.sheet_missing"], found


def test_what_the_screen_finds_on_a_renamed_sheet_is_said_there(tmp_path):
    """A row hidden on the renamed table (the screen's facts of the sheet, asked under the form's name): said at its
    cell on the sheet as named, as on the sheet kept."""
    found = []
    for name in (None, "绩效指标表"):
        wb = openpyxl.load_workbook(example_return("goal-table"))
        ws = wb[EXAMPLE_FORMS["goal-table"].table.name]
        ws.row_dimensions[6].hidden = True
        if name:
            ws.title = name
        wb.save(tmp_path / f"{name}.xlsx")
        found.append(_problems(tmp_path / f"{name}.xlsx")[1])
    assert found[0] == [("cell.hidden_row", "绩效指标", "D6")]
    assert found[1] == [("cell.hidden_row", "绩效指标表", "D6"), ("template.sheet_renamed", "绩效指标表", "")]
