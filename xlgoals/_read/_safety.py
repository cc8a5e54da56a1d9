"""Open a received file as untrusted input.

Everything that could hurt the reader is checked here, before any spreadsheet library
sees the bytes: file type by content (not by name), encryption, macros, external links,
zip bombs (also those whose headers lie about sizes), XML DOCTYPE/entity tricks and absurd
sheet ranges.  Nothing is executed, fetched or written.
"""

from __future__ import annotations

try:  # the built-in SHA-256: loading OpenSSL through hashlib costs a single check ~10 ms
    from _sha256 import sha256
except ImportError:  # pragma: no cover
    from hashlib import sha256
import os
import re
import struct
import zlib
from dataclasses import dataclass, field
from xml.parsers import expat
from pathlib import Path

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Limits: far above any real return (a 30-indicator return is ~20 KB zipped, ~150 KB unzipped).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FROM bytes
RATIO_FROM = 16 * 1024 * 1024  # below it a repetitive part is legitimate; the total cap still holds
MAX_ENTRIES = 1000
MAX_SHEET_ROWS = 20000
MAX_SHEET_COLS = 200


class FileProblem(Exception):
    """The file cannot be read safely; ``code`` is a row of the rule table."""

    def __init__(self, code: str, found: str | tuple[str, str] = "", expected: str = "", detail: str = "",
                 sheet: str = ""):
        super().__init__(code)
        # `found` may be given in both languages as (zh, en)
        self.found, self.found_en = found if isinstance(found, tuple) else (found, found)
        self.code, self.expected, self.detail, self.sheet = code, expected, detail, sheet


@dataclass
class Container:
    path: Path
    kind: str  # "xlsx" | "xls" | "ods"
    data: bytes
    sha256: str
    parts: dict[str, bytes] = field(default_factory=dict)  # unpacked XML parts (xlsx only)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _sniff(data: bytes) -> tuple[str, str]:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return ("PDF 文档", "a PDF document")
    if head.startswith(b"{\\rtf"):
        return ("RTF 文档", "an RTF document")
    if head[:2] == b"\x1f\x8b":
        return ("gzip 压缩文件", "a gzip file")
    if head[:4] == b"Rar!" or head[:6] == b"7z\xbc\xaf\x27\x1c":
        return ("压缩包", "an archive")
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n":
        return ("图片", "an image")
    sample = data[:4096]
    if b"<html" in sample.lower() or b"<!doctype html" in sample.lower():
        return ("网页（HTML）", "a web page (HTML)")
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = sample.decode("gb18030")
        except UnicodeDecodeError:
            return ("未知格式", "an unknown format")
    if "," in text or "\t" in text:
        return ("CSV/文本文件", "a CSV or text file")
    return ("文本文件", "a text file")


def open_container(path: str | os.PathLike) -> Container:
    p = Path(path)
    if not p.exists():
        raise FileProblem("file.missing", found=str(p))
    if p.is_dir():
        raise FileProblem("file.is_directory")
    if not p.is_file():
        raise FileProblem("file.not_workbook", found=("特殊文件", "a special file"))
    size = p.stat().st_size
    if size == 0:
        raise FileProblem("file.empty")
    if size > MAX_FILE_BYTES:
        raise FileProblem("file.too_large", found=_human(size), expected=_human(MAX_FILE_BYTES))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise FileProblem("file.unreadable", detail=exc.strerror or str(exc)) from None
    digest = sha256(data).hexdigest()
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        parts = _unpack(data)
        return Container(p, "ods" if parts.get("mimetype") == ODS_MIMETYPE else "xlsx", data, digest, parts)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise FileProblem("file.encrypted")
        if len(data) < 1536 or len(data) % 512:  # a compound file is whole 512-byte sectors
            raise FileProblem("file.corrupt", detail="文件不完整（可能在传输中被截断）")
        if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
            if "WordDocument".encode("utf-16-le") in data or "PowerPoint".encode("utf-16-le") in data:
                raise FileProblem("file.not_workbook", found=("Office 文档（非 Excel）", "an Office document, not Excel"))
            raise FileProblem("file.corrupt", detail="找不到工作簿数据，文件可能已损坏")
        return Container(p, "xls", data, digest)
    if p.suffix.lower() == ".et":
        raise FileProblem("file.not_workbook", found=("WPS 表格（.et）格式，请在 WPS 中另存为 .xlsx",
                                                      "a WPS spreadsheet (.et); save it as .xlsx in WPS"))
    raise FileProblem("file.not_workbook", found=_sniff(data))


