"""Red team 33 (the reader's fast path and hand-built sheet XML): what Excel and LibreOffice read of a cell written
with a comment, a processing instruction or a prefix before its value, of a cell or row written twice, of a
namespace no client reads, and of a native boolean (t="b") in an indicator cell — read as they read it, or refused
located, never read silently otherwise."""

import re
import zipfile

import pytest

from xlgoals import read, validate_file

from .helpers import example_return
from .test_mendFE import _rewrite

GOAL = example_return("goal-table")  # 绩效指标 is xl/worksheets/sheet3.xml
SELF = example_return("self-evaluation")  # 指标自评 is xl/worksheets/sheet3.xml
SHEET = "xl/worksheets/sheet3.xml"
MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# 指标 2 (预算执行率): its 三级指标 a shared string, its target the number 100
D5 = b'<c r="D5" s="6" t="s"><v>67</v></c>'
F5 = b'<c r="F5" s="6"><v>100</v></c>'


def _edited(tmp_path, name, *swaps, ns: bytes | None = None, src=GOAL):
    """The example return with `swaps` ((old, new) bytes) made in its indicator sheet's part; `ns`: a prefix x
    declared on the root element for that namespace URI."""
    def fn(data: bytes) -> bytes:
        for old, new in swaps:
            assert data.count(old) == 1, old
            data = data.replace(old, new)
        if ns is not None:
            data = data.replace(b"<worksheet ", b'<worksheet xmlns:x="%s" ' % ns, 1)
        return data
    return _rewrite(tmp_path / f"{name}.xlsx", SHEET, fn, src=GOAL if src is None else src)


def _indicator(result, i=1) -> dict:
    return result.document["indicators"][i]


def _refusal(result):
    assert result.document is None, "read silently"
    (p,) = [p for p in result.problems if p.code == "file.corrupt"]
    assert p.severity == "error" and p.sheet == "绩效指标"
    return str(p.message)


# 1. a comment or processing instruction between <c> and <v> -------------------------------------------------------

@pytest.mark.parametrize("between", [b"<!--x-->", b"<?pi x?>", b"<!--x--> <?pi?>\n"])
def test_a_comment_or_instruction_before_a_value_reads_the_value(tmp_path, between):
    """<c r="F5"><!--x--><v>100</v></c>: Excel and LibreOffice read 100 (LibreOffice, seen: 100); so does the reader,
    a number and a shared string alike."""
    path = _edited(tmp_path, "c", (F5, F5.replace(b"><v>", b">" + between + b"<v>")),
                   (D5, D5.replace(b"><v>", b">" + between + b"<v>")))
    got = read(path)
    assert got.document is not None and not [p for p in got.problems if p.code.startswith("file.")]
    assert _indicator(got)["value"] == 100 and _indicator(got)["name"] == "预算执行率"


@pytest.mark.parametrize("between", [b"<!--x-->", b"<?pi x?>", b"<![CDATA[ ]]>", b"\n<!-- a - b? -->\n"])
def test_a_shared_string_index_written_otherwise_after_a_comment_is_refused_at_its_cell(tmp_path, between):
    """<c t="s"><!--x--><v>+67</v>: LibreOffice reads string 67 (预算执行率), calamine string 0 (填表说明（2020年度）):
    refused as the same index without the comment is (its cell named, in Chinese), not read as another text."""
    path = _edited(tmp_path, "s", (D5, b'<c r="D5" s="6" t="s">' + between + b"<v>+67</v></c>"))
    said = _refusal(read(path))
    assert "D5" in said and "共享文本编号" in said


def test_a_character_reference_in_a_value_after_a_comment_is_refused_at_its_cell(tmp_path):
    """<c><!--x--><v>1&#48;0</v>: calamine reads 1 of it (Excel and LibreOffice 100): refused as without the comment."""
    path = _edited(tmp_path, "ref", (F5, b'<c r="F5" s="6"><!--x--><v>1&#48;0</v></c>'))
    assert "F5" in _refusal(read(path))


