"""mendBD: what a problem's fields say (red team 24e).

r01. ``expected`` says what is expected, never what the cell prints nor the print area as it stands:
     cell.amount_scaled (项目总预算 应为 1464072730000 was 10,000x the amount read), cell.number_scaled,
     cell.outside_print_area; what the cell prints / the print area set stays in the message.
r02. cell.amount_wan / cell.amount_yi give the amount in 元 to enter in ``expected`` too, as their message does.
r05. cell.outside_print_area names its cell's field, as the form declares it.
"""

from __future__ import annotations

import json
import re

import openpyxl

from xlgoals import FORMS
from xlgoals._form import a1

from .conftest import EXAMPLES, ROOT, cli
from .helpers import ooxml_errors

GT = FORMS["goal-table"]
PASSING = EXAMPLES / "returns" / "02_促进就业专项资金.xlsx"
RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # cell.amount_wan at B10 (6280万元)


def _json(*args) -> list[dict]:
    result = cli("validate", *args, "--format", "json", "--jobs", "1")
    return json.loads(result.stdout)["files"][0]["problems"]


def _one(problems: list[dict], code: str) -> dict:
    found = [p for p in problems if p["code"] == code]
    assert len(found) == 1, problems
    return found[0]


def _scaled_return(tmp_path):
    """The passing example with 项目总预算 formatted in 万元, the 3rd indicator's target scaled by a trailing comma,
    and a print area on 绩效指标 ending above the 7th indicator's row."""
    wb = openpyxl.load_workbook(PASSING)
    f = GT.field("/budget/total")
    wb[f.sheet][f.cell].number_format = '#,##0.00"万元"'
    ws = wb[GT.table.name]
    first = GT.table.first_row
    ws.cell(first + 3, GT.column("value").index + 1).number_format = "#,##0.00,"
    ws.print_area = f"A1:{a1(first + 5, len(GT.table.columns) - 1)}"
    out = tmp_path / "scaled.xlsx"
    wb.save(out)
    return out


# r01 -------------------------------------------------------------------------------------------------------------
def test_scaled_and_print_area_problems_expect_the_fix_not_what_the_cell_prints(tmp_path):
    src = _scaled_return(tmp_path)
    for lang in ("zh", "en"):
        problems = _json(src, "--lang", lang)
        amount = _one(problems, "cell.amount_scaled")
        assert amount["value"] == "146407273"
        assert "1464072730000" not in amount["expected"] and "#,##0.00" in amount["expected"], amount
        assert "1464072730000" in amount["message"], amount  # what the paper shows: said in the message
        number = _one(problems, "cell.number_scaled")
        assert number["value"] == "100" and number["expected"] not in ("0.1", "0.10"), number
        assert "General" in number["expected"] or "常规" in number["expected"], number
        assert "0.1" in number["message"], number
        area = _one(problems, "cell.outside_print_area")
        assert area["expected"] != "A1:I9" and "A1:I9" in area["message"], area
        assert ("打印区域" if lang == "zh" else "print area") in area["expected"], area
    # the annotated copy's 问题清单 prints `expected` under 应为
    result = cli("validate", src, "--annotate", tmp_path / "ann", "--jobs", "1")
    assert result.exit_code == 1, result.output
    copy = tmp_path / "ann" / "scaled_问题标注.xlsx"
    ws = openpyxl.load_workbook(copy)["问题清单"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("代码")]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["cell.amount_scaled"][head.index("应为")] == "按元显示：数字格式为常规或 #,##0.00（不带单位，末尾不带逗号）"
    assert rows["cell.number_scaled"][head.index("应为")] == "按原数显示：数字格式为常规（末尾不带逗号）"
    assert rows["cell.outside_print_area"][head.index("应为")] == "打印区域包含本表填写的全部内容（或取消打印区域）"
    assert ooxml_errors(copy) == []


# r02 -------------------------------------------------------------------------------------------------------------
def test_amount_in_wan_expects_the_amount_in_yuan_its_message_gives():
    for lang in ("zh", "en"):
        p = _one(_json(RECEIVED, "--lang", lang), "cell.amount_wan")
        assert p["expected"] == "62800000" and "62800000" in p["message"], p


def test_amount_in_wan_not_exact_to_the_fen_expects_nothing_it_cannot_give(tmp_path):
    wb = openpyxl.load_workbook(PASSING)
    f = GT.field("/budget/total")
    wb[f.sheet][f.cell].value = "1.2345678万元"
    wb.save(tmp_path / "r.xlsx")
    p = _one(_json(tmp_path / "r.xlsx"), "cell.amount_wan")
    assert p["expected"] == "" and "请换算为元后填写" in p["message"], p


