"""mendCS: red team (s)'s findings on the stamp's rule digest and ``xlgoals defaults``: the digest covers what the
bureau's table decides (not the packaged rows a release may add or change), normalised (set-like lists sorted,
defaults filled); ``defaults`` checks every target before writing any and writes its CSVs with a BOM; the
satisfaction example is monotonic; an empty --out-dir is refused.  Each test was seen failing on the code before."""

import hashlib
import json
from dataclasses import replace

import openpyxl
import pytest

from .conftest import ROOT, cli
from .helpers import bureau_rules_file, ooxml_errors

from xlgoals._check import _ruletable
from xlgoals._check._ruletable import RuleTable


_rules_file = bureau_rules_file  # (tests.helpers)


def _stamp(path) -> str:
    return next(c.value for ws in openpyxl.load_workbook(path) for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("XLGOALS|"))


def _codes(*args) -> list[str]:
    res = cli("validate", *args, "--format", "csv")
    return [line.split(",")[2] for line in res.stdout.splitlines()[1:] if line.split(",")[2]]


@pytest.fixture
def next_release(monkeypatch):
    """The packaged table of a later release: a new built-in row (as this batch added skipped.*) and a built-in row
    changed (monitor.behind_schedule's gap); returns a function making it the packaged one."""
    packaged = _ruletable._packaged

    def newer():
        table = dict(packaged())
        rd, params = table["rule.placeholder"]
        table["rule.new_in_next_release"] = (replace(rd, code="rule.new_in_next_release"), params)
        rd, params = table["monitor.behind_schedule"]
        table["monitor.behind_schedule"] = (rd, {**params, "gap": 0.05})
        return table

    def upgrade():
        monkeypatch.setattr(_ruletable, "_packaged", newer)
        _ruletable._load_table.cache_clear()

    yield upgrade
    monkeypatch.undo()
    _ruletable._load_table.cache_clear()


# 1: the digest covers the bureau's decisions, not the packaged rows a release adds or changes -------------------
@pytest.mark.parametrize("every", [False, True], ids=["one-row-file", "full-copy"])
def test_the_same_bureau_file_keeps_its_digest_and_says_nothing_after_an_upgrade(tmp_path, next_release, every):
    rules = _rules_file(tmp_path, {"rule.placeholder": {"severity": "error"}}, every=every)
    made = tmp_path / "t.xlsx"
    assert cli("template", "--framework", "national-2021", "--year", "2021", "-o", made,
               "--rules", rules).exit_code == 0
    before = RuleTable.load(rules).digest()
    assert f"|rules={before}" in _stamp(made)  # ({before}.{rows deciding otherwise} for a full copy)
    assert ooxml_errors(made) == []
    assert "template.other_rules" not in _codes(made, "--rules", rules)
    next_release()
    assert RuleTable.load(rules).digest() == before
    assert "template.other_rules" not in _codes(made, "--rules", rules)
    # a table deciding otherwise still says so, as does the packaged table alone
    other = _rules_file(tmp_path, {"rule.placeholder": {"severity": "notice"}}, name="其他.csv", every=every)
    assert "template.other_rules" in _codes(made, "--rules", other)
    assert "template.other_rules" in _codes(made)


@pytest.mark.parametrize("made_with", ["one", "full"])
def test_a_one_row_file_and_a_full_copy_deciding_the_same_check_each_other_s_templates(tmp_path, made_with):
    files = {"one": _rules_file(tmp_path, {"rule.placeholder": {"severity": "error"}}),
             "full": _rules_file(tmp_path, {"rule.placeholder": {"severity": "error"}}, name="全表.csv", every=True)}
    made = tmp_path / "t.xlsx"
    assert cli("template", "--framework", "national-2021", "--year", "2021", "-o", made,
               "--rules", files[made_with]).exit_code == 0
    assert "template.other_rules" not in _codes(made, "--rules", files["full" if made_with == "one" else "one"])


def test_a_full_copy_left_as_packaged_stamps_nothing(tmp_path):
    full = _rules_file(tmp_path, {}, every=True)
    made = tmp_path / "t.xlsx"
    assert cli("template", "--framework", "national-2021", "--year", "2021", "-o", made, "--rules", full).exit_code == 0
    assert "rules=" not in _stamp(made)


