"""Locate the data files (templates/, schema/) in a source checkout or an installed copy."""

from __future__ import annotations

import json
import math
import os
import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from ._decimals import TypedFloat
from ._text import Bilingual, at, in_lang, line_of, quoted


def json_shown(value) -> Bilingual:
    """A JSON value of a bureau's file as the bureau wrote it (not Python's repr): 0, -3, 文本“十”, true, 空,
    Infinity."""
    if isinstance(value, str):
        return Bilingual(f"文本“{value[:40]}”", f"the text '{value[:40]}'")
    if value is None:
        return Bilingual("空", "null")
    shown = json.dumps(value, ensure_ascii=False)[:60]
    return Bilingual(shown, shown)


_HERE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder holding the data files called `name` ("templates" or "schema").

    A wheel carries them inside the package (``xlgoals/_data/<name>``); a source checkout
    or an editable install keeps them at the top of the repository.
    """
    for candidate in (_HERE / "_data" / name, _HERE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"xlgoals data folder {name!r} not found; is the package installed correctly?")


@lru_cache(maxsize=None)
def load_json(folder: str, filename: str):
    with open(data_dir(folder) / filename, encoding="utf-8") as fh:
        return json.load(fh)


class NotANumber:
    """What the parser puts where JSON holds NaN, Infinity or a number no float or int takes (1e400, 5,000
    digits), so that the fault can be located by its JSON path."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.said()

    def said(self) -> Bilingual:
        """What is wrong with it, in Chinese and English."""
        if self.text in ("NaN", "Infinity", "-Infinity"):
            return Bilingual(f"JSON 中不允许 {self.text}（不是有效的数字）",
                             f"{self.text} is not allowed in JSON (not a valid number)")
        shown = self.text if len(self.text) <= 24 else f"{self.text[:24]}…"
        return Bilingual(f"数字 {shown} 超出范围（不是有效的数字）", f"the number {shown} is out of range (not a valid number)")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class DuplicateName(json.JSONDecodeError):
    """A name given twice in one JSON object, at the second place it is given; `parts` is the path to it (keys and
    array indexes, the name last)."""

    def __init__(self, text: str, key: str, pos: int, parts: tuple):
        super().__init__(f"Duplicate name {json.dumps(key, ensure_ascii=False)}", text, pos)
        self.key, self.parts = key, parts

    def __reduce__(self):  # JSONDecodeError's pickles (msg, doc, pos): this one's arguments are its own
        return self.__class__, (self.doc, self.key, self.pos, self.parts)


_WS = re.compile(r"[ \t\n\r]*")


def _first_twice(text: str) -> tuple[int, tuple] | None:
    """Where the first name given twice in one object stands in JSON text, as (its second place, the path to it),
    in the order the json module's object_pairs_hook meets it (each object as it closes); None when the walk
    cannot tell (the text broken earlier, a scalar the scanner refuses).  Walked without recursion."""
    from json.decoder import scanstring

    scalar = json.JSONDecoder().scan_once
    stack: list[list] = []  # [path, names seen (a dict) or the next index (an int), first name given twice]
    path: tuple = ()
    i, want_value = _WS.match(text, 0).end(), True
    try:
        while True:
            if want_value:
                c = text[i]
                if c in "{[":
                    stack.append([path, {} if c == "{" else 0, None])
                    i = _WS.match(text, i + 1).end()
                    if text[i] in "}]":
                        want_value = False
                        continue
                    if c == "[":
                        path = (*path, 0)
                        continue
                else:
                    _, i = scalar(text, i)
                    want_value = False
                    continue
            else:
                if not stack:
                    return None
                i = _WS.match(text, i).end()
                frame = stack[-1]
                if text[i] != ",":  # } or ]
                    stack.pop()
                    i += 1
                    if frame[2] is not None:
                        return frame[2]
                    continue
                i = _WS.match(text, i + 1).end()
                if isinstance(frame[1], int):
                    frame[1] += 1
                    path, want_value = (*frame[0], frame[1]), True
                    continue
            frame = stack[-1]  # a name of the object on top, at i
            if text[i] != '"':
                return None
            key, end = scanstring(text, i + 1)
            if key in frame[1] and frame[2] is None:
                frame[2] = (i, (*frame[0], key))
            frame[1][key] = i
            path = (*frame[0], key)
            i = _WS.match(text, end).end()
            if text[i] != ":":
                return None
            i, want_value = _WS.match(text, i + 1).end(), True
    except (IndexError, ValueError, StopIteration):
        return None


