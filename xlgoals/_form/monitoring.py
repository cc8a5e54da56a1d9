"""The 项目支出绩效运行监控表 (mid-year monitoring report, "双监控"), declared once, on the same machinery.

A department receives it made from its approved goal table, for a month N (1–12) the bureau
chooses: the targets and their ids are filled in and locked; the department enters the funds
block (年初预算数, 全年预算数, 1–N月执行数, 全年预计执行数; 执行率 and 序时进度 = N/12 are computed
cells) and, for each indicator, 1–N月执行情况, 全年预计完成情况, 偏差原因类别 (a dropdown), 偏差原因分析及
改进措施, 完成目标可能性 (a dropdown) and 备注.

The declaration takes a parameter, ``month``: labels name it as ``{month}`` and the writer and the
reader use the form bound to a month (``MONITORING.bind(month=6)``: ``1-{month}月执行数`` becomes
``1-6月执行数``).  The month is in the workbook's stamp (``…|month=6``) and in the document.  Fields
the forms share are the goal table's and the self-evaluation's own declarations, so their labels
are written once.  Bump ``layout_version`` when any position changes, and keep the older layout in
``OLDER_LAYOUTS`` so that its returns still read.

Layout 2 added 单位负责人 and the empty 单位（盖章） area after the contact fields (nothing above them moved;
the stamp moved down): the printed report is stamped, and the signature block prints on one page.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ._kinds import coded_kind
from ._paper import row_capacity
from ._model import (Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, Param, PrintSetup, TableSheet,
                     Validation)
from .goal_table import GOAL_TABLE, NOT_IN_LIST, PICK
from .self_evaluation import (_AMOUNT_HEADERS, AMOUNT_WIDTH, CLOSING_LINE, RATE, RATE_FORMULA, RESULT_WIDTH,
                              SELF_EVALUATION, TABLE_PRINT, rate, signature)

_GT, _SE = GOAL_TABLE, SELF_EVALUATION

#: 偏差原因类别: document code -> what the cell shows.
DEVIATION_CATEGORIES = {"funding": "经费保障", "policy": "制度保障", "staffing": "人员保障",
                        "facilities": "硬件条件保障", "other": "其他"}
#: 完成目标可能性: document code -> what the cell shows.
LIKELIHOODS = {"certain": "确定能", "possible": "有可能", "impossible": "完全不可能"}
#: 完成目标可能性 as departments also type it: 不可能 is 完全不可能 (no other choice says 不可能; 可能 alone, which
#: 有可能 and 完全不可能 both end in, stays unreadable).
LIKELIHOODS_ALSO = {"不可能": "impossible"}

coded_kind("deviation_category", DEVIATION_CATEGORIES)
coded_kind("likelihood", LIKELIHOODS, also=LIKELIHOODS_ALSO)

#: Month 1 says 1月, not 1-1月 (its templates issued before this said 1-1月: their returns still read, the reader
#: taking the heads the sheet holds, ``Form.label_variants``).
MONTH = Param("month", 1, 12, label="报告月份", label_en="Reporting month",
              at_minimum=(("1-{month}月", "1月"), ("months 1-{month}", "month 1")))


def months_said(month, lang: str = "zh") -> str:
    """The months a report of `month` covers, as a form says them: 1-6月 (months 1-6), and 1月 (month 1) for
    month 1, never 1-1月."""
    if lang == "en":
        return "month 1" if month == 1 else f"months 1-{month}"
    return "1月" if month == 1 else f"1-{month}月"


def _se_column(key: str, **changes) -> Column:
    return replace(_SE.table.declared(key), **changes)


def _schedule(values, params):
    """序时进度: N/12."""
    return float(Decimal(params["month"]) / 12)


_EXECUTED = "1-{month}月执行数（元）"
_EXPECTED = "全年预计执行数（元）"

_FUNDS = FieldGrid(
    corner=_SE.info.grids[0].corner,
    headers=(*_AMOUNT_HEADERS[:2], _EXECUTED, RATE, "序时进度", _EXPECTED),
    lines=(
        ("项目资金", (
            Field("/funds/initial_budget", _AMOUNT_HEADERS[0], "Initial budget (yuan)", "amount", required=True),
            Field("/funds/full_year_budget", _AMOUNT_HEADERS[1], "Full-year budget, as adjusted (yuan)", "amount",
                  required=True),
            Field("/funds/executed_to_date", _EXECUTED, "Executed in months 1-{month} (yuan)", "amount",
                  required=True),
            Computed(RATE_FORMULA, ("/funds/full_year_budget", "/funds/executed_to_date"), rate,
                     title_en="Funds execution rate"),
            Computed("={month}/12", (), _schedule, title_en="Share of the year elapsed"),
            Field("/funds/expected_full_year", _EXPECTED, "Expected to be executed in the year (yuan)", "amount",
                  required=True),
        )),
    ),
)

_CONTACT = (_SE.field("/contact/name"), _SE.field("/contact/phone"), _SE.field("/contact/date"))

_INFO_OPTIONS = dict(
    name="监控信息",
    title="{title}（{year}年1-{month}月）",
    stamp_label=_GT.info.stamp_label,
    value_span=6,
    span_widths=(AMOUNT_WIDTH,) * 3 + (10, 10, AMOUNT_WIDTH),  # the amounts, 执行率, 序时进度, 全年预计执行数
    label_width=22,
    print=PrintSetup(landscape=True, repeat_rows=(0, 0)),
    validations={**_SE.info.validations},
)
_HEADER = (
    _SE.field("/year"),
    _SE.field("/unit"),
    _SE.field("/project/name"),
    _SE.field("/targets_sha256"),
    _FUNDS,
)
_INFO = FieldSheet(**_INFO_OPTIONS, fields=(*_HEADER, *signature(_CONTACT)))


_TABLE = TableSheet(
    name="指标监控",
    name_en="Indicator monitoring",
    title="{year}年1-{month}月绩效目标运行监控",
    caption=_SE.table.caption,
    print=TABLE_PRINT,  # landscape, the caption (单位, 项目) and the header on every page
    default_rows=1,
    insert_rows=False,  # one row per approved target
    ends_at_blank=True,  # ... one after another: a note typed below them, after a blank line, is no row
    fit_rows=True,
    max_rows=_GT.table.max_rows,
    columns=(
        # the widths: a 300-character 偏差原因 prints whole in a row of Excel's 409 pt (it was 18 wide: ~530 pt),
        # taken from columns whose values are short (编号 I001; 比较符 and 计量单位, a line of two Chinese characters
        # as before) and from 三级指标 (prefilled, locked: five characters a line, not seven), the headers' lines as
        # many; the results keep 12 digits a line and 年度指标值 10 (test_print); 序号, 一级指标, 二级指标 and 备注说明
        # (7: about 80 characters a row, 填表说明 七 says so) hold as many characters a line as they did.  A
        # 135 wide in all (137 before): LibreOffice fits it to the page's width at no smaller a scale than before
        # (three quarters, test_print; at 三级指标 13 it printed a long-named table smaller, 0.74)
        _se_column("seq", width=3.6),  # 3 digits; the heading a character a line, as at 4
        _se_column("id", width=5),
        _se_column("level1", width=10.6),  # 满意度指标 on one line, as at 11
        _se_column("level2", width=8.5),  # 数量指标 on one line, as at 9
        _se_column("name", width=12),
        _se_column("comparator", width=5),
        _se_column("target", width=10),
        _se_column("unit", width=5),
        Column("progress", "1-{month}月执行情况", "Progress, months 1-{month}", "actual", RESULT_WIDTH,
               validation=Validation("{progress}", "定量指标填写截至本月的完成数（数字，单位同计量单位）；定性指标填写文字描述")),
        Column("expected", "全年预计完成情况", "Expected for the year", "actual", RESULT_WIDTH,
               validation=Validation("{expected}", "定量指标填写全年预计完成数（数字）；定性指标填写文字描述")),
        Column("deviation_category", "偏差原因类别", "Deviation category", "deviation_category", 8,
               list="deviation_categories",
               validation=Validation("{deviation_category}", "预计不能完成目标时，" + PICK + "偏差原因的类别",
                                     NOT_IN_LIST, PICK + "：" + "、".join(DEVIATION_CATEGORIES.values()) + "。")),
        _se_column("deviation", width=24.3),  # 23 units a line (_paper._per_line): 11 characters
        Column("likelihood", "完成目标可能性", "Likelihood of meeting the target", "likelihood", 10,
               list="likelihoods",
               validation=Validation("{likelihood}", PICK + "：" + "、".join(LIKELIHOODS.values()), NOT_IN_LIST,
                                     PICK + "：" + "、".join(LIKELIHOODS.values()) + "。")),
        Column("note", "备注说明", "Note", "longtext", 7, style="text"),  # 3 characters a line, as at 8
    ),
)

def guide_values(rules, fw=None) -> dict[str, str]:
    """The monitoring guide's words from the rule table in force (a bureau's --rules changes them as it changes the
    checks): {unlikely_reason}, line 八's “；选择“完全不可能”的，须在 … 中说明原因和改进措施” naming every likelihood a
    rule of check kind ``unlikely_without_reason`` in force asks a reason for (its ``likelihoods``), "" where none
    is in force; {deviation_holds}, {note_holds}: about how many characters 偏差原因分析及改进措施 and 备注说明
    print whole in a row of Excel's and WPS's 409 pt (line 七: known before typing, not from validate's
    cell.row_too_short); {budget_cap_line}, line 五 (the expected spending within the full-year budget), "" where
    monitor.expected_over_budget is off (the line is left out, the others renumbered)."""
    asked: list[str] = []
    for rd, params, _ in rules.business:
        if rd.check == "unlikely_without_reason":
            asked += [k for k in params.get("likelihoods") or () if k in LIKELIHOODS and k not in asked]
    deviation = next((c.label for c in _TABLE.columns if c.key == "deviation"), "偏差原因")
    which = "或".join(f"“{LIKELIHOODS[k]}”" for k in LIKELIHOODS if k in asked)
    holds = {f"{c.key}_holds": str(row_capacity(c.width)) for c in _TABLE.columns if c.key in ("deviation", "note")}
    return {**holds, "unlikely_reason": f"；选择{which}的，须在{deviation}中说明原因和改进措施" if which else "",
            "budget_cap_line": "" if rules.is_off("monitor.expected_over_budget") else "五、全年预计执行数不得超过全年预算数。"}


_GUIDE = GuideSheet(
    name=_GT.guide.name,
    title="填表说明（{year}年1-{month}月绩效运行监控）",
    # each line at most two printed lines at this width: the guide's rows are two lines high
    width=70,
    lines=(
        "一、本工作簿由财政局根据批复的绩效目标表生成，用于报告截至本月的绩效目标实现情况和预算执行情况（“双监控”）。",
        "二、请勿增删、重命名工作表，勿插入或删除行、列，否则无法导入。灰色单元格为批复的绩效目标及其编号，不得修改；浅黄色单元格为填写区域。",
        "三、在“{info}”工作表中填写资金情况，单位为元（不要填写“万元”）：年初预算数、调整后的全年预算数、截至本月的执行数和全年预计执行数。",
        "四、执行率（执行数 ÷ 全年预算数）和序时进度（月份 ÷ 12）自动计算；执行率低于序时进度较多的，财政局将予以关注。",
        "{budget_cap_line}",
        "六、在“{table}”工作表中逐行填写{progress}和{expected}：定量指标填写数字（单位同{unit}），定性指标填写文字描述。",
        "七、预计全年不能完成年度指标值的，请选择{deviation_category}，并在{deviation}中说明原因和拟采取的措施"
        "（打印时一格可容纳约 {deviation_holds} 字，{note}约 {note_holds} 字，更多内容请精简或另附说明）。",
        "八、{likelihood}请选择“确定能”“有可能”或“完全不可能”{unlikely_reason}。",
        CLOSING_LINE,
    ),
    values=guide_values,
)

MONITORING = Form(
    id="monitoring",
    title="项目支出绩效运行监控表",
    title_en="Project expenditure performance monitoring report",
    layout_version=2,  # 2: 单位负责人 and 单位（盖章） after the contact fields
    schema_file="monitoring.schema.json",
    guide=_GUIDE,
    info=_INFO,
    table=_TABLE,
    lists_sheet=_GT.lists_sheet,
    lists=(("deviation_categories", tuple(DEVIATION_CATEGORIES.values())),
           ("likelihoods", tuple(LIKELIHOODS.values()))),
    names_itself=True,
    params=(MONTH,),
)

#: Layouts no longer issued, kept so that returns made from them still read (their stamps name the layout).
OLDER_LAYOUTS = (
    # 1: no 单位负责人 and no seal area
    replace(MONITORING, layout_version=1, info=FieldSheet(**_INFO_OPTIONS, fields=(*_HEADER, *_CONTACT))),
)
