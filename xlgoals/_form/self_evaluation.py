"""The 项目支出绩效自评表 (year-end self-evaluation), declared once, on the goal table's machinery.

A department receives it made from its approved goal table: the targets, each row's 分值 and
the funds block's 分值 are filled in and locked; the department enters 实际完成值, 完成等级
(qualitative rows), 得分, 偏差原因分析及改进措施, the funds block and the overall result.
Fields the two forms share (unit, project, 一级/二级/三级, comparator, unit, 分值) are the goal
table's own declarations, so their labels are written once.  Bump ``layout_version`` when any
position changes, and keep the older layout in ``OLDER_LAYOUTS`` so that its returns still read.

Layout 3 added 单位负责人 and the empty 单位（盖章） area after the contact fields (nothing above them moved;
the stamp moved down): the printed form is stamped, and the signature block prints on one page.

Two locked cells are computed, as on the national form (财预〔2020〕10号): 执行率 in the funds block and
总分 on the line right below the indicator rows.  Each is an Excel formula with its value cached
(exact decimals) for applications that do not recalculate; neither is part of the document or read.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import replace

from .._decimals import dec, ratio, round2
from ._kinds import GRADE_DISPLAY
from ._model import (Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, PrintSetup,
                     TableSheet, TotalRow, Validation)
from .goal_table import GOAL_TABLE, NOT_IN_LIST, signature as goal_table_signature

_GT = GOAL_TABLE


def _gt_field(source: str, **changes) -> Field:
    return replace(_GT.field(source), **changes)


def _gt_column(name: str, **changes) -> Column:
    declared = _GT.table.declared(name)
    return replace(declared, **{"list": None, "chosen": bool(declared.list), "validation": None, "optional": False,
                                **changes})


_POINTS = _GT.column_label("weight")  # 分值: one label for both forms

_AMOUNT_HEADERS = ("年初预算数（元）", "全年预算数（元）", "全年执行数（元）")


def _amounts(prefix: str, labels: tuple[str, str, str], name_en: str,
             required: bool = False) -> tuple[Field, Field, Field]:
    """A funds line's three amounts; each label is written out (labels are single-source constants).  The total
    line's are `required`: the funds score is computed from them (the 其中 lines may be left blank)."""
    keys = (("initial_budget", "initial budget"), ("full_year_budget", "full-year budget"), ("executed", "executed"))
    return tuple(Field(f"{prefix}/{key}", label, f"{name_en}: {en} (yuan)", "amount", required=required)
                 for (key, en), label in zip(keys, labels, strict=True))


RATE = "执行率"  # the funds block's column title; the monitoring report's too

#: 执行率 = 全年执行数 ÷ 全年预算数, blank until both are numbers and the budget is above 0 (the monitoring
#: report's over its 1-N月执行数).  {0} is the budget's cell, {1} the executed amount's.
RATE_FORMULA = '=IF(AND(ISNUMBER({0}),ISNUMBER({1}),N({0})>0),{1}/{0},"")'


def rate(values, params):
    """执行率 as the workbook caches it: executed ÷ budget in exact decimals (the formula's value), None when blank."""
    budget, executed = (dec(v) for v in values)
    r = ratio(executed, budget)
    return None if r is None else float(r)


#: dec of a score, kept (a form's 分值 split equally, and the 得分 of rows given full points, repeat): a float's repr
#: and its Decimal cost some 5,000 instructions each, 31 a return.  By value and type (1 and 1.0 apart); 0.0 and -0.0
#: are one key, and sum to the same total from _total's start of 0.
_dec_kept = functools.lru_cache(maxsize=1024, typed=True)(dec)


def _total(values, params):
    """总分 as the workbook caches it: 资金得分 + the indicators' 得分 (numbers only, as N() and SUM take them),
    exact decimals rounded to cents; None (blank) while there is no score at all."""
    funds, scores = values
    numbers = [d for d in map(_dec_kept, (funds, *scores)) if d is not None]
    if not numbers:
        return None
    return float(round2(sum(numbers, start=dec(0))))


