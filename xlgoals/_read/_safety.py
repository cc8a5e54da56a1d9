"""Open a received file as untrusted input.

Everything that could hurt the reader is checked here, before any spreadsheet library
sees the bytes: file type by content (not by name), encryption, macros, external links,
zip bombs (declared sizes when the file is opened; a header that lies, when its part is
inflated: parts nobody reads are never inflated, so they cannot hurt), part names that
readers resolve differently, XML DOCTYPE/entity tricks and absurd sheet ranges.
``open_verified`` inflates and checks every part, for handing a whole file to a reader
that inflates parts by itself.  Nothing is executed, fetched or written.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import posixpath
import re
import stat
import struct
import zlib
from dataclasses import field
from functools import lru_cache, wraps
from collections.abc import Mapping
from pathlib import Path

from .._errors import os_reason, unmatched_pattern
from .._record import record

try:  # the built-in SHA-256 for a single check: loading OpenSSL through hashlib costs ~2 ms
    from _sha256 import sha256 as builtin_sha256
except ImportError:  # pragma: no cover
    from hashlib import sha256 as builtin_sha256
_SHA256 = [builtin_sha256]


def batch_hashing() -> None:
    """Many files ahead: hash them with OpenSSL's SHA-256 (five times faster than the built-in one, ~2 ms to
    load).  The digests are the same; call it before the worker processes start, so they inherit it."""
    try:
        from hashlib import sha256
    except ImportError:  # pragma: no cover
        return
    _SHA256[0] = sha256

def cached_parts(fn):
    """``lru_cache(maxsize=64)`` for a function of a file's parts (bytes or None) that returns of one template
    share byte for byte (its styles, its workbook.xml), parsed once in a batch: parts beyond CACHED_PART_BYTES are
    parsed each time, never kept.  A worker reads file after file: 64 hostile styles of 60 MB each were kept in
    it until it ran out of memory on another department's return."""
    cached = lru_cache(maxsize=64)(fn)

    @wraps(fn)
    def call(*parts):
        if any(part is not None and len(part) > CACHED_PART_BYTES for part in parts):
            return fn(*parts)
        return cached(*parts)

    call.cache_info, call.cache_clear = cached.cache_info, cached.cache_clear
    return call


#: Whether an annotated copy xlgoals wrote (validate --annotate) is read as the return it is: within
#: ``reading_annotated``, for a file named directly (a department's corrected copy sent back).  Elsewhere (a folder
#: scan, where the bureau's annotate folder may lie) it stays file.xlgoals_output, listed as not checked.
_READ_ANNOTATED: contextvars.ContextVar[bool] = contextvars.ContextVar("xlgoals_read_annotated", default=False)


@contextlib.contextmanager
def reading_annotated():
    """Within it, an annotated copy is read as a return (its comments and 问题清单 sheet are not the form's)."""
    token = _READ_ANNOTATED.set(True)
    try:
        yield
    finally:
        _READ_ANNOTATED.reset(token)


def reading_annotated_now() -> bool:
    """Whether this is within ``reading_annotated`` (the file read is an annotated copy named directly)."""
    return _READ_ANNOTATED.get()


def annotated_copy(problems) -> bool:
    """Whether a report's `problems` are the one that refuses a file as an annotated copy xlgoals wrote."""
    from ._screen import ANNOTATED, EDITED

    return _refused_as(problems, (ANNOTATED[0], EDITED[0]))


def edited_copy(problems) -> bool:
    """Whether a report's `problems` are the one that refuses a file as an annotated copy xlgoals wrote whose content
    was edited since (a department's corrected copy): read as a return, found in a folder as named."""
    from ._screen import EDITED

    return _refused_as(problems, (EDITED[0],))


def as_return(read, path):
    """`read(path)`, and where that refuses the file as an annotated copy edited since xlgoals wrote it
    (``edited_copy``: a department's corrected copy sent back), `read(path)` again within ``reading_annotated``: the
    return it is.  The folder scan of validate and consolidate reads such a copy so (``read_as_annotated``, once it
    knows the copy's original is not among the run's files); so does every other path that reads a department's file
    as a return: the goal tables of --targets and last year's returns of --previous.  Called where the file is read
    (in the worker: a ContextVar does not cross processes)."""
    result = read(path)
    if edited_copy(result.problems):
        with reading_annotated():
            return read(path)
    return result


def _refused_as(problems, values) -> bool:
    """Whether `problems` are the one file.xlgoals_output whose value is one of `values`."""
    return [p.code for p in problems] == ["file.xlgoals_output"] and problems[0].value in values


CACHED_PART_BYTES = 1 << 20  # a template's styles.xml is ~20 KB, its workbook.xml and properties ~2 KB

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"

# Limits: far above any real return (a 30-indicator return is ~20 KB zipped, ~150 KB unzipped).
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRY_RATIO = 200  # uncompressed / compressed, for entries above RATIO_FROM bytes
RATIO_FROM = 16 * 1024 * 1024  # below it a repetitive part is legitimate; the total cap still holds
MAX_ENTRIES = 1000
MAX_SHEET_ROWS = 20000
MAX_SHEET_COLS = 200


def _workbooks_in(folder) -> int:
    """How many files named as workbooks a folder holds, in its subfolders too (a folder named like a workbook is not
    searched; what it holds is counted, for its problem to say)."""
    from .._paths import WORKBOOK_SUFFIXES, typed_suffix

    return sum(typed_suffix(name).endswith(WORKBOOK_SUFFIXES) for _, _, names in os.walk(folder) for name in names)


