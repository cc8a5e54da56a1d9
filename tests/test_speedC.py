"""speedC (issue #10 point 4, #11 point 9): work a return's run of the checks did again on every return, done once.

- The bureau's placeholder words (rule.placeholder's ``texts``) are keyed (``placeholder_key``) once in a process,
  not on each return's run of the checks (a self-evaluation keyed them twice a return: the rule's setup and
  ``placeholder_texts``); a text's key drops its spaces by ``str.split`` (the ``\\s`` the pattern dropped, code
  point for code point).
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from xlgoals import validate_file
from xlgoals._check import _rules

from .conftest import EXAMPLES

SELF_EVALUATION = EXAMPLES / "self-evaluation" / "02_促进就业专项资金.xlsx"


def test_the_placeholder_words_are_keyed_once_not_on_every_return(monkeypatch):
    validate_file(SELF_EVALUATION, isolated=False)  # (the words keyed, if ever, here)
    keyed: list = []
    real = _rules.placeholder_key

    def counted(text):
        keyed.append(text)
        return real(text)

    monkeypatch.setattr(_rules, "placeholder_key", counted)
    report = validate_file(SELF_EVALUATION, isolated=False)
    assert report.document is not None
    words = {"无", "暂无", "略", "不适用", "N/A"}  # some of the packaged rule's words
    assert not words & set(keyed), f"{len(keyed)} texts keyed on the second return, the rule's words among them"


# (every space of Unicode is below U+3100; str.split and the pattern's \s were compared over all code points once)
_SPACE_LIKE = st.sampled_from([chr(c) for c in range(0x3100) if chr(c).isspace() or unicodedata.category(chr(c))
                               in ("Zs", "Cc", "Cf")] + ["\u3000", "\u202f", "\u205f", "\ufeff", "\u200b"])
_TEXT = st.lists(st.one_of(_SPACE_LIKE, st.sampled_from(list("无略暂 　。．.；;，,、！!？?：:／/ＮＡna-—") + ["\u00a8"]),
                           st.characters()), max_size=12).map("".join)


def _key_before(text):  # placeholder_key as it was: the spaces dropped by a pattern's \s
    if not isinstance(text, str):
        return ""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    return key.rstrip(_rules._END_PUNCT) or key


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_a_texts_key_is_the_key_the_pattern_gave(text):
    assert _rules.placeholder_key(text) == _key_before(text)


def test_the_words_given_as_any_iterable_are_keyed_alike():
    words = ["无。", " 暂\u3000无 ", "", None, "N/A"]
    expected = frozenset({"无", "暂无", "N/A"})
    assert _rules.placeholder_keys(words) == expected
    assert _rules.placeholder_keys(iter(words)) == expected
    assert _rules.placeholder_keys(words + [["无"]]) == expected  # (a word that is no text, unhashable: left out)


# - A template's docProps/custom.xml, written as our writer writes it, is read by one split (_canonical_properties),
#   not by a parse: the same names and texts as the parser gives; any part written otherwise is parsed.

_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org'
         b'/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
         b'docPropsVTypes">')
_FMTID = b'{D5CDD505-2E9C-101B-9397-08002B2CF9AE}'
_TRICKY = st.lists(st.sampled_from(list("ab 无\t\n\r\"'&<>;#x1]") + ["\x01", "\x7f", "\u00a0", "\ufffe", "\uffff",
                                                                      "\U0001f600", "&amp;", "&#x41;", "]]>"]),
                   max_size=6).map("".join)


def _parsed(part: bytes):
    """_custom_properties_of's answer by the parser (the code before this change), or the problem it raises."""
    from xlgoals._read import _grid

    try:
        return _grid._properties_parsed(part)
    except _grid.FileProblem as exc:
        return ("refused", exc.code)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TRICKY, _TRICKY, st.sampled_from(["lpwstr", "i4"])), max_size=4),
       st.sampled_from([b"", b"\n", b"\r\n", b" ", b"x"]), st.sampled_from(["utf-8", "utf-16-le"]))
def test_a_properties_part_read_without_the_parser_reads_as_parsed(props, tail, codec):
    from xlgoals._read import _grid

    body = b"".join(b'<property fmtid="%s" pid="%d" name="%s"><vt:%s>%s</vt:%s></property>'
                    % (_FMTID, i + 2, name.encode(codec, "surrogatepass"), kind.encode(), text.encode(codec, "surrogatepass"),
                       kind.encode()) for i, (name, text, kind) in enumerate(props))
    part = _HEAD + body + b"</Properties>" + tail
    fast = _grid._canonical_properties(part)
    if fast is not None:
        assert fast == _parsed(part)