_LINES = (
    ("年度资金总额", _amounts("/funds", ("年度资金总额年初预算数（元）", "年度资金总额全年预算数（元）",
                                          "年度资金总额全年执行数（元）"), "Total funds", required=True)),
    ("其中：财政拨款", _amounts("/funds/sources/fiscal", ("财政拨款年初预算数（元）", "财政拨款全年预算数（元）",
                                                       "财政拨款全年执行数（元）"), "Fiscal appropriation")),
    ("上年结转", _amounts("/funds/sources/carryover", ("上年结转年初预算数（元）", "上年结转全年预算数（元）",
                                                     "上年结转全年执行数（元）"), "Carry-over")),
    ("其他资金", _amounts("/funds/sources/other", ("其他资金年初预算数（元）", "其他资金全年预算数（元）",
                                                 "其他资金全年执行数（元）"), "Other funds")),
)
_FUNDS_POINTS = Field("/funds/points", "资金分值", "Funds points", "number", locked=True)
_FUNDS_SCORE = Field("/funds/score", "资金得分", "Funds score", "number")


def _funds(with_rate: bool) -> FieldGrid:
    """The funds block: its amounts, then (layout 2 on) 执行率, then 分值 and 得分 on the total line only,
    as on the national form (其中 lines show no rate, points or score)."""
    (title, amounts), *sources = _LINES
    rate_cell = (Computed(RATE_FORMULA, ("/funds/full_year_budget", "/funds/executed"), rate,
                          title_en="Funds execution rate"),) if with_rate else ()
    blanks = (None,) * (len(rate_cell) + 2)
    return FieldGrid(
        corner="资金情况",
        headers=(*_AMOUNT_HEADERS, *((RATE,) if with_rate else ()), _POINTS, "得分"),
        lines=((title, (*amounts, *rate_cell, _FUNDS_POINTS, _FUNDS_SCORE)),
               *((t, (*a, *blanks)) for t, a in sources)),
    )


_FUNDS = _funds(with_rate=True)


#: 填报人, 联系电话, 填报日期 (the goal table's, 填报人 under /contact/name as this form's documents have it).
CONTACT = (_gt_field("/contact/person", path="/contact/name", required=True),
           _gt_field("/contact/phone", required=True),
           _gt_field("/contact/date", required=True))


def signature(contact: tuple[Field, ...]) -> tuple:
    """The contact fields, 单位负责人 and the seal's area kept on one page with them (layout 3 on): the goal table's
    block, with this form's contact fields."""
    return goal_table_signature(contact, _gt_field("/contact/head"))


def _info(funds: FieldGrid, signed: bool = True, **options) -> FieldSheet:
    return FieldSheet(
        name="自评信息",
        title="{title}（{year}年度）",
        stamp_label=_GT.info.stamp_label,
        label_width=24,
        print=PrintSetup(repeat_rows=(0, 0)),
        validations={
            **_GT.info.validations,
            "number": Validation("{label}", "请填写 0 至 100 之间的数字，最多两位小数。", "得分不正确",
                                 "得分应为 0 至 100 之间的数字。", minimum=0, maximum=100),
            "date": Validation("{label}", "请输入日期，如 2021-01-15", "日期格式不正确",
                               "请输入 1990-01-01 至 2100-12-31 之间的日期，如 2021-01-15。",
                               minimum=dt.date(1990, 1, 1), maximum=dt.date(2100, 12, 31)),
        },
        fields=(
            _gt_field("/year"),
            _gt_field("/unit", locked=True),
            _gt_field("/project/name", locked=True),
            Field("/targets_sha256", "绩效目标表摘要（SHA-256）", "Goal table digest (SHA-256)", "text", locked=True,
                  required=True, short="目标表摘要"),
            funds,
            Field("/funds/deviation", "预算执行偏差原因", "Reason for budget execution below target", "longtext"),
            Field("/overall/target", "总体目标", "Overall goal", "longtext", locked=True),
            Field("/overall/achieved", "总体目标实际完成情况", "Overall goal: what was achieved", "longtext",
                  required=True),
            *(signature(CONTACT) if signed else CONTACT),
        ),
        **options,
    )


