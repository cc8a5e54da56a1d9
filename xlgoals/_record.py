"""Frozen dataclasses made without generated code: the declarations every `validate` builds at start-up.

``@dataclass(frozen=True)`` writes and compiles the source of six methods for each class (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), and a class without a docstring
gets one from ``inspect.signature``: about half a millisecond a class, some twenty classes on the path of
``xlgoals validate one.xlsx``.  ``@frozen`` makes the same dataclass (``dataclasses.fields``, ``replace``,
``is_dataclass`` and ``asdict`` work on it) with ``dataclass(init=False, repr=False, eq=False)``, which
generates nothing, and gives it shared methods that behave as the generated ones do: keyword or positional
arguments in field order, defaults and default factories, ``__post_init__``, ``FrozenInstanceError`` on
assignment, the dataclass ``repr`` and (with ``eq=True``) equality and hash over the compared fields.

``@record`` is the same for a mutable dataclass (``@dataclass``).  Building an instance this way costs a few
microseconds more, so they are for classes built a few hundred times per run (form declarations, rule rows,
frameworks) or once per file or problem, not per cell.
"""

from __future__ import annotations

from dataclasses import MISSING, FrozenInstanceError, dataclass, fields

_SET = object.__setattr__


def _spec(cls) -> tuple:
    """(init fields as (name, default, factory), their names, init=False fields with a factory, __post_init__)."""
    spec = cls.__dict__.get("_record_spec")
    if spec is None:
        own = fields(cls)
        spec = (tuple((f.name, f.default, f.default_factory) for f in own if f.init),
                frozenset(f.name for f in own if f.init),
                tuple((f.name, f.default_factory) for f in own if not f.init and f.default_factory is not MISSING),
                getattr(cls, "__post_init__", None))
        type.__setattr__(cls, "_record_spec", spec)
    return spec


def _init(self, *args, **kwargs) -> None:
    cls = type(self)
    init, names, factories, post = _spec(cls)
    if len(args) > len(init):
        raise TypeError(f"{cls.__qualname__}.__init__() takes {len(init) + 1} positional arguments but "
                        f"{len(args) + 1} were given")
    for name in kwargs:
        if name not in names:
            raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {name!r}")
    for i, (name, default, factory) in enumerate(init):
        if i < len(args):
            if name in kwargs:
                raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument {name!r}")
            value = args[i]
        elif name in kwargs:
            value = kwargs[name]
        elif default is not MISSING:
            value = default
        elif factory is not MISSING:
            value = factory()
        else:
            raise TypeError(f"{cls.__qualname__}.__init__() missing required argument: {name!r}")
        _SET(self, name, value)
    for name, factory in factories:
        _SET(self, name, factory())
    if post is not None:
        post(self)


def _setattr(self, name, value) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self, name) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _repr(self) -> str:
    inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{type(self).__qualname__}({inner})"


def _compared(self) -> tuple:
    return tuple(getattr(self, f.name) for f in fields(self) if f.compare)


def _eq(self, other):
    if other.__class__ is self.__class__:
        return _compared(self) == _compared(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(tuple(getattr(self, f.name) for f in fields(self) if (f.compare if f.hash is None else f.hash)))


def _make(cls, eq: bool, frozen: bool):
    if not cls.__dict__.get("__doc__"):
        raise TypeError(f"{cls.__qualname__} has no docstring: @frozen and @record classes need one")
    for name in ("__init__", "__repr__", "__setattr__", "__delattr__", "__eq__", "__hash__"):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: @frozen and @record make it")
    cls = dataclass(cls, init=False, repr=False, eq=False)
    cls.__init__, cls.__repr__ = _init, _repr
    if frozen:
        cls.__setattr__, cls.__delattr__ = _setattr, _delattr
    if eq:
        cls.__eq__, cls.__hash__ = _eq, (_hash if frozen else None)  # as a dataclass: unhashable unless frozen
    return cls


def frozen(cls=None, /, *, eq: bool = True):
    """``@dataclass(frozen=True, eq=eq)`` without generated code (see the module's docstring).  The class needs a
    docstring of its own (a dataclass without one gets its signature, computed at start-up)."""

    def wrap(cls):
        return _make(cls, eq, frozen=True)

    return wrap if cls is None else wrap(cls)


def record(cls=None, /, *, eq: bool = True):
    """``@dataclass(eq=eq)`` without generated code: for the classes built once per file or per problem, not per
    cell (a few microseconds more each)."""

    def wrap(cls):
        return _make(cls, eq, frozen=False)

    return wrap if cls is None else wrap(cls)
