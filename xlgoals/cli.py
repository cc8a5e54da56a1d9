"""Command line: parse options, call one library function, print.  All logic lives in the library."""

from __future__ import annotations

import contextlib
import inspect
import itertools
import os
import re
import sys
from pathlib import Path

import click
from click.core import ParameterSource

from . import __version__, _args
from ._cli_zh import asks_for_english, chinese, gettext, speak
from ._cli_zh import install as _speak_chinese
from ._defaults import DEFAULT_FRAMEWORK, DEFAULT_ROWS, MAX_JOBS, MAX_ROWS, MAX_YEAR, MIN_YEAR
from ._errors import COMMAND_LINE, OutputError, XlgoalsError, os_reason
from ._text import Bilingual, display_path, in_lang, printable, reason_of, shown_path


_speak_chinese()  # click's usage lines and parsing errors, as the rest of the command line


def _lang() -> str:
    """The language the command line speaks: "en" under ``--lang en``, else "zh"."""
    return "zh" if chinese() else "en"


def _say(zh: str, en: str) -> str:
    """`zh`, or `en` under ``--lang en``."""
    return zh if chinese() else en


def _fail(message: str, code: int = 1):
    """One error (a Bilingual one in English under ``--lang en``), prefixed 错误： (or Error: ), and the exit code."""
    english = not chinese()
    lines = in_lang(message, "en" if english else "zh").split("\n")  # a document's problems keep their lines
    click.echo(("Error: " if english else "错误：") + "\n".join(printable(line) for line in lines), err=True)
    sys.exit(code)


def _echo(message: str = "", nl: bool = True) -> None:
    """`message` on standard output.  Standard output that cannot take it (redirected to a file on a full disk,
    ``> /dev/full``) is said as such, in one line, and the run fails: a script must not take a cut report for a
    whole one.  A reader that went away (``| head``) is not an error (BrokenPipeError, handled in main).  When an
    output of the run went through standard output (``-o /dev/stdout``: _atomic.stdout_taken), on standard error:
    the output a script redirected stays that output alone."""
    atomic = sys.modules.get(f"{__package__}._atomic")  # not loaded (a plain validate): nothing written through
    try:  # stdout, and its imports (tempfile, hashlib) are not paid for
        click.echo(message, nl=nl, err=atomic is not None and atomic.stdout_taken())
    except BrokenPipeError:
        raise
    except OSError as exc:
        global _stdout_failure_said
        _stdout_failure_said = True  # what stays in the buffer is not tried again at the exit, nor said twice
        raise OutputError(_stdout_failed(exc)) from None


#: Whether standard output failed in _echo, the failure said (and the run's exit code set) there.
_stdout_failure_said = False


#: The exit code of a run whose output could not be written (a report or a summary to a full disk, a template or a
#: JSON document that cannot be replaced, standard output that cannot take it): 2 for every command, as a usage
#: error, the run not done.  A script tells it from 1, which says what the input holds (returns that fail, cell
#: errors in a return read, a bad row of a project list, no return found).
_output_failed_exit = OutputError.exit_code


def _stdout_failed(exc: OSError) -> Bilingual:
    return Bilingual(f"无法写入标准输出（{os_reason(exc)}），输出不完整",
                     f"cannot write the standard output ({os_reason(exc, 'en')}); the output is incomplete")


