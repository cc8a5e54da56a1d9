"""mendAD: the summaries' detail tables carry what tells and joins their rows (red-team 22b f02, f06).

项目清单 (and each form's project sheet) and the indicator sheet carry the return's 预算年度 and its SHA-256 in the
workbook, the CSV and the JSON, so that a recurring project's two years' rows are told apart and each indicator is
joined to its return (the SHA-256 of 项目清单 and 校验结果)."""
from __future__ import annotations

import csv
import json

import openpyxl
import pytest

from xlgoals import consolidate

from .helpers import ooxml_errors
from .test_consolidate_years import _inbox, _other_form_inbox

# form -> (the project sheet, the indicator sheet)
SHEETS = {"goal-table": ("项目清单", "绩效指标"), "self-evaluation": ("项目得分", "指标完成"),
          "monitoring": ("项目进度", "指标监控")}


def _two_years(tmp_path, form: str):
    if form == "goal-table":
        _inbox(tmp_path, {"a2020": (1, 2020), "a2021": (1, 2021)})  # one project, two budget years
    else:
        _other_form_inbox(tmp_path, form)
    res = consolidate([tmp_path / "inbox"], tmp_path / "s.xlsx", jobs=1, include_invalid=True,
                      csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    assert res.form == form
    return res


def _xlsx(path, name):
    ws = openpyxl.load_workbook(path)[name]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(rows) if r[0] == "序号" or r[0] == "申报单位")
    header = rows[at]
    return header, [r for r in rows[at + 1:] if any(v is not None for v in r) and r[1] not in (None, "合计")]


def _csv(path):
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    return rows[0], rows[1:]


@pytest.mark.parametrize("form", list(SHEETS))
def test_the_detail_tables_tell_the_years_and_join_to_their_return(tmp_path, form):
    _two_years(tmp_path, form)
    assert ooxml_errors(tmp_path / "s.xlsx") == []
    projects, indicators = SHEETS[form]
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    by_name = {t["title"]: t for t in data.values() if isinstance(t, dict) and "columns" in t}
    for name in (projects, indicators):
        h, body = _xlsx(tmp_path / "s.xlsx", name)
        ch, cbody = _csv(tmp_path / "csv" / f"{name}.csv")
        j = by_name[name]
        for header in (h, ch, j["columns"]):
            assert "预算年度" in header and "SHA-256" in header, (name, header)
        # the same values in every output: the year and the digest of each row's return
        year, sha = h.index("预算年度"), h.index("SHA-256")
        got = sorted((r[year], r[sha]) for r in body)
        cy, cs = ch.index("预算年度"), ch.index("SHA-256")
        assert sorted((int(r[cy]), r[cs]) for r in cbody) == got
        jy, js = j["columns"].index("预算年度"), j["columns"].index("SHA-256")
        assert sorted((r[jy], r[js]) for r in j["rows"]) == got
        assert {y for y, _ in got} == {2020, 2021}
    # each indicator's digest is that of a return listed on the project sheet, with the same year
    ph, pbody = _xlsx(tmp_path / "s.xlsx", projects)
    returns = {r[ph.index("SHA-256")]: r[ph.index("预算年度")] for r in pbody}
    ih, ibody = _xlsx(tmp_path / "s.xlsx", indicators)
    assert len(returns) >= 2 and ibody
    for r in ibody:
        assert returns[r[ih.index("SHA-256")]] == r[ih.index("预算年度")]


def _night(tmp_path, name: str, files) -> tuple[dict, dict, openpyxl.Workbook]:
    import shutil

    inbox = tmp_path / name
    inbox.mkdir()
    for f in files:
        shutil.copy(f, inbox / f.name)
    consolidate([inbox], tmp_path / f"{name}.xlsx", jobs=1, csv_dir=tmp_path / f"csv_{name}",
                json_path=tmp_path / f"{name}.json")
    csvs = {p.stem: _csv(p) for p in (tmp_path / f"csv_{name}").glob("*.csv")}
    return csvs, json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8")), \
        openpyxl.load_workbook(tmp_path / f"{name}.xlsx")


def test_the_csv_and_json_columns_stay_put_from_night_to_night(tmp_path):
    """f06: one budget year or two, these frameworks or others or none, the CSV and JSON carry 汇总's 预算年度 as
    its third column and 项目清单's fixed columns where they were; the 一级 counts after them, 文件路径字节 last."""
    from .conftest import EXAMPLES

    nights = {"shanghai": sorted((EXAMPLES / "returns").glob("0*.xlsx")),
              "national": [EXAMPLES / "national-2021" / "目标表.xlsx"], "empty": []}
    got = {name: _night(tmp_path, name, files) for name, files in nights.items()}
    _two_years(tmp_path, "goal-table")
    got["two_years"] = ({p.stem: _csv(p) for p in (tmp_path / "csv").glob("*.csv")},
                        json.loads((tmp_path / "s.json").read_text(encoding="utf-8")), None)
    # (单位键, added after the columns scripts read by place: mendEN)
    summary = ["序号", "申报单位", "预算年度", "项目数", "项目总预算（元）", "项目当年预算（元）", "未通过校验的申报数", "单位键"]
    fixed = None
    for name, (csvs, data, wb) in got.items():
        assert csvs["汇总"][0] == summary == data["summary"]["columns"], name
        header = csvs["项目清单"][0]
        assert header == data["projects"]["columns"] and header[-1] == "文件路径字节", name
        counts = [t for t in header if t.endswith("（条）")]
        if fixed is None:
            fixed = header[:len(header) - 2 - len(counts)]
        # the 一级 counts after, then 单位键, added after them (test_mendEI: no column of before moves)
        assert header[:len(fixed)] == fixed and header[len(fixed):-1] == [*counts, "单位键"], name
        assert ("预算年度" in fixed and "SHA-256" in fixed and "指标总数" in fixed)
        if name == "shanghai":  # one year: each row's year, the 合计 in JSON under the same titles
            assert [r[2] for r in csvs["汇总"][1]] and all(r[2] == "2020" for r in csvs["汇总"][1])
            assert data["summary"]["totals"]["项目数"] == 5 and data["summary"]["rows"][0][2] == 2020
            assert len(counts) == 4
            # the workbook, for people, as it was: no 预算年度 on a night of one year, the 一级 counts beside the amounts
            ws = wb["汇总"]
            head = next(list(r) for r in ws.iter_rows(values_only=True) if r[0] == "序号")
            assert "预算年度" not in head
            projects = [c.value for c in wb["项目清单"][1]]
            assert projects[6:10] == counts and projects[10] == "指标总数"
    # the self-evaluation's 项目得分 likewise: its 一级 scores after the fixed columns
    csvs, data, _ = _night(tmp_path, "se", sorted((EXAMPLES / "self-evaluation").glob("0*.xlsx")))
    assert csvs["自评汇总"][0][:4] == ["序号", "申报单位", "预算年度", "项目数"]
    header = csvs["项目得分"][0]
    assert header[-1] == "文件路径字节" and header[-7:-3] == ["投入与管理", "产出目标", "效果目标", "影响力目标"]
    assert header[-3:-1] == ["警告数", "单位键"]  # (added after the 一级 scores: test_mendEI)
    assert header == data["projects"]["columns"]
