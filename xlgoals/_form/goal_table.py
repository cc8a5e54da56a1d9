"""The 财政项目支出绩效目标表 (project expenditure performance-target table), declared once.

Every label a department sees on this form, every position and every print setting is
here; the writer, the filler, the reader, messages, annotated copies and summaries all
take them from this declaration.  Bump ``layout_version`` when any position changes: the
reader refuses layouts it does not know; keep the older layout's declaration in ``OLDER_LAYOUTS``
so that returns made from it still read.

Layout 2 added the signature block (填报人, 联系电话, 填报日期, 单位负责人 and an empty 单位（盖章）
area) below the six narrative sections, moving the stamp down.  The block prints on one page: the
writer starts a new page before it when the narratives above would leave it split (``Area.keep_with``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ._model import Area, Column, Field, FieldSheet, Form, GuideSheet, PrintSetup, TableSheet, Validation

#: Dropdown prompts every form shares.
PICK = "请从下拉列表中选择"
NOT_IN_LIST = "不在列表中"

_INFO_OPTIONS = dict(
    name="项目信息",
    title="{title}（{year}年度）",
    stamp_label="模板标识",
    print=PrintSetup(repeat_rows=(0, 0)),
    validations={
        "date": Validation("{label}", "请输入日期，如 2020-01-01", "日期格式不正确",
                           "请输入 1990-01-01 至 2100-12-31 之间的日期，如 2020-01-01。",
                           minimum=dt.date(1990, 1, 1), maximum=dt.date(2100, 12, 31)),
        "amount": Validation("{label}", "单位：元。请填写数字，最多两位小数。", "金额不正确",
                             "请填写大于或等于 0 的数字，单位为元（不是万元）。", minimum=0),
        "bool": Validation(error_title="请选择", error_message="请从下拉列表中选择“是”或“否”。"),
        "choice": Validation(error_title=NOT_IN_LIST, error_message="所填内容不在下拉列表中。确定要保留吗？",
                             error_type="warning"),
    },
)
_HEADER = (
        Field("/year", "预算年度", "Budget year", "year", required=True),
        Field("/unit", "申报单位名称", "Reporting unit", "text", required=True, short="申报单位"),
        Field("/project/name", "项目名称", "Project name", "text", required=True),
        Field("/project/category", "项目类别", "Project category", "choice", list="project_categories",
              required=True),
        Field("/project/start_date", "计划开始日期", "Planned start date", "date", required=True),
        Field("/project/end_date", "计划完成日期", "Planned completion date", "date", required=True),
        Field("/project/government_procurement", "是否含有政府购买服务",
              "Includes government procurement of services", "bool", required=True),
        Field("/project/performance_type", "绩效类型", "Performance type", "choice", list="performance_types",
              required=True),
        Field("/budget/total", "项目总预算（元）", "Total budget (yuan)", "amount", required=True),
        Field("/budget/current_year", "项目当年预算（元）", "This year's budget (yuan)", "amount", required=True),
        Field("/budget/prior_year_budget", "同名项目上年预算额（元）", "Last year's budget (yuan)", "amount"),
        Field("/budget/prior_year_executed", "同名项目上年预算执行数（元）", "Last year's executed amount (yuan)",
              "amount"),
        Field("/project/overview", "项目概况", "Project overview", "longtext", required=True),
        Field("/project/basis", "立项依据", "Basis", "longtext", required=True),
        Field("/project/necessity", "项目设立的必要性", "Necessity", "longtext", required=True),
        Field("/project/safeguards", "保证项目实施的制度、措施", "Safeguards", "longtext", required=True),
        Field("/project/plan", "项目实施计划", "Implementation plan", "longtext", required=True),
        Field("/project/goals", "总目标及阶段性目标", "Overall and stage goals", "longtext", required=True),
)

#: The seal's label, on every form that is stamped on paper.
SEAL = "单位（盖章）"



def signature(contact: tuple[Field, ...], head: Field) -> tuple:
    """The signature block of every form printed and stamped: the contact fields, 单位负责人 and the seal's empty
    area, which prints on one page with them."""
    return (*contact, head, Area(SEAL, height=96, keep_with=tuple(f.path for f in (*contact, head))))


# The goal table's, at the foot of 项目信息 (the other forms take these fields from it).
_SIGNATURE = signature((Field("/contact/person", "填报人", "Filled in by", "text"),
                        Field("/contact/phone", "联系电话", "Telephone", "text"),
                        Field("/contact/date", "填报日期", "Date filled in", "date")),
                       Field("/contact/head", "单位负责人", "Head of the unit", "text"))

_INFO = FieldSheet(**_INFO_OPTIONS, fields=_HEADER + _SIGNATURE)


#: The indicator sheet's page: the caption (申报单位, 项目名称) and the header on every page, side margins of
#: 0.4 in (10 mm); portrait as the paper form, landscape where the framework adds 指标值设定依据 and 分值 (the
#: writer turns a table of more than seven columns).  Its seven columns (93 characters) fit the portrait page's
#: width at about 77 % where a character is as wide as LibreOffice takes 宋体's when it substitutes DejaVu Sans,
#: the nine (127) the landscape page's at about 82 %; they were 111 and 146 characters, 64 % and 72 %.  序号
#: holds three digits, 一级指标 five characters (影响力目标) on a line, 指标目标值 a 12-digit number.
_TABLE_PRINT = PrintSetup(repeat_rows=(1, 2), margins=(0.4, 0.4, 0.7, 0.7))

_TABLE = TableSheet(
    name="绩效指标",
    name_en="Performance indicators",
    title="{year}年绩效目标",
    caption=(("申报单位：", "/unit"), ("　　项目名称：", "/project/name")),
    print=_TABLE_PRINT,
    fit_rows=True,
    ids_kept=True,  # the indicators' ids in the document properties (no column holds them)
    columns=(
        Column("seq", "序号", "No.", "seq", 5, locked=True),
        Column("level1", "一级指标", "Level-1 category", "text", 11, framework_label="level1", list="level1", spans=True,
               validation=Validation("{level1}", PICK, NOT_IN_LIST, f"{PICK}{{level1}}。")),
        Column("level2", "二级指标", "Level-2 category", "text", 11, framework_label="level2", list="level2_of_row",
               spans=True,
               validation=Validation("{level2}", "请先选择{level1}，再从下拉列表中选择", NOT_IN_LIST,
                                     f"{{level2}}须属于同一行的{{level1}}，{PICK}。")),
        Column("name", "三级指标", "Indicator name", "text", 30, framework_label="level3"),
        Column("comparator", "比较符", "Comparator", "comparator", 6, list="comparators",
               validation=Validation("{comparator}", "定量指标选 {quantitative}，定性指标选“定性”", NOT_IN_LIST,
                                     "请选择 {quantitative} 或 定性。")),
        Column("target", "指标目标值", "Target", "target", 24, framework_label="target", keys=("value", "text")),
        Column("unit", "计量单位", "Unit", "unit", 6, list="units", spans=True,  # (% merged over the rates' rows)
               validation=Validation(error_title="{unit}", error_message="所填单位不在建议列表中，如确认无误请点“确定”。",
                                     error_type="information")),
        Column("basis", "指标值设定依据", "Basis", "longtext", 28, optional=True, style="text"),
        Column("weight", "分值", "Weight", "number", 6, optional=True, unreadable="cell.weight",
               validation=Validation(error_title="{weight}不正确", error_message="{weight}应为 0 至 100 之间的数字。",
                                     minimum=0, maximum=100)),
    ),
)

#: The placeholder words line 七 quotes first, where the bureau's list has them (the packaged list's best known)
_QUOTED_FIRST = ("*", "/", "无", "0")


def guide_values(rules, fw=None) -> dict[str, str]:
    """The goal table guide's words from the rule table in force: {placeholder_words}, line 七's “不要用 … 等占位”
    quoting four of the placeholder words of the rules of check kind ``placeholder`` in force (rule.placeholder's
    ``texts``; _QUOTED_FIRST first where it lists them), "" where none is in force (nothing is warned then)."""
    texts: list[str] = []
    for rd, params, _ in rules.business:
        if rd.check == "placeholder":
            texts += [t.strip() for t in params.get("texts") or () if isinstance(t, str) and t.strip()
                      and t.strip() not in texts]
    if not texts:
        return {"placeholder_words": ""}
    quoted = [w for w in _QUOTED_FIRST if w in texts]
    quoted += [t for t in texts if t not in quoted][:max(0, 4 - len(quoted))]
    return {"placeholder_words": "；不要用" + "".join(f"“{w}”" for w in quoted) + "等占位"}


_GUIDE = GuideSheet(
    name="填表说明",
    title="填表说明（{year}年度）",
    lines=(
        "一、本工作簿由财政局统一下发，用于填报“财政项目支出绩效目标表”。请勿增删、重命名工作表，勿插入或删除列，否则无法导入。",
        "二、请在“{info}”工作表中填写申报单位、项目基本信息、预算金额及六项文字说明；浅黄色单元格为可填写区域，灰色单元格为固定内容。",
        "三、金额单位为“元”，请填写数字（可保留两位小数），不要填写“万元”或附加文字；日期请按 2020-01-01 的格式填写。",
        "四、在“{table}”工作表中逐行填写绩效指标：先选择{level1}，再选择该{level1}下的{level2}，然后填写{name_named}。",
        "五、定量指标：{comparator}选择 {quantitative} 之一，{target}填写数字，{unit}选择或填写（如 %、人）。例：≥ 85 %。",
        "六、定性指标：{comparator}选择“定性”，{target}填写文字描述，如“合理”“健全”“及时”，{unit}留空。",
        "七、下方列表中标注“必填”的每个{level1}至少填写一条；同一项目内{name_named}不要重复{placeholder_words}。",
        "八、填写完成后请在“{info}”工作表底部的签署栏填写填报人信息，保存为 .xlsx 格式（不要另存为含宏的工作簿，不要设置打开密码），"
        "打印并加盖单位公章后连同电子文件一并报送。",
        "九、“{info}”工作表底部的“{stamp}”用于追溯模板来源，请勿修改。",
        "十、指标行不够时可以插入行：在“{table}”工作表中右键点击表内第 {first_row} 行（第一条指标）以下任一行的行号，选择“插入”"
        "（或“在上方插入行”），新行插在该行上方，同样有下拉选项。不要在第 {first_row} 行的上方插入：在那里插入的行沿用表头的格式，"
        "已锁定，无法填写（可右键点击其行号，选择“删除”）。多余的空行可以保留，不影响导入。",
    ),
    required_mark="（必填）",
    values=guide_values,
)

GOAL_TABLE = Form(
    id="goal-table",
    title="财政项目支出绩效目标表",
    title_en="Project expenditure performance-target table",
    layout_version=2,
    schema_file="goal-table.schema.json",
    guide=_GUIDE,
    info=_INFO,
    table=_TABLE,
    lists_sheet="下拉选项",
)

#: Layouts no longer issued, kept so that returns made from them still read (their stamps name the layout).
OLDER_LAYOUTS = (
    replace(GOAL_TABLE, layout_version=1, info=FieldSheet(**_INFO_OPTIONS, fields=_HEADER)),
)