def _whole_digest(table: RuleTable) -> str:
    """The digest main stamped before mendCS (d771068): the whole merged table, packaged rows included."""
    def canon(o):
        return sorted(map(str, o)) if isinstance(o, (set, frozenset)) else str(o)

    text = json.dumps([[c, rd.severity, rd.check, table.params_of(c)] for c, rd in sorted(table.rules.items())],
                      sort_keys=True, ensure_ascii=False, default=canon)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def test_an_old_stamp_of_the_whole_table_still_matches_the_same_table_under_the_same_release(tmp_path):
    rules = _rules_file(tmp_path, {"rule.placeholder": {"severity": "error"}})
    table = RuleTable.load(rules)
    assert table.made_under(_whole_digest(table))
    assert not RuleTable.default().made_under(_whole_digest(table))
    other = RuleTable.load(_rules_file(tmp_path, {"rule.placeholder": {"severity": "notice"}}, name="o.csv"))
    assert not other.made_under(_whole_digest(table))


# 2: the same decisions written otherwise, the same digest -------------------------------------------------------
def _placeholder_texts(order):
    def edit(r):
        if r[0] == "rule.placeholder":
            d = json.loads(r[3])
            d["texts"] = order(d["texts"])
            r[3] = json.dumps(d, ensure_ascii=False)
        return r
    return edit


def test_the_same_decisions_written_otherwise_give_the_same_digest(tmp_path):
    base = {"rule.placeholder": {"severity": "error"}, "monitor.expected_short": {}}
    a = RuleTable.load(_rules_file(tmp_path, base, name="a.csv")).digest()
    same = [
        _rules_file(tmp_path, base, name="sorted.csv", edit=_placeholder_texts(sorted)),
        _rules_file(tmp_path, base, name="reversed.csv", edit=_placeholder_texts(lambda t: t[::-1] + t[:1])),
        _rules_file(tmp_path, {**base, "monitor.expected_short": {"params": ""}}, name="default.csv"),
        _rules_file(tmp_path, {**base, "monitor.expected_short": {"params": '{"tolerance": 0.0}'}}, name="float.csv"),
    ]
    assert [RuleTable.load(p).digest() for p in same] == [a] * len(same)
    differ = [
        _rules_file(tmp_path, base, name="more.csv", edit=_placeholder_texts(lambda t: t + ["不详"])),
        _rules_file(tmp_path, {**base, "monitor.expected_short": {"params": '{"tolerance": 0.1}'}}, name="tol.csv"),
        _rules_file(tmp_path, {**base, "rule.placeholder": {"severity": "warning"}}, name="sev.csv"),
        _rules_file(tmp_path, {**base, "rule.placeholder": {"severity": "off"}}, name="off.csv"),
    ]
    digests = [RuleTable.load(p).digest() for p in differ]
    assert a not in digests and len(set(digests)) == len(digests)


