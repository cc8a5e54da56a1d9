"""The summary of self-evaluation returns: scores per unit and project, every indicator, deviations.

Like the goal table's summary (``_consolidate._tables``): ``extract`` runs in the workers on one
document, ``tables`` once on all records; the renderers write the same tables to xlsx, CSV and
JSON.  Every score is recomputed here from the numbers (the reported score is listed beside
it); money and 执行率 are exact decimals.  Column headers come from the form.
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal

from .._consolidate._tables import register
from .._consolidate._collect import Status
from .._consolidate._table import (CODE_SUFFIX, path_bytes_col, return_key, return_key_cols, validation_row_count, Col, ItemColumn, ItemTable, Table, UnitProjectSummary, _number, _text,
                                   count_missing, data_by_year, data_unit_key, data_level1_last, heading_of, made_on_date, record_year, Units, SUMMARY_UNIT, TARGETS_TITLE, UNIT_KEY)
from .._form import FORMS, format_target
from .._form.self_evaluation import RATE
from .._pointers import get
from .._paths import exact_path
from .._text import display_name, display_path
from .._decimals import percent, round2, round4
from ._scoring import ScoringTable, dec, evaluate, grade_of, number, scoring_of

F = FORMS["self-evaluation"]
_TOTAL = F.table.total.label  # 总分, as the form declares it
# 偏差清单's columns taken from 指标完成, before the kind of deviation and the reason given
_DEVIATION_KEYS = ("id", "name", "target", "actual", "points", "recomputed")


def _label(path: str) -> str:
    return F.field(path).heading


def _col(key: str) -> str:
    return F.column_label(key)


def _grid_header(n: int) -> str:
    return F.info.grids[0].headers[n]


def _grades(frameworks=None) -> list[str]:
    """The grades 自评汇总 counts, a column each: the packaged table's, then any other a framework's own scoring
    table (its "scoring") of `frameworks` (the FrameworkSet in force) gives, in its order."""
    tables = [ScoringTable.load()] + [scoring_of(fw) for fw in (frameworks or ()) if getattr(fw, "scoring", "")]
    return list(dict.fromkeys(r.grade for t in tables for r in t.rules if "total" in r.applies_to))


#: 指标完成: every indicator with its target, actual, points, the score reported and the score recomputed.
INDICATORS = ItemTable(F, (ItemColumn("id", 7), ItemColumn("level1", 9), ItemColumn("level2", 9), ItemColumn("name", 20),
                           ItemColumn("target", 10), ItemColumn("actual", 10), ItemColumn("points", 6),
                           ItemColumn("score", 6), ItemColumn("recomputed", 7, f"重算{_col('score')}", computed=True),
                           ItemColumn("deviation", 24),
                           # off paper: the row's 比较符 as a code (>=, qualitative …: as documents and frames give it)
                           ItemColumn("comparator", 7, code=True, printed=False),
                           # off paper: the goal table's digest, which with 指标编号 joins the row to its target
                           ItemColumn("targets_sha256", 20, TARGETS_TITLE, computed=True, printed=False),
                           # off paper, added since (after the columns there were, before the return's key, which
                           # ends every indicator sheet): the target 重算得分 is scored against, as 年度指标值 prints
                           # it (the approved one under --targets, where the return's was typed over), as frames()'
                           # scored_target
                           ItemColumn("scored_target", 12, f"重算得分所依据的{_col('target')}", computed=True,
                                      printed=False)),
                       unit_width=14, project_width=16)  # one landscape page wide at about 80 %
# where 偏差清单 takes its cells from in an indicator's row (found once, not per row in the workers)
_DEVIATION_AT, _REASON_AT = tuple(INDICATORS.at[k] for k in _DEVIATION_KEYS), INDICATORS.at["deviation"]


def _rate(rate: Decimal | None) -> float | None:
    """执行率 as the summary carries it: to 0.01 % (the sheet shows 97.85 %; CSV and JSON give 0.9785), as the
    monitoring summary's."""
    return None if rate is None else float(round4(rate))


