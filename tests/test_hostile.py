"""Untrusted input: every hostile file gets one clear problem; the rest of the run goes on."""

import io
import json
import os
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from xlgoals import read, validate, validate_file

from .conftest import EXAMPLE_XLSX

GOOD = EXAMPLE_XLSX[1]


def rezip(dst, replace=None, add=None, src=GOOD, drop=()):
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info)))
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def _sheet_part(name="xl/worksheets/sheet2.xml"):
    with zipfile.ZipFile(GOOD) as z:
        return z.read(name)


def lying_bomb(dst, name="xl/worksheets/sheet9.xml", src=GOOD, drop=()):
    """A deflated entry `name` that unpacks to 300 MB while its headers claim 1 KB (the other parts from `src`,
    without those in `drop`: the bomb replaces them)."""
    rezip(dst, src=src, drop=drop)
    payload = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"A" * (1024 * 1024)
    comp = b"".join(payload.compress(chunk) for _ in range(300)) + payload.flush()
    crc = zlib.crc32(chunk[:1024])
    name = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(comp), 1024, len(name), 0) + name
    data = dst.read_bytes()
    eocd = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_off = struct.unpack("<HII", data[eocd + 10:eocd + 20])
    new_local_off = cd_off
    central = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(comp), 1024,
                          len(name), 0, 0, 0, 0, 0, new_local_off) + name
    cd = data[cd_off:cd_off + cd_size]
    new_cd_off = new_local_off + len(local) + len(comp)
    eocd_rec = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, cd_size + len(central),
                           new_cd_off, 0)
    dst.write_bytes(data[:cd_off] + local + comp + cd + central + eocd_rec)
    return dst


def honest_bomb(dst):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        with zipfile.ZipFile(GOOD) as zin:
            for info in zin.infolist():
                z.writestr(info.filename, zin.read(info))
        z.writestr("xl/media/huge.bin", b"\0" * (200 * 1024 * 1024))
    return dst


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                  b'<workbook>&lol3;</workbook>')
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><sst>&e;</sst>'

