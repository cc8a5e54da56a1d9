"""JSON documents on the command line (`xlgoals validate doc.json`, folders holding documents), and the monitoring
report's budget of 0 with money spent (monitor.budget_zero)."""

import csv
import io
import json
from pathlib import Path

from xlgoals import FORMS, fill, read, validate, validate_document, validate_file

from .conftest import EXAMPLE_JSON, EXAMPLES, cli, load

MON_JSON = sorted((EXAMPLES / "monitoring").glob("*.json"))
SE_JSON = sorted((EXAMPLES / "self-evaluation").glob("*.json"))


def _monitoring() -> dict:
    return read(MON_JSON[1].with_suffix(".xlsx")).document


# A budget of 0 in the monitoring report -----------------------------------------------------------------------
def test_monitoring_spending_against_a_budget_of_zero_is_said_at_the_budget_once():
    doc = _monitoring()
    doc["funds"].update(full_year_budget=0, executed_to_date=500, expected_full_year=500)
    found = [p for p in validate_document(doc) if p.path.startswith("/funds")]
    codes = [p.code for p in found]
    assert "monitor.budget_zero" in codes, codes
    assert "monitor.executed_over_budget" not in codes, codes  # one cause, said once
    (p,) = [p for p in found if p.code == "monitor.budget_zero"]
    assert p.severity == "error" and p.path == "/funds/full_year_budget"
    assert "0.00 元" in p.message and "500.00 元" in p.message and "执行率" in p.message, p.message
    assert "500.00 yuan" in p.message_en, p.message_en


def test_monitoring_budget_zero_in_the_workbook_is_at_the_budget_cell(tmp_path):
    doc = _monitoring()
    doc["funds"].update(full_year_budget=0, executed_to_date=500, expected_full_year=500)
    fill(doc, tmp_path / "zero.xlsx")
    form = FORMS["monitoring"].for_document(doc)
    problems = validate_file(tmp_path / "zero.xlsx").problems
    found = [(p.code, p.sheet, p.cell) for p in problems if p.code in ("monitor.budget_zero",
                                                                       "monitor.executed_over_budget")]
    f = form.field("/funds/full_year_budget")
    assert found == [("monitor.budget_zero", f.sheet, f.cell)], found
    doc["funds"].update(executed_to_date=0, expected_full_year=0)  # nothing spent of nothing
    fill(doc, tmp_path / "nothing.xlsx")
    assert not [p for p in validate_file(tmp_path / "nothing.xlsx").problems if p.code == "monitor.budget_zero"]


def test_monitoring_spending_above_a_real_budget_is_still_over_budget():
    doc = _monitoring()
    doc["funds"].update(full_year_budget=1000, executed_to_date=1200, expected_full_year=1200)
    codes = [p.code for p in validate_document(doc)]
    assert "monitor.executed_over_budget" in codes and "monitor.budget_zero" not in codes, codes


# JSON documents on the command line ----------------------------------------------------------------------------
def _write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_validate_a_named_json_document_of_each_form(tmp_path):
    good = [_write(tmp_path / f"{n}.json", load(p)) for n, p in
            (("goal", EXAMPLE_JSON[1]), ("self", SE_JSON[1]), ("mon", MON_JSON[1]))]
    r = cli("validate", *good, "--format", "json", "--jobs", "1")
    out = json.loads(r.output)
    assert [f["form"] for f in out["files"]] == ["goal-table", "monitoring", "self-evaluation"], out["files"]
    assert not any(p["code"] == "file.not_workbook" for f in out["files"] for p in f["problems"]), out
    assert r.exit_code == (0 if all(f["valid"] for f in out["files"]) else 1)
    assert all(f["sha256"] for f in out["files"])


