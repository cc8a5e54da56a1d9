"""Command line: parse options, call one library function, print.  All logic lives in the library."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import __version__
from ._cli_zh import asks_for_english, chinese, gettext, speak
from ._cli_zh import install as _speak_chinese
from ._defaults import DEFAULT_FRAMEWORK, DEFAULT_ROWS, MAX_ROWS
from ._errors import XlgoalsError, os_reason
from ._text import Bilingual, display_path, in_lang, printable, reason_of


_speak_chinese()  # click's usage lines and parsing errors, as the rest of the command line


def _fail(message: str, code: int = 1):
    """One error (a Bilingual one in English under ``--lang en``), prefixed 错误： (or Error: ), and the exit code."""
    english = not chinese()
    lines = in_lang(message, "en" if english else "zh").split("\n")  # a document's problems keep their lines
    click.echo(("Error: " if english else "错误：") + "\n".join(printable(line) for line in lines), err=True)
    sys.exit(code)


class _Words:
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


class _OutFile(click.Path):
    """An output file's path.  One written as a folder (``-o 报告/``, a trailing slash) is refused rather than
    taken for the file ``报告``: the user meant a folder, and would not find the output they asked for."""

    def __init__(self, example: str, example_en: str):
        super().__init__(dir_okay=False, path_type=Path)
        self.example, self.example_en = example, example_en  # a file name, for the message

    def convert(self, value, param, ctx):
        seps = tuple(sep for sep in (os.sep, os.altsep) if sep)
        if isinstance(value, str) and value.endswith(seps) and value.rstrip("".join(seps)):
            shown = display_path(value)
            self.fail(in_lang(Bilingual(f"{shown} 以“/”结尾，是文件夹的写法；这里应为文件名（如 {shown}{self.example}）",
                                        f"{shown} ends in '/', a folder; a file name is needed here (such as "
                                        f"{shown}{self.example_en})"), "zh" if chinese() else "en"), param, ctx)
        return super().convert(value, param, ctx)


class _Group(click.Group):
    """Turns user mistakes raised by the library into one clear line and an exit code (1, or 2 for configuration)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, options_metavar="[选项]", subcommand_metavar="命令 [参数]...", **kwargs)

    def add_command(self, cmd, name=None):
        cmd.options_metavar = "[选项]"  # the usage line, as click's own words (_cli_zh)
        super().add_command(cmd, name)

    def main(self, args=None, *rest, **kwargs):
        """A command line with ``--lang en`` gets click's own English (usage line and parsing errors)."""
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
        return super().main(args, *rest, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except XlgoalsError as exc:
            _fail(reason_of(exc), exc.exit_code)
        except OSError as exc:  # e.g. an output folder that cannot be written
            where = display_path(exc.filename) if exc.filename else ""
            _fail(Bilingual(f"无法读写文件{'：' + where if where else ''}（{os_reason(exc)}）",
                            f"cannot read or write {where or 'a file'} ({os_reason(exc, 'en')})"))
        except KeyboardInterrupt:
            _fail(Bilingual("已中断（未写入不完整的输出文件）", "interrupted (no incomplete output file was written)"), 130)


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


def _flatten(ctx, param, value):
    return tuple(Path(v) for group in value or () for v in group)


def _config_options(fn):
    """--rules and --frameworks: a bureau's rule table and framework folder, over the packaged ones."""
    fn = click.option("--frameworks", "frameworks_dir", type=click.Path(path_type=Path), cls=_Option,
                      metavar_zh="文件夹", metavar_en="DIRECTORY",
                      help="指标体系文件夹（其中的 .json 补充或替换内置的指标体系）")(fn)
    return click.option("--rules", "rules_file", type=click.Path(path_type=Path), cls=_Option, metavar_zh="文件",
                        metavar_en="FILE", help="规则表 CSV（其中的行替换内置规则表中代码相同的行，或新增规则）")(fn)


def _review_options(fn):
    """--review and what feeds it: --previous (repeatable), --library, --review-config."""
    fn = click.option("--review-config", "review_config", type=click.Path(path_type=Path), cls=_Option,
                      metavar_zh="文件", metavar_en="FILE", help="审核配置 JSON（覆盖内置 schema/review.json 中的阈值、词表和权重）")(fn)
    fn = click.option("--library", type=click.Path(path_type=Path), cls=_Option, metavar_zh="文件", metavar_en="FILE",
                      help="指标库（CSV 或 xlsx，列：一级、二级、三级、计量单位、说明）")(fn)
    fn = click.option("--previous", multiple=True, type=click.Path(path_type=Path),
                      help="上年申报（工作簿或 JSON 文档，文件或文件夹；可重复）")(fn)
    return click.option("--review", is_flag=True,
                        help="目标审核：报告模糊、不可考核等薄弱目标（提示，不影响是否通过），并给出得分")(fn)


def _review_args(review, previous, library, review_config) -> dict:
    """Keyword arguments for the library: any review input turns the review on."""
    on = bool(review or previous or library or review_config)
    return {"review": on, "previous": list(previous) or None, "library": library, "review_config": review_config}


def _config(rules_file, frameworks_dir):
    from ._config import Config

    return Config.load(rules_file, frameworks_dir)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="xlgoals")
