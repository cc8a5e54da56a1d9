"""Consolidate, stage 1: collect.  Read and validate every return in parallel, spool, dedupe.

Each worker reads and validates one file and appends a small ReturnRecord plus the form's
item rows, rendered once for the workbook (and pickled for CSV/JSON when asked), to a file of
its own; the main process keeps where they are (a Slot each), so memory does not grow with
the rows and their bytes never pass through it while the returns are read.
What a record holds of a document is the summary's business (``_tables``): collect knows
no form.
"""

from __future__ import annotations

import enum
import functools
import os
import pickle
import re
import shutil
import stat
import sys
import tempfile
from collections import defaultdict, namedtuple
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .._check._figures import held_out
from .._check._validate import (check_files, check_return, content_digest, counted, crash_report, json_documents, json_kind, read_as_annotated,
                                 validate_file, vanished_report)
from .._config import Config
from .._paths import SKIP_XLGOALS, as_list, beside_original, hidden_name, refuse_unlisted, scan
from .._problems import ERROR, NOTICE, WARNING, value_text
from .._read._safety import annotated_copy, edited_copy
from .._text import display_path, invisible_shown
from ._xlsxrows import widest_numbers


class Status(enum.Enum):
    """A return's outcome, with its labels in Chinese and English."""

    OK = ("ok", "通过", "passed")
    INVALID = ("invalid", "未通过", "failed")
    UNREADABLE = ("unreadable", "无法读取", "unreadable")
    SKIPPED = ("skipped", "未检查", "not checked")

    def __init__(self, code: str, zh: str, en: str):
        self.code, self.zh, self.en = code, zh, en

    def label(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


#: A problem of a return as its record in a summary keeps it (``ReturnRecord.problems``): a Problem's severity, code,
#: sheet, cell (a JSON document's: its JSON pointer) and Chinese message, by name (``rec.problems[0].code``) or by
#: place as the tuple it is (spooled and pickled with the record: the whole Problem is ``validate``'s)
RecordProblem = namedtuple("RecordProblem", "severity code sheet cell message")


@dataclass
class ReturnRecord:
    """What a worker sends back for one file (small; item rows travel separately)."""

    path: str
    sha256: str = ""
    content: str = ""  # a digest of the document as read: two files that read the same (a return saved again)
    mtime_ns: int = 0
    status: Status = Status.UNREADABLE
    errors: int = 0
    warnings: int = 0
    problems: list = field(default_factory=list)  # RecordProblem (severity, code, sheet, cell, message) each
    form: str = ""
    framework: str = ""
    values: dict = field(default_factory=dict)  # the header values the summary lists (see _tables)
    n_items: int = 0
    item_widest: tuple = ()  # the widest number of each column of its item rows (sizes the summary's columns)
    category_counts: dict = field(default_factory=dict)  # (level1, level2) -> [quantitative, qualitative]
    review_score: int | None = None  # with consolidate(review=True)
    review_top: list = field(default_factory=list)  # its most important review problems: (code, sheet, cell, message)
    review_incomplete: bool = False  # it has a problem the score counts that is not the review's (a required field empty)
    # reviewed, but not scored (review_score None), and why: "unfilled" (review.unfilled), "unreadable"
    # (review.unreadable: what was filled in could not be read), "framework_unknown" (review.framework_unknown),
    # "no_indicators" (review.no_indicators: a goal table with no indicator);
    # "" where scored or not reviewed
    review_unscored: str = ""
    notices: int = 0
    json_document: bool = False  # a JSON document (its problems are at JSON pointers, in the cell's place)
    # filled in by the main process
    spool: tuple = (0, 0, 0, 0)  # source, offset, length of rendered rows, length of pickled rows (see Spool)
    included: bool = False
    duplicate: bool = False
    note: str = ""
    # a duplicate's (kept file, both spellings or "", how alike): duplicate_words; a monitoring report's of another
    # month: (kept file, spellings, "superseded" or "earlier_counted", (its month, the kept one's month))
    duplicate_of: tuple | None = None
    # with the review, what review.copied_between_projects compares across the run (FileReport.copy_marks): sent to
    # the main process in the Slot's info, not kept in the spool
    copy_marks: tuple | None = None


def process_file(path: str, config: Config, summary, keep_rows: bool = False,
                 review=None, targets=None, *, spool_dir: str):
    """Worker: read + validate one file (with `targets`, its locked values against its goal table, as
    ``validate --targets``); the summary extracts what it lists of the document.

    The record, the item rows rendered as SpreadsheetML (UTF-8 bytes) and, with `keep_rows`, the rows
    themselves pickled (for CSV/JSON output) are appended to this process's own file in `spool_dir`; what
    goes back to the main process is where they are and what the record's Slot needs (see Spool).

    A JSON document (as the collector marked it: json_documents) is checked as ``validate`` checks one; one a folder
    gave that is another program's JSON gives ``(None, why, path)``: listed as not checked, nothing spooled.
    """
    kind = json_kind(path)
    report = check_return(path, config, True, review, targets) if kind or targets is not None \
        else validate_file(path, config=config, review=review)
    if kind == "found":
        from .._check._jsondoc import skip_reason

        why = skip_reason(report)
        if why is not None:
            return None, why, str(path)
    rec, xml, rows = record_of(report, path, summary, keep_rows, config, review)
    return _spooled(functools.partial(_spool_own, spool_dir), rec, summary, xml, rows,
                    annotated=EDITED_COPY if edited_copy(report.problems) else annotated_copy(report.problems))


def main_record(report, path: str, summary, keep_rows: bool = False, *, spool):
    """The record of a file the main process reports on itself (put in `spool`'s own file, and told as process_file
    tells a worker's): one whose worker died or overran its time (crash_report), one a folder's listing found that
    was gone when read (vanished_report: moved, renamed or replaced meanwhile)."""
    rec, xml, rows = record_of(report, path, None, keep_rows)
    return _spooled(spool.put, rec, summary, xml, rows)


def crashed_file(path: str, reason: str, config: Config, summary, keep_rows: bool = False, *, spool):
    return main_record(crash_report(path, reason, config), path, summary, keep_rows, spool=spool)


def _spooled(put, rec: ReturnRecord, summary, xml: bytes, rows: bytes, annotated: bool = False):
    """The record packed and appended with its rows by `put`: what the main process hears of a return (where
    its bytes start, the Slot's info, their sizes; `annotated`: the file was refused as an annotated copy)."""
    data, info, xml, rows = pack(rec, summary, xml, rows, annotated)
    return put(data, xml, rows), info, (len(data), len(xml), len(rows))


_OWN: dict = {}  # (spool folder, process id) -> the file this process appends its records to


class SpoolError(OSError):
    """A worker could not write its spool file (a full disk): the run's failure, raised in the main process and
    said as any other file that cannot be written, not a problem of the return it was reading."""


def _spool_own(spool_dir: str, data: bytes, xml: bytes, rows: bytes) -> tuple[str, int]:
    """Append one record and its rows to this worker's own file: (its name, where they start)."""
    name = str(os.getpid())  # a replaced worker is a new process: a file of its own (a dead one's is left as is)
    try:
        fh = _OWN.get((spool_dir, name))
        if fh is None:
            fh = _OWN[(spool_dir, name)] = open(os.path.join(spool_dir, name), "ab")  # noqa: SIM115 (the process's)
        at = fh.tell()
        fh.write(data)
        fh.write(xml)
        fh.write(rows)
        fh.flush()  # on disk before the main process hears of it
    except OSError as exc:
        _OWN.pop((spool_dir, name), None)
        raise SpoolError(exc.errno, exc.strerror, exc.filename or os.path.join(spool_dir, name)) from None
    return name, at


_ONLY = 9  # where a Slot's info holds the code of the record's one problem ("" unless it has exactly one)
_ANNOTATED = 11  # where it holds whether that problem refused an annotated copy xlgoals wrote (not a summary)
EDITED_COPY = "edited"  # info[_ANNOTATED] of an annotated copy edited since xlgoals wrote it (edited_copy): a return
_SHA256 = 12  # where it holds the file's SHA-256 ("" when its bytes could not be read)
_MARKS = 13  # where it holds what review.copied_between_projects compares (None without the review)


def pack(rec: ReturnRecord, summary, xml: bytes, rows: bytes, annotated: bool = False):
    """The record pickled for the spool, and what its Slot needs (made where the return is read, so the main
    process only learns where the bytes are), and whether it was refused as an annotated copy (info[_ANNOTATED]:
    read again as a return when named, a summary never)."""
    marks, rec.copy_marks = rec.copy_marks, None  # (the main process's, in the info: not spooled)
    info = (rec.path, rec.status, rec.mtime_ns, rec.form, rec.n_items, rec.item_widest,
            summary.duplicate_key(rec) if rec.status != Status.UNREADABLE else None,
            summary.order(rec), summary.tiebreak(rec), rec.problems[0][1] if len(rec.problems) == 1 else "",
            rec.json_document, annotated, rec.sha256, marks, targets_said(rec.problems))
    return pickle.dumps(rec, protocol=pickle.HIGHEST_PROTOCOL), info, xml, rows


def targets_said(problems) -> str:
    """How --targets met a return, from its problems ((severity, code, …)): its ``*.targets_unmatched`` code when no
    goal table matched it, its ``*.targets_refused`` when the one that matched it could not be used (its locked
    values compared with none, either way), its ``*.targets_competing`` when its project has differing approvals,
    else ""; counted for the terminal's summary (``ConsolidationResult.targets_lines``)."""
    return next((p[1] for p in problems if p[1].endswith((".targets_unmatched", ".targets_refused"))), None) \
        or next((p[1] for p in problems if p[1].endswith(".targets_competing")), "")


#: How --targets met the returns, as counted (``targets_counts``): the suffix of the code a slot's ``targets`` holds
TARGETS_SAID = (("unmatched", "targets_unmatched"), ("refused", "targets_refused"),
                ("competing", "targets_competing"))


def targets_counts(slots, unreadable: int = 0) -> dict:
    """With --targets: how many returns (duplicates aside, each file once) no goal table matched
    (``targets_unmatched``), how many were matched to one that could not be used (``targets_refused``: a new goal
    table is needed, not a search) and how many belong to a project of competing approvals (``targets_competing``),
    each with how many of them are counted (``…_counted``), and how many goal tables given could not be read at all
    (`unreadable`, ``targets_goal_tables_unreadable``: the unmatched returns' may be among them): the JSON's
    ``counts`` and the terminal's lines (``ConsolidationResult.targets_lines``) say these same figures."""
    out = {"targets_goal_tables_unreadable": unreadable}
    for _, code in TARGETS_SAID:
        slots_said = [s for s in slots if s.targets.endswith("." + code) and not s.duplicate]
        out[code], out[code + "_counted"] = len(slots_said), sum(1 for s in slots_said if s.included)
    return out


def record_of(rep, path: str, summary, keep_rows: bool, config: Config | None = None, review=None):
    from .._form import GOAL_TABLE
    from .._selfeval._targets import goal_digest

    rec = ReturnRecord(path=str(path), sha256=rep.sha256, form=rep.form, json_document=rep.json_document)
    # a JSON document has no cell: where a problem is, its JSON pointer, stands in the cell's place
    where = (lambda p: p.cell or p.path or "") if rep.json_document else (lambda p: p.cell)
    if review is not None:
        from .._review import incomplete_codes, top_notices

        from .._check._validate import unscored

        rec.review_score, rec.notices = rep.review_score, len(rep.notices)
        rec.review_unscored = (unscored(rep.problems, config.rules) or "") if rep.review_score is None else ""
        rec.review_top = [(p.code, p.sheet, where(p), p.message)
                          for p in top_notices(rep.problems, config.rules, review.settings)]
        missing = incomplete_codes(config.rules, review.settings)
        rec.review_incomplete = any(p.code in missing for p in rep.problems)
        rec.copy_marks = rep.copy_marks
    try:
        rec.mtime_ns = os.stat(path).st_mtime_ns
    except OSError:
        pass
    rec.errors, rec.warnings = len(rep.errors), len(rep.warnings)
    rec.problems = [RecordProblem(p.severity, p.code, p.sheet, where(p), p.message) for p in rep.problems]
    doc = rep.document
    if doc is None:
        rec.status = Status.UNREADABLE
        return rec, b"", pickle.dumps([]) if keep_rows else b""
    rec.status = Status.OK if not rep.errors else Status.INVALID
    # (what its form's workbook holds: validate's digest, check_return's duplicate_values; a JSON document's numbers
    # beyond a cell's 15 digits as typed, FileReport.content)
    rec.content = (rep.duplicate_values or {}).get("content") or rep.content or content_digest(doc, rep.form)
    rec.framework = doc.get("framework") or ""
    try:
        # (its amounts as counted: one a reader refused is blank, as in frames())
        # (and a monitoring report's amount warned of as in 万元, held out: held_out)
        # (not one the reader refused, its scale hint beside the error: unread, in no total as it is)
        held = held_out(rep.problems, rep.form, config.rules if config is not None else None, doc) - rep.unread
        # a goal table's digest, as its templates are stamped with it: of the document as read, not as counted
        # (`summary`: a form's, or consolidate's by form, which gives it to a goal table's alone; computed for a
        # goal table's return only)
        form = getattr(summary, "form", None)
        goal = (rep.form or GOAL_TABLE.id) == GOAL_TABLE.id and (form is None or form is GOAL_TABLE)
        kw = {"digest": goal_digest(doc, rep.json_document)} if goal else {}
        # (a target or 分值 typed over, under --targets: scored against the approved ones, as validate scored it)
        scored = rep.scored_as if isinstance(getattr(rep, "scored_as", None), dict) else doc
        rec.values, rows, xml, rec.category_counts = summary.extract(counted(scored, rep.form, rep.unread | held),
                                                                     config, rec.sha256, **kw)
        if rep.cells:  # a monitoring report's cumulative figures' cells (monitor.cumulative_fell)
            rec.values["cells"] = rep.cells
        # 年初预算数 typed over the approved 当年预算 (--targets): the projects' sheet's 说明 says it beside the figure
        # published (held_row_note), from the warning's own values, as 校验结果 lists the warning
        changed = next((p for p in rep.problems if p.code.endswith(".initial_budget_changed")), None)
        if changed is not None:
            rec.values["initial_budget_changed"] = (changed.code, value_text(changed.value), changed.expected)
        if held:
            rec.values["held_out"] = tuple(sorted(path.rsplit("/", 1)[-1] for path in held))
            summary.held_values(rec.values, rep.form)  # (a self-evaluation's total left unrated: held_values)
    except Exception:
        from .._check._jsondoc import is_misshapen

        if not (rep.json_document and is_misshapen(rep.errors)):
            raise  # (a workbook's document is the reader's, a JSON document's of the form's shape: a fault here is
            # the run's to report, as a crash)
        # a JSON document of a shape no workbook holds (its indicators a number): the schema's errors say what is
        # wrong with it; nothing of it can be listed, as nothing of an unreadable workbook is
        rec.status = Status.UNREADABLE
        return rec, b"", pickle.dumps([]) if keep_rows else b""
    rec.n_items, rec.item_widest = len(rows), widest_numbers(rows)
    return rec, xml, pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL) if keep_rows else b""


