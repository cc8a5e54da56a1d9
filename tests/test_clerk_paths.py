"""The bureau clerk's command line and file system: output paths the system refuses, copies that cannot be
written, names that are not UTF-8, inputs the system cannot open.  What the clerk sees is one clear line in the
language asked for, the right exit code, and nothing half-written."""

import errno
import os
import shutil

import openpyxl

from xlgoals._check._annotate import SUFFIX

from .conftest import EXAMPLES, cli
from .helpers import cjk_outside_data

FAILING = EXAMPLES / "received" / "某局_某项目.xlsx"  # fails validation: it gets an annotated copy
PASSING = sorted((EXAMPLES / "returns").glob("*.xlsx"))[0]


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


# an output name the file system refuses (longer than its 255 bytes) -----------------------------------------
def test_an_output_name_too_long_is_a_usage_error_before_anything_is_read(tmp_path):
    long_name = "报" * 90  # 270 bytes in UTF-8: a name no Linux or Windows file system takes
    (tmp_path / "in").mkdir()
    shutil.copy(FAILING, tmp_path / "in" / "a.xlsx")
    for args in (["validate", tmp_path / "in", "-o", tmp_path / f"{long_name}.txt"],
                 ["consolidate", tmp_path / "in", "-o", tmp_path / f"{long_name}.xlsx"],
                 ["consolidate", tmp_path / "in", "-o", tmp_path / "s.xlsx", "--json", tmp_path / f"{long_name}.json"]):
        before = _files(tmp_path)
        zh = cli(*args)
        assert zh.exit_code == 2, zh.output
        assert _one_line(zh.stderr).startswith("错误：无法写入 ") and "文件名过长" in zh.stderr and zh.stdout == ""
        en = cli(*args, "--lang", "en")
        assert en.exit_code == 2 and "file name too long" in en.stderr, en.output
        assert cjk_outside_data(_one_line(en.stderr), paths=[tmp_path / f"{long_name}.txt",
                                                             tmp_path / f"{long_name}.xlsx",
                                                             tmp_path / f"{long_name}.json"]) == []
        assert _files(tmp_path) == before


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
        assert _one_line(zh.stderr) == f"错误：无法写入文件夹 {folder}：文件夹 {ro} 不可写"
        en = cli(*args, "--lang", "en")
        assert _one_line(en.stderr) == f"Error: cannot write the folder {folder}: the folder {ro} is not writable"
    assert _files(ro) == []


# an annotated copy that cannot be written (a full disk): said in the clerk's language, no class name -----------
def test_an_annotated_copy_on_a_full_disk_is_told_plainly(tmp_path, monkeypatch):
    shutil.copy(FAILING, tmp_path / "a.xlsx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("xlgoals._atomic.temp_beside", full)
    zh = cli("validate", tmp_path / "a.xlsx", "--annotate", tmp_path / "ann")
    assert zh.exit_code == 1
    line = _one_line(zh.stderr)
    assert "磁盘空间不足" in line and "Error" not in line and "OSError" not in line, line
    en = cli("validate", tmp_path / "a.xlsx", "--annotate", tmp_path / "ann", "--lang", "en")
    line = _one_line(en.stderr)
    assert "no space left on the disk" in line and cjk_outside_data(line, paths=[tmp_path / "ann" / f"a{SUFFIX}.xlsx"]) == [], line
    assert "Error:" not in line and "XlgoalsError" not in line
    assert not (tmp_path / "ann").exists() or _files(tmp_path / "ann") == []


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
