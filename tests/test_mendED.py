"""Left by session 28's note (session 29, mendED): exact money in the self-evaluation summary's totals, fraction
number formats rendered as the paper shows them, whole English help lines, and --targets taking a lone output."""

from decimal import Decimal
import csv
import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLES
from .helpers import ooxml_errors

# 1. Money is exact in the summaries' totals -----------------------------------------------------------------------
#: per form: the example folder and the two amounts of its summary (自评汇总 / 监控汇总)
_FORMS = {"self-evaluation": ("self-evaluation", ("full_year_budget", "executed")),
          "monitoring": ("monitoring", ("full_year_budget", "executed_to_date"))}
#: a 15-digit amount and a small one: their exact sum has 18 significant digits, which a float rounds to 1e15
_BIG, _SMALL = 999999999999999, 1.01
_SUM = Decimal("1000000000000000.01")


def _summed(form: str, tmp: Path):
    """Two returns of one unit, one of 999,999,999,999,999 元 and one of 1.01 元 (each amount of the summary's
    both), consolidated with CSV and JSON in `tmp`: the ConsolidationResult."""
    folder, keys = _FORMS[form]
    inbox = tmp / "in"
    inbox.mkdir()
    for src, amount in zip(sorted((EXAMPLES / folder).glob("*.json"))[:2], (_BIG, _SMALL)):
        doc = json.loads(src.read_text(encoding="utf-8"))
        doc["unit"] = "甲单位"
        funds = doc["funds"]
        for key in funds:
            if key in ("initial_budget", "full_year_budget", "executed", "executed_to_date", "expected_full_year"):
                funds[key] = amount
        for source in (funds.get("sources") or {}).values():  # a self-evaluation's 资金来源: the fiscal one all of it
            for key in source:
                source[key] = None
        if "sources" in funds:
            funds["sources"]["fiscal"].update(initial_budget=amount, full_year_budget=amount, executed=amount)
        (inbox / src.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = xlgoals.consolidate([inbox], tmp / "汇总.xlsx", csv_dir=tmp / "csv", json_path=tmp / "汇总.json", jobs=1,
                                 include_invalid=True, made_on="2021-01-05")
    assert result.totals["projects"] == 2, result.totals
    return result


@pytest.mark.parametrize("form", sorted(_FORMS))
def test_summary_money_is_exact(tmp_path, form):
    """A summary's totals, in the library, the terminal's line, the JSON, the CSV and the workbook's note, are the
    exact sums, for a self-evaluation's 自评汇总 as for the monitoring and goal-table summaries (自评汇总's were
    floats: 1e15 + 1.01 summed exactly, then rounded to 1e15 in the API and JSON, and the note giving the digits of
    a total beyond 15 left it out)."""
    result = _summed(form, tmp_path)
    for key in _FORMS[form][1]:
        assert type(result.totals[key]) is Decimal and result.totals[key] == _SUM, (key, result.totals[key])
    # the terminal's line on the totals, in both languages
    assert result.describe().count("1,000,000,000,000,000.01 元") == 2, result.describe()
    assert result.describe("en").count("1,000,000,000,000,000.01 yuan") == 2, result.describe("en")

    doc = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"), parse_float=Decimal)
    summary = doc["summary"]
    money = [t for t in summary["totals"] if "元" in t]
    assert len(money) == 2 and all(summary["totals"][t] == _SUM for t in money), summary["totals"]
    # the unit's row (by unit and year): its amounts exact too, as the goal table's rows give them
    (row,) = summary["rows"]
    cols = [summary["columns"].index(t) for t in money]
    assert [row[c] for c in cols] == [_SUM, _SUM], row
    (csv_file,) = [p for p in (tmp_path / "csv").glob("*.csv") if p.stem in ("自评汇总", "监控汇总")]
    with open(csv_file, encoding="utf-8-sig", newline="") as fh:
        header, line = list(csv.reader(fh))[:2]
    assert [line[header.index(t)] for t in money] == ["1000000000000000.01"] * 2, line

    # the summary sheet's note gives a total of more than 15 digits exactly (Excel shows 1,000,000,000,000,000.00)
    wb = openpyxl.load_workbook(tmp_path / "汇总.xlsx")
    text = "\n".join(str(c.value) for row in wb.worksheets[0].iter_rows() for c in row if isinstance(c.value, str))
    assert text.count("合计准确为 1,000,000,000,000,000.01 元") == 2, text[-600:]
    if form == "self-evaluation":  # (the note this change adds; the monitoring summary's is as before)
        assert ooxml_errors(tmp_path / "汇总.xlsx") == []


# 2. Fraction and scientific number formats: the paper's number said where it is not the value -----------------------
#: (value, number format, what Excel shows, whether that is another number than the value)
#: (above 1: a row in % holding 0.3 is asked about as a fraction of one first, cell.percent_fraction)
_FIGURES = [(1.3, "# ?/8", "1 2/8", True), (1.25, "# ?/8", "1 2/8", False), (2.3, "# ?/?", "2 2/7", True),
            (1.3, "# ??/??", "1 3/10", False), (1.5, "?/?", "3/2", False), (3.01, "# ?/8", "3", True),
            (12345, "0.0E+00", "1.2E+04", True), (1.3, "0.00E+00", "1.30E+00", False)]


def test_fraction_and_scientific_rendered_as_excel_shows_them():
    from xlgoals._read._screen import rounded_away, shown_figure

    for value, code, shown, differs in _FIGURES:
        assert shown_figure(code, value) == shown, (code, value)
        assert rounded_away(code, value) == ((shown, format(Decimal(repr(value)), "f")) if differs else None), code
    assert shown_figure("# ?/8", 0.3) == "2/8" and rounded_away("# ?/8", 0.3) == ("2/8", "0.3")
    assert shown_figure("# ?/?", 0.3) == "2/7" and rounded_away("# ??/??", 0.3) is None  # 3/10
    assert shown_figure("# ???/???", 3.14159) == "3 16/113" and shown_figure("0 0/100", 1.2345) == "1 23/100"
    assert shown_figure("# ?/8", 0.97) == "1"  # 8/8 carried into the whole number
    assert shown_figure("0.00E+00", -0.00012345) == "-1.23E-04" and shown_figure("0.00E+00", 9.999) == "1.00E+01"
    assert rounded_away("# ?/?", 1 / 3) is None  # 0 1/3 typed: Excel keeps 0.333333333333333, a float's tail
    assert shown_figure("yyyy-mm-dd", 5) is None and shown_figure("0.00", 1.5) == "1.50"


@pytest.fixture(scope="module")
def figures_read(tmp_path_factory):
    """The example goal table with the first rows' 指标值 holding each of _FIGURES, in its format."""
    from .helpers import edited_return, row_cell

    tmp = tmp_path_factory.mktemp("figures")
    path = edited_return(tmp, "goal-table", {(i, "value"): (v, code) for i, (v, code, _, _) in enumerate(_FIGURES)})
    result = xlgoals.read(path, isolated=False)
    return result, [row_cell("goal-table", i, "value") for i in range(len(_FIGURES))]


def test_fraction_shown_otherwise_is_warned_at_its_cell(figures_read):
    result, cells = figures_read
    said = {(p.sheet, p.cell): p for p in result.problems if p.code == "cell.number_rounded"}
    for (value, code, shown, differs), at in zip(_FIGURES, cells):
        p = said.get(at)
        if not differs:
            assert p is None, (code, value, p and p.message)
            continue
        assert p is not None and p.severity == "warning", (code, value, [(q.code, q.cell) for q in result.problems])
        assert f"（{code}）把 {format(Decimal(repr(value)), 'f')} 显示（打印）为“{shown}”" in p.message, p.message
        assert f"shows (prints) {format(Decimal(repr(value)), 'f')} as '{shown}'" in p.message_en, p.message_en


# 3. The English command list gives whole sentences, as the Chinese one does ---------------------------------------
def _command_lines(out: str) -> dict:
    """{command: its line(s) joined} of a group's --help."""
    lines = out.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip() in ("Commands:", "命令:"))
    found: dict = {}
    name = None
    for line in lines[at + 1:]:
        if not line.strip():
            break
        if line.startswith("  ") and not line.startswith("   "):
            name, _, text = line.strip().partition(" ")
            found[name] = text.strip()
        else:
            found[name] += " " + line.strip()
    return found


