"""mendCE: exit codes for outputs that cannot be written (annotated copies, read/fill/template outputs), monitoring
marks under a rule switched off, the self-evaluation's instructions from the scoring in force, empty-night frame
dtypes, and LibreOffice's 0%% in an .xls and on the info sheet.  Each test was seen failing on the code before."""

import errno
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from .conftest import EXAMPLES, EXAMPLE_JSON, cli
from .helpers import files_under

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy
SUFFIX = "_问题标注"


def _refuse(monkeypatch, only: str | None = None, err: int = errno.EACCES):
    """Writes through _atomic fail with `err` (for targets whose name holds `only`, or all)."""
    import xlgoals._atomic as atomic

    real = atomic.temp_beside

    def refused(target, *args, **kwargs):
        if only is None or only in str(target):
            raise OSError(err, "refused", str(target))
        return real(target, *args, **kwargs)

    monkeypatch.setattr(atomic, "temp_beside", refused)


# 1. validate --annotate: a copy that cannot be written exits 2 ------------------------------------------------
def test_an_annotated_copy_that_cannot_be_written_exits_2_and_the_others_are_kept(tmp_path, monkeypatch):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in ("甲", "乙"):
        shutil.copy(FAILING, inbox / f"{name}.xlsx")
    _refuse(monkeypatch, only=f"乙{SUFFIX}")
    res = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "1", "-o", tmp_path / "r.json")
    assert res.exit_code == 2, res.stderr
    assert (tmp_path / "ann" / f"甲{SUFFIX}.xlsx").exists()  # the other copy is kept
    assert not (tmp_path / "ann" / f"乙{SUFFIX}.xlsx").exists()
    last = res.stderr.strip().splitlines()[-1]
    assert last.startswith("错误：") and "1 个标注副本未能写入" in last and "乙.xlsx" in last, res.stderr
    data = json.loads((tmp_path / "r.json").read_text("utf-8"))  # the report is still written, and says so
    assert data["summary"]["annotated"]["not_written"] == 1
    en = cli("validate", inbox, "--annotate", tmp_path / "ann2", "--jobs", "1", "--lang", "en")
    assert en.exit_code == 2
    last = en.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: 1 annotated copy could not be written") and "乙.xlsx" in last, en.stderr


def test_annotated_copies_on_a_full_disk_exit_2(tmp_path, monkeypatch):
    shutil.copy(FAILING, tmp_path / "a.xlsx")
    _refuse(monkeypatch, err=errno.ENOSPC)
    res = cli("validate", tmp_path / "a.xlsx", "--annotate", tmp_path / "ann")
    assert res.exit_code == 2, res.stderr
    assert "磁盘空间不足" in res.stderr


def test_the_help_of_validate_says_an_annotated_copy_not_written_is_2():
    zh = cli("validate", "--help").stdout
    assert "标注副本无法写入" in zh.replace("\n", "").replace(" ", "")
    en = cli("--lang", "en", "validate", "--help").stdout
    assert "annotated copy that cannot be written" in " ".join(en.split())


# consolidate: the summary written, its CSV or JSON not: exit 2 ----------------------------------------------------
@pytest.mark.parametrize("which", ["csv", "json"])
def test_consolidate_with_a_csv_or_json_that_cannot_be_written_exits_2(tmp_path, monkeypatch, which):
    only = "汇总csv" if which == "csv" else "汇总.json"
    _refuse(monkeypatch, only=only)
    res = cli("consolidate", EXAMPLES / "returns", "-o", tmp_path / "汇总.xlsx", "--csv", tmp_path / "汇总csv",
              "--json", tmp_path / "汇总.json")
    assert res.exit_code == 2, res.stderr
    assert "错误：" in res.stderr


# 2. read, fill, template: an output that cannot be written exits 2 -------------------------------------------------
def test_read_to_an_output_that_cannot_be_written_exits_2_not_1(tmp_path, monkeypatch):
    ok = cli("read", EXAMPLE_XLSX_ONE, "-o", tmp_path / "ok.json")
    assert ok.exit_code == 0, ok.stderr  # a file with no cell error: 1 would say cell errors
    _refuse(monkeypatch, err=errno.ENOSPC)
    res = cli("read", EXAMPLE_XLSX_ONE, "-o", tmp_path / "doc.json")
    assert res.exit_code == 2, res.stderr
    assert "磁盘空间不足" in res.stderr and not (tmp_path / "doc.json").exists()