class TerminalProgress:
    """A progress bar on standard error: ``读取与校验 ███░░ 25/100 (25%)`` (`label` says what is done)."""

    def __init__(self, stream=None, label: str = "读取与校验"):
        self.stream = stream or sys.stderr
        self.label = label
        self.open = False  # a bar drawn on a line not yet ended

    def __call__(self, done: int, total: int) -> None:
        if total and (done == total or done % 25 == 0):
            pct = done * 100 // total
            bar = "█" * (pct // 4) + "░" * (25 - pct // 4)
            self.open = done != total
            self.stream.write(f"\r{self.label} {bar} {done}/{total} ({pct}%)" + ("" if self.open else "\n"))
            self.stream.flush()

    def end(self) -> None:
        """The run stopped before its last file (a configuration fault, Ctrl-C): the bar's line is ended, so that
        what is said next starts a line of its own."""
        if self.open:
            self.open = False
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass


def progress_callback(progress, **bar) -> Callable[[int, int], None] | None:
    """``progress`` as given to consolidate(): a callable, True (a bar), False, or None (a bar on a terminal).
    `bar` are the TerminalProgress's own arguments (its `label`)."""
    if callable(progress):
        return progress
    if progress is None:
        progress = sys.stderr.isatty()
    return TerminalProgress(**bar) if progress else None


_SHARED: dict = {}


def _shared(x):
    """One copy of a recurring value (a unit's name, its pinyin sort key) for all the slots that hold it."""
    if isinstance(x, str):
        return sys.intern(x)
    if isinstance(x, tuple):
        kept = _SHARED.get(x)  # seen before (the usual case): its parts are shared already
        if kept is not None:
            return kept
        x = tuple(_shared(v) for v in x)
        return _SHARED.setdefault(x, x) if len(_SHARED) < 100_000 else x
    return x


class Slot:
    """What stays in memory of one return while a summary is made: its place in the spool, how it sorts,
    what the duplicate rule needs, and the decisions taken.  The record itself waits on disk."""

    __slots__ = (
        "at",
        "copies",
        "duplicate",
        "duplicate_of",
        "form",
        "included",
        "item_widest",
        "json_document",
        "key",
        "mtime_ns",
        "n_items",
        "note",
        "order",
        "patch",
        "path",
        "rows_size",
        "size",
        "src",
        "status",
        "targets",
        "tiebreak",
        "xml_size",
    )

    def __init__(self, info: tuple, at: int, size: int, xml_size: int, rows_size: int, src: int = 0):
        (self.path, self.status, self.mtime_ns, self.form, self.n_items, widest, key, order, self.tiebreak, _,
         self.json_document, _, _, self.copies, self.targets) = info
        self.item_widest = _shared(widest)  # a few widths recur across all returns
        # a few hundred units and forms recur across tens of thousands of returns: keep one copy of each
        self.key = None if key is None else tuple(_shared(x) for x in key)
        self.order = tuple(self.path if x == self.path else _shared(x) for x in order)
        self.src, self.at, self.size, self.xml_size, self.rows_size = src, at, size, xml_size, rows_size
        self.included, self.duplicate, self.note = False, False, ""
        self.duplicate_of = None
        self.patch = None  # what the main process adds to the record (review.copied_between_projects): _patched


_KEEP_OPEN = 64  # worker files a sealed spool reads in place (one a worker: a large server's cores); others are copied


class Spool:
    """Where the records and their rows wait on disk: the main process's unnamed temporary file (source 0), and
    the files the workers append to themselves (process_file), so a return's bytes never cross a pipe nor are
    written twice: the main process, which shares the cores with the workers, only learns where they are.

    The workers' files live in a private folder while the returns are read; ``seal()`` then opens each and
    removes its name (and the folder), so every file is gone with the run however it ends after that."""

    def __init__(self):
        self._files: list = [tempfile.TemporaryFile(prefix="xlgoals-spool-")]
        self._names: dict[str, int] = {}
        self.dir: str | None = None

    def worker_dir(self) -> str:
        """The folder the workers append their files in (made on first use), named after this process: one a run
        killed outright left (a SIGTERM or kill -9 runs no clean-up) is removed by the next run."""
        if self.dir is None:
            _remove_dead_spools(tempfile.gettempdir())
            self.dir = tempfile.mkdtemp(prefix=f"xlgoals-spool-{os.getpid()}-")
        return self.dir

    def put(self, *parts: bytes) -> tuple[str, int]:
        """Append bytes to the main process's file: ("", where they start), as a worker tells its own."""
        main = self._files[0]
        try:
            main.seek(0, os.SEEK_END)
            at = main.tell()
            for part in parts:
                main.write(part)
            main.flush()
        except OSError as exc:  # a full disk, a file-size limit: the run's failure, as a worker's (SpoolError)
            raise SpoolError(exc.errno, exc.strerror) from None
        return "", at

    def source(self, name: str) -> int:
        """The source number of the file a worker named ("" for the main process's); the file is opened by
        ``seal()``."""
        if not name:
            return 0
        src = self._names.get(name)
        if src is None:
            if self.dir is None or os.sep in name or name in (".", ".."):
                raise ValueError(f"no worker spool file {name!r}")
            src = self._names[name] = len(self._names) + 1
        return src

    def read(self, src: int, at: int, size: int) -> bytes:
        fh = self._files[src]
        if hasattr(os, "pread"):
            return os.pread(fh.fileno(), size, at)
        fh.seek(at)  # pragma: no cover - no pread (Windows)
        return fh.read(size)

    def seal(self, slots: Sequence = ()) -> None:
        """Every worker has finished: open their files and take their names away.  Each replaced worker (a crash,
        a timeout) and, in a daemon, each return has a file of its own: beyond the largest 64, a file's bytes
        are copied into the main process's and its `slots` pointed there, so the run holds a few files open
        however many there were (a thousand held open ran out of file handles)."""
        if self.dir is None:
            return
        main = self._files[0]
        paths = {src: os.path.join(self.dir, name) for name, src in self._names.items()}
        sizes = {src: os.path.getsize(path) for src, path in paths.items()}
        kept = sorted(sizes, key=lambda src: (-sizes[src], src))[:_KEEP_OPEN]
        moved = {}  # a worker's source -> (the source it is read from now, what is added to its offsets)
        for src in sorted(sizes):
            if src in kept:
                self._files.append(open(paths[src], "rb"))  # noqa: SIM115 (closed by close())
                moved[src] = (len(self._files) - 1, 0)
                continue
            try:
                main.seek(0, os.SEEK_END)
                moved[src] = (0, main.tell())
                with open(paths[src], "rb") as fh:
                    shutil.copyfileobj(fh, main, 1 << 20)
            except OSError as exc:
                raise SpoolError(exc.errno, exc.strerror) from None
        try:
            main.flush()
        except OSError as exc:
            raise SpoolError(exc.errno, exc.strerror) from None
        for slot in slots:
            if slot.src:
                slot.src, shift = moved[slot.src]
                slot.at += shift
        self._names.clear()
        for name in os.listdir(self.dir):  # those no record is in too (a worker that died before telling)
            os.unlink(os.path.join(self.dir, name))
        os.rmdir(self.dir)
        self.dir = None

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


_SPOOL_DIR = re.compile(r"^xlgoals-spool-(\d+)-[^/\\]+$")


def _remove_dead_spools(folder: str) -> None:
    """Remove the spool folders in `folder` that a run of this user killed outright left (its process is gone)."""
    from .._atomic import left_by_dead_runs

    for path in left_by_dead_runs(folder, _SPOOL_DIR):
        try:
            st = os.lstat(path)
        except OSError:
            continue
        mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()  # another user's is theirs to clean
        if stat.S_ISDIR(st.st_mode) and mine:
            shutil.rmtree(path, ignore_errors=True)


#: A record's count of each severity (ReturnRecord.errors, warnings, notices; a patch's keys, ``_patch``)
_COUNT_OF = {ERROR: "errors", WARNING: "warnings", NOTICE: "notices"}


class RecordStore(Sequence):
    """Every record, in summary order, read back from the spool one at a time: memory stays flat however
    many returns there are.  Indexing and iterating give full ReturnRecords."""

    def __init__(self, spool, slots: list[Slot]):
        self.spool, self.slots = spool, slots
        #: the count a duplicate's return.duplicate adds to ("errors", "warnings" or "notices", by the rule table's
        #: severity; None: not counted); files named one by one alike, as validate tells their duplicates too
        self.duplicate_count: str | None = None

    @classmethod
    def of(cls, records, summary) -> RecordStore:
        """A store of records made elsewhere (their `included` and `note` kept), in the given order."""
        spool = Spool()
        slots = []
        for rec in records:
            data, info, _, _ = pack(rec, summary, b"", b"")
            _, at = spool.put(data)
            slot = Slot(info, at, len(data), 0, 0)
            slot.included, slot.duplicate, slot.note = rec.included, rec.duplicate, rec.note
            slot.duplicate_of = rec.duplicate_of
            slots.append(slot)
        return cls(spool, slots)

    def __len__(self) -> int:
        return len(self.slots)

    def _load(self, slot: Slot) -> ReturnRecord:
        rec = pickle.loads(self.spool.read(slot.src, slot.at, slot.size))
        rec.included, rec.duplicate, rec.note = slot.included, slot.duplicate, slot.note
        rec.duplicate_of = slot.duplicate_of
        rec.spool = (slot.src, slot.at + slot.size, slot.xml_size, slot.rows_size)
        if slot.patch is not None:
            _patched(rec, slot.patch)
        if self.duplicate_count and said_duplicate(slot):
            # the return.duplicate validate gives it, counted as validate and frames count it (its note says it)
            setattr(rec, self.duplicate_count, getattr(rec, self.duplicate_count) + 1)
        return rec

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._load(s) for s in self.slots[i]]
        return self._load(self.slots[i])

    def __iter__(self):
        for slot in self.slots:
            yield self._load(slot)

    def by_path(self):
        """The records in path order (the 校验结果 listing)."""
        for slot in sorted(self.slots, key=lambda s: s.path):
            yield self._load(slot)


