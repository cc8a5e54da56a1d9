"""Pre-rendered rows spliced into an xlsxwriter sheet read back exactly, whatever the strings hold."""

import datetime

import openpyxl
import pytest
import xlsxwriter

from xlgoals._consolidate._xlsxrows import rows_xml, splice_rows

NASTY = ["=HYPERLINK(\"http://x\",\"y\")", "a&b<c>d", " leading and trailing ", "\x01控制\x1f字符",
         "_x0041_ stays literal", "＝100％", "+1", "@SUM(A1)"]


def test_spliced_rows_read_back(tmp_path):
    stage, out = tmp_path / "stage.xlsx", tmp_path / "out.xlsx"
    wb = xlsxwriter.Workbook(str(stage))
    ws = wb.add_worksheet("data")
    ws.write_row(0, 0, ["text", "number", "float", "empty", "bool"])
    money = wb.add_format({"num_format": "#,##0.00"})
    ws.write_number(0, 10, 0, money)  # xlsxwriter gives a style id only to formats in use
    unused = wb.add_format({"bold": True})
    wb.close()
    rows = [(s, i, i + 0.25, None, i % 2 == 0) for i, s in enumerate(NASTY)]
    splice_rows(str(stage), out, {"xl/worksheets/sheet1.xml": (rows_xml(rows, {1: money.xf_index, 2: unused.xf_index}), len(rows) + 1, 4)})
    sheet = openpyxl.load_workbook(out)["data"]
    got = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    expected = [[s, i, i + 0.25, None, "是" if i % 2 == 0 else "否"] for i, s in enumerate(NASTY)]
    assert [r[1:5] for r in got] == [r[1:5] for r in expected]
    # control characters travel as OOXML escapes (_x0001_), which Excel and calamine decode
    import python_calamine

    texts = [r[0] for r in python_calamine.CalamineWorkbook.from_path(str(out)).get_sheet_by_name("data").to_python()]
    assert texts[1:] == NASTY
    assert all(sheet.cell(r, 1).data_type == "s" for r in range(2, len(rows) + 2))  # never formulas
    assert sheet.max_row == len(rows) + 1
    assert sheet["B3"].number_format == "#,##0.00"


def _spliced(tmp_path, name: str, n: int = 60_000, threads: int = 1) -> bytes:
    stage, out = tmp_path / f"{name}-stage.xlsx", tmp_path / f"{name}.xlsx"
    wb = xlsxwriter.Workbook(str(stage))
    wb.set_properties({"created": datetime.datetime(2020, 1, 1)})  # the two files made a second apart: same bytes
    wb.add_worksheet("data").write_row(0, 0, ["text", "number"])
    wb.close()
    rows = [(f"第{i}行 {NASTY[i % len(NASTY)]}", i) for i in range(n)]  # several megabytes: several batches
    splice_rows(str(stage), out, {"xl/worksheets/sheet1.xml": (rows_xml(rows, {}), n + 1, 1)}, threads=threads)
    return out.read_bytes()


@pytest.mark.slow
def test_a_long_sheet_compressed_behind_its_numbering_is_the_same_file(tmp_path, monkeypatch):
    """The sheet's writes go through a thread (zlib compresses there while the next rows are numbered): the file is
    byte for byte the one written in line, and reads back whole."""
    import xlgoals._consolidate._xlsxrows as mod

    behind = _spliced(tmp_path, "behind")

    class InLine:
        def __init__(self, part):
            self.write = part.write

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(mod, "_Behind", InLine)
    assert _spliced(tmp_path, "inline") == behind
    sheet = openpyxl.load_workbook(tmp_path / "behind.xlsx", read_only=True)["data"]
    assert sum(1 for _ in sheet.iter_rows()) == 60_001


def test_a_write_failing_in_the_thread_is_raised_and_the_thread_ends(tmp_path, monkeypatch):
    """A full disk met by the thread that writes the sheet is raised in the run (as in line), and the thread ends."""
    import errno
    import threading
    import zipfile

    import pytest

    real = zipfile._ZipWriteFile.write

    def full(self, data):
        if len(data) > 100_000:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full)
    with pytest.raises(OSError) as caught:
        _spliced(tmp_path, "full")
    assert caught.value.errno == errno.ENOSPC
    assert not [t for t in threading.enumerate() if t.name == "xlgoals-deflate"]


@pytest.mark.slow
def test_a_long_sheet_is_the_same_file_compressed_on_any_number_of_threads(tmp_path):
    """The sheet is deflated a megabyte at a time, on as many threads as consolidate has workers: the chunks fall
    at the same places whatever their number, so the file is byte for byte the same, one valid deflate stream
    (its CRC checked), and reads back whole."""
    import zipfile

    from xlgoals._consolidate._xlsxrows import _ChunkedDeflate

    one = _spliced(tmp_path, "one")
    assert _spliced(tmp_path, "two", threads=2) == one
    assert _spliced(tmp_path, "three", threads=3) == one
    with zipfile.ZipFile(tmp_path / "two.xlsx") as z:
        assert z.testzip() is None
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 3 * _ChunkedDeflate.CHUNK  # several chunks
        text = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert text.count("<row ") == 60_001 and f"第59999行 {NASTY[59_999 % len(NASTY)]}".replace("&", "&amp;") \
        .replace("<", "&lt;").replace(">", "&gt;") in text
    sheet = openpyxl.load_workbook(tmp_path / "three.xlsx", read_only=True)["data"]
    assert sum(1 for _ in sheet.iter_rows()) == 60_001


def test_a_short_sheet_and_an_empty_one_make_valid_streams(tmp_path):
    """Less than a chunk, or no rows at all: the last chunk and the final block alone are still a valid member."""
    import zipfile

    for n in (0, 3):
        for threads in (1, 2):
            _spliced(tmp_path, f"short{n}{threads}", n=n, threads=threads)
            with zipfile.ZipFile(tmp_path / f"short{n}{threads}.xlsx") as z:
                assert z.testzip() is None
            rows = list(openpyxl.load_workbook(tmp_path / f"short{n}{threads}.xlsx")["data"].values)
            assert len(rows) == n + 1


def test_a_write_failing_with_threads_compressing_ends_them(tmp_path, monkeypatch):
    """A full disk while several threads compress: raised, and none of the threads is left running."""
    import errno
    import threading
    import zipfile

    import pytest

    real = zipfile._ZipWriteFile.write
    big = []

    def full(self, data):
        if len(data) > 100_000:
            big.append(len(data))
            if len(big) == 4:  # the disk fills once the pool has chunks in hand
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(zipfile._ZipWriteFile, "write", full)
    with pytest.raises(OSError) as caught:
        _spliced(tmp_path, "full2", threads=2)
    assert caught.value.errno == errno.ENOSPC
    assert not [t for t in threading.enumerate() if t.name.startswith("xlgoals-deflate")]
