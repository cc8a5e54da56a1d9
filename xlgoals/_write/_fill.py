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
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise XlgoalsError(f"{path}：不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None


def document_form(doc):
    """The form a document is of: its ``form`` (documents of the goal table may omit it)."""
    form_id = doc.get("form", GOAL_TABLE.id) if isinstance(doc, dict) else GOAL_TABLE.id
    if form_id not in FORMS:
        raise DocumentError(f"/form：未知的表单“{form_id}”（可用：{', '.join(FORMS)}）")
    return FORMS[form_id]


def check_document(doc, config: Config, form=GOAL_TABLE):
    """The document's framework; DocumentError unless `doc` passes the schema and names a known framework."""
    problems = schema_problems(doc, form=form, rules=config.rules)
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
    if form is not GOAL_TABLE and rows is None:
        rows = max(1, len(doc.get(form.table.item_path.strip("/")) or []))  # exactly the document's rows
    data = build_workbook(fw, doc["year"], doc, rows=rows, password=password, form=form)
    write_bytes(out, data)
    return Path(out)