@dataclass
class Collected:
    """Every record, in summary order, with the spool they and their rows wait in; every other file accounted for."""

    records: RecordStore
    skipped: dict  # path -> (zh, en) why it was not checked
    spool: Spool | None  # its files, open until the result goes
    ignored: list = field(default_factory=list)  # editor and system droppings
    targets: list = field(default_factory=list)  # Problems on the goal tables given with targets= that did not serve
    previous: bool = False  # last year's returns were given (review, --previous): the goal tables were compared
    reviewed: bool = False  # the review ran (review=True): the summary has its 审核 sheets, whatever the form
    include_invalid: bool = False  # failing returns are counted (include_invalid=True): a failing duplicate is a duplicate
    not_documents: int = 0  # of `skipped`, the JSON files a folder gave that proved no return's document

    def item_xml(self):
        """The rendered rows of every counted return, in summary order."""
        for s in self.records.slots:
            if s.included and s.xml_size:
                yield self.spool.read(s.src, s.at + s.size, s.xml_size)

    def item_rows(self):
        for s in self.records.slots:
            if s.included and s.rows_size:
                yield from pickle.loads(self.spool.read(s.src, s.at + s.size + s.xml_size, s.rows_size))


_ALIKE = {"identical": ("两份文件完全相同", "the two files are identical"),
          "same": ("两份文件读出的内容相同（只是另存过）", "the two files read the same (saved again)"),
          "differ": ("两份内容不同，请核对", "the two differ: check them"),
          # of one round, this file's amounts held out of the totals as apparently typed in 万元 (held_out), the kept
          # one's not: why the kept one counts, though this one may be the later
          "held": ("本文件的金额疑按万元填写（汇总不计入合计），该文件没有此问题；两份内容不同，请核对",
                   "this file's amounts look entered in 10,000 yuan, the other's do not; the two differ: check them"),
          # a JSON document and a workbook of one project (the JSON read from the workbook, or exported by another
          # system): one return, counted once
          "read": ("JSON 文档与工作簿读出的内容相同（同一份申报）", "the JSON document and the workbook read the same "
                   "(one return)"),
          "read_differ": ("JSON 文档与工作簿内容不同，请核对", "the JSON document and the workbook differ: check them"),
          # an annotated copy the department corrected and sent back, and the file it marks (decide_duplicates'
          # `corrects`): the copy kept ("corrected", said of the file it marks) or, failing where that file passes,
          # that file ("correction_of", said of the copy)
          "corrected": ("该文件是本文件的问题标注副本，由单位修改后重新报送",
                        "it is this file's annotated copy, corrected and sent back by the department"),
          "correction_of": ("本文件是该文件的问题标注副本，由单位修改后重新报送，请核对",
                            "this file is its annotated copy, corrected and sent back by the department: check them")}


