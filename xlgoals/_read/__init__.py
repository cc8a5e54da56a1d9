"""Read a filled return into its JSON document: grid, then locate, then interpret.

Every value is traced to its sheet and cell.  ``read()`` never raises for a bad file: what
goes wrong is a Problem in the result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field

from .._config import Config, config_of
from .._form._model import numbered_as_printed
from .._paths import text_path
from .._problems import Problem
from .._record import record
from ._grid import Grid
from ._interpret import Sources, interpret
from ._locate import READ_SHEETS, Abort, locate
from ._safety import FileProblem, open_container


@record
class ReadResult:
    """What ``read()`` returns.

    ``document`` follows the form's JSON Schema (None when the file could not be read as a
    return); ``sources`` maps each JSON pointer to ``"sheet!A1"``; ``problems`` lists what
    the reader itself found (file, template and cell problems).
    """

    path: str
    document: dict | None = None
    sources: Mapping[str, str] = field(default_factory=Sources)
    problems: list[Problem] = field(default_factory=list)
    template: dict | None = None  # the parsed stamp: form, layout_version, framework, year, template_id
    sha256: str = ""
    format: str = ""
    form: str = ""  # the form's id, once located

    @property
    def numbers(self) -> list | None:
        """The 序号 each item's row prints (``numbered_as_printed``); None where the items have no rows."""
        return getattr(self.sources, "numbers", None)

    def source_of(self, path: str) -> tuple[str, str]:
        """(sheet, cell) of a JSON pointer, or of its nearest traced parent."""
        p = path
        while p:
            found = self.sources.get(p)  # (one lookup: a row's cell is worked out from its item, not kept)
            if found is not None:
                sheet, _, cell = found.rpartition("!")
                return sheet, cell
            p = p.rsplit("/", 1)[0]
        return "", ""

    def traced_sources(self) -> dict:
        """``sources`` as ``read --trace`` gives them: the cell of each pointer of the document (and its schema), not
        the form's total line (总分: ``/total``, no field of the document, a place the reader says its problems at:
        ``source_of`` still finds it, and those problems carry their sheet and cell)."""
        from .._form import FORMS

        form = FORMS.get(self.form)
        total = form.table.total if form is not None else None
        return {p: cell for p, cell in self.sources.items() if total is None or p != total.path}

    def to_json(self, trace: bool = False, lang: str = "zh") -> str | None:
        """What ``xlgoals read`` prints: the document as JSON text (2-space indents, characters as they are, a
        final newline); with `trace`, an object of the document, each value's cell (``sources``), the template
        stamp, the file's SHA-256 and the reader's problems (in `lang`).  None where there is no document."""
        import json

        if self.document is None:
            return None
        payload = self.document
        if trace:
            payload = {"document": self.document, "sources": self.traced_sources(), "template": self.template,
                       "sha256": self.sha256, "problems": [p.to_dict(lang) for p in self.problems]}
        return json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def read(path, *, rules=None, frameworks=None, config: Config | None = None, isolated: bool = True) -> ReadResult:
    """Read one return.  Never raises for a bad file: problems are in the result.

    ``rules`` (a rule-table CSV) and ``frameworks`` (a folder of framework files) replace or
    extend the packaged ones; ``config`` is both, already loaded.

    The file is read in a child process bounded in time and memory (``schema/limits.json``), as ``validate`` and
    the command line read each return: a damaged file can make the spreadsheet library (calamine) abort the
    process it runs in, or ask for gigabytes, and that process is then the child, not the caller's (an analyst's
    notebook).  Such a file gets the one problem validate gives it (``file.crashed``, or ``file.timeout``).  What
    the read raises (a bug, a bad argument) is raised here as before.  The child costs a fork per call on Linux:
    some 5 ms more than a small return's 2 ms read in place (examples/returns/02, best of 40); where there is no
    fork (Windows, macOS) a new interpreter, well under a second.  For many files ``validate`` (workers, no child
    per file) is the faster way.  ``xlgoals validate one.xlsx`` is unchanged (1.000x the instructions of the code
    before: its one child reads in place).  ``isolated=False`` reads in the calling process: for files the caller
    trusts, or a caller that bounds its own workers; a hostile file can then end the caller.  Inside an xlgoals
    worker a read is in place (the worker is bounded already).

    In a threaded host (a notebook's kernel threads, a web server's, a logging handler's) a fork copies the locks the
    other threads hold, held, into a child where nobody releases them, and logging's fork handler makes the fork
    itself wait for its lock: a read could wait on another thread, or its child hang until ``file_seconds``
    (``file.timeout``).  So on Linux, while other threads run, the child (and ``validate``'s workers) start from a
    fork server's clean process: started once (some 0.5 s, the first call), then tens of ms a call, bounded alike.
    As on Windows, that server imports the main script once (guard a script's work by
    ``if __name__ == "__main__":``); a script read from stdin, which it cannot import, forks as before.
    """
    from .._args import flag, path as checked_path

    path, isolated = checked_path(path), flag(isolated, "isolated", "isolated=")  # before the child: said, not raw
    cfg = config_of(config, rules=rules, frameworks=frameworks)
    path = text_path(path)  # b"..." (os.listdir(b".")) names the same file
    if isolated:
        from .._parallel import in_bounded_child

        if not in_bounded_child():
            return _read_bounded(path, cfg)
    return _read_here(path, cfg)


