"""Read a filled return into the JSON document, tracing every value to its sheet and cell.

Values come from python-calamine; the template stamp, sheet list and protection flags come
from the zip's XML parts, so openpyxl is never needed on the hot path.  Nothing that cannot
be read with confidence is changed silently: it becomes a Problem on its cell, and the raw
value stays in the document where the schema will flag it too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import xml.etree.ElementTree as ET

import python_calamine

from . import layout as L
from .frameworks import UnknownFramework, framework_ids, load_framework
from .problems import Problem, make_problem
from .schema import field_title
from .safety import MAX_COLS, MAX_ROWS, Container, FileProblem, check_sheet_extent, open_container
from .pointers import put
from .values import Unreadable, clean_name, clean_text, normalize_unit, parse_comparator, parse_field, split_target

_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class ReadResult:
    """What ``read()`` returns.

    ``document`` follows ``schema/goal-table.schema.json`` (None when the file could not be
    read as a return); ``sources`` maps each JSON pointer to ``"sheet!A1"``; ``problems``
    lists what the reader itself found (file, template and cell problems).
    """

    path: str
    document: dict | None = None
    sources: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    template: dict | None = None  # the parsed stamp: layout_version, framework, year, template_id
    sha256: str = ""
    format: str = ""

    def source_of(self, path: str) -> tuple[str, str]:
        """(sheet, cell) of a JSON pointer, or of its nearest traced parent."""
        p = path
        while p:
            if p in self.sources:
                sheet, _, cell = self.sources[p].rpartition("!")
                return sheet, cell
            p = p.rsplit("/", 1)[0]
        return "", ""


class _Abort(Exception):
    pass


def read(path) -> ReadResult:
    """Read one return.  Never raises for a bad file: problems are in the result."""
    result = ReadResult(path=str(path))
    try:
        container = open_container(path)
        result.sha256, result.format = container.sha256, container.kind
        _read_container(container, result)
    except FileProblem as fp:
        result.problems.append(make_problem(fp.code, value=fp.found or None, value_en=fp.found_en or None,
                                            expected=fp.expected, detail=fp.detail, sheet=fp.sheet))
        result.document = None
    except _Abort:
        result.document = None
    for p in result.problems:
        p.file = str(path)
    return result


# Workbook-level facts from the XML parts ------------------------------------------------------
def _xml(parts: dict, name: str):
    """Parse a small XML part.  safety.open_container has refused any part with a DOCTYPE or
    entity declaration, so expat has nothing to expand or fetch here."""
    data = parts.get(name)
    if data is None:
        return None
    try:
        return ET.fromstring(data)
    except Exception as exc:  # malformed XML, forbidden constructs
        raise FileProblem("file.corrupt", detail=f"{name}: {exc.__class__.__name__}") from None


def _sheet_parts(parts: dict) -> dict[str, str]:
    """sheet name -> its part name (``xl/worksheets/sheet2.xml``), from workbook.xml and its rels."""
    wb = _xml(parts, "xl/workbook.xml")
    rels = _xml(parts, "xl/_rels/workbook.xml.rels")
    targets = {}
    if rels is not None:
        for rel in rels.iter(f"{_NS_PKG_REL}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = re.sub(r"[^/]+/\.\./", "", target)
    out = {}
    if wb is not None:
        for sh in wb.iter(f"{_NS_MAIN}sheet"):
            out[sh.get("name")] = targets.get(sh.get(f"{_NS_REL}id"), "")
    return out


def _custom_properties(parts: dict) -> dict[str, str]:
    root = _xml(parts, "docProps/custom.xml")
    props = {}
    if root is not None:
        for prop in root:
            name = prop.get("name")
            if name and len(prop):
                props[name] = (prop[0].text or "").strip()
    return props


def _is_protected(sheet_xml: bytes | None) -> bool:
    if not sheet_xml:
        return False
    m = re.search(rb"<(?:\w+:)?sheetProtection\b[^>]*>", sheet_xml)
    return bool(m and re.search(rb'\bsheet="(1|true)"', m.group(0)))


# The read itself --------------------------------------------------------------------------------
def _read_container(c: Container, result: ReadResult) -> None:
    sheet_parts = {}
    if c.kind == "xlsx":
        sheet_parts = _sheet_parts(c.parts)
        for name in (L.INFO_SHEET, L.INDICATOR_SHEET):
            part = sheet_parts.get(name, "")
            if part in c.parts:
                check_sheet_extent(c.parts[part], name)
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(c.data))
    except Exception as exc:  # calamine raises its own error types for broken files
        msg = str(exc)
        code = "file.encrypted" if "password" in msg.lower() or "encrypt" in msg.lower() else "file.corrupt"
        raise FileProblem(code, detail=msg[:120]) from None
    names = wb.sheet_names
    missing = [s for s in (L.INFO_SHEET, L.INDICATOR_SHEET) if s not in names]
    if missing:
        stamp_hint = _custom_properties(c.parts).get("xlgoals_template_id") if c.kind == "xlsx" else None
        if not stamp_hint and not any(s in names for s in L.SHEETS):
            result.problems.append(make_problem("template.missing"))
        else:
            for s in missing:
                result.problems.append(make_problem("template.sheet_missing", expected=s, sheet=s))
        raise _Abort
    info = _sheet_values(wb, L.INFO_SHEET, c.kind)
    ind = _sheet_values(wb, L.INDICATOR_SHEET, c.kind)
    stamp = L.parse_stamp(_at(info, *L.STAMP_CELL))
    if stamp is None and c.kind == "xlsx":
        props = _custom_properties(c.parts)
        moved_from = _known_framework(props.get("xlgoals_framework"))
        if moved_from is not None:
            # made from our template, but the stamp is not where it belongs: say what moved
            _check_structure(info, ind, moved_from, result)
            result.problems.append(make_problem(
                "template.altered", sheet=L.INFO_SHEET, cell=L.a1(*L.STAMP_CELL), field=L.STAMP_LABEL,
                value=_at(info, *L.STAMP_CELL) or "（空）", expected=L.make_stamp(props["xlgoals_framework"],
                                                                                 int(props.get("xlgoals_year") or 0))))
            raise _Abort
    if stamp is None:
        result.problems.append(make_problem("template.missing", sheet=L.INFO_SHEET, cell=L.a1(*L.STAMP_CELL)))
        raise _Abort
    result.template = stamp
    fw = _known_framework(stamp["framework"])
    if stamp["layout_version"] != L.LAYOUT_VERSION or fw is None:
        result.problems.append(make_problem(
            "template.unknown", sheet=L.INFO_SHEET, cell=L.a1(*L.STAMP_CELL), field=L.STAMP_LABEL,
            value=f"版本 {stamp['layout_version']} / {stamp['framework']}",
            expected=f"版本 {L.LAYOUT_VERSION} / {', '.join(framework_ids())}"))
        raise _Abort
    _check_structure(info, ind, fw, result)
    if c.kind == "xlsx":
        for name in (L.INFO_SHEET, L.INDICATOR_SHEET):
            part = sheet_parts.get(name, "")
            if not _is_protected(c.parts.get(part)):
                result.problems.append(make_problem("template.unprotected", sheet=name))
    result.document = _build_document(info, ind, fw, stamp, result)


def _known_framework(framework_id):
    """The framework, or None when this installation does not have it (cached after first use)."""
    try:
        return load_framework(framework_id) if isinstance(framework_id, str) else None
    except UnknownFramework:
        return None


def _sheet_values(wb, name: str, kind: str) -> list[list]:
    sheet = wb.get_sheet_by_name(name)
    if kind == "xls" and (sheet.total_height > MAX_ROWS or sheet.total_width > MAX_COLS):
        raise FileProblem("file.sheet_too_large", found=f"{sheet.total_height} 行 × {sheet.total_width} 列",
                          expected=f"{MAX_ROWS} 行 × {MAX_COLS} 列", sheet=name)
    return sheet.to_python(skip_empty_area=False)


def _at(rows: list[list], r: int, c: int):
    if r < len(rows) and c < len(rows[r]):
        v = rows[r][c]
        return None if v == "" else v
    return None


def _label(value) -> str:
    return re.sub(r"\s+", "", str(value or ""))


def _check_structure(info, ind, fw, result: ReadResult) -> None:
    """Every label must stand where the layout puts it; otherwise we would misread."""
    checks = [(L.INFO_SHEET, f.row, L.LABEL_COL, f.label, info) for f in L.INFO_FIELDS]
    checks += [(L.INDICATOR_SHEET, L.IND_HEADER_ROW, col.index, col.label, ind) for col in L.indicator_columns(fw)]
    next_col = len(L.indicator_columns(fw))
    for sheet, r, c, expected, rows in checks:
        found = _at(rows, r, c)
        if _label(found) != _label(expected):
            result.problems.append(make_problem("template.altered", sheet=sheet, cell=L.a1(r, c),
                                                value=found if found is not None else "（空）", expected=expected))
            raise _Abort
    extra = _at(ind, L.IND_HEADER_ROW, next_col)
    if extra is not None:
        result.problems.append(make_problem("template.altered", sheet=L.INDICATOR_SHEET,
                                            cell=L.a1(L.IND_HEADER_ROW, next_col), value=extra, expected="（空）"))
        raise _Abort


def _cell_problem(result: ReadResult, exc: Unreadable, sheet: str, r: int, c: int, title: str, raw,
                  path: str, **extra) -> None:
    result.problems.append(make_problem(exc.code, sheet=sheet, cell=L.a1(r, c), field=title,
                                        field_en=field_title(path, "en"), value=raw, expected=exc.expected, path=path,
                                        **{**exc.extra, **extra}))


def _build_document(info, ind, fw, stamp, result: ReadResult) -> dict:
    doc: dict = {"schema_version": "1", "framework": fw.id, "year": stamp["year"], "unit": None,
                 "project": {}, "budget": {}, "indicators": []}
    src = result.sources
    for f in L.INFO_FIELDS:
        r, c = f.row, L.VALUE_COL
        raw = _at(info, r, c)
        src[f.path] = f"{L.INFO_SHEET}!{L.a1(r, c)}"
        try:
            value = stamp["year"] if f.kind == "year" and raw is None else parse_field(f.kind, raw)
        except Unreadable as exc:
            _cell_problem(result, exc, L.INFO_SHEET, r, c, f.label, raw, f.path)
            # keep what was there (as JSON can hold it): the schema flags it too, nothing is guessed
            value = raw.isoformat() if hasattr(raw, "isoformat") else raw
        put(doc, f.path, value)
    cols = {col.key: col for col in L.indicator_columns(fw)}
    src["/indicators"] = f"{L.INDICATOR_SHEET}!{L.a1(L.IND_HEADER_ROW, cols['level1'].index)}"
    input_cols = [col.index for key, col in cols.items() if key != "seq"]
    letters = {key: L.col_letter(col.index) for key, col in cols.items()}
    traced = [("level1", "level1"), ("level2", "level2"), ("name", "name"), ("comparator", "comparator"),
              ("target", "value"), ("target", "text"), ("unit", "unit")]
    traced += [(key, key) for key in ("basis", "weight") if key in cols]
    sheet = L.INDICATOR_SHEET
    for r in range(L.IND_FIRST_ROW, len(ind)):
        row = ind[r]
        width = len(row)
        if not any(row[i] != "" for i in input_cols if i < width):
            continue
        values = {key: (row[col.index] if col.index < width and row[col.index] != "" else None)
                  for key, col in cols.items()}
        i = len(doc["indicators"])
        base = f"/indicators/{i}"
        item: dict = {}
        rownum = r + 1
        src[base] = f"{sheet}!{letters['name']}{rownum}"
        for key, p in traced:
            src[f"{base}/{p}"] = f"{sheet}!{letters[key]}{rownum}"
        cell = values.get
        for key in ("level1", "level2", "name"):
            v = clean_name(cell(key))
            if v is not None:
                item[key] = v
        comp = None
        try:
            comp = parse_comparator(cell("comparator"))
        except Unreadable as exc:
            _cell_problem(result, exc, L.INDICATOR_SHEET, r, cols["comparator"].index, "比较符", cell("comparator"),
                          f"{base}/comparator")
            item["comparator"] = str(cell("comparator"))  # kept as typed; the schema flags it too
        unit = normalize_unit(cell("unit"))
        raw_target = cell("target")
        try:
            if comp == "qualitative":  # a text target is taken as written, even if it looks numeric
                text = clean_text(raw_target)
                target = None if text is None else ("text", text)
            else:
                target = split_target(raw_target)
        except Unreadable as exc:
            _cell_problem(result, exc, L.INDICATOR_SHEET, r, cols["target"].index, fw.labels["target"], raw_target,
                          f"{base}/value")
            target = ("text", str(raw_target))
        if target is None:
            if comp:
                item["comparator"] = comp
            if unit:
                item["unit"] = unit
        elif target[0] == "text":
            item["comparator"] = item.get("comparator") or comp or "qualitative"
            item["text"] = target[1]
            if unit and comp not in (None, "qualitative"):
                item["unit"] = unit
        else:
            _, tcomp, num, tunit = target
            if comp and tcomp and comp != tcomp:
                result.problems.append(make_problem(
                    "cell.comparator_conflict", sheet=L.INDICATOR_SHEET, cell=L.a1(r, cols["comparator"].index),
                    value=L.COMPARATOR_DISPLAY.get(comp, comp), expected=str(raw_target), path=f"{base}/comparator"))
            if unit and tunit and unit != tunit:
                result.problems.append(make_problem(
                    "cell.unit_conflict", sheet=L.INDICATOR_SHEET, cell=L.a1(r, cols["unit"].index), value=unit,
                    expected=tunit, path=f"{base}/unit"))
            item["comparator"] = item.get("comparator") or comp or tcomp or "="
            item["value"] = num
            if unit or tunit:
                item["unit"] = unit or tunit
        if "basis" in cols:
            basis = clean_text(cell("basis"))
            if basis is not None:
                item["basis"] = basis
        if "weight" in cols:
            raw_w = cell("weight")
            if raw_w is not None:
                try:
                    w = split_target(raw_w)
                    if w is None or w[0] != "number" or w[1] or w[3]:
                        raise Unreadable("cell.weight")
                    item["weight"] = w[2]
                except Unreadable:
                    _cell_problem(result, Unreadable("cell.weight"), L.INDICATOR_SHEET, r, cols["weight"].index,
                                  "分值", raw_w, f"{base}/weight")
                    item["weight"] = str(raw_w)
        doc["indicators"].append(item)
    return doc


__all__ = ["ReadResult", "read"]
