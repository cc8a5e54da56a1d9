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
from .._form import FORMS, GOAL_TABLE
from .._problems import FileReport, Problem
from .._text import Bilingual

#: The document a goal table's JSON holds without naming its form (``form`` is optional there): any of these.
_GOAL_TABLE_KEYS = frozenset({"schema_version", "unit", "project", "indicators"})
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
    p = report.problems[0]
    return f"{p.message}，未检查", f"{p.message_en}; not checked"


def load(path, config: Config) -> tuple[object, str, Problem | None]:
    """(the value, the file's SHA-256, None) or (None, SHA-256 or "", the one problem saying why it cannot be used,
    at its JSON pointer where it has one)."""
    from .._read._safety import MAX_FILE_BYTES, _human
    from .._resources import NotANumber, json_fault, parse_json

    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:  # never read whole: a 2 GB file would take the worker's memory
        return None, "", _problem(config, BAD_JSON, path, Bilingual(
            f"文件过大（{_human(size)}，上限 {_human(MAX_FILE_BYTES)}），不是一份申报的 JSON 文档",
            f"the file is too large ({_human(size)}, limit {_human(MAX_FILE_BYTES)}) for the JSON document of one return"))
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
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
    try:
        doc, bad = parse_json(text)
    except UnicodeEncodeError:  # before ValueError, its base
        return None, sha, _problem(config, BAD_JSON, path, Bilingual(
            "JSON 中有无效的 Unicode 转义（单独的 \\uD800–\\uDFFF）",
            "an invalid Unicode escape in the JSON (a lone \\uD800–\\uDFFF)"))
    except json.JSONDecodeError as exc:
        where = json_fault(exc)
        return None, sha, _problem(config, BAD_JSON, path, Bilingual(f"不是有效的 JSON（{where}）",
                                                                    f"not valid JSON ({where.en})"))
    except RecursionError:
        return None, sha, _problem(config, BAD_JSON, path, Bilingual(
            "JSON 嵌套层数过多，不是本格式的文档", "the JSON is nested too deeply for a document of this format"))
    if bad:
        found = _pointers_of(doc, NotANumber)
        first = next((b for b in bad if id(b) in found), None)  # None: each was overwritten by a repeated name
        if first is not None:
            said = first.said()
            return None, sha, _problem(config, BAD_JSON, path, Bilingual(str(said), said.en), found[id(first)] or "/")
    return doc, sha, None


def document_of(raw) -> tuple[dict | None, str | None, Bilingual | None, str]:
    """(the document, its form's id, None, "") or (None, None, why it is no document of ours, where)."""
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
        return raw, form, None, ""
    if not _GOAL_TABLE_KEYS & raw.keys():
        return None, None, Bilingual("没有 form 字段，也没有绩效目标表的字段 unit、project、indicators",
                                     "no form field, nor a goal table's fields unit, project, indicators"), "/"
    return raw, GOAL_TABLE.id, None, ""


def _schema_alone(doc: dict, form: str, config: Config) -> list[Problem]:
    """The schema's errors of a document the rules could not run on: they say what is wrong with its shape."""
    from ._schema import schema_problems

    try:
        f = FORMS[form].for_document(doc)
        return [p for p in schema_problems(doc, form=f, rules=config.rules) if p.is_error]
    except Exception:
        return []


def check_json_file(path, config: Config, keep_documents: bool, review=None, targets=None) -> FileReport:
    """The FileReport of a JSON document: one located problem when it cannot be read or is no document of ours;
    else ``validate_document``'s problems (and, with `targets`, a self-evaluation's or monitoring report's locked
    values compared with its goal table's), each at its JSON pointer."""
    from ._validate import validate_document

    raw, sha, fault = load(path, config)
    report = FileReport(path=str(path), sha256=sha)
    if fault is not None:
        report.problems = [fault]
        return report
    doc, form, why, where = document_of(raw)
    if doc is None:
        report.problems = [_problem(config, NOT_A_DOCUMENT, path, why, where)]
        return report
    report.form = form
    try:
        problems = validate_document(doc, config=config, form=form, review=review if review is not None else False)
    except Exception:  # a check meeting what no workbook can hold (a number where the indicators' list goes)
        problems = _schema_alone(doc, form, config)
        if not problems:
            raise  # (no fault of the document's to say: the worker's crash is the run's report of it)
    if targets is not None and form != GOAL_TABLE.id:
        problems += targets.problems(doc, config.rules)
    for p in problems:
        p.file = str(path)
    report.problems = problems
    if review is not None and config.frameworks.find(doc.get("framework")) is not None:
        from .._review import review_score

        report.review_score = review_score(problems, config.rules, review.settings)
    if keep_documents:
        report.document = doc
    return report
