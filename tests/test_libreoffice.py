"""A real spreadsheet application in the loop: LibreOffice opens what we make and saves returns."""

import json
from pathlib import Path

import openpyxl
import pytest

from xlgoals import read, validate_file, write_template
from xlgoals._form import a1

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, load
from .helpers import F, ind_cell, info_cell, lo_cell as at

pytestmark = pytest.mark.soffice


def _validations(ws):
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_template_survives_libreoffice(tmp_path, lo_convert):
    src = tmp_path / "模板.xlsx"
    write_template(src, rows=30)
    (saved,) = lo_convert(src)
    wb = openpyxl.load_workbook(saved)
    ind = _validations(wb[F.table.name])
    first, last = F.table.first_row + 1, F.table.first_row + 30
    assert ind[f"B{first}:B{last}"] == "xl_level1"
    assert ind[f"C{first}:C{last}"] == 'INDIRECT("xl_l2_"&MATCH(INDEX($B:$B,ROW()),xl_level1,0))'
    assert ind[f"E{first}:E{last}"] == "xl_comparators"
    info = _validations(wb[F.info.name])
    assert info[info_cell("/project/government_procurement")[1]] == "xl_yesno"
    assert info[info_cell("/project/category")[1]] == "xl_project_categories"
    assert {"xl_level1", "xl_l2_1", "xl_l2_4", "xl_comparators", "xl_units"} <= set(wb.defined_names.keys())
    assert wb[F.lists_sheet].sheet_state == "hidden"  # LibreOffice has no "very hidden"
    assert all(wb[s].protection.sheet for s in (F.info.name, F.table.name))
    result = read(saved)
    assert result.template["framework"] == "shanghai-2020"
    assert [p.code for p in result.problems] == []
    assert len(result.document["indicators"]) == 9  # the prefilled 投入与管理 rows


def _folder_state(folder: Path) -> tuple:
    """Every name in `folder` (hidden ones: LibreOffice's .~lock.NAME#), its bytes, and the folder's own time, which
    a file made and removed again changes too."""
    return folder.stat().st_mtime_ns, sorted((p.name, p.read_bytes()) for p in folder.iterdir())


def test_filled_examples_read_back_after_libreoffice(lo_convert):
    """... and LibreOffice opened copies: nothing was made in, or removed from, examples/returns, even for a while."""
    before = _folder_state(EXAMPLE_XLSX[0].parent)
    saved = lo_convert(*EXAMPLE_XLSX)
    assert _folder_state(EXAMPLE_XLSX[0].parent) == before
    for path, json_path in zip(saved, EXAMPLE_JSON, strict=True):
        result = read(path)
        assert [p.code for p in result.problems] == [], path
        assert result.document == load(json_path), path
        wb = openpyxl.load_workbook(path)
        before = _validations(openpyxl.load_workbook(EXAMPLE_XLSX[EXAMPLE_JSON.index(json_path)])[F.table.name])
        assert _validations(wb[F.table.name]) == before  # the dropdowns survive, formulas and ranges
        assert set(_validations(wb[F.info.name]).values()) >= {"xl_yesno", "xl_project_categories"}


def test_legacy_xls_save_reads_the_same(lo_convert):
    (xls,) = lo_convert(EXAMPLE_XLSX[1], fmt="xls")
    result = read(xls)
    assert result.format == "xls"
    assert [p.code for p in result.problems] == []
    assert result.document == load(EXAMPLE_JSON[1])


