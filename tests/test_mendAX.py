"""mendAX: items left alone by the last session's closing note."""

from __future__ import annotations

from xlgoals import validate
from xlgoals._check import _annotate
from xlgoals._check._annotate import annotate_all
from xlgoals._read._safety import FileProblem

from .conftest import ROOT

RECEIVED = ROOT / "examples" / "received" / "某局_某项目.xlsx"  # fails cell.amount_wan (B10) and rule.level2_mismatch (C16)


def test_a_copy_the_full_screen_refuses_says_the_limit_and_the_links_advice_as_the_catalog_words_them(tmp_path,
                                                                                                      monkeypatch):
    """The copy is made after a second, full screen: what it refuses is said in the catalog's words, the limit
    (``expected``) among them, and file.external_link's detail after its count as the report says it."""
    report = validate([RECEIVED], jobs=1).files[0]
    said = []
    for fp in (FileProblem("file.too_large", found=("各工作表合计 9000000 个单元格", "9000000 cells in all sheets"),
                           expected="5000000"),
               FileProblem("file.external_link", found=("2 个", "2"), detail=("，请删除外部链接后重新报送",
                                                                            "; remove them and submit again"))):
        def refuse(path, fp=fp):
            raise fp
        monkeypatch.setattr(_annotate, "open_verified", refuse)
        ((_, target, why),) = annotate_all([report], tmp_path)
        assert target is None
        said.append((str(why), why.en))
    (big, big_en), (links, links_en) = said
    assert "上限 5000000" in big and "limit 5000000" in big_en, said
    assert "工作簿含有外部链接（2 个），请删除外部链接后重新报送" in links, links
    assert "The workbook has external links (2); remove them and submit again" in links_en, links_en
    assert list(tmp_path.iterdir()) == []


def test_an_ods_cell_of_no_style_in_a_column_shown_in_wan_yuan_is_scaled_as_its_column_says():
    """screen_ods: a number in a cell naming no style of its own, in columns whose default style shows 万元, is an
    amount shown scaled (the column's scale, worked out once for the columns); one naming a plain style, or in a
    plain column, is not."""
    from xlgoals._read._screen import money_scale_of_texts, screen_ods

    ns = (' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
          ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
          ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
          ' xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"'
          ' xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content{ns}><office:automatic-styles>'
               '<number:number-style style:name="N1"><number:number number:decimal-places="2"/>'
               '<number:text>万元</number:text></number:number-style>'
               '<number:number-style style:name="N2"><number:number/></number:number-style>'
               '<style:style style:name="wan" style:family="table-cell" style:data-style-name="N1"/>'
               '<style:style style:name="plain" style:family="table-cell" style:data-style-name="N2"/>'
               '</office:automatic-styles><office:body><office:spreadsheet><table:table table:name="s">'
               '<table:table-column table:default-cell-style-name="plain"/>'
               '<table:table-column table:number-columns-repeated="2" table:default-cell-style-name="wan"/>'
               '<table:table-row><table:table-cell office:value-type="float" office:value="3"/>'
               '<table:table-cell office:value-type="float" office:value="6280"/>'
               '<table:table-cell office:value-type="float" office:value="7"/></table:table-row>'
               '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
               '<table:table-cell table:style-name="plain" office:value-type="float" office:value="5"/>'
               '<table:table-cell office:value-type="float" office:value="9"/></table:table-row>'
               '</table:table></office:spreadsheet></office:body></office:document-content>').encode()
    scale = money_scale_of_texts(("", "万元"))
    assert scale is not None
    assert screen_ods(content)["s"].shown_otherwise == {(0, 1): ("scaled", scale), (0, 2): ("scaled", scale),
                                                         (1, 2): ("scaled", scale), (2, 2): ("scaled", scale)}


def _target_merged_over_two_rows(tmp_path, fmt: str, name: str):
    """The example goal table with indicator 10's 年度指标值 95000 (unit 人) in format `fmt`, its cell merged down
    over indicator 11's (emptied), as a department merges cells in Excel."""
    import openpyxl

    from .helpers import EXAMPLE_FORMS, edited_return, row_cell

    path = edited_return(tmp_path, "goal-table", {(9, "target"): (95000, fmt), (9, "unit"): "人"}, name=name)
    wb = openpyxl.load_workbook(path)
    ws = wb[EXAMPLE_FORMS["goal-table"].table.name]
    top, below = row_cell("goal-table", 9, "target")[1], row_cell("goal-table", 10, "target")[1]
    ws[below].value = None
    ws.merge_cells(f"{top}:{below}")
    wb.save(path)
    return path, top


