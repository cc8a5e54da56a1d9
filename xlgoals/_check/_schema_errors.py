"""The located errors of a document, as jsonschema finds them, from plain Python generated from the form's schema.

jsonschema (Draft 2020-12, with ``pattern`` read as JSON Schema reads it: ``_schema._draft``) costs an invalid return
several times what the fast check costs a valid one, and loading it costs a single check more again.  The schemas
of our forms use a handful of keywords; for those, `errors_function` writes one function that walks the document
as jsonschema's ``iter_errors`` walks it (the keywords of each schema in their order, the properties in the
schema's order, an ``if`` choosing ``then`` or ``else``) and appends, for each failure, an `Error` carrying what
jsonschema's error carries and schema_problems reads: the path, the keyword, its value in the schema, the value
found, the schema holding the keyword, and jsonschema's own message.  A schema using anything else gets None, and
its documents go to jsonschema.  tests/test_schema_errors.py holds the two to the same errors, in the same order,
with the same messages, over every form.
"""

from __future__ import annotations

import numbers
import re
from datetime import date
from decimal import Decimal

from .. import _diskcache

#: Keywords that say nothing about validity (``then``/``else`` are read by ``if``; alone they do nothing).
_ANNOTATIONS = frozenset({"description", "title", "$schema", "$id", "$comment", "default", "examples", "deprecated",
                          "readOnly", "writeOnly", "then", "else"})

#: jsonschema's type checks (``_types``, draft 2020-12's): a bool is neither a number nor an integer; an integer is an int
#: or a float with no fraction (2026.0); a number is any numbers.Number
#: (the types a number nearly always is first: a set lookup, not the ABC's check).
_TYPE_TESTS = {"string": "isinstance({v}, str)", "null": "{v} is None", "boolean": "isinstance({v}, bool)",
               "object": "isinstance({v}, dict)", "array": "isinstance({v}, list)",
               "number": "(type({v}) in _NUMBERS or isinstance({v}, _Number) and not isinstance({v}, bool))",
               "integer": "(isinstance({v}, int) and not isinstance({v}, bool) or isinstance({v}, float) and {v}.is_integer())"}

#: jsonschema's date format check (``_format.is_date``).
_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(text: str) -> bool:
    try:
        return bool(_RE_DATE.fullmatch(text) and date.fromisoformat(text))
    except ValueError:
        return False


class Error:
    """One failure, with the attributes of jsonschema's ValidationError that schema_problems and the tests read."""

    __slots__ = ("path", "validator", "validator_value", "instance", "schema", "arg")

    def __init__(self, path, validator, validator_value, instance, schema, arg=None):
        self.path, self.validator, self.validator_value = path, validator, validator_value
        self.instance, self.schema, self.arg = instance, schema, arg

    @property
    def absolute_path(self) -> list:
        return list(self.path)

    @property
    def message(self) -> str:
        """jsonschema's message for the failure, word for word (jsonschema 4's ``_keywords``)."""
        v, value, instance = self.validator, self.validator_value, self.instance
        if v == "type":
            types = [value] if isinstance(value, str) else value
            return f"{instance!r} is not of type {', '.join(repr(t) for t in types)}"
        if v == "enum":
            return f"{instance!r} is not one of {value!r}"
        if v == "const":
            return f"{value!r} was expected"
        if v == "minLength":
            return f"{instance!r} {'should be non-empty' if value == 1 else 'is too short'}"
        if v == "maxLength":
            return f"{instance!r} {'is expected to be empty' if value == 0 else 'is too long'}"
        if v == "minimum":
            return f"{instance!r} is less than the minimum of {value!r}"
        if v == "maximum":
            return f"{instance!r} is greater than the maximum of {value!r}"
        if v == "pattern":
            return f"{instance!r} does not match {value!r}"
        if v == "format":
            return f"{instance!r} is not a {value!r}"
        if v == "required":
            return f"{self.arg!r} is a required property"
        if v == "additionalProperties":
            allowed = self.schema.get("properties", {})
            extras = sorted((k for k in instance if k not in allowed), key=str)
            verb = "was" if len(extras) == 1 else "were"
            return f"Additional properties are not allowed ({', '.join(repr(e) for e in extras)} {verb} unexpected)"
        if v == "not":
            return f"{instance!r} should not be valid under {value!r}"
        return f"{instance!r} does not match the schema ({v})"  # not written by errors_function

    def __repr__(self) -> str:
        return f"Error({list(self.path)!r}, {self.validator!r}: {self.message})"


