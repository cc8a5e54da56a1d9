"""The generated row function (``_read._rowcode``) reads a row as the full path does, or hands it back.

A return's indicator rows of plain cells are read by one function generated per form and framework; anything out of
the ordinary is left to ``_interpret_rows``.  Held here: a return read with the generated function gives the same
document, sources and problems as read without it, over the examples and over rows made of cells of every sort
(names with spaces, comparators in words, targets with units, multipliers, fractions of a percent, texts beyond the
limits or one printed line, numbers typed as text, other types), in each form's table.
"""

from __future__ import annotations

import random
from weakref import WeakKeyDictionary

import pytest

from tests.conftest import EXAMPLES
from xlgoals import Config
from xlgoals._form._kinds import KINDS
from xlgoals._form._model import numbered_as_printed
from xlgoals._read import READ_SHEETS, Grid, interpret, locate, open_container
from xlgoals._read import _interpret, _rowcode
from xlgoals._read._grid import at
from xlgoals._read._interpret import Sources, _blank_rows

CONFIG = Config.load()

FILES = [EXAMPLES / "national-2021" / "目标表.xlsx", EXAMPLES / "national-2021" / "自评表.xlsx",
         *sorted((EXAMPLES / "returns").glob("*.xlsx"))[:3], *sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[:2],
         *sorted((EXAMPLES / "monitoring").glob("*.xlsx"))[:2]]

LONG = "项目实施" * 300  # beyond the text limit
LINES = "按计划完成并通过验收，" * 6  # a basis longer than one printed line
CELLS = {
    "text": ["", "产出指标", "数量指标", " 培训 人次 ", "a b", "第一\n第二", 5.0, 0.5, True, LONG, "   "],
    "comparator": ["", "≥", "≤", "＝", "＞", "＜", "定性", ">=", " ≥ ", "不低于", "大约", 1.0, True],
    "target": ["", "85", 85.0, 0.9, 0.5, 1.0, "≥85%", "85%", "0.9", "≤5天", "1.2万", "3亿元", "合理", "良好", "一百",
               "≥", "85%以上", ">5000 人", float("inf"), 1e20, "1,000", LONG, "≥ 5", True, "90%（抽查）", "(暂定)90%", "≥95%（含）", "【暂定】1,000人",
               "90%﹙抽查﹚", "︵暂定︶≥90%", "㈠85%", "≥90%⁽抽查⁾"],
    "unit": ["", "%", "人", "万元", "平方米", " ％ ", "天", 3.0, "万平方米"],
    "longtext": ["", "按计划完成", 12.0, LINES, "第一行\n第二行", LONG],
    "number": ["", 10.0, 2.5, "10", "10%", "十", 1e300, float("nan"), 0.0, True],
    "actual": ["", 90.0, "已完成", 0.85, 1.0, 120.0, "90", "81人", "0.85", "92%", "≥92%", "1.2万", float("inf"),
               LONG, True],
    "grade": ["", "达成年度指标", "部分达成年度指标并具有一定效果", "achieved", "很好", 1.0],
}


def _cell(kind: str, rng: random.Random):
    pool = CELLS.get(kind)
    if pool is None:  # a choice of a form's own (a monitoring report's): as its dropdown shows it, or not
        shown = KINDS[kind].shown
        pool = ["", shown[0][1], shown[-1][0], "其他", 2.0]
    # most cells plain, as most rows are: the generated function's path, with the unusual now and then
    return rng.choice(pool[:3] if rng.random() < 0.8 else pool)


def _every_field_slow(form):
    """An information sheet's reader that hands every field to ``_read_field``, as interpret read them before it
    had a generated function."""
    def read_info(info, doc, limit, long_limit, slow, screened):
        for f in form.fields:
            slow(f, at(info, f.row, f.col))
    return read_info


def _read(path, rows=None, fast=True, monkeypatch=None, fields=None):
    """(document, sources, problems as dicts) of a return, its indicator rows replaced by `rows` and its header
    fields' cells by `fields` (field -> value), read with the generated row and field functions or without them."""
    problems: list = []
    loc = locate(Grid(open_container(path), READ_SHEETS), CONFIG, problems)
    if fields is not None:
        info = [list(r) for r in loc.info]
        for f, value in fields.items():
            info[f.row] += [""] * (f.col + 1 - len(info[f.row]))
            info[f.row][f.col] = value
        loc.info = info
    if rows is not None:
        first = loc.form.table.first_row
        table = [list(r) for r in loc.table]
        width = max(len(r) for r in table)
        table[first:first + len(rows)] = [row + [""] * (width - len(row)) for row in rows]
        loc.table = table
    monkeypatch.setattr(_interpret, "_PLANS", WeakKeyDictionary())
    if not fast:
        monkeypatch.setattr(_interpret, "row_reader", lambda *a: None)
        monkeypatch.setattr(_interpret, "info_reader", _every_field_slow)
    sources = Sources()
    with numbered_as_printed(sources.numbers):
        doc = interpret(loc, CONFIG.rules, sources, problems, CONFIG.limits)
    monkeypatch.undo()
    return doc, dict(sources), [p.to_dict("zh") for p in problems] + [p.to_dict("en") for p in problems]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_return_reads_the_same_with_the_generated_function(path, monkeypatch):
    assert _read(path, fast=True, monkeypatch=monkeypatch) == _read(path, fast=False, monkeypatch=monkeypatch)