def test_department_fills_template_in_libreoffice(tmp_path, lo_edit):
    """Type into a blank template the way a department does, save, and read it back."""
    src = tmp_path / "blank.xlsx"
    write_template(src)

    edits = [
        {**at(info_cell("/unit")), "input": "上海市某某局"},
        {**at(info_cell("/project/name")), "input": "=HYPERLINK(\"http://x\",\"y\")"},
        {**at(info_cell("/project/category")), "input": "经常性专项业务费"},
        {**at(info_cell("/project/start_date")), "input": "2020-01-01"},
        {**at(info_cell("/project/end_date")), "input": "2020年12月31日"},
        {**at(info_cell("/project/government_procurement")), "input": "否"},
        {**at(info_cell("/project/performance_type")), "input": "其他类"},
        {**at(info_cell("/budget/total")), "input": "62800000"},
        {**at(info_cell("/budget/current_year")), "input": "6,424,663.00"},
        *[{**at(info_cell(p)), "input": f"{p} 的说明"} for p in (
            "/project/overview", "/project/basis", "/project/necessity", "/project/safeguards", "/project/plan",
            "/project/goals")],
        {**at(ind_cell(9, "level1")), "input": "产出目标"},
        {**at(ind_cell(9, "level2")), "input": "数量"},
        {**at(ind_cell(9, "name")), "input": "享受见习补贴人数"},
        {**at(ind_cell(9, "target")), "input": ">5000 人"},
        {**at(ind_cell(10, "level1")), "input": "效果目标"},
        {**at(ind_cell(10, "level2")), "input": "满意度"},
        {**at(ind_cell(10, "name")), "input": "学员满意度"},
        {**at(ind_cell(10, "comparator")), "input": "≥"},
        {**at(ind_cell(10, "target")), "input": "85"},
        {**at(ind_cell(10, "unit")), "input": "%"},
        {**at(ind_cell(11, "level1")), "input": "影响力目标"},
        {**at(ind_cell(11, "level2")), "input": "长效管理"},
        {**at(ind_cell(11, "name")), "input": "长效管理制度建设"},
        {**at(ind_cell(11, "comparator")), "input": "定性"},
        {**at(ind_cell(11, "target")), "input": "完善"},
    ]
    out = lo_edit(src, tmp_path / "return.xlsx", edits)
    typed = openpyxl.load_workbook(out)
    # LibreOffice's own input parsing under zh_CN: a date typed in a date cell is a date, an amount with
    # separators in an amount cell a number, and text cells keep what was typed, "=…" included
    import datetime as dt

    assert isinstance(typed[F.info.name][info_cell("/project/end_date")[1]].value, dt.datetime)
    assert typed[F.info.name][info_cell("/budget/current_year")[1]].value == 6424663
    assert typed[F.info.name][info_cell("/project/name")[1]].data_type == "s"
    assert typed[F.table.name][ind_cell(9, "target")[1]].value == ">5000 人"
    result = read(out)
    assert [p.code for p in result.problems] == []
    doc = result.document
    assert doc["unit"] == "上海市某某局"
    assert doc["project"]["name"] == "=HYPERLINK(\"http://x\",\"y\")"  # text, never a formula
    assert doc["project"]["start_date"] == "2020-01-01" and doc["project"]["end_date"] == "2020-12-31"
    assert doc["project"]["government_procurement"] is False
    assert doc["budget"] == {"total": 62800000, "current_year": 6424663, "prior_year_budget": None,
                             "prior_year_executed": None}
    assert doc["indicators"][9:] == [
        {"level1": "产出目标", "level2": "数量", "name": "享受见习补贴人数", "comparator": ">", "value": 5000,
         "unit": "人"},
        {"level1": "效果目标", "level2": "满意度", "name": "学员满意度", "comparator": ">=", "value": 85, "unit": "%"},
        {"level1": "影响力目标", "level2": "长效管理", "name": "长效管理制度建设", "comparator": "qualitative",
         "text": "完善"},
    ]
    assert validate_file(out).passes()


def test_mistakes_typed_in_libreoffice_are_located(tmp_path, lo_edit):
    edits = [{"sheet": F.info.name, "cell": info_cell("/budget/total")[1], "input": "6280万元"},
             {"sheet": F.table.name, "cell": ind_cell(12, "level2")[1], "input": "满意度"}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "bad.xlsx", edits)
    problems = {(p.code, p.cell) for p in validate_file(out).problems}
    assert ("cell.amount_wan", info_cell("/budget/total")[1]) in problems
    assert ("rule.level2_mismatch", ind_cell(12, "level2")[1]) in problems


def test_cli_read_json_of_libreoffice_return(tmp_path, lo_convert):
    from .conftest import run_cli

    (saved,) = lo_convert(EXAMPLE_XLSX[3])
    proc = run_cli("read", saved)
    assert proc.returncode == 0 and json.loads(proc.stdout) == load(EXAMPLE_JSON[3])


def _se_cell(i: int, key: str) -> str:
    """The cell of a self-evaluation's indicator `i` (0-based) in column `key`."""
    from xlgoals import FORMS
    from xlgoals._form import a1

    se = FORMS["self-evaluation"]
    return a1(se.table.first_row + i, se.column(key).index)


def info_at(path: str) -> dict:
    """A self-evaluation's header field, as tests/lo_edit.py takes a cell."""
    from xlgoals import FORMS

    se = FORMS["self-evaluation"]
    return {"sheet": se.info.name, "cell": se.field(path).cell}


