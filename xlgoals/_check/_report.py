"""Render a ValidationReport: a human report for the terminal, JSON and CSV for machines."""

from __future__ import annotations

import csv
import io
import os
import re
import json
import unicodedata
from collections import Counter, OrderedDict

from .._errors import given_as
from .._form import FORMS, GOAL_TABLE
from .._paths import SKIP_IGNORED, WORKBOOK_SUFFIXES, exact_path, reason_code, typed_suffix, xlgoals_output  # what a folder is searched for
from .._problems import ERROR, NOTICE, SEVERITIES, WARNING, severity_label
from .._text import counted_en, display_path, escape_controls, in_lang, printable, shown_path
from ._ruletable import RuleTable
from ._validate import UNSCORED, ValidationReport

#: Why the review may not score a return (``_validate.UNSCORED``), in order: the texts below are keyed by them
#: (``review_unscored_<why>``, ``unscored_<why>``).
_UNSCORED_WHYS = tuple(dict.fromkeys(UNSCORED.values()))

_T = {
    "zh": {
        "summary": "共检查 {n} 个文件：通过 {ok} 个，未通过 {bad} 个{folders}；错误 {e} 处，警告 {w} 处。",
        "folders": "；另有 {n} 个文件夹无法读取，其中的文件均未检查",
        "group": "【{sev}】{title}：{count} 处，涉及 {files} 个文件（{code}）",
        "more": "    ……另有 {n} 处",
        "files": "各文件结果：",
        "pass": "通过", "fail": "未通过",
        "counts": "{e} 个错误，{w} 个警告",
        "skipped": "文件夹中未检查的文件：{n} 个",
        "ours": "  其中 xlgoals 的输出，已跳过：{n} 个",
        "ignored": "已忽略编辑器锁定文件和系统文件 {n} 个（如 ~$*.xlsx、.DS_Store）。",
        "none": "没有发现问题。",
        "colon": "：", "reason": "（{why}）",
        "nothing": "没有找到要校验的工作簿（{kinds}）或 JSON 申报文档（.json）{others}。",
        "nothing_checkable": "没有可校验的工作簿（{kinds}）或 JSON 申报文档（.json）{others}。",
        "review": "目标审核：提示 {n} 处；平均得分 {mean}（满分 100，见各文件结果）。",
        "score": "，{n} 个提示，审核得分 {score}",
        "unscored_unfilled": "，{n} 个提示，审核未评分（未填写）",
        "unscored_unreadable": "，{n} 个提示，审核未评分（填写的内容无法读取）",
        "unscored_framework_unknown": "，{n} 个提示，审核未评分（指标体系未加载）",
        "unscored_no_indicators": "，{n} 个提示，审核未评分（未填写绩效指标）",
        "review_unscored_unfilled": "目标审核：另有 {n} 个文件未填写，未评分，不计入平均得分。",
        "review_unscored_unreadable": "目标审核：另有 {n} 个文件填写的内容无法读取，未评分，不计入平均得分。",
        "review_unscored_framework_unknown": "目标审核：另有 {n} 个文件的指标体系未加载，未评分，不计入平均得分。",
        "review_unscored_no_indicators": "目标审核：另有 {n} 个绩效目标表未填写绩效指标，未评分，不计入平均得分。",
        "annotated": "标注副本：已生成 {written} 个（未通过的文件 {failed} 个；通过但有审核提示或警告的文件 {passed} 个，供退回单位参考）{unwritten}。",
        "unwritten": "；另有 {n} 个未能生成",
        "annotated_failing": "标注副本：已生成 {written} 个，均为未通过的文件{unwritten}。",
        "previous": "上年申报中无法使用的文件：{n} 个",
        "compared": "与上年比较：{found} 个绩效目标表找到上年申报，{missing} 个未找到（review.no_previous）{competing}。",
        "compared_competing": "，{n} 个上年有多份不同版本，未比较（review.previous_competing）",
        "compared_none": "与上年比较：未进行。--previous 只用于绩效目标表（与上年的绩效目标表比较），所给的文件中没有经审核的绩效目标表。",
        "targets": "{targets} 中未用作绩效目标表的文件：{n} 个",
        "targets_note": "另有 {targets} 给出的文件 {n} 个无法使用，未用于核对锁定的目标（见文末）。",
        "points_note": "{n} 个自评表的分值按{found}生成，与本次核对所用的分值不同，未核对；请{expected}再校验（self.points_source）。",
        "forms_note": "注意：所检查的文件混有 {n} 种表单：{forms}；各文件的表单见“各文件结果”。交错了表单的文件请退回单位。",
        "form_count": "{title} {n} 个",
        "years_note": "注意：所检查的文件涉及 {n} 个预算年度：{years}；各文件的预算年度不同，请确认是否混入了往年（或下一年度）的表。",
        "year_count": "{year} 年度 {n} 个",
    },
    "en": {
        "summary": "Checked {n_files}: {ok} passed, {bad} failed{folders}; {n_errors}, {n_warnings}.",
        "folders": "; {n_folders} could not be read, none of {their} files checked",
        "group": "[{sev}] {title}: {count} in {n_files} ({code})",
        "more": "    ... and {n} more",
        "files": "Per file:",
        "pass": "PASS", "fail": "FAIL",
        "counts": "{n_errors}, {n_warnings}",
        "skipped": "Files in folders not checked: {n}",
        "ours": "  Of them, outputs of xlgoals, skipped: {n}",
        "ignored": "Ignored {n_files}: editor locks and system files (such as ~$*.xlsx, .DS_Store).",
        "none": "No problems found.",
        "nothing": "Neither a workbook ({kinds}) nor a JSON document of a return (.json) was found to check.{others}",
        "nothing_checkable": "Neither a workbook ({kinds}) nor a JSON document of a return (.json) could be checked.{others}",
        "review": "Review: {n_notices}; mean score {mean} (out of 100, see per file).",
        "score": ", {n_notices}, review score {score}",
        "unscored_unfilled": ", {n_notices}, not scored (not filled in)",
        "unscored_unreadable": ", {n_notices}, not scored (what was filled in could not be read)",
        "unscored_framework_unknown": ", {n_notices}, not scored (framework not loaded)",
        "unscored_no_indicators": ", {n_notices}, not scored (no indicators filled in)",
        "review_unscored_unfilled": "Review: {n_files} not filled in, not scored and not in the mean.",
        "review_unscored_unreadable": "Review: {n_files} whose entries could not be read, not scored and not in the "
                                      "mean.",
        "review_unscored_framework_unknown": "Review: {n_files} whose framework is not loaded, not scored and not in "
                                             "the mean.",
        "review_unscored_no_indicators": "Review: {n_files} goal table(s) with no indicators filled in, not scored "
                                         "and not in the mean.",
        "annotated": "Annotated copies: {written} written ({failed} of files that fail; {passed} of files that pass with "
                     "review notices or warnings, for the departments){unwritten}.",
        "unwritten": "; {n} could not be written",
        "annotated_failing": "Annotated copies: {written} written, of files that fail{unwritten}.",
        "previous": "Last year's files that could not be used: {n}",
        "compared": "Compared with last year: {n_found} found last year's return, {n_missing} found none "
                    "(review.no_previous){competing}.",
        "compared_competing": ", {n_competing} found it in differing versions and {was} not compared "
                              "(review.previous_competing)",
        "compared_none": "Compared with last year: nothing. --previous compares goal tables (with last year's goal "
                         "tables), and no goal table was reviewed among the files given.",
        "targets": "Files given with {targets} not used as goal tables: {n}",
        "targets_note": "Also {n_files} given with {targets} could not be used to check the locked targets (see the end).",
        "points_note": "{n_self_evaluations} with points made from {found}, not from the points of this check: not "
                       "compared; validate again {expected} (self.points_source).",
        "forms_note": "Note: the files checked mix {n} forms: {forms}; each file's form is under Per file. Send a "
                      "file of the wrong form back to its unit.",
        "form_count": "{n} {title}",
        "years_note": "Note: the files checked cover {n} budget years: {years}; check that no earlier (or later) "
                      "year's form is among this round's.",
        "year_count": "{n} of {year}",
        "colon": ": ", "reason": " ({why})",
    },
}