def test_a_shared_string_index_after_a_formula_and_a_comment_is_refused_at_its_cell(tmp_path):
    path = _edited(tmp_path, "s", (D5, b'<c r="D5" s="6" t="s"><f>A1</f><!--x--><v> 67</v></c>'))
    assert "D5" in _refusal(read(path))


# 2. a prefixed value element -------------------------------------------------------------------------------------

def test_a_value_under_the_main_namespaces_prefix_reads_as_the_value(tmp_path):
    """<x:v> where x is the main namespace: the value itself (LibreOffice, seen: 100)."""
    path = _edited(tmp_path, "xv", (F5, b'<c r="F5" s="6"><x:v>100</x:v></c>'),
                   (D5, b'<c r="D5" s="6" t="s"><x:v>67</x:v></c>'), ns=MAIN)
    got = read(path)
    assert _indicator(got)["value"] == 100 and _indicator(got)["name"] == "预算执行率"


def test_a_prefixed_shared_string_index_written_otherwise_is_refused_at_its_cell(tmp_path):
    """<x:v>+67</x:v> in a part otherwise written canonically: the fast path's search for t="s"><v> passed it over and
    calamine read string 0 (填表说明（2020年度）) for 预算执行率: the part goes to the parser, which refuses it."""
    path = _edited(tmp_path, "xv", (D5, b'<c r="D5" s="6" t="s"><x:v>+67</x:v></c>'), ns=MAIN)
    said = _refusal(read(path))
    assert "D5" in said and "共享文本编号" in said


@pytest.mark.parametrize("how", ["prefix", "default"])
def test_a_value_in_another_namespace_is_refused_at_its_cell(tmp_path, how):
    """<x:v> (or <v xmlns="…">) in a namespace that is not SpreadsheetML's: LibreOffice shows the cell empty (seen),
    calamine read 100: refused, the cell named."""
    if how == "prefix":
        path = _edited(tmp_path, how, (F5, b'<c r="F5" s="6"><x:v>100</x:v></c>'), ns=b"urn:example:other")
    else:
        path = _edited(tmp_path, how, (F5, b'<c r="F5" s="6"><v xmlns="urn:example:other">100</v></c>'))
    said = _refusal(read(path))
    assert "F5" in said and "命名空间" in said


def test_an_undeclared_prefix_on_a_value_is_refused(tmp_path):
    path = _edited(tmp_path, "undeclared", (F5, b'<c r="F5" s="6"><y:v>100</y:v></c>'))
    assert "F5" in _refusal(read(path))


# 3. a cell or a row written twice ----------------------------------------------------------------------------------

@pytest.mark.parametrize("parsed", [False, True])
def test_a_cell_written_twice_is_refused_at_its_cell(tmp_path, parsed):
    """Two <c r="F5"> in row 5 (100, then 200): LibreOffice reads 200 (seen), Excel repairs the file dropping one:
    which the department meant is not known; refused, the cell named — on the fast path (a part written canonically)
    as on the parser's (a comment elsewhere in it)."""
    swaps = [(F5, F5 + b'<c r="F5" s="6"><v>200</v></c>')]
    if parsed:
        swaps.append((b"<sheetData>", b"<sheetData><!--x-->"))
    said = _refusal(read(_edited(tmp_path, "twice", *swaps)))
    assert "F5" in said and "写了两次" in said


def test_a_cell_written_twice_with_one_value_is_refused(tmp_path):
    """The same value twice, or a second tag with none: still two tags of one cell."""
    said = _refusal(read(_edited(tmp_path, "same", (F5, F5 + F5))))
    assert "F5" in said


