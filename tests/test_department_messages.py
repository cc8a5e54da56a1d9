"""Messages a department reads: a percent typed as a fraction judged against the row's own target, 亿 on a row in
万元 (and 万元 in an amount cell) with the exact number to type, merged cells named by their indicators, and numbers
written in messages as digits (never 1e-28, 1E+30, inf or nan)."""

import json
import re
import subprocess
import sys

import pytest

from xlgoals import fill, read, validate_file

from .conftest import EXAMPLES
from .helpers import EXAMPLE_FORMS as FORM, edited_return as _edited, example_return as _src, lo_cell as at
from .helpers import row_cell as _cell

KEY = {"self-evaluation": "actual", "monitoring": "expected"}


def _doc(form_id: str) -> dict:
    return json.loads((_src(form_id).parent / "02_促进就业专项资金.json").read_text(encoding="utf-8"))


# -- 1. a percent typed as a fraction, against the row's own target ----------------------------------------------

# (row index, comparator, target in %, what is typed, whether the fraction reading is asked about)
FRACTION_ROWS = [
    (9, "<=", 0.5, "0.3", False),   # 差错率 ≤0.5 %: 0.3 % meets it; 30 % would break it
    (10, ">=", 0.5, "0.3", False),  # ≥0.5 %: 0.3 % is near it, 30 % sixty times it
    (20, "=", 0.5, "0.5", False),   # =0.5 %: as typed
    (22, "<=", 5, "0.3", False),    # ≤5 %: 0.3 % meets it, 30 % breaks it
    (23, "<", 0, "0.2", False),     # <0 %? both readings miss it; the one typed is the nearer
    (21, ">=", 85, "0.88", True),   # ≥85 %: 0.88 is most likely 88 %
    (13, "=", 100, "0.99", True),   # =100 %: 0.99 is most likely 99 %
    (12, "<=", 80, "0.5", True),    # ≤80 %: 50 % meets it as well as 0.5 % does: asked
]


# Each LibreOffice typing costs a job (a document opened, typed into and saved): the tests
# of this module that type share four documents, each typed once per test process (module fixtures), every case on
# cells of its own: the goal table's example return (亿 on rows 5-7 in 万元, a fraction target on rows 8, 9, 18, 19), the
# first example return (an amount in 万元 or 亿元 in each of its four amount cells, and a merge over indicator rows),
# and a self-evaluation and a monitoring report issued with FRACTION_ROWS's targets (their fractions typed, the funds
# block's amount in 万元 or 亿元, and on the self-evaluation 亿 on row 16 in 万元).

GOAL_FRACTIONS = {7: ("≤", "0.5", False), 8: ("<", "0.3", False), 17: ("≥", "0.9", True), 18: ("＝", "0.95", True)}
GOAL_YI = {4: ("3亿元", "万元"), 5: ("2.00000001亿元", "万元"), 6: ("5000万元", "亿元")}
SE_YI_ROW = 15
FUNDS = {"monitoring": ("/funds/full_year_budget", "1.5亿元", "150000000"),
         "self-evaluation": ("/funds/executed", "2680.5万元", "26805000")}
AMOUNTS = {"/budget/total": ("6280万元", "62800000"), "/budget/current_year": ("1.2345万", "12345"),
           "/budget/prior_year_budget": ("0.5亿元", "50000000"),
           "/budget/prior_year_executed": ("1,234.56万元", "12345600")}


@pytest.fixture(scope="module")
def _typed_folder(soffice, tmp_path_factory):
    return tmp_path_factory.mktemp("typed-messages")


@pytest.fixture(scope="module")
def goal_typed(_typed_folder):
    """The goal table's example return with GOAL_YI's and GOAL_FRACTIONS's rows typed: its validation report."""
    from .conftest import lo_edit_job

    edits = []
    for i, (target, unit) in GOAL_YI.items():
        edits += [{**at(_cell("goal-table", i, "comparator")), "input": "≤"},
                  {**at(_cell("goal-table", i, "target")), "input": target},
                  {**at(_cell("goal-table", i, "unit")), "input": unit}]
    for i, (comp, typed, _) in GOAL_FRACTIONS.items():
        edits += [{**at(_cell("goal-table", i, "comparator")), "input": comp},
                  {**at(_cell("goal-table", i, "target")), "input": typed},
                  {**at(_cell("goal-table", i, "unit")), "input": "%"}]
    return validate_file(lo_edit_job(_src("goal-table"), _typed_folder / "g.xlsx", edits, _typed_folder))