def _read_bounded(path, cfg: Config, raises: tuple = (Exception,)) -> ReadResult:
    """`path` read in a child bounded in time and memory (read's `isolated`; the command line's `read`): what the
    read raises of a kind in `raises` is raised here; a child that dies, overruns, or raises anything else gives
    the file's one problem (unread: file.crashed, file.timeout)."""
    import functools

    from .._parallel import ChildDied, bounded

    try:
        return bounded(functools.partial(_read_here, cfg=cfg), path, cfg.limits, raises=raises)
    except ChildDied as died:
        return unread(path, died.reason, cfg)


def unread(path, reason: str, cfg: Config) -> ReadResult:
    """The result of a file whose reader died or overran (`reason` as pmap gives it): its one problem."""
    from .._parallel import crash_reason
    from ._safety import file_sha256

    if reason == "timeout":
        p = cfg.rules.problem("file.timeout", expected=str(cfg.limits["file_seconds"]))
    elif reason == "memory":  # the checking machine's limit (the bureau's side): no verdict on the file
        mb = cfg.limits["worker_memory_mb"]
        p = cfg.rules.problem("file.crashed", detail=crash_reason(reason), detail_en=crash_reason(reason, "en"),
                              advice=f"：读取此文件所需的内存超过了校验程序给每个读取进程的上限（约 {mb} MB，"
                                     f"schema/limits.json 的 worker_memory_mb），计算机本身内存不足时也会如此。这是校验一方的"
                                     f"限制，不是对文件内容的判断：文件本身不大时，请以更少的并行进程（--jobs）重新校验，"
                                     f"或在限额文件中提高上限后重新校验（--limits 文件，内容如 "
                                     f"{{\"worker_memory_mb\": {mb * 2}}}）；"
                                     f"文件确实很大（大量图片、空行或格式）时，才需报送单位删去多余内容，否则报送单位无需改动文件",
                              advice_en=f": reading it needs more memory than the checker allows each reading process "
                                        f"(about {mb} MB, worker_memory_mb in schema/limits.json), or than the machine had "
                                        f"free. This is the checking side's limit, not a verdict on the file: if the file is "
                                        f"not large, check it again with fewer parallel jobs (--jobs), or with the limit "
                                        f"raised in a limits file (--limits FILE, holding such as "
                                        f"{{\"worker_memory_mb\": {mb * 2}}}); only a file that really "
                                        f"is that large (many pictures, empty rows or formats) needs the department to trim it, "
                                        f"otherwise the department need not change the file")
    else:  # a reader that died on it: the file may be damaged or tampered with
        p = cfg.rules.problem("file.crashed", detail=crash_reason(reason), detail_en=crash_reason(reason, "en"),
                              advice="，文件可能已损坏或被改动，请用 Excel 或 WPS 打开后另存为 .xlsx 再报送",
                              advice_en=": it may be damaged or tampered with. Open it in Excel or WPS, save it as .xlsx "
                                        "and submit again")
    p.file = str(path)
    return ReadResult(path=str(path), problems=[p], sha256=file_sha256(path))


def _read_here(path, cfg: Config) -> ReadResult:
    result = ReadResult(path=str(path))
    grid = None
    try:
        container = open_container(path)
        result.sha256, result.format = container.sha256, container.kind
        grid = Grid(container, READ_SHEETS)  # the guide sheet, and a very hidden lists sheet, never inflated
        located = locate(grid, cfg, result.problems)
        result.template, result.form = located.stamp, located.form.id
        with numbered_as_printed(result.sources.numbers):  # 第N条指标: the 序号 on the form
            result.document = interpret(located, cfg.rules, result.sources, result.problems, cfg.limits)
    except FileProblem as fp:
        result.sha256 = result.sha256 or fp.sha256
        result.problems.append(cfg.rules.problem(fp.code, value=fp.found or None, value_en=fp.found_en or None,
                                                 expected=fp.expected, detail=fp.detail, detail_en=fp.detail_en,
                                                 sheet=fp.sheet))
        result.document = None
    except Abort as stop:
        result.document = None
        result.template = stop.args[0] if stop.args else None  # a stamp read whole, of a framework not loaded
    if grid is not None and grid.renamed:  # a sheet read under the form's name: its cells said under its own
        _under_given_names(result, grid.renamed)
    for p in result.problems:
        p.file = str(path)
    return result


def _under_given_names(result: ReadResult, renamed: dict[str, str]) -> None:
    """The problems' and the values' cells on sheets the department renamed (read under the form's names: the
    form's name -> the one given), named by the sheet as the department sees it, where its annotated copy marks
    them."""
    for p in result.problems:
        if p.sheet in renamed and p.code != "template.sheet_renamed":
            p.sheet = renamed[p.sheet]
    sources = result.sources
    if sources.sheet in renamed:
        sources.sheet = renamed[sources.sheet]
    for key, where in list(sources.fixed.items()):
        sheet, bang, cell = str(where).rpartition("!")
        if bang and sheet in renamed:
            sources.fixed[key] = f"{renamed[sheet]}!{cell}"
    if sources.covered:
        sources.covered = {(renamed.get(sheet, sheet), cell) for sheet, cell in sources.covered}