#: The width of a grid column of amounts: the largest amount a cell takes (15 significant digits,
#: 9,999,999,999,999.99) shows whole rather than as ###.
AMOUNT_WIDTH = 19

#: The width of a column a department types a result into (实际完成值, the monitoring report's 1-N月执行情况 and
#: 全年预计完成情况): a number of 12 digits (123456789012) prints on one line, its digits as wide as the
#: character the width counts (the cells' font is the workbook's default); 11 wrapped it after the 11th digit.
RESULT_WIDTH = 13

# the three amounts, 执行率, 分值 and 得分; with the label column no wider than six columns of 14.5 were
_INFO = _info(_FUNDS, value_span=6, span_widths=(AMOUNT_WIDTH,) * 3 + (10, 8, 8))

#: The page of the self-evaluation's and the monitoring report's tables: landscape, the caption (单位, 项目) and the
#: header on every page, side margins of 0.4 in (10 mm).  With their columns (138 and 137 characters) the table fits
#: the page's width at about 75 % where a character is as wide as LibreOffice takes 宋体's when it substitutes
#: DejaVu Sans (9.3 px), about 88 % at 宋体's own 8 px (Excel, WPS); it was 63-66 % and 74-77 %.
TABLE_PRINT = PrintSetup(landscape=True, repeat_rows=(1, 2), margins=(0.4, 0.4, 0.7, 0.7))

_TABLE = TableSheet(
    name="指标自评",
    name_en="Indicator self-evaluation",
    title="{year}年度绩效指标自评",
    caption=(("单位名称：", "/unit"), ("　　项目名称：", "/project/name")),
    print=TABLE_PRINT,
    default_rows=1,
    insert_rows=False,  # one row per approved target: rows are not added here
    fit_rows=True,
    # a page break, where one is needed (to keep 总分 with its rows), stands before a 一级 group (产出目标, 效果目标 ...):
    # a break between any two rows, planned as the rows stood at fill time, went stale as the department typed and
    # the rows grew; no break leaves a page mostly blank (_write._workbook.MIN_BREAK_FILL)
    page_groups="level1",
    max_rows=_GT.table.max_rows,
    # 总分 ends the table, as it ends the national form: right below the item rows, under 得分.  The sheet has
    # exactly one row per approved target and refuses inserted rows (insert_rows=False), so "after the
    # table" is a fixed place; the SUM spans every item row, so a row inserted among them (where a client
    # ignores the protection) is still summed.  The reader skips the line by its label.
    total=TotalRow("总分", "score", Computed('=IF(COUNT({0},{1})=0,"",ROUND(N({0})+SUM({1}),2))',
                                            ("/funds/score", "/indicators/*/score"), _total, style="score")),
    columns=(
        _gt_column("seq", width=5),
        Column("id", "指标编号", "Indicator id", "text", 7, locked=True),
        _gt_column("level1", locked=True, width=11),
        _gt_column("level2", locked=True, width=9),
        _gt_column("name", locked=True, width=20),
        _gt_column("comparator", locked=True, width=6),
        Column("target", "年度指标值", "Target", "target", 12, keys=("value", "text"), locked=True),
        _gt_column("unit", locked=True, width=6),
        Column("actual", "实际完成值", "Actual", "actual", RESULT_WIDTH,
               validation=Validation("{actual}", "定量指标填写数字（单位同计量单位）；定性指标填写文字描述")),
        Column("grade", "完成等级", "Grade", "grade", 12, list="grades", rows="qualitative",
               validation=Validation("{grade}", "定性指标请从下拉列表中选择完成等级", NOT_IN_LIST,
                                     "请从下拉列表中选择：" + "、".join(GRADE_DISPLAY.values()) + "。")),
        _gt_column("weight", key="points", label_en="Points", locked=True, width=6),
        Column("score", "得分", "Score", "number", 7, unreadable="cell.number",
               validation=Validation("{score}", "填写本指标得分（不超过分值，最多两位小数）", "得分不正确",
                                     "得分应为 0 至 100 之间的数字。", minimum=0, maximum=100)),
        Column("deviation", "偏差原因分析及改进措施", "Reasons for deviation and improvements", "longtext", 24,
               style="text"),
    ),
)

