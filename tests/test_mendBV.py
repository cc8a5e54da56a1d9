"""mendBV: a template's page header prints a literal ``_xHHHH_`` of a prefilled unit or project name as written; the
annotated copy makes a marked row of near-zero height tall enough and says so; a LibreOffice-saved file's percent
count."""
from __future__ import annotations

import html
import re
import shutil
import zipfile

import pytest

from .conftest import cli, lo_printed
from .helpers import ooxml_errors

_UNIT, _PROJECT = "甲_x001B_乙单位", "丙_x0041_丁项目"


def _prefilled(tmp_path, form_args=()):
    src = tmp_path / "p.csv"
    src.write_text(f"申报单位名称,项目名称,项目总预算（元）\n{_UNIT},{_PROJECT},100\n", encoding="utf-8")
    result = cli("template", "--prefill", src, "--out-dir", tmp_path / "out", "--year", "2020", *form_args)
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "out").iterdir()
    return made


def _headers(path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [html.unescape(m.group(1)) for n in sorted(z.namelist()) if n.startswith("xl/worksheets/sheet")
                for m in re.finditer(r"<oddHeader>(.*?)</oddHeader>", z.read(n).decode("utf-8"))]


# 1 --------------------------------------------------------------------------------------------------------
def test_a_literal_escape_in_a_prefilled_name_is_kept_as_written_in_the_templates_page_header(tmp_path):
    """xlsxwriter wrote 甲_x005F_x001B_乙 (Excel's escape of the _), which LibreOffice prints as written: the header's
    own size code now breaks it (甲_&9x001B_乙), printing nothing in either application."""
    made = _prefilled(tmp_path)
    assert ooxml_errors(made) == []
    headers = _headers(made)
    assert len(headers) >= 3, headers
    for text in headers:
        assert not re.search("_x[0-9A-Fa-f]{4}_", text), text  # nothing Excel reads as an escaped character
        assert "甲_&9x001B_乙单位" in text and "丙_&9x0041_丁项目" in text, text


def test_the_header_text_breaks_an_escape_by_the_size_code_in_effect():
    from xlgoals._form._model import PrintSetup

    values = {"/unit": "a_x001B_b", "/project/name": "c&_x00e9_d"}
    assert PrintSetup().header_text(values) == "&C&9a_&9x001B_b　c&&_&9x00e9_d"
    assert PrintSetup(header="&L&12{names}").header_text(values) == "&L&12a_&12x001B_b　c&&_&12x00e9_d"
    # no size code: left as written (xlsxwriter escapes the _ as Excel does)
    assert PrintSetup(header="&C{names}").header_text(values) == "&Ca_x001B_b　c&&_x00e9_d"
    # && before a digit is an ampersand, not a size
    assert PrintSetup(header="&C&&9{names}").header_text(values) == "&C&&9a_x001B_b　c&&_x00e9_d"


@pytest.mark.soffice
def test_libreoffice_prints_a_literal_escape_of_the_templates_header_as_written(tmp_path, soffice):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    made = _prefilled(tmp_path)
    printed, _ = lo_printed([made], tmp_path / "pdf", needed=False)[made]
    for n in range(printed.pages):
        text = "".join(w.text for w in printed.words if w.page == n)
        assert _UNIT in text and _PROJECT in text, (n, text[:200])
        assert "x005F" not in text and "&9" not in text, (n, text[:200])
