"""How text prints in a form's cells: the metrics the writer sizes rows and fonts by, and by which the reader
tells a department that a text cannot print whole (Excel and WPS stop a row at 409 pt)."""

from __future__ import annotations

import re
from functools import lru_cache

MAX_ROW_HEIGHT = 409  # points: Excel's (and WPS's) limit for one row
DEFAULT_ROW_HEIGHT = 13.5  # points: a row the file gives no height, at its lowest (Excel's and WPS's for 宋体 11 pt)
FONT_SIZE = 11  # points: the size of every cell's text (the caption's is 10)
SMALLEST_FONT = 7  # points: the smallest a text is shrunk to, to print whole within one row
#: points: a row lower than this prints no text legibly (not the smallest text a cell is shrunk to): the reader takes
#: a row of a height below it as hidden (a height of 0, +0, 1e-9 or 1 pt: cell.hidden_row where it holds something)
LEGIBLE_HEIGHT = SMALLEST_FONT
#: points: the width of one character, Excel's unit of a column's width (a '0' of 宋体 11 pt: 8 pixels, in Excel and
#: WPS); what a width given as a length (an .ods's 0.2cm) is counted in characters by
CHARACTER_POINTS = 6
#: characters: a column narrower than this prints no character whole: the reader takes a column of a width below it
#: as hidden (a width of 0, +0, 1e-9 or 0.1: cell.hidden_column where it holds something), as rows by LEGIBLE_HEIGHT
LEGIBLE_WIDTH = 1
LINE = 14.5  # points: one wrapped line of 11 pt text
_PADDING = 8  # points above and below a cell's lines
#: ... and above and below one line: 18 pt at 11 pt, what a row of one line needs in LibreOffice (17.2 pt where it
#: draws 宋体 with Noto Sans CJK, as here) and in Excel and WPS (14.25 pt with 宋体); a row of several lines keeps the
#: full padding, as LibreOffice's lines (15.7 pt here) are taller than LINE.
_ONE_LINE_PADDING = 3.5


#: The share of a column's width a bold text gets, against the same text not bold (宋体 has no bold face: clients
#: embolden it, a little wider): a bold label or heading is measured in a column this much narrower.
BOLD = 0.9


def _per_line(width: float, size: float, base: float = FONT_SIZE) -> int:
    """The units one line holds in a column `width` characters wide, at `size` (a '0' is one, a CJK character two);
    `base`: the size of the workbook's default font, whose '0' the width counts (11 pt in the forms, 10 in the
    summaries)."""
    return max(1, int(width * 0.95 * base / size))