def main():
    """xlgoals：财政项目支出绩效目标表的 Excel 模板、读取、校验与汇总。"""


@main.command()
@_config_options
def frameworks(rules_file, frameworks_dir):
    """列出可用的指标体系（用 --rules 时同时检查规则表）。

    退出码：0 成功；2 规则表或指标体系文件无法使用；130 被中断（Ctrl-C）。"""
    cfg = _config(rules_file, frameworks_dir)
    for fw in cfg.frameworks:
        cats = "；".join(f"{c['name']}{'*' if c.get('required') else ''}（{'、'.join(c['level2'])}）" for c in fw.level1)
        click.echo(f"{fw.id}\t{fw.title}\n    {cats}")
    click.echo("（* 为必填一级指标）")
    if rules_file:
        click.echo(f"规则表 {rules_file}：检查通过，共 {len(cfg.rules)} 条规则。")


@main.command()
@click.option("--form", "form_id", type=click.Choice(["goal-table", "self-evaluation", "monitoring"]),
              default="goal-table", show_default=True, help="表单：绩效目标表、绩效自评表或绩效运行监控表")
def schema(form_id):
    """打印表单的 JSON Schema（默认为绩效目标表）。

    退出码：0 成功；2 参数错误；130 被中断（Ctrl-C）。"""
    import json

    from ._check._schema import load_schema

    click.echo(json.dumps(load_schema(form_id), ensure_ascii=False, indent=2))


def _report_batch(result, made: str, failed: str):
    """A batch of templates: each file written, each source that failed, a count line; exit 1 if any failed."""
    for p in result.written:
        click.echo(f"已生成：{display_path(p)}")
    for e in result.errors:
        click.echo(f"错误：{printable(e)}", err=True)
    for path, (why, _) in result.skipped.items():
        click.echo(f"未使用：{display_path(path)}（{why}）", err=True)
    unused = f"，{len(result.skipped)} 个文件未使用" if result.skipped else ""
    click.echo(f"共生成 {len(result.written)} {made}，{len(result.errors)} {failed}{unused}。", err=True)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option("-o", "--out", "out", type=_OutFile("模板.xlsx", "template.xlsx"),
              help="输出的模板文件（文件名须以 .xlsx 结尾）")
@click.option("--framework", default=DEFAULT_FRAMEWORK, show_default=True, cls=_Option, metavar_zh="标识",
              help="指标体系（见 xlgoals frameworks）")
@click.option("--year", default=2020, show_default=True, type=click.IntRange(2000, 2100), cls=_Option,
              metavar_zh="年份", help="年度")
@click.option("--rows", default=None, type=click.IntRange(1, MAX_ROWS), cls=_Option,
              metavar_zh="行数", help=f"指标行数（默认 {DEFAULT_ROWS}）")