@pytest.fixture(scope="module")
def first_return_typed(_typed_folder):
    """The first example return with AMOUNTS typed into its amount cells, and 一级指标 merged over indicators 1-3 and
    指标名称 over indicators 4-5 (protection off): its validation report."""
    from .conftest import lo_edit_job
    from .helpers import F, ind_cell, info_cell

    src = EXAMPLES / "returns" / sorted(p.name for p in (EXAMPLES / "returns").glob("*.xlsx"))[0]
    first, last = ind_cell(0, "level1")[1], ind_cell(2, "level1")[1]
    name, name_below = ind_cell(3, "name")[1], ind_cell(4, "name")[1]
    edits = [{**at(info_cell(path)), "input": typed} for path, (typed, _) in AMOUNTS.items()]
    edits += [{"sheet": F.table.name, "unprotect": True},
              *({"sheet": F.table.name, "cell": ind_cell(i, "level1")[1], "clear": True} for i in (1, 2)),
              {"sheet": F.table.name, "cell": f"{first}:{last}", "merge": True},
              {"sheet": F.table.name, "cell": name_below, "clear": True},
              {"sheet": F.table.name, "cell": f"{name}:{name_below}", "merge": True}]
    return validate_file(lo_edit_job(src, _typed_folder / "first.xlsx", edits, _typed_folder))


@pytest.fixture(scope="module")
def fractions_typed(_typed_folder):
    """form_id -> the validation report of that form's return issued with FRACTION_ROWS's targets (and, on the
    self-evaluation, row SE_YI_ROW ≤50000 万元) and typed in LibreOffice: each row's fraction as its KEY, the funds
    block's FUNDS amount, on the self-evaluation 4.5亿元 as row SE_YI_ROW's 实际完成值.  Typed when first asked for."""
    from .conftest import lo_edit_job

    made = {}

    def typed(form_id: str):
        if form_id not in made:
            doc = _doc(form_id)
            key = KEY[form_id]
            for i, comp, target, _, _ in FRACTION_ROWS:
                doc["indicators"][i].update(comparator=comp, value=target, unit="%")
                doc["indicators"][i].pop(key, None)
            edits = [{**at(_cell(form_id, i, key)), "input": typed} for i, _, _, typed, _ in FRACTION_ROWS]
            if form_id == "self-evaluation":
                doc["indicators"][SE_YI_ROW].update(comparator="<=", value=50000, unit="万元")
                doc["indicators"][SE_YI_ROW].pop("actual", None)
                edits.append({**at(_cell(form_id, SE_YI_ROW, "actual")), "input": "4.5亿元"})
            path, amount, _ = FUNDS[form_id]
            f = FORM[form_id].field(path)
            edits.append({"sheet": f.sheet, "cell": f.cell, "input": amount})
            src = _typed_folder / f"{form_id}-issued.xlsx"
            fill(doc, src)
            made[form_id] = validate_file(lo_edit_job(src, _typed_folder / f"{form_id}.xlsx", edits, _typed_folder))
        return made[form_id]
    return typed


@pytest.mark.parametrize("form_id", ["self-evaluation", "monitoring"])
def test_a_fraction_plausible_against_the_rows_own_target_is_not_called_a_percent_slip(fractions_typed, form_id):
    """0.3 typed as the 实际完成值 (全年预计完成情况) of a row whose approved target is ≤0.5 % was warned “是否应为
    30？”: 30 % would break the target sixty times over, and 0.3 % is a real value.  The question is asked only where
    the percent reading fits the row's target better than the number typed (≥85 %: 0.88), and never at the locked
    target itself (the department cannot change an approved target; it was warned at G13 too)."""
    key = KEY[form_id]
    report = fractions_typed(form_id)
    asked = {p.cell: p for p in report.problems if p.code.startswith("cell.percent_fraction")}
    assert not any(ref == _cell(form_id, i, "target")[1] for i, *_ in FRACTION_ROWS for ref in asked), \
        [(p.cell, p.message) for p in asked.values()]
    for i, comp, target, typed, expect in FRACTION_ROWS:
        ref = _cell(form_id, i, key)[1]
        assert (ref in asked) is expect, (i, comp, target, typed, [(p.cell, p.message) for p in asked.values()])
        if expect:
            p = asked[ref]
            assert f"第{i + 1}条指标" in p.message and f"是否应为 {round(float(typed) * 100)}" in p.message, p.message
            assert f"should it be {round(float(typed) * 100)}" in p.message_en, p.message_en


