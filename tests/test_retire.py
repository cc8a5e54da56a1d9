"""consolidate --csv removes the tables an earlier run wrote and this one does not (Outputs.retire): never a file
xlgoals did not write, nothing outside the --csv folder, never a file this run writes, never one that changed
between the listing and the commit."""

import os
from pathlib import Path

import pytest

from xlgoals import consolidate
from xlgoals._atomic import Outputs

from .conftest import EXAMPLES

GOAL_TABLES = {"汇总.csv", "项目清单.csv", "绩效指标.csv", "分类统计.csv", "校验结果.csv"}


@pytest.fixture(scope="module")
def review_table(tmp_path_factory) -> bytes:
    """What consolidate --review writes as 审核.csv: a table xlgoals wrote, by its name and header."""
    folder = tmp_path_factory.mktemp("reviewed")
    consolidate([EXAMPLES / "returns"], folder / "s.xlsx", jobs=1, csv_dir=folder / "csv", review=True)
    return (folder / "csv" / "审核.csv").read_bytes()


def _run(tmp_path, csv_dir):
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir)


def _tables(csv_dir) -> set:
    """The files in the folder but for the record of the tables written there (.xlgoals_tables.json)."""
    return {p.name for p in csv_dir.iterdir()} - {".xlgoals_tables.json"}


def test_an_earlier_review_table_goes(tmp_path):
    csv_dir = tmp_path / "csv"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    assert "审核.csv" in _tables(csv_dir)
    _run(tmp_path, csv_dir)
    assert _tables(csv_dir) == GOAL_TABLES


def test_a_link_named_as_a_table_stays_and_so_does_what_it_points_to(tmp_path, review_table):
    outside = tmp_path / "elsewhere" / "审核.csv"
    outside.parent.mkdir()
    outside.write_bytes(review_table)
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "审核.csv").symlink_to(outside)
    _run(tmp_path, csv_dir)
    assert (csv_dir / "审核.csv").is_symlink() and outside.read_bytes() == review_table


def test_a_folder_named_as_a_table_stays(tmp_path, review_table):
    csv_dir = tmp_path / "csv"
    (csv_dir / "审核.csv").mkdir(parents=True)
    (csv_dir / "审核.csv" / "审核.csv").write_bytes(review_table)
    _run(tmp_path, csv_dir)
    assert (csv_dir / "审核.csv" / "审核.csv").read_bytes() == review_table


def test_a_name_xlgoals_never_writes_stays_even_with_a_table_s_header(tmp_path, review_table):
    # xlgoals writes <table>.csv, lower case: 审核.CSV is someone's (on Windows and macOS it may even be the very
    # file this run writes as 汇总.csv, under another spelling)
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    for name in ("审核.CSV", "审核 (2).csv", "审核.csv.bak", "副本审核.csv"):
        (csv_dir / name).write_bytes(review_table)
    _run(tmp_path, csv_dir)
    assert _tables(csv_dir) == GOAL_TABLES | {"审核.CSV", "审核 (2).csv", "审核.csv.bak",
                                                               "副本审核.csv"}


def test_a_table_edited_by_hand_stays(tmp_path, review_table):
    # opened in Excel and saved as plain CSV (no BOM), or its header changed: no longer what xlgoals wrote
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "审核.csv").write_bytes(review_table[3:])
    (csv_dir / "审核（按单位）.csv").write_text("单位,得分\r\n甲,90\r\n", encoding="utf-8-sig")
    _run(tmp_path, csv_dir)
    assert (csv_dir / "审核.csv").read_bytes() == review_table[3:]
    assert (csv_dir / "审核（按单位）.csv").exists()


def test_a_retired_file_this_run_writes_is_not_removed(tmp_path):
    # the same file retired and written (one folder's listing spells it otherwise: 汇总.CSV on a case-insensitive
    # disk): the output written stands
    target = tmp_path / "汇总.csv"
    target.write_text("old", encoding="utf-8")
    with Outputs() as outputs:
        outputs.retire(target)
        outputs.path(target).write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"


