"""A name given twice in one JSON object (a bureau's file edited by hand, a department's document): refused at the
second place it stands, with the path to it, in Chinese and English; the CLI prints it without a traceback."""

import json
import shutil

import pytest

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, ROOT, cli
from .helpers import bureau_rules, packaged_rule


def _line_of(text: str, needle: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text[:at].count("\n") + 1


def test_a_review_configuration_giving_a_name_twice_deep_down_is_refused_at_it(tmp_path):
    """The same name given once in an earlier object is no fault and must not be where the fault is said."""
    text = ('{"score": {"max_count": 5},\n'
            ' "checks": {"review_rows_per_level2": {"max": 15},\n'
            '            "review_vague_target": {"words": ["提高"]},\n'
            '            "review_rate_qualitative": {"max": 1,\n'
            '                                        "max": 2}}}\n')
    config = tmp_path / "审核.json"
    config.write_text(text, encoding="utf-8")
    result = cli("validate", EXAMPLE_XLSX[0], "--review-config", config)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert f"{config}：" in result.output and "第 5 行第 41 列" in result.output, result.output
    assert '名称 "max" 在同一对象中出现了两次（位置：checks.review_rate_qualitative.max）' in result.output
    result = cli("--lang", "en", "validate", EXAMPLE_XLSX[0], "--review-config", config)
    assert result.exit_code == 2 and "line 5 column 41" in result.output, result.output
    assert 'the name "max" is given twice in one object (at checks.review_rate_qualitative.max)' in result.output


def test_a_framework_file_giving_a_name_twice_is_refused_with_its_path(tmp_path):
    text = (ROOT / "templates" / "national-2021.json").read_text(encoding="utf-8")
    text = text.replace('"id": "national-2021"', '"id": "bureau-x"', 1)
    # a second "name" in the third level-1 object: "name" is given (once) in every object before it
    first = text.index('"name"', text.index('"level1": ['))
    third = text.index('"name"', text.index('"name"', first + 1) + 1)
    text = text[:third] + '"name": "重复", ' + text[third:]
    folder = tmp_path / "fw"
    folder.mkdir()
    (folder / "bureau-x.json").write_text(text, encoding="utf-8")
    result = cli("frameworks", "--frameworks", folder)
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    line = _line_of(text, '"name"', nth=text[:third].count('"name"') + 1)
    assert "bureau-x.json" in result.output and f"第 {line} 行" in result.output, result.output
    assert "（位置：level1[2].name）" in result.output and "出现了两次" in result.output, result.output


def test_a_rule_tables_params_giving_a_name_twice_is_refused(tmp_path):
    row = packaged_rule("rule.current_le_total", params='{"left": "/budget/current_year", "op": "<=", '
                                                         '"op": ">=", "right": "/budget/total"}')
    result = cli("frameworks", "--rules", bureau_rules(tmp_path / "rules.csv", row))
    assert result.exit_code == 2 and "Traceback" not in result.output, result.output
    assert "rules.csv" in result.output and "“op”出现了两次" in result.output, result.output


def test_a_document_giving_a_name_twice_is_one_bad_json_error_at_the_right_line(tmp_path):
    """A department's document: which of two values was meant cannot be told, so it is refused, not read with the
    last (file.bad_json, the run goes on); the line is the object's that gives it twice, not the first other
    object giving that name."""
    text = EXAMPLE_JSON[0].read_text(encoding="utf-8")
    doc = json.loads(text)
    assert len(doc["indicators"]) > 3
    start = text.index('"indicators"')
    for _ in range(3):  # the third indicator's name
        start = text.index('"name"', start + 1)
    text = text[:start] + '"name": "另一个", ' + text[start:]
    path = tmp_path / "申报.json"
    path.write_text(text, encoding="utf-8")
    shutil.copy(EXAMPLE_JSON[0], tmp_path / "好.json")
    result = cli("validate", path, "--format", "json")
    (p,) = json.loads(result.output)["files"][0]["problems"]
    en = json.loads(cli("--lang", "en", "validate", path, "--format", "json").output)["files"][0]["problems"][0]
    line = _line_of(text, '"name"', nth=text[:start].count('"name"') + 1)
    assert result.exit_code == 1 and (p["code"], p["severity"]) == ("file.bad_json", "error")
    assert p["path"] == "/indicators/2/name", p  # at its JSON pointer, where a cell would be
    assert f"第 {line} 行" in p["message"] and "（位置：indicators[2].name）" in p["message"], p["message"]
    assert f"line {line} " in en["message"] and "(at indicators[2].name)" in en["message"], en["message"]
    result = cli("validate", tmp_path)
    assert result.exit_code == 1 and "通过 1 个，未通过 1 个" in result.output, result.output


@pytest.mark.parametrize("text, line, col, shown", [
    ('{"a": 1, "a": 2}', 1, 10, ""),
    ('{"a": {"b": [], "c": {}, "d": "}\\"{,", "b": 1}}', 1, 40, "a.b"),
    ('[{"k": 1}, {"k": 2},\n {"x": [1, {"k": 1, "y": "k", "k": 3}]}]', 2, 31, "[2].x[1].k"),
    # the inner object closes first: its name given twice is the one the parser meets first
    ('{"a": 1, "a": {"b": 1, "b": 2}}', 1, 24, "a.b"),
    ('{"有 空格": {"a.b": 1, "a.b": 2}}', 1, 21, '["有 空格"]["a.b"]'),
])
def test_the_name_given_twice_is_said_where_it_stands(text, line, col, shown):
    from xlgoals._resources import parse_json_said

    assert json.loads(text)  # the json module takes it, silently keeping the last
    data, bad, why = parse_json_said(text)
    assert data is None and f"第 {line} 行第 {col} 列" in why and f"line {line} column {col}" in why.en, why
    assert (f"（位置：{shown}）" in why) == bool(shown) and (f"(at {shown})" in why.en) == bool(shown), why


# 2. validate --targets: a locked cell showing an error value is said as that value, not as （空） ----------------


@pytest.mark.parametrize("form_id, code", [("self-evaluation", "self.target_changed"),
                                           ("monitoring", "monitor.target_changed")])
@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!"])
def test_a_locked_target_showing_an_error_value_is_said_as_it(tmp_path, form_id, code, error):
    """The approved 年度指标值 showing #N/A (a VLOOKUP pasted over it): was “填写为“（空）”，应为“＝100%””, as if the
    department had cleared the cell; it sees #N/A there, and the message says so."""
    from .conftest import EXAMPLES
    from .helpers import edited_return, row_cell

    bad = edited_return(tmp_path, form_id, {(1, "target"): error})
    for lang, found in (("zh", f"填写为“{error}”"), ("en", f": '{error}', expected")):
        result = cli("--lang", lang, "validate", bad, "--targets", EXAMPLES / "json", "--format", "json")
        (p,) = json.loads(result.output)["files"][0]["problems"]
        assert (p["code"], p["sheet"], p["cell"]) == (code, *row_cell(form_id, 1, "target")), p
        assert p["value"] == error and found in p["message"] and "空" not in p["message"], p["message"]
        assert "empty" not in p["message"], p["message"]


@pytest.mark.soffice
@pytest.mark.parametrize("fmt", ["ods", "xls:MS Excel 97"])
def test_a_locked_target_showing_an_error_value_saved_by_libreoffice_is_said_as_it(tmp_path, lo_convert, fmt):
    """Saved by LibreOffice as .ods (the text in the cell's <text:p>) or .xls (the error's code in its BIFF record):
    #N/A, as in an .xlsx."""
    from .conftest import EXAMPLES
    from .helpers import edited_return, row_cell

    (out,) = lo_convert(edited_return(tmp_path, "self-evaluation", {(1, "target"): "#N/A"}), fmt=fmt)
    result = cli("validate", out, "--targets", EXAMPLES / "json", "--format", "json")
    (p,) = json.loads(result.output)["files"][0]["problems"]
    assert (p["code"], p["sheet"], p["cell"]) == ("self.target_changed", *row_cell("self-evaluation", 1, "target"))
    assert p["value"] == "#N/A" and "填写为“#N/A”" in p["message"], p["message"]


def test_a_locked_header_field_showing_an_error_value_is_said_as_it(tmp_path):
    import openpyxl

    from xlgoals._form import a1

    from .conftest import EXAMPLES
    from .helpers import EXAMPLE_FORMS, example_return

    form = EXAMPLE_FORMS["self-evaluation"]
    f = next(f for f in form.fields if f.path == "/project/name")
    assert f.locked
    wb = openpyxl.load_workbook(example_return("self-evaluation"))
    cell = wb[form.info.name][a1(f.row, f.col)]
    cell.value, cell.data_type = "#N/A", "e"
    wb.save(tmp_path / "r.xlsx")
    result = cli("validate", tmp_path / "r.xlsx", "--targets", EXAMPLES / "json")
    assert result.exit_code == 1 and f"{form.info.name}!{a1(f.row, f.col)}：“项目名称”与批复的绩效目标表不一致：" \
        "填写为“#N/A”" in result.output, result.output
    assert "（空）" not in result.output, result.output


@pytest.mark.parametrize("cell, shown", [
    (b'<c r="B2" t="e"><v>#N/A</v></c>', "#N/A"),
    (b'<c r="B2" s="3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', "#DIV/0!"),
    (b'<c r="B2" t="e" s="3"><f>FOO()</f><v>#NAME?</v></c>', "#NAME?"),
    (b'<c r="B2" t="e"><v>&lt;b&gt;</v></c>', None),  # not an error value's text: not shown
    (b'<c r="B2" t="e"><v>#N/A and more text than any error</v></c>', None),
])
def test_the_screen_keeps_the_error_value_a_cell_shows(cell, shown):
    """Both of the screen's paths (the canonical part's patterns, the parser's) know the same error texts."""
    from xlgoals._read._screen import _screen_canonical, _screen_parsed

    xml = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.'
           b'org/spreadsheetml/2006/main"><sheetData><row r="2">' + cell + b'</row></sheetData></worksheet>')
    fast, parsed = _screen_canonical(xml, "s", frozenset(), ()), _screen_parsed(xml, "s")
    assert fast is not None and fast.errors == parsed.errors == {(1, 1)}
    assert fast.error_texts == parsed.error_texts == ({(1, 1): shown} if shown else {})
    prefixed = xml.replace(b"<c ", b"<x:c ").replace(b"</c>", b"</x:c>").replace(b"<v>", b"<x:v>") \
        .replace(b"</v>", b"</x:v>").replace(b'main">', b'main" xmlns:x="http://schemas.openxmlformats.org/'
                                                      b'spreadsheetml/2006/main">')
    assert _screen_canonical(prefixed, "s", frozenset(), ()) is None  # the parser's alone
    assert _screen_parsed(prefixed, "s").error_texts == ({(1, 1): shown} if shown else {})


