"""Legacy .xls returns (BIFF8, as Excel 97-2003, WPS and LibreOffice save them) are screened as .xlsx ones are:
formula and error cells, numbers shown as a percent, hidden rows and columns, merges; and a hostile .xls is one
located problem, never a traceback."""

import io
import struct
from pathlib import Path

import olefile
import openpyxl
import pytest

from xlgoals import read
from xlgoals._read._biff import _records

from .conftest import EXAMPLE_XLSX
from .helpers import F, info_cell, ind_cell

FIXTURES = Path(__file__).parent / "fixtures"
LO_XLS = FIXTURES / "goal-table-lo.xls"  # LibreOffice's .xls of a filled goal table


def workbook_stream(path: Path) -> bytes:
    with olefile.OleFileIO(str(path)) as ole:
        return ole.openstream("Workbook").read()


def rewrite_records(src: Path, dst: Path, edit) -> Path:
    """Copy an .xls with its Workbook stream's records changed by `edit(list of [rid, body]) -> list`, the stream
    keeping its length (olefile writes a stream in place only)."""
    stream = workbook_stream(src)
    records = [[rid, body] for rid, body in _records(stream, 0)]
    out = b"".join(struct.pack("<HH", rid, len(body)) + body for rid, body in edit(records))
    assert len(out) == len(stream)
    dst.write_bytes(src.read_bytes())
    with olefile.OleFileIO(str(dst), write_mode=True) as ole:
        ole.write_stream("Workbook", out)
    return dst


def cell_record(records, sheet: str, row: int, col: int) -> int:
    """The index of the cell record of (row, col) (0-based) of `sheet` among the records."""
    first = _substream(records, sheet)
    return next(i for i, (rid, body) in enumerate(records[first:], first)
                if rid in (0x0203, 0x027E, 0x00FD, 0x0204, 0x0006, 0x0201) and struct.unpack_from("<HH", body) == (row, col))


def _rc(sheet_cell):
    ref = openpyxl.utils.cell.coordinate_from_string(sheet_cell[1])
    return ref[1] - 1, openpyxl.utils.column_index_from_string(ref[0]) - 1


def problems(path):
    return [(p.code, p.sheet, p.cell, p.message, p.message_en) for p in read(path).problems]


@pytest.mark.soffice
def test_error_and_formula_cells_of_an_xls_are_reported_as_in_an_xlsx(tmp_path, lo_convert):
    """=1/0 in an amount, =NA() in a target and a formula in an indicator's name: an .xls return said nothing of
    them (its error cells read as empty, the formula as its value); the same return saved as .xlsx reports each."""
    total, target, name = info_cell("/budget/total"), ind_cell(3, "target"), ind_cell(4, "name")
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[1])
    for (sheet, cell), formula in ((total, "=1/0"), (target, "=NA()"), (name, '="甲"&"乙"')):
        wb[sheet][cell].value = formula
    wb.save(tmp_path / "f.xlsx")
    xlsx, = lo_convert(tmp_path / "f.xlsx", fmt="xlsx")
    xls, = lo_convert(tmp_path / "f.xlsx", fmt="xls")
    found = problems(xls)
    assert [(c, s, cell) for c, s, cell, *_ in found] == [
        ("cell.error_value", *total), ("cell.error_value", *target), ("cell.formula_text_unkept", *name)], found
    # the same messages as the .xlsx's; LibreOffice writes the text formula's result to the .xls as 0, not the text
    # the .xlsx keeps: there, one error that the cell's text cannot be read
    assert found[:2] == problems(xlsx)[:2]
    assert [c for c, *_ in problems(xlsx)] == ["cell.error_value", "cell.error_value", "cell.formula"]


def test_an_error_constant_in_an_xls_is_an_error_value(tmp_path):
    """Excel saves #N/A typed into a cell as a BOOLERR record with its error flag: an error value, as t="e" is in an
    .xlsx (an .xls return read the cell as empty, then as an unfilled required field)."""
    total = info_cell("/budget/total")
    r, c = _rc(total)

    def edit(records):
        i = cell_record(records, total[0], r, c)
        rid, body = records[i]
        assert rid in (0x0203, 0x027E), hex(rid)  # a number (NUMBER or RK)
        xf = body[4:6]
        # BOOLERR: row, col, xf, the error code (0x2A: #N/A), fError; padded to the record's length
        records[i] = [0x0205, struct.pack("<HH", r, c) + xf + b"\x2a\x01" + b"\x00" * (len(body) - 8)]
        return records

    bad = rewrite_records(LO_XLS, tmp_path / "na.xls", edit)
    found = [(p.code, p.sheet, p.cell) for p in read(bad).problems]
    assert ("cell.error_value", *total) in found, found
    assert not any(code == "rule.required_field" and cell == total[1] for code, _, cell in found), found