# Zip handling ------------------------------------------------------------------------------
_EOCD = b"PK\x05\x06"
_CDH = b"PK\x01\x02"
_LFH = b"PK\x03\x04"


def _central_directory(data: bytes):
    """Yield (name, method, flags, compressed, declared_size, local_offset, crc) from the central directory."""
    pos = data.rfind(_EOCD, max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        raise FileProblem("file.corrupt", detail="找不到 zip 目录，文件可能不完整")
    (_, _, _, _, count, cd_size, cd_offset, _) = struct.unpack("<4sHHHHIIH", data[pos:pos + 22])
    if count > MAX_ENTRIES:
        raise FileProblem("file.too_large", found=(f"{count} 个部件", f"{count} parts"), expected=f"{MAX_ENTRIES} 个部件")
    if cd_offset + cd_size > len(data) or cd_offset == 0xFFFFFFFF:
        raise FileProblem("file.corrupt", detail="zip 目录越界，文件可能被截断")
    off = cd_offset
    for _ in range(count):
        if data[off:off + 4] != _CDH:
            raise FileProblem("file.corrupt", detail="zip 目录损坏")
        (flags, method, crc, csize, usize, nlen, xlen, clen, local) = struct.unpack(
            "<4xHH4xIIIHHH8xI", data[off + 4:off + 46])
        name = data[off + 46:off + 46 + nlen].decode("utf-8" if flags & 0x800 else "cp437", "replace")
        yield name, method, flags, csize, usize, local, crc
        off += 46 + nlen + xlen + clen


def _unpack(data: bytes) -> dict[str, bytes]:
    """Unpack every entry with hard limits; return the XML parts by name."""
    parts: dict[str, bytes] = {}
    total = 0
    names = []
    for name, method, flags, csize, usize, local, crc in _central_directory(data):
        names.append(name)
        if flags & 0x1:
            raise FileProblem("file.encrypted")
        if data[local:local + 4] != _LFH:
            raise FileProblem("file.corrupt", detail=f"部件 {name} 的位置不正确")
        nlen, xlen = struct.unpack("<HH", data[local + 26:local + 30])
        start = local + 30 + nlen + xlen
        raw = data[start:start + csize]
        if len(raw) != csize:
            raise FileProblem("file.corrupt", detail=f"部件 {name} 被截断")
        budget = MAX_UNPACKED_BYTES - total
        if usize > budget or (usize > RATIO_FROM and usize > MAX_ENTRY_RATIO * max(csize, 1)):
            raise FileProblem("file.too_large", found=(f"{name} 声明 {_human(usize)}", f"{name} declares {_human(usize)}"),
                              expected=_human(MAX_UNPACKED_BYTES))
        if method == 0:
            out = raw
        elif method == 8:
            d = zlib.decompressobj(-15)
            try:
                # Never produce more than declared (+1 byte to detect headers that lie).
                out = d.decompress(raw, usize + 1)
            except zlib.error as exc:
                raise FileProblem("file.corrupt", detail=f"部件 {name} 解压失败：{exc}") from None
            if len(out) > usize or d.unconsumed_tail:
                raise FileProblem("file.too_large", found=(f"{name} 实际大小超过声明的 {_human(usize)}",
                                         f"{name} unpacks to more than its declared {_human(usize)}"),
                                  expected="与声明一致")
        else:
            raise FileProblem("file.corrupt", detail=f"部件 {name} 使用了不支持的压缩方式 {method}")
        if len(out) != usize or (zlib.crc32(out) & 0xFFFFFFFF) != crc:
            raise FileProblem("file.corrupt", detail=f"部件 {name} 校验失败")
        total += len(out)
        lower = name.lower()
        if lower.endswith((".xml", ".rels", ".vml")) or lower.startswith("xl/worksheets/"):
            if xml_declares_dtd(out):
                raise FileProblem("file.unsafe_xml", found=name)
            parts[name] = out
        elif name == "mimetype":
            parts[name] = out.strip()
    lowered = [n.lower() for n in names]
    if parts.get("mimetype") == ODS_MIMETYPE:  # an OpenDocument spreadsheet (LibreOffice's own format)
        if "content.xml" not in parts:
            raise FileProblem("file.corrupt", detail="找不到 content.xml")
        if any(n.startswith(("basic/", "scripts/")) for n in lowered):
            raise FileProblem("file.macro")
        return parts
    if "[content_types].xml" not in lowered:
        raise FileProblem("file.not_workbook", found=("zip 压缩包", "a zip archive"))
    if "xl/workbook.xml" not in lowered:
        if "mimetype" in lowered:
            raise FileProblem("file.not_workbook", found=("OpenDocument 文本或演示文稿", "an OpenDocument text or presentation"))
        if any(n.startswith("word/") for n in lowered):
            raise FileProblem("file.not_workbook", found=("Word 文档", "a Word document"))
        if any(n.startswith("ppt/") for n in lowered):
            raise FileProblem("file.not_workbook", found=("PowerPoint 文档", "a PowerPoint document"))
        if "xl/workbook.bin" in lowered:
            raise FileProblem("file.not_workbook", found=("Excel 二进制工作簿（.xlsb），请另存为 .xlsx", "an Excel binary workbook (.xlsb); save it as .xlsx"))
        raise FileProblem("file.not_workbook", found=("zip 压缩包", "a zip archive"))
    kind = xlgoals_output(parts)
    if kind:
        raise FileProblem("file.xlgoals_output", found=kind)
    if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in parts.get("[Content_Types].xml", b""):
        raise FileProblem("file.macro")
    links = [n for n in names if n.lower().startswith("xl/externallinks/") and n.lower().endswith(".xml")]
    if links:
        raise FileProblem("file.external_link", found=(f"{len(links)} 个", f"{len(links)}"))
    return parts


#: The custom document property xlgoals sets on the files it writes that are not returns.
OUTPUT_PROPERTY = "xlgoals_output"
_OUTPUT_NAMES = {"summary": ("汇总工作簿", "a summary workbook"), "annotated": ("问题标注副本", "an annotated copy")}


def xlgoals_output(parts: dict) -> tuple[str, str] | None:
    """(zh, en) of the kind of output when xlgoals wrote this workbook as a summary or annotated copy."""
    custom = parts.get("docProps/custom.xml", b"")
    m = re.search(rb'name="' + OUTPUT_PROPERTY.encode() + rb'"[^>]*>\s*<vt:lpwstr>(\w+)<', custom)
    if m:
        return _OUTPUT_NAMES.get(m.group(1).decode(), ("xlgoals 输出文件", "an xlgoals output"))
    core = parts.get("docProps/core.xml", b"")
    if b"<dc:creator>xlgoals</dc:creator>" in core and "<dc:title>绩效目标汇总</dc:title>".encode() in core:
        return _OUTPUT_NAMES["summary"]  # summaries written before the property existed
    if "问题清单".encode() in parts.get("xl/workbook.xml", b"") and b"XLGOALS|" in core:
        return _OUTPUT_NAMES["annotated"]
    return None


@dataclass
class SheetFacts:
    """What the screen learnt of a sheet part: its extent, its formula cells and its hidden rows (0-based)."""

    max_row: int = 0
    max_col: int = 0
    formulas: set = field(default_factory=set)  # (row, col)
    errors: set = field(default_factory=set)  # (row, col) of error values (#DIV/0!, #REF! …)
    hidden_rows: set = field(default_factory=set)
    percent: set = field(default_factory=set)  # (row, col) of cells shown as a percent (number format 0%)
    protected: bool | None = None  # sheet protection, where the screen sees it (ods)


_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


def _too_large(rows: int, cols: int, sheet: str) -> FileProblem:
    return FileProblem("file.sheet_too_large", found=(f"{rows} 行 × {cols} 列", f"{rows} rows × {cols} columns"),
                       expected=f"{MAX_SHEET_ROWS} 行 × {MAX_SHEET_COLS} 列", sheet=sheet)


# The fast path: sheets written the way Excel, WPS, LibreOffice and xlsxwriter write them.  Every
# <c and <row tag must match these exact forms, or the part goes to the parser below.
_C_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_ROW_NUMBERS = re.compile(rb'<row r="([0-9]{1,7})"')
_HIDDEN_ROWS = re.compile(rb'<row r="([0-9]{1,7})"[^<>]*?\shidden="(?:1|true)"')
_FORMULA_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^<>]*?(?<!/)><f[\s/>]')
_ERROR_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^<>]*?\st="e"')
_STYLED_CELLS = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"[^<>]*?\ss="([0-9]+)"')


