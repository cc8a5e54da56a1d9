"""Last year's returns (``--previous PATH...``), indexed by unit + project for the review.

Workbooks are read like any return; JSON files may be a document or the output of
``xlgoals read --trace`` (``{"document": …}``).  Names are matched as ``name_key`` folds them (NFKC, no
whitespace, every bracket form alike); a return none matches is told the near names there are.  A path that does not exist is a usage error; a file that cannot be used is a
``review.previous_unreadable`` notice naming it, and the review goes on without it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .._errors import ConfigError
from .._paths import SOURCE_SUFFIXES, corrected_copies, documents, superseded
from .._form import FORMS, GOAL_TABLE
from .._pointers import get
from .._problems import Problem
from .._text import Bilingual, NearNames, display_path, in_lang, name_key

UNREADABLE = "review.previous_unreadable"
SUPERSEDED = "review.previous_superseded"


def key_of(doc) -> tuple[str, str] | None:
    """(unit, project) of a document, as names are matched (``name_key``); None without both."""
    if not isinstance(doc, dict):
        return None
    unit, project = name_key(get(doc, "/unit")), name_key(get(doc, "/project/name"))
    return (unit, project) if unit and project else None


def _year_of(doc: dict) -> int | None:
    year = doc.get("year")
    return year if isinstance(year, int) and not isinstance(year, bool) else None


def _slim(doc: dict, fw=None) -> dict:
    """What the review compares: the indicators and the narrative sections; and ``bureau_rows``, the indices of the
    indicators that are rows its framework (`fw`) prefills, as prefilled: the bureau's, not the department's (a row
    the framework of this year no longer prefills is no indicator the department dropped)."""
    from ._checks import bureau_rows

    out = {"indicators": [it for it in (get(doc, GOAL_TABLE.table.item_path) or []) if isinstance(it, dict)],
           "year": _year_of(doc), "names": (str(get(doc, "/unit")), str(get(doc, "/project/name")))}
    out["bureau_rows"] = bureau_rows(out["indicators"], getattr(fw, "prefilled_rows", ()) or ())
    for f in GOAL_TABLE.fields:
        if f.kind == "longtext":
            out[f.path] = get(doc, f.path)
    return out


@dataclass
class PreviousIndex:
    """(unit, project) -> the earlier years' indicators and narratives; with the files that could not be used.

    A return is compared with its project's return of the latest year before its own (last year's, where
    given): never with one of its own year or later (this year's returns given again, next year's in the same
    folder), and whatever the files are named.  A document without a year serves a return only when no dated
    one can."""

    docs: dict = field(default_factory=dict)  # key -> [(year or None, path, what the review compares)]
    problems: list = field(default_factory=list)  # Problem per unusable file
    names: dict = field(default_factory=dict)  # key -> (unit, project) as first given, for a return none matches

    def add(self, key, year, path: str, slim: dict, names: tuple = ("", "")) -> None:
        self.docs.setdefault(key, []).append((year, path, slim))
        self.names.setdefault(key, names)

    def near(self, doc) -> tuple[str, str]:
        """The projects given whose names are near this return's (zh, en), each with its file; "" where none."""
        k = key_of(doc)
        if k is None:
            return "", ""
        return NearNames.of(self, self.names).said(k, where=lambda other: display_path(max(self.docs[other], key=lambda e: (
            e[0] or 0, e[1]))[1]))

    def _versions(self, doc) -> list:
        """The entries of the project's latest usable year (of the latest earlier year; else the undated ones)."""
        k = key_of(doc)
        year = _year_of(doc)
        usable = [e for e in self.docs.get(k, ()) if e[0] is not None and (year is None or e[0] < year)] \
            or [e for e in self.docs.get(k, ()) if e[0] is None]
        if not usable:
            return []
        latest = max(e[0] or 0 for e in usable)
        return sorted((e for e in usable if (e[0] or 0) == latest), key=lambda e: e[1])

    def competing(self, doc) -> list[str]:
        """Where the project's return of that year is given in versions of differing content (the original and
        an adjusted goal table, both left in last year's folder), each version's path; [] when there is one.  None
        of them is compared with: file names say nothing of which is final (a corrected annotated copy given beside
        the file it marks is no such pair: that file is passed over, ``review.previous_superseded``)."""
        versions = self._versions(doc)
        if len(versions) < 2 or len({_content(e[2]) for e in versions}) < 2:
            return []
        return [e[1] for e in versions]

    def contents(self, doc) -> int:
        """How many differing contents the project's versions of that year hold (``competing``'s paths may hold one
        twice: a file and its copy beside the adjusted one)."""
        return len({_content(e[2]) for e in self._versions(doc)})

    def _entry(self, doc):
        versions = self._versions(doc)
        if not versions:
            return None
        if self.competing(doc):  # versions that differ: compared with none (review.previous_competing)
            return None
        # one content (a workbook and the JSON read of it): the last path
        return versions[-1]

    def later_years(self, doc) -> list[int]:
        """The years of the project's returns given that are this return's or later (none serves it)."""
        year = _year_of(doc)
        if year is None:
            return []
        return sorted({e[0] for e in self.docs.get(key_of(doc), ()) if e[0] is not None and e[0] >= year})

    def find(self, doc) -> dict | None:
        entry = self._entry(doc)
        return entry[2] if entry else None

    def year_words(self, doc) -> dict:
        """The messages' {last_year}: 上年 (last year's) for the return of the year before or of no year, else the
        year compared with (2018年, 2018's): the latest earlier year given may be further back."""
        entry, year = self._entry(doc), _year_of(doc)
        then = entry[0] if entry else None
        if then is None or year is None or then == year - 1:
            return {"last_year": "上年", "last_year_en": "last year's"}
        return {"last_year": f"{then}年", "last_year_en": f"{then}'s"}

    def source_of(self, doc) -> str:
        entry = self._entry(doc)
        return entry[1] if entry else ""