def _counts(**counts) -> dict:
    """English counts with their nouns, singular for one: n_files="1 file", n_errors="2 errors" (the Chinese
    texts say 个/处 and ignore them)."""
    return {f"n_{noun}": counted_en(n, noun[:-1]) for noun, n in counts.items()}


def _goal_tables(n: int) -> str:
    return f"{n} goal table{'s' if n != 1 else ''}"


def compared_line(found: int, missing: int, lang: str = "zh", competing: int = 0) -> str:
    """How many goal tables found last year's return (--previous) and how many did not: validate's and
    consolidate's line; where there was no goal table to compare (self-evaluations checked with --previous), that
    --previous compares goal tables (was: "0 个找到，0 个未找到")."""
    if not found and not missing and not competing:
        return _T[lang]["compared_none"]
    # those whose last year's return came in differing versions were compared with none: not among the found
    said = _T[lang]["compared_competing"].format(n=competing, n_competing=_goal_tables(competing), was="was" if competing == 1 else "were") \
        if competing else ""
    return _T[lang]["compared"].format(found=found, missing=missing, n_found=_goal_tables(found),
                                       n_missing=_goal_tables(missing), competing=said)


def annotated_line(counts: dict, lang: str = "zh", review: bool = True) -> str:
    """How many annotated copies were made, of failing files and of passing ones with review notices or warnings;
    without the `review`, of failing files only (only those get one)."""
    t = _T[lang]
    missing = counts.get("not_written", 0)
    if not review:
        return t["annotated_failing"].format(written=counts["written"],
                                             unwritten=t["unwritten"].format(n=missing) if missing else "")
    return t["annotated"].format(written=counts["written"], failed=counts["failed"],
                                 passed=counts["passed_with_problems"],
                                 unwritten=t["unwritten"].format(n=missing) if missing else "")


