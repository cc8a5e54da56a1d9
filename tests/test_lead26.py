"""The lead's mends of session 26 (red team n)."""
import json
from pathlib import Path

import openpyxl

from xlgoals import fill, validate_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_an_amount_typed_with_zheng_is_told_to_drop_the_word(tmp_path):
    """28888000整 in a monitoring amount (its 执行率 a formula that leaves text out) is a number stored as text; the
    message said only to drop a leading apostrophe or change the format, which the cell has not: it names 元/整 now."""
    doc = json.loads((EXAMPLES / "monitoring" / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))
    filled = tmp_path / "m.xlsx"
    fill(doc, filled)
    wb = openpyxl.load_workbook(filled)
    wb["监控信息"]["D7"].value = "28888000整"
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)
    hit = [p for p in validate_file(typed, isolated=False).problems if p.cell == "D7"]
    assert [p.code for p in hit] == ["cell.number_as_text"]
    assert "“整”" in hit[0].message and "28888000整" in hit[0].message
    assert "unit words" in hit[0].message_en