def _echoed_to_stdout(exc: OSError) -> bool:
    """Whether `exc` was raised writing to standard output in click.echo (click's help, say, not ours)."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame if tb is not None else None
    return (frame is not None and frame.f_code.co_name == "echo" and frame.f_globals.get("__name__") == "click.utils"
            and not frame.f_locals.get("err"))


def _bilingual(name: str) -> property:
    """A text attribute `name` of a click object that click sets in Chinese and that reads, under ``--lang en``, as
    its ``<name>_en`` where one is given."""

    def get(self):
        en = getattr(self, f"{name}_en", None)
        return en if en and not chinese() else getattr(self, f"_{name}_zh", None)

    def put(self, value):
        setattr(self, f"_{name}_zh", value)

    return property(get, put)


class _English:
    """A command or parameter whose help is Chinese, or under ``--lang en`` English (``help_en``)."""

    def __init__(self, *args, help_en: str | None = None, **kwargs):
        self.help_en = help_en
        super().__init__(*args, **kwargs)

    help = _bilingual("help")


class _Words(_English):
    """A parameter whose placeholder in the help and usage line is Chinese (``metavar_zh``), or under ``--lang en``
    English (``metavar_en``, else click's own)."""

    def __init__(self, *args, metavar_zh: str | None = None, metavar_en: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.metavar_zh, self.metavar_en = metavar_zh, metavar_en

    def make_metavar(self, ctx):
        if self.metavar_zh and chinese():
            return self.metavar_zh
        return self.metavar_en or super().make_metavar(ctx)

    @property
    def human_readable_name(self):  # an argument's name in click's errors ("缺少参数 '路径...'")
        return self.make_metavar(None) if self.metavar_zh or self.metavar_en else super().human_readable_name


class _Option(_Words, click.Option):
    pass


class _Argument(_Words, click.Argument):
    pass


def _blanks_dropped(value):
    """An output name pasted with white space after it (``-o "校验结果.csv "``): written without it, as the clerk
    meant, its extension read as typed, and said on standard error.  A name that is nothing but white space is
    refused: no file or folder named by blanks is written unseen."""
    if not isinstance(value, str):
        return value
    from ._paths import without_trailing_blanks

    stripped = without_trailing_blanks(value)
    if stripped == value:
        return value
    if not stripped:
        raise click.BadParameter(_say("输出名称只有空白，请给出文件或文件夹名", "the output name is only white space; "
                                      "give a file or folder name"))
    click.echo(_say(f"注意：输出名称“{printable(value)}”末尾的空白已去掉（粘贴的名称常带有空格），按 "
                    f"{display_path(stripped)} 写入",
                    f"Note: the white space after the output name '{printable(value)}' was dropped (a pasted name "
                    f"often has it); writing {display_path(stripped)}"), err=True)
    return stripped


class _OutFile(click.Path):
    """An output file's path.  One written as a folder (``-o 报告/``, a trailing slash) is refused rather than
    taken for the file ``报告``: the user meant a folder, and would not find the output they asked for."""

    def __init__(self, example: str, example_en: str):
        super().__init__(dir_okay=False, path_type=Path)
        self.example, self.example_en = example, example_en  # a file name, for the message

    def convert(self, value, param, ctx):
        value = _blanks_dropped(value)
        if value == "-":  # standard output to most tools: never a file named "-" written unseen
            self.fail(_say(f"“-”在这里不表示标准输出，xlgoals 也不会写一个名为“-”的文件；请给出文件名（如 {self.example}），"
                           "或去掉此选项（validate、read 不给 -o 时输出到标准输出）",
                           "'-' does not mean the standard output here, and xlgoals writes no file named '-'; give a "
                           f"file name (such as {self.example_en}), or leave the option out (validate and read write "
                           "to the standard output without -o)"), param, ctx)
        seps = tuple(sep for sep in (os.sep, os.altsep) if sep)
        if isinstance(value, str) and value.endswith(seps) and value.rstrip("".join(seps)):
            shown = display_path(value)
            self.fail(_say(f"{shown} 以“/”结尾，是文件夹的写法；这里应为文件名（如 {shown}{self.example}）",
                           f"{shown} ends in '/', a folder; a file name is needed here (such as "
                           f"{shown}{self.example_en})"), param, ctx)
        from ._paths import only_an_extension, only_an_extension_said

        if isinstance(value, str) and only_an_extension(value):
            stems = (self.example.rsplit(".", 1)[0], self.example_en.rsplit(".", 1)[0])
            self.fail(in_lang(only_an_extension_said(value, stems), "zh" if chinese() else "en"), param, ctx)
        if isinstance(value, str) and os.path.islink(value):  # a link to a folder is an entry of its own, not a
            return Path(value)  # folder: refused as a link, or replaced with --force (_paths.link_refused)
        return super().convert(value, param, ctx)


class _OutDir(click.Path):
    """An output folder's path (--out-dir, --annotate, --csv).  ``-`` is refused as for an output file (_OutFile):
    not taken for a folder named "-" made and written into unseen."""

    def __init__(self, example: str, example_en: str):
        super().__init__(file_okay=False, path_type=Path)
        self.example, self.example_en = example, example_en  # a folder name, for the message

    def convert(self, value, param, ctx):
        value = _blanks_dropped(value)
        if isinstance(value, str) and not value:  # --out-dir "": not the current folder, written into unseen
            self.fail(_say(f"输出文件夹不能为空；请给出文件夹名（如 {self.example}），当前文件夹请写作 .",
                           f"the output folder cannot be empty; give a folder name (such as {self.example_en}), "
                           "or . for the current folder"), param, ctx)
        if value == "-":
            self.fail(_say(f"“-”在这里不表示标准输出，xlgoals 也不会建一个名为“-”的文件夹；请给出文件夹名（如 {self.example}）",
                           "'-' does not mean the standard output here, and xlgoals makes no folder named '-'; give "
                           f"a folder name (such as {self.example_en})"), param, ctx)
        return super().convert(value, param, ctx)


class _Helped(_English):
    """A command (or the group) whose --help line is in the language asked for: click makes the help option once
    and keeps it, with the words of the first run in this process.  A command's line in ``xlgoals --help`` is its
    ``short_help`` (Chinese) or ``short_help_en``, where given; else in Chinese click's line of its help (whole: a
    Chinese sentence has no space for click to cut it at), in English the first sentence of ``help_en``, whole
    (click cut it at 45 characters with "...": ``Consolidate many returns into one workbook (budget totals,...``)."""

    def __init__(self, *args, short_help_en: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.short_help_en = short_help_en or _first_sentence(self.help_en)

    short_help = _bilingual("short_help")

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = gettext("Show this message and exit.")
        return option


def _first_sentence(text: str | None) -> str | None:
    """The first sentence of a help text's first paragraph, on one line (None for none)."""
    if not text:
        return None
    paragraph = " ".join(inspect.cleandoc(text).split("\n\n", 1)[0].split())
    return re.split(r"(?<=\.)\s", paragraph, maxsplit=1)[0]


class _Command(_Helped, click.Command):
    def parse_args(self, ctx, args):
        """A file named with a leading dash (-申报.xlsx) reads as options: the error says how to name it."""
        given = list(args)  # click's parser takes the arguments off the list as it goes
        try:
            return super().parse_args(ctx, args)
        except click.NoSuchOption as exc:
            named = next((a for a in given if a.startswith("-") and len(a) > 1 and os.path.exists(a)), None)
            if named:
                exc.message += _say(f"（若“{named}”是文件名，请写成 ./{named}，或写在 -- 之后）",
                                    f" (if '{named}' is a file, write it as ./{named}, or after --)")
            raise
        except click.MissingParameter as exc:
            raise click.UsageError(_missing_said(exc, given), ctx) from None


def _missing_said(exc: click.MissingParameter, given: list) -> str:
    """click's "缺少参数 '路径...'." ended with "。" after Chinese; when an option that takes every following path
    (--targets) took the paths the command needed, it says so, and where to put it."""
    text = exc.format_message()
    if chinese() and text.endswith("."):
        text = text[:-1] + "。"
    if not isinstance(exc.param, click.Argument):
        return text
    for i, arg in enumerate(given):
        if arg == "--targets" or arg.startswith("--targets="):
            rest = given[i + 1:] if arg == "--targets" else [arg.split("=", 1)[1], *given[i + 1:]]
            took = list(itertools.takewhile(lambda a: not a.startswith("-"), rest))
            if len(took) == 1:  # (validate --targets 收件箱: the one path, the returns or the goal tables?)
                name = printable(took[0])
                return text + _say(
                    f"--targets 取走了其后的“{name}”，当作批复的绩效目标表；若“{name}”是要处理的申报，请写在 --targets "
                    "之前，并在 --targets 之后给出批复的绩效目标表",
                    f" --targets took '{name}' after it as approved goal tables; if '{name}' holds the returns to "
                    "process, give it before --targets, and the approved goal tables after --targets")
            if len(took) > 1:
                names = [printable(a) for a in took[1:]]
                return text + _say(
                    f"--targets 取走了其后直到下一个选项的全部路径（{'、'.join(names)} 也被当作批复的绩效目标表）；"
                    "要处理的路径请写在 --targets 之前，或把 --targets 及其路径放在命令最后",
                    f" --targets took every path after it up to the next option ({', '.join(names)} too, as approved "
                    "goal tables); give the paths to process before --targets, or put --targets and its paths last")
    return text


def _show_version(ctx, param, value):
    if value and not ctx.resilient_parsing:
        click.echo(_say(f"xlgoals，版本 {__version__}", f"xlgoals, version {__version__}"))
        ctx.exit()


def _lang_option(fn):
    """--lang: the language of everything the command says (its messages, errors and --help); read from the
    whole command line before click parses it (``asks_for_english``), so that a usage error and --help given
    before it speak it too."""
    return click.option("--lang", type=click.Choice(["zh", "en"], case_sensitive=False), default="zh", show_default=True,
                        expose_value=False, cls=_Option, help="提示、错误信息和帮助的语言：中文或英文",
                        help_en="the language of the messages, errors and help: Chinese or English")(fn)


class _Group(_Helped, click.Group):
    """Turns user mistakes raised by the library into one clear line and an exit code (1, or 2 for configuration)."""

    command_class = _Command

    def __init__(self, *args, **kwargs):
        super().__init__(*args, options_metavar="[选项]", subcommand_metavar="命令 [参数]...", **kwargs)

    def add_command(self, cmd, name=None):
        cmd.options_metavar = "[选项]"  # the usage line, as click's own words (_cli_zh)
        super().add_command(cmd, name)

    def main(self, args=None, *rest, **kwargs):
        """A command line with ``--lang en`` anywhere gets English: click's own (usage line, parsing errors, help
        headings) and ours (help texts, messages)."""
        english = asks_for_english(sys.argv[1:] if args is None else args)
        speak(not english)
        self.options_metavar, self.subcommand_metavar = \
            ("[OPTIONS]", "COMMAND [ARGS]...") if english else ("[选项]", "命令 [参数]...")
        for cmd in self.commands.values():
            cmd.options_metavar = "[OPTIONS]" if english else "[选项]"
            for param in cmd.params:  # click names a path's placeholder once, when the option is made
                kind = param.type
                if isinstance(kind, click.Path):
                    kind.name = gettext("file" if kind.file_okay and not kind.dir_okay else
                                        "directory" if kind.dir_okay and not kind.file_okay else "path")
        try:
            return super().main(args, *rest, **kwargs)
        except BrokenPipeError:
            sys.exit(141)
        except OSError as exc:  # outside a command (invoke): --help or --version on a standard output that is full
            _fail(_stdout_failed(exc), _output_failed_exit)

    def invoke(self, ctx):
        said_as = COMMAND_LINE.set(True)  # messages name --force, not the library's force=True
        try:
            return super().invoke(ctx)
        except XlgoalsError as exc:
            _fail(reason_of(exc), exc.exit_code)
        except BrokenPipeError:  # the reader of standard output went away (`xlgoals frameworks | head`): not an
            sys.exit(141)        # error to report; 141 as a shell gives a command ended by SIGPIPE
        except OSError as exc:  # e.g. an output folder that cannot be written
            if _echoed_to_stdout(exc):  # click's own: a command's --help on a standard output that is full
                _fail(_stdout_failed(exc), _output_failed_exit)
            where = display_path(exc.filename) if exc.filename else ""
            _fail(Bilingual(f"无法读写文件{'：' + where if where else ''}（{os_reason(exc)}）",
                            f"cannot read or write {where or 'a file'} ({os_reason(exc, 'en')})"), _output_failed_exit)
        except KeyboardInterrupt as exc:
            signum = getattr(exc, "signum", None)  # _entry.Terminated: SIGTERM or SIGHUP, handled as Ctrl-C
            if signum is not None:
                _fail(Bilingual(f"已终止（收到 {exc.name} 信号；未写入不完整的输出文件）",
                                f"terminated ({exc.name} received; no incomplete output file was written)"), 128 + signum)
            _fail(Bilingual("已中断（未写入不完整的输出文件）", "interrupted (no incomplete output file was written)"), 130)
        finally:
            COMMAND_LINE.reset(said_as)


class _Paths(_Option):
    """An option taking every following argument up to the next option (``--targets A B C``); it may repeat."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, multiple=True, type=click.UNPROCESSED, callback=_flatten, metavar_zh="路径...",
                         metavar_en="PATHS...", **kwargs)

    def add_to_parser(self, parser, ctx):
        result = super().add_to_parser(parser, ctx)
        opt = next(o for o in (parser._long_opt.get(n) for n in self.opts) if o is not None)
        previous = opt.process

        def process(value, state):
            values = [value]
            while state.rargs and not any(state.rargs[0].startswith(p) for p in opt.prefixes):
                values.append(state.rargs.pop(0))
            previous(tuple(values), state)

        opt.process = process
        return result


def _given_paths(ctx, param, value):
    """The paths as given; an empty one (an unset shell variable) is refused rather than read as the current folder."""
    if any(not v for v in value):
        from ._paths import EMPTY_PATH

        _fail(EMPTY_PATH, 2)
    return tuple(Path(v) for v in value)


#: The returns named: one the clerk may not read is the library's to report (file.unreadable), not click's to
#: refuse with the whole command line.
_INPUTS = click.Path(readable=False)
#: An input file option (--previous, --library, --targets' --weights): one missing, unreadable or a folder is the
#: library's to report, located and in the user's language, as for --rules; not click's to refuse in English.
_IN_FILE = click.Path(readable=False, path_type=Path)


def _flatten(ctx, param, value):
    return tuple(Path(v) for group in value or () for v in group)


def _config_options(fn):
    """--rules and --frameworks: a bureau's rule table and framework folder, over the packaged ones."""
    fn = click.option("--frameworks", "frameworks_dir", type=_IN_FILE, cls=_Option,
                      metavar_zh="文件夹", metavar_en="DIRECTORY",
                      help="指标体系文件夹（其中的 .json 补充或替换内置的指标体系）",
                      help_en="a folder of indicator frameworks (its .json files add to or replace the packaged "
                              "frameworks)")(fn)
    return click.option("--rules", "rules_file", type=_IN_FILE, cls=_Option, metavar_zh="文件",
                        metavar_en="FILE", help="规则表 CSV（其中的行替换内置规则表中代码相同的行，或新增规则）",
                        help_en="a rule table CSV (its rows replace the packaged rows of the same code, or add "
                                "rules)")(fn)


def _review_options(fn):
    """--review and what feeds it: --previous (repeatable), --library, --review-config."""
    fn = click.option("--review-config", "review_config", type=_IN_FILE, cls=_Option,
                      metavar_zh="文件", metavar_en="FILE", help="审核配置 JSON（覆盖内置 schema/review.json 中的阈值、词表和权重）",
                      help_en="a review configuration JSON (over the thresholds, word lists and weights of the "
                              "packaged schema/review.json)")(fn)
    fn = click.option("--library", type=_IN_FILE, cls=_Option, metavar_zh="文件", metavar_en="FILE",
                      help="指标库（CSV 或 xlsx，列：一级、二级、三级、计量单位、说明）",
                      help_en="an indicator library (CSV or xlsx; columns 一级, 二级, 三级, 计量单位, 说明)")(fn)
    fn = click.option("--previous", multiple=True, type=_IN_FILE, cls=_Option,
                      help="上年申报（工作簿或 JSON 文档，文件或文件夹；可重复）",
                      help_en="last year's returns (workbooks or JSON documents, files or folders; may be "
                              "repeated)")(fn)
    return click.option("--review", is_flag=True, cls=_Option,
                        help="目标审核：报告模糊、不可考核等薄弱目标（提示，不影响是否通过），并给出得分",
                        help_en="review the targets: report vague or unmeasurable targets (notices, which do not "
                                "fail a return) and give a score")(fn)


def _targets_options(help_zh: str, help_en: str, weights_zh: str, weights_en: str):
    """--targets (the approved goal tables) and --weights (their points file), as a command takes them: in its
    own words (what it does with them)."""
    def options(fn):
        fn = click.option("--weights", type=_IN_FILE, cls=_Option, help=weights_zh,
                          help_en=weights_en)(fn)
        return click.option("--targets", cls=_Paths, help=help_zh, help_en=help_en)(fn)
    return options


def _force_option(fn):
    """--force: write over an existing file at an output path that xlgoals did not write (a summary or report it
    wrote is replaced without it)."""
    return click.option("--force", is_flag=True, cls=_Option,
                        help="覆盖输出位置上已有的文件（xlgoals 上次写入的汇总或报告无需此项即可替换）",
                        help_en="write over an existing file at the output path (a summary or report xlgoals wrote "
                                "is replaced without it)")(fn)


def _no_workbook_to_annotate(n: int, failing: bool) -> str:
    """validate --annotate's notice for `n` JSON documents it chose (all `failing`, or some passing with problems
    or review notices): none has a workbook to annotate, their problems are in the report at their JSON paths."""
    which = ("未通过的", f"failing JSON document{'s' if n > 1 else ''}") if failing else \
        ("有问题或审核提示的", f"JSON document{'s' if n > 1 else ''} with problems or review notices")
    return _say(f"注意：{n} 个{which[0]} JSON 文档没有可标注的工作簿，未生成标注副本（问题见报告中的 JSON 路径）",
                f"Note: {n} {which[1]} {'have' if n > 1 else 'has'} no workbook to annotate; no annotated copy "
                "written (the report gives each problem's JSON path)")


def _annotate(report, annotate_dir, others, lang: str, jobs: int | None = None, limits: dict | None = None) -> list:
    """validate --annotate: a copy of each file ``to_annotate`` chooses (the failing ones; with the review, those that
    pass with warnings or notices too), each said on standard error; the counts kept in ``report.annotated``.
    Returns the files whose copy the output refused (a folder that cannot take it, a full disk, an input at its
    name): the run did not write what it was asked, exit 2 (a file that gets no copy for what it is, an .xls, is
    the department's matter, not counted here)."""
    from ._check._annotate import FAILED, PASSED_WITH_PROBLEMS, Unwritten, annotate_all, to_annotate
    from ._paths import SKIP_EARLIER

    chosen = to_annotate(report)
    why_of = {id(f): why for f, why in chosen}
    # a JSON document has no workbook to annotate: said once (its problems are in the report, at their JSON paths)
    documents = [f for f, _ in chosen if f.json_document]
    if documents:
        click.echo(_no_workbook_to_annotate(len(documents), all(why_of[id(f)] == FAILED for f in documents)),
                   err=True)
        for f in documents:
            report.copies[f.path] = (None, Bilingual("JSON 文档没有可标注的工作簿", "a JSON document has no workbook to annotate"))
    counts = {"written": 0, FAILED: 0, PASSED_WITH_PROBLEMS: 0, "not_written": 0}
    unwritten = []
    marked = [f for f, _ in chosen if not f.json_document]
    # made in the workers of --jobs, bounded as reading is (--limits), each written here in order
    for f, target, why in annotate_all(marked, annotate_dir,
                                     inputs=[*(g.path for g in report.files), *others,
                                             *(p for p, why in report.skipped_reasons.items()
                                               if why != SKIP_EARLIER)],  # yesterday's copies: replaced
                                     jobs=jobs, limits=limits):
        if f is None:  # the disk is full: the rest were not tried, said once
            msg = in_lang(why, lang)
            for g in marked:
                if g.path not in report.copies:
                    report.copies[g.path] = (None, why)
                    unwritten.append(g.path)
            counts["not_written"] = len(marked) - counts["written"]
        else:
            if target:
                counts["written"] += 1
                counts[why_of[id(f)]] += 1
            else:
                counts["not_written"] += 1
                if isinstance(why, Unwritten):
                    unwritten.append(f.path)
            report.copies[f.path] = (str(target), None) if target else (None, why)
            if lang == "en":
                kept = f"; {in_lang(why, 'en')}" if why else ""  # an input at the copy's first name, kept
                msg = f"Annotated copy written: {display_path(target)} (of {shown_path(f.path, 'en')}{kept})" if target \
                    else f"Could not write an annotated copy of {shown_path(f.path, 'en')} ({in_lang(why, 'en')})"
            else:
                kept = f"；{in_lang(why, 'zh')}" if why else ""
                msg = f"已生成标注副本：{display_path(target)}（{shown_path(f.path)} 的问题标注{kept}）" if target \
                    else f"无法生成标注副本（{in_lang(why, 'zh')}）：{shown_path(f.path)}"
        click.echo(msg, err=True)
    report.annotated = counts
    return unwritten


def _copies_not_written(paths: list, written: int) -> Bilingual:
    """The last line of a validate --annotate run whose output refused some copies: how many, of which files, and
    how many were written."""
    n = len(paths)
    names = [display_path(p) for p in paths[:5]]
    more_zh, more_en = ("等" if n > 5 else ""), (", …" if n > 5 else "")
    rest_zh = f"，其余 {written} 个已写入" if written else ""
    rest_en = f"; the other {written} {'were' if written != 1 else 'was'} written" if written else ""
    return Bilingual(f"{n} 个标注副本未能写入（{'、'.join(names)}{more_zh}，原因见上）{rest_zh}；退出码 2",
                     f"{n} annotated cop{'ies' if n != 1 else 'y'} could not be written ({', '.join(names)}{more_en}; "
                     f"why is said above){rest_en}; exit code 2")


def _review_args(review, previous, library, review_config) -> dict:
    """Keyword arguments for the library (which turns the review on when any review input is given)."""
    # a flag not given is "not said" (None): an input given turns the review on, as the library does
    return {"review": True if review else None, "previous": list(previous) or None, "library": library,
            "review_config": review_config}


def _config(rules_file, frameworks_dir, limits_file=None):
    from ._config import Config

    return Config.load(rules_file, frameworks_dir, limits_file)


def _limits_with(zh: str = "", en: str = ""):
    """--limits: a bureau's limits file, the per-process bounds it sets over the packaged schema/limits.json's;
    `zh`, `en`: what of the command's reading they do not bound, said after (a command's own words)."""
    def option(fn):
        return click.option("--limits", "limits_file", type=_IN_FILE, cls=_Option, metavar_zh="文件",
                            metavar_en="FILE",
                            help="限额文件（JSON）：每个读取进程可用的内存 worker_memory_mb（MB）和每个文件的检查时间 "
                                 "file_seconds（秒），替换内置的上限" + zh,
                            help_en="a limits file (JSON, such as {\"worker_memory_mb\": 2048, \"file_seconds\": "
                                    "60}): the memory (MB) each reading process may use and the time (seconds) each "
                                    "file may take, over the packaged limits" + en)(fn)
    return option


_limits_option = _limits_with()


_FORMS = click.Choice(["goal-table", "self-evaluation", "monitoring"], case_sensitive=False)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]},
             help_en="xlgoals: Excel templates for the project expenditure performance-target table (and the forms "
                     "made from it), and reading, validating and consolidating the returns.")
