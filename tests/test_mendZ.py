"""mendZ: a reviewer's findings on mendV and mendW.

1. A workbook without our signature (no ``xlgoals_template_id`` property, no stamp in its document comments) is not
   searched for a renamed sheet of the form: its sheets are not read.
2. A rename is said (template.sheet_renamed, "其内容已按…读取并检查") only once the stamp was found and the sheets read.
"""

from __future__ import annotations

import xlsxwriter

from xlgoals import validate
from xlgoals._config import config_of
from xlgoals._read import _read_here
from xlgoals._form import FORMS
from xlgoals._read._grid import Grid


def _foreign(path, info_sheet="项目信息", signed=False):
    """A workbook whose sheets are the goal table's renamed (项目信息, 绩效指标表) and whose table sheet has the
    table's column titles; no stamp in its information sheet.  `signed`: our template id as a custom property."""
    t = FORMS["goal-table"].table
    wb = xlsxwriter.Workbook(str(path))
    if signed:
        wb.set_custom_property("xlgoals_template_id", "goal-table-shanghai-2020-2025")
    ws = wb.add_worksheet(info_sheet)
    ws.write(0, 0, "项目名称")
    ws.write(0, 1, "某项目")
    ws2 = wb.add_worksheet(t.name + "表")
    for c, col in enumerate(t.columns):
        ws2.write(t.header_row - 1, c, col.label)
        ws2.write(t.header_row, c, col.label)
    for s in range(3):  # a few sheets more of its own
        wb.add_worksheet(f"S{s}").write_row(0, 0, [1, "文本", 2.5])
    wb.close()
    return path


def test_a_workbook_without_our_signature_is_not_searched_for_a_renamed_sheet(tmp_path, monkeypatch):
    read_sheets = []
    values = Grid.values

    def counted(self, name):
        read_sheets.append(name)
        return values(self, name)

    monkeypatch.setattr(Grid, "values", counted)
    result = _read_here(_foreign(tmp_path / "foreign.xlsx"), config_of(None))  # (read may fork a worker)
    codes = [p.code for p in result.problems]
    assert read_sheets == [], read_sheets
    assert "template.sheet_renamed" not in codes and result.document is None, codes


def test_a_rename_is_not_said_when_the_stamp_is_not_found(tmp_path):
    """Our signature, the information sheet under its name but without a stamp, the table sheet renamed: the run
    stops at the stamp; the rename (whose message says the sheet was read and checked) is not said."""
    form = FORMS["goal-table"]
    report = validate(_foreign(tmp_path / "signed.xlsx", info_sheet=form.info.name, signed=True))
    codes = [p.code for f in report.files for p in f.problems]
    assert codes == ["template.missing"], codes


# 3. self.points_source: the bureau forgot --weights; said to the bureau, not failing nor marked on the department's
import openpyxl  # noqa: E402

from xlgoals._check._annotate import annotate  # noqa: E402
from xlgoals._check._report import text_report  # noqa: E402

from .helpers import ooxml_errors  # noqa: E402
from .test_mendW import GOAL, _codes, _made_with_weights  # noqa: E402


def _kept(f):
    return sorted((p.code, p.severity, p.cell) for p in f.problems if p.code != "self.points_source")


def test_points_source_is_the_bureaus_notice_not_the_departments_error(tmp_path):
    w, plain, made = _made_with_weights(tmp_path)
    right = validate(made, targets=GOAL, weights=w, strict=True)
    for report in (validate(made, targets=GOAL), validate(made, targets=GOAL, strict=True)):
        said = _codes(report, "self.points_source")
        assert [p.severity for p in said] == ["notice"], said
        f, g = report.files[0], right.files[0]
        # the department's file fails or passes as with the right points file: the same problems, said the same
        assert _kept(f) == _kept(g) and f.passes(report.strict) == g.passes(right.strict)
        assert report.valid == right.valid
    # said once in the run's lines, to the bureau, with --weights
    text = text_report(validate(made, targets=GOAL))
    note = [line for line in text.splitlines() if line.startswith("1 个自评表的分值按分值文件“分值方案.json”")]
    assert len(note) == 1 and "weights" in note[0], text  # (weights= to a library caller)
    # the annotated copy sent back to the department neither marks nor lists it
    copy = annotate(validate(made, targets=GOAL).files[0], tmp_path / "ann")
    assert ooxml_errors(copy) == []
    wb = openpyxl.load_workbook(copy)
    texts = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row
             if c.value is not None and not str(c.value).startswith("XLGOALS|")]  # (the stamp names its points file)
    texts += [c.comment.text for ws in wb for row in ws.iter_rows() for c in row if c.comment is not None]
    assert not any("weights" in t or "分值方案.json" in t or "self.points_source" in t for t in texts)
    assert len(list(wb["问题清单"].iter_rows())) > 1  # (the department's own problems are listed)


