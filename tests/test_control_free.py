"""A text is told free of control characters (``_text.control_free``) by str.isprintable() where it can: the reader
does not compile ``CONTROL_CHAR`` (some 0.4 ms of every check) for a return that holds none; it says the same as the
pattern for every text."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals._text import CONTROL_CHAR, control_free, printable

from .conftest import EXAMPLES, ROOT, examples

_TEXT = st.text(alphabet=st.one_of(st.sampled_from("甲乙 a1\t\n\r\u00a0\u3000\u2028\u2029\u200b\ufeff\x85\x1b\x00\x7f"
                                                   "\u202a\u202e\u2066\u2069\u2065\u206a\ud800"),
                                   st.characters()), max_size=30)


@settings(max_examples=examples(500, 3000), deadline=None)
@given(_TEXT)
def test_control_free_says_what_the_pattern_says(text):
    assert control_free(text) == (CONTROL_CHAR.search(text) is None)


@settings(max_examples=examples(300, 1000), deadline=None)
@given(_TEXT)
def test_printable_shows_what_it_showed(text):
    import re

    control = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    expected = control.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(0), f"\\u{ord(m.group(0)):04x}"),
                           text)
    assert printable(text) == expected


def test_control_free_and_printable_agree_with_the_pattern_on_every_code_point():
    """Every code point: the whole of what one character can make either fast path say, which the random texts
    above only sample.  A printable character is one neither the pattern nor printable()'s sees (the str.isprintable()
    shortcut); any other is told free as the pattern tells it; and printable() of all of them at once escapes what
    the pattern it keeps finds."""
    import re

    control = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
    every = [chr(cp) for cp in range(0x110000)]
    shown = "".join(ch for ch in every if ch.isprintable())
    assert control_free(shown) and CONTROL_CHAR.search(shown) is None and control.search(shown) is None
    assert printable(shown) == shown
    hidden = [ch for ch in every if not ch.isprintable()]
    found = {m.group(0) for m in CONTROL_CHAR.finditer("".join(hidden))}
    assert [ch for ch in hidden if control_free(ch) == (ch in found)] == []
    whole = "".join(every)
    assert printable(whole) == control.sub(
        lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), whole)


def test_a_check_of_a_return_without_control_characters_does_not_compile_the_pattern():
    path = sorted((EXAMPLES / "returns").glob("*.xlsx"))[1]
    code = ("import sys, xlgoals, xlgoals._text as t; r = xlgoals.validate_file(sys.argv[1], isolated=False); "
            "print(len(r.errors), 'CONTROL_CHAR' in vars(t))")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout.split()
    assert out[1] == "False", out
