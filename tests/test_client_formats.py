"""Returns saved by programs and in formats the templates were not issued in: each is read as the return it is,
or refused with a message that says what the file is and what to do (save it as .xlsx), never a wrong value."""

import re
import zipfile
from pathlib import Path

import pytest

from xlgoals import read, validate

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, load

GOOD = EXAMPLE_XLSX[0]

# ECMA-376 Part 1, Strict conformance: the namespaces and relationship types Excel writes for
# "Strict Open XML Spreadsheet" (the package's own OPC namespaces and the core-properties type stay).
STRICT = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
          (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
           b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
           b"http://purl.oclc.org/ooxml/officeDocument/customProperties"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
           b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes")]


def rewrite(src: Path, dst: Path, edit) -> Path:
    """A copy of the workbook with each part passed through edit(name, bytes) -> bytes."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, edit(info.filename, zin.read(info.filename)))
    return dst


def strict(src: Path, dst: Path) -> Path:
    """The return as Excel saves it as "Strict Open XML Spreadsheet"."""
    def edit(name, data):
        if name.endswith((".xml", ".rels")):
            for old, new in STRICT:
                data = data.replace(old, new)
            if name == "xl/workbook.xml":
                data = re.sub(rb"<workbook\b", b'<workbook conformance="strict"', data, count=1)
        return data
    return rewrite(src, dst, edit)


def test_a_strict_open_xml_return_reads_as_the_return(tmp_path):
    out = strict(GOOD, tmp_path / "严格.xlsx")
    assert b"purl.oclc.org" in zipfile.ZipFile(out).read("xl/workbook.xml")
    result = read(out)
    assert result.problems == [] and result.format == "xlsx"
    assert result.document == load(EXAMPLE_JSON[0])
    assert result.sources == read(GOOD).sources


def test_a_failing_strict_return_gets_no_empty_annotated_copy(tmp_path):
    """openpyxl reads no cell of a Strict file: the annotated copy held the problem list alone, every sheet of
    the return lost, with openpyxl's warnings on the terminal.  Now the line says why there is no copy and what
    to do; nothing is written for it."""
    from .conftest import cli

    received = Path(__file__).parent.parent / "examples" / "received" / "某局_某项目.xlsx"
    out = strict(received, tmp_path / "某局_某项目.xlsx")
    result = cli("validate", out, "--annotate", tmp_path / "退回")
    assert result.exit_code == 1 and "万元" in result.output
    assert "Strict Open XML" in result.stderr and "另存为" in result.stderr, result.stderr
    assert "UserWarning" not in result.stderr
    assert not (tmp_path / "退回").exists() or not list((tmp_path / "退回").iterdir())
    en = cli("validate", "--lang", "en", out, "--annotate", tmp_path / "退回")
    assert "Strict Open XML" in en.stderr and "save it" in en.stderr, en.stderr
