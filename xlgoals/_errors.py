"""Exceptions for user mistakes: the CLI prints them as one clear line, never a traceback."""

from __future__ import annotations

from contextvars import ContextVar

from ._text import Bilingual, in_lang

#: Set while a command of the command line runs (cli): messages name its options (--force) rather than the library's
#: arguments (force=True), which a library caller gives.
COMMAND_LINE: ContextVar[bool] = ContextVar("xlgoals_command_line", default=False)


def add_force() -> tuple[str, str]:
    """How to say "write over it" to whoever called: (zh, en) with its verb, ``加 --force`` / ``add --force`` on the
    command line, ``传入 force=True`` / ``pass force=True`` to a library caller."""
    return ("加 --force", "add --force") if COMMAND_LINE.get() else ("传入 force=True", "pass force=True")


def table_already_there(shown: str, others: int = 0):
    """``xlgoals defaults`` (``write_defaults``) finding a table already at one of its outputs, `shown` (and `others`
    more): perhaps the bureau's edited copy, so nothing is written unless --force (force=True) is given."""
    from ._text import Bilingual

    zh, en = add_force()
    more_zh, more_en = (f"（另有 {others} 个表格也已存在）", f" (and {others} more of the tables)") if others \
        else ("", "")
    return Bilingual(f"文件夹中已有表格 {shown}{more_zh}，可能是本局改过的副本；为免覆盖，未写入任何文件。"
                     f"确认要用内置的表格覆盖请{zh}，或换一个输出文件夹",
                     f"the table {shown} is already there{more_en}, perhaps the bureau's edited copy; nothing was "
                     f"written, so as not to overwrite it. {en[0].upper() + en[1:]} to write the packaged tables "
                     "over it, or choose another output folder")


def given_as(option: str, keyword: str | None = None) -> str:
    """How whoever called names an input in a message: the option on the command line (``--weights``), the keyword
    argument to a library caller (``weights=``; `keyword`, by default the option's name as Python spells it).
    The same in Chinese and English, as ``add_force`` says --force or force=True."""
    if COMMAND_LINE.get():
        return option
    return f"{keyword or option.lstrip('-').replace('-', '_')}="


class XlgoalsError(Exception):
    """A mistake in the user's input (bad file, bad option); the message says what and where."""

    exit_code = 1


class OutputError(XlgoalsError):
    """An output that could not be written (a full disk, a file that cannot be replaced, standard output that
    cannot take the report): exit 2 on the command line, as a usage error, the run not done; 1 says what the input
    holds (returns that fail, cell errors, a bad row of a project list)."""

    exit_code = 2


class UsageError(XlgoalsError):
    """A request that cannot be carried out as given (an output that is an input, an unwritable folder)."""

    exit_code = 2


class ConfigError(XlgoalsError):
    """A rule table or framework file that cannot be used; the message names the file and line."""

    exit_code = 2


class UnknownFramework(XlgoalsError):
    """A framework id that the frameworks in force do not have (on the command line, a usage error)."""

    exit_code = 2


class JsonFileError(XlgoalsError):
    """A JSON file that cannot be used (``fill`` of a document's path, a goal table or last year's return given as
    JSON): the message names the file, `detail` says why (and where) without it; both Bilingual."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail


class DocumentError(XlgoalsError):
    """A JSON document that cannot be used; ``problems`` locate each fault by JSON path."""

    def __init__(self, message: str, problems=()):
        super().__init__(message)
        self.problems = list(problems)

    def __str__(self) -> str:
        return self.said("zh")

    def said(self, lang: str = "zh") -> str:
        """The message (Bilingual or not) and one line per problem, in `lang`."""
        colon = ": " if lang == "en" else "："
        lines = [in_lang(self.args[0], lang)]
        for p in self.problems:
            lines.append(f"  {p.path or '/'}{colon}{p.text(lang)}")
        return "\n".join(lines)

    def bilingual(self) -> Bilingual:
        return Bilingual(self.said("zh"), self.said("en"))


_OS_REASONS = {
    "ENOENT": ("文件或文件夹不存在", "no such file or folder"),
    "EACCES": ("没有访问权限", "permission denied"),
    "EPERM": ("不允许此操作", "operation not permitted"),
    "EISDIR": ("这是文件夹，不是文件", "it is a folder, not a file"),
    "ENOTDIR": ("路径中的一项不是文件夹", "a part of the path is not a folder"),
    "ENOSPC": ("磁盘空间不足", "no space left on the disk"),
    "EDQUOT": ("超出磁盘配额", "disk quota exceeded"),
    "EFBIG": ("文件超过系统允许的大小", "the file is larger than the system allows"),
    "EROFS": ("文件系统只读", "read-only file system"),
    "EEXIST": ("文件已存在", "the file exists"),
    "ENAMETOOLONG": ("文件名过长", "file name too long"),
    "EBUSY": ("文件正被占用", "the file is busy"),
    "ETXTBSY": ("文件正被占用", "the file is busy"),
    "EMFILE": ("打开的文件过多", "too many open files"),
    "EIO": ("读写设备出错", "input/output error"),
    "ELOOP": ("符号链接循环", "too many levels of symbolic links"),
    "EINVAL": ("文件名或参数无效", "invalid file name or argument"),
    "EXDEV": ("不能跨磁盘移动文件", "cannot move the file across devices"),
    "ENXIO": ("设备不存在", "no such device"),
}


def os_reason(exc: OSError, lang: str = "zh") -> str:
    """Why an operating-system call failed, in the user's language (the system's own words are English)."""
    import errno as _errno

    name = _errno.errorcode.get(exc.errno or 0, "")
    known = _OS_REASONS.get(name)
    if known:
        return known[1] if lang == "en" else known[0]
    words = exc.strerror or exc.__class__.__name__
    return words if lang == "en" else f"系统错误 {name or exc.errno or ''}：{words}".replace("  ", " ")


def unmatched_pattern(path) -> tuple[str, str]:
    """(zh, en) to add to "not found" when the name holds a wildcard (``收件箱/*.xlsx``): a shell passes a pattern
    that matches no file on as it was typed; "" otherwise."""
    import os as _os

    if any(ch in _os.path.basename(_os.fspath(path)) for ch in "*?["):
        return ("（名称中的 * ? [ 是通配符，没有匹配到任何文件）",
                " (the * ? [ in the name are wildcards that matched no file)")
    return ("", "")
