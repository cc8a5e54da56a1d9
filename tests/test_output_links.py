"""An output path that is a link to a folder (inbox3 item 2).  What a bureau's IT person expects: the link is an
entry of its own, as a link to a file is (replaced, never written through).  Without --force it is refused as what
it is (a link someone put there: only the link would be replaced, its target never touched); with --force the link
itself is replaced by the output, and the folder it points to is left as it was.  A link to a device or a pipe
(``-o /dev/stdout``, a link to /proc/self/fd/1) is no such entry: refused as the device is, --force or not (as root,
--force replaced the system's /dev/stdout link).  The same for every command and every output kind."""

from __future__ import annotations

import os
import stat

import pytest

from xlgoals import fill, write_template
from xlgoals._errors import UsageError

from .conftest import EXAMPLE_JSON, EXAMPLE_XLSX, EXAMPLES, cli
from .helpers import one_line

RETURNS = EXAMPLES / "returns"


def _args(command, out):
    return {"template": ["template", "-o", out], "fill": ["fill", EXAMPLE_JSON[0], "-o", out],
            "read": ["read", EXAMPLE_XLSX[0], "-o", out],
            "validate": ["validate", RETURNS, "--jobs", "1", "-o", out],
            "consolidate": ["consolidate", RETURNS, "--jobs", "1", "-o", out],
            "consolidate-json": ["consolidate", RETURNS, "--jobs", "1", "-o", out.parent / "汇总.xlsx", "--json", out],
            }[command]


_NAMES = {"template": "t.xlsx", "fill": "f.xlsx", "read": "r.json", "validate": "v.txt", "consolidate": "c.xlsx",
          "consolidate-json": "c.json"}


def _folder(tmp_path):
    target = tmp_path / "归档"
    target.mkdir()
    (target / "旧.txt").write_text("留着", encoding="utf-8")
    return target


def _untouched(target):
    assert sorted(p.name for p in target.iterdir()) == ["旧.txt"]
    assert (target / "旧.txt").read_text(encoding="utf-8") == "留着"


@pytest.mark.parametrize("command", list(_NAMES))
def test_a_link_to_a_folder_is_refused_as_a_link_and_replaced_with_force(tmp_path, command):
    target = _folder(tmp_path)
    out = tmp_path / "out" / _NAMES[command]
    out.parent.mkdir()
    out.symlink_to(target)
    refused = cli(*_args(command, out))
    assert refused.exit_code == 2, refused.output
    line = one_line(refused.stderr)
    assert "链接" in line and "--force" in line and "不是普通文件" not in line, line
    assert os.path.islink(out) and os.readlink(out) == str(target)
    forced = cli(*_args(command, out), "--force")
    assert forced.exit_code in (0, 1), forced.output  # validate: 1 for the examples' problems
    assert not os.path.islink(out) and out.is_file() and out.stat().st_size > 0  # the link itself replaced
    _untouched(target)
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".xlgoals-")]


@pytest.mark.parametrize("command", list(_NAMES))
@pytest.mark.parametrize("to", ["device", "pipe"])
def test_a_link_to_a_device_or_pipe_is_refused_even_with_force(tmp_path, command, to):
    """``-o /dev/stdout`` is a link to /proc/self/fd/1: no link someone put there to replace.  With --force, as root,
    the output replaced the system's /dev/stdout link; a link to a device or a pipe is refused as one (不是普通文件)."""
    if to == "pipe":
        target = tmp_path / "管道"
        os.mkfifo(target)
    else:
        target = os.devnull
    out = tmp_path / "out" / _NAMES[command]
    out.parent.mkdir()
    out.symlink_to(target)
    for force in ((), ("--force",)):
        refused = cli(*_args(command, out), *force)
        assert refused.exit_code == 2, refused.output
        assert "不是普通文件" in one_line(refused.stderr), refused.output
        assert os.path.islink(out) and os.readlink(out) == str(target)  # the link stays, its target untouched
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    if to == "pipe":
        assert stat.S_ISFIFO(os.stat(target).st_mode)
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


def test_the_library_refuses_a_link_to_a_device_with_force(tmp_path):
    out = tmp_path / "t.xlsx"
    out.symlink_to(os.devnull)
    with pytest.raises(UsageError, match="不是普通文件"):
        write_template(out, force=True)
    assert os.path.islink(out) and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_the_refusal_in_english(tmp_path):
    target = _folder(tmp_path)
    out = tmp_path / "r.json"
    out.symlink_to(target)
    result = cli("read", EXAMPLE_XLSX[0], "-o", out, "--lang", "en")
    assert result.exit_code == 2
    line = one_line(result.stderr)
    assert "is a link to a folder" in line and "--force" in line, line


def test_the_library_refuses_then_replaces_the_link_only(tmp_path):
    target = _folder(tmp_path)
    for make, out in ((write_template, tmp_path / "t.xlsx"), (lambda o, **kw: fill(EXAMPLE_JSON[0], o, **kw),
                                                              tmp_path / "f.xlsx")):
        out.symlink_to(target)
        with pytest.raises(UsageError, match="链接"):
            make(out)
        make(out, force=True)
        assert out.is_file() and not out.is_symlink()
    _untouched(target)


def test_a_folder_or_device_itself_is_still_refused_with_force(tmp_path):
    folder = _folder(tmp_path)
    for out in (folder, os.devnull):
        result = cli("read", EXAMPLE_XLSX[0], "-o", out, "--force")
        assert result.exit_code == 2, result.output  # (a folder: click itself says 是文件夹)
        assert out == folder or "不是普通文件" in one_line(result.stderr), result.output
    _untouched(folder)


@pytest.mark.parametrize("kind", ["annotate", "csv"])
def test_a_link_in_a_runs_own_folder_is_replaced_as_a_link_to_a_file_is(tmp_path, kind):
    """In the folder of annotated copies, a link at a copy's name to a folder: the copy replaces the link, as it
    replaces a link to a file (it wrote nothing before); in the --csv folder, where a table's path is guarded as -o
    is, with --force.  The folder it pointed to is left as it was."""
    from xlgoals._check._annotate import annotated_name

    target = _folder(tmp_path)
    out_dir = tmp_path / "输出"
    out_dir.mkdir()
    if kind == "annotate":
        src = tmp_path / "收到.xlsx"
        src.write_bytes((EXAMPLES / "received" / "某局_某项目.xlsx").read_bytes())  # a return with errors
        link = out_dir / annotated_name(str(src))
        link.symlink_to(target)
        result = cli("validate", src, "--annotate", out_dir, "--jobs", "1")
    else:
        link = out_dir / "校验结果.csv"
        link.symlink_to(target)
        args = ["consolidate", RETURNS, "-o", tmp_path / "汇总.xlsx", "--csv", out_dir, "--jobs", "1"]
        refused = cli(*args)  # a table's path the run plans: refused as a named output is, without --force
        assert refused.exit_code == 2 and "链接" in one_line(refused.stderr), refused.output
        result = cli(*args, "--force")
    assert result.exit_code in (0, 1), result.output
    assert link.is_file() and not link.is_symlink() and link.stat().st_size > 0, result.output
    _untouched(target)