class SelfEvaluationSummary(UnitProjectSummary):
    """自评汇总, 项目得分, 指标完成, 偏差清单 and 校验结果."""

    form = F
    table_names = ("自评汇总", "项目得分", "指标完成", "偏差清单", "校验结果")
    amounts = (("full_year_budget", "全年预算数合计", "full-year budget"), ("executed", "全年执行数合计", "executed"))
    amount_fields = {"full_year_budget": "budget", "executed": "executed"}
    # a unit's 执行率 is over its returns with both amounts, the budget above zero (_aggregate): the others' readable
    # amounts are in the totals all the same, and the note says how many and why (unrated_note)
    unrated_reasons = {"no_budget": ("全年预算数未能读出或不大于零", "whose full-year budget is unreadable or not above zero"),
                       "no_executed": ("全年执行数未能读出", "whose executed amount is unreadable"),
                       "held_out": ("金额疑按万元填写", "with an amount apparently in 10,000 yuan")}
    rated_words = ("执行率", "全年预算数（大于零）和全年执行数均能读出")
    rated_words_en = "the execution rate"
    # the amounts of the 年度资金总额 line a return may have held out, as 项目得分's 说明 names them (held_row_note)
    held_said = {"initial_budget": "年初预算数", "full_year_budget": "全年预算数", "executed": "全年执行数"}
    fit_width = True  # each detail sheet one landscape page wide: 项目得分's 填报总分 and 填报等级 beside its 总分

    @staticmethod
    def tiebreak(rec):
        """Of two returns of one project, one whose amounts are not held out as apparently typed in 万元 (``held_out``:
        the summary would leave its money out of the totals and its 总分 unrated) before one whose are, then the
        latest 填报日期, as a monitoring report's of one month (``MonitoringSummary.tiebreak``).  A text, not a
        tuple: a tuple's first item is a round (``_collect._round``), and a self-evaluation has one round."""
        return f"{int(not rec.values.get('held_out'))}{UnitProjectSummary.tiebreak(rec)}"

    @staticmethod
    def held_values(values: dict, form_id: str | None) -> None:
        """A return whose held-out amount (apparently in 万元) leaves its 资金得分 unrecomputed is not rated: a 总分
        without the funds points is no total, so 总分 and 等级 are left blank (its row's 说明 says why) and the return
        is kept out of 平均总分, 最低总分 and the grades' counts (the note counts it).  (Both amounts held out by the
        same factor would leave 执行率 as it was; but which factor an amount is off by is a guess, as the warning is:
        the summary rates nothing on a guess.)"""
        if values.get("funds_score") is None and values.get("total") is not None:
            values.update(total=None, grade="", grade_code=None, unscored=True)

    @classmethod
    def held_words(cls, rec) -> str:
        held = super().held_words(rec)
        return held + "，资金得分无法重算，总分和等级未评定" if rec.values.get("unscored") else held

    @staticmethod
    def unscored_note(totals: dict) -> str:
        """The sentence on the counted returns left unrated for a held-out amount (``held_values``); "" for none."""
        n = totals.get("scores_held_out")
        return (f"{n} 个计入的项目因金额疑按万元填写、资金得分无法重算，总分和等级未评定，未计入平均总分、最低总分及各等级个数。"
                if n else "")

    @classmethod
    def amounts_line(cls, totals: dict, lang: str = "zh") -> str:
        """The base's line on the amounts, then the returns left unrated (``held_values``), as the note says them."""
        line, n = super().amounts_line(totals, lang), totals.get("scores_held_out")
        if not n:
            return line
        if lang == "en":
            return (line + f"; {n} counted project{'s' * (n != 1)} not rated (an amount apparently in 10,000 yuan, "
                    "the funds score not recomputed): no total or grade, out of the mean, lowest and grade counts")
        return line + f"；{n} 个项目未评定总分和等级（金额疑按万元填写，资金得分无法重算）"

    # In the workers ------------------------------------------------------------------------------
    @staticmethod
    def extract(doc: dict, config=None, sha256: str = ""):
        fw = config.frameworks.find(doc.get("framework")) if config is not None else None
        table = scoring_of(fw)  # the framework's own scoring table (its "scoring"), else the packaged one
        ev = evaluate(doc, table)
        over = deviation_over(config)
        unit, project = _text(doc.get("unit")), _text(get(doc, "/project/name"))
        funds = doc.get("funds") if isinstance(doc.get("funds"), dict) else {}
        values = {"unit": unit, "project": project, "full_year_budget": _number(funds.get("full_year_budget")),
                  "executed": _number(funds.get("executed")), "rate": _rate(ev.rate),
                  "funds_score": number(ev.funds.score), "total": number(ev.total), "grade": ev.grade,
                  **_printed(ev, table),
                  # the grades' codes (excellent … poor: the scoring table's grade_en), off 项目得分's paper
                  "grade_code": table.grade_en(ev.grade) if ev.grade else None,
                  "level1": {k: number(v) for k, v in ev.by_level1.items()}, "deviations": [],
                  # each indicator's recomputed score (指标完成's 重算得分), in the order of its rows: frames() gives them
                  "scores": [number(s.score) for s in ev.indicators],
                  "year": doc.get("year") if isinstance(doc.get("year"), int) else None,
                  "filled_on": _text(get(doc, "/contact/date"))}
        values["printed_grade_code"] = table.grade_en(values["printed_grade"]) if values["printed_grade"] else None
        values["targets_sha256"] = targets = _text(doc.get("targets_sha256"))  # its goal table's digest
        rows, xml = [], []
        items = [i for i in doc.get("indicators") or [] if isinstance(i, dict)]
        for ind, s in zip(items, ev.indicators):
            row = INDICATORS.row(unit, project, ind, {"recomputed": number(s.score), "targets_sha256": targets,
                                                      "scored_target": format_target(ind) or None}, doc, sha256)
            rows.append(row)
            xml.append(INDICATORS.xml(row))
            kind = _deviation_kind(ind, s, over)
            if kind:
                values["deviations"].append((unit, project, *(row[i] for i in _DEVIATION_AT), kind, row[_REASON_AT]))
        return values, rows, "".join(xml).encode("utf-8"), {}

    # In the main process ---------------------------------------------------------------------------
    def tables(self, c, frameworks, limits=None, made_on=None) -> tuple[list[Table], dict]:
        records = c.records
        made = made_on_date(made_on)
        grades = _grades(frameworks)
        agg = _aggregate(records, grades)  # one pass over the spooled records; the long tables stream later
        units = agg["units"]
        seq = _col("seq")
        shown, by_year = self.rows_shown(agg["unit_years"])
        k = 1 if by_year else 0  # a 预算年度 column: the columns after it one further right
        def summary_rows(shown, k):
            rows = []
            for i, (unit, year, u) in enumerate(shown, start=1):
                n, low = u["scored"], u["lowest"]
                rows.append([i, unit, *([year] if k else []), u["projects"], u["budget"], u["executed"],
                             _rate(u["rated_executed"] / u["rated_budget"]) if u["rated_budget"] else None,
                             number(u["score_sum"] / n) if n else None,
                             number(low) if low is not None else None, *[u["grades"][g] for g in grades], u["invalid"]])
            return rows
        summary = summary_rows(shown, k)
        totals = {**self.counted(c, units), **({"by_year": by_year} if by_year else {}),
                  # exact Decimals, as the goal table's and the monitoring summary's (a float would round a total
                  # beyond 15 digits, and the note giving its digits would not see it: digits_note)
                  "full_year_budget": sum((u["budget"] for u in units.values()), Decimal(0)),
                  "executed": sum((u["executed"] for u in units.values()), Decimal(0)),
                  **{f"grade:{g}": sum(u["grades"][g] for u in units.values()) for g in grades}}
        self.keep_missing(totals, agg["missing"])  # counted reports whose amount is not in them
        self.keep_held(totals, agg["held"])  # … nor those warned of as in 万元
        self.keep_unrated(totals, agg["unrated"])  # counted reports whose amounts are in them, not in 执行率
        if agg["unscored"]:  # counted reports left unrated: a held-out amount, no 资金得分 (held_values)
            totals["scores_held_out"] = agg["unscored"]
        level1 = agg["level1"]

        def deviations():
            # each with its return's 预算年度 and SHA-256, as 指标完成's: a recurring project's years told apart
            return ((*d, *return_key(r.values, r.sha256)) for r in records if r.included
                    for d in r.values.get("deviations", []))
        unit_h, project_h = _label("/unit"), _label("/project/name")
        tables = [
            Table(self.table_names[0], "summary",
                  # within one landscape page across at 80 %: the sheet that is printed, stamped and filed
                  # (with 预算年度, the unit's column gives it the room: the sheet stays one page across)
                  [Col(seq, 6), Col(unit_h, 24 - 8 * k), *([Col(_label("/year"), 8)] if k else []), Col("项目数", 8),
                   Col(_grid_header(1), 18, "money"),
                   Col(_grid_header(2), 18, "money"), Col(RATE, 9, "pct"), Col("平均总分", 9), Col("最低总分", 9),
                   *[Col(g, 6) for g in grades], Col("未通过校验的申报数", 10)],
                  lambda: iter(summary), len(summary),
                  heading=heading_of("项目支出绩效自评汇总", agg["years"], made),
                  totals=[(2 + k, "projects", None), (3 + k, "full_year_budget", "money"), (4 + k, "executed", "money"),
                          *[(8 + k + j, f"grade:{g}", None) for j, g in enumerate(grades)],
                          (8 + k + len(grades), "invalid", None)],
                  note=(self.counts_note(totals) + self.years_note(totals) + self.missing_note(totals) + self.held_note(totals)
                        + self.unrated_note(totals) + self.unscored_note(totals) + "总分与各项得分均按计分规则"
                        "由填报的数字重新计算，等级按重算的总分评定；申报表上打印的总分及其等级见“项目得分”的“填报总分”“填报等级”，"
                        "明细见“项目得分”和“指标完成”。")),
            data_level1_last(Table(self.table_names[1], "projects",
                  # one landscape page wide (fitted) at about 80 % with four 一级: each heading on two lines
                  # each project's amounts, which the unit's totals and 执行率 in 自评汇总 are the sums of (of the
                  # counted), printed before its 执行率 (CSV and JSON: at the end of the fixed columns, data_level1_last)
                  [Col(seq, 5), Col(unit_h, 13), Col(project_h, 15), Col(_grid_header(1), 12, "money"),
                   Col(_grid_header(2), 12, "money"), Col(RATE, 7, "pct"),
                   Col(_label("/funds/score"), 5.5), *[Col(n or _NO_LEVEL1, 7) for n in level1], Col(_TOTAL, 5.5),
                   Col("等级", 5), Col(f"填报{_TOTAL}", 5.5), Col("填报等级", 5),
                   Col("校验状态", 6), Col("错误数", 5), Col("警告数", 5), Col("计入汇总", 5), Col("说明", 13),
                   Col("来源文件", 13),
                   # off paper: the grades as codes (excellent, good, fair, poor), beside their labels
                   Col("等级" + CODE_SUFFIX, 8, printed=False), Col("填报等级" + CODE_SUFFIX, 8, printed=False),
                   Col(_label("/year"), 8, printed=False), Col("文件路径", 40, printed=False), Col("SHA-256", 20, printed=False),
                   Col(SUMMARY_UNIT, 12, printed=False), Col(UNIT_KEY, 12, printed=False),
                   Col(TARGETS_TITLE, 20, printed=False), path_bytes_col()],
                  lambda: _project_rows(records, level1, agg["unit_years"]), len(records), splice=True, fit_width=True),
                  # (警告数, printed beside 错误数 as the other forms' per-return tables print it, and 单位键, beside
                  # 汇总单位, came later still: carried after the per-一级 columns, before 文件路径字节, so that no
                  # column scripts read by place moves)
                  7, len(level1), later=(3, 4, SUMMARY_UNIT, TARGETS_TITLE), added=("警告数", UNIT_KEY)),
            self.item_table(c, INDICATORS),

            Table(self.table_names[3], "deviations",
                  [Col(unit_h, 14), Col(project_h, 16),
                   *(Col(INDICATORS.title(k), w) for k, w in zip(_DEVIATION_KEYS, (7, 20, 10, 10, 6, 7))),
                   Col("偏差类型", 10), Col(_col("deviation"), 34), *return_key_cols(F)],
                  deviations, agg["deviations"], splice=True, fit_width=True),
            self.validation_table(c, seq, agg["validation"]),
        ]
        if not k:  # the CSV's and JSON's by unit and year on every night (data_by_year)
            tables[0].data = data_by_year(tables[0], summary_rows(agg["unit_years"].by_year(), 1), Col(_label("/year"), 8))
        data_unit_key(tables[0], agg["unit_years"])  # (单位键 after the columns scripts read by place)
        tables += self.review_sheets(c, records, {"unit": unit_h, "project": project_h}.get)
        return tables, totals