# 3. the caption under the table's title (A2), typed over: a warning at it, not ignored --------------------------


def _caption_typed(tmp_path, form_id: str, text):
    import openpyxl

    from .helpers import EXAMPLE_FORMS, example_return

    form = EXAMPLE_FORMS[form_id]
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.table.name]
    assert str(ws["A2"].value).startswith("=")  # the template's formula over the information sheet
    ws["A2"].value = text
    wb.save(tmp_path / "r.xlsx")
    return form, tmp_path / "r.xlsx"


@pytest.mark.parametrize("form_id", ["goal-table", "self-evaluation", "monitoring"])
def test_a_caption_typed_over_is_a_warning_at_it(tmp_path, form_id):
    """申报单位：… 项目名称：… typed over with another unit (the sheet unprotected): the printed, stamped table names a
    unit the return does not give, and the reader passed it over in silence."""
    from xlgoals import read, validate_file

    from .helpers import example_return

    typed = "申报单位：另一个单位　　项目名称：另一个项目"
    form, path = _caption_typed(tmp_path, form_id, typed)
    before = validate_file(example_return(form_id)).problems
    after = validate_file(path).problems
    new = [p for p in after if p.code == "cell.caption_overwritten"]
    assert [(p.sheet, p.cell, p.severity) for p in new] == [(form.table.name, "A2", "warning")], after
    assert [p.code for p in after if p not in new] == [p.code for p in before]
    (p,) = new
    doc = read(path).document
    want = f"{form.table.caption[0][0]}{doc['unit']}　　项目名称：{doc['project']['name']}"
    assert (p.value, p.expected) == (typed, want), (p.value, p.expected)
    assert f"被改写为“{typed}”" in p.message and f"应为“{want}”" in p.message and form.info.name in p.message
    assert "请恢复原模板的公式" in p.message, p.message
    assert f"overwritten with '{typed}'" in p.message_en and "unit and project name" in p.message_en, p.message_en
    assert read(example_return(form_id)).document == doc  # read from the information sheet, as before


