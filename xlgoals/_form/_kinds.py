"""Value kinds: one codec per kind turns what people type into document values, and back.

A field or column of a form names its kind (year, text, longtext, date, amount, bool,
choice, comparator, target, unit, number, seq); the writer asks the kind how to write a
value and how to format the cell, and the reader asks it how to parse what it finds.

Parsers never guess: they return a value, or raise ``Unreadable(code)`` so the reader
can put a problem on the cell.  Full-width digits and symbols are folded with NFKC only
where a number or comparator is expected, never inside names.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from collections.abc import Callable
from decimal import Decimal

from .._pointers import get, put
from .._problems import number_text
from .._record import frozen
from .._resources import load_json
from .._text import invisible_stripped, pasted_stripped

YES, NO = "是", "否"
# Comparators as people write them in the form, and their document codes.
COMPARATOR_DISPLAY = {"=": "＝", ">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "qualitative": "定性"}
DISPLAY_TO_COMPARATOR = {v: k for k, v in COMPARATOR_DISPLAY.items()}
# Grades of a qualitative indicator's completion (self-evaluation), and their document codes.
GRADE_DISPLAY = {"achieved": "达成年度指标", "partly": "部分达成年度指标并具有一定效果",
                 "not_achieved": "未达成年度指标且效果较差"}
#: ... and in English, as the English messages name a grade (the cell, and so the dropdown, shows the Chinese text).
GRADE_EN = {"achieved": "achieved", "partly": "partly achieved, with some effect",
            "not_achieved": "not achieved, with poor effect"}


def choices_en(display: dict[str, str], english: dict[str, str]) -> str:
    """A dropdown's choices as an English message lists them: the text a department selects (Chinese), each with its
    English name: ``达成年度指标 (achieved), ...``."""
    return ", ".join(f"{text} ({english[code]})" if code in english else text for code, text in display.items())


class Unreadable(ValueError):
    def __init__(self, code: str, expected: str = "", **extra):
        super().__init__(code)
        self.code = code
        self.expected = expected
        self.extra = extra


def _cjk(ch: str) -> bool:
    """CJK ideographs, CJK punctuation or full-width forms (a character class as a comparison: a regex
    over these ranges costs more to compile at start-up than every call in a run)."""
    return bool(ch) and ("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
_SPACE_RUNS = re.compile(r"(\s+)")
_ANY_SPACE = re.compile(r"\s")


def clean_text(value) -> str | None:
    """Trim a free text; fold line breaks and spaces that PDF copies and wrapped cells leave."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).replace("\r\n", "\n").strip()
    if not s:
        return None
    return s


def clean_name(value) -> str | None:
    """Names (unit, project, indicators): no line breaks, no stray spaces around CJK text."""
    if type(value) is str and value and not _ANY_SPACE.search(value):
        return value  # the common case: a name without white space is kept as it is
    s = clean_text(value)
    if s is None:
        return None
    if not _ANY_SPACE.search(s):  # the common case: nothing to fold
        return s
    # linear: each run of white space goes if it touches CJK text, else becomes one space
    pieces = _SPACE_RUNS.split(s)
    for i in range(1, len(pieces), 2):
        before, after = pieces[i - 1][-1:], pieces[i + 1][:1]
        pieces[i] = "" if _cjk(before) or _cjk(after) else " "
    return "".join(pieces).strip() or None


def clean_listed(value) -> str | None:
    """A value chosen from a list (一级指标, 二级指标, 项目类别, 绩效类型: a field or column with a ``list``), read as a
    name (clean_name) without the invisible characters a web or WeChat paste leaves (zero-width space, BOM, word
    joiner, direction marks, soft hyphen: _text's one list): 产出目标 pasted with a U+200B is 产出目标, as with a
    trailing no-break space.  Asked only of a text str.isprintable() refuses (each of those is a format character),
    so that a plain choice costs one scan in C; an invisible letter (a Hangul filler) is left, and a message
    quoting it shows it (``_text.invisible_shown``)."""
    if type(value) is str:
        value = pasted_stripped(value)
    return clean_name(value)


#: What people type and paste for a number (schema/words.json): the words of a rough figure, the minus signs.
_WORDS = load_json("schema", "words.json")
#: The minus signs NFKC leaves as they are (U+2212 MINUS SIGN, from a symbol table or Word), read as -, as the
#: full-width － is
_MINUS = str.maketrans({c: "-" for c in _WORDS["minus_signs"]})


def _folded(text: str) -> str:
    """`text` as the parsers compare it: without the invisible characters a paste leaves, NFKC-folded (full-width
    digits and signs half-width), the minus signs (schema/words.json) as -, stripped."""
    return unicodedata.normalize("NFKC", invisible_stripped(text)).translate(_MINUS).strip()


def number_out(x: float) -> int | float:
    """Integral floats become ints, so JSON shows 100 rather than 100.0."""
    if isinstance(x, bool):
        raise TypeError
    if isinstance(x, int):
        return x
    if math.isfinite(x) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


# Amounts ---------------------------------------------------------------------------------
_AMOUNT = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$|^\d+(\.\d+)?$")


#: Amounts have at most this many significant digits (cents included): beyond it a double rounds them.
AMOUNT_DIGITS = 15


def _too_precise(text: str) -> bool:
    return len(text.replace(".", "").replace("-", "").lstrip("0")) > AMOUNT_DIGITS


#: What people write where there is no amount (a new project's 上年预算额): the cell is to be left blank.
_NO_AMOUNT = frozenset({"无", "暂无", "没有", "不涉及", "不适用", "-", "--", "—", "——", "/", "\\", "n/a", "na", "none",
                        "null", "空", "（无）", "(无)"})


#: An amount written out in Chinese numerals, whole: 大写 (人民币壹仟元整, as a cheque writes it) or 小写 (一千元, 约六千);
#: a text that only holds a numeral (详见附件一) is none.
_CAPITALS = re.compile("^(?:人民币|[¥￥])?(?:大约|约)?(?=.*[零〇壹贰叁肆伍陆柒捌玖拾佰仟一二两三四五六七八九十百千])"
                       "[零〇壹贰叁肆伍陆柒捌玖拾佰仟一二两三四五六七八九十百千万亿点元圆角分整正]+$")


