"""The printed form: signature block, stamp off the page, summaries titled and ordered, and every cell's text
printed whole (LibreOffice to PDF, read back with pdftotext)."""

import copy
import datetime as dt
import functools
import json
import os
import shutil
import statistics
from pathlib import Path

import openpyxl
import pytest

from xlgoals import FORMS, consolidate, fill, read, validate, write_template
from xlgoals._check._annotate import annotate
from xlgoals._consolidate._tables import made_on_date, pinyin_key
from xlgoals._form import a1
from xlgoals._frameworks import FrameworkSet

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, load, lo_printed

F = FORMS["goal-table"]
CONTACT = {"person": "张三", "phone": "021-12345678", "date": "2020-03-15", "head": "李四"}
LONG_TARGET = "项目资金严格按照规定用途使用，做到专款专用，资金拨付及时，无截留、挤占、挪用等违规情况发生，接受审计和社会监督"
LONG_NAME = "就业困难人员通过公益性岗位、社区服务和市场化渠道实现再就业的人数及其稳定就业情况"


def _long_doc():
    doc = load(EXAMPLE_JSON[1])
    doc["contact"] = dict(CONTACT)
    doc["indicators"][10]["name"] = LONG_NAME
    qualitative = next(i for i in doc["indicators"] if i.get("comparator") == "qualitative")
    qualitative["text"] = LONG_TARGET
    return doc


def test_signature_block_is_filled_and_read_back(tmp_path):
    path = fill(_long_doc(), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)[F.info.name]
    for key, value in CONTACT.items():
        f = F.field(f"/contact/{key}")
        assert ws.cell(f.row + 1, 1).value == f.label
        shown = ws[f.cell].value
        assert (shown.date().isoformat() if key == "date" else shown) == value
    (seal,) = F.info.areas
    assert ws.cell(seal.row + 1, 1).value == seal.label and ws.cell(seal.row + 1, 2).value is None
    assert ws.row_dimensions[seal.row + 1].height >= 80
    assert read(path).document["contact"] == CONTACT


def test_blank_signature_block_is_left_out_of_the_document(tmp_path):
    doc = load(EXAMPLE_JSON[0])
    assert read(fill(doc, tmp_path / "r.xlsx")).document == doc  # as documents made before layout 2


def test_stamp_stays_in_the_workbook_but_off_the_page(tmp_path):
    wb = openpyxl.load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = wb[F.info.name]
    assert ws.cell(F.info.stamp_row + 1, F.info.value_col + 1).value.startswith("XLGOALS|goal-table|2|")
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    last_row = int(area.split(":")[-1].lstrip("$").lstrip("ABCDEFGHIJ").lstrip("$"))
    assert last_row == F.info.end_row < F.info.stamp_row + 1


def test_layout_1_returns_still_read():
    fixture = Path(__file__).parent / "fixtures" / "goal-table-layout1-old-stamp.xlsx"
    result = read(fixture)
    assert result.document is not None and result.template["layout_version"] == 1
    assert "contact" not in result.document
    assert not [p for p in result.problems if p.code.startswith("template.")]


def test_fill_date_breaks_ties_before_file_time(tmp_path):
    d = tmp_path / "收到"
    d.mkdir()
    doc = load(EXAMPLE_JSON[1])
    early, late = copy.deepcopy(doc), copy.deepcopy(doc)
    early["contact"], late["contact"] = {"date": "2020-03-01"}, {"date": "2020-03-20"}
    fill(late, d / "a_later_date.xlsx")
    fill(early, d / "b_newer_file.xlsx")
    os.utime(d / "a_later_date.xlsx", ns=(10**18, 10**18))
    os.utime(d / "b_newer_file.xlsx", ns=(2 * 10**18, 2 * 10**18))  # modified later, but filled in earlier
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    kept = {os.path.basename(r.path): r.included for r in result.records}
    assert kept == {"a_later_date.xlsx": True, "b_newer_file.xlsx": False}


def test_summary_title_pinyin_order_and_framework_order(tmp_path):
    d = tmp_path / "收到"
    d.mkdir()
    base = load(EXAMPLE_JSON[1])
    for unit in ("中国某局", "上海市某局", "北京市某局", "安徽省某局"):  # code point order: 上 中 北 安
        doc = copy.deepcopy(base)
        doc["unit"] = unit
        fill(doc, d / f"{unit}.xlsx")
    out = tmp_path / "s.xlsx"
    consolidate([d], out, jobs=1, made_on=dt.date(2021, 3, 4))
    wb = openpyxl.load_workbook(out)
    ws = wb["汇总"]
    assert ws["A1"].value == "2020年度项目支出绩效目标汇总" and ws["A2"].value == "制表日期：2021-03-04"
    units = [ws.cell(r, 2).value for r in range(4, 8)]
    assert units == ["安徽省某局", "北京市某局", "上海市某局", "中国某局"]  # an, bei, shang, zhong
    cats = [r for r in wb["分类统计"].iter_rows(min_row=2, values_only=True) if r[0] == "全部" and r[1] != "合计"]
    fw_level1 = ["投入与管理", "产出目标", "效果目标", "影响力目标"]
    assert list(dict.fromkeys(r[1] for r in cats)) == fw_level1
    assert [r[2] for r in cats if r[1] == "产出目标"] == ["数量", "质量", "时效"]  # the framework's order
    scopes = list(dict.fromkeys(r[0] for r in wb["分类统计"].iter_rows(min_row=2, values_only=True)))
    assert scopes == ["全部", *units]


def test_made_on_defaults(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert made_on_date() == dt.date(2023, 11, 14)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert made_on_date() == dt.date.today()
    assert made_on_date("2020-05-06") == dt.date(2020, 5, 6)
    assert pinyin_key("北京") < pinyin_key("上海") < pinyin_key("中国")


def test_summary_print_setup_keeps_paths_off_the_page_and_text_legible(tmp_path):
    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "returns"], out, jobs=1)
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        assert not ws.sheet_properties.pageSetUpPr or not ws.sheet_properties.pageSetUpPr.fitToPage
        assert 80 <= (ws.page_setup.scale or 100) <= 100, ws.title
    for name, hidden in (("项目清单", ("文件路径", "SHA-256")), ("校验结果", ("文件路径", "SHA-256"))):
        ws = wb[name]
        headers = [c.value for c in ws[1]]
        last = ws.print_area[0].split(":")[-1] if isinstance(ws.print_area, list) else ws.print_area.split(":")[-1]
        printed_cols = openpyxl.utils.column_index_from_string(last.strip("$").rstrip("0123456789").rstrip("$"))
        assert not set(hidden) & set(headers[:printed_cols]) and set(hidden) <= set(headers)


# Printing with LibreOffice --------------------------------------------------------------------------
_print = lo_printed  # path -> (Printed, its sheets as lo_print.py says them)