def test_a_retired_file_that_changed_before_the_commit_stays(tmp_path):
    old = tmp_path / "审核.csv"
    old.write_text("old", encoding="utf-8")
    other = tmp_path / "other.csv"
    with Outputs() as outputs:
        outputs.retire(old)
        old.write_text("typed in meanwhile, longer", encoding="utf-8")
        outputs.path(other).write_text("x", encoding="utf-8")
    assert old.read_text(encoding="utf-8") == "typed in meanwhile, longer"


def test_a_retired_file_replaced_by_a_link_before_the_commit_stays(tmp_path):
    old = tmp_path / "审核.csv"
    old.write_text("old", encoding="utf-8")
    precious = tmp_path / "precious.csv"
    precious.write_text("keep", encoding="utf-8")
    with Outputs() as outputs:
        outputs.retire(old)
        old.unlink()
        old.symlink_to(precious)
    assert old.is_symlink() and precious.read_text(encoding="utf-8") == "keep"


def test_a_retired_file_is_kept_when_the_outputs_are_not_committed(tmp_path):
    old = tmp_path / "审核.csv"
    old.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with Outputs() as outputs:
            outputs.retire(old)
            outputs.path(tmp_path / "a.csv").write_text("x", encoding="utf-8")
            raise RuntimeError
    assert old.exists() and not (tmp_path / "a.csv").exists()


def test_retire_takes_no_folder_and_no_link(tmp_path):
    folder = tmp_path / "审核.csv"
    folder.mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "missing")
    with Outputs() as outputs:
        outputs.retire(folder)
        outputs.retire(link)
    assert folder.is_dir() and link.is_symlink()



# Only this form's own tables, as written: a record of what each run wrote ------------------------------------------
SELF_EVALUATIONS = EXAMPLES / "self-evaluation"


def test_another_form_s_tables_in_the_folder_stay(tmp_path):
    # goal tables, then self-evaluations, summarised into one CSV folder: the second run removed the goal tables
    csv_dir = tmp_path / "csv"
    _run(tmp_path, csv_dir)
    goal = {n: (csv_dir / n).read_bytes() for n in GOAL_TABLES}
    consolidate([SELF_EVALUATIONS], tmp_path / "se.xlsx", jobs=1, csv_dir=csv_dir)
    names = {p.name for p in csv_dir.iterdir() if not p.name.startswith(".")}
    assert GOAL_TABLES <= names and "自评汇总.csv" in names
    for n in GOAL_TABLES - {"校验结果.csv"}:  # 校验结果 is every form's: the later run's
        assert (csv_dir / n).read_bytes() == goal[n], n
    # and back: the goal tables' run leaves the self-evaluation's tables too
    _run(tmp_path, csv_dir)
    assert "自评汇总.csv" in {p.name for p in csv_dir.iterdir()}


def test_an_earlier_table_of_this_form_saved_again_by_hand_stays(tmp_path):
    # opened in Excel, a cell changed and saved as CSV UTF-8 (BOM, CRLF, the same header): someone's work now
    csv_dir = tmp_path / "csv"
    consolidate([EXAMPLES / "returns"], tmp_path / "s.xlsx", jobs=1, csv_dir=csv_dir, review=True)
    table = csv_dir / "审核.csv"
    raw = table.read_bytes()
    lines = raw.split(b"\r\n")
    lines[1] = lines[1] + b" checked"
    table.write_bytes(b"\r\n".join(lines))
    edited = table.read_bytes()
    _run(tmp_path, csv_dir)
    assert table.read_bytes() == edited
    assert not (csv_dir / "审核（按单位）.csv").exists()  # the untouched one of that run goes


def test_tables_copied_into_a_folder_without_a_record_stay(tmp_path, review_table):
    # xlgoals cannot tell that it wrote them there: they are left alone
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "审核.csv").write_bytes(review_table)
    _run(tmp_path, csv_dir)
    assert (csv_dir / "审核.csv").read_bytes() == review_table