def row_at(i: int, key: str) -> dict:
    """A self-evaluation's indicator cell, as tests/lo_edit.py takes a cell."""
    from xlgoals import FORMS

    return {"sheet": FORMS["self-evaluation"].table.name, "cell": _se_cell(i, key)}


def test_department_fills_self_evaluation_in_libreoffice(tmp_path, lo_edit):
    """A self-evaluation template made from a goal table, typed into in LibreOffice, reads back and passes."""
    from xlgoals import FORMS
    from xlgoals._selfeval._scoring import ScoringTable, score_indicator
    from xlgoals._selfeval._targets import self_evaluation_templates

    se = FORMS["self-evaluation"]
    made = self_evaluation_templates([EXAMPLE_JSON[4]], tmp_path / "templates")
    (src,) = made.written
    template = read(src).document

    edits = [
        {**info_at("/funds/initial_budget"), "input": "6424663"},
        {**info_at("/funds/full_year_budget"), "input": "6424663"},
        {**info_at("/funds/executed"), "string": "6,167,676.48"},
        {**info_at("/funds/score"), "input": "9.6"},
        {**info_at("/funds/sources/fiscal/initial_budget"), "input": "6424663"},
        {**info_at("/funds/sources/fiscal/full_year_budget"), "input": "6424663"},
        {**info_at("/funds/sources/fiscal/executed"), "input": "6167676.48"},
        {**info_at("/overall/achieved"), "string": "年度目标基本完成。"},
        {**info_at("/contact/name"), "string": "王某"},
        {**info_at("/contact/phone"), "string": "02112345678"},
        {**info_at("/contact/date"), "input": "2021-01-15"},
        {**info_at("/contact/head"), "string": "李某"},
    ]
    table = ScoringTable.load()
    expected = []
    for i, ind in enumerate(template["indicators"]):
        if ind["comparator"] == "qualitative":
            edits += [{**row_at(i, "actual"), "input": "已完成"}, {**row_at(i, "grade"), "string": "达成年度指标"},
                      {**row_at(i, "score"), "input": f"{ind['points']}"}]
            expected.append(("已完成", "achieved", ind["points"]))
            continue
        actual = ind["value"]
        # "92%" typed into the text cell stays text (as typed in Excel/WPS); the API types numbers only
        typed = {"string": f"{actual}%"} if ind.get("unit") == "%" else {"input": f"{actual}"}
        s = score_indicator({**ind, "actual": actual}, table)
        edits += [{**row_at(i, "actual"), **typed}, {**row_at(i, "score"), "input": f"{s.score}"}]
        expected.append((actual, None, float(s.score)))
    out = lo_edit(src, tmp_path / "自评.xlsx", edits)
    result = read(out)
    # the executed amount pasted as text: read, but the printed 执行率 leaves it out (blank, below), so said at it
    executed = se.field("/funds/executed").cell
    assert [(p.code, p.cell) for p in result.problems] == [("cell.number_as_text", executed)]
    doc = result.document
    assert doc["form"] == "self-evaluation"
    assert doc["funds"]["executed"] == 6167676.48 and doc["funds"]["score"] == 9.6
    assert doc["contact"] == {"name": "王某", "phone": "02112345678", "date": "2021-01-15", "head": "李某"}
    for ind, (actual, grade, score) in zip(doc["indicators"], expected, strict=True):
        assert ind["actual"] == actual and ind.get("grade") == grade and ind["score"] == score, ind
    assert {k: v for k, v in doc.items() if k not in ("funds", "overall", "contact", "indicators")} == \
        {k: v for k, v in template.items() if k not in ("funds", "overall", "contact", "indicators")}
    report = validate_file(out)
    assert [p.code for p in report.errors] == ["cell.number_as_text"], [p.message for p in report.problems]
    # 总分 is a formula LibreOffice computed as the department typed (the template cached a blank); 执行率
    # stays blank: the executed amount was pasted as text, which the reader takes but a formula does not (the
    # error above says so)
    from decimal import Decimal

    cached = openpyxl.load_workbook(out, data_only=True)
    ((r, c, _),) = se.info.grids[0].computed
    assert cached[se.info.name].cell(r + 1, c + 1).value in ("", None)
    assert openpyxl.load_workbook(out)[se.info.name].cell(r + 1, c + 1).value.startswith("=IF(")
    total = Decimal("9.6") + sum(Decimal(str(score)) for *_, score in expected)
    row, col = se.table.first_row + len(expected), se.column(se.table.total.column).index
    assert cached[se.table.name].cell(row + 1, col + 1).value == pytest.approx(float(total.quantize(Decimal("0.01"))))


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_level1_merged_in_libreoffice_is_read_into_each_row(tmp_path, lo_edit, fmt):
    """A clerk unprotects 绩效指标, empties the 一级指标 below the first of its rows and merges them (Format ›
    Merge Cells), as paper forms are drawn.  Saved by LibreOffice as .xlsx or .ods, each row still has its 一级,
    and a warning at the merged range says how it was read."""
    doc = read(EXAMPLE_XLSX[0]).document
    first, last = ind_cell(0, "level1")[1], ind_cell(2, "level1")[1]
    assert len({doc["indicators"][i]["level1"] for i in range(3)}) == 1
    edits = [{"sheet": F.table.name, "unprotect": True},
             *({"sheet": F.table.name, "cell": ind_cell(i, "level1")[1], "clear": True} for i in (1, 2)),
             {"sheet": F.table.name, "cell": f"{first}:{last}", "merge": True}]
    out = lo_edit(EXAMPLE_XLSX[0], tmp_path / f"merged.{fmt}", edits, fmt=fmt)
    report = validate_file(out)
    assert [i["level1"] for i in report.document["indicators"]] == [i["level1"] for i in doc["indicators"]]
    assert ("cell.merged_read", first) in {(p.code, p.cell) for p in report.problems}, report.problems
    assert not [p for p in report.problems if p.is_error], [p.message for p in report.problems if p.is_error]