# 4. a self-evaluation made with the framework's points records it; validated with --weights by mistake: said once
from .helpers import edited  # noqa: E402
from .test_mendW import WEIGHTS, _stamp  # noqa: E402

import re  # noqa: E402

_SELF_02 = "examples/self-evaluation/02_促进就业专项资金.xlsx"  # made from GOAL with the framework's points


def _weights_file(tmp_path):
    import json

    w = tmp_path / "分值.json"
    w.write_text(json.dumps(WEIGHTS, ensure_ascii=False), encoding="utf-8")
    return w


def test_the_frameworks_points_are_recorded_in_the_stamp(tmp_path):
    w, plain, made = _made_with_weights(tmp_path)
    stamp = _stamp(openpyxl.load_workbook(plain))
    assert re.search(r"\|points=framework:[0-9a-f]{16}$", stamp) and "weights=" not in stamp, stamp  # (mendBQ: digest)
    report = validate(plain, targets=GOAL, weights=w)  # the framework's points, checked against a points file
    said = _codes(report, "self.points_source")
    assert len(said) == 1 and said[0].severity == "notice" and "指标体系的分值" in said[0].message, said
    assert _codes(report, "self.target_changed") == []
    assert _codes(validate(plain, targets=GOAL), "self.points_source") == []  # checked as made: nothing said


def test_a_filled_return_made_with_the_frameworks_points_validated_with_weights(tmp_path):
    from pathlib import Path

    new = Path(__file__).resolve().parent.parent / _SELF_02  # (remade by mendAI: its stamp records its points)
    assert re.search(r"\|points=framework:[0-9a-f]{16}$", _stamp(openpyxl.load_workbook(new)))
    # the example as made before stamps recorded their points
    old = re.sub(r"\|points=framework:[0-9a-f]{16}$", "", _stamp(openpyxl.load_workbook(new)))
    assert "points=" not in old
    src = edited(new, tmp_path / "old.xlsx", {("自评信息", "B20"): old})
    w = _weights_file(tmp_path)
    report = validate(new, targets=GOAL, weights=w)
    assert sorted(p.code for p in report.files[0].problems) == ["self.points_source"], report.files[0].problems
    assert report.valid
    line = [x for x in text_report(report).splitlines() if x.startswith("1 个自评表的分值按指标体系的分值")]
    assert len(line) == 1 and "不用 --weights" in line[0]
    # an old stamp (nothing recorded) is read as now: its 分值 compared with the points file's, each said
    assert _codes(validate(src, targets=GOAL, weights=w), "self.target_changed")
    assert _codes(validate(src, targets=GOAL, weights=w), "self.points_source") == []


# 5. rule.weight_partial: under a framework without points it says only that every 分值 must be given
def test_partial_points_without_framework_points_say_only_all_must_be_filled():
    from xlgoals import validate_document

    from .test_mendV import _partial

    (p,) = [p for p in validate_document(_partial("shanghai-2025")) if p.code == "rule.weight_partial"]
    assert "分值须全部填写" in p.message and "全部不填" not in p.message, p.message
    assert "or for none" not in p.message_en and "every indicator" in p.message_en, p.message_en
    (p,) = [p for p in validate_document(_partial("national-2021")) if p.code == "rule.weight_partial"]
    assert "分值须全部填写或全部不填。只填部分时" in p.message, p.message  # a framework with points: as before
    assert "give points for every indicator or for none. With some only" in p.message_en, p.message_en


# 7. the year end's rows without points, listed as every message lists names (first_listed)
def test_the_rows_without_points_are_listed_as_names_are():
    import pytest

    from xlgoals._errors import XlgoalsError
    from xlgoals._selfeval._weights import allocate
    from xlgoals._text import in_lang

    from .test_mendV import _partial

    doc = _partial("shanghai-2025")
    rows = doc["indicators"] * 2  # fourteen rows, the first seven without points, the rest with
    rows = [dict(r, weight=None if i < 7 else 5) for i, r in enumerate(rows)]
    with pytest.raises(XlgoalsError) as caught:
        allocate(rows, None)
    zh, en = str(caught.value), in_lang(caught.value.args[0], "en")
    assert "绩效目标表中第1条、第2条、第3条、第4条、第5条等指标未填分值" in zh, zh
    assert "indicators numbered 1, 2, 3, 4, 5 …, and" in en, en