@_lang_option
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_show_version, cls=_Option,
              help="显示版本并退出。", help_en="Show the version and exit.")
def main():
    """xlgoals：财政项目支出绩效目标表的 Excel 模板、读取、校验与汇总。"""
    atomic = sys.modules.get(f"{__package__}._atomic")  # loaded by an earlier run in this process, if any
    if atomic is not None:
        atomic.forget_stdout_taken()  # an earlier run in this process (a test's CliRunner) wrote through stdout


@main.command(help_en="""List the indicator frameworks (with --rules, check the rule table too).

    Exit codes: 0 success; 2 a rule table or framework file cannot be used, or the output cannot be written; 130
    interrupted (Ctrl-C).""")
@_config_options
@_lang_option
def frameworks(rules_file, frameworks_dir):
    """列出可用的指标体系（用 --rules 时同时检查规则表）。

    退出码：0 成功；2 规则表或指标体系文件无法使用，或无法写入输出；130 被中断（Ctrl-C）。"""
    cfg = _config(rules_file, frameworks_dir)
    for fw in cfg.frameworks:
        if chinese():
            cats = "；".join(f"{c['name']}{'*' if c.get('required') else ''}（{'、'.join(c['level2'])}）"
                            for c in fw.level1)
            _echo(f"{fw.id}\t{fw.title}\n    {cats}")
        else:  # the category names are the framework's own (data)
            cats = "; ".join(f"{c['name']}{'*' if c.get('required') else ''} ({', '.join(c['level2'])})"
                             for c in fw.level1)
            _echo(f"{fw.id}\t{fw.title_en or fw.title}\n    {cats}")
    _echo(_say("（* 为必填一级指标）", "(* a required level-1 category)"))
    if rules_file:
        _echo(_say(f"规则表 {rules_file}：检查通过，共 {len(cfg.rules)} 条规则。",
                        f"rule table {rules_file}: checked, {len(cfg.rules)} rules."))


