"""Make examples/received/: what a bureau's inbox looks like, for the README's `validate` sample.

    python examples/make_received.py

One return passes with a warning (the seed's table 03, whose bare 0 target looks like a
placeholder); the other is table 02 as a department might send it back from Excel: its total
budget typed in 万元 and one 二级指标 that does not belong to its 一级指标.
"""

import shutil
from pathlib import Path

import openpyxl

from xlgoals import FORMS
from xlgoals._form import a1

HERE = Path(__file__).resolve().parent
F = FORMS["goal-table"]


def main():
    out = HERE / "received"
    out.mkdir(exist_ok=True)
    shutil.copy(HERE / "returns" / "03_职业培训基础能力建设资助.xlsx", out / "职业培训基础能力建设资助.xlsx")
    wb = openpyxl.load_workbook(HERE / "returns" / "02_促进就业专项资金.xlsx")
    total = F.field("/budget/total")
    wb[total.sheet][total.cell].value = "6280万元"
    wb[total.sheet][total.cell].data_type = "s"
    level2 = a1(F.table.first_row + 12, F.column("level2").index)  # a row under 产出目标
    wb[F.table.name][level2].value = "满意度"
    wb.save(out / "某局_某项目.xlsx")


if __name__ == "__main__":
    main()
