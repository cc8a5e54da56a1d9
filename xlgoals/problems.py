"""Problems are values: every finding carries code, severity, location, found/expected and messages.

The same object feeds the terminal report, JSON/CSV output and the annotated workbook.
Codes, severities and message texts come from the rule table ``schema/rules.csv``.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from .resources import data_dir

ERROR = "error"
WARNING = "warning"
SEVERITIES = (ERROR, WARNING)


@dataclass(frozen=True)
class RuleDef:
    code: str
    severity: str
    check: str
    params: str
    title_zh: str  # a short name for the problem type, for grouped reports
    title_en: str
    field_zh: str
    message_zh: str
    message_en: str


class _Blank(dict):
    def __missing__(self, key):
        return ""


@dataclass
class Problem:
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

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def text(self, lang: str = "zh") -> str:
        return self.message_en if lang == "en" else self.message

    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or ""

    def to_dict(self, lang: str = "zh") -> dict:
        d = asdict(self)
        d["message"] = self.text(lang)
        del d["message_en"]
        if lang == "en":
            d["message_zh"] = self.message
        value = d["value"]
        if value is not None and not isinstance(value, (str, int, float, bool)):
            d["value"] = str(value)
        return d


@lru_cache(maxsize=None)
def rule_table() -> dict[str, RuleDef]:
    """The rule table, code -> RuleDef, in file order."""
    path = data_dir("schema") / "rules.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table: dict[str, RuleDef] = {}
    for row in rows:
        rd = RuleDef(**{k: (row.get(k) or "").strip() for k in RuleDef.__dataclass_fields__})
        if rd.severity not in SEVERITIES:
            raise ValueError(f"rules.csv: {rd.code}: severity must be error or warning, not {rd.severity!r}")
        table[rd.code] = rd
    return table


def make_problem(code: str, *, file: str = "", sheet: str = "", cell: str = "", field: str = "",
                 field_en: str = "", value=None, value_en=None, expected="", path: str = "", **extra) -> Problem:
    """Build a Problem for `code`, with severity and messages from the rule table.

    `value_en` is what was found, in English, where it is our description rather than the cell's text.
    """
    rd = rule_table()[code]
    shown = "" if value is None else _short(value)
    shown_en = shown if value_en is None else _short(value_en)
    zh = _Blank(field=field or rd.field_zh, found=shown, expected=expected, sheet=sheet, cell=cell, **extra)
    en = _Blank(field=field_en or field or rd.field_zh, found=shown_en, expected=expected, sheet=sheet, cell=cell,
                **extra)
    return Problem(
        code=code,
        severity=rd.severity,
        message=rd.message_zh.format_map(zh),
        message_en=rd.message_en.format_map(en),
        file=file,
        sheet=sheet,
        cell=cell,
        field=field or rd.field_zh,
        value=value,
        expected=str(expected) if expected is not None else "",
        path=path,
    )


def _short(value, limit: int = 60) -> str:
    s = str(value)
    return s if len(s) <= limit else s[: limit - 1] + "…"


@dataclass
class FileReport:
    """The outcome of checking one file."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    document: dict | None = None
    sha256: str = ""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def passes(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)