def _duplicate(text: str, key: str) -> json.JSONDecodeError:
    """A DuplicateName at the second place `key` is given in the object that gives it twice, with the path to it."""
    found = _first_twice(text)
    if found is None:  # (not expected) the second place `key` is given as a name anywhere, without a path
        places = [m.start() for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text)]
        found = (places[1] if len(places) > 1 else 0, ())
    return DuplicateName(text, key, *found)


def json_path(parts: tuple) -> str:
    """A path in a JSON text as a bureau reads it: checks.review_rows_per_level2.max, level1[0].name."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part and not re.search(r'[.\[\]"\s]|[\x00-\x1f\x7f]', part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out


def parse_json(text: str) -> tuple[object, list[NotANumber]]:
    """JSON text read as JSON means it, for every file from outside (documents, a bureau's configuration): the
    value, and the NotANumber placeholders it holds where the text has NaN, Infinity or a number out of range
    (Python's json module takes the first two; none of them is an amount, a target or a setting).  Raises
    json.JSONDecodeError for bad JSON, RecursionError for absurd nesting and UnicodeEncodeError for a lone
    \\ud800 escape, which parses but no workbook, file or terminal can take."""
    bad: list[NotANumber] = []

    def not_a_number(value: str) -> NotANumber:
        bad.append(NotANumber(value))
        return bad[-1]

    def real(value: str):
        number = float(value)
        if not math.isfinite(number):
            return not_a_number(value)
        if not number:  # -0.0 is 0 (as held_content holds it): no amount is refused nor said as -0.00
            return 0.0
        if len(value) > 15 and Decimal(repr(number)) != Decimal(value):  # (15 characters' digits: a double's repr
            return TypedFloat(value)  # gives them back) more digits than a double keeps: the text written, kept
        return number

    def integer(value: str):
        try:
            return int(value)
        except ValueError:  # beyond Python's limit of digits for a conversion
            return not_a_number(value)

    def unique(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:  # the json module would keep the last silently: which one was meant?
                raise _duplicate(text, key)
            seen.add(key)
        return dict(pairs)

    data = json.loads(text, parse_constant=not_a_number, parse_float=real, parse_int=integer,
                      object_pairs_hook=unique)
    if _SURROGATE_ESCAPE.search(text):  # only an escape can give a lone surrogate (UTF-8 text cannot hold one)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    return data, bad


_JSON_FAULTS = (  # the json module's messages (Python and C scanners alike), by how they begin
    ("Expecting value", "此处缺少值，可能内容为空或多了逗号",
     "a value is missing here: the text may be empty or have an extra comma"),
    ("Expecting property name", "此处应为英文双引号括起的名称，可能多了逗号或用了单引号、中文引号",
     "a name in double quotes is expected here: there may be an extra comma, or single or Chinese quotes"),
    ("Expecting ':' delimiter", "名称后缺少英文冒号", "a colon is missing after the name"),
    ("Expecting ',' delimiter", "缺少英文逗号，或括号不配对", "a comma is missing, or the brackets do not pair"),
    ("Unterminated string", "引号未闭合，文本缺少结尾的英文双引号或文件被截断",
     "unterminated string: a text lacks its closing double quote, or the file is cut short"),
    ("Invalid control character", "文本中有换行符或其他控制字符，请改用 \\n 等转义",
     "a line break or other control character in a text: write it as an escape such as \\n"),
    ("Invalid \\uXXXX escape", "无效的 \\u 转义", "an invalid \\u escape"),
    ("Invalid \\escape", "无效的反斜杠转义", "an invalid backslash escape"),
    ("Extra data", "JSON 结束后还有多余的内容", "more text after the end of the JSON"),
    ("Illegal trailing comma", "末尾多了逗号", "an extra comma at the end"),
)


def json_why(exc: json.JSONDecodeError) -> Bilingual:
    """Why a JSON text is broken, in Chinese (引号未闭合…) and English."""
    if exc.msg.startswith("Duplicate name "):
        name = exc.msg[15:]
        parts = getattr(exc, "parts", ())
        shown = json_path(parts) if len(parts) > 1 else ""
        zh, en = (f"（位置：{shown}）", f" (at {shown})") if shown else ("", "")
        return Bilingual(f"名称 {name} 在同一对象中出现了两次{zh}，无法确定以哪一个为准，请只保留一个",
                         f"the name {name} is given twice in one object{en}; which one is meant cannot be told: "
                         "keep one")
    return next((Bilingual(zh, en) for start, zh, en in _JSON_FAULTS if exc.msg.startswith(start)),
                Bilingual(f"格式错误：{exc.msg}", f"malformed: {exc.msg}"))


def json_fault(exc: json.JSONDecodeError) -> Bilingual:
    """Where and why a JSON text is broken: 第 3 行第 7 列：引号未闭合… (line 3 column 7: unterminated …)."""
    why = json_why(exc)
    return Bilingual(f"第 {exc.lineno} 行第 {exc.colno} 列：{why}", f"line {exc.lineno} column {exc.colno}: {why.en}")


class JsonFault(Bilingual):
    """Why a JSON text is no JSON, with the path to where it stands where that is known (``parts``: a name given
    twice), for a document's problem to be located at its JSON pointer."""

    parts: tuple | None = None


def parse_json_said(text: str) -> tuple[object, list[NotANumber], Bilingual | None]:
    """``parse_json``, what makes the text no JSON said: (the value, its NotANumber placeholders, None), or
    (None, [], why) for bad JSON, absurd nesting or a lone \\ud800 escape (for a bureau's file and a return's
    document alike)."""
    try:
        data, bad = parse_json(text)
    except UnicodeEncodeError:  # before ValueError, its base
        return None, [], Bilingual("JSON 中有无效的 Unicode 转义（单独的 \\uD800–\\uDFFF）",
                                   "an invalid Unicode escape in the JSON (a lone \\uD800–\\uDFFF)")
    except json.JSONDecodeError as exc:
        fault = json_fault(exc)
        said = JsonFault(f"不是有效的 JSON（{fault}）", f"not valid JSON ({fault.en})")
        said.parts = getattr(exc, "parts", None)
        return None, [], said
    except RecursionError:
        return None, [], Bilingual("JSON 嵌套层数过多", "the JSON is nested too deeply")
    return data, bad, None


def read_config_json(path: str | Path, what: str):
    """A bureau's JSON file (`what` names it, Bilingual: 分值文件, 审核配置文件 …), or a ConfigError naming the file
    and, for broken JSON, the line and column."""
    from ._errors import ConfigError

    text = read_config_text(path, what, hint=Bilingual("请另存为 UTF-8 编码", "save it as UTF-8"))
    data, bad, fault = parse_json_said(text)
    if fault is not None:
        raise ConfigError(at(path, fault))
    if bad:
        raise ConfigError(at(path, bad[0].said()))
    return data


def refuse_unknown_keys(raw: dict, known, where, within: tuple[str, str] | None = None) -> None:
    """A bureau's JSON object may hold only the keys `known` (a key mistyped would be left unused, unseen): a
    ConfigError at `where` naming the unknown ones and the known ones.  `within` names the object, where it is
    not the file's top level, as the messages put it: ("labels 中", "in labels")."""
    from ._errors import ConfigError

    unknown = sorted(set(raw) - set(known))
    if unknown:
        zh, en = (within[0], f" {within[1]}") if within else ("", "")
        raise ConfigError(at(where, f"{zh}未知的键 {', '.join(unknown)}（可用：{', '.join(known)}）",
                             f"unknown key {quoted(unknown)}{en} (known: {', '.join(known)})"))


#: How a bureau's CSV may be encoded, tried in this order: UTF-8 (with or without the BOM Excel's "CSV UTF-8"
#: writes), then GB18030, the superset of GBK that Excel and WPS on Chinese Windows save plain "CSV" as.
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def read_config_text(path: str | Path, what: str, error: type | None = None,
                     hint: str = Bilingual("请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”",
                                           "save it in Excel or WPS as 'CSV UTF-8 (Comma delimited)'"),
                     utf16: bool = False) -> str:
    """The text of a bureau's file (`what` names it, Bilingual: 规则表, 指标库, 分值文件 …), in any of CSV_ENCODINGS.
    Every configuration file is read through here, so all of them accept the same encodings; a file that is
    missing, is not a regular file, cannot be read or is in none of the encodings raises `error` (ConfigError by
    default) naming the file."""
    from ._errors import ConfigError, os_reason
    from ._paths import not_a_file

    error = error or ConfigError
    what_en = in_lang(what, "en")
    try:
        if Path(path).is_dir():  # a folder given where the file was meant
            raise error(Bilingual(f"无法读取{what} {path}：这是文件夹，不是普通文件", f"cannot read the {what_en} {path}: "
                                                                          "it is a folder, not a file"))
        if not_a_file(path):  # a pipe or a device would block or never end
            raise error(Bilingual(f"无法读取{what} {path}：不是普通文件", f"cannot read the {what_en} {path}: not a "
                                                                       "regular file"))
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error(Bilingual(f"找不到{what}：{path}", f"{what_en} not found: {path}")) from None
    except OSError as exc:
        raise error(Bilingual(f"无法读取{what} {path}：{os_reason(exc)}",
                              f"cannot read the {what_en} {path}: {os_reason(exc, 'en')}")) from None
    import codecs

    if raw.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):  # a workbook (or a zip), not text
        how = (f"；{hint}", f"; {in_lang(hint, 'en')}") if utf16 else ("", "")  # a table: saved as CSV from it
        raise error(at(path, f"这是工作簿（.xlsx、.xls 等）或压缩文件，不是{what}所需的文本文件{how[0]}",
                       f"this is a workbook (.xlsx, .xls …) or an archive, not the text file a {what_en} is{how[1]}"))
    # a UTF-8 BOM says UTF-8: text after it that is not UTF-8 is not GBK either (GB18030 would read the BOM as 锘);
    # a UTF-16 BOM says UTF-16 (Excel's "Unicode 文本"), which is neither, in a `utf16` file
    # (a table, which Excel writes so; a JSON file is written by other means)
    utf16 = utf16 and raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    for encoding in ("utf-16",) if utf16 else CSV_ENCODINGS[:1] if raw.startswith(codecs.BOM_UTF8) else CSV_ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise error(at(path, f"无法识别{what}的文件编码（应为 UTF-8 或 GBK），{hint}",
                   f"the encoding of the {what_en} is not recognised (UTF-8 or GBK expected); {in_lang(hint, 'en')}"))



def read_csv_rows(path: str | Path, what: str, error: type | None = None) -> list[tuple[int, list[str]]]:
    """The rows of a bureau's CSV file (see read_config_text), each with the line it starts on (a quoted cell
    may span lines), or `error` naming the file when it is not CSV."""
    import csv
    import io

    from ._errors import ConfigError

    text = read_config_text(path, what, error, utf16=True)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))

    def refused(exc):
        zh, en = _csv_reason(str(exc), csv.field_size_limit())
        return (error or ConfigError)(at(line_of(path, reader.line_num), f"{what}不是有效的 CSV（{zh}）",
                                         f"the {in_lang(what, 'en')} is not valid CSV ({en})"))
    return list(numbered_rows(reader, refused))


