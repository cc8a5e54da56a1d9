"""Consolidate many returns into one summary, losing none: collect, then tables, then renderers."""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .._atomic import Outputs, _clean_once
from .._config import Config, config_of
from .._errors import UsageError
from .._form import FORMS, GOAL_TABLE
from .._paths import (TABLES_RECORD, _written_by_us, as_list, guard_outputs, looking_once, refuse_misnamed, refuse_missing,
                      refuse_report_name, refuse_workbook_name, text_path)
from .._text import Bilingual, display_path, shown_path
from ._collect import ReturnRecord, SpoolError, Status, TerminalProgress, collect, progress_callback
from ._render import RENDERERS
from ._table import years_text
from ._tables import SUMMARIES, pinyin_key

# the self-evaluation's and the monitoring report's summaries, which register themselves in SUMMARIES: last, as they
# build on this package's modules (imported first, either is finished, and registered, just after this package is)
from .._selfeval import _summary as _selfeval_summary  # noqa: E402,F401
from .._monitor import _summary as _monitor_summary  # noqa: E402,F401


@dataclass
class ConsolidationResult:
    """What ``consolidate()`` returns: every record in summary order, the skipped files, the totals."""

    records: Sequence[ReturnRecord]  # read back from disk one at a time (see RecordStore)
    skipped: dict  # path -> (zh, en) why it was not checked
    output: Path
    totals: dict  # amounts are exact Decimals
    form: str = GOAL_TABLE.id  # the form of the returns summarised
    written: list[Path] = None  # every output file, committed together
    target_errors: list[str] = None  # goal tables given with targets= that could not be used (path：why)
    #: of `skipped`, the JSON files a folder gave that proved no return's document (another program's JSON), as the
    #: collector counted them when they were checked
    not_documents: int = 0

    def describe(self, lang: str = "zh") -> str:
        """One line on the totals, as the command line prints it (in Chinese, or English for `lang` "en"); with
        last year's returns (--previous), a line on the goal tables that found theirs, as validate says it."""
        line = SUMMARIES[self.form].describe(self.totals, lang)
        if "previous_found" in self.totals:
            from .._check._report import compared_line

            line += "\n" + compared_line(self.totals["previous_found"], self.totals["previous_missing"], lang,
                                         self.totals.get("previous_competing", 0))
        return line

    def duplicate_lines(self, lang: str = "zh") -> list[str]:
        """A line per repeated return, as the command line prints them: the file, the one that counts instead
        (also in 项目清单 and 校验结果); a failing one, counted among the failed, is said so."""
        from ._collect import ROUNDS_SAID, duplicate_words

        lines = []
        for r in self.records:
            if r.duplicate and r.duplicate_of:
                failing = r.status is not Status.OK
                said = duplicate_words(r.duplicate_of, lang, note=False, show=shown_path)  # a GBK name marked
                # one project's report of another month than the one counted: said as such, not as a duplicate
                what = ROUNDS_SAID.get(r.duplicate_of[2], ("重复申报", "Duplicate"))
                if lang == "en":
                    lines.append(f"{what[1]} ({'failing, ' if failing else ''}not counted): {shown_path(r.path, 'en')}: "
                                 f"{said}")
                else:
                    lines.append(f"{what[0]}（{'未通过校验，' if failing else ''}未计入）："
                                 f"{shown_path(r.path)}：{said}")
        return lines

    def targets_lines(self, lang: str = "zh") -> list[str]:
        """With targets=: a line on the returns no goal table matched (their locked targets compared with none)
        and one on those whose project has differing approvals (原 and 调整), each with how many of them are counted
        and where the list is (校验结果, by code), as the command line prints them; [] when there are none."""
        from ._collect import TARGETS_SAID

        figures = self.totals.get("targets")  # (targets_counts', made with the totals: held to goal tables only)
        if not figures:
            return []
        lines = []
        slots = getattr(self.records, "slots", ())
        for said, code in TARGETS_SAID:
            n, counted = figures[code], figures[code + "_counted"]
            if not n:
                continue
            codes = next(s.targets for s in slots if s.targets.endswith("." + code))  # (one form per summary)
            if said == "unmatched":
                # goal tables given of which nothing was read: these returns' may be among them (not absent)
                k = figures.get("targets_goal_tables_unreadable", 0)
                why = (f"{k} goal table{'s' * (k != 1)} given could not be read, said above: theirs may be among "
                       f"them" if k else "the goal table not in the folder, or another year's folder given") \
                    if lang == "en" else \
                    (f"另有 {k} 个绩效目标表无法读取（见上），其对应的可能就在其中" if k else "绩效目标表未放入该文件夹，或给错了年度的文件夹")
                lines.append(
                    f"Note: {n} return{'s' * (n != 1)} ({counted} counted) matched none of the goal tables given "
                    f"with --targets: their locked targets were not checked ({why}); they are listed in the "
                    f"summary's 校验结果, code {codes}"
                    if lang == "en" else
                    f"注意：{n} 个申报（其中 {counted} 个计入合计）在 --targets 给出的绩效目标表中找不到对应的项目，锁定的目标未经核对"
                    f"（{why}）；清单见汇总的“校验结果”，代码 {codes}")
            elif said == "refused":
                lines.append(
                    f"Note: {n} return{'s' * (n != 1)} ({counted} counted) belong{'s' * (n == 1)} to a project whose "
                    f"goal table given with --targets could not be used (the reason above): their locked targets "
                    f"were not checked; correct that goal table, or have it sent again, and consolidate again; they "
                    f"are listed in the summary's 校验结果, code {codes}"
                    if lang == "en" else
                    f"注意：{n} 个申报（其中 {counted} 个计入合计）对应的绩效目标表在 --targets 中找到了，但无法使用（原因见上），锁定的目标未经核对；"
                    f"请更正该绩效目标表或让单位重新报送后重新汇总；清单见汇总的“校验结果”，代码 {codes}")
            else:
                lines.append(
                    f"Note: {n} return{'s' * (n != 1)} ({counted} counted) belong to projects approved in more than one "
                    f"differing goal table among those given with --targets (an original and its revision): keep only "
                    f"the final approval there and consolidate again; they are listed in the summary's 校验结果, code "
                    f"{codes}" if lang == "en" else
                    f"注意：{n} 个申报（其中 {counted} 个计入合计）所属项目在 --targets 给出的绩效目标表中有多份内容不同的批复（如原批复和调整后的批复），"
                    f"请只保留最终批复的一份后重新汇总；清单见汇总的“校验结果”，代码 {codes}")
        return lines

    def nothing_found(self, lang: str = "zh") -> str:
        """A line saying that no return was found to summarise, neither a workbook nor a JSON document of one (the
        summary written is empty: a mistyped or unsynced folder, returns not yet put in), as the command line prints
        it (exit 1); "" when there were any.  JSON files found that are no document of ours (another program's: a
        training log) are said among the files not checked, as not checked as returns (each one's reason below)."""
        from .._check._report import not_checked_note, outside_links, outside_links_line, skipped_workbooks
        from .._paths import WORKBOOK_SUFFIXES

        ours = list(self.records) if self.totals.get("files") and all(
            [p[1] for p in r.problems] == ["file.xlgoals_output"] for r in self.records) else []
        if ours:
            # only xlgoals's own outputs (last year's 汇总.xlsx given alone): no return among them, an empty summary
            # that would pass for one of returns (its file filed under 无法识别申报单位)
            shown = "、".join(display_path(r.path) for r in ours[:3]) + ("等" if len(ours) > 3 else "")
            shown_en = ", ".join(display_path(r.path) for r in ours[:3]) + (", …" if len(ours) > 3 else "")
            if lang == "en":
                return (f"Note: no return was found in the paths given: the {len(ours)} file{'s' * (len(ours) != 1)} "
                        f"given {'are' if len(ours) != 1 else 'is'} xlgoals's own output ({shown_en}: a summary or "
                        "report, not a return), so the summary is empty. Give the folder of the returns received.")
            return (f"注意：所给的路径中没有申报：其中的 {len(ours)} 个文件是 xlgoals 生成的汇总或报告（{shown}），不是申报，汇总为空；"
                    "请给出收到的申报所在的文件夹。")
        if self.totals.get("files"):
            return ""

        kinds = "/".join(WORKBOOK_SUFFIXES)
        workbooks = skipped_workbooks(self.skipped)  # (found, not checked: the line says none to summarise)
        linked = outside_links(self.skipped)
        if linked and linked == workbooks:  # only links out of the folder, not followed: said as such, with the way
            rest = len(self.skipped) - linked  # to check them, not "no workbook found"
            others = not_checked_note(rest, self.not_documents, lang) if rest else ""
            if lang == "en":
                return f"Note: {outside_links_line(linked, lang, alone=True)}{others} The summary is empty."
            return f"注意：{outside_links_line(linked, lang, alone=True)}{others}汇总为空。"
        others = not_checked_note(len(self.skipped), self.not_documents, lang, workbooks)
        also = f" {outside_links_line(linked, lang)}" if linked else ""  # some of those not checked: links out
        if lang == "en":
            return (f"Note: no return was found in the paths given: no workbook ({kinds}){' to summarise' if workbooks else ''} "
                    f"and no JSON document of a return (.json), so the summary is empty.{others} Check the paths, and "
                    "that the returns have been put there." + also)
        return (f"注意：所给的路径中没有找到{'可汇总的' if workbooks else '任何'}工作簿（{kinds}）或 JSON 申报文档（.json）"
                f"{others}，汇总为空；请检查路径是否正确、申报是否已放入该文件夹。" + also.strip())

    @property
    def invalid(self) -> list[ReturnRecord]:
        return [r for r in self.records if r.status != Status.OK]

    @property
    def counts(self) -> dict:
        """What became of the files, as the JSON's ``counts`` and the terminal's line say it: ``counted`` (of them
        ``counted_failing``), ``failed_not_counted`` and ``duplicates`` add up to ``files``; ``skipped`` (not
        checked) and ``ignored`` (lock and system files) apart; each other figure of the line, equal (``units``, the
        duplicates by kind, ``failed_duplicates`` and the like: ``UnitProjectSummary.counts``); with targets=,
        ``targets_unmatched``,
        ``targets_refused`` and ``targets_competing`` (each with its ``…_counted``) and
        ``targets_goal_tables_unreadable``, as ``targets_lines`` says them."""
        from ._table import UnitProjectSummary

        return UnitProjectSummary.counts(self.totals)