def test_a_negative_amount_and_a_note_beside_the_form_typed_in_libreoffice(tmp_path, lo_edit):
    """Typed as a clerk types them (.uno:EnterString, zh_CN): a negative 项目总预算 is said to be negative, once and
    as typed; a note typed to the right of 绩效指标 (the sheet unprotected first) is a warning at its cell."""
    from xlgoals._form import a1

    total = info_cell("/budget/total")[1]
    beside = a1(12, max(c.index for c in F.columns()) + 3)
    edits = [{"sheet": F.info.name, "cell": total, "input": "-6424663"},
             {"sheet": F.table.name, "unprotect": True},
             {"sheet": F.table.name, "cell": beside, "input": "此行为新增指标"}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "typed.xlsx", edits)
    found = {(p.code, p.sheet, p.cell): p for p in validate_file(out).problems}
    negative = found[("cell.amount_negative", F.info.name, total)]
    assert "-6424663" in negative.message and "-6424663.0" not in negative.message
    assert not [k for k in found if k[0] == "rule.current_le_total"]
    assert ("cell.outside", F.table.name, beside) in found, list(found)


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_failing_ods_or_xls_return_says_why_it_gets_no_annotated_copy(tmp_path, lo_convert, fmt):
    """A department saves in LibreOffice's .ods (or .xls): the return is read and checked as any, but its annotated
    copy failed with "文件无法打开", though the file had just been read.  The line says why (copies are .xlsx) and
    what to do; nothing is written for it."""
    from .conftest import cli

    import shutil

    source = Path(__file__).parent.parent / "examples" / "received" / "某局_某项目.xlsx"
    (saved,) = lo_convert(source, fmt=fmt)
    result = cli("validate", saved, "--annotate", tmp_path / "退回")
    assert result.exit_code == 1
    assert f"标注副本只能为 .xlsx 文件生成，这是 .{fmt} 文件" in result.output + result.stderr, result.output
    assert not (tmp_path / "退回").exists() or not list((tmp_path / "退回").iterdir())
    shutil.copy(source, saved.parent / source.name)  # the .xlsx beside it, of the same name: its copy keeps it
    again = cli("validate", saved.parent, "--annotate", tmp_path / "退回")
    assert again.exit_code == 1
    assert [p.name for p in (tmp_path / "退回").iterdir()] == ["某局_某项目_问题标注.xlsx"], again.output


# Each LibreOffice typing costs a job (a document opened, typed into and saved): the tests
# below saved in each format share two documents per format, each typed once per test process (module fixtures
# memoized by format): the second example return with two targets merged over rows 10-11 and a target merged across
# its unit on row 21 (MERGED_ACROSS_ROW), and the second example return with row 4 hidden and a note typed below the
# information sheet (its document must read as the example's).
MERGED_ACROSS_ROW = 20  # ≥85 %: as row 10, whose two targets are merged in the same document


@pytest.fixture(scope="module")
def _typed_folder(soffice, tmp_path_factory):
    return tmp_path_factory.mktemp("typed-formats")