def _csv_reason(reason: str, limit: int) -> tuple[str, str]:
    """Why the csv module refused a file, (zh, en): its English reason said in Chinese where it is one a bureau's
    file meets (an unclosed quote swallowing the rest of the file as one cell), else in general words."""
    if reason.startswith("field larger than field limit"):
        return f"单元格超过 {limit} 个字符，可能有未闭合的引号", f"a cell is longer than {limit} characters: an unclosed quote?"
    return "格式错误，请检查引号和分隔符", f"{reason}; check the quotes and delimiters"


#: How many lines may stand above a list's header (a title, 单位：元) before the header is not looked for.
TITLE_LINES = 5


def header_index(path, rows: list, names_a_column, several, error: type) -> int:
    """Where a bureau's list (a project list, an indicator library) has its header: the first of its first
    TITLE_LINES + 1 lines that hold something in which `names_a_column(row)`; 0 when none does.  The lines above it
    are titles, one cell each: a line of several may be an item above the header, and raises `error` at its line
    with the text ``several(header_line)`` gives."""
    filled = [i for i, (_, row) in enumerate(rows) if any(c.strip() for c in row)][:TITLE_LINES + 1]
    start = next((i for i in filled if names_a_column(rows[i][1])), None)
    if start is None:
        return 0
    line = next((line for line, row in rows[:start] if sum(1 for c in row if c.strip()) > 1), None)
    if line is not None:
        raise error(at(line_of(path, line), several(rows[start][0])))
    return start


