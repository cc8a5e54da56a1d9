"""The template's custom document properties in a legacy .xls return: Excel, WPS and LibreOffice keep them in the
.xls's DocumentSummaryInformation stream (the user-defined section of an OLE property set).  They hold the values
and rows the template locked; an .xls return's were not read, so a typed-over locked value passed.  The stream
is as untrusted as the rest of the file: a malformed one is "no properties", never a traceback."""

import shutil
import struct
import tracemalloc
import zipfile
from pathlib import Path

import olefile
import pytest

from xlgoals import validate_file
from xlgoals._read._grid import Grid, _custom_properties_of
from xlgoals._read._safety import open_container
from xlgoals._read._xlsprops import STREAM, section_properties

from .conftest import EXAMPLES as EXAMPLES_DIR
from .helpers import F, info_cell

EXAMPLES = EXAMPLES_DIR
_FMTID_SUMMARY = bytes.fromhex("02D5CDD59C2E1B10939708002B2CF9AE")
_FMTID_USER = bytes.fromhex("05D5CDD59C2E1B10939708002B2CF9AE")


def _pad4(b: bytes) -> bytes:
    return b + b"\0" * (-len(b) % 4)


def user_section(props: dict[str, str], codepage: int = 1200, wide_values: bool = False,
                 errors: str = "strict") -> bytes:
    """A user-defined section as [MS-OLEPS] lays it out: the dictionary (property 0, no type), the codepage
    (property 1, VT_I2) and each value, a VT_LPSTR in the codepage or (`wide_values`) a VT_LPWSTR.  `errors`
    "replace": a character the codepage lacks written as ?, as Excel does."""
    codec = {1200: "utf-16-le", 65001: "utf-8", 54936: "gb18030"}.get(codepage, f"cp{codepage}")
    entries = b""
    for pid, name in enumerate(props, 2):
        raw = (name + "\0").encode(codec)
        if codepage == 1200:
            entries += struct.pack("<II", pid, len(name) + 1) + _pad4(raw)
        else:
            entries += struct.pack("<II", pid, len(raw)) + raw
    items = [(0, _pad4(struct.pack("<I", len(props)) + entries)),
             (1, struct.pack("<HHh", 2, 0, codepage - 65536 if codepage > 32767 else codepage) + b"\0\0")]
    for pid, value in enumerate(props.values(), 2):
        if wide_values:
            items.append((pid, _pad4(struct.pack("<HHI", 0x1F, 0, len(value) + 1) + (value + "\0").encode("utf-16-le"))))
        else:
            raw = (value + "\0").encode(codec, errors)
            items.append((pid, _pad4(struct.pack("<HHI", 0x1E, 0, len(raw)) + raw)))
    offset, table, body = 8 + 8 * len(items), b"", b""
    for pid, data in items:
        table += struct.pack("<II", pid, offset + len(body))
        body += data
    return struct.pack("<II", 8 + len(table) + len(body), len(items)) + table + body


def dsi_stream(section: bytes) -> bytes:
    """A DocumentSummaryInformation stream: an empty first section, `section` second."""
    head = b"\xfe\xff\0\0" + b"\0" * 4 + b"\0" * 16 + struct.pack("<I", 2)
    first_at = len(head) + 40
    first = struct.pack("<II", 8, 0)
    head += _FMTID_SUMMARY + struct.pack("<I", first_at) + _FMTID_USER + struct.pack("<I", first_at + len(first))
    return head + first + section


def with_stream(src: Path, dst: Path, stream: bytes) -> Path:
    """A copy of the .xls `src` whose DocumentSummaryInformation stream holds `stream` (padded with zeros to the
    stream's length; its bytes lie in one run in LibreOffice's file, replaced there)."""
    data = src.read_bytes()
    with olefile.OleFileIO(data) as ole:
        old = ole.openstream(STREAM).read()
    assert data.count(old) == 1 and len(stream) <= len(old), (len(stream), len(old))
    dst.write_bytes(data.replace(old, stream.ljust(len(old), b"\0")))
    with olefile.OleFileIO(str(dst)) as ole:
        assert ole.openstream(STREAM).read() == stream.ljust(len(old), b"\0")
    return dst


def xls_properties(path: Path) -> dict[str, str]:
    return Grid(open_container(path)).custom_properties()


