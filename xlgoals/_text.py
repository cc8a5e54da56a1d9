"""Text that is safe to show: no terminal control sequences, file names that print whatever their bytes."""

from __future__ import annotations

import os
import re
import unicodedata

# (compiled on first use, by re.compile's own cache: a text str.isprintable() passes holds none of them, and most
# texts shown do; compiling it costs every run some 0.2 ms)
_CONTROL = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
_SURROGATE = re.compile(r"[\udc80-\udcff]")
# Unicode's Default_Ignorable_Code_Point: characters that show nothing (zero-width spaces, joiners, direction marks,
# variation selectors, fillers, tags); two names that differ only by them look the same
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]")
_SPACE = re.compile(r"\s+")
#: Control characters no template or return should hold (schema.control_char): NUL, ESC and the other C0 and C1
#: controls but tab and line breaks, DEL, the bidirectional embeddings, overrides and isolates: invisible or garbling
#: in a cell, a terminal, a file's name.  The one list ``CONTROL_CHAR`` is made from.
_CONTROL_RANGES = ((0x00, 0x08), (0x0b, 0x0c), (0x0e, 0x1f), (0x7f, 0x9f), (0x202a, 0x202e), (0x2066, 0x2069))
_CONTROL_PATTERN = "[" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in _CONTROL_RANGES) + "]"


#: Characters str.isprintable() refuses that texts typed in a return often hold and CONTROL_CHAR does not: line
#: breaks, tabs, the no-break and ideographic spaces (control_free takes them out before asking it again).
_COMMON_UNPRINTABLE = ("\n", "\r", "\t", "\u00a0", "\u3000")


def control_free(text: str) -> bool:
    """Whether `text` holds no character of CONTROL_CHAR, told by str.isprintable() where it can (each of them is
    a Cc or Cf character: none printable), so that most runs never compile the pattern; asked of the pattern only
    where the text holds another unprintable character than those most texts hold (_COMMON_UNPRINTABLE)."""
    if text.isprintable():
        return True
    for ch in _COMMON_UNPRINTABLE:
        if ch in text:
            text = text.replace(ch, "")
    return text.isprintable() or _control_char().search(text) is None


def _control_char():
    pattern = globals().get("CONTROL_CHAR")
    return pattern if pattern is not None else __getattr__("CONTROL_CHAR")


def __getattr__(name: str):
    """``CONTROL_CHAR``, compiled on first use (fill's import; the reader asks control_free first, and compiles it
    only for a text that may hold one): a command that reads no text, as ``--help``, does not pay the compile (some
    0.4 ms), nor does a check of a return that holds none."""
    if name == "CONTROL_CHAR":
        globals()[name] = pattern = re.compile(_CONTROL_PATTERN)
        return pattern
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def escape_controls(text: str) -> str:
    """`text` with each character of CONTROL_CHAR written as its escape (``\\u001b``), as the terminal, JSON, CSV and
    the annotated copy show a control character a return's cell may hold (ESC, NUL, a bidi override): no escape
    sequence is run, no text reordered around it.  Line breaks and tabs are kept.  Told by control_free first, so
    that most texts neither compile nor run the pattern."""
    if control_free(text):
        return text
    return _control_char().sub(escaped, text)


def escaped(m) -> str:
    """The escape (``\\u001b``) of the control character a match of CONTROL_CHAR found, as escape_controls writes it."""
    return f"\\u{ord(m.group()):04x}"


def printable(text) -> str:
    """Control characters (escape sequences, newlines, bidi overrides) shown as escapes, never sent raw."""
    s = "" if text is None else str(text)
    if s.isprintable():  # each of _CONTROL's characters is a Cc, Cf, Zl or Zp: none printable
        return s
    control = re.compile(_CONTROL)
    if not control.search(s):
        return s
    return control.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), s)


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date_or_blank(value) -> str:
    """A 填报日期 as the duplicate rule ranks it: an ISO date (as read), else "" (none, or text that is no date),
    which ranks lowest."""
    return value if isinstance(value, str) and _ISO_DATE.fullmatch(value) else ""


def display_path(path) -> str:
    """A file name as text: names that are not UTF-8 (GBK from a Windows archive) are decoded as GB18030, each
    part of the path on its own (a GBK name in a folder whose name is UTF-8 keeps both readable)."""
    s = str(path)
    if _SURROGATE.search(s):
        s = "/".join(_decoded(part) if _SURROGATE.search(part) else part for part in s.split("/"))
    return printable(s)