def bureau_reason(code: str, found=("", ""), detail=("", ""), what=("文件", "the file")):
    """Why a file the bureau itself gives (a project list, an indicator library, a goal table of --targets: `what`,
    (zh, en)) is no usable workbook, said to the bureau: the rule table's messages for these codes tell a department
    what to send again (请报送由模板填写的申报文件), which is not the bureau's to do.  `found` and `detail` are the
    FileProblem's (zh, en); a Bilingual, or None for a code said as the rule table says it."""
    from .._text import Bilingual

    if code == "file.xlgoals_output":
        return Bilingual(f"这是 xlgoals 生成的{found[0]}，不是{what[0]}", f"it is {found[1]} written by xlgoals, not {what[1]}")
    if code == "file.not_workbook":
        return Bilingual(f"不是工作簿（识别为：{found[0]}）", f"it is no workbook (it looks like: {found[1]})")
    if code == "file.corrupt":
        return Bilingual(f"工作簿已损坏或不完整，无法打开（{detail[0]}）",
                         f"the workbook is damaged or truncated and cannot be opened ({detail[1]})")
    return None


class FileProblem(Exception):
    """The file cannot be read safely; ``code`` is a row of the rule table."""

    def __init__(self, code: str, found: str | tuple[str, str] = "", expected: str = "",
                 detail: str | tuple[str, str] = "", sheet: str = ""):
        super().__init__(code)
        # `found` and `detail` may be given in both languages as (zh, en)
        self.found, self.found_en = found if isinstance(found, tuple) else (found, found)
        self.detail, self.detail_en = detail if isinstance(detail, tuple) else (detail, detail)
        self.code, self.expected, self.sheet = code, expected, sheet
        self.sha256 = ""  # the file's digest, when its bytes could be read: the report names the file by it


@record
class Container:
    """A file as the screen found it: its kind and its parts."""

    path: Path
    kind: str  # "xlsx" | "xls" | "ods"
    data: bytes
    sha256: str
    parts: Mapping[str, bytes] = field(default_factory=dict)  # the XML parts, inflated when read (xlsx, ods)