# r05 -------------------------------------------------------------------------------------------------------------
def test_outside_print_area_names_its_cells_field(tmp_path):
    src = _scaled_return(tmp_path)
    zh = _one(_json(src), "cell.outside_print_area")
    en = _one(_json(src, "--lang", "en"), "cell.outside_print_area")
    assert zh["cell"] == en["cell"] == "B10"
    assert zh["field"] == "第7条指标的一级目标", zh  # shanghai-2020 heads the column 一级目标
    assert en["field"] == "indicator 7 level-1 category", en


# r07 -------------------------------------------------------------------------------------------------------------
ALL_FAULTS = EXAMPLES / "review" / "全部问题.xlsx"


def test_low_quantified_share_quotes_the_cell_it_points_at_and_says_the_share_in_its_message():
    ws = openpyxl.load_workbook(ALL_FAULTS)
    for lang in ("zh", "en"):
        p = _one(_json(ALL_FAULTS, "--review", "--lang", lang), "review.low_quantified_share")
        held = ws[p["sheet"]][p["cell"]].value
        assert p["value"] == held == "合格", p  # the first qualitative target, as the cell holds it
        assert "/" not in p["expected"] and "%" not in p["expected"], p  # a quantified target, not the share
        assert "5/21" in p["message"] or "5 of 21" in p["message"], p
        assert "合格" in p["message"] and (p["field"] in p["message"]), p  # the row pointed at, named


# r03 -------------------------------------------------------------------------------------------------------------
def test_target_changed_names_the_column_as_the_shanghai_sheet_heads_it(tmp_path):
    from .helpers import edited_return

    for form_id, code in (("monitoring", "monitor.target_changed"), ("self-evaluation", "self.target_changed")):
        src = edited_return(tmp_path, form_id, {(1, "name"): "改过的指标名称"}, name=f"{form_id}.xlsx")
        ws = openpyxl.load_workbook(src)
        p = _one(_json(src, "--targets", EXAMPLES / "returns"), code)
        assert ws[p["sheet"]][a1(FORMS[form_id].table.header_row, FORMS[form_id].column("name").index)].value \
            == "三级目标"
        assert p["field"] == "第2条指标的三级目标" and "三级目标" in p["message"], p
        assert _one(_json(src, "--targets", EXAMPLES / "returns", "--lang", "en"), code)["field"] == \
            "indicator 2 indicator name", p


def test_duplicate_name_and_level2_headings_and_messages_say_the_shanghai_level_names(tmp_path):
    wb = openpyxl.load_workbook(PASSING)
    ws = wb[GT.table.name]
    name = GT.column("name").index + 1
    assert ws.cell(GT.table.header_row + 1, name).value == "三级目标"
    ws.cell(GT.table.first_row + 2, name).value = ws.cell(GT.table.first_row + 1, name).value
    wb.save(tmp_path / "dup.xlsx")
    out = cli("validate", tmp_path / "dup.xlsx", "--jobs", "1").stdout
    assert "【警告】三级目标重复：1 处" in out and "三级目标“" in out and "三级指标" not in out, out
    out = cli("validate", RECEIVED, "--jobs", "1").stdout
    assert "【错误】二级目标不属于其一级目标：1 处" in out and "二级指标" not in out, out


def test_a_heading_over_returns_of_two_frameworks_uses_the_neutral_level_names():
    from xlgoals import RuleTable
    from xlgoals._check._report import problem_title

    rd = RuleTable.default()["rule.level2_mismatch"]
    assert problem_title(rd, "zh", {"shanghai-2020"}) == "二级目标不属于其一级目标"
    assert problem_title(rd, "zh", {"national-2021"}) == "二级指标不属于其一级指标"
    assert problem_title(rd, "zh", {"shanghai-2020", "national-2021"}) == "二级指标不属于其一级指标"
    assert problem_title(rd, "en", {"shanghai-2020"}) == "Level-2 category does not belong to its level-1"


# r06 -------------------------------------------------------------------------------------------------------------
_BOTH = ("message", "field", "value", "expected")