@main.command(short_help_en="Write the packaged rule table, scoring table, review configuration, frameworks and points "
                            "files for a bureau to edit and give with --rules and the like.",
              help_en="""Write the packaged tables as files to edit: rules.csv, scoring.csv, review.json, frameworks/
    (one .json per framework) and weights/ (each framework's self-evaluation points), the starting point of a
    bureau's --rules, --frameworks, --review-config and --weights files.  An existing file is kept unless --force.

    Exit codes: 0 written; 2 a usage error, a file already there (nothing written), or an output that cannot be
    written; 130 interrupted (Ctrl-C).""")
@click.option("--out-dir", "out_dir", required=True, type=_OutDir("本局规则", "bureau-tables"), cls=_Option,
              help="输出文件夹（不存在时新建）", help_en="the output folder (made if missing)")
@click.option("--force", is_flag=True, cls=_Option, help="覆盖输出文件夹中已有的同名文件",
              help_en="write over files of the same name in the output folder")
@_lang_option
def defaults(out_dir, force):
    """导出内置的规则表、评分表、审核配置、指标体系和分值文件，供财政部门修改后用 --rules 等选项使用。

    退出码：0 已写入；2 参数错误、文件已存在（未写入任何文件），或无法写入输出；130 被中断（Ctrl-C）。"""
    from ._write._packaged import write_defaults

    for p in write_defaults(out_dir, force=force):
        _echo(_say(f"已写入：{display_path(p)}", f"Written: {display_path(p)}"))


@main.command(help_en="""Print a form's JSON Schema (the goal table's by default).

    Exit codes: 0 success; 2 usage error, or the output cannot be written; 130 interrupted (Ctrl-C).""")
@click.option("--form", "form_id", type=_FORMS, default="goal-table", show_default=True, cls=_Option,
              help="表单：绩效目标表、绩效自评表或绩效运行监控表",
              help_en="the form: the goal table, the self-evaluation or the monitoring report")
@_lang_option
def schema(form_id):
    """打印表单的 JSON Schema（默认为绩效目标表）。

    退出码：0 成功；2 参数错误，或无法写入输出；130 被中断（Ctrl-C）。"""
    import json

    from ._check._schema import load_schema

    _echo(json.dumps(load_schema(form_id), ensure_ascii=False, indent=2))


