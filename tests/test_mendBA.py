"""Session 24's red-team findings on the bureau's mid-year (监控) and year-end (自评) rounds (helper mendBA)."""

import copy
import json

import pytest

from xlgoals import Config, consolidate, fill, validate

from .conftest import EXAMPLES, load

CFG = Config.load()


# f01: one approved row copied (protection off) is one row added, the rows below it still line up ------------------
@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
@pytest.mark.parametrize("how", ["same_id", "next_id"])
def test_a_copied_row_is_one_row_added_and_the_rest_still_line_up(tmp_path, folder, how):
    """A department splits an approved indicator by copying its row (protection off) and typing “（线上）” after the
    name, keeping the 指标编号 (I002 twice) or typing the next one: 30 self.target_changed quoting other rows'
    values (“第3条指标的年度指标值 …应为≥90%”), and in a monitoring report progress checked against the wrong rows
    (monitor.not_number, percent range), instead of one row added."""
    doc = load(EXAMPLES / folder / "02_促进就业专项资金.json")
    row = copy.deepcopy(doc["indicators"][1])
    row["name"] += "（线上）"
    if how == "next_id":
        row["id"] = f"I{len(doc['indicators']) + 1:03d}"
    doc["indicators"].insert(2, row)
    path = tmp_path / "copied.xlsx"
    fill(doc, path, config=CFG, force=True)
    (f,) = validate([path], targets=[EXAMPLES / "json"], config=CFG).files
    prefix = "self" if folder == "self-evaluation" else "monitor"
    errors = [p for p in f.problems if p.severity == "error" and not p.code == "self.points_total"]
    assert [(p.code, p.cell) for p in errors] == [(f"{prefix}.target_row_extra", "E6")], \
        [(p.code, p.cell, p.message) for p in f.problems]
    assert "（线上）" in errors[0].message and "请删除该行" in errors[0].message
    # the rows below it are compared with their own: none is said changed, and nothing is checked against another's
    assert not [p for p in f.problems if p.code.endswith((".target_changed", ".not_number", "_range"))]


# f02: 偏差清单 and 风险清单 end with the return's 预算年度 and SHA-256, as 指标完成 and 指标监控 do ---------------------
@pytest.mark.parametrize(("folder", "sheet", "key"), [("self-evaluation", "偏差清单", "deviations"),
                                                      ("monitoring", "风险清单", "risks")])
