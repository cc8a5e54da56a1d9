"""mendGD: season-of-use fixes for the bureau's daily commands (helper h33, session 33).

1. A self-evaluation's 填报日期 window (rule.report_date) runs from 1 December of the budget year to 30 June of the
   next year (it ran to 31 December of the next year).
2. 联系电话 with no digit at all (无, a name) is an error of its own, rule.phone_no_digits (rule.phone warned).
3. `consolidate --csv DIR` over another budget year's tables xlgoals wrote there is refused (exit 2, nothing
   written) as -o and --json refuse another year's summary; --force replaces them.
4. The review (validate --review) of a goal table with no indicator at all: not scored, review.no_indicators (it was
   scored as if fine).
5. `validate a b` naming two files of one return (the same unit and project, or the same bytes) says the duplicate
   (return.duplicate) as validate of their folder does (named files were left out of the duplicate rule).
"""

from __future__ import annotations

import json
from pathlib import Path

import xlgoals

from .conftest import EXAMPLE_JSON, EXAMPLES, cli, load


# 1. a self-evaluation's report-date window: 1 December of the budget year to 30 June of the next ------------------
def test_self_evaluation_report_date_window_ends_30_june_of_the_next_year(tmp_path):
    doc = load(EXAMPLES / "self-evaluation" / "02_促进就业专项资金.json")
    year = doc["year"]

    def warned(date):
        d = dict(doc, contact=dict(doc["contact"], date=date))
        path = tmp_path / f"{date}.json"
        path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        return [p for p in xlgoals.validate([path]).problems() if p.code == "rule.report_date"]

    for good in (f"{year}-12-01", f"{year + 1}-01-20", f"{year + 1}-06-30"):
        assert warned(good) == [], good
    for bad in (f"{year}-11-30", f"{year + 1}-07-01", f"{year + 1}-12-31"):
        (p,) = warned(bad)
        assert p.severity == "warning"
        assert f"{year}-12-01 至 {year + 1}-06-30" in p.message, p.message
        assert f"{year}-12-01 to {year + 1}-06-30" in p.message_en, p.message_en


# 2. 联系电话 with no digit at all: an error of its own ------------------------------------------------------------------
def _contact_problems(tmp_path, phone, rules=None):
    doc = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    doc["contact"] = dict(doc.get("contact") or {}, phone=phone)
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = xlgoals.validate([path], rules=rules) if rules else xlgoals.validate([path])
    return [p for p in report.problems() if p.path == "/contact/phone"]


def test_a_phone_with_no_digit_is_an_error_of_its_own(tmp_path):
    for text in ("无", "张三", "办公室电话", "——"):
        found = _contact_problems(tmp_path, text)
        assert [(p.code, p.severity) for p in found] == [("rule.phone_no_digits", "error")], (text, found)
        (p,) = found
        assert text in p.message and "数字" in p.message, p.message
        assert "digit" in p.message_en, p.message_en
    # a number with digits is still rule.phone's: a warning, or nothing where it is one
    assert [(p.code, p.severity) for p in _contact_problems(tmp_path, "12345")] == [("rule.phone", "warning")]
    assert _contact_problems(tmp_path, "021-12345678") == []
    assert _contact_problems(tmp_path, "１３８１２３４５６７８") == []  # full-width digits are digits


def test_a_bureau_table_with_phone_no_digits_off_keeps_rule_phone_warning(tmp_path):
    """A bureau turning rule.phone_no_digits off (or a table without it) still hears of 无 from rule.phone."""
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "本局规则.csv", packaged_rule("rule.phone_no_digits", severity="off"))
    assert [(p.code, p.severity) for p in _contact_problems(tmp_path, "无", rules=rules)] == [("rule.phone", "warning")]


# 3. --csv over another budget year's tables ---------------------------------------------------------------------------
def _year_inbox(tmp_path, year):
    inbox = tmp_path / f"收件箱{year}"
    inbox.mkdir(exist_ok=True)
    for src in EXAMPLE_JSON:
        doc = load(src)
        doc["year"] = year
        doc["project"]["start_date"], doc["project"]["end_date"] = f"{year}-01-01", f"{year}-12-31"
        (inbox / src.name).write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return inbox