@pytest.mark.parametrize("parsed", [False, True])
def test_a_row_written_twice_is_refused_at_its_row(tmp_path, parsed):
    """A second <row r="5"> after row 5 (holding a cell of its own, G5): its height and whether it is hidden are not
    known (LibreOffice reads both rows' cells); refused, the row named."""
    g5 = b'<c r="G5" s="8" t="s"><v>69</v></c>'
    swaps = [(g5 + b"</row>", b'</row><row r="5" ht="30" customHeight="1">' + g5 + b"</row>")]
    if parsed:
        swaps.append((b"<sheetData>", b"<sheetData><!--x-->"))
    said = _refusal(read(_edited(tmp_path, "rows", *swaps)))
    assert "第 5 行" in said and "写了两次" in said


def test_rows_and_cells_of_a_canonical_part_written_once_are_read(tmp_path):
    """The check costs nothing where every tag is written once: an empty value and a text cell read as before."""
    path = _edited(tmp_path, "once", (F5, b'<c r="F5" s="6" t="str"><v></v></c>'))
    got = read(path)
    assert got.document is not None and "value" not in _indicator(got)


# 4. a native boolean in an indicator cell ------------------------------------------------------------------------

def _logical(result, cell):
    found = [p for p in result.problems if p.code == "cell.logical_value" and p.cell == cell]
    assert len(found) == 1, [(p.code, p.cell) for p in result.problems]
    return found[0]


def test_a_boolean_target_reads_as_the_client_prints_it_and_is_said(tmp_path):
    """t="b" in 指标目标值 (TRUE) and 三级指标 (FALSE): Excel and WPS print TRUE / FALSE (LibreOffice, under the
    template's style, 1 / 0), never 是 nor Python's True: read as TRUE / FALSE, each an error at its cell."""
    path = _edited(tmp_path, "b", (F5, b'<c r="F5" s="6" t="b"><v>1</v></c>'),
                   (D5, b'<c r="D5" s="6" t="b"><v>0</v></c>'))
    got = read(path)
    item = _indicator(got)
    assert item.get("text") == "TRUE" and "value" not in item and item["name"] == "FALSE"
    p = _logical(got, "F5")
    assert p.severity == "error" and p.sheet == "绩效指标" and "TRUE" in str(p.message) and "逻辑值" in str(p.message)
    assert "FALSE" in str(_logical(got, "D5").message)
    # each problem points where the document holds what it quotes: the target read as text is at /text, not /value
    assert (p.path, _logical(got, "D5").path) == ("/indicators/1/text", "/indicators/1/name")
    # validated: the quantitative row's TRUE is that one error, not also a target that is no number (rule.value_kind)
    at_f5 = [(p.code, p.severity) for p in validate_file(path, isolated=False).problems if p.cell == "F5"]
    assert at_f5 == [("cell.logical_value", "error")], at_f5


def test_a_bureau_that_makes_a_logical_value_a_warning_still_fails_a_target_that_is_no_number(tmp_path):
    """Said once only where the logical value is the error: a bureau's rules table that makes it a warning leaves
    the quantitative row's rule.value_kind to fail the return (one error, not a return passed with TRUE as target)."""
    from xlgoals import Config

    from .helpers import bureau_rules_file

    rules = bureau_rules_file(tmp_path, {"cell.logical_value": {"severity": "warning"}})
    path = _edited(tmp_path, "warned", (F5, b'<c r="F5" s="6" t="b"><v>1</v></c>'))
    report = validate_file(path, config=Config.load(rules=rules), isolated=False)
    at_f5 = sorted((p.code, p.severity) for p in report.problems if p.cell == "F5")
    assert at_f5 == [("cell.logical_value", "warning"), ("rule.value_kind", "error")], at_f5
    assert not report.passes()


def test_a_boolean_comparator_is_said_once_as_a_logical_value(tmp_path):
    """t="b" in 比较符: one error at its cell, the logical value, not also a comparator none of the choices
    (cell.comparator) nor the schema's; kept as TRUE."""
    e5 = re.search(rb'<c r="E5"[^>]*?(?:/>|>.*?</c>)', zipfile.ZipFile(GOAL).read(SHEET))[0]
    path = _edited(tmp_path, "cmp", (e5, b'<c r="E5" s="8" t="b"><v>1</v></c>'))
    got = read(path)
    assert _indicator(got)["comparator"] == "TRUE"
    at_e5 = [(p.code, p.severity) for p in validate_file(path, isolated=False).problems if p.cell == "E5"]
    assert at_e5 == [("cell.logical_value", "error")], at_e5