def _human(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


# A Windows shell link (.lnk): its header size and class id, as every shortcut begins.
_LNK_HEADER = b"L\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00F"


_BMP_HEADERS = {n.to_bytes(4, "little") for n in (12, 40, 52, 56, 64, 108, 124)}  # the DIB header's sizes


def _is_image(data: bytes) -> bool:
    """JPEG, PNG, GIF, BMP, TIFF (scanners), WebP, HEIC/HEIF (phones' photos)."""
    return (data[:3] == b"\xff\xd8\xff" or data[:8] == b"\x89PNG\r\n\x1a\n" or data[:6] in (b"GIF87a", b"GIF89a")
            or data[:2] == b"BM" and data[6:10] == b"\x00" * 4 and data[14:18] in _BMP_HEADERS
            or data[:4] in (b"II*\x00", b"MM\x00*")
            or data[:4] == b"RIFF" and data[8:12] == b"WEBP"
            or data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heif", b"hevc"))


def _mail(data: bytes, whole: bool = True) -> tuple[str, str] | None:
    """A saved e-mail (.eml: a message's headers, then its body and attachments as text), by what it holds: the
    return is an attachment, to be saved and checked.  Its workbook attachments are counted when `whole` (all of
    the file is at hand); None when the text is not an e-mail.  Said within the 60 characters a problem's value
    keeps."""
    import email
    import email.policy

    head = data[:65536]  # a mail server's headers (Received, DKIM, ARC) may take a few thousand bytes
    if b"\n\n" not in head.replace(b"\r\n", b"\n") and len(data) > len(head):
        return None
    try:
        msg = email.message_from_bytes(data if whole else head, policy=email.policy.default)
        if not msg["From"] or not (msg["To"] or msg["Subject"]) or msg["X-Document-Type"] \
                or "saved by" in str(msg["From"]).lower():
            return None  # no e-mail, or a single-file web page (.mht: no sender, a document type; a browser's)
        if not whole:
            return ("保存的邮件，请将附件另存后报送", "a saved e-mail; save the attachments and submit those")
        n = sum(str(part.get_filename() or "").lower().endswith(_ARCHIVED_WORKBOOKS) for part in msg.walk())
    except Exception:  # a header that does not parse: not taken for an e-mail
        return None
    if not n:
        return ("保存的邮件，其中没有工作簿附件", "a saved e-mail, with no workbook attached")
    return (f"保存的邮件（内含 {n} 个工作簿附件），请将附件另存后报送",
            f"a saved e-mail, {n} workbook{'s' if n > 1 else ''} attached; save and submit {'them' if n > 1 else 'it'}")


_MSG_STREAM = "__substg1.0_".encode("utf-16-le")  # an Outlook message's property streams
_MSG_ATTACHMENT = "__attach_version1.0_#".encode("utf-16-le")  # one storage an attachment


def _outlook(p: Path, data: bytes) -> tuple[str, str] | None:
    """An Outlook message saved as a file (.msg, a compound file as an .xls is), by its property streams, its
    attachments counted; None for anything else.  A workbook attached holds a Workbook stream of its own: the
    file is taken for the message when it is named .msg or holds no workbook besides."""
    if _MSG_STREAM not in data or ("Workbook".encode("utf-16-le") in data and p.suffix.lower() != ".msg"):
        return None
    n = data.count(_MSG_ATTACHMENT)
    if not n:
        return ("Outlook 邮件（.msg），其中没有附件", "an Outlook mail (.msg), with nothing attached")
    return (f"Outlook 邮件（.msg，内含 {n} 个附件），请将附件另存后报送",
            f"an Outlook mail (.msg), {n} attachment{'s' if n > 1 else ''}; save and submit {'them' if n > 1 else 'it'}")


def _sniff(data: bytes, whole: bool = True, name: str = "") -> tuple[str, str]:
    """What a file that is no workbook is, in words for the department (zh, en), with what to do; `name`, the
    file's, tells a JSON document named as one (given to read: validate checks it) from one misnamed."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return ("PDF 文档", "a PDF document")
    if head.startswith(b"{\\rtf"):
        return ("RTF 文档", "an RTF document")
    if head[:2] == b"\x1f\x8b":
        return ("gzip 压缩文件", "a gzip file")
    if head[:4] == b"Rar!" or head[:6] == b"7z\xbc\xaf\x27\x1c":
        return ("压缩包（RAR/7z），请解压后报送其中的工作簿", "an archive (RAR/7z); unpack it, submit what it holds")
    if _is_image(data):
        return ("图片（照片或扫描件？）", "an image (a photo or a scan?)")
    if data[:20] == _LNK_HEADER:
        return ("Windows 快捷方式（只是指向文件的链接），请提交文件本身", "a Windows shortcut; submit the file itself")
    sample = data[:4096]
    if sample[:2] in (b"\xff\xfe", b"\xfe\xff"):  # text saved as "Unicode" (UTF-16), as Excel saves .txt
        try:
            sample = sample[:len(sample) // 2 * 2].decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return ("未知格式", "an unknown format")
    lower = sample.lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in lower:  # "XML 表格 2003", as Excel and WPS offer it
        return ("Excel 2003 XML 表格，请在 Excel 或 WPS 中另存为 .xlsx", "an Excel 2003 XML spreadsheet; save it as .xlsx")
    if b"urn:oasis:names:tc:opendocument:xmlns:office" in lower and b"office:document" in lower:
        return ("OpenDocument 平面 XML 表格（.fods），请另存为 .xlsx", "a flat OpenDocument spreadsheet (.fods); save it as .xlsx")
    mail = _mail(data, whole)
    if mail:
        return mail
    if lower.startswith(b"mime-version:") and b"text/html" in lower:  # Excel's "单个文件网页" (.mht)
        return ("单个文件网页（.mht），请在 Excel 或 WPS 中另存为 .xlsx", "a single-file web page (.mht); save it as .xlsx")
    if b"<html" in lower or b"<!doctype html" in lower:
        return ("网页（HTML），请在 Excel 或 WPS 中另存为 .xlsx", "a web page (HTML); save it as .xlsx")
    if b"\x00" in sample:  # no text holds NUL bytes
        return ("未知格式", "an unknown format")
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        try:
            # the sample cut through a character at its end (the first 4096 bytes of a longer text): what comes
            # before it decides; else a text saved in GBK
            text = sample[:exc.start].decode("utf-8") if exc.reason == "unexpected end of data" \
                else sample.decode("gb18030")
        except UnicodeDecodeError:
            return ("未知格式", "an unknown format")
    if text.lstrip("\ufeff \t\r\n")[:1] == "{":  # what xlgoals read writes, what validate checks as it is
        if name.lower().endswith(".json"):  # named as one (xlgoals read given it): validate is what checks it
            return ("JSON 文档，请直接用 xlgoals validate 校验", "a JSON document; check it with xlgoals validate")
        # under another name (项目.xlsx): validate, which said this, checks it once it is named .json
        return ("JSON 文档（文件名应以 .json 结尾，改名后即可校验）", "a JSON document (rename it to end in .json to check it)")
    if "," in text or "\t" in text:
        return ("CSV/文本文件", "a CSV or text file")
    return ("文本文件", "a text file")


def is_wps(path) -> bool:
    """Whether the file is named as WPS's own spreadsheet (.et) or template (.ett)."""
    return Path(path).suffix.lower() in (".et", ".ett")


def wps_problem(path) -> FileProblem:
    """A WPS file that is not the Excel 97 format inside (or that the reader cannot make out): save it as .xlsx."""
    kind = Path(path).suffix.lower()
    return FileProblem("file.not_workbook", found=(f"WPS 表格（{kind}）格式，请在 WPS 中另存为 .xlsx",
                                                   f"a WPS spreadsheet ({kind}); save it as .xlsx in WPS"))


def open_container(path: str | os.PathLike) -> Container:
    p = Path(path)
    try:
        st = os.stat(p)
    except PermissionError as exc:
        raise FileProblem("file.unreadable", detail=(os_reason(exc), os_reason(exc, "en"))) from None
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):  # missing, a dangling link
            raise FileProblem("file.missing", found=str(p), detail=unmatched_pattern(p)) from None
        # there but not to be opened: a link to itself (ELOOP), a name longer than the system takes
        raise FileProblem("file.unreadable", detail=(os_reason(exc), os_reason(exc, "en"))) from None
    except ValueError:  # a name the system cannot take (a NUL in it)
        raise FileProblem("file.missing", found=str(p)) from None
    if stat.S_ISDIR(st.st_mode):  # not searched (named like a workbook): the workbooks it holds are said, not dropped
        held = _workbooks_in(p)
        raise FileProblem("file.is_directory", detail=(
            f"（其中有 {held} 个工作簿，未检查：请把它们移出这个文件夹，或把文件夹改为不以 .xlsx 等结尾的名字后再检查）",
            f" (it holds {held} workbook{'s' if held != 1 else ''}, not checked: move {'them' if held != 1 else 'it'} "
            "out of the folder, or rename the folder to a name that does not end in .xlsx or the like, and check "
            "again)") if held else "")
    if not stat.S_ISREG(st.st_mode):
        raise FileProblem("file.not_workbook", found=("管道或设备，不是普通文件", "a pipe or a device, not a regular file"))
    size = st.st_size
    if size == 0:
        raise _empty()
    if size > MAX_FILE_BYTES:
        raise _too_big(p, size)
    try:
        data = _read_regular(p)
    except FileNotFoundError:  # gone since it was looked at (moved away mid-run)
        raise FileProblem("file.missing", found=str(p)) from None
    except OSError as exc:
        raise FileProblem("file.unreadable", detail=(os_reason(exc), os_reason(exc, "en"))) from None
    if not data:
        raise _empty()
    digest = _SHA256[0](data).hexdigest()
    try:
        return _container(p, data, digest)
    except FileProblem as fp:  # a PDF, a damaged or encrypted file: still named by its digest
        fp.sha256 = digest
        raise


def _empty() -> FileProblem:
    """An empty file, named by the digest of no bytes as any other file by its own: a report tells one from
    another empty file sent again, and a script keyed on the digest finds it."""
    fp = FileProblem("file.empty")
    fp.sha256 = _SHA256[0](b"").hexdigest()
    return fp


def _too_big(p: Path, size: int) -> FileProblem:
    """A file over the size limit, by what its first bytes say it is: a workbook too big (pictures pasted in), or
    what was sent instead (a scan, a photo), named.  Nothing of it is parsed; its bytes are read once, a block at
    a time, for its digest: a script deduplicating the returns by digest finds every file, refused or not."""
    head, digest = b"", ""
    try:
        fd = _open_regular(p)
        if fd is not None:
            head, digest = _streamed(fd)
    except OSError:
        head, digest = b"", ""
    if not head or head[:4] in (b"PK\x03\x04", b"PK\x05\x06") or head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        fp = FileProblem("file.too_big", found=_human(size), expected=_human(MAX_FILE_BYTES))
    else:
        fp = FileProblem("file.not_workbook", found=_sniff(head, whole=False, name=p.name))
    fp.sha256 = digest
    return fp


def _streamed(fd: int, hashed=None, head: bytes = b"") -> tuple[bytes, str]:
    """(the first 4096 bytes, the SHA-256 of the whole file) read from the open descriptor `fd` (closed here) a
    block at a time, never held whole; `hashed` a digest of the `head` bytes already read from it.  "" for the
    digest when the file cannot be read to its end."""
    h = hashed or _SHA256[0]()
    try:
        while True:
            block = os.read(fd, 1 << 20)
            if not block:
                break
            if len(head) < 4096:
                head += block[:4096 - len(head)]
            h.update(block)
    except OSError:
        return head, ""
    finally:
        os.close(fd)
    return head, h.hexdigest()


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


def _open_regular(path) -> int | None:
    """A descriptor of the file open for reading, None when what the name leads to now is not a regular file.
    Opened without waiting (a pipe put in its place has no writer) and judged by what was opened: the name may
    have been swapped for a pipe or a device (a link to /dev/zero) since it was looked at."""
    fd = os.open(path, _OPEN_FLAGS)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return fd
    except OSError:
        pass
    os.close(fd)
    return None


def _read_regular(p: Path) -> bytes:
    """The file's bytes, from one open of it, never more than MAX_FILE_BYTES + 1 of them (it may have grown, or
    been swapped for something endless, since its size was looked at)."""
    fd = _open_regular(p)
    if fd is None:
        raise FileProblem("file.not_workbook", found=("管道或设备，不是普通文件", "a pipe or a device, not a regular file"))
    chunks, size = [], 0
    try:
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except BaseException:
        os.close(fd)
        raise
    if size <= MAX_FILE_BYTES:
        os.close(fd)
        return b"".join(chunks)
    # grown past the limit since its size was looked at: the rest is hashed a block at a time, not kept
    h = _SHA256[0]()
    for chunk in chunks:
        h.update(chunk)
    del chunks
    fp = FileProblem("file.too_large", found=(f"逾 {_human(MAX_FILE_BYTES)}", f"over {_human(MAX_FILE_BYTES)}"),
                     expected=_human(MAX_FILE_BYTES))
    fp.sha256 = _streamed(fd, h)[1]
    raise fp


def file_sha256(path) -> str:
    """The SHA-256 of a file as it is on disk ("" when it cannot be read): for a file whose reader crashed or
    hung, which never sent its digest back."""
    h = _SHA256[0]()
    try:
        fd = _open_regular(path)
        if fd is None:
            return ""  # a pipe or a device: never read (it may never end)
        with open(fd, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except (OSError, ValueError):
        return ""
    return h.hexdigest()


_SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}  # what Windows and macOS leave in a folder


def _container(p: Path, data: bytes, digest: str) -> Container:
    if p.name.lower() in _SYSTEM_FILES:  # named on the command line (`xlgoals validate *`): Thumbs.db is a compound file
        raise FileProblem("file.not_workbook", found=(f"操作系统生成的系统文件（{p.name}），不是申报，可忽略",
                                                      f"a system file ({p.name}), not a return; ignore it"))
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        parts = _unpack(data)
        if parts.get("mimetype") == ODS_MIMETYPE:
            if b"encryption-data" in (parts.get("META-INF/manifest.xml") or b""):
                raise FileProblem("file.encrypted")  # saved with a password: its content.xml is ciphertext
            return Container(p, "ods", data, digest, parts)
        return Container(p, "xlsx", data, digest, parts)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise FileProblem("file.encrypted")
        outlook = _outlook(p, data)
        if outlook:
            raise FileProblem("file.not_workbook", found=outlook)
        if len(data) < 1536 or len(data) % 512:  # a compound file is whole 512-byte sectors
            raise FileProblem("file.corrupt", detail=("文件不完整（可能在传输中被截断）", "the file is incomplete (cut off in transfer?)"))
        if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
            if "WordDocument".encode("utf-16-le") in data or "PowerPoint".encode("utf-16-le") in data:
                raise FileProblem("file.not_workbook", found=("Office 文档（非 Excel）", "an Office document, not Excel"))
            raise FileProblem("file.corrupt", detail=("找不到工作簿数据，文件可能已损坏", "no workbook data found; the file may be damaged"))
        return Container(p, "xls", data, digest)
    if is_wps(p):
        raise wps_problem(p)
    if p.name.startswith(("~$", ".~")) and len(data) <= 4096:  # Excel's and WPS's ~$x.xlsx, LibreOffice's .~lock.x#
        raise FileProblem("file.not_workbook", found=("打开工作簿时生成的锁定文件，请提交工作簿本身",
                                                      "an open workbook's lock file; send the workbook itself"))
    from .._paths import written_as_text

    if written_as_text(p, data[:8192]):  # yesterday's 校验结果.csv named (`validate 收件箱/*`): xlgoals's, said so
        raise FileProblem("file.xlgoals_output", found=("校验报告或汇总表格", "a report or summary table"))
    raise FileProblem("file.not_workbook", found=_sniff(data, name=p.name))


def open_verified(path: str | os.PathLike) -> Container:
    """``open_container``, then every part of a zip inflated and checked: for handing the whole file to a
    reader that inflates parts on its own (openpyxl, calamine by path), which would not bound a lying one."""
    container = open_container(path)
    if isinstance(container.parts, Parts):
        container.parts.verify()
    return container


# Zip handling ------------------------------------------------------------------------------
_EOCD = b"PK\x05\x06"
_CDH = b"PK\x01\x02"
_LFH = b"PK\x03\x04"


_CD_FIELDS = struct.Struct("<4xHH4xIIIHHH8xI")  # a central directory entry's, from its offset 4 (after its signature)
_LFH_LENGTHS = struct.Struct("<HH")  # a local header's name and extra field lengths (at its offset 26)


def _central_directory(data: bytes) -> list:
    """(name, method, flags, compressed, declared_size, local_offset, crc, the name's bytes) of each entry of the
    central directory, in order, read in one pass (struct's compiled format, from the file's bytes in place)."""
    pos = data.rfind(_EOCD, max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        raise FileProblem("file.corrupt", detail=("找不到 zip 目录，文件可能不完整", "no zip directory found; the file may be incomplete"))
    (_, _, _, _, count, cd_size, cd_offset, _) = struct.unpack("<4sHHHHIIH", data[pos:pos + 22])
    if count > MAX_ENTRIES:
        raise FileProblem("file.too_large", found=(f"{count} 个部件", f"{count} parts"), expected=f"{MAX_ENTRIES} 个部件")
    if cd_offset + cd_size > len(data) or cd_offset == 0xFFFFFFFF:
        raise FileProblem("file.corrupt", detail=("zip 目录越界，文件可能被截断", "the zip directory points past the end; the file may be cut off"))
    off, size, out = cd_offset, len(data), []
    unpack, cdh = _CD_FIELDS.unpack_from, _CDH
    for _ in range(count):
        if off + 46 > size or not data.startswith(cdh, off):
            out.append(None)  # said where the entries before it have been checked (_unpack)
            break
        flags, method, crc, csize, usize, nlen, xlen, clen, local = unpack(data, off + 4)
        raw = data[off + 46:off + 46 + nlen]
        # an ASCII name reads the same either way: decoded in C (cp437's codec is Python code, ~0.6 us a name)
        name = raw.decode("ascii") if raw.isascii() else raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        out.append((name, method, flags, csize, usize, local, crc, raw))
        off += 46 + nlen + xlen + clen
    return out


def _is_xml_part(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".xml", ".rels", ".vml")) or lower.startswith("xl/worksheets/")


_FEW_AFTER = 4  # occurrences of `first` looked at one by one before _after searches for the pair


def _after(xml: bytes, first: bytes, before: int, start: int = 0) -> bool:
    """Whether `first` (one byte, at `start` or later) is ever preceded by the byte `before`.  `first` is a rare byte
    (#, !, ?): looked for alone (memchr, many bytes an instruction), its first few occurrences' bytes before looked at;
    past those one search for the pair (a two-byte search reads every byte, a part's whole length at each call:
    ~3 % of a goal table's read), so a part of 200,000 "!" costs no loop of 200,000 finds (red team 24d F03)."""
    i = xml.find(first, start)
    for _ in range(_FEW_AFTER):
        if i < 0:
            return False
        if i and xml[i - 1] == before:
            return True
        i = xml.find(first, i + 1)
    return i >= 0 and xml.find(bytes((before,)) + first, i - 1) >= 0


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF16_STARTS = (b"<\x00?\x00", b"\x00<\x00?")  # "<?" of an XML declaration in UTF-16 without a byte order mark


def _in_utf16(data: bytes) -> bool:
    """Whether an XML part is written in UTF-16: a byte order mark, or its declaration's "<?" in UTF-16."""
    return data[:2] in _UTF16_BOMS or data[:4] in _UTF16_STARTS


def xml_declares_dtd(data: bytes) -> bool:
    """Whether an XML part declares a DOCTYPE or an entity, in whatever encoding it is written."""
    head = data[:4]
    if _in_utf16(data):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return True  # cannot tell: refuse
        return "<!DOCTYPE" in text or "<!ENTITY" in text
    if head in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return True  # UTF-32: no spreadsheet writes it
    if not _after(data, b"!", 0x3C):  # no "<!" at all (the common case, found at C speed)
        return False
    return b"<!DOCTYPE" in data or b"<!ENTITY" in data


_DECLARED_ENCODING = re.compile(r"""\A(<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[^"']*\2""")


def _utf8(name: str, data: bytes) -> bytes:
    """An XML part written in UTF-16 (as Open XML allows: some programs write one so), in UTF-8 as calamine reads
    parts (it reads no UTF-16 one), its declaration saying so.  Bytes that are no UTF-16 are a located problem."""
    codec = "utf-16" if data[:2] in _UTF16_BOMS else \
        "utf-16-le" if data[:2] == b"<\x00" else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise FileProblem("file.corrupt", detail=(f"部件 {name} 以 UTF-16 编码保存，但第 {exc.start} 字节起的内容不是 UTF-16",
                                                  f"part {name} is written in UTF-16, but its bytes from {exc.start} "
                                                  "on are not")) from None
    return _DECLARED_ENCODING.sub(r"\1\2UTF-8\2", text.lstrip("\ufeff"), count=1).encode("utf-8")


class Parts(Mapping):
    """The XML parts of a screened zip by name (and ``mimetype``), each inflated and checked the first time it
    is read: a part nobody reads (the theme, images; app.xml unless a sheet's number formats show text, when the
    application that saved it decides how they show) is never inflated, so it can hurt nothing.

    Every entry's headers were checked when the zip was opened (place, encryption, method, declared sizes
    within the limits); inflating a part checks that it unpacks to exactly its declared size with its CRC (a
    header that lies is refused before the lie costs memory) and that an XML part declares no DTD."""

    def __init__(self, data: bytes, entries: dict):
        self._data = data
        self._entries = entries  # name -> (start, compressed size, declared size, method, crc), every entry
        self._names = {n: None for n in entries if _is_xml_part(n) or n == "mimetype"}  # ordered, a set
        # Part names are case-insensitive (Open XML, as calamine finds them): xl/Workbook.xml is xl/workbook.xml.
        # One spelling per part: _unpack refused a name given twice in any case.
        self._folded = {n.lower(): n for n in self._names}
        self._out: dict[str, bytes] = {}
        self._crcs: dict[str, int] = {}  # the CRC-32 of a part transcoded to UTF-8 (_utf8)

    def _named(self, name) -> str:
        if name in self._names or not isinstance(name, str):
            return name
        return self._folded.get(name.lower(), name)

    def __getitem__(self, name: str) -> bytes:
        out = self.get(name)
        if out is None:
            raise KeyError(self._named(name))
        return out

    def get(self, name, default=None):
        """The part (inflated and checked the first time), or `default` where the file has none of the name: what
        ``Mapping.get`` gives, without its raised and caught KeyError for every part a file lacks."""
        name = self._named(name)
        out = self._out.get(name)
        if out is None:
            if name not in self._names:
                return default
            out = self._out[name] = self._inflate(name)
        return out

    def __contains__(self, name) -> bool:
        return self._named(name) in self._names

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def crc(self, name: str) -> int:
        """The part's CRC-32, as its headers give it (checked against the bytes when it was inflated); of the bytes
        given, for a part written in UTF-16 and given in UTF-8."""
        name = self._named(name)
        if name in self._names:
            self[name]  # inflated (and transcoded) first
        return self._crcs.get(name, self._entries[name][4])

    @property
    def transcoded(self) -> bool:
        """Whether a part inflated so far was written in UTF-16 (and is given in UTF-8)."""
        return bool(self._crcs)

    def verify(self) -> None:
        """Inflate and check every entry, XML or not (before handing the whole file to another reader)."""
        for name in self._entries:
            if name in self:
                self[name]
            else:
                self._inflate(name)

    def _inflate(self, name: str) -> bytes:
        start, csize, usize, method, crc = self._entries[name]
        raw = self._data[start:start + csize]
        shared = max(csize, usize) <= _SHARED_PART_BYTES and not name.startswith(_OWN_PARTS)
        out, utf8_crc = (_inflate_shared if shared else _inflate_part)(name, raw, usize, method, crc,
                                                                       name in self._names)
        if utf8_crc is not None:  # written in UTF-16, given in UTF-8
            self._crcs[name] = utf8_crc
        return out


def _inflate_part(name: str, raw: bytes, usize: int, method: int, crc: int, xml: bool) -> tuple[bytes, int | None]:
    """A part's bytes from its compressed bytes `raw`, checked: its declared size `usize`, its `crc`, and (`xml`) no
    DTD; an XML part written in UTF-16 is given in UTF-8, with the CRC-32 of the bytes given (else None)."""
    if method == 0:
        out = raw
    else:
        d = zlib.decompressobj(-15)
        try:
            # Never produce more than declared (+1 byte to detect headers that lie).
            out = d.decompress(raw, usize + 1)
        except zlib.error as exc:
            raise FileProblem("file.corrupt", detail=(f"部件 {name} 解压失败：{exc}", f"part {name} cannot be inflated: {exc}")) from None
        if len(out) > usize or d.unconsumed_tail:
            raise FileProblem("file.too_large", found=(f"{name} 实际大小超过声明的 {_human(usize)}",
                                     f"{name} unpacks to more than its declared {_human(usize)}"),
                              expected="与声明一致")
    if len(out) != usize or (zlib.crc32(out) & 0xFFFFFFFF) != crc:
        raise FileProblem("file.corrupt", detail=(f"部件 {name} 校验失败", f"part {name} fails its checksum"))
    if name == "mimetype":
        return out.strip(), None
    utf8_crc = None
    if xml and _in_utf16(out):
        out = _utf8(name, out)
        utf8_crc = zlib.crc32(out) & 0xFFFFFFFF
    if xml and xml_declares_dtd(out):  # XML parts only: a picture may hold any bytes
        raise FileProblem("file.unsafe_xml", found=name)
    return out, utf8_crc


# Returns made from one template share their structure, styles and properties part for part, compressed bytes and
# all: in a batch each such part is inflated and checked once.  What a part inflates to is a function of its
# compressed bytes, so a part whose name, compressed bytes (compared in full), declared size, method and CRC are
# those of one inflated and checked before is the same bytes (a part refused is never kept, and is refused again).
# Small parts only (compressed and inflated), and not a sheet's or the shared strings, which hold what each
# department typed: a worker keeps at most 64 parts and their compressed bytes of _SHARED_PART_BYTES each.
_SHARED_PART_BYTES = 64 * 1024  # a template's styles.xml is ~20 KB, its workbook.xml and properties ~2 KB
_OWN_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml", "content.xml")  # an .ods's content.xml holds its sheets
_inflate_shared = lru_cache(maxsize=64)(_inflate_part)


# A part name no writer gives and readers resolve differently: a backslash, a leading "/", an empty, "." or ".."
# step (a directory entry's one trailing "/" aside).
_IRREGULAR_NAME = re.compile(r"\\|^/|//|(?:^|/)\.{1,2}(?:/|$)", re.MULTILINE)


def _irregular(joined: str) -> bool:
    """Whether a name of `joined` (the names, one a line) is irregular (_IRREGULAR_NAME).  The pattern matches only
    where a backslash, "//", "/./", "/..", or "/." ending a line stands, or a line starts with "/" or ".": told
    first by finds ("_rels/.rels" is none of these; the pattern's own test at every character of a workbook's names
    cost some 0.12 M instructions a file)."""
    if "\\" in joined or "//" in joined or "/./" in joined or "/.." in joined or "/.\n" in joined \
            or joined.endswith("/.") or joined[:1] in ("/", ".") or "\n/" in joined or "\n." in joined:
        return _IRREGULAR_NAME.search(joined) is not None
    return False


_ARCHIVED_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".et", ".ods", ".xlsb")


