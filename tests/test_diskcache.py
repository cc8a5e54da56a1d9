"""The disk cache of the packaged rule table and frameworks (``xlgoals._diskcache``): a warm run gets what a fresh
parse gives; a stale, corrupt or unwritable cache is the same as none; a bureau's --rules file is never cached."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xlgoals import _diskcache
from xlgoals._check import _ruletable
from xlgoals._resources import data_dir
from xlgoals import _frameworks

from tests.conftest import EXAMPLE_XLSX


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "xlgoals"


def _fresh_rules() -> dict:
    return _ruletable._parse_file(str(data_dir("schema") / "rules.csv"))


def _same_rules(got: dict, want: dict) -> None:
    assert list(got) == list(want)
    for code, (rd, params) in want.items():
        assert got[code][0] == rd and got[code][0].__dict__ == rd.__dict__ and type(got[code][0]) is type(rd)
        assert got[code][1] == params and repr(got[code][1]) == repr(params)  # lists stay lists, ints ints


def _entry(cache: Path, name: str) -> Path:
    (found,) = cache.glob(f"{name}-*.marshal")
    return found


def test_a_warm_rule_table_is_the_parsed_one(cache):
    want = _fresh_rules()
    _same_rules(_ruletable._packaged(), want)  # cold: parsed, and kept
    entry = _entry(cache, "rules")
    written = entry.stat().st_mtime_ns
    _same_rules(_ruletable._packaged(), want)  # warm: from the entry, which is left as it is
    assert entry.stat().st_mtime_ns == written
    assert not list(cache.glob("*.tmp"))


def _tamper(entry: Path, key=None) -> None:
    """The entry with one rule's message changed (a table that was not parsed from today's rules.csv)."""
    kept_key, rows = marshal.loads(entry.read_bytes())
    values, params = rows[0]
    values = (*values[:7], "被改动的消息", *values[8:])  # message_zh
    entry.write_bytes(marshal.dumps((kept_key if key is None else key, [(values, params), *rows[1:]])))


def test_a_stale_entry_is_parsed_afresh(cache):
    want = _fresh_rules()
    _ruletable._packaged()
    entry = _entry(cache, "rules")
    first = next(iter(want))
    _tamper(entry)  # the entry's own key: served as kept (so the tampering is seen where it is used)
    assert _ruletable._packaged()[first][0].message_zh == "被改动的消息"
    key = marshal.loads(entry.read_bytes())[0]
    fmt, version, code, data = key
    (path, size, mtime, crc), *schemas = data
    stale = {
        "rules.csv changed": (fmt, version, code, ((path, size, mtime, crc + 1), *schemas)),
        "rules.csv touched": (fmt, version, code, ((path, size, mtime - 1, crc), *schemas)),
        "a module changed": (fmt, version, (*code[:-1], (code[-1][0], code[-1][1] + 1, code[-1][2])), data),
        "another Python": (fmt, version + " other", code, data),
        "an older layout": (fmt - 1, version, code, data),
    }
    for why, old in stale.items():
        _tamper(entry, key=old)
        _same_rules(_ruletable._packaged(), want)  # parsed afresh …
        assert marshal.loads(entry.read_bytes())[0] == key, why  # … and kept again under today's key


@pytest.mark.parametrize("content", [
    b"", b"\x00garbage", None, marshal.dumps("not a tuple"), marshal.dumps((1, 2, 3)),
    "wrong rows", "short row", "not a text"])
def test_a_corrupt_entry_is_parsed_afresh(cache, content):
    want = _fresh_rules()
    _ruletable._packaged()
    entry = _entry(cache, "rules")
    key, rows = marshal.loads(entry.read_bytes())
    if content is None:  # cut short
        content = entry.read_bytes()[: entry.stat().st_size // 2]
    elif content == "wrong rows":
        content = marshal.dumps((key, "rows"))
    elif content == "short row":
        content = marshal.dumps((key, [(rows[0][0][:-1], rows[0][1]), *rows[1:]]))
    elif content == "not a text":
        content = marshal.dumps((key, [((*rows[0][0][:-1], 3), rows[0][1]), *rows[1:]]))
    entry.write_bytes(content)
    _same_rules(_ruletable._packaged(), want)
    assert marshal.loads(entry.read_bytes()) == (key, rows)  # written again


def test_the_cache_is_never_required(tmp_path, monkeypatch):
    want = _fresh_rules()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "cache"))  # no folder can be made under a file
    _same_rules(_ruletable._packaged(), want)
    assert {fw.id for fw in _frameworks._packaged().values()} == {"national-2021", "shanghai-2020", "shanghai-2025"}
    assert blocker.read_text() == "x"
    # no home at all, and a relative XDG_CACHE_HOME (ignored, as the XDG specification says): nothing written here
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    monkeypatch.setenv("HOME", "")
    monkeypatch.setattr(os.path, "expanduser", lambda p: p)
    assert _diskcache.folder() is None
    _same_rules(_ruletable._packaged(), want)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_read_only_cache_folder_in_a_real_run(tmp_path):
    """A read-only home (its cache folder cannot be written): validate works and writes nothing there."""
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "XDG_CACHE_HOME": ""}
    env.pop("XDG_CACHE_HOME")
    if os.geteuid() == 0:  # root writes anywhere: a file where the cache folder would be does the same
        (home / ".cache").write_text("not a folder")
    else:
        home.chmod(0o500)
    try:
        proc = subprocess.run([sys.executable, "-m", "xlgoals", "validate", str(EXAMPLE_XLSX[2])], env=env,
                              capture_output=True, text=True, timeout=120)
    finally:
        home.chmod(0o700)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in home.iterdir()) == ([".cache"] if os.geteuid() == 0 else [])


def test_warm_frameworks_are_the_checked_ones(cache):
    folder = data_dir("templates")
    want = {p.stem: _frameworks._load_file(p) for p in sorted(folder.glob("*.json"))}
    for _ in range(2):  # cold, then warm
        got = _frameworks._packaged()
        assert list(got) == list(want)
        for fid, fw in want.items():
            assert got[fid] == fw
            shown = {k: v for k, v in fw.__dict__.items() if k != "self_evaluation"}
            assert {k: v for k, v in got[fid].__dict__.items() if k != "self_evaluation"} == shown
            assert got[fid].self_evaluation == fw.self_evaluation
            assert got[fid].__dict__["self_evaluation"] == fw.__dict__["self_evaluation"]  # kept, once made
            assert (got[fid].self_evaluation is None) == (got[fid].weights_section is None)
    assert _entry(cache, "frameworks").is_file()


def test_a_stale_framework_entry_is_read_afresh(cache):
    _frameworks._packaged()
    entry = _entry(cache, "frameworks")
    key, raws = marshal.loads(entry.read_bytes())
    stem, where, raw = raws[0]
    changed = {**raw, "title": "被改动的名称"}
    entry.write_bytes(marshal.dumps((key, [(stem, where, changed), *raws[1:]])))
    assert _frameworks._packaged()[stem].title == "被改动的名称"  # its own key: served as kept
    fmt, version, code, data = key
    old = (fmt, version, code, ((data[0][0], data[0][1], data[0][2] - 1, data[0][3]), *data[1:]))
    entry.write_bytes(marshal.dumps((old, [(stem, where, changed), *raws[1:]])))
    assert _frameworks._packaged()[stem].title == raw["title"]
    entry.write_bytes(b"\x00")
    assert _frameworks._packaged()[stem].title == raw["title"]


def test_the_key_follows_the_modules_and_the_files(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    (package / "a.py").write_text("x = 1\n")
    (package / "sub" / "b.py").write_text("y = 2\n")
    (package / "__pycache__" / "a.cpython.pyc").write_bytes(b"\x00")
    data = tmp_path / "rules.csv"
    data.write_text("code\n")
    monkeypatch.setattr(_diskcache, "_PACKAGE", str(package))
    monkeypatch.setattr(_diskcache, "_STAMPED", [])
    first = _diskcache.key(str(data))
    assert [Path(p).name for p, _, _ in first[2]] == ["a.py", "b.py"]  # the modules, not their bytecode
    assert _diskcache.key(str(data)) == first
    (package / "sub" / "b.py").write_text("y = 3\n")  # same size
    os.utime(package / "sub" / "b.py", ns=(1, 1))
    assert _diskcache.key(str(data)) == first  # stamped once a process (its modules are loaded already)
    monkeypatch.setattr(_diskcache, "_STAMPED", [])  # the next process
    second = _diskcache.key(str(data))
    assert second != first
    data.write_text("cade\n")
    os.utime(data, ns=(os.stat(data).st_atime_ns, first[3][0][2]))  # the same size and time, other bytes
    assert _diskcache.key(str(data)) != second
    assert _diskcache.key(str(tmp_path / "missing.csv")) is None  # unreadable: no cache (the parse says why)


def test_a_bureau_rule_table_is_read_every_time(cache, tmp_path):
    """--rules FILE: a bureau's rows are laid over the (cached) packaged table, and read afresh each load."""
    own = tmp_path / "本局规则.csv"
    header = ",".join(_ruletable.COLUMNS)
    row = _fresh_rules()["rule.required_field"][0]

    def write(severity: str) -> None:
        values = [getattr(row, c) for c in _ruletable.COLUMNS]
        values[1] = severity
        own.write_text(header + "\n" + ",".join(f'"{v}"' for v in values) + "\n", encoding="utf-8")

    write("warning")
    assert _ruletable._load_table.__wrapped__(str(own))["rule.required_field"].severity == "warning"
    write("error")
    assert _ruletable._load_table.__wrapped__(str(own))["rule.required_field"].severity == "error"
    assert sorted(p.name.split("-")[0] for p in cache.iterdir()) == ["rules"]  # the packaged table only