#: The guide's last line, as the self-evaluation and the monitoring report (made from the same targets) end.
CLOSING_LINE = "九、填写完成后请保存为 .xlsx 格式，打印盖章后连同电子文件一并报送。“{info}”工作表底部的“{stamp}”请勿修改。"


def strictest(rules, kind: str, key: str, stricter):
    """The `key` parameter (a Decimal) of the rules of check kind `kind` in the table in force (`rules`), the
    stricter (`stricter`: max or min) where two disagree: validate runs every rule of the table (a bureau's --rules
    adds its own under a code of its own, beside the packaged one), so a department is asked as soon as one rule
    asks; None where no rule of the kind is in force (the packaged one replaced by a rule of another kind)."""
    found = [dec(params[key]) for rd, params, _ in rules.business if rd.check == kind and key in params]
    return stricter(found) if found else None


def guide_values(rules, fw=None) -> dict[str, str]:
    """The guide's numbers, from the rule table in force (`rules`: a bureau's --rules changes them) by check kind, as
    validate applies them: {execution_reason} says execution_explained's highest min_rate, {over_reason}
    deviation_required's lowest over (1.3: 30 % over), each "" where no rule of its kind is
    in force; {deviation_asked} and {deviation_optional} line 七's 须填写 where a deviation_required rule is in force,
    可填写 … （非必填） where none is (nothing asks a reason then: the line keeps its number, the column may be
    filled in); and the scoring table's words (``scoring_words``: framework `fw`'s own table, its "scoring")."""
    from .._decimals import percent
    from .._selfeval._scoring import scoring_of

    min_rate = strictest(rules, "execution_explained", "min_rate", max)
    over = strictest(rules, "deviation_required", "over", min)
    asked = over is not None  # (its “over” is required: every deviation_required rule gives one)
    return {"execution_reason": "" if min_rate is None else f"执行率低于 {percent(min_rate)} 时请填写偏差原因。",
            "over_reason": "" if over is None else f"，或正向指标实际完成值超过目标 {percent(over - 1)} 及以上",
            "deviation_asked": "须" if asked else "可", "deviation_optional": "" if asked else "（非必填）",
            **scoring_words(scoring_of(fw))}


#: The qualitative grades as the guide names them, by their codes in scoring.csv's conditions (grade == "partly").
_GRADE_WORDS = {"achieved": "达成年度指标", "partly": "部分达成", "not_achieved": "未达成"}