@pytest.fixture(scope="module")
def merged_targets(_typed_folder):
    """fmt -> the validation report of the second example return with targets 10 and 11 merged (Format › Merge
    Cells) and row MERGED_ACROSS_ROW's target merged with its unit, saved by LibreOffice as `fmt`."""
    from .conftest import lo_edit_job

    made = {}

    def typed(fmt: str):
        if fmt not in made:
            first, second = ind_cell(9, "target")[1], ind_cell(10, "target")[1]
            target, unit = ind_cell(MERGED_ACROSS_ROW, "target")[1], ind_cell(MERGED_ACROSS_ROW, "unit")[1]
            edits = [{"sheet": F.table.name, "unprotect": True},
                     {"sheet": F.table.name, "cell": f"{first}:{second}", "merge": True},
                     {"sheet": F.table.name, "cell": f"{target}:{unit}", "merge": True}]
            out = lo_edit_job(EXAMPLE_XLSX[1], _typed_folder / f"merged.{fmt}", edits, _typed_folder, fmt)
            made[fmt] = validate_file(out)
        return made[fmt]
    return typed


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_target_merged_in_libreoffice_over_a_filled_row_reads_as_printed(merged_targets, fmt):
    """A clerk merges two filled targets (Format › Merge Cells; LibreOffice keeps the lower one's 85 out of sight):
    the printed form shows one target, 90, over both rows; the hidden 85 was read as the second row's target under
    a warning saying that row reads empty.  It reads empty, and the missing target is an error at its cell."""
    first, second = ind_cell(9, "target")[1], ind_cell(10, "target")[1]
    assert [i.get("value") for i in read(EXAMPLE_XLSX[1]).document["indicators"][9:11]] == [90, 85]
    report = merged_targets(fmt)
    assert [i.get("value") for i in report.document["indicators"][9:11]] == [90, None]
    found = {(p.code, p.cell) for p in report.problems}
    assert ("cell.merged", first) in found and ("schema.required", second) in found

def test_mistakes_typed_into_a_self_evaluation_in_libreoffice_are_each_reported_once(tmp_path, lo_edit):
    """A clerk's year-end mistakes typed in LibreOffice (zh_CN) into a self-evaluation made from goal table 02:
    each is reported once, at its cell, as what it is (red-team of the year cycle).  “81人” on a row in % is not
    read as 81 %; a grade pasted with a typo is not also “未选择”; 3.333 is quoted as typed; spending above the
    full-year budget is a warning; 2021.1.5 is a date."""
    from xlgoals import FORMS
    from xlgoals._selfeval._targets import self_evaluation_templates

    se = FORMS["self-evaluation"]
    (src,) = self_evaluation_templates([EXAMPLE_JSON[1]], tmp_path / "templates").written
    template = read(src).document
    inds = template["indicators"]
    pct = next(i for i, ind in enumerate(inds) if ind.get("unit") == "%" and ind["comparator"] == ">=")
    qual = [i for i, ind in enumerate(inds) if ind["comparator"] == "qualitative"]
    cell = _se_cell

    edits = [
        {**info_at("/funds/initial_budget"), "input": "146,407,273"},
        {**info_at("/funds/full_year_budget"), "input": "146407273"},
        {**info_at("/funds/executed"), "input": "150000000"},
        {**info_at("/funds/score"), "input": "10"},
        {**info_at("/contact/date"), "input": "2021.1.5"},
        {**row_at(pct, "actual"), "input": "81人"},
        {**row_at(pct, "score"), "input": f"{inds[pct]['points']}"},
        {**row_at(qual[0], "actual"), "string": "已完成"},
        {**row_at(qual[0], "grade"), "string": "达成年度指"},
        {**row_at(qual[0], "score"), "input": f"{inds[qual[0]]['points']}"},
        {**row_at(qual[1], "actual"), "string": "已完成"},
        {**row_at(qual[1], "grade"), "string": "达成年度指标"},
        {**row_at(qual[1], "score"), "input": f"{inds[qual[1]]['points'] + 0.003:.3f}"},
    ]
    out = lo_edit(src, tmp_path / "自评.xlsx", edits)
    assert read(out).document["contact"]["date"] == "2021-01-05"
    problems = validate_file(out).problems
    at = {}
    for p in problems:
        at.setdefault((p.sheet, p.cell), []).append(p)
    assert [p.code for p in at[(se.table.name, cell(pct, "actual"))]] == ["cell.actual_unit"]
    assert [p.code for p in at[(se.table.name, cell(qual[0], "grade"))]] == ["cell.grade"]
    typed = f"{inds[qual[1]]['points'] + 0.003:.3f}"
    over = at[(se.table.name, cell(qual[1], "score"))]
    assert [p.code for p in over] == ["self.score_above_points"]  # one cause, one message (its band in it)
    assert f"为 {typed}，" in over[0].message and "之间" in over[0].message, over[0].message
    spent = at[(se.info.name, se.field("/funds/executed").cell)]
    assert [(p.code, p.severity) for p in spent] == [("self.executed_over_budget", "warning")]


