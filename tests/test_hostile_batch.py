"""Hostile and broken returns, round two: no input aborts a batch, no output overwrites an input, totals are exact.

Each case of the red-team list is a test here: the file gets a located problem (or a clean refusal),
and the rest of the batch goes on.
"""

import csv
import io
import json
import os
import random
import re
import shutil
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate, fill, read, validate
from xlgoals._form._kinds import clean_name
from xlgoals._resources import data_dir

from .conftest import EXAMPLE_XLSX, cli
from .helpers import F, edited, info_cell

GOOD = EXAMPLE_XLSX[1]
FIXTURES = Path(__file__).parent / "fixtures"
INFO_PART, TABLE_PART = "xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"


def patched(dst: Path, src: Path = GOOD, **changes) -> Path:
    """Copy a workbook with some zip parts replaced: changes maps part name -> function(bytes) -> bytes."""
    with zipfile.ZipFile(src) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    for name, fn in changes.items():
        name = name.replace("__", "/").replace("_DOT_", ".")
        parts[name] = fn(parts[name])
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in parts.items():
            zout.writestr(n, d)
    dst.write_bytes(buf.getvalue())
    return dst


def cell_xml(ref: str):
    """A function replacing the <c> element at `ref` of a sheet part."""
    def set_to(new: bytes):
        def fn(xml: bytes) -> bytes:
            out, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(/>|>.*?</c>)', new, xml, count=1)
            assert n == 1, ref
            return out
        return fn
    return set_to


def codes(report):
    return [p.code for p in report.problems]


def one_file(path, **kw):
    (f,) = validate([path], **kw).files
    return f


# Blockers -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["consolidate", "validate", "read"])
def test_an_output_that_is_an_input_is_refused_before_reading(tmp_path, command):
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], a)
    shutil.copy(EXAMPLE_XLSX[1], b)
    link = tmp_path / "link.xlsx"
    link.symlink_to(a)
    before = a.read_bytes()
    args = {"consolidate": ["consolidate", a, b, "-o", link], "validate": ["validate", a, b, "-o", link],
            "read": ["read", a, "-o", link]}[command]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert "就是输入文件" in result.output and a.read_bytes() == before


