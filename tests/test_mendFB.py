"""Session 31, mendFB: 联系电话 checked, what people type as 实际完成值 said helpfully, an amount typed as a
percent refused for its decimals, exact sums in messages, and units and projects in natural order (第2 before 第10)."""

import json
from pathlib import Path

import openpyxl
import pytest

import xlgoals

from .conftest import EXAMPLES
from .helpers import ooxml_errors

_SE03 = EXAMPLES / "self-evaluation" / "03_职业培训基础能力建设资助.xlsx"
_GOAL03 = EXAMPLES / "returns" / "03_职业培训基础能力建设资助.xlsx"
_MON03 = EXAMPLES / "monitoring" / "03_职业培训基础能力建设资助.xlsx"


# 2. What people type as 实际完成值 (project 03, I13: target ＞5000 人) -----------------------------------------------
#: typed -> (code at I13, what its zh message must hold, what its en message must hold)
_ACTUALS = {
    "75OO": ("self.actual_not_number", ("字母“O”应为数字“0”", "如 7500"), ("letter O", "e.g. 7500")),
    "7500余": ("self.actual_not_number", ("“余”表示约数", "如 7500"), ("'余' makes it a rough figure", "e.g. 7500")),
    "7500多人": ("self.actual_not_number", ("“多”表示约数", "如 7500人"), ("rough figure", "e.g. 7500人")),
    # (以上 and + set a bound, which a rough figure is not: mendFG)
    "7500人以上": ("self.actual_not_number", ("“以上”表示下限", "如 7500人"), ("lower bound", "e.g. 7500人")),
    "7500+": ("self.actual_not_number", ("“+”表示下限", "如 7500"), ("'+' makes it a lower bound", "e.g. 7500")),
    "(100)": ("self.actual_not_number", ("如 100",), ("e.g. 100",)),
    "'85": ("self.actual_not_number", ("单引号", "如 85"), ("apostrophe", "e.g. 85")),
    "\u22127500": ("self.actual_negative", ("-7500",), ("-7500",)),  # U+2212, as the full-width －7500 is read
}


@pytest.fixture(scope="module")
def actuals(tmp_path_factory):
    """Each of _ACTUALS typed into the text-formatted 实际完成值 of row I13 (its score cleared), validated in one
    batch against the goal table: name -> the file's problems at 指标自评!I13."""
    d = tmp_path_factory.mktemp("mendFB2")
    paths = {}
    for i, typed in enumerate(_ACTUALS):
        wb = openpyxl.load_workbook(_SE03)
        ws = wb["指标自评"]
        ws["I13"], ws["L13"] = typed, None
        wb.save(paths.setdefault(typed, d / f"a{i:02d}.xlsx"))
    report = xlgoals.validate(list(paths.values()), targets=[_GOAL03])
    by_path = {Path(f.path).name: f for f in report.files}
    return {typed: [p for p in by_path[p.name].problems if p.cell == "I13"] for typed, p in paths.items()}


@pytest.mark.parametrize("typed", sorted(_ACTUALS))
def test_actual_typed_is_said_with_what_to_type(actuals, typed):
    """75OO (the letter O) and 7500余 were said to be in another unit than 人; 7500余, 7500多人, 7500人以上 and 7500+
    are rough figures, said as 约 and 左右 are; (100) and '85 got 应为数字 with no example; −7500 (U+2212) was no
    number while －7500 is -7500."""
    code, zh, en = _ACTUALS[typed]
    found = actuals[typed]
    assert [p.code for p in found] == [code], [(p.code, p.message) for p in found]
    assert all(s in found[0].message for s in zh), found[0].message
    assert all(s in found[0].message_en for s in en), found[0].message_en


def test_monitoring_progress_rough_and_letter_o(tmp_path):
    """A monitoring report's 1-6月执行情况: 1750余人 is read as 1750 with the rough-figure warning (as 约1750人 is),
    175O (the letter O) is no number, its message giving the number to type."""
    paths = []
    for i, typed in enumerate(("1750余人", "175O")):
        wb = openpyxl.load_workbook(_MON03)
        wb["指标监控"]["I13"] = typed
        wb.save(tmp_path / f"m{i}.xlsx")
        paths.append(tmp_path / f"m{i}.xlsx")
    report = xlgoals.validate(paths)
    rough, letter = ([p for p in f.problems if p.cell == "I13"] for f in report.files)
    assert [p.code for p in rough] == ["cell.actual_approximate"], [(p.code, p.message) for p in rough]
    assert "“余”" in rough[0].message and "1750" in rough[0].message, rough[0].message
    assert [p.code for p in letter] == ["monitor.not_number"], [(p.code, p.message) for p in letter]
    assert "字母“O”" in letter[0].message and "如 1750" in letter[0].message, letter[0].message
    assert "e.g. 1750" in letter[0].message_en, letter[0].message_en