def _delimiter(text: str) -> str:
    """"," — or a tab when the first line that is not blank has tabs and no comma: Excel's "Unicode 文本" and
    "文本文件(制表符分隔)" separate cells by tabs."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return "\t" if "\t" in first and "," not in first else ","


def numbered_rows(reader, fault):
    """(the line a row starts on, the row) for each row of a ``csv.reader``; a CSV error raises what
    ``fault(exc)`` gives."""
    import csv

    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise fault(exc) from None
        yield start, row


def _header_fault(header: tuple, columns: tuple, optional: tuple, what) -> Bilingual:
    """What is wrong with a bureau table's header: the first column missing, out of place or unknown."""
    for i, want in enumerate(columns):
        if i < len(header) and header[i] == want:
            continue
        if want not in header:
            return Bilingual(f"缺少列 {want}", f"the column {want} is missing")
        return Bilingual(f"第 {i + 1} 列应为 {want}，实际为 {header[i]}", f"column {i + 1} should be {want}, not {header[i]}")
    for j in range(len(columns), len(header)):
        k = j - len(columns)
        if k >= len(optional) or header[j] != optional[k]:
            return Bilingual(f"第 {j + 1} 列“{header[j]}”不是{what}的列",
                             f"column {j + 1} ('{header[j]}') is not a column of the {what.en}")
    return Bilingual("表头有误", "the header is wrong")