def test_a_target_merged_over_two_rows_gets_its_format_checks_at_the_merged_cell(tmp_path):
    """Item 7 of the closing note, checked and found not real: a 年度指标值 merged over two rows with a thousands-
    scaling format (#,##0.00,) is cell.number_scaled, and with ;;; cell.format_blank, at the range's top-left cell
    (where the value is) through validate, as an unmerged one is.  This test pins it."""
    import json

    from .conftest import cli

    for fmt, code in (("#,##0.00,", "cell.number_scaled"), (";;;", "cell.format_blank")):
        path, top = _target_merged_over_two_rows(tmp_path, fmt, f"{code}.xlsx")
        r = cli("validate", path, "--format", "json", "--lang", "en")
        problems = json.loads(r.output)["files"][0]["problems"]
        assert (code, "绩效指标", top) in {(p["code"], p["sheet"], p["cell"]) for p in problems}, problems
        assert ("cell.merged", "绩效指标", top) in {(p["code"], p["sheet"], p["cell"]) for p in problems}, problems


def test_a_picture_in_an_optional_text_field_is_a_warning_and_stays_an_error_where_the_data_needs_it(tmp_path):
    """Item 8: a scanned signature placed into 单位负责人 (B23), a field the form declares optional, is
    cell.picture_optional, a warning: the paper shows it, the data has the field empty, which the return may.  In a
    required field (项目名称, B4) it stays cell.picture, an error; in an optional amount (同名项目上年预算额, B12) too: a
    figure the paper shows would be missing from the data and the totals."""
    import json

    from .conftest import cli
    from .helpers import example_return
    from .test_mendAQ import _excel_picture, _wps_picture

    for make in (_wps_picture, _excel_picture):
        path = make(example_return("goal-table"), tmp_path / f"{make.__name__}.xlsx", ["B23", "B4", "B12"])
        r = cli("validate", path, "--format", "json", "--lang", "en")
        (f,) = json.loads(r.output)["files"]
        at = sorted((p["cell"], p["code"], p["severity"]) for p in f["problems"] if p["cell"] in ("B4", "B12", "B23"))
        assert at == [("B12", "cell.picture", "error"), ("B23", "cell.picture_optional", "warning"),
                      ("B4", "cell.picture", "error")], at
        (head,) = [p for p in f["problems"] if p["cell"] == "B23"]
        assert head["message"].startswith("'Head of the unit' holds a picture"), head["message"]
        assert "picture" in head["message"] and "empty" in head["message"], head["message"]
        # the signature alone: the return passes, with the warning
        only = make(example_return("goal-table"), tmp_path / f"only-{make.__name__}.xlsx", ["B23"])
        r = cli("validate", only, "--format", "json")
        (f,) = json.loads(r.output)["files"]
        assert r.exit_code == 0 and f["valid"] is True, r.output
        (p,) = f["problems"]
        assert (p["code"], p["sheet"], p["cell"]) == ("cell.picture_optional", "项目信息", "B23")
        assert "图片" in p["message"] and "单位负责人" in p["message"], p["message"]


def test_a_picture_in_a_field_a_bureaus_rules_require_leaves_it_said_blank(tmp_path):
    """单位负责人 is optional on the form; a bureau whose rules require it (rule.required_field's paths) gets the
    picture's warning and the field said blank, an error: the return fails as a blank one would."""
    import json

    from xlgoals import FORMS

    from .conftest import cli
    from .helpers import bureau_rules, example_return, packaged_rule
    from .test_mendAQ import _wps_picture

    paths = [*FORMS["goal-table"].required_paths, "/contact/head"]
    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("rule.required_field",
                                                                  params=json.dumps({"paths": paths})))
    path = _wps_picture(example_return("goal-table"), tmp_path / "r.xlsx", ["B23"])
    r = cli("validate", path, "--rules", rules, "--format", "json")
    (f,) = json.loads(r.output)["files"]
    assert r.exit_code == 1 and f["valid"] is False, r.output
    assert sorted((p["code"], p["severity"], p["cell"]) for p in f["problems"]) == [
        ("cell.picture_optional", "warning", "B23"), ("rule.required_field", "error", "B23")], f["problems"]
