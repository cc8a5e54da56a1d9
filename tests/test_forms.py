"""Forms are data: each form is declared once, and nothing restates its labels or positions."""

import ast
import datetime as dt
import functools
from pathlib import Path

import pytest

from xlgoals import FORMS, load_schema
from xlgoals._form import KINDS, LAYOUTS, Unreadable, a1
from xlgoals._pointers import get

PACKAGE = Path(__file__).resolve().parent.parent / "xlgoals"


def _string_constants(path: Path) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)}


@functools.cache
def _package_constants() -> dict:
    """Each Python file of the package -> its string constants: parsed once per test process, not once a form
    (the package's files do not change while the tests run)."""
    return {p: frozenset(_string_constants(p)) for p in PACKAGE.rglob("*.py")}


@pytest.mark.parametrize("form", FORMS.values(), ids=lambda f: f.id)
def test_every_label_is_written_in_exactly_one_python_file(form):
    labels = {f.label for f in form.fields} | {f.short for f in form.fields if f.short}
    labels |= {c.label for c in form.table.columns} | set(form.sheets) | {form.info.stamp_label}
    labels |= {a.label for a in form.info.areas}
    constants = _package_constants()
    for label in sorted(labels):
        files = [p.relative_to(PACKAGE).as_posix() for p, c in constants.items() if label in c]
        assert len(files) == 1, f"{label!r} is written in {files}"


@pytest.mark.parametrize("form", FORMS.values(), ids=lambda f: f.id)
def test_schema_descriptions_agree_with_the_form(form):
    """The schema is a data file: its descriptions start with the form's labels, so they cannot drift."""
    schema = load_schema(form)

    def node(path):
        cur = schema
        for part in path.strip("/").split("/"):
            cur = cur["properties"][part]
        return cur

    for f in form.fields:
        assert node(f.path)["description"].startswith(f.label), f.path
    item = schema["$defs"]["indicator"]["properties"]
    for col in form.table.columns:
        for key in col.item_keys if col.kind != "target" else ():
            if col.kind != "seq":
                assert item[key]["description"].startswith(col.label), key
    required = set(schema["required"]) | {f"project/{k}" for k in schema["properties"]["project"]["required"]}
    assert {"unit", "project/name"} <= required
    assert all(form.field(f"/{p}").required for p in required if form.find_field(f"/{p}"))


@pytest.mark.parametrize("form", LAYOUTS.values(), ids=lambda f: f"{f.id}-L{f.layout_version}")
def test_declaration_is_consistent(form):
    rows = sorted({f.row for f in form.fields} | {g.row for g in form.info.grids}  # a grid's fields share rows
                  | {a.row for a in form.info.areas})
    assert rows == list(range(form.info.first_row, form.info.end_row))
    assert [f.row for f in form.fields if not f.in_grid] == sorted(f.row for f in form.fields if not f.in_grid)
    assert form.info.stamp_row > rows[-1]
    assert len({f.path for f in form.fields}) == len(form.fields)
    assert all(f.kind in KINDS for f in form.fields) and all(c.kind in KINDS for c in form.table.columns)
    assert [c.index for c in form.columns()] == list(range(len(form.columns())))
    assert form.table.header_row < form.table.first_row
    assert len(set(form.sheets)) == 4
    assert form.required_paths and all(p.startswith("/") for p in form.required_paths)


def test_optional_columns_and_framework_labels_come_from_the_framework():
    from xlgoals import load_framework

    form = FORMS["goal-table"]
    sh, nat = load_framework("shanghai-2020"), load_framework("national-2021")
    assert [c.key for c in form.columns(sh)] == ["seq", "level1", "level2", "name", "comparator", "target", "unit"]
    assert [c.key for c in form.columns(nat)][-2:] == ["basis", "weight"]
    assert form.column("level1", sh).label == sh.labels["level1"] == "一级目标"
    assert form.column("level1", nat).label == "一级指标" == form.column_label("level1")
    assert form.column("value", nat).key == "target"


def test_titles_of_json_pointers():
    form = FORMS["goal-table"]
    assert form.title_of("/budget/total") == "项目总预算（元）"
    assert form.title_of("/budget/total", "en") == "Total budget (yuan)"
    assert form.title_of("/indicators/10/name") == "第11条指标的三级指标"
    assert form.title_of("/indicators/2/value", "en") == "indicator 3 target"
    assert form.title_of("/indicators/0") == "第1条指标"


@pytest.mark.parametrize("kind, value", [
    ("year", 2020), ("text", "上海市就业促进中心"), ("longtext", "第一行\n第二行"), ("choice", "其他类"),
    ("date", "2020-01-01"), ("amount", 62800000), ("amount", 6424663.5), ("bool", True), ("bool", False),
    ("comparator", ">="), ("comparator", "qualitative"), ("unit", "%"), ("number", 12.5),
])
def test_each_kind_reads_back_what_it_writes(kind, value):
    """One codec per kind: what the writer puts in a cell, the reader parses back to the same value."""
    codec = KINDS[kind]
    how, cell = codec.cell(value)
    if how == "date":
        cell = dt.datetime.fromisoformat(cell)  # as calamine gives a date cell
    assert codec.parse(cell) == value


def test_target_kind_writes_numbers_as_numbers_and_text_as_text():
    target = KINDS["target"]
    assert target.cell(85) == ("number", 85)
    assert target.cell("合理") == ("string", "合理")
    assert target.parse(85) == ("number", None, 85, None)
    assert target.parse("≥85%") == ("number", ">=", 85, "%")
    with pytest.raises(Unreadable):
        target.parse(">=85%以上")


