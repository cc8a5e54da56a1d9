"""Forms as data: each form of the budget year is one declaration (see ``_model``)."""

import functools
import re

from decimal import Decimal

from .._decimals import held_number
from .._pointers import get
from ._kinds import (KINDS, COMPARATOR_DISPLAY, Kind, Unreadable, clean_listed, clean_name, comparator_display,
                     format_target, parser_of, target_in_words)
from ._model import (MADE_WITH, Area, Column, Computed, Field, FieldGrid, FieldSheet, Form, GuideSheet, Param,
                     PrintSetup, TableSheet, TotalRow, Validation, a1, col_letter, column_ref, made_with_of, parse_a1,
                     parse_stamp)
from . import goal_table as _goal_table, monitoring as _monitoring, self_evaluation as _self_evaluation
from .goal_table import GOAL_TABLE
from .self_evaluation import SELF_EVALUATION
from .monitoring import MONITORING

#: Every form xlgoals knows, by id (the id is in each workbook's stamp).
FORMS: dict[str, Form] = {f.id: f for f in (GOAL_TABLE, SELF_EVALUATION, MONITORING)}

#: Every layout the reader knows, by (form id, layout version): the ones issued now and older ones kept for
#: reading the returns made from them.
LAYOUTS: dict[tuple[str, int], Form] = {(f.id, f.layout_version): f for f in (
    *FORMS.values(), *_goal_table.OLDER_LAYOUTS, *_self_evaluation.OLDER_LAYOUTS, *_monitoring.OLDER_LAYOUTS)}


def document_stamp(doc) -> dict | None:
    """What a JSON document (read's output) keeps of its workbook's stamp, as a stamp's ``params``: a
    self-evaluation's points_source (``weights``, ``points``) and any form's ``made_with`` (``rules``, ``fw``);
    None when it keeps none.  validate then says 分值 made from another points file once (self.points_source, with
    --targets), and a template made under another rule table or framework version (template.other_rules,
    template.other_framework), as for the workbook."""
    if not isinstance(doc, dict):
        return None
    form_id = doc.get("form", GOAL_TABLE.id)  # (a goal table's document may omit it)
    form = FORMS.get(form_id) if isinstance(form_id, str) else None  # (a list or an object: the schema's to say)
    params = (form.recorded_of(doc.get(form.recorded[0])) if form is not None and form.recorded else None) or {}
    params.update(made_with_of(doc.get(MADE_WITH[0])) or {})
    return {"params": params} if params else None


@functools.lru_cache(maxsize=None)
def _held_by(form_id: str) -> tuple:
    """What a workbook of form `form_id` holds, from its declaration (every layout the reader knows): each field's
    JSON pointer, the stamp's framework and the form's parameters (a monitoring report's month), and the table's
    item path with the item keys its columns fill (optional ones too); as (the header paths, the table's item
    path, its item keys, the paths read as names, the item keys read as names), once per form (held_content)."""
    forms = layouts_of(FORMS[form_id])
    paths = {"/framework"} | {f.path for form in forms for f in form.fields} | \
        {f"/{p.name}" for form in forms for p in form.params}
    keys = {k for form in forms for c in form.table.columns for k in c.item_keys}
    # the paths and item keys the reader reads as names in every layout (a text kind's clean_name: white space
    # folded), the others' texts only stripped
    named = _named([(f.path, f.kind) for form in forms for f in form.fields])
    named_keys = _named([(k, c.kind) for form in forms for c in form.table.columns for k in c.item_keys])
    return tuple(sorted(paths)), forms[0].table.item_path, tuple(sorted(keys)), named, named_keys


@functools.lru_cache(maxsize=None)
def _listed_by(form_id: str) -> tuple[frozenset, frozenset]:
    """Of form `form_id`'s names, those chosen from a list (一级指标, 二级指标, 项目类别, 绩效类型: read with
    ``_kinds.clean_listed``, parser_of, in every layout): (the field paths, the table's item keys)."""
    forms = layouts_of(FORMS[form_id])
    paths: dict = {}
    for form in forms:
        for f in form.fields:
            paths.setdefault(f.path, set()).add(parser_of(f) is clean_listed)
    keys: dict = {}
    for form in forms:
        for c in form.table.columns:
            for k in c.item_keys:
                keys.setdefault(k, set()).add(parser_of(c) is clean_listed)
    return (frozenset(p for p, listed in paths.items() if listed == {True}),
            frozenset(k for k, listed in keys.items() if listed == {True}))


def _named(declared: list) -> frozenset:
    """Of (path or key, kind) pairs, those whose every kind reads a cell's text as a name (``_kinds.clean_name``)."""
    kinds: dict = {}
    for where, kind in declared:
        kinds.setdefault(where, set()).add(KINDS[kind].parse is clean_name if kind in KINDS else False)
    return frozenset(w for w, named in kinds.items() if named == {True})


def held_content(doc, form_id: str | None = None):
    """What of document `doc` its form's workbook can hold, as a workbook read gives it back: each field the form
    declares, the framework and the form's parameters its stamp carries, and of each table row the keys its columns
    fill; nothing only a JSON document carries (an indicator's ``id`` where the form has no column for it, the
    document format's ``schema_version`` and ``form``, the template's ``made_with`` and ``points_source``).  A blank
    (absent, None, "") is one value, a text is without the white space around it and with its Windows line ends
    (``\\r\\n``) as ``\\n`` (as a cell's is read back); a number is the exact Decimal it was typed (a float by
    its shortest repr) with all its digits (1234.5 and 1234.50 alike, 3000000 and 3000000.0 alike; 1234.5 and
    1234.51 differ, and so do two numbers differing in a 16th digit, which the schema refuses anyway:
    schema.range; -0 is 0, 1E-20 is not), and a qualitative row's unit is not held (``_held_row``).  Two documents of one project differ only where these differ
    (``_check._validate.content_digest``, which validate and consolidate compare).  A document of no known form (or
    no object) is given back as it is."""
    if not isinstance(doc, dict):
        return doc
    form_id = form_id or doc.get("form") or GOAL_TABLE.id
    if not isinstance(form_id, str) or form_id not in FORMS:
        return doc
    paths, item_path, keys, named, named_keys = _held_by(form_id)
    items = get(doc, item_path)
    items = [_held_row({k: _held_value(it.get(k), k in named_keys) for k in keys}) if isinstance(it, dict)
             else _held_value(it) for it in items] if isinstance(items, list) else _held_value(items)
    return {"fields": {p: _held_value(get(doc, p), p in named) for p in paths}, "items": items}