@pytest.mark.parametrize("row", list(GOAL_FRACTIONS), ids=lambda i: "-".join(map(str, GOAL_FRACTIONS[i][:2])))
def test_a_goal_tables_fraction_target_is_asked_about_on_rows_to_reach_not_on_limits(goal_typed, row):
    """A goal table's target is the row's own: 差错率 ≤0.5 (%) is a limit kept low, and real; ≥0.9 (%) for a rate to
    reach is most likely 90 %, and is asked about, at the target, naming its indicator."""
    _, _, expect = GOAL_FRACTIONS[row]
    found = [p for p in goal_typed.problems
             if p.code == "cell.percent_fraction" and p.path.startswith(f"/indicators/{row}/")]
    assert bool(found) is expect, [(p.cell, p.message) for p in found]
    if expect:
        (p,) = found
        assert p.cell == _cell("goal-table", row, "target")[1] and f"第{row + 1}条指标的指标目标值" in p.message, p.message

def test_a_qualitative_row_is_never_asked_about_a_fraction(tmp_path):
    """A row of 定性 has no unit to hold a number to: 0.9 typed as its 实际完成值 is no percent slip."""
    out = _edited(tmp_path, "self-evaluation", {(0, "actual"): "0.9"})
    assert not [p for p in validate_file(out).problems if p.code.startswith("cell.percent_fraction")]


# -- 2. 亿 on a row in 万元; 万元 and 亿元 in an amount cell -----------------------------------------------------------

def test_yi_on_a_row_in_wan_yuan_says_the_exact_number_to_type(goal_typed, fractions_typed):
    """3亿元 typed as the target of a row in 万元 was cell.unit_conflict (“万元”与目标值中写的单位“亿元”不一致),
    while 1.2万元 read; 1 亿 is exactly 10000 万: one error at the target saying to type 30000 (万元), computed
    exactly (2.00000001亿元 is 20000.0001万元, not a float's 20000.000099999998).  As the 实际完成值 of a
    self-evaluation's row in 万元 too."""
    on_rows = sorted((p for p in goal_typed.problems
                      if p.path.startswith(tuple(f"/indicators/{i}/" for i in GOAL_YI))),
                     key=lambda p: p.path)
    assert [(p.code, p.cell) for p in on_rows] == [("cell.number_multiplier", _cell("goal-table", i, "target")[1])
                                                   for i in GOAL_YI], [(p.code, p.message) for p in on_rows]
    yi, odd, wan = on_rows
    assert yi.is_error and "“第5条指标的指标目标值”填写为“3亿元”" in yi.message and "“30000万元”" in yi.message, \
        yi.message
    assert "'30000万元'" in yi.message_en, yi.message_en
    assert "“20000.0001万元”" in odd.message, odd.message
    assert "“0.5亿元”" in wan.message, wan.message

    (p,) = [p for p in fractions_typed("self-evaluation").problems if p.path.startswith(f"/indicators/{SE_YI_ROW}/")]
    assert (p.code, p.cell) == ("cell.number_multiplier", _cell("self-evaluation", SE_YI_ROW, "actual")[1]), p
    assert "“45000万元”" in p.message and f"第{SE_YI_ROW + 1}条指标的实际完成值" in p.message, p.message

@pytest.mark.parametrize("path", list(AMOUNTS), ids=lambda path: AMOUNTS[path][0])
def test_an_amount_in_wan_or_yi_says_the_exact_amount_in_yuan(first_return_typed, path):
    """6280万元 typed as the 项目总预算（元） said “请换算为元后填写”: the department does the sum, and may get it wrong.
    The error says the exact amount to type (62800000), at the cell (each case in an amount cell of its own)."""
    from .helpers import info_cell

    _, exact = AMOUNTS[path]
    (p,) = [p for p in first_return_typed.problems if p.path == path]
    assert p.code in ("cell.amount_wan", "cell.amount_yi") and p.cell == info_cell(path)[1], p
    assert f"应填写 {exact}" in p.message and f"enter {exact}" in p.message_en, (p.message, p.message_en)

