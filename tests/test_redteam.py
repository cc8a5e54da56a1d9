"""What a red-team pass found: a real full disk or a file size limit while the annotated copies are written,
and other corners of the bureau's runs.  Each test shows a defect seen on the code before its fix."""

import resource
import shutil
import subprocess
import sys

from .conftest import EXAMPLES, cli
from .helpers import files_under, one_line

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy


def test_a_real_full_disk_under_openpyxl_stops_the_annotated_copies_plainly(tmp_path, monkeypatch):
    """openpyxl writes each sheet through a temporary file of its own: a full disk there is lxml's
    SerialisationError('IO_ENOSPC'), not an OSError.  It is said as the full disk it is, in the clerk's language,
    and the copies stop there, as for a full disk at the copy itself."""
    from lxml.etree import SerialisationError

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(FAILING, inbox / f"{name}.xlsx")
    tries = tmp_path / "tries.log"  # (each copy is made in a bounded worker, forked: it says its tries in a file)

    def full(self, *args, **kwargs):
        with open(tries, "a") as fh:
            fh.write("save\n")
        raise SerialisationError("IO_ENOSPC")  # what lxml raises when the sheet's temporary file finds the disk full

    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", full)
    zh = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "1")
    # the copies asked for are not there (mendCE); the worker may have begun the next one already (it holds two at
    # once), never the third: the copies stop at the first full disk
    assert zh.exit_code == 2 and 1 <= len(tries.read_text().splitlines()) <= 2, zh.stderr
    tries.unlink()
    lines = zh.stderr.strip().splitlines()
    assert len(lines) == 3 and "磁盘空间不足" in lines[0] and "SerialisationError" not in zh.stderr, zh.stderr
    assert lines[1].startswith("磁盘空间不足，已停止生成标注副本：其余 2 个"), zh.stderr
    en = cli("validate", inbox, "--annotate", tmp_path / "ann", "--jobs", "1", "--lang", "en")
    assert "no space left on the disk" in en.stderr and "SerialisationError" not in en.stderr, en.stderr
    tries.unlink()
    assert files_under(tmp_path) == ["收件箱", "收件箱/a.xlsx", "收件箱/b.xlsx", "收件箱/c.xlsx"]


def test_a_file_size_limit_is_said_in_chinese_for_an_annotated_copy(tmp_path):
    """`ulimit -f` (a quota on a file's size): the copy that cannot be written is said in Chinese, with no
    exception's class name, and nothing half-written is left; the report (small) is still written."""
    shutil.copy(FAILING, tmp_path / "a.xlsx")

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (12 * 1024, 12 * 1024))

    proc = subprocess.run([sys.executable, "-m", "xlgoals", "validate", str(tmp_path / "a.xlsx"), "--annotate",
                           str(tmp_path / "ann"), "-o", str(tmp_path / "r.json")], capture_output=True, text=True,
                          preexec_fn=limit, timeout=120)
    assert proc.returncode == 2  # the copy asked for is not there (mendCE)
    line, last = proc.stderr.strip().splitlines()
    assert last.startswith("错误：1 个标注副本未能写入"), proc.stderr
    assert "文件超过系统允许的大小" in line and "Error" not in line and "EFBIG" not in line, proc.stderr
    assert sorted(files_under(tmp_path)) == ["a.xlsx", "r.json"], files_under(tmp_path)


FIXTURES = __import__("pathlib").Path(__file__).with_name("fixtures")


def test_read_of_an_xls_that_aborts_the_reader_is_one_clear_line(tmp_path):
    """A damaged .xls (a byte-mutated LibreOffice save) makes calamine ask for ~170 GB and abort the process.
    `validate` reads it in a bounded child and reports file.crashed; `read` read it in its own process, which
    died with SIGABRT (exit 134) and said nothing.  Now it is read as validate reads it: one located line, exit 1,
    no JSON and no output file."""
    bad = FIXTURES / "calamine-abort.xls"
    proc = subprocess.run([sys.executable, "-m", "xlgoals", "read", str(bad), "-o", str(tmp_path / "x.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert proc.stdout == "" and not (tmp_path / "x.json").exists()
    line = one_line(proc.stderr)
    assert line.startswith("错误：") and str(bad) in line and "读取程序异常退出" in line, proc.stderr
    en = subprocess.run([sys.executable, "-m", "xlgoals", "read", str(bad), "--lang", "en"], capture_output=True,
                        text=True, timeout=120)
    assert en.returncode == 1 and en.stdout == "" and one_line(en.stderr).startswith("Error: "), en.stderr
    good = subprocess.run([sys.executable, "-m", "xlgoals", "read", str(FIXTURES / "goal-table-lo.xls")],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0 and '"indicators"' in good.stdout, good.stderr


def test_a_project_list_or_library_workbook_that_aborts_the_reader_is_one_clear_line(tmp_path):
    """The same damaged .xls given as a --prefill project list or a --library workbook: read in the command's own
    process, it aborted it (exit 134, nothing said, for --prefill nothing written).  Now it is read in a bounded
    child: one line naming the file, and the command's usual exit code for a file it cannot use."""
    bad = tmp_path / "项目清单.xls"
    shutil.copy(FIXTURES / "calamine-abort.xls", bad)
    run = lambda *args: subprocess.run([sys.executable, "-m", "xlgoals", *map(str, args)], capture_output=True,
                                       text=True, timeout=120)
    pre = run("template", "--prefill", bad, "--out-dir", tmp_path / "下发", "--year", "2020")
    assert pre.returncode == 1, (pre.returncode, pre.stderr)
    line = one_line(pre.stderr)
    assert line.startswith(f"错误：{bad}：项目清单工作簿无法读取") and "读取程序异常退出" in line, pre.stderr
    assert not (tmp_path / "下发").exists()
    lib = run("validate", EXAMPLES / "returns", "--library", bad)
    assert lib.returncode == 2, (lib.returncode, lib.stderr)
    line = one_line(lib.stderr)
    assert line.startswith(f"错误：{bad}：指标库工作簿无法读取") and "读取程序异常退出" in line, lib.stderr
    en = run("validate", EXAMPLES / "returns", "--library", bad, "--lang", "en")
    assert en.returncode == 2 and "the reader stopped abnormally" in en.stderr, en.stderr