def xlsx_properties(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return dict(_custom_properties_of(z.read("docProps/custom.xml")))


@pytest.fixture(scope="module")
def prefilled(tmp_path_factory):
    from xlgoals import prefill_templates

    made = prefill_templates(EXAMPLES_DIR / "projects.csv", tmp_path_factory.mktemp("下发"), year=2020)
    return sorted(made.written)[3]


@pytest.fixture(scope="module")
def _prefilled_saved_as_xls(prefilled, soffice, tmp_path_factory):
    from .conftest import lo_convert_job

    folder = tmp_path_factory.mktemp("prefilled-xls")
    (xls,) = lo_convert_job([prefilled], folder / "lo-xls", folder, "xls")
    return xls


@pytest.fixture
def prefilled_xls(_prefilled_saved_as_xls, tmp_path):
    """The prefilled goal table saved as .xls by LibreOffice: converted once for the module (one LibreOffice session,
    not one per test), a copy of it in the test's own folder."""
    mine = tmp_path / "lo-xls" / _prefilled_saved_as_xls.name
    mine.parent.mkdir(exist_ok=True)
    shutil.copy2(_prefilled_saved_as_xls, mine)
    return mine


@pytest.mark.soffice
def test_libreoffice_keeps_every_property_of_a_template_in_full_when_it_saves_as_xls(tmp_path, prefilled, lo_convert):
    """A prefilled goal table, a self-evaluation (its rows' record: values of up to 240 characters) and a
    monitoring report saved as .xls by LibreOffice: every property reads back with its value in full (LibreOffice
    adds only its AppVersion).  They read as none."""
    srcs = []
    for name, src in [("goal", prefilled), ("self", sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]),
                      ("monitoring", sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[1])]:
        srcs.append(tmp_path / f"{name}.xlsx")
        srcs[-1].write_bytes(src.read_bytes())
    for src, xls in zip(srcs, lo_convert(*srcs, fmt="xls")):
        issued, kept = xlsx_properties(src), xls_properties(xls)
        assert any(k.startswith("xlgoals_locked.") for k in issued), src
        assert {k: v for k, v in kept.items() if k != "AppVersion"} == issued, src
    assert max(len(v) for v in xlsx_properties(srcs[1]).values()) > 200  # long values survive too


@pytest.mark.soffice
@pytest.mark.parametrize("codepage, wide", [(936, False), (54936, False), (1200, False), (1252, True), (65001, False)])
def test_properties_in_any_codepage_or_as_wide_strings_are_read(tmp_path, prefilled_xls, codepage, wide):
    """Excel and WPS write the section's strings in the system codepage (936 in a Chinese Windows), LibreOffice
    in UTF-8, others as UTF-16 (codepage 1200) or as VT_LPWSTR values: each reads.  The template's 单位 recorded as
    another than the cell's is then that cell's locked_changed, naming the recorded one."""
    unit = info_cell("/unit")
    props = {"xlgoals_form": "goal-table", "xlgoals_locked.unit": '"上海市人力资源和社会保障局"', "xlgoals_lock_count": "1"}
    out = with_stream(prefilled_xls, tmp_path / f"cp{codepage}.xls", dsi_stream(user_section(props, codepage, wide)))
    assert xls_properties(out) == props
    found = [(p.code, p.sheet, p.cell) for p in validate_file(out).problems if p.code.startswith("template.locked")]
    assert found == [("template.locked_changed", *unit)]
    message = next(p.message for p in validate_file(out).problems if p.code == "template.locked_changed")
    assert "上海市人力资源和社会保障局" in message and "上海市就业促进中心" in message, message


@pytest.mark.soffice
def test_a_record_count_above_the_properties_kept_in_an_xls_is_a_missing_record(tmp_path, prefilled_xls):
    """The template says it keeps 7 locked values; the .xls keeps one (the others deleted in 属性 › 自定义): the
    workbook's template.locked_record_missing, as for an .xlsx."""
    props = {"xlgoals_locked.unit": '"上海市就业促进中心"', "xlgoals_lock_count": "7"}
    out = with_stream(prefilled_xls, tmp_path / "deleted.xls", dsi_stream(user_section(props, 65001)))
    codes = [p.code for p in validate_file(out).problems if p.code.startswith("template.locked")]
    assert codes == ["template.locked_record_missing"]


@pytest.mark.soffice
def test_locked_values_an_xls_kept_in_a_western_codepage_are_not_said_to_be_changed(tmp_path, prefilled,
                                                                                      prefilled_xls):
    """Excel on a Western Windows saves the properties' strings in codepage 1252: the template's 单位, 项目 … as
    ????.  Each was a template.locked_changed ("should read '????'") though nothing was typed over.  They are now
    left out, with one warning that the locked values could not be checked in this file; the other properties
    (the form, the record count, in ASCII) read as before."""
    issued = xlsx_properties(prefilled)
    lost = [k for k in issued if k.startswith("xlgoals_locked.") and not issued[k].isascii()]
    assert "xlgoals_locked.unit" in lost and len(lost) < int(issued["xlgoals_lock_count"])  # amounts, dates: ASCII
    out = with_stream(prefilled_xls, tmp_path / "cp1252.xls", dsi_stream(user_section(issued, 1252, errors="replace")))
    assert xls_properties(out) == {k: v for k, v in issued.items() if k not in lost}
    found = [p for p in validate_file(out).problems if p.code.startswith("template.locked")]
    assert [(p.code, p.severity, p.sheet, p.cell) for p in found] == [("template.locked_unreadable", "warning", "", "")], found
    assert "1252" in found[0].message and f"{len(lost)} 项" in found[0].message and "未作核对" in found[0].message
    assert F.field("/unit").label in found[0].message
    assert "not checked" in found[0].text("en") and "1252" in found[0].text("en")


