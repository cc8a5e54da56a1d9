"""Build test workbooks from code; every position comes from the form's declaration."""

import json
import shutil
from pathlib import Path

import openpyxl

from xlgoals import FORMS, fill
from xlgoals._form import a1

F = FORMS["goal-table"]


def edited(src: Path, dst: Path, edits: dict) -> Path:
    """Copy `src` to `dst` with cells changed: {(sheet, "B3"): value}; strings are set as text."""
    wb = openpyxl.load_workbook(src)
    for (sheet, ref), value in edits.items():
        cell = wb[sheet][ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    wb.save(dst)
    return dst


def info_cell(path: str) -> tuple[str, str]:
    f = F.field(path)
    return f.sheet, f.cell


def ind_cell(index: int, column: str, fw=None) -> tuple[str, str]:
    """The cell of indicator `index` (0-based) in `column` (a column key, or an item key such as value)."""
    return F.table.name, a1(F.table.first_row + index, F.column(column, fw).index)


def filled(doc: dict, path: Path) -> Path:
    return fill(doc, path)


def packaged_rule(code: str, **changes) -> list[str]:
    """The packaged rule table's row for `code`, with columns changed by name (severity="error", params=…)."""
    import csv

    from xlgoals._resources import data_dir

    with open(data_dir("schema") / "rules.csv", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, row = rows[0], next(r for r in rows if r[0] == code)
    for name, value in changes.items():
        row[header.index(name)] = value
    return row


def bureau_rules(path: Path, *rows) -> Path:
    """A bureau's rule table at `path`: the packaged header and `rows`."""
    import csv

    from xlgoals._check._ruletable import COLUMNS, OPTIONAL_COLUMNS

    header = list(COLUMNS + OPTIONAL_COLUMNS)[:max([len(COLUMNS), *map(len, rows)])]  # field_en where rows give it
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def lo_cell(sheet_cell: tuple[str, str]) -> dict:
    """A (sheet, "B3") pair as tests/lo_edit.py takes it."""
    return {"sheet": sheet_cell[0], "cell": sheet_cell[1]}


def templates_from_sample_targets(tmp_path: Path, make, **kw):
    """`make` (self_evaluation_templates, monitoring_templates) over a folder holding goal table 02 as a workbook,
    goal table 05 as JSON and a missing file: (its result, the 促进就业专项资金 template, goal table 02)."""
    from .conftest import EXAMPLE_JSON, load

    src = tmp_path / "in"
    src.mkdir()
    goal = load(EXAMPLE_JSON[1])
    fill(goal, src / "目标表02.xlsx")
    result = make([src, EXAMPLE_JSON[4], tmp_path / "missing.json"], tmp_path / "out", **kw)
    assert len(result.written) == 2 and len(result.errors) == 1 and "missing.json" in result.errors[0]
    return result, next(p for p in result.written if "促进就业专项资金" in p.name), goal


def filled_examples(folder: Path, prefix: str = "") -> list[dict]:
    """The example documents filled into `folder` (made) as ``{prefix}{i}.xlsx``; returns the documents."""
    from .conftest import EXAMPLE_JSON, load

    folder.mkdir(parents=True, exist_ok=True)
    docs = [load(p) for p in EXAMPLE_JSON]
    for i, doc in enumerate(docs):
        fill(doc, folder / f"{prefix}{i}.xlsx")
    return docs


_CJK = r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]"
# data as the English output quotes it ('…' that is not an apostrophe, as in "form's")
_QUOTED = (r"(?<![A-Za-z])'[^'\n]*'(?![A-Za-z])", r"“[^”\n]*”", r'"[^"\n]*"')


def cjk_outside_data(text: str, data=(), paths=()) -> list[str]:
    """The lines of English output that still hold Chinese once data is taken out: quoted text ('…'), the file
    names in `paths` and the strings in `data` (sheet names, labels, list items as they stand in the workbook or
    the framework).  Empty when the output is English."""
    import re

    data = sorted({str(d) for d in data if d} | {str(p) for p in paths}, key=len, reverse=True)
    left = []
    for line in text.splitlines():
        s = line
        for d in data:
            s = s.replace(d, "")
        for pattern in _QUOTED:
            s = re.sub(pattern, "''", s)
        if re.search(_CJK, s):
            left.append(line)
    return left


def is_chinese(text: str) -> bool:
    """Chinese output: Chinese text, and no English sentence (three English words in a row) outside quoted data,
    codes (rule.xxx), options (--lang) and file names."""
    import re

    s = text
    for pattern in _QUOTED + (r"[\w.-]+\.(xlsx|xls|ods|json|csv|txt)", r"--?[a-z][\w-]*", r"\b[a-z]+\.[a-z_.]+\b",
                              r"\([a-z_.]+\)"):
        s = re.sub(pattern, "", s)
    return bool(re.search(_CJK, text)) and not re.search(r"\b[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}\b", s)


# openpyxl writes a font's children in its own order (annotated copies are written with it): Excel reads it, and
# the Open XML SDK check reports it as an unexpected element in a font
def ooxml_errors(path) -> list[str]:
    """What the Open XML SDK schema check (openxml-audit) finds wrong in the workbook at `path`; the test calling
    it is skipped where openxml-audit is not installed."""
    import pytest

    audit = pytest.importorskip("openxml_audit")
    return [f"{e.part_uri}: {str(e.description)[:160]}" for e in audit.OpenXmlValidator().validate(str(path)).errors]


def files_under(folder) -> list[str]:
    """Every file under `folder` (temporary .part files included), relative: what a refused run must not have
    added."""
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*"))


def one_line(text: str) -> str:
    """The one line of `text` (a failing assertion when it has more)."""
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# The example returns of each form, edited cell by cell (tests of the reader's messages on indicator rows) ---------
#: Each form as the examples fill it (the monitoring report of 1-6月)
EXAMPLE_FORMS = {"goal-table": F, "self-evaluation": FORMS["self-evaluation"],
                 "monitoring": FORMS["monitoring"].bind(month=6)}
_EXAMPLE_FOLDERS = {"goal-table": "returns", "self-evaluation": "self-evaluation", "monitoring": "monitoring"}


def example_return(form_id: str) -> Path:
    """The second example return of the form (促进就业专项资金)."""
    from .conftest import EXAMPLES

    return sorted((EXAMPLES / _EXAMPLE_FOLDERS[form_id]).glob("*.xlsx"))[1]


def row_cell(form_id: str, i: int, key: str) -> tuple[str, str]:
    """(sheet, cell) of indicator row `i` (0-based) in the column of `key`, in the form's example return."""
    form = EXAMPLE_FORMS[form_id]
    return form.table.name, a1(form.table.first_row + i, form.column(key).index)


def edited_return(tmp_path: Path, form_id: str, edits: dict, info: dict | None = None, name: str = "r.xlsx",
                  hide: int | None = None) -> Path:
    """The second example return of the form with cells changed: {(row index, key): value or (value, number
    format)} (a text as text; one starting with # an error value, with = a formula), on the information sheet
    {"B10": value}; `hide`: an indicator row hidden."""
    form = EXAMPLE_FORMS[form_id]
    wb = openpyxl.load_workbook(example_return(form_id))
    ws = wb[form.table.name]
    for (i, key), value in edits.items():
        c = ws.cell(form.table.first_row + i + 1, form.column(key).index + 1)
        fmt = None
        if isinstance(value, tuple):
            value, fmt = value
        c.value = value
        if isinstance(value, str) and value.startswith("#"):
            c.data_type = "e"
        elif isinstance(value, str) and not value.startswith("="):
            c.data_type = "s"
        if fmt:
            c.number_format = fmt
    for ref, value in (info or {}).items():
        wb[form.info.name][ref].value = value
    if hide is not None:
        ws.row_dimensions[form.table.first_row + hide + 1].hidden = True
    out = tmp_path / name
    wb.save(out)
    return out


def note_typed_below(lo_edit, src: Path, dst: Path, form, first_free: int, note: str, signed: str):
    """`note` and a `signed` line typed through LibreOffice below a table of `form` (its protection off): the note at
    0-based row `first_free` in the 一级 column, the signature on the row below in the 名称 column.  Returns the
    read result, the one cell.below problem it gives and the note's cell."""
    from xlgoals import read

    sheet = form.table.name
    at_note, at_signed = a1(first_free, form.column("level1").index), a1(first_free + 1, form.column("name").index)
    path = lo_edit(src, dst, [{"sheet": sheet, "unprotect": True},
                              {"sheet": sheet, "cell": at_note, "string": note},
                              {"sheet": sheet, "cell": at_signed, "string": signed}])
    result = read(path)
    below = [p for p in result.problems if p.code == "cell.below"]
    assert len(below) == 1, [(p.code, p.cell) for p in result.problems]
    assert (below[0].sheet, below[0].cell, below[0].severity) == (sheet, at_note, "warning")
    assert note in below[0].message and "2 个单元格" in below[0].message, below[0].message
    return path, result, below[0]


def bureau_rules_file(tmp_path, changes: dict, name="本局规则.csv", every=False, edit=None):
    """A bureau's rule table: the packaged rows of `changes` (code -> {column: value}) as changed (with `every`,
    every packaged row, the others as packaged: a copy made by ``xlgoals defaults``); `edit(row)` for the rest."""
    import csv

    from .conftest import ROOT

    rows = list(csv.reader(open(ROOT / "schema" / "rules.csv", encoding="utf-8-sig")))
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(rows[0])
        for r in rows[1:]:
            if r[0] in changes:
                r = [changes[r[0]].get(col, v) for col, v in zip(rows[0], r)]
            if r[0] in changes or every:
                if edit is not None:
                    r = edit(r)
                w.writerow(r)
    return path


def monitoring_short_row(reason=None):
    """A monitoring example whose first ≥/> non-% indicator is expected to reach half its target, 偏差原因类别 blank
    and 偏差原因 `reason` (None: blank too); (document, the row's index)."""
    import json

    from .conftest import EXAMPLES

    doc = json.loads((EXAMPLES / "monitoring" / "03_职业培训基础能力建设资助.json").read_text(encoding="utf-8"))
    i = next(k for k, x in enumerate(doc["indicators"]) if x["comparator"] in (">=", ">") and x.get("unit") != "%")
    ind = doc["indicators"][i]
    for k in ("deviation_category", "deviation"):
        ind.pop(k, None)
    ind.update(expected=ind["value"] * 0.5, likelihood="possible")
    if reason is not None:
        ind["deviation"] = reason
    return doc, i


def json_review(doc: dict, tmp_path: Path, *args, name: str = "r.json") -> list[dict]:
    """`doc` written as a JSON return and validated with --review through the command line (more options in `args`):
    the problems of its report, as dicts."""
    import json

    from .conftest import cli

    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("validate", path, "--review", "--format", "json", *args)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    out = json.loads(result.output)
    return [p for f in (out["files"] if "files" in out else [out]) for p in f["problems"]]


def approvals_one_refused(tmp_path: Path, unreadable_01: bool = False) -> Path:
    """The approvals of 2020 in tmp_path/批复: 02's goal table edited into one that does not pass (当年预算 above 总预算:
    refused, its project read), the others as approved; with `unreadable_01`, 01's damaged in transit (nothing of it
    readable)."""
    import json
    import shutil

    from .conftest import EXAMPLES

    goals = tmp_path / "批复"
    goals.mkdir()
    for p in sorted((EXAMPLES / "returns").glob("0[345]*.xlsx" if unreadable_01 else "0[1345]*.xlsx")):
        shutil.copy(p, goals)
    if unreadable_01:
        (goals / "01_筹办第46届世界技能大赛.xlsx").write_bytes(b"PK\x03\x04 damaged")
    doc = json.loads((EXAMPLES / "json" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc["budget"]["current_year"] = doc["budget"]["total"] * 2
    (goals / "02_促进就业专项资金.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return goals


def wan_self_evaluation(tmp_path: Path) -> tuple[Path, dict]:
    """The first example self-evaluation with 全年预算数 and 全年执行数 typed in 万元 (6280 and 6028.8, consistent among
    themselves: 96 %), filled as tmp_path/in/a_wan.xlsx: (the folder, the document filled)."""
    import json
    from decimal import Decimal

    from .conftest import EXAMPLES

    src = sorted((EXAMPLES / "self-evaluation").glob("*.json"))[0]
    inbox = tmp_path / "in"
    inbox.mkdir()
    wan = json.loads(src.read_text(encoding="utf-8"))
    f = wan["funds"]
    f["full_year_budget"] = f["sources"]["fiscal"]["full_year_budget"] = Decimal("6280")
    f["executed"] = f["sources"]["fiscal"]["executed"] = Decimal("6028.8")
    fill(wan, inbox / "a_wan.xlsx")
    return inbox, wan


def source_row(ws, source: str) -> tuple[list, list]:
    """A summary sheet's header (the row starting 序号, among the first five) and the one row whose 来源文件 is
    `source`: (header, row values)."""
    head = [c.value for c in ws[next(r for r in range(1, 6) if ws.cell(r, 1).value == "序号")]]
    (row,) = [[c.value for c in r] for r in ws.iter_rows() if r[head.index("来源文件")].value == source]
    return head, row


class Counted(bytes):
    """A sheet's part that counts the bytes its finds pass over (``Counted.scanned``, set to 0 before a count)."""

    scanned = 0

    def find(self, sub, start=0, *rest):
        i = super().find(sub, start, *rest)
        Counted.scanned += (len(self) if i < 0 else i) - start
        return i


class CountedRe:
    """A pattern over a sheet's part, counting the whole part for each search (as a finditer reads it)."""

    def __init__(self, pattern):
        self.pattern = pattern

    def finditer(self, xml, *rest):
        Counted.scanned += len(xml)
        return self.pattern.finditer(xml, *rest)


def unit_inbox(tmp_path, jia=(0,), yi=()):
    """收件箱 with the folders 甲单位 and 乙单位, holding the example returns of the given indexes (EXAMPLE_XLSX)."""
    from .conftest import EXAMPLE_XLSX
    inbox = tmp_path / "收件箱"
    for unit, which in (("甲单位", jia), ("乙单位", yi)):
        (inbox / unit).mkdir(parents=True)
        for i in which:
            shutil.copy(EXAMPLE_XLSX[i], inbox / unit / EXAMPLE_XLSX[i].name)
    return inbox


def written_twice(xml: bytes, prefix: bytes) -> bool:
    """Whether two tags starting `prefix` give one r (as _first_place reads an r: up to a '"', holding no '<')."""
    seen, i = set(), xml.find(prefix)
    while i >= 0:
        j = xml.find(b'"', i + len(prefix))
        if j < 0:
            break
        r = xml[i + len(prefix):j]
        if b"<" not in r:
            if r in seen:
                return True
            seen.add(r)
        i = xml.find(prefix, i + 1)
    return False


def monitoring_report(month: int, executed, date: str, failing: bool = False) -> dict:
    """Seed 02's monitoring report (examples/monitoring, a 1-6月 report) of `month`, `executed` to date, filled on
    `date`; `failing`: a likelihood left blank (monitor.row_missing, an error)."""
    from .conftest import EXAMPLES

    doc = json.loads((EXAMPLES / "monitoring" / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    doc.update(month=month)
    doc["contact"]["date"] = date
    doc["funds"]["executed_to_date"] = executed
    if failing:
        doc["indicators"][0]["likelihood"] = None
    return doc


def summary_note(wb, sheet: str = "监控汇总") -> str:
    """The sentence of a consolidate summary's `sheet` that starts 共读取 (its counts)."""
    return next(c.value for r in wb[sheet].iter_rows() for c in r
                if isinstance(c.value, str) and c.value.startswith("共读取"))
