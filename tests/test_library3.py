"""consolidate takes JSON documents as returns, as validate does (library3 item 1); the summary chart's second label
column has its heading (item 2); a crashed JSON document's report is made from what the collector knew (item 3)."""

from __future__ import annotations

import json
import os
import shutil

import openpyxl

from xlgoals import consolidate

from .conftest import EXAMPLE_JSON, EXAMPLES, load
from .helpers import ooxml_errors

RETURNS = sorted((EXAMPLES / "returns").glob("*.xlsx"))


def _write(path, doc):
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _rows(ws, first: str = "序号"):
    """The table of a summary sheet as dicts, by its heading row (the one starting with 序号)."""
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[0] == first)
    return [dict(zip(rows[head], r)) for r in rows[head + 1:] if isinstance(r[0], int)]


def test_a_folder_of_json_documents_is_summarised_as_its_workbooks_are(tmp_path):
    inbox, books = tmp_path / "收件箱", tmp_path / "工作簿"
    inbox.mkdir(), books.mkdir()
    shutil.copy(RETURNS[0], inbox)
    for p in EXAMPLE_JSON[1:]:
        shutil.copy(p, inbox)
    for p in RETURNS:
        shutil.copy(p, books)
    out, js, csv_dir = tmp_path / "汇总.xlsx", tmp_path / "汇总.json", tmp_path / "表"
    res = consolidate([inbox], out, jobs=1, json_path=js, csv_dir=csv_dir, made_on="2026-01-01")
    base = consolidate([books], tmp_path / "基准.xlsx", jobs=1, made_on="2026-01-01")
    assert res.counts == {**base.counts}, (res.counts, base.counts)
    assert res.counts["counted"] == 5 and res.counts["skipped"] == 0 and not res.skipped, res.counts
    assert res.totals["total"] == base.totals["total"] and res.totals["current_year"] == base.totals["current_year"]
    wb = openpyxl.load_workbook(out)
    projects = _rows(wb["项目清单"])
    assert sorted(p["来源文件"] for p in projects) == sorted([RETURNS[0].name] + [p.name for p in EXAMPLE_JSON[1:]])
    assert all(p["计入汇总"] == "是" for p in projects), projects
    base_wb = openpyxl.load_workbook(tmp_path / "基准.xlsx")
    assert wb["绩效指标"].max_row == base_wb["绩效指标"].max_row > 20
    values = [[c.value for c in r] for r in wb["汇总"].iter_rows()]
    assert values == [[c.value for c in r] for r in base_wb["汇总"].iter_rows()]  # the same summary, unit by unit
    checked = _rows(wb["校验结果"])
    assert {r["文件"]: r["状态"] for r in checked} == {p["来源文件"]: "通过" for p in projects}, checked
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert doc["counts"]["counted"] == 5 and len(doc["projects"]["rows"]) == 5
    assert any(r[1].endswith(".json") for r in doc["validation"]["rows"]), doc["validation"]["rows"]
    import csv

    with open(csv_dir / "项目清单.csv", encoding="utf-8-sig", newline="") as fh:
        listed = sorted(r["来源文件"] for r in csv.DictReader(fh))
    assert listed == sorted(p["来源文件"] for p in projects) and ooxml_errors(out) == []