def test_an_output_into_the_input_folder_is_refused(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(GOOD, d / "a.xlsx")
    before = (d / "a.xlsx").read_bytes()
    assert cli("consolidate", d, "-o", d / "a.xlsx").exit_code == 2
    assert (d / "a.xlsx").read_bytes() == before


def test_the_summary_of_the_last_run_in_the_input_folder_is_replaced(tmp_path):
    """`consolidate 收件箱 -o 收件箱/汇总.xlsx` run again each day: the old summary is xlgoals' own output, not a
    return; it is replaced rather than refused.  Named as an input, it is still refused."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(GOOD, d / "a.xlsx")
    first = cli("consolidate", d, "-o", d / "汇总.xlsx")
    assert first.exit_code == 0, first.output
    made = (d / "汇总.xlsx").stat().st_mtime_ns
    again = cli("consolidate", d, "-o", d / "汇总.xlsx")
    assert again.exit_code == 0, again.output
    assert "共 1 个文件" in again.output and (d / "汇总.xlsx").stat().st_mtime_ns != made
    named = cli("consolidate", d / "汇总.xlsx", d / "a.xlsx", "-o", d / "汇总.xlsx")
    assert named.exit_code == 2 and "是上次运行写入的，这次却作为输入给出" in named.output


@pytest.mark.parametrize("ref, value", [("B10", b"NaN"), ("B12", b"inf"), ("B10", b"-inf"), ("B2", b"NaN")])
def test_nan_and_inf_in_number_cells_are_located_problems(tmp_path, ref, value):
    bad = patched(tmp_path / "nan.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml(ref)(
        b'<c r="' + ref.encode() + b'"><v>' + value + b"</v></c>"))
    good = shutil.copy(GOOD, tmp_path / "good.xlsx")
    report = validate([bad, good], jobs=1)
    good_report, bad_report = report.files  # sorted by path
    assert any(p.cell == ref and p.code.startswith("cell.") for p in bad_report.problems), codes(bad_report)
    assert good_report.passes()
    result = cli("read", bad)
    assert result.exit_code == 1 and "Traceback" not in result.output
    out = cli("read", bad, "-o", tmp_path / "doc.json")
    if out.exit_code == 1 and (tmp_path / "doc.json").exists():
        json.loads((tmp_path / "doc.json").read_text(encoding="utf-8"))  # valid JSON: no NaN


@pytest.mark.parametrize("name, code", [("abort", "file.crashed"), ("hang", "file.timeout"), ("ok", None)])
def test_a_single_file_runs_in_its_own_process_too(tmp_path, monkeypatch, name, code):
    """One file (the clerk's `validate one.xlsx`) is checked in a forked child without the pool: a crash or
    a hang is still that file's problem, and the run still ends with a report."""
    import xlgoals._check._validate as mod
    import xlgoals._parallel as par

    target = shutil.copy(GOOD, tmp_path / f"{name}.xlsx")
    real = mod.read

    def hostile_read(path, **kw):
        if "abort" in str(path):
            os.abort()
        if "hang" in str(path):
            time.sleep(60)
        return real(path, **kw)

    monkeypatch.setattr(mod, "read", hostile_read)
    started = []
    monkeypatch.setattr(par, "_Slot", lambda *a, **k: started.append(a) or pytest.fail("a pool was started"))
    from xlgoals import Config

    cfg = Config.load()
    monkeypatch.setitem(cfg.limits, "file_seconds", 2)
    start = time.monotonic()
    report = validate(target, config=cfg, jobs=None)
    assert time.monotonic() - start < 20
    assert [codes(f) for f in report.files] == [[code] if code else []]
    assert not started


def test_the_single_file_child_reports_a_bug_and_an_unpicklable_result():
    from xlgoals._parallel import pmap

    def boom(x):
        raise ValueError("bad")

    assert list(pmap(boom, [1], on_crash=lambda item, why: why)) == ["ValueError: bad"]
    # a local function cannot be pickled: pickle names it AttributeError ("Can't pickle local object")
    assert list(pmap(lambda x: (lambda: x), [1], on_crash=lambda item, why: why)) == ["AttributeError"]
    assert list(pmap(lambda x: x * 2, [21])) == [42]


class _DiskFull(OSError):
    pass


def _fill_disk(x):
    if x == 3:
        raise _DiskFull(28, "No space left on device")
    return x


@pytest.mark.parametrize("jobs, n", [(1, 1), (1, 6), (2, 6)])
def test_an_oserror_the_caller_asked_raised_is_raised_not_taken_for_a_broken_pipe(jobs, n):
    """An exception of a kind in `raises` that is an OSError (a worker's full disk) reaches the caller as itself:
    it was once caught as the pipe breaking, and the map hung (one worker) or failed on an empty deque (two)."""
    import threading

    from xlgoals._parallel import pmap

    items = [3] if n == 1 else list(range(n))
    outcome = []

    def run():
        try:
            list(pmap(_fill_disk, items, jobs, on_crash=lambda item, why: why, timeout=30, raises=(_DiskFull,)))
        except BaseException as exc:  # noqa: BLE001 - what the map raised, looked at below
            outcome.append(exc)

    runner = threading.Thread(target=run, daemon=True)  # a map that hangs fails the test rather than the suite
    runner.start()
    runner.join(60)
    assert not runner.is_alive(), "the map hung"
    assert len(outcome) == 1 and isinstance(outcome[0], _DiskFull), outcome
    assert list(pmap(_fill_disk, [1, 2], jobs, on_crash=lambda item, why: why, timeout=30,
                     raises=(_DiskFull,))) == [1, 2]


@pytest.mark.parametrize("name, change", [
    ("shared string index", {"xl__worksheets__sheet2_DOT_xml": cell_xml("B3")(b'<c r="B3" t="s"><v>99999</v></c>')}),
    ("boolean 7", {"xl__worksheets__sheet2_DOT_xml": cell_xml("B3")(b'<c r="B3" t="b"><v>7</v></c>')}),
    ("unknown error", {"xl__worksheets__sheet2_DOT_xml": cell_xml("B3")(b'<c r="B3" t="e"><v>#WHAT</v></c>')}),
    ("reference 10B", {"xl__worksheets__sheet2_DOT_xml": cell_xml("B3")(b'<c r="10B" t="str"><v>x</v></c>')}),
    ("dot-slash target", {"xl___rels__workbook_DOT_xml_DOT_rels": lambda x: x.replace(
        b'Target="worksheets/', b'Target="./worksheets/')}),
    ("malformed sheet XML", {"xl__worksheets__sheet3_DOT_xml": lambda x: x[: len(x) // 2]}),
])
def test_calamine_errors_never_escape(tmp_path, name, change):
    bad = patched(tmp_path / "bad.xlsx", **change)
    report = validate([bad, GOOD], jobs=2)
    by_path = {f.path: f for f in report.files}
    assert len(report.files) == 2 and by_path[str(GOOD)].passes()
    bad_report = by_path[str(bad)]
    assert not bad_report.passes() and bad_report.problems[0].code.startswith(("file.", "cell.")), codes(bad_report)


def test_a_panicking_xls_is_one_problem_and_prints_no_backtrace(capfd):
    result = cli("validate", FIXTURES / "calamine-panic.xls", FIXTURES / "goal-table-lo.xls")
    assert result.exit_code == 1
    assert "file.corrupt" in result.stdout and "✓ 通过" in result.stdout
    assert "panicked" not in capfd.readouterr().err
    r = read(FIXTURES / "calamine-panic.xls")  # in this process too
    assert [p.code for p in r.problems] == ["file.corrupt"]


def test_a_worker_that_dies_or_hangs_is_replaced_and_its_file_reported(tmp_path, monkeypatch):
    import xlgoals._check._validate as mod

    files = [shutil.copy(GOOD, tmp_path / f"{name}.xlsx") for name in ("a_ok", "b_abort", "c_ok", "d_hang", "e_ok")]
    real = mod.read

    def hostile_read(path, **kw):
        if "abort" in str(path):
            os.abort()  # as a Rust allocation failure does
        if "hang" in str(path):
            time.sleep(60)
        return real(path, **kw)

    monkeypatch.setattr(mod, "read", hostile_read)
    from xlgoals import Config

    cfg = Config.load()
    monkeypatch.setitem(cfg.limits, "file_seconds", 3)
    start = time.monotonic()
    report = validate(files, jobs=2, config=cfg)
    assert time.monotonic() - start < 30
    by_name = {Path(f.path).stem: codes(f) for f in report.files}
    # the three copies of one return, named one by one, are told duplicates as in their folder (h33-season)
    assert by_name == {"a_ok": ["return.duplicate"], "b_abort": ["file.crashed"], "c_ok": ["return.duplicate"],
                       "d_hang": ["file.timeout"], "e_ok": []}
    result = consolidate(files, tmp_path / "s.xlsx", jobs=1, config=cfg)
    assert len(result.records) == 5 and result.totals["projects"] == 1  # the same project, three times


@pytest.mark.parametrize("name, change", [
    ("tab before r", lambda x: x.replace(b"<row r=\"4\"", b"<row\tr=\"100000\"", 1)),
    ("XFD1048576", cell_xml("B4")(b'<c r="XFD1048576"><v>1</v></c>')),
    ("character reference", cell_xml("B4")(b'<c r="B&#49;00000"><v>1</v></c>')),
    ("newline in attribute", lambda x: x.replace(b'<c r="B4"', b'<c\nr = "B4" ', 1).replace(
        b"<row r=\"4\"", b"<row r=\"1048576\"", 1)),
    # a second r: expat refuses the duplicate, calamine takes the last one
    ("second r", cell_xml("B4")(b'<c r="B4" r="XFD1048576"><v>1</v></c>')),
    ("second r, no space", cell_xml("B4")(b'<c r="B4"r="XFD1048576"><v>1</v></c>')),
    ("second r, quoted >", cell_xml("B4")(b'<c r="B4" s=">" r=\'XFD1048576\'><v>1</v></c>')),
    ("second r, newline", cell_xml("B4")(b'<c r="B4"\nr\n=\n"XFD1048576"><v>1</v></c>')),
    # calamine counts rows on at each row's end: rows nested in rows carry its count past any r (row 20002)
    ("nested rows", cell_xml("B4")(b'<c r="B4"><v>1</v></c><row r="20000"><row r="20000"></row></row><c><v>1</v></c>')),
    # and its columns go back to the first at a row's end only: column 201
    ("row in a row", cell_xml("B4")(b'<c r="GR4"><v>1</v></c><row r="5"><c><v>1</v></c></row>')),
])
def test_the_sheet_size_guard_parses_xml(tmp_path, name, change):
    bad = patched(tmp_path / "big.xlsx", xl__worksheets__sheet3_DOT_xml=change)
    start = time.monotonic()
    report = one_file(bad)
    assert time.monotonic() - start < 10
    assert codes(report) and codes(report)[0] in ("file.sheet_too_large", "file.corrupt"), codes(report)


def test_a_sheet_part_named_bin_is_screened_too(tmp_path):
    with zipfile.ZipFile(GOOD) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet3.bin"] = cell_xml("B4")(b'<c r="XFD1048576"><v>1</v></c>')(parts.pop(TABLE_PART))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"sheet3.xml", b"sheet3.bin")
    bad = tmp_path / "bin.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        for n, d in parts.items():
            z.writestr(n, d)
    assert codes(one_file(bad)) == ["file.sheet_too_large"]


def test_file_names_that_are_not_utf8(tmp_path):
    raw = os.fsencode(tmp_path) + b"/" + "收到".encode("gbk")
    os.mkdir(raw)
    shutil.copy(GOOD, os.path.join(raw, "申报".encode("gbk") + b".xlsx"))
    folder = os.fsdecode(raw)
    result = cli("validate", folder, "--format", "json", "-o", tmp_path / "r.json")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["files"][0]["path"].endswith("收到/申报.xlsx")
    result = cli("consolidate", folder, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "csv", "--json", tmp_path / "s.json")
    assert result.exit_code == 0, result.output
    assert "收到/申报.xlsx" in (tmp_path / "csv" / "校验结果.csv").read_text(encoding="utf-8-sig")


def test_thousands_of_level1_names_are_capped(tmp_path, doc):
    doc["indicators"] = [{"level1": f"自创一级{i}", "level2": "数量", "name": f"指标{i}", "comparator": "=",
                          "value": 1} for i in range(400)]
    path = fill(doc, tmp_path / "wide.xlsx", rows=400)
    start = time.monotonic()
    consolidate([path, EXAMPLE_XLSX[0]], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert time.monotonic() - start < 30
    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["项目清单"]
    header = [c.value for c in ws[1]]
    level1_columns = [h for h in header if h and h.endswith("（条）")]
    assert len(level1_columns) <= 30 and "其他（条）" in level1_columns
    # the status, source and checksum columns are still there (then 汇总单位, its 单位键 and the goal table's digest)
    assert header[-5:] == ["SHA-256", "汇总单位", "单位键", "绩效目标表摘要（SHA-256）", "文件路径字节"]
    row = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[2] == doc["project"]["name"])
    assert sum(row[header.index(h)] for h in level1_columns) == 400


def test_totals_are_exact_decimals(tmp_path, doc):
    d = tmp_path / "in"
    d.mkdir()
    # (not 0.10 and 0.20 元: an amount below one 元 is a percent typed, cell.amount_fraction; 100.1 + 200.2 is
    # 300.29999999999995 as doubles just the same)
    for i, (total, current) in enumerate([(100.10, 100.10), (200.20, 200.20)]):
        doc["project"]["name"] = f"项目{i}"
        doc["budget"] = {"total": total, "current_year": current, "prior_year_budget": None,
                         "prior_year_executed": None}
        fill(doc, d / f"{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1, csv_dir=tmp_path / "csv", json_path=tmp_path / "s.json")
    assert result.totals["total"] == Decimal("300.30")
    summary_csv = (tmp_path / "csv" / "汇总.csv").read_text(encoding="utf-8-sig")
    assert "300.3" in summary_csv and "300.29999999999995" not in summary_csv
    assert "300.29999999999995" not in (tmp_path / "s.json").read_text(encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:
        assert b"300.29999999999995" not in z.read("xl/worksheets/sheet1.xml")


@pytest.mark.slow
def test_ten_thousand_amounts_with_cents_sum_exactly(tmp_path):
    """The summary tables, fed 10,000 records of 1e11–1e12 元 with cents, total to the exact Decimal sum."""
    from xlgoals._consolidate._collect import Collected, ReturnRecord, Status
    from xlgoals._consolidate._render import RENDERERS
    from xlgoals._consolidate._tables import SUMMARIES, _money
    from xlgoals._atomic import Outputs
    from xlgoals import Config

    rnd = random.Random(7)
    records, exact = [], Decimal(0)
    unit_sums: dict = {}
    for i in range(10_000):
        amount = rnd.randrange(10**13, 10**14) / 100  # 1e11–1e12 yuan with cents, as a float cell gives it
        exact += _money(amount)
        unit = f"单位{i % 200}"
        unit_sums[unit] = unit_sums.get(unit, Decimal(0)) + _money(amount)
        records.append(ReturnRecord(path=f"/r/{i}.xlsx", status=Status.OK, included=True, framework="shanghai-2020",
                                    values={"unit": unit, "project": f"p{i}", "total": _money(amount),
                                            "current_year": _money(amount)}))
    assert float(exact) != sum(r.values["total"] and float(r.values["total"]) for r in records)  # floats drift
    cfg = Config.load()
    summary = SUMMARIES["goal-table"]
    from xlgoals._consolidate._collect import RecordStore

    store = RecordStore.of(records, SUMMARIES["goal-table"])
    collected = Collected(store, {}, store.spool)
    tables, totals = summary.tables(collected, cfg.frameworks, cfg.limits)
    assert totals["total"] == exact
    with Outputs() as outputs:
        RENDERERS["csv"](tables, totals, tmp_path / "csv", outputs)
        RENDERERS["json"](tables, totals, tmp_path / "s.json", outputs)
        RENDERERS["xlsx"](tables, totals, tmp_path / "s.xlsx", outputs)
    rows = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"), parse_float=Decimal)["summary"]["rows"]
    assert {r[1]: r[4] for r in rows} == unit_sums  # after 预算年度 (always in the JSON and CSV) and 项目数
    import csv as csvmod

    csv_rows = list(csvmod.reader(io.StringIO((tmp_path / "csv" / "汇总.csv").read_text(encoding="utf-8-sig"))))[1:]
    assert {r[1]: Decimal(r[4]) for r in csv_rows} == unit_sums
    with zipfile.ZipFile(tmp_path / "s.xlsx") as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    cached = re.search(r"<f>SUM\(D4:D203\)</f><v>([^<]+)</v>", sheet).group(1)
    assert Decimal(cached) == exact  # the cached total holds every digit


# Majors -----------------------------------------------------------------------------------------------
def test_output_amplification_is_bounded(tmp_path, doc):
    long = "长" * 19_000  # typed into the cells (fill refuses a document it could not give back)
    path = edited(fill(doc, tmp_path / "ok.xlsx"), tmp_path / "amp.xlsx",
                  {info_cell("/unit"): long, info_cell("/project/name"): long})
    r = read(path)
    # (and the caption row atop 绩效指标, 30 pt, is said too short for such a unit and name: cell.row_too_short)
    assert {p.code for p in r.problems} - {"cell.row_too_short"} == {"cell.too_long"}
    assert {p.cell for p in r.problems if p.code == "cell.row_too_short"} <= {"A2"}
    assert len(r.document["unit"]) <= 300
    consolidate([path], tmp_path / "s.xlsx", jobs=1, include_invalid=True)
    assert (tmp_path / "s.xlsx").stat().st_size < 2_000_000


def test_clean_name_is_linear():
    start = time.monotonic()
    assert clean_name("a" + " " * 60_000 + "b") == "a b"
    assert clean_name("x" + " 中" * 30_000) == "x" + "中" * 30_000
    assert time.monotonic() - start < 2  # was 62 s per cell


def test_duplicates_match_on_the_canonical_form(tmp_path, doc):
    d = tmp_path / "in"
    d.mkdir()
    base_name = doc["project"]["name"]
    variants = [base_name, "\u200b" + base_name, "\ufeff" + base_name, base_name.replace("专", "专 "),
                base_name + "\u200d"]
    for i, name in enumerate(variants):
        doc["project"]["name"] = name
        doc["unit"] = doc["unit"].replace("1", "１") if i == 4 else doc["unit"]
        fill(doc, d / f"{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    assert result.totals["projects"] == 1 and result.totals["total"] == doc["budget"]["total"]
    assert result.totals["duplicates"] == 4 and result.totals["units"] == 1
    notes = [r.note for r in result.records if r.note]
    assert len(notes) == 4 and any("名称写法不同" in n for n in notes)
    out = cli("consolidate", d, "-o", tmp_path / "s2.xlsx")
    assert "重复申报 4 个" in out.stdout


@pytest.mark.parametrize("folder", ["returns", "self-evaluation", "monitoring"])
def test_every_summary_groups_a_unit_by_its_canonical_spelling(tmp_path, folder):
    """One unit written with an invisible character or a full-width digit is one unit in every form's summary."""
    examples = Path(__file__).resolve().parent.parent / "examples" / folder
    sources = sorted(p for p in examples.glob("*.json") if p.stem[:2].isdigit())
    if folder == "returns":
        sources = sorted((examples.parent / "json").glob("*.json"))
    assert len(sources) == 5
    d = tmp_path / "in"
    d.mkdir()
    for i, src in enumerate(sources):
        doc = json.loads(src.read_text(encoding="utf-8"))
        doc["unit"] = ["\u200b" + doc["unit"], doc["unit"] + "\ufeff", doc["unit"]][i % 3]
        fill(doc, d / f"{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    assert result.totals["units"] == 1
    first = openpyxl.load_workbook(tmp_path / "s.xlsx").worksheets[0]
    units = [r[1].value for r in first.iter_rows(min_row=2) if r[1].value not in (None, "合计", "申报单位")]
    assert len(units) == 1, units


_ESCAPES = b'<c r="B10" t="inlineStr"><is><t>_x001B_[2J_x001B_]0;pwned_x0007_x_x000B_y</t></is></c>'


def test_terminal_output_is_escaped(tmp_path):
    bad = patched(tmp_path / "esc\nFORGED ✓ 通过.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml("B10")(_ESCAPES))
    result = cli("validate", bad)
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "esc\\nFORGED" in result.stdout
    assert not any(line.lstrip().startswith("FORGED") for line in result.stdout.splitlines())


def test_annotated_copies_survive_merged_cells_control_characters_and_long_names(tmp_path):
    long_name = "很长的单位名称" * 30
    bad = patched(tmp_path / f"{long_name[:35]}.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml("B10")(_ESCAPES))
    merged = tmp_path / "merged.xlsx"
    wb = openpyxl.load_workbook(edited(GOOD, tmp_path / "m0.xlsx", {info_cell("/budget/current_year"): "很多"}))
    wb[F.info.name].merge_cells("B11:B12")  # the problem's cell is inside a merged range
    wb.save(merged)
    out = tmp_path / "标注"
    result = cli("validate", bad, merged, "--annotate", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    made = sorted(p.name for p in out.iterdir())
    assert len(made) == 2, result.output
    for p in out.iterdir():
        assert len(p.name.encode()) <= 255
        assert openpyxl.load_workbook(p).sheetnames[0] == "问题清单"


def test_a_full_disk_replaces_no_output(tmp_path, monkeypatch):
    import errno

    import xlgoals._consolidate._render as mod

    out, csv_dir, js = tmp_path / "s.xlsx", tmp_path / "csv", tmp_path / "s.json"
    consolidate([GOOD], out, jobs=1, csv_dir=csv_dir, json_path=js)
    before = {p: p.read_bytes() for p in [out, js, *csv_dir.iterdir()]}

    def full(*a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(mod, "_json_row", full)
    result = cli("consolidate", EXAMPLE_XLSX[0], "-o", out, "--csv", csv_dir, "--json", js)
    assert result.exit_code == 2 and "（磁盘空间不足）" in result.output and "s.json" in result.output  # (mendBS)
    assert {p: p.read_bytes() for p in before} == before  # nothing replaced, the JSON not stale alone
    assert not [p for p in tmp_path.rglob(".xlgoals-*")]


def test_prefill_long_names_huge_amounts_and_existing_files(tmp_path):
    csv_path = tmp_path / "p.csv"
    long = "很长的项目名称" * 40
    csv_path.write_text(f"申报单位名称,项目名称,项目总预算\n某局,{long},100\n某局,大数,{'9' * 400}\n某局,正常,5\n",
                        encoding="utf-8")
    out = tmp_path / "out"
    result = cli("template", "--prefill", csv_path, "--out-dir", out)
    assert result.exit_code == 1 and "第 3 行" in result.output and "Traceback" not in result.output
    assert len(list(out.iterdir())) == 2
    again = cli("template", "--prefill", csv_path, "--out-dir", out)
    assert again.exit_code == 2 and "--force" in again.output
    assert cli("template", "--prefill", csv_path, "--out-dir", out, "--force").exit_code == 1  # row 3 still bad


@pytest.mark.parametrize("text, says", [("[" * 200_000, "嵌套"), ('{"year": NaN}', "NaN")])
def test_fill_never_gives_a_traceback(tmp_path, text, says):
    src = tmp_path / "d.json"
    src.write_text(text, encoding="utf-8")
    result = cli("fill", src, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1 and says in result.output and not (tmp_path / "o.xlsx").exists()


def test_fill_refuses_numbers_a_workbook_cannot_hold(tmp_path, doc):
    doc["budget"]["total"] = 10**400
    src = tmp_path / "d.json"
    src.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("fill", src, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1 and "/budget/total" in result.output and "15 位" in result.output


def test_read_serialises_a_duration(tmp_path):
    bad = patched(tmp_path / "dur.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml("B10")(b'<c r="B10" s="99"><v>1.5</v></c>'),
                  xl__styles_DOT_xml=_duration_style)
    result = cli("read", bad)
    assert "Traceback" not in result.output and result.exit_code in (0, 1)


def _duration_style(xml: bytes) -> bytes:
    xml = xml.replace(b"<numFmts", b'<numFmts><numFmt numFmtId="200" formatCode="[h]:mm:ss"/></numFmts><numFmts', 1)
    xml = re.sub(rb"<numFmts><numFmt[^>]*/></numFmts><numFmts[^>]*>", b'<numFmts count="9"><numFmt numFmtId="200" formatCode="[h]:mm:ss"/>', xml)
    count = int(re.search(rb'<cellXfs count="(\d+)"', xml).group(1))
    xfs = b"".join(b'<xf numFmtId="200" fontId="0" fillId="0" borderId="0" applyNumberFormat="1"/>' for _ in range(100))
    return re.sub(rb'<cellXfs count="\d+">', b'<cellXfs count="' + str(count + 100).encode() + b'">', xml).replace(
        b"</cellXfs>", xfs + b"</cellXfs>")


def test_utf16_xml_cannot_hide_a_doctype(tmp_path):
    def utf16(xml: bytes) -> bytes:
        text = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
        text = text.replace("?>", '?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>', 1)
        return text.encode("utf-16")

    bad = patched(tmp_path / "u16.xlsx", xl__workbook_DOT_xml=utf16)
    start = time.monotonic()
    assert codes(one_file(bad)) == ["file.unsafe_xml"]
    assert time.monotonic() - start < 5


def test_outputs_are_not_read_back_as_inputs(tmp_path):
    d = tmp_path / "收到"
    d.mkdir()
    for src in EXAMPLE_XLSX[:2]:
        shutil.copy(src, d)
    bad = edited(EXAMPLE_XLSX[2], d / "坏.xlsx", {info_cell("/budget/current_year"): 10**12})
    consolidate([d], d / "汇总.xlsx", jobs=1)
    second = consolidate([d], tmp_path / "汇总2.xlsx", jobs=1)
    assert len(second.records) == 3 and str(d / "汇总.xlsx") in second.skipped
    # the second time the copy is an input, not replaced: the copy asked for is not written, 2 (mendCE)
    assert [cli("validate", d, "--annotate", d).exit_code for _ in range(2)] == [1, 2]
    assert sorted(p.name for p in d.glob("*问题标注*")) == ["坏_问题标注.xlsx"]
    report = validate([d])
    assert len(report.files) == 3 and any("问题标注" in s for s in report.skipped)
    # named directly, an annotated copy is the return it marks (a department's, sent back corrected): read as one
    assert [p.code for p in validate([d / "坏_问题标注.xlsx"]).files[0].problems] == \
        [p.code for p in validate([bad]).files[0].problems] != ["file.xlgoals_output"]
    assert bad.exists()


# Minor ---------------------------------------------------------------------------------------------------
def test_leftovers_of_a_killed_run_are_cleaned(tmp_path):
    from xlgoals._atomic import host_tag

    host = host_tag()  # this machine's runs' (another's sharing the folder, or an older untagged name: left)
    dead = tmp_path / f".xlgoals-999999999-{host}-abc.part"
    dead.write_bytes(b"half")
    (tmp_path / f".xlgoals-999999999-{host}-x-stage").mkdir()
    mine = tmp_path / f".xlgoals-1-{host}-keep.part"  # pid 1 is alive: not ours to remove
    mine.write_bytes(b"x")
    untagged = tmp_path / ".xlgoals-999999999-abc.part"
    untagged.write_bytes(b"x")
    consolidate([GOOD], tmp_path / "s.xlsx", jobs=1)
    assert not dead.exists() and not (tmp_path / f".xlgoals-999999999-{host}-x-stage").exists() and mine.exists()
    assert untagged.exists()


def test_error_values_truncated_xls_and_repetitive_text(tmp_path):
    div = patched(tmp_path / "div.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml("B10")(
        b'<c r="B10" t="e"><f>1/0</f><v>#DIV/0!</v></c>'))
    assert codes(one_file(div)) == ["cell.error_value"]
    xls = FIXTURES / "goal-table-lo.xls"
    (tmp_path / "cut.xls").write_bytes(xls.read_bytes()[:5000])
    assert codes(one_file(tmp_path / "cut.xls")) == ["file.corrupt"]
    long_text = patched(tmp_path / "rep.xlsx", docProps__app_DOT_xml=lambda x: x.replace(
        b"</Properties>", b"<!--" + b"a" * 1_500_000 + b"--></Properties>"))
    assert "file.too_large" not in codes(one_file(long_text))


def test_english_messages_are_english(doc):
    from xlgoals import validate_document

    doc["budget"]["total"] = 1.5
    doc["year"] = "二〇二〇"
    texts = [p.message_en for p in validate_document(doc)]
    assert texts and not any(re.search(r"[\u4e00-\u9fff]的整数倍|整数倍", t) for t in texts)


def test_formula_in_an_input_cell_and_hidden_rows_are_warnings(tmp_path):
    forged = patched(tmp_path / "f.xlsx", xl__worksheets__sheet2_DOT_xml=cell_xml("B10")(
        b'<c r="B10" s="9"><f>1+1</f><v>146407273</v></c>'))
    f = one_file(forged)
    assert codes(f) == ["cell.formula"] and f.problems[0].severity == "warning" and f.passes()
    hidden = tmp_path / "h.xlsx"
    wb = openpyxl.load_workbook(GOOD)
    ws = wb[F.table.name]
    row = F.table.first_row + 30 + 1
    ws.cell(row, F.column("name").index + 1).value = "隐藏的指标"
    ws.cell(row, F.column("level1").index + 1).value = "产出目标"
    ws.cell(row, F.column("level2").index + 1).value = "数量"
    ws.cell(row, F.column("comparator").index + 1).value = "定性"
    ws.cell(row, F.column("target").index + 1).value = "好"
    ws.row_dimensions[row].hidden = True
    wb.save(hidden)
    h = one_file(hidden)
    assert "cell.hidden_row" in codes(h)
    # a row of no height prints nothing either, and hidden=" 1" is hidden (an XML boolean, its spaces collapsed)
    for name, attrs in (("zero.xlsx", b' ht="0" customHeight="1"'), ("spaced.xlsx", b' hidden=" 1"')):
        def hide_otherwise(xml, attrs=attrs):
            out, n = re.subn(rb'(<row r="%d")([^>]*?)( hidden="1")' % row, lambda m: m.group(1) + attrs, xml)
            assert n == 1
            return out
        made = patched(tmp_path / name, hidden, xl__worksheets__sheet3_DOT_xml=hide_otherwise)
        found = [p for p in one_file(made).problems if p.code == "cell.hidden_row"]
        assert [p.cell for p in found] == [f"D{row}"], (name, codes(one_file(made)))


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path):
    """A link to a file or a folder elsewhere is not followed, and said (an unpacked archive's link may name another
    department's return: mendFC)."""
    d = tmp_path / "in"
    d.mkdir()
    shutil.copy(GOOD, d / "real.xlsx")
    (d / "shadow.xlsx").symlink_to(EXAMPLE_XLSX[0])
    (d / "elsewhere").symlink_to(EXAMPLE_XLSX[0].parent)
    report = validate([d])
    assert [Path(f.path).name for f in report.files] == ["real.xlsx"]
    assert sorted(report.skipped) == [str(d / "elsewhere"), str(d / "shadow.xlsx")]
    assert report.skipped_reasons[str(d / "shadow.xlsx")].code == "skipped.outside_link"


def test_an_unwritable_output_folder_is_found_before_reading(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = cli("consolidate", GOOD, "-o", blocker / "s.xlsx")
    assert result.exit_code == 2 and "a-file" in result.output and ".part" not in result.output


def test_amount_beyond_15_digits_is_refused(tmp_path):
    bad = edited(GOOD, tmp_path / "big.xlsx", {info_cell("/budget/total"): "12345678901234567.89"})
    f = one_file(bad)
    assert codes(f) == ["cell.amount_precision"] and "15" in f.problems[0].message


# Every file in a received folder is accounted for --------------------------------------------------------
def test_folder_droppings_documents_and_unknown_files(tmp_path):
    d = tmp_path / "收到"
    d.mkdir()
    shutil.copy(GOOD, d / "申报.xlsx")
    (d / "~$申报.xlsx").write_bytes(b"owner")
    (d / ".~lock.申报.xlsx#").write_text("lock")
    (d / ".DS_Store").write_bytes(b"\0")
    (d / "Thumbs.db").write_bytes(b"\0")
    (d / "说明.docx").write_bytes(b"PK\x03\x04 not really")
    (d / "盖章件.pdf").write_bytes(b"%PDF-1.4\n")
    (d / "备注.txt").write_text("x")
    result = cli("validate", d)
    assert result.exit_code == 1
    out = result.stdout
    assert "说明.docx" in out and "盖章件.pdf" in out and "不是 Excel 工作簿" in out
    assert "备注.txt" in out and "已忽略编辑器锁定文件和系统文件 4 个" in out
    assert "~$申报" not in out


# The fuzzer -------------------------------------------------------------------------------------------------
def test_mutation_fuzzer(tmp_path):
    """Mutated returns (bytes, XML attributes, shared strings, zip entries) never give a traceback, and each
    gets one result, within time.  XLGOALS_FUZZ_EXAMPLES=2000 runs a longer campaign (see README)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from .fuzz import mutated_workbook

    examples = int(os.environ.get("XLGOALS_FUZZ_EXAMPLES", "30"))
    folder = tmp_path / "fuzz"
    folder.mkdir()
    counter = iter(range(10**9))

    @settings(max_examples=examples, deadline=None, derandomize=os.environ.get("XLGOALS_FUZZ_EXAMPLES") is None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data):
        path = folder / f"m{next(counter)}.xlsx"
        path.write_bytes(mutated_workbook(data, GOOD.read_bytes()))
        start = time.monotonic()
        report = validate([path, GOOD], jobs=1)
        assert time.monotonic() - start < 35
        assert sorted(Path(f.path).name for f in report.files) == sorted([path.name, GOOD.name])
        assert next(f for f in report.files if f.path == str(GOOD)).passes()

    run()


def test_input_folders_of_targets_and_last_year_are_searched_as_received_folders(tmp_path):
    """Goal tables for templates (--targets) and last year's returns (--previous) come from folders searched
    the way received folders are: lock files, hidden folders and links out of the folder are left out, and what
    is left out is said, a dropping as ignored and a hidden folder too (it was passed over unseen), as a scan says
    it; a run's own staging folder is not."""
    from xlgoals._paths import documents, scan

    d = tmp_path / "目标"
    (d / "子").mkdir(parents=True)
    (d / ".hidden").mkdir()
    (d / ".xlgoals-staging").mkdir()
    outside = tmp_path / "外部.xlsx"
    for f in (d / "a.xlsx", d / "子" / "b.json", d / "~$a.xlsx", d / ".hidden" / "c.xlsx", outside, d / "d.txt",
              d / ".e.xlsx", d / ".gitignore", d / "._a.xlsx"):
        f.write_bytes(b"x")
    (d / "link.xlsx").symlink_to(outside)
    (d / "inside.xlsx").symlink_to(d / "a.xlsx")
    skipped: dict = {}
    assert [p.relative_to(d).as_posix() for p in documents([d], (".xlsx", ".json"), skipped)] == \
        [".e.xlsx", "a.xlsx", "inside.xlsx", "子/b.json"]  # a hidden workbook is taken, as a scan checks it
    assert documents(outside, (".xlsx",)) == [outside]  # a file named is taken as given
    # what is left out is said, with the reason, droppings and hidden files as ignored (a scan counts them):
    # never dropped unseen
    ignored = "编辑器锁定文件或系统文件，已忽略"
    assert {os.path.relpath(p, d): why[0] for p, why in skipped.items()} == {
        "d.txt": "不是 .xlsx/.json 文件", "link.xlsx": "链接指向所给文件夹之外，未跟随（为安全起见）；要校验它指向的文件，请直接在命令行指定该文件，或复制文件本身（cp -L）",
        ".hidden": "隐藏文件夹，其中的文件未检查；如需检查，请直接指定该文件夹",
        "~$a.xlsx": ignored, ".gitignore": ignored, "._a.xlsx": ignored}
    assert {os.path.relpath(p, d) for p in scan([d]).skipped} >= {".hidden"}  # as the batch readers say it


def test_files_not_used_from_targets_and_last_years_folders_are_listed(tmp_path, doc):
    folder = tmp_path / "目标表"
    folder.mkdir()
    (folder / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / "说明.txt").write_text("批复说明", encoding="utf-8")
    (folder / "03.et").write_bytes(b"\x00WPS et" * 100)  # a WPS spreadsheet in its own format
    made = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "out")
    assert made.exit_code == 1, made.output  # the WPS goal table is read, and told to be saved as .xlsx
    assert "未使用：" in made.output and "说明.txt" in made.output and "1 个文件未使用" in made.output
    assert "03.et" in made.output and "另存为 .xlsx" in made.output
    checked = cli("validate", SE_DIR / "02_促进就业专项资金.xlsx", "--targets", folder)
    assert checked.exit_code == 0 and "--targets 中未用作绩效目标表的文件：2 个" in checked.output
    assert "说明.txt" in checked.output and "另存为 .xlsx" in checked.output
    as_json = cli("validate", SE_DIR / "02_促进就业专项资金.xlsx", "--targets", folder, "--format", "json", "--lang", "en")
    listed = {Path(p["file"]).name: p for p in json.loads(as_json.output)["target_problems"]}
    assert sorted(listed) == ["03.et", "说明.txt"] and {p["code"] for p in listed.values()} == {"targets.unusable"}
    assert "not a .xlsx/.xlsm/.xls/.ods/.et/.json file" in listed["说明.txt"]["message"]
    as_csv = cli("validate", SE_DIR / "02_促进就业专项资金.xlsx", "--targets", folder, "--format", "csv")
    rows = list(csv.reader(io.StringIO(as_csv.output.lstrip("\ufeff"))))
    assert {r[2] for r in rows[1:] if r[0].endswith(("说明.txt", "03.et"))} == {"targets.unusable"}
    assert all(len(r) == len(rows[0]) for r in rows)
    report = validate(GOOD, review=True, previous=folder)
    notes = {Path(p.file).name: p.message for p in report.previous_problems if p.code == "review.previous_unreadable"}
    assert sorted(notes) == ["03.et", "说明.txt"]
    assert "不是 .xlsx/.xlsm/.xls/.ods/.et/.json 文件" in notes["说明.txt"] and "另存为 .xlsx" in notes["03.et"]


def test_a_hidden_folder_in_targets_and_last_years_folders_is_said_as_a_notice(tmp_path, doc):
    """A hidden folder in the goal tables' folder (--targets) or last year's (--previous), a sync tool's versions,
    was passed over unseen, where validate's own folders say it: now said, as a notice (it is no goal table that
    failed), which does not fail a --strict run."""
    folder = tmp_path / "目标表"
    (folder / ".同步").mkdir(parents=True)
    (folder / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (folder / ".同步" / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    checked = cli("validate", SE_DIR / "02_促进就业专项资金.xlsx", "--targets", folder, "--strict", "--format", "json")
    assert checked.exit_code == 0, checked.output
    listed = json.loads(checked.output)["target_problems"]
    assert [(Path(p["file"]).name, p["code"], p["severity"]) for p in listed] == \
        [(".同步", "targets.not_searched", "notice")]
    assert "隐藏文件夹" in listed[0]["message"]
    report = validate(GOOD, review=True, previous=folder)
    notes = {Path(p.file).name: p for p in report.previous_problems}
    assert list(notes) == [".同步"] and notes[".同步"].severity == "notice" and "隐藏文件夹" in notes[".同步"].message


# Round three: the newer forms' paths, outputs that are not files, hostile JSON -------------------------
SE_DIR = Path(__file__).parent.parent / "examples" / "self-evaluation"
MON_DIR = Path(__file__).parent.parent / "examples" / "monitoring"


@pytest.mark.parametrize("folder", [SE_DIR, MON_DIR], ids=["self-evaluation", "monitoring"])
def test_every_form_summarises_files_whose_names_are_not_utf8(tmp_path, folder):
    raw = os.fsencode(tmp_path) + b"/" + "收到".encode("gbk")
    os.mkdir(raw)
    src = sorted(folder.glob("*.xlsx"))[1]
    shutil.copy(src, os.path.join(raw, "申报".encode("gbk") + b".xlsx"))
    result = cli("consolidate", os.fsdecode(raw), "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(tmp_path / "s.xlsx")
    shown = {c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert "申报.xlsx" in shown and not any("\udcd5" in v or "\\x" in v for v in shown)


def test_an_output_that_is_a_pipe_or_a_device_is_refused_before_reading(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    result = cli("validate", GOOD, "--format", "json", "-o", fifo)
    assert result.exit_code == 2 and "不是普通文件" in result.output
    assert fifo.is_fifo()
    result = cli("consolidate", GOOD, "-o", tmp_path / "s.xlsx", "--json", fifo)
    assert result.exit_code == 2 and "不是普通文件" in result.output
    assert fifo.is_fifo() and not (tmp_path / "s.xlsx").exists()
    from xlgoals._atomic import write_bytes
    from xlgoals._errors import XlgoalsError

    with pytest.raises(XlgoalsError, match="不是普通文件"):  # the last guard, for every writer
        write_bytes(fifo, b"{}")
    assert fifo.is_fifo()


def test_an_output_at_a_link_replaces_the_link_and_keeps_the_file(tmp_path):
    """An output path that is a link is replaced by the output (the link itself); the file it pointed to is never
    written through (a department's workbook a link in the output folder points to)."""
    (tmp_path / "real").mkdir()
    real = tmp_path / "real" / "r.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    result = cli("validate", GOOD, "--format", "json", "-o", link)  # "old" is no report: kept without --force
    assert result.exit_code == 2 and "已存在" in result.output and real.read_text(encoding="utf-8") == "old"
    result = cli("validate", GOOD, "--format", "json", "-o", link, "--force")
    assert result.exit_code == 0, result.output
    assert not link.is_symlink() and json.loads(link.read_text(encoding="utf-8"))["files"]
    assert real.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("outputs", [("-o", "s.xlsx", "--json", "s.xlsx"), ("-o", "s.xlsx", "--csv", "c",
                                                                              "--json", "c/校验结果.csv")])
def test_two_outputs_at_one_path_are_refused(tmp_path, outputs):
    args = [str(tmp_path / a) if not a.startswith("-") else a for a in outputs]
    result = cli("consolidate", GOOD, *args)
    assert result.exit_code == 2 and "两个输出指向同一个文件" in result.output
    assert not (tmp_path / "s.xlsx").exists() and not (tmp_path / "c").exists()


def test_a_pipe_among_goal_tables_or_last_years_returns_is_reported_not_waited_for(tmp_path, doc):
    import subprocess
    import sys

    folder = tmp_path / "目标表"
    folder.mkdir()
    (folder / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    os.mkfifo(folder / "管道.json")
    run = [sys.executable, "-m", "xlgoals"]
    made = subprocess.run([*run, "template", "--form", "self-evaluation", "--targets", str(folder), "--out-dir",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert made.returncode == 1 and "管道.json" in made.stderr + made.stdout and "不是普通文件" in made.stderr + made.stdout
    assert len(list((tmp_path / "out").iterdir())) == 1
    checked = subprocess.run([*run, "validate", str(GOOD), "--review", "--previous", str(folder), "--format", "json"],
                             capture_output=True, text=True, timeout=120)
    assert checked.returncode == 0 and "不是普通文件" in checked.stdout


@pytest.mark.parametrize("change, says", [
    (lambda d: d.update(form=["goal-table"]), "/form"),
    (lambda d: d["budget"].update(total=float("inf")), "/budget/total"),
    (lambda d: d["indicators"][0].update(value=float("nan"), comparator=">="), "/indicators/0/value"),
])
def test_fill_refuses_hostile_values_given_in_python_too(tmp_path, doc, change, says):
    from xlgoals._errors import DocumentError

    change(doc)
    with pytest.raises(DocumentError, match=says):
        fill(doc, tmp_path / "o.xlsx")
    assert not (tmp_path / "o.xlsx").exists()


@pytest.mark.parametrize("src, key", [(None, "year"), (MON_DIR / "02_促进就业专项资金.json", "month")])
def test_a_year_or_month_written_as_a_float_is_a_whole_number(tmp_path, doc, src, key):
    doc = json.loads(src.read_text(encoding="utf-8")) if src else doc
    doc[key] = float(doc[key])
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("fill", path, "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 0, result.output
    back = read(tmp_path / "o.xlsx").document
    assert back[key] == int(doc[key]) and isinstance(back[key], int)


@pytest.mark.parametrize("change, says", [
    (lambda d: d["indicators"][0].update(comparator=["≥"]), "/indicators/0/"),
    (lambda d: d["indicators"][0].update(level1={"a": 1}), "/indicators/0/level1"),
    (lambda d: next(i for i in d["indicators"] if i["comparator"] != "qualitative").update(
        value=12345678901234567890123), "15 位"),
])
def test_a_hostile_goal_table_json_among_targets_fails_alone(tmp_path, doc, change, says):
    from .conftest import EXAMPLE_JSON

    change(doc)
    folder = tmp_path / "目标表"
    folder.mkdir()
    (folder / "坏.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copy(EXAMPLE_JSON[4], folder / "05.json")
    result = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "out")
    assert result.exit_code == 1 and "坏.json" in result.output and says in result.output, result.output
    assert "Traceback" not in result.output and len(list((tmp_path / "out").iterdir())) == 1
    checked = cli("validate", SE_DIR / "05_促进就业专项业务费.xlsx", "--targets", folder)
    assert checked.exit_code == 0 and "坏.json" in checked.output and "Traceback" not in checked.output


def test_targets_and_weights_that_would_check_nothing_are_refused(tmp_path):
    se = SE_DIR / "02_促进就业专项资金.xlsx"
    missing = cli("validate", se, "--targets", tmp_path / "nope.json")
    assert missing.exit_code == 2 and "找不到 --targets" in missing.output and "nope.json" in missing.output
    (tmp_path / "empty").mkdir()
    empty = cli("validate", se, "--targets", tmp_path / "empty")
    assert empty.exit_code == 2 and "没有找到绩效目标表" in empty.output
    idle = cli("validate", se, "--weights", tmp_path / "w.json")
    assert idle.exit_code == 2 and "--weights 只与 --targets 一起使用" in idle.output
    idle = cli("template", "-o", tmp_path / "t.xlsx", "--weights", tmp_path / "w.json")
    assert idle.exit_code == 2 and "--weights 只用于 --form self-evaluation" in idle.output
    assert not (tmp_path / "t.xlsx").exists()


def test_many_rows_in_one_group_share_its_points_to_the_cent():
    from xlgoals._selfeval._weights import allocate, parse_weights

    w = parse_weights({"funds": 10, "level1": [{"names": ["A"], "points": 10}, {"names": ["B"], "points": 80}]}, "w")
    funds, pts = allocate([{"level1": "A"}] * 54 + [{"level1": "B"}] * 3, w)
    group = pts[:54]
    assert sum(group) == 10 and max(group) - min(group) == Decimal("0.01") and group == sorted(group)
    assert all(p == p.quantize(Decimal("0.01")) for p in pts) and funds + sum(pts) == 100
    assert pts[54:] == [Decimal("26.67"), Decimal("26.67"), Decimal("26.66")]  # the usual rule where it holds


def _interruptible():
    """Run in the child before exec: Ctrl-C as a terminal's process gets it.  A shell without job control starts a
    background job (`pytest … &`, some CI runners) with SIGINT ignored, the child inherits that, and Python then
    installs no KeyboardInterrupt handler: the run would finish as if never interrupted."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for t in os.listdir(f"/proc/{pid}/task")
                for c in open(f"/proc/{pid}/task/{t}/children").read().split()]
    except OSError:
        return []


def test_workers_of_a_run_killed_outright_end_with_it(tmp_path):
    """A consolidate run killed outright (kill -9, the OOM killer, a scheduler's limit) runs no clean-up.  Its
    workers waited for the next return for good, 80 MB each, run after run: each had inherited the parent's end of
    its own pipe (and the other workers' ends), so the parent's going closed nothing.  They end with it."""
    import signal
    import subprocess
    import sys

    folder = tmp_path / "收到"
    folder.mkdir()
    data = GOOD.read_bytes()
    for i in range(3000):
        (folder / f"{i:05d}.xlsx").write_bytes(data)
    proc = subprocess.Popen([sys.executable, "-m", "xlgoals", "consolidate", str(folder), "-o", str(tmp_path / "s.xlsx"),
                             "--jobs", "2", "--no-progress"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(proc.pid)
            time.sleep(0.02)
        assert len(workers) >= 2 and proc.poll() is None, "the run ended before its workers could be seen"
        time.sleep(0.3)  # both reading
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(os.path.exists(f"/proc/{w}") and _alive(w) for w in workers):
            time.sleep(0.05)
        assert not [w for w in workers if os.path.exists(f"/proc/{w}") and _alive(w)]
    finally:
        for w in workers:
            try:
                os.kill(w, signal.SIGKILL)
            except OSError:
                pass


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_ctrl_c_mid_batch_prints_no_worker_tracebacks_and_writes_nothing(tmp_path):
    import signal
    import subprocess
    import sys

    folder = tmp_path / "收到"
    folder.mkdir()
    data = GOOD.read_bytes()
    made = 0
    for files in (2000, 6000, 12000):  # a batch long enough that the signal falls into it, on a busy machine too
        for i in range(made, files):
            (folder / f"{i:05d}.xlsx").write_bytes(data)
        made = files
        proc = subprocess.Popen([sys.executable, "-m", "xlgoals", "consolidate", str(folder), "-o",
                                 str(tmp_path / "s.xlsx"), "--jobs", "2", "--no-progress"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True,
                                preexec_fn=_interruptible)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(_children(proc.pid)) < 2:  # until both workers are reading
            time.sleep(0.02)
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)  # as a terminal sends it: to the parent and its workers
        out, err = proc.communicate(timeout=120)
        if proc.returncode != 0:
            break
        (tmp_path / "s.xlsx").unlink()  # it had finished before the signal: again, with a longer batch
    assert proc.returncode == 130, (out, err)
    assert "已中断" in err and "Traceback" not in err and "KeyboardInterrupt" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["收到"]





@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ctrl_c_while_the_command_is_still_loading_ends_quietly(lang):
    """Ctrl-C in the first tenth of a second (the command line still loading click and the readers) ended in a
    KeyboardInterrupt traceback.  It ends as later: one line, exit 130.  The loading is slowed here so that the
    signal surely falls into it."""
    import signal
    import subprocess
    import sys

    code = ("import builtins, sys, time\n"
            "real, flag = builtins.__import__, sys.argv[1]\n"
            "def slow(name, *a, **k):\n"
            "    if name == 'click':\n"
            "        open(flag, 'w').close()\n"
            "        time.sleep(3)\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = slow\n"
            "from xlgoals._entry import run\n"
            f"sys.argv = ['xlgoals', 'validate', 'x.xlsx', '--lang', {lang!r}]\n"
            "run()\n")
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        flag = Path(tmp) / "loading"
        proc = subprocess.Popen([sys.executable, "-c", code, str(flag)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, preexec_fn=_interruptible)
        deadline = time.monotonic() + 30
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert ("interrupted" if lang == "en" else "已中断") in err, err
    from importlib.metadata import entry_points

    assert [e.value for e in entry_points(group="console_scripts", name="xlgoals")] == ["xlgoals._entry:run"]


def _json_values():
    from hypothesis import strategies as st

    scalars = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=8)
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                             max_size=3), max_leaves=6)


@pytest.mark.parametrize("form, example", [("goal-table", "json/02_促进就业专项资金.json"),
                                           ("self-evaluation", "self-evaluation/02_促进就业专项资金.json"),
                                           ("monitoring", "monitoring/02_促进就业专项资金.json")])
def test_validate_document_gives_problems_for_any_json_values(form, example):
    """The public validate_document meets JSON from anywhere: any value at any field is a problem, never a
    traceback (the rules see items as a workbook gives them; the schema reports the rest)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from xlgoals import validate_document

    base = json.loads((Path(__file__).parent.parent / "examples" / example).read_text(encoding="utf-8"))
    heads = [k for k in base if k != "indicators"]
    item_keys = sorted({k for it in base["indicators"] for k in it}) + ["extra"]

    @settings(max_examples=150, deadline=None, derandomize=True)
    @given(st.lists(st.tuples(st.sampled_from(heads + item_keys), st.integers(0, 5), _json_values()), min_size=1,
                    max_size=4))
    def run(changes):
        doc = json.loads(json.dumps(base))
        for key, row, value in changes:
            if key in heads:
                target = doc.get(key)
                if isinstance(target, dict) and target and row % 2:
                    target[sorted(target)[row % len(target)]] = value
                else:
                    doc[key] = value
            else:
                doc["indicators"][row][key] = value
        found = validate_document(doc, form=form, review=True)
        assert all(p.code and p.message for p in found)

    run()


def test_a_goal_table_that_kills_or_hangs_the_reader_is_reported_alone(tmp_path, monkeypatch):
    """validate --targets reads goal tables in bounded workers, as returns: one that aborts the process or
    hangs is named, and the others still check the returns."""
    import xlgoals._selfeval._targets as mod
    from xlgoals import Config

    folder = tmp_path / "目标表"
    folder.mkdir()
    from .conftest import EXAMPLE_JSON

    shutil.copy(EXAMPLE_JSON[1], folder / "a_ok.json")
    shutil.copy(EXAMPLE_JSON[4], folder / "b_abort.json")
    shutil.copy(EXAMPLE_JSON[4], folder / "c_hang.json")
    real = mod.load_goal_table

    def hostile(path, config, *rest, **kw):
        if "abort" in str(path):
            os.abort()
        if "hang" in str(path):
            time.sleep(60)
        return real(path, config, *rest, **kw)

    monkeypatch.setattr(mod, "load_goal_table", hostile)
    import xlgoals._monitor._targets as monitor

    monkeypatch.setattr(monitor, "load_goal_table", hostile)
    cfg = Config.load()
    monkeypatch.setitem(cfg.limits, "file_seconds", 3)
    start = time.monotonic()
    report = validate(SE_DIR / "02_促进就业专项资金.xlsx", targets=[folder], jobs=2, config=cfg)
    assert time.monotonic() - start < 30
    errors = " ".join(report.target_errors)
    assert "b_abort.json" in errors and "异常退出" in errors and "c_hang.json" in errors and "超时" in errors
    assert "a_ok.json" not in errors and report.valid  # 02 was matched against a_ok and is unchanged
    assert not any(p.code == "self.targets_unmatched" for p in report.problems())
    from xlgoals import monitoring_templates, self_evaluation_templates

    for make, kw in ((self_evaluation_templates, {}), (monitoring_templates, {"month": 6})):  # templates alike
        out = tmp_path / f"out-{make.__name__}"
        made = make([folder], out, config=cfg, **kw)
        assert [p.name for p in made.written] == ["上海市就业促进中心_促进就业专项资金.xlsx"]
        assert len(made.errors) == 2 and "异常退出" in made.errors[0] and "超时" in made.errors[1]


def test_a_last_year_return_that_kills_the_reader_is_a_notice(tmp_path, monkeypatch):
    """Last year's returns are read in bounded workers too: one that aborts the reader is named, the rest used."""
    import xlgoals._read as reader
    from xlgoals import Config

    folder = tmp_path / "上年"
    folder.mkdir()
    shutil.copy(GOOD, folder / "a_ok.xlsx")
    shutil.copy(GOOD, folder / "b_abort.xlsx")
    real = reader.read

    def hostile(path, **kw):
        if "abort" in str(path):
            os.abort()
        return real(path, **kw)

    monkeypatch.setattr(reader, "read", hostile)
    report = validate(GOOD, review=True, previous=[folder], config=Config.load())
    notes = [p for p in report.previous_problems if p.code == "review.previous_unreadable"]
    assert [Path(p.file).name for p in notes] == ["b_abort.xlsx"] and "异常退出" in notes[0].message
    assert report.files[0].review_score is not None


@pytest.mark.parametrize("folder", ["returns", "self-evaluation", "monitoring"])
def test_a_unit_spelled_in_full_width_sorts_with_its_unit(tmp_path, folder):
    """Per-return sheets list units in pinyin order of the spelling they are grouped by (NFKC): the same unit
    typed in full-width letters stays beside itself, not after every other unit."""
    import unicodedata

    examples = Path(__file__).resolve().parent.parent / "examples" / folder
    src = sorted((examples.parent / "json").glob("*.json")) if folder == "returns" else \
        sorted(p for p in examples.glob("*.json") if p.stem[:2].isdigit())
    d = tmp_path / "in"
    d.mkdir()
    for i, unit in enumerate(["ＡＢＣ就业中心", "ABD就业中心", "ABC就业中心", "安徽省就业中心"]):
        doc = json.loads(src[i].read_text(encoding="utf-8"))
        doc["unit"] = unit
        fill(doc, d / f"{i}.xlsx")
    consolidate([d], tmp_path / "s.xlsx", jobs=1)
    rows = openpyxl.load_workbook(tmp_path / "s.xlsx").worksheets[1]
    units = [unicodedata.normalize("NFKC", r[1].value) for r in rows.iter_rows() if isinstance(r[0].value, int)]
    assert units == ["ABC就业中心", "ABC就业中心", "ABD就业中心", "安徽省就业中心"], units


def test_two_outputs_at_one_path_are_refused_through_the_library_too(tmp_path):
    out = tmp_path / "s.xlsx"
    from xlgoals._errors import UsageError

    with pytest.raises(UsageError, match="两个输出指向同一个文件"):
        consolidate([GOOD], out, json_path=out)  # the very same object twice
    assert not out.exists()


def _pmap_in_a_daemon(queue):
    from xlgoals._parallel import pmap

    queue.put(list(pmap(abs, [-1, -2, -3], 2)))


def test_a_pool_asked_for_inside_a_worker_runs_in_it(tmp_path):
    """A worker may not start processes (a spawned one rebuilding a review reads last year's returns): pmap then
    maps in the worker itself."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_pmap_in_a_daemon, args=(queue,), daemon=True)
    proc.start()
    assert queue.get(timeout=60) == [1, 2, 3]
    proc.join(10)


def _validate_in_a_pool_worker(path):
    import xlgoals._check._validate as mod

    def aborting(p, **kw):
        os.abort()

    mod.read = aborting  # this worker only
    return [p.code for p in validate([path]).files[0].problems]


def test_a_library_user_validating_inside_a_pool_worker_keeps_the_bounds(tmp_path):
    """A multiprocessing worker is a daemon: a file that aborts the reader there is still file.crashed (each file
    in a forked child), not the worker's death."""
    import multiprocessing as mp

    src = shutil.copy(GOOD, tmp_path / "a.xlsx")
    with mp.get_context("fork").Pool(1) as pool:
        assert pool.apply_async(_validate_in_a_pool_worker, (str(src),)).get(timeout=60) == ["file.crashed"]


def test_unusable_goal_tables_fail_a_strict_run_and_follow_the_rule_table(tmp_path):
    folder = tmp_path / "目标表"
    folder.mkdir()
    (folder / "坏.xlsx").write_bytes(b"not a workbook")
    se = SE_DIR / "02_促进就业专项资金.xlsx"
    assert cli("validate", se, "--targets", folder).exit_code == 0  # a warning: the return itself passes
    strict = cli("validate", se, "--targets", folder, "--strict")
    assert strict.exit_code == 1 and strict.output.splitlines()[1].startswith("另有 --targets 给出的文件 1 个无法使用")
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule("targets.unusable", severity="error"))
    assert cli("validate", se, "--targets", folder, "--rules", rules).exit_code == 1


def test_an_output_folder_at_an_output_files_path_is_refused_before_reading(tmp_path):
    result = cli("consolidate", GOOD, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "s.xlsx")
    assert result.exit_code == 2 and "位置冲突" in result.output
    assert not (tmp_path / "s.xlsx").exists()


def test_a_lone_surrogate_escape_in_json_is_one_line(tmp_path, doc):
    doc["unit"] = "某局"
    text = json.dumps(doc, ensure_ascii=True).replace("\\u67d0", "\\ud800", 1)
    (tmp_path / "d.json").write_text(text, encoding="utf-8")
    result = cli("fill", tmp_path / "d.json", "-o", tmp_path / "o.xlsx")
    assert result.exit_code == 1 and "无效的 Unicode 转义" in result.output and not (tmp_path / "o.xlsx").exists()
    from xlgoals import ConfigError
    from xlgoals._selfeval._weights import load_weights

    (tmp_path / "w.json").write_text('{"funds": 10, "note": "\\ud800"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="无效的 Unicode 转义"):
        load_weights(tmp_path / "w.json")


def test_a_utf8_bom_before_gbk_text_is_refused_not_misread(tmp_path):
    from xlgoals import ConfigError
    from xlgoals._resources import read_config_text

    (tmp_path / "r.csv").write_bytes(b"\xef\xbb\xbf" + "代码,级别\n".encode("gbk"))
    with pytest.raises(ConfigError, match="无法识别规则表的文件编码"):
        read_config_text(tmp_path / "r.csv", "规则表")
    (tmp_path / "lib").mkdir()
    result = cli("validate", GOOD, "--library", tmp_path / "lib")
    assert result.exit_code == 2 and "不是普通文件" in result.output


def test_returns_kept_beside_the_goal_tables_are_passed_over_with_a_notice(tmp_path, doc):
    """A clerk keeps the goal tables and the returns made from them in one folder: the returns are not broken goal
    tables (no warning, a --strict run passes), but each is still named (a notice), and templates skip them."""
    folder = tmp_path / "全部"
    folder.mkdir()
    (folder / "02.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    shutil.copy(SE_DIR / "02_促进就业专项资金.xlsx", folder / "自评.xlsx")
    shutil.copy(MON_DIR / "02_促进就业专项资金.xlsx", folder / "监控.xlsx")
    se_json = json.loads((SE_DIR / "02_促进就业专项资金.json").read_text(encoding="utf-8"))
    (folder / "自评.json").write_text(json.dumps(se_json, ensure_ascii=False), encoding="utf-8")
    report = validate(folder / "自评.xlsx", targets=[folder], strict=True)
    notes = {Path(p.file).name: p for p in report.target_problems}
    assert sorted(notes) == ["监控.xlsx", "自评.json", "自评.xlsx"]
    assert {p.code for p in notes.values()} == {"targets.other_form"} and {p.severity for p in notes.values()} == {"notice"}
    assert "绩效自评表" in notes["自评.xlsx"].message and report.valid
    made = cli("template", "--form", "self-evaluation", "--targets", folder, "--out-dir", tmp_path / "out")
    assert made.exit_code == 0 and "3 个文件未使用" in made.output and len(list((tmp_path / "out").iterdir())) == 1


# No output replaces an input: every input of a run, not only its returns ------------------------------------
def test_fill_refuses_to_write_over_its_own_document(tmp_path):
    doc = tmp_path / "doc.json"
    shutil.copy(sorted((Path(__file__).parent.parent / "examples" / "json").glob("*.json"))[0], doc)
    before = doc.read_bytes()
    link = tmp_path / "link.json"
    link.symlink_to(doc)
    for out in (doc, link, tmp_path / "." / "doc.json"):
        result = cli("fill", doc, "-o", out)
        assert result.exit_code == 2 and "就是输入文件" in result.output, result.output
    assert doc.read_bytes() == before
    with pytest.raises(Exception, match="就是输入文件"):
        fill(doc, doc)
    assert doc.read_bytes() == before


def test_no_output_replaces_another_input_of_the_run(tmp_path):
    """Last year's returns, the library, the review settings, the rule table, goal tables given with --targets,
    a note a department put in the inbox: each is an input, and an output at its path is refused before
    anything is read or written."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a.xlsx")
    (inbox / "说明.txt").write_text("单位的说明", encoding="utf-8")
    prev = tmp_path / "prev.xlsx"
    shutil.copy(EXAMPLE_XLSX[0], prev)
    library = tmp_path / "lib.csv"
    shutil.copy(Path(__file__).parent.parent / "examples" / "library.csv", library)
    rules = tmp_path / "rules.csv"
    shutil.copy(data_dir("schema") / "rules.csv", rules)
    kept = {p: p.read_bytes() for p in (inbox / "说明.txt", prev, library, rules)}
    runs = [
        ["validate", inbox, "--previous", prev, "-o", prev],
        ["validate", inbox, "--library", library, "-o", library],
        ["validate", inbox, "--rules", rules, "-o", rules],
        ["validate", inbox, "-o", inbox / "说明.txt"],
        ["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", inbox / "说明.txt"],
        ["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--previous", prev, "--json", prev],
        ["template", "--library", library, "-o", library],
        ["read", inbox / "a.xlsx", "--rules", rules, "-o", rules],
    ]
    for args in runs:
        result = cli(*args)
        assert result.exit_code == 2 and "就是输入文件" in result.output, (args, result.output)
    assert {p: p.read_bytes() for p in kept} == kept
    assert not (tmp_path / "s.xlsx").exists()


def test_reports_of_the_last_run_in_the_inbox_are_replaced(tmp_path):
    """A report xlgoals wrote into the inbox yesterday (text, JSON or CSV) is its own output: today's run replaces
    it, as it replaces yesterday's summary."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a.xlsx")
    for fmt, name in (("text", "报告.txt"), ("json", "报告.json"), ("csv", "报告.csv")):
        for _ in range(2):
            result = cli("validate", inbox, "--format", fmt, "-o", inbox / name)
            assert result.exit_code == 0, (fmt, result.output)
    for lang in ("zh", "en"):
        assert cli("validate", inbox, "--lang", lang, "-o", inbox / "报告.txt").exit_code == 0


@pytest.mark.parametrize("form", ["self-evaluation", "monitoring"])
def test_templates_from_targets_never_write_over_a_goal_table_or_a_filled_return(tmp_path, form):
    """Made in the folder of the goal tables, a template would take a goal table's name (单位_项目.xlsx, as
    --prefill names them); made again, it would replace a return the department has filled.  Neither is
    written over: the goal table never, another file not without --force."""
    goals = tmp_path / "goals"
    goals.mkdir()
    for path in EXAMPLE_XLSX[:2]:  # approved goal tables, kept under the names --prefill gave their templates
        doc = read(path).document
        shutil.copy(path, goals / f"{doc['unit']}_{doc['project']['name']}.xlsx")
    goal_files = {p: p.read_bytes() for p in goals.glob("*.xlsx")}
    assert goal_files
    extra = ["--month", "6"] if form == "monitoring" else []
    # the goal tables' folder as --out-dir is refused outright (exit 2: the templates would lie among the goal
    # tables, read as returns by the next run: test_mendR); named as files, each goal table is still kept
    result = cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", goals)
    assert result.exit_code == 2 and "就是 --targets 给出的文件夹" in result.stderr, result.output
    assert sorted(goals.iterdir()) == sorted(goal_files)
    named = sorted(goal_files)
    result = cli("template", "--form", form, *extra, "--targets", *named, "--out-dir", goals)
    assert result.exit_code == 1 and "就是输入的绩效目标表" in result.output + result.stderr
    forced = cli("template", "--form", form, *extra, "--targets", *named, "--out-dir", goals, "--force")
    assert forced.exit_code == 1 and {p: p.read_bytes() for p in goal_files} == goal_files
    out = tmp_path / "out"
    first = cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", out)
    assert first.exit_code == 0, first.output
    filled = sorted(out.glob("*.xlsx"))[0]
    filled.write_bytes(b"a department's filled return")
    again = cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", out)
    assert again.exit_code == 1 and "已存在同名文件" in again.output + again.stderr
    assert filled.read_bytes() == b"a department's filled return"
    assert cli("template", "--form", form, *extra, "--targets", goals, "--out-dir", out, "--force").exit_code == 0
    assert filled.read_bytes() != b"a department's filled return"


def test_annotated_copies_of_files_of_one_name_in_different_folders_are_all_kept(tmp_path):
    inbox = tmp_path / "in"
    for dept in ("人社局", "财政局"):
        (inbox / dept).mkdir(parents=True)
        shutil.copy(Path(__file__).parent.parent / "examples" / "received" / "某局_某项目.xlsx",
                    inbox / dept / "绩效目标表.xlsx")
    out = tmp_path / "ann"
    result = cli("validate", inbox, "--annotate", out)
    assert result.exit_code == 1
    names = sorted(p.name for p in out.glob("*.xlsx"))
    assert names == ["人社局_绩效目标表_问题标注.xlsx", "财政局_绩效目标表_问题标注.xlsx"], names


def test_an_empty_path_and_a_missing_folder_are_refused(tmp_path):
    for args in (["validate", ""], ["consolidate", "", "-o", tmp_path / "s.xlsx"],
                 ["consolidate", tmp_path / "没有这个文件夹", "-o", tmp_path / "s.xlsx"]):
        result = cli(*args)
        assert result.exit_code == 2, (args, result.output)
    assert not (tmp_path / "s.xlsx").exists()
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", empty)  # nothing checked: 1, as consolidate's (mendFC)
    assert result.exit_code == 1 and "没有找到要校验的工作簿（.xlsx/.xlsm/.xls/.ods/.et）" in result.output and "没有发现问题" not in result.output


def test_the_csv_report_lists_the_files_it_did_not_check(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a.xlsx")
    (inbox / "notes.txt").write_text("x", encoding="utf-8")
    for lang, reason in (("zh", "不是工作簿文件"), ("en", "not a workbook file")):
        rows = list(csv.DictReader(io.StringIO(cli("validate", inbox, "--format", "csv", "--lang", lang).output.lstrip("\ufeff"))))
        skipped = [r for r in rows if r["file"].endswith("notes.txt")]
        assert len(skipped) == 1 and skipped[0]["code"] == "skipped.not_workbook" and reason in skipped[0]["message"]


def test_a_required_field_given_as_a_formula_is_still_unfilled(tmp_path):
    """A formula with no value (as a script writes it, or one that gives "") leaves the field empty: the formula
    is a warning, and the empty required field is an error at the same cell."""
    wb = openpyxl.load_workbook(GOOD)
    ws = wb[F.info.name]
    unit, current = info_cell("/unit")[1], info_cell("/budget/current_year")[1]
    ws[unit], ws[current] = "=A3", "=B10"
    wb.save(tmp_path / "f.xlsx")
    f = one_file(tmp_path / "f.xlsx")
    found = {(p.code, p.cell) for p in f.problems}
    assert {("cell.formula", unit), ("rule.required_field", unit), ("cell.formula", current),
            ("rule.required_field", current)} <= found, found
    assert not f.passes(False)


@pytest.mark.parametrize("typed", [-6424663, -0.5, "-6424663", "-1,000.00"])
def test_a_negative_amount_is_said_to_be_negative_once(tmp_path, typed):
    total = info_cell("/budget/total")
    f = one_file(edited(GOOD, tmp_path / "neg.xlsx", {total: typed}))
    assert codes(f) == ["cell.amount_negative"], [(p.code, p.cell, p.message) for p in f.problems]
    (p,) = f.problems
    assert p.cell == total[1] and "负数" in p.message and ".0”" not in p.message
    assert str(typed).lstrip("-").split(".")[0].split(",")[0] in p.message


# Red team, round two (today's changes) ---------------------------------------------------------------------
def test_annotated_names_stay_unique_for_long_names_and_folders_of_one_name():
    from xlgoals._check._annotate import annotated_names

    long = "很长的项目名称" * 10  # beyond the name limit: the number must survive the shortening
    names = annotated_names([f"a/x/{long}.xlsx", f"b/x/{long}.xlsx", f"c/{long}.XLSX", f"c/{long}.xlsx"])
    assert len({n.lower() for n in names}) == 4 and all(len(n.encode()) <= 220 for n in names)
    assert annotated_names(["甲/报送/绩效.xlsx", "乙/报送/绩效.xlsx"]) == ["甲_报送_绩效_问题标注.xlsx",
                                                                         "乙_报送_绩效_问题标注.xlsx"]


def test_annotating_into_the_inbox_never_replaces_a_file_found_there(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(Path(__file__).parent.parent / "examples" / "received" / "某局_某项目.xlsx", inbox / "某局.xlsx")
    shutil.copy(GOOD, inbox / "某局_问题标注.xlsx")  # a return the department happened to name so
    before = (inbox / "某局_问题标注.xlsx").read_bytes()
    result = cli("validate", inbox, "--annotate", inbox)
    assert result.exit_code == 2 and "未覆盖" in result.stderr, result.stderr  # the copy is not written (mendCE)
    assert (inbox / "某局_问题标注.xlsx").read_bytes() == before


@pytest.mark.parametrize("key, edit", [("name", "=A1"), ("target", "=A1"), ("name", None)])
def test_an_empty_indicator_cell_with_a_reader_warning_is_still_missing(tmp_path, key, edit):
    """A formula showing nothing, or an empty name in a hidden row: the warning explains, the error stays."""
    from .helpers import ind_cell

    wb = openpyxl.load_workbook(GOOD)
    ws = wb[F.table.name]
    sheet, cell = ind_cell(0, key)
    ws[cell] = edit
    if edit is None:
        ws.row_dimensions[ws[cell].row].hidden = True
    wb.save(tmp_path / "r.xlsx")
    f = one_file(tmp_path / "r.xlsx")
    assert not f.passes(False), [(p.code, p.cell) for p in f.problems]
    assert any(p.is_error and p.cell == cell for p in f.problems), [(p.code, p.cell) for p in f.problems]


def test_a_note_that_only_starts_like_a_report_is_not_replaced(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a.xlsx")
    notes = {"说明.txt": "共检查 3 个项目的台账，情况如下……\n", "checked.txt": "Checked by 张三 on Monday.\n",
             "data.json": '{\n  "summary": {"note": "单位自己的数据"}}\n'}
    for name, text in notes.items():
        (inbox / name).write_text(text, encoding="utf-8")
        result = cli("validate", inbox, "-o", inbox / name)
        assert result.exit_code == 2 and (inbox / name).read_text(encoding="utf-8") == text, (name, result.output)


def test_the_daily_summary_with_its_csv_folder_in_the_inbox_runs_again(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(GOOD, inbox / "a.xlsx")
    args = ["consolidate", inbox, "-o", inbox / "汇总.xlsx", "--csv", inbox / "汇总csv", "--json", inbox / "汇总.json"]
    for day in (1, 2):
        result = cli(*args)
        assert result.exit_code == 0 and "共 1 个文件" in result.output, (day, result.output)


@pytest.mark.parametrize("example,review", [("returns", False), ("returns", True), ("self-evaluation", False),
                                            ("monitoring", False)])
def test_the_daily_summary_with_its_csv_files_in_the_inbox_itself_runs_again(tmp_path, example, review):
    """`--csv 收件箱`: on day 2 yesterday's CSV tables lie in the inbox at the paths of today's.  Each is the last
    run's output, replaced (it stopped the run, "the output is an input"); in 校验结果 it is an output this run
    writes over, not a file that was not a workbook.  A department's own CSV under a table's name is still kept."""
    inbox = tmp_path / "收件箱"
    shutil.copytree(Path(__file__).parent.parent / "examples" / example, inbox,
                    ignore=shutil.ignore_patterns("*.json"))
    args = ["consolidate", inbox, "-o", inbox / "汇总.xlsx", "--csv", inbox, "--json", inbox / "汇总.json",
            *(["--review"] if review else [])]
    first = cli(*args)
    assert first.exit_code == 0, first.output
    written = sorted(p.name for p in inbox.glob("*.csv"))
    assert len(written) == (7 if review else 5)
    for day in (2, 3):
        result = cli(*args)
        assert result.exit_code == 0 and "共 5 个文件" in result.output, (day, result.output)
        assert sorted(p.name for p in inbox.glob("*.csv")) == written
    table = next(n for n in written if n.startswith("校验结果"))
    with (inbox / table).open(encoding="utf-8-sig", newline="") as fh:
        notes = {row["文件"]: row["说明"] for row in csv.DictReader(fh)}
    assert all(notes[name] == "将被本次运行覆盖的输出，未检查" for name in written), notes
    department = "\ufeff序号,申报单位,备注\r\n1,某单位,单位自己的表\r\n"
    victim = inbox / written[0]
    victim.write_bytes(department.encode("utf-8"))
    refused = cli(*args)
    assert refused.exit_code == 2 and "就是输入文件" in refused.output, refused.output
    assert victim.read_bytes() == department.encode("utf-8")


def test_a_merge_reaching_past_the_last_indicator_makes_no_row(tmp_path):
    from .helpers import ind_cell

    doc = read(GOOD).document
    n = len(doc["indicators"])
    wb = openpyxl.load_workbook(GOOD)
    last, below = ind_cell(n - 1, "level1")[1], ind_cell(n + 1, "level1")[1]
    wb[F.table.name].merge_cells(f"{last}:{below}")
    wb.save(tmp_path / "m.xlsx")
    r = read(tmp_path / "m.xlsx")
    assert len(r.document["indicators"]) == n and r.document["indicators"] == doc["indicators"]


def test_a_blank_template_of_another_form_beside_the_goal_tables_is_passed_over(tmp_path):
    goals = tmp_path / "goals"
    goals.mkdir()
    shutil.copy(GOOD, goals / "goal.xlsx")
    assert cli("template", "--form", "self-evaluation", "--targets", goals / "goal.xlsx", "--out-dir",
               goals).exit_code == 0
    result = cli("template", "--form", "monitoring", "--month", "6", "--targets", goals, "--out-dir", tmp_path / "m")
    assert result.exit_code == 0 and "共生成 1 个监控表" in result.output + result.stderr, result.output


def test_outputs_that_are_no_folder_are_refused_before_reading(tmp_path):
    projects = Path(__file__).parent.parent / "examples" / "projects.csv"
    for args in (["template", "--prefill", projects, "--out-dir", "/dev/null"],
                 ["template", "--form", "self-evaluation", "--targets", GOOD, "--out-dir", "/dev/null"]):
        result = cli(*args)
        assert result.exit_code == 2 and "不是文件夹" in result.output, (args, result.output)


def test_fill_refuses_a_text_beyond_what_an_excel_cell_holds(tmp_path, doc):
    doc["project"]["overview"] = "𠮷" * 17000  # 17,000 characters, 34,000 UTF-16 units: Excel holds 32,767
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = cli("fill", path, "-o", tmp_path / "x.xlsx")
    assert result.exit_code == 1 and "32767" in result.output and not (tmp_path / "x.xlsx").exists(), result.output


def test_a_project_list_column_without_a_name_but_with_data_is_refused(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("申报单位名称,项目名称,\n甲,乙,丢失的数据\n", encoding="utf-8")
    result = cli("template", "--prefill", csv_path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1 and "第 3 列没有列名" in result.stderr and not (tmp_path / "o").exists()


# Red team, round three ------------------------------------------------------------------------------------
def test_an_annotated_copy_never_leaves_its_folder_nor_takes_an_unsafe_name():
    from xlgoals._check._annotate import annotated_names

    names = annotated_names(["/srv/in/甲/t.xls", "/srv/in/甲/t.xlsx", "C:/收件/乙/t.xlsx", "../x/a:b?.xlsx", ".x.xlsx"])
    assert all("/" not in n and "\\" not in n and ":" not in n and "?" not in n for n in names), names
    assert not any(n.startswith((".", "_srv", "_C")) for n in names), names
    assert len({n.lower() for n in names}) == len(names)


def test_annotated_names_for_thousands_of_long_same_prefixes_are_quick():
    import time as _time

    from xlgoals._check._annotate import annotated_names

    start = _time.process_time()
    names = annotated_names([f"单位{i % 7}/{'长' * 100}{i}.xlsx" for i in range(3000)])
    assert len({n.lower() for n in names}) == 3000 and _time.process_time() - start < 5


def test_an_annotated_copy_never_replaces_last_years_return(tmp_path):
    inbox, last = tmp_path / "inbox", tmp_path / "去年"
    inbox.mkdir(), last.mkdir()
    shutil.copy(Path(__file__).parent.parent / "examples" / "received" / "某局_某项目.xlsx", inbox / "a.xlsx")
    shutil.copy(GOOD, last / "a_问题标注.xlsx")
    before = (last / "a_问题标注.xlsx").read_bytes()
    result = cli("validate", inbox, "--previous", last, "--annotate", last)
    # the copy asked for is not written, an input at its name: exit 2 (mendCE)
    assert result.exit_code == 2 and "未覆盖" in result.stderr and (last / "a_问题标注.xlsx").read_bytes() == before


def test_names_differing_by_any_invisible_character_are_one_project(tmp_path, doc):
    """Variation selectors, joiners, tags and fillers show nothing: the project is counted once."""
    d = tmp_path / "in"
    d.mkdir()
    for i, mark in enumerate(("", "\ufe0f", "\u034f", "\U000e0020", "\u3164")):
        other = json.loads(json.dumps(doc))
        other["project"]["name"] = doc["project"]["name"] + mark
        fill(other, d / f"r{i}.xlsx")
    result = consolidate([d], tmp_path / "s.xlsx", jobs=1)
    assert result.totals["projects"] == 1 and result.totals["duplicates"] == 4


def test_prefill_refuses_a_text_the_template_could_not_hold(tmp_path):
    csv_path = tmp_path / "p.csv"
    csv_path.write_text(f"申报单位名称,项目名称\n甲,{'长' * 301}\n乙,项目\n", encoding="utf-8")
    result = cli("template", "--prefill", csv_path, "--out-dir", tmp_path / "o")
    assert result.exit_code == 1 and "第 2 行" in result.stderr and "至多 300 个字符" in result.stderr
    assert [p.name for p in (tmp_path / "o").iterdir()] == ["乙_项目.xlsx"]


def test_fill_from_python_with_a_lone_surrogate_is_a_document_error(tmp_path, doc):
    from xlgoals import DocumentError

    doc["project"]["name"] = "项目\udfff"
    with pytest.raises(DocumentError, match="/project/name"):
        fill(doc, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


def test_long_names_of_copies_keep_both_ends():
    """The folder a file came from and the end of its own name tell copies apart: a long name loses its middle."""
    from xlgoals._check._annotate import annotated_names

    names = annotated_names([f"甲单位/{'很长的共同前缀' * 20}{i}.xlsx" for i in range(3)])
    assert [n.rsplit("_问题标注", 1)[0][-1] for n in names] == ["0", "1", "2"] and all("…" in n for n in names)
    assert all(len(n.encode()) <= 220 for n in names)


def test_font_children_are_put_in_the_schema_order_and_other_fonts_left_as_they_are():
    """openpyxl writes a font's children name, family, b, color, sz; Excel's schema wants b … sz, color, name,
    family, scheme.  A font holding anything but empty elements is left as it was (never half-rewritten)."""
    from xlgoals._check._annotate import fonts_in_order

    styles = ('<fonts count="3"><font><name val="宋体"/><family val="2"/><b val="1"/><color theme="1"/><sz val="14"/>'
              '<scheme val="minor"/></font><font><b val="1"/></font>'
              '<font><name val="x"/><color><tint/></color><b/></font></fonts>')
    assert fonts_in_order(styles) == (
        '<fonts count="3"><font><b val="1"/><sz val="14"/><color theme="1"/><name val="宋体"/><family val="2"/>'
        '<scheme val="minor"/></font><font><b val="1"/></font>'
        '<font><name val="x"/><color><tint/></color><b/></font></fonts>')


@pytest.mark.parametrize("code, shown", [('0"%"', 85), ('#,##0.00"%"', 85), ('0\\%', 85), ('0_%', 85), ('[$%-804]0', 85),
                                         ("0%", 8500), ("0%;[Red]-0%", 8500), ("[Red]0.0%", 8500)])
def test_a_percent_sign_the_format_only_shows_is_not_a_percent(tmp_path, code, shown):
    """85 formatted 0"%" shows 85% (the % is text, as in \\%, _% or a bracket): it was read as 8500 %, Excel writing
    the quotes as &quot; in styles.xml; 0% shows the same 85 as 8500%."""
    from .helpers import ind_cell

    sheet, ref = ind_cell(10, "target")
    wb = openpyxl.load_workbook(GOOD)
    wb[sheet][ref].value = 85
    wb[sheet][ref].number_format = code
    wb.save(tmp_path / "r.xlsx")
    item = read(tmp_path / "r.xlsx").document["indicators"][10]
    assert (item["value"], item["unit"]) == (shown, "%")


def test_percent_styles_of_excel_and_of_a_hostile_writer():
    """Format codes as styles.xml holds them (quotes as &quot;, attributes in any order, a prefix, single quotes),
    and 200,000 styles: each style's percent is told right, and a sheet is screened without a pattern per style."""
    from xlgoals._read._screen import percent_styles, screen_sheet

    styles = ('<styleSheet xmlns="x"><numFmts count="5"><numFmt numFmtId="164" formatCode="0&quot;%&quot;"/>'
              '<numFmt formatCode="0.0%" numFmtId="165"/><x:numFmt numFmtId=\'166\' formatCode=\'0&#37;\'/>'
              '<numFmt numFmtId="167" formatCode="&quot;%&quot;0;[Red]&quot;-%&quot;0"/>'
              '<numFmt numFmtId="168" formatCode="0.00%_);[Red]\\(0.00%\\)"/></numFmts>'
              '<cellXfs count="7"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/>'
              '<xf numFmtId="167"/><xf applyNumberFormat="1" numFmtId="9"><alignment/></xf><xf numFmtId="168"/>'
              '</cellXfs></styleSheet>').encode()
    assert percent_styles(styles) == {"2", "3", "5", "6"}
    many = styles.replace(b'<xf numFmtId="0"/>', b'<xf numFmtId="10"/>' * 200_000)
    found = percent_styles(many)
    assert len(found) == 200_004
    sheet = b'<worksheet><sheetData><row r="1"><c r="A1" s="199999"><v>1</v></c><c r="B1" s="200000"><v>1</v></c></row>' \
            b'</sheetData></worksheet>'
    assert screen_sheet(sheet, "s", found).percent == {(0, 0)}


def test_a_file_sent_again_between_its_check_and_its_copy_gets_no_annotated_copy(tmp_path):
    """A department re-sends its return while the night's run is reading: the annotated copy was made of the new
    bytes with the old bytes' problems marked on it (cells that were fine, a report naming another digest)."""
    from xlgoals._check._annotate import annotate_all

    from .test_validate_cli import _bad_return

    path = tmp_path / "r.xlsx"
    path.write_bytes(_bad_return(tmp_path).read_bytes())
    (report,) = validate([path]).files
    assert report.problems
    path.write_bytes(GOOD.read_bytes())  # sent again, corrected
    out = tmp_path / "annotated"
    out.mkdir()
    ((_, target, why),) = list(annotate_all([report], out))
    assert target is None and "校验之后被改动" in str(why) and list(out.iterdir()) == []


def test_a_worker_keeps_no_large_part_of_the_files_it_read(tmp_path):
    """Parsed parts that returns of one template share are kept for the next file (64 of them): a hostile
    styles.xml, workbook.xml or custom.xml of 60 MB was kept too: 64 of them are far past a worker's memory limit,
    which it would then meet on another department's return.  A part beyond CACHED_PART_BYTES is parsed, never
    kept."""
    from xlgoals._read._grid import _custom_properties_of, _sheets_of
    from xlgoals._read._safety import CACHED_PART_BYTES
    from xlgoals._read._screen import percent_styles

    pad = b"<!--" + b" " * CACHED_PART_BYTES + b"-->"
    after_declaration = lambda xml: xml.replace(b"?>", b"?>" + pad, 1)  # noqa: E731
    caches = (percent_styles, _sheets_of, _custom_properties_of)
    for cache in caches:
        cache.cache_clear()
    path = patched(tmp_path / "big.xlsx", xl__styles_DOT_xml=after_declaration, xl__workbook_DOT_xml=after_declaration,
                   docProps__custom_DOT_xml=after_declaration)
    assert read(path, isolated=False).problems == []  # in this process: a worker's reading
    assert [c.cache_info().currsize for c in caches] == [0, 0, 0]
    assert read(GOOD, isolated=False).problems == [] and [c.cache_info().currsize for c in caches] == [1, 1, 1]


def test_cells_a_merge_covers_are_read_as_printed_whatever_they_hold(tmp_path):
    """LibreOffice keeps what merged-over cells held (out of sight, on screen and on paper): a hidden target was
    read for a row whose printed target is the merged one, under a warning saying the rows below read empty, and
    a hidden 一级指标 differing from the merged one was read in place of it."""
    from .helpers import ind_cell

    level1, target = ind_cell(0, "level1")[1], ind_cell(9, "target")[1]
    below = ind_cell(1, "level1")[1]
    merges = (f'</sheetData><mergeCells count="2"><mergeCell ref="{level1}:{ind_cell(2, "level1")[1]}"/>'
              f'<mergeCell ref="{target}:{ind_cell(10, "target")[1]}"/></mergeCells>').encode()
    hidden = f'<c r="{below}" t="inlineStr"><is><t>产出目标</t></is></c>'.encode()

    def edit(xml: bytes) -> bytes:
        return cell_xml(below)(hidden)(xml).replace(b"</sheetData>", merges, 1)

    path = patched(tmp_path / "r.xlsx", xl__worksheets__sheet3_DOT_xml=edit)
    items = read(path).document["indicators"]
    assert [i["level1"] for i in items[:3]] == ["投入与管理"] * 3
    assert items[9]["value"] == 90 and "value" not in items[10]
    report = one_file(path)
    assert ("schema.required", ind_cell(10, "target")[1]) in {(p.code, p.cell) for p in report.problems}


def test_a_hidden_column_with_content_is_a_warning_at_its_header(tmp_path):
    """A column hidden (or made of no width) on 绩效指标 or 项目信息 while its cells are filled: read, but the printed
    form the department stamps does not show them.  One warning per column; a hidden empty column says nothing."""
    for sheet, letter, expected in ((F.table.name, "G", ("G3", "计量单位")), (F.info.name, "B", ("B2", "预算年度、申报单位名称、项目名称等")),
                                    (F.table.name, "H", None)):  # a column of no width: the screens' test below
        wb = openpyxl.load_workbook(GOOD)
        wb[sheet].column_dimensions[letter].hidden = True
        if letter == "H":  # the optional column, empty in this return: hiding it hides nothing
            assert all(c.value in (None, "") for c in wb[sheet]["H"][F.table.first_row:])
        path = tmp_path / f"{sheet}_{letter}.xlsx"
        wb.save(path)
        found = [(p.cell, p.field) for p in one_file(path).problems if p.code == "cell.hidden_column"]
        assert found == ([expected] if expected else []), (sheet, letter, found)


def test_the_screens_find_hidden_columns_alike():
    from xlgoals._read._screen import _screen_canonical, _screen_parsed, screen_ods

    xml = (b'<worksheet><cols><col min="1" max="2" width="9"/><col min="5" max="5" width="12" hidden="1"/>'
           b'<col min="7" max="8" width="0"/><col min="9" max="16384" hidden="true"/></cols><sheetData><row r="1">'
           b'<c r="A1"><v>1</v></c></row></sheetData></worksheet>')
    expected = {4, 6, 7, *range(8, 200)}  # within the sheet limits
    assert _screen_canonical(xml, "s", frozenset()).hidden_cols == _screen_parsed(xml, "s").hidden_cols == expected
    ods = (b'<office:document-content xmlns:office="o" xmlns:table="t"><office:body><office:spreadsheet>'
           b'<table:table table:name="S"><table:table-column table:number-columns-repeated="4"/>'
           b'<table:table-column table:visibility="collapse" table:number-columns-repeated="2"/>'
           b'<table:table-column table:number-columns-repeated="1000000"/><table:table-row><table:table-cell '
           b'office:value-type="float" office:value="1"/></table:table-row></table:table></office:spreadsheet>'
           b'</office:body></office:document-content>')
    assert screen_ods(ods)["S"].hidden_cols == {4, 5}
    # attribute values in single quotes (well-formed XML): the parser's (since mendEV no part quoting so takes the fast
    # path: such a value may hold a raw < and a whole tag its searches took for the sheet's)
    xml = (b"<worksheet><cols><col min='2' max='2' width='0'/><col min=\"4\" max=\"4\" hidden='1'/></cols>"
           b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>')
    assert _screen_canonical(xml, "s", frozenset()) is None and _screen_parsed(xml, "s").hidden_cols == {1, 3}


def test_an_annotated_copy_is_made_within_the_runs_limits(tmp_path):
    """validate --annotate opens each failing return again with openpyxl, another library than the one that read it:
    within the run's limits (--limits: file_seconds, worker_memory_mb), in a bounded worker even for one file and one
    job.  A copy that cannot be made within them is that copy not made, said with why; the run and the other
    copies go on.  (The library's own ``annotate(report, dir)`` of one report is the caller's, in its process.)"""
    from xlgoals import Config
    from xlgoals._check._annotate import annotate_all

    from .test_validate_cli import _bad_return

    path = _bad_return(tmp_path)
    (report,) = validate([path]).files
    assert report.problems
    limits = dict(Config.load().limits)
    out = tmp_path / "annotated"
    out.mkdir()
    ((_, target, why),) = list(annotate_all([report], out, limits={**limits, "file_seconds": 0.001}))
    assert target is None and "生成标注副本时" in str(why) and "超时" in str(why), str(why)
    assert list(out.iterdir()) == []
    ((_, target, why),) = list(annotate_all([report], out, limits=limits))  # within them: made as ever
    assert target is not None and Path(target).is_file(), why
