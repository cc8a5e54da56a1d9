"""mendFC: nothing dropped, nothing passed on an empty inbox (mender M11, red team 31 round 2).

1. A department's corrected annotated copy (edited since xlgoals wrote it) given together with the file it marks
   (round 1's file still in the inbox, the copy sent back in 第二轮/) was listed as xlgoals's output and skipped
   (``skipped.beside_original``): the summary counted 0 projects and exited 0.  An edited copy is the department's
   return: it is checked and counted, and the duplicate rule settles it against the file it marks (the copy over the
   file among returns that pass or fail alike), the note saying which is the corrected copy of which.  An untouched
   copy stays skipped.
2. ``validate`` exited 0, ``--strict`` too, when it found nothing to check (an empty, unsynced or wrong folder), so
   that ``validate --strict 收件箱 && publish`` published; ``consolidate`` exits 1 there.  validate now exits 1 too.
3. An inbox of links to files elsewhere (``ln -s /store/*.xlsx 收件箱/``) listed every file as "a link pointing outside
   the folder; not followed", then said no workbook was found at all.  Such links are still not followed (returns are
   untrusted: an unpacked archive's link may name another department's return), but the summary line is true: it
   counts the workbooks that were links not followed and says how to check them (name them, or cp -L); named on the
   command line, a link is followed.  The "nothing found" line counts the workbooks it lists as not checked.
"""

from __future__ import annotations

import os
import shutil

import openpyxl

from xlgoals import consolidate, frames, validate

from .conftest import EXAMPLE_XLSX, EXAMPLES, cli

RECEIVED = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails: 项目信息!B10, 绩效指标!C16


def _two_rounds(tmp_path):
    """收件箱/第一轮/某局_某项目.xlsx (failing) and 收件箱/第二轮/某局_某项目（修改后）.xlsx, its annotated copy corrected in
    openpyxl; the original modified last (a copy of round 1 made after the correction came in)."""
    inbox = tmp_path / "收件箱"
    (inbox / "第一轮").mkdir(parents=True)
    (inbox / "第二轮").mkdir()
    original = inbox / "第一轮" / RECEIVED.name
    shutil.copy(RECEIVED, original)
    r = cli("validate", inbox / "第一轮", "--annotate", tmp_path / "退回")
    assert r.exit_code == 1, r.output
    wb = openpyxl.load_workbook(tmp_path / "退回" / "某局_某项目_问题标注.xlsx")
    wb["项目信息"]["B10"].value = 162800000
    wb["绩效指标"]["C16"].value = "数量"
    corrected = inbox / "第二轮" / "某局_某项目（修改后）.xlsx"
    wb.save(corrected)
    later = os.stat(corrected).st_mtime_ns + 10**9
    os.utime(original, ns=(later, later))
    return inbox, original, corrected


def test_a_corrected_copy_beside_the_file_it_marks_is_checked_and_counted(tmp_path):
    inbox, original, corrected = _two_rounds(tmp_path)
    out = tmp_path / "汇总.xlsx"
    r = cli("consolidate", inbox, "-o", out)
    assert r.exit_code == 0, r.output
    assert "计入 1 个项目" in r.output and "重复申报 1 个" in r.output, r.output
    assert "xlgoals 的输出" not in r.output, r.output
    res = consolidate([inbox], tmp_path / "汇总2.xlsx")
    assert res.skipped == {}
    by_path = {rec.path: rec for rec in res.records}
    assert set(by_path) == {str(original), str(corrected)}
    assert by_path[str(corrected)].included and not by_path[str(corrected)].duplicate
    dup = by_path[str(original)]
    assert dup.duplicate and not dup.included
    assert dup.note == ("重复申报，以 第二轮/某局_某项目（修改后）.xlsx 为准，"
                        "该文件是本文件的问题标注副本，由单位修改后重新报送"), dup.note
    # the summary's 项目清单 says it too, in the original's row
    wb = openpyxl.load_workbook(out, read_only=True)
    rows = [[c for c in row if c is not None] for row in wb["项目清单"].iter_rows(values_only=True)]
    said = [row for row in rows if any(isinstance(c, str) and "问题标注副本，由单位修改后重新报送" in c for c in row)]
    assert len(said) == 1, rows

    # validate, of the folder: both checked; the original, not counted, is said a duplicate naming its correction
    report = validate([inbox])
    assert report.skipped_reasons == {}
    files = {f.path: f for f in report.files}
    assert set(files) == {str(original), str(corrected)}
    assert files[str(corrected)].errors == []
    dups = [p for p in files[str(original)].problems if p.code == "return.duplicate"]
    assert len(dups) == 1 and "问题标注副本，由单位修改后重新报送" in dups[0].message, dups
    assert "annotated copy, corrected and sent back" in dups[0].message_en

    # named, with the file it marks (收件箱/*/*): the same, the copy read as a return
    res = consolidate([original, corrected], tmp_path / "汇总3.xlsx")
    assert res.skipped == {}
    assert [rec.path for rec in res.records if rec.included] == [str(corrected)]

    # a correction that still fails, beside the file it marks, modified after it: the copy, the newer of the two,
    # is the one an --include-invalid summary counts (among returns failing alike), and says so of the file it marks
    half = tmp_path / "收件箱2"
    half.mkdir()
    wb = openpyxl.load_workbook(tmp_path / "退回" / "某局_某项目_问题标注.xlsx")
    wb["项目信息"]["B10"].value = 162800000  # 绩效指标!C16 left as it was
    wb.save(half / "改了一半.xlsx")
    shutil.copy(original, half / "原件.xlsx")
    later = os.stat(half / "改了一半.xlsx").st_mtime_ns + 10**9
    os.utime(half / "原件.xlsx", ns=(later, later))
    res = consolidate([half], tmp_path / "汇总4.xlsx", include_invalid=True)
    by_path = {rec.path: rec for rec in res.records}
    assert by_path[str(half / "改了一半.xlsx")].included, {p: r.note for p, r in by_path.items()}
    assert by_path[str(half / "原件.xlsx")].note.startswith("重复申报，以 改了一半.xlsx 为准，该文件是本文件的问题标注副本")
    # frames() decides as consolidate does
    p = frames([half], jobs=1).projects
    dup = p.loc[p["duplicate"], "path"].map(os.path.basename).tolist()
    assert dup == ["原件.xlsx"], p[["path", "duplicate", "note"]]