@pytest.mark.parametrize("args", [["--lang", "en", "--help"], ["--help", "--lang", "en"], ["--help"]])
def test_command_list_is_whole_sentences(args):
    from .conftest import cli

    result = cli(*args)
    assert result.exit_code == 0, result.output
    found = _command_lines(result.output)
    assert set(found) == {"consolidate", "defaults", "fill", "frameworks", "read", "schema", "template", "validate"}
    for name, text in found.items():
        assert "..." not in text and "…" not in text, (name, text)
        assert text.endswith("。" if args == ["--help"] else "."), (name, text)
        if args != ["--help"]:
            assert len(text) < 160, (name, text)  # one sentence, as the Chinese: the command's help says the rest


# 4. --targets taking a lone path meant otherwise: said, with the path and what to write ---------------------------
def test_template_targets_without_form_names_the_output_meant(tmp_path, monkeypatch):
    from .conftest import cli

    monkeypatch.chdir(tmp_path)
    result = cli("template", "--targets", "模板.xlsx")
    assert result.exit_code == 2 and not list(tmp_path.iterdir()), result.output
    assert "--targets 只用于由批复的绩效目标表生成绩效自评表或绩效运行监控表" in result.stderr, result.stderr
    assert "“模板.xlsx”不存在，若它是要生成的空白模板，请写成 -o 模板.xlsx" in result.stderr, result.stderr
    assert "绩效自评表须同时指定" not in result.stderr  # no --form self-evaluation was given
    en = cli("template", "--targets", "t.xlsx", "--lang", "en")
    assert en.exit_code == 2 and "give it as -o t.xlsx, without --targets" in en.stderr, en.stderr


@pytest.mark.parametrize("form", [["--form", "self-evaluation"], ["--form", "monitoring", "--month", "6"]])
def test_template_output_folder_taken_by_targets_is_named(tmp_path, monkeypatch, form):
    from .conftest import cli

    monkeypatch.chdir(tmp_path)
    goal = EXAMPLES / "json" / "01_筹办第46届世界技能大赛.json"
    result = cli("template", *form, "--targets", goal, "下发")
    assert result.exit_code == 2 and not (tmp_path / "下发").exists(), result.output
    assert f"当作批复的绩效目标表：{goal}、下发；若“下发”是输出文件夹，请写成 --out-dir 下发" in result.stderr, result.stderr


@pytest.mark.parametrize("command", [["validate"], ["consolidate", "-o", "汇总.xlsx"]])
def test_lone_path_taken_by_targets_is_said(tmp_path, monkeypatch, command):
    from .conftest import cli

    monkeypatch.chdir(tmp_path)
    result = cli(*command, "--targets", "收件箱")
    assert result.exit_code == 2, result.output
    assert "--targets 取走了其后的“收件箱”，当作批复的绩效目标表；若“收件箱”是要处理的申报，请写在 --targets 之前" \
        in result.stderr, result.stderr