def _content(slim: dict) -> tuple:
    """What of a slim return two versions of one project are compared by: its indicators (as ``_row_key`` reads
    them: a workbook and the JSON read of it alike) and its narratives."""
    from ._checks import _row_key

    return (tuple(_row_key(it) for it in slim["indicators"]),
            tuple((f.path, str(slim.get(f.path) or "").strip()) for f in GOAL_TABLE.fields if f.kind == "longtext"))


def _files(paths, skipped: dict) -> list[Path]:
    for raw in paths:
        if not Path(raw).exists():
            shown = display_path(raw)  # (a GBK name as its Chinese)
            raise ConfigError(Bilingual(f"找不到上年申报文件或文件夹：{shown}",
                                        f"last year's return or folder not found: {shown}"))
    return documents(paths, SOURCE_SUFFIXES, skipped)


def _json_doc(path: Path) -> tuple[dict | None, str]:
    """The document in a JSON file, read as every JSON document is (``load_document``: no NaN or Infinity), or
    why it cannot be used."""
    from .._errors import JsonFileError
    from .._write._fill import load_document

    try:
        raw = load_document(path)
    except JsonFileError as exc:
        return None, exc.detail
    if isinstance(raw, dict) and isinstance(raw.get("document"), dict):
        raw = raw["document"]
    if not isinstance(raw, dict) or not {"unit", "project"} & raw.keys():
        # a list, or another JSON of xlgoals's (a validate report, a consolidate --json summary) or of another program
        return None, Bilingual("不是一份申报的 JSON 文档（应为 xlgoals read 的输出，每个项目一个文件；validate、consolidate "
                               "的 JSON 报告不能使用）",
                               "not the JSON document of one return (xlgoals read's output, one file per project; "
                               "the JSON reports of validate and consolidate cannot be used)")
    return raw, ""