def test_validate_exits_1_when_it_checked_nothing(tmp_path):
    empty = tmp_path / "收件箱"
    empty.mkdir()
    r = cli("validate", "--strict", empty)
    assert r.exit_code == 1, r.output
    assert "没有找到要校验的工作簿" in r.stdout
    out = tmp_path / "r.json"
    r = cli("validate", empty, "--format", "json", "-o", out, "--lang", "en")  # the report not on the terminal: said
    assert r.exit_code == 1, r.output
    assert "Note: nothing was checked" in r.stderr, r.stderr
    # only our own output in it (the --annotate folder given by mistake): nothing checked, the workbooks counted
    back = tmp_path / "退回"
    assert cli("validate", RECEIVED, "--annotate", back).exit_code == 1
    r = cli("validate", back)
    assert r.exit_code == 1, r.output
    assert "另有 1 个文件未检查，其中工作簿 1 个，原因见下" in r.stdout, r.stdout
    r = cli("consolidate", back, "-o", tmp_path / "汇总.xlsx")
    assert r.exit_code == 1, r.output
    assert "所给的路径中没有找到可汇总的工作簿" in r.stderr and "其中工作簿 1 个" in r.stderr, r.stderr
    assert "没有找到任何工作簿" not in r.output
    # a file checked: 0, as before
    assert cli("validate", "--strict", EXAMPLE_XLSX[1]).exit_code == 0


def test_links_out_of_the_inbox_are_not_followed_but_counted_and_checked_when_named(tmp_path):
    """A link in the inbox to a file elsewhere (an archive a department sent, unpacked: ``unzip`` restores links, and
    one may name another department's return on the bureau's disk) is not followed: said with the reason, and the
    summary line counts such links and says how to check them, not "no workbook found"; named on the command line
    (the user's own choice), the same link is followed and checked."""
    from xlgoals._paths import documents

    store, inbox = tmp_path / "store", tmp_path / "inbox"
    store.mkdir()
    inbox.mkdir()
    for f in EXAMPLE_XLSX[:2]:
        shutil.copy(f, store / f.name)
        os.symlink(store / f.name, inbox / f.name)
    os.symlink(tmp_path / "gone.xlsx", inbox / "gone.xlsx")  # a link to nothing: said broken, as before
    report = validate([inbox])
    assert report.files == []
    why = {os.path.basename(p): w for p, w in report.skipped_reasons.items()}
    assert why["gone.xlsx"][0] == "链接指向的文件或文件夹不存在（链接已失效），未检查"
    assert all(why[f.name].code == "skipped.outside_link" and "为安全起见" in why[f.name][0] for f in EXAMPLE_XLSX[:2])
    r = cli("validate", inbox)
    assert r.exit_code == 1, r.output
    assert "找到 2 个工作簿，均为指向所给文件夹之外的链接，未跟随（为安全起见；要校验它们，请直接在命令行列出这些文件，" \
           "或复制文件本身：cp -L）" in r.stdout, r.stdout
    assert "没有找到" not in r.stdout and "没有可校验" not in r.stdout, r.stdout
    r = cli("validate", inbox, "--lang", "en")
    assert "Found 2 workbooks, all links pointing outside the folders given; not followed (for safety" in r.stdout
    r = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx")
    assert r.exit_code == 1, r.output
    assert "找到 2 个工作簿，均为指向所给文件夹之外的链接" in r.stderr and "没有找到" not in r.stderr, r.stderr
    # beside a return checked: counted all the same
    shutil.copy(EXAMPLE_XLSX[2], inbox / EXAMPLE_XLSX[2].name)
    r = cli("validate", inbox)
    assert "另有 2 个工作簿是指向所给文件夹之外的链接，未跟随（为安全起见" in r.stdout, r.stdout
    r = cli("consolidate", inbox, "-o", tmp_path / "汇总2.xlsx")
    assert r.exit_code == 0 and "另有 2 个工作簿是指向所给文件夹之外的链接" in r.stderr, r.output
    # --targets/--previous folders: the same rule
    assert [p.name for p in documents([inbox], (".xlsx",))] == [EXAMPLE_XLSX[2].name]
    # named on the command line, the link is followed, under its own name
    named = inbox / EXAMPLE_XLSX[0].name
    report = validate([named])
    assert [f.path for f in report.files] == [str(named)] and not report.skipped_reasons
    assert cli("validate", named).exit_code == 0
    assert all(os.path.islink(inbox / f.name) for f in EXAMPLE_XLSX[:2])  # (links left as they are)