def _main_part(rels: bytes | None) -> str | None:
    """The part _rels/.rels names as the package's main document (officeDocument), where it names an .xml part;
    None where it names none or cannot be read."""
    if not rels or len(rels) > 65536:
        return None
    m = re.search(rb"""<(?:[\w.-]+:)?Relationship\b[^<>]*?/officeDocument["'][^<>]*>""", rels)
    t = re.search(rb"""\bTarget\s*=\s*["']([^"'<>]{1,200})["']""", m[0]) if m else None
    if t is None:
        return None
    target = posixpath.normpath(t[1].decode("utf-8", "replace").lstrip("/"))
    return target if target.lower().endswith(".xml") else None


def _zip_found(lowered: list[str]) -> tuple[str, str]:
    """What a zip that is no workbook is: an Apple Numbers document, returns zipped together, or a zip."""
    if any(n.startswith("index/") and n.endswith(".iwa") or n == "index.zip" for n in lowered):  # Numbers, new and old
        return ("Apple Numbers 文稿，请在 Numbers 中导出为 Excel（.xlsx）", "an Apple Numbers file; export it as Excel (.xlsx)")
    n = sum(name.endswith(_ARCHIVED_WORKBOOKS) and not name.rsplit("/", 1)[-1].startswith(("~$", "._"))
            for name in lowered)
    if n:
        return (f"压缩包（内含 {n} 个工作簿），请解压后逐个报送", f"an archive of {n} workbook{'s' if n > 1 else ''}; unpack it and submit each")
    return ("zip 压缩包", "a zip archive")


