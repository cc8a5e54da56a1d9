"""Exact money and scores: document numbers as Decimals, rounded to cents, and back to JSON numbers.

A float in a document is taken by its shortest repr (0.1 is 0.1, the decimal that was typed), so
sums and ratios of amounts are never binary-float arithmetic.
"""

from __future__ import annotations

import numbers
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation

CENT = Decimal("0.01")
#: The significant digits of a number that Excel, WPS and LibreOffice show (and LibreOffice saves in an .xlsx or .ods):
#: a return is read to them, whatever the file holds, and a summary's amount beyond them is shown with a note.
SHOWN_DIGITS = 15
#: Rounding to cents keeps every digit of a whole part however long: a 分值 of 1e26 in a JSON document (28 digits
#: and two decimals) was past the default context's 28 and raised InvalidOperation inside a rule.
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def dec(value) -> Decimal | None:
    """A document number as an exact Decimal (floats by their shortest repr: 0.1 is 0.1); None otherwise."""
    kind = type(value)  # a float or an int, nearly always: told first, by their exact types
    if kind is float:
        d = Decimal(repr(value))  # (a float's repr is always a valid Decimal: nan and inf too)
        return d if d.is_finite() else None
    if kind is int:
        return Decimal(value)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        try:
            d = Decimal(repr(value))
        except InvalidOperation:
            return None
        return d if d.is_finite() else None
    if isinstance(value, Decimal):
        return value
    return None


def exact_number(value) -> Decimal | None:
    """A number of a document (``read().document``, ``validate(keep_documents=True)``, a JSON return) as the exact
    Decimal that was typed: a float by its shortest repr (27392459.26, not the binary 27392459.259999998...), an int
    as it is, a Decimal as it is; None for anything that is no number (None, a text kept as typed, a bool, NaN, an
    infinity).  Documents keep JSON's numbers (``json.dumps(doc)`` works, the schema says number); sum their amounts
    through this, ``sum(xlgoals.exact_number(d["budget"]["total"]) for d in docs)``, and the total is exact."""
    d = dec(value)
    return d if d is not None and d.is_finite() else None


def held_number(value) -> Decimal | None:
    """A document number as compared (``_form.held_content``): its exact Decimal (``dec``) with all its digits,
    trailing zeros dropped (1234.50 is 1234.5, 3000000.0 is 3E+6); None for anything that is no finite number.
    Decimals throughout: 1234.5 and 1234.51 stay two numbers, and so do 12345678901234.51 and 12345678901234.54
    (16 digits, which the schema refuses: schema.range; a workbook's numbers are read to the 15 digits shown,
    so two saves of one file, Excel's 1234567.8900000001 and fill's 1234567.89, read the same)."""
    d = exact_number(value)
    return None if d is None else d.normalize(_WIDE)  # (exact: the context holds every digit)


def as_shown(value: float) -> float:
    """A finite float as a spreadsheet shows it, to SHOWN_DIGITS significant digits: an .xlsx's 0.30000000000000004
    (Excel writes the double) is 0.3, an .xls's 0.1234567890123456 is 0.123456789012346."""
    return float(f"{value:.{SHOWN_DIGITS}g}")


def shown_exactly(value: Decimal) -> bool:
    """Whether a spreadsheet shows the amount `value` with all its digits: it has at most SHOWN_DIGITS significant
    digits (12,345,678,901,234.56 has 16: Excel shows 12,345,678,901,234.60)."""
    return len(value.normalize(_WIDE).as_tuple().digits) <= SHOWN_DIGITS if value.is_finite() else True


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=_WIDE)


def number(value: Decimal | None):
    """A Decimal for JSON: an int when whole, else a float of at most two decimals."""
    if value is None:
        return None
    value = round2(value)
    return int(value) if value == value.to_integral_value() else float(value)


def yuan(value) -> tuple[str, str]:
    """An amount as messages write it, (zh, en): 62800000 -> ("62,800,000.00 元", "62,800,000.00 yuan"), exactly;
    a value that is no number is written as it is."""
    d = dec(value)
    if d is None:
        return str(value), str(value)
    # to the fen; an amount of a fraction of a fen (a sum with 5.125 in it) in all its digits, not rounded to one
    # that looks right (142,015,054.935 is not 142,015,054.94)
    shown = f"{round2(d):,.2f}" if round2(d) == d else f"{d.normalize():,f}"
    return f"{shown} 元", f"{shown} yuan"