#: What follows a path on the terminal whose name is not UTF-8 (shown_path): `某局_某项目.xlsx` unzipped from a Windows
#: archive (GBK) beside `某局_某项目.xlsx` saved from mail are two files; the reports' path bytes tell them apart for
#: scripts, this the clerk.  zh, en.
NOT_UTF8 = ("（文件名非 UTF-8 编码）", " (name not in UTF-8)")


def shown_path(path, lang: str = "zh") -> str:
    """``display_path`` for a line the clerk reads (the terminal, the text report): a name that is not UTF-8 is
    followed by NOT_UTF8, so that it is not taken for the same name in UTF-8 (the tables keep display_path and give
    the exact bytes beside it)."""
    shown = display_path(path)
    return shown + NOT_UTF8[lang == "en"] if _SURROGATE.search(str(path)) else shown


def display_name(path) -> str:
    """The file's own name (no folders) as text, as ``display_path`` shows it: a summary's 来源文件 column."""
    return display_path(os.path.basename(os.fspath(path)))


def readable_name(part: str) -> str:
    """One name (no folders) as ``display_path`` reads it: a GBK name decoded, for a name made from it (an
    annotated copy's) to be UTF-8 as the rest of it."""
    return _decoded(part) if _SURROGATE.search(part) else part


def _decoded(part: str) -> str:
    """A part of a name that is not UTF-8: GB18030 where it is that, else as UTF-8 or GB18030 reads more of it,
    each byte neither reads shown as \\xff: two names that differ in those bytes (or in what reads) stay two."""
    raw = part.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        pass
    gbk, utf8 = raw.decode("gb18030", "backslashreplace"), raw.decode("utf-8", "backslashreplace")
    return gbk if gbk.count("\\x") <= utf8.count("\\x") else utf8


def invisible_stripped(text: str) -> str:
    """`text` without its invisible characters (zero-width spaces, direction marks, soft hyphens, a BOM): what a
    web or WeChat paste leaves in a cell.  Told first by str.isascii() and one search, so that a text holding none
    (nearly all) costs no more and comes back as it is."""
    if text.isascii() or _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub("", text)


def pasted_stripped(text: str) -> str:
    """`text` without the invisible characters a paste leaves, asked of invisible_stripped only when
    str.isprintable() refuses it (each of them is a format character), so that a plain text costs one scan in C; a
    printable one (a Hangul filler, a variation selector) in a text holding no format character is left, where
    invisible_stripped would drop it."""
    return text if text.isprintable() else invisible_stripped(text)


