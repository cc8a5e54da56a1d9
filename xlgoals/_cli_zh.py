"""click's own words in Chinese: usage lines, help headings and the errors it raises while parsing options.

click translates its messages through ``gettext``; xlgoals's command line speaks Chinese whatever the
machine's locale, so the command line hands click these translations instead.  A message click adds in a
later version and missing here stays in English: nothing breaks.
"""

from __future__ import annotations

_MESSAGES = {
    "Usage:": "用法:",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "输入 “{command} {option}” 查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带取值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，这里应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，这里应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "Aborted!": "已中止。",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "env var: {var}": "环境变量：{var}",
    "deprecated": "已弃用",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
}

# ngettext's messages, singular and plural alike (Chinese has one form)
_PLURALS = {
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Did you mean {possibility}?": "是否想用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想用其中之一：{possibilities}？）",
    "Option {name!r} requires an argument.": "选项 {name!r} 需要取值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是以下取值之一：{choices}。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
}


#: Off for a command line that asks for English (``--lang en``): click then speaks its own English.
_ON = [True]


def speak(chinese: bool) -> None:
    _ON[0] = chinese


def chinese() -> bool:
    """Whether the command line speaks Chinese (the default) rather than English (``--lang en``)."""
    return _ON[0]


def _width(text: str) -> int:
    """Columns a text takes on a terminal: Chinese characters take two (click counts one, and misaligns them)."""
    import unicodedata

    from click._compat import strip_ansi

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in strip_ansi(text))


def asks_for_english(args) -> bool:
    """Whether a command line asks for English: its last ``--lang`` (``--lang en`` or ``--lang=en``), given
    anywhere (before or after the command, before or after ``--help``), is en (in any case).  Found before click
    parses the line, so that its usage errors and help are English too."""
    args = [str(a) for a in args or ()]
    places = [i for i, a in enumerate(args) if a == "--lang" or a.startswith("--lang=")]
    if not places:
        return False
    last = places[-1]
    value = args[last][7:] if args[last].startswith("--lang=") else (args[last + 1] if last + 1 < len(args) else "")
    return value.lower() == "en"  # --lang EN too, as click's choice takes it


def gettext(message: str) -> str:
    return _MESSAGES.get(message, message) if _ON[0] else message


def ngettext(singular: str, plural: str, n: int) -> str:
    chosen = singular if n == 1 else plural
    return _PLURALS.get(chosen, chosen) if _ON[0] else chosen


def install() -> None:
    """Give click's modules these translations (its own ``_`` and ``ngettext``, looked up when a message is made)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui,
                   click.types, click.utils):
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    if hasattr(click.formatting, "term_len"):  # the help's option column, aligned whatever its characters
        click.formatting.term_len = _width