def _beside(kept: str, duplicate: str) -> str:
    """The kept file as a note in a summary names it: from the folder it shares with the duplicate (its name alone
    where both lie in one folder, 乙/绩效目标表.xlsx where they lie in 收件箱/甲 and 收件箱/乙), not the bureau's
    whole path, which a printed 说明 wraps over many lines (the 文件路径 column, not printed, has it); the path as
    given where the two share no folder but the root."""
    try:
        common = os.path.commonpath([os.path.dirname(os.path.abspath(kept)), os.path.dirname(os.path.abspath(duplicate))])
        shown = os.path.relpath(os.path.abspath(kept), common)
    except ValueError:  # two drives
        return kept
    return kept if os.path.splitdrive(common)[1] in ("", os.sep) else shown


def _rounds_words(how: str, months: tuple, shown: str, lang: str) -> str:
    """What is said of a report of another round than the one kept (`months`: the report's month, the kept one's):
    replaced by the later month's report (``superseded``), or, failing, counted as the earlier month's instead
    (``earlier_counted``)."""
    from .._form.monitoring import months_said

    def said(m) -> str:  # a month no report can have (none, 0, 13, true in a JSON document): not "1-0月"
        if type(m) is int and 1 <= m <= 12:
            return months_said(m, lang)
        return "unreadable-month" if lang == "en" else "月份无法识别的"

    mine, theirs = (said(m) for m in months)
    if lang == "en":
        if how == "superseded":
            return f"this {mine} report is replaced by the {theirs} report, {shown}, which counts"
        return f"this {mine} report fails validation: the earlier {theirs} report, {shown}, counts instead"
    if how == "superseded":
        return f"{mine}报告已由 {theirs}报告取代，以 {shown} 为准"
    return f"{mine}报告未通过校验，计入的是较早的 {theirs}报告（{shown}）"