def test_a_warm_framework_copied_or_pickled_keeps_its_points(cache):
    """A framework built from the cache, its 分值 not yet made, deep-copied or pickled (a library user's copy, a
    worker's argument): the copy makes the same 分值 when asked, not a stand-in object in their place."""
    import copy
    import pickle

    want = {p.stem: _frameworks._load_file(p) for p in sorted(data_dir("templates").glob("*.json"))}
    _frameworks._packaged()  # cold: kept
    for make in (copy.deepcopy, lambda fw: pickle.loads(pickle.dumps(fw)), copy.copy):
        for fid, fw in _frameworks._packaged().items():  # warm: 分值 not made yet
            got = make(fw)
            assert got.self_evaluation == want[fid].self_evaluation, fid
            assert type(got.self_evaluation) is type(want[fid].self_evaluation), fid


def test_an_entry_that_is_no_regular_file_is_not_read(cache):
    """A FIFO (or a link to a device) where the entry should be: the run does not wait on it, nor read it without
    end, and parses afresh (it left validate hanging)."""
    want = _fresh_rules()
    _ruletable._packaged()
    entry = _entry(cache, "rules")
    entry.unlink()
    os.mkfifo(entry)
    code = ("import sys; from xlgoals._check import _ruletable; t = _ruletable._packaged(); "
            "sys.stdout.write(str(len(t)))")
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "XDG_CACHE_HOME": str(cache.parent)},
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == str(len(want))
    entry.unlink()
    entry.symlink_to("/dev/zero")
    _same_rules(_ruletable._packaged(), want)


