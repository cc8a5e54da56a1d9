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