# 3: defaults checks every target before writing any, and leaves nothing of a run that fails ----------------------
def _tree(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("blocker", ["weights", "frameworks", "rules.csv", "weights/national-2021.json"])
def test_defaults_blocked_by_a_later_target_writes_nothing(tmp_path, blocker):
    out = tmp_path / "本局表格"
    (out / blocker).mkdir(parents=True)  # a folder where a file goes, or (weights, frameworks) made a file below
    if blocker in ("weights", "frameworks"):
        (out / blocker).rmdir()
        (out / blocker).write_text("一个文件", encoding="utf-8")
    before = _tree(out)
    res = cli("defaults", "--out-dir", out)
    assert res.exit_code == 2 and blocker.split("/")[0] in res.stderr, res.output
    assert _tree(out) == before
    assert "Traceback" not in res.output


def test_defaults_without_force_refuses_a_later_existing_file_and_writes_nothing(tmp_path):
    out = tmp_path / "本局表格"
    (out / "weights").mkdir(parents=True)
    (out / "weights" / "national-2021.json").write_text("{}", encoding="utf-8")
    res = cli("defaults", "--out-dir", out)
    assert res.exit_code == 2 and "national-2021.json" in res.stderr and "--force" in res.stderr, res.output
    assert _tree(out) == ["weights", "weights/national-2021.json"]


def test_defaults_failing_while_renaming_into_place_leaves_nothing_of_the_run(tmp_path, monkeypatch):
    import os

    from xlgoals import _atomic
    from xlgoals._errors import OutputError
    from xlgoals._write._packaged import write_defaults

    out = tmp_path / "新文件夹" / "本局表格"
    real, calls = os.replace, []

    def replace_until_the_fourth(src, dst):
        calls.append(dst)
        if len(calls) == 4:
            raise OSError(28, "No space left on device", str(src))
        return real(src, dst)

    monkeypatch.setattr(_atomic.os, "replace", replace_until_the_fourth)
    with pytest.raises(OutputError) as caught:
        write_defaults(out)
    assert len(calls) == 4
    assert not (tmp_path / "新文件夹").exists(), _tree(tmp_path)
    assert "已写入" not in str(caught.value) and "未留下任何文件" in str(caught.value)
    # with --force over an earlier export, a file it replaced is put back as it was
    monkeypatch.setattr(_atomic.os, "replace", real)
    write_defaults(out)
    (out / "rules.csv").write_bytes(b"code\n")
    calls.clear()
    monkeypatch.setattr(_atomic.os, "replace", replace_until_the_fourth)
    with pytest.raises(OutputError):
        write_defaults(out, force=True)
    assert (out / "rules.csv").read_bytes() == b"code\n" and (out / "frameworks").is_dir()


# 4: the CSV tables with a BOM, as Excel on a Chinese Windows needs -------------------------------------------------
def test_defaults_writes_its_csv_tables_with_a_bom_and_they_load(tmp_path):
    out = tmp_path / "本局表格"
    assert cli("defaults", "--out-dir", out).exit_code == 0
    for name in ("rules.csv", "scoring.csv"):
        data = (out / name).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and not data.startswith(b"\xef\xbb\xbf" * 2)
        assert data[3:] == (ROOT / "schema" / name).read_bytes().removeprefix(b"\xef\xbb\xbf")
    assert not (out / "review.json").read_bytes().startswith(b"\xef\xbb\xbf")
    table = RuleTable.load(out / "rules.csv")
    assert len(table) == len(RuleTable.default()) and not table.decides_otherwise()
    res = cli("frameworks", "--rules", out / "rules.csv")
    assert res.exit_code == 0 and "检查通过" in res.stdout, res.output


# also: an empty --out-dir is refused, not taken as the current folder -------------------------------------------
@pytest.mark.parametrize("args", [("defaults",), ("template", "--prefill", ROOT / "examples" / "projects.csv")])
def test_an_empty_out_dir_is_refused(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    res = cli(*args, "--out-dir", "")
    assert res.exit_code == 2 and "输出文件夹不能为空" in res.stderr, res.output
    assert list(tmp_path.iterdir()) == []


# 5: review.satisfaction_low's example target rises with the floor ----------------------------------------------
def test_the_satisfaction_example_is_ten_above_the_floor_at_most_95_never_below_it():
    from decimal import Decimal

    from xlgoals._review._checks import satisfaction_example

    floors = [Decimal(n) / 2 for n in range(2, 201)]  # 1, 1.5, … 100
    examples = [satisfaction_example(f) for f in floors]
    assert all(b >= a for a, b in zip(examples, examples[1:]))  # monotonic
    assert all(e >= f for f, e in zip(floors, examples))  # never below the floor
    assert all(e == min(f + 10, 95) for f, e in zip(floors, examples) if f <= 95)
    assert {int(f): e for f, e in zip(floors, examples) if f in (80, 84, 85, 86, 95, 97, 100)} == \
        {80: 90, 84: 94, 85: 95, 86: 95, 95: 95, 97: 97, 100: 100}


@pytest.mark.parametrize("floor, shown", [(80, "90"), (86, "95"), (95, "95"), (97, "97")])
def test_the_satisfaction_message_gives_that_example(tmp_path, floor, shown):
    from xlgoals import validate_document

    doc = json.loads((ROOT / "examples" / "json" / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))
    like = next(i for i in doc["indicators"] if "满意" in (i.get("level2") or ""))
    doc["indicators"].append({**like, "name": "服务对象满意度", "comparator": ">=", "value": 70, "unit": "%"})
    rules = _rules_file(tmp_path, {"review.satisfaction_low": {"params": json.dumps({"floor": floor})}})
    said = [p for p in validate_document(doc, rules=rules, review=True) if p.code == "review.satisfaction_low"]
    assert said and all(f"如 ≥ {shown} %" in p.message for p in said), [p.message for p in said]


def test_the_defaults_filled_in_a_decision_are_optional_parameters_of_their_kinds():
    from xlgoals._check._rules import CHECKS

    for (kind, name), value in _ruletable._DEFAULTS.items():
        assert kind in CHECKS and CHECKS[kind].params.get(name, (None, True))[1] is False, (kind, name)
    # a parameter named set-like is a list wherever a kind declares it
    for kind in CHECKS.values():
        for name, (ptype, _) in kind.params.items():
            if name in _ruletable._SET_LIKE:
                assert ptype in ("strs", "pointers"), (kind.name, name, ptype)