HOSTILE = {
    "empty.xlsx": ("file.empty", lambda p: p.write_bytes(b"")),
    "text.xlsx": ("file.not_workbook", lambda p: p.write_text("申报单位,项目\n甲,乙\n", encoding="utf-8")),
    "report.xlsx": ("file.not_workbook", lambda p: p.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj")),
    "truncated.xlsx": ("file.corrupt", lambda p: p.write_bytes(GOOD.read_bytes()[:9000])),
    "garbage_zip.xlsx": ("file.corrupt", lambda p: p.write_bytes(b"PK\x03\x04" + b"\x00" * 500)),
    "encrypted.xlsx": ("file.encrypted", lambda p: p.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 50
        + "EncryptedPackage".encode("utf-16-le") + b"\0" * 2000)),
    "password.xlsx": ("file.encrypted", lambda p: _really_encrypted(p)),
    "macro.xlsx": ("file.macro", lambda p: rezip(p, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})),
    "links.xlsx": ("file.external_link", lambda p: rezip(p, add={
        "xl/externalLinks/externalLink1.xml": b'<externalLink xmlns="http://schemas.openxmlformats.org/'
                                              b'spreadsheetml/2006/main"/>'})),
    "bomb.xlsx": ("file.too_large", honest_bomb),
    "lying_bomb.xlsx": ("file.too_large", lying_bomb),
    "laughs.xlsx": ("file.unsafe_xml", lambda p: rezip(p, replace={"xl/workbook.xml": BILLION_LAUGHS})),
    "xxe.xlsx": ("file.unsafe_xml", lambda p: rezip(p, replace={"xl/sharedStrings.xml": XXE})),
    "huge_sheet.xlsx": ("file.sheet_too_large", lambda p: rezip(p, replace={
        "xl/worksheets/sheet3.xml": _sheet_part("xl/worksheets/sheet3.xml").replace(
            b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>')})),
    "word.xlsx": ("file.not_workbook", lambda p: _docx(p)),
}


def _really_encrypted(p):
    """A workbook encrypted with an open password, as Excel and WPS write it (agile encryption)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(GOOD, "rb") as src, open(p, "wb") as out:
        OOXMLFile(src).encrypt("secret", out)


def _docx(p):
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("hostile")
    for name, (_, make) in HOSTILE.items():
        make(d / name)
    (d / "folder.xlsx").mkdir()
    (d / "good.xlsx").write_bytes(GOOD.read_bytes())
    return d


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_each_hostile_file_is_one_clear_problem(hostile_dir, name):
    result = read(hostile_dir / name)
    assert result.document is None
    assert [p.code for p in result.problems] == [HOSTILE[name][0]]
    assert result.problems[0].severity == "error" and result.problems[0].message


def test_folder_named_like_a_workbook(hostile_dir):
    assert [p.code for p in read(hostile_dir / "folder.xlsx").problems] == ["file.is_directory"]


def test_hostile_files_do_not_stop_the_run(hostile_dir):
    report = validate([hostile_dir])
    by_name = {r.path.split("/")[-1]: r for r in report.files}
    assert set(by_name) == set(HOSTILE) | {"good.xlsx", "folder.xlsx"}
    assert by_name["good.xlsx"].passes()
    assert all(not r.passes() for n, r in by_name.items() if n != "good.xlsx")


def test_cli_memory_time_and_no_traceback(hostile_dir):
    """The whole hostile folder through the CLI: one line per file, bounded memory, a few seconds."""
    # VmHWM is the child's own peak resident memory (ru_maxrss would include the forking parent's).
    # An exit handler: the command line leaves without tearing the interpreter down, after its exit handlers.
    runner = ("import atexit, runpy, sys\n"
              "def peak():\n"
              "    hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
              "    print('PEAK', hwm.split()[1], file=sys.stderr)\n"
              "atexit.register(peak)\n"
              "runpy.run_module('xlgoals', run_name='__main__')\n")
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", runner, "validate", str(hostile_dir), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    elapsed = time.monotonic() - started
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert len(data["files"]) == len(HOSTILE) + 2
    peak_kb = int(proc.stderr.split("PEAK")[-1].split()[0])
    assert peak_kb < 500 * 1024, f"peak RSS {peak_kb} KB"
    assert elapsed < 60, elapsed  # generous: a hang or a runaway unpack would blow far past this


def test_input_files_untouched(hostile_dir):
    snapshot = {p.name: p.read_bytes() for p in hostile_dir.iterdir() if p.is_file()}
    validate([hostile_dir])
    assert snapshot == {p.name: p.read_bytes() for p in hostile_dir.iterdir() if p.is_file()}


# Parts nobody reads ------------------------------------------------------------------------------
@pytest.mark.parametrize("part", ["xl/theme/theme1.xml", "xl/media/image1.png", "docProps/app.xml"])
def test_a_part_nobody_reads_is_never_inflated(tmp_path, part):
    """A lying entry that neither the reader nor calamine reads costs nothing: the return reads as it is (the
    data the department typed is intact), and the part is never inflated."""
    from xlgoals._read._grid import Grid
    from xlgoals._read._safety import open_container

    bombed = lying_bomb(tmp_path / "x.xlsx", part, drop=(part,))
    result = read(bombed)
    assert result.problems == [] and result.document == read(GOOD).document
    container = open_container(bombed)
    Grid(container).values("绩效指标")
    assert part not in container.parts._out  # noqa: SLF001 - what was inflated


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/worksheets/sheet4.xml"], ids=["guide", "lists"])
def test_a_sheet_the_reader_never_reads_is_never_inflated(tmp_path, part):
    """The guide sheet (填表说明) and the very hidden lists sheet (下拉选项) are sheets the reader never reads: a lying
    entry there costs nothing either (calamine is not given them), and the return reads as it is."""
    from xlgoals._read import READ_SHEETS
    from xlgoals._read._grid import Grid
    from xlgoals._read._safety import open_container

    bombed = lying_bomb(tmp_path / "x.xlsx", part, drop=(part,))
    result = read(bombed)
    assert result.problems == [] and result.document == read(GOOD).document
    container = open_container(bombed)
    grid = Grid(container, READ_SHEETS)
    grid.values("项目信息"), grid.values("绩效指标")
    assert part not in container.parts._out  # noqa: SLF001 - what was inflated


def _with_crc(dst, name, change, src=GOOD):
    """A copy of `src` whose entry `name` keeps its compressed bytes, its declared size and CRC changed by `change`
    ((size, crc) -> (size, crc)) in both its headers."""
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo(name)
    size, crc = change((info.file_size, info.CRC))
    struct.pack_into("<I", data, info.header_offset + 14, crc)  # the local header: CRC, sizes
    struct.pack_into("<I", data, info.header_offset + 22, size)
    central = data.rfind(b"PK\x01\x02" + data[info.header_offset + 4:info.header_offset + 6])
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.rfind(b"PK\x01\x02", 0, central)
    struct.pack_into("<I", data, central + 16, crc)  # the central directory's: CRC, sizes
    struct.pack_into("<I", data, central + 24, size)
    dst.write_bytes(bytes(data))
    return dst


def test_a_templates_shared_parts_are_inflated_once_in_a_batch(tmp_path):
    """Returns made from one template share their styles, workbook structure and properties, compressed bytes and
    all: the second return's are not inflated again (its sheets and shared strings are)."""
    from xlgoals._read import _safety

    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    first.write_bytes(GOOD.read_bytes())
    second.write_bytes(GOOD.read_bytes())
    expected = read(GOOD).document
    _safety._inflate_shared.cache_clear()  # noqa: SLF001
    assert read(first, isolated=False).problems == []  # in this process: a worker's caches
    after_first = _safety._inflate_shared.cache_info()  # noqa: SLF001
    assert read(second, isolated=False).document == expected
    after_second = _safety._inflate_shared.cache_info()  # noqa: SLF001
    assert after_first.misses >= 4  # styles, workbook.xml and its rels, the properties …
    assert after_second.misses == after_first.misses
    assert after_second.hits - after_first.hits == after_first.misses


@pytest.mark.parametrize("change", [lambda sc: (sc[0], sc[1] ^ 1), lambda sc: (sc[0] - 1, sc[1])],
                         ids=["crc", "size"])
def test_a_part_like_one_inflated_before_is_still_checked(tmp_path, change):
    """A part with the compressed bytes of one already inflated and checked, but another CRC or declared size in
    its headers, is refused as it would be on its own."""
    assert read(GOOD).problems == []  # its styles inflated and kept
    bad = _with_crc(tmp_path / "x.xlsx", "xl/styles.xml", change)
    result = read(bad)
    assert [p.code for p in result.problems] in (["file.corrupt"], ["file.too_large"])
    assert result.document is None


def test_a_lists_sheet_shown_is_read_after_all(tmp_path):
    """A lists sheet that is no longer very hidden is read (and checked) as before: calamine is given it then."""
    with zipfile.ZipFile(GOOD) as z:
        wb = z.read("xl/workbook.xml")
    shown = rezip(tmp_path / "x.xlsx", replace={"xl/workbook.xml": wb.replace(b' state="veryHidden"', b"")})
    (f,) = validate([shown]).files
    assert [p.code for p in f.problems] == ["template.extra_sheet"] and "取消隐藏" in f.problems[0].message
    from xlgoals._read import READ_SHEETS
    from xlgoals._read._grid import Grid
    from xlgoals._read._safety import open_container

    grid = Grid(open_container(shown), READ_SHEETS)
    assert grid.values("下拉选项")[0][0] == Grid(open_container(GOOD)).values("下拉选项")[0][0] != ""


def test_annotated_copy_checks_every_part_first(tmp_path):
    """openpyxl reads every part and does not bound one whose header lies: before it opens a received file
    to make its annotated copy, every part is inflated and checked, and the copy is refused with the reason."""
    from .test_validate_cli import _bad_return

    bad = _bad_return(tmp_path)
    bombed = lying_bomb(tmp_path / "坏_主题.xlsx", "xl/theme/theme1.xml", src=bad, drop=("xl/theme/theme1.xml",))
    before = bombed.read_bytes()
    out = tmp_path / "annotated"
    proc = subprocess.run([sys.executable, "-m", "xlgoals", "validate", str(bombed), "--annotate", str(out)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "无法生成标注副本" in proc.stderr and "file.too_large" in proc.stderr and "坏_主题.xlsx" in proc.stderr
    assert not out.exists() or list(out.iterdir()) == []
    assert bombed.read_bytes() == before


def test_a_library_workbook_is_checked_whole(tmp_path):
    """A --library workbook is read through the returns' screen: a lying part it reads is refused."""
    from xlgoals import ConfigError
    from xlgoals._review._library import _rows_workbook

    lib = lying_bomb(tmp_path / "lib.xlsx", "xl/worksheets/sheet1.xml", drop=("xl/worksheets/sheet1.xml",))
    with pytest.raises(ConfigError, match="工作簿解压后过大或压缩比异常"):  # (file.too_large's reason, not its code)
        _rows_workbook(lib)


# One name, one part ----------------------------------------------------------------------------------
_HUGE_ROW = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'


def _with_alias(dst, alias):
    """GOOD plus a second spelling of its info sheet's part holding a cell at XFD1048576: calamine finds parts
    case-insensitively and takes \\ for /, so it could read this one where the screen read the first."""
    sheet = _sheet_part("xl/worksheets/sheet2.xml").replace(b"</sheetData>", _HUGE_ROW)
    return rezip(dst, add={alias: sheet})


def _with_duplicate_sheet_name(dst):
    with zipfile.ZipFile(GOOD) as z:
        wb = z.read("xl/workbook.xml")
    first = re.search(rb"<sheet [^>]*/>", wb).group(0)
    return rezip(dst, replace={"xl/workbook.xml": wb.replace(first, first + first, 1)})


def _eocd_pointing_into_its_comment(dst, signature: bytes, local: bool):
    """A zip whose directory (or its first entry's local header) is said to start in the last bytes of the file,
    where a signature stands but the record it begins is cut short."""
    data = GOOD.read_bytes()
    pos = data.rfind(b"PK\x05\x06")
    count, cd_size, cd_off = struct.unpack("<HII", data[pos + 10:pos + 20])
    comment = signature + b"\0" * 10
    at = pos + 22
    if local:  # the first directory entry's local header offset, moved into the comment
        data = data[:cd_off + 42] + struct.pack("<I", at) + data[cd_off + 46:]
        eocd = data[pos:pos + 20] + struct.pack("<H", len(comment))
    else:
        eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, 1, 1, len(comment), at, len(comment))
    dst.write_bytes(data[:pos] + eocd + comment)
    return dst


@pytest.mark.parametrize("make", [
    lambda p: _with_alias(p, "xl/worksheets/Sheet2.xml"),
    lambda p: _with_alias(p, "xl\\worksheets\\sheet2.xml"),
    lambda p: _with_alias(p, "xl/./worksheets/sheet2.xml"),
    _with_duplicate_sheet_name,
    lambda p: _eocd_pointing_into_its_comment(p, b"PK\x01\x02", local=False),
    lambda p: _eocd_pointing_into_its_comment(p, b"PK\x03\x04", local=True),
], ids=["case", "backslash", "dot", "sheet name twice", "short directory", "short local header"])
def test_a_part_is_found_by_one_name_only_and_short_records_are_corrupt(tmp_path, make):
    """What the screen reads is what calamine reads: a second spelling of a part, or a sheet name given twice,
    makes the file corrupt; so does a record cut short at the end of the file (never a traceback)."""
    path = make(tmp_path / "x.xlsx")
    (f,) = validate([path]).files  # in a worker: were the screen bypassed, calamine's abort would be file.crashed
    assert [p.code for p in f.problems] == ["file.corrupt"], [(p.code, p.message) for p in f.problems]
    result = subprocess.run([sys.executable, "-m", "xlgoals", "read", str(path)], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr and "损坏" in result.stderr


def test_a_library_workbook_is_screened_for_size(tmp_path):
    """A --library workbook's sheet is screened before calamine allocates it, as a return's."""
    sheet = "xl/worksheets/sheet1.xml"  # the first sheet, which the library reads
    lib = rezip(tmp_path / "lib.xlsx", replace={sheet: _sheet_part(sheet).replace(b"</sheetData>", _HUGE_ROW)})
    result = subprocess.run([sys.executable, "-m", "xlgoals", "template", "-o", str(tmp_path / "t.xlsx"), "--library",
                             str(lib)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "指标库工作簿无法读取：工作表“填表说明”的范围过大" in result.stderr, result.stderr
    assert not (tmp_path / "t.xlsx").exists()


def test_a_local_header_naming_another_part_is_corrupt(tmp_path):
    """The directory and the entry itself must name the same part (zip readers, openpyxl's among them, refuse
    it; the reader would otherwise pass a file whose annotated copy cannot be made)."""
    data = bytearray(GOOD.read_bytes())
    nlen = struct.unpack("<H", data[26:28])[0]
    name = bytes(data[30:30 + nlen])
    data[30:30 + nlen] = name[:-1] + (b"x" if name[-1:] != b"x" else b"y")
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(data))
    (f,) = validate([path]).files
    assert [p.code for p in f.problems] == ["file.corrupt"] and "名称与 zip 目录不一致" in f.problems[0].message


def test_hostile_locked_value_properties_are_only_compared(tmp_path):
    """The document properties a template keeps its locked values in come back from outside like the rest: deep
    JSON, huge text, a thousand of them, names of fields the form does not have: compared, never a traceback."""
    import zipfile

    from xlgoals import validate_file
    from xlgoals._form._locked import property_name

    from .helpers import F

    from .conftest import EXAMPLE_XLSX

    src = EXAMPLE_XLSX[1]
    props = [(property_name("/unit"), "[" * 100000), (property_name("/project/name"), "x" * 100000),
             *((property_name(f"/nothing/{i}"), "1") for i in range(1000))]
    body = "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i + 2}" name="{n}">'
                   f"<vt:lpwstr>{v}</vt:lpwstr></property>" for i, (n, v) in enumerate(props))
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
              'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
              f'officeDocument/2006/docPropsVTypes">{body}</Properties>')
    out = tmp_path / "props.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = custom.encode() if item.filename == "docProps/custom.xml" else zin.read(item.filename)
            zout.writestr(item, data)
    found = [p for p in validate_file(out).problems if p.code == "template.locked_changed"]
    assert sorted(p.cell for p in found) == sorted(F.field(p).cell for p in ("/unit", "/project/name"))
    assert all("下发时的内容" in p.message for p in found)


_SWAPPED = """
import os, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
from xlgoals import read
from xlgoals._read._safety import file_sha256
path, looked_at = sys.argv[1], os.stat(sys.argv[2])
real_stat = os.stat
os.stat = lambda p, *a, **k: looked_at if str(p) == path else real_stat(p, *a, **k)  # the name as it was looked at
r = read(path)
print(" ".join(p.code for p in r.problems), file_sha256(path) or "-", r.sha256 or "-")
"""


@pytest.mark.parametrize("swap", ["dev_zero", "pipe", "grown"])
def test_a_file_swapped_after_it_was_looked_at_is_read_as_it_is_then(tmp_path, swap):
    """Between the look at a received file and its reading, a department re-sends it or something replaces it:
    a link now leading to /dev/zero was read until memory ran out (a MemoryError traceback), a pipe waited for a
    writer for ever, a file grown past the size limit was read whole.  What is opened is what is judged."""
    path = tmp_path / "r.xlsx"
    if swap == "dev_zero":
        path.symlink_to("/dev/zero")
    elif swap == "pipe":
        os.mkfifo(path)
    else:
        path.write_bytes(GOOD.read_bytes() + b"\0" * (21 << 20))
    proc = subprocess.run([sys.executable, "-c", _SWAPPED, str(path), str(GOOD)], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).parent.parent)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-500:]
    code, digest, named = proc.stdout.split()
    assert code == ("file.too_large" if swap == "grown" else "file.not_workbook")
    assert (digest != "-") == (swap == "grown")  # a pipe or a device is never read for its digest either
    assert named == digest  # the grown file is named by its digest, hashed as it was read past the limit


@pytest.mark.parametrize("claimed", ["self-evaluation", "monitoring"])
def test_a_form_property_claiming_another_form_is_not_believed_over_the_sheets(tmp_path, claimed):
    """The document properties are as untrusted as the cells: a goal table whose xlgoals_form property names
    another form (its sheets and stamp a goal table's) was refused as missing that form's sheets."""
    custom = zipfile.ZipFile(GOOD).read("docProps/custom.xml").decode()
    custom, n = re.subn(r'(name="xlgoals_form"[^>]*>\s*<vt:lpwstr>)[^<]*', lambda m: m[1] + claimed, custom)
    assert n == 1
    result = read(rezip(tmp_path / "r.xlsx", replace={"docProps/custom.xml": custom.encode()}))
    assert (result.form, result.problems) == ("goal-table", [])


def test_an_xlsx_inside_an_ods_is_refused(tmp_path):
    """A zip with the .ods mimetype and an .xlsx's parts: the screen screened its content.xml, calamine read the
    .xlsx (it tries that format first), whose sheets nobody screened: a formula typed into a return, a hidden row,
    a sheet of any size passed unseen."""
    from .fuzz import ods_file

    polyglot = tmp_path / "r.ods"
    with zipfile.ZipFile(tmp_path / "both.zip", "w") as z:
        with zipfile.ZipFile(io.BytesIO(ods_file({"s": ""}))) as ods:
            for item in ods.infolist():
                z.writestr(item, ods.read(item))
        with zipfile.ZipFile(GOOD) as xlsx:
            for item in xlsx.infolist():
                data = xlsx.read(item)
                if item.filename == "xl/worksheets/sheet3.xml":  # a formula in an indicator's target
                    data = re.sub(rb'(<c r="F14"[^>]*>)', rb"\1<f>80+5</f>", data, count=1)
                z.writestr(item, data)
    polyglot.write_bytes((tmp_path / "both.zip").read_bytes())
    result = read(polyglot)
    assert [p.code for p in result.problems] == ["file.corrupt"] and ".xlsx" in result.problems[0].message


@pytest.mark.parametrize("mimetype, says", [
    ("application/vnd.oasis.opendocument.spreadsheet-template", "电子表格模板（.ots），请在 LibreOffice 中另存为 .xlsx 或 .ods"),
    ("application/vnd.oasis.opendocument.text", "OpenDocument 文本、演示文稿或其他文档"),
])
def test_an_opendocument_that_is_no_spreadsheet_says_what_it_is(tmp_path, mimetype, says):
    """A LibreOffice template (.ots) or a text sent instead of the return was called a plain zip archive."""
    path = tmp_path / "报送.ods"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", mimetype)
        z.writestr("content.xml", "<office:document-content/>")
    report = validate_file(path)
    assert [p.code for p in report.problems] == ["file.not_workbook"] and says in report.problems[0].message


def test_a_folder_named_like_a_workbook_says_the_returns_it_holds(tmp_path):
    # a folder 申报.xlsx (a download unpacked under the attachment's name) is not searched: the returns in it must not
    # be dropped unseen; its problem says how many there are and what to do
    inbox = tmp_path / "收件箱"
    (inbox / "申报.xlsx" / "内层").mkdir(parents=True)
    (inbox / "申报.xlsx" / "a.xlsx").write_bytes(GOOD.read_bytes())
    (inbox / "申报.xlsx" / "内层" / "b.xls").write_bytes(b"x")
    (inbox / "申报.xlsx" / "说明.txt").write_text("说明", encoding="utf-8")
    (f,) = validate([inbox]).files
    (p,) = f.problems
    assert p.code == "file.is_directory"
    assert "2 个工作簿" in p.message and "未检查" in p.message, p.message
    assert "2 workbooks" in p.message_en and "not checked" in p.message_en, p.message_en
    (empty := tmp_path / "空.xlsx").mkdir()
    (q,) = read(empty).problems
    assert q.message == "这是一个文件夹，不是工作簿", q.message  # nothing in it: nothing more to say


def test_a_damaged_entry_of_the_zip_directory_is_said_after_the_entries_before_it(tmp_path):
    """The central directory is read in one pass (_safety._central_directory): a damaged entry in its middle is
    still said as the directory damaged, and an earlier entry's own problem (here: encrypted) is said first, as
    when the entries were read one at a time."""
    good = GOOD.read_bytes()
    eocd = good.rfind(b"PK\x05\x06")
    first = struct.unpack("<I", good[eocd + 16:eocd + 20])[0]
    nlen, xlen, clen = struct.unpack("<HHH", good[first + 28:first + 34])
    second = first + 46 + nlen + xlen + clen
    damaged = bytearray(good)
    damaged[second:second + 4] = b"PK\x09\x09"  # the second entry's signature
    path = tmp_path / "x.xlsx"
    path.write_bytes(bytes(damaged))
    (f,) = validate([path]).files
    assert [p.code for p in f.problems] == ["file.corrupt"] and "zip 目录损坏" in f.problems[0].message
    damaged[first + 8] |= 0x1  # and the first entry is flagged encrypted: said first
    path.write_bytes(bytes(damaged))
    (f,) = validate([path]).files
    assert [p.code for p in f.problems] == ["file.encrypted"], [(p.code, p.message) for p in f.problems]
