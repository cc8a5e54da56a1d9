"""What a workbook can hold and give back of a JSON document: ``fill`` refuses a document beyond it, and ``validate``
says the same problems of a JSON document (``validate_document``), each at its JSON pointer.

Light on purpose (no xlsxwriter, openpyxl nor jsonschema): ``validate`` imports it for a JSON document.
"""

from __future__ import annotations

import math
import re
from decimal import Context, Decimal

from .._config import Config
from .._decimals import TypedFloat
from .._form._kinds import AMOUNT_DIGITS, FIRST_YEAR
from .._pointers import get
from .._text import CONTROL_CHAR


def number_problems(node, path: str, config: Config, form) -> list:
    """Numbers a workbook cannot hold exactly: beyond 15 significant digits (JSON allows any; schema.range), an
    amount to a fraction of a fen (cell.amount_decimals, as the reader refuses it in a cell).  Walked without
    recursion (documents may be deep), in the document's order."""
    out, stack = [], [(path, node)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict):
            stack.extend(reversed([(f"{where}/{k}", v) for k, v in node.items()]))
        elif isinstance(node, list):
            stack.extend(reversed([(f"{where}/{i}", v) for i, v in enumerate(node)]))
        elif isinstance(node, (int, float, Decimal)) and not isinstance(node, bool):
            out += _number_problem(node, where, config, form)
    return out


def _not_a_number(node, path: str, config: Config, form) -> list:
    """NaN or an infinity (a float's, a Decimal's: what pandas and numpy give for a value missing or overflowed): no
    number, and no cell holds it (schema.not_a_number), said as such, not as a number of too many digits."""
    shown = "NaN" if node != node else ("-Infinity" if node < 0 else "Infinity")
    return [config.rules.problem("schema.not_a_number", path=path, field=form.title_of(path),
                                 field_en=form.title_of(path, "en"), value=shown)]


def _significant(digits: str) -> int:
    """The digits a number written so takes in a cell: its significant digits and the zeros before the point
    (1e+20: 21; 100: 3; 1e-05, 0.00001 as Python writes it: 1; 123456789012345.0: 15, its ".0" no digit)."""
    _, figures, exponent = Decimal(digits).normalize().as_tuple()
    return len(figures) + max(exponent, 0)


def _stripped(number: Decimal) -> Decimal:
    """A finite Decimal's value without trailing zeros after the point, an integer still an integer: 6424663.0000
    (a finance database's numeric(18,4)) is 6424663, 1.50 is 1.5, 100 stays 100 (normalize() alone gives 1E+2).
    Exact: the context holds all its digits, so no digit is rounded away."""
    plain = number.normalize(Context(prec=max(len(number.as_tuple().digits), 1)))
    return plain if plain.as_tuple().exponent <= 0 else Decimal(int(plain))


def _number_problem(node, path: str, config: Config, form) -> list:
    if not isinstance(node, int) and not (node.is_finite() if isinstance(node, Decimal) else math.isfinite(node)):
        return _not_a_number(node, path, config, form)
    if isinstance(node, Decimal):
        node = _stripped(node)  # its trailing zeros are no decimal places, nor digits
    try:
        digits = f"{node}" if isinstance(node, (int, Decimal)) else node.text if isinstance(node, TypedFloat) \
            else repr(float(node))  # (a float subclass's repr:
        # numpy's np.float64(0.1) is no number's text)
    except ValueError:  # an int beyond Python's digits limit (4300)
        digits = "9" * 30
    written = _significant(digits)
    if written > AMOUNT_DIGITS:  # the digits it takes written out, not its significant ones: 1e16 has one, takes 17
        plain = format(Decimal(digits), "f") if written <= 30 else digits[:30]
        return [config.rules.problem("schema.range", path=path, field=form.title_of(path),
                                     field_en=form.title_of(path, "en"), value=plain,
                                     expected=f"至多 {AMOUNT_DIGITS} 位数字（不用指数写出时；此数为 {written} 位，"
                                              f"电子表格只能准确显示和保存 {AMOUNT_DIGITS} 位）",
                                     expected_en=f"at most {AMOUNT_DIGITS} digits written out without an exponent (this "
                                                 f"one takes {written}; a spreadsheet shows and keeps {AMOUNT_DIGITS} "
                                                 "exactly)")]
    field = form.find_field(path)
    if field is not None and field.kind == "amount" and Decimal(digits).as_tuple().exponent < -2:  # 1e-05 too
        return [config.rules.problem("cell.amount_decimals", path=path, field=field.label,
                                     field_en=field.label_en, value=digits)]
    return []


_CELL_UNITS = 32767  # what an Excel cell holds, in UTF-16 code units (XlsxWriter cuts a longer string)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_CHAR = CONTROL_CHAR  # NUL, ESC, DEL, C1, bidi overrides (``_text``): none in a template, nor a file's name
#: The first date a spreadsheet holds (Excel's 1900 date system: serial 1); the reader refuses an earlier one as
#: template --prefill does (cell.date), and xlsxwriter writes year 0 not at all, 1–1899 as a time.
FIRST_DATE = f"{FIRST_YEAR}-01-01"
_ISO_YEAR = re.compile(r"^(\d{4})-\d{2}-\d{2}$")


def limit_problems(doc: dict, config: Config, form, controls: bool = True) -> list:
    """What the reader would refuse of the workbook made from `doc`: more item rows than the form holds, a text
    longer than the reader takes (config.limits, as the reader applies them); a text holding a control character
    (NUL, ESC, a text-direction override: schema.control_char), which no template is made with; a date before
    1900-01-01, which no spreadsheet holds (schema.range).  A workbook is never written that reads back otherwise
    than its document.  `controls=False`: no control character looked for (``validate_document`` has its own
    check, ``_control_chars``)."""
    limits, out = config.limits, []
    text, long_text = limits["text_chars"], limits["longtext_chars"]

    def check(path: str, value, kind: str, label=None, label_en=None):
        """A problem for a text beyond its limit; the field's titles (`label`: the form's, found only then)."""
        if not isinstance(value, str):
            return
        if kind == "date":
            year = _ISO_YEAR.match(value)
            if year and value < FIRST_DATE:
                out.append(config.rules.problem(
                    "schema.range", path=path, value=value, field=label or form.title_of(path),
                    field_en=label_en or form.title_of(path, "en"),
                    expected=f"应为 {FIRST_DATE} 或以后的日期（电子表格无法保存更早的日期）",
                    expected_en=f"a date from {FIRST_DATE} on (a spreadsheet holds no earlier date)"))
            return
        limit = long_text if kind == "longtext" else text
        # (UTF-16 units: at most two a character, so counted only for a text that may take more than a cell holds)
        units = len(value.encode("utf-16-le", "surrogatepass")) // 2 if len(value) > _CELL_UNITS // 2 else 0
        lone = _LONE_SURROGATE.search(value)  # only Python can put one there
        control = _CONTROL_CHAR.search(value) if controls else None
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