def invisible_shown(text) -> str:
    """`text` with its invisible characters shown as escapes (``\\u200b``): spellings that differ only by them, a
    value quoted in a message that would look valid otherwise (“85\\u200b”, not “85”).  A text holding none (told
    as ``invisible_stripped`` tells it) comes back as it is."""
    text = str(text)
    if text.isascii() or _INVISIBLE.search(text) is None:
        return text
    return _INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def as_spelt(name) -> str:
    """A name as typed, to be shown (a unit's spelling in a summary): no invisible characters, each run of white
    space one space, trimmed; full- and half-width kept as typed (``canonical`` folds them, for matching)."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", str(name or ""))).strip()


def canonical(name) -> str:
    """The form of a name that duplicates are matched on: NFKC, no invisible characters, folded spaces."""
    return as_spelt(unicodedata.normalize("NFKC", str(name or "")))


_OPENING, _CLOSING = "【〔［[〈《｛{﹝〖", "】〕］]〉》｝}﹞〗"
_NAME_FOLD = str.maketrans({**dict.fromkeys(_OPENING, "("), **dict.fromkeys(_CLOSING, ")"),
                            **dict.fromkeys("‐‑‒–—―－", "-")})


def name_key(name) -> str:
    """A unit's or a project's name as it is matched across the year's forms and years: NFKC (full- and
    half-width alike), no spaces nor invisible characters, every bracket form as ( ), every dash as -, case
    folded: （一期）, (一期), 【一期】 and ( 一期 ) are one name."""
    if not isinstance(name, str):
        return ""
    s = _INVISIBLE.sub("", unicodedata.normalize("NFKC", name))
    return "".join(s.split()).translate(_NAME_FOLD).casefold()


_NEAR = 0.75  # how alike (difflib's ratio) two project names of one unit are to be named as near
_WITHIN = 4  # the fewest characters of a name held whole in another to make the two near


def near_keys(key: tuple, keys, limit: int = 3) -> list[tuple]:
    """The (unit, project) keys (``name_key``s) among `keys` near `key`, nearest first: the same unit and a project
    name alike but for a character or a few, or held whole in the other (renamed), or the same project under
    another unit name.  For a message
    to name, never to match on; `keys` are those of the unit's and those of the project's (``NearNames``)."""
    import difflib

    unit, project = key
    scored = []
    for other in keys:
        if other == key or (other[0] != unit and other[1] != project):
            continue
        a, b = (project, other[1]) if other[0] == unit else (unit, other[0])
        ratio = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
        # a name that holds the other whole (“（2021年）” added, 一期 dropped) is near however short the other
        within = min(len(a), len(b)) >= _WITHIN and (a in b or b in a)
        if ratio >= _NEAR or within or other[1] == project:
            scored.append((-ratio, other))
    return [k for _, k in sorted(scored)[:limit]]


class NearNames:
    """The (unit, project) keys of `names` (key -> the names as given) by unit and by project, for ``near_keys``."""

    def __init__(self, names: dict):
        self.names, self.count = names, len(names)
        self.by_unit: dict = {}
        self.by_project: dict = {}
        for key in names:
            self.by_unit.setdefault(key[0], []).append(key)
            self.by_project.setdefault(key[1], []).append(key)

    @classmethod
    def of(cls, owner, names: dict) -> NearNames:
        """The index over `names`, kept on `owner` (made again once names were added)."""
        near = owner.__dict__.get("_near_names")
        if near is None or near.count != len(names):
            near = owner.__dict__["_near_names"] = cls(names)
        return near

    def near(self, key: tuple, limit: int = 3) -> list[tuple]:
        """The keys near `key`, nearest first (``names`` gives each as given)."""
        return near_keys(key, [*self.by_unit.get(key[0], ()), *self.by_project.get(key[1], ())], limit)

    def said(self, key: tuple, limit: int = 3, where=None) -> tuple[str, str]:
        """The near names as a message lists them (zh, en): 单位“甲”、项目“乙”; "" where none.  `where(key)`: a
        place to say after each (its file), or ""."""
        zh, en = [], []
        for k in self.near(key, limit):
            (unit, project), at = self.names[k], where(k) if where else ""
            zh.append(f"单位“{unit}”、项目“{project}”" + (f"（{at}）" if at else ""))
            en.append(f"unit '{unit}', project '{project}'" + (f" ({at})" if at else ""))
        return "；".join(zh), "; ".join(en)


class Bilingual(str):
    """Chinese text that also knows its English (``en``); used as a str it is the Chinese.  For reasons made
    in one place and shown in another (a worker's why, read by a report in either language)."""

    en: str

    def __new__(cls, zh: str, en: str):
        text = super().__new__(cls, zh)
        text.en = en
        return text

    def __reduce__(self):
        return Bilingual, (str(self), self.en)


def at(where, zh: str, en: str | None = None) -> Bilingual:
    """A fault found at `where` (a file, a file and its line; Bilingual or not): "where：zh" and "where: en"; `en`
    by default the English `zh` carries (a Bilingual reason), or `zh` itself."""
    return Bilingual(f"{where}：{zh}", f"{in_lang(where, 'en')}: {in_lang(zh, 'en') if en is None else en}")


def quoted(names) -> str:
    """Names as an English message lists them: 'a', 'b', 'c' (the Chinese messages list them with 、)."""
    return ", ".join(f"'{n}'" for n in names)


def first_listed(zh, en, most: int = 10) -> tuple[str, str]:
    """The first `most` of some names as a message lists them, zh (甲、乙等) and en (a, b …): “等” and “ …” where
    there are more."""
    zh, en = list(zh), list(en)
    more = len(zh) > most
    return "、".join(zh[:most]) + ("等" if more else ""), ", ".join(en[:most]) + (" …" if more else "")


def line_of(path, line: int) -> Bilingual:
    """A line of a file, as a fault's place: "path 第 3 行" and "path line 3"."""
    return Bilingual(f"{path} 第 {line} 行", f"{path} line {line}")


def in_lang(text, lang: str = "zh") -> str:
    """`text` in `lang`: a Bilingual's English under "en", else the text itself."""
    if lang == "en" and isinstance(text, Bilingual):
        return text.en
    return str(text)


def reason_of(exc: BaseException) -> str:
    """An exception's message, Bilingual when it was raised with one (or can give one: ``bilingual()``)."""
    own = getattr(exc, "bilingual", None)
    if callable(own):
        return own()
    first = exc.args[0] if exc.args else ""
    return first if isinstance(first, Bilingual) else str(exc)


def counted_en(n: int, one: str, many: str | None = None) -> str:
    """A count with its English noun, singular for one: ``counted_en(1, "project")`` "1 project", ``counted_en(2,
    "project")`` "2 projects" (`many` for a plural not made with -s).  The Chinese texts say 个/条 and need none."""
    return f"{n} {one if n == 1 else many or one + 's'}"