@pytest.fixture(scope="module")
def hidden_and_noted(_typed_folder):
    """fmt -> the validation report of the second example return with indicator row 4 hidden (Format › Rows › Hide,
    HIDDEN_ROW) and, on 项目信息 unprotected, a line typed between the last printed row and the stamp and a note
    below the form (NOTES), saved by LibreOffice as `fmt`."""
    from .conftest import lo_edit_job

    made = {}

    def typed(fmt: str):
        if fmt not in made:
            edits = [{"sheet": F.table.name, "unprotect": True},
                     {"sheet": F.table.name, "cell": ind_cell(HIDDEN_ROW, "name")[1], "hide_rows": True},
                     {"sheet": F.info.name, "unprotect": True},
                     *({"sheet": F.info.name, "cell": cell, "input": text} for cell, text in NOTES)]
            out = lo_edit_job(EXAMPLE_XLSX[1], _typed_folder / f"hidden.{fmt}", edits, _typed_folder, fmt)
            made[fmt] = validate_file(out)
        return made[fmt]
    return typed


HIDDEN_ROW = 3
NOTES = ((a1(F.info.end_row, 0), "附：预算明细表"), (a1(F.info.stamp_row + 4, 0), "备注：本项目为续建项目"))


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_row_hidden_in_libreoffice_is_read_and_said_in_every_format(hidden_and_noted, fmt):
    """A clerk hides an indicator row (Format › Rows › Hide): it is still read, and a warning at its 三级 says it is
    hidden (it is not on the printed page the department stamps).  Saved as .xls the row was read without a word."""
    i = HIDDEN_ROW
    name = ind_cell(i, "name")[1]
    report = hidden_and_noted(fmt)
    assert report.document["indicators"][i] == read(EXAMPLE_XLSX[1]).document["indicators"][i]
    hidden = [(p.sheet, p.cell) for p in report.problems if p.code == "cell.hidden_row"]
    assert hidden == [(F.table.name, name)], report.problems


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_note_typed_below_the_information_sheet_is_a_warning_not_lost_silently(hidden_and_noted, fmt):
    """A clerk unprotects 项目信息 and types a note under the form (备注：本项目为续建项目) and a line between the
    last printed row and the template's stamp: neither is part of the return, and both were dropped without a word
    (a note beside the form has been cell.outside all along).  One warning at the first says how many there are."""
    (gap, _), _ = NOTES
    report = hidden_and_noted(fmt)
    below = [p for p in report.problems if p.code == "cell.below"]
    assert [(p.sheet, p.cell) for p in below] == [(F.info.name, gap)], report.problems
    assert below[0].severity == "warning" and "2 个单元格" in below[0].message and "附：预算明细表" in below[0].message
    assert report.document == read(EXAMPLE_XLSX[1]).document


@pytest.mark.parametrize("fmt", ["xlsx", "ods", "xls"])
def test_a_target_merged_across_its_unit_in_libreoffice_reads_as_printed(merged_targets, fmt):
    """A clerk merges a filled target with its unit beside it (Format › Merge Cells over one row; LibreOffice keeps
    the unit's % out of sight): the printed form shows 85 with no unit, but the hidden % was read as the row's unit,
    with no word of the merge.  The unit reads empty, as printed, and a warning at the hidden cell says what it held
    and that it was not read."""
    unit = ind_cell(MERGED_ACROSS_ROW, "unit")[1]
    before = read(EXAMPLE_XLSX[1]).document["indicators"][MERGED_ACROSS_ROW]
    assert (before["value"], before["unit"]) == (85, "%")
    report = merged_targets(fmt)
    item = report.document["indicators"][MERGED_ACROSS_ROW]
    assert item["value"] == 85 and "unit" not in item, item
    found = {(p.code, p.cell): p for p in report.problems}
    warned = found[("cell.merged_across", unit)]
    assert warned.severity == "warning" and "“%”" in warned.message and "'%'" in warned.message_en, warned.message

def _typed_self_evaluation(tmp_path, lo_edit, name, edits):
    from xlgoals._selfeval._targets import self_evaluation_templates

    (src,) = self_evaluation_templates([EXAMPLE_JSON[1]], tmp_path / f"templates-{name}").written
    return read(src).document["indicators"], lambda e: lo_edit(src, tmp_path / f"{name}.xlsx", e(read(src).document))