def test_a_link_planted_in_the_cache_folder_is_not_written_through(cache, tmp_path):
    """A cache folder others can write to (XDG_CACHE_HOME shared): a link planted at the temporary name the entry
    is written to, or at the entry itself, never has the file it points at rewritten."""
    _ruletable._packaged()
    entry = _entry(cache, "rules")
    entry.unlink()
    victim = tmp_path / "victim.txt"
    victim.write_text("a user's file")
    tmp = Path(f"{entry}.{os.getpid()}.tmp")
    tmp.symlink_to(victim)
    _ruletable._packaged()
    assert victim.read_text() == "a user's file"
    assert entry.is_file() and not entry.is_symlink()
    marshal.loads(entry.read_bytes())  # a whole entry was kept all the same
    assert not os.path.exists(tmp) or os.path.islink(tmp)  # the planted link is not ours to remove or follow


def test_a_file_changed_while_it_was_parsed_is_not_kept(cache, monkeypatch):
    """rules.csv (or a framework) saved again while a run was parsing it: what that run parsed is not kept under the
    new file's key (the next run would have taken the old rules for the new file's, until the file changed again)."""
    real_parse, real_stamp = _ruletable._parse_file, _diskcache._data_stamp
    edited = []

    def stamp(path):
        found = real_stamp(path)
        return (*found[:3], found[3] ^ 1) if edited else found  # the file as saved again

    def parse(path):
        out = real_parse(path)
        edited.append(path)  # saved again once read
        return out

    monkeypatch.setattr(_diskcache, "_data_stamp", stamp)
    monkeypatch.setattr(_ruletable, "_parse_file", parse)
    _ruletable._packaged()
    assert not list(cache.glob("rules-*.marshal"))
    edited.clear()
    monkeypatch.setattr(_ruletable, "_parse_file", real_parse)
    _ruletable._packaged()
    assert len(list(cache.glob("rules-*.marshal"))) == 1  # kept when nothing changed while parsing