def test_an_amount_in_wan_beyond_fen_gives_no_amount_to_type(tmp_path):
    """1.234567万元 is 12345.67 元; 1.2345678万元 is no amount in fen: no number is offered, the old advice stands."""
    from .helpers import info_cell

    ref = info_cell("/budget/total")[1]
    out = _edited(tmp_path, "goal-table", {}, info={ref: "1.2345678万元"})
    (p,) = [p for p in validate_file(out).problems if p.path == "/budget/total"]
    assert p.code == "cell.amount_wan" and "应填写" not in p.message and "请换算为元后填写" in p.message, p.message



@pytest.mark.parametrize("typed", ["1234567890123456789012345678901万元", "98765432109876543210987654321.5亿元"])
def test_an_amount_in_wan_of_more_digits_than_decimal_s_default_is_said_at_its_cell(tmp_path, typed):
    """A 31-digit amount in 万元: working out the amount in 元 to the fen raised decimal.InvalidOperation (beyond the
    default 28 digits), and the file was said to be damaged (file.crashed) instead of the amount's cell."""
    from .helpers import info_cell

    ref = info_cell("/budget/total")[1]
    out = _edited(tmp_path, "goal-table", {}, info={ref: typed})
    report = validate_file(out)
    assert not [p for p in report.problems if p.code == "file.crashed"], report.problems
    (p,) = [p for p in report.problems if p.path == "/budget/total"]
    assert p.code in ("cell.amount_wan", "cell.amount_yi") and p.cell == ref, p


# -- 3. merged cells name their indicators ------------------------------------------------------------------------

def test_a_merge_over_indicator_rows_names_the_indicators(first_return_typed):
    """“一级指标”在第 5–7 行合并了单元格 named sheet rows, where every other message on a row names its indicator (第N条
    指标): the merge's message names the indicators it covers, with the rows."""
    from .helpers import F, ind_cell

    first = ind_cell(0, "level1")[1]
    name = ind_cell(3, "name")[1]
    report = first_return_typed
    read_in = next(p for p in report.problems if p.code == "cell.merged_read")
    from xlgoals import Config

    fw = Config.load().frameworks.find(report.document["framework"])
    label = F.column("level1", fw).label  # as the framework heads it (shanghai-2020: 一级目标)
    assert read_in.cell == first and read_in.field == f"第1至3条指标的{label}", (read_in.field, label)
    assert f"“第1至3条指标的{label}”在第 4–6 行合并了单元格" in read_in.message, read_in.message
    assert "'indicator 1 to 3 " in read_in.message_en and "rows 4–6" in read_in.message_en, read_in.message_en
    left = next(p for p in report.problems if p.code == "cell.merged")
    assert left.cell == name and left.field.startswith("第4至5条指标的"), left.field


# -- 4. numbers in messages --------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"\d[eE][+-]?\d|\binf\b|\bnan\b|Infinity", re.IGNORECASE)


@pytest.mark.parametrize("form_id, edits", [
    ("goal-table", {(4, "comparator"): "≥", (4, "target"): 1e30, (4, "unit"): "%"}),
    ("goal-table", {(4, "comparator"): "≥", (4, "target"): (1e306, "0%"), (4, "unit"): "%"}),
    ("goal-table", {(4, "comparator"): "≥", (4, "target"): 1e-30, (4, "unit"): "%"}),
    ("self-evaluation", {(10, "actual"): 1e-30}),
    ("self-evaluation", {(10, "actual"): 1e30}),
    ("self-evaluation", {(10, "score"): 1e30}),
    ("self-evaluation", {(10, "score"): (1e308, "0%")}),
    ("self-evaluation", {(10, "score"): 1e-30}),
    ("monitoring", {(10, "expected"): 1e30, (10, "progress"): 1e-30}),
], ids=lambda v: v if isinstance(v, str) else "")
def test_extreme_numbers_are_written_as_digits_in_every_message(tmp_path, form_id, edits):
    """1e-30 typed as a percent was asked “是否应为 1e-28？”; a score of 1e308 shown as a percent was “inf%”; a
    target of 1e30 was quoted as 1000000000000000019884624838656 (the float's binary value, not what was typed).
    Every number a message, a value or an expected value writes is digits as typed (one formatter), in zh and
    en, in the JSON and CSV records too."""
    out = _edited(tmp_path, form_id, edits)
    report = validate_file(out)
    assert report.problems
    for p in report.problems:
        for text in (p.message, p.message_en, str(p.to_dict()["value"]), p.expected,
                     str(p.to_dict("en")["value"])):
            assert not _SCIENTIFIC.search(text), (p.code, text)
        assert "19884624838656" not in p.message, p.message