def _report_batch(result, made: tuple[str, str], failed: tuple[str, str]):
    """A batch of templates: each file written, each source that failed, a count line; exit 1 if any failed, 2 if
    the output refused one.
    `made` and `failed` count the workbooks and the failed sources, in Chinese and English."""
    lang = _lang()
    for p in result.written:
        source = result.sources.get(p)
        _echo(_say(f"已生成：{display_path(p)}" + (f"（来自 {source}）" if source else ""),
                        f"Written: {display_path(p)}" + (f" (from {source.en})" if source else "")))
    for e in result.errors:
        click.echo(_say("错误：", "Error: ") + printable(in_lang(e, lang)), err=True)
    for p in result.warnings:  # a goal table's (--targets): the form was written all the same
        cell = p.location() or p.path
        where = [display_path(p.file), *([cell] if cell else [])]
        click.echo(_say("警告：", "Warning: ") + _say("：", ": ").join([*where, printable(p.text(lang))]), err=True)
    for n in getattr(result, "notices", ()):
        click.echo(_say("注意：", "Note: ") + printable(in_lang(n, lang)), err=True)
    for path, (why, why_en) in result.skipped.items():
        click.echo(_say(f"未使用：{display_path(path)}（{why}）", f"Not used: {display_path(path)} ({why_en})"), err=True)
    # a workbook the output refused is among the errors (said where it was tried), but no row's or goal table's
    # fault: counted apart, as not written, with its path
    lost = len(result.unwritten)
    n, errors, skipped = len(result.written), len(result.errors) - lost, len(result.skipped)
    shown = [display_path(p) for p in result.unwritten[:3]]
    if chinese():
        unused = f"，{skipped} 个文件未使用" if skipped else ""
        unwritten = f"；{lost} {made[0]}未能写入（{'、'.join(shown)}{'等' if lost > 3 else ''}，原因见上）" if lost else ""
        click.echo(f"共生成 {n} {made[0]}，{errors} {failed[0]}{unused}{unwritten}。", err=True)
    else:
        unused = f", {skipped} file{'s' * (skipped != 1)} not used" if skipped else ""
        unwritten = (f"; {lost} {made[1]}{'s' * (lost != 1)} could not be written ({', '.join(shown)}"
                     f"{', …' if lost > 3 else ''}; the reason above)") if lost else ""
        click.echo(f"{n} {made[1]}{'s' * (n != 1)} written, {errors} {failed[1]}{'s' * (errors != 1)} failed"
                   f"{unused}{unwritten}.", err=True)
    # a workbook the output refused (a full disk) is the run's failure, not a row's: 2, as for a single output
    sys.exit(_output_failed_exit if result.unwritten else 0 if result.ok else 1)


@main.command(short_help="生成空白模板、按项目清单批量生成，或由绩效目标表生成自评表、监控表。",
              short_help_en="Write blank or prefilled templates, or self-evaluations and monitoring reports.",
              help_en="""Write a blank protected template, or with --prefill one per row of a project list;
    --form self-evaluation --targets writes self-evaluations; --form monitoring --month N --targets writes
    monitoring reports. A self-evaluation or monitoring report takes its approved goal table's year, framework and
    rows: --year, --framework, --rows, --library, --prefill, --ignore-columns and -o go with the goal table only.

    Exit codes: 0 every workbook written; 1 a row or a goal table failed (the others are written), or an input
    file cannot be used; 2 a usage error, an output path or a configuration that cannot be used, or an output that
    cannot be written (with --prefill or --targets, the others are written); 130 interrupted (Ctrl-C).""")
@click.option("-o", "--out", "out", type=_OutFile("模板.xlsx", "template.xlsx"), cls=_Option,
              help="输出的模板文件（文件名须以 .xlsx 结尾）", help_en="the template to write (a name ending in .xlsx)")
@click.option("--framework", default=DEFAULT_FRAMEWORK, show_default=True, cls=_Option, metavar_zh="标识",
              metavar_en="ID", help="指标体系（见 xlgoals frameworks）",
              help_en="the indicator framework (see xlgoals frameworks)")
@click.option("--year", default=2020, show_default=True, type=click.IntRange(MIN_YEAR, MAX_YEAR), cls=_Option,
              metavar_zh="年份", metavar_en="YEAR", help="年度", help_en="the budget year")
@click.option("--rows", default=None, type=click.IntRange(1, MAX_ROWS), cls=_Option,
              metavar_zh="行数", metavar_en="ROWS", help=f"指标行数（默认：第一页容纳的行数，至多 {DEFAULT_ROWS}）",
              help_en=f"the number of indicator rows (default: those the first page holds, at most {DEFAULT_ROWS})")
@click.option("--password", default=None, cls=_Option, metavar_zh="密码", metavar_en="PASSWORD",
              help="工作表保护密码（可选）", help_en="a password for the sheet protection (optional)")
@click.option("--prefill", type=click.Path(exists=True, dir_okay=False, path_type=Path), cls=_Option,
              help="项目清单（CSV，或 Excel 工作簿的第一个工作表）：每行生成一个预填的模板",
              help_en="a project list (CSV, or the first sheet of a workbook): one prefilled template per row")
@click.option("--out-dir", type=_OutDir("模板", "templates"), cls=_Option,
              help="与 --prefill 一起使用的输出文件夹",
              help_en="the output folder, with --prefill or --targets")
@click.option("--force", is_flag=True, cls=_Option,
              help="覆盖已有的文件：-o 给出的文件，或与 --prefill、--targets 一起使用时输出文件夹中的同名文件",
              help_en="write over existing files: the file given with -o, or with --prefill or --targets files of "
                      "the same name in the output folder")
@click.option("--ignore-columns", "ignore_columns", multiple=True, cls=_Option, metavar_zh="列名",
              metavar_en="NAMES",
              help="与 --prefill 一起使用：忽略项目清单中的这些列（如 项目编码,备注；可重复），其内容不进入模板",
              help_en="with --prefill: leave out these columns of the project list (such as a project code and a note; "
                      "repeatable); what they hold goes into no template")
@click.option("--library", type=_IN_FILE, cls=_Option, metavar_zh="文件", metavar_en="FILE",
              help="指标库（CSV 或 xlsx）：三级指标列提供该行二级指标下的库中名称供选择，仍可自由填写",
              help_en="an indicator library (CSV or xlsx): the level-3 column offers the library's names for the "
                      "row's level-2 category, and still takes any text")
@click.option("--form", "form_id", type=_FORMS, default="goal-table", show_default=True, cls=_Option,
              help="表单：绩效目标表，或由 --targets 生成的绩效自评表、绩效运行监控表",
              help_en="the form: the goal table, or a self-evaluation or monitoring report made from --targets")
@click.option("--month", type=click.IntRange(1, 12), default=None, cls=_Option, metavar_zh="月份", metavar_en="MONTH",
              help="绩效运行监控表的报告月份 N（1-N月）",
              help_en="the monitoring report's month N (months 1 to N)")
@_targets_options("批复的绩效目标表（.xlsx/.xls/.ods 或 JSON，文件或文件夹，可给出多个），每个生成一份自评表或监控表",
                  "approved goal tables (.xlsx/.xls/.ods or JSON, files or folders, one or more): a "
                  "self-evaluation or monitoring report for each",
                  "自评分值文件（JSON），替换指标体系的分值",
                  "a self-evaluation points file (JSON), instead of the framework's points")
@_config_options
@_limits_with("；它们限制读取 --targets 的绩效目标表以及工作簿形式的项目清单和指标库的进程，CSV 形式的项目清单和指标库（本局自己的文件）"
              "在本进程中读取，不受其限制",
              "; they bound the processes reading the goal tables of --targets and a project list or library given as "
              "a workbook: one given as CSV (the bureau's own file) is read in this process, not bounded by them")