def _unpack(data: bytes) -> Parts:
    """Check every entry's headers with hard limits; return the XML parts by name, inflated when read."""
    from ._screen import ANNOTATED, EDITED, edited_since_written, xlgoals_output
    entries: dict = {}
    total = 0
    names = []
    size = len(data)
    for entry in _central_directory(data):
        if entry is None:  # the directory ends in bytes that are no entry (after those checked above)
            raise FileProblem("file.corrupt", detail=("zip 目录损坏", "the zip directory is damaged"))
        name, method, flags, csize, usize, local, crc, raw = entry
        names.append(name)
        if flags & 0x1:
            raise FileProblem("file.encrypted")
        if local + 30 > size or not data.startswith(_LFH, local):
            raise FileProblem("file.corrupt", detail=(f"部件 {name} 的位置不正确", f"part {name} is not where the zip directory says"))
        nlen, xlen = _LFH_LENGTHS.unpack_from(data, local + 26)
        if data[local + 30:local + 30 + nlen] != raw:  # as zip readers refuse it (openpyxl's, for annotated copies)
            raise FileProblem("file.corrupt", detail=(f"部件 {name[:80]} 的名称与 zip 目录不一致",
                                                         f"part {name[:80]} is named differently in the zip directory"))
        start = local + 30 + nlen + xlen
        if start + csize > len(data):
            raise FileProblem("file.corrupt", detail=(f"部件 {name} 被截断", f"part {name} is cut off"))
        budget = MAX_UNPACKED_BYTES - total
        if usize > budget or (usize > RATIO_FROM and usize > MAX_ENTRY_RATIO * max(csize, 1)):
            raise FileProblem("file.too_large", found=(f"{name} 声明 {_human(usize)}", f"{name} declares {_human(usize)}"),
                              expected=_human(MAX_UNPACKED_BYTES))
        if method not in (0, 8):
            raise FileProblem("file.corrupt", detail=(f"部件 {name} 使用了不支持的压缩方式 {method}",
                                                         f"part {name} uses an unsupported compression method {method}"))
        if method == 0 and csize != usize:
            raise FileProblem("file.corrupt", detail=(f"部件 {name} 校验失败", f"part {name} fails its checksum"))
        total += usize
        entries[name] = (start, csize, usize, method, crc)  # a name given twice is refused below
    # One name, one part: calamine finds a part case-insensitively, with "\\" for "/", the last of a kind; the
    # screen finds it by its exact name.  A second spelling could put an unscreened part before it.
    lowered = [n.lower() for n in names]
    if _irregular("\n".join(names)) or len(set(lowered)) != len(names):  # one search for all
        seen: set = set()
        for name, low in zip(names, lowered):
            if _IRREGULAR_NAME.search(name) or low in seen:
                raise FileProblem("file.corrupt", detail=(f"部件名 {name[:80]} 重复或不规范", f"part name {name[:80]} is repeated or malformed"))
            seen.add(low)
    parts = Parts(data, entries)
    if parts.get("mimetype") == ODS_MIMETYPE:  # an OpenDocument spreadsheet (LibreOffice's own format)
        if "content.xml" not in parts:
            raise FileProblem("file.corrupt", detail=("找不到 content.xml", "content.xml is missing"))
        if any(n.startswith(("basic/", "scripts/")) for n in lowered):
            raise FileProblem("file.macro")
        if "[content_types].xml" in lowered or any(n.startswith("xl/") for n in lowered):
            # an .xlsx inside an .ods: calamine reads the .xlsx, whose sheets the .ods screen never saw
            raise FileProblem("file.corrupt", detail=("文件既像 .ods 又像 .xlsx（含有 .xlsx 的部件）",
                                                      "the file is both an .ods and an .xlsx (it holds .xlsx parts)"))
        return parts
    if "[content_types].xml" not in lowered:
        mimetype = parts.get("mimetype") or b""
        if mimetype == ODS_MIMETYPE + b"-template":
            raise FileProblem("file.not_workbook", found=("电子表格模板（.ots），请在 LibreOffice 中另存为 .xlsx 或 .ods",
                                                          "a spreadsheet template (.ots); save it as .xlsx or .ods "
                                                          "in LibreOffice"))
        if mimetype.startswith(b"application/vnd.oasis.opendocument."):
            raise FileProblem("file.not_workbook", found=("OpenDocument 文本、演示文稿或其他文档",
                                                          "an OpenDocument text, presentation or other document"))
        raise FileProblem("file.not_workbook", found=_zip_found(lowered))
    if "xl/workbook.xml" not in lowered:
        if "mimetype" in lowered:
            raise FileProblem("file.not_workbook", found=("OpenDocument 文本或演示文稿", "an OpenDocument text or presentation"))
        if any(n.startswith("word/") for n in lowered):
            raise FileProblem("file.not_workbook", found=("Word 文档", "a Word document"))
        if any(n.startswith("ppt/") for n in lowered):
            raise FileProblem("file.not_workbook", found=("PowerPoint 文档", "a PowerPoint document"))
        if "xl/workbook.bin" in lowered:
            raise FileProblem("file.not_workbook", found=("Excel 二进制工作簿（.xlsb），请另存为 .xlsx", "an Excel binary workbook (.xlsb); save it as .xlsx"))
        main = _main_part(parts.get("_rels/.rels"))
        if main is not None and main.lower() in lowered:
            # a valid package whose workbook part another writer named otherwise (xl/workbook2.xml): Excel and
            # LibreOffice open it through _rels/.rels; the reader (calamine) takes xl/workbook.xml only
            raise FileProblem("file.part_renamed", detail=(  # (not damaged: file.corrupt's words would be untrue)
                f"其主部件名为“{main[:60]}”而非 xl/workbook.xml",
                f"its main part is named '{main[:60]}', not xl/workbook.xml"))
        raise FileProblem("file.not_workbook", found=("zip 压缩包", "a zip archive"))
    kind = xlgoals_output(parts)
    if kind == ANNOTATED and not reading_annotated_now() and edited_since_written(parts):
        kind = EDITED  # a department's corrected copy: read as a return (reading_annotated), wherever it lies
    if kind and not (kind == ANNOTATED and reading_annotated_now()):
        raise FileProblem("file.xlgoals_output", found=kind)
    if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in parts.get("[Content_Types].xml", b""):
        raise FileProblem("file.macro")
    links = [n for n in names if n.lower().startswith("xl/externallinks/") and n.lower().endswith(".xml")]
    if links:
        raise _external_link(parts, links)
    return parts


