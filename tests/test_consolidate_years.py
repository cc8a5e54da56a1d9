"""Returns of several budget years consolidated at once (two years' inboxes, a recurring project): each unit's
amounts by year in 汇总, each year's own totals said on the sheet, on the terminal and in the JSON's rows; one
year's summary as it was."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl

from xlgoals import consolidate, fill

from .conftest import EXAMPLE_JSON, cli, load


def _doc(i: int, year: int) -> dict:
    doc = load(EXAMPLE_JSON[i])
    doc["year"] = year
    doc["project"]["start_date"], doc["project"]["end_date"] = f"{year}-01-01", f"{year}-12-31"
    return doc


def _inbox(tmp_path, years: dict) -> dict:
    """Returns of the seed tables `i` in `years` {name: (i, year)}; their documents by name."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    docs = {}
    for name, (i, year) in years.items():
        docs[name] = _doc(i, year)
        (tmp_path / f"{name}.json").write_text(json.dumps(docs[name], ensure_ascii=False), encoding="utf-8")
        fill(tmp_path / f"{name}.json", inbox / f"{name}.xlsx")
    return docs


def _sheet_rows(path, name="汇总"):
    ws = openpyxl.load_workbook(path)[name]
    return [list(r) for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def test_two_years_summed_unseen_no_more(tmp_path):
    docs = _inbox(tmp_path, {"a2020": (0, 2020), "b2020": (1, 2020), "a2021": (2, 2021)})
    (tmp_path / "inbox" / "坏.xlsx").write_bytes(b"not a workbook")  # no year known: its row's year left blank
    res = consolidate([tmp_path / "inbox"], tmp_path / "汇总.xlsx", json_path=tmp_path / "汇总.json", jobs=1)
    money = {name: Decimal(str(d["budget"]["current_year"])) for name, d in docs.items()}
    total = {name: Decimal(str(d["budget"]["total"])) for name, d in docs.items()}

    rows = _sheet_rows(tmp_path / "汇总.xlsx")
    header = rows[2]
    assert header[:4] == ["序号", "申报单位", "预算年度", "项目数"]
    unit = docs["a2020"]["unit"]
    body = [r for r in rows[3:] if isinstance(r[0], int)]
    by_year = {(r[1], r[2]): r for r in body}
    assert by_year[(unit, 2020)][3:6] == [2, total["a2020"] + total["b2020"], money["a2020"] + money["b2020"]]
    assert by_year[(unit, 2021)][3:6] == [1, total["a2021"], money["a2021"]]
    blank_year = [r for r in body if r[2] is None]
    assert len(blank_year) == 1 and blank_year[0][6] == 1  # the unreadable file, its year unknown: counted failed
    total_row = next(r for r in rows if r[1] == "合计")
    assert total_row[3].startswith("=SUM(D") and total_row[5].startswith("=SUM(F")  # amounts one column right

    note = next(r[0] for r in rows if isinstance(r[0], str) and "预算年度的申报" in r[0])
    assert "本汇总含 2 个预算年度的申报" in note
    assert f"2020 年度 2 个项目，项目总预算合计 {total['a2020'] + total['b2020']:,.2f} 元" in note
    assert f"2021 年度 1 个项目，项目总预算合计 {total['a2021']:,.2f} 元，当年预算合计 {money['a2021']:,.2f} 元" in note

    line = res.describe()
    assert "为 2 个预算年度之和" in line and f"2021 年度 1 个项目，项目总预算合计 {total['a2021']:,.2f} 元" in line
    assert "the sum of 2 budget years: 2020: 2 projects" in res.describe("en")
    assert res.totals["by_year"][2021]["current_year"] == money["a2021"]
    assert sum(y["total"] for y in res.totals["by_year"].values()) == res.totals["total"]

    summary = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))["summary"]
    assert summary["columns"][2] == "预算年度"
    assert [r[2] for r in summary["rows"]] == [2020, 2021, None]


def test_the_terminal_says_each_year(tmp_path):
    _inbox(tmp_path, {"a": (0, 2020), "b": (1, 2021)})
    out = cli("consolidate", tmp_path / "inbox", "-o", tmp_path / "汇总.xlsx")
    assert out.exit_code == 0, out.output
    assert "为 2 个预算年度之和：2020 年度 1 个项目" in out.output


def test_one_year_as_before(tmp_path):
    _inbox(tmp_path, {"a": (0, 2020), "b": (1, 2020)})
    res = consolidate([tmp_path / "inbox"], tmp_path / "汇总.xlsx", jobs=1)
    rows = _sheet_rows(tmp_path / "汇总.xlsx")
    assert rows[2][:3] == ["序号", "申报单位", "项目数"]
    assert "by_year" not in res.totals and "预算年度之和" not in res.describe()
    assert not any(isinstance(r[0], str) and "预算年度的申报" in r[0] for r in rows)