@_lang_option
def template(out, framework, year, rows, password, prefill, out_dir, force, ignore_columns, library, form_id, month,
             targets, weights, rules_file, frameworks_dir, limits_file):
    """生成受保护的空白模板，或用 --prefill 按项目清单批量生成；--form self-evaluation --targets 生成绩效自评表；
    --form monitoring --month N --targets 生成绩效运行监控表。自评表、监控表的年度、指标体系和指标行取自批复的绩效目标表：
    --year、--framework、--rows、--library、--prefill、--ignore-columns 和 -o 只用于绩效目标表。

    退出码：0 全部生成；1 有行或绩效目标表出错（其余照常生成）或输入文件无法使用；2 参数、输出路径或配置错误，或无法写入输出
    （--prefill、--targets 时其余照常生成）；130 被中断（Ctrl-C）。"""
    from ._write._template import prefill_templates, write_template

    ctx = click.get_current_context()
    _args.template_options(form_id, [p.opts[0] for p in ctx.command.params  # (-o, --year: as said in the table)
                                     if ctx.get_parameter_source(p.name) is not ParameterSource.DEFAULT])
    if targets and form_id == "goal-table":
        _fail(_targets_without_form(targets, out), 2)
    cfg = _config(rules_file, frameworks_dir, limits_file)
    if form_id == "monitoring":
        from ._monitor._targets import monitoring_templates

        if form_id != "monitoring" or not targets or not out_dir or month is None:
            _fail(_with_targets_note(Bilingual("绩效运行监控表须同时指定 --form monitoring、--month、--targets 和 --out-dir",
                                               "a monitoring report needs --form monitoring, --month, --targets and "
                                               "--out-dir together"), targets, out_dir), 2)
        result = monitoring_templates(targets, out_dir, month=month, password=password, config=cfg, force=force)
        _report_batch(result, ("个监控表", "monitoring report"), ("个绩效目标表出错", "goal table"))
    if form_id == "self-evaluation" or targets:
        from ._selfeval._targets import self_evaluation_templates

        if form_id != "self-evaluation" or not targets or not out_dir:
            _fail(_with_targets_note(Bilingual("绩效自评表须同时指定 --form self-evaluation、--targets 和 --out-dir",
                                               "a self-evaluation needs --form self-evaluation, --targets and "
                                               "--out-dir together"), targets, out_dir), 2)
        result = self_evaluation_templates(targets, out_dir, weights=weights, password=password, config=cfg,
                                           force=force)
        _report_batch(result, ("个自评表", "self-evaluation"), ("个绩效目标表出错", "goal table"))
    if ignore_columns and not prefill:
        _fail(Bilingual("--ignore-columns 只与 --prefill 一起使用", "--ignore-columns goes only with --prefill"), 2)
    if prefill:
        if not out_dir:
            _fail(Bilingual("--prefill 需要同时指定 --out-dir", "--prefill needs --out-dir"), 2)
        result = prefill_templates(prefill, out_dir, framework=framework, year=year, rows=rows, password=password,
                                   config=cfg, force=force, library=library, ignore_columns=ignore_columns)
        if result.ignored_columns:
            click.echo(_say(f"已忽略项目清单的列：{'、'.join(result.ignored_columns)}（其内容未进入模板）",
                            f"Columns of the project list left out: {', '.join(result.ignored_columns)} (what they "
                            "hold went into no template)"), err=True)
        if result.not_columns:
            click.echo(_say(f"注意：--ignore-columns 中的 {'、'.join(result.not_columns)} 不是项目清单的列",
                            f"Note: {', '.join(result.not_columns)} of --ignore-columns is no column of the "
                            "project list"), err=True)
        if result.written and click.get_current_context().get_parameter_source("year").name == "DEFAULT":
            # the year is stamped and locked: a bureau preparing another year's budget must not miss it
            click.echo(_say(f"注意：未指定 --year，模板按 {year} 年度生成并锁定；如不是 {year} 年度，请加 --year 重新生成",
                            f"Note: no --year given, so the templates are for {year}, stamped and locked; if the "
                            f"budget year is another, make them again with --year"), err=True)
        _report_batch(result, ("个模板", "template"), ("行出错", "row"))
    if not out:
        _fail(Bilingual("请用 -o 指定输出文件，或用 --prefill 与 --out-dir 批量生成",
                        "give the output file with -o, or --prefill and --out-dir for a batch"), 2)
    write_template(out, framework=framework, year=year, rows=rows, password=password, config=cfg, library=library,
                   force=force)
    _echo(_say(f"已生成模板：{out}", f"Template written: {out}"))
    if click.get_current_context().get_parameter_source("year").name == "DEFAULT":
        # stamped and locked, as with --prefill: a bureau issuing another year's template must not miss it
        click.echo(_say(f"注意：未指定 --year，模板按 {year} 年度生成并锁定；如不是 {year} 年度，请加 --year 重新生成",
                        f"Note: no --year given, so the template is for {year}, stamped and locked; if the budget "
                        "year is another, make it again with --year"), err=True)


def _targets_without_form(targets, out) -> Bilingual:
    """`template --targets` without --form self-evaluation or monitoring: --targets is no blank template's option.
    A lone path that is not there (``template --targets 模板.xlsx``: an output meant) is named, with -o to give it."""
    zh = ("--targets 只用于由批复的绩效目标表生成绩效自评表或绩效运行监控表：请加 --form self-evaluation（或 --form "
          "monitoring --month N），并用 --out-dir 指定输出文件夹")
    en = ("--targets goes only with a self-evaluation or monitoring report made from approved goal tables: add --form "
          "self-evaluation (or --form monitoring --month N), and give the output folder with --out-dir")
    if len(targets) == 1 and not out and not os.path.lexists(targets[0]):
        name = printable(str(targets[0]))
        zh += f"；“{name}”不存在，若它是要生成的空白模板，请写成 -o {name}，不用 --targets"
        en += f"; '{name}' does not exist: if it is the blank template to write, give it as -o {name}, without --targets"
    return Bilingual(zh, en)


def _with_targets_note(message: Bilingual, targets, out_dir) -> Bilingual:
    """`message` (a self-evaluation's or monitoring report's options missing), and where --out-dir is missing while
    --targets took paths, which: every path up to the next option is taken as a goal table, so an output folder
    written after them (``--targets 批复/ 下发/``) is one of them.  The last, where it is not there or is an empty
    folder, is named as the output folder it may be meant as."""
    if out_dir or not targets:
        return message
    names = [printable(str(t)) for t in targets]
    shown = names if len(names) <= 4 else [*names[:2], "…", names[-1]]  # (a shell's glob: the first and the last)
    more = (f"，共 {len(names)} 个", f", {len(names)} in all") if len(names) > 4 else ("", "")
    zh = f"（--targets 把其后直到下一个选项的路径都当作批复的绩效目标表：{'、'.join(shown)}{more[0]}"
    en = f" (--targets takes every path after it up to the next option as an approved goal table: {', '.join(shown)}{more[1]}"
    if _maybe_output_folder(targets[-1]):
        zh += f"；若“{names[-1]}”是输出文件夹，请写成 --out-dir {names[-1]}"
        en += f"; if '{names[-1]}' is the output folder, give it as --out-dir {names[-1]}"
    return Bilingual(str(message) + zh + "）", message.en + en + ")")


def _maybe_output_folder(path) -> bool:
    """Whether `path` may be an output folder rather than goal tables: it is not there, or is an empty folder."""
    try:
        return not os.path.lexists(path) or (os.path.isdir(path) and not os.listdir(path))
    except (OSError, ValueError):  # (a folder that cannot be listed: goal tables as like as not)
        return False


@main.command(help_en="""Fill a JSON document into a workbook laid out as the template.

    Exit codes: 0 written; 1 the document cannot be used (bad JSON or content; nothing is written); 2 a usage error,
    an input path that does not exist, an output path or a configuration that cannot be used, or an output that
    cannot be written; 130 interrupted (Ctrl-C).""")
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path), cls=_Argument, metavar_zh="JSON文档",
                metavar_en="DOCUMENT")
@click.option("-o", "--out", "out", required=True, type=_OutFile("填报表.xlsx", "return.xlsx"), cls=_Option,
              help="输出的工作簿（文件名须以 .xlsx 结尾）", help_en="the workbook to write (a name ending in .xlsx)")
@click.option("--password", default=None, cls=_Option, metavar_zh="密码", metavar_en="PASSWORD",
              help="工作表保护密码（可选）", help_en="a password for the sheet protection (optional)")
@_config_options
@_limits_with("；它们限制读取 JSON 文档的进程", "; they bound the process reading the JSON document")
@_force_option
@_lang_option
def fill(document, out, password, rules_file, frameworks_dir, limits_file, force):
    """把 JSON 文档填入模板格式的工作簿。

    退出码：0 已生成；1 文档无法使用（JSON 或内容有误，未写入任何文件）；2 参数、输出路径或配置错误、输入路径不存在，或无法写入输出；130 被中断（Ctrl-C）。"""
    from ._paths import refuse_missing
    from ._write._fill import fill as fill_document

    refuse_missing([document])  # a usage error (exit 2), as for every command's input
    cfg = _config(rules_file, frameworks_dir, limits_file)
    warnings = []
    fill_document(document, out, password=password, config=cfg, force=force, warnings=warnings)
    for p in warnings:  # written all the same (an amount below one 元): said, at its JSON pointer
        click.echo(_say(f"警告：{p.path}：{printable(p.message)}", f"Warning: {p.path}: {printable(p.message_en)}"),
                   err=True)
    _echo(_say(f"已生成：{out}", f"Written: {out}"))


@main.command(help_en="""Read a filled workbook and print its JSON document.

    Exit codes: 0 success; 1 the file cannot be read or has cell errors; 2 a usage error, an input path that does
    not exist or is a folder, an output path or a configuration that cannot be used, or an output that cannot be
    written; 130 interrupted (Ctrl-C).""")