#: The words that start a report of another round than the one kept, in place of 重复申报 (a note; the command line)
ROUNDS_SAID = {"superseded": ("较早月份的报告", "Earlier month's report"),
               "earlier_counted": ("较晚月份的报告", "Later month's report")}


def duplicate_words(duplicate_of: tuple, lang: str = "zh", note: bool = True, duplicate: str | None = None,
                    show=None) -> str:
    """What is said of a duplicate (`duplicate_of`: the file kept instead, both spellings or "", how alike the two
    are): with `note`, its note in 项目清单 and 校验结果 (重复申报（名称写法不同：…），以 乙.xlsx 为准，…); without, the
    words after the file on the command line's line, which says 重复申报 itself (以 乙.xlsx 为准，…); in English
    (`lang` "en") the note either way.  With `duplicate` (the duplicate's own path), the kept file is named from the
    folder the two share (_beside)."""
    kept, spelt, how, *months = duplicate_of
    if duplicate is not None:
        kept = _beside(kept, duplicate)
    shown = show(kept, lang) if show is not None else display_path(kept)  # (show: shown_path, on the terminal)
    if how in ROUNDS_SAID:  # one project's reports of two months: two rounds, not a resubmission to check
        said = _rounds_words(how, months[0], shown, lang)
        spelling = ("" if not spelt else f" (spelt differently: {spelt})" if lang == "en"
                    else f"（名称写法不同：{spelt}）")
        return f"{said}{spelling}"
    alike = _ALIKE[how][lang == "en"]
    if lang == "en":  # a note: "a duplicate; 乙.xlsx counts instead, …"; after "Duplicate (not counted …):" (not
        # `note`: the command line's and validate's words) only what follows, not "Duplicate: a duplicate"
        spelling = f" (spelt differently: {spelt})" if spelt else ""
        if not note:
            return f"{shown} counts instead{spelling}, {alike}"
        return f"a duplicate{spelling}; {shown} counts instead, {alike}"
    said = f"{f'（名称写法不同：{spelt}），' if spelt else ''}以 {shown} 为准，{alike}"
    if not note:
        return said
    return f"重复申报{said}" if spelt else f"重复申报，{said}"


