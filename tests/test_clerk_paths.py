"""The bureau clerk's command line and file system: output paths the system refuses, copies that cannot be
written, names that are not UTF-8, inputs the system cannot open.  What the clerk sees is one clear line in the
language asked for, the right exit code, and nothing half-written."""

import errno
import json
import os
import shutil

import openpyxl

from xlgoals._check._annotate import SUFFIX

from .conftest import EXAMPLES, cli
from .helpers import cjk_outside_data, files_under, one_line

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy
PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


# an output name the file system refuses (longer than its 255 bytes) -----------------------------------------
def test_an_output_name_too_long_is_a_usage_error_before_anything_is_read(tmp_path):
    long_name = "报" * 90  # 270 bytes in UTF-8: a name no Linux or Windows file system takes
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    for args in (["validate", tmp_path / "in", "-o", tmp_path / f"{long_name}.txt"],
                 ["consolidate", tmp_path / "in", "-o", tmp_path / f"{long_name}.xlsx"],
                 ["consolidate", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--json", tmp_path / f"{long_name}.json"]):
        before = files_under(tmp_path)
        zh = cli(*args)
        assert zh.exit_code == 2, zh.output
        assert one_line(zh.stderr).startswith("错误：无法写入 ") and "文件名过长" in zh.stderr and zh.stdout == ""
        en = cli(*args, "--lang", "en")
        assert en.exit_code == 2 and "file name too long" in en.stderr, en.output
        assert cjk_outside_data(one_line(en.stderr), paths=[tmp_path / f"{long_name}.txt",
                                                             tmp_path / f"{long_name}.xlsx",
                                                             tmp_path / f"{long_name}.json"]) == []
        assert files_under(tmp_path) == before


# a folder the run writes into that cannot be written: said of that folder, not of a file never meant ---------
def test_an_output_folder_that_cannot_be_written_is_named_as_a_folder(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    ro = tmp_path / "ro"
    ro.mkdir()
    real_access = os.access
    monkeypatch.setattr("xlgoals._paths.os.access",
                        lambda path, mode, **k: False if os.fspath(path) == os.fspath(ro) else real_access(path, mode))
    cases = [(["validate", tmp_path / "in", "--annotate", ro / "标注"], ro / "标注"),
             (["consolidate", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--csv", ro / "表"], ro / "表")]
    for args, folder in cases:
        zh = cli(*args)
        assert zh.exit_code == 2, zh.output
        assert one_line(zh.stderr) == f"错误：无法写入文件夹 {folder}：文件夹 {ro} 不可写"
        en = cli(*args, "--lang", "en")
        assert one_line(en.stderr) == f"Error: cannot write the folder {folder}: the folder {ro} is not writable"
    assert files_under(ro) == []


# an annotated copy that cannot be written (a full disk): said in the clerk's language, no class name -----------
def test_an_annotated_copy_on_a_full_disk_is_told_plainly(tmp_path, monkeypatch):
    shutil.copy(FAILING, tmp_path / "a.xlsx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)
    zh = cli("validate", tmp_path / "a.xlsx", "--annotate", tmp_path / "ann")
    assert zh.exit_code == 2  # the copy asked for is not there (mendCE)
    line, last = zh.stderr.strip().splitlines()
    assert "磁盘空间不足" in line and "Error" not in line and "OSError" not in line, line
    assert last.startswith("错误：1 个标注副本未能写入") and "OSError" not in last, last
    en = cli("validate", tmp_path / "a.xlsx", "--annotate", tmp_path / "ann", "--lang", "en")
    line = en.stderr.strip().splitlines()[0]
    assert "no space left on the disk" in line and cjk_outside_data(line, paths=[tmp_path / "ann" / f"a{SUFFIX}.xlsx"]) == [], line
    assert "Error:" not in line and "XlgoalsError" not in line
    assert not (tmp_path / "ann").exists() or files_under(tmp_path / "ann") == []


def test_annotated_copies_stop_at_the_first_full_disk(tmp_path, monkeypatch):
    """A full disk and many failing returns: each copy was tried, and each said "磁盘空间不足" on a line of its
    own.  The first that finds the disk full is said; the rest are not tried, and one line says how many got no
    copy.  Nothing half-written is left."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(FAILING, inbox / f"{name}.xlsx")
    tries = []

    def full(*args, **kwargs):
        tries.append(args)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)
    zh = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "1")
    assert zh.exit_code == 2 and len(tries) == 1, zh.stderr  # the copies asked for are not there (mendCE)
    lines = zh.stderr.strip().splitlines()
    assert len(lines) == 3 and "磁盘空间不足" in lines[0] and str(inbox / "a.xlsx") in lines[0], zh.stderr
    assert lines[2].startswith("错误：3 个标注副本未能写入") and lines[2].endswith("原因见上）；退出码 2"), lines[2]
    assert lines[1] == ("磁盘空间不足，已停止生成标注副本：其余 2 个未通过的文件未生成标注副本（未留下不完整的文件）；"
                        "请腾出空间后重新运行"), zh.stderr
    en = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "1", "--lang", "en")
    assert en.exit_code == 2 and len(tries) == 2
    assert en.stderr.strip().splitlines()[1] == (
        "the disk is full, so no more annotated copies were made: 2 more failing files got none (no incomplete file "
        "was left); free some space and run again"), en.stderr
    assert files_under(tmp_path) == ["收件箱", "收件箱/a.xlsx", "收件箱/b.xlsx", "收件箱/c.xlsx"]


# a return whose name is GBK (unpacked from a Windows zip): its copy's name is readable ---------------------------
def test_an_annotated_copy_of_a_gbk_named_return_has_a_readable_name(tmp_path):
    inbox = os.fsencode(tmp_path / "收件箱")
    os.mkdir(inbox)
    gbk_folder = os.path.join(inbox, "财政局".encode("gbk"))
    os.mkdir(gbk_folder)
    shutil.copy(FAILING, os.path.join(inbox, "某局申报".encode("gbk") + b".xlsx"))
    shutil.copy(FAILING, os.path.join(gbk_folder, "某局申报".encode("gbk") + b".xlsx"))  # the same name twice
    result = cli("validate", tmp_path / "收件箱", "--annotate", tmp_path / "标注")
    assert result.exit_code == 1
    names = sorted(os.listdir(tmp_path / "标注"))
    assert names == sorted(["收件箱_某局申报" + SUFFIX + ".xlsx", "财政局_某局申报" + SUFFIX + ".xlsx"]), names
    for name in names:
        assert name.encode("utf-8", "strict")  # no surrogates: a name every program shows
        assert name in result.stderr
        assert "问题清单" in openpyxl.load_workbook(tmp_path / "标注" / name, read_only=True).sheetnames


# an input the system cannot open for another reason than its absence -----------------------------------------
def test_a_link_loop_is_not_called_missing(tmp_path):
    os.symlink("loop.xlsx", tmp_path / "loop.xlsx")
    shutil.copy(PASSING, tmp_path / "a.xlsx")
    zh = cli("validate", tmp_path, "--format", "json")
    assert zh.exit_code == 1
    import json

    report = json.loads(zh.stdout)
    loop = next(f for f in report["files"] if f["path"].endswith("loop.xlsx"))
    assert [p["code"] for p in loop["problems"]] == ["file.unreadable"]
    assert "符号链接循环" in loop["problems"][0]["message"]
    en = json.loads(cli("validate", tmp_path / "loop.xlsx", "--format", "json", "--lang", "en").stdout)
    assert "too many levels of symbolic links" in en["files"][0]["problems"][0]["message"]


# a saved e-mail in the folder of returns: the return is its attachment -------------------------------------
def _eml(path, attachments):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "dept@example.cn", "czj@example.cn", "报送绩效目标表"
    msg.set_content("附件为我单位绩效目标表，请审核。")
    for name, data in attachments:
        msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=name)
    path.write_bytes(bytes(msg))
    return path


def _msg(path, attachments: int, holds_xls: bool = False):
    """An Outlook .msg as the screen sees one: a compound file whose directory names the MAPI property streams
    (__substg1.0_…) and one storage per attachment (__attach_version1.0_#…); with `holds_xls`, an attached .xls
    workbook's own directory inside (its Workbook stream)."""
    names = ["__properties_version1.0", "__substg1.0_0037001F", "__substg1.0_1000001F",
             *(f"__attach_version1.0_#{i:08X}" for i in range(attachments)), *(["Workbook"] if holds_xls else [])]
    body = b"".join(n.encode("utf-16-le").ljust(128, b"\x00") for n in names)
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + body
    path.write_bytes(data.ljust(-(-max(len(data), 1536) // 512) * 512, b"\x00"))
    return path


def test_a_saved_e_mail_is_said_as_one_and_named_tells_its_attachments(tmp_path):
    """A folder of returns with the mails they came in saved beside them: a mail is no return, and is not
    checked (it would fail every batch), but it was listed as "not a workbook file", though a department's return
    may be only in it.  It is said to be a mail; named, it is read and says how many workbooks it holds."""
    import json

    folder = tmp_path / "收件箱"
    folder.mkdir()
    shutil.copy(PASSING, folder / "好.xlsx")
    _eml(folder / "来信.eml", [("某局_绩效目标表.xlsx", FAILING.read_bytes()), ("盖章页.pdf", b"%PDF-1.4"),
                              ("乙单位.xls", b"\xd0\xcf\x11\xe0")])
    _msg(folder / "来信.msg", 2, holds_xls=True)
    (folder / "说明.txt").write_text("x")
    zh = cli("validate", folder, "--format", "json")
    report = json.loads(zh.stdout)
    assert zh.exit_code == 0 and [os.path.basename(f["path"]) for f in report["files"]] == ["好.xlsx"]
    reasons = {os.path.basename(p): why for p, why in report["skipped_reasons"].items()}
    assert reasons["来信.eml"] == reasons["来信.msg"] == "保存的邮件，未检查；若申报只在其附件中，请将附件另存后校验"
    assert reasons["说明.txt"] == "不是工作簿文件，未检查"
    en = json.loads(cli("validate", folder, "--format", "json", "--lang", "en").stdout)
    assert {os.path.basename(p): why for p, why in en["skipped_reasons"].items()}["来信.msg"].startswith("a saved e-mail")
    named = json.loads(cli("validate", folder / "来信.eml", folder / "来信.msg", "--format", "json").stdout)
    eml, msg = (f["problems"] for f in named["files"])
    assert [p["code"] for p in eml] == [p["code"] for p in msg] == ["file.not_workbook"]
    assert "邮件" in eml[0]["message"] and "2 个工作簿附件" in eml[0]["message"] and "附件另存" in eml[0]["message"]
    assert "Outlook 邮件" in msg[0]["message"] and "2 个附件" in msg[0]["message"] and "附件另存" in msg[0]["message"]
    en = json.loads(cli("validate", folder / "来信.eml", folder / "来信.msg", "--format", "json", "--lang", "en").stdout)
    eml, msg = (f["problems"][0]["message"] for f in en["files"])
    assert "(looks like: a saved e-mail, 2 workbooks attached; save and submit them)" in eml, eml
    assert "(looks like: an Outlook mail (.msg), 2 attachments; save and submit them)" in msg, msg


def test_an_e_mail_without_a_workbook_attached_says_so(tmp_path):
    from xlgoals import read

    (problem,) = read(_eml(tmp_path / "来信.eml", [("说明.docx", b"PK")])).problems
    assert problem.code == "file.not_workbook" and "没有工作簿附件" in problem.message, problem.message
    assert "no workbook attached" in problem.message_en


# a run that fails while writing (a full disk) leaves nothing behind: no file, and no folder it made -------------
def test_a_full_disk_while_writing_leaves_no_folder_the_run_made(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    shutil.copy(PASSING, tmp_path / "in" / "a.xlsx")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "s.xlsx").write_bytes(b"last week's summary")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(__import__("xlgoals._consolidate._render", fromlist=["RENDERERS"]).RENDERERS, "json", full)
    result = cli("consolidate", tmp_path / "in", "-o", tmp_path / "out" / "s.xlsx", "--csv", tmp_path / "out" / "表" / "csv",
                 "--json", tmp_path / "out" / "新" / "s.json", "--force")  # the bytes there are no summary
    assert result.exit_code == 2 and "磁盘空间不足" in result.stderr, result.output  # the run not done: 2 (mendBS)
    assert files_under(tmp_path / "out") == ["s.xlsx"]  # neither 表/csv nor 新, made for the outputs, is left
    assert (tmp_path / "out" / "s.xlsx").read_bytes() == b"last week's summary"
    assert files_under(tmp_path / "in") == ["a.xlsx"]


# one file named that cannot be read does not stop the batch -----------------------------------------------
def test_an_unreadable_file_named_with_others_fails_alone(tmp_path, monkeypatch):
    """`xlgoals validate 收件箱/*.xlsx` with one file the clerk may not read (copied off a share with its rights):
    click refused the whole command line (exit 2, "路径 '…' 不可读") before reading any file.  The file fails as
    unreadable, the others are checked.  (Tests may run as root, who reads anything: the system's refusal is
    played by os.access and os.open for that one file.)"""
    import json

    good, closed = tmp_path / "好.xlsx", tmp_path / "锁.xlsx"
    shutil.copy(PASSING, good)
    shutil.copy(PASSING, closed)
    real_access, real_open = os.access, os.open

    def access(path, mode, *args, **kwargs):
        return False if os.fspath(path) == os.fspath(closed) else real_access(path, mode, *args, **kwargs)

    def os_open(path, flags, *args, **kwargs):
        if os.fspath(path) == os.fspath(closed):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)
    monkeypatch.setattr(os, "open", os_open)
    result = cli("validate", good, closed, "--format", "json", "--jobs", "1")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert {os.path.basename(f["path"]): [p["code"] for p in f["problems"]] for f in report["files"]} == \
        {"好.xlsx": [], "锁.xlsx": ["file.unreadable"]}
    summary = cli("consolidate", good, closed, "-o", tmp_path / "汇总.xlsx", "--jobs", "1")
    assert summary.exit_code == 0 and "未通过或无法读取 1 个" in summary.stdout, summary.output
    read = cli("read", closed)  # as `read`'s exit codes say: 1, the file cannot be read (not 2, a usage error)
    assert read.exit_code == 1 and "无法读取工作簿" in read.stderr, read.output


# last week's summary still open in Excel on the clerk's Windows machine ---------------------------------------
def test_an_output_open_in_excel_says_to_close_it(tmp_path, monkeypatch):
    """Windows refuses to replace a file Excel has open (PermissionError).  The line said only "cannot replace
    汇总.xlsx (permission denied)"; the clerk, who has it open, is told to close it, and it is left as it was."""
    (tmp_path / "in").mkdir()
    shutil.copy(PASSING, tmp_path / "in" / "a.xlsx")
    summary = tmp_path / "汇总.xlsx"
    summary.write_bytes(b"last week's summary")
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        if os.fspath(dst) == os.fspath(summary):
            raise PermissionError(errno.EACCES, "Access is denied", os.fspath(src), None, os.fspath(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    zh = cli("consolidate", tmp_path / "in", "-o", summary, "--force")  # the bytes there are no summary
    assert zh.exit_code == 2  # an output that cannot be written: consolidate's 2 (mendBS)
    assert "正在 Excel 或 WPS 中打开，请关闭后重新运行" in one_line(zh.stderr), zh.stderr
    en = cli("consolidate", tmp_path / "in", "-o", summary, "--lang", "en", "--force")
    assert en.exit_code == 2 and "open in Excel or WPS, close it and run again" in one_line(en.stderr), en.stderr
    assert summary.read_bytes() == b"last week's summary" and files_under(tmp_path) == ["in", "in/a.xlsx", "汇总.xlsx"]


# consolidate says which files it did not check, and why, as validate does ---------------------------------------
def test_consolidate_names_the_files_it_did_not_check(tmp_path):
    """The line said "未检查的文件 2 个" and no more: which files, and why, were in the summary's 校验结果 only.
    They are listed on standard error as validate lists them (standard output keeps its two lines for scripts)."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(PASSING, inbox / "好.xlsx")
    _eml(inbox / "来信.eml", [("某局.xlsx", FAILING.read_bytes())])
    (inbox / "说明.txt").write_text("x", encoding="utf-8")
    zh = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx")
    assert zh.exit_code == 0 and "未检查的文件 2 个" in zh.stdout and len(zh.stdout.strip().splitlines()) == 2
    assert zh.stderr.strip().splitlines() == [
        "文件夹中未检查的文件：2 个",
        f"  - {inbox / '来信.eml'}（保存的邮件，未检查；若申报只在其附件中，请将附件另存后校验）",
        f"  - {inbox / '说明.txt'}（不是工作簿文件，未检查）"], zh.stderr
    en = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--lang", "en")
    assert en.stderr.strip().splitlines() == [
        "Files in folders not checked: 2",
        f"  - {inbox / '来信.eml'} (a saved e-mail; not checked. If a return is only in its attachments, save them "
        "and check those)",
        f"  - {inbox / '说明.txt'} (not a workbook file; not checked)"], en.stderr


# a wildcard the shell passed on as typed (it matched no file) -------------------------------------------------

def test_a_wildcard_that_matched_no_file_is_said_to_be_one(tmp_path):
    """`xlgoals validate 收件箱/*.xlsx` on an empty inbox: the shell passes the pattern on as typed, and the clerk
    read only "文件不存在" for a name no one wrote; now the message says the wildcard matched no file, in every
    output and in English, and a plain missing name stays as it was."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    pattern = inbox / "*.xlsx"
    hint, hint_en = "是通配符，没有匹配到任何文件", "wildcards that matched no file"
    out = cli("validate", pattern)  # nothing named is there: a usage error before anything is read (mendBS)
    assert out.exit_code == 2 and "找不到" in out.stderr and hint in out.stderr
    assert hint_en in cli("validate", pattern, "--lang", "en").output
    # named beside a folder that is there: listed in the report, the others checked, exit 2
    beside = cli("validate", pattern, inbox, "--format", "json")
    assert beside.exit_code == 2 and hint in beside.stderr
    problem = json.loads(beside.stdout)["files"][0]["problems"][0]
    assert problem["code"] == "file.missing" and hint in problem["message"]
    problem = json.loads(cli("validate", pattern, inbox, "--format", "json", "--lang", "en").stdout)["files"][0]["problems"][0]
    assert hint_en in problem["message"]
    plain = cli("validate", inbox / "甲.xlsx")
    assert "找不到" in plain.output and "通配符" not in plain.output
    refused = cli("consolidate", pattern, "-o", tmp_path / "汇总.xlsx")
    assert refused.exit_code == 2 and hint in refused.output and not (tmp_path / "汇总.xlsx").exists()


def _refused(*args) -> tuple[str, str]:
    """The one line a command refused before it read anything (exit 2) says, in zh and in en (--lang en)."""
    zh, en = cli(*args), cli(*args, "--lang", "en")
    assert zh.exit_code == 2, (args, zh.output)
    assert en.exit_code == 2, (args, en.output)
    return one_line(zh.stderr), one_line(en.stderr)


# an input file option the clerk may not read: our located message, not click's ---------------------------------
def test_an_unreadable_file_given_to_an_input_option_is_said_as_ours(tmp_path, monkeypatch):
    """--previous, --library, --weights, --rules and --review-config were click paths that click checked itself: a
    file the clerk may not read stopped the command line with click's usage block and "'--previous' 的取值无效：
    路径 '…' 不可读" (exit 2), and --weights given a folder likewise; the other inputs were the library's to report.
    Now each is the library's: named in our words, in zh and en, and the returns are still checked where the
    option only feeds the review.  (Root reads anything: the refusal is played by os.access and the opens.)"""
    import builtins
    import io

    a = tmp_path / "a.xlsx"
    shutil.copy(FAILING, a)
    closed = {"prev.xlsx": FAILING, "lib.csv": None, "w.json": None, "r.csv": None, "rc.json": None}
    for name, source in closed.items():
        shutil.copy(source, tmp_path / name) if source else (tmp_path / name).write_text("{}\n", encoding="utf-8")
    names = {os.fspath(tmp_path / n) for n in closed}
    real_access, real_os_open, real_open = os.access, os.open, builtins.open

    def refused(path):
        return isinstance(path, (str, os.PathLike)) and os.fspath(path) in names

    def os_open(path, flags, *args, **kwargs):
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_os_open(path, flags, *args, **kwargs)

    def py_open(path, *args, **kwargs):
        if refused(path):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "access", lambda p, m, *x, **k: False if refused(p) else real_access(p, m, *x, **k))
    monkeypatch.setattr(os, "open", os_open)
    monkeypatch.setattr(builtins, "open", py_open)
    monkeypatch.setattr(io, "open", py_open)
    cases = [(["--library", tmp_path / "lib.csv"], "错误：无法读取指标库 {}：没有访问权限",
              "Error: cannot read the indicator library {}: permission denied"),
             (["--targets", a, "--weights", tmp_path / "w.json"], "错误：无法读取分值文件 {}：没有访问权限",
              "Error: cannot read the points file {}: permission denied"),
             (["--targets", a, "--weights", tmp_path], "错误：无法读取分值文件 {}：这是文件夹，不是普通文件",
              "Error: cannot read the points file {}: it is a folder, not a file"),
             (["--rules", tmp_path / "r.csv"], "错误：无法读取规则表 {}：没有访问权限",
              "Error: cannot read the rule table {}: permission denied"),
             (["--review-config", tmp_path / "rc.json"], "错误：无法读取审核配置文件 {}：没有访问权限",
              "Error: cannot read the review configuration file {}: permission denied")]
    for args, zh_line, en_line in cases:
        assert _refused("validate", a, *args, "--jobs", "1") == (zh_line.format(args[-1]), en_line.format(args[-1]))
    prev = tmp_path / "prev.xlsx"  # last year's return only feeds the review: the return is checked, the file said
    zh = cli("validate", a, "--previous", prev, "--jobs", "1")
    assert zh.exit_code == 1 and zh.stderr == "", zh.output
    assert f"{prev}：上年申报文件 " in zh.stdout and "无法使用（无法读取工作簿（没有访问权限）），未用于与上年比较" in zh.stdout
    en = cli("validate", a, "--previous", prev, "--jobs", "1", "--lang", "en")
    assert en.exit_code == 1 and f"{prev}: Last year's return " in en.stdout and "(permission denied)" in en.stdout


# an output path that is a link to nothing ------------------------------------------------------------------------
def test_an_output_file_that_is_a_link_to_nothing_is_replaced_by_the_output(tmp_path):
    """`-o 汇总.xlsx` where 汇总.xlsx is a link left pointing at a folder since removed (or another disk): it was
    refused as if the output would be written through the link ("写入会落到别处"), but an output link is replaced,
    never written through.  The link is replaced by the output, and nothing is written where it pointed."""
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    away = tmp_path / "away"
    away.mkdir()
    for name in ("汇总.xlsx", "汇总.json", "报告.txt", "模板.xlsx"):
        (tmp_path / name).symlink_to(away / f"x-{name}")
    inbox = tmp_path / "in"
    cases = [(["consolidate", inbox, "-o", tmp_path / "汇总.xlsx"], 0),
             (["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "汇总.json"], 0),
             (["validate", inbox, "-o", tmp_path / "报告.txt"], 1),
             (["template", "-o", tmp_path / "模板.xlsx"], 0)]
    for args, code in cases:
        link = args[-1]
        result = cli(*args)
        assert result.exit_code == code, (args, result.output)
        assert not link.is_symlink() and link.is_file() and link.stat().st_size > 0, args
    assert openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames
    assert json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    assert "a.xlsx" in (tmp_path / "报告.txt").read_text(encoding="utf-8")
    assert openpyxl.load_workbook(tmp_path / "模板.xlsx").sheetnames
    assert files_under(away) == []


def test_an_output_folder_that_is_a_link_to_nothing_is_refused(tmp_path):
    """`--annotate 标注` or `--csv 表` where the folder is a link to nothing: a folder is written into through its
    link, wherever it pointed.  It is refused before anything is read (exit 2), in zh and en, and nothing is
    written anywhere."""
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    away = tmp_path / "away"
    away.mkdir()
    for name in ("标注", "表"):
        (tmp_path / name).symlink_to(away / f"x-{name}")
    inbox = tmp_path / "in"
    cases = [["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "表"],
             ["validate", inbox, "--annotate", tmp_path / "标注"]]
    for args in cases:
        link = args[-1]
        zh, en = _refused(*args)
        assert zh == (f"错误：输出路径 {link} 是指向不存在位置（{away / ('x-' + link.name)}）的链接，"
                      "写入会落到别处，已停止；请删除该链接或换一个输出位置"), zh
        assert en.startswith(f"Error: the output path {link} is a link to something that does not exist"), en
    assert files_under(away) == [] and not (tmp_path / "s.xlsx").exists()


def test_two_links_to_one_file_are_two_outputs_each_replaced(tmp_path):
    """`-o 甲.xlsx --json 乙.json`, both links to one file: each link is replaced by its output (what they point
    to is never written through), so they were wrongly refused as "two outputs are one file".  One file reached
    through a linked folder is still one file, and refused."""
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"kept")
    (tmp_path / "甲.xlsx").symlink_to(target)
    (tmp_path / "乙.json").symlink_to(target)
    result = cli("consolidate", tmp_path / "in", "-o", tmp_path / "甲.xlsx", "--json", tmp_path / "乙.json", "--force")
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "甲.xlsx").is_symlink() and openpyxl.load_workbook(tmp_path / "甲.xlsx").sheetnames
    assert not (tmp_path / "乙.json").is_symlink() and json.loads((tmp_path / "乙.json").read_text(encoding="utf-8"))
    assert target.read_bytes() == b"kept"
    (tmp_path / "real").mkdir()
    (tmp_path / "via").symlink_to(tmp_path / "real")
    result = cli("consolidate", tmp_path / "in", "-o", tmp_path / "via" / "s.xlsx", "--json",
                 tmp_path / "real" / "s.xlsx")
    assert result.exit_code == 2 and "两个输出指向同一个文件" in result.output, result.output
    assert files_under(tmp_path / "real") == []


# an output folder named as a workbook ----------------------------------------------------------------------------
def test_an_output_folder_named_as_a_workbook_is_refused(tmp_path):
    """`--annotate 收件箱/标注.xlsx` made a FOLDER 标注.xlsx, which the next scan of 收件箱 reported, and which
    no spreadsheet opens.  A folder output named as a workbook (any case) is refused before anything is read."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "a.xlsx")
    projects = tmp_path / "projects.csv"
    shutil.copy(EXAMPLES / "projects.csv", projects)
    cases = [(["validate", inbox, "--annotate", inbox / "标注.xlsx"], "xlsx"),
             (["validate", inbox, "--annotate", tmp_path / "标注.XLS"], "XLS"),
             (["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--csv", tmp_path / "表.xlsx"], "xlsx"),
             (["template", "--prefill", projects, "--out-dir", tmp_path / "模板.xlsx"], "xlsx")]
    for args, ext in cases:
        folder = args[-1]
        assert _refused(*args) == (
            f"错误：输出文件夹 {folder} 以 .{ext} 结尾，像工作簿的文件名，但这里应为文件夹（输出的文件写在其中）；请换一个文件夹名称"
            "（如 标注副本）",
            f"Error: the output folder {folder} ends in .{ext}, like a workbook, but a folder is needed here (the "
            "files are written into it); choose another folder name (such as annotated)")
    assert files_under(tmp_path) == ["projects.csv", "收件箱", "收件箱/a.xlsx"]


# standard output redirected to a full disk -----------------------------------------------------------------------
def test_standard_output_on_a_full_disk_is_named(tmp_path):
    """`xlgoals validate 收件箱 --format json > 满盘/报告.json`: the line said "错误：无法读写文件（磁盘空间不足）",
    naming no file, and --version (or --help) on such a disk gave a traceback.  Each says in one line that standard
    output could not be written and the output is incomplete, and exits 2.  (/dev/full plays the full disk.)"""
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):  # pragma: no cover - Linux has it
        import pytest

        pytest.skip("no /dev/full")
    a = tmp_path / "a.xlsx"
    shutil.copy(FAILING, a)
    zh_line = "错误：无法写入标准输出（磁盘空间不足），输出不完整"
    en_line = "Error: cannot write the standard output (no space left on the disk); the output is incomplete"
    for args in (["validate", a, "--format", "json", "--jobs", "1"], ["validate", a, "--format", "csv", "--jobs", "1"],
                 ["read", a], ["schema"], ["frameworks"], ["--version"], ["validate", "--help"],
                 ["consolidate", a, "-o", tmp_path / "s.xlsx", "--jobs", "1"]):
        for lang, line in (("zh", zh_line), ("en", en_line)):
            with open("/dev/full", "w") as full:
                proc = subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args), "--lang", lang],
                                      stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
            assert proc.returncode == 2, (args, proc.stderr)  # an output not written: 2, every command's (mendCE)
            assert proc.stderr.strip().splitlines()[-1] == line and "Traceback" not in proc.stderr, (args, proc.stderr)


def test_annotated_copies_are_made_when_standard_output_is_full(tmp_path):
    """`xlgoals validate 收件箱 --annotate 标注 > 满盘/报告.txt`: the report could not be written, and the run stopped
    there, before the annotated copies, which are what the clerk sends back to the departments.  The copies are
    made (each said on standard error), then the one line says the report is incomplete, exit 1."""
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):  # pragma: no cover - Linux has it
        import pytest

        pytest.skip("no /dev/full")
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "a.xlsx")
    shutil.copy(FAILING, inbox / "b.xlsx")
    for fmt in ("text", "json", "csv"):
        marks = tmp_path / f"标注-{fmt}"
        with open("/dev/full", "w") as full:
            proc = subprocess.run([sys.executable, "-m", "xlgoals", "validate", str(inbox), "--annotate", str(marks),
                                   "--format", fmt, "--jobs", "1"],
                                  stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
        assert proc.returncode == 2, proc.stderr  # the report not written (mendBS)
        assert sorted(p.name for p in marks.iterdir()) == ["a_问题标注.xlsx", "b_问题标注.xlsx"], proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert sum(line.startswith("已生成标注副本：") for line in lines) == 2, proc.stderr
        assert lines[-1] == "错误：无法写入标准输出（磁盘空间不足），输出不完整" and "Traceback" not in proc.stderr


# an existing file at an output path that xlgoals did not write ---------------------------------------------------
def test_an_existing_file_xlgoals_did_not_write_is_not_replaced_without_force(tmp_path):
    """`consolidate 收件箱 -o 预算.xlsx` where 预算.xlsx is the clerk's own workbook (not an input): it was replaced by
    the summary without a word; `template -o 申报.xlsx` replaced a filled return with a blank template.  Every
    output now refuses an existing file xlgoals did not write as a summary or report (exit 2, before reading),
    unless --force; yesterday's summary and report are still replaced without it."""
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "a.xlsx")
    doc = tmp_path / "doc.json"
    assert cli("read", PASSING, "-o", doc).exit_code == 0
    mine = {name: f"the clerk's own {name}".encode() for name in ("预算.xlsx", "笔记.json", "报告.txt", "申报.xlsx")}
    for name, data in mine.items():
        (tmp_path / name).write_bytes(data)
    cases = [["consolidate", inbox, "-o", tmp_path / "预算.xlsx"],
             ["consolidate", inbox, "-o", tmp_path / "s.xlsx", "--json", tmp_path / "笔记.json"],
             ["validate", inbox, "-o", tmp_path / "报告.txt"],
             ["template", "-o", tmp_path / "申报.xlsx"],
             ["fill", doc, "-o", tmp_path / "申报.xlsx"],
             ["read", PASSING, "-o", tmp_path / "笔记.json"]]
    for args in cases:
        target = next(a for a in args if getattr(a, "name", "") in mine)
        assert _refused(*args) == (
            f"错误：输出文件 {target} 已存在，且不是 xlgoals 写入的汇总或报告；为免覆盖，已停止。确认要覆盖请加 --force，或换一个输出位置",
            f"Error: the output {target} already exists and is no summary or report xlgoals wrote; stopped so as not "
            "to overwrite it. Add --force to write over it, or choose another output path")
    assert {name: (tmp_path / name).read_bytes() for name in mine} == mine and not (tmp_path / "s.xlsx").exists()
    # what xlgoals wrote is replaced on the next run without --force; anything else with it
    for _ in range(2):
        assert cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--json", tmp_path / "汇总.json").exit_code == 0
        assert cli("validate", inbox, "-o", tmp_path / "校验.txt").exit_code == 1
    assert cli("consolidate", inbox, "-o", tmp_path / "预算.xlsx", "--force").exit_code == 0
    assert openpyxl.load_workbook(tmp_path / "预算.xlsx").sheetnames[0] == \
        openpyxl.load_workbook(tmp_path / "汇总.xlsx").sheetnames[0]
    assert cli("template", "-o", tmp_path / "申报.xlsx", "--force").exit_code == 0
    assert cli("fill", doc, "-o", tmp_path / "申报.xlsx", "--force").exit_code == 0
    assert cli("read", PASSING, "-o", tmp_path / "笔记.json", "--force").exit_code == 0
    assert json.loads((tmp_path / "笔记.json").read_text(encoding="utf-8")) == json.loads(doc.read_text(encoding="utf-8"))


# names a script cannot give back from the JSON's `path` ---------------------------------------------------------
def test_the_json_report_gives_each_file_s_exact_path(tmp_path):
    """`path` in the JSON report is written for people (a newline escaped as \\n, a GBK name decoded): a file named
    with a real newline and one named with a backslash and an n showed one `path`, and a GBK-named file's `path`
    named no file, so a script could not open what the report listed.  `path_bytes` (hex) gives the name's bytes."""
    import hashlib
    import json

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    names = [b"a\nb.xlsx", b"a\\nb.xlsx", "申报".encode("gbk") + b".xlsx", "=x.xlsx".encode()]
    for name in names:
        shutil.copy(PASSING, os.path.join(os.fsencode(inbox), name))
    result = cli("validate", inbox, "--format", "json", "--jobs", "1")
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    assert len(files) == 4 and len({f["path"] for f in files}) == 3  # the two names with \n show alike
    by_bytes = {bytes.fromhex(f["path_bytes"]): f for f in files}
    assert sorted(os.path.basename(b) for b in by_bytes) == sorted(names)
    for raw, f in by_bytes.items():
        with open(raw, "rb") as fh:  # the script opens the file the report names
            assert hashlib.sha256(fh.read()).hexdigest() == f["sha256"]
    assert by_bytes[os.path.join(os.fsencode(inbox), "=x.xlsx".encode())]["path"] == str(inbox / "=x.xlsx")  # no '


def test_a_broken_link_or_a_loop_of_links_in_a_folder_is_said_so_not_called_no_workbook(tmp_path):
    """子/loop -> ../in (meant as a link back to the inbox; it leads to in/in, which does not exist) and a link to
    itself were listed as 不是工作簿文件, as if they were files of another kind.  Each is said as what it is, in
    both languages; the workbook beside them is checked once, and nothing else is counted as checked."""
    from xlgoals import validate

    inbox = tmp_path / "in"
    (inbox / "子").mkdir(parents=True)
    shutil.copy(PASSING, inbox / "子" / "a.xlsx")
    os.symlink("../in", inbox / "子" / "loop")
    os.symlink("self", inbox / "子" / "self")
    report = validate([inbox], jobs=1)
    assert [os.path.basename(f.path) for f in report.files] == ["a.xlsx"]
    reasons = {os.path.basename(p): why for p, why in report.skipped_reasons.items()}
    assert set(reasons) == {"loop", "self"}, reasons
    assert "不存在" in reasons["loop"][0] and "broken link" in reasons["loop"][1], reasons
    assert "循环链接" in reasons["self"][0] and "loop of links" in reasons["self"][1], reasons
    assert not any("不是工作簿" in zh for zh, _ in reasons.values())
    en = json.loads(cli("validate", inbox, "--format", "json", "--lang", "en").stdout)
    assert sorted(en["skipped_reasons"].values()) == sorted(en_ for _, en_ in reasons.values()), en
    from xlgoals._paths import documents  # a folder of last year's returns (--previous) is searched alike

    skipped: dict = {}
    assert [p.name for p in documents([inbox], (".xlsx",), skipped)] == ["a.xlsx"]
    assert {os.path.basename(p): why for p, why in skipped.items()} == reasons


def test_links_to_folders_are_read_once_or_said_in_every_folder_a_run_searches(tmp_path, monkeypatch):
    """The inbox, last year's folder (--previous) and the goal tables' folder (--targets) are searched alike: a link
    to a folder inside the folder adds nothing (its files are read once, where they are); a link to a folder
    elsewhere is not followed and said (in last year's folder and the goal tables' it was dropped without a
    word); a link to nothing outside the folder is said broken (it was said to point outside, as if followable);
    a folder that cannot be listed is said (last year's folder passed over it unseen)."""
    from xlgoals import validate
    from xlgoals._paths import SKIP_BROKEN_LINK, SKIP_FOLDER_LINK, SKIP_FOLDER_LOOP, documents

    inbox, elsewhere = tmp_path / "in", tmp_path / "elsewhere"
    (inbox / "子").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(PASSING, inbox / "子" / "a.xlsx")
    shutil.copy(PASSING, elsewhere / "b.xlsx")
    os.symlink("子", inbox / "inside")  # a link to a folder in the folder: its files are read once, as 子's
    os.symlink(elsewhere, inbox / "outside")
    os.symlink(tmp_path / "gone", inbox / "broken")
    os.symlink("..", inbox / "子" / "up")  # back up to the inbox: a loop, not followed, said (mendBS)
    expected = {"outside": SKIP_FOLDER_LINK, "broken": SKIP_BROKEN_LINK, "up": SKIP_FOLDER_LOOP}
    report = validate([inbox], jobs=1)
    assert [os.path.relpath(f.path, inbox) for f in report.files] == [os.path.join("子", "a.xlsx")]
    assert {os.path.basename(p): why for p, why in report.skipped_reasons.items()} == expected
    skipped: dict = {}
    assert [p.name for p in documents([inbox], (".xlsx",), skipped)] == ["a.xlsx"]
    assert {os.path.basename(p): why for p, why in skipped.items()} == expected
    locked = inbox / "锁定"  # a folder the system refuses to list (played here: root lists any folder)
    locked.mkdir()
    listing = os.scandir

    def refused(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    skipped = {}
    documents([inbox], (".xlsx",), skipped)
    assert skipped[str(locked)][0] == "无法读取此文件夹（没有访问权限），未检查", skipped
    # validate: its returns unknown, the folder fails (mendDH: it was one line "not checked", the run passing)
    report = validate([inbox], jobs=1)
    assert str(locked) not in report.skipped_reasons
    assert [[p.code for p in f.problems] for f in report.files if f.path == str(locked)] == [["folder.unreadable"]]


def test_an_output_folder_in_the_inbox_still_has_its_returns_checked(tmp_path):
    """`validate 收件箱 --annotate 收件箱/甲` where 甲 is a department's folder (or `consolidate --csv 收件箱/甲`): the
    run did not search an output folder, so the returns the department put there were neither checked nor listed,
    and the summary left them out without a word.  An output folder is searched as any other: what xlgoals wrote
    there (annotated copies, yesterday's tables) is the run's own, listed apart as xlgoals's (SKIP_EARLIER; it was
    passed over unlisted, and the files found did not add up); anything else is checked, or listed with its reason."""
    import csv

    from xlgoals._paths import SKIP_EARLIER

    inbox = tmp_path / "收件箱"
    (inbox / "甲").mkdir(parents=True)
    shutil.copy(FAILING, inbox / "b.xlsx")
    shutil.copy(FAILING, inbox / "甲" / "a.xlsx")
    (inbox / "甲" / "说明.txt").write_text("单位的说明", encoding="utf-8")
    for day in (1, 2):  # on day 2, yesterday's annotated copies lie in 甲 too
        data = json.loads(cli("validate", inbox, "--annotate", inbox / "甲", "--format", "json", "--jobs", "1").stdout)
        assert sorted(os.path.relpath(f["path"], inbox) for f in data["files"]) == ["b.xlsx", os.path.join("甲", "a.xlsx")]
        reasons = {os.path.relpath(f["path"], inbox): f["reason"] for f in data["skipped_files"]}
        assert reasons.pop(os.path.join("甲", "说明.txt")) == "不是工作簿文件，未检查"
        assert reasons == ({} if day == 1 else {os.path.join("甲", n): SKIP_EARLIER[0]
                                                 for n in ("a_问题标注.xlsx", "b_问题标注.xlsx")}), reasons
        assert sorted(p.name for p in (inbox / "甲").iterdir()) == ["a.xlsx", "a_问题标注.xlsx", "b_问题标注.xlsx",
                                                                  "说明.txt"]
    for day in (1, 2):
        ours = {str(p) for p in (inbox / "甲").iterdir()} - {str(inbox / "甲" / n) for n in ("a.xlsx", "说明.txt")}
        result = cli("consolidate", inbox, "-o", tmp_path / "汇总.xlsx", "--csv", inbox / "甲", "--jobs", "1")
        assert result.exit_code == 0, result.output
        with (inbox / "甲" / "校验结果.csv").open(encoding="utf-8-sig", newline="") as fh:
            named = {row["文件路径"] for row in csv.DictReader(fh) if row["文件路径"]}
        # the copies, and from day 2 yesterday's tables and their record, listed as xlgoals's
        assert named == {str(inbox / "b.xlsx"), str(inbox / "甲" / "a.xlsx"), str(inbox / "甲" / "说明.txt"), *ours}, named


def test_annotated_copies_are_made_when_the_report_file_cannot_be_written(tmp_path, monkeypatch):
    """`validate 收件箱 -o 满盘/报告.txt --annotate 标注`: the report's disk is full, and the run stopped there, before
    the copies (on another disk, or room enough for them).  The copies are made, then the report's failure is said
    (no report left half-written), exit 1."""
    import xlgoals._atomic as atomic

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(FAILING, inbox / "a.xlsx")
    report = tmp_path / "满盘" / "报告.txt"
    report.parent.mkdir()
    writes = atomic.write_bytes

    def full(target, data):
        if os.fspath(target) == str(report):
            raise OSError(errno.ENOSPC, "No space left on device", str(report))
        return writes(target, data)

    monkeypatch.setattr(atomic, "write_bytes", full)
    result = cli("validate", inbox, "-o", report, "--annotate", tmp_path / "标注", "--jobs", "1")
    assert result.exit_code == 2, result.output  # the report not written: 2, not a failing return's 1 (mendBS)
    assert [p.name for p in (tmp_path / "标注").iterdir()] == ["a_问题标注.xlsx"]
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("已生成标注副本：") and lines[-1] == f"错误：无法读写文件：{report}（磁盘空间不足）", lines
    assert not report.exists() and list(report.parent.iterdir()) == []