def test_json_carries_both_languages_whatever_the_lang_and_its_fixed_keys_do_not_change_with_it():
    zh, en = (_json(RECEIVED, "--lang", lang) for lang in ("zh", "en"))
    assert [p["code"] for p in zh] == [p["code"] for p in en] == ["cell.amount_wan", "rule.level2_mismatch"]
    for pz, pe in zip(zh, en):
        for key in _BOTH:
            assert pz[f"{key}_zh"] == pe[f"{key}_zh"] == pz[key], (key, pz, pe)  # zh: the default language's keys
            assert pz[f"{key}_en"] == pe[f"{key}_en"] == pe[key], (key, pz, pe)
    mismatch = zh[1]
    assert mismatch["expected_zh"] == "数量、质量、时效、成本" and mismatch["expected_en"] == "数量, 质量, 时效, 成本"
    assert mismatch["field_zh"] == "第13条指标的二级目标" and mismatch["field_en"] == "indicator 13 level-2 category"
    assert "二级目标“满意度”" in mismatch["message_zh"] and "Level-2 category '满意度'" in mismatch["message_en"]


def test_read_trace_problems_carry_both_languages(tmp_path):
    out = cli("read", RECEIVED, "--trace", "--lang", "en").stdout
    p = next(p for p in json.loads(out)["problems"] if p["code"] == "cell.amount_wan")
    assert p["message_zh"].startswith("“项目总预算（元）”") and p["message_en"] == p["message"]
    assert p["field_zh"] == "项目总预算（元）" and p["field_en"] == p["field"] == "Total budget (yuan)"


def test_content_beyond_the_form_or_in_a_hidden_column_expects_the_fix_not_where_the_form_ends(tmp_path):
    """cell.outside, cell.below and cell.hidden_column put the form's last column / row or the hidden column's letter
    in `expected` (问题清单: 应为 I); it is the message's, and `expected` says what to do."""
    from xlgoals._form import col_letter

    wb = openpyxl.load_workbook(PASSING)
    ws = wb[GT.table.name]
    last = len(GT.table.columns)
    ws.cell(GT.table.first_row + 1, last + 3).value = "旁注"
    unit = col_letter(GT.column("unit").index)
    ws.column_dimensions[unit].hidden = True
    info = wb[GT.info.name]
    info.cell(info.max_row + 5, 1).value = "表下备注"
    wb.save(tmp_path / "r.xlsx")
    for lang in ("zh", "en"):
        problems = _json(tmp_path / "r.xlsx", "--lang", lang)
        outside, below, hidden = (_one(problems, c) for c in ("cell.outside", "cell.below", "cell.hidden_column"))
        assert outside["expected"] == ("写在表内相应栏目中" if lang == "zh" else "written in the form's own fields")
        assert below["expected"] == outside["expected"]
        assert hidden["expected"] == ("该列取消隐藏" if lang == "zh" else "the column shown (not hidden)")
        assert re.search(r"（[A-Z]+ 列以后）" if lang == "zh" else r"after column [A-Z]+\)", outside["message"]), outside
        assert f"{unit} " in hidden["message"] or f"({unit})" in hidden["message"], hidden
        assert below["expected_zh"] == "写在表内相应栏目中" and below["message_zh"].startswith("表格下方（第 ")


def test_a_json_documents_heading_says_its_frameworks_level_names(tmp_path):
    from .conftest import EXAMPLE_JSON

    doc = json.loads(EXAMPLE_JSON[1].read_text(encoding="utf-8"))
    assert doc["framework"] == "shanghai-2020"
    doc["indicators"][2]["name"] = doc["indicators"][1]["name"]
    (tmp_path / "d.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    out = cli("validate", tmp_path / "d.json", "--jobs", "1").stdout
    assert "【警告】三级目标重复：1 处" in out and "三级目标“" in out and "三级指标" not in out, out


def test_a_format_showing_no_number_expects_the_value_shown_not_what_it_shows_now(tmp_path):
    """cell.format_blank (its format text by mendBB) put what the cell shows (详见附件, or nothing) in `expected`:
    问题清单 printed 项目总预算 应为 详见附件.  What it shows is the message's."""
    wb = openpyxl.load_workbook(PASSING)
    f = GT.field("/budget/total")
    wb[f.sheet][f.cell].number_format = '"详见附件"'
    wb.save(tmp_path / "r.xlsx")
    for lang, fix in (("zh", "显示单元格的值：数字格式为常规"), ("en", "the value shown: number format General")):
        p = _one(_json(tmp_path / "r.xlsx", "--lang", lang), "cell.format_blank")
        assert p["expected"] == fix and "详见附件" in p["message"], p
