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


def _refused(error, keyword: str, option: str, should: tuple[str, str], value):
    name = given_as(option, keyword)
    return error(Bilingual(f"{name} {should[0]}，实际为 {_shown(value)}", f"{name} {should[1]}, not {_shown(value)}"))


def _shown(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def flag(value, keyword: str, option: str | None = None) -> bool:
    """A yes/no argument (``force=``, ``strict=``): True or False (numpy's bool too), not a text ("no" is truthy:
    it acted as True), a number or None."""
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_" and type(value).__module__ == "numpy":
        return bool(value)
    raise _refused(ArgumentTypeError, keyword, option or f"--{keyword.replace('_', '-')}",
                   ("应为 True 或 False", "should be True or False"), value)


def review(value):
    """``review=``: None (as the review's inputs say), True, False, or a loaded Review (``load_review``)."""
    if value is None or isinstance(value, bool):
        return value
    from ._review import Review

    if isinstance(value, Review):
        return value
    raise _refused(ArgumentTypeError, "review", "--review",
                   ("应为 True、False、None 或 load_review() 载入的 Review", "should be True, False, None or a Review "
                    "that load_review() loaded"), value)


def config(value):
    """``config=``: None or a loaded Config (``Config.load``); a path to a rule table goes in ``rules=``."""
    from ._config import Config

    if value is None or isinstance(value, Config):
        return value
    raise _refused(ArgumentTypeError, "config", "config=",
                   ("应为 Config.load() 载入的 Config 或 None（规则表的路径请用 rules=，指标体系的文件夹请用 frameworks=）",
                    "should be a Config that Config.load() loaded, or None (a rule table's path goes in rules=, a "
                    "folder of frameworks in frameworks=)"), value)


def made_on(value):
    """``made_on=``: None, a date (a datetime: its date) or its text YYYY-MM-DD; the date, or None."""
    import datetime as dt

    should = ("应为日期（datetime.date）或 YYYY-MM-DD 格式的文本", "should be a date (datetime.date) or a text YYYY-MM-DD")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise _refused(ArgumentValueError, "made_on", "made_on=", should, value) from None
    raise _refused(ArgumentTypeError, "made_on", "made_on=", should, value)


def password(value):
    """``password=``: None (no password: the sheets protected without one) or a text."""
    if value is None or isinstance(value, str):
        return value
    raise _refused(ArgumentTypeError, "password", "--password", ("应为文本（str）或 None", "should be a text (str) or None"),
                   value)


def warnings(value):
    """``warnings=``: None or a list the problems are appended to (a tuple cannot take them: it failed only after
    the workbook was written)."""
    if value is None or callable(getattr(value, "append", None)) and not isinstance(value, (str, bytes)):
        return value
    raise _refused(ArgumentTypeError, "warnings", "warnings=",
                   ("应为列表（list，写入时的提示追加其中）或 None", "should be a list (the notices are appended to it) or None"),
                   value)


def path(value, keyword: str = "path", option: str | None = None):
    """One file's path (``read``, ``validate_file``, an output): a text, bytes or os.PathLike."""
    if isinstance(value, (str, bytes, os.PathLike)):
        return value
    raise _refused(ArgumentTypeError, keyword, option or f"{keyword}=",
                   ("应为文件的路径（str 或 pathlib.Path）", "should be a file's path (a str or a pathlib.Path)"), value)


def inputs(value, keyword: str = "paths"):
    """The files and folders to read (``validate``, ``consolidate``, ``frames``): one path, or an iterable of paths
    (read once: ``paths``); None, a number or a list holding one is refused, naming the argument."""
    should = ("应为文件或文件夹的路径，或路径的列表", "should be the path of a file or folder, or a list of paths")
    if isinstance(value, (str, bytes, os.PathLike)):
        return value
    if value is None or not hasattr(value, "__iter__"):
        raise _refused(ArgumentTypeError, keyword, f"{keyword}=", should, value)
    value = list(value)
    for item in value:
        if not isinstance(item, (str, bytes, os.PathLike)):
            raise ArgumentTypeError(Bilingual(f"{keyword}= {should[0]}，其中的 {_shown(item)} 不是路径",
                                              f"{keyword}= {should[1]}; {_shown(item)} in it is no path"))
    return value


#: The options of ``xlgoals template`` that only some forms take: each option, the forms that take it, and what it
#: is for (said when another form is given it).  An option not here (--password, --force, --out-dir, --lang, --rules,
#: --frameworks) goes with every form.  A self-evaluation or monitoring report is made from its approved goal table:
#: its year, framework and indicator rows are that table's, so --year, --framework and --rows have nothing to set
#: there and are refused rather than silently passed over (`--year 2021 --targets 批复/` still wrote a 2020 goal
#: table's form).
TEMPLATE_OPTIONS: dict[str, tuple[tuple[str, ...], tuple[str, str]]] = {
    "--month": (("monitoring",), ("绩效运行监控表的报告月份", "the monitoring report's month")),
    "--weights": (("self-evaluation",), ("自评表的分值", "the self-evaluation's points")),
    "--year": (("goal-table",), ("空白或预填的绩效目标表的年度；自评表、监控表的年度取自其批复的绩效目标表",
                                 "the year of a blank or prefilled goal table; a self-evaluation's or monitoring "
                                 "report's year is that of its approved goal table")),
    "--framework": (("goal-table",), ("空白或预填的绩效目标表的指标体系；自评表、监控表沿用其批复的绩效目标表的指标体系",
                                      "the framework of a blank or prefilled goal table; a self-evaluation or "
                                      "monitoring report keeps its approved goal table's")),
    "--rows": (("goal-table",), ("空白或预填的绩效目标表的指标行数；自评表、监控表的行即其批复的绩效目标表的指标",
                                 "the indicator rows of a blank or prefilled goal table; a self-evaluation's or "
                                 "monitoring report's rows are its approved goal table's indicators")),
    "--library": (("goal-table",), ("绩效目标表三级指标的可选名称；自评表、监控表的指标已由批复的绩效目标表锁定",
                                    "the names a goal table's level-3 column offers; a self-evaluation's or "
                                    "monitoring report's indicators are locked from its approved goal table")),
    "--prefill": (("goal-table",), ("按项目清单生成预填的绩效目标表；自评表、监控表由 --targets 的绩效目标表生成",
                                    "prefilled goal tables from a project list; self-evaluations and monitoring "
                                    "reports are made from the goal tables of --targets")),
    "--ignore-columns": (("goal-table",), ("与 --prefill 一起忽略项目清单的列", "with --prefill, columns of the "
                                           "project list to leave out")),
    "-o": (("goal-table",), ("单个空白绩效目标表的输出文件；自评表、监控表写入 --out-dir 给出的文件夹",
                             "the file of one blank goal table; self-evaluations and monitoring reports go to the "
                             "folder of --out-dir")),
}


def template_options(form_id: str, given) -> None:
    """Refuse, as a UsageError naming each, the options of `given` (``--year``, ``-o``: as TEMPLATE_OPTIONS names
    them, in the command's order) that form `form_id` does not take, and say which form takes each and what it is for;
    nothing is read or written before."""
    unused = [o for o in given if o in TEMPLATE_OPTIONS and form_id not in TEMPLATE_OPTIONS[o][0]]
    if not unused:
        return
    said = [(f"{o} 只用于 {'、'.join('--form ' + f for f in TEMPLATE_OPTIONS[o][0])}（{TEMPLATE_OPTIONS[o][1][0]}）",
             f"{o} goes only with {' or '.join('--form ' + f for f in TEMPLATE_OPTIONS[o][0])} "
             f"({TEMPLATE_OPTIONS[o][1][1]})") for o in unused]
    if len(said) == 1:
        raise UsageError(Bilingual(*said[0]))
    raise UsageError(Bilingual(f"--form {form_id} 不使用 {'、'.join(unused)}：" + "；".join(z for z, _ in said),
                               f"--form {form_id} takes no {', '.join(unused)}: " + "; ".join(e for _, e in said)))
