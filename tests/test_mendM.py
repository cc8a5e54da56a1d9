"""Every public path argument takes a bytes path (os.listdir(b'.'), os.fsencode) and an os.PathLike giving bytes, a
name that is not UTF-8 included (a GBK one, as a Windows zip unpacks): the templates' inputs, outputs and out_dir,
and the rule table, frameworks, review settings, library, last year's returns, goal tables and weights of every
call that reads.  Each names the same file as its text (os.fsdecode), and gives what the str path gives."""

import json
import os
import shutil
import sys

import pytest

from xlgoals import (Config, ConfigError, FrameworkSet, Library, ReviewSettings, RuleTable, consolidate, frames,
                     load_review, monitoring_templates, prefill_templates, read, self_evaluation_templates, validate,
                     validate_document, validate_file, write_template)

from xlgoals._text import in_lang

from .conftest import EXAMPLE_XLSX, EXAMPLES, ROOT, load
from .test_frameworks import _demo_spec

#: a self-evaluation made from EXAMPLE_XLSX[0] (its goal table)
SELF_EVALUATION = EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.xlsx"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="a name that is not UTF-8 is a Linux file system's")


class _BytesPath:
    def __init__(self, path: bytes):
        self.path = path

    def __fspath__(self) -> bytes:
        return self.path


def _gbk(folder, name: str) -> bytes:
    """`folder`/`name` as bytes, the name in GBK (not UTF-8)."""
    return os.path.join(os.fsencode(folder), name.encode("gbk"))


def _copy(src, folder, name: str) -> bytes:
    os.makedirs(os.fsencode(folder), exist_ok=True)
    dst = _gbk(folder, name)
    (shutil.copytree if os.path.isdir(src) else shutil.copy)(os.fsencode(src), dst)
    return dst


@pytest.fixture
def bureau(tmp_path):
    """The bureau's own inputs, each at a GBK name, as bytes: a rule table, a framework folder, review settings,
    an indicator library, last year's returns, goal tables, a points file."""
    fw = _gbk(tmp_path, "本局指标体系")
    os.mkdir(fw)
    with open(os.path.join(fw, b"demo-2025.json"), "w", encoding="utf-8") as f:
        json.dump(_demo_spec(), f, ensure_ascii=False)
    review = _gbk(tmp_path, "审核配置.json")
    with open(review, "w", encoding="utf-8") as f:
        json.dump({"weights": {"review.vague_target": 20}}, f)
    weights = _gbk(tmp_path, "分值.json")
    with open(weights, "w", encoding="utf-8") as f:
        json.dump({"funds": 20, "level1": [{"names": ["投入与管理", "产出目标"], "points": 50},
                                           {"names": ["效果目标", "影响力目标"], "points": 30}]}, f)
    return {"rules": _copy(ROOT / "schema" / "rules.csv", tmp_path, "本局规则.csv"), "frameworks": fw,
            "review_config": review, "library": _copy(EXAMPLES / "library.csv", tmp_path, "指标库.csv"),
            "previous": _copy(EXAMPLES / "review" / "上年", tmp_path, "上年"),
            "targets": _copy(EXAMPLE_XLSX[0], tmp_path / "targets", "目标表.xlsx"), "weights": weights}


def _text(given: dict) -> dict:
    return {k: os.fsdecode(v) for k, v in given.items()}


def _said(report) -> list:
    """What a validate run says of each file (its problems and score), of the goal tables and of last year's."""
    return [[(f.path, f.review_score, [(p.code, p.severity, p.cell, p.message) for p in f.problems])
             for f in report.files],
            report.target_errors, [(p.code, p.message) for p in report.target_problems],
            [(p.code, p.message) for p in report.previous_problems]]


def test_the_templates_take_bytes_paths(tmp_path, bureau):
    out = _gbk(tmp_path, "模板.xlsx")
    made = write_template(out, library=bureau["library"], frameworks=_BytesPath(bureau["frameworks"]),
                          framework="demo-2025", year=2025)
    assert str(made) == os.fsdecode(out) and os.path.isfile(out)
    assert read(out, isolated=False, frameworks=bureau["frameworks"]).template["framework"] == "demo-2025"
    csv = _copy(EXAMPLES / "projects.csv", tmp_path, "项目.csv")
    out_dir = _gbk(tmp_path, "预填")
    result = prefill_templates(_BytesPath(csv), out_dir, library=bureau["library"], year=2020)
    assert result.written and not result.errors
    assert sorted(os.listdir(out_dir)) == sorted(os.fsencode(p.name) for p in result.written)


def test_the_templates_from_goal_tables_take_bytes_paths(tmp_path, bureau):
    selfeval = self_evaluation_templates(bureau["targets"], _gbk(tmp_path, "自评"), weights=bureau["weights"])
    assert len(selfeval.written) == 1 and not selfeval.errors, selfeval
    made = read(selfeval.written[0], isolated=False).document
    assert made["funds"]["points"] == 20  # the points file was read
    monitor = monitoring_templates([_BytesPath(os.path.dirname(bureau["targets"]))], _gbk(tmp_path, "监控"), month=6)
    assert len(monitor.written) == 1 and not monitor.errors, monitor
    assert str(monitor.written[0]).startswith(os.fsdecode(_gbk(tmp_path, "监控")) + os.sep)


