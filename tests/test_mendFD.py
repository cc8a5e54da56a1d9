"""mendFD: what the analyst reads (mender M12).

1. The README's ways to sum ``frames()`` as the summary sums: ``frames(paths).projects["budget.total"].sum()`` was said
   to be the summary's total, but counts every duplicate and failing return; ``projects.loc[projects.held_out.isna()]``
   kept a monitoring report replaced by a later month's.  The README's snippets are run here on such inboxes.
2. The rows by unit (汇总, 汇总单位, ``frames().summary_unit``) showed a unit in a spelling no return used, NFKC's
   (``上海市就业促进中心(浦东)`` for ``…（浦东）``, ``ABC`` for ``ＡＢＣ``): now the most common spelling as typed.
3. A JSON return's amount of 16 digits was quoted as its float's repr (``…98`` for ``…99`` typed), and ``-0.0`` said
   as ``-0.00``: -0 is 0.
4. A JSON return's names were kept with the spaces the workbook's reader folds (``Office 365 升级项目`` beside the
   workbook's ``Office 365升级项目``): both are read alike.
5. consolidate replaced last year's summary of the same form at ``-o``/``--json`` silently: refused unless --force.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl

import xlgoals

from .conftest import EXAMPLE_JSON, EXAMPLES, ROOT, cli


def _docs() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in EXAMPLE_JSON]


def _write(folder: Path, name: str, doc: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _readme_sums(marker: str) -> list[str]:
    """The sums the README gives (a line or a code span ending in ``.sum()``) in the paragraph holding `marker`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    at = text.index(marker)
    start, end = text.rfind("\n\n", 0, at), text.find("\n\n", at)
    if text.startswith("```", end + 2):  # the paragraph's code block, which follows it
        end = text.find("```\n", text.find("\n", end + 2))
    block = text[start:end if end > 0 else len(text)]
    found = re.findall(r"`([^`\n]*\.sum\(\))`", block) + re.findall(r"^([^`\n#]*\.sum\(\))", block, re.M)
    return [f.strip() for f in found]


def _evaluated(expr: str, paths) -> Decimal:
    f = xlgoals.frames(paths, jobs=1)
    names = {"xlgoals": xlgoals, "frames": xlgoals.frames, "paths": paths, "p": f.projects, "projects": f.projects}
    return eval(expr, names)


def test_readme_sums_give_the_summarys_totals(tmp_path):
    inbox = tmp_path / "收件箱"
    for p in EXAMPLE_JSON:
        _write(inbox, p.name, json.loads(p.read_text(encoding="utf-8")))
    shutil.copy(EXAMPLE_JSON[0], inbox / "01 再次报送.json")  # a duplicate of a counted return
    bad = _docs()[1]
    bad["project"]["name"] = "另一项目"
    bad["budget"]["current_year"] = bad["budget"]["total"] * 2  # rule.current_le_total: fails, not counted
    _write(inbox, "bad.json", bad)
    r = xlgoals.consolidate([inbox], tmp_path / "汇总.xlsx", jobs=1)
    assert r.totals["duplicates"] == 1 and r.totals["invalid"] == 1
    sums = _readme_sums("Money in documents.")
    assert sums, "the README's Library section gives no sum of frames()"
    for expr in sums:
        assert _evaluated(expr, [inbox]) == r.totals["total"], expr

    # monitoring: an earlier month's report replaced by a later one; a report's 1-N月执行数 held out (in 万元?)
    mon = tmp_path / "监控"
    mon.mkdir()
    for p in sorted((EXAMPLES / "monitoring").glob("*.json")):
        shutil.copy(p, mon / p.name)
    first = json.loads((mon / EXAMPLE_JSON[0].name).read_text(encoding="utf-8"))
    _write(mon, "01_三月.json", dict(first, month=3))
    held = json.loads(sorted(mon.glob("02_*.json"))[0].read_text(encoding="utf-8"))
    held["project"]["name"] = "另一项目"
    # half the year's budget in 万元 at month 6: monitor.amount_scale's strong suspicion, held out of the totals
    held["funds"]["executed_to_date"] = round(held["funds"]["full_year_budget"] / 2 / 10000)
    _write(mon, "held.json", held)
    m = xlgoals.consolidate([mon], tmp_path / "监控汇总.xlsx", jobs=1)
    assert m.totals["replaced"] == 1 and m.totals["amounts_held_out"] == {"executed_to_date": 1}
    sums = _readme_sums("`held_out` (the columns of a monitoring report's amounts")
    assert sums, "the README's pandas section gives no sum of the held-out column"
    for expr in sums:
        assert "funds.executed_to_date" in expr
        assert _evaluated(expr, [mon]) == m.totals["executed_to_date"], expr


