"""An xlgoals output is known by its document property however the writer spells the value's element."""
import zipfile

from xlgoals._read._screen import xlgoals_output


def _custom(value_element: str) -> bytes:
    return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties">'
            '<property name="xlgoals_output" fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2">'
            f'{value_element}</property></Properties>').encode()


def test_annotated_property_as_openpyxl_writes_it_is_known_without_the_fallbacks():
    # openpyxl (which writes the annotated copies) gives the value element its namespace declaration; no
    # 问题清单 sheet and no XLGOALS| stamp here, so only the property can tell
    vt = '<vt:lpwstr xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">annotated</vt:lpwstr>'
    assert xlgoals_output({"docProps/custom.xml": _custom(vt)}) == ("问题标注副本", "an annotated copy")
    assert xlgoals_output({"docProps/custom.xml": _custom("<vt:lpwstr>summary</vt:lpwstr>")}) == \
        ("汇总工作簿", "a summary workbook")
    assert xlgoals_output({"docProps/custom.xml": _custom("<vt:lpwstrx>annotated</vt:lpwstrx>")}) is None


def test_a_real_annotated_copy_carries_the_property_the_screen_reads(tmp_path):
    from pathlib import Path

    from xlgoals import validate_file
    from xlgoals._check._annotate import annotate

    src = Path(__file__).resolve().parent.parent / "examples" / "received" / "某局_某项目.xlsx"
    copy = annotate(validate_file(str(src)), tmp_path)
    with zipfile.ZipFile(copy) as z:
        parts = {"docProps/custom.xml": z.read("docProps/custom.xml")}  # the property alone
    assert xlgoals_output(parts) == ("问题标注副本", "an annotated copy")
