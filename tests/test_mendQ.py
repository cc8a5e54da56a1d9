"""Every readable amount of a counted return is in the summary's totals, or the summary says which are not and why.

A monitoring report with no month (1-N月) or no usable 全年预算数 lost its readable amounts from its unit's totals
unsaid; a self-evaluation return with one amount unread pulled its unit's 执行率 off; a budget year's totals never
said an amount was missing from them.  Reports are JSON documents (counted with --include-invalid), as the
collector takes them."""

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate

from .conftest import EXAMPLES

MON_DOCS = sorted((EXAMPLES / "monitoring").glob("*.json"))
SE_DOCS = sorted((EXAMPLES / "self-evaluation").glob("*.json"))


def _inbox(tmp_path: Path, sources, changes) -> tuple[Path, list[dict]]:
    """The documents `sources` changed by `changes` (one function each, None: as they are), in a folder."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    docs = []
    for i, (src, change) in enumerate(zip(sources, changes)):
        doc = json.loads(src.read_text(encoding="utf-8"))
        if change:
            change(doc)
        docs.append(doc)
        (inbox / f"r{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return inbox, docs


def _summary(path: Path, name: str):
    """(the body rows, the 合计 row's formulas, the note) of a summary's first sheet."""
    ws = openpyxl.load_workbook(path)[name]
    rows = [list(r) for r in ws.iter_rows(min_row=4, values_only=True)]
    end = next(i for i, r in enumerate(rows) if r[1] == "合计")
    note = next(r[0] for r in rows[end + 1:] if r[0])
    return rows[:end], rows[end], note


def _dec(v) -> Decimal:
    return Decimal(str(v))


def _no_month(doc):
    doc.pop("month")


def _budget(value):
    def change(doc):
        doc["funds"]["full_year_budget"] = value
    return change


def test_monitoring_totals_hold_every_readable_amount_and_the_rate_says_what_it_leaves_out(tmp_path):
    inbox, docs = _inbox(tmp_path, MON_DOCS[:4], [None, _no_month, _budget(None), _budget(0)])
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, jobs=1, include_invalid=True)
    funds = [d["funds"] for d in docs]
    budget = sum((_dec(f["full_year_budget"]) for f in funds if f["full_year_budget"] is not None), Decimal(0))
    executed = sum((_dec(f["executed_to_date"]) for f in funds), Decimal(0))
    assert result.totals["full_year_budget"] == budget and result.totals["executed_to_date"] == executed
    body, total, note = _summary(out, "监控汇总")
    assert len(body) == 1 and body[0][2] == 4
    assert _dec(body[0][3]) == budget and _dec(body[0][4]) == executed  # the unit's row, which 合计 adds up
    assert total[3] == "=SUM(D4:D4)" and total[4] == "=SUM(E4:E4)"
    # 执行率 and 序时进度 over the one report with a month and a budget: not the totals' quotient
    rate = _dec(funds[0]["executed_to_date"]) / _dec(funds[0]["full_year_budget"])
    assert body[0][5] == float(rate.quantize(Decimal("0.0001"))) and body[0][6] == 0.5
    assert "未填报告月份 1 个" in note and "全年预算数未能读出或不大于零 2 个" in note, note
    assert "执行率、序时进度和进度标识" in note and "已加入合计" in note, note
    assert "1 个计入的项目未能读出全年预算数，未加入合计" in note, note  # as before
    en = result.describe("en")
    assert "1 without a month" in en and "2 whose full-year budget is unreadable or not above zero" in en, en
    assert "未填报告月份 1 个" in result.describe(), result.describe()


def test_monitoring_with_every_amount_rated_says_nothing_more(tmp_path):
    inbox, _ = _inbox(tmp_path, MON_DOCS[:2], [None, None])
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, jobs=1)
    _, _, note = _summary(out, "监控汇总")
    assert "未计入" not in note.split("。", 1)[1] and "rate" not in result.describe("en"), note


def test_monitoring_executed_unread_is_left_out_of_the_rate_not_counted_as_nothing_spent(tmp_path):
    def unread(doc):
        doc["funds"]["executed_to_date"] = None
    inbox, docs = _inbox(tmp_path, MON_DOCS[:2], [None, unread])
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1, include_invalid=True)
    body, _, note = _summary(out, "监控汇总")
    f = docs[0]["funds"]
    assert body[0][5] == float((_dec(f["executed_to_date"]) / _dec(f["full_year_budget"])).quantize(Decimal("0.0001")))
    assert "执行数未能读出 1 个" in note, note
    projects = [list(r) for r in openpyxl.load_workbook(out)["项目进度"].iter_rows(min_row=2, values_only=True)]
    unread_row = next(r for r in projects if r[6] is None)
    # no 0 % and no red mark for an amount not read: counted, it is told 未标记 (test_mendGE: the marks add up)
    assert unread_row[7:11] == [None, None, None, "未标记"]


def test_self_evaluation_rate_is_over_the_returns_with_both_amounts(tmp_path):
    def no_budget(doc):
        doc["funds"]["full_year_budget"] = None
    inbox, docs = _inbox(tmp_path, SE_DOCS[:2], [None, no_budget])
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, jobs=1, include_invalid=True)
    body, _, note = _summary(out, "自评汇总")
    funds = [d["funds"] for d in docs]
    assert _dec(body[0][4]) == _dec(funds[0]["executed"]) + _dec(funds[1]["executed"])  # both in the total
    rate = _dec(funds[0]["executed"]) / _dec(funds[0]["full_year_budget"])
    assert body[0][5] == float(rate.quantize(Decimal("0.0001"))), body[0]
    assert "全年预算数未能读出或不大于零 1 个" in note and "执行率只按" in note, note
    assert "1 whose full-year budget is unreadable or not above zero" in result.describe("en")


def test_a_years_totals_say_the_amounts_missing_from_them(tmp_path):
    def year(y, *more):
        def change(doc):
            doc["year"] = y
            for m in more:
                m(doc)
        return change
    inbox, _ = _inbox(tmp_path, MON_DOCS[:3], [year(2020), year(2021), year(2021, _budget(None))])
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, jobs=1, include_invalid=True)
    _, _, note = _summary(out, "监控汇总")
    said = note.split("各年度之和：", 1)[1]
    y2020, y2021 = said.split("；")[:2]
    assert "未能读出" not in y2020 and "（其中 1 个项目未能读出）" in y2021, said
    assert "(1 project's amount unread)" in result.describe("en"), result.describe("en")


def test_a_goal_tables_years_say_the_amounts_missing_from_them(tmp_path):
    """The goal tables' 汇总, returns of two budget years, one of 2021 with 项目总预算 unread: 2021's 项目总预算合计 says
    it lacks one, its 当年预算合计 and 2020's say nothing."""
    from .conftest import EXAMPLE_JSON

    def year(y, unread=False):
        def change(doc):
            doc["year"] = y
            doc["project"]["start_date"], doc["project"]["end_date"] = f"{y}-01-01", f"{y}-12-31"
            if unread:
                doc["budget"]["total"] = None
        return change
    inbox, docs = _inbox(tmp_path, EXAMPLE_JSON[:3], [year(2020), year(2021), year(2021, True)])
    out = tmp_path / "s.xlsx"
    result = consolidate([inbox], out, jobs=1, include_invalid=True)
    assert result.totals["by_year"][2021]["missing"] == {"total": 1} and "missing" not in result.totals["by_year"][2020]
    _, _, note = _summary(out, "汇总")
    y2020, y2021 = note.split("各年度之和：", 1)[1].split("；")[:2]
    assert "未能读出" not in y2020, y2020
    assert y2021.count("（其中 1 个项目未能读出）") == 1 and "项目总预算合计" in y2021.split("（其中")[0], y2021


def test_the_summaries_written_pass_the_audit(tmp_path):
    audit = pytest.importorskip("openxml_audit")
    inbox, _ = _inbox(tmp_path, MON_DOCS[:4], [None, _no_month, _budget(None), _budget(0)])
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1, include_invalid=True)
    result = audit.OpenXmlValidator().validate(str(out))
    assert result.is_valid, [str(e) for e in list(result.errors)[:3]]


def test_the_json_says_the_reports_the_rates_leave_out(tmp_path):
    inbox, _ = _inbox(tmp_path, MON_DOCS[:4], [None, _no_month, _budget(None), _budget(0)])
    consolidate([inbox], tmp_path / "s.xlsx", jobs=1, include_invalid=True, json_path=tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["summary"]["rates_left_out"] == {"no_month": 1, "no_budget": 2}, data["summary"]
    assert data["summary"]["totals_missing"] == {"全年预算数（元）": 1}
    executed = data["summary"]["columns"].index("1-N月执行数（元）")
    assert sum(Decimal(str(r[executed])) for r in data["summary"]["rows"]) == Decimal(str(data["summary"]["totals"]["1-N月执行数（元）"]))
    inbox2 = tmp_path / "fine"
    inbox2.mkdir()
    (inbox2 / "a.json").write_text(MON_DOCS[0].read_text(encoding="utf-8"), encoding="utf-8")
    consolidate([inbox2], tmp_path / "g.xlsx", jobs=1, json_path=tmp_path / "g.json")
    assert "rates_left_out" not in (tmp_path / "g.json").read_text(encoding="utf-8")
