"""Red team of the day's changes (second pass): inputs where they gave a wrong result, a hang or a traceback."""

import os
import shutil
import threading

import pytest

from xlgoals import validate

from .conftest import EXAMPLE_XLSX


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("name", ["说明.json", "记录.txt", "清单.csv"])
def test_a_named_pipe_in_the_inbox_named_like_a_report_does_not_hang_the_scan(tmp_path, name):
    """Asking whether a .json/.txt/.csv of the inbox is xlgoals's own report opened it to read its first lines: a
    named pipe there (a FIFO another program left) blocked that open for ever, and validate hung with nothing said.
    It is listed as not checked, and the returns beside it are checked."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[0], inbox / EXAMPLE_XLSX[0].name)
    fifo = inbox / name
    os.mkfifo(fifo)
    out: list = []
    worker = threading.Thread(target=lambda: out.append(validate([inbox], jobs=1)), daemon=True)
    worker.start()
    worker.join(20)
    hung = worker.is_alive()
    if hung:  # release the blocked open (a writer appears, and goes): the thread ends
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(60)
    assert not hung, "validate hung on a named pipe in the inbox"
    report = out[0]
    assert [os.path.basename(f.path) for f in report.files] == [EXAMPLE_XLSX[0].name]
    assert str(fifo) in report.skipped_reasons or os.fspath(fifo) in map(os.fspath, report.skipped), report.skipped


# --- a negative number whose format's negative section writes its own minus: 0"天";-0"天" shows -3 as -3天 ---------

def _qualitative_filled(tmp_path):
    from xlgoals import fill

    from .conftest import EXAMPLE_JSON, load

    doc = load(EXAMPLE_JSON[1])
    assert doc["indicators"][7]["comparator"] == "qualitative"
    return fill(doc, tmp_path / "填好.xlsx")


@pytest.mark.parametrize("code", ['0"天";-0"天"', '0"天";[Red]-0"天"', '"约"0"天";"约"-0"天"', '0"天";(0"天")'])
def test_a_negative_section_writing_its_minus_keeps_it_in_a_qualitative_target(tmp_path, code):
    """The negative section of ``0"天";-0"天"`` writes the minus itself (Excel and LibreOffice show -3 as -3天): the
    sections looked alike to the reader, a minus typed in a format being no text it kept, so -3 was read as 3天 (the
    sign lost) once sections showing the same text were kept apart.  An .ods's negative part keeps its “-”: an .xlsx's
    is read alike.  Measured (LibreOffice 7.4's CSV export of the cells as shown): -3 and 3 in 0"天";-0"天" and in
    0"天";[Red]-0"天" show -3天, 3天; in "约"0"天";"约"-0"天" 约-3天, 约3天; in "≥"0"天";"≥"0"天" ≥3天 both; in
    0"天";(0"天") (the accountants' brackets) (3天), 3天."""
    import openpyxl

    from xlgoals import read

    from .helpers import ind_cell

    sheet, cell = ind_cell(7, "target")
    wb = openpyxl.load_workbook(_qualitative_filled(tmp_path))
    wb[sheet][cell].value, wb[sheet][cell].number_format = -3, code
    wb[sheet][cell].number_format = code
    wb.save(tmp_path / "excel.xlsx")
    shown = "约-3天" if code.startswith('"约"') else "(3天)" if "(" in code else "-3天"
    assert read(tmp_path / "excel.xlsx").document["indicators"][7]["text"] == shown
    wb[sheet][cell].value = 3  # the positive section: no minus
    wb.save(tmp_path / "excel.xlsx")
    assert read(tmp_path / "excel.xlsx").document["indicators"][7]["text"] == ("约3天" if "约" in shown else "3天")


def test_a_plain_number_format_with_a_minus_shows_no_text():
    """0;-0 and #,##0;-#,##0 show no text with a number: still no format text (the minus is the number's own)."""
    from xlgoals._read._screen import format_text

    assert format_text("0;-0") is None and format_text("#,##0;-#,##0") is None
    assert format_text("0.00;[Red]-0.00") is None
    assert format_text("0.00_ ;[Red]-0.00\\ ") is None  # a room and an escaped space are no text either


# --- review.unit_missing on a dimensionless ratio ---------------------------------------------------------------

@pytest.mark.parametrize("name,target", [("项目容积率", 2.5), ("供电功率因数", 0.9)])
def test_a_dimensionless_ratio_named_as_a_rate_or_count_needs_no_unit(name, target):
    """容积率 (floor area ratio, ≤2.5) and 功率因数 (power factor, ≥0.9) are pure numbers, written without a unit in
    every plan and standard: no 计量单位 is missing (it ended in 率 / 数, and was noticed as a count or rate without
    its unit).  The word lists are data (review.json)."""
    from xlgoals import validate_document

    from .conftest import EXAMPLE_JSON, load

    doc = load(EXAMPLE_JSON[1])
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "政策知晓率")
    doc["indicators"][i].update(name=name, value=target, comparator="<=")
    doc["indicators"][i].pop("unit")
    assert [p for p in validate_document(doc, review=True) if p.code == "review.unit_missing"] == []