def scoring_words(table) -> dict[str, str]:
    """The guide's words of the scoring table's rows: {far_over}, the multiple of a ≤ target at which a row scores 0
    (le_far_over: ``actual >= 2 * target``); {qualitative_bands}, each grade's band of the points; {grades}, the
    totals' grades (``total >= 90`` 优 … ``total < 60`` 差).  ValueError where the rows are not of these shapes (the
    packaged table's; a test writes the guide from it)."""
    from decimal import Decimal

    from .._decimals import percent
    from ._kinds import format_number

    def shown(text: str, pattern: str) -> str:
        m = re.fullmatch(pattern, text.strip())
        if m is None:
            raise ValueError(f"scoring.csv: '{text}' is not of the shape the guide says ({pattern})")
        return format_number(Decimal(m.group(1)))

    far = [r for r in table.rules if "<=" in r.applies_to and r.score is not None and r.score.text.strip() == "0"]
    if not far:
        raise ValueError("scoring.csv: no row scoring a ≤ target 0 (le_far_over) for the guide to say")
    far_over = shown(far[0].when.text, r"actual\s*>=\s*([0-9.]+)\s*\*\s*target")
    bands = []
    for r in table.rules:
        if r.band is None:
            continue
        m = re.fullmatch(r'grade\s*==\s*"(\w+)"', r.when.text.strip())
        if m is None or m.group(1) not in _GRADE_WORDS:
            raise ValueError(f"scoring.csv: '{r.when.text}' is not of the shape the guide says (grade == \"partly\")")
        low, high = percent(r.band.low), percent(r.band.high)
        if r.band.low == 0:
            span = f"{high} 及以下" if r.band.high_inclusive else f"{high} 以下"
        else:
            span = f"{low}–{high}" + ("" if r.band.high_inclusive else f"（不含 {high}）")
        bands.append(f"{_GRADE_WORDS[m.group(1)]}为{'' if bands else '分值的'} {span}")
    grades, above = [], None
    for r in table.rules:
        if "total" not in r.applies_to:
            continue
        m = re.fullmatch(r"total\s*(>=|<)\s*([0-9.]+)", r.when.text.strip())
        if m is None:
            raise ValueError(f"scoring.csv: '{r.when.text}' is not of the shape the guide says (total >= 90)")
        n = format_number(Decimal(m.group(2)))
        if m.group(1) == "<":
            grades.append(f"{n} 分以下为{r.grade}")
        elif above is None:
            grades.append(f"{n} 分及以上为{r.grade}")
        else:
            grades.append(f"{n}–{above} 分为{r.grade}")
        above = n
    return {"far_over": far_over, "qualitative_bands": "，".join(bands), "grades": "，".join(grades),
            **_formula_words(table, far_over)}


#: Line 三's and line 五's words for the packaged scoring table's rows, by the group of rows they state: kept where a
#: bureau's table scores a group as the packaged one does, so that the printed guide stays short.
_PACKAGED_WORDS = {
    "funds": "资金得分 = 分值 × 执行率（执行率 = 全年执行数 ÷ 全年预算数，自动计算；计分时最高为 100%）",
    "positive": "正向指标（≥、＞）达到目标得满分，未达到按 实际值 ÷ 目标值 计分",
    "negative": "反向指标（≤、＜）未超过目标得满分，超过按 1 − 超出部分 ÷ 目标值 计分，达到目标值 {far_over} 倍及以上得 0 分",
    "equal": "＝ 指标低于目标按正向计分，高于目标按超出比例扣分",
}
#: The groups of rows and the comparators (or funds) whose rows each states, with the heading a bureau's own rows
#: are given under.
_GROUPS = (("funds", ("funds",), ""), ("positive", (">=", ">"), "正向指标（≥、＞）："),
           ("negative", ("<=", "<"), "反向指标（≤、＜）："), ("equal", ("=",), "＝ 指标："))


def _group_key(table, keys: tuple) -> tuple:
    """What the rows of a group score: each row's comparators, condition and score, in order (a ≤ row's multiple of
    the target, which the words say as {far_over}, left out)."""

    def when(text: str) -> str:
        return re.sub(r"[0-9.]+\s*\*\s*target", "K * target", " ".join(text.split()))

    return tuple((tuple(sorted(set(r.applies_to) & set(keys))), when(r.when.text), " ".join(r.score.text.split()))
                 for r in table.rules if set(r.applies_to) & set(keys) and r.score is not None)