@pytest.mark.parametrize("path", FILES[:2] + FILES[-1:], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_rows_of_every_sort_read_as_the_full_path_reads_them(path, monkeypatch):
    loc = locate(Grid(open_container(path), READ_SHEETS), CONFIG, [])
    columns = loc.form.columns(loc.fw)
    rng = random.Random(f"rowcode {path.name}")
    read_fast = 0
    fast = _rowcode.row_reader(loc.form, loc.fw, columns)
    for _ in range(40):
        rows = []
        for _ in range(rng.randint(1, 8)):
            row = [""] * (max(col.index for col in columns) + 1)
            for col in columns:
                row[col.index] = float(len(rows) + 1) if col.kind == "seq" else _cell(col.kind, rng)
            if not any(row[col.index] != "" for col in columns if col.kind != "seq"):
                row[columns[-1].index] = "备注"  # (a blank row ends a monitoring report's table: not this test's)
            read_fast += fast(row, CONFIG.limits["text_chars"]) is not None
            rows.append(row)
        assert _read(path, rows, fast=True, monkeypatch=monkeypatch) == \
            _read(path, rows, fast=False, monkeypatch=monkeypatch), rows
    assert read_fast > 10  # the generated function read rows of its own (not every one handed back)


def test_the_generated_code_is_kept_by_its_source(monkeypatch, tmp_path):
    """The row function's code is compiled once and kept in the cache folder, as the checks' generated code is."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loc = locate(Grid(open_container(FILES[0]), READ_SHEETS), CONFIG, [])
    made = _rowcode._make(loc.form, loc.form.columns(loc.fw))
    assert "def read_row(row, limit):" in made.source
    kept = list((tmp_path / "xlgoals").glob("code-*.marshal"))
    assert len(kept) == 1
    again = _rowcode._make(loc.form, loc.form.columns(loc.fw))
    assert again.source == made.source and list((tmp_path / "xlgoals").glob("code-*.marshal")) == kept


#: Header fields' cells of every sort, by kind (the kinds' pools above where they share one)
FIELD_CELLS = {
    "year": ["", 2025.0, "2025", "2025年", "明年", 1e20, True],
    "text": CELLS["text"],
    "longtext": CELLS["longtext"] + ["一句话", "按计划完成" * 12, "一\n" * 19],  # (short, but 20 printed lines)
    "amount": ["", 1000.0, 0.0, 1234.56, 1234.567, -5.0, "1,000", "12万元", "无", 1e16, 999999999999999.0,
               float("nan"), "¥500", True, -0.0],
    "number": CELLS["number"],
    "date": ["", "2025-03-01", 45000.0, 20250301.0, "20250301", "明天", True, 3.0],
    "bool": ["", "是", "否", "也许", 1.0, True],
}


@pytest.mark.parametrize("path", FILES[:2] + FILES[-1:], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_header_fields_of_every_sort_read_as_the_full_path_reads_them(path, monkeypatch):
    """The information sheet's generated function (``_rowcode.info_reader``) reads each field as ``_read_field``
    does, or hands it to it: the same document (its keys in the same order), sources and problems."""
    loc = locate(Grid(open_container(path), READ_SHEETS), CONFIG, [])
    rng = random.Random(f"info {path.name}")
    for _ in range(25):
        fields = {}
        for f in loc.form.fields:
            pool = FIELD_CELLS.get(f.kind) or ["", "其他", 2.0, "a b"]
            fields[f] = rng.choice(pool[:3] if rng.random() < 0.7 else pool)
        fast = _read(path, fast=True, monkeypatch=monkeypatch, fields=fields)
        slow = _read(path, fast=False, monkeypatch=monkeypatch, fields=fields)
        assert fast == slow, fields
        assert list(fast[0]) == list(slow[0]) and list(fast[1]) == list(slow[1])  # (order too: the JSON shows it)


def test_blank_rows_are_told_as_row_by_row():
    """``_blank_rows`` (in C where every row reaches the last input column) tells each row as the test of its cells
    one by one: a space, a 0, False and a formula's "" are what they are."""
    cols = [1, 2, 4]
    values = ["", " ", 0.0, False, "x", None]
    rng = random.Random("blank rows")
    for _ in range(200):
        width = rng.choice([5, 6, 6, 6, 3])
        table = [[rng.choice(values) if rng.random() < 0.3 else "" for _ in range(rng.choice([width, 5, 6]))]
                 for _ in range(rng.randint(0, 8))]
        first = rng.randint(0, 2)
        expected = [not any(row[i] != "" for i in cols if i < len(row)) for row in table[first:]]
        assert _blank_rows(table, first, cols) == expected
        assert _blank_rows(table, first, [4]) == [not (len(row) > 4 and row[4] != "") for row in table[first:]]
