"""mendCQ: small consistency items noticed by today's red teams.

1. A self-evaluation's amount warned of as typed in 万元 (self.amount_scale) is held out of the summary's totals, 执行率
   and frames(), as the monitoring summary's (mendCM), and said so (the note, the terminal line, JSON, 项目得分's 说明).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl

from xlgoals import FORMS, consolidate, validate_file

from .conftest import EXAMPLES
from .helpers import edited, ooxml_errors


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
    (warned,) = [p for p in validate_file(wan).problems if p.code == "self.amount_scale"]
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
    ws = wb["项目得分"]
    head = [c.value for c in ws[next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")]]
    (row,) = [[c.value for c in r] for r in ws.iter_rows() if r[head.index("来源文件")].value == "万元.xlsx"]
    assert row[head.index("全年执行数（元）")] is None and "全年执行数疑按万元填写，未计入合计" in row[head.index("说明")]
    assert row[head.index("执行率")] is None
    assert row[head.index(form.field("/funds/score").heading)] is None  # not recomputed from 14,201.51 元 either
    executed = list(frames([inbox]).projects["funds.executed"])
    assert sum((v for v in executed if v is not None), Decimal(0)) == others and executed.count(None) == 1, executed