def text_report(report: ValidationReport, lang: str = "zh", examples: int = 3, rules: RuleTable | None = None) -> str:
    """The report people read: problems grouped by type, then one line per file.  The headings name the columns as
    the FrameworkSet the run was validated with labels them (``report.frameworks``)."""
    t = _T[lang]
    table = rules or RuleTable.default()
    problems = report.problems()
    errors = sum(p.severity == ERROR for p in problems)
    warnings = sum(p.severity == WARNING for p in problems)
    folders, files, failed = _file_counts(report)
    said = t["folders"].format(n=folders, their="its" if folders == 1 else "their",
                               **_counts(folders=folders)) if folders else ""
    lines = [t["summary"].format(n=files, ok=files - failed, bad=failed, e=errors, w=warnings, folders=said,
                                 **_counts(files=files, errors=errors, warnings=warnings)), ""]
    unusable = [p for p in report.target_problems if p.severity != NOTICE]
    if unusable:  # they can fail the run (--strict, or errors by the rule table): said up front
        lines[-1:-1] = [t["targets_note"].format(n=len(unusable), targets=given_as("--targets"),
                                                 **_counts(files=len(unusable)))]
    approvals = {id(f) for f in report.approvals()}  # the goal tables given with --targets, checked beside the returns
    forms = Counter(f.form for f in report.files if f.form and id(f) not in approvals)
    mixed = len(forms) > 1  # a goal table or last round's report among this round's returns: each file's form named
    if mixed:
        lines[-1:-1] = [t["forms_note"].format(n=len(forms), forms=("; " if lang == "en" else "；").join(
            t["form_count"].format(title=_form_title(f, lang), n=n) for f, n in forms.most_common()))]
    years = Counter(f.duplicate_values.get("year") for f in report.files if id(f) not in approvals
                    and f.duplicate_values and isinstance(f.duplicate_values.get("year"), int))
    if len(years) > 1:  # last year's form among this year's returns passes against last year's approval: said
        lines[-1:-1] = [t["years_note"].format(n=len(years), years=("; " if lang == "en" else "；").join(
            t["year_count"].format(year=y, n=n) for y, n in sorted(years.items())))]
    for said, n in _points_sources(problems).items():  # the bureau's to act on: said once a run
        found, expected = said[lang == "en"], said[2 + (lang == "en")]
        lines[-1:-1] = [t["points_note"].format(n=n, found=found, expected=expected,
                                                n_self_evaluations=f"{n} self-evaluation{'s' if n != 1 else ''}")]
    if report.review:
        scores = [f.review_score for f in report.files if f.review_score is not None]
        mean = f"{sum(scores) / len(scores):.1f}" if scores else "—"
        n = sum(p.severity == NOTICE for p in problems)
        lines[-1:-1] = [t["review"].format(n=n, mean=mean, **_counts(notices=n))]
        whys = {id(f): review_unscored(f, table) for f in report.files}  # asked once a file
        for why in _UNSCORED_WHYS:
            blank = sum(w == why for w in whys.values())
            if blank:
                lines[-1:-1] = [t[f"review_unscored_{why}"].format(n=blank, **_counts(files=blank))]
        compared = report.previous_counts()
        if compared is not None:
            lines[-1:-1] = [compared_line(compared[0], compared[1], lang, compared[2])]
    if report.annotated is not None and (report.review or report.annotated["written"]
                                         or report.annotated.get("not_written")):
        # --annotate: how many copies, and why (a passing file's with the review only); without the review, when it
        # made or tried any (a run whose files all pass has none to count)
        lines[-1:-1] = [annotated_line(report.annotated, lang, review=bool(report.review))]
    groups: OrderedDict[str, list] = OrderedDict()
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    for p in sorted(problems, key=lambda p: (rank.get(p.severity, len(rank)), p.code)):
        groups.setdefault(p.code, []).append(p)
    framework_of = {f.path: f.framework for f in report.files}
    for code, items in groups.items():
        first = items[0]
        rd = table.get(code)
        title = problem_title(rd, lang, {framework_of.get(p.file, "") for p in items},
                              getattr(report, "frameworks", None)) if rd else code
        files = len({p.file for p in items})
        lines.append(t["group"].format(sev=severity_label(first.severity, lang), code=code, title=title, count=len(items),
                                       files=files, **_counts(files=files)))
        for p in items[:examples]:
            where = p.location() or _pointer_of(p)
            lines.append(f"    {shown_path(p.file, lang)}{' ' + where if where else ''}{t['colon']}{printable(p.text(lang))}")
        if len(items) > examples:
            lines.append(t["more"].format(n=len(items) - examples))
        lines.append("")
    linked = outside_links(report.skipped_reasons)  # links out of the folder, not followed: counted, and how to check
    if not report.files:
        workbooks = skipped_workbooks(report.skipped_reasons)
        if linked and linked == workbooks:  # the only workbooks found: said as such, not "none found"
            rest = len(report.skipped_reasons) - linked
            lines += [outside_links_line(linked, lang, alone=True) + (
                not_checked_note(rest, report.not_documents, lang) if rest else ""), ""]
        else:
            others = not_checked_note(len(report.skipped_reasons), report.not_documents, lang, workbooks)
            lines += [t["nothing_checkable" if workbooks else "nothing"].format(kinds="/".join(WORKBOOK_SUFFIXES),
                                                                                others=others), ""]
            if linked:
                lines[-1:-1] = [outside_links_line(linked, lang)]
    else:
        if not problems:
            lines += [t["none"], ""]
        if linked:  # its own line after the summary: beside "no problems found", not instead of it
            lines[1:1] = [outside_links_line(linked, lang)]
    if report.files:
        lines.append(t["files"])
    for f in report.files:
        status = t["pass"] if f.passes(report.strict) else t["fail"]
        why = whys[id(f)] if report.review else None
        said = f"unscored_{why}" if why in _UNSCORED_WHYS else "score"
        score = t[said].format(n=len(f.notices), score=f.review_score if f.review_score is not None else "—",
                               **_counts(notices=len(f.notices))) if report.review else ""
        counts = t["counts"].format(e=len(f.errors), w=len(f.warnings),
                                    **_counts(errors=len(f.errors), warnings=len(f.warnings)))
        form = f"{_form_title(f.form, lang)}{t['colon']}" if mixed and f.form else ""
        year = f.duplicate_values.get("year") if len(years) > 1 and f.duplicate_values else None
        if isinstance(year, int):  # files of two budget years or more: each file's year named
            form += f"{year}{'' if lang == 'en' else ' 年度'}{t['colon']}"
        lines.append(f"  {'✓' if f.passes(report.strict) else '✗'} {status}  {shown_path(f.path, lang)}  ({form}{counts}{score})")
    for key, listed in (("previous", report.previous_problems), ("targets", report.target_problems)):
        if listed:
            lines += ["", t[key].format(n=len(listed), targets=given_as("--targets"))]
            lines += [f"  - {shown_path(p.file, lang)}{t['colon']}{printable(p.text(lang))}" for p in listed]
    if report.skipped:
        lines += ["", *not_checked_lines({s: report.skipped_reasons.get(s) for s in report.skipped}, lang)]
    if report.ignored:
        lines += ["", t["ignored"].format(n=len(report.ignored), **_counts(files=len(report.ignored)))]
    return "\n".join(lines) + "\n"


