"""mendGA (issue #11): a goal-table workbook keeps its indicators' own ids.

A goal-table JSON document may give each indicator an ``id`` (national-2021's example: C1, P1 …); its workbook has
no 指标编号 column, and ``read`` of it gave the ids of the rows' positions (I001 …), so that a monitoring report made
from the JSON and a self-evaluation made from the workbook did not share 指标编号.  ``fill`` now keeps the ids in the
workbook's custom document properties (``xlgoals_ids``, each id with a CRC-32 of its row's 一级/二级/三级 names), and
the reader puts each back on the row its names still match; rows inserted, deleted, moved or renamed, and any
property that cannot be read, leave position ids, never an exception nor a refused file.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import xlgoals
from xlgoals import fill

from .helpers import ooxml_errors

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
NATIONAL = EXAMPLES / "national-2021"
FIRST = 4  # the 绩效指标 sheet's first indicator row
IDS = ["C1", "P1", "P2", "P3", "E1", "E2", "S1"]


def _goal() -> dict:
    return json.loads((NATIONAL / "目标表.json").read_text(encoding="utf-8"))


def _read(path):
    result = xlgoals.read(path, isolated=False)
    assert result.document is not None, [p.code for p in result.problems]
    return result


def _ids(path) -> list:
    return [it.get("id") for it in _read(path).document["indicators"]]


def _names(path) -> list:
    return [it["name"] for it in _read(path).document["indicators"]]


@pytest.fixture
def filled(tmp_path):
    out = tmp_path / "目标表.xlsx"
    fill(_goal(), out)
    return out


# the round trip --------------------------------------------------------------------------------------------------
def test_a_goal_tables_ids_come_back_from_its_workbook(filled):
    result = _read(filled)
    assert [it.get("id") for it in result.document["indicators"]] == IDS
    assert list(result.document["indicators"][0])[0] == "id"  # first, as the JSON document gives it
    assert not [p for p in result.problems if p.severity == "error"], [p.code for p in result.problems]
    # the workbook now reads as its JSON: one approval, one digest (the join of the summaries' 指标编号)
    from xlgoals._selfeval._targets import goal_digest

    assert goal_digest(result.document) == goal_digest(_goal(), json_document=True)
    props = openpyxl.load_workbook(filled).custom_doc_props
    assert props["xlgoals_ids"].value.split(" ")[0] == "7"


def test_the_example_goal_table_is_fill_of_its_json_and_keeps_the_ids(tmp_path):
    fill(_goal(), tmp_path / "g.xlsx")
    assert (tmp_path / "g.xlsx").read_bytes() == (NATIONAL / "目标表.xlsx").read_bytes()
    assert _ids(NATIONAL / "目标表.xlsx") == IDS
    assert ooxml_errors(NATIONAL / "目标表.xlsx") == []


def test_a_goal_table_without_ids_is_written_as_before_and_reads_with_position_ids(tmp_path):
    doc = _goal()
    for it in doc["indicators"]:
        del it["id"]
    fill(doc, tmp_path / "g.xlsx")
    with zipfile.ZipFile(tmp_path / "g.xlsx") as z:
        assert b"xlgoals_ids" not in z.read("docProps/custom.xml")
    assert _ids(tmp_path / "g.xlsx") == [None] * 7  # (their positions': I001 …)
    # the five example goal tables, none with ids: their workbooks are byte for byte as before
    for path in sorted((EXAMPLES / "json").glob("*.json")):
        fill(json.loads(path.read_text(encoding="utf-8")), tmp_path / path.with_suffix(".xlsx").name)
        assert (tmp_path / path.with_suffix(".xlsx").name).read_bytes() == \
            (EXAMPLES / "returns" / path.with_suffix(".xlsx").name).read_bytes(), path.name


def test_ids_given_for_some_rows_keep_the_others_position_ids_as_the_json_numbers_them(tmp_path):
    from xlgoals._selfeval._targets import goal_digest

    doc = _goal()
    for it in doc["indicators"][2:]:
        del it["id"]
    fill(doc, tmp_path / "g.xlsx")
    assert _ids(tmp_path / "g.xlsx") == ["C1", "P1", None, None, None, None, None]  # (I003 … as in the JSON)
    assert goal_digest(_read(tmp_path / "g.xlsx").document) == goal_digest(doc, json_document=True)
    doc["indicators"][0]["id"] = "I003"  # the third row's, which gives none: ids not distinct, none kept
    fill(doc, tmp_path / "g.xlsx", force=True)
    assert _ids(tmp_path / "g.xlsx") == [None] * 7


def test_many_long_ids_are_kept_in_several_properties_each_within_excels_limit(tmp_path):
    doc = _goal()
    base = doc["indicators"][1]
    doc["indicators"] = [{**base, "id": f"P{k:02d}-" + "x" * 56, "name": f"培训人次{k}"} for k in range(40)]
    fill(doc, tmp_path / "g.xlsx")
    props = openpyxl.load_workbook(tmp_path / "g.xlsx").custom_doc_props
    kept = {p.name: p.value for p in props if p.name.startswith("xlgoals_ids")}
    assert len(kept) > 10 and all(len(v) <= 255 for v in kept.values()), {k: len(v) for k, v in kept.items()}
    assert _ids(tmp_path / "g.xlsx") == [it["id"] for it in doc["indicators"]]
    assert ooxml_errors(tmp_path / "g.xlsx") == []


def test_ids_given_twice_are_not_kept(tmp_path):
    doc = _goal()
    doc["indicators"][1]["id"] = "C1"
    fill(doc, tmp_path / "g.xlsx")
    assert "xlgoals_ids" not in openpyxl.load_workbook(tmp_path / "g.xlsx").custom_doc_props.names
    assert _ids(tmp_path / "g.xlsx") == [None] * 7


# rows the department changed -------------------------------------------------------------------------------------
def _rows(ws) -> list[list]:
    return [[ws.cell(r, c).value for c in range(2, ws.max_column + 1)] for r in range(FIRST, FIRST + 7)]


def _put(ws, rows) -> None:
    for k, values in enumerate(rows):
        for c, v in enumerate(values, start=2):
            ws.cell(FIRST + k, c).value = v


def _edited(path, change):
    wb = openpyxl.load_workbook(path)
    ws = wb["绩效指标"]
    rows = _rows(ws)
    _put(ws, [[None] * len(rows[0])] * 7)
    _put(ws, change(rows))
    wb.save(path)
    return path


def test_rows_moved_keep_their_own_ids(filled):
    _edited(filled, lambda rows: [rows[1], rows[0], *rows[2:5], rows[6], rows[5]])
    assert _names(filled)[:2] == ["培训人次", "人均培训成本"]
    assert _ids(filled) == ["P1", "C1", "P2", "P3", "E1", "S1", "E2"]


def test_a_row_deleted_leaves_the_others_their_ids(filled):
    _edited(filled, lambda rows: rows[:2] + rows[3:])
    assert _ids(filled) == ["C1", "P1", "P3", "E1", "E2", "S1"]


def test_a_row_inserted_has_its_positions_id_and_the_others_keep_theirs(filled):
    def insert(rows):
        new = list(rows[1])
        new[2] = "培训覆盖街镇数"
        return rows[:2] + [new] + rows[2:6]  # (the last row pushed out of the seven rewritten: deleted)
    _edited(filled, insert)
    assert _ids(filled) == ["C1", "P1", None, "P2", "P3", "E1", "E2"]


def test_a_row_renamed_loses_its_id_and_one_copied_keeps_none_of_its_copies(filled):
    def renamed(rows):
        rows[3][2] = "培训按时完成"  # 三级 typed over
        rows[5] = list(rows[4])  # E1's row copied over E2's: two rows of one check, recorded once
        return rows
    _edited(filled, renamed)
    assert _ids(filled) == ["C1", "P1", "P2", None, None, None, "S1"]


def test_an_id_put_back_never_repeats_a_position_id_another_row_keeps(tmp_path):
    doc = _goal()
    doc["indicators"][0]["id"] = "I002"  # its own id, the second row's position's too
    fill(doc, tmp_path / "g.xlsx")
    assert _ids(tmp_path / "g.xlsx")[:2] == ["I002", "P1"]
    _edited(tmp_path / "g.xlsx", lambda rows: [rows[0], [rows[1][0], rows[1][1], "另一项"] + rows[1][3:], *rows[2:]])
    ids = [i or f"I{k + 1:03d}" for k, i in enumerate(_ids(tmp_path / "g.xlsx"))]
    assert len(set(ids)) == 7 and ids == [f"I{k + 1:03d}" for k in range(7)], ids


# hostile or damaged records --------------------------------------------------------------------------------------
def _with_custom(path, change) -> Path:
    """`path` with its docProps/custom.xml changed by `change` (bytes -> bytes), the other parts as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "docProps/custom.xml":
                data, was = change(data), data
                assert data != was  # (each change finds what it changes)
            zout.writestr(info, data)
    path.write_bytes(out.getvalue())
    return path