def test_actuals_and_scores_typed_as_a_clerk_types_them_are_each_located_once(tmp_path, lo_edit):
    """Red-team of the scoring, typed in LibreOffice (zh_CN): units, full-width digits, “约”, a score with a unit
    or disagreeing, and a 全年预算数 of 0 with money spent.  Each is one problem at its cell; the budget of 0 is
    not also “spending above the budget, a rate above 100 %” (there is no rate)."""
    from xlgoals import FORMS

    se = FORMS["self-evaluation"]
    inds, typed = _typed_self_evaluation(tmp_path, lo_edit, "自评", lambda d: None)
    pct = [i for i, ind in enumerate(inds) if ind.get("unit") == "%" and ind["comparator"] in (">=", "=")]
    a, b, c, d, e, f = pct[:6]
    out = typed(lambda doc: [
        {**info_at("/funds/initial_budget"), "input": "100000"},
        {**info_at("/funds/full_year_budget"), "input": "0"},
        {**info_at("/funds/executed"), "input": "50000"},
        {**info_at("/funds/score"), "input": "10"},
        {**row_at(a, "actual"), "input": "约95%"},
        {**row_at(b, "actual"), "input": "１００％"}, {**row_at(b, "score"), "input": f"{inds[b]['points']}"},
        {**row_at(c, "actual"), "input": "3天"},
        {**row_at(d, "actual"), "input": "1,200人"},
        {**row_at(e, "actual"), "input": f"{inds[e]['value']}"}, {**row_at(e, "score"), "input": "4.44分"},
        {**row_at(f, "actual"), "input": f"{inds[f]['value']}"}, {**row_at(f, "score"), "input": "3"},
    ])
    at = {}
    for p in validate_file(out).problems:
        at.setdefault((p.sheet, p.cell), []).append(p)

    def codes(sheet, cell):
        return [p.code for p in at.get((sheet, cell), [])]
    t = se.table.name
    assert codes(t, _se_cell(a, "actual")) == ["self.actual_not_number"]
    assert codes(t, _se_cell(b, "actual")) == [] and codes(t, _se_cell(b, "score")) == []  # １００％ is 100
    assert codes(t, _se_cell(c, "actual")) == ["cell.actual_unit"]
    assert codes(t, _se_cell(d, "actual")) == ["cell.actual_unit"]
    assert codes(t, _se_cell(e, "score")) == ["cell.number"]
    (mismatch,) = at[(t, _se_cell(f, "score"))]
    assert mismatch.code == "self.score_mismatch" and "填写为 3，" in mismatch.message
    assert f"重算应为 {inds[f]['points']}" in mismatch.message
    assert codes(se.info.name, se.field("/funds/full_year_budget").cell) == ["self.budget_zero"]
    assert codes(se.info.name, se.field("/funds/executed").cell) == []  # no “rate above 100 %” besides


def test_a_funds_score_typed_over_a_budget_of_0_is_an_error_not_dropped_from_the_total(tmp_path, lo_edit):
    """全年预算数 0 and nothing spent, 资金得分 typed 10: there is no rate, so no score to check it against, and the
    bureau's 总分 leaves it out while the department's printed 总分 counts it. It was accepted without a word."""
    from xlgoals import FORMS

    se = FORMS["self-evaluation"]
    _, typed = _typed_self_evaluation(tmp_path, lo_edit, "零预算", lambda d: None)
    out = typed(lambda doc: [{**info_at("/funds/initial_budget"), "input": "0"},
                             {**info_at("/funds/full_year_budget"), "input": "0"},
                             {**info_at("/funds/executed"), "input": "0"},
                             {**info_at("/funds/score"), "input": "10"}])
    found = [p for p in validate_file(out).problems if p.sheet == se.info.name
             and p.cell in (se.field("/funds/score").cell, se.field("/funds/full_year_budget").cell)]
    assert [(p.code, p.cell, p.severity) for p in found] == [
        ("self.funds_unscorable", se.field("/funds/score").cell, "error")], found
    assert "填写为 10" in found[0].message and "全年预算数为 0" in found[0].message, found[0].message