def test_a_json_document_and_the_workbook_it_was_read_from_count_once_said_in_the_results(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(RETURNS[0], inbox)
    shutil.copy(EXAMPLE_JSON[0], inbox / (RETURNS[0].stem + ".json"))
    os.utime(inbox / RETURNS[0].name, (1_600_000_000, 1_600_000_000))  # the JSON read from it later: newer
    out = tmp_path / "汇总.xlsx"
    res = consolidate([inbox], out, jobs=1)
    assert res.counts["files"] == 2 and res.counts["counted"] == 1 and res.counts["duplicates"] == 1, res.counts
    (dup,) = [r for r in res.records if r.duplicate]
    (kept,) = [r for r in res.records if r.included]
    # the workbook, as sent, counts before the JSON document read from it, however newer that is
    assert (dup.path[-5:], kept.path[-5:]) == (".json", ".xlsx"), (dup.path, kept.path)
    checked = {r["文件"]: r for r in _rows(openpyxl.load_workbook(out)["校验结果"])}
    note = checked[dup.path.rpartition("/")[2]]["说明"]
    assert "重复申报" in note and kept.path.rpartition("/")[2] in note and "JSON" in note and "工作簿" in note, note
    assert "另存" not in note, note  # the two are no return saved again: one was read from the other
    (line,) = res.duplicate_lines()
    assert "JSON" in line, line
    assert ooxml_errors(out) == []


def test_bad_json_is_one_located_problem_for_its_file_and_the_batch_goes_on(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(RETURNS[1], inbox)
    (inbox / "断.json").write_text('{"form": "goal-table", "unit": ', encoding="utf-8")
    text = json.dumps(load(EXAMPLE_JSON[2]), ensure_ascii=False).replace('"year": 2020', '"year": NaN', 1)
    assert "NaN" in text
    (inbox / "非数.json").write_text(text, encoding="utf-8")
    (inbox / "深.json").write_text('{"form": "goal-table", "x": ' + "[" * 5_000_000 + "]" * 5_000_000 + "}",
                                   encoding="utf-8")
    (inbox / "训练.json").write_text('{"loss": 0.5, "epoch": 3}', encoding="utf-8")  # another program's: not checked
    named = _write(tmp_path / "单位.json", {"unit": "kg"})  # named: it is said to be no return of ours
    shape = load(EXAMPLE_JSON[3])
    shape["indicators"] = 1.5  # a shape no workbook holds: the schema says so, the summary has nothing to list
    _write(inbox / "形.json", shape)
    out, js = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    res = consolidate([inbox, named], out, jobs=1, json_path=js)
    assert res.counts["counted"] == 1 and res.counts["files"] == 6, res.counts
    assert [p.rpartition("/")[2] for p in res.skipped] == ["训练.json"], res.skipped
    checked = _rows(openpyxl.load_workbook(out)["校验结果"])
    by_file: dict = {}
    for r in checked:
        by_file.setdefault(r["文件"], []).append(r)
    for name, code, cell in [("断.json", "file.bad_json", None), ("非数.json", "file.bad_json", "/year"),
                             ("深.json", "file.bad_json", None), ("单位.json", "file.not_document", "/")]:
        (r,) = by_file[name]
        assert (r["代码"], r["单元格"], r["状态"]) == (code, cell, "无法读取"), r
        assert r["工作表"] is None and r["说明"], r
    assert by_file["训练.json"][0]["状态"] == "未检查"
    assert ("schema.type", "/indicators", "无法读取") in {(r["代码"], r["单元格"], r["状态"]) for r in by_file["形.json"]}
    doc = json.loads(js.read_text(encoding="utf-8"))
    cols = doc["validation"]["columns"]
    rows = [dict(zip(cols, r)) for r in doc["validation"]["rows"]]
    assert [r["单元格"] for r in rows if r["文件"] == "非数.json"] == ["/year"], rows
    assert ooxml_errors(out) == []


def test_a_json_documents_problems_are_at_their_json_pointers(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    doc = load(EXAMPLE_JSON[1])
    doc["budget"]["total"] = -5
    _write(inbox / "目标表.json", doc)
    out = tmp_path / "汇总.xlsx"
    res = consolidate([inbox], out, jobs=1, include_invalid=True)
    (rec,) = res.records
    assert rec.status.code == "invalid" and rec.included, rec
    cells = {p[3] for p in rec.problems}
    assert "/budget/total" in cells and all(c and c.startswith("/") for c in cells), rec.problems
    rows = _rows(openpyxl.load_workbook(out)["校验结果"])
    assert "/budget/total" in {r["单元格"] for r in rows} and not any(r["工作表"] for r in rows), rows


def test_the_chart_labels_second_column_has_its_heading(tmp_path):
    from .test_chart_year_unknown import year_unknown_summary

    out = year_unknown_summary(tmp_path)
    ws = openpyxl.load_workbook(out)["汇总"]
    heads = [c.value for c in ws[3]]
    label = heads.index("图表分类")
    assert heads[label + 1] == "图表分类（预算年度）", heads
    assert ws.cell(3, label + 2).font.b == ws.cell(3, label + 1).font.b  # formatted as the first
    assert ooxml_errors(out) == []


def test_a_crashed_json_documents_report_does_not_open_the_file_again(tmp_path, monkeypatch):
    """A named JSON document whose worker dies: its report says a JSON document (file.bad_json), from the kind the
    collector found when it listed the file; the crash report does not open the file again to ask."""
    import os

    from xlgoals import validate
    from xlgoals._check import _jsondoc, _validate
    from xlgoals._consolidate import _collect

    doc = _write(tmp_path / "目标表.json", load(EXAMPLE_JSON[1]))
    looked, crashing = [], []
    real_holds, real_crash = _validate.holds_a_workbook, _validate.crash_report

    def holds(path):
        looked.append((bool(crashing), str(path)))
        return real_holds(path)

    def crash_report(*a, **k):
        crashing.append(1)
        try:
            return real_crash(*a, **k)
        finally:
            crashing.pop()

    def dies(*a, **k):
        os._exit(3)

    monkeypatch.setattr(_validate, "holds_a_workbook", holds)
    monkeypatch.setattr(_validate, "crash_report", crash_report)
    monkeypatch.setattr(_collect, "crash_report", crash_report)
    monkeypatch.setattr(_jsondoc, "check_json_file", dies)
    (f,) = validate([doc], jobs=1).files
    assert [p.code for p in f.problems] == ["file.bad_json"], f.problems
    assert looked and not any(during for during, _ in looked), looked
    looked.clear()
    res = consolidate([doc], tmp_path / "汇总.xlsx", jobs=1)
    (rec,) = res.records
    assert [p[1] for p in rec.problems] == ["file.bad_json"], rec.problems
    assert looked and not any(during for during, _ in looked), looked


def test_a_duplicate_with_problems_is_said_a_duplicate_in_the_results_too(tmp_path):
    """03's return has a warning (a placeholder target): its JSON beside it is a duplicate, which 校验结果 said only
    for a duplicate without problems (its note went where no problem was)."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(RETURNS[2], inbox)
    shutil.copy(EXAMPLE_JSON[2], inbox)
    out = tmp_path / "汇总.xlsx"
    res = consolidate([inbox], out, jobs=1)
    (dup,) = [r for r in res.records if r.duplicate]
    assert dup.problems and dup.path.endswith(".json"), dup
    rows = [r for r in _rows(openpyxl.load_workbook(out)["校验结果"]) if r["文件"] == EXAMPLE_JSON[2].name]
    assert [r["代码"] for r in rows] == [p[1] for p in dup.problems] + [None], rows
    assert rows[-1]["说明"] == dup.note and "重复申报" in dup.note, rows
    assert len({r["序号"] for r in rows}) == 1 and ooxml_errors(out) == []


def test_a_json_documents_review_notices_are_at_their_pointers(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_JSON[3], inbox)
    out = tmp_path / "汇总.xlsx"
    consolidate([inbox], out, jobs=1, review=True)
    (row,) = _rows(openpyxl.load_workbook(out)["审核"], "排名（得分从低到高）")
    assert row["来源文件"] == EXAMPLE_JSON[3].name and row["主要提示一"].startswith("/indicators/"), row


def test_a_workbook_that_fails_counts_before_the_json_document_read_from_it(tmp_path):
    """The stamped workbook is the return: where it fails (here an amount typed as a word, as a locked cell typed
    over would) and the JSON document of it passes, the workbook still counts (and fails), the document is its
    duplicate: a failing return is not passed by its copy."""
    from xlgoals import FORMS

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    form = FORMS["goal-table"]
    (budget,) = [f for f in form.fields if f.kind == "amount"][:1]
    wb = openpyxl.load_workbook(RETURNS[0])
    wb[form.info.name].cell(budget.row + 1, budget.col + 1).value = "很多"
    wb.save(inbox / RETURNS[0].name)
    shutil.copy(EXAMPLE_JSON[0], inbox / (RETURNS[0].stem + ".json"))
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    (dup,) = [r for r in res.records if r.duplicate]
    (kept,) = [r for r in res.records if not r.duplicate]
    assert (kept.path[-5:], dup.path[-5:]) == (".xlsx", ".json"), (kept.path, dup.path)
    assert kept.errors and not kept.included and res.counts["counted"] == 0, res.counts
    assert "cell.amount" in {code for _, code, *_ in kept.problems}, kept.problems


def _after_json_documents(monkeypatch, module, change):
    """The collector's listing (its JSON documents told) as it is, then `change()`: a clerk moving a JSON return
    away between the folder's listing and its read."""
    from xlgoals._check import _validate

    real = _validate.json_documents

    def listed(found):
        documents = real(found)
        change()
        return documents

    monkeypatch.setattr(module, "json_documents", listed)


def test_a_json_document_gone_between_listing_and_read_is_said_vanished(tmp_path, monkeypatch):
    """mendF 1: a workbook listed and gone when read says file.vanished; a JSON document said 无法打开
    (file.bad_json), as if it were there and unreadable. In validate and consolidate, found in a folder or named."""
    from xlgoals import validate
    from xlgoals._check import _validate
    from xlgoals._consolidate import _collect

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(RETURNS[1], inbox)
    found = shutil.copy(EXAMPLE_JSON[1], inbox / "目标表.json")
    named = shutil.copy(EXAMPLE_JSON[2], tmp_path / "点名.json")

    def gone():
        os.remove(found), os.remove(named)

    def again():
        shutil.copy(EXAMPLE_JSON[1], found), shutil.copy(EXAMPLE_JSON[2], named)

    _after_json_documents(monkeypatch, _validate, gone)
    report = validate([inbox, named], jobs=1)
    by_path = {f.path: [p.code for p in f.problems] for f in report.files}
    assert by_path[str(found)] == by_path[str(named)] == ["file.vanished"], by_path
    assert str(found) not in report.skipped_reasons, report.skipped_reasons
    again()
    monkeypatch.undo()
    _after_json_documents(monkeypatch, _collect, gone)
    res = consolidate([inbox, named], tmp_path / "汇总.xlsx", jobs=1)
    by_path = {r.path: [p[1] for p in r.problems] for r in res.records}
    assert by_path[str(found)] == by_path[str(named)] == ["file.vanished"], by_path
    assert res.counts["counted"] == 1 and res.counts["files"] == 3, res.counts


def test_a_folder_of_another_programs_json_says_what_was_looked_for_and_why_not_checked(tmp_path):
    """mendF 2: consolidate takes JSON documents, but its exit-1 line said only 没有找到任何工作簿: a folder holding a
    training log's JSON is said to hold no workbook nor JSON document of a return, and the JSON found is said not
    checked, and why (listed below it)."""
    from .conftest import cli

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    _write(inbox / "训练.json", {"loss": 0.5, "epoch": 3})
    (inbox / "说明.txt").write_text("说明", encoding="utf-8")
    res = consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    zh, en = res.nothing_found(), res.nothing_found("en")
    assert "工作簿" in zh and "JSON 申报文档" in zh and "另有 2 个其他文件未检查" in zh, zh
    assert "1 个 JSON 文件不是 xlgoals 申报的 JSON 文档" in zh and "见下" in zh, zh
    assert "no workbook" in en and "JSON document of a return" in en and "2 other files were not checked" in en, en
    assert "(1 of them is a JSON file that is not a return)" in en, en
    r = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx")
    assert r.exit_code == 1 and zh in r.stderr and "训练.json" in r.stderr.split(zh)[1], r.stderr
    r = cli("--lang", "en", "consolidate", inbox, "-o", tmp_path / "e.xlsx")
    assert r.exit_code == 1 and en in r.stderr and "训练.json" in r.stderr.split(en)[1], r.stderr
    empty = tmp_path / "空"
    empty.mkdir()
    none = consolidate([empty], tmp_path / "空.xlsx", jobs=1)
    said = none.nothing_found()
    assert "JSON 申报文档" in said and "另有" not in said and "JSON 文件不是" not in said, said
    assert "JSON document of a return" in none.nothing_found("en"), none.nothing_found("en")


def test_a_folder_json_whose_check_crashed_says_it_was_not_told_a_document(tmp_path, monkeypatch):
    """mendF 3: a JSON file a folder gave may be another program's (listed as not checked, when its check tells so);
    one whose worker died before telling is still listed, as failing, but says it is not known to be a return's
    document. A named one is a document to check, as it was."""
    from xlgoals import validate
    from xlgoals._check import _jsondoc

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    found = _write(inbox / "目标表.json", load(EXAMPLE_JSON[1]))
    named = _write(tmp_path / "点名.json", load(EXAMPLE_JSON[2]))

    def dies(*a, **k):
        os._exit(3)

    monkeypatch.setattr(_jsondoc, "check_json_file", dies)
    report = validate([inbox, named], jobs=1)
    by_path = {f.path: f.problems for f in report.files}
    (p,) = by_path[str(found)]
    assert p.code == "file.bad_json" and "未能判断" in p.message and "not known" in p.message_en, (p.message,
                                                                                                   p.message_en)
    (q,) = by_path[str(named)]
    assert q.code == "file.bad_json" and "未能判断" not in q.message and "not known" not in q.message_en, q.message
    res = consolidate([inbox, named], tmp_path / "汇总.xlsx", jobs=1)
    by_path = {r.path: r.problems for r in res.records}
    assert len(by_path) == 2 and res.counts["files"] == 2 and not res.skipped, (by_path, res.skipped)
    assert "未能判断" in str(by_path[str(found)]) and "未能判断" not in str(by_path[str(named)]), by_path