def _ids_value(value: bytes):
    return lambda xml: re.sub(rb'(name="xlgoals_ids"><vt:lpwstr>)[^<]*', lambda m: m.group(1) + value, xml)


_PROPERTY = (b'<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="%d" name="%s">'
             b'<vt:lpwstr>%s</vt:lpwstr></property>')


def _added(name: bytes, value: bytes, pid: int = 30):
    return lambda xml: xml.replace(b"</Properties>", _PROPERTY % (pid, name, value) + b"</Properties>")


HOSTILE = {
    "another type": lambda xml: re.sub(rb'(name="xlgoals_ids">)<vt:lpwstr>[^<]*</vt:lpwstr>',
                                       rb"\1<vt:i4>7</vt:i4>", xml),
    "a bool": lambda xml: re.sub(rb'(name="xlgoals_ids">)<vt:lpwstr>[^<]*</vt:lpwstr>', rb"\1<vt:bool>true</vt:bool>",
                                 xml),
    "empty": _ids_value(b""),
    "huge": _ids_value(b"7 " + b"C1:00000000 " * 20_000),
    "a huge count": _ids_value(b"99999999999999999999 C1:1c8f8773"),
    "a count too high": _ids_value(b"8 C1:1c8f8773 P1:a4be3dfa"),
    "ids given twice": _ids_value(b"2 C1:1c8f8773 C1:a4be3dfa"),
    "bad characters": _ids_value("2 C1:1c8f8773 指标:a4be3dfa".encode()),
    "an entity": _ids_value(b"2 C1:1c8f8773 P&amp;1:a4be3dfa"),
    "a check not hex": _ids_value(b"2 C1:1c8f8773 P1:zzzzzzzz"),
    "a chunk beyond the count": _added(b"xlgoals_ids.1", b"P2:79edfd8a"),
    "a chunk too long": lambda xml: _added(b"xlgoals_ids.1", b"P2:79edfd8a " * 40)(
        _ids_value(b"3 C1:1c8f8773 P1:a4be3dfa")(xml)),
    "deleted": lambda xml: re.sub(rb'<property [^>]*name="xlgoals_ids">.*?</property>', b"", xml),
    "damaged XML": lambda xml: xml.replace(b"</Properties>", b""),
}