# 1. 联系电话 ------------------------------------------------------------------------------------------------------
_GOAL02 = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
_SE02 = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"
_MON02 = EXAMPLES / "monitoring" / "02_促进就业专项资金.xlsx"
#: form -> (example return, sheet, the phone's cell)
_PHONES_AT = {"goal": (_GOAL02, "项目信息", "B21"), "se": (_SE02, "自评信息", "B15"), "mon": (_MON02, "监控信息", "B9")}
#: (form, value put in the phone cell) -> what the warning says (zh, en), or None for a number that is one
_PHONES = {
    ("goal", 2112345678): (("“0”丢失", "应为“02112345678”", "文本格式"), ("leading 0", "'02112345678'")),
    ("goal", "12345"): (("不是有效的电话号码", "11 位手机号码", "021-12345678", "400"),
                        ("not a valid telephone number", "11-digit mobile")),
    ("se", "'021-12345678"): (("单引号", "只填写“021-12345678”"), ("apostrophe", "'021-12345678' only")),
    ("mon", "12345678"): (("缺少区号",), ("area code is missing",)),
    ("goal", "13812345678"): None, ("goal", "021-12345678-123"): None, ("goal", "(0571)8765432"): None,
    ("se", "400-123-4567"): None, ("se", "021-12345678/138 1234 5678"): None, ("mon", "+86 13812345678"): None,
    ("mon", "021-12345678转123"): None, ("goal", "(021)1234-5678"): None, ("se", "0571 8765 4321"): None,
    ("se", "1380013800"): (("不是有效的电话号码",), ("not a valid telephone number",)),  # a mobile's digit missing
}


@pytest.fixture(scope="module")
def phones(tmp_path_factory):
    """Each of _PHONES put in its form's 联系电话 (a number as a pasted number is kept), validated in one batch:
    (form, value) -> the file's rule.phone problems."""
    d = tmp_path_factory.mktemp("mendFB1")
    paths = {}
    for i, (form, value) in enumerate(_PHONES):
        src, sheet, cell = _PHONES_AT[form]
        wb = openpyxl.load_workbook(src)
        wb[sheet][cell] = value
        wb.save(paths.setdefault((form, value), d / f"p{i:02d}.xlsx"))
    report = xlgoals.validate(list(paths.values()))
    by_name = {Path(f.path).name: f for f in report.files}
    return {key: [p for p in by_name[p.name].problems if p.code == "rule.phone"] for key, p in paths.items()}


@pytest.mark.parametrize("key", list(_PHONES), ids=lambda k: f"{k[0]}-{k[1]}")
def test_phone_checked(phones, key):
    """联系电话 was never checked: a number pasted without its leading 0, 12345, and '021-12345678 (the apostrophe
    LibreOffice keeps in a text cell, printed on the stamped form) all passed.  Now a warning at the cell says why
    and what to type; a mobile, a landline with area code and extension, a 400 number, two numbers, +86 pass."""
    found, want = phones[key], _PHONES[key]
    if want is None:
        assert found == [], [p.message for p in found]
        return
    (p,) = found
    assert p.severity == "warning" and p.cell == _PHONES_AT[key[0]][2], (p.severity, p.cell)
    assert all(s in p.message for s in want[0]), p.message
    assert all(s in p.message_en for s in want[1]), p.message_en


def test_phone_cells_are_text_in_every_form(tmp_path):
    """The 联系电话 cell of each form's produced template is text-formatted (@), so that a typed 021… keeps its 0:
    the goal table's blank template, and the self-evaluation and monitoring workbooks made from a goal table."""
    goal = xlgoals.write_template(tmp_path / "goal.xlsx", year=2020)
    (se,) = xlgoals.self_evaluation_templates([_GOAL02], tmp_path / "se").written
    (mon,) = xlgoals.monitoring_templates([_GOAL02], tmp_path / "mon", month=6).written
    for path, form in ((goal, "goal"), (se, "se"), (mon, "mon")):
        _, sheet, cell = _PHONES_AT[form]
        ws = openpyxl.load_workbook(path)[sheet]
        label = ws.cell(ws[cell].row, ws[cell].column - 1).value
        assert label == "联系电话" and ws[cell].number_format == "@", (form, label, ws[cell].number_format)


# 3. 12.5% typed into an amount cell; sums in messages exact --------------------------------------------------------

