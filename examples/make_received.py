"""Make examples/received/: what a bureau's inbox looks like, for the README's `validate` sample.

    python examples/make_received.py

One return passes with a warning (the seed's table 03, whose bare 0 target looks like a
placeholder); the other is table 02 as a department might send it back from Excel: its total
budget typed in 万元 and one 二级指标 that does not belong to its 一级指标.
"""

import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl

from xlgoals import FORMS
from xlgoals._check._annotate import as_excel_keeps
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
    buf = io.BytesIO()
    wb.save(buf)
    # as Excel would have saved it (shared strings, fonts in the schema's order), the same bytes every run
    (out / "某局_某项目.xlsx").write_bytes(_same_every_run(as_excel_keeps(buf.getvalue())))


def _same_every_run(data: bytes) -> bytes:
    """The workbook openpyxl saved, with one fixed time where it put the clock's (each part's zip entry, the
    properties' 修改时间): the example is the same bytes every run (tests/test_example_generators.py makes it
    again and compares)."""
    src, buf = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename == "docProps/core.xml":
                part = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2020-01-01T00:00:00Z", part)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0)), part,
                         compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


if __name__ == "__main__":
    main()
