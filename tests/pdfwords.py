"""What a printed PDF shows: its words with their boxes (``pdftotext -bbox``), and whether a cell's text is on
the page whole.

A cell's text may wrap over several lines, and the cells beside it wrap too, so the PDF's reading order
interleaves them.  ``find`` therefore follows the text word by word: the next part is either to the right on
the same line or on a following line within the same column (its box overlaps the first part's across), as a
wrapped cell prints.  A text cut off at the page edge is not found.  A text clipped by its cell (a row too low
for it) is: LibreOffice writes the whole text and a clip path, and pdftotext reads all of it; what a row shows is
told by the height it prints at (lo_print's ``heights``) against the height its text needs.
"""

from __future__ import annotations

import bisect
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_NS = "{http://www.w3.org/1999/xhtml}"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Word:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class Printed:
    words: list[Word]
    pages: int
    widths: list[float]  # each page's width

    @classmethod
    def of(cls, pdf) -> Printed:
        xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
        root = ET.fromstring(xml)
        words, widths = [], []
        for n, page in enumerate(root.iter(_NS + "page")):
            widths.append(float(page.get("width")))
            for w in page.iter(_NS + "word"):
                words.append(Word(n, w.text or "", float(w.get("xMin")), float(w.get("yMin")),
                                  float(w.get("xMax")), float(w.get("yMax"))))
        return cls(words, len(widths), widths)

    def __post_init__(self):
        self._by_page = [sorted((w for w in self.words if w.page == n), key=lambda w: w.y0) for n in range(self.pages)]
        self._ys = [[w.y0 for w in ws] for ws in self._by_page]

    @property
    def text(self) -> str:
        return "".join(w.text for w in self.words)

    def off_page(self) -> list[Word]:
        """Words that run past the left or right edge of their page (cut off when printed)."""
        return [w for w in self.words if w.x0 < -0.5 or w.x1 > self.widths[w.page] + 0.5]

    def find(self, text: str) -> bool:
        """Whether `text` (spaces ignored) is printed whole, as one cell prints it."""
        target = _SPACE.sub("", text)
        if not target:
            return True
        starts = [w for w in self.words if w.text and (target.startswith(w.text) or w.text.startswith(target))]
        return any(self._follow(target, w, w) for w in starts)

    def _follow(self, target: str, first: Word, word: Word) -> bool:
        if word.text.startswith(target):
            return True
        rest = target[len(word.text):]
        line = word.height
        for nxt in self._after(word):
            same_line = abs(nxt.y0 - word.y0) < line * 0.3 and 0 <= nxt.x0 - word.x1 < line * 3
            below = (0 < nxt.y0 - word.y0 < line * 1.8 and nxt.x0 < first.x1 + line and nxt.x1 > first.x0 - line)
            if (same_line or below) and nxt.text and (rest.startswith(nxt.text) or nxt.text.startswith(rest)):
                if self._follow(rest, first, nxt):
                    return True
        return False

    def _after(self, word: Word):
        """Words from just above `word`'s top to two lines below it, on its page."""
        ws, ys = self._by_page[word.page], self._ys[word.page]
        lo = bisect.bisect_left(ys, word.y0 - 1)
        hi = bisect.bisect_right(ys, word.y0 + 2 * word.height)
        return (w for w in ws[lo:hi] if w is not word)
