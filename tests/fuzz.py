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


# .ods content -------------------------------------------------------------------------------------------------
FORMULA_MARK, PERCENT_MARK = 4242.5, 0.4242  # values only the formula and percent cells hold


#: The cells ods_cells draws, by kind: their attributes after the repeat, and what they hold (None: empty element)
_ODS_CELL_KINDS = {
    "empty": ("", None),
    "float": (' office:value-type="float" office:value="1"', None),
    "bare": (' office:value="2"', None),
    "string": (' office:value-type="string"', "<text:p>s</text:p>"),
    "formula": (f' table:formula="of:=1" office:value-type="float" office:value="{FORMULA_MARK}"', None),
    "percent": (f' office:value-type="percentage" office:value="{PERCENT_MARK}"', None),
    "nested": (' office:value="3"', '<table:table-cell office:value="5"/>'),
    "spanned": (' table:number-columns-spanned="2" table:number-rows-spanned="2" office:value="6"', None),
}


def ods_cells(data) -> str:
    """Draw one table's rows for content.xml: rows and cells repeated (0 and signed counts too), spanned, covered,
    nested in a cell or outside a row, hidden; cells holding a value with or without a value type, a formula
    (valued FORMULA_MARK) or a percentage (valued PERCENT_MARK), so that what calamine reads can be told apart."""
    from hypothesis import strategies as st

    repeat = st.sampled_from(["", "", "", ' table:number-columns-repeated="3"', ' table:number-columns-repeated="0"',
                              ' table:number-columns-repeated="+2"', ' table:number-columns-repeated="250"'])
    kind = st.sampled_from(list(_ODS_CELL_KINDS))

    def cell(k, rep, tag="table:table-cell"):
        attrs, inner = _ODS_CELL_KINDS[k]
        return f"<{tag}{rep}{attrs}/>" if inner is None else f"<{tag}{rep}{attrs}>{inner}</{tag}>"

    rows = []
    for _ in range(data.draw(st.integers(1, 6))):
        if data.draw(st.integers(0, 9)) == 0:  # a cell outside any row
            rows.append(cell(data.draw(kind), data.draw(repeat)))
            continue
        attrs = data.draw(st.sampled_from(["", "", ' table:number-rows-repeated="2"', ' table:number-rows-repeated="0"',
                                           ' table:visibility="collapse"', ' table:number-rows-repeated="30000"']))
        cells = "".join(cell(data.draw(kind), data.draw(repeat), data.draw(st.sampled_from(
            ["table:table-cell", "table:table-cell", "table:covered-table-cell"])))
            for _ in range(data.draw(st.integers(0, 5))))
        rows.append(f"<table:table-row{attrs}>{cells}</table:table-row>")
    return "".join(rows)


def ods_file(tables: dict[str, str]) -> bytes:
    """A minimal .ods file (mimetype, manifest, content.xml) with these tables: name -> rows."""
    body = "".join(f'<table:table table:name="{n}">{rows}</table:table>' for n, rows in tables.items())
    content = ('<?xml version="1.0" encoding="UTF-8"?><office:document-content'
               ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
               ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
               ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               f'{body}</office:spreadsheet></office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/"'
                ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry'
                ' manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


# .xlsx sheets --------------------------------------------------------------------------------------------------
#: Cells that hold the marks, put where the edits below may move them: a formula cell, a cell of a percent style
#: ("3" is among the percent styles the test gives), each without its place (it takes the next, as calamine
#: places it) or with one
MARK_CELLS = [b"<c><f>1</f><v>%r</v></c>" % FORMULA_MARK, b'<c s="3"><v>%r</v></c>' % PERCENT_MARK,
              b'<c r="K%d"><f>1</f><v>%r</v></c>' % (4, FORMULA_MARK), b'<c r="J%d" s="3"><v>%r</v></c>' % (5, PERCENT_MARK)]
_MARK_PLACES = [b"</row>", b'<c r="', b"<sheetData>", b"</sheetData>", b"<row "]


def marked_sheet(data, xml: bytes) -> bytes:
    """A sheet part with mark cells put at places drawn from Hypothesis' `data` (inside rows, before a cell, outside
    any row), so that the cells calamine reads the marks from can be held to what the screen noted there."""
    from hypothesis import strategies as st

    for _ in range(data.draw(st.integers(1, 4))):
        place = data.draw(st.sampled_from(_MARK_PLACES))
        spots = [m.start() for m in re.finditer(re.escape(place), xml)]
        if not spots:
            continue
        at = data.draw(st.sampled_from(spots))
        mark = data.draw(st.sampled_from(MARK_CELLS))
        if place == b"<sheetData>":
            at += len(place)
        xml = xml[:at] + mark + xml[at:]
    return xml