def _spool_failed(out, exc: OSError):
    """What a run is told when the temporary files the returns' contents wait in cannot be written (a full disk, a
    file-size limit): the summary asked for cannot be made, and where those files go (TMPDIR, which can be changed)."""
    import tempfile

    from .._errors import XlgoalsError, os_reason

    shown, folder = display_path(os.fspath(out)), display_path(tempfile.gettempdir())
    err = XlgoalsError(Bilingual(
        f"无法生成 {shown}：读取申报时暂存内容的临时文件无法写入（{os_reason(exc)}；临时文件夹 {folder}，可用环境变量 TMPDIR "
        "指定其他位置），未写入任何输出文件",
        f"cannot write {shown}: the temporary file the returns' contents wait in could not be written "
        f"({os_reason(exc, 'en')}; temporary folder {folder}, which the TMPDIR environment variable can change); no "
        "output was written"))
    err.errno = exc.errno  # a full disk, as an output that cannot be written says it (_atomic.disk_full)
    return err


@looking_once  # the checks before reading and the scan that collects the returns read a file in the inbox once
def consolidate(paths, out: str | os.PathLike, *, jobs: int | None = None, include_invalid: bool = False,
                csv_dir: str | os.PathLike | None = None, json_path: str | os.PathLike | None = None,
                progress=None, rules=None, frameworks=None, config: Config | None = None, review: bool | None = None,
                previous=None, library=None, review_config=None, made_on=None, targets=None,
                weights=None, force: bool = False) -> ConsolidationResult:
    """Read and validate every return under `paths` and write the summary workbook `out` (a name ending in .xlsx).

    `progress` is a callable ``(done, total)``, True for a bar on standard error, or None for a
    bar only when standard error is a terminal.  `csv_dir` and `json_path` add the same tables
    as CSV files and as JSON.  `review=True` (with `previous`, `library`, `review_config` as in
    ``validate``; any of these given turns the review on without it, unless `review=False` is said) scores every
    return and adds the 审核 sheets, weakest first.  `made_on` (a date or
    ``YYYY-MM-DD``) is the date printed under the summary's title; by default SOURCE_DATE_EPOCH when set,
    else today — so the same inputs give the same bytes on the same day, and always with either.
    `targets` (and `weights`), as in ``validate``: each self-evaluation or monitoring report is also held to its
    approved goal table, so a return whose locked targets were changed fails and is not counted; goal tables
    that could not be used are in ``result.target_errors``.  An existing file at an output path that xlgoals did
    not write (a summary, its JSON or CSV tables) is not replaced unless `force` (UsageError before reading).
    """
    from .._check._validate import review_wanted
    from .._args import flag, inputs, made_on as checked_made_on, path as checked_path, paths as given
    from .._parallel import check_jobs

    check_jobs(jobs)
    force, include_invalid = flag(force, "force"), flag(include_invalid, "include_invalid", "--include-invalid")
    made_on, out = checked_made_on(made_on), checked_path(out, "out", "-o")  # said before anything is read
    paths, previous, targets = inputs(given(paths)), given(previous), given(targets)  # a generator: read once, here
    out, csv_dir, json_path = text_path(out), text_path(csv_dir), text_path(json_path)  # b"..." names the same file
    previous, library, review_config = text_path(previous), text_path(library), text_path(review_config)
    targets, weights = text_path(targets), text_path(weights)  # (lists of paths: as_list, element-wise)
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    # --previous alone reviews, as on the CLI; so does a rule table configuring a review code
    review = bool(review_wanted(review, previous, library, review_config, cfg.rules))
    renders = [("xlsx", out), ("csv", csv_dir), ("json", json_path)]
    outputs_given = [t for _, t in renders if t]
    # before anything is read: never overwrite an input, fail early on a folder that cannot be written
    names = {n for s in SUMMARIES.values() for n in s.table_names}
    if review:  # and the 审核 sheets' tables
        from .._review._summary import RETURNS_SHEET, UNITS_SHEET

        names |= {RETURNS_SHEET, UNITS_SHEET}
    planned = [out, json_path] + ([Path(csv_dir) / f"{n}.csv" for n in sorted(names)] + [Path(csv_dir) / TABLES_RECORD]
                                  if csv_dir else [])
    refuse_missing(paths)
    guard_outputs(paths, planned, [csv_dir], also=[*as_list(previous or ()), library, review_config, *cfg.sources,
                                                   *as_list(targets or ()), weights], force=force)
    refuse_workbook_name(out)  # an .xlsx under another name: Excel warns; JSON under a workbook's: it cannot open
    refuse_report_name(json_path, "JSON")
    refuse_misnamed(json_path, "json", "--json", "json_path")  # JSON under a .csv name: a script would misread it
    for fmt, target in renders:
        if target:
            _clean_once(Path(target) if fmt == "csv" else Path(target).parent)  # once: its outputs reach temp_beside after
    from .._check._validate import targets_given, load_targets
    from .._selfeval._weights import load_weights

    goal_tables = targets_given(targets, weights)  # a missing path or no goal table: before anything is read
    weights = load_weights(weights, cfg.frameworks)  # a misspelt 一级 name too
    rv = None
    if review:  # after the outputs are known to be safe: last year's returns are read too
        from .._review import load_review

        rv = load_review(review_config=review_config, library=library, previous=previous, config=cfg, jobs=jobs)
    index = load_targets(targets, weights, cfg, jobs, goal_tables)
    pinyin_key("预热")  # load pypinyin's dictionaries once, before the workers fork, rather than once in each
    try:
        collected = collect(paths, _BY_FORM, cfg, jobs=jobs, include_invalid=include_invalid,
                            keep_rows=bool(csv_dir or json_path), progress=progress_callback(progress),
                            exclude=[*outputs_given, *planned], review=rv,  # the CSV files too, when in an inbox
                            targets=index)
    except SpoolError as exc:  # the summary asked for is what could not be made, not a temporary file nobody named
        raise _spool_failed(out, exc) from None
    collected.previous = rv is not None and rv.previous is not None
    collected.reviewed = rv is not None
    # the spool stays open with the result: result.records reads each record back from it
    try:
        with Outputs() as outputs:
            form, totals = _write_outputs(collected, cfg, renders, outputs, made_on, index, jobs, force)
    except BaseException:
        collected.spool.close()
        raise
    errors = index.errors_for({form}) if index is not None else []
    return ConsolidationResult(records=collected.records, skipped=collected.skipped, output=Path(out), totals=totals,
                               form=form, written=outputs.written, target_errors=errors,
                               not_documents=collected.not_documents)


