"""mendGD: season-of-use fixes for the bureau's daily commands (helper h33, session 33).

1. A self-evaluation's 填报日期 window (rule.report_date) runs from 1 December of the budget year to 30 June of the
   next year (it ran to 31 December of the next year).
"""

from __future__ import annotations

import json

import xlgoals

from .conftest import EXAMPLES, load


# 1. a self-evaluation's report-date window: 1 December of the budget year to 30 June of the next ------------------
def test_self_evaluation_report_date_window_ends_30_june_of_the_next_year(tmp_path):
    doc = load(EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json")
    year = doc["year"]

    def warned(date):
        d = dict(doc, contact=dict(doc["contact"], date=date))
        path = tmp_path / f"{date}.json"
        path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        return [p for p in xlgoals.validate([path]).problems() if p.code == "rule.report_date"]

    for good in (f"{year}-12-01", f"{year + 1}-01-20", f"{year + 1}-06-30"):
        assert warned(good) == [], good
    for bad in (f"{year}-11-30", f"{year + 1}-07-01", f"{year + 1}-12-31"):
        (p,) = warned(bad)
        assert p.severity == "warning"
        assert f"{year}-12-01 至 {year + 1}-06-30" in p.message, p.message
        assert f"{year}-12-01 to {year + 1}-06-30" in p.message_en, p.message_en
