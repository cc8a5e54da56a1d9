"""review.copied_between_projects (mendAR): a goal table's indicators or narratives the same as another project's
return in the same run (validate --review on several files, consolidate --review), found where the workers' results
are gathered; never a project against itself or its duplicate, nor by the framework's prefilled rows alone."""

import copy
import json

import openpyxl
import pytest

from xlgoals import fill

from .conftest import EXAMPLE_JSON, cli, load
from .helpers import ind_cell, info_cell, ooxml_errors

CODE = "review.copied_between_projects"
FIRST_OWN = 9  # the seed 03's first row that is the department's (0-8: the nine 投入与管理 rows as prefilled)


@pytest.fixture
def base():
    return load(EXAMPLE_JSON[2])  # 职业培训基础能力建设资助


def _project(doc, name):
    d = copy.deepcopy(doc)
    d["project"]["name"] = name
    return d


def _validate(folder, tmp_path, *more, exit_code=0):
    out = tmp_path / "r.json"
    result = cli("validate", "--review", folder, "--format", "json", "-o", out, "--force", *more)
    assert result.exit_code == exit_code, result.output
    assert "Traceback" not in result.output
    return {f["path"].rsplit("/", 1)[-1]: f for f in json.loads(out.read_text(encoding="utf-8"))["files"]}


def _copied(f):
    return [p for p in f["problems"] if p["code"] == CODE]