def test_a_cell_style_with_apply_number_format_off_still_shows_its_percent(tmp_path):
    """ECMA-376 leaves applyNumberFormat="0" on a cell's xf vague; Excel (as LibreOffice's importer says and does:
    a cell xf's format is used when it differs from its style's, whatever the flag) shows 0.85 in such a cell as
    85%, and so LibreOffice prints it.  The reader reads it as the 85 % shown, not as a bare 0.85."""
    import re
    import zipfile

    sheet, cell = ind_cell(10, "target")
    _, unit = ind_cell(10, "unit")
    with zipfile.ZipFile(EXAMPLE_XLSX[1]) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    styles = parts["xl/styles.xml"].decode()
    m = re.search(r'<cellXfs count="(\d+)">(.*?)</cellXfs>', styles, re.S)
    n = int(m[1])
    parts["xl/styles.xml"] = styles.replace(m[0], f'<cellXfs count="{n + 1}">{m[2]}<xf numFmtId="9" fontId="0" '
                                                  'fillId="0" borderId="0" xfId="0" applyNumberFormat="0"/></cellXfs>').encode()
    part = "xl/worksheets/sheet3.xml"  # 绩效指标
    xml = parts[part].decode()
    xml = re.sub(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', f'<c r="{cell}" s="{n}"><v>0.85</v></c>', xml, count=1)
    parts[part] = re.sub(rf'<c r="{unit}"[^>]*?(/>|>.*?</c>)', f'<c r="{unit}"/>', xml, count=1).encode()
    path = tmp_path / "apply0.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    result = read(path)
    item = result.document["indicators"][10]
    assert (item["value"], item["unit"]) == (85, "%") and result.problems == [], result.problems


def _first_record(records, sheet: str, rids) -> int:
    """The index of the first record of a kind in `rids` in `sheet`'s substream."""
    return next(j for j in range(_substream(records, sheet), len(records)) if records[j][0] in rids)


def _substream(records, sheet: str) -> int:
    starts, pos, offset = {}, 0, None
    for i, (rid, body) in enumerate(records):
        starts[pos] = i
        pos += 4 + len(body)
        if rid == 0x0085 and body[8:8 + len(sheet) * 2] == sheet.encode("utf-16-le"):
            offset = struct.unpack_from("<I", body)[0]
    return starts[offset]


def test_a_cell_far_down_a_sheet_nobody_reads_is_refused_before_calamine_lays_it_out(tmp_path):
    """calamine lays out every sheet of an .xls when it opens the file: one text cell moved to row 65536 of the
    guide sheet (never read) took a gigabyte and five seconds, four such sheets 2.5 GB, and the return read
    clean.  The BIFF records are screened first: the cells of all sheets together are bounded (as an .ods's),
    said before calamine sees the file."""
    guide = "填表说明"

    def edit(records):
        i = _first_record(records, guide, (0x00FD,))
        records[i][1] = struct.pack("<HH", 65535, 255) + records[i][1][4:]
        return records

    far = rewrite_records(LO_XLS, tmp_path / "far.xls", edit)
    (problem,) = read(far).problems
    assert problem.code == "file.too_large", problem
    assert str(65536 * 256) in problem.message and str(65536 * 256) in problem.message_en, problem.message

    def wider(records):  # 300 columns in the guide: a few thousand cells, read as before (the sheet is not read)
        i = _first_record(records, guide, (0x00FD,))
        records[i][1] = records[i][1][:2] + struct.pack("<H", 299) + records[i][1][4:]
        return records

    assert read(rewrite_records(LO_XLS, tmp_path / "wide.xls", wider)).problems == []


def test_dimensions_beyond_what_biff8_holds_are_refused_not_a_crash(tmp_path):
    """A DIMENSIONS record of 2^32-1 rows × 32767 columns (BIFF8 holds 65536 × 256) aborted the Python process
    inside calamine (no exception: `read()` killed its caller).  It is refused as a sheet too large."""
    import subprocess
    import sys

    def edit(records):
        i = next(j for j in range(_substream(records, F.info.name), len(records)) if records[j][0] == 0x0200)
        records[i][1] = struct.pack("<IIHH", 0, 0xFFFFFFFF, 0, 0x7FFF) + records[i][1][12:]
        return records

    bad = rewrite_records(LO_XLS, tmp_path / "dims.xls", edit)
    code = ("import sys; from xlgoals import read; "
            "print([(p.code, p.sheet) for p in read(sys.argv[1]).problems])")
    proc = subprocess.run([sys.executable, "-c", code, str(bad)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == str([("file.sheet_too_large", F.info.name)]), proc.stdout


def test_sheets_sharing_one_substream_are_read_within_one_budget(tmp_path, monkeypatch):
    """Hundreds of BOUNDSHEET records giving one substream: each sheet was read again in full (the reader's screen
    and calamine alike), a time that grows with sheets × records, hours for a 20 MB file.  The records of all
    sheets together are bounded (MAX_RECORDS, lowered here to what the small file can exceed): refused, said."""
    import xlgoals._read._biff as biff

    def edit(records):
        sst = next(i for i, (rid, _) in enumerate(records) if rid == 0x00FC)
        table = next(body for rid, body in records if rid == 0x0085 and F.table.name.encode("utf-16-le") in body)
        size = 4 + len(records[sst][1])
        fakes = []
        for n in range(size // 17 - 1):  # BOUNDSHEET: offset, state, type, a 5-character name (8-bit)
            fakes.append([0x0085, table[:4] + b"\x00\x00\x05\x00" + f"s{n:04d}".encode()])
        rest = size - 17 * len(fakes) - 4
        return records[:sst] + fakes + [[0x0000, b"\x00" * rest]] + records[sst + 1:]

    many = rewrite_records(LO_XLS, tmp_path / "many.xls", edit)
    monkeypatch.setattr(biff, "MAX_RECORDS", 50_000)
    # read in place: the lowered bound is this process's (a child from a fork server started earlier would not see it)
    assert [p.code for p in read(LO_XLS, isolated=False).problems] == []
    assert [p.code for p in read(many, isolated=False).problems] == ["file.too_large"]


def _tiny_biff(size: int, dimensions: tuple[int, int]) -> bytes:
    """A Workbook stream of `size` bytes: one sheet "S" whose DIMENSIONS record declares `dimensions`."""
    def rec(rid, body):
        return struct.pack("<HH", rid, len(body)) + body

    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    globals_ = rec(0x0809, bof) + rec(0x0085, struct.pack("<IBBBB", 37, 0, 0, 1, 0) + b"S") + rec(0x000A, b"")
    assert len(globals_) == 37
    sheet = (rec(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
             + rec(0x0200, struct.pack("<IIHHH", 0, dimensions[0], 0, dimensions[1], 0)) + rec(0x000A, b""))
    body = globals_ + sheet
    return body + rec(0x0000, b"\x00" * (size - len(body) - 4))


def test_a_second_workbook_stream_named_in_another_case_is_refused(tmp_path):
    """A compound file with the real workbook stream named WORKBOOK and another named Workbook: the screen (olefile,
    which finds names whatever their case) read the one, calamine the other, so what calamine read was never
    screened (here a DIMENSIONS record that aborts the process).  Two streams that may be the workbook: refused."""
    import subprocess
    import sys

    path = tmp_path / "two.xls"
    path.write_bytes(LO_XLS.read_bytes())
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        size = ole.get_size("\x05SummaryInformation")
        ole.write_stream("\x05SummaryInformation", _tiny_biff(size, (0xFFFFFFFF, 0x7FFF)))
    data = bytearray(path.read_bytes())
    summary, real = "\x05SummaryInformation".encode("utf-16-le"), "Workbook".encode("utf-16-le")
    i, j = data.find(summary), data.find(real)
    data[i:i + 66] = real + b"\x00" * (66 - len(real))  # the other stream takes the name Workbook ...
    data[i + 64:i + 66] = struct.pack("<H", len(real) + 2)
    data[j:j + len(real)] = "WORKBOOK".encode("utf-16-le")  # ... and the real one another case of it
    path.write_bytes(bytes(data))
    code = "import sys; from xlgoals import read; print([p.code for p in read(sys.argv[1]).problems])"
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.strip() == "['file.corrupt']", proc.stdout


@pytest.mark.soffice
def test_a_text_formula_libreoffice_saved_as_xls_is_not_said_to_show_0(tmp_path, lo_edit):
    """="甲"&"乙" typed into an amount cell shows 甲乙; LibreOffice's .xls keeps the number 0 as its result (no
    STRING record follows the FORMULA), and cell.formula said the cell shows "0".  It now says the cell shows a
    text the file does not keep; a formula whose text result the file keeps (Excel's STRING record) is quoted."""
    sheet, cell = info_cell("/budget/total")
    xls = lo_edit(EXAMPLE_XLSX[1], tmp_path / "f.xls", [{"sheet": sheet, "cell": cell, "input": '="甲"&"乙"'}],
                  fmt="xls")
    found = [p for p in read(xls).problems if p.code.startswith("cell.formula")]
    assert [(p.sheet, p.cell) for p in found] == [(sheet, cell)], found
    assert "“0”" not in found[0].message and "未保存" in found[0].message, found[0].message
    assert "'0'" not in found[0].text("en") and "does not keep" in found[0].text("en")

    def with_string(records):  # the result as Excel keeps it: a string marker, then the STRING record
        i = cell_record(records, sheet, *_rc((sheet, cell)))
        body = bytearray(records[i][1])
        body[6:14] = b"\0\0\0\0\0\0\xff\xff"
        records[i][1] = bytes(body)
        first = _substream(records, sheet)  # room for it: the sheet's last ROW record (an empty row's height)
        del records[max(k for k in range(first, i) if records[k][0] == 0x0208)]  # the FORMULA now at i - 1
        records.insert(i, [0x0207, struct.pack("<HB", 13, 0) + b"reads as text"])
        return records

    excel = rewrite_records(xls, tmp_path / "excel.xls", with_string)
    found = [p for p in read(excel).problems if p.code == "cell.formula"]
    assert len(found) == 1 and "“reads as text”" in found[0].message, found


@pytest.mark.soffice
def test_a_text_formula_whose_text_the_xls_does_not_keep_is_no_value_of_0(tmp_path, lo_edit):
    """项目总预算 ="甲"&"乙" and an indicator name ="指"&"标", typed in LibreOffice and saved as .xls: the file keeps
    the number 0 as each result.  That 0 was used: validate also said 当年预算 exceeds 项目总预算（0.00 元）, and the
    indicator was named "0".  Each cell is now one located error, its value unknown (null), and no rule computes
    with it."""
    from xlgoals import validate_file

    total = info_cell("/budget/total")
    name = ind_cell(0, "name")
    xls = lo_edit(EXAMPLE_XLSX[1], tmp_path / "f.xls", [{"sheet": total[0], "cell": total[1], "input": '="甲"&"乙"'},
                                                        # a cell pasted from another workbook brings its number
                                                        # format (the template's 名称 cell is text: = is typed as is)
                                                        {"sheet": name[0], "cell": name[1], "paste": 1,
                                                         "format": "0"},
                                                        {"sheet": name[0], "cell": name[1], "input": '="指"&"标"'}],
                  fmt="xls")
    report = validate_file(xls)
    at = {(p.sheet, p.cell): [] for p in report.problems}
    for p in report.problems:
        at[(p.sheet, p.cell)].append(p.code)
    assert at.get(total) == ["cell.formula_text_unkept"], report.problems
    assert at.get(name) == ["cell.formula_text_unkept"], report.problems
    assert all(p.severity == "error" for p in report.problems if p.code == "cell.formula_text_unkept")
    assert not [p for p in report.problems if "0.00 元" in p.message or "current_le_total" in p.code], \
        report.problems
    assert report.document["budget"]["total"] is None
    assert report.document["indicators"][0].get("name") is None, report.document["indicators"][0]
    en = [p.text("en") for p in report.problems if p.code == "cell.formula_text_unkept"]
    assert all("does not keep" in t for t in en), en


@pytest.mark.soffice
def test_any_text_formula_libreoffice_saved_as_xls_is_no_value_of_0(tmp_path, lo_edit):
    """Formulas giving a text other than ``&`` or a lone string — =TEXT(…), =IF(…,"是","否"), a reference to a
    text cell — typed in LibreOffice and saved as .xls keep the number 0 as their result (no STRING record): each
    read as 0 (项目总预算 0.00 元, an indicator named "0") with only a warning.  Each is now one located
    cell.formula_text_unkept error, its value null; a formula whose result is a number 0 (a reference to an empty
    cell) is still read as 0, with its cell.formula warning."""
    from xlgoals import validate_file

    total, prior = info_cell("/budget/total"), info_cell("/budget/prior_year_budget")
    executed = info_cell("/budget/prior_year_executed")
    names = [ind_cell(i, "name") for i in range(3)]
    edits = [{"sheet": total[0], "cell": total[1], "input": '=TEXT(B11,"0")'},
             {"sheet": prior[0], "cell": prior[1], "input": f"={executed[1]}"}]
    for (sheet, cell), formula in zip(names[:2], ('=IF(1>0,"是","否")', f"={names[2][1]}")):
        # a cell pasted from another workbook brings its number format (the template's name cells are text)
        edits += [{"sheet": sheet, "cell": cell, "paste": 1, "format": "0"},
                  {"sheet": sheet, "cell": cell, "input": formula}]
    xls = lo_edit(EXAMPLE_XLSX[1], tmp_path / "f.xls", edits, fmt="xls")
    report = validate_file(xls)
    at: dict = {}
    for p in report.problems:
        at.setdefault((p.sheet, p.cell), []).append(p.code)
    for cell in (total, *names[:2]):
        assert at.get(cell) == ["cell.formula_text_unkept"], (cell, report.problems)
    assert at.get(prior) == ["cell.formula"], report.problems
    assert report.document["budget"]["total"] is None
    assert report.document["budget"]["prior_year_budget"] == 0
    assert [report.document["indicators"][i].get("name") for i in range(3)] == [None, None, "预算资金到位率"]




@pytest.mark.soffice
def test_formulas_filled_down_in_libreoffice_are_read_by_their_shared_expression(tmp_path, lo_edit):
    """A formula filled down is kept in an .xls as a shared formula (SHRFMLA; each cell's FORMULA names it by its
    first cell, ptgExp).  Its expression was not looked at, so a number formula whose result is 0 (=A10*0 in three
    targets) was taken for a text the file does not keep (cell.formula_text_unkept, an error); a text formula
    (=IF(A4>0,"是","否") in three names) is that error, and the numbers are read, with their cell.formula warning."""
    from xlgoals import validate_file

    names = [ind_cell(i, "name") for i in range(3)]
    targets = [ind_cell(i, "target") for i in range(3)]
    sheet = names[0][0]
    edits = []
    for cells, formula in ((names, '=IF(A4>0,"是","否")'), (targets, "=A10*0")):
        edits += [{"sheet": sheet, "cell": cells[0][1], "paste": 1, "format": "0"},
                  {"sheet": sheet, "cell": cells[0][1], "input": formula},
                  {"sheet": sheet, "cell": f"{cells[0][1]}:{cells[2][1]}", "fill_down": True}]
    xls = lo_edit(EXAMPLE_XLSX[1], tmp_path / "f.xls", edits, fmt="xls")
    report = validate_file(xls)
    at: dict = {}
    for p in report.problems:
        at.setdefault((p.sheet, p.cell), []).append(p.code)
    assert [at.get(c) for c in names] == [["cell.formula_text_unkept"]] * 3, report.problems
    assert [at.get(c, [""])[0] for c in targets] == ["cell.formula"] * 3, report.problems
    assert [report.document["indicators"][i].get("name") for i in range(3)] == [None, None, None]
    assert [report.document["indicators"][i].get("value") for i in (1, 2)] == [0, 0]  # (the first: 定性, a text)


# The application that wrote an .xls decides what a formula kept as 0 is ------------------------
_FMTID_SI = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")


def summary_information(app: str | None) -> bytes:
    """A SummaryInformation stream ([MS-OLEPS]) with the codepage 1252 and, unless None, PIDSI_APPNAME `app` (Excel
    writes "Microsoft Excel"; LibreOffice writes none)."""
    items = [(1, struct.pack("<HHh", 2, 0, 1252) + b"\0\0")]
    if app is not None:
        raw = app.encode("cp1252") + b"\0"
        items.append((0x12, struct.pack("<HHI", 0x1E, 0, len(raw)) + raw + b"\0" * (-len(raw) % 4)))
    offset, table, body = 8 + 8 * len(items), b"", b""
    for pid, data in items:
        table += struct.pack("<II", pid, offset + len(body))
        body += data
    section = struct.pack("<II", 8 + len(table) + len(body), len(items)) + table + body
    return b"\xfe\xff\0\0" + b"\0" * 4 + b"\0" * 16 + struct.pack("<I", 1) + _FMTID_SI + struct.pack("<I", 48) + section


def lookup_formula_xls(dst: Path, app: str | None, writer: str = "Calc") -> Path:
    """LibreOffice's .xls of a filled goal table with 上年执行数 (empty there) made a lookup formula kept as the
    number 0 (=VLOOKUP(A1,其他表!A1:B9,2): what it gives cannot be told from the expression), its SummaryInformation
    naming `app` as the writer, and its WRITEACCESS record the user `writer` (LibreOffice writes "Calc")."""
    sheet, cell = info_cell("/budget/prior_year_executed")
    row, col = _rc((sheet, cell))

    def edit(records):
        i = cell_record(records, sheet, row, col)
        old = records[i][1]
        first = _substream(records, sheet)
        rows = sorted((k for k in range(first, i) if records[k][0] == 0x0208), reverse=True)[:3]
        freed = 4 + len(old) + sum(4 + len(records[k][1]) for k in rows)  # the cell and three ROW records (heights)
        rgce = (struct.pack("<BHH", 0x24, 0, 0) + struct.pack("<BHHHHH", 0x3B, 0, 0, 8, 0, 1)  # A1, 其他表!A1:B9
                + struct.pack("<BH", 0x1E, 2) + struct.pack("<BBH", 0x42, 3, 102))  # 2, VLOOKUP of 3 arguments
        head = struct.pack("<HHH", row, col, struct.unpack_from("<H", old, 4)[0]) + struct.pack("<d", 0.0)
        spare = freed - 4 - (len(head) + 2 + 4 + 2 + len(rgce))
        assert spare >= 0
        rgce = struct.pack("<BBH", 0x19, 0x40, 0) * (spare // 4) + rgce + b"\x15" * (spare % 4)  # spaces, parens
        records[i] = [0x0006, head + struct.pack("<HIH", 0, 0, len(rgce)) + rgce]
        for k in rows:
            del records[k]
        for k, (rid, body) in enumerate(records):
            if rid == 0x005C:  # WRITEACCESS: the user name, padded to 112 bytes
                name = writer.encode("latin-1")
                records[k][1] = (struct.pack("<HB", len(name), 0) + name).ljust(len(body), b" ")
        return records

    rewrite_records(LO_XLS, dst, edit)
    with olefile.OleFileIO(str(dst), write_mode=True) as ole:
        size = ole.get_size("\x05SummaryInformation")
        stream = summary_information(app)
        assert len(stream) <= size
        ole.write_stream("\x05SummaryInformation", stream.ljust(size, b"\0"))
    return dst


def _at(path, cell):
    report = read(path)
    return [p for p in report.problems if (p.sheet, p.cell) == cell], report.document


def test_a_lookup_formula_excel_kept_as_0_is_the_number_0(tmp_path):
    """Excel keeps a formula's text result (a STRING record): a lookup formula whose result an Excel-written .xls
    keeps as the number 0 gives 0 — read as 0 with the cell.formula warning, not cell.formula_text_unkept (that
    file format's loss is LibreOffice's)."""
    cell = info_cell("/budget/prior_year_executed")
    found, doc = _at(lookup_formula_xls(tmp_path / "excel.xls", "Microsoft Excel", writer="Zhang San"), cell)
    assert [p.code for p in found] == ["cell.formula"], found
    assert doc["budget"]["prior_year_executed"] == 0


def test_a_lookup_formula_libreoffice_kept_as_0_is_a_text_not_kept(tmp_path):
    """LibreOffice (no application named in SummaryInformation, its WRITEACCESS user "Calc") keeps a text result as
    0: the cell is cell.formula_text_unkept, as before, its value unknown."""
    cell = info_cell("/budget/prior_year_executed")
    found, doc = _at(lookup_formula_xls(tmp_path / "lo.xls", None), cell)
    assert [p.code for p in found] == ["cell.formula_text_unkept"], found
    assert doc["budget"]["prior_year_executed"] is None


def test_a_lookup_formula_of_an_unknown_writer_kept_as_0_is_asked_about(tmp_path):
    """An .xls of an application not known (named otherwise, or not named and not LibreOffice's): the cell is still
    an error with no value, but the message asks whether the cell shows 0 rather than saying the text was lost."""
    cell = info_cell("/budget/prior_year_executed")
    for name, app, writer in (("other.xls", "Some Spreadsheet 3.1", "Calc"), ("none.xls", None, "Zhang San")):
        found, doc = _at(lookup_formula_xls(tmp_path / name, app, writer), cell)
        assert [p.code for p in found] == ["cell.formula_text_unsure"], (name, found)
        (p,) = found
        assert "吗？" in p.message and "?" in p.text("en") and p.severity == "error"
        assert doc["budget"]["prior_year_executed"] is None
