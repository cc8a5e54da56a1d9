"""JSON document -> workbook laid out exactly as the template, filled in."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .atomic import write_bytes
from .errors import DocumentError, XlgoalsError
from .frameworks import UnknownFramework, load_framework
from .layout import DEFAULT_ROWS
from .schema import schema_problems
from .writer import build_workbook


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


def check_document(doc) -> None:
    """Raise DocumentError unless `doc` passes the schema and names a known framework."""
    problems = schema_problems(doc)
    if problems:
        raise DocumentError("文档不符合 JSON Schema（schema/goal-table.schema.json）：", problems)
    try:
        load_framework(doc["framework"])
    except UnknownFramework as exc:
        raise DocumentError(f"/framework：{exc}") from None


def fill(doc: dict | str | os.PathLike, out: str | os.PathLike, *, password: str | None = None,
         rows: int = DEFAULT_ROWS) -> Path:
    """Write the workbook for a document (a dict or a JSON file path) to `out`, atomically."""
    if not isinstance(doc, dict):
        doc = load_document(doc)
    check_document(doc)
    data = build_workbook(doc["framework"], doc["year"], doc, rows=rows, password=password)
    write_bytes(out, data)
    return Path(out)
