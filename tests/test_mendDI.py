"""mendDI: regressions of session 28's first merges — an old stamp under a copy of ``xlgoals defaults`` lowering
*.targets_unmatched (its *.targets_refused row as copied), a severity_of error's location, and the summary's
indicator rows printing a return's names under a filter."""

from __future__ import annotations

import csv
import json

from tests.conftest import EXAMPLES
from tests.helpers import bureau_rules_file

_UNMATCHED = ("self.targets_unmatched", "monitor.targets_unmatched")
_REFUSED = ("self.targets_refused", "monitor.targets_refused")


# 1. a stamp made before rows followed another's severity still matches the same table ------------------------------

def _old_copy(tmp_path, lowered=True):
    """A copy of ``xlgoals defaults`` as the session-start code wrote it (the *.targets_refused rows without
    parameters: severity_of was not packaged then), *.targets_unmatched lowered to notice (with `lowered`)."""
    changes = {c: {"params": ""} for c in _REFUSED}
    if lowered:
        changes.update({c: {"severity": "notice"} for c in _UNMATCHED})
    return bureau_rules_file(tmp_path, changes, every=True)


def _old_stamp(path) -> str:
    """The stamp the session-start code (3482d68) recorded for the table of `path`: the digest of each row as its
    file gives it (its own severity: no row followed another), ``.``, the digest of the rows deciding otherwise
    than the packaged rows as the file gives them."""
    from xlgoals._check import _ruletable

    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    packaged = {r["code"]: r for r in csv.DictReader(open(_ruletable.data_dir("schema") / "rules.csv",
                                                           encoding="utf-8-sig"))}

    def decision(r):
        params = json.loads(r["params"]) if r["params"] else {}
        params.pop("severity_of", None)
        return [r["code"], r["severity"], r["check"], _ruletable._canonical(r["check"], params, True)]

    whole = _ruletable._digest_of([decision(r) for r in sorted(rows, key=lambda r: r["code"])])
    differing = _ruletable._digest_of([decision(r) for r in sorted(rows, key=lambda r: r["code"])
                                       if r["code"] not in packaged or decision(packaged[r["code"]]) != decision(r)])
    return f"{whole}.{differing}"


def test_an_old_stamp_under_a_defaults_copy_lowering_unmatched_still_matches(tmp_path):
    from xlgoals._check._ruletable import RuleTable

    copy = _old_copy(tmp_path)
    table = RuleTable.load(copy)
    assert table["self.targets_refused"].severity == "notice"  # (it follows, today)
    stamp = _old_stamp(copy)
    whole, differing = stamp.split(".")
    # the rows deciding otherwise, as the session-start code stamped them (its output for such a copy)
    assert differing == "acae3a935eb3"
    assert table.made_under(whole) and table.made_under(differing) and table.made_under(stamp)
    # new stamps keep today's digests (the refused rows following), and still match
    assert table.stamped() != stamp and table.made_under(table.stamped())
    # another table is not taken for it: the unedited copy, and a copy lowering only the self row
    (tmp_path / "u").mkdir()
    (tmp_path / "s").mkdir()
    assert not RuleTable.load(_old_copy(tmp_path / "u", lowered=False)).made_under(stamp)
    one = bureau_rules_file(tmp_path / "s", {**{c: {"params": ""} for c in _REFUSED},
                                             "self.targets_unmatched": {"severity": "notice"}}, every=True)
    assert not RuleTable.load(one).made_under(stamp)


def test_a_document_of_an_old_template_under_the_same_copy_says_nothing(tmp_path):
    import xlgoals

    copy = _old_copy(tmp_path)
    doc = xlgoals.read(EXAMPLES / "returns" / "01_筹办第46届世界技能大赛.xlsx").document
    doc["made_with"] = {"rules": _old_stamp(copy)}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    def other(rules):
        return [p.code for p in xlgoals.validate([path], rules=str(rules)).problems()
                if p.code == "template.other_rules"]

    assert other(copy) == []
    (tmp_path / "u").mkdir()
    assert other(_old_copy(tmp_path / "u", lowered=False)) == ["template.other_rules"]


# 3. a severity_of error says where as every other rules.csv error does -------------------------------------------

def test_a_severity_of_error_says_the_line_as_the_files_other_errors(tmp_path):
    import pytest

    from xlgoals._check._ruletable import RuleTable
    from xlgoals._errors import ConfigError
    from xlgoals._text import in_lang

    for value in ('"nosuch.code"', "5"):
        path = bureau_rules_file(tmp_path, {"self.targets_refused": {"params": '{"severity_of": %s}' % value}},
                                 name=f"r{value[:2].strip(chr(34))}.csv", every=True)
        line = next(i for i, r in enumerate(csv.reader(open(path, encoding="utf-8")), 1)
                    if r[0] == "self.targets_refused")
        with pytest.raises(ConfigError) as e:
            RuleTable.load(path)
        zh, en = str(e.value.args[0]), in_lang(e.value.args[0], "en")
        assert zh.startswith(f"{path} 第 {line} 行："), zh
        assert en.startswith(f"{path} line {line}: "), en
        assert f"{path}:{line}" not in zh + en


# 2. a row the 〃 rule shows a return's names on under a filter is as tall as the names need -------------------------

_ITEMS = {"returns": "绩效指标", "monitoring": "指标监控", "self-evaluation": "指标完成"}


def test_a_row_showing_its_names_under_a_filter_prints_them_whole(tmp_path):
    """Filtered on 一级指标 = 效果目标, a row whose row above is hidden shows its unit and project again
    (SUBTOTAL(103, …) of the row above): every row is as tall as its names need, so that
    筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费 prints whole (it printed 筹办第46届世界技能大赛专, one line)."""
    import openpyxl

    from xlgoals import consolidate
    from xlgoals._consolidate._tables import INDICATORS
    from xlgoals._consolidate._xlsxrows import row_height
    from tests.helpers import ooxml_errors
    from tests.test_mendDC import _ditto_rows

    out = tmp_path / "s.xlsx"
    consolidate([EXAMPLES / "json"], out, jobs=1)
    assert ooxml_errors(out) == []
    ws = openpyxl.load_workbook(out)["绩效指标"]
    widths = list(INDICATORS.widths)
    heads = [c.value for c in ws[1]]
    key, level1 = heads.index("SHA-256") + 1, heads.index("一级指标") + 1
    assert _ditto_rows(ws)  # (the sheet has the 〃 rule)
    shown_again = []
    for r in range(3, ws.max_row + 1):
        values = [c.value for c in ws[r]][:len(widths)]
        names = row_height(values, widths)
        under_filter = ws.cell(r, level1).value == "效果目标" and ws.cell(r - 1, level1).value != "效果目标" \
            and ws.cell(r, key).value == ws.cell(r - 1, key).value
        if under_filter:
            shown_again.append((r, values[1]))
        assert ws.row_dimensions[r].height == names, (r, values[:3], ws.row_dimensions[r].height, names)
    long_name = "筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费"
    assert any(name == long_name for _, name in shown_again), shown_again
