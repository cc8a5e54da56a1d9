"""perfCB: a rule of a check kind the self-evaluation and the monitoring report share (actual_range,
actual_negative) runs on a form only with the item keys it names that are that form's: monitor.* (完成情况, keys
progress and expected) is never said of a self-evaluation, nor self.* (实际完成值, key actual) of a monitoring report,
even where a JSON document holds such a key (its schema error, schema.other, says so once).  (The self-evaluation's
sweep no longer goes over the monitoring report's keys for every row of every return.)"""

from __future__ import annotations

import json

import pytest

import xlgoals
from xlgoals import Config

from .conftest import EXAMPLES

SE_JSON = EXAMPLES / "self-evaluation/02_促进就业专项资金.json"
MON_JSON = next(iter(sorted((EXAMPLES / "monitoring").glob("02_*.json"))))


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _row(doc, unit="%"):
    return next(i for i, ind in enumerate(doc["indicators"])
                if ind.get("comparator") in (">=", ">", "<=", "<", "=") and ind.get("unit") == unit)


def test_a_self_evaluation_row_holding_a_monitoring_key_gets_no_monitoring_warning():
    doc = _load(SE_JSON)
    i = _row(doc)
    doc["indicators"][i].update(progress=500, expected=-3)  # keys of the monitoring report's rows, not this form's
    found = xlgoals.validate_document(doc)
    codes = {p.code for p in found}
    assert not {c for c in codes if c.startswith("monitor.")}, sorted(codes)
    # the key is still said to be no field of the form (once, by the schema)
    assert {p.path for p in found if p.code == "schema.other"} >= {f"/indicators/{i}/progress",
                                                                    f"/indicators/{i}/expected"}


def test_a_monitoring_row_holding_a_self_evaluation_key_gets_no_self_evaluation_warning():
    doc = _load(MON_JSON)
    i = _row(doc)
    doc["indicators"][i].update(actual=-500)
    codes = {p.code for p in xlgoals.validate_document(doc)}
    assert not {c for c in codes if c.startswith("self.")}, sorted(codes)


@pytest.mark.parametrize("form, own, other", [("self-evaluation", "self.", "monitor."),
                                              ("monitoring", "monitor.", "self.")])
def test_each_form_runs_its_own_row_range_rules_only(form, own, other):
    checks, _ = Config.load().rules.checks_for(form)
    codes = {rd.code for rd, _, _ in checks if rd.check in ("actual_range", "actual_negative")}
    assert codes and all(c.startswith(own) for c in codes), codes


def test_a_bureaus_rule_naming_keys_of_both_forms_runs_on_each_with_its_own(tmp_path):
    from .helpers import bureau_rules, packaged_rule

    row = packaged_rule("self.actual_negative", params=json.dumps({"keys": ["actual", "progress"]}))
    row[0] = "bureau.any_negative"
    rules = bureau_rules(tmp_path / "rules.csv", row)
    table = xlgoals.Config.load(rules=rules).rules
    for form, key in (("self-evaluation", ["actual"]), ("monitoring", ["progress"])):
        found = [params for rd, params, _ in table.checks_for(form)[0] if rd.code == "bureau.any_negative"]
        assert [p["keys"] for p in found] == [key], form
