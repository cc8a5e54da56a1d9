"""The library is the product: what the command line refuses, the library refuses too."""

import shutil

import openpyxl

from .conftest import EXAMPLES

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"
PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


# the library refuses to replace a file, as the command line does ----------------------------------------------
def test_write_template_and_fill_do_not_replace_an_existing_file_unless_force(tmp_path):
    """The library is the product: ``write_template()`` and ``fill()`` replaced a department's file at `out`
    silently (only the command line refused).  They refuse it now, as ``consolidate()`` does, unless force=True."""
    import pytest

    import xlgoals

    doc = xlgoals.read(PASSING).document
    for name, write in (("模板.xlsx", lambda out, **k: xlgoals.write_template(out, **k)),
                        ("申报.xlsx", lambda out, **k: xlgoals.fill(doc, out, **k))):
        out = tmp_path / name
        shutil.copy(FAILING, out)  # a department's return kept under that name
        before = out.read_bytes()
        with pytest.raises(xlgoals.XlgoalsError) as caught:
            write(out)
        assert caught.value.exit_code == 2 and "已存在" in str(caught.value), caught.value
        assert out.read_bytes() == before
        assert write(out, force=True) == out
        assert out.read_bytes() != before
        assert openpyxl.load_workbook(out).sheetnames[0] == openpyxl.load_workbook(FAILING).sheetnames[0]
        with pytest.raises(xlgoals.XlgoalsError):  # its own output too: a template or return is no summary
            write(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["模板.xlsx", "申报.xlsx"]  # nothing half-written