class _Unsupported(Exception):
    """A keyword (or a value of one) the generator does not write: the schema is left to jsonschema."""


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Writer:
    """Writes the error walk of one schema: ``def walk(x, p, out)`` appends an Error per failure in `x`, each
    path `p` plus the path within `x`; a sub-schema judged for an ``if`` or a ``not`` gets a yes/no function of its
    own, ``def _fN(x)``, the same tests returning False at the first failure."""

    def __init__(self):
        self.names: dict = {"_Number": numbers.Number, "_NUMBERS": frozenset((int, float, Decimal)), "_E": Error,
                            "_is_date": _is_date}
        self.functions: list[str] = []
        self.verdict = False  # writing a yes/no function: a failure returns False

    def name(self, value, prefix: str) -> str:
        n = f"{prefix}{len(self.names)}"
        self.names[n] = value
        return n

    def function(self, schema, fname: str | None = None, verdict: bool = True) -> str:
        """The name of a function written for `schema`: the error walk, or (`verdict`) its yes/no."""
        fname = fname or f"_f{len(self.functions)}"
        self.functions.append("")  # its place, kept before the body writes the functions it needs
        at = len(self.functions) - 1
        outer, self.verdict = self.verdict, verdict
        try:
            body = self.node(schema, "x", [], 0, 1)
        finally:
            self.verdict = outer
        head = f"def {fname}(x):" if verdict else f"def {fname}(x, p, out):"
        self.functions[at] = "\n".join([head, *body, " return True" if verdict else " return"])
        return fname

    def node(self, schema, var: str, path: list, depth: int, ind: int) -> list[str]:
        """The lines checking `var` (at `path`: expressions after ``p``) against `schema`, indented `ind`."""
        if schema is True:
            return []
        if not isinstance(schema, dict):
            raise _Unsupported(schema)
        pad = " " * ind
        here = "p" if not path else f"p + ({', '.join(path)},)"
        sch = None

        def fail(keyword, value, arg=None) -> str:
            nonlocal sch
            if self.verdict:
                return "return False"
            sch = sch or self.name(schema, "_S")
            vname = repr(value) if isinstance(value, (str, int, type(None))) else self.name(value, "_V")  # a float: inf
            extra = f", {arg!r}" if arg is not None else ""
            return f"out.append(_E({here}, {keyword!r}, {vname}, {var}, {sch}{extra}))"

        lines: list[str] = []
        for key, value in schema.items():
            if key in _ANNOTATIONS:
                continue
            if key == "type":
                types = [value] if isinstance(value, str) else value
                if not isinstance(types, list) or not types or any(t not in _TYPE_TESTS for t in types):
                    raise _Unsupported(key)
                test = " or ".join(_TYPE_TESTS[t].format(v=var) for t in types)
                lines += [f"{pad}if not ({test}):", f"{pad} {fail('type', value)}"]
            elif key == "enum":
                if not isinstance(value, list) or any(e is not None and not isinstance(e, str) for e in value):
                    raise _Unsupported(key)
                members = self.name(frozenset(e for e in value if e is not None), "_M")
                test = (f"{var} is None or " if None in value else "") + f"(isinstance({var}, str) and {var} in {members})"
                lines += [f"{pad}if not ({test}):", f"{pad} {fail('enum', value)}"]
            elif key == "const":
                if value is None:
                    test = f"{var} is None"
                elif isinstance(value, str):
                    test = f"(isinstance({var}, str) and {var} == {value!r})"
                else:
                    raise _Unsupported(key)
                lines += [f"{pad}if not ({test}):", f"{pad} {fail('const', value)}"]
            elif key in ("minLength", "maxLength"):
                if not isinstance(value, int) or isinstance(value, bool):
                    raise _Unsupported(key)
                op = "<" if key == "minLength" else ">"
                lines += [f"{pad}if isinstance({var}, str) and len({var}) {op} {value!r}:", f"{pad} {fail(key, value)}"]
            elif key in ("minimum", "maximum"):
                if not _number(value):
                    raise _Unsupported(key)
                op = "<" if key == "minimum" else ">"
                bound = repr(value) if isinstance(value, int) else self.name(value, "_N")  # a float: inf, nan
                lines += [f"{pad}if {_TYPE_TESTS['number'].format(v=var)} and {var} {op} {bound}:",
                          f"{pad} {fail(key, value)}"]
            elif key == "pattern":
                if not isinstance(value, str):
                    raise _Unsupported(key)
                from ._schema import _end_anchored  # as _schema._draft reads a pattern

                compiled = self.name(re.compile(_end_anchored(value)), "_P")
                lines += [f"{pad}if isinstance({var}, str) and not {compiled}.search({var}):", f"{pad} {fail(key, value)}"]
            elif key == "format":
                if value != "date":
                    raise _Unsupported(key)
                lines += [f"{pad}if isinstance({var}, str) and not _is_date({var}):", f"{pad} {fail(key, value)}"]
            elif key == "required":
                if not isinstance(value, list) or any(not isinstance(r, str) for r in value):
                    raise _Unsupported(key)
                if value:
                    lines.append(f"{pad}if isinstance({var}, dict):")
                    for r in value:
                        lines += [f"{pad} if {r!r} not in {var}:", f"{pad}  {fail(key, value, r)}"]
            elif key == "additionalProperties":
                if "patternProperties" in schema or not isinstance(value, bool):
                    raise _Unsupported(key)
                if value is False:
                    allowed = self.name(frozenset(schema.get("properties") or ()), "_A")
                    lines += [f"{pad}if isinstance({var}, dict) and not {var}.keys() <= {allowed}:",
                              f"{pad} {fail(key, value)}"]
            elif key == "properties":
                if not isinstance(value, dict):
                    raise _Unsupported(key)
                inner = []
                sub = f"v{depth + 1}"
                for prop, subschema in value.items():
                    body = self.node(subschema, sub, [*path, repr(prop)], depth + 1, ind + 2)
                    if body:
                        inner += [f"{pad} if {prop!r} in {var}:", f"{pad}  {sub} = {var}[{prop!r}]", *body]
                if inner:
                    lines += [f"{pad}if isinstance({var}, dict):", *inner]
            elif key == "items":
                if "prefixItems" in schema:
                    raise _Unsupported(key)
                sub, i = f"v{depth + 1}", f"i{depth}"
                body = self.node(value, sub, [*path, i], depth + 1, ind + 2)
                if body:
                    lines += [f"{pad}if isinstance({var}, list):", f"{pad} for {i}, {sub} in enumerate({var}):", *body]
            elif key == "allOf":
                if not isinstance(value, list) or not value:
                    raise _Unsupported(key)
                for part in value:
                    lines += self.node(part, var, path, depth, ind)
            elif key == "not":
                judge = self.function(value)
                lines += [f"{pad}if {judge}({var}):", f"{pad} {fail('not', value)}"]
            elif key == "if":
                judge = self.function(value)
                then = self.node(schema.get("then", True), var, path, depth, ind + 1)
                other = self.node(schema.get("else", True), var, path, depth, ind + 1)
                if then or other:
                    lines += [f"{pad}if {judge}({var}):", *(then or [f"{pad} pass"]),
                              f"{pad}else:", *(other or [f"{pad} pass"])]
            else:
                raise _Unsupported(key)
        return lines


def errors_function(schema: dict):
    """``errors(doc) -> list[Error]`` for `schema` (its ``$defs`` already expanded), the errors in jsonschema's
    order; or None where the schema uses a keyword this does not write (jsonschema finds those documents' errors)."""
    writer = _Writer()
    try:
        writer.function(schema, "walk", verdict=False)
    except _Unsupported:
        return None
    source = "\n\n".join(reversed(writer.functions))  # each function after none it calls: all defined before any runs
    names = dict(writer.names)
    exec(_diskcache.compiled(source, "<xlgoals schema errors>"), names)  # noqa: S102 - from our own schema
    walk = names["walk"]

    def errors(doc) -> list[Error]:
        out: list[Error] = []
        walk(doc, (), out)
        return out

    errors.source = source
    return errors
