"""Red team 28z: files as departments' apps write them (fraction formats, password-protected .xls/.ods, styles
attributes holding a raw >, a shared-string index with whitespace, duration formats in messages)."""

import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from xlgoals import read

from .conftest import EXAMPLE_XLSX

GOOD = EXAMPLE_XLSX[0]
FIXTURES = Path(__file__).parent / "fixtures"


def rezip(dst, edits, src=GOOD):
    """A copy of `src` with each part of `edits` changed: part -> [(old, new)] (each old found once)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            for old, new in edits.get(info.filename, ()):
                assert data.count(old) >= 1, (info.filename, old)
                data = data.replace(old, new, 1)
            zout.writestr(info.filename, data)
    return dst


def _codes(result):
    return [p.code for p in result.problems]


# F1 -------------------------------------------------------------------------------------------------------------

FRACTIONS = ["# ?/?", "?/?", "# ?/8", "# ??/16", "0/0", "# ???/???", "# ?/2", "# ?/4", "# ??/??", "# ?/10",
             "# ??/100", "0.0\"x\"/0"]


@pytest.fixture(scope="module")
def plain_document():
    return read(GOOD).document


@pytest.mark.parametrize("code", FRACTIONS)
def test_fraction_format_on_amount_reads_like_plain_file(tmp_path, code, plain_document):
    """A fraction format (设置单元格格式 › 分数) on the amount cells (numFmt 166, #,##0.00 in the template) crashed the
    screen (TypeError in shown_number: file.crashed); the values are read as they are."""
    fmt = f'<numFmt numFmtId="166" formatCode={quoteattr(code)}/>'.encode()
    f = rezip(tmp_path / "frac.xlsx", {"xl/styles.xml": [(b'<numFmt numFmtId="166" formatCode="#,##0.00"/>', fmt)]})
    result = read(f)
    assert "file.crashed" not in _codes(result), [(p.code, p.message) for p in result.problems]
    assert result.document == plain_document


def test_libreoffice_saved_fraction_format_is_read():
    """绩效指标!F5 := 0.5 formatted # ?/? by LibreOffice, saved as .xlsx (red team 28z gen_lo_files.py)."""
    result = read(FIXTURES / "goal-table-lo-fraction.xlsx")
    assert "file.crashed" not in _codes(result), [(p.code, p.message) for p in result.problems]
    assert result.document is not None


# numFmtId 0-49 as Excel defines them (en-US), and the zh-CN locale's 27-36, 50-58
BUILTIN_FORMATS = [
    "General", "0", "0.00", "#,##0", "#,##0.00", '"$"#,##0_);("$"#,##0)', '"$"#,##0_);[Red]("$"#,##0)',
    '"$"#,##0.00_);("$"#,##0.00)', '"$"#,##0.00_);[Red]("$"#,##0.00)', "0%", "0.00%", "0.00E+00", "# ?/?",
    "# ??/??", "m/d/yyyy", "d-mmm-yy", "d-mmm", "mmm-yy", "h:mm AM/PM", "h:mm:ss AM/PM", "h:mm", "h:mm:ss",
    "m/d/yyyy h:mm", "#,##0 ;(#,##0)", "#,##0 ;[Red](#,##0)", "#,##0.00;(#,##0.00)", "#,##0.00;[Red](#,##0.00)",
    '_(* #,##0_);_(* (#,##0);_(* "-"_);_(@_)', '_("$"* #,##0_);_("$"* (#,##0);_("$"* "-"_);_(@_)',
    '_(* #,##0.00_);_(* (#,##0.00);_(* "-"??_);_(@_)', '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)',
    "mm:ss", "[h]:mm:ss", "mm:ss.0", "##0.0E+0", "@",
    # zh-CN
    '[$-804]yyyy"年"m"月"', '[$-804]m"月"d"日"', 'yyyy"年"m"月"d"日"', "m-d-yy", 'h"时"mm"分"', 'h"时"mm"分"ss"秒"',
    '上午/下午h"时"mm"分"', '上午/下午h"时"mm"分"ss"秒"', '[DBNum1][$-804]yyyy"年"m"月"d"日"',
    "[DBNum1][$-804]m\"月\"d\"日\"", "[DBNum1]General", "[DBNum2][$-804]General", "[DBNum1][$-804]0", '¥#,##0;¥-#,##0',
    '¥#,##0;[Red]¥-#,##0', '¥#,##0.00;¥-#,##0.00', '¥#,##0.00;[Red]¥-#,##0.00', '_ ¥* #,##0_ ;_ ¥* -#,##0_ ;_ ¥* "-"_ ;_ @_ ',
    '_ * #,##0.00_ ;_ * -#,##0.00_ ;_ * "-"??_ ;_ @_ ', "[$-804]0.00", "[$¥-804]#,##0.00", "[>=1000000]0.0,,\"M\";0",
    "[<0]\"负\"0;0", "0;-0;;@", ";;;", "0.00_);(0.00)", "#,##0.00\"万元\"", "0.0?", "0.?0", "[Red]0.00", "\"合计\"@",
    "[h]", "[mm]:ss", "[ss]", "0.00E+00;-0.00E+00", "# ?/8;-# ?/8", "?/?;\"负\"?/?", "#,##0,", "0%%", "[Blue][>100]0;0.0",
]
VALUES = [0, 0.0, -1, -0.5, 1.5, 0.5, 62800000, 62800000.4, -62800000.45, 1e15, 1.7976931348623157e308, 1e-300,
          3.3333333333333335, 2**53, -(2**53), 123456789012345678901234567890]


def test_format_judges_are_total_over_builtin_formats():
    """Every judge of a number format gives a value (None where it cannot tell), for every built-in format of Excel
    and LibreOffice and the odd ones departments write, for zero, negative, huge and fractional values: never an
    exception (a fraction format's None from _render_section crashed shown_number)."""
    from xlgoals._read import _screen as s

    for code in BUILTIN_FORMATS + FRACTIONS:
        s.parse_format(code), s.format_text(code), s.format_shows_otherwise(code), s.format_blanks(code)
        s.percent_sections(code), s.shows_date(code), s.shows_percent(code), s.scaled_money_format(code)
        s._fixed_code(code)
        for v in VALUES:
            shown = s.shown_number(code, v)
            assert shown is None or isinstance(shown, str), (code, v)
            away = s.rounded_away(code, v)
            assert away is None or all(isinstance(x, str) for x in away), (code, v)


def test_fraction_shows_no_plain_number():
    """A fraction shows no plain number the as-shown checks could quote: None, as a scientific number or a date."""
    from xlgoals._read._screen import shown_number

    assert shown_number("# ?/?", 0.5) is None
    assert shown_number("# ?/8", 62800000) is None
    assert shown_number("0.00", 0.5) == "0.50"


# F2, F3 ---------------------------------------------------------------------------------------------------------

def test_password_protected_xls_is_encrypted():
    """LibreOffice 使用密码保存 as .xls (BIFF8 FILEPASS, RC4): was read as plain, a garbage sheet name and
    file.sheet_too_large."""
    assert _codes(read(FIXTURES / "goal-table-lo-password.xls")) == ["file.encrypted"]


def _with_record_after_bof(data: bytes, rid: int) -> bytes:
    """The .xls `data` with the record after its workbook globals' BOF given the id `rid` (its length kept: every
    offset stays), found where the compound file keeps the stream."""
    import olefile

    with olefile.OleFileIO(data) as ole:
        stream = ole.openstream("Workbook").read()
    length = struct.unpack_from("<H", stream, 2)[0]
    head = stream[:4 + length + 4 + 64]
    at = data.find(head)
    assert at >= 0 and data.count(head) == 1
    pos = at + 4 + length
    return data[:pos] + struct.pack("<H", rid) + data[pos + 2:]


def test_filepass_record_in_xls_globals_is_encrypted(tmp_path):
    """Excel's 打开权限密码 (XOR or RC4): a FILEPASS record after the globals' BOF; every record after it ciphertext."""
    plain = (FIXTURES / "goal-table-lo.xls").read_bytes()
    f = tmp_path / "x.xls"
    f.write_bytes(_with_record_after_bof(plain, 0x002F))
    assert _codes(read(f)) == ["file.encrypted"]
    f.write_bytes(_with_record_after_bof(plain, 0x00E1))  # (the record it replaced, INTERFACEHDR: the file as read)
    assert "file.encrypted" not in _codes(read(f))


def test_password_protected_ods_is_encrypted():
    """LibreOffice 使用密码保存 as .ods (manifest encryption-data): was file.corrupt, 'resend the file'."""
    assert _codes(read(FIXTURES / "goal-table-lo-password.ods")) == ["file.encrypted"]


# F4 -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("quote", ['"', "'"])
def test_raw_gt_in_format_code_judged_as_escaped(tmp_path, quote):
    """A > inside an attribute value is legal XML: formatCode="[>=1000000]0.0,,&quot;M&quot;;0" written with a raw >
    was cut to "" by the styles regex (a false cell.format_blank, the scaled print not said, the file passed); both
    spellings are judged alike: the amount printed as 62.8M is said (cell.amount_scaled)."""
    old = b'<numFmt numFmtId="166" formatCode="#,##0.00"/>'
    found = {}
    for name, gt in (("escaped", b"&gt;"), ("raw", b">")):
        code = b"[" + gt + b"=1000000]0.0,,&quot;M&quot;;0"
        new = b"<numFmt formatCode=" + quote.encode() + code + quote.encode() + b' numFmtId="166"/>'
        result = read(rezip(tmp_path / f"{name}.xlsx", {"xl/styles.xml": [(old, new)]}))
        found[name] = sorted({p.code for p in result.problems})
    assert found["raw"] == found["escaped"]
    assert "cell.amount_scaled" in found["raw"] and "cell.format_blank" not in found["raw"]


def test_numfmt_tags_read_in_linear_time():
    """Unbalanced quotes in a hostile styles.xml: each try of the quote-aware pattern stops at the next tag."""
    import time

    from xlgoals._read._screen import _NUMFMT

    hostile = b'<numFmt x="a" ' * 60000 + b'"' + b"<numFmt " + b"a" * 1_000_000
    t = time.perf_counter()
    assert list(_NUMFMT.finditer(hostile)) == []
    assert time.perf_counter() - t < 2


# F5 -------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("index", [b" 20 ", b"20 ", b"\n20", b"+20", b"20.0", b"x"])
@pytest.mark.parametrize("tag", [b'<c r="B3" s="6" t="s">', b"<c t='s' s='6' r='B3'>"])
def test_shared_string_index_not_a_number_is_refused_at_its_cell(tmp_path, index, tag):
    """<c t="s"><v> 20 </v>: calamine reads shared string 0 (填表说明（2020年度）) for any index that is no plain number,
    the unit silently another text; refused, naming the sheet and the cell (canonical tags and others alike)."""
    f = rezip(tmp_path / "sst.xlsx", {"xl/worksheets/sheet2.xml": [(b'<c r="B3" s="6" t="s"><v>20<',
                                                                    tag + b"<v>" + index + b"<")]})
    result = read(f)
    assert _codes(result) == ["file.corrupt"], [(p.code, p.message) for p in result.problems]
    assert "B3" in result.problems[0].message and "项目信息" in result.problems[0].message


def test_shared_string_index_plain_reads_as_before(tmp_path, plain_document):
    """A plain index, and one written with leading zeros (calamine reads 020 as 20), read as the original file."""
    f = rezip(tmp_path / "sst.xlsx", {"xl/worksheets/sheet2.xml": [(b'<c r="B3" s="6" t="s"><v>20<',
                                                                    b'<c r="B3" s="6" t="s"><v>020<')]})
    result = read(f)
    assert result.problems == [] or "file.corrupt" not in _codes(result)
    assert result.document == plain_document


# F6 -------------------------------------------------------------------------------------------------------------

def test_duration_format_on_amount_quotes_what_the_cell_shows(tmp_path):
    """An amount formatted [h]:mm:ss (a slip in 设置单元格格式 › 时间): calamine gives a timedelta, and the message quoted
    Python's "62800000 days, 0:00:00"; it quotes what Excel shows, 1507200000:00:00, and the document keeps that."""
    f = rezip(tmp_path / "dur.xlsx", {"xl/styles.xml": [(b'<numFmt numFmtId="166" formatCode="#,##0.00"/>',
                                                         b'<numFmt numFmtId="166" formatCode="[h]:mm:ss"/>')]})
    result = read(f)
    amounts = [p for p in result.problems if p.cell == "B10"]
    assert [p.code for p in amounts] == ["cell.amount"]
    assert "“1507200000:00:00”" in amounts[0].message and "'1507200000:00:00'" in amounts[0].message_en
    assert all("days" not in p.message + p.message_en for p in result.problems)
    assert result.document["budget"]["total"] == "1507200000:00:00"


def test_duration_text():
    import datetime as dt

    from xlgoals._form._kinds import duration_text

    assert duration_text(dt.timedelta(days=62800000)) == "1507200000:00:00"
    assert duration_text(dt.timedelta(hours=36, minutes=5, seconds=7, microseconds=600_000)) == "36:05:08"
    assert duration_text(dt.timedelta(seconds=59, microseconds=500_000)) == "0:01:00"
    assert duration_text(-dt.timedelta(hours=1, minutes=30)) == "-1:30:00"


# folder mode: a table saved as text ----------------------------------------------------------------------------

def test_folder_lists_tables_saved_as_text_with_the_save_as_advice(tmp_path):
    """A .csv or Excel 2003 .xml found in a folder was listed as 不是工作簿文件，未检查, without the 另存为 .xlsx advice a
    single-file validate gives; a .txt is still no workbook."""
    from xlgoals import validate

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    (inbox / "甲.csv").write_text("申报单位,项目\n甲,乙\n", encoding="utf-8")
    (inbox / "乙.xml").write_text('<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook '
                                 'xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>', encoding="utf-8")
    (inbox / "说明.txt").write_text("not a return", encoding="utf-8")
    report = validate([inbox])
    got = {Path(p).name: why for p, why in report.skipped_reasons.items()}
    assert {n: why.code for n, why in got.items()} == {"甲.csv": "skipped.save_as", "乙.xml": "skipped.save_as",
                                                      "说明.txt": "skipped.not_workbook"}
    assert "另存为 .xlsx" in got["甲.csv"][0] and "save it as .xlsx" in got["乙.xml"][1]