@click.option("--password", default=None, cls=_Option, metavar_zh="密码", help="工作表保护密码（可选）")
@click.option("--prefill", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="项目清单 CSV：每行生成一个预填的模板")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), help="与 --prefill 一起使用的输出文件夹")
@click.option("--force", is_flag=True, help="与 --prefill 或 --targets 一起使用：覆盖输出文件夹中的同名文件")
@click.option("--library", type=click.Path(path_type=Path), cls=_Option, metavar_zh="文件", metavar_en="FILE",
              help="指标库（CSV 或 xlsx）：三级指标列提供该行二级指标下的库中名称供选择，仍可自由填写")
@click.option("--form", "form_id", type=click.Choice(["goal-table", "self-evaluation", "monitoring"]),
              default="goal-table", show_default=True,
              help="表单：绩效目标表，或由 --targets 生成的绩效自评表、绩效运行监控表")
@click.option("--month", type=click.IntRange(1, 12), default=None, cls=_Option, metavar_zh="月份", help="绩效运行监控表的报告月份 N（1-N月）")
@click.option("--targets", cls=_Paths, help="批复的绩效目标表（.xlsx/.xls/.ods 或 JSON，文件或文件夹，可给出多个），每个生成一份自评表或监控表")
@click.option("--weights", type=click.Path(dir_okay=False, path_type=Path), help="自评分值文件（JSON），替换指标体系的分值")
@_config_options
def template(out, framework, year, rows, password, prefill, out_dir, force, library, form_id, month, targets, weights,
             rules_file, frameworks_dir):
    """生成受保护的空白模板，或用 --prefill 按项目清单批量生成；--form self-evaluation --targets 生成绩效自评表；
    --form monitoring --month N --targets 生成绩效运行监控表。

    退出码：0 全部生成；1 有行或绩效目标表出错（其余照常生成）、输入文件无法使用或无法写入；2 参数、输出路径或配置错误；130 被中断（Ctrl-C）。"""
    from ._write._template import prefill_templates, write_template

    if weights is not None and form_id != "self-evaluation":
        _fail("--weights 只用于 --form self-evaluation（自评表的分值）", 2)
    cfg = _config(rules_file, frameworks_dir)
    if form_id == "monitoring" or month is not None:
        from ._monitor._targets import monitoring_templates

        if form_id != "monitoring" or not targets or not out_dir or month is None:
            _fail("绩效运行监控表须同时指定 --form monitoring、--month、--targets 和 --out-dir", 2)
        result = monitoring_templates(targets, out_dir, month=month, password=password, config=cfg, force=force)
        _report_batch(result, "个监控表", "个绩效目标表出错")
    if form_id == "self-evaluation" or targets:
        from ._selfeval._targets import self_evaluation_templates

        if form_id != "self-evaluation" or not targets or not out_dir:
            _fail("绩效自评表须同时指定 --form self-evaluation、--targets 和 --out-dir", 2)
        result = self_evaluation_templates(targets, out_dir, weights=weights, password=password, config=cfg,
                                           force=force)
        _report_batch(result, "个自评表", "个绩效目标表出错")
    if prefill:
        if not out_dir:
            _fail("--prefill 需要同时指定 --out-dir", 2)
        result = prefill_templates(prefill, out_dir, framework=framework, year=year, rows=rows, password=password,
                                   config=cfg, force=force, library=library)
        _report_batch(result, "个模板", "行出错")
    if not out:
        _fail("请用 -o 指定输出文件，或用 --prefill 与 --out-dir 批量生成", 2)
    write_template(out, framework=framework, year=year, rows=rows, password=password, config=cfg, library=library)
    click.echo(f"已生成模板：{out}")


@main.command()
@click.argument("document", type=click.Path(dir_okay=False, path_type=Path), cls=_Argument, metavar_zh="JSON文档",
                metavar_en="DOCUMENT")
@click.option("-o", "--out", "out", required=True, type=_OutFile("填报表.xlsx", "return.xlsx"),
              help="输出的工作簿（文件名须以 .xlsx 结尾）")
