"""The custom document properties of a legacy .xls: the user-defined section of its
``\\x05DocumentSummaryInformation`` stream (an OLE property set, [MS-OLEPS]).

Excel, WPS and LibreOffice keep an .xlsx's docProps/custom.xml there when they save as .xls: a property set
stream whose second section (FMTID D5CDD505-2E9C-101B-9397-08002B2CF9AE) holds a dictionary (property 0: id ->
name), the codepage of its strings (property 1) and the values.  The stream comes from an untrusted file: every
count, length and offset is held to the bytes that are there, and anything that cannot be made out is "no
properties" (or the property left out), never an exception.
"""

from __future__ import annotations

import codecs
import struct

STREAM = "\x05DocumentSummaryInformation"
_USER_DEFINED = bytes.fromhex("05D5CDD59C2E1B10939708002B2CF9AE")  # {D5CDD505-2E9C-101B-9397-08002B2CF9AE}
MAX_STREAM = 1 << 20  # a template's properties take a few kilobytes: beyond, none are read
MAX_PROPERTIES = 4096  # properties of the section (a self-evaluation's template keeps a few dozen)
MAX_NAME = 255  # characters of a property's name ([MS-OLEPS]: names are at most 255 characters with Unicode)
MAX_VALUE = 64 * 1024  # bytes of a string value read

_VT_I2, _VT_I4, _VT_BOOL, _VT_UI2, _VT_UI4, _VT_I8, _VT_UI8, _VT_INT, _VT_UINT = 2, 3, 11, 18, 19, 20, 21, 22, 23
_VT_LPSTR, _VT_LPWSTR = 0x1E, 0x1F
_INTS = {_VT_I2: "<h", _VT_I4: "<i", _VT_UI2: "<H", _VT_UI4: "<I", _VT_I8: "<q", _VT_UI8: "<Q", _VT_INT: "<i",
         _VT_UINT: "<I"}
_CP_UTF16 = 1200
# Windows codepages Python knows by another name than cpNNN
_NAMED = {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 10000: "mac-roman", 20936: "gb2312", 54936: "gb18030",
          10008: "gb2312", 28592: "iso8859-2", 51936: "euc-cn"}


def _codec(codepage: int) -> str | None:
    """The codec of the section's byte strings (its property 1; 1252 when it gives none), None for a codepage
    Python does not know (the names could not be told)."""
    if codepage == _CP_UTF16:
        return "utf-16-le"
    if codepage in _NAMED:
        return _NAMED[codepage]
    try:
        return codecs.lookup(f"cp{codepage}").name
    except LookupError:
        return None


def _text(raw: bytes, codec: str) -> str:
    if codec == "utf-16-le" and len(raw) % 2:
        raw = raw[:-1]
    return raw.decode(codec, "replace").split("\x00", 1)[0]


def _lossy(raw: bytes, codec: str) -> bool:
    """Whether a byte string of the section's codepage may have lost its characters: a codepage that cannot hold
    Chinese (Excel on a Western Windows writes 1252) turns each character it lacks into ``?``."""
    if b"?" not in raw:
        return False
    try:
        "中".encode(codec)
    except (UnicodeError, LookupError):
        return True
    return False


def _value(section: bytes, pos: int, codec: str, lossy: list | None = None) -> str | None:
    """The text of the typed value at `pos` of the section (None for a type we do not read); a byte string that
    may have lost its characters (_lossy) appends True to `lossy`."""
    if pos < 0 or pos + 4 > len(section):
        return None
    vt = struct.unpack_from("<H", section, pos)[0]
    pos += 4
    if vt in (_VT_LPSTR, _VT_LPWSTR):
        if pos + 4 > len(section):
            return None
        size = struct.unpack_from("<I", section, pos)[0] * (2 if vt == _VT_LPWSTR else 1)
        if size > MAX_VALUE or size > len(section) - pos - 4:  # running past the section: no value cut short
            return None
        raw = section[pos + 4:pos + 4 + size]
        if vt == _VT_LPSTR and lossy is not None and _lossy(raw.split(b"\x00", 1)[0], codec):
            lossy.append(True)
        return _text(raw, "utf-16-le" if vt == _VT_LPWSTR else codec)
    if vt in _INTS:
        fmt = _INTS[vt]
        if pos + struct.calcsize(fmt) > len(section):
            return None
        return str(struct.unpack_from(fmt, section, pos)[0])
    if vt == _VT_BOOL and pos + 2 <= len(section):
        return "true" if struct.unpack_from("<H", section, pos)[0] else "false"
    return None


