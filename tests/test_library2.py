"""library2: the 年度不明 chart follows the summary's filter; the disk cache's entries bounded per install; our own fork
server (the host's multiprocessing setting untouched; a script file with threads no longer forked)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import range_boundaries

from xlgoals import _diskcache
from xlgoals._resources import data_dir

from .helpers import ooxml_errors
from .test_chart_year_unknown import _chart_categories, year_unknown_summary as _year_unknown_summary


def _hidden_columns(path, sheet_xml):
    """The 1-based columns the sheet's <cols> hides."""
    with zipfile.ZipFile(path) as z:
        xml = z.read(sheet_xml).decode("utf-8")
    hidden = set()
    for col in re.findall(r"<col [^>]*/>", xml):
        if 'hidden="1"' in col:
            lo, hi = (int(re.search(rf'{k}="(\d+)"', col).group(1)) for k in ("min", "max"))
            hidden.update(range(lo, hi + 1))
    return hidden


def _chart_anchor_rows(path):
    """(first row, last row), 0-based, of the one chart's anchor in the drawing."""
    with zipfile.ZipFile(path) as z:
        drawings = [n for n in z.namelist() if n.startswith("xl/drawings/drawing") and n.endswith(".xml")]
        assert len(drawings) == 1, drawings
        xml = z.read(drawings[0]).decode("utf-8")
    frm = int(re.search(r"<xdr:from>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S).group(1))
    to = int(re.search(r"<xdr:to>.*?<xdr:row>(\d+)</xdr:row>", xml, re.S).group(1))
    return frm, to


def test_year_unknown_chart_follows_the_filter(tmp_path):
    """A year unknown among the bars: the chart plots visible cells only (plotVisOnly 1), so that a filter on 汇总 hides
    the filtered units' bars too; its labels are in columns that are not hidden (a hidden label would be dropped from
    the chart), beside the table, off the printed page; the pages still print the table and the chart."""
    out = _year_unknown_summary(tmp_path)
    labels, bars, xml, ws = _chart_categories(out)
    assert [lab[1] for lab in labels].count("年度不明") == 1, labels
    assert 'plotVisOnly val="1"' in xml
    cat = re.search(r"<c:cat>.*?<c:f>(.*?)</c:f>", xml, re.S).group(1).rpartition("!")[2].replace("$", "")
    lo_c, lo_r, hi_c, hi_r = range_boundaries(cat)
    wb = openpyxl.load_workbook(out)
    index = wb.sheetnames.index(ws.title) + 1
    hidden = _hidden_columns(out, f"xl/worksheets/sheet{index}.xml")
    assert not hidden & set(range(lo_c, hi_c + 1)), (hidden, cat)
    # the filter covers the table's rows, the labels are on the same rows (a filtered row hides its label and bar)
    f_lo_c, f_lo_r, f_hi_c, f_hi_r = range_boundaries(ws.auto_filter.ref)
    assert f_lo_r + 1 == lo_r and f_hi_r == hi_r, (ws.auto_filter.ref, cat)
    # printed: the table's columns, not the labels; every row of the table, its note and the chart
    area = wb[ws.title].print_area
    assert area, "no print area: the labels would print"
    (area,) = area if isinstance(area, (list, tuple)) else (area,)
    p_lo_c, p_lo_r, p_hi_c, p_hi_r = range_boundaries(area.rpartition("!")[2].replace("$", ""))
    assert p_lo_c == 1 and p_hi_c < lo_c, (area, cat)
    # right beside the table, inside the filter's range: a sort from the filter's dropdown moves a row's label with
    # its bar (the labels sat one column off, outside it: a sort left them on the wrong bars)
    head = f_lo_r
    assert lo_c == p_hi_c + 1 and f_hi_c == hi_c, (ws.auto_filter.ref, cat, area)
    assert ws.cell(head, lo_c).value == "图表分类" and ws.cell(head, lo_c - 1).value, (ws.auto_filter.ref, cat)
    note_row = max(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value and "年度不明" in str(ws.cell(r, 1).value))
    assert p_lo_r == 1 and p_hi_r >= note_row, (area, note_row)
    # the chart is on its own sheet (mendCK: 汇总图, no table header atop its page), printed from its first row
    frm, to = _chart_anchor_rows(out)
    chart_area = wb[f"{ws.title}图"].print_area
    (chart_area,) = chart_area if isinstance(chart_area, (list, tuple)) else (chart_area,)
    assert frm == 0 and range_boundaries(chart_area.rpartition("!")[2].replace("$", ""))[3] >= to + 1, (chart_area, to)
    assert ooxml_errors(out) == []


# --- the disk cache: entries bounded per install ---------------------------------------------------------------------




_KINDS = ("rules", "frameworks", "csvtables")
_DAY = 86400


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _diskcache._code_stamp()  # the real package's code stamp, before _PACKAGE names a fake install
    return tmp_path / "cache" / "xlgoals"


def _as_install(monkeypatch, where: str) -> None:
    """This process as the package installed at `where` (another virtual environment, another checkout)."""
    monkeypatch.setattr(_diskcache, "_PACKAGE", where)


def _entries_of(where: str, monkeypatch) -> list[Path]:
    _as_install(monkeypatch, where)
    return [Path(_diskcache._entry(k)) for k in _KINDS]


def _files():
    return (str(data_dir("schema") / "rules.csv"),)


def _age(paths, seconds_ago: float) -> None:
    import time

    t = time.time() - seconds_ago
    for p in paths:
        os.utime(p, (t, t))


def _plant_installs(cache: Path, n: int, seconds_ago: float, kinds=_KINDS) -> list[list[Path]]:
    """`n` other installs' entries (each install's of `kinds`), all `seconds_ago` old."""
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        mine = [cache / f"{k}-{0xf0000000 + i:08x}.marshal" for k in kinds]
        for p in mine:
            p.write_bytes(b"another install's")
        _age(mine, seconds_ago + i)
        out.append(mine)
    return out


def test_an_install_in_use_is_not_evicted_by_other_installs(cache, monkeypatch):
    """Install A wrote its entries ten days ago and has used them on every start since; other installs (CI
    checkouts, a second virtual environment) wrote theirs yesterday and now.  A's entries are the newest in use: a
    write by B never evicts them (it evicted them by their write time: A parsed its files again, and wrote, pushing
    out another install, which did the same on its next start)."""
    a = _entries_of("/opt/a/site-packages/xlgoals", monkeypatch)
    for k in _KINDS:
        _diskcache.store(k, _files(), [k])
    assert all(p.exists() for p in a)
    _age(a, 10 * _DAY)
    assert _diskcache.load("rules", _files()) == ["rules"]  # a start of A: its entries used
    others = _plant_installs(cache, _diskcache.KEEP_DATA_ENTRIES - 1, _DAY)
    b = _entries_of("/opt/b/site-packages/xlgoals", monkeypatch)
    _diskcache.store("rules", _files(), ["b"])  # B's start: its entry written, the folder pruned
    assert b[0].exists()
    assert all(p.exists() for p in a), sorted(os.listdir(cache))
    # the bound holds: KEEP_DATA_ENTRIES installs (A, B and the others but the oldest)
    assert not any(p.exists() for p in others[-1]) and all(p.exists() for o in others[:-1] for p in o)


def test_an_install_is_kept_or_pruned_whole(cache, monkeypatch):
    """An install's rule table rewritten today, its frameworks entry of a month ago: the install is one of the newest,
    and keeps both (by kind, the frameworks entry went, while other installs' of last week stayed)."""
    a = _entries_of("/opt/a/site-packages/xlgoals", monkeypatch)
    for k in _KINDS:
        _diskcache.store(k, _files(), [k])
    _age(a[1:], 30 * _DAY)
    others = _plant_installs(cache, _diskcache.KEEP_DATA_ENTRIES, 7 * _DAY)
    _diskcache.prune(str(cache))
    assert all(p.exists() for p in a), sorted(os.listdir(cache))
    # the oldest install goes, every entry of it
    assert not any(p.exists() for p in others[-1])
    assert all(p.exists() for o in others[:-1] for p in o)


def test_the_installs_are_bounded_in_total(cache, monkeypatch):
    others = _plant_installs(cache, 3 * _diskcache.KEEP_DATA_ENTRIES, _DAY)
    _entries_of("/opt/b/site-packages/xlgoals", monkeypatch)
    _diskcache.store("frameworks", _files(), ["b"])
    kept = [o for o in others if o[0].exists()]
    assert len(kept) == _diskcache.KEEP_DATA_ENTRIES - 1
    assert kept == others[:len(kept)]  # the newest
    assert all(p.exists() for o in kept for p in o)  # whole
    assert len(list(cache.glob("*.marshal"))) == 3 * (_diskcache.KEEP_DATA_ENTRIES - 1) + 1


# --- the fork server: one of our own --------------------------------------------------------------------------------


_ROOT = Path(__file__).resolve().parent.parent


def _python(args, cwd, timeout=120):
    env = {**os.environ, "PYTHONPATH": str(_ROOT)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_hosts_forkserver_setting_is_untouched(tmp_path):
    """A host with threads (a notebook, a web server) whose workers start from a fork server: our call starts a server
    of its own, with our preload; the host's (multiprocessing's global forkserver) keeps its preload list and is not
    started by us (its later set_forkserver_preload would have been ignored: the server already running)."""
    code = textwrap.dedent("""
        import threading, multiprocessing.forkserver as fs
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        fs.set_forkserver_preload(["json"])  # the host's own
        from xlgoals._parallel import pmap
        print(list(pmap(abs, [-1, -2, -3], 2)))
        print(fs._forkserver._preload_modules, fs._forkserver._forkserver_pid)
        stop.set()
    """)
    r = _python(["-c", code], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[1, 2, 3]", "['json'] None"], r.stdout


def test_a_script_file_with_a_thread_holding_logging_reads_without_hanging(tmp_path):
    """A script run as a file (python job.py), a thread of it holding logging's lock (a handler writing to a slow
    disk, a network log): a fork waits for that lock (logging's at-fork handler) and the check hung.  The child now
    starts from our own fork server, which imports none of the script: the script's lines outside `if __name__ ==
    "__main__"` run once, the check ends, its result is the one a plain call gives."""
    sample = _ROOT / "examples" / "某局_某项目.xlsx"
    marker = tmp_path / "ran.txt"
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(f"""
        import logging, threading, time
        with open({str(marker)!r}, "a") as fh:  # no __main__ guard: a child importing the script would add a line
            fh.write("ran\\n")
        held, done = threading.Event(), threading.Event()

        def hold():
            with logging._lock:
                held.set()
                done.wait(600)

        threading.Thread(target=hold, daemon=True).start()
        held.wait()
        import xlgoals
        for jobs in (1, 2):
            rep = xlgoals.validate([{str(sample)!r}, {str(sample)!r}][:jobs], jobs=jobs)
            print(jobs, [(r.form, len(r.errors)) for r in rep.files])
        done.set()
    """), encoding="utf-8")
    try:
        r = _python([str(script)], tmp_path, timeout=90)
    except subprocess.TimeoutExpired:
        raise AssertionError("the check hung: the child was forked while a thread held logging's lock") from None
    assert r.returncode == 0, r.stderr
    assert marker.read_text() == "ran\n"
    assert len(r.stdout.splitlines()) == 2, r.stdout


# --- mendC: the host's start method untouched; `raises` of a script's main; a plain utime where no lutime ----------


def test_the_hosts_start_method_is_left_unset(tmp_path):
    """A host with a thread calls a bounded read (our fork server), then chooses its own start method: launching our
    server's child asked multiprocessing for the preparation data, which fixed the global default to "fork" on the
    way, and the host's set_start_method("spawn") raised RuntimeError ("context has already been set")."""
    code = textwrap.dedent("""
        import threading, multiprocessing
        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        from xlgoals._parallel import bounded, pmap
        print(list(pmap(abs, [-1, -2, -3], 2)))
        print(bounded(abs, -4, {"file_seconds": 60, "worker_memory_mb": None}))
        multiprocessing.set_start_method("spawn")
        print(multiprocessing.get_start_method())
        stop.set()
    """)
    r = _python(["-c", code], tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[1, 2, 3]", "4", "spawn"], r.stdout


def test_a_raises_class_of_a_scripts_main_with_a_thread(tmp_path):
    """A script run as a file, with a thread, passes `raises` an exception class of its own: the workers are given it
    too (pickled by the name __main__.Stop), so they cannot start from our fork server, whose children import none of
    the script; the map gives its results, and the script's lines outside a main guard run once."""
    marker = tmp_path / "ran.txt"
    script = tmp_path / "job.py"
    script.write_text(textwrap.dedent(f"""
        import threading
        with open({str(marker)!r}, "a") as fh:
            fh.write("ran\\n")

        class Stop(Exception):
            pass

        stop = threading.Event()
        threading.Thread(target=stop.wait, daemon=True).start()
        from xlgoals._parallel import pmap
        print(list(pmap(abs, [-1, -2, -3], 2, raises=(Stop,))))
        stop.set()
    """), encoding="utf-8")
    r = _python([str(script)], tmp_path, timeout=90)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[1, 2, 3]"], r.stdout
    assert marker.read_text() == "ran\n"


def test_an_entry_is_marked_used_where_links_cannot_be_touched(cache, monkeypatch):
    """Windows has no utime of a link itself (os.utime not in os.supports_follow_symlinks): the entry was never marked
    used, and prune took an install in daily use for the oldest.  A plain utime there, never through a link."""
    import time

    monkeypatch.setattr(os, "supports_follow_symlinks", set())
    (entry,) = _entries_of("/opt/a/site-packages/xlgoals", monkeypatch)[:1]
    _diskcache.store("rules", _files(), ["rules"])
    _age([entry], 10 * _DAY)
    assert _diskcache.load("rules", _files()) == ["rules"]
    assert time.time() - entry.stat().st_mtime < _DAY
    # a link is not followed: its target keeps its time
    target = cache / "elsewhere.txt"
    target.write_text("x")
    _age([target], 10 * _DAY)
    link = cache / "link.marshal"
    link.symlink_to(target)
    _diskcache._used(str(link))
    assert time.time() - target.stat().st_mtime > 9 * _DAY
