"""Frozen dataclasses made without generated code: the declarations every `validate` builds at start-up.

``@dataclass(frozen=True)`` writes and compiles the source of six methods for each class (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), and a class without a docstring
gets one from ``inspect.signature``: about half a millisecond a class, some twenty classes on the path of
``xlgoals validate one.xlsx``.  ``@frozen`` makes the same dataclass (``dataclasses.fields``, ``replace``,
``is_dataclass`` and ``asdict`` work on it) with ``dataclass(init=False, repr=False, eq=False)``, which
generates nothing, and gives it shared methods that behave as the generated ones do: keyword or positional
arguments in field order (keyword-only fields by keyword only), defaults and default factories, ``__post_init__``,
``FrozenInstanceError`` on assignment, the dataclass ``repr``, its signature (``inspect.signature``, help()) and
(with ``eq=True``) equality and hash over the compared fields; to subclasses a @frozen class is a frozen dataclass.
What the shared ``__init__`` cannot do is refused when the class is made: an ``InitVar``, a required positional
field after one with a default (as dataclass refuses it), a class that defines the methods it makes.

``@record`` is the same for a mutable dataclass (``@dataclass``).  An instance is built by one shared
``__init__`` (a dict of the defaults updated with the arguments), in about twice the generated one's time (a few
microseconds for a rule row of 11 fields).  They are for classes built a few hundred times per run (form declarations, rule rows, frameworks) or once per file (reports, read results);
a Problem, built per problem found, keeps its generated ``__init__``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, FrozenInstanceError, dataclass, fields

_REQUIRED = object()  # in a class's template: a field the caller must give
_FACTORY = object()  # in a class's template: a field whose default is made by its factory


def _spec(cls) -> tuple:
    """What building an instance needs, worked out once per class: the init fields in order, the template of their
    values (the default, or _REQUIRED, or _FACTORY), the fields to look at after the caller's values are in,
    the factories, the init=False fields with a factory, and ``__post_init__``."""
    spec = cls.__dict__.get("_record_spec")
    if spec is None:
        own = fields(cls)
        init = [f for f in own if f.init]
        template = {f.name: f.default if f.default is not MISSING else _FACTORY if f.default_factory is not MISSING
                    else _REQUIRED for f in init}
        spec = (tuple(f.name for f in init if not f.kw_only), template, frozenset(template),
                tuple(name for name, value in template.items() if value is _REQUIRED or value is _FACTORY),
                {f.name: f.default_factory for f in init if f.default_factory is not MISSING},
                tuple((f.name, f.default_factory) for f in own if not f.init and f.default_factory is not MISSING),
                getattr(cls, "__post_init__", None))
        type.__setattr__(cls, "_record_spec", spec)
    return spec


def _init(self, *args, **kwargs) -> None:
    cls = type(self)
    order, template, names, pending, factories, later, post = cls.__dict__.get("_record_spec") or _spec(cls)
    if args:
        if len(args) > len(order):
            raise TypeError(f"{cls.__qualname__}.__init__() takes {len(order) + 1} positional arguments but "
                            f"{len(args) + 1} were given")
        given = dict(zip(order, args))
        both = next((name for name in given if name in kwargs), None)
        if both is not None:
            raise TypeError(f"{cls.__qualname__}.__init__() got multiple values for argument {both!r}")
        kwargs = {**given, **kwargs}
    if not names.issuperset(kwargs):
        unknown = next(name for name in kwargs if name not in names)
        raise TypeError(f"{cls.__qualname__}.__init__() got an unexpected keyword argument {unknown!r}")
    values = {**template, **kwargs}
    for name in pending:
        value = values[name]
        if value is _REQUIRED:
            raise TypeError(f"{cls.__qualname__}.__init__() missing required argument: {name!r}")
        if value is _FACTORY:
            values[name] = factories[name]()
    for name, factory in later:
        values[name] = factory()
    self.__dict__.update(values)  # what object.__setattr__ would do, field by field (no descriptor is a field)
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


def _check_init(cls) -> None:
    """Refuse what a generated ``__init__`` would refuse or the shared one cannot do: an InitVar (not among
    ``fields``: it would be refused as unknown and never reach ``__post_init__``), and a required positional field
    after one with a default (dataclass cannot write that ``__init__``; the shared one took it silently)."""
    if any(f._field_type is dataclasses._FIELD_INITVAR for f in cls.__dataclass_fields__.values()):
        raise TypeError(f"{cls.__qualname__}: @frozen and @record take no InitVar")
    defaulted = None
    for f in fields(cls):
        if not f.init or f.kw_only:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            defaulted = f.name
        elif defaulted:
            raise TypeError(f"{cls.__qualname__}: non-default argument {f.name!r} follows default argument "
                            f"{defaulted!r}")


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"  # as a dataclass's signature shows a default made by a factory


class _Signature:
    """A class's ``__signature__`` (what ``inspect.signature``, help() and IDEs show), worked out when asked, as a
    dataclass's generated ``__init__`` gives it: the init fields, keyword-only ones after a ``*``."""

    def __get__(self, obj, owner):
        if obj is not None or owner.__init__ is not _init:  # (a subclass with an __init__ of its own: that one's)
            raise AttributeError("__signature__")
        import inspect

        P = inspect.Parameter
        params = [P(f.name, P.KEYWORD_ONLY if f.kw_only else P.POSITIONAL_OR_KEYWORD, annotation=f.type,
                    default=f.default if f.default is not MISSING else _Factory()
                    if f.default_factory is not MISSING else P.empty) for f in fields(owner) if f.init]
        params.sort(key=lambda p: p.kind == P.KEYWORD_ONLY)  # (a stable sort: each kind in field order)
        return inspect.Signature(params, return_annotation=None)


_SIGNATURE = _Signature()


def _make(cls, eq: bool, frozen: bool):
    if not cls.__dict__.get("__doc__"):
        raise TypeError(f"{cls.__qualname__} has no docstring: @frozen and @record classes need one")
    for name in ("__init__", "__repr__", "__setattr__", "__delattr__", "__eq__", "__hash__"):
        if name in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} defines {name}: @frozen and @record make it")
    bases = [b.__dataclass_params__.frozen for b in cls.__mro__[1:] if "__dataclass_params__" in b.__dict__]
    if bases and any(bases) != frozen:  # as dataclass says it
        raise TypeError(f"{cls.__qualname__}: cannot inherit {'' if frozen else 'non-'}frozen dataclass from a "
                        f"{'non-' if frozen else ''}frozen one")
    # dataclass is told frozen=False (frozen=True would generate __setattr__ and __delattr__), so for that call a
    # frozen base is said not to be one; the class is then marked as the frozen dataclass it is, for its subclasses
    said = [(b.__dataclass_params__, b.__dataclass_params__.frozen) for b in cls.__mro__[1:]
            if "__dataclass_params__" in b.__dict__]
    for params, _ in said:
        params.frozen = False
    try:
        cls = dataclass(cls, init=False, repr=False, eq=False)
    finally:
        for params, was in said:
            params.frozen = was
    _check_init(cls)
    cls.__dataclass_params__.frozen = frozen
    cls.__init__, cls.__repr__, cls.__signature__ = _init, _repr, _SIGNATURE
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