def _col(letters: bytes) -> int:
    col = 0
    for ch in letters:
        col = col * 26 + ch - 64
    return col


def _cells(matches) -> set:
    return {(int(r) - 1, _col(letters) - 1) for letters, r, *_ in matches}


def _screen_canonical(xml: bytes, sheet: str, percent_styles: frozenset) -> SheetFacts | None:
    """The screen at C speed for a canonically written sheet; None when the part needs the parser."""
    if xml[:1] != b"<" or b"&#" in xml or b":c " in xml or b":row " in xml or b"<!" in xml:
        return None
    cells = _C_CELLS.findall(xml)
    rows = _ROW_NUMBERS.findall(xml)
    # every <c and <row tag, however spaced, must be one of the canonical ones just found
    if len(cells) != sum(xml.count(b"<c" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")) \
            or len(rows) != sum(xml.count(b"<row" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r")):
        return None
    facts = SheetFacts()
    letters = {c[0] for c in cells}
    facts.max_col = max(map(_col, letters), default=0)
    facts.max_row = max(max(map(int, rows), default=0), max((int(c[1]) for c in cells), default=0))
    if facts.max_row > MAX_SHEET_ROWS or facts.max_col > MAX_SHEET_COLS:
        raise _too_large(facts.max_row, facts.max_col, sheet)
    if b"hidden=" in xml:
        facts.hidden_rows = {int(r) - 1 for r in _HIDDEN_ROWS.findall(xml)}
    if b"<f" in xml:
        facts.formulas = _cells(_FORMULA_CELLS.findall(xml))
    if b't="e"' in xml:
        facts.errors = _cells(_ERROR_CELLS.findall(xml))
    if percent_styles:
        facts.percent = _cells(m for m in _STYLED_CELLS.findall(xml) if m[2].decode() in percent_styles)
    return facts