def needed_lines(text, width: float, size: float = FONT_SIZE, base: float = FONT_SIZE) -> int:
    """The lines a text wraps to in a column `width` characters wide, at `size` (`base`: as _per_line)."""
    per_line = _per_line(width, size, base)
    lines = 0
    for para in str(text).split("\n"):
        units = text_units(para)
        lines += max(1, -(-units // per_line))
    return lines


#: The characters below U+2E80 (where the CJK blocks begin; every character from there on counts as wide) that 宋体
#: draws full width, as wide as a Chinese character: two units where a '0' is one.  宋体 draws every symbol of
#: GB2312 full width; LibreOffice draws “ ” ‘ ’ — … ℃ ≥ → ① □ full width too (Noto Sans CJK, on the test machine), and
#: × ÷ ± a third wider than a '0' (DejaVu Sans).  Counted as one unit, a text of them was given too few lines, and its
#: row printed cut off.  A character that is not listed (Latin letters, digits, ASCII punctuation, € ...) counts one.
#: Each entry: (first, last, what).
WIDE_BELOW_CJK = (
    ("\u00a7", "\u00a8", "§ ¨"),
    ("\u00b0", "\u00b1", "° ±"),
    ("\u00b7", "\u00b7", "· (middle dot)"),
    ("\u00d7", "\u00d7", "×"),
    ("\u00f7", "\u00f7", "÷"),
    ("\u02c7", "\u02c9", "ˇ ˉ (tone marks)"),
    ("\u0391", "\u03c9", "Greek letters (GB2312 row 6)"),
    ("\u0401", "\u0451", "Cyrillic letters (GB2312 row 7)"),
    ("\u2010", "\u2027", "dashes — ―, quotes ‘ ’ “ ”, bullet •, ellipsis …"),
    ("\u2030", "\u203b", "‰ ′ ″ ※"),
    ("\u2100", "\u2e7f", "letterlike ℃ №, number forms Ⅰ ⅰ, arrows, math ≥ ≤ ≠, enclosed ① ⑴ ⒈, box drawing, shapes "
                         "□ ○ △, symbols ★, dingbats ✓, CJK-adjacent punctuation"),
)


def _narrow_class(wide) -> str:
    """A regular expression character class of the characters below U+2E80 that `wide` leaves out."""
    parts, start = [], 0
    for first, last, _ in sorted(wide):
        if ord(first) > start:
            parts.append(f"\\u{start:04x}-\\u{ord(first) - 1:04x}")
        start = ord(last) + 1
    if start < 0x2E80:
        parts.append(f"\\u{start:04x}-\\u2e7f")
    return "[" + "".join(parts) + "]+"


@lru_cache(maxsize=None)
def narrow() -> re.Pattern:
    """The characters below U+2E80 of one unit (what is left is counted in C), compiled when first needed: a class
    of some 8,000 characters, whose compiling costs more than reading a return (and most texts never need it)."""
    return re.compile(_narrow_class(WIDE_BELOW_CJK))


_BELOW_CJK = re.compile("[\u0080-\u2e7f]")  # the characters past ASCII that WIDE_BELOW_CJK tells apart


def text_units(text: str) -> int:
    """A text's width on one line, in units: a '0' one, a Chinese character, and every character WIDE_BELOW_CJK
    lists, two.  The forms' rows and the summaries' columns and rows are measured by it.  Cheap where text is
    ASCII (told in O(1)) or ASCII and CJK only (one search and one encoding, in C): every character past ASCII
    is then a wide one; only a text of characters between (× ± ° α “ € ...) is matched against the table."""
    if text.isascii():
        return len(text)
    n = len(text)
    if _BELOW_CJK.search(text) is None:
        return 2 * n - len(text.encode("ascii", "ignore"))
    return n + len(narrow().sub("", text))


def needed_height(text, width: float, size: float = FONT_SIZE, base: float = FONT_SIZE) -> float:
    """The height (points) a wrapped text needs to print whole in a column `width` characters wide, at `size`
    (`base`: as _per_line)."""
    return lines_height(needed_lines(text, width, size, base), size)


def fitted_size(text, width: float, base: float = FONT_SIZE) -> tuple[float, float]:
    """(size, height needed at it): the largest size, from `base` (the column's font, as _per_line) down in half
    points to SMALLEST_FONT, at which a wrapped text prints whole within one row (MAX_ROW_HEIGHT) in a column `width`
    characters wide; SMALLEST_FONT, with a height beyond the row's, where none does."""
    size, needed = base, needed_height(text, width, base, base)
    while size > SMALLEST_FONT and needed > MAX_ROW_HEIGHT:
        size -= 0.5
        needed = needed_height(text, width, size, base)
    return size, needed


def lines_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height (points) of a row of `lines` wrapped lines of text at `size`."""
    return lines * LINE * size / FONT_SIZE + (_PADDING if lines > 1 else _ONE_LINE_PADDING)


def _lines(width: float, size: float = SMALLEST_FONT) -> tuple[int, int]:
    """(units per line, lines per row) at `size` (the smallest font unless told), in a column `width` wide."""
    return (_per_line(width, size),
            int((MAX_ROW_HEIGHT - _PADDING) / (LINE * size / FONT_SIZE)))


def prints_whole(text: str, width: float) -> bool:
    """Whether a text can print whole in one row of a column `width` wide: at the smallest font xlgoals uses, within
    the row limit (a text beyond it is cut on paper, whatever its font)."""
    if _at_most_lines(text, width, SMALLEST_FONT) <= _lines(width)[1]:
        return True  # even were every character a wide one (the usual case, told without counting them)
    return needed_height(text, width, SMALLEST_FONT) <= MAX_ROW_HEIGHT


def capacity(width: float, size: float = SMALLEST_FONT) -> int:
    """About how many Chinese characters (one paragraph) print whole in one row of a column `width` wide, at `size`
    (the smallest font unless told)."""
    per_line, lines = _lines(width, size)
    return per_line // 2 * lines


def row_capacity(width: float) -> int:
    """About how many Chinese characters (one paragraph) print whole at FONT_SIZE in one row of Excel's and WPS's
    limit (MAX_ROW_HEIGHT) in a column `width` wide, as needed_height counts them, whole characters a line; rounded
    down to ten: what a guide tells a department before it types (monitoring's 填表说明 七)."""
    return capacity(width, FONT_SIZE) // 10 * 10


#: How many more lines a text may need than its row has room for (at LINE a line) before a reader says it is cut
#: on paper.  The line count above is the writer's, made generous so that what it sizes prints whole: a row
#: LibreOffice grows to fit its text is 7-12 % lower (measured on self-evaluation narratives of 60-1,000
#: characters), and one line shows in a row of any height it is typed into (LibreOffice makes it 17 pt).
ROW_SLACK = 1.2


def _at_most_lines(text: str, width: float, size: float = FONT_SIZE) -> int:
    """A bound on needed_lines, told without counting characters: every character taken for a wide one."""
    return -(-2 * len(text) // _per_line(width, size)) + text.count("\n") + 1


def one_line(text: str, width: float) -> bool:
    """Whether a text surely takes one line at the normal size (shown in a row of any height)."""
    return "\n" not in text and 2 * len(text) <= _per_line(width, FONT_SIZE)


def row_holds(text: str, width: float, height: float, size: float = FONT_SIZE) -> bool:
    """Whether a wrapped text at `size` shows whole in a row `height` points tall of a column `width` wide (give or
    take ROW_SLACK)."""
    room = height / (LINE * size / FONT_SIZE) * ROW_SLACK
    if _at_most_lines(text, width, size) <= room:
        return True
    lines = needed_lines(text, width, size)
    return lines == 1 or lines <= room