def _unreadable_folder(f) -> bool:
    """Whether a report's entry is a folder that could not be listed (folder.unreadable), not a file."""
    return bool(f.problems) and all(p.code == "folder.unreadable" for p in f.problems)


def _file_counts(report: ValidationReport) -> tuple[int, int, int]:
    """(folders, files, failed) of a report: a folder that cannot be listed (folder.unreadable) fails the run, but it
    is no file: counted apart, and neither among the files nor among the failed."""
    folders = sum(_unreadable_folder(f) for f in report.files)
    return folders, len(report.files) - folders, len(report.failed) - folders


def _form_title(form_id: str, lang: str) -> str:
    """A form's title as a report names it (财政项目支出绩效目标表), in English for `lang` "en"."""
    form = FORMS.get(form_id)
    return form_id if form is None else form.title_en if lang == "en" else form.title


#: The placeholders a problem type's title may hold (rules.csv title_zh): a column of the indicator table, as the
#: framework's sheets head it (一级目标 in shanghai-2020, 一级指标 in national-2021).
_TITLE_COLUMNS = {"level1_title": "level1", "level2_title": "level2", "name_title": "name"}


def problem_title(rd, lang: str = "zh", frameworks=(), framework_set=None) -> str:
    """A problem type's title (a report's heading over its problems) with its columns named as the `frameworks` (ids)
    of the returns it heads head them where those are one framework of `framework_set` (the run's FrameworkSet: a
    bureau's --frameworks with its own labels; the packaged ones by default), else by the form's neutral labels
    (二级指标): a heading over shanghai-2020 returns says 二级目标 as their sheets and messages do.  Only the known
    placeholders are filled: any other brace in a bureau's title stays as written."""
    title = rd.title(lang)
    if "{" not in title:
        return title
    if framework_set is None:
        from .._frameworks import FrameworkSet

        framework_set = FrameworkSet.default()
    ids = set(frameworks)
    fw = framework_set.find(ids.pop()) if len(ids) == 1 else None
    for key, column in _TITLE_COLUMNS.items():
        title = title.replace("{" + key + "}", GOAL_TABLE.column_label(column, lang, fw=fw))
    return title


def _points_sources(problems) -> Counter:
    """(the points the files were made from zh, en, how to validate them zh, en) -> how many files say it
    (self.points_source), in the order first said."""
    return Counter((str(p.value), str(p.value_en if p.value_en is not None else p.value), str(p.expected),
                    str(p.expected_en if p.expected_en is not None else p.expected))
                   for p in problems if p.code == "self.points_source")