def _printed(ev, table) -> dict:
    """The 总分 the return prints (its formula: 资金得分 + every 得分 entered, rounded to cents) and that total's grade,
    listed in 项目得分 beside the recomputed ones the summary counts: where they differ, the bureau sees which is
    which (a stamped 89.99 良 against the published 90.00 优).  None while no score is entered."""
    given = [s.reported for s in (ev.funds, *ev.indicators) if s.reported is not None]
    if not given:
        return {"printed_total": None, "printed_grade": None}
    total = round2(sum(given, Decimal(0)))
    return {"printed_total": number(total), "printed_grade": grade_of(total, table) or None}


def deviation_over(config=None) -> Decimal | None:
    """How far a ≥/> target is beaten for its row to need a reason: the lowest “over” of the deviation_required rules
    in the table in force (1.3: 30 % over; a bureau's rule of its own code beside self.deviation_missing asks from
    its own, as validate does), so that 偏差清单 lists the rows validate asks a reason of; None where no
    deviation_required rule is in force (nothing asks a reason of a row beaten: 偏差清单 lists the rows that lost
    points only)."""
    rules = config.rules if config is not None else None
    if rules is None:
        from .._config import Config

        rules = Config.load().rules
    global _OVER_OF
    if _OVER_OF[0] is not rules:  # once per table, not per return
        from .._form.self_evaluation import strictest

        _OVER_OF = (rules, strictest(rules, "deviation_required", "over", min))
    return _OVER_OF[1]