@pytest.mark.soffice
def test_every_printed_cell_shows_its_text_whole(tmp_path, soffice):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    files = tmp_path / "files"
    files.mkdir()
    template = write_template(files / "template.xlsx")
    filled = fill(_long_doc(), files / "filled.xlsx")
    received = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", received)
    (report,) = [f for f in validate([received]).files if not f.passes()]
    annotated = annotate(report, files)
    d = tmp_path / "returns"
    d.mkdir()
    for i, unit in enumerate(("上海市就业促进中心", "上海市人力资源和社会保障局职业能力建设处（上海市职业技能鉴定中心）", "北京市某局")):
        doc = _long_doc()
        doc["unit"] = unit
        fill(doc, d / f"{i}.xlsx")
    shutil.copy(annotated, d)  # an xlgoals output in the folder: listed as such
    for p in sorted((EXAMPLES / "returns").glob("*.xlsx")):
        shutil.copy(p, d)
    summary = tmp_path / "files" / "summary.xlsx"
    consolidate([d], summary, jobs=1, review=True, previous=[EXAMPLES / "review" / "上年"])
    printed = _print([template, filled, annotated, summary], tmp_path / "printed", needed=False)
    for path, (pdf, sheets) in printed.items():
        assert not pdf.off_page(), (path.name, [w.text for w in pdf.off_page()][:5])
        assert "XLGOALS" not in pdf.text, path.name  # the stamp is not on paper
        for sheet, info in sheets.items():
            missing = [(ref, text) for ref, text in info["cells"] if not pdf.find(text)]
            assert not missing, (path.name, sheet, missing[:5])
    summary_pdf, sheets = printed[summary]
    assert set(sheets) - {"汇总图"} == {"汇总", "项目清单", "绩效指标", "分类统计", "校验结果", "审核", "审核（按单位）"}
    # 审核's note below its returns is on paper (its paths are not: the print area that leaves them off holds it)
    assert any(text.startswith("与上年比较：") for _, text in sheets["审核"]["cells"])
    assert min(w.height for w in summary_pdf.words) >= 10.0  # 8 pt text: 10.4 with these fonts
    assert not any(len(w.text) == 64 and set(w.text) <= set("0123456789abcdef") for w in summary_pdf.words)
    assert printed[filled][0].find(LONG_TARGET) and printed[filled][0].find(LONG_NAME)  # wrapped, whole


# The seal with its signature block, captions and labels sized to their text, long narratives whole ---------------
SE, MON = FORMS["self-evaluation"], FORMS["monitoring"]
SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))
MON_JSON = sorted((EXAMPLES / "monitoring").glob("*.json"))
SEAL = "单位（盖章）"
PARAGRAPH = "为切实提高财政资金使用效益，确保项目按计划推进并取得预期成效，本单位将严格落实各项管理制度，加强过程监控与绩效评价。"


def _filled_of_each_form(tmp_path) -> dict:
    """form id -> a filled return of it, its signature block filled in."""
    goal, se, mon = _long_doc(), load(SE_JSON[0]), load(MON_JSON[0])
    for doc in (se, mon):
        doc["contact"]["head"] = "李四"
    return {doc.get("form", F.id): fill(doc, tmp_path / f"{doc.get('form', F.id)}.xlsx") for doc in (goal, se, mon)}


def _print_area_rows(ws) -> tuple[int, int]:
    area = ws.print_area[0] if isinstance(ws.print_area, list) else ws.print_area
    first, last = (openpyxl.utils.cell.coordinate_to_tuple(a.split("!")[-1].replace("$", ""))[0]
                   for a in area.split("!")[-1].split(":"))
    return first, last


@pytest.mark.parametrize("form_id", ["goal-table", "self-evaluation", "monitoring"])
def test_every_form_has_the_seal_and_the_head_of_unit_on_paper(tmp_path, form_id):
    path = _filled_of_each_form(tmp_path)[form_id]
    form = FORMS[form_id]
    ws = openpyxl.load_workbook(path)[form.info.name]
    (seal,) = form.info.areas
    head = form.field("/contact/head")
    assert ws.cell(seal.row + 1, form.info.label_col + 1).value == SEAL
    assert ws.cell(head.row + 1, form.info.label_col + 1).value == "单位负责人" and ws[head.cell].value
    assert ws.row_dimensions[seal.row + 1].height >= 80
    assert ws[a1(seal.row, form.info.value_col)].protection.locked  # nothing to type there
    first, last = _print_area_rows(ws)
    assert first == 1 and last == seal.row + 1 == form.info.end_row  # the seal is the last printed row
    assert ws.cell(form.info.stamp_row + 1, form.info.value_col + 1).value.startswith("XLGOALS|")  # off the page
    assert set(seal.keep_with) >= {f.path for f in form.fields if f.path.startswith("/contact/")}
    assert all(form.field(p).row < seal.row for p in seal.keep_with)
    assert read(path).document["contact"]["head"] == ws[head.cell].value


@pytest.mark.parametrize("form_id, older", [("self-evaluation", 2), ("monitoring", 1)])
def test_returns_of_the_layout_before_the_seal_still_read(tmp_path, form_id, older):
    """The seal's layout moved only the stamp: every field above stands where it stood."""
    from xlgoals._form import LAYOUTS, layouts_of
    from xlgoals._write._workbook import build_workbook

    form, old = FORMS[form_id], LAYOUTS[(form_id, older)]
    assert form.layout_version == older + 1 and layouts_of(form)[:2] == [form, old]
    assert {f.path for f in form.fields} - {f.path for f in old.fields} == {"/contact/head"} and not old.info.areas
    assert all(form.field(f.path).cell == f.cell for f in old.fields)  # nothing moved
    assert old.info.stamp_row < form.info.stamp_row
    doc = load((SE_JSON if form_id == "self-evaluation" else MON_JSON)[1])
    doc["contact"].pop("head")
    xlsx = tmp_path / "old.xlsx"
    xlsx.write_bytes(build_workbook(doc["framework"], doc["year"], doc, form=old))
    result = read(xlsx)
    assert result.template["layout_version"] == older
    assert result.document == doc and not [p for p in result.problems if p.is_error]


def test_a_page_break_keeps_the_signature_block_with_the_seal():
    """Table 01's narratives end near a page's foot, table 05's leave room, but a department editing them could push
    the block over the foot: the page starts before the last of them, which then prints with the block and the seal
    (table 01's page started before the block: the block and the seal alone on the page)."""
    breaks = {}
    for path in (EXAMPLE_XLSX[0], EXAMPLE_XLSX[4]):
        ws = openpyxl.load_workbook(path)[F.info.name]
        breaks[path] = [b.id for b in ws.row_breaks.brk]  # the 0-based row a break comes before
    assert list(breaks.values()) == [[F.field("/project/goals").row], [F.field("/project/goals").row]]


