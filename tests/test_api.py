"""The public API is what xlgoals/__init__.py exports, and it exports every type the API returns."""

import dataclasses
import inspect
import typing

import xlgoals


#: What a plain `validate` of a return must not import (issue #10: nothing the command does not use)
HEAVY_FOR_VALIDATE = ("openpyxl", "numpy", "pandas", "xlsxwriter", "jsonschema", "multiprocessing", "hashlib",
                      "_hashlib", "pickle", "string", "signal")


def test_all_imports_are_exported():
    """As httpx's test_exported_members: every public name of the package is in __all__, sorted."""
    included_private_members = ["__version__"]
    # the package imports its members on first use: dir() lists them all, imported or not
    public = [name for name in dir(xlgoals) if (not name.startswith("_") or name in included_private_members)
              and not inspect.ismodule(getattr(xlgoals, name)) and name not in ("importlib", "TYPE_CHECKING")]
    assert xlgoals.__all__ == sorted(public, key=str.casefold)


def _xlgoals_types(tp, seen):
    """Classes of xlgoals reachable from a type annotation (through generics and unions)."""
    for arg in typing.get_args(tp):
        yield from _xlgoals_types(arg, seen)
    origin = typing.get_origin(tp)
    if origin is None and inspect.isclass(tp) and tp.__module__.startswith("xlgoals") and tp not in seen:
        seen.add(tp)
        yield tp
        if dataclasses.is_dataclass(tp):
            for hint in typing.get_type_hints(tp).values():
                yield from _xlgoals_types(hint, seen)
        for name, member in inspect.getmembers(tp, lambda m: isinstance(m, property)):
            if not name.startswith("_") and member.fget is not None:
                hint = typing.get_type_hints(member.fget).get("return")
                if hint is not None:
                    yield from _xlgoals_types(hint, seen)


def test_every_type_the_api_returns_is_exported():
    seen: set = set()
    returned = set()
    for name in xlgoals.__all__:
        obj = getattr(xlgoals, name)
        if inspect.isfunction(obj):
            hints = typing.get_type_hints(obj)
            assert "return" in hints, f"{name} has no return annotation"
            returned.update(_xlgoals_types(hints["return"], seen))
        elif inspect.isclass(obj):
            returned.update(_xlgoals_types(obj, seen))
    missing = sorted(t.__name__ for t in returned if getattr(xlgoals, t.__name__, None) is not t)
    assert not missing, f"returned but not exported: {missing}"
    assert {xlgoals.PrefillResult, xlgoals.ReturnRecord, xlgoals.Status, xlgoals.FileReport} <= returned


def test_validate_keeps_documents_only_when_asked():
    from tests.conftest import EXAMPLE_XLSX

    for jobs in (1, 2):
        assert all(f.document is None for f in xlgoals.validate(EXAMPLE_XLSX[:2], jobs=jobs).files)
        kept = xlgoals.validate(EXAMPLE_XLSX[:2], jobs=jobs, keep_documents=True).files
        assert [f.document["project"]["name"] for f in kept] == ["筹办第46届世界技能大赛专项经费——筹建世界技能博物馆专项经费",
                                                                  "促进就业专项资金"]


def test_progress_is_a_callback(tmp_path):
    from tests.conftest import EXAMPLE_XLSX

    calls = []
    xlgoals.consolidate(EXAMPLE_XLSX[:3], tmp_path / "s.xlsx", jobs=1, progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 3), (2, 3), (3, 3)]
    result = xlgoals.consolidate(EXAMPLE_XLSX[:1], tmp_path / "s.xlsx", jobs=1)
    assert result.records[0].status is xlgoals.Status.OK and result.records[0].status.label("en") == "passed"


