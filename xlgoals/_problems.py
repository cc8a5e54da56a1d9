"""Problems are values: every finding carries code, severity, location, found/expected and messages.

The same object feeds the terminal report, JSON/CSV output, the annotated workbook and the
summary's 校验结果 sheet.  Codes, severities and message texts come from the rule table
(``schema/rules.csv``, see ``_check._ruletable``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ._record import record

ERROR = "error"
WARNING = "warning"
NOTICE = "notice"  # review findings (validate --review): shown, never failing a file
SEVERITIES = (ERROR, WARNING, NOTICE)
#: A rule table's severity of a rule turned off (``--rules``): a problem of none is ever reported (_check._ruletable).
#: Kept in the table, run nowhere (RuleTable.business, .review, ``in_force``).  Only a rule a check runs may be off:
#: the codes the program gives (reader, schema, targets) say a return cannot be read or used as it is.
OFF = "off"
#: How a severity is shown: zh, en.
SEVERITY_LABELS = {ERROR: ("错误", "error"), WARNING: ("警告", "warning"), NOTICE: ("提示", "notice")}

#: The columns a problem is listed with (CSV report, annotated copy, summary): attribute, zh, en.
PROBLEM_COLUMNS = (
    ("severity", "严重程度", "severity"),
    ("sheet", "工作表", "sheet"),
    ("cell", "单元格", "cell"),
    ("field", "项目", "field"),
    ("value", "填写内容", "value"),
    ("expected", "应为", "expected"),
    ("message", "说明", "message"),
    ("code", "代码", "code"),
)
PROBLEM_TITLES = {attr: (zh, en) for attr, zh, en in PROBLEM_COLUMNS}


def severity_label(severity: str, lang: str = "zh") -> str:
    zh, en = SEVERITY_LABELS.get(severity, (severity, severity))
    return en if lang == "en" else zh


@dataclass
class Problem:
    """One problem found in a file: where, what was found and expected, and its messages."""

    code: str
    severity: str
    message: str  # Chinese
    message_en: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    field: str = ""  # the field's title, as on the form
    value: object = None  # what was found
    expected: str = ""
    path: str = ""  # JSON pointer into the document, where there is one
    field_en: str = ""  # the field's title in English ("" where it is the same)
    value_en: object = None  # what was found, in English, where it is our description rather than the cell's text
    expected_en: str | None = None  # expected, in English, where it differs

    def __post_init__(self) -> None:
        # a number found is exact: a float becomes the Decimal of the digits every report writes (number_text: the
        # JSON's and CSV's value, the message's), not the binary value a caller would print or sum with other digits
        if type(self.value) is float:
            self.value = exact_found(self.value)
        if type(self.value_en) is float:
            self.value_en = exact_found(self.value_en)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def field_title(self, lang: str = "zh") -> str:
        return (self.field_en or self.field) if lang == "en" else self.field

    def found(self, lang: str = "zh"):
        return self.value_en if lang == "en" and self.value_en is not None else self.value

    def expected_text(self, lang: str = "zh") -> str:
        return self.expected_en if lang == "en" and self.expected_en is not None else self.expected

    def to_dict(self, lang: str = "zh") -> dict:
        """The problem as a record: `message`, `field`, `value` and `expected` in `lang` (values quoted from the
        workbook as they stand), and each of them in both languages whatever `lang` (``message_zh``,
        ``message_en``, ``field_zh``, ``field_en``, ``value_zh``, ``value_en``, ``expected_zh``, ``expected_en``):
        a script reads the language it wants, and compares runs of either --lang by the fixed-language keys."""
        d = asdict(self)
        for key in ("message_en", "field_en", "value_en", "expected_en"):
            del d[key]
        d["message_zh"], d["message_en"] = self.message, self.message_en
        d["field_zh"], d["field_en"] = self.field_title("zh"), self.field_title("en")
        d["value_zh"], d["value_en"] = value_text(self.found("zh")), value_text(self.found("en"))
        d["expected_zh"], d["expected_en"] = self.expected_text("zh"), self.expected_text("en")
        sfx = "en" if lang == "en" else "zh"
        for key in ("message", "field", "value", "expected"):  # (each keeps its place: asdict gave it)
            d[key] = d[f"{key}_{sfx}"]
        return d


#: How a value that is no finite number (an infinity or NaN in a file, a percent beyond a double) is written: as a
#: spreadsheet shows a number it cannot hold.
NOT_A_NUMBER = "#NUM!"


def is_number(value) -> bool:
    """An int, float or Decimal, not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) or type(value).__name__ == "Decimal"


