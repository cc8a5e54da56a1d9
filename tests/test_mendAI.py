"""mendAI: small behaviour gaps left from last session.

1. A department's corrected copy X_2_问题标注.xlsx (a second-round copy, known as ours by the digest it records)
   marked again gets X_3_问题标注.xlsx, the next round of the same original X, never X_2_2_问题标注.xlsx nor a name
   taken; a department's own 附件_2.xlsx (no digest recorded) stays 附件_2_问题标注.xlsx.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli
from .helpers import ooxml_errors

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy


def _annotate(path, folder, tmp_path):
    r = cli("validate", path, "--annotate", folder, "-o", tmp_path / "r.txt", "--jobs", "1")
    assert r.exit_code == 1, r.output
    return r


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# 1. The third round's copy is X_3 ----------------------------------------------------------------------------------


def test_a_second_round_copy_marked_again_is_the_third_round(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "X.xlsx")
    _annotate(inbox / "X.xlsx", inbox, tmp_path)
    os.remove(inbox / "X.xlsx")  # the department sends X_问题标注.xlsx back corrected (still failing)
    _annotate(inbox / "X_问题标注.xlsx", inbox, tmp_path)
    os.remove(inbox / "X_问题标注.xlsx")  # and then X_2_问题标注.xlsx
    before = _digest(inbox / "X_2_问题标注.xlsx")
    _annotate(inbox / "X_2_问题标注.xlsx", inbox, tmp_path)
    assert sorted(os.listdir(inbox)) == ["X_2_问题标注.xlsx", "X_3_问题标注.xlsx"]
    assert _digest(inbox / "X_2_问题标注.xlsx") == before
    assert ooxml_errors(inbox / "X_3_问题标注.xlsx") == []
    # round four, with X_4 taken already (a file the department left there): X_5, nothing written over
    os.remove(inbox / "X_2_问题标注.xlsx")
    shutil.copy(FAILING, inbox / "X_4_问题标注.xlsx")
    taken = _digest(inbox / "X_4_问题标注.xlsx")
    r = cli("validate", inbox / "X_3_问题标注.xlsx", "--annotate", inbox, "-o", tmp_path / "r.txt", "--jobs", "1")
    assert r.exit_code == 1, r.output
    assert sorted(os.listdir(inbox)) == ["X_3_问题标注.xlsx", "X_4_问题标注.xlsx", "X_5_问题标注.xlsx"]
    assert _digest(inbox / "X_4_问题标注.xlsx") == taken


def test_a_departments_own_number_is_kept(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "附件_2.xlsx")
    _annotate(inbox / "附件_2.xlsx", inbox, tmp_path)
    assert sorted(os.listdir(inbox)) == ["附件_2.xlsx", "附件_2_问题标注.xlsx"]
    # a plain file named like a copy but recording no digest (not ours): numbered on from its own name
    shutil.copy(FAILING, tmp_path / "附件_2_问题标注.xlsx")
    os.remove(inbox / "附件_2.xlsx")
    os.replace(tmp_path / "附件_2_问题标注.xlsx", inbox / "附件_2_问题标注.xlsx")
    _annotate(inbox / "附件_2_问题标注.xlsx", inbox, tmp_path)
    assert sorted(os.listdir(inbox)) == ["附件_2_2_问题标注.xlsx", "附件_2_问题标注.xlsx"]


# 2. The indicators frame has each return's year and SHA-256, typed as in the projects frame -----------------------


def test_the_indicators_frame_has_the_returns_year_and_digest(tmp_path):
    import pandas as pd

    import xlgoals

    d = tmp_path / "收到"
    d.mkdir()
    for src in EXAMPLE_XLSX[:2]:
        shutil.copy(src, d / src.name)
    shutil.copy(sorted((EXAMPLES / "self-evaluation").glob("*.xlsx"))[0], d / "自评.xlsx")
    (d / "broken.xlsx").write_bytes(b"PK\x03\x04 broken")
    f = xlgoals.frames([d], jobs=1)
    ind, p = f.indicators, f.projects
    assert list(ind.columns)[-3:] == ["year", "sha256", "path_bytes"]
    assert ind["year"].dtype == p["year"].dtype == "Int64" and ind["sha256"].dtype == p["sha256"].dtype
    assert ind["path"].nunique() == 3
    joined = ind.merge(p[["path", "year", "sha256"]], on="path", suffixes=("", "_p"))
    assert len(joined) == len(ind)
    assert (joined["year"] == joined["year_p"]).all() and (joined["sha256"] == joined["sha256_p"]).all()
    assert ind["sha256"].notna().all() and set(ind["year"]) == {2020}
    for path, digest in zip(ind["path"], ind["sha256"]):
        assert hashlib.sha256(open(path, "rb").read()).hexdigest() == digest
    assert ind.groupby("year").size().to_dict() == {2020: len(ind)}
    # (4.) the self-evaluation's points source, as its document has it; present, and text, on a night of none
    by_file = p.set_index(p["path"].map(os.path.basename))
    assert re.fullmatch(r"framework:[0-9a-f]{16}", by_file.loc["自评.xlsx", "points_source.points"])
    assert pd.isna(by_file.loc["自评.xlsx", "points_source.weights"])
    assert p["points_source.points"].dtype == p["sha256"].dtype
    old = xlgoals.frames([EXAMPLE_XLSX[0]], jobs=1).projects  # a goal table: no self-evaluation's column
    assert not any(c.startswith("points_source") for c in old.columns)
    # an empty folder: the columns still there, typed the same
    (tmp_path / "空").mkdir()
    empty = xlgoals.frames([tmp_path / "空"], jobs=1).indicators
    assert list(empty.columns)[-3:] == ["year", "sha256", "path_bytes"] and empty["year"].dtype == "Int64"
    assert empty["sha256"].dtype == pd.Series(["x"]).dtype


# 4. A document read from a self-evaluation keeps its stamp's points source --------------------------------------


_WEIGHTS = {"funds": 20, "level1": [{"names": ["投入与管理"], "points": 10}, {"names": ["产出目标"], "points": 40},
                                   {"names": ["效果目标"], "points": 20}, {"names": ["影响力目标"], "points": 10}]}


def _codes(json_text):
    """The codes of the comparison with the goal table (a blank template's own problems, 未填写 …, aside)."""
    import json

    return [p["code"] for f in json.loads(json_text)["files"] for p in f["problems"]
            if p["code"] in ("self.points_source", "self.target_changed") or p["code"].startswith("schema.")]


def _made(tmp_path, weights: bool):
    """A self-evaluation template made from example goal table 02 (with a points file, or the framework's points),
    read into a JSON document through the CLI."""
    import json

    goal = EXAMPLE_XLSX[1]
    w = tmp_path / "分值方案.json"
    w.write_text(json.dumps(_WEIGHTS, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / ("加权" if weights else "默认")
    r = cli("template", "--form", "self-evaluation", *(["--weights", w] if weights else []), "--targets", goal,
            "--out-dir", out)
    assert r.exit_code == 0, r.output
    [xlsx] = out.glob("*.xlsx")
    doc = tmp_path / f"{out.name}.json"
    r = cli("read", xlsx, "-o", doc)
    assert r.exit_code == 0, r.output
    return goal, w, xlsx, doc


def test_a_document_read_from_a_self_evaluation_keeps_its_points_source(tmp_path):
    import json

    from xlgoals._selfeval._weights import load_weights, points_tag

    goal, w, xlsx, doc = _made(tmp_path, weights=True)
    got = json.loads(doc.read_text(encoding="utf-8"))
    assert got["points_source"] == {"weights": "分值方案.json", "points": points_tag(load_weights(w))}
    # validated without --weights: one notice naming the points file, as for the workbook, no 分值 blamed
    for given in (doc, xlsx):
        r = cli("validate", given, "--targets", goal, "--format", "json")
        assert r.exit_code in (0, 1) and _codes(r.stdout) == ["self.points_source"], r.stdout
    r = cli("validate", doc, "--targets", goal, "--weights", w, "--format", "json")
    assert r.exit_code in (0, 1) and _codes(r.stdout) == [], r.output
    # filled again from the document: the workbook's stamp records it as the template's did
    again = tmp_path / "again.xlsx"
    r = cli("fill", doc, "-o", again)
    assert r.exit_code == 0, r.output
    import openpyxl

    def stamp(p):
        ws = openpyxl.load_workbook(p)["自评信息"]
        return next(c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("XLGOALS|"))

    assert stamp(again) == stamp(xlsx) and stamp(again).endswith(f"|points={got['points_source']['points']}")
    assert ooxml_errors(again) == []


def test_the_frameworks_points_are_kept_too_and_a_bad_points_source_is_the_schemas(tmp_path):
    import json
    import re

    goal, w, xlsx, doc = _made(tmp_path, weights=False)
    got = json.loads(doc.read_text(encoding="utf-8"))
    assert re.fullmatch(r"framework:[0-9a-f]{16}", got["points_source"]["points"]) and len(got["points_source"]) == 1
    r = cli("validate", doc, "--targets", goal, "--weights", w, "--format", "json")
    assert r.exit_code in (0, 1) and _codes(r.stdout) == ["self.points_source"], r.output
    r = cli("validate", doc, "--targets", goal, "--format", "json")
    assert r.exit_code in (0, 1) and _codes(r.stdout) == [], r.output
    # a points source the schema does not allow: said as the schema's, no traceback
    for bad in ({"points": "x|y"}, {"points": "framework", "weights": "a|b"}, {"weights": "a.json"}, "framework",
                {"points": "framework", "other": 1}, {"points": "framework:XYZ"}, {"points": "goal:0123456789abcdef"}):
        got["points_source"] = bad
        p = tmp_path / "bad.json"
        p.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        r = cli("validate", p, "--targets", goal, "--format", "json")
        assert r.exit_code == 1, (bad, r.output)
        assert any(c.startswith("schema.") for c in _codes(r.stdout)), (bad, r.stdout)
        assert "Traceback" not in r.output


# 3. The example self-evaluations record their points source -------------------------------------------------------


def _framework_tag(framework: str) -> str:
    """The hash of a shipped framework's own self-evaluation points, as a stamp records it."""
    from xlgoals import Config
    from xlgoals._selfeval._weights import points_tag

    return points_tag(Config.load().frameworks.get(framework).self_evaluation)


def test_the_example_self_evaluations_record_the_frameworks_points(tmp_path):
    import json

    import openpyxl

    made = [*sorted((EXAMPLES / "self-evaluation").glob("*.xlsx")),
            *sorted((EXAMPLES / "received-self-evaluation").glob("*.xlsx")), EXAMPLES / "national-2021" / "自评表.xlsx"]
    assert len(made) == 7
    for path in made:
        ws = openpyxl.load_workbook(path)["自评信息"]
        stamp = next(c.value for row in ws.iter_rows() for c in row if str(c.value).startswith("XLGOALS|"))
        framework = "national-2021" if "national-2021" in path.parts else "shanghai-2020"
        assert stamp.endswith(f"|points=framework:{_framework_tag(framework)}"), (path, stamp)
    for path in [*sorted((EXAMPLES / "self-evaluation").glob("*.json")), EXAMPLES / "national-2021" / "自评表.json"]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["points_source"] == {"points": f"framework:{_framework_tag(doc['framework'])}"}, path
    # checked against a points file by mistake: one notice a return, not its 分值 blamed
    w = tmp_path / "分值方案.json"
    w.write_text(json.dumps(_WEIGHTS, ensure_ascii=False), encoding="utf-8")
    r = cli("validate", EXAMPLES / "self-evaluation", "--targets", EXAMPLES / "returns", "--weights", w,
            "--format", "json")
    assert r.exit_code == 0, r.output
    assert _codes(r.stdout) == ["self.points_source"] * 10, r.stdout  # five workbooks, five documents
    r = cli("validate", EXAMPLES / "self-evaluation", "--targets", EXAMPLES / "returns", "--format", "json")
    assert r.exit_code == 0 and _codes(r.stdout) == [], r.output
