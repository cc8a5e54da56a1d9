"""perfBP: the read path's searches made cheaper, with the same answers.

_safety._after (is a rare byte ever preceded by another: "&#", "<!", "<?" of a sheet or part) looks for the rare
byte alone (memchr) and its first few occurrences, then for the pair: the same answer as one search for the pair,
and still a bounded number of searches for a part of 200,000 "!" (red team 24d F03).
"""

from __future__ import annotations

import itertools

import pytest

from xlgoals._read._safety import _after, xml_declares_dtd


def _pair(xml: bytes, first: bytes, before: int, start: int = 0) -> bool:
    """The definition: one search for the pair, from the byte before `start`."""
    return xml.find(bytes((before,)) + first, max(start - 1, 0)) >= 0


_CASES = [b"", b"!", b"<", b"<!", b"!<", b"a<!", b"!!!!!!!!<!", b"<" + b"!" * 9 + b"<!", b"!" * 20,
          b"<?xml?>", b"<?xml?><?pi?>", b"x!" * 3 + b"<!", b"!x" * 8 + b"<!" + b"!" * 3, b"&#", b"#&#", b"&&##"]


@pytest.mark.parametrize("xml", _CASES)
def test_after_is_the_pair_search(xml):
    for first, before in ((b"!", 0x3C), (b"?", 0x3C), (b"#", 0x26)):
        for start in range(0, len(xml) + 2):
            assert _after(xml, first, before, start) == _pair(xml, first, before, start), (xml, first, start)


def test_after_every_short_text():
    for n in range(0, 9):
        for t in itertools.product(b"<!x", repeat=n):
            xml = bytes(t)
            for start in (0, 1, 2):
                assert _after(xml, b"!", 0x3C, start) == _pair(xml, b"!", 0x3C, start), (xml, start)


class _Counted(bytes):
    """Bytes that count the searches made in them."""

    calls = 0

    def find(self, *args):
        type(self).calls += 1
        return super().find(*args)


@pytest.mark.parametrize("tail", [b"", b"<!DOCTYPE x>"])
def test_after_searches_a_bounded_number_of_times(tail):
    _Counted.calls = 0
    xml = _Counted(b"<a>" + b"!" * 200_000 + b"</a>" + tail)
    assert _after(xml, b"!", 0x3C) is bool(tail)
    assert _Counted.calls <= 8  # a few searches, not one per "!" (red team 24d F03)


def test_dtd_found_after_many_bangs():
    assert xml_declares_dtd(b'<?xml version="1.0"?>' + b"<a>" + b"!" * 50 + b"</a>" + b"<!ENTITY x 'y'>")
    assert not xml_declares_dtd(b'<?xml version="1.0"?><a>' + b"!" * 50 + b"</a>")
