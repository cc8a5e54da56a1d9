"""read: workbook -> document, traced to cells; tolerant of what people type; strict about structure."""

import datetime as dt
import json

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlgoals import fill, load_framework, read, validate_file
from xlgoals._form import a1
from xlgoals._form._kinds import clean_listed, clean_name

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, cli, examples, load
from .helpers import F, edited, ind_cell, info_cell


@pytest.mark.parametrize("xlsx", EXAMPLE_XLSX, ids=lambda p: p.stem)
def test_examples_read_back_exactly(xlsx):
    result = read(xlsx)
    assert result.problems == []
    assert result.document == load(xlsx.parent.parent / "json" / f"{xlsx.stem}.json")
    assert result.template["framework"] == "shanghai-2020"
    assert len(result.sha256) == 64


def _leaves(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{prefix}/{i}")
    else:
        yield prefix


@pytest.mark.parametrize("folder", ["self-evaluation", "monitoring"])
def test_every_value_of_the_later_forms_has_its_cell(folder):
    """The framework, the form and a monitoring report's month are read from the stamp: their source is its cell."""
    from xlgoals import FORMS

    result = read(sorted((EXAMPLES / folder).glob("*.xlsx"))[0])
    form = FORMS[result.form]
    stamp = f"{form.info.name}!{a1(*form.info.stamp_cell)}"
    assert result.sources["/framework"] == result.sources["/form"] == stamp
    assert folder == "self-evaluation" or result.sources["/month"] == stamp
    assert [p for p in _leaves(result.document) if p not in result.sources] == ["/schema_version"]


def test_sources_point_at_cells():
    result = read(EXAMPLE_XLSX[2])
    assert result.sources["/framework"] == f"{F.info.name}!{a1(*F.info.stamp_cell)}"
    assert result.sources["/unit"] == f"{F.info.name}!B3"
    assert result.sources["/budget/total"] == f"{F.info.name}!{F.field('/budget/total').cell}"
    assert result.sources["/indicators/9/value"] == f"{F.table.name}!F{F.table.first_row + 10}"
    assert result.sources["/indicators/9/name"] == f"{F.table.name}!D{F.table.first_row + 10}"
    # every leaf of the document has a source; the schema's version is the reader's, from no cell
    assert [p for p in _leaves(result.document) if p not in result.sources] == ["/schema_version"]


def test_cli_read(tmp_path):
    out = tmp_path / "doc.json"
    result = cli("read", EXAMPLE_XLSX[0], "-o", out)
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text(encoding="utf-8")) == load(EXAMPLE_JSON[0])
    traced = cli("read", EXAMPLE_XLSX[0], "--trace")
    data = json.loads(traced.stdout)
    assert data["sources"]["/project/name"] == f"{F.info.name}!B4"
    assert data["template"]["template_id"] == F.template_id("shanghai-2020", 2020)


# Round trip on generated documents ------------------------------------------------------
_FW = load_framework("shanghai-2020")
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40)
_name = _text.map(clean_name).filter(lambda s: s is not None)
# a value chosen from a list (项目类别, 绩效类型) is read without the invisible characters a paste leaves (mendER)
_listed = _text.map(clean_listed).filter(lambda s: s is not None)
_amount = st.one_of(st.none(), st.integers(0, 10**12),
                    st.decimals(0, 10**9, places=2).map(lambda d: float(d)).filter(lambda x: not x.is_integer()))
_date = st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat))


@st.composite
def _indicator(draw):
    cat = draw(st.sampled_from(_FW.level1))
    item = {"level1": cat["name"], "level2": draw(st.sampled_from(cat["level2"])), "name": draw(_name)}
    if draw(st.booleans()):
        text = draw(_name)
        # a text that reads as a number target would (rightly) come back as one
        text = text.strip() or "目标"
        item.update(comparator="qualitative", text=text)
    else:
        item.update(comparator=draw(st.sampled_from(["=", ">=", ">", "<=", "<"])),
                    value=draw(st.one_of(st.integers(-10**9, 10**9),
                                         st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 4)))))
        unit = draw(st.one_of(st.none(), st.sampled_from(_FW.units)))
        if unit:
            item["unit"] = unit
    if isinstance(item.get("value"), float) and item["value"].is_integer():
        item["value"] = int(item["value"])
    return item