def _pointer_of(p) -> str:
    """Where a JSON document's problem is (it has no cell): its JSON pointer (/indicators/3/value)."""
    return p.path if p.path and typed_suffix(os.path.basename(p.file)).endswith(".json") else ""


def skipped_workbooks(skipped) -> int:
    """How many of the files not checked (`skipped`'s paths) are workbooks by their name (xlgoals's own outputs, a
    file that is one already checked): a folder, a broken link and a link to a folder are not counted."""
    return sum(1 for path in skipped if typed_suffix(os.path.basename(path)).endswith(WORKBOOK_SUFFIXES)
               and os.path.isfile(path))


def outside_links(skipped) -> int:
    """How many of the files not checked (`skipped`: path -> reason) are links in a folder searched to a workbook
    outside it (``skipped.outside_link``: not followed, for safety)."""
    def workbook(path):
        return any(typed_suffix(os.path.basename(p)).endswith(WORKBOOK_SUFFIXES) for p in (path, os.path.realpath(path)))
    return sum(1 for path, why in skipped.items()
               if reason_code(why) == "skipped.outside_link" and os.path.isfile(path) and workbook(path))


def outside_links_line(n: int, lang: str = "zh", alone: bool = False) -> str:
    """The line saying that `n` workbooks found were links to files outside the folders given, not followed, and how
    to check them; `alone`: they were the only workbooks found (nothing else to check).  "" when none."""
    if not n:
        return ""
    if lang == "en":
        them = "them" if n != 1 else "it"
        if alone:
            what = f"Found {n} workbooks, all links" if n != 1 else "Found 1 workbook, a link"
        else:
            what = f"{n} more workbooks were found as links" if n != 1 else "1 more workbook was found as a link"
        what += " pointing outside the folders given"
        return (f"{what}; not followed (for safety: a link unpacked from an archive may name another department's "
                f"file). To check {them}, name the files on the command line, or copy the files themselves "
                "(cp -L).")
    what = (f"找到 {n} 个工作簿，{'均为' if n != 1 else '是'}指向所给文件夹之外的链接" if alone
            else f"另有 {n} 个工作簿是指向所给文件夹之外的链接")
    return f"{what}，未跟随（为安全起见；要校验它们，请直接在命令行列出这些文件，或复制文件本身：cp -L）。"


def not_checked_note(n: int, json_files: int, lang: str = "zh", workbooks: int = 0) -> str:
    """What validate's and consolidate's “no return found” lines say of the `n` files not checked (listed below
    them), of which `json_files` are JSON files a folder gave that proved no return's document (as the collector
    counted them: ``ValidationReport.not_documents``, ``ConsolidationResult.not_documents``) and `workbooks`
    workbooks (``skipped_workbooks``: the line then says none could be checked, not that none was found); "" when
    none."""
    if not n:
        return ""
    if lang == "en":
        what = "is a JSON file that is not a return" if json_files == 1 else "are JSON files that are not returns"
        parts = ([f"{workbooks} of them {'are workbooks' if workbooks != 1 else 'is a workbook'}"] if workbooks
                 else []) + ([f"{json_files} of them {what}"] if json_files else [])
        of = f" ({'; '.join(parts)})" if parts else ""
        return f" {n}{'' if workbooks else ' other'} file{'s were' if n != 1 else ' was'} not checked, listed below " \
               f"with why{of}."
    of = f"；其中 {json_files} 个 JSON 文件不是 xlgoals 申报的 JSON 文档，未作为申报检查" if json_files else ""
    if workbooks:
        return f"（另有 {n} 个文件未检查，其中工作簿 {workbooks} 个，原因见下{of}）"
    return f"（另有 {n} 个其他文件未检查，原因见下{of}）"


def not_checked_lines(skipped: dict, lang: str = "zh") -> list[str]:
    """The files found in folders and not checked (path -> (reason zh, reason en), or None), one line each under
    a heading with their number: as validate's text report lists them, and consolidate on the terminal."""
    t = _T[lang]
    lines = [t["skipped"].format(n=len(skipped))]
    theirs, ours = [], []  # ours (xlgoals' own outputs) listed apart, after the departments' files
    for s, why in skipped.items():
        (ours if xlgoals_output(why) else theirs).append(s)

    def line(s: str) -> str:
        why = skipped[s]
        return f"  - {shown_path(s, lang)}" + (t["reason"].format(why=why[1] if lang == "en" else why[0]) if why else "")
    lines += map(line, theirs)
    if ours:
        lines += [t["ours"].format(n=len(ours)), *map(line, ours)]
    return lines


def review_unscored(f, table) -> str | None:
    """Why the review gave file report `f` no score: "unfilled", "unreadable", "framework_unknown", "no_indicators"
    (see unscored), "not_reviewed" (the review did not run on it: a file that could not be read, a form it does not
    review); None where it scored it."""
    from ._validate import unscored

    if f.review_score is not None:
        return None
    return unscored(f.problems, table) or "not_reviewed"


