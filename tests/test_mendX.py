"""mendX (session 22): a negative amount in `read`'s JSON as exact as a positive one; grades named in English in the
English messages; the self-evaluation's indicator table printing a full first page."""

import json

from xlgoals import fill

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import edited, info_cell


def test_a_negative_amount_is_written_in_the_json_as_a_positive_one_is(tmp_path):
    """-50000000 typed into 项目总预算 (cell.amount_negative) was kept in `read`'s JSON as -50000000.0, where every
    amount read is written as its digits (146407273, 1234.5): the same representation, the sign apart."""
    src = fill(load(EXAMPLE_JSON[1]), tmp_path / "r.xlsx")
    for typed, expect in ((-50000000, "-50000000"), (-1234.5, "-1234.5"), (-0.01, "-0.01")):
        path = edited(src, tmp_path / "neg.xlsx", {info_cell("/budget/total"): typed})
        out = tmp_path / "neg.json"
        result = cli("read", path, "-o", out, "--force")
        assert result.exit_code == 1 and "为负数" in result.output, result.output
        text = out.read_text(encoding="utf-8")
        assert f'"total": {expect},' in text, text[:600]
        assert json.loads(text)["budget"]["total"] == typed
    positive = json.loads(cli("read", src).stdout)["budget"]["current_year"]
    assert isinstance(positive, int), positive  # as the positive amounts are written: digits, no .0


# grades in the English messages ------------------------------------------------------------------------------------

from .test_self_evaluation import SE, SE_JSON, TABLE, _cents_off, _near_ninety, se_cell  # noqa: E402

from xlgoals import validate_file  # noqa: E402
from xlgoals._selfeval._scoring import evaluate  # noqa: E402


def _no_chinese(text: str) -> bool:
    return not any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_the_total_grades_are_named_in_english_in_the_english_message(tmp_path):
    """self.total_mismatch said “graded 良 as printed, 优 recomputed” in English: the grades are the scoring table's
    (优 良 中 差), and its rows now give each its English name (grade_en: excellent, good, fair, poor)."""
    doc = _near_ninety(load(SE_JSON[1]), "0.082")
    _cents_off(doc)
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path).problems if p.code == "self.total_mismatch"]
    assert "按填写的得分评为“良”，重算为“优”" in p.message, p.message
    assert "graded good as printed, excellent recomputed" in p.message_en, p.message_en
    assert _no_chinese(p.message_en), p.message_en
    assert [(r.grade, r.grade_en) for r in TABLE.rules if "total" in r.applies_to] == [
        ("优", "excellent"), ("良", "good"), ("中", "fair"), ("差", "poor")]