def test_fill_and_template_to_an_output_that_cannot_be_written_exit_2(tmp_path, monkeypatch):
    _refuse(monkeypatch, err=errno.ENOSPC)
    res = cli("fill", EXAMPLE_JSON[0], "-o", tmp_path / "f.xlsx")
    assert res.exit_code == 2, res.stderr
    res = cli("template", "-o", tmp_path / "t.xlsx")
    assert res.exit_code == 2, res.stderr
    assert files_under(tmp_path) == []


def test_a_prefill_template_that_cannot_be_written_exits_2_and_the_others_are_written(tmp_path, monkeypatch):
    _refuse(monkeypatch, only="促进就业专项资金")
    res = cli("template", "--prefill", EXAMPLES / "projects.csv", "--out-dir", tmp_path / "下发", "--year", "2020")
    assert res.exit_code == 2, res.stderr
    made = files_under(tmp_path / "下发")
    assert len(made) == 4 and all("促进就业专项资金" not in m for m in made), made
    assert "无法写入" in res.stderr


def test_a_bad_prefill_row_still_exits_1(tmp_path):
    rows = (EXAMPLES / "projects.csv").read_text("utf-8").splitlines()
    bad = tmp_path / "p.csv"
    bad.write_text("\n".join(rows + [rows[1]]) + "\n", "utf-8")  # a repeated row: the input's problem
    res = cli("template", "--prefill", bad, "--out-dir", tmp_path / "下发", "--year", "2020")
    assert res.exit_code == 1, res.stderr


def test_the_help_of_read_fill_template_says_2_for_an_output_not_written():
    for cmd in ("read", "fill", "template"):
        zh = "".join(cli(cmd, "--help").stdout.split())
        assert "无法写入输出" in zh.split("；2")[1].split("；130")[0], (cmd, zh)
        en = " ".join(cli("--lang", "en", cmd, "--help").stdout.split())
        assert "2 a usage error" in en and "an output that cannot be written" in en.split("2 a usage error")[1], (cmd, en)


EXAMPLE_XLSX_ONE = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


# 3. monitoring: monitor.behind_schedule switched off gives no red mark, and the legend says so -------------------
def _monitoring_summary(tmp_path, rules=None):
    from xlgoals import consolidate
    from xlgoals._config import Config

    out = tmp_path / "监控汇总.xlsx"
    result = consolidate([EXAMPLES / "monitoring"], out, jobs=1, config=Config.load(rules, None),
                         json_path=tmp_path / "s.json")
    wb = openpyxl.load_workbook(out)
    legend = next(c.value for r in wb["监控汇总"].iter_rows() for c in r
                  if isinstance(c.value, str) and "进度标识：" in c.value)
    marks = {r[2].value: r[10].value for r in wb["项目进度"].iter_rows(min_row=2) if r[2].value}
    risks = {(r[1].value, r[2].value) for r in wb["风险清单"].iter_rows(min_row=2)}
    return result, legend, marks, risks


def test_behind_schedule_switched_off_marks_no_project_red_and_the_legend_says_why(tmp_path):
    from .helpers import bureau_rules, packaged_rule

    _, legend, marks, risks = _monitoring_summary(tmp_path)  # the packaged rule: red beyond 10 points
    assert marks["职业培训基础能力建设资助"] == "红" and "超过 10 个百分点" in legend
    assert ("职业培训基础能力建设资助", "预算执行进度滞后") in risks
    rules = bureau_rules(tmp_path / "规则.csv", packaged_rule("monitor.behind_schedule", severity="off"))
    result, legend, marks, risks = _monitoring_summary(tmp_path, rules)
    assert marks["职业培训基础能力建设资助"] == "黄", marks  # behind the schedule, said without the switched-off rule
    assert "红" not in marks.values() and result.totals["project_marks"]["红"] == 0
    assert result.totals["marks"]["红"] == 0
    assert ("职业培训基础能力建设资助", "预算执行进度滞后") not in risks, risks
    assert "monitor.behind_schedule" in legend and "在规则表中关闭" in legend and "不标红" in legend, legend
    assert "超过 10 个百分点" not in legend
    # what the report of each project says agrees: validate gives no behind_schedule either
    from xlgoals import validate
    from xlgoals._config import Config

    report = validate([EXAMPLES / "monitoring"], config=Config.load(rules, None), jobs=1)
    assert not [p for f in report.files for p in f.problems if p.code == "monitor.behind_schedule"]


