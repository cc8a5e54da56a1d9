"""Red team ac (session 28), validate and consolidate choosing the counted return:

* 2: a workbook and a differing JSON document of one project in a folder: consolidate counts one of them (or neither,
  when the one kept fails) and says the other is a duplicate (JSON 文档与工作簿内容不同); validate says return.duplicate
  of it in the same words.  Only a JSON document with the workbook's own content (`xlgoals read`'s output) is silent.
"""

from __future__ import annotations

import json
import shutil

from pathlib import Path

import openpyxl

from .conftest import cli

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"
WB_02 = EXAMPLES_DIR / "returns" / "02_促进就业专项资金.xlsx"
JSON_02 = EXAMPLES_DIR / "json" / "02_促进就业专项资金.json"


def _summary(tmp_path, inbox):
    js = tmp_path / "s.json"
    result = cli("consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", js)
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    return json.loads(js.read_text(encoding="utf-8")), result.output


def _validate_json(inbox):
    result = cli("validate", inbox, "--format", "json")
    assert "Traceback" not in result.output, result.output
    return json.loads(result.output)


def _problems_of(report, name):
    f = next(f for f in report["files"] if Path(f["path"]).name == name)
    return f["problems"]


# 2 -----------------------------------------------------------------------------------------------------------
def test_validate_says_a_differing_json_beside_a_failing_workbook_is_not_counted(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    wb = openpyxl.load_workbook(WB_02)
    ws = wb["绩效指标"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 3).value == "质量")
    ws.cell(row, 3).value = "满意度"  # rule.level2_mismatch: the workbook fails
    wb.save(inbox / "02_促进就业专项资金.xlsx")
    shutil.copy(JSON_02, inbox / "02_促进就业专项资金_更正.json")

    data, out = _summary(tmp_path, inbox)
    assert data["counts"]["duplicates"] == 1 and "JSON 文档与工作簿内容不同" in out
    report = _validate_json(inbox)
    dup = [p for p in _problems_of(report, "02_促进就业专项资金_更正.json") if p["code"] == "return.duplicate"]
    assert len(dup) == 1, report
    said = json.dumps(dup[0], ensure_ascii=False)
    assert "JSON 文档与工作簿内容不同" in said and "02_促进就业专项资金.xlsx" in said
    assert not [p for p in _problems_of(report, "02_促进就业专项资金.xlsx") if p["code"] == "return.duplicate"]


def test_json_read_from_its_workbook_stays_silent_in_validate(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(WB_02, inbox / "02_促进就业专项资金.xlsx")
    shutil.copy(JSON_02, inbox / "02_促进就业专项资金.json")
    data, out = _summary(tmp_path, inbox)
    assert data["counts"]["counted"] == 1 and "JSON 文档与工作簿读出的内容相同" in out
    report = _validate_json(inbox)
    assert not [p for f in report["files"] for p in f["problems"] if p["code"] == "return.duplicate"], report