def screen_sheet(xml: bytes, sheet: str, percent_styles: frozenset = frozenset()) -> SheetFacts:
    """Parse a worksheet part (expat, no DTD) before calamine sees it; refuse an absurd range.

    The XML is parsed, not matched as bytes, so white space, character references, namespace
    prefixes and UTF-16 hide nothing.  Cells without a reference take the next position, as
    calamine gives them.  A part written in the canonical form takes a regular-expression path
    that gives the same facts (the tests hold the two to the same results).
    """
    fast = _screen_canonical(xml, sheet, percent_styles)
    if fast is not None:
        return fast
    return _screen_parsed(xml, sheet, percent_styles)


def _screen_parsed(xml: bytes, sheet: str, percent_styles: frozenset = frozenset()) -> SheetFacts:
    facts = SheetFacts()
    state = {"row": 0, "col": 0, "cell": None}
    parser = expat.ParserCreate()

    def refuse_dtd(*_):
        raise FileProblem("file.unsafe_xml", found=sheet)

    def start(name, attrs):
        local = name.rpartition(":")[2]
        if local == "c":
            ref = attrs.get("r")
            if ref is None:
                row, col = state["row"], state["col"] + 1
            else:
                m = _REF.match(ref.strip())
                if not m:
                    raise FileProblem("file.corrupt", detail=f"工作表“{sheet}”中的单元格位置 {ref[:20]!r} 无效")
                col = _col(m[1].encode())
                row = int(m[2])
            state["col"], state["cell"] = col, (row - 1, col - 1)
            if attrs.get("t") == "e":
                facts.errors.add((row - 1, col - 1))
            if percent_styles and attrs.get("s") in percent_styles:
                facts.percent.add((row - 1, col - 1))
            if row > MAX_SHEET_ROWS or col > MAX_SHEET_COLS:
                raise _too_large(max(row, facts.max_row), max(col, facts.max_col), sheet)
            facts.max_row, facts.max_col = max(facts.max_row, row), max(facts.max_col, col)
        elif local == "row":
            r = attrs.get("r")
            try:
                row = int(r) if r is not None else state["row"] + 1
            except ValueError:
                raise FileProblem("file.corrupt", detail=f"工作表“{sheet}”中的行号 {r[:20]!r} 无效") from None
            if row > MAX_SHEET_ROWS or row < 1:
                raise _too_large(row, facts.max_col, sheet)
            state["row"], state["col"] = row, 0
            if attrs.get("hidden") in ("1", "true"):
                facts.hidden_rows.add(row - 1)
        elif local == "f" and state["cell"] is not None:
            facts.formulas.add(state["cell"])

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as exc:
        raise FileProblem("file.corrupt", detail=f"工作表“{sheet}”的 XML 无法解析（{expat.ErrorString(exc.code)}）") from None
    return facts


