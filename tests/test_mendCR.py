"""mendCR: red team (r)'s findings on the summaries and the monitoring hold-out.

F5. 汇总图 sat second in the goal summary only: `sheet_name=1` read an empty chart sheet, not 项目清单, and the
    positions of the data sheets differed between forms.  It goes after the data sheets.
"""

from __future__ import annotations

import openpyxl
import pytest

from xlgoals import consolidate

from .conftest import EXAMPLES
from .helpers import ooxml_errors


def test_the_chart_sheet_comes_after_the_data_sheets_which_keep_their_positions(tmp_path):
    goal, mon, se = tmp_path / "goal.xlsx", tmp_path / "mon.xlsx", tmp_path / "se.xlsx"
    consolidate([EXAMPLES / "returns"], goal, jobs=1, review=True, previous=[EXAMPLES / "review" / "上年"])
    consolidate([EXAMPLES / "monitoring"], mon, jobs=1)
    consolidate([EXAMPLES / "self-evaluation"], se, jobs=1)
    names = openpyxl.load_workbook(goal).sheetnames
    assert names == ["汇总", "项目清单", "绩效指标", "分类统计", "校验结果", "审核", "审核（按单位）", "汇总图"], names
    assert ooxml_errors(goal) == []
    import pandas as pd

    for path in (goal, mon, se):  # position 1: each form's list of its returns, one row each
        frame = pd.read_excel(path, sheet_name=1, header=None)
        assert frame.shape[0] > 3 and "项目名称" in frame.astype(str).values, (path.name, frame.shape)
    wb = openpyxl.load_workbook(goal)
    assert len(wb["汇总图"]._charts) == 1 and wb["汇总"]._charts == []
