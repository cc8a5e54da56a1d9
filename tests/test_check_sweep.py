"""The sweep (one generated pass over a document's rows, from the check kinds' `row`/`head` expressions) runs only the
checks that may find something: what the rules report is what every check run over the document reports, on
returns with and without faults, of every form."""

import copy
import json
import random

import pytest

from xlgoals import FORMS, Config
from xlgoals._check._rules import CHECKS, _blank, _blanks
from xlgoals._check._validate import _run, _scalar_items, check_env
from xlgoals._pointers import get

from .conftest import EXAMPLES

CONFIG = Config.load()
_DOCS = [d for d in (json.loads(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.rglob("*.json")))
         if isinstance(d, dict) and "framework" in d]  # the returns among them (not a review's expected findings)
_VALUES = [None, "", " ", "\u200b", "\u3000", "中", "abc", "1.5", "*", "无", 0, -1, 0.001, 1.5, 3.333, 9.995, 10, 50, 95,
           100, 130, 1e9, True, "achieved", "partly", "not_achieved", ">=", "<=", "=", ">", "<", "qualitative",
           "产出指标", "效益指标", "数量指标", "%", "人", "2021-03-01", "2030-01-01", [], {}]


def _mutated(doc: dict, rng: random.Random) -> dict:
    d = copy.deepcopy(doc)
    items = d.get("indicators") if isinstance(d.get("indicators"), list) else []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.6 and items:
            it = rng.choice(items)
            key = rng.choice(sorted(it) + ["score", "actual", "grade", "deviation", "points", "value", "text", "weight",
                                           "unit", "comparator", "level1", "level2", "name"])
            v = it.get(key)
            if rng.random() < 0.2:
                it.pop(key, None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and rng.random() < 0.6:
                it[key] = round(v * rng.choice([0, 0.5, 0.9, 0.999, 1.001, 1.3, 1.5, 2, -1]), rng.choice([0, 2, 4]))
            elif key == "name" and rng.random() < 0.5:
                it[key] = rng.choice(items).get("name")  # a name twice
            else:
                it[key] = rng.choice(_VALUES)
        elif roll < 0.85:
            block = d.get(rng.choice(["funds", "budget", "overall", "contact", "project"]))
            if isinstance(block, dict) and block:
                key = rng.choice(sorted(block) + ["sources", "deviation", "score", "points"])
                v = block.get(key)
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    block[key] = round(v * rng.choice([0, 0.5, 0.85, 1.01, 2]), 2)
                elif key == "sources":
                    block[key] = {"fiscal": {"initial_budget": 1, "full_year_budget": 2, "executed": 1}}
                else:
                    block[key] = rng.choice(_VALUES)
        elif roll < 0.92 and items:
            items.append(copy.deepcopy(rng.choice(items)))
        elif items:
            items.pop(rng.randrange(len(items)))
    return d


def _found(doc, swept: bool):
    form_id = doc.get("form") if doc.get("form") in FORMS else "goal-table"
    form = FORMS[form_id].for_document(doc)
    doc = _scalar_items(doc, form)  # as validate_document gives the rules a document (no list where a cell is)
    env = check_env(doc, CONFIG, form)
    if env is None:
        return None
    checks, sweep = CONFIG.rules.checks_for(form.id)
    return [(p.code, p.path, p.message, p.message_en, p.expected, str(p.value))
            for p in _run((checks, sweep if swept else None), doc, env)]


def test_every_form_has_a_sweep():
    for form_id in FORMS:
        checks, sweep = CONFIG.rules.checks_for(form_id)
        assert sweep is not None, form_id
        assert all(CHECKS[rd.check].forms is None or form_id in CHECKS[rd.check].forms for rd, _, _ in checks)


@pytest.mark.parametrize("n", range(len(_DOCS)))
def test_the_sweep_leaves_out_no_problem(n):
    rng = random.Random(n)
    said = 0
    for _ in range(120):
        doc = _mutated(_DOCS[n], rng)
        expected = _found(doc, swept=False)
        assert _found(doc, swept=True) == expected
        said += bool(expected)
    assert said  # the mutations gave the rules something to say


def test_a_clean_return_runs_no_row_check_and_a_fault_runs_its_own():
    doc = next(d for d in _DOCS if d.get("form") == "self-evaluation")
    form = FORMS["self-evaluation"].for_document(doc)
    checks, sweep = CONFIG.rules.checks_for(form.id)
    swept = [rd.code for (rd, _, _), may in zip(checks, sweep(doc, check_env(doc, CONFIG, form)))
             if CHECKS[rd.check].row and may]
    assert swept == []
    wrong = copy.deepcopy(doc)
    row = next(it for it in wrong["indicators"] if it["comparator"] != "qualitative")
    row["score"] = row["points"] / 2  # a 得分 that is not the recomputed one, and no 偏差原因
    row["deviation"] = None
    swept = [rd.code for (rd, _, _), may in zip(checks, sweep(wrong, check_env(wrong, CONFIG, form)))
             if CHECKS[rd.check].row and may]
    assert "self.score_mismatch" in swept and "self.total_mismatch" in swept
    assert "self.actual_missing" not in swept and "rule.level1_unknown" not in swept


def test_blank_paths_are_those_get_and_blank_find():
    paths = ("/unit", "/project/name", "/funds/sources/fiscal/executed", "/indicators/0/name", "/x/0", "/")
    for value in _VALUES + [{"name": " "}, {"name": "x"}, [{"name": ""}]]:
        for doc in ({"unit": value, "project": {"name": value}, "indicators": [{"name": value}], "x": [value]},
                    {"unit": {"a": value}, "project": value, "funds": {"sources": {"fiscal": {"executed": value}}},
                     "indicators": value, "": value}):
            assert list(_blanks(paths)(doc)) == [p for p in paths if _blank(get(doc, p))]


def _may(doc) -> set:
    """The codes of the checks the sweep says may find something in `doc`, among those it tests (row or head)."""
    form = FORMS[doc.get("form", "goal-table")].for_document(doc)
    checks, sweep = CONFIG.rules.checks_for(form.id)
    return {rd.code for (rd, _, _), may in zip(checks, sweep(doc, check_env(doc, CONFIG, form)))
            if (CHECKS[rd.check].row or CHECKS[rd.check].head) and may}


def test_a_clean_return_runs_no_funds_or_compare_check_and_a_fault_runs_its_own():
    """The checks outside the rows (the budget and dates compared, the funds' breakdown, 执行率, a score over a budget
    of 0) are not run on a return where they have nothing to say, nor the other forms' (monitor.* on a
    self-evaluation: their values absent); each runs where its fault is."""
    doc = next(d for d in _DOCS if d.get("form") == "self-evaluation")  # (its 财政拨款 the whole of its funds)
    heads = {"self.funds_breakdown", "self.funds_unscorable", "self.execution_unexplained", "self.budget_zero",
             "self.executed_over_budget", "monitor.expected_over_budget", "monitor.executed_over_budget"}
    assert not _may(doc) & heads
    for change, code in (
            (lambda d: d["funds"].update(sources={"fiscal": {"executed": 1}}), "self.funds_breakdown"),
            (lambda d: d["funds"]["sources"].update(other={"executed": 0}), "self.funds_breakdown"),
            (lambda d: d["funds"].update(executed=d["funds"]["full_year_budget"] / 2), "self.execution_unexplained"),
            (lambda d: d["funds"].update(executed=d["funds"]["full_year_budget"] * 2), "self.executed_over_budget"),
            (lambda d: d["funds"].update(full_year_budget=0, executed=5), "self.budget_zero"),
            (lambda d: d["funds"].update(full_year_budget=0, executed=0, score=5), "self.funds_unscorable")):
        wrong = copy.deepcopy(doc)
        change(wrong)
        assert code in _may(wrong), code
    # a rule naming fields of another form does not run on a self-evaluation at all (mendBO), even where a
    # document carries such a value
    wrong = copy.deepcopy(doc)
    wrong["funds"].update(expected_full_year=wrong["funds"]["full_year_budget"] * 2)
    assert "monitor.expected_over_budget" not in {rd.code for rd, _, _ in CONFIG.rules.checks_for("self-evaluation")[0]}
    assert not _may(wrong) & {"monitor.expected_over_budget"}
    goal = next(d for d in _DOCS if d.get("form", "goal-table") == "goal-table")
    assert not _may(goal) & {"rule.current_le_total", "rule.date_order", "monitor.expected_over_budget"}
    wrong = copy.deepcopy(goal)
    wrong["project"]["start_date"], wrong["project"]["end_date"] = wrong["project"]["end_date"], "2000-01-01"
    assert "rule.date_order" in _may(wrong)


def test_a_clean_return_runs_no_required_level1_or_points_check_and_a_fault_runs_its_own():
    """rule.required_field, rule.level1_required and self.points_total have a test in the sweep: not run on a return
    where each has nothing to say, run where its fault is (and what they say is what they say unswept)."""
    tested = {"rule.required_field", "rule.level1_required", "self.points_total"}
    doc = next(d for d in _DOCS if d.get("form") == "self-evaluation")
    assert not _may(doc) & tested
    assert _found(doc, swept=True) == _found(doc, swept=False)
    for change, code in (
            (lambda d: d["project"].update(name=" "), "rule.required_field"),
            (lambda d: d.update(indicators=[it for it in d["indicators"] if it["level1"] != d["indicators"][0]["level1"]]),
             "rule.level1_required"),
            (lambda d: d["indicators"][0].update(points=d["indicators"][0]["points"] + 1), "self.points_total"),
            (lambda d: d["funds"].update(points=d["funds"]["points"] - 1), "self.points_total")):
        wrong = copy.deepcopy(doc)
        change(wrong)
        assert code in _may(wrong), code
        assert code in {c for c, *_ in _found(wrong, swept=True)}, code
        assert _found(wrong, swept=True) == _found(wrong, swept=False)
    goal = next(d for d in _DOCS if d.get("form", "goal-table") == "goal-table")
    assert not _may(goal) & tested


def test_an_expression_that_raises_runs_its_own_check_only():
    """A value one kind's test cannot take (a 一级指标 that is an object, in a library caller's document: no key of the
    framework's 二级 lists) runs that kind's check and those the row's other faults call for, not every check."""
    doc = next(d for d in _DOCS if d.get("form") == "self-evaluation")
    wrong = copy.deepcopy(doc)
    wrong["indicators"][1]["level1"] = {"a": 1}
    form = FORMS["self-evaluation"].for_document(wrong)
    checks, sweep = CONFIG.rules.checks_for(form.id)
    may = sweep(wrong, check_env(wrong, CONFIG, form))
    assert may is not None
    ran = {rd.code for (rd, _, _), m in zip(checks, may) if m and (CHECKS[rd.check].row or CHECKS[rd.check].head)}
    assert "rule.level2_mismatch" in ran
    assert not ran & {"rule.duplicate_name", "self.funds_breakdown", "self.actual_missing", "self.score_mismatch"}
    assert _found(wrong, swept=True) == _found(wrong, swept=False)


def test_a_clean_monitoring_report_runs_no_row_or_schedule_check_and_a_fault_runs_its_own():
    """The monitoring report's kinds (the time schedule, expected shortfalls, hundredfold percents, unlikely rows
    without a reason, rows left blank or with text for a number) have tests in the sweep: none runs on a report where
    it has nothing to say; each runs where its fault is, saying what it says unswept."""
    tested = {"monitor.behind_schedule", "monitor.expected_short", "monitor.unlikely_without_reason",
              "monitor.row_missing", "monitor.not_number", "monitor.percent_hundredfold"}
    doc = next(d for d in _DOCS if d.get("form") == "monitoring" and not _found(d, swept=False))
    assert not _may(doc) & tested
    quantitative = next(i for i, it in enumerate(doc["indicators"]) if it.get("comparator") in (">=", ">", "="))
    percent = next((i for i, it in enumerate(doc["indicators"]) if it.get("unit") == "%"
                    and it.get("comparator") in (">=", ">", "=")), None)

    def row(d, i=quantitative):
        return d["indicators"][i]
    changes = [
        (lambda d: d["funds"].update(executed_to_date=0), "monitor.behind_schedule"),
        (lambda d: row(d).update(expected=0, deviation=None, deviation_category=None), "monitor.expected_short"),
        (lambda d: row(d).update(likelihood="impossible", deviation=None), "monitor.unlikely_without_reason"),
        (lambda d: row(d).update(expected=None), "monitor.row_missing"),
        (lambda d: row(d).update(expected="大约一半"), "monitor.not_number")]
    if percent is not None:
        changes.append((lambda d: row(d, percent).update(expected=row(d, percent)["value"] * 100),
                        "monitor.percent_hundredfold"))
    for change, code in changes:
        wrong = copy.deepcopy(doc)
        change(wrong)
        assert code in _may(wrong), code
        assert _found(wrong, swept=True) == _found(wrong, swept=False)