def read_config_csv(path: str | Path, what: str, columns: tuple[str, ...],
                    optional: tuple[str, ...] = ()) -> list[tuple[int, dict[str, str]]]:
    """A bureau's table (`what` names it, Bilingual: 规则表, 计分规则表): (line number, the row by column, stripped) for each
    row that is not blank, after checking the header and each row's width.  `optional` columns may follow
    `columns` in the header (a table written before they were added leaves them out: "" in every row).  A fault
    is a ConfigError naming the file and the line."""
    from ._errors import ConfigError

    from ._text import invisible_stripped

    rows = read_csv_rows(path, what)
    # a second BOM (a tool that adds its own to a CSV UTF-8 file) or another invisible character in a head: unseen
    header = [invisible_stripped(c).strip() for c in rows[0][1]] if rows else []
    while header and not header[-1]:
        header.pop()  # the empty columns Excel saves after a table (a sheet's used range): ',,' on every line
    header = tuple(header)
    if header[:len(columns)] != columns or header[len(columns):] != optional[:len(header) - len(columns)]:
        line, wanted = rows[0][0] if rows else 1, ",".join(columns + optional)
        fault = _header_fault(header, columns, optional, what)
        if len(header) == 1 and header[0].count(";") >= len(columns) - 1:  # Excel's CSV in a European locale
            fault = Bilingual(f"各列以分号分隔，应以英文逗号分隔（{fault}）",
                              f"the columns are separated by semicolons, not commas ({fault.en})")
        raise ConfigError(Bilingual(f"{path} 第 {line} 行：{fault}（表头应为 {wanted}）",
                                    f"{path} line {line}: {fault.en} (the header should be {wanted})"))
    out = []
    for line, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header) and not any(c.strip() for c in row[len(header):]):
            row = row[:len(header)]  # Excel's empty columns after the table
        if len(row) != len(header):
            raise ConfigError(Bilingual(
                f"{path} 第 {line} 行：应有 {len(header)} 列，实际 {len(row)} 列（含逗号的文本请加英文双引号）",
                f"{path} line {line}: {len(header)} columns expected, {len(row)} found (quote a text holding a comma "
                "with double quotes)"))
        out.append((line, {**dict.fromkeys(optional, ""), **dict(zip(header, (c.strip() for c in row)))}))
    return out


def file_version(full: str) -> tuple | None:
    """What a bureau's file (or folder of files) read at `full` is, as far as its loader's cache can tell without
    reading it: its size and times (st_mtime_ns, st_ctime_ns: a write changes the latter even where the editor puts
    the former back) and inode; a folder's, each entry's too (a framework file edited in place leaves its
    folder's times as they were).  None where it cannot be looked at (the loader says why)."""
    def of(st) -> tuple:
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev

    try:
        st = os.stat(full)
        if not os.path.isdir(full):
            return of(st)
        with os.scandir(full) as entries:
            return of(st), tuple(sorted((e.name, of(e.stat())) for e in entries))
    except OSError:
        return None


def load_as_given(load, path):
    """``load(absolute path, its version)`` — a loader cached by absolute path, so that a run that changes folder
    still finds the file, and by the file's version (``file_version``), so that a long-running process (a
    notebook, a service) reads the bureau's file afresh once it is edited, not the table it held before — with
    its faults naming the file as the user gave it (``本局规则.csv``, not ``/home/…/本局规则.csv``), as every
    other input is named; ``load(None)`` (the built-in one) for no path."""
    from ._errors import ConfigError
    from ._paths import text_path

    if path is None:
        return load(None)
    path = text_path(path)  # b"..." (os.fsencode, a GBK name) names the same file, as its text
    full = os.path.abspath(path)
    try:
        return load(full, file_version(full))
    except ConfigError as exc:
        from ._text import display_path

        given = display_path(os.path.normpath(os.fspath(path)))  # a GBK name as its Chinese, not \udcb9\udce6…
        message = exc.args[0] if exc.args else ""
        en = in_lang(message, "en")
        if given == full or (full not in message and full not in en):
            raise
        raise ConfigError(Bilingual(str(message).replace(full, given), en.replace(full, given))) from None
