"""JSON document -> workbook laid out exactly as the template, filled in."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .._atomic import write_bytes
from .._check._schema import schema_problems
from .._config import Config, config_of
from .._errors import DocumentError, UnknownFramework, XlgoalsError
from .._form import FORMS, GOAL_TABLE
from .._form._kinds import AMOUNT_DIGITS
from ._workbook import build_workbook


def load_document(path: str | os.PathLike) -> dict:
    """Read a JSON document, with a located error for bad JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise XlgoalsError(f"找不到文件：{path}") from None
    except (IsADirectoryError, PermissionError, UnicodeDecodeError) as exc:
        raise XlgoalsError(f"无法读取 {path}：{exc}") from None
    try:
        return json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise XlgoalsError(f"{path}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except RecursionError:
        raise XlgoalsError(f"{path}：JSON 嵌套层数过多，不是本格式的文档") from None


def _no_constant(name: str):
    raise XlgoalsError(f"JSON 中不允许 {name}（不是有效的数字）")


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
        if "e" in digits.lower() or len(digits.lstrip("-").replace(".", "").lstrip("0")) > AMOUNT_DIGITS:
            out.append(config.rules.problem("schema.range", path=path, field=form.title_of(path),
                                            field_en=form.title_of(path, "en"), value=digits[:30],
                                            expected=f"至多 {AMOUNT_DIGITS} 位有效数字"))
        else:
            field = form.find_field(path)
            if field is not None and field.kind == "amount" and "." in digits and len(digits.split(".")[1]) > 2:
                out.append(config.rules.problem("cell.amount_decimals", path=path, field=field.label,
                                                field_en=field.label_en, value=digits))
    return out


def document_form(doc):
    """The form a document is of: its ``form`` (documents of the goal table may omit it)."""
    form_id = doc.get("form", GOAL_TABLE.id) if isinstance(doc, dict) else GOAL_TABLE.id
    if form_id not in FORMS:
        raise DocumentError(f"/form：未知的表单“{form_id}”（可用：{', '.join(FORMS)}）")
    return FORMS[form_id].for_document(doc)


def check_document(doc, config: Config, form=GOAL_TABLE):
    """The document's framework; DocumentError unless `doc` passes the schema and names a known framework."""
    problems = _number_problems(doc, "", config, form) or schema_problems(doc, form=form, rules=config.rules)
    if problems:
        raise DocumentError(f"文档不符合 JSON Schema（schema/{form.schema_file}）：", problems)
    try:
        return config.frameworks.get(doc["framework"])
    except UnknownFramework as exc:
        raise DocumentError(f"/framework：{exc}") from None


def fill(doc: dict | str | os.PathLike, out: str | os.PathLike, *, password: str | None = None,
         rows: int | None = None, frameworks=None, config: Config | None = None) -> Path:
    """Write the workbook for a document (a dict or a JSON file path) to `out`, atomically."""
    cfg = config_of(config, frameworks=frameworks)
    if not isinstance(doc, dict):
        doc = load_document(doc)
    form = document_form(doc)
    fw = check_document(doc, cfg, form)
    data = build_workbook(fw, doc["year"], doc, rows=rows, password=password, form=form)
    write_bytes(out, data)
    return Path(out)
