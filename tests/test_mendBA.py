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
    # off the printed page, as 指标完成's
    last_printed = openpyxl.utils.get_column_letter(len(header) - 2)
    assert f"!$A$1:${last_printed}$" in str(wb[sheet].print_area), wb[sheet].print_area
    assert ooxml_errors(out) == []