def _dictionary(section: bytes, pos: int, codepage: int) -> dict[int, str]:
    """Property id -> name, from the dictionary at `pos` of the section."""
    out: dict[int, str] = {}
    if pos < 0 or pos + 4 > len(section):
        return out
    count = struct.unpack_from("<I", section, pos)[0]
    pos += 4
    wide = codepage == _CP_UTF16
    codec = _codec(codepage) or "latin-1"
    for _ in range(min(count, (len(section) - pos) // 8, MAX_PROPERTIES)):
        if pos + 8 > len(section):
            break
        pid, length = struct.unpack_from("<II", section, pos)
        pos += 8
        size = length * 2 if wide else length
        if size > len(section) - pos:  # a name running past the section: the rest cannot be made out
            break
        name = _text(section[pos:pos + size], codec)
        pos += size
        if wide and size % 4:  # a Unicode name is padded to a multiple of 4 bytes
            pos += 4 - size % 4
        if name and len(name) <= MAX_NAME and pid not in out:
            out[pid] = name
    return out


def _section(stream: bytes) -> bytes | None:
    """The user-defined section of the property set stream, or None."""
    if len(stream) < 28 or stream[:2] != b"\xfe\xff":
        return None
    count = struct.unpack_from("<I", stream, 24)[0]
    for k in range(min(count, 2, (len(stream) - 28) // 20)):
        fmtid, offset = stream[28 + 20 * k:44 + 20 * k], struct.unpack_from("<I", stream, 44 + 20 * k)[0]
        if fmtid != _USER_DEFINED or offset + 8 > len(stream):
            continue
        size = struct.unpack_from("<I", stream, offset)[0]
        return stream[offset:offset + min(size, len(stream) - offset)]
    return None


def section_properties(stream: bytes, lost: dict | None = None) -> dict[str, str]:
    """Name -> text of the user-defined properties of a DocumentSummaryInformation stream ({} when none can be
    made out).  Numbers are given as their decimal text, booleans as true/false (as custom.xml writes them);
    values of other types are left out.  Byte strings are decoded by the section's codepage (its property 1);
    those whose characters that codepage may have turned into ``?`` (1252 holds no Chinese) are left out, and
    given in `lost` (name -> (the codepage, its codec, the text read, each ``?`` a lost character or a real one)) when
    it is a dict."""
    try:
        section = _section(stream)
        if section is None or len(section) < 8:
            return {}
        count = struct.unpack_from("<I", section, 4)[0]
        offsets = {}
        for k in range(min(count, (len(section) - 8) // 8, MAX_PROPERTIES)):
            pid, offset = struct.unpack_from("<II", section, 8 + 8 * k)
            offsets.setdefault(pid, offset)
        codepage = 1252
        if 1 in offsets:
            cp = _value(section, offsets[1], "latin-1")
            if cp is not None and cp.lstrip("-").isdigit():
                codepage = int(cp) & 0xFFFF  # a VT_I2: 65001 reads as -535
        codec = _codec(codepage)
        if 0 not in offsets or codec is None:
            return {}
        names = _dictionary(section, offsets[0], codepage)
        out: dict[str, str] = {}
        found_lost: dict[str, tuple[int, str, str]] = {}
        for pid, name in names.items():
            if pid in (0, 1) or pid not in offsets or name in out or name in found_lost:
                continue
            lossy: list = []
            text = _value(section, offsets[pid], codec, lossy)
            if text is not None and lossy:
                found_lost[name] = (codepage, codec, text.strip())
            elif text is not None:
                out[name] = text.strip()
        if lost is not None:  # (a stream that could not be read to its end: none)
            lost.update(found_lost)
        return out
    except Exception:  # whatever else a damaged stream holds: no properties
        return {}


def properties_stream(ole) -> bytes | None:
    """The user-defined properties' stream of the open compound file `ole` (olefile), None when it has none or one
    larger than any template writes."""
    import olefile

    if ole.get_type(STREAM) != olefile.STGTY_STREAM or not 0 < ole.get_size(STREAM) <= MAX_STREAM:
        return None
    return ole.openstream(STREAM).read(MAX_STREAM)


SUMMARY_STREAM = "\x05SummaryInformation"
_SUMMARY = bytes.fromhex("E0859FF2F94F6810AB9108002B27B3D9")  # {F29F85E0-4FF9-1068-AB91-08002B27B3D9}
_PIDSI_APPNAME = 0x12


def summary_app_name(stream: bytes) -> str | None:
    """The application that wrote the file, as its SummaryInformation stream names it (PIDSI_APPNAME: Excel writes
    “Microsoft Excel”; LibreOffice writes none); None when the stream names none or cannot be made out."""
    try:
        if len(stream) < 48 or stream[:2] != b"\xfe\xff" or stream[28:44] != _SUMMARY:
            return None
        offset = struct.unpack_from("<I", stream, 44)[0]
        if offset + 8 > len(stream):
            return None
        section = stream[offset:offset + min(struct.unpack_from("<I", stream, offset)[0], len(stream) - offset)]
        count = struct.unpack_from("<I", section, 4)[0]
        offsets = {}
        for k in range(min(count, (len(section) - 8) // 8, MAX_PROPERTIES)):
            pid, at = struct.unpack_from("<II", section, 8 + 8 * k)
            offsets.setdefault(pid, at)
        if _PIDSI_APPNAME not in offsets:
            return None
        codepage = 1252
        if 1 in offsets:
            cp = _value(section, offsets[1], "latin-1")
            if cp is not None and cp.lstrip("-").isdigit():
                codepage = int(cp) & 0xFFFF
        name = _value(section, offsets[_PIDSI_APPNAME], _codec(codepage) or "latin-1")
        return name.strip() or None if name is not None else None
    except Exception:  # a damaged stream: the writer is not known
        return None


def summary_stream(ole) -> bytes | None:
    """The SummaryInformation stream of the open compound file `ole`, None when it has none or one larger than
    any application writes."""
    import olefile

    if ole.get_type(SUMMARY_STREAM) != olefile.STGTY_STREAM or not 0 < ole.get_size(SUMMARY_STREAM) <= MAX_STREAM:
        return None
    return ole.openstream(SUMMARY_STREAM).read(MAX_STREAM)