def test_a_plain_validate_imports_only_what_it_runs(tmp_path):
    """`xlgoals validate one.xlsx` loads no openpyxl, numpy, pandas, xlsxwriter or jsonschema (checked in a
    fresh interpreter, as the command line runs, and the reading and checking its forked child does); nor
    multiprocessing (one file needs no pool) or OpenSSL's
    hashlib; nor the Python modules of pickle, string and signal (their C modules do: the forked child's result
    goes through _pickle, the rule messages' placeholders through _string, SIGINT through _signal); and once its
    compiled schema checks are cached, not fastjsonschema either; nor the self-evaluation's scoring table, nor (once
    the packaged frameworks are cached as checked) the module of its 分值."""
    import json
    import os
    import subprocess
    import sys

    from tests.conftest import EXAMPLE_XLSX

    heavy = HEAVY_FOR_VALIDATE
    code = (
        "import sys, json\n"
        "from xlgoals.cli import main\n"
        "try:\n"
        f"    main(['validate', {str(EXAMPLE_XLSX[2])!r}])\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "import xlgoals\n"  # the reading and checking, done in a forked child above, here in this process
        f"assert xlgoals.validate_file({str(EXAMPLE_XLSX[2])!r}).document\n"
        f"print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r}), "
        "'fastjsonschema' in sys.modules, 'xlgoals._selfeval._scoring' in sys.modules, "
        "'xlgoals._selfeval._weights' in sys.modules]))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = []
    for _ in range(2):  # the first compiles the schema checks (with fastjsonschema, in its child) and caches them
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        assert runs[-1][:2] == [0, []], proc.stderr
    assert not runs[1][2]
    assert not any(run[3] for run in runs)  # a goal table needs no self-evaluation's scoring table
    assert runs[0][4] and not runs[1][4]  # nor its 分值, once the frameworks come checked from the cache
    assert list((tmp_path / "cache" / "xlgoals").glob("schema-*.marshal"))
    assert [len(list((tmp_path / "cache" / "xlgoals").glob(f"{name}-*.marshal"))) for name in ("rules", "frameworks")] \
        == [1, 1]


def test_validate_of_an_inbox_holding_csv_files_imports_only_what_it_runs(tmp_path):
    """A CSV UTF-8 file in the folder (a department's list saved from Excel: a BOM, CRLF lines, as consolidate's
    tables are written) made `xlgoals validate 收件箱` load the summaries, and with them xlsxwriter, pickle and
    OpenSSL's hashlib, to tell whether it was one of consolidate's tables.  It is told without them, on the first
    run (nothing cached) and the next, and told right: the department's list is not a workbook, yesterday's table
    is xlgoals's own."""
    import json
    import os
    import shutil
    import subprocess
    import sys

    from tests.conftest import EXAMPLE_XLSX, cli

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(EXAMPLE_XLSX[2], inbox / "申报.xlsx")
    assert cli("consolidate", EXAMPLE_XLSX[2], "-o", tmp_path / "汇总.xlsx", "--csv", tmp_path / "表格",
               "--jobs", "1").exit_code == 0
    shutil.copy(tmp_path / "表格" / "项目清单.csv", inbox / "项目清单.csv")
    (inbox / "单位名单.csv").write_bytes("\ufeff序号,申报单位\r\n1,某单位\r\n".encode("utf-8"))
    (inbox / "汇总.csv").write_bytes("\ufeff序号,某列\r\n1,某单位\r\n".encode("utf-8"))  # a table's name only
    heavy = HEAVY_FOR_VALIDATE
    code = (
        "import sys, json, io, contextlib\n"
        "from xlgoals.cli import main\n"
        "out = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(out):\n"
        f"        main(['validate', {str(inbox)!r}, '--format', 'json'])\n"
        "except SystemExit as e:\n"
        "    code = e.code\n"
        "reasons = {f['path'].rsplit('/', 1)[-1]: f['reason'] for f in json.loads(out.getvalue())['skipped_files']}\n"
        f"print(json.dumps([code, sorted(m for m in sys.modules if m.split('.')[0] in {heavy!r} "
        "or m.startswith('xlgoals._consolidate')), reasons], ensure_ascii=False))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the first with nothing cached
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 0, proc.stderr
        code_, modules, reasons = json.loads(proc.stdout.strip().splitlines()[-1])
        assert (code_, modules) == (0, []), proc.stderr
        saved_as_text = "表格另存成的文本格式（CSV、XML 或网页），不是工作簿，未检查；若是申报，请在 Excel 或 WPS 中另存为 .xlsx 后重新报送"
        assert reasons == {"单位名单.csv": saved_as_text, "汇总.csv": saved_as_text,
                           "项目清单.csv": "xlgoals 写入的校验报告或汇总表格，已跳过"}, reasons


def test_help_imports_no_form_declaration_nor_reader():
    """`xlgoals --help` is what a clerk runs first: the form declarations, the reader and the checks are not
    loaded for it (the defaults the help shows live in ``_defaults``)."""
    import json
    import subprocess
    import sys

    code = (
        "import sys, json\n"
        "from xlgoals.cli import main\n"
        "for args in (['--help'], ['template', '--help'], ['--lang', 'en', '--help'], ['validate', '--help', '--lang', 'en']):\n"
        "    try:\n"
        "        main(args)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('xlgoals._form', 'xlgoals._read', "
        "'xlgoals._check', 'python_calamine')))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [], proc.stderr