@click.argument("file", type=click.Path(readable=False, path_type=Path), cls=_Argument, metavar_zh="文件",
                metavar_en="FILE")
@click.option("-o", "--out", "out", type=_OutFile("文档.json", "document.json"), cls=_Option,
              help="输出 JSON 文件（默认输出到屏幕；不能以 .xlsx、.xls 等工作簿扩展名结尾）",
              help_en="the JSON file to write (by default the screen; not named like a workbook, .xlsx, .xls …)")
@click.option("--trace", is_flag=True, cls=_Option, help="同时输出每个值所在的单元格、模板标识和读取问题",
              help_en="add the cell of every value, the template stamp and the reader's problems")
@_config_options
@_limits_option
@_force_option
@_lang_option
def read(file, out, trace, rules_file, frameworks_dir, limits_file, force):
    """读取一份填好的工作簿，输出 JSON 文档。

    退出码：0 成功；1 文件无法读取或有单元格错误；2 参数、输出路径或配置错误、输入路径不存在或是文件夹，或无法写入输出；130 被中断（Ctrl-C）。"""
    from ._atomic import write_bytes
    from ._paths import (guard_single_output, refuse_existing_outputs, refuse_folder_to_read, refuse_missing,
                         refuse_other_read_output, written_by_read)
    from ._errors import ConfigError
    from ._problems import severity_label
    from ._read import _read_bounded

    lang = _lang()
    colon = _say("：", ": ")
    refuse_missing([file])  # a usage error (exit 2), as validate's and consolidate's, not the file's problem (1)
    refuse_folder_to_read(file)
    cfg = _config(rules_file, frameworks_dir, limits_file)
    guard_single_output(out, [file, *cfg.sources], workbook=False, kind="JSON")
    refuse_existing_outputs([out], force, ours=written_by_read)  # a JSON there: known after reading (below)
    # read as validate reads one return: in a child bounded in time and memory (a damaged .xls can make calamine abort
    # the process it runs in); a ConfigError is the command's usage error, anything else the child raises a crash
    result = _read_bounded(file, cfg, raises=(ConfigError,))
    text = result.to_json(trace=trace, lang=lang)
    if out and text is not None:  # replaced only when it is this input's own output (a JSON return is not)
        refuse_other_read_output(out, text, file, result.sha256, force)
    for p in result.problems:
        label = severity_label(p.severity, lang)
        click.echo(f"{label if chinese() else label.capitalize()}{colon}{p.location() or display_path(file)}{colon}"
                   f"{printable(p.text(lang))}", err=True)
    if text is None:
        sys.exit(1)
    if out:
        write_bytes(out, text.encode("utf-8"))
    else:
        _echo(text, nl=False)
    sys.exit(1 if any(p.is_error for p in result.problems) else 0)


@main.command(help_en="""Validate the returned workbooks (files or folders).

    Exit codes: 0 when every file passes, 1 when a file fails or no file was found to check, 2 for a usage error, an output path or a
    configuration that cannot be used, an input path that does not exist or a folder named that cannot be read (the others still checked), a report
    that cannot be written, or an annotated copy that cannot be written (the others are kept), 130 interrupted
    (Ctrl-C).""")
@click.argument("paths", nargs=-1, required=True, type=_INPUTS, callback=_given_paths, cls=_Argument,
                metavar_zh="路径...", metavar_en="PATHS...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"], case_sensitive=False), default="text", show_default=True,
              cls=_Option, help="报告格式：文本、JSON 或 CSV", help_en="the report's format: text, JSON or CSV")
@click.option("--lang", type=click.Choice(["zh", "en"], case_sensitive=False), default="zh", show_default=True, cls=_Option,
              expose_value=False, help="报告和提示的语言：中文或英文",
              help_en="the language of the report, messages and help: Chinese or English")
@click.option("--strict", is_flag=True, cls=_Option, help="警告也视为不通过", help_en="warnings fail a file too")
@click.option("-o", "--out", "out", type=_OutFile("校验结果.txt", "report.txt"), cls=_Option,
              help="把报告写入文件（不能以 .xlsx、.xls 等工作簿扩展名结尾；未给出 --format 时，.json、.csv 文件按扩展名的格式写入）",
              help_en="write the report to a file (not named like a workbook, .xlsx, .xls …; without --format, a "
                      ".json or .csv file is written in its name's format)")
@click.option("--annotate", "annotate_dir", type=_OutDir("标注副本", "annotated"), cls=_Option,
              help="为未通过的文件在此文件夹生成标注了问题的副本；加 --review 时，通过但有审核提示或警告的文件也生成副本（审核意见随副本退回单位）",
              help_en="write an annotated copy of each failing file to this folder; with --review, of each file that "
                      "passes with review notices or warnings too (the review reaches the department in its copy)")
@click.option("--jobs", type=click.IntRange(0, MAX_JOBS), default=None, cls=_Option, metavar_zh="进程数",
              metavar_en="N", help="并行进程数（默认或 0：本进程可用的全部 CPU 核）",
              help_en="the number of worker processes (default or 0: every CPU core this process may use)")
@_review_options
@_targets_options("批复的绩效目标表（文件或文件夹，可给出多个，放在要校验的文件之后）：检查绩效自评表、绩效运行监控表中锁定的目标（和分值）是否被改动",
                  "approved goal tables (files or folders, one or more, after the files to validate): check "
                  "that the locked targets (and points) of self-evaluations and monitoring reports are unchanged",
                  "生成自评表时使用的分值文件（JSON）",
                  "the points file (JSON) the self-evaluations were made with")
@_config_options
@_limits_option
@_force_option
def validate(paths, fmt, strict, out, annotate_dir, jobs, review, previous, library, review_config, targets,
             weights, rules_file, frameworks_dir, limits_file, force):
    """校验收到的工作簿（文件或文件夹）。

    退出码：全部通过时为 0，有未通过的文件（含无法读取的文件夹）或没有找到任何要校验的文件时为 1，参数、输出路径或配置错误、输入路径不存在或无法读取所给的文件夹（其余路径仍校验）、无法写入报告或
    标注副本无法写入（其余副本保留）为 2，被中断（Ctrl-C）为 130。"""
    from ._entry import loading

    with loading():  # the checks' modules and the configuration: no garbage collection while they load
        from ._check._report import render_report
        from ._check._validate import validate as run
        from ._paths import (guard_report_outputs, looking_once_here, missing_inputs, missing_named, refuse_missing,
                             report_format, unreadable_named)

        lang = _lang()  # the whole command line's last --lang (`xlgoals --lang en validate …` too), as for its errors
        cfg = _config(rules_file, frameworks_dir, limits_file)
    # `-o 校验结果.csv` without --format is a CSV: the file is what its name says
    fmt = report_format(out, fmt, click.get_current_context().get_parameter_source("fmt")
                        is not click.core.ParameterSource.DEFAULT)
    missing = missing_inputs(paths)
    if len(missing) == len(paths):  # nothing named is there (a mistyped inbox): a usage error, as consolidate's
        refuse_missing(missing)
    with looking_once_here():  # the checks before reading and the scan look at a file of the inbox once, as consolidate
        others = guard_report_outputs(paths, out, annotate_dir, fmt, force=force,
                                      inputs=[*previous, library, review_config, *(targets or ()), weights, *cfg.sources])
        report = run(paths, strict=strict, jobs=jobs, config=cfg, exclude=[p for p in (out, annotate_dir) if p],
                     targets=list(targets) if targets else None, weights=weights,
                     **_review_args(review, previous, library, review_config))
    unwritten = []
    if annotate_dir:  # the copies first: made even when the report then cannot be written (a full disk)
        unwritten = _annotate(report, annotate_dir, others, lang, jobs, cfg.limits)
    text = render_report(report, fmt, lang, rules=cfg.rules)
    if out:
        from ._atomic import write_bytes

        write_bytes(out, text.encode("utf-8"))
    else:
        _echo(text, nl=False)
    unlisted = _unreadable_named(paths, report)  # a folder named that cannot be read: as a path not there
    # "the files of the other paths were checked" only where another path named was there and read
    unread = {os.fspath(p) for p in missing} | {p for p, _ in unlisted}
    others = any(os.fspath(p) not in unread for p in paths)
    for path in missing:  # the others were checked and reported, this one listed there as not found (file.missing)
        click.echo(printable(in_lang(missing_named(path, others), lang)), err=True)
    for path, why in unlisted:
        click.echo(printable(in_lang(unreadable_named(path, why, others), lang)), err=True)
    if unwritten:  # the copies asked for are not all there: a script must not send the folder as it is
        _fail(_copies_not_written(unwritten, report.annotated["written"]), _output_failed_exit)
    if report.nothing_checked and (out or fmt != "text"):  # (the text report on the terminal says it already)
        click.echo(_say("注意：没有校验任何文件（所给的路径中没有找到要校验的工作簿或 JSON 申报文档，见报告）；退出码 1",
                        "Note: nothing was checked (no workbook or JSON document of a return was found to check in "
                        "the paths given, see the report); exit code 1"), err=True)
    # nothing checked (an empty or unsynced inbox): 1, as consolidate's, so that `validate --strict 收件箱 && …` stops
    sys.exit(2 if missing or unlisted else 1 if report.nothing_checked or not report.valid else 0)


