"""mendBR: the analyst's data contracts (red team 25h): frames' columns on an empty night, month-free monitoring
titles, exact money from documents, UsageError exported, targets written as typed, the examples' README samples."""

import json

import pytest

import xlgoals
from xlgoals import FORMS, fill, frames

from .conftest import EXAMPLES
from .helpers import edited_return

_FOLDERS = {"goal-table": "returns", "self-evaluation": "self-evaluation", "monitoring": "monitoring"}


def _layout(f):
    """Each frame's columns, in order, with their dtypes."""
    return {name: [(c, str(t)) for c, t in getattr(f, name).dtypes.items()]
            for name in ("projects", "indicators", "problems")}


def _sparse(tmp_path, form_id: str):
    """A return of the form with every header field blank but what names it (year, unit, project, targets' digest),
    as a department that filled only the table sends it."""
    keep = {"/year", "/unit", "/project/name", "/targets_sha256"}
    blank = {f.cell: None for f in FORMS[form_id].fields if f.path not in keep}
    return edited_return(tmp_path, form_id, {}, info=blank)


@pytest.mark.parametrize("night", ["empty", "junk", "unreadable"])
def test_an_empty_or_junk_night_has_the_full_goal_table_nights_columns_order_and_dtypes(tmp_path, night):
    """Finding 06: an empty (or junk-only) inbox lacked projects.targets_sha256 and indicators.id, ordered the project
    columns otherwise (budget before project.overview) and typed errors/warnings float64: the README's join recipe
    raised KeyError, a concat of nights changed dtypes."""
    folder = tmp_path / night
    folder.mkdir()
    if night == "junk":
        (folder / "扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    if night == "unreadable":
        (folder / "a.xlsx").write_bytes(b"PK\x03\x04 not really")
    full = frames([EXAMPLES / "returns"], jobs=1)
    got = frames([folder], jobs=1)
    assert _layout(got) == _layout(full)
    got.projects[["path", "targets_sha256"]]  # the README's join recipe
    got.indicators.merge(got.projects[["path", "targets_sha256"]], on="path")[["targets_sha256", "id"]]


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_forms_sparse_night_has_its_full_nights_columns_order_and_dtypes(tmp_path, form_id):
    """A night whose returns of a form left most header fields blank has the columns of a night of full returns of
    the form, in the same order, of the same dtypes: the columns come from the form's declaration, not from the
    documents met first (before, the fields a first return lacked were added after the ones it had)."""
    sparse = tmp_path / "sparse"
    sparse.mkdir()
    _sparse(sparse, form_id)
    full = frames([EXAMPLES / _FOLDERS[form_id]], jobs=1)
    got = frames([sparse], jobs=1)
    assert got.projects["form"].tolist() == [form_id]
    assert got.projects["contact.phone"].isna().all()  # (blank, as meant)
    assert _layout(got)["projects"] == _layout(full)["projects"]
    assert _layout(got)["indicators"] == _layout(full)["indicators"]