@click.option("--password", default=None, cls=_Option, metavar_zh="密码", help="工作表保护密码（可选）")
@_config_options
def fill(document, out, password, rules_file, frameworks_dir):
    """把 JSON 文档填入模板格式的工作簿。

    退出码：0 已生成；1 文档无法使用（JSON 或内容有误，未写入任何文件）或无法写入；2 参数、输出路径或配置错误；130 被中断（Ctrl-C）。"""
    from ._write._fill import fill as fill_document

    fill_document(document, out, password=password, config=_config(rules_file, frameworks_dir))
    click.echo(f"已生成：{out}")


@main.command()
@click.argument("file", type=click.Path(path_type=Path), cls=_Argument, metavar_zh="文件", metavar_en="FILE")
@click.option("-o", "--out", "out", type=_OutFile("文档.json", "document.json"),
              help="输出 JSON 文件（默认输出到屏幕；不能以 .xlsx、.xls 等工作簿扩展名结尾）")
@click.option("--trace", is_flag=True, help="同时输出每个值所在的单元格、模板标识和读取问题")
@_config_options
def read(file, out, trace, rules_file, frameworks_dir):
    """读取一份填好的工作簿，输出 JSON 文档。

    退出码：0 成功；1 文件无法读取或有单元格错误；2 参数、输出路径或配置错误；130 被中断（Ctrl-C）。"""
    import json

    from ._atomic import write_bytes
    from ._paths import guard_single_output
    from ._problems import severity_label
    from ._read import read as read_file

    cfg = _config(rules_file, frameworks_dir)
    guard_single_output(out, [file, *cfg.sources], workbook=False, kind="JSON")
    result = read_file(file, config=cfg)
    for p in result.problems:
        click.echo(f"{severity_label(p.severity)}：{p.location() or display_path(file)}：{printable(p.message)}", err=True)
    if result.document is None:
        sys.exit(1)
    payload = result.document
    if trace:
        payload = {"document": result.document, "sources": dict(result.sources), "template": result.template,
                   "sha256": result.sha256, "problems": [p.to_dict() for p in result.problems]}
    text = json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    if out:
        write_bytes(out, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    sys.exit(1 if any(p.is_error for p in result.problems) else 0)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=_given_paths, cls=_Argument,
                metavar_zh="路径...", metavar_en="PATHS...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="报告格式：文本、JSON 或 CSV")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="报告和提示的语言：中文或英文")
@click.option("--strict", is_flag=True, help="警告也视为不通过")
@click.option("-o", "--out", "out", type=_OutFile("校验结果.txt", "report.txt"),
              help="把报告写入文件（不能以 .xlsx、.xls 等工作簿扩展名结尾）")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False, path_type=Path),
              help="为未通过的文件在此文件夹生成标注了问题的副本")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, cls=_Option, metavar_zh="进程数",
              help="并行进程数（默认：全部 CPU 核）")
@_review_options
@click.option("--targets", cls=_Paths,
              help="批复的绩效目标表（文件或文件夹，可给出多个，放在要校验的文件之后）：检查绩效自评表、绩效运行监控表中锁定的目标（和分值）是否被改动")