def names_as_read(doc, form_id: str):
    """A JSON document's names (单位, 项目, 指标名称 …: the fields and item keys its form's workbook reads as names)
    as the workbook's reader gives them (``_kinds.clean_name``: line breaks and stray spaces around Chinese text
    folded, ends trimmed; a name chosen from a list, 一级指标 or 项目类别, ``clean_listed``, parser_of: the zero-width
    characters a paste leaves dropped too), in place, so that a return sent as JSON and as its workbook spell a project alike in every
    summary (项目清单 showed ``Office 365 升级项目`` and ``Office 365升级项目``).  A name of nothing but white space,
    and anything not a text, is left for the schema and the rules to say.  Returns `doc`."""
    if not isinstance(doc, dict) or form_id not in FORMS:
        return doc
    _, item_path, _, named, named_keys = _held_by(form_id)
    listed, listed_keys = _listed_by(form_id)

    def fold(node: dict, key: str, clean) -> None:
        v = node.get(key)
        if isinstance(v, str):
            folded = clean(v)
            if folded and folded != v:
                node[key] = folded

    for path in named:
        *head, last = path.strip("/").split("/")
        parent = get(doc, "/" + "/".join(head)) if head else doc
        if isinstance(parent, dict):
            fold(parent, last, clean_listed if path in listed else clean_name)
    items = get(doc, item_path)
    if isinstance(items, list) and named_keys:
        for item in items:
            if isinstance(item, dict):
                for key in named_keys:
                    fold(item, key, clean_listed if key in listed_keys else clean_name)
    return doc


def _held_row(row: dict) -> dict:
    """A table row as a workbook holds it (held_content): a qualitative target's unit is not read back (the reader
    keeps a unit only beside a number, or a comparator other than 定性, _read._interpret._target), so a JSON from
    another system with a unit on such a row reads as its workbook does."""
    if row.get("unit") is not None and row.get("text") is not None and row.get("comparator") in (None, "qualitative"):
        row["unit"] = None
    return row


_ZERO = Decimal(0)

#: Windows line ends, as a cell's text read back and read again holds them (\r\r\n: \r\n, then \n)
_CR_LF = re.compile("\r+\n")


def _held_value(v, name: bool = False):
    """A value as a cell gives it back (held_content): a blank None, a text stripped with ``\\r\\n`` as ``\\n``
    (`name`: a name's, its white space folded as the reader folds it, ``clean_name``), a number its exact Decimal."""
    if name and isinstance(v, str):
        v = clean_name(_CR_LF.sub("\n", v)) or ""  # (clean_name's own \r\n, once: read twice, \r\r\n is \n)
    if isinstance(v, str):
        v = _CR_LF.sub("\n", v).strip()  # as the reader gives a cell's text back (_kinds.clean_text: \r\n as \n,
        # a lone \r kept, a cell's _x000D_ read back \r), and the same of a text read already: its \r\r\n, read
        # \r\n, is \n as the document's
    if v is None or v == "":
        return None
    if isinstance(v, (bool, str)):
        return v
    if isinstance(v, list):
        return [_held_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _held_value(x) for k, x in v.items()}
    d = held_number(v)
    # -0 (another system's -0.0, a cell's <v>-0</v>) is the amount 0; 1E-20 stays a number of its own
    return v if d is None else (d if d else _ZERO)


def layouts_of(form: Form) -> list[Form]:
    """The layouts of a form the reader knows, newest first."""
    return sorted((f for (fid, _), f in LAYOUTS.items() if fid == form.id), key=lambda f: -f.layout_version)


def get_form(form_id: str) -> Form:
    """The declaration of a form by its id (``goal-table``, ``self-evaluation``, ``monitoring``, as ``--form`` takes
    them): its sheets (``sheets``), its fields (``field(path).cell``: ``"B2"`` for ``/year``) and their titles
    (``title_of(path)``: 预算年度), from which the writer, reader and messages are made; an unknown id is an
    ``XlgoalsError`` naming the ids known."""
    from .._errors import XlgoalsError

    try:
        return FORMS[form_id]
    except KeyError:
        from .._text import Bilingual

        raise XlgoalsError(Bilingual(f"未知的表单 {form_id!r}（可用：{', '.join(FORMS)}）",
                                     f"unknown form {form_id!r} (known: {', '.join(FORMS)})")) from None


__all__ = ["COMPARATOR_DISPLAY", "FORMS", "GOAL_TABLE", "KINDS", "LAYOUTS", "MONITORING", "SELF_EVALUATION", "Area",
           "Column", "Computed", "Field", "FieldGrid", "FieldSheet", "Form", "GuideSheet", "Kind", "Param",
           "PrintSetup", "TableSheet", "TotalRow", "Unreadable", "Validation", "a1", "col_letter", "column_ref",
           "comparator_display", "format_target", "get_form", "held_content", "layouts_of", "parse_a1", "parse_stamp",
           "target_in_words"]