def _values(r) -> dict:
    """A record's (or validate's stand-in's) extracted values; {} for one that has none."""
    return getattr(r, "values", None) or {}


def _round(rank) -> int:
    """The round a duplicate's `tiebreak` rank names: a monitoring report's month ((month, 填报日期)); 0 for a form
    of one round (a rank that is no tuple)."""
    return rank[0] if isinstance(rank, tuple) else 0


def said_duplicate(r) -> bool:
    """Whether validate gives the return `r` (a record or Slot decide_duplicates marked) return.duplicate: a duplicate
    left out, other than a JSON document beside a workbook of its project with the same content (``xlgoals read``'s
    output left there: no second version of a return)."""
    return bool(r.duplicate and r.duplicate_of and r.duplicate_of[2] != "read")


def decide_duplicates(records: list, key: Callable, names: Callable, tiebreak: Callable,
                      load: Callable = lambda r: r, corrects=None) -> None:
    """The same key (canonical unit and project) more than once: keep one, by one documented rule.

    Among the reports of one round (a form of one round: all of them; a monitoring report's: those of one month,
    `tiebreak` giving (month, rank)) the kept one is a workbook before a JSON document (the return as sent, its
    problems at its cells, before the JSON read from it: a workbook whose locked cells were typed over is not
    passed by its copy); then the one that passes validation; among equals, a file shown in its folder before a
    hidden one (``.申报.xlsx``, a program's backup or a sync tool's copy, which nobody at the bureau sees; a workbook
    named as Excel's lock file, ``~$申报.xlsx``, which Excel hides, alike: _paths.hidden_name); then an
    annotated copy the department corrected and sent back before the file it marks (`corrects`: such a copy's path
    -> that file's, both of the run; the note says which corrects which, ``corrected``, ``correction_of``); then the
    one `tiebreak` ranks highest (the latest 填报日期); then the most recently modified file; among those, the last
    path in sort order.  Of the rounds, the later month's report counts, unless it fails validation and an earlier
    one passes: that one counts instead, and the note of each says which (``ROUNDS_SAID``: the earlier report
    replaced by the later; the later failing, the earlier counted instead), not a duplicate to check.
    The others are listed, not counted, with a note naming the kept file
    and, where the names were written differently, both spellings (invisible characters shown); it says
    whether the two files are the same, read the same (a return saved again), or differ and should be checked.  A
    JSON document and a workbook of one project (the JSON ``xlgoals read`` wrote from the workbook, left beside it)
    are duplicates by the same rule, and the note says they are a document and a workbook.
    `records` may be stand-ins (the spool's slots): `load` gives a duplicate's whole ReturnRecord, once.
    """
    corrects = corrects or {}
    groups: dict = defaultdict(list)
    for r in records:
        k = key(r) if r.status != Status.UNREADABLE else None
        if k:
            groups[k].append(r)
    for items in groups.values():
        if len(items) < 2:
            continue
        # a workbook before a JSON document of one round: the stamped form is the return, and a document read from
        # it cannot carry its template's errors (a locked cell typed over): a tampered workbook is not passed by its
        # copy; of the rounds, the later (a monitoring report's month) unless it fails and an earlier one passes
        rank = {id(r): tiebreak(r) for r in items}  # once per record
        rounds: dict = defaultdict(list)
        for r in items:
            rounds[_round(rank[id(r)])].append(r)
        paths = {r.path for r in items}
        marked = {corrects[p] for p in paths if p in corrects}  # files of the group a corrected copy in it marks
        best = [max(rs, key=lambda r: (not r.json_document, r.status == Status.OK,
                                       not hidden_name(r.path), r.path not in marked,
                                       rank[id(r)], r.mtime_ns, r.path)) for rs in rounds.values()]
        keep = max(best, key=lambda r: (r.status == Status.OK, _round(rank[id(r)])))
        kept = load(keep)
        for r in items:
            if r is not keep:
                got = load(r)
                spelt = "" if names(got) == names(kept) else \
                    f"{invisible_shown(names(got))} / {invisible_shown(names(kept))}"
                how = "identical" if got.sha256 and got.sha256 == kept.sha256 else \
                    "same" if got.content and got.content == kept.content else "differ"
                if how != "identical" and got.json_document != kept.json_document:  # a document and a workbook
                    how = "read" if how == "same" else "read_differ"
                elif how == "differ" and _values(got).get("held_out") and not _values(kept).get("held_out"):
                    how = "held"  # (its amounts held out as in 万元, the kept one's not: why it is not counted)
                mine, theirs = _round(rank[id(r)]), _round(rank[id(keep)])
                if mine != theirs:  # two rounds of one project (1-6月, 1-12月): the later replaces the earlier
                    r.duplicate_of = (keep.path, spelt, "superseded" if mine < theirs else "earlier_counted",
                                      (mine, theirs))
                elif corrects.get(keep.path) == r.path or corrects.get(r.path) == keep.path:
                    # an annotated copy the department corrected, and the file it marks: which corrects which
                    r.duplicate_of = (keep.path, spelt, "corrected" if corrects.get(keep.path) == r.path
                                      else "correction_of")
                else:
                    r.duplicate_of = (keep.path, spelt, how)
                r.note = duplicate_words(r.duplicate_of, duplicate=r.path)
                r.included = False
                r.duplicate = True