def json_report(report: ValidationReport, lang: str = "zh", rules: RuleTable | None = None) -> str:
    table = rules or RuleTable.default()
    problems = report.problems()
    errors = sum(p.severity == ERROR for p in problems)
    # (`unreadable_folders`, as the text's first line counts them; a folder's entry in `files`, its folder.unreadable
    # problem, stays, for a script to see which folder)
    folders, files, failed = _file_counts(report)
    data = {
        "summary": {"files": files, "passed": files - failed, "failed": failed, "unreadable_folders": folders,
                    "errors": errors,
                    "warnings": sum(p.severity == WARNING for p in problems), "strict": report.strict},
        "files": [
            {"path": display_path(f.path), "path_bytes": os.fsencode(f.path).hex(), "form": f.form or "",
             "valid": f.passes(report.strict), "sha256": f.sha256,
             "errors": len(f.errors), "warnings": len(f.warnings),
             **({"notices": len(f.notices), "review_score": f.review_score,
                 "review_unscored": review_unscored(f, table)} if report.review else {}),
             **(_copy(report, f, lang) if report.annotated is not None else {}),
             "problems": [_problem(p, lang) for p in f.problems]}
            for f in report.files
        ],
        "skipped": [display_path(s) for s in report.skipped],
        # keyed by the readable path, as before: two names that read alike (a GBK name and its UTF-8 spelling) share
        # one key; `skipped_files` gives each file, its exact name and its reason
        "skipped_reasons": {display_path(s): (why[1] if lang == "en" else why[0])
                            for s, why in report.skipped_reasons.items()},
        "skipped_files": [{"path": display_path(s), "path_bytes": exact_path(s),
                           "reason": report.skipped_reasons[s][1 if lang == "en" else 0],
                           # the reason's code (the catalog's, whatever --lang) and both its languages, as a problem's
                           "code": reason_code(report.skipped_reasons[s]),
                           "message_zh": report.skipped_reasons[s][0], "message_en": report.skipped_reasons[s][1],
                           "xlgoals_output": xlgoals_output(report.skipped_reasons[s])} for s in report.skipped],
        "ignored": [display_path(s) for s in report.ignored],
        # the exact names (hex of their bytes), in the order of `skipped` and `ignored`: for a script to open them
        "skipped_bytes": [exact_path(s) for s in report.skipped],
        "ignored_bytes": [exact_path(s) for s in report.ignored],
    }
    # the other figures the text report says, equal: the files of each form (the returns, not --targets' goal tables
    # checked beside them; its note when they mix forms), the files not checked, of them xlgoals's own outputs, and
    # the lock and system files ignored
    approvals = {id(f) for f in report.approvals()}
    data["summary"]["forms"] = dict(Counter(f.form for f in report.files if f.form and id(f) not in approvals))
    data["summary"]["skipped"] = len(report.skipped)
    data["summary"]["skipped_outputs"] = sum(xlgoals_output(report.skipped_reasons.get(s)) for s in report.skipped)
    data["summary"]["ignored"] = len(report.ignored)
    if report.annotated is not None:  # --annotate: the copies made, by why (a passing file's with the review only)
        data["summary"]["annotated"] = dict(report.annotated)
    if report.review:
        data["summary"]["notices"] = sum(p.severity == NOTICE for p in problems)
        data["summary"]["review"] = True
        # the mean score as the text says it (of the files scored; null where none is), and the files not scored by
        # why, as its lines 目标审核：另有 N 个文件未填写… count them
        scores = [f.review_score for f in report.files if f.review_score is not None]
        data["summary"]["review_mean"] = round(sum(scores) / len(scores), 1) if scores else None
        whys = Counter(entry["review_unscored"] for entry in data["files"])  # (asked once a file, above)
        data["summary"]["review_unscored"] = {why: whys[why] for why in _UNSCORED_WHYS if whys[why]}
        compared = report.previous_counts()
        if compared is not None:
            (data["summary"]["previous_found"], data["summary"]["previous_missing"],
             data["summary"]["previous_competing"]) = compared
        data["previous_problems"] = [_problem(p, lang) for p in report.previous_problems]
    if report.target_problems:
        data["target_problems"] = [_problem(p, lang) for p in report.target_problems]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _copy(report: ValidationReport, f, lang: str) -> dict:
    """With --annotate, a file's annotated copy in the JSON report: `annotated` (its path as people read it, null
    where the file got none), `annotated_bytes` (the exact name, hex of its bytes) and `annotated_error` (why none
    was made of a file chosen for one; null where one was, or none was due: the file passes)."""
    target, why = report.copy_of(f.path)
    return {"annotated": display_path(target) if target else None,
            "annotated_bytes": exact_path(target) if target else None,
            "annotated_error": in_lang(why, lang) if why else None}