def test_a_qualitative_grade_is_named_in_english_in_the_english_messages(tmp_path):
    """self.grade_band said “with grade '部分达成年度指标并具有一定效果'” in English, and self.grade_missing and
    cell.grade listed the choices in Chinese only.  The grade is named in English; where a department is told to
    choose, the choice is the dropdown's Chinese text (what it selects), with its English name."""
    doc = load(SE_JSON[1])
    i, j, k = [i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative"][:3]
    doc["indicators"][i].update(grade="partly", score=doc["indicators"][i]["points"], deviation="部分完成")
    doc["indicators"][j].update(grade=None)
    path = edited(fill(doc, tmp_path / "a.xlsx"), tmp_path / "b.xlsx",
                  {(SE.table.name, se_cell(k, "grade")): "很好"})
    problems = validate_file(path).problems
    (band,) = [p for p in problems if p.code == "self.grade_band"]
    assert "完成等级为“部分达成年度指标并具有一定效果”时" in band.message, band.message
    assert "with grade 'partly achieved, with some effect'" in band.message_en, band.message_en
    assert _no_chinese(band.message_en), band.message_en
    choices = ("达成年度指标 (achieved), 部分达成年度指标并具有一定效果 (partly achieved, with some effect), "
               "未达成年度指标且效果较差 (not achieved, with poor effect)")
    (missing,) = [p for p in problems if p.code == "self.grade_missing"]
    assert choices in missing.message_en, missing.message_en
    assert "达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差" in missing.message, missing.message
    (typed,) = [p for p in problems if p.code == "cell.grade"]
    assert choices in typed.message_en and "达成年度指标、部分达成" in typed.message, (typed.message, typed.message_en)


def test_a_score_above_its_points_names_the_qualitative_grade_in_english(tmp_path):
    """self.score_above_points on a qualitative row added “with grade '达成年度指标' it must be within ...”."""
    doc = load(SE_JSON[1])
    i = next(i for i, ind in enumerate(doc["indicators"]) if ind["comparator"] == "qualitative")
    doc["indicators"][i].update(grade="achieved", score=doc["indicators"][i]["points"] + 1)
    found = [p for p in validate_file(fill(doc, tmp_path / "a.xlsx")).problems
             if p.cell == se_cell(i, "score") and p.sheet == SE.table.name]
    assert found and all("with grade 'achieved'" in p.message_en and _no_chinese(p.message_en.split("'")[1])
                         for p in found if "grade" in p.message_en), [(p.code, p.message_en) for p in found]
    assert any("with grade 'achieved'" in p.message_en for p in found), [(p.code, p.message_en) for p in found]


def test_a_scoring_table_without_grade_en_still_loads_and_names_its_grades_as_they_are(tmp_path):
    """grade_en is an optional last column: a bureau's table written before it loads, its grades named as written;
    one given on a row that is no total row is refused, naming the line."""
    import pytest

    from xlgoals import ConfigError
    from xlgoals._selfeval._scoring import ScoringTable

    old = tmp_path / "old.csv"
    old.write_text("case,applies_to,when,score,band,formula_zh,formula_en\n"
                   "ge_all,>=,,points * actual / target,,e,e\n"
                   "total_a,total,total >= 90,优,,g,g\n"
                   "total_b,total,,差,,g,g\n", encoding="utf-8")
    table = ScoringTable.load(old)
    assert (table.grade_en("优"), table.grade_en("差")) == ("优", "差")
    new = tmp_path / "new.csv"
    new.write_text("case,applies_to,when,score,band,formula_zh,formula_en,grade_en\n"
                   "ge_all,>=,,points * actual / target,,e,e,\n"
                   "total_a,total,total >= 90,优,,g,g,top\n"
                   "total_b,total,,差,,g,g,\n", encoding="utf-8")
    table = ScoringTable.load(new)
    assert (table.grade_en("优"), table.grade_en("差")) == ("top", "差")
    bad = tmp_path / "bad.csv"
    bad.write_text("case,applies_to,when,score,band,formula_zh,formula_en,grade_en\n"
                   "ge_all,>=,,points * actual / target,,e,e,excellent\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="grade_en"):
        ScoringTable.load(bad)


# the self-evaluation's 指标自评 pages --------------------------------------------------------------------------------

from .test_paper_breaks import _layouts, _returns_and_templates, _table  # noqa: E402
from xlgoals._write import _workbook as W  # noqa: E402


def _first_page_fill(ws, total_row):
    """The share of the first page its rows fill, in each layout the writer plans for (None where one page)."""
    heights = {r - 1: d.height for r, d in ws.row_dimensions.items() if d.height is not None and r - 1 <= total_row}
    heights.setdefault(0, 15)
    widths = [c.width for c in SE.table.columns]
    width, height, _ = W._printable(SE.table.print, True, heights)
    capacities = [height / min(1.0, width / W._columns_width(widths, px)) * st
                  for px in W._CHARACTER_PIXELS for st in W._STRETCH]
    for capacity, pages in zip(capacities, _layouts(ws, total_row)):
        if pages[total_row] == 0:
            yield None
        else:
            yield sum(heights.get(r, 15) for r in range(total_row + 1) if pages[r] == 0) / capacity


def _total_alone_somewhere(ws, levels, total_row, breaks) -> bool:
    """Whether, with `breaks`, 总分 prints with fewer than two item rows in some layout."""
    return any(sum(pages[r] == pages[total_row] for r in levels) < 2 for pages in _layouts(ws, total_row, breaks))


def test_the_first_page_of_the_indicator_table_is_filled(tmp_path):
    """Self-evaluation 01's 指标自评 printed its 9 投入与管理 rows on the first page and broke before 产出目标, which
    did not fit below them: the page about half blank (the break kept a group's heading off a page's foot).  Every
    filled example and every template made from an example goal table now fills its first page three quarters or
    more, in every layout the writer plans for, but where the break ending it is what keeps 总分 off a page of its
    own (the rows below it would otherwise leave 总分 with one row or none in some layout); example 01 prints
    产出目标's first rows on its first page."""
    for path in _returns_and_templates(tmp_path):
        ws, levels, total_row = _table(path)
        fills = list(_first_page_fill(ws, total_row))
        breaks = [b.id for b in ws.row_breaks.brk]
        if all(f is None or f >= 0.75 for f in fills):
            continue
        assert breaks and _total_alone_somewhere(ws, levels, total_row, breaks[1:]), \
            (path.name, [f and round(f, 2) for f in fills], breaks)
    ws, levels, total_row = _table(tmp_path / "se01.xlsx")
    for pages in _layouts(ws, total_row):
        assert [levels[r] for r in levels if pages[r] == 0].count("产出目标") >= 4, pages


import pytest  # noqa: E402

from .test_paper_breaks import _print, _printed_pages  # noqa: E402


@pytest.mark.soffice
def test_printed_the_first_table_page_holds_rows_of_the_second_group(tmp_path, soffice):
    """Printed through LibreOffice: example 01's and 05's 指标自评 first pages held their 9 投入与管理 rows only (the
    page about half blank, LibreOffice's and Excel's alike); now they go on with 产出目标's rows.  Every row prints
    once, whole and in order, the caption and the header on every page, 总分 with two rows or more."""
    import shutil

    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    from xlgoals import read

    files = [fill(load(SE_JSON[k]), tmp_path / f"se0{k + 1}.xlsx") for k in (0, 4)]
    for path, pdf in _print(files, tmp_path / "printed").items():
        doc = read(path).document
        ids = [i["id"] for i in doc["indicators"]]
        level = {i["id"]: i["level1"] for i in doc["indicators"]}
        pages = _printed_pages(pdf, ids)
        assert [i for p in pages for i in p] == ids, (path.name, pages)
        first = [level[i] for i in pages[0]]
        assert first.count("投入与管理") == 9 and first.count("产出目标") >= 4, (path.name, pages)
        table_pages = sorted({w.page for w in pdf.words if w.text in ids})
        for label in ("序号", "偏差原因分析及改进措施"):  # the header repeated on every page of the table
            assert set(table_pages) <= {w.page for w in pdf.words if w.text == label}, (path.name, label)
        (total_page,) = {w.page for w in pdf.words if w.text == SE.table.total.label}
        assert total_page == table_pages[-1] and len(pages[-1]) >= 2, (path.name, pages)
