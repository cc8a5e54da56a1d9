"""mendEE: the analyst's joins and counts across forms (red team ad, session 29).

1. One unit, one name, across forms: a unit's spellings that differ only in case (IT / it), dash (- — －) or width
   are one unit (name_key); one ``frames()`` call over goal tables and monitoring reports names it once for all
   forms (summary_unit), and every run gives the same key for it (frames' ``unit_key``, consolidate's 单位键), while
   units that really differ (一中心 / 二中心, 第1 / 第2) stay apart.
2. A duplicate's return.duplicate is one warning everywhere: validate, frames and consolidate's 警告数 (项目清单,
   校验结果); the self-evaluation's 项目得分 has a 警告数 column beside 错误数, as the other forms' tables have.
3. A folder of mixed forms is refused (exit 2) in a few lines: each form's count, up to three of its files, the way on.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from xlgoals import consolidate, frames, validate

from .conftest import EXAMPLE_JSON, EXAMPLES, cli, load
from .helpers import ooxml_errors

# (unit as typed, its key): the first three one unit, typed three ways (hyphen, em dash, en dash); the others each a unit of their own
IT = ("上海市IT-中心", "上海市it—中心", "上海市It–中心")
APART = ("上海市一中心", "上海市二中心", "上海市第1中心", "上海市第2中心")
IT_KEY = "上海市it-中心"


def _goal(i: int, unit: str) -> dict:
    doc = load(EXAMPLE_JSON[i % len(EXAMPLE_JSON)])
    doc["unit"], doc["project"]["name"] = unit, f"项目{i}"
    return doc


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    """g/: goal tables (JSON documents) of IT's three spellings (the dash one most often) and of four units apart;
    m/: a monitoring report of IT typed with the case and dash no goal table of it has most."""
    root = tmp_path_factory.mktemp("mendEE")
    (root / "g").mkdir()
    (root / "m").mkdir()
    units = [IT[1], IT[1], IT[1], IT[0], IT[2], *APART]
    for i, unit in enumerate(units):
        (root / "g" / f"g{i}.json").write_text(json.dumps(_goal(i, unit), ensure_ascii=False), encoding="utf-8")
    mon = load(EXAMPLES / "monitoring" / "02_促进就业专项资金.json")
    mon["unit"], mon["project"]["name"] = IT[0], "项目2"
    (root / "m" / "m2.json").write_text(json.dumps(mon, ensure_ascii=False), encoding="utf-8")
    return root, units


def test_frames_name_a_unit_once_across_forms_and_key_it(inbox):
    root, units = inbox
    f = frames([root / "g", root / "m"], jobs=1)
    p = f.projects.set_index("path")
    rows = {Path(path).name: row for path, row in p.iterrows()}
    it_rows = [rows[f"g{i}.json"] for i in range(5)] + [rows["m2.json"]]
    # one name for the unit in both forms: the spelling most of its returns (of every form read) use
    assert {r["summary_unit"] for r in it_rows} == {IT[1]}, [r["summary_unit"] for r in it_rows]
    assert {r["unit_key"] for r in it_rows} == {IT_KEY}
    # units that differ in a character or a digit stay apart, each under its own name and key
    apart = [rows[f"g{i}.json"] for i in range(5, 9)]
    assert [r["summary_unit"] for r in apart] == list(APART)
    assert len({r["unit_key"] for r in apart}) == 4 and IT_KEY not in {r["unit_key"] for r in apart}
    # just before summary_unit, as in the indicators, path_bytes staying last (README; test_mendEI)
    cols = list(f.projects.columns)
    assert cols[cols.index("summary_unit") - 1] == "unit_key" and cols[-1] == "path_bytes"
    assert list(f.indicators.columns[-5:]) == ["unit_key", "summary_unit", "year", "sha256", "path_bytes"]
    ind = f.indicators[f.indicators["path"].str.endswith("m2.json")]
    assert len(ind) and set(ind["unit_key"]) == {IT_KEY} and set(ind["summary_unit"]) == {IT[1]}


def test_consolidate_gives_the_key_the_same_in_every_run_and_merges_the_units_rows(inbox, tmp_path):
    root, units = inbox
    out_g, out_m = tmp_path / "g.xlsx", tmp_path / "m.xlsx"
    consolidate([root / "g"], out_g, json_path=tmp_path / "g.json", jobs=1, progress=False)
    consolidate([root / "m"], out_m, json_path=tmp_path / "m.json", jobs=1, progress=False)
    assert ooxml_errors(out_g) == [] and ooxml_errors(out_m) == []

    def keyed(path, table):
        d = json.loads(path.read_text(encoding="utf-8"))[table]
        c = d["columns"]
        return c, [dict(zip(c, r)) for r in d["rows"]]

    cg, g_rows = keyed(tmp_path / "g.json", "projects")
    cm, m_rows = keyed(tmp_path / "m.json", "projects")
    # 单位键 after the columns scripts read by place (after the 一级 counts: test_mendEI), before 文件路径字节, last
    # in every per-return table
    assert cg[-2:] == ["单位键", "文件路径字节"]
    assert cm[-3:] == ["绩效目标表摘要（SHA-256）", "单位键", "文件路径字节"]
    # the two runs name the unit each by its own majority spelling, and join by the key
    g_it = [r for r in g_rows if r["单位键"] == IT_KEY]
    assert len(g_it) == 5 and {r["汇总单位"] for r in g_it} == {IT[1]}
    assert [(r["汇总单位"], r["单位键"]) for r in m_rows] == [(IT[0], IT_KEY)]
    assert len({r["单位键"] for r in g_rows}) == 5

    # the workbook: 项目清单's 单位键 column, and 汇总's rows by unit: IT one row of its five projects, the others
    # apart, the amounts summing to the same total as the projects'
    wb = openpyxl.load_workbook(out_g)
    ws = wb["项目清单"]
    head = next(r for r in ws.iter_rows(values_only=True) if r and "单位键" in r)
    at, unit_at, total_at = head.index("单位键"), head.index("申报单位"), head.index("项目总预算（元）")
    assert head[at - 1] == "汇总单位" and head[-1] == "文件路径字节"  # the workbook: beside the unit's name
    listed = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert len(listed) == len(units)
    assert {r[unit_at]: r[at] for r in listed}[IT[0]] == IT_KEY
    cs, summary = keyed(tmp_path / "g.json", "summary")
    by_unit = {r["申报单位"]: r for r in summary}
    assert set(by_unit) == {IT[1], *APART}
    assert by_unit[IT[1]]["项目数"] == 5
    project_totals = [Decimal(str(r[total_at])) for r in listed]
    assert sum(Decimal(str(r["项目总预算（元）"])) for r in summary) == sum(project_totals)
    it_total = sum(Decimal(str(r[total_at])) for r in listed if r[at] == IT_KEY)
    assert Decimal(str(by_unit[IT[1]]["项目总预算（元）"])) == it_total


def _dup_counts(summary_json: Path, table: str) -> dict:
    d = json.loads(summary_json.read_text(encoding="utf-8"))[table]
    c = d["columns"]
    return {Path(r[c.index("文件路径")]).name: r[c.index("警告数")] for r in d["rows"]
            if r[c.index("警告数")] is not None}


def test_a_duplicate_is_one_warning_in_validate_frames_and_consolidate(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("02_a.json", "02_b.json"):  # (JSON documents: as workbooks, faster)
        shutil.copy(EXAMPLE_JSON[1], folder / name)
    v = {Path(f.path).name: len(f.warnings) for f in validate([folder], jobs=1).files}
    assert sorted(v.values()) == [0, 1]  # the one not counted: return.duplicate
    fr = frames([folder], jobs=1).projects
    assert {Path(p).name: w for p, w in zip(fr["path"], fr["warnings"])} == v
    out = tmp_path / "s.xlsx"
    consolidate([folder], out, json_path=tmp_path / "s.json", jobs=1, progress=False)
    assert _dup_counts(tmp_path / "s.json", "projects") == v
    assert _dup_counts(tmp_path / "s.json", "validation") == v
    wb = openpyxl.load_workbook(out)  # the workbook's 项目清单 as its JSON
    ws = wb["项目清单"]
    head = next(r for r in ws.iter_rows(values_only=True) if r and "警告数" in r)
    rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    assert {r[head.index("来源文件")]: r[head.index("警告数")] for r in rows} == v
    assert ooxml_errors(out) == []
    # files named one by one: validate names the duplicate among them as of their folder, and consolidate counts it
    # alike (mendGD; was: none, named files left out of the duplicate rule)
    files = sorted(folder.iterdir())
    named = {Path(f.path).name: len(f.warnings) for f in validate(files, jobs=1).files}
    consolidate(files, tmp_path / "n.xlsx", json_path=tmp_path / "n.json", jobs=1, progress=False)
    assert _dup_counts(tmp_path / "n.json", "projects") == named == v


def test_self_evaluation_scores_sheet_has_warnings_beside_errors(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for p in sorted((EXAMPLES / "self-evaluation").glob("*.json"))[:2]:
        shutil.copy(p, folder / p.name)
    shutil.copy(folder / sorted(q.name for q in folder.iterdir())[1], folder / "02 副本.json")  # a duplicate
    v = {Path(f.path).name: len(f.warnings) for f in validate([folder], jobs=1).files}
    assert 1 in v.values()
    out = tmp_path / "s.xlsx"
    consolidate([folder], out, json_path=tmp_path / "s.json", jobs=1, progress=False)
    assert ooxml_errors(out) == []
    ws = openpyxl.load_workbook(out)["项目得分"]
    head = next(r for r in ws.iter_rows(values_only=True) if r and "错误数" in r)
    assert head.index("警告数") == head.index("错误数") + 1  # printed beside it, as 项目清单 and 项目进度 print it
    rows = [r for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)]
    path_at = head.index("文件路径")
    assert {Path(r[path_at]).name: r[head.index("警告数")] for r in rows} == v
    assert {r[head.index("单位键")] for r in rows} == {"上海市就业促进中心"}
    assert head.index("单位键") == head.index("汇总单位") + 1
    # CSV and JSON: the columns scripts read by place keep them; 警告数 and 单位键 come after them all, the 一级
    # scores too, before 文件路径字节 (test_mendEI)
    c = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["projects"]["columns"]
    assert c[c.index("错误数") + 1] == "计入汇总"
    assert c[-3:] == ["警告数", "单位键", "文件路径字节"]
    assert _dup_counts(tmp_path / "s.json", "projects") == v


def test_mixed_forms_are_refused_in_a_few_lines(tmp_path):
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for i in range(5):
        (folder / f"g{i}.json").write_text(json.dumps(_goal(i, "上海市甲中心"), ensure_ascii=False), encoding="utf-8")
    for p in sorted((EXAMPLES / "monitoring").glob("*.json"))[:4]:
        shutil.copy(p, folder / ("m_" + p.name))
    shutil.copy(sorted((EXAMPLES / "self-evaluation").glob("*.json"))[0], folder / "s_0.json")
    for lang, hint, words in (("zh", "xlgoals validate", ("财政项目支出绩效目标表 5 个", "项目支出绩效运行监控表 4 个",
                                                          "项目支出绩效自评表 1 个")),
                              ("en", "xlgoals validate", ("5 goal-table", "4 monitoring", "1 self-evaluation"))):
        result = cli("--lang", lang, "consolidate", folder, "-o", tmp_path / "s.xlsx", "--no-progress")
        assert result.exit_code == 2
        err = result.stderr
        lines = err.strip().splitlines()
        assert len(lines) <= 6, err
        for w in words:
            assert sum(w in line for line in lines) == 1, (w, err)
        assert "g0.json" in err and "g2.json" in err and "g3.json" not in err and "g4.json" not in err, err
        assert err.count("m_0") == 4, err  # (a form not the most numerous, of at most ten files: each named)
        assert hint in err and "consolidate" in lines[-1], err
        assert not (tmp_path / "s.xlsx").exists()