def test_a_boolean_in_number_and_actual_columns_is_said_once_not_as_a_number(tmp_path):
    """A self-evaluation's 实际完成值 and 得分 holding TRUE: one problem each at its cell (no cell.number beside
    it), the value kept as TRUE, never 1 nor 是."""
    xml = zipfile.ZipFile(SELF).read(SHEET)
    i4 = re.search(rb'<c r="I4"[^>]*?(?:/>|>.*?</c>)', xml)[0]
    l4 = re.search(rb'<c r="L4"[^>]*?(?:/>|>.*?</c>)', xml)[0]
    path = _edited(tmp_path, "se", (i4, b'<c r="I4" t="b"><v>1</v></c>'), (l4, b'<c r="L4" t="b"><v>1</v></c>'),
                   src=SELF)
    got = read(path)
    item = got.document["indicators"][0]
    assert item["actual"] == "TRUE" and item["score"] == "TRUE"
    assert (_logical(got, "I4").path, _logical(got, "L4").path) == ("/indicators/0/actual", "/indicators/0/score")
    assert not [p for p in got.problems if p.cell in ("I4", "L4") and p.code != "cell.logical_value"]
    checked = validate_file(path, isolated=False).problems
    assert [p.code for p in checked if p.cell == "L4"][:1] == ["cell.logical_value"]


def _self_cell(cell: str) -> bytes:
    return re.search(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % cell.encode(), zipfile.ZipFile(SELF).read(SHEET))[0]


@pytest.mark.parametrize("cell, key, expected", [("C4", "level1", "投入与管理"), ("E4", "name", "预算编制合理性"),
                                                 ("F4", "comparator", "定性")])
def test_a_boolean_in_a_locked_cell_is_the_row_changed_said_there_once(tmp_path, cell, key, expected):
    """TRUE in an approved (locked) cell of a self-evaluation is a locked cell typed over: one error, the row
    changed, said at that cell (to restore, not to type the content itself in as cell.logical_value asks), and
    nothing the rules would make of TRUE there (none of the framework's 一级指标, a comparator judging the target).
    With --targets, the one value changed, at its cell, shown as it shows there (定性, not the target “合理”)."""
    from .conftest import EXAMPLE_JSON

    path = _edited(tmp_path, f"locked_{cell}", (_self_cell(cell), f'<c r="{cell}" s="6" t="b"><v>1</v></c>'.encode()),
                   src=SELF)
    found = [(p.code, p.cell, p.path) for p in validate_file(path, isolated=False).problems]
    assert found == [("template.locked_row_changed", cell, f"/indicators/0/{key}")], found
    from xlgoals import validate

    found = [(p.code, p.cell, p.value, p.expected) for p in validate([path], targets=[EXAMPLE_JSON[1]]).problems()]
    assert found == [("self.target_changed", cell, "TRUE", expected)], found


def test_a_comparator_changed_is_said_at_its_own_cell(tmp_path):
    """With --targets, a quantitative row's 比较符 typed over (＝ -> ≥), its value and unit as approved: said at the
    比较符's cell, quoting the two comparators, not at 年度指标值's as the whole target."""
    from xlgoals import validate

    from .conftest import EXAMPLE_JSON

    path = _edited(tmp_path, "cmp_changed",
                   (_self_cell("F5"), '<c r="F5" s="6" t="inlineStr"><is><t>≥</t></is></c>'.encode()), src=SELF)
    found = [(p.code, p.cell, p.path, p.value, p.expected) for p in validate([path], targets=[EXAMPLE_JSON[1]]).problems()
             if p.code == "self.target_changed"]
    assert found == [("self.target_changed", "F5", "/indicators/1/comparator", "≥", "＝")], found
