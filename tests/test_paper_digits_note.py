"""The summary's note on amounts beyond 15 digits, printed: the options it tells the reader to add (--csv, --json)
print whole on one line, whatever the width of the table the note spans."""

import shutil
import subprocess
from decimal import Decimal

import pytest

from xlgoals._atomic import Outputs
from xlgoals._consolidate._render import RENDERERS
from xlgoals._consolidate._table import Col, Table, digits_note

from .conftest import lo_printed
from .helpers import ooxml_errors

#: widths of the 单位 column at which LibreOffice ended a printed line of the note with "--", its "csv" or "json"
#: starting the next (the note ran on after "不准确；" and the options fell where the line was full)
SPLIT_AT = (20, 22, 66, 73)


def _tables():
    rows = [[1, "甲", Decimal("12345678901234.56")], [2, "乙", Decimal("1.5")]]
    return [Table(f"宽{w}", f"w{w}", [Col("序号", 5), Col("单位", w), Col("金额", 18, "money")],
                  lambda: iter(rows), len(rows)) for w in SPLIT_AT]


def test_the_how_to_of_the_digits_note_is_a_line_of_its_own():
    """With no CSV or JSON written, the note says how to have them on a line of its own: the options stand at the
    start of a line, so that a line of the note never ends inside them."""
    (table,) = _tables()[:1]
    note = digits_note(table, {})
    said, how = note.split("\n")
    assert "--" not in said and how.startswith("如需准确金额，请加 --csv 或 --json"), note
    assert "\n" not in digits_note(table, {}, ("CSV",))  # pointing to an output written: no option to name


@pytest.mark.soffice
def test_the_options_in_the_printed_digits_note_are_never_split_across_lines(tmp_path, soffice):
    """Printed through LibreOffice at widths where the note's line ended with "--" (its "csv" or "json" on the next
    line: a reader types "--" and "csv" apart, or reads "csv" as a word), every printed line that names an option
    names it whole, and both options are printed."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    out = tmp_path / "s.xlsx"
    with Outputs() as outputs:
        RENDERERS["xlsx"](_tables(), {}, out, outputs)
    assert ooxml_errors(out) == []
    lo_printed([out], tmp_path / "printed", needed=False)
    pdf = tmp_path / "printed" / "s.pdf"
    for page in range(1, len(SPLIT_AT) + 1):
        text = subprocess.run(["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        lines = [line.strip() for line in text.splitlines()]
        assert any("--csv" in line for line in lines) and any("--json" in line for line in lines), (page, text)
        broken = [line for line in lines if line.endswith("-") or line.startswith(("csv", "json"))]
        assert not broken, (page, broken)