@st.composite
def documents(draw):
    return {
        "schema_version": "1", "framework": "shanghai-2020", "year": draw(st.integers(2000, 2100)),
        "unit": draw(st.one_of(st.none(), _name)),
        "project": {"name": draw(_name), "category": draw(st.one_of(st.none(), _listed)),
                    "start_date": draw(_date), "end_date": draw(_date),
                    "government_procurement": draw(st.one_of(st.none(), st.booleans())),
                    "performance_type": draw(st.one_of(st.none(), _listed)),
                    **{k: draw(st.one_of(st.none(), _text.map(str.strip).filter(bool)))
                       for k in ("overview", "basis", "necessity", "safeguards", "plan", "goals")}},
        "budget": {k: draw(_amount) for k in ("total", "current_year", "prior_year_budget", "prior_year_executed")},
        "indicators": draw(st.lists(_indicator(), max_size=12)),
    }


@pytest.mark.slow
@settings(max_examples=examples(20, 40), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_round_trip_generated(doc, tmp_path):
    path = tmp_path / "gen.xlsx"
    fill(doc, path, force=True)  # one tmp_path for every example
    result = read(path)
    # a percentage below 1 (0.5 %) may be a fraction pasted for 50 %: a warning asks, the value is kept; not on a
    # row of ≤ or < (差错率 ≤0.5 % is a limit as typed)
    fractions = sum(1 for i in doc["indicators"] if i.get("unit") == "%" and isinstance(i.get("value"), (int, float))
                    and 0 < i["value"] < 1 and i.get("comparator") not in ("<=", "<"))
    # an amount above 0 and below one 元 (0.01) may be a percent typed where the cell keeps #,##0.00: a warning, kept
    cents = sum(1 for v in doc["budget"].values() if isinstance(v, (int, float)) and 0 < v < 1)
    assert sorted(p.code for p in result.problems) == sorted(["cell.percent_fraction"] * fractions
                                                             + ["cell.amount_fraction"] * cents)
    assert result.document == doc


# What people type ---------------------------------------------------------------------------
TYPED = [
    (info_cell("/budget/total"), "６２８００", ("/budget/total", 62800)),
    (info_cell("/budget/total"), "62,800,000", ("/budget/total", 62800000)),
    (info_cell("/budget/current_year"), "6,424,663.00", ("/budget/current_year", 6424663)),
    (info_cell("/project/start_date"), 43831, ("/project/start_date", "2020-01-01")),
    (info_cell("/project/start_date"), "2020年1月1日", ("/project/start_date", "2020-01-01")),
    (info_cell("/project/start_date"), "2020-01-01", ("/project/start_date", "2020-01-01")),
    (info_cell("/project/name"), "  促进就业\n专项 资金 ", ("/project/name", "促进就业专项资金")),
    (info_cell("/project/government_procurement"), "否", ("/project/government_procurement", False)),
]


@pytest.mark.parametrize("cell,typed,expect", TYPED, ids=[repr(t[1]) for t in TYPED])
def test_typed_header_values(cell, typed, expect, tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "t.xlsx", {cell: typed})
    result = read(path)
    assert [p.code for p in result.problems] == []
    pointer, value = expect
    node = result.document
    for part in pointer.strip("/").split("/"):
        node = node[part]
    assert node == value


TARGETS = [
    ("≥85%", None, {"comparator": ">=", "value": 85, "unit": "%"}),
    (">5000 人", None, {"comparator": ">", "value": 5000, "unit": "人"}),
    ("100%", None, {"comparator": "=", "value": 100, "unit": "%"}),
    ("不低于85%", None, {"comparator": ">=", "value": 85, "unit": "%"}),
    ("＞９０％", None, {"comparator": ">", "value": 90, "unit": "%"}),
    ("＝100", "%", {"comparator": "=", "value": 100, "unit": "%"}),
    ("85", "％", {"comparator": "=", "value": 85, "unit": "%"}),
]


@pytest.mark.parametrize("typed,unit,expect", TARGETS, ids=[t[0] for t in TARGETS])
def test_whole_target_in_one_cell(typed, unit, expect, tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "t.xlsx", {
        ind_cell(10, "comparator"): None, ind_cell(10, "target"): typed, ind_cell(10, "unit"): unit})
    result = read(path)
    assert [p.code for p in result.problems] == []
    item = result.document["indicators"][10]
    assert {k: item.get(k) for k in expect} == expect
    assert "text" not in item


@pytest.mark.parametrize("cell,typed,code", [
    (info_cell("/budget/total"), "6280万元", "cell.amount_wan"),
    (info_cell("/budget/total"), "约六千", "cell.amount_capital"),  # (Chinese numerals: said so, mendCD)
    (info_cell("/budget/total"), "12.345", "cell.amount_decimals"),
    (info_cell("/project/start_date"), "明年春天", "cell.date"),
    (info_cell("/project/government_procurement"), "也许", "cell.bool"),
    (ind_cell(10, "comparator"), "约等于", "cell.comparator"),
    (ind_cell(10, "target"), ">=85%以上", "cell.target"),
])
def test_unreadable_values_become_cell_problems(cell, typed, code, tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "t.xlsx", {cell: typed})
    result = read(path)
    problems = [p for p in result.problems if p.code == code]
    assert len(problems) == 1, result.problems
    assert (problems[0].sheet, problems[0].cell) == cell
    assert problems[0].value == typed


def test_conflicting_comparator_and_unit(tmp_path):
    path = edited(EXAMPLE_XLSX[1], tmp_path / "t.xlsx", {
        ind_cell(10, "comparator"): "≤", ind_cell(10, "target"): "≥85%", ind_cell(10, "unit"): "人"})
    codes = {p.code: p.cell for p in read(path).problems}
    assert codes == {"cell.comparator_conflict": ind_cell(10, "comparator")[1],
                     "cell.unit_conflict": ind_cell(10, "unit")[1]}


# Structure -----------------------------------------------------------------------------------
def _codes(result):
    return [p.code for p in result.problems]


def test_inserted_row_is_reported_not_misread(tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    wb[F.info.name].insert_rows(5)
    wb.save(tmp_path / "ins.xlsx")
    result = read(tmp_path / "ins.xlsx")
    assert _codes(result) == ["template.altered"] and result.document is None
    assert result.problems[0].cell == "A5" and result.problems[0].expected == "项目类别"


def test_inserted_column_is_reported(tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    wb[F.table.name].insert_cols(3)
    wb.save(tmp_path / "col.xlsx")
    result = read(tmp_path / "col.xlsx")
    assert _codes(result) == ["template.altered"] and result.document is None


def test_renamed_or_removed_sheet(tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    wb[F.table.name].title = "指标"
    wb.save(tmp_path / "ren.xlsx")
    result = read(tmp_path / "ren.xlsx")
    # renamed (the one other sheet with the table's titles): said, and read under the form's name (mendW, f05)
    assert _codes(result) == ["template.sheet_renamed"] and result.problems[0].expected == F.table.name
    assert result.problems[0].sheet == "指标" and result.document is not None
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    del wb[F.info.name]
    wb.save(tmp_path / "del.xlsx")
    assert _codes(read(tmp_path / "del.xlsx")) == ["template.sheet_missing"]


def test_unknown_template_version_and_framework(tmp_path):
    stamp = F.make_stamp("shanghai-2020", 2020).replace(f"|{F.layout_version}|", "|99|")
    path = edited(EXAMPLE_XLSX[0], tmp_path / "v.xlsx", {(F.info.name, a1(*F.info.stamp_cell)): stamp})
    assert _codes(read(path)) == ["template.unknown"]
    stamp = F.make_stamp("mars-2030", 2020)
    path = edited(EXAMPLE_XLSX[0], tmp_path / "f.xlsx", {(F.info.name, a1(*F.info.stamp_cell)): stamp})
    assert _codes(read(path)) == ["template.unknown"]


def test_stamp_removed_is_altered_when_properties_remain(tmp_path):
    path = edited(EXAMPLE_XLSX[0], tmp_path / "s.xlsx", {(F.info.name, a1(*F.info.stamp_cell)): None})
    assert _codes(read(path)) == ["template.altered"]


def test_foreign_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "项目名称"
    wb.save(tmp_path / "foreign.xlsx")
    result = read(tmp_path / "foreign.xlsx")
    assert _codes(result) == ["template.missing"] and result.document is None


def test_unprotected_sheet_is_a_warning(tmp_path):
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[1])
    wb[F.table.name].protection.sheet = False
    wb.save(tmp_path / "u.xlsx")
    result = read(tmp_path / "u.xlsx")
    assert _codes(result) == ["template.unprotected"]
    assert result.problems[0].severity == "warning" and result.problems[0].sheet == F.table.name
    assert result.document == load(EXAMPLE_JSON[1])


def test_input_file_never_modified(tmp_path):
    src = EXAMPLE_XLSX[0]
    before = src.read_bytes(), src.stat().st_mtime_ns
    read(src)
    assert (src.read_bytes(), src.stat().st_mtime_ns) == before


def test_merged_categories_are_read_into_each_row_and_other_merges_explained(tmp_path):
    """Clerks merge a 一级指标 over the rows it covers, as printed forms show it: each row of the range is read
    with the merged value (a warning says so, at the range's first cell).  A merge in another column leaves the
    rows below empty, and a warning says why before the missing values are reported."""
    import openpyxl

    from xlgoals import validate_file

    from .helpers import F, ind_cell

    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    ws = wb[F.table.name]
    level1, name = ind_cell(0, "level1")[1], ind_cell(3, "name")[1]
    below = [ind_cell(i, "level1")[1] for i in (1, 2)]
    expected = [ws[c].value for c in (level1, *below)]
    assert len(set(expected)) == 1
    for c in below:
        ws[c] = None
    ws.merge_cells(f"{level1}:{below[-1]}")
    ws[ind_cell(4, "name")[1]] = None
    ws.merge_cells(f"{name}:{ind_cell(4, 'name')[1]}")
    wb.save(tmp_path / "m.xlsx")
    report = validate_file(tmp_path / "m.xlsx")
    doc = report.document
    assert [doc["indicators"][i]["level1"] for i in range(3)] == expected
    found = {(p.code, p.cell) for p in report.problems}
    assert ("cell.merged_read", level1) in found and ("cell.merged", name) in found, found
    merged_read = next(p for p in report.problems if p.code == "cell.merged_read")
    assert expected[0] in merged_read.message and "1–3" not in merged_read.message
    assert not any(p.code.startswith("rule.level") for p in report.problems)


def test_a_note_typed_beside_the_form_is_a_warning_not_lost_silently(tmp_path):
    import openpyxl

    from xlgoals import validate_file

    from .helpers import F

    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    last = max(c.index for c in F.columns())
    wb[F.table.name].cell(13, last + 3).value = "此行为新增指标"
    wb[F.table.name].cell(20, last + 5).value = 42
    wb[F.info.name].cell(5, F.info.last_col + 3).value = "备注"
    wb.save(tmp_path / "o.xlsx")
    found = {(p.sheet, p.cell): p for p in validate_file(tmp_path / "o.xlsx").problems if p.code == "cell.outside"}
    from xlgoals._form import a1

    assert set(found) == {(F.table.name, a1(12, last + 2)), (F.info.name, a1(4, F.info.last_col + 2))}
    table = found[(F.table.name, a1(12, last + 2))]
    assert table.severity == "warning" and "2 个单元格" in table.message and "此行为新增指标" in table.message
    assert read(EXAMPLE_XLSX[0]).document == read(tmp_path / "o.xlsx").document


def test_a_target_with_more_digits_than_a_spreadsheet_keeps_is_an_error(tmp_path):
    """12345678901234567 typed as a target was taken, then shown as …568 in the summary and as a float in the
    DataFrames: a located error, as for amounts beyond 15 significant digits."""
    from .helpers import edited, ind_cell

    path = edited(EXAMPLE_XLSX[1], tmp_path / "digits.xlsx", {ind_cell(9, "target"): "12345678901234567"})
    found = [p for p in validate_file(path).problems if p.code == "cell.number_precision"]
    assert [(p.sheet, p.cell, p.severity) for p in found] == [(*ind_cell(9, "target"), "error")]
    assert "12345678901234567" in found[0].message and "15" in found[0].message
    fine = edited(EXAMPLE_XLSX[1], tmp_path / "fine.xlsx", {ind_cell(9, "target"): "≥123456789012345"})
    assert not [p for p in validate_file(fine).problems if p.code == "cell.number_precision"]


def test_a_narrative_beyond_what_a_row_shows_in_excel_is_a_warning_at_its_cell(tmp_path):
    """Typed in Excel, a 1,160-character 项目设立的必要性 makes its row as tall as Excel goes, 409 pt, about 750
    characters at 11 pt: the rest is cut off on paper, yet cell.print_cut (which counts on the 7 pt xlgoals shrinks
    a filled text to) said nothing.  A warning at the cell now; none for a text the row holds, for the seed's 1,123
    characters xlgoals wrote at a smaller font, nor for LibreOffice's rows (taller than 409 pt: it prints them whole)."""
    paragraph = "为切实提高财政资金使用效益，确保项目按计划推进并取得预期成效，本单位将严格落实各项管理制度，加强过程监控与绩效评价。"
    field = F.field("/project/necessity")

    def typed(name: str, text: str, height: float):
        wb = openpyxl.load_workbook(EXAMPLE_XLSX[1])
        wb[F.info.name][field.cell] = text
        wb[F.info.name].row_dimensions[field.row + 1].height = height
        wb.save(tmp_path / name)
        return [p for p in validate_file(tmp_path / name).problems if p.code == "cell.row_too_short"]

    (short,) = typed("excel.xlsx", paragraph * 20, 409)
    assert (short.sheet, short.cell, short.severity, short.path) == (F.info.name, field.cell, "warning", "/project/necessity")
    assert "约需 646 磅行高，所在行只有 409 磅（Excel、WPS 的一行最高 409 磅）" in short.message
    assert "409 pt (a row in Excel and WPS is at most 409 pt)" in short.message_en
    assert typed("fits.xlsx", paragraph * 12, 409) == []  # 696 characters: within the row
    assert typed("libreoffice.xlsx", paragraph * 20, 629.1) == []  # as LibreOffice saves the row it grew
    assert not [p for p in validate_file(EXAMPLE_XLSX[4]).problems if p.code == "cell.row_too_short"]


def test_a_text_too_long_to_print_whole_is_a_warning_at_its_cell(tmp_path):
    """Excel and WPS stop a row at 409 pt: a 项目实施计划 of 2,500 characters prints cut off, even in the 7 pt xlgoals
    shrinks a long text to, so the stamped paper lacks its end.  A warning says so at the cell (the data is kept
    whole); a long text that still prints (the seed's 1,123 characters) is not flagged, nor a 指标值设定依据 that fits
    its narrower column."""
    from xlgoals import FORMS

    doc = load(EXAMPLE_JSON[0])
    doc["project"]["plan"] = "按计划组织实施，" * 312 + "完成"  # 2,498 characters
    fill(doc, tmp_path / "long.xlsx")
    report = validate_file(tmp_path / "long.xlsx")
    cut = [p for p in report.problems if p.code == "cell.print_cut"]
    plan = FORMS["goal-table"].field("/project/plan")
    assert [(p.sheet, p.cell, p.severity, p.path) for p in cut] == [("项目信息", plan.cell, "warning", "/project/plan")]
    assert "2498 字" in cut[0].message and "约 1763 字" in cut[0].message and report.passes()
    assert report.document["project"]["plan"] == doc["project"]["plan"]  # kept whole
    seed = validate_file(EXAMPLE_XLSX[4])  # 项目设立的必要性 of 1,123 characters: printed whole, in a smaller font
    assert not [p for p in seed.problems if p.code == "cell.print_cut"]
    national = load(EXAMPLES / "national-2021" / "目标表.json")
    national["indicators"][0]["basis"] = "依据" * 500  # 1,000 characters: more than its 28-wide column prints
    fill(national, tmp_path / "basis.xlsx")
    cut = [p for p in validate_file(tmp_path / "basis.xlsx").problems if p.code == "cell.print_cut"]
    assert [(p.path, p.field) for p in cut] == [("/indicators/0/basis", "第1条指标的指标值设定依据")]


def test_a_return_over_the_row_limit_is_that_one_error_not_also_missing_categories(tmp_path):
    """Rows typed past the form's limit: template.too_many_rows, at the first row over it.  Its path, the list of
    items, was blanked for the rules as an unreadable cell's is: they saw no indicator at all and added a
    “缺少必填的一级指标” for every required category, of a return that has them all."""
    import openpyxl

    from xlgoals import FORMS, validate_file
    from xlgoals._defaults import MAX_ROWS

    form = FORMS["goal-table"]
    cols = {c.key: c.index + 1 for c in form.columns(None)}
    wb = openpyxl.load_workbook(EXAMPLE_XLSX[0])
    ws = wb[form.table.name]
    for k in range(MAX_ROWS + 2):
        r = form.table.first_row + 1 + k
        if ws.cell(r, cols["name"]).value:
            continue
        for key, v in (("level1", "产出目标"), ("level2", "数量"), ("name", f"指标{k}"), ("comparator", "≥"),
                       ("target", "1"), ("unit", "个")):
            ws.cell(r, cols[key]).value = v
    path = tmp_path / "超过行数.xlsx"
    wb.save(path)
    problems = validate_file(path).problems
    assert [p.code for p in problems] == ["template.too_many_rows"], [(p.code, p.message) for p in problems]


def test_an_amount_in_yi_yuan_or_a_word_for_none_says_what_to_do(tmp_path):
    """6.28亿元 (large projects are spoken of so) got the generic “无法识别为金额”, and 无 or - in a new project's
    上年预算额 did not say that the cell is simply left blank.  Each now says what to do, at its cell, in zh and en
    (the exact amount in 元 to type: tests/test_department_messages.py)."""
    path = edited(EXAMPLE_XLSX[0], tmp_path / "r.xlsx", {info_cell("/budget/total"): "6.28亿元",
                                                          info_cell("/budget/prior_year_budget"): "无"})
    problems = {p.code: p for p in validate_file(path).problems}
    yi, none = problems["cell.amount_yi"], problems["cell.amount_none"]
    assert (yi.sheet, yi.cell) == info_cell("/budget/total") and "亿元" in yi.message and "应填写 628000000" in yi.message
    assert (none.sheet, none.cell) == info_cell("/budget/prior_year_budget") and "请留空" in none.message
    assert "leave it blank" in none.message_en and "100,000,000" in yi.message_en
    blank = edited(EXAMPLE_XLSX[0], tmp_path / "b.xlsx", {info_cell("/budget/prior_year_budget"): None})
    assert not [p for p in validate_file(blank).problems if p.path == "/budget/prior_year_budget"]


def test_a_read_result_gives_the_json_that_xlgoals_read_prints(tmp_path):
    """ReadResult.to_json is the library's: the document as JSON text, or with trace the document, each value's
    cell, the stamp, the digest and the reader's problems in the language asked; None without a document."""
    import hashlib

    path = EXAMPLES / "received" / "某局_某项目.xlsx"
    result = read(path)
    text = result.to_json()
    assert text.endswith("}\n") and "\n  \"" in text and json.loads(text) == result.document
    assert "促进就业专项资金" in text  # characters as they are, not \\u escapes
    traced = json.loads(result.to_json(trace=True, lang="en"))
    assert set(traced) == {"document", "sources", "template", "sha256", "problems"}
    assert traced["document"] == result.document
    assert traced["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert traced["template"]["framework"] == "shanghai-2020"
    assert traced["sources"]["/budget/total"] == "项目信息!" + traced["sources"]["/budget/total"].split("!")[1]
    assert traced["problems"] and traced["problems"] == [p.to_dict("en") for p in result.problems]
    assert json.loads(result.to_json(trace=True))["problems"] == [p.to_dict("zh") for p in result.problems]
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    assert read(bad).to_json() is None and read(bad).to_json(trace=True) is None