def test_the_caption_row_grows_with_long_names(tmp_path):
    short, long = load(EXAMPLE_JSON[1]), load(EXAMPLE_JSON[1])
    long["unit"] = "上海市人力资源和社会保障局下属上海市就业促进中心（上海市职业技能鉴定中心、上海市职业能力考试院）"
    long["project"]["name"] = "筹建世界技能博物馆及配套展陈、宣传推介、国际交流合作与青少年技能教育基地建设" + PARAGRAPH
    heights = []
    for doc in (short, long):
        ws = openpyxl.load_workbook(fill(doc, tmp_path / "r.xlsx", force=True))[F.table.name]
        heights.append(ws.row_dimensions[F.table.caption_row + 1].height)
        assert ws.cell(F.table.caption_row + 1, 1).value.startswith("=")  # still the formula over 项目信息
    assert heights[0] == 30 and heights[1] >= 3 * 13


def test_header_labels_of_the_monitoring_report_have_room_for_two_lines(tmp_path):
    ws = openpyxl.load_workbook(_filled_of_each_form(tmp_path)["monitoring"])[MON.info.name]
    digest = MON.field("/targets_sha256")
    assert ws.row_dimensions[digest.row + 1].height >= 2 * 14.5  # 绩效目标表摘要（SHA-256） wraps in its column
    assert ws.row_dimensions[MON.info.grids[0].row + 1].height >= 36  # 全年预计执行数（元）


def test_an_over_long_narrative_prints_in_a_smaller_font_and_reads_back_unchanged(tmp_path):
    doc = load(EXAMPLE_JSON[4])
    necessity, basis = F.field("/project/necessity"), F.field("/project/basis")
    assert len(doc["project"]["necessity"]) > 1000 and len(doc["project"]["basis"]) < 700
    se = load(SE_JSON[0])
    se["indicators"][0]["deviation"] = PARAGRAPH * 12
    paths = fill(doc, tmp_path / "g.xlsx"), fill(se, tmp_path / "s.xlsx")
    ws = openpyxl.load_workbook(paths[0])[F.info.name]
    assert ws[necessity.cell].value == doc["project"]["necessity"]
    assert ws[necessity.cell].font.sz < 11 and ws[basis.cell].font.sz == 11
    assert ws.row_dimensions[necessity.row + 1].height <= 409
    table = openpyxl.load_workbook(paths[1])[SE.table.name]
    deviation = table.cell(SE.table.first_row + 1, SE.column("deviation").index + 1)
    assert deviation.value == se["indicators"][0]["deviation"] and deviation.font.sz < 11
    assert table.cell(SE.table.first_row + 2, SE.column("deviation").index + 1).font.sz == 11
    assert read(paths[0]).document == doc and read(paths[1]).document["indicators"] == se["indicators"]


def _pages_of(pdf, label: str) -> set[int]:
    return {w.page for w in pdf.words if w.text == label}


@pytest.mark.soffice
@pytest.mark.parametrize("half", [0, 1])
def test_the_seal_prints_on_the_page_of_its_signature_block(tmp_path, soffice, half):
    """Printed by LibreOffice: 填报人 … 单位负责人 and 单位（盖章） on one page of each form, whatever the length of the
    texts above them; a narrative too long for a row at the normal size printed whole.  The 17 workbooks are printed
    in two halves (made[half::2]), each a test of its own, so that xdist's two workers share them (one print job of
    17 was among the suite's longest tests)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    files = tmp_path / "files"
    files.mkdir()
    made = [write_template(files / "template.xlsx"), *EXAMPLE_XLSX]
    made += [p for p in sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:1]]
    made += [p for p in sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[:1]]
    for n in (4, 7, 8, 10, 12, 14, 16, 17, 20):  # the texts above the block growing past a page's foot (8-16: a break)
        doc = load(SE_JSON[0])
        doc["funds"]["deviation"] = PARAGRAPH * n
        doc["overall"]["achieved"] = PARAGRAPH * n
        made.append(fill(doc, files / f"se{n}.xlsx"))
    assert len(made) == 17
    for path in made[-9:][half::2]:  # rows xlgoals sized (a smaller font where needed) hold their texts: no false alarm
        assert not [p for p in read(path).problems if p.code == "cell.row_too_short"], path.name
    mine = made[half::2]
    printed = _print(mine, tmp_path / "printed", needed=False)
    assert list(printed) == mine
    for path, (pdf, _) in printed.items():
        seal, head, person = (_pages_of(pdf, label) for label in (SEAL, "单位负责人", "填报人"))
        assert len(seal) == 1 and seal == head == person, (path.name, seal, head, person)
    if EXAMPLE_XLSX[4] in printed:
        ret05, _ = printed[EXAMPLE_XLSX[4]]
        assert ret05.find(load(EXAMPLE_JSON[4])["project"]["necessity"])


# What a department types into a template prints whole ------------------------------------------------------
def _templates_of_each_form(tmp_path) -> dict:
    """form id -> a template of it as a department receives it (the two made from an approved goal table)."""
    from xlgoals._monitor._targets import monitoring_templates
    from xlgoals._selfeval._targets import self_evaluation_templates

    targets = tmp_path / "批复"
    targets.mkdir()
    shutil.copy(EXAMPLE_XLSX[1], targets / "goal.xlsx")
    made = {"goal-table": write_template(tmp_path / "goal-table.xlsx")}
    for form_id, make in (("self-evaluation", self_evaluation_templates),
                          ("monitoring", functools.partial(monitoring_templates, month=6))):
        make(targets, tmp_path / form_id)
        (made[form_id],) = (tmp_path / form_id).glob("*.xlsx")
    return made


REASON = "偏差原因：受疫情影响部分培训班次延期举办，补贴申领人数低于预期；改进措施：加强与各区就业促进中心的沟通协调，优化线上申领流程。"


@pytest.mark.soffice
def test_what_a_department_types_into_a_template_prints_whole(tmp_path, soffice, lo_edit):
    """Typed in LibreOffice: a long unit name, narratives of a few hundred characters, a long indicator name in a
    prefilled row, long reasons on the self-evaluation's and the monitoring report's rows.  Each row grows with
    its text (a row of a fixed height kept it, and the text past it was cut off on paper)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    templates = _templates_of_each_form(tmp_path)
    unit = "上海市人力资源和社会保障局下属上海市就业促进中心（上海市职业技能鉴定中心、上海市职业能力考试院）"
    typed = {
        "goal-table": [(F.info.name, F.field("/unit").cell, unit),
                       (F.info.name, F.field("/project/basis").cell, PARAGRAPH * 10),
                       (F.info.name, F.field("/project/goals").cell, PARAGRAPH * 5),
                       (F.table.name, f"D{F.table.first_row + 2}", LONG_NAME * 3),  # a prefilled row
                       (F.table.name, f"F{F.table.first_row + 2}", LONG_TARGET * 2)],
        "self-evaluation": [(SE.info.name, SE.field("/funds/deviation").cell, PARAGRAPH * 8),
                            (SE.info.name, SE.field("/overall/achieved").cell, PARAGRAPH * 10),
                            (SE.table.name, a1(SE.table.first_row, SE.column("deviation").index), REASON * 4),
                            (SE.table.name, a1(SE.table.first_row + 1, SE.column("actual").index), REASON)],
        "monitoring": [(MON.table.name, a1(MON.table.first_row, MON.column("deviation").index), REASON * 4),
                       (MON.table.name, a1(MON.table.first_row + 1, MON.column("note").index), REASON * 2)],
    }
    filled = [lo_edit(templates[form_id], tmp_path / f"typed-{form_id}.xlsx",
                      [{"sheet": sheet, "cell": cell, "input": text} for sheet, cell, text in edits])
              for form_id, edits in typed.items()]
    for path in filled:  # rows LibreOffice grew (merged ones too) hold their texts: no false alarm
        assert not [p for p in read(path).problems if p.code == "cell.row_too_short"], path.name
    printed = _print(filled, tmp_path / "printed", needed=False)
    for path, (form_id, edits) in zip(filled, typed.items()):
        pdf, sheets = printed[path]
        for sheet, cell, text in edits:
            assert dict(sheets[sheet]["cells"])[cell] == text, (form_id, cell)  # typed, kept
            assert pdf.find(text), (form_id, sheet, cell, text[:20])


