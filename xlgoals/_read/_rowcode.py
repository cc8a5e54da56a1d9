"""Read, stage 3's common row: one generated function per (form, framework) that reads an indicator row.

``_interpret._interpret_rows`` reads a row column by column through each kind's codec, with every check a cell may
need (a formula, an error value, a percent format, a number format showing text, a fraction on a row in %, a unit
typed with a number, a text too long to print …).  Nearly every row of a return needs none of them: plain text and
numbers typed into the cells.  For those rows, the function made here from the form's declaration (its columns,
their kinds, positions and widths) reads the row on one straight path, the kinds' parsers inlined where their common
case is short, and gives the item dict.  Wherever a cell is anything else (a value of another type, a text that
does not parse, a number below 1 on a row in %, a unit typed with a number, a text beyond the limit or longer than
one printed line …) it gives None, having added nothing anywhere, and the row is read by ``_interpret_rows`` as
before: what the fast path gives is what that code gives, or nothing.  The caller only hands it rows with no cell
flagged by the screen (formulas, error values), shown as a percent or with format text, and not hidden.

The information sheet's header fields are read the same way (``info_reader``): one generated function per form, each
field on a straight path where its value is plain, every other handed to ``_interpret._read_field``.

A function's source is the same for every run of a form and framework, so its code is kept on disk as the checks'
generated functions are (``_diskcache.compiled``, keyed by the source).
"""

from __future__ import annotations

import math
from weakref import WeakKeyDictionary

from .._form._kinds import (DISPLAY_TO_COMPARATOR, Unreadable, clean_listed, clean_name, clean_text, normalize_unit,
                            letter_o_target, parse_actual, parse_amount, parse_comparator, parser_of,
                            split_target)
from .._form._kinds import _ABOUT_AFTER  # (the words of an approximate target: 左右, 上下)
from .._form._kinds import _ANY_SPACE  # (one pattern: the reader's own test for a space in a text)
from .._form._kinds import _TYPED_BRACKETS  # a target's remark in brackets: its row read by the full path
from .._form._paper import FONT_SIZE, SMALLEST_FONT, _at_most_lines, _lines, _per_line

#: The kinds whose parser is inlined or looked at here; any other kind's parser is called, as a plain value.
_NAME_PARSERS = {clean_name}

def row_reader(form, fw, columns):
    """The generated row function of `form` under framework `fw` (its `columns`); None where the form's table has no
    comparator, target and unit columns to read together.  Made once per process: the rows' plan that holds it is
    (``_interpret._rows_plan``)."""
    return _make(form, columns)


def _one_line_width(width: float) -> int | None:
    """The most characters of a text of one paragraph that surely takes one line at the normal size in a column
    `width` wide (``_paper.one_line``: each taken for a wide one), where such a text surely prints whole too
    (``_paper.prints_whole``'s bound, told without counting); None where that cannot be told without measuring."""
    n = _per_line(width, FONT_SIZE) // 2
    if n < 1 or _at_most_lines("x" * n, width, SMALLEST_FONT) > _lines(width)[1]:
        return None
    return n


_ONE_LINE: dict = {}  # width -> _one_line_width, or 0

# What the generated row functions remember of the texts they read: a target's text -> split_target's tuple, an
# actual's -> parse_actual's value, a unit's -> normalize_unit's.  The same few texts come in return after return
# (≥90%, 人次, 达成), and each parser is a function of its text alone, giving a value nobody changes (a tuple, a str, a
# number): read once per process.  Bounded (``_KEPT`` texts of at most ``_KEPT_CHARS`` characters each, the first
# met kept), so that a batch of any size holds no more; a text that raises is not kept (its row goes to the full
# path, as before).
_KEPT = 1024
_KEPT_CHARS = 64
_TARGETS: dict = {}
_ACTUALS: dict = {}
_UNITS: dict = {}


def one_line_chars(width: float) -> int:
    """How many characters a text of one paragraph may have and surely print whole on one line of a column `width`
    wide (``_one_line_width``; 0 where that is not told by length alone), worked out once per width."""
    n = _ONE_LINE.get(width)
    if n is None:
        n = _ONE_LINE[width] = _one_line_width(width) or 0
    return n


