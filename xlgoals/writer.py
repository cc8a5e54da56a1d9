"""Write the 绩效目标表 workbook with xlsxwriter: blank templates, prefilled templates and filled returns.

One function, ``build_workbook``, lays out the form from ``layout`` and optionally writes a
document's values into it; the template, prefill and fill commands are thin wrappers.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import xlsxwriter

from . import layout as L
from .frameworks import Framework, load_framework
from .pointers import get
from .values import comparator_display

FONT = "宋体"
_GRAY = "#F2F2F2"
_INPUT = "#FFFFF0"
_LOCKED_VALUE = "#EDEDED"

GUIDE_LINES = [
    ("title", "填表说明"),
    ("text", "一、本工作簿由财政局统一下发，用于填报“财政项目支出绩效目标表”。请勿增删、重命名工作表，勿插入或删除行、列，否则无法导入。"),
    ("text", "二、请在“项目信息”工作表中填写申报单位、项目基本信息、预算金额及六项文字说明；浅黄色单元格为可填写区域，灰色单元格为固定内容。"),
    ("text", "三、金额单位为“元”，请填写数字（可保留两位小数），不要填写“万元”或附加文字；日期请按 2020-01-01 的格式填写。"),
    ("text", "四、在“绩效指标”工作表中逐行填写绩效指标：先选择一级指标，再选择该一级指标下的二级指标，然后填写三级指标名称。"),
    ("text", "五、定量指标：比较符选择 ＝、≥、＞、≤、＜ 之一，指标目标值填写数字，计量单位选择或填写（如 %、人）。例：≥ 85 %。"),
    ("text", "六、定性指标：比较符选择“定性”，指标目标值填写文字描述，如“合理”“健全”“及时”，计量单位留空。"),
    ("text", "七、每个一级指标至少填写一条；同一项目内三级指标名称不要重复；不要用“*”“/”“无”“0”等占位。"),
    ("text", "八、填写完成后请保存为 .xlsx 格式（不要另存为含宏的工作簿，不要设置打开密码），打印盖章后连同电子文件一并报送。"),
    ("text", "九、“项目信息”工作表底部的“模板标识”用于追溯模板来源，请勿修改。"),
]


def legacy_password_hash(password: str) -> str:
    """The 16-bit hash Excel uses for sheet and workbook protection passwords."""
    digest = 0
    for char in password[::-1]:
        digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
        digest ^= ord(char)
    digest = ((digest >> 14) & 0x01) | ((digest << 1) & 0x7FFF)
    digest ^= len(password)
    digest ^= 0xCE4B
    return f"{digest:X}"


class _Formats:
    def __init__(self, wb):
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "border": 1, "text_wrap": True}
        self.title = wb.add_format({"font_name": FONT, "font_size": 16, "bold": True, "align": "center",
                                    "valign": "vcenter"})
        self.subtitle = wb.add_format({"font_name": FONT, "font_size": 11, "align": "center", "valign": "vcenter"})
        self.caption = wb.add_format({"font_name": FONT, "font_size": 10, "valign": "vcenter", "text_wrap": True})
        self.label = wb.add_format({**base, "bold": True, "bg_color": _GRAY, "locked": True})
        self.header = wb.add_format({**base, "bold": True, "bg_color": _GRAY, "align": "center", "locked": True})
        self.text = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT})
        self.longtext = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT,
                                       "valign": "top"})
        self.center_text = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT,
                                          "align": "center"})
        self.date = wb.add_format({**base, "locked": False, "num_format": "yyyy-mm-dd", "bg_color": _INPUT,
                                   "align": "left"})
        self.amount = wb.add_format({**base, "locked": False, "num_format": "#,##0.00", "bg_color": _INPUT})
        self.number = wb.add_format({**base, "locked": False, "num_format": "General", "bg_color": _INPUT})
        self.fixed = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "num_format": "@"})
        self.fixed_date = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE,
                                         "num_format": "yyyy-mm-dd", "align": "left"})
        self.fixed_amount = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE,
                                           "num_format": "#,##0.00"})
        self.fixed_center = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "align": "center"})
        self.stamp = wb.add_format({"font_name": FONT, "font_size": 8, "font_color": "#808080", "locked": True,
                                    "num_format": "@"})
        self.guide = wb.add_format({"font_name": FONT, "font_size": 11, "text_wrap": True, "valign": "top"})
        self.guide_title = wb.add_format({"font_name": FONT, "font_size": 14, "bold": True})


INFO_VALUE_WIDTH = 74
MAX_ROW_HEIGHT = 409  # points: Excel's limit for one row


def _text_height(text: str | None, width: float, minimum: float = 150) -> float:
    """A row height (points) that shows all of a wrapped text when printed, within Excel's limit."""
    if not text:
        return minimum
    per_line = width * 0.95  # column width in '0' characters; a CJK character takes two
    lines = 0
    for para in str(text).split("\n"):
        units = sum(2 if ord(ch) > 0x2E7F else 1 for ch in para)
        lines += max(1, -(-units // int(per_line)))
    return min(MAX_ROW_HEIGHT, max(minimum, lines * 14.5 + 8))


def _protect(ws, password: str | None):
    ws.protect(password or "", {"select_locked_cells": True, "select_unlocked_cells": True,
                                "format_rows": True, "format_columns": True})


def _print_setup(ws, repeat_rows: tuple[int, int] | None, landscape: bool = False):
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)  # one page wide, as many tall as needed
    ws.set_margins(left=0.5, right=0.5, top=0.7, bottom=0.7)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    if repeat_rows:
        ws.repeat_rows(*repeat_rows)


def _list_names(fw: Framework) -> dict[str, list[str]]:
    lists = {
        "xl_level1": fw.level1_names,
        "xl_comparators": [comparator_display(c) for c in fw.comparators],
        "xl_units": list(fw.units),
        "xl_project_categories": list(fw.project_categories),
        "xl_performance_types": list(fw.performance_types),
        "xl_yesno": [L.YES, L.NO],
    }
    for i, cat in enumerate(fw.level1, start=1):
        lists[f"xl_l2_{i}"] = list(cat["level2"])
    return lists


def _write_lists_sheet(wb, fmt: _Formats, fw: Framework, password):
    ws = wb.add_worksheet(L.LISTS_SHEET)
    for col, (name, items) in enumerate(_list_names(fw).items()):
        ws.write_string(0, col, name)
        for row, item in enumerate(items, start=1):
            ws.write_string(row, col, item)
        letter = L.col_letter(col)
        last = max(len(items), 1) + 1
        wb.define_name(name, f"='{L.LISTS_SHEET}'!${letter}$2:${letter}${last}")
        ws.set_column(col, col, 18)
    ws.very_hidden()
    _protect(ws, password)
    return ws


def _write_guide_sheet(wb, fmt: _Formats, fw: Framework, year: int, password):
    ws = wb.add_worksheet(L.GUIDE_SHEET)
    ws.set_column(0, 0, 100)
    row = 0
    for kind, text in GUIDE_LINES:
        if kind == "title":
            ws.write_string(row, 0, f"{text}（{year}年度 · {fw.title}）", fmt.guide_title)
            ws.set_row(row, 28)
        else:
            ws.write_string(row, 0, text, fmt.guide)
            ws.set_row(row, 36)
        row += 1
    row += 1
    ws.write_string(row, 0, f"{fw.labels['level1']}及其{fw.labels['level2']}：", fmt.guide_title)
    for cat in fw.level1:
        row += 1
        mark = "（必填）" if cat.get("required") else ""
        ws.write_string(row, 0, f"{cat['name']}{mark}：{'、'.join(cat['level2'])}", fmt.guide)
    _print_setup(ws, None)
    _protect(ws, password)
    return ws


def _write_info_sheet(wb, fmt: _Formats, fw: Framework, year: int, doc, locked: frozenset, password):
    ws = wb.add_worksheet(L.INFO_SHEET)
    ws.set_column(L.LABEL_COL, L.LABEL_COL, 26)
    ws.set_column(L.VALUE_COL, L.VALUE_COL, INFO_VALUE_WIDTH)
    ws.merge_range(L.INFO_TITLE_ROW, 0, L.INFO_TITLE_ROW, 1, f"{L.TITLE}（{year}年度）", fmt.title)
    ws.set_row(L.INFO_TITLE_ROW, 36)
    for f in L.INFO_FIELDS:
        ws.write_string(f.row, L.LABEL_COL, f.label, fmt.label)
        value = get(doc, f.path)
        is_locked = f.path in locked or f.kind == "year"
        r, c = f.row, L.VALUE_COL
        if f.kind == "year":
            ws.write_number(r, c, year, fmt.fixed_center)
        elif f.kind == "date":
            cell_fmt = fmt.fixed_date if is_locked else fmt.date
            if value:
                ws.write_datetime(r, c, dt.date.fromisoformat(value), cell_fmt)
            else:
                ws.write_blank(r, c, None, cell_fmt)
            ws.data_validation(r, c, r, c, {
                "validate": "date", "criteria": "between",
                "minimum": dt.date(1990, 1, 1), "maximum": dt.date(2100, 12, 31),
                "input_title": f.label, "input_message": "请输入日期，如 2020-01-01",
                "error_title": "日期格式不正确", "error_message": "请输入 1990-01-01 至 2100-12-31 之间的日期，如 2020-01-01。",
            })
        elif f.kind == "amount":
            cell_fmt = fmt.fixed_amount if is_locked else fmt.amount
            if value is not None:
                ws.write_number(r, c, value, cell_fmt)
            else:
                ws.write_blank(r, c, None, cell_fmt)
            ws.data_validation(r, c, r, c, {
                "validate": "decimal", "criteria": ">=", "value": 0,
                "input_title": f.label, "input_message": "单位：元。请填写数字，最多两位小数。",
                "error_title": "金额不正确", "error_message": "请填写大于或等于 0 的数字，单位为元（不是万元）。",
            })
        elif f.kind == "bool":
            cell_fmt = fmt.fixed if is_locked else fmt.center_text
            text = "" if value is None else (L.YES if value else L.NO)
            _write_text(ws, r, c, text, cell_fmt)
            ws.data_validation(r, c, r, c, {
                "validate": "list", "source": "=xl_yesno",
                "error_title": "请选择", "error_message": "请从下拉列表中选择“是”或“否”。",
            })
        else:
            longtext = f.kind == "longtext"
            cell_fmt = fmt.fixed if is_locked else (fmt.longtext if longtext else fmt.text)
            _write_text(ws, r, c, value, cell_fmt)
            if longtext:
                ws.set_row(r, _text_height(value, INFO_VALUE_WIDTH))
            if f.kind == "choice":
                ws.data_validation(r, c, r, c, {
                    "validate": "list", "source": f"=xl_{f.choices}",
                    "error_type": "warning", "error_title": "不在列表中",
                    "error_message": "所填内容不在下拉列表中。确定要保留吗？",
                })
        if f.kind != "longtext":
            ws.set_row(r, 24 if f.kind != "text" or len(str(value or "")) < 36 else 40)
    ws.write_string(L.STAMP_ROW, L.LABEL_COL, L.STAMP_LABEL, fmt.stamp)
    ws.write_string(L.STAMP_ROW, L.VALUE_COL, L.make_stamp(fw.id, year), fmt.stamp)
    ws.freeze_panes(L.INFO_FIRST_ROW, 0)
    _print_setup(ws, (L.INFO_TITLE_ROW, L.INFO_TITLE_ROW))
    _protect(ws, password)
    return ws


def _write_text(ws, row, col, value, cell_fmt):
    if value is None or value == "":
        ws.write_blank(row, col, None, cell_fmt)
    else:
        ws.write_string(row, col, str(value), cell_fmt)  # always text, never a formula


def _write_indicator_sheet(wb, fmt: _Formats, fw: Framework, year: int, doc, rows: int, password):
    ws = wb.add_worksheet(L.INDICATOR_SHEET)
    cols = L.indicator_columns(fw)
    last_col = cols[-1].index
    ws.merge_range(L.IND_TITLE_ROW, 0, L.IND_TITLE_ROW, last_col, f"{year}年绩效目标", fmt.title)
    ws.set_row(L.IND_TITLE_ROW, 32)
    unit_ref = f"'{L.INFO_SHEET}'!${L.col_letter(L.VALUE_COL)}${L.FIELD_BY_PATH['/unit'].row + 1}"
    name_ref = f"'{L.INFO_SHEET}'!${L.col_letter(L.VALUE_COL)}${L.FIELD_BY_PATH['/project/name'].row + 1}"
    caption_value = f"申报单位：{get(doc, '/unit') or ''}　　项目名称：{get(doc, '/project/name') or ''}"
    ws.merge_range(L.IND_CAPTION_ROW, 0, L.IND_CAPTION_ROW, last_col, "", fmt.caption)
    ws.write_formula(L.IND_CAPTION_ROW, 0, f'="申报单位："&{unit_ref}&"　　项目名称："&{name_ref}', fmt.caption,
                     caption_value)
    ws.set_row(L.IND_CAPTION_ROW, 30)
    for col in cols:
        ws.write_string(L.IND_HEADER_ROW, col.index, col.label, fmt.header)
        ws.set_column(col.index, col.index, col.width)
    ws.set_row(L.IND_HEADER_ROW, 30)

    if doc is not None and "indicators" in doc:
        indicators = list(doc["indicators"] or [])
    else:  # a template: the framework's standard rows, ready to adjust
        indicators = [dict(r) for r in fw.prefilled_rows]
    n = max(rows, len(indicators))
    first, last = L.IND_FIRST_ROW, L.IND_FIRST_ROW + n - 1
    c = {col.key: col.index for col in cols}
    for i in range(n):
        r = first + i
        ind = indicators[i] if i < len(indicators) else {}
        ws.write_number(r, c["seq"], i + 1, fmt.fixed_center)
        _write_text(ws, r, c["level1"], ind.get("level1"), fmt.text)
        _write_text(ws, r, c["level2"], ind.get("level2"), fmt.text)
        _write_text(ws, r, c["name"], ind.get("name"), fmt.text)
        _write_text(ws, r, c["comparator"], comparator_display(ind.get("comparator")) or None, fmt.center_text)
        if ind.get("comparator") == "qualitative" or ("value" not in ind and ind.get("text")):
            _write_text(ws, r, c["target"], ind.get("text"), fmt.text)
        elif ind.get("value") is not None:
            ws.write_number(r, c["target"], ind["value"], fmt.text)
        else:
            ws.write_blank(r, c["target"], None, fmt.text)
        _write_text(ws, r, c["unit"], ind.get("unit"), fmt.center_text)
        if "basis" in c:
            _write_text(ws, r, c["basis"], ind.get("basis"), fmt.text)
        if "weight" in c:
            if ind.get("weight") is not None:
                ws.write_number(r, c["weight"], ind["weight"], fmt.number)
            else:
                ws.write_blank(r, c["weight"], None, fmt.number)

    l1 = L.col_letter(c["level1"])
    ws.data_validation(first, c["level1"], last, c["level1"], {
        "validate": "list", "source": "=xl_level1",
        "input_title": fw.labels["level1"], "input_message": "请从下拉列表中选择",
        "error_title": "不在列表中", "error_message": f"请从下拉列表中选择{fw.labels['level1']}。",
    })
    ws.data_validation(first, c["level2"], last, c["level2"], {
        "validate": "list", "source": f'=INDIRECT("xl_l2_"&MATCH(${l1}{first + 1},xl_level1,0))',
        "input_title": fw.labels["level2"], "input_message": f"请先选择{fw.labels['level1']}，再从下拉列表中选择",
        "error_title": "不在列表中",
        "error_message": f"{fw.labels['level2']}须属于同一行的{fw.labels['level1']}，请从下拉列表中选择。",
    })
    ws.data_validation(first, c["comparator"], last, c["comparator"], {
        "validate": "list", "source": "=xl_comparators",
        "input_title": "比较符", "input_message": "定量指标选 ＝ ≥ ＞ ≤ ＜，定性指标选“定性”",
        "error_title": "不在列表中", "error_message": "请选择 ＝ ≥ ＞ ≤ ＜ 或 定性。",
    })
    ws.data_validation(first, c["unit"], last, c["unit"], {
        "validate": "list", "source": "=xl_units", "error_type": "information",
        "error_title": "计量单位", "error_message": "所填单位不在建议列表中，如确认无误请点“确定”。",
    })
    if "weight" in c:
        ws.data_validation(first, c["weight"], last, c["weight"], {
            "validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100,
            "error_title": "分值不正确", "error_message": "分值应为 0 至 100 之间的数字。",
        })
    ws.freeze_panes(L.IND_FIRST_ROW, 0)
    _print_setup(ws, (L.IND_HEADER_ROW, L.IND_HEADER_ROW), landscape=len(cols) > 7)
    _protect(ws, password)
    return ws


def build_workbook(framework: str | Framework, year: int, doc: dict | None = None, *,
                   rows: int = L.DEFAULT_ROWS, password: str | None = None,
                   locked: frozenset[str] = frozenset()) -> bytes:
    """Lay out the form and return the .xlsx bytes.

    ``doc`` (a schema-valid document) fills it in; ``locked`` lists JSON pointers of header
    fields to lock after filling (bulk prefill).  Without ``doc`` the framework's pre-filled
    indicator rows are written.
    """
    fw = framework if isinstance(framework, Framework) else load_framework(framework)
    if not 1 <= rows <= L.MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {L.MAX_ROWS}")
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {
        "in_memory": True,
        "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False,
        "default_format_properties": {"font_name": FONT, "font_size": 11},
    })
    wb.set_properties({
        "title": f"{L.TITLE}（{year}年度）",
        "subject": fw.title,
        "author": "xlgoals",
        "company": "",
        "comments": L.make_stamp(fw.id, year),
        "created": dt.datetime(year, 1, 1),
    })
    for name, value in (("xlgoals_template_id", L.template_id(fw.id, year)),
                        ("xlgoals_layout_version", str(L.LAYOUT_VERSION)),
                        ("xlgoals_framework", fw.id), ("xlgoals_year", str(year))):
        wb.set_custom_property(name, value)
    fmt = _Formats(wb)
    _write_guide_sheet(wb, fmt, fw, year, password)
    info = _write_info_sheet(wb, fmt, fw, year, doc, locked, password)
    _write_indicator_sheet(wb, fmt, fw, year, doc, rows, password)
    _write_lists_sheet(wb, fmt, fw, password)
    info.activate()
    wb.close()
    return _lock_structure(buf.getvalue(), password)


def _lock_structure(xlsx: bytes, password: str | None) -> bytes:
    """Add workbook structure protection (xlsxwriter has none), keeping every zip entry's metadata."""
    attrs = 'lockStructure="1"'
    if password:
        attrs = f'workbookPassword="{legacy_password_hash(password)}" ' + attrs
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"(<bookViews)", f"<workbookProtection {attrs}/>".encode() + rb"\1", data, count=1)
            zout.writestr(info, data)
    return out.getvalue()