def test_the_record_is_passed_over_when_the_folder_is_in_the_inbox(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in (EXAMPLES / "returns").glob("*.xlsx"):
        (inbox / p.name).write_bytes(p.read_bytes())
    from xlgoals._paths import SKIP_OUTPUT

    for _ in range(2):
        yesterdays = {os.fspath(p) for p in (inbox / "csv").iterdir()} if (inbox / "csv").exists() else set()
        result = consolidate([inbox], tmp_path / "s.xlsx", jobs=1, csv_dir=inbox / "csv")
        # the record and the tables it lists: listed as the run's outputs (never unsaid), not ignored as a dropping
        assert result.totals["ignored"] == 0 and result.skipped == {p: SKIP_OUTPUT for p in yesterdays}, result.skipped
    assert any(p.name.startswith(".") for p in (inbox / "csv").iterdir())  # the record is there


# A record that is not as xlgoals wrote it (a hand-edited or crafted .xlgoals_tables.json) -------------------------
_RECORD_HEAD = '{\n  "xlgoals_csv_tables": 1,\n  "tables": '


def _sha(path) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_record_nested_beyond_the_parser_s_depth_is_no_record(tmp_path):
    # it begins as the record does (so it is replaced without --force), then nests 200,000 deep: json raised
    # RecursionError, a traceback and no tables
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / ".xlgoals_tables.json").write_text(_RECORD_HEAD + "[" * 200_000, encoding="utf-8")
    _run(tmp_path, csv_dir)
    assert _tables(csv_dir) == GOAL_TABLES
    assert (csv_dir / ".xlgoals_tables.json").read_text(encoding="utf-8").startswith(_RECORD_HEAD + "{")


def test_a_record_naming_a_return_or_a_department_s_file_removes_neither(tmp_path):
    # --csv 收件箱: a record listing a return, a note and a department's CSV, each with its SHA-256 and the run's
    # form, removed all three (a return is an input: never modified, let alone removed)
    import json

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for p in (EXAMPLES / "returns").glob("*.xlsx"):
        (inbox / p.name).write_bytes(p.read_bytes())
    (inbox / "说明.txt").write_text("我的说明", encoding="utf-8")
    (inbox / "审核.csv").write_bytes("\ufeff单位,金额\r\n某局,1\r\n".encode())
    before = {p.name: p.read_bytes() for p in inbox.iterdir()}
    named = ["01_筹办第46届世界技能大赛.xlsx", "说明.txt", "审核.csv"]
    record = {n: {"form": "goal-table", "sha256": _sha(inbox / n)} for n in named}
    (inbox / ".xlgoals_tables.json").write_text(_RECORD_HEAD + json.dumps(record, ensure_ascii=False) + "}\n",
                                                encoding="utf-8")
    consolidate([inbox], tmp_path / "s.xlsx", jobs=1, csv_dir=inbox)
    for name, raw in before.items():
        assert (inbox / name).read_bytes() == raw, name


def test_a_record_s_names_outside_the_folder_are_not_carried_on(tmp_path):
    # another form's entries are carried into the new record while their file is there: a name with a folder in it
    # (../, an absolute path) was carried on from run to run, though no run writes outside its folder
    import json

    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (tmp_path / "x.csv").write_text("x", encoding="utf-8")
    (csv_dir / "sub").mkdir()
    (csv_dir / "sub" / "y.csv").write_text("y", encoding="utf-8")
    entry = {"form": "self-evaluation", "sha256": "0" * 64}
    record = {"../x.csv": entry, str(tmp_path / "x.csv"): entry, "sub/y.csv": entry}
    (csv_dir / ".xlgoals_tables.json").write_text(_RECORD_HEAD + json.dumps(record) + "}\n", encoding="utf-8")
    _run(tmp_path, csv_dir)
    tables = json.loads((csv_dir / ".xlgoals_tables.json").read_text(encoding="utf-8"))["tables"]
    assert set(tables) == GOAL_TABLES
    assert (tmp_path / "x.csv").exists() and (csv_dir / "sub" / "y.csv").exists()