def _make(form, columns):
    cols = {col.key: col for col in columns}
    if not {"comparator", "target", "unit"} <= set(cols):
        return None
    env = {"_D2C": DISPLAY_TO_COMPARATOR, "_parse_comparator": parse_comparator, "_split_target": split_target,
           "_clean_text": clean_text, "_clean_name": clean_name, "_clean_listed": clean_listed,
           "_normalize_unit": normalize_unit,
           "_parse_actual": parse_actual, "_Unreadable": Unreadable, "_ROUGH": _ABOUT_AFTER, "_space": _ANY_SPACE.search,
           "_isfinite": math.isfinite, "_str": str, "_float": float, "_brackets": _TYPED_BRACKETS,
           "_letter_o": letter_o_target,
           "_targets": _TARGETS, "_actuals": _ACTUALS, "_units": _UNITS, "_KEPT": _KEPT,
           "_KEPT_CHARS": _KEPT_CHARS, "_len": len}
    lines = ["def read_row(row, limit):", "    item = {}"]
    add = lines.append
    comp_i, target_i, unit_i = cols["comparator"].index, cols["target"].index, cols["unit"].index
    for col in columns:
        kind, key, i = col.kind, col.key, col.index
        if kind in ("seq", "target", "unit"):
            continue
        if kind == "comparator":
            _target_code(add, comp_i, target_i, unit_i, cols["target"].locked)
            continue
        add(f"    v = row[{i}]")
        add("    if v != '':")
        add("        t = type(v)")
        parse = parser_of(col)
        if parse in _NAME_PARSERS or parse is clean_listed:
            add("        if t is _str:")
            if parse is clean_listed:  # a choice from a list holding a format character (a paste's U+200B): dropped
                add("            if _space(v) or not v.isprintable():")
                add("                v = _clean_listed(v)")
            else:
                add("            if _space(v):")
                add("                v = _clean_name(v)")
            add("        elif t is _float:")
            add("            v = _clean_name(v)")
            add("        else:")
            add("            return None")
            add("        if v is not None:")
            add("            if len(v) > limit:")
            add("                return None")
            add(f"            item[{key!r}] = v")
        elif kind == "longtext":
            n = one_line_chars(col.width)
            if not n:
                add("        return None")
                continue
            add("        if t is not _str and t is not _float:")
            add("            return None")
            add("        v = _clean_text(v)")
            add("        if v is not None:")
            # longer than the limit (bounded), or than one printed line (printable measures it): the full path's
            add(f"            if len(v) > limit or len(v) > {n} or '\\n' in v:")
            add("                return None")
            add(f"            item[{key!r}] = v")
        elif kind == "number":
            add("        if t is not _float or not _isfinite(v):")
            add("            return None")
            add("        if v.is_integer() and -9007199254740992.0 < v < 9007199254740992.0:")
            add("            v = int(v)")
            add(f"        item[{key!r}] = v")
        elif kind == "actual":
            add("        if t is _float:")
            # a number below 1 (or 1) on a row in % is asked about, as the full path does
            add("            if not _isfinite(v) or 0 < v <= 1:")
            add("                return None")
            add("            if v.is_integer() and -9007199254740992.0 < v < 9007199254740992.0:")
            add("                v = int(v)")
            add(f"            item[{key!r}] = v")
            add("        elif t is _str:")
            # a text read before (most are: 达成, 完成, 已完成 …) as it read then (``_ACTUALS``)
            add("            a = _actuals.get(v)")
            add("            if a is None:")
            add("                a = _parse_actual(v)")
            add("                if a is not None and _len(_actuals) < _KEPT and _len(v) <= _KEPT_CHARS:")
            add("                    _actuals[v] = a")
            add("            v = a")
            add("            if v is not None:")
            # a number typed as text (81人, 0.85): its unit or fraction is held to the row's by the full path
            add("                if type(v) is not _str or len(v) > limit:")
            add("                    return None")
            add(f"                item[{key!r}] = v")
            add("        else:")
            add("            return None")
        else:  # a value only bounded (a choice, a grade, an id): its kind's own parser
            name = f"_parse_{len(env)}"
            env[name] = parse
            add("        if t is not _str and t is not _float:")
            add("            return None")
            add("        try:")
            add(f"            v = {name}(v)")
            add("        except _Unreadable:")
            add("            return None")
            add("        if v is not None:")
            add("            if type(v) is _str and len(v) > limit:")
            add("                return None")
            add(f"            item[{key!r}] = v")
    add("    return item")
    return _function(lines, env, f"<xlgoals row {form.id}>", "read_row")


