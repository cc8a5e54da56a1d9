"""Messages and printed texts that must be true of the data in force (msgs4).

* The self-evaluation guide printed 执行率低于 90%、超过目标 30% 及以上、2 倍、80%–100% … as fixed words, while those
  numbers are rule parameters (``self.execution_unexplained``'s min_rate, ``self.deviation_missing``'s over) and
  scoring rows (``schema/scoring.csv``): a bureau's --rules changed the checks, not the guide.
* ``monitor.percent_hundredfold``'s title said 100 倍 for any factor.
* Two percent_hundredfold rules in force (a bureau's added one of another factor): ``monitor.expected_short`` asked
  whether the first rule's value was meant while the other rule's warning asked about its own, at the same cell.
* ``review.target_below_last_year`` wrote targets “>85%” (ASCII), not as the goal table shows them (＞85%), and was
  titled 目标低于上年 for a target equal to last year's (flag_equal).
* ``review.rate_qualitative`` / ``review.unit_mismatch`` said 应补尽补率（%） ends in 率.
"""

from __future__ import annotations

import copy
import json
import shutil

import openpyxl

from xlgoals import read, validate_document, validate_file
from xlgoals._config import Config

from .conftest import EXAMPLE_JSON, load
from .helpers import bureau_rules, example_return, packaged_rule, templates_from_sample_targets


def _guide_text(path) -> str:
    ws = openpyxl.load_workbook(path)["填表说明"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _self_evaluation_guide(tmp_path, rules=None) -> str:
    from xlgoals._selfeval._targets import self_evaluation_templates

    cfg = Config.load(rules)
    _, template, _ = templates_from_sample_targets(tmp_path, self_evaluation_templates, config=cfg)
    return _guide_text(template)


def test_the_self_evaluation_guide_says_the_packaged_rules_numbers(tmp_path):
    text = _self_evaluation_guide(tmp_path)
    assert "执行率低于 90% 时请填写偏差原因" in text, text
    assert "超过目标 30% 及以上的" in text, text
    assert "达到目标值 2 倍及以上得 0 分" in text, text
    assert "达成年度指标为分值的 80%–100%，部分达成为 60%–80%（不含 80%），未达成为 60% 以下" in text, text
    assert "90 分及以上为优，80–90 分为良，60–80 分为中，60 分以下为差" in text, text


def test_the_self_evaluation_guide_says_the_bureaus_rules_numbers(tmp_path):
    rules = bureau_rules(tmp_path / "本局规则.csv",
                         packaged_rule("self.execution_unexplained", params='{"min_rate": 0.85}'),
                         packaged_rule("self.deviation_missing", params='{"over": 1.5}'))
    text = _self_evaluation_guide(tmp_path, rules)
    assert "执行率低于 85% 时请填写偏差原因" in text and "90%" not in text, text
    assert "超过目标 50% 及以上的" in text and "30%" not in text, text


def test_the_guide_follows_the_scoring_table(tmp_path):
    """The 2 倍, the qualitative bands and the grades' totals come from scoring.csv's rows."""
    from xlgoals._form.self_evaluation import scoring_words
    from xlgoals._resources import data_dir
    from xlgoals._selfeval._scoring import ScoringTable

    text = (data_dir("schema") / "scoring.csv").read_text(encoding="utf-8")
    changed = (text.replace("actual < 2 * target", "actual < 3 * target")
               .replace("actual >= 2 * target", "actual >= 3 * target")
               .replace('"[0.8, 1]"', '"[0.75, 1]"').replace('"[0.6, 0.8)"', '"[0.5, 0.75)"')
               .replace('"[0, 0.6)"', '"[0, 0.5)"')
               .replace("total >= 90", "total >= 85"))
    path = tmp_path / "scoring.csv"
    path.write_text(changed, encoding="utf-8")
    words = scoring_words(ScoringTable.load(path))
    assert words["far_over"] == "3", words
    assert words["qualitative_bands"] == "达成年度指标为分值的 75%–100%，部分达成为 50%–75%（不含 75%），未达成为 50% 以下", \
        words
    assert words["grades"] == "85 分及以上为优，80–85 分为良，60–80 分为中，60 分以下为差", words


def test_the_hundredfold_title_is_true_for_any_factor(tmp_path):
    row = packaged_rule("monitor.percent_hundredfold", params=json.dumps(
        {"units": ["%"], "keys": ["progress", "expected"], "factor": 1000, "min_target": 10}))
    table = Config.load(bureau_rules(tmp_path / "rules.csv", row)).rules
    for rd in (table["monitor.percent_hundredfold"], Config.load(None).rules["monitor.percent_hundredfold"]):
        assert "100" not in rd.title_zh and "hundredfold" not in rd.title_en, (rd.title_zh, rd.title_en)


def _monitoring(**rows):
    doc = read(example_return("monitoring")).document
    for i, changes in rows.items():
        doc["indicators"][int(i.lstrip("r"))].update(changes)
    return doc


def _meant_values(problems) -> set[str]:
    """The values the problems ask whether were meant (是否应为 X / 如应为 X)."""
    import re

    return {m for p in problems for m in re.findall(r"(?:是否应为|如应为) ([0-9.]+)", p.message)}


def test_two_hundredfold_rules_ask_about_the_same_value(tmp_path):
    """The packaged rule (factor 100) and a bureau's added one (factor 10) over the expected value: 10000 on ＝100 %
    with no reason.  expected_short asked 如应为 100 (the first rule's) and the bureau's rule 是否应为 1000."""
    tenfold = packaged_rule("monitor.percent_hundredfold", params=json.dumps(
        {"units": ["%"], "keys": ["expected"], "factor": 10, "min_target": 10}))
    tenfold[0] = "bureau.percent_tenfold"
    rules = bureau_rules(tmp_path / "rules.csv", tenfold)
    doc = _monitoring(r12={"expected": 10000})
    on_row = [p for p in validate_document(doc, rules=rules) if p.path.startswith("/indicators/12/")]
    assert _meant_values(on_row) == {"100"}, [(p.code, p.message) for p in on_row]


def test_a_bureaus_factor_is_the_one_asked_about(tmp_path):
    """A bureau's rules file changing the factor to 10: both the shortfall and the warning ask about 10000 / 10."""
    row = packaged_rule("monitor.percent_hundredfold", params=json.dumps(
        {"units": ["%"], "keys": ["progress", "expected"], "factor": 10, "min_target": 10}))
    rules = bureau_rules(tmp_path / "rules.csv", row)
    doc = _monitoring(r12={"expected": 10000})
    on_row = [p for p in validate_document(doc, rules=rules) if p.path.startswith("/indicators/12/")]
    assert _meant_values(on_row) == {"1000"}, [(p.code, p.message) for p in on_row]
    doc = _monitoring(r12={"expected": 10000, "deviation_category": "other", "deviation": "统计口径调整，已核实。"})
    on_row = [p for p in validate_document(doc, rules=rules) if p.path.startswith("/indicators/12/")]
    assert _meant_values(on_row) == {"1000"}, [(p.code, p.message) for p in on_row]


def _previous(tmp_path, doc, last):
    folder = tmp_path / "上年"
    folder.mkdir(exist_ok=True)
    (folder / "prev.json").write_text(json.dumps(last, ensure_ascii=False), encoding="utf-8")
    return folder


def test_below_last_year_writes_targets_as_the_goal_table_shows_them(tmp_path):
    from xlgoals import fill

    doc = load(EXAMPLE_JSON[1])
    last = copy.deepcopy(doc)
    last["year"] = doc["year"] - 1
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "政策知晓率")
    doc["indicators"][i].update(comparator=">", value=80)
    last["indicators"][i].update(comparator=">", value=90)
    folder = _previous(tmp_path, doc, last)
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path, previous=[folder]).problems
            if p.code == "review.target_below_last_year" and p.path == f"/indicators/{i}/value"]
    assert "“＞80%”" in p.message and "“＞90%”" in p.message, p.message
    assert ">80" not in p.message and ">90" not in p.message, p.message