@functools.lru_cache(maxsize=1)
def _packaged_groups(packaged) -> dict[str, tuple]:
    """_group_key of each of _GROUPS in the packaged scoring table `packaged` (ScoringTable.load(None), itself cached:
    keyed by it, so that an installed table replaced and its cache cleared is read again), once, not per template."""
    return {group: _group_key(packaged, keys) for group, keys, _ in _GROUPS}


def _formula_words(table, far_over: str) -> dict[str, str]:
    """{funds_formula} (line 三) and {indicator_formulas} (line 五): a group of rows that scores as the packaged table's
    is said in the packaged words; another (a bureau's own funds formula, say) by its rows' formula_zh, as validate's
    messages say them with the score it recomputes."""
    from .._selfeval._scoring import ScoringTable

    packaged = _packaged_groups(ScoringTable.load(None))
    words = {}
    for group, keys, heading in _GROUPS:
        if _group_key(table, keys) == packaged[group]:
            words[group] = _PACKAGED_WORDS[group].format(far_over=far_over)
        else:
            own = [r.formula_zh.strip().rstrip("。；;") for r in table.rules if set(r.applies_to) & set(keys)]
            words[group] = heading + "；".join(own)
    return {"funds_formula": words["funds"],
            "indicator_formulas": "；".join(words[g] for g in ("positive", "negative", "equal"))}


_GUIDE = GuideSheet(
    name=_GT.guide.name,
    title="填表说明（{year}年度绩效自评）",
    lines=(
        "一、本工作簿由财政局根据批复的绩效目标表生成，用于年度绩效自评。请勿增删、重命名工作表，勿插入或删除行、列，否则无法导入。",
        "二、灰色单元格为批复的绩效目标和分值，已锁定，不得修改；浅黄色单元格为填写区域。",
        "三、在“{info}”工作表中填写资金情况（单位：元，不要填写“万元”）：年初预算数、全年预算数、全年执行数及其资金来源，"
        "{funds_formula}。{execution_reason}",
        "四、在“{table}”工作表中逐行填写{actual}：定量指标填写数字（单位同{unit}），定性指标填写文字描述并选择{grade}。",
        "五、定量指标的{score}按规则计算：{indicator_formulas}。",
        "六、定性指标的{score}：{qualitative_bands}。",
        "七、{score}低于{points}{over_reason}的，{deviation_asked}填写{deviation}{deviation_optional}。",
        "八、总分 = 资金得分 + 各指标得分之和，在“{table}”工作表末行自动计算；"
        "{grades}。",
        CLOSING_LINE,
    ),
    values=guide_values,
)

SELF_EVALUATION = Form(
    id="self-evaluation",
    title="项目支出绩效自评表",
    title_en="Project expenditure performance self-evaluation",
    # 2: 执行率 in the funds block (分值 and 得分 one column right), 总分 below the table;
    # 3: 单位负责人 and 单位（盖章） after the contact fields
    layout_version=3,
    schema_file="self-evaluation.schema.json",
    guide=_GUIDE,
    info=_INFO,
    table=_TABLE,
    lists_sheet=_GT.lists_sheet,
    lists=(("grades", tuple(GRADE_DISPLAY.values())),),
    names_itself=True,
    recorded=("points_source", ("weights", "points")),  # the points file its 分值 came from (--weights), or none
)

#: Layouts no longer issued, kept so that returns made from them still read (their stamps name the layout).
OLDER_LAYOUTS = (
    # 2: no 单位负责人 and no seal area
    replace(SELF_EVALUATION, layout_version=2, info=_info(_FUNDS, signed=False, value_span=6, span_width=14.5)),
    # 1: no 执行率 (five grid columns of 17) and no 总分 line
    replace(SELF_EVALUATION, layout_version=1,
            info=_info(_funds(with_rate=False), signed=False, value_span=5, span_width=17),
            # no 总分 to end the table: its rows are issued one per target, one after another (insert_rows False),
            # so a blank row ends it, and a note typed below is no row (as the monitoring report's)
            table=replace(_TABLE, total=None, ends_at_blank=True)),
)