def test_cells_are_where_the_form_says(tmp_path, doc):
    """The filled workbook holds each header value in its declared cell (checked with openpyxl)."""
    import openpyxl

    from xlgoals import fill

    form = FORMS["goal-table"]
    wb = openpyxl.load_workbook(fill(doc, tmp_path / "r.xlsx"))
    for f in form.fields:
        assert wb[f.sheet].cell(f.row + 1, form.info.label_col + 1).value == f.label
        value = wb[f.sheet][f.cell].value
        expected = get(doc, f.path)
        if f.kind == "date" and expected:
            value = value.date().isoformat()
        elif f.kind == "bool" and expected is not None:
            value = value == "是"
        assert value == expected or (value is None and expected is None), f.path
    col = form.column("name")
    assert wb[form.table.name][a1(form.table.first_row, col.index)].value == doc["indicators"][0]["name"]


def test_older_layouts_are_kept_for_reading_only():
    """Layout 2 of the goal table added the signature block; layout 1 is still known to the reader."""
    from xlgoals._form import layouts_of

    gt = FORMS["goal-table"]
    old, = [f for f in layouts_of(gt) if f.layout_version == 1]
    assert gt.layout_version == 2 and layouts_of(gt)[0] is gt
    assert {f.path for f in gt.fields} - {f.path for f in old.fields} == {
        "/contact/person", "/contact/phone", "/contact/date", "/contact/head"}
    assert old.info.stamp_row < gt.info.stamp_row
    assert old.find_field("/contact/person") is None  # its own index of fields, not the current one's
    assert gt.field("/project/goals").cell == old.field("/project/goals").cell  # nothing above moved


def test_each_bound_form_has_its_own_titles():
    """title_of is memoised per form: a form bound to one month must not answer with another's labels."""
    from xlgoals import FORMS

    monitoring = FORMS["monitoring"]
    path = next(f.path for f in monitoring.fields if "{month}" in f.label)
    assert "{month}" in monitoring.title_of(path)
    march, june = monitoring.bind(month=3), monitoring.bind(month=6)
    assert march.title_of(path) == march.find_field(path).label and "1-3月" in march.title_of(path)
    assert june.title_of(path) == june.find_field(path).label and "1-6月" in june.title_of(path)
    assert june.title_of(path, "en") == june.find_field(path).label_en


def test_the_signature_block_is_named_as_each_form_declares_it():
    """填报人 is ``contact.person`` in a goal table's document and ``contact.name`` in a self-evaluation's and a
    monitoring report's (each a published schema, neither renamed).  The schemas, the form declarations and the
    README say so for every form, and each schema's description names the other forms' key, so that a reader of
    one document is not misled by another's."""
    from .conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    keys = {}
    for form_id in ("goal-table", "self-evaluation", "monitoring"):
        form = FORMS[form_id].bind(month=6) if FORMS[form_id].params else FORMS[form_id]
        declared = {f.path.split("/")[2]: f for f in form.fields if f.path.startswith("/contact/")}
        props = load_schema(form_id)["properties"]["contact"]["properties"]
        assert set(props) == set(declared), form_id
        (person,) = [k for k, f in declared.items() if f.label == "填报人"]
        keys[form_id] = person
        assert f"`contact.{person}`" in readme, form_id
    assert keys == {"goal-table": "person", "self-evaluation": "name", "monitoring": "name"}
    for form_id, person in keys.items():
        others = {k for f, k in keys.items() if k != person}
        description = load_schema(form_id)["properties"]["contact"]["properties"][person]["description"]
        assert all(f"contact.{k}" in description for k in others), (form_id, description)


def test_a_sheet_declaring_its_value_columns_widths_gives_one_per_column():
    """FieldSheet.span_widths gives each spanned value column its width: one too few left the last column at
    xlsxwriter's default width, and its grid's heading out of the row-height count, without a word."""
    from dataclasses import replace

    info = FORMS["self-evaluation"].info
    assert len(info.value_widths) == info.value_span
    with pytest.raises(ValueError, match="span_widths"):
        replace(info, fields=(), span_widths=info.span_widths[:-1])


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_a_column_is_looked_up_by_key_in_one_place(form):
    """The form declares the lookup of a column once: by its own key (TableSheet.find / declared) or by an item
    key it fills (holding, Form.find_column / column / column_label: the target column fills value and text).
    The writer, the reader, the schema's messages and the summaries all ask it."""
    from xlgoals import load_framework

    table = form.table
    for col in table.columns:
        assert table.find(col.key) is table.declared(col.key) is col
        for k in col.item_keys:
            assert table.holding(k) is col
            assert form.column_label(k) == col.label and form.column_label(k, "en") == col.label_en
    assert table.find("value") is None and table.holding("value") is table.declared("target")
    assert table.find("no-such-key") is table.holding("no-such-key") is form.find_column("no-such-key") is None
    with pytest.raises(KeyError):
        table.declared("no-such-key")
    with pytest.raises(KeyError):
        form.column("no-such-key")
    with pytest.raises(KeyError):
        form.column_label("no-such-key")
    fw = load_framework("national-2021")
    for col in form.columns(fw):  # a framework's columns: its labels and positions
        assert form.column(col.key, fw) is form.find_column(col.key, fw) is col
        assert form.column_label(col.key, fw=fw) == col.label
    seq = form.find_column("seq", fw)
    assert (seq.kind, seq.index) == ("seq", 0)