def _csv_table_edges() -> dict[str, set]:
    """Table name -> the (first, last) column titles it is written with, every form's, the 审核 tables' too: from
    the summaries' own declarations, made over no returns.  Asked by _paths.csv_table_edges alone, which keeps what
    it gives (in memory and in the disk cache): not kept here a second time."""
    from .._review._summary import review_tables
    from ._collect import Collected, RecordStore
    from ._tables import _heading

    cfg = Config.load()
    tables = review_tables([], _heading)
    for summary in SUMMARIES.values():
        empty = Collected(records=RecordStore(None, []), skipped={}, spool=None)
        tables += summary.configured(cfg).tables(empty, cfg.frameworks, cfg.limits)[0]
    from ._table import PATH_BYTES

    out: dict[str, set] = {}
    for table in [t for table in tables for t in (table, table.as_data)]:  # the workbook's layout, the CSV's
        out.setdefault(table.name, set()).add((table.titles[0], table.titles[-1]))
        if table.titles[-1] == PATH_BYTES:  # a table written before the exact names were added ended one earlier,
            out[table.name].add((table.titles[0], table.titles[-2]))  # at SHA-256 (before 汇总单位 and the goal
            if "SHA-256" in table.titles:  # table's digest were added before 文件路径字节)
                out[table.name].add((table.titles[0], "SHA-256"))
    return out


