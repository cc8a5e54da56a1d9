"""The one definition of the form: where every field sits in the workbook.

The template writer, the filler and the reader all take positions from here, so
they cannot drift apart.  Rows and columns are 0-based in code; ``a1()`` turns
them into the addresses people see.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .frameworks import Framework

#: Bump when any position below changes; the reader refuses unknown versions.
LAYOUT_VERSION = 1
STAMP_PREFIX = "XLGOALS"

GUIDE_SHEET = "填表说明"
INFO_SHEET = "项目信息"
INDICATOR_SHEET = "绩效指标"
LISTS_SHEET = "下拉选项"
SHEETS = (GUIDE_SHEET, INFO_SHEET, INDICATOR_SHEET, LISTS_SHEET)

TITLE = "财政项目支出绩效目标表"

# Info sheet: labels in column A, values in column B.
LABEL_COL = 0
VALUE_COL = 1


@dataclass(frozen=True)
class Field:
    path: str  # JSON pointer into the document
    label: str  # what the department sees (column A)
    label_en: str
    kind: str  # year | text | longtext | date | amount | bool | choice | stamp
    row: int  # 0-based row on INFO_SHEET
    choices: str | None = None  # name of a framework list, for kind == "choice"
    required: bool = False

    @property
    def cell(self) -> str:
        return a1(self.row, VALUE_COL)


_INFO_FIELDS = [
    ("/year", "预算年度", "Budget year", "year", None),
    ("/unit", "申报单位名称", "Reporting unit", "text", None),
    ("/project/name", "项目名称", "Project name", "text", None),
    ("/project/category", "项目类别", "Project category", "choice", "project_categories"),
    ("/project/start_date", "计划开始日期", "Planned start date", "date", None),
    ("/project/end_date", "计划完成日期", "Planned completion date", "date", None),
    ("/project/government_procurement", "是否含有政府购买服务", "Includes government procurement of services", "bool", None),
    ("/project/performance_type", "绩效类型", "Performance type", "choice", "performance_types"),
    ("/budget/total", "项目总预算（元）", "Total budget (yuan)", "amount", None),
    ("/budget/current_year", "项目当年预算（元）", "This year's budget (yuan)", "amount", None),
    ("/budget/prior_year_budget", "同名项目上年预算额（元）", "Last year's budget (yuan)", "amount", None),
    ("/budget/prior_year_executed", "同名项目上年预算执行数（元）", "Last year's executed amount (yuan)", "amount", None),
    ("/project/overview", "项目概况", "Project overview", "longtext", None),
    ("/project/basis", "立项依据", "Basis", "longtext", None),
    ("/project/necessity", "项目设立的必要性", "Necessity", "longtext", None),
    ("/project/safeguards", "保证项目实施的制度、措施", "Safeguards", "longtext", None),
    ("/project/plan", "项目实施计划", "Implementation plan", "longtext", None),
    ("/project/goals", "总目标及阶段性目标", "Overall and stage goals", "longtext", None),
]

INFO_TITLE_ROW = 0
INFO_FIRST_ROW = 1
INFO_FIELDS: tuple[Field, ...] = tuple(
    Field(path, label, label_en, kind, INFO_FIRST_ROW + i, choices)
    for i, (path, label, label_en, kind, choices) in enumerate(_INFO_FIELDS)
)
STAMP_ROW = INFO_FIRST_ROW + len(_INFO_FIELDS) + 1
STAMP_LABEL = "模板标识"
STAMP_CELL = (STAMP_ROW, VALUE_COL)
FIELD_BY_PATH = {f.path: f for f in INFO_FIELDS}


# Indicator sheet ----------------------------------------------------------------------
IND_TITLE_ROW = 0
IND_CAPTION_ROW = 1  # "申报单位：… 项目名称：…" (a formula echoing the info sheet)
IND_HEADER_ROW = 2
IND_FIRST_ROW = 3
DEFAULT_ROWS = 50
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    key: str  # seq | level1 | level2 | name | comparator | target | unit | basis | weight
    label: str
    label_en: str
    width: float
    index: int  # 0-based column


# Comparators as people write them in the form, and their document codes.
COMPARATOR_DISPLAY = {"=": "＝", ">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "qualitative": "定性"}
DISPLAY_TO_COMPARATOR = {v: k for k, v in COMPARATOR_DISPLAY.items()}

YES, NO = "是", "否"


def indicator_columns(fw: Framework) -> tuple[Column, ...]:
    lab = fw.labels
    spec = [
        ("seq", "序号", "No.", 6),
        ("level1", lab["level1"], "Level 1", 13),
        ("level2", lab["level2"], "Level 2", 13),
        ("name", lab["level3"], "Level 3 (indicator)", 36),
        ("comparator", "比较符", "Comparator", 8),
        ("target", lab["target"], "Target", 26),
        ("unit", "计量单位", "Unit", 9),
    ]
    optional = {"basis": ("指标值设定依据", "Basis of the target", 28), "weight": ("分值", "Weight", 7)}
    for key in fw.optional_columns:
        spec.append((key, *optional[key]))
    return tuple(Column(k, lbl, en, w, i) for i, (k, lbl, en, w) in enumerate(spec))


def column_of(fw: Framework, key: str) -> Column:
    for col in indicator_columns(fw):
        if col.key == key:
            return col
    raise KeyError(key)


# Addresses -----------------------------------------------------------------------------
@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    s = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        s = chr(65 + rem) + s
    return s


@lru_cache(maxsize=65536)
def a1(row: int, col: int) -> str:
    return f"{col_letter(col)}{row + 1}"


def parse_a1(ref: str) -> tuple[int, int]:
    letters = "".join(ch for ch in ref if ch.isalpha())
    digits = "".join(ch for ch in ref if ch.isdigit())
    col = 0
    for ch in letters.upper():
        col = col * 26 + (ord(ch) - 64)
    return int(digits) - 1, col - 1


# Template stamp --------------------------------------------------------------------------
def template_id(framework_id: str, year: int) -> str:
    return f"xlgoals-L{LAYOUT_VERSION}-{framework_id}-{year}"


def make_stamp(framework_id: str, year: int) -> str:
    return f"{STAMP_PREFIX}|{LAYOUT_VERSION}|{framework_id}|{year}|{template_id(framework_id, year)}"


def parse_stamp(value) -> dict | None:
    """``"XLGOALS|1|shanghai-2020|2020|id"`` -> dict, or None when it is not a stamp."""
    if not isinstance(value, str):
        return None
    parts = value.strip().split("|")
    if len(parts) != 5 or parts[0] != STAMP_PREFIX:
        return None
    try:
        layout, year = int(parts[1]), int(parts[3])
    except ValueError:
        return None
    return {"layout_version": layout, "framework": parts[2], "year": year, "template_id": parts[4]}
