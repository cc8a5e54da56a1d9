"""JSON documents given to ``validate`` (named, or found in a folder searched): read as every JSON document from
outside is (``_resources.parse_json``: no NaN, Infinity, number beyond a float, nor a name given twice in one
object), then checked as ``validate_document`` checks one, each problem at its JSON pointer (a document has no cell).

Imported only when a run meets a ``.json`` file: ``xlgoals validate one.xlsx`` does without it.
"""

from __future__ import annotations

import hashlib
import json
import os

from .._config import Config
from .._form import FORMS, GOAL_TABLE, document_stamp, names_as_read
from .._form._kinds import target_in_words
from .._problems import FileReport, Problem
from .._text import Bilingual

#: A goal table's JSON need not name its form (``form`` is optional there): it is one when it has ``indicators`` and
#: one of these (one common key alone, another program's {"unit": "kg"}, is no goal table).
_GOAL_TABLE_KEYS = frozenset({"unit", "project"})
#: What `xlgoals read --trace` wraps a document in.
_TRACE_KEYS = frozenset({"document", "sources", "template", "sha256", "problems"})

NOT_A_DOCUMENT = "file.not_document"
BAD_JSON = "file.bad_json"


def _pointer(parts) -> str:
    return "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in parts)


def _pointers_of(doc, kind: type) -> dict[int, str]:
    """id -> JSON pointer of every value of `kind` in `doc`; walked without recursion (documents may be deep)."""
    out, stack = {}, [((), doc)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, kind):
            out[id(node)] = _pointer(where)
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend(((*where, k), v) for k, v in items)
    return out


def _problem(config: Config, code: str, path: str, why: Bilingual, pointer: str = "") -> Problem:
    p = config.rules.problem(code, path=pointer, detail=str(why), detail_en=why.en)
    p.file = str(path)
    return p


def skip_reason(report: FileReport) -> tuple[str, str] | None:
    """Why a JSON file found in a folder was not checked (the reason listed), when it is no document of ours:
    another program's JSON lying in the inbox is said, not checked as a failing return."""
    if [p.code for p in report.problems] != [NOT_A_DOCUMENT]:
        return None
    from .._paths import NOT_DOCUMENT, Reason

    p = report.problems[0]
    return Reason(NOT_DOCUMENT, f"{p.message}，未检查", f"{p.message_en}; not checked")