def test_a_json_documents_problem_is_located_by_json_pointer(tmp_path):
    doc = load(MON_JSON[1])
    doc["indicators"][3]["likelihood"] = "也许"
    bad = _write(tmp_path / "监控.json", doc)
    r = cli("validate", bad, "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert "/indicators/3/likelihood" in r.output, r.output
    r = cli("validate", bad, "--jobs", "1", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert any(row["path"] == "/indicators/3/likelihood" and row["cell"] == "" for row in rows), rows
    r = cli("validate", bad, "--jobs", "1", "--format", "json")
    (f,) = json.loads(r.output)["files"]
    assert f["form"] == "monitoring" and not f["valid"]
    assert any(p["path"] == "/indicators/3/likelihood" for p in f["problems"]), f


def test_a_folder_checks_its_documents_and_says_what_other_json_is(tmp_path):
    inbox = tmp_path / "收到"
    inbox.mkdir()
    _write(inbox / "目标表.json", load(EXAMPLE_JSON[1]))
    _write(inbox / "设置.json", {"theme": "dark"})  # another program's JSON
    r = cli("validate", inbox, "--format", "json", "--jobs", "1")
    out = json.loads(r.output)
    assert [Path(f["path"]).name for f in out["files"]] == ["目标表.json"], out
    skipped = {Path(s["path"]).name: s for s in out["skipped_files"]}
    assert "设置.json" in skipped and "JSON" in skipped["设置.json"]["reason"], out["skipped_files"]
    r = cli("validate", inbox, "--jobs", "1")
    assert "没有找到要校验的工作簿" not in r.output and "设置.json" in r.output, r.output


def test_hostile_json_each_one_located_error_and_the_batch_goes_on(tmp_path):
    good = load(EXAMPLE_JSON[1])
    text = json.dumps(good, ensure_ascii=False)
    files = {
        "gbk.json": text.encode("gbk"),
        "nan.json": text.replace('"year": 2020', '"year": NaN', 1).encode(),
        "inf.json": text.replace('"year": 2020', '"year": Infinity', 1).encode(),
        "huge.json": text.replace('"year": 2020', '"year": 1e400', 1).encode(),
        "long.json": text.replace('"year": 2020', '"year": ' + "9" * 5000, 1).encode(),
        "deep.json": b"[" * 100000 + b"]" * 100000,
        "dup.json": text.replace('"year": 2020', '"year": 2020, "year": 2021', 1).encode(),
        "list.json": b"[1, 2, 3]",
        "broken.json": text[:200].encode(),
        "bom.json": b"\xef\xbb\xbf" + text.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    big = tmp_path / "big.json"
    with open(big, "wb") as fh:  # 2 GB, sparse: never read whole
        fh.truncate(2 * 1024 ** 3)
    names = sorted([*files, "big.json"])
    r = cli("validate", *[tmp_path / n for n in names], "--format", "json", "--jobs", "1")
    assert r.exit_code == 1
    out = json.loads(r.output)
    by = {Path(f["path"]).name: f for f in out["files"]}
    assert sorted(by) == names
    assert by["bom.json"]["valid"], by["bom.json"]  # Notepad's BOM: read as UTF-8
    for name in names:
        if name == "bom.json":
            continue
        f = by[name]
        assert f["errors"] == 1 and len(f["problems"]) == 1, (name, f["problems"])
        (p,) = f["problems"]
        assert p["code"] not in ("file.not_workbook", "file.crashed", "file.timeout"), (name, p)
    assert by["nan.json"]["problems"][0]["path"] == "/year"
    assert by["huge.json"]["problems"][0]["path"] == "/year"
    assert by["long.json"]["problems"][0]["path"] == "/year"
    assert "第 1 行" in by["dup.json"]["problems"][0]["message"], by["dup.json"]
    assert "UTF-8" in by["gbk.json"]["problems"][0]["message"]
    text_out = cli("validate", *[tmp_path / n for n in names], "--jobs", "1").output
    assert "Traceback" not in text_out


def test_annotate_says_once_a_json_document_has_no_workbook(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    doc["year"] = "二〇二〇"
    a = _write(tmp_path / "a.json", doc)
    b = _write(tmp_path / "b.json", doc)
    r = cli("validate", a, b, "--annotate", tmp_path / "标注", "--jobs", "1")
    assert r.exit_code == 1
    said = [line for line in r.stderr.splitlines() if "JSON" in line]
    assert len(said) == 1 and "2" in said[0], r.stderr
    assert "Traceback" not in r.output + r.stderr


def test_validate_one_workbook_does_not_import_the_json_path():
    import subprocess
    import sys

    code = ("import sys; from xlgoals.cli import main\n"
            "try:\n    main(['validate', sys.argv[1], '--jobs', '1'])\nexcept SystemExit: pass\n"
            "print('_jsondoc' in ' '.join(sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(MON_JSON[1].with_suffix(".xlsx"))], capture_output=True,
                         text=True, check=False).stdout
    assert out.strip().endswith("False"), out


def _approved(tmp_path):
    """A folder 批复 holding the examples' goal-table documents, as a bureau's approved targets."""
    targets = tmp_path / "批复"
    targets.mkdir()
    for p in EXAMPLE_JSON:
        (targets / p.name).write_bytes(p.read_bytes())
    return targets


def test_a_json_monitoring_report_is_held_to_its_goal_table(tmp_path):
    targets = _approved(tmp_path)
    doc = load(MON_JSON[0])
    doc["indicators"][0]["text"] = doc["indicators"][0]["text"] + "（已改）"
    mon = _write(tmp_path / "监控.json", doc)
    r = cli("validate", mon, "--targets", targets, "--format", "json", "--jobs", "1")
    (f,) = json.loads(r.output)["files"]
    assert [p["code"] for p in f["problems"]] == ["monitor.target_changed"], f["problems"]
    assert r.exit_code == 1


def test_a_document_whose_shape_no_workbook_can_hold_is_said_by_the_schema_not_as_a_crash(tmp_path):
    """A self-evaluation whose indicators are a number made the scoring raise: file.crashed, 读取工作簿时出错."""
    doc = load(SE_JSON[1])
    doc["indicators"] = 1.5
    r = cli("validate", _write(tmp_path / "自评.json", doc), "--format", "json", "--jobs", "1")
    (f,) = json.loads(r.output)["files"]
    codes = [(p["code"], p["path"]) for p in f["problems"]]
    assert codes and all(c.startswith("schema.") for c, _ in codes) and ("schema.type", "/indicators") in codes, codes
    assert r.exit_code == 1


# A reviewer's findings (mendB) -------------------------------------------------------------------------------
def test_another_programs_json_with_nan_or_one_common_key_in_a_folder_is_not_checked(tmp_path):
    """Python's json.dump writes NaN; {"unit": "kg"} shares one key with a goal table: neither is a return."""
    inbox = tmp_path / "收到"
    inbox.mkdir()
    _write(inbox / "目标表.json", load(EXAMPLE_JSON[1]))
    (inbox / "训练.json").write_text('{"loss": NaN, "epoch": 3}', encoding="utf-8")
    _write(inbox / "单位.json", {"unit": "kg"})
    _write(inbox / "项目.json", {"project": {"name": "x"}, "schema_version": 1})
    r = cli("validate", inbox, "--format", "json", "--jobs", "1")
    out = json.loads(r.output)
    assert [Path(f["path"]).name for f in out["files"]] == ["目标表.json"], out["files"]
    skipped = {Path(s["path"]).name for s in out["skipped_files"]}
    assert {"训练.json", "单位.json", "项目.json"} <= skipped, out["skipped_files"]
    assert r.exit_code == (0 if out["files"][0]["valid"] else 1)


def test_a_goal_table_document_with_nan_is_still_said_at_its_pointer_in_a_folder(tmp_path):
    inbox = tmp_path / "收到"
    inbox.mkdir()
    text = json.dumps(load(EXAMPLE_JSON[1]), ensure_ascii=False).replace('"year": 2020', '"year": NaN', 1)
    (inbox / "目标表.json").write_text(text, encoding="utf-8")
    out = json.loads(cli("validate", inbox, "--format", "json", "--jobs", "1").output)
    (f,) = out["files"]
    assert [(p["code"], p["path"]) for p in f["problems"]] == [("file.bad_json", "/year")], f["problems"]


def test_a_json_document_that_crashes_or_overruns_is_not_told_to_open_excel(tmp_path):
    from xlgoals._check._validate import _FoundJson, crash_report
    from xlgoals._config import config_of

    doc = _write(tmp_path / "目标表.json", load(EXAMPLE_JSON[1]))
    for reason in ("timeout", "exit:-9"):
        (p,) = crash_report(_FoundJson(str(doc)), reason, config_of()).problems  # as the collector marks it
        assert "Excel" not in p.message and "工作簿" not in p.message and "JSON" in p.message, (reason, p.message)
        assert "workbook" not in p.message_en, p.message_en


def test_a_json_file_that_cannot_be_opened_is_one_located_problem(tmp_path, monkeypatch):
    import os

    from xlgoals._check._jsondoc import check_json_file
    from xlgoals._config import config_of

    doc = _write(tmp_path / "目标表.json", load(EXAMPLE_JSON[1]))
    real = os.open

    def refused(path, *a, **k):
        if str(path) == str(doc):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(os, "open", refused)
    (p,) = check_json_file(str(doc), config_of(), False).problems
    assert p.file == str(doc) and p.is_error, p
    monkeypatch.undo()
    fifo = tmp_path / "管道.json"
    os.mkfifo(fifo)
    (p,) = check_json_file(str(fifo), config_of(), False).problems  # never waits for a writer
    assert p.is_error and p.file == str(fifo), p


def test_a_changed_qualitative_target_in_a_json_document_is_at_its_text(tmp_path):
    targets = _approved(tmp_path)
    doc = load(MON_JSON[0])
    (i, ind), = [(i, x) for i, x in enumerate(doc["indicators"]) if x.get("comparator") == "qualitative"][:1]
    ind["text"] = ind["text"] + "（已改）"
    mon = _write(tmp_path / "监控.json", doc)
    r = cli("validate", mon, "--targets", targets, "--format", "json", "--jobs", "1")
    (f,) = json.loads(r.output)["files"]
    assert [(p["code"], p["path"]) for p in f["problems"]] == [("monitor.target_changed", f"/indicators/{i}/text")], \
        f["problems"]


def test_scoring_a_document_whose_indicators_are_no_list_does_not_raise():
    from xlgoals._selfeval._scoring import ScoringTable, evaluate

    doc = load(SE_JSON[1])
    doc["indicators"] = 1.5
    e = evaluate(doc, ScoringTable.load())
    assert e.indicators == ()