def _write_outputs(collected, cfg, renders, outputs, made_on=None, index=None, jobs=None, force=False):
    """Every table of the summary, rendered to each output asked for (with `index`, the goal tables given with
    targets= that did not serve are listed in 校验结果 too); the workbook compressed on as many threads as `jobs`
    had workers.  A summary of another form at the workbook's or the JSON's path is not replaced unless `force`
    (``refuse_other_forms_summary``): nothing is written; with no return of a known form, none is refused and the
    empty summary takes the form of the one at the output path."""
    form = _one_form(collected.records.slots)
    summaries = [t for fmt, t in renders if t and fmt in ("xlsx", "json")]
    # no return of a known form (an empty inbox, only files that cannot be read): nothing to tell this run's form
    # from; the summary is written empty (the "no return found" note, exit 1) in the form of the one already at the
    # output path, as the daily run's own summary is refreshed, never refused as another form's or year's
    known = any(r.form for r in collected.records.slots)
    if not known:
        form = next((f for f in map(summary_form, summaries) if f), form)
    if not force and known:
        refuse_other_forms_summary(form, summaries)
    if index is not None:
        from .._check._validate import target_problems

        collected.targets = target_problems(index, {form}, cfg.rules)
    summary = SUMMARIES[form]
    summary = summary.configured(cfg)  # thresholds from the rule table in force, where the form takes any
    tables, totals = summary.tables(collected, cfg.frameworks, cfg.limits, made_on=made_on)
    if not force and known and tables and tables[0].heading:  # (its title names the budget years: 2021年度…)
        # (and the --csv folder: this form's tables of another year there are not replaced unsaid either)
        refuse_other_years_summary(form, title_years(tables[0].heading[0]),
                                   summaries + [t for fmt, t in renders if t and fmt == "csv"])
    if index is not None:  # held to the goal tables: how many returns matched none, or competing approvals
        from ._collect import targets_counts

        # (the goal tables of which nothing was read: said to the returns matched to none, for the form summarised)
        unread = index.self_evaluation.unreadable if form == "self-evaluation" else index.unreadable
        totals["targets"] = targets_counts(collected.records.slots, len(unread))
    from .._parallel import default_jobs

    # what a renderer takes besides: the workbook's deflate threads, one per worker up to the cores (--jobs 200 on
    # two cores would hold 400 chunks of a megabyte waiting), and the JSON's form
    # and the outputs written beside the workbook, whose exact amounts its notes point to
    exact_in = tuple(name for fmt, name in (("csv", "CSV"), ("json", "JSON")) if dict(renders).get(fmt))
    given = {"xlsx": {"threads": min(jobs or default_jobs(), default_jobs()), "exact_in": exact_in},
             "json": {"form": form}, "csv": {"form": form}}
    for fmt, target in renders:
        if target:
            RENDERERS[fmt](tables, totals, target, outputs, **given.get(fmt, {}))
    return form, totals


