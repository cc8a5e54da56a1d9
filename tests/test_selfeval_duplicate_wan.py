"""Of two self-evaluations of one project, one whose 全年预算数 is held out of the totals as apparently typed in 万元
(self.amount_scale on a strong suspicion: its money left out of 自评汇总's 合计, its 总分 unrated) counts after a
clean one, whatever their 填报日期 say, as a monitoring report's does (test_mendGE): the project's money stays in the
totals, and consolidate's note and validate's return.duplicate name the file that counts and say why."""

from __future__ import annotations

import datetime
import json
import shutil
from decimal import Decimal
from pathlib import Path

import xlgoals
from xlgoals import FORMS, read

from .conftest import EXAMPLES
from .helpers import edited

SE = FORMS["self-evaluation"]
SRC = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"  # filled on 2021-01-20


def _cell(path: str) -> tuple[str, str]:
    f = SE.field(path)
    return f.sheet, f.cell


def _in_wan(dst: Path, filled_on: datetime.datetime) -> Path:
    """The example with its 全年预算数 (the total line's and the 财政拨款 line's) typed in 万元, its 资金得分 as a
    department would score 执行率 over that figure (capped at 100 %): it passes validation, with the warning."""
    budget = Decimal(str(read(SRC).document["funds"]["full_year_budget"]))
    wan = float((budget / 10000).quantize(Decimal("0.01")))
    return edited(SRC, dst, {_cell("/funds/full_year_budget"): wan, _cell("/funds/sources/fiscal/full_year_budget"): wan,
                             _cell("/funds/score"): 10, _cell("/contact/date"): filled_on})


def test_a_clean_self_evaluation_counts_before_a_later_one_in_wan(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(SRC, inbox / "甲.xlsx")
    _in_wan(inbox / "乙.xlsx", datetime.datetime(2021, 3, 30))  # filled later: as the date goes, it would count
    checked = xlgoals.validate([inbox / "乙.xlsx"])
    # the warning, saying what follows if the amount is meant as typed (执行率 over 100 %: a warning too)
    assert checked.valid and ("self.amount_scale_rules", "warning") in [
        (p.code, p.severity) for p in checked.files[0].problems]
    js_path = tmp_path / "自评汇总.json"
    result = xlgoals.consolidate([inbox], tmp_path / "自评汇总.xlsx", jobs=1, json_path=js_path)
    js = json.loads(js_path.read_text(encoding="utf-8"))
    projects = {Path(row[js["projects"]["columns"].index("文件路径")]).name:
                dict(zip(js["projects"]["columns"], row)) for row in js["projects"]["rows"]}
    assert projects["甲.xlsx"]["计入汇总"] == "是" and projects["乙.xlsx"]["计入汇总"] == "否", projects
    note = projects["乙.xlsx"]["说明"]
    assert note.startswith("重复申报，以 甲.xlsx 为准，本文件的金额疑按万元填写"), note
    totals = js["summary"]["totals"]  # the clean return's money, in the totals, and its grade counted
    assert totals["全年预算数（元）"] == read(SRC).document["funds"]["full_year_budget"] and totals["优"] == 1, totals
    assert "amounts_held_out" not in result.totals, result.totals
    report = xlgoals.validate([inbox])
    said = {Path(f.path).name: [p for p in f.problems if p.code == "return.duplicate"] for f in report.files}
    assert not said["甲.xlsx"] and len(said["乙.xlsx"]) == 1, said
    assert "甲.xlsx 为准，本文件的金额疑按万元填写" in said["乙.xlsx"][0].message, said["乙.xlsx"][0].message
    en = said["乙.xlsx"][0].message_en  # said once: not "Duplicate (…): a duplicate; …"
    assert en.startswith("Duplicate (not counted in a summary): ") and "a duplicate" not in en, en
    assert "甲.xlsx counts instead" in en, en


def test_of_two_self_evaluations_in_wan_the_latest_still_counts(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    _in_wan(inbox / "甲.xlsx", datetime.datetime(2021, 2, 1))
    _in_wan(inbox / "乙.xlsx", datetime.datetime(2021, 3, 30))
    report = xlgoals.validate([inbox])
    said = {Path(f.path).name: [p.code for p in f.problems if p.code == "return.duplicate"] for f in report.files}
    assert said == {"甲.xlsx": ["return.duplicate"], "乙.xlsx": []}, said
