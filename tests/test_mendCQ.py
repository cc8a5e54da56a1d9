"""mendCQ: small consistency items noticed by today's red teams.

1. A self-evaluation's amount warned of as typed in 万元 (self.amount_scale) is held out of the summary's totals, 执行率
   and frames(), as the monitoring summary's (mendCM), and said so (the note, the terminal line, JSON, 项目得分's 说明).
"""

from __future__ import annotations

import json

import pandas as pd
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import edited, ooxml_errors, source_row


# 1. an amount warned of as 万元 is held out of the self-evaluation summary's totals --------------------------------
def test_a_self_evaluation_amount_warned_of_as_wan_is_held_out_of_the_summary(tmp_path):
    from xlgoals import frames

    form = FORMS["self-evaluation"]
    f = form.field("/funds/executed")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    examples = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:3]
    docs = [json.loads(src.with_suffix(".json").read_text(encoding="utf-8")) for src in examples]
    in_wan = Decimal(str(docs[1]["funds"]["executed"])) / 10000
    wan = edited(examples[1], inbox / "万元.xlsx", {(f.sheet, f.cell): float(round(in_wan, 2))})
    for src in (examples[0], examples[2]):
        edited(src, inbox / src.name, {})
    (warned,) = [p for p in validate_file(wan).problems if p.code.startswith("self.amount_scale")]
    assert warned.cell == f.cell and "核对前汇总不将此金额计入合计" in warned.message, warned.message
    assert "leaves it out of its totals" in warned.message_en
    others = sum(Decimal(str(d["funds"]["executed"])) for d in (docs[0], docs[2]))
    # (its 资金得分, 执行率 and 其中 lines then disagree with it: errors, so it is counted under --include-invalid)
    result = consolidate([inbox], tmp_path / "s.xlsx", json_path=tmp_path / "s.json", include_invalid=True)
    assert Decimal(str(result.totals["executed"])) == others, (result.totals["executed"], others)
    assert result.totals["amounts_held_out"] == {"executed": 1}
    assert "amounts_missing" not in result.totals
    assert result.totals["amounts_unrated"] == {"held_out": 1}, result.totals
    summary = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["summary"]
    assert summary["totals_held_out"] == {"全年执行数（元）": 1}, summary
    assert "1 个计入的项目的全年执行数疑按万元填写（self.amount_scale），未加入合计" in result.describe()
    assert "apparently in 10,000 yuan (self.amount_scale)" in result.describe("en")
    assert not ooxml_errors(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    texts = [c.value for row in wb["自评汇总"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("全年执行数疑按万元填写" in t and "未加入合计" in t for t in texts), texts
    head, row = source_row(wb["项目得分"], "万元.xlsx")
    assert row[head.index("全年执行数（元）")] is None and "全年执行数疑按万元填写，未计入合计" in row[head.index("说明")]
    assert row[head.index("执行率")] is None
    assert row[head.index(form.field("/funds/score").heading)] is None  # not recomputed from 14,201.51 元 either
    # frames() keeps the amount as typed and flags it (mendCR): an analyst leaving out the flagged ones sums as the summary
    projects = frames([inbox]).projects
    flagged = [None if pd.isna(h) else h for h in projects["held_out"]]
    assert flagged.count("funds.executed") == 1 and flagged.count(None) == 2, flagged
    kept = [v for v, h in zip(projects["funds.executed"], flagged) if h is None]
    assert sum(kept, Decimal(0)) == others and Decimal("14201.51") in list(projects["funds.executed"])


# 2. one cell, one mistake: no short-narrative notice beside a placeholder error --------------------------------------
def _deviation_problems(tmp_path, text, workbook):
    from xlgoals import validate

    form = FORMS["self-evaluation"]
    if workbook:
        src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
        budget = json.loads(src.with_suffix(".json").read_text(encoding="utf-8"))["funds"]["full_year_budget"]
        cells = {(form.field("/funds/executed").sheet, form.field("/funds/executed").cell): budget / 2,
                 (form.field("/funds/deviation").sheet, form.field("/funds/deviation").cell): text}
        path = edited(src, tmp_path / f"{len(text)}.xlsx", cells)
    else:
        doc = json.loads(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[0].read_text(encoding="utf-8"))
        doc["funds"]["executed"] = doc["funds"]["full_year_budget"] / 2  # 50 %: a reason is required
        doc["funds"]["deviation"] = text
        path = tmp_path / f"{len(text)}.json"
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = validate([path], review=True).files[0]
    return sorted(p.code for p in report.problems if p.path == "/funds/deviation"), report


@pytest.mark.parametrize("workbook", [False, True], ids=["json", "workbook"])
@pytest.mark.parametrize("text", ["无", "无。", " 暂无； "])
def test_a_placeholder_reason_is_one_message_not_two(tmp_path, text, workbook):
    codes, report = _deviation_problems(tmp_path, text, workbook)
    assert codes == ["self.execution_unexplained"], codes
    (p,) = [p for p in report.problems if p.code == "self.execution_unexplained"]
    assert f"填写的“{text.strip()}”是占位符" in p.message, p.message
    # the other narratives' short notices stay
    assert any(p.code == "review.narrative_short" and p.path != "/funds/deviation" for p in report.problems)


@pytest.mark.parametrize("workbook", [False, True], ids=["json", "workbook"])
def test_a_short_real_reason_keeps_its_notice(tmp_path, workbook):
    codes, _ = _deviation_problems(tmp_path, "资金未到位。", workbook)
    assert codes == ["review.narrative_short"], codes


# 3. read --trace's sources are the document's pointers: no /total --------------------------------------------------
def test_trace_sources_name_only_fields_of_the_document(tmp_path):
    from xlgoals import read

    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0]
    result = read(src)
    traced = json.loads(result.to_json(trace=True))
    form = FORMS["self-evaluation"]
    assert "/total" not in traced["sources"], sorted(traced["sources"])[-5:]
    item = form.table.item_path
    keys = {c for col in form.table.columns for c in col.item_keys}
    for path in traced["sources"]:  # a value of the document, a field of the form, or an item's column
        parts = path.strip("/").split("/")
        assert _in(traced["document"], parts) or form.find_field(path) is not None \
            or (path.startswith(item + "/") and parts[1].isdigit() and parts[-1] in keys), path
    # the 总分's own problems still name its cell (the reader locates them; the trace's problems carry sheet and cell)
    assert result.source_of("/total")[1], result.source_of("/total")


def _in(doc, parts) -> bool:
    for part in parts:
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            return False
    return True


# 4. frames' problems carry the JSON report's fields -----------------------------------------------------------------
def test_frames_problems_carry_the_json_reports_fields(tmp_path):
    from xlgoals import frames, validate
    from xlgoals._check._report import json_report

    inbox = EXAMPLES / "received"
    report = json.loads(json_report(validate([inbox])))
    wanted = [p for f in report["files"] for p in f["problems"]]
    assert wanted and any(p["value_en"] != p["value_zh"] or p["expected_en"] != p["expected_zh"] for p in wanted)
    problems = frames([inbox]).problems
    assert set(wanted[0]) <= set(problems.columns), set(wanted[0]) - set(problems.columns)
    assert list(problems.columns)[-1] == "file_bytes"
    rows = problems.astype(object).where(problems.notna(), None).to_dict("records")

    def key(p):
        return p["file_bytes"], p["code"], p["path"] or "", p["cell"] or "", p["message_zh"]

    got = {key(p): p for p in rows}
    assert len(got) == len(rows) == len(wanted)
    for p in wanted:
        row = got[key(p)]
        for name, v in p.items():
            assert (row[name] if row[name] is not None else "") == (v if v is not None else ""), (name, row[name], v)


# 5. 项目清单's dates are date cells ---------------------------------------------------------------------------------
def test_project_list_dates_are_date_cells(tmp_path):
    import csv
    import datetime as dt

    from .helpers import info_cell

    goal = FORMS["goal-table"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX

    srcs = EXAMPLE_XLSX
    doc = json.loads(next(p for p in EXAMPLE_JSON if p.stem == srcs[0].stem).read_text(encoding="utf-8"))
    start, end = doc["project"]["start_date"], doc["project"]["end_date"]
    edited(srcs[0], inbox / "a.xlsx", {})
    edited(srcs[0], inbox / "b.xlsx", {info_cell("/project/start_date"): "2020年上半年",
                                       info_cell("/project/name"): "另一个项目"})
    consolidate([inbox], tmp_path / "s.xlsx", csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json",
                include_invalid=True)
    assert not ooxml_errors(tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目清单"]
    r0 = next(r for r in range(1, 8) if ws.cell(r, 1).value == "序号")
    head = [c.value for c in ws[r0]]
    s_at, e_at = (head.index(goal.field(p).heading) for p in ("/project/start_date", "/project/end_date"))
    f_at = head.index("来源文件")
    cells = {ws.cell(r, f_at + 1).value: (ws.cell(r, s_at + 1), ws.cell(r, e_at + 1)) for r in range(r0 + 1, r0 + 3)}
    s, e = cells["a.xlsx"]
    assert s.value == dt.datetime.fromisoformat(start) and e.value == dt.datetime.fromisoformat(end), (s.value, e.value)
    assert s.is_date and s.number_format == "yyyy-mm-dd" and e.number_format == "yyyy-mm-dd"
    s, e = cells["b.xlsx"]
    assert s.value == "2020年上半年" and s.data_type in ("s", "inlineStr"), (s.value, s.data_type)  # not understood: text
    assert e.value == dt.datetime.fromisoformat(end)
    # CSV and JSON keep the ISO text
    with open(tmp_path / "csv" / "项目清单.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index(goal.field("/project/start_date").heading)
    assert sorted(r[col] for r in rows[1:]) == sorted([start, "2020年上半年"]), [r[col] for r in rows[1:]]
    projects = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["projects"]
    col = projects["columns"].index(goal.field("/project/start_date").heading)
    assert sorted(r[col] for r in projects["rows"]) == sorted([start, "2020年上半年"])


# 6. the points total is 100, fixed: a rule table's other total is refused, saying why ----------------------------
@pytest.mark.parametrize("code", ["self.points_total", "rule.weight_total", "rule.weight_no_funds"])
def test_a_points_total_other_than_100_is_refused(tmp_path, code):
    from xlgoals import ConfigError

    from .conftest import EXAMPLE_XLSX
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule(code, params='{"total": 120}'))
    with pytest.raises(ConfigError) as err:
        validate_file(EXAMPLE_XLSX[0], rules=rules)
    said = str(err.value)
    assert "“total”应为 100" in said and "财预〔2020〕10号" in said, said
    # 100 itself loads
    fine = bureau_rules(tmp_path / "本局规则100.csv", packaged_rule(code, params='{"total": 100}'))
    assert validate_file(EXAMPLE_XLSX[0], rules=fine).problems is not None