def test_percent_in_amount_cell_refused_for_its_decimals(tmp_path):
    """"12.5%" typed into the self-evaluation's 其他资金全年执行数 (kept #,##0.00) is 0.125: it got only the
    amount_fraction warning, and its fraction of a fen was summed into 资金来源 (5.125 is refused, an error).  Now
    it gets cell.amount_decimals too, as 5.125 does, and the file fails."""
    paths = []
    for i, amount in enumerate((0.125, 5.125)):
        wb = openpyxl.load_workbook(_SE02)
        wb["自评信息"]["D10"] = amount
        wb.save(tmp_path / f"amt{i}.xlsx")
        paths.append(tmp_path / f"amt{i}.xlsx")
    fraction, plain = (sorted((p.code, p.severity) for p in f.problems if p.cell == "D10")
                       for f in xlgoals.validate(paths, targets=[_GOAL02]).files)
    assert plain == [("cell.amount_decimals", "error")], plain
    assert fraction == [("cell.amount_decimals", "error"), ("cell.amount_fraction", "warning")], fraction


def test_amounts_in_messages_are_exact():
    """An amount in a message (self.funds_breakdown's sum of the sources) is written to the fen, and a sum holding a
    fraction of a fen in all its digits: 142,015,054.935 was written 142,015,054.94."""
    from decimal import Decimal

    from xlgoals import FORMS, Config
    from xlgoals._check._validate import rule_problems
    from xlgoals._decimals import yuan

    doc = json.loads((EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    assert doc["funds"]["executed"] == doc["funds"]["sources"]["fiscal"]["executed"] == 142015054.81
    doc["funds"]["sources"]["carryover"]["executed"] = 0.125  # the sources: 142,015,054.935 元, the total .81
    # the rules over the document (validate blanks 0.125 first, cell.amount_decimals: the rules see what a library
    # caller hands them)
    (said,) = [p for p in rule_problems(doc, Config.load(), FORMS["self-evaluation"].for_document(doc))
               if p.code == "self.funds_breakdown"]
    assert said.path == "/funds/executed", said.path
    assert "为 142,015,054.81 元，而财政拨款、上年结转、其他资金合计为 142,015,054.935 元" in said.message, said.message
    assert "is 142,015,054.81 yuan but fiscal, carry-over and other funds add up to 142,015,054.935 yuan" \
        in said.message_en, said.message_en
    assert yuan(Decimal("142015054.935")) == ("142,015,054.935 元", "142,015,054.935 yuan")
    assert yuan(Decimal("62800000")) == ("62,800,000.00 元", "62,800,000.00 yuan")
    assert yuan(Decimal("0.5")) == ("0.50 元", "0.50 yuan")


# 4. Units and projects in natural order ---------------------------------------------------------------------------
_UNITS = ("第10中学", "第2中学", "第1中学", "安徽第3所")
_UNITS_SORTED = ["安徽第3所", "第1中学", "第2中学", "第10中学"]


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    """Goal tables of units numbered 第1, 第2, 第10 (and 第1中学's projects 项目10 and 项目2), as JSON returns."""
    d = tmp_path_factory.mktemp("mendFB4")
    inbox = d / "in"
    inbox.mkdir()
    src = sorted((EXAMPLES / "json").glob("*.json"))[1]
    names = [(u, "促进就业专项资金") for u in _UNITS] + [("第1中学", "项目10"), ("第1中学", "项目2")]
    for i, (unit, project) in enumerate(names):
        doc = json.loads(src.read_text(encoding="utf-8"))
        doc["unit"], doc["project"]["name"] = unit, project
        (inbox / f"r{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return d


def test_units_and_projects_sort_numbers_by_value(numbered):
    """The summaries sorted units as text by pinyin (第1…, 第10…, 第2…): numbers in names now sort by value, in the
    per-unit summary, the project list (projects too: 项目2 before 项目10), the CSV and the DataFrames' categories,
    the same with one worker and two."""
    outs = {}
    for jobs in (1, 2):
        out = numbered / f"j{jobs}"
        xlgoals.consolidate([numbered / "in"], out / "汇总.xlsx", csv_dir=out / "csv", jobs=jobs, made_on="2021-01-05")
        outs[jobs] = out
        wb = openpyxl.load_workbook(out / "汇总.xlsx")
        units = [r[1] for r in wb["汇总"].iter_rows(min_row=4, values_only=True) if isinstance(r[0], int)]
        assert units == _UNITS_SORTED, units
        listed = [(r[1], r[2]) for r in wb["项目清单"].iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
        assert listed == [("安徽第3所", "促进就业专项资金"), ("第1中学", "促进就业专项资金"), ("第1中学", "项目2"),
                          ("第1中学", "项目10"), ("第2中学", "促进就业专项资金"), ("第10中学", "促进就业专项资金")], listed
        assert not ooxml_errors(out / "汇总.xlsx")
    for name in sorted(p.name for p in (outs[1] / "csv").iterdir()):
        assert (outs[1] / "csv" / name).read_bytes() == (outs[2] / "csv" / name).read_bytes(), name
    fr = xlgoals.frames([numbered / "in"], jobs=1)
    assert list(fr.projects["unit"].cat.categories) == _UNITS_SORTED, list(fr.projects["unit"].cat.categories)