def _copied_between(slots: list, store, config: Config, review, include_invalid: bool, said: set | None = None,
                    new: list | None = None) -> list:
    """review.copied_between_projects among the returns read (``_review._across``), every version of a project
    compared, as validate compares every file: a duplicate, not counted, is not flagged, and is named only where no
    return counted of its project is the same (the counted ones come first); so a counted return that is only the
    same as another project's version not counted is flagged all the same, as validate flags it.  Each flagged
    return's record is loaded once and what changes in it (the notices, its score and most important notices) is
    kept in its Slot (``patch``), applied whenever it is read back.  `said`: the ids of the slots flagged so far,
    each flagged once (added to); -> the slots flagged now.

    With `new` (the returns ``_chosen_again`` newly kept: duplicates when the returns were compared, so not
    flagged), they are flagged now where they are the same as another project's return (and, raised to an error,
    fail: the choice is made again); one flagged before keeps its notices (naming the return it was found with)."""
    from .._review._across import copied_between

    said = set() if said is None else said
    if new is not None and not any(s.copies is not None for s in new):
        return []  # (no goal table among them: nothing to compare)
    entries = [(i, s.path, s.copies) for i, s in sorted(enumerate(slots), key=lambda t: t[1].duplicate)
               if s.copies is not None and s.status != Status.UNREADABLE]  # (the counted first: named before)
    found = copied_between(entries, config.rules, review) if len(entries) > 1 else {}
    flagged = []
    for i, problems in found.items():
        s = slots[i]
        if s.duplicate or id(s) in said:
            continue
        said.add(id(s))
        _set_patch(s, _merged(s.patch, _patch(store._load(s), problems, config, review)), include_invalid)
        flagged.append(s)
    return flagged


def _merged(patch: dict | None, more: dict) -> dict:
    """Patch `more` after `patch` (a Slot's, or None): its problems after, its counts added, its score."""
    if patch is None:
        return more
    return {**more, "problems": patch["problems"] + more["problems"],
            **{k: patch[k] + more[k] for k in _COUNT_OF.values()}}


def _set_patch(s, patch: dict, include_invalid: bool) -> None:
    """`patch` (``_patch``) kept in Slot `s`: a return it gives an error (a bureau raised a notice to one) is
    invalid, included as --include-invalid asks."""
    s.patch = patch
    if s.status == Status.OK and patch["errors"]:  # a bureau raised it to an error
        s.status = Status.INVALID
        s.included = include_invalid


def _rounds_compared(slots: list, store, config: Config, review, include_invalid: bool, between: Callable,
                     done: set | None = None) -> set:
    """One project's reports of several rounds, each later one against those of earlier months: what `between` (the
    summary's) finds in it (a cumulative figure fallen, monitor.cumulative_fell) is added to it as a worker's problem
    would be (``_patch``), merged with a patch it has already.  Compared are the report counted, against the earlier
    ones it replaced (``superseded``), and a later month's report that fails while an earlier one counts
    (``earlier_counted``), against every report of an earlier month: sent back to be corrected, it is told of its
    fallen figure with its other errors, not after it is sent again (validate's ``cumulative_between_rounds`` chooses
    and compares the same).  `done`: the ids of the slots compared already (``_chosen_again``), not again; returned
    with those compared now."""
    done = set() if done is None else done
    by_path = {s.path: s for s in slots}
    by_key: dict = defaultdict(list)
    for s in slots:
        if s.key and s.status != Status.UNREADABLE:
            by_key[s.key].append(s)
    earlier: dict = {}  # id(later) -> (the later report, the earlier reports it is compared with)
    for s in slots:
        how = s.duplicate_of[2] if s.duplicate and s.duplicate_of else None
        if how == "superseded" and s.duplicate_of[0] in by_path:
            later = by_path[s.duplicate_of[0]]
            earlier.setdefault(id(later), (later, []))[1].append(s)
        elif how == "earlier_counted":
            before = [x for x in by_key[s.key] if _round(x.tiebreak) < _round(s.tiebreak)]
            if before:
                earlier[id(s)] = (s, before)
    for i, (later, replaced) in earlier.items():
        if i in done:
            continue
        done.add(i)
        rec = store._load(later)
        problems = between([(e.path, store._load(e).values) for e in replaced], rec.values, config.rules)
        if not problems:
            continue
        # (merged with review.copied_between_projects's patch, already in rec)
        _set_patch(later, _merged(later.patch, _patch(rec, problems, config, review)), include_invalid)
    return done


def _chosen_again(slots: list, passed: set, store, summary, config: Config, review, include_invalid: bool,
                  compared: set = frozenset(), said: set | None = None, done: set = frozenset(),
                  corrects=None) -> None:
    """The duplicate choice made again for each project whose kept return the passes between returns
    (``_copied_between``, ``_rounds_compared``) made fail (a bureau raised monitor.cumulative_fell or
    review.copied_between_projects to an error; `passed`: the ids of the slots that passed before them): the
    documented rule (a later report that fails gives way to an earlier one that passes) applied to what is known
    now.  A report newly kept is compared with the earlier rounds it replaces (``_rounds_compared``; `done`, the ids
    of the slots compared there already) and, under review, with the other projects' returns (``_copied_between``:
    `compared`, the ids of the slots compared already; `said`, those flagged), and should that make it (or another
    project's return) fail, the choice is made again (each time a file that passed before: it ends), as validate
    compares every file before it chooses (``copied_between_projects``) and its ``cumulative_between_rounds``
    compares the latest report that passes."""
    everything, passed, compared, done = slots, set(passed), set(compared), set(done)
    while True:
        failed = [s for s in slots if not s.duplicate and s.key and id(s) in passed and s.status != Status.OK]
        keys = {s.key for s in failed}
        group = [s for s in slots if s.key in keys and s.status != Status.UNREADABLE]
        if len(group) <= len(failed):  # no other file of those projects: nothing to choose
            return
        passed -= {id(s) for s in failed}
        for s in group:
            s.duplicate, s.duplicate_of, s.note = False, None, ""
            s.included = s.status == Status.OK or (include_invalid and s.status == Status.INVALID)
        decide_duplicates(group, lambda s: s.key, summary.names, lambda s: s.tiebreak, load=store._load,
                          corrects=corrects)
        changed = {s.key for s in group if not s.duplicate and id(s) in passed}  # (a report newly kept, passing)
        if not changed:
            return
        slots = [s for s in group if s.key in changed]
        flagged = []
        new = [s for s in slots if not s.duplicate and id(s) not in compared]
        if review is not None and new:
            compared |= {id(s) for s in new}
            flagged = _copied_between(everything, store, config, review, include_invalid, said, new)
        if getattr(summary, "between_rounds", None) is not None:
            done = _rounds_compared(slots, store, config, review, include_invalid, summary.between_rounds, done)
        slots += [s for s in flagged if s.key not in changed]  # (another project's, flagged only now)


_Said = RecordProblem  # (the problems a review scores, as the worker's record holds them)