TEN_THOUSANDTH = Decimal("0.0001")


def round4(value: Decimal) -> Decimal:
    """A rate as summaries carry it: to 0.01 % (0.97850409… is 0.9785), rounded half up."""
    return value.quantize(TEN_THOUSANDTH, rounding=ROUND_HALF_UP, context=_WIDE)


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part ÷ whole, exactly (执行率 = executed ÷ budget); None when either is missing or `whole` is not above 0."""
    if part is None or whole is None or whole <= 0:
        return None
    return part / whole


def percent(d: Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """A ratio as a percentage to 0.01 % for messages: 0.4512 -> 45.12%.  A figure compared with a limit is rounded
    toward its side of it (ROUND_FLOOR below, ROUND_CEILING above), so that a message never reads "90%, below 90%"."""
    # (every digit kept, as round2 keeps them: a rate of 1e40 in a library caller's document raised InvalidOperation)
    return f"{number((d * 100).quantize(CENT, rounding=rounding, context=_WIDE))}%"


def _plain(value):
    """A scalar of a document as the Python value it is: a numpy (or any library's) integer an int (``__index__``),
    a numpy float a float (by its shortest text: np.float32(0.1) is 0.1, as typed), a numpy bool a bool; a Decimal
    that is no number (NaN, an infinity: what frames() may be given back) a float NaN or infinity, which compares
    without raising; anything else as it is.  numpy is never imported: its types are told by their module."""
    kind = type(value)
    if kind in (str, int, float, bool, dict, list) or value is None:
        return value
    if isinstance(value, Decimal):
        if value.is_finite():
            return value
        return float("nan") if value.is_nan() else float("-inf" if value.is_signed() else "inf")  # (sNaN too)
    if kind.__module__.partition(".")[0] == "numpy" and hasattr(value, "dtype"):
        if getattr(value, "shape", ()) != ():
            return NoJsonValue(value)  # an array where a value goes
        letter = getattr(value.dtype, "kind", "")
        if letter == "b":
            return bool(value)
        if letter in "iu" and hasattr(value, "__index__"):
            return value.__index__()
        if letter == "f":
            try:
                return float(str(value))  # (numpy's str is the shortest text of its float: '0.1', 'nan', 'inf')
            except ValueError:
                return float(value)
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, bool) and hasattr(value, "__index__"):
        return value.__index__()  # (an int subclass, another library's integer)
    if isinstance(value, float):
        return float(value)  # (a float subclass: its repr need not be a number's text)
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return NoJsonValue(value)  # a complex, a Fraction: no JSON number
    return value


class NoJsonValue:
    """A number no JSON document holds (a complex, a Fraction, a numpy array), as a document's check is given it: of
    no JSON type, so the schema says schema.type at its JSON pointer, showing the value as its text."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __str__(self) -> str:
        return str(self.value)

    __repr__ = __str__


def plain_numbers(doc):
    """`doc` with its numbers as Python's (``_plain``): what a document built from pandas or numpy values holds
    (numpy.int64, numpy.float64, Decimal('NaN')) is checked and written as the number it is, or said to be no
    number (schema.not_a_number), never a bare decimal.InvalidOperation.  The caller's document is not changed: a
    copy (containers only) when anything is converted, else `doc` itself.  Walked without recursion."""
    if not _foreign(doc):
        return doc
    top = dict(doc) if isinstance(doc, dict) else list(doc) if isinstance(doc, list) else _plain(doc)
    stack = [top] if isinstance(top, (dict, list)) else []
    while stack:
        node = stack.pop()
        for key, value in list(node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, (dict, list)):
                node[key] = copy = dict(value) if isinstance(value, dict) else list(value)
                stack.append(copy)
            else:
                node[key] = _plain(value)
    return top


def _foreign(doc) -> bool:
    """Whether `doc` holds a value ``_plain`` converts."""
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif _plain(node) is not node:
            return True
    return False
