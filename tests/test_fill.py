"""fill: JSON document -> workbook, cell by cell; bad documents leave no file behind."""

import datetime as dt
import json

import openpyxl
import pytest

from xlgoals import DocumentError, fill, load_framework
from .helpers import F
from xlgoals._form._kinds import comparator_display

from .conftest import EXAMPLE_JSON, cli, load


@pytest.mark.parametrize("json_path", EXAMPLE_JSON, ids=lambda p: p.stem)
def test_fill_cell_by_cell(json_path, tmp_path):
    doc = load(json_path)
    out = fill(doc, tmp_path / "out.xlsx")
    wb = openpyxl.load_workbook(out)
    info = wb[F.info.name]
    for f in F.fields:
        cell = info.cell(f.row + 1, F.info.value_col + 1)
        parts = f.path.strip("/").split("/")
        expected = doc
        for p in parts:
            expected = expected.get(p) if isinstance(expected, dict) else None
        if f.kind == "date" and expected is not None:
            assert cell.value == dt.datetime.fromisoformat(expected), f.path
            assert cell.is_date
        elif f.kind == "bool":
            assert cell.value == ("是" if expected else "否")
        else:
            assert cell.value == expected, f.path
        if f.kind in ("text", "longtext", "choice"):
            assert cell.data_type == "s" or cell.value is None
    ind = wb[F.table.name]
    cols = {c.key: c.index + 1 for c in F.columns(load_framework(doc["framework"]))}
    for i, item in enumerate(doc["indicators"]):
        r = F.table.first_row + 1 + i
        assert ind.cell(r, cols["seq"]).value == i + 1
        assert ind.cell(r, cols["level1"]).value == item["level1"]
        assert ind.cell(r, cols["level2"]).value == item["level2"]
        assert ind.cell(r, cols["name"]).value == item["name"]
        assert ind.cell(r, cols["comparator"]).value == comparator_display(item["comparator"])
        if item["comparator"] == "qualitative":
            assert ind.cell(r, cols["target"]).value == item["text"]
        else:
            assert ind.cell(r, cols["target"]).value == item["value"]
            assert ind.cell(r, cols["unit"]).value == item.get("unit")
    after = F.table.first_row + 1 + len(doc["indicators"])
    assert ind.cell(after, cols["name"]).value is None  # no template rows leak into a filled return
    caption = ind.cell(F.table.caption_row + 1, 1).value
    assert caption.startswith("=") and F.info.name in caption  # echoes unit and project for printing


@pytest.mark.parametrize("evil", ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-3", "@SUM(A1)", "=1+1",
                                  "0012345678901234567890"])
def test_strings_stay_text(evil, doc, tmp_path):
    doc["unit"] = evil
    doc["project"]["name"] = evil
    doc["project"]["overview"] = evil
    doc["indicators"][0]["text"] = evil
    doc["indicators"][0]["name"] = evil
    out = fill(doc, tmp_path / "evil.xlsx")
    wb = openpyxl.load_workbook(out)
    info, ind = wb[F.info.name], wb[F.table.name]
    for cell in (info[F.field("/unit").cell], info[F.field("/project/name").cell],
                 info[F.field("/project/overview").cell], ind[f"D{F.table.first_row + 1}"],
                 ind[f"F{F.table.first_row + 1}"]):
        assert cell.value == evil
        assert cell.data_type == "s", cell.coordinate  # a string, not a formula


def test_invalid_json_is_a_located_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"unit": "x",\n "year": }', encoding="utf-8")
    out = tmp_path / "out.xlsx"
    result = cli("fill", bad, "-o", out)
    assert result.exit_code == 1
    assert "第 2 行" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_schema_failure_names_json_path_and_writes_nothing(doc, tmp_path):
    doc["budget"]["total"] = "六千万"
    doc["indicators"][3]["comparator"] = "≈"
    del doc["project"]["name"]
    out = tmp_path / "out.xlsx"
    with pytest.raises(DocumentError) as exc:
        fill(doc, out)
    paths = {p.path for p in exc.value.problems}
    assert {"/budget/total", "/indicators/3/comparator", "/project/name"} <= paths
    assert not out.exists() and not list(tmp_path.iterdir())
    src = tmp_path / "doc.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("fill", src, "-o", out)
    assert result.exit_code == 1 and "/budget/total" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_unknown_framework_rejected(doc, tmp_path):
    doc["framework"] = "beijing-1999"
    with pytest.raises(DocumentError, match="beijing-1999"):
        fill(doc, tmp_path / "x.xlsx")


def test_fill_does_not_clobber_on_failure(doc, tmp_path):
    out = tmp_path / "keep.xlsx"
    out.write_bytes(b"previous")
    doc["year"] = "2020"
    with pytest.raises(DocumentError):  # with force: a document that fails leaves the file as it was
        fill(doc, out, force=True)
    assert out.read_bytes() == b"previous"


def test_long_narratives_get_taller_rows(doc, tmp_path):
    doc["project"]["necessity"] = "为切实做好就业工作，" * 120
    out = fill(doc, tmp_path / "tall.xlsx")
    info = openpyxl.load_workbook(out)[F.info.name]
    tall = info.row_dimensions[F.field("/project/necessity").row + 1].height
    short = info.row_dimensions[F.field("/project/plan").row + 1].height
    assert short == 150 and 150 < tall <= 409


def test_fill_refuses_what_the_workbook_could_not_give_back(tmp_path, doc):
    """A text longer than the reader takes, or more indicators than the form holds, would come back cut: no
    workbook is written, and the message names the field and the limit."""
    import copy

    long_name = copy.deepcopy(doc)
    long_name["project"]["name"] = "长" * 5000
    many = copy.deepcopy(doc)
    many["indicators"] = doc["indicators"] * (5001 // len(doc["indicators"]) + 1)
    for bad, says in ((long_name, "至多 300 个字符（实际 5000 个）"), (many, "至多 5000 条")):
        path = tmp_path / "d.json"
        path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
        result = cli("fill", path, "-o", tmp_path / "x.xlsx")
        assert result.exit_code == 1 and says in result.output, result.output
        assert not (tmp_path / "x.xlsx").exists()


def test_a_name_of_invisible_characters_is_not_filled_in(tmp_path, doc):
    from xlgoals import validate_document

    for blank in ("\u200b", " \u3000 ", "\u200b\u200d\ufeff"):
        doc["unit"] = blank
        assert "rule.required_field" in {p.code for p in validate_document(doc)}, repr(blank)


def test_a_name_given_twice_in_a_json_document_is_refused_where_it_stands(tmp_path):
    """The json module keeps the last of two equal names silently; which value was meant cannot be told."""
    path = tmp_path / "dup.json"
    path.write_text('{"schema_version": "1",\n "unit": "甲",\n "unit": "乙"}', encoding="utf-8")
    result = cli("fill", path, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "第 3 行第 2 列" in result.output and '"unit"' in result.output, result.output
    assert not (tmp_path / "x.xlsx").exists()
    weights = tmp_path / "w.json"
    weights.write_text('{"funds": 10, "funds": 20}', encoding="utf-8")
    result = cli("template", "--form", "self-evaluation", "--targets", EXAMPLE_JSON[0], "--out-dir", tmp_path / "o",
                 "--weights", weights)
    assert result.exit_code == 2 and "出现了两次" in result.output, result.output