@click.option("--weights", type=click.Path(dir_okay=False, path_type=Path), help="生成自评表时使用的分值文件（JSON）")
@_config_options
def validate(paths, fmt, lang, strict, out, annotate_dir, jobs, review, previous, library, review_config, targets,
             weights, rules_file, frameworks_dir):
    """校验收到的工作簿（文件或文件夹）。

    退出码：全部通过时为 0，有未通过的文件（或无法写入报告）为 1，参数、输出路径或配置错误为 2，被中断（Ctrl-C）为 130。"""
    from ._check._report import csv_report, json_report, text_report
    from ._check._validate import validate as run
    from ._paths import guard_outputs, other_inputs, refuse_report_name

    cfg = _config(rules_file, frameworks_dir)
    # every file of the inputs besides PATHS (folders walked once): no output, nor annotated copy, replaces one
    others = other_inputs([*previous, library, review_config, *(targets or ()), weights, *cfg.sources])
    guard_outputs(paths, [out], [annotate_dir], also=others)
    refuse_report_name(out, {"json": "JSON", "csv": "CSV"}.get(fmt, "text"))
    report = run(paths, strict=strict, jobs=jobs, config=cfg, exclude=[p for p in (out, annotate_dir) if p],
                 targets=list(targets) if targets else None, weights=weights,
                 **_review_args(review, previous, library, review_config))
    render = {"text": text_report, "json": json_report, "csv": csv_report}[fmt]
    text = render(report, lang, rules=cfg.rules)
    if out:
        from ._atomic import write_bytes

        write_bytes(out, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    if annotate_dir:
        from ._check._annotate import annotate_all

        for f, target, why in annotate_all(report.failed, annotate_dir,
                                         inputs=[*(g.path for g in report.files), *report.skipped_reasons,
                                                 *others]):
            if lang == "en":
                msg = f"Annotated copy written: {display_path(target)} (of {display_path(f.path)})" if target else \
                    f"Could not write an annotated copy of {display_path(f.path)} ({in_lang(why, 'en')})"
            else:
                msg = f"已生成标注副本：{display_path(target)}（{display_path(f.path)} 的问题标注）" if target \
                    else f"无法生成标注副本（{in_lang(why, 'zh')}）：{display_path(f.path)}"
            click.echo(msg, err=True)
    sys.exit(0 if report.valid else 1)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(), callback=_given_paths, cls=_Argument,
                metavar_zh="路径...", metavar_en="PATHS...")
@click.option("-o", "--out", "out", required=True, type=_OutFile("汇总.xlsx", "summary.xlsx"),
              help="汇总工作簿（文件名须以 .xlsx 结尾）")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, cls=_Option, metavar_zh="进程数",
              help="并行进程数（默认：全部 CPU 核）")
@click.option("--include-invalid", is_flag=True, help="未通过校验的申报也计入合计")
@click.option("--csv", "csv_dir", type=click.Path(file_okay=False, path_type=Path), help="同时输出 CSV 到此文件夹")
@click.option("--json", "json_path", type=_OutFile("汇总.json", "summary.json"),
              help="同时输出 JSON 文件（不能以 .xlsx、.xls 等工作簿扩展名结尾）")
@click.option("--progress/--no-progress", default=None, help="显示进度条（默认：仅在终端上显示）")
@_review_options
@click.option("--targets", cls=_Paths,
              help="批复的绩效目标表（文件或文件夹，可给出多个，放在要汇总的文件之后）：锁定的目标（和分值）被改动的自评表、监控表不通过校验，不计入合计")
@click.option("--weights", type=click.Path(dir_okay=False, path_type=Path), help="生成自评表时使用的分值文件（JSON）")
@_config_options
def consolidate(paths, out, jobs, include_invalid, csv_dir, json_path, progress, review, previous, library,
                review_config, targets, weights, rules_file, frameworks_dir):
    """汇总多份申报到一个工作簿（含预算合计、项目清单、指标明细、分类统计和校验结果）。

    退出码：0 已生成汇总（无论各申报是否通过校验）；1 无法写入输出；2 参数、输出路径或配置错误、输入路径不存在，
    或文件夹中混有不同表单（请分开汇总）；130 被中断（Ctrl-C）。"""
    from ._consolidate import consolidate as run

    result = run(paths, out, jobs=jobs, include_invalid=include_invalid, csv_dir=csv_dir, json_path=json_path,
                 progress=progress, config=_config(rules_file, frameworks_dir),
                 targets=list(targets) if targets else None, weights=weights,
                 **_review_args(review, previous, library, review_config))
    for line in result.target_errors or ():
        click.echo(f"未使用的绩效目标表：{printable(line)}", err=True)
    click.echo(f"已生成汇总：{display_path(out)}")
    click.echo(result.describe())
    sys.exit(0)


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
    import os
    import threading

    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()  # the handlers a normal exit runs (temporary folders, worker pools, logging)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (xlgoals validate … | head): nothing more to say
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
