"""mendCW: red team 27u's findings.

1. A self-evaluation whose held-out amount (apparently in 万元) leaves its 资金得分 unrecomputed is not rated: no 总分
   of the other points graded, in 项目得分, 自评汇总 (平均总分, 最低总分, grade counts), JSON and frames().
"""
from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pandas as pd

from xlgoals import consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import ooxml_errors, wan_self_evaluation


def _header_rows(ws):
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    i = next(i for i, r in enumerate(rows) if r[0] == "序号")
    return rows[i], rows[i + 1:]


# 1. a total without the funds points is never graded -----------------------------------------------------------------
def test_a_return_whose_funds_amounts_are_held_out_is_left_unrated(tmp_path):
    from xlgoals import frames

    # both in 万元, consistent among themselves (96 %): a valid return, warned of twice
    inbox, wan = wan_self_evaluation(tmp_path)
    score = Decimal(str(wan["funds"]["score"]))
    rep = validate_file(inbox / "a_wan.xlsx")
    assert not rep.errors and {p.code for p in rep.problems} == {"self.amount_scale"}, rep.problems
    result = consolidate([inbox], tmp_path / "s.xlsx", json_path=tmp_path / "s.json")
    assert result.totals["scores_held_out"] == 1, result.totals
    assert "1 个项目未评定总分和等级（金额疑按万元填写，资金得分无法重算）" in result.describe(), result.describe()
    assert "1 counted project not rated" in result.describe("en")
    assert not ooxml_errors(tmp_path / "s.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    head, rows = _header_rows(wb["项目得分"])
    (row,) = [r for r in rows if r[head.index("来源文件")] == "a_wan.xlsx"]
    assert row[head.index("总分")] is None and row[head.index("等级")] is None, row
    assert row[head.index("等级代码")] is None
    assert row[head.index("填报总分")] is not None  # the return's own, as printed
    assert "总分和等级未评定" in row[head.index("说明")], row[head.index("说明")]
    head, rows = _header_rows(wb["自评汇总"])
    data = [r for r in rows if isinstance(r[0], int)]
    assert data and all(r[head.index("平均总分")] is None and r[head.index("最低总分")] is None for r in data), data
    for g in ("优", "良", "中", "差"):
        assert all(not r[head.index(g)] for r in data), (g, data)
    texts = [c.value for r in wb["自评汇总"].iter_rows() for c in r if isinstance(c.value, str)]
    assert any("1 个计入的项目因金额疑按万元填写、资金得分无法重算，总分和等级未评定" in t for t in texts), texts
    out = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    (p,) = [dict(zip(out["projects"]["columns"], r)) for r in out["projects"]["rows"]]
    assert p["总分"] is None and p["等级"] is None and p["填报总分"] == 99.6, p
    # the JSON's summary counts it too, as it counts amounts left out (red team v: only the row said it)
    assert out["summary"]["scores_left_out"] == 1, out["summary"].keys()
    projects = frames([inbox]).projects
    assert pd.isna(projects["recomputed_total"][0]) and pd.isna(projects["recomputed_grade"][0]), projects.iloc[0]
    assert pd.isna(projects["recomputed_funds_score"][0])
    assert score == Decimal("9.6")  # (the return's own, consistent with its 96 %: a scale-free rate, yet not rated)


# 2. a refilled workbook's stamp names the rule table its guide was written from ----------------------------------------
def _guide_rates(path) -> set:
    import re

    wb = openpyxl.load_workbook(path)
    return {m.group(1) for ws in wb.worksheets for r in ws.iter_rows() for c in r if isinstance(c.value, str)
            for m in re.finditer(r"执行率低于 (\d+)% 时请填写偏差原因", c.value)}


def _other_rules(path, *args) -> bool:
    from .conftest import cli

    return "template.other_rules" in cli("validate", path, "--format", "csv", *args).stdout


def test_fill_stamps_the_rule_table_its_own_run_used(tmp_path):
    import shutil

    from .conftest import ROOT, cli
    from .test_mendCT import _bureau_rules, _stamp

    rules = _bureau_rules(tmp_path)  # 偏差原因 below 85 %, the packaged table's 90 %
    targets = tmp_path / "批复"
    targets.mkdir()
    shutil.copy(ROOT / "examples" / "national-2021" / "目标表.xlsx", targets)
    res = cli("template", "--form", "self-evaluation", "--targets", targets, "--out-dir", tmp_path / "t", "--rules", rules)
    assert res.exit_code == 0, res.output
    made = next((tmp_path / "t").glob("*.xlsx"))
    assert "|rules=" in _stamp(made) and _guide_rates(made) == {"85"}
    doc = tmp_path / "读出.json"
    assert cli("read", made, "-o", doc).exit_code in (0, 1)
    assert "rules" in json.loads(doc.read_text(encoding="utf-8"))["made_with"]
    # the department's fill, without the bureau's table: the guide the packaged table's, and so the stamp
    plain = tmp_path / "plain.xlsx"
    assert cli("fill", doc, "-o", plain).exit_code == 0
    assert _guide_rates(plain) == {"90"}
    from xlgoals import RuleTable

    # (mendDB: the packaged table's digest, the table its guide states, so that the bureau's says other_rules)
    assert f"|rules={RuleTable.default().stamped()}" in _stamp(plain), _stamp(plain)
    assert not _other_rules(plain)  # (was: other_rules under the very table its guide states)
    assert _other_rules(plain, "--rules", rules)
    # fill with the bureau's table: the same digest, the stamp as the template's
    same = tmp_path / "same.xlsx"
    assert cli("fill", doc, "-o", same, "--rules", rules).exit_code == 0
    assert _guide_rates(same) == {"85"} and _stamp(same) == _stamp(made)
    assert not _other_rules(same, "--rules", rules) and _other_rules(same)


# 3. README names every code column beside its sheet, and where 项目得分's sit ------------------------------------------
def test_readme_names_each_code_column_beside_its_sheet(tmp_path):
    import csv
    import re

    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for d in ("monitoring", "self-evaluation"):
        consolidate([EXAMPLES / d], tmp_path / f"{d}.xlsx", csv_dir=tmp_path / d)
        for f in sorted((tmp_path / d).glob("*.csv")):
            head = next(csv.reader(open(f, encoding="utf-8-sig")))
            for h in head:
                if h.endswith("代码") and h != "代码" and not re.search(
                        re.escape(f.stem) + r"[^。]{0,400}" + re.escape(h), readme) and not re.search(
                        re.escape(h) + r"[^。]{0,120}" + re.escape(f.stem), readme):
                    missing.append((f.stem, h))
            if f.stem == "项目得分":  # where README says they sit
                assert head.index("等级代码") == head.index("来源文件") + 1 == head.index("预算年度") - 2, head
                assert "等级代码 and 填报等级代码, off the printed page, come right after its 来源文件" in readme
    assert not missing, missing


# 4. a placeholder in a narrative the form does not require is no short narrative ----------------------------------------
def _deviation_notices(tmp_path, text, name):
    from xlgoals import validate

    doc = json.loads(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[0].read_text(encoding="utf-8"))
    doc["funds"]["executed"] = round(doc["funds"]["full_year_budget"] * 0.95)  # 95 %: no reason required
    doc["funds"]["deviation"] = text
    p = tmp_path / f"{name}.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return [(x.code, x.severity) for x in validate([p], review=True).files[0].problems if x.path == "/funds/deviation"]


def test_a_placeholder_in_an_optional_reason_gets_no_short_narrative_notice(tmp_path):
    from xlgoals import validate

    assert _deviation_notices(tmp_path, "无", "a") == []
    assert _deviation_notices(tmp_path, "暂 无。", "b") == []
    # a short real text is still too short, and a placeholder where the form requires a narrative still says so
    assert ("review.narrative_short", "notice") in _deviation_notices(tmp_path, "资金到位较晚", "c")
    doc = json.loads((EXAMPLES / "national-2021" / "目标表.json").read_text(encoding="utf-8"))
    doc["project"]["overview"] = "无"
    p = tmp_path / "goal.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    codes = [x.code for x in validate([p], review=True).files[0].problems if x.path == "/project/overview"]
    assert codes == ["review.narrative_short"], codes  # (a required narrative: no rule says more of 无 there)
