"""The public functions' arguments, checked at the entry: one checker per kind (year, month, rows, jobs, paths).

A library caller's argument that cannot be used is a ``UsageError`` naming it, in Chinese and English, before
anything is read or written: a bare TypeError from a comparison deep inside ("'<=' not supported between ...") said
neither which argument nor what it should be.  The errors also derive from TypeError (a value of the wrong kind) or
ValueError (a whole number out of range), as Python's own argument errors do, for callers that catch those.
"""

from __future__ import annotations

import numbers
import operator
import os
from collections.abc import Iterator

from ._defaults import MAX_JOBS, MAX_ROWS, MIN_YEAR, MAX_YEAR
from ._errors import UsageError, given_as
from ._text import Bilingual


class ArgumentTypeError(UsageError, TypeError):
    """An argument of the wrong kind (a text or a float where a whole number is asked)."""


class ArgumentValueError(UsageError, ValueError):
    """A whole number outside the range the argument allows."""


def whole_number(value, keyword: str, option: str, lo: int, hi: int, what: tuple[str, str]) -> int:
    """`value` if it is a whole number (an int, not a bool, not "6", not 6.0) from `lo` to `hi`; else a UsageError
    naming the argument (``year=`` to a library caller, ``--year`` on the command line) and what it should be."""
    name = given_as(option, keyword)
    should = (f"{what[0]} {name} 应为 {lo} 至 {hi} 之间的整数", f"{what[1]} ({name}) should be a whole number from {lo} to {hi}")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ArgumentTypeError(Bilingual(f"{should[0]}，实际为 {value!r}", f"{should[1]}, not {value!r}"))
    value = operator.index(value)  # numpy's np.int64(2021) too: a whole number, as a plain int
    if not lo <= value <= hi:
        raise ArgumentValueError(Bilingual(f"{should[0]}，实际为 {value}", f"{should[1]}, not {value}"))
    return value


def year(value) -> int:
    """The budget year of a template (``write_template``, ``prefill_templates``; the CLI's --year: the same range)."""
    return whole_number(value, "year", "--year", MIN_YEAR, MAX_YEAR, ("年度", "the budget year"))


def month(value, lo: int = 1, hi: int = 12) -> int:
    """The month of a monitoring report (`lo`, `hi`: the form's declared range)."""
    return whole_number(value, "month", "--month", lo, hi, ("月份", "the month"))


def rows(value, hi: int = MAX_ROWS) -> int | None:
    """The number of indicator rows of a template: None (the default) or a whole number from 1 to `hi`."""
    if value is None:
        return None
    return whole_number(value, "rows", "--rows", 1, hi, ("指标行数", "the number of indicator rows"))


def jobs(value) -> int | None:
    """The number of worker processes: None or 0 (one per CPU core), or a whole number up to MAX_JOBS.  "2" failed
    deep in the pool with "'<' not supported", and -1 (joblib's "all cores") silently ran one worker."""
    if value is None:
        return None
    return whole_number(value, "jobs", "--jobs", 0, MAX_JOBS, ("并行进程数（0：全部 CPU 核）", "the number of worker processes (0: every CPU core)"))


def form(value) -> str:
    """A form's id (``validate_document(form=...)``): one of FORMS, else a UsageError naming the forms there are."""
    from ._form import FORMS

    if isinstance(value, str) and value in FORMS:
        return value
    known = ", ".join(FORMS)
    name = given_as("--form", "form")
    error = ArgumentValueError if isinstance(value, str) else ArgumentTypeError
    raise error(Bilingual(f"表单 {name} 应为以下之一：{known}，实际为 {value!r}",
                          f"the form ({name}) should be one of {known}, not {value!r}"))


def paths(value):
    """Paths as a public function takes them (one path, a list, or any iterable: ``Path('收件箱').glob('*.xlsx')``),
    read once here at the entry: a generator or other one-shot iterator becomes a list, so the checks that look at
    the paths before reading them (outputs over inputs, missing paths) do not use it up and leave nothing to read.
    One path, None, a list, or any other object (a PreviousIndex, Weights) is given back as it is."""
    if isinstance(value, Iterator) and not isinstance(value, (str, bytes, os.PathLike)):
        return list(value)
    return value