def test_config_and_review_take_bytes_paths(bureau):
    as_bytes = Config.load(rules=bureau["rules"], frameworks=_BytesPath(bureau["frameworks"]))
    as_text = Config.load(rules=os.fsdecode(bureau["rules"]), frameworks=os.fsdecode(bureau["frameworks"]))
    assert as_bytes.sources == as_text.sources == [os.path.abspath(os.fsdecode(bureau["rules"])),
                                                   os.path.abspath(os.fsdecode(bureau["frameworks"]))]
    assert as_bytes.frameworks.ids() == as_text.frameworks.ids() and "demo-2025" in as_bytes.frameworks.ids()
    review = load_review(review_config=bureau["review_config"], library=_BytesPath(bureau["library"]),
                         previous=bureau["previous"], jobs=1)
    assert review.settings.weight("review.vague_target") == 20 and review.library is not None
    assert review.previous is not None and not review.previous.problems
    # the loaders each takes them too (the classes are public)
    assert RuleTable.load(_BytesPath(bureau["rules"])).source == os.path.abspath(os.fsdecode(bureau["rules"]))
    assert "demo-2025" in FrameworkSet.load(bureau["frameworks"]).ids()
    assert Library.load(bureau["library"]).level2_names() == Library.load(os.fsdecode(bureau["library"])).level2_names()
    assert ReviewSettings.load(_BytesPath(bureau["review_config"])).weight("review.vague_target") == 20


def test_a_bad_file_given_as_bytes_is_named_as_given_as_text(tmp_path):
    bad = _gbk(tmp_path, "审核配置.json")
    with open(bad, "w", encoding="utf-8") as f:
        json.dump({"weights": {"review.nope": 1}}, f)
    said = []
    for given in (bad, os.fsdecode(bad)):
        with pytest.raises(ConfigError) as exc:
            load_review(review_config=given)
        said.append((str(exc.value), in_lang(exc.value.args[0], "en")))
    assert said[0] == said[1] and "review.nope" in said[0][0] and "b'" not in said[0][0] + said[0][1]


def test_validate_takes_bytes_paths_for_every_input(tmp_path, bureau):
    ret = _copy(SELF_EVALUATION, tmp_path / "in", "自评.xlsx")
    given = {k: bureau[k] for k in ("rules", "frameworks", "review_config", "library", "previous")}
    as_text = validate([os.fsdecode(ret)], jobs=1, **_text(given), targets=os.fsdecode(bureau["targets"]))
    as_bytes = validate([ret], jobs=1, **given, targets=bureau["targets"])
    assert _said(as_bytes) == _said(as_text)
    assert as_bytes.review and as_bytes.previous and not as_bytes.target_errors
    one = validate_file(EXAMPLE_XLSX[1], **{k: _BytesPath(v) for k, v in given.items()})
    assert one.review_score == validate_file(EXAMPLE_XLSX[1], **_text(given)).review_score
    assert one.review_score == 57  # the review settings were read (review.vague_target weighs 20)
    doc = load(EXAMPLES / "json" / "02_促进就业专项资金.json")
    assert validate_document(doc, **given) == validate_document(doc, **_text(given))


def test_validate_takes_bytes_weights(tmp_path, bureau):
    ret = _copy(SELF_EVALUATION, tmp_path / "in", "自评.xlsx")
    plain = validate([ret], jobs=1, targets=bureau["targets"])
    weighed = validate([ret], jobs=1, targets=bureau["targets"], weights=bureau["weights"])
    assert _said(weighed) == _said(validate([ret], jobs=1, targets=bureau["targets"],
                                            weights=os.fsdecode(bureau["weights"])))
    # its 分值 are the framework's (its stamp says points=framework), not the points file's: the points file was read
    # and the bureau told so once (self.points_source), not the department failed at every 分值
    def sources(report):
        return [p.code for f in report.files for p in f.problems if p.code == "self.points_source"]
    assert plain.valid and weighed.valid and not sources(plain) and sources(weighed) == ["self.points_source"]


def test_consolidate_takes_bytes_paths_for_every_input(tmp_path, bureau):
    ret = _copy(SELF_EVALUATION, tmp_path / "in", "自评.xlsx")
    given = {k: bureau[k] for k in ("rules", "frameworks", "review_config", "library", "previous", "targets")}
    result = consolidate([ret], tmp_path / "s.xlsx", jobs=1, **given)
    text = consolidate([os.fsdecode(ret)], tmp_path / "t.xlsx", jobs=1, **_text(given))
    assert [r.status.name for r in result.records] == [r.status.name for r in text.records] == ["OK"]
    assert result.totals == text.totals and not result.target_errors
    weighed = consolidate([ret], tmp_path / "w.xlsx", jobs=1, targets=_BytesPath(bureau["targets"]),
                          weights=_BytesPath(bureau["weights"]))
    # its stamp says its 分值 are the framework's: the points file read, the bureau told (not the department failed)
    assert [r.status.name for r in weighed.records] == ["OK"]
    assert [p[1] for r in weighed.records for p in r.problems if p[1] == "self.points_source"] == \
        ["self.points_source"]


def test_frames_take_bytes_paths(tmp_path, bureau):
    inbox = os.path.dirname(_copy(EXAMPLE_XLSX[0], tmp_path / "in", "申报.xlsx"))
    got = frames([inbox], jobs=1, rules=bureau["rules"], frameworks=_BytesPath(bureau["frameworks"]))
    assert [bytes.fromhex(p) for p in got.projects["path_bytes"]] == [os.path.join(inbox, "申报.xlsx".encode("gbk"))]
