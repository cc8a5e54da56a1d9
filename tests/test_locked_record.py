"""The template's record of what it locked (its document properties) deleted: said, not passed over in silence."""

import re
import zipfile

from xlgoals import prefill_templates, validate_file

from .conftest import EXAMPLES
from .helpers import F, info_cell


def _without_properties(src, dst, pattern: bytes):
    """A copy of a workbook without the custom document properties whose names match `pattern`."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    custom = parts["docProps/custom.xml"]
    parts["docProps/custom.xml"], n = re.subn(rb'<property [^>]*name="' + pattern + rb'"[^>]*>.*?</property>', b"",
                                              custom, flags=re.S)
    assert n
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return dst


def test_deleted_locked_value_properties_are_reported_at_the_workbook(tmp_path):
    """A prefilled template keeps each locked value (单位, 项目, 预算 …) in an xlgoals_locked.* property; with those
    deleted (File › Properties › Custom) a locked value typed over passed without a word.  A warning at the
    workbook says how many the template kept and how many are left."""
    made = prefill_templates(EXAMPLES / "projects.csv", tmp_path / "下发", year=2020)
    src = sorted(made.written)[3]
    assert not [p for p in validate_file(src).problems if p.code == "template.locked_record_missing"]
    with zipfile.ZipFile(src) as z:
        kept = len(re.findall(rb'name="xlgoals_locked\.', z.read("docProps/custom.xml")))
    assert kept >= 3
    for pattern, left in ((rb"xlgoals_locked\.[^\"]*", 0), (rb"xlgoals_locked\.unit", kept - 1)):
        bad = _without_properties(src, tmp_path / f"删除{left}.xlsx", pattern)
        (found,) = [p for p in validate_file(bad).problems if p.code == "template.locked_record_missing"]
        assert (found.severity, found.sheet, found.cell) == ("warning", "", "")
        assert f"记录了 {kept} 项锁定的内容以供核对，现只剩 {left} 项" in found.message, found.message
        assert f"recorded {kept} locked values for checking and {left} remain" in found.message_en


def test_a_blank_template_has_no_record_to_miss(tmp_path):
    from xlgoals import write_template

    path = write_template(tmp_path / "空白.xlsx", framework="shanghai-2020", year=2020)
    assert not [p for p in validate_file(path).problems if p.code == "template.locked_record_missing"]