@pytest.mark.parametrize("how", list(HOSTILE))
def test_a_hostile_or_damaged_record_leaves_position_ids_and_the_file_read(filled, tmp_path, how):
    before = {p.code for p in _read(filled).problems}
    _with_custom(filled, HOSTILE[how])
    result = _read(filled)
    got = [it.get("id") for it in result.document["indicators"]]
    assert got == [None] * 7, got
    assert [it["name"] for it in result.document["indicators"]] == [it["name"] for it in _goal()["indicators"]]
    if how != "damaged XML":  # (template.locked_record_unreadable, as before for any such part)
        assert {p.code for p in result.problems} == before, {p.code for p in result.problems} - before


def test_a_record_of_other_rows_matches_none_and_a_forged_one_only_rows_it_names(filled):
    from xlgoals._form._ids import row_check

    _with_custom(filled, _ids_value(b"2 X1:00000000 Y2:ffffffff"))
    assert _ids(filled) == [None] * 7
    check = row_check({"level1": "产出指标", "level2": "数量指标", "name": "培训人次"}).encode()
    _with_custom(filled, _ids_value(b"1 Z9:" + check))
    assert _ids(filled) == [None, "Z9", None, None, None, None, None]


# the forms made from the workbook --------------------------------------------------------------------------------
def test_a_self_evaluation_made_from_the_workbook_carries_the_jsons_ids(filled, tmp_path):
    made = xlgoals.self_evaluation_templates([filled], tmp_path / "自评")
    (out,) = sorted((tmp_path / "自评").glob("*.xlsx"))
    assert [it["id"] for it in _read(out).document["indicators"]] == IDS, made
    monitoring = xlgoals.monitoring_templates([NATIONAL / "目标表.json"], tmp_path / "监控", month=6)
    (report,) = sorted((tmp_path / "监控").glob("*.xlsx"))
    assert [it["id"] for it in _read(report).document["indicators"]] == IDS, monitoring


def test_a_self_evaluation_made_from_an_older_workbook_still_checks_clean_against_it(filled, tmp_path):
    """A workbook filled before the record (no xlgoals_ids): its self-evaluation numbers I001 …, and held to the
    goal table's new workbook (C1 …) with --targets, a return's I00k is its k-th row, as before."""
    older = tmp_path / "旧.xlsx"
    older.write_bytes(filled.read_bytes())
    _with_custom(older, HOSTILE["deleted"])
    xlgoals.self_evaluation_templates([older], tmp_path / "自评")
    (out,) = sorted((tmp_path / "自评").glob("*.xlsx"))
    assert [it["id"] for it in _read(out).document["indicators"]] == [f"I{k:03d}" for k in range(1, 8)]
    report = xlgoals.validate([out], targets=[filled], jobs=1)
    codes = {p.code for f in report.files for p in f.problems}
    assert not {c for c in codes if "target" in c}, codes