def load(path, config: Config) -> tuple[object, str, Problem | None]:
    """(the value, the file's SHA-256, None); (None, SHA-256 or "", the one problem saying why it cannot be used);
    or (the value, SHA-256, the problem of its first NaN, Infinity or number out of range, at its JSON pointer):
    whether that is a fault depends on whether the file is a document of ours (another program's JSON, a training
    log's {"loss": NaN}, is no return)."""
    from .._errors import os_reason
    from .._read._safety import MAX_FILE_BYTES, _human, _open_regular
    from .._resources import NotANumber, parse_json_said

    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:  # never read whole: a 2 GB file would take the worker's memory
            return None, "", _problem(config, BAD_JSON, path, Bilingual(
                f"文件过大（{_human(size)}，上限 {_human(MAX_FILE_BYTES)}），不是一份申报的 JSON 文档",
                f"the file is too large ({_human(size)}, limit {_human(MAX_FILE_BYTES)}) for the JSON document of one "
                "return"))
        fd = _open_regular(path)  # a folder, a pipe or a device swapped in for it: refused, not waited on
        if fd is None:
            return None, "", _problem(config, BAD_JSON, path, Bilingual(
                "是一个文件夹，不是一份申报的 JSON 文档", "a folder, not the JSON document of a return")
                if os.path.isdir(path) else Bilingual(
                "不是普通文件（管道或设备），不是一份申报的 JSON 文档",
                "not a regular file (a pipe or a device), so not the JSON document of a return"))
        with os.fdopen(fd, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:  # gone since the run listed it: file.missing, which the run says as file.vanished
        p = config.rules.problem("file.missing")  # (``Scan.vanished``), as of a workbook gone so
        p.file = str(path)
        return None, "", p
    except OSError as exc:  # permission denied, an I/O error
        return None, "", _problem(config, BAD_JSON, path, Bilingual(f"无法打开（{os_reason(exc)}）",
                                                                    f"cannot be opened ({os_reason(exc, 'en')})"))
    sha = hashlib.sha256(data).hexdigest()
    if not data:
        p = config.rules.problem("file.empty")
        p.file = str(path)
        return None, sha, p
    try:
        text = data.decode("utf-8-sig")  # a BOM (Windows Notepad's) is no fault
    except UnicodeDecodeError as exc:
        return None, sha, _problem(config, BAD_JSON, path, Bilingual(
            f"不是 UTF-8 编码的 JSON 文本（第 {exc.start + 1} 个字节起），请另存为 UTF-8 编码",
            f"not JSON text in UTF-8 (from byte {exc.start + 1}); save it as UTF-8"))
    doc, bad, why = parse_json_said(text)
    if why is not None:  # (a name given twice: at its pointer)
        parts = getattr(why, "parts", None)
        return None, sha, _problem(config, BAD_JSON, path, why, _pointer(parts) if parts else "")
    if bad:  # (each placeholder is in the value: parse_json refuses a name given twice)
        said = bad[0].said()
        return doc, sha, _problem(config, BAD_JSON, path, Bilingual(str(said), said.en),
                                  _pointers_of(doc, NotANumber).get(id(bad[0])) or "/")
    return doc, sha, None


def document_of(raw) -> tuple[dict | None, str | None, Bilingual | None, str]:
    """(the document, its form's id, None, "") or (None, None, why it is no document of ours, where); its year (and
    month) given as 2020.0 read as 2020 (``_schema.whole_numbers_as_int``), its names as a workbook's are read
    (``_form.names_as_read``)."""
    from ._schema import whole_numbers_as_int

    if isinstance(raw, dict) and _TRACE_KEYS >= raw.keys() and isinstance(raw.get("document"), dict):
        raw = raw["document"]  # `xlgoals read --trace`'s output
    if not isinstance(raw, dict):
        kind = ("数组", "an array") if isinstance(raw, list) else ("文本", "a text") if isinstance(raw, str) else \
            ("数字", "a number") if isinstance(raw, (int, float)) and not isinstance(raw, bool) else ("常量", "a constant")
        return None, None, Bilingual(f"最外层是{kind[0]}，不是对象", f"the top level is {kind[1]}, not an object"), "/"
    if "form" in raw:
        form = raw["form"]
        if not isinstance(form, str) or form not in FORMS:
            shown = json.dumps(form, ensure_ascii=False)[:40]
            known = "、".join(FORMS)
            return None, None, Bilingual(f"form 为 {shown}，不是 xlgoals 的表单（{known}）",
                                         f"form is {shown}, not a form of xlgoals ({', '.join(FORMS)})"), "/form"
        return names_as_read(whole_numbers_as_int(raw, FORMS[form]), form), form, None, ""
    if "indicators" not in raw or not _GOAL_TABLE_KEYS & raw.keys():
        return None, None, Bilingual("没有 form 字段，也没有绩效目标表的字段 indicators 及 unit 或 project",
                                     "no form field, nor a goal table's fields indicators and unit or project"), "/"
    return names_as_read(whole_numbers_as_int(raw, FORMS[GOAL_TABLE.id]), GOAL_TABLE.id), GOAL_TABLE.id, None, ""


def _schema_alone(doc: dict, form: str, config: Config) -> list[Problem]:
    """The schema's errors of a document the rules could not run on: they say what is wrong with its shape."""
    from ._schema import schema_problems

    try:
        f = FORMS[form].for_document(doc)
        return [p for p in schema_problems(doc, form=f, rules=config.rules, codes=True) if p.is_error]
    except Exception:
        return []


def _at_its_key(p: Problem, doc: dict) -> Problem:
    """A changed target, which the goal table's workbook has in one cell (``/indicators/N/value``), at the key the
    document holds it under: ``text`` for a qualitative one (合理), ``value`` for a number."""
    head, _, key = p.path.rpartition("/")
    if key == "value" and head.startswith("/indicators/") and p.code.endswith(".target_changed"):
        i = head.rpartition("/")[2]
        items = doc.get("indicators")
        ind = items[int(i)] if i.isdigit() and isinstance(items, list) and int(i) < len(items) else None
        if isinstance(ind, dict) and target_in_words(ind):
            p.path = f"{head}/text"
    return p


def is_misshapen(problems) -> bool:
    """Whether a JSON document's problems say its structure is not the form's (its indicators a number, its funds a
    text): no workbook holds such a document, and nothing of it can be listed."""
    return any(map(misshapes, problems))


def misshapes(p) -> bool:
    """Whether problem `p` says a part of a document is not of the form's structure (a list or an object not one)."""
    return p.code == "schema.type" and p.expected_en in ("a list", "an object")


def check_json_file(path, config: Config, keep_documents: bool, review=None, targets=None) -> FileReport:
    """The FileReport of a JSON document: one located problem when it cannot be read or is no document of ours;
    else ``validate_document``'s problems (and, with `targets`, a self-evaluation's or monitoring report's locked
    values compared with its goal table's), each at its JSON pointer.  The document kept (`keep_documents`) holds
    blank what a workbook's reader would have refused (a negative amount, one to a fraction of a fen, a number beyond
    15 digits, a date before 1900), as a workbook's document does: a summary counts it as blank."""
    from ._validate import _blanked, _framework_named, _review_of, checked_document, unscored

    raw, sha, fault = load(path, config)
    report = FileReport(path=str(path), sha256=sha, json_document=True)
    if raw is None:
        report.problems = [fault]
        return report
    doc, form, why, where = document_of(raw)
    if doc is None:
        report.problems = [_problem(config, NOT_A_DOCUMENT, path, why, where)]
        return report
    if fault is not None:  # a NaN, Infinity or number out of range in a document of ours
        report.problems = [fault]
        return report
    report.form = form
    report.framework = _framework_named(doc)  # (the levels its report's headings name)
    refused = frozenset()  # what a workbook's reader would have refused: blank in a summary, as its cell would be
    seen = env = rv = None  # the document as the rules saw it, their env
    try:
        rv = _review_of(review if review is not None else False, config, None, None, None)
        problems, refused, seen, env = checked_document(doc, config, form, rv)
    except Exception:  # a check meeting what no workbook can hold (a number where the indicators' list goes)
        problems = _schema_alone(doc, form, config)
        if not problems:
            raise  # (no fault of the document's to say: the worker's crash is the run's report of it)
    misshapen = is_misshapen(problems)
    if review is not None and not misshapen and unscored(problems, config.rules) is None:
        # what review.copied_between_projects compares, where a run's results are gathered
        from .._review._across import marks_of

        if seen is None:  # (the checks failed: the schema's problems alone)
            from ._validate import _scalar_items, check_env

            f = FORMS[form].for_document(doc)
            seen = _scalar_items(doc, f)  # (an item's list or object value, the schema's, left out)
            env = check_env(seen, config, f, review)
        report.copy_marks = marks_of(seen, env, review)  # the document and env the rules saw
    if misshapen:
        # its structure is not the form's (indicators a number, funds a text): what the rules find in it (every 一级
        # missing, 分值 totalling 0) follows from that, the schema's errors say what is wrong
        problems = [p for p in problems if p.code.startswith("schema.")]
    if targets is not None and form != GOAL_TABLE.id and not misshapen:  # (its goal table's rows: none to compare)
        from ._figures import said_once

        stamp, fw = document_stamp(doc), config.frameworks.find(doc.get("framework"))
        extra = [_at_its_key(p, doc) for p in targets.problems(doc, config.rules, stamp=stamp, fw=fw)]
        restored = targets.restored(doc, stamp=stamp, fw=fw) \
            if any(p.code.endswith(".target_changed") for p in extra) else None
        if restored is not None and seen is not None:  # (the checks ran on the document: run again on the approved)
            # a target or 分值 typed over (or revised since): scored and compared against the approved ones, as a
            # workbook is (check_file); each changed value is the error below
            try:
                again = checked_document(restored, config, form, rv)[0]
                # what the schema said of the values given way to the approved ones (a comparator given as a list)
                # stands: the document still holds them, as a workbook's reader says a cell it could not take
                said = {(p.code, p.path) for p in again}
                problems = [p for p in problems if p.code.startswith("schema.") and (p.code, p.path) not in said] \
                    + again
                if keep_documents:  # (blank where the document kept is: what a workbook's reader refuses)
                    report.scored_as = _blanked(restored, refused) if refused else restored
            except Exception:  # (the document's own checks ran: theirs stand)
                pass
        problems, extra = said_once(problems, extra, config.rules)
        problems += extra
    if targets is not None:
        from ._validate import goal_table_returned

        problems += goal_table_returned(path, form, targets, config)
    for p in problems:
        p.file = str(path)
    report.problems = problems
    if form == "monitoring" and not misshapen:  # (one project's rounds compared: cumulative_between_rounds)
        from .._monitor._summary import rounds_of

        report.rounds = rounds_of(doc, config.rules)
    if review is not None and config.frameworks.find(doc.get("framework")) is not None:
        from .._review import review_score

        report.review_score = review_score(problems, config.rules, review.settings)
    if refused:  # compared (return.duplicate) with the digits it carries beyond a cell's 15, blank to the rest
        report.content = _content_as_typed(doc, form, refused, config)
    if keep_documents:
        report.document = _blanked(doc, refused) if refused else doc
    return report


def _content_as_typed(doc: dict, form: str, refused: frozenset, config: Config) -> str:
    """The digest (``content_digest``) of a document whose `refused` values are blank to a summary, but for its
    numbers beyond the 15 digits a cell holds (schema.range): those are compared as typed, so that two documents
    differing only in a 16th digit differ (a workbook holds no such number: two saves of one read the same); ""
    where it has none (the digest is the kept document's)."""
    from .._write._limits import number_problems
    from ._validate import _blanked, content_digest

    try:
        wide = {p.path for p in number_problems(doc, "", config, FORMS[form].for_document(doc))
                if p.code == "schema.range"} & refused
    except Exception:  # (a document of a shape no form holds: compared as kept)
        return ""
    if not wide:
        return ""
    rest = refused - wide
    return content_digest(_blanked(doc, rest) if rest else doc, form)