def _problem(p, lang: str) -> dict:
    """A problem in the JSON report: its file as people read it (`file`) and as its exact bytes (`file_bytes`)."""
    return {**p.to_dict(lang), "file": display_path(p.file), "file_bytes": exact_path(p.file) if p.file else ""}



CSV_COLUMNS = ["file", "valid", "code", "severity", "sheet", "cell", "field", "value", "expected", "message", "path"]


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value) -> str:
    """A CSV cell that spreadsheet programs will not run as a formula.  A plain number (-5, -0.5) is left as it
    is: a program reads it as that number, nothing else (it came out as '-5, unlike consolidate's CSV).  A text
    that begins with ``'`` itself gets one more where ``csv_text`` would take its own off (``'001``, ``'=x``: what
    follows would be marked in validate's report), so that ``csv_text`` gives every cell back as the JSON gives it
    (a department's ``'001`` typed into a text cell, which Excel and LibreOffice keep with its apostrophe, stays
    ``'001``; ``001`` stays ``001``).  A control character (ESC, NUL, a bidi override: ``_text.CONTROL_CHAR``; a
    return's cell may hold one, and a message may quote it) is written as its escape (``\\u001b``), as the terminal
    and JSON show it: a CSV shown in a terminal runs no escape sequence, and no text is reordered around it."""
    s = escape_controls("" if value is None else str(value))
    return "'" + s if _runs_as_formula(s) or (s[:1] == "'" and _marked(s[1:])) else s


def _runs_as_formula(s: str) -> bool:
    """Whether a spreadsheet would run a CSV cell's text as a formula (=…, +…, -…, @…, a tab or return first; a plain
    number aside): the one test of neutralise (consolidate's tables) and of _marked (validate's CSV report)."""
    return s[:1] in ("=", "+", "-", "@", "\t", "\r") and not _PLAIN_NUMBER.fullmatch(s)


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
#: Texts a spreadsheet opening a CSV (Excel, WPS, LibreOffice; double-clicked or imported with the columns left
#: General) turns into something else: a date (5/21, 2024-5-21, 21.5.2024, 5月21日, 21-May), a time (10:30), a
#: fraction (1 1/2), a negative number ((5)); a number or a boolean is _NUMBER_OR_BOOLEAN
_CONVERTED = re.compile(
    r"\s*(?:\d{1,4}\s*[-/.]\s*\d{1,2}(?:\s*[-/.]\s*\d{1,4})?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"|\d+\s+\d+\s*/\s*\d+"
    r"|\(\s*[\d,.]+\s*\)"
    r"|(?:\d{1,4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?"
    rf"|\d{{1,2}}[-/ ]{_MONTH}(?:[-/ ]\d{{2,4}})?|{_MONTH}[-/ ]\d{{1,4}}(?:[-/ ,]+\d{{2,4}})?"
    r")\s*", re.IGNORECASE)
#: ... and what it reads as a number (``1.10``, ``100.00``, ``1e5``, ``+1``, ``1,234``, ``50%``, ``￥100``, ``5-``; full-width
#: ``１２３`` once NFKC-folded, other scripts' digits as ``\d`` takes them) or a boolean (``TRUE``, any case), with white space
#: around it (`` 001``): every such text is marked but a plain number the spreadsheet shows as exactly that text (_SHOWN_AS_IS)
_NUMBER_OR_BOOLEAN = re.compile(
    r"\s*(?:[+-]?[$¥€£]?[+-]?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*[%‰]?[+-]?"
    r"|true|false)\s*", re.IGNORECASE)
#: A plain number a spreadsheet reads as that number and shows as the same text (`-5`, `0.5`, `146407273`): no sign but
#: a leading `-` (not `-0`), no leading or trailing zero, no exponent, ASCII digits, at most 15 of them (the README's
#: "a plain number is written as it is"; a number found in a cell is given so in `value`)
_SHOWN_AS_IS = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")


def _shown_as_is(s: str) -> bool:
    # (at most 15 significant digits: the integer part's are among them, the regex allowing it no leading zero)
    return bool(_SHOWN_AS_IS.fullmatch(s)) and s != "-0" and len(s.lstrip("-").replace(".", "").lstrip("0")) <= 15


def _marked(s: str) -> bool:
    """Whether a CSV cell's text `s` gets a ``'`` in front (as_text): a spreadsheet would run it as a formula, or turn
    it into another value (a date, a time, a fraction: _CONVERTED; a number or a boolean: _NUMBER_OR_BOOLEAN, a plain
    number shown as the same text aside); or it begins with ``'`` itself and what follows would be marked (so that
    `'5/21` typed with its quote is told from 5/21 marked: ``''5/21``).  The one test of every cell of validate's CSV
    report that is text (consolidate's tables keep their data as typed: neutralise)."""
    if s[:1] == "'":
        return _marked(s[1:])
    if _runs_as_formula(s):
        return True
    if _shown_as_is(s):
        return False
    folded = unicodedata.normalize("NFKC", s)  # １２３, －５, １．５, ５/２１ as a spreadsheet reads them
    return bool(_NUMBER_OR_BOOLEAN.fullmatch(folded) or _CONVERTED.fullmatch(folded))