def test_a_caption_typed_over_is_said_on_the_command_line(tmp_path):
    _, path = _caption_typed(tmp_path, "goal-table", "关于某项目的绩效目标")
    result = cli("validate", path)
    assert result.exit_code == 0 and "cell.caption_overwritten" in result.output, result.output
    assert "绩效指标!A2：" in result.output and "“关于某项目的绩效目标”" in result.output, result.output
    result = cli("--lang", "en", "validate", path, "--format", "json")
    (p,) = [p for p in json.loads(result.output)["files"][0]["problems"] if p["code"] == "cell.caption_overwritten"]
    assert (p["severity"], p["cell"], p["value"]) == ("warning", "A2", "关于某项目的绩效目标"), p
    assert p["message"].startswith("The line under the table's title"), p


def test_a_caption_cleared_is_said_as_empty(tmp_path):
    from xlgoals import validate_file

    _, path = _caption_typed(tmp_path, "goal-table", None)
    (p,) = [p for p in validate_file(path).problems if p.code == "cell.caption_overwritten"]
    assert p.value == "（空）" and "被改写为“（空）”" in p.message and "'(empty)'" in p.message_en, p.message


def test_a_caption_pasted_as_its_own_values_is_no_warning(tmp_path):
    """Paste as values over the whole sheet: the caption prints as the formula would (spaces aside): nothing said."""
    from xlgoals import read, validate_file

    from .helpers import example_return

    doc = read(example_return("goal-table")).document
    _, path = _caption_typed(tmp_path, "goal-table", f"申报单位： {doc['unit']}  项目名称：{doc['project']['name']}")
    assert "cell.caption_overwritten" not in {p.code for p in validate_file(path).problems}