def summary_form(path) -> str | None:
    """The form (its id) of the summary xlgoals wrote at `path`, a workbook (by its sheets: 汇总 and 项目清单, 自评汇总 and
    项目得分, 监控汇总 and 项目进度) or a ``--json`` file (its last key, ``form``); None when not known (no summary of
    ours, one written before the JSON named its form, sheets renamed by hand).  Only the sheet list or the JSON's
    last bytes are read."""
    import zipfile

    p = os.fspath(path)
    try:
        if not os.path.isfile(p) or not _written_by_us(p):
            return None
        with open(p, "rb") as fh:
            head = fh.read(4)
            if head[:2] != b"PK":  # the JSON: its form is its last key
                fh.seek(max(0, os.fstat(fh.fileno()).st_size - 4096))
                m = re.search(rb'"form": "([a-z-]+)"\s*}\s*$', fh.read())
                return m.group(1).decode() if m and m.group(1).decode() in SUMMARIES else None
        with zipfile.ZipFile(p) as z:
            info = z.getinfo("xl/workbook.xml")
            if info.file_size > 1 << 20:
                return None
            names = {html.unescape(n.decode("utf-8", "replace"))
                     for n in re.findall(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', z.read(info))}
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None
    return next((f for f, s in SUMMARIES.items() if set(s.table_names[:2]) <= names), None)


def refuse_other_forms_summary(form: str, targets) -> None:
    """UsageError (exit 2) when one of `targets` (the summary workbook, the --json file) is a summary xlgoals wrote of
    another form than `form`'s (the self-evaluations' summary about to replace the goal tables' 汇总.xlsx): the daily run
    replaces its own form's summary, never another's unsaid; --force replaces it."""
    from .._errors import add_force

    for target in targets:
        found = summary_form(target)
        if found is None or found == form:
            continue
        shown, (zh, en) = display_path(os.fspath(target)), add_force()
        was, now = FORMS[found], FORMS[form]
        raise UsageError(Bilingual(
            f"输出文件 {shown} 是 xlgoals 写入的{was.title}汇总，而本次汇总的是{now.title}；为免用另一种表单的汇总覆盖它，"
            f"已停止，未写入任何文件。确认要覆盖请{zh}，或换一个输出位置",
            f"the output {shown} is a summary xlgoals wrote of another form ({was.title_en}), while this run "
            f"summarises {now.title_en}; stopped so as not to replace it, nothing written. {en[0].upper() + en[1:]} "
            "to write over it, or choose another output path"))


#: The budget year(s) a summary's title begins with (heading_of: ``2020年度…``, ``2020—2021年度…``).
_TITLE_YEARS = re.compile(r"^(\d{4})(?:—(\d{4}))?年度")
#: How much of a summary's JSON is read for its 汇总 table (the first key: a row per unit and year), and how large
#: a workbook's first sheet or shared strings may be to be read for its title: beyond, its years are not known.
_SUMMARY_HEAD = 8 << 20


def summary_years(path, form: str | None = None) -> frozenset[int] | None:
    """The budget years of the summary xlgoals wrote at `path`: a workbook's by the title of its first sheet
    (``2020年度项目支出绩效目标汇总``; ``2020—2021年度…`` every year of the span), a ``--json`` file's by the 预算年度
    of its first table's rows, a ``--csv`` folder's (`path` a folder, `form` given) by the 预算年度 column of `form`'s
    first table there (``_csv_years``); None when not known (no summary of ours, no year read, a title edited by
    hand)."""
    import json
    import zipfile

    p = os.fspath(path)
    if os.path.isdir(p):
        return _csv_years(p, form) if form in SUMMARIES else None
    try:
        if not os.path.isfile(p) or not _written_by_us(p):
            return None
        with open(p, "rb") as fh:
            head = fh.read(_SUMMARY_HEAD)
        if head[:2] != b"PK":  # the JSON: {"summary": {"title", "columns", "rows", ...}, ...}
            text = head.decode("utf-8", "replace")
            at = re.match(r'\{\s*"summary"\s*:\s*', text)
            if at is None:
                return None
            table, _ = json.JSONDecoder().raw_decode(text, at.end())
            column = table["columns"].index(GOAL_TABLE.field("/year").label)  # the 预算年度 column
            years = frozenset(row[column] for row in table["rows"]
                              if isinstance(row[column], int) and not isinstance(row[column], bool))
            return years or None
        with zipfile.ZipFile(p) as z:
            sheet, strings = z.getinfo("xl/worksheets/sheet1.xml"), z.getinfo("xl/sharedStrings.xml")
            if sheet.file_size > _SUMMARY_HEAD or strings.file_size > _SUMMARY_HEAD:
                return None
            cell = re.search(rb'<c r="A1"[^>]*\bt="s"[^>]*><v>(\d+)</v>', z.read(sheet))
            if cell is None:
                return None
            items = re.findall(rb"<si>(.*?)</si>", z.read(strings), re.S)
            index = int(cell.group(1))
            if index >= len(items):
                return None
            title = html.unescape(re.sub(rb"<[^>]*>", b"", items[index]).decode("utf-8", "replace"))
    except (OSError, KeyError, ValueError, IndexError, TypeError, AttributeError, zipfile.BadZipFile):
        return None
    return title_years(title)


def _csv_years(folder: str, form: str) -> frozenset[int] | None:
    """The budget years of `form`'s tables xlgoals wrote to the ``--csv`` `folder`: the 预算年度 column of its first
    table (汇总.csv, a row per unit and year), where the folder's record (TABLES_RECORD) lists that table as this
    form's and the file is still one of xlgoals's CSV tables by its name and header; None otherwise."""
    import csv

    from .._paths import written_as_csv_table
    from ._render import _read_record

    name = f"{SUMMARIES[form].table_names[0]}.csv"
    entry = _read_record(Path(folder)).get(name)
    path = os.path.join(folder, name)
    try:
        if entry is None or entry["form"] != form or not os.path.isfile(path) or os.path.islink(path):
            return None
        with open(path, "rb") as fh:
            head = fh.read(_SUMMARY_HEAD)
        if not written_as_csv_table(name, head[:8192]):
            return None
        rows = list(csv.reader(head.decode("utf-8-sig", "replace").splitlines()))
        column = rows[0].index(GOAL_TABLE.field("/year").label)  # the 预算年度 column
        years = frozenset(int(row[column]) for row in rows[1:]
                          if len(row) > column and len(row[column]) == 4 and row[column].isdigit())
    except (OSError, ValueError, IndexError, csv.Error):
        return None
    return years or None


def title_years(title: str) -> frozenset[int] | None:
    """The budget years a summary's title names (``2020年度…``: 2020; ``2020—2022年度…``: every year of the span); None
    for none."""
    m = _TITLE_YEARS.match(title)
    if m is None:
        return None
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    return frozenset(range(first, last + 1)) if 0 <= last - first < 100 else None


def refuse_other_years_summary(form: str, years: set, targets) -> None:
    """UsageError (exit 2) when one of `targets` (the summary workbook, the --json file) is a summary xlgoals wrote of
    `form`'s returns of other budget years than `years` (this run's: none in common), such as last year's final 汇总.xlsx
    at the path the same command line writes again in year two: the daily run refreshes this year's summary, never
    replaces another year's unsaid; --force replaces it.  Not said where either's years are not known."""
    from .._errors import add_force

    if not years:  # (no year read of any return: nothing to tell apart)
        return
    for target in targets:
        folder = os.path.isdir(target)  # the --csv folder: this form's tables there (summary_years)
        if not folder and summary_form(target) != form:  # (another form's: refuse_other_forms_summary's to say)
            continue
        found = summary_years(target, form)
        if found is None or found & years:
            continue
        shown, (zh, en) = display_path(os.fspath(target)), add_force()
        was, now = years_text(found), years_text(years)
        what, what_en = (("输出文件夹", "中的 CSV 表格是"), ("output folder", "holds the CSV tables of a summary")) \
            if folder else (("输出文件", "是"), ("output", "is a summary"))
        raise UsageError(Bilingual(
            f"{what[0]} {shown} {what[1]} xlgoals 写入的 {was} 年度{FORMS[form].title}汇总，而本次汇总的是 {now} 年度的申报；"
            f"为免覆盖另一年度的汇总，已停止，未写入任何文件。确认要覆盖请{zh}，或换一个输出位置",
            f"the {what_en[0]} {shown} {what_en[1]} xlgoals wrote of budget year {was}, while this run summarises "
            f"{now}; stopped so as not to replace another year's summary, nothing written. {en[0].upper() + en[1:]} "
            "to write over it, or choose another output path"))


class _ByForm:
    """Each return extracted, deduplicated and ordered by its own form's summary (a folder may mix forms)."""

    @staticmethod
    def _of(form_id: str):
        return SUMMARIES.get(form_id or GOAL_TABLE.id, SUMMARIES[GOAL_TABLE.id])

    def extract(self, doc: dict, config=None, sha256: str = "", **kw):
        """The return's values and rows (`config`: the rule table in force, for the thresholds a form's lists take;
        `kw`: a goal table's ``digest``)."""
        summary = self._of(doc.get("form", GOAL_TABLE.id) if isinstance(doc, dict) else "")
        return summary.extract(doc, config, sha256, **(kw if summary.form is GOAL_TABLE else {}))

    def held_values(self, values: dict, form_id: str | None) -> None:
        self._of(form_id or "").held_values(values, form_id)

    def duplicate_key(self, rec: ReturnRecord):
        key = self._of(rec.form).duplicate_key(rec)
        return (rec.form, *key) if key else None

    def names(self, rec: ReturnRecord) -> str:
        return self._of(rec.form).names(rec)

    def tiebreak(self, rec: ReturnRecord):
        return self._of(rec.form).tiebreak(rec)

    def order(self, rec: ReturnRecord):
        return self._of(rec.form).order(rec)

    def between_rounds(self, earlier: list, later: dict, rules) -> list:
        """What the later round's report of a project says against the earlier ones it replaced (its form's
        ``between_rounds``: a monitoring report's cumulative figure fallen); nothing for a form of one round."""
        form = later.get("form") if isinstance(later.get("form"), str) else None
        own = getattr(self._of(form or "monitoring"), "between_rounds", None) if "cumulative" in later else None
        return own(earlier, later, rules) if own is not None else []


_BY_FORM = _ByForm()


#: How many files of each form a refusal of mixed forms names (``_one_form``): enough to tell where they came from,
#: a few lines however many there are (a whole inbox of three forms named file by file was one line of 9 KB).
MIXED_EXAMPLES = 3
MIXED_LISTED = 10


def _one_form(records: list[ReturnRecord]) -> str:
    """The one form of the returns; UsageError (exit 2: the folder must be split) when they are mixed, in a few lines:
    each form's count and its files — every one of a form other than the most numerous with at most MIXED_LISTED
    (the strays to move out), else up to MIXED_EXAMPLES (the first in path order) — and how to go on (a folder per
    form, each consolidated apart; validate, which checks every form at once and names each file's form)."""
    by_form: dict[str, list[str]] = {}
    for r in records:
        if r.form:
            by_form.setdefault(r.form, []).append(r.path)
    if len(by_form) <= 1:
        return next(iter(by_form), GOAL_TABLE.id)
    # the most numerous form first (this round's returns, most likely), then the others (the goal tables or last
    # round's reports sent in by mistake), each by its count and its first files, to be found and moved out
    forms = sorted(by_form.items(), key=lambda item: (-len(item[1]), item[0]))

    lines_zh, lines_en = [], []
    for i, (form, paths) in enumerate(forms):
        if i and len(paths) <= MIXED_LISTED:  # every stray file named, to be found and moved out
            every = [display_path(p) for p in sorted(paths)]
            lines_zh.append(f"  {FORMS[form].title} {len(paths)} 个：{'、'.join(every)}")
            lines_en.append(f"  {len(paths)} {form}: {', '.join(every)}")
            continue
        shown = [display_path(p) for p in sorted(paths)[:MIXED_EXAMPLES]]
        more = len(paths) > len(shown)
        lines_zh.append(f"  {FORMS[form].title} {len(paths)} 个，如 {'、'.join(shown)}{' 等' if more else ''}")
        lines_en.append(f"  {len(paths)} {form} (such as {', '.join(shown)}{' …' if more else ''})")
    zh = (f"输入中混有 {len(by_form)} 种表单，一份汇总只能包含一种表单，未写入任何汇总文件：\n" + "\n".join(lines_zh)
          + "\n请把每种表单的文件放在各自的文件夹中，分别运行 xlgoals consolidate；"
          "xlgoals validate 可一次检查所有表单的文件，其 JSON 和 CSV 报告列出每个文件的表单。")
    en = (f"the inputs mix {len(by_form)} forms; a summary holds one form, and no summary was written:\n"
          + "\n".join(lines_en) + "\nPut each form's files in a folder of their own and consolidate each; "
          "xlgoals validate checks the files of every form at once, its JSON and CSV reports giving each file's form.")
    raise UsageError(Bilingual(zh, en))


__all__ = ["ConsolidationResult", "ReturnRecord", "Status", "TerminalProgress", "consolidate"]