def test_the_deviation_and_risk_lists_tell_a_returns_year_and_file(tmp_path, folder, sheet, key):
    """A recurring project's 2022 and 2023 deviation rows were identical lines in 偏差清单 (and 风险清单): no 预算年度,
    no file, no SHA-256, where 指标完成/指标监控 have 预算年度 and SHA-256.  Both end with them now, in the workbook,
    the CSV and the JSON alike, each row's the SHA-256 of the file it comes from."""
    import csv
    import hashlib
    import shutil

    import openpyxl

    from .helpers import ooxml_errors

    inbox = tmp_path / "in"
    inbox.mkdir()
    sha = {}
    for src in sorted((EXAMPLES / folder).glob("*.xlsx")):
        shutil.copy(src, inbox / src.name)
        sha[hashlib.sha256(src.read_bytes()).hexdigest()] = load(src.with_suffix(".json"))
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json", config=CFG)
    wb = openpyxl.load_workbook(out)
    rows = [r for r in wb[sheet].iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r and r[0] == "申报单位")
    header, body = rows[at], [r for r in rows[at + 1:] if r and r[0]]
    with open(tmp_path / "csv" / f"{sheet}.csv", encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    data = json.loads((tmp_path / "s.json").read_text("utf-8"))[key]
    assert header[-2:] == ("预算年度", "SHA-256") and tuple(table[0][-2:]) == header[-2:] \
        and tuple(data["columns"][-2:]) == header[-2:], (header, table[0], data["columns"])
    assert body and len(body) == len(table) - 1 == len(data["rows"]), (len(body), len(table), len(data["rows"]))
    for got in (body, [r for r in table[1:]], data["rows"]):
        for r in got:
            doc = sha[r[-1]]  # the SHA-256 of the return's file
            assert str(r[-2]) == str(doc["year"]) and r[0] == doc["unit"], r
    # off the printed page, as 指标完成's (with, before them, 风险清单's code columns: mendCT)
    off = 2 + sum(1 for h in header if str(h).endswith("代码"))
    last_printed = openpyxl.utils.get_column_letter(len(header) - off)
    assert f"!$A$1:${last_printed}$" in str(wb[sheet].print_area), wb[sheet].print_area
    assert ooxml_errors(out) == []


# f09: 项目得分 gives each project's 全年预算数 and 全年执行数, the unit's totals their sums ------------------------------
def test_the_project_scores_give_each_projects_amounts_summing_to_the_units(tmp_path):
    """自评汇总 gave a unit's 全年预算数 and 全年执行数 (4,000,000.53 / 3,500,000.01) and 项目得分 only each project's
    执行率: the unit's totals and 执行率 could not be traced to its projects (the monitoring summary's 项目进度 has
    them).  项目得分 has both per project now, exact (cents kept), printed before 执行率; the counted projects' sum to
    each unit's totals, in the workbook, the CSV and the JSON; in the CSV and JSON they come after the fixed columns
    scripts read by position (执行率 stays the fourth)."""
    import csv
    from decimal import Decimal

    import openpyxl

    from .helpers import ooxml_errors

    inbox = tmp_path / "in"
    inbox.mkdir()
    amounts = {}
    for k, src in enumerate(sorted((EXAMPLES / "self-evaluation").glob("*.json"))):
        doc = load(src)
        doc["unit"] = "某市庚局" if k < 3 else doc["unit"]  # one unit with three projects (执行数 with cents)
        fill(doc, inbox / f"{k}.xlsx", config=CFG)
        amounts[doc["project"]["name"]] = (Decimal(str(doc["funds"]["full_year_budget"])),
                                           Decimal(str(doc["funds"]["executed"])))
    out = tmp_path / "s.xlsx"
    consolidate([inbox], out, jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json", config=CFG)
    budget_h, executed_h = "全年预算数（元）", "全年执行数（元）"

    def sums(header, rows, value):
        at = {h: i for i, h in enumerate(header)}
        by_unit = {}
        for r in rows:
            assert (value(r[at[budget_h]]), value(r[at[executed_h]])) == amounts[r[at["项目名称"]]], r
            if r[at["计入汇总"]] == "是":
                b, e = by_unit.get(r[at["申报单位"]], (Decimal(0), Decimal(0)))
                by_unit[r[at["申报单位"]]] = (b + value(r[at[budget_h]]), e + value(r[at[executed_h]]))
        return by_unit

    def units(header, rows, value):
        at = {h: i for i, h in enumerate(header)}
        return {r[at["申报单位"]]: (value(r[at["全年预算数合计（元）" if "全年预算数合计（元）" in at else budget_h]]),
                                    value(r[at["全年执行数合计（元）" if "全年执行数合计（元）" in at else executed_h]]))
                for r in rows if r[0] not in (None, "", "合计")}

    as_dec = lambda v: Decimal(str(v))  # noqa: E731
    data = json.loads((tmp_path / "s.json").read_text("utf-8"))
    proj, summ = data["projects"], data["summary"]
    assert proj["columns"][3] == "执行率" and proj["columns"].index(budget_h) > proj["columns"].index("SHA-256")
    assert sums(proj["columns"], proj["rows"], as_dec) == units(summ["columns"], summ["rows"], as_dec)
    with open(tmp_path / "csv" / "项目得分.csv", encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    with open(tmp_path / "csv" / "自评汇总.csv", encoding="utf-8-sig") as fh:
        unit_table = list(csv.reader(fh))
    assert sums(table[0], table[1:], Decimal) == units(unit_table[0], unit_table[1:], Decimal)
    wb = openpyxl.load_workbook(out)
    rows = list(wb["项目得分"].iter_rows(values_only=True))
    at = next(i for i, r in enumerate(rows) if r and r[0] == "序号")
    header = rows[at]
    assert header[3:6] == (budget_h, executed_h, "执行率"), header  # printed beside the rate they make
    ws = wb["项目得分"]
    cell = ws.cell(at + 2, 4)
    assert "0.00" in cell.number_format, cell.number_format
    body = [r for r in rows[at + 1:] if isinstance(r[0], int)]
    from_sheet = sums(header, body, as_dec)
    urows = list(wb["自评汇总"].iter_rows(values_only=True))
    uat = next(i for i, r in enumerate(urows) if r and r[0] == "序号")
    assert from_sheet == units(urows[uat], [r for r in urows[uat + 1:] if isinstance(r[0], int)], as_dec)
    assert ooxml_errors(out) == []


# f10: a JSON document's enum is named by the values JSON takes, each with the label it stands for -----------------
@pytest.mark.parametrize(("folder", "key", "label", "code"), [
    ("self-evaluation", "grade", "部分达成年度指标并具有一定效果", "partly"),
    ("monitoring", "likelihood", "确定能", "certain")])
def test_a_json_returns_enum_is_named_by_the_values_json_takes(tmp_path, folder, key, label, code):
    """A JSON self-evaluation whose 完成等级 was "partial" was told the allowed values were 达成年度指标、部分达成年度指标
    并具有一定效果、…; typing that label was refused with the same message (JSON takes achieved / partly /
    not_achieved, named only in English).  The Chinese message names the codes, each with its label; through
    validate (a .json file) and fill (a document) alike."""
    from xlgoals import DocumentError

    doc = load(EXAMPLES / folder / "02_促进就业专项资金.json")
    doc["indicators"][0][key] = label
    path = tmp_path / "r.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (p,) = [p for p in validate([path], config=CFG).problems() if p.code == "schema.enum"]
    assert p.path == f"/indicators/0/{key}" and f"{code}（{label}）" in p.message, p.message
    assert f"取值“{label}”不在允许范围内" in p.message and code in p.message_en
    with pytest.raises(DocumentError) as raised:
        fill(doc, tmp_path / "r.xlsx", config=CFG)
    assert any(f"{code}（{label}）" in q.message for q in raised.value.problems), raised.value.problems
    assert not (tmp_path / "r.xlsx").exists()
    doc["indicators"][0][key] = code  # the code it names passes
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert not [p for p in validate([path], config=CFG).problems() if p.code.startswith("schema.")]


# f04: frames(targets=) counts what consolidate --targets counts ----------------------------------------------------
def test_frames_given_the_targets_count_what_consolidate_given_them_counts(tmp_path):
    """The bureau consolidates self-evaluations with --targets (a return whose approved target was changed fails and
    is not counted); its analyst's frames() of the same folder had no targets= and counted that return: 全年预算数
    6,000,000 against the summary's 5,000,000, nothing saying why.  frames(targets=) holds each return to its goal
    table as consolidate does: the changed one fails with its problem, is not counted, and the sums agree."""
    from decimal import Decimal

    from xlgoals import frames

    inbox = tmp_path / "in"
    inbox.mkdir()
    docs = sorted((EXAMPLES / "self-evaluation").glob("*.json"))[:3]
    for k, src in enumerate(docs):
        doc = load(src)
        if k == 0:  # the department reworded an approved indicator (protection off)
            doc["indicators"][1]["name"] += "（调整）"
        fill(doc, inbox / f"{k}.xlsx", config=CFG)
    out = consolidate([inbox], tmp_path / "s.xlsx", jobs=1, json_path=tmp_path / "s.json", targets=[EXAMPLES / "json"],
                      config=CFG)
    summary = json.loads((tmp_path / "s.json").read_text("utf-8"))["summary"]
    total = Decimal(str(summary["totals"]["全年预算数（元）"]))
    assert sum(r.included for r in out.records) == 2
    f = frames([inbox], jobs=1, targets=[EXAMPLES / "json"], config=CFG)
    p = f.projects
    assert list(p["counted"]) == [False, True, True], list(p["counted"])
    assert sum((Decimal(str(v)) for v, c in zip(p["funds.full_year_budget"], p["counted"]) if c), Decimal(0)) == total
    changed = f.problems[f.problems["code"] == "self.target_changed"]
    assert list(changed["file"].str.endswith("0.xlsx")) == [True], f.problems[["file", "code"]]
    assert not f.indicators[f.indicators["path"].str.endswith("0.xlsx")]["counted"].any()
    # without targets, as before: every return passes (nothing holds it to its goal table)
    assert list(frames([inbox], jobs=1, config=CFG).projects["counted"]) == [True, True, True]


# f08: a project approved for two budget years gets templates named with their years ----------------------------------
@pytest.mark.parametrize("make", ["self_evaluation_templates", "monitoring_templates"])
def test_a_recurring_projects_templates_are_named_with_their_years(tmp_path, make):
    """One unit's project approved for 2020 and 2021 (both goal tables in 批复/) was issued as 单位_项目.xlsx and
    单位_项目_2.xlsx: which year is which was in neither name.  Both carry their year now (the one written before the
    other year came is renamed); a project of one year keeps 单位_项目.xlsx."""
    import xlgoals
    from xlgoals import read

    src = tmp_path / "批复"
    src.mkdir()
    docs = sorted((EXAMPLES / "json").glob("*.json"))
    for year in (2020, 2021):
        goal = load(docs[1])
        goal["year"] = year
        goal["project"]["start_date"], goal["project"]["end_date"] = f"{year}-01-01", f"{year}-12-31"
        (src / f"{year}.json").write_text(json.dumps(goal, ensure_ascii=False), encoding="utf-8")
    other = load(docs[2])
    (src / "other.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    result = getattr(xlgoals, make)([src], tmp_path / "下发", config=CFG, **({"month": 6} if "monitoring" in make else {}))
    assert not result.errors, result.errors
    names = sorted(p.name for p in (tmp_path / "下发").iterdir())
    stem = f"{goal['unit']}_{goal['project']['name']}"
    assert names == sorted([f"{stem}_2020.xlsx", f"{stem}_2021.xlsx", f"{other['unit']}_{other['project']['name']}.xlsx"]), names
    assert sorted(p.name for p in result.written) == names and set(result.sources) == set(result.written)
    for year in (2020, 2021):  # each name holds its own year's form
        assert read(tmp_path / "下发" / f"{stem}_{year}.xlsx").document["year"] == year


def test_rows_are_aligned_by_content_when_their_ids_cannot_match_them():
    """The alignment behind f01, on its own: a row copied (its 指标编号 twice) is the one added, a row deleted where
    the 指标编号 were cleared is the one missing, the others paired with their own; a return of thousands of rows
    unlike its goal table's is compared by position, in no time."""
    import time

    from xlgoals._selfeval._targets import _aligned

    want = [{"id": f"I{k:03d}", "name": f"指标{k}", "value": k} for k in range(1, 8)]
    got = [*want[:3], {**want[2], "name": "指标3（线上）"}, *want[3:]]
    pairs, missing, added, moved = _aligned(got, want)
    assert added == [3] and not missing and not moved
    assert all(g is w or g == w for _, g, w in pairs) and len(pairs) == 7
    no_ids = [{k: v for k, v in w.items() if k != "id"} for w in want[:2] + want[3:]]  # row 3 deleted, ids cleared
    pairs, missing, added, moved = _aligned(no_ids, want)
    assert [j for j, _ in missing] == [2] and not added
    assert [(g["name"], w["name"]) for _, g, w in pairs] == [(w["name"], w["name"]) for w in want[:2] + want[3:]]
    big = [{"name": f"x{k}", "value": k} for k in range(3000)]
    started = time.monotonic()
    pairs, missing, added, _ = _aligned(big, want)
    assert time.monotonic() - started < 3 and len(pairs) == 7 and len(added) == 2993
    many = [{"id": f"I{k:03d}", "name": f"指标{k}", "value": k} for k in range(1, 400)]
    started = time.monotonic()
    pairs, missing, added, _ = _aligned(big[:400], many)  # beyond what is aligned by content: by position
    assert time.monotonic() - started < 1 and len(pairs) == 400 and not added, len(added)