def _patch(rec: ReturnRecord, problems: list, config: Config, review) -> dict:
    """What `problems` change in `rec` (its problems, counts, score and most important notices), as ``record_of``
    would have made them had the worker found them."""
    from .._review import review_score, top_notices

    where = (lambda p: p.cell or p.path or "") if rec.json_document else (lambda p: p.cell)
    added = [RecordProblem(p.severity, p.code, p.sheet, where(p), p.message) for p in problems]
    said = [_Said(*t) for t in rec.problems + added]
    patch = {"problems": added, "errors": sum(p.is_error for p in problems),
             "warnings": sum(p.severity == WARNING for p in problems),
             "notices": sum(p.severity == NOTICE for p in problems)}
    if rec.review_score is not None:
        patch["review_score"] = review_score(said, config.rules, review.settings)
        patch["review_top"] = [(p.code, p.sheet, p.cell, p.message)
                               for p in top_notices(said, config.rules, review.settings)]
    return patch


def _patched(rec: ReturnRecord, patch: dict) -> None:
    rec.problems = rec.problems + patch["problems"]
    rec.errors += patch["errors"]
    rec.warnings += patch["warnings"]
    rec.notices += patch["notices"]
    if "review_score" in patch:
        rec.review_score, rec.review_top = patch["review_score"], patch["review_top"]
    if patch["errors"] and rec.status == Status.OK:
        rec.status = Status.INVALID


def collect(paths, summary, config: Config, *, jobs: int | None = None, include_invalid: bool = False,
            keep_rows: bool = False, progress: Callable | None = None, exclude=(), review=None,
            targets=None) -> Collected:
    """Read and validate every return under `paths` (never this run's outputs, `exclude`; with `targets`, a
    loaded TargetSet, each against its goal table)."""
    found = scan(as_list(paths), exclude)
    refuse_unlisted(found.skipped)  # a folder that cannot be listed: its returns unknown, the summary not whole
    json_documents(found)  # JSON documents are returns too, as validate checks them; their kind told once, here
    files, skipped = found.files, dict(found.skipped)
    slots: list[Slot] = []
    not_documents = 0  # the JSON files a folder gave that proved another program's (listed in skipped)
    spool = Spool()
    copies: list[tuple] = []  # the annotated copies named, or edited (a folder's): (path, edited)
    corrects: dict[str, str] = {}  # an edited copy's path -> the path of the file of the run it marks
    digests: dict[str, str] = {}  # path -> SHA-256 of every file read
    try:
        work = functools.partial(process_file, config=config, summary=summary, keep_rows=keep_rows, review=review,
                                 targets=targets, spool_dir=spool.worker_dir())
        crashed = functools.partial(crashed_file, config=config, summary=summary, keep_rows=keep_rows, spool=spool)
        for done, result in enumerate(check_files(work, files, config, jobs, crashed, raises=(SpoolError,)),
                                      start=1):
            if progress:
                progress(done, len(files))
            if result[0] is None:  # another program's JSON in a folder: said, not a failing return (as validate)
                skipped[result[2]] = result[1]
                not_documents += 1
                continue
            (name, at), info, sizes = result
            if info[_SHA256]:
                digests[info[0]] = info[_SHA256]
            # decided when every file's SHA-256 is known; a copy a folder gave, when it was edited since we wrote it
            if info[_ANNOTATED] and (info[0] in found.named or info[_ANNOTATED] == EDITED_COPY):
                copies.append((info[0], info[_ANNOTATED] == EDITED_COPY))
                continue
            only = info[_ONLY] if info[0] not in found.named else ""  # the one problem of a file a folder listed
            if only == "file.xlgoals_output":  # a summary or annotated copy lying in a received folder
                skipped[info[0]] = SKIP_XLGOALS
                continue
            if found.vanished(info[0], info[_ONLY:_ONLY + 1]):  # listed, then gone when read: said so (file.vanished), not 文件不存在
                (name, at), info, sizes = main_record(vanished_report(info[0], config), info[0], summary, keep_rows, spool=spool)
            slots.append(Slot(info, at, *sizes, src=spool.source(name)))
        for path, edited in copies:
            original = found.original_of(path, digests)  # the run's file the copy marks, if any
            if original is not None and not edited:  # our copy as we wrote it, named with the file it marks
                skipped[path] = beside_original(original)  # said, not read (that return over again)
                continue
            if original is not None:  # edited since: the department's correction of that file, a return; the
                corrects[path] = original  # duplicate rule settles the two, its note saying which corrects which
            # an annotated copy sent back corrected: read as the return it is, in a bounded child as every other
            # (a summary stays refused, not read again)
            (name, at), info, sizes = read_as_annotated(work, path, config, crashed, raises=(SpoolError,))
            if found.vanished(info[0], info[_ONLY:_ONLY + 1]):  # gone meanwhile: file.vanished, as any file
                (name, at), info, sizes = main_record(vanished_report(info[0], config), info[0], summary, keep_rows,
                                                      spool=spool)
            slots.append(Slot(info, at, *sizes, src=spool.source(name)))
        spool.seal(slots)
        for s in slots:
            s.included = s.status == Status.OK or (include_invalid and s.status == Status.INVALID)
        store = RecordStore(spool, slots)
        store.duplicate_count = _COUNT_OF.get(config.rules.rules["return.duplicate"].severity)
        # records are read back from the spool only for the few returns that are duplicates
        decide_duplicates(slots, lambda s: s.key, summary.names, lambda s: s.tiebreak, load=store._load,
                          corrects=corrects)
        passed = {id(s) for s in slots if s.status == Status.OK}
        compared, said = set(), set()
        if review is not None:  # across the returns counted: another project's the same (a worker saw one return)
            compared = {id(s) for s in slots if not s.duplicate}
            _copied_between(slots, store, config, review, include_invalid, said)
        if getattr(summary, "between_rounds", None) is not None:  # one project's rounds: a cumulative figure fell
            done = _rounds_compared(slots, store, config, review, include_invalid, summary.between_rounds)
        else:
            done = set()
        _chosen_again(slots, passed, store, summary, config, review, include_invalid, compared, said, done,
                      corrects)
        for s in slots:
            s.copies = None  # (no longer needed)
        slots.sort(key=lambda s: (s.form, s.order))  # forms never mixed in one sort (their keys differ)
    except BaseException:
        spool.close()
        end = getattr(progress, "end", None)  # a TerminalProgress's line, left open mid-run
        if end is not None:
            end()
        raise
    return Collected(store, dict(sorted(skipped.items())), spool, found.ignored, include_invalid=include_invalid,
                     not_documents=not_documents)
