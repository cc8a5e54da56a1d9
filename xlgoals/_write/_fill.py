"""JSON document -> workbook laid out exactly as the template, filled in."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

from .._paths import guard_single_output, refuse_existing_outputs
from .._pointers import get
from .._atomic import write_bytes
from .._check._schema import schema_problems
from .._config import Config, config_of
from .._errors import DocumentError, UnknownFramework, XlgoalsError, os_reason
from .._form import FORMS, GOAL_TABLE
from .._form._kinds import AMOUNT_DIGITS
from .._paths import not_a_file
from .._resources import NotANumber, json_fault, parse_json
from .._text import CONTROL_CHAR, Bilingual, at, in_lang, reason_of
from ._workbook import build_workbook


class JsonFileError(XlgoalsError):
    """A JSON file that cannot be used: the message names the file, `detail` says why (and where) without it; both
    Bilingual."""

    def __init__(self, message: str, detail: str):
        super().__init__(message)
        self.detail = detail


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


def _number_problems(node, path: str, config: Config, form) -> list:
    """Numbers a workbook cannot hold exactly: beyond 15 significant digits (JSON allows any)."""
    out = []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _number_problems(v, f"{path}/{k}", config, form)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _number_problems(v, f"{path}/{i}", config, form)
    elif isinstance(node, (int, float)) and not isinstance(node, bool):
        digits = f"{node}" if isinstance(node, int) else repr(node)
        if (isinstance(node, float) and not math.isfinite(node)) or "e" in digits.lower() \
                or len(digits.lstrip("-").replace(".", "").lstrip("0")) > AMOUNT_DIGITS:
            out.append(config.rules.problem("schema.range", path=path, field=form.title_of(path),
                                            field_en=form.title_of(path, "en"), value=digits[:30],
                                            expected=f"至多 {AMOUNT_DIGITS} 位有效数字",
                                            expected_en=f"at most {AMOUNT_DIGITS} significant digits"))
        else:
            field = form.find_field(path)
            if field is not None and field.kind == "amount" and "." in digits and len(digits.split(".")[1]) > 2:
                out.append(config.rules.problem("cell.amount_decimals", path=path, field=field.label,
                                                field_en=field.label_en, value=digits))
    return out


_CELL_UNITS = 32767  # what an Excel cell holds, in UTF-16 code units (XlsxWriter cuts a longer string)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_CHAR = CONTROL_CHAR  # NUL, ESC, DEL, C1, bidi overrides (``_text``): none in a template, nor a file's name


def limit_problems(doc: dict, config: Config, form) -> list:
    """What the reader would refuse of the workbook made from `doc`: more item rows than the form holds, a text
    longer than the reader takes (config.limits, as the reader applies them); a text holding a control character
    (NUL, ESC, a text-direction override: schema.control_char), which no template is made with.  A workbook is
    never written that reads back otherwise than its document."""
    limits, out = config.limits, []
    text, long_text = limits["text_chars"], limits["longtext_chars"]

    def check(path: str, value, kind: str, label=None, label_en=None):
        """A problem for a text beyond its limit; the field's titles (`label`: the form's, found only then)."""
        if not isinstance(value, str):
            return
        limit = long_text if kind == "longtext" else text
        units = len(value.encode("utf-16-le", "surrogatepass")) // 2
        lone = _LONE_SURROGATE.search(value)  # only Python can put one there
        control = _CONTROL_CHAR.search(value)
        if not (lone or control or units > _CELL_UNITS or len(value) > limit):
            return
        titles = {"field": label or form.title_of(path), "field_en": label_en or form.title_of(path, "en")}
        if lone:
            out.append(config.rules.problem("schema.format", path=path, value=f"\\u{ord(lone.group()):04x}", **titles))
        elif control:
            out.append(config.rules.problem("schema.control_char", path=path, value=f"\\u{ord(control.group()):04x}",
                                            **titles))
        elif units > _CELL_UNITS:  # 𠮷 takes two
            out.append(config.rules.problem("schema.length", path=path, **titles,
                                            expected=f"至多 {_CELL_UNITS} 个 UTF-16 字符单元，即 Excel 单元格的上限"
                                                     f"（实际 {units} 个）",
                                            expected_en=f"at most {_CELL_UNITS} UTF-16 units, an Excel cell's limit "
                                                        f"({units})"))
        else:
            out.append(config.rules.problem("schema.length", path=path, **titles,
                                            expected=f"至多 {limit} 个字符（实际 {len(value)} 个）",
                                            expected_en=f"at most {limit} characters ({len(value)})"))

    for f in form.fields:
        check(f.path, get(doc, f.path), f.kind, f.label, f.label_en)
    items = get(doc, form.table.item_path)
    if isinstance(items, list):
        if len(items) > form.table.max_rows:
            out.append(config.rules.problem("schema.length", path=form.table.item_path, field=form.table.name,
                                            expected=f"至多 {form.table.max_rows} 条（实际 {len(items)} 条）",
                                            expected_en=f"at most {form.table.max_rows} items ({len(items)})"))
        keys = [(col.kind, key) for col in form.table.columns for key in col.item_keys]
        for i, item in enumerate(items[:form.table.max_rows]):
            if isinstance(item, dict):
                for kind, key in keys:
                    check(f"{form.table.item_path}/{i}/{key}", item.get(key), kind)
    return out


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
    problems = _number_problems(doc, "", config, form) or schema_problems(doc, form=form, rules=config.rules)
    if problems:
        raise DocumentError(Bilingual(f"文档不符合 JSON Schema（schema/{form.schema_file}）：",
                                      f"the document does not match the JSON Schema (schema/{form.schema_file}):"),
                            problems)
    beyond = limit_problems(doc, config, form)
    if beyond:
        raise DocumentError(Bilingual("文档超出工作簿能容纳或读回的上限，未生成：",
                                      "the document holds more than a workbook can hold or give back; not written:"),
                            beyond)
    try:
        return config.frameworks.get(doc["framework"])
    except UnknownFramework as exc:
        why = reason_of(exc)
        raise DocumentError(Bilingual(f"/framework：{why}", f"/framework: {in_lang(why, 'en')}")) from None


def fill(doc: dict | str | os.PathLike, out: str | os.PathLike, *, password: str | None = None,
         rows: int | None = None, frameworks=None, config: Config | None = None, force: bool = False) -> Path:
    """Write the workbook for a document (a dict or a JSON file path) to `out` (a name ending in .xlsx), atomically.

    A file already at `out` (a department's return, the last fill of it) is not replaced unless `force`:
    UsageError before anything is read or written, as ``consolidate`` refuses.  An input (the document, the rule
    table) is never replaced, `force` or not."""
    cfg = config_of(config, frameworks=frameworks)
    guard_single_output(out, [*([] if isinstance(doc, dict) else [doc]), *cfg.sources])  # .xlsx, a file, no input
    refuse_existing_outputs([out], force)
    if not isinstance(doc, dict):
        doc = load_document(doc)
    doc = whole_numbers(doc)
    form = document_form(doc)
    fw = check_document(doc, cfg, form)
    data = build_workbook(fw, doc["year"], doc, rows=rows, password=password, form=form, rules=cfg.rules)
    write_bytes(out, data)
    return Path(out)
