"""Which files a run reads, and which it must never write: every file in a folder is accounted for.

A folder scan sorts what it finds into returns to check (workbooks, and office documents or
PDFs sent instead of one: those fail as ``file.not_workbook``), files it skips with a reason
(unknown types, links out of the folder, this run's own outputs) and editor or system
droppings it ignores (counted).  An output path that is also an input is refused before
anything is read.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import fnmatch
import functools
import os
import re
import stat
import unicodedata
from dataclasses import field
from pathlib import Path

from ._errors import UsageError, unmatched_pattern
from ._record import record
from ._text import Bilingual, display_path, printable, readable_name

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")
#: What a run takes earlier returns from (goal tables for templates and --targets, last year's for --previous):
#: workbooks the reader opens, and the JSON documents `xlgoals read` writes.
SOURCE_SUFFIXES = WORKBOOK_SUFFIXES + (".json",)  # .et too: read, to say "save it as .xlsx"
#: Documents people send instead of the return: checked, so they fail as not a workbook.
DOCUMENT_SUFFIXES = (".xlsb", ".xltx", ".xltm", ".xlt", ".ett", ".ots", ".fods", ".numbers", ".doc", ".docx", ".wps", ".odt",
                     ".rtf", ".pdf", ".ppt", ".pptx", ".dps", ".ofd",
                     ".zip", ".rar", ".7z",  # returns sent zipped: the message says how many workbooks, to unpack
                     ".lnk")  # a shortcut to the return, not the return: the message says to send the file itself
#: Names a spreadsheet program opens as a workbook: a text report (JSON, CSV, text) given one would not open.
SPREADSHEET_SUFFIXES = WORKBOOK_SUFFIXES + (".xlsb", ".xltx", ".xltm", ".xlt", ".ots", ".fods")
#: Editor lock files and operating-system droppings: never returns, ignored and counted.
DROPPINGS = ("~$*", ".~*", ".DS_Store", "Thumbs.db", "desktop.ini", "._*")  # .~*: LibreOffice's .~lock.x#, WPS's .~x

class Reason(tuple):
    """Why a file found was not checked: the pair (zh, en) every reason has been, and its code (``.code``), a row of
    the catalog (schema/rules.csv, ``skipped.*``), the same in every language: what a script tells reasons apart by
    (validate's JSON ``skipped_files[].code``, its CSV's code column, frames' ``note_code``).  Equal to the plain pair."""

    code: str
    #: What the reason is made from, as a value (zh, en): a folder that cannot be listed keeps the system's reason
    #: (``没有访问权限``), which validate's folder.unreadable and the lines naming the folder are built from; else None
    detail: tuple[str, str] | None

    def __new__(cls, code: str, zh: str, en: str, detail: tuple[str, str] | None = None):
        reason = super().__new__(cls, (zh, en))
        reason.code = code
        reason.detail = detail
        return reason

    def __reduce__(self):  # (to a worker process and back)
        return Reason, (self.code, self[0], self[1], self.detail)


#: The code of a reason with none (a pair made elsewhere): the one code the CSV gave every file not checked.
NOT_CHECKED = "file.not_checked"
#: A folder that cannot be listed (no permission, gone): its reason names the system's error.
FOLDER_UNLISTED = "skipped.folder_unlisted"
#: Another program's JSON in a folder searched (``_check._jsondoc.skip_reason``): its reason says what it is.
NOT_DOCUMENT = "skipped.not_document"
#: A file in a folder of inputs (--targets, --previous) that is not of the kinds taken (``not_used``): its reason
#: names them (schema/rules.csv's {detail}).
NOT_SOURCE = "skipped.not_source"
#: The code of an editor lock file or system file passed over (the CSV's row of it, frames' note_code).
IGNORED_CODE = "file.ignored"


def reason_code(why) -> str:
    """The code of a reason a file was not checked (``Reason.code``; NOT_CHECKED for a plain pair)."""
    return getattr(why, "code", None) or NOT_CHECKED


#: A link in a folder searched to a file (or folder) outside it: not followed.  Returns are untrusted: an archive a
#: department sent, unpacked into the inbox (``unzip`` restores links), can carry a link to another file on the
#: bureau's disk (another department's return), which would be read as the sender's and, failing, copied into the
#: annotated copy sent back to it.  Named on the command line, a link is followed (the user's own choice).
SKIP_OUTSIDE = Reason("skipped.outside_link", "链接指向所给文件夹之外，未跟随（为安全起见）；要校验它指向的文件，请直接在命令行指定该文件，或复制文件本身（cp -L）",
                      "a link pointing outside the given folders; not followed (for safety). To check the file it "
                      "points to, name that file on the command line, or copy the file itself (cp -L)")
SKIP_UNKNOWN = Reason("skipped.not_workbook", "不是工作簿文件，未检查", "not a workbook file; not checked")
#: A table saved as text (CSV, Excel 2003 XML, a web page, flat OpenDocument) in a folder searched: named alone it is
#: refused with "另存为 .xlsx"; found in a folder it is told the same advice (red team 28z), not a bare "not a workbook".
SAVE_AS_SUFFIXES = (".csv", ".xml", ".htm", ".html", ".mht", ".mhtml", ".fods")
SKIP_SAVE_AS = Reason("skipped.save_as", "表格另存成的文本格式（CSV、XML 或网页），不是工作簿，未检查；若是申报，请在 Excel 或 WPS 中另存为 .xlsx 后重新报送",
                      "a table saved as text (CSV, XML or a web page), not a workbook; not checked. If it is a return, "
                      "save it as .xlsx in Excel or WPS and send it again")
#: A pipe, a device or a socket in a folder searched (a FIFO named 说明.json): no file at all, whatever its name.
SKIP_SPECIAL = Reason("skipped.not_regular", "不是普通文件（管道或设备），未检查", "not a regular file (a pipe or a device); not checked")
SKIP_FOLDER_LINK = Reason("skipped.folder_link", "链接到其他位置的文件夹，未跟随；请直接指定该文件夹",
                    "a link to a folder elsewhere; not followed. Name that folder to check it")
SKIP_BROKEN_LINK = Reason("skipped.broken_link", "链接指向的文件或文件夹不存在（链接已失效），未检查",
                    "a link to a file or folder that does not exist (a broken link); not checked")
SKIP_LINK_LOOP = Reason("skipped.link_loop", "循环链接（链接最终指回自身，不指向任何文件或文件夹），未检查",
                  "a loop of links (it leads back to itself, to no file or folder); not checked")
#: A link in a folder searched to that folder itself or to a folder above it (收件箱/自己 -> .): a loop, followed
#: forever; not followed (its files are checked where they are), but said, as a loop of links is.
SKIP_FOLDER_LOOP = Reason("skipped.folder_loop", "指向其所在文件夹（或上级文件夹）的链接，构成循环，未跟随；其中的文件已在原位置检查",
                    "a link to the folder it is in (or a folder above it), a loop; not followed (the files there are "
                    "checked where they are)")
SKIP_HIDDEN_FOLDER = Reason("skipped.hidden_folder", "隐藏文件夹，其中的文件未检查；如需检查，请直接指定该文件夹",
                      "a hidden folder; the files in it were not checked. Name that folder to check them")
#: A saved e-mail (the mail a return came with, kept beside it): not checked, as it is no return, but said as a
#: mail, as the return may be its attachment only.  Named, it is checked, and says how many workbooks it holds.
MAIL_SUFFIXES = (".eml", ".msg")
SKIP_MAIL = Reason("skipped.mail", "保存的邮件，未检查；若申报只在其附件中，请将附件另存后校验",
             "a saved e-mail; not checked. If a return is only in its attachments, save them and check those")
#: An editor lock file or system dropping (and another hidden file) in a folder searched: ignored, and said so.
SKIP_IGNORED = Reason(IGNORED_CODE, "编辑器锁定文件或系统文件，已忽略", "an editor lock file or system file, ignored")
#: A file found at one of this run's output paths (yesterday's report or table there, or a file --force writes over):
#: not this run's output yet, but the one this run replaces.
SKIP_OUTPUT = Reason("skipped.this_runs_output", "将被本次运行覆盖的输出，未检查", "an output to be written over by this run; not checked")
#: The record consolidate --csv keeps in its folder of the tables it wrote there (each table's name, form and SHA-256:
#: a later run removes only its own form's tables, and only as written; _consolidate._render.render_csv).
TABLES_RECORD = ".xlgoals_tables.json"
#: That record found in a folder searched (a --csv folder in the inbox, on a run that writes no CSV there): xlgoals's
#: own file, said as such (not as an editor lock or system file), as the CSV tables beside it are said.
SKIP_TABLES_RECORD = Reason("skipped.tables_record", "xlgoals 写入 CSV 表格（--csv）时记下所写表格的文件，未检查",
                      "the record xlgoals keeps of the CSV tables it wrote (--csv); not checked")
SKIP_XLGOALS = Reason("skipped.xlgoals_file", "xlgoals 生成的文件（汇总或问题标注副本），未检查；若是单位修改后重新报送的标注副本，请在命令中直接指定该文件来校验或汇总",
                "a file xlgoals wrote (a summary or annotated copy); not checked. If a department sent an annotated "
                "copy back corrected, name that file itself to validate or consolidate it")
#: A report or summary table xlgoals wrote as text (validate -o, consolidate --csv/--json), found in a folder searched
#: (yesterday's, written into the inbox): xlgoals's own, not "not a workbook".  Known by its first lines (_looks_ours).
SKIP_OURS = Reason("skipped.xlgoals_report", "xlgoals 写入的校验报告或汇总表格，已跳过", "a report or summary table xlgoals wrote; skipped")
#: What xlgoals wrote earlier into a folder this run writes into (yesterday's annotated copies in --annotate's folder,
#: tables in --csv's): listed, never passed over unsaid, and replaced by this run where it writes the same name.
SKIP_EARLIER = Reason("skipped.earlier_output", "xlgoals 之前写入本次输出文件夹的文件（问题标注副本或 CSV 表格），已跳过",
                "a file xlgoals wrote earlier into this run's output folder (an annotated copy or CSV table); skipped")
#: How an annotated copy's name ends (validate --annotate: ``<stem>_问题标注.xlsx``, ``<stem>_<n>_问题标注.xlsx``).
ANNOTATED_SUFFIX = "_问题标注"
#: An annotated copy xlgoals wrote, named together with the file it marks (``consolidate 收件箱/*`` after
#: ``validate 收件箱 --annotate 收件箱``): our own output beside its original, not a department's corrected copy
#: (one it edited is read, beside the file it marks or not: the duplicate rule settles the two).  It is that file's
#: return over again (Scan.original_of).
SKIP_BESIDE_ORIGINAL = Reason("skipped.beside_original", "xlgoals 生成的问题标注副本（未见修改），其原文件也在本次指定的文件中，未作为申报读取：未经修改的副本与原文件是同一份申报，"
                        "原文件已检查，无需移出任何文件（单位修改后重新报送的副本会作为申报读取）",
                        "an annotated copy xlgoals wrote (no edit seen), named together with the file it marks; not read as a "
                        "return: a copy sent back unedited is the same return as that file, which is checked, so there is "
                        "nothing to move (a copy the department edited is read as its return)")
#: A file a folder gave (or a name given) that is a file already among the run's, reached again through a link or a hard
#: link (the same device and inode): checked once, under the path that is no link (same_file names it).
SKIP_SAME_FILE = Reason("skipped.same_file", "与已检查的文件是同一个文件（经链接或硬链接到达），只检查一次，未重复检查",
                        "the same file as one checked (reached through a link or hard link); checked once, not again")
#: The reasons of the files not checked that are xlgoals's own outputs: listed apart from the others (not_checked_lines).
_BESIDE_HEAD, _BESIDE_TAIL = SKIP_BESIDE_ORIGINAL[0].split("其原文件", 1)[0], SKIP_BESIDE_ORIGINAL[0].split("，未作为", 1)[1]
OUTPUT_REASONS = (SKIP_OUTPUT, SKIP_EARLIER, SKIP_OURS, SKIP_XLGOALS, SKIP_TABLES_RECORD, SKIP_BESIDE_ORIGINAL)
#: The extensions of the reports and tables xlgoals writes as text.  In a folder searched, a file of any other name is
#: asked of by its first lines only (`validate -o 报告.log`); one of these names also by its document properties.
TEXT_OUTPUT_SUFFIXES = (".json", ".csv", ".txt")


def xlgoals_output(reason) -> bool:
    """Whether a file not checked, for `reason` ((zh, en)), is one of xlgoals's own outputs."""
    reason = tuple(reason or ())
    return reason in OUTPUT_REASONS or (len(reason) == 2 and str(reason[0]).startswith(_BESIDE_HEAD)
                                        and str(reason[0]).endswith(_BESIDE_TAIL))


EMPTY_PATH = Bilingual("给出的路径为空，请指定要检查的文件或文件夹",
                       "an empty path was given; name the files or folders to check")


def exact_path(path) -> str:
    """A file's path as hex of its exact bytes, as the reports give it beside the path people read
    (``display_path``: a newline escaped, a GBK name decoded): ``bytes.fromhex(...)`` opens the file."""
    return os.fsencode(os.fspath(path)).hex()


@record
class Scan:
    """The files the given paths name: the ones to check, and the ones skipped with the reason."""

    files: list[str] = field(default_factory=list)  # to check, sorted
    skipped: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (reason zh, reason en)
    ignored: list[str] = field(default_factory=list)  # droppings
    named: set = field(default_factory=set)  # files given by name (not found in a folder)
    absent: set = field(default_factory=set)  # of `named`, those that did not exist when the run listed its files

    def vanished(self, path, codes) -> bool:
        """Whether a file whose read gave only `codes` (["file.missing"]) was listed when the run started and gone
        when read (moved, renamed or replaced meanwhile: file.vanished), not a name that never existed: a file a
        folder's listing found, or one named that existed then."""
        return list(codes) == ["file.missing"] and path not in self.absent

    def original_of(self, copy: str, digests=None) -> str | None:
        """The file among this run's that the annotated copy `copy` marks; None when there is none (a department's
        corrected copy, sent back alone).  A copy records the SHA-256 of the file it marks (SOURCE_PROPERTY): the
        original is the run's file of those bytes (`digests`: path -> SHA-256 of the run's files), wherever it lies
        and whatever its name.  A copy written before it recorded them: a file in the copy's own folder of the name
        it was made from (``X.xlsx`` for ``X_问题标注.xlsx``, ``X_2_问题标注.xlsx``; ``X_问题标注.xlsx`` for a copy of
        it), never another folder's (each department's 绩效目标表.xlsx is another return).  Names are compared
        without case, as the copies' names are made (annotated_names)."""
        from ._read._screen import annotated_source

        key = _same_file_key(copy)
        source = annotated_source(copy)
        if source is not None:
            by_digest = getattr(self, "_by_digest", None)  # once a run (a glob of the inbox: thousands of copies)
            if by_digest is None or by_digest[0] is not digests or by_digest[1] != len(digests or ()):
                index: dict[str, list] = {}
                for f, digest in (digests or {}).items():
                    index.setdefault(digest, []).append(f)
                self._by_digest = by_digest = (digests, len(digests or ()), index)
            return next((f for f in by_digest[2].get(source, ()) if f != copy and _same_file_key(f) != key), None)
        base = readable_name(Path(copy).name).lower()
        ending = (ANNOTATED_SUFFIX + ".xlsx").lower()
        if not base.endswith(ending):
            return None
        base = base[:-len(ending)]
        by_stem = getattr(self, "_by_stem", None)
        if by_stem is None:  # once a run: a glob of the inbox names thousands of files
            by_stem = {}
            for f in self.files:
                by_stem.setdefault(safe_filename(readable_name(Path(f).stem), limit=2000).lower(), []).append(f)
            self._by_stem = by_stem
        folder = os.path.realpath(os.path.dirname(copy) or ".")
        bases = [base] + ([base[:m.start()]] if (m := re.search(r"(?<=.)_[0-9]+$", base)) else [])
        bases.append(bases[-1] + ANNOTATED_SUFFIX.lower())  # a copy of a copy: X_2_问题标注 marks X_问题标注
        for b in bases:
            for f in by_stem.get(b, ()):
                if _same_file_key(f) != key and os.path.realpath(os.path.dirname(f) or ".") == folder:
                    return f
        return None


def same_file(kept: str) -> Reason:
    """SKIP_SAME_FILE, naming the path under which the file is checked."""
    shown = display_path(kept)
    return Reason(SKIP_SAME_FILE.code, SKIP_SAME_FILE[0].replace("已检查的文件", f"已检查的文件 {shown} ", 1),
                  SKIP_SAME_FILE[1].replace("one checked", f"one checked, {shown},", 1))


def _one_per_file(out: Scan) -> None:
    """Of `out.files`, one path per file (the same device and inode): a link to a file, or a hard link, reached
    besides the file is listed as SKIP_SAME_FILE (naming the path kept), not checked twice nor counted as a
    duplicate return.  The path kept is one that is no symbolic link, the first in sort order; a file named keeps
    being named under it.  One stat a file."""
    by_inode: dict = {}
    for f in out.files:
        try:
            st = os.stat(f)
        except (OSError, ValueError):  # gone, a broken link, a name too long: said when it is read
            continue
        if st.st_ino:  # (0 where the file system gives none: nothing known)
            by_inode.setdefault((st.st_dev, st.st_ino), []).append(f)
    drop: dict = {}
    for paths in by_inode.values():
        if len(paths) < 2:
            continue
        kept = min(paths, key=lambda f: (os.path.islink(f), f))
        for f in paths:
            if f != kept:
                drop[f] = same_file(kept)
                if f in out.named:
                    out.named.add(kept)
    if drop:
        out.files = [f for f in out.files if f not in drop]
        out.skipped.update(drop)


def beside_original(original: str) -> Reason:
    """SKIP_BESIDE_ORIGINAL, naming the original found among the run's files."""
    shown = display_path(original)
    return Reason(SKIP_BESIDE_ORIGINAL.code,
                  SKIP_BESIDE_ORIGINAL[0].replace("其原文件也在本次指定的文件中", f"其原文件 {shown} 也在本次指定的文件中", 1),
                  SKIP_BESIDE_ORIGINAL[1].replace("named together with the file it marks",
                                                  f"named together with the file it marks, {shown}", 1))


#: A goal table (or last year's return) given with --targets (--previous) whose annotated copy, corrected by the
#: department and sent back, is given too: the copy is the return as it now stands, the file it marks not used.
SKIP_SUPERSEDED = Reason("skipped.superseded", "单位修改后重新报送的问题标注副本标注的正是本文件，已改用该副本",
                         "the annotated copy, corrected and sent back by the department, marks this very file: the "
                         "copy is used instead")


def superseded(chain) -> Reason:
    """SKIP_SUPERSEDED, naming the corrected copy used instead: `chain`, corrected_copies's, the copies from the one
    marking this file to the newest correction (a path alone: the one copy).  Where the copy used marks another copy
    (a copy corrected, marked again and corrected again), it is said as this file's latest correction through the
    copies between, not as marking this file."""
    *via, newest = (chain,) if isinstance(chain, (str, os.PathLike)) else tuple(chain)
    shown = display_path(newest)
    if via:
        between = [display_path(v) for v in via]
        return Reason(SKIP_SUPERSEDED.code,
                      f"单位修改后重新报送的问题标注副本 {shown} 是本文件的最新修改（经由 {'、'.join(between)}：它标注的是 "
                      f"{between[-1]}），已改用该副本",
                      f"the annotated copy {shown}, corrected and sent back by the department, is this file's latest "
                      f"correction (through {', '.join(between)}: it marks {between[-1]}); the copy is used instead")
    return Reason(SKIP_SUPERSEDED.code, SKIP_SUPERSEDED[0].replace("问题标注副本标注", f"问题标注副本 {shown} 标注", 1),
                  SKIP_SUPERSEDED[1].replace("annotated copy,", f"annotated copy {shown},", 1))


def corrected_copies(sources: dict, files) -> dict[str, tuple[str, ...]]:
    """Of `files` (the goal tables of --targets, last year's returns of --previous), each file whose annotated copy,
    edited since xlgoals wrote it (a department's correction sent back), is among them too -> the copies from the one
    marking it to the newest correction of it there (a corrected copy marked again and corrected again: the chain,
    its last used; superseded says it), used in its stead: the
    bureau's folder holding both, the correction is the return as it stands, never the first listed.  `sources`:
    path of each edited copy read -> the SHA-256 it records of the file it marks (``_screen.annotated_source``).
    Two corrections of one file both stay (neither marks the other): the callers say them as two of one project."""
    if not sources:
        return {}
    from ._read._safety import file_sha256

    wanted = set(sources.values())
    by_digest: dict[str, list[str]] = {}
    for f in map(os.fspath, files):
        if typed_suffix(os.path.basename(f)).endswith((".json",)):
            continue  # (a copy marks a workbook)
        digest = file_sha256(f)  # ("" for a file gone or no regular file: said where it is read)
        if digest in wanted:
            by_digest.setdefault(digest, []).append(f)
    direct: dict[str, str] = {}
    for copy in sorted(sources):
        for original in by_digest.get(sources[copy], ()):
            if _same_file_key(original) != _same_file_key(copy):
                direct.setdefault(original, copy)
    out = {}
    for original, copy in direct.items():
        seen, chain = {original}, [copy]
        while copy in direct and copy not in seen:  # corrected again in the copy's own copy
            seen.add(copy)
            copy = direct[copy]
            chain.append(copy)
        out[original] = tuple(chain)
    return out


def is_dropping(name: str, full: str | None = None) -> bool:
    """Whether the name is an editor lock file's or a system dropping's.  Given the file (`full`), a name of
    Excel's or WPS's lock file (~$申报.xlsx: 165 bytes, the user's name) that holds a workbook is no dropping: a
    lock file is never a zip or a compound file, and a workbook named so is checked, not ignored unread."""
    if not any(fnmatch.fnmatchcase(name, pattern) for pattern in DROPPINGS):
        return False
    return full is None or not (name.startswith("~$") and holds_a_workbook(full))


#: How a workbook file begins: a zip (.xlsx, .ods), a compound file (.xls, .et).
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def holds_a_workbook(full: str | os.PathLike) -> bool:
    """Whether the file begins as a workbook; opened without waiting, and read only when it is a regular file (a
    pipe of that name has no writer)."""
    try:
        fd = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        return stat.S_ISREG(os.fstat(fd).st_mode) and os.read(fd, 4) in WORKBOOK_MAGIC
    except OSError:
        return False
    finally:
        os.close(fd)


def _folder_link_skipped(full: str, root: str, root_real: str) -> tuple[str, str] | None:
    """Why a folder os.walk found at `full` (in `root`, of the folder given, `root_real` resolved) is a link it does
    not follow that is said: one to a folder outside the folder given (SKIP_FOLDER_LINK), or to the folder it is in
    or one above it, a loop (SKIP_FOLDER_LOOP); None for no link, or a link to another folder inside (its files are
    checked there)."""
    if not os.path.islink(full):
        return None
    target = os.path.realpath(full)
    if not _inside(target, [root_real]):
        return SKIP_FOLDER_LINK
    if _inside(os.path.realpath(root), [target]):
        return SKIP_FOLDER_LOOP
    return None


def _inside(path: str, roots: list[str]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def _same_file_key(path: str) -> str:
    """One key for every spelling of a path (relative or absolute, `./`, through a linked folder), so that a file
    reached twice is checked once, and two outputs that are one file are refused (refuse_bad_outputs).  The file's
    own name is kept unresolved, as typed: a link to a file is a file of its own (only its folder is resolved)."""
    return os.path.join(os.path.realpath(os.path.dirname(path) or "."), os.path.basename(path))


def _unlisted(out: Scan):
    """os.walk's onerror: a folder that cannot be listed (no permission, gone) is said, not skipped unseen."""
    from ._errors import os_reason

    def onerror(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else ""
        zh, en = os_reason(exc, "zh"), os_reason(exc, "en")
        out.skipped[os.fspath(where)] = Reason(FOLDER_UNLISTED, f"无法读取此文件夹（{zh}），未检查",
                                               f"cannot list this folder ({en}); not checked", detail=(zh, en))
    return onerror


def unlisted_folders(skipped: dict) -> dict:
    """Of a Scan's `skipped`, the folders that could not be listed (no permission): path -> (os reason zh, en).  Their
    files are unknown, not merely not checked: validate fails each (folder.unreadable), consolidate refuses the run
    (a summary lacking a folder's returns would pass for whole, as for a path that does not exist)."""
    # the system's reason as the scan kept it (Reason.detail, which every reason of the code has: _unlisted), never
    # cut back out of the sentence made from it
    return {path: why.detail for path, why in skipped.items()
            if reason_code(why) == FOLDER_UNLISTED}


def refuse_unlisted(skipped: dict) -> None:
    """UsageError (exit 2) naming the folders of `skipped` that could not be listed (unlisted_folders)."""
    unlisted = unlisted_folders(skipped)
    if not unlisted:
        return
    zh = "；".join(f"{display_path(p)}（{why[0]}）" for p, why in unlisted.items())
    en = "; ".join(f"{display_path(p)} ({why[1]})" for p, why in unlisted.items())
    raise UsageError(Bilingual(f"无法读取文件夹：{zh}。其中的申报无法汇总，汇总将不完整，未写入任何文件；请检查文件夹的访问权限后重新汇总",
                               f"cannot read the folder{'s' if len(unlisted) > 1 else ''}: {en}. Their returns cannot "
                               "be summarised and the summary would be incomplete; nothing was written. Check the "
                               "folders' permissions and consolidate again"))


def _others_checked(others: bool) -> tuple[str, str]:
    """The words closing validate's line for a path named that is not there or cannot be read: that the other paths'
    files were checked, only where another path was named and read (`others`); the report is written either way."""
    return (("其余路径中的文件已校验，见报告；退出码 2", "the files of the other paths were checked, see the report; exit code 2")
            if others else ("见报告；退出码 2", "see the report; exit code 2"))


def unreadable_named(path, reason, others: bool = True) -> Bilingual:
    """validate's line for a folder given that cannot be read (`reason`: zh, en), exit 2; `others`: whether another
    path named was read (its files checked), which the line then says."""
    shown = display_path(os.fspath(path))
    zh, en = _others_checked(others)
    return Bilingual(f"错误：无法读取文件夹 {shown}（{reason[0]}），请检查路径和访问权限（{zh}）",
                     f"Error: cannot read the folder {shown} ({reason[1]}); check the path and its permissions ({en})")


def scan(paths, exclude=()) -> Scan:
    """Files given by name are always checked; folders contribute their returns (recursively).

    `exclude` are this run's outputs (files or folders): never read back as inputs.  A file reached by two
    spellings (a folder given relative and absolute, or through a link to it) is checked once, under the first.
    A link in a folder to a file or folder outside it is listed as skipped (SKIP_OUTSIDE: an unpacked archive's link
    may name another department's file), and so is a folder that cannot be listed; a path named is taken as given.
    """
    out = Scan()
    found: dict[str, str] = {}
    excluded = [os.path.realpath(text_path(p)) for p in exclude if p]
    for raw in paths:
        p = os.fspath(raw)
        if not p:  # an empty argument (an unset shell variable) would otherwise search the current folder
            raise UsageError(EMPTY_PATH)
        if isinstance(p, str):  # spelled as the command line spells it (click's Path): ./收到//a.xlsx is 收到/a.xlsx,
            p = os.fspath(Path(p))  # so that the library's paths and the command line's join
        if os.path.isdir(p) and not p.lower().rstrip("/").endswith(WORKBOOK_SUFFIXES):
            root_real = os.path.realpath(p)
            # an output folder that is (or holds) the input folder excludes nothing: its outputs are
            # recognised by their document properties instead
            within = [e for e in excluded if not _inside(root_real, [e])]
            # an output folder in the folder is searched too: a department's returns put there are checked (what
            # xlgoals wrote there is the run's own, passed over: see _sort)
            folders = [e for e in within if os.path.isdir(e)]
            within = [e for e in within if e not in folders]
            for root, dirs, names in os.walk(p, onerror=_unlisted(out)):
                # a folder named like a workbook is reported, not searched; output folders are not searched
                names = names + [d for d in dirs if d.lower().endswith(WORKBOOK_SUFFIXES)]
                for d in dirs:  # os.walk does not follow links to folders: one pointing out of the folder is said
                    full = os.path.join(root, d)
                    if d.startswith(".") and not d.lower().endswith(WORKBOOK_SUFFIXES) and not d.startswith(".xlgoals-"):
                        # a hidden folder (a sync tool's versions, a backup) is not searched, but said: the returns
                        # it may hold are not dropped unseen.  A run's own staging folder is not said.
                        out.skipped[full] = SKIP_HIDDEN_FOLDER
                        continue
                    why = (_folder_link_skipped(full, root, root_real) if not d.lower().endswith(WORKBOOK_SUFFIXES)
                           else None)
                    if why:
                        out.skipped[full] = why
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.lower().endswith(WORKBOOK_SUFFIXES)
                                 and not _inside(os.path.realpath(os.path.join(root, d)), within))
                here = os.path.realpath(root)  # once a folder: a file in it that is no link is here/name
                for name in sorted(names):
                    full = os.path.join(root, name)
                    _sort(out, found, full, name, root_real, within, here, folders)
        else:
            kept = found.setdefault(_same_file_key(p), p)
            out.named.add(kept)  # named, under the spelling kept
            if not os.path.exists(p):  # nothing there now (or a link to nothing): file.missing when read, not vanished
                out.absent.add(kept)
    out.files = sorted(found.values())
    _one_per_file(out)  # a link to a file of the inbox, a hard link: one file, checked once
    # what a folder given under two spellings holds besides its returns is said once too, as they are checked once
    firsts: dict[str, str] = {}
    for path in [*out.skipped, *out.ignored]:
        firsts.setdefault(_same_file_key(path), path)
    kept = set(firsts.values())
    out.skipped = {path: why for path, why in out.skipped.items() if path in kept}
    out.ignored = sorted(path for path in dict.fromkeys(out.ignored) if path in kept)
    return out


_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f-\x9f]')  # C0, DEL and C1 controls too
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def cut_to_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes in UTF-8, at a character's boundary (one cut, not one per character)."""
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) <= limit:
        return text
    while limit > 0 and raw[limit] & 0xC0 == 0x80:  # not inside a character
        limit -= 1
    return raw[:limit].decode("utf-8", "surrogateescape")