def xml_declares_dtd(data: bytes) -> bool:
    """Whether an XML part declares a DOCTYPE or an entity, in whatever encoding it is written."""
    head = data[:4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or head in (b"<\x00?\x00", b"\x00<\x00?"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return True  # cannot tell: refuse
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    if head in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return True  # UTF-32: no spreadsheet writes it
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


_PERCENT_BUILTIN = {"9", "10"}  # 0% and 0.00%


def percent_styles(styles_xml: bytes | None) -> frozenset:
    """The cell style indices (``s``) whose number format shows a percent (xlsx styles.xml)."""
    if not styles_xml:
        return frozenset()
    custom = {m.group(1).decode(): m.group(2).decode("utf-8", "replace")
              for m in re.finditer(rb'<numFmt [^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"', styles_xml)}
    percent_ids = set(_PERCENT_BUILTIN)
    for fid, code in custom.items():
        unquoted = re.sub(r'"[^"]*"|\\.', "", code)
        if "%" in unquoted:
            percent_ids.add(fid)
    m = re.search(rb"<cellXfs[^>]*>(.*?)</cellXfs>", styles_xml, re.S)
    if not m:
        return frozenset()
    out = set()
    for i, xf in enumerate(re.finditer(rb"<xf\b([^>]*)", m.group(1))):
        fid = re.search(rb'numFmtId="(\d+)"', xf.group(1))
        if fid and fid.group(1).decode() in percent_ids:
            out.add(str(i))
    return frozenset(out)


def screen_ods(content: bytes) -> dict[str, SheetFacts]:
    """Parse an OpenDocument spreadsheet's content.xml before calamine sees it: each table's extent
    (repeated rows and cells with content count in full), protection and hidden rows."""
    tables: dict[str, SheetFacts] = {}
    state = {"facts": None, "row": 0, "rep": 1, "col": 0, "name": ""}
    parser = expat.ParserCreate()

    def refuse_dtd(*_):
        raise FileProblem("file.unsafe_xml", found="content.xml")

    def start(name, attrs):
        if name == "table:table":
            state["name"] = attrs.get("table:name", "")
            state["facts"] = tables.setdefault(state["name"], SheetFacts())
            state["facts"].protected = attrs.get("table:protected") == "true"
            state["row"] = 0
        elif name == "table:table-row" and state["facts"] is not None:
            try:
                rep = int(attrs.get("table:number-rows-repeated", "1"))
            except ValueError:
                raise FileProblem("file.corrupt", detail="content.xml 中的行重复数无效") from None
            state["start"], state["rep"], state["col"] = state["row"], max(rep, 1), 0
            state["row"] += max(rep, 1)
            if attrs.get("table:visibility") in ("collapse", "filter"):
                state["facts"].hidden_rows.update(range(state["start"], min(state["row"], MAX_SHEET_ROWS)))
        elif name in ("table:table-cell", "table:covered-table-cell") and state["facts"] is not None:
            try:
                rep = max(int(attrs.get("table:number-columns-repeated", "1")), 1)
            except ValueError:
                raise FileProblem("file.corrupt", detail="content.xml 中的列重复数无效") from None
            col = state["col"]
            state["col"] += rep
            if "office:value-type" in attrs or "table:formula" in attrs:
                facts = state["facts"]
                rows, cols = state["start"] + state["rep"], col + rep
                if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLS:
                    raise _too_large(rows, cols, state["name"])
                facts.max_row, facts.max_col = max(facts.max_row, rows), max(facts.max_col, cols)
                if "table:formula" in attrs and state["rep"] == 1 and rep == 1:
                    facts.formulas.add((state["start"], col))

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise FileProblem("file.corrupt", detail=f"content.xml 无法解析（{expat.ErrorString(exc.code)}）") from None
    return tables