def _target_code(add, comp_i: int, target_i: int, unit_i: int, locked: bool) -> None:
    """The comparator, target and unit cells read together, as ``_interpret._target`` reads them where the target
    cell shows no percent and no format text; None (to the full path) wherever it would say something."""
    add(f"    c = row[{comp_i}]")
    add("    if c == '':")
    add("        comp = None")
    add("    elif type(c) is _str:")
    add("        comp = _D2C.get(c)")
    add("        if comp is None:")
    add("            try:")
    add("                comp = _parse_comparator(c)")
    add("            except _Unreadable:")
    add("                return None")
    add("    else:")
    add("        return None")
    add(f"    u = row[{unit_i}]")
    add("    if u == '':")
    add("        unit = None")
    add("    elif type(u) is _str:")
    add("        unit = _units.get(u)")
    add("        if unit is None:")
    add("            unit = _normalize_unit(u)")
    add("            if unit is not None and _len(_units) < _KEPT and _len(u) <= _KEPT_CHARS:")
    add("                _units[u] = unit")
    add("    elif type(u) is _float:")
    add("        unit = _normalize_unit(u)")
    add("    else:")
    add("        return None")
    add("    if type(unit) is _str and unit.endswith(_ROUGH):")  # 100 with the unit 左右: said (cell.target_approximate)
    add("        return None")
    add(f"    t = row[{target_i}]")
    add("    tt = type(t)")
    add("    if t == '':")
    add("        target = None")
    add("    elif tt is not _str and tt is not _float:")
    add("        return None")
    add("    elif comp == 'qualitative':")
    add("        text = _clean_text(t)")
    add("        target = None if text is None else ('text', text)")
    add("    elif tt is _str and not _brackets.isdisjoint(t):")  # a remark beside the number: said (cell.target_remark)
    add("        return None")
    add("    else:")
    add("        target = _targets.get(t) if tt is _str else None")
    add("        if target is None:")
    add("            try:")
    add("                target = _split_target(t)")
    add("            except _Unreadable:")
    add("                return None")
    add("            if tt is _str and target is not None and _len(_targets) < _KEPT and _len(t) <= _KEPT_CHARS:")
    add("                _targets[t] = target")
    if not locked:  # 1OO read as 1 in the unit OO, O.5 as a text: the letter O for 0, said by the full path
        add("        if tt is _str and target is not None and _letter_o(t, unit) is not None:")  # (cell.target_letter_o)
        add("            return None")
        # 0.9 typed as the target of a row to reach, in %: asked about (cell.percent_fraction)
        add("        if target is not None and target[0] == 'number' and (tt is _float or target[3] is None) "
            "and unit == '%' and 0 < target[2] < 1 and comp != '<=' and comp != '<':")
        add("            return None")
    add("    if target is None:")
    add("        if comp:")
    add("            item['comparator'] = comp")
    add("        if unit:")
    add("            item['unit'] = unit")
    add("    elif target[0] == 'text':")
    add("        text = target[1]")
    add("        if len(text) > limit:")
    add("            return None")
    add("        item['comparator'] = comp or 'qualitative'")
    add("        item['text'] = text")
    add("        if unit and comp is not None and comp != 'qualitative':")
    add("            item['unit'] = unit")
    add("    else:")
    add("        tcomp, tunit = target[1], target[3]")
    # a comparator or a unit written twice, otherwise (or a multiplier, 1.2万): the full path says so
    add("        if comp and tcomp and comp != tcomp:")
    add("            return None")
    add("        if tunit is not None and tunit != unit:")
    add("            return None")
    add("        item['comparator'] = comp or tcomp or '='")
    add("        item['value'] = target[2]")
    add("        if unit or tunit:")
    add("            item['unit'] = unit or tunit")


#: form -> its information sheet's generated function (``info_reader``)
_INFO: WeakKeyDictionary = WeakKeyDictionary()


def info_reader(form):
    """The generated function that reads the header fields of `form`'s information sheet into a document, made once
    per form: ``read_info(info, doc, limit, long_limit, slow, screened)``, `info` the sheet's rows.  It reads
    each field as ``_interpret._read_field`` does where that says nothing: a plain value of its kind (a name without spaces, a
    whole amount, a text surely printed whole on one line …), put where its JSON pointer says; every other field
    (a value that does not parse, a date typed as a number, the year left blank, a text beyond its limit or longer
    than one printed line, a value of another type) it hands to `slow` (``_read_field`` itself) with its cell's
    value, in the same order; so too each field whose index is in `screened` (its cell holds a formula, an error
    value or a percent format: the caller's `slow` then screens it)."""
    fn = _INFO.get(form)
    if fn is None:
        fn = _INFO[form] = _make_info(form)
    return fn