def test_odd_numbers_typed_into_a_self_evaluation_in_libreoffice(tmp_path, lo_edit):
    """Red-team of the year-end return, typed in LibreOffice (zh_CN): 95% and ８５ (full-width) as actuals, 1,234.5
    with its comma as an amount, ３.３３ as a score are read as meant; “97%” typed as the 资金得分 (for 9.7) and
    “100%” as a row's 得分 were read as 0.97 and 1 and quoted so (“填写为 0.97”) beside a cell showing 97%: one error
    at each cell, quoting what it shows, and no score recomputed against them; 1234.5 on a row in % beating its
    80% by far is said with its unit."""
    from xlgoals import FORMS
    from xlgoals._selfeval._targets import self_evaluation_templates

    se = FORMS["self-evaluation"]
    (src,) = self_evaluation_templates([EXAMPLE_JSON[1]], tmp_path / "templates").written
    inds = read(src).document["indicators"]
    ge = [i for i, ind in enumerate(inds) if ind["comparator"] == ">=" and ind.get("unit") == "%"]
    gt = next(i for i, ind in enumerate(inds) if ind["comparator"] == ">" and ind.get("value") == 80)
    eq = next(i for i, ind in enumerate(inds) if ind["comparator"] == "=")
    edits = [
        {**info_at("/funds/initial_budget"), "input": "1,234.5"},
        {**info_at("/funds/full_year_budget"), "input": "1,000"},
        {**info_at("/funds/executed"), "input": "970"},
        {**info_at("/funds/score"), "input": "97%"},
        {**row_at(ge[0], "actual"), "input": "95%"}, {**row_at(ge[0], "score"), "input": f"{inds[ge[0]]['points']}"},
        {**row_at(ge[1], "actual"), "input": "８５"}, {**row_at(ge[1], "score"), "input": "３.３３"},
        {**row_at(eq, "actual"), "input": "100"}, {**row_at(eq, "score"), "input": "100%"},
        {**row_at(gt, "actual"), "input": "1,234.5"}, {**row_at(gt, "score"), "input": f"{inds[gt]['points']}"},
    ]
    out = lo_edit(src, tmp_path / "自评.xlsx", edits)
    doc = read(out).document
    assert doc["funds"]["initial_budget"] == 1234.5 and doc["funds"]["full_year_budget"] == 1000
    assert doc["indicators"][ge[0]]["actual"] == 95 and doc["indicators"][ge[1]]["actual"] == 85
    assert doc["indicators"][ge[1]]["score"] == 3.33 and doc["indicators"][gt]["actual"] == 1234.5
    problems = validate_file(out).problems
    at = {}
    for p in problems:
        at.setdefault((p.sheet, p.cell), []).append(p)
    for where, shown in (((se.info.name, se.field("/funds/score").cell), "97%"),
                         ((se.table.name, _se_cell(eq, "score")), "100%")):
        found = at.get(where, [])
        assert [(p.code, p.severity) for p in found] == [("cell.number_percent", "error")], \
            [(p.code, p.message) for p in found]
        assert f"显示为 {shown}，是百分数" in found[0].message and f"shows {shown}, a percent" in found[0].message_en
    (reason,) = at[(se.table.name, _se_cell(gt, "deviation"))]
    assert "实际完成值 1234.5% 超过目标值 80% 的 30% 及以上" in reason.message, reason.message


def test_a_percent_pasted_into_an_amount_cell_is_refused_as_shown(tmp_path, lo_edit):
    """A cell pasted from another workbook into an amount cell brings its format: 0.3 shown as 30% was read as
    0.30 元 without a word, and the rules then spoke of 上年预算额（0.30 元）, a figure the department never saw.
    An amount cell shown as a percent is an error at the cell, naming what the department sees.  (Typing 30% into
    the template's #,##0.00 cell keeps that format in LibreOffice: the cell shows 0.30, as the message says.)"""
    edits = [{"sheet": F.info.name, "cell": info_cell("/budget/prior_year_budget")[1], "paste": 0.3, "format": "0%"},
             {"sheet": F.info.name, "cell": info_cell("/budget/prior_year_executed")[1], "input": "1000000"}]
    out = lo_edit(EXAMPLE_XLSX[1], tmp_path / "bad.xlsx", edits)
    problems = validate_file(out).problems
    (p,) = [p for p in problems if p.cell == info_cell("/budget/prior_year_budget")[1]]
    assert p.code == "cell.amount_percent" and p.severity == "error" and p.sheet == F.info.name
    assert "30%" in p.message and "百分数" in p.message and "元" in p.message
    assert "percentage" in p.message_en
    assert not [p for p in problems if "0.30" in p.message]  # no rule computed with 0.3 元
    assert read(out).document["budget"]["prior_year_budget"] == "30%"
