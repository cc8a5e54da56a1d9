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