def test_units_shown_as_most_of_their_returns_spell_them(tmp_path):
    inbox = tmp_path / "收件箱"
    docs = _docs()
    for i, doc in enumerate(docs[:3]):
        doc["unit"] = "上海市就业促进中心（浦东）"
        _write(inbox, f"{i}.json", doc)
    docs[3]["unit"] = "上海市 就业促进中心(浦东)"  # spelt otherwise: one unit, shown as most spell it
    _write(inbox, "3.json", docs[3])
    docs[4]["unit"] = "ＡＢＣ信息中心"
    _write(inbox, "4.json", docs[4])
    out = tmp_path / "汇总.xlsx"
    xlgoals.consolidate([inbox], out, jobs=1)
    ws = openpyxl.load_workbook(out)["汇总"]
    shown = {ws.cell(r, 2).value for r in range(4, ws.max_row + 1)} - {None, "合计"}
    assert {"上海市就业促进中心（浦东）", "ＡＢＣ信息中心"} <= shown
    assert not shown & {"上海市就业促进中心(浦东)", "ABC信息中心"}
    p = xlgoals.frames([inbox], jobs=1).projects
    assert set(p["summary_unit"].astype(str)) == {"上海市就业促进中心（浦东）", "ＡＢＣ信息中心"}


def test_json_amounts_quoted_as_typed_and_minus_zero_is_zero(tmp_path):
    base = EXAMPLE_JSON[4].read_text(encoding="utf-8")
    total = json.loads(base)["budget"]["total"]
    wide = tmp_path / "wide.json"
    wide.write_text(base.replace(f'"total": {total}', '"total": 99999999999999.99'), encoding="utf-8")
    zero = tmp_path / "zero.json"
    zero.write_text(base.replace(f'"total": {total}', '"total": -0.0'), encoding="utf-8")
    r = cli("validate", wide, zero)
    assert r.exit_code == 1, r.output
    assert "“99999999999999.99”超出范围" in r.output and "99999999999999.98" not in r.output
    assert "项目总预算（0.00 元）" in r.output and "-0.00" not in r.output


def test_json_names_read_as_their_workbooks(tmp_path):
    doc = _docs()[0]
    doc["project"]["name"] = "Office 365 升级项目"
    doc["unit"] = "上海市 就业促进中心"
    doc["indicators"][0]["name"] = "第 1 期 工程"
    src = _write(tmp_path, "j.json", doc)
    book = xlgoals.fill(copy.deepcopy(doc), tmp_path / "w.xlsx")
    from_book = xlgoals.read(book).document
    from_json = xlgoals.validate([src], keep_documents=True).files[0].document
    for get in (lambda d: d["project"]["name"], lambda d: d["unit"], lambda d: d["indicators"][0]["name"]):
        assert get(from_json) == get(from_book)
    assert from_json["project"]["name"] == "Office 365升级项目"  # the README's folding: no space beside a Chinese one


def test_last_years_summary_not_replaced_unless_forced(tmp_path):
    y1, y2 = tmp_path / "2020", tmp_path / "2021"
    for p in EXAMPLE_JSON[:2]:
        doc = json.loads(p.read_text(encoding="utf-8"))
        _write(y1, p.name, dict(doc, year=2020))
        _write(y2, p.name, dict(doc, year=2021))
    out, js = tmp_path / "汇总.xlsx", tmp_path / "汇总.json"
    assert cli("consolidate", y1, "-o", out, "--json", js).exit_code == 0
    before = out.read_bytes(), js.read_bytes()
    r = cli("consolidate", y2, "-o", out, "--json", js)
    assert r.exit_code == 2 and "2020 年度" in r.output and "--force" in r.output, r.output
    assert (out.read_bytes(), js.read_bytes()) == before
    r = cli("consolidate", y2, "-o", tmp_path / "新.xlsx", "--json", js)  # the JSON alone is last year's
    assert r.exit_code == 2 and not (tmp_path / "新.xlsx").exists(), r.output
    assert cli("consolidate", y1, "-o", out, "--json", js).exit_code == 0  # the same year's: refreshed
    assert cli("consolidate", y2, "-o", out, "--json", js, "--force").exit_code == 0
    assert openpyxl.load_workbook(out)["汇总"]["A1"].value.startswith("2021年度")