@pytest.mark.soffice
def test_the_seal_stays_with_its_block_however_long_the_narratives_typed_above(tmp_path, soffice, lo_edit):
    """A self-evaluation template's signature block fitted on its first page, so it had no page break; narratives of
    800-900 characters typed above it in LibreOffice pushed it over the page's foot: 填报人 on one page, 单位（盖章）
    on the next.  The template now starts a page before 总体目标实际完成情况, the last row typed into above the
    block, so that text, the block and the seal share a page however long the texts grow."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    template = _templates_of_each_form(tmp_path)["self-evaluation"]
    breaks = [b.id for b in openpyxl.load_workbook(template)[SE.info.name].row_breaks.brk]
    assert breaks == [SE.field("/overall/achieved").row]  # openpyxl's id: the 1-based row the page ends after
    filled = [lo_edit(template, tmp_path / f"typed{n}.xlsx",
                      [{"sheet": SE.info.name, "cell": SE.field(path).cell, "input": PARAGRAPH * n}
                       for path in ("/funds/deviation", "/overall/achieved")])
              for n in (3, 14, 16)]
    printed = _print(filled, tmp_path / "printed", needed=False)
    for path in filled:
        pdf, _ = printed[path]
        seal, head, person, achieved = (_pages_of(pdf, label) for label in (SEAL, "单位负责人", "填报人", "总体目标实际完成情况"))
        assert len(seal) == 1 and seal == head == person == achieved, (path.name, seal, head, person, achieved)


@pytest.mark.soffice
def test_thirteen_digit_amounts_of_the_funds_blocks_print_whole(tmp_path, soffice):
    """The funds grids' amount columns take the largest amount a cell holds (13 digits and fen), not ###."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    big, spent = 9876543210987.65, 1234567890123.45
    se, mon = load(SE_JSON[0]), load(MON_JSON[0])
    se["funds"].update(initial_budget=big, full_year_budget=big, executed=spent)
    se["funds"]["sources"]["fiscal"].update(initial_budget=big, full_year_budget=big, executed=spent)
    mon["funds"].update(initial_budget=big, full_year_budget=big, executed_to_date=spent, expected_full_year=big)
    files = [fill(se, tmp_path / "se.xlsx"), fill(mon, tmp_path / "mon.xlsx")]
    for path, form in zip(files, (SE, MON)):
        widths = openpyxl.load_workbook(path)[form.info.name].column_dimensions
        assert sum(widths[c].width for c in "ABCDEFG") <= 24 + 6 * 14.5 + 7  # no wider than before on paper
    printed = _print(files, tmp_path / "printed", needed=False)
    for path, (pdf, sheets) in printed.items():
        assert "###" not in pdf.text, path.name
        for text in ("9,876,543,210,987.65", "1,234,567,890,123.45"):
            assert pdf.find(text), (path.name, text)