#: What file.external_link says after the links: the cause where a link points back at one of our templates (the
#: sheets moved or copied to a new workbook: the dropdowns' names then refer to the template's 下拉选项), else the
#: plain advice.  zh, en.
_LINK_MOVED = ("：链接指向下发的模板，多为工作表被移动或复制到了新工作簿（下拉列表仍引用原模板）；请在下发的原模板中填写后重新报送",
               ": they point at the template as issued, most likely because the sheets were moved or copied to a new "
               "workbook (the dropdowns still refer to the template); fill in the original template and submit that")
_LINK_PLAIN = ("，请删除外部链接后重新报送", "; remove them and submit again")
_LINK_NAMES = 3  # linked files named at most
_LINK_NAME_CHARS = 40  # characters of a linked file's name shown at most


def _external_link(parts: "Parts", links: list[str]) -> FileProblem:
    """file.external_link for an .xlsx with external link parts, naming the linked files (their own names, no
    folders, control characters escaped, cut short) and, where a link points back at one of our templates (its
    sheet names are our forms' or its names our dropdowns'), the cause.  The parts are read as any part is
    (inflated and checked); one that cannot be read is counted, not named."""
    from html import unescape  # here, not at the top: a plain validate imports neither (test_api)
    from urllib.parse import unquote

    from .._form import LAYOUTS
    from .._text import printable

    ours = {name for f in LAYOUTS.values() for name in f.sheets}
    named: list[str] = []
    moved = False
    for link in links:
        folder, _, base = link.rpartition("/")
        try:
            xml = parts.get(link) or b""
            rels = parts.get(f"{folder}/_rels/{base}.rels") or b""
        except FileProblem:
            continue
        sheets = {unescape(v.decode("utf-8", "replace")) for v in re.findall(rb'<(?:\w+:)?sheetName\s+val="([^"]{1,64})"', xml)}
        moved = moved or bool(sheets & ours) or re.search(rb'<(?:\w+:)?definedName\s+name="xl_', xml) is not None
        for target in re.findall(rb'Target="([^"]{1,2000})"', rels)[:_LINK_NAMES]:
            name = unquote(unescape(target.decode("utf-8", "replace"))).replace("\\", "/").rstrip("/").rpartition("/")[2]
            name = printable(name)
            name = name if len(name) <= _LINK_NAME_CHARS else name[:_LINK_NAME_CHARS] + "…"
            if name and name not in named:
                named.append(name)
    shown = "、".join(f"“{n}”" for n in named[:_LINK_NAMES]) + ("等" if len(named) > _LINK_NAMES else "")
    shown_en = ", ".join(f"'{n}'" for n in named[:_LINK_NAMES]) + (" and more" if len(named) > _LINK_NAMES else "")
    count = (f"{len(links)} 个" + (f"，链接到 {shown}" if named else ""),
             f"{len(links)}" + (f", to {shown_en}" if named else ""))
    return FileProblem("file.external_link", found=count, detail=_LINK_MOVED if moved else _LINK_PLAIN)