def parse_amount(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Unreadable("cell.amount")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Unreadable("cell.amount")
        if value < 0:
            raise Unreadable("cell.amount_negative")
        if round(value, 2) != value and abs(round(value, 2) - value) > 1e-9:
            raise Unreadable("cell.amount_decimals")
        if _too_precise(f"{round(value, 2):.2f}".rstrip("0").rstrip(".")):
            raise Unreadable("cell.amount_precision", expected=str(AMOUNT_DIGITS))
        return number_out(round(value, 2))
    s = _folded(str(value))
    s = s.replace(" ", "").replace("\u00a0", "")
    if not s:  # nothing but invisible characters (a BOM, a zero-width space): a blank cell to the eye
        return None
    if _CAPITALS.match(s):  # 壹仟元整, 一千元: no digit to read
        raise Unreadable("cell.amount_capital")
    if s.endswith("整") and s[:-1][-1:].isdigit() or s.endswith("元整"):  # 1000整, 1000元整: exactly, in 元
        s = s[:-1]
    if "万" in s:
        raise Unreadable("cell.amount_wan", **_in_yuan(s, "万"))
    if "亿" in s:  # 6.28亿元, as large projects are spoken of
        raise Unreadable("cell.amount_yi", **_in_yuan(s, "亿"))
    if s.lower() in _NO_AMOUNT:  # 无, -, 不涉及 for a new project's 上年预算额: a blank is what the form means
        raise Unreadable("cell.amount_none")
    s = re.sub(r"^[¥￥]|(人民币)?元$", "", s)
    if s.startswith("-") and _AMOUNT.match(s[1:]):
        if s[1:].strip("0,.") != "":
            raise Unreadable("cell.amount_negative")
        s = s[1:]  # -0, -0.00: zero, which no sign makes negative
    if not _AMOUNT.match(s):
        raise Unreadable("cell.amount")
    s = s.replace(",", "")
    if "." in s and len(s.split(".")[1].rstrip("0")) > 2:
        raise Unreadable("cell.amount_decimals")
    if _too_precise(s.rstrip("0").rstrip(".") if "." in s else s):
        raise Unreadable("cell.amount_precision", expected=str(AMOUNT_DIGITS))
    return number_out(float(s)) if "." in s else int(s)


#: Words for a power of ten written after a number (1.2万, 3亿元): a multiplier, not a unit; longest first.  The one
#: table of them: the reader's (a number typed with one, cell.number_multiplier), an amount's in 元 (6280万元) and the
#: units of money the review converts to 元 (``money_factors``: 千元, 万元, 亿元 …).
#: Each word with its power of ten (万: 4); MULTIPLIERS with the number it multiplies by (万: 10 000).
_POWERS = (("万亿", 12), ("十万", 5), ("百万", 6), ("千万", 7), ("亿", 8), ("万", 4), ("千", 3), ("百", 2))
MULTIPLIERS = tuple((word, 10 ** n) for word, n in _POWERS)


def money_factors() -> dict[str, int]:
    """Each unit of money and how many 元 it is: 元, and 元 after each multiplier (千元 1000, 万元 10000, 亿元 …)."""
    return {"元": 1, **{f"{word}元": power for word, power in MULTIPLIERS}}


#: A multiplier word written in an amount: its power of ten (1 万 is 10 000 元, exactly).
_AMOUNT_MULTIPLIERS = {w: n for w, n in _POWERS if w in ("万", "亿")}
_IN_WORDS = re.compile(r"^[¥￥]?(?P<num>\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?)(?P<word>万|亿)(人民币)?元?$")


def _in_yuan(s: str, word: str) -> dict:
    """The ``detail`` of an amount written in 万 or 亿 (NFKC'd, no spaces): the exact amount in 元 to type instead
    (6280万元: 62800000), also its ``expected``, where it is one (to the fen, within the digits kept); else the
    advice to convert it (and nothing expected: no figure is given)."""
    m = _IN_WORDS.match(s)
    if m and m["word"] == word:
        from decimal import Decimal

        exact = Decimal(m["num"].replace(",", "")).scaleb(_AMOUNT_MULTIPLIERS[word])
        text = number_text(exact)  # exact digits, trailing zeros gone: to the fen where at most two decimals stay
        # (told from the digits: quantize beyond Decimal's 28 digits raised InvalidOperation)
        if len(text.partition(".")[2]) <= 2 and not _too_precise(text.replace(".", "")):
            return {"expected": text, "detail": f"，应填写 {text}", "detail_en": f"; enter {text}"}
    return {"detail": "，请换算为元后填写", "detail_en": "; convert it to yuan"}


# Dates --------------------------------------------------------------------------------------
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"  # a date written out: 2020-3-5, 2020年3月5日
# a date-time at midnight is a date: Excel writes a date-time cell into a CSV as 2020/1/5 0:00
_DATE_TEXT = re.compile(_YMD + r"(?:[\sT]+0?0:00(?::00(?:\.0+)?)?)?$")
#: A year and a month written out with no day (2020年5月, 2020-05, 2020/5, 2020.10 as text): no date, said as such
_YEAR_MONTH_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
#: A date written with a time of day that is not midnight (2020-01-01 13:45, 2020/1/1 9:30:00): a date cell holds a date
#: only, and the message says the time is what to remove
_DATE_TIME_TEXT = re.compile(_YMD + r"[\sT]+\d{1,2}(?::\d{2}){1,2}(?:\.\d+)?$")


#: The largest serial number Excel takes for a date (9999-12-31): any number above it is no serial.
MAX_DATE_SERIAL = 2958465


#: The first year a spreadsheet's date holds (Excel's 1900 date system: serial 1 is 1900-01-01).
FIRST_YEAR = 1900


def _eight_digits(digits: str) -> str:
    """YYYYMMDD (20200305, as a budget system exports a date and as people type one) as an ISO date, when it is a
    calendar date from 1900 on; it can mean no other date."""
    try:
        day = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise Unreadable("cell.date_no_such_day" if int(digits[:4]) >= FIRST_YEAR else "cell.date") from None
    if day.year < FIRST_YEAR:
        raise Unreadable("cell.date")
    return day.isoformat()


def parse_date(value) -> str | None:
    """A date cell's value (a return's, a project list's) as an ISO date: a date, Excel's serial number, a date
    written out (2020-03-05, 2020/3/5, 2020年3月5日, 2020.3.5) or its eight digits, 20200305, as text or as a number
    (what a date-formatted cell keeps when 20200305 is typed in it: no serial, as it is beyond 9999-12-31)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0):
            _year_month(value)
            raise Unreadable("cell.date_time", expected=value.date().isoformat())
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 10_000_000 <= value <= 99_999_999 and value == int(value):
            return _eight_digits(str(int(value)))
        # a number with a fraction, in a cell not formatted as a date (one that is reads as a date-time): no date
        if not (1 <= value <= MAX_DATE_SERIAL) or value != int(value):  # NaN and inf fail the range too
            raise Unreadable("cell.date")
        return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    s = _folded(str(value))
    if not s:  # nothing but invisible characters: blank to the eye
        return None
    if len(s) == 8 and s.isascii() and s.isdigit():
        return _eight_digits(s)
    m = _DATE_TEXT.match(s)
    if m:
        return _day(m)
    timed = _DATE_TIME_TEXT.match(s)
    if timed:
        raise Unreadable("cell.date_time", expected=_day(timed))
    month = _YEAR_MONTH_TEXT.match(s)
    if month and int(month[1]) >= FIRST_YEAR and 1 <= int(month[2]) <= 12:  # a whole date asked for, its format shown
        raise Unreadable("cell.date_month_only", expected=f"{int(month[1])}-{int(month[2]):02d}-01")
    raise Unreadable("cell.date")


#: The years a number typed as year.month (2020.12) is taken to be in: a date cell keeps 2020.12 as the serial of
#: 1905-07-12 02:52:48 (LibreOffice under zh_CN, Excel), a time of day in 1905 nobody means
_YEAR_MONTH_YEARS = (FIRST_YEAR, 2100)


def _year_month(value: dt.datetime) -> None:
    """Unreadable ``cell.date_year_month`` where a date cell's date-time is the serial of a number typed as
    year.month (2020.12: FIRST_YEAR < serial < 2100, with a fraction), asking for a whole date (the month's last day,
    2020-12-31, where the fraction is a month; 2020.1 is January, as LibreOffice keeps 2020.10 too)."""
    midnight = dt.datetime.combine(value.date(), dt.time(0))
    serial = (value.date() - _EXCEL_EPOCH).days + (value - midnight).total_seconds() / 86400
    if not _YEAR_MONTH_YEARS[0] < serial < _YEAR_MONTH_YEARS[1]:
        return
    typed = number_text(round(serial, 6))
    year, _, fraction = typed.partition(".")
    month = int(fraction) if len(fraction) <= 2 else 0
    if 1 <= month <= 12:
        after = dt.date(int(year) + month // 12, month % 12 + 1, 1)
        example = (after - dt.timedelta(days=1)).isoformat()
    else:
        example = f"{year}-12-31"
    raise Unreadable("cell.date_year_month", expected=example, detail=typed, printed=value.date().isoformat())


def _day(m) -> str:
    """The ISO date of a date written out (_YMD's groups)."""
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:  # written as a date, but no such month or day (2020-02-30, 2020年13月1日)
        raise Unreadable("cell.date_no_such_day" if int(m[1]) >= 1 else "cell.date") from None


def parse_bool(value):
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    s = _folded(str(value)).lower()
    if not s:
        return None
    if s in {YES, "y", "yes", "true", "1", "有"}:
        return True
    if s in {NO, "n", "no", "false", "0", "无"}:
        return False
    raise Unreadable("cell.bool")


def parse_year(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isfinite(value) and value == int(value) and 0 < value < 10000:
            return int(value)
        raise Unreadable("cell.year")
    s = _folded(str(value or "")).rstrip("年")
    if s.isascii() and s.isdigit() and len(s) <= 4:
        return int(s)
    raise Unreadable("cell.year")


# Comparators and targets ----------------------------------------------------------------
# Words people use for comparators, longest first so 不低于 wins over 低于.
_COMPARATOR_WORDS = {
    "定性": "qualitative", "qualitative": "qualitative",
    ">=": ">=", "=>": ">=", "≥": ">=", "≧": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=", "大于等于": ">=",
    "大于或等于": ">=", "至少": ">=",
    "<=": "<=", "=<": "<=", "≤": "<=", "≦": "<=", "不高于": "<=", "不多于": "<=", "不大于": "<=", "不超过": "<=",
    "小于等于": "<=", "小于或等于": "<=", "至多": "<=",
    ">": ">", "大于": ">", "高于": ">", "多于": ">", "超过": ">",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
    "=": "=", "==": "=", "等于": "=", "达到": "=",
}
# Words written after a number that make it a bound: 5000人次以上 is ≥ 5000 人次, 3天以内 is ≤ 3 天 (以上, 以下 and 以内
# include the number, as in Chinese law and usage).  Longest first so 及以上 wins over 以上.
_SUFFIX_COMPARATORS = (("及以上", ">="), ("或以上", ">="), ("以上", ">="), ("及以下", "<="), ("或以下", "<="),
                       ("以下", "<="), ("以内", "<="), ("之内", "<="), ("内", "<="))
_COMP_ALTS = "|".join(re.escape(w) for w in sorted(_COMPARATOR_WORDS, key=len, reverse=True) if w != "qualitative")
_TARGET = re.compile(rf"^(?P<comp>{_COMP_ALTS})?\s*(?P<num>[+-]?(\d{{1,3}}(,\d{{3}})+|\d+)(\.\d+)?)\s*(?P<unit>[^\d\s].{{0,19}})?$")
_UNIT_SIGNS = frozenset("/²³·")


def _unit_ok(unit: str) -> bool:
    """%, ‰, or 1–8 letters, CJK ideographs or / ² ³ · (万元, km/h, m²)."""
    if unit in ("%", "‰"):
        return True
    return 1 <= len(unit) <= 8 and all(("A" <= c <= "Z") or ("a" <= c <= "z") or ("\u4e00" <= c <= "\u9fff")
                                       or c in _UNIT_SIGNS for c in unit)
# A number written in Chinese numerals (一百, 百分之九十五, 不低于九十): read as a word target it would pass as 定性
_CHINESE_NUMBER = re.compile(rf"^({_COMP_ALTS})?\s*(百分之)?[零〇一二两三四五六七八九十百千万亿点]+\s*[%‰]?$")
_STARTS_WITH_COMP = re.compile(rf"^({_COMP_ALTS})\s*[\d+-]")


def parse_comparator(value) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    s = invisible_stripped(str(value)).strip()
    if not s:
        return None
    if s in DISPLAY_TO_COMPARATOR:
        return DISPLAY_TO_COMPARATOR[s]
    folded = unicodedata.normalize("NFKC", s).replace(" ", "").lower()
    if folded in _COMPARATOR_WORDS:
        return _COMPARATOR_WORDS[folded]
    raise Unreadable("cell.comparator")


def split_target(value, remarks: bool = True, rough: bool = True):
    """A target cell -> ("number", comparator|None, number, unit|None) or ("text", text).

    ``≥85%`` -> ("number", ">=", 85, "%"); ``>5000 人`` -> ("number", ">", 5000, "人");
    ``合理`` -> ("text", "合理").  Text that starts like a number target but does not parse
    as one raises Unreadable rather than becoming a text target.  A remark in brackets beside the number
    (``90%（抽查）``) is no part of it (target_remarks gives it); without `remarks` (a score, an actual value, whose
    remark nobody would be told of), such a text is read as ever: unreadable, or a text.  A rough figure (85左右,
    约85%) raises Unreadable("cell.target_approximate"); without `rough`, it is read as it was before that check (100左右
    as 100 with the unit 左右: how goal tables approved before it were read).
    """
    if isinstance(value, bool):
        return ("text", YES if value else NO)
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Unreadable("cell.target")
        if isinstance(value, int) and _too_precise(str(abs(value))):
            raise Unreadable("cell.number_precision", expected=str(AMOUNT_DIGITS))
        return ("number", None, number_out(value), None)
    raw = clean_text(value)
    if raw is None:
        return None
    # the number read without the invisible characters a paste leaves (85 and a U+200B: 85); a text target kept as typed
    folded = _folded(raw)
    if not folded:
        return None
    return _split_text(raw, folded, remarks=remarks, rough=rough)


#: What a text must hold for _TARGET or _STARTS_WITH_COMP to match it: a digit, or a sign after a comparator.
_DIGIT_OR_SIGN = re.compile(r"[\d+-]")
#: What a text _CHINESE_NUMBER matches ends with (it is stripped): a numeral, or % or ‰ after one.
_CHINESE_NUMBER_ENDS = frozenset("零〇一二两三四五六七八九十百千万亿点%‰")


def _split_text(raw: str, folded: str, fast: bool = True, remarks: bool = True, rough: bool = True):
    """split_target of a text cell (`raw`, cleaned; `folded`, its NFKC form, stripped).  `fast`: the patterns are
    tried only on a text that can match them (a word target, 已完成, has no digit and ends in no numeral: three
    anchored searches, each trying some forty comparator words at its start, cost more than the rest of a row's
    reading); without it, every one is tried (the tests hold the two to the same results)."""
    if not fast or _DIGIT_OR_SIGN.search(folded):
        return _split_number(raw, folded, remarks, rough)
    if folded and folded[-1] in _CHINESE_NUMBER_ENDS and _CHINESE_NUMBER.match(folded):
        raise Unreadable("cell.target_chinese_number")
    return ("text", clean_name(raw) if "\n" in raw else raw)


#: A remark in brackets beside a target's number (90%（抽查）, （暂定）≥90%) is no part of it: the brackets and words the
#: review sets aside beside a figure (schema/review.json, review_figure_qualitative's remark_brackets and remarks;
#: tests/test_silent2.py holds the two to one list), so that the reader and the review read a target alike.
REMARK_BRACKETS = ("（）", "()", "［］", "[]", "【】", "〔〕")
REMARK_WORDS = ("含", "包含", "包括")
_REMARK_PAIRS = tuple(dict.fromkeys((unicodedata.normalize("NFKC", b)[0], unicodedata.normalize("NFKC", b)[-1])
                                    for b in REMARK_BRACKETS))
_BRACKETS = frozenset(ch for pair in _REMARK_PAIRS for ch in pair)
#: The blocks of Unicode holding a character whose NFKC holds one of _BRACKETS, beyond those as typed: ⁽⁾ ₍₎, ⑴ ⒜, ㈠,
#: ︵︶ ﹙﹚ ﹝﹞, （）［］, 🄐 and 🉀 (tests/test_silent2.py checks all of Unicode against the set derived from them).
_BRACKET_BLOCKS = ((0x207D, 0x208E), (0x2474, 0x24B5), (0x3200, 0x3243), (0xFE35, 0xFE5E), (0xFF08, 0xFF3D),
                   (0x1F110, 0x1F12A), (0x1F240, 0x1F248))
#: A target's text may hold a bracket as typed, before NFKC: every character whose NFKC holds one of _BRACKETS
#: (（ as well as (, and ﹙ ㈠ ⒜, which split_target reads as brackets too), so that what it sets aside is said.
_TYPED_BRACKETS = _BRACKETS | frozenset("".join(REMARK_BRACKETS)) | frozenset(
    c for lo, hi in _BRACKET_BLOCKS for c in map(chr, range(lo, hi + 1))
    if _BRACKETS.intersection(unicodedata.normalize("NFKC", c)))
_NUMBERS = re.compile(r"\d+(?:\.\d+)?")


def _is_remark(inside: str) -> bool:
    """What a bracket holds is a remark, not a second figure: it holds no digit (抽查, 以实际为准), or it opens with
    one of the REMARK_WORDS (含, 含90%: the bound restated, held to the number once it is known)."""
    return not any(ch.isdigit() for ch in inside) or inside.startswith(REMARK_WORDS)


def _set_aside(folded: str) -> tuple[str, list[str]]:
    """A target's text (NFKC) without the remarks in brackets before and after its number, and the remarks."""
    t, asides = folded, []
    while t:  # （暂定）≥90%
        pair = next((p for p in _REMARK_PAIRS if t.startswith(p[0])), None)
        end = t.find(pair[1], 1) if pair else -1
        if end < 1 or end == len(t) - 1 or pair[0] in t[1:end] or not _is_remark(t[1:end]):
            break
        asides.append(t[1:end].strip())
        t = t[end + 1:].strip()
    while t:  # 90%（抽查）, 95%以上（含）
        pair = next((p for p in _REMARK_PAIRS if t.endswith(p[1])), None)
        start = t.rfind(pair[0], 0, len(t) - 1) if pair else -1
        if start < 1 or pair[0] in t[start + 1:-1] or not _is_remark(t[start + 1:-1]):
            break
        asides.append(t[start + 1:-1].strip())
        t = t[:start].strip()
    return t, asides


def _without_remarks(folded: str):
    """split_target of a text whose number stands beside remarks in brackets (90%（抽查）): the number target of
    the text without them, and the remarks; None where it holds no such remark, or no number target without them
    (a remark restating the bound, 含95%, names no number but the target's)."""
    if not _BRACKETS.intersection(folded):
        return None
    core, asides = _set_aside(folded)
    if not asides or not core:
        return None
    try:
        found = _read_whole(core, core)
    except Unreadable:
        return None
    if found[0] != "number":
        return None
    try:
        own = Decimal(str(found[2]))
        if any(Decimal(n) != own for inside in asides for n in _NUMBERS.findall(inside.replace(",", ""))):
            return None  # （含A类≥95%）: a second figure
    except ArithmeticError:
        return None
    return found, asides


def target_remarks(value) -> list[str]:
    """The remarks in brackets a target cell's text holds beside its number (90%（抽查）: ["抽查"]), which
    split_target reads the number without and no document keeps; [] for any other value.  A remark restating the
    bound (95%以上（含）, ≥95%（含95%）) loses nothing, and is not given."""
    if not isinstance(value, str) or not _TYPED_BRACKETS.intersection(value):
        return []
    raw = clean_text(value)
    if raw is None:
        return []
    folded = _folded(raw)
    core = _unpunctuated(folded)
    if core is not None and (found := target_remarks(core)):
        return found  # 90%（抽查）。
    try:
        if _read_whole(folded, folded)[0] == "number":
            return []  # read whole, as ever (no text is set aside from it)
    except Unreadable:
        pass
    found = _without_remarks(folded)
    return [r for r in found[1] if not r.startswith(REMARK_WORDS)] if found else []


#: Punctuation a target pasted as a sentence ends in (90%。, ≥85%；, 85.), after NFKC (；，．｡ fold to ;,.。): no
#: part of the number, dropped as a trailing space is, where the text without it reads as a number target.
_TRAILING_PUNCTUATION = "。.;,"


def _unpunctuated(folded: str) -> str | None:
    """The text (NFKC) without the punctuation it ends in, or None where it ends in none."""
    core = folded.rstrip(_TRAILING_PUNCTUATION).rstrip()
    return core if core != folded and core else None


#: Words that make a number a rough figure (85左右, 约85%, 1000人上下): a target is one definite figure, which these
#: words deny; before the number, and after it (the unit's place).  schema/words.json, with their English.
_ABOUT_BEFORE = tuple(sorted(_WORDS["rough_before"], key=len, reverse=True))
_ABOUT_AFTER = tuple(sorted(_WORDS["rough_after"], key=len, reverse=True))
#: A result's own (7500余, 7500人以上, 7500+; 7500余人 between number and unit): not a target's, where 以上 is ≥
_RESULT_AFTER = tuple(sorted(_WORDS["rough_after_result"], key=len, reverse=True))
_RESULT_BETWEEN = re.compile(r"^(?P<num>[+-]?(?:\d[\d,]*)?\.?\d+)\s*(?P<word>%s)\s*(?P<unit>[^\d\s.,+-].*)$"
                             % "|".join(map(re.escape, sorted(_WORDS["rough_between_result"], key=len, reverse=True))))


def _with_variants(chars: str) -> frozenset:
    """`chars` and the width and size variants NFKC folds to one of them (＋ and ﹢ for +, as a Chinese keyboard
    types 7500＋): rough_figure's quick test looks at the text before it is folded."""
    variants = (chr(c) for lo, hi in ((0x2070, 0x209F), (0xFE50, 0xFE6F), (0xFF00, 0xFFEF)) for c in range(lo, hi + 1))
    return frozenset(chars) | {v for v in variants if unicodedata.normalize("NFKC", v) in chars}


_ROUGH_CHARS = _with_variants("".join((*_ABOUT_BEFORE, *_ABOUT_AFTER)))
_RESULT_CHARS = _with_variants("".join(_RESULT_AFTER))


def _approximate(folded: str) -> None:
    """Unreadable (cell.target_approximate, the word in its detail) where a target's text (NFKC) is a number made
    rough by 左右/上下 after it or 约 before it, which reads as a number target without the word; else nothing."""
    core = _unpunctuated(folded) or folded
    word = next((w for w in _ABOUT_AFTER if core.endswith(w)), None)
    if word:
        rest = core[:-len(word)].rstrip()
    else:
        word = next((w for w in _ABOUT_BEFORE if core.startswith(w)), None)
        rest = core[len(word):].lstrip(" 为:：") if word else ""
    found = _number_read(rest)
    if found is None:
        return
    if found[0] == "number":
        shown = f"{COMPARATOR_DISPLAY.get(found[1], '') if found[1] else ''}{number_text(found[2])}{found[3] or ''}"
        raise Unreadable("cell.target_approximate", expected=shown, detail=word, detail_en=_ABOUT_EN[word])


def _number_read(rest: str):
    """What `rest` (a text with its rough word taken off) reads as, where it holds a digit or sign and reads whole;
    else None."""
    if not rest or not _DIGIT_OR_SIGN.search(rest):
        return None
    try:
        return _read_whole(rest, rest)
    except Unreadable:
        return None


_ABOUT_EN = {**_WORDS["rough_before"], **_WORDS["rough_after"], **_WORDS["rough_after_result"]}


def _approximate_result(folded: str) -> None:
    """_approximate of a result (an actual value, a monitoring report's progress): the target's words, and the
    words of a result only (7500余, 7500余人, 7500人以上, 7500+: schema/words.json's rough_after_result), each
    where the text without it reads as a number and no comparator (Unreadable cell.target_approximate, as
    _approximate raises it); else nothing."""
    _approximate(folded)
    core = _unpunctuated(folded) or folded
    word = next((w for w in _RESULT_AFTER if core.endswith(w)), None)
    rest = core[:-len(word)].rstrip() if word else ""
    if not rest and (m := _RESULT_BETWEEN.match(core)):
        word, rest = m["word"], m["num"] + m["unit"]
    found = _number_read(rest)
    if found is None:
        return
    if found[0] == "number" and found[1] is None:
        raise Unreadable("cell.target_approximate", expected=f"{number_text(found[2])}{found[3] or ''}",
                         detail=word, detail_en=_ABOUT_EN[word])


#: What a result's word says of its figure, as a message puts it (schema/words.json's bound_result): 以上 and + a
#: lower bound, 以下 an upper one; every other word a rough figure.
_BOUNDS = {"lower": ("表示下限", "a lower bound"), "upper": ("表示上限", "an upper bound")}


def rough_meaning(word: str) -> tuple[str, str]:
    """(zh, en) of what `word` (a rough figure's, rough_figure's ``detail``) makes of the figure: 表示约数 (a rough
    figure), or 表示下限/表示上限 (a lower/upper bound) for 以上, +, 以下."""
    return _BOUNDS.get(_WORDS["bound_result"].get(word), ("表示约数", "a rough figure"))


def rough_unit(unit) -> str | None:
    """The word (左右, 上下) that makes a unit typed in the unit column a rough figure's (100 with the unit 左右 or
    人次左右), else None."""
    if not isinstance(unit, str):
        return None
    return next((w for w in _ABOUT_AFTER if unicodedata.normalize("NFKC", unit).strip().endswith(w)), None)


def rough_word_en(word: str) -> str:
    return _ABOUT_EN.get(word, word)


def rough_figure(value, result: bool = False) -> Unreadable | None:
    """Where `value` is a text making a number a rough figure (约95%, 85%左右, 大约1000人次), what _approximate says
    of it (cell.target_approximate: the word in ``extra``, the figure without it as ``expected``); else None.  For
    a cell other than a target (an actual value, a score), whose reading then decides what to do with it.  With
    `result`, a result's words too (7500余, 7500多人, 7500人以上, 7500+: _approximate_result)."""
    if type(value) is not str or _ROUGH_CHARS.isdisjoint(value) and not (result and not _RESULT_CHARS.isdisjoint(value)):
        return None
    try:
        (_approximate_result if result else _approximate)(_folded(value))
    except Unreadable as exc:
        return exc
    return None


#: Letters typed for digits in a number (75OO, 1O0): O for 0, as a clerk at a typewriter's habit or a slip of the
#: keyboard; read as no number, the digits said
_LETTER_DIGITS = str.maketrans({"O": "0", "o": "0"})
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


def number_hint(value) -> tuple[str, str, str] | None:
    """What a text typed for a number (an actual value) most likely meant, for a message to show as the example
    to type: (number, zh, en), zh and en saying what in the text is wrong where that is known (75OO: the letter O
    for 0; '85: an apostrophe typed before it, which a text cell keeps and prints), else "" (7500 人次以上 aside,
    a text holding one number: (100), 7500+); None where no one number is seen in it."""
    if type(value) is not str:
        return None
    folded = _folded(value)
    if folded[:1] in ("'", "‘", "’") and _NUMBER_TEXT.fullmatch(folded[1:].strip()):
        return (folded[1:].strip(), "开头的单引号（'）在文本格式的单元格中会原样保存并打印，请删去",
                "the apostrophe typed before it is kept in a text cell, and printed: remove it")
    if "0" <= folded[:1] <= "9" and "O" in folded.upper() and _NUMBER_TEXT.fullmatch(
            digits := folded.translate(_LETTER_DIGITS)):
        return (digits, "其中的字母“O”应为数字“0”", "the letter O in it stands for the digit 0")
    found = _NUMBER_TEXT.findall(folded)
    return (found[0], "", "") if len(found) == 1 else None


def number_detail(value) -> dict:
    """{detail, detail_en} for a message saying a text is no number (self.actual_not_number, monitor.not_number):
    what is wrong in it where known (number_hint) and the number to type, as an example; {} where no one number is
    seen in it (the message then asks for a number alone)."""
    hint = number_hint(value)
    if hint is None:
        return {"detail": "", "detail_en": ""}
    number, zh, en = hint
    return {"detail": f"，{zh + '；' if zh else ''}请只填写数字（如 {number}），不带单位或其他文字",
            "detail_en": f"; {en + ': ' if en else ''}enter the number only (e.g. {number}), no unit or words"}


#: The letter O typed beside a digit for 0 (1OO, 9O%, O.5): what letter_o_target writes with the digit
_LETTER_O = re.compile(r"(?<=[0-9.])[Oo]+|[Oo]+(?=[0-9.])")


def letter_o_target(value, unit: str | None) -> str | None:
    """A target typed with the letter O for the digit 0 beside its digits (1OO, 9O%, ≥9O%), written with the digit,
    where that reads as a number target: 1OO read as 1 in the unit OO, 9O% read as nothing, are a slip to be said
    with the figure meant.  None for any other value (a unit with an o in it, tons, is no digit's neighbour), and
    where the figure meant would still not do on the row (`unit`: its 计量单位, normalised): one whose words are no
    unit of it (2O2O年底前完成 on a row in %, a deadline for a quantitative target, is asked to be a number or 定性
    as any text is, never told to write 2020年底前完成)."""
    if type(value) is not str or ("O" not in value and "o" not in value and "Ｏ" not in value and "ｏ" not in value):
        return None
    folded = _folded(value)
    if not _LETTER_O.search(folded):
        return None
    fixed = _LETTER_O.sub(lambda m: "0" * len(m[0]), folded)
    found = number_target(fixed)
    if found is None:
        return None
    said = found[3]  # the unit written with the number: none, the row's, or a percent on a row with no unit
    if said is None or said == unit or (not unit and said == "%"):
        return fixed
    # a row of no 计量单位 takes the words after a number as its unit: 1OO人 there reads, said nothing, as 1 in the
    # unit OO人 (the target a hundredth of what was meant); the letter O is said, as before, with the figure meant
    return fixed if not unit and _o_in_unit(folded) else None


def _o_in_unit(folded: str) -> bool:
    """Whether `folded` (a target, widths folded) reads as a number whose unit begins with the letter O (1OO人: 1 in
    the unit OO人), which a row of no 计量单位 would take as typed."""
    typed = number_target(folded)
    return typed is not None and isinstance(typed[3], str) and typed[3][:1] in ("O", "o")


def number_target(text):
    """``split_target``'s ("number", comparator, number, unit) of `text`, or None where it reads no number target
    (a text target, nothing, or unreadable)."""
    try:
        found = split_target(text)
    except Unreadable:
        return None
    return found if found and found[0] == "number" else None


def letter_digits(value) -> bool:
    """Whether `value` is a text of digits with the letter O typed for 0 (75OO): no number with a unit "OO"."""
    return type(value) is str and (hint := number_hint(value)) is not None and hint[1].startswith("其中的字母")


def _split_number(raw: str, folded: str, remarks: bool = True, rough: bool = True):
    """_read_whole of the text, once any punctuation it ends in (90%。) is set aside where the text without it reads
    as a number target; with `remarks`, where that reads no number, the number beside remarks in brackets
    (_without_remarks: 90%（抽查）) when the text holds one, else what _read_whole gave (or raised)."""
    if remarks and rough:
        _approximate(folded)
    core = _unpunctuated(folded)
    if core is not None:
        try:
            found = _split_number(core, core, remarks, rough)
        except Unreadable:
            found = None
        if found is not None and found[0] == "number":
            return found
    try:
        found = _read_whole(raw, folded)
    except Unreadable:
        if remarks and (aside := _without_remarks(folded)) is not None:
            return aside[0]
        raise
    if remarks and found[0] != "number" and (aside := _without_remarks(folded)) is not None:
        return aside[0]
    return found


def _read_whole(raw: str, folded: str):
    """The text read whole as a number target (comparator, number, unit), else as a text; Unreadable where it
    starts as a number target and reads as none."""
    m = _TARGET.match(folded)
    if m:
        comp = _COMPARATOR_WORDS[m["comp"]] if m["comp"] else None
        num_s = m["num"].replace(",", "")
        if _too_precise(num_s.rstrip("0").rstrip(".") if "." in num_s else num_s):
            # a spreadsheet (the summary, a DataFrame's floats) keeps 15 digits: beyond, a target changes unseen
            raise Unreadable("cell.number_precision", expected=str(AMOUNT_DIGITS))
        num = number_out(float(num_s)) if "." in num_s else int(num_s)
        unit = (m["unit"] or "").strip() or None
        suffix = next(((w, c) for w, c in _SUFFIX_COMPARATORS if unit and unit.endswith(w)), None)
        if suffix:
            if comp:  # ≥85%以上: a bound written twice is not read as either
                raise Unreadable("cell.target")
            comp = suffix[1]
            unit = unit[:-len(suffix[0])].strip() or None
        if unit is not None and unit.endswith("元整"):  # 1000元整: 整 (exactly), as a sum in 元 is written out
            unit = unit[:-1]
        if unit is not None and not _unit_ok(unit):
            raise Unreadable("cell.target")
        return ("number", comp, num, unit)
    if _STARTS_WITH_COMP.match(folded):
        raise Unreadable("cell.target")
    if _CHINESE_NUMBER.match(folded):
        raise Unreadable("cell.target_chinese_number")
    return ("text", clean_name(raw) if "\n" in raw else raw)


def normalize_unit(value) -> str | None:
    s = clean_text(value)
    if s is None:
        return None
    # (a unit is chosen from a list: the invisible characters a paste leaves are dropped, as clean_listed does)
    return invisible_stripped(s).replace("％", "%").replace(" ", "") or None


# Display -------------------------------------------------------------------------------------
# "=" as the form's dropdown shows it (full width): a target written "=100%" would start with "=", which a CSV
# consumer or a spreadsheet takes for a formula (and the CSV renderers would have to neutralise with a quote)
_WRITTEN = {"=": "＝", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}


def format_number(x) -> str:
    """A number as messages write it: ``_problems.number_text``, the one formatter (85, 0.5, never 1e-28 nor inf)."""
    return number_text(x)


def target_in_words(ind: dict) -> bool:
    """Whether an item's target is written as words: comparator 定性, or a text and no number (a row whose
    comparator is missing or does not fit its target, which the checks report)."""
    value = ind.get("value")
    is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
    return ind.get("comparator") == "qualitative" or (not is_number and bool(ind.get("text")))


def format_target(ind: dict) -> str:
    """The target as people write it: ``≥85%``, ``>5000人``, ``合理``."""
    comp = ind.get("comparator")
    if comp == "qualitative":
        return ind.get("text") or ""
    if "value" not in ind or ind.get("value") is None:
        return ind.get("text") or ""
    if not isinstance(comp, str):  # a list or an object in a JSON document (the schema says so): no comparator
        comp = None
    return f"{_WRITTEN.get(comp, comp or '')}{format_number(ind['value'])}{ind.get('unit') or ''}"


def shown_target(ind: dict) -> str:
    """The target as the goal table shows it, its comparator as the dropdown gives it (＞85%, not format_target's
    >85%): for a message that quotes the department's form."""
    comp = ind.get("comparator")
    if isinstance(comp, str) and comp in COMPARATOR_DISPLAY and comp != "qualitative" and ind.get("value") is not None:
        return f"{COMPARATOR_DISPLAY[comp]}{format_number(ind['value'])}{ind.get('unit') or ''}"
    return format_target(ind)


def comparator_display(code):
    """A comparator's code as the form shows it (>= as ≥, qualitative as 定性); a code of none of them as it is, and
    a value that is no text (a list in a JSON document) as it is too."""
    if code is not None and not isinstance(code, str):
        return code
    return COMPARATOR_DISPLAY.get(code or "", code or "")


def parse_number(value):
    """A plain number (a weight, a score): no comparator, no unit.  A number in Chinese numerals (九十五) is
    ``cell.number`` too: split_target's cell.target_chinese_number asks a target's comparator and unit."""
    if type(value) is float and math.isfinite(value):
        return number_out(value)  # what split_target gives a finite float (the usual cell), without its tuple
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        w = split_target(value, remarks=False)
    except Unreadable as exc:
        if exc.code == "cell.target_chinese_number":
            raise Unreadable("cell.number") from None
        raise
    if w is None or w[0] != "number" or w[1] or w[3]:
        rough = rough_figure(value)  # 约4.44, 4.44左右: a score (分值) is one definite figure, summed exactly
        if rough is not None and rough.expected != value and _plain_number(rough.expected):
            raise Unreadable("cell.number_approximate", expected=rough.expected, **rough.extra)
        raise Unreadable("cell.number")
    return w[2]


def _plain_number(text: str) -> bool:
    """Whether `text` reads as a plain number (parse_number's: no unit, no comparator)."""
    try:
        return parse_number(text) is not None
    except Unreadable:
        return False


def parse_actual(value):
    """An actual value (实际完成值): a number where it reads as one (``92``, ``92%``, ``5,200 人``), else the text.

    A written comparator (``≥92%``) is not an actual value: it stays text, for the rules to flag.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise Unreadable("cell.number")
        return number_out(value)
    text = clean_text(value)
    if rough_figure(text, result=True) is not None or letter_digits(text):
        # 95左右 (as 95 with the unit 左右 it was read), 7500余: a rough figure, kept as written; 75OO too (no 75 "OO")
        return text
    try:
        found = split_target(text, remarks=False)  # 92%（抽查）: kept as written, no remark dropped unsaid
    except Unreadable:
        return text
    if found and found[0] == "number" and found[1] is None:
        return found[2]
    return text


#: Punctuation a choice pasted from a report's sentence ends in (有可能。), as typed and full width.
_CHOICE_TRAILING = "。.．｡;；,，、 \u3000"


def _alike_choice(s: str) -> str:
    """A choice's text without the punctuation it ends in, 其它 written 其他 (the two spellings of one word)."""
    return invisible_stripped(s).rstrip(_CHOICE_TRAILING).replace("其它", "其他")


def listed_choice(value, choices) -> str | None:
    """The one of `choices` (a framework's list: 项目类别, 绩效类型) that `value` is as pasted (其它运转类项目,
    培训类。): alike once the punctuation it ends in is dropped and 其它 read as 其他 (``_alike_choice``, as a coded
    choice's parser reads it), on either side (a framework's own list may write 其它); None where none or more than
    one is, or `value` is no text."""
    if not isinstance(value, str):
        return None
    alike = _alike_choice(value)
    found = [c for c in choices if isinstance(c, str) and _alike_choice(c) == alike]
    return found[0] if len(found) == 1 else None


def choices_as_listed(form, fw, doc: dict) -> None:
    """The information sheet's choices from a framework's list (项目类别, 绩效类型) pasted as a report writes them
    (其它运转类项目 where the list says 其他运转类项目, 培训类。 ending a sentence): read as the list's value, as a
    coded choice on the table is (``_kinds.listed_choice``); a value alike to none (or to two) is read as typed, and
    the rules' list check warns of it as before.  (A return's, as read; a --prefill list's row, as given.)"""
    for f in form.fields:
        if f.list and f.kind == "choice":
            v = get(doc, f.path)
            if isinstance(v, str) and v:
                allowed = getattr(fw, f.list, None)  # (project_categories, performance_types: the tuples)
                if not isinstance(allowed, (tuple, list)):
                    allowed = fw.lists().get(f.list) or ()
                if v not in allowed and (listed := listed_choice(v, allowed)) is not None:
                    put(doc, f.path, listed)


def coded_parser(display: dict[str, str], code: str, english: dict[str, str] | None = None,
                 also: dict[str, str] | None = None):
    """A parser for a choice whose cell shows the display text and whose document value is its code: either
    the text or the code reads back as the code, anything else is Unreadable(`code`) listing the choices (in the
    English message each with its name in `english`, by code, where given).  `also` maps a shorter way people
    write a choice to its code (不可能 for 完全不可能): read as that choice, as silently as 其它 for 其他, and never
    offered (the message lists the dropdown's choices only)."""
    back = {v: k for k, v in display.items()}
    for text, c in (also or {}).items():
        back.setdefault(_alike_choice(text), c)
    # a choice as the dropdown writes it (most cells), taken at once: clean_name leaves such a text as it is
    exact = {text: code for text, code in back.items() if clean_name(text) == text}
    expected, expected_en = "、".join(display.values()), choices_en(display, english or {})

    def parse(value):
        if type(value) is str and value in exact:
            return exact[value]
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        s = clean_listed(value)
        if s in back:
            return back[s]
        if s in display:
            return s
        # as pasted (有可能。) or in the other spelling of 其他 (其它, which the frameworks' own lists also write):
        # the choice itself, the punctuation dropped and 其它 read as 其他, wherever that gives one of the choices
        alike = _alike_choice(s) if isinstance(s, str) else None
        if alike in back:
            return back[alike]
        raise Unreadable(code, expected=expected, expected_en=expected_en)

    return parse


parse_grade = coded_parser(GRADE_DISPLAY, "cell.grade", GRADE_EN)


# The codecs ------------------------------------------------------------------------------------
@frozen
class Kind:
    """How one kind of value is parsed from a cell and written to one.

    ``style`` names the cell format the writer uses (text cells are formatted as text, so
    what people type is kept as typed); ``parse`` raises Unreadable for what it cannot read.
    """

    name: str
    style: str  # text | longtext | center | date | amount | number | fixed (always locked)
    parse: Callable
    write_as: str = "text"  # text | number | date | bool | comparator | grade | coded
    shown: tuple[tuple[str, str], ...] = ()  # coded kinds: (document code, what the cell shows)

    def choices(self) -> dict[str, str]:
        """document code -> what the cell's dropdown shows, for a kind chosen from a list (a comparator, a grade,
        a coded kind); empty for any other kind."""
        if self.write_as == "comparator":
            return COMPARATOR_DISPLAY
        if self.write_as == "grade":
            return GRADE_DISPLAY
        return dict(self.shown)

    def cell(self, value) -> tuple[str, object]:
        """("string", s) | ("number", x) | ("date", iso) | ("blank", None): what to write for a value."""
        if value is None or value == "":
            return ("blank", None)
        how = self.write_as
        if how == "number" or (how == "target" and isinstance(value, (int, float)) and not isinstance(value, bool)):
            return ("number", value)
        if how == "date":
            return ("date", value)
        if how == "bool":
            return ("string", YES if value else NO)
        if how == "comparator":
            shown = comparator_display(value)
            return ("string", shown) if shown else ("blank", None)
        if how == "grade":
            return ("string", GRADE_DISPLAY.get(value, str(value)))
        if how == "coded":
            return ("string", dict(self.shown).get(value, str(value)))
        return ("string", str(value))


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("year", "fixed", parse_year, "number"),
    Kind("text", "text", clean_name),
    Kind("longtext", "longtext", clean_text),
    Kind("choice", "text", clean_name),
    Kind("date", "date", parse_date, "date"),
    Kind("amount", "amount", parse_amount, "number"),
    Kind("bool", "center", parse_bool, "bool"),
    Kind("comparator", "center", parse_comparator, "comparator"),
    Kind("target", "text", split_target, "target"),
    Kind("unit", "center", normalize_unit),
    Kind("number", "number", parse_number, "number"),
    Kind("seq", "fixed", parse_number, "number"),
    Kind("actual", "text", parse_actual, "target"),
    Kind("grade", "text", parse_grade, "grade"),
)}


def coded_kind(name: str, display: dict[str, str], code: str = "cell.choice", also: dict[str, str] | None = None) -> Kind:
    """A kind for a choice from a dropdown whose document value is a code (``经费保障`` <-> ``funding``).

    The cell shows the display text; either the text or the code reads back as the code (and any other spelling
    `also` names, ``coded_parser``), anything else is Unreadable(`code`) with the choices as what was expected.
    The kind is registered in KINDS.
    """
    kind = Kind(name, "text", coded_parser(display, code, also=also), "coded", tuple(display.items()))
    KINDS[name] = kind
    return kind


def parse_field(kind: str, raw):
    """A cell's value by its kind."""
    return KINDS[kind].parse(raw)


def parser_of(item) -> Callable:
    """The parser of a form's field or column (`item`): its kind's, but clean_listed for a name chosen from a list
    (one with a ``list``: 一级指标, 项目类别; or ``chosen`` from one where first filled: a self-evaluation's locked
    一级/二级指标), which drops the invisible characters a paste leaves."""
    parse = KINDS[item.kind].parse
    listed = getattr(item, "list", None) or getattr(item, "chosen", False)
    return clean_listed if parse is clean_name and listed else parse


def duration_text(value: dt.timedelta) -> str:
    """A duration (calamine's value of a number under an elapsed-time format, [h]:mm:ss) as Excel and WPS show it
    with [h]:mm:ss: 62800000 (days) as 1507200000:00:00, not Python's "62800000 days, 0:00:00" (red team 28z F6)."""
    sign = "-" if value < dt.timedelta(0) else ""
    value = abs(value)
    seconds = value.days * 86400 + value.seconds + (value.microseconds >= 500_000)
    return f"{sign}{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def as_json_value(raw):
    """A cell value as the document can hold it when it could not be read: kept, never guessed."""
    if raw is None or isinstance(raw, (str, bool, int)):
        return raw
    if isinstance(raw, float):  # as a number read is written (number_out): -50000000, not -50000000.0
        return number_out(raw) if math.isfinite(raw) else str(raw)
    if hasattr(raw, "isoformat"):
        return raw.isoformat()
    if isinstance(raw, dt.timedelta):
        return duration_text(raw)
    return str(raw)  # anything else calamine may give