@pytest.mark.parametrize("key", ["actual", "score"])
def test_a_number_too_large_shown_as_a_percent_is_a_located_error_not_infinity(tmp_path, key):
    """1e308 in a 实际完成值 cell formatted as a percent read as its percent, 1e310: infinity in the document, no
    problem at all, and `xlgoals read` crashed with a traceback (Out of range float values are not JSON compliant).
    It is a located error now, and the document holds no infinity."""
    out = _edited(tmp_path, "self-evaluation", {(10, key): (1e308, "0%")})
    result = read(out)
    json.dumps(result.document, allow_nan=False)  # no inf in the document
    ref = _cell("self-evaluation", 10, key)[1]
    assert any(p.cell == ref and p.is_error for p in validate_file(out).problems), \
        [(p.code, p.cell) for p in validate_file(out).problems]
    proc = subprocess.run([sys.executable, "-m", "xlgoals", "read", str(out)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    json.loads(proc.stdout)


def test_the_one_formatter():
    """format_number writes any number as its digits: the float's shortest form (1e30 is 1 and 30 zeros), no
    exponent, no trailing .0; a value that is no finite number as a spreadsheet shows it (#NUM!)."""
    from decimal import Decimal

    from xlgoals._form._kinds import format_number

    assert format_number(1e30) == "1" + "0" * 30
    assert format_number(1e-7) == "0.0000001"
    assert format_number(85.0) == "85" and format_number(-0.5) == "-0.5" and format_number(12) == "12"
    assert format_number(Decimal("2E+3")) == "2000" and format_number(Decimal("1.50")) == "1.5"
    assert format_number(float("inf")) == "#NUM!" and format_number(float("nan")) == "#NUM!"


@pytest.mark.parametrize("typed, unit, expected", [("3亿", "万元", "30000万元"), ("1.2亿", "万人", "12000万人"),
                                                   ("5千", "万元", "0.5万元")])
def test_a_multiplier_alone_on_a_row_in_wan_is_of_the_rows_unit(tmp_path, typed, unit, expected):
    """3亿 typed on a row in 万元 means 3亿元: the error said to type 300000000万元, ten thousand times too much.  A
    multiplier typed alone on a row whose unit is 万 (亿, 百万…) of a unit is a multiplier of that unit."""
    out = _edited(tmp_path, "goal-table", {(4, "comparator"): "≤", (4, "target"): typed, (4, "unit"): unit})
    (p,) = [p for p in validate_file(out).problems if p.path.startswith("/indicators/4/")]
    assert p.code == "cell.number_multiplier" and f"“{expected}”" in p.message, p.message


def test_wan_alone_on_a_row_in_wan_square_metres_reads_as_the_rows_unit(tmp_path):
    """1.2万 on a row in 万平方米 is the row's unit cut short: it was cell.unit_conflict (“万平方米”与目标值中写的单位“万”
    不一致); it reads as 1.2 万平方米, with no problem."""
    out = _edited(tmp_path, "goal-table", {(4, "comparator"): "≥", (4, "target"): "1.2万", (4, "unit"): "万平方米"})
    report = validate_file(out)
    assert not [p for p in report.problems if p.path.startswith("/indicators/4/")], report.problems
    assert (report.document["indicators"][4]["value"], report.document["indicators"][4]["unit"]) == (1.2, "万平方米")


@pytest.mark.parametrize("form_id", list(FUNDS))
def test_an_amount_in_wan_in_a_funds_block_says_the_exact_amount(fractions_typed, form_id):
    """The funds blocks' amount cells (全年预算数, 全年执行数) typed 1.5亿元 or 2680.5万元: the error says the exact
    amount in 元 to type, at the cell."""
    path, _, exact = FUNDS[form_id]
    f = FORM[form_id].field(path)
    (p,) = [p for p in fractions_typed(form_id).problems if p.path == path]
    assert p.code in ("cell.amount_wan", "cell.amount_yi") and p.cell == f.cell, p
    assert f"应填写 {exact}" in p.message and f"enter {exact}" in p.message_en, (p.message, p.message_en)