def as_text(value) -> str:
    """A cell of validate's CSV report as a spreadsheet shows the text: one it would run as a formula (neutralise)
    or turn into another value (a date, a time: _CONVERTED; a number or a boolean, `1.10`, `001`, `TRUE`, unless a plain
    number it shows as the same text, `-5`: _NUMBER_OR_BOOLEAN) gets a ``'`` in front (_marked).  csv_text gives the text back exactly."""
    s = escape_controls("" if value is None else str(value))
    return "'" + s if _marked(s) else s


def csv_text(cell: str) -> str:
    """The text of a cell of ``validate --format csv``'s report, as the JSON report gives it: the ``'`` in front of a
    text a spreadsheet would otherwise run as a formula or turn into another value (a date 5/21, a code 001) taken
    off; any other cell as it is.  ``pd.read_csv(path, dtype=str, keep_default_na=False).map(xlgoals.csv_text)``."""
    return cell[1:] if isinstance(cell, str) and cell[:1] == "'" and _marked(cell[1:]) else cell


def csv_report(report: ValidationReport, lang: str = "zh", rules: RuleTable | None = None) -> str:
    """One row per problem (and per file without any, per file not checked and per lock or system file ignored).  The columns of CSV_COLUMNS, then
    with --review the file's review score, then the file's form and SHA-256 (last, so that the columns before them
    keep their places: a mixed folder's report splits by form, and a file is known by its digest), and last the
    exact name of the row's file as hex of its bytes (`file_bytes`: `file` is written for people to read); with --annotate,
    last of all, the file's annotated copy (`annotated`: its path, empty where the file got none)."""
    buf = io.StringIO()
    buf.write("\ufeff")  # UTF-8 BOM so Excel and WPS open Chinese text correctly
    w = csv.writer(buf, lineterminator="\r\n")
    # with --review: one more column, the file's review score (notices are rows like any problem)
    score = (lambda f: [f.review_score if f.review_score is not None else ""]) if report.review else (lambda f: [])

    # with --annotate: one more column, last, the file's annotated copy (its path as people read it; empty where the
    # file got none: the JSON's annotated_error says why)
    copied = report.annotated is not None

    def copy(f) -> list:
        target = report.copy_of(f.path)[0] if copied else None
        return [as_text(display_path(target)) if target else ""] if copied else []

    def extra(f) -> list:
        return [*score(f), f.form or "", f.sha256 or "", exact_path(f.path), *copy(f)]

    def blank(path) -> list:  # the same columns of a row that is no checked file's
        return [""] * (3 if report.review else 2) + [exact_path(path) if path else ""] + [""] * copied

    w.writerow(CSV_COLUMNS + (["review_score"] if report.review else []) + ["form", "sha256", "file_bytes"]
               + ["annotated"] * copied)
    for f in report.files:
        valid = f.passes(report.strict)
        if not f.problems:
            w.writerow([as_text(display_path(f.path)), "true"] + [""] * (len(CSV_COLUMNS) - 2) + extra(f))
        for p in f.problems:
            d = p.to_dict(lang)
            # `valid` is the one column a spreadsheet is meant to read as a boolean; the others are texts
            w.writerow([as_text(display_path(f.path)), "true" if valid else "false"]
                       + [as_text(d[k]) for k in ("code", "severity", "sheet", "cell", "field", "value", "expected",
                                                  "message", "path")] + extra(f))
    for p in report.previous_problems + report.target_problems:
        d = p.to_dict(lang)
        w.writerow([as_text(x) for x in (display_path(p.file), "", d["code"], d["severity"], d["sheet"], d["cell"], d["field"],
                                             d["value"], d["expected"], d["message"], d["path"])] + blank(p.file))
    # the files found in folders and not checked, each with its reason: no file is left out of the report
    for path, why in sorted(report.skipped_reasons.items()):
        row = [display_path(path), "", reason_code(why), NOTICE, "", "", "", "", "", why[1] if lang == "en" else why[0], ""]
        w.writerow([as_text(x) for x in row] + blank(path))
    # the editor lock files and system files passed over (the JSON's `ignored`): the rows account for every file
    for path in report.ignored:
        row = [display_path(path), "", SKIP_IGNORED.code, NOTICE, "", "", "", "", "", SKIP_IGNORED[lang == "en"], ""]
        w.writerow([as_text(x) for x in row] + blank(path))
    return buf.getvalue()


def render_report(report: ValidationReport, fmt: str = "text", lang: str = "zh", rules: RuleTable | None = None) -> str:
    """The report as ``xlgoals validate --format`` writes it: `fmt` "text" (text_report), "json" (json_report) or
    "csv" (csv_report), in `lang`."""
    render = {"text": text_report, "json": json_report, "csv": csv_report}.get(fmt)
    if render is None:
        raise ValueError(f"unknown report format {fmt!r} (text, json or csv)")
    return render(report, lang, rules=rules)