# 4. the self-evaluation's 填表说明 states the scoring table in force: its funds formula and its indicator rows ---------
def _guide_lines(tmp_path, csv_text=None) -> dict:
    from xlgoals import fill, self_evaluation_templates

    from .helpers import ooxml_errors
    from .test_mendBQ import NAT_GOAL, _scoring_framework

    name = "fw_own" if csv_text is not None else "fw_plain"
    fw = _scoring_framework(tmp_path, "本局计分规则.csv" if csv_text is not None else None, csv_text, name=name)
    goal = fill(json.loads(NAT_GOAL.read_text(encoding="utf-8")) | {"framework": "demo-2026"},
                tmp_path / f"{name}_g.xlsx", frameworks=fw)
    self_evaluation_templates(goal, tmp_path / f"{name}_t", frameworks=fw)
    made = next((tmp_path / f"{name}_t").glob("*.xlsx"))
    assert ooxml_errors(made) == []
    texts = [str(c.value) for r in openpyxl.load_workbook(made)["填表说明"].iter_rows() for c in r if c.value]
    return {t[0]: t for t in texts if t[:2] in ("三、", "五、")}


def _bureau_scoring() -> str:
    text = (Path(__file__).resolve().parent.parent / "schema" / "scoring.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[1].startswith("funds,funds,") and lines[7].startswith("ge_short,")
    lines[1] = ('funds,funds,full_year_budget > 0,"points * min(executed / full_year_budget * 2, 1)",,'
                '"资金得分 = 分值 × min(执行率 × 2, 1)（本局：执行过半即得满分）","funds score = points × min(rate × 2, 1)",')
    lines[7] = ('ge_short,>= >,actual < target,"max(points * actual / target - points / 10, 0)",,'
                '"未达到目标值：分值 × 实际完成值 ÷ 目标值，再减分值的 10%","not met: points × actual / target − points / 10",')
    return "\n".join(lines) + "\n"


def test_the_self_evaluation_guide_states_the_bureaus_funds_and_indicator_formulas(tmp_path):
    packaged = _guide_lines(tmp_path)
    assert "资金得分 = 分值 × 执行率" in packaged["三"] and "未达到按 实际值 ÷ 目标值 计分" in packaged["五"], packaged
    own = _guide_lines(tmp_path, _bureau_scoring())
    assert "资金得分 = 分值 × min(执行率 × 2, 1)（本局：执行过半即得满分）" in own["三"], own["三"]
    assert "资金得分 = 分值 × 执行率（" not in own["三"] and "计分时最高为 100%" not in own["三"], own["三"]
    assert "未达到目标值：分值 × 实际完成值 ÷ 目标值，再减分值的 10%" in own["五"], own["五"]
    assert "未达到按 实际值 ÷ 目标值 计分" not in own["五"], own["五"]
    # the rows the bureau left as they were keep the packaged words
    assert own["五"].split("；", 1)[1:] and "反向指标（≤、＜）未超过目标得满分" in own["五"], own["五"]


# 5. an empty night's frames have the dtypes of a night with returns, the categories' own dtype too ---------------
def test_an_empty_nights_frames_have_a_full_nights_dtypes_categories_included(tmp_path):
    pd = pytest.importorskip("pandas")
    import xlgoals

    (tmp_path / "empty").mkdir()
    empty, full = xlgoals.frames([tmp_path / "empty"]), xlgoals.frames([EXAMPLES / "received"])
    assert len(full.problems) and len(full.projects) and len(empty.projects) == 0
    text = pd.Series(["text"]).dtype  # str under pandas 3, object before
    for name in ("projects", "indicators", "problems"):
        a, b = getattr(empty, name), getattr(full, name)
        assert list(a.columns) == list(b.columns), name
        for col in b.columns:
            assert str(a[col].dtype) == str(b[col].dtype), (name, col, a[col].dtype, b[col].dtype)
            if isinstance(b[col].dtype, pd.CategoricalDtype):
                assert a[col].dtype.categories.dtype == b[col].dtype.categories.dtype, (name, col)
                if len(b[col].dtype.categories):  # text categories: the text dtype, on both nights
                    assert b[col].dtype.categories.dtype == text, (name, col)
    # the nights concatenate keeping categories of text (unions of categories of one dtype)
    for col, frame in (("unit", "projects"), ("reporting_unit", "indicators"), ("sheet", "problems")):
        both = pd.api.types.union_categoricals([getattr(empty, frame)[col], getattr(full, frame)[col]])
        assert both.categories.dtype == text, (frame, col)


# 6. LibreOffice's 0%%: an .xls it saved, and an amount of the information sheet ------------------------------------
def _with_info_amount(src: Path, out: Path, path: str, value, fmt: str) -> str:
    from xlgoals._form import FORMS

    form = FORMS["self-evaluation"]
    f = form.field(path)
    wb = openpyxl.load_workbook(src)
    cell = wb[form.info.name].cell(row=f.row + 1, column=f.col + 1)
    cell.value, cell.number_format = value, fmt
    wb.save(out)
    return cell.coordinate


@pytest.mark.soffice
def test_libreoffices_two_percent_signs_in_an_xls_and_on_the_information_sheet(tmp_path, lo_convert):
    """mendBV read an .xlsx LibreOffice saved under 0%% as LibreOffice shows it and warned (cell.percent_app_differs);
    an .xls it saved (BIFF keeps the code 0%% too) is read and warned alike, and an amount of the information sheet
    under 0%% (an error, cell.amount_percent, kept as the percent shown) is warned too, quoting what Excel shows."""
    from xlgoals import validate_file

    from .test_actual_formats import SE, _with_actual

    k, ref = _with_actual(SE, tmp_path / "t.xlsx", "self-evaluation", "actual", 0.85, "0%%")
    info_ref = _with_info_amount(SE, tmp_path / "i.xlsx", "/funds/full_year_budget", 5, "0%%")
    assert not [p for p in validate_file(tmp_path / "i.xlsx").problems if p.code == "cell.percent_app_differs"]
    xls_t, xls_i = lo_convert(tmp_path / "t.xlsx", tmp_path / "i.xlsx", fmt="xls")
    (xlsx_i,) = lo_convert(tmp_path / "i.xlsx")
    # the table's number in an .xls: as LibreOffice shows it, 85, and the warning quoting Excel's 8500%%
    report = validate_file(xls_t)
    assert report.document["indicators"][k]["actual"] == 85, report.problems
    said = [(p.sheet, p.cell, p.value, p.expected) for p in report.problems if p.code == "cell.percent_app_differs"]
    assert said == [("指标自评", ref, "85%%", "8500%%")], said
    # an amount of the information sheet under 0%%: 500%% in LibreOffice, 50000%% in Excel, in an .xlsx and an .xls
    for saved in (xlsx_i, xls_i):
        report = validate_file(saved)
        codes = {p.code: p for p in report.problems if p.cell == info_ref}
        assert "cell.amount_percent" in codes and codes["cell.amount_percent"].value == "500%%", (saved, codes)
        said = codes.get("cell.percent_app_differs")
        assert said is not None and (said.sheet, said.value, said.expected, said.severity) == \
            ("自评信息", "500%%", "50000%%", "warning"), (saved, report.problems)
        assert "全年预算数" in said.message and "50000%%" in said.message_en, said.message


def test_a_self_evaluation_or_monitoring_report_that_cannot_be_written_exits_2(tmp_path, monkeypatch):
    _refuse(monkeypatch, only="促进就业专项资金")
    for args in (["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]):
        out = tmp_path / args[1]
        res = cli("template", *args, "--targets", EXAMPLES / "returns", "--out-dir", out)
        assert res.exit_code == 2, (args, res.stderr)
        made = files_under(out)
        assert len(made) == 4 and all("促进就业专项资金" not in m for m in made), made