def test_an_ods_error_cell_gives_its_own_text_not_its_comments():
    """LibreOffice writes a cell's comment inside the cell, before its text: #N/A is the cell's, the comment is not;
    a formula showing the text "#N/A" is no error value."""
    from xlgoals._read._screen import screen_ods

    ns = b" ".join(b'xmlns:%s="%s"' % pair for pair in (
        (b"office", b"urn:oasis:names:tc:opendocument:xmlns:office:1.0"),
        (b"table", b"urn:oasis:names:tc:opendocument:xmlns:table:1.0"),
        (b"text", b"urn:oasis:names:tc:opendocument:xmlns:text:1.0"),
        (b"calcext", b"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0")))
    error = b'table:formula="of:=NA()" office:value-type="string" calcext:value-type="error"'
    cells = (b'<table:table-cell table:formula="of:=&quot;#N/A&quot;" office:value-type="string"><text:p>#N/A</text:p>'
             b'</table:table-cell>'
             b'<table:table-cell ' + error + b'><office:annotation><text:p>note</text:p></office:annotation>'
             b'<text:p>#N/A</text:p></table:table-cell>'
             b'<table:table-cell ' + error + b'><text:p>Err:502</text:p></table:table-cell>'
             b'<table:table-cell ' + error + b'><text:p>#N/A, see B2</text:p></table:table-cell>')
    content = (b'<?xml version="1.0"?><office:document-content ' + ns + b'><office:body><office:spreadsheet>'
               b'<table:table table:name="s"><table:table-row>' + cells + b'</table:table-row></table:table>'
               b'</office:spreadsheet></office:body></office:document-content>')
    facts = screen_ods(content)["s"]
    assert facts.errors == {(0, 1), (0, 2), (0, 3)}
    assert facts.error_texts == {(0, 1): "#N/A", (0, 2): "Err:502"}