_OVER_OF: tuple = (None, None)  # (the rule table, its deviation_over)


#: 偏差清单's 偏差类型, one for each kind of row validate's deviation_required asks a reason of: the recomputed score
#: below the points; a target missed by so little that its score rounds to the full points in cents (89.999 against
#: ≥90: 9.9999 → 10.00); a ≥/> target beaten by the rule's “over” ({over}: 30%) or more
DEVIATION_KINDS = {"lost": "失分", "missed": "略未达标", "over": "超额完成{over}及以上"}


def _deviation_kind(ind: dict, s, over: Decimal | None) -> str | None:
    """The row's kind in DEVIATION_KINDS, as self.deviation_missing asks: 失分 when the recomputed score is below the
    points; 略未达标 when only the score before rounding is; 超额完成 when a ≥/> target is beaten by `over` (30 %) or
    more (never where `over` is None: no rule asks a reason of a row beaten)."""
    if s.points is not None:
        if s.score is not None and s.score < s.points:
            return DEVIATION_KINDS["lost"]
        if s.exact is not None and s.exact < s.points:
            return DEVIATION_KINDS["missed"]
    if over is None:
        return None
    target, actual = dec(ind.get("value")), dec(ind.get("actual"))
    if ind.get("comparator") in (">=", ">") and target and target > 0 and actual is not None \
            and actual >= over * target:
        return DEVIATION_KINDS["over"].format(over=percent(over - 1))
    return None