def test_csv_folder_of_another_years_tables_is_not_replaced_without_force(tmp_path):
    tables = tmp_path / "表"
    r = cli("consolidate", _year_inbox(tmp_path, 2020), "-o", tmp_path / "2020.xlsx", "--csv", tables, "--jobs", "1")
    assert r.exit_code == 0, r.output
    before = {f.name: f.read_bytes() for f in tables.iterdir()}
    assert "2020" in before["汇总.csv"].decode("utf-8-sig")
    r = cli("consolidate", _year_inbox(tmp_path, 2020), "-o", tmp_path / "again.xlsx", "--csv", tables, "--jobs", "1")
    assert r.exit_code == 0, r.output  # the same year's tables: refreshed, as the daily run does
    before = {f.name: f.read_bytes() for f in tables.iterdir()}
    inbox = _year_inbox(tmp_path, 2021)
    r = cli("consolidate", inbox, "-o", tmp_path / "2021.xlsx", "--csv", tables, "--jobs", "1")
    assert r.exit_code == 2, r.output
    assert f"{tables}" in r.stderr and "2020 年度" in r.stderr and "2021 年度" in r.stderr and "--force" in r.stderr, \
        r.stderr
    assert "未写入任何文件" in r.stderr, r.stderr
    assert {f.name: f.read_bytes() for f in tables.iterdir()} == before
    assert not (tmp_path / "2021.xlsx").exists()
    r = cli("consolidate", inbox, "-o", tmp_path / "2021.xlsx", "--csv", tables, "--jobs", "1", "--lang", "en")
    assert r.exit_code == 2 and "budget year 2020" in r.stderr and "nothing written" in r.stderr, r.output
    r = cli("consolidate", inbox, "-o", tmp_path / "2021.xlsx", "--csv", tables, "--jobs", "1", "--force")
    assert r.exit_code == 0, r.output
    assert "2021" in (tables / "汇总.csv").read_text(encoding="utf-8-sig") and (tmp_path / "2021.xlsx").exists()


# 4. the review of a goal table with no indicators: not scored, review.no_indicators ---------------------------------
def test_a_goal_table_with_no_indicators_is_not_scored_by_the_review(tmp_path):
    doc = load(EXAMPLE_JSON[1])
    doc["indicators"] = []
    path = tmp_path / "无指标.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = xlgoals.validate([path], review=True)
    (f,) = report.files
    assert f.review_score is None
    assert [p.code for p in f.notices] == ["review.no_indicators"], [(p.code, p.message) for p in f.notices]
    (p,) = f.notices
    assert "绩效指标" in p.message and "未评分" in p.message, p.message
    assert "indicator" in p.message_en and "not scored" in p.message_en, p.message_en
    assert "rule.no_indicators" in [q.code for q in f.errors]  # the error stays as it was
    text = cli("validate", "--review", path).stdout
    assert "审核未评分（未填写绩效指标）" in text and "审核得分" not in text, text
    data = json.loads(cli("validate", "--review", "--format", "json", path).stdout)
    assert [x["review_unscored"] for x in data["files"]] == ["no_indicators"]
    # a goal table with indicators is scored as before; a blank one is still review.unfilled's alone
    (g,) = xlgoals.validate([EXAMPLE_JSON[1]], review=True).files
    assert isinstance(g.review_score, int) and "review.no_indicators" not in [q.code for q in g.notices]
    from xlgoals._form import GOAL_TABLE

    for f in GOAL_TABLE.fields:  # the narratives blank too: nothing the review reads is filled in
        if f.kind == "longtext" and not f.locked:
            doc["project"].pop(f.path.rsplit("/", 1)[1], None)
    (tmp_path / "空白.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    (b,) = xlgoals.validate([tmp_path / "空白.json"], review=True).files
    assert [q.code for q in b.notices] == ["review.unfilled"], [q.code for q in b.notices]


# 5. two named files of one return: the duplicate said as of their folder --------------------------------------------
def _dups(report):
    return sorted((Path(f.path).name, p.message) for f in report.files for p in f.problems if p.code == "return.duplicate")


def test_two_named_files_of_one_return_are_said_duplicate_as_in_a_folder(tmp_path):
    import shutil

    from .conftest import EXAMPLE_XLSX

    folder = tmp_path / "收件箱"
    folder.mkdir()
    doc = load(EXAMPLE_JSON[1])
    (folder / "v1.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    doc["project"]["overview"] = doc["project"]["overview"] + "（修改）"
    (folder / "v2.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    in_folder = _dups(xlgoals.validate([folder]))
    assert len(in_folder) == 1, in_folder
    named = _dups(xlgoals.validate([folder / "v1.json", folder / "v2.json"]))
    assert named == in_folder
    # the same bytes under two names: a workbook copied
    same = tmp_path / "同一"
    same.mkdir()
    for name in ("a.xlsx", "b.xlsx"):
        shutil.copy(EXAMPLE_XLSX[1], same / name)
    in_folder = _dups(xlgoals.validate([same]))
    assert len(in_folder) == 1, in_folder
    assert _dups(xlgoals.validate([same / "a.xlsx", same / "b.xlsx"])) == in_folder
    # one named file alone, and two projects named, say none
    assert _dups(xlgoals.validate([same / "a.xlsx", EXAMPLE_XLSX[2]])) == []
