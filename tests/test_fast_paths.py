"""Shortcuts taken for speed give what the full computation gives.

Each fast path skips work where it cannot change the result (a pattern that cannot match, a value computed once
instead of per call); these tests hold each one to the full computation over generated inputs.
"""

from __future__ import annotations


from hypothesis import example, given, settings
from hypothesis import strategies as st

from xlgoals._form._kinds import (GRADE_DISPLAY, Unreadable, _folded, _split_text, clean_name, clean_text, parse_actual,
                                  parse_grade, split_target)

from .conftest import examples

# What people type into a target or actual cell: digits (also full-width, circled, superscript, other scripts'),
# signs, comparator words, Chinese numerals, units, percent signs, spaces and line breaks, and other text.
_PIECES = st.sampled_from([
    "0", "1", "85", "5,000", "3.5", "１２", "①", "²", "٣", "+", "-", "−", "≥", ">=", "≤", "<", "＞", "=", "不低于", "至少",
    "大于", "低于", "约", "百分之", "九十五", "一百", "零", "〇", "点", "万", "亿", "%", "‰", "％", "人", "人次", "天",
    "以上", "以内", "及以下", "合理", "已完成", "达标", "符合要求", "有效", " ", "\u3000", "\n", "\r\n", "\t", "a", "km/h",
    "m²", "·", "/", "(", ")", "（", "）", "定性"])
_TEXTS = st.lists(_PIECES, max_size=6).map("".join) | st.text(max_size=12)


def _outcome(fn, *args):
    try:
        return ("value", fn(*args))
    except Unreadable as exc:
        return ("unreadable", exc.code, exc.expected)


@settings(max_examples=examples(800, 3000), deadline=None)
@given(_TEXTS)
@example("\xad")  # only a paste's invisible character: no target (hypothesis drew it once)
@example("85\u200b")
def test_split_target_fast_path_is_the_full_one(text):
    """A text with no digit nor sign, ending in no numeral, is a word target without trying the number patterns;
    whatever the text, split_target says what trying every pattern says."""
    raw = clean_text(text)
    if raw is None:
        assert split_target(text) is None
        return
    folded = _folded(raw)  # (without a paste's invisible characters, since mendER: only those is no target)
    if not folded:
        assert split_target(text) is None
        return
    assert _outcome(split_target, text) == _outcome(_split_text, raw, folded, False)


@settings(max_examples=examples(300, 1000), deadline=None)
@given(_TEXTS)
@example("0()")  # an empty bracket: an actual keeps its remark as written (remarks=False), hypothesis drew it once
@example("5（抽查）")
@example("5\u200b")
def test_parse_actual_reads_as_before(text):
    """An actual is a number where the full split reads one without a comparator, else the text as typed."""
    raw = clean_text(text)
    if raw is None:
        assert parse_actual(text) is None
        return
    try:
        folded = _folded(raw)  # (without a paste's invisible characters, since mendER)
        found = _split_text(raw, folded, False, remarks=False) if folded else None
    except Unreadable:
        found = None
    expected = found[2] if found and found[0] == "number" and found[1] is None else raw
    assert parse_actual(text) == expected


def test_word_targets_skip_the_number_patterns():
    """The cases the shortcut is for, and the ones it must still send to the patterns."""
    assert split_target("已完成") == ("text", "已完成")
    assert parse_actual("已完成") == "已完成"
    assert split_target("≥85%") == ("number", ">=", 85, "%")
    assert parse_actual("92%") == 92
    assert _outcome(split_target, "九十五") == ("unreadable", "cell.target_chinese_number", "")
    assert _outcome(split_target, "百分之九十五%") == ("unreadable", "cell.target_chinese_number", "")
    assert _outcome(split_target, "≥-") == ("unreadable", "cell.target", "")  # a sign after a comparator
    assert split_target("①") == ("number", None, 1, None)  # NFKC makes it a digit


_GRADE_TEXTS = st.sampled_from(list(GRADE_DISPLAY.values()) + list(GRADE_DISPLAY)) | st.builds(
    lambda a, b, c: a + b + c, st.sampled_from(["", " ", "\u3000", "\n"]),
    st.sampled_from(list(GRADE_DISPLAY.values()) + ["达成 年度指标", "其他"]), st.sampled_from(["", " ", "\t"]))


@settings(max_examples=300, deadline=None)
@given(_GRADE_TEXTS | st.text(max_size=8))
def test_a_choice_as_the_dropdown_writes_it_reads_as_any_other(text):
    """A 完成等级 exactly as the dropdown writes it is taken at once; whatever is typed, the code read is the one
    its cleaned text names (the display text or the code itself), else the cell is unreadable."""
    s = clean_name(text)
    back = {v: k for k, v in GRADE_DISPLAY.items()}
    if text is None or not text.strip():
        expected = ("value", None)
    elif s in back:
        expected = ("value", back[s])
    elif s in GRADE_DISPLAY:
        expected = ("value", s)
    else:
        expected = ("unreadable", "cell.grade", "、".join(GRADE_DISPLAY.values()))
    assert _outcome(parse_grade, text) == expected