# Hostile streams --------------------------------------------------------------------------------------------
GOOD_PROPS = {"xlgoals_locked.unit": '"上海市就业促进中心"', "xlgoals_lock_count": "1", "xlgoals_rows": "3:1a2b3c4d"}
GOOD = dsi_stream(user_section(GOOD_PROPS, 1200))
_SECTION_AT = 28 + 40 + 8  # the user-defined section's offset in GOOD


def _patched(at: int, fmt: str, *values) -> bytes:
    out = bytearray(GOOD)
    struct.pack_into(fmt, out, at, *values)
    return bytes(out)


def _dictionary_at() -> int:
    section = GOOD[_SECTION_AT:]
    count = struct.unpack_from("<I", section, 4)[0]
    offsets = dict(struct.unpack_from("<II", section, 8 + 8 * k) for k in range(count))
    return _SECTION_AT + offsets[0]


def _value_at(pid: int) -> int:
    section = GOOD[_SECTION_AT:]
    count = struct.unpack_from("<I", section, 4)[0]
    offsets = dict(struct.unpack_from("<II", section, 8 + 8 * k) for k in range(count))
    return _SECTION_AT + offsets[pid]


HOSTILE = {
    "sections 2^31": _patched(24, "<I", 1 << 31),
    "section offset past the end": _patched(28 + 20 + 16, "<I", 0xFFFFFFF0),
    "section size 2^32-1": _patched(_SECTION_AT, "<I", 0xFFFFFFFF),
    "properties 2^31": _patched(_SECTION_AT + 4, "<I", 1 << 31),
    "property offsets past the end": b"".join(
        [GOOD[:_SECTION_AT + 8]] + [struct.pack("<II", pid, 0xFFFFFFF0) for pid in range(5)]) + GOOD[_SECTION_AT + 48:],
    "dictionary entries 2^32-1": _patched(_dictionary_at(), "<I", 0xFFFFFFFF),
    "dictionary name of 2^31 characters": _patched(_dictionary_at() + 8, "<I", 1 << 31),
    "string of 2^32-1 bytes": _patched(_value_at(2) + 4, "<I", 0xFFFFFFFF),
    "codepage that is no codepage": _patched(_value_at(1) + 4, "<h", -1),
    "a value of an unknown type": _patched(_value_at(2), "<H", 0x4242),
    "not a property set": b"\0" * len(GOOD),
    "empty": b"",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_stream_is_no_properties_not_a_traceback(name):
    """Counts of 2^31, offsets past the end, a dictionary with huge lengths: read within the stream's bytes (a
    few hundred kilobytes allocated at most), whatever can be made out or nothing."""
    tracemalloc.start()
    try:
        props = section_properties(HOSTILE[name])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert isinstance(props, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in props.items())
    assert peak < 1 << 20, peak
    assert set(props) <= set(GOOD_PROPS)


def test_a_truncated_stream_reads_what_is_there():
    """The good stream cut at every length: no traceback, and never a value other than the one written (a string
    cut short is left out, not read as a shorter one: a locked value would then read as changed)."""
    assert section_properties(GOOD) == GOOD_PROPS
    for n in range(len(GOOD)):
        props = section_properties(GOOD[:n])
        assert props.items() <= GOOD_PROPS.items(), (n, props)


@pytest.mark.soffice
@pytest.mark.parametrize("name, codes", [("properties 2^31", []),
                                         # no property made out at all: none of the template's record is left, as
                                         # in a copy to a new book (test_mendAP): the locked values went unchecked
                                         ("dictionary name of 2^31 characters", ["template.locked_record_lost"]),
                                         ("string of 2^32-1 bytes", ["template.locked_record_missing"])])
def test_an_xls_whose_properties_are_hostile_is_read_as_one_without(tmp_path, prefilled_xls, name, codes):
    """In a return: the file is read and validated as one without the properties that cannot be made out (a
    locked value's that cannot, where the count of them can, is a record missing, as a deleted one)."""
    out = with_stream(prefilled_xls, tmp_path / "hostile.xls", HOSTILE[name])
    result = validate_file(out)
    assert result.document is not None and "file.corrupt" not in [p.code for p in result.problems]
    assert [p.code for p in result.problems if p.code.startswith("template.locked")] == codes


@pytest.mark.soffice
@pytest.mark.parametrize("edit", [{"delete_rows": 1}, {"sort": 4, "descending": True}], ids=["deleted", "sorted"])
def test_approved_rows_deleted_or_sorted_in_an_xls_are_found_as_in_an_xlsx(tmp_path, lo_edit, edit):
    """A self-evaluation's approved row deleted, or its rows sorted, in LibreOffice with protection off: saved as
    .xls it passed the template's record of its rows (template.locked_rows_count, template.locked_rows_moved);
    the same codes at the same cells as the .xlsx."""
    from xlgoals import FORMS, validate
    from xlgoals._form import a1

    src = sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[1]
    form = FORMS["self-evaluation"]
    first = form.table.first_row
    cell = a1(first + 4, 0) if "delete_rows" in edit else f"{a1(first, 0)}:{a1(first + 5, 12)}"
    found = {}
    for fmt in ("xlsx", "xls"):
        out = lo_edit(src, tmp_path / f"rows.{fmt}", [{"sheet": form.table.name, "unprotect": True},
                                                       {"sheet": form.table.name, "cell": cell, **edit}], fmt=fmt)
        found[fmt] = sorted((p.code, p.sheet, p.cell) for p in validate([out]).problems()
                            if p.code.startswith("template.locked"))
    assert found["xlsx"] == [("template.locked_rows_count" if "delete_rows" in edit else "template.locked_rows_moved",
                              form.table.name, a1(first + (4 if "delete_rows" in edit else 0), form.column("name").index))]
    assert found["xls"] == found["xlsx"]


@pytest.mark.soffice
@pytest.mark.parametrize("size", [0, 0x7FFFFFFF, 0xFFFFFFFF])
def test_a_properties_stream_of_a_lying_size_is_no_properties(tmp_path, prefilled_xls, size):
    """The directory entry of the DocumentSummaryInformation stream gives it no bytes or 2-4 GB: not read (no
    allocation of its size, no traceback); the return is read as one without properties."""
    data = bytearray(prefilled_xls.read_bytes())
    name = STREAM.encode("utf-16-le")
    at = data.find(name)
    assert at > 0 and data.count(name) == 1 and at % 128 == 0
    struct.pack_into("<I", data, at + 120, size)  # the entry's stream size (its low 32 bits)
    out = tmp_path / "lying.xls"
    out.write_bytes(bytes(data))
    tracemalloc.start()
    try:
        props = xls_properties(out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert props == {} and peak < 64 << 20, peak
    assert validate_file(out).document is not None


@pytest.mark.soffice
@pytest.mark.parametrize("typed, kept, changed", [
    ("Fund A?", "Fund A?", False),  # a real ? in the name: checked, and the same
    ("Fund A!", "Fund A?", True),  # typed over: the ? was a real one
    ("专项资金B", "专项资金A", True),  # Chinese lost to ?, the letter after it still tells
], ids=["real-question-mark-same", "real-question-mark-changed", "chinese-and-a-changed-letter"])
def test_a_question_mark_a_western_codepage_keeps_is_not_taken_for_a_lost_character(tmp_path, prefilled, lo_edit,
                                                                                      typed, kept, changed):
    """Excel on a Western Windows keeps each character codepage 1252 lacks as ?; a ? the value really holds looked
    the same, and every property with a ? was left unchecked (one template.locked_unreadable warning), so a name
    typed over passed.  A ? now stands for a lost character only where the cell holds one 1252 lacks: the rest of
    the value is checked, a change is template.locked_changed at the cell, and a value of no lost character is
    not counted as unchecked."""
    sheet, cell = info_cell("/project/name")
    xls = lo_edit(prefilled, tmp_path / "typed.xls", [{"sheet": sheet, "unprotect": True},
                                                      {"sheet": sheet, "cell": cell, "input": typed}], fmt="xls")
    issued = xlsx_properties(prefilled)
    issued["xlgoals_locked.project.name"] = f'"{kept}"'
    out = with_stream(xls, tmp_path / "cp1252.xls", dsi_stream(user_section(issued, 1252, errors="replace")))
    found = [p for p in validate_file(out).problems if p.code.startswith("template.locked")]
    at_cell = [p for p in found if (p.sheet, p.cell) == (sheet, cell)]
    assert [p.code for p in at_cell] == (["template.locked_changed"] if changed else []), found
    if changed:  # a ? kept may be a lost character: the value issued is not quoted as it was kept
        assert "下发时的内容" in at_cell[0].message and f"“{typed}”" in at_cell[0].message, at_cell[0].message
    unreadable = [p for p in found if p.code == "template.locked_unreadable"]
    assert len(unreadable) == 1 and F.field("/unit").label in unreadable[0].message, found  # the unit: Chinese
    assert F.field("/project/name").label not in unreadable[0].message, unreadable[0].message
