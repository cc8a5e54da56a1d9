"""perfCC (issues #10.4, #11.9): reading work that depends only on bytes every return of one template shares is done
once a batch, kept by those bytes (never by a file's name), bounded; what is read stays what it was."""

from __future__ import annotations

import re

import pytest

from xlgoals import read
from xlgoals._read._grid import _KEPT_COLS, Grid, _cols_at, _widths_in, _widths_of
from xlgoals._read._safety import open_container

from .conftest import EXAMPLE_XLSX
from .test_hostile_batch import TABLE_PART, patched


def _widths(path, sheet: str = "绩效指标") -> list[float]:
    grid = Grid(open_container(path))
    return [grid.column_width(sheet, c) for c in range(20)]


def _part_widths(path) -> dict:
    """The widths the table sheet's <cols> gives, read straight from the part (no cache)."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read(TABLE_PART)
    return _widths_in(xml, *_cols_at(xml))


def test_a_templates_column_widths_are_read_once_for_all_its_returns():
    """Returns of one template share their sheets' <cols> byte for byte: the second return's widths are the first's,
    not read again; and they are the widths its part gives."""
    first, second = EXAMPLE_XLSX[0], EXAMPLE_XLSX[1]
    _widths_of.cache_clear()
    got_first = _widths(first)
    misses = _widths_of.cache_info().misses
    got_second = _widths(second)
    assert _widths_of.cache_info().misses == misses and _widths_of.cache_info().hits >= 1
    expected = _part_widths(second)
    assert expected and got_second == [expected.get(c, got_second[-1]) for c in range(20)]
    assert got_first == got_second  # (one template's columns)


def test_the_kept_widths_are_those_of_the_bytes_not_of_the_file_name(tmp_path):
    """A return whose department widened a column, under the name of one read before, is read with its own width; the
    widths kept cannot be changed by a caller."""
    path = tmp_path / "r.xlsx"
    patched(path, src=EXAMPLE_XLSX[0])
    before = _widths(path)
    widen = lambda xml: re.sub(rb'(<col [^>]*?min="5"[^>]*?width=")[0-9.]+', rb"\g<1>77", xml, count=1)  # noqa: E731
    patched(path, src=EXAMPLE_XLSX[0], xl__worksheets__sheet3_DOT_xml=widen)
    after = _widths(path)
    assert before[4] != 77 and after[4] == 77 and after[:4] == before[:4] and after[5:] == before[5:]
    assert _part_widths(path)[4] == 77
    kept = _widths_of(b'<cols><col min="1" max="1" width="9"/></cols>')
    with pytest.raises(TypeError):
        kept[0] = 1  # type: ignore[index]
    assert _widths_of(b'<cols><col min="1" max="1" width="9"/></cols>')[0] == 9


def test_a_hand_made_files_many_columns_are_read_not_kept(tmp_path):
    """A <cols> beyond _KEPT_COLS (a hand-made file's thousands of <col> tags) is read for its file, never kept: a
    worker keeps no large part of a hostile file."""
    many = b"".join(b'<col min="%d" max="%d" width="11"/>' % (i, i) for i in range(30, 30 + _KEPT_COLS // 30))
    add = lambda xml: xml.replace(b"</cols>", many + b"</cols>", 1)  # noqa: E731
    path = patched(tmp_path / "wide.xlsx", src=EXAMPLE_XLSX[0], xl__worksheets__sheet3_DOT_xml=add)
    _widths_of.cache_clear()
    assert _widths(path)[:5] == _widths(EXAMPLE_XLSX[0])[:5]
    assert Grid(open_container(path)).column_width("绩效指标", 40) == 11
    assert _widths_of.cache_info().currsize == 1  # (the plain template's only)
    assert read(path, isolated=False).document["indicators"]