def load_previous(paths, config, jobs: int | None = None) -> PreviousIndex:
    """Read last year's returns under `paths` (files or folders), in `jobs` worker processes bounded in time
    and memory as this year's are: they came from departments too."""
    from .._check._validate import check_files

    index = PreviousIndex()
    table = config.rules
    skipped: dict = {}
    files = _files(paths, skipped)
    for path, (why, why_en) in skipped.items():  # said, not dropped: a file in last year's folder that is not used
        index.problems.append(_problem(table, path, Bilingual(why, why_en), "", ""))
    found = list(zip(files, check_files(functools.partial(_previous_of, config=config), files, config, jobs, _crashed),
                     strict=True))
    # last year's return whose annotated copy, corrected by the department, is given too: the copy is the return as
    # it stood (the newest correction), the file it marks left out, said; never the last path as it happens
    replaced = corrected_copies({os.fspath(p): got[5] for p, got in found if got[5]}, files)
    for p, copy in replaced.items():
        zh, en = superseded(copy)
        index.problems.append(table.problem(SUPERSEDED, file=p, detail=zh, detail_en=en, value=display_path(p)))
    for p, (k, slim, detail, sheet, cell, _) in found:
        if os.fspath(p) in replaced:
            continue
        if detail:
            index.problems.append(_problem(table, str(p), detail, sheet, cell))
            continue
        index.add(k, slim.pop("year"), str(p), slim, slim.pop("names"))
    return index


def _previous_of(p: Path, config) -> tuple:
    """In a worker: (its key, what the review compares, why it cannot be used, and where, the SHA-256 an annotated
    copy records of the file it marks)."""
    from .._read import read
    from .._read._safety import as_return
    from .._selfeval._targets import copy_source

    detail, sheet, cell = "", "", ""
    if p.suffix.lower() == ".json":
        doc, detail = _json_doc(p)
    else:
        # last year's return corrected in its annotated copy and sent back: the return it is, as validate reads it
        result = as_return(functools.partial(read, config=config), p)
        doc = result.document
        if doc is None:
            first = next((q for q in result.problems if q.is_error), None)
            detail = Bilingual(first.message, first.message_en) if first else Bilingual("无法读取", "unreadable")
            sheet, cell = (first.sheet, first.cell) if first else ("", "")
    form = (result.form if p.suffix.lower() != ".json" else doc.get("form") or GOAL_TABLE.id) if doc is not None \
        else GOAL_TABLE.id
    if form != GOAL_TABLE.id:  # last year's self-evaluation or monitoring report beside its goal table: not it
        other = FORMS.get(form) if isinstance(form, str) else None
        title, title_en = (other.title, other.title_en) if other is not None else \
            (f"“form”为“{form}”的文档", f"a document whose 'form' is '{form}'")
        detail = Bilingual(f"是{title}，与上年比较只用绩效目标表",
                           f"it is a {title_en[:1].lower()}{title_en[1:]}; only goal tables are compared with last year")
        return None, None, detail, "", "", ""
    k = key_of(doc)
    if doc is not None and k is None:
        detail = Bilingual("缺少申报单位名称或项目名称，无法与本年申报对应",
                           "the reporting unit or the project name is missing, so it matches no return of this year")
    # an annotated copy read (corrected and sent back): the SHA-256 it records of the file it marks, superseded by it
    source = copy_source(p) if doc is not None else ""
    if detail:
        return None, None, detail, sheet, cell, source
    return k, _slim(doc, config.frameworks.find(doc.get("framework"))), "", "", "", source


def _crashed(p, reason: str) -> tuple:
    from .._parallel import CRASH_REASONS, crash_reason

    if reason not in CRASH_REASONS:  # an exception's text ("TypeError: …") is no reason a department can act on
        return None, None, Bilingual("无法读取（读取程序出错）", "unreadable (the reader failed)"), "", "", ""
    return None, None, Bilingual(f"无法读取（{crash_reason(reason)}）", f"unreadable ({crash_reason(reason, 'en')})"), "", "", ""


def _problem(table, path: str, detail: str, sheet: str, cell: str) -> Problem:
    p = table.problem(UNREADABLE, file=path, sheet=sheet, cell=cell, detail=detail, detail_en=in_lang(detail, "en"),
                      value=display_path(path))
    return p