def test_two_projects_with_the_same_indicators_and_texts_are_told_naming_each_other(base, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    fill(_project(base, "见习补贴项目"), folder / "甲.xlsx")
    fill(_project(base, "远程培训项目"), folder / "乙.xlsx")
    files = _validate(folder, tmp_path)
    a, b = _copied(files["甲.xlsx"]), _copied(files["乙.xlsx"])
    assert len(a) == len(b) == 2  # the indicator set, and the narratives (one notice naming every one)
    ind, texts = a
    assert (ind["sheet"], ind["cell"]) == ind_cell(FIRST_OWN, "name")  # at the first row the department wrote
    assert "全部 16 条三级指标及其目标值" in ind["message"]
    assert "项目“远程培训项目”（乙.xlsx）" in ind["message"]
    assert "项目“见习补贴项目”（甲.xlsx）" in b[0]["message"]
    assert (texts["sheet"], texts["cell"]) == info_cell("/project/overview")
    assert "“项目概况”" in texts["message"] and "“总目标及阶段性目标”" in texts["message"]
    assert ind["severity"] == texts["severity"] == "notice"
    # each costs its weight (5) in the score: the same return alone scores 10 more
    alone = tmp_path / "单独"
    alone.mkdir()
    fill(_project(base, "见习补贴项目"), alone / "甲.xlsx")
    assert _validate(alone, tmp_path)["甲.xlsx"]["review_score"] == files["甲.xlsx"]["review_score"] + 10


def test_json_documents_are_compared_too_and_the_text_report_names_the_file(base, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    for i, name in enumerate(["见习补贴项目", "职业训练营项目", "公共实训基地项目"]):
        (folder / f"{i}.json").write_text(json.dumps(_project(base, name), ensure_ascii=False), encoding="utf-8")
    files = _validate(folder, tmp_path)
    found = _copied(files["0.json"])
    assert [p["path"] for p in found] == [f"/indicators/{FIRST_OWN}/name", "/project/overview"]
    assert "项目“职业训练营项目”（1.json）等 2 个项目" in found[0]["message"]
    result = cli("validate", "--review", folder)
    assert CODE in result.output and "（1.json）" in result.output
    result = cli("validate", "--review", folder, "--lang", "en")
    assert "the same as in the return of the project '职业训练营项目' (1.json) and 1 other project(s)" in result.output


def test_a_project_returned_twice_is_no_copy_of_itself(base, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    fill(_project(base, "见习补贴项目"), folder / "甲.xlsx")
    fill(_project(base, "见习补贴项目"), folder / "甲（重报）.xlsx")
    files = _validate(folder, tmp_path)
    assert _copied(files["甲.xlsx"]) == _copied(files["甲（重报）.xlsx"]) == []


def test_different_indicators_or_texts_and_the_prefilled_rows_alone_are_no_copy(base, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    other = _project(base, "远程培训项目")
    other["indicators"][FIRST_OWN]["value"] = 4000  # one target of the department's differs
    fill(_project(base, "见习补贴项目"), folder / "甲.xlsx")
    fill(other, folder / "乙.xlsx")
    files = _validate(folder, tmp_path)
    assert [p["cell"] for p in _copied(files["乙.xlsx"])] == [info_cell("/project/overview")[1]]  # texts only
    # the texts written anew: nothing alike but the framework's nine prefilled rows, which are the bureau's
    for f in ("overview", "basis", "necessity", "safeguards", "plan", "goals"):
        if other["project"].get(f):
            other["project"][f] = f"远程培训项目的{f}：本项目自行撰写的内容，与其他项目不同。" * 2
    other["indicators"] = other["indicators"][:FIRST_OWN] + [
        {**it, "name": f"远程{it['name']}"} for it in other["indicators"][FIRST_OWN:]]
    fill(other, folder / "乙.xlsx", force=True)
    files = _validate(folder, tmp_path)
    assert _copied(files["甲.xlsx"]) == _copied(files["乙.xlsx"]) == []


def test_consolidate_review_lists_the_notice_and_score_and_leaves_a_duplicate_out(base, tmp_path):
    folder = tmp_path / "收件"
    folder.mkdir()
    fill(_project(base, "见习补贴项目"), folder / "甲.xlsx")
    fill(_project(base, "见习补贴项目"), folder / "甲（重报）.xlsx")  # a duplicate: not counted, not named
    fill(_project(base, "远程培训项目"), folder / "乙.xlsx")
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", "--review", folder, "-o", out)
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    ws = wb["审核"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("来源文件")]: r for r in ws.iter_rows(min_row=2, values_only=True)
            if r[head.index("来源文件")]}
    kept = next(n for n in ("甲.xlsx", "甲（重报）.xlsx") if rows.get(n) and rows[n][head.index("计入汇总")] == "是")
    b = rows["乙.xlsx"]
    tops = " ".join(str(v) for v in b[head.index("主要提示一"):head.index("主要提示三") + 1] if v)
    assert "本表的全部 16 条三级指标及其目标值" in tops and f"（{kept}）" in tops  # the duplicate is never named
    problems = [r for r in wb["校验结果"].iter_rows(values_only=True) if CODE in [str(v) for v in r]]
    assert sorted(r[1] for r in problems) == sorted([kept, kept, "乙.xlsx", "乙.xlsx"])  # none for the duplicate
    assert all("（乙.xlsx）" in r[9] for r in problems if r[1] == kept)
    # the score the summary gives is validate's
    files = _validate(folder, tmp_path)
    assert int(b[head.index("审核得分")]) == files["乙.xlsx"]["review_score"]
    assert ooxml_errors(out) == []


def test_readme_quotes_the_seeds_review_scores_of_a_real_run():
    """README said “On the seed: 70, 92, 79, 87, 79” while examples/README.md and the tests said 64, 89 …: the figures
    README quotes are those of the command it names, run now (as examples/README.md's 'Scores:' line)."""
    import re

    from .conftest import EXAMPLES

    root = EXAMPLES.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    quoted = re.search(r"seed(?: \(`validate --review examples/returns`\))?: ([\d, ]+) \(", readme)
    assert quoted, "README's line on the seed's review scores is gone or reworded"
    out = root / "examples" / "returns"
    from xlgoals import validate

    scores = [f.review_score for f in validate(out, review=True).files]
    assert quoted.group(1) == ", ".join(map(str, scores))
    examples = (root / "examples" / "README.md").read_text(encoding="utf-8")
    assert "Scores: " + ", ".join(f"0{i + 1} {s}" for i, s in enumerate(scores)) + "." in examples


def test_a_json_document_holding_what_no_cell_can_is_compared_as_the_rules_see_it(base, tmp_path):
    """A comparator given as a list (the schema's error) crashed the digest (unhashable list): the document was
    reported as unreadable instead of its schema errors."""
    folder = tmp_path / "收件"
    folder.mkdir()
    odd = _project(base, "见习补贴项目")
    odd["indicators"][12]["comparator"] = [">="]
    (folder / "0.json").write_text(json.dumps(odd, ensure_ascii=False), encoding="utf-8")
    (folder / "1.json").write_text(json.dumps(_project(base, "远程培训项目"), ensure_ascii=False), encoding="utf-8")
    files = _validate(folder, tmp_path, exit_code=1)  # (the schema's error fails it)
    codes = [p["code"] for p in files["0.json"]["problems"]]
    assert "file.bad_json" not in codes and "schema.enum" in codes
    assert [p["path"] for p in _copied(files["0.json"])] == ["/project/overview"]  # its rows differ: texts only


def test_a_bureau_raising_it_to_an_error_fails_the_copies_in_validate_and_consolidate(base, tmp_path):
    from .helpers import bureau_rules, packaged_rule

    rules = bureau_rules(tmp_path / "rules.csv", packaged_rule(CODE, severity="error", params='{"paths": ["/project/plan"]}'))
    folder = tmp_path / "收件"
    folder.mkdir()
    fill(_project(base, "见习补贴项目"), folder / "甲.xlsx")
    fill(_project(base, "远程培训项目"), folder / "乙.xlsx")
    files = _validate(folder, tmp_path, "--rules", rules, exit_code=1)
    found = _copied(files["甲.xlsx"])
    assert [(p["severity"], p["cell"]) for p in found] == [("error", ind_cell(FIRST_OWN, "name")[1]),
                                                            ("error", info_cell("/project/plan")[1])]
    out = tmp_path / "汇总.xlsx"
    result = cli("consolidate", "--review", folder, "-o", out, "--rules", rules)
    assert "计入 0 个项目" in result.output, result.output  # both fail now: neither is counted
    ws = openpyxl.load_workbook(out)["审核"]
    head = [c.value for c in ws[1]]
    states = {r[head.index("来源文件")]: r[head.index("校验状态")] for r in ws.iter_rows(min_row=2, values_only=True)
              if r[head.index("来源文件")]}
    assert states == {"甲.xlsx": "未通过", "乙.xlsx": "未通过"}