#: the heading of the points of rows without a 一级指标 (a row added, its 一级 left blank): a column needs a name
_NO_LEVEL1 = "（一级指标未填写）"


def _aggregate(records, grades) -> dict:
    """What the summary needs of all records, in one pass: per unit its budget, execution, scores and grades;
    the level-1 names; the years; how many deviation and 校验结果 rows there will be."""
    units = Units()  # by unit_key, as duplicates are matched
    level1: dict = OrderedDict()
    years, deviations, validation, unscored = [], 0, 0, 0
    # the amounts of counted reports (--include-invalid) that could not be read: not in the 合计, which say so
    missing = {key: 0 for key, _, _ in SelfEvaluationSummary.amounts}
    # not in the 合计 either: warned of as typed in 万元 (self.amount_scale, _figures.held_out), said apart
    held = {key: 0 for key, _, _ in SelfEvaluationSummary.amounts}
    unrated = {why: 0 for why in SelfEvaluationSummary.unrated_reasons}  # in the 合计, not in 执行率: said
    for r in records:
        years.append(r.values.get("year"))
        for name in r.values.get("level1", {}):
            level1.setdefault(name, None)
        validation += validation_row_count(r)
        both = units.entries(r, lambda: {"projects": 0, "budget": Decimal(0), "executed": Decimal(0),
                                         "rated_budget": Decimal(0), "rated_executed": Decimal(0),
                                         "score_sum": Decimal(0), "scored": 0, "lowest": None,
                                         "grades": {g: 0 for g in grades}, "invalid": 0})
        if r.included:
            budget, executed = dec(r.values.get("full_year_budget")), dec(r.values.get("executed"))
            kept_out = SelfEvaluationSummary.count_held(r.values, held)
            count_missing(both, missing, {key: amount for key, amount in (("full_year_budget", budget),
                                                                          ("executed", executed))
                                          if key not in kept_out})
            rated = budget is not None and budget > 0 and executed is not None  # 执行率 means something
            if not rated and (budget is not None or executed is not None):  # an amount in the totals, not in 执行率
                unrated["held_out" if kept_out else SelfEvaluationSummary.unrated_reason(budget)] += 1
            total = dec(r.values.get("total"))
            unscored += bool(r.values.get("unscored"))  # no 总分, no 等级: a held-out amount (held_values)
            for u in both:  # the unit's, and the unit's in the return's budget year
                u["projects"] += 1
                u["budget"] += budget or Decimal(0)
                u["executed"] += executed or Decimal(0)
                if rated:
                    u["rated_budget"] += budget
                    u["rated_executed"] += executed
                if total is not None:
                    u["score_sum"] += total
                    u["scored"] += 1
                    u["lowest"] = total if u["lowest"] is None else min(u["lowest"], total)
                if r.values.get("grade") in u["grades"]:
                    u["grades"][r.values["grade"]] += 1
            deviations += len(r.values.get("deviations", []))
        if r.status != Status.OK:
            for u in both:
                u["invalid"] += 1
    return {"units": units.named(), "unit_years": units, "level1": list(level1), "years": years,
            "deviations": deviations, "validation": validation, "missing": missing,
            "unrated": unrated, "held": held, "unscored": unscored}


def _project_rows(records, level1, units: Units):
    for i, r in enumerate(records, start=1):
        v = r.values
        by = v.get("level1", {})
        yield [i, v.get("unit"), v.get("project"), dec(v.get("full_year_budget")), dec(v.get("executed")),
               v.get("rate"), v.get("funds_score"),
               *[by.get(n) for n in level1], v.get("total"), v.get("grade") or None, v.get("printed_total"),
               v.get("printed_grade"), r.status.zh, r.errors, r.warnings,
               "是" if r.included else "否", SelfEvaluationSummary.held_row_note(r) or None, display_name(r.path), v.get("grade_code"),
               v.get("printed_grade_code"), record_year(r),
               display_path(r.path), r.sha256, units.name_of(r), units.key_of(r), v.get("targets_sha256"),
               exact_path(r.path)]


register(SelfEvaluationSummary())  # the consolidation's summary of this form (_consolidate/_tables.py SUMMARIES)