def number_text(value) -> str:
    """A number as every message, report and record writes it (the one formatter): its plain digits as typed
    (-100.5, 0.0000001, 62800000, 1e30 as 1 and 30 zeros: the float's shortest digits, never an exponent, nor
    1000000000000000019884624838656, its binary value), no trailing .0; a value that is no finite number as a
    spreadsheet shows it (#NUM!), never inf or nan."""
    if isinstance(value, bool) or not is_number(value):
        return str(value)
    if isinstance(value, int):
        return str(value)
    from decimal import Decimal

    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return NOT_A_NUMBER
        value = Decimal(repr(value))  # the float's shortest digits, without its exponent
    elif not value.is_finite():
        return NOT_A_NUMBER
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def exact_found(value: float):
    """A float found, as a Problem holds it: the Decimal of its digits as reported (``number_text``: 0.1 + 0.2 is
    Decimal('0.30000000000000004'), 1e30 Decimal('1000000000000000000000000000000')); one that is no finite number
    as a spreadsheet shows it (#NUM!)."""
    from decimal import Decimal

    text = number_text(value)
    return text if text == NOT_A_NUMBER else Decimal(text)


def value_text(value) -> str | None:
    """A value found, as text for JSON and CSV (one type in that column, for loaders that type it): a number
    as its plain digits (``number_text``), anything else as str."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # as a spreadsheet shows a logical value
    return number_text(value)


@record
class FileReport:
    """The outcome of checking one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    document: dict | None = None
    sha256: str = ""
    form: str = ""
    #: the framework the return names (``shanghai-2020``), "" where none is read: a report's headings name its levels
    #: as that framework's sheets head them (``problem_title``)
    framework: str = ""
    review_score: int | None = None  # 0-100 with validate(review=True), else None
    json_document: bool = False  # checked as a JSON document (no workbook to annotate)
    #: the JSON pointers of the values the reader reported and could not take (123.456 元, 1e16, -100 in an amount
    #: cell): the rules saw them blank, and ``counted`` blanks their amounts, as a JSON document has them blank
    unread: frozenset = frozenset()
    #: with the review, what ``review.copied_between_projects`` compares across the run's returns (``_review._across``
    #: Marks: digests of its indicator set and narratives, where they stand); None for another form or no review
    copy_marks: tuple | None = None
    #: with --targets, a copy of `document` holding the approved goal table's values where the return typed over what
    #: the form locks (a target, a 分值: ``restored``), None where nothing locked was changed: what validate checked
    #: and scored, so what a summary recomputes its scores from (the approved target decides the score everywhere)
    scored_as: dict | None = None
    #: a monitoring report's cumulative figures' cells ({JSON pointer: (sheet, cell)}: 1-N月执行数 and each indicator's
    #: 1-N月执行情况), so that consolidate can say at them that one fell since an earlier round (monitor.cumulative_fell)
    cells: dict = field(default_factory=dict)
    #: what tells one project's return for a year (unit, project, year, month, 填报日期, a digest of the document): the
    #: collector finds two files of one project among a folder's, as consolidate does (name_duplicates); None
    #: where nothing was read
    duplicate_values: dict | None = None
    #: a JSON document's ``content_digest`` where `document` blanks a number beyond the 15 digits a cell holds, of
    #: the document with that number as typed (two differing in a 16th digit differ); "" otherwise (`document`'s)
    content: str = ""
    #: a monitoring report's round as validate compares one project's rounds across a folder (``rounds_of``: its
    #: project's key, month, 填报日期 and cumulative figures), None for another form or a report of no month
    rounds: tuple | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def notices(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == NOTICE]

    def passes(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)
