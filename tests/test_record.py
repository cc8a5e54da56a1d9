"""@frozen and @record (xlgoals._record) behave as @dataclass(frozen=True) and @dataclass do, without generating
code at start-up."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle
import subprocess
import sys
from dataclasses import FrozenInstanceError, dataclass, field

import pytest

from xlgoals._record import frozen, record


def _twins(eq: bool):
    """The same class, once @frozen and once @dataclass(frozen=True) (module-level names, for pickle)."""
    made = []
    for maker, decorate in (("frozen", frozen(eq=eq)), ("dataclass", dataclass(frozen=True, eq=eq))):
        @decorate
        class Twin:
            """A declaration."""

            name: str
            count: int = 2
            tags: dict = field(default_factory=dict, compare=False)
            hidden: str = field(default="h", repr=False)
            cache: list = field(default_factory=list, init=False, compare=False, repr=False)
            placed: int = field(default=-1, init=False)

            def __post_init__(self):
                self.cache.append(self.name)
                if self.count > 1:
                    object.__setattr__(self, "placed", self.count * 10)

        Twin.__name__ = Twin.__qualname__ = f"Twin_{maker}_{eq}"
        globals()[Twin.__name__] = Twin
        made.append(Twin)
    return made


def _outcome(fn):
    try:
        return ("ok", fn())
    except Exception as exc:  # the same exception type, whatever the wording
        return ("raises", type(exc))


@pytest.mark.parametrize("eq", [True, False])
def test_frozen_is_made_as_a_frozen_dataclass_is(eq):
    ours, theirs = _twins(eq)
    calls = [((), {}), (("a",), {}), (("a", 3), {}), (("a",), {"count": 1}), ((), {"name": "b", "tags": {"x": 1}}),
             (("a", 3, {"t": 1}, "z"), {}), (("a", 3, {}, "z", 5), {}), (("a",), {"name": "b"}),
             (("a",), {"placed": 4}), (("a",), {"nope": 1}), (("a",), {"cache": []})]
    for args, kwargs in calls:
        mine, real = _outcome(lambda: ours(*args, **kwargs)), _outcome(lambda: theirs(*args, **kwargs))
        assert mine[0] == real[0], (args, kwargs)
        if mine[0] == "raises":
            assert mine[1] is real[1] is TypeError
            continue
        a, b = mine[1], real[1]
        assert repr(a).replace(ours.__qualname__, "T") == repr(b).replace(theirs.__qualname__, "T")
        assert [(f.name, getattr(a, f.name)) for f in dataclasses.fields(a)] == \
               [(f.name, getattr(b, f.name)) for f in dataclasses.fields(b)]
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        for target in (a, b):
            with pytest.raises(FrozenInstanceError):
                target.name = "x"
            with pytest.raises(FrozenInstanceError):
                del target.count
        changed = dataclasses.replace(a, count=7)
        assert (changed.name, changed.count, changed.placed, changed.cache) == (a.name, 7, 70, [a.name])
        assert type(changed) is ours and dataclasses.is_dataclass(changed)
        twin = ours(*args, **kwargs)
        assert (a == twin) is (b == theirs(*args, **kwargs))
        assert (a == changed) is False and (a != twin) is (not eq)
        assert (a == "a") is False
        if eq:
            assert hash(a) == hash(twin)
            assert hash(ours("a", tags={"x": 1})) == hash(ours("a", tags={"y": 2}))  # tags are not compared
            assert ours("a", tags={"x": 1}) == ours("a", tags={"y": 2})
        else:
            assert hash(a) == object.__hash__(a)
        for copied in (copy.copy(a), copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
            assert repr(copied) == repr(a) and type(copied) is ours


def test_frozen_refuses_what_it_would_overwrite_or_compute():
    with pytest.raises(TypeError):
        @frozen
        class NoDoc:
            a: int

    with pytest.raises(TypeError):
        @frozen
        class OwnInit:
            """Has its own __init__."""

            a: int

            def __init__(self, a):
                pass


def test_the_validate_path_generates_no_dataclass_code_for_its_declarations():
    """The form declarations, the rule table, the frameworks and the configuration `xlgoals validate` builds are
    made without the dataclass decorator's generated code (compiled per class, at every start-up), and so are
    the reports and results made once per file."""
    code = (
        "import dataclasses, json, sys\n"
        "made = []\n"
        "process = dataclasses._process_class\n"
        "def spy(cls, init, repr, eq, order, unsafe_hash, frozen, *rest):\n"
        "    if init or repr or eq or frozen:\n"
        "        made.append(cls.__module__ + '.' + cls.__qualname__)\n"
        "    return process(cls, init, repr, eq, order, unsafe_hash, frozen, *rest)\n"
        "dataclasses._process_class = spy\n"
        "import xlgoals._check._report, xlgoals._check._validate, xlgoals._form, xlgoals._selfeval._weights\n"
        "from xlgoals._config import Config\n"
        "Config.load()\n"
        "print(json.dumps(sorted(m for m in made if m.startswith('xlgoals.'))))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    made = json.loads(proc.stdout.strip().splitlines()[-1])
    assert made == ["xlgoals._problems.Problem"], proc.stderr  # made per problem: its generated __init__ is faster


def test_record_is_made_as_a_dataclass_is():
    made = []
    for maker, decorate in (("record", record), ("dataclass", dataclass)):
        @decorate
        class Mutable:
            """A result."""

            path: str
            problems: list = field(default_factory=list)
            document: object = None

        Mutable.__name__ = Mutable.__qualname__ = f"Mutable_{maker}"
        globals()[Mutable.__name__] = Mutable
        made.append(Mutable)
    ours, theirs = made
    for args, kwargs in ((("a",), {}), (("a", [1]), {"document": {}}), ((), {}), (("a",), {"other": 1})):
        mine, real = _outcome(lambda: ours(*args, **kwargs)), _outcome(lambda: theirs(*args, **kwargs))
        assert mine[0] == real[0]
        if mine[0] == "raises":
            assert mine[1] is real[1] is TypeError
            continue
        a, b = mine[1], real[1]
        assert repr(a).replace("record", "dataclass") == repr(b)
        assert a == ours(*args, **kwargs) and a != ours("other") and (a == b) is False
        a.path, b.path = "changed", "changed"
        a.problems.append(2)
        assert a.path == "changed" and a.problems[-1] == 2 and ours("x").problems == []  # a list of its own
        assert ours.__hash__ is None and theirs.__hash__ is None  # unhashable, as a mutable dataclass with eq
        assert dataclasses.asdict(a) == {"path": "changed", "problems": a.problems, "document": a.document}
        assert repr(pickle.loads(pickle.dumps(a))) == repr(a)


def test_loading_turns_the_collector_off_only_while_the_command_loads():
    """`validate` loads its modules and configuration with the garbage collector off (_entry.loading), and turns
    it back on; only the command line's own process sets what was loaded aside (gc.freeze): a program calling
    cli.main keeps its heap as it was, and a caller that turned the collector off keeps it off."""
    from tests.conftest import EXAMPLE_XLSX

    code = (
        "import gc, json, sys\n"
        "from xlgoals import _entry\n"
        "from xlgoals.cli import main\n"
        "seen = []\n"
        "for collector_on in (True, False):\n"
        "    gc.enable() if collector_on else gc.disable()\n"
        "    try:\n"
        f"        main(['validate', {str(EXAMPLE_XLSX[2])!r}])\n"
        "    except SystemExit as e:\n"
        "        seen.append([e.code, gc.isenabled(), gc.get_freeze_count()])\n"
        "gc.enable()\n"
        "with _entry.loading():\n"
        "    seen.append(gc.isenabled())\n"
        "_entry.COMMAND_LINE_PROCESS = True\n"
        "with _entry.loading():\n"
        "    pass\n"
        "seen.append([gc.isenabled(), gc.get_freeze_count() > 0])\n"
        "print(json.dumps(seen))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [[0, True, 0], [0, False, 0], False, [True, True]], \
        proc.stderr


def _made(decorate, body: dict, bases=()):
    """A class made by `decorate` from annotations and defaults in `body`; ("raises", type) if the decorator refuses."""
    ns = {"__doc__": "A declaration.", "__annotations__": {}, "__module__": __name__}
    for name, (kind, *default) in body.items():
        ns["__annotations__"][name] = kind
        if default:
            ns[name] = default[0]
    return _outcome(lambda: decorate(type("Made", bases, ns)))


def test_a_required_field_after_a_defaulted_one_is_refused_as_by_dataclass():
    """dataclass refuses `a: int = 1; b: int` (its __init__ could not be written); @frozen and @record made one
    whose positional arguments were silently taken in another sense."""
    body = {"a": ("int", 1), "b": ("int",)}
    for ours, theirs in ((frozen, dataclass(frozen=True)), (record, dataclass)):
        assert _made(ours, body)[0] == _made(theirs, body)[0] == "raises"
    assert _made(frozen, {"a": ("int",), "b": ("int", 1)})[0] == "ok"


def test_keyword_only_fields_are_keyword_only_as_in_a_dataclass():
    made = []
    for maker, decorate in (("frozen", frozen), ("dataclass", dataclass(frozen=True))):
        @decorate
        class Keyed:
            """A declaration."""

            a: int
            b: int = field(default=2, kw_only=True)
            c: int = 3
            d: int = field(kw_only=True, default_factory=lambda: 4)

        made.append(Keyed)
    ours, theirs = made
    for args, kwargs in (((1,), {}), ((1, 5), {}), ((1, 5, 6), {}), ((1,), {"b": 7, "d": 8}), ((1, 5), {"c": 6})):
        mine, real = _outcome(lambda: ours(*args, **kwargs)), _outcome(lambda: theirs(*args, **kwargs))
        assert mine[0] == real[0], (args, kwargs)
        if mine[0] == "ok":
            assert dataclasses.astuple(mine[1]) == dataclasses.astuple(real[1]), (args, kwargs)


def test_init_var_is_refused_rather_than_dropped():
    """An InitVar is no field (dataclasses.fields leaves it out): the shared __init__ would refuse it as unknown
    and never pass it to __post_init__.  The decorator says so when the class is made."""
    with pytest.raises(TypeError, match="InitVar"):
        @frozen
        class WithInitVar:
            """A declaration."""

            a: int
            seed: dataclasses.InitVar[int] = 0

            def __post_init__(self, seed):
                pass


def test_frozen_and_mutable_inheritance_as_in_dataclasses():
    """A @frozen class is a frozen dataclass to its subclasses: a @dataclass(frozen=True) subclass may be made
    (dataclass refused it as inheriting from a non-frozen one), and a mutable one may not, nor a @frozen subclass
    of a mutable dataclass."""
    @frozen
    class Base:
        """A declaration."""

        a: int

    @dataclass(frozen=True)
    class Sub(Base):
        """A frozen subclass."""

        b: int = 2

    assert dataclasses.astuple(Sub(1)) == (1, 2)
    with pytest.raises(FrozenInstanceError):
        Sub(1).b = 3
    with pytest.raises(TypeError):
        @dataclass
        class MutableSub(Base):
            """Not frozen."""

    @dataclass
    class Mutable:
        """A mutable dataclass."""

        a: int = 0

    with pytest.raises(TypeError):
        @frozen
        class FrozenSub(Mutable):
            """Frozen over a mutable base."""

    @record
    class MutableRecord:
        """A mutable record."""

        a: int = 0

    @dataclass
    class MutableRecordSub(MutableRecord):
        """A mutable subclass of a mutable record."""

        b: int = 1

    assert dataclasses.astuple(MutableRecordSub()) == (0, 1)


def test_a_frozen_subclass_of_a_frozen_class_and_a_record_of_a_record():
    @frozen
    class Base:
        """A declaration."""

        a: int

    @frozen
    class Sub(Base):
        """A frozen subclass."""

        b: int = 2

    assert dataclasses.astuple(Sub(1)) == (1, 2) and Base.__dataclass_params__.frozen
    with pytest.raises(FrozenInstanceError):
        Sub(1).a = 3
    with pytest.raises(TypeError):
        @record
        class MutableSub(Base):
            """Not frozen."""

    @record
    class Mutable:
        """A result."""

        a: int = 0

    @record
    class MutableSub2(Mutable):
        """Its subclass."""

        b: list = field(default_factory=list)

    m = MutableSub2()
    m.a = 5
    assert dataclasses.astuple(m) == (5, [])


def test_the_signature_is_the_dataclass_one():
    """help(), IDEs and inspect.signature show the fields a @frozen or @record class takes, as a dataclass's
    generated __init__ does (the shared one alone says (*args, **kwargs))."""
    import inspect

    made = []
    for decorate in (frozen, dataclass(frozen=True), record, dataclass):
        @decorate
        class Shown:
            """A declaration."""

            a: int
            b: list = field(default_factory=list)
            c: str = field(default="x", kw_only=True)
            d: int = field(default=0, init=False)

        made.append(Shown)
    for ours, theirs in (made[:2], made[2:]):
        assert str(inspect.signature(ours)) == str(inspect.signature(theirs)) == \
            "(a: 'int', b: 'list' = <factory>, *, c: 'str' = 'x') -> None"
        assert inspect.signature(ours).bind(1, c="y").arguments == {"a": 1, "c": "y"}
    from xlgoals import ReadResult

    assert "path" in inspect.signature(ReadResult).parameters


def test_a_subclass_with_its_own_init_shows_that_one():
    import inspect

    @record
    class Base:
        """A result."""

        a: int = 0

    class Own(Base):
        def __init__(self, z):
            super().__init__(a=z)

    @dataclass
    class Generated(Base):
        """A dataclass subclass."""

        b: int = 1

    assert str(inspect.signature(Own)) == "(z)" and Own(3).a == 3
    assert list(inspect.signature(Generated).parameters) == ["a", "b"]


def test_making_a_subclass_leaves_its_bases_as_they_were():
    @dataclass(frozen=True)
    class FrozenBase:
        """A frozen dataclass."""

        a: int = 0

    @frozen
    class Sub(FrozenBase):
        """Frozen over a frozen dataclass."""

        b: int = 1

    assert FrozenBase.__dataclass_params__.frozen and Sub.__dataclass_params__.frozen
    assert dataclasses.astuple(Sub(2, 3)) == (2, 3)
    with pytest.raises(TypeError):
        @record
        class Mutable(Sub):
            """Not frozen."""
    assert FrozenBase.__dataclass_params__.frozen and Sub.__dataclass_params__.frozen