def test_a_templates_properties_are_read_without_the_parser(monkeypatch):
    from xlgoals import read
    from xlgoals._read import _grid

    parsed: list = []
    real = _grid.ET.fromstring

    def counted(data, *a, **k):
        parsed.append(data[:300])
        return real(data, *a, **k)

    _grid._custom_properties_of.cache_clear()
    monkeypatch.setattr(_grid.ET, "fromstring", counted)
    result = read(SELF_EVALUATION, isolated=False)
    assert result.document is not None and result.document["targets_sha256"]
    assert not [p for p in parsed if b"custom-properties" in p], "docProps/custom.xml parsed"
    _grid._custom_properties_of.cache_clear()


def test_a_plain_part_is_read_without_the_parser_and_one_written_otherwise_with_it():
    from xlgoals._read import _grid

    prop = b'<property fmtid="%s" pid="2" name="%s"><vt:lpwstr>%s</vt:lpwstr></property>'
    plain = _HEAD + prop % (_FMTID, b"xlgoals_rows", " 2:1a2b3c4d\t\n".encode()) \
        + prop % (_FMTID, "锁定".encode(), '"上海市 单位"'.encode()) + b"</Properties>\r\n"
    assert _grid._canonical_properties(plain) == _parsed(plain) == (("xlgoals_rows", "2:1a2b3c4d"), ("锁定", '"上海市 单位"'))
    for other in (plain.replace(b"\t", b"\r"), plain.replace(b"1a2b", b"&amp;"), plain.replace(b'pid="2"', b"pid='2'"),
                  plain.replace(b"</Properties>", b"</Properties><!-- -->"), plain.replace(b"<vt:lpwstr>", b"<vt:lpwstr >"),
                  plain.replace("上海".encode(), b"\xff"), plain.replace(b"3c4d", "\ufffe".encode())):
        assert _grid._canonical_properties(other) is None


# - A zip's part names are searched by _IRREGULAR_NAME only where one may be irregular (a "\\", "//", "/./", "/..", a
#   "/." ending a name, a name starting with "/" or "."): a workbook's names (_rels/.rels is none), by finds.

@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["/", ".", "..", "\\", "a", "xl", "\n", " ", "_rels", ".rels"]), max_size=6).map("".join),
                max_size=4).map("\n".join))
def test_names_are_told_irregular_as_the_pattern_tells_them(joined):
    from xlgoals._read import _safety

    assert _safety._irregular(joined) == (_safety._IRREGULAR_NAME.search(joined) is not None)


def test_a_workbooks_regular_names_are_not_searched_by_the_pattern(monkeypatch):
    from xlgoals import read
    from xlgoals._read import _safety

    searched: list = []
    real = _safety._IRREGULAR_NAME

    class Counted:
        def search(self, text, *a):
            searched.append(text)
            return real.search(text, *a)

    monkeypatch.setattr(_safety, "_IRREGULAR_NAME", Counted())
    assert read(SELF_EVALUATION, isolated=False).document is not None
    assert searched == []


# - 总分's formula check (_formula_changed of the total line) converts each score once per value (the 分值 split
#   equally and full points repeat), and reads the column's cells without a call per cell: the same total.

def _total_before(values, params):  # self_evaluation._total as it was: dec() of every value
    from xlgoals._decimals import dec, round2

    funds, scores = values
    numbers = [d for d in (dec(v) for v in (funds, *scores)) if d is not None]
    if not numbers:
        return None
    return float(round2(sum(numbers, start=dec(0))))


_SCORE = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, -0.0, 2.22, 1.0, 0.005, 1e300,
                                                                                   float("nan"), float("inf")]),
                   st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=2))


@settings(max_examples=200, deadline=None)
@given(_SCORE, st.lists(_SCORE, max_size=8))
def test_the_total_is_the_total_as_before(funds, scores):
    from xlgoals._form import self_evaluation

    new, old = self_evaluation._total([funds, scores], {}), _total_before([funds, scores], {})
    assert (new, repr(new)) == (old, repr(old))


def test_a_repeated_score_is_converted_once():
    from xlgoals._form import self_evaluation

    self_evaluation._dec_kept.cache_clear()
    assert self_evaluation._total([10.0, [2.22] * 30 + [1.11] * 15], {}) == 93.25
    assert self_evaluation._dec_kept.cache_info().misses == 3
