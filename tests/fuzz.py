"""Mutations of a good return for the fuzzer (tests/test_hostile_batch.py::test_mutation_fuzzer).

Each mutation keeps the zip well formed (CRCs right) where it means to reach the XML and the
spreadsheet library behind it, or damages the bytes themselves.
"""

import io
import re
import zipfile

_ATTRIBUTE_VALUES = [b"10B", b"-1", b"XFD1048576", b"A0", b"7", b"e", b"b", b"s", b"str", b"inlineStr", b"n", b"d",
                     b"999999", b"", b"&#49;", b"1E+308", b"NaN", b"\xe2\x80\x8b", b"x" * 300, b"A1048577"]
_VALUES = [b"NaN", b"inf", b"-1", b"1e400", b"99999999999", b"#DIV/0!", b"#WHAT", b"", b"0.1", b"\x00", b"<", b"&amp;"]


def _parts(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _pack(parts: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in parts.items():
            z.writestr(n, d)
    return buf.getvalue()


def mutated_workbook(data, good: bytes) -> bytes:
    """Draw one mutated workbook from Hypothesis' `data`."""
    from hypothesis import strategies as st

    kind = data.draw(st.sampled_from(["attribute", "value", "shared_string", "slice", "entry", "bytes"]))
    if kind == "bytes":
        raw = bytearray(good)
        for _ in range(data.draw(st.integers(1, 8))):
            raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
        return bytes(raw)
    parts = _parts(good)
    names = sorted(n for n in parts if n.endswith((".xml", ".rels")))
    name = data.draw(st.sampled_from(names))
    xml = parts[name]
    if kind == "attribute":
        spots = [m.span(1) for m in re.finditer(rb'\b(?:r|t|s|count|sheetId|r:id|Id|ref)="([^"]*)"', xml)]
        if spots:
            a, b = data.draw(st.sampled_from(spots))
            xml = xml[:a] + data.draw(st.sampled_from(_ATTRIBUTE_VALUES)) + xml[b:]
    elif kind == "value":
        spots = [m.span(1) for m in re.finditer(rb"<v>([^<]*)</v>", xml)]
        if spots:
            a, b = data.draw(st.sampled_from(spots))
            xml = xml[:a] + data.draw(st.sampled_from(_VALUES)) + xml[b:]
    elif kind == "shared_string":
        name = "xl/sharedStrings.xml"
        xml = parts[name]
        spots = [m.span(1) for m in re.finditer(rb"<t[^>]*>([^<]*)</t>", xml)]
        if spots:
            a, b = data.draw(st.sampled_from(spots))
            xml = xml[:a] + data.draw(st.sampled_from([b"", b"=1+1", b"x" * 5000, b"\x1b[2J", b"_x000B_"])) + xml[b:]
    elif kind == "slice":
        a = data.draw(st.integers(0, len(xml)))
        b = data.draw(st.integers(a, min(len(xml), a + 200)))
        xml = xml[:a] + (xml[a:b] * data.draw(st.integers(0, 3))) + xml[b:]
    parts[name] = xml
    if kind == "entry":
        victim = data.draw(st.sampled_from(sorted(parts)))
        if data.draw(st.booleans()):
            del parts[victim]
        else:
            parts[victim + ".copy"] = parts[victim]
    return _pack(parts)