def _unreadable_named(paths, report) -> list:
    """The folders named on the command line that could not be read (folder.unreadable): (path, (reason zh, en))."""
    named = {os.fspath(p) for p in paths}
    return [(f.path, (f.problems[0].value, f.problems[0].value_en)) for f in report.files
            if f.path in named and [p.code for p in f.problems] == ["folder.unreadable"]]


@main.command(help_en="""Consolidate many returns into one workbook (budget totals, project list, indicators,
    statistics by category and the validation results).

    Exit codes: 0 the summary was written (whether or not each return passes); 1 no return was found in the paths
    given, neither a workbook nor a JSON document of one (the empty summary is still written); 2 a usage error, an
    output path or a configuration that cannot be used, an input path that does not exist, a folder that cannot be read (nothing written), a folder mixing forms
    (summarise each apart), or an output that cannot be written; 130 interrupted (Ctrl-C).""")
@click.argument("paths", nargs=-1, required=True, type=_INPUTS, callback=_given_paths, cls=_Argument,
                metavar_zh="路径...", metavar_en="PATHS...")
@click.option("-o", "--out", "out", required=True, type=_OutFile("汇总.xlsx", "summary.xlsx"), cls=_Option,
              help="汇总工作簿（文件名须以 .xlsx 结尾）", help_en="the summary workbook (a name ending in .xlsx)")
@click.option("--jobs", type=click.IntRange(0, MAX_JOBS), default=None, cls=_Option, metavar_zh="进程数",
              metavar_en="N", help="并行进程数（默认或 0：本进程可用的全部 CPU 核）",
              help_en="the number of worker processes (default or 0: every CPU core this process may use)")
@click.option("--include-invalid", is_flag=True, cls=_Option, help="未通过校验的申报也计入合计",
              help_en="count the returns that fail validation in the totals too")
@click.option("--csv", "csv_dir", type=_OutDir("汇总CSV", "summary-csv"), cls=_Option,
              help="同时输出 CSV 到此文件夹", help_en="also write the tables as CSV to this folder")
@click.option("--json", "json_path", type=_OutFile("汇总.json", "summary.json"), cls=_Option,
              help="同时输出 JSON 文件（不能以 .xlsx、.xls 等工作簿扩展名结尾）",
              help_en="also write a JSON file (not named like a workbook, .xlsx, .xls …)")
@click.option("--progress/--no-progress", default=None, cls=_Option, help="显示进度条（默认：仅在终端上显示）",
              help_en="show a progress bar (by default only on a terminal)")
@_review_options
@_targets_options("批复的绩效目标表（文件或文件夹，可给出多个，放在要汇总的文件之后）：锁定的目标（和分值）被改动的自评表、监控表不通过校验，不计入合计",
                  "approved goal tables (files or folders, one or more, after the files to consolidate): a "
                  "self-evaluation or monitoring report whose locked targets (or points) were changed fails "
                  "and is not counted",
                  "生成自评表时使用的分值文件（JSON）",
                  "the points file (JSON) the self-evaluations were made with")
@_config_options
@_limits_option
@_force_option
@_lang_option
def consolidate(paths, out, jobs, include_invalid, csv_dir, json_path, progress, review, previous, library,
                review_config, targets, weights, rules_file, frameworks_dir, limits_file, force):
    """汇总多份申报到一个工作簿（含预算合计、项目清单、指标明细、分类统计和校验结果）。

    退出码：0 已生成汇总（无论各申报是否通过校验）；1 所给路径中没有任何工作簿或 JSON 申报文档（仍写入空的汇总）；
    2 参数、输出路径或配置错误、输入路径不存在或有无法读取的文件夹（未写入任何文件）、文件夹中混有不同表单（请分开汇总），或无法写入输出；130 被中断（Ctrl-C）。"""
    from ._consolidate import consolidate as run
    from ._consolidate import progress_callback

    if not chinese():  # the bar in English, where there is one; False where there is none
        progress = progress_callback(progress, label="Reading and validating") or False
    result = run(paths, out, jobs=jobs, include_invalid=include_invalid, csv_dir=csv_dir, json_path=json_path,
                 progress=progress, config=_config(rules_file, frameworks_dir, limits_file),
                 targets=list(targets) if targets else None, weights=weights, force=force,
                 **_review_args(review, previous, library, review_config))
    for line in result.target_errors or ():
        click.echo(_say(f"未使用的绩效目标表：{printable(in_lang(line, 'zh'))}",
                        f"Goal table not used: {printable(in_lang(line, 'en'))}"), err=True)
    _echo(_say(f"已生成汇总：{display_path(out)}", f"Summary written: {display_path(out)}"))
    _echo(result.describe(_lang()))
    for line in result.duplicate_lines(_lang()):  # which files collide, and the one that counts instead
        click.echo(line, err=True)
    for line in result.targets_lines(_lang()):  # returns held to no goal table, or to one of competing approvals
        click.echo(line, err=True)
    nothing = result.nothing_found(_lang())  # an empty summary: a script's `&&` should not carry on as if summarised
    if nothing:  # (before the files not checked, which it says are listed below it)
        click.echo(nothing, err=True)
    elif result.skipped:  # links out of the folder not followed (for safety): how many, and how to include them
        from ._check._report import outside_links, outside_links_line

        if linked := outside_links(result.skipped):
            click.echo(outside_links_line(linked, _lang()), err=True)
    if result.skipped:  # which files, and why: as validate lists them (standard output keeps its two lines)
        from ._check._report import not_checked_lines

        click.echo("\n".join(not_checked_lines(result.skipped, _lang())), err=True)
    sys.exit(1 if nothing else 0)


def run() -> None:
    """The console script (``xlgoals``, ``python -m xlgoals``): the command, then a quick exit.

    A process that has loaded the readers and the checks takes about 10 ms to tear its interpreter down, an
    eighth of a single check.  Every command has committed what it writes (outputs are written atomically
    and closed) when it returns, so after the exit handlers have run, other threads have ended and the
    standard streams are flushed, the process ends without the teardown.  Errors other than the exit
    itself propagate as they would.
    """
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # the handlers a normal exit runs (temporary folders, worker pools, logging)
    for stream in (sys.stdout, sys.stderr):
        if stream is None or (stream is sys.stdout and _stdout_failure_said):  # closed (`>&-`: None); or said
            continue
        try:
            stream.flush()
        except BrokenPipeError:  # a closed pipe (xlgoals validate … | head -c 10): nothing more to say, but the
            if stream is sys.stdout:  # output was cut, what was left of it not taken: 141, as a shell gives a
                code = 141            # command ended by SIGPIPE (a script's pipefail sees it)
        except OSError as exc:  # what was left to write did not fit (> /dev/full): said, unless stderr is the one
            if stream is sys.stdout:
                with contextlib.suppress(OSError, ValueError):
                    print(("错误：" if chinese() else "Error: ") + in_lang(_stdout_failed(exc), _lang()),
                          file=sys.stderr, flush=True)
                code = _output_failed_exit  # validate's 1 (a return failed) too: the output is cut
        except ValueError:  # a stream closed
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