def test_below_last_year_title_is_true_of_an_equal_target():
    title = Config.load(None).rules["review.target_below_last_year"]
    assert "低于" not in title.title_zh and "weaker" not in title.title_en.lower(), (title.title_zh, title.title_en)


def test_a_name_with_a_trailing_unit_is_not_said_to_end_in_its_suffix(tmp_path):
    from xlgoals import fill

    doc = load(EXAMPLE_JSON[1])
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "应补尽补率（%）")
    doc["indicators"][i].update(comparator="qualitative", text="较好", unit=None)
    doc["indicators"][i].pop("value", None)
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path, review=True).problems
            if p.code == "review.rate_qualitative" and p.path == f"/indicators/{i}/text"]
    assert "“应补尽补率（%）”以“率”结尾" not in p.message, p.message
    assert "“应补尽补率（%）”除去末尾的“（%）”后以“率”结尾" in p.message, p.message
    assert "ends in '率' once its trailing '（%）' is set aside" in p.message_en, p.message_en
    doc["indicators"][i]["name"] = "应补尽补率"
    path = fill(doc, tmp_path / "r2.xlsx")
    (p,) = [p for p in validate_file(path, review=True).problems
            if p.code == "review.rate_qualitative" and p.path == f"/indicators/{i}/text"]
    assert "“应补尽补率”以“率”结尾" in p.message, p.message


def test_a_count_name_with_a_trailing_unit_is_not_said_to_end_in_its_suffix(tmp_path):
    from xlgoals import fill

    doc = load(EXAMPLE_JSON[1])
    i = next(i for i, it in enumerate(doc["indicators"]) if it["name"] == "应补尽补率（%）")
    doc["indicators"][i].update(name="培训人数（%）", comparator=">=", value=90, unit="%")
    path = fill(doc, tmp_path / "r.xlsx")
    (p,) = [p for p in validate_file(path, review=True).problems
            if p.code == "review.unit_mismatch" and p.path == f"/indicators/{i}/unit"]
    assert "“培训人数（%）”以“人数”结尾" not in p.message, p.message
    assert "“培训人数（%）”除去末尾的“（%）”后以“人数”结尾" in p.message, p.message


def test_template_rules_on_the_command_line_changes_the_printed_guide(tmp_path):
    """`xlgoals template --form self-evaluation --targets … --rules 本局规则.csv`: the guide the department prints
    says the bureau's 85 %, as `validate --rules` holds the return to it."""
    from .conftest import run_cli

    rules = bureau_rules(tmp_path / "本局规则.csv",
                         packaged_rule("self.execution_unexplained", params='{"min_rate": 0.85}'))
    src = tmp_path / "目标表"
    src.mkdir()
    shutil.copy(EXAMPLE_JSON[1], src / "目标表.json")
    done = run_cli("template", "--form", "self-evaluation", "--targets", src, "--out-dir", tmp_path / "out",
                   "--rules", rules)
    assert done.returncode == 0, done.stderr
    (made,) = sorted((tmp_path / "out").glob("*.xlsx"))
    text = _guide_text(made)
    assert "执行率低于 85% 时请填写偏差原因" in text and "超过目标 30% 及以上的" in text, text