def _other_form_inbox(tmp_path, folder: str) -> tuple[list, list]:
    """The example returns of `folder` (self-evaluation or monitoring): the first two of 2020 as they are, the third
    made again as a 2021 return."""
    from .conftest import EXAMPLES

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    docs = [load(p) for p in sorted((EXAMPLES / folder).glob("0*.json"))[:3]]
    docs[2]["year"] = 2021
    for i, doc in enumerate(docs):
        (tmp_path / f"{i}.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        fill(tmp_path / f"{i}.json", inbox / f"{i}.xlsx")
    return docs


def test_self_evaluations_of_two_years(tmp_path):
    docs = _other_form_inbox(tmp_path, "self-evaluation")
    res = consolidate([tmp_path / "inbox"], tmp_path / "汇总.xlsx", jobs=1, include_invalid=True)
    assert res.form == "self-evaluation"
    rows = _sheet_rows(tmp_path / "汇总.xlsx", "自评汇总")
    assert rows[2][:4] == ["序号", "申报单位", "预算年度", "项目数"]
    body = [r for r in rows[3:] if isinstance(r[0], int)]
    assert [(r[2], r[3]) for r in body] == [(2020, 2), (2021, 1)]
    budget = Decimal(str(docs[2]["funds"]["full_year_budget"]))
    assert Decimal(str(body[1][4])) == budget
    assert res.totals["by_year"][2021]["full_year_budget"] == budget
    assert f"2021 年度 1 个项目，全年预算数合计 {budget:,.2f} 元" in res.describe()
    assert any(isinstance(r[0], str) and "本汇总含 2 个预算年度的申报" in r[0] for r in rows)


def test_monitoring_reports_of_two_years(tmp_path):
    docs = _other_form_inbox(tmp_path, "monitoring")
    res = consolidate([tmp_path / "inbox"], tmp_path / "汇总.xlsx", jobs=1, include_invalid=True)
    assert res.form == "monitoring"
    ws_rows = _sheet_rows(tmp_path / "汇总.xlsx", "监控汇总")
    header = next(r for r in ws_rows if r[0] == "序号")
    assert header[:4] == ["序号", "申报单位", "预算年度", "项目数"]
    body = [r for r in ws_rows if isinstance(r[0], int)]
    assert [(r[2], r[3]) for r in body] == [(2020, 2), (2021, 1)]
    budget = Decimal(str(docs[2]["funds"]["full_year_budget"]))
    assert res.totals["by_year"][2021]["full_year_budget"] == budget
    assert "为 2 个预算年度之和：2020 年度 2 个项目" in res.describe()


def _year_unreadable(src, dst, form_id: str):
    """`src` with "明年" typed in its 预算年度 cell: a return whose year cannot be read (it fails validation; a blank
    cell is read as the template's year)."""
    from xlgoals import FORMS

    from .helpers import edited

    f = FORMS[form_id].field("/year")
    return edited(src, dst, {(f.sheet, f.cell): "明年"})


def test_a_counted_return_of_no_year_is_said_as_year_unknown(tmp_path):
    """With --include-invalid, a goal table whose 预算年度 could not be read added to 合计 but to no year, while the note
    said 合计行为各年度之和: the years' figures did not add up to it.  It is a year of its own, 年度不明."""
    docs = _inbox(tmp_path, {"a2020": (0, 2020), "b2021": (1, 2021), "c": (2, 2021)})
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "c.xlsx", inbox / "c-no-year.xlsx", "goal-table")
    (inbox / "c.xlsx").unlink()
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1, include_invalid=True)
    total = {name: Decimal(str(d["budget"]["total"])) for name, d in docs.items()}
    by_year = res.totals["by_year"]
    assert list(by_year) == [2020, 2021, None]
    assert by_year[None]["projects"] == 1 and by_year[None]["total"] == total["c"]
    assert sum(y["total"] for y in by_year.values()) == res.totals["total"]
    assert sum(y["current_year"] for y in by_year.values()) == res.totals["current_year"]
    line = res.describe()
    assert f"年度不明 1 个项目，项目总预算合计 {total['c']:,.2f} 元" in line, line
    assert "year unknown: 1 project, total budget" in res.describe("en")
    rows = _sheet_rows(tmp_path / "汇总.xlsx")
    note = next(r[0] for r in rows if isinstance(r[0], str) and "预算年度的申报" in r[0])
    assert f"年度不明 1 个项目，项目总预算合计 {total['c']:,.2f} 元" in note, note
    out = cli("consolidate", inbox, "-o", tmp_path / "汇总2.xlsx", "--include-invalid")
    assert "年度不明 1 个项目" in out.output, out.output


def test_a_self_evaluation_of_no_year_is_said_as_year_unknown(tmp_path):
    docs = _other_form_inbox(tmp_path, "self-evaluation")
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "0.xlsx", inbox / "0-no-year.xlsx", "self-evaluation")
    (inbox / "0.xlsx").unlink()
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1, include_invalid=True)
    by_year = res.totals["by_year"]
    assert list(by_year) == [2020, 2021, None] and by_year[None]["projects"] == 1
    budget = Decimal(str(docs[0]["funds"]["full_year_budget"]))
    assert by_year[None]["full_year_budget"] == budget
    assert sum(y["full_year_budget"] for y in by_year.values()) == res.totals["full_year_budget"]
    assert f"年度不明 1 个项目，全年预算数合计 {budget:,.2f} 元" in res.describe()
    rows = _sheet_rows(tmp_path / "汇总.xlsx", "自评汇总")
    assert any(isinstance(r[0], str) and "年度不明 1 个项目" in r[0] for r in rows)


def test_a_return_of_no_year_left_out_adds_no_bucket(tmp_path):
    """Without --include-invalid the return of no year is not counted: no 年度不明 said."""
    _inbox(tmp_path, {"a2020": (0, 2020), "b2021": (1, 2021), "c": (2, 2021)})
    inbox = tmp_path / "inbox"
    _year_unreadable(inbox / "c.xlsx", inbox / "c-no-year.xlsx", "goal-table")
    (inbox / "c.xlsx").unlink()
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    assert list(res.totals["by_year"]) == [2020, 2021] and "年度不明" not in res.describe()
