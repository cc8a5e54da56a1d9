"""The cell formats of a laid-out form: input cells open and tinted, labels and fixed values locked and grey,
text cells formatted as text, amounts and dates as such.  A kind's style and whether the cell is locked pick one."""

from __future__ import annotations

FONT = "宋体"
CAPTION_SIZE = 10  # points: the line naming the unit and the project above a table
_GRAY = "#F2F2F2"
_INPUT = "#FFFFF0"
_LOCKED_VALUE = "#EDEDED"


class _Formats:
    def __init__(self, wb):
        self._wb, self._props, self._sized = wb, {}, {}
        add = wb.add_format
        wb = _Recording(add, self._props)
        base = {"font_name": FONT, "font_size": 11, "valign": "vcenter", "border": 1, "text_wrap": True}
        self.title = wb.add_format({"font_name": FONT, "font_size": 16, "bold": True, "align": "center",
                                    "valign": "vcenter"})
        self.subtitle = wb.add_format({"font_name": FONT, "font_size": 11, "align": "center", "valign": "vcenter"})
        self.caption = wb.add_format({"font_name": FONT, "font_size": CAPTION_SIZE, "valign": "vcenter", "text_wrap": True})
        self.label = wb.add_format({**base, "bold": True, "bg_color": _GRAY, "locked": True})
        self.header = wb.add_format({**base, "bold": True, "bg_color": _GRAY, "align": "center", "locked": True})
        self.text = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT})
        self.longtext = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT,
                                       "valign": "top"})
        self.center_text = wb.add_format({**base, "locked": False, "num_format": "@", "bg_color": _INPUT,
                                          "align": "center"})
        self.date = wb.add_format({**base, "locked": False, "num_format": "yyyy-mm-dd", "bg_color": _INPUT,
                                   "align": "left"})
        self.amount = wb.add_format({**base, "locked": False, "num_format": "#,##0.00", "bg_color": _INPUT})
        self.number = wb.add_format({**base, "locked": False, "num_format": "General", "bg_color": _INPUT})
        self.fixed = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "num_format": "@"})
        self.fixed_date = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE,
                                         "num_format": "yyyy-mm-dd", "align": "left"})
        self.fixed_amount = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE,
                                           "num_format": "#,##0.00"})
        self.fixed_center = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "align": "center"})
        self.stamp = wb.add_format({"font_name": FONT, "font_size": 8, "font_color": "#808080", "locked": True,
                                    "num_format": "@"})
        self.area = wb.add_format({**base, "locked": True})  # white: the seal goes on paper
        self.guide = wb.add_format({"font_name": FONT, "font_size": 11, "text_wrap": True, "valign": "top"})
        self.guide_title = wb.add_format({"font_name": FONT, "font_size": 14, "bold": True})
        self.fixed_number = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE})
        self.fixed_pct = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "num_format": "0.00%",
                                        "align": "center"})
        self.fixed_score = wb.add_format({**base, "locked": True, "bg_color": _LOCKED_VALUE, "num_format": "0.00",
                                          "bold": True, "align": "center"})
        self._by_style = {
            ("text", False): self.text, ("text", True): self.fixed,
            ("longtext", False): self.longtext, ("longtext", True): self.fixed,
            ("center", False): self.center_text, ("center", True): self.fixed,
            ("date", False): self.date, ("date", True): self.fixed_date,
            ("amount", False): self.amount, ("amount", True): self.fixed_amount,
            ("number", False): self.number, ("number", True): self.fixed_number,
            ("fixed", False): self.fixed_center, ("fixed", True): self.fixed_center,
            ("pct", False): self.fixed_pct, ("pct", True): self.fixed_pct,
            ("score", False): self.fixed_score, ("score", True): self.fixed_score,
        }

    def of(self, style: str, locked: bool):
        """The cell format of a kind's style, open for input or locked."""
        return self._by_style[(style, locked)]

    def sized(self, cell_fmt, size: float):
        """`cell_fmt` with a smaller font (for a text too long to print whole at the normal size); the same
        format when `size` is the normal one."""
        if size >= self._props[id(cell_fmt)].get("font_size", 11):
            return cell_fmt
        key = (id(cell_fmt), size)
        if key not in self._sized:
            self._sized[key] = self._wb.add_format({**self._props[id(cell_fmt)], "font_size": size})
        return self._sized[key]


class _Recording:
    """A workbook's add_format that remembers each format's properties (to derive a smaller-font copy)."""

    def __init__(self, add, props: dict):
        self._add, self._props = add, props

    def add_format(self, properties: dict):
        made = self._add(properties)
        self._props[id(made)] = dict(properties)
        return made