def _make_info(form):
    env = {"_Unreadable": Unreadable, "_space": _ANY_SPACE.search, "_str": str, "_bool": bool, "_float": float,
           "_int": int, "_len": len, "_clean_name": clean_name}
    n = one_line_chars(form.info.printed_value_width)
    lines = ["def read_info(info, doc, limit, long_limit, slow, screened):", "    rows = _len(info)"]
    add = lines.append
    dicts: dict = {(): "doc"}  # the objects on the way to each field, made in field order as ``put`` makes them
    seen_rows: set = set()
    for i, f in enumerate(form.fields):
        env[f"_f{i}"] = f
        parts = tuple(f.path.strip("/").split("/"))
        for depth in range(1, len(parts)):
            head = parts[:depth]
            if head not in dicts:
                dicts[head] = f"d{len(dicts)}"
                add(f"    {dicts[head]} = {dicts[head[:-1]]}.setdefault({head[-1]!r}, {{}})")
        target = f"{dicts[parts[:-1]]}[{parts[-1]!r}]"
        if f.row not in seen_rows:
            seen_rows.add(f.row)
            add(f"    r{f.row} = info[{f.row}] if {f.row} < rows else ()")
        add(f"    v = r{f.row}[{f.col}] if {f.col} < _len(r{f.row}) else None")
        add("    if v == '':")
        add("        v = None")
        # a cell the sheet's screen found something in (a formula, an error value, a percent format), the year left
        # blank (the stamp's), a date typed as a number: said there
        cond = {"year": " or v is None", "date": " or type(v) is _float or type(v) is _int"}.get(f.kind, "")
        cond += " or type(v) is _bool"  # a native boolean (t="b"): it prints TRUE / FALSE, said there
        add(f"    if {i} in screened{cond}:")
        add(f"        slow(_f{i}, v)")
        add("    else:")
        ind = "        "
        parse = parser_of(f)
        limit = "long_limit" if f.kind == "longtext" else "limit"
        add(f"{ind}raw = v")
        if parse is clean_name:
            add(f"{ind}if type(v) is not _str or _space(v):")
            add(f"{ind}    v = _clean_name(v)")
        elif parse is parse_amount:
            add(f"{ind}if type(v) is _float and v.is_integer() and 0.0 <= v < 1e15:")
            add(f"{ind}    v = _int(v)")
            # a fraction of one 元 (“50%” typed where the cell keeps #,##0.00): cell.amount_fraction, said there
            add(f"{ind}elif type(v) is _float and 0.0 < v < 1.0:")
            add(f"{ind}    v = slow")
            add(f"{ind}else:")
            env[f"_p{i}"] = parse
            add(f"{ind}    try:")
            add(f"{ind}        v = _p{i}(v)")
            add(f"{ind}    except _Unreadable:")
            add(f"{ind}        v = slow")
        else:
            env[f"_p{i}"] = parse
            add(f"{ind}try:")
            add(f"{ind}    v = _p{i}(v)")
            add(f"{ind}except _Unreadable:")
            add(f"{ind}    v = slow")
        # a text within its limit, and (out of a grid) surely one printed line; a number; nothing
        printed = "" if f.in_grid else (f" and _len(v) <= {n} and '\\n' not in v" if n else " and False")
        add(f"{ind}if v is None or (type(v) is _str and _len(v) <= {limit}{printed}) or type(v) is _int "
            "or type(v) is _float:")
        add(f"{ind}    {target} = v")
        add(f"{ind}else:")
        add(f"{ind}    slow(_f{i}, raw)")
    return _function(lines, env, f"<xlgoals info {form.id}>", "read_info")


def _function(lines: list[str], env: dict, filename: str, name: str):
    """The function `name` the generated `lines` define, compiled through the disk cache and run in `env`; its
    source kept on it (``fn.source``) for the tests and for reading."""
    from .. import _diskcache

    source = "\n".join(lines) + "\n"
    exec(_diskcache.compiled(source, filename), env)  # noqa: S102 - our own source, made from the form's declaration
    fn = env[name]
    fn.source = source
    return fn
