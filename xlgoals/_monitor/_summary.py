"""The summary of monitoring reports: budget execution against the time schedule per unit, projects and
indicators at risk.

Like the other forms' summaries (``_consolidate._tables``, ``_selfeval._summary``): ``extract`` runs in the
workers on one document, ``tables`` once on all records; the renderers write the same tables to xlsx,
CSV and JSON.  Money, 执行率 and the time schedule are exact decimals (the red/amber/green decision
never divides); the threshold of the red mark is the ``gap`` of the rule ``monitor.behind_schedule`` in
the rule table in force.  Column headers come from the form, bound to the reports' month.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from .._consolidate._tables import register
from .._consolidate._collect import ReturnRecord, Status
from .._consolidate._xlsxrows import Money
from .._consolidate._table import (CODE_SUFFIX, data_level1_last, path_bytes_col, return_key, return_key_cols, validation_row_count, Col, ItemColumn, ItemTable, Table, UnitProjectSummary, _number, _text,
                                   count_missing, data_by_year, data_unit_key, heading_of, made_on_date, record_year, Units, SUMMARY_UNIT, TARGETS_TITLE, UNIT_KEY)
from .._form import FORMS
from .._form.monitoring import months_said
from .._pointers import get
from .._paths import exact_path
from .._text import counted_en, display_name, display_path
from .._decimals import dec, round2, round4, yuan
from .._form._kinds import format_number, format_target
from ._checks import forecast_short, lag_beyond, likelihood_contradiction

FORM_ID = "monitoring"
BEHIND_RULE = "monitor.behind_schedule"
RED, AMBER, GREEN = "红", "黄", "绿"
#: The marks and their colours (fill, font), applied by conditional formatting on the mark column.
MARK_COLOURS = ((RED, "#FFC7CE", "#9C0006"), (AMBER, "#FFEB9C", "#9C5700"), (GREEN, "#C6EFCE", "#006100"))
#: A unit or counted project the marks cannot be worked out for (no month, no budget above zero, no executed amount
#: read, an amount held out as in 万元: unrated_reasons): said as such in the 进度标识 column and counted beside the
#: marks, so that the counts add up to the units listed and the projects counted
UNMARKED = "未标记"
#: Every value of the 进度标识 column, in the order the counts list them
MARKS = (*(m for m, _, _ in MARK_COLOURS), UNMARKED)
_MARK_EN = {RED: "red", AMBER: "amber", GREEN: "green", UNMARKED: "unmarked"}
# indicator risks, most serious first
RISK_IMPOSSIBLE, RISK_SHORT, RISK_POSSIBLE = "完全不可能完成", "预计达不到年度指标值", "有可能完成（存在风险）"
RISK_BEHIND, RISK_OVER = "预算执行进度滞后", "全年预计执行数超过全年预算数"


#: 指标监控: every indicator with its target, progress and expectation, the department's reasons and its risk.
INDICATORS = ItemTable(FORMS[FORM_ID], (
    ItemColumn("id", 7), ItemColumn("level1", 9), ItemColumn("level2", 9), ItemColumn("name", 18),
    ItemColumn("target", 10), ItemColumn("progress", 10), ItemColumn("expected", 10),
    ItemColumn("deviation_category", 7), ItemColumn("deviation", 22), ItemColumn("likelihood", 7),
    ItemColumn("note", 12), ItemColumn("risk", 11, "风险", computed=True),
    # off paper: the coded choices as codes (>=; certain; as documents and frames give them), beside their labels
    ItemColumn("comparator", 7, code=True, printed=False), ItemColumn("deviation_category", 9, code=True, printed=False),
    ItemColumn("likelihood", 9, code=True, printed=False),
    # off paper: the goal table's digest, which with 指标编号 joins the row to its target
    ItemColumn("targets_sha256", 20, TARGETS_TITLE, computed=True, printed=False)), unit_width=13, project_width=15)
# (one landscape page wide, fitted, at about 75 %)
# what 风险清单 takes of an indicator's row, in the order _risk_rows lists them
_RISK_KEYS = ("id", "name", "target", "progress", "expected", "likelihood", "deviation_category", "deviation")
_RISK_AT = tuple(INDICATORS.at[k] for k in _RISK_KEYS)  # their places in the row, found once
# and, off 风险清单's paper, the codes of its coded choices (certain, policy; as 指标监控's code columns give them)
_RISK_CODES = ("likelihood", "deviation_category")
_RISK_CODE_AT = tuple(next(i for i, c in enumerate(INDICATORS.columns, start=2) if c.key == k and c.code)
                      for k in _RISK_CODES)

#: The red mark's threshold when the rule table gives none (monitor.behind_schedule's gap): 10 percentage points.
DEFAULT_GAP = Decimal("0.1")


def indicator_risk(ind: dict, table=None) -> str | None:
    """Why an indicator is at risk: impossible, short of its target (as monitor.expected_short says it: not met as
    `table`, the year-end scoring table, scores it: ``forecast_short``), or only possible; None when it is not."""
    if ind.get("likelihood") == "impossible":
        return RISK_IMPOSSIBLE
    if forecast_short(ind, ind.get("expected"), Decimal(0), table):
        return RISK_SHORT
    if ind.get("likelihood") == "possible":
        return RISK_POSSIBLE
    return None


_FUNDS_KEY = "funds"


def cumulative_paths(doc) -> list[str]:
    """The JSON pointers of a monitoring report's cumulative figures: 1-N月执行数 and each indicator's 1-N月执行情况."""
    items = doc.get("indicators") if isinstance(doc, dict) else None
    return ["/funds/executed_to_date", *(f"/indicators/{i}/progress" for i, it in enumerate(items or [])
                                         if isinstance(it, dict) and dec(it.get("progress")) is not None)]


def cumulative_units(rules=None) -> frozenset:
    """The indicator units whose 1-N月执行情况 is a running total (monitor.cumulative_fell's ``units`` in the rule
    table `rules`; the packaged table's where it gives none, as a bureau's table written before the parameter):
    counts and money, not a rate, a score or a duration."""
    params = rules.params_of("monitor.cumulative_fell") if rules is not None else {}
    if "units" not in params:
        from .._check._ruletable import _packaged

        params = (_packaged().get("monitor.cumulative_fell") or (None, {}))[1]
    return frozenset(u for u in params.get("units") or () if isinstance(u, str))


def _running_total(it: dict, units: frozenset) -> bool:
    """An indicator whose 1-N月执行情况 can only rise: a unit of `units` (人次, 万元) and a target to reach or
    exceed (≥, ＞, ＝), not a ≤/＜ target (a lower figure the aim) nor a 定性 row."""
    unit = it.get("unit")
    return isinstance(unit, str) and unit.strip() in units and it.get("comparator") in (">=", ">", "=")


def cumulative_figures(doc: dict, units: frozenset | None = None) -> tuple:
    """(key, JSON pointer, (title zh, en), number as text) of each cumulative figure of a report with a number: the
    funds' 1-N月执行数 and the 1-N月执行情况 of each indicator that is a running total (``_running_total`` by
    `units`, ``cumulative_units()`` when None; keyed by its 指标编号, else its name), as the rounds of one project are
    compared (``between_rounds``)."""
    units = cumulative_units() if units is None else units
    month = doc.get("month") if isinstance(doc.get("month"), int) and not isinstance(doc.get("month"), bool) else None
    form = FORMS[FORM_ID].bind(month=month)
    funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
    out = []
    executed = dec(funds.get("executed_to_date"))
    if executed is not None:
        at = "/funds/executed_to_date"
        out.append((_FUNDS_KEY, at, (form.title_of(at), form.title_of(at, "en")), str(executed)))
    for i, it in enumerate(doc.get("indicators") or []):
        n = dec(it.get("progress")) if isinstance(it, dict) and _running_total(it, units) else None
        key = (it.get("id") or it.get("name")) if n is not None else None
        if isinstance(key, str) and key:
            at = f"/indicators/{i}/progress"
            name = it.get("name") if isinstance(it.get("name"), str) else ""
            item, item_en = form.title_of(f"/indicators/{i}"), form.title_of(f"/indicators/{i}", "en")
            zh, en = form.title_of(at), form.title_of(at, "en")
            if name and zh.startswith(item) and en.startswith(item_en):  # 第10条指标“享受职业技能补贴人数”的1-12月执行情况
                zh, en = f"{item}“{name}”{zh[len(item):]}", f"{item_en} '{name}'{en[len(item_en):]}"
            out.append((f"indicator:{key}", at, (zh, en), str(n)))
    return tuple(out)


def rounds_of(doc, rules=None) -> tuple | None:
    """A monitoring report's round, as validate compares one project's rounds across the files it is given
    (``cumulative_between_rounds``): ((unit, project, year) as names are matched, month, 填报日期, its cumulative
    figures by the rule table `rules`); None where it names no unit, project or month."""
    from .._text import name_key

    if not isinstance(doc, dict):
        return None
    month = doc.get("month")
    project = doc.get("project") if isinstance(doc.get("project"), dict) else {}
    key = (name_key(doc.get("unit")), name_key(project.get("name")),
           doc.get("year") if isinstance(doc.get("year"), int) else None)
    if not isinstance(month, int) or isinstance(month, bool) or not key[0] or not key[1]:
        return None
    filled = _text(get(doc, "/contact/date"))
    return key, month, filled, cumulative_figures(doc, cumulative_units(rules))


def risk_note(ind: dict, table=None) -> str | None:
    """风险清单's 说明 of an indicator's row: where its 完成目标可能性 contradicts its 全年预计完成情况, the warning
    validate gives (monitor.likelihood_contradicts, by the scoring table `table`), so that the list does not take the
    dropdown at its word."""
    found = likelihood_contradiction(ind, table)
    if found is None:
        return None
    return (f"完成目标可能性“{found['likelihood']}”与全年预计完成情况矛盾：预计“{found['forecast']}”{found['how']}"
            f"年度指标值“{format_target(ind)}”（monitor.likelihood_contradicts）")  # (as 风险清单's 年度指标值 prints it)


def mark(month_budget: Decimal, executed: Decimal, budget: Decimal, gap: Decimal | None) -> str | None:
    """红 when 执行率 is behind the time schedule by more than `gap`, 黄 when behind by less, else 绿.  With no
    `gap` (the bureau switched monitor.behind_schedule off) nothing is red: 黄 when behind at all.

    ``month_budget`` is Σ month × budget (one report: month × budget), so units whose reports give
    different months are measured against their budget-weighted schedule.  Exact: no division.
    """
    if budget <= 0:
        return None
    if gap is not None and lag_beyond(month_budget, executed, budget, gap):
        return RED
    return AMBER if month_budget > 12 * executed else GREEN  # behind the schedule at all


def _figures(month_budget: Decimal, executed: Decimal, budget: Decimal):
    """(执行率, 序时进度, 差距 in percentage points) for display, rounded half up; Nones without a budget."""
    if budget <= 0:
        return None, None, None
    rate, schedule = executed / budget, month_budget / (12 * budget)
    return round4(rate), round4(schedule), round2((rate - schedule) * 100)


class MonitoringSummary(UnitProjectSummary):
    """监控汇总, 项目清单, 指标监控, 风险清单 and 校验结果."""

    form = FORMS[FORM_ID]
    table_names = ("监控汇总", "项目进度", FORMS[FORM_ID].table.name, "风险清单", "校验结果")
    amounts = (("full_year_budget", "全年预算数合计", "full-year budget"), ("executed_to_date", "执行数合计", "executed"))
    amount_fields = {"full_year_budget": "budget", "executed_to_date": "executed"}
    # 执行率, 序时进度 and the marks are over the reports with a month, a budget above zero and an executed amount (_amounts):
    # the others' readable amounts are in the totals all the same, and the note says how many and why (unrated_note)
    unrated_reasons = {"no_month": ("未填报告月份", "without a month"),
                       "no_budget": ("全年预算数未能读出或不大于零", "whose full-year budget is unreadable or not above zero"),
                       "no_executed": ("执行数未能读出", "whose executed amount is unreadable"),
                       "held_out": ("金额疑按万元填写", "with an amount apparently in 10,000 yuan")}
    rated_words = ("执行率、序时进度和进度标识", "报告月份、全年预算数（大于零）和执行数均能读出")
    rated_words_en = "the execution rate, time-elapsed share and progress mark"
    returns_en = ("report's", "reports'")  # (held_note: one, several)
    # the amounts a report may have held out, as 项目进度's 说明 names them (held_row_note)
    held_said = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed_to_date": "执行数",
                 "expected_full_year": "全年预计执行数"}
    fit_width = True  # each detail sheet one landscape page wide (Table.fit_width)

    def __init__(self, gap: Decimal | None = None, red: bool = True):
        # red=False: the rule table in force switched monitor.behind_schedule off (severity off).  The bureau that
        # did said that lagging execution is no problem to raise: no project is marked red, none is listed in
        # 风险清单 as 预算执行进度滞后 (validate says nothing of it either), and the legend says so (黄 and 绿 stay,
        # they judge no threshold: behind the schedule or not)
        self.gap = (gap if gap is not None else DEFAULT_GAP) if red else None

    def configured(self, config) -> MonitoringSummary:
        """This summary with the threshold of the rule table in force (monitor.behind_schedule's gap), or with no
        red mark where that table switches the rule off."""
        params = config.rules.params_of(BEHIND_RULE)
        return MonitoringSummary(dec(params.get("gap", DEFAULT_GAP)), red=not config.rules.is_off(BEHIND_RULE))

    # In the workers ------------------------------------------------------------------------------
    @staticmethod
    def extract(doc: dict, config=None, sha256: str = ""):
        funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
        month = doc.get("month") if isinstance(doc.get("month"), int) and not isinstance(doc.get("month"), bool) \
            else None
        unit, project = _text(doc.get("unit")), _text(get(doc, "/project/name"))
        values = {"unit": unit, "project": project, "month": month,
                  "year": doc.get("year") if isinstance(doc.get("year"), int) else None,
                  "filled_on": _text(get(doc, "/contact/date")),
                  **{k: _number(funds.get(k)) for k in ("initial_budget", "full_year_budget", "executed_to_date",
                                                      "expected_full_year")},
                  "risks": [], "targets_sha256": _text(doc.get("targets_sha256")),  # its goal table's digest
                  "cumulative": cumulative_figures(doc, cumulative_units(config.rules if config is not None else None))}  # (compared with an earlier round's: between_rounds)
        rows, xml = [], []
        from .._selfeval._scoring import scoring_of

        table = scoring_of(config.frameworks.find(doc.get("framework")) if config is not None else None)
        for ind in (i for i in doc.get("indicators") or [] if isinstance(i, dict)):
            risk = indicator_risk(ind, table)
            row = INDICATORS.row(unit, project, ind, {"risk": risk, "targets_sha256": values["targets_sha256"]}, doc, sha256)
            rows.append(row)
            xml.append(INDICATORS.xml(row))
            if risk:
                values["risks"].append((*(row[i] for i in _RISK_AT), *(row[i] for i in _RISK_CODE_AT), risk,
                                        risk_note(ind, table)))
        return values, rows, "".join(xml).encode("utf-8"), {}

    # In the main process ---------------------------------------------------------------------------
    @staticmethod
    def between_rounds(earlier: list, later: dict, rules) -> list:
        """The later round's report of a project (its `later` values) against the earlier rounds' it replaced
        (`earlier`: [(path, values)]): each cumulative figure (1-N月执行数, an indicator's 1-N月执行情况, by its 指标编号)
        below the largest of it in an earlier report is monitor.cumulative_fell, at the later report's cell, naming
        that report's month and file.  A figure cannot fall from one month to a later one: one of the two is wrong."""
        from .._problems import OFF

        rd = rules.rules.get("monitor.cumulative_fell")
        if rd is None or rd.severity == OFF:  # (a bureau's table without the rule, or switched off)
            return []
        cells = later.get("cells") or {}
        most: dict = {}  # key -> (the largest earlier figure, its month, its file)
        for path, values in earlier:
            for key, _, _, number in values.get("cumulative") or ():
                n = Decimal(number)
                if key not in most or n > most[key][0]:
                    most[key] = (n, values.get("month"), path)
        out = []
        for key, at, title, number in later.get("cumulative") or ():
            n = Decimal(number)
            if key not in most or not n < most[key][0]:
                continue
            then, month, path = most[key]
            money = key == _FUNDS_KEY
            (found, found_en), (was, was_en) = (yuan(n), yuan(then)) if money else \
                ((format_number(n),) * 2, (format_number(then),) * 2)
            sheet, cell = cells.get(at, ("", ""))
            out.append(rules.problem("monitor.cumulative_fell", path=at, sheet=sheet, cell=cell, field=title[0],
                                     field_en=title[1], value=found, value_en=found_en, expected=f"≥ {was}",
                                     expected_en=f"≥ {was_en}", earlier=was, earlier_en=was_en,
                                     months=months_said(month), months_en=months_said(month, "en"),
                                     earlier_file=display_path(path)))
        return out

    @staticmethod
    def tiebreak(rec: ReturnRecord):
        """The later report of the same project; of one month, one whose amounts are not held out as apparently
        typed in 万元 (``held_out``: a summary would leave its money out of the totals, as a goal table's amount in
        万元 fails and loses to a clean return), then the latest 填报日期."""
        return rec.values.get("month") or 0, not rec.values.get("held_out"), UnitProjectSummary.tiebreak(rec)


    def tables(self, c, frameworks, limits=None, made_on=None) -> tuple[list[Table], dict]:
        gap = self.gap
        records = c.records
        unit_years, months, years, project_marks, n_risks, n_validation, missing, unrated, listed, held = \
            _aggregate(records, gap)
        units = unit_years.named()
        form = self.form.bind(month=months[0] if len(months) == 1 else None)
        # 项目进度 lists every report, counted or not: it names the counted reports' month only where each listed
        # report is of it (a failing 1-12月 report's figure is not put under 1-6月执行数), else 1-N月
        listed_form = form if listed <= set(months) else self.form.bind(month=None)
        label = lambda path: form.field(path).heading  # noqa: E731
        col = form.column_label
        shown, by_year = self.rows_shown(unit_years)
        k = 1 if by_year else 0  # a 预算年度 column: the columns after it one further right
        def summary_rows(shown, k):
            return [[i, unit, *([year] if k else []), u["projects"], u["budget"], u["executed"], *u["figures"], u["mark"],
                     u["risky_projects"], u["risky_indicators"], u["invalid"]]
                    for i, (unit, year, u) in enumerate(shown, start=1)]
        summary = summary_rows(shown, k)
        totals = {**self.counted(c, units), **({"by_year": by_year} if by_year else {}),
                  "full_year_budget": sum((u["budget"] for u in units.values()), Decimal(0)),
                  "executed_to_date": sum((u["executed"] for u in units.values()), Decimal(0)),
                  "risky_projects": sum(u["risky_projects"] for u in units.values()),
                  "risky_indicators": sum(u["risky_indicators"] for u in units.values()),
                  "months": months, "marks": {m: sum(u["mark"] == m for u in units.values()) for m in MARKS},
                  "project_marks": project_marks}
        self.keep_missing(totals, missing)  # counted reports whose amount is not in them
        self.keep_held(totals, held)  # … nor those warned of as in 万元
        self.keep_unrated(totals, unrated)  # counted reports whose amounts are in them, not in the rates
        unit_h, project_h = label("/unit"), label("/project/name")
        budget_h, executed_h = label("/funds/full_year_budget"), label("/funds/executed_to_date")
        expected_h = label("/funds/expected_full_year")
        grid = form.info.grids[0].headers
        rate_h, schedule_h = grid[3], grid[4]
        gap_h, mark_h = "差距（百分点）", "进度标识"
        marks = [(m, fill, font) for m, fill, font in MARK_COLOURS]
        red = (f"{RED} = {rate_h}低于{schedule_h}超过 {(gap * 100).normalize():f} 个百分点，" if gap is not None else
               f"规则 {BEHIND_RULE}（预算执行进度滞后）已在规则表中关闭，不标红；")
        tables = [
            Table(self.table_names[0], "summary",
                  # within one landscape page across at 80 %: the sheet that is printed, stamped and filed
                  # (with 预算年度, the unit's column gives it the room: the sheet stays one page across)
                  [Col(col("seq"), 6), Col(unit_h, 24 - 8 * k), *([Col(label("/year"), 8)] if k else []), Col("项目数", 8),
                   Col(budget_h, 18, "money"),
                   Col(executed_h, 18, "money"), Col(rate_h, 9, "pct"), Col(schedule_h, 9, "pct"), Col(gap_h, 11),
                   Col(mark_h, 8), Col("风险项目数", 9), Col("风险指标数", 9), Col("未通过校验的申报数", 10)],
                  lambda: iter(summary), len(summary),
                  heading=heading_of(f"{months_said(months[0])}项目支出绩效运行监控汇总" if len(months) == 1
                                     else "项目支出绩效运行监控汇总", years, made_on_date(made_on)),
                  totals=[(2 + k, "projects", None), (3 + k, "full_year_budget", "money"),
                          (4 + k, "executed_to_date", "money"), (9 + k, "risky_projects", None),
                          (10 + k, "risky_indicators", None), (11 + k, "invalid", None)],
                  conditional=[(8 + k, marks)],
                  note=(self.counts_note(totals) + self.years_note(totals) + self.missing_note(totals)
                        + self.held_note(totals) + self.unrated_note(totals)
                        + f"{mark_h}：{red}{AMBER} = {'' if gap is not None else rate_h}低于{schedule_h}，"
                        f"{GREEN} = 不低于{schedule_h}，{UNMARKED} = 无法计算{rate_h}和{schedule_h}（计入的项目中 "
                        f"{project_marks[UNMARKED]} 个）。明细见“项目进度”和“风险清单”。")),
            # (单位键, beside 汇总单位, came after scripts read the table by place: the CSV and JSON carry it after
            # the others, before 文件路径字节, last as in every per-return table)
            data_level1_last(Table(self.table_names[1], "projects",
                  # two landscape pages wide (fitted, below): the amounts as wide as they print, the rest on two lines;
                  # 进度标识 7 wide, so that its widest value, 未标记, prints on one line (at 5 and at 6 _paper, which
                  # measures for Excel's 宋体, counts two: 未标 / 记; LibreOffice's Noto Sans CJK kept it on one)
                  [Col(col("seq"), 5), Col(unit_h, 12), Col(project_h, 14), Col("报告月份", 5),
                   Col(label("/funds/initial_budget"), 13, "money"), Col(budget_h, 13, "money"),
                   Col(listed_form.field("/funds/executed_to_date").heading, 13, "money"), Col(rate_h, 7, "pct"),
                   Col(schedule_h, 7, "pct"), Col(gap_h, 8),
                   Col(mark_h, 7), Col(expected_h, 13, "money"), Col("指标数", 5), Col("风险指标数", 6),
                   Col("校验状态", 6), Col("错误数", 5), Col("警告数", 5), Col("计入汇总", 5), Col("说明", 28),
                   Col("来源文件", 18), Col(label("/year"), 8, printed=False), Col("文件路径", 40, printed=False),
                   Col("SHA-256", 20, printed=False), Col(SUMMARY_UNIT, 12, printed=False),
                   Col(UNIT_KEY, 12, printed=False), Col(TARGETS_TITLE, 20, printed=False), path_bytes_col()],
                  # two landscape pages across (序号, the unit and the project on each), at 100 % in LibreOffice:
                  # fitted to one, its 20 printed columns (195 widths as declared; the amounts fitted to 15, the text
                  # columns give the room back: column_widths) print at about 63 %;
                  # a page holds about 145 widths at 85 % (2.24 mm each at 10 pt), and the columns it would keep
                  # off paper for that (校验状态, 错误数, 警告数, 计入汇总, 说明, 来源文件, 指标数) say which rows count.
                  # 说明 (a duplicate's note, some 90 units) and 来源文件 take the room the second page has left, so
                  # that a note prints on three lines, not ten (10 rows: 4 pages, not 6)
                  lambda: _project_rows(records, gap, unit_years), len(records), splice=True, conditional=[(10, marks)],
                  fit_width=True, pages_across=2), 0, 0, added=(UNIT_KEY,)),
            self.item_table(c, INDICATORS, form),

            Table(self.table_names[3], "risks",
                  # headings printed broken between words (break_headings); 完成目标可能性 and 偏差原因类别 wide
                  # enough for four characters a line in bold 宋体 (at 7, Excel printed 完成目 / 标可能 / 性)
                  [Col(unit_h, 13), Col(project_h, 15), Col("风险", 12), Col(col("id"), 7), Col(col("name"), 18),
                   Col(f"{col('target')}／{budget_h}", 13), Col(f"{col('progress')}／{executed_h}", 13),
                   Col(f"{col('expected')}／{expected_h}", 13), Col(col("likelihood"), 9),
                   Col(col("deviation_category"), 9), Col(col("deviation"), 26), Col("说明", 20),
                   # off paper: the coded choices as codes, beside their labels (as in 指标监控)
                   *(Col(col(k) + CODE_SUFFIX, 9, printed=False) for k in _RISK_CODES), *return_key_cols(form)],
                  lambda: _risk_rows(records, gap, label), n_risks, splice=True, fit_width=True, break_headings=True),
            self.validation_table(c, col("seq"), n_validation),
        ]
        if not k:  # the CSV's and JSON's by unit and year on every night (data_by_year)
            tables[0].data = data_by_year(tables[0], summary_rows(unit_years.by_year(), 1), Col(label("/year"), 8))
        data_unit_key(tables[0], unit_years)  # (单位键 after the columns scripts read by place)
        tables += self.review_sheets(c, records, {"unit": unit_h, "project": project_h}.get)
        for table in tables:  # the CSV's and JSON's titles without the month, the same every night
            month_free(table, form, self.form.bind(month=None))
        return tables, totals

    @classmethod
    def headline(cls, totals: dict, lang: str = "zh") -> str:
        amounts = cls.amounts_line(totals, lang)  # (with the amounts held out: held_line)
        if lang == "en":
            months = ", ".join(months_said(m, "en") for m in totals["months"])
            marks = ", ".join(f"{_MARK_EN[m]} {n}" for m, n in totals["marks"].items())
            projects = ", ".join(f"{_MARK_EN[m]} {n}" for m, n in totals["project_marks"].items())
            return (f"{f' ({months})' if months else ''}{amounts}; units' progress marks: {marks}; projects' progress "
                    f"marks: {projects}; {counted_en(totals['risky_projects'], 'project')} and "
                    f"{counted_en(totals['risky_indicators'], 'indicator')} at risk")
        months = "、".join(map(months_said, totals["months"]))  # none when no report is counted
        marks = "，".join(f"{m} {n} 个" for m, n in totals["marks"].items())
        projects = "，".join(f"{m} {n} 个" for m, n in totals["project_marks"].items())
        return (f"{f'（{months}）' if months else ''}{amounts}；"
                f"单位进度标识：{marks}；项目进度标识：{projects}；风险项目 {totals['risky_projects']} 个，风险指标 {totals['risky_indicators']} 条")


def month_free(table: Table, form, free) -> None:
    """Give `table` the titles CSV and JSON carry (``Table.data``): those the workbook heads its columns with for
    people, bound to the reports' month (1-6月执行数（元）), with the month-free words the form has when bound to no
    month (`free`: 1-N月执行数（元）), so that a script reading a column by its title finds it every night, in June,
    September or on a night of mixed months; the month is 项目进度's 报告月份 and the JSON's ``months``."""
    pairs = {form.field(f.path).heading: free.field(f.path).heading for f in form.fields}
    pairs.update((form.column_label(col.key), free.column_label(col.key)) for col in form.table.columns)
    pairs = sorted(((a, b) for a, b in pairs.items() if a != b), key=lambda ab: -len(ab[0]))
    if not pairs:
        return
    data = table.as_data

    def title(text: str) -> str:
        for bound, plain in pairs:
            text = text.replace(bound, plain)
        return text

    columns = [replace(c, title=title(c.title)) for c in data.columns]
    if columns != data.columns:
        table.data = replace(data, columns=columns, data=None)


def _amounts(r: ReturnRecord):
    """(Σ month × budget, executed, budget) of one report as Decimals, over which its 执行率, 序时进度 and mark are
    worked out; None where they mean nothing (_aggregate says why: unrated_reason): no month, no budget above zero, or no executed
    amount read (not taken for nothing spent)."""
    v = r.values
    budget, executed, month = dec(v.get("full_year_budget")), dec(v.get("executed_to_date")), v.get("month")
    if budget is None or budget <= 0 or not month or executed is None:
        return None
    return Decimal(month) * budget, executed, budget


def _project_risks(r: ReturnRecord, gap: Decimal | None, amounts=None) -> list[str]:
    """The project's own risks: behind the schedule beyond the gap (red; none without a gap, the rule switched
    off), or expected beyond its budget (`amounts`: the record's ``_amounts``, when the caller has them)."""
    out = []
    amounts = amounts if amounts is not None else _amounts(r)
    if amounts and gap is not None and lag_beyond(*amounts, gap):
        out.append(RISK_BEHIND)
    expected, budget = dec(r.values.get("expected_full_year")), dec(r.values.get("full_year_budget"))
    if expected is not None and budget is not None and expected > budget:
        out.append(RISK_OVER)
    return out


def _aggregate(records, gap: Decimal | None):
    """One pass over the spooled records: (units, report months, years, the projects' marks counted, rows of
    风险清单, rows of 校验结果 for them, the counted reports whose amount could not be read, by amount, and those whose
    readable amounts are in the totals but not in the rates, by reason, and the months of every report listed).

    A unit's 全年预算数 and 执行数 add every amount read of its counted reports; its 执行率 is Σ executed / Σ budget, and
    its 序时进度 Σ month × budget / (12 × Σ budget), over those of its reports that have all three (``_amounts``)."""
    units = Units()  # by unit_key, as duplicates are matched
    months: set = set()
    listed: set = set()  # the months of every report listed (项目进度), counted or not
    years: list = []
    project_marks = dict.fromkeys(MARKS, 0)
    n_risks = n_validation = 0
    missing = {key: 0 for key, _, _ in MonitoringSummary.amounts}  # not in the 合计 (--include-invalid): said
    # not in the 合计 either: warned of as typed in 万元 (monitor.amount_scale, _figures.held_out), said apart
    held = {key: 0 for key, _, _ in MonitoringSummary.amounts}
    unrated = {why: 0 for why in MonitoringSummary.unrated_reasons}  # in the 合计, not in the rates: said
    for r in records:  # one pass, in any order: the units are sorted below
        n_validation += validation_row_count(r)
        years.append(r.values.get("year"))
        if r.values.get("month"):
            listed.add(r.values["month"])
        both = units.entries(r, lambda: {"projects": 0, "budget": Decimal(0), "executed": Decimal(0),
                                         "month_budget": Decimal(0), "rated_budget": Decimal(0),
                                         "rated_executed": Decimal(0), "risky_projects": 0, "risky_indicators": 0,
                                         "invalid": 0})
        if r.included:
            budget, executed = dec(r.values.get("full_year_budget")), dec(r.values.get("executed_to_date"))
            kept_out = MonitoringSummary.count_held(r.values, held)
            count_missing(both, missing, {key: amount for key, amount in (("full_year_budget", budget),
                                                                          ("executed_to_date", executed))
                                          if key not in kept_out})
            amounts = _amounts(r)
            project_marks[(mark(*amounts, gap) if amounts else None) or UNMARKED] += 1
            if not amounts and (budget is not None or executed is not None):  # an amount in the totals, not in the rates
                unrated["no_month" if not r.values.get("month") else "held_out" if kept_out
                        else MonitoringSummary.unrated_reason(budget)] += 1
            if r.values.get("month"):
                months.add(r.values["month"])
            risks, project_risks = r.values.get("risks") or [], _project_risks(r, gap, amounts)
            n_risks += len(risks) + len(project_risks)
            for u in both:  # the unit's, and the unit's in the report's budget year
                u["projects"] += 1
                u["budget"] += budget or Decimal(0)  # every amount read, in the unit's totals
                u["executed"] += executed or Decimal(0)
                if amounts:  # the rates' part
                    u["month_budget"] += amounts[0]
                    u["rated_executed"] += amounts[1]
                    u["rated_budget"] += amounts[2]
                u["risky_indicators"] += len(risks)
                u["risky_projects"] += bool(risks or project_risks)
        if r.status != Status.OK:
            for u in both:
                u["invalid"] += 1
    for u in [*units.values(), *units.year_entries()]:
        u["figures"] = _figures(u["month_budget"], u["rated_executed"], u["rated_budget"])
        u["mark"] = mark(u["month_budget"], u["rated_executed"], u["rated_budget"], gap) or UNMARKED
    return units, sorted(months), years, project_marks, n_risks, n_validation, missing, unrated, listed, held


def _project_rows(records, gap: Decimal | None, units: Units):
    for i, r in enumerate(records, start=1):
        v = r.values
        amounts = _amounts(r)
        figures = _figures(*amounts) if amounts else (None, None, None)
        shown = (mark(*amounts, gap) if amounts else None) or (UNMARKED if r.included else None)  # (counted: told)
        note = MonitoringSummary.held_row_note(r)  # (an amount blank: held out of the totals)
        yield [i, v.get("unit"), v.get("project"), v.get("month"), dec(v.get("initial_budget")),
               dec(v.get("full_year_budget")), dec(v.get("executed_to_date")), *figures, shown,
               dec(v.get("expected_full_year")), r.n_items, len(v.get("risks") or []), r.status.zh, r.errors,
               r.warnings, "是" if r.included else "否", note or None, display_name(r.path), record_year(r),
               display_path(r.path), r.sha256, units.name_of(r), units.key_of(r), v.get("targets_sha256"),
               exact_path(r.path)]


def _money(v):
    """An amount of a project's funds, shown as money in 风险清单's columns of indicator values (None: blank)."""
    d = dec(v)
    return None if d is None else Money(d)


def _risk_rows(records, gap: Decimal, label):
    """The projects (funds) and indicators at risk of every counted report, most serious first within each."""
    order = {RISK_BEHIND: 0, RISK_OVER: 1, RISK_IMPOSSIBLE: 2, RISK_SHORT: 3, RISK_POSSIBLE: 4}
    for r in records:
        if not r.included:
            continue
        v = r.values
        unit, project = v.get("unit"), v.get("project")
        key = return_key(v, r.sha256)  # its 预算年度 and SHA-256, as 指标监控's: a recurring project's years apart
        for risk in _project_risks(r, gap):
            yield [unit, project, risk, None, label("/funds/executed_to_date") if risk == RISK_BEHIND
                   else label("/funds/expected_full_year"), _money(v.get("full_year_budget")),
                   _money(v.get("executed_to_date")), _money(v.get("expected_full_year")), None, None, None,
                   None, None, None, *key]
        for (iid, name, target, progress, expected, likelihood, category, deviation, likelihood_code, category_code,
             risk, note) in sorted(v.get("risks") or [], key=lambda x: order[x[-2]]):
            yield [unit, project, risk, iid, name, target, progress, expected, likelihood, category, deviation,
                   note, likelihood_code, category_code, *key]


register(MonitoringSummary())  # the consolidation's summary of this form (_consolidate/_tables.py SUMMARIES)
