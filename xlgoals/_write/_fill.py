"""JSON document -> workbook laid out exactly as the template, filled in."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .._paths import guard_single_output, refuse_existing_outputs
from .._atomic import write_bytes
from .._check._schema import schema_problems
from .._config import Config, config_of
from .._errors import DocumentError, JsonFileError, os_reason
from .._form import FORMS, GOAL_TABLE
from .._paths import not_a_file, text_path
from .._decimals import plain_numbers
from .._resources import NotANumber, json_fault, parse_json
from .._text import Bilingual, at
from ._limits import limit_problems, number_problems
from ._workbook import build_workbook


def load_document(path: str | os.PathLike):
    """Read a JSON document (the value as parsed: callers check it is an object), or a JsonFileError naming the
    file and locating the fault: the line and column of bad JSON; the JSON path of NaN, Infinity, a number beyond
    a float (1e400) or an integer too long to convert (Python's json module takes the first two, JSON does not,
    and none of them is an amount or a target)."""
    def fault(zh: str, en: str, message: Bilingual | None = None):
        detail = Bilingual(zh, en)
        return JsonFileError(message or at(path, detail, en), detail)

    try:
        if not_a_file(path):  # a pipe or a device would block or never end
            raise fault("不是普通文件", "not a regular file")
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise fault("找不到文件", "no such file", Bilingual(f"找不到文件：{path}", f"file not found: {path}")) from None
    except UnicodeDecodeError:
        from .._paths import holds_a_workbook

        if holds_a_workbook(path):  # a return given where its JSON document goes (`fill 申报.xlsx`)
            raise fault("这是工作簿（.xlsx、.xls 等）或压缩文件，不是 JSON 文档；工作簿的 JSON 文档请用 xlgoals read 读出",
                        "this is a workbook (.xlsx, .xls …) or an archive, not a JSON document; read a workbook's "
                        "JSON document with xlgoals read") from None
        raise fault("不是 UTF-8 编码的 JSON 文本", "not JSON text in UTF-8") from None
    except OSError as exc:
        raise fault(f"无法读取（{os_reason(exc)}）", f"cannot be read ({os_reason(exc, 'en')})",
                    Bilingual(f"无法读取 {path}：{os_reason(exc)}", f"cannot read {path}: {os_reason(exc, 'en')}")) from None
    try:
        doc, bad = parse_json(text)
    except UnicodeEncodeError:  # before ValueError, its base
        raise fault("JSON 中有无效的 Unicode 转义（单独的 \\uD800–\\uDFFF）",
                    "an invalid Unicode escape in the JSON (a lone \\uD800–\\uDFFF)") from None
    except json.JSONDecodeError as exc:
        where = json_fault(exc)
        raise fault(f"不是有效的 JSON（{where}）", f"not valid JSON ({where.en})") from None
    except RecursionError:
        raise fault("JSON 嵌套层数过多，不是本格式的文档", "the JSON is nested too deeply for a document of this format") from None
    if bad:
        found = _pointers_of(doc, NotANumber)
        first = next((b for b in bad if id(b) in found), None)  # None: each was overwritten by a repeated key
        if first is not None:
            said = first.said()
            raise fault(f"{found[id(first)] or '/'}：{said}", f"{found[id(first)] or '/'}: {said.en}")
    return doc


def _loaded(path) -> tuple[bool, object]:
    """``load_document`` in `load_bounded`'s child: (True, the document), or (False, its JsonFileError's message
    and detail), which the caller raises again."""
    try:
        return True, load_document(path)
    except JsonFileError as exc:
        return False, (exc.args[0], exc.detail)


def load_bounded(path, limits: dict):
    """``load_document`` in a child bounded in time and memory by `limits` (the run's ``Config.limits``, a bureau's
    --limits over schema/limits.json), as a JSON document received as a return is read in validate's workers: a
    document that needs more memory or time than a reading process may take is a JsonFileError saying which limit
    and how to raise it, not the end of the process.  Read in place inside a bounded child already."""
    from .._parallel import ChildDied, bounded, crash_reason, in_bounded_child

    if in_bounded_child():
        return load_document(path)
    try:
        ok, got = bounded(_loaded, path, limits)
    except ChildDied as died:
        if died.reason == "timeout":
            s = limits["file_seconds"]
            detail = Bilingual(f"读取超时（超过 {s} 秒：限额文件的 file_seconds，可用 --limits 文件提高）",
                               f"reading took too long (over {s} seconds: file_seconds of the limits, which --limits "
                               "FILE can raise)")
        elif died.reason == "memory":
            mb = limits["worker_memory_mb"]
            detail = Bilingual(f"读取所需的内存超过上限（约 {mb} MB：限额文件的 worker_memory_mb，可用 --limits 文件提高）",
                               f"reading it needs more memory than the limit (about {mb} MB: worker_memory_mb of the "
                               "limits, which --limits FILE can raise)")
        else:
            detail = Bilingual(f"无法读取（{crash_reason(died.reason)}）", f"cannot be read ({crash_reason(died.reason, 'en')})")
        raise JsonFileError(at(path, detail, detail.en), detail) from None
    if ok:
        return got
    raise JsonFileError(*got)


def _pointers_of(doc, kind: type) -> dict[int, str]:
    """id -> JSON pointer of every value of `kind` in `doc`; walked without recursion (documents may be deep)."""
    out, stack = {}, [("", doc)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, kind):
            out[id(node)] = where
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        stack.extend((f"{where}/{str(k).replace('~', '~0').replace('/', '~1')}", v) for k, v in items)
    return out


def _output_of_xlgoals(doc) -> Bilingual | None:
    """What a JSON file xlgoals wrote that is no document is (validate's report, consolidate's summary, read's
    traced output), said in one sentence with the document to give instead; None for anything else."""
    if not isinstance(doc, dict) or "schema_version" in doc or "framework" in doc:
        return None
    if isinstance(doc.get("summary"), dict) and isinstance(doc.get("files"), list):
        return Bilingual("这是 xlgoals validate 的 JSON 报告，不是申报的 JSON 文档；JSON 文档请用 xlgoals read 从工作簿读出",
                         "this is an xlgoals validate JSON report, not a return's JSON document; read a workbook's "
                         "document with xlgoals read")
    if isinstance(doc.get("summary"), dict) and "projects" in doc and "validation" in doc:
        return Bilingual("这是 xlgoals consolidate 的 JSON 汇总，不是申报的 JSON 文档；JSON 文档请用 xlgoals read 从工作簿读出",
                         "this is an xlgoals consolidate JSON summary, not a return's JSON document; read a "
                         "workbook's document with xlgoals read")
    if isinstance(doc.get("document"), dict) and "sources" in doc:
        return Bilingual("这是 xlgoals read --trace 的输出，其中的 document 才是 JSON 文档；不加 --trace 重新读取即得到可填入的文档",
                         "this is the output of xlgoals read --trace, whose document is the JSON document; read "
                         "the workbook again without --trace for a document to fill")
    return None


def document_form(doc):
    """The form a document is of: its ``form`` (documents of the goal table may omit it)."""
    form_id = doc.get("form", GOAL_TABLE.id) if isinstance(doc, dict) else GOAL_TABLE.id
    if not isinstance(form_id, str) or form_id not in FORMS:
        shown = form_id if isinstance(form_id, str) else json.dumps(form_id, ensure_ascii=False)[:40]
        raise DocumentError(Bilingual(f"/form：未知的表单“{shown}”（可用：{', '.join(FORMS)}）",
                                      f"/form: unknown form '{shown}' (known: {', '.join(FORMS)})"))
    return FORMS[form_id].for_document(doc)


_WHOLE_NUMBER_FIELDS = ("year", "month")


def whole_numbers(doc):
    """The document with its year and month written as 2020.0 (a JSON Schema integer) taken as 2020."""
    if not isinstance(doc, dict) or not any(isinstance(doc.get(k), float) for k in _WHOLE_NUMBER_FIELDS):
        return doc
    return {k: int(v) if k in _WHOLE_NUMBER_FIELDS and isinstance(v, float) and v.is_integer() else v
            for k, v in doc.items()}


def check_document(doc, config: Config, form=GOAL_TABLE):
    """The document's framework; DocumentError unless `doc` passes the schema and names a known framework."""
    problems = number_problems(doc, "", config, form) or schema_problems(doc, form=form, rules=config.rules, codes=True)
    if problems:
        raise DocumentError(Bilingual(f"文档不符合 JSON Schema（schema/{form.schema_file}）：",
                                      f"the document does not match the JSON Schema (schema/{form.schema_file}):"),
                            problems)
    beyond = limit_problems(doc, config, form)
    if beyond:
        raise DocumentError(Bilingual("文档超出工作簿能容纳或读回的上限，未生成：",
                                      "the document holds more than a workbook can hold or give back; not written:"),
                            beyond)
    fw = config.frameworks.find(doc["framework"])
    if fw is not None:
        return fw
    from .._check._validate import framework_unknown

    # as validate says it: the frameworks loaded, and --frameworks (frameworks=) to give a bureau's own folder
    # (the schema passed: the framework is an id, so framework_unknown says it, always)
    said = framework_unknown(doc, config, [])
    raise DocumentError(Bilingual(f"/framework：{said[0].message}", f"/framework: {said[0].message_en}"))