def cut_middle(text: str, limit: int) -> str:
    """`text` within `limit` bytes (UTF-8), its middle left out (…): the two ends are what tell names apart (an
    annotated copy's folder and file name; a project's name and its 一期/二期 at its end)."""
    raw = text.encode("utf-8", "surrogateescape")
    if len(raw) <= limit:
        return text
    head = cut_to_bytes(text, limit // 2 - 2)
    room = limit - len(head.encode("utf-8", "surrogateescape")) - len("…".encode())
    start = len(raw) - room
    while start < len(raw) and raw[start] & 0xC0 == 0x80:  # not inside a character: one cut, as cut_to_bytes
        start += 1
    return f"{head}…{raw[start:].decode('utf-8', 'surrogateescape')}"


def safe_filename(text: str, limit: int = 150) -> str:
    """A file name that Windows, macOS and Linux all accept, at most `limit` bytes in UTF-8 (255 is the limit),
    without invisible characters (a zero-width space, a direction mark: a name that looks like another)."""
    from ._text import invisible_stripped

    name = _UNSAFE.sub("_", invisible_stripped(text))
    name = re.sub(r"\s+", " ", name).strip().rstrip(". ")
    if not name or name.upper().split(".")[0] in _RESERVED or name.startswith("."):
        name = f"_{name}"
    return cut_to_bytes(name, limit).rstrip(". ") or "_"


def same_name_in(folder: Path, name: str, listing: dict | None = None) -> Path:
    """The path a file `name` takes in `folder` on Windows and macOS, which compare names without case: an
    existing file whose name differs only in case (甲_ABC.XLSX for 甲_abc.xlsx), else folder/name.  `listing`
    (lower-case name -> name, from ``folder_listing``) spares reading the folder for each name."""
    if listing is None:
        listing = folder_listing(folder)
    return folder / listing.get(name.lower(), name)


def folder_listing(folder: Path) -> dict[str, str]:
    """Lower-case name -> name of what `folder` holds ({} when it does not exist or cannot be read)."""
    try:
        return {n.lower(): n for n in sorted(os.listdir(folder), reverse=True)}
    except OSError:
        return {}


def refuse_missing(paths) -> None:
    """UsageError (exit 2) when a path given does not exist: a mistyped folder would make an empty summary."""
    missing = missing_inputs(paths)
    if missing:
        raise UsageError(Bilingual(*_not_found(missing[0])))


def refuse_folder_to_read(path) -> None:
    """UsageError (exit 2) when the one file `read` is given is a folder (``xlgoals read 收到/``): read takes one
    workbook, validate takes folders."""
    if os.path.isdir(os.fspath(path)):
        shown = display_path(os.fspath(path))
        raise UsageError(Bilingual(
            f"{shown} 是文件夹；read 只读取一个工作簿，请给出其中的一个文件；检查文件夹中的全部申报请用 xlgoals validate {shown}",
            f"{shown} is a folder; read takes one workbook: give one of its files; to check every return in the "
            f"folder, use xlgoals validate {shown}"))


def _not_found(raw) -> tuple[str, str]:
    """The sentences (zh, en) saying the path `raw` given does not exist."""
    shown = display_path(os.fspath(raw))
    zh, en = unmatched_pattern(raw)
    return f"找不到 {shown}{zh}，请检查路径", f"{shown} does not exist{en}; check the path"


def missing_inputs(paths) -> list:
    """The paths given that do not exist (a link to nothing exists: it is listed, as a broken link)."""
    return [raw for raw in as_list(paths) if not os.path.lexists(os.fspath(raw))]


def missing_named(path, others: bool = True) -> Bilingual:
    """validate's line for a path given that does not exist (exit 2); `others`: whether another path named was read
    (its files checked), which the line then says (a folder named beside it that cannot be read is none)."""
    zh, en = _not_found(path)
    said_zh, said_en = _others_checked(others)
    return Bilingual(f"错误：{zh}（{said_zh}）", f"Error: {en} ({said_en})")


def text_path(path):
    """A path given as bytes (``os.listdir(b'.')``, ``os.fsencode``) or an ``os.PathLike`` giving bytes, as the text
    the file system decodes it to (``os.fsdecode``: a name that is not UTF-8, a GBK one from a Windows zip, keeps its
    bytes as surrogate escapes, so it names the same file); any other path (str, Path, None) as it is given."""
    if isinstance(path, bytes) or (isinstance(path, os.PathLike) and isinstance(os.fspath(path), bytes)):
        return os.fsdecode(path)
    return path


def as_list(paths) -> list:
    """Paths given as one path or many, as a list; bytes ones as text (``text_path``)."""
    return [text_path(p) for p in ([paths] if isinstance(paths, (str, bytes, os.PathLike)) else paths)]


def not_used(suffixes: tuple[str, ...]) -> Reason:
    """A file in a folder of inputs (--targets, --previous) not of the `suffixes` taken: NOT_SOURCE, naming them."""
    kinds = "/".join(suffixes)
    return Reason(NOT_SOURCE, f"不是 {kinds} 文件", f"not a {kinds} file")


def documents(paths, suffixes: tuple[str, ...], skipped: dict | None = None, ours: bool = False) -> list[Path]:
    """The files a run takes its inputs from (goal tables for templates, last year's returns): files as
    given, folders searched recursively for `suffixes` as a scan searches them (no hidden folders, no
    droppings, no links out of the folder).  Sorted, each once.  What a folder holds besides is put in
    `skipped` (path -> (reason zh, reason en)), so that the caller can say so: no file is dropped unseen (an
    editor lock file or a hidden file is ignored, SKIP_IGNORED, as a scan ignores and counts it), and no hidden
    folder passed over unseen.  With `ours` (goal tables), a report, summary JSON or CSV table xlgoals wrote found in
    a folder is passed over as one of its outputs (ours_as_text), as a scan passes it over (last year's returns say
    what they want instead: _review._previous)."""
    out: dict[str, Path] = {}
    skipped = {} if skipped is None else skipped
    for raw in as_list(paths):
        p = os.fspath(raw)
        if not os.path.isdir(p):
            out.setdefault(os.path.normpath(p), Path(p))
            continue
        root_real = os.path.realpath(p)
        listed = Scan()  # a folder that cannot be listed: said, as a scan says it
        for root, dirs, names in os.walk(p, onerror=_unlisted(listed)):
            for d in dirs:  # a hidden folder (a sync tool's versions, a backup) is not searched, but said, as a
                # scan says it; a run's own staging folder is not
                full = os.path.join(root, d)
                if d.startswith(".") and not d.startswith(".xlgoals-"):
                    skipped[full] = SKIP_HIDDEN_FOLDER
                elif why := _folder_link_skipped(full, root, root_real):  # os.walk does not follow it: said, as a
                    skipped[full] = why  # scan says it
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                full = os.path.join(root, name)
                if is_dropping(name, full) or (name.startswith(".") and not typed_suffix(name).endswith(suffixes)):
                    skipped[full] = SKIP_IGNORED  # editor lock files, system droppings and other hidden files: as
                    continue  # a scan ignores them, said; a hidden workbook (.申报.xlsx) is taken, as a scan checks it
                if not _inside(os.path.realpath(full), [root_real]):
                    skipped[full] = _dead_link(full) or SKIP_OUTSIDE
                elif ours and (why := not typed_suffix(name).endswith(WORKBOOK_SUFFIXES) and ours_as_text(full, name)):
                    skipped[full] = why  # a report, a summary's JSON or CSV xlgoals wrote: said as ours, as a scan does
                elif not typed_suffix(name).endswith(suffixes):
                    skipped[full] = _dead_link(full) or not_used(suffixes)
                else:
                    out.setdefault(os.path.normpath(full), Path(full))
        skipped.update(listed.skipped)
    return sorted(out.values(), key=str)


def _dead_link(full: str) -> tuple[str, str] | None:
    """Why a link leads to nothing: a broken link (SKIP_BROKEN_LINK), a loop of links (SKIP_LINK_LOOP); None for a
    link that leads to a file or folder, or no link.  (A link os.walk lists as no folder: not a workbook file.)"""
    if not os.path.islink(full):
        return None
    try:
        os.stat(full)
    except OSError as exc:
        return SKIP_LINK_LOOP if exc.errno == errno.ELOOP else SKIP_BROKEN_LINK
    return None


def _pipe_or_device(full: str) -> bool:
    """Whether `full` (a link: what it leads to) is a pipe, a device or a socket: no regular file, and no folder."""
    try:
        mode = os.stat(full).st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def typed_suffix(name: str) -> str:
    """The name as its extension was meant, lower case: full-width letters and dots typed with a Chinese input
    method (申报.ｘｌｓｘ, 申报．xlsx) made plain, and what trails it unseen dropped: a space or a dot (a Mac's
    name; Windows drops them), an ideographic space, a zero-width character."""
    return unicodedata.normalize("NFKC", name).lower().rstrip(" .\u200b\u200c\u200d\u2060\ufeff\u200e\u200f")


#: A name that has no extension, or a workbook's followed by more (a download's, a copy's): not hidden.
_LOST_EXTENSION = re.compile(r"^[^.]+$|^[^.].*\.(?:xlsx|xlsm|xls|ods|et)(?![a-z0-9])", re.IGNORECASE)


def _sort(out: Scan, found: dict, full: str, name: str, root_real: str, excluded: list[str], here: str,
          folders: list[str] = ()) -> None:
    """File `full` (`name` in a folder whose real path is `here`) found under the folder given (`root_real`).
    `excluded`: this run's output files; `folders`: its output folders, where what xlgoals wrote (the run's own:
    yesterday's annotated copies and tables) is listed as such (SKIP_EARLIER), and any other file is sorted as
    everywhere.  Elsewhere, a report or table xlgoals wrote as text is listed as its own (SKIP_OURS), not as a file of
    no workbook."""
    if is_dropping(name, full):
        out.ignored.append(full)
        return
    link = os.path.islink(full)
    real = os.path.realpath(full) if link else os.path.join(here, name)  # no link: its folder, resolved once
    if link and not _inside(real, [root_real]):
        out.skipped[full] = _dead_link(full) or SKIP_OUTSIDE  # a link to nothing is said broken, wherever it points;
        return  # one to a file elsewhere is not followed: an unpacked archive's link may name another's return
    if _inside(real, excluded):
        out.skipped[full] = SKIP_OUTPUT
        return
    if folders and _inside(real, folders) and _written_by_us(full):
        out.skipped[full] = SKIP_EARLIER  # listed, as every file found is: the count adds up
        return
    # a name that lost its extension (申报, 申报.xlsx.download, 旧表.xls(1)): what begins as a zip or a compound
    # file is read for what it is
    typed = typed_suffix(name)
    if typed.endswith(WORKBOOK_SUFFIXES + DOCUMENT_SUFFIXES) \
            or (_LOST_EXTENSION.search(name) and holds_a_workbook(full)):
        # a file that is no link is its own real path: that is its _same_file_key, already resolved
        found.setdefault(_same_file_key(full) if link else real, full)
    elif not name.startswith("."):
        # a report xlgoals wrote is known by its first lines whatever its name (`validate -o 报告.log`); under a name
        # of its own kinds (.json, .csv, .txt) a summary or annotated copy so named is known by its properties too
        out.skipped[full] = (link and _dead_link(full)) or (
            SKIP_SPECIAL if _pipe_or_device(full) else
            SKIP_MAIL if typed.endswith(MAIL_SUFFIXES) else
            ours_as_text(full, name) or (SKIP_SAVE_AS if typed.endswith(SAVE_AS_SUFFIXES) else SKIP_UNKNOWN))
    elif name == TABLES_RECORD and not link and ours_as_text(full, name):  # ours: said, not counted as a dropping
        out.skipped[full] = SKIP_TABLES_RECORD
    else:
        out.ignored.append(full)


def ours_as_text(full: str, name: str) -> tuple[str, str] | None:
    """Why a file found in a folder searched (not named), other than a workbook, is passed over as one xlgoals wrote
    (SKIP_OURS: a report, a summary's JSON or CSV table, known by its first lines, and under a name of their kinds
    a summary or annotated copy so named by its properties; SKIP_TABLES_RECORD: --csv's record of its tables), or
    None.  The one predicate of every folder searched: the returns' (scan), the goal tables' (--targets) and last
    year's (--previous).  A workbook of ours is known by the reader (file.xlgoals_output), when it is read."""
    if name == TABLES_RECORD:
        return SKIP_TABLES_RECORD if _written_by_us(full) else None
    if name.startswith("."):
        return None
    return SKIP_OURS if _written_by_us(full, text_only=not typed_suffix(name).endswith(TEXT_OUTPUT_SUFFIXES)) else None


def named_files(paths) -> set[str]:
    """The files among `paths` given by name (not folders), as ``documents`` keys them: a file of ours named is
    read (the user meant it), one found in a folder passed over."""
    return {os.path.normpath(os.fspath(p)) for p in as_list(paths) if p and not os.path.isdir(os.fspath(p))}


def identity(path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def refuse_outputs_over_inputs(inputs: list, outputs: list, named=None) -> None:
    """UsageError (exit 2) when an output path is an input file (same file after links), before reading.

    `named` are the inputs given by name (a Scan's ``named``; None: every input).  A file that a folder
    scan found at an output's path and that xlgoals itself wrote (the summary of the last run, say) is
    not an input: it is replaced, as the scan would have skipped it.  Anything else there is refused.
    """
    ids = {}
    for p in inputs:
        ident = identity(p)
        if ident is not None:
            ids[ident] = p
    for out in outputs:
        if not out:
            continue
        ident = identity(out)
        if ident in ids:
            found = ids[ident]
            if named is not None and found not in named and _written_by_us(found):
                continue
            shown, given = display_path(os.fspath(out)), display_path(os.fspath(found))
            if named is not None and found in named and _written_by_us(found):  # `收件箱/*` names last run's output
                raise UsageError(Bilingual(
                    f"输出文件 {shown} 是上次运行写入的，这次却作为输入给出（如用了“收件箱/*”）；请给出文件夹本身，"
                    "或换一个输出位置",
                    f"the output {shown} was written by an earlier run but is given as an input this time (a "
                    "'folder/*' pattern?); give the folder itself, or choose another output path"))
            raise UsageError(Bilingual(f"输出文件 {shown} 就是输入文件 {given}，为避免覆盖输入的文件，已停止；请换一个输出位置",
                                       f"the output {shown} is the input file {given}; stopped so as not to "
                                       "overwrite an input. Choose another output path"))


# How the reports and summaries xlgoals writes as text begin, whole lines of them (a department's note that only
# starts alike is not taken for one): validate's text report (zh, en), its JSON and CSV, consolidate's JSON.
_OUR_TEXT = re.compile(
    "|".join((r"共检查 \d+ 个文件：通过 \d+ 个，未通过 \d+ 个；错误 \d+ 处，警告 \d+ 处。\n",
              r"Checked \d+ files?: \d+ passed, \d+ failed; \d+ errors?, \d+ warnings?\.\n",
              r'\{\n  "summary": \{\n    "files": \d+,\n    "passed": \d+,\n    "failed": \d+,\n',
              "\ufeff" + r"file,valid,code,severity,sheet,cell,field,value,expected,message,path(,review_score)?(,form,sha256)?(,file_bytes)?(,annotated)?\r\n",
              r'\{\n  "summary": \{"title": "[^"\n]*", "columns": \[',
              r'\{\n  "xlgoals_csv_tables": \d+,\n')).encode())  # consolidate --csv's record of its tables

# How `read -o` writes its JSON: the document, or with --trace the document first and then where each value was
# found.  Known as ours only at read's own output path (refuse_existing_outputs' `ours`): a JSON document is a
# return too (validate checks it, fill fills from it), which no scan of an inbox may take for a report.
_READ_JSON = re.compile((r'\{\n(  "document": \{\n  )?  "schema_version": "\d+",\n  (  )?"framework": "[^"\n]*",\n'
                         ).encode())


def _regular_head(path, n: int) -> bytes | None:
    """The first `n` bytes of the regular file at `path`; None where nothing readable is there, or no regular file
    (not blocking on a pipe's open, then known by its descriptor: a folder, a pipe is no file of ours)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return fh.read(n)
    except OSError:
        return None


def written_by_read(path) -> bool:
    """Whether the regular file at `path` begins as ``xlgoals read -o`` writes its JSON (_READ_JSON)."""
    head = _regular_head(path, 4096)
    return head is not None and _READ_JSON.match(head) is not None


_TRACE_KEYS = {"document", "sources", "template", "sha256", "problems"}


def refuse_other_read_output(path, text: str, source, sha256: str, force: bool = False) -> None:
    """UsageError (exit 2) unless `force` when the file at read's output `path` looks like read's JSON
    (written_by_read: what let it past refuse_existing_outputs) but is not provably read's own output of this input:
    every JSON return begins so (a department's return kept under that name, read's output of another workbook).
    Replaced are only a file holding `text` already, or the document in it (what read makes of this input: nothing
    is lost), and read's --trace output recording this input's SHA-256 `sha256` (the same workbook, read again: in
    another language, with other rules)."""
    if force or not path or descriptor_of(path) is not None:
        return
    new = text.encode("utf-8")
    # read once: the file's beginning says whether it looks like read's JSON (as written_by_read judges), the
    # rest whether it holds what is read now; a JSON return far larger is no such output, and is not read whole
    bound = max(len(new), 1) * 4 + (1 << 20)
    old = _regular_head(path, bound + 1)
    if old is None:
        return  # nothing there, nothing readable, no regular file: written_by_read's answer too (the writer says the rest)
    if _READ_JSON.match(old[:4096]) is None:
        return
    if len(old) <= bound:
        if old == new:
            return
        import json

        with contextlib.suppress(ValueError, RecursionError):
            found, made = json.loads(old.decode("utf-8")), json.loads(text)
            if isinstance(made, dict) and set(made) == _TRACE_KEYS:
                made = made["document"]
            if found == made:  # the document read now, as it stands there (read before, plain)
                return
            if sha256 and isinstance(found, dict) and set(found) == _TRACE_KEYS and found["sha256"] == sha256:
                return
    from ._errors import add_force

    shown, given, (zh, en) = display_path(os.fspath(path)), display_path(os.fspath(source)), add_force()
    raise UsageError(Bilingual(
        f"输出文件 {shown} 已存在，看起来是一份 JSON 文档（部门报送的 JSON，或从另一份工作簿读出的结果），"
        f"与这次从 {given} 读出的不同；为免覆盖，已停止。确认要覆盖请{zh}，或换一个输出位置",
        f"the output {shown} already exists and looks like a JSON document (a department's JSON return, or what was "
        f"read from another workbook), not what is read from {given} now; stopped so as not to overwrite it. "
        f"{en[0].upper() + en[1:]} to write over it, or choose another output path"))


#: Within one run (looking_once), what _written_by_us found of each file, by the file's identity and times: the
#: checks before reading and the scan that collects the returns ask of the same files (an output folder in the
#: inbox), which are read once.
_VERDICTS: contextvars.ContextVar[dict | None] = contextvars.ContextVar("xlgoals_written_by_us", default=None)


@contextlib.contextmanager
def looking_once_here():
    """Within it (a command's run: the checks before reading and the scan), each file asked of by _written_by_us is
    read once however often it is asked, as long as it is unchanged (its device, inode, size and modification and
    change times); one changed meanwhile (yesterday's report replaced by a note of that name) is read again."""
    if _VERDICTS.get() is not None:  # within a run that remembers already
        yield
        return
    token = _VERDICTS.set({})
    try:
        yield
    finally:
        _VERDICTS.reset(token)


def looking_once(fn):
    """`fn` (a command's run: consolidate, validate) run within looking_once_here."""

    @functools.wraps(fn)
    def run(*args, **kwargs):
        with looking_once_here():
            return fn(*args, **kwargs)

    return run


def _written_by_us(path, text_only: bool = False) -> bool:
    """Whether the file is one xlgoals wrote: a summary or annotated copy (by its document properties), or a
    report, a summary's JSON or one of its CSV tables (by its first lines, as xlgoals writes them); with
    `text_only`, only the latter (a file of any other name: its first lines read, no zip opened).  Within a run
    that remembers (looking_once), a file unchanged since it was asked of is not read again."""
    looks = _looks_ours_as_text if text_only else _looks_ours
    remembered = _VERDICTS.get()
    if remembered is None:
        return looks(path)
    try:
        st = os.stat(path)
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    except OSError:
        return looks(path)
    verdict = remembered.get(key)  # the whole verdict, when asked already, answers the text-only question too
    if verdict is None:
        slot = (*key, "text") if text_only else key
        verdict = remembered.get(slot)
        if verdict is None:
            verdict = remembered[slot] = looks(path)
    return verdict


def written_as_text(path, head: bytes) -> bool:
    """Whether the file at `path`, beginning with `head` (its first 8192 bytes), is a report or summary table xlgoals
    wrote as text: by its first lines (_OUR_TEXT; a --csv table's header, whatever the file is named: a table copied
    as 项目清单 - 副本.csv is still ours, as a copied report is)."""
    if _OUR_TEXT.match(head):
        return True
    return written_as_csv_table(None, head)


def written_as_csv_table(name: str | None, head: bytes) -> bool:
    """Whether a file named `name` that begins with `head` is a summary table consolidate wrote as CSV (a day-old
    ``--csv`` output in the inbox, replaced rather than refused): its name is a table's, and its header line has
    that table's first and last column titles (the ones between may follow the data: 一级指标 names, months); `name`
    None, the header line is any table's, whatever the file's name (a table copied or renamed: known by its first
    line, as a report is; what --csv's folder retires is asked of by name too).  The tables are UTF-8 with a
    BOM, lines ended by CRLF, as Excel's "CSV UTF-8" is: a department's such file (a return saved as CSV, its first
    line the form's title or first rows) is told apart without loading the summaries (csv_table_edges)."""
    stem, _, ext = (name or "").rpartition(".")
    if (name is not None and ext.lower() != "csv") or not head.startswith(b"\xef\xbb\xbf") or b"\r\n" not in head:
        return False
    import csv
    import io

    try:
        titles = next(csv.reader(io.StringIO(head[3:head.index(b"\r\n")].decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return False
    if len(titles) < 2:
        return False
    edges = csv_table_edges()
    if name is not None:
        return (titles[0], titles[-1]) in edges.get(stem, ())
    return any((titles[0], titles[-1]) in pairs for pairs in edges.values())


@functools.lru_cache(maxsize=1)
def csv_table_edges() -> dict[str, frozenset]:
    """Table name -> the (first, last) column titles consolidate writes it with (_consolidate._csv_table_edges: from
    the summaries' own declarations).  Made once and kept in the cache folder (_diskcache) with the code and data
    it was made from; made in a forked child where the summaries are not loaded yet, so that `xlgoals validate 收件箱`
    holding a CSV UTF-8 file loads none of them (nor xlsxwriter, pickle, OpenSSL's hashlib) on its first run either."""
    from . import _diskcache

    def made():
        listed = _edges_made()
        return _edge_sets(listed), listed

    return _diskcache.kept_or_made("csvtables", _table_sources(), made, _edge_sets)


def _edge_sets(listed: dict) -> dict[str, frozenset]:
    """_edges_listed's lists (kept or made) as csv_table_edges gives them: each table's pairs as a set of tuples."""
    return {name: frozenset(tuple(pair) for pair in pairs) for name, pairs in listed.items()}


def _table_sources() -> tuple:
    """The packaged data files the summaries' tables are declared from (the rule table, frameworks, settings)."""
    from ._resources import data_dir

    return tuple(sorted(os.fspath(p) for name in ("schema", "templates") for p in data_dir(name).iterdir()
                        if p.suffix in (".csv", ".json")))


def _edges_listed() -> dict:
    """_consolidate._csv_table_edges as plain data (lists: marshal and the forked child's pipe take them)."""
    from ._consolidate import _csv_table_edges

    return {name: sorted(list(pair) for pair in pairs) for name, pairs in _csv_table_edges().items()}


def _edges_made() -> dict:
    """_edges_listed, in a forked child unless the summaries are loaded already (consolidate) or nothing forks."""
    import sys

    from . import _parallel

    if "xlgoals._consolidate" not in sys.modules and _parallel._FORK:
        ok, made = _parallel._run_forked(lambda _: _edges_listed(), None, 120, None)
        if ok and isinstance(made, dict):
            return made
    return _edges_listed()


def _looks_ours_as_text(path) -> bool:
    """_written_by_us with `text_only`, reading the file's first lines."""
    return _looks_ours(path, text_only=True)


def _looks_ours(path, text_only: bool = False) -> bool:
    """_written_by_us, reading the file."""
    from ._read._safety import FileProblem, open_container

    try:
        if not_a_file(path):  # a pipe named 说明.json (its open would wait for ever), a device: none of ours
            return False
        with open(path, "rb") as fh:
            head = fh.read(8192)
        if written_as_text(path, head):
            return True
        if text_only:
            return False
        # else only a zip (a summary, an annotated copy) is ours, by its document properties: a department's note,
        # a compound file (.xls, .et), a lock file is not read whole and hashed for nothing
        if os.fspath(path).lower().endswith(".csv") or head[:4] not in (b"PK\x03\x04", b"PK\x05\x06"):
            return False
        open_container(path)
    except FileProblem as fp:
        return fp.code == "file.xlgoals_output"
    except OSError:
        return False
    return False


def other_inputs(paths) -> list[str]:
    """Every file among `paths` (files, and every file in folders, however named): inputs other than the returns
    (a rule table, a library, last year's returns, goal tables), which no output may replace."""
    out = []
    for raw in as_list(paths):
        if not raw:
            continue
        p = os.fspath(raw)
        if os.path.isdir(p):
            out += [os.path.join(root, n) for root, _, names in os.walk(p) for n in names]
        else:
            out.append(p)
    return out


def not_a_file(path) -> bool:
    """Whether something other than a regular file stands at `path` (a folder, a pipe, a device): reading it
    could block or never end, and writing an output over it would replace it."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:  # nothing there (or nothing reachable): the reader or writer says so itself
        return False


_OWN_DESCRIPTOR = re.compile(r"/proc/(self|\d+)/fd/(\d+)")


def descriptor_of(path) -> int | None:
    """The open descriptor of this process that an output path names: ``/dev/stdout`` (a link to /proc/self/fd/1),
    ``/dev/fd/2``, /proc/self/fd/N, or a link that leads there; None for any other path, and on a system without
    /proc.  Such an output is written through the descriptor (_atomic.Outputs), whatever it leads to: a file the shell
    redirected to (``-o /dev/stdout > doc.json``: no file someone left to refuse, and no link to replace), a pipe.
    A UsageError when that descriptor is not open."""
    if os.name != "posix":
        return None
    at = os.path.abspath(os.fspath(path))
    for _ in range(40):  # links leading to links, as the system follows them
        folder, name = os.path.split(at)
        try:
            here = os.path.join(os.path.realpath(folder), name)  # /dev/fd is a link to /proc/self/fd
            found = _OWN_DESCRIPTOR.fullmatch(here)
            if found and found[1] in ("self", str(os.getpid())):
                fd = int(found[2])
                try:
                    os.fstat(fd)
                except OSError:  # closed (`>&-`): as a link to nothing it would be replaced (as root, /dev/stdout)
                    shown = display_path(os.fspath(path))
                    raise UsageError(Bilingual(
                        f"输出 {shown} 指向本次运行的文件描述符 {fd}，但它没有打开（例如标准输出已被关闭）；未写入任何文件",
                        f"the output {shown} names this run's file descriptor {fd}, which is not open (the standard "
                        "output closed, say); nothing was written")) from None
                return fd
            if not os.path.islink(at):
                return None
            at = os.path.normpath(os.path.join(os.path.dirname(at), os.readlink(at)))
        except (OSError, ValueError):
            return None
    return None


def link_to_folder(path) -> bool:
    """Whether `path` is a link to a folder: as an output, an entry of its own that the output would replace (the
    link only: what it points to is never written through), not a place that is no file.  A link to a pipe or a
    device (``-o /dev/stdout``, a link to /proc/self/fd/1) is refused as the pipe or device is (not_a_file_output):
    with --force, as root, the system's /dev/stdout link was replaced."""
    return os.path.islink(path) and os.path.isdir(path)


def link_refused(target) -> Bilingual:
    """Why an output that is a link to a folder is refused without --force: someone put that link
    there; writing would replace the link itself and leave what it points to as it is."""
    from ._errors import add_force

    p = os.fspath(target)
    shown, (zh, en) = display_path(p), add_force()
    try:
        where = display_path(os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p))))
    except OSError:
        where = "?"
    return Bilingual(f"输出路径 {shown} 是指向文件夹 {where} 的链接；写入只会替换这个链接本身，文件夹不会改动。为免替换别人放的链接，"
                     f"已停止。确认要替换请{zh}，或换一个输出位置",
                     f"the output path {shown} is a link to a folder ({where}); writing would replace the link "
                     f"itself and leave the folder as it is. Stopped so as not to replace a link someone put there. "
                     f"{en[0].upper() + en[1:]} to replace it, or choose another output path")


def refuse_dangling_link(target) -> None:
    """UsageError when an output folder's path is a link to nothing: the run writes into the folder through it, so
    the outputs would land wherever it points (another folder, another disk), where the clerk would not find them.
    (An output file's link is replaced, never written through: Outputs.path.)"""
    p = os.fspath(target)
    if os.path.islink(p) and not os.path.exists(p):
        shown = display_path(p)
        try:
            where = display_path(os.readlink(p))
        except OSError:
            where = "?"
        raise UsageError(Bilingual(f"输出路径 {shown} 是指向不存在位置（{where}）的链接，写入会落到别处，已停止；"
                                   "请删除该链接或换一个输出位置",
                                   f"the output path {shown} is a link to something that does not exist ({where}); "
                                   "writing would put the output elsewhere, so nothing was written. Remove the link "
                                   "or choose another output path"))


def refuse_workbook_folder(folder) -> None:
    """UsageError when a folder a run writes its files into is named as a workbook (``--annotate 标注.xlsx``): a
    folder made under that name looks like a workbook, will not open, and the next scan of its folder reports it;
    or as a CSV or JSON file (``--csv 汇总.csv``, as --json takes a file): the tables were not meant in a folder."""
    name = Path(os.fspath(folder)).name
    typed = typed_suffix(name)
    if _format_named(typed):
        # --csv 汇总.csv, as --json takes a file: a folder of that name, the tables inside, is not what was meant
        shown, ext = display_path(os.fspath(folder)), typed.rsplit(".", 1)[-1]
        raise UsageError(Bilingual(f"输出文件夹 {shown} 以 .{ext} 结尾，像文件名，但这里应为文件夹（每个表写一个文件在其中）；"
                                   "请换一个文件夹名称（如 汇总表格）",
                                   f"the output folder {shown} ends in .{ext}, like a file, but a folder is needed "
                                   "here (one file per table is written into it); choose another folder name (such "
                                   "as tables)"))
    if not typed.endswith(WORKBOOK_SUFFIXES):
        return
    shown, ext = display_path(os.fspath(folder)), name.rsplit(".", 1)[-1]
    raise UsageError(Bilingual(f"输出文件夹 {shown} 以 .{ext} 结尾，像工作簿的文件名，但这里应为文件夹（输出的文件写在其中）；"
                               "请换一个文件夹名称（如 标注副本）",
                               f"the output folder {shown} ends in .{ext}, like a workbook, but a folder is needed "
                               "here (the files are written into it); choose another folder name (such as annotated)"))


#: The extensions of the files the commands write (a workbook, a report, a document).
OUTPUT_EXTENSIONS = frozenset({"xlsx", "json", "csv", "txt"})


def only_an_extension(value) -> bool:
    """Whether an output file's name is nothing but an extension the commands write, blanks before it or none
    (``.json``, `` .xlsx``, ``　.csv`` typed with a Chinese input method): a hidden file, or one named by blanks."""
    stem, dot, ext = unicodedata.normalize("NFKC", os.path.basename(os.fspath(value))).rpartition(".")
    return bool(dot) and not stem.strip(TRAILING_BLANKS) and ext.lower() in OUTPUT_EXTENSIONS


def refuse_blank_name(target, folder: bool = False) -> None:
    """UsageError when an output's name (its last part) is nothing but white space (``json_path="   "``,
    ``csv_dir="表/　"``), or a file's nothing but an extension (only_an_extension): no file or folder is written
    that nobody sees, or sees as blank."""
    raw = os.fspath(target)
    name = os.path.basename(os.path.normpath(raw)) if isinstance(raw, str) else ""
    blank = bool(name) and not name.strip(TRAILING_BLANKS)
    if not blank and (folder or not isinstance(raw, str) or not only_an_extension(raw)):
        return
    if blank:
        shown = printable(name)
        raise UsageError(Bilingual(f"输出{'文件夹' if folder else '文件'}的名称“{shown}”只有空白，请给出名称",
                                   f"the output {'folder' if folder else 'file'} name '{shown}' is only white space; "
                                   "give a name"))
    raise UsageError(only_an_extension_said(raw))


def only_an_extension_said(value, stems: tuple[str, str] | None = None) -> Bilingual:
    """What an output named by nothing but an extension (only_an_extension) is told, on the command line and in the
    library alike; with `stems` (a name in zh and en, such as 校验结果 / report) an example keeps the extension typed
    (``-o .json``: 校验结果.json, not a text report's name)."""
    name = os.path.basename(os.fspath(value))
    shown = printable(name)
    ext = "." + unicodedata.normalize("NFKC", name).rpartition(".")[2].lower()
    zh, en = (f"（如 {stems[0]}{ext}）", f" (such as {stems[1]}{ext})") if stems else ("", "")
    return Bilingual(f"输出文件名“{shown}”只有扩展名，没有名称（会写成隐藏文件或名称为空白的文件）；请给出文件名{zh}",
                     f"the output name '{shown}' is only an extension (it would be a hidden file or one named by "
                     f"blanks); give a file name{en}")


def refuse_bad_outputs(outputs: list, folders=()) -> None:
    """UsageError before anything is read when an output is not a file (a folder, a pipe, a device: writing
    would replace it), or when two of a run's outputs are one file (the same path, or one path reached through a
    linked folder: the later would silently replace the earlier), or when an output's name is blank or only an
    extension (refuse_blank_name).  An output file that is a link (even to nothing) is replaced by the output, never
    written through (Outputs.path), so two links to one file are two outputs; a folder is written into through its
    link, so an output folder that is a link to nothing is refused (refuse_dangling_link)."""
    for target in (o for o in outputs if o):
        refuse_blank_name(target)
    for folder in (f for f in folders if f):
        refuse_blank_name(folder, folder=True)
    seen: dict[str, object] = {}
    for target in (o for o in outputs if o):
        if descriptor_of(target) is not None:  # -o /dev/stdout: written through, whatever it leads to
            continue
        if not_a_file(target) and not link_to_folder(target):  # a link to a folder: an entry of its own (link_refused)
            raise UsageError(not_a_file_output(target))
        real = _same_file_key(os.fspath(target))  # the link itself
        if real in seen:
            first, second = display_path(os.fspath(seen[real])), display_path(os.fspath(target))
            raise UsageError(Bilingual(f"两个输出指向同一个文件：{first} 与 {second}，请分别指定不同的输出位置",
                                       f"two outputs are one file: {first} and {second}; give each its own path"))
        seen[real] = target
    for folder in (f for f in folders if f):  # a folder the run writes into, at or under an output file's path
        refuse_dangling_link(folder)
        real = os.path.realpath(folder)
        clash = next((t for r, t in seen.items() if _inside(real, [r])), None)
        if clash is not None:
            where, what = display_path(os.fspath(folder)), display_path(os.fspath(clash))
            raise UsageError(Bilingual(f"输出文件夹 {where} 与输出文件 {what} 位置冲突，请分别指定不同的输出位置",
                                       f"the output folder {where} and the output file {what} clash; give each its "
                                       "own path"))
        refuse_workbook_folder(folder)


def refuse_existing_outputs(outputs, force: bool = False, inputs=(), ours=None) -> None:
    """UsageError (exit 2) unless `force` when a file already stands at an output path (or where a link there points)
    that xlgoals did not write as a summary or report (``_written_by_us``): a department's workbook, a note, last
    year's plan kept under that name; or a link to a folder (link_refused: with `force` the link
    itself is replaced, what it points to never touched).  Yesterday's summary or report is replaced, as the daily run
    needs, and so is a file the command's own `ours` (a test of a path) says it wrote (read's JSON).  An output
    that is one of the run's `inputs` (files or folders) is refused as that first, --force or not."""
    refuse_outputs_over_inputs(other_inputs(inputs), [o for o in outputs if o])  # the worst mistake first
    if force:
        return
    for target in (o for o in outputs if o and descriptor_of(o) is None):  # -o /dev/stdout: the shell's to clobber
        if link_to_folder(target):  # a link to a folder: replaced (the link only) with --force
            raise UsageError(link_refused(target))
        if os.path.isfile(target) and not _written_by_us(target) and not (ours is not None and ours(target)):
            from ._errors import add_force

            if os.path.basename(os.fspath(target)) == TABLES_RECORD and os.path.islink(target):
                raise UsageError(_record_link_refused(target))
            shown, (zh, en) = display_path(os.fspath(target)), add_force()
            raise UsageError(Bilingual(f"输出文件 {shown} 已存在，且不是 xlgoals 写入的汇总或报告；为免覆盖，已停止。"
                                       f"确认要覆盖请{zh}，或换一个输出位置",
                                       f"the output {shown} already exists and is no summary or report xlgoals wrote; "
                                       f"stopped so as not to overwrite it. {en[0].upper() + en[1:]} to write over it, or "
                                       "choose another output path"))


def _record_link_refused(target) -> Bilingual:
    """The --csv folder's record (TABLES_RECORD) is a link to a file xlgoals did not write: the clerk never named that
    hidden file, so the message says what it is, where the link points, and that --force replaces the link only (the
    record is never written through a link: _consolidate._render.render_csv)."""
    from ._errors import add_force, given_as

    p = os.fspath(target)
    folder, option, (zh, en) = display_path(os.path.dirname(p) or "."), given_as("--csv", "csv_dir"), add_force()
    try:
        where = display_path(os.path.normpath(os.path.join(os.path.dirname(p), os.readlink(p))))
    except OSError:
        where = "?"
    return Bilingual(f"{option} 文件夹 {folder} 中的 {TABLES_RECORD}（xlgoals 记下所写 CSV 表格的文件）是指向 {where} 的链接，"
                     f"而那个文件不是 xlgoals 写入的；为免替换别人放的链接，已停止。确认要替换请{zh}（只替换这个链接，它指向的文件"
                     f"不会改动），或换一个 {option} 文件夹",
                     f"{TABLES_RECORD} in the {option} folder {folder} (where xlgoals records the CSV tables it "
                     f"wrote) is a link to {where}, a file xlgoals did not write; stopped so as not to replace a link "
                     f"someone put there. {en[0].upper() + en[1:]} to replace it (the link only: the file it points to "
                     f"is left as it is), or choose another {option} folder")


def guard_outputs(paths, files: list, folders: list = (), also=(), force: bool = False) -> None:
    """Before anything is read, a UsageError for outputs that would lose something: output `files` (and the
    `folders` a run writes into) that are not files or collide (refuse_bad_outputs), an output that is an input
    (refuse_outputs_over_inputs) or any other file in the input folders that xlgoals did not write (a note a
    department sent), or one of the run's other inputs `also` (files or folders: a rule table, last year's
    returns), an existing file at an output path that xlgoals did not write, unless `force`
    (refuse_existing_outputs), and a folder that cannot be written (check_writable)."""
    refuse_bad_outputs(files, folders=folders)
    found = scan(as_list(paths), exclude=[f for f in folders if f])  # an output folder's own files are the run's
    everything = [*found.files, *(f for f, why in found.skipped.items() if why != SKIP_OUTPUT), *found.ignored]
    refuse_outputs_over_inputs(everything, files, named=found.named)
    refuse_outputs_over_inputs(other_inputs(also), files)
    refuse_existing_outputs(files, force)
    for folder in (f for f in folders if f):  # a folder first: its files are the run's, named by no one
        check_writable(folder, folder=True)
    for target in (f for f in files if f):
        check_writable(target)


def guard_out_dir(out_dir) -> None:
    """UsageError (exit 2) before anything is read when a folder a run writes its files into is not one (a file,
    /dev/null), is a link to nothing, is named as a workbook, or cannot be written."""
    refuse_dangling_link(out_dir)
    refuse_workbook_folder(out_dir)
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise UsageError(Bilingual(f"输出文件夹 {display_path(os.fspath(out_dir))} 不是文件夹，请指定一个文件夹",
                                   f"the output folder {display_path(os.fspath(out_dir))} is not a folder; give one"))
    check_writable(out_dir, folder=True)


def refuse_out_dir_in_folders(out_dir, inputs, out_option: str, in_option: str) -> None:
    """UsageError (exit 2) before anything is read or written when the folder a run writes workbooks into is a
    folder given as input (`inputs`: files or folders, `in_option`'s), or lies inside one: the workbooks would
    land among the inputs (template --targets 目标表 --out-dir 目标表: self-evaluations among the goal tables), and
    the next run on that folder (consolidate, validate, template --targets: folders are searched with their
    subfolders) would read them as returns.  A file given as input is no folder: its own folder may take them."""
    from ._errors import given_as

    out_real = os.path.realpath(text_path(out_dir))
    # the folders out_dir is or lies in, by identity: a case-insensitive file system (Windows, macOS) takes ./Targets
    # for ./targets, which realpath leaves spelled as typed (the part not yet made is no folder: skipped)
    ancestors, at = [], out_real
    while True:
        if (key := identity(at)) is not None:
            ancestors.append((at, key))
        up = os.path.dirname(at)
        if up == at:
            break
        at = up
    for raw in as_list(inputs):
        p = text_path(raw)
        if not p or not os.path.isdir(p) or os.fspath(p).lower().rstrip("/\\").endswith(WORKBOOK_SUFFIXES):
            continue
        folder = os.path.realpath(p)
        same = next((a for a, key in ancestors if key == identity(folder)), None)  # out_dir or a folder it is in
        if _inside(out_real, [folder]) or same is not None:
            out, given = display_path(os.fspath(out_dir)), display_path(os.fspath(p))
            itself = out_real == folder or same == out_real
            where, where_en = ("就是", "is") if itself else ("位于", "lies inside")
            o, i = given_as(out_option), given_as(in_option)
            raise UsageError(Bilingual(
                f"输出文件夹 {out}（{o}）{where} {i} 给出的文件夹 {given}：生成的工作簿会与其中的输入文件混在一起，"
                f"下次校验、汇总或生成时会被当作申报读入；请另选一个不在 {given} 之中的输出文件夹。未写入任何文件",
                f"the output folder {out} ({o}) {where_en} the folder {given} given with {i}: the workbooks "
                f"written would lie among the files read, and the next validate, consolidate or template run on "
                f"that folder would read them as returns. Choose an output folder outside {given}. Nothing was "
                "written"))


def check_writable(target, folder: bool = False) -> None:
    """UsageError when the folder an output goes to cannot be written, before any input is read: the output file
    `target`, or with `folder` the folder `target` a run writes its files into (named as such).  A path the system
    refuses to look up (a name longer than its 255 bytes) is refused so too."""
    from ._errors import os_reason

    if not folder and descriptor_of(target) is not None:  # -o /dev/stdout: written through, no folder written
        return
    shown = display_path(os.fspath(target))
    what, what_en = (f"文件夹 {shown}", f"the folder {shown}") if folder else (f" {shown}", shown)
    try:
        place = Path(target) if folder or (Path(target).is_dir() and not os.path.islink(target)) else Path(target).parent
        while not place.exists() and place != place.parent:
            place = place.parent
        is_folder = place.is_dir()
    except OSError as exc:
        raise UsageError(Bilingual(f"无法写入{what}（{os_reason(exc)}）",
                                   f"cannot write {what_en} ({os_reason(exc, 'en')})")) from None
    where = display_path(os.fspath(place))
    if not is_folder:  # a file where the path needs a folder (报告.txt/x.xlsx)
        raise UsageError(Bilingual(f"无法写入{what}：{where} 是文件，不是文件夹",
                                   f"cannot write {what_en}: {where} is a file, not a folder"))
    if not os.access(place, os.W_OK | os.X_OK):
        raise UsageError(Bilingual(f"无法写入{what}：文件夹 {where} 不可写",
                                   f"cannot write {what_en}: the folder {where} is not writable"))
    try:  # and a file really made there and removed: os.access says "writable" where a write fails (root, whose
        _probe_writing(place)  # mode bits are not checked, on a read-only or immutable folder, /sys; an SMB share
    except OSError as exc:  # whose server refuses what the client's mode bits allow), found otherwise at the end
        import errno

        zh = en = ""
        if exc.errno not in (errno.EACCES, errno.EPERM):
            zh, en = f"（{os_reason(exc)}）", f" ({os_reason(exc, 'en')})"
        raise UsageError(Bilingual(f"无法写入{what}：文件夹 {where} 不可写{zh}",
                                   f"cannot write {what_en}: the folder {where} is not writable{en}")) from None


def _probe_writing(folder: Path) -> None:
    """Make an empty file in `folder` and remove it; OSError when it cannot be made.  Named as the outputs'
    temporary files are (``.xlgoals-<pid>-<host>-….part``): hidden from a scan, and one left by a run killed
    between the two steps is cleaned up as theirs are."""
    import secrets

    from ._atomic import host_tag

    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        probe = folder / f".xlgoals-{os.getpid()}-{host_tag()}-{secrets.token_hex(4)}-probe.part"
        try:
            fd = os.open(probe, flags, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        os.unlink(probe)
        return


def not_a_file_output(target) -> Bilingual:
    """Why an output that is not a regular file (a folder, a pipe, a device) is refused."""
    shown = display_path(os.fspath(target))
    return Bilingual(f"无法写入 {shown}（不是普通文件，请指定一个文件路径）",
                     f"cannot write {shown} (not a regular file; give a file path)")


def refuse_workbook_name(out) -> None:
    """UsageError (exit 2) unless a workbook output's name ends in .xlsx (any case): the bytes are .xlsx, and
    under another name (.xls, .json, none) Excel warns that the file's format and extension do not match."""
    name = Path(os.fspath(out)).name
    if name.lower().endswith(".xlsx") and len(name) > len(".xlsx"):
        return
    shown = display_path(os.fspath(out))
    raise UsageError(Bilingual(f"输出的工作簿 {shown} 的扩展名须为 .xlsx（写入的是 .xlsx 工作簿，扩展名不符时 Excel 打开会"
                               "警告），请指定以 .xlsx 结尾的文件名",
                               f"the workbook output {shown} must have the extension .xlsx (it is an .xlsx workbook; "
                               "under another extension Excel warns when opening it)"))


#: The report formats a text output's name says (validate -o): the one the report is written in.
_REPORT_SUFFIXES = {".json": "json", ".csv": "csv"}

#: What a pasted name often ends in, unseen: white space (a tab, a full-width or no-break space) and zero-width marks.
TRAILING_BLANKS = " \t\r\n\f\v\u00a0\u3000\u200b\u200c\u200d\u2060\ufeff\u200e\u200f"


def without_trailing_blanks(value: str) -> str:
    """A name as typed, without what trails it unseen (TRAILING_BLANKS): the command line writes ``-o "x.csv "``,
    pasted with its space, as x.csv (and says so)."""
    return value.rstrip(TRAILING_BLANKS)


def named_format(out) -> str | None:
    """The text format an output's name says, "json" or "csv" (any case, typed full-width, followed by unseen
    white space), or None for any other name."""
    return _format_named(typed_suffix(without_trailing_blanks(Path(os.fspath(out)).name)))


def _format_named(typed: str) -> str | None:
    """The report format a name as typed (typed_suffix) ends in, with a name before it: "json", "csv" or None."""
    for suffix, fmt in _REPORT_SUFFIXES.items():
        if typed.endswith(suffix) and len(typed) > len(suffix):
            return fmt
    return None


def refuse_misnamed(out, fmt: str, option: str, keyword: str) -> None:
    """UsageError (exit 2) before anything is read when an output that can only be written as `fmt` ("json") is named
    as another format (``read -o x.csv``, ``consolidate --json 汇总.csv``): a script or Excel opening it by its name
    would find another format; or named as `fmt` typed full-width (``汇总．ＪＳＯＮ``: refuse_full_width_suffix).
    `option` and `keyword`: the output as the command line and the library name it."""
    named = named_format(out) if out else None
    if named is None:
        return
    from ._errors import given_as

    if named == fmt:
        refuse_full_width_suffix(out, fmt, given_as(option, keyword))
        return

    shown, given = display_path(os.fspath(out)), given_as(option, keyword)
    stem = without_trailing_blanks(Path(os.fspath(out)).name).rsplit(".", 1)[0] or "输出"
    also = also_en = ""
    if keyword == "json_path":  # consolidate writes its tables as CSV too, one file each, into a folder
        csv_given = given_as("--csv", "csv_dir")
        also = f"；要 CSV 表格，请用 {csv_given} 给出一个文件夹（每个表写一个 CSV 文件）"
        also_en = f"; for CSV tables give a folder with {csv_given} (one CSV file per table)"
    raise UsageError(Bilingual(f"输出文件 {shown} 的扩展名表示 {named.upper()} 格式，但 {given} 写入的是 {fmt.upper()} 文档；"
                               f"请换用以 .{fmt} 结尾的文件名（如 {stem}.{fmt}）{also}",
                               f"the output {shown} is named as {named.upper()} but {given} writes a {fmt.upper()} "
                               f"document; use a name ending in .{fmt} (such as {stem}.{fmt}){also_en}"))


def refuse_full_width_suffix(out, fmt: str, given: str) -> None:
    """UsageError (exit 2) when an output named as `fmt` ("json") has that extension typed full-width (j．ＪＳＯＮ,
    j.ｊｓｏｎ: a Chinese input method's): it would be written under that name, which a script globbing *.json, or
    Windows opening it by its extension, does not take for JSON.  The message gives the name in half-width letters
    (`given`: the option or keyword, as given_as says it)."""
    plain = without_trailing_blanks(Path(os.fspath(out)).name)
    typed = plain[-len(fmt) - 1:]
    if typed.lower() == f".{fmt}" or unicodedata.normalize("NFKC", typed).lower() != f".{fmt}":
        return  # half-width, or the extension followed by something else (a trailing dot)
    shown, meant = display_path(os.fspath(out)), plain[:-len(fmt) - 1] + f".{fmt}"
    raise UsageError(Bilingual(f"输出文件 {shown}（{given}）的扩展名是全角字符（用中文输入法输入的），按此名写入后，"
                               f"脚本和程序按扩展名认不出它是 {fmt.upper()} 文件；请改用半角的扩展名：{meant}",
                               f"the output {shown} ({given}) has its extension typed in full-width characters (a "
                               f"Chinese input method's); under that name scripts and programs do not know it for "
                               f"{fmt.upper()} by its extension. Use a half-width extension: {meant}"))


def report_format(out, fmt: str, given: bool) -> str:
    """The format of validate's report written to `out`: `fmt`, or, when --format was not `given`, the one the
    name says (`-o 校验结果.csv` is a CSV, `.json` a JSON document; any other name the text report).  A --format
    the name contradicts (`--format json -o r.csv`) would put one format under another's name, which Excel or a
    script then cannot read: a UsageError (exit 2) before anything is read."""
    if not out:
        return fmt
    named = named_format(out)
    if named is None:
        return fmt
    if fmt == named or not given:  # (its extension typed full-width: refused, as consolidate --json's is)
        from ._errors import given_as

        refuse_full_width_suffix(out, named, given_as("-o", "out"))
        return named
    shown = display_path(os.fspath(out))
    raise UsageError(Bilingual(f"输出文件 {shown} 的扩展名表示 {named.upper()} 格式，但 --format 为 {fmt}；"
                               f"请去掉 --format（按扩展名写成 {named.upper()}），或换用与格式相符的扩展名",
                               f"the output {shown} is named as {named.upper()} but --format is {fmt}; leave out "
                               f"--format (the name's format, {named.upper()}, is written) or use a name that "
                               "matches the format"))


def refuse_report_name(out, kind: str = "JSON") -> None:
    """UsageError (exit 2) when a text output (a JSON, CSV or text report; `kind`: "JSON", "CSV" or "text") is given a workbook's
    name (.xlsx, .xls, …): Excel would try to open it as a workbook and fail.  Any other name is accepted."""
    if not out:
        return
    name = Path(os.fspath(out)).name
    if not name.lower().endswith(SPREADSHEET_SUFFIXES):
        return
    shown, ext = display_path(os.fspath(out)), name.rsplit(".", 1)[-1]
    suggest = {"JSON": ".json", "CSV": ".csv"}.get(kind, ".txt")
    # a text report named for Excel: the CSV report is the one Excel opens
    csv_zh, csv_en = ("；要用 Excel 打开，请写成 .csv（CSV 格式的报告）", "; to open it in Excel, name it .csv (the "
                      "report in CSV)") if kind == "text" else ("", "")
    kind_zh = {"text": "文本报告"}.get(kind, f" {kind} 文本")
    kind_en = {"text": "a text report"}.get(kind, f"{kind} text")
    raise UsageError(Bilingual(f"输出文件 {shown} 以 .{ext} 结尾，但写入的是{kind_zh}，Excel 无法打开；"
                               f"请换用其他扩展名（如 {suggest}）{csv_zh}",
                               f"the output {shown} ends in .{ext} but is {kind_en}, which Excel cannot open; "
                               f"use another extension (such as {suggest}){csv_en}"))


#: The kind of text each report format (``validate --format``) writes, as refuse_report_name names it
REPORT_KINDS = {"text": "text", "json": "JSON", "csv": "CSV"}


def guard_report_outputs(paths, out, annotate_dir, fmt: str = "text", inputs=(), force: bool = False) -> list[str]:
    """Before anything is read, what ``validate`` refuses to write: the report `out` (in the format `fmt`) and the
    folder of annotated copies `annotate_dir` over the returns under `paths` or the run's other `inputs` (last
    year's returns, a library, goal tables, a rule table: files or folders), over a file xlgoals did not write
    (unless `force`) or a report named as a workbook (guard_outputs, refuse_report_name); one whose .json or .csv
    was typed full-width is refused before, by report_format.  Returns those other inputs' files (folders walked once), which
    no annotated copy may replace either."""
    others = other_inputs(inputs)
    guard_outputs(paths, [out], [annotate_dir], also=others, force=force)
    refuse_report_name(out, REPORT_KINDS.get(fmt, "text"))
    return others


def guard_single_output(out, inputs=(), workbook: bool = True, kind: str = "JSON", option: str = "-o",
                        keyword: str = "out") -> None:
    """Before anything is read, a UsageError (exit 2) for a command's one output file: an output that is not a
    regular file (a pipe, a device), one that is an input (`inputs`: files or folders), a workbook not named .xlsx
    (or a text output named as a workbook, or a JSON one named as another format: `option`, `keyword`), or one in a
    folder that cannot be written."""
    if not out:
        return
    refuse_bad_outputs([out])
    refuse_outputs_over_inputs(other_inputs(inputs), [out])  # the worst mistake first: an input overwritten
    if workbook:
        refuse_workbook_name(out)
    else:
        refuse_report_name(out, kind)
        if kind == "JSON":
            refuse_misnamed(out, "json", option, keyword)
    check_writable(out)


def hidden_name(path: str) -> bool:
    """Whether a file's name is one nobody at the bureau sees in its folder: a hidden file's (``.申报.xlsx``, a
    program's backup or a sync tool's copy), or Excel's lock file's (``~$申报.xlsx``, which Excel writes hidden; one
    holding a workbook is checked, as the collector checks it, but ranks after the file shown under the real name)."""
    return os.path.basename(path).startswith((".", "~$"))