@pytest.mark.soffice
def test_a_twelve_digit_number_typed_into_a_result_column_prints_on_one_line(tmp_path, soffice, lo_edit):
    """123456789012 typed (LibreOffice, .uno:EnterString) into 1-6月执行情况 and 全年预计完成情况 of the monitoring
    report, and into 实际完成值 of the self-evaluation: each prints as one word on one line.  The monitoring
    columns were 11 characters wide: the number wrapped after its 11th digit, 12345678901 over 2."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    number = "123456789012"
    templates = _templates_of_each_form(tmp_path)
    typed = {"monitoring": [(MON.table.name, a1(MON.table.first_row + i, MON.column(key).index))
                            for i in (0, 1) for key in ("progress", "expected")],
             "self-evaluation": [(SE.table.name, a1(SE.table.first_row + i, SE.column("actual").index))
                                 for i in (0, 1)]}
    filled = {form_id: lo_edit(templates[form_id], tmp_path / f"typed-{form_id}.xlsx",
                               [{"sheet": sheet, "cell": cell, "input": number} for sheet, cell in cells])
              for form_id, cells in typed.items()}
    printed = _print(list(filled.values()), tmp_path / "printed", needed=False)
    for form_id, path in filled.items():
        pdf, sheets = printed[path]
        for sheet, cell in typed[form_id]:
            assert dict(sheets[sheet]["cells"])[cell] == number, (form_id, cell)  # kept as typed
        whole = [w for w in pdf.words if w.text == number]
        assert len(whole) == len(typed[form_id]), (form_id, [w.text for w in pdf.words if w.text[:4] == "1234"])


@pytest.mark.soffice
def test_a_row_of_a_fixed_height_prints_its_height_and_a_text_past_it_is_a_warning(tmp_path, soffice, lo_edit):
    """A row a department gave a height (Format › Rows › Height) keeps it when a long text is typed into it, and
    LibreOffice prints it at that height, the text past it cut off, merged or not: no application grows a row when
    it opens or prints a file; a row grows only as its text is typed, where it has no fixed height.
    cell.row_too_short took a cell that is not merged (a table's 偏差原因分析及改进措施, a goal table's narratives)
    for one whose row always grows up to 409 pt, and said nothing.  The same text typed where the row is free
    grows it, prints whole and is not warned."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    templates = _templates_of_each_form(tmp_path)
    reason = a1(SE.table.first_row, SE.column("deviation").index)
    cases = {"self-evaluation": (SE.table.name, reason, REASON * 3, 30),
             "goal-table": (F.info.name, F.field("/project/basis").cell, PARAGRAPH * 10, 150)}
    # a unit's name of two lines by the writer's count, one in LibreOffice: its row, made one line high as it was
    # typed, holds it (a row of no fixed height is not judged by that count: that was a false alarm)
    unit = [{"sheet": F.info.name, "cell": F.field("/unit").cell, "input": (PARAGRAPH * 2)[:28]}]
    typed = {}
    for form_id, (sheet, cell, text, height) in cases.items():
        for fixed in (True, False):
            edits = [{"sheet": sheet, "cell": cell, "row_height": height}] if fixed else []
            edits += unit if form_id == "goal-table" else []
            typed[form_id, fixed] = lo_edit(templates[form_id], tmp_path / f"{form_id}-{fixed}.xlsx",
                                            [*edits, {"sheet": sheet, "cell": cell, "input": text}])
    printed = _print(list(typed.values()), tmp_path / "printed", needed=False)
    for (form_id, fixed), path in typed.items():
        sheet, cell, text, height = cases[form_id]
        pdf, sheets = printed[path]
        assert dict(sheets[sheet]["cells"])[cell] == text
        row = sheets[sheet]["heights"][cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
        short = [p for p in read(path).problems if p.code == "cell.row_too_short"]
        if fixed:
            assert abs(row - height) < 0.1, form_id  # printed at the height the file gives, the text past it cut off
            assert [(p.sheet, p.cell) for p in short] == [(sheet, cell)], form_id
            assert f"只有 {height} 磅" in short[0].message, short[0].message
        else:
            assert row > 2 * height, form_id  # grown as the text was typed: the fixed row lacks half of it
            assert pdf.find(text) and not short, form_id


@pytest.mark.soffice
def test_the_self_evaluation_and_monitoring_tables_print_at_three_quarters_or_more(tmp_path, soffice):
    """Fitted to the page's width, the tables of 13 and 14 columns printed at 63-66 %: 11 pt text at 7 pt.  Narrower
    columns where their texts leave room (序号, 指标编号, 二级指标, 计量单位, 分值, 完成等级, the reasons and notes) and
    side margins of 0.4 in bring them to 75 % or more, every column still on the page and every cell whole, the
    年度指标值 columns as wide as before (a 10-digit target in the monitoring report's, 12 in the self-evaluation's)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    files, targets = [], {}
    for js in (SE_JSON[0], SE_JSON[1], MON_JSON[0], MON_JSON[1]):
        doc = load(js)
        item = next(i for i in doc["indicators"] if isinstance(i.get("value"), int))
        item["value"] = targets[doc["form"]] = {"self-evaluation": 123456789012, "monitoring": 1234567890}[doc["form"]]
        files.append(fill(doc, tmp_path / f"{doc['form']}-{js.name[:2]}.xlsx"))
    for path, (pdf, sheets) in _print(files, tmp_path / "printed", needed=False).items():
        assert not pdf.off_page(), path.name
        assert str(targets[path.name.rsplit("-", 1)[0]]) in [w.text for w in pdf.words], path.name  # not ###
        for sheet, info in sheets.items():
            assert not [text for _, text in info["cells"] if not pdf.find(text)], (path.name, sheet)
        table = {w.page for w in pdf.words if w.text == "序号"}  # the header repeats on every page of the table
        guide = {w.page for w in pdf.words if w.text.startswith("填表说明")}  # printed at its size (100 %)

        def size(pages):
            return statistics.median(w.height for w in pdf.words if w.page in pages and not w.text.isascii())

        assert len(guide) == 1 and table and size(table) / size(guide) >= 0.75, (path.name, size(table) / size(guide))


def test_a_filled_rows_height_holds_its_chosen_grade_and_categories(tmp_path):
    """A choice shows a text the document holds as a code: 部分达成年度指标并具有一定效果 (partly) wraps to three lines in
    the 完成等级 column, 硬件条件保障 (facilities) to two in 偏差原因类别.  The filled row was sized by its other texts
    only (one line of 合理 and 100), so the choice was cut off on paper."""
    from xlgoals._form._paper import needed_height
    from xlgoals._form.monitoring import DEVIATION_CATEGORIES

    se, mon = load(SE_JSON[1]), load(MON_JSON[1])
    qualitative = next(i for i in se["indicators"] if i.get("grade"))
    qualitative["grade"], qualitative["actual"] = "partly", "合理"
    mon["indicators"][1]["deviation_category"] = "facilities"
    cases = ((se, SE, se["indicators"].index(qualitative), "grade", "部分达成年度指标并具有一定效果"),
             (mon, MON, 1, "deviation_category", DEVIATION_CATEGORIES["facilities"]))
    for doc, form, index, key, shown in cases:
        ws = openpyxl.load_workbook(fill(doc, tmp_path / f"{form.id}.xlsx"))[form.table.name]
        row = form.table.first_row + index + 1
        assert ws.cell(row, form.column(key).index + 1).value == shown
        assert ws.row_dimensions[row].height > needed_height(shown, form.column(key).width) - 0.75, (form.id, key)  # in pixels


@pytest.mark.soffice
def test_the_goal_tables_indicator_sheet_prints_at_three_quarters_or_more(tmp_path, soffice, lo_edit):
    """The goal table's 绩效指标, fitted to the page's width, printed at 64 % (seven columns of 111 characters,
    portrait) and 72 % (nine of 146, landscape, where the framework adds 指标值设定依据 and 分值).  Narrower columns
    where their texts leave room and side margins of 0.4 in bring both to 75 % or more; the seven stay portrait, as
    the paper form.  Typed in LibreOffice into both templates, and written by fill into return 01, a 12-digit and a
    10-digit target each print as one word (not ###, not split); every column is on the page, every cell whole, and
    the caption (申报单位, 项目名称) and the header head every page of the table."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    numbers = ("123456789012", "1234567890")
    typed = {}
    for framework, landscape in (("shanghai-2020", False), ("national-2021", True)):
        template = write_template(tmp_path / f"{framework}.xlsx", framework=framework, rows=80)  # two pages
        target = next(c for c in F.columns(FrameworkSet.default().get(framework)) if c.key == "target")
        cells = [a1(F.table.first_row + i, target.index) for i in (0, 1)]
        typed[framework] = (lo_edit(template, tmp_path / f"typed-{framework}.xlsx",
                                    [{"sheet": F.table.name, "cell": cell, "input": number}
                                     for cell, number in zip(cells, numbers)]), landscape, cells)
    doc = load(EXAMPLE_JSON[0])  # filled: rows as tall as their texts; the numbers as fill writes them
    doc["indicators"] *= 2  # over two pages (return 01's 27 now take one, no blank rows after them)
    rows = [i for i, item in enumerate(doc["indicators"]) if isinstance(item.get("value"), int)][:2]
    for i, number in zip(rows, numbers):
        doc["indicators"][i]["value"] = int(number)
    target = F.column("target")
    typed["return 01"] = (fill(doc, tmp_path / "return01.xlsx"), False,
                          [a1(F.table.first_row + i, target.index) for i in rows])
    printed = _print([path for path, _, _ in typed.values()], tmp_path / "printed", needed=False)
    for framework, (path, landscape, cells) in typed.items():
        pdf, sheets = printed[path]
        assert [dict(sheets[F.table.name]["cells"])[cell] for cell in cells] == list(numbers), framework  # as typed
        assert "###" not in pdf.text and not pdf.off_page(), framework
        assert all(n in [w.text for w in pdf.words] for n in numbers), framework  # each whole, on one line
        for sheet, info in sheets.items():
            assert not [text for _, text in info["cells"] if not pdf.find(text)], (framework, sheet)
        first = min(w.page for w in pdf.words if w.text == "序号")
        table = set(range(first, pdf.pages))  # the last sheet printed: every page from its first
        assert len(table) >= 2, framework
        for page in table:
            words = [w.text for w in pdf.words if w.page == page]
            assert "序号" in words and any(w.startswith("申报单位") for w in words), (framework, page)
            assert (pdf.widths[page] > 800) == landscape, (framework, page)
        guide = {w.page for w in pdf.words if w.text.startswith("填表说明")}  # printed at its size (100 %)

        def size(pages):
            return statistics.median(w.height for w in pdf.words if w.page in pages and not w.text.isascii())

        assert len(guide) == 1 and size(table) / size(guide) >= 0.75, (framework, size(table) / size(guide))


# No page of empty grid: a filled goal table's blank rows --------------------------------------------------------
def _table_rows(path) -> int:
    ws = openpyxl.load_workbook(path)[F.table.name]
    return ws.max_row - F.table.first_row


def test_a_filled_goal_table_keeps_only_the_blank_rows_its_last_page_holds(tmp_path):
    """fill wrote a return's indicators and blank rows to the template's 50: return 01's 27 rows and 23 blank ones
    took two pages, the second all empty grid.  Now the blank rows are those that fit below the document's rows
    on the page they end on (by the writer's count, in every layout it plans for), never more than before; a
    return of a given number of rows keeps them.  A template (blank or prefilled) is laid out the same way: the
    framework's prefilled rows and the blank rows the page holds below them, at most the template's 50."""
    counts = {}
    for path in EXAMPLE_JSON:
        doc = load(path)
        counts[path.name[:2]] = (_table_rows(fill(doc, tmp_path / "r.xlsx", force=True)), len(doc["indicators"]))
    assert all(len_doc <= rows < F.table.default_rows for rows, len_doc in counts.values()), counts
    assert counts["04"][0] > counts["04"][1] + 10, counts  # 19 short rows: room below them
    blank = _table_rows(write_template(tmp_path / "t.xlsx"))
    assert len(FrameworkSet.default().get("shanghai-2020").prefilled_rows) + 30 <= blank <= F.table.default_rows
    from xlgoals import prefill_templates

    prefilled = prefill_templates(EXAMPLES / "projects.csv", tmp_path / "下发")
    assert prefilled.written and all(_table_rows(p) == blank for p in prefilled.written)
    assert _table_rows(write_template(tmp_path / "t50.xlsx", rows=50)) == 50
    assert _table_rows(fill(load(EXAMPLE_JSON[0]), tmp_path / "r50.xlsx", rows=50)) == 50
    no_rows = load(EXAMPLE_JSON[0])
    no_rows["indicators"] = []
    assert 1 <= _table_rows(fill(no_rows, tmp_path / "empty.xlsx")) <= F.table.default_rows


@pytest.mark.soffice
def test_a_filled_goal_table_prints_no_page_of_empty_grid_and_a_row_typed_later_prints(tmp_path, soffice, lo_edit):
    """Printed by LibreOffice, every example return's 绩效指标 takes one page (return 01's took two, the second
    only blank rows).  The sheet has no print area: what a department types later into a blank row (return 04),
    or into a row it inserts (return 01, none blank), prints with the rest."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    files = [fill(load(p), tmp_path / f"r{p.name[:2]}.xlsx") for p in EXAMPLE_JSON]
    name = F.column("name").index
    blank = a1(F.table.first_row + _table_rows(files[3]) - 1, name)  # return 04's last blank row
    inserted = a1(F.table.first_row + 26, name)  # above return 01's last row
    files.append(lo_edit(files[3], tmp_path / "typed04.xlsx",
                         [{"sheet": F.table.name, "cell": blank, "input": "新增指标甲"}]))
    files.append(lo_edit(files[0], tmp_path / "typed01.xlsx",
                         [{"sheet": F.table.name, "cell": inserted, "insert_rows": 1},
                          {"sheet": F.table.name, "cell": inserted, "input": "新增指标乙"}]))
    printed = _print(files, tmp_path / "printed", needed=False)
    for path in files[:5]:
        pdf, _ = printed[path]
        assert len(_pages_of(pdf, "序号")) == 1, (path.name, _pages_of(pdf, "序号"))
    for path, text in zip(files[5:], ("新增指标甲", "新增指标乙")):
        pdf, sheets = printed[path]
        assert text in dict(sheets[F.table.name]["cells"]).values(), path.name
        assert pdf.find(text), path.name


@pytest.mark.soffice
def test_a_tables_rows_of_one_line_are_no_taller_than_one_line_needs_and_none_is_cut(tmp_path, soffice):
    """A filled row whose texts each take one line was 22.5 pt (a line of 14.5 and 8 of padding): LibreOffice makes
    it 17.2 pt, Excel and WPS 14.25 (宋体), so return 01's 21 such rows took a tenth of a page more than their text.
    They are 18 pt now; every row of each form's table still prints at least as tall as LibreOffice makes it for its
    text (Optimal Height, after printing): none is cut, rows of several lines (a paragraph per line) included."""
    goal = _long_doc()
    goal["indicators"][3]["text"] = "第一行\n第二行\n第三行\n第四行\n第五行\n第六行"
    goal["indicators"][3]["comparator"] = "qualitative"
    goal["indicators"][3].pop("value", None)
    docs = {"goal": goal, "r01": load(EXAMPLE_JSON[0]), "se": load(SE_JSON[0]), "mon": load(MON_JSON[0])}
    files = [fill(doc, tmp_path / f"{name}.xlsx") for name, doc in docs.items()]
    printed = _print(files, tmp_path / "printed")
    for path, doc in zip(files, docs.values()):
        _, sheets = printed[path]
        form = FORMS[doc.get("form", F.id)]
        info = sheets[form.table.name]
        items = [str(form.table.first_row + 1 + i) for i in range(len(doc["indicators"]))]  # not the 总分 line
        cut = [(r, info["heights"][r], info["needed"][r]) for r in items if info["heights"][r] < info["needed"][r] - 0.1]
        assert not cut, (path.name, cut)
        # the rows the writer gave one line (the table's texts each one line by its count: below two lines' height)
        one_line = [r for r in items if info["heights"][r] < 2 * 14.5]
        assert one_line, path.name
        assert all(info["heights"][r] <= 18.1 for r in one_line), (path.name, {r: info["heights"][r] for r in one_line})


def _printed_height(pdf, text: str) -> float:
    """The height from the top of `text`'s first printed line to the bottom of its last (a heading wrapped in its
    cell), the tallest where it is printed more than once."""
    tallest = 0.0
    for first in (w for w in pdf.words if w.text and text.startswith(w.text)):
        rest, word = text[len(first.text):], first
        while rest:
            below = [w for w in pdf.words if w.page == first.page and w.y0 > word.y0 + 1 and w.text
                     and rest.startswith(w.text) and w.x0 < first.x1 and w.x1 > first.x0]
            if not below:
                break
            word = min(below, key=lambda w: w.y0)
            rest = rest[len(word.text):]
        if not rest:
            tallest = max(tallest, word.y1 - first.y0)
    return tallest


@pytest.mark.soffice
def test_the_review_sheets_print_their_headings_whole(tmp_path, soffice):
    # 审核（按单位）'s first heading, 排名（平均分从低到高）, took three lines in its narrow column, and the header row
    # holds two: its first line and its last were cut on paper (the PDF still holds their glyphs, clipped, so the text
    # is found: the lines' extent is what shows it).  The self-evaluation's summary has the same sheets (--review).
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    goal, se = tmp_path / "goal.xlsx", tmp_path / "se.xlsx"
    consolidate(sorted((EXAMPLES / "returns").glob("*.xlsx")), goal, review=True, jobs=1)
    consolidate(sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")), se, review=True, jobs=1)
    printed = _print([goal, se], tmp_path / "printed", needed=False)
    for path, (pdf, sheets) in printed.items():
        wb = openpyxl.load_workbook(path)
        for sheet in ("审核", "审核（按单位）"):
            ws = wb[sheet]
            missing = [(ref, text) for ref, text in sheets[sheet]["cells"] if not pdf.find(text)]
            assert not missing, (path.name, sheet, missing[:5])
            room = (ws.row_dimensions[1].height or 15) * (ws.page_setup.scale or 100) / 100
            printed_refs = {ref for ref, _ in sheets[sheet]["cells"]}  # (文件路径 and the exact names: off the page)
            for cell in ws[1]:
                if cell.value and cell.coordinate in printed_refs:
                    assert 0 < _printed_height(pdf, cell.value) <= room, (path.name, sheet, cell.value, room)


# Characters 宋体 draws full width, though below the CJK blocks ------------------------------------------------------
QUOTED = "落实“放管服”“双随机、一公开”——“××”“……”要求；"


def test_quotes_dashes_and_symbols_count_as_wide_as_a_chinese_character():
    """“ ” ‘ ’ — … · × ÷ ± ° ℃ ≥ ≤ → ① □ ★ (GB2312's symbols, 宋体 draws them full width) take two units of a line,
    as a Chinese character; Latin letters, digits, ASCII punctuation and € take one."""
    from xlgoals._form._paper import needed_lines

    per_line = 19  # units a line of a column 20 characters wide holds
    for c in "“”‘’—…·×÷±°℃№≥≤≠→①⑴Ⅰ□○★※αД中":
        assert needed_lines(c * (per_line // 2), 20) == 1 and needed_lines(c * (per_line // 2 + 1), 20) == 2, c
    for c in "0aZ%-,.()é€":
        assert needed_lines(c * per_line, 20) == 1 and needed_lines(c * (per_line + 1), 20) == 2, c


@pytest.mark.soffice
def test_a_narrative_of_quoted_terms_and_dashes_prints_whole(tmp_path, soffice):
    """项目概况 of “放管服”, “双随机、一公开”, ——, ××, ……: counted as half a Chinese character each, the quotes, dashes
    and symbols gave the row 153 pt where LibreOffice needs 190, and the text's last lines were cut off on paper."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    doc = load(EXAMPLE_JSON[1])
    doc["project"]["overview"] = QUOTED * 12
    path = fill(doc, tmp_path / "quoted.xlsx")
    pdf, sheets = _print([path], tmp_path / "printed")[path]
    info = sheets[F.info.name]
    row = F.field("/project/overview").cell.lstrip("ABCDEFGHIJ")
    assert dict(info["cells"])[F.field("/project/overview").cell] == QUOTED * 12
    assert info["heights"][row] >= info["needed"][row] - 0.1, (info["heights"][row], info["needed"][row])
    assert pdf.find(QUOTED * 12)
    assert not [p for p in read(path).problems if p.code == "cell.row_too_short"]


# No page of empty grid: a template's blank rows ---------------------------------------------------------------
@pytest.mark.soffice
def test_a_templates_indicator_sheet_prints_on_one_page(tmp_path, soffice):
    """A blank template had 50 rows: where the framework adds 指标值设定依据 and 分值 (landscape), 33 fit the first
    page and the other 17 printed on a page of their own, an empty grid under the caption and the header.  A
    template's rows are now the framework's prefilled ones and the blank rows that fit the page below them (at most
    50; more are inserted as the guide says), blank or prefilled; `rows=N` still writes N."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from xlgoals import prefill_templates

    made = {fw: write_template(tmp_path / f"{fw}.xlsx", framework=fw)
            for fw in ("shanghai-2020", "national-2021", "shanghai-2025")}
    # (项目类别 left open: the list's 经常性专项业务费 is no category of national-2021's, and such a row is refused)
    prefilled = prefill_templates(EXAMPLES / "projects.csv", tmp_path / "下发", framework="national-2021",
                                  ignore_columns=["项目类别"])
    made["prefilled"] = prefilled.written[0]
    printed = _print(list(made.values()), tmp_path / "printed", needed=False)
    for name, path in made.items():
        pdf, sheets = printed[path]
        assert len(_pages_of(pdf, "序号")) == 1, (name, _pages_of(pdf, "序号"))
        last = max(int(ref.lstrip("ABCDEFGHIJ")) for ref, _ in sheets[F.table.name]["cells"])
        assert last - F.table.first_row >= 20, (name, last)  # a page of rows to fill in, not a handful
    counts = {name: _table_rows(path) for name, path in made.items()}
    assert counts["prefilled"] == counts["national-2021"] < counts["shanghai-2020"] <= F.table.default_rows, counts
    assert _table_rows(write_template(tmp_path / "n80.xlsx", framework="national-2021", rows=80)) == 80


@pytest.mark.soffice
def test_the_seal_never_prints_on_a_page_of_no_text_of_the_form(tmp_path, soffice):
    """The blank template, returns 01 and 02 and the national-2021 example started a page before 填报人, so 填报人 …
    单位（盖章） printed alone on the goal table's last page, the seal on a page of none of the form's texts.  The
    page now starts before 总目标及阶段性目标, the last row typed into above the block, which prints with it however
    long it grows (to a row's limit)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    files = [write_template(tmp_path / "template.xlsx"),
             write_template(tmp_path / "national.xlsx", framework="national-2021")]
    files += [fill(load(p), tmp_path / f"r{p.name[:2]}.xlsx") for p in EXAMPLE_JSON[:2]]
    files.append(fill(load(EXAMPLES / "national-2021" / "目标表.json"), tmp_path / "national-filled.xlsx"))
    goals = F.field("/project/goals")
    for path, (pdf, _) in _print(files, tmp_path / "printed", needed=False).items():
        seal = _pages_of(pdf, SEAL)
        assert len(seal) == 1 and seal == _pages_of(pdf, "填报人") == _pages_of(pdf, goals.label), (path.name, seal)


@pytest.mark.soffice
def test_the_problem_lists_header_prints_whole(tmp_path, soffice):
    """An annotated copy's 问题清单: 严重程度 wraps to two lines in its column, and the header row was 30 pt where
    LibreOffice needs 32.8: its lines were cut at the row's edges.  The header is as tall as its labels need."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from xlgoals._check._annotate import PROBLEM_SHEET

    received = tmp_path / "收到"
    shutil.copytree(EXAMPLES / "received", received)
    (report,) = [f for f in validate([received]).files if not f.passes()]
    annotated = annotate(report, tmp_path)
    pdf, sheets = _print([annotated], tmp_path / "printed")[annotated]
    info = sheets[PROBLEM_SHEET]
    assert info["heights"]["1"] >= info["needed"]["1"] - 0.1, (info["heights"]["1"], info["needed"]["1"])
    assert all(pdf.find(text) for ref, text in info["cells"] if ref.endswith("1") and len(ref) == 2)


@pytest.mark.soffice
@pytest.mark.parametrize("printed", ["templates", "filled"])
def test_the_total_line_never_prints_alone_or_with_one_row_on_the_tables_last_page(tmp_path, soffice, printed):
    """The self-evaluation template made from goal table 02 printed its 26 first indicator rows on one page and
    row 27 with 总分 on the last: a page of one row and the total.  The writer plans the table's pages (every width
    a character may take, pages a little shorter or longer) and, where 总分 could be left with fewer than two rows,
    starts a page at a 一级 group with a page break (filled example 04 printed I019 and 总分 alone too).
    The filled self-evaluations are checked the same way, and a template made from each example goal table.
    (The templates and the filled ones printed by a test each, every workbook printed and checked once as in the one
    job before, so that xdist's two workers share them.)"""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from xlgoals import self_evaluation_templates

    if printed == "templates":
        made = self_evaluation_templates(list(EXAMPLE_JSON), tmp_path / "templates")
        assert len(made.written) == len(EXAMPLE_JSON)
        assert any("促进就业专项资金" in p.name for p in made.written)
        files = list(made.written)
    else:
        files = [fill(load(js), tmp_path / f"se{js.name[:2]}.xlsx") for js in SE_JSON]
        assert len(files) == len(SE_JSON) > 0
    for path, (pdf, _) in _print(files, tmp_path / "printed", needed=False).items():
        ids = [i["id"] for i in read(path).document["indicators"]]
        (total_page,) = _pages_of(pdf, SE.table.total.label)
        assert total_page == min(_pages_of(pdf, ids[-2])), (path.name, total_page, _pages_of(pdf, ids[-2]))
        # and no page of a stray row: a break low in the table once made self-evaluation 03's two pages three, the
        # third of one row (its pages now start at 一级 groups: tests/test_paper_breaks.py)
        table_pages = sorted(_pages_of(pdf, "序号"))
        assert all(sum(1 for i in ids if page in _pages_of(pdf, i)) >= 2 for page in table_pages), path.name


@pytest.mark.soffice
def test_every_amount_of_the_monitoring_summary_prints_as_money(tmp_path, soffice):
    """风险清单's 预算执行进度滞后 rows give the project's 全年预算数, 执行数 and 全年预计执行数 in columns that hold an
    indicator's values on other rows: they printed as the General format shows them (114278860), every other
    sheet's amounts as money (114,278,860.00).  An amount is money on every sheet: two decimals, separators,
    exact; an indicator's value in the same columns stays as it was typed."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from xlgoals._monitor._summary import RISK_BEHIND

    out = tmp_path / "监控汇总.xlsx"
    consolidate([EXAMPLES / "monitoring"], out, jobs=1, json_path=tmp_path / "s.json")
    ws = openpyxl.load_workbook(out)["风险清单"]
    header = [c.value for c in ws[2]] if ws.cell(2, 1).value else [c.value for c in ws[3]]
    behind = [row for row in ws.iter_rows() if row[2].value == RISK_BEHIND]
    assert behind, header
    amounts = [c for row in behind for c in row[5:8] if isinstance(c.value, (int, float))]
    assert amounts and all(c.number_format == "#,##0.00" for c in amounts), [(c.coordinate, c.number_format)
                                                                              for c in amounts]
    others = [c for row in ws.iter_rows() if row[2].value not in (RISK_BEHIND, None, "风险")
              for c in row[5:8] if isinstance(c.value, (int, float))]
    assert all(c.number_format != "#,##0.00" for c in others)
    pdf, _ = _print([out], tmp_path / "printed", needed=False)[out]
    for c in amounts:
        shown = format(c.value, ",.2f")
        assert pdf.find(shown), shown
        assert str(int(c.value)) not in [w.text for w in pdf.words], c.value
    risks = json.loads((tmp_path / "s.json").read_text("utf-8"))["risks"]
    assert any(str(int(c.value)) in json.dumps(risks) for c in amounts)  # the JSON: numbers, as before


@pytest.mark.soffice
def test_a_summarys_rows_of_greek_cyrillic_and_euro_names_print_whole(tmp_path, soffice):
    """The summary's rows are as tall as text_units counts their names' lines: Greek and Cyrillic letters now count
    wide (宋体 draws them full width in Excel and WPS), € and Thai narrow (they counted wide from their 3 UTF-8
    bytes).  Printed by LibreOffice, each such row is as tall as its text needs, or taller."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    doc = load(EXAMPLE_JSON[0])
    names = ["αβγδεζηθικλμνξοπρστυφχψω" * 2 + "ΑΒΓΔΕΖΗΘ", "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ" * 2,
             "€" * 60 + "ทดสอบภาษาไทย" * 4, "温度±0.5°，" * 8]
    for ind, name in zip(doc["indicators"], names):
        ind["name"] = name
    src = tmp_path / "收到"
    src.mkdir()
    fill(doc, src / "r01.xlsx")
    out = consolidate([src], tmp_path / "汇总.xlsx", jobs=1).output
    pdf, sheets = _print([out], tmp_path / "printed")[out]
    found = 0
    for info in sheets.values():
        for ref, text in info["cells"]:
            if text in names:
                row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                assert info["heights"][row] >= info["needed"][row] - 0.1, (text, info["heights"][row],
                                                                           info["needed"][row])
                found += 1
    assert found >= len(names)