def fill(doc: dict | str | os.PathLike, out: str | os.PathLike, *, password: str | None = None,
         rows: int | None = None, frameworks=None, config: Config | None = None, force: bool = False,
         warnings: list | None = None) -> Path:
    """Write the workbook for a document (a dict or a JSON file path) to `out` (a name ending in .xlsx), atomically.

    A file already at `out` (a department's return, the last fill of it) is not replaced unless `force`:
    UsageError before anything is read or written, as ``consolidate`` refuses.  An input (the document, the rule
    table) is never replaced, `force` or not.  `warnings`: a list the document's warnings are appended to (Problems
    at their JSON pointers: an amount below one 元, cell.amount_fraction, as validate says it); the workbook is
    written with them, as the department's reader will say them at their cells.  A document given as a path is
    read in a child bounded by the configuration's limits (``load_bounded``; a bureau's ``Config.load(limits=)``)."""
    from .._args import flag, password as checked_password, path as checked_path, warnings as checked_warnings

    # said before anything is read or written (warnings=() failed only after the workbook was written)
    force, password, warnings = flag(force, "force"), checked_password(password), checked_warnings(warnings)
    out, doc = checked_path(out, "out", "-o"), doc if isinstance(doc, dict) else checked_path(doc, "doc", "DOCUMENT")
    cfg = config_of(config, frameworks=frameworks)
    out, doc = text_path(out), doc if isinstance(doc, dict) else text_path(doc)  # b"..." names the same file
    guard_single_output(out, [*([] if isinstance(doc, dict) else [doc]), *cfg.sources])  # .xlsx, a file, no input
    refuse_existing_outputs([out], force)
    source = None if isinstance(doc, dict) else str(doc)
    if not isinstance(doc, dict):  # a document of a department's: read in a child bounded as a return's reader is
        doc = load_bounded(doc, cfg.limits)
    doc = whole_numbers(plain_numbers(doc))  # (numpy's numbers as the numbers they are; Decimal('NaN') no number)
    other = _output_of_xlgoals(doc)
    if other is not None:  # one sentence saying what it is, not a schema failure per key
        raise DocumentError(at(source, other) if source else other)
    form = document_form(doc)
    try:
        fw = check_document(doc, cfg, form)
    except DocumentError as exc:
        if source is None:
            raise
        raise DocumentError(at(source, exc.args[0]), exc.problems) from None  # the file, as a JSON fault names it
    data = build_workbook(fw, doc["year"], doc, rows=rows, password=password, form=form, rules=cfg.rules)
    write_bytes(out, data)
    if warnings is not None:
        from .._check._validate import amount_fractions
        from .._problems import OFF

        warnings += [p for p in amount_fractions(doc, form, cfg) if p.severity != OFF]
    return Path(out)
