"""validate --targets: a return whose goal-table digest is none of those given is matched by unit and project to the
goal table that serves (the one template --targets makes the project's form from: a workbook before a JSON
document, the latest 填报日期, the file modified last), never to the first listed as it happens."""
import json
import os

import pytest

from xlgoals import validate

from .conftest import EXAMPLES
from .test_mendAZ import _two_approvals

OLD, NEW = (1_600_000_000 * 10**9,) * 2, (1_700_000_000 * 10**9,) * 2


def _return_of_neither(tmp_path, folder: str):
    """Return 01 of the form in `folder`, made from the original approval, its digest matching no goal table."""
    doc = json.loads((EXAMPLES / folder / "01_筹办第46届世界技能大赛.json").read_text(encoding="utf-8"))
    doc["targets_sha256"] = "0" * 64
    path = tmp_path / "收到.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _compared_with(report, prefix: str) -> tuple[str, list[str]]:
    competing = [p for p in report.problems() if p.code == f"{prefix}.targets_competing"]
    assert len(competing) == 1, [p.code for p in report.problems()]
    changed = [p.path for p in report.problems() if p.code == f"{prefix}.target_changed"]
    return competing[0].message, changed


@pytest.mark.parametrize("folder, prefix", [("self-evaluation", "self"), ("monitoring", "monitor")])
def test_a_return_matched_by_name_is_compared_with_the_newest_approval_whatever_the_listing(tmp_path, folder, prefix):
    approvals, original, revised = _two_approvals(tmp_path)  # 01_原 lists first; 01_调整 doubles one target
    ret = _return_of_neither(tmp_path, folder)
    # the revision modified last serves: the return (made from the original) differs from it at the doubled target
    os.utime(original, ns=OLD)
    os.utime(revised, ns=NEW)
    message, changed = _compared_with(validate([ret], targets=[approvals]), prefix)
    assert f"本表按 {revised} 核对" in message and "按单位和项目名称取了应为准的一份" in message, message
    assert changed == ["/indicators/1/value"], changed
    # the original modified last serves (it was sent again): the return is its own, nothing changed
    os.utime(original, ns=NEW)
    os.utime(revised, ns=OLD)
    message, changed = _compared_with(validate([ret], targets=[approvals]), prefix)
    assert f"本表按 {original} 核对" in message and changed == [], (message, changed)
    # listed in either order, given as files: the same one serves
    for listed in ([original, revised], [revised, original]):
        message, changed = _compared_with(validate([ret], targets=listed), prefix)
        assert f"本表按 {original} 核对" in message and changed == [], (listed, message, changed)


def test_the_later_filled_approval_serves_before_the_newer_file(tmp_path):
    """填报日期 ranks before the file's time, as template --targets and the duplicate rule rank them."""
    approvals, original, revised = _two_approvals(tmp_path)
    for path, day in ((original, "2020-01-05"), (revised, "2020-03-01")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc.setdefault("contact", {})["date"] = day
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    os.utime(original, ns=NEW)  # the older approval copied last
    os.utime(revised, ns=OLD)
    message, changed = _compared_with(validate([_return_of_neither(tmp_path, "self-evaluation")],
                                               targets=[approvals]), "self")
    assert f"本表按 {revised} 核对" in message and changed == ["/indicators/1/value"], (message, changed)


def test_a_return_of_its_approvals_digest_is_compared_with_that_one(tmp_path):
    """The digest still decides first: the return made from the original is compared with it, even where the
    revision would serve a return matched by name."""
    approvals, original, revised = _two_approvals(tmp_path)
    os.utime(original, ns=OLD)
    os.utime(revised, ns=NEW)
    ret = EXAMPLES / "self-evaluation" / "01_筹办第46届世界技能大赛.json"
    message, changed = _compared_with(validate([ret], targets=[approvals]), "self")
    assert f"本表按 {original} 核对（本表的目标表摘要与之一致）" in message and changed == [], (message, changed)