def test_generated_code_is_compiled_once_and_kept(cache, monkeypatch):
    """The checks' generated functions (the sweep, the required paths, the item schema's rows) are compiled once and
    their code kept: a later process runs the kept code, without compiling; a damaged, foreign or world-writable entry
    is compiled afresh, and what runs is always the source's code."""
    import builtins

    source = "def f(x):\n    return x * 2 + 1\n"
    code = _diskcache.compiled(source, "<xlgoals test>")
    (kept,) = cache.glob("code-*.marshal")
    names: dict = {}
    exec(code, names)  # noqa: S102
    assert names["f"](3) == 7

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    with monkeypatch.context() as m:
        m.setattr(builtins, "compile", no_compile)
        again = _diskcache.compiled(source, "<xlgoals test>")
    assert again == code
    assert _diskcache.compiled("def f(x):\n    return x\n", "<xlgoals test>") != code  # another source: its own entry
    assert len(list(cache.glob("code-*.marshal"))) == 2

    kept.write_bytes(marshal.dumps(("not", "code")))  # not code: compiled afresh and replaced
    names = {}
    exec(_diskcache.compiled(source, "<xlgoals test>"), names)  # noqa: S102
    assert names["f"](3) == 7 and marshal.loads(kept.read_bytes()) == code
    kept.write_bytes(b"\x00garbage")
    assert _diskcache.compiled(source, "<xlgoals test>") == code
    os.chmod(kept, 0o666)  # writable by others: not run (read_own), compiled
    with monkeypatch.context() as m:
        m.setattr(builtins, "compile", no_compile)
        with pytest.raises(AssertionError, match="compiled again"):
            _diskcache.compiled(source, "<xlgoals test>")


def test_a_check_uses_the_kept_code_of_its_generated_functions(cache):
    """A validate in a fresh process compiles no generated function once an earlier one has kept them."""
    run = [sys.executable, "-c", "import builtins, sys\n"
           "seen = []\n"
           "real = builtins.compile\n"
           "def spy(src, name, *a, **k):\n"
           "    seen.append(str(name))\n"
           "    return real(src, name, *a, **k)\n"
           "builtins.compile = spy\n"
           "from xlgoals import validate_file\n"
           "validate_file(sys.argv[1])\n"
           "print(sorted({n for n in seen if n.startswith('<xlgoals')}))\n", str(EXAMPLE_XLSX[0])]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache.parent)}
    first = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "<xlgoals sweep goal-table>" in first.stdout and "<xlgoals required>" in first.stdout, first.stdout
    second = subprocess.run(run, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "[]", second.stdout


def test_code_entries_are_pruned_to_the_newest(cache):
    """Code is keyed by its source: every upgrade and every bureau rule table adds entries. Writing one keeps the
    newest KEEP_CODE_ENTRIES code entries, removes a killed run's temporary file, and leaves anything else alone."""
    cache.mkdir(parents=True)
    n = _diskcache.KEEP_CODE_ENTRIES + 6
    old = []
    for i in range(n):
        p = cache / f"{'code' if i % 2 else 'schema'}-{i:040x}.marshal"
        p.write_bytes(marshal.dumps(compile(f"x = {i}", "<t>", "exec")))
        os.utime(p, (1_000_000 + i, 1_000_000 + i))  # entry i older than i + 1
        old.append(p)
    rules = cache / "rules-0000abcd.marshal"  # the parsed rule table: one per install, never pruned
    rules.write_bytes(b"x")
    os.utime(rules, (1, 1))
    stale = cache / "rules-0000abcd.marshal.123.abcdef.tmp"  # left by a run killed while writing it
    stale.write_bytes(b"half")
    os.utime(stale, (1, 1))
    fresh = cache / "code-ffff.marshal.456.abcdef.tmp"  # another run writing it now
    fresh.write_bytes(b"half")
    other = cache / "notes.txt"  # not ours
    other.write_bytes(b"keep me")
    os.utime(other, (1, 1))

    code = _diskcache.compiled("y = 42", "<pruned>")
    ns: dict = {}
    exec(code, ns)
    assert ns["y"] == 42
    kept = sorted(p.name for p in cache.iterdir())
    new = [k for k in kept if k.startswith("code-") and k.endswith(".marshal") and k not in {p.name for p in old}]
    assert len(new) == 1  # the entry just written is kept
    survivors = [p for p in old if p.exists()]
    assert len(survivors) == _diskcache.KEEP_CODE_ENTRIES - 1  # with the new one: KEEP_CODE_ENTRIES
    assert survivors == old[-len(survivors):]  # the newest
    assert rules.exists() and other.exists() and fresh.exists()
    assert not stale.exists()


def test_pruning_never_follows_a_link_or_takes_what_is_not_a_file(cache, tmp_path):
    cache.mkdir(parents=True)
    outside = tmp_path / "precious.marshal"
    outside.write_bytes(b"precious")
    for i in range(5):
        os.symlink(outside, cache / f"code-{i:040x}.marshal")
    (cache / "schema-dir.marshal").mkdir()
    _diskcache.prune(str(cache), keep=0)
    assert outside.read_bytes() == b"precious"
    assert len(list(cache.glob("code-*.marshal"))) == 5 and (cache / "schema-dir.marshal").is_dir()
